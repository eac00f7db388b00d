"""Pinyin initials of a table name: used by the generator and by the tests, never at run time.

The shipped CSVs carry the initials as a column, so the parameter tables never call this at run
time; the enterprise book (store/book.py) calls it once per saved name, a site's import
(store/params/local.py) once per imported row. pypinyin is imported inside
the function: importing ``store.params`` must not pay for pypinyin's dictionaries.

Readings follow pypinyin's default (heteronym=False). Where that default is wrong for a place name
the project shows (长治 is Chángzhì, not Zhǎngzhì), PHRASES registers the correct reading as a phrase,
which pypinyin then prefers over its per-character guess.
"""

from __future__ import annotations

from functools import cache

# Phrase -> pinyin of each character (tone marks not needed for initials). Only the places where
# pypinyin's default reading is wrong, checked against the standard readings of these names.
PHRASES: dict[str, list[str]] = {
    # 长 reads cháng in these place names (长子县, Zhǎngzǐ, is right by default and not listed).
    "长治": ["chang", "zhi"],
    "长丰": ["chang", "feng"],
    "长垣": ["chang", "yuan"],
    "长白": ["chang", "bai"],
    "长清": ["chang", "qing"],
    "长宁": ["chang", "ning"],
    "长海": ["chang", "hai"],
    "长泰": ["chang", "tai"],
    "长顺": ["chang", "shun"],
    "长葛": ["chang", "ge"],
    "长岭": ["chang", "ling"],
    "长武": ["chang", "wu"],
    "长洲": ["chang", "zhou"],
    "长阳": ["chang", "yang"],
    "天长": ["tian", "chang"],
    "子长": ["zi", "chang"],
    "弓长岭": ["gong", "chang", "ling"],
    "长吨": ["chang", "dun"],
    # Other well-known place names whose default reading has the wrong initial.
    "朝阳": ["chao", "yang"],
    "南乐": ["nan", "le"],
    "民乐": ["min", "le"],
    "单县": ["shan", "xian"],
    "洪洞": ["hong", "tong"],
    "浚县": ["xun", "xian"],
    "伽师": ["jia", "shi"],
    "筠连": ["jun", "lian"],
    "荥经": ["ying", "jing"],
    "涡阳": ["guo", "yang"],
    "召陵": ["shao", "ling"],
    "宕昌": ["tan", "chang"],
    "费县": ["bi", "xian"],
    "崆峒": ["kong", "tong"],
    "漯河": ["luo", "he"],
    "泊头": ["bo", "tou"],
    "繁峙": ["fan", "shi"],
    "马尾": ["ma", "wei"],  # 马尾海关 (Mǎwěi, Fuzhou); pypinyin reads mǎyǐ, the horsetail
}


@cache
def _ready() -> None:
    from pypinyin import load_phrases_dict

    load_phrases_dict({k: [[p] for p in v] for k, v in PHRASES.items()})


def initials_of(name: str) -> str:
    """Upper-case pinyin initials of ``name``; Latin letters and digits are kept, others dropped.

    >>> initials_of("重庆市")
    'CQS'
    """
    from pypinyin import Style, lazy_pinyin

    _ready()
    out: list[str] = []
    for piece in lazy_pinyin(name, style=Style.FIRST_LETTER, strict=False, errors="default"):
        out.extend(ch for ch in piece if ch.isascii() and ch.isalnum())
    return "".join(out).upper()
