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
