"""Demo data of ``../shared/API.md``: Tianjin's 16 districts, streets and communities of 河西区, departments,
approval bodies and every demo account. Apps add their own demo data in ``<app>/demo.py`` (``load_demo()``),
called after this in app order. Demo mode only: refuses to run under production settings.
"""

from __future__ import annotations

import importlib

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.choices import ApprovalBodyKind, CommunityKind, DepartmentKind, OrgLevel, Role
from portal.models import ApprovalBody, Department, OrgUnit, RoleAssignment, User

DEMO_PASSWORD = "jianfu-demo-2026"
CITY = ("120000", "天津市")
DISTRICTS = [
    ("120101", "和平区"),
    ("120102", "河东区"),
    ("120103", "河西区"),
    ("120104", "南开区"),
    ("120105", "河北区"),
    ("120106", "红桥区"),
    ("120110", "东丽区"),
    ("120111", "西青区"),
    ("120112", "津南区"),
    ("120113", "北辰区"),
    ("120114", "武清区"),
    ("120115", "宝坻区"),
    ("120116", "滨海新区"),
    ("120117", "宁河区"),
    ("120118", "静海区"),
    ("120119", "蓟州区"),
]
# Streets of 河西区 (statistical division codes) with demo communities.
HEXI_STREETS = [
    (
        "120103001000",
        "大营门街道",
        [("120103001001", "新华南路社区"), ("120103001002", "浦口道社区"), ("120103001003", "南京路社区")],
    ),
    (
        "120103002000",
        "下瓦房街道",
        [("120103002001", "台北路社区"), ("120103002002", "西湖村社区"), ("120103002003", "福建路社区")],
    ),
    (
        "120103003000",
        "桃园街道",
        [("120103003001", "桃园村社区"), ("120103003002", "卫津路社区"), ("120103003003", "北海里社区")],
    ),
    ("120103004000", "挂甲寺街道", [("120103004001", "泰山里社区"), ("120103004002", "庆丰里社区")]),
]
NANKAI_STREETS = [
    ("120104001000", "长虹街道", [("120104001001", "长虹园社区"), ("120104001002", "咸阳路社区")]),
]
CITY_DEPARTMENTS = [
    ("12000001", "天津市民政局", DepartmentKind.CIVIL_AFFAIRS),
    ("12000002", "天津市统计局", DepartmentKind.LINE),
    ("12000003", "天津市卫生健康委员会", DepartmentKind.LINE),
    ("12000004", "天津市城市管理委员会", DepartmentKind.LINE),
    ("12000005", "天津市退役军人事务局", DepartmentKind.LINE),
]
DISTRICT_DEPARTMENTS = {
    "120103": [
        ("12010301", "河西区民政局", DepartmentKind.CIVIL_AFFAIRS),
        ("12010302", "河西区卫生健康委员会", DepartmentKind.LINE),
        ("12010303", "河西区城市管理委员会", DepartmentKind.LINE),
        ("12010304", "河西区统计局", DepartmentKind.LINE),
        ("12010305", "河西区退役军人事务局", DepartmentKind.LINE),
        ("12010306", "河西区司法局", DepartmentKind.LINE),
    ],
    "120104": [
        ("12010401", "南开区民政局", DepartmentKind.CIVIL_AFFAIRS),
        ("12010402", "南开区卫生健康委员会", DepartmentKind.LINE),
    ],
}
ACCOUNTS = [
    # username, real name, role, org code, department code
    ("city_admin", "李明华", Role.CITY_ADMIN, "120000", None),
    ("city_approver", "王建国", Role.CITY_APPROVER, "120000", None),
    ("city_stats", "赵立新", Role.DEPARTMENT_STAFF, None, "12000002"),
    ("hexi_official", "陈淑芬", Role.DISTRICT_OFFICIAL, "120103", None),
    ("hexi_approver", "刘志强", Role.DISTRICT_APPROVER, "120103", None),
    ("hexi_health", "孙丽娟", Role.DEPARTMENT_STAFF, None, "12010302"),
    ("hexi_justice", "冯立平", Role.DEPARTMENT_STAFF, None, "12010306"),  # a lawyer: the named legal reviewer
    ("nankai_official", "周海燕", Role.DISTRICT_OFFICIAL, "120104", None),
    ("street_staff", "吴秀兰", Role.STREET_STAFF, "120103001000", None),
    ("community_staff", "张桂英", Role.COMMUNITY_STAFF, "120103001001", None),
    ("community_staff2", "郑春梅", Role.COMMUNITY_STAFF, "120103001002", None),
    ("resident", "王小明", Role.RESIDENT, "120103001001", None),
    ("resident2", "李红梅", Role.RESIDENT, "120103001001", None),
]


