"""Organisations: the tree's rules, closing and reopening, the audit trail, and the import."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, func, select, update

from supplychain.errors import Conflict, ValidationFailed
from supplychain.models import AuditEntry, Organisation, SupplierRelationship
from supplychain.services.imports import importer
from supplychain.services.registry import organisations as service
from supplychain.services.registry.organisations import OrganisationData
from tests.factories import gen_organisation, gen_root, gen_supplier
from tests.file_factories import xlsx_bytes

TODAY = date(2026, 11, 27)


def _data(code="CQ", parent=None, **kw) -> OrganisationData:
    values = {"name_zh": "重庆热力有限公司", "name_en": "Chongqing Heating", "kind": "subsidiary",
              "home_province": "500000", **kw}
    return OrganisationData(code=code, parent_id=parent.id if parent is not None else None, **values)


def _messages(failed, name) -> str:
    return " ".join(str(message) for message in failed.value.errors.get(name, []))


def _count(session) -> int:
    return session.scalar(select(func.count(Organisation.id)))


def _no_organisations(session) -> None:
    """Start from an installation without any organisation (the migration's root removed)."""
    session.execute(update(Organisation).values(parent_id=None))
    session.execute(delete(Organisation))


def _plain_root(session) -> Organisation:
    """The root with known values: GROUP, 集团, kind group, no English name, province or dates."""
    root = gen_root(session)
    root.name_zh, root.name_en, root.home_province, root.opened_on = "集团", None, None, None
    session.flush()
    return root


def _relationship(session, organisation, status="active"):
    relationship = SupplierRelationship(organisation_id=organisation.id, supplier_id=gen_supplier(session).id,
                                        status=status, since_on=date(2025, 1, 1))
    session.add(relationship)
    session.flush()
    return relationship


# --------------------------------------------------------------------------
# Creating and the field rules
# --------------------------------------------------------------------------


def test_create_stores_clean_values_and_audits_every_field(session):
    group = gen_root(session)
    org = service.create_organisation(session, _data(" CQ-Heat.1 ", group, home_province="重庆"), None)
    assert (org.code, org.parent_id, org.kind, org.home_province) == ("CQ-Heat.1", group.id, "subsidiary", "500000")
    entry = session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "organisation",
                                                    AuditEntry.entity_id == org.id))
    assert entry.action == "create"
    assert entry.changes["parent_code"] == [None, "GROUP"] and entry.changes["home_province"] == [None, "500000"]


@pytest.mark.parametrize("value, stored", [("500000", "500000"), ("Shanxi", "140000"), ("甘肃省", "620000"),
                                           ("440300", "440000"), ("", None)])
def test_home_province_accepts_a_code_or_a_name_and_stores_the_code(session, value, stored):
    group = gen_root(session)
    assert service.create_organisation(session, _data("X1", group, home_province=value), None).home_province == stored


def test_every_field_problem_is_reported_at_once_and_nothing_is_saved(session):
    group = gen_root(session)
    before = _count(session)
    with pytest.raises(ValidationFailed) as failed:
        service.create_organisation(session, _data("bad code!", group, name_zh=" ", kind="branch",
                                                   home_province="Atlantis", name_en="x" * 201), None)
    assert set(failed.value.errors) == {"code", "name_zh", "name_en", "kind", "home_province"}
    assert "Atlantis" in _messages(failed, "home_province")
    assert "branch" in _messages(failed, "kind")
    assert _count(session) == before


@pytest.mark.parametrize("code", ["", "   ", "A" * 41, "CQ HEAT", "重庆", "a/b"])
def test_code_is_required_and_has_a_format(session, code):
    group = gen_root(session)
    with pytest.raises(ValidationFailed) as failed:
        service.create_organisation(session, _data(code, group), None)
    assert "code" in failed.value.errors


def test_code_is_unique_ignoring_letter_case(session):
    group = gen_root(session)
    gen_organisation(session, "CQ", group)
    with pytest.raises(ValidationFailed) as failed:
        service.create_organisation(session, _data("cq", group), None)
    assert "CQ" in _messages(failed, "code")


