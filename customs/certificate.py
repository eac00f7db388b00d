"""The e-port card's certificate, in the project's own compact form.

A real card carries an X.509 SM2 certificate; tuihuo's gateway protocol needs only what identifies the
holder and binds the key, issued by a CA whose public key the gateway trusts. The certificate travels
as canonical JSON (sorted keys, no spaces, UTF-8); the issuer signs that JSON without the
`issuer_signature` member, with SM2 over SM3.
"""

from __future__ import annotations

import json

from pydantic import BaseModel, ConfigDict

from customs import crypto


class Certificate(BaseModel):
    model_config = ConfigDict(frozen=True)

    serial: str
    card_no: str
    operator_name: str
    enterprise_uscc: str
    customs_code: str
    enterprise_name: str
    public_key: str  # 128 hex digits
    issuer: str
    not_after: str  # ISO date
    issuer_signature: str = ""  # hex r||s

    def signed_part(self) -> bytes:
        body = self.model_dump(exclude={"issuer_signature"})
        return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

    def to_bytes(self) -> bytes:
        return json.dumps(
            self.model_dump(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> Certificate:
        return cls.model_validate_json(data)

    def issued_by(self, issuer_public_key: str) -> bool:
        """True when the issuer's signature over the certificate is valid under that key."""
        try:
            signature = bytes.fromhex(self.issuer_signature)
        except ValueError:
            return False
        return crypto.verify(issuer_public_key, self.signed_part(), signature)

    def issue(self, issuer_private_key: str) -> Certificate:
        """A copy signed by the issuer (used by the sandbox CA)."""
        signature = crypto.sign(issuer_private_key, self.signed_part())
        return self.model_copy(update={"issuer_signature": signature.hex()})
