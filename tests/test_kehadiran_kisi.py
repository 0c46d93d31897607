"""Attendance kept as a grid (a row per client, a column per date, a mark per cell): each mark is one kehadiran row,
a bad mark rejects that one row naming its column, and a grid whose month or activity cannot be found is refused
with a reason about attendance, never about client columns."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from etl import config, extract
from etl.load import load_files
from tests.builders import office_sheet, sheet_book, workbook
from tests.conftest import query, run_cli

D = dt.date
KLIEN = ["No. Register", "Nama", "Tgl Mulai"]
ROWS = "select no_register, tanggal, jenis_kegiatan, kode_program, status_hadir, petugas, sumber_sheet, sumber_baris " \
       "from kehadiran order by no_register, tanggal"


def _klien(tmp_path: Path) -> Path:
    return workbook(tmp_path / "klien.xlsx", {"Klien": (KLIEN, [["PB-001", "Budi", "02/01/2025"],
                                                                ["PB-002", "Sari", "02/01/2025"]])})


_grid = sheet_book  # one sheet as an office keeps it (tests/builders.py)


def _load(tmp_path: Path, grid: Path, db: Path) -> dict:
    """The grid's entry in the report of loading the clients, then the grid."""
    load_files([_klien(tmp_path)], db)
    [entry] = load_files([grid], db)["files"]
    return entry


def _issues(entry: dict, kind: str = "errors") -> list[tuple]:
    return [(i["row"], i["column"], i["value"], i["message"]) for i in entry[kind]]


# --------------------------------------------------------------------------------------------- reading
def test_grid_with_date_headers_and_an_activity_column(tmp_path, db):
    header = ["No", "No. Register", "Nama Klien", "Jenis Kegiatan", "PK", D(2026, 1, 5), "12/01/2026",
              "19 Jan 2026", "Senin, 26 Januari 2026"]
    rows = [[1, "PB-001", "Budi", "Wajib Lapor", "Ahmad", "H", "✓", None, "A"],
            [2, "pb-002", "Sari", "Bimbingan Keagamaan", "Rina", "Izin", None, "√", "-"]]
    entry = _load(tmp_path, _grid(tmp_path / "hadir.xlsx", header, rows, titles=("DAFTAR HADIR",)), db)
    assert (entry["kind"], entry["rows_read"], entry["rows_loaded"], entry["rows_rejected"]) == ("kehadiran", 5, 5, 0)
    assert entry["errors"] == [] and entry["warnings"] == []
    assert query(db, ROWS) == [
        ("PB-001", D(2026, 1, 5), "WAJIB_LAPOR", None, "HADIR", "Ahmad", "Lembar1", 5),
        ("PB-001", D(2026, 1, 12), "WAJIB_LAPOR", None, "HADIR", "Ahmad", "Lembar1", 5),
        ("PB-001", D(2026, 1, 26), "WAJIB_LAPOR", None, "TIDAK_HADIR", "Ahmad", "Lembar1", 5),
        ("PB-002", D(2026, 1, 5), "BIMBINGAN_KEAGAMAAN", None, "IZIN", "Rina", "Lembar1", 6),
        ("PB-002", D(2026, 1, 19), "BIMBINGAN_KEAGAMAAN", None, "HADIR", "Rina", "Lembar1", 6)]


def test_day_numbers_with_month_activity_and_program_in_the_title(tmp_path, db):
    """«Tanggal» merged over 1 … 5 (a two-row header), a numbering row, a JUMLAH row and a signature block."""
    load_files([workbook(tmp_path / "program.xlsx", {"Program": (["Kode Program", "Nama Program"],
                                                                  [["PRG-01", "Pelatihan Las"]])})], db)
    header = ["No", "No. Register", "Nama", 1, 2, 3, 4, 5]
    rows = [[1, "PB-001", "Budi", "H", None, "S", None, "Mangkir"], [2, "PB-002", "Sari", None, "TH", None, "h", None]]
    titles = ("DAFTAR HADIR PELATIHAN KERJA", "BULAN JANUARI TAHUN 2026", "Kode Program: prg-01")
    path = _grid(tmp_path / "hadir.xlsx", header, rows, titles=titles, group={"Tanggal": (3, 7)}, total=True)
    entry = _load(tmp_path, path, db)
    assert (entry["rows_read"], entry["rows_loaded"], entry["errors"], entry["warnings"]) == (5, 5, [], [])
    assert query(db, ROWS) == [
        ("PB-001", D(2026, 1, 1), "PELATIHAN_KERJA", "PRG-01", "HADIR", None, "Lembar1", 8),
        ("PB-001", D(2026, 1, 3), "PELATIHAN_KERJA", "PRG-01", "IZIN", None, "Lembar1", 8),
        ("PB-001", D(2026, 1, 5), "PELATIHAN_KERJA", "PRG-01", "TIDAK_HADIR", None, "Lembar1", 8),
        ("PB-002", D(2026, 1, 2), "PELATIHAN_KERJA", "PRG-01", "TIDAK_HADIR", None, "Lembar1", 9),
        ("PB-002", D(2026, 1, 4), "PELATIHAN_KERJA", "PRG-01", "HADIR", None, "Lembar1", 9)]


