"""Administration: accounts and the supply-category list."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from forms.suppliers import CategoryForm
from forms.users import ROLE_LABELS, UserForm
from supplychain import db, scope
from supplychain.models import SupplyCategory
from supplychain.security import roles_required
from supplychain.services.core import audit, locking, users
from supplychain.services.registry import categories
from supplychain.views import conflicts
from supplychain.views.forms_support import saving

bp = Blueprint("admin", __name__, url_prefix="/admin")
MENU = [("admin.user_list", _l("Users"), ("admin",)), ("admin.category_list", _l("Categories"), ("admin",))]


def _user_data(form: UserForm) -> users.UserData:
    return users.UserData(email=form.email.data or "", role=form.role.data, name=form.name.data or "",
                          supplier_id=form.supplier_id.data, active=bool(form.active.data),
                          locale=form.locale.data or None, organisation_id=form.organisation_id.data or None)


def _user_form(**kwargs) -> UserForm:
    form = UserForm(**kwargs)
    form.organisation_id.choices = [(0, "—")] + [
        (org.id, org.display_name) for org in scope.organisations_in_scope(db.session)
    ]
    return form


@bp.route("/users")
@roles_required("admin")
def user_list():
    """Every account with its role and state."""
    return render_template("admin/users.html", users=users.list_users(db.session), role_labels=ROLE_LABELS)


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required("admin")
def user_create():
    """Create an account."""
    form = _user_form()
    if request.method == "GET" and current_user.organisation_id:
        form.organisation_id.data = current_user.organisation_id
    if form.validate_on_submit():
        with saving(form) as outcome:
            user = users.create_user(db.session, _user_data(form), form.password.data or "", current_user)
        if outcome.saved:
            flash(_("Account %(email)s created.", email=user.email), "success")
            return redirect(url_for(".user_list"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@roles_required("admin")
def user_edit(user_id: int):
    """Edit an account: role, state, language, password."""
    user = users.get_user(db.session, user_id) or abort(404)
    form = _user_form(obj=None if request.method == "POST" else user)
    if request.method == "GET":
        form.locale.data = user.locale or ""
    if form.validate_on_submit():
        with saving(form, on_conflict=lambda: conflicts.show(form, user, "user")) as outcome:
            locking.check(user, form.version_id.data)
            users.update_user(db.session, user, _user_data(form), current_user, password=form.password.data or None)
        if outcome.saved:
            flash(_("Changes saved."), "success")
            return redirect(url_for(".user_list"))
    return render_template("admin/user_form.html", form=form, user=user,
                           trail=audit.for_entity(db.session, "user", user.id))


@bp.route("/categories")
@roles_required("admin")
def category_list():
    """The supply-category reference list."""
    return render_template("admin/categories.html", categories=categories.list_categories(db.session))


@bp.route("/categories/new", methods=["GET", "POST"], defaults={"category_id": None})
@bp.route("/categories/<int:category_id>/edit", methods=["GET", "POST"])
@roles_required("admin")
def category_edit(category_id: int | None):
    """Create or edit a supply category."""
    category = None
    if category_id is not None:
        category = db.session.get(SupplyCategory, category_id) or abort(404)
    form = CategoryForm(obj=None if request.method == "POST" else category)
    if request.method == "GET" and category is not None:
        form.requires_trial.data = "1" if category.requires_trial else "0"
        form.active.data = "1" if category.active else "0"
    if form.validate_on_submit():
        data = categories.CategoryData(form.code.data, form.name_zh.data, form.name_en.data,
                                       form.requires_trial.data == "1", form.active.data == "1", form.risk_level.data)
        with saving(form, on_conflict=lambda: conflicts.show(form, category, "category")) as outcome:
            if category is not None:
                locking.check(category, form.version_id.data)
            categories.save_category(db.session, data, current_user, category)
        if outcome.saved:
            flash(_("Changes saved."), "success")
            return redirect(url_for(".category_list"))
    return render_template("admin/category_form.html", form=form, category=category)
