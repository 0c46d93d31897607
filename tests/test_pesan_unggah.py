"""What the Unggah Data page says about a check and a load, as the operator reads it (findings of a user audit).

A workbook with two data worksheets and a worksheet of meeting notes, an attendance workbook and a CSV that holds
no data the loader knows: every worksheet gets a row of its own in «Hasil pemeriksaan» (the notes «Dilewati», with
its warning under its own name), a CSV is not said to have worksheets, counts name what they count, a bad date is
quoted as typed, statuses read the same in the report and in «Riwayat muat», and the accepted file types are the
loader's own. The rejected-rows workbook is Indonesian through and through.
"""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import openpyxl
import pytest

from etl import ditolak, extract
from etl.load import preview_files
from tests.builders import KEHADIRAN_HEADER, KLIEN_HEADER, klien_row, plain_csv, workbook
from tests.test_unggah_page import XLSX, office, page  # noqa: F401  (fixtures of the Unggah page)

ROOT = Path(__file__).resolve().parents[1]


def _clients(path: Path) -> Path:
    """«Klien Baru» (one good row, one impossible date), «Klien Lama» (one row), «Catatan Rapat» (not data)."""
    workbook(path, {"Klien Baru": (KLIEN_HEADER, [klien_row(1, "B-001", "Ani"),
                                                  klien_row(2, "B-002", "Budi", mulai="31/02/2026")]),
                    "Klien Lama": (KLIEN_HEADER, [klien_row(1, "B-003", "Cici")])})
    wb = openpyxl.load_workbook(path)
    notes = wb.create_sheet("Catatan Rapat")
    for line in ("Catatan rapat bulanan", "Hadir: Kasubsi, PK", "Agenda: evaluasi wajib lapor"):
        notes.append([line])
    wb.save(path)
    return path


def _attendance(path: Path) -> Path:
    return workbook(path, {"Februari": (KEHADIRAN_HEADER, [
        [1, "A-001", "3 Februari 2022", "Wajib Lapor", None, "Hadir", None, 1],
        [2, "A-002", "3 Februari 2022", "Wajib Lapor", None, "Hadir", None, 1]])})


def _notes_csv(path: Path) -> Path:
    return plain_csv(path, ["Tanggal Rapat", "Agenda"], [["02/02/2026", "Evaluasi bulanan"]])


@pytest.fixture
def uploads(tmp_path) -> list[Path]:
    folder = tmp_path / "audit"
    folder.mkdir()
    return [_clients(folder / "Data Klien.xlsx"), _attendance(folder / "Kehadiran.xlsx"),
            _notes_csv(folder / "rapat.csv")]


def _texts(at, *kinds) -> list[str]:
    return [str(e.value) for kind in kinds for e in at.get(kind)]


def _frame(at, first_column: str, *, has: str):
    return next(d.value for d in at.dataframe if d.value.columns[0] == first_column and has in d.value.columns)


SKIPPED = "dilewati: judul kolom tidak cocok dengan jenis data mana pun"
NOT_DATA = "rapat.csv: isi berkas CSV tidak dikenali sebagai data: judul kolom tidak cocok dengan jenis data mana pun"


def test_check_report_names_every_worksheet_and_counts_what_it_says(page, uploads):
    at = page("operator")
    at.file_uploader[0].set_value([(p.name, p.read_bytes(), XLSX if p.suffix == ".xlsx" else "text/csv")
                                   for p in uploads])
    at = page.go(at)
    assert not at.exception
    summary = _frame(at, "Berkas", has="Jenis data")
    assert summary.to_dict("records") == [
        {"Berkas": "Data Klien.xlsx", "Lembar kerja": "Klien Baru", "Jenis data": "Data Klien",
         "Status": "Siap dimuat", "Baris dibaca": "2", "Diterima": "1", "Ditolak": "1", "Peringatan": "0"},
        {"Berkas": "Data Klien.xlsx", "Lembar kerja": "Klien Lama", "Jenis data": "Data Klien",
         "Status": "Siap dimuat", "Baris dibaca": "1", "Diterima": "1", "Ditolak": "0", "Peringatan": "0"},
        {"Berkas": "Data Klien.xlsx", "Lembar kerja": "Catatan Rapat", "Jenis data": "tidak dikenali",
         "Status": "Dilewati", "Baris dibaca": "0", "Diterima": "0", "Ditolak": "0", "Peringatan": "1"},
        {"Berkas": "Kehadiran.xlsx", "Lembar kerja": "Februari", "Jenis data": "Kehadiran",
         "Status": "Siap dimuat", "Baris dibaca": "2", "Diterima": "2", "Ditolak": "0", "Peringatan": "0"},
        {"Berkas": "rapat.csv", "Lembar kerja": "–", "Jenis data": "tidak dikenali", "Status": "Ditolak seluruhnya",
         "Baris dibaca": "0", "Diterima": "0", "Ditolak": "0", "Peringatan": "0"}]
    assert ("Lembar kerja berstatus «Dilewati» tidak berisi tabel data yang dikenali dan tidak dimuat; alasannya ada "
            "di «Peringatan».") in _texts(at, "caption")

    # a CSV has no worksheets: the reason says what the file holds
    assert _texts(at, "error") == [NOT_DATA]
    assert not [t for t in _texts(at, "error") if "lembar kerja" in t]

    # the skipped sheet's warning sits under its own name, its whole reason in the message, nothing in «Nilai»
    warnings = _frame(at, "Berkas", has="Pesan")
    assert warnings.to_dict("records") == [{"Berkas": "Data Klien.xlsx", "Lembar kerja": "Catatan Rapat",
                                            "Baris": "–", "Kolom": "–", "Nilai": "", "Pesan": SKIPPED}]
    assert [e.label for e in at.expander] == ["Peringatan (1) — tidak menghalangi muat"]

    # rejected rows: rows and reasons counted as such; the date quoted as typed
    rejected = _frame(at, "Berkas", has="Alasan")
    assert rejected.to_dict("records") == [
        {"Berkas": "Data Klien.xlsx", "Lembar kerja": "Klien Baru", "Baris": "7", "Kolom": "Tanggal Mulai Bimbingan",
         "Nilai": "31/02/2026", "Alasan": "Tanggal Mulai Bimbingan: tanggal tidak ada di kalender: '31/02/2026'"}]
    markdown = _texts(at, "markdown")
    assert ("**Baris ditolak: 1 baris, 1 alasan** — baris ini tidak dimuat; berkas lain dan baris lain tetap "
            "dimuat.") in markdown
    assert not [t for t in markdown if "(1 alasan)" in t]

    info = _texts(at, "info")
    assert [t for t in info if t.startswith("Bila dimuat")] == [
        "Bila dimuat: 4 baris dari 2 berkas (3 lembar kerja). Baris dengan kunci yang sudah ada menggantikan baris "
        "lama (yang lama disimpan, sehingga muat dapat dibatalkan)."]
    assert not [t for t in info if "lembar kerja/berkas" in t]

    # the reason columns get the room to be read whole
    widths = {c: json.loads(d.proto.columns).get(c, {}).get("width") for d in at.dataframe
              for c in ("Alasan", "Pesan") if c in d.value.columns}
    assert widths == {"Alasan": "large", "Pesan": "large"}


