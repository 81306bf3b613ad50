"""Certificates: the expiry list, recording, correcting, verifying and removing certificates."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forms.evidence import CertificateForm, ReasonForm, VerificationForm
from supplychain import db, regions
from supplychain.clock import today
from supplychain.evidence_labels import CERT_TYPE_LABELS, VERIFICATION_LABELS
from supplychain.models import CERT_TYPES, VERIFICATION_METHODS, Certification, Supplier
from supplychain.security import EDITORS, STAFF, roles_required
from supplychain.services.core import audit
from supplychain.services.evidence import certifications
from supplychain.views.evidence_support import get_or_404, read_upload, run_and_flash, store, submit

bp = Blueprint("certificates", __name__, url_prefix="/certificates")
MENU = [("certificates.index", _l("Certificates"), STAFF)]
# Reviewers check qualifications during admission, so they may record a verification too.
VERIFIERS = (*EDITORS, "reviewer")


def _filters() -> certifications.ExpiryFilters:
    args = request.args
    days = args.get("days", type=int)
    if days is None or not 0 <= days <= 3650:
        days = int(current_app.config["CERT_EXPIRY_WARNING_DAYS"])
    status = args.get("status", "")
    return certifications.ExpiryFilters(
        days=days, status=status if status in ("expiring", "expired", "unverified") else "",
        cert_type=args.get("type", "") if args.get("type") in CERT_TYPES else "",
        region=args.get("region", "") if args.get("region") in {r.key for r in regions.REGIONS} else "",
        q=args.get("q", "")[:100])


@bp.route("/")
@roles_required(*STAFF)
def index():
    """Certificates expiring within N days or expired (or unverified), with filters."""
    filters = _filters()
    rows = certifications.expiry_list(db.session, today(), filters)
    return render_template("certificates/index.html", rows=rows, filters=filters, types=CERT_TYPES,
                           labels=CERT_TYPE_LABELS, regions=regions.REGIONS)


def _fill(form: CertificateForm) -> None:
    form.cert_type.choices = [("", "—")] + [(t, CERT_TYPE_LABELS[t]) for t in CERT_TYPES]


def _data(form: CertificateForm) -> certifications.CertificateData:
    return certifications.CertificateData(
        cert_type=form.cert_type.data or "", other_name=form.other_name.data or "",
        number=form.number.data or "", issuer=form.issuer.data or "", scope=form.scope.data or "",
        issued_on=form.issued_on.data, expires_on=form.expires_on.data)


def _save(form: CertificateForm, supplier: Supplier, cert: Certification | None):
    files = store()
    upload = read_upload(form.scan.data, files.max_bytes)
    data = _data(form)
    return submit(
        form,
        lambda: certifications.check_certificate(db.session, supplier, data, upload, files.max_bytes, today(),
                                                 cert)[0],
        lambda: certifications.save_certificate(db.session, supplier, data, upload, files, current_user,
                                                today(), cert),
        record=cert, entity_type="certification")


@bp.route("/suppliers/<int:supplier_id>/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def create(supplier_id: int):
    """Record a certificate or licence with its scan."""
    supplier = get_or_404(Supplier, supplier_id)
    form = CertificateForm()
    _fill(form)
    if request.method == "GET" and request.args.get("type") in CERT_TYPES:
        form.cert_type.data = request.args["type"]
    if form.is_submitted() and _save(form, supplier, None) is not None:
        flash(_("Certificate recorded."), "success")
        return redirect(url_for("suppliers.view", supplier_id=supplier.id, _anchor="certificates"))
    return render_template("certificates/form.html", form=form, supplier=supplier, cert=None)


@bp.route("/<int:cert_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit(cert_id: int):
    """Correct a certificate; changing its number or dates voids the verification."""
    cert = get_or_404(Certification, cert_id)
    form = CertificateForm(obj=None if request.method == "POST" else cert)
    _fill(form)
    if form.is_submitted() and _save(form, cert.supplier, cert) is not None:
        flash(_("Changes saved."), "success")
        return redirect(url_for("suppliers.view", supplier_id=cert.supplier_id, _anchor="certificates"))
    trail = audit.for_entity(db.session, "certification", cert.id)
    return render_template("certificates/form.html", form=form, supplier=cert.supplier, cert=cert,
                           trail=trail)


@bp.route("/<int:cert_id>/verify", methods=["GET", "POST"])
@roles_required(*VERIFIERS)
def verify(cert_id: int):
    """Record that the certificate was checked: by the current user, on a date, in a way."""
    cert = get_or_404(Certification, cert_id)
    form = VerificationForm()
    form.method.choices = [("", "—")] + [(m, VERIFICATION_LABELS[m]) for m in VERIFICATION_METHODS]
    if request.method == "GET":
        form.verified_on.data = today()
    if form.is_submitted():
        method, verified_on = form.method.data or "", form.verified_on.data
        saved = submit(form, lambda: certifications.check_verification(cert, method, verified_on, today()),
                       lambda: certifications.verify_certificate(db.session, cert, method, verified_on,
                                                                 current_user, today()))
        if saved is not None:
            flash(_("Verification recorded."), "success")
            return redirect(url_for("suppliers.view", supplier_id=cert.supplier_id, _anchor="certificates"))
    return render_template("certificates/verify.html", form=form, cert=cert, supplier=cert.supplier)


@bp.route("/<int:cert_id>/delete", methods=["POST"])
@roles_required(*EDITORS)
def delete(cert_id: int):
    """Remove a certificate recorded by mistake (with a reason)."""
    cert = get_or_404(Certification, cert_id)
    supplier_id = cert.supplier_id
    form = ReasonForm()
    if run_and_flash(form, lambda: certifications.delete_certificate(db.session, cert, form.reason.data or "",
                                                                      current_user)):
        flash(_("Certificate removed."), "success")
    return redirect(url_for("suppliers.view", supplier_id=supplier_id, _anchor="certificates"))
