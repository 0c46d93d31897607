"""Hostile files: a corpus of malformed uploads, each with the Indonesian message it must get.

Every file goes through the page's code path (etl.load.preview_files, then load_files, in this process) and
through the command line (`python -m etl load ... --json`). The command line runs the corpus in a few batches
rather than once per file (one Python start costs about a second; the exit code rule is the same per batch:
1 when any file is rejected whole, else 0). After every file, the data loaded before it are unchanged: the
rows of the baseline load keep their checksum, and the tables grow by exactly the rows the report says were
loaded (none for a file rejected whole).

The sheet of 300,000 rows is marked slow (`pytest -m slow tests/test_hostile.py`).
"""
from __future__ import annotations

import datetime as dt
import io
import json
import random
import re
import shutil
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import openpyxl
import pytest
import xlsxwriter

from etl.load import load_files, preview_files
from tests.builders import KEHADIRAN_HEADER, KLIEN_HEADER, klien_row, plain_csv, workbook
from tests.conftest import query, run_cli

D = dt.date
TABLES = ("klien", "mitra", "program", "kehadiran", "anggaran", "hambatan")
BIG_ROWS = 300_000
# English that must never reach the user (a class name such as ArrowInvalid in brackets is tolerated)
ENGLISH = re.compile(r"\b(the|is|not|of|and|to|cannot|could|invalid|error|failed|expected|unexpected|"
                     r"unsupported|found|missing|file)\b")


# ------------------------------------------------------------------------------------------ builders
def _klien_rows(prefix: str, n: int = 2) -> list[list]:
    return [klien_row(i + 1, f"{prefix}-{i + 1:03d}", f"Klien {prefix} {i + 1}") for i in range(n)]


def _klien_book(path: Path, prefix: str, n: int = 2, **layout) -> Path:
    return workbook(path, {"Data Klien": (KLIEN_HEADER, _klien_rows(prefix, n))}, **layout)


def _bytes(content: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content)


def _random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(6).randbytes(4096))


def _zip_not_xlsx(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("catatan.txt", "Ini arsip zip biasa, bukan buku kerja Excel.")
        z.writestr("foto/klien.jpg", b"\xff\xd8\xff\xe0" + bytes(100))


def _cfb_encrypted(path: Path) -> None:
    """A minimal OLE2 compound file holding EncryptionInfo and EncryptedPackage, as Excel writes a
    password-protected .xlsx (header, one FAT sector, one directory sector, one data sector)."""
    sector = 512
    header = bytearray(sector)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<I", header, 76, 0)  # DIFAT[0]: the FAT is sector 0
    for i in range(1, 109):
        struct.pack_into("<I", header, 76 + 4 * i, 0xFFFFFFFF)
    fat = bytearray(b"\xff" * sector)
    struct.pack_into("<III", fat, 0, 0xFFFFFFFD, 0xFFFFFFFE, 0xFFFFFFFE)

    def entry(name: str, kind: int, start: int, size: int, child: int = 0xFFFFFFFF, right: int = 0xFFFFFFFF):
        raw = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\0\0"
        raw[0:len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 64, len(encoded), kind, 1)
        struct.pack_into("<III", raw, 68, 0xFFFFFFFF, right, child)
        struct.pack_into("<II", raw, 116, start, size)
        return bytes(raw)

    directory = (entry("Root Entry", 5, 0xFFFFFFFE, 0, child=1) + entry("EncryptionInfo", 2, 2, 200, right=2)
                 + entry("EncryptedPackage", 2, 2, 200) + bytes(128))
    data = random.Random(7).randbytes(sector)
    path.write_bytes(bytes(header) + bytes(fat) + directory + data)


def _xlsm_with_macro(path: Path) -> None:
    vba = path.with_name("vbaProject.bin")
    vba.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024))  # never run, never even parsed
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Data Klien")
    ws.write_row(0, 0, ["No. Register", "Nama", "Tgl Mulai"])
    ws.write_row(1, 0, ["MAK-001", "Klien Makro", "01/02/2022"])
    ws.write_row(2, 0, ["MAK-002", "Klien Makro Dua", "02/02/2022"])
    wb.add_vba_project(str(vba))
    wb.close()
    vba.unlink()


