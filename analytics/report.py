"""Paparan Kanwil: the presentation pack (PowerPoint with native charts, or PDF) built from the analytics functions.

Every figure comes from the read side's own functions, called with a `kanwil` viewer so the small-number rule
applies; this module only selects, formats (analytics.format) and lays out. One content model (slides of
positioned blocks) feeds both renderers, so the PowerPoint and the PDF carry the same text and numbers.

The PDF is drawn with matplotlib alone (its PDF backend, no browser): charts and text are vector, the bundled
DejaVu Sans font covers Indonesian text and signs such as ≤ ÷ « », and it is embedded as TrueType so the text
can be searched and copied. Text is fitted to its box by measuring it with that same font; DejaVu Sans is wider
than the Arial the PowerPoint uses, so what fits in the PDF fits in the slides.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import math
import os
import re
import sys
import time
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analytics import anggaran, db, format as fmt, hambatan, mitra, partisipasi, people, ringkasan
from analytics.filters import Filters, add_months, month_end
from analytics.privacy import HIDDEN_COL, SMALL, is_small
from analytics.viewer import Viewer
from etl import config

ROOT = Path(__file__).resolve().parent.parent
TARGET_FILE = ROOT / "konfigurasi" / "target_lakip.toml"
VIEWER = Viewer("paparan-kanwil", "kanwil")  # an aggregate document: the small-number rule applies
RUPIAH_AXIS = "rupiah (jt = juta)"
HIDDEN_WORD = "disembunyikan"   # a hidden category of a chart (it may hide 1–9, or a larger number hidden with it)
HIDDEN_NOTE = ("«Disembunyikan»: jumlahnya 1–9 orang, atau ikut disembunyikan agar angka 1–9 itu tidak dapat "
               "dihitung dari total (aturan bilangan kecil).")
FORMATS = ("pptx", "pdf")
OK, NO_DATA, USAGE = 0, 1, 2
MAX_MONTHS = 24
MAX_ROWS = 8          # table rows on one slide; the rest are counted in a note
COVER_BAND = "DASBOR POKMAS LIPAS · PAPARAN KANWIL"
ALL_KINDS = ("klien", "kehadiran", "mitra", "program", "anggaran", "hambatan")

# page geometry (inches, 16:9) and house style
W, H = 13.333, 7.5
MARGIN = 0.5
BODY_TOP, BODY_BOTTOM = 1.45, 6.8
FONT = "Arial"                 # PowerPoint text (Liberation Sans, its metric twin, where Arial is missing)
MEASURE_FONT = "DejaVu Sans"   # PDF text, and the yardstick for fitting text in both formats
LINE = 1.25                    # line height ÷ font size
NAVY, GREY, LIGHT, PRIMARY, MUTED = "#1F3864", "#546E7A", "#ECEFF1", "#1565C0", "#90A4AE"
TEXT = "#212121"
PERIOD_COLOURS = ("#BBDEFB", "#90CAF9", "#64B5F6", "#42A5F5", "#1E88E5", "#1565C0")  # older months lighter

TARGET_KEYS = {
    "kepatuhan_wajib_lapor": ("Kepatuhan wajib lapor", "share"),
    "partisipasi_program": ("Partisipasi program", "share"),
    "klien_berakhir_bekerja": ("Klien berakhir yang bekerja/usaha mandiri", "share"),
    "serapan_anggaran": ("Serapan anggaran", "share"),
    "deviasi_halaman_iii": ("Rata-rata deviasi bulanan terhadap RPD", "share"),
    "mitra_aktif": ("Mitra aktif pada akhir periode", "count"),
}

DEFINITIONS = (
    ("Klien aktif", "Klien yang pada hari itu sudah mulai bimbingan dan belum berakhir (berakhir = tanggal status "
                    "bila tidak aktif lagi, atau tanggal akhir bimbingan). Dihitung pada akhir periode."),
    ("Kepatuhan wajib lapor", "Dari semua jadwal wajib lapor dalam periode, bagian yang hadir tepat waktu atau "
                              "terlambat. «Tepat waktu» hanya yang hadir tepat waktu; izin dihitung terpisah."),
    ("Mangkir berturut-turut", "Wajib lapor yang tidak dihadiri berturut-turut oleh satu klien. Tiga kali berturut-"
                               "turut adalah dasar pencabutan, maka peringatan dini dimulai pada dua kali."),
    ("Partisipasi program", "Klien aktif yang paling sedikit sekali hadir pada kegiatan bimbingan selain wajib "
                            "lapor dan kunjungan rumah, dibagi semua klien aktif dalam periode."),
    ("Penyelesaian program", "Peserta angkatan = klien yang punya catatan kehadiran di angkatan itu. Klien "
                             "dihitung selesai bila hadir pada sedikitnya {ambang} sesi angkatan. Tingkat "
                             "penyelesaian = yang selesai dibagi peserta."),
    ("Pengakhiran", "Kasus yang berakhir: SELESAI (berhasil); MENINGGAL, PINDAH (netral); DICABUT, BURON (tidak "
                    "berhasil)."),
    ("Residivisme", "Klien yang tercatat melakukan tindak pidana baru dalam 24 bulan sejak mulai bimbingan; satu "
                    "kelompok baru dilaporkan setelah semua anggotanya teramati 24 bulan."),
    ("Kesejahteraan", "Di antara klien yang mengakhiri bimbingan dalam periode (SELESAI, DICABUT, BURON), bagian "
                      "yang berstatus bekerja atau usaha mandiri menurut catatan terakhir."),
    ("Serapan dan deviasi anggaran", "Serapan = realisasi Januari s.d. bulan akhir periode dibagi pagu tahun itu. "
                                     "Deviasi bulanan = selisih realisasi dan rencana penarikan (RPD) dibagi "
                                     "rencana. Biaya per peserta = realisasi program dibagi pesertanya."),
    ("Hambatan", "Jumlah catatan per kategori dan faktor (internal/eksternal), dari log hambatan dan dari alasan "
                 "ketidakhadiran, dihitung terpisah."),
    ("Sebaran risiko", "Klien aktif menurut kategori RRI yang dicatat PK, dan menurut kategori model risiko "
                       "dasbor (Rendah = separuh terendah, Tinggi = 20% tertinggi)."),
    ("Aturan bilangan kecil", "Paparan ini dokumen agregat: jumlah 1–9 orang ditulis «<10» dan persentase yang "
                              "dihitung darinya ditulis «–». Satu angka lain dapat ikut disembunyikan agar tidak "
                              "dapat dihitung dari totalnya; pada grafik kategori semacam itu bertanda "
                              "«disembunyikan»."),
)


class ReportError(Exception):
    """The pack cannot be built as asked; the message is for the user (Indonesian)."""

    status = USAGE


class NoData(ReportError):
    """There are no data for the period or office."""

    status = NO_DATA


class TargetError(ReportError):
    """The LAKIP target file is missing or invalid."""


# --- the content model ------------------------------------------------------------------------------------

@dataclass
class Series:
    name: str
    values: list            # float, or None where the value is hidden or missing
    labels: list            # the data label of each value (Indonesian format), or None for no label
    colour: str
    point_colours: list | None = None


@dataclass
class Chart:
    kind: str               # "bar" (horizontal), "column", "line", "stacked_bar"
    title: str
    categories: list[str]
    series: list[Series]
    value_kind: str         # "percent", "count", "rupiah"
    value_title: str
    category_title: str = ""
    value_min: float = 0.0          # the value axis starts here (line charts of shares may start above 0)
    overlap: bool = False           # one series per category (colour = group): bars drawn on one slot


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    widths: list[float]
    align: list[str]        # "l" or "r" per column
    size: float = 11.0
    row_heights: list[float] = field(default_factory=list)


@dataclass
class Bullets:
    items: list[str]
    size: float = 15.0


@dataclass
class Text:
    text: str
    size: float = 12.0
    bold: bool = False
    colour: str = TEXT
    align: str = "l"
    name: str = ""          # the shape's name in the PowerPoint file


@dataclass
class Tiles:
    items: list[tuple[str, str, str]]   # label, value, note


@dataclass
class Block:
    x: float
    y: float
    w: float
    h: float
    content: object


@dataclass
class Slide:
    title: str
    subtitle: str
    blocks: list[Block]
    kinds: tuple[str, ...] = ALL_KINDS
    cover: bool = False
    footer: str = ""


@dataclass
class Pack:
    slides: list[Slide]
    figures: dict
    warnings: list[str]
    filters: Filters
    office: str
    as_of: dt.date


# --- measuring and fitting text ----------------------------------------------------------------------------

@lru_cache(maxsize=2)
def _face(bold: bool):
    """The measuring font at 100 pt, 72 dpi (one pixel = one point)."""
    from matplotlib import font_manager, ft2font
    face = ft2font.FT2Font(font_manager.findfont(font_manager.FontProperties(
        family=MEASURE_FONT, weight="bold" if bold else "normal")))
    face.set_size(100, 72)
    return face


@lru_cache(maxsize=4096)
def _advance(char: str, bold: bool) -> float:
    """Advance width of one character, in points at 100 pt."""
    from matplotlib import ft2font
    return _face(bold).load_char(ord(char), flags=ft2font.LoadFlags.NO_HINTING).linearHoriAdvance / 65536


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in inches of one line of text in the measuring font (advance widths, no kerning: a little wide)."""
    return sum(_advance(c, bold) for c in text) / 100 * size / 72


