"""Participation and «no activity for 90 days» count only where an office's attendance records cover the month.

A Kanwil database may hold an office that keeps no attendance sheet (or a cohort loaded from clients only): its
clients have no attendance row because nothing was recorded, not because they took part in nothing. Counting them
as non-participants showed «Partisipasi program 0,0%» and put every client on the early-warning list.
"""
import datetime as dt

import pandas as pd
import pytest

from analytics import partisipasi, ringkasan, risk
from analytics.filters import Filters
from analytics.viewer import Viewer
from etl.load import load_files
from tests.builders import KEHADIRAN_HEADER, workbook

D = dt.date
HEADER = ["No.", "Kode Bapas", "No. Register", "Nama", "Jenis Kelamin", "Tgl Lahir", "Tanggal Mulai Bimbingan",
          "Tanggal Akhir Bimbingan", "Jenis Integrasi", "Status"]
PERIOD = Filters(D(2026, 3, 1), D(2026, 3, 31))
KEPALA = Viewer("kepala", "kepala", None, "ab" * 32)


def _clients(office: str, n: int) -> list[list]:
    return [[i + 1, office, f"{office}-{i:03d}", f"Klien {i}", "L", D(1990, 1, 1), D(2025, 6, 1), D(2027, 6, 1),
             "PB", "Aktif"] for i in range(n)]


@pytest.fixture
def kanwil(tmp_path):
    """Office A records attendance (wajib lapor for all 12, a training for 6 of them); office B records none."""
    db = tmp_path / "kanwil.duckdb"
    klien = workbook(tmp_path / "klien.xlsx", {"Klien": (HEADER, _clients("BAPAS-A", 12) + _clients("BAPAS-B", 20))})
    hadir = [[i + 1, f"BAPAS-A-{i:03d}", D(2026, 3, 9), "Wajib Lapor", None, "Hadir", None, 1] for i in range(12)]
    hadir += [[13 + i, f"BAPAS-A-{i:03d}", D(2026, 3, 16), "Pelatihan Kerja", None, "Hadir", None, 4]
              for i in range(6)]
    kehadiran = workbook(tmp_path / "hadir.xlsx", {"Maret": (["No.", "Kode Bapas", *KEHADIRAN_HEADER[1:]],
                                                             [[r[0], "BAPAS-A", *r[1:]] for r in hadir])})
    report = load_files([klien, kehadiran], db)
    assert [e["rows_loaded"] for e in report["files"]] == [32, 18]
    return db


def test_participation_counts_only_the_office_that_records_attendance(kanwil):
    [kpi] = [k for k in ringkasan.key_figures(PERIOD, KEPALA, kanwil) if k.key == "partisipasi"]
    assert kpi.value == pytest.approx(6 / 12)  # office B's 20 clients are not counted as 0
    only_b = Filters(PERIOD.mulai, PERIOD.akhir, ("BAPAS-B",))
    [kpi] = [k for k in ringkasan.key_figures(only_b, KEPALA, kanwil) if k.key == "partisipasi"]
    assert kpi.value is None and kpi.shown == "–"
    monthly = partisipasi.participation_by_month(PERIOD, KEPALA, kanwil)
    march = monthly[(monthly["bulan"] == pd.Timestamp(2026, 3, 1)) & (monthly["kelompok"] == "SEMUA")]
    assert march["klien_aktif"].tolist() == [12] and march["peserta"].tolist() == [6]
    assert partisipasi.participation_by_month(only_b, KEPALA, kanwil).empty


def test_no_activity_for_90_days_is_not_judged_where_nothing_is_recorded(kanwil):
    only_b = Filters(PERIOD.mulai, PERIOD.akhir, ("BAPAS-B",))
    counts = risk.signal_counts(only_b, KEPALA, db_path=kanwil).set_index("sinyal")["klien"]
    assert counts["TANPA_PROGRAM"] == 0
    only_a = Filters(PERIOD.mulai, PERIOD.akhir, ("BAPAS-A",))
    counts = risk.signal_counts(only_a, KEPALA, db_path=kanwil).set_index("sinyal")["klien"]
    assert counts["TANPA_PROGRAM"] == 6  # the six with wajib lapor only are still flagged



def test_the_ringkasan_says_why_the_compliance_chart_is_missing(kanwil):
    import streamlit as st
    from streamlit.testing.v1 import AppTest
    from analytics.accounts import Account, Store
    from ui import Context
    st.cache_data.clear()
    only_b = Filters(PERIOD.mulai, PERIOD.akhir, ("BAPAS-B",))
    at = AppTest.from_file("../halaman/ringkasan.py", default_timeout=90)
    at.session_state["akun"] = Account("kepala", "kepala", "kepala", None, None, True)
    at.session_state["_store"] = Store()
    at.session_state["konteks"] = Context(KEPALA, only_b, "kustom", kanwil, D(2026, 3, 16), "v", False)
    at.run()
    st.cache_data.clear()
    assert not at.exception and not at.error
    assert any(i.value.startswith("Kepatuhan wajib lapor per bulan: belum ada wajib lapor tercatat") for i in at.info)
    assert not at.get("plotly_chart")
