"""Paparan Kanwil: the pack's slides, charts and numbers against the analytics functions, privacy, CLI, page."""
import datetime as dt
import io
import re
import sqlite3
import zipfile

import pandas as pd
import pytest
import streamlit as st
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from analytics import anggaran, format as fmt, hambatan, mitra, partisipasi, report, ringkasan
from analytics.accounts import Account, Store
from analytics.filters import Filters
from analytics.privacy import SMALL
from analytics.viewer import Viewer
from tests.conftest import query

PERIOD, MONTHS, OFFICE = "2026-10", 3, "BAPAS-BDL"
FILTERS = Filters(dt.date(2026, 8, 1), dt.date(2026, 10, 31), (OFFICE,))
KANWIL = Viewer("uji", "kanwil")
TITLES = ["Paparan Kinerja Pokmas Lipas", "Angka kunci", "Partisipasi per kegiatan", "Kepatuhan wajib lapor",
          "Kesejahteraan klien yang berakhir", "Penyelesaian program", "Sebaran risiko klien aktif",
          "Peringatan dini", "Anggaran: pagu dan realisasi", "Anggaran: deviasi bulanan",
          "Anggaran: biaya per peserta", "Hambatan: log hambatan", "Hambatan: alasan ketidakhadiran",
          "Mitra Pokmas Lipas", "Capaian indikator kinerja (LAKIP)", "Definisi angka"]


@pytest.fixture(scope="module")
def pack(demo_db):
    """The slides for Agu–Okt 2026 at the demo office, and the progress reported while collecting them."""
    steps = []
    return report.collect(PERIOD, MONTHS, OFFICE, demo_db, lambda message, fraction: steps.append(fraction)), steps


@pytest.fixture(scope="module")
def files(pack, tmp_path_factory):
    """The same slides written as PowerPoint and as PDF."""
    folder = tmp_path_factory.mktemp("paparan")
    report.write_pptx(pack[0], folder / "paparan.pptx")
    report.write_pdf(pack[0], folder / "paparan.pdf")
    return {"pptx": folder / "paparan.pptx", "pdf": folder / "paparan.pdf"}


@pytest.fixture(scope="module")
def deck(files):
    return Presentation(str(files["pptx"]))


@pytest.fixture(scope="module")
def pdf_pages(files) -> list[str]:
    return [page.extract_text() for page in PdfReader(str(files["pdf"])).pages]


def _bullets(pack, title: str) -> list[str]:
    [slide] = [s for s in pack[0].slides if s.title == title]
    return report._bullets_of(slide)


def _title(slide) -> str:
    named = [s for s in slide.shapes if s.name == "Judul"]
    shape = named[0] if named else next(s for s in slide.shapes if s.has_text_frame and s.text_frame.text.strip()
                                        and s.shape_type == MSO_SHAPE_TYPE.TEXT_BOX)
    return shape.text_frame.text


def _charts(deck) -> dict[str, object]:
    return {shape.chart.chart_title.text_frame.text: shape.chart
            for slide in deck.slides for shape in slide.shapes if shape.has_chart}


def _chart(deck, prefix: str):
    [chart] = [c for title, c in _charts(deck).items() if title.startswith(prefix)]
    return chart


def _values(series) -> list:
    return [None if v is None else round(v, 9) for v in series.values]


def _expected(values) -> list:
    return [None if pd.isna(v) else round(float(v), 9) for v in values]


# --- structure --------------------------------------------------------------------------------------------

def test_slides_titles_and_progress(pack, deck, pdf_pages):
    slides, steps = pack
    assert [_title(s) for s in deck.slides] == TITLES == [s.title for s in slides.slides]
    assert deck.slide_width / deck.slide_height == pytest.approx(16 / 9, rel=1e-3)
    assert steps == sorted(steps) and len(steps) >= 10
    assert slides.warnings == []
    assert len(pdf_pages) == len(TITLES)
    assert [" ".join(p.split()).startswith(t) or t in p for p, t in zip(pdf_pages, TITLES)] == [True] * len(TITLES)


