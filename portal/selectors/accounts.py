"""What an official may grant, and where: the choices of the staff-account form."""

from portal.choices import GRANTABLE_ROLES, OrgLevel, Role
from portal.models import Department, OrgUnit
from portal.scope import org_q, user_grants

GRANTERS = GRANTABLE_ROLES.keys()


def can_manage_accounts(user) -> bool:
    return user.is_superuser or any(g.role in GRANTERS for g in user_grants(user))


def grantable_roles(user) -> set[str]:
    """The roles ``user`` may give (never one above their own)."""
    if user.is_superuser:
        return set(GRANTABLE_ROLES[Role.CITY_ADMIN])
    roles: set[str] = set()
    for g in user_grants(user):
        roles |= GRANTABLE_ROLES.get(g.role, frozenset())
    return roles


def grant_places(user) -> tuple[list[OrgUnit], list[Department]]:
    """The org units (streets and above first, then communities) and departments inside the granter's scope."""
    in_scope = OrgUnit.objects.filter(org_q(user, "", roles=GRANTERS)).order_by("code")
    orgs = list(in_scope.exclude(level=OrgLevel.COMMUNITY)[:500]) + list(
        in_scope.filter(level=OrgLevel.COMMUNITY)[:2000]
    )
    departments = list(Department.objects.filter(org_q(user, "org", roles=GRANTERS)).select_related("org"))
    return orgs, departments
