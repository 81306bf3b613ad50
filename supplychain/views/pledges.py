"""Integrity pledges: signing rates, missing pledges, templates, recording and removing pledges."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forms.evidence import PledgeForm, ReasonForm, TemplateForm
from supplychain import db, regions
from supplychain.clock import today
from supplychain.evidence_labels import PLEDGE_KIND_LABELS
from supplychain.labels import pick
from supplychain.models import PLEDGE_KINDS, IntegrityPledge, PledgeTemplate, Supplier
from supplychain.security import EDITORS, STAFF, roles_required
from supplychain.services.core import audit
from supplychain.services.evidence import pledges
from supplychain.views.evidence_support import get_or_404, read_upload, run_and_flash, store, submit
from supplychain.views.forms_support import fill_organisations

bp = Blueprint("pledges", __name__, url_prefix="/pledges")
MENU = [("pledges.index", _l("Pledges"), STAFF)]


def _parse_date(value: str | None):
    from datetime import date

    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@bp.route("/")
@roles_required(*STAFF)
def index():
    """Signing rates by kind, overall and by region, on a day (today by default)."""
    as_of = _parse_date(request.args.get("as_of")) or today()
    rates = pledges.signing_rates(db.session, as_of)
    return render_template("pledges/index.html", rates=rates, kinds=PLEDGE_KINDS, labels=PLEDGE_KIND_LABELS,
                           regions=regions.REGIONS)


@bp.route("/missing")
@roles_required(*STAFF)
def missing():
    """Suppliers lacking a pledge their categories require."""
    kind = request.args.get("kind", "")
    kind = kind if kind in PLEDGE_KINDS else ""
    rows = pledges.missing_pledges(db.session, today(), kind or None)
    return render_template("pledges/missing.html", rows=rows, kind=kind, kinds=PLEDGE_KINDS,
                           labels=PLEDGE_KIND_LABELS)


@bp.route("/templates")
@roles_required(*STAFF)
def templates():
    """Every version of every pledge text."""
    return render_template("pledges/templates.html", templates=pledges.list_templates(db.session),
                           labels=PLEDGE_KIND_LABELS)


@bp.route("/templates/<int:template_id>")
@roles_required(*STAFF)
def template_view(template_id: int):
    """One version's text in both languages, with its history."""
    template = get_or_404(PledgeTemplate, template_id)
    trail = audit.for_entity(db.session, "pledge_template", template.id)
    return render_template("pledges/template.html", template=template, labels=PLEDGE_KIND_LABELS,
                           signed=pledges.is_signed(db.session, template), trail=trail)


def _template_data(form: TemplateForm) -> pledges.TemplateData:
    return pledges.TemplateData(kind=form.kind.data or "", title_zh=form.title_zh.data or "",
                                title_en=form.title_en.data or "", text_zh=form.text_zh.data or "",
                                text_en=form.text_en.data or "", effective_on=form.effective_on.data)


@bp.route("/templates/new", methods=["GET", "POST"], defaults={"template_id": None})
@bp.route("/templates/<int:template_id>/edit", methods=["GET", "POST"])
@roles_required("admin")
def template_edit(template_id: int | None):
    """A new version (optionally starting from ?from=<id>), or an edit of a version nobody signed."""
    template = get_or_404(PledgeTemplate, template_id) if template_id is not None else None
    if template is not None and pledges.is_signed(db.session, template):
        flash(_("This version has been signed and cannot change: save a new version."), "warning")
        return redirect(url_for(".template_edit", **{"from": template.id}))
    source = template
    if template is None and request.args.get("from", type=int):
        source = db.session.get(PledgeTemplate, request.args.get("from", type=int))
    form = TemplateForm(obj=None if request.method == "POST" else source)
    form.kind.choices = [(k, PLEDGE_KIND_LABELS[k]) for k in PLEDGE_KINDS]
    if request.method == "GET" and source is None and request.args.get("kind") in PLEDGE_KINDS:
        form.kind.data = request.args["kind"]
    if template is not None:
        form.kind.render_kw = {"disabled": True}
        form.kind.data = template.kind
    if form.is_submitted():
        data = _template_data(form)
        saved = submit(form, lambda: pledges.check_template(db.session, data, template),
                       lambda: pledges.save_template(db.session, data, current_user, template),
                       record=template, entity_type="pledge_template")
        if saved is not None:
            flash(_("Version %(n)d saved.", n=saved.version), "success")
            return redirect(url_for(".template_view", template_id=saved.id))
    return render_template("pledges/template_form.html", form=form, template=template, source=source)


def _template_choices() -> list[tuple[str, str]]:
    """The versions in force first; replaced ones say so (they only fit a signature dated back then)."""
    current = {kind: pledges.current_template(db.session, kind, today()) for kind in PLEDGE_KINDS}
    current_ids = {t.id for t in current.values() if t is not None}
    choices, older = [("", "—")], []
    for template in pledges.list_templates(db.session):
        title = pick(template.title_zh, template.title_en)
        label = _("%(kind)s · v%(version)d (from %(date)s): %(title)s", kind=PLEDGE_KIND_LABELS[template.kind],
                  version=template.version, date=template.effective_on.isoformat(), title=title)
        if template.id in current_ids or template.effective_on > today():
            choices.append((str(template.id), label))
        else:
            older.append((str(template.id), _("%(label)s — replaced, only for signatures before %(date)s",
                                              label=label, date=_replaced_on(template))))
    return choices + older


def _replaced_on(template) -> str:
    newer = [t for t in pledges.list_templates(db.session, template.kind)
             if t.effective_on > template.effective_on or t.version > template.version]
    return min((t.effective_on for t in newer), default=template.effective_on).isoformat()


@bp.route("/suppliers/<int:supplier_id>/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def create(supplier_id: int):
    """Record a paper pledge the supplier signed, with its scan."""
    supplier = get_or_404(Supplier, supplier_id)
    form = PledgeForm()
    form.template_id.choices = _template_choices()
    fill_organisations(form.organisation_id)
    if request.method == "GET" and request.args.get("kind") in PLEDGE_KINDS:
        current = pledges.current_template(db.session, request.args["kind"], today())
        form.template_id.data = current.id if current else None
    if form.is_submitted():
        files = store()
        upload = read_upload(form.scan.data, files.max_bytes)
        data = pledges.PledgeData(
            organisation_id=form.organisation_id.data,
            template_id=form.template_id.data, signatory_name=form.signatory_name.data or "",
            signatory_title=form.signatory_title.data or "", signed_on=form.signed_on.data,
            valid_until=form.valid_until.data)
        saved = submit(
            form, lambda: pledges.check_pledge(db.session, data, upload, files.max_bytes, today())[0],
            lambda: pledges.record_pledge(db.session, supplier, data, upload, files, current_user, today()))
        if saved is not None:
            flash(_("Pledge recorded."), "success")
            return redirect(url_for("suppliers.view", supplier_id=supplier.id, _anchor="pledges"))
    return render_template("pledges/form.html", form=form, supplier=supplier)


@bp.route("/<int:pledge_id>/delete", methods=["POST"])
@roles_required(*EDITORS)
def delete(pledge_id: int):
    """Remove a pledge recorded by mistake (with a reason)."""
    pledge = get_or_404(IntegrityPledge, pledge_id)
    supplier_id = pledge.supplier_id
    form = ReasonForm()
    if run_and_flash(form, lambda: pledges.delete_pledge(db.session, pledge, form.reason.data or "",
                                                         current_user)):
        flash(_("Pledge removed."), "success")
    return redirect(url_for("suppliers.view", supplier_id=supplier_id, _anchor="pledges"))
