"""The sandbox customs gateway: the `/v1` protocol of customs.wire with a realistic review flow.

`create_app(GatewayConfig(...))` builds the FastAPI application; `python -m sandbox serve` runs it
on uvicorn (sandbox.gateway.cli). Its import declarations come from sandbox.gateway.data.
"""

from __future__ import annotations

from sandbox.gateway.app import create_app
from sandbox.gateway.config import SANDBOX_CA_PUBLIC_KEY, Fault, GatewayConfig
from sandbox.gateway.data import generate_declarations, sample_numbers

__all__ = [
    "SANDBOX_CA_PUBLIC_KEY",
    "Fault",
    "GatewayConfig",
    "create_app",
    "generate_declarations",
    "sample_numbers",
]