def test_charts_are_native_and_editable(deck):
    charts = _charts(deck)
    kinds = {title.split(",")[0].split(" (")[0]: chart.chart_type for title, chart in charts.items()}
    assert kinds["Partisipasi per kelompok kegiatan"] == XL_CHART_TYPE.BAR_CLUSTERED
    assert kinds["Kepatuhan wajib lapor per bulan"] == XL_CHART_TYPE.LINE_MARKERS
    assert kinds["Status pekerjaan klien yang mengakhiri bimbingan"] == XL_CHART_TYPE.BAR_STACKED
    assert kinds["Rencana"] == XL_CHART_TYPE.COLUMN_CLUSTERED
    assert kinds["Pagu dan realisasi per akun"] == XL_CHART_TYPE.BAR_CLUSTERED
    assert kinds["Kategori RRI tercatat"] == XL_CHART_TYPE.BAR_CLUSTERED
    assert len(charts) >= 8
    pictures = [s for slide in deck.slides for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert pictures == []


def test_text_fits_its_boxes(pack):
    """Measured with the (wider) PDF font, every bullet list and table fits the box it is drawn in."""
    checked = 0
    for slide in pack[0].slides:
        for block in slide.blocks:
            assert block.x >= 0 and block.y >= 0 and block.x + block.w <= report.W + 1e-6, slide.title
            assert block.y + block.h <= 6.95, slide.title
            if isinstance(block.content, report.Bullets):
                assert report._bullets_height(block.content.items, block.content.size, block.w) <= block.h + 1e-6
                checked += 1
            if isinstance(block.content, report.Table):
                assert sum(block.content.row_heights) <= block.h + 1e-6, slide.title
                checked += 1
        assert len(report._footer_fit(slide.footer)[1]) <= 2
    assert checked >= 15


def test_blocks_do_not_overlap(pack):
    """No two blocks of a slide share any area (text can only run into text through overlapping boxes)."""
    for slide in pack[0].slides:
        boxes = [(b.x, b.y, b.x + b.w, b.y + b.h) for b in slide.blocks]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                apart = a[2] <= b[0] + 1e-6 or b[2] <= a[0] + 1e-6 or a[3] <= b[1] + 1e-6 or b[3] <= a[1] + 1e-6
                assert apart, (slide.title, a, b)


def test_no_english_or_missing_value_words(files, pdf_pages):
    """What the audience reads (slides, charts and their workbooks; the unused template layouts aside)."""
    shown = _pptx_text(files["pptx"], parts=("ppt/slides/", "ppt/charts/", "ppt/embeddings/"))
    for text in (shown, "\n".join(pdf_pages)):
        visible = re.sub(r"<[^>]+>", " ", text)           # the XML's text, not its tags and attribute names
        assert not set(_words(visible)) & {"none", "nan", "null", "series", "chart", "title", "the", "and", "of",
                                           "page", "source", "date", "other", "click"}


def test_hidden_values_are_never_shown_as_small_percentages(pack):
    """«<10» is a count: a hidden share or rate is «–», a hidden chart category says «disembunyikan»."""
    slides = {s.title: s for s in pack[0].slides}
    for slide in pack[0].slides:
        for block in slide.blocks:
            chart = block.content
            if isinstance(chart, report.Chart):
                for i, category in enumerate(chart.categories):
                    hidden = all(s.values[i] is None for s in chart.series)
                    if category.endswith(f"({report.HIDDEN_WORD})") or category.endswith("(<10)"):
                        assert hidden, (chart.title, category)
                    if category.endswith("(<10)"):
                        assert chart.title.startswith("Klien aktif per sinyal"), category  # primary suppression only
    [completion] = [b.content for b in slides["Penyelesaian program"].blocks if isinstance(b.content, report.Table)]
    assert SMALL not in [row[-1] for row in completion.rows]
    [lakip] = [b.content for b in slides["Capaian indikator kinerja (LAKIP)"].blocks
               if isinstance(b.content, report.Table)]
    assert all(row[2] != SMALL for row in lakip.rows if row[2].endswith("%") or row[2] in (SMALL, "–"))


# --- the numbers are the analytics functions' numbers ----------------------------------------------------------

def test_compliance_series_equal_the_trend(deck, demo_db):
    trend = ringkasan.compliance_trend(FILTERS, KANWIL, demo_db)
    chart = _chart(deck, "Kepatuhan wajib lapor per bulan")
    on_time, punctual = chart.plots[0].series
    assert _values(on_time) == _expected(trend["kepatuhan"])
    assert _values(punctual) == _expected(trend["tepat_waktu_persen"])
    assert list(chart.plots[0].categories) == [partisipasi.month_label(m) for m in trend["bulan"]]
    assert None in _values(on_time) or not (trend["hadir"] == SMALL).any()  # hidden months stay gaps


def test_participation_series_equal_the_monthly_rates(deck, demo_db):
    frame = partisipasi.participation_by_month(FILTERS, KANWIL, demo_db)
    frame["bulan"] = pd.to_datetime(frame["bulan"])
    chart = _chart(deck, "Partisipasi per kelompok kegiatan")
    assert list(chart.plots[0].categories) == list(partisipasi.KELOMPOK.values())
    months = [pd.Timestamp(2026, m, 1) for m in (8, 9, 10)]
    assert [s.name for s in chart.plots[0].series] == [partisipasi.month_label(m) for m in months]
    for series, month in zip(chart.plots[0].series, months):
        rows = frame[frame["bulan"] == month].set_index("kelompok").reindex(list(partisipasi.KELOMPOK))
        assert _values(series) == _expected(rows["persen"])


def test_budget_series_equal_the_budget_functions(deck, demo_db):
    accounts = anggaran.absorption_by_account(FILTERS, 2026, demo_db)
    pagu, real = _chart(deck, "Pagu dan realisasi per akun, TA 2026").plots[0].series
    assert _values(pagu) == _expected(accounts["pagu"]) and _values(real) == _expected(accounts["realisasi"])
    monthly = anggaran.monthly_deviation(FILTERS, 2026, demo_db)
    plan, done = _chart(deck, "Rencana (RPD) dan realisasi per bulan").plots[0].series
    assert _values(plan) == _expected(monthly["rencana"]) and _values(done) == _expected(monthly["realisasi"])


def test_risk_and_obstacle_series_equal_their_functions(deck, demo_db):
    from analytics import risk
    rows = risk.basis_rows(risk.risk_distribution(FILTERS, KANWIL, db_path=demo_db), "rri")
    rows = rows[pd.to_datetime(rows["bulan"]) == pd.Timestamp(2026, 10, 1)]
    [series] = _chart(deck, "Kategori RRI tercatat").plots[0].series
    assert _values(series) == _expected(rows["klien"])
    signals = risk.signal_counts(FILTERS, KANWIL, db_path=demo_db)
    [series] = _chart(deck, "Klien aktif per sinyal peringatan dini").plots[0].series
    assert _values(series) == [None if v == SMALL else float(v) for v in signals["klien"]]
    pareto = hambatan.category_pareto(FILTERS, KANWIL, hambatan.ABSENCE, demo_db)
    pareto = pareto[pareto["kategori"] != hambatan.TOTAL_KEY]
    chart = _chart(deck, "Alasan ketidakhadiran: jumlah per kategori")
    per_category = [next((v for v in values if v is not None), None)
                    for values in zip(*[_values(s) for s in chart.plots[0].series])]
    assert per_category == _expected(pareto["jumlah"])
    assert [s.name for s in chart.plots[0].series] == [hambatan.FACTOR_LABELS[f] for f in hambatan.FACTOR_ORDER
                                                       if f in set(pareto["faktor"])]


def test_welfare_series_equal_the_outcomes_of_ended_cases(deck, pack, demo_db):
    frame = partisipasi.welfare_outcomes(FILTERS, KANWIL, "kategori", demo_db)
    groups = list(dict.fromkeys(frame["grup"]))
    drawn = [g for g in groups if frame[frame["grup"] == g]["persen"].gt(0).any()]
    chart = _chart(deck, "Status pekerjaan klien yang mengakhiri bimbingan")
    assert chart.chart_type == XL_CHART_TYPE.BAR_STACKED
    assert len(list(chart.plots[0].categories)) == len(drawn) >= 1
    names = {label: code for code, label in partisipasi.PEKERJAAN.items()}
    for series in chart.plots[0].series:
        rows = frame[frame["pekerjaan"] == names[series.name]].set_index("grup").reindex(drawn)
        assert _values(series) == _expected(rows["persen"])
    left_out = pack[0].figures["kesejahteraan"]["tidak_digambar"]
    assert left_out == [g for g in groups if g not in drawn]
    text = " ".join(_bullets(pack, "Kesejahteraan klien yang berakhir"))
    for group in left_out:
        assert frame[frame["grup"] == group]["label"].iloc[0] in text


def test_early_warning_count_is_the_length_of_the_list(pack, deck, demo_db):
    from analytics import risk
    listed = len(risk.early_warning(Viewer("uji", "kepala"), FILTERS, db_path=demo_db))
    assert pack[0].figures["peringatan_dini"]["dalam_daftar"] == listed > 0
    shown = SMALL if 1 <= listed <= 9 else fmt.number(listed)
    slide = deck.slides[TITLES.index("Peringatan dini")]
    text = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    assert f"{shown} dari" in text and "masuk daftar peringatan dini" in text


def test_lakip_bullets_say_what_the_table_says(pack):
    rows = pack[0].figures["lakip"]
    met = [r for r in rows if r["capaian"] is not None and round(r["capaian"], 1) >= 100]
    below = [r for r in rows if r["capaian"] is not None and round(r["capaian"], 1) < 100]
    bullets = _bullets(pack, "Capaian indikator kinerja (LAKIP)")
    assert bullets[0].startswith(f"{len(met)} dari {len(rows)} indikator mencapai target")
    if below:
        lowest = min(below, key=lambda r: r["capaian"])
        assert bullets[1].startswith(f"Belum mencapai target: {report.TARGET_KEYS[lowest['kunci']][0]} "
                                     f"(capaian {fmt.number(lowest['capaian'], 1)}%)")


def test_labels_and_axes_use_indonesian_formats(deck):
    chart = _chart(deck, "Kepatuhan wajib lapor per bulan")
    labels = [p.data_label.text_frame.text for s in chart.plots[0].series for p in s.points
              if p.data_label.has_text_frame and p.data_label.text_frame.text]
    assert labels == [fmt.percent(s.values[-1]) for s in chart.plots[0].series]
    assert all(re.fullmatch(r"\d{1,3},\d%", text) for text in labels)
    assert chart.value_axis.tick_labels.number_format == "0%"
    money = _chart(deck, "Pagu dan realisasi per akun")
    labels = [p.data_label.text_frame.text for s in money.plots[0].series for p in s.points]
    assert labels and all(re.fullmatch(r"Rp\d{1,3}(\.\d{3})*", text) for text in labels)
    assert money.value_axis.tick_labels.number_format == '0,," jt"'
    risk_chart = _chart(deck, "Kategori RRI tercatat")
    assert risk_chart.value_axis.tick_labels.number_format == report.COUNT_FORMAT


def test_key_figures_table_and_pdf_text(pdf_pages, deck, demo_db):
    kpis = ringkasan.key_figures(FILTERS, KANWIL, demo_db)
    [table] = [s.table for s in deck.slides[1].shapes if s.has_table]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert [r[:3] for r in rows[1:]] == [[k.label, k.shown, report.printed_change(k.delta) or "–"] for k in kpis]
    changes = [c for r in rows[1:] for c in r[2:]]
    assert not any(c.startswith("-") for c in changes)  # the dashboard's minus (−3), not a hyphen
    page = " ".join(pdf_pages[1].split())
    for kpi in kpis:
        assert kpi.label in page and kpi.shown in page
    assert all(c in page for c in changes if c.startswith(fmt.MINUS))
    budget = anggaran.year_summary(FILTERS, 2026, demo_db)
    budget_page = pdf_pages[TITLES.index("Anggaran: pagu dan realisasi")]
    assert fmt.rupiah(budget["pagu"]) in budget_page and fmt.percent(budget["serapan"]) in budget_page


def test_changes_on_the_slides_use_the_dashboards_minus(deck):
    """«(-3)» in a table or a bullet read unlike the dashboard's «(−3)»."""
    texts = [c.text for slide in deck.slides for shape in slide.shapes if shape.has_table
             for row in shape.table.rows for c in row.cells]
    texts += [shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame]
    assert texts and not [t for t in texts if re.search(r"(^|[\s(])-\d", t)]


def test_narrative_sentences_follow_the_figures(pack, deck, pdf_pages, demo_db):
    kpis = {k.key: k for k in ringkasan.key_figures(FILTERS, KANWIL, demo_db)}
    bullets = _bullets(pack, "Angka kunci")
    before = "Mei–Jul 2026"
    for key, sentence in zip(("klien_aktif", "kepatuhan", "partisipasi"), bullets):
        k = kpis[key]
        if k.kind == "share":
            delta = round((k.value - k.previous) * 100, 1)
            word = "naik" if delta > 0 else "turun"
            expected = (f"{k.label} tetap {fmt.percent(k.value)}" if delta == 0 else
                        f"{k.label} {word} {fmt.number(abs(delta), 1)} poin menjadi {fmt.percent(k.value)} "
                        f"dibanding {before} ({fmt.percent(k.previous)})")
        else:
            delta = k.value - k.previous
            word = "bertambah" if delta > 0 else "berkurang"
            expected = (f"{k.label} tetap {fmt.number(k.value)}" if delta == 0 else
                        f"{k.label} {word} {fmt.number(abs(delta))} menjadi {fmt.number(k.value)} orang")
        assert sentence.startswith(expected), (sentence, expected)
    revocations = bullets[4]
    if kpis["pencabutan"].shown == SMALL:
        assert SMALL in revocations and not re.search(r"\b[1-9]\b", revocations.replace("1–9", ""))
    # the same sentences are in both files
    slide_text = " ".join(s.text_frame.text for s in deck.slides[1].shapes if s.has_text_frame)
    pdf_text = " ".join(pdf_pages[1].split())
    for sentence in bullets:
        assert sentence in slide_text
        assert sentence in pdf_text


def test_lakip_table_reads_targets_and_computes_achievement(deck, demo_db):
    targets = {t["kunci"]: t for t in report.read_targets()}
    [table] = [s.table for s in deck.slides[TITLES.index("Capaian indikator kinerja (LAKIP)")].shapes if s.has_table]
    rows = {r[0]: r[1:] for r in ([c.text for c in row.cells] for row in list(table.rows)[1:])}
    assert [[c.text for c in table.rows[0].cells]] == [["Indikator", "Target", "Realisasi", "Capaian (%)"]]
    kpi = {k.key: k for k in ringkasan.key_figures(FILTERS, KANWIL, demo_db)}["kepatuhan"]
    item = targets["kepatuhan_wajib_lapor"]
    assert rows[item["nama"]] == [fmt.number(item["target"]) + "%", kpi.shown,
                                  fmt.number(kpi.value * 100 / item["target"] * 100, 1)]
    item = targets["serapan_anggaran"]
    assert rows[item["nama"]][0] == fmt.number(item["target_triwulan"][3]) + "%"  # October is in quarter IV
    item = targets["mitra_aktif"]
    active = mitra.certified_share(FILTERS, demo_db, quarters=4)["aktif"].iloc[-1]   # on 31 Oct 2026
    assert rows[item["nama"]][1:] == [fmt.number(active), fmt.number(active * 100 / item["target"], 1)]
    assert len(rows) == len(targets)


@pytest.mark.parametrize("value, target, direction, expected", [
    (90, 90, "naik", 100), (45, 90, "naik", 50), (5, 5, "turun", 100), (10, 5, "turun", 0), (20, 5, "turun", 0),
    (2.5, 5, "turun", 150), (None, 5, "naik", None), (3, 0, "naik", None)])
def test_achievement(value, target, direction, expected):
    assert report.achievement(value, target, direction) == expected


# --- privacy --------------------------------------------------------------------------------------------------

def _pptx_text(path, parts: tuple[str, ...] = ("",)) -> str:
    """Every XML part of the file (or of the folders `parts`) and every cell of the charts' embedded workbooks."""
    import openpyxl
    found = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not name.startswith(parts):
                continue
            data = archive.read(name)
            if name.endswith((".xml", ".rels")):
                # font names of the theme (one is "Kartika", also a given name) are not text of the document
                found.append(re.sub(r'typeface="[^"]*"', "", data.decode("utf-8")))
            elif name.endswith(".xlsx"):
                book = openpyxl.load_workbook(io.BytesIO(data))
                found += [str(c.value) for sheet in book for row in sheet.iter_rows() for c in row
                          if c.value is not None]
    return "\n".join(found)


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower())


