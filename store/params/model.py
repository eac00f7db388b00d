"""Entry and Table: one parameter table (参数) held in memory, with lookup and keystroke search.

Search runs on every keystroke of a picker, so each entry's search keys (upper-cased code, stored
pinyin initials, name) are prepared once when the table is built and a query is a single pass over
plain tuples: no regex, no pinyin work, no allocation per entry beyond the hits.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

# Ranking tiers, best first. A hit takes the best tier it qualifies for.
TIER_EXACT_CODE = 0
TIER_CODE_PREFIX = 1
TIER_INITIALS_PREFIX = 2
TIER_NAME_PREFIX = 3
TIER_NAME_SUBSTRING = 4
TIER_ACROSS_LEVELS = 5  # 福州鼓楼: pieces of the parents' names, then of the entry's own


@dataclass(frozen=True, slots=True)
class Entry:
    """One code of a parameter table.

    ``initials`` holds the upper-case pinyin initials of ``name`` (computed at generation time);
    Latin letters and digits in the name are kept as they are, upper-cased. ``source`` is empty for
    a shipped row; for a site's own row (store.params.local) it says whence, e.g.
    ``"本站参数，2026-11-30 导入自 offices.csv"``.
    """

    code: str
    name: str
    parent: str | None
    initials: str
    source: str = ""


# Precomputed search keys of one entry: (upper-cased code, upper-cased initials, name, entry).
# A plain tuple, not a dataclass: building 3,200 of them must stay well under a millisecond.
_Key = tuple[str, str, str, Entry]
# An entry's ancestors for the across-levels search: (their names, the first characters of those
# names, their upper-case initials, the first letters of those initials).
_Above = tuple[tuple[str, ...], str, tuple[str, ...], str]


@dataclass(frozen=True, slots=True, eq=False)
class Table:
    """A loaded parameter table: entries in code order plus the standard they follow.

    Frozen because ``table()`` hands the same cached instance to every caller; compared and
    hashed by identity (eq=False), as two loads of one file are the same table anyway.
    """

    name: str
    title: str
    standard: str
    as_of: str
    source: str = ""
    coverage: str = ""
    _entries: tuple[Entry, ...] = field(default=(), repr=False)
    _by_code: dict[str, Entry] = field(default_factory=dict, repr=False)
    _keys: tuple[_Key, ...] = field(default=(), repr=False)
    # Made on first use (a load must stay fast): code -> ancestors' entries, top first (福建省,
    # 福州市 for 鼓楼区 350102), and code -> the same prepared for the search (see _Above).
    _lineage: dict[str, tuple[Entry, ...]] = field(default_factory=dict, repr=False)
    _above: dict[str, _Above] = field(default_factory=dict, repr=False)
    # code -> whence its withdrawal came (a site's list): absent from lookups, refused by name
    _withdrawn: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def build(
        cls,
        name: str,
        entries: Sequence[Entry],
        *,
        title: str,
        standard: str,
        as_of: str,
        source: str = "",
        coverage: str = "",
        withdrawn: Mapping[str, str] | None = None,
    ) -> Table:
        """Make a table; entries are sorted by code so iteration order never depends on the file.

        ``withdrawn`` maps codes the table must refuse to the source that withdrew them.
        """
        ordered = tuple(entries)
        # The generator writes files in code order; sort only when handed something else.
        if any(a.code > b.code for a, b in pairwise(ordered)):
            ordered = tuple(sorted(ordered, key=lambda e: e.code))
        by_code: dict[str, Entry] = {}
        for entry in ordered:
            if entry.code in by_code:
                raise ValueError(f"{name}: duplicate code {entry.code!r}")
            by_code[entry.code] = entry
        keys = tuple((e.code.upper(), e.initials.upper(), e.name, e) for e in ordered)
        return cls(
            name=name,
            title=title,
            standard=standard,
            as_of=as_of,
            source=source,
            coverage=coverage,
            _entries=ordered,
            _by_code=by_code,
            _keys=keys,
            _withdrawn=dict(withdrawn or {}),
        )

    def overlay(self, rows: Sequence[Entry], withdrawn: Mapping[str, str]) -> Table:
        """This table with a site's rows laid over it: a row replaces the shipped one of the same
        code or adds a code; a withdrawn code leaves lookups and search and is refused by name."""
        merged = dict(self._by_code)
        for entry in rows:
            merged[entry.code] = entry
        for code in withdrawn:
            merged.pop(code, None)
        return Table.build(
            self.name,
            list(merged.values()),
            title=self.title,
            standard=self.standard,
            as_of=self.as_of,
            source=self.source,
            coverage=self.coverage,
            withdrawn=withdrawn,
        )

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    @property
    def entries(self) -> tuple[Entry, ...]:
        return self._entries

    def withdrawn(self, code: str) -> str | None:
        """Whence ``code`` was withdrawn (a site's list), or None when it is not withdrawn."""
        return self._withdrawn.get(code)

    def get(self, code: str) -> Entry | None:
        """The entry with exactly this code. Case matters: 监管证件 has both ``y`` and ``Y``."""
        return self._by_code.get(code)

    def label(self, code: str) -> str:
        """``"0101 机场货管"``, or the code alone when the table does not know it."""
        entry = self._by_code.get(code)
        return f"{entry.code} {entry.name}" if entry is not None else code

    def ancestors(self, code: str) -> tuple[Entry, ...]:
        """The entries above ``code``, top first (``350102`` -> 福建省, 福州市); () for a root."""
        return self._lineages().get(code, ())

    def place(self, code: str) -> str:
        """The ancestors' names run together (``福建省福州市`` for 350102), "" for a root."""
        return "".join(e.name for e in self.ancestors(code))

    def _lineages(self) -> dict[str, tuple[Entry, ...]]:
        if not self._lineage and not self._above:
            lineage: dict[str, tuple[Entry, ...]] = {}
            for entry in self._entries:  # code order: a parent sorts before its children
                parent = self._by_code.get(entry.parent) if entry.parent else None
                if parent is not None and parent is not entry:
                    lineage[entry.code] = (*lineage.get(parent.code, ()), parent)
            for code, up in lineage.items():
                names = tuple(e.name for e in up)
                initials = tuple(e.initials.upper() for e in up)
                self._above[code] = (
                    names,
                    "".join(n[:1] for n in names),
                    initials,
                    "".join(i[:1] for i in initials),
                )
            self._lineage.update(lineage)
        return self._lineage

    def children(self, parent: str) -> list[Entry]:
        """Entries whose parent is ``parent``, in code order."""
        return [e for e in self._entries if e.parent == parent]

    def search(self, query: str, limit: int = 50) -> list[Entry]:
        """Entries matching ``query``, best first.

        Ranking: exact code, code prefix, pinyin-initials prefix, name prefix, name substring, then
        across levels (the query cut into pieces, each the start of an ancestor's name in order and
        the last the start of the entry's own: 福州鼓楼 and fzgl find 福建省福州市鼓楼区); ties by
        code. Code and initials compare case-insensitively (``bj`` finds 北京); among exact code
        hits the one of the same case comes first (``y`` before ``Y``). Empty query: the first
        ``limit`` entries in code order.
        """
        if limit <= 0:
            return []
        q = query.strip()
        if not q:
            return list(self._entries[:limit])
        qu = q.upper()
        # Buckets per tier keep code order for free (the keys are already sorted by code), so
        # no sort of the hits is needed except inside the exact tier.
        buckets: tuple[list[Entry], ...] = ([], [], [], [], [], [])
        exact, code_prefix, initials_prefix, name_prefix, substring, across = buckets
        self._lineages()
        above = self._above if len(q) > 1 else {}
        first, first_upper, rest, rest_upper = q[0], qu[0], q[1:], qu[1:]
        for code_upper, initials, name, entry in self._keys:
            if code_upper.startswith(qu):
                (exact if len(code_upper) == len(qu) else code_prefix).append(entry)
            elif initials.startswith(qu):
                initials_prefix.append(entry)
            elif name.startswith(q):
                name_prefix.append(entry)
            elif q in name:
                substring.append(entry)
            elif entry.code in above:
                # cheap tests first: q starts like an ancestor and holds the entry's own start
                names, starts, upper, upper_starts = above[entry.code]
                if (first in starts and name[:1] in rest and across_levels(q, names, name)) or (
                    first_upper in upper_starts
                    and initials[:1] in rest_upper
                    and across_levels(qu, upper, initials)
                ):
                    across.append(entry)
        if len(exact) > 1:
            exact.sort(key=lambda e: (e.code != q, e.code))
        hits: list[Entry] = []
        for bucket in buckets:
            hits.extend(bucket)
            if len(hits) >= limit:
                break
        return hits[:limit]


def across_levels(query: str, above: Sequence[str], own: str) -> bool:
    """True when ``query`` is the start of some of ``above`` (in order, each at most once) followed
    by the start of ``own``, with at least one piece from ``above`` and one from ``own``.

    ``across_levels("福州鼓楼", ["福建省", "福州市"], "鼓楼区")`` is True (福州 + 鼓楼).
    """
    for cut in range(len(query) - 1, 0, -1):
        if own.startswith(query[cut:]) and _pieces(query[:cut], above):
            return True
    return False


def _pieces(head: str, names: Sequence[str]) -> bool:
    """``head`` cut into pieces, each the start of one of ``names``, in order."""
    for index, name in enumerate(names):
        common = 0
        while common < min(len(head), len(name)) and head[common] == name[common]:
            common += 1
        for size in range(common, 0, -1):
            if size == len(head) or _pieces(head[size:], names[index + 1 :]):
                return True
    return False
