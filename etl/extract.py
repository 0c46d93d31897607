"""Read spreadsheets as people keep them: find the header under title rows, stop at totals and signatures."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from etl import spec
from etl.parse import MONTHS, is_empty, parse_date

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
SUFFIXES = EXCEL_SUFFIXES | {".csv", ".parquet"}
HEADER_SEARCH_ROWS = 20
MAX_COLUMNS = 1000  # no office sheet is this wide; a stray far-away cell would blow the grid up
MAX_CELLS = 40_000_000
TOTAL_WORDS = {"JUMLAH", "TOTAL", "JUMLAHTOTAL", "SUBTOTAL", "GRANDTOTAL", "TOTALKESELURUHAN"}
_SIGNATURE_START = re.compile(r"^\s*(mengetahui|kepala|a\.\s*n\.?|an\.|plt\.?|plh\.?|nip\b|nip\.)", re.I)
_NUMBERING = re.compile(r"^\(?(\d+)\)?$")
IGNORED_HEADERS = {"no", "nourut", "nomor", "nomorurut"}


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


@dataclass
class Column:
    field: str
    position: int
    header: str


@dataclass
class Table:
    """The data rows of one sheet, matched to one kind: raw values per field and their row numbers."""

    kind: str
    sheet: str | None
    columns: dict[str, Column]
    values: pd.DataFrame  # one column per matched field, raw cell values
    row_numbers: np.ndarray
    warnings: list[dict] = field(default_factory=list)
    factorized: dict[str, tuple[np.ndarray, list]] = field(default_factory=dict)  # field → (codes, distinct)


# ----------------------------------------------------------------------------------------- reading
def read_grids(path: Path) -> list[Grid]:
    """Every sheet of a file as a grid; raises ExtractError with a reason in Indonesian."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ExtractError(f"jenis berkas '{suffix or path.name}' tidak didukung; gunakan .xlsx, .xls, .csv "
                           "atau .parquet")
    if path.stat().st_size == 0:
        raise ExtractError("berkas kosong (0 byte)")
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(path)
    if suffix == ".csv":
        return [_read_csv(path)]
    return [_read_parquet(path)]


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)?(\d+)?:?([A-Z]+)?(\d+)?"')
_CELL_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?r="([A-Z]{1,3})(\d{1,7})"')


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _xlsx_extent(path: Path) -> dict[str, tuple[int, int]]:
    """Sheet name → (rows, columns) used, read from the xlsx parts before any sheet is loaded.

    calamine allocates a dense grid up to the farthest cell, so a single stray value at XFD1048576 would
    need hundreds of GB: such sheets are refused before calamine sees them.
    """
    import zipfile
    from xml.etree import ElementTree

    extents: dict[str, tuple[int, int]] = {}
    try:
        with zipfile.ZipFile(path) as z:
            ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                  "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
            book = ElementTree.fromstring(z.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
            targets = {r.get("Id"): r.get("Target") for r in rels}
            for sheet in book.iterfind("m:sheets/m:sheet", ns):
                target = targets.get(sheet.get(f"{{{ns['r']}}}id"), "")
                part = target.lstrip("/") if target.startswith("/") else "xl/" + target
                if part not in z.namelist():
                    continue
                with z.open(part) as fh:
                    head = fh.read(4096)
                m = _DIMENSION.search(head)
                if m and m.group(4):
                    rows, cols = int(m.group(4)), _column_number(m.group(3))
                elif m and m.group(2):
                    rows, cols = int(m.group(2)), _column_number(m.group(1))
                else:
                    rows = cols = 0
                    for letters, number in _CELL_REF.findall(z.read(part)):
                        rows, cols = max(rows, int(number)), max(cols, _column_number(letters))
                extents[sheet.get("name")] = (rows, cols)
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError):
        return {}
    return extents


