"""The supplier registry pages: list, register, view, edit, status."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forms.suppliers import StatusForm, SupplierForm
from supplychain import clock, db, regions
from supplychain.clock import today
from supplychain.errors import ValidationFailed
from supplychain.labels import STATUS_LABELS, SUPPLIER_TYPE_LABELS, lang_tag
from supplychain.models import RISK_TIERS, STATUSES, SUPPLIER_TYPES, Supplier, SupplyCategory
from supplychain.security import EDITORS, STAFF, roles_required
from supplychain.services.core import audit, locking
from supplychain.services.evaluation import evaluations as evaluation_service
from supplychain.services.evidence import evidence
from supplychain.services.imports import evidence_import
from supplychain.services.registry import qualifications, relationships, supplier_counts
from supplychain.services.registry import suppliers as service
from supplychain.services.risk import audits as supplier_audits
from supplychain.services.risk import tier_lists
from supplychain.views import conflicts
from supplychain.views import relationships as relationship_views
from supplychain.views.forms_support import fill_organisations, flash_errors, saving

bp = Blueprint("suppliers", __name__, url_prefix="/suppliers")
MENU = [("suppliers.index", _l("Suppliers"), STAFF)]


def _get_supplier(supplier_id: int) -> Supplier:
    supplier = db.session.get(Supplier, supplier_id)
    if supplier is None:
        abort(404)
    return supplier


def _categories() -> list[SupplyCategory]:
    from sqlalchemy import select

    return list(
        db.session.scalars(select(SupplyCategory).where(SupplyCategory.active.is_(True)).order_by(SupplyCategory.code))
    )


def _fill_choices(form: SupplierForm) -> None:
    language = lang_tag()
    form.country.choices = [("CN", dict(regions.countries(language)).get("CN", "CN"))] + [
        (code, name) for code, name in regions.countries(language) if code != "CN"
    ]
    form.province.choices = [("", "—")] + [
        (p.code, regions.province_name(p, language)) for p in regions.provinces()
    ]
    form.categories.choices = [(c.code, c.name_en if language == "en" else c.name_zh) for c in _categories()]
    form.supplier_type.choices = [(key, SUPPLIER_TYPE_LABELS[key]) for key in SUPPLIER_TYPES]


def _data_from(form: SupplierForm) -> service.SupplierData:
    return service.SupplierData(
        name_zh=form.name_zh.data or "",
        name_en=form.name_en.data or "",
        credit_code=form.credit_code.data or "",
        country=form.country.data or "",
        province=form.province.data or "",
        city=form.city.data or "",
        address=form.address.data or "",
        legal_representative=form.legal_representative.data or "",
        categories=list(form.categories.data or []),
        contacts=[
            service.ContactData(c.form.name.data or "", c.form.phone.data or "", c.form.email.data or "")
            for c in form.contacts
        ],
        registered_on=form.registered_on.data,
        supplier_type=form.supplier_type.data or "",
    )


def _filters() -> service.SupplierFilters:
    args = request.args
    return service.SupplierFilters(
        q=args.get("q", "")[:100],
        region=args.get("region", ""),
        province=args.get("province", ""),
        category=args.get("category", ""),
        status=args.get("status", ""),
        supplier_type=args.get("supplier_type", ""),
        local=args.get("local") == "1",
        sort=args.get("sort", "-registered"),
        tier=args.get("tier", "") if args.get("tier", "") in RISK_TIERS else "",
    )


@bp.route("/")
@roles_required(*STAFF)
def index():
    """Search, filter, sort and page through suppliers, with counts per region above the list."""
    filters = _filters()
    page_number = request.args.get("page", 1, type=int) or 1
    counts = supplier_counts.region_counts(db.session, filters, current_app.config["LIST_COUNTS_SECONDS"])
    page = service.search(db.session, filters, page_number, current_app.config["SUPPLIERS_PER_PAGE"], counts=counts)
    return render_template(
        "suppliers/index.html",
        page=page,
        risks=tier_lists.tiers_for(db.session, [s.id for s in page.items]),
        tiers=RISK_TIERS,
        filters=filters,
        counts=counts.by_region,
        local=counts.local,
        regions=regions.REGIONS,
        provinces=regions.provinces(),
        categories=_categories(),
        statuses=STATUSES,
        status_labels=STATUS_LABELS,
        supplier_types=SUPPLIER_TYPES,
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def create():
    """Register a supplier."""
    form = SupplierForm()
    _fill_choices(form)
    fill_organisations(form.organisation_id)
    if request.method == "GET":
        form.country.data = "CN"
    if form.validate_on_submit():
        with saving(form) as outcome:
            supplier = service.create_supplier(db.session, _data_from(form), current_user, today(),
                                               organisation_id=form.organisation_id.data)
        if outcome.saved:
            flash(_("Supplier %(name)s registered.", name=supplier.name_zh), "success")
            return redirect(url_for(".view", supplier_id=supplier.id))
    return render_template("suppliers/form.html", form=form, supplier=None)


@bp.route("/<int:supplier_id>")
@roles_required(*STAFF)
def view(supplier_id: int):
    """Everything about one supplier, with its audit trail for admins and auditors."""
    supplier = _get_supplier(supplier_id)
    trail = audit.for_supplier(db.session, supplier.id) if current_user.role in ("admin", "auditor") else None
    status_form = StatusForm()
    status_form.status.choices = [(s, STATUS_LABELS[s]) for s in STATUSES]
    status_form.status.data = supplier.status
    warning_days = current_app.config["CERT_EXPIRY_WARNING_DAYS"]
    evidence_summary = evidence.summary(db.session, supplier, today(), warning_days)
    supplier_relationships = relationships.for_supplier(db.session, supplier.id)
    return render_template(
        "suppliers/view.html",
        supplier=supplier,
        trail=trail,
        status_form=status_form,
        local=[r.organisation for r in supplier_relationships
               if r.organisation.home_province == supplier.province_code],
        relationships=[(r, relationship_views.status_form(r)) for r in supplier_relationships],
        relationship_labels=relationship_views.RELATIONSHIP_STATUS_LABELS,
        qualifications=qualifications.for_supplier(db.session, supplier.id),
        evidence=evidence_summary,
        evaluation_section=evaluation_service.supplier_section(db.session, supplier.id),
        evaluation_history=evidence_import.history_for(db.session, supplier.id),
        risk=tier_lists.for_supplier(db.session, supplier.id),
        supplier_audits=supplier_audits.for_supplier(db.session, supplier.id),
    )


@bp.route("/<int:supplier_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit(supplier_id: int):
    """Edit a supplier's registry data."""
    supplier = _get_supplier(supplier_id)
    form = SupplierForm(obj=None if request.method == "POST" else supplier)
    _fill_choices(form)
    if request.method == "GET":
        form.province.data = supplier.province_code or ""
        form.categories.data = [c.code for c in supplier.categories]
        for entry, contact in zip(form.contacts, supplier.contacts, strict=False):
            entry.form.name.data, entry.form.phone.data, entry.form.email.data = (
                contact.name,
                contact.phone,
                contact.email,
            )
    if form.validate_on_submit():
        saved_values = {"province": lambda: supplier.province_code,
                        "categories": lambda: [c.code for c in supplier.categories]}
        with saving(form, on_conflict=lambda: conflicts.show(form, supplier, "supplier", saved_values)) as outcome:
            locking.check(supplier, form.version_id.data)
            service.update_supplier(db.session, supplier, _data_from(form), current_user, today())
        if outcome.saved:
            flash(_("Changes saved."), "success")
            return redirect(url_for(".view", supplier_id=supplier.id))
    return render_template("suppliers/form.html", form=form, supplier=supplier)


@bp.route("/<int:supplier_id>/status", methods=["POST"])
@roles_required(*EDITORS)
def change_status(supplier_id: int):
    """Change the lifecycle status by hand, with a reason."""
    supplier = _get_supplier(supplier_id)
    form = StatusForm()
    if form.validate_on_submit():
        from supplychain.views.action_requests import second_person_needed

        try:
            if second_person_needed(form.status.data):

                from supplychain.services.daily_work import high_impact

                high_impact.request_status_change(db.session, supplier, form.status.data, form.reason.data or "",
                                                  current_user, clock.now())
            else:
                service.change_status(db.session, supplier, form.status.data, form.reason.data or "",
                                      current_user, effective_on=form.effective_on.data, today=today())
        except ValidationFailed as failed:
            db.session.rollback()
            flash_errors(failed.errors)
        else:
            db.session.commit()
            if second_person_needed(form.status.data):
                flash(_("The change waits for a second person's approval."), "info")
            else:
                flash(_("Status changed."), "success")
    else:
        for messages in form.errors.values():
            for message in messages:
                flash(str(message), "danger")
    return redirect(url_for(".view", supplier_id=supplier.id))