def _org(code: str, name: str, level: str, parent: OrgUnit | None, kind: str = "") -> OrgUnit:
    node, _ = OrgUnit.objects.update_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent, "kind": kind}
    )
    return node


def load_core() -> None:
    city = _org(*CITY, OrgLevel.CITY, None)
    districts = {code: _org(code, name, OrgLevel.DISTRICT, city) for code, name in DISTRICTS}
    for district_code, streets in (("120103", HEXI_STREETS), ("120104", NANKAI_STREETS)):
        for code, name, communities in streets:
            street = _org(code, name, OrgLevel.STREET, districts[district_code])
            for c_code, c_name in communities:
                _org(c_code, c_name, OrgLevel.COMMUNITY, street, CommunityKind.COMMUNITY)
    for code, name, kind in CITY_DEPARTMENTS:
        Department.objects.update_or_create(code=code, defaults={"name": name, "org": city, "kind": kind})
    for district_code, departments in DISTRICT_DEPARTMENTS.items():
        for code, name, kind in departments:
            Department.objects.update_or_create(
                code=code, defaults={"name": name, "org": districts[district_code], "kind": kind}
            )
    ApprovalBody.objects.update_or_create(
        org=city, kind=ApprovalBodyKind.PARTY, defaults={"name": "中共天津市委员会", "short_name": "津"}
    )
    ApprovalBody.objects.update_or_create(
        org=city, kind=ApprovalBodyKind.GOVERNMENT, defaults={"name": "天津市人民政府", "short_name": "津"}
    )
    for code, name in DISTRICTS:
        short = "津" + name.removesuffix("区").removesuffix("新")
        ApprovalBody.objects.update_or_create(
            org=districts[code],
            kind=ApprovalBodyKind.PARTY,
            defaults={"name": f"中共天津市{name}委员会", "short_name": short},
        )
        ApprovalBody.objects.update_or_create(
            org=districts[code],
            kind=ApprovalBodyKind.GOVERNMENT,
            defaults={"name": f"天津市{name}人民政府", "short_name": short},
        )

    admin, _ = User.objects.get_or_create(
        username="admin", defaults={"real_name": "系统管理员", "is_staff": True, "is_superuser": True}
    )
    admin.set_password(DEMO_PASSWORD)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    for username, real_name, role, org_code, dept_code in ACCOUNTS:
        user, _ = User.objects.get_or_create(username=username, defaults={"real_name": real_name})
        user.real_name = real_name
        user.email = f"{username}@demo.jianfu.local"
        if role == Role.RESIDENT:
            user.mobile = user.mobile or ("1390000000" + str(len(username) % 10))
            # Demo residents have confirmed their number (a new registration confirms it by SMS code).
            user.mobile_verified_at = user.mobile_verified_at or timezone.now()
        user.set_password(DEMO_PASSWORD)
        user.save()
        department = Department.objects.get(code=dept_code) if dept_code else None
        org = department.org if department else OrgUnit.objects.get(code=org_code)
        RoleAssignment.objects.get_or_create(user=user, role=role, org=org, department=department)
        if role == Role.CITY_ADMIN:
            _grant_tree_admin(user)


# The city admin maintains the org tree (and the working-day calendar) in the Django admin.
TREE_ADMIN_MODELS = [
    ("portal", "orgunit"),
    ("portal", "department"),
    ("portal", "approvalbody"),
    ("admission", "calendarday"),
]


def _grant_tree_admin(user: User) -> None:
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    query = Q(pk__in=[])
    for app_label, model in TREE_ADMIN_MODELS:
        query |= Q(content_type__app_label=app_label, content_type__model=model)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(*Permission.objects.filter(query))


def load_demo() -> None:
    if getattr(settings, "PRODUCTION", False) or not getattr(settings, "DEMO_MODE", True):
        raise RuntimeError("演示数据只能在演示模式下加载（生产配置下拒绝运行）。")
    with transaction.atomic():
        load_core()
    for config in apps.get_app_configs():
        if config.name == "portal":
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name == f"{config.name}.demo":
                continue
            raise
        loader = getattr(module, "load_demo", None)
        if loader is not None:
            with transaction.atomic():
                loader()
