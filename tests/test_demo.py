"""The demo generator (DATA.md §8): office layout, load report, profile and the planted relations."""
from __future__ import annotations

import datetime as dt
import re

import duckdb
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from python_calamine import CalamineWorkbook

from etl import demo
from etl.demo_xlsx import write_office_workbooks

pytestmark = pytest.mark.slow  # builds and loads the full bapas demo once (≈25 s)

AS_OF = dt.date(2026, 10, 31)
SEED = 2026


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The default bapas demo, written and loaded once with the real loader."""
    root = tmp_path_factory.mktemp("demo")
    messages = []
    result = demo.build_demo(root / "demo.duckdb", root / "files", seed=SEED, as_of=AS_OF,
                             progress=lambda message, fraction: messages.append((message, fraction)))
    return {"result": result, "db": root / "demo.duckdb", "files": root / "files", "messages": messages}


@pytest.fixture(scope="module")
def con(built):
    connection = duckdb.connect(str(built["db"]), read_only=True)
    yield connection
    connection.close()


def one(con, sql: str):
    return con.execute(sql).fetchall()[0]


def rows_of(path, sheet):
    book = CalamineWorkbook.from_path(str(path))
    s = book.get_sheet_by_name(sheet)
    return s.to_python(skip_empty_area=False), list(s.merged_cell_ranges or [])


# ------------------------------------------------------------------------------------------- files
def test_workbooks_and_sheets(built):
    names = {p.name: p for p in built["files"].iterdir()}
    assert set(names) == {"Data Klien.xlsx", "Kehadiran.xlsx", "Mitra Pokmas Lipas.xlsx",
                          "Realisasi Anggaran.xlsx", "Hambatan Program.xlsx"}
    sheets = {n: CalamineWorkbook.from_path(str(p)).sheet_names for n, p in names.items()}
    years = [str(y) for y in range(2021, 2027)]
    assert sheets == {"Data Klien.xlsx": ["Data Klien"], "Kehadiran.xlsx": years,
                      "Mitra Pokmas Lipas.xlsx": ["Mitra", "Program"],
                      "Realisasi Anggaran.xlsx": [f"TA {y}" for y in years], "Hambatan Program.xlsx": ["Hambatan"]}
    assert built["messages"][-1] == ("Data demo selesai dibuat", 1.0)
    fractions = [f for _, f in built["messages"]]
    assert fractions == sorted(fractions)


def test_klien_sheet_is_laid_out_as_an_office_keeps_it(built):
    rows, merged = rows_of(built["files"] / "Data Klien.xlsx", "Data Klien")
    width = len(rows[4])
    assert [r[0] for r in rows[:3]] == ["DATA KLIEN PEMASYARAKATAN", "BAPAS KELAS II BANDAR LAMPUNG",
                                        "Keadaan s.d. 31 Oktober 2026"]
    assert {((r, 0), (r, width - 1)) for r in range(3)} <= set(merged)
    assert all(v == "" for v in rows[3])
    upper, lower = rows[4], rows[5]
    t = upper.index("Tanggal")
    assert ((4, t), (4, t + 1)) in merged and lower[t:t + 2] == ["Mulai Bimbingan", "Akhir Bimbingan"]
    pk = upper.index("Pembimbing Kemasyarakatan")
    assert ((4, pk), (4, pk + 1)) in merged and lower[pk:pk + 2] == ["Nama PK", "NIP PK"]
    reg = upper.index("No. Register")
    assert ((4, reg), (5, reg)) in merged and lower[reg] == ""
    assert upper[0] == "No." and rows[6] == [f"({i + 1})" for i in range(width)]
    assert rows[7][0] == 1.0 and rows[8][0] == 2.0
    blank_inside = [i for i in range(7, len(rows) - 8) if all(v == "" for v in rows[i])]
    assert 1 <= len(blank_inside) <= 5
    tail = [[v for v in r if v != ""] for r in rows[-6:]]
    assert tail[0] == ["Bandar Lampung, 31 Oktober 2026"]
    assert tail[1] == ["Kepala Bapas Kelas II Bandar Lampung"]
    assert re.fullmatch(r"NIP\. 19\d{16}", tail[-1][0])
    assert all(len(r) <= 2 for r in tail)


def test_values_are_typed_the_way_people_type_them(built):
    rows, _ = rows_of(built["files"] / "Data Klien.xlsx", "Data Klien")
    header = [lower or upper for upper, lower in zip(rows[4], rows[5])]
    data = [r for r in rows[7:-8] if r[0] != ""]
    col = {name: header.index(name) for name in ("Mulai Bimbingan", "NIP PK", "Kecamatan", "NIK", "Lama Pidana")}
    starts = [r[col["Mulai Bimbingan"]] for r in data]
    assert sum(isinstance(v, dt.date) for v in starts) > 0.8 * len(data)
    assert any(isinstance(v, str) and re.search(r"[A-Za-z]", v) for v in starts)
    nips = [r[col["NIP PK"]] for r in data]
    assert any(isinstance(v, str) and re.fullmatch(r"\d{8} \d{6} \d \d{3}", v) for v in nips)
    assert {"Telukbetung Utara", "Tanjungkarang Pusat", "Sukarami"} <= {r[col["Kecamatan"]] for r in data}
    niks = [r[col["NIK"]] for r in data]
    assert all(v == "" or (isinstance(v, str) and re.fullmatch(r"\d{16}", v)) for v in niks)
    assert 0 < niks.count("") < 0.06 * len(data)
    assert any(isinstance(v, str) and "tahun" in v for v in (r[col["Lama Pidana"]] for r in data))
    budget, _ = rows_of(built["files"] / "Realisasi Anggaran.xlsx", "TA 2024")
    filled = [r for r in budget if any(v != "" for v in r)]
    assert filled[-5][0] == "JUMLAH"
    assert any(isinstance(v, str) and v.startswith("Rp") for r in budget for v in r)


# ------------------------------------------------------------------------------------------- load
def test_every_file_loads_and_only_the_planted_rows_are_rejected(built):
    files = built["result"]["files"]
    assert files and all(f["status"] == "loaded" for f in files)
    assert all(f["rows_read"] == f["rows_loaded"] + f["rows_rejected"] for f in files)
    rejected = {(f["file"], f["sheet"], e["row"]) for f in files for e in f["errors"]}
    planted = {(b["file"], b["sheet"], b["row"]) for b in built["result"]["summary"]["bad_rows"]}
    assert len(planted) == 10
    assert rejected == planted
    assert sum(f["rows_rejected"] for f in files) == 10
    warned = [w["message"] for f in files for w in f["warnings"]]
    assert sum("melebihi pagu" in m for m in warned) == 1


def test_loaded_counts_match_the_generated_tables(built, con):
    counts = built["result"]["summary"]["counts"]
    for table, n in counts.items():
        assert one(con, f"select count(*) from {table}")[0] == n, table
    assert counts["klien"] == 5500 and counts["mitra"] == 25 and 55 <= counts["program"] <= 65


# ----------------------------------------------------------------------------------------- profile
ACTIVE_ON = """select count(*) from klien where tanggal_mulai_bimbingan <= date '{d}'
    and (case when status <> 'AKTIF' then tanggal_status else tanggal_akhir_bimbingan end) >= date '{d}'"""


@pytest.mark.parametrize("day", ["2021-03-31", "2022-06-30", "2023-09-30", "2025-01-31", "2026-10-31"])
def test_about_1500_clients_are_active_at_any_time(con, day):
    assert 1300 <= one(con, ACTIVE_ON.format(d=day))[0] <= 1650


def test_programme_and_offence_mix(con):
    pb, cb, asim, anak = one(con, """select avg((program_integrasi = 'PB')::int), avg((program_integrasi = 'CB')::int),
        avg((program_integrasi = 'ASIMILASI')::int), avg((umur_saat_mulai < 18)::int) from klien""")
    assert 0.65 <= pb <= 0.78 and 0.06 <= cb <= 0.13 and 0.11 <= asim <= 0.19 and 0.02 <= anak <= 0.05
    asim_2021, asim_later = one(con, """
        select avg((program_integrasi = 'ASIMILASI')::int) filter (where year(tanggal_mulai_bimbingan) = 2021),
               avg((program_integrasi = 'ASIMILASI')::int) filter (where year(tanggal_mulai_bimbingan) >= 2022)
        from klien""")
    assert asim_2021 > 0.3 > 0.12 > asim_later
    assert one(con, """select count(*) from klien
                     where program_integrasi = 'ASIMILASI' and dasar_hukum like 'Permenkumham %/2020'""")[0] > 100
    top = con.execute("""select kategori_pidana, count(*) / sum(count(*)) over () from klien
                         group by 1 order by 2 desc""").fetchall()
    assert [k for k, _ in top[:4]] == ["Narkotika", "Pencurian", "Kesusilaan/Perlindungan Anak", "Penipuan/Penggelapan"]
    assert 0.45 <= top[0][1] <= 0.58
    assert 35 <= one(con, "select count(distinct pk_nip) from klien")[0] <= 45


def test_attendance_schedule_gives_about_44_rows_per_case(con):
    assert 42 <= one(con, "select (select count(*) from kehadiran) / (select count(*) from klien)")[0] <= 46
    # wajib lapor: twice a month in the first three months of guidance, then monthly
    per_month = dict(con.execute("""
        with wl as (select no_register, date_diff('month', date_trunc('month', tanggal_mulai_bimbingan),
                                                  date_trunc('month', tanggal)) as m
                    from kehadiran join klien using (no_register)
                    where jenis_kegiatan = 'WAJIB_LAPOR' and tanggal_mulai_bimbingan >= date '2021-02-01')
        select m, count(*) / count(distinct no_register) from wl where m between 1 and 4 group by 1""").fetchall())
    assert per_month[1] > 1.9 and per_month[2] > 1.9 and per_month[3] == per_month[4] == 1.0
    # group counselling: both Thursdays for RRI Tinggi, one for the others
    kep = dict(con.execute("""
        select kategori_rri = 'Tinggi', count(*) / count(distinct (no_register, date_trunc('month', tanggal)))
        from kehadiran join klien using (no_register)
        where jenis_kegiatan = 'BIMBINGAN_KEPRIBADIAN' and kode_program is null group by 1""").fetchall())
    assert kep[True] > 1.9 and kep[False] == 1.0
    # weekly pengajian: Wednesdays, Muslim clients, the first six months, more often for narcotics cases
    rows, wednesdays, muslim, last_day = one(con, """
        select count(*), bool_and(dayofweek(tanggal) = 3), bool_and(agama = 'Islam'),
               max(tanggal - tanggal_mulai_bimbingan)
        from kehadiran join klien using (no_register)
        where jenis_kegiatan = 'BIMBINGAN_KEAGAMAAN' and kode_program is null""")
    assert rows > 25_000 and wednesdays and muslim and last_day <= 182
    referred = dict(con.execute("""
        select kategori_pidana = 'Narkotika', avg((no_register in (
                   select no_register from kehadiran
                   where jenis_kegiatan = 'BIMBINGAN_KEAGAMAAN' and kode_program is null))::int)
        from klien where agama = 'Islam' and tanggal_mulai_bimbingan between date '2021-01-01' and date '2026-06-01'
        group by 1""").fetchall())
    assert 0.45 <= referred[True] <= 0.65 and 0.18 <= referred[False] <= 0.32


def test_revocations_are_one_to_three_percent_a_year(con):
    per_year = con.execute("""
        with y as (select unnest(range(2021, 2027)) as y)
        select y, (select count(*) from klien where status = 'DICABUT' and year(tanggal_status) = y),
               (select count(*) from klien where year(tanggal_mulai_bimbingan) <= y
                  and year(case when status <> 'AKTIF' then tanggal_status else tanggal_akhir_bimbingan end) >= y)
        from y order by y""").fetchall()
    for year, revoked, under_guidance in per_year:
        assert 0.01 <= revoked / under_guidance <= 0.03, year


def test_partners_budget_and_obstacles(con):
    ending = f"select count(*) from mitra where berlaku_sampai between date '{AS_OF}' and date '{AS_OF}' + 60"
    assert one(con, ending)[0] >= 3
    assert one(con, "select count(*) from mitra where not status_aktif")[0] == 2
    assert one(con, "select count(distinct jenis_mitra) from mitra")[0] >= 6
    over = "select count(distinct (tahun_anggaran, kode_akun, kode_program)) from anggaran where melebihi_pagu"
    assert one(con, over)[0] == 1
    assert one(con, "select count(*) from anggaran where bulan is null and kode_program is not null")[0] > 20
    counts = dict(con.execute("select kategori, count(*) from hambatan group by 1").fetchall())
    thesis = {"ANGGARAN_TERBATAS", "PROGRAM_TIDAK_SESUAI_MINAT", "KLIEN_KURANG_SERIUS", "KLIEN_TIDAK_TEPAT_WAKTU",
              "KELUARGA_TIDAK_MENDUKUNG", "JARAK_BIAYA_TRANSPORT", "MITRA_BELUM_BERSERTIFIKAT", "MITRA_TERBATAS"}
    assert min(counts[k] for k in thesis) > max(v for k, v in counts.items() if k not in thesis)
    assert sum(counts[k] for k in thesis) >= 0.8 * sum(counts.values())


# ----------------------------------------------------------------------------------- relations
def rate(con, sql: str) -> dict:
    """{group: re-offending rate} from a query returning (group, residivis rate)."""
    return dict(con.execute(sql).fetchall())


def test_two_consecutive_missed_reports_raise_reoffending(con):
    rates = rate(con, """
        with wl as (select no_register, tanggal, status_hadir = 'TIDAK_HADIR' as miss,
                           row_number() over (partition by no_register order by tanggal)
                         - row_number() over (partition by no_register, status_hadir = 'TIDAK_HADIR'
                                              order by tanggal) as run
                    from kehadiran where jenis_kegiatan = 'WAJIB_LAPOR'),
             streak as (select no_register, max(n) as longest
                        from (select no_register, run, count(*) as n from wl where miss group by all) group by 1)
        select coalesce(longest, 0) >= 2, avg(residivis::int)
        from klien left join streak using (no_register) group by 1""")
    assert rates[True] > 2 * rates[False]


def test_far_kecamatan_report_less_and_name_transport(con):
    rows = {far: (present, transport) for far, present, transport in con.execute("""
        select kabupaten_kota <> 'Bandar Lampung',
               avg((status_hadir in ('HADIR', 'TERLAMBAT'))::int),
               avg((kategori_hambatan = 'JARAK_BIAYA_TRANSPORT')::int) filter (where status_hadir <> 'HADIR')
        from kehadiran join klien using (no_register) where jenis_kegiatan = 'WAJIB_LAPOR' group by 1""").fetchall()}
    assert rows[True][0] < rows[False][0] - 0.05
    assert rows[True][1] > 5 * rows[False][1]
    assert set(one(con, "select list(distinct kabupaten_kota order by kabupaten_kota) from klien")[0]) == {
        "Bandar Lampung", "Lampung Selatan", "Pesawaran"}
    assert one(con, "select count(distinct kecamatan) from klien where kabupaten_kota = 'Bandar Lampung'")[0] == 20


COMPLETION = """
    with sessions as (select kode_program, count(distinct tanggal) as n from kehadiran
                      where kode_program is not null group by 1),
         attended as (select kode_program, no_register,
                             count(*) filter (where status_hadir in ('HADIR', 'TERLAMBAT')) as n
                      from kehadiran where kode_program is not null group by all),
         done as (select a.kode_program, a.no_register, a.n >= 0.75 * s.n as completed
                  from attended a join sessions s using (kode_program))
