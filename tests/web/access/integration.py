"""The integration: admin pages for API clients and purchase rules, the API reference and the API itself.

API routes answer 401 to every role: a browser session is not a bearer token. tests/api/test_access.py
covers the API's own dimension (no token, wrong scope, another organisation's data).
"""

from tests.factories import gen_supplier
from tests.integration_factories import gen_api_client
from tests.web.access import ROLES, allow

ADMIN = ("admin",)
PUBLIC = {role: 200 for role in ROLES}
TOKEN_ONLY = {role: 401 for role in ROLES}

RULES = {
    "integration.client_list": {"GET": allow(ADMIN)},
    # A POST with only the CSRF token is a form error (200); rotating shows the new token (200).
    "integration.client_create": {"GET": allow(ADMIN), "POST": allow(ADMIN)},
    "integration.client_edit": {"GET": allow(ADMIN), "POST": allow(ADMIN)},
    "integration.client_rotate": {"POST": allow(ADMIN)},
    "integration.client_revoke": {"POST": allow(ADMIN, ok=302)},
    "integration.rule_list": {"GET": allow(ADMIN)},
    "integration.rule_edit": {"GET": allow(ADMIN), "POST": allow(ADMIN)},
    "api_reference.reference": {"GET": PUBLIC},
    "api-docs.openapi_json": {"GET": PUBLIC},
    "api_suppliers.SupplierList": {"GET": TOKEN_ONLY},
    "api_suppliers.SupplierById": {"GET": TOKEN_ONLY},
    "api_suppliers.SupplierByCreditCode": {"GET": TOKEN_ONLY},
    "api_changes.Changes": {"GET": TOKEN_ONLY},
    "api_purchase_checks.PurchaseChecks": {"POST": TOKEN_ONLY},
    "api_purchasing.SpendBatches": {"POST": TOKEN_ONLY},
    "api_purchasing.ReceiptBatches": {"POST": TOKEN_ONLY},
}


def sample(session) -> dict:
    """An API client and a supplier's credit code."""
    api_client, _token = gen_api_client(session)
    return {"client_id": api_client.id, "credit_code": gen_supplier(session, name_zh="接口抽样有限公司").credit_code}
