"""Refusal figures for the burden reports."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from taskcheck.models import Refusal
from taskcheck.selectors import refusal_counts
from taskcheck.services import check_input, refusal_record
from tests.taskcheck.conftest import HOME


@pytest.fixture
def refused(demo, reference_lists, users):
    def make(title, username="community_staff", code=HOME):
        return refusal_record(actor=users[username], data=check_input(community=code, title=title))

    return make


def test_refusal_counts_by_org_and_period(refused, org):
    refused("由社区负责辖区违建拆除")
    refused("请各社区建立辖区商铺信息台账")
    refused("协助推广社区团购平台", username="community_staff2", code="120103001002")
    old = refused("请社区代收辖区居民有线电视费")
    Refusal.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    today = timezone.localdate()
    year_ago = today - timedelta(days=365)
    assert refusal_counts(org=org(HOME), date_from=year_ago, date_to=today) == {
        "total": 2,
        "prohibited": 1,
        "not_admitted": 1,
        "by_category": {"unapproved_task": 1, "extra_ledgers": 1},
    }
    street = refusal_counts(org=org("120103001000"), date_from=year_ago, date_to=today)
    assert street["total"] == 3 and street["not_admitted"] == 2
    assert refusal_counts(org=org("120103"))["total"] == 4
    assert refusal_counts(org=org("120104"), date_from=year_ago, date_to=today)["total"] == 0


def test_notice_numbers_count_per_community_and_year(refused):
    a = refused("由社区负责辖区违建拆除")
    b = refused("请社区代收辖区居民有线电视费")
    year = timezone.localdate().year
    assert a.notice_no == f"拒告〔{year}〕{HOME}-0001" and b.notice_no == f"拒告〔{year}〕{HOME}-0002"
    assert a.verify_code != b.verify_code
