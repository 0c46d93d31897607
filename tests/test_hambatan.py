"""Hambatan: golden figures from a small office database built with the real loader, and the page under AppTest."""
import datetime as dt

import numpy as np
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics import hambatan
from analytics.filters import Filters
from analytics.viewer import AccessDenied, Viewer
from tests.builders import KEHADIRAN_HEADER, KLIEN_HEADER, klien_row, workbook

D = dt.date
PERIOD = Filters(D(2026, 7, 1), D(2026, 9, 30))  # previous period: Apr–Jun 2026
NIP1, NIP2 = "198001012005011001", "198502022010012002"
KEPALA, KANWIL = Viewer("kepala", "kepala"), Viewer("kanwil", "kanwil")
ANALIS = Viewer("analis", "analis", None, "ab" * 32)
KEY = "kategori"
HIDDEN = "disembunyikan"


def _weekly(first: D, n: int) -> list[D]:
    return [first + dt.timedelta(days=7 * i) for i in range(n)]


def _attendance() -> list[list]:
    rows = []

    def add(reg, day, kind, status, reason=None, program=None):
        rows.append([len(rows) + 1, reg, day, kind, program, status, reason, 1])

    # previous period (Apr–Jun): wajib lapor, and program P1 (4 sessions) for A3 and A4
    for day, a1 in ((D(2026, 4, 6), "Hadir"), (D(2026, 5, 4), "Tidak Hadir"), (D(2026, 6, 1), "Hadir")):
        add("A1", day, "Wajib Lapor", a1, "rumah jauh" if a1 != "Hadir" else None)
        add("A2", day, "Wajib Lapor", "Hadir")
    for day, a4, reason in zip(_weekly(D(2026, 5, 8), 4), ("Hadir", "Tidak Hadir", "Tidak Hadir", "Tidak Hadir"),
                               (None, "malas", "malas", None)):
        add("A3", day, "Pelatihan Kerja", "Hadir", program="P1")
        add("A4", day, "Pelatihan Kerja", a4, reason, program="P1")
    # period (Jul–Sep): monthly wajib lapor of four clients
    for reg, statuses in (("A1", [("Tidak Hadir", "rumah jauh, tidak ada ongkos"), ("Hadir", None),
                                  ("Terlambat", None)]),
                          ("A2", [("Izin", "sakit"), ("Hadir", None), ("Hadir", None)]),
                          ("A3", [("Hadir", None), ("Hadir", None), ("Terlambat", "macet")]),
                          ("A4", [("Tidak Hadir", None), ("Tidak Hadir", "lupa"), ("Hadir", None)])):
        for day, (status, reason) in zip((D(2026, 7, 6), D(2026, 8, 3), D(2026, 9, 7)), statuses):
            add(reg, day, "Wajib Lapor", status, reason)
    # program P2 (4 sessions): A1 3/4 with a transport reason, A2 2/4 (work out of town), A3 4/4
    for i, day in enumerate(_weekly(D(2026, 7, 10), 4)):
        add("A1", day, "Pelatihan Kerja", "Tidak Hadir" if i == 3 else "Hadir", "ongkos habis" if i == 3 else None,
            "P2")
        add("A2", day, "Pelatihan Kerja", "Tidak Hadir" if i in (1, 2) else "Hadir",
            {1: "kerja di luar kota", 2: "kerja"}.get(i), "P2")
        add("A3", day, "Pelatihan Kerja", "Hadir", program="P2")
    # A3 late to weekly counselling: 10 times before, 12 times in the period (large enough to stay visible)
    for day in _weekly(D(2026, 4, 7), 10) + _weekly(D(2026, 7, 7), 12):
        add("A3", day, "Bimbingan Kepribadian", "Terlambat")
    return rows


LOG_HEADER = ["No", "Tanggal", "Faktor", "Sumber", "Kategori", "Uraian", "Kode Program", "Kode Mitra",
              "No. Register", "Tindak Lanjut", "Status"]
