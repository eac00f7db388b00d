"""The sandbox card's applet and identity, and the host's `Card`, in process (no PC/SC)."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from customs import crypto
from customs.card import (
    AsyncCard,
    Card,
    CardBlocked,
    CardError,
    CardProtocolError,
    CardRemoved,
    PinRequired,
    Transport,
    WrongPin,
    profile,
)
from sandbox.card import (
    SANDBOX_CA_PUBLIC_KEY,
    SANDBOX_CARD_NO,
    SANDBOX_PIN,
    Applet,
    InProcessTransport,
    card_identity,
    in_process_card,
)
from sandbox.card.identity import SANDBOX_CA_SEED
from store.ids import is_customs_code, is_uscc

WRONG_PIN = "12345678"


@pytest.fixture
def applet() -> Applet:
    return Applet()


@pytest.fixture
def card(applet: Applet) -> Card:
    return Card(InProcessTransport(applet))


def sw(answer: bytes) -> int:
    return profile.parse_response(answer).sw


# --- identity ----------------------------------------------------------------------------------


def test_ca_public_key_constant_is_the_seeded_key() -> None:
    assert crypto.generate_keypair(SANDBOX_CA_SEED)[1] == SANDBOX_CA_PUBLIC_KEY


def test_default_identity_is_deterministic_and_valid() -> None:
    identity = card_identity()
    assert identity.card_no == SANDBOX_CARD_NO
    assert identity.operator_name == "张三"
    assert is_uscc(identity.enterprise_uscc)
    assert is_customs_code(identity.customs_code)
    assert identity.public_key == crypto.generate_keypair(b"tuihuo-sandbox-card:8800000000001")[1]
    cert = identity.certificate
    assert cert.issued_by(SANDBOX_CA_PUBLIC_KEY)
    assert (cert.card_no, cert.operator_name, cert.enterprise_uscc) == (
        identity.card_no,
        identity.operator_name,
        identity.enterprise_uscc,
    )
    assert len(cert.to_bytes()) > 255  # so READ CERTIFICATE really is chunked
    assert "private" not in repr(identity) and identity.private_key not in repr(identity)


@pytest.mark.parametrize("card_no", ["8800000000002", "3100000000017", "1234567890123"])
def test_other_identities_are_valid_and_distinct(card_no: str) -> None:
    identity = card_identity(card_no)
    assert identity.card_no == card_no
    assert is_uscc(identity.enterprise_uscc) and is_customs_code(identity.customs_code)
    assert identity.public_key != card_identity().public_key
    assert identity.certificate.issued_by(SANDBOX_CA_PUBLIC_KEY)
    with pytest.raises(ValueError):
        card_identity("12345")


# --- applet ------------------------------------------------------------------------------------


def test_commands_need_select_first(applet: Applet) -> None:
    applet.power_on()
    assert sw(applet.process(profile.read_card_data_apdu())) == profile.SW_NOT_SELECTED
    assert sw(applet.process(profile.select_apdu(b"\xa0\x00\x00\x00\x03"))) == 0x6A82
    assert sw(applet.process(profile.select_apdu())) == profile.SW_OK
    assert sw(applet.process(profile.read_card_data_apdu())) == profile.SW_OK
    assert sw(applet.process(b"\x80\xee\x00\x00")) == profile.SW_INS_NOT_SUPPORTED
    assert sw(applet.process(b"\x42\xca\x00\x00\x00")) == profile.SW_CLA_NOT_SUPPORTED
    assert sw(applet.process(b"\x80\xca\x00")) == profile.SW_WRONG_LENGTH
    assert sw(applet.process(profile.read_certificate_apdu(0x7000, 16))) == 0x6B00


def test_read_info_and_certificate(card: Card) -> None:
    identity = card_identity()
    assert card.read_info() == identity.info
    assert card.certificate() == identity.certificate


def test_pin_tries_count_down_and_block_after_the_last(card: Card, applet: Applet) -> None:
    assert card.pin_tries_left() == 3
    with pytest.raises(WrongPin) as first:
        card.verify_pin(WRONG_PIN)
    assert first.value.tries_left == 2
    assert first.value.message == "口令错误，还可尝试2次"
    with pytest.raises(WrongPin) as second:
        card.verify_pin(WRONG_PIN)
    assert second.value.tries_left == 1
    assert card.pin_tries_left() == 1
    with pytest.raises(CardBlocked) as blocked:
        card.verify_pin(WRONG_PIN)
    assert blocked.value.message == "电子口岸卡已锁定"
    assert applet.blocked
    with pytest.raises(CardBlocked):
        card.verify_pin(SANDBOX_PIN)  # the right PIN no longer helps
    with pytest.raises(CardBlocked):
        card.sign(b"data")
    assert card.pin_tries_left() == 0


def test_right_pin_restores_the_tries(card: Card, applet: Applet) -> None:
    with pytest.raises(WrongPin):
        card.verify_pin(WRONG_PIN)
    card.verify_pin(SANDBOX_PIN)
    assert applet.tries_left == 3 and applet.verified
    assert card.is_pin_verified()


def test_tries_survive_power_cycles(applet: Applet) -> None:
    card = Card(InProcessTransport(applet))
    with pytest.raises(WrongPin):
        card.verify_pin(WRONG_PIN)
    applet.power_off()
    applet.power_on()
    assert Card(InProcessTransport(applet)).pin_tries_left() == 2


def test_sign_refused_before_verify(card: Card, applet: Applet) -> None:
    with pytest.raises(PinRequired) as refused:
        card.sign(b"x" * 1000)
    assert refused.value.message == "请先输入电子口岸卡口令"
    assert applet.signatures == 0


def test_reset_clears_the_verified_flag(card: Card, applet: Applet) -> None:
    card.verify_pin(SANDBOX_PIN)
    card.sign(b"ok")
    applet.reset()  # the applet is deselected too: the Card selects it again by itself
    with pytest.raises(PinRequired):
        card.sign(b"after reset")
    card.verify_pin(SANDBOX_PIN)
    card.sign(b"again")
    applet.power_off()
    applet.power_on()
    assert not applet.verified
    with pytest.raises(PinRequired):
        card.sign(b"after power cycle")


@pytest.mark.parametrize("size", [0, 1, 239, 240, 241, 1000, 5000])
def test_signature_verifies_with_the_certificate_key(card: Card, size: int) -> None:
    card.verify_pin(SANDBOX_PIN)
    data = bytes(i % 251 for i in range(size))
    signature = card.sign(data)
    assert len(signature) == 64
    cert = card.certificate()
    assert crypto.verify(cert.public_key, data, signature)
    assert not crypto.verify(cert.public_key, data + b"!", signature)
    assert cert.issued_by(SANDBOX_CA_PUBLIC_KEY)


def test_interrupted_sign_chain_is_abandoned(applet: Applet) -> None:
    card = Card(InProcessTransport(applet))
    card.verify_pin(SANDBOX_PIN)
    first = profile.sign_apdus(b"A" * 300)[0]
    assert sw(applet.process(first)) == profile.SW_OK
    card.read_info()  # another command between chunks
    signature = card.sign(b"B")
    assert crypto.verify(applet.identity.public_key, b"B", signature)


def test_malformed_pin_is_refused_without_costing_a_try(card: Card, applet: Applet) -> None:
    with pytest.raises(CardError) as bad:
        card.verify_pin("12")
    assert not isinstance(bad.value, WrongPin)
    assert applet.tries_left == 3


def test_pin_is_not_in_errors(card: Card) -> None:
    with pytest.raises(WrongPin) as wrong:
        card.verify_pin(WRONG_PIN)
    error = wrong.value
    text = f"{error!r} {error} {error.args} {error.__dict__}"
    assert WRONG_PIN not in text
    assert repr(error) == "WrongPin(tries_left=2)"


def test_removed_in_process_card() -> None:
    card = in_process_card()
    transport = card.transport
    assert isinstance(transport, InProcessTransport) and isinstance(transport, Transport)
    card.read_info()
    transport.remove()
    with pytest.raises(CardRemoved) as removed:
        card.read_info()
    assert removed.value.message == "电子口岸卡已拔出"


class _Garbage:
    def __init__(self, answer: bytes) -> None:
        self.answer = answer

    def transmit(self, apdu: bytes) -> bytes:
        return b"\x90\x00" if apdu[1] == profile.INS_SELECT else self.answer

    def close(self) -> None:
        pass


@pytest.mark.parametrize(
    "answer", [b"", b"\x90", b"\x6f\x00", b"\x00\x05ab\x90\x00", b"\x00\x02\x01\x01\x90\x00"]
)
def test_card_answering_nonsense_is_a_protocol_error(answer: bytes) -> None:
    card = Card(_Garbage(answer))
    with pytest.raises(CardProtocolError):
        card.read_info()


async def test_async_facade() -> None:
    card = AsyncCard(in_process_card())
    info = await card.read_info()
    assert info.operator_name == "张三"
    with pytest.raises(WrongPin):
        await card.verify_pin(WRONG_PIN)
    await card.verify_pin(SANDBOX_PIN)
    signature = await card.sign(b"login challenge")
    cert = await card.certificate()
    assert crypto.verify(cert.public_key, b"login challenge", signature)
    await card.close()


@given(st.binary(max_size=300))
def test_applet_answers_any_bytes_with_a_status_word(raw: bytes) -> None:
    applet = Applet()
    applet.power_on()
    applet.process(profile.select_apdu())
    answer = applet.process(raw)
    assert len(answer) >= 2
    assert profile.parse_response(answer).sw >> 8 in (
        0x90,
        0x63,
        0x67,
        0x69,
        0x6A,
        0x6B,
        0x6D,
        0x6E,
    )
    assert applet.signatures == 0  # never a signature without VERIFY


@given(st.lists(st.binary(max_size=40), min_size=1, max_size=4))
def test_card_turns_any_answer_into_a_result_or_a_card_error(answers: list[bytes]) -> None:
    replies = iter(answers * 50)

    class Scripted:
        def transmit(self, apdu: bytes) -> bytes:
            return next(replies)

        def close(self) -> None:
            pass

    card = Card(Scripted())
    for operation in (card.read_info, card.certificate, lambda: card.sign(b"x")):
        with contextlib.suppress(CardError):
            operation()
