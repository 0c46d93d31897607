"""Read spreadsheets as people keep them: find the header under title rows, stop at totals and signatures."""
from __future__ import annotations

import csv
import datetime as dt
import html
import io
import itertools
import json
import logging
import re
import zipfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pandas as pd

from etl import spec
from etl.parse import MONTHS, RejectedCell, is_empty, parse_bool, parse_date

log = logging.getLogger(__name__)
_BACKGROUND = ThreadPoolExecutor(max_workers=2, thread_name_prefix="baca-latar")  # work beside a reader (below)

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
SUFFIXES = EXCEL_SUFFIXES | {".csv", ".parquet"}
_ORDER = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv", ".parquet")


def suffixes() -> list[str]:
    """Every extension read_grids accepts, in the order people are told them: workbooks first."""
    return sorted(SUFFIXES, key=lambda s: (_ORDER.index(s) if s in _ORDER else len(_ORDER), s))


def accepted(last: str = "atau") -> str:
    """The accepted extensions as a list in words: ".xlsx, .xlsm, …, .csv atau .parquet"."""
    names = suffixes()
    return f"{', '.join(names[:-1])} {last} {names[-1]}"
HEADER_SEARCH_ROWS = 20
MAX_COLUMNS = 1000  # no office sheet is this wide; a stray far-away cell would blow the grid up
MAX_CELLS = 40_000_000
TOTAL_WORDS = {"JUMLAH", "TOTAL", "JUMLAHTOTAL", "SUBTOTAL", "GRANDTOTAL", "TOTALKESELURUHAN"}
_SIGNATURE_START = re.compile(r"^\s*(mengetahui|kepala|a\.\s*n\.?|an\.|plt\.?|plh\.?|nip\b|nip\.)", re.I)
_NUMBERING = re.compile(r"^\(?(\d+)\)?$")
IGNORED_HEADERS = {"no", "nourut", "nomor", "nomorurut"}


def _client_name(kind: str, tries: list[str]) -> bool:
    """A client's name beside the register on a sheet of another kind («Nama Klien» on attendance): a reading aid
    every office keeps there, not an unknown column to warn about (the name itself comes from Data Klien)."""
    return kind != "klien" and any(spec.field_for_header("klien", t) == "nama" for t in tries)


class ExtractError(Exception):
    """A file or sheet that cannot be read as a table; the message is for the user (Indonesian)."""


@dataclass
class Grid:
    """One sheet as a grid of raw cell values; grid row i is spreadsheet row `first_row + i`."""

    name: str | None
    cells: pd.DataFrame
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    first_row: int = 1
    header_given: bool = False  # Parquet: the column names are the header
    field_counts: np.ndarray | None = None  # CSV: fields per record, for the first records (the header among them)
    delimiter: str | None = None  # CSV
    undecodable: bool = False  # CSV: some bytes were valid in no encoding and read as U+FFFD
    hidden: bool = False  # a workbook sheet the user does not see (hidden or very hidden)
    file_notes: list[dict] = field(default_factory=list)  # about the whole file; shared by its grids, given once
    # Parquet: column position → pd.factorize of its cells under the header row (codes, distinct values), as
    # computed from the typed column before it was turned into Python objects
    body_factorized: dict[int, tuple[np.ndarray, list]] = field(default_factory=dict)


@dataclass
class Column:
    field: str
    position: int
    header: str


# wide layouts read as rows, as reports name them (a sheet's counts are of the rows made, not of its lines)
SHAPES = {"kisi": "kisi: satu baris per tanda hadir", "matriks": "matriks: satu baris per akun per bulan"}


@dataclass
class Table:
    """The data rows of one sheet, matched to one kind: raw values per field and their row numbers."""

    kind: str
    sheet: str | None
    columns: dict[str, Column]
    values: pd.DataFrame  # raw cells under the header, one column per matched field; the data rows are `rows`
    rows: np.ndarray  # positions in `values` of the data rows
    row_numbers: np.ndarray  # per data row
    warnings: list[dict] = field(default_factory=list)
    factorized: dict[str, tuple[np.ndarray, list]] = field(default_factory=dict)  # field → (codes, distinct)
    labelled: np.ndarray | None = None  # per data row: its first cell names a total («Jumlah Januari»), see _total_rows
    shape: str | None = None  # a wide layout read as rows (SHAPES), else None


