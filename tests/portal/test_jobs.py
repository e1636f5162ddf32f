"""Background jobs: tasks enqueued on commit, kept in the outbox while Redis is down, sent by the sweeper,
run by a real worker; job records drive progress."""

import pytest
from django.core import mail
from django.db import transaction

from portal.jobs import enqueue, job_create, job_finish, job_progress, job_start, outbox_sweep
from portal.models import Job, Notification, OutboxMessage
from portal.services.notifications import notify, todos_done
from tests.conftest import wait_for


def test_nothing_is_sent_before_commit_and_eager_tasks_run_after(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(users=[users["hexi_official"]], kind="test", title="测试通知")
    message = OutboxMessage.objects.get()
    assert message.sent_at is None and len(mail.outbox) == 0
    for callback in callbacks:  # the commit: the outbox is sent (and the inbox's cached counts go)
        callback()
    message.refresh_from_db()
    assert message.sent_at is not None
    assert len(mail.outbox) == 1 and "测试通知" in mail.outbox[0].subject


def test_a_rolled_back_transaction_sends_nothing(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                notify(users=[users["hexi_official"]], kind="test", title="不会发出")
                raise RuntimeError("boom")
        except RuntimeError:
            pass
    assert not OutboxMessage.objects.exists() and len(mail.outbox) == 0


def test_email_task_is_idempotent(users, django_capture_on_commit_callbacks):
    from portal.tasks import send_notification_email

    with django_capture_on_commit_callbacks(execute=True):
        n = notify(users=[users["hexi_official"]], kind="test", title="只发一次")[0]
    send_notification_email(n.pk)
    send_notification_email(n.pk)
    assert len(mail.outbox) == 1


def test_work_accepted_while_the_broker_is_down_is_kept(
    users, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue("portal.tasks.send_notification_email", args=[12345])
    message = OutboxMessage.objects.get()
    assert message.sent_at is None and message.attempts == 1 and message.last_error
    assert outbox_sweep(older_than_seconds=0) == 0  # still down: kept, not lost
    assert OutboxMessage.objects.get().sent_at is None


@pytest.mark.redis
def test_sweeper_sends_kept_work_once_redis_answers(users, django_capture_on_commit_callbacks):
    import redis

    from portal.celery import app
    from tests.conftest import use_broker
    from tests.support.services import redis_url

    old = (app.conf.broker_url, app.conf.task_always_eager)
    use_broker("redis://127.0.0.1:6399/0")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            enqueue("portal.tasks.send_notification_email", args=[1])
            enqueue("portal.tasks.send_notification_email", args=[2])
        assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 2
        # A database no worker listens on, so the queue length shows exactly what the sweeper published.
        head, _, db = redis_url().rpartition("/")
        url = f"{head}/{(int(db) + 8) % 16}"  # another of the 16 databases than the test one
        client = redis.Redis.from_url(url)
        client.flushdb()
        use_broker(url)
        assert outbox_sweep(older_than_seconds=0) == 2
        assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 0
        assert client.llen("celery") == 2
        assert outbox_sweep(older_than_seconds=0) == 0  # nothing sent twice
    finally:
        use_broker(old[0], eager=old[1])


@pytest.mark.celery_worker
def test_a_real_worker_runs_the_task(users, celery_worker_process, broker_on_redis):
    user = users["hexi_official"]
    notify(users=[user], kind="test", title="由后台进程发送")  # transactional test: commits at once
    n = Notification.objects.get(title="由后台进程发送")
    wait_for(lambda: Notification.objects.filter(pk=n.pk, emailed_at__isnull=False).exists(), timeout=30)
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 0
    assert "portal.tasks.send_notification_email" in celery_worker_process.log.read_text()


def test_celery_is_configured_for_late_acks_and_requeue_on_worker_loss():
    from portal.celery import app
    from portal.tasks import TASK_DEFAULTS, send_notification_email

    assert app.conf.task_acks_late is True and app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert send_notification_email.acks_late and send_notification_email.reject_on_worker_lost
    assert TASK_DEFAULTS["retry_backoff"] and send_notification_email.max_retries == 8


def test_job_progress_lifecycle_and_status_page(users, page_client):
    job = job_create(kind="export", title="导出清单", requested_by=users["hexi_official"])
    assert job_start(job_id=job.pk).status == Job.Status.RUNNING
    job_progress(job_id=job.pk, progress=40, message="已处理 40%")
    r = page_client("hexi_official").get(f"/jobs/{job.pk}/status/")
    assert r.json()["progress"] == 40 and r.json()["message"] == "已处理 40%"
    page = page_client("hexi_official").get(f"/jobs/{job.pk}/").content.decode()
    assert "<progress" in page and 'data-job-status="/jobs/' in page
    job_finish(job_id=job.pk, file_name="list.csv", content="代码,名称\n".encode())
    data = page_client("hexi_official").get(f"/jobs/{job.pk}/status/").json()
    assert data["status"] == "done" and data["download_url"].endswith("/download/")
    assert job_start(job_id=job.pk) is None  # a duplicated delivery does not run it again
    r = page_client("hexi_official").get(data["download_url"])
    assert b"".join(r.streaming_content).decode() == "代码,名称\n"


def test_inbox_todos_are_closed_when_done(users, org, page_client):
    street = org("120103001000")
    notify(
        users=[users["street_staff"]],
        kind="opinion",
        title="请对某事项提出意见",
        todo=True,
        source=street,
        email=False,
    )
    badge = '<span class="badge">1</span>'
    assert "请对某事项提出意见" in page_client("street_staff").get("/dashboard/").content.decode()
    assert badge in page_client("street_staff").get("/lists/").content.decode()  # the menu's to-do badge
    assert todos_done(source=street) == 1
    # The inbox, the dashboard and the badge (cached until a notification changes) all see it closed at once.
    assert "请对某事项提出意见" not in page_client("street_staff").get("/inbox/").content.decode()
    assert "请对某事项提出意见" not in page_client("street_staff").get("/dashboard/").content.decode()
    assert badge not in page_client("street_staff").get("/lists/").content.decode()
    notify(
        users=[users["street_staff"]], kind="opinion", title="又一项", todo=True, source=street, email=False
    )
    assert badge in page_client("street_staff").get("/lists/").content.decode()


def test_job_page_updates_itself_and_stops_saying_in_progress_when_done(users, page_client):
    job = job_create(kind="export", title="导出清单", requested_by=users["hexi_official"])
    job_start(job_id=job.pk)
    job_progress(job_id=job.pk, progress=30, message="正在生成第 3 份")
    page = page_client("hexi_official").get(f"/jobs/{job.pk}/").content.decode()
    assert '<meta http-equiv="refresh"' in page  # without JavaScript the page refreshes while running
    assert "正在生成第 3 份" in page and "本页会自动更新" in page
    job_finish(job_id=job.pk, file_name="list.csv", content=b"x")
    page = page_client("hexi_official").get(f"/jobs/{job.pk}/").content.decode()
    assert "正在生成" not in page and '<meta http-equiv="refresh"' not in page
    assert 'data-testid="job-state">已完成' in page
    assert page_client("hexi_official").get(f"/jobs/{job.pk}/status/").json()["message"] == "已完成"


# --- Reconciliation from the database (issue 13.11) ----------------------------------------------------------


def _sent_message(users, title: str, *, ago: int, started: bool = False, beat_ago: int | None = None):
    """A notification e-mail accepted and marked sent ``ago`` seconds ago (its broker copy is gone)."""
    from datetime import timedelta

    from django.utils import timezone

    from portal.jobs import work_key

    n = Notification.objects.create(user=users["hexi_official"], kind="test", title=title)
    now = timezone.now()
    message = OutboxMessage.objects.create(
        task_name="portal.tasks.send_notification_email",
        args=[n.pk],
        key=work_key("portal.tasks.send_notification_email", [n.pk]),
        sent_at=now - timedelta(seconds=ago),
        task_id="lost-task-id",
        started_at=now - timedelta(seconds=ago) if started else None,
        heartbeat_at=now - timedelta(seconds=beat_ago) if beat_ago is not None else None,
        holder="worker-1:123:lost-task-id" if started else "",
    )
    return n, message


def _mails_to(title: str) -> int:
    return sum(1 for m in mail.outbox if title in m.subject or title in m.body)


def test_sent_work_that_never_started_and_left_the_broker_is_published_again(users, monkeypatch):
    from portal import jobs

    monkeypatch.setattr(jobs, "broker_task_ids", lambda: set())  # Redis restarted: its queue is empty
    n, message = _sent_message(users, "重启后补发", ago=120)
    counts = jobs.outbox_reconcile()
    assert counts["lost"] == 1
    message.refresh_from_db()
    assert message.done_at and message.republished == 1 and message.task_id != "lost-task-id"
    assert Notification.objects.get(pk=n.pk).emailed_at and _mails_to("重启后补发") == 1
    assert jobs.outbox_reconcile() == {"stalled": 0, "lost": 0, "missing": 0}  # done: never again


def test_work_still_waiting_in_the_broker_or_sent_a_moment_ago_is_left_alone(users, monkeypatch):
    from portal import jobs

    monkeypatch.setattr(jobs, "broker_task_ids", lambda: {"lost-task-id"})  # still queued behind others
    _, waiting = _sent_message(users, "排队中", ago=600)
    monkeypatch.setattr(jobs, "broker_task_ids", lambda: {"lost-task-id"})
    assert jobs.outbox_reconcile()["lost"] == 0
    waiting.delete()
    monkeypatch.setattr(jobs, "broker_task_ids", lambda: set())
    _, recent = _sent_message(users, "刚发出", ago=5)
    assert jobs.outbox_reconcile()["lost"] == 0
    recent.refresh_from_db()
    assert recent.republished == 0 and not recent.done_at and len(mail.outbox) == 0


def test_a_task_whose_worker_stopped_beating_is_published_again_but_a_slow_one_is_not(users, monkeypatch):
    from portal import jobs

    monkeypatch.setattr(jobs, "broker_task_ids", lambda: set())
    _, slow = _sent_message(users, "慢任务", ago=300, started=True, beat_ago=3)  # alive: heartbeat fresh
    _, killed = _sent_message(users, "被终止", ago=300, started=True, beat_ago=120)  # worker killed
    counts = jobs.outbox_reconcile()
    assert counts["stalled"] == 1
    slow.refresh_from_db()
    killed.refresh_from_db()
    assert slow.republished == 0 and not slow.done_at
    assert killed.republished == 1 and killed.done_at
    assert _mails_to("被终止") == 1 and _mails_to("慢任务") == 0


def test_a_second_delivery_while_a_live_worker_holds_the_lease_does_nothing(users):
    from portal.tasks import send_notification_email

    _, message = _sent_message(users, "重复投递", ago=30, started=True, beat_ago=2)
    send_notification_email.apply(args=[message.args[0]])  # a redelivery of the same work
    assert _mails_to("重复投递") == 0
    message.refresh_from_db()
    assert message.holder == "worker-1:123:lost-task-id" and not message.done_at
    # Once that worker is gone (no heartbeat past the timeout) the next delivery takes over and finishes.
    OutboxMessage.objects.filter(pk=message.pk).update(heartbeat_at=message.heartbeat_at.replace(year=2000))
    send_notification_email.apply(args=[message.args[0]])
    assert _mails_to("重复投递") == 1
    message.refresh_from_db()
    assert message.done_at and not message.holder


def test_a_job_whose_worker_died_is_rendered_again_by_the_domain_reconciler(
    users, monkeypatch, django_capture_on_commit_callbacks
):
    """A report job stuck in 排队中/进行中 with no open outbox row (its message was lost) is ordered again."""
    from datetime import timedelta

    from django.utils import timezone

    from portal import jobs

    calls = []
    monkeypatch.setattr(jobs, "_reconcilers", {"test.jobs": jobs.job_finder("test.", "test.tasks.render")})
    monkeypatch.setattr(jobs, "outbox_publish", lambda *, message_id: calls.append(message_id) or True)
    job = job_create(kind="test.report", title="月报", requested_by=users["hexi_official"])
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, created_at=timezone.now() - timedelta(hours=1)
    )
    fresh = job_create(kind="test.report", title="刚下单", requested_by=users["hexi_official"])
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.outbox_reconcile()["missing"] == 1
    row = OutboxMessage.objects.get(task_name="test.tasks.render")
    assert row.args == [str(job.pk)] and calls == [row.pk]
    assert not OutboxMessage.objects.filter(args=[str(fresh.pk)]).exists()
    assert jobs.outbox_reconcile()["missing"] == 0  # its row is open now: not ordered twice


def test_outbox_sweep_command_reports_what_it_published_again(users, monkeypatch):
    from io import StringIO

    from django.core.management import call_command

    from portal import jobs

    monkeypatch.setattr(jobs, "broker_task_ids", lambda: set())
    _sent_message(users, "命令补发", ago=120)
    out = StringIO()
    call_command("outbox_sweep", stdout=out)
    assert "队列中丢失 1 个" in out.getvalue()
    assert _mails_to("命令补发") == 1
