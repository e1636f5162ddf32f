"""Permission matrices of every page and endpoint of the star rating (anonymous, wrong role, out of scope, in scope)."""

import pytest

from evaluations.models import AppraisalEntry, Assessment, Cycle, Rectification, Scheme, Score
from tests.support.permissions import Access, check_matrix

STAFF = ["community_staff", "street_staff", "hexi_official", "city_admin"]
OUTSIDERS = ["resident", "hexi_health", "city_approver", "city_stats"]


@pytest.fixture
def objs(eval_demo):
    mine = Assessment.objects.get(cycle__year=2026, community__code="120103001001")
    return {
        "mine": mine,
        "published": Assessment.objects.get(cycle__year=2025, community__code="120103001001"),
        "rect": Rectification.objects.get(assessment__cycle__year=2025, community__code="120103003001"),
        "scheme": Scheme.objects.get(year=2026),
        "cycle": Cycle.objects.get(year=2026),
        "entry": AppraisalEntry.objects.get(name="文明社区"),
    }


@pytest.mark.parametrize(
    "url",
    ["/evaluations/results/", "/evaluations/results/?year=2024&district=120103", "/evaluations/whitelist/"],
)
def test_public_pages(eval_demo, url):
    check_matrix(Access(url=url), allowed=STAFF + OUTSIDERS, anonymous="ok")


@pytest.mark.parametrize(
    "url", ["/api/v1/evaluations/results?year=2025&district=120103", "/api/v1/evaluations/whitelist"]
)
def test_public_api(eval_demo, url):
    check_matrix(Access(url=url, api=True), allowed=STAFF + OUTSIDERS, anonymous="ok")


def test_index(eval_demo):
    check_matrix(
        Access(url="/evaluations/"), allowed=STAFF + ["nankai_official", "community_staff2"], denied=OUTSIDERS
    )


def test_assessment_detail(objs):
    pk = objs["mine"].pk
    check_matrix(
        Access(url=f"/evaluations/assessments/{pk}/"),
        allowed=STAFF,
        denied=["community_staff2", "nankai_official"] + OUTSIDERS,
    )


def test_published_assessment_detail(objs):
    check_matrix(
        Access(url=f"/evaluations/assessments/{objs['published'].pk}/"),
        allowed=STAFF,
        denied=["community_staff2", "nankai_official"] + OUTSIDERS,
    )


@pytest.mark.parametrize("action", ["scores", "transition", "figures", "evidence", "pdf"])
def test_assessment_posts_out_of_scope_are_404(objs, action):
    pk = objs["mine"].pk
    check_matrix(
        Access(
            url=f"/evaluations/assessments/{pk}/{action}/",
            method="post",
            data={"action": "submit", "title": "x", "link": "/x/"},
            ok_status=(302,),
        ),
        allowed=["community_staff"],
        denied=["community_staff2", "nankai_official"] + OUTSIDERS,
    )


def test_in_scope_wrong_role_changes_nothing(objs, page_client):
    a = objs["mine"]
    score = a.scores.first()
    for username in ["street_staff", "hexi_official", "city_admin"]:
        r = page_client(username).post(
            f"/evaluations/assessments/{a.pk}/scores/",
            {f"score_{score.indicator_id}": "1", f"reason_{score.indicator_id}": "试图修改"},
        )
        assert r.status_code == 302
        r = page_client(username).post(f"/evaluations/assessments/{a.pk}/transition/", {"action": "submit"})
        assert r.status_code == 302
    assert Score.objects.get(pk=score.pk).value is None
    a.refresh_from_db()
    assert a.stage == "self"