# ----------------------------------------------------------------------------------------- reading
def read_grids(path: Path) -> list[Grid]:
    """Every sheet of a file as a grid; raises ExtractError with a reason in Indonesian."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ExtractError(f"jenis berkas '{suffix or path.name}' tidak didukung; gunakan {accepted()}")
    try:
        if path.stat().st_size == 0:
            raise ExtractError("berkas kosong (0 byte)")
        if suffix in EXCEL_SUFFIXES:
            return _read_excel(path)
        if suffix == ".csv":
            return [_read_csv(path)]
        return [_read_parquet(path)]
    except OSError as exc:
        log.debug("%s: %s", path.name, exc)
        raise ExtractError(_os_reason(exc)) from exc


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return ("berkas tidak dapat dibuka: akses ditolak (berkas mungkin sedang dibuka di program lain, atau tidak "
                "ada izin membacanya)")
    if isinstance(exc, IsADirectoryError):
        return "yang dipilih adalah folder, bukan berkas"
    if isinstance(exc, FileNotFoundError):
        return "berkas tidak ditemukan"
    return "berkas tidak dapat dibaca dari disk (gangguan baca); salin ulang berkasnya lalu coba lagi"


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)?(\d+)?:?([A-Z]+)?(\d+)?"')
_CELL_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?r="([A-Z]{1,3})(\d{1,7})"')


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


_SCANS: dict[tuple, dict[str, Future]] = {}  # scans started ahead (start_scans), by file and its size and time


def _scan_key(path: Path) -> tuple | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return str(path.resolve()), stat.st_size, stat.st_mtime_ns


def start_scans(paths: list[Path]) -> None:
    """Start the sheet scans (_xlsx_extent_checks) of the workbooks a load will read, so that a later file's are done
    while an earlier one is read; read_grids takes them, forget_scans drops those not taken."""
    for path in paths:
        path = Path(path)
        if path.suffix.lower() in (".xlsx", ".xlsm") and (key := _scan_key(path)) and key not in _SCANS:
            _SCANS[key] = _xlsx_extent_checks(path)


def forget_scans(paths: list[Path]) -> None:
    for path in paths:
        if key := _scan_key(Path(path)):
            _SCANS.pop(key, None)


def _xlsx_extent_checks(path: Path) -> dict[str, Future]:
    """Sheet name → its (rows, columns) used, read from the xlsx parts on the background threads, one sheet each.

    calamine allocates a dense grid up to the farthest cell, so a single stray value at XFD1048576 would
    need hundreds of GB (and abort the process): such sheets are refused before calamine sees them. A later sheet's
    parts are searched while calamine reads an earlier one (both let go of the GIL), so the check costs the read
    little more than the first sheet's search.
    """
    try:
        with zipfile.ZipFile(path) as z:
            parts = _sheet_parts(z)
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError):
        return {}
    return {name: _BACKGROUND.submit(_sheet_scan, path, part) for name, part in parts}


def _sheet_scan(path: Path, part: str) -> tuple[tuple[int, int] | None, bool, str]:
    """(its extent, whether it holds a formula error, the part) of one sheet, from one pass over its XML."""
    try:
        with zipfile.ZipFile(path) as z:
            rows, cols, has_error = _part_extent(z, part)
            return (rows, cols), has_error, part
    except (KeyError, zipfile.BadZipFile, OSError):
        return None, False, part


def _refuse_if_too_big(name: str, extent: tuple[int, int] | None) -> None:
    height, width = extent or (0, 0)
    if width > MAX_COLUMNS or height * width > MAX_CELLS:
        raise ExtractError(f"lembar kerja '{name}' terlalu besar untuk dibaca ({height} baris × {width} kolom "
                           f"terpakai); hapus isi sel di luar tabel lalu simpan ulang")


_CHUNK = 1 << 22


def _part_extent(z: zipfile.ZipFile, part: str) -> tuple[int, int, bool]:
    """(rows, columns) of one sheet part: its <dimension>, checked against the cells, since a writer may state
    less than it holds (some write «A1» always); only a stretch holding a reference longer than the dimension's
    (more letters or digits) is searched cell by cell, and the whole part when that check cannot bound the grid."""
    rows = cols = 0
    has_error = False  # a cell of type "e" (see _sheet_error_cells), noticed on the way
    longer = None  # a cell reference with more column letters or row digits than the dimension's
    with z.open(part) as fh:
        tail = b""
        while chunk := fh.read(_CHUNK):
            data, first, tail = tail + chunk, not tail, chunk[-64:]  # the overlap sees a reference cut in two
            has_error = has_error or _ERROR_MARK in data
            if first and (m := _DIMENSION.search(data[:4096])) and (m.group(4) or m.group(2)):
                letters, digits = (m.group(3), m.group(4)) if m.group(4) else (m.group(1), m.group(2))
                rows, cols = int(digits), _column_number(letters or b"A")
                longer = (len(letters or b"A"), len(digits))
            if longer is None or _has_longer_ref(data, *longer):
                rows, cols = _cells_extent(data, rows, cols)
    if longer is not None:  # cells not searched have the dimension's lengths: at most this far
        height = min(10 ** len(str(rows)) - 1, 1_048_576)
        width = min(26 ** len(_column_letters(cols)), 16_384)
        if width > MAX_COLUMNS or height * width > MAX_CELLS:  # too far to tell: every cell
            with z.open(part) as fh:
                tail = b""
                while chunk := fh.read(_CHUNK):
                    rows, cols = _cells_extent(tail + chunk, rows, cols)
                    tail = chunk[-64:]
    return rows, cols, has_error


def _has_longer_ref(data: bytes, letters: int, digits: int) -> bool:
    """Whether a cell reference (r="…") in `data` has more column letters or more row digits than the dimension's.

    Done with numpy rather than a regular expression: numpy lets go of the GIL, so the search, on a background
    thread, does not hold up the sheet calamine is turning into Python rows at the same time.
    """
    a = np.frombuffer(data, dtype=np.uint8)
    end = len(a) - (letters + digits + 2)  # a reference cut at the end is seen whole in the next stretch
    if end <= 3:
        return False
    at = np.flatnonzero((a[:end - 3] == 0x72) & (a[1:end - 2] == 0x3D) & (a[2:end - 1] == 0x22)) + 3  # r="

    def letter(j):
        c = a[at + j]
        return (c >= 0x41) & (c <= 0x5A)

    def digit(j):
        c = a[at + j]
        return (c >= 0x30) & (c <= 0x39)

    more_letters = np.logical_and.reduce([letter(j) for j in range(letters + 1)])
    if more_letters.any():
        return True
    for k in range(1, letters + 1):  # k letters, then more digits than the dimension's row
        if np.logical_and.reduce([letter(j) for j in range(k)] + [digit(k + j) for j in range(digits + 1)]).any():
            return True
    return False


def _cells_extent(data: bytes, rows: int, cols: int) -> tuple[int, int]:
    for letters, number in _CELL_REF.findall(data):
        rows, cols = max(rows, int(number)), max(cols, _column_number(letters))
    return rows, cols


def _column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _sheet_parts(z: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, zip member of its XML) of every worksheet of an xlsx, in workbook order."""
    from xml.etree import ElementTree

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    book = ElementTree.fromstring(z.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    names = set(z.namelist())
    out = []
    for sheet in book.iterfind("m:sheets/m:sheet", ns):
        target = targets.get(sheet.get(f"{{{ns['r']}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        if part in names:
            out.append((sheet.get("name"), part))
    return out


_ERROR_MARK = b't="e"'
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\s([^>]*?\bt="e"[^>]*?)(?<!/)>(.*?)</(?:\w+:)?c>', re.S)
_ERROR_REF = re.compile(rb'\br="([A-Z]{1,3})(\d{1,7})"')
_ERROR_VALUE = re.compile(rb'<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>')


def _sheet_error_cells(path: Path, part: str) -> list[tuple[int, int, str]]:
    """(row, column, error text such as '#REF!') of the cells of one sheet holding a formula error.

    calamine reads an error cell as an empty one, so a broken formula would pass for a blank cell ("wajib diisi",
    or a value silently left empty). Searched only in a sheet whose scan (_part_extent) saw an error cell at all.
    """
    found = []
    try:
        with zipfile.ZipFile(path) as z:
            for m in _ERROR_CELL.finditer(z.read(part)):
                ref, value = _ERROR_REF.search(m[1]), _ERROR_VALUE.search(m[2])
                if ref and value:
                    text = html.unescape(value[1].decode("utf-8", errors="replace")).strip()
                    found.append((int(ref[2]) - 1, _column_number(ref[1]) - 1, text))
    except Exception as exc:  # an unreadable part: calamine says what is wrong with the file
        log.debug("%s: galat rumus tidak dapat dicari: %s", path.name, exc)
        return []
    return found


def _read_excel(path: Path) -> list[Grid]:
    from python_calamine import CalamineWorkbook

    checks = ((_SCANS.pop(_scan_key(path), None) or _xlsx_extent_checks(path))
              if path.suffix.lower() in (".xlsx", ".xlsm") else {})
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every unreadable file
        raise ExtractError(_unreadable_reason(path, exc)) from exc
    notes = _macro_notes(path)
    grids = []
    try:
        for meta in workbook.sheets_metadata:
            if str(getattr(meta, "typ", "WorkSheet")).endswith("ChartSheet"):
                continue
            extent, has_error, part = checks[meta.name].result() if meta.name in checks else (None, False, None)
            _refuse_if_too_big(meta.name, extent)
            try:
                sheet = workbook.get_sheet_by_name(meta.name)
                height, width = sheet.total_height, sheet.total_width
                if width > MAX_COLUMNS or height * width > MAX_CELLS:
                    raise ExtractError(f"lembar kerja '{meta.name}' terlalu besar untuk dibaca ({height} baris × {width} "
                                       f"kolom terpakai); hapus sel kosong yang berformat di luar tabel")
                rows = sheet.to_python(skip_empty_area=False)
                merged = list(sheet.merged_cell_ranges or [])
            except ExtractError:
                raise
            except Exception as exc:
                raise ExtractError(_unreadable_sheet_reason(path, meta.name, exc)) from exc
            width = max(map(len, rows), default=0)
            cells = pd.DataFrame(rows, columns=range(width), dtype=object) if rows else pd.DataFrame()
            for r, c, text in _sheet_error_cells(path, part) if has_error else ():  # read as '' by calamine: put back
                if r < cells.shape[0] and c < cells.shape[1] and is_empty(cells.iat[r, c]):
                    cells.iat[r, c] = text
            # Free the row lists now, not when the next sheet's replace them: while they live, each full garbage
            # collection that reading the next sheet triggers walks them all (0.1 s and more for a large workbook).
            del rows, sheet
            hidden = str(getattr(meta, "visible", "")).endswith("Hidden")  # SheetVisibleEnum.Hidden, .VeryHidden
            grids.append(Grid(meta.name, cells, merged, file_notes=notes, hidden=hidden))
    except ExtractError:
        raise
    except Exception as exc:
        raise ExtractError(_unreadable_reason(path, exc)) from exc
    finally:
        workbook.close()
    return grids


def _macro_notes(path: Path) -> list[dict]:
    """A note when an .xlsm holds macros: they are never run, only the stored cell values are read."""
    if path.suffix.lower() != ".xlsm":
        return []
    try:
        with zipfile.ZipFile(path) as z:
            has_macros = any(name.lower().endswith("vbaproject.bin") for name in z.namelist())
    except (zipfile.BadZipFile, OSError):
        return []
    if not has_macros:
        return []
    return [{"row": None, "column": None, "value": None,
             "message": "makro di berkas .xlsm tidak dijalankan; hanya nilai sel yang dibaca"}]


# -------------------------------------------------------------------------------- what a file holds
# What a file really holds, whatever its name says: the reason a file is unreadable is said from this,
# never from the reader's own (English) error text.
_WHAT = {
    "xlsx": "buku kerja Excel (.xlsx)", "xlsb": "buku kerja Excel biner (.xlsb)",
    "ods": "buku kerja OpenDocument (.ods)", "xls": "buku kerja Excel lama (.xls)",
    "parquet": "berkas Parquet", "html": "halaman web (HTML)", "xml2003": "'XML Spreadsheet 2003'",
    "xml": "dokumen XML", "docx": "dokumen Word (.docx)", "pptx": "presentasi PowerPoint (.pptx)",
    "odf": "dokumen OpenDocument yang bukan buku kerja", "ole": "dokumen Office lama yang bukan buku kerja",
    "zip": "arsip zip biasa, bukan buku kerja", "pdf": "dokumen PDF", "text": "teks biasa",
}
_EXTENSION = {"xlsx": ".xlsx", "xlsb": ".xlsb", "ods": ".ods", "xls": ".xls", "parquet": ".parquet"}
_SUFFIX_HOLDS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".xlsb": "xlsb", ".ods": "ods",
                 ".parquet": "parquet"}
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13))
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _utf16_codec(head: bytes) -> str | None:
    """'utf-16' (with BOM) or 'utf-16-le'/'utf-16-be' (NUL in every other byte), else None."""
    if head.startswith(_UTF16_BOMS):
        return "utf-16"
    sample = head[:4096]
    if len(sample) < 8:
        return None
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    if odd > len(sample) // 4 and even * 10 < odd:
        return "utf-16-le"
    if even > len(sample) // 4 and odd * 10 < even:
        return "utf-16-be"
    return None