def _identities(db_path) -> tuple[dict[tuple, str], set[str]]:
    """Client and PK names (as word sequences, degrees left out), and NIK, register numbers and PK NIPs."""
    rows = query(db_path, "select nama, nik, no_register, pk_nip, pk_nama from klien")
    names = {n for r in rows for n in (r[0], r[4].split(",")[0] if r[4] else None) if n}
    codes = {c for r in rows for c in r[1:4] if c}
    return {tuple(_words(n)): n for n in names}, codes


def _leaks(text: str, names: dict[tuple, str], codes: set[str]) -> list[str]:
    """The names (whole words, any case) and codes found in the text."""
    words = _words(text)
    found = {c for c in codes if c in text}
    for size in {len(k) for k in names}:
        for i in range(len(words) - size + 1):
            if tuple(words[i:i + size]) in names:
                found.add(names[tuple(words[i:i + size])])
    return sorted(found)


def test_no_personal_data_in_either_file(files, pack, pdf_pages, demo_db):
    names, codes = _identities(demo_db)
    assert len(codes) > 2000 and len(names) > 1000
    pptx_text = _pptx_text(files["pptx"])
    pdf_text = "\n".join(pdf_pages)
    figures = repr(pack[0].figures)
    for text in (pptx_text, pdf_text):
        assert OFFICE in text and "Kepatuhan wajib lapor" in text  # the scan reads the files' real text
        assert _leaks(text, names, codes) == []
    assert _leaks(figures, names, codes) == []
    name, register = query(demo_db, "select nama, no_register from klien limit 1")[0]
    assert _leaks(pptx_text + f" {name.upper()} {register}", names, codes) == sorted({name, register})


