"""Indonesian formats and the one chart style: 1.234.567, Rp1.234.567, 12,5%, 28 Nov 2026."""
from __future__ import annotations

import datetime as dt
import math
import re

import plotly.graph_objects as go
import plotly.io as pio

from etl.parse import BULAN

BULAN_SINGKAT = ("", "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
SMALL = "<10"
MINUS = "\u2212"  # the typographic minus sign, as Plotly writes negative numbers on an axis


def _missing(value) -> bool:
    """None, NaN, pd.NA and NaT."""
    if value is None:
        return True
    try:
        import pandas as pd
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def number(value, decimals: int = 0) -> str:
    """1234567 → '1.234.567'; 12.5 with decimals=1 → '12,5'."""
    if isinstance(value, str):
        return value
    if _missing(value):
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def rupiah(value) -> str:
    """1500000 → 'Rp1.500.000'."""
    if isinstance(value, str):
        return value
    return "–" if _missing(value) else "Rp" + number(round(value))


def percent(share, decimals: int = 1) -> str:
    """A share 0..1 → '12,5%'."""
    if isinstance(share, str):
        return share
    return "–" if _missing(share) else number(share * 100, decimals) + "%"


def points(delta, decimals: int = 1, minus: str = "-") -> str:
    """A change of a share in percentage points: 0.032 → '+3,2 poin'; on a slide minus=MINUS (−3,2 poin)."""
    if _missing(delta):
        return "–"
    rounded = round(delta * 100, decimals)
    sign = "+" if rounded > 0 else (minus if rounded < 0 else "±")  # ASCII minus by default: st.metric reads the sign
    return f"{sign}{number(abs(rounded), decimals)} poin"


def change(delta, decimals: int = 0, minus: str = "-") -> str:
    """A change of a count: +12 / -3 / ±0; in a chart minus=MINUS, the sign Plotly writes on its axes (−3)."""
    if _missing(delta):
        return "–"
    sign = "+" if delta > 0 else (minus if delta < 0 else "±")  # ASCII minus by default: st.metric reads the sign
    return f"{sign}{number(abs(delta), decimals)}"


def size(n_bytes: int) -> str:
    """A file size the Indonesian way, 1 KB = 1024 bytes: 14475 → '14,1 KB', 10099753 → '9,6 MB', 900 → '900 B'."""
    if n_bytes < 1024:
        return f"{number(n_bytes)} B"
    value, unit = n_bytes / 1024, "KB"
    for bigger in ("MB", "GB"):
        if round(value, 1) < 1024:
            break
        value, unit = value / 1024, bigger
    return f"{number(value, 1)} {unit}"


def code(value: str | None) -> str:
    """A vocabulary code as words: 'INSTANSI_PEMERINTAH' → 'Instansi Pemerintah', 'PB' stays 'PB'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value)
    if len(text) <= 4 or not text.isupper() or not text.replace("_", "").isalpha():  # BAPAS-BDL, 524113: a code
        return text
    return " ".join(word.capitalize() for word in text.split("_"))


def timestamp(value) -> str:
    """An ISO timestamp as '28 Nov 2026 23.33' (Indonesian time notation)."""
    if not value:
        return ""
    moment = dt.datetime.fromisoformat(str(value))
    return f"{date(moment.date())} {moment:%H.%M}"


def date(day: dt.date | None) -> str:
    """28 Nov 2026."""
    return "–" if day is None else f"{day.day} {BULAN_SINGKAT[day.month]} {day.year}"


def month(day: dt.date | None) -> str:
    """November 2026."""
    return "–" if day is None else f"{BULAN[day.month]} {day.year}"


def period(start: dt.date, end: dt.date) -> str:
    """'Agu–Okt 2026', 'Nov 2025–Okt 2026', or 'Oktober 2026' for one month."""
    if (start.year, start.month) == (end.year, end.month):
        return month(start)
    if start.year == end.year:
        return f"{BULAN_SINGKAT[start.month]}–{BULAN_SINGKAT[end.month]} {end.year}"
    return f"{BULAN_SINGKAT[start.month]} {start.year}–{BULAN_SINGKAT[end.month]} {end.year}"


# One colour meaning across pages.
RISK_COLOURS = {"Rendah": "#2E7D32", "Sedang": "#F9A825", "Tinggi": "#C62828"}
CATEGORY_COLOURS = {
    "BIMBINGAN_KEPRIBADIAN": "#1565C0", "BIMBINGAN_KEMANDIRIAN": "#00897B", "PELATIHAN_KERJA": "#6A1B9A",
    "BIMBINGAN_KEAGAMAAN": "#8D6E63", "PENDIDIKAN_KESETARAAN": "#EF6C00", "SEMINAR_PENYULUHAN": "#546E7A",
    "WAJIB_LAPOR": "#37474F", "KUNJUNGAN_RUMAH": "#9E9D24",
}
ATTENDANCE_COLOURS = {"HADIR": "#2E7D32", "TERLAMBAT": "#F9A825", "IZIN": "#1E88E5", "TIDAK_HADIR": "#C62828"}
FACTOR_COLOURS = {"INTERNAL": "#5E35B1", "EKSTERNAL": "#EF6C00"}
SUPPRESSED_COLOUR = "#BDBDBD"

TEMPLATE = go.layout.Template(layout=dict(
    font=dict(family="Segoe UI, Roboto, Helvetica, Arial, sans-serif", size=15, color="#212121"),
    title=dict(font=dict(size=19), x=0, xanchor="left"),
    separators=",.",
    colorway=list(CATEGORY_COLOURS.values()),
    paper_bgcolor="white", plot_bgcolor="white",
    xaxis=dict(showgrid=False, linecolor="#9E9E9E", ticks="outside"),
    yaxis=dict(gridcolor="#E0E0E0", zerolinecolor="#9E9E9E"),
    legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
    margin=dict(l=60, r=20, t=70, b=50),
))
pio.templates["bapas"] = TEMPLATE


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~$])")  # $: Streamlit reads $…$ as a formula


def plain(text: object) -> str:
    """Text shown as itself inside Markdown (a file or partner name with * _ [ ] $ …), not as formatting."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def markdown_table(frame, right: tuple[str, ...] = ()) -> str:
    """A small table as Markdown: it takes the width its sentences need (st.table wraps every cell at 25rem)."""
    def cell(value) -> str:
        return plain(value).replace("\n", " ")

    header = "| " + " | ".join(cell(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("--:" if c in right else ":--" for c in frame.columns) + "|"
    rows = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *rows])
