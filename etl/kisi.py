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
_DAY_ANY = re.compile(r"(?:tgl|tanggal)?\.?\s*(\d{1,3})", re.I)
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
    for r in extract.header_search_rows(grid):
        values = grid.cells.iloc[r].tolist()
        heads = _date_headers(values)
        if len(heads) < MIN_DATES:
            continue
        labels = _group_labels(grid, r)
        bad = _bad_days(values, heads)
        matched, ignored = _row_fields(grid, r, set(heads) | set(bad))
        if "no_register" in matched and _marks_below(grid, r, list(heads)):
            columns = _columns(grid, r, heads, labels, matched, ignored, bad)
            if extract.missing_required(KIND, columns) and _other_table(grid, r):
                return None  # a complete klien/hambatan/… table with a few date columns: not an attendance grid
            return r, columns
    return None


def _other_table(grid: extract.Grid, row: int) -> bool:
    """Whether the header row holds every required column of another kind."""
    return any(not extract.missing_required(k, extract._match_row(grid, row, k)) for k in spec.KINDS if k != KIND)


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


def _day_number(value: object) -> int | None:
    """The whole number a header holds (12, 12.0, «12», «Tgl 12»), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() and abs(value) < 1000 else None
    if isinstance(value, str) and (m := _DAY_ANY.fullmatch(clean_text(value))):
        return int(m[1])
    return None


def _bad_days(values: list, heads: dict) -> dict[int, int]:
    """Column position → day number for headers that are no day of any month (0, 32 … 99) beside real ones."""
    return {c: n for c, v in enumerate(values)
            if c not in heads and (n := _day_number(v)) is not None and (n == 0 or 32 <= n <= 99)}


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

    A client sheet's date columns hold dates or notes, not marks: such a sheet is never taken for a grid. A short
    value that is no mark (X, #REF!, an emoji, TRUE) is a mistyped mark: it neither makes nor unmakes a grid, so a
    grid with many of them is still read as one (each rejected with its reason), not as some other kind of data.
    """
    marks = other = filled = 0
    for values in grid.cells.iloc[row + 1:row + 1 + SAMPLE_ROWS].to_numpy(dtype=object).tolist():
        if extract._signature_start(values):
            break
        filled += any(not is_empty(v) for v in values)
        first = next((v for v in values if not is_empty(v)), None)
        if extract._is_numbering(values) or extract._total_word(first):
            continue
        for v in (values[c] for c in positions):
            if is_empty(v) or _number(v) or _weekday(v):
                continue
            if _mark(v):
                marks += 1
            elif not _mistyped(v):
                other += 1
    if not filled:
        return True  # the header alone (a blank form): a grid without rows, said so, not some other kind of data
    return marks >= 1 and marks >= other


def _mistyped(value: object) -> bool:
    """A short value that is neither a date nor a note: a mark typed wrong (X, O, H A, #REF!, 😀, TRUE)."""
    if isinstance(value, bool) or formula_error(value):
        return True
    return isinstance(value, str) and len(clean_text(value)) <= 4 and parse_date(value)[1] is not None


# ----------------------------------------------------------------------------------------- the layout
def _month_years(text: str) -> set[tuple[int, int]]:
    return {(int(y), MONTHS[m]) for m, y in _MONTH_YEAR.findall(text.lower()) if m in MONTHS}


def _month_words(texts: list[str]) -> set[int]:
    return {MONTHS[w] for t in texts for w in re.findall(r"[a-z]+", t.lower()) if w in MONTHS}


def _title_month(titles: list[str], sheet: str) -> tuple[tuple[int, int] | None, list[int]]:
    """(year, month) the title rows or else the sheet name state; else a lone month word and a lone year.

    Also the months named when they are several («Januari–Februari 2026»): then the month is not known.
    """
    for texts in (titles, [sheet]):
        found = set().union(*(_month_years(t) for t in texts))
        words = _month_words(texts) | {m for _, m in found}
        if len(found) == 1 and len(words) == 1:
            other = _month_years(sheet) - found if texts is titles else set()
            if other:  # the title says one month, the sheet's name another: neither is guessed
                return None, sorted(words | {m for _, m in other})
            return found.pop(), []
        if found:
            return None, sorted(words)  # two months: which one the day numbers mean is not known
    words = _month_words([*titles, sheet])
    years = {int(y) for t in [*titles, sheet] for y in _YEAR.findall(t)}
    if len(words) == 1 and len(years) == 1:
        return (years.pop(), words.pop()), []
    return None, sorted(words) if len(words) > 1 else []