def test_kind_accepts_keys_and_labels(session):
    group = gen_root(session)
    assert service.create_organisation(session, _data("P1", group, kind="项目部"), None).kind == "project"
    assert service.create_organisation(session, _data("S1", group, kind="Subsidiary"), None).kind == "subsidiary"


def test_the_first_organisation_is_the_root_and_a_second_root_is_refused(session):
    _no_organisations(session)
    group = service.create_organisation(session, _data("GROUP", None, kind="group"), None)
    assert service.root(session) is group
    with pytest.raises(ValidationFailed) as failed:
        service.create_organisation(session, _data("OTHER", None), None)
    assert "GROUP" in _messages(failed, "parent_id")


def test_unknown_parent_is_refused(session):
    gen_root(session)
    with pytest.raises(ValidationFailed) as failed:
        service.create_organisation(session, OrganisationData(code="X", name_zh="某", parent_id=987654), None)
    assert "parent_id" in failed.value.errors


def test_nothing_new_under_a_closed_organisation(session):
    group = gen_root(session)
    old = gen_organisation(session, "OLD", group)
    service.close_organisation(session, old, date(2026, 1, 1), "merged", None, TODAY)
    with pytest.raises(ValidationFailed) as failed:
        service.create_organisation(session, _data("NEW", old), None)
    assert "OLD" in _messages(failed, "parent_id")


# --------------------------------------------------------------------------
# Editing and moving
# --------------------------------------------------------------------------


def test_move_under_another_parent_moves_the_subtree_and_is_audited(session):
    group = gen_root(session)
    cq, sx = gen_organisation(session, "CQ", group), gen_organisation(session, "SX", group)
    site = gen_organisation(session, "CQ-SITE", cq, kind="project")
    version = cq.version_id
    service.update_organisation(session, cq, _data("CQ", sx), version, None)
    assert cq.parent_id == sx.id and cq.version_id == version + 1
    assert [(n.organisation.code, n.depth) for n in service.tree(session)] == [
        ("GROUP", 0), ("SX", 1), ("CQ", 2), ("CQ-SITE", 3)]
    assert site.parent_id == cq.id
    entry = session.scalars(select(AuditEntry).where(AuditEntry.entity_id == cq.id, AuditEntry.action == "move")).one()
    assert entry.changes["parent_code"] == ["GROUP", "SX"]


def test_an_edit_without_changes_writes_no_audit_entry(session):
    group = gen_root(session)
    cq = service.create_organisation(session, _data("CQ", group), None)
    service.update_organisation(session, cq, _data("CQ", group), cq.version_id, None)
    assert session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.entity_id == cq.id,
                                                                  AuditEntry.entity_type == "organisation")) == 1


@pytest.mark.parametrize("target", ["self", "child", "grandchild"])
def test_moving_under_itself_or_a_descendant_is_refused(session, target):
    group = gen_root(session)
    cq = gen_organisation(session, "CQ", group)
    child = gen_organisation(session, "CQ-A", cq)
    grandchild = gen_organisation(session, "CQ-A-1", child)
    parent = {"self": cq, "child": child, "grandchild": grandchild}[target]
    with pytest.raises(ValidationFailed) as failed:
        service.update_organisation(session, cq, _data("CQ", parent), cq.version_id, None)
    assert "descendants" in _messages(failed, "parent_id")
    session.refresh(cq)
    assert cq.parent_id == group.id


def test_the_root_cannot_be_moved_nor_lose_its_place(session):
    group = gen_root(session)
    cq = gen_organisation(session, "CQ", group)
    with pytest.raises(ValidationFailed) as failed:
        service.update_organisation(session, group, _data("GROUP", cq, kind="group"), group.version_id, None)
    assert "root" in _messages(failed, "parent_id")
    with pytest.raises(ValidationFailed) as failed:  # a subsidiary made a second root
        service.update_organisation(session, cq, _data("CQ", None), cq.version_id, None)
    assert "GROUP" in _messages(failed, "parent_id")


def test_a_stale_version_is_a_conflict_and_changes_nothing(session):
    group = gen_root(session)
    cq = gen_organisation(session, "CQ", group)
    stale = cq.version_id
    service.update_organisation(session, cq, _data("CQ", group, name_zh="第一次"), stale, None)
    with pytest.raises(Conflict):
        service.update_organisation(session, cq, _data("CQ", group, name_zh="第二次"), stale, None)
    with pytest.raises(Conflict):
        service.update_organisation(session, cq, _data("CQ", group, name_zh="第二次"), None, None)
    assert cq.name_zh == "第一次"


