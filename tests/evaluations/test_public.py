"""The public results page at city scale: the rectification list is shown in full per district only."""


def _section(html: str) -> str:
    return html.split('data-testid="rectification-public"', 1)[1]


def test_city_wide_rectification_list_is_cut_and_a_district_shows_in_full(eval_demo, client, monkeypatch):
    from evaluations import views

    html = _section(client.get("/evaluations/results/?year=2025").content.decode())
    assert "桃园村社区" in html and "仅列前" not in html

    monkeypatch.setattr(views, "PUBLIC_RECTIFICATION_ROWS", 0)
    html = _section(client.get("/evaluations/results/?year=2025").content.decode())
    assert "桃园村社区" not in html.split("</section>")[0] and "请在上方选择区" in html
    html = _section(client.get("/evaluations/results/?year=2025&district=120103").content.decode())
    assert "桃园村社区" in html and "请在上方选择区" not in html
    html = _section(client.get("/evaluations/results/?year=2025&district=120104").content.decode())
    assert "桃园村社区" not in html.split("</section>")[0]


def test_public_results_are_cached_until_something_published_changes(
    eval_demo, client, django_assert_max_num_queries
):
    from portal.models import OrgUnit

    url = "/evaluations/results/?year=2025&district=120103"
    first = client.get(url).content.decode()
    assert "桃园村社区" in first
    with django_assert_max_num_queries(8):
        again = client.get(url).content.decode()

    def main(html):
        return html.split('data-testid="star-summary"', 1)[1].split("</main>", 1)[0]

    assert main(again) == main(first)
    org = OrgUnit.objects.get(name="桃园村社区")
    org.name = "桃源新村社区"
    org.save()
    html = client.get(url).content.decode()
    assert "桃源新村社区" in html and "桃园村社区" not in html
    api = client.get("/api/v1/evaluations/results?year=2025&district=120103").json()
    assert "桃源新村社区" in {r["community_name"] for r in api["results"]}


def test_the_year_and_district_choices_follow_the_tree_and_publications_at_once(eval_demo, client):
    from evaluations.choices import CycleStatus
    from evaluations.models import Cycle
    from portal.models import OrgUnit

    first = client.get("/evaluations/results/").content.decode()
    assert '<option value="2025" selected>' in first and "新设区" not in first

    city = OrgUnit.objects.get(level="city")
    OrgUnit.objects.create(code="120199", name="新设区", level="district", parent=city)
    response = client.get("/evaluations/results/?year=2025&district=120199")
    assert response.status_code == 200  # a district created a moment ago can be chosen
    assert '<option value="120199" lang="zh-CN" selected>新设区</option>' in response.content.decode()

    cycle = Cycle.objects.get(year=2025)
    cycle.status = CycleStatus.OPEN
    cycle.save()
    assert '<option value="2025"' not in client.get("/evaluations/results/").content.decode()