# --- narrative helpers ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("args, expected", [
    ((0.914, 0.882, "Mei–Jul 2026"), "Kepatuhan naik 3,2 poin menjadi 91,4% dibanding Mei–Jul 2026 (88,2%)."),
    ((0.85, 0.9, "Mei–Jul 2026"), "Kepatuhan turun 5,0 poin menjadi 85,0% dibanding Mei–Jul 2026 (90,0%)."),
    ((0.9141, 0.9139, "Mei–Jul 2026"), "Kepatuhan tetap 91,4%, sama dengan Mei–Jul 2026."),
    ((0.9, None, "Mei–Jul 2026"), "Kepatuhan 90,0%; angka Mei–Jul 2026 tidak tersedia, jadi tidak dibandingkan."),
    ((None, 0.9, "Mei–Jul 2026"), "Kepatuhan belum dapat dihitung untuk periode ini (tidak ada data)."),
])
def test_share_sentence(args, expected):
    assert report.share_sentence("Kepatuhan", *args) == expected


def test_share_sentence_with_hidden_values():
    hidden = report.share_sentence("Kepatuhan", 0.5, 0.4, "Mei–Jul 2026", hidden=True)
    assert SMALL in hidden and "50" not in hidden and "poin" not in hidden
    before = report.share_sentence("Kepatuhan", 0.5, 0.4, "Mei–Jul 2026", previous_hidden=True)
    assert before.startswith("Kepatuhan 50,0%;") and "40" not in before and "poin" not in before


