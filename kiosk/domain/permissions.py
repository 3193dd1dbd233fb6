"""Roles and the permissions each one grants (seed permissions plus four), the roles in
words as people read them, and the rules that pick the permission an act needs."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from kiosk.domain.errors import PermissionDenied, ValidationError, staff_by_id


class Permission(StrEnum):
    APPLIANCE_READ = "appliance:read"
    APPLIANCE_UPDATE = "appliance:update"
    INVENTORY_READ = "inventory:read"
    INVENTORY_ADJUST = "inventory:adjust"
    INVENTORY_RECEIVE = "inventory:receive"
    ADMIN_CONFIGURE = "admin:configure"
    STAFF_UNLOCK = "staff:unlock"  # clear a colleague's wrong-PIN lockout


class Role(StrEnum):
    ASSISTANT = "assistant"
    ORTHODONTIST = "orthodontist"
    INVENTORY_MANAGER = "inventory_manager"
    CLINIC_MANAGER = "clinic_manager"
    IT_ADMIN = "it_admin"


P = Permission
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ASSISTANT: frozenset({P.APPLIANCE_READ, P.APPLIANCE_UPDATE, P.INVENTORY_READ}),
    Role.ORTHODONTIST: frozenset(
        {P.APPLIANCE_READ, P.APPLIANCE_UPDATE, P.INVENTORY_READ, P.INVENTORY_ADJUST}
    ),
    Role.INVENTORY_MANAGER: frozenset(
        {P.APPLIANCE_READ, P.INVENTORY_READ, P.INVENTORY_ADJUST, P.INVENTORY_RECEIVE}
    ),
    Role.CLINIC_MANAGER: frozenset(
        {P.APPLIANCE_READ, P.APPLIANCE_UPDATE, P.INVENTORY_READ, P.INVENTORY_ADJUST,
         P.INVENTORY_RECEIVE, P.STAFF_UNLOCK}
    ),
    Role.IT_ADMIN: frozenset({P.INVENTORY_READ, P.ADMIN_CONFIGURE}),
}


ROLE_LABELS: dict[Role, str] = {
    Role.ASSISTANT: "Assistant",
    Role.ORTHODONTIST: "Orthodontist",
    Role.INVENTORY_MANAGER: "Inventory manager",
    Role.CLINIC_MANAGER: "Clinic manager",
    Role.IT_ADMIN: "IT administrator",
}


def role_label(role: Role) -> str:
    """The role in words ("Clinic manager"), for every screen and message; never the code."""
    return ROLE_LABELS[role]


def has_permission(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]


def who_may(permission: Permission) -> str:
    """The roles holding ``permission``, as a refusal names them: "an orthodontist,
    inventory manager or clinic manager"."""
    labels = [_in_sentence(ROLE_LABELS[role]) for role in Role
              if permission in ROLE_PERMISSIONS[role]]
    listed = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"
    return ("an " if listed[0] in "aeiouAEIOU" else "a ") + listed


def _in_sentence(label: str) -> str:
    """"Clinic manager" -> "clinic manager"; an initialism ("IT administrator") stays."""
    return label if label[1:2].isupper() else label[0].lower() + label[1:]


def require(name: str, role: Role, permission: Permission, staff_id: str = "") -> None:
    """Raise PermissionDenied unless ``role`` grants ``permission``; the sentence names the
    roles that may (and the person, whom the log names by ``staff_id``)."""
    if not has_permission(role, permission):
        raise PermissionDenied(
            f"{name} ({role_label(role)}) does not have the {permission.value} permission; ask "
            f"{who_may(permission)} to do this.", people=staff_by_id(name, staff_id or "?"),
        )


# The chair offers "Void…" for the lines of your own last placement for this long.
VOID_WINDOW = timedelta(minutes=5)


def void_permission(actor_id: str, recorded_by: str, recorded_at: datetime,
                    now: datetime) -> Permission:
    """What voiding a usage needs: your own usage within ``VOID_WINDOW`` of recording it is a
    chairside correction (appliance:update); anyone else's, or an older one, is a stock
    correction (inventory:adjust), wherever it is asked (chair, back office or CLI)."""
    if actor_id == recorded_by and now - recorded_at <= VOID_WINDOW:
        return Permission.APPLIANCE_UPDATE
    return Permission.INVENTORY_ADJUST


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise ValidationError(f"Unknown role {text!r}; use one of {roles}.") from None
