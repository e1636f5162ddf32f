"""portal.schemas: one declaration per service input gives the page's form, the API's check and the typed value."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import pkgutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.http import QueryDict

from portal import schemas
from portal.errors import DomainError


@dataclasses.dataclass(frozen=True, kw_only=True)
class PlanInput:
    name: str
    note: str
    budget: Decimal | None
    starts: date
    urgent: bool
    places: list[str]
    kind: str


class PlanSchema(schemas.Schema[PlanInput]):
    name = schemas.text("计划名称", required=True, max_length=10, label="计划名称（10 字以内）")
    note = schemas.text("说明")
    budget = schemas.decimal("预算", decimal_places=2)
    starts = schemas.day("开始日期")
    urgent = schemas.boolean("加急")
    places = schemas.codes("范围", required=True)
    kind = schemas.choice("类型", [("a", "甲"), ("b", "乙")])

    def clean(self):
        data = super().clean()
        if data.get("kind") == "b" and not data.get("note"):
            self.add_error("note", "乙类计划须写明说明。")
        return data


class StrictPlanSchema(PlanSchema):
    message = "计划内容有误，请检查标出的字段。"


GOOD = {
    "name": "  春季巡查 ",
    "budget": "12.50",
    "starts": "2027-03-01",
    "urgent": "off",
    "places": "120103001001，120103001002 120103001001",
    "kind": "a",
}


def test_valid_input_becomes_the_typed_frozen_value():
    value = PlanSchema.parse(GOOD)
    assert value == PlanInput(
        name="春季巡查",
        note="",
        budget=Decimal("12.50"),
        starts=date(2027, 3, 1),
        urgent=False,
        places=["120103001001", "120103001002"],
        kind="a",
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        value.name = "x"  # type: ignore[misc]


def test_json_values_are_read_as_json():
    value = PlanSchema.parse({**GOOD, "budget": 7, "urgent": True, "places": ["120103001001"]})
    assert value.budget == Decimal("7") and value.urgent is True and value.places == ["120103001001"]


def test_every_wrong_field_is_named_in_chinese_and_the_refusal_is_a_400():
    with pytest.raises(DomainError) as exc:
        PlanSchema.parse(
            {"name": "一二三四五六七八九十一", "budget": "-1", "starts": "2027/03/01", "kind": "c"}
        )
    assert exc.value.status == 400 and exc.value.code == "invalid"
    assert exc.value.message == schemas.DEFAULT_MESSAGE
    assert exc.value.fields == {
        "name": "计划名称不能超过 10 个字。",
        "budget": "预算不能为负数。",
        "starts": "开始日期格式应为 YYYY-MM-DD。",
        "places": "请选择范围。",
        "kind": "类型的取值不在允许范围内。",
    }


def test_a_schema_may_name_its_own_refusal_and_one_wrong_field_is_its_own_sentence():
    with pytest.raises(DomainError) as exc:
        StrictPlanSchema.parse({**GOOD, "budget": "abc", "name": ""})
    assert exc.value.message == "计划内容有误，请检查标出的字段。"
    assert exc.value.fields == {"name": "请填写计划名称。", "budget": "预算应为数字。"}
    with pytest.raises(DomainError) as exc:
        PlanSchema.parse({**GOOD, "budget": "1.234"})
    assert exc.value.message == "预算最多保留 2 位小数。"


def test_a_schema_with_a_prefix_names_every_wrong_field_in_its_sentence():
    class ListingPlanSchema(PlanSchema):
        refusal_prefix = "计划未保存："

    with pytest.raises(DomainError) as exc:
        ListingPlanSchema.parse({**GOOD, "budget": "abc", "name": ""})
    assert exc.value.message == "计划未保存：请填写计划名称；预算应为数字。"
    assert exc.value.fields == {"name": "请填写计划名称。", "budget": "预算应为数字。"}


def test_a_fixed_number_has_exactly_its_decimals_and_more_are_still_refused():
    points = schemas.decimal("分值", decimal_places=1, fixed=True)
    assert str(points.clean("20")) == "20.0" and str(points.clean(7)) == "7.0"
    assert points.clean("") is None
    with pytest.raises(forms.ValidationError) as exc:
        points.clean("1.25")
    assert exc.value.messages == ["分值最多保留 1 位小数。"]
    assert str(schemas.decimal("预算", decimal_places=2).clean("12.5")) == "12.5"


def test_cross_field_rules_live_in_the_schema():
    with pytest.raises(DomainError) as exc:
        PlanSchema.parse({**GOOD, "kind": "b"})
    assert exc.value.fields == {"note": "乙类计划须写明说明。"}


@pytest.mark.parametrize(
    "field, wrong, message",
    [
        ("name", ["春季巡查"], "计划名称应为文本。"),
        ("name", 12, "计划名称应为文本。"),
        ("budget", True, "预算应为数字。"),
        ("budget", [1], "预算应为数字。"),
        ("starts", 20270301, "开始日期格式应为 YYYY-MM-DD。"),
        ("urgent", {"yes": 1}, "加急应为 true 或 false。"),
        ("places", {"a": 1}, "范围应为代码列表。"),
        ("places", [["120103"]], "范围应为代码列表。"),
        ("kind", 1, "类型的取值不在允许范围内。"),
    ],
)
def test_a_wrong_json_type_is_refused_not_turned_into_text(field, wrong, message):
    with pytest.raises(DomainError) as exc:
        PlanSchema.parse({**GOOD, field: wrong})
    assert exc.value.fields == {field: message}


def test_a_body_that_is_not_an_object_is_refused():
    with pytest.raises(DomainError) as exc:
        PlanSchema.parse(["name"])  # type: ignore[arg-type]
    assert exc.value.status == 400 and "JSON 对象" in exc.value.message


def test_the_page_form_is_the_schema_and_gives_the_same_messages():
    class PlanForm(PlanSchema):
        attachment = forms.FileField(label="附件", required=False)

    data = QueryDict(mutable=True)
    data.update({"name": "", "budget": "abc", "starts": "2027-03-01", "kind": "a", "urgent": "on"})
    data.setlist("places", ["120103001001", "120103001002"])
    form = PlanForm(data)
    assert not form.is_valid()
    assert form.errors["name"] == ["请填写计划名称。"] and form.errors["budget"] == ["预算应为数字。"]
    html = form.as_div()
    assert "计划名称（10 字以内）" in html and 'maxlength="10"' in html and 'type="date"' in html
    data["name"], data["budget"] = "春季巡查", "3"
    value = PlanForm(data).value()
    assert value.urgent is True and value.places == ["120103001001", "120103001002"]


def test_the_api_body_documents_the_fields_and_lets_any_object_through_to_the_one_check():
    class PlanIn(schemas.Body):
        input_schema = PlanSchema

    doc = PlanIn.model_json_schema()
    assert doc["required"] == ["name", "starts", "places", "kind"]
    assert doc["properties"]["name"] == {"type": "string", "maxLength": 10, "title": "计划名称（10 字以内）"}
    assert doc["properties"]["starts"]["format"] == "date"
    assert doc["properties"]["places"]["type"] == "array"
    assert doc["properties"]["kind"]["enum"] == ["a", "b"]
    assert doc["properties"]["urgent"] == {"type": "boolean", "title": "加急"}
    body = PlanIn.model_validate({**GOOD, "unknown": 1})
    assert PlanSchema.parse(body).name == "春季巡查"


def test_the_value_of_a_schema_must_be_a_frozen_dataclass():
    @dataclasses.dataclass
    class Loose:
        name: str

    with pytest.raises(TypeError):

        class LooseSchema(schemas.Schema[Loose]):
            name = schemas.text("名称")


def test_lines_are_one_entry_a_line_in_a_text_box_or_a_json_list():
    materials = schemas.lines("所需材料", max_items=3, max_item_length=6)
    assert materials.clean(" 户口簿 原件\r\n\n身份证\n户口簿 原件 ") == ["户口簿 原件", "身份证"]
    assert materials.clean(["身份证", " 结婚证 "]) == ["身份证", "结婚证"]
    assert materials.clean("") == []
    for wrong, message in (
        ("一\n二\n三\n四", "所需材料过多（最多 3 项）。"),
        ("七个字的材料名", "所需材料每项不能超过 6 个字。"),
        ({"a": 1}, "所需材料应为文本列表。"),
    ):
        with pytest.raises(forms.ValidationError) as exc:
            materials.clean(wrong)
        assert exc.value.messages == [message]
    # the page shows the list one entry a line
    assert materials.prepare_value(["身份证", "结婚证"]) == "身份证\n结婚证"
    assert "<textarea" in materials.widget.render("m", materials.prepare_value(["身份证"]))


# ── Lists of rows ─────────────────────────────────────────────────────────────────────────────────


@dataclasses.dataclass(frozen=True, kw_only=True)
class StopInput:
    place: str
    minutes: int


class StopSchema(schemas.Schema[StopInput]):
    place = schemas.text("地点", required=True, max_length=10)
    minutes = schemas.integer("停留时间", required=True, min_value=1)


@dataclasses.dataclass(frozen=True, kw_only=True)
class DayInput:
    title: str
    stops: list[StopInput]


class DaySchema(schemas.Schema[DayInput]):
    title = schemas.text("日程名称", required=True)
    stops = schemas.rows("站点", StopSchema, position="第{n}站", named_by="place", required=True)


@dataclasses.dataclass(frozen=True, kw_only=True)
class TourInput:
    name: str
    days: list[DayInput]


class TourSchema(schemas.Schema[TourInput]):
    name = schemas.text("线路名称", required=True)
    days = schemas.rows("日程", DaySchema, position="第{n}天", named_by="title", max_items=3)


TOUR = {
    "name": "巡查线路",
    "days": [
        {
            "title": "河西",
            "stops": [{"place": "友谊路", "minutes": "30"}, {"place": "解放南路", "minutes": 45}],
        },
        {"title": "南开", "stops": [{"place": "鞍山西道", "minutes": 20}]},
    ],
}


def test_rows_become_typed_values_inside_the_typed_value():
    value = TourSchema.parse(TOUR)
    assert value.days[0] == DayInput(
        title="河西", stops=[StopInput(place="友谊路", minutes=30), StopInput(place="解放南路", minutes=45)]
    )
    assert value.days[1].stops == [StopInput(place="鞍山西道", minutes=20)]


def test_a_wrong_row_is_named_by_its_place_and_name_in_chinese():
    bad = {
        "name": "巡查线路",
        "days": [
            {"title": "河西", "stops": [{"place": "友谊路", "minutes": "半小时"}, {"minutes": 0}]},
            {"title": "", "stops": []},
        ],
    }
    with pytest.raises(DomainError) as exc:
        TourSchema.parse(bad)
    assert exc.value.message == "第1天“河西”的第1站“友谊路”的停留时间应为整数。"
    form = TourSchema(data=bad)
    assert not form.is_valid()
    assert form.errors["days"] == [
        "第1天“河西”的第1站“友谊路”的停留时间应为整数。",
        "第1天“河西”的第2站：请填写地点。",
        "第1天“河西”的第2站的停留时间不能小于 1。",
        "第2天：请填写日程名称。",
        "第2天：请填写站点。",
    ]


def test_a_wrong_row_changes_nothing_in_the_others_and_the_whole_input_is_refused():
    rows = [dict(TOUR["days"][0]), {"title": "南开", "stops": [{"place": "鞍山西道", "minutes": -5}]}]
    with pytest.raises(DomainError) as exc:
        TourSchema.parse({**TOUR, "days": rows})
    assert exc.value.fields == {"days": "第2天“南开”的第1站“鞍山西道”的停留时间不能小于 1。"}


@pytest.mark.parametrize(
    "days, message",
    [
        ("河西", "日程应为列表。"),
        ({"title": "河西"}, "日程应为列表。"),
        (["河西"], "第1天应为 JSON 对象。"),
        ([TOUR["days"][0]] * 4, "日程过多（最多 3 个）。"),
        ([{"title": "河西", "stops": "友谊路"}], "第1天“河西”的站点应为列表。"),
    ],
)
def test_rows_of_the_wrong_shape_are_refused(days, message):
    with pytest.raises(DomainError) as exc:
        TourSchema.parse({**TOUR, "days": days})
    assert exc.value.fields == {"days": message}


def test_a_page_may_edit_rows_as_text_lines():
    def parse(text):
        out = []
        for n, line in enumerate(text.splitlines(), start=1):
            place, _, minutes = line.partition("|")
            if not minutes:
                raise forms.ValidationError(f"第{n}行应为“地点 | 分钟”。")
            out.append({"place": place.strip(), "minutes": minutes.strip()})
        return out

    class DayForm(DaySchema):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            field = self.fields["stops"]
            field.widget = forms.Textarea()
            field.parse_text = parse
            field.render_text = lambda stops: "\n".join(f"{s.place} | {s.minutes}" for s in stops)

    value = DayForm({"title": "河西", "stops": "友谊路 | 30\n解放南路 | 45"}).value()
    assert value.stops == [StopInput(place="友谊路", minutes=30), StopInput(place="解放南路", minutes=45)]
    form = DayForm({"title": "河西", "stops": "友谊路 30"})
    assert not form.is_valid() and form.errors["stops"] == ["第1行应为“地点 | 分钟”。"]
    form = DayForm({"title": "河西", "stops": "友谊路 | 0"})
    assert not form.is_valid() and form.errors["stops"] == ["第1站“友谊路”的停留时间不能小于 1。"]
    shown = DayForm(initial={"stops": value.stops}).as_div()
    assert "友谊路 | 30\n解放南路 | 45" in shown and "<textarea" in shown


def test_the_api_body_documents_the_rows():
    class TourIn(schemas.Body):
        input_schema = TourSchema

    days = TourIn.model_json_schema()["properties"]["days"]
    assert days["type"] == "array" and days["maxItems"] == 3
    assert days["items"]["required"] == ["title", "stops"]
    stops = days["items"]["properties"]["stops"]
    assert stops["items"]["properties"]["minutes"]["anyOf"][0] == {"type": "integer", "minimum": 1}


# ── The hand-written input helpers do not come back ─────────────────────────────────────────────────

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "portal",
    "admission",
    "checklists",
    "certificates",
    "evaluations",
    "taskcheck",
    "supervision",
    "reports",
)
#: the helpers each service module once wrote by hand; a schema in ``<app>/schemas.py`` replaces them
OLD_HELPERS = {"_clean", "_decimal", "_date", "_text", "_int", "_bool", "_choice"}
#: modules still to be moved onto schemas (issue 12.4); the list only shrinks
NOT_YET: dict[str, set[str]] = {}


def _input_modules():
    for app in APPS:
        for name in ("services", "api", "views"):
            path = ROOT / app / name
            if (ROOT / app / f"{name}.py").exists():
                yield f"{app}.{name}", ROOT / app / f"{name}.py"
            elif path.is_dir():
                for info in pkgutil.iter_modules([str(path)]):
                    yield f"{app}.{name}.{info.name}", path / f"{info.name}.py"
    for info in pkgutil.iter_modules([str(ROOT / "portal" / "api")]):
        yield f"portal.api.{info.name}", ROOT / "portal" / "api" / f"{info.name}.py"


def test_no_service_api_or_view_module_checks_input_by_hand():
    found = {}
    for module, path in _input_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef) and node.name in OLD_HELPERS
        }
        if names:
            found[module] = names
    assert found == NOT_YET, "input is checked by a schema (portal.schemas), not by hand-written helpers"
    assert "admission.services.inputs" in dict(_input_modules())
    for module in NOT_YET:
        importlib.import_module(module)
