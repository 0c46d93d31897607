"""Attendance kept as a grid (a row per client, a column per date, a mark in each cell) read as kehadiran rows.

Each non-empty mark becomes one ordinary kehadiran row (its client's Excel row as sumber_baris), so validation,
rejection, lineage, upsert and undo treat it as any other attendance row.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from etl import extract, spec
from etl.parse import BULAN, MONTHS, RejectedCell, clean_text, formula_error, is_empty, parse_date, short

KIND = "kehadiran"
MIN_DATES = 3  # fewer date columns are a long sheet's own dates, not a grid
SAMPLE_ROWS = 200  # body rows looked at to tell marks from other values
PER_CELL = ("tanggal", "status_hadir")  # read from the date columns, never from a column of their own
MARKS = spec.VOCAB_INDEX["status_hadir"]
ALLOWED = "H, V, ✓ atau √ (hadir), Terlambat atau Telat, I, Izin, S atau Sakit (izin), A, Alpa, Mangkir, TH atau " \
          "Tdk Hadir (tidak hadir)"
_DAY = re.compile(r"(?:tgl|tanggal)?\.?\s*(\d{1,2})", re.I)
_WEEKDAY = re.compile(r"(sen|sel|rab|kam|jum|sab|min|ahad|senin|selasa|rabu|kamis|jum'?at|sabtu|minggu)\.?", re.I)
_MONTH_WORDS = "|".join(re.escape(m.rstrip(".")) for m in sorted(MONTHS, key=len, reverse=True))
_MONTH_YEAR = re.compile(rf"\b({_MONTH_WORDS})\b\.?\s*(?:tahun|thn|th)?\.?\s*[,\-/]?\s*((?:19|20)\d\d)\b")
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_PROGRAM = re.compile(r"kode\s*program\s*[:=]?\s*([a-z0-9][a-z0-9\-_./]*)", re.I)
_ACTIVITIES = [(code, tuple(re.findall(r"[a-z0-9]+", spelling.lower())))
               for code, synonyms in spec.VOCABULARIES["jenis_kegiatan"].items()
               for spelling in (code.replace("_", " "), *synonyms)]


@dataclass
class Layout:
    """What the grid's shape says beyond its matched columns."""

    dates: dict[int, object]  # column position → dt.date, RejectedCell (not in the calendar) or None (month unknown)
    where: dict[int, str]  # column position → the column as a message names it: «12» (12 Januari 2026)
    constants: dict[str, str] = field(default_factory=dict)  # field → value named by the title or sheet name
    ignored: dict[int, str] = field(default_factory=dict)  # a column of its own for tanggal or status_hadir


class Columns(dict):
    """The matched columns of a grid (field → Column); fields the grid fills itself sit at position -1."""

    def __init__(self, matched: dict, layout: Layout, reasons: dict[str, str]):
        super().__init__(matched)
        self.layout = layout
        self.reasons = reasons  # required field → why it is missing and how to fix it (extract.missing_required)


# --------------------------------------------------------------------------------------------- finding
def find(grid: extract.Grid) -> tuple[int, Columns] | None:
    """(header row, columns) of an attendance grid, or None when the sheet is not one."""
    if grid.cells.empty:
        return None
    rows = [0] if grid.header_given else range(min(extract.HEADER_SEARCH_ROWS, len(grid.cells)))
    for r in rows:
        heads = _date_headers(grid.cells.iloc[r].tolist())
        if len(heads) < MIN_DATES:
            continue
        labels = _group_labels(grid, r)
        if not _days_in_order(heads, labels):
            continue
        matched, ignored = _row_fields(grid, r, set(heads))
        if "no_register" in matched and _marks_below(grid, r, list(heads)):
            return r, _columns(grid, r, heads, labels, matched, ignored)
    return None


