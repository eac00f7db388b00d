"""SM3 digests and SM2 signatures (GB/T 32905, GB/T 32918) over gmssl, as the e-port card uses them.

Keys are hex strings as gmssl takes them: a private key is 64 hex digits, a public key 128 (x||y,
uncompressed, without the 04 prefix). A signature is 64 bytes, r||s. Signing follows the standard's
"with SM3" form: the digest covers Z (the signer's identity hash, default ID 1234567812345678) and the
message, so a signature made on the card verifies here and on the gateway alike.
"""

from __future__ import annotations

import binascii
import hashlib
import secrets

from gmssl import sm2, sm3

_CURVE = sm2.default_ecc_table
_N = int(_CURVE["n"], 16)


def sm3_digest(data: bytes) -> bytes:
    """The 32-byte SM3 hash of `data`."""
    return bytes.fromhex(sm3.sm3_hash(list(data)))


def public_key_for(private_key_hex: str) -> str:
    """The public key (128 hex digits) of a private key."""
    crypt = sm2.CryptSM2(private_key=private_key_hex, public_key="")
    point = crypt._kg(int(private_key_hex, 16), _CURVE["g"])  # gmssl has no public keygen API
    return point.lower()


def generate_keypair(seed: bytes | None = None) -> tuple[str, str]:
    """A new (private, public) key pair; deterministic when `seed` is given (sandbox cards)."""
    if seed is None:
        d = secrets.randbelow(_N - 2) + 1
    else:
        d = int.from_bytes(hashlib.sha256(b"tuihuo-sm2:" + seed).digest(), "big") % (_N - 2) + 1
    private = f"{d:064x}"
    return private, public_key_for(private)


def sign(private_key_hex: str, data: bytes) -> bytes:
    """SM2 signature (r||s, 64 bytes) with SM3 over Z||data."""
    crypt = sm2.CryptSM2(private_key=private_key_hex, public_key=public_key_for(private_key_hex))
    k = f"{secrets.randbelow(_N - 2) + 1:064x}"
    return binascii.unhexlify(crypt.sign_with_sm3(data, k))


def verify(public_key_hex: str, data: bytes, signature: bytes) -> bool:
    """True when `signature` (r||s) is the SM2-with-SM3 signature of `data` under the key."""
    if len(signature) != 64 or len(public_key_hex) != 128:
        return False
    crypt = sm2.CryptSM2(private_key="", public_key=public_key_hex)
    try:
        return bool(crypt.verify_with_sm3(signature.hex(), data))
    except (ValueError, TypeError, ZeroDivisionError):
        return False
