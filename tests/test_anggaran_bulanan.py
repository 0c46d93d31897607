"""A budget kept as a monthly matrix (a row per account, a column per month): each account gives its ceiling row and
a row per month with a figure, as rencana or realisasi by the label over the months; the year comes from the title."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from analytics import anggaran
from analytics.filters import Filters
from etl.load import load_files
from tests.builders import sheet_book, workbook
from tests.conftest import query

D = dt.date
MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agt", "Sep", "Okt", "Nop", "Des"]
ROWS = ("select tahun_anggaran, bulan, kode_akun, uraian_akun, kode_program, uraian, pagu, rencana, realisasi, "
        "sumber_baris from anggaran order by kode_akun, bulan nulls first")


_matrix = sheet_book  # one sheet as an office keeps it (tests/builders.py)


def _months(*values) -> list:
    return [*values, *[None] * (12 - len(values))]


def _issues(entry: dict, kind: str = "errors") -> list[tuple]:
    return [(i["row"], i["column"], i["value"], i["message"]) for i in entry[kind]]


REALISASI_HEADER = ["No", "Kode Akun", "Uraian Akun", "Kode Program", "Uraian", "Pagu", *MONTHS, "Jumlah", "Sisa",
                    "%"]
REALISASI_ROWS = [
    [1, "3942.BAA.001.051.A.521211", "Belanja Bahan", None, "Konsumsi bimbingan", 12_000_000,
     *_months(1_000_000, "Rp 1.500.000", 2_000_000), 4_500_000, 7_500_000, "37,5%"],
    [2, 524113, "Perjalanan Dinas Dalam Kota", "P01", "Transport narasumber", "Rp 5.000.000",
     *_months("500.000", None, None, 250_000), 750_000, 4_250_000, "15%"],
]


def _realisasi(tmp_path: Path) -> Path:
    return _matrix(tmp_path / "realisasi.xlsx", REALISASI_HEADER, REALISASI_ROWS,
                   titles=("LAPORAN REALISASI ANGGARAN TA 2026", "BAPAS KELAS II BANDAR LAMPUNG"),
                   group={"Realisasi": (6, 17)}, total=True)


# --------------------------------------------------------------------------------------------- reading
def test_a_realisation_matrix_with_the_year_in_the_title(tmp_path, db):
    """Two title rows, «Realisasi» merged over the months, a numbering row, JUMLAH row and signature block."""
    [entry] = load_files([_realisasi(tmp_path)], db)["files"]
    assert (entry["kind"], entry["rows_read"], entry["rows_loaded"], entry["rows_rejected"]) == ("anggaran", 7, 7, 0)
    assert entry["bentuk"] == "matriks"  # reports say the counts are of the rows made (extract.SHAPES)
    assert entry["errors"] == [] and entry["warnings"] == []
    bahan = (2026, "521211", "Belanja Bahan", None, "Konsumsi bimbingan")
    transport = (2026, "524113", "Perjalanan Dinas Dalam Kota", "P01", "Transport narasumber")
    assert query(db, ROWS) == [
        (2026, None, *bahan[1:], 12_000_000, None, None, 7),
        (2026, 1, *bahan[1:], None, None, 1_000_000, 7),
        (2026, 2, *bahan[1:], None, None, 1_500_000, 7),
        (2026, 3, *bahan[1:], None, None, 2_000_000, 7),
        (2026, None, *transport[1:], 5_000_000, None, None, 8),
        (2026, 1, *transport[1:], None, None, 500_000, 8),
        (2026, 4, *transport[1:], None, None, 250_000, 8),
    ]


def test_the_anggaran_page_figures_of_a_matrix(tmp_path, db):
    """Serapan is realisasi ÷ pagu per account; the Jumlah/Sisa columns are not counted again."""
    load_files([_realisasi(tmp_path)], db)
    frame = anggaran.absorption_by_account(Filters(D(2026, 1, 1), D(2026, 12, 31)), 2026, db)
    got = frame[["kode_akun", "pagu", "realisasi", "serapan"]].to_dict("records")
    assert got == [dict(kode_akun="521211", pagu=12_000_000, realisasi=4_500_000, serapan=4_500_000 / 12_000_000),
                   dict(kode_akun="524113", pagu=5_000_000, realisasi=750_000, serapan=750_000 / 5_000_000)]


def test_an_rpd_matrix_is_read_as_rencana(tmp_path, db):
    """Halaman III DIPA: full month names, the plan named by the title, the year by the sheet name."""
    header = ["Kode Akun", "Uraian Akun", "Pagu", "Januari", "Pebruari", "Maret", "April", "Jumlah"]
    rows = [[521211, "Belanja Bahan", 6_000_000, 1_000_000, 2_000_000, "Rp 3.000.000,00", None, 6_000_000]]
    path = _matrix(tmp_path / "rpd.xlsx", header, rows, sheet="RPD 2026",
                   titles=("RENCANA PENARIKAN DANA (HALAMAN III DIPA)",), numbering=False)
    [entry] = load_files([path], db)["files"]
    assert (entry["rows_read"], entry["rows_loaded"], entry["errors"], entry["warnings"]) == (4, 4, [], [])
    assert query(db, "select bulan, pagu, rencana, realisasi from anggaran order by bulan nulls first") == [
        (None, 6_000_000, None, None), (1, None, 1_000_000, None), (2, None, 2_000_000, None),
        (3, None, 3_000_000, None)]


def test_two_blocks_rencana_and_realisasi_share_the_monthly_rows(tmp_path, db):
    header = ["No", "Kode Akun", "Pagu", "Jan", "Feb", "Mar", "Jan", "Feb", "Mar", "Sisa"]
    rows = [[1, 521211, 9_000_000, 1_000_000, 2_000_000, 3_000_000, 900_000, None, 3_100_000, 5_000_000]]
    path = _matrix(tmp_path / "rpd-realisasi.xlsx", header, rows, titles=("RENCANA DAN REALISASI TA 2026",),
                   group={"Rencana Penarikan (RPD)": (3, 5), "Realisasi": (6, 8)})
    [entry] = load_files([path], db)["files"]
    assert (entry["rows_read"], entry["rows_loaded"], entry["errors"], entry["warnings"]) == (4, 4, [], [])
    assert query(db, "select bulan, pagu, rencana, realisasi from anggaran order by bulan nulls first") == [
        (None, 9_000_000, None, None), (1, None, 1_000_000, 900_000), (2, None, 2_000_000, None),
        (3, None, 3_000_000, 3_100_000)]


def test_a_csv_matrix_with_block_labels_written_once(tmp_path, db):
    """A CSV has no merged cells: a block's label sits over its first month."""
    path = tmp_path / "anggaran.csv"
    path.write_text("LAPORAN ANGGARAN TA 2026;;;;;\n;;RPD;;Realisasi;\nKode Akun;Pagu;Jan;Feb;Jan;Feb\n"
                    "521211;4.000.000;1.000.000;1.000.000;800.000;\nJUMLAH;4.000.000;;;;\n", encoding="utf-8")
    [entry] = load_files([path], db)["files"]
    assert (entry["rows_read"], entry["rows_loaded"], entry["errors"], entry["warnings"]) == (3, 3, [], [])
    assert query(db, "select bulan, pagu, rencana, realisasi, sumber_baris from anggaran order by bulan nulls first") \
        == [(None, 4_000_000, None, None, 4), (1, None, 1_000_000, 800_000, 4), (2, None, 1_000_000, None, 4)]


