"""Golden tests of the loader: office workbooks in, exact rows and rejections out."""
import datetime as dt
import random

import duckdb
import pandas as pd
import pytest

from etl import config
from etl.load import MATERIALISED, ensure_schema, load_files
from tests.builders import KEHADIRAN_HEADER, KLIEN_HEADER, klien_row, plain_csv, workbook
from tests.conftest import cli_json, query, run_cli

D = dt.date


def _klien_book(path, rows=None):
    rows = rows if rows is not None else [
        klien_row(1, "PB-001/2022", "Budi Santoso", "Laki-laki", nik="1871012345678901"),
        klien_row(2, "PB-002/2022", "Siti Aminah", "Perempuan", mulai="12 Maret 2022", akhir="12/03/2023",
                  program="Pembebasan Bersyarat"),
        None,  # spacer row
        klien_row(3, "pb-003/2022", "Andi", "P", mulai="Senin, 3 Januari 2022", akhir=None, status="Selesai",
                  tgl_status=D(2022, 12, 1), program="Asimilasi di Rumah", nik="1.87101E+15"),
        klien_row(4, "PB-001/2022", "Budi Kembar"),  # repeated key
        klien_row(5, None, "Tanpa Register"),
        klien_row(6, "PB-006/2022", "Dodi", "X", mulai="12/03/22", status="Pindah Alamat"),
        klien_row(7, "PB-007/2022", "Eko", mulai=D(2022, 5, 1), akhir=D(2022, 4, 1)),
    ]
    group = {"Tanggal": (5, 6)}
    header = [h if i not in (5, 6) else ("Mulai Bimbingan", "Akhir Bimbingan")[i - 5]
              for i, h in enumerate(KLIEN_HEADER)]
    return workbook(path, {"Data Klien": (header, rows)}, group=group, total=True,
                    titles=("DATA KLIEN PEMASYARAKATAN", "BAPAS KELAS II BANDAR LAMPUNG", "Keadaan s.d. Okt 2026"))


def test_office_workbook_gives_exact_rows_and_rejections(tmp_path, db):
    book = _klien_book(tmp_path / "Data Klien.xlsx")
    report = load_files([book], db)
    [entry] = report["files"]
    assert (entry["kind"], entry["sheet"], entry["status"]) == ("klien", "Data Klien", "loaded")
    assert (entry["rows_read"], entry["rows_loaded"], entry["rows_rejected"]) == (7, 3, 4)
    # title rows 1-3, spacer 4, header 5-6, numbering 7: data start at Excel row 8
    errors = [(e["row"], e["column"], e["value"], e["message"]) for e in entry["errors"]]
    assert errors == [
        (12, "No. Register", "PB-001/2022", "duplikat: sama dengan baris 8"),
        (13, "No. Register", "", "No. Register wajib diisi"),
        (14, "Jenis Kelamin", "X", "Jenis Kelamin: nilai 'X' tidak dikenal; yang diterima: L, P"),
        (14, "Tanggal Mulai Bimbingan", "12/03/22",
         "Tanggal Mulai Bimbingan: tahun dua digit tidak diterima: '12/03/22' (tulis tahun lengkap, mis. 12/03/2022)"),
        (14, "Status", "Pindah Alamat",
         "Status: nilai 'Pindah Alamat' tidak dikenal; yang diterima: AKTIF, SELESAI, DICABUT, MENINGGAL, PINDAH, BURON"),
        (15, "Tanggal Akhir Bimbingan", "2022-04-01", "Tanggal akhir bimbingan sebelum tanggal mulai"),
    ]
    assert [(w["row"], w["column"]) for w in entry["warnings"]] == [(11, "NIK")]
    assert "notasi ilmiah" in entry["warnings"][0]["message"]
    rows = query(db, "select no_register, nama, jenis_kelamin, tanggal_mulai_bimbingan, tanggal_akhir_bimbingan, "
                     "program_integrasi, status, nik, umur_saat_mulai, kode_bapas, sumber_file, sumber_sheet, "
                     "sumber_baris from klien order by sumber_baris")
    assert rows == [
        ("PB-001/2022", "Budi Santoso", "L", D(2022, 1, 10), D(2023, 1, 10), "PB", "AKTIF", "1871012345678901",
         32, "BAPAS-BDL", "Data Klien.xlsx", "Data Klien", 8),
        ("PB-002/2022", "Siti Aminah", "P", D(2022, 3, 12), D(2023, 3, 12), "PB", "AKTIF", None,
         32, "BAPAS-BDL", "Data Klien.xlsx", "Data Klien", 9),
        ("PB-003/2022", "Andi", "P", D(2022, 1, 3), None, "ASIMILASI", "SELESAI", None,
         32, "BAPAS-BDL", "Data Klien.xlsx", "Data Klien", 11),
    ]
    assert query(db, "select count(*) from baris_ditolak") == [(6,)]
    assert query(db, "select sumber_file, sumber_sheet, jenis_data, status, baris_dibaca, baris_dimuat, "
                     "baris_ditolak, length(sha256) from muat_run") == [
        ("Data Klien.xlsx", "Data Klien", "klien", "loaded", 7, 3, 4, 64)]