def _sniff(path: Path, raw: bytes) -> str:
    """One of the keys of _WHAT, or 'zip-broken', 'encrypted' (an encrypted Office file), 'binary'.

    `raw` is the file's bytes (the whole file for OLE files, whose directory may sit anywhere).
    """
    if raw.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
                mimetype = z.read("mimetype")[:80] if "mimetype" in names else b""
        except (zipfile.BadZipFile, OSError, KeyError):
            return "zip-broken"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "xl/workbook.bin" in names:
            return "xlsb"
        if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
            return "ods"
        if mimetype.startswith(b"application/vnd.oasis.opendocument"):
            return "odf"
        if "word/document.xml" in names:
            return "docx"
        if "ppt/presentation.xml" in names:
            return "pptx"
        return "zip"
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        if "EncryptedPackage".encode("utf-16-le") in raw:
            return "encrypted"
        if "Workbook".encode("utf-16-le") in raw or "Book".encode("utf-16-le") + b"\0\0" in raw:
            return "xls"
        return "ole"
    if raw.startswith(b"PAR1"):
        return "parquet"
    if raw.startswith(b"%PDF"):
        return "pdf"
    head = raw[:8192]
    codec = _utf16_codec(head)
    if codec:
        text = head.decode(codec, errors="replace")
    elif len(head) - len(head.translate(None, _CONTROL_BYTES)) > len(head) // 20:
        return "binary"  # more than 5% control bytes: no one types that
    else:
        text = head.decode("utf-8", errors="replace")
    start = text.lstrip("\ufeff \t\r\n").lower()
    if start.startswith("<?xml"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in start:
            return "xml2003"
        return "html" if "<html" in start else "xml"
    if start.startswith(("<!doctype html", "<html")) or (start.startswith("<") and ("<table" in start
                                                                                    or "<html" in start)):
        return "html"
    return "text"


def _excel_word(suffix: str) -> str:
    return "buku kerja OpenDocument" if suffix == ".ods" else "buku kerja Excel"


def _unreadable_reason(path: Path, exc: Exception) -> str:
    """Why calamine could not open a workbook, in Indonesian, from what the file holds (its text only logged)."""
    log.debug("%s tidak terbaca oleh calamine: %s: %s", path.name, type(exc).__name__, exc)
    suffix = path.suffix.lower()
    try:
        raw = path.read_bytes()
    except OSError:
        raw = b""
    found = _sniff(path, raw)
    expected = _SUFFIX_HOLDS.get(suffix)
    app = "LibreOffice Calc atau Excel" if suffix == ".ods" else "Excel"
    if (found == "encrypted" or (found == "ole" and expected == "xlsx")  # an OLE2 .xlsx: Excel's encryption
            or (found == expected == "xls" and "password" in str(exc).lower())):
        return "berkas tidak dapat dibuka: kemungkinan dilindungi kata sandi (buka di Excel, hapus kata sandi, " \
               "simpan ulang)"
    if found == expected:
        return (f"berkas {suffix} rusak dan tidak dapat dibaca sebagai buku kerja (bagian isinya hilang atau "
                f"tidak sah); buka di {app}, simpan ulang, lalu unggah lagi")
    if found in _EXTENSION:
        return (f"berkas ini {_WHAT[found]} yang diberi akhiran {suffix}; ubah akhirannya menjadi "
                f"{_EXTENSION[found]} lalu unggah lagi")
    if found == "zip-broken":
        return ("berkas tidak dapat dibaca: berkas terpotong atau rusak (isi arsipnya tidak lengkap), biasanya "
                "karena unggahan atau salinan yang terputus; salin ulang berkas aslinya lalu unggah lagi")
    if found == "html":
        return (f"berkas ini {_WHAT[found]} yang diberi akhiran {suffix}, bukan {_excel_word(suffix)}; "
                "buka di Excel lalu simpan sebagai .xlsx")
    if found == "xml2003":
        return (f"berkas ini {_WHAT[found]} yang diberi akhiran {suffix}, format lama yang tidak dapat dibaca di "
                "sini; buka di Excel lalu simpan sebagai .xlsx")
    if found == "text":
        return (f"berkas ini berisi teks biasa, bukan {_excel_word(suffix)}; jika isinya data berpemisah koma, "
                "titik koma atau tab, ubah akhirannya menjadi .csv")
    if found in _WHAT:
        return f"berkas bukan {_excel_word(suffix)} yang sah: isinya {_WHAT[found]}"
    if found == "binary":
        return f"berkas bukan {_excel_word(suffix)} yang sah (isi tidak sesuai dengan ekstensi {suffix})"
    return ("berkas tidak dapat dibaca sebagai buku kerja: isinya rusak atau formatnya tidak dikenali; buka di "
            "Excel lalu simpan ulang sebagai .xlsx")


def _unreadable_sheet_reason(path: Path, sheet: str, exc: Exception) -> str:
    log.debug("%s, sheet %s, tidak terbaca oleh calamine: %s: %s", path.name, sheet, type(exc).__name__, exc)
    if "password" in str(exc).lower():
        return "berkas tidak dapat dibuka: kemungkinan dilindungi kata sandi (buka di Excel, hapus kata sandi, " \
               "simpan ulang)"
    return (f"lembar kerja '{sheet}' rusak dan tidak dapat dibaca (isinya terpotong atau tidak sah); "
            "buka berkas di Excel, biarkan Excel memperbaikinya, lalu simpan ulang")


# --------------------------------------------------------------------------------------------- CSV
_NON_ASCII = re.compile(r"[^\x00-\x7f\ufffd]")
_DELIMITER_NAMES = {",": "koma", ";": "titik koma", "\t": "tab", "|": "garis tegak"}
DELIMITERS = tuple(_DELIMITER_NAMES)  # in order of preference when two split a sample equally well
CSV_HEAD_RECORDS = 200  # records read by the csv module for the width (and the header's field count)
# The whole file is already in memory, so the csv module's field limit (128 KiB) protects nothing: it would
# only turn one very long value into a failure of the whole file.
csv.field_size_limit(2**31 - 1)


def _decode(raw: bytes) -> tuple[str, bool]:
    """The text of a CSV file, and whether some bytes were valid in no encoding (they become U+FFFD).

    UTF-16 (Excel's "Teks Unicode") by its BOM or NUL pattern; UTF-8 (with or without BOM); a file that is
    not valid UTF-8 is read as UTF-8 when it holds valid multi-byte sequences (a UTF-8 file with stray bytes),
    else as Windows-1252 (the five bytes that code leaves undefined become U+FFFD).
    """
    codec = _utf16_codec(raw[:4096])
    if codec:
        text = raw.decode(codec, errors="replace")
    else:
        if raw.startswith(b"\xef\xbb\xbf"):  # the BOM says UTF-8; a script may have put it before Windows-1252 text
            raw = raw[3:]
        try:
            return raw.decode("utf-8"), False
        except UnicodeDecodeError:
            pass
        text = raw.decode("utf-8", errors="replace")
        if not _NON_ASCII.search(text):
            text = raw.decode("cp1252", errors="replace")
    return text, "\ufffd" in text


def _delimiter(sample: list[str]) -> str | None:
    """Comma, semicolon, tab or pipe: the one that splits the widest consistent rows; None when none splits any."""
    best, best_score = None, -1
    for delim in DELIMITERS:
        counts = [len(r) for r in csv.reader(sample, delimiter=delim) if sum(1 for c in r if c.strip()) >= 2]
        if not counts:
            continue
        modal = max(set(counts), key=lambda n: (counts.count(n), n))
        score = modal * counts.count(modal)
        if score > best_score:
            best, best_score = delim, score
    return best


def _not_csv_reason(found: str) -> str | None:
    """Why a file named .csv is not CSV text, or None when it is text."""
    if found == "text":
        return None
    if found in _EXTENSION:
        resave = "" if found == "parquet" else ", atau buka di Excel lalu simpan sebagai CSV"
        return (f"berkas tidak dapat dibaca sebagai CSV: isinya {_WHAT[found]} yang diberi akhiran .csv; ubah "
                f"akhirannya menjadi {_EXTENSION[found]}{resave}")
    if found == "zip-broken":
        return "berkas tidak dapat dibaca sebagai CSV: isinya arsip zip yang terpotong atau rusak, bukan teks"
    if found in ("html", "xml2003"):
        return (f"berkas tidak dapat dibaca sebagai CSV: isinya {_WHAT[found]}; buka di Excel lalu simpan sebagai "
                ".xlsx atau CSV")
    if found in _WHAT:
        return f"berkas tidak dapat dibaca sebagai CSV: isinya {_WHAT[found]}, bukan teks"
    if found == "encrypted":
        return "berkas tidak dapat dibaca sebagai CSV: isinya berkas Office yang dilindungi kata sandi, bukan teks"
    return "berkas tidak dapat dibaca sebagai CSV: isinya data biner, bukan teks"


def _read_csv(path: Path) -> Grid:
    raw = path.read_bytes()
    reason = _not_csv_reason(_sniff(path, raw))
    if reason:
        raise ExtractError(reason)
    text, undecodable = _decode(raw)
    del raw
    if not text.strip():
        raise ExtractError("berkas CSV tidak berisi data")
    delim = _delimiter(text[:1 << 16].splitlines()[:60])
    if delim is None:  # no line has two values under any delimiter: no kind of data could be recognised
        raise ExtractError(
            f"berkas CSV {path.name} tidak dapat dibaca: pemisah kolomnya tidak dapat ditentukan, karena tidak ada "
            "baris yang terbagi menjadi beberapa kolom oleh koma (,), titik koma (;), tab atau garis tegak (|); buka "
            "di Excel lalu simpan ulang sebagai CSV")
    try:
        head = list(itertools.islice(csv.reader(io.StringIO(text, newline=""), delimiter=delim), CSV_HEAD_RECORDS))
        counts = np.array([len(r) for r in head], dtype=np.int64)
        width = int(counts.max()) if len(counts) else 1
    except csv.Error as exc:  # not expected for text in memory; the whole-file reader says what is wrong
        log.debug("CSV: csv: %s", exc)
        counts, width = None, _csv_width(text, delim)
    cells = _csv_cells(text, delim, width)
    return Grid(None, cells.astype(object), field_counts=counts, delimiter=delim, undecodable=undecodable)


def _csv_cells(text: str, delim: str, width: int) -> pd.DataFrame:
    """All records as text cells; a record longer than the first ones widens the grid instead of failing."""
    def read(columns: int) -> pd.DataFrame:
        # dtype=object: the C parser's own strings; dtype=str builds Arrow strings that .astype(object) converts back
        # (same cells, 1.6× the time on the national CSV files: bench/README.md)
        return pd.read_csv(io.StringIO(text), sep=delim, header=None, dtype=object, keep_default_na=False,
                           skip_blank_lines=False, names=list(range(columns)), engine="c", quotechar='"')
    try:
        return read(width)
    except pd.errors.ParserError as exc:
        log.debug("CSV: pandas: %s", exc)
    wider = _csv_width(text, delim)  # raises ExtractError for a quote that is never closed
    if wider > width:
        try:
            return read(wider)
        except pd.errors.ParserError as exc:
            log.debug("CSV: pandas (%d kolom): %s", wider, exc)
    raise ExtractError("berkas CSV tidak dapat dibaca: susunan pemisah kolom atau tanda kutipnya rusak; buka di "
                       "Excel, periksa baris yang berantakan, lalu simpan ulang sebagai CSV")


def _csv_width(text: str, delim: str) -> int:
    """The most fields of any record (read by the csv module, only when pandas could not read the file).

    Raises ExtractError for a quoted value that is never closed (pandas: "EOF inside string").
    """
    buffer = io.StringIO(text, newline="")
    reader = csv.reader(buffer, delimiter=delim, strict=True)
    start, width = 1, 0
    try:
        for record in reader:
            width = max(width, len(record))
            start = reader.line_num + 1
        return width
    except csv.Error:
        if buffer.read(1) == "":  # failed at the very end: a quoted value that never closes
            raise ExtractError(
                f"berkas CSV tidak dapat dibaca: tanda kutip (\") di baris {start} tidak ditutup, sehingga seluruh "
                "isi sesudahnya terbaca sebagai satu nilai; tutup atau hapus tanda kutip itu lalu simpan ulang"
            ) from None
    # a quirk mid-file (text right after a closing quote): read leniently, as pandas does
    return max((len(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delim)), default=0)


# ----------------------------------------------------------------------------------------- Parquet
def _known_header(name: object) -> bool:
    return any(spec.field_for_header(kind, name) for kind in spec.KINDS)


def _parquet_reason(path: Path, exc: Exception) -> str:
    log.debug("%s tidak terbaca sebagai Parquet: %s: %s", path.name, type(exc).__name__, exc)
    try:
        with path.open("rb") as fh:
            head = fh.read(8192)
            fh.seek(max(path.stat().st_size - 4, 0))
            tail = fh.read(4)
    except OSError:
        head = tail = b""
    if not head.startswith(b"PAR1"):
        found = _sniff(path, head)
        if found in _WHAT and found != "parquet":
            return f"berkas Parquet tidak dapat dibaca: isinya {_WHAT[found]}"
        return "berkas Parquet tidak dapat dibaca: isinya bukan format Parquet"
    if tail != b"PAR1":
        return "berkas Parquet tidak dapat dibaca: berkas terpotong atau rusak (penanda akhir Parquet tidak ada)"
    return "berkas Parquet tidak dapat dibaca: berkas rusak atau memakai fitur Parquet yang tidak didukung"


def _read_parquet(path: Path) -> Grid:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
        nested = [f for f in schema if pa.types.is_nested(f.type)]
        if not nested:
            frame = pd.read_parquet(path)
        else:
            data = pq.read_table(path)
    except Exception as exc:
        raise ExtractError(_parquet_reason(path, exc)) from exc
    if nested:
        known = [f for f in nested if _known_header(f.name)]
        if known:
            listed = ", ".join(f"'{f.name}' ({_nested_word(f.type)})" for f in known)
            raise ExtractError(f"berkas Parquet berisi kolom bersarang yang tidak dapat dimuat: {listed}; simpan "
                               "kolom itu dengan satu nilai per sel (teks, angka atau tanggal)")
        for f in nested:  # not a column we load (it is reported as unknown): kept as text
            column = data.column(f.name).to_pylist()
            text = pa.array([None if v is None else json.dumps(v, ensure_ascii=False, default=str) for v in column],
                            type=pa.string())
            data = data.set_column(data.schema.get_field_index(f.name), f.name, text)
        frame = data.to_pandas()
    if frame.shape[1] == 0:
        header = pd.DataFrame([list(frame.columns)], columns=range(frame.shape[1]), dtype=object)
        body = frame.set_axis(range(frame.shape[1]), axis=1)
        body.index = range(1, len(body) + 1)
        return Grid(None, pd.concat([header, body.astype(object)], ignore_index=False), header_given=True)
    cells = np.empty((len(frame) + 1, frame.shape[1]), dtype=object, order="F")  # a column is contiguous
    cells[0, :] = list(frame.columns)
    factorized = {}
    for j in range(frame.shape[1]):
        column = frame.iloc[:, j]
        if column.dtype == object:
            cells[1:, j] = column.to_numpy()
        else:
            cells[1:, j], factorized[j] = _objects(column)
    cells = pd.DataFrame(cells, columns=range(frame.shape[1]), dtype=object, copy=False)
    return Grid(None, cells, header_given=True, body_factorized=factorized)


def _objects(column: pd.Series) -> tuple[np.ndarray, tuple[np.ndarray, list]]:
    """column.astype(object) and pd.factorize of it, with each distinct value converted once.

    The typed column is factorised (fast: Arrow or a numeric hash table), its distinct values converted to
    Python objects by astype(object) as the whole column would be, then factorised again as objects (equal
    objects of distinct typed values, 0.0 and -0.0 say, become one, the first seen).
    """
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    n = len(codes)
    seen = np.maximum.accumulate(codes) if n else codes
    first = np.flatnonzero(seen > np.concatenate(([-1], seen[:-1]))) if n else codes  # where each code starts
    if len(first) != len(uniques) or not np.array_equal(codes[first], np.arange(len(first))):
        objects = column.astype(object).to_numpy()  # codes not in order of appearance: the plain way
        codes, uniques = pd.factorize(pd.Series(objects, dtype=object), use_na_sentinel=True)
        return objects, (codes, uniques.tolist())
    if isinstance(column.dtype, np.dtype) and column.dtype.kind in "biuf":  # cheap to convert, and -0.0 stays
        objects = column.astype(object).to_numpy()
        distinct = objects[first]
    else:
        distinct = np.asarray(uniques.astype(object), dtype=object)  # codes in order: uniques[k] is at first[k]
        missing = np.flatnonzero(codes < 0)
        # the column's own empty value (NaN, NaT, <NA>)
        na = column.iloc[missing[:1]].astype(object).to_numpy() if len(missing) else np.full(1, None, dtype=object)
        objects = np.concatenate([distinct, na])[codes]
    canonical, uniques = pd.factorize(pd.Series(distinct, dtype=object), use_na_sentinel=True)
    if np.array_equal(canonical, np.arange(len(canonical))):  # the usual case: no two distinct values became one
        return objects, (codes, uniques.tolist())
    body_codes = np.where(codes < 0, -1, np.concatenate([canonical, [-1]])[codes]).astype(canonical.dtype)
    return objects, (body_codes, uniques.tolist())


def _nested_word(arrow_type) -> str:
    import pyarrow as pa

    if pa.types.is_struct(arrow_type):
        return "struktur"
    if pa.types.is_map(arrow_type):
        return "peta kunci-nilai"
    return "daftar" if not pa.types.is_union(arrow_type) else "gabungan"


# ------------------------------------------------------------------------------------------ header
def _text(value: object) -> str:
    if value is None or is_empty(value):
        return ""
    if type(value) is float and value.is_integer():  # a number typed as a header: 2025, not 2025.0
        value = int(value)
    return str(value).replace("\n", " ").strip()


def _group_row(grid: Grid, row: int) -> tuple[dict[int, str], set[int]] | None:
    """Labels of a group-label row (text merged across columns) per column, and the columns under a label merged
    across several columns other than its first; None if the row is not one."""
    spans = [m for m in grid.merged if m[0][0] <= row <= m[1][0]]
    if not any(m[0][0] == row and m[1][1] > m[0][1] for m in spans):
        return None
    cells = grid.cells
    # only group labels: a header neither merged nor over an empty cell has a value under it, so the row is the
    # header and the row under it data («Nama» merged over two columns beside «No. Register» is no group label)
    merged = {c for (_, c0), (_, c1) in spans for c in range(c0, c1 + 1)}
    if row + 1 < len(cells) and any(_text(cells.iat[row, c]) and not is_empty(cells.iat[row + 1, c])
                                    for c in range(cells.shape[1]) if c not in merged):
        return None
    labels: dict[int, str] = {}
    inner: set[int] = set()
    for c in range(cells.shape[1]):
        labels[c] = _text(cells.iat[row, c])
    for (r0, c0), (r1, c1) in spans:
        top = _text(cells.iat[r0, c0]) if r0 < len(cells) and c0 < cells.shape[1] else ""
        for c in range(c0, min(c1, cells.shape[1] - 1) + 1):
            labels[c] = top
            if c > c0:
                inner.add(c)
    return labels, inner


def _is_numbering(values: list[object]) -> bool:
    """1, 2, 3 … or (1), (2), … read left to right over the non-empty cells."""
    filled = [v for v in values if not is_empty(v)]
    if len(filled) < 2:
        return False
    for expected, v in enumerate(filled, start=1):
        text = str(int(v)) if isinstance(v, float) and v.is_integer() else str(v).strip()
        m = _NUMBERING.match(text)
        if not m or int(m[1]) != expected:
            return False
    return True


def _row_candidates(grid: Grid, row: int) -> list[list[str]]:
    """For each column of a row, the header texts to try in order (lower; 'upper lower', 'lower upper'; upper)."""
    cache = grid.__dict__.setdefault("_candidates", {})
    if row not in cache:
        cache[row] = _compute_candidates(grid, row)
    return cache[row]


def _compute_candidates(grid: Grid, row: int) -> list[list[str]]:
    cells = grid.cells
    upper = _group_row(grid, row - 1) if row > 0 and not grid.header_given else None
    out = []
    labels, inner = upper if upper is not None else ({}, set())
    for c in range(cells.shape[1]):
        lower = _text(cells.iat[row, c])
        tries = [lower] if lower else []
        up = labels.get(c, "")
        if up and lower:
            tries += [f"{up} {lower}", f"{lower} {up}"]  # «Tanggal» over «Mulai»; «NIP» under «Pembimbing …»
        if up and not (lower and c in inner):  # a group label names at most the first column under it
            tries.append(up)
        out.append(tries)
    return out


def _match_row(grid: Grid, row: int, kind: str) -> dict[str, Column]:
    """Fields of a kind matched by a row's headers (the first matching column wins).

    A column takes the first of its header texts whose field no earlier column took: «Nama» under the group label
    «Pembimbing Kemasyarakatan» is the PK's name («Nama Pembimbing Kemasyarakatan») when the client's «Nama» came
    first.
    """
    matched: dict[str, Column] = {}
    for c, tries in enumerate(_row_candidates(grid, row)):
        for text in tries:
            name = spec.field_for_header(kind, text)
            if name and name not in matched:
                matched[name] = Column(name, c, text)
                break
    return matched


def _header_like(grid: Grid, row: int) -> bool:
    """Mostly text (a number or a date beside the headers, a year column say, does not hide them), not numbering."""
    values = list(grid.cells.iloc[row])
    filled = [v for v in values if not is_empty(v)]
    texts = sum(isinstance(v, str) for v in filled)
    return texts >= 1 and texts * 2 > len(filled) and not _is_numbering(values)


def header_search_rows(grid: Grid) -> range | list[int]:
    """The rows a header may be in: the first HEADER_SEARCH_ROWS (only row 0 of a file that gives its header)."""
    return [0] if grid.header_given else range(min(HEADER_SEARCH_ROWS, len(grid.cells)))


def find_header(grid: Grid, kind: str | None = None) -> tuple[str, int, dict[str, Column]]:
    """(kind, header row index, matched columns); raises ExtractError when no kind is recognised.

    The header is the first row that matches the most headers (of a two-row header, the lower one): the same header
    pasted again further down (a second printed page) never hides the data rows above it. An attendance grid (a
    register and a column per date, marks below: etl/kisi.py) is kehadiran whatever else its headers match.
    """
    if kind in (None, "kehadiran"):  # a client and a column per date: attendance, whatever else its headers match
        from etl import kisi
        found = kisi.find(grid)
        if found is not None:
            if grid.hidden and missing_required("kehadiran", found[1]):
                raise ExtractError("lembar kerja tersembunyi; daftar hadir tanpa kolom wajib: "
                                   + ", ".join(missing_required("kehadiran", found[1])))
            return "kehadiran", *found
    if kind in (None, "anggaran"):  # a row per account and a column per month: etl/bulanan.py
        from etl import bulanan
        if (found := bulanan.find(grid)) is not None:
            return "anggaran", *found
    rows = [0] if grid.header_given else [
        r for r in range(min(HEADER_SEARCH_ROWS, len(grid.cells))) if _header_like(grid, r)]
    kinds = [kind] if kind else list(spec.KINDS)
    best: dict[str, tuple[int, int, dict[str, Column]]] = {}
    for k in kinds:
        for r in rows:
            matched = _match_row(grid, r, k)
            score = len(matched)
            if score and (k not in best or score > best[k][0]
                          or (score == best[k][0] and _lower_of_two(grid, best[k][1], r))):
                best[k] = (score, r, matched)
    if kind:
        if kind not in best or best[kind][0] < 2:
            raise ExtractError(f"tidak ada baris judul kolom data {kind} dalam {HEADER_SEARCH_ROWS} baris pertama")
        score, row, matched = best[kind]
        _check_data(grid, kind, matched)
        return kind, row, matched
    ranked = sorted(((s, k) for k, (s, _, _) in best.items()), reverse=True)
    if not ranked or ranked[0][0] < 2:
        raise ExtractError("judul kolom tidak cocok dengan jenis data mana pun")
    top = sorted(k for s, k in ranked if s == ranked[0][0])
    if not any(_has_required(k, best[k][2]) for k in top):  # a list of choices, not data: said for the first kind
        _check_data(grid, top[0], best[top[0]][2])
    if len(top) > 1:
        raise ExtractError(f"jenis data tidak dapat ditentukan ({', '.join(top)} sama cocoknya), gunakan --kind")
    k = top[0]
    _check_data(grid, k, best[k][2])
    return k, best[k][1], best[k][2]


def _lower_of_two(grid: Grid, upper: int, row: int) -> bool:
    """Whether `row` is the lower row of a two-row header whose group-label row is `upper`."""
    return row == upper + 1 and not grid.header_given and _group_row(grid, upper) is not None


def _has_required(kind: str, columns: dict[str, Column]) -> bool:
    return any(name in columns for name in spec.KINDS[kind].required)


def _check_data(grid: Grid, kind: str, columns: dict[str, Column]) -> None:
    """Raise ExtractError (the sheet is skipped as not data) for a sheet that only looks like data of `kind`.

    Headers that name none of the kind's required columns are a list of choices (Jenis Kelamin, Agama, Status; a
    hidden «Daftar» behind the dropdowns), not a table to load; nor is a hidden sheet that lacks some of them: the
    user cannot see it, so it must not reject the workbook. A visible sheet with some required columns missing is
    left to reject its file (DATA.md §0a).
    """
    if _has_required(kind, columns) and not (grid.hidden and missing_required(kind, columns)):
        return
    found = ", ".join(c.header for c in sorted(columns.values(), key=lambda c: c.position))
    missing = ", ".join(missing_required(kind, columns))
    where = "lembar kerja tersembunyi; " if grid.hidden else ""
    raise ExtractError(f"{where}judul kolom ({found}) bukan tabel data {kind}: kolom wajib tidak ditemukan ({missing})")


def missing_required(kind: str, columns: dict[str, Column]) -> list[str]:
    """Human names of required columns that the header lacks (for an attendance grid, with how to fix it)."""
    spec_kind = spec.KINDS[kind]
    reasons = getattr(columns, "reasons", {})
    missing = [reasons.get(n) or (spec_kind.field(n).headers[0] if spec_kind.field(n).headers else n)
               for n in spec_kind.required if n not in columns]
    for group in spec_kind.required_any:
        if not any(n in columns for n in group):
            names = [spec_kind.field(n).headers[0] for n in group]
            missing.append(" atau ".join(names))
    return missing


# -------------------------------------------------------------------------------------------- body
_NEVER_EMPTY = (int, float, bool, dt.date, dt.datetime)  # types is_empty never finds empty (NaN aside)


def _filled_distinct(values: list) -> np.ndarray:
    """For a column's distinct values (plus the missing-value slot at the end): is the cell filled?"""
    keep = np.ones(len(values) + 1, dtype=bool)
    keep[-1] = False
    for k, v in enumerate(values):
        if type(v) is str:
            stripped = v.strip()
            if not stripped or (stripped[0] in "-–—nN#" and is_empty(v)):
                keep[k] = False
        elif v is None or (type(v) is float and v != v) or (type(v) not in _NEVER_EMPTY and is_empty(v)):
            keep[k] = False
    return keep


def _cell_flags(cells: np.ndarray, matched: set[int], known: dict[int, tuple] | None = None
                ) -> tuple[np.ndarray, dict[int, tuple], set[int]]:
    """Which cells are filled, (codes, distinct values) of the matched columns, and the matched columns
    whose nested cells (lists, arrays) were made RejectedCell.

    Matched columns are factorised (their distinct values are parsed later anyway); the others only need a
    cheap blank test for the row rules. `known` holds columns already factorised (by the Parquet reader).
    """
    filled = np.zeros(cells.shape, dtype=bool)
    factorized: dict[int, tuple] = {}
    nested: set[int] = set()
    known = known or {}
    for j in range(cells.shape[1]):
        column = cells[:, j]
        if j in known:
            codes, values = known[j]
            if j in matched:
                factorized[j] = (codes, values)
                filled[:, j] = _filled_distinct(values)[codes]
            else:
                array = np.empty(len(values) + 1, dtype=object)
                array[:-1] = values
                flags = np.zeros(len(array), dtype=bool)
                flags[:-1] = pd.notna(array[:-1]) & (array[:-1] != "")
                filled[:, j] = flags[codes]
        elif j in matched:
            try:
                codes, uniques = pd.factorize(column, use_na_sentinel=True)
            except TypeError:  # unhashable cells (lists, arrays): each becomes a rejected cell
                codes, uniques = pd.factorize(_hashable(column), use_na_sentinel=True)
                nested.add(j)
            values = uniques.tolist()
            factorized[j] = (codes, values)
            filled[:, j] = _filled_distinct(values)[codes]
        else:
            try:
                filled[:, j] = pd.notna(column) & (column != "")
            except (TypeError, ValueError):
                array = _hashable(column).to_numpy(dtype=object)
                filled[:, j] = pd.notna(array) & (array != "")
    return filled, factorized, nested


NESTED_REASON = "nilai bersarang (daftar atau struktur) tidak dapat dimuat ke satu sel"


def _hashable(column: np.ndarray) -> pd.Series:
    """A column with its nested values (lists, dicts, arrays) as RejectedCell (reached only when there are some)."""
    def one(value):
        try:
            hash(value)
            return value
        except TypeError:
            text = json.dumps(value, ensure_ascii=False,
                              default=lambda v: v.tolist() if hasattr(v, "tolist") else str(v))
            return RejectedCell(text, NESTED_REASON)
    return pd.Series(column, dtype=object).map(one)


_NOT_LETTER = re.compile(r"[^A-Z]")


def _total_word(value: object) -> bool:
    return type(value) is str and len(value) <= 30 and _NOT_LETTER.sub("", value.upper()) in TOTAL_WORDS


# a first cell that starts by naming a total (also read by etl/kisi.py for a grid's recap rows)
TOTAL_START = re.compile(r"^\s*(jumlah|jml\.?|total|sub\s*-?\s*total|grand\s*total|rekap(itulasi)?)\b", re.I)


def _total_label(value: object) -> bool:
    """A first cell that names a total in more words than DATA.md's list («Jumlah Januari», «Total Program A»)."""
    return type(value) is str and len(value) <= 60 and bool(TOTAL_START.match(value)) and not _total_word(value)


def _total_rows(cells: np.ndarray, filled: np.ndarray, factorized: dict[int, tuple]) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose first non-empty cell is JUMLAH, TOTAL and the like (`factorized`: columns' codes and values), and
    rows whose first cell only starts so («Jumlah Januari»: data rows by DATA.md, whose rejection says why)."""
    n = filled.shape[0]
    out, labelled = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    if n == 0 or filled.shape[1] == 0:
        return out, labelled
    first = np.where(filled.any(axis=1), filled.argmax(axis=1), -1)
    for j in np.unique(first[first >= 0]).tolist():  # each column that holds some row's first cell
        rows = np.flatnonzero(first == j)
        if j in factorized:
            codes, values = factorized[j]
            codes = codes[rows]
        else:  # an unmatched column, mostly a numbering one: only its text cells can hold such a word
            rows = rows[np.array([type(v) is str for v in cells[rows, j].tolist()], dtype=bool)]
            codes, uniques = pd.factorize(cells[rows, j], use_na_sentinel=True)
            values = uniques.tolist()
        words = np.zeros(len(values) + 1, dtype=bool)  # the last slot: an empty cell (code -1)
        labels = np.zeros(len(values) + 1, dtype=bool)
        # only the values these rows hold: a few rows can sit in a column of thousands
        held = np.unique(codes[codes >= 0]).tolist() if len(rows) < len(values) else list(range(len(values)))
        words[held] = [_total_word(values[k]) for k in held]
        labels[held] = [_total_label(values[k]) for k in held]
        out[rows], labelled[rows] = words[codes], labels[codes]
    return out, labelled


_MONTH_YEAR = re.compile(r"^(\d{1,2}\s+)?([A-Za-z]+)\s+\d{4}$")


def _is_place_date(text: str) -> bool:
    """'Bandar Lampung, 31 Oktober 2026' (also with the day left blank: 'Bandar Lampung,    Oktober 2026')."""
    if "," not in text:
        return False
    place, date_part = (part.strip() for part in text.rsplit(",", 1))
    if not place or place[0].isdigit() or not date_part:
        return False
    if parse_date(date_part)[1] is None:
        return True
    m = _MONTH_YEAR.match(date_part)
    return bool(m and m[2].lower() in MONTHS)


def _signature_start(values: list[object]) -> bool:
    filled = [v for v in values if not is_empty(v)]
    if not 1 <= len(filled) <= 2 or not all(isinstance(v, str) for v in filled):
        return False
    return any(_SIGNATURE_START.match(v) or _is_place_date(v.strip()) for v in filled)


MARKED_CHOICE = "lebih dari satu pilihan ditandai ({}); tandai satu saja"


def _tick(value: object) -> bool | None:
    """A cell of a column of choices: True ticked (✓, V, 1, Ya), False not (empty, X, 0, Tidak), None not a mark."""
    if is_empty(value):
        return False
    flag, error, _ = parse_bool(value)
    return None if error else flag


def _fold_marked_choices(grid: Grid, kind: str, header_row: int, columns: dict[str, Column]) -> set[int]:
    """Columns of choices under one group label («Jenis Kelamin» over «L | P», «Kehadiran» over «Hadir | Izin |
    Sakit | Alpa») as the one column of their field: each row's value is the header of its ticked column.

    The folded values replace the first column's cells; returns the positions of the other columns (read, not
    unknown).
    """
    if header_row == 0 or grid.header_given or not grid.merged:
        return set()
    absorbed: set[int] = set()
    cells = grid.cells
    start = header_row + 1
    while start < len(cells) and all(is_empty(v) for v in cells.iloc[start]):
        start += 1
    if start < len(cells) and _is_numbering(list(cells.iloc[start])):
        start += 1  # the numbering row stays as it is, to be skipped
    for name, column in columns.items():
        f = spec.KINDS[kind].field(name)
        if f.parser != spec.VOCAB:
            continue
        span = next((m for m in grid.merged if m[0] == (header_row - 1, column.position) and m[1][0] == header_row - 1
                     and m[1][1] > m[0][1]), None)
        if span is None:
            continue
        positions = range(column.position, min(span[1][1], cells.shape[1] - 1) + 1)
        labels = [_text(cells.iat[header_row, c]) for c in positions]
        index = spec.VOCAB_INDEX[f.vocab]
        if len(labels) < 2 or not all(label and spec.vocabulary_key(label) in index for label in labels):
            continue
        block = cells.iloc[start:, list(positions)].to_numpy(dtype=object, copy=True)
        for i, row in enumerate(block):
            ticks = [_tick(v) for v in row]
            if None in ticks:  # other text (a total, a signature line, a value typed in): left as it is
                continue
            ticked = [labels[k] for k, t in enumerate(ticks) if t]
            if len(ticked) > 1:
                row[0] = RejectedCell(" | ".join(_text(v) for v in row), MARKED_CHOICE.format(" dan ".join(ticked)))
            else:
                row[0] = ticked[0] if ticked else None
            row[1:] = None
        for k, c in enumerate(positions):
            cells.iloc[start:, c] = block[:, k]
        absorbed.update(positions[1:])
        grid.__dict__.pop("_candidates", None)
    return absorbed


def table(grid: Grid, kind: str, header_row: int, columns: dict[str, Column], also: set[int] = frozenset()) -> Table:
    """The data rows under the header: blank, numbering, total and signature rows dropped.

    `also`: positions of columns read by the caller (an attendance grid's dates), so a row filled only there is data.
    """
    if getattr(columns, "layout", None) is not None:  # an attendance grid (kisi.find): a row per mark
        from etl import kisi
        return kisi.table(grid, header_row, columns)
    if getattr(columns, "months", None) is not None:  # a monthly budget matrix (bulanan.find): a row per month
        from etl import bulanan
        return bulanan.table(grid, header_row, columns)
    absorbed = _fold_marked_choices(grid, kind, header_row, columns)
    body = grid.cells.to_numpy(dtype=object)[header_row + 1:]  # a view: the grid is one block of objects
    row_numbers = np.arange(header_row + 1, len(grid.cells)) + grid.first_row
    positions = [c.position for c in columns.values()]
    known = grid.body_factorized if header_row == 0 else None
    nonempty, factorized, nested = _cell_flags(body, set(positions), known)
    count = nonempty.sum(axis=1)
    keep = np.ones(len(body), dtype=bool)
    end = len(body)
    # signature block: the table ends at its first line
    for i in np.flatnonzero((count >= 1) & (count <= 2)):
        if _signature_start(list(body[i])):
            keep[i:] = False
            end = i
            break
    special, labelled = _total_rows(body, nonempty, factorized)  # total and numbering rows: never data
    filled_rows = np.flatnonzero(count > 0)
    if len(filled_rows) and _is_numbering(list(body[filled_rows[0]])):
        special[filled_rows[0]] = True
    keep &= ~special
    rowed = positions + sorted(also)
    keep &= nonempty[:, rowed].any(axis=1) if rowed else False
    warnings = list(grid.file_notes)
    grid.file_notes.clear()  # said once per file, with its first table
    if grid.hidden:  # loaded like any other sheet, but the user may not know it is there
        warnings.append({"row": None, "column": None, "value": None,
                         "message": "lembar kerja ini tersembunyi di Excel, tetapi isinya ikut dimuat; tampilkan "
                                    "lembar kerja itu untuk memeriksanya"})
    overflow = _overflow_rows(grid, header_row, body, nonempty, end, special)
    if overflow is not None:
        if overflow.sum() * 2 > (keep | overflow).sum():  # most rows: a column without a header, not a stray comma
            warnings.append(_headerless_column_warning(grid, header_row, overflow))
            overflow = None
        else:
            keep |= overflow
    values = _raw_values(body, columns)
    rows = np.flatnonzero(keep)
    known = {c.position for c in columns.values()} | absorbed | set(also)
    header_cells = _row_candidates(grid, header_row)
    seen_fields = set()
    last_header = max((c for c, tries in enumerate(header_cells) if tries), default=-1)
    for c, tries in enumerate(header_cells):
        if not tries and c < last_header and c not in known and nonempty[rows, c].any():
            warnings.append(_headerless_gap_warning(grid, header_row, c, int(nonempty[rows, c].sum())))
        if c in known or not tries:
            continue
        text = tries[0]
        name = next(filter(None, (spec.field_for_header(kind, t) for t in tries)), None)
        if name and name not in seen_fields:
            warnings.append({"row": int(header_row + grid.first_row), "column": text, "value": text,
                             "message": f"kolom kedua untuk {name} diabaikan (yang dipakai: "
                                        f"'{columns[name].header}')"})
        elif not name and spec.header_key(text) not in IGNORED_HEADERS and not _client_name(kind, tries):
            warnings.append({"row": int(header_row + grid.first_row), "column": text, "value": text,
                             "message": "kolom tidak dikenal, diabaikan"})
    coded = {name: (factorized[c.position][0][keep], factorized[c.position][1]) for name, c in columns.items()}
    numbers = row_numbers[keep]
    for name, c in columns.items():
        if c.position in nested:  # the rejected cells, not the raw lists, so the report shows their text
            codes, uniques = coded[name]
            cells = values[name].to_numpy(dtype=object).copy()  # the grid's own cells stay as read
            cells[rows] = pd.Series([*uniques, None], dtype=object).to_numpy()[codes]
            values[name] = cells
    if overflow is not None and columns:
        _reject_overflow(grid, header_row, body, overflow, keep, columns, values, coded)
    if grid.undecodable:
        warnings += _undecodable_warnings(columns, coded, numbers)
    if not keep.any() and grid.name is None:  # a CSV or Parquet file: the whole file brought nothing
        where = "" if grid.header_given else f" di bawah judul kolom (baris {header_row + grid.first_row})"
        warnings.append({"row": None, "column": None, "value": None,
                         "message": f"tidak ada baris data{where}; tidak ada yang dimuat"})
    return Table(kind, grid.name, columns, values, rows, numbers, warnings, coded,
                 labelled[keep] if labelled.any() else None)


def _raw_values(body: np.ndarray, columns: dict[str, Column]) -> pd.DataFrame:
    """The raw cells under the header, one column per field (read only for messages, so never copied row by row).

    The columns are views of the grid when the fields take at least half of its columns; else a copy of theirs, so
    that a wide grid is not kept alive until validation by a few of its columns.
    """
    if 2 * len(columns) >= body.shape[1]:
        return pd.DataFrame({name: body[:, c.position] for name, c in columns.items()}, dtype=object, copy=False)
    return pd.DataFrame(body[:, [c.position for c in columns.values()]], columns=list(columns), dtype=object,
                        copy=False)


def _overflow_rows(grid: Grid, header_row: int, body: np.ndarray, nonempty: np.ndarray, end: int,
                   special: np.ndarray) -> np.ndarray | None:
    """CSV data rows (not totals, above any signature block) with a value beyond the header's fields, or None."""
    counts = grid.field_counts
    if counts is None or header_row >= len(counts):
        return None
    fields = int(counts[header_row])
    if nonempty.shape[1] <= fields:
        return None
    beyond = nonempty[:, fields:].any(axis=1) & ~special
    beyond[end:] = False
    for i in np.flatnonzero(beyond):  # few rows: a lone space after a trailing delimiter is not a value
        if not any(_text(v) for v in body[i, fields:]):
            beyond[i] = False
    return beyond if beyond.any() else None


def _line(values: list[object], delimiter: str | None) -> str:
    """A CSV row's values as the line reads (up to its last value), shortened for a message."""
    texts = [_text(v) for v in values]
    while texts and not texts[-1]:
        texts.pop()
    line = (" | " if delimiter in (None, "\t") else delimiter).join(texts)
    return line if len(line) <= 120 else line[:119] + "…"


def _reject_overflow(grid: Grid, header_row: int, body: np.ndarray, overflow: np.ndarray, keep: np.ndarray,
                     columns: dict[str, Column], values: pd.DataFrame, coded: dict[str, tuple]) -> None:
    """Reject each CSV row with more fields than the header: its first matched cell carries the reason."""
    fields = int(grid.field_counts[header_row])
    sign = _DELIMITER_NAMES.get(grid.delimiter, "pemisah")
    first = min(columns.values(), key=lambda c: c.position)
    codes, uniques = coded[first.field][0].copy(), list(coded[first.field][1])
    cells = values[first.field].to_numpy(dtype=object).copy()  # the grid's own cells stay as read
    for pos, i in zip(np.flatnonzero(overflow[keep]), np.flatnonzero(overflow)):
        row = list(body[i])
        last = max(c for c, v in enumerate(row) if _text(v)) + 1
        reason = (f"jumlah kolom lebih banyak dari judul kolom: baris ini berisi nilai sampai kolom ke-{last}, "
                  f"sedangkan judul kolom hanya {fields} kolom (kemungkinan ada {sign} tanpa tanda kutip di dalam "
                  f"suatu nilai); isi baris: {_line(row, grid.delimiter)}")
        cell = RejectedCell(_text(row[first.position]), reason)
        uniques.append(cell)
        codes[pos] = len(uniques) - 1
        cells[i] = cell
    values[first.field] = cells
    coded[first.field] = (codes, uniques)


def _headerless_column_warning(grid: Grid, header_row: int, overflow: np.ndarray) -> dict:
    fields = int(grid.field_counts[header_row])
    return {"row": int(header_row + grid.first_row), "column": None, "value": None,
            "message": f"{int(overflow.sum())} baris berisi nilai di sebelah kanan kolom terakhir yang berjudul "
                       f"(kolom ke-{fields}); nilai itu diabaikan — beri judul kolomnya jika isinya perlu dimuat"}


def _headerless_gap_warning(grid: Grid, header_row: int, c: int, filled: int) -> dict:
    """A column between titled ones, with values but no header of its own: ignored, and said so."""
    where = f"kolom ke-{c + 1}" + (f" ({_column_letters(c + 1)})" if grid.name is not None else "")
    return {"row": int(header_row + grid.first_row), "column": None, "value": None,
            "message": f"{where} tidak berjudul tetapi berisi nilai di {filled} baris; nilai itu diabaikan — beri "
                       f"judul kolomnya jika isinya perlu dimuat"}


UNDECODABLE = ("karakter tidak dikenal: sebagian byte sel ini tidak sah dalam pengodean teks mana pun "
               "(UTF-8/Windows-1252) dan diganti dengan '\ufffd'; periksa nilai aslinya lalu perbaiki")


def _undecodable_warnings(columns: dict[str, Column], coded: dict[str, tuple], numbers: np.ndarray) -> list[dict]:
    """One warning per loaded cell holding U+FFFD (bytes the CSV reader could not decode)."""
    out = []
    for name, (codes, uniques) in coded.items():
        damaged = np.array([type(u) is str and "\ufffd" in u for u in uniques] + [False])
        for pos in np.flatnonzero(damaged[codes]):
            out.append({"row": int(numbers[pos]), "column": columns[name].header,
                        "value": _text(uniques[codes[pos]]), "message": UNDECODABLE})
    return sorted(out, key=lambda w: w["row"])