@pytest.mark.parametrize("value, previous, expected", [
    (333, 323, "Klien aktif bertambah 10 menjadi 333 orang dibanding Mei–Jul 2026 (323)."),
    (1200, 1234, "Klien aktif berkurang 34 menjadi 1.200 orang dibanding Mei–Jul 2026 (1.234)."),
    (50, 50, "Klien aktif tetap 50 orang, sama dengan Mei–Jul 2026."),
])
def test_count_sentence(value, previous, expected):
    assert report.count_sentence("Klien aktif", value, previous, "Mei–Jul 2026", "orang") == expected


def test_kpi_sentence_and_year_change_respect_suppression():
    def kpi(value, previous, shown, delta, suppressed, kind="count"):
        return ringkasan.Kpi("x", "Pencabutan", value, previous, shown, delta, kind, "", None, suppressed)
    assert SMALL in report.kpi_sentence(kpi(3, 12, SMALL, "", True), "Mei–Jul 2026")
    assert "3" not in report.kpi_sentence(kpi(3, 12, SMALL, "", True), "Mei–Jul 2026").replace("1–9", "")
    shown_now = report.kpi_sentence(kpi(12, 3, "12", "", True), "Mei–Jul 2026")
    assert shown_now.startswith("Pencabutan 12;") and "disembunyikan" in shown_now and "3" not in shown_now
    assert report.year_change(kpi(12, 0, "12", "+12", False), kpi(3, 0, SMALL, "", True)) == ""
    assert report.year_change(kpi(12, 0, "12", "+12", False), kpi(20, 0, "20", "", False)) == "-8"
    share = kpi(0.9, 0.8, "90,0%", "+10,0 poin", False, "share")
    assert report.year_change(share, kpi(0.85, None, "85,0%", "", False, "share")) == "+5,0 poin"