def _formulas(path: Path) -> None:
    """Formula cells whose stored (cached) values differ from what the formula would compute."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Data Klien")
    ws.write_row(0, 0, ["No. Register", "Nama", "Tgl Mulai"])
    ws.write_formula(1, 0, "=1+1", None, "RMS-001")
    ws.write_formula(1, 1, '=UPPER("dihitung")', None, "Nilai Tersimpan")
    ws.write_string(1, 2, "01/02/2022")
    ws.write_string(2, 0, "RMS-002")
    ws.write_formula(2, 1, '=CONCATENATE("a","b")', None, "")  # no stored value: never computed by us
    ws.write_string(2, 2, "01/02/2022")
    wb.close()


def _titles_only(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data Klien"
    for line in ("DATA KLIEN PEMASYARAKATAN", "BAPAS KELAS II BANDAR LAMPUNG", "Keadaan s.d. Oktober 2026"):
        ws.append([line])
    wb.save(path)


def _empty_columns_xlsx(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["No. Register", "Nama", "Tgl Mulai"])
    ws.append(["KOL-001", "Ani", "01/02/2022"])
    ws.append(["KOL-002", "Budi", "02/02/2022"])
    fill = openpyxl.styles.PatternFill("solid", fgColor="FFFF00")
    for col in range(4, 104):  # 100 formatted, empty columns
        for row in range(1, 4):
            ws.cell(row, col).fill = fill
    wb.save(path)


def _empty_columns_csv(path: Path) -> None:
    pad = "," * 100
    path.write_text(f"No. Register,Nama,Tgl Mulai{pad}\nKOC-001,Ani,01/02/2022{pad}\nKOC-002,Budi,02/02/2022{pad}\n",
                    encoding="utf-8")


_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _big_xlsx(path: Path) -> None:
    """BIG_ROWS client rows in one sheet, the xlsx parts written directly (XlsxWriter needs ~6 s for this)."""
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    cell = '<c r="{c}{r}" t="inlineStr"><is><t>{v}</t></is></c>'
    rows = ['<row r="1">' + "".join(cell.format(c=c, r=1, v=v) for c, v in
                                    zip("ABC", ("No. Register", "Nama", "Tgl Mulai"))) + "</row>"]
    rows += [f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>BSR-{r:06d}</t></is></c>'
             f'<c r="B{r}" t="inlineStr"><is><t>Klien {r}</t></is></c>'
             f'<c r="C{r}" t="inlineStr"><is><t>01/02/2022</t></is></c></row>' for r in range(2, BIG_ROWS + 2)]
    sheet = (f'{head}<worksheet xmlns="{_NS}"><dimension ref="A1:C{BIG_ROWS + 1}"/><sheetData>'
             + "".join(rows) + "</sheetData></worksheet>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", head + (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'))
        z.writestr("_rels/.rels", head + (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        z.writestr("xl/workbook.xml", head + (
            f'<workbook xmlns="{_NS}" xmlns:r="{_REL_NS}"><sheets>'
            '<sheet name="Data Klien" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        z.writestr("xl/_rels/workbook.xml.rels", head + (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"))
        z.writestr("xl/worksheets/sheet1.xml", sheet)


def _broken_encoding(path: Path) -> None:
    """UTF-8 text with stray bytes that are valid in no encoding (a file glued from two sources)."""
    path.write_bytes("No. Register;Nama;Tgl Mulai\n".encode("utf-8")
                     + "ENC-001;José Müller;01/02/2022\n".encode("utf-8")
                     + b"ENC-002;Siti \x81\x8d\x90 Aminah;02/02/2022\n")


def _utf16_tab(path: Path) -> None:
    """Excel's "Unicode text" export: UTF-16 with BOM, tab-separated, saved with a .csv name."""
    text = "No. Register\tNama\tTgl Mulai\r\nU16-001\tAni\t01/02/2022\r\nU16-002\tBudi\t02/02/2022\r\n"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))


def _header_only_csv(path: Path) -> None:
    path.write_text("No. Register,Nama,Tgl Mulai\n", encoding="utf-8")


def _pipe_csv(path: Path) -> None:
    path.write_text("No. Register|Nama|Tgl Mulai\nPIP-001|Ani|01/02/2022\nPIP-002|Budi|02/02/2022\n",
                    encoding="utf-8")


def _unbalanced_quote_csv(path: Path) -> None:
    path.write_text('No. Register,Nama,Tgl Mulai\nKTP-001,"Ani,01/02/2022\nKTP-002,Budi,02/02/2022\n',
                    encoding="utf-8")


