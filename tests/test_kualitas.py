"""The data-quality scorecard and the load history against values worked out by hand.

The fixture office (loaded with the real loader, then two rows added behind its back to show what the loader
itself never lets in):
- klien K01–K10. NIK filled for K01–K06 (4 of 10 empty), birth date missing for K06 and K07 (2 of 10), status
  empty for K07 (1 of 10). K08 started 1 Oct 2026; K09 SELESAI, K10 DICABUT; K10 started 1 May 1998 (before
  2000). K01's religion is then set to 'Pastafari' (outside the vocabulary).
- kehadiran: K01–K05 on six days of each of Jul, Aug, Sep 2026 (30 rows a month) and on 5 and 30 Oct 2026
  (10 rows): all HADIR except K01 on both October days (Alpa, no reason) and K02 on 5 Oct (Izin, "sakit").
  Added directly: a copy of one July row (a duplicate key) and a June row for an unknown client K99.
  Data date = 30 Oct 2026 (the latest attendance).
- program P1 (partner M-404, not in mitra) and P2 (no partner); no mitra, anggaran or hambatan.
"""
import datetime as dt
import hashlib

import duckdb
import pandas as pd
import pytest

from analytics import kualitas
from etl.load import load_files, undo_run
from tests.builders import KEHADIRAN_HEADER, KLIEN_HEADER, klien_row, workbook

D = dt.date
AS_OF = D(2026, 10, 30)


def _clients() -> list[list]:
    nik = lambda i: f"18710101019000{i:02d}"  # noqa: E731
    rows = [klien_row(i, f"K{i:02d}", f"Klien {i}", nik=nik(i), akhir=D(2027, 1, 10)) for i in range(1, 6)]
    rows.append(klien_row(6, "K06", "Klien 6", lahir=None, nik=nik(6), akhir=D(2027, 1, 10)))
    rows.append(klien_row(7, "K07", "Klien 7", lahir=None, status=None, akhir=D(2027, 1, 10)))
    rows.append(klien_row(8, "K08", "Klien 8", mulai=D(2026, 10, 1), akhir=D(2027, 10, 1)))
    rows.append(klien_row(9, "K09", "Klien 9", status="Selesai", tgl_status=D(2023, 1, 10)))
    rows.append(klien_row(10, "K10", "Klien 10", mulai=D(1998, 5, 1), akhir=D(2000, 5, 1), status="Dicabut",
                          tgl_status=D(1999, 5, 5)))
    return rows


def _attendance() -> list[list]:
    rows, n = [], 0
    days = [D(2026, m, d) for m in (7, 8, 9) for d in (1, 6, 11, 16, 21, 26)] + [D(2026, 10, 5), D(2026, 10, 30)]
    for day in days:
        for i in range(1, 6):
            n += 1
            status, reason = "Hadir", None
            if day.month == 10 and i == 1:
                status = "Alpa"
            if day == D(2026, 10, 5) and i == 2:
                status, reason = "Izin", "sakit"
            rows.append([n, f"K{i:02d}", day, "Wajib Lapor", None, status, reason, 1])
    return rows


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    from etl import config
    folder = tmp_path_factory.mktemp("kualitas")
    db = folder / "bapas.duckdb"
    with pytest.MonkeyPatch.context() as mp:  # module fixtures run before the per-test settings fixture
        mp.setenv("BAPAS_CONFIG", str(folder / "tidak-ada.toml"))
        mp.delenv("BAPAS_KODE", raising=False)
        config.settings.cache_clear()
        klien = workbook(folder / "Data Klien.xlsx", {"Klien": (KLIEN_HEADER, _clients())})
        hadir = workbook(folder / "Kehadiran.xlsx", {"Kehadiran": (KEHADIRAN_HEADER, _attendance())})
        program = workbook(folder / "Program.xlsx", {"Program": (
            ["No", "Kode Program", "Nama Program", "Kode Mitra"],
            [[1, "P1", "Pelatihan Las", "M-404"], [2, "P2", "Pengajian", None]])})
        report = load_files([klien, hadir, program], db, user="operator1")
        config.settings.cache_clear()
    assert [(f["kind"], f["rows_loaded"], f["rows_rejected"]) for f in report["files"]] == [
        ("klien", 10, 0), ("kehadiran", 100, 0), ("program", 2, 0)]
    con = duckdb.connect(str(db))
    con.execute("insert into kehadiran select * from kehadiran where no_register = 'K03' and tanggal = '2026-07-11'")
    con.execute("insert into kehadiran select * replace ('K99' as no_register, date '2026-06-15' as tanggal) "
                "from kehadiran where no_register = 'K03' and tanggal = '2026-07-11' limit 1")
    con.execute("update klien set agama = 'Pastafari' where no_register = 'K01'")
    con.close()
    return db, folder


