"""The disclosure editor (issue 12): baselines, restatements and targets, the policy register and narratives.

Every page works on a reporting boundary (?org=, as the disclosure page) inside the user's scope; a
subsidiary's editor sees and enters only its own subtree's entries (the organisation scope hides the others).
"""

from __future__ import annotations

import io

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forms.disclosure import FigureForm, NarrativeForm, PolicyForm, PublishForm, RevertForm, WithdrawForm
from supplychain import db, scope
from supplychain.clock import today
from supplychain.errors import ValidationFailed
from supplychain.labels import lang_tag
from supplychain.models import DisclosureFigure, Organisation, SupplyChainPolicy
from supplychain.security import EDITORS, STAFF, roles_required
from supplychain.services.core import attachments, audit, locking
from supplychain.services.disclosure import definitions, editor_pages, entries, publication, reporting_year, web_page
from supplychain.views.disclosure import reporting_boundary
from supplychain.views.evidence_support import get_or_404, read_upload, run_and_flash, store, submit
from supplychain.views.forms_support import fill_organisations

bp = Blueprint("disclosure_editor", __name__, url_prefix="/disclosure/editor")
MENU = [("disclosure_editor.figures", _l("Disclosure: entered figures"), EDITORS),
        ("disclosure_editor.policies", _l("Supply-chain policies"), STAFF),
        ("disclosure_editor.narratives", _l("Disclosure: narratives"), EDITORS)]


def _who() -> str:
    return current_user.name or current_user.email


def _org_param(boundary) -> int | None:
    return boundary.id if boundary is not None else None


def _page(template: str, boundary, **context):
    return render_template(f"disclosure_editor/{template}", boundary=boundary, org_param=_org_param(boundary),
                           organisations=scope.organisations_in_scope(db.session), **context)


# --- baselines, restatements, targets ----------------------------------------------------------------------


@bp.route("/figures")
@roles_required(*EDITORS)
def figures():
    """The boundary's entered figures (baselines, restatements, targets), each to edit or withdraw."""
    boundary = reporting_boundary()
    return _page("figures.html", boundary, entries=editor_pages.figure_entries(db.session, boundary),
                 withdraw=WithdrawForm())


def _figure_data(form: FigureForm, organisation_id: int | None) -> entries.FigureData:
    return entries.FigureData(form.year.data or "", form.code.data or "", form.kind.data or "",
                                         form.value.data or "", form.source.data or "", form.reason.data or "",
                                         _who(), organisation_id)