def _date_headers(values: list) -> dict[int, tuple[str, object]]:
    """Column position → ("day", 1..31) or ("date", dt.date) for the headers of a row that name a day."""
    out: dict[int, tuple[str, object]] = {}
    for c, v in enumerate(values):
        if is_empty(v) or isinstance(v, bool):
            continue
        if isinstance(v, (int, float)):
            if float(v).is_integer() and 1 <= v <= 31:
                out[c] = ("day", int(v))
        elif isinstance(v, (dt.date, dt.datetime)):
            day, error, _ = parse_date(v)
            if error is None:
                out[c] = ("date", day)
        elif isinstance(v, str):
            text = clean_text(v)
            if m := _DAY.fullmatch(text):
                if 1 <= int(m[1]) <= 31:
                    out[c] = ("day", int(m[1]))
            elif not text.isdigit() and re.search(r"\d", text):
                day, error, _ = parse_date(text)
                if error is None:
                    out[c] = ("date", day)
    return out


def _group_labels(grid: extract.Grid, row: int) -> dict[int, str]:
    """The group label above each column (a month merged over its days), if the row above holds group labels."""
    if row == 0 or grid.header_given:
        return {}
    group = extract._group_row(grid, row - 1)
    return group[0] if group else {}


def _days_in_order(heads: dict, labels: dict[int, str]) -> bool:
    """Day numbers rise from left to right under each group label (1, 2, 3 …; 1 … 31 then 1 … 28)."""
    last: dict[str, int] = {}
    for c, (what, value) in heads.items():
        if what == "day":
            label = labels.get(c, "")
            if value <= last.get(label, 0):
                return False
            last[label] = value
    return True


def _row_fields(grid: extract.Grid, row: int, dates: set[int]) -> tuple[dict, dict[int, str]]:
    """The per-row columns the header names (the first wins), and the columns naming tanggal/status_hadir."""
    matched: dict[str, extract.Column] = {}
    ignored: dict[int, str] = {}
    for c, tries in enumerate(extract._row_candidates(grid, row)):
        if c in dates or not tries:
            continue
        for text in tries:
            name = spec.field_for_header(KIND, text)
            if name in PER_CELL:
                ignored[c] = tries[0]
                break
            if name and name not in matched:
                matched[name] = extract.Column(name, c, text)
                break
    return matched, ignored


def _mark(value: object) -> str | None:
    """The status a cell's mark names, or None."""
    return MARKS.get(spec.vocabulary_key(clean_text(value))) if isinstance(value, str) else None


def _number(value: object) -> bool:
    """A count (a total, a numbering cell), typed or as CSV text: neither a mark nor a sign of other data."""
    if isinstance(value, str):
        return bool(re.fullmatch(r"\s*\(?\d+([.,]\d+)?\)?\s*", value))
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _weekday(value: object) -> bool:
    return isinstance(value, str) and bool(_WEEKDAY.fullmatch(clean_text(value)))


def _marks_below(grid: extract.Grid, row: int, positions: list[int]) -> bool:
    """Whether the cells under the date columns are attendance marks (numbers, a numbering row, totals aside).

    A client sheet's date columns hold dates, not marks: such a sheet is never taken for a grid.
    """
    marks = other = 0
    for values in grid.cells.iloc[row + 1:row + 1 + SAMPLE_ROWS].to_numpy(dtype=object).tolist():
        if extract._signature_start(values):
            break
        first = next((v for v in values if not is_empty(v)), None)
        if extract._is_numbering(values) or extract._total_word(first):
            continue
        for v in (values[c] for c in positions):
            if is_empty(v) or _number(v) or _weekday(v):
                continue
            if _mark(v):
                marks += 1
            else:
                other += 1
    return marks >= 1 and marks >= other


# ----------------------------------------------------------------------------------------- the layout
def _month_years(text: str) -> set[tuple[int, int]]:
    return {(int(y), MONTHS[m]) for m, y in _MONTH_YEAR.findall(text.lower()) if m in MONTHS}


def _title_month(titles: list[str], sheet: str) -> tuple[int, int] | None:
    """(year, month) the title rows or else the sheet name state; else a lone month word and a lone year."""
    for texts in (titles, [sheet]):
        found = set().union(*(_month_years(t) for t in texts))
        if len(found) == 1:
            return found.pop()
        if found:
            return None  # two months: which one the day numbers mean is not known
    words = {MONTHS[w] for t in [*titles, sheet] for w in re.findall(r"[a-z]+", t.lower()) if w in MONTHS}
    years = {int(y) for t in [*titles, sheet] for y in _YEAR.findall(t)}
    return (years.pop(), words.pop()) if len(words) == 1 and len(years) == 1 else None


