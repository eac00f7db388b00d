"""Real database faults for the tests: a held SQLite write lock, a small full tmpfs, an immutable
file, a PostgreSQL cluster of the test's own that can be stopped and started again.

As root (this machine's CI) chmod stops nothing, so the read-only file is `chattr +i` (the kernel
refuses the write even to root) and the full disk is a tmpfs of a few MB filled to the last byte.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from declarant.runtime import free_port
from tests.fixtures_db import _pg_bin, _run_as
from tests.services import missing_service


@contextmanager
def held_lock(db: Path) -> Iterator[sqlite3.Connection]:
    """Another process's writer: a second connection holding `BEGIN IMMEDIATE` until the block
    ends (then rolled back, the lock released)."""
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield holder
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def _need_root(what: str) -> None:
    if os.geteuid() != 0:
        missing_service(f"{what} needs root (mount, chattr)")


@contextmanager
def small_tmpfs(where: Path, size: str = "4m") -> Iterator[Path]:
    """A tmpfs of `size` mounted at `where` (unmounted at the end)."""
    _need_root("a small tmpfs")
    where.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], check=True)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(directory: Path) -> Path:
    """Fill the file system of `directory` to the last byte; returns the filler (delete it to
    free the space). The SQLite WAL is truncated first so the next write needs new blocks."""
    filler = directory / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        for size in (65536, 512, 1):  # down to the last byte
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(fd)
    return filler


def checkpoint(db: Path) -> None:
    connection = sqlite3.connect(db, isolation_level=None)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


@contextmanager
def immutable(path: Path) -> Iterator[Path]:
    """`chattr +i path`: no write, not even root's, until the block ends."""
    _need_root("chattr +i")
    if shutil.which("chattr") is None:
        missing_service("chattr not installed (e2fsprogs)")
    subprocess.run(["chattr", "+i", str(path)], check=True)
    try:
        yield path
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=False)


class PgCluster:
    """A PostgreSQL cluster of one test: `stop()` and `start()` it mid-session (same port)."""

    def __init__(self) -> None:
        bin_dir = _pg_bin()
        if bin_dir is None:
            missing_service("PostgreSQL server binaries not installed (apt-get install postgresql)")
        self.bin = bin_dir
        self.user = "postgres" if os.geteuid() == 0 else None
        self.base = Path(tempfile.mkdtemp(prefix="tuihuo-pgfault-"))
        self.data, self.sockets = self.base / "data", self.base / "sock"
        self.sockets.mkdir()
        if self.user is not None:
            shutil.chown(self.base, self.user)
            shutil.chown(self.sockets, self.user)
        self.port = free_port()
        self.url = f"postgresql+psycopg://tuihuo@127.0.0.1:{self.port}/postgres"
        initdb = [str(bin_dir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "tuihuo"]
        subprocess.run(
            _run_as(self.user, [*initdb, "-E", "UTF8", "--no-locale"]),
            check=True,
            capture_output=True,
        )

    def _ctl(self, *args: str) -> None:
        subprocess.run(
            _run_as(self.user, [str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", *args]),
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._ctl("-o", options, "-l", str(self.base / "log"), "start")
        probe = create_engine(self.url)
        deadline = time.monotonic() + 30
        while True:
            try:
                with probe.connect() as connection:
                    connection.execute(text("select 1"))
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        probe.dispose()

    def stop(self) -> None:
        self._ctl("-m", "fast", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.base, ignore_errors=True)
