"""Issue 9, "Done when", tried as a new user would in the browser:
a subsidiary buyer sees only their organisation's suppliers and records, and starts a relationship with a
supplier that another subsidiary already admitted; the group's ESG user downloads one disclosure for the group
and one for each subsidiary, and the figures add up as docs/disclosure.md ("Reporting boundaries") says."""

import csv
import io
from datetime import date

from supplychain.services.registry import relationships
from tests.e2e.helpers import log_in as _log_in
from tests.evidence_factories import gen_incident, gen_pledge, gen_requirement
from tests.factories import gen_category, gen_credit_code, gen_organisation, gen_root, gen_supplier, gen_user

YEAR = 2025
REGISTERED = date(2025, 1, 1)


def _open(session, organisation, supplier):
    relationships.open_relationship(session, relationships.RelationshipData(organisation.id, supplier.id), None,
                                    date(2025, 2, 1))


def test_subsidiary_buyer_sees_only_their_records_and_starts_buying_from_a_supplier_another_admitted(page, session):
    cq = gen_organisation(session, "CQ-MACH", home_province="500000", name_zh="重庆机械有限公司")
    sx = gen_organisation(session, "SX-ENERGY", home_province="140000", name_zh="山西能源装备有限公司")
    admitted = gen_supplier(session, "qualified", organisation=cq, name_zh="重庆同力精密机械有限公司")
    own = gen_supplier(session, "qualified", organisation=sx, name_zh="太原恒通钢材有限公司", province="140000",
                       credit_code=gen_credit_code("140000"), city="太原")
    shared = gen_supplier(session, "qualified", organisation=cq, name_zh="重庆渝江物流有限公司",
                          credit_code=gen_credit_code("500000"))
    _open(session, sx, shared)
    # Records carry their organisation: the shared supplier's incident at CQ's site is CQ's, not SX's.
    for supplier, organisation, day, text in ((shared, cq, date(2025, 4, 1), "重庆厂区：叉车碰撞事故"),
                                              (shared, sx, date(2025, 5, 1), "山西厂区：粉尘超标"),
                                              (admitted, cq, date(2025, 6, 1), "重庆厂区：废水超标排放")):
        incident = gen_incident(session, supplier, occurred_on=day)
        incident.description, incident.organisation_id = text, organisation.id
    buyer = gen_user(session, "procurement", email="buyer.sx@example.com", organisation=sx)
    session.commit()

    _log_in(page, buyer.email)
    page.goto("/suppliers/")
    listing = page.locator("table tbody")
    assert listing.locator("tr", has_text=own.name_zh).count() == 1
    assert listing.locator("tr", has_text=shared.name_zh).count() == 1
    assert listing.locator("tr", has_text=admitted.name_zh).count() == 0
    page.goto("/incidents/")
    assert page.locator("table tbody tr", has_text="山西厂区").count() == 1
    assert page.locator("table tbody tr", has_text="重庆厂区").count() == 0
    response = page.goto(f"/suppliers/{admitted.id}")
    assert response.status == 404  # another subsidiary's supplier: not found, as in the portal

    page.goto("/group-suppliers/")
    page.fill("input[name=q]", "同力 精密")
    page.press("input[name=q]", "Enter")
    page.wait_for_load_state()
    row = page.locator("table tbody tr", has_text=admitted.name_zh)
    assert row.count() == 1 and admitted.credit_code in row.inner_text()
    row.locator("a").click()
    page.wait_for_selector("h1:has-text('重庆同力精密机械有限公司')")
    assert "废水超标排放" not in page.content()  # the group shares name, code, status, qualification only
    page.select_option("select[name=organisation_id]", str(sx.id))
    page.click("input[type=submit][name=submit]")
    page.wait_for_selector("#group [data-org=SX-ENERGY]")
    assert page.locator("#group [data-org=CQ-MACH]").count() == 0  # another subsidiary's relationship stays hidden
    assert "重庆厂区" not in page.content()  # nor do CQ's records of the supplier

    page.goto("/suppliers/")
    assert page.locator("table tbody tr", has_text=admitted.name_zh).count() == 1


def _figures(path) -> dict[str, str]:
    with open(path, encoding="utf-8-sig") as handle:
        return {r["code"]: r["value"] for r in csv.DictReader(io.StringIO(handle.read()))
                if r["year"] == str(YEAR) and r["unit"] != "index"}