@pytest.fixture(scope="module")
def card(office):
    return kualitas.scorecard(office[0])


def _check(card: pd.DataFrame, table: str, name: str) -> tuple:
    [row] = card[(card["tabel"] == table) & (card["pemeriksaan"] == name)].to_dict("records")
    share = None if row["porsi"] is None or pd.isna(row["porsi"]) else round(row["porsi"], 4)
    return row["jumlah"], row["dari"], share, row["status"]


@pytest.mark.parametrize("share, rule, status", [
    (0.0, "wajib", "baik"), (0.001, "wajib", "buruk"),
    (0.10, "opsional", "baik"), (0.1001, "opsional", "perhatian"), (0.30, "opsional", "perhatian"),
    (0.31, "opsional", "buruk"),
    (0.0, "duplikat", "baik"), (0.01, "duplikat", "perhatian"), (0.0101, "duplikat", "buruk"),
    (0.05, "tanpa_kehadiran", "baik"), (0.2, "tanpa_kehadiran", "perhatian"), (0.21, "tanpa_kehadiran", "buruk"),
    (None, "kode", "baik"),
])
def test_thresholds(share, rule, status):
    assert kualitas.status_of(share, rule) == status


def test_threshold_texts_state_the_numbers():
    assert kualitas.threshold_text("opsional") == "baik ≤ 10%; perhatian ≤ 30%; buruk > 30%"
    assert kualitas.threshold_text("kode") == "baik bila 0; perhatian ≤ 1%; buruk > 1%"
    assert kualitas.threshold_text("wajib") == "baik bila 0; buruk bila ada"


def test_data_date_is_the_latest_attendance(office):
    assert kualitas.data_date(office[0]) == AS_OF


@pytest.mark.parametrize("table, name, expected", [
    ("klien", "Kelengkapan: No. Register (wajib)", (0, 10, 0.0, "baik")),
    ("klien", "Kelengkapan: NIK", (4, 10, 0.4, "buruk")),
    ("klien", "Kelengkapan: Tanggal Lahir", (2, 10, 0.2, "perhatian")),
    ("klien", "Kelengkapan: Status", (1, 10, 0.1, "baik")),
    ("klien", "Kelengkapan: Jenis Integrasi", (0, 10, 0.0, "baik")),
    ("klien", "Nilai di luar daftar: Agama", (1, 1, 1.0, "buruk")),
    ("klien", "Nilai di luar daftar: Status", (0, 9, 0.0, "baik")),
    ("klien", "Tanggal di luar rentang: Tanggal Mulai Bimbingan", (1, 10, 0.1, "buruk")),
    ("klien", "Tanggal di luar rentang: Tanggal Status", (1, 2, 0.5, "buruk")),  # K10's 1999
    ("klien", "Urutan tanggal: Tanggal Akhir Bimbingan sebelum Tanggal Mulai Bimbingan", (0, 10, 0.0, "baik")),
    # K01–K07 are AKTIF (K07: empty status) and started by 31 Aug 2026; K06 and K07 have no attendance since
    ("klien", "Klien AKTIF tanpa kehadiran 60 hari", (2, 7, round(2 / 7, 4), "buruk")),
    ("kehadiran", "Kelengkapan: Alasan", (2, 3, round(2 / 3, 4), "buruk")),  # the non-HADIR rows only
    ("kehadiran", "Duplikat kunci alami", (1, 102, round(1 / 102, 4), "perhatian")),
    ("kehadiran", "Kode tidak dikenal: No. Register", (1, 102, round(1 / 102, 4), "perhatian")),
    ("kehadiran", "Nilai di luar daftar: Kategori Hambatan", (0, 3, 0.0, "baik")),
    ("program", "Kelengkapan: Kode Mitra", (1, 2, 0.5, "buruk")),
    ("program", "Kode tidak dikenal: Kode Mitra", (1, 1, 1.0, "buruk")),
    ("mitra", "Jumlah baris", (0, 0, None, "perhatian")),
    ("anggaran", "Jumlah baris", (0, 0, None, "perhatian")),
])
def test_scorecard_values(card, table, name, expected):
    assert _check(card, table, name) == expected