def test_opening_date_cannot_follow_the_closing_date(session):
    group = gen_root(session)
    cq = gen_organisation(session, "CQ", group)
    service.close_organisation(session, cq, date(2025, 6, 30), "sold", None, TODAY)
    with pytest.raises(ValidationFailed) as failed:
        service.update_organisation(session, cq, _data("CQ", group, opened_on=date(2025, 7, 1)), cq.version_id, None)
    assert "opened_on" in failed.value.errors


# --------------------------------------------------------------------------
# Closing and reopening
# --------------------------------------------------------------------------


def test_close_records_the_date_and_the_reason(session):
    group = gen_root(session)
    cq = gen_organisation(session, "CQ", group)
    _relationship(session, cq, status="ended")  # an ended relationship does not hold it open
    service.close_organisation(session, cq, date(2026, 10, 31), "项目结束", None, TODAY)
    assert cq.closed_on == date(2026, 10, 31) and not cq.is_open
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "close")).one()
    assert entry.note == "项目结束" and entry.changes == {"closed_on": [None, "2026-10-31"]}


def test_close_is_refused_while_relationships_are_active_and_says_what_to_do(session):
    group = gen_root(session)
    cq = gen_organisation(session, "CQ", group)
    _relationship(session, cq)
    _relationship(session, cq, status="suspended")
    with pytest.raises(ValidationFailed) as failed:
        service.close_organisation(session, cq, date(2026, 10, 31), "sold", None, TODAY)
    message = _messages(failed, "")
    assert "1 active supplier relationships" in message and "end them or move them" in message
    assert cq.closed_on is None


def test_close_is_refused_while_child_organisations_are_open(session):
    group = gen_root(session)
    cq = gen_organisation(session, "CQ", group)
    gen_organisation(session, "CQ-SITE", cq)
    with pytest.raises(ValidationFailed) as failed:
        service.close_organisation(session, cq, date(2026, 10, 31), "sold", None, TODAY)
    assert "CQ-SITE" in _messages(failed, "") and "close them or move them" in _messages(failed, "")


def test_close_checks_every_input_at_once(session):
    group = gen_root(session)
    cq = gen_organisation(session, "CQ", group, opened_on=date(2024, 1, 1))
    with pytest.raises(ValidationFailed) as failed:
        service.close_organisation(session, cq, None, " ", None, TODAY)
    assert set(failed.value.errors) == {"closed_on", "reason"}
    with pytest.raises(ValidationFailed) as failed:
        service.close_organisation(session, cq, date(2026, 11, 28), "x", None, TODAY)
    assert "future" in _messages(failed, "closed_on")
    with pytest.raises(ValidationFailed) as failed:
        service.close_organisation(session, cq, date(2023, 12, 31), "x", None, TODAY)
    assert "2024-01-01" in _messages(failed, "closed_on")
    with pytest.raises(ValidationFailed) as failed:
        service.close_organisation(session, group, date(2026, 1, 1), "x", None, TODAY)
    assert "root" in _messages(failed, "")


def test_close_with_a_stale_version_is_a_conflict(session):
    group = gen_root(session)
    cq = gen_organisation(session, "CQ", group)
    with pytest.raises(Conflict):
        service.close_organisation(session, cq, date(2026, 1, 1), "x", None, TODAY, expected_version=cq.version_id - 1)


def test_reopen_needs_a_closed_organisation_under_an_open_parent(session):
    group = gen_root(session)
    cq = gen_organisation(session, "CQ", group)
    site = gen_organisation(session, "CQ-SITE", cq)
    with pytest.raises(ValidationFailed):
        service.reopen_organisation(session, cq, None)  # not closed
    service.close_organisation(session, site, date(2026, 1, 1), "done", None, TODAY)
    service.close_organisation(session, cq, date(2026, 1, 2), "sold", None, TODAY)
    with pytest.raises(ValidationFailed) as failed:
        service.reopen_organisation(session, site, None)
    assert "CQ" in _messages(failed, "")
    service.reopen_organisation(session, cq, None, "bought back")
    service.reopen_organisation(session, site, None)
    assert cq.is_open and site.is_open
    assert session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "reopen")) == 2


