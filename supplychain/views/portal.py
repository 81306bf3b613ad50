"""The supplier portal: a supplier's own profile, certificates, pledges, questionnaire, training, scorecards.

Every route requires a supplier user and works on the supplier of that user only (g.supplier,
loaded from current_user.supplier_id, never from the request). Objects named in a URL or a
hidden field are looked up together with the supplier, so another supplier's ids give 404.
"""

from __future__ import annotations

from datetime import datetime
from functools import wraps

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from forms.evidence import CertificateForm, SubmissionForm
from forms.invitations import ColleagueForm, ConfirmForm
from forms.portal import ChangeRequestForm, ProfileForm, SignForm
from forms.saq import AnswersForm
from supplychain import clock, db, portal_labels
from supplychain.clock import today
from supplychain.errors import Conflict, ValidationFailed
from supplychain.evidence_labels import CERT_TYPE_LABELS
from supplychain.models import CERT_TYPES, CHOICE_TYPES, SAQ_THEMES, Supplier
from supplychain.services.core import locking
from supplychain.services.evidence import certifications, corrective_actions, saq, training
from supplychain.services.portal import invitations, portal, upload_stash
from supplychain.services.registry import change_requests, suppliers
from supplychain.services.risk import campaigns
from supplychain.views import conflicts, evidence_support
from supplychain.views.evidence_support import read_upload, store
from supplychain.views.forms_support import attach_errors, plain, saving

bp = Blueprint("portal", __name__, url_prefix="/portal")
bp.record_once(portal_labels.install)


def now() -> datetime:
    """The current moment in UTC (one place, so views and tests agree)."""
    return clock.now().replace(microsecond=0)


def withdraw(invitation) -> None:
    """Withdraw an invitation once the confirmation form (its CSRF token) checks out; say how it went in a flash."""
    form = ConfirmForm()
    if form.validate_on_submit():
        with saving() as outcome:
            invitations.revoke(db.session, invitation, current_user, now())
        if outcome.saved:
            flash(_("Invitation withdrawn."), "success")