def test_a_sudden_drop_in_the_latest_month_is_flagged(card):
    # October (data date 30 Oct: 30 of 31 days) has 10 rows; Jul–Sep 31, 30, 30 (a July row was copied)
    expected = (31 + 30 + 30) / 3 * 30 / 31
    row = card[(card["tabel"] == "kehadiran") & card["pemeriksaan"].str.startswith("Jumlah baris bulan")].iloc[0]
    assert (row["jumlah"], row["dari"], round(row["porsi"], 4), row["status"]) == (
        10, round(expected), round(10 / expected, 4), "buruk")
    assert "kemungkinan berkas terpotong" in row["keterangan"]
    assert row["keterangan"].startswith("Okt 2026: 10 baris; rata-rata Jul–Sep 30,3 baris/bulan")
    # klien: one case started in October, none in Jul–Sep: too few to judge
    klien = card[(card["tabel"] == "klien") & card["pemeriksaan"].str.startswith("Jumlah baris bulan")].iloc[0]
    assert (klien["jumlah"], klien["status"]) == (1, "baik") and "terlalu sedikit" in klien["keterangan"]


def test_steady_months_are_not_flagged(office):
    # seen from 30 Sep: Sep 30 rows against Jun–Aug (1, 31, 30): no drop
    card = kualitas.scorecard(office[0], as_of=D(2026, 9, 30))
    row = card[(card["tabel"] == "kehadiran") & card["pemeriksaan"].str.startswith("Jumlah baris bulan")].iloc[0]
    assert (row["jumlah"], row["status"]) == (30, "baik")
    assert _check(card, "klien", "Klien AKTIF tanpa kehadiran 60 hari") == (2, 7, round(2 / 7, 4), "buruk")


def test_monthly_counts_by_the_rows_own_date(office):
    counts = kualitas.monthly_counts(AS_OF, office[0])
    hadir = counts[counts["tabel"] == "kehadiran"]
    assert hadir[["bulan", "baris"]].to_dict("records") == [
        {"bulan": D(2026, 7, 1), "baris": 31}, {"bulan": D(2026, 8, 1), "baris": 30},
        {"bulan": D(2026, 9, 1), "baris": 30}, {"bulan": D(2026, 10, 1), "baris": 10}]


def test_every_check_has_a_status_and_a_stated_threshold(card):
    assert set(card["status"]) <= {"baik", "perhatian", "buruk"}
    assert card["ambang"].str.len().min() > 10
    assert list(card.columns) == kualitas.COLUMNS
    assert list(dict.fromkeys(card["tabel"])) == ["klien", "mitra", "program", "kehadiran", "anggaran", "hambatan"]


def test_summary_gives_the_worst_status_per_table(card):
    summary = kualitas.summary(card).set_index("tabel")
    assert summary.loc["klien", "status"] == "buruk" and summary.loc["mitra", "status"] == "perhatian"
    table = kualitas.summary_table(card)
    mitra = table[table["Tabel"] == "Mitra"]
    assert mitra[["Status", "Pemeriksaan perhatian", "Pemeriksaan buruk"]].values.tolist() == [["Perhatian", "1", "0"]]


def test_scorecard_table_in_words(card):
    table = kualitas.scorecard_table(card, only_problems=True)
    assert set(table["Status"]) == {"Perhatian", "Buruk"}
    row = table[table["Pemeriksaan"] == "Kelengkapan: NIK"].iloc[0].to_dict()
    assert row == {"Tabel": "Klien", "Pemeriksaan": "Kelengkapan: NIK", "Status": "Buruk", "Jumlah": "4",
                   "Dari": "10", "Porsi": "40,0%", "Ambang": "baik ≤ 10%; perhatian ≤ 30%; buruk > 30%",
                   "Keterangan": ""}