def test_list_rows_and_parent_choices(session):
    group = gen_root(session)
    cq = gen_organisation(session, "CQ", group)
    site = gen_organisation(session, "CQ-SITE", cq, kind="project")
    gs = gen_organisation(session, "GS", group)
    service.close_organisation(session, gs, date(2026, 1, 1), "sold", None, TODAY)
    rows = service.list_rows(session)
    assert [(r.code, r.parent_code, r.depth, r.is_open) for r in rows] == [
        ("GROUP", None, 0, True), ("CQ", "GROUP", 1, True), ("CQ-SITE", "CQ", 2, True), ("GS", "GROUP", 1, False)]
    # Moving CQ: not under itself or its site, not under a closed organisation.
    assert [o.code for o in service.parent_choices(session, cq)] == ["GROUP"]
    assert [o.code for o in service.parent_choices(session)] == ["GROUP", "CQ", "CQ-SITE"]
    assert service.find_by_code(session, "cq-site") is site


# --------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------

HEADER = "code,parent_code,name_zh,name_en,kind,home_province\n"


def _import(session, text: str, dry_run=False, filename="orgs.csv"):
    return service.import_file(session, filename, text.encode("utf-8"), None, dry_run=dry_run)


def test_import_builds_the_tree_with_parents_later_in_the_file(session):
    _no_organisations(session)
    result = _import(session, HEADER + "CQ-SITE,CQ,两江项目部,Liangjiang site,project,重庆\n"
                                       "CQ,GROUP,重庆公司,Chongqing,subsidiary,500000\n"
                                       "GROUP,,集团,Group,group,Chongqing\n"
                                       "SX,GROUP,山西公司,,子公司,山西\n")
    assert result.ok and result.applied, [str(e) for e in result.errors]
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    assert [(r.code, r.parent_code, r.kind, r.home_province) for r in service.list_rows(session)] == [
        ("GROUP", None, "group", "500000"), ("CQ", "GROUP", "subsidiary", "500000"),
        ("CQ-SITE", "CQ", "project", "500000"), ("SX", "GROUP", "subsidiary", "140000")]
    assert session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.entity_type == "organisation")) == 4


def test_reimport_updates_by_code_and_counts_unchanged_rows(session):
    _no_organisations(session)
    text = (HEADER + "GROUP,,集团,Group,group,500000\nCQ,GROUP,重庆公司,,subsidiary,500000\n"
            "SX,GROUP,山西公司,,subsidiary,140000\n")
    _import(session, text)
    again = _import(session, text)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    moved = _import(session, HEADER + "cq,SX,重庆公司（新）,,subsidiary,500000\n")
    assert (moved.created, moved.updated) == (0, 1)
    cq = service.find_by_code(session, "CQ")
    assert cq.parent.code == "SX" and cq.name_zh == "重庆公司（新）" and cq.code == "cq"
    assert _count(session) == 3


def test_import_is_all_or_nothing_and_reports_every_bad_row(session):
    gen_root(session)
    before = _count(session)
    result = _import(session, HEADER + "OK1,GROUP,好公司,,subsidiary,500000\n"
                                       "bad code,GROUP,坏公司,,subsidiary,500000\n"
                                       "NOPARENT,MISSING,无父公司,,subsidiary,500000\n"
                                       "ROOT2,,第二个根,,group,500000\n"
                                       "KIND,GROUP,种类错,,branch,Atlantis\n"
                                       "OK1,GROUP,重复,,subsidiary,500000\n"
                                       "NONAME,GROUP,,,subsidiary,500000\n")
    assert not result.ok and not result.applied
    found = {(e.line, e.field) for e in result.errors}
    assert found == {(3, "code"), (4, "parent_code"), (5, "parent_code"), (6, "kind"), (6, "home_province"),
                     (7, "code"), (8, "name_zh")}
    messages = {(e.line, e.field): str(e.message) for e in result.errors}
    assert "MISSING" in messages[(4, "parent_code")]
    assert "GROUP" in messages[(5, "parent_code")]
    assert "line 2" in messages[(7, "code")]
    assert result.bad_lines == [3, 4, 5, 6, 7, 8]
    assert _count(session) == before


