"""The Unggah Data page under AppTest: upload → report → load → history → undo, for operator and kepala.

Streamlit 1.67's AppTest drives st.file_uploader (`set_value` with (name, bytes, mime) tuples), so the flow runs
through the real widgets. The fixture database holds one earlier load (clients A-001..A-003); the upload brings a
newer client file (A-001 renamed, A-004 new, one row with a bad date) and an attendance file (one row for an
unknown client).
"""
import datetime as dt
import io
import sqlite3

import openpyxl
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics import db as adb
from analytics.filters import Filters
from analytics.viewer import Viewer
from etl import config, ditolak
from etl.load import load_files, preview_files
from tests.builders import KEHADIRAN_HEADER, KLIEN_HEADER, klien_row, workbook
from tests.conftest import query

D = dt.date
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERIOD = Filters(D(2026, 9, 1), D(2026, 10, 31))


def _klien_v1(path):
    rows = [klien_row(1, "A-001", "Ani"), klien_row(2, "A-002", "Budi"), klien_row(3, "A-003", "Cici")]
    return workbook(path, {"Data Klien": (KLIEN_HEADER, rows)})


def _klien_v2(path):
    rows = [klien_row(1, "A-001", "Ani Lestari"),  # renamed: replaces the row of the first load
            klien_row(2, "A-002", "Budi"),  # unchanged
            klien_row(3, "A-004", "Dedi"),  # new
            klien_row(4, "A-005", "Eka", mulai="kemarin")]  # rejected: not a date
    return workbook(path, {"Data Klien": (KLIEN_HEADER, rows)})


def _hadir(path):
    rows = [[1, "A-001", "3 Februari 2022", "Wajib Lapor", None, "Hadir", None, 1],
            [2, "A-004", "3 Februari 2022", "Wajib Lapor", None, "Alpa", "rumah jauh", 1],
            [3, "Z-999", "3 Februari 2022", "Wajib Lapor", None, "Hadir", None, 1]]
    return workbook(path, {"Februari": (KEHADIRAN_HEADER, rows)})


@pytest.fixture
def office(tmp_path):
    db = tmp_path / "bapas.duckdb"
    report = load_files([_klien_v1(tmp_path / "klien-awal.xlsx")], db, user="uji")
    assert report["files"][0]["rows_loaded"] == 3
    uploads = tmp_path / "unggahan"
    uploads.mkdir()
    return db, _klien_v2(uploads / "Data Klien.xlsx"), _hadir(uploads / "Kehadiran Feb.xlsx")


@pytest.fixture
def page(office):
    """Start the page for a role; `go(at)` runs it again with the data version the frame would compute."""
    from analytics.accounts import Account, Store
    from ui import Context
    db = office[0]
    st.cache_data.clear()

    def go(at: AppTest) -> AppTest:
        viewer = at.session_state["akun"]
        ctx = Context(Viewer(viewer.nama_pengguna, viewer.peran, None, "ab" * 32), PERIOD, "kustom", db,
                      D(2026, 10, 31), adb.data_version(db), False)
        at.session_state["konteks"] = ctx
        return at.run()

    def start(role: str) -> AppTest:
        at = AppTest.from_file("../halaman/unggah.py", default_timeout=60)
        at.session_state["akun"] = Account(f"{role}1", f"Uji {role}", role, None, None, True)
        at.session_state["_store"] = Store()
        return go(at)

    start.go = go
    yield start
    st.cache_data.clear()


def _upload(at: AppTest, *paths) -> None:
    at.file_uploader[0].set_value([(p.name, p.read_bytes(), XLSX) for p in paths])


def _texts(at, *kinds) -> str:
    return " ".join(str(e.value) for kind in kinds for e in at.get(kind))


def _undo_choice(at: AppTest):
    return next(s for s in at.selectbox if s.label == "Muat yang akan dibatalkan")


def _audit_rows() -> list[tuple]:
    con = sqlite3.connect(config.akses_path())
    try:
        return con.execute("select nama_pengguna, peran, aksi, halaman, jumlah_baris, keterangan from audit "
                           "order by id").fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("role", ["operator", "kepala"])