def test_load_history_and_undo_choices(tmp_path):
    db = tmp_path / "riwayat.duckdb"
    first = workbook(tmp_path / "klien.xlsx", {"Klien": (KLIEN_HEADER, [klien_row(1, "R-1", "Ani")])})
    load_files([first], db, user="operator1")
    second = workbook(tmp_path / "klien2.xlsx", {"Klien": (KLIEN_HEADER, [klien_row(1, "R-1", "Ani Baru"),
                                                                          klien_row(2, "R-2", "Budi")])})
    empty = tmp_path / "kosong.csv"
    empty.write_bytes(b"")
    load_files([second, empty], db, user="kepala1")
    history = kualitas.load_history(db)
    assert history[["id_muat", "pengguna", "sumber_file", "status", "baris_dibaca", "baris_dimuat", "baris_baru",
                    "baris_diperbarui"]].to_dict("records") == [
        {"id_muat": 2, "pengguna": "kepala1", "sumber_file": "klien2.xlsx", "status": "loaded", "baris_dibaca": 2,
         "baris_dimuat": 2, "baris_baru": 1, "baris_diperbarui": 1},
        {"id_muat": 2, "pengguna": "kepala1", "sumber_file": "kosong.csv", "status": "rejected", "baris_dibaca": 0,
         "baris_dimuat": 0, "baris_baru": 0, "baris_diperbarui": 0},
        {"id_muat": 1, "pengguna": "operator1", "sumber_file": "klien.xlsx", "status": "loaded", "baris_dibaca": 1,
         "baris_dimuat": 1, "baris_baru": 1, "baris_diperbarui": 0}]
    assert history["sha256"].tolist()[0] == hashlib.sha256(second.read_bytes()).hexdigest()
    assert history["keterangan"].tolist()[1] == "berkas kosong (0 byte)"
    words = kualitas.history_table(history)
    assert "Lembar kerja" in words.columns and "Sheet" not in words.columns
    assert words["Lembar kerja"].tolist() == ["Klien", "–", "Klien"]
    assert words[["No. muat", "Berkas", "Status", "Keterangan"]].values.tolist() == [
        ["2", "klien2.xlsx", "Dimuat", ""], ["2", "kosong.csv", "Ditolak seluruhnya", "berkas kosong (0 byte)"],
        ["1", "klien.xlsx", "Dimuat", ""]]
    assert list(kualitas.undo_choices(kualitas.load_runs(db))) == [2, 1]
    undo_run(2, db, user="kepala1")
    runs = kualitas.load_runs(db)
    assert list(kualitas.undo_choices(runs)) == [1]
    assert runs.loc[runs["id_muat"] == 2, "dibatalkan_oleh"].tolist() == ["kepala1"]
    assert kualitas.history_table(kualitas.load_history(db))["Status"].tolist()[0].startswith("Dimuat; dibatalkan ")


def test_report_tables_for_the_page():
    report = {"files": [
        {"file": "a.xlsx", "sheet": "S1", "kind": "klien", "status": "loaded", "rows_read": 3, "rows_loaded": 2,
         "rows_rejected": 1, "errors": [{"row": 9, "column": "Nama", "value": "", "message": "Nama wajib diisi"}],
         "warnings": [{"row": 4, "column": "NIK", "value": "1.87E+15", "message": "NIK dibulatkan"}]},
        {"file": "b.csv", "sheet": None, "kind": None, "status": "rejected", "rows_read": 0, "rows_loaded": 0,
         "rows_rejected": 0, "errors": [{"row": None, "column": None, "value": None,
                                         "message": "jenis data tidak dapat ditentukan (klien, kehadiran sama "
                                                    "cocoknya), gunakan --kind"}], "warnings": []}]}
    assert kualitas.report_summary(report).to_dict("records") == [
        {"Berkas": "a.xlsx", "Lembar kerja": "S1", "Jenis data": "Data Klien", "Status": "Siap dimuat", "Baris dibaca": "3",
         "Diterima": "2", "Ditolak": "1", "Peringatan": "1"},
        {"Berkas": "b.csv", "Lembar kerja": "–", "Jenis data": "tidak dikenali", "Status": "Ditolak seluruhnya",
         "Baris dibaca": "0", "Diterima": "0", "Ditolak": "0", "Peringatan": "0"}]
    assert kualitas.report_summary(report, loaded=True)["Status"].tolist() == ["Dimuat", "Ditolak seluruhnya"]
    assert kualitas.report_rows(report).to_dict("records") == [
        {"Berkas": "a.xlsx", "Lembar kerja": "S1", "Baris": "9", "Kolom": "Nama", "Nilai": "", "Alasan": "Nama wajib diisi"}]
    assert kualitas.report_rows(report, "warnings")["Pesan"].tolist() == ["NIK dibulatkan"]
    [line] = kualitas.file_errors(report)
    assert line.startswith("b.csv: jenis data tidak dapat ditentukan") and "--kind" not in line
    assert line.endswith("pilih jenis data pada kotak «Jenis data» lalu periksa lagi")


