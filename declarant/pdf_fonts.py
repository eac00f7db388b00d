"""The print-out's Chinese font: a subset of Noto Sans SC embedded in every PDF, never a system font.

Why: reportlab's built-in CID font (STSong-Light) is not embedded, so a viewer without Adobe's Chinese
font pack shows empty boxes, and a character outside the BMP (𠮷, U+20BB7, common in names) printed as
garbage. The fonts come with the Python dependencies (PyPI `justmytype-intl-cjk`: Google Fonts' Noto
Sans SC and Noto Sans JP, SIL OFL 1.1): no download at run time, no system font.

Shapes:
- Noto Sans SC covers GB 18030's common repertoire (30,890 code points, CJK Ext A included); Noto Sans
  JP is the fallback for the Ext B characters names use that SC lacks (𠮷 is one). A character in
  neither is refused: `UnprintableText` names it, and nothing is written.
- Both files are variable fonts whose default instance is Thin (wght 100); each PDF gets a subset of
  just its characters, instanced at Regular (wght 400) with fontTools, then embedded by reportlab
  (which subsets again as it writes). About 1 s for a record's ~200 distinct characters, measured
  here; the app pays it only when a PDF is written.
"""

from __future__ import annotations

import hashlib
import io
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from xml.sax.saxutils import escape

PACKAGE = "justmytype_intl_cjk"
PRIMARY_FILE = "fonts/ofl/notosanssc/NotoSansSC[wght].ttf"
FALLBACK_FILE = "fonts/ofl/notosansjp/NotoSansJP[wght].ttf"
WEIGHT = 400.0  # Regular; the files' default instance is Thin
# layout and variation tables the print-out does not use: dropping them before subsetting halves the
# time (fontTools would otherwise decompile GSUB/GPOS of 30,000 glyphs)
UNUSED_TABLES = ("GSUB", "GPOS", "GDEF", "STAT", "MVAR", "HVAR", "VVAR", "vhea", "vmtx", "VORG")

_lock = threading.Lock()  # reportlab's font registry is global; a print and a test may overlap


class UnprintableText(ValueError):
    """Characters no embedded font has; `message` is the Chinese text shown to the operator."""

    def __init__(self, characters: Iterable[str]) -> None:
        self.characters = sorted(set(characters))
        names = "、".join(f"“{c}”（U+{ord(c):04X}）" for c in self.characters[:8])
        more = f"等{len(self.characters)}个字符" if len(self.characters) > 8 else ""
        self.message = f"无法生成PDF：字体中没有字符{names}{more}，请修改后再打印"
        super().__init__(self.message)


def font_path(name: str) -> Path:
    """The font file inside the installed package (a zip-safe path is not needed: wheels unpack)."""
    return Path(str(files(PACKAGE) / name))


@cache
def _coverage(name: str) -> dict[int, int]:
    """The font's character map (code point -> glyph id), read once a process (about 1 s)."""
    from fontTools.ttLib import TTFont

    font = TTFont(font_path(name), lazy=True)
    try:
        return {code: font.getGlyphID(glyph) for code, glyph in font.getBestCmap().items()}
    finally:
        font.close()


def _ignorable(char: str) -> bool:
    # line breaks, tabs and other controls never reach a glyph (store/text.py makes stored controls
    # visible marks before printing); a space is in every font
    return unicodedata.category(char) in ("Cc", "Zl", "Zp")


