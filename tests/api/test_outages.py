"""The API when its database cannot be reached: a 503 in the one JSON shape, quickly, in the client's language."""

from __future__ import annotations

import time

import pytest

from tests.web.test_outages import _free_port, hung_listener, other_app  # noqa: F401 - other_app is a fixture


@pytest.mark.parametrize("database", ["unreachable", "hung"])
def test_a_database_outage_is_a_json_503_with_retry_after(other_app, database):  # noqa: F811 - the fixture
    with hung_listener() as hung_port:
        port = _free_port() if database == "unreachable" else hung_port
        application = other_app(DATABASE_URL=f"postgresql://supplychain@127.0.0.1:{port}/supplychain")
        client = application.test_client()
        started = time.monotonic()
        response = client.get("/api/v1/suppliers/1", headers={"Authorization": "Bearer sc_" + "x" * 43,
                                                              "Accept-Language": "en"})
        seconds = time.monotonic() - started
        chinese = client.post("/api/v1/purchase-checks", json={"category": "equipment", "organisation": "GROUP"},
                              headers={"Authorization": "Bearer sc_" + "x" * 43, "Accept-Language": "zh"})
    assert response.status_code == 503 and int(response.headers["Retry-After"]) > 0
    assert response.json == {"code": 503, "status": "Service Unavailable", "message":
                             "The database cannot be reached right now; nothing was saved. Try again in a minute."}
    assert seconds < 10
    assert chinese.status_code == 503 and chinese.json["message"].startswith("目前无法连接数据库")