def test_cli_json_contract_and_exit_codes(tmp_path, db):
    good = _klien_book(tmp_path / "klien.xlsx")
    bad = workbook(tmp_path / "tanpa_nama.xlsx", {"Data": (["No. Register", "Jenis Kelamin", "Tgl Mulai"],
                                                           [["PB-9", "L", "01/02/2022"]])})
    code, out = cli_json("load", bad, good, "--db", db)
    assert code == 1
    by_file = {f["file"]: f for f in out["files"]}
    assert by_file["klien.xlsx"]["status"] == "loaded"
    rejected = by_file["tanpa_nama.xlsx"]
    assert rejected["status"] == "rejected" and rejected["rows_loaded"] == 0
    [error] = rejected["errors"]
    assert error["row"] is None and "Nama" in error["message"] and "wajib" in error["message"]
    assert set(rejected) == {"file", "sheet", "kind", "status", "rows_read", "rows_loaded", "rows_rejected",
                             "errors", "warnings"}
    assert query(db, "select count(*) from klien") == [(3,)]
    assert run_cli("load", tmp_path / "tidak-ada.xlsx", "--db", db).returncode == 2
    done = run_cli("load", good, "--db", db, "--json")
    assert done.returncode == 0 and done.stdout.strip().startswith("{") and done.stdout.count("\n") == 1


def test_unreadable_files_are_rejected_with_a_reason(tmp_path, db):
    empty = tmp_path / "kosong.xlsx"
    empty.write_bytes(b"")
    fake = tmp_path / "palsu.xlsx"
    fake.write_text("ini bukan spreadsheet")
    report = load_files([empty, fake], db)
    reasons = {f["file"]: f["errors"][0]["message"] for f in report["files"]}
    assert all(f["status"] == "rejected" and f["sheet"] is None and f["kind"] is None for f in report["files"])
    assert "kosong" in reasons["kosong.xlsx"]
    assert "bukan buku kerja Excel" in reasons["palsu.xlsx"] and "spreadsheet" not in reasons["palsu.xlsx"]


def _kehadiran_rows():
    return [
        [1, "PB-001/2022", D(2022, 2, 1), "Wajib Lapor", None, "Hadir", None, 1],
        [2, "PB-001/2022", "01/03/2022", "Wajib Lapor", None, "Alpa", "rumah jauh, tidak ada ongkos", 1],
        [3, "PB-001/2022", "1 April 2022", "wajib lapor", None, "Terlambat", None, 1],
        [4, "PB-002/2022", "1 April 2022", "Wajib Lapor", None, "Izin", "Sakit demam", 1],
        [5, "PB-002/2022", "2 April 2022", "Wajib Lapor", None, "Tidak Hadir", "ada urusan keluarga", 1],
        [6, "PB-002/2022", "3 April 2022", "Wajib Lapor", None, "Mangkir", None, 1],
        [7, "XX-404", "3 April 2022", "Wajib Lapor", None, "Hadir", None, 1],
        [8, "PB-001/2022", "3 April 2022", "Pelatihan Kerja", "PRG-404", "Hadir", None, 2],
        [9, "PB-001/2022", "3 April 2099", "Wajib Lapor", None, "Hadir", None, 1],
    ]


