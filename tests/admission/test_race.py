"""One decision under a race: real concurrent HTTP requests from threads, each with its own DB connection.

Runs on the embedded default (SQLite) and, marked ``postgres``, on PostgreSQL where SELECT … FOR UPDATE does
the locking.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from admission.models import HistoryEntry, TaskRequest

BASE = "/api/v1/task-requests"


def _run_concurrently(calls):
    """Start every call at the same moment (barrier) in its own thread; return their responses."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(i, fn):
        try:
            if connection.vendor == "sqlite":
                # The test database is SQLite's shared-cache in-memory DB, whose table locks fail readers at once
                # (SQLITE_LOCKED) where the real file database in WAL mode lets them read. Let readers through;
                # writers still serialise (BEGIN IMMEDIATE) and the services retry a locked write.
                connections["default"].cursor().execute("PRAGMA read_uncommitted = 1")
            barrier.wait(timeout=30)
            results[i] = fn()
        except Exception as exc:  # surfaced by the assertions below
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def _client(username):
    from tests.conftest import ApiClient

    return ApiClient(username)


def _second(role: str, code: str, username: str):
    from portal.models import OrgUnit, RoleAssignment, User

    user = User.objects.create(username=username, real_name="第二审批人")
    RoleAssignment.objects.create(user=user, role=role, org=OrgUnit.objects.get(code=code))
    return user


def _decisions_race(flow):
    req = flow.in_decision()
    _second("district_approver", "120103", "hexi_approver2")
    clients = [
        _client("hexi_approver"),
        _client("hexi_approver2"),
        _client("hexi_approver"),
        _client("hexi_approver2"),
    ]
    bodies = [
        {"decision": "approve"},
        {"decision": "reject", "comment": "不同意"},
        {"decision": "return", "comment": "请修改"},
        {"decision": "approve"},
    ]
    results = _run_concurrently(
        [
            (lambda c=c, b=b: c.post(f"{BASE}/{req.pk}/decision", b))
            for c, b in zip(clients, bodies, strict=True)
        ]
    )
    statuses = sorted(getattr(r, "status_code", repr(r)) for r in results)
    assert statuses == [200, 409, 409, 409], results
    for r in results:
        if r.status_code == 409:
            assert "已被他人处理" in r.json()["error"]["message"]
    final = TaskRequest.objects.get(pk=req.pk)
    decided = HistoryEntry.objects.filter(request=req, from_status="decision")
    assert decided.count() == 1 and decided.get().to_status == final.status


def _reviews_race(flow):
    req = flow.in_review()
    _second("district_official", "120103", "hexi_official2")
    bodies = [
        {"legality": "pass", "reasonableness": "pass"},
        {"legality": "fail", "reasonableness": "pass", "comment": "无依据"},
        {"legality": "pass", "reasonableness": "fail", "comment": "工作量过大"},
    ]
    names = ["hexi_official", "hexi_official2", "hexi_official"]
    clients = [_client(n) for n in names]
    results = _run_concurrently(
        [
            (lambda c=c, b=b: c.post(f"{BASE}/{req.pk}/review", b))
            for c, b in zip(clients, bodies, strict=True)
        ]
    )
    statuses = sorted(getattr(r, "status_code", repr(r)) for r in results)
    assert statuses == [200, 409, 409], results
    assert HistoryEntry.objects.filter(request=req, from_status="review").count() == 1


def _counter_race(flow):
    reqs = [flow.in_decision(title=f"并发编号事项{i}") for i in range(6)]
    clients = [_client("hexi_approver") for _ in reqs]
    results = _run_concurrently(
        [
            (lambda c=c, r=r: c.post(f"{BASE}/{r.pk}/decision", {"decision": "approve"}))
            for c, r in zip(clients, reqs, strict=True)
        ]
    )
    assert all(getattr(r, "status_code", None) == 200 for r in results), results
    year = timezone.localdate().year
    numbers = sorted(
        TaskRequest.objects.filter(pk__in=[r.pk for r in reqs]).values_list("admission_no", flat=True)
    )
    assert numbers == sorted(f"津河西准〔{year}〕{n}号" for n in range(1, 7))


@pytest.fixture
def race_flow(transactional_db, flow):
    return flow


def test_simultaneous_decisions_one_wins(race_flow):
    _decisions_race(race_flow)


def test_simultaneous_reviews_one_wins(race_flow):
    _reviews_race(race_flow)


def test_admission_numbers_gap_free_under_concurrency(race_flow):
    _counter_race(race_flow)


@pytest.mark.postgres
def test_simultaneous_decisions_one_wins_postgres(race_flow):
    assert connection.vendor == "postgresql"
    _decisions_race(race_flow)


@pytest.mark.postgres
def test_simultaneous_reviews_one_wins_postgres(race_flow):
    _reviews_race(race_flow)


@pytest.mark.postgres
def test_admission_numbers_gap_free_under_concurrency_postgres(race_flow):
    _counter_race(race_flow)