@pytest.mark.parametrize("sheet, titles, expected", [
    ("Jan 2026", ("DAFTAR HADIR BIMBINGAN KEAGAMAAN",), (D(2026, 1, 6), "BIMBINGAN_KEAGAMAAN")),
    ("Wajib Lapor Feb", ("REKAP KEHADIRAN KLIEN TAHUN 2026",), (D(2026, 2, 6), "WAJIB_LAPOR")),
    ("Sheet1", ("ABSENSI KUNJUNGAN RUMAH", "Periode: Maret 2026"), (D(2026, 3, 6), "KUNJUNGAN_RUMAH")),
])
def test_month_and_activity_from_the_sheet_name_or_the_titles(tmp_path, db, sheet, titles, expected):
    header = ["No. Reg", "Nama", "6", "7", "8"]
    path = _grid(tmp_path / "hadir.xlsx", header, [["PB-001", "Budi", "Hadir", None, None]], sheet=sheet,
                 titles=titles, numbering=False, signature=False)
    entry = _load(tmp_path, path, db)
    assert (entry["rows_loaded"], entry["errors"]) == (1, [])
    assert query(db, "select tanggal, jenis_kegiatan from kehadiran") == [expected]


def test_a_csv_grid_with_a_weekday_row_and_totals(tmp_path, db):
    """Weekday names under the day numbers belong to the header; the JUMLAH row's counts are no marks."""
    path = tmp_path / "hadir.csv"
    path.write_text("DAFTAR HADIR WAJIB LAPOR BULAN FEBRUARI 2026;;;;\n;;;;\nNo. Register;Nama;1;2;3\n"
                    ";;Min;Sen;Sel\nPB-001;Budi;H;Telat;A\nPB-002;Sari;;H;\nJUMLAH;;1;2;0\n", encoding="utf-8")
    entry = _load(tmp_path, path, db)
    assert (entry["rows_read"], entry["rows_loaded"], entry["errors"], entry["warnings"]) == (4, 4, [], [])
    assert query(db, "select no_register, tanggal, status_hadir, sumber_baris from kehadiran order by all") == [
        ("PB-001", D(2026, 2, 1), "HADIR", 5), ("PB-001", D(2026, 2, 2), "TERLAMBAT", 5),
        ("PB-001", D(2026, 2, 3), "TIDAK_HADIR", 5), ("PB-002", D(2026, 2, 2), "HADIR", 6)]


def test_a_month_over_its_days_in_a_two_row_header(tmp_path, db):
    header = ["No. Register", "Nama", 30, 31, 1, 2]
    rows = [["PB-001", "Budi", "H", "A", "I", "H"]]
    path = _grid(tmp_path / "hadir.xlsx", header, rows, titles=("DAFTAR HADIR WAJIB LAPOR",),
                 group={"Januari 2026": (2, 3), "Februari 2026": (4, 5)}, numbering=False)
    entry = _load(tmp_path, path, db)
    assert (entry["rows_loaded"], entry["errors"]) == (4, [])
    assert [r[1] for r in query(db, ROWS)] == [D(2026, 1, 30), D(2026, 1, 31), D(2026, 2, 1), D(2026, 2, 2)]


