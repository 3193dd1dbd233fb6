"""Roles and the permissions each one grants (seed permissions plus four), and the roles in
words as people read them."""

from __future__ import annotations

from enum import StrEnum

from kiosk.domain.errors import PermissionDenied, ValidationError


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


def require(name: str, role: Role, permission: Permission) -> None:
    """Raise PermissionDenied unless ``role`` grants ``permission``."""
    if not has_permission(role, permission):
        raise PermissionDenied(
            f"{name} ({role_label(role)}) does not have the {permission.value} permission; ask "
            "someone who has it to do this."
        )


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise ValidationError(f"Unknown role {text!r}; use one of {roles}.") from None
