"""Workbooks as other Bapas keep them (Medan, Pekalongan, Makassar, Ambon, Jakarta Barat): their header wordings and
abbreviations, a header that lists its values, ticked columns of choices, full-width digits; each read with the
right values, or refused with a reason in Indonesian that names the row and the column."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
import xlwt

from etl import parse, spec
from etl.load import load_files
from tests.builders import workbook
from tests.conftest import query, run_cli

D = dt.date
NBSP = "\u00a0"


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


def _report(paths: list[Path], db: Path) -> list[dict]:
    return load_files(paths, db)["files"]


def _issues(entry: dict, kind: str = "errors") -> list[tuple]:
    return [(i["row"], i["column"], i["message"]) for i in entry[kind]]


# ------------------------------------------------------------------------------------------ header wordings
@pytest.mark.parametrize("kind, header, field", [
    ("klien", "Nomor Registrasi Klien", "no_register"),
    ("klien", "No. Reg.", "no_register"),
    ("klien", "Nama Klien Pemasyarakatan", "nama"),
    ("klien", "Jns Integrasi", "program_integrasi"),
    ("klien", "Jns. Kelamin", "jenis_kelamin"),
    ("klien", "TGL. BERAKHIR", "tanggal_akhir_bimbingan"),
    ("klien", "Tgl Ekspirasi", "tanggal_akhir_bimbingan"),
    ("klien", "PB/CB/CMB/Asimilasi", "program_integrasi"),
    ("klien", "L / P", "jenis_kelamin"),
    ("kehadiran", "Ket.", "alasan"),
    ("kehadiran", "Tgl. Kegiatan", "tanggal"),
    ("hambatan", "Uraian Hambatan", "uraian"),
    ("hambatan", "Ket.", "uraian"),
    ("anggaran", "Thn Anggaran", "tahun_anggaran"),
])
def test_header_wordings_of_other_offices(kind, header, field):
    assert spec.field_for_header(kind, header) == field


@pytest.mark.parametrize("kind, header", [
    ("klien", "Alamat"), ("klien", "No. HP"), ("klien", "Ket."), ("klien", "Kode/Nama"),
    ("kehadiran", "Paraf"), ("klien", "L/P/X"),
])
def test_headers_no_field_takes_stay_unknown(kind, header):
    assert spec.field_for_header(kind, header) is None


def test_every_accepted_header_still_names_its_own_field():
    for kind_name, kind in spec.KINDS.items():
        for f in kind.fields:
            for header in f.accepted:
                assert spec.field_for_header(kind_name, header) == spec.HEADER_INDEX[kind_name][
                    spec.normalise_header(header)], (kind_name, header)


def _medan(path: Path) -> Path:
    """Bapas Kelas I Medan: titles, a logo row, group labels over two header rows, numbering, signature."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data Klien 2025"
    ws["A1"], ws["A2"] = "BALAI PEMASYARAKATAN KELAS I MEDAN", "DATA KLIEN PEMASYARAKATAN DEWASA"
    top = ["No", "Identitas Klien", None, None, None, "Tanggal", None, None, "Jns Integrasi", "Alamat", "Perkara"]
    low = [None, "Nomor Registrasi Klien", "Nama Klien Pemasyarakatan", "L/P", "NIK", "Lahir", "Mulai Bimbingan",
           "Akhir Bimbingan", None, None, None]
    for c, (up, down) in enumerate(zip(top, low), 1):
        ws.cell(5, c, up)
        ws.cell(6, c, down)
    for cells in ("B5:E5", "F5:H5", "A5:A6", "I5:I6", "J5:J6", "K5:K6"):
        ws.merge_cells(cells)
    for c in range(1, 12):
        ws.cell(7, c, f"({c})")
    rows = [
        [1, "W2.PAS.PAS1-PB.001/2025 ", "Ahmad  Siregar" + NBSP, "Laki-laki", "1271011203900001", "12 Januari 1990",
         "12 Januari 2025", "12.01.2026", "PB", "Jl. Gatot Subroto", "Narkotika"],
        [2, "W2.PAS.PAS1-CB.002/2025", "Siti", "Perempuan", "1.27101E+15", "1992/06/15", 45700,
         dt.datetime(2025, 8, 3), "CB", "", "Penipuan"],
        [3, "W2.PAS.PAS1-CMB.003/2025", "Rina", "P", _full_width("1271014405950004"), _full_width("04.05.1995"),
         "15 Mar 2025", "", "Asimilasi", "", "Penganiayaan"],
        [4, "W2.PAS.PAS1-PB.004/2025", "Joko", "L", "", "", "12-Jan-25", "", "PB", "", ""],
        [5, "W2.PAS.PAS1-PB.005/2025", "Maria", "P", "", "", "Jan 2025", "", "PB", "", ""],
    ]
    for r, row in enumerate(rows, 8):
        for c, v in enumerate(row, 1):
            ws.cell(r, c, v)
    ws.cell(14, 9, "Medan, 31 Oktober 2026")
    ws.cell(15, 9, "Kepala Bapas Kelas I Medan")
    ws.cell(18, 9, "NIP. 197001011990031001")
    wb.save(path)
    return path