def _other_kind(path: Path) -> None:
    header = ["No", "Tanggal", "Faktor", "Kategori", "Uraian", "Status"]
    workbook(path, {"Hambatan": (header, [[1, "5 Januari 2024", "Internal", "Anggaran terbatas", "Honor", "Terbuka"]])})


def _duplicate_headers(path: Path) -> None:
    header = ["No. Register", "Nama", "Nama", "Tgl Mulai"]
    workbook(path, {"Data Klien": (header, [["DUP-001", "Ani", "Ani Lain", "01/02/2022"],
                                            ["DUP-002", "Budi", "Budi Lain", "02/02/2022"]])}, signature=False)


def _merged_data(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["No. Register", "Nama", "Tgl Mulai", "Status"])
    ws.append(["GAB-001", "Ani", "01/02/2022", "Aktif"])
    ws.append(["GAB-002", "Budi", None, "Aktif"])
    ws.append(["GAB-003", "Cici", None, "Aktif"])
    ws.merge_cells("C2:C4")  # one date typed once for three people: only the first row has it
    wb.save(path)


def _date_text(path: Path) -> None:
    rows = [[1, "TGL-001", "Ani", "L", None, "kemarin", None, "PB", "Aktif", None, None],
            [2, "TGL-002", "Budi", "L", None, "belum tahu", None, "PB", "Aktif", None, None],
            [3, "TGL-003", "Cici", "P", None, "awal bulan", None, "PB", "Aktif", None, None]]
    workbook(path, {"Data Klien": (KLIEN_HEADER, rows)})


def _nik_float(path: Path) -> None:
    rows = [klien_row(1, "NIK-001", "Ani", nik=1871012345678901.0), klien_row(2, "NIK-002", "Budi", nik="1.87101E+15")]
    workbook(path, {"Data Klien": (KLIEN_HEADER, rows)})


def _negative_amounts(path: Path) -> None:
    header = ["No", "TA", "Bulan", "Kode Akun", "Uraian", "Pagu (Rp)", "Realisasi"]
    rows = [[1, 2024, None, "521211", "Konsumsi pelatihan", -5_000_000, None],
            [2, 2024, 1, "521211", "Konsumsi pelatihan", None, "Rp -250.000"],
            [3, 2024, 2, "521211", "Konsumsi pelatihan", None, 100_000]]
    workbook(path, {"Anggaran": (header, rows)})


def _emoji_sheet(path: Path) -> None:
    workbook(path, {"Klien 📋✅": (KLIEN_HEADER, _klien_rows("EMO"))})


