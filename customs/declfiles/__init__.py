"""The declarations the office already has on file, read into the gateway's `ImportDeclaration`.

Three kinds of file, told apart by their first bytes (not their names):

- the Single Window client's XML message `DecMessage` (namespace http://www.chinaport.gov.cn/dec,
  version 4.8 and earlier), parsed with defusedxml (no DTD, no entities, no external references);
- the JSON the web Single Window shows for a declaration (`cusCiqNo`, `supvModeCdde`,
  `decMergeListVo` …);
- a spreadsheet (.xlsx) laid out like the printed declaration (预录入编号, 海关编号, 境内收货人 …).

`read_declaration(path)` -> `FileDeclaration` (the declaration, its kind, notes on kept codes) or
`DeclarationFileError` with a Chinese message naming the file. Which element, JSON name or label
feeds which field is declared once, in `customs.declfiles.table`. `DeclarationIndex` finds the file
whose 海关编号 is a given number among watched folders. No Textual here.
"""

from customs.declfiles.errors import DeclarationFileError
from customs.declfiles.folders import DeclarationIndex
from customs.declfiles.reader import FileDeclaration, read_declaration
from customs.declfiles.report import describe, describe_json, render

__all__ = [
    "DeclarationFileError",
    "DeclarationIndex",
    "FileDeclaration",
    "describe",
    "describe_json",
    "read_declaration",
    "render",
]
