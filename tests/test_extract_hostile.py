"""The reader on malformed files: every failure named in Indonesian from what the file holds, never a crash
and never the library's own (English) text; a bad CSV line rejects only its row."""
from __future__ import annotations

import io
import random
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import xlsxwriter

from etl import extract, spec
from etl.extract import ExtractError
from etl.load import load_files, preview_files
from etl.parse import RejectedCell, parser_for
from etl.validate import References, validate
from tests.builders import plain_csv, workbook
from tests.conftest import query

HEADER = ["No. Register", "Nama", "Tgl Mulai"]
ENGLISH = re.compile(r"\b(the|is|not|of|and|to|cannot|could|invalid|error|failed|expected|unexpected|"
                     r"unsupported|found|missing|file|line|saw|inside)\b", re.I)
TECHNICAL = re.compile(r"Error\b|Calamine|Arrow[A-Z]|EOCD|tokeniz|Traceback|_rels|\bOLE\b|numpy|ndarray")


def _clean(message: str) -> str:
    assert not ENGLISH.search(message) and not TECHNICAL.search(message), message
    return message


def _reason(path: Path) -> str:
    with pytest.raises(ExtractError) as caught:
        extract.read_grids(path)
    return _clean(str(caught.value))


def _rows(prefix: str, n: int) -> list[list[str]]:
    return [[f"{prefix}-{i:03d}", f"Nama {i}", "01/02/2022"] for i in range(1, n + 1)]


def _entry(path: Path, db: Path) -> dict:
    [entry] = preview_files([path], db)["files"]
    for item in entry["errors"] + entry["warnings"]:
        _clean(item["message"])
    return entry


# --------------------------------------------------------------------------------------- builders
def _xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Data Klien")
    for r, row in enumerate([HEADER, *_rows("XL", 2)]):
        sheet.write_row(r, 0, row)
    book.close()
    return buffer.getvalue()