def test_attendance_references_and_reason_mapping_in_dependency_order(tmp_path, db):
    hadir = workbook(tmp_path / "Kehadiran.xlsx", {"2022": (KEHADIRAN_HEADER, _kehadiran_rows())})
    klien = _klien_book(tmp_path / "klien.xlsx")
    report = load_files([hadir, klien], db)  # attendance first on the command line: still loads after klien
    entry = next(f for f in report["files"] if f["kind"] == "kehadiran")
    assert [(e["row"], e["message"]) for e in entry["errors"]] == [
        (12, "klien tidak dikenal: XX-404"),
        (13, "program tidak dikenal: PRG-404"),
        (14, "Tanggal sesudah tanggal pemuatan ({} {} {}) tidak diterima".format(
            config.load_date().day, ("", "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov",
                                     "Des")[config.load_date().month], config.load_date().year)),
    ]
    rows = query(db, "select no_register, tanggal, status_hadir, kategori_hambatan from kehadiran "
                     "order by sumber_baris")
    assert rows == [
        ("PB-001/2022", D(2022, 2, 1), "HADIR", None),
        ("PB-001/2022", D(2022, 3, 1), "TIDAK_HADIR", "JARAK_BIAYA_TRANSPORT"),
        ("PB-001/2022", D(2022, 4, 1), "TERLAMBAT", "KLIEN_TIDAK_TEPAT_WAKTU"),
        ("PB-002/2022", D(2022, 4, 1), "IZIN", "SAKIT"),
        ("PB-002/2022", D(2022, 4, 2), "TIDAK_HADIR", "KELUARGA_TIDAK_MENDUKUNG"),
        ("PB-002/2022", D(2022, 4, 3), "TIDAK_HADIR", "LAINNYA"),
    ]
    assert query(db, "select no_register, mangkir_terpanjang, mangkir_saat_ini from v_mangkir_beruntun "
                     "order by 1") == [("PB-001/2022", 1, 0), ("PB-002/2022", 2, 2)]
    assert query(db, "select no_register, bulan, wajib, hadir, tepat_waktu, terlambat, izin, tidak_hadir "
                     "from v_wajib_lapor_bulanan where bulan = date '2022-04-01' order by 1") == [
        ("PB-001/2022", D(2022, 4, 1), 1, 1, 0, 1, 0, 0), ("PB-002/2022", D(2022, 4, 1), 3, 0, 0, 0, 1, 2)]


def _table(db, name):
    return query(db, f"select * from {name} order by all")


def test_same_file_twice_changes_no_data(tmp_path, db):
    klien = _klien_book(tmp_path / "klien.xlsx")
    hadir = workbook(tmp_path / "Kehadiran.xlsx", {"2022": (KEHADIRAN_HEADER, _kehadiran_rows())})
    load_files([klien, hadir], db)
    before = {t: _table(db, t) for t in ("klien", "kehadiran")}
    second = load_files([klien, hadir], db)
    assert {t: _table(db, t) for t in ("klien", "kehadiran")} == before
    assert query(db, "select count(distinct id_muat), count(*) from muat_run") == [(2, 4)]
    assert query(db, "select sum(baris_baru), sum(baris_diperbarui) from muat_run where id_muat = 2") == [(0, 0)]
    assert second["files"][0]["rows_loaded"] == 3


def test_newer_version_updates_by_natural_key_null_safe(tmp_path, db):
    klien = _klien_book(tmp_path / "klien.xlsx")
    rows = _kehadiran_rows()[:3]
    first = workbook(tmp_path / "h1.xlsx", {"2022": (KEHADIRAN_HEADER, rows)})
    load_files([klien, first], db)
    changed = [list(r) for r in rows]
    changed[1][5], changed[1][6] = "Izin", "bekerja di luar kota"  # same key (kode_program empty)
    second = workbook(tmp_path / "h2.xlsx", {"2022": (KEHADIRAN_HEADER, changed[1:2])})
    load_files([second], db)
    assert query(db, "select tanggal, status_hadir, kategori_hambatan, sumber_file from kehadiran order by 1") == [
        (D(2022, 2, 1), "HADIR", None, "h1.xlsx"),
        (D(2022, 3, 1), "IZIN", "KLIEN_BEKERJA_LUAR_KOTA", "h2.xlsx"),
        (D(2022, 4, 1), "TERLAMBAT", "KLIEN_TIDAK_TEPAT_WAKTU", "h1.xlsx"),
    ]
    assert query(db, "select tanggal, status_hadir, diganti_oleh_muat from kehadiran_arsip") == [
        (D(2022, 3, 1), "TIDAK_HADIR", 2)]


