"""Foundation routes: home, auth, suppliers, admin."""

from tests.factories import gen_category, gen_supplier, gen_user
from tests.web.access import EDITORS, ROLES, STAFF, allow

FORM_POST = {200, 302}  # a re-rendered form with errors, or a redirect after a handled post

RULES = {
    "main.home": {"GET": {**allow(ROLES[1:]), "supplier": 302}},  # supplier users go to the portal
    "main.set_language": {"POST": {role: 302 for role in ROLES}},
    "auth.login": {"GET": {role: 200 if role == "anonymous" else 302 for role in ROLES},
                   "POST": {role: 200 if role == "anonymous" else 302 for role in ROLES}},
    "auth.logout": {"POST": {role: 302 for role in ROLES}},
    "suppliers.index": {"GET": allow(STAFF)},
    "suppliers.view": {"GET": allow(STAFF)},
    "suppliers.create": {"GET": allow(EDITORS), "POST": allow(EDITORS, ok=200)},
    "suppliers.edit": {"GET": allow(EDITORS), "POST": allow(EDITORS, ok=200)},
    "suppliers.change_status": {"POST": allow(EDITORS, ok=302)},
    "admin.user_list": {"GET": allow(("admin",))},
    "admin.user_create": {"GET": allow(("admin",)), "POST": allow(("admin",), ok=200)},
    "admin.user_edit": {"GET": allow(("admin",)), "POST": allow(("admin",), ok=200)},
    "admin.category_list": {"GET": allow(("admin",))},
    "admin.category_edit": {"GET": allow(("admin",)), "POST": allow(("admin",), ok=200)},
}


def sample(session) -> dict:
    """A supplier, a user and a category for URL arguments."""
    supplier = gen_supplier(session)
    return {"supplier_id": supplier.id, "user_id": gen_user(session, "reviewer").id,
            "category_id": gen_category(session, "services", "服务", "Services").id, "code": "en"}
