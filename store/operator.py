"""Who is acting: the holder of the inserted e-port card and the enterprise it belongs to.

Every query and change of the store is scoped to `enterprise_uscc`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Operator:
    card_no: str
    name: str
    enterprise_uscc: str
    customs_code: str
    enterprise_name: str
