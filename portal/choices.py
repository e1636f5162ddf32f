"""Fixed vocabularies of the core: org levels and roles, and which role may grant which."""

from django.db import models


class OrgLevel(models.TextChoices):
    CITY = "city", "市"
    DISTRICT = "district", "区"
    STREET = "street", "街道/乡镇"
    COMMUNITY = "community", "社区/村"


PARENT_LEVEL: dict[str, str] = {
    OrgLevel.DISTRICT: OrgLevel.CITY,
    OrgLevel.STREET: OrgLevel.DISTRICT,
    OrgLevel.COMMUNITY: OrgLevel.STREET,
}


class CommunityKind(models.TextChoices):
    COMMUNITY = "community", "社区（居委会）"
    VILLAGE = "village", "村（村委会）"


class DepartmentKind(models.TextChoices):
    CIVIL_AFFAIRS = "civil_affairs", "民政部门"
    LINE = "line", "职能部门"


class ApprovalBodyKind(models.TextChoices):
    PARTY = "party", "党委"
    GOVERNMENT = "government", "政府"


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", "市民政局管理员"
    CITY_APPROVER = "city_approver", "市级审批人（市委/市政府）"
    DISTRICT_OFFICIAL = "district_official", "区民政局工作人员"
    DISTRICT_APPROVER = "district_approver", "区级审批人（区委/区政府）"
    DEPARTMENT_STAFF = "department_staff", "部门工作人员"
    STREET_STAFF = "street_staff", "街道工作人员"
    COMMUNITY_STAFF = "community_staff", "社区工作人员"
    RESIDENT = "resident", "居民"


STAFF_ROLES = frozenset(r for r in Role if r != Role.RESIDENT)
OFFICIAL_ROLES = frozenset({Role.CITY_ADMIN, Role.DISTRICT_OFFICIAL})
APPROVER_ROLES = frozenset({Role.CITY_APPROVER, Role.DISTRICT_APPROVER})

# The level at which each role is held; a role covers its node and everything below it.
ROLE_LEVEL = {
    Role.CITY_ADMIN: OrgLevel.CITY,
    Role.CITY_APPROVER: OrgLevel.CITY,
    Role.DISTRICT_OFFICIAL: OrgLevel.DISTRICT,
    Role.DISTRICT_APPROVER: OrgLevel.DISTRICT,
    Role.DEPARTMENT_STAFF: None,  # city or district, taken from the department
    Role.STREET_STAFF: OrgLevel.STREET,
    Role.COMMUNITY_STAFF: OrgLevel.COMMUNITY,
    Role.RESIDENT: OrgLevel.COMMUNITY,
}

# Which roles a holder of a role may grant (always inside the granter's own scope). Nobody grants a
# role above their own: approvers are appointed by the city admin only.
GRANTABLE_ROLES: dict[str, frozenset[str]] = {
    Role.CITY_ADMIN: frozenset(STAFF_ROLES),
    Role.DISTRICT_OFFICIAL: frozenset(
        {Role.DISTRICT_OFFICIAL, Role.DEPARTMENT_STAFF, Role.STREET_STAFF, Role.COMMUNITY_STAFF}
    ),
    Role.STREET_STAFF: frozenset({Role.STREET_STAFF, Role.COMMUNITY_STAFF}),
}