def test_evidence_download(objs, page_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.support.files import pdf_bytes

    r = page_client("community_staff").post(
        f"/evaluations/assessments/{objs['mine'].pk}/evidence/",
        {
            "title": "居民会议记录",
            "file": SimpleUploadedFile("会议记录.pdf", pdf_bytes(), "application/pdf"),
        },
    )
    assert r.status_code == 302
    e = objs["mine"].evidence.get()
    check_matrix(
        Access(url=f"/evaluations/assessments/{objs['mine'].pk}/evidence/{e.pk}/"),
        allowed=STAFF,
        denied=["community_staff2", "nankai_official"] + OUTSIDERS,
    )


def test_scheme_pages(objs):
    check_matrix(Access(url="/evaluations/schemes/"), allowed=STAFF, denied=OUTSIDERS)
    check_matrix(Access(url=f"/evaluations/schemes/{objs['scheme'].pk}/"), allowed=STAFF, denied=OUTSIDERS)
    check_matrix(
        Access(url="/evaluations/schemes/new/"),
        allowed=["city_admin"],
        denied=["hexi_official", "street_staff", "community_staff"] + OUTSIDERS,
    )


def test_draft_scheme_is_the_city_admins_only(objs, users):
    from evaluations import services

    draft = services.scheme_copy(actor=users["city_admin"], scheme_id=objs["scheme"].pk)
    for url in (f"/evaluations/schemes/{draft.pk}/", f"/evaluations/schemes/{draft.pk}/edit/"):
        check_matrix(
            Access(url=url),
            allowed=["city_admin"],
            denied=["hexi_official", "street_staff", "community_staff"] + OUTSIDERS,
        )
    check_matrix(
        Access(url=f"/evaluations/schemes/{draft.pk}/publish/", method="post", ok_status=(302,)),
        allowed=["city_admin"],
        denied=["hexi_official", "street_staff", "community_staff"] + OUTSIDERS,
    )


def test_scheme_copy_and_cycle_publish(objs):
    check_matrix(
        Access(url=f"/evaluations/schemes/{objs['scheme'].pk}/copy/", method="post", ok_status=(302,)),
        allowed=["city_admin"],
        denied=["hexi_official", "street_staff", "community_staff"] + OUTSIDERS,
    )
    check_matrix(
        Access(url=f"/evaluations/cycles/{objs['cycle'].pk}/publish/", method="post", ok_status=(302,)),
        allowed=["city_admin"],
        denied=["hexi_official", "street_staff", "community_staff"] + OUTSIDERS,
    )
    assert Cycle.objects.get(pk=objs["cycle"].pk).status == "open"  # not every community confirmed yet


def test_rectification_pages(objs):
    check_matrix(Access(url="/evaluations/rectification/"), allowed=STAFF, denied=OUTSIDERS)
    # 桃园村社区 lies in 桃园街道: not street_staff's (大营门街道) nor community_staff's
    check_matrix(
        Access(url=f"/evaluations/rectification/{objs['rect'].pk}/"),
        allowed=["hexi_official", "city_admin"],
        denied=["street_staff", "community_staff", "nankai_official"] + OUTSIDERS,
    )


def test_whitelist_editing(objs):
    check_matrix(
        Access(url="/evaluations/whitelist/new/"),
        allowed=["city_admin"],
        denied=["hexi_official", "street_staff", "community_staff"] + OUTSIDERS,
    )
    check_matrix(
        Access(url=f"/evaluations/whitelist/{objs['entry'].pk}/edit/"),
        allowed=["city_admin"],
        denied=["hexi_official", "street_staff", "community_staff"] + OUTSIDERS,
    )


def test_summary_report(objs):
    check_matrix(
        Access(
            url="/evaluations/reports/summary/",
            method="post",
            data={"district": "120103", "year": 2025},
            ok_status=(302,),
        ),
        allowed=["hexi_official", "city_admin"],
        denied=["nankai_official", "street_staff", "community_staff"] + OUTSIDERS,
    )


def test_the_pages_open_for_the_users_the_role_rule_let_in(eval_demo, users, page_client):
    """Who opens the star rating's pages, user by user, now that they ask the org rights evaluations.work and
    evaluations.manage: exactly whom the old role rule let in (the superuser, or the staff from community to
    city for the workbench, the schemes and the rectification list; the city admin for new schemes and
    whitelist entries) — everyone else meets a 404."""
    from evaluations.choices import EVALUATION_ROLES
    from portal.scope import has_role

    pages = {
        "/evaluations/": EVALUATION_ROLES,
        "/evaluations/schemes/": EVALUATION_ROLES,
        "/evaluations/rectification/": EVALUATION_ROLES,
        "/evaluations/schemes/new/": {"city_admin"},
        "/evaluations/whitelist/new/": {"city_admin"},
    }
    seen: dict[str, set[int]] = {}
    for name, user in users.items():
        client = page_client(name)
        for url, roles in pages.items():
            expected = 200 if user.is_superuser or has_role(user, *roles) else 404
            got = client.get(url).status_code
            assert got == expected, (name, url, got)
            seen.setdefault(url, set()).add(got)
        whitelist = client.get("/evaluations/whitelist/").content.decode()
        assert ("/evaluations/whitelist/new/" in whitelist) == (
            user.is_superuser or has_role(user, "city_admin")
        )
    assert all(codes == {200, 404} for codes in seen.values()), seen
