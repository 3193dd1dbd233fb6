"""Roles and the permissions each one grants (seed permissions plus three)."""

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
         P.INVENTORY_RECEIVE}
    ),
    Role.IT_ADMIN: frozenset({P.INVENTORY_READ, P.ADMIN_CONFIGURE}),
}


def has_permission(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]


def require(name: str, role: Role, permission: Permission) -> None:
    """Raise PermissionDenied unless ``role`` grants ``permission``."""
    if not has_permission(role, permission):
        raise PermissionDenied(
            f"{name} ({role.value}) does not have the {permission.value} permission; ask "
            "someone who has it to do this."
        )


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise ValidationError(f"Unknown role {text!r}; use one of {roles}.") from None
