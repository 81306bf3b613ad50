"""Tokens through HTTP: none, wrong, revoked, rotated, wrong scope; rate limit per client; every call logged."""

from __future__ import annotations

import time

from sqlalchemy import select

from supplychain import db
from supplychain.extensions import limiter
from supplychain.models import ApiCall, ApiClient
from supplychain.services.integration import api_clients
from tests.factories import gen_supplier
from tests.integration_factories import bearer, gen_api_client
from tests.redis_support import redis_url


def test_no_token_is_401_in_the_one_error_shape(client, session):
    response = client.get("/api/v1/suppliers/", headers={"Accept-Language": "en"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json == {"code": 401, "status": "Unauthorized",
                             "message": "Send a valid API token: Authorization: Bearer <token>."}


def test_a_wrong_or_malformed_token_is_401(client, session):
    gen_api_client(session)
    session.commit()
    for header in ("Bearer sc_not-a-token", "Basic dXNlcjpwYXNz", "Bearer", "sc_x"):
        assert client.get("/api/v1/suppliers/", headers={"Authorization": header}).status_code == 401


def test_the_token_is_stored_only_as_its_hash(session):
    api_client, token = gen_api_client(session)
    session.commit()
    assert token.startswith("sc_") and len(token) > 40
    stored = session.scalar(select(ApiClient).where(ApiClient.id == api_client.id))
    assert stored.token_hash == api_clients.token_hash(token) and token not in (stored.token_hash, stored.scopes)
    assert stored.token_prefix == token[:10]


def test_a_missing_scope_is_403(client, session):
    _, token = gen_api_client(session, scopes=["changes:read"])
    session.commit()
    response = client.get("/api/v1/suppliers/", headers=bearer(token))
    assert response.status_code == 403
    assert response.json["message"] == "This API client's scopes do not allow this call."
    assert client.get("/api/v1/changes", headers=bearer(token)).status_code == 200


def test_revoked_and_rotated_tokens_stop_working_at_once(client, session):
    api_client, token = gen_api_client(session)
    session.commit()
    client_id = api_client.id
    assert client.get("/api/v1/changes", headers=bearer(token)).status_code == 200
    api_client = session.get(ApiClient, client_id)  # the request ended the session that loaded it
    new_token = api_clients.rotate(session, api_client, None)
    session.commit()
    assert client.get("/api/v1/changes", headers=bearer(token)).status_code == 401
    assert client.get("/api/v1/changes", headers=bearer(new_token)).status_code == 200
    api_clients.revoke(session, session.get(ApiClient, client_id), None)
    session.commit()
    assert client.get("/api/v1/changes", headers=bearer(new_token)).status_code == 401


def test_rate_limit_is_per_client(client, session):
    _, slow = gen_api_client(session, rate_limit=3)
    _, other = gen_api_client(session, rate_limit=1000)
    session.commit()
    statuses = [client.get("/api/v1/changes", headers=bearer(slow)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/changes", headers=bearer(slow))
    assert limited.status_code == 429 and limited.json["code"] == 429
    assert client.get("/api/v1/changes", headers=bearer(other)).status_code == 200


def test_a_client_limit_counts_in_redis_in_one_round_trip_per_call(app, session, database_url, monkeypatch):
    """Several workers share the count through Redis; counting and the headers cost one round trip (issue 10)."""
    import redis

    from app import create_app

    url = redis_url()
    redis.Redis.from_url(url).flushdb()
    _, token = gen_api_client(session, rate_limit=3, scopes=["suppliers:read"])
    _, other_token = gen_api_client(session, rate_limit=3, scopes=["suppliers:read"])
    supplier = gen_supplier(session)
    session.commit()
    commands: list[str] = []
    original = redis.Redis.execute_command
    monkeypatch.setattr(redis.Redis, "execute_command",
                        lambda self, *args, **kwargs: commands.append(args[0]) or original(self, *args, **kwargs))
    try:
        workers = [create_app(config={"DATABASE_URL": database_url, "RATELIMIT_STORAGE_URI": url,
                                      "RATELIMIT_STORAGE_URI_SET": True}, env="testing").test_client()
                   for _ in range(2)]
        # Another client's call first: Redis may not hold the counting script yet (a fresh server, or one that
        # restarted), and redis-py then loads it and evaluates again, a second round trip once per server.
        workers[0].get(f"/api/v1/suppliers/{supplier.id}", headers=bearer(other_token))
        commands.clear()
        responses = [workers[n % 2].get(f"/api/v1/suppliers/{supplier.id}", headers=bearer(token)) for n in range(4)]
    finally:  # the suite's app counts in memory again, on its own engine
        create_app(config={"DATABASE_URL": database_url}, env="testing")
        limiter._storage_dead = False
        db.bind(app.extensions["sqlalchemy_engine"])
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert [r.headers["X-RateLimit-Remaining"] for r in responses] == ["2", "1", "0", "0"]
    resets = {int(r.headers["X-RateLimit-Reset"]) for r in responses}
    assert max(resets) - min(resets) <= 1 and time.time() < min(resets) and max(resets) <= time.time() + 62
    assert "GET" not in commands and "TTL" not in commands
    assert len([c for c in commands if c.startswith("EVAL")]) == 4


def test_every_call_is_logged_with_its_client_and_status(client, session):
    api_client, token = gen_api_client(session, scopes=["suppliers:read"])
    supplier = gen_supplier(session)
    session.commit()
    client_id, supplier_id = api_client.id, supplier.id
    client.get(f"/api/v1/suppliers/{supplier_id}", headers=bearer(token))
    client.get("/api/v1/changes", headers=bearer(token))
    client.get("/api/v1/changes")
    session.expire_all()
    calls = list(session.scalars(select(ApiCall).order_by(ApiCall.id)))
    assert [(c.client_id, c.method, c.path, c.status) for c in calls] == [
        (client_id, "GET", f"/api/v1/suppliers/{supplier_id}", 200),
        (client_id, "GET", "/api/v1/changes", 403),
        (None, "GET", "/api/v1/changes", 401),
    ]


def test_csrf_does_not_apply_to_bearer_calls_but_stays_on_for_forms(client, session):
    from tests.factories import gen_user
    from tests.web.helpers import login

    _, token = gen_api_client(session)
    gen_supplier(session, categories=["equipment"])
    admin_email = gen_user(session, "admin").email
    session.commit()
    response = client.post("/api/v1/purchase-checks", headers=bearer(token),
                           json={"supplier_id": 999999, "category": "equipment", "organisation": "GROUP"})
    assert response.status_code == 422  # reached the endpoint without a CSRF token
    login(client, admin_email)
    assert client.post("/admin/api-clients/new", data={"name": "x", "scopes": ["changes:read"]}).status_code == 400


def test_a_purchase_check_and_its_log_line_are_saved_together_once(client, session):
    from supplychain.models import PurchaseCheck

    api_client, token = gen_api_client(session)
    supplier = gen_supplier(session, categories=["equipment"])
    session.commit()
    client_id, supplier_id = api_client.id, supplier.id
    body = {"supplier_id": supplier_id, "category": "equipment", "organisation": "GROUP"}
    assert client.post("/api/v1/purchase-checks", headers=bearer(token), json=body).status_code == 201
    assert client.post("/api/v1/purchase-checks", headers=bearer(token),
                       json={**body, "category": "nope"}).status_code == 422
    session.expire_all()
    calls = [(c.client_id, c.method, c.status) for c in session.scalars(select(ApiCall).order_by(ApiCall.id))]
    assert calls == [(client_id, "POST", 201), (client_id, "POST", 422)]
    assert [c.supplier_id for c in session.scalars(select(PurchaseCheck))] == [supplier_id]


def test_a_read_call_logs_without_waiting_for_the_flush_on_postgresql_only(client, session, app):
    from sqlalchemy import event

    _, token = gen_api_client(session, scopes=["changes:read"])
    session.commit()
    statements: list[str] = []
    engine = session.get_bind()

    def remember(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", remember)
    try:
        assert client.get("/api/v1/changes", headers=bearer(token)).status_code == 200
        app.config["API_READ_LOG_ASYNC_COMMIT"] = False
        assert client.get("/api/v1/changes", headers=bearer(token)).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", remember)
        app.config["API_READ_LOG_ASYNC_COMMIT"] = True
    asynchronous = [s for s in statements if "synchronous_commit" in s]
    assert asynchronous == (["SET LOCAL synchronous_commit TO OFF"] if engine.dialect.name == "postgresql" else [])
    session.expire_all()
    assert len(list(session.scalars(select(ApiCall)))) == 2