def _zip_bytes(members: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


def _broken_sheet_xml() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(_xlsx_bytes()))
    return _zip_bytes({item.filename: source.read(item.filename)[: len(source.read(item.filename)) // 2]
                       if item.filename.startswith("xl/worksheets/") else source.read(item.filename)
                       for item in source.infolist()})


def _parquet_bytes() -> bytes:
    buffer = io.BytesIO()
    pq.write_table(pa.table({"no_register": ["A"]}), buffer)
    return buffer.getvalue()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HTML = b"<html><body><table><tr><td>No. Register</td><td>Nama</td></tr></table></body></html>"
XML_2003 = (b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
            b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>')
ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"


# ----------------------------------------------------------------------------- workbooks that do not open
WORKBOOKS = [  # file name, its bytes, expected reason (part)
    ("catatan.xls", b"Catatan rapat, bukan spreadsheet.\n" * 40,
     "berkas ini berisi teks biasa, bukan buku kerja Excel; jika isinya data berpemisah koma"),
    ("tab.xls", "No. Register\tNama\nA-1\tAni\n".encode(), "ubah akhirannya menjadi .csv"),
    ("ekspor-web.xls", HTML, "berkas ini halaman web (HTML) yang diberi akhiran .xls, bukan buku kerja Excel; "
                             "buka di Excel lalu simpan sebagai .xlsx"),
    ("ekspor-web-bom.xls", b"\xef\xbb\xbf\r\n<!DOCTYPE html>" + HTML, "halaman web (HTML)"),
    ("xml-2003.xls", XML_2003, "'XML Spreadsheet 2003' yang diberi akhiran .xls"),
    ("arsip.xlsx", _zip_bytes({"catatan.txt": "arsip biasa"}),
     "berkas bukan buku kerja Excel yang sah: isinya arsip zip biasa, bukan buku kerja"),
    ("surat.xlsx", _zip_bytes({"[Content_Types].xml": "<x/>", "word/document.xml": "<w/>"}),
     "isinya dokumen Word (.docx)"),
    ("laporan.xlsx", b"%PDF-1.4\n" + bytes(200), "isinya dokumen PDF"),
    ("terpotong.xlsx", _xlsx_bytes()[:3000], "berkas terpotong atau rusak"),
    ("rusak.ods", _zip_bytes({"mimetype": ODS_MIMETYPE, "content.xml": "<office:document-content"}),
     "berkas .ods rusak dan tidak dapat dibaca sebagai buku kerja"),
    ("rusak.xlsx", _zip_bytes({"xl/workbook.xml": "<workbook"}),
     "berkas .xlsx rusak dan tidak dapat dibaca sebagai buku kerja"),
    ("sheet-rusak.xlsx", _broken_sheet_xml(), "lembar kerja 'Data Klien' rusak dan tidak dapat dibaca (isinya "
                                              "terpotong atau tidak sah)"),
    ("baru.xls", _xlsx_bytes(), "berkas ini buku kerja Excel (.xlsx) yang diberi akhiran .xls; ubah akhirannya "
                                "menjadi .xlsx"),
    ("baru.ods", _xlsx_bytes(), "buku kerja Excel (.xlsx) yang diberi akhiran .ods"),
    ("terkunci.xlsx", OLE + bytes(4096), "dilindungi kata sandi"),
    ("dokumen-lama.xls", OLE + bytes(4096), "isinya dokumen Office lama yang bukan buku kerja"),
    ("acak.xlsx", random.Random(6).randbytes(4096), "bukan buku kerja Excel yang sah (isi tidak sesuai dengan "
                                                   "ekstensi .xlsx)"),
    ("acak.ods", random.Random(6).randbytes(4096), "bukan buku kerja OpenDocument yang sah"),
]


@pytest.mark.parametrize("name, content, expected", WORKBOOKS, ids=[w[0] for w in WORKBOOKS])
def test_unreadable_workbook_is_named_from_what_it_holds(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    assert expected in _reason(path)
    assert "spreadsheet" not in _english_format_name_left_out(_reason(path))  # Indonesian: buku kerja


def _english_format_name_left_out(text: str) -> str:
    """The text in lower case without the name of the format 'XML Spreadsheet 2003' (a proper name)."""
    return text.replace("'XML Spreadsheet 2003'", "''").lower()


def test_the_library_text_goes_to_the_debug_log_only(tmp_path, caplog):
    path = tmp_path / "catatan.xls"
    path.write_bytes(b"Catatan rapat.\n" * 40)
    with caplog.at_level("DEBUG", logger="etl.extract"):
        message = _reason(path)
    assert "CalamineError" in caplog.text and "Calamine" not in message


def test_a_folder_or_a_missing_file_is_said_in_indonesian(tmp_path):
    folder = tmp_path / "data.csv"
    folder.mkdir()
    assert _reason(folder) == "yang dipilih adalah folder, bukan berkas"
    assert _reason(tmp_path / "tidak-ada.xlsx") == "berkas tidak ditemukan"


# ----------------------------------------------------------------------------------- CSV that is not text
NOT_CSV = [
    ("buku-kerja.csv", _xlsx_bytes(), "berkas tidak dapat dibaca sebagai CSV: isinya buku kerja Excel (.xlsx) "
                                      "yang diberi akhiran .csv; ubah akhirannya menjadi .xlsx"),
    ("calc.csv", _zip_bytes({"mimetype": ODS_MIMETYPE}), "buku kerja OpenDocument (.ods) yang diberi akhiran .csv"),
    ("lama.csv", OLE + "Workbook".encode("utf-16-le") + b"\0\0" + bytes(512), "buku kerja Excel lama (.xls)"),
    ("tabel.csv", _parquet_bytes(), "berkas Parquet yang diberi akhiran .csv; ubah akhirannya menjadi .parquet"),
    ("web.csv", HTML, "isinya halaman web (HTML)"),
    ("acak.csv", bytes(range(256)) * 8, "isinya data biner, bukan teks"),
    ("kosong.csv", b" \r\n\r\n", "berkas CSV tidak berisi data"),
]


@pytest.mark.parametrize("name, content, expected", NOT_CSV, ids=[c[0] for c in NOT_CSV])
def test_file_named_csv_that_is_not_csv_text(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    assert expected in _reason(path)
    assert "spreadsheet" not in _english_format_name_left_out(_reason(path))


@pytest.mark.parametrize("lines, line", [
    (['No. Register,Nama,Tgl Mulai', 'KTP-001,"Ani,01/02/2022', "KTP-002,Budi,02/02/2022"], 2),
    (["No. Register;Nama;Tgl Mulai", "A;Ani;01/02/2022", "B;Budi;01/02/2022", 'C;"Cici;01/02/2022', "D;Dedi;x"], 4),
])
def test_unclosed_quote_names_its_line(tmp_path, lines, line):
    path = tmp_path / "kutip.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _reason(path) == (f'berkas CSV tidak dapat dibaca: tanda kutip (") di baris {line} tidak ditutup, '
                             "sehingga seluruh isi sesudahnya terbaca sebagai satu nilai; tutup atau hapus tanda "
                             "kutip itu lalu simpan ulang")


# ------------------------------------------------------------------------------ a row with extra fields
def _extra_field_csv(path: Path, at: int, n: int = 300, delimiter: str = ",") -> Path:
    lines = [delimiter.join(HEADER)] + [delimiter.join(row) for row in _rows("LBR", n)]
    lines.insert(at - 1, delimiter.join(["LBR-X", "Nama", " dengan pemisah", "01/02/2022"]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("at, delimiter, sign", [(302, ",", "koma"), (3, ",", "koma"), (150, ";", "titik koma")])
def test_a_row_with_more_fields_than_the_header_rejects_only_that_row(tmp_path, db, at, delimiter, sign):
    """Beyond the first 200 lines (which once rejected the whole file) or within them (once silently shifted)."""
    entry = _entry(_extra_field_csv(tmp_path / "berlebih.csv", at, delimiter=delimiter), db)
    assert (entry["status"], entry["rows_read"], entry["rows_loaded"], entry["rows_rejected"]) == (
        "loaded", 301, 300, 1)
    first = entry["errors"][0]
    assert (first["row"], first["column"], first["value"]) == (at, "No. Register", "LBR-X")
    joined = delimiter.join(["LBR-X", "Nama", "dengan pemisah", "01/02/2022"])
    assert first["message"] == (
        "No. Register: jumlah kolom lebih banyak dari judul kolom: baris ini berisi nilai sampai kolom ke-4, "
        f"sedangkan judul kolom hanya 3 kolom (kemungkinan ada {sign} tanpa tanda kutip di dalam suatu nilai); "
        f"isi baris: {joined}")
    assert {e["row"] for e in entry["errors"]} == {at}  # the shifted date is that row's only other error


def test_a_value_longer_than_the_csv_module_allows_does_not_fail_the_file(tmp_path, db):
    path = plain_csv(tmp_path / "panjang.csv", HEADER, [["PJG-001", "Nama " + "x" * 200_000, "01/02/2022"],
                                                        *_rows("PJG", 2)[1:]])
    entry = _entry(path, db)
    assert (entry["kind"], entry["rows_loaded"], entry["errors"]) == ("klien", 2, [])


def test_trailing_delimiters_are_not_extra_fields(tmp_path, db):
    path = tmp_path / "koma-akhir.csv"
    path.write_text("No. Register,Nama,Tgl Mulai\nA-1,Ani,01/02/2022,\nA-2,Budi,01/02/2022, ,,\n", encoding="utf-8")
    entry = _entry(path, db)
    assert (entry["rows_loaded"], entry["errors"], entry["warnings"]) == (2, [], [])


def test_a_column_without_header_in_most_rows_is_one_warning_not_rejections(tmp_path, db):
    path = tmp_path / "tanpa-judul.csv"
    plain_csv(path, HEADER, [[*row, "catatan"] for row in _rows("TJ", 3)] + _rows("TK", 1))
    entry = _entry(path, db)
    assert (entry["rows_loaded"], entry["errors"]) == (4, [])
    assert [(w["row"], w["message"]) for w in entry["warnings"]] == [
        (1, "3 baris berisi nilai di sebelah kanan kolom terakhir yang berjudul (kolom ke-3); nilai itu diabaikan "
            "— beri judul kolomnya jika isinya perlu dimuat")]


def test_a_rejected_extra_field_row_goes_to_the_rejected_rows_workbook(tmp_path, db):
    import openpyxl

    from etl import ditolak
    path = _extra_field_csv(tmp_path / "berlebih.csv", 5, n=6)
    book = openpyxl.load_workbook(io.BytesIO(ditolak.workbook(path, preview_files([path], db))))
    [row] = list(book.active.iter_rows(min_row=2, values_only=True))
    assert row[:4] == ("LBR-X", "Nama", " dengan pemisah", "01/02/2022")
    assert row[4].startswith("baris 5: No. Register: jumlah kolom lebih banyak dari judul kolom")


# ------------------------------------------------------------------------------------------- encodings
TEXT = "No. Register;Nama\nA-1;José Müller\n"


@pytest.mark.parametrize("raw, text, damaged", [
    (TEXT.encode("utf-8"), TEXT, False),
    (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), TEXT, False),
    (b"\xff\xfe" + TEXT.encode("utf-16-le"), TEXT, False),
    (b"\xfe\xff" + TEXT.encode("utf-16-be"), TEXT, False),
    (TEXT.encode("utf-16-le"), TEXT, False),  # no BOM: NUL in every other byte
    (TEXT.encode("cp1252"), TEXT, False),  # Windows CSV: é and ü are single bytes
    (TEXT.encode("cp1252") + b"B-2;Siti \x81\n", TEXT + "B-2;Siti \ufffd\n", True),  # 0x81: no character in cp1252
    (TEXT.encode("utf-8") + b"B-2;Siti \x81\x8d\x90\n", TEXT + "B-2;Siti \ufffd\ufffd\ufffd\n", True),
])
def test_decode(raw, text, damaged):
    assert extract._decode(raw) == (text, damaged)


def test_undecodable_bytes_load_with_a_warning_per_cell(tmp_path, db):
    path = tmp_path / "encoding-rusak.csv"
    path.write_bytes("No. Register;Nama;Tgl Mulai\nENC-001;José Müller;01/02/2022\n".encode("utf-8")
                     + b"ENC-002;Siti \x81\x8d\x90 Aminah;02/02/2022\n")
    [entry] = load_files([path], db)["files"]
    assert (entry["rows_loaded"], entry["errors"]) == (2, [])
    assert entry["warnings"] == [{"row": 3, "column": "Nama", "value": "Siti \ufffd\ufffd\ufffd Aminah",
                                  "message": extract.UNDECODABLE}]
    assert query(db, "select nama from klien order by 1") == [("José Müller",), ("Siti \ufffd\ufffd\ufffd Aminah",)]


def test_excel_unicode_text_saved_as_csv_loads(tmp_path, db):
    path = tmp_path / "teks-unicode.csv"
    text = "No. Register\tNama\tTgl Mulai\r\nU16-001\tAni Śląska\t01/02/2022\r\nU16-002\tBudi\t02/02/2022\r\n"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    [entry] = load_files([path], db)["files"]
    assert (entry["kind"], entry["rows_loaded"], entry["errors"], entry["warnings"]) == ("klien", 2, [], [])
    assert query(db, "select no_register, nama from klien order by 1") == [
        ("U16-001", "Ani Śląska"), ("U16-002", "Budi")]


# ------------------------------------------------------------------------------------ no data rows
def test_header_only_csv_loads_nothing_and_says_so(tmp_path, db):
    path = plain_csv(tmp_path / "judul-saja.csv", HEADER, [])
    entry = _entry(path, db)
    assert (entry["status"], entry["rows_read"], entry["rows_loaded"], entry["errors"]) == ("loaded", 0, 0, [])
    assert entry["warnings"] == [{"row": None, "column": None, "value": None,
                                  "message": "tidak ada baris data di bawah judul kolom (baris 1); "
                                             "tidak ada yang dimuat"}]


def test_parquet_without_rows_says_so(tmp_path, db):
    path = tmp_path / "kosong.parquet"
    empty = pa.array([], pa.string())
    pq.write_table(pa.table({"no_register": empty, "nama": empty, "tanggal_mulai_bimbingan": empty}), path)
    entry = _entry(path, db)
    assert [w["message"] for w in entry["warnings"]] == ["tidak ada baris data; tidak ada yang dimuat"]


def test_header_only_workbook_sheet_stays_silent(tmp_path, db):
    """A sheet of a workbook with a header only (a month not filled yet, a blank template) is not remarked on."""
    path = workbook(tmp_path / "kosong.xlsx", {"Data Klien": (HEADER, [])}, signature=False)
    entry = _entry(path, db)
    assert (entry["status"], entry["rows_loaded"], entry["warnings"]) == ("loaded", 0, [])


# ------------------------------------------------------------------------------------- nested Parquet
def test_nested_parquet_columns_we_load_reject_the_file(tmp_path):
    """Only the nested columns that are fields of some kind are named ('lampiran' is nobody's field)."""
    path = tmp_path / "bersarang.parquet"
    pq.write_table(pa.table({"no_register": ["PQN-001"], "nama": [["Ani", "Budi"]],
                             "tanggal_mulai_bimbingan": [{"hari": 1}], "lampiran": [{"a": 1}]}), path)
    assert _reason(path) == (
        "berkas Parquet berisi kolom bersarang yang tidak dapat dimuat: 'nama' (daftar), 'tanggal_mulai_bimbingan' "
        "(struktur); simpan kolom itu dengan satu nilai per sel (teks, angka atau tanggal)")


def test_nested_parquet_column_we_do_not_load_is_ignored_as_unknown(tmp_path, db):
    path = tmp_path / "label.parquet"
    pq.write_table(pa.table({"no_register": ["PQL-001", "PQL-002"], "nama": ["Ani", "Budi"],
                             "tanggal_mulai_bimbingan": ["01/02/2022", "02/02/2022"],
                             "label_skrip": [["a", "b"], None]}), path)
    entry = _entry(path, db)
    assert (entry["rows_loaded"], entry["errors"]) == (2, [])
    assert [(w["column"], w["message"]) for w in entry["warnings"]] == [("label_skrip", "kolom tidak dikenal, diabaikan")]


def test_nested_cells_in_a_grid_are_rejected_per_cell():
    """Whatever reader hands over lists or arrays: each such cell is rejected with a reason, never a crash."""
    cells = pd.DataFrame([["no_register", "nama", "tanggal_mulai_bimbingan", "label"],
                          ["A-1", np.array(["Ani", "Budi"]), "01/02/2022", np.array([1])],
                          ["A-2", "Cici", "01/02/2022", [2]]], dtype=object)
    grid = extract.Grid(None, cells, header_given=True)
    kind, row, columns = extract.find_header(grid)
    checked = validate(extract.table(grid, kind, row, columns), References(), [])
    assert [(e["row"], e["column"], e["value"], e["message"]) for e in checked.errors] == [
        (2, "nama", '["Ani", "Budi"]', f"nama: {extract.NESTED_REASON}")]
    assert checked.rows.column("no_register").to_pylist() == ["A-2"]


@pytest.mark.parametrize("content, expected", [
    (b"PAR1 bukan parquet" * 10, "berkas Parquet tidak dapat dibaca: berkas terpotong atau rusak"),
    (b"No. Register,Nama\n", "berkas Parquet tidak dapat dibaca: isinya teks biasa"),
    (_xlsx_bytes(), "berkas Parquet tidak dapat dibaca: isinya buku kerja Excel (.xlsx)"),
])
def test_unreadable_parquet_is_named_without_class_names(tmp_path, content, expected):
    path = tmp_path / "data.parquet"
    path.write_bytes(content)
    assert expected in _reason(path)


# --------------------------------------------------------------------------------------------- macros
def _xlsm(path: Path, macro: bool, sheets: tuple[str, ...] = ("Data Klien",)) -> Path:
    book = xlsxwriter.Workbook(str(path))
    for n, name in enumerate(sheets):
        sheet = book.add_worksheet(name)
        for r, row in enumerate([HEADER, *_rows(f"MK{n}", 2)]):
            sheet.write_row(r, 0, row)
    if macro:
        vba = path.with_name("vbaProject.bin")
        vba.write_bytes(OLE + bytes(1024))
        book.add_vba_project(str(vba))
    book.close()
    return path


def test_macros_are_said_to_be_ignored_once_per_file(tmp_path, db):
    path = _xlsm(tmp_path / "makro.xlsm", macro=True, sheets=("Data Klien", "Klien Baru"))
    entries = preview_files([path], db)["files"]
    notes = [(e["sheet"], w) for e in entries for w in e["warnings"]]
    assert notes == [("Data Klien", {"row": None, "column": None, "value": None,
                                     "message": "makro di berkas .xlsm tidak dijalankan; hanya nilai sel yang dibaca"})]
    assert [e["rows_loaded"] for e in entries] == [2, 2]


def test_xlsm_without_macros_has_no_note(tmp_path, db):
    entry = _entry(_xlsm(tmp_path / "tanpa-makro.xlsm", macro=False), db)
    assert (entry["rows_loaded"], entry["warnings"]) == (2, [])


# ------------------------------------------------------------------------------------- rejected cells
@pytest.mark.parametrize("name", [f.name for f in spec.KINDS["klien"].fields])
def test_every_parser_rejects_a_rejected_cell_with_its_reason(name):
    parse = parser_for(spec.KINDS["klien"].field(name))
    assert parse(RejectedCell("01/02/2022", "alasan dari pembaca")) == (None, "alasan dari pembaca", None)


def test_rejected_cells_differ_by_reason_and_from_plain_text():
    a, b = RejectedCell("X-1", "alasan a"), RejectedCell("X-1", "alasan b")
    assert a != b and a != "X-1" and "X-1" != a and a == RejectedCell("X-1", "alasan a") and str(a) == "X-1"
    codes, uniques = pd.factorize(pd.Series(["X-1", a, b, RejectedCell("X-1", "alasan a")], dtype=object))
    assert codes.tolist() == [0, 1, 2, 1] and [getattr(u, "reason", None) for u in uniques] == [
        None, "alasan a", "alasan b"]


# ------------------------------------------------------------------------------------------- delimiters
@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_every_accepted_delimiter_loads_the_same_rows(tmp_path, delimiter):
    """A pipe-delimited export (some registers write "a|b|c") loads as the comma version does."""
    rows = [*_rows("PIPA", 3), ["PIPA-004", "Nama, dengan koma; dan | garis", "04/02/2022"]]
    loaded = {}
    for name, sign in (("koma", ","), ("lain", delimiter)):
        db = tmp_path / f"{name}.duckdb"
        entry = _entry(plain_csv(tmp_path / f"klien-{name}.csv", HEADER, rows, delimiter=sign), db)
        assert (entry["status"], entry["kind"], entry["rows_loaded"], entry["errors"]) == ("loaded", "klien", 4, [])
        load_files([tmp_path / f"klien-{name}.csv"], db)
        loaded[name] = query(db, "select no_register, nama, tanggal_mulai_bimbingan from klien order by 1")
    assert loaded["lain"] == loaded["koma"]
    assert loaded["koma"][-1][:2] == ("PIPA-004", "Nama, dengan koma; dan | garis")


def test_a_pipe_inside_comma_separated_values_stays_in_the_value(tmp_path, db):
    path = plain_csv(tmp_path / "alamat.csv", HEADER, [["AL-001", "Ani | Budi", "01/02/2022"],
                                                        ["AL-002", "Cici|Dedi", "02/02/2022"]])
    assert extract.read_grids(path)[0].delimiter == ","
    load_files([path], db)
    assert query(db, "select nama from klien order by 1") == [("Ani | Budi",), ("Cici|Dedi",)]


@pytest.mark.parametrize("text", [
    "No. Register Nama Tgl Mulai\nSP-001 Ani 01/02/2022\nSP-002 Budi 02/02/2022\n",  # spaces: not a delimiter
    "Daftar klien\nSP-001\nSP-002\n",  # one value per line
])
def test_a_file_without_a_recognisable_delimiter_is_named_in_the_reason(tmp_path, db, text):
    path = tmp_path / "klien-spasi.csv"
    path.write_text(text, encoding="utf-8")
    expected = ("berkas CSV klien-spasi.csv tidak dapat dibaca: pemisah kolomnya tidak dapat ditentukan, karena "
                "tidak ada baris yang terbagi menjadi beberapa kolom oleh koma (,), titik koma (;), tab atau garis "
                "tegak (|); buka di Excel lalu simpan ulang sebagai CSV")
    assert _reason(path) == expected
    entry = _entry(path, db)
    assert (entry["file"], entry["status"], entry["rows_loaded"]) == ("klien-spasi.csv", "rejected", 0)
    assert [e["message"] for e in entry["errors"]] == [expected]  # not "tidak ada lembar kerja yang dikenali …"


# ------------------------------------------------------------------ a file with one table, not recognised
def _notes_csv(path: Path) -> Path:
    return plain_csv(path, ["Tanggal Rapat", "Agenda"], [["02/02/2026", "Evaluasi bulanan"]])


def _notes_parquet(path: Path) -> Path:
    pq.write_table(pa.table({"Tanggal Rapat": ["02/02/2026"], "Agenda": ["Evaluasi bulanan"]}), path)
    return path


@pytest.mark.parametrize("name, build, kind, expected", [
    ("rapat.csv", _notes_csv, None,
     "isi berkas CSV tidak dikenali sebagai data: judul kolom tidak cocok dengan jenis data mana pun"),
    ("rapat.parquet", _notes_parquet, None,
     "isi berkas Parquet tidak dikenali sebagai data: judul kolom tidak cocok dengan jenis data mana pun"),
    ("rapat-klien.csv", _notes_csv, "klien",
     "isi berkas CSV tidak dikenali sebagai data: tidak ada baris judul kolom data klien dalam 20 baris pertama"),
])
def test_a_file_without_worksheets_is_not_said_to_have_any(tmp_path, db, name, build, kind, expected):
    """A CSV or Parquet file holds one table, not worksheets: its rejection says what the file holds."""
    path = build(tmp_path / name)
    [entry] = preview_files([path], db, kind=kind)["files"]
    assert (entry["sheet"], entry["status"], [e["message"] for e in entry["errors"]]) == (None, "rejected", [expected])
    assert not [e for e in entry["errors"] if "lembar kerja" in e["message"]]  # the old «tidak ada lembar kerja …»


def test_an_unsupported_suffix_lists_every_accepted_one(tmp_path):
    path = tmp_path / "catatan.txt"
    path.write_text("No. Register,Nama\n")
    assert _reason(path) == ("jenis berkas '.txt' tidak didukung; gunakan .xlsx, .xlsm, .xls, .xlsb, .ods, .csv "
                             "atau .parquet")
    assert extract.suffixes() == [".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv", ".parquet"]
    assert set(extract.suffixes()) == extract.SUFFIXES
