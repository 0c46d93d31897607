"""An Excel worksheet is called «lembar kerja» wherever the user reads about one, never «sheet».

The hostile files come from the builders of tests/test_hostile.py and tests/test_extract_hostile.py; the messages
are checked on the loader's report, the page's wording of it, the command line, the Unggah page and the templates.
A worksheet's own name (openpyxl's default is "Sheet") is the user's text: messages quote it, so quoted text is
left out of the check.
"""
from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from analytics import kualitas
from etl import templates
from etl.load import preview_files
from tests.builders import KLIEN_HEADER, klien_row, workbook
from tests.conftest import run_cli
from tests.test_cli_help import _subcommands
from tests.test_extract_hostile import _broken_sheet_xml as _broken_sheet_xml_bytes
from tests.test_hostile import _far_cell, _many_sheets, _titles_only
from tests.test_unggah_page import XLSX, office, page  # noqa: F401  (fixtures of the Unggah page)

WORD = re.compile(r"\bsheets?\b", re.I)
QUOTED = re.compile(r"'[^']*'")


def _english_word(text: str) -> str | None:
    """The word «sheet» in a text, outside quoted worksheet names."""
    found = WORD.search(QUOTED.sub("''", text))
    return found.group() if found else None


def _one_sheet_lacks_a_column(path: Path) -> None:
    workbook(path, {"Data Klien": (KLIEN_HEADER, [klien_row(1, "SB-001", "Ani")]),
                    "Tanpa Nama": (["No. Register", "Jenis Kelamin", "Tgl Mulai"], [["SB-002", "L", "01/02/2022"]])})


def _key_in_two_sheets(path: Path) -> None:
    workbook(path, {"2022": (KLIEN_HEADER, [klien_row(1, "KG-001", "Ani")]),
                    "2023": (KLIEN_HEADER, [klien_row(1, "KG-001", "Ani lagi")])})


CASES = [  # file, builder, the message that names a worksheet (whole)
    ("judul-saja.xlsx", _titles_only,
     "tidak ada lembar kerja yang dikenali sebagai data ('Data Klien': judul kolom tidak cocok dengan jenis data mana "
     "pun)"),
    ("banyak-kosong.xlsx", _many_sheets, "lembar kerja 'Kosong 1' dilewati: lembar kerja kosong"),
    ("xml-rusak.xlsx", lambda path: path.write_bytes(_broken_sheet_xml_bytes()),
     "lembar kerja 'Data Klien' rusak dan tidak dapat dibaca (isinya terpotong atau tidak sah); buka berkas di Excel, "
     "biarkan Excel memperbaikinya, lalu simpan ulang"),
    ("sel-jauh.xlsx", _far_cell,
     "lembar kerja 'Sheet' terlalu besar untuk dibaca (1048576 baris × 16384 kolom terpakai); hapus isi sel di luar "
     "tabel lalu simpan ulang"),
    ("satu-bermasalah.xlsx", _one_sheet_lacks_a_column, "berkas ditolak seluruhnya karena lembar kerja lain bermasalah"),
    ("kunci-ganda.xlsx", _key_in_two_sheets, "duplikat: sama dengan baris 6 (lembar kerja 2022)"),
]


@pytest.fixture
def hostile(tmp_path) -> list[Path]:
    folder = tmp_path / "berkas"
    folder.mkdir()
    for name, build, _ in CASES:
        build(folder / name)
    return [folder / name for name, _, _ in CASES]


def _report_texts(report: dict) -> list[str]:
    """Every text the page makes of a report: messages, whole-file lines, table headers and cells."""
    texts = [item["message"] for e in report["files"] for item in e["errors"] + e["warnings"]]
    texts += kualitas.file_errors(report)
    for table in (kualitas.report_summary(report), kualitas.report_rows(report, "errors"),
                  kualitas.report_rows(report, "warnings")):
        texts += list(table.columns) + [str(v) for v in table.to_numpy().ravel()]
    return texts


@pytest.mark.parametrize("name, build, expected", CASES, ids=[c[0] for c in CASES])
def test_loader_names_a_worksheet_lembar_kerja(tmp_path, db, name, build, expected):
    path = tmp_path / name
    build(path)
    report = preview_files([path], db)
    texts = _report_texts(report)
    assert expected in [item["message"] for e in report["files"] for item in e["errors"] + e["warnings"]]
    assert "Lembar kerja" in kualitas.report_summary(report).columns
    assert [(t, _english_word(t)) for t in texts if _english_word(t)] == []