@pytest.mark.parametrize("delimiter, encoding", [(",", "utf-8"), (";", "utf-8-sig"), (";", "cp1252")])
def test_csv_comma_or_semicolon_any_encoding(tmp_path, db, delimiter, encoding):
    header = ["No. Register", "Nama", "Tanggal Mulai Bimbingan", "Penghasilan per Bulan (Rp)", "Kecamatan"]
    rows = [["PB-1", "José Müller", "12/03/2022", "Rp 1.500.000,00", "Telukbetung Utara"],
            ["PB-2", "Rina", "2022-03-13", "", "Sukarami"]]
    path = plain_csv(tmp_path / "klien.csv", header, rows, delimiter=delimiter, encoding=encoding)
    [entry] = load_files([path], db)["files"]
    assert entry["status"] == "loaded" and entry["sheet"] is None and entry["rows_loaded"] == 2
    assert query(db, "select no_register, nama, tanggal_mulai_bimbingan, penghasilan_bulanan, kecamatan, "
                     "sumber_baris from klien order by 1") == [
        ("PB-1", "José Müller", D(2022, 3, 12), 1_500_000, "Teluk Betung Utara", 2),
        ("PB-2", "Rina", D(2022, 3, 13), None, "Sukarame", 3)]


def test_parquet_with_office_code_column(tmp_path, db):
    frame = pd.DataFrame({"kode_bapas": ["bapas-mtr", "BAPAS-MTR"], "no_register": ["A1", "A2"],
                          "nama": ["Ani", "Bayu"],
                          "tanggal_mulai_bimbingan": [D(2023, 1, 2), D(2023, 2, 3)],
                          "lama_pidana_bulan": [30, 14], "residivis": [False, None]})
    path = tmp_path / "klien.parquet"
    frame.to_parquet(path)
    [entry] = load_files([path], db)["files"]
    assert entry["rows_loaded"] == 2
    assert query(db, "select kode_bapas, no_register, tanggal_mulai_bimbingan, lama_pidana_bulan, residivis, "
                     "sumber_baris from klien order by 2") == [
        ("BAPAS-MTR", "A1", D(2023, 1, 2), 30, False, 2), ("BAPAS-MTR", "A2", D(2023, 2, 3), 14, None, 3)]


def test_partner_workbook_two_sheets_and_an_instruction_sheet(tmp_path, db):
    mitra = (["No", "Kode Mitra", "Nama Lembaga", "Jenis Mitra", "Bersertifikat", "Berlaku Sampai"],
             [[1, "M01", "LPK Maju", "LPK", "Ya", "31/12/2026"], [2, "M02", "Ponpes Al-Hikmah", "Pondok Pesantren",
                                                                 "Tidak", None]])
    program = (["No", "Kode Program", "Nama Program", "Kategori", "Kode Mitra", "Tanggal Mulai", "Total Jam"],
               [[1, "P01", "Pelatihan Pangkas Rambut Angkatan I 2024", "Pelatihan Kerja", "M01", "1/2/2024", 40],
                [2, "P02", "Pengajian Rutin", "Keagamaan", "M09", "1/3/2024", "2 jam"]])
    path = workbook(tmp_path / "Mitra Pokmas Lipas.xlsx", {"Program": program, "Mitra": mitra})
    import openpyxl
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("Petunjuk").append(["Isi sheet Mitra dan Program sesuai judul kolom."])
    wb.save(path)
    report = load_files([path], db)
    kinds = [(f["sheet"], f["kind"], f["rows_loaded"]) for f in report["files"]]
    assert sorted(kinds) == [("Mitra", "mitra", 2), ("Program", "program", 2)]
    warnings = [w["message"] for f in report["files"] for w in f["warnings"]]
    assert any("Petunjuk" in w and "dilewati" in w for w in warnings)
    assert any("mitra M09 belum ada" in w for w in warnings)
    assert query(db, "select kode_mitra, jenis_mitra, bersertifikat, berlaku_sampai from mitra order by 1") == [
        ("M01", "LEMBAGA_PELATIHAN", True, D(2026, 12, 31)), ("M02", "LEMBAGA_KEAGAMAAN", False, None)]
    assert query(db, "select kode_program, kategori, total_jam from program order by 1") == [
        ("P01", "PELATIHAN_KERJA", 40.0), ("P02", "BIMBINGAN_KEAGAMAAN", 2.0)]


