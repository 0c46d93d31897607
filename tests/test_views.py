"""Golden tests of the metric views (DATA.md §7) on a small hand-checked dataset."""
import datetime as dt

import pytest

from etl.load import MATERIALISED, load_files
from tests.builders import workbook
from tests.conftest import query

D = dt.date
NIP = "198001012005011001"


@pytest.fixture
def loaded(tmp_path, db):
    klien_header = ["No. Register", "Nama", "Tgl Mulai", "Tanggal Akhir Bimbingan", "Status", "Tanggal Status",
                    "Residivis", "Tanggal Residivis", "Status Pekerjaan", "NIP PK", "Nama PK"]
    klien = [
        ["A", "Ani", D(2022, 1, 10), D(2025, 1, 10), "Aktif", None, "Ya", D(2023, 6, 1), None, NIP, "Pak Joko"],
        ["B", "Beni", D(2022, 3, 1), D(2023, 3, 1), "Dicabut", D(2022, 9, 1), "Tidak", None, None, NIP, "Pak Joko"],
        ["C", "Cici", D(2022, 5, 1), D(2023, 5, 1), "Selesai", D(2023, 5, 1), None, None, "Bekerja", None, None],
    ]
    program = (["Kode Program", "Nama Program", "Kategori", "Tanggal Mulai"],
               [["P1", "Pelatihan Las Angkatan I", "Pelatihan Kerja", D(2022, 6, 1)]])
    sessions = [D(2022, 6, 1), D(2022, 6, 8), D(2022, 6, 15), D(2022, 6, 22)]
    attended = {"A": 3, "B": 2, "C": 4}
    hadir = []
    for reg, n in attended.items():
        for i, day in enumerate(sessions):
            status, reason = ("Hadir", None) if i < n else ("Tidak Hadir", "ongkos tidak ada")
            hadir.append([reg, day, "Pelatihan Kerja", "P1", status, reason, 2])
    hadir.append(["A", D(2024, 6, 30), "Wajib Lapor", None, "Hadir", None, 1])  # sets the as-of date
    hambatan = (["Tanggal", "Kategori", "Uraian", "Kode Program"],
                [[D(2022, 6, 2), "Program tidak sesuai minat", "peserta ingin menjahit", "P1"]])
    book = workbook(tmp_path / "semua.xlsx", {
        "Klien": (klien_header, klien), "Program": program,
        "Kehadiran": (["No. Register", "Tanggal", "Jenis Kegiatan", "Kode Program", "Kehadiran", "Alasan", "Jam"],
                      hadir),
        "Hambatan": hambatan}, numbering=False, signature=False)
    report = load_files([book], db)
    assert all(f["status"] == "loaded" and f["rows_rejected"] == 0 for f in report["files"]), report
    return db


def test_as_of_date_is_the_latest_attendance(loaded):
    assert query(loaded, "select tanggal_data from v_tanggal_data") == [(D(2024, 6, 30),)]


def test_program_completion_at_75_percent_of_sessions(loaded):
    assert query(loaded, "select no_register, sesi_program, sesi_hadir, jam_hadir, selesai "
                         "from v_penyelesaian_program order by 1") == [
        ("A", 4, 3, 6.0, True), ("B", 4, 2, 4.0, False), ("C", 4, 4, 8.0, True)]
    [(peserta, selesai, rate, jam)] = query(loaded, "select peserta, selesai, tingkat_penyelesaian, jam_hadir "
                                                    "from v_program_ringkasan")
    assert (peserta, selesai, jam) == (3, 2, 18.0) and rate == pytest.approx(2 / 3)


def test_threshold_is_a_setting(loaded):
    import duckdb
    con = duckdb.connect(str(loaded))
    con.execute("insert into pengaturan values ('ambang_penyelesaian', 0.5, null)")
    con.close()
    assert query(loaded, "select count(*) filter (where selesai) from v_penyelesaian_program") == [(3,)]


def test_recidivism_windows_and_observability(loaded):
    rows = query(loaded, "select no_register, horizon_bulan, teramati_penuh, residivis, gagal from v_residivisme "
                         "order by 2, 1")
    assert rows == [
        ("A", 12, True, False, False), ("B", 12, True, False, True), ("C", 12, True, False, False),
        ("A", 24, True, True, True), ("B", 24, True, False, True), ("C", 24, True, False, False),
        ("A", 36, False, True, True), ("B", 36, False, False, True), ("C", 36, False, False, False),
    ]


def test_discharge_groups_welfare_and_caseload(loaded):
    assert query(loaded, "select no_register, tanggal_akhir_efektif, hasil_pengakhiran, sejahtera from v_klien "
                         "order by 1") == [
        ("A", D(2025, 1, 10), None, None), ("B", D(2022, 9, 1), "tidak berhasil", None),
        ("C", D(2023, 5, 1), "berhasil", True)]
    assert query(loaded, "select pk_nip, pk_nama, klien_aktif from v_beban_pk") == [(NIP, "Pak Joko", 1)]


def test_active_months_and_participation(loaded):
    # B: active March..September 2022 (7 months); took part in June only
    assert query(loaded, "select count(*), count(*) filter (where ikut_program), sum(jam_hadir) "
                         "from v_partisipasi_bulanan where no_register = 'B'") == [(7, 1, 4.0)]
    assert query(loaded, "select min(bulan), max(bulan) from v_klien_bulan where no_register = 'A'") == [
        (D(2022, 1, 1), D(2024, 6, 1))]


def test_obstacles_from_both_sources_kept_apart(loaded):
    assert query(loaded, "select sumber_data, kategori, faktor, count(*) from v_hambatan_gabungan "
                         "group by all order by 1") == [
        ("Alasan ketidakhadiran", "JARAK_BIAYA_TRANSPORT", "EKSTERNAL", 3),
        ("Log hambatan", "PROGRAM_TIDAK_SESUAI_MINAT", "INTERNAL", 1)]


@pytest.mark.parametrize("table", MATERIALISED)
def test_stored_tables_equal_their_views(loaded, table):
    rows = query(loaded, f"select * from {table} order by all")
    assert rows and rows == query(loaded, f"select * from v_{table} order by all")