LOG_ROWS = [
    [1, D(2026, 5, 20), None, "Bapas", "Program tidak sesuai minat", "Peserta tidak berminat las", "P1", None, None,
     "Ganti program", "Selesai"],
    [2, D(2026, 5, 10), "Eksternal", "Klien", "Jarak Biaya Transport", "Klien Andi tidak punya ongkos", None, None,
     "A1", "Bantuan transport", "Ditangani"],
    [3, D(2026, 7, 15), None, "Bapas", "Anggaran terbatas", "Honor narasumber belum cair", "P2", None, None, None,
     "Terbuka"],
    [4, D(2026, 7, 20), "Eksternal", "Klien", "Jarak Biaya Transport", "Rumah klien Andi jauh", None, None, "A1",
     "Wajib lapor daring", "Selesai"],
    [5, D(2026, 8, 5), None, "Mitra", "Mitra belum bersertifikat", "LPK Maju belum bersertifikat", "P2", "M1", None,
     None, "Ditangani"],
    [6, D(2026, 8, 25), None, "Klien", "Klien kurang serius", "Klien Dedi malas datang", None, None, "A4", None,
     "Terbuka"],
    [7, D(2026, 9, 10), None, None, "Jarak Biaya Transport", "Ongkos ke tempat pelatihan mahal", "P2", None, None,
     None, None],
    [8, D(2026, 1, 15), None, "Bapas", "Beban kerja PK", "PK kekurangan personel", None, None, None, None,
     "Selesai"],
]


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """Four clients, two program runs of one partner, attendance with reasons, an obstacle log of eight rows."""
    from etl import config
    from etl.load import load_files
    folder = tmp_path_factory.mktemp("hambatan")
    with pytest.MonkeyPatch.context() as mp:
        for name in ("BAPAS_DB", "BAPAS_KODE"):
            mp.delenv(name, raising=False)
        mp.setenv("BAPAS_CONFIG", str(folder / "tidak-ada.toml"))
        config.settings.cache_clear()
        clients = [klien_row(i + 1, reg, nama, program=program, mulai=D(2026, 1, 5), akhir=D(2027, 12, 31))
                   + [nip, pk] for i, (reg, nama, program, nip, pk) in enumerate((
                       ("A1", "Andi", "PB", NIP1, "Pak Satu"), ("A2", "Budi", "PB", NIP1, "Pak Satu"),
                       ("A3", "Citra", "CB", NIP2, "Bu Dua"), ("A4", "Dedi", "ASIMILASI", NIP2, "Bu Dua")))]
        books = [
            workbook(folder / "Data Klien.xlsx", {"Klien": (KLIEN_HEADER + ["NIP PK", "Nama PK"], clients)}),
            workbook(folder / "Mitra Pokmas Lipas.xlsx", {
                "Mitra": (["No", "Kode Mitra", "Nama Lembaga", "Jenis Mitra", "Bersertifikat"],
                          [[1, "M1", "LPK Maju", "LPK", "Tidak"]]),
                "Program": (["No", "Kode Program", "Nama Program", "Kategori", "Kode Mitra", "Tanggal Mulai",
                             "Tanggal Selesai", "Total Jam"],
                            [[1, "P1", "Pelatihan Las Angkatan I 2026", "Pelatihan Kerja", "M1", D(2026, 5, 1),
                              D(2026, 6, 30), 16],
                             [2, "P2", "Pelatihan Menjahit Angkatan I 2026", "Pelatihan Kerja", "M1",
                              D(2026, 7, 1), D(2026, 8, 31), 16]])}),
            workbook(folder / "Kehadiran.xlsx", {"2026": (KEHADIRAN_HEADER, _attendance())}),
            workbook(folder / "Hambatan Program.xlsx", {"Hambatan": (LOG_HEADER, LOG_ROWS)}),
        ]
        report = load_files(books, folder / "bapas.duckdb")
        config.settings.cache_clear()
    assert all(f["rows_rejected"] == 0 and f["status"] == "loaded" for f in report["files"]), report
    return folder / "bapas.duckdb"


def _frame(rows: list[dict], ints=(), floats=(), bools=(HIDDEN,)) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for column in ints:
        frame[column] = frame[column].astype("Int64")
    for column in floats:
        frame[column] = frame[column].astype(float)
    for column in bools:
        frame[column] = frame[column].astype(bool)
    return frame