def test_group_esg_user_downloads_the_group_and_each_subsidiary_and_the_figures_add_up(page, session):
    """GROUP (Chongqing) → CQ (Chongqing, with a project SITE), SX (Shanxi), GS (Gansu).
    S1 Chongqing, bought by CQ, SX and GS; S2 Shanxi by SX; S3 Gansu by GS and the SITE; S4 Guangdong by the SITE.
    Pledges: CQ signed with S1, SX with S1 and S2."""
    gen_root(session)
    cq = gen_organisation(session, "CQ", home_province="500000")
    sx = gen_organisation(session, "SX", home_province="140000")
    gs = gen_organisation(session, "GS", home_province="620000")
    site = gen_organisation(session, "SITE", parent=cq, kind="project", home_province="500000")
    s1 = gen_supplier(session, "qualified", today=REGISTERED, organisation=cq)
    s2 = gen_supplier(session, "qualified", today=REGISTERED, organisation=sx, province="140000",
                      credit_code=gen_credit_code("140000"), city="太原")
    s3 = gen_supplier(session, "qualified", today=REGISTERED, organisation=gs, province="620000",
                      credit_code=gen_credit_code("620000"), city="兰州")
    gen_supplier(session, "qualified", today=REGISTERED, organisation=site, province="440000",
                 credit_code=gen_credit_code("440000"), city="广州")
    for organisation, supplier in ((sx, s1), (gs, s1), (site, s3)):
        _open(session, organisation, supplier)
    gen_requirement(session, gen_category(session, "equipment"), "pledge", "integrity")
    for organisation, supplier in ((cq, s1), (sx, s1), (sx, s2)):
        gen_pledge(session, supplier, signed_on=date(2025, 3, 1)).organisation_id = organisation.id
    esg = gen_user(session, "auditor", email="esg@example.com")  # of the root: the whole group
    session.commit()

    _log_in(page, esg.email)
    page.goto(f"/disclosure/?year={YEAR}")
    page.wait_for_selector("[data-boundary=GROUP]")
    files = {}
    with page.expect_download() as download:
        page.click("a:has-text('CSV')")
    files["GROUP"] = download.value
    for organisation in (cq, sx, gs):
        page.select_option("select[name=org]", str(organisation.id))
        page.click("form[action='/disclosure/'] button[type=submit]")
        page.wait_for_selector(f"[data-boundary={organisation.code}]")
        with page.expect_download() as download:
            page.click("a:has-text('CSV')")
        files[organisation.code] = download.value
    assert files["SX"].suggested_filename == f"supply-chain-disclosure-{YEAR}-SX.csv"
    assert len({f.suggested_filename for f in files.values()}) == 4
    figures = {code: _figures(f.path()) for code, f in files.items()}

    def total(code, figure):
        return int(figures[code][figure])

    # Each supplier once per boundary: the group counts S1–S4 once; each subsidiary counts those its subtree buys
    # from, so the subsidiaries add up to more than the group by the suppliers they share (S1 three times: +2,
    # S3 at GS and at CQ's site: +1).
    assert {code: total(code, "B5.1.total") for code in figures} == {"GROUP": 4, "CQ": 3, "SX": 2, "GS": 2}
    subsidiaries = ("CQ", "SX", "GS")
    assert sum(total(code, "B5.1.total") for code in subsidiaries) == total("GROUP", "B5.1.total") + 2 + 1
    # Local per organisation: S1 to CQ, S2 to SX, S3 to GS; S4 (Guangdong, bought by a Chongqing site) to nobody.
    # No supplier here is local to two subsidiaries, so the subsidiaries' local counts add up to the group's.
    assert {code: total(code, "B5.1.local") for code in figures} == {"GROUP": 3, "CQ": 1, "SX": 1, "GS": 1}
    assert sum(total(code, "B5.1.local") for code in subsidiaries) == total("GROUP", "B5.1.local")
    # Records carry one organisation: the pledges signed add up exactly.
    pledges = [total(code, "B5.2.pledges_signed") for code in subsidiaries]
    assert sum(pledges) == total("GROUP", "B5.2.pledges_signed") == 3
    # The regions of each file add up to its own total.
    for code in figures:
        regions = ("north", "northeast", "east", "central", "south", "southwest", "northwest", "overseas")
        assert sum(total(code, f"B5.1.{region}") for region in regions) == total(code, "B5.1.total")
