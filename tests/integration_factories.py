"""Test data for the integration: API clients (with their tokens), purchase checks."""

from __future__ import annotations

from supplychain.models import API_SCOPES, ApiClient, Organisation
from supplychain.services.integration import api_clients

_names = iter(range(1, 10**6))


def gen_api_client(session, scopes=API_SCOPES, organisation: Organisation | None = None,
                   rate_limit: int = 600, name: str | None = None) -> tuple[ApiClient, str]:
    """An API client and its token (all scopes, the whole group, unless told)."""
    data = api_clients.ClientData(name=name or f"Platform {next(_names)}", scopes=list(scopes),
                                  organisation_code=organisation.code if organisation else "", rate_limit=rate_limit)
    return api_clients.create_client(session, data, None)


def bearer(token: str, language: str = "en") -> dict:
    """Request headers of an API call with this token."""
    return {"Authorization": f"Bearer {token}", "Accept-Language": language}
