"""The Log Audit page shows notes in the app's words, with the stored codes kept in a narrow column for support."""
import datetime as dt
import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics import jelajah
from analytics.accounts import Account, Store
from analytics.filters import Filters
from analytics.viewer import Viewer

CODE = re.compile(r"\b[A-Z]+(?:_[A-Z]+)+\b|\b[a-z]+(?:_[a-z]+)+\b")  # KLIEN_KURANG_SERIUS, program_integrasi
KEPALA = Account("kepala", "Kepala Bapas (demo)", "kepala", None, None, True)
EXPLORATION = jelajah.Exploration("hambatan", filters=(("kategori", ("KLIEN_KURANG_SERIUS",)),),
                                  by=("kategori", "tanggal:bulan"), measures=("baris",))
# (action, page, note as the app writes it, note as the page shows it)
ROWS = [
    ("LIHAT_DATA_PERORANGAN", "Hambatan", "catatan log hambatan KLIEN_KURANG_SERIUS",
     "catatan log hambatan «Klien kurang serius»"),
    ("LIHAT_DATA_PERORANGAN", "Hambatan", "klien alasan ketidakhadiran JARAK_BIAYA_TRANSPORT",
     "klien alasan ketidakhadiran «Jarak/biaya transport»"),
    ("UNDUH", "Hambatan", "log-hambatan-klien_kurang_serius (perorangan)",
     "log-hambatan-«Klien kurang serius» (perorangan)"),
    ("JELAJAH_KUERI", "Jelajah Data", "data klien; kelompok program_integrasi; ukuran baris",
     "data «Klien»; kelompok «Program integrasi»; ukuran «Jumlah baris»"),
    ("JELAJAH_KUERI", "Jelajah Data", jelajah.describe(EXPLORATION),
     "data «Hambatan»; saring «Kategori hambatan»: Klien Kurang Serius; kelompok «Kategori hambatan», "
     "«Tanggal (per bulan)»; ukuran «Jumlah baris»"),
]
# notes a person typed or named: shown exactly as stored
VERBATIM = [
    ("SQL_KUERI", "Jelajah Data", "select kategori from hambatan where kategori = 'KLIEN_KURANG_SERIUS'"),
    ("MUAT_DATA", "Unggah Data", "muat nomor 3: SAKIT_DATA.xlsx, klien_titikkoma_latin1.csv"),
    ("LIHAT_DATA_PERORANGAN", "Mitra", "peserta mitra MITRA-10"),
]


@pytest.fixture(autouse=True)
def _fresh_caches():
    st.cache_data.clear()
    yield
    st.cache_data.clear()


@pytest.fixture
def store():
    store = Store()
    store.seed_demo_accounts()
    filters = {"mulai": "2026-08-01", "akhir": "2026-10-31", "program_integrasi": ["PB"]}
    for action, page, note, *_ in VERBATIM[::-1] + ROWS[::-1]:  # the log lists the newest first
        store.audit(KEPALA, action, halaman=page, filter=filters, jumlah_baris=3, keterangan=note)
    return store


def _page(store, tmp_path) -> AppTest:
    at = AppTest.from_file("../halaman/audit.py", default_timeout=60)
    at.session_state["akun"] = KEPALA
    at.session_state["_store"] = store
    at.session_state["konteks"] = _context(tmp_path)
    return at.run()


def _context(tmp_path):
    from ui import Context
    period = Filters(dt.date(2026, 8, 1), dt.date(2026, 10, 31))
    return Context(Viewer("kepala", "kepala"), period, "3", tmp_path / "bapas.duckdb", dt.date(2026, 10, 31), "uji",
                   False)


def test_notes_show_the_apps_words_and_keep_the_code_for_support(store, tmp_path):
    at = _page(store, tmp_path)
    assert not at.exception and not at.error
    log = at.dataframe[0].value
    coded = log.head(len(ROWS))
    assert not any(CODE.search(text) for text in coded["Keterangan"]), coded["Keterangan"].tolist()
    assert coded["Keterangan"].tolist() == [shown for _, _, _, shown in ROWS]
    assert coded["Kode"].tolist() == [note for _, _, note, _ in ROWS]  # findable by support, e.g. with the search


def test_typed_sql_file_names_and_partner_codes_stay_as_written(store, tmp_path):
    log = _page(store, tmp_path).dataframe[0].value
    rest = log.iloc[len(ROWS):len(ROWS) + len(VERBATIM)]
    assert rest["Keterangan"].tolist() == [note for _, _, note in VERBATIM]
    assert rest["Kode"].tolist() == [""] * len(VERBATIM)  # nothing was translated, so nothing to repeat


def test_filters_are_in_words_with_dates(store, tmp_path):
    log = _page(store, tmp_path).dataframe[0].value
    assert set(log.head(len(ROWS) + len(VERBATIM))["Saringan"]) == {
        "akhir 31 Okt 2026; mulai 1 Agu 2026; program integrasi PB"}
    assert not any("program_integrasi" in text for text in log["Saringan"])
