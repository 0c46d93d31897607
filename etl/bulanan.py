"""A budget kept as a monthly matrix (a row per account, a column per month: RPD or realisation) read as anggaran rows.

Each account row gives its ceiling row (bulan empty, pagu from the Pagu column) and one row per month with a figure
(rencana and/or realisasi), each with the account's Excel row as sumber_baris; validation, rejection, lineage, upsert
and undo treat them as any other anggaran row.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from etl import extract, spec
from etl.parse import BULAN, MONTHS, RejectedCell, clean_text, formula_error, is_empty, parse_money, short

KIND = "anggaran"
MIN_MONTHS = 3  # fewer month columns are no matrix
SAMPLE_ROWS = 200  # body rows looked at to tell amounts from other values
AMOUNTS = ("rencana", "realisasi")
_WORDS = "|".join(re.escape(m.rstrip(".")) for m in sorted(MONTHS, key=len, reverse=True))
_MONTH_HEAD = re.compile(rf"^(?:bulan\s+)?({_WORDS})\.?(?:\s*[-/,']?\s*((?:19|20)\d\d))?$")
_NUMBER_HEAD = re.compile(r"^(\d{1,2})\s*[/\-.]\s*((?:19|20)\d\d)$|^((?:19|20)\d\d)\s*[/\-.]\s*(\d{1,2})$")
_PLAN = re.compile(r"\b(rencana|rpd|penarikan|halaman\s+iii)\b", re.I)
_REAL = re.compile(r"\b(realisasi|real|serapan)\b", re.I)
_TOTAL = re.compile(r"^(jumlah|jml|total|sub\s*total|sisa|saldo|persen|persentase|prosentase|capaian|s\.?\s*d\b)|%",
                    re.I)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


@dataclass
class Layout:
    """What the matrix's shape says beyond its matched columns."""

    months: dict[int, tuple[str, int]]  # column position → (rencana|realisasi, month 1–12)
    where: dict[int, str]  # column position → the column as a message names it: «Mar»
    totals: set[int] = field(default_factory=set)  # Jumlah, Sisa, %, a total Realisasi column: read by no one
    constants: dict[str, object] = field(default_factory=dict)  # field → value named by the title or sheet name
    notes: list[str] = field(default_factory=list)  # warnings on the sheet


class Columns(dict):
    """The matched columns of a matrix (field → Column); fields the matrix fills itself sit at position -1."""

    def __init__(self, matched: dict, months: Layout, reasons: dict[str, str]):
        super().__init__(matched)
        self.months = months
        self.reasons = reasons  # required field → why it is missing and how to fix it (extract.missing_required)


