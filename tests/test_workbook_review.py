"""Workbooks as other offices lay them out, and hostile ones: defects found in a review of the readers."""
import json
import zipfile

import openpyxl
import pytest

from etl.load import load_files
from tests.builders import workbook
from tests.conftest import query, run_cli


def _report(paths, db):
    return load_files(paths, db)["files"]


def _plain_book(path, rows, merges=()):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data Klien"
    for row in rows:
        ws.append(row)
    for cells in merges:
        ws.merge_cells(cells)
    wb.save(path)
    return path


# ------------------------------------------------------------------ a header cell merged across two columns
def test_a_header_cell_merged_over_two_columns_keeps_the_first_data_row(tmp_path, db):
    path = _plain_book(tmp_path / "klien.xlsx", [["No. Register", "Nama", None, "Tgl Mulai"],
                                                 ["MRG-001", "Ani", None, "01/01/2024"],
                                                 ["MRG-002", "Budi", None, "02/01/2024"]], merges=["B1:C1"])
    [entry] = _report([path], db)
    assert (entry["rows_read"], entry["rows_loaded"], entry["rows_rejected"]) == (2, 2, 0)
    assert entry["errors"] == [] and entry["warnings"] == []  # «Nama» is not taken twice from the first data row
    assert query(db, "select no_register, nama, sumber_baris from klien order by 1") == [
        ("MRG-001", "Ani", 2), ("MRG-002", "Budi", 3)]


def test_a_real_two_row_header_is_still_read_as_one(tmp_path, db):
    header = ["No. Register", "Nama", "Mulai Bimbingan", "Akhir Bimbingan"]
    rows = [["TWO-001", "Ani", "01/02/2024", "01/02/2025"]]
    path = workbook(tmp_path / "klien.xlsx", {"Klien": (header, rows)}, group={"Tanggal": (2, 3)})
    [entry] = _report([path], db)
    assert (entry["rows_read"], entry["rows_loaded"], entry["errors"]) == (1, 1, [])
    assert query(db, "select tanggal_mulai_bimbingan::varchar, tanggal_akhir_bimbingan::varchar from klien") == [
        ("2024-02-01", "2025-02-01")]


# ------------------------------------------------------------------------ a column between headers, untitled
def test_values_in_a_column_without_a_header_are_said_to_be_ignored(tmp_path, db):
    path = _plain_book(tmp_path / "klien.xlsx", [["No. Register", "Nama", None, "Tgl Mulai"],
                                                 ["GAP-001", "Ani", "catatan", "01/01/2024"],
                                                 ["GAP-002", "Budi", None, "01/01/2024"]])
    [entry] = _report([path], db)
    assert entry["rows_loaded"] == 2 and entry["errors"] == []
    assert entry["warnings"] == [{"row": 1, "column": None, "value": None,
                                  "message": "kolom ke-3 (C) tidak berjudul tetapi berisi nilai di 1 baris; nilai itu "
                                             "diabaikan — beri judul kolomnya jika isinya perlu dimuat"}]


def test_an_empty_untitled_column_is_not_warned_about(tmp_path, db):
    path = _plain_book(tmp_path / "klien.xlsx", [["No. Register", "Nama", None, "Tgl Mulai"],
                                                 ["GAP-001", "Ani", None, "01/01/2024"]])
    [entry] = _report([path], db)
    assert entry["rows_loaded"] == 1 and entry["warnings"] == []


# ------------------------------------------------------------- a dimension that states less than the sheet holds
def _with_far_cell(source, target, cell="XFD1048576"):
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:C2"/>' in data
                row = cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
                data = data.replace(b"</sheetData>", f'<row r="{row}"><c r="{cell}" t="inlineStr"><is><t>x</t></is>'
                                                     f'</c></row></sheetData>'.encode())
            zout.writestr(item, data)
    return target


def test_a_far_cell_beyond_a_lying_dimension_is_refused_not_a_crash(tmp_path, db):
    good = _plain_book(tmp_path / "asli.xlsx",
                       [["No. Register", "Nama", "Tgl Mulai"], ["DIM-001", "Ani", "01/01/2024"]])
    load_files([good], db)
    path = _with_far_cell(good, tmp_path / "dimensi-bohong.xlsx")
    done = run_cli("load", path, "--db", db, "--json")
    assert done.returncode == 1 and "Traceback" not in done.stderr and "memory allocation" not in done.stderr
    [entry] = json.loads(done.stdout)["files"]
    assert entry["status"] == "rejected" and entry["errors"][0]["message"] == (
        "lembar kerja 'Data Klien' terlalu besar untuk dibaca (1048576 baris × 16384 kolom terpakai); hapus isi sel "
        "di luar tabel lalu simpan ulang")
    assert query(db, "select no_register from klien") == [("DIM-001",)]  # the earlier load is intact


def test_a_near_cell_beyond_a_lying_dimension_still_loads(tmp_path, db):
    good = _plain_book(tmp_path / "asli.xlsx",
                       [["No. Register", "Nama", "Tgl Mulai"], ["DIM-001", "Ani", "01/01/2024"]])
    path = _with_far_cell(good, tmp_path / "dimensi-kurang.xlsx", cell="E40")
    [entry] = _report([path], db)
    assert (entry["status"], entry["rows_read"], entry["rows_loaded"], entry["errors"]) == ("loaded", 1, 1, [])


# ---------------------------------------------------------------- invisible characters pasted from a chat or the web
def test_a_register_with_a_zero_width_space_is_the_register_a_person_sees(tmp_path, db):
    klien = _plain_book(tmp_path / "klien.xlsx", [["No. Register", "Nama", "Tgl Mulai"],
                                                  ["ZW-001\u200b", "Ani", "01/01/2024"],
                                                  ["\ufeffZW-002", "Budi", "01/01/2024"]])
    hadir = workbook(tmp_path / "hadir.xlsx", {"Hadir": (["No. Register", "Tanggal", "Jenis Kegiatan", "Kehadiran"],
                                                         [["ZW-001", "01/03/2024", "Wajib Lapor", "Hadir"],
                                                          ["ZW-\u2060002", "01/03/2024", "Wajib Lapor", "Hadir"]])})
    entries = _report([klien, hadir], db)
    assert [(e["rows_loaded"], e["errors"]) for e in entries] == [(2, []), (2, [])]
    assert query(db, "select no_register from klien order by 1") == [("ZW-001",), ("ZW-002",)]


@pytest.mark.parametrize("letters, digits", [(1, 1), (1, 5), (2, 4), (3, 7)])
def test_the_search_for_a_reference_past_the_dimension_agrees_with_its_pattern(letters, digits):
    """extract._has_longer_ref (numpy, off the GIL) finds exactly what the pattern r="[A-Z]{L+1,}|[A-Z]{1,3}\\d{D+1,}
    finds, whatever surrounds the reference."""
    import random
    import re
    from etl import extract
    pattern = re.compile(rb'r="(?:[A-Z]{%d,}|[A-Z]{1,3}\d{%d,})' % (letters + 1, digits + 1))
    rng = random.Random(letters * 10 + digits)
    for _ in range(400):
        ref = ("".join(rng.choice("ABCXYZ") for _ in range(rng.randint(1, 4)))
               + str(rng.randint(1, 10 ** rng.randint(1, 8))))
        data = f'<row r="{rng.randint(1, 99)}"><c r="A1" s="2"/><c r="{ref}" t="s"><v>7</v></c></row></sheetData>'
        assert extract._has_longer_ref(data.encode(), letters, digits) == bool(pattern.search(data.encode())), ref