def _activities(texts: list[str]) -> set[str]:
    """The activity codes the texts name (WAJIB_LAPOR for «DAFTAR HADIR WAJIB LAPOR»)."""
    found = set()
    for text in texts:
        words = tuple(re.findall(r"[a-z0-9]+", text.lower()))
        for code, spelling in _ACTIVITIES:
            n = len(spelling)
            if n and any(words[i:i + n] == spelling for i in range(len(words) - n + 1)):
                found.add(code)
    return found


def _label(code: str) -> str:
    return code.replace("_", " ").title()


def _columns(grid: extract.Grid, row: int, heads: dict, labels: dict[int, str], matched: dict,
             ignored: dict[int, str]) -> Columns:
    cells = grid.cells
    titles = [" ".join(extract._text(v) for v in cells.iloc[r].tolist() if extract._text(v)) for r in range(row)]
    sheet = grid.name or ""
    month = _title_month(titles, sheet)
    dates: dict[int, object] = {}
    where: dict[int, str] = {}
    for c, (what, value) in heads.items():
        if what == "date":
            dates[c], where[c] = value, f"kolom «{_shown(cells.iat[row, c])}»"
            continue
        own = _month_years(labels.get(c, ""))
        year_month = own.pop() if len(own) == 1 else month
        if year_month is None:
            dates[c], where[c] = None, f"kolom «{value}»"
            continue
        y, m = year_month
        where[c] = f"kolom «{value}» ({value} {BULAN[m]} {y})"
        try:
            dates[c] = dt.date(y, m, value)
        except ValueError:
            dates[c] = RejectedCell(str(value), f"tanggal tidak ada di kalender: {value} {BULAN[m]} {y} "
                                                f"(kolom «{value}»)")
    layout = Layout(dates, where, ignored=ignored)
    reasons: dict[str, str] = {}
    kind = spec.KINDS[KIND]
    columns = dict(matched)
    if any(d is None for d in dates.values()):
        reasons["tanggal"] = (
            "Tanggal — lembar ini dibaca sebagai daftar hadir dengan satu kolom per tanggal (1, 2, 3 …), tetapi bulan "
            "dan tahunnya tidak ditemukan di judul maupun nama lembar kerja; tulis bulan dan tahunnya di judul (mis. "
            "«Bulan Januari 2026») atau gunakan tanggal lengkap (mis. 05/01/2026) sebagai judul kolom")
    else:
        columns["tanggal"] = extract.Column("tanggal", -1, kind.field("tanggal").headers[0])
    columns["status_hadir"] = extract.Column("status_hadir", -1, kind.field("status_hadir").headers[0])
    texts = [*titles, sheet]
    if "jenis_kegiatan" not in matched:
        named = sorted(_activities(texts))
        if len(named) == 1:
            layout.constants["jenis_kegiatan"] = named[0]
        else:
            why = ("judulnya menyebut lebih dari satu kegiatan (" + ", ".join(map(_label, named)) + ")" if named
                   else "jenis kegiatannya tidak disebut di kolom, judul maupun nama lembar kerja")
            reasons["jenis_kegiatan"] = (
                f"Jenis Kegiatan — lembar ini dibaca sebagai daftar hadir (satu kolom per tanggal), tetapi {why}; "
                "tambahkan kolom «Jenis Kegiatan», atau tulis satu kegiatan di judul (mis. «DAFTAR HADIR WAJIB LAPOR "
                "BULAN JANUARI 2026»)")
    if "kode_program" not in matched:
        codes = {m.upper() for t in titles for m in _PROGRAM.findall(t)}
        if len(codes) == 1:
            layout.constants["kode_program"] = codes.pop()
    for name in layout.constants:
        columns[name] = extract.Column(name, -1, kind.field(name).headers[0])
    return Columns(columns, layout, reasons)


def _shown(value: object) -> str:
    """A date header as the sheet shows it."""
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    return extract._text(value)