def _subset(name: str, characters: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont, newTable
    from fontTools.ttLib.tables._c_m_a_p import cmap_format_4, cmap_format_12
    from fontTools.varLib import instancer

    ids = {ord(c): _coverage(name)[ord(c)] for c in characters}
    font = TTFont(font_path(name), lazy=True)
    try:
        # the character map is dropped and written anew from the cached one: decompiling the
        # file's own costs a second a print. Glyphs are then named by id (glyph00042).
        for tag in (*UNUSED_TABLES, "cmap"):
            if tag in font:
                del font[tag]
        order = font.getGlyphOrder()
        mapping = {code: order[gid] for code, gid in ids.items()}
        options = subset.Options(layout_features=[], hinting=False, notdef_outline=True)
        # both would read the character map dropped above
        options.prune_unicode_ranges = False
        options.prune_codepage_ranges = False
        subsetter = subset.Subsetter(options)
        subsetter.populate(glyphs=sorted(set(mapping.values())))
        subsetter.subset(font)
        cmap = newTable("cmap")
        cmap.tableVersion = 0
        bmp = cmap_format_4(4)
        bmp.platformID, bmp.platEncID, bmp.language = 3, 1, 0
        bmp.cmap = {code: glyph for code, glyph in mapping.items() if code <= 0xFFFF}
        cmap.tables = [bmp]
        if any(code > 0xFFFF for code in mapping):
            full = cmap_format_12(12)
            full.platformID, full.platEncID, full.language = 3, 10, 0
            full.cmap = dict(mapping)
            cmap.tables.append(full)
        font["cmap"] = cmap
        regular = instancer.instantiateVariableFont(font, {"wght": WEIGHT}, inplace=True)
        # the name table still says Thin (the file's default instance): name what is embedded
        family = (regular["name"].getDebugName(1) or "Noto Sans").removesuffix(" Thin")
        # and each subset its own PostScript name: reportlab keeps one face per name, so a second
        # subset under the first one's name printed with the first one's glyphs (blank gaps)
        tag = hashlib.sha1(characters.encode("utf-8", "surrogatepass")).hexdigest()[:8].upper()
        postscript = f"{family.replace(' ', '')}-Regular-{tag}"
        for name_id, text in ((2, "Regular"), (4, f"{family} Regular"), (6, postscript)):
            regular["name"].setName(text, name_id, 3, 1, 0x409)
        out = io.BytesIO()
        regular.save(out)
        return out.getvalue()
    finally:
        font.close()


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """A ToUnicode CMap whose destinations are UTF-16BE, as the PDF reference asks (9.10.3).

    reportlab 5.1's own writes each code point as four hex digits, so U+20BB7 (𠮷) read back as
    U+20BB (₻) in every text extraction and search: a character outside the BMP needs its
    surrogate pair. Installed over reportlab's by `_register`; reported upstream in docs/notes.md.
    """

    def utf16(code: int) -> str:
        return chr(code).encode("utf-16-be", "surrogatepass").hex().upper()

    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        f"/CIDSystemInfo << /Registry ({fontname}) /Ordering ({fontname}) /Supplement 0 >> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{index:02X}> <{utf16(code)}>" for index, code in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


def _register(prefix: str, data: bytes) -> str:
    from reportlab.pdfbase import pdfmetrics, ttfonts
    from reportlab.pdfbase.ttfonts import TTFont

    ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # see its docstring

    name = f"{prefix}-{hashlib.sha1(data).hexdigest()[:12]}"
    with _lock:
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, io.BytesIO(data)))
    return name


@dataclass(frozen=True)
class Fonts:
    """The fonts of one PDF: `primary` for the text, `fallback` for `fallback_chars` (or None)."""

    primary: str
    fallback: str | None
    fallback_chars: frozenset[str]

    def markup(self, text: str) -> str:
        """`text` as reportlab paragraph markup: escaped, runs of fallback characters in their font."""
        if not self.fallback_chars:
            return escape(text)
        out: list[str] = []
        run: list[str] = []
        in_fallback = False
        for char in text:
            wants = char in self.fallback_chars
            if wants != in_fallback and run:
                out.append(self._run("".join(run), in_fallback))
                run = []
            in_fallback = wants
            run.append(char)
        if run:
            out.append(self._run("".join(run), in_fallback))
        return "".join(out)

    def _run(self, text: str, fallback: bool) -> str:
        return f'<font name="{self.fallback}">{escape(text)}</font>' if fallback else escape(text)


def fonts_for(texts: Iterable[str]) -> Fonts:
    """Subset, instance and register the fonts every character of `texts` needs.

    Raises `UnprintableText` naming the characters no embedded font has (nothing is registered).
    """
    wanted = {c for text in texts for c in text if not _ignorable(c)}
    wanted.add(" ")
    primary = _coverage(PRIMARY_FILE)
    in_primary = {c for c in wanted if ord(c) in primary}
    rest = wanted - in_primary
    fallback_chars: set[str] = set()
    if rest:
        fallback = _coverage(FALLBACK_FILE)
        fallback_chars = {c for c in rest if ord(c) in fallback}
        missing = rest - fallback_chars
        if missing:
            raise UnprintableText(missing)
    primary_name = _register("TuihuoSC", _subset(PRIMARY_FILE, "".join(sorted(in_primary))))
    fallback_name = None
    if fallback_chars:
        fallback_name = _register(
            "TuihuoJP", _subset(FALLBACK_FILE, "".join(sorted(fallback_chars)))
        )
    return Fonts(primary_name, fallback_name, frozenset(fallback_chars))
