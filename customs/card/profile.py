"""tuihuo's APDU profile for the e-port card (电子口岸卡): the one contract between host and card.

The host (`customs.card.Card`) and the sandbox's virtual card (`sandbox.card.Applet`) both build and
parse every APDU with the pure functions here, so the two sides cannot drift apart.

All APDUs are ISO 7816-4 *short* APDUs (Lc and Le one byte each), so every reader and pcscd's
default buffer carry them. Objects longer than one response are read in chunks.

Commands (C-APDU: CLA INS P1 P2 [Lc data] [Le]):

======================  ==================================  ======================================
command                 C-APDU                              answer (data, then SW1 SW2)
======================  ==================================  ======================================
SELECT                  00 A4 04 00 08 <AID>                (none) 9000; 6A82 for another AID
READ CARD DATA          80 CA <off hi> <off lo> <Le>        up to Le bytes of the card-data object
READ CERTIFICATE        80 B0 <off hi> <off lo> <Le>        up to Le bytes of the certificate object
VERIFY (check PIN)      00 20 00 01 <Lc> <PIN, ASCII>       9000; 63Cx wrong PIN, x tries left;
                                                            6983 blocked (also on the try that
                                                            used up the last attempt)
VERIFY (query)          00 20 00 01                         9000 verified; 63Cx not yet; 6983
SIGN, not last chunk    90 2A 00 00 <Lc> <data chunk>       9000 (chunk kept; ISO command chaining)
SIGN, last chunk        80 2A 00 00 <Lc> <data chunk> 00    r||s (64 bytes) 9000
======================  ==================================  ======================================

AID: F0 54 55 49 48 55 4F 01 (F0 = proprietary RID range, then ASCII "TUIHUO", version 01).

Objects: the card data and the certificate are each stored as an *object*: a 2-byte big-endian
length followed by that many bytes. The host reads offset 0, learns the total length from the
first two bytes and reads on with the offset in P1-P2 (15 bits) until it has it all. An offset past
the end answers 6B00. Le 00 means 256.

Card data: a sequence of TLVs (tag 1 byte, length 1 byte, value UTF-8), tags
01 card number (13 digits), 02 operator name, 03 enterprise USCC (18), 04 customs code (10),
05 enterprise name. Unknown tags are skipped, so a later card may carry more.

The certificate object holds `customs.certificate.Certificate.to_bytes()` (canonical JSON).

SIGN: the host sends the *message itself*, chained in chunks of at most `CHUNK` bytes; the card
signs it with SM2 over SM3 (Z of its own public key, then the message), exactly as
`customs.crypto.sign`, so `customs.crypto.verify(cert.public_key, data, signature)` holds. The card
refuses with 6982 unless VERIFY succeeded since the last power-up or reset. Any other command
between chunks abandons the chain. A message may be at most `MAX_SIGN_DATA` bytes (6700 above).

Other status words: 6700 wrong length, 6985 no applet selected (after power-up or reset),
6B00 offset past the end, 6A86 wrong P1-P2, 6A80 wrong data, 6D00 unknown INS, 6E00 unknown CLA.

The card forgets the selection, the verified PIN and a partial SIGN chain on power-off and reset;
the count of PIN tries left survives them (as it does on a real card's EEPROM), and a right PIN
resets it to the maximum (3).
"""

from __future__ import annotations

from dataclasses import dataclass

AID = bytes.fromhex("F054554948554F01")

CLA_ISO = 0x00
CLA_PROPRIETARY = 0x80
CLA_CHAINING = 0x10  # ISO 7816-4: "command is not the last of a chain"

INS_SELECT = 0xA4
INS_READ_CARD_DATA = 0xCA
INS_READ_CERTIFICATE = 0xB0
INS_VERIFY = 0x20
INS_SIGN = 0x2A

P2_PIN_REFERENCE = 0x01

CHUNK = 240  # bytes per chunk, both ways; under 255 so Lc/Le always fit one byte
MAX_OFFSET = 0x7FFF
MAX_SIGN_DATA = 1 << 20  # the sandbox card's buffer; a real card would take a digest instead
PIN_MIN_LENGTH = 4
PIN_MAX_LENGTH = 16
DEFAULT_PIN_TRIES = 3
SIGNATURE_LENGTH = 64

SW_OK = 0x9000
SW_WRONG_LENGTH = 0x6700
SW_SECURITY_NOT_SATISFIED = 0x6982
SW_PIN_BLOCKED = 0x6983
SW_NOT_SELECTED = 0x6985
SW_WRONG_DATA = 0x6A80
SW_FILE_NOT_FOUND = 0x6A82
SW_WRONG_P1P2 = 0x6A86
SW_OFFSET_OUT_OF_RANGE = 0x6B00
SW_INS_NOT_SUPPORTED = 0x6D00
SW_CLA_NOT_SUPPORTED = 0x6E00
SW_UNKNOWN = 0x6F00