# -------------------------------------------------------------------------------------------- rejecting
def test_an_unknown_mark_rejects_its_one_row_naming_the_column(tmp_path, db):
    later = config.load_date() + dt.timedelta(days=10)
    header = ["No. Register", "Nama", "Kegiatan", "05/01/2026", "12/01/2026", later.strftime("%d/%m/%Y")]
    rows = [["PB-001", "Budi", "Wajib Lapor", "H", "X", None], ["PB-002", "Sari", "Wajib Lapor", "H", None, "H"]]
    path = _grid(tmp_path / "hadir.xlsx", header, rows, titles=("DAFTAR HADIR",), numbering=False)
    entry = _load(tmp_path, path, db)
    assert (entry["rows_read"], entry["rows_loaded"], entry["rows_rejected"]) == (4, 2, 2)
    today = config.load_date()
    month = ("", "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")[today.month]
    day = f"{today.day} {month} {today.year}"
    assert _issues(entry) == [
        (4, "Kehadiran", "X", "Kehadiran: kolom «12/01/2026»: tanda kehadiran 'X' tidak dikenal; yang diterima: H, V, ✓ "
                              "atau √ (hadir), Terlambat atau Telat, I, Izin, S atau Sakit (izin), A, Alpa, Mangkir, "
                              "TH atau Tdk Hadir (tidak hadir)"),
        (5, "Tanggal", later.isoformat(), f"Tanggal sesudah tanggal pemuatan ({day}) tidak diterima")]
    assert query(db, "select no_register, tanggal from kehadiran order by all") == [
        ("PB-001", D(2026, 1, 5)), ("PB-002", D(2026, 1, 5))]


def test_two_bad_marks_of_one_client_are_two_rejected_rows(tmp_path, db):
    header = ["No. Register", "Nama", "Kegiatan", "05/01/2026", "12/01/2026", "19/01/2026", "26/01/2026"]
    rows = [["PB-001", "Budi", "Wajib Lapor", "X", "Y", "H", "H"]]
    entry = _load(tmp_path, _grid(tmp_path / "hadir.xlsx", header, rows, numbering=False), db)
    assert (entry["kind"], len(entry["errors"])) == ("kehadiran", 2)
    assert (entry["rows_read"], entry["rows_loaded"], entry["rows_rejected"]) == (4, 2, 2)


def test_a_mark_repeated_in_another_sheet_drops_only_that_mark(tmp_path, db):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    header = ["No. Register", "Nama", "05/01/2026", "12/01/2026", "19/01/2026"]
    for name, row in (("WL Jan", ["PB-001", "Budi", "H", None, None]), ("WL Jan (2)", ["PB-001", "Budi", "H", "A", None])):
        office_sheet(wb.create_sheet(name), header, [row], titles=("DAFTAR HADIR WAJIB LAPOR",), numbering=False)
    wb.save(tmp_path / "hadir.xlsx")
    load_files([_klien(tmp_path)], db)
    entries = load_files([tmp_path / "hadir.xlsx"], db)["files"]
    assert [(e["rows_read"], e["rows_loaded"], e["rows_rejected"]) for e in entries] == [(1, 1, 0), (2, 1, 1)]


def test_a_grid_naming_no_activity_is_refused_as_attendance(tmp_path, db):
    header = ["No", "No. Register", "Nama", "PK", "05/01/2026", "12/01/2026", "19/01/2026"]
    rows = [[1, "PB-001", "Budi", "Ahmad", "H", "✓", "A"]]
    path = _grid(tmp_path / "absen.xlsx", header, rows, sheet="Januari", titles=("DAFTAR HADIR KLIEN",),
                 numbering=False, signature=False)
    _klien(tmp_path)
    done = run_cli("load", tmp_path / "klien.xlsx", path, "--db", db, "--json")
    assert done.returncode == 1, done.stderr
    [_, entry] = json.loads(done.stdout)["files"]
    [error] = entry["errors"]
    assert (entry["kind"], entry["status"]) == ("kehadiran", "rejected")
    assert error["message"] == (
        "kolom wajib tidak ditemukan untuk data kehadiran: Jenis Kegiatan — lembar ini dibaca sebagai daftar hadir "
        "(satu kolom per tanggal), tetapi jenis kegiatannya tidak disebut di kolom, judul maupun nama lembar kerja; "
        "tambahkan kolom «Jenis Kegiatan», atau tulis satu kegiatan di judul (mis. «DAFTAR HADIR WAJIB LAPOR BULAN "
        "JANUARI 2026») (judul kolom di baris 3)")
    assert "klien" not in error["message"] and "Tanggal Mulai" not in error["message"]
    assert query(db, "select count(*) from kehadiran") == [(0,)]


def test_a_title_naming_two_activities_is_refused_naming_both(tmp_path, db):
    header = ["No. Register", "Nama", "05/01/2026", "12/01/2026", "19/01/2026"]
    path = _grid(tmp_path / "hadir.xlsx", header, [["PB-001", "Budi", "H", "H", "H"]],
                 titles=("DAFTAR HADIR WAJIB LAPOR DAN BIMBINGAN KEPRIBADIAN",))
    [error] = _load(tmp_path, path, db)["errors"]
    assert "judulnya menyebut lebih dari satu kegiatan (Bimbingan Kepribadian, Wajib Lapor)" in error["message"]


