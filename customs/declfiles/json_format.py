"""The JSON the web Single Window shows for a declaration, in its own names (cusCiqNo, entryId,
supvModeCdde, decMergeListVo …).

The head may be the document itself or nested in wrappers (an answer's `data`, a `preDecHeadVo`):
it is the first object, breadth first, holding `cusCiqNo` or `entryId`. The goods are its
`decMergeListVo` (or a sibling's), a list of objects or a JSON string of one, as public samples show.
"""

from __future__ import annotations

import json
from collections import deque
from typing import Any

from customs.declfiles.extracted import Extracted, Problem
from customs.declfiles.table import DIRECTION, GOODS, HEADER

HEAD_MARKERS = ("cusCiqNo", "entryId")
GOODS_KEY = "decMergeListVo"
MAX_DEPTH = 4


def extract(data: bytes) -> Extracted:
    """The fields of one web declaration JSON; `Problem` (Chinese) when the bytes are not one."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise Problem("不是UTF-8编码的JSON") from error
    except json.JSONDecodeError as error:
        raise Problem(f"不是完整有效的JSON（第{error.lineno}行第{error.colno}列出错）") from error
    except RecursionError as error:  # a hostile nesting depth
        raise Problem("JSON嵌套过深，不是报关单数据") from error
    head, holder = _find_head(document)
    if head is None:
        raise Problem("不是单一窗口报关单数据（没有 cusCiqNo 或 entryId）")
    rows = _goods(head) if GOODS_KEY in head else _goods(holder or {})
    return Extracted(
        head={s.target: _first(head, s.json) for s in HEADER},
        goods=[{s.target: _first(row, s.json) for s in GOODS} for row in rows],
        direction=_first(head, DIRECTION.json),
        kind="单一窗口报关单JSON",
    )


def _find_head(document: Any) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(the head object, the object holding it) breadth first, at most MAX_DEPTH deep."""
    queue: deque[tuple[Any, dict[str, Any] | None, int]] = deque([(document, None, 0)])
    while queue:
        value, parent, depth = queue.popleft()
        if isinstance(value, dict):
            if any(marker in value for marker in HEAD_MARKERS):
                return value, parent
            children = list(value.values())
            holder: dict[str, Any] | None = value
        elif isinstance(value, list):
            children, holder = value[:1], parent  # a list of declarations: the first
        else:
            continue
        if depth < MAX_DEPTH:
            queue.extend((child, holder, depth + 1) for child in children)
    return None, None


def _goods(holder: dict[str, Any]) -> list[dict[str, Any]]:
    rows = holder.get(GOODS_KEY) or []
    if isinstance(rows, str):
        try:
            rows = json.loads(rows)
        except json.JSONDecodeError as error:
            raise Problem(f"商品信息（{GOODS_KEY}）不是有效的JSON") from error
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise Problem(f"商品信息（{GOODS_KEY}）应为商品项的列表")
    return rows


def _first(values: dict[str, Any], names: tuple[str, ...]) -> str:
    for name in names:
        value = values.get(name)
        if value is not None and not isinstance(value, dict | list):
            text = str(value).strip()
            if text:
                return text
    return ""
