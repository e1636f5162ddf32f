"""The yearly scheme: points must add up, no indicator may veto the result, published schemes are locked."""

import dataclasses
from decimal import Decimal

import pytest

from evaluations import services
from evaluations.choices import IndicatorEffect, SchemeStatus
from evaluations.models import Indicator, Scheme
from evaluations.schemas import SchemeSchema
from portal.errors import ConflictError, DomainError, PermissionDeniedError


def save(users, data, **kw):
    """Save ``data`` (the JSON a page or the API sends) as the city admin, through the scheme's schema."""
    return services.scheme_save(actor=users["city_admin"], data=SchemeSchema.parse(data), **kw)


def test_valid_scheme_is_saved_as_draft(users, scheme_data):
    scheme = save(users, scheme_data)
    assert scheme.status == SchemeStatus.DRAFT and scheme.year == 2030 and scheme.title == "测试方案"
    assert scheme.dimensions.count() == 5
    assert Indicator.objects.filter(dimension__scheme=scheme).count() == 18
    assert sum(d.max_points for d in scheme.dimensions.all()) == Decimal(500)


def test_indicator_points_must_add_up_to_the_dimension(users, scheme_data):
    scheme_data["dimensions"][0]["indicators"][0]["max_points"] = 35
    with pytest.raises(DomainError) as exc:
        save(users, scheme_data)
    assert exc.value.message.startswith(
        "方案未保存：第1个维度“党建引领”的指标分值合计 105.0 分，与维度满分 100.0 分不一致。"
    )
    assert not Scheme.objects.exists()


def test_dimensions_must_add_up_to_the_total(users, scheme_data):
    scheme_data["total_points"] = 600
    with pytest.raises(DomainError) as exc:
        save(users, scheme_data)
    assert "各维度满分合计 500" in exc.value.fields["scheme"]
    assert not Scheme.objects.exists()


@pytest.mark.parametrize(
    "effect", [IndicatorEffect.ZERO_TOTAL, IndicatorEffect.CAP_STARS, IndicatorEffect.FAIL]
)
def test_veto_indicator_cannot_be_saved(users, scheme_data, effect):
    scheme_data["dimensions"][4]["indicators"][1]["effect"] = str(effect)
    with pytest.raises(DomainError) as exc:
        save(users, scheme_data)
    assert "第5个维度" in exc.value.message and "第2项指标" in exc.value.message
    assert "一票否决" in exc.value.message and "三（四）" in exc.value.message
    assert not Scheme.objects.exists()


@pytest.mark.parametrize(
    "wording",
    [
        "发生安全事故的实行一票否决",
        "出现重大信访的一票否定",
        "未完成的直接降为一星",
        "不达标的不得评为五星社区",
        "有违法建设的总分清零",
        "有一项不达标即取消星级",
        "最高只能评为三星",
    ],
)
def test_veto_wording_in_indicator_texts_is_refused(users, scheme_data, wording):
    scheme_data["dimensions"][4]["indicators"][1]["guidance"] = wording
    with pytest.raises(DomainError) as exc:
        save(users, scheme_data)
    assert "否决" in exc.value.message
    assert not Scheme.objects.exists()