def _read_excel(path: Path) -> list[Grid]:
    from python_calamine import CalamineWorkbook

    if path.suffix.lower() in (".xlsx", ".xlsm"):
        for name, (height, width) in _xlsx_extent(path).items():
            if width > MAX_COLUMNS or height * width > MAX_CELLS:
                raise ExtractError(f"sheet '{name}' terlalu besar untuk dibaca ({height} baris × {width} kolom "
                                   f"terpakai); hapus isi sel di luar tabel lalu simpan ulang")

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every unreadable file
        raise ExtractError(_unreadable_reason(path, exc)) from exc
    grids = []
    try:
        for meta in workbook.sheets_metadata:
            if str(getattr(meta, "typ", "WorkSheet")).endswith("ChartSheet"):
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            height, width = sheet.total_height, sheet.total_width
            if width > MAX_COLUMNS or height * width > MAX_CELLS:
                raise ExtractError(f"sheet '{meta.name}' terlalu besar untuk dibaca ({height} baris × {width} "
                                   f"kolom terpakai); hapus sel kosong yang berformat di luar tabel")
            rows = sheet.to_python(skip_empty_area=False)
            merged = list(sheet.merged_cell_ranges or [])
            width = max((len(r) for r in rows), default=0)
            cells = pd.DataFrame(rows, columns=range(width), dtype=object) if rows else pd.DataFrame()
            grids.append(Grid(meta.name, cells, merged))
    except ExtractError:
        raise
    except Exception as exc:
        raise ExtractError(_unreadable_reason(path, exc)) from exc
    finally:
        workbook.close()
    return grids


def _unreadable_reason(path: Path, exc: Exception) -> str:
    head = path.read_bytes()[:8]
    if head.startswith(b"\xd0\xcf\x11\xe0") and path.suffix.lower() in (".xlsx", ".xlsm"):
        return "berkas tidak dapat dibuka: kemungkinan dilindungi kata sandi (buka di Excel, hapus kata sandi, " \
               "simpan ulang)"
    if path.suffix.lower() in (".xlsx", ".xlsm") and not head.startswith(b"PK"):
        return "berkas bukan spreadsheet Excel yang sah (isi tidak sesuai dengan ekstensi .xlsx)"
    return f"berkas tidak dapat dibaca sebagai spreadsheet ({type(exc).__name__}: {str(exc)[:120]})"


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _delimiter(sample: list[str]) -> str:
    """Comma or semicolon (or tab): the one that splits the widest consistent rows."""
    best, best_score = ",", -1
    for delim in (",", ";", "\t"):
        counts = [len(r) for r in csv.reader(sample, delimiter=delim) if sum(1 for c in r if c.strip()) >= 2]
        if not counts:
            continue
        modal = max(set(counts), key=lambda n: (counts.count(n), n))
        score = modal * counts.count(modal)
        if score > best_score:
            best, best_score = delim, score
    return best


def _read_csv(path: Path) -> Grid:
    text = _decode(path.read_bytes())
    if not text.strip():
        raise ExtractError("berkas CSV tidak berisi data")
    lines = text.splitlines()
    delim = _delimiter(lines[:60])
    width = max((len(r) for r in csv.reader(lines[:200], delimiter=delim)), default=1)
    try:
        cells = pd.read_csv(io.StringIO(text), sep=delim, header=None, dtype=str, keep_default_na=False,
                            skip_blank_lines=False, names=list(range(width)), engine="c", quotechar='"')
    except pd.errors.ParserError as exc:
        raise ExtractError(f"berkas CSV tidak dapat dibaca: {str(exc)[:160]}") from exc
    return Grid(None, cells.astype(object))


def _read_parquet(path: Path) -> Grid:
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:
        raise ExtractError(f"berkas Parquet tidak dapat dibaca ({type(exc).__name__})") from exc
    header = pd.DataFrame([list(frame.columns)], columns=range(frame.shape[1]), dtype=object)
    body = frame.set_axis(range(frame.shape[1]), axis=1)
    body.index = range(1, len(body) + 1)
    return Grid(None, pd.concat([header, body.astype(object)], ignore_index=False), header_given=True)


# ------------------------------------------------------------------------------------------ header
def _text(value: object) -> str:
    if value is None or is_empty(value):
        return ""
    return str(value).replace("\n", " ").strip()


