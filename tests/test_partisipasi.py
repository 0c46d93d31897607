"""Golden tests of the Partisipasi & Kesejahteraan page: a small office database whose figures are worked by hand.

The fixture (loaded with the real loader from office-style workbooks), as-of date 30 Oct 2026, period Sep–Oct 2026,
client filter PB:
- A01–A20 active from 1 Sep 2026 (PK Budi, Kemiling). A01–A12 attend kepribadian on 5 Sep (2 h).
  A01–A10 attend all 4 sessions of run R1 (pelatihan kerja, partner M1, 3 h each); A11 attends run R2
  (keagamaan, partner M2, one session on 2 Oct, 2 h); A12 misses a seminar and has a home visit (neither counts).
- B01–B04 start 1 Sep 2026 and end SELESAI on 20 Oct 2026 (PK Sari, Rajabasa). B01 (BEKERJA, placed by M1,
  Rp3.000.000) attends R1 3 of 4 (H, T, -, H); B02 (USAHA_MANDIRI, Rp2.000.000) attends R1 once (H, I, -, -);
  B03 (BELUM_BEKERJA) attends R2; B04 (no work status) attends nothing.
- C01 starts 1 Sep 2026 and dies on 5 Oct 2026 (left out of the welfare figures).
- Wajib lapor on 10 Sep (everyone but B04; A13 late, A14 excused, A15 and B03 missed) and 10 Oct (everyone but
  B04 and C01; A16 and A17 late, B01 excused).
- Cohort clients under CB (D01–D10), see test_cohort_comparison.
"""
import datetime as dt

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics import charts_partisipasi as charts, partisipasi as pt
from analytics.filters import Filters
from analytics.viewer import AccessDenied, Viewer
from tests.builders import workbook

D = dt.date
PB = Filters(D(2026, 9, 1), D(2026, 10, 31), program_integrasi=("PB",))
CB = Filters(D(2026, 9, 1), D(2026, 10, 31), program_integrasi=("CB",))
ALL = Filters(D(2026, 9, 1), D(2026, 10, 31))
KEPALA, KANWIL = Viewer("kepala", "kepala"), Viewer("kanwil", "kanwil")
SEP, OKT = pd.Timestamp("2026-09-01"), pd.Timestamp("2026-10-01")
NIP_BUDI, NIP_SARI = "198001012005011001", "198502022010012002"

KLIEN_HEADER = ["No. Register", "Nama", "Jenis Integrasi", "Tanggal Mulai Bimbingan", "Tanggal Akhir Bimbingan",
                "Status", "Tanggal Status", "PK", "NIP PK", "Kecamatan", "Status Pekerjaan", "Mitra Penyalur",
                "Penghasilan per Bulan"]
KEHADIRAN_HEADER = ["No. Register", "Tanggal", "Jenis Kegiatan", "Kode Program", "Kehadiran", "Durasi (jam)"]


def _clients() -> list[list]:
    rows = []
    for i in range(1, 21):
        rows.append([f"A{i:02d}", f"Klien A{i:02d}", "PB", D(2026, 9, 1), D(2027, 9, 1), "Aktif", None, "Budi",
                     NIP_BUDI, "Kemiling", None, None, None])
    ended = {"B01": ("Bekerja", "M1", 3_000_000), "B02": ("Usaha Mandiri", None, 2_000_000),
             "B03": ("Belum Bekerja", None, None), "B04": (None, None, None)}
    for reg, (work, partner, income) in ended.items():
        rows.append([reg, f"Klien {reg}", "PB", D(2026, 9, 1), D(2027, 9, 1), "Selesai", D(2026, 10, 20), "Sari",
                     NIP_SARI, "Rajabasa", work, partner, income])
    rows.append(["C01", "Klien C01", "PB", D(2026, 9, 1), D(2027, 9, 1), "Meninggal", D(2026, 10, 5), "Sari",
                 NIP_SARI, "Rajabasa", "Bekerja", None, None])
    cohort = {  # reg: (start, status, status date, work status)
        "D01": (D(2025, 1, 15), "Selesai", D(2026, 1, 15), "Bekerja"),
        "D02": (D(2025, 1, 15), "Selesai", D(2026, 1, 15), "Usaha Mandiri"),
        "D03": (D(2025, 1, 15), "Selesai", D(2026, 1, 15), "Belum Bekerja"),
        "D04": (D(2025, 1, 15), "Selesai", D(2026, 1, 15), "Bekerja"),
        "D05": (D(2025, 1, 15), "Selesai", D(2026, 1, 15), "Belum Bekerja"),
        "D06": (D(2025, 1, 15), "Selesai", D(2026, 1, 15), "Bekerja"),
        "D07": (D(2025, 1, 15), "Selesai", D(2026, 1, 15), None),
        "D08": (D(2026, 6, 1), "Aktif", None, "Bekerja"),
        "D09": (D(2025, 1, 15), "Pindah", D(2025, 6, 1), "Bekerja"),
        "D10": (D(2024, 6, 1), "Selesai", D(2026, 1, 15), "Bekerja"),
    }
    for reg, (start, status, when, work) in cohort.items():
        rows.append([reg, f"Klien {reg}", "CB", start, D(2027, 6, 1), status, when, "Budi", NIP_BUDI, "Kemiling",
                     work, None, None])
    return rows