TAG_CARD_NO = 0x01
TAG_OPERATOR_NAME = 0x02
TAG_ENTERPRISE_USCC = 0x03
TAG_CUSTOMS_CODE = 0x04
TAG_ENTERPRISE_NAME = 0x05


class ProfileError(ValueError):
    """Bytes that do not follow the profile (a malformed APDU, object or TLV)."""


@dataclass(frozen=True)
class CardInfo:
    """What READ CARD DATA answers: who holds the card and for which enterprise."""

    card_no: str
    operator_name: str
    enterprise_uscc: str
    customs_code: str
    enterprise_name: str


@dataclass(frozen=True)
class Command:
    """A parsed short C-APDU. `le` is None when absent; 0 in the APDU means 256."""

    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None

    @property
    def chained(self) -> bool:
        return bool(self.cla & CLA_CHAINING)

    @property
    def offset(self) -> int:
        return (self.p1 << 8) | self.p2


@dataclass(frozen=True)
class Response:
    """A parsed R-APDU."""

    data: bytes
    sw: int

    @property
    def ok(self) -> bool:
        return self.sw == SW_OK


# --- C-APDUs -----------------------------------------------------------------------------------


def build_command(
    cla: int, ins: int, p1: int, p2: int, data: bytes = b"", le: int | None = None
) -> bytes:
    """A short C-APDU (ISO 7816-4 cases 1-4). `le` is 1..256 (256 is sent as 00) or None."""
    for name, value in (("CLA", cla), ("INS", ins), ("P1", p1), ("P2", p2)):
        if not 0 <= value <= 0xFF:
            raise ProfileError(f"{name} {value} is not a byte")
    if len(data) > 255:
        raise ProfileError(f"{len(data)} bytes of data do not fit a short APDU")
    apdu = bytes((cla, ins, p1, p2))
    if data:
        apdu += bytes((len(data),)) + data
    if le is not None:
        if not 1 <= le <= 256:
            raise ProfileError(f"Le {le} out of 1..256")
        apdu += bytes((le & 0xFF,))
    return apdu


def parse_command(apdu: bytes) -> Command:
    """Parse a short C-APDU; raises ProfileError when its length matches no ISO case."""
    if len(apdu) < 4:
        raise ProfileError(f"C-APDU of {len(apdu)} bytes is shorter than its header")
    cla, ins, p1, p2 = apdu[0], apdu[1], apdu[2], apdu[3]
    body = apdu[4:]
    if not body:
        return Command(cla, ins, p1, p2)
    if len(body) == 1:
        return Command(cla, ins, p1, p2, le=body[0] or 256)
    lc = body[0]
    if lc == 0:
        raise ProfileError("extended APDUs are not part of the profile")
    if len(body) == 1 + lc:
        return Command(cla, ins, p1, p2, data=bytes(body[1:]))
    if len(body) == 2 + lc:
        return Command(cla, ins, p1, p2, data=bytes(body[1 : 1 + lc]), le=body[-1] or 256)
    raise ProfileError(f"Lc {lc} disagrees with {len(body) - 1} bytes of body")


def select_apdu(aid: bytes = AID) -> bytes:
    return build_command(CLA_ISO, INS_SELECT, 0x04, 0x00, aid)


def _read_apdu(ins: int, offset: int, length: int) -> bytes:
    if not 0 <= offset <= MAX_OFFSET:
        raise ProfileError(f"offset {offset} out of 0..{MAX_OFFSET}")
    return build_command(CLA_PROPRIETARY, ins, offset >> 8, offset & 0xFF, le=length)


def read_card_data_apdu(offset: int = 0, length: int = CHUNK) -> bytes:
    return _read_apdu(INS_READ_CARD_DATA, offset, length)


def read_certificate_apdu(offset: int = 0, length: int = CHUNK) -> bytes:
    return _read_apdu(INS_READ_CERTIFICATE, offset, length)


def pin_is_well_formed(pin: str) -> bool:
    """4 to 16 printable ASCII characters (the sandbox PIN is 8 digits)."""
    return PIN_MIN_LENGTH <= len(pin) <= PIN_MAX_LENGTH and pin.isascii() and pin.isprintable()


def verify_apdu(pin: str | None) -> bytes:
    """VERIFY with the PIN, or without data to ask how many tries are left."""
    if pin is None:
        return build_command(CLA_ISO, INS_VERIFY, 0x00, P2_PIN_REFERENCE)
    if not pin_is_well_formed(pin):
        raise ProfileError("the PIN must be 4 to 16 printable ASCII characters")
    return build_command(CLA_ISO, INS_VERIFY, 0x00, P2_PIN_REFERENCE, pin.encode("ascii"))