def test_import_refuses_a_cycle_and_moving_the_root(session):
    gen_root(session)
    result = _import(session, HEADER + "A,B,甲,,subsidiary,\nB,A,乙,,subsidiary,\nGROUP,A,集团,,group,\n")
    messages = {(e.line, e.field): str(e.message) for e in result.errors}
    assert "A → B → A" in messages[(2, "parent_code")] and "B → A → B" in messages[(3, "parent_code")]
    assert "root" in messages[(4, "parent_code")]
    assert _count(session) == 1


def test_import_refuses_moving_under_a_descendant_and_under_a_closed_parent(session):
    group = gen_root(session)
    cq = gen_organisation(session, "CQ", group)
    gen_organisation(session, "CQ-SITE", cq)
    gs = gen_organisation(session, "GS", group)
    service.close_organisation(session, gs, date(2026, 1, 1), "sold", None, TODAY)
    result = _import(session, HEADER + "CQ,CQ-SITE,重庆公司,,subsidiary,\nNEW,GS,新公司,,subsidiary,\n")
    messages = {(e.line, e.field): str(e.message) for e in result.errors}
    assert "CQ → CQ-SITE → CQ" in messages[(2, "parent_code")]
    assert "GS" in messages[(3, "parent_code")] and "closed" in messages[(3, "parent_code")]


def test_import_dry_run_saves_nothing(session):
    group = _plain_root(session)
    result = _import(session, HEADER + "GROUP,,集团,,group,\nCQ,GROUP,重庆,,subsidiary,\nSX,CQ,山西,,subsidiary,\n",
                     dry_run=True)
    assert result.ok and not result.applied
    assert (result.created, result.updated, result.unchanged) == (2, 0, 1)
    assert _count(session) == 1 and group.name_zh == "集团"
    renamed = _import(session, HEADER + "GROUP,,集团公司,,group,\n", dry_run=True)
    assert (renamed.created, renamed.updated, renamed.unchanged) == (0, 1, 0)
    assert group.name_zh == "集团"


def test_import_reads_xlsx_and_reports_missing_columns(session):
    data = xlsx_bytes([["集团组织架构"],  # a title above the header
                       ["code", "parent_code", "name_zh", "name_en", "kind", "home_province", "opened_on"],
                       ["GROUP", None, "集团", "Group", "group", 500000, date(2001, 5, 1)]])
    result = service.import_file(session, "orgs.xlsx", data, None)
    assert result.ok, [str(e) for e in result.errors]
    group = service.root(session)
    assert group.home_province == "500000" and group.opened_on == date(2001, 5, 1)
    missing = _import(session, "code,name_zh\nX,某\n")
    assert not missing.ok and "Parent organisation" in str(missing.errors[0])


def test_import_rows_from_the_reader_keep_their_line_numbers(session):
    text = HEADER + "\nGROUP,,集团,,group,\n\nX,NOPE,某,,subsidiary,\n"
    read = importer.read_file("o.csv", text.encode(), vocabulary="organisations", required=service.IMPORT_COLUMNS)
    assert not read.problems
    result = service.import_organisations(session, read.rows, None)
    assert [(e.line, e.field) for e in result.errors] == [(5, "parent_code")]


def test_import_into_an_empty_installation_takes_one_root_only(session):
    _no_organisations(session)
    result = _import(session, HEADER + "A,,甲集团,,group,\nB,,乙集团,,group,\nC,A,丙,,subsidiary,\n")
    assert [(e.line, e.field) for e in result.errors] == [(3, "parent_code")]
    assert "A is already the root organisation" in str(result.errors[0].message)
    assert _count(session) == 0
    existing_child = _import(session, HEADER + "A,,甲集团,,group,\nC,A,丙,,subsidiary,\n")
    assert existing_child.ok and existing_child.created == 2
    made_root = _import(session, HEADER + "C,,丙,,subsidiary,\n")  # a subsidiary cannot become a second root
    assert [(e.line, e.field) for e in made_root.errors] == [(2, "parent_code")]
    assert service.find_by_code(session, "C").parent.code == "A"
