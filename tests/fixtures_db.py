"""Database fixtures: SQLite files and a real PostgreSQL server the tests start themselves.

PostgreSQL runs as a temporary cluster from the installed binaries (/usr/lib/postgresql/*/bin).
initdb and postgres refuse to run as root, so as root the cluster runs as the `postgres` system user
(or `nobody`) through runuser. Each test gets a fresh database with the migrations applied.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from itertools import count
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from declarant.runtime import free_port
from store.engine import open_engine
from store.operator import Operator
from tests.services import missing_service

_database_numbers = count(1)


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _run_as(user: str | None, args: list[str], **kwargs):  # type: ignore[no-untyped-def]
    if user is None:
        return args
    return ["runuser", "-u", user, "--", *args]


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of a throwaway PostgreSQL server (superuser `tuihuo`, trust auth, loopback only)."""
    bin_dir = _pg_bin()
    if bin_dir is None:
        missing_service("PostgreSQL server binaries not installed (apt-get install postgresql)")
    user: str | None = None
    if os.geteuid() == 0:
        for candidate in ("postgres", "nobody"):
            try:
                pwd.getpwnam(candidate)
            except KeyError:
                continue
            user = candidate
            break
        if user is None or shutil.which("runuser") is None:
            missing_service("running as root with no unprivileged user to start PostgreSQL")
    base = Path(tempfile.mkdtemp(prefix="tuihuo-pg-"))
    data, sockets = base / "data", base / "sock"
    sockets.mkdir()
    if user is not None:
        shutil.chown(base, user)
        shutil.chown(sockets, user)
    port = free_port()
    subprocess.run(
        _run_as(
            user,
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-A",
                "trust",
                "-U",
                "tuihuo",
                "-E",
                "UTF8",
                "--no-locale",
            ],
        ),
        check=True,
        capture_output=True,
    )
    server = subprocess.Popen(
        _run_as(
            user,
            [
                str(bin_dir / "postgres"),
                "-D",
                str(data),
                "-p",
                str(port),
                "-k",
                str(sockets),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "max_connections=100",
            ],
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"postgresql+psycopg://tuihuo@127.0.0.1:{port}/postgres"
    probe = create_engine(url)
    deadline = time.monotonic() + 30
    try:
        while True:
            try:
                with probe.connect() as connection:
                    connection.execute(text("select 1"))
                break
            except Exception:
                if server.poll() is not None or time.monotonic() > deadline:
                    err = server.stderr.read().decode() if server.stderr else ""
                    missing_service(f"PostgreSQL did not start: {err[-500:]}")
                time.sleep(0.1)
        probe.dispose()
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(base, ignore_errors=True)


def fresh_pg_database(pg_url: str) -> str:
    name = f"t{os.getpid()}_{next(_database_numbers)}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return pg_url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on SQLite (a file, WAL) and on the real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tuihuo.db'}"
    return fresh_pg_database(request.getfixturevalue("pg_url"))


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = open_engine(db_url)
    yield engine
    engine.dispose()


OPERATOR = Operator(
    card_no="8930000012345",
    name="张三",
    enterprise_uscc="91310115MA1K4B2X0T",
    customs_code="3122480063",
    enterprise_name="上海示例报关有限公司",
)
OTHER_OPERATOR = Operator(
    card_no="8930000067890",
    name="李四",
    enterprise_uscc="91440300MA5F0QXX1A",
    customs_code="4403960012",
    enterprise_name="深圳另一报关有限公司",
)


PG_PASSWORD = "Pg-s3cret-7Xq"  # a secret the tests look for where it must not be


@pytest.fixture
def pg_url_with_password(pg_url: str) -> str:
    """A database owned by a role that has a password (the server trusts loopback anyway)."""
    database = fresh_pg_database(pg_url)
    name = database.rsplit("/", 1)[1]
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP ROLE IF EXISTS clerk_{name}"))
        connection.execute(text(f"CREATE ROLE clerk_{name} LOGIN PASSWORD '{PG_PASSWORD}'"))
        connection.execute(text(f'ALTER DATABASE "{name}" OWNER TO clerk_{name}'))
    admin.dispose()
    head, tail = pg_url.split("://", 1)
    host = tail.split("@", 1)[-1].rsplit("/", 1)[0]
    return f"{head}://clerk_{name}:{PG_PASSWORD}@{host}/{name}"