@pytest.mark.parametrize("months, expected", [
    (["Jan 2026", "Feb 2026", "Mar 2026"], [1, 2, 3]),
    (["01/2026", "02/2026", "03/2026"], [1, 2, 3]),
    (["Agt", "Agust", "Okt", "Nop", "Des"], [8, 8, 10, 11, 12]),
    ([D(2026, 6, 1), D(2026, 7, 1), D(2026, 9, 1)], [6, 7, 9]),
])
def test_month_headers_as_offices_write_them(tmp_path, db, months, expected):
    header = ["Kode Akun", "Pagu", *months]
    rows = [[521211, 1_000_000, *[100_000] * len(months)]]
    path = _matrix(tmp_path / "realisasi.xlsx", header, rows, sheet="Realisasi 2026", numbering=False)
    [entry] = load_files([path], db)["files"]
    assert entry["rows_loaded"] == 1 + len(set(expected))
    assert [r[0] for r in query(db, "select bulan from anggaran where bulan is not null order by 1")] == \
        sorted(set(expected))
    duplicate = len(expected) != len(set(expected))
    assert [w["message"] for w in entry["warnings"]] == (
        ["kolom «Agust» diabaikan: realisasi bulan Agustus sudah dibaca dari kolom di sebelah kirinya"]
        if duplicate else [])


def test_months_under_no_label_are_realisasi_with_a_warning(tmp_path, db):
    header = ["Kode Akun", "Pagu", "Jan", "Feb", "Mar"]
    path = _matrix(tmp_path / "anggaran.xlsx", header, [[521211, 1_000_000, 100_000, 200_000, None]],
                   titles=("LAPORAN ANGGARAN TA 2026",), numbering=False)
    [entry] = load_files([path], db)["files"]
    assert entry["rows_loaded"] == 3
    assert query(db, "select bulan, rencana, realisasi from anggaran where bulan is not null order by 1") == [
        (1, None, 100_000), (2, None, 200_000)]
    assert [w["message"] for w in entry["warnings"]] == [
        "angka bulanan dibaca sebagai realisasi karena judul, nama lembar kerja dan label di atas kolom bulan tidak "
        "menyebut Rencana/RPD atau Realisasi; bila angka itu rencana penarikan (RPD), tulis «Rencana (RPD)» di atas "
        "kolom-kolom bulannya"]


