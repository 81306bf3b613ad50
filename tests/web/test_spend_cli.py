"""`flask spend import FILE`: CSV or XLSX, Chinese or English headers, all or nothing, idempotent."""

from __future__ import annotations

from sqlalchemy import func, select

from supplychain.models import SpendLine
from tests.factories import gen_root, gen_supplier
from tests.file_factories import xlsx_bytes


def _count(session) -> int:
    return session.scalar(select(func.count(SpendLine.id)))


def _csv(root, supplier, amount="1200.50") -> str:
    return ("external_id,organisation,credit_code,category,month,amount,currency,order_count\n"
            f"A-1,{root.code},{supplier.credit_code},equipment,2026-01,{amount},CNY,3\n"
            f"A-2,{root.code},{supplier.credit_code},equipment,2026-02,99,HKD,1\n")


def test_import_a_csv_then_again_changes_nothing(app, session, tmp_path):
    root = gen_root(session)
    supplier = gen_supplier(session, organisation=root)
    session.commit()
    path = tmp_path / "spend.csv"
    path.write_text(_csv(root, supplier), encoding="utf-8")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["spend", "import", str(path), "--lang", "en"])
    assert first.exit_code == 0, first.output
    assert "Imported 2 lines: 2 new, 0 already in the ledger" in first.output
    again = runner.invoke(args=["spend", "import", str(path), "--lang", "en"])
    assert "2 lines: 0 new, 2 already in the ledger" in again.output
    assert _count(session) == 2


def test_a_bad_row_is_named_in_chinese_and_nothing_is_saved(app, session, tmp_path):
    root = gen_root(session)
    supplier = gen_supplier(session, organisation=root)
    session.commit()
    path = tmp_path / "spend.csv"
    path.write_text(_csv(root, supplier, amount="-3"), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["spend", "import", str(path)])
    assert result.exit_code == 1
    assert "line 2 (A-1): amount:" in result.output and "金额不能为负数" in result.output
    assert "未保存任何数据" in result.output
    assert _count(session) == 0


def test_an_xlsx_with_chinese_headers_and_a_title_row(app, session, tmp_path):
    root = gen_root(session)
    supplier = gen_supplier(session, organisation=root)
    session.commit()
    path = tmp_path / "spend.xlsx"
    path.write_bytes(xlsx_bytes([["2026 年采购金额"],
                                 ["外部编号", "组织", "统一社会信用代码", "品类", "月份", "金额", "币种", "订单数"],
                                 ["X-1", root.code, supplier.credit_code, "equipment", "2026-03", 5000, "CNY", 2]]))
    result = app.test_cli_runner().invoke(args=["spend", "import", str(path), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert session.scalar(select(SpendLine.amount)) == 5000


def test_receipts_import_with_chinese_headers_then_again(app, session, tmp_path):
    from datetime import date

    from supplychain.models import ReceiptLine
    from supplychain.services.purchasing import receipts

    root = gen_root(session)
    supplier = gen_supplier(session, organisation=root)
    session.commit()
    path = tmp_path / "receipts.csv"
    path.write_text("外部编号,组织,统一社会信用代码,品类,采购订单行,到期日,收货日期,收货数量,合格数量,不合格数量\n"
                    f"R-1,{root.code},{supplier.credit_code},equipment,PO-7/1,2026-04-30,2026-04-30,10,10,0\n"
                    f"R-2,{root.code},{supplier.credit_code},equipment,PO-7/2,2026-04-30,2026-05-01,10,9,1\n",
                    encoding="utf-8")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["receipts", "import", str(path), "--lang", "en"])
    assert first.exit_code == 0, first.output
    assert "2 lines: 2 new" in first.output
    again = runner.invoke(args=["receipts", "import", str(path), "--lang", "en"])
    assert "2 lines: 0 new, 2 already" in again.output
    assert session.scalar(select(func.count(ReceiptLine.id))) == 2
    [rates] = receipts.rates(session, date(2026, 1, 1), date(2026, 12, 31))
    assert (rates.on_time_lines, rates.lines, str(rates.acceptance_rate)) == (1, 2, "95.0")