def _hidden_sheet(path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    from tests.builders import office_sheet
    office_sheet(wb.create_sheet("Data Klien"), KLIEN_HEADER, _klien_rows("HID"))
    hidden = wb.create_sheet("Arsip Lama")
    office_sheet(hidden, KLIEN_HEADER, _klien_rows("OLD"))
    hidden.sheet_state = "hidden"
    wb.save(path)


def _many_sheets(path: Path) -> None:
    wb = xlsxwriter.Workbook(str(path))
    data = wb.add_worksheet("Data Klien")
    data.write_row(0, 0, ["No. Register", "Nama", "Tgl Mulai"])
    data.write_row(1, 0, ["BNY-001", "Ani", "01/02/2022"])
    for i in range(400):
        wb.add_worksheet(f"Kosong {i + 1}")
    wb.close()


def _formula_injection(path: Path) -> None:
    plain_csv(path, ["No. Register", "Nama", "Tgl Mulai", "Pekerjaan"],
              [["INJ-001", '=HYPERLINK("http://contoh.invalid/curi","klik di sini")', "01/02/2022", "+628123"],
               ["INJ-002", "@SUM(1+1)", "02/02/2022", "-2+3+cmd|' /C calc'!A0"]])


def _far_cell(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["No. Register", "Nama", "Tgl Mulai"])
    ws.append(["JAU-001", "Ani", "01/02/2022"])
    ws["XFD1048576"] = "x"
    wb.save(path)


def _html_as_xls(path: Path) -> None:
    path.write_text('<html><body><table><tr><td>No. Register</td><td>Nama</td><td>Tgl Mulai</td></tr>'
                    '<tr><td>HTM-001</td><td>Ani</td><td>01/02/2022</td></tr></table></body></html>',
                    encoding="utf-8")


def _truncated_xlsx(path: Path) -> None:
    whole = path.with_name("utuh.xlsx")
    _klien_book(whole, "POT", 30)
    data = whole.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # an upload or copy cut off half way
    whole.unlink()


def _header_too_low(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    for i in range(21):
        ws.append([f"Catatan pengantar baris {i + 1}"])
    ws.append(["No. Register", "Nama", "Tgl Mulai"])
    ws.append(["BWH-001", "Ani", "01/02/2022"])
    wb.save(path)


def _missing_required(path: Path) -> None:
    workbook(path, {"Data": (["No. Register", "Jenis Kelamin", "Tgl Mulai"], [["TNM-001", "L", "01/02/2022"]])})


def _ambiguous(path: Path) -> None:
    plain_csv(path, ["No. Register", "Status"], [["RGU-001", "Aktif"]])


def _future_attendance(path: Path) -> None:
    rows = [[1, "BASE-001", "3 April 2099", "Wajib Lapor", None, "Hadir", None, 1],
            [2, "BASE-001", "3 Mei 2022", "Wajib Lapor", None, "Hadir", None, 1]]
    workbook(path, {"Kehadiran": (KEHADIRAN_HEADER, rows)})


def _unknown_client(path: Path) -> None:
    rows = [[1, "TIDAK-ADA-1", "3 April 2022", "Wajib Lapor", None, "Hadir", None, 1],
            [2, "BASE-002", "4 April 2022", "Wajib Lapor", None, "Hadir", None, 1]]
    workbook(path, {"Kehadiran": (KEHADIRAN_HEADER, rows)})


def _two_digit_years(path: Path) -> None:
    plain_csv(path, ["No. Register", "Nama", "Tgl Mulai"],
              [["THN-001", "Ani", "12/03/22"], ["THN-002", "Budi", "1/2/21"]])


def _control_chars(path: Path) -> None:
    plain_csv(path, ["No. Register", "Nama", "Tgl Mulai"],
              [["CTL-001", "Ani\x00\x07 Nul", "01/02/2022"], ["CTL-002", "Budi\u200b\u202e Balik", "02/02/2022"]])


def _ods_broken(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content><office:body><table:table")  # cut off


def _nested_parquet(path: Path) -> None:
    """A Parquet export with list and struct columns (written by a script, not by a person)."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    pq.write_table(pa.table({"no_register": ["PQN-001", "PQN-002"], "nama": [["Ani", "Budi"], ["Cici"]],
                             "tanggal_mulai_bimbingan": [{"hari": 1}, {"hari": 2}]}), path)


def _late_extra_fields(path: Path) -> None:
    """Line 302 has an unquoted comma in the name: more fields than the header."""
    lines = ["No. Register,Nama,Tgl Mulai"] + [f"LBR-{i:03d},Nama {i},01/02/2022" for i in range(300)]
    lines.append("LBR-X,Nama, dengan koma,01/02/2022")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _broken_sheet_xml(path: Path) -> None:
    whole = path.with_name("utuh-xml.xlsx")
    _klien_book(whole, "XML")
    with zipfile.ZipFile(whole) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]
            zout.writestr(item, data)
    whole.unlink()


def _error_cells(path: Path) -> None:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Data Klien")
    date = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.write_row(0, 0, ["No. Register", "Nama", "Tgl Mulai"])
    ws.write_string(1, 0, "GLT-001")
    ws.write_formula(1, 1, "=1/0", None, "#DIV/0!")
    ws.write_number(1, 2, 44600, date)
    ws.write_string(2, 0, "GLT-002")
    ws.write_string(2, 1, "Budi")
    ws.write_number(2, 2, 99_999_999, date)  # a date serial no calendar reaches
    wb.close()


def _text_as_xlsx_named_csv(path: Path) -> None:
    """A real workbook renamed to .csv (the extension lies the other way)."""
    whole = path.with_name("asli.xlsx")
    _klien_book(whole, "XCS")
    path.write_bytes(whole.read_bytes())
    whole.unlink()


# ----------------------------------------------------------------------------------------------- cases
@dataclass
class Case:
    file: str
    build: Callable[[Path], None]
    status: str  # of every entry of the file: "rejected" (whole file) or "loaded"
    fragment: str | tuple[str, ...] | None  # expected (any of) in an error, or for a loaded file error or warning
    loaded: int | None = None  # rows loaded in all
    kind: str | None = None


CASES = [
    Case("kosong.xlsx", _bytes(b""), "rejected", "berkas kosong (0 byte)"),
    Case("acak.xlsx", _random_bytes, "rejected", "bukan buku kerja Excel yang sah"),
    Case("catatan-rapat.xls", _bytes(("Catatan rapat, bukan spreadsheet.\n" * 40).encode()), "rejected",
         "berisi teks biasa, bukan buku kerja Excel"),
    Case("arsip-zip.xlsx", _zip_not_xlsx, "rejected", "bukan buku kerja Excel yang sah: isinya arsip zip biasa"),
    Case("terkunci.xlsx", _cfb_encrypted, "rejected", "dilindungi kata sandi"),
    Case("makro.xlsm", _xlsm_with_macro, "loaded", "makro di berkas .xlsm tidak dijalankan", loaded=2),
    Case("rumus.xlsx", _formulas, "loaded", "Nama wajib diisi", loaded=1),
    Case("judul-saja.xlsx", _titles_only, "rejected", "tidak ada lembar kerja yang dikenali sebagai data"),
    Case("kolom-kosong.xlsx", _empty_columns_xlsx, "loaded", None, loaded=2),
    Case("kolom-kosong.csv", _empty_columns_csv, "loaded", None, loaded=2),
    Case("besar.xlsx", _big_xlsx, "loaded", None, loaded=BIG_ROWS),
    Case("encoding-rusak.csv", _broken_encoding, "loaded", "karakter tidak dikenal", loaded=2),
    Case("utf16-tab.csv", _utf16_tab, "loaded", None, loaded=2),
    Case("judul-saja.csv", _header_only_csv, "loaded", "tidak ada baris data", loaded=0),
    Case("pemisah-pipa.csv", _pipe_csv, "loaded", None, loaded=2),
    Case("kutip-terbuka.csv", _unbalanced_quote_csv, "rejected", 'tanda kutip (") di baris 2 tidak ditutup'),
    Case("jenis-lain.xlsx", _other_kind, "rejected", "tidak ada baris judul kolom data klien", kind="klien"),
    Case("judul-ganda.xlsx", _duplicate_headers, "loaded", "kolom kedua untuk nama diabaikan", loaded=2),
    Case("sel-gabung.xlsx", _merged_data, "loaded", "Tgl Mulai wajib diisi", loaded=1),
    Case("tanggal-teks.xlsx", _date_text, "loaded", "Tanggal Mulai Bimbingan:", loaded=0),
    Case("nik-angka.xlsx", _nik_float, "loaded", "notasi ilmiah", loaded=2),
    Case("uang-negatif.xlsx", _negative_amounts, "loaded", "negatif tidak diterima", loaded=1),
    Case("sheet-emoji.xlsx", _emoji_sheet, "loaded", None, loaded=2),
    Case("sheet-tersembunyi.xlsx", _hidden_sheet, "loaded", None, loaded=4),
    Case("banyak-sheet.xlsx", _many_sheets, "loaded", "dilewati: lembar kerja kosong", loaded=1),
    Case("injeksi-rumus.csv", _formula_injection, "loaded", None, loaded=2),
    Case("bukan.parquet", _bytes(b"PAR1 ini bukan parquet sungguhan" * 10), "rejected",
         "berkas Parquet tidak dapat dibaca"),
    Case("rusak.ods", _ods_broken, "rejected", "berkas .ods rusak dan tidak dapat dibaca sebagai buku kerja"),
    Case("sel-jauh.xlsx", _far_cell, "rejected", "terlalu besar untuk dibaca"),
    Case("catatan.txt", _bytes(b"No. Register,Nama\n"), "rejected", "jenis berkas '.txt' tidak didukung"),
    Case("ekspor-web.xls", _html_as_xls, "rejected", "halaman web (HTML) yang diberi akhiran .xls"),
    Case("terpotong.xlsx", _truncated_xlsx, "rejected", "berkas terpotong atau rusak"),
    Case("judul-terlalu-bawah.xlsx", _header_too_low, "rejected",
         "tidak ada lembar kerja yang dikenali sebagai data ('Sheet': judul kolom tidak cocok dengan jenis data mana "
         "pun)"),
    Case("tanpa-nama.xlsx", _missing_required, "rejected", "kolom wajib tidak ditemukan untuk data klien: Nama"),
    Case("ragu.csv", _ambiguous, "rejected", "jenis data tidak dapat ditentukan"),
    Case("hadir-masa-depan.xlsx", _future_attendance, "loaded", "sesudah tanggal pemuatan", loaded=1),
    Case("hadir-klien-asing.xlsx", _unknown_client, "loaded", "klien tidak dikenal: TIDAK-ADA-1", loaded=1),
    Case("tahun-dua-digit.csv", _two_digit_years, "loaded", "tahun dua digit tidak diterima", loaded=0),
    Case("karakter-kendali.csv", _control_chars, "loaded", None, loaded=2),
    Case("buku-kerja-bernama.csv", _text_as_xlsx_named_csv, "rejected",
         "buku kerja Excel (.xlsx) yang diberi akhiran .csv"),
    Case("kolom-bersarang.parquet", _nested_parquet, "rejected", "berkas Parquet berisi kolom bersarang"),
    Case("kolom-berlebih.csv", _late_extra_fields, "loaded", "jumlah kolom lebih banyak dari judul kolom", loaded=300),
    Case("xml-rusak.xlsx", _broken_sheet_xml, "rejected", "lembar kerja 'Data Klien' rusak dan tidak dapat dibaca"),
    Case("sel-galat.xlsx", _error_cells, "loaded", "bukan tanggal Excel yang masuk akal", loaded=0),
]


# ------------------------------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("korpus")
    for case in CASES:
        case.build(folder / case.file)
    return folder


def _baseline_files(folder: Path) -> list[Path]:
    klien = _klien_book(folder / "Data Klien.xlsx", "BASE", 5)
    attendance = [[i + 1, f"BASE-{i % 5 + 1:03d}", f"{i // 5 + 1}/02/2022", "Wajib Lapor", None,
                   ("Hadir", "Alpa")[i % 2], ("", "rumah jauh")[i % 2] or None, 1] for i in range(10)]
    hadir = workbook(folder / "Kehadiran.xlsx", {"Feb 2022": (KEHADIRAN_HEADER, attendance)})
    budget = workbook(folder / "Anggaran.xlsx", {"TA 2022": (
        ["No", "TA", "Bulan", "Kode Akun", "Uraian", "Pagu (Rp)", "Realisasi"],
        [[1, 2022, None, "524113", "Transport narasumber", 10_000_000, None],
         [2, 2022, 1, "524113", "Transport narasumber", None, 2_000_000]])})
    return [klien, hadir, budget]


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> Path:
    """A database holding the data loaded before the hostile files (one load run)."""
    from etl import config
    folder = tmp_path_factory.mktemp("dasar")
    with pytest.MonkeyPatch.context() as mp:  # module fixtures run before the per-test settings fixture
        mp.setenv("BAPAS_CONFIG", str(folder / "tidak-ada.toml"))
        mp.delenv("BAPAS_KODE", raising=False)
        config.settings.cache_clear()
        db = folder / "dasar.duckdb"
        report = load_files(_baseline_files(folder), db, user="uji")
        config.settings.cache_clear()
    assert [(f["kind"], f["rows_loaded"], f["errors"]) for f in report["files"]] == [
        ("klien", 5, []), ("kehadiran", 10, []), ("anggaran", 2, [])]
    return db


@pytest.fixture
def fresh(baseline, tmp_path) -> Path:
    db = tmp_path / "bapas.duckdb"
    shutil.copy(baseline, db)
    return db


# ------------------------------------------------------------------------------------------ checks
def _state(db: Path) -> dict:
    """Per table: all rows, and count and checksum of the rows of the baseline load (id_muat 1)."""
    rows = query(db, " union all ".join(
        f"select '{table}', count(*), count(*) filter (where id_muat = 1), "
        f"coalesce(sum(hash(t)) filter (where id_muat = 1), 0) from {table} t" for table in TABLES))
    return {table: (total, base, digest) for table, total, base, digest in rows}


def _unchanged(db: Path, before: dict, report: dict) -> None:
    """The baseline rows are untouched and each table grew by exactly the rows the report loaded."""
    added = {table: 0 for table in TABLES}
    for entry in report["files"]:
        if entry["kind"]:
            added[entry["kind"]] += entry["rows_loaded"]
    after = _state(db)
    for table in TABLES:
        total, base, digest = before[table]
        assert after[table] == (total + added[table], base, digest), table


def _messages(entries: list[dict], with_warnings: bool) -> list[str]:
    return [m["message"] for e in entries for m in e["errors"] + (e["warnings"] if with_warnings else [])]


def _expect(case: Case, entries: list[dict]) -> None:
    """The file's entries: status, rows loaded, the expected message, and nothing English or technical."""
    assert entries and {e["status"] for e in entries} == {case.status}, [e["errors"][:2] for e in entries]
    if case.loaded is not None:
        assert sum(e["rows_loaded"] for e in entries) == case.loaded
    messages = _messages(entries, with_warnings=case.status == "loaded")
    if case.fragment:
        wanted = (case.fragment,) if isinstance(case.fragment, str) else case.fragment
        assert any(w in m for m in messages for w in wanted), messages[:5]
    elif case.status == "loaded":
        assert not _messages(entries, with_warnings=False)
    for message in messages:
        assert "Traceback" not in message and not ENGLISH.search(message), message


def _db_unchanged(db: Path, digest: str) -> bool:
    import hashlib
    return hashlib.sha256(db.read_bytes()).hexdigest() == digest


# ------------------------------------------------------------------------------------------- tests
def test_the_corpus_is_big_enough():
    assert len(CASES) >= 30 and len({c.file for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.file) for c in CASES if c.file != "besar.xlsx"])
def test_page_path_preview_then_load(case, corpus, fresh):
    """The page's calls: the preview writes nothing; the load reports the same; earlier data stay."""
    import hashlib
    path = corpus / case.file
    before, digest = _state(fresh), hashlib.sha256(fresh.read_bytes()).hexdigest()
    preview = preview_files([path], fresh, kind=case.kind)
    assert _db_unchanged(fresh, digest)
    report = load_files([path], fresh, kind=case.kind, user="operator")
    assert preview["files"] == report["files"]
    _expect(case, report["files"])
    _unchanged(fresh, before, report)
    if case.file in EXTRA_CHECKS:
        EXTRA_CHECKS[case.file](fresh, path)


def _cli_batch(cases: list[Case], corpus: Path, db: Path, *extra) -> tuple[int, dict, str]:
    done = run_cli("load", *[corpus / c.file for c in cases], "--db", db, "--json", *extra)
    assert done.stdout.count("\n") == 1, done.stdout[:500]  # exactly one JSON object on stdout
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    return done.returncode, json.loads(done.stdout), done.stderr


def _by_file(report: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for entry in report["files"]:
        out.setdefault(entry["file"], []).append(entry)
    return out


def _plain(status: str) -> list[Case]:
    return [c for c in CASES if c.status == status and not c.kind and c.file != "besar.xlsx"]


def test_cli_rejects_unreadable_files_and_changes_nothing(corpus, fresh):
    cases = _plain("rejected")
    before = _state(fresh)
    code, report, _ = _cli_batch(cases, corpus, fresh)
    assert code == 1
    entries = _by_file(report)
    assert set(entries) == {c.file for c in cases}
    for case in cases:
        _expect(case, entries[case.file])
    assert _state(fresh) == before


def test_cli_loads_what_it_can_and_keeps_earlier_data(corpus, fresh):
    cases = _plain("loaded")
    before = _state(fresh)
    code, report, _ = _cli_batch(cases, corpus, fresh)
    assert code == 0
    entries = _by_file(report)
    assert set(entries) == {c.file for c in cases}
    for case in cases:
        _expect(case, entries[case.file])
    _unchanged(fresh, before, report)
    assert query(fresh, "select count(distinct id_muat) from muat_run") == [(2,)]


def test_cli_forced_kind_that_does_not_fit(corpus, fresh):
    case = next(c for c in CASES if c.kind)
    before = _state(fresh)
    code, report, _ = _cli_batch([case], corpus, fresh, "--kind", case.kind)
    assert code == 1
    _expect(case, report["files"])
    assert _state(fresh) == before


@pytest.mark.slow  # ≈ 15 s on an idle 2-core machine, 30 s when it is shared: run with -m slow
def test_sheet_of_300000_rows_on_both_paths(corpus, baseline, tmp_path):
    case = next(c for c in CASES if c.file == "besar.xlsx")
    for path_name in ("halaman", "cli"):
        db = tmp_path / f"{path_name}.duckdb"
        shutil.copy(baseline, db)
        before = _state(db)
        if path_name == "halaman":
            preview = preview_files([corpus / case.file], db)
            report = load_files([corpus / case.file], db, user="operator")
            assert preview["files"] == report["files"]
        else:
            code, report, _ = _cli_batch([case], corpus, db)
            assert code == 0
        _expect(case, report["files"])
        _unchanged(db, before, report)
        assert query(db, "select count(*), min(no_register), max(no_register) from klien where sumber_file = ?",
                     [case.file]) == [(BIG_ROWS, "BSR-000002", f"BSR-{BIG_ROWS + 1:06d}")]


# ----------------------------------------------------------------------------- what was loaded, exactly
def _macro_ignored(db: Path, path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        assert "xl/vbaProject.bin" in z.namelist()  # the macro is there, and was not in the way
    assert query(db, "select no_register, nama from klien where sumber_file = ? order by 1", [path.name]) == [
        ("MAK-001", "Klien Makro"), ("MAK-002", "Klien Makro Dua")]


def _cached_values(db: Path, path: Path) -> None:
    # "=1+1" and UPPER("dihitung") were not computed: the values Excel stored are used
    assert query(db, "select no_register, nama from klien where sumber_file = ?", [path.name]) == [
        ("RMS-001", "Nilai Tersimpan")]


def _emoji_kept(db: Path, path: Path) -> None:
    assert query(db, "select distinct sumber_sheet from klien where sumber_file = ?", [path.name]) == [
        ("Klien 📋✅",)]


def _hidden_read(db: Path, path: Path) -> None:
    # hidden sheets are read like any other (values, not visibility, decide what a sheet holds)
    assert query(db, "select sumber_sheet, count(*) from klien where sumber_file = ? group by 1 order by 1",
                 [path.name]) == [("Arsip Lama", 2), ("Data Klien", 2)]


def _injection_stored_as_text_and_neutralised(db: Path, path: Path) -> None:
    from analytics import export
    import pandas as pd
    rows = query(db, "select no_register, nama, pekerjaan_awal from klien where sumber_file = ? order by 1",
                 [path.name])
    assert rows == [("INJ-001", '=HYPERLINK("http://contoh.invalid/curi","klik di sini")', "+628123"),
                    ("INJ-002", "@SUM(1+1)", "-2+3+cmd|' /C calc'!A0")]
    frame = pd.DataFrame(rows, columns=["No. Register", "Nama", "Pekerjaan"])
    csv_text = export.to_csv(frame).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "'@SUM" in csv_text and "'+628123" in csv_text
    assert ";=HYPERLINK" not in csv_text
    book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(frame)))
    cells = [c for row in book.active.iter_rows(min_row=2) for c in row]
    assert all(c.data_type == "s" for c in cells)  # text, never a formula
    assert {c.value for c in cells} >= {"'=HYPERLINK(\"http://contoh.invalid/curi\",\"klik di sini\")", "'@SUM(1+1)"}


def _control_characters_kept_as_text(db: Path, path: Path) -> None:
    names = [n for (n,) in query(db, "select nama from klien where sumber_file = ? order by 1", [path.name])]
    assert len(names) == 2 and names[0].startswith("Ani") and names[1].startswith("Budi")


EXTRA_CHECKS = {"makro.xlsm": _macro_ignored, "rumus.xlsx": _cached_values, "sheet-emoji.xlsx": _emoji_kept,
                "sheet-tersembunyi.xlsx": _hidden_read, "injeksi-rumus.csv": _injection_stored_as_text_and_neutralised,
                "karakter-kendali.csv": _control_characters_kept_as_text}


def test_rejected_rows_workbook_never_carries_a_live_formula(tmp_path, fresh):
    """A rejected row with formula-like text comes back as quote-prefixed text and reloads unchanged."""
    from etl import ditolak
    path = plain_csv(tmp_path / "klien.csv", ["No. Register", "Nama", "Tgl Mulai"],
                     [["FRM-001", '=HYPERLINK("http://contoh.invalid","klik")', "kemarin"],
                      ["FRM-002", "Budi", "01/02/2022"]])
    report = preview_files([path], fresh)
    data = ditolak.workbook(path, report)
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["Ditolak"]
    cell = sheet["B2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (
        '=HYPERLINK("http://contoh.invalid","klik")', "s", True)
    sheet["C2"] = "03/02/2022"
    fixed = tmp_path / "klien - ditolak.xlsx"
    book.save(fixed)
    [entry] = load_files([fixed], fresh)["files"]
    assert (entry["rows_loaded"], entry["errors"]) == (1, [])
    assert query(fresh, "select nama from klien where no_register = 'FRM-001'") == [
        ('=HYPERLINK("http://contoh.invalid","klik")',)]