def _group_row(grid: Grid, row: int) -> dict[int, str] | None:
    """Labels of a group-label row (text merged across columns) per column, or None if it is not one."""
    spans = [m for m in grid.merged if m[0][0] <= row <= m[1][0]]
    if not any(m[0][0] == row and m[1][1] > m[0][1] for m in spans):
        return None
    labels: dict[int, str] = {}
    cells = grid.cells
    for c in range(cells.shape[1]):
        labels[c] = _text(cells.iat[row, c])
    for (r0, c0), (r1, c1) in spans:
        top = _text(cells.iat[r0, c0]) if r0 < len(cells) and c0 < cells.shape[1] else ""
        for c in range(c0, min(c1, cells.shape[1] - 1) + 1):
            labels[c] = top
    return labels


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
    """For each column of a row, the header texts to try in order (lower; 'upper lower'; upper)."""
    cache = grid.__dict__.setdefault("_candidates", {})
    if row not in cache:
        cache[row] = _compute_candidates(grid, row)
    return cache[row]


def _compute_candidates(grid: Grid, row: int) -> list[list[str]]:
    cells = grid.cells
    upper = _group_row(grid, row - 1) if row > 0 and not grid.header_given else None
    out = []
    for c in range(cells.shape[1]):
        lower = _text(cells.iat[row, c])
        tries = [lower] if lower else []
        if upper is not None:
            up = upper.get(c, "")
            if up and lower:
                tries.append(f"{up} {lower}")
            if up:
                tries.append(up)
        out.append(tries)
    return out


def _match_row(grid: Grid, row: int, kind: str) -> dict[str, Column]:
    """Fields of a kind matched by a row's headers (the first matching column wins)."""
    index = spec.HEADER_INDEX[kind]
    matched: dict[str, Column] = {}
    for c, tries in enumerate(_row_candidates(grid, row)):
        for text in tries:
            name = index.get(spec.normalise_header(text))
            if name:
                if name not in matched:
                    matched[name] = Column(name, c, text)
                break
    return matched


def _header_like(grid: Grid, row: int) -> bool:
    values = list(grid.cells.iloc[row])
    filled = [v for v in values if not is_empty(v)]
    return bool(filled) and all(isinstance(v, str) for v in filled) and not _is_numbering(values)


def find_header(grid: Grid, kind: str | None = None) -> tuple[str, int, dict[str, Column]]:
    """(kind, header row index, matched columns); raises ExtractError when no kind is recognised."""
    rows = [0] if grid.header_given else [
        r for r in range(min(HEADER_SEARCH_ROWS, len(grid.cells))) if _header_like(grid, r)]
    kinds = [kind] if kind else list(spec.KINDS)
    best: dict[str, tuple[int, int, dict[str, Column]]] = {}
    for k in kinds:
        for r in rows:
            matched = _match_row(grid, r, k)
            score = len(matched)
            if score and (k not in best or score >= best[k][0]):
                best[k] = (score, r, matched)
    if kind:
        if kind not in best or best[kind][0] < 2:
            raise ExtractError(f"tidak ada baris judul kolom data {kind} dalam {HEADER_SEARCH_ROWS} baris pertama")
        score, row, matched = best[kind]
        return kind, row, matched
    ranked = sorted(((s, k) for k, (s, _, _) in best.items()), reverse=True)
    if not ranked or ranked[0][0] < 2:
        raise ExtractError("jenis data tidak dikenali: judul kolom tidak cocok dengan jenis data mana pun")
    if len(ranked) > 1 and ranked[0][0] == ranked[1][0]:
        tied = ", ".join(sorted(k for s, k in ranked if s == ranked[0][0]))
        raise ExtractError(f"jenis data tidak dapat ditentukan ({tied} sama cocoknya), gunakan --kind")
    k = ranked[0][1]
    return k, best[k][1], best[k][2]


def missing_required(kind: str, columns: dict[str, Column]) -> list[str]:
    """Human names of required columns that the header lacks."""
    spec_kind = spec.KINDS[kind]
    missing = [spec_kind.field(n).headers[0] if spec_kind.field(n).headers else n
               for n in spec_kind.required if n not in columns]
    for group in spec_kind.required_any:
        if not any(n in columns for n in group):
            names = [spec_kind.field(n).headers[0] for n in group]
            missing.append(" atau ".join(names))
    return missing