# ------------------------------------------------------------------------------------------ unpivoting
def table(grid: extract.Grid, header_row: int, columns: Columns) -> extract.Table:
    """One kehadiran row per non-empty mark: the client's columns copied, tanggal from the mark's column."""
    layout = columns.layout
    positions = sorted(layout.dates)
    own = {name: c for name, c in columns.items() if c.position >= 0}
    base = extract.table(grid, KIND, header_row, own, also=set(positions) | set(layout.ignored))
    body = grid.cells.to_numpy(dtype=object)[header_row + 1:]
    clients = base.rows
    marks = body[np.ix_(clients, positions)] if len(clients) else np.empty((0, len(positions)), dtype=object)
    filled = np.array([[not is_empty(v) for v in row] for row in marks.tolist()], dtype=bool).reshape(marks.shape)
    if len(clients) and _weekday_row(marks[0], filled[0], base):
        filled[0] = False  # the weekday names under the day numbers: part of the header
    registers = base.values["no_register"].to_numpy(dtype=object)[clients] if len(clients) else np.empty(0, object)
    for i in np.flatnonzero(filled.any(axis=1)).tolist():
        if _recap_row(body[clients[i]].tolist(), registers[i], marks[i][filled[i]].tolist()):
            filled[i] = False  # «Jumlah Hadir», «Rekap»: counts per date under the clients, not attendance
    at, col = np.nonzero(filled)  # row by row, then left to right
    values: dict[str, np.ndarray] = {}
    for name in own:
        values[name] = base.values[name].to_numpy(dtype=object)[clients][at]
    day = np.empty(len(positions), dtype=object)
    day[:] = [layout.dates[c] for c in positions]
    values["tanggal"] = day[col]
    status = np.empty(len(at), dtype=object)
    status[:] = [_checked(v, layout.where[positions[j]]) for v, j in zip(marks[at, col].tolist(), col.tolist())]
    values["status_hadir"] = status
    for name, value in layout.constants.items():
        values[name] = np.full(len(at), value, dtype=object)
    warnings = base.warnings + [
        {"row": int(header_row + grid.first_row), "column": text, "value": text,
         "message": "kolom diabaikan: pada daftar hadir berbentuk kisi, tanggal dan kehadiran dibaca dari kolom-kolom "
                    "tanggal"} for text in layout.ignored.values()]
    frame = pd.DataFrame({name: pd.Series(v, dtype=object) for name, v in values.items()}, dtype=object)
    return extract.Table(KIND, grid.name, dict(columns), frame, np.arange(len(at)), base.row_numbers[at], warnings)


_RECAP = re.compile(r"^\s*(jumlah|jml\.?|total|sub\s*total|rekap(itulasi)?)\b", re.I)


def _recap_row(values: list, register: object, marks: list) -> bool:
    """A grid's recap row: a first cell that starts with Jumlah/Total/Rekap (in the register column or before it, no
    register besides), only counts or percentages under the dates.

    DATA.md's total rows are the exact words; under a grid the row names what it counts («Jumlah Hadir»).
    """
    first = next((v for v in values if not is_empty(v)), None)
    if not (isinstance(first, str) and _RECAP.match(first)):
        return False
    counts = all(_number(v) or (isinstance(v, str) and v.strip().endswith("%")) for v in marks)
    return counts and (is_empty(register) or clean_text(register) == clean_text(first))


def _weekday_row(marks: np.ndarray, filled: np.ndarray, base: extract.Table) -> bool:
    """The first row under the header holds only weekday names (Sen, Sel, …) and no register."""
    register = base.values["no_register"].to_numpy(dtype=object)[base.rows[0]]
    return bool(filled.any()) and is_empty(register) and all(_weekday(v) for v in marks[filled].tolist())


def _checked(value: object, where: str) -> object:
    """A mark as it is, or a rejected cell whose reason names its column (the message points to the cell)."""
    if _mark(value):
        return value
    text = short(value)
    reason = formula_error(value) or f"tanda kehadiran '{text}' tidak dikenal; yang diterima: {ALLOWED}"
    return RejectedCell(clean_text(value), f"{where}: {reason}")
