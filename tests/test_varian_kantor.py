"""Other offices' workbooks: layouts and spellings the templates never produce, each read with the right values or
refused with a reason in Indonesian (lists of choices beside the data, a header pasted twice, a group label over
«Nama | NIP», formula errors, verdicts written out in words, time cells as hours)."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from etl import extract, parse, spec
from etl.load import load_files
from tests.builders import plain_csv, workbook
from tests.conftest import query

D = dt.date
HEADER = ["No. Register", "Nama", "Tgl Mulai"]
ENGLISH = re.compile(r"\b(the|is|not|of|and|to|cannot|could|invalid|error|failed|expected|unexpected|"
                     r"unsupported|found|missing|file|sheet|row|column)\b", re.I)


def _entries(path: Path, db: Path) -> list[dict]:
    report = load_files([path], db)
    for entry in report["files"]:
        for item in entry["errors"] + entry["warnings"]:
            assert not ENGLISH.search(item["message"]), item["message"]
    return report["files"]


def _klien(db: Path) -> list[tuple]:
    return query(db, "select no_register, nama, sumber_sheet, sumber_baris from klien order by sumber_baris")


def _book(path: Path, sheets: dict[str, list[list]], hidden: tuple[str, ...] = ()) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        ws.sheet_state = "hidden" if name in hidden else "visible"
    wb.save(path)
    return path


# ---------------------------------------------------------------------------------- sheets that are not data
@pytest.mark.parametrize("hidden", [(), ("Daftar",)])
def test_a_list_of_choices_beside_the_data_does_not_reject_the_workbook(tmp_path, db, hidden):
    path = _book(tmp_path / "klien.xlsx", {
        "Data Klien": [HEADER + ["Jenis Kelamin"], ["LST-001", "Ani", "01/02/2025", "P"]],
        "Daftar": [["Jenis Kelamin", "Status", "Agama"], ["L", "Aktif", "Islam"], ["P", "Selesai", "Kristen"]]},
        hidden=hidden)
    [entry] = _entries(path, db)
    assert (entry["sheet"], entry["status"], entry["rows_loaded"]) == ("Data Klien", "loaded", 1)
    [note] = entry["warnings"]
    assert note["message"].startswith("lembar kerja 'Daftar' dilewati: ")
    assert "kolom wajib tidak ditemukan (No. Register, Nama, Tanggal Mulai Bimbingan)" in note["message"]
    assert _klien(db) == [("LST-001", "Ani", "Data Klien", 2)]


def test_a_hidden_sheet_with_some_required_columns_missing_is_skipped_not_fatal(tmp_path, db):
    path = _book(tmp_path / "hadir.xlsx", {
        "Data Klien": [HEADER, ["HDN-001", "Ani", "01/02/2025"]],
        "Pilihan": [["Jenis Kegiatan", "Kehadiran", "Bentuk"], ["Wajib Lapor", "Hadir", "Daring"]]},
        hidden=("Pilihan",))
    [entry] = _entries(path, db)
    assert entry["status"] == "loaded" and _klien(db) == [("HDN-001", "Ani", "Data Klien", 2)]
    assert entry["warnings"][0]["message"].startswith("lembar kerja 'Pilihan' dilewati: lembar kerja tersembunyi; ")


def test_a_hidden_sheet_of_data_loads_and_says_it_was_hidden(tmp_path, db):
    path = _book(tmp_path / "klien.xlsx", {"Data Klien": [HEADER, ["TMP-001", "Ani", "01/02/2025"]],
                                          "Arsip": [HEADER, ["TMP-002", "Budi", "01/02/2025"]]}, hidden=("Arsip",))
    entries = _entries(path, db)
    assert [(e["sheet"], e["rows_loaded"], [w["message"][:40] for w in e["warnings"]]) for e in entries] == [
        ("Data Klien", 1, []), ("Arsip", 1, ["lembar kerja ini tersembunyi di Excel, t"])]


def test_a_visible_data_sheet_missing_a_required_column_still_rejects_its_file(tmp_path, db):
    path = _book(tmp_path / "klien.xlsx", {"Data Klien": [HEADER, ["VIS-001", "Ani", "01/02/2025"]],
                                          "Tanpa Nama": [["No. Register", "Jenis Kelamin", "Tgl Mulai"],
                                                         ["VIS-002", "L", "01/02/2025"]]})
    entries = _entries(path, db)
    assert [e["status"] for e in entries] == ["rejected", "rejected"]
    assert "kolom wajib tidak ditemukan untuk data klien: Nama" in entries[0]["errors"][0]["message"]
    assert not db.exists()  # nothing to write: the database was never made


# ------------------------------------------------------------------------------------------------ header row
def test_a_header_pasted_again_further_down_keeps_the_rows_above_it(tmp_path, db):
    path = _book(tmp_path / "klien.xlsx", {"Klien": [
        ["No"] + HEADER, [1, "ULG-001", "Ani", "01/02/2025"], [2, "ULG-002", "Budi", "01/02/2025"],
        ["Halaman 1 dari 2"], ["No"] + HEADER, [3, "ULG-003", "Cici", "01/02/2025"]]})
    [entry] = _entries(path, db)
    assert [(e["row"], e["column"], e["value"]) for e in entry["errors"]] == [(5, "Tgl Mulai", "Tgl Mulai")]
    assert [r[0] for r in _klien(db)] == ["ULG-001", "ULG-002", "ULG-003"]


def test_a_number_in_the_header_row_does_not_hide_the_headers(tmp_path, db):
    path = _book(tmp_path / "klien.xlsx", {"Klien": [HEADER + ["Jenis Kelamin", 2025],
                                                     ["ANG-001", "Ani", "01/02/2025", "P", "x"]]})
    [entry] = _entries(path, db)
    assert [(w["column"], w["message"]) for w in entry["warnings"]] == [("2025", "kolom tidak dikenal, diabaikan")]
    assert _klien(db) == [("ANG-001", "Ani", "Klien", 2)]


def test_a_group_label_names_only_the_first_column_under_it(tmp_path, db):
    header = ["No. Register", "Nama", "Mulai", "Akhir", "Nama", "NIP"]
    rows = [["GRP-001", "Ani", "01/02/2025", "01/02/2026", "Drs. Yusuf", "198503122010012001"]]
    path = workbook(tmp_path / "klien.xlsx", {"Klien": (header, rows)},
                    group={"Tanggal": (2, 3), "Pembimbing Kemasyarakatan": (4, 5)})
    [entry] = _entries(path, db)
    assert (entry["status"], entry["errors"], entry["warnings"]) == ("loaded", [], [])
    assert query(db, "select nama, tanggal_mulai_bimbingan, tanggal_akhir_bimbingan, pk_nama, pk_nip from klien") == [
        ("Ani", D(2025, 2, 1), D(2026, 2, 1), "Drs. Yusuf", "198503122010012001")]


def test_a_group_label_is_not_the_header_of_a_column_further_under_it(tmp_path, db):
    header = ["No. Register", "Nama", "Tgl Mulai", "NIP", "Pangkat/Gol"]
    rows = [["GRP-002", "Budi", "01/02/2025", "198503122010012001", "Penata III/c"]]
    path = workbook(tmp_path / "klien.xlsx", {"Klien": (header, rows)}, group={"Pembimbing Kemasyarakatan": (3, 4)})
    [entry] = _entries(path, db)
    assert [(w["column"], w["message"]) for w in entry["warnings"]] == [
        ("Pangkat/Gol", "kolom tidak dikenal, diabaikan")]
    assert query(db, "select pk_nama, pk_nip from klien") == [(None, "198503122010012001")]


# ---------------------------------------------------------------------------------------------- formula errors
def _formula_errors(path: Path) -> Path:
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Data Klien")
    ws.write_row(0, 0, HEADER + ["Jenis Kelamin", "Kode Bapas"])
    ws.write_row(1, 0, ["GLT-001", "Ani", "01/02/2025"])
    ws.write_formula(1, 3, "=VLOOKUP(A2,Daftar!A:B,2,0)", None, "#N/A")  # "not available": an empty cell
    ws.write_string(2, 0, "GLT-002")
    ws.write_formula(2, 1, "=#REF!", None, "#REF!")
    ws.write_string(2, 2, "01/02/2025")
    ws.write_row(3, 0, ["GLT-003", "Cici"])
    ws.write_formula(3, 2, '=DATEVALUE("x")', None, "#VALUE!")
    ws.write_row(4, 0, ["GLT-004", "Dodi", "01/02/2025"])
    ws.write_formula(4, 4, "=1/0", None, "#DIV/0!")
    book.close()
    return path


def test_a_formula_error_is_the_reason_not_an_empty_cell(tmp_path, db):
    [entry] = _entries(_formula_errors(tmp_path / "galat.xlsx"), db)
    assert [(e["row"], e["column"], e["value"], e["message"].split(" (")[0]) for e in entry["errors"]] == [
        (3, "Nama", "#REF!", "Nama: sel berisi galat rumus #REF!"),
        (4, "Tgl Mulai", "#VALUE!", "Tgl Mulai: sel berisi galat rumus #VALUE!"),
        (5, "Kode Bapas", "#DIV/0!", "Kode Bapas: sel berisi galat rumus #DIV/0!")]
    assert "wajib diisi" not in str(entry["errors"])
    assert query(db, "select no_register, jenis_kelamin from klien") == [("GLT-001", None)]


def test_a_formula_error_saved_as_text_in_a_csv_is_refused_too(tmp_path, db):
    path = plain_csv(tmp_path / "klien.csv", HEADER + ["Pekerjaan"],
                     [["CSV-001", "#REF!", "01/02/2025", "Petani"], ["CSV-002", "Budi", "01/02/2025", "Err:502"],
                      ["CSV-003", "Cici", "01/02/2025", "#N/A"]])
    [entry] = _entries(path, db)
    assert [(e["row"], e["column"]) for e in entry["errors"]] == [(2, "Nama"), (3, "Pekerjaan")]
    assert query(db, "select no_register, pekerjaan_awal from klien") == [("CSV-003", None)]


def test_a_workbook_without_formula_errors_is_read_as_before(tmp_path):
    path = workbook(tmp_path / "klien.xlsx", {"Klien": (HEADER, [["OK-001", "Ani", "01/02/2025"]])})
    [scan] = extract._xlsx_extent_checks(path).values()
    extent, has_error, part = scan.result()
    assert extent[1] == 3 and not has_error and extract._sheet_error_cells(path, part) == []


# ---------------------------------------------------------------------------------------- values as offices type
@pytest.mark.parametrize("parser, raw, expected", [
    (parse.parse_months, "2 (dua) tahun 6 (enam) bulan", 30),
    (parse.parse_months, "8 (delapan) bulan", 8),
    (parse.parse_months, "Pidana penjara selama 1 (satu) tahun", 12),
    (parse.parse_ttl, "Bandar Lampung / 12-03-1990", D(1990, 3, 12)),
    (parse.parse_ttl, "Metro 5 Mei 1985", D(1985, 5, 5)),
    (parse.parse_bool, "√", True),
    (parse.parse_month, D(2025, 3, 1), 3),
    (parse.parse_month, dt.datetime(2025, 11, 1), 11),
    (parse.parse_month, "03/2025", 3),
    (parse.parse_double, dt.time(1, 30), 1.5),
    (parse.parse_double, dt.timedelta(hours=26, minutes=30), 26.5),
    (parse.parse_double, "1:30", 1.5),
    (parse.parse_double, "1 jam 30 menit", 1.5),
    (parse.parse_date, "'12/01/2025", D(2025, 1, 12)),
])
def test_values_as_other_offices_type_them(parser, raw, expected):
    assert parser(raw) == (expected, None, None)


@pytest.mark.parametrize("parser, raw, reason", [
    (parse.parse_ttl, "Bandar Lampung / 12-03-90", "tahun dua digit"),
    (parse.parse_months, "2 (dua) tahun denda 5 juta", "tidak dapat dibaca"),
    (parse.parse_double, "1:75", "bukan angka"),
])
def test_near_misses_keep_their_reason(parser, raw, reason):
    value, error, _ = parser(raw)
    assert value is None and reason in error


@pytest.mark.parametrize("field, raw, expected", [
    ("nik", '="1871011203900001"', "1871011203900001"),
    ("tanggal_mulai_bimbingan", '="01/02/2025"', D(2025, 2, 1)),
    ("no_register", '="007/PB/2025"', "007/PB/2025"),
])
def test_a_csv_value_kept_as_text_with_equals_quotes(field, raw, expected):
    assert parse.parser_for(spec.KINDS["klien"].field(field))(raw) == (expected, None, None)


def test_time_cells_and_month_dates_load(tmp_path, db):
    book = xlsxwriter.Workbook(str(tmp_path / "anggaran.xlsx"))
    ws = book.add_worksheet("Realisasi")
    month = book.add_format({"num_format": "mmm-yy"})
    ws.write_row(0, 0, ["TA", "Bulan", "Kode Akun", "Uraian", "Pagu", "Realisasi"])
    ws.write_row(1, 0, [2025, None, "521211", "Konsumsi", 10_000_000])
    ws.write_number(2, 0, 2025)
    ws.write_datetime(2, 1, dt.datetime(2025, 2, 1), month)
    ws.write_row(2, 2, ["521211", "Konsumsi", None, 1_000_000])
    book.close()
    [entry] = _entries(tmp_path / "anggaran.xlsx", db)
    assert entry["errors"] == []
    assert query(db, "select bulan, realisasi from anggaran order by sumber_baris") == [(None, None), (2, 1_000_000)]


def test_a_bom_before_windows_1252_text_reads_the_text(tmp_path, db):
    path = tmp_path / "klien.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "No. Register;Nama;Tgl Mulai\r\nBOM-001;José;01/02/2025\r\n".encode("cp1252"))
    [entry] = _entries(path, db)
    assert entry["warnings"] == [] and query(db, "select nama from klien") == [("José",)]


# ------------------------------------------------------------------------- what a rejection says (etl/load.py)
def test_a_rejected_sheet_of_a_workbook_says_how_a_reference_list_stops_rejecting(tmp_path, db):
    path = _book(tmp_path / "klien.xlsx", {"Data Klien": [HEADER, ["REF-001", "Ani", "01/02/2025"]],
                                          "Kode": [["No. Register", "Jenis Kelamin", "Agama"], ["PB-1", "L", "Islam"]]})
    entries = _entries(path, db)
    [message] = [e["errors"][0]["message"] for e in entries if e["sheet"] == "Kode"]
    assert message.startswith("kolom wajib tidak ditemukan untuk data klien: Nama, Tanggal Mulai Bimbingan")
    assert message.endswith("bila lembar kerja ini bukan data (mis. daftar pilihan), sembunyikan atau hapus "
                            "lembar kerja itu")
    lone = _book(tmp_path / "satu.xlsx", {"Kode": [["No. Register", "Jenis Kelamin", "Agama"], ["PB-1", "L", "Islam"]]})
    [entry] = _entries(lone, db)  # one sheet: nothing else to keep, no hint
    assert "sembunyikan" not in entry["errors"][0]["message"]


def test_over_ceiling_warning_names_the_column_as_the_sheet_writes_it(tmp_path, db):
    header = ["TA", "Bulan", "Kode Akun", "Uraian", "Pagu (Rp)", "Rencana (Rp)", "Realisasi (Rp)"]
    path = _book(tmp_path / "anggaran.xlsx", {"TA 2025": [
        header, [2025, None, "524113", "Transport", 1_000_000, None, None],
        [2025, 1, "524113", "Transport", None, 500_000, 1_500_000]]})
    [entry] = _entries(path, db)
    assert [(w["row"], w["column"]) for w in entry["warnings"] if "melebihi pagu" in w["message"]] == [
        (2, "Realisasi (Rp)")]  # the first row of the account, as before


def test_the_command_line_says_a_file_was_rejected_whole_not_that_its_rows_were(tmp_path, db):
    import subprocess
    import sys
    path = _book(tmp_path / "klien.xlsx", {"Data": [["No. Register", "Nama"], ["X-1", "Ani"]]})
    done = subprocess.run([sys.executable, "-m", "etl", "load", str(path), "--db", str(db)],
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 1
    assert "tidak ada baris yang dapat dimuat (berkas ditolak seluruhnya, alasannya di atas)" in done.stderr