def _label_month(label: str) -> tuple[int, int] | None | bool:
    """The (year, month) a group label names; False when it names none, None when it names several."""
    found = _month_years(label)
    if not found and not _month_words([label]):
        return False
    return found.pop() if len(found) == 1 and len(_month_words([label])) == 1 else None


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
             ignored: dict[int, str], bad: dict[int, int] | None = None) -> Columns:
    cells = grid.cells
    titles = [" ".join(extract._text(v) for v in cells.iloc[r].tolist() if extract._text(v)) for r in range(row)]
    sheet = grid.name or ""
    month, named = _title_month(titles, sheet)
    dates: dict[int, object] = {}
    where: dict[int, str] = {}
    last: dict[str, set[int]] = {}  # group label → the day numbers under it so far
    first: dict[dt.date, int] = {}  # date → the first column naming it
    for c, (what, value) in heads.items():
        if what == "date":
            dates[c], where[c] = value, f"kolom «{_shown(cells.iat[row, c])}»"
        else:
            dates[c], where[c] = _day_date(value, labels.get(c, ""), month, last)
        day = dates[c]
        if type(day) is dt.date:
            if day in first:  # the same date twice: two marks of one client would be one key
                dates[c] = RejectedCell(_shown(cells.iat[row, c]), (
                    f"{where[c]}: tanggalnya sama dengan {where[first[day]]} di sebelah kirinya; tanda di kolom ini "
                    "tidak dimuat, perbaiki judul kolomnya"))
            else:
                first[day] = c
    for c, n in (bad or {}).items():
        dates[c], where[c] = RejectedCell(str(n), f"kolom «{n}»: tidak ada tanggal {n} dalam bulan mana pun; "
                                                  "perbaiki judul kolomnya"), f"kolom «{n}»"
    for c, left in _orphans(grid, row, dates).items():
        where[c] = f"kolom tanpa judul di sebelah kanan {where[left]}"
        dates[c] = RejectedCell("", f"{where[c]}: kolom ini tidak bertanggal (mis. judul tanggal yang digabung "
                                    "melintasi dua kolom); tulis tanggalnya di judul kolom")
    layout = Layout(dates, where, ignored=ignored)
    reasons: dict[str, str] = {}
    kind = spec.KINDS[KIND]
    columns = dict(matched)
    if any(d is None for d in dates.values()):
        found = ("judul atau nama lembar kerja menyebut lebih dari satu bulan (" + ", ".join(BULAN[m] for m in named)
                 + ")" if named
                 else "bulan dan tahunnya tidak ditemukan di judul maupun nama lembar kerja")
        reasons["tanggal"] = (
            "Tanggal — lembar ini dibaca sebagai daftar hadir dengan satu kolom per tanggal (1, 2, 3 …), tetapi "
            f"{found}; "
            "tulis bulan dan tahunnya di judul (mis. «Bulan Januari 2026») atau gunakan tanggal lengkap (mis. "
            "05/01/2026) sebagai judul kolom")
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


def _day_date(day: int, label: str, month: tuple[int, int] | None, last: dict) -> tuple[object, str]:
    """The date of a day-number column (None: month unknown; RejectedCell: no such day, or out of order) and how a
    message names the column. Day numbers rise under each group label; one that does not (1 after 31 with one month
    in the title) has no month anyone can be sure of."""
    own = _label_month(label)
    year_month = month if own is False else own
    if year_month is None:
        return None, f"kolom «{day}»"
    y, m = year_month
    where = f"kolom «{day}» ({day} {BULAN[m]} {y})"
    seen = last.setdefault(label, set())
    if day in seen:
        return RejectedCell(str(day), f"kolom «{day}»: nomor hari {day} sudah ada di kolom sebelah kirinya; tanda di "
                                      "kolom ini tidak dimuat, perbaiki judul kolomnya"), f"kolom «{day}»"
    if seen and day < max(seen):
        return RejectedCell(str(day), f"kolom «{day}» ada di sebelah kanan kolom «{max(seen)}»: nomor hari tidak "
                                      "berurutan, sehingga bulannya tidak pasti; gunakan tanggal lengkap (mis. "
                                      "01/02/2026) sebagai judul kolom, atau tulis bulannya di atas kolom-kolomnya"), \
            f"kolom «{day}»"
    seen.add(day)
    try:
        return dt.date(y, m, day), where
    except ValueError:
        return RejectedCell(str(day), f"kolom «{day}»: tanggal {day} {BULAN[m]} {y} tidak ada di kalender"), where


def _orphans(grid: extract.Grid, row: int, dates: dict[int, object]) -> dict[int, int]:
    """Headerless columns among the date columns, or right after the last one with a mark below (the second column
    of a date header merged over two, say): column → the nearest date column to its left."""
    cells = grid.cells
    width = cells.shape[1]
    above = {c for (r0, c0), (r1, c1) in grid.merged if r0 < row <= r1 for c in range(c0, c1 + 1)}

    def blank(c: int) -> bool:
        return c not in dates and c not in above and not extract._text(cells.iat[row, c])

    out: dict[int, int] = {}
    left = min(dates)
    for c in range(min(dates) + 1, max(dates)):
        if c in dates:
            left = c
        elif blank(c):
            out[c] = left
    c = max(dates) + 1
    while c < width and blank(c):
        below = cells.iloc[row + 1:, c].tolist()
        if not any(_mark(v) for v in below):
            break
        out[c] = max(dates)
        c += 1
    return out


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
    return extract.Table(KIND, grid.name, dict(columns), frame, np.arange(len(at)), base.row_numbers[at], warnings,
                         shape="kisi")


def _recap_row(values: list, register: object, marks: list) -> bool:
    """A grid's recap row: a first cell that starts with Jumlah/Total/Rekap (in the register column or before it, no
    register besides), only counts or percentages under the dates.

    DATA.md's total rows are the exact words; under a grid the row names what it counts («Jumlah Hadir»).
    """
    first = next((v for v in values if not is_empty(v)), None)
    if not (isinstance(first, str) and extract.TOTAL_START.match(first)):
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
    text = " ".join(short(value).split())  # a line break inside the cell stays out of the message
    reason = formula_error(value) or f"tanda kehadiran '{text}' tidak dikenal; yang diterima: {ALLOWED}"
    return RejectedCell(clean_text(value), f"{where}: {reason}")
