"""factory_boy factories for the main models: a test that needs a few rows builds them here instead of loading
the demo. Every factory saves through the model (``OrgUnit.save`` keeps the paths true, history rows are written).

    community = CommunityFactory()                  # with its street, district and the city above it
    staff = UserFactory(roles=[(Role.COMMUNITY_STAFF, community)])
    req = TaskRequestFactory(department=DepartmentFactory(org=community.parent.parent))
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from admission.choices import Status
from admission.models import TaskRequest
from portal.choices import ApprovalBodyKind, OrgLevel
from portal.models import ApprovalBody, Department, OrgUnit, RoleAssignment, User


class CityFactory(DjangoModelFactory):
    class Meta:
        model = OrgUnit
        django_get_or_create = ("code",)

    code = "120000"
    name = "天津市"
    level = OrgLevel.CITY
    parent = None


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = OrgUnit
        django_get_or_create = ("code",)

    parent = factory.SubFactory(CityFactory)
    code = factory.Sequence(lambda n: f"1201{n + 50:02d}")
    name = factory.Sequence(lambda n: f"测试{n}区")
    level = OrgLevel.DISTRICT


class StreetFactory(DjangoModelFactory):
    class Meta:
        model = OrgUnit
        django_get_or_create = ("code",)

    parent = factory.SubFactory(DistrictFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.parent.code}{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"测试{n}街道")
    level = OrgLevel.STREET


class CommunityFactory(DjangoModelFactory):
    class Meta:
        model = OrgUnit
        django_get_or_create = ("code",)

    parent = factory.SubFactory(StreetFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.parent.code}{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"测试{n}社区")
    level = OrgLevel.COMMUNITY


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    org = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"dept-{n}")
    name = factory.Sequence(lambda n: f"测试{n}局")


class ApprovalBodyFactory(DjangoModelFactory):
    class Meta:
        model = ApprovalBody
        django_get_or_create = ("org", "kind")

    org = factory.SubFactory(DistrictFactory)
    kind = ApprovalBodyKind.GOVERNMENT
    name = factory.LazyAttribute(lambda o: f"{o.org.name}人民政府")
    short_name = factory.Sequence(
        lambda n: "津" + "甲乙丙丁戊己庚辛壬癸"[n // 10 % 10] + "甲乙丙丁戊己庚辛壬癸"[n % 10]
    )


class UserFactory(DjangoModelFactory):
    """A user; ``roles=[(role, org)]`` or ``[(role, org, department)]`` grants roles after saving."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    real_name = factory.Sequence(lambda n: f"测试用户{n}")
    password = factory.django.Password("Jianfu-test-2026!")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role, org, *department in extracted or ():
            RoleAssignmentFactory(
                user=self, role=role, org=org, department=department[0] if department else None
            )


class RoleAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    org = factory.SubFactory(CommunityFactory)


class TaskRequestFactory(DjangoModelFactory):
    """A draft task request of a district department (no targets: add them with the admission services)."""

    class Meta:
        model = TaskRequest

    department = factory.SubFactory(DepartmentFactory)
    requester_org = factory.LazyAttribute(lambda o: o.department.org)
    created_by = factory.SubFactory(UserFactory)
    status = Status.DRAFT
    title = factory.Sequence(lambda n: f"协助开展第{n}项调查")
    description = "入户发放问卷并汇总。"
    start_date = datetime.date(2026, 3, 1)
    end_date = datetime.date(2026, 12, 31)
    workload_hours_per_month = Decimal("4.0")