def supplier_required(view):
    """Only supplier users, on their own supplier (g.supplier); staff get 403, anonymous users log in."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        from supplychain.extensions import login_manager

        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if current_user.role != "supplier":
            abort(403)
        supplier = db.session.get(Supplier, current_user.supplier_id) if current_user.supplier_id else None
        if supplier is None:
            abort(404)
        g.supplier = supplier
        return view(*args, **kwargs)

    wrapped.allowed_roles = ("supplier",)
    return wrapped


def _found(obj):
    if obj is None:
        abort(404)
    return obj


@bp.route("/")
@supplier_required
def home():
    """What needs doing: questionnaire, pledges to sign, certificates, corrective actions."""
    supplier = g.supplier
    day = today()
    response = saq.open_response(db.session, supplier.id)
    reviewed = saq.latest_reviewed(db.session, supplier.id)
    pledge_rows = portal.pledge_rows(db.session, supplier, day)
    certs = portal.certificates(db.session, supplier, day, current_app.config["CERT_EXPIRY_WARNING_DAYS"])
    actions = [
        (a, corrective_actions.display_status(a, day))
        for a in corrective_actions.for_supplier(db.session, supplier.id)
    ]
    return render_template(
        "portal/home.html",
        supplier=supplier,
        response=response,
        reviewed=reviewed,
        to_sign=[r for r in pledge_rows if r.template and not r.signed_current],
        certs=certs,
        open_actions=[(a, s) for a, s in actions if s != "verified"],
        evaluations=portal.evaluations(db.session, supplier)[:1],
        invitations=campaigns.invitations_for(db.session, supplier.id),
    )


# --- profile -----------------------------------------------------------------------------------------------


@bp.route("/profile", methods=["GET", "POST"])
@supplier_required
def profile():
    """Contacts and address are edited here; legal names and the credit code through a change request."""
    supplier = g.supplier
    form = ProfileForm()
    if request.method == "GET":
        form.version_id.data = str(supplier.version_id)
        form.city.data, form.address.data = supplier.city, supplier.address
        for entry, contact in zip(form.contacts, supplier.contacts, strict=False):
            entry.form.name.data, entry.form.phone.data = contact.name, contact.phone
            entry.form.email.data = contact.email
    if form.validate_on_submit():
        data = portal.ProfileData(
            city=form.city.data or "",
            address=form.address.data or "",
            contacts=[
                suppliers.ContactData(
                    c.form.name.data or "", c.form.phone.data or "", c.form.email.data or ""
                )
                for c in form.contacts
            ],
        )
        try:
            locking.check(supplier, form.version_id.data)
            portal.update_profile(db.session, supplier, data, current_user, today())
        except (Conflict, StaleDataError):
            conflicts.show(form, supplier, "supplier")
        except ValidationFailed as failed:
            db.session.rollback()
            # Contact errors are not per row: they go above the form.
            errors = {(f"_{k}" if k.startswith("contact_") else k): v for k, v in failed.errors.items()}
            attach_errors(form, errors)
        else:
            db.session.commit()
            flash(_("Your company profile is saved."), "success")
            return redirect(url_for(".profile"))
    return render_template(
        "portal/profile.html",
        supplier=supplier,
        form=form,
        pending=change_requests.pending_for(db.session, supplier.id),
        requests=change_requests.for_supplier(db.session, supplier.id),
    )


@bp.route("/profile/change", methods=["GET", "POST"])
@supplier_required
def change_request():
    """Ask procurement to change the legal names or the credit code."""
    supplier = g.supplier
    form = ChangeRequestForm()
    if request.method == "GET":
        form.name_zh.data, form.name_en.data = supplier.name_zh, supplier.name_en
        form.credit_code.data = supplier.credit_code
    if request.method == "POST":
        data = change_requests.ChangeRequestData(
            form.name_zh.data or "",
            form.name_en.data or "",
            form.credit_code.data or "",
            form.reason.data or "",
        )
        upload = read_upload(form.licence.data, store().max_bytes)
        done = evidence_support.submit(
            form,
            lambda: change_requests.check_request(db.session, supplier, data, upload, store().max_bytes)[0],
            lambda: change_requests.submit_request(
                db.session, supplier, data, upload, store(), current_user, now()
            ),
        )
        if done is not None:
            flash(
                _("Your request was sent to procurement. The registry changes once they approve it."),
                "success",
            )
            return redirect(url_for(".profile"))
    return render_template(
        "portal/change_request.html",
        supplier=supplier,
        form=form,
        pending=change_requests.pending_for(db.session, supplier.id),
    )


# --- certificates ------------------------------------------------------------------------------------------


@bp.route("/certificates")
@supplier_required
def certificates():
    """The supplier's certificates; new ones wait for procurement's verification."""
    rows = portal.certificates(
        db.session, g.supplier, today(), current_app.config["CERT_EXPIRY_WARNING_DAYS"]
    )
    return render_template("portal/certificates.html", rows=rows)


@bp.route("/certificates/new", methods=["GET", "POST"])
@supplier_required
def certificate_upload():
    """Upload a new or renewed certificate with its scan."""
    supplier = g.supplier
    form = CertificateForm()
    form.cert_type.choices = [(t, CERT_TYPE_LABELS[t]) for t in CERT_TYPES]
    if request.method == "POST":
        data = certifications.CertificateData(
            cert_type=form.cert_type.data or "",
            other_name=form.other_name.data or "",
            number=form.number.data or "",
            issuer=form.issuer.data or "",
            scope=form.scope.data or "",
            issued_on=form.issued_on.data,
            expires_on=form.expires_on.data,
        )
        upload = read_upload(form.scan.data, store().max_bytes)

        def check():
            errors, _clean = certifications.check_certificate(
                db.session, supplier, data, upload, store().max_bytes, today()
            )
            if upload is None:
                errors.setdefault("scan", []).append(_("Upload a scan of the certificate."))
            return errors

        done = evidence_support.submit(
            form,
            check,
            lambda: portal.upload_certificate(
                db.session, supplier, data, upload, store(), current_user, today()
            ),
        )
        if done is not None:
            flash(_("Certificate uploaded. Procurement will verify it."), "success")
            return redirect(url_for(".certificates"))
    return render_template("portal/certificate_form.html", form=form)


# --- pledges -----------------------------------------------------------------------------------------------


@bp.route("/pledges")
@supplier_required
def pledges():
    """Pledges to read and sign, and those signed."""
    supplier = g.supplier
    from supplychain.services.evidence import pledges as pledge_service

    return render_template(
        "portal/pledges.html",
        rows=portal.pledge_rows(db.session, supplier, today()),
        signed=pledge_service.for_supplier(db.session, supplier.id),
    )


@bp.route("/pledges/<kind>/sign", methods=["GET", "POST"])
@supplier_required
def pledge_sign(kind: str):
    """Read the text in force and sign it electronically."""
    supplier = g.supplier
    template = _found(portal.signing_template(db.session, kind, today()))
    form = SignForm()
    if request.method == "GET":
        form.template_id.data = str(template.id)
        form.signatory_name.data = current_user.name or ""
    if request.method == "POST":
        form.validate()
        try:
            template_id = int(form.template_id.data or 0)
        except ValueError:
            template_id = 0
        with saving(form) as outcome:
            pledge = portal.sign_pledge(
                db.session,
                supplier,
                kind,
                template_id,
                form.signatory_name.data or "",
                form.signatory_title.data or "",
                bool(form.agree.data),
                current_user,
                now(),
                request.remote_addr,
                request.user_agent.string,
            )
        if outcome.saved:
            flash(_("Signed. You can download the signed pledge as a PDF."), "success")
            return redirect(url_for(".pledges", signed=pledge.id))
    return render_template("portal/pledge_sign.html", form=form, template=template, kind=kind)


@bp.route("/pledges/<int:pledge_id>/pdf")
@supplier_required
def pledge_pdf(pledge_id: int):
    """The signed pledge with its signing record, as a PDF."""
    pledge = _found(portal.pledge_of(db.session, g.supplier, pledge_id))
    if pledge.method != "portal":
        abort(404)
    pdf = portal.signed_pledge_pdf(pledge, now(), current_app.config.get("CJK_FONT_PATH"))
    from io import BytesIO

    return send_file(
        BytesIO(pdf),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"pledge-{pledge.kind}-{pledge.signed_on.isoformat()}.pdf",
        max_age=0,
    )


# --- self-assessment ---------------------------------------------------------------------------------------


@bp.route("/saq")
@supplier_required
def saq_index():
    """The questionnaire in progress, and past responses with their reviewed scores."""
    supplier = g.supplier
    return render_template(
        "portal/saq_index.html",
        response=saq.open_response(db.session, supplier.id),
        responses=saq.responses_for(db.session, supplier.id),
        questionnaire=saq.current(db.session),
        invitations=campaigns.invitations_for(db.session, supplier.id),
        form=ConfirmForm(),
    )


@bp.route("/saq/start", methods=["POST"])
@supplier_required
def saq_start():
    """Open a new self-assessment on the current questionnaire."""
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            saq.start(db.session, g.supplier, current_user)
        except ValidationFailed as failed:
            db.session.rollback()
            for messages in failed.errors.values():
                for message in messages:
                    flash(str(message), "danger")
            return redirect(url_for(".saq_index"))
        db.session.commit()
        return redirect(url_for(".saq_answer"))
    return redirect(url_for(".saq_index"))


def _raw_answers(questionnaire, editable: set[int], max_bytes: int) -> dict[int, saq.RawAnswer]:
    raw = {}
    files = store()
    for question in questionnaire.questions:
        if question.id not in editable:
            continue
        key = f"q-{question.id}"
        upload = read_upload(request.files.get(f"{key}-file"), max_bytes)
        if upload is None:  # a file chosen before a refused save, kept for this try
            upload = upload_stash.take_back(files, g.supplier.id, request.form.get(f"{key}-kept"))
        raw[question.id] = saq.RawAnswer(
            choices=request.form.getlist(key) if question.qtype in CHOICE_TYPES else [],
            number=request.form.get(key, "") if question.qtype == "number" else "",
            text=request.form.get(key, "") if question.qtype == "text" else "",
            upload=upload,
        )
    return raw


def _keep_files(posted: dict[int, saq.RawAnswer]) -> dict[int, tuple[str, str]]:
    """Put the acceptable files of a refused save aside: question id → (token, file name)."""
    files = store()
    kept = {}
    for question_id, raw in posted.items():
        if raw.upload is not None:
            token = upload_stash.put_aside(files, g.supplier.id, raw.upload)
            if token:
                kept[question_id] = (token, raw.upload.filename)
    return kept


@bp.route("/saq/answer", methods=["GET", "POST"])
@supplier_required
def saq_answer():
    """Answer the open self-assessment: save a draft, or submit it to procurement."""
    supplier = g.supplier
    response = saq.open_response(db.session, supplier.id)
    if response is None:
        return redirect(url_for(".saq_index"))
    if response.status not in ("draft", "clarification"):  # with procurement: nothing to answer now
        return redirect(url_for(".saq_view", response_id=response.id))
    form = AnswersForm()
    errors: dict[str, list] = {}
    posted: dict[int, saq.RawAnswer] = {}
    kept: dict[int, tuple[str, str]] = {}
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            response_id = int(form.response_id.data or 0)
        except ValueError:
            response_id = 0
        if saq.response_of(db.session, supplier.id, response_id) is None:
            abort(404)
        if response_id != response.id:
            flash(_("This page was out of date: here is your current self-assessment."), "warning")
            return redirect(url_for(".saq_answer"))
        editable = saq.editable_question_ids(response)
        posted = _raw_answers(response.questionnaire, editable, store().max_bytes)
        submitting = bool(form.submit.data)
        try:
            saq.save_answers(db.session, response, posted, store(), current_user, now(), submit=submitting)
        except ValidationFailed as failed:
            db.session.rollback()
            errors = plain(failed.errors)
            response = saq.open_response(db.session, supplier.id)
            kept = _keep_files(posted)
        else:
            db.session.commit()
            if submitting:
                flash(_("Submitted. Procurement will review each answer."), "success")
                return redirect(url_for(".saq_index"))
            flash(_("Draft saved."), "success")
            return redirect(url_for(".saq_answer"))
    form.response_id.data = str(response.id)
    answers = {a.question_id: a for a in response.answers}
    breakdown = saq.theme_breakdown(response.questionnaire, response.answers)
    return render_template(
        "portal/saq_answer.html",
        response=response,
        form=form,
        answers=answers,
        errors=errors,
        posted=posted,
        kept=kept,
        editable=saq.editable_question_ids(response),
        themes=SAQ_THEMES,
        breakdown=breakdown,
        evidence_values={
            q.id: [o.value for o in q.options if o.evidence_required]
            for q in response.questionnaire.questions
        },
    )


@bp.route("/saq/<int:response_id>")
@supplier_required
def saq_view(response_id: int):
    """One of the supplier's responses with the review of each answer and the scores."""
    response = _found(saq.response_of(db.session, g.supplier.id, response_id))
    answers = {a.question_id: a for a in response.answers}
    return render_template("portal/saq_view.html", response=response, answers=answers, themes=SAQ_THEMES)


