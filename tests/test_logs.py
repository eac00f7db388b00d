"""The support log: where it is, who may read it, and the mask that keeps secrets out of it."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from tui import locations
from tui.logs import MAX_BYTES, mask_secrets, setup_logging

SIGNATURE = "a1" * 64  # an SM2 signature in hex: 128 digits


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_log_is_in_the_xdg_state_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert locations.log_file() == tmp_path / "state" / "tuihuo" / "tuihuo.log"


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("postgresql+psycopg://clerk:Tz9q@db.lan:5432/t", "postgresql+psycopg://clerk:***@db.lan"),
        ("Authorization: Bearer eyJhbGciOi.abc-_def", "Authorization: *** ***"),
        ("headers Bearer eyJhbGciOi.abc-_def", "Bearer ***"),
        ('{"token": "q1w2e3r4t5", "pin": "88888888"}', '{"token": "***", "pin": "***"}'),
        (f"signature={SIGNATURE}", "signature=***"),
        (f"signed {SIGNATURE} ok", "signed *** ok"),
        ("password='hunter22'", "password='***'"),
    ],
)
def test_secret_shaped_text_is_masked(said: str, kept: str) -> None:
    masked = mask_secrets(said)
    assert kept in masked
    for secret in ("Tz9q", "eyJhbGciOi", "q1w2e3r4t5", "88888888", SIGNATURE, "hunter22"):
        assert secret not in masked


def test_ordinary_words_are_left_alone() -> None:
    text = "status 202600000000000001 receipt: 1 已提交 -> 3 海关接收成功; token expired; pinyin=zl"
    assert mask_secrets(text) == text


def test_log_files_stay_private_across_rotation_and_mask_what_slips_through(
    tmp_path: Path,
) -> None:
    old = os.umask(0o022)
    try:
        path = setup_logging(tmp_path / "state" / "tuihuo.log", secrets=["Z-literal-pw"])
        log = logging.getLogger("tuihuo.test")
        try:
            raise ValueError("connect postgresql://u:Z-literal-pw@h/db failed")
        except ValueError:
            log.exception("with %s", f"signature {SIGNATURE}")
        for _ in range(2 * MAX_BYTES // 1000 + 50):
            log.info("x" * 1000)
    finally:
        os.umask(old)
        setup_logging()  # back to the test's own state dir
    assert mode(path.parent) == 0o700
    files = sorted(path.parent.glob("tuihuo.log*"))
    assert len(files) >= 3
    assert all(mode(f) == 0o600 for f in files), [(f.name, oct(mode(f))) for f in files]
    text = "".join(f.read_text(encoding="utf-8") for f in files)
    assert "ValueError: connect postgresql://u:***@h/db failed" in text
    assert "Z-literal-pw" not in text and SIGNATURE not in text


def test_a_database_error_is_logged_with_the_drivers_words_only(tmp_path: Path) -> None:
    from store.engine import open_engine
    from store.errors import DatabaseCorrupt

    path = setup_logging()
    corrupt = tmp_path / "tuihuo.db"
    corrupt.write_bytes(b"this is not a database " * 200)
    with pytest.raises(DatabaseCorrupt):  # the operator's message; the log keeps the driver's words
        open_engine(f"sqlite:///{corrupt}")
    text = path.read_text(encoding="utf-8")
    assert f"database error on sqlite:///{corrupt}: DatabaseError: file is not a database" in text
    assert "[SQL:" not in text  # the statement and its parameters stay out
