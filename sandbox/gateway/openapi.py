"""`python -m sandbox.gateway.openapi`: prints the gateway's OpenAPI document (docs/gateway-openapi.json).

The checked-in copy is compared with the live `/openapi.json` by tests/test_gateway.py.
"""

from __future__ import annotations

import json

from sandbox.gateway.app import create_app


def document() -> str:
    return json.dumps(create_app().openapi(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(document(), end="")
