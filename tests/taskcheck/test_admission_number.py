"""An admission number covers only its own task (issue 9.1): no laundering of other work through a valid number."""

from __future__ import annotations

import pytest

from taskcheck.engine import ADMITTED, NOT_ADMITTED, ON_LIST, PROHIBITED, evaluate_task
from tests.taskcheck.conftest import HOME, NEIGHBOUR, OTHER_STREET, community

pytestmark = [pytest.mark.django_db, pytest.mark.policy("三（二）-3")]

ELEVATOR = "津河西准〔2026〕3号"  # 老旧小区加装电梯居民意愿征询, 河西区住房和建设委员会, HOME + NEIGHBOUR
MEDICAL = "津河西准〔2026〕5号"  # 城乡居民医疗保险参保动员, 河西区医疗保障局, all three
HEATING = "津河西准〔2026〕2号"  # expired
GROUP_BUY = "津河西准〔2026〕9号"  # revoked


def check(title, number, *, code=HOME, department="", description=""):
    return evaluate_task(
        title=title,
        description=description,
        community=community(code),
        admission_no=number,
        department=department,
    )


@pytest.mark.parametrize(
    "title",
    [
        "每日在微信群打卡签到并上报截图",
        "组织居民下载购物APP并上报注册人数",
        "统计辖区快递驿站数量",
        "组织居民参加楼盘推介会",
        "协助推广社区团购平台",
    ],
)
def test_a_valid_number_does_not_admit_an_unrelated_task(reference_lists, title):
    v = check(title, ELEVATOR)
    assert v.verdict == NOT_ADMITTED, v.reason
    assert f"准入编号“{ELEVATOR}”" in v.reason and "不构成准入" in v.reason
    assert "老旧小区加装电梯居民意愿征询" in v.reason  # it says which task the number was given for
    assert v.admission["covers_task"] is False


def test_the_answer_is_what_it_would_be_without_the_number(reference_lists):
    plain = check("协助开展人口普查入户登记", "")
    with_number = check("协助开展人口普查入户登记", ELEVATOR)
    assert plain.verdict == with_number.verdict == ON_LIST
    assert with_number.matched_item["id"] == plain.matched_item["id"]
    assert "不构成准入" in with_number.reason


def test_barred_work_stays_barred_with_any_number(reference_lists):
    assert check("由社区负责辖区违建拆除", ELEVATOR).verdict == PROHIBITED
    assert check("社区负责辖区占道经营执法", MEDICAL).verdict == PROHIBITED


def test_the_admitted_task_itself_is_admitted(reference_lists):
    v = check("加装电梯意愿征询", ELEVATOR)
    assert v.verdict == ADMITTED and v.admission["admission_no"] == ELEVATOR
    v = check("城乡居民医保参保宣传动员", MEDICAL, code=OTHER_STREET)
    assert v.verdict == ADMITTED


def test_outside_the_scope_the_number_says_so(reference_lists):
    v = check("加装电梯意愿征询", ELEVATOR, code=OTHER_STREET)
    assert v.verdict == NOT_ADMITTED
    assert "适用范围不包括本社区" in v.reason


def test_another_department_cannot_use_the_number(reference_lists):
    v = check("加装电梯意愿征询", ELEVATOR, department="河西区商务局")
    assert v.verdict == NOT_ADMITTED
    assert "河西区住房和建设委员会" in v.reason and "河西区商务局" in v.reason
    # the requesting department, abbreviated as staff write it, is the same department
    assert check("加装电梯意愿征询", ELEVATOR, department="区住建委").verdict == ADMITTED
    assert check("加装电梯意愿征询", ELEVATOR, department="河西区住房和建设委员会").verdict == ADMITTED


def test_revoked_and_expired_numbers_say_so(reference_lists):
    v = check("社区团购平台推广", GROUP_BUY)
    assert v.verdict == NOT_ADMITTED and "已被撤销" in v.reason
    v = check("冬季供热温度入户测温协助", HEATING)
    assert v.verdict == NOT_ADMITTED and "已过有效期" in v.reason


def test_an_unknown_number_says_so(reference_lists):
    v = check("协助推广社区团购平台", "津河西准〔2026〕999号")
    assert v.verdict == NOT_ADMITTED and "查无此号" in v.reason


def test_a_number_written_into_the_text_is_read_the_same_way(reference_lists):
    v = check("每日在微信群打卡签到（津河西准〔2026〕3号）", "")
    assert v.verdict == NOT_ADMITTED and "不构成准入" in v.reason
    v = check("加装电梯意愿征询（津河西准〔2026〕3号）", "", code=NEIGHBOUR)
    assert v.verdict == ADMITTED


def test_the_api_answers_the_same(demo, reference_lists, api):
    r = api().post(
        "/api/v1/task-check",
        {"community": HOME, "title": "每日在微信群打卡签到并上报截图", "admission_no": ELEVATOR},
    )
    assert r.status_code == 200
    body = r.json()
    assert body["verdict"] == NOT_ADMITTED and "不构成准入" in body["reason"]