def _text_as_objects(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as objects with None for missing (pandas 3 builds str columns with NaN)."""
    out = frame.reset_index(drop=True).copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = [None if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else v
                           for v in out[column]]
            out[column] = out[column].astype(object)
    return out


def _same(actual: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Whole-frame comparison: same columns in the same order, same values (rates to 1e-9)."""
    pd.testing.assert_frame_equal(_text_as_objects(actual), _text_as_objects(expected), check_dtype=False,
                                  check_exact=False, rtol=1e-9)


L = hambatan.CATEGORY_LABELS
S = hambatan.CATEGORY_SHORT
FACTOR = {"INTERNAL": "Internal", "EKSTERNAL": "Eksternal", "TIDAK_DITENTUKAN": "Tidak ditentukan"}


def _pareto(rows, total, total_hidden=False):
    """rows: (kategori, faktor, jumlah or None, persen, kumulatif)."""
    out = [{"kategori": k, "faktor": f, "label": L[k], "label_singkat": S[k], "label_faktor": FACTOR[f],
            "jumlah": pd.NA if n is None else n, "persen": p, "persen_kumulatif": c, HIDDEN: n is None}
           for k, f, n, p, c in rows]
    out.append({"kategori": "JUMLAH", "faktor": None, "label": "Jumlah", "label_singkat": "Jumlah",
                "label_faktor": None, "jumlah": pd.NA if total_hidden else total,
                "persen": np.nan if total_hidden else 1.0, "persen_kumulatif": np.nan, HIDDEN: total_hidden})
    return _frame(out, ints=("jumlah",), floats=("persen", "persen_kumulatif"))


# --- 1. Pareto ---------------------------------------------------------------------------------------------------

def test_log_pareto_sorted_with_cumulative_share(office):
    _same(hambatan.category_pareto(PERIOD, KEPALA, hambatan.LOG, db_path=office), _pareto([
        ("JARAK_BIAYA_TRANSPORT", "EKSTERNAL", 2, 0.4, 0.4),
        ("ANGGARAN_TERBATAS", "INTERNAL", 1, 0.2, 0.6),  # ties in DATA.md §6 order
        ("KLIEN_KURANG_SERIUS", "EKSTERNAL", 1, 0.2, 0.8),
        ("MITRA_BELUM_BERSERTIFIKAT", "EKSTERNAL", 1, 0.2, 1.0),
    ], total=5))


def test_absence_pareto_counts_mapped_reasons_apart_from_the_log(office):
    _same(hambatan.category_pareto(PERIOD, KEPALA, hambatan.ABSENCE, db_path=office), _pareto([
        ("KLIEN_TIDAK_TEPAT_WAKTU", "EKSTERNAL", 14, 14 / 21, 14 / 21),
        ("KLIEN_BEKERJA_LUAR_KOTA", "EKSTERNAL", 2, 2 / 21, 16 / 21),
        ("JARAK_BIAYA_TRANSPORT", "EKSTERNAL", 2, 2 / 21, 18 / 21),
        ("KLIEN_KURANG_SERIUS", "EKSTERNAL", 1, 1 / 21, 19 / 21),
        ("SAKIT", "EKSTERNAL", 1, 1 / 21, 20 / 21),
        ("LAINNYA", "TIDAK_DITENTUKAN", 1, 1 / 21, 1.0),
    ], total=21))


def test_kanwil_pareto_hides_small_categories_last_and_keeps_the_total(office):
    """Category × {previous, now} with totals: only the 10/14 of «tidak tepat waktu» and the totals stay."""
    _same(hambatan.category_pareto(PERIOD, KANWIL, hambatan.ABSENCE, db_path=office), _pareto([
        ("KLIEN_TIDAK_TEPAT_WAKTU", "EKSTERNAL", 14, 14 / 21, 14 / 21),
        ("KLIEN_KURANG_SERIUS", "EKSTERNAL", None, np.nan, np.nan),  # hidden: DATA.md §6 order, no rank
        ("KLIEN_BEKERJA_LUAR_KOTA", "EKSTERNAL", None, np.nan, np.nan),
        ("JARAK_BIAYA_TRANSPORT", "EKSTERNAL", None, np.nan, np.nan),
        ("SAKIT", "EKSTERNAL", None, np.nan, np.nan),
        ("LAINNYA", "TIDAK_DITENTUKAN", None, np.nan, np.nan),
    ], total=21))
    log = hambatan.category_pareto(PERIOD, KANWIL, hambatan.LOG, db_path=office)
    assert log[HIDDEN].all() and log["jumlah"].isna().all() and log["persen_kumulatif"].isna().all()
    assert not hambatan.any_shown(log, KEY)


def test_client_filters_keep_only_log_rows_naming_a_matching_client(office):
    own = Filters(PERIOD.mulai, PERIOD.akhir, pk_nip=(NIP2,))
    _same(hambatan.category_pareto(own, KEPALA, hambatan.LOG, db_path=office),
          _pareto([("KLIEN_KURANG_SERIUS", "EKSTERNAL", 1, 1.0, 1.0)], total=1))


# --- 2. Quarterly trend and where -------------------------------------------------------------------------------

QUARTERS = [D(2024, 10, 1), D(2025, 1, 1), D(2025, 4, 1), D(2025, 7, 1), D(2025, 10, 1), D(2026, 1, 1),
            D(2026, 4, 1), D(2026, 7, 1)]


def _trend(groups: dict, counts: dict) -> pd.DataFrame:
    rows = []
    for quarter in QUARTERS:
        complete = quarter != D(2026, 7, 1)  # data end 22 Sep 2026: the last quarter is not complete
        label = hambatan.quarter_label(quarter) + ("" if complete else "*")
        values = counts.get(quarter, {})
        for key, text in [*groups.items(), ("JUMLAH", "Jumlah")]:
            n = sum(values.values()) if key == "JUMLAH" else values.get(key, 0)
            rows.append({"triwulan": quarter, "label_triwulan": label, "lengkap": complete, "kelompok": key,
                         "label": text, "jumlah": n, HIDDEN: False})
    return _frame(rows, ints=("jumlah",), bools=("lengkap", HIDDEN))


def test_quarterly_trend_per_factor_and_status(office):
    _same(hambatan.quarterly_trend(PERIOD, KEPALA, hambatan.LOG, "faktor", db_path=office), _trend(
        {"INTERNAL": "Internal", "EKSTERNAL": "Eksternal"},
        {D(2026, 1, 1): {"INTERNAL": 1}, D(2026, 4, 1): {"INTERNAL": 1, "EKSTERNAL": 1},
         D(2026, 7, 1): {"INTERNAL": 1, "EKSTERNAL": 4}}))
    _same(hambatan.quarterly_trend(PERIOD, KEPALA, hambatan.LOG, "status", db_path=office), _trend(
        {"TERBUKA": "Terbuka", "DITANGANI": "Sedang ditangani", "SELESAI": "Selesai",
         "TIDAK_DICATAT": "Status tidak dicatat"},
        {D(2026, 1, 1): {"SELESAI": 1}, D(2026, 4, 1): {"SELESAI": 1, "DITANGANI": 1},
         D(2026, 7, 1): {"TERBUKA": 2, "DITANGANI": 1, "SELESAI": 1, "TIDAK_DICATAT": 1}}))
    with pytest.raises(ValueError):
        hambatan.quarterly_trend(PERIOD, KEPALA, hambatan.ABSENCE, "status", db_path=office)


def test_quarterly_trend_of_absence_categories_for_kanwil(office):
    trend = hambatan.quarterly_trend(PERIOD, KANWIL, hambatan.ABSENCE, "kategori", db_path=office)
    last = trend[trend["triwulan"] == D(2026, 7, 1)].set_index("kelompok")
    # stacked largest first over the whole window (ties in DATA.md §6 order)
    assert list(last.index) == ["KLIEN_TIDAK_TEPAT_WAKTU", "KLIEN_KURANG_SERIUS", "JARAK_BIAYA_TRANSPORT",
                                "KLIEN_BEKERJA_LUAR_KOTA", "LAINNYA", "SAKIT", "JUMLAH"]
    assert last.loc["KLIEN_TIDAK_TEPAT_WAKTU", "jumlah"] == 14 and last.loc["JUMLAH", "jumlah"] == 21
    small = last.drop(index=["KLIEN_TIDAK_TEPAT_WAKTU", "JUMLAH"])
    assert small[HIDDEN].all() and small["jumlah"].isna().all()
    empty = trend[trend["triwulan"] < D(2026, 4, 1)]
    assert (empty["jumlah"] == 0).all() and not empty[HIDDEN].any()  # zeros are not hidden


def test_obstacles_per_program_and_partner(office):
    _same(hambatan.obstacles_by(PERIOD, KEPALA, "program", db_path=office), _frame([
        {"kelompok": f"BAPAS-BDL/{k}", "nama": n, "faktor": f, "label_faktor": FACTOR.get(f, "Jumlah"), "jumlah": c,
         HIDDEN: False}
        for k, n, counts in (("P2", "Pelatihan Menjahit Angkatan I 2026", (1, 2, 3)),
                             ("P1", "Pelatihan Las Angkatan I 2026", (1, 0, 1)))
        for f, c in zip(("INTERNAL", "EKSTERNAL", "JUMLAH"), counts)], ints=("jumlah",)))
    # partner directly (row 5) or through the program it runs (rows 1, 3, 7)
    _same(hambatan.obstacles_by(PERIOD, KEPALA, "mitra", db_path=office), _frame([
        {"kelompok": "BAPAS-BDL/M1", "nama": "LPK Maju", "faktor": f, "label_faktor": FACTOR.get(f, "Jumlah"), "jumlah": c,
         HIDDEN: False} for f, c in (("INTERNAL", 2), ("EKSTERNAL", 2), ("JUMLAH", 4))], ints=("jumlah",)))


def test_the_same_program_and_partner_codes_in_two_offices_stay_apart(office, tmp_path):
    """National data: every office may number its programs P1, P2… and name them alike (a crash once)."""
    import shutil
    import duckdb
    from analytics import charts_hambatan
    db = tmp_path / "dua-kantor.duckdb"
    shutil.copy(office, db)
    with duckdb.connect(str(db)) as con:
        for table in ("klien", "program", "mitra", "hambatan"):
            con.execute(f"insert into {table} select * replace ('BAPAS-MTR' as kode_bapas) from {table}")
    both = hambatan.obstacles_by(PERIOD, KEPALA, "program", db_path=db)
    totals = both[both["faktor"] == "JUMLAH"].set_index("kelompok")
    assert sorted(totals.index) == ["BAPAS-BDL/P1", "BAPAS-BDL/P2", "BAPAS-MTR/P1", "BAPAS-MTR/P2"]
    assert totals.loc["BAPAS-MTR/P2", "nama"] == "Pelatihan Menjahit Angkatan I 2026 (BAPAS-MTR)"
    assert list(totals["jumlah"]) == [3, 3, 1, 1]
    charts_hambatan.ranking(both, "uji", "catatan")  # one bar per program run, no ambiguous lookup


# --- 3. Outcomes --------------------------------------------------------------------------------------------------

def test_compliance_of_clients_citing_transport_against_the_others(office):
    _same(hambatan.compliance_by_absence_reason(PERIOD, KEPALA, db_path=office), _frame([
        {"kelompok": "JARAK", "label": hambatan.REPORT_GROUPS["JARAK"], "klien": 1, "wajib": 3, "hadir": 2,
         "tepat_waktu": 1, "kepatuhan": 2 / 3, "tepat_waktu_persen": 1 / 3, HIDDEN: False},
        {"kelompok": "ALASAN_LAIN", "label": hambatan.REPORT_GROUPS["ALASAN_LAIN"], "klien": 2, "wajib": 6,
         "hadir": 3, "tepat_waktu": 3, "kepatuhan": 0.5, "tepat_waktu_persen": 0.5, HIDDEN: False},
        {"kelompok": "TIDAK_ABSEN", "label": hambatan.REPORT_GROUPS["TIDAK_ABSEN"], "klien": 1, "wajib": 3,
         "hadir": 3, "tepat_waktu": 2, "kepatuhan": 1.0, "tepat_waktu_persen": 2 / 3, HIDDEN: False},
    ], ints=("klien", "wajib", "hadir", "tepat_waktu")))
    hidden = hambatan.compliance_by_absence_reason(PERIOD, KANWIL, db_path=office)
    assert hidden[HIDDEN].all() and hidden["klien"].isna().all() and hidden["kepatuhan"].isna().all()
    assert list(hidden["kelompok"]) == ["JARAK", "ALASAN_LAIN", "TIDAK_ABSEN"]


def test_completion_of_programs_with_an_interest_obstacle_against_the_others(office):
    _same(hambatan.completion_by_interest_obstacle(PERIOD, KEPALA, db_path=office), _frame([
        {"kelompok": "ADA_CATATAN", "label": hambatan.PROGRAM_GROUPS["ADA_CATATAN"], "program": 1, "peserta": 2,
         "selesai": 1, "tingkat_penyelesaian": 0.5, HIDDEN: False},
        {"kelompok": "TANPA_CATATAN", "label": hambatan.PROGRAM_GROUPS["TANPA_CATATAN"], "program": 1,
         "peserta": 3, "selesai": 2, "tingkat_penyelesaian": 2 / 3, HIDDEN: False},
    ], ints=("peserta", "selesai")))
    from tests.conftest import query
    assert query(office, "select kode_program, peserta, selesai from v_program_ringkasan order by 1") == [
        ("P1", 2, 1), ("P2", 3, 2)]
    flagged = hambatan.programs_with_interest_obstacle(PERIOD, KEPALA, db_path=office)
    assert flagged[["kode_program", "catatan", "peserta", "selesai"]].to_dict("records") == [
        {"kode_program": "P1", "catatan": 1, "peserta": 2, "selesai": 1}]
    assert hambatan.programs_with_interest_obstacle(PERIOD, KANWIL, db_path=office) is None


# --- 4. What changed ----------------------------------------------------------------------------------------------

def _change(rows, total):
    out = [{"kategori": k, "faktor": f, "label": L[k], "label_singkat": S[k], "label_faktor": FACTOR[f],
            "sebelumnya": pd.NA if b is None else b, "sekarang": pd.NA if n is None else n,
            "selisih": pd.NA if None in (b, n) else n - b, HIDDEN: None in (b, n)} for k, f, b, n in rows]
    b, n = total
    out.append({"kategori": "JUMLAH", "faktor": None, "label": "Jumlah", "label_singkat": "Jumlah",
                "label_faktor": None, "sebelumnya": b, "sekarang": n, "selisih": n - b, HIDDEN: False})
    frame = _frame(out, ints=("sebelumnya", "sekarang", "selisih"))
    frame["perubahan"] = [float(d) / b if not pd.isna(d) and not pd.isna(b) and b > 0 else np.nan
                          for d, b in zip(frame["selisih"], frame["sebelumnya"])]
    return frame


def test_change_against_the_previous_period(office):
    changed = hambatan.category_change(PERIOD, KEPALA, hambatan.LOG, db_path=office)
    _same(changed, _change([
        ("ANGGARAN_TERBATAS", "INTERNAL", 0, 1),
        ("KLIEN_KURANG_SERIUS", "EKSTERNAL", 0, 1),
        ("JARAK_BIAYA_TRANSPORT", "EKSTERNAL", 1, 2),
        ("MITRA_BELUM_BERSERTIFIKAT", "EKSTERNAL", 0, 1),
        ("PROGRAM_TIDAK_SESUAI_MINAT", "INTERNAL", 1, 0),
    ], total=(2, 5)))
    assert list(changed["perubahan"].iloc[[2, 4, 5]]) == [1.0, -1.0, 1.5]
    assert hambatan.total_counts(changed) == (5, 2)


def test_kanwil_change_shares_the_pareto_mask(office):
    changed = hambatan.category_change(PERIOD, KANWIL, hambatan.ABSENCE, db_path=office)
    _same(changed, _change([
        ("KLIEN_TIDAK_TEPAT_WAKTU", "EKSTERNAL", 10, 14),
        ("KLIEN_KURANG_SERIUS", "EKSTERNAL", None, None),
        ("KLIEN_BEKERJA_LUAR_KOTA", "EKSTERNAL", 0, None),
        ("JARAK_BIAYA_TRANSPORT", "EKSTERNAL", None, None),
        ("SAKIT", "EKSTERNAL", 0, None),
        ("LAINNYA", "TIDAK_DITENTUKAN", None, None),
    ], total=(14, 21)))
    pareto = hambatan.category_pareto(PERIOD, KANWIL, hambatan.ABSENCE, db_path=office)
    now = dict(zip(changed["kategori"], changed["sekarang"].isna()))
    assert dict(zip(pareto["kategori"], pareto["jumlah"].isna())) == now


# --- drill-down -----------------------------------------------------------------------------------------------------

def test_log_rows_of_a_category_hide_client_text_from_who_may_not_see_the_name(office):
    rows = hambatan.log_rows(PERIOD, KEPALA, "JARAK_BIAYA_TRANSPORT", db_path=office)
    assert rows.to_dict("records") == [
        {"tanggal": D(2026, 9, 10), "faktor": "Eksternal", "uraian": "Ongkos ke tempat pelatihan mahal",
         "nama_program": "Pelatihan Menjahit Angkatan I 2026", "nama_mitra": "LPK Maju",
         "status": "Status tidak dicatat", "tindak_lanjut": None, "dilaporkan_oleh": None, "menyebut_klien": False},
        {"tanggal": D(2026, 7, 20), "faktor": "Eksternal", "uraian": "Rumah klien Andi jauh", "nama_program": None,
         "nama_mitra": None, "status": "Selesai", "tindak_lanjut": "Wajib lapor daring", "dilaporkan_oleh": None,
         "menyebut_klien": True}]
    for viewer in (ANALIS, Viewer("pk2", "pk", NIP2)):
        masked = hambatan.log_rows(PERIOD, viewer, "JARAK_BIAYA_TRANSPORT", db_path=office)
        assert masked["uraian"].tolist() == ["Ongkos ke tempat pelatihan mahal",
                                             "(menyebut klien; tidak ditampilkan untuk peran Anda)"]
        assert "Andi" not in masked.astype(str).to_numpy().ravel().tolist()
    own = hambatan.log_rows(PERIOD, Viewer("pk1", "pk", NIP1), "JARAK_BIAYA_TRANSPORT", db_path=office)
    assert own["uraian"].tolist()[1] == "Rumah klien Andi jauh"
    with pytest.raises(AccessDenied):
        hambatan.log_rows(PERIOD, KANWIL, "JARAK_BIAYA_TRANSPORT", db_path=office)


def test_clients_behind_a_category(office):
    named = hambatan.clients_in_log(KEPALA, PERIOD, "JARAK_BIAYA_TRANSPORT", db_path=office)
    citing = hambatan.clients_citing(KEPALA, PERIOD, "KLIEN_BEKERJA_LUAR_KOTA", db_path=office)
    assert named[["no_register", "nama"]].to_dict("records") == [{"no_register": "A1", "nama": "Andi"}]
    assert citing[["no_register", "nama"]].to_dict("records") == [{"no_register": "A2", "nama": "Budi"}]
    assert hambatan.categories(PERIOD, db_path=office)[:3] == [
        ("ANGGARAN_TERBATAS", L["ANGGARAN_TERBATAS"], (hambatan.LOG,)),
        ("KLIEN_KURANG_SERIUS", L["KLIEN_KURANG_SERIUS"], (hambatan.LOG, hambatan.ABSENCE)),
        ("KLIEN_TIDAK_TEPAT_WAKTU", L["KLIEN_TIDAK_TEPAT_WAKTU"], (hambatan.ABSENCE,))]
    for fetch in (hambatan.clients_in_log, hambatan.clients_citing):
        with pytest.raises(AccessDenied):
            fetch(KANWIL, PERIOD, "JARAK_BIAYA_TRANSPORT", db_path=office)


# --- the page -------------------------------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def _fresh_caches():
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def _page(role: str, db_path, period: Filters = PERIOD) -> AppTest:
    from analytics.accounts import Account, Store
    from ui import Context
    at = AppTest.from_file("../halaman/hambatan.py", default_timeout=60)
    at.session_state["akun"] = Account(role, role, role, None, None, True)
    at.session_state["_store"] = Store()
    at.session_state["konteks"] = Context(Viewer(role, role), period, "kustom", db_path, D(2026, 9, 22), "uji", False)
    return at.run()


def _chart_titles(at) -> list[str]:
    import json
    return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]


