"""The card at the operator's desk, the app on the server: a real OpenSSH `ssh -R` forwards a Unix
socket on the "server" to the control's TCP port on the "desk" (both localhost here), and the worker
logs in and submits through it.

The test runs its own sshd on a free port, with its own host key and authorized key in a temp dir
(no system configuration touched; as root sshd needs its privilege-separation dir /run/sshd, made if
missing, as the ssh service would). Without openssh-server it skips, or fails on CI.
"""

from __future__ import annotations

import asyncio
import getpass
import os
import shutil
import stat
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine

from declarant.runtime import free_port
from declarant.worker import ControlSlot, SessionState, SubmitOutcome
from sandbox.card import SANDBOX_PIN
from sandbox.card.control import ControlStandIn
from store.engine import open_engine
from tests.fixtures_control import make_worker, saved_record
from tests.fixtures_gateway import RunningGateway
from tests.services import missing_service

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"


@dataclass
class Sshd:
    port: int
    key: Path
    user: str


@pytest.fixture
def sshd(short_dir: Path) -> Iterator[Sshd]:
    if not os.path.exists(SSHD) or not shutil.which("ssh") or not shutil.which("ssh-keygen"):
        missing_service("OpenSSH server and client (apt-get install openssh-server)")
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    for name in ("host", "client"):
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(short_dir / name)],
            check=True,
        )
    (short_dir / "authorized_keys").write_text((short_dir / "client.pub").read_text())
    port = free_port()
    config = short_dir / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {short_dir / 'host'}\n"
        f"AuthorizedKeysFile {short_dir / 'authorized_keys'}\nPidFile {short_dir / 'sshd.pid'}\n"
        "StrictModes no\nUsePAM no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
        "PubkeyAuthentication yes\nPermitRootLogin prohibit-password\n"
        "AllowStreamLocalForwarding yes\nStreamLocalBindUnlink yes\n"
        "PermitTTY no\nX11Forwarding no\nLogLevel ERROR\n"
    )
    process = subprocess.Popen(
        [SSHD, "-D", "-e", "-f", str(config)], stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            with __import__("socket").create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                _out, err = process.communicate()
                missing_service(f"sshd did not start: {err.strip()[:300]}")
            time.sleep(0.05)
    yield Sshd(port, short_dir / "client", getpass.getuser())
    process.terminate()
    process.wait(10)


def _forward(sshd: Sshd, remote_socket: Path, control_port: int) -> subprocess.Popen[str]:
    """What the operator runs at the desk: `ssh -R SOCKET:127.0.0.1:61232 server` (-N: no shell)."""
    return subprocess.Popen(
        [
            "ssh", "-N", "-T", "-F", "/dev/null", "-p", str(sshd.port), "-i", str(sshd.key),
            "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null", "-o", "ExitOnForwardFailure=yes",
            "-o", "LogLevel=ERROR",
            "-R", f"{remote_socket}:127.0.0.1:{control_port}",
            f"{sshd.user}@127.0.0.1",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return open_engine(f"sqlite:///{tmp_path / 'tuihuo.db'}")


async def test_the_worker_logs_in_and_submits_through_an_ssh_forwarded_socket(
    sshd: Sshd, short_dir: Path, engine: Engine, gateway: RunningGateway
) -> None:
    socket_path = short_dir / "run" / "tuihuo-card.sock"
    socket_path.parent.mkdir(mode=0o700)
    with ControlStandIn().start_tcp() as desk:  # the control on the operator's PC
        control_port = int(desk.address.rsplit(":", 1)[1])
        ssh = _forward(sshd, socket_path, control_port)
        try:
            deadline = time.monotonic() + 15
            while not socket_path.is_socket():
                if ssh.poll() is not None or time.monotonic() > deadline:
                    ssh.kill()
                    pytest.fail(f"ssh -R made no socket: {ssh.communicate()[1].strip()[:300]}")
                await asyncio.sleep(0.05)
            assert stat.S_IMODE(os.stat(socket_path).st_mode) == 0o600  # sshd's bind mask
            w = make_worker(engine, gateway.url, ControlSlot(str(socket_path)))
            operator = await w.login(SANDBOX_PIN)
            assert w.state == SessionState.ACTIVE
            assert operator.card_no == desk.applet.identity.card_no
            saved = await saved_record(w)
            result = await w.submit(saved.unified_no, version=saved.version)
            assert result.outcome == SubmitOutcome.ACCEPTED
            assert desk.applet.signatures == 2  # the challenge and the submission, at the desk
            ssh.terminate()  # the operator's SSH session ends: the forward goes
            started = time.monotonic()
            while w.state != SessionState.LOCKED and time.monotonic() - started < 2.0:
                await asyncio.sleep(0.01)
            assert w.state == SessionState.LOCKED and time.monotonic() - started < 1.0
            await w.client.aclose()
        finally:
            if ssh.poll() is None:
                ssh.kill()
            ssh.wait(10)