# --- training, corrective actions, scorecards --------------------------------------------------------------


@bp.route("/training")
@supplier_required
def training_records():
    """Training sessions the supplier attended."""
    supplier = g.supplier
    return render_template(
        "portal/training.html",
        rows=training.for_supplier(db.session, supplier.id),
        hours=training.hours_last_12_months(db.session, supplier.id, today()),
    )


@bp.route("/actions")
@supplier_required
def actions():
    """The supplier's corrective actions."""
    day = today()
    rows = [
        (a, corrective_actions.display_status(a, day))
        for a in corrective_actions.for_supplier(db.session, g.supplier.id)
    ]
    return render_template("portal/actions.html", rows=rows)


@bp.route("/actions/<int:action_id>", methods=["GET", "POST"])
@supplier_required
def action(action_id: int):
    """One corrective action: respond with what was done and the evidence, then it waits for verification."""
    supplier = g.supplier
    item = _found(portal.action_of(db.session, supplier, action_id))
    form = SubmissionForm()
    if request.method == "POST":
        upload = read_upload(form.evidence.data, store().max_bytes)
        note = form.note.data or ""

        def check():
            errors, _clean = corrective_actions.check_submission(item, note, upload, store().max_bytes)
            if item.status == "submitted":
                errors.setdefault("note", []).append(_("Already submitted: procurement is checking it."))
            return errors

        done = evidence_support.submit(
            form,
            check,
            lambda: portal.respond_to_action(
                db.session, supplier, item, note, upload, store(), current_user, today()
            ),
        )
        if done is not None:
            flash(_("Submitted for verification."), "success")
            return redirect(url_for(".action", action_id=item.id))
    return render_template(
        "portal/action.html", item=item, form=form, status=corrective_actions.display_status(item, today())
    )