def test_budget_sakti_codes_money_text_and_over_ceiling(tmp_path, db):
    header = ["No", "TA", "Bulan", "MAK", "Uraian Akun", "Uraian", "Pagu (Rp)", "RPD", "Realisasi"]
    rows = [[1, 2024, None, "3942.BAA.001.051.A.524113", "Perjalanan Dinas Dalam Kota", "Transport narasumber",
             "Rp 10.000.000", None, None],
            [2, 2024, "Januari", "3942.BAA.001.051.A.524113", None, "Transport narasumber", None, "Rp 5.000.000",
             "Rp. 6.000.000,-"],
            [3, 2024, 2, 524113, None, "Transport narasumber", None, 5_000_000, 4_500_000.0],
            [4, 2024, 1, 521211, "Belanja Bahan", "Konsumsi pelatihan", 3_000_000, None, None]]
    path = workbook(tmp_path / "Realisasi Anggaran.xlsx", {"TA 2024": (header, rows)}, total=True)
    [entry] = load_files([path], db)["files"]
    assert (entry["rows_read"], entry["rows_loaded"]) == (4, 4)
    over = [w for w in entry["warnings"] if "melebihi pagu" in w["message"]]
    assert [(w["row"], w["column"], w["message"]) for w in over] == [
        (6, "Realisasi", "realisasi Rp10.500.000 melebihi pagu Rp10.000.000 (TA 2024, akun 524113)")]
    assert query(db, "select bulan, kode_akun, pagu, rencana, realisasi, melebihi_pagu from anggaran "
                     "order by kode_akun, bulan nulls first") == [
        (1, "521211", 3_000_000, None, None, False),
        (None, "524113", 10_000_000, None, None, True),
        (1, "524113", None, 5_000_000, 6_000_000, True),
        (2, "524113", None, 5_000_000, 4_500_000, True)]


def test_obstacle_log_derives_category_and_factor(tmp_path, db):
    header = ["No", "Tanggal", "Faktor", "Kategori", "Uraian", "Status"]
    rows = [[1, "5 Januari 2024", None, "Anggaran terbatas", "Honor narasumber belum cair", "Terbuka"],
            [2, "6 Januari 2024", None, None, "Klien tidak diizinkan keluarga mengikuti pelatihan", "Selesai"],
            [3, "7 Januari 2024", "Internal", None, None, None]]
    path = workbook(tmp_path / "Hambatan Program.xlsx", {"Hambatan": (header, rows)})
    [entry] = load_files([path], db)["files"]
    assert [(e["row"], e["message"]) for e in entry["errors"]] == [(8, "isi Kategori atau Uraian hambatan")]
    assert query(db, "select tanggal, faktor, kategori, status from hambatan order by 1") == [
        (D(2024, 1, 5), "INTERNAL", "ANGGARAN_TERBATAS", "TERBUKA"),
        (D(2024, 1, 6), "EKSTERNAL", "KELUARGA_TIDAK_MENDUKUNG", "SELESAI")]


def test_kind_override_and_ambiguous_kind(tmp_path, db):
    # only two headers that both klien and kehadiran accept: detection cannot decide
    path = plain_csv(tmp_path / "ragu.csv", ["No. Register", "Status"], [["PB-1", "Aktif"]])
    [entry] = load_files([path], db)["files"]
    assert entry["status"] == "rejected" and "gunakan --kind" in entry["errors"][0]["message"]
    [entry] = load_files([path], db, kind="klien")["files"]
    assert entry["status"] == "rejected" and "Nama" in entry["errors"][0]["message"]


def test_key_repeated_across_sheets_of_one_file(tmp_path, db):
    rows_a = [klien_row(1, "PB-1", "Ani")]
    rows_b = [klien_row(1, "PB-1", "Ani lagi"), klien_row(2, "PB-2", "Budi")]
    path = workbook(tmp_path / "klien.xlsx", {"2022": (KLIEN_HEADER, rows_a), "2023": (KLIEN_HEADER, rows_b)})
    report = load_files([path], db)
    second = next(f for f in report["files"] if f["sheet"] == "2023")
    assert [(e["column"], e["message"]) for e in second["errors"]] == [
        ("No. Register", "duplikat: sama dengan baris 6 (lembar kerja 2022)")]  # the header as the sheet has it
    assert (second["rows_read"], second["rows_loaded"], second["rows_rejected"]) == (2, 1, 1)
    assert query(db, "select no_register, nama from klien order by 1") == [("PB-1", "Ani"), ("PB-2", "Budi")]


def _hadir(no, register, tanggal):
    return [no, register, tanggal, "Wajib Lapor", None, "Hadir", None, 1]


