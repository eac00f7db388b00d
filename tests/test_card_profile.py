"""The e-port card's APDU profile: builders and parsers agree, and the parsers take any bytes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from customs.card import profile
from customs.card.profile import CardInfo, Command, ProfileError

INFO = CardInfo(
    card_no="8800000000001",
    operator_name="张三",
    enterprise_uscc="91370202319738840C",
    customs_code="3702917413",
    enterprise_name="青岛远航国际贸易有限公司",
)

bytes_ = st.integers(0, 255)
texts = st.text(max_size=60).filter(lambda s: len(s.encode()) <= 255)


def test_select_is_iso_select_by_aid() -> None:
    assert profile.select_apdu() == bytes.fromhex("00A4040008F054554948554F01")


def test_read_apdus_carry_offset_in_p1_p2() -> None:
    assert profile.read_certificate_apdu(0x1234, 240) == bytes.fromhex("80B01234F0")
    assert profile.read_card_data_apdu(0, 256) == bytes.fromhex("80CA000000")
    with pytest.raises(ProfileError):
        profile.read_certificate_apdu(0x8000, 10)


def test_verify_apdu_with_and_without_pin() -> None:
    assert profile.verify_apdu("88888888") == bytes.fromhex("0020000108") + b"88888888"
    assert profile.verify_apdu(None) == bytes.fromhex("00200001")
    for bad in ("123", "1" * 17, "口令口令", "1234\n"):
        with pytest.raises(ProfileError):
            profile.verify_apdu(bad)


def test_sign_chain_splits_and_marks_all_but_the_last() -> None:
    data = bytes(range(256)) * 2  # 512 bytes = 240 + 240 + 32
    apdus = profile.sign_apdus(data)
    assert [a[0] for a in apdus] == [0x90, 0x90, 0x80]
    commands = [profile.parse_command(a) for a in apdus]
    assert b"".join(c.data for c in commands) == data
    assert [c.chained for c in commands] == [True, True, False]
    assert commands[-1].le == 256 and all(c.le is None for c in commands[:-1])
    assert profile.sign_apdus(b"") == [bytes.fromhex("802A000000")]
    with pytest.raises(ProfileError):
        profile.sign_apdus(bytes(profile.MAX_SIGN_DATA + 1))


def test_card_data_round_trip_and_unknown_tags_skipped() -> None:
    blob = profile.encode_card_data(INFO)
    assert profile.decode_card_data(blob) == INFO
    assert profile.decode_card_data(b"\x7f\x02hi" + blob) == INFO


@pytest.mark.parametrize(
    "blob",
    [
        b"\x01",  # header cut
        b"\x01\x0d880000",  # value cut
        b"\x01\x0d" + b"8800000000001",  # other tags missing
        profile.encode_card_data(INFO).replace(b"\x02\x06\xe5\xbc\xa0", b"\x02\x06\xff\xbc\xa0"),
    ],
)
def test_card_data_refuses_malformed(blob: bytes) -> None:
    with pytest.raises(ProfileError):
        profile.decode_card_data(blob)


def test_card_data_refuses_a_bad_card_number() -> None:
    with pytest.raises(ProfileError):
        profile.decode_card_data(
            profile.encode_card_data(
                CardInfo("88000000001", "a", "b", "c", "d")  # 11 digits
            )
        )


def test_status_words() -> None:
    assert profile.wrong_pin_sw(2) == 0x63C2
    assert profile.tries_left_of(0x63C2) == 2
    assert profile.tries_left_of(0x9000) is None
    assert profile.parse_response(bytes.fromhex("01029000")) == profile.Response(
        b"\x01\x02", 0x9000
    )
    with pytest.raises(ProfileError):
        profile.parse_response(b"\x90")


def test_objects_are_length_prefixed_and_read_by_offset() -> None:
    framed = profile.frame_object(b"x" * 300)
    assert framed[:2] == (300).to_bytes(2, "big")
    assert profile.object_chunk(framed, 0, 240) == framed[:240]
    assert profile.object_chunk(framed, 240, 240) == framed[240:]
    assert profile.object_chunk(framed, len(framed), 240) is None


@given(
    cla=bytes_,
    ins=bytes_,
    p1=bytes_,
    p2=bytes_,
    data=st.binary(max_size=255),
    le=st.none() | st.integers(1, 256),
)
def test_command_round_trip(
    cla: int, ins: int, p1: int, p2: int, data: bytes, le: int | None
) -> None:
    apdu = profile.build_command(cla, ins, p1, p2, data, le)
    assert profile.parse_command(apdu) == Command(cla, ins, p1, p2, data, le)


@given(st.binary(max_size=300))
def test_parse_command_takes_any_bytes(raw: bytes) -> None:
    try:
        command = profile.parse_command(raw)
    except ProfileError:
        return
    assert (
        profile.build_command(
            command.cla, command.ins, command.p1, command.p2, command.data, command.le
        )
        == raw
    )


@given(st.binary(max_size=300))
def test_parse_response_takes_any_bytes(raw: bytes) -> None:
    try:
        response = profile.parse_response(raw)
    except ProfileError:
        assert len(raw) < 2
        return
    assert profile.build_response(response.data, response.sw) == raw


@given(st.builds(CardInfo, st.from_regex(r"\A[0-9]{13}\Z"), texts, texts, texts, texts))
def test_card_data_round_trip_any_text(info: CardInfo) -> None:
    assert profile.decode_card_data(profile.encode_card_data(info)) == info


@given(st.binary(max_size=600))
def test_decode_card_data_takes_any_bytes(raw: bytes) -> None:
    try:
        info = profile.decode_card_data(raw)
    except ProfileError:
        return
    assert len(info.card_no) == 13


@given(st.binary(max_size=2000), st.integers(1, 256))
def test_chunked_read_reassembles_any_object(content: bytes, le: int) -> None:
    framed = profile.frame_object(content)
    out = b""
    while (chunk := profile.object_chunk(framed, len(out), le)) is not None:
        assert chunk
        out += chunk
    assert out == framed