@bp.route("/scorecards")
@supplier_required
def scorecards():
    """The supplier's final evaluations."""
    return render_template("portal/scorecards.html", evaluations=portal.evaluations(db.session, g.supplier))


@bp.route("/scorecards/<int:evaluation_id>/pdf")
@supplier_required
def scorecard_pdf(evaluation_id: int):
    """A final evaluation's scorecard as a PDF."""
    from io import BytesIO

    from supplychain.services.evaluation import scorecards as scorecard_service

    evaluation = _found(portal.evaluation_of(db.session, g.supplier, evaluation_id))
    settings = scorecard_service.settings_from(current_app.config, request.host_url.rstrip("/"))
    language = "both"  # the bilingual scorecard procurement issues
    try:
        card = scorecard_service.scorecard_pdf(db.session, evaluation.id, language, settings)
    except scorecard_service.ScorecardUnavailable:
        db.session.rollback()
        abort(404)
    db.session.commit()
    return send_file(
        BytesIO(card.pdf),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=card.filename,
        max_age=0,
    )


# --- team --------------------------------------------------------------------------------------------------


def _link(invitation) -> str:
    return url_for(
        "invitations.accept",
        token=invitations.token_for(invitation, current_app.config["SECRET_KEY"]),
        _external=True,
    )