@bp.route("/figures/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_figure():
    """Enter a baseline, restatement or target for the boundary (?code=, ?year=, ?kind= and ?value= preselect)."""
    boundary = reporting_boundary()
    form = FigureForm()
    form.code.choices = editor_pages.figure_choices(lang_tag())
    if request.method == "GET":
        form.year.data = request.args.get("year", str(today().year - 1))[:10]
        form.code.data = request.args.get("code", "KPI.total_suppliers")
        form.kind.data = request.args.get("kind", "restatement")
        form.value.data = request.args.get("value", "")[:30]
    if form.is_submitted():
        data = _figure_data(form, entries.boundary_key(boundary))
        codes = definitions.SPEC_BY_CODE
        saved = submit(form, lambda: entries.problems(db.session, data, today(), codes, replace_entry=False),
                       lambda: entries.save(db.session, data, current_user, today(), codes,
                                                       replace_entry=False))
        if saved is not None:
            flash(_("Figure entered."), "success")
            return redirect(url_for(".figures", org=_org_param(boundary)))
    return _page("figure_form.html", boundary, form=form, entry=None)


@bp.route("/figures/<int:figure_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_figure(figure_id: int):
    """Correct an entered figure's value, source or reason (its year, figure and kind stay)."""
    entry = get_or_404(DisclosureFigure, figure_id)
    boundary = reporting_boundary()
    form = FigureForm(obj=None if request.method == "POST" else entry)
    form.code.choices = editor_pages.figure_choices(lang_tag())
    if request.method == "GET":
        form.value.data = f"{entry.value.normalize():f}"
    if form.is_submitted():
        data = _figure_data(form, entry.organisation_id)
        codes = definitions.SPEC_BY_CODE
        saved = submit(form, lambda: entries.problems(db.session, data, today(), codes, entry),
                       lambda: entries.save(db.session, data, current_user, today(), codes, entry),
                       record=entry, entity_type="disclosure_figure")
        if saved is not None:
            flash(_("Changes saved."), "success")
            return redirect(url_for(".figures", org=_org_param(boundary)))
    trail = audit.for_entity(db.session, "disclosure_figure", entry.id)
    return _page("figure_form.html", boundary, form=form, entry=entry, trail=trail)


@bp.route("/figures/<int:figure_id>/withdraw", methods=["POST"])
@roles_required(*EDITORS)
def withdraw_figure(figure_id: int):
    """Withdraw an entered figure with a reason: the computed figure is shown again."""
    entry = get_or_404(DisclosureFigure, figure_id)
    boundary = reporting_boundary()
    form = WithdrawForm()

    def withdraw() -> None:
        locking.check(entry, form.version_id.data)
        entries.remove(db.session, entry, current_user, form.reason.data or "")

    if run_and_flash(form, withdraw):
        flash(_("Figure withdrawn."), "success")
    return redirect(url_for(".figures", org=_org_param(boundary)))


# --- the policy register --------------------------------------------------------------------------------------


@bp.route("/policies")
@roles_required(*STAFF)
def policies():
    """The register of supply-chain policies: the scope's own (editable) and those that apply from above."""
    rows = entries.register(db.session)
    return render_template("disclosure_editor/policies.html", rows=rows,
                           superseding={row.policy.id: row.policy for row in rows})


def _fill_policy(form: PolicyForm, existing: SupplyChainPolicy | None) -> None:
    top = scope.root(db.session)
    selected = None
    if existing is not None:
        selected = existing.organisation_id or (top.id if top else None)
    fill_organisations(form.organisation_id, selected)
    # The policies that may supersede this one: the register the user sees, but not the policy itself.
    form.superseded_by_id.choices = [("", _("— not superseded —"))] + [
        (row.policy.id, f"《{row.policy.title_zh}》 {row.policy.number}")
        for row in entries.register(db.session) if existing is None or row.policy.id != existing.id]


def _policy_data(form: PolicyForm) -> entries.PolicyData:
    chosen = form.organisation_id.data
    issuer = db.session.get(Organisation, chosen) if chosen else None
    # The root issues the group's policies: stored without an organisation, as the command line does.
    organisation_id = entries.boundary_key(issuer) if issuer is not None else chosen
    return entries.PolicyData(form.title_zh.data or "", form.title_en.data or "", form.number.data or "",
                                         form.effective_on.data, organisation_id, form.ended_on.data,
                                         form.superseded_by_id.data)


def _save_policy(form: PolicyForm, existing: SupplyChainPolicy | None):
    data = _policy_data(form)
    files = store()
    upload = read_upload(form.file.data, files.max_bytes)

    def save() -> SupplyChainPolicy:
        if existing is None:
            return entries.add_policy(db.session, data, current_user, upload, files)
        return entries.update_policy(db.session, existing, data, current_user, upload, files)

    return submit(form, lambda: entries.policy_problems(db.session, data, upload, files, existing)[0], save,
                  record=existing, entity_type="supply_chain_policy")


@bp.route("/policies/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_policy():
    """Register a policy: title, number, issuing organisation, effective date and its document."""
    form = PolicyForm()
    _fill_policy(form, None)
    if form.is_submitted() and _save_policy(form, None) is not None:
        flash(_("Policy registered."), "success")
        return redirect(url_for(".policies"))
    return render_template("disclosure_editor/policy_form.html", form=form, policy=None)


@bp.route("/policies/<int:policy_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_policy(policy_id: int):
    """Correct a registered policy of the user's own scope (a new document replaces the old one)."""
    policy = get_or_404(SupplyChainPolicy, policy_id)
    form = PolicyForm(obj=None if request.method == "POST" else policy)
    _fill_policy(form, policy)
    if form.is_submitted() and _save_policy(form, policy) is not None:
        flash(_("Changes saved."), "success")
        return redirect(url_for(".policies"))
    trail = audit.for_entity(db.session, "supply_chain_policy", policy.id)
    return render_template("disclosure_editor/policy_form.html", form=form, policy=policy, trail=trail)


@bp.route("/policies/<int:policy_id>/file")
@roles_required(*STAFF)
def policy_file(policy_id: int):
    """A policy's document, for every policy of the register the user sees."""
    policy = entries.visible_policy(db.session, policy_id)
    attachment = entries.policy_file(db.session, policy) if policy is not None else None
    data = attachments.read(db.session, attachment, store()) if attachment is not None else None
    if data is None:
        abort(404)
    response = send_file(io.BytesIO(data), mimetype=attachment.content_type, as_attachment=True,
                         download_name=attachment.original_name, max_age=0, conditional=False, etag=False)
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- narratives ----------------------------------------------------------------------------------------------


@bp.route("/narratives")
@roles_required(*EDITORS)
def narratives():
    """Each section's drafted narrative beside the editor's text, with the warnings where text and figures disagree."""
    boundary = reporting_boundary()
    year = request.args.get("year") or str(today().year - 1)
    try:
        result, sections = editor_pages.narrative_sheet(db.session, year, today(), boundary,
                                                             definitions.settings_from(current_app.config))
    except ValidationFailed as failed:
        return _page("narratives.html", boundary, result=None, sections=[], year=year[:10],
                     errors=failed.errors), 400
    return _page("narratives.html", boundary, result=result, sections=sections, year=result.year, errors={})


def _narrative_target(report_year: int, section: str, language: str):
    if section not in editor_pages.section_codes() or language not in entries.NARRATIVE_LANGUAGES:
        abort(404)
    try:
        reporting_year.parse_year(report_year, today())
    except ValidationFailed:
        abort(404)
    boundary = reporting_boundary()
    row = entries.narrative_row(db.session, entries.boundary_key(boundary), report_year,
                                           section, language)
    return boundary, row


@bp.route("/narratives/<int:report_year>/<section>/<language>", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_narrative(report_year: int, section: str, language: str):
    """Write the narrative of one section, year and language (it starts from the drafted text)."""
    boundary, row = _narrative_target(report_year, section, language)
    result, sections = editor_pages.narrative_sheet(db.session, report_year, today(), boundary,
                                                         definitions.settings_from(current_app.config))
    sheet = next(s for s in sections if s.code == section)
    form = NarrativeForm(obj=None if request.method == "POST" else row)
    if request.method == "GET" and row is None:
        form.text.data = sheet.drafted[language]
    if form.is_submitted():
        data = entries.NarrativeData(str(report_year), section, language, form.text.data or "", _who(),
                                                entries.boundary_key(boundary))
        codes = editor_pages.section_codes()
        saved = submit(
            form, lambda: entries.narrative_problems(db.session, data, today(), codes)[0],
            lambda: entries.save_narrative(db.session, data, current_user, today(), codes),
            record=row, entity_type="disclosure_narrative")
        if saved is not None:
            flash(_("Narrative saved."), "success")
            return redirect(url_for(".narratives", year=report_year, org=_org_param(boundary),
                                    _anchor=section.replace(" ", "-")))
    return _page("narrative_form.html", boundary, form=form, row=row, sheet=sheet, language=language,
                 result=result, revert=RevertForm(obj=row) if row is not None else None)


@bp.route("/narratives/<int:report_year>/<section>/<language>/revert", methods=["POST"])
@roles_required(*EDITORS)
def revert_narrative(report_year: int, section: str, language: str):
    """Drop the editor's narrative, so the drafted one is printed again."""
    boundary, row = _narrative_target(report_year, section, language)
    if row is None:
        abort(404)
    form = RevertForm()

    def revert() -> None:
        locking.check(row, form.version_id.data)
        entries.remove_narrative(db.session, row, current_user)

    if run_and_flash(form, revert):
        flash(_("The drafted narrative is used again."), "success")
    return redirect(url_for(".narratives", year=report_year, org=_org_param(boundary),
                            _anchor=section.replace(" ", "-")))


# --- publishing a year ----------------------------------------------------------------------------------------


@bp.route("/publish/<int:report_year>", methods=["POST"])
@roles_required(*EDITORS)
def publish(report_year: int):
    """Keep a finished year's figures as published: a later change is listed against them, never silent."""
    boundary = reporting_boundary()
    try:
        settings = definitions.with_choices(definitions.settings_from(current_app.config),
                                           request.args.get("population"), request.args.get("layout"))
        result = reporting_year.disclosure(db.session, report_year, today(), boundary, settings)
    except ValidationFailed:
        abort(404)
    form = PublishForm()
    figures = {code: value.value for code, value in result.values[result.year].items()}

    def keep() -> None:
        publication.publish(db.session, entries.boundary_key(boundary), result.year,
                                       result.in_progress, figures, web_page.counted_with(result),
                                       current_user, _who())

    if run_and_flash(form, keep):
        flash(_("The figures of %(year)d are kept as published.", year=result.year), "success")
    return redirect(url_for("disclosure.index", year=result.year, org=_org_param(boundary),
                            **{k: request.args[k] for k in ("population", "layout") if request.args.get(k)}))
