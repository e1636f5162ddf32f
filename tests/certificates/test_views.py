def test_catalogue_shows_residents_public_words_only(page_client, catalogue):
    public = page_client().get("/certificates/").content.decode()
    assert "法规依据待核实" not in public and "待核实" not in public
    assert "需要带的材料" in public and "个工作日内审核" in public
    assert "内部说明" not in page_client("resident").get("/certificates/").content.decode()
    staff = page_client("community_staff").get("/certificates/").content.decode()
    assert "法规依据待核实" in staff and 'data-testid="internal-notes"' in staff