@bp.route("/team", methods=["GET", "POST"])
@supplier_required
def team():
    """The supplier's portal users and invitations; administrators invite colleagues here."""
    supplier = g.supplier
    admin = invitations.is_portal_admin(db.session, current_user)
    form = ColleagueForm()
    link = None
    if request.method == "POST":
        if not admin:
            abort(403)
        if form.validate_on_submit():
            data = invitations.InvitationData(
                form.email.data or "", form.name.data or "", bool(form.grants_admin.data)
            )
            try:
                invitation = invitations.create_invitation(db.session, supplier, data, current_user, now())
            except ValidationFailed as failed:
                db.session.rollback()
                attach_errors(form, failed.errors)
            else:
                from supplychain.services.evidence.certifications import smtp_sender

                deliver = smtp_sender(current_app.config)
                link = _link(invitation)
                if deliver is not None:
                    invitations.send(invitation, link, current_app.config, deliver, now())
                    link = None
                db.session.commit()
                flash(_("Invitation created for %(email)s.", email=invitation.email), "success")
                if link is None:
                    return redirect(url_for(".team"))
                form = ColleagueForm(formdata=None)
    moment = now()
    return render_template(
        "portal/team.html",
        members=invitations.team(db.session, supplier.id),
        admin=admin,
        form=form,
        link=link,
        moment=moment,
        revoke_form=ConfirmForm(),
        invitations=invitations.list_invitations(db.session, supplier.id),
    )


@bp.route("/team/invitations/<int:invitation_id>/revoke", methods=["POST"])
@supplier_required
def team_revoke(invitation_id: int):
    """Withdraw an invitation of the supplier's own."""
    supplier = g.supplier
    invitation = _found(invitations.of_supplier(db.session, supplier.id, invitation_id))
    if not invitations.is_portal_admin(db.session, current_user):
        abort(403)
    withdraw(invitation)
    return redirect(url_for(".team"))