@pytest.mark.parametrize("second, repeated", [
    # another month: no date in common with the first sheet (the usual split)
    ([_hadir(1, "PB-001/2022", D(2022, 3, 1))], []),
    # every column shares values with the first sheet, yet no key is the same
    ([_hadir(1, "PB-001/2022", D(2022, 2, 2)), _hadir(2, "PB-002/2022", D(2022, 2, 1))], []),
    # the same attendance again (no program on either: empty equals empty)
    ([_hadir(1, "PB-003/2022", D(2022, 2, 5)), _hadir(2, "PB-001/2022", D(2022, 2, 1))],
     [(7, "duplikat: sama dengan baris 6 (lembar kerja Feb)")]),
])
def test_attendance_repeated_across_sheets(tmp_path, db, second, repeated):
    first = [_hadir(1, "PB-001/2022", D(2022, 2, 1)), _hadir(2, "PB-002/2022", D(2022, 2, 2))]
    hadir = workbook(tmp_path / "Kehadiran.xlsx", {"Feb": (KEHADIRAN_HEADER, first),
                                                   "Lain": (KEHADIRAN_HEADER, second)})
    report = load_files([_klien_book(tmp_path / "klien.xlsx"), hadir], db)
    by_sheet = {f["sheet"]: f for f in report["files"]}
    assert [(e["row"], e["message"]) for e in by_sheet["Lain"]["errors"]] == repeated
    assert by_sheet["Feb"]["errors"] == []
    assert query(db, "select count(*) from kehadiran") == [(2 + len(second) - len(repeated),)]


def test_a_stray_far_away_cell_is_refused_before_reading(tmp_path, db):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["No. Register", "Nama", "Tgl Mulai"])
    ws.append(["PB-1", "Ani", "01/02/2022"])
    ws["XFD1048576"] = "x"  # a dense grid to here would need hundreds of GB
    wb.save(tmp_path / "jauh.xlsx")
    [entry] = load_files([tmp_path / "jauh.xlsx"], db)["files"]
    assert entry["status"] == "rejected" and "terlalu besar" in entry["errors"][0]["message"]


def test_forced_kind_still_skips_a_notes_sheet(tmp_path, db):
    import openpyxl
    load_files([_klien_book(tmp_path / "klien.xlsx")], db)
    path = workbook(tmp_path / "hadir.xlsx", {"Kehadiran": (KEHADIRAN_HEADER, _kehadiran_rows()[:2])})
    wb = openpyxl.load_workbook(path)
    notes = wb.create_sheet("Catatan")
    for line in ("Catatan operator", "Keterangan", "Kolom Kehadiran diisi Hadir/Izin/Alpa"):
        notes.append([line])
    wb.save(path)
    [entry] = load_files([path], db, kind="kehadiran")["files"]
    assert (entry["status"], entry["rows_loaded"]) == ("loaded", 2)
    assert any("Catatan" in w["message"] and "dilewati" in w["message"] for w in entry["warnings"])


def test_legacy_xls_with_merged_two_row_header(tmp_path, db):
    import xlwt
    wb = xlwt.Workbook()
    ws = wb.add_sheet("Data Klien")
    ws.write_merge(0, 0, 0, 3, "DATA KLIEN BAPAS")
    ws.write_merge(2, 3, 0, 0, "No. Register")
    ws.write_merge(2, 3, 1, 1, "Nama")
    ws.write_merge(2, 2, 2, 3, "Tanggal")
    ws.write(3, 2, "Mulai Bimbingan")
    ws.write(3, 3, "Akhir Bimbingan")
    ws.write(4, 0, "PB-1")
    ws.write(4, 1, "Ani")
    ws.write(4, 2, dt.date(2022, 3, 12), xlwt.easyxf(num_format_str="DD/MM/YYYY"))
    ws.write(4, 3, "12 Maret 2023")
    wb.save(str(tmp_path / "klien.xls"))
    [entry] = load_files([tmp_path / "klien.xls"], db)["files"]
    assert (entry["status"], entry["rows_loaded"], entry["errors"]) == ("loaded", 1, [])
    assert query(db, "select no_register, tanggal_mulai_bimbingan, tanggal_akhir_bimbingan, sumber_baris "
                     "from klien") == [("PB-1", D(2022, 3, 12), D(2023, 3, 12), 5)]


def test_macro_workbook_values_are_read_and_macros_ignored(tmp_path, db):
    book = _klien_book(tmp_path / "klien.xlsx")
    xlsm = book.rename(tmp_path / "klien.xlsm")
    [entry] = load_files([xlsm], db)["files"]
    assert (entry["status"], entry["rows_loaded"]) == ("loaded", 3)


def test_password_protected_and_binary_garbage_are_named(tmp_path, db):
    locked = tmp_path / "terkunci.xlsx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)  # an encrypted xlsx is an OLE2 file
    garbage = tmp_path / "acak.csv"
    garbage.write_bytes(bytes(range(256)) * 8)
    reasons = {f["file"]: (f["status"], f["errors"][0]["message"]) for f in load_files([locked, garbage], db)["files"]}
    assert reasons["terkunci.xlsx"][0] == "rejected" and "kata sandi" in reasons["terkunci.xlsx"][1]
    assert reasons["acak.csv"][0] == "rejected"