@pytest.mark.parametrize("now, last_year, kind, expected", [
    (12, 20, "count", "\u22128"), (0.8, 0.85, "share", "\u22125,0 poin"), (20, 12, "count", "+8"), (5, 5, "count", "±0"),
])
def test_year_change_on_a_slide_writes_a_fall_with_the_dashboards_minus(now, last_year, kind, expected):
    """The slides read «(-3)» where the dashboard reads «(−3)»; the JSON of figures keeps the ASCII sign."""
    def kpi(value):
        return ringkasan.Kpi("x", "Pencabutan", value, None, str(value), "", kind, "", None, False)
    assert report.year_change(kpi(now), kpi(last_year), minus=fmt.MINUS) == expected
    assert report.year_change(kpi(now), kpi(last_year)) == expected.replace(fmt.MINUS, "-")


@pytest.mark.parametrize("delta, printed", [
    ("-3", "\u22123"), ("-1,2 poin", "\u22121,2 poin"), ("+3", "+3"), ("±0", "±0"), ("", ""), ("–", "–"),
])
def test_printed_change(delta, printed):
    assert report.printed_change(delta) == printed


# --- the target file ------------------------------------------------------------------------------------------

def test_missing_target_file_says_so_in_the_pack(demo_db, tmp_path):
    missing = tmp_path / "tidak-ada.toml"
    pack = report.collect(PERIOD, MONTHS, OFFICE, demo_db, target_file=missing)
    assert len(pack.warnings) == 1 and "tidak ditemukan" in pack.warnings[0] and "tidak-ada.toml" in pack.warnings[0]
    [slide] = [s for s in pack.slides if s.title.startswith("Capaian")]
    notes = [b.content.text for b in slide.blocks if isinstance(b.content, report.Text)]
    assert any(n.startswith("PERHATIAN: Berkas target LAKIP") for n in notes)
    [table] = [b.content for b in slide.blocks if isinstance(b.content, report.Table)]
    assert {row[1] for row in table.rows} == {"–"} and {row[3] for row in table.rows} == {"–"}


