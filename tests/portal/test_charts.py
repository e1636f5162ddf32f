"""Server-rendered SVG charts: every mark has a text alternative, nothing needs scripts or style attributes."""

from portal.charts import bar_chart_svg, column_chart_svg


def test_bar_chart_names_every_value():
    svg = str(
        bar_chart_svg([("河西区", 12), ("南开区", 3.5), ("和平区", None)], title="各区拒绝承接", unit="件")
    )
    assert svg.startswith("<svg") and "<title" in svg and "各区拒绝承接" in svg
    assert "河西区：12件" in svg and "南开区：3.5件" in svg and "和平区：—件" in svg
    assert "style=" not in svg and "<script" not in svg


def test_column_chart_compares_with_the_previous_period():
    svg = str(column_chart_svg([("4月", 1), ("5月", 2)], previous=[0, 5], title="趋势", unit="件"))
    assert "上期 5月：5件" in svg and "5月：2件" in svg and "本期" in svg


def test_an_empty_chart_does_not_invent_a_scale():
    svg = str(column_chart_svg([("10月", 0), ("11月", 0)], title="趋势"))
    assert ">1<" not in svg and "10月：0" in svg