def test_a_medan_register_with_its_own_wordings_loads(tmp_path, db):
    [entry] = _report([_medan(tmp_path / "medan_klien.xlsx")], db)
    assert (entry["rows_read"], entry["rows_loaded"], entry["rows_rejected"]) == (5, 3, 2)
    assert query(db, "select no_register, nama, jenis_kelamin, nik, tanggal_lahir, tanggal_mulai_bimbingan, "
                     "tanggal_akhir_bimbingan, program_integrasi, kategori_pidana from klien order by sumber_baris") == [
        ("W2.PAS.PAS1-PB.001/2025", "Ahmad Siregar", "L", "1271011203900001", D(1990, 1, 12), D(2025, 1, 12),
         D(2026, 1, 12), "PB", "Narkotika"),
        ("W2.PAS.PAS1-CB.002/2025", "Siti", "P", None, D(1992, 6, 15), D(2025, 2, 12), D(2025, 8, 3), "CB",
         "Penipuan/Penggelapan"),
        ("W2.PAS.PAS1-CMB.003/2025", "Rina", "P", "1271014405950004", D(1995, 5, 4), D(2025, 3, 15), None,
         "ASIMILASI", "Penganiayaan/Kekerasan")]
    # DATA.md §0: two-digit years and a date without its day are refused, naming the row and the column
    assert [(row, column, message.split(":")[0]) for row, column, message in _issues(entry)] == [
        (11, "Tanggal Mulai Bimbingan", "Tanggal Mulai Bimbingan"),
        (12, "Tanggal Mulai Bimbingan", "Tanggal Mulai Bimbingan")]
    assert "tahun dua digit tidak diterima: '12-Jan-25'" in entry["errors"][0]["message"]
    assert "tanggal tidak dapat dibaca: 'Jan 2025'" in entry["errors"][1]["message"]
    warned = _issues(entry, "warnings")
    assert [(row, column) for row, column, message in warned if "NIK" in message] == [(9, "NIK")]
    assert [column for row, column, message in warned if message == "kolom tidak dikenal, diabaikan"] == ["Alamat"]


@pytest.mark.parametrize("raw, expected", [
    (_full_width("1271014405950004"), ("1271014405950004", None, None)),
])
def test_full_width_digits_are_read_as_digits(raw, expected):
    assert parse.parse_nik(raw) == expected
    assert parse.parse_date(_full_width("12/01/2025")) == (D(2025, 1, 12), None, None)
    assert parse.parse_register("ＰＫＬ－００１") == ("PKL-001", None, None)
    assert parse.clean_text("Ani\u3000Lestari") == "Ani Lestari"


