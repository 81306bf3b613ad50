"""Scoring schemes: every staff member reads them; administrators edit them (each save a new version)."""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forms.schemes import BAND_ACTION_LABELS, CRITERION_KIND_LABELS, RED_LINE_KIND_LABELS, SchemeForm
from supplychain import db, scope
from supplychain.errors import Conflict, ValidationFailed
from supplychain.labels import pick
from supplychain.models import CERT_TYPES, PLEDGE_KINDS, Organisation, SupplyCategory
from supplychain.models.scheme import SchemeVersion
from supplychain.scoring import CERTIFICATE_LABELS, PLEDGE_LABELS, SCHEME_KINDS
from supplychain.security import STAFF, roles_required
from supplychain.services.core import locking
from supplychain.services.evaluation import schemes as service
from supplychain.views import conflicts

bp = Blueprint("schemes", __name__, url_prefix="/schemes")
MENU = [("schemes.index", _l("Scoring schemes"), STAFF)]
KIND_LABELS = {"admission": _l("Admission review"), "periodic": _l("Periodic evaluation")}
_PATH = re.compile(r"\[(\d+)\]")


def _category(category_id: int | None) -> SupplyCategory | None:
    if category_id is None:
        return None
    return db.session.get(SupplyCategory, category_id) or abort(404)


def _label(labels: dict, code: str) -> str:
    en, zh = labels.get(code, (code, code))
    return pick(str(zh), str(en))


#: A criterion's or red line's parameters, named as the edit form names them (issue 13 audit: no keys on the page).
PARAM_LABELS = {
    "cert_type": _l("Certificate type"), "pledge_kind": _l("Pledge kind"), "hours": _l("Hours"),
    "months": _l("Months"), "years": _l("Years"), "categories": _l("Incident categories"),
    "theme": _l("Questionnaire theme"), "require_verified": _l("Only verified certificates count"),
    "full_at": _l("Rate for 100 points (%)"), "zero_at": _l("Rate for 0 points (%)"),
    "min_lines": _l("Fewest receipt lines"),
    "manual_fallback": _l("Without receipts, the evaluator scores against the rubric"),
    "require_signed": _l("Not signing counts as refusing"),
}


@bp.app_template_global()
def scheme_param(key: str, value: object) -> str:
    """ "Pledge kind: Integrity pledge", "Incident categories: Environmental, Labour": a parameter in words."""
    from supplychain.evidence_labels import label as ev_label
    from supplychain.portal_labels import THEME_LABELS

    def word(item: object) -> str:
        if isinstance(item, bool):
            return _("Yes") if item else _("No")
        if key in ("cert_type", "pledge_kind"):
            en, zh = (CERTIFICATE_LABELS if key == "cert_type" else PLEDGE_LABELS).get(str(item), (item, item))
            return pick(str(zh), str(en))
        if key == "categories":
            return str(ev_label("incident_category", str(item)))
        if key == "theme":
            return str(THEME_LABELS.get(str(item), item))
        return str(item)

    values = value if isinstance(value, list | tuple) else [value]
    return f"{PARAM_LABELS.get(key, key)}: {', '.join(word(v) for v in values)}"


def _cert_choices() -> list[tuple[str, str]]:
    return [(code, _label(CERTIFICATE_LABELS, code)) for code in CERT_TYPES if code != "other"]


def _pledge_choices() -> list[tuple[str, str]]:
    return [(code, _label(PLEDGE_LABELS, code)) for code in PLEDGE_KINDS]


def _with_current(choices: list[tuple[str, str]], current: str | None) -> list[tuple[str, str]]:
    """Keep a stored value the lists no longer offer, so saving never changes it silently."""
    if current and current not in dict(choices):
        return [*choices, (current, current)]
    return choices


def _prepare(form: SchemeForm, add_blanks: bool) -> None:
    """Blank rows to add items without scripts, and the choices of every select."""
    if add_blanks:
        for dimension in form.dimensions:
            if len(dimension.form.criteria) < dimension.form.criteria.max_entries:
                dimension.form.criteria.append_entry()
        if len(form.dimensions) < form.dimensions.max_entries:
            blank = form.dimensions.append_entry()
            blank.form.criteria.append_entry()
            blank.form.criteria.append_entry()
        for rows in (form.bands, form.red_lines):
            if len(rows) < rows.max_entries:
                rows.append_entry()
    for dimension in form.dimensions:
        for criterion in dimension.form.criteria:
            criterion.form.cert_type.choices = _with_current(_cert_choices(), criterion.form.cert_type.data)
            criterion.form.pledge_kind.choices = _with_current(
                _pledge_choices(), criterion.form.pledge_kind.data
            )
    for red_line in form.red_lines:
        red_line.form.pledge_kind.choices = _with_current(_pledge_choices(), red_line.form.pledge_kind.data)


def _blank(values: dict, names: tuple[str, ...]) -> bool:
    return not any(str(values.get(name) or "").strip() for name in names)