def test_upload_report_load_history_undo(page, office, role):
    db, klien, hadir = office
    before = query(db, "select * from klien order by no_register")
    at = page(role)
    assert not at.exception and not at.error
    assert [t.value for t in at.title] == ["Unggah Data"]
    assert "Belum ada berkas dipilih" in _texts(at, "info")

    # upload → the report, nothing written yet
    _upload(at, hadir, klien)
    at = page.go(at)
    assert not at.exception and not at.error
    summary = at.dataframe[0].value
    assert summary.to_dict("records") == [
        {"Berkas": "Kehadiran Feb.xlsx", "Lembar kerja": "Februari", "Jenis data": "Kehadiran", "Status": "Siap dimuat",
         "Baris dibaca": "3", "Diterima": "2", "Ditolak": "1", "Peringatan": "0"},
        {"Berkas": "Data Klien.xlsx", "Lembar kerja": "Data Klien", "Jenis data": "Data Klien", "Status": "Siap dimuat",
         "Baris dibaca": "4", "Diterima": "3", "Ditolak": "1", "Peringatan": "0"}]
    rejected = at.dataframe[1].value
    assert rejected[["Berkas", "Baris", "Kolom", "Nilai"]].to_dict("records") == [
        {"Berkas": "Kehadiran Feb.xlsx", "Baris": "8", "Kolom": "No. Register", "Nilai": "Z-999"},
        {"Berkas": "Data Klien.xlsx", "Baris": "9", "Kolom": "Tanggal Mulai Bimbingan", "Nilai": "kemarin"}]
    assert rejected["Alasan"].tolist()[0] == "klien tidak dikenal: Z-999"
    assert rejected["Alasan"].tolist()[1].startswith("Tanggal Mulai Bimbingan: tanggal tidak dapat dibaca")
    assert "Traceback" not in _texts(at, "markdown", "caption", "info", "error")
    assert all("Sheet" not in d.value.columns for d in at.dataframe)  # the Excel word in Indonesian
    labels = [b.label for b in at.get("download_button")]
    assert "Unduh baris ditolak dari Data Klien.xlsx (1 baris)" in labels
    assert "Unduh baris ditolak dari Kehadiran Feb.xlsx (1 baris)" in labels
    assert query(db, "select * from klien order by no_register") == before
    assert query(db, "select count(*) from kehadiran") == [(0,)]

    # the download of rejected rows is audited
    next(b for b in at.get("download_button") if b.label.endswith("Data Klien.xlsx (1 baris)")).click()
    at = page.go(at)
    assert _audit_rows()[-1] == (f"{role}1", role, "UNDUH", "Unggah Data", 1, "baris ditolak Data Klien.xlsx")

    # load → result, data, audit
    at.button(key="unggah_muat").click()
    at = page.go(at)
    assert not at.exception and not at.error
    assert "Muat nomor 2 selesai: 5 baris dimuat dari 2 berkas." in _texts(at, "success")
    assert not at.file_uploader[0].value  # emptied for the next upload
    assert query(db, "select no_register, nama, id_muat from klien order by 1") == [
        ("A-001", "Ani Lestari", 2), ("A-002", "Budi", 1), ("A-003", "Cici", 1), ("A-004", "Dedi", 2)]
    assert query(db, "select no_register, id_muat from kehadiran order by 1") == [("A-001", 2), ("A-004", 2)]
    assert query(db, "select distinct pengguna from muat_run where id_muat = 2") == [(f"{role}1",)]
    assert _audit_rows()[-1][:5] == (f"{role}1", role, "MUAT_DATA", "Unggah Data", 5)
    assert "muat nomor 2" in _audit_rows()[-1][5]

    # history: both runs, newest first, with who, file, hash and counts
    history = next(d.value for d in at.dataframe if "No. muat" in d.value.columns)
    assert history[["No. muat", "Pengguna", "Berkas", "Status", "Dimuat", "Baru", "Diperbarui"]].to_dict("records") == [
        {"No. muat": "2", "Pengguna": f"{role}1", "Berkas": "Data Klien.xlsx", "Status": "Dimuat", "Dimuat": "3",
         "Baru": "1", "Diperbarui": "1"},
        {"No. muat": "2", "Pengguna": f"{role}1", "Berkas": "Kehadiran Feb.xlsx", "Status": "Dimuat", "Dimuat": "2",
         "Baru": "2", "Diperbarui": "0"},
        {"No. muat": "1", "Pengguna": "uji", "Berkas": "klien-awal.xlsx", "Status": "Dimuat", "Dimuat": "3",
         "Baru": "3", "Diperbarui": "0"}]
    assert all(len(h) == 64 for h in history["SHA-256"])
    assert history["Lembar kerja"].tolist() == ["Data Klien", "Februari", "Data Klien"] and "Sheet" not in history.columns

    # undo: asks first; "Tidak" leaves everything as it is
    assert _undo_choice(at).value == 2
    at.button(key="unggah_batalkan").click()
    at = page.go(at)
    assert "Batalkan muat nomor 2?" in _texts(at, "warning")
    at.button(key="unggah_batal_tidak").click()
    at = page.go(at)
    assert "Batalkan muat nomor 2?" not in _texts(at, "warning")
    assert query(db, "select count(*) from kehadiran") == [(2,)]

    at.button(key="unggah_batalkan").click()
    at = page.go(at)
    at.button(key="unggah_batal_ya").click()
    at = page.go(at)
    assert not at.exception and not at.error
    assert "Muat nomor 2 dibatalkan: 4 baris dihapus, 1 baris dikembalikan." in _texts(at, "success")
    assert query(db, "select * from klien order by no_register") == before
    assert query(db, "select count(*) from kehadiran") == [(0,)]
    assert _audit_rows()[-1][:5] == (f"{role}1", role, "BATALKAN_MUAT", "Unggah Data", 5)
    history = next(d.value for d in at.dataframe if "No. muat" in d.value.columns)
    assert history["Status"].tolist()[0].startswith("Dimuat; dibatalkan ") and f"oleh {role}1" in history["Status"][0]
    assert _undo_choice(at).options == [_undo_choice(at).format_func(1)]  # the undone run is not offered


