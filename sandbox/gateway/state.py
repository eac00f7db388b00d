"""The sandbox gateway's own state, in one SQLite file (stdlib sqlite3), so a restart loses nothing.

Tables: challenges and sessions of the card login; issued (each 统一编号 and the enterprise it was
issued to); submissions (one row per accepted round, with its Idempotency-Key, unique within the
enterprise, and the fingerprint of what was signed); plan (the receipts each round will get,
with the time each falls due); receipts (those already issued, numbered by `seq`, the feed cursor);
counters (退货编号 sequences). Receipts are issued lazily: a read first moves every planned step that
has fallen due into `receipts`, in the order they fell due, so the feed is the same whenever it is read.

One connection behind a lock: the gateway does little work per request and the lock makes each
check-then-insert (idempotency, round order) atomic.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from enum import Enum
from pathlib import Path

from customs.certificate import Certificate
from customs.wire import REJECTION_STATUSES, Receipt, SubmissionAccepted
from sandbox.gateway.review import Step
from store.private import private_file

_SUBMISSIONS = """CREATE TABLE IF NOT EXISTS submissions (
    unified_no TEXT NOT NULL, round INTEGER NOT NULL, uscc TEXT NOT NULL,
    idempotency_key TEXT NOT NULL, fingerprint TEXT NOT NULL, body TEXT NOT NULL,
    accepted_at REAL NOT NULL, answer TEXT NOT NULL, PRIMARY KEY (unified_no, round),
    UNIQUE (uscc, idempotency_key))"""
_SCHEMA = f"""{_SUBMISSIONS};
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS challenges (
    challenge TEXT PRIMARY KEY, expires_at REAL NOT NULL, used INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS sessions (
    token TEXT PRIMARY KEY, expires_at REAL NOT NULL, operator_name TEXT NOT NULL,
    enterprise_uscc TEXT NOT NULL, customs_code TEXT NOT NULL, enterprise_name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS issued (
    unified_no TEXT PRIMARY KEY, uscc TEXT NOT NULL, idempotency_key TEXT NOT NULL,
    issued_at REAL NOT NULL, UNIQUE (uscc, idempotency_key));
CREATE TABLE IF NOT EXISTS plan (
    unified_no TEXT NOT NULL, round INTEGER NOT NULL, step INTEGER NOT NULL,
    due_at REAL NOT NULL, status INTEGER NOT NULL, content TEXT NOT NULL, return_no TEXT,
    issued INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (unified_no, round, step));
CREATE INDEX IF NOT EXISTS plan_pending ON plan (issued, due_at);
CREATE TABLE IF NOT EXISTS receipts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, receipt_id TEXT NOT NULL UNIQUE, uscc TEXT NOT NULL,
    unified_no TEXT NOT NULL, round INTEGER NOT NULL, status INTEGER NOT NULL,
    content TEXT NOT NULL, issued_at REAL NOT NULL, return_no TEXT);
CREATE INDEX IF NOT EXISTS receipts_feed ON receipts (uscc, seq);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""


class ChallengeState(Enum):
    OK = "ok"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"


class Outcome(Enum):
    ACCEPTED = "accepted"
    REPLAYED = "replayed"
    KEY_REUSED = "key_reused"
    ROUND_DIFFERS = "round_differs"
    OUT_OF_ORDER = "out_of_order"
    PREVIOUS_OPEN = "previous_open"
    FOREIGN = "foreign"


@dataclass(frozen=True)
class SessionRow:
    token: str
    expires_at: float
    operator_name: str
    enterprise_uscc: str
    customs_code: str
    enterprise_name: str


@dataclass(frozen=True)
class Acceptance:
    outcome: Outcome
    answer: SubmissionAccepted | None = None
    detail: str = ""


_CHINA = timezone(timedelta(hours=8))


def _dt(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)


class State:
    """All reads and writes of the gateway's state."""

    def __init__(self, path: Path | None, clock: Callable[[], float]) -> None:
        self.clock = clock
        target = str(path) if path is not None else ":memory:"
        if path is not None:
            private_file(path)  # it holds session tokens: 0600, and its -wal/-shm with it
        self._conn = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._lock = threading.Lock()
        if path is not None:
            self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(_SCHEMA)
        self._upgrade()

    def _upgrade(self) -> None:
        """A state file of the first protocol: keys were global, numbers made by the clients.

        Its submissions table is rebuilt with keys scoped to the enterprise, and every number it
        holds counts as issued to the enterprise that first submitted it.
        """
        row = self._conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'submissions'"
        ).fetchone()
        with self._tx() as db:
            if "idempotency_key TEXT NOT NULL UNIQUE" in row["sql"]:
                db.execute("ALTER TABLE submissions RENAME TO submissions_v1")
                db.execute(_SUBMISSIONS)
                db.execute("INSERT INTO submissions SELECT * FROM submissions_v1")
                db.execute("DROP TABLE submissions_v1")
            db.execute(
                "INSERT OR IGNORE INTO issued (unified_no, uscc, idempotency_key, issued_at)"
                " SELECT unified_no, uscc, 'v1-' || unified_no, MIN(accepted_at) FROM submissions"
                " GROUP BY unified_no"
            )

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    # --- meta ----------------------------------------------------------------------------------

    def meta(self, key: str, default: str) -> str:
        """The stored value of `key`, storing `default` first when there is none."""
        with self._tx() as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
            if row is None:
                db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, default))
                return default
            return str(row["value"])

    # --- login ---------------------------------------------------------------------------------

    def new_challenge(self, ttl: float) -> tuple[str, datetime]:
        challenge = secrets.token_hex(32)
        expires_at = self.clock() + ttl
        with self._tx() as db:
            db.execute("DELETE FROM challenges WHERE expires_at < ?", (self.clock() - 3600,))
            db.execute(
                "INSERT INTO challenges (challenge, expires_at) VALUES (?, ?)",
                (challenge, expires_at),
            )
        return challenge, _dt(expires_at)

    def take_challenge(self, challenge: str) -> ChallengeState:
        """Marks the challenge used; a challenge serves one login attempt, good or bad."""
        with self._tx() as db:
            row = db.execute(
                "SELECT expires_at, used FROM challenges WHERE challenge = ?", (challenge.lower(),)
            ).fetchone()
            if row is None:
                return ChallengeState.UNKNOWN
            if row["used"]:
                return ChallengeState.USED
            db.execute("UPDATE challenges SET used = 1 WHERE challenge = ?", (challenge.lower(),))
            if row["expires_at"] < self.clock():
                return ChallengeState.EXPIRED
            return ChallengeState.OK

    def new_session(self, certificate: Certificate, ttl: float) -> SessionRow:
        row = SessionRow(
            token=secrets.token_urlsafe(32),
            expires_at=self.clock() + ttl,
            operator_name=certificate.operator_name,
            enterprise_uscc=certificate.enterprise_uscc,
            customs_code=certificate.customs_code,
            enterprise_name=certificate.enterprise_name,
        )
        with self._tx() as db:
            db.execute(
                "INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?)",
                (
                    row.token,
                    row.expires_at,
                    row.operator_name,
                    row.enterprise_uscc,
                    row.customs_code,
                    row.enterprise_name,
                ),
            )
        return row

    def end_session(self, token: str) -> None:
        """Logout: the token stops working at once."""
        with self._tx() as db:
            db.execute("DELETE FROM sessions WHERE token = ?", (token,))

    def session(self, token: str) -> SessionRow | None:
        with self._lock:
            found = self._conn.execute(
                "SELECT * FROM sessions WHERE token = ?", (token,)
            ).fetchone()
        return SessionRow(**dict(found)) if found is not None else None

    # --- numbers -------------------------------------------------------------------------------

    def issue(self, uscc: str, idempotency_key: str) -> tuple[str, datetime]:
        """A new 统一编号 for `uscc` (year + 14-digit sequence); the same key answers the same."""
        now = self.clock()
        with self._tx() as db:
            found = db.execute(
                "SELECT unified_no, issued_at FROM issued WHERE uscc = ? AND idempotency_key = ?",
                (uscc, idempotency_key),
            ).fetchone()
            if found is not None:
                return str(found["unified_no"]), _dt(found["issued_at"])
            year = _dt(now).astimezone(_CHINA).year
            last = db.execute(
                "SELECT MAX(unified_no) FROM issued WHERE unified_no LIKE ?", (f"{year:04d}%",)
            ).fetchone()[0]
            number = f"{year:04d}{int(last[4:]) + 1 if last else 1:014d}"
            db.execute(
                "INSERT INTO issued (unified_no, uscc, idempotency_key, issued_at)"
                " VALUES (?, ?, ?, ?)",
                (number, uscc, idempotency_key, now),
            )
            return number, _dt(now)

    def issued_to(self, unified_no: str) -> str | None:
        """The enterprise the number was issued to (None: never issued here)."""
        with self._lock:
            row = self._conn.execute(
                "SELECT uscc FROM issued WHERE unified_no = ?", (unified_no,)
            ).fetchone()
        return None if row is None else str(row["uscc"])

    # --- submissions ---------------------------------------------------------------------------

    def accept(
        self,
        *,
        unified_no: str,
        round: int,
        uscc: str,
        idempotency_key: str,
        fingerprint: str,
        body: Mapping[str, object],
        planner: Callable[[], list[Step]],
        step_seconds: float,
        customs: str,
    ) -> Acceptance:
        """Accepts a round, or says why not; answers a repeated request as the first time."""
        now = self.clock()
        with self._tx() as db:
            by_key = db.execute(
                "SELECT unified_no, round, uscc, fingerprint, answer FROM submissions"
                " WHERE uscc = ? AND idempotency_key = ?",
                (uscc, idempotency_key),
            ).fetchone()
            if by_key is not None:
                same = (by_key["unified_no"], by_key["round"], by_key["uscc"]) == (
                    unified_no,
                    round,
                    uscc,
                ) and by_key["fingerprint"] == fingerprint
                if same:
                    return Acceptance(Outcome.REPLAYED, _answer(by_key["answer"]))
                return Acceptance(
                    Outcome.KEY_REUSED,
                    detail="this Idempotency-Key was used for a different submission",
                )
            rounds = db.execute(
                "SELECT round, uscc, fingerprint, answer FROM submissions WHERE unified_no = ?"
                " ORDER BY round",
                (unified_no,),
            ).fetchall()
            if rounds and rounds[0]["uscc"] != uscc:
                return Acceptance(
                    Outcome.FOREIGN, detail="unified_no belongs to another enterprise"
                )
            for row in rounds:
                if row["round"] == round:
                    if row["fingerprint"] == fingerprint:
                        return Acceptance(Outcome.REPLAYED, _answer(row["answer"]))
                    return Acceptance(
                        Outcome.ROUND_DIFFERS,
                        detail=f"round {round} of {unified_no} was accepted with a different body",
                    )
            expected = rounds[-1]["round"] + 1 if rounds else 1
            if round != expected:
                return Acceptance(
                    Outcome.OUT_OF_ORDER, detail=f"the next round of {unified_no} is {expected}"
                )
            if rounds:
                status = self._status_at(db, unified_no, rounds[-1]["round"], now)
                if status not in REJECTION_STATUSES:
                    return Acceptance(
                        Outcome.PREVIOUS_OPEN,
                        detail=f"round {round - 1} of {unified_no} is in status {status},"
                        " not a rejection: a new round is accepted only after a rejection",
                    )
            answer = SubmissionAccepted(
                unified_no=unified_no, round=round, accepted_at=_dt(now), status=1
            )
            steps = planner()
            for step in steps:
                due_at = now + step.index * step_seconds
                return_no = None
                if step.status == 7:
                    return_no = self._next_return_no(db, customs, _dt(due_at).year % 100)
                db.execute(
                    "INSERT INTO plan (unified_no, round, step, due_at, status, content, return_no)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (unified_no, round, step.index, due_at, step.status, step.content, return_no),
                )
            db.execute(
                "INSERT INTO submissions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    unified_no,
                    round,
                    uscc,
                    idempotency_key,
                    fingerprint,
                    json.dumps(body, ensure_ascii=False),
                    now,
                    answer.model_dump_json(),
                ),
            )
            return Acceptance(Outcome.ACCEPTED, answer)

    def submission_count(self, unified_no: str | None = None) -> int:
        """How many rounds customs holds (all, or of one record): what tests count."""
        with self._lock:
            if unified_no is None:
                row = self._conn.execute("SELECT COUNT(*) FROM submissions").fetchone()
            else:
                row = self._conn.execute(
                    "SELECT COUNT(*) FROM submissions WHERE unified_no = ?", (unified_no,)
                ).fetchone()
        return int(row[0])

    @staticmethod
    def _status_at(db: sqlite3.Connection, unified_no: str, round: int, now: float) -> int:
        row = db.execute(
            "SELECT status FROM plan WHERE unified_no = ? AND round = ? AND due_at <= ?"
            " ORDER BY step DESC LIMIT 1",
            (unified_no, round, now),
        ).fetchone()
        return int(row["status"]) if row is not None else 1

    @staticmethod
    def _next_return_no(db: sqlite3.Connection, customs: str, year2: int) -> str:
        """退货编号: 4-digit customs + 2-digit year + 6-digit sequence (e.g. 010125000024)."""
        name = f"{customs}{year2:02d}"
        db.execute(
            "INSERT INTO counters (name, value) VALUES (?, 1)"
            " ON CONFLICT (name) DO UPDATE SET value = value + 1",
            (name,),
        )
        value = db.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()[0]
        return f"{name}{value:06d}"

    # --- receipts ------------------------------------------------------------------------------

    def _issue_due(self, db: sqlite3.Connection, now: float) -> None:
        due = db.execute(
            "SELECT p.*, s.uscc FROM plan p JOIN submissions s"
            " ON s.unified_no = p.unified_no AND s.round = p.round"
            " WHERE p.issued = 0 AND p.due_at <= ? ORDER BY p.due_at, p.unified_no, p.round, p.step",
            (now,),
        ).fetchall()
        for row in due:
            db.execute(
                "INSERT INTO receipts (receipt_id, uscc, unified_no, round, status, content,"
                " issued_at, return_no) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    f"{row['unified_no']}-{row['round']}-{row['step']}",
                    row["uscc"],
                    row["unified_no"],
                    row["round"],
                    row["status"],
                    row["content"],
                    row["due_at"],
                    row["return_no"],
                ),
            )
            db.execute(
                "UPDATE plan SET issued = 1 WHERE unified_no = ? AND round = ? AND step = ?",
                (row["unified_no"], row["round"], row["step"]),
            )

    def receipts(self, uscc: str, since: int, limit: int) -> tuple[list[Receipt], int]:
        """The enterprise's receipts after cursor `since`, and the cursor after them."""
        with self._tx() as db:
            self._issue_due(db, self.clock())
            rows = db.execute(
                "SELECT * FROM receipts WHERE uscc = ? AND seq > ? ORDER BY seq LIMIT ?",
                (uscc, since, limit),
            ).fetchall()
        cursor = rows[-1]["seq"] if rows else since
        return [_receipt(r) for r in rows], int(cursor)

    def receipts_before(self, uscc: str, cursor: int, count: int) -> list[Receipt]:
        """The last `count` receipts at or before `cursor` (what a re-delivery repeats)."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT * FROM receipts WHERE uscc = ? AND seq <= ? ORDER BY seq DESC LIMIT ?",
                (uscc, cursor, count),
            ).fetchall()
        return [_receipt(r) for r in reversed(rows)]


def _answer(text: str) -> SubmissionAccepted:
    return SubmissionAccepted.model_validate_json(text)


def _receipt(row: sqlite3.Row) -> Receipt:
    return Receipt(
        receipt_id=row["receipt_id"],
        unified_no=row["unified_no"],
        round=row["round"],
        status=row["status"],
        content=row["content"],
        issued_at=_dt(row["issued_at"]),
        return_no=row["return_no"],
    )