def _all_text(at) -> str:
    parts = [e.value for kind in ("markdown", "caption", "info", "header", "title") for e in getattr(at, kind)]
    parts += [str(e.label) for e in at.expander]
    return "\n".join(map(str, parts))


def test_page_for_kepala_shows_every_figure_and_the_drill_down(office):
    at = _page("kepala", office)
    assert not at.exception and not at.error
    assert [h.value for h in at.header] == ["Hambatan terbanyak", "Tren per triwulan", "Hambatan dan hasil",
                                            "Apa yang berubah", "Rincian per kategori"]
    assert _chart_titles(at) == [
        "Log hambatan: kategori terbanyak, Jul–Sep 2026", "Alasan ketidakhadiran: kategori terbanyak, Jul–Sep 2026",
        "Log hambatan per triwulan, menurut faktor",
        "Log hambatan per triwulan: terbuka, sedang ditangani, selesai",
        "Catatan log hambatan per program, TW IV 2024 s.d. September 2026",
        "Catatan log hambatan per mitra, TW IV 2024 s.d. September 2026",
        "Alasan ketidakhadiran per triwulan, menurut kategori",
        "Kepatuhan wajib lapor menurut alasan ketidakhadiran klien",
        "Tingkat penyelesaian program, dengan dan tanpa catatan «tidak sesuai minat»",
        "Log hambatan: perubahan per kategori", "Alasan ketidakhadiran: perubahan per kategori"]
    assert [m.value for m in at.metric] == ["5", "21"]
    assert at.selectbox(key="hambatan_kategori").value == "KLIEN_KURANG_SERIUS"  # the first in both sources
    tables = [frame.value for frame in at.dataframe]
    log = next(t for t in tables if "Uraian" in t)
    assert log["Uraian"].tolist() == ["Klien Dedi malas datang"]
    names = {n for t in tables if "Nama" in t for n in t["Nama"]}
    assert names == {"Dedi"}  # named in the log row, and citing «lupa» in attendance
    assert "<10" not in _all_text(at)