def test_penipuan_written_out_is_its_category(tmp_path, db):
    path = workbook(tmp_path / "klien.xlsx", {"Klien": (["No. Register", "Nama", "Tgl Mulai", "Tindak Pidana"],
                                                        [["TPU-001", "Ani", "01/02/2025", "Penipuan"]])})
    load_files([path], db)
    assert query(db, "select kategori_pidana from klien") == [("Penipuan/Penggelapan",)]


# ---------------------------------------------------------------------------------- Pekalongan: old .xls, by month
def _pekalongan_xls(path: Path) -> Path:
    wb = xlwt.Workbook()
    ws = wb.add_sheet("KLIEN")
    ws.write_merge(0, 0, 0, 6, "BAPAS KELAS II PEKALONGAN")
    for c, h in enumerate(["NO", "NO. REG", "NAMA KLIEN", "JENIS KELAMIN", "PB/CB/CMB/Asimilasi", "TGL. MULAI",
                           "TGL. BERAKHIR", "No. HP"]):
        ws.write(2, c, h)
    day = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    rows = [[1, "PKL-001", "Slamet", "L", "Pembebasan Bersyarat", dt.date(2025, 1, 6), dt.date(2026, 1, 6), "0812"],
            [2, "PKL-002", "Dewi", "P", "Cuti Bersyarat", "13 Januari 2025", "13/07/2025", ""]]
    for r, row in enumerate(rows, 3):
        for c, v in enumerate(row):
            ws.write(r, c, v, day) if isinstance(v, dt.date) else ws.write(r, c, v)
    ws.write(6, 5, "Pekalongan, 5 Februari 2025")
    wb.save(str(path))
    return path


