"""The rejected rows of an uploaded file as a workbook the operator fixes in Excel and uploads again.

Each sheet of the file that had rejected rows becomes a sheet of the same name (a program's English default
name, Sheet1, becomes Lembar1, as Excel in Indonesian names it): its header (one row, the headers as the loader
matched them, so a two-row header comes back as "Tanggal Mulai Bimbingan"), the rejected rows with all their
original columns and cell values as read, and an added column "Alasan ditolak" with every reason of that row (and
its row number in the original file). The loader ignores that column (a warning), so the corrected workbook loads
as it is. The workbook's properties (title, heading of its parts) are Indonesian too. Text that a spreadsheet
could take for a formula (=, +, -, @ first) is written as text with Excel's quote prefix: it shows and reloads
unchanged but never runs.
"""
from __future__ import annotations

import datetime as dt
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

from etl import bulanan, extract, kisi, spec
from etl.parse import BULAN

REASON = "Alasan ditolak"
CSV_SHEET = "Ditolak"  # CSV and Parquet files have no sheet name
# English defaults of spreadsheet programs (Sheet, Sheet1, …) become Excel's Indonesian default (Lembar1, …)
_DEFAULT_NAME = re.compile(r"sheet ?(\d*)", re.I)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MAX_TEXT = 32_767  # Excel's limit for one cell
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


@dataclass
class RejectedSheet:
    """The rejected rows of one sheet: header texts, raw rows, one reason text per row."""

    name: str
    header: list[str]
    rows: list[list]
    reasons: list[str]
    row_numbers: list[int]


def _reason(row: int, errors: list[dict]) -> str:
    parts = []
    for e in errors:
        message = e["message"]
        if e.get("column") and not message.lower().startswith(str(e["column"]).lower()):
            message = f"{e['column']}: {message}"
        parts.append(message)
    return f"baris {row}: " + "; ".join(parts)


def _filled(value) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    try:
        return not bool(pd.isna(value))
    except (TypeError, ValueError):
        return True


def rejected_sheets(path: Path, report: dict) -> list[RejectedSheet]:
    """The rejected rows of one file, per sheet, from the file and its load or preview report."""
    path = Path(path)
    entries = [e for e in report.get("files", []) if e["file"] == path.name and e["status"] == "loaded"
               and any(err["row"] is not None for err in e["errors"])]
    if not entries:
        return []
    grids = extract.read_grids(path)
    out = []
    for entry in entries:
        grid = next((g for g in grids if g.name == entry["sheet"]), None)
        if grid is None:
            continue
        _, header_row, columns = extract.find_header(grid, entry["kind"])
        by_row: dict[int, list[dict]] = {}
        for err in entry["errors"]:
            if err["row"] is not None:
                by_row.setdefault(int(err["row"]), []).append(err)
        numbers = sorted(by_row)
        positions = [n - grid.first_row for n in numbers if 0 <= n - grid.first_row < len(grid.cells)]
        numbers = [p + grid.first_row for p in positions]
        matched = {c.position: c.header for c in columns.values()}
        candidates = extract._row_candidates(grid, header_row)
        header = [matched.get(c) or (candidates[c][0] if candidates[c] else "") for c in range(grid.cells.shape[1])]
        body = grid.cells.iloc[positions]
        keep = [c for c in range(grid.cells.shape[1])
                if header[c] or any(_filled(v) for v in body.iloc[:, c].tolist())]
        extra = _grid_context(columns, header)
        out.append(RejectedSheet(
            name=entry["sheet"] or CSV_SHEET,
            header=[header[c] for c in keep] + list(extra),
            rows=[[body.iat[i, c] for c in keep] + list(extra.values()) for i in range(len(positions))],
            reasons=[_reason(n, by_row[n]) for n in numbers],
            row_numbers=numbers,
        ))
    return out


def _grid_context(columns, header: list[str]) -> dict[str, object]:
    """For an attendance grid (etl/kisi.py) or a monthly budget matrix (etl/bulanan.py), what its title and labels
    said, so the rows reload without them: in the header (in place) each day number as its whole date and each month
    with its block («Realisasi Mar»); the activity, program or year the title named as columns of their own.
    """
    if (layout := getattr(columns, "layout", None)) is not None:
        for c, day in layout.dates.items():
            if type(day) is dt.date:
                header[c] = f"{day:%d/%m/%Y}"
        kind = spec.KINDS[kisi.KIND]
    elif (layout := getattr(columns, "months", None)) is not None:
        for c, (target, month) in layout.months.items():
            header[c] = f"{'RPD' if target == 'rencana' else 'Realisasi'} {BULAN[month]}"
        kind = spec.KINDS[bulanan.KIND]
    else:
        return {}
    return {kind.field(name).headers[0]: value for name, value in layout.constants.items()}