def test_page_for_kanwil_shows_aggregates_only_with_small_numbers_hidden(office):
    at = _page("kanwil", office)
    assert not at.exception and not at.error
    titles = _chart_titles(at)
    assert "Alasan ketidakhadiran: kategori terbanyak, Jul–Sep 2026" in titles
    assert "Log hambatan: kategori terbanyak, Jul–Sep 2026" not in titles  # every log count is small
    text = _all_text(at)
    assert "Log hambatan, Jul–Sep 2026: jumlah catatan disembunyikan" in text
    assert "aturan bilangan kecil" in text and "tidak tersedia untuk peran Anda" in text
    assert not at.dataframe and not at.expander
    assert [m.value for m in at.metric] == ["<10", "21"]
    for name in ("Andi", "Budi", "Citra", "Dedi", "A1", "A4"):
        assert name not in text
    import json
    spec = next(json.loads(c.proto.spec) for c in at.get("plotly_chart")
                if json.loads(c.proto.spec)["layout"]["title"]["text"].startswith("Alasan ketidakhadiran: kategori"))
    bars = [t for t in spec["data"] if t["type"] == "bar"]
    assert [(t["x"], t["text"]) for t in bars] == [(["Klien tidak<br>tepat waktu"], ["14"])]


def test_page_says_so_when_the_period_has_no_obstacles(office):
    at = _page("kepala", office, Filters(D(2025, 1, 1), D(2025, 3, 31)))
    assert not at.exception
    assert [i.value for i in at.info] == [
        "Tidak ada hambatan tercatat pada Jan–Mar 2025 — baik di log hambatan maupun pada alasan "
        "ketidakhadiran. Pilih periode atau saringan lain di samping."]
    assert not at.get("plotly_chart") and not at.header and not at.metric


def test_ranking_chart_keeps_long_names_that_share_a_beginning_apart():
    import pandas as pd
    from analytics import charts_hambatan
    a = "Pelatihan Pangkas Rambut Kerja Sama Balai Latihan Kerja Angkatan I 2024"
    b = "Pelatihan Pangkas Rambut Kerja Sama Balai Latihan Kerja Angkatan II 2024"
    frame = pd.DataFrame({"nama": [a, a, b, b], "faktor": ["INTERNAL", charts_hambatan.TOTAL_KEY] * 2,
                          "label_faktor": ["Internal", "Jumlah"] * 2, "jumlah": [2, 2, 3, 3]})
    figure = charts_hambatan.ranking(frame, "judul", "catatan")
    labels = [y for trace in figure.data if trace.type == "bar" for y in trace.y]
    assert len(set(labels)) == 2
