"""Query parameters of the sandbox gateway, from its served OpenAPI document (schemathesis).

The operations that take query parameters, every request with a live session's token (so each
query reaches the handler instead of stopping at 401), valid and invalid values both, boundaries
included (schemathesis' coverage phase: the longest string, one past it, the pattern broken):
none may get a 5xx, and every refusal is a problem document. The cursor that overflowed SQLite's
integer (`since` of 20+ digits: a 500 and a reset connection) is asked for by name as well.
"""

from __future__ import annotations

import json

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings

from customs.client import GatewayClient
from tests.fixtures_gateway import ROOT, RunningGateway, login, make_card

EXAMPLES_PER_OPERATION = 40


@pytest.fixture
async def api_token(gateway: RunningGateway) -> str:
    async with GatewayClient(gateway.url, timeout=5, retries=0) as client:
        session = await login(client, make_card(1))
    return session.token


def _with_query() -> list[str]:
    """Operations with query parameters, read from the protocol document (the served one: see
    test_the_checked_in_openapi_document_is_the_served_one)."""
    document = json.loads((ROOT / "docs" / "gateway-openapi.json").read_text(encoding="utf-8"))
    return [
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if any(p.get("in") == "query" for p in operation.get("parameters", []))
    ]


WITH_QUERY = _with_query()


def _largest(value: object) -> str | None:
    """A numeric string at its largest for its length ('000' -> '999'): where integers overflow."""
    return "9" * len(value) if isinstance(value, str) and value.isdigit() else None


@pytest.fixture
def api_schema(gateway: RunningGateway) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{gateway.url}/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema").include(name=WITH_QUERY)


def test_the_gateway_has_query_parameters_to_cover() -> None:
    assert "GET /v1/receipts" in WITH_QUERY


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_generated_query_gets_a_server_error(
    case: schemathesis.Case, gateway: RunningGateway, api_token: str
) -> None:
    headers = {**(case.headers or {}), "Authorization": f"Bearer {api_token}"}
    queries = [case.query]
    if isinstance(case.query, dict) and any(map(_largest, case.query.values())):
        # the coverage phase sends its longest numeric strings as zeros: send them as nines too
        queries.append({k: _largest(v) or v for k, v in case.query.items()})
    for query in queries:
        case.query = query
        response = case.call(base_url=gateway.url, headers=headers, timeout=10)
        assert response.status_code < 500, (case.method, case.path, query, response.text)
        if response.status_code >= 400:
            assert response.headers["content-type"][0] == "application/problem+json"
            assert response.json()["status"] == response.status_code


@pytest.mark.parametrize("digits", [19, 20, 25, 40])
async def test_a_cursor_beyond_the_feed_is_refused_with_a_422(
    gateway: RunningGateway, api_token: str, digits: int
) -> None:
    async with httpx.AsyncClient(base_url=gateway.url) as http:
        response = await http.get(
            "/v1/receipts",
            params={"since": "9" * digits},
            headers={"Authorization": f"Bearer {api_token}"},
        )
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
        # the connection survives: the next request on it is answered
        page = await http.get(
            "/v1/receipts",
            params={"since": "9" * 18},
            headers={"Authorization": f"Bearer {api_token}"},
        )
    assert page.status_code == 200 and page.json()["receipts"] == []
