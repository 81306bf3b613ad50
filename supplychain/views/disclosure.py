"""The yearly supply-chain disclosure: the page, the records behind every figure, PDF/CSV/XLSX files."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import lazy_gettext as _l

from supplychain import db, scope
from supplychain.clock import today
from supplychain.errors import ValidationFailed
from supplychain.labels import lang_tag
from supplychain.security import STAFF, roles_required
from supplychain.services.disclosure import definitions, downloads, figure_records, formatting, region_table, web_page
from supplychain.services.evaluation import scorecards

bp = Blueprint("disclosure", __name__, url_prefix="/disclosure")
MENU = [("disclosure.index", _l("Disclosure"), STAFF)]
PDF_LANGUAGES = {"both": ("zh", "en"), "zh": ("zh",), "zh_Hant": ("zh_Hant",), "en": ("en",),
                 "zh_Hant+en": ("zh_Hant", "en")}


def _has_endpoint(name: str) -> bool:
    return name in current_app.view_functions


def reporting_boundary():
    """The reporting boundary asked for (?org=ID), narrowed inside the user's scope; 404 outside it."""
    try:
        return scope.narrow_to_boundary(db.session, request.args.get("org", type=int))
    except LookupError:
        abort(404)


def _settings() -> definitions.Settings:
    """The disclosure settings with the page's or link's ?population= and ?layout= choices (ValidationFailed)."""
    return definitions.with_choices(definitions.settings_from(current_app.config), request.args.get("population"),
                                   request.args.get("layout"))


@bp.route("/")
@roles_required(*STAFF)
def index():
    """The disclosure of a reporting year (?year=, default last year), every figure linked to its records."""
    year = request.args.get("year") or str(today().year - 1)
    organisations = scope.organisations_in_scope(db.session)
    boundary = reporting_boundary()
    try:
        settings = _settings()
        page = web_page.page(db.session, year, today(), lang_tag(), boundary, settings)
    except ValidationFailed as failed:
        return render_template("disclosure/index.html", page=None, year=year[:10], errors=failed.errors,
                               organisations=organisations, boundary=boundary, choices={}), 400
    return render_template(
        "disclosure/index.html",
        organisations=organisations,
        boundary=boundary,
        page=page,
        year=page.result.year,
        errors={},
        display=formatting.display,
        units=definitions.UNITS,
        populations=definitions.POPULATION_LABELS,
        spec_by_code=definitions.SPEC_BY_CODE,
        layouts=definitions.REGION_LAYOUTS,
        seven_region_codes=region_table.SEVEN_REGION_CODES,
        # The choices that differ from the settings travel with every link (downloads, figures, the form).
        choices={key: request.args[key] for key in ("population", "layout") if request.args.get(key)},
    )


@bp.route("/<int:report_year>/figures/<figure_code>")
@roles_required(*STAFF)
def figure(report_year: int, figure_code: str):
    """The records behind one figure of one year (and its denominator, for a rate)."""
    reporting_boundary()
    try:
        found = figure_records.figure_records(db.session, report_year, figure_code, today(), settings=_settings())
    except ValidationFailed:
        abort(404)
    return render_template(
        "disclosure/figure.html", found=found, display=formatting.display, has_endpoint=_has_endpoint
    )


@bp.route("/<int:report_year>/export/<file_format>")
@roles_required(*STAFF)
def export(report_year: int, file_format: str):
    """The disclosure as PDF, CSV or XLSX (?lang=zh, zh_Hant, en, both or zh_Hant+en)."""
    languages = PDF_LANGUAGES.get(request.args.get("lang", "both"))
    if languages is None:
        abort(404)
    settings = scorecards.settings_from(current_app.config)
    boundary = reporting_boundary()
    try:
        chosen = _settings()
        data, name, content_type = downloads.export(
            db.session,
            report_year,
            file_format,
            today(),
            boundary,
            current_app.config["COMPANY_NAME"],
            languages,
            settings.font_path,
            settings.zone(),
            chosen,
        )
    except ValidationFailed:
        abort(404)
    response = Response(data, mimetype=content_type.split(";")[0])
    response.headers["Content-Type"] = content_type
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