@pytest.mark.parametrize("text, message", [
    ("[[indikator]]\nkunci = \n", "penulisannya tidak sesuai format TOML (baris 2, kolom"),
    ("judul = 'tanpa indikator'\n", "tidak memuat satu pun [[indikator]]"),
    ("[[indikator]]\nkunci = 'residivisme'\nnama = 'x'\ntarget = 5\n", "«kunci» 'residivisme' tidak dikenal"),
    ("[[indikator]]\nkunci = 'mitra_aktif'\nnama = ''\ntarget = 5\n", "«nama» indikator wajib diisi"),
    ("[[indikator]]\nkunci = 'mitra_aktif'\nnama = 'Mitra'\ntarget = 'banyak'\n", "«target» harus angka"),
    ("[[indikator]]\nkunci = 'mitra_aktif'\nnama = 'Mitra'\ntarget = 5\narah = 'atas'\n", "«arah» harus"),
    ("[[indikator]]\nkunci = 'serapan_anggaran'\nnama = 'S'\ntarget_triwulan = [10, 20]\n", "empat angka"),
])
def test_invalid_target_file_messages(tmp_path, text, message):
    path = tmp_path / "target.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(report.TargetError) as caught:
        report.read_targets(path)
    assert message in str(caught.value) and "target.toml" in str(caught.value)


def test_shipped_target_file_is_valid():
    items = report.read_targets()
    assert {i["kunci"] for i in items} == set(report.TARGET_KEYS)
    assert report.office_names()["BAPAS-BDL"] == "Bapas Kelas II Bandar Lampung"


# --- command line ---------------------------------------------------------------------------------------------

def _cli(*argv) -> int:
    """`python -m analytics report ...`, in process, through the real parser of analytics/__main__.py."""
    from analytics.__main__ import main
    return main(["report", *map(str, argv)])


def test_cli_writes_the_pack(demo_db, tmp_path, capsys):
    out = tmp_path / "paparan.pptx"
    assert _cli("--period", "2026-09", "--format", "pptx", "--out", out, "--db", demo_db,
                "--kode-bapas", "bapas-bdl") == report.OK
    assert [_title(s) for s in Presentation(str(out)).slides] == TITLES
    captured = capsys.readouterr()
    assert "September 2026" in captured.out and "[100%] Selesai" in captured.err
    assert "PERHATIAN" not in captured.err


def test_cli_warns_about_a_period_past_the_data(demo_db, tmp_path, capsys):
    out = tmp_path / "paparan.pptx"
    assert _cli("--period", "2026-11", "--months", "2", "--format", "pptx", "--out", out, "--db", demo_db) == report.OK
    assert ("PERHATIAN: Periode Okt–Nov 2026 berakhir setelah tanggal data (30 Okt 2026): angka bulan terakhir belum "
            "lengkap.") in capsys.readouterr().err
    cover = " ".join(s.text_frame.text for s in Presentation(str(out)).slides[0].shapes if s.has_text_frame)
    assert "Data s.d. 30 Okt 2026 (periode belum lengkap)" in cover


@pytest.mark.parametrize("argv, status, message", [
    (["--period", "2030-01"], report.NO_DATA, "Tidak ada data untuk periode Januari 2030"),
    (["--period", "2015-01"], report.NO_DATA, "Tidak ada data klien atau kehadiran untuk periode Januari 2015"),
    (["--period", "2026-13"], report.USAGE, "periode tidak valid"),
    (["--period", "2026-10", "--months", "0"], report.USAGE, "jumlah bulan harus 1–24"),
    (["--period", "2026-10", "--kode-bapas", "BAPAS-XYZ"], report.USAGE, "kode Bapas tidak dikenal: BAPAS-XYZ"),
])
def test_cli_refusals(demo_db, tmp_path, capsys, argv, status, message):
    out = tmp_path / "paparan.pdf"
    assert _cli(*argv, "--format", "pdf", "--out", out, "--db", demo_db) == status
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_cli_usage_errors(tmp_path, capsys):
    assert _cli("--period", "2026-10", "--format", "pdf", "--out", tmp_path / "x.pdf",
                "--db", tmp_path / "tidak-ada.duckdb") == report.USAGE
    assert "basis data tidak ditemukan" in capsys.readouterr().err
    assert _cli("--period", "2026-10", "--format", "pdf", "--out", tmp_path / "x.pptx") == report.USAGE
    assert "harus berakhiran .pdf" in capsys.readouterr().err
    with pytest.raises(SystemExit) as caught:
        _cli("--period", "2026-10", "--format", "docx", "--out", tmp_path / "x.docx")
    assert caught.value.code == 2
    assert "argumen --format: pilihan 'docx' tidak dikenal" in capsys.readouterr().err
    assert _cli("--period", "2026-10", "--format", "pdf", "--out", tmp_path / "tidak-ada" / "x.pdf") == report.USAGE
    assert "folder keluaran tidak ada" in capsys.readouterr().err