@pytest.mark.parametrize("first_line", ["Bandar Lampung, 31 Oktober 2026", "Bandar Lampung,      Oktober 2026",
                                        "Mengetahui,", "a.n. Kepala Bapas", "Plh. Kepala Subseksi"])
def test_signature_block_ends_the_table_wherever_it_sits(tmp_path, db, first_line):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["No. Register", "Nama", "Tgl Mulai", "Status"])
    ws.append(["PB-1", "Ani", "01/02/2022", "Aktif"])
    ws.append([])
    ws.append([None, first_line])  # in a recognised column: must not become a data row
    ws.append([None, "Kepala Seksi Bimbingan Klien Dewasa"])
    ws.append([None, "NIP. 19700101 199003 1 001"])
    wb.save(tmp_path / "ttd.xlsx")
    [entry] = load_files([tmp_path / "ttd.xlsx"], db)["files"]
    assert (entry["rows_read"], entry["rows_loaded"], entry["errors"]) == (1, 1, [])


def test_total_rows_and_numbering_are_not_data(tmp_path, db):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["No", "No. Register", "Nama", "Tgl Mulai"])
    ws.append([1, 2, 3, 4])
    ws.append([1, "PB-1", "Ani", "01/02/2022"])
    ws.append(["Jumlah :", None, 1, None])
    ws.append([None, "SUB TOTAL", 1, None])
    ws.append([2, "PB-2", "Budi", "02/02/2022"])
    ws.append(["TOTAL KESELURUHAN", None, 2])
    wb.save(tmp_path / "jumlah.xlsx")
    [entry] = load_files([tmp_path / "jumlah.xlsx"], db)["files"]
    assert (entry["rows_read"], entry["rows_loaded"]) == (2, 2)
    assert query(db, "select no_register, sumber_baris from klien order by 1") == [("PB-1", 3), ("PB-2", 6)]


def test_stored_missed_report_runs_follow_each_load(tmp_path, db):
    klien = _klien_book(tmp_path / "klien.xlsx")
    first = workbook(tmp_path / "h1.xlsx", {"2022": (KEHADIRAN_HEADER, _kehadiran_rows()[:2])})
    load_files([klien, first], db)
    assert query(db, "select no_register, mangkir_saat_ini from mangkir_beruntun") == [("PB-001/2022", 1)]
    more = workbook(tmp_path / "h2.xlsx", {"2022": (KEHADIRAN_HEADER, _kehadiran_rows()[2:6])})
    load_files([more], db)
    for table in MATERIALISED:
        assert query(db, f"select * from {table} order by all") == query(db, f"select * from v_{table} order by all")


def test_command_line_help_and_usage_errors_are_indonesian():
    import subprocess
    import sys
    for args in (["--help"], ["load", "--help"], ["undo", "--help"]):
        shown = subprocess.run([sys.executable, "-m", "etl", *args], capture_output=True, text=True, timeout=60)
        assert shown.returncode == 0 and shown.stdout.startswith("pemakaian: python -m etl")
        for english in ("usage:", "options:", "show this help", "positional arguments"):
            assert english not in shown.stdout, (args, english)
    wrong = subprocess.run([sys.executable, "-m", "etl", "load"], capture_output=True, text=True, timeout=60)
    assert wrong.returncode == 2
    assert "argumen wajib belum diisi: FILE" in wrong.stderr and "required" not in wrong.stderr


def _streaks(statuses: list[str]) -> tuple[int, int]:
    """Longest and current run of TIDAK_HADIR, counted the plain way."""
    longest = current = 0
    for status in statuses:
        current = current + 1 if status == "TIDAK_HADIR" else 0
        longest = max(longest, current)
    return longest, current


