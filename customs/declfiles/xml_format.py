"""The Single Window client's XML message `DecMessage`, read with a hardened parser.

defusedxml refuses any DTD (so no entity expansion, no external entity, no external DTD): a
declaration message has none. The message may be the document itself or wrapped (an envelope such
as the client's import message holding a DecMessage); it must be in the namespace
http://www.chinaport.gov.cn/dec. Section names are matched without regard to case (a public 3.1
sample writes `decHead`); element names inside them as the table names them.

expat reads only UTF-8, UTF-16, ISO-8859-1 and ASCII; the client's folders hold messages declared
GBK, GB2312 or GB18030 (and expat refuses every multi-byte encoding it does not know). Such bytes are
decoded here with the declared encoding (GB18030, a superset, for the whole GB family), the
declaration rewritten to UTF-8, and the UTF-8 bytes parsed as above (DTD and entities still refused).
"""

from __future__ import annotations

import codecs
import re
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from customs.declfiles.extracted import Extracted, Problem
from customs.declfiles.table import DIRECTION, GOODS, HEADER

NAMESPACE = "http://www.chinaport.gov.cn/dec"
ROOT = "DecMessage"

# the XML declaration's encoding, after an optional UTF-8 BOM and white space
_ENCODING = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\?xml\s[^>]*?encoding\s*=\s*(['\"])([^'\"]*)\1")
_ENCODING_TEXT = re.compile(_ENCODING.pattern.decode("ascii"))
_EXPAT = frozenset({"utf-8", "utf-16", "utf-16-le", "utf-16-be", "latin-1", "iso8859-1", "ascii"})
_GB = frozenset({"gbk", "gb2312", "gb18030"})


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _namespace(tag: str) -> str:
    return tag[1:].partition("}")[0] if tag.startswith("{") else ""


def extract(data: bytes) -> Extracted:
    """The fields of one DecMessage; `Problem` (Chinese) when the bytes are not one."""
    try:
        root = fromstring(_as_utf8(data), forbid_dtd=True)
    except DefusedXmlException as error:
        raise Problem(
            "XML中含有DTD或实体声明（可被用来无限膨胀或读取其他文件），为安全起见未读取"
        ) from error
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        raise Problem(
            f"不是完整有效的XML（第{line}行第{column + 1}列出错，文件可能不完整）"
        ) from error
    message = next((e for e in root.iter() if _local(e.tag) == ROOT), None)
    if message is None:
        raise Problem(f"不是报关单报文：根元素为 {_local(root.tag)}，应为 {ROOT}")
    namespace = _namespace(message.tag)
    if namespace != NAMESPACE:
        found = f"“{namespace}”" if namespace else "为空"
        raise Problem(f"报文的命名空间{found}，报关单报文应为 {NAMESPACE}")
    head = _section(message, "DecHead")
    if head is None:
        raise Problem("报关单报文中没有表头（DecHead）")
    values = {source.target: _first(message, head, source.xml) for source in HEADER}
    goods = []
    lists = _section(message, "DecLists")
    for row in lists if lists is not None else ():
        if _local(row.tag).lower() == "declist":
            goods.append({source.target: _first(message, row, source.xml) for source in GOODS})
    version = message.get("version", "").strip()
    return Extracted(
        head=values,
        goods=goods,
        direction=_first(message, head, DIRECTION.xml),
        kind=f"报关单报文XML{(' ' + version) if version else ''}",
    )


def _as_utf8(data: bytes) -> bytes:
    """`data` as expat can read it: unchanged when its declared encoding is one expat knows, else
    decoded by that encoding and re-encoded as UTF-8 with the declaration saying so."""
    declared = _ENCODING.match(data)
    if declared is None:
        return data
    name = declared.group(2).decode("ascii", "replace").strip()
    try:
        codec = codecs.lookup(name).name
        if codec in _EXPAT:
            return data
        text = data.decode("gb18030" if codec in _GB else codec)
    except LookupError as error:  # no such codec, or one that is no text encoding ("hex")
        raise Problem(f"XML声明的编码“{name}”无法识别") from error
    except UnicodeDecodeError as error:
        raise Problem(
            f"内容不是XML声明的{name}编码（第{error.start + 1}字节无法解码，文件可能已损坏）"
        ) from error
    # the declaration is ASCII, decoded alike by every codec here: find it again in the text
    found = _ENCODING_TEXT.match(text)
    if found is None:  # an encoding that is not ASCII-compatible (EBCDIC, UTF-32 …)
        raise Problem(f"XML声明的编码“{name}”无法读取，请另存为UTF-8或GB18030")
    start, end = found.span(2)
    return (text[:start] + "UTF-8" + text[end:]).encode("utf-8")


def _section(parent: Element, name: str) -> Element | None:
    wanted = name.lower()
    return next((child for child in parent if _local(child.tag).lower() == wanted), None)


def _first(message: Element, section: Element, names: tuple[str, ...]) -> str:
    """The text of the first of `names` present and not empty ("Sec/Name": another section)."""
    for name in names:
        where, _, leaf = name.rpartition("/")
        parent = _section(message, where) if where else section
        if parent is None:
            continue
        element = next((c for c in parent if _local(c.tag) == leaf), None)
        text = (element.text or "").strip() if element is not None else ""
        if text:
            return text
    return ""