def _attendance() -> list[list]:
    rows = []
    for i in range(1, 13):
        rows.append([f"A{i:02d}", D(2026, 9, 5), "Bimbingan Kepribadian", None, "Hadir", 2])
    r1 = [D(2026, 9, 15), D(2026, 9, 22), D(2026, 10, 6), D(2026, 10, 13)]
    for i in range(1, 11):
        rows += [[f"A{i:02d}", day, "Pelatihan Kerja", "R1", "Hadir", 3] for day in r1]
    rows += [["B01", day, "Pelatihan Kerja", "R1", status, 3] for day, status in zip(r1, ["Hadir", "Terlambat",
                                                                                           "Tidak Hadir", "Hadir"])]
    rows += [["B02", day, "Pelatihan Kerja", "R1", status, 3] for day, status in zip(r1, ["Hadir", "Izin",
                                                                                           "Tidak Hadir",
                                                                                           "Tidak Hadir"])]
    rows += [["A11", D(2026, 10, 2), "Bimbingan Keagamaan", "R2", "Hadir", 2],
             ["B03", D(2026, 10, 2), "Bimbingan Keagamaan", "R2", "Hadir", 2],
             ["A12", D(2026, 10, 20), "Seminar Penyuluhan", None, "Tidak Hadir", 3],
             ["A12", D(2026, 10, 30), "Kunjungan Rumah", None, "Hadir", 1]]
    september = {"A13": "Terlambat", "A14": "Izin", "A15": "Tidak Hadir", "B03": "Tidak Hadir"}
    october = {"A16": "Terlambat", "A17": "Terlambat", "B01": "Izin"}
    everyone = [f"A{i:02d}" for i in range(1, 21)] + ["B01", "B02", "B03"]
    for reg in everyone + ["C01"]:
        rows.append([reg, D(2026, 9, 10), "Wajib Lapor", None, september.get(reg, "Hadir"), 0.5])
    for reg in everyone:
        rows.append([reg, D(2026, 10, 10), "Wajib Lapor", None, october.get(reg, "Hadir"), 0.5])
    # cohort: D01–D03 attend a run in their first 6 months, D04–D05 kepribadian only, D06 only after 6 months,
    # D10 kepribadian one month after its start
    rows += [[reg, D(2025, 2, 20), "Pelatihan Kerja", "R4", "Hadir", 3] for reg in ("D01", "D02", "D03")]
    rows += [[reg, D(2025, 3, 1), "Bimbingan Kepribadian", None, "Hadir", 2] for reg in ("D04", "D05")]
    rows += [["D06", D(2025, 9, 1), "Bimbingan Kepribadian", None, "Hadir", 2],
             ["D10", D(2024, 7, 1), "Bimbingan Kepribadian", None, "Hadir", 2]]
    return rows


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """The fixture database, built once with the real loader."""
    from etl import config
    from etl.load import load_files
    folder = tmp_path_factory.mktemp("partisipasi")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BAPAS_CONFIG", str(folder / "tidak-ada.toml"))
        mp.delenv("BAPAS_KODE", raising=False)
        config.settings.cache_clear()
        klien = workbook(folder / "Data Klien.xlsx", {"Klien": (KLIEN_HEADER, _clients())})
        mitra = workbook(folder / "Mitra Pokmas Lipas.xlsx", {
            "Mitra": (["Kode Mitra", "Nama Mitra"], [["M1", "LPK Maju Jaya"], ["M2", "Masjid Al-Ikhlas"]]),
            "Program": (["Kode Program", "Nama Program", "Kategori", "Kode Mitra", "Tanggal Mulai", "Tanggal Selesai"],
                        [["R1", "Pelatihan Las Angkatan I", "Pelatihan Kerja", "M1", D(2026, 9, 15), D(2026, 10, 13)],
                         ["R2", "Pengajian Angkatan I", "Bimbingan Keagamaan", "M2", D(2026, 10, 2), D(2026, 10, 2)],
                         ["R3", "Pelatihan Lama", "Pelatihan Kerja", "M1", D(2026, 3, 1), D(2026, 4, 30)],
                         ["R4", "Pelatihan Kohort", "Pelatihan Kerja", "M1", D(2025, 2, 1), D(2025, 3, 1)]])})
        kehadiran = workbook(folder / "Kehadiran.xlsx", {"Kehadiran": (KEHADIRAN_HEADER, _attendance())})
        path = folder / "bapas.duckdb"
        report = load_files([klien, mitra, kehadiran], path)
        config.settings.cache_clear()
    assert all(f["status"] == "loaded" and not f["errors"] for f in report["files"]), report
    return path


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain values (NaN and <NA> both None), for whole-frame comparisons."""
    return [{k: (None if not isinstance(v, (list, tuple)) and pd.isna(v) else v) for k, v in row.items()}
            for row in frame.to_dict("records")]


def _participation(month, kelompok, active, took, hidden=False):
    return {"bulan": month, "kelompok": kelompok, "label": pt.KELOMPOK[kelompok], "klien_aktif": active,
            "peserta": None if hidden else took, "persen": None if hidden else pytest.approx(took / active),
            "disembunyikan": hidden}


def test_participation_by_month(office):
    frame = pt.participation_by_month(PB, KEPALA, db_path=office)
    took = {SEP: {"SEMUA": 14, "KEPRIBADIAN": 12, "KEMANDIRIAN": 12},
            OKT: {"SEMUA": 13, "KEMANDIRIAN": 11, "KEAGAMAAN": 2}}
    assert _records(frame) == [_participation(m, k, 25, took[m].get(k, 0)) for m in (SEP, OKT) for k in pt.KELOMPOK]


def test_participation_hides_small_parts_for_kanwil(office):
    frame = pt.participation_by_month(PB, KANWIL, db_path=office)
    took = {SEP: {"SEMUA": 14, "KEPRIBADIAN": 12, "KEMANDIRIAN": 12},
            OKT: {"SEMUA": 13, "KEMANDIRIAN": 11, "KEAGAMAAN": 2}}
    # 2 of 25 in keagamaan in October: hidden (and so is its rate); 12 of 25 leaves 13 out: both shown
    assert _records(frame) == [_participation(m, k, 25, took[m].get(k, 0), hidden=(m, k) == (OKT, "KEAGAMAAN"))
                               for m in (SEP, OKT) for k in pt.KELOMPOK]


def _compliance(group, label, counts, total, hidden=(), total_hidden=False):
    rows = []
    for status, n in zip(pt.STATUS_HADIR, counts):
        gone = status in hidden
        rows.append({"grup": group, "label": label, "status_hadir": status, "status_label": pt.STATUS_HADIR[status],
                     "jumlah": None if gone else n, "wajib": None if total_hidden else total,
                     "persen": None if gone or total_hidden else pytest.approx(n / total), "disembunyikan": gone})
    return rows


def test_reporting_compliance_by_month_pk_and_kecamatan(office):
    by_month = pt.reporting_compliance(PB, KEPALA, "bulan", db_path=office)
    assert _records(by_month) == (_compliance(SEP, "Sep 2026", [20, 1, 1, 2], 24)
                                  + _compliance(OKT, "Okt 2026", [20, 2, 1, 0], 23))
    by_pk = pt.reporting_compliance(PB, KEPALA, "pk", db_path=office)
    # lowest compliance first: Sari 5/7 attended, Budi 38/40
    assert _records(by_pk) == (_compliance(NIP_SARI, "Sari", [5, 0, 1, 1], 7)
                               + _compliance(NIP_BUDI, "Budi", [35, 3, 1, 1], 40))
    by_area = pt.reporting_compliance(PB, KEPALA, "kecamatan", db_path=office)
    assert _records(by_area) == (_compliance("Rajabasa", "Rajabasa", [5, 0, 1, 1], 7)
                                 + _compliance("Kemiling", "Kemiling", [35, 3, 1, 1], 40))


def test_reporting_compliance_for_kanwil(office):
    by_month = pt.reporting_compliance(PB, KANWIL, "bulan", db_path=office)
    assert _records(by_month) == (
        _compliance(SEP, "Sep 2026", [20, 1, 1, 2], 24, hidden={"TERLAMBAT", "IZIN", "TIDAK_HADIR"})
        + _compliance(OKT, "Okt 2026", [20, 2, 1, 0], 23, hidden={"TERLAMBAT", "IZIN"}))
    by_pk = pt.reporting_compliance(PB, KANWIL, "pk", db_path=office)
    # a hidden part leaves no order to sort by: both by name; Sari's total of 7 is itself hidden
    assert _records(by_pk) == (
        _compliance(NIP_BUDI, "Budi", [35, 3, 1, 1], 40, hidden={"TERLAMBAT", "IZIN", "TIDAK_HADIR"})
        + _compliance(NIP_SARI, "Sari", [5, 0, 1, 1], 7, hidden={"HADIR", "IZIN", "TIDAK_HADIR"}, total_hidden=True))


def test_unknown_breakdown_is_refused(office):
    with pytest.raises(ValueError):
        pt.reporting_compliance(PB, KEPALA, "nama; drop table klien", db_path=office)


def test_dose_distribution_and_summary(office):
    # hours: A01–A10 2+12=14, B01 9 → 8–16; A11 4, B02 3 → 2–4; A12 2, B03 2 → ≤2
    expected = [(1, "≤2 jam", 2), (2, "2–4 jam", 2), (3, "4–8 jam", 0), (4, "8–16 jam", 11),
                (5, "16–32 jam", 0),
                (6, "32–64 jam", 0), (7, ">64 jam", 0)]
    frame = pt.dose_distribution(PB, KEPALA, db_path=office)
    assert _records(frame) == [{"kelas": k, "rentang": r, "klien": n, "disembunyikan": False} for k, r, n in expected]
    assert pt.dose_summary(PB, KEPALA, db_path=office) == {"klien": 15, "median_jam": 14.0, "jam": 160.0}
    hidden = pt.dose_distribution(PB, KANWIL, db_path=office)
    assert _records(hidden) == [{"kelas": k, "rentang": r, "klien": None if 1 <= n <= 9 else n,
                                 "disembunyikan": 1 <= n <= 9} for k, r, n in expected]
    assert pt.dose_summary(PB, KANWIL, db_path=office)["klien"] == 15


def test_runs_with_the_same_code_in_two_offices_stay_apart(office, tmp_path):
    """National data: every office numbers its runs on its own (the suppression once failed on the repeat)."""
    import shutil
    import duckdb
    db = tmp_path / "dua-kantor.duckdb"
    shutil.copy(office, db)
    with duckdb.connect(str(db)) as con:
        for table in ("klien", "program", "mitra", "kehadiran", "penyelesaian_program"):
            con.execute(f"insert into {table} select * replace ('BAPAS-MTR' as kode_bapas) from {table}")
    for viewer in (KEPALA, KANWIL):
        frame = pt.program_completion(PB, viewer, db_path=db)
        assert sorted(zip(frame["kode_bapas"], frame["kode_program"])) == [
            ("BAPAS-BDL", "R1"), ("BAPAS-BDL", "R2"), ("BAPAS-MTR", "R1"), ("BAPAS-MTR", "R2")]
    assert pt.run_options(frame)["BAPAS-MTR/R1"] == "Pelatihan Las Angkatan I (BAPAS-MTR/R1)"
    one = pt.run_clients(KEPALA, PB, "R1", db_path=db, kode_bapas="BAPAS-MTR")
    assert len(one) == 12 and len(pt.run_clients(KEPALA, PB, "R1", db_path=db)) == 24


def test_program_completion(office):
    frame = pt.program_completion(PB, KEPALA, db_path=office)
    base = [("R1", "Pelatihan Las Angkatan I", "PELATIHAN_KERJA", "LPK Maju Jaya", D(2026, 9, 15), D(2026, 10, 13), 4),
            ("R2", "Pengajian Angkatan I", "BIMBINGAN_KEAGAMAAN", "Masjid Al-Ikhlas", D(2026, 10, 2),
             D(2026, 10, 2), 1)]
    columns = ["kode_program", "nama_program", "kategori", "nama_mitra", "tanggal_mulai", "tanggal_selesai",
               "sesi_program"]
    expected = [{"kode_bapas": "BAPAS-BDL", **dict(zip(columns, row))} for row in base]
    for row in expected:
        row.update(tanggal_mulai=pd.Timestamp(row["tanggal_mulai"]),
                   tanggal_selesai=pd.Timestamp(row["tanggal_selesai"]), berjalan=False)
    assert _records(frame) == [
        {**expected[0], "peserta": 12, "selesai": 11, "tingkat_penyelesaian": pytest.approx(11 / 12),
         "disembunyikan": False},
        {**expected[1], "peserta": 2, "selesai": 2, "tingkat_penyelesaian": 1.0, "disembunyikan": False}]
    assert pt.completion_threshold(office) == 0.75
    hidden = pt.program_completion(PB, KANWIL, db_path=office)
    # R1: 1 of 12 did not finish → finishers and non-finishers hidden, 12 enrolled shown; R2: 2 enrolled hidden
    assert _records(hidden) == [
        {**expected[0], "peserta": 12, "selesai": None, "tingkat_penyelesaian": None, "disembunyikan": True},
        {**expected[1], "peserta": None, "selesai": None, "tingkat_penyelesaian": None, "disembunyikan": True}]
    assert pt.completion_table(hidden).to_dict("records") == [
        {"Program (angkatan)": "Pelatihan Las Angkatan I", "Kategori": "Pelatihan kerja", "Mitra": "LPK Maju Jaya",
         "Jadwal": "15 Sep 2026 – 13 Okt 2026", "Sesi": "4", "Peserta": "12", "Selesai": "<10",
         "Tingkat penyelesaian": "<10"},
        {"Program (angkatan)": "Pengajian Angkatan I", "Kategori": "Bimbingan keagamaan", "Mitra": "Masjid Al-Ikhlas",
         "Jadwal": "2 Okt 2026 – 2 Okt 2026", "Sesi": "1", "Peserta": "<10", "Selesai": "<10",
         "Tingkat penyelesaian": "<10"}]
    assert pt.completion_table(frame)["Tingkat penyelesaian"].tolist() == ["91,7%", "100,0%"]


def _welfare(group, label, counts, hidden=False):
    total = sum(counts)
    return [{"grup": group, "label": label, "pekerjaan": status, "pekerjaan_label": pt.PEKERJAAN[status],
             "jumlah": None if hidden and n else n, "klien": None if hidden else total,
             "persen": None if hidden else pytest.approx(n / total), "disembunyikan": bool(hidden and n)}
            for status, n in zip(pt.PEKERJAAN, counts)]


def test_welfare_outcomes_by_category_and_partner(office):
    # ended in the period: B01 (bekerja, R1), B02 (usaha, R1), B03 (belum, R2), B04 (tidak tercatat, no run);
    # C01 (MENINGGAL) left out. Order: all, groups by size, then no program.
    by_category = pt.welfare_outcomes(PB, KEPALA, "kategori", db_path=office)
    assert _records(by_category) == (_welfare("SEMUA", "Semua klien yang berakhir", [1, 1, 1, 1])
                                     + _welfare("PELATIHAN_KERJA", "Pelatihan kerja", [1, 1, 0, 0])
                                     + _welfare("BIMBINGAN_KEAGAMAAN", "Bimbingan keagamaan", [0, 0, 1, 0])
                                     + _welfare("TANPA_PROGRAM", "Tidak mengikuti program", [0, 0, 0, 1]))
    by_partner = pt.welfare_outcomes(PB, KEPALA, "mitra", db_path=office)
    assert _records(by_partner) == (_welfare("SEMUA", "Semua klien yang berakhir", [1, 1, 1, 1])
                                    + _welfare("M1", "LPK Maju Jaya", [1, 1, 0, 0])
                                    + _welfare("M2", "Masjid Al-Ikhlas", [0, 0, 1, 0])
                                    + _welfare("TANPA_PROGRAM", "Tidak mengikuti program", [0, 0, 0, 1]))
    hidden = pt.welfare_outcomes(PB, KANWIL, "kategori", db_path=office)
    assert _records(hidden) == (_welfare("SEMUA", "Semua klien yang berakhir", [1, 1, 1, 1], True)
                                + _welfare("PELATIHAN_KERJA", "Pelatihan kerja", [1, 1, 0, 0], True)
                                + _welfare("BIMBINGAN_KEAGAMAAN", "Bimbingan keagamaan", [0, 0, 1, 0], True)
                                + _welfare("TANPA_PROGRAM", "Tidak mengikuti program", [0, 0, 0, 1], True))


def test_placements_and_income(office):
    assert _records(pt.placements_by_partner(PB, KEPALA, db_path=office)) == [
        {"kode_mitra": "M1", "nama_mitra": "LPK Maju Jaya", "penempatan": 1, "disembunyikan": False}]
    assert _records(pt.placements_by_partner(PB, KANWIL, db_path=office)) == [
        {"kode_mitra": "M1", "nama_mitra": "LPK Maju Jaya", "penempatan": None, "disembunyikan": True}]
    income = pt.income_by_work_status(PB, KEPALA, db_path=office)
    assert _records(income) == [
        {"grup": "BEKERJA", "label": "Bekerja", "klien": 1, "tercatat": 1, "median_penghasilan": 3_000_000.0,
         "disembunyikan": False},
        {"grup": "USAHA_MANDIRI", "label": "Usaha mandiri", "klien": 1, "tercatat": 1,
         "median_penghasilan": 2_000_000.0, "disembunyikan": False},
        {"grup": "SEMUA", "label": "Bekerja atau usaha mandiri", "klien": 2, "tercatat": 2,
         "median_penghasilan": 2_500_000.0, "disembunyikan": False}]
    assert pt.income_table(income)["Median penghasilan per bulan"].tolist() == ["Rp3.000.000", "Rp2.000.000",
                                                                                 "Rp2.500.000"]
    hidden = pt.income_by_work_status(PB, KANWIL, db_path=office)
    assert pt.income_table(hidden).to_dict("records")[2] == {
        "Status pekerjaan": "Bekerja atau usaha mandiri", "Klien": "<10", "Penghasilan tercatat": "<10",
        "Median penghasilan per bulan": "<10"}


def _cohort(rows, hidden=False):
    return [{"kelompok": k, "label": label, "klien": None if hidden and n else n,
             "bekerja": None if hidden and n else w,
             "persen": None if hidden or not n else pytest.approx(w / n), "disembunyikan": bool(hidden and n)}
            for (k, label), (n, w) in zip([("PESERTA", "Peserta program"), ("BUKAN_PESERTA", "Bukan peserta")], rows)]


def test_cohort_comparison(office):
    # observed ≥ 12 months before 30 Oct 2026: D01–D07 and D10 (D08 too recent, D09 PINDAH left out).
    # Program run in the first 6 months: D01–D03 (2 working) vs D04–D07, D10 (3 working: D04, D06, D10).
    assert _records(pt.cohort_comparison(CB, KEPALA, 12, "program", db_path=office)) == _cohort([(3, 2), (5, 3)])
    # Any activity in the first 6 months: D01–D05, D10 (4 working) vs D06 (after 6 months), D07 (1 working).
    assert _records(pt.cohort_comparison(CB, KEPALA, 12, "kegiatan", db_path=office)) == _cohort([(6, 4), (2, 1)])
    assert _records(pt.cohort_comparison(CB, KEPALA, 6, "program", db_path=office)) == _cohort([(3, 2), (5, 3)])
    # ≥ 24 months: only D10 (started 1 Jun 2024)
    assert _records(pt.cohort_comparison(CB, KEPALA, 24, "program", db_path=office)) == _cohort([(0, 0), (1, 1)])
    assert _records(pt.cohort_comparison(CB, KANWIL, 12, "program", db_path=office)) == _cohort([(3, 2), (5, 3)],
                                                                                                 hidden=True)
    with pytest.raises(ValueError):
        pt.cohort_comparison(CB, KEPALA, 18, "program", db_path=office)


def test_drilldowns_list_the_clients_behind_the_figures(office):
    enrolled = pt.run_clients(KEPALA, PB, "R1", db_path=office)
    assert sorted(enrolled["No. Register"]) == [f"A{i:02d}" for i in range(1, 11)] + ["B01", "B02"]
    ended = pt.ended_clients(KEPALA, PB, "kategori", "SEMUA", db_path=office)
    assert sorted(ended["No. Register"]) == ["B01", "B02", "B03", "B04"]
    assert _records(pt.ended_clients(KEPALA, PB, "kategori", "TANPA_PROGRAM", db_path=office)) == [
        {"No. Register": "B04", "Nama": "Klien B04", "Program integrasi": "PB", "Kategori pidana": None,
         "Kecamatan": "Rajabasa", "PK": "Sari", "Mulai bimbingan": "1 Sep 2026", "Status": "Selesai",
         "Status pekerjaan": "Tidak tercatat"}]
    analis = pt.ended_clients(Viewer("a", "analis", None, "ab" * 32), PB, "kategori", "TANPA_PROGRAM",
                              db_path=office)
    assert list(analis.columns[:2]) == ["Pseudonim", "Program integrasi"] and "Nama" not in analis
    assert sorted(pt.ended_clients(KEPALA, PB, "mitra", "M1", db_path=office)["No. Register"]) == ["B01", "B02"]
    assert pt.ended_clients(KEPALA, PB, "kategori", "BIMBINGAN_KEAGAMAAN",
                            db_path=office)["No. Register"].tolist() == ["B03"]
    own = pt.run_clients(Viewer("p", "pk", NIP_SARI), PB, "R1", db_path=office)
    assert sorted(own["No. Register"]) == ["B01", "B02"]
    with pytest.raises(AccessDenied):
        pt.run_clients(KANWIL, PB, "R1", db_path=office)


def test_charts_draw_for_both_roles(office):
    for viewer in (KEPALA, KANWIL):
        figures = [
            charts.participation_trend(pt.participation_by_month(PB, viewer, db_path=office)),
            *[charts.compliance_bars(pt.reporting_compliance(PB, viewer, by, db_path=office), by)
              for by in pt.BREAKDOWNS],
            charts.dose_histogram(pt.dose_distribution(PB, viewer, db_path=office),
                                  pt.dose_summary(PB, viewer, db_path=office)),
            charts.completion_bars(pt.program_completion(PB, viewer, db_path=office), 0.75),
            *[charts.welfare_bars(pt.welfare_outcomes(PB, viewer, by, db_path=office), by) for by in pt.WELFARE_BY],
            charts.placement_bars(pt.placements_by_partner(PB, viewer, db_path=office)),
            charts.cohort_bars(pt.cohort_comparison(CB, viewer, 12, "program", db_path=office), 12),
        ]
        for figure in figures:
            assert figure.layout.title.text and figure.data
        names = {trace.name for figure in figures for trace in figure.data}
        assert ("Disembunyikan (<10)" in names) == (viewer is KANWIL)


# --- the page under AppTest --------------------------------------------------------------------------------

@pytest.fixture
def page(office):
    from analytics.accounts import Account, Store
    from ui import Context
    st.cache_data.clear()

    def run(role: str, filters: Filters = ALL) -> AppTest:
        at = AppTest.from_file("../halaman/partisipasi.py", default_timeout=60)
        at.session_state["akun"] = Account(role, role, role, NIP_SARI if role == "pk" else None, None, True)
        at.session_state["_store"] = Store()
        viewer = Viewer(role, role, NIP_SARI if role == "pk" else None, "ab" * 32)
        at.session_state["konteks"] = Context(viewer, filters, "kustom", office, D(2026, 10, 30), "uji", False)
        return at.run()
    yield run
    st.cache_data.clear()


def _trace_names(element) -> set[str]:
    import json
    return {trace.get("name") for trace in json.loads(element.proto.spec)["data"]}


def _texts(at) -> str:
    return " ".join(str(e.value) for kind in ("caption", "markdown", "info", "warning") for e in at.get(kind))


def test_page_for_kepala_draws_every_figure_with_drilldowns(page):
    at = page("kepala")
    assert not at.exception and not at.error
    assert [t.value for t in at.title] == ["Partisipasi & Kesejahteraan"]
    titles = [c.proto.spec for c in at.get("plotly_chart")]
    assert len(titles) == 7
    assert [e.proto.label for e in at.get("expander")] == ["Lihat peserta satu angkatan",
                                                           "Lihat klien yang berakhir dalam satu kelompok"]
    table = at.dataframe[0].value
    assert table["Tingkat penyelesaian"].tolist() == ["91,7%", "100,0%"]
    enrolled, ended = [d.value for d in at.dataframe if "No. Register" in d.value.columns]
    assert sorted(enrolled["No. Register"]) == [f"A{i:02d}" for i in range(1, 11)] + ["B01", "B02"]  # R1 first
    assert sorted(ended["No. Register"]) == ["B01", "B02", "B03", "B04"]  # all ended cases first
    at.selectbox(key="partisipasi_angkatan").set_value("BAPAS-BDL/R2").run()
    enrolled = [d.value for d in at.dataframe if "No. Register" in d.value.columns][0]
    assert sorted(enrolled["No. Register"]) == ["A11", "B03"]
    assert "bukan estimasi sebab-akibat" in _texts(at)
    at.radio(key="partisipasi_rincian").set_value("pk").run()
    assert not at.exception
    assert "Pembimbing Kemasyarakatan" in at.get("plotly_chart")[1].proto.spec
    assert "Disembunyikan (<10)" not in _trace_names(at.get("plotly_chart")[1])


def test_page_for_kanwil_hides_small_numbers_and_names(page):
    at = page("kanwil")
    assert not at.exception and not at.error
    assert len(at.get("plotly_chart")) == 7
    assert not at.get("expander")
    assert "hanya data agregat" in _texts(at)
    assert all("nama" not in d.value.columns and "no_register" not in d.value.columns for d in at.dataframe)
    completion = at.dataframe[0].value
    assert completion["Peserta"].tolist() == ["12", "<10"]
    assert completion["Tingkat penyelesaian"].tolist() == ["disembunyikan", "disembunyikan"]  # a rate, not a count
    assert (at.dataframe[1].value["Median penghasilan per bulan"] == "disembunyikan").all()
    assert at.radio(key="partisipasi_basis").value == "program"
    assert "Disembunyikan (<10)" in _trace_names(at.get("plotly_chart")[1])


def test_page_says_so_when_the_filters_leave_nobody(page):
    at = page("kepala", Filters(D(2026, 9, 1), D(2026, 10, 31), program_integrasi=("ASIMILASI",)))
    assert not at.exception
    assert [i.value for i in at.info] == ["Tidak ada klien aktif pada periode dan saringan ini. Ubah periode atau "
                                          "saringan di sisi kiri."]
    assert not at.get("plotly_chart")


def test_all_activities_agree_with_the_shared_participation_view(demo_db):
    """'Semua kegiatan' is the Ringkasan's participation (v_partisipasi_bulanan), month by month."""
    from tests.conftest import query
    period = Filters(D(2026, 5, 1), D(2026, 10, 31))
    frame = pt.participation_by_month(period, KEPALA, db_path=demo_db)
    every = frame[frame["kelompok"] == "SEMUA"]
    expected = query(demo_db, """select bulan, count(*), count(*) filter (where ikut_program)
                                 from v_partisipasi_bulanan where bulan between ? and ? group by 1 order by 1""",
                     [D(2025, 11, 1), D(2026, 10, 31)])
    assert [(b.date(), a, p) for b, a, p in zip(every["bulan"], every["klien_aktif"], every["peserta"])] == expected
    assert len(expected) == 12 and all(p > 0 for _, _, p in expected)


@pytest.mark.parametrize("role, person_rows", [("pk", "No. Register"), ("analis", "Pseudonim"), ("operator", None)])
def test_page_for_the_other_roles(page, role, person_rows):
    at = page(role)
    assert not at.exception and not at.error
    assert len(at.get("plotly_chart")) == 7
    lists = [d.value for d in at.dataframe if {"No. Register", "Pseudonim"} & set(d.value.columns)]
    if person_rows is None:
        assert not lists and not at.get("expander")
    else:
        assert lists and all(person_rows in rows.columns for rows in lists)
        assert all("Nama" not in rows.columns for rows in lists) or role == "pk"