def test_missed_report_streaks_match_a_plain_count_on_random_histories():
    con = duckdb.connect(":memory:")
    ensure_schema(con)
    rng = random.Random(7)
    expected, rows = {}, []
    for n in range(300):
        office, client = f"BAPAS-{n % 3}", f"PB-{n:03d}"
        statuses = rng.choices(["HADIR", "TERLAMBAT", "IZIN", "TIDAK_HADIR"], weights=[3, 1, 1, 4],
                               k=rng.randint(1, 25))
        expected[(office, client)] = _streaks(statuses)
        start = D(2023, 1, 1)
        # stored out of date order, with other activities in between that must not break or extend a run
        for day, status in rng.sample(list(enumerate(statuses)), len(statuses)):
            rows.append((office, client, start + dt.timedelta(days=7 * day), "WAJIB_LAPOR", status))
            if rng.random() < 0.3:
                rows.append((office, client, start + dt.timedelta(days=7 * day + 1), "BIMBINGAN_KEAGAMAAN",
                             "TIDAK_HADIR"))
    con.executemany("insert into kehadiran (kode_bapas, no_register, tanggal, jenis_kegiatan, status_hadir) "
                    "values (?, ?, ?, ?, ?)", rows)
    found = {(o, c): (longest, current) for o, c, longest, current in con.execute(
        "select kode_bapas, no_register, mangkir_terpanjang, mangkir_saat_ini from v_mangkir_beruntun").fetchall()}
    assert found == expected
    assert any(c > 0 for _, c in expected.values()) and any(c == 0 for _, c in expected.values())


def test_command_line_prints_each_warning_and_each_skipped_worksheet(tmp_path, db):
    """`etl load` without --json says what each warning is (capped like the rejected rows), not only how many."""
    import openpyxl
    rounded = plain_csv(tmp_path / "nik.csv", KLIEN_HEADER,
                        [klien_row(i, f"N-{i:02d}", f"Nama {i}", nik="1.87101E+15") for i in range(1, 24)])
    book = workbook(tmp_path / "klien.xlsx", {"Klien Baru": (KLIEN_HEADER, [
        klien_row(1, "K-01", "Ani"), klien_row(2, "K-02", "Budi", mulai="31/02/2026")])})
    wb = openpyxl.load_workbook(book)
    wb.create_sheet("Catatan Rapat").append(["Catatan rapat bulanan"])
    wb.save(book)
    done = run_cli("load", rounded, book, "--db", db)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    nik = ("NIK '1.87101E+15' sudah dibulatkan Excel ke notasi ilmiah dan tidak dapat dipulihkan; ketik ulang NIK "
           "sebagai teks; NIK dikosongkan")
    assert lines == [  # files in the order given
        "nik.csv: klien dimuat; dibaca 23, dimuat 23, ditolak 0, peringatan 23",
        *[f"  ! baris {n}: {nik}" for n in range(2, 22)],
        "  … dan 3 peringatan lainnya",
        "klien.xlsx [Klien Baru]: klien dimuat; dibaca 2, dimuat 1, ditolak 1, peringatan 0",
        "  ✗ baris 7: Tanggal Mulai Bimbingan: tanggal tidak ada di kalender: '31/02/2026'",
        "klien.xlsx [Catatan Rapat]: dilewati: judul kolom tidak cocok dengan jenis data mana pun"]
    assert "NIK: NIK" not in done.stdout and "31-2-2026" not in done.stdout
    # --json keeps the contract's shape: one entry per sheet read, the skipped sheet's warning in its file's entry
    code, out = cli_json("load", rounded, book, "--db", db)
    assert code == 0 and set(out) == {"files"}
    assert [(f["file"], f["sheet"]) for f in out["files"]] == [("nik.csv", None), ("klien.xlsx", "Klien Baru")]
    assert out["files"][1]["warnings"] == [{"row": None, "column": None, "value": "Catatan Rapat", "message": (
        "lembar kerja 'Catatan Rapat' dilewati: judul kolom tidak cocok dengan jenis data mana pun")}]


def test_preview_names_a_file_whose_exact_content_is_already_loaded(tmp_path, db):
    from analytics import kualitas
    from etl.load import preview_files, undo_run
    path = workbook(tmp_path / "klien.xlsx", {"Klien": (KLIEN_HEADER, [klien_row(1, "SAMA-1", "Ani")])})
    other = workbook(tmp_path / "lain.xlsx", {"Klien": (KLIEN_HEADER, [klien_row(1, "SAMA-2", "Budi")])})
    assert preview_files([path], db)["loaded_before"] == {}  # no database yet
    first = load_files([path], db)
    again = preview_files([path, other], db)
    assert list(again["loaded_before"]) == ["klien.xlsx"]
    assert again["loaded_before"]["klien.xlsx"]["id_muat"] == first["id_muat"]
    [line] = kualitas.loaded_before(again)
    assert line.startswith(f"klien.xlsx sama persis dengan berkas yang sudah dimuat pada muat nomor {first['id_muat']} (")
    assert line.endswith("); memuatnya lagi tidak mengubah data.")
    undo_run(first["id_muat"], db)
    assert preview_files([path], db)["loaded_before"] == {}  # undone: loading it would bring the rows back