def test_after_a_load_the_report_and_the_history_use_the_same_labels(page, uploads):
    at = page("operator")
    at.file_uploader[0].set_value([(p.name, p.read_bytes(), XLSX if p.suffix == ".xlsx" else "text/csv")
                                   for p in uploads])
    at = page.go(at)
    at.button(key="unggah_muat").click()
    at = page.go(at)
    assert not at.exception
    assert _texts(at, "warning") == [
        "Muat nomor 2 selesai: 4 baris dimuat dari 2 berkas (dari 3 berkas yang dipilih). 1 berkas ditolak "
        "seluruhnya."]
    summary = _frame(at, "Berkas", has="Jenis data")
    assert summary["Status"].tolist() == ["Dimuat", "Dimuat", "Dilewati", "Dimuat", "Ditolak seluruhnya"]
    history = _frame(at, "No. muat", has="SHA-256")
    assert history[["Berkas", "Lembar kerja", "Status"]].to_dict("records") == [
        {"Berkas": "Data Klien.xlsx", "Lembar kerja": "Klien Baru", "Status": "Dimuat"},
        {"Berkas": "Data Klien.xlsx", "Lembar kerja": "Klien Lama", "Status": "Dimuat"},
        {"Berkas": "Kehadiran.xlsx", "Lembar kerja": "Februari", "Status": "Dimuat"},
        {"Berkas": "rapat.csv", "Lembar kerja": "–", "Status": "Ditolak seluruhnya"},
        {"Berkas": "klien-awal.xlsx", "Lembar kerja": "Data Klien", "Status": "Dimuat"}]
    assert set(history["Status"]) <= set(summary["Status"])  # the same words in both tables
    assert not {"dimuat", "ditolak"} & set(history["Status"])


def test_the_page_says_its_file_types_in_indonesian_and_as_the_loader_reads_them(page):
    at = page("operator")
    assert not at.exception
    intro = _texts(at, "caption")[0]
    assert intro.startswith("Muat berkas Excel/CSV bulanan ke basis data.")
    texts = _texts(at, "title", "subheader", "caption", "markdown", "info")
    assert not [t for t in texts if "spreadsheet" in t.lower()]
    accepted = [s.lstrip(".") for s in extract.suffixes()]
    assert "xlsb" in accepted and at.file_uploader[0].proto.type == [f".{s}" for s in accepted]
    assert f"Jenis berkas: {', '.join(extract.suffixes())}; paling besar" in " ".join(texts)


def test_readme_lists_the_types_the_loader_accepts():
    line = next(line for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines() if "`.csv`" in line)
    assert re.findall(r"`(\.\w+)`", line) == extract.suffixes()


# ------------------------------------------------------------------------------ the rejected-rows workbook
@pytest.mark.parametrize("sheet, expected", [("Sheet1", "Lembar1"), ("Sheet", "Lembar1"), ("sheet 3", "Lembar3"),
                                             ("Klien Baru", "Klien Baru"), ("Sheets Lama", "Sheets Lama")])
def test_rejected_rows_workbook_is_indonesian(tmp_path, db, sheet, expected):
    path = workbook(tmp_path / "klien.xlsx", {sheet: (KLIEN_HEADER, [klien_row(1, "D-001", "Ani"),
                                                                     klien_row(2, "D-002", "Budi", mulai="kemarin")])})
    data = ditolak.workbook(path, preview_files([path], db))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == [expected]
    assert book.properties.title == "Baris ditolak dari klien.xlsx"
    rows = [[c.value for c in row] for row in book[expected].iter_rows()]
    assert rows[0][-1] == "Alasan ditolak" and rows[1][:3] == [2, "D-002", "Budi"]


def test_rejected_rows_of_a_csv_get_an_indonesian_worksheet(tmp_path, db):
    path = plain_csv(tmp_path / "klien.csv", KLIEN_HEADER, [klien_row(1, "C-001", "Ani", mulai="31/02/2026")])
    data = ditolak.workbook(path, preview_files([path], db))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Ditolak"]
    rows = [[c.value for c in row] for row in book["Ditolak"].iter_rows()]
    assert rows[1][-1] == "baris 2: Tanggal Mulai Bimbingan: tanggal tidak ada di kalender: '31/02/2026'"