def sign_apdus(data: bytes) -> list[bytes]:
    """The SIGN chain for `data`: chained chunks, the last one asking for the 64-byte r||s."""
    if len(data) > MAX_SIGN_DATA:
        raise ProfileError(f"{len(data)} bytes exceed the card's {MAX_SIGN_DATA}-byte limit")
    chunks = [data[i : i + CHUNK] for i in range(0, len(data), CHUNK)] or [b""]
    apdus = [
        build_command(CLA_PROPRIETARY | CLA_CHAINING, INS_SIGN, 0x00, 0x00, chunk)
        for chunk in chunks[:-1]
    ]
    apdus.append(build_command(CLA_PROPRIETARY, INS_SIGN, 0x00, 0x00, chunks[-1], le=256))
    return apdus


# --- R-APDUs -----------------------------------------------------------------------------------


def build_response(data: bytes = b"", sw: int = SW_OK) -> bytes:
    if not 0 <= sw <= 0xFFFF:
        raise ProfileError(f"status word {sw:#x} is not two bytes")
    return bytes(data) + sw.to_bytes(2, "big")


def parse_response(rapdu: bytes) -> Response:
    if len(rapdu) < 2:
        raise ProfileError(f"R-APDU of {len(rapdu)} bytes has no status word")
    return Response(bytes(rapdu[:-2]), int.from_bytes(rapdu[-2:], "big"))


def wrong_pin_sw(tries_left: int) -> int:
    return 0x63C0 | max(0, min(tries_left, 15))


def tries_left_of(sw: int) -> int | None:
    """x of a 63Cx status word, else None."""
    return sw & 0x0F if sw & 0xFFF0 == 0x63C0 else None


# --- objects and card data ---------------------------------------------------------------------


def frame_object(content: bytes) -> bytes:
    """An object as the card stores it: 2-byte big-endian length, then the content."""
    if len(content) > MAX_OFFSET - 1:
        raise ProfileError(f"object of {len(content)} bytes is too long for 15-bit offsets")
    return len(content).to_bytes(2, "big") + content


def object_chunk(framed: bytes, offset: int, le: int) -> bytes | None:
    """The card's answer to a read at `offset`; None when the offset is past the end."""
    if offset >= len(framed):
        return None
    return framed[offset : offset + le]


def encode_card_data(info: CardInfo) -> bytes:
    out = bytearray()
    for tag, value in (
        (TAG_CARD_NO, info.card_no),
        (TAG_OPERATOR_NAME, info.operator_name),
        (TAG_ENTERPRISE_USCC, info.enterprise_uscc),
        (TAG_CUSTOMS_CODE, info.customs_code),
        (TAG_ENTERPRISE_NAME, info.enterprise_name),
    ):
        raw = value.encode("utf-8")
        if len(raw) > 255:
            raise ProfileError(f"tag {tag:02X}: {len(raw)} bytes do not fit one TLV")
        out += bytes((tag, len(raw))) + raw
    return bytes(out)


def decode_card_data(blob: bytes) -> CardInfo:
    """Parse the card-data TLVs; raises ProfileError when truncated, not UTF-8 or incomplete."""
    values: dict[int, str] = {}
    i = 0
    while i < len(blob):
        if i + 2 > len(blob):
            raise ProfileError(f"TLV header truncated at byte {i}")
        tag, length = blob[i], blob[i + 1]
        end = i + 2 + length
        if end > len(blob):
            raise ProfileError(f"tag {tag:02X} claims {length} bytes, {len(blob) - i - 2} remain")
        try:
            values[tag] = blob[i + 2 : end].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ProfileError(f"tag {tag:02X} is not UTF-8") from exc
        i = end
    missing = [
        t
        for t in (
            TAG_CARD_NO,
            TAG_OPERATOR_NAME,
            TAG_ENTERPRISE_USCC,
            TAG_CUSTOMS_CODE,
            TAG_ENTERPRISE_NAME,
        )
        if t not in values
    ]
    if missing:
        raise ProfileError("card data lacks tags " + ", ".join(f"{t:02X}" for t in missing))
    card_no = values[TAG_CARD_NO]
    if len(card_no) != 13 or not card_no.isdigit() or not card_no.isascii():
        raise ProfileError(f"card number {card_no!r} is not 13 digits")
    return CardInfo(
        card_no=card_no,
        operator_name=values[TAG_OPERATOR_NAME],
        enterprise_uscc=values[TAG_ENTERPRISE_USCC],
        customs_code=values[TAG_CUSTOMS_CODE],
        enterprise_name=values[TAG_ENTERPRISE_NAME],
    )