def test_day_numbers_without_a_month_are_refused_saying_how_to_fix(tmp_path, db):
    header = ["No. Register", "Nama", "Kegiatan", 1, 2, 3]
    path = _grid(tmp_path / "hadir.xlsx", header, [["PB-001", "Budi", "Wajib Lapor", "H", None, "A"]],
                 titles=("DAFTAR HADIR",), numbering=False)
    entry = _load(tmp_path, path, db)
    [error] = entry["errors"]
    assert (entry["kind"], entry["status"], error["row"]) == ("kehadiran", "rejected", None)
    assert error["message"] == (
        "kolom wajib tidak ditemukan untuk data kehadiran: Tanggal — lembar ini dibaca sebagai daftar hadir dengan "
        "satu kolom per tanggal (1, 2, 3 …), tetapi bulan dan tahunnya tidak ditemukan di judul maupun nama lembar "
        "kerja; tulis bulan dan tahunnya di judul (mis. «Bulan Januari 2026») atau gunakan tanggal lengkap (mis. "
        "05/01/2026) sebagai judul kolom (judul kolom di baris 3)")


# ---------------------------------------------------------------------------------- what stays as before
def test_a_client_sheet_with_date_columns_still_loads_as_clients(tmp_path, db):
    """Dates under date headers (home visits, say) are no attendance marks: the sheet stays a client sheet."""
    header = ["No. Register", "Nama", "Tgl Mulai", "Tanggal Lahir", "01/02/2025", "01/03/2025", "01/04/2025"]
    rows = [["PB-001", "Budi", "02/01/2025", "05/05/1990", D(2025, 2, 3), D(2025, 3, 3), None]]
    [entry] = load_files([workbook(tmp_path / "klien.xlsx", {"Klien": (header, rows)})], db)["files"]
    assert (entry["kind"], entry["rows_loaded"], entry["errors"]) == ("klien", 1, [])
    assert query(db, "select no_register, tanggal_lahir from klien") == [("PB-001", D(1990, 5, 5))]


def test_a_long_attendance_sheet_is_no_grid(tmp_path):
    path = tmp_path / "hadir.csv"
    path.write_text("No. Register;Tanggal;Jenis Kegiatan;Kehadiran\nPB-1;02/01/2025;Wajib Lapor;Hadir\n",
                    encoding="utf-8")
    [grid] = extract.read_grids(path)
    kind, row, columns = extract.find_header(grid)
    assert (kind, row, type(columns)) == ("kehadiran", 0, dict)


def test_the_same_grid_twice_changes_nothing(tmp_path, db):
    header = ["No. Register", "Nama", "05/01/2026", "12/01/2026", "19/01/2026"]
    rows = [["PB-001", "Budi", "H", None, "A"], ["PB-002", "Sari", "I", "H", "H"]]
    path = _grid(tmp_path / "hadir.xlsx", header, rows, titles=("DAFTAR HADIR WAJIB LAPOR",))
    _load(tmp_path, path, db)
    before = query(db, "select * exclude (dimuat_pada, id_muat) from kehadiran order by all")
    [entry] = load_files([path], db)["files"]
    assert (entry["rows_loaded"], entry["errors"]) == (5, [])
    assert query(db, "select * exclude (dimuat_pada, id_muat) from kehadiran order by all") == before
    assert len(before) == 5
    assert query(db, "select baris_baru, baris_diperbarui from muat_run order by id_muat desc limit 1") == [(0, 0)]


def test_recap_rows_under_a_grid_are_not_attendance(tmp_path, db):
    """«Jumlah Hadir» / «Rekap» rows count the marks per date: skipped, not rejected four times each (found by hand:
    a recap row in the register column was rejected as marks '3', '3', '0', '3'). A recap row with a mark is data."""
    header = ["No", "No. Register", "Nama", "02/02/2026", "09/02/2026", "16/02/2026"]
    rows = [[1, "PB-001", "Budi", "H", "A", "H"], [2, "PB-002", "Sari", "H", "H", None],
            [None, "Jumlah Hadir", None, 2, 1, 1], ["Rekap", None, None, "100%", "50%", "50%"],
            [None, "Jumlah Klien Baru", None, "H", None, None]]
    path = _grid(tmp_path / "hadir.xlsx", header, rows, titles=("DAFTAR HADIR WAJIB LAPOR",), numbering=False)
    entry = _load(tmp_path, path, db)
    assert (entry["rows_read"], entry["rows_loaded"], entry["rows_rejected"]) == (6, 5, 1)
    assert [e["row"] for e in entry["errors"]] == [8]  # under a mark it is a client's row: an unknown register
    assert query(db, "select count(*) from kehadiran") == [(5,)]


