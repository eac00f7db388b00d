"""Property test of the sandbox gateway from its own served OpenAPI document (schemathesis).

Requests generated from `/openapi.json` (valid and invalid ones), most with a live session's token,
against a real uvicorn server: none may get a 5xx, and every error answer is a problem document.
Bounded to a few hundred requests so it stays well under a minute.
"""

from __future__ import annotations

import random

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings

from customs.client import GatewayClient
from tests.fixtures_gateway import RunningGateway, login, make_card

EXAMPLES_PER_OPERATION = 40


@pytest.fixture
async def api_token(gateway: RunningGateway) -> str:
    async with GatewayClient(gateway.url, timeout=5, retries=0) as client:
        session = await login(client, make_card(1))
    return session.token


@pytest.fixture
def api_schema(gateway: RunningGateway) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{gateway.url}/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_generated_request_gets_a_server_error(
    case: schemathesis.Case, gateway: RunningGateway, api_token: str
) -> None:
    headers = dict(case.headers or {})
    if random.Random(repr(case.path_parameters) + repr(case.body)).random() < 0.8:
        headers["Authorization"] = f"Bearer {api_token}"
    response = case.call(base_url=gateway.url, headers=headers, timeout=10)
    assert response.status_code < 500, (case.method, case.path, response.text)
    if response.status_code >= 400:
        assert response.headers["content-type"][0] == "application/problem+json", response.text
        problem = response.json()
        assert problem["status"] == response.status_code
        assert {"type", "title", "status", "detail"} <= problem.keys()
