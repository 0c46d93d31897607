"""Downloads: CSV and XLSX of a table, with cells a spreadsheet would run as formulas neutralised."""
from __future__ import annotations

import io
import re

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text that Excel would read as a formula (=, +, -, @ first) gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


_CODE_NAME = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


def header(name) -> str:
    """A column name as a spreadsheet header: a code-style name in words ('tepat_waktu' → 'Tepat waktu',
    'no_register' → 'No. Register'); a header already in words stays."""
    text = str(name)
    if not _CODE_NAME.fullmatch(text):
        return text
    from analytics.people import LABELS
    return LABELS.get(text) or text.replace("_", " ").capitalize()


def safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of the frame whose text cells and headers cannot run as formulas; code-style headers in words."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    out.columns = [neutralise(header(c)) for c in out.columns]
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    """CSV as Indonesian Excel opens it: semicolons, decimal comma, UTF-8 with BOM."""
    return safe(frame).to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


def to_xlsx(frame: pd.DataFrame, sheet: str = "Data") -> bytes:
    """One sheet of data with its header; numbers stay numbers, dates stay dates."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter", date_format="d mmm yyyy",
                        datetime_format="d mmm yyyy hh:mm") as writer:
        data = safe(frame)
        for column in data.columns:  # Excel has no time zones
            if isinstance(data[column].dtype, pd.DatetimeTZDtype):
                data[column] = data[column].dt.tz_localize(None)
            if pd.api.types.is_datetime64_dtype(data[column]) and (data[column].dropna().dt.normalize()
                                                                   == data[column].dropna()).all():
                data[column] = data[column].dt.date  # whole days: a date cell, not «2025-12-01 00:00:00»
        data.to_excel(writer, sheet_name=sheet[:31], index=False)
        sheet_obj = writer.sheets[sheet[:31]]
        for i, column in enumerate(data.columns):
            width = min(max(len(str(column)), *(len(str(v)) for v in data[column].head(200))) + 2, 60) \
                if len(data) else len(str(column)) + 2
            sheet_obj.set_column(i, i, width)
    return buffer.getvalue()