@pytest.mark.parametrize("role", ["pk", "analis", "kanwil"])
def test_other_roles_do_not_get_the_page(page, role):
    at = page(role)
    assert [e.value for e in at.error] == ["Halaman ini tidak tersedia untuk peran Anda."]
    assert not at.file_uploader and not at.title and not at.button


def test_files_rejected_whole_are_named_and_cannot_be_loaded(page, tmp_path):
    at = page("operator")
    at.file_uploader[0].set_value([("kosong.xlsx", b"", XLSX), ("teks.xlsx", b"bukan spreadsheet", XLSX),
                                   ("ragu.csv", b"No. Register,Status\nA-1,Aktif\n", "text/csv")])
    at = page.go(at)
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors == [
        "kosong.xlsx: berkas kosong (0 byte)",
        "teks.xlsx: berkas ini berisi teks biasa, bukan buku kerja Excel; jika isinya data berpemisah koma, titik "
        "koma atau tab, ubah akhirannya menjadi .csv",
        "ragu.csv: jenis data tidak dapat ditentukan (hambatan, kehadiran, klien sama cocoknya), pilih jenis data "
        "pada kotak «Jenis data» lalu periksa lagi"]
    assert all("--kind" not in e and "Traceback" not in e for e in errors)
    assert at.button(key="unggah_muat").disabled
    # choosing the kind by hand: the ambiguous file is read as klien and names what it lacks
    at.selectbox(key="unggah_jenis").set_value("klien")
    at = page.go(at)
    assert any("ragu.csv: kolom wajib tidak ditemukan untuk data klien" in e.value for e in at.error)


def test_size_limit_has_our_message(page):
    from streamlit import config as st_config
    old = st_config.get_option("server.maxUploadSize")
    st_config.set_option("server.maxUploadSize", 1)
    try:
        at = page("operator")
        at.file_uploader[0].set_value([("besar.csv", b"No. Register,Nama,Tgl Mulai\n" + b"x" * (1024 * 1024 + 1),
                                        "text/csv")])
        at = page.go(at)
    finally:
        st_config.set_option("server.maxUploadSize", old)
    assert not at.exception
    assert [e.value for e in at.error] == [
        "besar.csv: ukuran berkas 1,0 MB melebihi batas 1 MB per berkas. Pecah berkas menjadi beberapa bagian "
        "(mis. per tahun atau per lembar kerja), atau simpan sebagai .csv, lalu unggah lagi."]
    assert "unggah_muat" not in [b.key for b in at.button]


def test_uploaded_names_stay_inside_the_private_folder(page, office):
    _, klien, _ = office
    at = page("operator")
    at.file_uploader[0].set_value([("../../etc/Data Klien.xlsx", klien.read_bytes(), XLSX)])
    at = page.go(at)
    assert not at.exception and not at.error
    folder = at.session_state["unggah_folder"]
    saved = [p for p in __import__("pathlib").Path(folder).rglob("*") if p.is_file()]
    assert [p.name for p in saved] == ["Data Klien.xlsx"] and all(str(p).startswith(folder) for p in saved)
    assert oct(__import__("pathlib").Path(folder).stat().st_mode & 0o777) == "0o700"