def wrap(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    """Greedy word wrap to `width` inches (a word longer than the line stays whole)."""
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        line = ""
        for word in paragraph.split(" "):
            trial = f"{line} {word}" if line else word
            if line and text_width(trial, size, bold) > width:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return lines


def _height(lines: int, size: float) -> float:
    return lines * size * LINE / 72


BULLET_INDENT = 0.28
INSET = 0.08


def fit_bullets(items: list[str], w: float, h: float, largest: float = 16, smallest: float = 10) -> float:
    """The largest font size (half points) at which the bullets fit in a w × h box."""
    size = largest
    while size > smallest:
        if _bullets_height(items, size, w) <= h:
            return size
        size -= 0.5
    return smallest


def _bullets_height(items: list[str], size: float, w: float) -> float:
    lines = sum(len(wrap(item, size, w - BULLET_INDENT - 2 * INSET)) for item in items)
    return _height(lines, size) + len(items) * size * 0.6 / 72 + 2 * INSET


def fit_table(table: Table, w: float, h: float, largest: float = 12, smallest: float = 8) -> None:
    """Choose the table's font size and row heights so that it fits in w × h (smallest size at worst)."""
    size = largest
    while True:
        heights = _row_heights(table, size, w)
        if sum(heights) <= h or size <= smallest:
            table.size, table.row_heights = size, heights
            return
        size -= 0.5


def _row_heights(table: Table, size: float, w: float) -> list[float]:
    widths = _column_widths(table, w)
    out = []
    for i, row in enumerate([table.header, *table.rows]):
        lines = max(len(wrap(str(cell), size, cw - 2 * INSET, bold=(i == 0))) for cell, cw in zip(row, widths))
        out.append(_height(lines, size) + 0.12)
    return out


def _column_widths(table: Table, w: float) -> list[float]:
    total = sum(table.widths)
    return [w * x / total for x in table.widths]


def fit_line(text: str, width: float, largest: float, smallest: float, bold: bool = False) -> float:
    """The largest size at which one line of text fits in `width` inches."""
    size = largest
    while size > smallest and text_width(text, size, bold) > width - 2 * INSET:
        size -= 0.5
    return size


# --- Indonesian sentences from figures ---------------------------------------------------------------------

def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def share_sentence(label: str, value, previous, against: str, hidden: bool = False,
                   previous_hidden: bool = False) -> str:
    """'Kepatuhan wajib lapor naik 3,2 poin menjadi 91,4% dibanding Mei–Jul 2026 (88,2%).'"""
    if hidden:
        return f"{label} tidak ditampilkan karena dihitung dari jumlah {SMALL} orang (aturan bilangan kecil)."
    if _missing(value):
        return f"{label} belum dapat dihitung untuk periode ini (tidak ada data)."
    now = fmt.percent(value)
    if previous_hidden:
        return f"{label} {now}; angka {against} disembunyikan (kurang dari 10 orang), jadi tidak dibandingkan."
    if _missing(previous):
        return f"{label} {now}; angka {against} tidak tersedia, jadi tidak dibandingkan."
    delta = round((value - previous) * 100, 1)
    if delta == 0:
        return f"{label} tetap {now}, sama dengan {against}."
    word = "naik" if delta > 0 else "turun"
    return f"{label} {word} {fmt.number(abs(delta), 1)} poin menjadi {now} dibanding {against} " \
           f"({fmt.percent(previous)})."


def count_sentence(label: str, value, previous, against: str, unit: str = "", hidden: bool = False,
                   previous_hidden: bool = False) -> str:
    """'Klien aktif bertambah 10 menjadi 333 orang dibanding Mei–Jul 2026 (323).'"""
    suffix = f" {unit}" if unit else ""
    if hidden:
        return f"{label}: {SMALL}{suffix} (angka 1–9 disembunyikan menurut aturan bilangan kecil)."
    if _missing(value):
        return f"{label} belum dapat dihitung untuk periode ini (tidak ada data)."
    now = fmt.number(value)
    if previous_hidden:
        return f"{label} {now}{suffix}; angka {against} disembunyikan (kurang dari 10), jadi tidak dibandingkan."
    if _missing(previous):
        return f"{label} {now}{suffix}; angka {against} tidak tersedia, jadi tidak dibandingkan."
    delta = value - previous
    if delta == 0:
        return f"{label} tetap {now}{suffix}, sama dengan {against}."
    word = "bertambah" if delta > 0 else "berkurang"
    return f"{label} {word} {fmt.number(abs(delta))} menjadi {now}{suffix} dibanding {against} " \
           f"({fmt.number(previous)})."


def kpi_sentence(kpi: ringkasan.Kpi, against: str, unit: str = "", label: str | None = None) -> str:
    """The sentence of one key figure against the previous period, suppression included."""
    hidden = kpi.shown == SMALL
    label = label or kpi.label
    if kpi.kind == "share":
        previous_hidden = (not hidden and kpi.delta == "" and not _missing(kpi.value)
                           and not _missing(kpi.previous))
        return share_sentence(label, kpi.value, kpi.previous, against, hidden, previous_hidden)
    previous_hidden = kpi.suppressed and not hidden
    return count_sentence(label, kpi.value, kpi.previous, against, unit, hidden, previous_hidden)


def year_change(kpi: ringkasan.Kpi, last_year: ringkasan.Kpi, minus: str = "-") -> str:
    """The change against the same period last year: '+3,2 poin', '-12' (minus=fmt.MINUS: '−12'), '' where
    hidden/missing."""
    if kpi.shown == SMALL or last_year.shown == SMALL or _missing(kpi.value) or _missing(last_year.value):
        return ""
    if kpi.kind == "share":
        return fmt.points(kpi.value - last_year.value, minus=minus)
    return fmt.change(kpi.value - last_year.value, minus=minus)


def printed_change(text: str) -> str:
    """A change formatted for st.metric ('-3', '-1,2 poin') as printed on a slide, with the dashboard's minus (−3)."""
    return fmt.MINUS + text[1:] if text.startswith("-") else text


def _pct(value) -> str:
    """A share as shown; a hidden share is a dash («<10» would read as «less than 10%»)."""
    return "–" if _missing(value) else fmt.percent(value)


def _count(value) -> str:
    return SMALL if _missing(value) else fmt.number(int(value))


def _value(value):
    """A chart value: float, or None for hidden/missing."""
    return None if _missing(value) else float(value)


# --- the figures, slide by slide ---------------------------------------------------------------------------

def _kpi_map(kpis: list[ringkasan.Kpi]) -> dict[str, ringkasan.Kpi]:
    return {k.key: k for k in kpis}


NOTE_H = 0.4


def _split(text_items: list[str], visual, tiles: Tiles | None = None, left: float = 4.6,
           note: str | None = None) -> list[Block]:
    """The usual body: optional tiles across the top, bullets on the left, the chart or table on the right
    (with an optional note under it)."""
    blocks = []
    top = BODY_TOP
    if tiles is not None:
        blocks.append(Block(MARGIN, top, W - 2 * MARGIN, 1.05, tiles))
        top += 1.25
    height = BODY_BOTTOM - top
    bullets = Bullets(text_items)
    bullets.size = fit_bullets(text_items, left, height)
    blocks.append(Block(MARGIN, top, left, height, bullets))
    x = MARGIN + left + 0.25
    visual_h = height - (NOTE_H if note else 0)
    note_y = BODY_BOTTOM - NOTE_H + 0.05
    if isinstance(visual, Table):
        fit_table(visual, W - MARGIN - x, visual_h, 13)
        visual_h = min(visual_h, sum(visual.row_heights))
        note_y = top + visual_h + 0.1      # the note reads as part of the table: right under it
    blocks.append(Block(x, top, W - MARGIN - x, visual_h, visual))
    if note:
        blocks.append(_note_block(note, x, note_y, W - MARGIN - x, min(0.8, BODY_BOTTOM - note_y)))
    return blocks


def _note_block(text: str, x: float, y: float, w: float, h: float) -> Block:
    size = 11.0
    while size > 7.5 and len(wrap(text, size, w - 2 * INSET)) * size * LINE / 72 + INSET > h:
        size -= 0.5
    return Block(x, y, w, h, Text(text, size, colour=GREY))


class _Collector:
    """Calls the analytics functions for one period and office and turns their results into slides."""

    def __init__(self, filters: Filters, as_of: dt.date, office: str, db_path: Path | None, progress):
        self.f, self.as_of, self.office, self.db_path = filters, as_of, office, db_path
        self.progress = progress
        self.figures: dict = {}
        self.warnings: list[str] = []
        self.period = fmt.period(filters.mulai, filters.akhir)
        before, year = filters.previous(), filters.last_year()
        self.before = fmt.period(before.mulai, before.akhir)
        self.year = fmt.period(year.mulai, year.akhir)

    def step(self, message: str, fraction: float) -> None:
        if self.progress:
            self.progress(message, fraction)

    # 1 -------------------------------------------------------------------------------------------------
    def cover(self) -> Slide:
        lines = [Text("Paparan Kinerja Pokmas Lipas", 34, True, NAVY, name="Judul"),
                 Text(self.office, 22, False, TEXT),
                 Text(f"Periode {self.period} · dibanding {self.before} dan {self.year}", 16, False, TEXT),
                 Text(f"Data s.d. {fmt.date(self.as_of)}"
                      + (" (periode belum lengkap)" if _incomplete(self.f, self.as_of) else "")
                      + f" · disusun {fmt.date(config.load_date())}", 14, False, GREY),
                 Text("Dokumen agregat: jumlah 1–9 orang ditulis «<10» dan persentase yang dihitung darinya "
                      "tidak ditampilkan. Tidak memuat nama, NIK, nomor register, atau NIP.", 12, False, GREY)]
        blocks, y = [], 2.0
        for text, height in zip(lines, (0.8, 0.6, 0.45, 0.45, 0.7)):
            if text.size < 13:
                text.size = min(text.size, fit_bullets([text.text], W - 2 * MARGIN - 1.0, height, 12, 9))
            blocks.append(Block(MARGIN + 0.5, y, W - 2 * MARGIN - 1.0, height, text))
            y += height + 0.15
        self.figures["sampul"] = {"kantor": self.office, "periode": self.period, "tanggal_data": self.as_of}
        return Slide("Paparan Kinerja Pokmas Lipas", "", blocks, ALL_KINDS, cover=True)

    # 2 -------------------------------------------------------------------------------------------------
    def key_figures(self) -> Slide:
        kpis = ringkasan.key_figures(self.f, VIEWER, self.db_path)
        last_year = _kpi_map(ringkasan.key_figures(self.f.last_year(), VIEWER, self.db_path))
        self.kpis = _kpi_map(kpis)
        rows = []
        for kpi in kpis:
            rows.append([kpi.label, kpi.shown, printed_change(kpi.delta) or "–",
                         year_change(kpi, last_year[kpi.key], minus=fmt.MINUS) or "–"])
        self.figures["angka_kunci"] = {k.key: {"label": k.label, "nilai": k.shown, "vs_sebelumnya": k.delta,
                                               "vs_tahun_lalu": year_change(k, last_year[k.key])} for k in kpis}
        table = Table(["Angka kunci", self.period, f"Perubahan vs {self.before}", f"Perubahan vs {self.year}"],
                      rows, [3.2, 1.4, 2.0, 2.0], ["l", "r", "r", "r"])
        k = self.kpis
        bullets = [kpi_sentence(k["klien_aktif"], self.before, "orang"),
                   kpi_sentence(k["kepatuhan"], self.before),
                   kpi_sentence(k["partisipasi"], self.before),
                   _year_sentence(k["kepatuhan"], last_year["kepatuhan"], self.year),
                   kpi_sentence(k["pencabutan"], self.before, "kasus")]
        blocks = _split(bullets, table, left=4.9, note="Perubahan: selisih jumlah, atau selisih persentase dalam "
                        "poin. «–»: tidak dibandingkan karena salah satu angka disembunyikan (<10) atau tidak ada.")
        return Slide("Angka kunci", f"{self.period} dibanding periode sebelumnya dan periode yang sama tahun lalu",
                     blocks, ("klien", "kehadiran", "anggaran"))

    # 3 -------------------------------------------------------------------------------------------------
    def participation(self) -> Slide:
        frame = partisipasi.participation_by_month(self.f, VIEWER, self.db_path)
        frame["bulan"] = pd.to_datetime(frame["bulan"])
        inside = frame[(frame["bulan"] >= pd.Timestamp(self.f.mulai)) & (frame["bulan"] <= pd.Timestamp(self.f.akhir))]
        months = sorted(inside["bulan"].unique())[-6:]
        groups = list(partisipasi.KELOMPOK)
        series = []
        for i, month in enumerate(months):
            part = inside[inside["bulan"] == month].set_index("kelompok").reindex(groups)
            values = [_value(v) for v in part["persen"]]
            series.append(Series(partisipasi.month_label(month), values,
                                 [None if v is None else fmt.percent(v) for v in values],
                                 PERIOD_COLOURS[len(PERIOD_COLOURS) - len(months) + i]))
        chart = Chart("bar", "Partisipasi per kelompok kegiatan (% klien aktif)",
                      [partisipasi.KELOMPOK[g] for g in groups], series, "percent", "% klien aktif pada bulan itu")
        self.figures["partisipasi"] = {"bulan": [str(pd.Timestamp(m).date()) for m in months],
                                       "kelompok": groups, "nilai": [s.values for s in series]}
        bullets = []
        if months:
            last = pd.Timestamp(months[-1])
            row = frame[(frame["bulan"] == last) & (frame["kelompok"] == "SEMUA")].iloc[0]
            earlier = frame[(frame["bulan"] == last - pd.DateOffset(months=1)) & (frame["kelompok"] == "SEMUA")]
            prev = earlier.iloc[0] if not earlier.empty else None
            who = ("" if _missing(row["peserta"]) or _missing(row["klien_aktif"]) else
                   f" ({fmt.number(int(row['peserta']))} dari {fmt.number(int(row['klien_aktif']))} klien yang "
                   "aktif dalam bulan itu)")
            label = f"Partisipasi dalam bulan {fmt.month(last.date())} saja"
            sentence = share_sentence(label, _value(row["persen"]), None if prev is None else _value(prev["persen"]),
                                      fmt.month((last - pd.DateOffset(months=1)).date()),
                                      hidden=bool(row[HIDDEN_COL]),
                                      previous_hidden=prev is not None and bool(prev[HIDDEN_COL]))
            if who and not row[HIDDEN_COL]:
                sentence = sentence.replace(f"menjadi {fmt.percent(row['persen'])}",
                                            f"menjadi {fmt.percent(row['persen'])}{who}", 1) \
                    if "menjadi" in sentence else sentence.replace(fmt.percent(row["persen"]),
                                                                   fmt.percent(row["persen"]) + who, 1)
            bullets.insert(0, kpi_sentence(self.kpis["partisipasi"], self.before,
                                           label=f"Partisipasi program selama {self.period}"))
            bullets.append(sentence)
            if self.f.months > 1:
                bullets.append(f"Angka satu bulan lebih kecil daripada angka {self.period} karena klien sudah "
                               f"dihitung bila hadir sekali saja dalam {self.f.months} bulan itu.")
            shown = inside[(inside["bulan"] == last) & (inside["kelompok"] != "SEMUA") & ~inside[HIDDEN_COL]]
            if not shown.empty:
                top = shown.sort_values("persen", ascending=False, kind="stable").iloc[0]
                low = shown.sort_values("persen", ascending=True, kind="stable").iloc[0]
                bullets.append(f"Kelompok kegiatan dengan partisipasi tertinggi pada {fmt.month(last.date())}: "
                               f"{top['label']} ({fmt.percent(top['persen'])}); terendah: {low['label']} "
                               f"({fmt.percent(low['persen'])}).")
        else:
            bullets.append(kpi_sentence(self.kpis["partisipasi"], self.before,
                                        label=f"Partisipasi program selama {self.period}"))
        bullets.append("Satu klien dapat ikut lebih dari satu kelompok kegiatan; «Semua kegiatan» menghitung "
                       "setiap klien sekali.")
        return Slide("Partisipasi per kegiatan", f"{self.period} · % klien aktif yang hadir ≥ 1 kali pada kegiatan "
                     "bimbingan selain wajib lapor", _split(bullets, chart), ("klien", "kehadiran"))

    # 4 -------------------------------------------------------------------------------------------------
    def compliance(self) -> Slide:
        trend = ringkasan.compliance_trend(self.f, VIEWER, self.db_path)
        months = [partisipasi.month_label(m) for m in trend["bulan"]]
        on_time = [_value(v) for v in trend["kepatuhan"]]
        punctual = [_value(v) for v in trend["tepat_waktu_persen"]]
        last_label = [None] * (len(months) - 1) + [True] if months else []
        chart = Chart("line", "Kepatuhan wajib lapor per bulan (%)", months, [
            Series("Hadir atau terlambat", on_time,
                   [fmt.percent(v) if flag and v is not None else None for v, flag in zip(on_time, last_label)],
                   fmt.ATTENDANCE_COLOURS["HADIR"]),
            Series("Tepat waktu", punctual,
                   [fmt.percent(v) if flag and v is not None else None for v, flag in zip(punctual, last_label)],
                   fmt.ATTENDANCE_COLOURS["TERLAMBAT"])], "percent", "% wajib lapor terjadwal")
        shown_values = [v for v in on_time + punctual if v is not None]
        chart.value_min = max(0.0, math.floor(min(shown_values) * 10 - 0.5) / 10) if shown_values else 0.0
        self.figures["kepatuhan"] = {"bulan": [str(pd.Timestamp(m).date()) for m in trend["bulan"]],
                                     "kepatuhan": on_time, "tepat_waktu": punctual}
        kpi = self.kpis["kepatuhan"]
        tiles = Tiles([(f"Kepatuhan {self.period}", kpi.shown,
                        f"{printed_change(kpi.delta) or '–'} vs {self.before}"),
                       ("Bulan terakhir", _pct(on_time[-1]) if on_time else "–",
                        months[-1] if months else "–"),
                       ("Tepat waktu, bulan terakhir", _pct(punctual[-1]) if punctual else "–",
                        months[-1] if months else "–")])
        bullets = [kpi_sentence(kpi, self.before)]
        shown = [(v, m) for v, m in zip(on_time, months) if v is not None]
        if shown:
            low, high = min(shown, key=lambda t: t[0]), max(shown, key=lambda t: t[0])
            bullets.append(f"Dalam {len(months)} bulan terakhir kepatuhan terendah {fmt.percent(low[0])} "
                           f"({low[1]}) dan tertinggi {fmt.percent(high[0])} ({high[1]}).")
        if punctual and punctual[-1] is not None and on_time[-1] is not None:
            late = round((on_time[-1] - punctual[-1]) * 100, 1)
            bullets.append(f"Pada {months[-1]} {fmt.percent(on_time[-1])} wajib lapor dihadiri; yang tepat waktu "
                           f"{fmt.percent(punctual[-1])}, jadi {fmt.number(late, 1)} poin datang terlambat.")
        hidden = len(on_time) - len(shown)
        if hidden:
            bullets.append(f"{hidden} bulan tidak ditampilkan karena salah satu jumlahnya kurang dari 10 "
                           "(aturan bilangan kecil).")
        return Slide("Kepatuhan wajib lapor", f"12 bulan s.d. {fmt.month(self.f.akhir)} · wajib lapor yang hadir "
                     "÷ semua wajib lapor terjadwal", _split(bullets, chart, tiles), ("klien", "kehadiran"))

    # 5 -------------------------------------------------------------------------------------------------
    def welfare(self) -> Slide:
        frame = partisipasi.welfare_outcomes(self.f, VIEWER, "kategori", self.db_path)
        groups = list(dict.fromkeys(frame["grup"]))
        # a group whose every part is hidden would be an empty bar under a visible n: it is named in a bullet instead
        drawn = [g for g in groups if frame[(frame["grup"] == g)]["persen"].gt(0).any()]
        left_out = [g for g in groups if g not in drawn]
        labels, totals = {}, {}
        for group in groups:
            rows = frame[frame["grup"] == group]
            totals[group] = rows["klien"].iloc[0]
            labels[group] = (f"{rows['label'].iloc[0]} (n"
                             f"{'<10' if _missing(totals[group]) else '=' + _count(totals[group])})")
        colours = {"BEKERJA": "#2E7D32", "USAHA_MANDIRI": "#00897B", "BELUM_BEKERJA": "#EF6C00",
                   "TIDAK_TERCATAT": "#BDBDBD"}
        series = []
        for status in colours:
            part = frame[frame["pekerjaan"] == status].set_index("grup").reindex(drawn)
            values = [_value(v) for v in part["persen"]]
            if not any(values):     # a status nobody in the drawn groups has: no empty legend entry
                continue
            series.append(Series(partisipasi.PEKERJAAN[status], values,
                                 [fmt.percent(v) if v is not None and v >= 0.06 else None for v in values],
                                 colours[status]))
        chart = Chart("stacked_bar", "Status pekerjaan klien yang mengakhiri bimbingan (%)",
                      [labels[g] for g in drawn], series, "percent", "% klien yang berakhir dalam kelompok itu")
        self.figures["kesejahteraan"] = {"kelompok": drawn, "nilai": {s.name: s.values for s in series},
                                         "tidak_digambar": left_out}
        kpi = self.kpis["sejahtera"]
        bullets = [kpi_sentence(kpi, self.before, label="Bagian klien berakhir yang bekerja atau usaha mandiri")]
        everyone = frame[frame["grup"] == partisipasi.SEMUA]
        if not everyone.empty:
            parts = [f"{r['pekerjaan_label'].lower()} {fmt.percent(r['persen'])}" for _, r in everyone.iterrows()
                     if not r[HIDDEN_COL] and r["jumlah"] != 0]
            hidden = [r["pekerjaan_label"].lower() for _, r in everyone.iterrows() if r[HIDDEN_COL]]
            bullets.append(f"Dari {_count(totals[partisipasi.SEMUA])} klien yang mengakhiri bimbingan dalam periode "
                           "(selesai, dicabut atau buron; tanpa yang meninggal atau pindah): "
                           + ", ".join(parts) + (f"; {', '.join(hidden)} disembunyikan (aturan bilangan kecil)"
                                                 if hidden else "") + ".")
        if left_out:
            bullets.append("Tidak digambar karena semua bagiannya disembunyikan (aturan bilangan kecil): "
                           + ", ".join(labels[g] for g in left_out) + ".")
        if any(frame[frame["grup"] == g]["persen"].sum() < 0.995 for g in drawn):
            bullets.append("Batang yang tidak sampai 100%: sebagian disembunyikan menurut aturan bilangan kecil.")
        bullets.append("Klien yang ikut beberapa kategori program dihitung pada setiap kategori itu.")
        return Slide("Kesejahteraan klien yang berakhir", f"{self.period} · status pekerjaan terakhir, menurut "
                     "kategori program yang diikuti", _split(bullets, chart), ("klien", "kehadiran", "program"))

    # 6 -------------------------------------------------------------------------------------------------
    def completion(self) -> Slide:
        frame = partisipasi.program_completion(self.f, VIEWER, self.db_path)
        threshold = partisipasi.completion_threshold(self.db_path)
        self.threshold = threshold
        shown = partisipasi.completion_table(frame)
        # a hidden rate is a dash: «<10» in a column of percentages would read as «less than 10%»
        rows = [[r["Program (angkatan)"], r["Mitra"], r["Peserta"], r["Selesai"],
                 "–" if r["Tingkat penyelesaian"] == SMALL else r["Tingkat penyelesaian"]]
                for _, r in shown.head(MAX_ROWS).iterrows()]
        table = Table(["Program (angkatan)", "Mitra", "Peserta", "Selesai", "Tingkat selesai"], rows,
                      [3.2, 2.4, 1.0, 1.0, 1.1], ["l", "l", "r", "r", "r"])
        self.figures["penyelesaian"] = {"program": frame["kode_program"].tolist(),
                                        "tingkat": [_value(v) for v in frame["tingkat_penyelesaian"]]}
        running = int(frame["berjalan"].sum()) if not frame.empty else 0
        bullets = [f"{fmt.number(len(frame))} angkatan program berjalan dalam periode; "
                   + (f"{fmt.number(running)} di antaranya belum selesai pada {fmt.date(self.as_of)}." if running
                      else f"semuanya sudah selesai pada {fmt.date(self.as_of)}.")]
        visible = frame[~frame[HIDDEN_COL] & frame["tingkat_penyelesaian"].notna()]
        if not visible.empty:
            top = visible.sort_values("tingkat_penyelesaian", ascending=False, kind="stable").iloc[0]
            low = visible.sort_values("tingkat_penyelesaian", ascending=True, kind="stable").iloc[0]
            bullets.append(f"Tingkat penyelesaian tertinggi: {top['nama_program']} "
                           f"({fmt.percent(top['tingkat_penyelesaian'])}); terendah: {low['nama_program']} "
                           f"({fmt.percent(low['tingkat_penyelesaian'])}).")
        hidden = int(frame[HIDDEN_COL].sum()) if not frame.empty else 0
        if hidden:
            bullets.append(f"Tingkat penyelesaian {fmt.number(hidden)} angkatan tidak ditampilkan («–») karena "
                           "jumlah yang selesai atau yang tidak selesai kurang dari 10 orang.")
        bullets.append(f"Selesai = hadir pada sedikitnya {fmt.percent(threshold, 0)} sesi angkatan.")
        blocks = _split(bullets, table, left=4.2, note=(
            f"Ditampilkan {MAX_ROWS} dari {fmt.number(len(frame))} angkatan (urut tanggal mulai); daftar lengkap ada "
            "di halaman Partisipasi dasbor." if len(frame) > MAX_ROWS else None))
        if frame.empty:
            blocks = _split(["Tidak ada angkatan program yang berjalan dalam periode ini."],
                            Text("Tidak ada angkatan program dalam periode.", 14, colour=GREY))
        return Slide("Penyelesaian program", f"{self.period} · angkatan program yang berjalan dalam periode",
                     blocks, ("program", "kehadiran", "mitra"))

    # 7 -------------------------------------------------------------------------------------------------
    def risk(self) -> list[Slide]:
        from analytics import risk
        frame = risk.risk_distribution(self.f, VIEWER, db_path=self.db_path)
        month = pd.Timestamp(self.f.akhir.replace(day=1))
        charts, figures, bullets = [], {}, []
        end_label = fmt.month(self.f.akhir)
        for basis, title, order in (("rri", "Kategori RRI tercatat", risk.RRI_ORDER),
                                    ("model", "Kategori model risiko", risk.MODEL_ORDER)):
            rows = risk.basis_rows(frame, basis)
            rows = rows[pd.to_datetime(rows["bulan"]) == month] if not rows.empty else rows
            rows = rows.set_index("kategori").reindex([c for c in order if c in set(rows["kategori"])])
            values = [_value(v) for v in rows["klien"]]
            labels = [None if _missing(v) else fmt.number(int(v)) for v in rows["klien"]]
            colours = [fmt.RISK_COLOURS.get(c, fmt.SUPPRESSED_COLOUR) for c in rows.index]
            charts.append(Chart("bar", f"{title}, klien aktif {end_label}",
                                [c + (f" ({HIDDEN_WORD})" if v is None else "") for c, v in zip(rows.index, values)],
                                [Series("Klien aktif", values, labels, PRIMARY, colours)], "count", "klien aktif"))
            figures[basis] = dict(zip(rows.index, values))
            shares = dict(zip(rows.index, rows["persen"]))
            hidden = dict(zip(rows.index, rows[HIDDEN_COL]))
            if basis == "rri" and "Tinggi" in shares:
                bullets.append("Menurut RRI yang dicatat PK, " + (
                    f"{labels[list(rows.index).index('Tinggi')]} klien aktif ({fmt.percent(shares['Tinggi'])}) "
                    f"berisiko Tinggi pada {end_label}." if not hidden["Tinggi"] else
                    f"klien aktif berisiko Tinggi pada {end_label} berjumlah {SMALL}."))
            if basis == "model":
                if risk.NO_MODEL in set(rows.index):
                    bullets.append("Model risiko belum dapat dipakai: kasus yang teramati penuh belum cukup "
                                   "untuk melatih dan menguji model; gunakan kategori RRI tercatat.")
                elif set(rows.index) <= {risk.NOT_YET, risk.NOT_SCORED}:
                    bullets.append(f"Belum ada klien aktif yang dinilai model risiko pada {end_label}; gunakan "
                                   "kategori RRI tercatat.")
                elif "Tinggi" in shares:
                    bullets.append("Menurut model risiko dasbor, " + (
                        f"{labels[list(rows.index).index('Tinggi')]} klien aktif ({fmt.percent(shares['Tinggi'])}) "
                        f"masuk kategori Tinggi." if not hidden["Tinggi"] else
                        f"klien aktif berkategori Tinggi berjumlah {SMALL}."))
        self.figures["risiko"] = figures
        present = {c for values in figures.values() for c in values}
        if {risk.NOT_YET, risk.NOT_SCORED} & present:
            bullets.append(f"«{risk.NOT_YET}»: klien yang belum {risk.PREDICTION_MONTHS} bulan dibimbing (model "
                           f"menilai pada bulan ke-{risk.PREDICTION_MONTHS}); «{risk.NOT_SCORED}»: catatannya tidak "
                           "cukup untuk dinilai.")
        if any(v is None for values in figures.values() for v in values.values()):
            bullets.append(HIDDEN_NOTE)
        bullets.append("Kategori model adalah alat bantu prioritas pembimbingan, bukan dasar pencabutan atau sanksi.")
        text_h = 1.9
        size = fit_bullets(bullets, W - 2 * MARGIN, text_h, 15, 10)
        chart_w = (W - 2 * MARGIN - 0.3) / 2
        chart_top = BODY_TOP + text_h + 0.1
        blocks = [Block(MARGIN, BODY_TOP, W - 2 * MARGIN, text_h, Bullets(bullets, size)),
                  Block(MARGIN, chart_top, chart_w, BODY_BOTTOM - chart_top, charts[0]),
                  Block(MARGIN + chart_w + 0.3, chart_top, chart_w, BODY_BOTTOM - chart_top, charts[1])]
        first = Slide("Sebaran risiko klien aktif", f"Klien aktif pada {end_label} menurut RRI tercatat dan model "
                      "risiko", blocks, ("klien", "kehadiran"))

        signals = risk.signal_counts(self.f, VIEWER, db_path=self.db_path)
        values = [None if v == SMALL else float(v) for v in signals["klien"]]
        chart = Chart("bar", f"Klien aktif per sinyal peringatan dini, {fmt.date(self.as_of)}",
                      [lab + (" (<10)" if v is None else "") for lab, v in zip(signals["label"], values)],
                      [Series("Klien aktif", values, [_count(v) for v in values], "#C62828")], "count", "klien aktif")
        on_list = warning_list_size(self.f, self.db_path)
        self.figures["peringatan_dini"] = {**dict(zip(signals["sinyal"], values)), "dalam_daftar": on_list}
        active = signals["klien_aktif"].iloc[0] if not signals.empty else 0
        active_text = active if isinstance(active, str) else fmt.number(int(active))
        listed = SMALL if is_small(on_list) else fmt.number(on_list)
        share = ("" if is_small(on_list) or isinstance(active, str) or not active
                 else f" ({fmt.percent(on_list / int(active))})")
        bullets = [f"Pada {fmt.date(self.as_of)}, {listed} dari {active_text} klien aktif{share} masuk daftar "
                   "peringatan dini (paling sedikit satu sinyal). Menurut sinyal:"]
        for label, value in zip(signals["label"], values):
            bullets.append(f"{label}: {_count(value) if value is not None else SMALL} klien.")
        bullets.append("Satu klien dapat memiliki lebih dari satu sinyal. Nama klien hanya tampil di dasbor untuk "
                       "Kepala Bapas dan PK-nya, tidak dalam paparan ini.")
        mangkir = values[list(signals["sinyal"]).index("MANGKIR")] if "MANGKIR" in set(signals["sinyal"]) else None
        tiles = Tiles([("Masuk daftar peringatan dini", listed, f"dari {active_text} klien aktif{share}"),
                       ("Mangkir ≥ 2× berturut-turut", _count(mangkir), "sekali lagi = dasar pencabutan"),
                       ("Tanggal data", fmt.date(self.as_of), "daftar dihitung pada tanggal ini")])
        second = Slide("Peringatan dini", "Jumlah klien aktif per sinyal (tanpa nama)", _split(bullets, chart, tiles),
                       ("klien", "kehadiran"))
        return [first, second]

    # 8 -------------------------------------------------------------------------------------------------
    def budget(self) -> list[Slide]:
        years = anggaran.budget_years(self.f, self.db_path)
        year = anggaran.default_year(self.f, years)
        kinds = ("anggaran", "program")
        if year is None:
            self.figures["anggaran"] = None
            empty = ["Belum ada data anggaran untuk kantor ini s.d. akhir periode."]
            return [Slide("Anggaran", self.period, _split(empty, Text("Belum ada data anggaran.", 14, colour=GREY)),
                          kinds)]
        summary = anggaran.year_summary(self.f, year, self.db_path)
        self.budget_summary = summary
        through = fmt.BULAN[summary["sampai"]]
        accounts = anggaran.absorption_by_account(self.f, year, self.db_path)
        labels = [str(a) for a in accounts["akun"]]
        pagu = [_value(v) for v in accounts["pagu"]]
        real = [_value(v) for v in accounts["realisasi"]]
        chart = Chart("bar", f"Pagu dan realisasi per akun, TA {year} (s.d. {through})", labels, [
            Series("Pagu", pagu, [None if v is None else fmt.rupiah(v) for v in pagu], MUTED),
            Series(f"Realisasi s.d. {through}", real, [None if v is None else fmt.rupiah(v) for v in real], PRIMARY)],
            "rupiah", RUPIAH_AXIS)
        self.figures["anggaran"] = {"tahun": year, "akun": accounts["kode_akun"].tolist(), "pagu": pagu,
                                    "realisasi": real, "serapan": summary["serapan"],
                                    "deviasi_rata": summary["deviasi_rata"]}
        tiles = Tiles([(f"Pagu TA {year}", fmt.rupiah(summary["pagu"]), "pagu tahunan"),
                       (f"Realisasi s.d. {through}", fmt.rupiah(summary["realisasi"]), "Januari s.d. " +
                        fmt.month(dt.date(year, summary["sampai"], 1)).split(" ")[0]),
                       ("Serapan", fmt.percent(summary["serapan"]), "realisasi ÷ pagu")])
        bullets = [f"Realisasi TA {year} s.d. {fmt.month(dt.date(year, summary['sampai'], 1))} "
                   f"{fmt.rupiah(summary['realisasi'])} dari pagu {fmt.rupiah(summary['pagu'])}, serapan "
                   f"{fmt.percent(summary['serapan'])}."]
        with_rate = accounts[accounts["serapan"].notna()]
        if not with_rate.empty:
            top = with_rate.sort_values("serapan", ascending=False, kind="stable").iloc[0]
            low = with_rate.sort_values("serapan", ascending=True, kind="stable").iloc[0]
            bullets.append(f"Serapan tertinggi pada akun {top['akun']} ({fmt.percent(top['serapan'])}), terendah "
                           f"pada akun {low['akun']} ({fmt.percent(low['serapan'])}).")
        over = anggaran.over_ceiling(accounts)
        bullets.append("Akun yang realisasinya melebihi pagu: " + (", ".join(over) if over else "tidak ada") + ".")
        first = Slide("Anggaran: pagu dan realisasi", f"Tahun anggaran {year}, realisasi Januari s.d. {through}",
                      _split(bullets, chart, tiles), kinds)

        monthly = anggaran.monthly_deviation(self.f, year, self.db_path)
        plan = [_value(v) for v in monthly["rencana"]]
        done = [_value(v) for v in monthly["realisasi"]]
        chart = Chart("column", f"Rencana (RPD) dan realisasi per bulan, TA {year}", monthly["nama_bulan"].tolist(), [
            Series("Rencana (RPD)", plan, [None] * len(plan), MUTED),
            Series("Realisasi", done, [None] * len(done), PRIMARY)], "rupiah", RUPIAH_AXIS)
        self.figures["deviasi"] = {"rencana": plan, "realisasi": done,
                                   "deviasi": [_value(v) for v in monthly["deviasi"]]}
        assessed = monthly[monthly["deviasi"].notna()]
        bullets = []
        if summary["deviasi_rata"] is None or assessed.empty:
            bullets.append("Deviasi bulanan belum dapat dihitung: belum ada bulan dengan rencana dan realisasi.")
        else:
            above = int(summary["bulan_di_atas_ambang"])
            bullets.append(f"Rata-rata deviasi bulanan {fmt.percent(summary['deviasi_rata'])}; "
                           f"{fmt.number(above)} dari {fmt.number(int(summary['bulan_dinilai']))} bulan menyimpang "
                           f"lebih dari {fmt.percent(anggaran.DEVIATION_THRESHOLD, 0)} dari rencana.")
            worst = assessed.sort_values("deviasi", ascending=False, kind="stable").iloc[0]
            direction = "di bawah" if worst["selisih"] < 0 else "di atas"
            bullets.append(f"Deviasi terbesar pada {fmt.BULAN[int(worst['bulan'])]}: "
                           f"{fmt.percent(worst['deviasi'])} ({fmt.rupiah(abs(int(worst['selisih'])))} {direction} "
                           "rencana).")
        if summary["sampai"] < 12:
            bullets.append(f"Bulan setelah {through} {year} belum dinilai karena berada di luar periode paparan; "
                           "batangnya hanya menunjukkan rencana.")
        bullets.append("Deviasi = |realisasi − rencana| ÷ rencana per bulan (konsep IKPA «deviasi Halaman III "
                       "DIPA»).")
        second = Slide("Anggaran: deviasi bulanan", f"Tahun anggaran {year}, rencana penarikan dana (RPD) dan "
                       "realisasi", _split(bullets, chart), kinds)

        costs = anggaran.cost_per_participant(self.f, year, VIEWER, self.db_path)
        ordered = costs.sort_values("realisasi", ascending=False, kind="stable")
        shown = anggaran.display_table(ordered, {"program": "Program (angkatan)", "realisasi": "Realisasi",
                                                 "peserta": "Peserta", "biaya_per_peserta": "Biaya per peserta",
                                                 "biaya_per_jam": "Biaya per jam hadir"},
                                       money=("realisasi", "biaya_per_peserta", "biaya_per_jam"),
                                       counts=("peserta",), hidden_with_count=("biaya_per_peserta",))
        table = Table(list(shown.columns), shown.head(MAX_ROWS).astype(str).values.tolist(),
                      [3.4, 1.6, 1.0, 1.5, 1.4], ["l", "r", "r", "r", "r"])
        self.figures["biaya"] = {"program": costs["kode_program"].tolist(),
                                 "biaya_per_peserta": [_value(v) for v in costs["biaya_per_peserta"]]}
        bullets = []
        visible = costs[costs["biaya_per_peserta"].notna()]
        if costs.empty:
            bullets.append(f"Belum ada baris anggaran yang terkait program pada TA {year}.")
        else:
            bullets.append(f"{fmt.number(len(costs))} angkatan program punya baris anggaran pada TA {year}.")
        if not visible.empty:
            top = visible.sort_values("biaya_per_peserta", ascending=False, kind="stable").iloc[0]
            low = visible.sort_values("biaya_per_peserta", ascending=True, kind="stable").iloc[0]
            bullets.append(f"Biaya per peserta tertinggi: {top['program']} ({fmt.rupiah(top['biaya_per_peserta'])}); "
                           f"terendah: {low['program']} ({fmt.rupiah(low['biaya_per_peserta'])}).")
        if costs["disembunyikan"].any() if not costs.empty else False:
            bullets.append("Biaya per peserta angkatan dengan peserta kurang dari 10 orang tidak ditampilkan; biaya "
                           "per jam hadir tetap ditampilkan.")
        bullets.append("Biaya per peserta = realisasi program ÷ klien yang punya catatan kehadiran di program itu.")
        blocks = _split(bullets, table, left=4.0, note=(
            f"Ditampilkan {MAX_ROWS} dari {fmt.number(len(costs))} angkatan dengan realisasi terbesar."
            if len(costs) > MAX_ROWS else None))
        third = Slide("Anggaran: biaya per peserta", f"Tahun anggaran {year}, realisasi s.d. {fmt.month(self.f.akhir)}",
                      blocks, ("anggaran", "program", "kehadiran"))
        return [first, second, third]

    # 9 -------------------------------------------------------------------------------------------------
    def obstacles(self) -> list[Slide]:
        slides = []
        for source, key in ((hambatan.LOG, "hambatan_log"), (hambatan.ABSENCE, "hambatan_absen")):
            pareto = hambatan.category_pareto(self.f, VIEWER, source, self.db_path)
            change = hambatan.category_change(self.f, VIEWER, source, self.db_path)
            body = pareto[pareto["kategori"] != hambatan.TOTAL_KEY] if not pareto.empty else pareto
            factors = [f for f in hambatan.FACTOR_ORDER if f in set(body["faktor"])] if not body.empty else []
            categories = [lab + (f" ({HIDDEN_WORD})" if _missing(n) else "")
                          for lab, n in zip(body.get("label_singkat", []), body.get("jumlah", []))]
            series = []
            for factor in factors:
                values = [_value(n) if f == factor else None for f, n in zip(body["faktor"], body["jumlah"])]
                series.append(Series(hambatan.FACTOR_LABELS[factor], values,
                                     [None if v is None else fmt.number(v) for v in values],
                                     fmt.FACTOR_COLOURS.get(factor, fmt.SUPPRESSED_COLOUR)))
            chart = Chart("bar", f"{source}: jumlah per kategori, {self.period}", categories, series, "count",
                          "jumlah catatan", overlap=True)
            self.figures[key] = {"kategori": body["kategori"].tolist() if not body.empty else [],
                                 "jumlah": [_value(n) for n in body["jumlah"]] if not body.empty else []}
            now, before = hambatan.total_counts(change)
            bullets = [count_sentence(f"Jumlah {'catatan log hambatan' if source == hambatan.LOG else 'ketidakhadiran beralasan'}",
                                      now, before, self.before, hidden=now is None and not change.empty,
                                      previous_hidden=before is None and now is not None)]
            visible = body[~body[HIDDEN_COL]] if not body.empty else body
            if not visible.empty:
                top = visible.iloc[0]
                bullets.append(f"Kategori terbanyak: {top['label']} ({top['label_faktor'].lower()}), "
                               f"{fmt.number(int(top['jumlah']))} catatan ({_pct(top['persen'])}).")
                if len(visible) >= 3 and not _missing(visible.iloc[2]["persen_kumulatif"]):
                    bullets.append(f"Tiga kategori teratas mencakup {fmt.percent(visible.iloc[2]['persen_kumulatif'])} "
                                   "dari semua catatan.")
            moved = change[(change["kategori"] != hambatan.TOTAL_KEY) & ~change[HIDDEN_COL]] if not change.empty \
                else change
            if not moved.empty:
                rise = moved.iloc[0]
                fall = moved.sort_values("selisih", ascending=True, kind="stable").iloc[0]
                if rise["selisih"] > 0:
                    bullets.append(f"Kenaikan terbesar dibanding {self.before}: {rise['label']} "
                                   f"({fmt.change(int(rise['selisih']), minus=fmt.MINUS)}).")
                if fall["selisih"] < 0:
                    bullets.append(f"Penurunan terbesar: {fall['label']} "
                                   f"({fmt.change(int(fall['selisih']), minus=fmt.MINUS)}).")
                if rise["selisih"] <= 0 and fall["selisih"] >= 0:
                    bullets.append(f"Tidak ada kategori yang berubah dibanding {self.before}.")
            if body.empty:
                bullets.append("Tidak ada catatan pada periode ini.")
            elif not _any_value(chart):
                bullets.append("Grafik Pareto tidak digambar: jumlah setiap kategori disembunyikan menurut aturan "
                               "bilangan kecil. Tabel menunjukkan kategori yang tercatat.")
            elif body[HIDDEN_COL].any():
                bullets.append("Kategori yang disembunyikan (aturan bilangan kecil) diletakkan di akhir grafik; "
                               "pada tabel ditulis «<10».")
            rows = []
            table_rows = change[change["kategori"] != hambatan.TOTAL_KEY] if not change.empty else change
            for _, r in table_rows.head(MAX_ROWS).iterrows():
                rows.append([r["label_singkat"], _count(r["sebelumnya"]), _count(r["sekarang"]),
                             "–" if _missing(r["selisih"]) else fmt.change(int(r["selisih"]), minus=fmt.MINUS)])
            if not change.empty:
                t = change[change["kategori"] == hambatan.TOTAL_KEY].iloc[0]
                rows.append(["Jumlah", _count(t["sebelumnya"]), _count(t["sekarang"]),
                             "–" if _missing(t["selisih"]) else fmt.change(int(t["selisih"]), minus=fmt.MINUS)])
            table = Table(["Kategori", self.before, self.period, "Selisih"], rows, [2.4, 1.25, 1.25, 0.9],
                          ["l", "r", "r", "r"])
            blocks = self._obstacle_layout(bullets, chart, table)
            subtitle = (f"{self.period} · Pareto per kategori (warna = faktor internal/eksternal) dan perubahan "
                        f"dibanding {self.before}" if _any_value(chart) else
                        f"{self.period} · jumlah catatan per kategori dibanding {self.before}")
            slides.append(Slide(f"Hambatan: {source.lower()}", subtitle, blocks,
                                hambatan.SOURCE_KINDS[source]))
        return slides

    def _obstacle_layout(self, bullets: list[str], chart: Chart, table: Table) -> list[Block]:
        if not _any_value(chart):       # nothing to draw: the usual bullets-and-table body, no empty chart
            return _split(bullets, table, left=5.2)
        chart_w, top = 6.6, BODY_TOP
        height = BODY_BOTTOM - top
        right_x = MARGIN + chart_w + 0.25
        right_w = W - MARGIN - right_x
        # bullets and table shrink together (the table a point smaller) until both fit one above the other
        size = 14.0
        while size > 9 and (_bullets_height(bullets, size, right_w) + 0.2
                            + sum(_row_heights(table, size - 1, right_w)) > height):
            size -= 0.5
        used = _bullets_height(bullets, size, right_w)
        table_h = height - used - 0.2
        fit_table(table, right_w, table_h, size - 1, 8)
        table_h = min(table_h, sum(table.row_heights))
        return [Block(MARGIN, top, chart_w, height, chart),
                Block(right_x, top, right_w, used, Bullets(bullets, size)),
                Block(right_x, top + used + 0.2, right_w, table_h, table)]

    # 10 ------------------------------------------------------------------------------------------------
    def partners(self) -> Slide:
        counts = mitra.partner_counts(self.f, self.db_path)
        self.partner_counts = counts
        alerts = mitra.agreement_alerts(self.f, self.db_path)
        certified = mitra.certified_share(self.f, self.db_path, quarters=4)
        # active partners at the period's end (the as-of date if earlier), for the LAKIP table; no row: none had a
        # running agreement yet
        self.partners_at_end = int(certified["aktif"].iloc[-1]) if not certified.empty else 0
        self.figures["mitra"] = {**counts, "pks_berakhir": alerts["kode_mitra"].tolist(),
                                 "bersertifikat_triwulan": [_value(v) for v in certified["persen_bersertifikat"]]}
        tiles = Tiles([("Mitra aktif", fmt.number(counts["aktif"]), f"pada {fmt.date(self.as_of)}"),
                       ("Di antaranya bersertifikat", fmt.number(counts["bersertifikat"]), "dapat menerbitkan sertifikat"),
                       ("PKS berakhir ≤ 60 hari", fmt.number(counts["segera_berakhir"]), "perlu diperpanjang"),
                       ("PKS lewat, mitra masih aktif", fmt.number(counts["sudah_berakhir"]), "perlu ditindaklanjuti")])
        bullets = [f"Pada {fmt.date(self.as_of)} tercatat {fmt.number(counts['aktif'])} mitra Pokmas Lipas aktif, "
                   f"{fmt.number(counts['bersertifikat'])} di antaranya bersertifikat."]
        if not certified.empty:
            last = certified.iloc[-1]
            sentence = (f"Bagian mitra aktif yang bersertifikat pada {last['triwulan']}: "
                        f"{_pct(last['persen_bersertifikat'])}")
            if len(certified) > 1 and not _missing(certified.iloc[-2]["persen_bersertifikat"]):
                sentence = share_sentence(f"Bagian mitra aktif yang bersertifikat pada {last['triwulan']}",
                                          _value(last["persen_bersertifikat"]),
                                          _value(certified.iloc[-2]["persen_bersertifikat"]),
                                          certified.iloc[-2]["triwulan"]).rstrip(".")
            bullets.append(sentence + ".")
        ending, lapsed = counts["segera_berakhir"], counts["sudah_berakhir"]
        bullets.append((f"{fmt.number(ending)} PKS berakhir dalam 60 hari" if ending else
                        "Tidak ada PKS yang berakhir dalam 60 hari")
                       + (f"; {fmt.number(lapsed)} PKS sudah lewat sementara mitranya masih tercatat aktif."
                          if lapsed else "; tidak ada PKS mitra aktif yang sudah lewat."))
        rows = [[r["nama_mitra"], r["jenis_mitra"], fmt.date(r["berlaku_sampai"]), r["keadaan"]]
                for _, r in alerts.head(MAX_ROWS).iterrows()]
        if rows:
            visual = Table(["Mitra", "Jenis", "PKS berlaku sampai", "Keadaan"], rows, [2.5, 1.6, 1.6, 2.1],
                           ["l", "l", "r", "l"])
        else:
            visual = Text(f"Tidak ada PKS mitra aktif yang berakhir dalam 60 hari setelah {fmt.date(self.as_of)} "
                          "atau yang sudah lewat.", 14, colour=GREY)
        blocks = _split(bullets, visual, tiles, left=4.6, note=(
            f"Ditampilkan {MAX_ROWS} dari {fmt.number(len(alerts))} PKS." if len(alerts) > MAX_ROWS else None))
        return Slide("Mitra Pokmas Lipas", f"Mitra aktif, sertifikasi dan PKS yang berakhir · data s.d. "
                     f"{fmt.date(self.as_of)}", blocks, ("mitra",))

    # 11 ------------------------------------------------------------------------------------------------
    def lakip(self, target_file: Path) -> Slide:
        realised = self._lakip_values()
        rows, warning = [], None
        try:
            indicators = read_targets(target_file)
        except TargetError as exc:
            indicators, warning = [], str(exc)
            self.warnings.append(warning)
        quarter = (self.f.akhir.month - 1) // 3
        self.figures["lakip"] = []
        for item in indicators:
            value, shown = realised[item["kunci"]]
            target = item["target"] if "target" in item else item["target_triwulan"][quarter]
            unit = TARGET_KEYS[item["kunci"]][1]
            target_text = (f"{'≤ ' if item['arah'] == 'turun' else ''}"
                           + (fmt.number(target, 1 if target % 1 else 0) + "%" if unit == "share"
                              else fmt.number(target)))
            achieved = achievement(value * 100 if unit == "share" and value is not None else value, target,
                                   item["arah"])
            rows.append([item["nama"], target_text, shown, "–" if achieved is None else fmt.number(achieved, 1)])
            self.figures["lakip"].append({"kunci": item["kunci"], "target": target, "realisasi": shown,
                                          "capaian": achieved})
        if warning:
            rows = [[label, "–", shown, "–"] for label, (_, shown) in
                    ((TARGET_KEYS[k][0], realised[k]) for k in TARGET_KEYS)]
        table = Table(["Indikator", "Target", "Realisasi", "Capaian (%)"], rows, [6.0, 1.4, 1.6, 1.5],
                      ["l", "r", "r", "r"])
        width = W - 2 * MARGIN
        note_h = 0.9 if warning else 0.6
        bullets = _lakip_bullets(self.figures["lakip"])
        bullets_h = _bullets_height(bullets, 14, width) if bullets else 0.0
        table_h = BODY_BOTTOM - BODY_TOP - note_h - 0.1 - (bullets_h + 0.15 if bullets else 0)
        fit_table(table, width, table_h, 16, 9)
        table_h = min(table_h, sum(table.row_heights))
        blocks = [Block(MARGIN, BODY_TOP, width, table_h, table)]
        if bullets:
            blocks.append(Block(MARGIN, BODY_TOP + table_h + 0.15, width, bullets_h, Bullets(bullets, 14)))
        note = ("Capaian: arah naik = realisasi ÷ target × 100; arah turun (≤) = (2 × target − realisasi) ÷ target × "
                "100, paling kecil 0. «–»: realisasi disembunyikan (<10) atau belum ada. Target dari berkas "
                f"{_shown_path(target_file)} (dapat diubah operator).")
        if warning:
            note = f"PERHATIAN: {warning} " + note
        text = Text(note, 11, colour="#B71C1C" if warning else GREY)
        text.size = fit_bullets([note], width, note_h, 11, 8)
        blocks.append(Block(MARGIN, BODY_BOTTOM - note_h, width, note_h, text))
        return Slide("Capaian indikator kinerja (LAKIP)", f"{self.period} · realisasi dari angka pada paparan ini",
                     blocks, ("klien", "kehadiran", "anggaran", "mitra"))

    def _lakip_values(self) -> dict[str, tuple[float | None, str]]:
        """Realisation of each target key: (value, as shown); value None where hidden or missing."""
        def kpi(key):
            k = self.kpis[key]
            if k.shown == SMALL or _missing(k.value):
                return None, "–"      # a percentage shown as «<10» would read as «less than 10%»
            return float(k.value), k.shown
        summary = getattr(self, "budget_summary", None) or {}
        deviation = summary.get("deviasi_rata")
        return {"kepatuhan_wajib_lapor": kpi("kepatuhan"), "partisipasi_program": kpi("partisipasi"),
                "klien_berakhir_bekerja": kpi("sejahtera"), "serapan_anggaran": kpi("serapan"),
                "deviasi_halaman_iii": (deviation, fmt.percent(deviation)),
                "mitra_aktif": (float(self.partners_at_end), fmt.number(self.partners_at_end))}

    # 12 ------------------------------------------------------------------------------------------------
    def definitions(self) -> list[Slide]:
        threshold = fmt.percent(getattr(self, "threshold", 0.75), 0)
        items = [f"{name}: {text.format(ambang=threshold)}" for name, text in DEFINITIONS]
        width = (W - 2 * MARGIN - 0.4) / 2
        height = BODY_BOTTOM - BODY_TOP
        half = (len(items) + 1) // 2
        size = min(fit_bullets(items[:half], width, height, 13, 9), fit_bullets(items[half:], width, height, 13, 9))
        blocks = [Block(MARGIN, BODY_TOP, width, height, Bullets(items[:half], size)),
                  Block(MARGIN + width + 0.4, BODY_TOP, width, height, Bullets(items[half:], size))]
        return [Slide("Definisi angka", "Cara setiap angka dihitung (kamus data, bagian 7), dalam bahasa sehari-hari",
                      blocks, ALL_KINDS)]


def warning_list_size(filters: Filters, db_path: Path | None = None) -> int:
    """Active clients with at least one early-warning signal on the as-of date: the length of the list the
    Risiko page shows with every signal chosen (the caller applies the small-number rule)."""
    from analytics import risk
    # risk.signal_counts counts each signal, not the clients on the list; this is its own query (no identity
    # columns, no person scope) with the rows reduced to one count
    fit = risk.fitted(db_path=db_path)
    sql = risk._ACTIVE.format(clients=risk._clients_sql(), identity="1 as _satu", scope="true")
    frame = risk._active_signals(fit, db.frame(sql, {**filters.params(), "hari": fit.as_of}, db_path))
    return int(frame[list(risk.SIGNALS)].any(axis=1).sum())


def _year_sentence(kpi: ringkasan.Kpi, last_year: ringkasan.Kpi, against: str) -> str:
    """The change of a share against the same period last year, as a sentence."""
    hidden = kpi.shown == SMALL
    return share_sentence(kpi.label, kpi.value, None if last_year.shown == SMALL else last_year.value,
                          f"tahun lalu, {against}", hidden,
                          previous_hidden=last_year.shown == SMALL and not hidden)


def _lakip_bullets(rows: list[dict]) -> list[str]:
    """What the LAKIP table says, in two or three sentences (short indicator names)."""
    named = [(TARGET_KEYS[r["kunci"]][0], r["capaian"]) for r in rows]
    known = [(name, value) for name, value in named if value is not None]
    if not known:
        return []
    met = [name for name, value in known if round(value, 1) >= 100]
    out = [f"{fmt.number(len(met))} dari {fmt.number(len(named))} indikator mencapai target (capaian ≥ 100%)"
           + (f": {', '.join(met)}." if met else ".")]
    below = sorted(((v, n) for n, v in known if round(v, 1) < 100), key=lambda t: t[0])
    if below:
        out.append("Belum mencapai target: " + ", ".join(f"{n} (capaian {fmt.number(v, 1)}%)" for v, n in below) + ".")
    unknown = [name for name, value in named if value is None]
    if unknown:
        out.append("Capaian belum dapat dihitung: " + ", ".join(unknown) + ".")
    return out


def achievement(value: float | None, target: float, direction: str) -> float | None:
    """Capaian (%) of a realisation against its target; None when the realisation is unknown or the target is 0."""
    if value is None or not target:
        return None
    if direction == "turun":
        return max(0.0, (2 * target - value) / target * 100)
    return value / target * 100


def _shown_path(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def read_targets(path: Path | None = None) -> list[dict]:
    """The LAKIP indicators and targets of the config file; TargetError (Indonesian) when missing or invalid."""
    path = Path(path) if path else TARGET_FILE
    shown = _shown_path(path)
    if not path.is_file():
        raise TargetError(f"Berkas target LAKIP {shown} tidak ditemukan, sehingga kolom target dan capaian "
                          "kosong. Buat berkas itu (lihat contoh di folder konfigurasi).")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"line (\d+), column (\d+)", str(exc))
        place = f" (baris {where.group(1)}, kolom {where.group(2)})" if where else ""
        raise TargetError(f"Berkas target LAKIP {shown} tidak dapat dibaca: penulisannya tidak sesuai format "
                          f"TOML{place}.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise TargetError(f"Berkas target LAKIP {shown} tidak dapat dibaca.") from exc
    items = data.get("indikator")
    if not isinstance(items, list) or not items:
        raise TargetError(f"Berkas target LAKIP {shown} tidak memuat satu pun [[indikator]].")
    out = []
    for n, item in enumerate(items, start=1):
        def bad(why: str) -> TargetError:
            return TargetError(f"Berkas target LAKIP {shown}, indikator ke-{n}: {why}.")
        if not isinstance(item, dict):
            raise bad("bukan tabel [[indikator]]")
        if item.get("kunci") not in TARGET_KEYS:
            raise bad(f"«kunci» {item.get('kunci')!r} tidak dikenal; pilih salah satu dari {', '.join(TARGET_KEYS)}")
        if not isinstance(item.get("nama"), str) or not item["nama"].strip():
            raise bad("«nama» indikator wajib diisi")
        direction = item.get("arah", "naik")
        if direction not in ("naik", "turun"):
            raise bad("«arah» harus \"naik\" atau \"turun\"")
        entry = {"kunci": item["kunci"], "nama": item["nama"].strip(), "arah": direction}
        if "target_triwulan" in item:
            quarters = item["target_triwulan"]
            if (not isinstance(quarters, list) or len(quarters) != 4
                    or not all(_is_number(q) and q >= 0 for q in quarters)):
                raise bad("«target_triwulan» harus empat angka ≥ 0 (triwulan I–IV)")
            entry["target_triwulan"] = [float(q) for q in quarters]
        elif _is_number(item.get("target")) and item["target"] >= 0:
            entry["target"] = float(item["target"])
        else:
            raise bad("«target» harus angka ≥ 0 (persen ditulis 90 untuk 90%)")
        out.append(entry)
    return out


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def office_names(path: Path | None = None) -> dict[str, str]:
    """Office names for the cover: [kantor] of the target file, and the configured office's `nama_kantor`
    (konfigurasi.toml), which wins for its code."""
    own = {config.kode_bapas(): name} if (name := config.office_name()) else {}
    try:
        data = tomllib.loads(Path(path or TARGET_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return own
    names = data.get("kantor")
    return {**({str(k).upper(): str(v) for k, v in names.items()} if isinstance(names, dict) else {}), **own}


# --- building ------------------------------------------------------------------------------------------------

def _incomplete(filters: Filters, as_of: dt.date) -> bool:
    """The period ends more than a week after the data's as-of date (the last attendance date, which normally falls
    on the last working days of the month)."""
    return (filters.akhir - as_of).days > 7


def period_filters(period: str, months: int, kode_bapas: str | None) -> Filters:
    """Filters of `months` whole months ending with the month `period` ('YYYY-MM'); ReportError when invalid."""
    try:
        end = dt.datetime.strptime(str(period), "%Y-%m").date()
    except ValueError:
        raise ReportError(f"periode tidak valid: {period!r}; tulis tahun-bulan, misalnya 2026-10") from None
    if not isinstance(months, int) or not 1 <= months <= MAX_MONTHS:
        raise ReportError(f"jumlah bulan harus 1–{MAX_MONTHS}, bukan {months}")
    start = add_months(end, -(months - 1))
    return Filters(start, month_end(end), (kode_bapas.strip().upper(),) if kode_bapas else ())


def collect(period: str, months: int, kode_bapas: str | None, db_path: Path | None = None, progress=None,
            target_file: Path | None = None) -> Pack:
    """All slides of the pack for a period and office (ReportError / NoData with an Indonesian message)."""
    path = config.db_path(db_path)
    if not db.is_database(Path(path)):  # the DuckDB file or a Parquet dataset folder
        raise ReportError(f"basis data tidak ditemukan: {path}")
    filters = period_filters(period, months, kode_bapas)
    known = ringkasan.choices(path)["kode_bapas"]
    if kode_bapas and filters.kode_bapas[0] not in known:
        raise ReportError(f"kode Bapas tidak dikenal: {filters.kode_bapas[0]}; yang ada: {', '.join(known) or '–'}")
    as_of = ringkasan.as_of(path)
    names = office_names(target_file)
    if filters.kode_bapas:
        code = filters.kode_bapas[0]
        office = f"{names[code]} ({code})" if code in names else code
    else:
        if len(known) > 3:
            office = f"Semua kantor ({fmt.number(len(known))} Bapas)"
        elif len(known) > 1:
            office = "Semua kantor: " + ", ".join(names.get(c, c) for c in known)
        else:
            office = (f"{names[known[0]]} ({known[0]})" if known and known[0] in names
                      else (known[0] if known else "–"))
    if filters.mulai > as_of:
        raise NoData(f"Tidak ada data untuk periode {fmt.period(filters.mulai, filters.akhir)}: data baru "
                     f"tersedia s.d. {fmt.date(as_of)}.")
    collector = _Collector(filters, as_of, office, path, progress)
    if _incomplete(filters, as_of):
        collector.warnings.append(f"Periode {collector.period} berakhir setelah tanggal data ({fmt.date(as_of)}): "
                                  "angka bulan terakhir belum lengkap.")
    collector.step("Mengambil angka kunci", 0.05)
    slides = [collector.cover(), collector.key_figures()]
    kpis = collector.kpis
    if not kpis["klien_aktif"].value and not kpis["kasus_baru"].value and kpis["kepatuhan"].value is None:
        raise NoData(f"Tidak ada data klien atau kehadiran untuk periode {collector.period}"
                     + (f" di {filters.kode_bapas[0]}" if filters.kode_bapas else "") + ".")
    steps = (("Partisipasi per kegiatan", collector.participation), ("Kepatuhan wajib lapor", collector.compliance),
             ("Kesejahteraan", collector.welfare), ("Penyelesaian program", collector.completion),
             ("Sebaran risiko dan peringatan dini", collector.risk), ("Anggaran", collector.budget),
             ("Hambatan", collector.obstacles), ("Mitra", collector.partners),
             ("Tabel LAKIP", lambda: collector.lakip(Path(target_file) if target_file else TARGET_FILE)),
             ("Definisi", collector.definitions))
    for i, (message, build) in enumerate(steps):
        collector.step(f"Menyusun: {message}", 0.1 + 0.6 * i / len(steps))
        made = build()
        slides.extend(made if isinstance(made, list) else [made])
    sources = {}
    for n, slide in enumerate(slides, start=1):
        if slide.kinds not in sources:
            sources[slide.kinds] = people.sources(slide.kinds, path)
        slide.footer = (f"Sumber: {sources[slide.kinds] or 'belum ada berkas yang dimuat'} · Data s.d. "
                        f"{fmt.date(as_of)} · {n}/{len(slides)}")
    return Pack(slides, collector.figures, collector.warnings, filters, office, as_of)


def build_pack(period: str, months: int, kode_bapas: str | None, fmt: str, out: Path, db_path=None,
               progress=None, target_file: Path | None = None, previews: int = 0) -> dict:
    """Build the pack as .pptx or .pdf at `out`; returns a summary (slide titles, figures, warnings, timing).

    `progress(message, fraction)` is called as the work advances; `previews` > 0 adds that many PNG images of
    the first pages (as the PDF draws them) under "previews".
    """
    started = time.perf_counter()
    if fmt not in FORMATS:
        raise ReportError(f"format harus pptx atau pdf, bukan {fmt!r}")
    out = Path(out)
    if not out.parent.is_dir():
        raise ReportError(f"folder keluaran tidak ada: {out.parent}")
    try:
        pack = collect(period, months, kode_bapas, db_path, progress, target_file)
    except db.DataUnavailable as exc:   # missing, locked or replaced mid-way: one kind of error for CLI and page
        raise ReportError(str(exc)) from exc
    if progress:
        progress("Menulis berkas " + fmt.upper(), 0.75)
    # written beside the target and renamed at the end: a failed write leaves no half file under the name asked for
    partial = out.with_name(f".{out.name}.sebagian")
    try:
        (write_pptx if fmt == "pptx" else write_pdf)(pack, partial)
        os.replace(partial, out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ReportError(f"berkas keluaran tidak dapat ditulis: {out} ({exc.strerror or exc})") from exc
    summary = {
        "out": str(out), "format": fmt, "office": pack.office, "as_of": pack.as_of.isoformat(),
        "period": _period_text(pack.filters), "slides": [s.title for s in pack.slides], "pages": len(pack.slides),
        "figures": pack.figures, "bullets": {s.title: _bullets_of(s) for s in pack.slides},
        "warnings": pack.warnings,
    }
    if previews:
        if progress:
            progress("Membuat pratinjau", 0.9)
        summary["previews"] = preview_png(pack, previews)
    summary["seconds"] = round(time.perf_counter() - started, 2)
    if progress:
        progress("Selesai", 1.0)
    return summary


def _period_text(filters: Filters) -> str:
    return fmt.period(filters.mulai, filters.akhir)


def _bullets_of(slide: Slide) -> list[str]:
    return [item for block in slide.blocks if isinstance(block.content, Bullets) for item in block.content.items]


# --- PowerPoint ------------------------------------------------------------------------------------------------

# Number formats of chart axes and data: literal separators, so every PowerPoint and LibreOffice shows 1.234.567
# whatever its regional settings; shares use the Indonesian locale tag. Data labels carry the exact Indonesian
# text of analytics.format as their own text, the same strings the PDF prints.
COUNT_FORMAT = '[>=1000000]#"."###"."###;[>=1000]#"."###;0'
NUMBER_FORMATS = {"count": COUNT_FORMAT, "percent": "[$-421]0.0%", "rupiah": COUNT_FORMAT}
AXIS_FORMATS = {"count": COUNT_FORMAT, "percent": "0%", "rupiah": '0,," jt"'}


def _rgb(colour: str):
    from pptx.dml.color import RGBColor
    return RGBColor.from_string(colour.lstrip("#").upper())


def write_pptx(pack: Pack, out: Path) -> None:
    """The pack as a 16:9 PowerPoint file with native, editable charts."""
    from pptx import Presentation
    from pptx.util import Inches
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(W), Inches(H)
    prs.core_properties.title = f"Paparan Kanwil {pack.office} {_period_text(pack.filters)}"
    prs.core_properties.subject = "Paparan kinerja Pokmas Lipas"
    prs.core_properties.author = "Dasbor Pokmas Lipas"
    prs.core_properties.language = "id-ID"
    blank = prs.slide_layouts[6]
    for slide in pack.slides:
        page = prs.slides.add_slide(blank)
        _pptx_frame(page, slide)
        for block in slide.blocks:
            _pptx_block(page, block)
    prs.save(str(out))


def _pptx_text(shape, paragraphs: list[tuple[str, float, bool, str]], align: str = "l", anchor: str = "t",
               bullets: bool = False, space_after: float = 0.0):
    from pptx.enum.lang import MSO_LANGUAGE_ID
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
    from pptx.util import Inches, Pt
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = Inches(INSET)
    frame.margin_top = frame.margin_bottom = Inches(INSET / 2)
    frame.vertical_anchor = {"t": MSO_ANCHOR.TOP, "m": MSO_ANCHOR.MIDDLE, "b": MSO_ANCHOR.BOTTOM}[anchor]
    for i, (text, size, bold, colour) in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = {"l": PP_ALIGN.LEFT, "r": PP_ALIGN.RIGHT, "c": PP_ALIGN.CENTER}[align]
        if space_after:
            paragraph.space_after = Pt(space_after)
        if bullets:
            _bullet(paragraph)
        run = paragraph.add_run()
        run.text = text
        font = run.font
        font.size, font.bold, font.name = Pt(size), bold, FONT
        font.color.rgb = _rgb(colour)
        font.language_id = MSO_LANGUAGE_ID.INDONESIAN


def _bullet(paragraph) -> None:
    """A round bullet with a hanging indent."""
    from lxml import etree
    from pptx.oxml.ns import qn
    props = paragraph._p.get_or_add_pPr()
    props.set("marL", str(int(BULLET_INDENT * 914400)))
    props.set("indent", str(-int(BULLET_INDENT * 914400)))
    font = etree.SubElement(props, qn("a:buFont"))
    font.set("typeface", FONT)
    char = etree.SubElement(props, qn("a:buChar"))
    char.set("char", "•")


def _no_shadow(shape) -> None:
    """No shadow: none of its own, and none from the theme's effect style (LibreOffice draws that one)."""
    from pptx.oxml.ns import qn
    shape.shadow.inherit = False
    for ref in shape._element.iter(qn("a:effectRef")):
        ref.set("idx", "0")


def _pptx_frame(page, slide: Slide) -> None:
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Inches
    shapes = page.shapes
    if not slide.cover:
        bar = shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, Inches(0.3), Inches(0.2), Inches(0.65))
        bar.fill.solid()
        bar.fill.fore_color.rgb = _rgb(PRIMARY)
        bar.line.fill.background()
        _no_shadow(bar)
        title = shapes.add_textbox(Inches(MARGIN), Inches(0.25), Inches(W - 2 * MARGIN), Inches(0.7))
        _pptx_text(title, [(slide.title, fit_line(slide.title, W - 2 * MARGIN, 28, 18, True), True, NAVY)],
                   anchor="m")
        title.name = "Judul"
        if slide.subtitle:
            sub = shapes.add_textbox(Inches(MARGIN), Inches(0.95), Inches(W - 2 * MARGIN), Inches(0.4))
            _pptx_text(sub, [(slide.subtitle, fit_line(slide.subtitle, W - 2 * MARGIN, 14, 10), False, GREY)])
    else:
        band = shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, Inches(W), Inches(1.4))
        band.fill.solid()
        band.fill.fore_color.rgb = _rgb(NAVY)
        band.line.fill.background()
        _no_shadow(band)
        _pptx_text(band, [(COVER_BAND, 16, True, "#FFFFFF")], anchor="m")
        band.text_frame.margin_left = Inches(MARGIN + 0.5)
    rule = shapes.add_connector(1, Inches(MARGIN), Inches(6.98), Inches(W - MARGIN), Inches(6.98))
    rule.line.color.rgb = _rgb("#CFD8DC")
    _no_shadow(rule)
    size, lines = _footer_fit(slide.footer)
    footer = shapes.add_textbox(Inches(MARGIN), Inches(7.0), Inches(W - 2 * MARGIN), Inches(0.42))
    _pptx_text(footer, [(slide.footer, size, False, GREY)], anchor="t")
    footer.name = "Sumber data"


def _footer_fit(text: str) -> tuple[float, list[str]]:
    width = W - 2 * MARGIN - 2 * INSET
    for size in (9.0, 8.5, 8.0, 7.5):
        lines = wrap(text, size, width)
        if len(lines) <= (1 if size > 8 else 2):
            return size, lines
    return 7.5, wrap(text, 7.5, width)


def _pptx_block(page, block: Block) -> None:
    from pptx.util import Inches
    content, shapes = block.content, page.shapes
    box = (Inches(block.x), Inches(block.y), Inches(block.w), Inches(block.h))
    if isinstance(content, Bullets):
        _pptx_text(shapes.add_textbox(*box), [(item, content.size, False, TEXT) for item in content.items],
                   bullets=True, space_after=content.size * 0.6)
    elif isinstance(content, Text):
        shape = shapes.add_textbox(*box)
        _pptx_text(shape, [(content.text, content.size, content.bold, content.colour)], align=content.align)
        if content.name:
            shape.name = content.name
    elif isinstance(content, Table):
        _pptx_table(shapes, block, content)
    elif isinstance(content, Tiles):
        _pptx_tiles(shapes, block, content)
    elif isinstance(content, Chart):
        _pptx_chart(shapes, block, content)


def _pptx_tiles(shapes, block: Block, tiles: Tiles) -> None:
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Inches
    gap = 0.2
    width = (block.w - gap * (len(tiles.items) - 1)) / len(tiles.items)
    for i, (label, value, note) in enumerate(tiles.items):
        x = block.x + i * (width + gap)
        tile = shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Inches(x), Inches(block.y), Inches(width),
                                Inches(block.h))
        tile.adjustments[0] = 0.08
        tile.fill.solid()
        tile.fill.fore_color.rgb = _rgb(LIGHT)
        tile.line.fill.background()
        _no_shadow(tile)
        _pptx_text(tile, _tile_lines(label, value, note, width), anchor="m")


def _tile_lines(label: str, value: str, note: str, width: float) -> list[tuple[str, float, bool, str]]:
    return [(label, fit_line(label, width, 12, 8), False, GREY), (value, fit_line(value, width, 24, 12, True), True,
                                                                   NAVY),
            (note, fit_line(note, width, 10, 7), False, GREY)]


def _pptx_table(shapes, block: Block, table: Table) -> None:
    from pptx.util import Inches
    rows, cols = len(table.rows) + 1, len(table.header)
    height = sum(table.row_heights) if table.row_heights else block.h
    frame = shapes.add_table(rows, cols, Inches(block.x), Inches(block.y), Inches(block.w), Inches(height))
    grid = frame.table
    grid.first_row = True
    for j, width in enumerate(_column_widths(table, block.w)):
        grid.columns[j].width = Inches(width)
    for i, row in enumerate([table.header, *table.rows]):
        if table.row_heights:
            grid.rows[i].height = Inches(table.row_heights[i])
        last = i == len(table.rows) and row and row[0] == "Jumlah"
        for j, text in enumerate(row):
            cell = grid.cell(i, j)
            cell.margin_left = cell.margin_right = Inches(INSET)
            cell.margin_top = cell.margin_bottom = Inches(0.04)
            cell.fill.solid()
            cell.fill.fore_color.rgb = _rgb(NAVY if i == 0 else ("#FFFFFF" if i % 2 else "#F5F7F8"))
            frame_ = cell.text_frame
            frame_.word_wrap = True
            paragraph = frame_.paragraphs[0]
            from pptx.enum.text import PP_ALIGN
            from pptx.util import Pt
            paragraph.alignment = PP_ALIGN.RIGHT if table.align[j] == "r" else PP_ALIGN.LEFT
            run = paragraph.add_run()
            run.text = str(text)
            run.font.size, run.font.name = Pt(table.size), FONT
            run.font.bold = i == 0 or bool(last)
            run.font.color.rgb = _rgb("#FFFFFF" if i == 0 else TEXT)


def _labels_below(spec: Chart) -> set[str]:
    """Line series whose labels go under the point: all but the one with the highest last value."""
    if spec.kind != "line":
        return set()
    last = {s.name: next((v for v in reversed(s.values) if v is not None), None) for s in spec.series}
    known = {k: v for k, v in last.items() if v is not None}
    top = max(known, key=known.get) if known else None
    return {name for name in last if name != top}


def _any_value(spec: Chart) -> bool:
    return bool(spec.categories) and any(v is not None for s in spec.series for v in s.values)


def _empty_text(spec: Chart) -> str:
    if spec.categories and spec.series:
        return "Semua angka grafik ini berjumlah 1–9 sehingga disembunyikan (aturan bilangan kecil)."
    return "Tidak ada data pada periode ini."


def _pptx_chart(shapes, block: Block, spec: Chart) -> None:
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_TICK_LABEL_POSITION
    from pptx.oxml.ns import qn
    from pptx.util import Inches, Pt
    if not _any_value(spec):
        _pptx_text(shapes.add_textbox(Inches(block.x), Inches(block.y), Inches(block.w), Inches(block.h)),
                   [(spec.title, 13, True, NAVY), (_empty_text(spec), 14, False, GREY)], space_after=8)
        return
    kind = {"bar": XL_CHART_TYPE.BAR_CLUSTERED, "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
            "line": XL_CHART_TYPE.LINE_MARKERS, "stacked_bar": XL_CHART_TYPE.BAR_STACKED}[spec.kind]
    data = CategoryChartData(number_format=NUMBER_FORMATS[spec.value_kind])
    data.categories = spec.categories
    for series in spec.series:
        data.add_series(series.name, series.values)
    frame = shapes.add_chart(kind, Inches(block.x), Inches(block.y), Inches(block.w), Inches(block.h), data)
    chart = frame.chart
    chart.font.size, chart.font.name = Pt(11), FONT
    chart.has_title = True
    chart.chart_title.text_frame.text = spec.title
    title_run = chart.chart_title.text_frame.paragraphs[0].runs[0]
    title_run.font.size, title_run.font.bold, title_run.font.name = Pt(13), True, FONT
    title_run.font.color.rgb = _rgb(NAVY)
    chart.has_legend = len(spec.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(10)
    values = chart.value_axis
    values.tick_labels.number_format = AXIS_FORMATS[spec.value_kind]
    values.tick_labels.number_format_is_linked = False
    values.tick_labels.font.size = Pt(10)
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = _rgb("#E0E0E0")
    values.minimum_scale = spec.value_min
    if spec.kind == "stacked_bar" or (spec.value_kind == "percent" and spec.kind != "line"):
        values.maximum_scale = 1
    values.has_title = True
    values.axis_title.text_frame.text = spec.value_title
    values.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(10)
    values.axis_title.text_frame.paragraphs[0].runs[0].font.bold = False
    categories = chart.category_axis
    categories.tick_labels.font.size = Pt(10)
    categories.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    if spec.kind in ("bar", "stacked_bar"):
        categories.reverse_order = True   # the first category on top, as in the PDF
        # ... and the value axis still at the bottom: it crosses the category axis at its (now lowest) maximum
        values._element.find(qn("c:crosses")).set("val", "max")
    plot = chart.plots[0]
    if spec.kind in ("bar", "column"):
        plot.gap_width = 60
        plot.overlap = 100 if spec.overlap else (-10 if len(spec.series) > 1 else 0)
    if spec.kind == "stacked_bar":
        plot.gap_width = 50
        plot.overlap = 100
    below = _labels_below(spec)
    for series, drawn in zip(spec.series, plot.series):
        if spec.kind == "line":
            drawn.smooth = False
            drawn.format.line.color.rgb = _rgb(series.colour)
            drawn.format.line.width = Pt(2.5)
            drawn.marker.format.fill.solid()
            drawn.marker.format.fill.fore_color.rgb = _rgb(series.colour)
            drawn.marker.format.line.color.rgb = _rgb(series.colour)
        else:
            drawn.format.fill.solid()
            drawn.format.fill.fore_color.rgb = _rgb(series.colour)
            drawn.invert_if_negative = False
        for i, colour in enumerate(series.point_colours or []):
            point = drawn.points[i]
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = _rgb(colour)
        for i, label in enumerate(series.labels):
            if label is None or series.values[i] is None:
                continue
            data_label = drawn.points[i].data_label
            data_label.text_frame.text = label
            run = data_label.text_frame.paragraphs[0].runs[0]
            run.font.size, run.font.name = Pt(10), FONT
            run.font.color.rgb = _rgb("#FFFFFF" if spec.kind == "stacked_bar" else TEXT)
            data_label.position = (XL_LABEL_POSITION.CENTER if spec.kind == "stacked_bar" else
                                   (XL_LABEL_POSITION.BELOW if series.name in below else XL_LABEL_POSITION.ABOVE)
                                   if spec.kind == "line" else XL_LABEL_POSITION.OUTSIDE_END)


# --- PDF (matplotlib) -----------------------------------------------------------------------------------------

def _figure(slide: Slide):
    import matplotlib
    from matplotlib.figure import Figure
    matplotlib.rcParams["pdf.fonttype"] = 42       # TrueType: searchable, copyable text
    matplotlib.rcParams["font.family"] = MEASURE_FONT
    fig = Figure(figsize=(W, H))
    tr = fig.dpi_scale_trans

    def text(x, y, s, size, colour=TEXT, bold=False, ha="left"):
        fig.text(x, H - y, s, fontsize=size, color=colour, fontweight="bold" if bold else "normal", ha=ha,
                 va="top", transform=tr)

    from matplotlib.patches import FancyBboxPatch, Rectangle
    if slide.cover:
        fig.patches.append(Rectangle((0, H - 1.4), W, 1.4, transform=tr, color=NAVY, zorder=0))
        fig.text(MARGIN + 0.5 + INSET, H - 0.7, COVER_BAND, fontsize=16, fontweight="bold", color="#FFFFFF",
                 va="center", transform=tr)
    else:
        fig.patches.append(Rectangle((0, H - 0.95), 0.2, 0.65, transform=tr, color=PRIMARY))
        size = fit_line(slide.title, W - 2 * MARGIN, 28, 18, True)
        text(MARGIN + INSET, 0.25 + (0.7 - size * 1.2 / 72) / 2, slide.title, size, NAVY, True)
        if slide.subtitle:
            text(MARGIN + INSET, 0.95 + INSET / 2, slide.subtitle, fit_line(slide.subtitle, W - 2 * MARGIN, 14, 10),
                 GREY)
    fig.lines.append(matplotlib.lines.Line2D([MARGIN, W - MARGIN], [H - 6.98, H - 6.98], transform=tr,
                                             color="#CFD8DC", linewidth=0.8))
    size, lines = _footer_fit(slide.footer)
    for i, line in enumerate(lines):
        text(MARGIN + INSET, 7.0 + INSET / 2 + i * size * LINE / 72, line, size, GREY)
    for block in slide.blocks:
        content = block.content
        if isinstance(content, Bullets):
            _pdf_bullets(text, block, content)
        elif isinstance(content, Text):
            y = block.y + INSET / 2
            for line in wrap(content.text, content.size, block.w - 2 * INSET, content.bold):
                x = block.x + INSET if content.align == "l" else block.x + block.w / 2
                text(x, y, line, content.size, content.colour, content.bold, "left" if content.align == "l" else "center")
                y += content.size * LINE / 72
        elif isinstance(content, Tiles):
            gap = 0.2
            width = (block.w - gap * (len(content.items) - 1)) / len(content.items)
            for i, (label, value, note) in enumerate(content.items):
                x = block.x + i * (width + gap)
                fig.patches.append(FancyBboxPatch((x, H - block.y - block.h), width, block.h, transform=tr,
                                                  boxstyle="round,pad=0,rounding_size=0.08", color=LIGHT))
                parts = _tile_lines(label, value, note, width)
                total = sum(p[1] * LINE / 72 for p in parts)
                y = block.y + (block.h - total) / 2
                for s, sz, bold, colour in parts:
                    text(x + INSET, y, s, sz, colour, bold)
                    y += sz * LINE / 72
        elif isinstance(content, Table):
            _pdf_table(fig, text, block, content)
        elif isinstance(content, Chart):
            _pdf_chart(fig, block, content)
    return fig


def _pdf_bullets(text, block: Block, bullets: Bullets) -> None:
    y = block.y + INSET / 2
    size = bullets.size
    for item in bullets.items:
        text(block.x + INSET, y, "•", size)
        for line in wrap(item, size, block.w - BULLET_INDENT - 2 * INSET):
            text(block.x + INSET + BULLET_INDENT, y, line, size)
            y += size * LINE / 72
        y += size * 0.6 / 72


def _pdf_table(fig, text, block: Block, table: Table) -> None:
    from matplotlib.patches import Rectangle
    tr = fig.dpi_scale_trans
    widths = _column_widths(table, block.w)
    heights = table.row_heights or _row_heights(table, table.size, block.w)
    y = block.y
    for i, row in enumerate([table.header, *table.rows]):
        height = heights[i]
        fill = NAVY if i == 0 else ("#FFFFFF" if i % 2 else "#F5F7F8")
        fig.patches.append(Rectangle((block.x, H - y - height), block.w, height, transform=tr, color=fill))
        x = block.x
        last = i == len(table.rows) and row and row[0] == "Jumlah"
        for j, cell in enumerate(row):
            bold = i == 0 or bool(last)
            colour = "#FFFFFF" if i == 0 else TEXT
            for k, line in enumerate(wrap(str(cell), table.size, widths[j] - 2 * INSET, bold)):
                ty = y + 0.06 + k * table.size * LINE / 72
                if table.align[j] == "r":
                    text(x + widths[j] - INSET, ty, line, table.size, colour, bold, "right")
                else:
                    text(x + INSET, ty, line, table.size, colour, bold)
            x += widths[j]
        y += height
    fig.lines.append(__import__("matplotlib").lines.Line2D([block.x, block.x + block.w], [H - y, H - y],
                                                          transform=tr, color="#B0BEC5", linewidth=0.6))


def _pdf_chart(fig, block: Block, spec: Chart) -> None:
    import numpy as np
    from matplotlib.ticker import FuncFormatter, MaxNLocator
    tr_h = lambda y: (H - y) / H  # noqa: E731 - inches from the top → figure fraction
    if not _any_value(spec):
        fig.text((block.x + INSET) / W, tr_h(block.y + INSET / 2), spec.title, fontsize=13, fontweight="bold",
                 color=NAVY, va="top")
        for i, line in enumerate(wrap(_empty_text(spec), 14, block.w - 2 * INSET)):
            fig.text((block.x + INSET) / W, tr_h(block.y + 0.45 + i * 14 * LINE / 72), line, fontsize=14,
                     color=GREY, va="top")
        return
    size = 10
    title_h, legend_h = 0.4, (0.35 if len(spec.series) > 1 else 0)
    horizontal = spec.kind in ("bar", "stacked_bar")
    if horizontal:
        label_w = min(max(text_width(c, size) for c in spec.categories) + 0.15, block.w * 0.45)
        left, bottom = label_w, 0.55 + legend_h
    else:
        left, bottom = 0.85, 0.75 + legend_h
    right, top = 0.25 if not horizontal else 0.6, title_h
    ax = fig.add_axes([(block.x + left) / W, tr_h(block.y + block.h - bottom), (block.w - left - right) / W,
                       (block.h - top - bottom) / H])
    fig.text((block.x + block.w / 2) / W, tr_h(block.y + 0.05), spec.title, fontsize=13, fontweight="bold",
             color=NAVY, ha="center", va="top")
    n, k = len(spec.categories), len(spec.series)
    positions = np.arange(n)
    formatter = {"count": lambda v, _: fmt.number(v), "percent": lambda v, _: fmt.percent(v, 0),
                 "rupiah": lambda v, _: fmt.number(v / 1_000_000) + " jt"}[spec.value_kind]
    if spec.kind == "line":
        for series in spec.series:
            values = np.array([np.nan if v is None else v for v in series.values], dtype=float)
            ax.plot(positions, values, marker="o", color=series.colour, linewidth=2.5, label=series.name)
            under = series.name in _labels_below(spec)
            for i, label in enumerate(series.labels):
                if label is not None and series.values[i] is not None:
                    ax.annotate(label, (i, series.values[i]), textcoords="offset points",
                                xytext=(0, -14 if under else 7), ha="center", fontsize=size)
        ax.set_xticks(positions, spec.categories, fontsize=size)
        ax.set_xlim(-0.5, n - 0.5)
        ax.set_ylim(spec.value_min, 1.0 if spec.value_kind == "percent" else None)
    else:
        thickness = 0.8 / (1 if spec.kind == "stacked_bar" or spec.overlap else k)
        cumulative = np.zeros(n)
        for s_i, series in enumerate(spec.series):
            values = np.array([0.0 if v is None else v for v in series.values], dtype=float)
            offset = 0 if spec.kind == "stacked_bar" or spec.overlap else (s_i - (k - 1) / 2) * thickness
            colours = series.point_colours or series.colour
            if horizontal:
                bars = ax.barh(positions + offset, values, height=thickness, left=cumulative if spec.kind ==
                               "stacked_bar" else None, color=colours, label=series.name)
            else:
                bars = ax.bar(positions + offset, values, width=thickness, color=colours, label=series.name)
            for bar, label, value in zip(bars, series.labels, series.values):
                if label is None or value is None:
                    continue
                if spec.kind == "stacked_bar":
                    ax.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2, label,
                            ha="center", va="center", fontsize=size - 1, color="white")
                elif horizontal:
                    ax.annotate(label, (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                                textcoords="offset points", xytext=(3, 0), va="center", fontsize=size - 1)
                else:
                    ax.annotate(label, (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                                textcoords="offset points", xytext=(0, 3), ha="center", fontsize=size - 1)
            if spec.kind == "stacked_bar":
                cumulative += values
        if horizontal:
            ax.set_yticks(positions, spec.categories, fontsize=size)
            ax.invert_yaxis()
            if spec.value_kind == "percent":
                ax.set_xlim(0, 1.0)
            elif spec.kind == "bar":
                ax.set_xlim(0, ax.get_xlim()[1] * 1.15)   # room for the labels at the bars' ends
        else:
            ax.set_xticks(positions, spec.categories, fontsize=size)
    value_axis = ax.xaxis if horizontal else ax.yaxis
    value_axis.set_major_formatter(FuncFormatter(formatter))
    if spec.value_kind == "count":  # whole numbers only; all zero: an axis to 1, not five ticks all reading 0
        value_axis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        low, high = (ax.get_xlim if horizontal else ax.get_ylim)()
        if high < 1:
            (ax.set_xlim if horizontal else ax.set_ylim)(low, 1)
    (ax.set_xlabel if horizontal else ax.set_ylabel)(spec.value_title, fontsize=size, color=GREY)
    ax.tick_params(labelsize=size)
    ax.grid(axis="x" if horizontal else "y", color="#E0E0E0", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if k > 1:
        fig.legend(*ax.get_legend_handles_labels(), loc="lower center", ncol=min(k, 6), fontsize=size,
                   frameon=False, bbox_to_anchor=((block.x + block.w / 2) / W, tr_h(block.y + block.h)))
    if not horizontal and max(text_width(c, size) for c in spec.categories) > (block.w - left - right) / n * 0.9:
        for label in ax.get_xticklabels():
            label.set_rotation(35)
            label.set_horizontalalignment("right")
            label.set_rotation_mode("anchor")


def write_pdf(pack: Pack, out: Path) -> None:
    """The pack as a PDF, one 16:9 page per slide, drawn offline by matplotlib."""
    from matplotlib.backends.backend_pdf import PdfPages
    with PdfPages(str(out), metadata={"Title": f"Paparan Kanwil {pack.office} {_period_text(pack.filters)}",
                                      "Author": "Dasbor Pokmas Lipas", "Subject": "Paparan kinerja Pokmas Lipas"}) as pdf:
        for slide in pack.slides:
            pdf.savefig(_figure(slide))


def preview_png(pack: Pack, pages: int = 3, dpi: int = 60) -> list[bytes]:
    """PNG images of the first pages, drawn as the PDF draws them."""
    images = []
    for slide in pack.slides[:pages]:
        buffer = io.BytesIO()
        _figure(slide).savefig(buffer, format="png", dpi=dpi)
        images.append(buffer.getvalue())
    return images


# --- command line ---------------------------------------------------------------------------------------------

def add_cli(subparsers) -> argparse.ArgumentParser:
    """Register `report` on the subparsers of `python -m analytics`."""
    parser = subparsers.add_parser(
        "report", help="buat Paparan Kanwil (PowerPoint atau PDF)",
        description="Buat paparan kinerja Pokmas Lipas untuk Kanwil dari basis data, tanpa internet.")
    parser.add_argument("--period", required=True, metavar="YYYY-MM", help="bulan terakhir periode, misalnya 2026-10")
    parser.add_argument("--months", type=int, default=1, metavar="N",
                        help=f"panjang periode dalam bulan, 1–{MAX_MONTHS} (bawaan 1)")
    parser.add_argument("--kode-bapas", metavar="KODE", help="kode kantor (bawaan: semua kantor dalam basis data)")
    parser.add_argument("--format", required=True, choices=FORMATS, help="pptx atau pdf")
    parser.add_argument("--out", required=True, metavar="FILE", help="berkas keluaran")
    parser.add_argument("--db", metavar="PATH", help=config.DB_HELP)
    parser.add_argument("--targets", metavar="TOML", help="berkas target LAKIP (bawaan: konfigurasi/target_lakip.toml)")
    return parser


def run_cli(args) -> int:
    """Run `report`: 0 written, 1 no data for the period, 2 usage error (messages on stderr, in Indonesian)."""
    out = Path(args.out)
    if out.suffix.lower() != f".{args.format}":
        print(f"berkas keluaran harus berakhiran .{args.format}: {out}", file=sys.stderr)
        return USAGE

    def progress(message: str, fraction: float) -> None:
        print(f"[{round(fraction * 100):3d}%] {message}", file=sys.stderr, flush=True)

    try:
        summary = build_pack(args.period, args.months, args.kode_bapas, args.format, out, args.db, progress,
                             Path(args.targets) if getattr(args, "targets", None) else None)
    except ReportError as exc:
        print(str(exc), file=sys.stderr)
        return exc.status
    for warning in summary["warnings"]:
        print(f"PERHATIAN: {warning}", file=sys.stderr)
    print(f"Paparan {summary['period']} · {summary['office']} disimpan: {summary['out']} — "
          f"{summary['pages']} halaman, {fmt.number(summary['seconds'], 1)} detik.")
    return OK