# ------------------------------------------------------------------------------------------- rejecting
def test_a_bad_amount_rejects_its_month_naming_the_column(tmp_path, db):
    header = ["No", "Kode Akun", "Pagu", "Jan", "Feb", "Mar"]
    rows = [[1, 521211, 3_000_000, 1_000_000, 1_000_000, "satu juta"], [2, None, None, 5_000, None, None]]
    path = _matrix(tmp_path / "realisasi.xlsx", header, rows, titles=("REALISASI ANGGARAN TA 2026",),
                   group={"Realisasi": (3, 5)})
    [entry] = load_files([path], db)["files"]
    assert (entry["rows_read"], entry["rows_loaded"], entry["rows_rejected"]) == (5, 3, 2)
    assert entry["rows_read"] == entry["rows_loaded"] + entry["rows_rejected"]
    assert _issues(entry) == [
        (6, "Realisasi", "satu juta",
         "Realisasi: kolom «Mar»: jumlah uang tidak dapat dibaca: 'satu juta' (contoh: Rp 1.500.000)"),
        (7, "Kode Akun", "", "Kode Akun wajib diisi")]
    assert query(db, "select bulan, pagu, realisasi from anggaran order by bulan nulls first") == [
        (None, 3_000_000, None), (1, None, 1_000_000), (2, None, 1_000_000)]


def test_a_matrix_without_a_year_is_refused(tmp_path, db):
    header = ["Kode Akun", "Pagu", "Jan", "Feb", "Mar"]
    path = _matrix(tmp_path / "realisasi.xlsx", header, [[521211, 1_000_000, 100_000, None, None]],
                   sheet="Realisasi", titles=("LAPORAN REALISASI ANGGARAN",), numbering=False)
    [entry] = load_files([path], db)["files"]
    assert (entry["status"], entry["rows_read"]) == ("rejected", 0)
    [message] = [e["message"] for e in entry["errors"]]
    assert "tulis tahunnya di judul (mis. «TA 2026») atau tambahkan kolom «Tahun Anggaran»" in message
    assert "matriks anggaran bulanan" in message and "kolom tidak dikenal" not in message


# --------------------------------------------------------------------------------------- unchanged paths
def test_a_long_anggaran_sheet_loads_as_before(tmp_path, db):
    header = ["No", "Tahun Anggaran", "Bulan", "Kode Akun", "Uraian Akun", "Pagu", "Rencana", "Realisasi"]
    rows = [[1, 2026, None, 521211, "Belanja Bahan", 6_000_000, None, None],
            [2, 2026, "Januari", 521211, "Belanja Bahan", None, 1_000_000, 900_000],
            [3, 2026, "Feb", 521211, "Belanja Bahan", None, 1_000_000, 1_100_000]]
    [entry] = load_files([workbook(tmp_path / "anggaran.xlsx", {"TA 2026": (header, rows)})], db)["files"]
    assert (entry["kind"], entry["rows_read"], entry["rows_loaded"], entry["errors"], entry["warnings"]) == (
        "anggaran", 3, 3, [], [])
    assert query(db, "select bulan, pagu, rencana, realisasi, sumber_baris from anggaran order by 1 nulls first") == [
        (None, 6_000_000, None, None, 6), (1, None, 1_000_000, 900_000, 7), (2, None, 1_000_000, 1_100_000, 8)]


def test_loading_the_same_matrix_twice_changes_nothing(tmp_path, db):
    path = _realisasi(tmp_path)
    load_files([path], db)
    before = query(db, ROWS)
    [entry] = load_files([path], db)["files"]
    assert (entry["rows_read"], entry["rows_loaded"]) == (7, 7)
    assert query(db, "select baris_baru, baris_diperbarui from muat_run order by id_muat desc limit 1") == [(0, 0)]
    assert query(db, ROWS) == before


def test_the_rejected_rows_of_a_plan_matrix_reload_without_their_title(tmp_path, db):
    """The rejected-rows workbook has no title and no label over the months: each month comes back named with its
    block («RPD Maret») and the year as a column, so the fixed rows reload as the plan of that year (without them
    they were refused for want of a year, or read as realisation)."""
    from etl import ditolak
    header = ["Kode Akun", "Uraian Akun", "Pagu", "Jan", "Feb", "Mar"]
    rows = [["521211", "Belanja Bahan", 12_000_000, 1_000_000, 2_000_000, "dua juta"]]
    path = _matrix(tmp_path / "rpd.xlsx", header, rows, titles=("RENCANA PENARIKAN DANA (RPD) TA 2026",))
    report = load_files([path], db)
    [sheet] = ditolak.rejected_sheets(path, report)
    assert sheet.header == ["Kode Akun", "Uraian Akun", "Pagu", "RPD Januari", "RPD Februari", "RPD Maret",
                            "Tahun Anggaran"]
    fixed = tmp_path / "rpd - ditolak.xlsx"
    fixed.write_bytes(ditolak.to_xlsx([sheet], path.name))
    import openpyxl
    book = openpyxl.load_workbook(fixed)
    book.active["F2"] = 2_000_000  # the operator's fix
    book.save(fixed)
    [entry] = load_files([fixed], db)["files"]
    assert (entry["kind"], entry["rows_read"], entry["rows_loaded"], entry["rows_rejected"]) == ("anggaran", 4, 4, 0)
    assert query(db, "select bulan, rencana, realisasi from anggaran where tahun_anggaran = 2026 and bulan = 3") == [
        (3, 2_000_000, None)]
