"""Messages that tell the truth: what the department reads matches what happened."""

from taskcheck.engine import TaskVerdict


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_a_submission_refused_at_once_does_not_say_submitted(flow, page_client, monkeypatch):
    import taskcheck.engine

    monkeypatch.setattr(
        taskcheck.engine,
        "evaluate_task",
        lambda **kw: TaskVerdict(
            verdict="prohibited",
            reason="居委会不得作为行政执法的责任主体。",
            clause="津民发〔2019〕35号 三（一）",
        ),
    )
    req = flow.create(title="社区负责违章建筑行政执法")
    client = page_client("hexi_health")
    r = client.post(f"/admission/{req.pk}/submit/", follow=True)
    html = r.content.decode()
    assert "进入征求意见阶段" not in html
    assert "未予准入" in html and "行政执法" in html
    assert 'class="msg msg-error"' in html


def test_a_normal_submission_says_it_entered_consultation(flow, page_client):
    req = flow.create()
    r = page_client("hexi_health").post(f"/admission/{req.pk}/submit/", follow=True)
    assert "申请已提交，进入征求意见阶段。" in r.content.decode()


def test_dashboard_never_says_nothing_to_do_beside_a_waiting_request(flow, page_client, users):
    from portal.models import Notification

    req = flow.submitted()
    flow.answer_all(req)  # now the district official reviews it
    Notification.objects.all().delete()  # even without an inbox notification
    html = page_client("hexi_official").get("/dashboard/").content.decode()
    assert 'data-testid="work-list"' in html and "准入申请待我办理" in html
    assert "暂无待办事项" not in html