# --------------------------------------------------------------------------------------------- finding
def month_of(value: object) -> tuple[int, int | None] | None:
    """(month, year or None) a header names (Jan, Januari, Agt, Nop, «Jan 2026», «01/2026», a date), else None."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.month, value.year
    if not isinstance(value, str):
        return None
    text = value.strip()[:12].lower()
    if not text or not (text[0].isdigit() or text[0] in "abdfhjmnoprs("):  # no month, plan or realisation word
        return None
    text = clean_text(value).lower()
    if len(text) > 40:
        return None
    core = " ".join(re.sub(r"[()\[\]:]", " ", _PLAN.sub(" ", _REAL.sub(" ", text))).split())
    if m := _MONTH_HEAD.fullmatch(core):
        month = MONTHS.get(m[1])
        return (month, int(m[2]) if m[2] else None) if month else None
    if m := _NUMBER_HEAD.fullmatch(core):
        month, year = (int(m[1]), int(m[2])) if m[1] else (int(m[4]), int(m[3]))
        return (month, year) if 1 <= month <= 12 else None
    return None


def find(grid: extract.Grid) -> tuple[int, Columns] | None:
    """(header row, columns) of a monthly budget matrix, or None when the sheet is not one."""
    if grid.cells.empty:
        return None
    for r in extract.header_search_rows(grid):
        values = grid.cells.iloc[r].tolist()
        heads = {c: m for c, v in enumerate(values) if (m := month_of(v)) is not None}
        if len(heads) < MIN_MONTHS:
            continue
        matched, totals = _row_fields(grid, r, set(heads))
        if "kode_akun" not in matched or "bulan" in matched or not _amounts_below(grid, r, list(heads)):
            continue
        columns = _columns(grid, r, heads, matched, totals)
        if grid.hidden and extract.missing_required(KIND, columns):
            raise extract.ExtractError("lembar kerja tersembunyi; matriks anggaran bulanan tanpa kolom wajib: "
                                       + ", ".join(extract.missing_required(KIND, columns)))
        return r, columns
    return None


def _row_fields(grid: extract.Grid, row: int, months: set[int]) -> tuple[dict, set[int]]:
    """The per-account columns the header names (the first wins), and the total columns (read by no one)."""
    matched: dict[str, extract.Column] = {}
    totals: set[int] = set()
    for c, tries in enumerate(extract._row_candidates(grid, row)):
        if c in months or not tries:
            continue
        for text in tries:
            name = spec.field_for_header(KIND, text)
            if name in AMOUNTS:  # a Realisasi/RPD column beside the months is their total
                totals.add(c)
                break
            if name and name not in matched:
                matched[name] = extract.Column(name, c, text)
                break
        else:
            if _TOTAL.search(tries[0]):
                totals.add(c)
    return matched, totals


def _amount(value: object) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, (int, float)) or (isinstance(value, str) and parse_money(value)[1] is None)


def _amounts_below(grid: extract.Grid, row: int, positions: list[int]) -> bool:
    """Whether the cells under the month columns are amounts (not attendance marks or notes)."""
    amounts = other = filled = 0
    for values in grid.cells.iloc[row + 1:row + 1 + SAMPLE_ROWS].to_numpy(dtype=object).tolist():
        if extract._signature_start(values):
            break
        filled += any(not is_empty(v) for v in values)
        if extract._is_numbering(values):
            continue
        for v in (values[c] for c in positions):
            if is_empty(v):
                continue
            if _amount(v):
                amounts += 1
            elif not formula_error(v):
                other += 1
    return not filled or (amounts >= 1 and amounts >= other)


# ----------------------------------------------------------------------------------------- the layout
def _kind_of(text: str) -> str | None:
    """rencana or realisasi as a text names it; None when it names neither or both."""
    plan, real = bool(_PLAN.search(text)), bool(_REAL.search(text))
    return None if plan == real else ("rencana" if plan else "realisasi")


def _labels(grid: extract.Grid, row: int, positions: list[int]) -> dict[int, str]:
    """The group label above each month column: a merged label, else the nearest text to its left in the row above
    (a CSV writes a block's label once, over its first month)."""
    if row == 0 or grid.header_given:
        return {}
    group = extract._group_row(grid, row - 1)
    if group:
        return {c: group[0].get(c, "") for c in positions}
    above = grid.cells.iloc[row - 1].tolist()
    first = min(positions)
    out = {}
    for c in positions:
        out[c] = next((extract._text(above[k]) for k in range(c, first - 1, -1) if extract._text(above[k])), "")
    return out


def _columns(grid: extract.Grid, row: int, heads: dict, matched: dict, totals: set[int]) -> Columns:
    cells = grid.cells
    titles = [" ".join(extract._text(v) for v in cells.iloc[r].tolist() if extract._text(v)) for r in range(row)]
    sheet = grid.name or ""
    labels = _labels(grid, row, list(heads))
    layout = Layout({}, {}, totals=set(totals))
    default = _kind_of(" ".join([*titles, sheet]))
    unlabeled = False
    for c, (month, _) in heads.items():
        own = _kind_of(extract._text(cells.iat[row, c])) or _kind_of(labels.get(c, ""))
        unlabeled |= own is None
        what = own or default or "realisasi"
        head = cells.iat[row, c]
        layout.where[c] = f"kolom «{BULAN[month] if isinstance(head, dt.date) else extract._text(head)}»"
        if (what, month) in layout.months.values():
            layout.totals.add(c)
            layout.notes.append(f"{layout.where[c]} diabaikan: {what} bulan {BULAN[month]} sudah dibaca dari kolom "
                                "di sebelah kirinya")
            continue
        layout.months[c] = (what, month)
    if unlabeled and default is None:
        both = _PLAN.search(" ".join([*titles, sheet])) is not None
        why = ("judul atau nama lembar kerja menyebut rencana dan realisasi sekaligus" if both
               else "judul, nama lembar kerja dan label di atas kolom bulan tidak menyebut Rencana/RPD atau Realisasi")
        layout.notes.append(f"angka bulanan dibaca sebagai realisasi karena {why}; bila angka itu rencana penarikan "
                            "(RPD), tulis «Rencana (RPD)» di atas kolom-kolom bulannya")
    reasons: dict[str, str] = {}
    kind = spec.KINDS[KIND]
    columns = dict(matched)
    if "tahun_anggaran" not in matched:
        years = sorted({int(y) for t in [*titles, sheet] for y in _YEAR.findall(t)})
        if not years:
            years = sorted({y for _, y in heads.values() if y})
        if len(years) == 1:
            layout.constants["tahun_anggaran"] = years[0]
        else:
            found = (f"judul atau nama lembar kerja menyebut lebih dari satu tahun ({', '.join(map(str, years))})"
                     if years else "tahunnya tidak ditemukan di judul maupun nama lembar kerja")
            reasons["tahun_anggaran"] = (
                f"Tahun Anggaran — lembar ini dibaca sebagai matriks anggaran bulanan (satu kolom per bulan), tetapi "
                f"{found}; tulis tahunnya di judul (mis. «TA 2026») atau tambahkan kolom «Tahun Anggaran»")
    for name in layout.constants:
        columns[name] = extract.Column(name, -1, kind.field(name).headers[0])
    for what in sorted({w for w, _ in layout.months.values()}):
        columns[what] = extract.Column(what, -1, kind.field(what).headers[0])
    return Columns(columns, layout, reasons)


# ------------------------------------------------------------------------------------------ unpivoting
def table(grid: extract.Grid, header_row: int, columns: Columns) -> extract.Table:
    """Per account row: its ceiling row (when it has a pagu or no month figure) and a row per month with a figure."""
    layout = columns.months
    own = {name: c for name, c in columns.items() if c.position >= 0}
    positions = sorted(layout.months)
    base = extract.table(grid, KIND, header_row, own, also=set(positions) | layout.totals)
    body = grid.cells.to_numpy(dtype=object)[header_row + 1:]
    accounts = base.rows
    months = sorted({m for _, m in layout.months.values()})
    at: list[int] = []  # account (index into accounts) of each produced row
    bulan: list[object] = []
    amounts: dict[str, list[object]] = {w: [] for w in AMOUNTS}
    pagu = base.values["pagu"].to_numpy(dtype=object) if "pagu" in own else None
    for i, r in enumerate(accounts.tolist()):
        row = body[r]
        cells: dict[int, dict[str, object]] = {}
        for c in positions:
            if not is_empty(row[c]):
                what, month = layout.months[c]
                cells.setdefault(month, {})[what] = _checked(row[c], layout.where[c])
        if (pagu is not None and not is_empty(pagu[r])) or not cells:
            at.append(i)
            bulan.append(None)
            for w in AMOUNTS:
                amounts[w].append(None)
        for month in months:
            if month in cells:
                at.append(i)
                bulan.append(month)
                for w in AMOUNTS:
                    amounts[w].append(cells[month].get(w))
    at_ = np.asarray(at, dtype=np.intp)
    values: dict[str, np.ndarray] = {}
    for name in own:
        values[name] = base.values[name].to_numpy(dtype=object)[accounts][at_]
    if "pagu" in values:  # the ceiling on the annual row only
        values["pagu"][np.asarray([b is not None for b in bulan], dtype=bool)] = None
    values["bulan"] = _objects(bulan)
    for w in AMOUNTS:
        if w in columns:
            values[w] = _objects(amounts[w])
    for name, value in layout.constants.items():
        values[name] = np.full(len(at_), value, dtype=object)
    where = int(header_row + grid.first_row)
    warnings = base.warnings + [{"row": where, "column": None, "value": None, "message": note}
                                for note in layout.notes]
    frame = pd.DataFrame({name: pd.Series(v, dtype=object) for name, v in values.items()}, dtype=object)
    matched = dict(columns)
    matched["bulan"] = extract.Column("bulan", -1, spec.KINDS[KIND].field("bulan").headers[0])
    return extract.Table(KIND, grid.name, matched, frame, np.arange(len(at_)), base.row_numbers[at_], warnings,
                         shape="matriks")


def _objects(items: list) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def _checked(value: object, where: str) -> object:
    """An amount as it is, or a rejected cell whose reason names its month column."""
    error = formula_error(value) or parse_money(value)[1]
    if error is None:
        return value
    return RejectedCell(clean_text(value) if isinstance(value, str) else short(value), f"{where}: {error}")
