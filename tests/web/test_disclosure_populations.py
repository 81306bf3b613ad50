"""B5.1's population and region layout chosen on the page, in the downloads and on the command line (issue 12)."""

from __future__ import annotations

import csv
import io
from datetime import date

from tests.factories import gen_root, gen_supplier, gen_user
from tests.purchasing_factories import gen_spend
from tests.web.helpers import login

EN = {"Accept-Language": "en"}


def _setup(client, session):
    root = gen_root(session)
    bought = gen_supplier(session, status="registered", name_zh="有采购未准入甲有限公司", today=date(2024, 1, 1))
    qualified = gen_supplier(session, status="qualified", name_zh="合格无采购乙有限公司", today=date(2024, 1, 1))
    for supplier in (bought, qualified):
        supplier.registered_on = date(2024, 1, 1)
    gen_spend(session, bought, root, month="2025-03", amount="500.00")
    user = gen_user(session, "auditor")
    session.commit()
    login(client, user.email)


def _rows(data: bytes) -> dict:
    return {(r["code"], r["year"]): r for r in csv.DictReader(io.StringIO(data.decode("utf-8-sig")))}


def test_the_page_and_its_downloads_follow_the_chosen_population(client, session):
    _setup(client, session)
    default = client.get("/disclosure/?year=2025", headers=EN).text
    assert 'data-population="in_supply_chain"' in default
    page = client.get("/disclosure/?year=2025&population=with_spend&layout=hk_macao_overseas", headers=EN).text
    assert 'data-population="with_spend"' in page
    assert "Counted: Suppliers with spend in the year (any currency)" in page
    assert "population=with_spend" in page and "layout=hk_macao_overseas" in page  # links keep the choice
    assert 'href="/disclosure/2025/export/csv?population=with_spend&amp;layout=hk_macao_overseas"' in page
    # The page's region table is the layout's, as the downloads print it (the seven regions' rows give way).
    assert 'data-code="B5.1.hk_macao_overseas"' in page and 'data-code="B5.1.south_excl_hk_macao"' in page
    assert 'data-code="B5.1.overseas"' not in page and 'data-code="B5.1.east"' in page
    assert 'data-code="B5.1.overseas"' in default
    layout = _rows(client.get("/disclosure/2025/export/csv?layout=hk_macao_overseas").data)
    assert ("B5.1.hk_macao_overseas.share", "2025") in layout and ("B5.1.overseas", "2025") not in layout
    chosen = _rows(client.get("/disclosure/2025/export/csv?population=with_spend").data)
    plain = _rows(client.get("/disclosure/2025/export/csv").data)
    assert chosen[("B5.1.total", "2025")]["value"] == "1" and plain[("B5.1.total", "2025")]["value"] == "1"
    assert chosen[("B5.1.total", "2025")]["label_en"].startswith("Suppliers with spend")
    assert plain[("B5.1.total", "2025")]["label_en"].startswith("Suppliers in the supply chain")
    records = client.get("/disclosure/2025/figures/B5.1.total?population=with_spend", headers=EN).text
    assert "有采购未准入甲有限公司" in records and "合格无采购乙有限公司" not in records


def test_an_unknown_choice_is_a_clear_refusal(client, session):
    _setup(client, session)
    page = client.get("/disclosure/?year=2025&population=everyone", headers=EN)
    assert page.status_code == 400 and "Choose in_supply_chain, registered or with_spend." in page.text
    assert client.get("/disclosure/?year=2025&layout=spiral").status_code == 400
    assert client.get("/disclosure/2025/export/csv?population=everyone").status_code == 404


def test_the_command_line_takes_the_population_and_layout(app, client, session, tmp_path):
    _setup(client, session)
    out = tmp_path / "spend.csv"
    result = app.test_cli_runner().invoke(args=["disclosure", "--year", "2025", "--format", "csv", "--population",
                                                "with_spend", "--layout", "overseas_by_country", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = _rows(out.read_bytes())
    assert rows[("B5.1.total", "2025")]["label_en"].startswith("Suppliers with spend")
    refused = app.test_cli_runner().invoke(args=["disclosure", "--year", "2025", "--format", "csv", "--population",
                                                 "everyone", "--out", str(out)])
    assert refused.exit_code == 2
