"""Who a sandbox e-port card belongs to, derived deterministically from its 13-digit card number.

- The operator's name comes from the card number's last four digits (…0001 张三, …0002 李四, …).
- The enterprise (area, USCC, customs code, name) and nothing else comes from SHA-256 of the card
  number; its USCC carries a valid GB 11714 organisation code and a valid GB 32100 check character.
- The card's SM2 key is `customs.crypto.generate_keypair(b"tuihuo-sandbox-card:" + card_no)`.
- Its certificate is issued by the sandbox CA, whose key is `generate_keypair(SANDBOX_CA_SEED)`;
  the gateway sandbox trusts `SANDBOX_CA_PUBLIC_KEY`.
- Every sandbox card's PIN is `SANDBOX_PIN` unless the command line says otherwise.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache

from customs.card.profile import CardInfo
from customs.certificate import Certificate
from customs.crypto import generate_keypair
from store.ids import uscc_check_char

SANDBOX_PIN = "88888888"  # the PIN of every sandbox card (8 digits, like a real e-port card's)
SANDBOX_CARD_NO = "8800000000001"  # the default card: operator 张三
SANDBOX_CA_SEED = b"tuihuo-sandbox-ca"
SANDBOX_CA_NAME = "tuihuo sandbox CA"
# = customs.crypto.generate_keypair(SANDBOX_CA_SEED)[1]; written out so importing costs nothing
# (tests/test_card_applet.py checks that the two agree).
SANDBOX_CA_PUBLIC_KEY = (
    "d451a5e2cfc80c6fd7e7f163009ca6750bad86fb7acbce7abe58e1caad69e3ff"
    "26f7819bd755062bcc1fec17bc3d4bbb2771aa675574218f4d7ffd6ee41814a1"
)
CERTIFICATE_NOT_AFTER = "2036-12-31"

OPERATOR_NAMES = (
    "张三",
    "李四",
    "王五",
    "赵六",
    "陈晓明",
    "刘芳",
    "杨洋",
    "黄丽娟",
    "周建国",
    "吴婷婷",
    "徐志强",
    "孙悦",
)

# (GB/T 2260 division, city) of the sandbox's enterprises
_AREAS = (
    ("310115", "上海浦东"),
    ("440300", "深圳"),
    ("330206", "宁波北仑"),
    ("120116", "天津滨海"),
    ("370202", "青岛"),
    ("320583", "昆山"),
)
_TRADES = ("华信", "远航", "瑞丰", "恒通", "嘉禾", "新海", "东升", "锦程")
_KINDS = ("进出口有限公司", "国际贸易有限公司", "电子科技有限公司", "供应链管理有限公司")

_ORG_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # what a USCC may hold
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def sandbox_ca_keypair() -> tuple[str, str]:
    """(private, public) key of the sandbox CA."""
    return generate_keypair(SANDBOX_CA_SEED)


def _org_code_check(body: str) -> str:
    """GB 11714 check character of an 8-character organisation code body."""
    total = sum(int(c, 36) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


@dataclass(frozen=True)
class CardIdentity:
    """Everything a sandbox card holds. The private key never leaves the sandbox."""

    card_no: str
    operator_name: str
    enterprise_uscc: str
    customs_code: str
    enterprise_name: str
    public_key: str
    certificate: Certificate = field(repr=False)
    private_key: str = field(repr=False)

    @property
    def info(self) -> CardInfo:
        return CardInfo(
            card_no=self.card_no,
            operator_name=self.operator_name,
            enterprise_uscc=self.enterprise_uscc,
            customs_code=self.customs_code,
            enterprise_name=self.enterprise_name,
        )


def is_card_no(value: str) -> bool:
    return len(value) == 13 and value.isascii() and value.isdigit()


@cache
def card_identity(card_no: str = SANDBOX_CARD_NO) -> CardIdentity:
    """The sandbox card with this 13-digit number (the same number gives the same card)."""
    if not is_card_no(card_no):
        raise ValueError(f"card number {card_no!r} is not 13 digits")
    digest = hashlib.sha256(b"tuihuo-sandbox-card:" + card_no.encode()).digest()
    number = int.from_bytes(digest, "big")
    division, city = _AREAS[digest[0] % len(_AREAS)]
    org_body = "".join(_ORG_ALPHABET[(number >> (5 * i)) % 10] for i in range(8))
    org_code = org_body + _org_code_check(org_body)
    first17 = "91" + division + org_code  # 9 工商, 1 企业
    uscc = first17 + uscc_check_char(first17)
    # customs code: 4 area, 1 economic zone (9: none), 1 type (1: 进出口收发货人), 4 sequence
    customs_code = f"{division[:4]}91{number % 10000:04d}"
    name = f"{city}{_TRADES[digest[1] % len(_TRADES)]}{_KINDS[digest[2] % len(_KINDS)]}"
    operator = OPERATOR_NAMES[(int(card_no[-4:]) - 1) % len(OPERATOR_NAMES)]
    private_key, public_key = generate_keypair(b"tuihuo-sandbox-card:" + card_no.encode())
    ca_private, _ = sandbox_ca_keypair()
    certificate = Certificate(
        serial=digest[8:16].hex().upper(),
        card_no=card_no,
        operator_name=operator,
        enterprise_uscc=uscc,
        customs_code=customs_code,
        enterprise_name=name,
        public_key=public_key,
        issuer=SANDBOX_CA_NAME,
        not_after=CERTIFICATE_NOT_AFTER,
    ).issue(ca_private)
    return CardIdentity(
        card_no=card_no,
        operator_name=operator,
        enterprise_uscc=uscc,
        customs_code=customs_code,
        enterprise_name=name,
        public_key=public_key,
        certificate=certificate,
        private_key=private_key,
    )