def test_templates_and_scorecard_are_on_the_page(page):
    at = page("kepala")
    labels = [b.label for b in at.get("download_button")]
    assert sorted(labels) == ["Data Klien", "Hambatan Program", "Kehadiran", "Mitra Pokmas Lipas", "Program",
                              "Realisasi Anggaran"]  # nothing uploaded: the templates are the only downloads
    summary = next(d.value for d in at.dataframe if "Pemeriksaan buruk" in d.value.columns)
    assert summary["Tabel"].tolist() == ["Klien", "Mitra", "Program", "Kehadiran", "Anggaran", "Hambatan"]
    # five tables are still empty: each says so (perhatian); klien has no NIK at all (buruk)
    assert summary["Status"].tolist() == ["Buruk"] + ["Perhatian"] * 5
    at.toggle(key="unggah_hanya_masalah").set_value(False)
    at = page.go(at)
    detail = next(d.value for d in at.dataframe if "Pemeriksaan" in d.value.columns and "Ambang" in d.value.columns)
    row = detail[detail["Pemeriksaan"] == "Kelengkapan: NIK"].iloc[0]
    assert (row["Tabel"], row["Jumlah"], row["Dari"], row["Porsi"], row["Status"]) == (
        "Klien", "3", "3", "100,0%", "Buruk")
    at.button(key="unggah_periksa").click()
    at = page.go(at)
    assert not at.exception and not at.error


def test_rejected_rows_workbook_round_trip(office, tmp_path):
    """The operator fixes the downloaded rows in Excel and uploads the file again: the rows are accepted."""
    db, klien, hadir = office
    report = preview_files([hadir, klien], db)
    data = ditolak.workbook(klien, report)
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["Data Klien"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == KLIEN_HEADER + ["Alasan ditolak"]
    assert rows[1][:3] == [4, "A-005", "Eka"] and rows[1][5] == "kemarin"
    assert rows[1][-1].startswith("baris 9: Tanggal Mulai Bimbingan: tanggal tidak dapat dibaca: 'kemarin'")
    assert len(rows) == 2
    sheet.cell(2, 6).value = "05/01/2022"  # the fix, as typed in Excel
    fixed = tmp_path / ditolak.file_name(klien.name)
    book.save(fixed)
    [entry] = load_files([fixed], db, user="operator1")["files"]
    assert (entry["status"], entry["rows_read"], entry["rows_loaded"], entry["errors"]) == ("loaded", 1, 1, [])
    assert [w["message"] for w in entry["warnings"]] == ["kolom tidak dikenal, diabaikan"]
    assert query(db, "select no_register, nama, tanggal_mulai_bimbingan, sumber_file from klien "
                     "where no_register = 'A-005'") == [("A-005", "Eka", D(2022, 1, 5), "Data Klien - ditolak.xlsx")]
    # nothing rejected: no workbook
    assert ditolak.workbook(fixed, {"files": [entry]}) is None


def test_an_unexpected_reader_failure_names_the_file_without_a_traceback(page, office, monkeypatch):
    import etl.load
    _, klien, _ = office
    real = etl.load.preview_files

    def preview(paths, *args, **kwargs):
        if any(p.name == "meledak.csv" for p in paths):
            raise TypeError("unhashable type: 'numpy.ndarray'")
        return real(paths, *args, **kwargs)

    monkeypatch.setattr(etl.load, "preview_files", preview)
    at = page("operator")
    at.file_uploader[0].set_value([("meledak.csv", b"No. Register,Nama\n", "text/csv"),
                                   (klien.name, klien.read_bytes(), XLSX)])
    at = page.go(at)
    assert not at.exception
    [error] = [e.value for e in at.error]
    assert error.startswith("Saat memeriksa meledak.csv terjadi kesalahan tak terduga.")
    assert "unhashable" not in error and "Traceback" not in error
    assert "unggah_muat" not in [b.key for b in at.button]


def test_a_failed_load_says_so_and_changes_nothing(page, office, monkeypatch):
    import etl.load
    db, klien, _ = office
    before = query(db, "select * from klien order by all")
    monkeypatch.setattr(etl.load, "load_files", lambda *a, **k: (_ for _ in ()).throw(OSError("disk penuh")))
    at = page("operator")
    _upload(at, klien)
    at = page.go(at)
    at.button(key="unggah_muat").click()
    at = page.go(at)
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Data tidak dimuat: terjadi kesalahan tak terduga. Rinciannya sudah dicatat di log server; periksa berkasnya, "
        "atau hubungi pengembang dengan menyebut waktu kejadian. Data yang sudah ada tidak berubah."]
    assert query(db, "select * from klien order by all") == before
    assert not [r for r in _audit_rows() if r[2] == "MUAT_DATA"]


