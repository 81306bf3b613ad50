"""`flask suppliers import FILE --org CODE` (issue 9, item 7): the default organisation of rows without an `org`
cell opens their relationships; an unknown code is refused and nothing is saved."""

from __future__ import annotations

from sqlalchemy import func, select

from supplychain import scope
from supplychain.models import Supplier, SupplierRelationship
from tests.factories import gen_category, gen_credit_code, gen_organisation


def _file(tmp_path, org_cell: str):
    path = tmp_path / "suppliers.csv"
    path.write_text("name_zh,credit_code,country,province,categories,org\n"
                    f"太原甲有限公司,{gen_credit_code('140000')},CN,140000,equipment,\n"
                    f"重庆乙有限公司,{gen_credit_code('500000')},CN,500000,equipment,{org_cell}\n", encoding="utf-8")
    return path


def _relationships(session):
    return set(session.execute(scope.unscoped(
        select(SupplierRelationship.organisation_id, Supplier.name_zh)
        .join(Supplier, Supplier.id == SupplierRelationship.supplier_id))).tuples())


def test_the_org_option_is_the_default_of_rows_without_an_org_cell(app, session, tmp_path):
    gen_category(session)
    cq, sx = gen_organisation(session, "CQ"), gen_organisation(session, "SX", home_province="140000")
    session.commit()
    cq_id, sx_id = cq.id, sx.id
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["suppliers", "import", str(_file(tmp_path, "CQ")), "--org", "NOPE", "--lang", "en"])
    assert unknown.exit_code != 0 and "NOPE" in unknown.output
    assert session.scalar(select(func.count(Supplier.id))) == 0
    bad_cell = runner.invoke(args=["suppliers", "import", str(_file(tmp_path, "ZZ")), "--org", "SX", "--lang", "en"])
    assert bad_cell.exit_code != 0 and "line 3" in bad_cell.output and "ZZ" in bad_cell.output
    assert session.scalar(select(func.count(Supplier.id))) == 0

    done = runner.invoke(args=["suppliers", "import", str(_file(tmp_path, "CQ")), "--org", "sx", "--lang", "en"])
    assert done.exit_code == 0, done.output
    assert _relationships(session) == {(sx_id, "太原甲有限公司"), (cq_id, "重庆乙有限公司")}