"""


def test_runs_against_interest_complete_less(con):
    rates = rate(con, COMPLETION + """
        select kode_program in (select kode_program from hambatan
                                where kategori = 'PROGRAM_TIDAK_SESUAI_MINAT' and kode_program is not null),
               avg(completed::int)
        from done group by 1""")
    assert rates[True] < rates[False] - 0.3


def test_trained_and_employed_clients_reoffend_less(con):
    trained = rate(con, COMPLETION + """,
         trained as (select distinct no_register from done join program using (kode_program)
                     where completed and kategori in ('PELATIHAN_KERJA', 'BIMBINGAN_KEMANDIRIAN'))
        select no_register in (select no_register from trained), avg(residivis::int) from klien group by 1""")
    assert trained[True] < 0.5 * trained[False]
    employed = rate(con, """select status_pekerjaan in ('BEKERJA', 'USAHA_MANDIRI'), avg(residivis::int)
                            from klien group by 1""")
    assert employed[True] < 0.5 * employed[False]
    placed = one(con, """select count(*) from klien k join mitra m on m.kode_mitra = k.kode_mitra_penyalur
                         where k.status_pekerjaan = 'BEKERJA'""")[0]
    assert placed >= 50


def test_younger_more_priors_and_high_risk_reoffend_more(con):
    young = rate(con, "select umur_saat_mulai < 25, avg(residivis::int) from klien group by 1")
    assert young[True] > 1.4 * young[False]
    priors = rate(con, "select least(jumlah_pidana_sebelumnya, 2), avg(residivis::int) from klien group by 1")
    assert priors[0] < priors[1] < priors[2]
    rri = rate(con, "select kategori_rri, avg(residivis::int) from klien group by 1")
    assert rri["Rendah"] < rri["Sedang"] < rri["Tinggi"]
    assert 0.07 <= one(con, "select avg(residivis::int) from klien")[0] <= 0.14
    before_start = "select count(*) from klien where residivis and tanggal_residivis <= tanggal_mulai_bimbingan"
    assert one(con, before_start)[0] == 0


# -------------------------------------------------------------------------------- determinism
def test_same_seed_gives_the_same_data_and_files(tmp_path):
    first = demo.office_data(7, AS_OF, n_cases=600)
    second = demo.office_data(7, AS_OF, n_cases=600)
    for name, frame in first.tables().items():
        pd.testing.assert_frame_equal(frame, second.tables()[name], check_exact=True)
    other = demo.office_data(8, AS_OF, n_cases=600)
    assert not first.klien.equals(other.klien)
    paths_a, bad_a = write_office_workbooks(first, tmp_path / "a", np.random.default_rng(1))
    paths_b, bad_b = write_office_workbooks(second, tmp_path / "b", np.random.default_rng(1))
    assert bad_a == bad_b
    assert [p.read_bytes() for p in paths_a] == [p.read_bytes() for p in paths_b]


def test_default_as_of_is_the_end_of_the_previous_month():
    assert demo.default_as_of(dt.date(2026, 11, 28)) == dt.date(2026, 10, 31)
    assert demo.default_as_of(dt.date(2027, 1, 1)) == dt.date(2026, 12, 31)


# ----------------------------------------------------------------------------------- national
def test_national_scale_writes_typed_parquet_per_office_and_loads(tmp_path):
    result = demo.build_demo(tmp_path / "nasional.duckdb", tmp_path, seed=SEED, scale="national", as_of=AS_OF,
                             n_offices=2, n_cases=300)
    for table, types in demo.PARQUET_TYPES.items():
        for kode in ("BAPAS-BDL", "BAPAS-MTR"):
            schema = pq.read_schema(tmp_path / "national" / table / f"{kode}.parquet")
            assert schema.names == ["kode_bapas", *types], (table, kode)
            assert [schema.field(n).type for n in types] == list(types.values())
    assert {f["status"] for f in result["files"]} == {"loaded"}
    assert sum(f["rows_rejected"] for f in result["files"]) == 0
    with duckdb.connect(str(tmp_path / "nasional.duckdb"), read_only=True) as c:
        assert c.execute("select list(distinct kode_bapas order by kode_bapas) from klien").fetchall()[0][0] == [
            "BAPAS-BDL", "BAPAS-MTR"]
        assert c.execute("select count(*) from kehadiran").fetchall()[0][0] == result["summary"]["counts"]["kehadiran"]


def test_unknown_scale_is_refused(tmp_path):
    with pytest.raises(ValueError):
        demo.build_demo(tmp_path / "x.duckdb", tmp_path, scale="provinsi", as_of=AS_OF)