def test_star_rules_must_be_complete_and_ordered(users, scheme_data):
    rules = scheme_data["star_rules"]
    with pytest.raises(DomainError, match="一星至五星各一条"):
        save(users, {**scheme_data, "star_rules": rules[:4]})
    rules[1]["min_total"] = 460  # four stars above five stars
    with pytest.raises(DomainError, match="5星的标准应高于4星"):
        save(users, scheme_data)
    assert not Scheme.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["dimensions"][0].update(max_points="一百"), "第1个维度“党建引领”的满分应为数字。"),
        (
            lambda d: d["dimensions"][0].update(max_points="100.25"),
            "第1个维度“党建引领”的满分最多保留一位小数。",
        ),
        (lambda d: d["dimensions"][1].update(name=""), "第2个维度：请填写名称。"),
        (
            lambda d: d["dimensions"][2]["indicators"][0].update(max_points="-3"),
            "第3个维度“为民服务”的第1项指标“居民诉求回应”的分值不能为负数。",
        ),
        (
            lambda d: d["dimensions"][1]["indicators"][1].update(evidence_source="别处"),
            "第2个维度“依法自治”的第2项指标“居务公开和民主监督”的平台数据来源的取值不在允许范围内。",
        ),
        (
            lambda d: d["star_rules"][0].update(min_dimension_pct=120),
            "第1条星级标准的维度得分率应在 0 到 100 之间。",
        ),
        (lambda d: d.update(star_rules="5 | 450 | 80"), "星级标准应为列表。"),
        (lambda d: d.update(year=1999), "年度应在 2000 至 2100 之间。"),
    ],
)
def test_bad_values_are_refused_naming_their_place_in_chinese(users, scheme_data, change, message):
    change(scheme_data)
    with pytest.raises(DomainError) as exc:
        save(users, scheme_data)
    assert exc.value.message == message and exc.value.status == 400
    assert not Scheme.objects.exists()


def test_every_wrong_row_is_named(scheme_data):
    scheme_data["dimensions"][0]["max_points"] = "一百"
    scheme_data["dimensions"][3]["indicators"][0]["max_points"] = ""
    form = SchemeSchema(data=scheme_data)
    assert not form.is_valid()
    assert form.errors["dimensions"] == [
        "第1个维度“党建引领”的满分应为数字。",
        "第4个维度“依法协助”的第1项指标“清单内协助事项”：请填写分值。",
    ]


def test_only_the_city_admin_edits_schemes(users, scheme_data):
    with pytest.raises(PermissionDeniedError):
        services.scheme_save(actor=users["hexi_official"], data=SchemeSchema.parse(scheme_data))
    assert not Scheme.objects.exists()


def test_published_scheme_is_locked_and_next_year_starts_as_a_copy(users, scheme_data):
    scheme = save(users, scheme_data)
    services.scheme_publish(actor=users["city_admin"], scheme_id=scheme.pk)
    with pytest.raises(ConflictError, match="锁定"):
        save(users, scheme_data, scheme_id=scheme.pk)
    with pytest.raises(ConflictError):
        services.scheme_publish(actor=users["city_admin"], scheme_id=scheme.pk)
    copy = services.scheme_copy(actor=users["city_admin"], scheme_id=scheme.pk)
    assert copy.year == 2031 and copy.status == SchemeStatus.DRAFT and copy.based_on == scheme
    assert Indicator.objects.filter(dimension__scheme=copy).count() == 18
    # the draft copy can be edited
    data = services.scheme_as_input(copy)
    first = data.dimensions[0]
    changed = dataclasses.replace(
        first, indicators=[dataclasses.replace(first.indicators[0], guidance="新指引"), *first.indicators[1:]]
    )
    data = dataclasses.replace(data, dimensions=[changed, *data.dimensions[1:]])
    services.scheme_save(actor=users["city_admin"], data=data, scheme_id=copy.pk)
    assert Indicator.objects.filter(dimension__scheme=copy, guidance="新指引").exists()


# ——— through the UI form ———

GOOD_TEXT = """# 党建引领 | 250
- 社区党组织建设 | 150 | 按期换届 | 会议记录
- 党员教育管理 | 100 | 学习教育 | 学习记录
# 为民服务 | 250
- 居民诉求回应 | 150 | 按时答复 | 诉求记录
- 证明出具规范 | 100 | 按时办结 | 平台数据 | 证明
"""
RULES_TEXT = "5 | 450 | 80\n4 | 400 | 70\n3 | 350 | 60\n2 | 300 | 50\n1 | 250 | 40"


