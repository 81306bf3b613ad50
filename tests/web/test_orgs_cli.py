"""`flask orgs import` and `flask orgs list`."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, func, select

from supplychain.models import Organisation
from supplychain.services.registry import organisations
from tests.factories import gen_organisation, gen_root

HEADER = "code,parent_code,name_zh,name_en,kind,home_province\n"
TREE = (HEADER + "CQ,GROUP,重庆热力,Chongqing Heating,subsidiary,重庆\n"
        "GROUP,,某某集团,Some Group,group,500000\n"
        "SX,GROUP,山西热力,Shanxi Heating,subsidiary,140000\n"
        "CQ-LJ,CQ,两江项目部,Liangjiang site,project,500000\n")


def _run(app, *args):
    return app.test_cli_runner().invoke(args=["orgs", *args])


def _write(tmp_path, text: str, name="orgs.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_import_then_list_shows_the_indented_tree(app, session, tmp_path):
    gen_root(session).name_zh = "旧名称"  # the root every installation has (migration 0007)
    session.commit()
    result = _run(app, "import", _write(tmp_path, TREE, encoding="gb18030"), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "3 new organisations, 1 updated, 0 unchanged" in result.output
    listing = _run(app, "list", "--lang", "en")
    assert listing.exit_code == 0, listing.output
    lines = listing.output.splitlines()
    assert [line.split()[0] for line in lines] == ["GROUP", "CQ", "CQ-LJ", "SX"]
    assert lines[0].startswith("GROUP") and lines[1].startswith("  CQ ") and lines[2].startswith("    CQ-LJ")
    assert "[Project or site]" in lines[2] and "Chongqing" in lines[2] and lines[2].endswith("open")
    assert "Shanxi" in lines[3]


def test_list_shows_closed_organisations_in_chinese(app, session):
    group = gen_root(session)
    gs = gen_organisation(session, "GS", group, home_province="620000")
    organisations.close_organisation(session, gs, date(2026, 3, 31), "出售", None, date(2026, 11, 27))
    session.commit()
    listing = _run(app, "list")
    assert "甘肃" in listing.output.splitlines()[1] and listing.output.splitlines()[1].startswith("  GS ")
    assert "已关闭" in listing.output and "2026-03-31" in listing.output


def test_import_is_all_or_nothing_with_per_row_errors(app, session, tmp_path):
    before = session.scalar(select(func.count(Organisation.id)))
    bad = TREE + "BAD CODE,GROUP,坏,,subsidiary,\nORPHAN,NOWHERE,孤儿,,subsidiary,\nGS,GROUP,甘肃,,subsidiary,火星\n"
    result = _run(app, "import", _write(tmp_path, bad), "--lang", "en")
    assert result.exit_code == 1
    assert "line 6: code:" in result.output
    assert "line 7: parent_code: Unknown parent organisation: NOWHERE" in result.output
    assert "line 8: home_province: Unknown province: 火星" in result.output
    assert "3 errors on 3 lines: nothing was saved." in result.output
    assert session.scalar(select(func.count(Organisation.id))) == before


def test_import_errors_in_chinese_by_default(app, session, tmp_path):
    result = _run(app, "import", _write(tmp_path, HEADER + "A,MISSING,甲,,subsidiary,\n"))
    assert result.exit_code == 1 and "MISSING" in result.output and "未保存" in result.output


def test_reimport_updates_by_code_and_dry_run_saves_nothing(app, session, tmp_path):
    assert _run(app, "import", _write(tmp_path, TREE)).exit_code == 0
    session.expire_all()
    assert organisations.find_by_code(session, "GROUP").name_zh == "某某集团"
    moved = TREE.replace("CQ-LJ,CQ,两江项目部", "CQ-LJ,SX,两江项目部")
    dry = _run(app, "import", _write(tmp_path, moved), "--dry-run", "--lang", "en")
    assert dry.exit_code == 0 and "Nothing was saved (dry run)" in dry.output
    assert "0 new organisations, 1 to update, 3 unchanged" in dry.output
    session.expire_all()
    assert organisations.find_by_code(session, "CQ-LJ").parent.code == "CQ"
    again = _run(app, "import", _write(tmp_path, moved), "--lang", "en")
    assert "0 new organisations, 1 updated, 3 unchanged" in again.output
    session.expire_all()
    assert organisations.find_by_code(session, "CQ-LJ").parent.code == "SX"
    assert session.scalar(select(func.count(Organisation.id))) == 4


def test_list_on_an_empty_database_says_how_to_start(app, session):
    session.execute(delete(Organisation))
    session.commit()
    assert "flask orgs import" in _run(app, "list", "--lang", "en").output