def test_report_tables_say_lembar_kerja_not_sheet():
    error = {"row": None, "column": None, "value": None, "message": "tidak ada data"}
    report = {"files": [{"file": "a.xlsx", "sheet": "Februari", "kind": "kehadiran", "status": "rejected",
                         "rows_read": 0, "rows_loaded": 0, "rows_rejected": 0, "errors": [error], "warnings": []}]}
    tables = [kualitas.report_summary(report), kualitas.report_rows(report), kualitas.report_rows(report, "warnings"),
              kualitas.history_table(pd.DataFrame())]
    for table in tables:
        assert "Lembar kerja" in table.columns
        assert not any("sheet" in str(c).lower() for c in table.columns), list(table.columns)
    assert kualitas.file_errors(report) == ["a.xlsx (lembar kerja Februari): tidak ada data"]


def _two_sheets_and_notes(folder) -> list:
    """«Klien Baru» (one good row, one impossible date) and «Catatan Rapat» (not data) in one workbook; a CSV."""
    import openpyxl
    from tests.builders import plain_csv
    book = workbook(folder / "klien.xlsx", {"Klien Baru": (KLIEN_HEADER, [
        klien_row(1, "KB-1", "Ani"), klien_row(2, "KB-2", "Budi", mulai="31/02/2026")])})
    wb = openpyxl.load_workbook(book)
    notes = wb.create_sheet("Catatan Rapat")
    for line in ("Catatan rapat bulanan", "Hadir: Kasubsi, PK", "Agenda: evaluasi wajib lapor"):
        notes.append([line])
    wb.save(book)
    extra = plain_csv(folder / "tambahan.csv", KLIEN_HEADER, [klien_row(1, "KB-3", "Cici")])
    return [book, extra]


def test_a_skipped_worksheet_has_its_own_row_and_its_own_warning(tmp_path):
    from etl.load import preview_files
    report = preview_files(_two_sheets_and_notes(tmp_path), tmp_path / "kosong.duckdb")
    assert kualitas.report_summary(report).to_dict("records") == [
        {"Berkas": "klien.xlsx", "Lembar kerja": "Klien Baru", "Jenis data": "Data Klien", "Status": "Siap dimuat",
         "Baris dibaca": "2", "Diterima": "1", "Ditolak": "1", "Peringatan": "0"},
        {"Berkas": "klien.xlsx", "Lembar kerja": "Catatan Rapat", "Jenis data": "tidak dikenali", "Status": "Dilewati",
         "Baris dibaca": "0", "Diterima": "0", "Ditolak": "0", "Peringatan": "1"},
        {"Berkas": "tambahan.csv", "Lembar kerja": "–", "Jenis data": "Data Klien", "Status": "Siap dimuat",
         "Baris dibaca": "1", "Diterima": "1", "Ditolak": "0", "Peringatan": "0"}]
    assert kualitas.report_rows(report, "warnings").to_dict("records") == [
        {"Berkas": "klien.xlsx", "Lembar kerja": "Catatan Rapat", "Baris": "–", "Kolom": "–", "Nilai": "",
         "Pesan": "dilewati: judul kolom tidak cocok dengan jenis data mana pun"}]  # not on «Klien Baru»
    # the bad date is quoted as typed, as the Nilai column shows it (not re-written as 31-2-2026)
    rejected = kualitas.report_rows(report, "errors")
    assert rejected.to_dict("records") == [
        {"Berkas": "klien.xlsx", "Lembar kerja": "Klien Baru", "Baris": "7", "Kolom": "Tanggal Mulai Bimbingan",
         "Nilai": "31/02/2026", "Alasan": "Tanggal Mulai Bimbingan: tanggal tidak ada di kalender: '31/02/2026'"}]
    assert not any("31-2-2026" in text for text in rejected["Alasan"])
    assert kualitas.rejected_title(rejected) == "Baris ditolak: 1 baris, 1 alasan"
    assert kualitas.load_scope(report) == "2 baris dari 2 berkas"
    # the command line's JSON keeps its shape: the skipped sheet's warning in the file's entry, naming the sheet
    [note] = report["files"][0]["warnings"]
    assert note == {"row": None, "column": None, "value": "Catatan Rapat",
                    "message": "lembar kerja 'Catatan Rapat' dilewati: judul kolom tidak cocok dengan jenis data "
                               "mana pun"}