def test_a_tick_typed_as_the_letter_v_is_present_and_bolos_is_absent(tmp_path, db):
    """Offices without a ✓ on the keyboard type V; «Bolos» (truant) is an absence."""
    header = ["No. Register", "Nama", "Kegiatan", "05/01/2026", "12/01/2026", "19/01/2026"]
    rows = [["PB-001", "Budi", "Wajib Lapor", "V", "v", "Bolos"]]
    entry = _load(tmp_path, _grid(tmp_path / "hadir.xlsx", header, rows, numbering=False), db)
    assert (entry["rows_read"], entry["rows_loaded"], entry["rows_rejected"]) == (3, 3, 0)
    assert query(db, "select status_hadir from kehadiran order by tanggal") == [("HADIR",), ("HADIR",),
                                                                                ("TIDAK_HADIR",)]


def test_the_rejected_rows_of_a_day_number_grid_reload_without_their_title(tmp_path, db):
    """The rejected-rows workbook has no title rows: the day numbers come back as whole dates and the activity the
    title named as a column, so the operator fixes the mark and uploads it as it is (it was refused: no month)."""
    from etl import ditolak
    header = ["No. Register", "Nama", 5, 12, 19]
    rows = [["PB-001", "Budi", "H", "X", "H"], ["PB-002", "Sari", "H", "H", None]]
    titles = ("DAFTAR HADIR BIMBINGAN KEAGAMAAN", "BULAN JANUARI 2026")
    path = _grid(tmp_path / "hadir.xlsx", header, rows, titles=titles, numbering=False)
    load_files([_klien(tmp_path)], db)
    report = load_files([path], db)
    [sheet] = ditolak.rejected_sheets(path, report)
    assert sheet.header == ["No. Register", "Nama", "05/01/2026", "12/01/2026", "19/01/2026", "Jenis Kegiatan"]
    assert sheet.rows == [["PB-001", "Budi", "H", "X", "H", "BIMBINGAN_KEAGAMAAN"]]
    fixed = tmp_path / "hadir - ditolak.xlsx"
    fixed.write_bytes(ditolak.to_xlsx([sheet], path.name))
    book = openpyxl.load_workbook(fixed)
    book.active["D2"] = "A"  # the operator's fix
    book.save(fixed)
    [entry] = load_files([fixed], db)["files"]
    assert (entry["kind"], entry["rows_read"], entry["rows_loaded"], entry["rows_rejected"]) == ("kehadiran", 3, 3, 0)
    assert query(db, "select tanggal, jenis_kegiatan, status_hadir from kehadiran where no_register = 'PB-001' "
                     "order by tanggal") == [(D(2026, 1, 5), "BIMBINGAN_KEAGAMAAN", "HADIR"),
                                             (D(2026, 1, 12), "BIMBINGAN_KEAGAMAAN", "TIDAK_HADIR"),
                                             (D(2026, 1, 19), "BIMBINGAN_KEAGAMAAN", "HADIR")]


def test_reports_say_a_grid_counts_the_rows_made_from_it(tmp_path, db):
    """«dibaca 6» for a sheet of two clients puzzles an operator: the command line and the Unggah Data summary say the
    sheet was read as a grid, one row per mark; an ordinary sheet's entry has no such key."""
    from analytics import kualitas
    from etl.extract import SHAPES
    header = ["No. Register", "Nama", "Kegiatan", "05/01/2026", "12/01/2026", "19/01/2026"]
    rows = [["PB-001", "Budi", "Wajib Lapor", "H", "H", "A"], ["PB-002", "Sari", "Wajib Lapor", "H", "I", "H"]]
    path = _grid(tmp_path / "hadir.xlsx", header, rows, numbering=False)
    load_files([_klien(tmp_path)], db)
    done = run_cli("load", path, "--db", db, "--json")
    [entry] = json.loads(done.stdout)["files"]
    assert (entry["rows_read"], entry["bentuk"]) == (6, "kisi")
    shown = run_cli("load", path, "--db", db)
    assert f"dibaca 6, dimuat 6, ditolak 0, peringatan 0 ({SHAPES['kisi']})" in shown.stdout
    summary = kualitas.report_summary({"files": [entry], "skipped": []})
    assert summary["Lembar kerja"].tolist() == [f"Lembar1 ({SHAPES['kisi']})"]
    [plain] = load_files([_klien(tmp_path)], db)["files"]
    assert "bentuk" not in plain