def _pekalongan_hadir(path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    months = {"JAN": [("PKL-001", "13 Januari 2025", "H", ""), ("PKL-002", "20/01/2025", "✓", ""),
                      ("PKL-001", "27/01/2025", "TH", "kerja di luar kota")],
              "FEB": [("PKL-002", "10.02.2025", "Tdk Hadir", "ongkos habis"), ("PKL-001", "2025/02/17", "Sakit", ""),
                      ("PKL-002", "24 Pebruari 2025", "Alpa", "")]}
    for name, rows in months.items():
        ws = wb.create_sheet(name)
        ws.append([f"DAFTAR HADIR WAJIB LAPOR BULAN {name}"])
        ws.append([])
        ws.append(["No", "No. Reg", "Nama", "Tgl. Lapor", "Kegiatan", "Status Kehadiran", "Ket.", "Paraf"])
        ws.append(["1", "2", "3", "4", "5", "6", "7", "8"])
        for i, (reg, day, status, reason) in enumerate(rows, 1):
            ws.append([i, reg, "x", day, "Wajib Lapor", status, reason, None])
        ws.append(["JUMLAH", None, None, None, None, len(rows)])
    wb.save(path)
    return path


def test_pekalongan_old_xls_and_a_sheet_per_month_load_through_the_command_line(tmp_path, db):
    klien, hadir = _pekalongan_xls(tmp_path / "klien.xls"), _pekalongan_hadir(tmp_path / "hadir.xlsx")
    done = run_cli("load", klien, hadir, "--db", db, "--json")
    assert done.returncode == 0, done.stderr
    files = json.loads(done.stdout)["files"]
    assert [(f["file"], f["sheet"], f["rows_loaded"], f["rows_rejected"]) for f in files] == [
        ("klien.xls", "KLIEN", 2, 0), ("hadir.xlsx", "JAN", 3, 0), ("hadir.xlsx", "FEB", 3, 0)]
    assert [w["column"] for w in files[0]["warnings"]] == ["No. HP"]
    assert query(db, "select no_register, jenis_kelamin, program_integrasi, tanggal_mulai_bimbingan, "
                     "tanggal_akhir_bimbingan from klien order by no_register") == [
        ("PKL-001", "L", "PB", D(2025, 1, 6), D(2026, 1, 6)), ("PKL-002", "P", "CB", D(2025, 1, 13), D(2025, 7, 13))]
    assert query(db, "select sumber_sheet, tanggal, status_hadir, alasan, kategori_hambatan from kehadiran "
                     "order by tanggal") == [
        ("JAN", D(2025, 1, 13), "HADIR", None, None), ("JAN", D(2025, 1, 20), "HADIR", None, None),
        ("JAN", D(2025, 1, 27), "TIDAK_HADIR", "kerja di luar kota", "KLIEN_BEKERJA_LUAR_KOTA"),
        ("FEB", D(2025, 2, 10), "TIDAK_HADIR", "ongkos habis", "JARAK_BIAYA_TRANSPORT"),
        ("FEB", D(2025, 2, 17), "IZIN", None, "LAINNYA"), ("FEB", D(2025, 2, 24), "TIDAK_HADIR", None, "LAINNYA")]


@pytest.mark.parametrize("raw, code", [("✓", "HADIR"), ("√", "HADIR"), ("TH", "TIDAK_HADIR"),
                                       ("Tdk Hadir", "TIDAK_HADIR"), ("tidak hadir (sakit)", "TIDAK_HADIR")])
def test_attendance_marks(raw, code):
    assert parse.parse_vocab(raw, "status_hadir") == (code, None, None)


@pytest.mark.parametrize("raw", ["?", "✗✓", "TH2"])
def test_a_symbol_that_is_no_mark_is_still_refused(raw):
    value, error, _ = parse.parse_vocab(raw, "status_hadir")
    assert value is None and "yang diterima: HADIR, TERLAMBAT, IZIN, TIDAK_HADIR" in error


# ------------------------------------------------------------------------------ Jakarta Barat: ticked columns
def test_ticked_columns_of_choices_under_one_label_are_one_column(tmp_path, db):
    header = ["No. Register", "Nama", "Tgl Mulai", "L", "P"]
    rows = [["JKB-101", "Hendra", "12/01/2025", "✓", None], ["JKB-102", "Lina", "12/01/2025", None, "v"],
            ["JKB-103", "Tono", "12/01/2025", 1, 0], ["JKB-104", "Sari", "12/01/2025", None, None],
            ["JKB-105", "Ganda", "12/01/2025", "✓", "✓"]]
    path = workbook(tmp_path / "klien.xlsx", {"Register": (header, rows)}, group={"Jenis Kelamin": (3, 4)},
                    total=True)
    [entry] = _report([path], db)
    assert (entry["rows_read"], entry["rows_loaded"]) == (5, 4)
    assert _issues(entry) == [(11, "Jenis Kelamin", "Jenis Kelamin: lebih dari satu pilihan ditandai (L dan P); "
                                                    "tandai satu saja")]
    assert entry["warnings"] == []  # «P» is read, not an unknown column
    assert query(db, "select no_register, jenis_kelamin from klien order by no_register") == [
        ("JKB-101", "L"), ("JKB-102", "P"), ("JKB-103", "L"), ("JKB-104", None)]


def test_attendance_ticked_in_hadir_izin_sakit_alpa_columns(tmp_path, db):
    klien = workbook(tmp_path / "klien.xlsx", {"Klien": (["No. Register", "Nama", "Tgl Mulai"],
                                                         [["AMB-001", "Yosef", "02/01/2025"],
                                                          ["AMB-002", "Maria", "02/01/2025"]])})
    header = ["No. Register", "Tanggal", "Jenis Kegiatan", "Hadir", "Izin", "Sakit", "Alpa", "Keterangan"]
    rows = [["AMB-001", "06/01/2025", "Wajib Lapor", "✓", None, None, None, None],
            ["AMB-002", "06/01/2025", "Wajib Lapor", None, None, "✓", None, "sakit demam"],
            ["AMB-001", "13/01/2025", "Wajib Lapor", None, None, None, "V", "lupa"]]
    hadir = workbook(tmp_path / "hadir.xlsx", {"Januari": (header, rows)}, group={"Kehadiran": (3, 6)})
    entries = _report([klien, hadir], db)
    assert [(e["rows_loaded"], e["errors"], e["warnings"]) for e in entries] == [(2, [], []), (3, [], [])]
    assert query(db, "select no_register, tanggal, status_hadir, kategori_hambatan from kehadiran "
                     "order by tanggal, no_register") == [
        ("AMB-001", D(2025, 1, 6), "HADIR", None), ("AMB-002", D(2025, 1, 6), "IZIN", "SAKIT"),
        ("AMB-001", D(2025, 1, 13), "TIDAK_HADIR", "KLIEN_KURANG_SERIUS")]


def test_a_group_over_columns_that_are_not_its_values_is_read_as_before(tmp_path, db):
    header = ["No. Register", "Nama", "Tgl Mulai", "Jenis Kelamin", "Umur"]
    path = workbook(tmp_path / "klien.xlsx", {"Klien": (header, [["GRP-001", "Ani", "01/02/2025", "P", 30]])},
                    group={"Identitas": (3, 4)})
    [entry] = _report([path], db)
    assert entry["errors"] == [] and query(db, "select jenis_kelamin, umur_saat_mulai from klien") == [("P", 30)]


# ------------------------------------------------------------------------ Makassar: obstacles, «Uraian Hambatan»
def test_makassar_obstacle_log_keeps_its_description(tmp_path, db):
    header = ["Tgl.", "Faktor", "Jenis Hambatan", "Uraian Hambatan", "Tindak Lanjut", "Status", "Catatan"]
    rows = [["05-02-2025", "Internal", "Anggaran terbatas", "Honor narasumber belum cair", "Revisi DIPA", "Proses",
             "x"]]
    [entry] = _report([workbook(tmp_path / "hambatan.xlsx", {"Hambatan": (header, rows)})], db)
    assert [w["column"] for w in entry["warnings"]] == ["Catatan"]
    assert query(db, "select tanggal, faktor, kategori, uraian, status from hambatan") == [
        (D(2025, 2, 5), "INTERNAL", "ANGGARAN_TERBATAS", "Honor narasumber belum cair", "DITANGANI")]


def test_a_client_name_beside_the_register_is_not_warned_about(tmp_path):
    """«Nama Klien» on an attendance sheet is a reading aid, not an unknown column; «Alamat» still is."""
    from etl.extract import find_header, read_grids, table
    path = tmp_path / "hadir.csv"
    path.write_text("No. Register;Nama Klien;Tanggal;Jenis Kegiatan;Kehadiran;Alamat\n"
                    "PB-1;Budi;02/01/2025;Wajib Lapor;Hadir;Jl. Mawar\n", encoding="utf-8")
    [grid] = read_grids(path)
    kind, row, columns = find_header(grid, "kehadiran")
    warned = [w["column"] for w in table(grid, kind, row, columns).warnings
              if w["message"] == "kolom tidak dikenal, diabaikan"]
    assert warned == ["Alamat"]


def test_a_row_naming_a_total_in_more_words_is_rejected_saying_why(tmp_path, db):
    """«Jumlah Januari» is no word of DATA.md's closed list, so the row is data and rejected; its reason now says it
    looks like a total row and how to have it skipped (it only said «Kode Akun wajib diisi»)."""
    from etl.validate import TOTAL_ROW_HINT
    header = ["Tahun Anggaran", "Bulan", "Kode Akun", "Realisasi"]
    rows = [[2026, 1, "521211", 1_000_000], ["Jumlah Januari", None, None, 1_000_000], [2026, 2, "521211", 500_000],
            [None, None, None, None], [2026, 3, None, 7]]
    path = workbook(tmp_path / "anggaran.xlsx", {"Realisasi": (header, rows)})
    [entry] = load_files([path], db)["files"]
    assert (entry["rows_read"], entry["rows_loaded"], entry["rows_rejected"]) == (4, 2, 2)
    messages = {e["row"]: e["message"] for e in entry["errors"] if e["column"] == "Kode Akun"}
    assert messages == {7: "Kode Akun wajib diisi" + TOTAL_ROW_HINT, 10: "Kode Akun wajib diisi"}
