"""Hostile attendance grids (etl/kisi.py): odd headers, odd marks, odd titles, sheets that only look like grids.

Each gets a clear Indonesian reason per cell (or for the file), never a traceback, never rows under a wrong date, and
a sheet of another kind with a few date columns still loads as that kind.
"""
from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import openpyxl
import pytest

from etl.load import load_files
from tests.builders import KLIEN_HEADER, klien_row, office_sheet, sheet_book, workbook
from tests.conftest import query, run_cli

D = dt.date
WL = ("DAFTAR HADIR WAJIB LAPOR", "BULAN JANUARI 2026")
FEB = ("DAFTAR HADIR WAJIB LAPOR", "BULAN FEBRUARI 2026")
ALLOWED = ("yang diterima: H, V, ✓ atau √ (hadir), Terlambat atau Telat, I, Izin, S atau Sakit (izin), A, Alpa, "
           "Mangkir, TH atau Tdk Hadir (tidak hadir)")
DATES = "select no_register, tanggal, status_hadir from kehadiran order by all"


def _klien(folder: Path, n: int = 3) -> Path:
    lines = ["No. Register;Nama;Tgl Mulai", *(f"PB-{i + 1:03d};Budi;02/01/2025" for i in range(n))]
    (folder / "klien.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "klien.csv"


def _grid(path: Path, header: list, rows: list, *, sheet: str = "Lembar1", titles: tuple[str, ...] = WL,
          **layout) -> Path:
    return sheet_book(path, header, rows, sheet=sheet, titles=titles, numbering=False, **layout)


def _load(tmp_path: Path, path: Path, db: Path, clients: int = 3) -> dict:
    load_files([_klien(tmp_path, clients)], db)
    [entry] = load_files([path], db)["files"]
    return entry


def _errors(entry: dict) -> list[tuple]:
    return [(e["row"], e["column"], e["value"], e["message"]) for e in entry["errors"]]


def _counts(entry: dict) -> tuple:
    return entry["kind"], entry["rows_read"], entry["rows_loaded"], entry["rows_rejected"]


# ------------------------------------------------------------------------------------- headers (fixed)
def test_feb_31_is_rejected_per_cell_naming_the_day_and_month(tmp_path, db):
    """Was: «Tanggal: tanggal tidak ada di kalender: '29'» (the month and column lost on the way)."""
    path = _grid(tmp_path / "g.xlsx", ["No. Register", "Nama", 28, 29, 30, 31],
                 [["PB-001", "Budi", "H", "A", None, "H"], ["PB-002", "Sari", None, None, None, None]], titles=FEB)
    entry = _load(tmp_path, path, db)
    assert _counts(entry) == ("kehadiran", 3, 1, 2)
    assert _errors(entry) == [
        (5, "Tanggal", "29", "Tanggal: kolom «29»: tanggal 29 Februari 2026 tidak ada di kalender"),
        (5, "Tanggal", "31", "Tanggal: kolom «31»: tanggal 31 Februari 2026 tidak ada di kalender")]
    assert query(db, DATES) == [("PB-001", D(2026, 2, 28), "HADIR")]


def test_a_date_header_given_twice_rejects_the_repeat_naming_its_column(tmp_path, db):
    """Was: the whole client row at «No. Register»: «duplikat: sama dengan baris 5» (row 5 itself)."""
    header = ["No. Register", "Nama", "05/01/2026", "12/01/2026", "05/01/2026", "19/01/2026"]
    path = _grid(tmp_path / "g.xlsx", header, [["PB-001", "Budi", "H", "A", "I", None],
                                                ["PB-002", "Sari", None, None, "H", "H"]])
    entry = _load(tmp_path, path, db)
    assert _counts(entry) == ("kehadiran", 5, 3, 2)
    reason = ("Tanggal: kolom «05/01/2026»: tanggalnya sama dengan kolom «05/01/2026» di sebelah kirinya; tanda di "
              "kolom ini tidak dimuat, perbaiki judul kolomnya")
    assert _errors(entry) == [(5, "Tanggal", "05/01/2026", reason), (6, "Tanggal", "05/01/2026", reason)]
    assert query(db, DATES) == [("PB-001", D(2026, 1, 5), "HADIR"), ("PB-001", D(2026, 1, 12), "TIDAK_HADIR"),
                                ("PB-002", D(2026, 1, 19), "HADIR")]


@pytest.mark.parametrize("days, marks, loaded, bad", [
    ([1, 2, 2, 3], ["H", "A", "H", "I"], [(1, "HADIR"), (2, "TIDAK_HADIR"), (3, "IZIN")],
     [("2", "kolom «2»: nomor hari 2 sudah ada di kolom sebelah kirinya; tanda di kolom ini tidak dimuat, perbaiki "
            "judul kolomnya")]),
    # 1 and 2 after 31 under one month in the title: January or February? Not guessed.
    ([29, 30, 31, 1, 2], ["H", "A", None, "H", "I"], [(29, "HADIR"), (30, "TIDAK_HADIR")],
     [(d, f"kolom «{d}» ada di sebelah kanan kolom «31»: nomor hari tidak berurutan, sehingga bulannya tidak pasti; "
          "gunakan tanggal lengkap (mis. 01/02/2026) sebagai judul kolom, atau tulis bulannya di atas kolom-kolomnya")
      for d in ("1", "2")]),
    ([1, 2, 3, 32], ["H", "A", None, "H"], [(1, "HADIR"), (2, "TIDAK_HADIR")],
     [("32", "kolom «32»: tidak ada tanggal 32 dalam bulan mana pun; perbaiki judul kolomnya")]),
    ([0, 1, 2, 3], ["H", "A", None, "S"], [(1, "TIDAK_HADIR"), (3, "IZIN")],
     [("0", "kolom «0»: tidak ada tanggal 0 dalam bulan mana pun; perbaiki judul kolomnya")]),
])
def test_day_numbers_repeated_wrapping_or_impossible_reject_their_marks(tmp_path, db, days, marks, loaded, bad):
    """Was: a repeated or wrapping day made the sheet no grid at all («judul kolom tidak cocok dengan jenis data mana
    pun», the file rejected); a day 0 or 32 column was dropped with its marks (a warning only)."""
    path = _grid(tmp_path / "g.xlsx", ["No. Register", "Nama", *days], [["PB-001", "Budi", *marks]])
    entry = _load(tmp_path, path, db)
    assert _counts(entry) == ("kehadiran", len(loaded) + len(bad), len(loaded), len(bad))
    assert _errors(entry) == [(5, "Tanggal", value, f"Tanggal: {reason}") for value, reason in bad]
    assert entry["warnings"] == []
    assert query(db, DATES) == [("PB-001", D(2026, 1, d), s) for d, s in loaded]


def test_a_date_header_merged_over_two_columns_rejects_the_marks_under_its_second(tmp_path, db):
    """Was: the mark under the second column of the merge (and under a headerless column after the dates) vanished
    without a word."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Jan 2026"
    ws["A1"] = "DAFTAR HADIR WAJIB LAPOR"
    for i, h in enumerate(["No. Register", "Nama", "05/01/2026", None, "12/01/2026", "19/01/2026"], start=1):
        ws.cell(3, i, h)
    ws.merge_cells("C3:D3")
    ws.append(["PB-001", "Budi", "H", "A", "H", "I", "S"])
    ws.append(["PB-002", "Sari", None, None, "H", None, None])
    wb.save(tmp_path / "g.xlsx")
    entry = _load(tmp_path, tmp_path / "g.xlsx", db)
    assert _counts(entry) == ("kehadiran", 6, 4, 2)
    assert _errors(entry) == [
        (4, "Tanggal", "", "Tanggal: kolom tanpa judul di sebelah kanan kolom «05/01/2026»: kolom ini tidak bertanggal "
                           "(mis. judul tanggal yang digabung melintasi dua kolom); tulis tanggalnya di judul kolom"),
        (4, "Tanggal", "", "Tanggal: kolom tanpa judul di sebelah kanan kolom «19/01/2026»: kolom ini tidak bertanggal "
                           "(mis. judul tanggal yang digabung melintasi dua kolom); tulis tanggalnya di judul kolom")]
    assert query(db, "select count(*) from kehadiran") == [(4,)]


# --------------------------------------------------------------------------------------- titles (fixed)
@pytest.mark.parametrize("titles, months", [
    (("DAFTAR HADIR WAJIB LAPOR", "BULAN JANUARI–FEBRUARI 2026"), "Januari, Februari"),
    (("DAFTAR HADIR WAJIB LAPOR", "Januari 2026", "dicetak 3 Februari 2026"), "Januari, Februari"),
])
def test_a_title_naming_two_months_is_refused_naming_both(tmp_path, db, titles, months):
    """Was: «Januari–Februari 2026» read as February (only «Februari» stood before the year): wrong dates loaded."""
    path = _grid(tmp_path / "g.xlsx", ["No. Register", "Nama", 5, 6, 7], [["PB-001", "Budi", "H", None, "A"]],
                 titles=titles)
    entry = _load(tmp_path, path, db)
    [error] = entry["errors"]
    assert (entry["kind"], entry["status"]) == ("kehadiran", "rejected")
    assert f"tetapi judul atau nama lembar kerja menyebut lebih dari satu bulan ({months}); tulis bulan" in \
        error["message"]
    assert query(db, "select count(*) from kehadiran") == [(0,)]


@pytest.mark.parametrize("sheet, titles", [
    ("Lembar1", ("DAFTAR HADIR WAJIB LAPOR", "TAHUN 2026")),
    ("Lembar1", ("DAFTAR HADIR WAJIB LAPOR", "BULAN JANUARI")),
    ("Jan", ("DAFTAR HADIR WAJIB LAPOR",)),
])
def test_a_year_or_a_month_alone_is_refused_saying_the_month_is_missing(tmp_path, db, sheet, titles):
    path = _grid(tmp_path / "g.xlsx", ["No. Register", "Nama", 5, 6, 7], [["PB-001", "Budi", "H", None, "A"]],
                 sheet=sheet, titles=titles)
    [error] = _load(tmp_path, path, db)["errors"]
    assert "bulan dan tahunnya tidak ditemukan di judul maupun nama lembar kerja" in error["message"]


# ------------------------------------------------------------------------------ marks and shapes (fixed)
def test_a_grid_of_mostly_mistyped_marks_is_still_a_grid(tmp_path, db):
    """Was: more unknown marks than known ones made the sheet no grid, and it was refused for lacking client columns
    («kolom wajib tidak ditemukan untuk data klien: Tanggal Mulai Bimbingan»)."""
    header = ["No. Register", "Nama", "05/01/2026", "12/01/2026", "19/01/2026", "26/01/2026"]
    path = _grid(tmp_path / "g.xlsx", header, [["PB-001", "Budi", "H", "X", "#REF!", True],
                                                ["PB-002", "Sari", "😀", "O", None, None]])
    entry = _load(tmp_path, path, db)
    assert _counts(entry) == ("kehadiran", 6, 1, 5)
    assert [(e[0], e[2]) for e in _errors(entry)] == [(5, "X"), (5, "#REF!"), (5, "True"), (6, "😀"), (6, "O")]
    assert _errors(entry)[0][3] == f"Kehadiran: kolom «12/01/2026»: tanda kehadiran 'X' tidak dikenal; {ALLOWED}"
    assert "galat rumus #REF!" in _errors(entry)[1][3]


def test_a_grid_with_only_its_header_is_attendance_without_rows(tmp_path, db):
    """Was: «kolom wajib tidak ditemukan untuk data klien» (CSV) / «judul kolom tidak cocok …» (workbook)."""
    path = tmp_path / "g.csv"
    path.write_text("DAFTAR HADIR WAJIB LAPOR BULAN JANUARI 2026\nNo. Register;Nama;1;2;3\n", encoding="utf-8")
    entry = _load(tmp_path, path, db)
    assert (*_counts(entry), entry["errors"]) == ("kehadiran", 0, 0, 0, [])
    assert [w["message"] for w in entry["warnings"]] == [
        "tidak ada baris data di bawah judul kolom (baris 2); tidak ada yang dimuat"]


@pytest.mark.parametrize("kind, sheets", [
    ("klien", {"Data Klien": (KLIEN_HEADER + ["01/02/2025", "01/03/2025", "01/04/2025"],
                              [klien_row(1, "PB-101") + ["V", "Ya", None],
                               klien_row(2, "PB-102") + [D(2025, 2, 1), "H", None]])}),
    ("hambatan", {"Hambatan": (["Tanggal", "Kategori", "Uraian", "No. Register", "05/01/2026", "12/01/2026",
                                "19/01/2026"], [["05/01/2026", "Sakit", "klien sakit", "PB-001", "S", "I", "A"],
                                                ["06/01/2026", "Lainnya", "hujan", "PB-002", "H", None, None]])}),
])
def test_a_complete_sheet_of_another_kind_with_marks_under_dates_stays_that_kind(tmp_path, db, kind, sheets):
    """Was: taken for an attendance grid (a register, date headers, marks below) and refused whole for lacking the
    activity: the client or obstacle rows were lost."""
    entry = _load(tmp_path, workbook(tmp_path / "lain.xlsx", sheets), db)
    assert _counts(entry) == (kind, 2, 2, 0)
    assert {w["message"] for w in entry["warnings"]} == {"kolom tidak dikenal, diabaikan"}


# -------------------------------------------------------------------------------- already fine: kept so
def _wide(folder: Path) -> Path:
    dates = [(D(2010, 1, 1) + dt.timedelta(days=i)).strftime("%d/%m/%Y") for i in range(5000)]
    lines = ["DAFTAR HADIR WAJIB LAPOR", "No. Register;Nama;" + ";".join(dates)]
    lines += [f"PB-00{i};Budi;" + ";".join("H" if j % 7 == 0 else "" for j in range(5000)) for i in (1, 2)]
    (folder / "lebar.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "lebar.csv"


def _tall(folder: Path) -> Path:
    lines = ["DAFTAR HADIR WAJIB LAPOR BULAN JANUARI 2026", "No. Register;Nama;1;2;3;4;5"]
    lines += [f"PB-{i + 1:03d};Budi;H;;A;I;" for i in range(20_000)]
    (folder / "panjang.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "panjang.csv"


def _cp1252(folder: Path) -> Path:
    text = ("DAFTAR HADIR WAJIB LAPOR BULAN JANUARI 2026;;;;\nNo. Register;Nama;1;2;3\nPB-001;Budi Café;H;Telat;A\n"
            "PB-002;Sari “S”;;H;\n")
    (folder / "1252.csv").write_bytes(text.encode("cp1252"))
    return folder / "1252.csv"


def _odd_marks(folder: Path) -> Path:
    header = ["No. Register", "Nama", "05/01/2026", "12/01/2026", "19/01/2026", "26/01/2026"]
    rows = [["PB-001", "Budi", 1, "   ", "x" * 10_000, "H"], ["PB-002", "Sari", "H\nA", float("nan"), 0, " ✓ "]]
    return _grid(folder / "aneh.xlsx", header, rows)


def _no_registers(folder: Path) -> Path:
    return _grid(folder / "tanpa.xlsx", ["No. Register", "Nama", 1, 2, 3],
                 [[None, "Budi", "H", None, "A"], [None, "Sari", None, "H", None]])


def _hidden(folder: Path) -> Path:
    wb = openpyxl.Workbook()
    office_sheet(wb.active, ["No. Register", "Nama", "Tgl Mulai"], [["PB-009", "Tono", "02/01/2025"]])
    ws = wb.create_sheet("WL Jan 2026")
    office_sheet(ws, ["No. Register", "Nama", 1, 2, 3], [["PB-001", "Budi", "H", None, "A"]],
                 titles=("DAFTAR HADIR WAJIB LAPOR",), numbering=False)
    ws.sheet_state = "hidden"
    wb.save(folder / "tersembunyi.xlsx")
    return folder / "tersembunyi.xlsx"


def _anggaran(folder: Path) -> Path:
    months = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
    return workbook(folder / "anggaran.xlsx", {"Anggaran": (
        ["Tahun Anggaran", "Kode Akun", "Uraian Akun", "Pagu", *months],
        [[2026, "521211", "Belanja Bahan", 12_000_000, *[1_000_000] * 12]])})


CASES = {  # builder, clients to know, (kind, read, loaded, rejected), error messages contain, seconds at most
    "5000 kolom tanggal": (_wide, 3, ("kehadiran", 1430, 1430, 0), [], 10),
    "20000 klien": (_tall, 20_000, ("kehadiran", 60_000, 60_000, 0), [], 15),
    "csv ; windows-1252": (_cp1252, 3, ("kehadiran", 4, 4, 0), [], 5),
    "tanda aneh": (_odd_marks, 3, ("kehadiran", 6, 2, 4), ["tanda kehadiran '1'", "tanda kehadiran 'xxxxx",
                                                           "tanda kehadiran 'H A'", "tanda kehadiran '0'"], 5),
    "no register kosong": (_no_registers, 3, ("kehadiran", 3, 0, 3), ["No. Register wajib diisi"] * 3, 5),
    "lembar tersembunyi": (_hidden, 3, ("klien", 1, 1, 0), [], 5),
    "anggaran per bulan": (_anggaran, 3, ("anggaran", 13, 13, 0), [], 5),  # ceiling + 12 months (etl/bulanan.py)
}


@pytest.mark.parametrize("name", CASES)
def test_hostile_grids_that_already_behave(tmp_path, db, name):
    build, clients, counts, messages, seconds = CASES[name]
    path = build(tmp_path)
    load_files([_klien(tmp_path, clients)], db)
    started = time.perf_counter()
    entries = load_files([path], db)["files"]
    assert time.perf_counter() - started < seconds
    assert _counts(entries[0]) == counts
    assert len(entries[0]["errors"]) == len(messages)
    for error, text in zip(entries[0]["errors"], messages):
        assert text in error["message"]
    if name == "lembar tersembunyi":  # the hidden grid loads, said so
        assert _counts(entries[1]) == ("kehadiran", 2, 2, 0)
        assert "tersembunyi" in entries[1]["warnings"][0]["message"]
    if name == "tanda aneh":  # a 10,000-character mark is shortened in the message
        assert max(len(e["message"]) for e in entries[0]["errors"]) < 400


def test_the_command_line_never_shows_a_traceback(tmp_path):
    """Exit 0 for a file loaded with rejected marks, 1 for one refused whole; Indonesian on stderr, no traceback."""
    db = tmp_path / "cli.duckdb"
    assert run_cli("load", _klien(tmp_path), "--db", db).returncode == 0
    feb = _grid(tmp_path / "feb.xlsx", ["No. Register", "Nama", 28, 29, 30, 31], [["PB-001", "Budi", "H", "A", None, "H"]],
                titles=FEB)
    merged = _grid(tmp_path / "dua.xlsx", ["No. Register", "Nama", 5, 6, 7], [["PB-001", "Budi", "H", None, "A"]],
                   titles=("DAFTAR HADIR WAJIB LAPOR", "BULAN JANUARI–FEBRUARI 2026"))
    done = run_cli("load", feb, "--db", db, "--json")
    assert (done.returncode, "Traceback" in done.stderr) == (0, False), done.stderr
    assert [(f["rows_loaded"], f["rows_rejected"]) for f in json.loads(done.stdout)["files"]] == [(1, 2)]
    done = run_cli("load", merged, "--db", db)
    assert (done.returncode, "Traceback" in done.stderr) == (1, False), done.stderr
    assert "lebih dari satu bulan (Januari, Februari)" in done.stdout + done.stderr
    assert query(db, DATES) == [("PB-001", D(2026, 2, 28), "HADIR")]


def test_a_title_and_a_sheet_name_naming_different_months_refuse_the_sheet(tmp_path, db):
    """«Bulan Januari 2026» over a sheet named «Feb 2026» (a copied sheet whose title was not updated): the day numbers
    are not guessed into either month (they loaded as January)."""
    header = ["No. Register", "Nama", 2, 9, 16]
    path = _grid(tmp_path / "hadir.xlsx", header, [["PB-001", "Budi", "H", "H", "A"]], sheet="Feb 2026",
                 titles=("DAFTAR HADIR WAJIB LAPOR", "BULAN JANUARI 2026"))
    entry = _load(tmp_path, path, db)
    assert entry["status"] == "rejected" and entry["rows_loaded"] == 0
    assert "lebih dari satu bulan (Januari, Februari)" in entry["errors"][0]["message"]