def _raw_from(form: SchemeForm) -> tuple[dict, dict[str, str]]:
    """The kept rows as plain values, and a map from scheme paths to form field names."""
    names: dict[str, str] = {
        "name": "name_zh",
        "dimensions": "dimensions",
        "bands": "bands",
        "red_lines": "red_lines",
    }
    dimensions = []
    for fi, entry in enumerate(form.dimensions):
        values = entry.form.data
        criteria = []
        for fj, criterion in enumerate(entry.form.criteria):
            c_values = criterion.form.data
            if c_values.get("remove") or _blank(c_values, ("key", "name_zh", "name_en", "weight")):
                continue
            path = f"dimensions[{len(dimensions)}].criteria[{len(criteria)}]"
            names[path] = f"dimensions-{fi}-criteria-{fj}"
            criteria.append(c_values)
        if values.get("remove") or (_blank(values, ("key", "name_zh", "name_en", "weight")) and not criteria):
            continue
        names[f"dimensions[{len(dimensions)}]"] = f"dimensions-{fi}"
        dimensions.append(dict(values, criteria=criteria))
    kept: dict[str, list] = {"bands": [], "red_lines": []}
    for group, fields in (
        ("bands", ("key", "name_zh", "name_en", "min_score", "max_score")),
        ("red_lines", ("key", "name_zh", "name_en")),
    ):
        for fi, entry in enumerate(getattr(form, group)):
            values = entry.form.data
            if values.get("remove") or _blank(values, fields):
                continue
            names[f"{group}[{len(kept[group])}]"] = f"{group}-{fi}"
            kept[group].append(values)
    raw = {"name_zh": form.name_zh.data, "name_en": form.name_en.data, "dimensions": dimensions, **kept}
    return raw, names


_FIELD_NAMES = {"name": "name_zh", "rubric": "rubric_zh"}


def _field_name(path: str, names: dict[str, str]) -> str:
    """The form field of an error path: dimensions[0].criteria[1].weight → dimensions-0-criteria-1-weight
    (form rows are counted with the blank and removed ones)."""
    if path in names:
        return names[path]
    head, _, last = path.rpartition(".")
    if last.startswith("params") or head.endswith(".params"):
        head, _, _ = head.rpartition(".") if head.endswith(".params") else (head, "", "")
    if head in names:
        return f"{names[head]}-{_FIELD_NAMES.get(last, last)}"
    return ""


@bp.route("/")
@roles_required(*STAFF)
def index():
    """Every scheme line with its current version (and, for admins, a start for a category's own scheme)."""
    if request.args.get("start") and current_user.role == "admin":
        kind = request.args.get("kind", "")
        category_id = request.args.get("category_id", type=int)
        if kind in SCHEME_KINDS and category_id:
            return redirect(url_for(".edit", scheme_kind=kind, category_id=category_id,
                                    org=request.args.get("org", type=int) or None))
    lines = service.list_lines(db.session)
    db.session.commit()  # the default schemes are stored on first use
    categories = (
        db.session.query(SupplyCategory)
        .filter(SupplyCategory.active.is_(True))
        .order_by(SupplyCategory.code)
        .all()
    )
    return render_template(
        "schemes/index.html", lines=lines, categories=categories, kinds=SCHEME_KINDS, kind_labels=KIND_LABELS,
        organisations=[org for org in scope.organisations_in_scope(db.session) if org.parent_id is not None],
    )


@bp.route("/<int:version_id>")
@roles_required(*STAFF)
def view(version_id: int):
    """One stored version, read-only, with the line's history."""
    version = db.session.get(SchemeVersion, version_id) or abort(404)
    return render_template(
        "schemes/view.html",
        version=version,
        scheme=version.definition,
        history=service.history(db.session, version.code),
        kind_labels=KIND_LABELS,
        criterion_kinds=CRITERION_KIND_LABELS,
        red_line_kinds=RED_LINE_KIND_LABELS,
        band_actions=BAND_ACTION_LABELS,
    )


def _organisation(organisation_id: int | None, category):
    """The subsidiary whose own scheme is edited (?org=), inside the admin's scope and for a category."""
    if organisation_id is None:
        return None
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or category is None or not scope.current(db.session).allows(organisation.id):
        abort(404)
    return organisation


@bp.route("/edit/<scheme_kind>", methods=["GET", "POST"], defaults={"category_id": None})
@bp.route("/edit/<scheme_kind>/<int:category_id>", methods=["GET", "POST"])
@roles_required("admin")
def edit(scheme_kind: str, category_id: int | None):
    """Edit a scheme line (the default of a kind, or a category's own); saving stores a new version."""
    kind = scheme_kind
    if kind not in SCHEME_KINDS:
        abort(404)
    category = _category(category_id)
    organisation = _organisation(request.args.get("org", type=int), category)
    errors: dict[str, list] = {}
    if request.method == "POST":
        form = SchemeForm()
        _prepare(form, add_blanks=False)
        if form.validate_on_submit():
            raw, names = _raw_from(form)
            definition = service.definition_from_input(service.line_code(kind, category, organisation), kind, 1, raw)
            try:
                version = service.save_version(
                    db.session, kind, category, definition, current_user, form.note.data or "",
                    expected_version=locking.parse_version(form.version_id.data), organisation=organisation,
                )
            except Conflict:
                db.session.rollback()
                conflicts.show_saved_version(
                    form, service.latest(db.session, service.line_code(kind, category, organisation)))
            except ValidationFailed as failed:
                db.session.rollback()
                for path, messages in failed.errors.items():
                    name = _field_name(path, names)
                    errors.setdefault(name, []).extend(messages)
            else:
                db.session.commit()
                flash(_("Saved as version %(n)d.", n=version.version), "success")
                return redirect(url_for(".view", version_id=version.id))
        else:
            # Field errors (lengths) show on their fields; a bad CSRF token goes to the top of the form.
            errors[""] = [m for m in form.errors.get("csrf_token", [])] or [
                _("Some fields are too long: see the marks below.")]
    else:
        definition = service.starting_definition(db.session, kind, category, organisation)
        db.session.commit()
        form = SchemeForm(data=service.editor_values(definition))
        _prepare(form, add_blanks=True)
        opened = service.latest(db.session, service.line_code(kind, category, organisation))
        form.version_id.data = str(opened.version if opened else 0)
    current = service.latest(db.session, service.line_code(kind, category, organisation))
    return render_template(
        "schemes/edit.html",
        form=form,
        kind=kind,
        category=category,
        organisation=organisation,
        errors=errors,
        current=current,
        kind_labels=KIND_LABELS,
    )