def test_undo_refused_by_the_loader_is_explained(page, office):
    db, klien, hadir = office
    load_files([klien, hadir], db, user="operator1")  # run 2 builds on run 1
    at = page("kepala")
    _undo_choice(at).set_value(1)
    at = page.go(at)
    at.button(key="unggah_batalkan").click()
    at = page.go(at)
    at.button(key="unggah_batal_ya").click()
    at = page.go(at)
    assert not at.exception
    [error] = [e.value for e in at.error]
    assert error.startswith("Muat nomor 1 tidak dibatalkan: ") and "batalkan yang terbaru lebih dulu" in error
    assert query(db, "select count(*) from klien") == [(4,)]  # A-001..A-004 of both runs
    assert not [r for r in _audit_rows() if r[2] == "BATALKAN_MUAT"]


def test_upload_folders_of_ended_sessions_are_swept(page):
    import os
    import tempfile
    import time
    from pathlib import Path
    stale = Path(tempfile.mkdtemp(prefix="bapas-unggah-"))
    (stale / "Data Klien.xlsx").write_bytes(b"lama")
    fresh = Path(tempfile.mkdtemp(prefix="bapas-unggah-"))
    (fresh / "Data Klien.xlsx").write_bytes(b"baru")
    long_ago = time.time() - 3 * 3600
    for path in (stale / "Data Klien.xlsx", stale):
        os.utime(path, (long_ago, long_ago))
    try:
        at = page("operator")
        at.file_uploader[0].set_value([("kosong.xlsx", b"", XLSX)])
        page.go(at)
        assert not at.exception
        assert not stale.exists(), "an ended session's uploads stay on disk"
        assert (fresh / "Data Klien.xlsx").exists(), "a live session's upload was removed"
    finally:
        import shutil
        shutil.rmtree(stale, ignore_errors=True)
        shutil.rmtree(fresh, ignore_errors=True)


def test_a_file_whose_every_row_is_rejected_cannot_be_loaded(page, tmp_path):
    bad = workbook(tmp_path / "salah.xlsx", {"Data Klien": (KLIEN_HEADER, [
        klien_row(1, "A-009", "Budi", mulai="kemarin"), klien_row(2, "A-010", "Cici", mulai="belum diisi")])})
    at = page("operator")
    _upload(at, bad)
    at = page.go(at)
    assert not at.exception
    assert at.button(key="unggah_muat").disabled
    assert "Tidak ada baris yang dapat dimuat" in _texts(at, "warning")
    assert "Bila dimuat" not in _texts(at, "info")


def test_upload_of_a_file_already_loaded_says_so(page, office, tmp_path):
    db = office[0]
    import shutil
    again = tmp_path / "klien-lagi.xlsx"  # the fixture's first load byte for byte, under another name
    shutil.copyfile(tmp_path / "klien-awal.xlsx", again)
    at = page("operator")
    _upload(at, again)
    at = page.go(at)
    assert not at.exception
    [line] = [t for t in (i.value for i in at.info) if "sama persis" in t]
    assert line.startswith("klien-lagi.xlsx sama persis dengan berkas yang sudah dimuat pada muat nomor 1 (")


def _office_box(at: AppTest):
    return at.text_input(key="unggah_kantor")


def test_rows_without_an_office_code_go_to_the_office_chosen_or_typed(page, office, monkeypatch):
    """A Kanwil operator loading another office's workbook (no Kode Bapas column) types that office's code."""
    monkeypatch.delenv("BAPAS_KODE", raising=False)
    db = office[0]
    at = page("operator")
    assert _office_box(at).value == config.kode_bapas()  # the configured office by default
    _office_box(at).input(" bapas-met ")
    _upload(at, office[1])
    at = page.go(at)
    assert not at.exception
    at.button(key="unggah_muat").click()
    at = page.go(at)
    assert not at.exception
    assert query(db, "select kode_bapas, no_register from klien where kode_bapas = 'BAPAS-MET' order by 2") == [
        ("BAPAS-MET", "A-001"), ("BAPAS-MET", "A-002"), ("BAPAS-MET", "A-004")]
    assert query(db, "select count(*) from klien where kode_bapas = ?", [config.kode_bapas()]) == [(3,)]  # kept


def test_a_typed_office_code_that_is_not_a_code_is_refused_before_the_check(page, office):
    at = page("operator")
    _office_box(at).input("Bapas Metro!")
    _upload(at, office[1])
    at = page.go(at)
    assert not at.exception
    assert "kode kantor tidak valid: 'Bapas Metro!'" in _texts(at, "error")
    assert not [b for b in at.button if b.key == "unggah_muat"]