def _sheet_name(name: str, taken: set[str]) -> str:
    if default := _DEFAULT_NAME.fullmatch(name.strip()):
        name = f"Lembar{default[1] or 1}"
    base = _BAD_SHEET_CHARS.sub("_", name).strip("'")[:31] or CSV_SHEET
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def _write(ws, r: int, c: int, value, formats: dict) -> None:
    """One cell, typed as read: numbers, dates and booleans stay so; text is never a formula."""
    if value is None or (isinstance(value, str) and not value):
        return
    if isinstance(value, (bool, np.bool_)):
        ws.write_boolean(r, c, bool(value))
    elif isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        number = float(value)
        if math.isfinite(number):
            ws.write_number(r, c, number)
        elif not math.isnan(number):
            ws.write_string(r, c, str(value))
    elif isinstance(value, pd.Timestamp):
        if not pd.isna(value):
            _write(ws, r, c, value.to_pydatetime().replace(tzinfo=None), formats)
    elif isinstance(value, dt.datetime):
        moment = value.replace(tzinfo=None)
        has_time = (moment.hour, moment.minute, moment.second, moment.microsecond) != (0, 0, 0, 0)
        ws.write_datetime(r, c, moment, formats["datetime" if has_time else "date"])
    elif isinstance(value, dt.date):
        ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), formats["date"])
    else:
        try:
            if pd.isna(value):
                return
        except (TypeError, ValueError):
            pass
        text = str(value)[:_MAX_TEXT]
        if text.startswith(_FORMULA_START):
            ws.write_string(r, c, text, formats["text"])
        else:
            ws.write_string(r, c, text)


def to_xlsx(sheets: list[RejectedSheet], original: str | None = None) -> bytes:
    """The workbook of rejected rows: one sheet per original sheet, "Alasan ditolak" as the last column."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"title": "Baris ditolak" + (f" dari {original}" if original else ""),
                       "comments": f"Perbaiki nilai menurut kolom «{REASON}», lalu unggah lagi berkas ini."})
    formats = {
        "date": wb.add_format({"num_format": "dd/mm/yyyy"}),
        "datetime": wb.add_format({"num_format": "dd/mm/yyyy hh:mm:ss"}),
        "text": wb.add_format({"quote_prefix": True}),
        "header": wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1}),
        "reason_header": wb.add_format({"bold": True, "bg_color": "#F4B183", "border": 1}),
        "reason": wb.add_format({"font_color": "#7F2704", "text_wrap": True, "quote_prefix": True}),
    }
    taken: set[str] = set()
    for sheet in sheets:
        ws = wb.add_worksheet(_sheet_name(sheet.name, taken))
        for c, text in enumerate(sheet.header):
            fmt = formats["header"] if not text.startswith(_FORMULA_START) else wb.add_format(
                {"bold": True, "bg_color": "#D9E1F2", "border": 1, "quote_prefix": True})
            ws.write_string(0, c, text, fmt)
            ws.set_column(c, c, min(max(len(text) + 2, 12), 40))
        reason_col = len(sheet.header)
        ws.write_string(0, reason_col, REASON, formats["reason_header"])
        ws.set_column(reason_col, reason_col, 70)
        for r, (row, reason) in enumerate(zip(sheet.rows, sheet.reasons), start=1):
            for c, value in enumerate(row):
                _write(ws, r, c, value, formats)
            ws.write_string(r, reason_col, reason[:_MAX_TEXT], formats["reason"])
        ws.freeze_panes(1, 0)
    wb.close()
    return buffer.getvalue()


def workbook(path: Path, report: dict) -> bytes | None:
    """The rejected-rows workbook of one file, or None when no row of it was rejected."""
    sheets = rejected_sheets(path, report)
    return to_xlsx(sheets, Path(path).name) if sheets else None


def file_name(original: str) -> str:
    """The download's name: the original name with " - ditolak.xlsx"."""
    return f"{Path(original).stem} - ditolak.xlsx"
