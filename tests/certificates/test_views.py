def test_catalogue_shows_residents_public_words_only(page_client, catalogue):
    public = page_client().get("/certificates/").content.decode()
    assert "法规依据待核实" not in public and "待核实" not in public
    assert "需要带的材料" in public and "个工作日内审核" in public
    assert "内部说明" not in page_client("resident").get("/certificates/").content.decode()
    staff = page_client("community_staff").get("/certificates/").content.decode()
    assert "法规依据待核实" in staff and 'data-testid="internal-notes"' in staff


def test_apply_page_offers_the_residents_street_not_every_community_of_the_city(page_client, catalogue):
    """A street's worth of communities (the resident's own preselected), whatever the size of the city; a code
    chosen before is kept when the page is shown again."""
    client = page_client("resident")
    html = client.get("/certificates/apply/?type=residence").content.decode()
    assert 'value="120103001001" selected' in html and 'value="120103001002"' in html
    assert 'value="120104001001"' not in html  # 南开区: another street, not offered
    again = client.post("/certificates/apply/", {"type": "residence", "community": "120104001001"})
    assert again.status_code == 400 and 'value="120104001001" selected' in again.content.decode()


def test_the_catalogue_follows_its_upkeep_at_once(page_client, catalogue):
    """The catalogue's body is rendered once until a certificate type or a barred kind changes."""
    from certificates.models import BarredCertificate, CertificateType

    client = page_client()
    barred = BarredCertificate.objects.filter(active=True).first()
    row = f'<td data-label="证明">{barred.name}</td>'
    before = client.get("/certificates/").content.decode()
    assert "居住证明（新）" not in before and row in before
    kind = CertificateType.objects.get(code="residence")
    kind.name = "居住证明（新）"
    kind.save()
    barred.active = False
    barred.save()
    after = client.get("/certificates/").content.decode()
    assert "居住证明（新）" in after and row not in after


def test_my_applications_show_a_new_application_at_once(page_client, make_application):
    """The list's count and page are cached until an application changes: the next load has the new one."""
    client = page_client("resident")
    first = make_application()
    assert first.tracking_no in client.get("/certificates/my/").content.decode()
    second = make_application(type_code="residence")
    html = client.get("/certificates/my/").content.decode()
    assert first.tracking_no in html and second.tracking_no in html