def test_command_line_says_lembar_kerja(hostile, db):
    done = run_cli("load", *hostile, "--db", db)
    assert done.returncode == 1  # some files are rejected whole
    for _, _, expected in CASES[:1] + CASES[2:]:
        assert expected in done.stdout
    # the skipped worksheets: one line each under their own name, the first 20, then how many more
    assert "banyak-kosong.xlsx [Kosong 1]: dilewati: lembar kerja kosong" in done.stdout.splitlines()
    assert "banyak-kosong.xlsx: … dan 380 lembar kerja lain dilewati" in done.stdout.splitlines()
    assert "[Kosong 21]" not in done.stdout
    assert [line for line in (done.stdout + done.stderr).splitlines() if _english_word(line)] == []
    help_text = _subcommands()["load"].format_help()
    assert "jenis data semua lembar kerja" in " ".join(help_text.split())
    assert not _english_word(help_text)


def _page_texts(at) -> list[str]:
    texts = [str(e.value) for kind in ("title", "subheader", "caption", "markdown", "info", "warning", "error",
                                       "success") for e in at.get(kind)]
    texts += [w.label for kind in ("button", "selectbox", "download_button", "expander") for w in at.get(kind)]
    for frame in at.dataframe:
        texts += list(frame.value.columns) + [str(v) for v in frame.value.to_numpy().ravel()]
    return texts


def test_unggah_page_says_lembar_kerja(page, hostile):
    at = page("operator")
    at.file_uploader[0].set_value([(p.name, p.read_bytes(), XLSX) for p in hostile])
    at = page.go(at)
    assert not at.exception
    texts = _page_texts(at)
    whole = {name: expected for name, _, expected in CASES}
    assert [e.value for e in at.error] == [
        f"judul-saja.xlsx: {whole['judul-saja.xlsx']}", f"xml-rusak.xlsx: {whole['xml-rusak.xlsx']}",
        f"sel-jauh.xlsx: {whole['sel-jauh.xlsx']}",
        "satu-bermasalah.xlsx (lembar kerja Tanpa Nama): kolom wajib tidak ditemukan untuk data klien: Nama (judul "
        "kolom di baris 4); bila lembar kerja ini bukan data (mis. daftar pilihan), sembunyikan atau hapus lembar "
        "kerja itu",
        f"satu-bermasalah.xlsx (lembar kerja Data Klien): {whole['satu-bermasalah.xlsx']}"]
    assert "Bila dimuat: 2 baris dari 2 berkas." in " ".join(e.value for e in at.info)
    assert "dan lembar kerja Petunjuk" in " ".join(e.value for e in at.caption)
    assert [(t, _english_word(t)) for t in texts if _english_word(t)] == []

    at.button(key="unggah_muat").click()
    at = page.go(at)
    assert not at.exception
    assert [w.value for w in at.warning] == [
        "Muat nomor 2 selesai: 2 baris dimuat dari 2 berkas (dari 6 berkas yang dipilih). 4 berkas ditolak "
        "seluruhnya."]
    assert "Satu baris per berkas dan lembar kerja setiap kali muat" in " ".join(c.value for c in at.caption)
    assert [(t, _english_word(t)) for t in _page_texts(at) if _english_word(t)] == []


@pytest.mark.parametrize("kind", ["klien", "hambatan"])  # hambatan also has the hidden Daftar list
def test_templates_say_lembar_kerja(tmp_path, kind):
    book = openpyxl.load_workbook(templates.write_template(kind, tmp_path / f"{kind}.xlsx"))
    guide = " ".join(str(c) for row in book["Petunjuk"].iter_rows(values_only=True) for c in row if c is not None)
    data = book.worksheets[0]
    validations = [v.error for v in data.data_validations.dataValidation if v.error]
    assert f"di lembar kerja '{data.title}'" in guide and "Lembar kerja Petunjuk ini" in guide
    assert ("Daftar" in book.sheetnames) == (kind == "hambatan")
    assert ("dan lembar kerja Daftar (tersembunyi, berisi pilihan)" in guide) == (kind == "hambatan")
    assert validations and all("(lihat lembar kerja Petunjuk)" in v for v in validations)
    texts = [str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    texts += [c.comment.text for ws in book.worksheets for row in ws.iter_rows() for c in row if c.comment]
    assert [(t, _english_word(t)) for t in texts + validations if _english_word(t)] == []