def test_a_loaded_skipped_worksheet_is_recorded_under_its_own_name(tmp_path):
    db = tmp_path / "muat.duckdb"
    report = load_files(_two_sheets_and_notes(tmp_path), db, user="operator1")
    assert kualitas.report_summary(report, loaded=True)["Status"].tolist() == ["Dimuat", "Dilewati", "Dimuat"]
    con = duckdb.connect(str(db), read_only=True)
    try:
        warnings = con.execute("select sumber_file, sumber_sheet, nilai, pesan from peringatan_muat").fetchall()
        counts = con.execute("select sumber_sheet, jumlah_peringatan from muat_run order by all").fetchall()
    finally:
        con.close()
    assert warnings == [("klien.xlsx", "Catatan Rapat", "Catatan Rapat",
                         "lembar kerja 'Catatan Rapat' dilewati: judul kolom tidak cocok dengan jenis data mana pun")]
    assert counts == [("Klien Baru", 0), (None, 0)]


@pytest.mark.parametrize("entries, expected", [
    ([("a.xlsx", "Jan", 3), ("a.xlsx", "Feb", 1), ("b.xlsx", "Data", 2)], "6 baris dari 2 berkas (3 lembar kerja)"),
    ([("a.xlsx", "Jan", 3), ("b.csv", None, 1)], "4 baris dari 2 berkas"),
    ([("a.xlsx", "Jan", 3), ("a.xlsx", "Feb", 0)], "3 baris dari 1 berkas"),  # a sheet that brings no row
    ([("a.csv", None, 1234)], "1.234 baris dari 1 berkas"),
])
def test_load_scope_counts_files_and_worksheets_that_bring_rows(entries, expected):
    report = {"files": [{"file": f, "sheet": s, "kind": "klien", "status": "loaded", "rows_read": n,
                         "rows_loaded": n, "rows_rejected": 0, "errors": [], "warnings": []} for f, s, n in entries]}
    assert kualitas.load_scope(report) == expected
    assert "/" not in kualitas.load_scope(report)  # not «lembar kerja/berkas»


def test_rejected_title_counts_rows_and_reasons():
    errors = [{"row": 7, "column": "Nama", "value": "", "message": "Nama wajib diisi"},
              {"row": 7, "column": "Tgl Mulai", "value": "x", "message": "tanggal tidak dapat dibaca: 'x'"},
              {"row": 9, "column": "Nama", "value": "", "message": "Nama wajib diisi"}]
    report = {"files": [{"file": "a.xlsx", "sheet": "S1", "kind": "klien", "status": "loaded", "rows_read": 5,
                         "rows_loaded": 3, "rows_rejected": 2, "errors": errors, "warnings": []}]}
    title = kualitas.rejected_title(kualitas.report_rows(report))
    assert title == "Baris ditolak: 2 baris, 3 alasan"
    assert "(3 alasan)" not in title


def test_history_and_report_use_the_same_status_labels(tmp_path):
    db = tmp_path / "label.duckdb"
    good = workbook(tmp_path / "klien.xlsx", {"Klien": (KLIEN_HEADER, [klien_row(1, "L-1", "Ani")])})
    empty = tmp_path / "kosong.csv"
    empty.write_bytes(b"")
    report = load_files([good, empty], db, user="operator1")
    shown = kualitas.report_summary(report, loaded=True)["Status"].tolist()
    history = kualitas.history_table(kualitas.load_history(db))["Status"].tolist()
    assert shown == history == ["Dimuat", "Ditolak seluruhnya"]
    assert not {"dimuat", "ditolak"} & set(history)


def test_load_outcome_counts_the_files_that_brought_rows():
    def entry(file, status, rows):
        return {"file": file, "status": status, "rows_loaded": rows}
    every = {"id_muat": 3, "files": [entry("a.xlsx", "loaded", 4), entry("a.xlsx", "loaded", 1),
                                     entry("b.csv", "loaded", 2)]}
    assert kualitas.load_outcome(every) == ("Muat nomor 3 selesai: 7 baris dimuat dari 2 berkas.", False)
    some = {"id_muat": 4, "files": [entry("a.xlsx", "loaded", 1200), entry("b.csv", "rejected", 0),
                                    entry("c.csv", "loaded", 0)]}
    assert kualitas.load_outcome(some) == (
        "Muat nomor 4 selesai: 1.200 baris dimuat dari 1 berkas (dari 3 berkas yang dipilih). "
        "1 berkas ditolak seluruhnya.", True)