# -------------------------------------------------------------------------------------------- body
def _filled_distinct(values: list) -> np.ndarray:
    """For a column's distinct values (plus the missing-value slot at the end): is the cell filled?"""
    keep = np.ones(len(values) + 1, dtype=bool)
    keep[-1] = False
    for k, v in enumerate(values):
        if type(v) is str:
            stripped = v.strip()
            if not stripped or (stripped[0] in "-–—nN#" and is_empty(v)):
                keep[k] = False
        elif v is None or (type(v) is float and v != v) or (type(v) not in (int, float, bool) and is_empty(v)):
            keep[k] = False
    return keep


def _cell_flags(frame: pd.DataFrame, matched: set[int]) -> tuple[np.ndarray, dict[int, tuple]]:
    """Which cells are filled, and (codes, distinct values) of the matched columns.

    Matched columns are factorised (their distinct values are parsed later anyway); the others only need a
    cheap blank test for the row rules.
    """
    filled = np.zeros(frame.shape, dtype=bool)
    factorized: dict[int, tuple] = {}
    for j in range(frame.shape[1]):
        column = frame.iloc[:, j]
        if j in matched:
            codes, uniques = pd.factorize(column, use_na_sentinel=True)
            values = uniques.tolist()
            factorized[j] = (codes, values)
            filled[:, j] = _filled_distinct(values)[codes]
        else:
            array = column.to_numpy(dtype=object)
            filled[:, j] = pd.notna(array) & (array != "")
    return filled, factorized


def _total_rows(frame: pd.DataFrame, filled: np.ndarray) -> np.ndarray:
    """Rows whose first non-empty cell is JUMLAH, TOTAL and the like."""
    n = filled.shape[0]
    if n == 0 or filled.shape[1] == 0:
        return np.zeros(n, dtype=bool)
    first = filled.argmax(axis=1)
    firsts = frame.to_numpy(dtype=object)[np.arange(n), first]
    codes, uniques = pd.factorize(firsts, use_na_sentinel=True)
    words = np.array([type(u) is str and len(u) <= 30 and re.sub(r"[^A-Z]", "", u.upper()) in TOTAL_WORDS
                      for u in uniques.tolist()] + [False])
    return words[codes] & filled.any(axis=1)


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


def table(grid: Grid, kind: str, header_row: int, columns: dict[str, Column]) -> Table:
    """The data rows under the header: blank, numbering, total and signature rows dropped."""
    body = grid.cells.iloc[header_row + 1:]
    row_numbers = np.arange(header_row + 1, len(grid.cells)) + grid.first_row
    positions = [c.position for c in columns.values()]
    nonempty, factorized = _cell_flags(body, set(positions))
    count = nonempty.sum(axis=1)
    keep = np.ones(len(body), dtype=bool)
    # signature block: the table ends at its first line
    for i in np.flatnonzero((count >= 1) & (count <= 2)):
        if _signature_start(list(body.iloc[i])):
            keep[i:] = False
            break
    filled_rows = np.flatnonzero(count > 0)
    if len(filled_rows) and _is_numbering(list(body.iloc[filled_rows[0]])):
        keep[filled_rows[0]] = False
    keep &= ~_total_rows(body, nonempty)
    keep &= nonempty[:, positions].any(axis=1) if positions else False
    values = body.iloc[keep, positions].copy()
    values.columns = list(columns)
    values.index = range(len(values))
    warnings = []
    known = {c.position for c in columns.values()}
    header_cells = _row_candidates(grid, header_row)
    seen_fields = set()
    index = spec.HEADER_INDEX[kind]
    for c, tries in enumerate(header_cells):
        if c in known or not tries:
            continue
        text = tries[0]
        name = next((index.get(spec.normalise_header(t)) for t in tries if index.get(spec.normalise_header(t))),
                    None)
        if name and name not in seen_fields:
            warnings.append({"row": int(header_row + grid.first_row), "column": text, "value": text,
                             "message": f"kolom kedua untuk {name} diabaikan (yang dipakai: "
                                        f"'{columns[name].header}')"})
        elif spec.normalise_header(text) not in IGNORED_HEADERS and not name:
            warnings.append({"row": int(header_row + grid.first_row), "column": text, "value": text,
                             "message": "kolom tidak dikenal, diabaikan"})
    coded = {name: (factorized[c.position][0][keep], factorized[c.position][1]) for name, c in columns.items()}
    return Table(kind, grid.name, columns, values, row_numbers[keep], warnings, coded)