def post_scheme(page_client, dimensions, total=500):
    return page_client("city_admin").post(
        "/evaluations/schemes/new/",
        {
            "year": 2030,
            "title": "2030年度方案",
            "total_points": total,
            "dimensions": dimensions,
            "star_rules": RULES_TEXT,
        },
    )


def test_ui_form_saves_a_valid_scheme(page_client):
    r = post_scheme(page_client, GOOD_TEXT)
    assert r.status_code == 302
    scheme = Scheme.objects.get(year=2030)
    assert Indicator.objects.filter(dimension__scheme=scheme, evidence_source="certificates").count() == 1


def test_ui_form_refuses_a_veto_indicator(page_client):
    text = GOOD_TEXT + ""
    text = text.replace(
        "- 党员教育管理 | 100 | 学习教育 | 学习记录",
        "- 党员教育管理 | 100 | 学习教育 | 学习记录 | | 不达标即总分清零",
    )
    r = post_scheme(page_client, text)
    assert r.status_code == 200
    body = r.content.decode()
    assert "一票否决" in body and "方案未保存" in body
    assert not Scheme.objects.exists()


def test_ui_form_refuses_veto_wording(page_client):
    r = post_scheme(page_client, GOOD_TEXT.replace("按时答复", "诉求未按时答复的实行一票否决"))
    assert r.status_code == 200 and "否决性表述" in r.content.decode()
    assert not Scheme.objects.exists()


def test_ui_form_refuses_wrong_totals(page_client):
    r = post_scheme(page_client, GOOD_TEXT.replace("- 党员教育管理 | 100", "- 党员教育管理 | 90"))
    assert r.status_code == 200 and "不一致" in r.content.decode()
    r = post_scheme(page_client, GOOD_TEXT, total=480)
    assert "各维度满分合计 500" in r.content.decode()
    assert not Scheme.objects.exists()


def test_ui_form_reports_the_bad_line(page_client):
    r = post_scheme(page_client, "党建引领 100\n- 指标 | 100")
    assert r.status_code == 200 and "第1行" in r.content.decode()
    assert not Scheme.objects.exists()


def test_published_scheme_edit_page_refuses(page_client, published_scheme):
    r = page_client("city_admin").get(f"/evaluations/schemes/{published_scheme.pk}/edit/")
    assert r.status_code == 302
    r = page_client("city_admin").post(
        f"/evaluations/schemes/{published_scheme.pk}/edit/",
        {"year": 2026, "title": "改", "total_points": 500, "dimensions": GOOD_TEXT, "star_rules": RULES_TEXT},
    )
    assert r.status_code == 302
    published_scheme.refresh_from_db()
    assert published_scheme.title == "2026年度测试方案"


def test_ui_form_names_the_dimension_of_a_bad_number(page_client):
    r = post_scheme(page_client, GOOD_TEXT.replace("# 为民服务 | 250", "# 为民服务 | 二百五"))
    assert r.status_code == 200
    assert "第2个维度“为民服务”的满分应为数字。" in r.content.decode()
    r = post_scheme(page_client, GOOD_TEXT.replace("- 党员教育管理 | 100", "- 党员教育管理 | 99.95"))
    assert "第1个维度“党建引领”的第2项指标“党员教育管理”的分值最多保留一位小数。" in r.content.decode()
    assert not Scheme.objects.exists()


def test_edit_page_shows_the_saved_draft_as_its_lines(page_client):
    assert post_scheme(page_client, GOOD_TEXT).status_code == 302
    scheme = Scheme.objects.get(year=2030)
    page = page_client("city_admin").get(f"/evaluations/schemes/{scheme.pk}/edit/").content.decode()
    assert "# 党建引领 | 250.0\n- 社区党组织建设 | 150.0 | 按期换届 | 会议记录" in page
    assert "- 证明出具规范 | 100.0 | 按时办结 | 平台数据 | 证明" in page
    assert "5 | 450.0 | 80\n4 | 400.0 | 70" in page