def test_cli_help_and_argument_errors_are_indonesian(capsys):
    with pytest.raises(SystemExit) as caught:
        _cli("--help")
    assert caught.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith("pemakaian: python -m analytics report")
    assert "tampilkan bantuan ini lalu keluar" in text and "bulan terakhir periode" in text
    prose = re.sub(r"--?[\w-]+", " ", text)          # option names are the same in every language
    assert not set(_words(prose)) & {"usage", "options", "show", "help", "message", "exit", "arguments"}
    with pytest.raises(SystemExit) as caught:
        _cli("--period", "2026-10")
    assert caught.value.code == 2
    error = capsys.readouterr().err
    assert "perintah tidak valid: argumen wajib belum diisi: --format, --out" in error
    assert "required" not in error and "Traceback" not in error


def test_cli_failed_write_leaves_no_file(demo_db, tmp_path, capsys, monkeypatch):
    def full_disk(pack, path):
        path.write_bytes(b"%PDF-1.4 separuh")
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(report, "write_pdf", full_disk)
    out = tmp_path / "paparan.pdf"
    assert _cli("--period", "2026-10", "--format", "pdf", "--out", out, "--db", demo_db) == report.USAGE
    assert f"berkas keluaran tidak dapat ditulis: {out}" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


# --- the page -------------------------------------------------------------------------------------------------

@pytest.fixture
def page(demo_db):
    from ui import Context
    st.cache_data.clear()

    def run(role: str) -> AppTest:
        at = AppTest.from_file("../halaman/laporan.py", default_timeout=90)
        at.session_state["akun"] = Account(role, role, role, None, None, True)
        at.session_state["_store"] = Store()
        at.session_state["konteks"] = Context(Viewer(role, role), FILTERS, "3", demo_db, dt.date(2026, 10, 30),
                                              "uji-paparan", True)
        return at.run()
    yield run
    st.cache_data.clear()


def _audit() -> list[tuple]:
    from etl import config
    con = sqlite3.connect(config.akses_path())
    try:
        return con.execute("select aksi, halaman, keterangan from audit").fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("role, kind", [("kepala", "pdf"), ("kanwil", "pptx")])
def test_page_builds_previews_and_audits_the_download(page, role, kind):
    at = page(role)
    assert not at.exception and not at.error
    assert [t.value for t in at.title] == ["Paparan Kanwil"]
    assert at.selectbox(key="paparan_bulan").value == dt.date(2026, 10, 1)
    assert at.selectbox(key="paparan_lama").value == 3
    assert len(at.download_button) == 0
    at.selectbox(key="paparan_lama").set_value(1)
    at.radio(key="paparan_format").set_value(kind)
    at.button[0].click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success][0].startswith("Paparan Oktober 2026 · ")
    [table] = [d.value for d in at.dataframe]
    kpis = ringkasan.key_figures(Filters(dt.date(2026, 10, 1), dt.date(2026, 10, 31), (OFFICE,)), KANWIL,
                                 at.session_state["konteks"].db_path)
    assert list(table["Oktober 2026"]) == [k.shown for k in kpis]
    assert len(at.get("image")) == 1
    markdown = " ".join(m.value for m in at.markdown)
    assert all(title in markdown for title in TITLES[1:])
    assert _audit() == []
    at.download_button[0].click().run()
    assert [(a, h) for a, h, _ in _audit()] == [("UNDUH_PAPARAN", "Paparan Kanwil")]
    assert _audit()[0][2].startswith(f"paparan-kanwil-bapas-bdl-2026-10-1bln.{kind} (Oktober 2026, Bapas Kelas II")
    assert at.download_button[0].proto.label == {"pdf": "Unduh PDF", "pptx": "Unduh PowerPoint (.pptx)"}[kind]


@pytest.mark.parametrize("role", ["pk", "analis"])
def test_page_refused_to_other_roles(page, role):
    at = page(role)
    assert [e.value for e in at.error] == ["Halaman ini tidak tersedia untuk peran Anda."]
    assert not at.exception and len(at.button) == 0 and len(at.download_button) == 0
