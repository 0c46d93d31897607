"""Jelajah Data: the curated catalogue as each role sees it, the explorer against hand-written SQL on the demo
database, its URL form and charts, and the page under AppTest (pseudonyms only for analis, absent for kanwil/pk)."""
import datetime as dt
import hashlib
import json
import re
import sqlite3

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics import filters as frame_filters, jelajah as jl, sandbox as sb
from analytics.filters import Filters
from analytics.viewer import PAGES, AccessDenied, Viewer
from tests.conftest import query

D = dt.date
KEY = "ab" * 32
KEPALA = Viewer("kepala", "kepala", None, KEY)
ANALIS = Viewer("analis", "analis", None, KEY)
OTHERS = [Viewer("kanwil", "kanwil", None, KEY), Viewer("pk", "pk", "198001012005011001", KEY),
          Viewer("operator", "operator", None, KEY)]
E = jl.Exploration


def _records(frame: pd.DataFrame) -> list[tuple]:
    """Rows as plain tuples (dates as dates, NaN/<NA> as None, floats rounded for comparison)."""
    def plain(v):
        if v is None or (not isinstance(v, (list, tuple)) and pd.isna(v)):
            return None
        if isinstance(v, pd.Timestamp):
            return v.date()
        if hasattr(v, "item"):
            v = v.item()
        return round(v, 9) if isinstance(v, float) else v
    return [tuple(plain(v) for v in row) for row in frame.itertuples(index=False)]


def _rounded(rows: list[tuple]) -> list[tuple]:
    return [tuple(round(float(v), 9) if isinstance(v, float) or type(v).__name__ == "Decimal" else v for v in row)
            for row in rows]


def _pseudonym(kode_bapas: str, no_register: str) -> str:
    """The pseudonym formula, written out independently of analytics.viewer."""
    return "K-" + hashlib.sha256(f"{KEY}|{kode_bapas}|{no_register}".encode()).hexdigest()[:10].upper()


@pytest.fixture(scope="module")
def personal(demo_db) -> set[str]:
    """Client names, NIK and register numbers of the base table.

    PK names are staff and may be shown, so a client name that is also part of a PK's name ("Novi" beside the PK
    "Novi Wati, S.Sos.") cannot be told apart and is left out.
    """
    rows = query(demo_db, "select nama, nik, no_register from klien")
    staff = " | ".join(r[0] for r in query(demo_db, "select distinct pk_nama from klien where pk_nama is not null"))
    names = {r[0] for r in rows if r[0] and not _words(r[0]).search(staff)}
    assert len(names) > 0.9 * len(rows)
    return names | {r[1] for r in rows if r[1]} | {r[2] for r in rows}


def _words(*texts: str) -> re.Pattern:
    """Any of the texts as whole words."""
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(t) for t in sorted(texts, key=len, reverse=True)) + r")(?!\w)")


def _leaks(personal: set[str], text: str) -> list[str]:
    return _words(*personal).findall(text)


# --- the catalogue ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("viewer", [KEPALA, ANALIS], ids=["kepala", "analis"])
def test_each_dataset_has_the_columns_it_declares(demo_db, viewer):
    from analytics import db
    for name, data in jl.DATASETS.items():
        sql, params = jl.dataset_sql(name, viewer)
        frame = db.frame(sql, params, demo_db)
        assert list(frame.columns) == [c.name for c in jl.columns(name, viewer)], name
        assert len(frame) > 0, name
        assert data.grain.startswith("Satu baris per") and data.description
        assert all(c.label and c.description and c.kind in jl.KIND_LABELS for c in jl.columns(name, viewer))
        numeric = {c.name for c in data.columns if c.kind in (jl.NUMBER, jl.MONEY)}
        assert all({r.numerator, r.denominator} <= numeric for r in data.ratios), name


def test_analis_sees_pseudonyms_and_never_names_nik_or_register(demo_db, personal):
    from analytics import db
    for name in jl.DATASETS:
        sql, params = jl.dataset_sql(name, ANALIS)
        frame = db.frame(sql, params, demo_db)
        assert not {"nama", "nik", "no_register", "tanggal_lahir"} & set(frame.columns), name
        text = {str(v) for v in frame.select_dtypes(exclude="number").to_numpy().ravel()}
        assert not text & personal, name
        assert not _leaks(personal, "\n".join(text)), name
        if jl.DATASETS[name].person:
            shown = frame["pseudonim"].dropna()
            assert len(shown) and shown.str.fullmatch(r"K-[0-9A-F]{10}").all(), name


def test_pseudonyms_are_the_same_for_kepala_and_analis_and_follow_the_formula(demo_db):
    from analytics import db
    kepala = db.frame(*jl.dataset_sql("klien", KEPALA), demo_db)
    analis = db.frame(*jl.dataset_sql("klien", ANALIS), demo_db)
    assert list(kepala.columns[:4]) == ["kode_bapas", "no_register", "nama", "pseudonim"]
    expected = [_pseudonym(b, r) for b, r in zip(kepala["kode_bapas"], kepala["no_register"])]
    assert kepala["pseudonim"].tolist() == expected
    assert sorted(analis["pseudonim"]) == sorted(expected)
    assert "nik" not in kepala.columns  # NIK is not needed for analysis, not even by kepala


@pytest.mark.parametrize("viewer", OTHERS, ids=[v.role for v in OTHERS])
def test_other_roles_are_refused_where_data_are_read(demo_db, viewer):
    assert not jl.allowed(viewer)
    with pytest.raises(AccessDenied, match="Kepala Bapas dan Analis"):
        jl.dataset_sql("klien", viewer)
    with pytest.raises(AccessDenied):
        jl.explore(E("program"), viewer, demo_db)
    with pytest.raises(AccessDenied):
        jl.options("program", "kategori", viewer, demo_db)
    with pytest.raises(AccessDenied):
        sb.run("select 1", viewer, demo_db)
    assert "jelajah" not in PAGES[viewer.role]


# --- the explorer against hand-written SQL ---------------------------------------------------------------------

@pytest.mark.parametrize("viewer", [KEPALA, ANALIS], ids=["kepala", "analis"])
def test_clients_by_programme_and_year(demo_db, viewer):
    spec = E("klien",
             filters=(("kategori_pidana", ("Narkotika", "Pencurian")),
                      ("tanggal_mulai_bimbingan", (D(2022, 1, 1), D(2024, 12, 31))),
                      ("umur_saat_mulai", (18, 30))),
             by=("program_integrasi", "tanggal_mulai_bimbingan:tahun"),
             measures=("baris", "klien", "bagian:residivis", "rata:umur_saat_mulai", "jumlah:penghasilan_bulanan"))
    expected = query(demo_db, """
        select program_integrasi, make_date(year(tanggal_mulai_bimbingan), 1, 1), count(*),
               count(distinct no_register),
               avg(case when residivis then 1.0 when not residivis then 0.0 end),
               avg(umur_saat_mulai), sum(penghasilan_bulanan)
        from klien
        where kategori_pidana in ('Narkotika', 'Pencurian')
          and tanggal_mulai_bimbingan between '2022-01-01' and '2024-12-31'
          and umur_saat_mulai between 18 and 30
        group by 1, 2 order by 1, 2""")
    frame = jl.explore(spec, viewer, demo_db)
    assert list(frame.columns) == [*spec.by, *spec.measures]
    assert _records(frame) == _rounded(expected)
    assert len(expected) >= 6 and not frame.attrs["terpotong"]


def test_monthly_attendance_agrees_with_the_metric_views(demo_db):
    spec = E("kehadiran_bulanan", filters=(("bulan", (D(2026, 5, 1), D(2026, 10, 1))),), by=("bulan:bulan",),
             measures=("baris", "klien", "bagian:ikut_kegiatan", "rasio:kepatuhan_wajib_lapor"))
    participation = query(demo_db, """
        select bulan, count(*), count(distinct no_register), avg(ikut_program::int)
        from v_partisipasi_bulanan where bulan between '2026-05-01' and '2026-10-01' group by 1 order by 1""")
    compliance = query(demo_db, """
        select b.bulan, count(*) filter (where h.status_hadir in ('HADIR', 'TERLAMBAT')) / count(*)
        from kehadiran h
        join v_klien_bulan b on b.kode_bapas = h.kode_bapas and b.no_register = h.no_register
                            and b.bulan = date_trunc('month', h.tanggal)
        where h.jenis_kegiatan = 'WAJIB_LAPOR' and h.tanggal between '2026-05-01' and '2026-10-31'
        group by 1 order by 1""")
    expected = [(*p, c[1]) for p, c in zip(participation, compliance, strict=True)]
    assert _records(jl.explore(spec, ANALIS, demo_db)) == _rounded(expected)
    assert len(expected) == 6


def test_budget_absorption_by_year_and_account(demo_db):
    spec = E("anggaran", filters=(("tahun_anggaran", ("2025", "2026")),), by=("tahun_anggaran", "kode_akun"),
             measures=("jumlah:pagu", "jumlah:realisasi", "rasio:serapan"))
    expected = query(demo_db, """
        select tahun_anggaran, kode_akun, sum(pagu)::double, sum(realisasi)::double,
               sum(realisasi)::double / nullif(sum(pagu), 0)
        from anggaran where tahun_anggaran in (2025, 2026) group by 1, 2 order by 1, 2""")
    assert _records(jl.explore(spec, KEPALA, demo_db)) == _rounded(expected)


def test_obstacles_with_an_empty_value_chosen(demo_db):
    spec = E("hambatan", filters=(("faktor", ("EKSTERNAL", None)), ("tanggal", (D(2025, 1, 1), None))),
             by=("sumber_data", "tanggal:triwulan"), measures=("baris", "klien"))
    expected = query(demo_db, """
        select sumber_data, date_trunc('quarter', tanggal)::date, count(*), count(distinct no_register)
        from v_hambatan_rinci
        where (faktor = 'EKSTERNAL' or faktor is null) and tanggal >= '2025-01-01'
        group by 1, 2 order by 1, 2""")
    assert _records(jl.explore(spec, ANALIS, demo_db)) == _rounded(expected)
    assert {row[0] for row in expected} == {"Alasan ketidakhadiran", "Log hambatan"}


def test_programme_runs_and_participants(demo_db):
    runs = E("program", filters=(("bersertifikat", ("true",)),), by=("kategori",),
             measures=("jumlah:peserta", "rasio:penyelesaian", "rata:tingkat_penyelesaian"))
    expected = query(demo_db, """
        select r.kategori, sum(r.peserta)::double, sum(r.selesai) / nullif(sum(r.peserta), 0),
               avg(r.tingkat_penyelesaian)
        from v_program_ringkasan r join program p using (kode_bapas, kode_program)
        where p.bersertifikat group by 1 order by 1""")
    assert _records(jl.explore(runs, KEPALA, demo_db)) == _rounded(expected)
    people = E("peserta_program", by=("selesai",), measures=("klien", "bagian:sejahtera"))
    expected = query(demo_db, """
        select c.selesai, count(distinct c.no_register),
               avg(case when k.status_pekerjaan in ('BEKERJA', 'USAHA_MANDIRI') then 1.0
                        when k.status_pekerjaan is not null then 0.0 end)
        from v_penyelesaian_program c join klien k using (kode_bapas, no_register)
        group by 1 order by 1 nulls last""")
    assert _records(jl.explore(people, ANALIS, demo_db)) == _rounded(expected)


def test_partners_without_dimensions(demo_db):
    spec = E("mitra", filters=(("kapasitas_per_angkatan", (None, 20)),),
             measures=("baris", "jumlah:klien_disalurkan", "bagian:bersertifikat"))
    expected = query(demo_db, """
        select count(*), sum((select count(*) from klien k where k.kode_bapas = m.kode_bapas
                                                       and k.kode_mitra_penyalur = m.kode_mitra))::double,
               avg(bersertifikat::int)
        from mitra m where kapasitas_per_angkatan <= 20""")
    assert _records(jl.explore(spec, KEPALA, demo_db)) == _rounded(expected)
    assert expected[0][0] > 0


def test_every_measure_and_dimension_of_every_dataset_runs(demo_db):
    for name in jl.DATASETS:
        dims = list(jl.dimensions(name))
        for viewer in (KEPALA, ANALIS):
            spec = E(name, by=(dims[1],), measures=tuple(jl.measures(name, viewer)))
            frame = jl.explore(spec, viewer, demo_db)
            assert list(frame.columns) == [dims[1], *spec.measures] and len(frame), name
            assert list(jl.table(frame, spec, viewer).columns) == [jl.dimension_label(name, dims[1]), *[
                jl.measure_label(name, m, viewer) for m in spec.measures]]


def test_groups_beyond_the_limit_are_cut_and_said(demo_db, monkeypatch):
    monkeypatch.setattr(jl, "MAX_GROUPS", 5)
    frame = jl.explore(E("klien", by=("kecamatan",)), KEPALA, demo_db)
    assert len(frame) == 5 and frame.attrs["terpotong"]
    assert not jl.explore(E("klien", by=("jenis_kelamin",)), KEPALA, demo_db).attrs["terpotong"]


@pytest.mark.parametrize("spec, message", [
    (E("nasabah"), "kumpulan data tidak dikenal"),
    (E("klien", by=("nama",)), "kolom tidak dapat dipakai"),
    (E("klien", by=("pseudonim",)), "kolom tidak dapat dipakai"),
    (E("klien", by=("kecamatan; drop table klien",)), "kolom tidak dapat dipakai"),
    (E("klien", by=("kecamatan", "agama", "status")), "paling banyak 2"),
    (E("klien", by=("tanggal_mulai_bimbingan",)), "satuan waktu"),
    (E("klien", by=("tanggal_mulai_bimbingan:minggu",)), "satuan waktu"),
    (E("klien", by=("kecamatan:bulan",)), "tidak punya satuan waktu"),
    (E("klien", measures=("jumlah:kecamatan",)), "kolom tidak dapat dipakai"),
    (E("klien", measures=("jumlah:umur_saat_mulai) from klien --",)), "kolom tidak dapat dipakai"),
    (E("klien", measures=("rasio:serapan",)), "rasio tidak dikenal"),
    (E("program", measures=("klien",)), "tidak memuat klien"),
    (E("klien", measures=()), "sedikitnya satu ukuran"),
    (E("klien", filters=(("nik", ("1871",)),)), "kolom tidak dapat dipakai"),
    (E("klien", filters=(("umur_saat_mulai", ("nan", None)),)), "tidak valid"),
    (E("klien", chart="pai"), "jenis grafik"),
])
def test_anything_outside_the_catalogue_is_refused(spec, message):
    with pytest.raises(ValueError, match=message):
        jl.build(spec, KEPALA)


def test_values_are_bound_never_written_into_the_sql(demo_db):
    hostile = "x') or true or ('"
    spec = E("klien", filters=(("kecamatan", (hostile,)), ("tanggal_status", ("2025-01-01", "2025-06-30"))),
             by=("kecamatan",))
    sql, params = jl.build(spec, KEPALA)
    assert hostile not in sql and hostile in params["s0"] and params["s1_dari"] == D(2025, 1, 1)
    assert jl.explore(spec, KEPALA, demo_db).empty


# --- URL, words, pivot and charts -------------------------------------------------------------------------------

def test_the_exploration_survives_the_url():
    spec = E("klien", filters=(("kategori_pidana", ("Narkotika", None)),
                               ("tanggal_mulai_bimbingan", (D(2023, 1, 1), None)),
                               ("umur_saat_mulai", (18.0, 30.5)), ("residivis", ("true",))),
             by=("tanggal_mulai_bimbingan:triwulan", "program_integrasi"),
             measures=("klien", "rata:skor_rri"), chart="panas")
    url = jl.to_query(spec)
    assert set(url) <= set(jl.QUERY_KEYS)
    frame_keys = set(frame_filters.to_query(Filters(D(2026, 1, 1), D(2026, 3, 31), ("A",), ("PB",), ("1",)),
                                            "kustom"))
    assert not set(jl.QUERY_KEYS) & frame_keys
    assert jl.from_query(url, ANALIS) == spec
    assert jl.from_query({**url, "periode": "3"}, KEPALA) == spec


def test_a_tampered_url_keeps_only_what_the_catalogue_knows():
    tampered = {"j_data": "klien", "j_kelompok": "pseudonim,nama,program_integrasi,x:y",
                "j_ukuran": "jumlah:nama,baris,rasio:tidak_ada", "j_saring": "{rusak", "j_grafik": "pai"}
    assert jl.from_query(tampered, ANALIS) == E("klien", by=("program_integrasi",), measures=("baris",))
    filters = json.dumps({"nik": ["1"], "kecamatan": ["Kemiling"], "umur_saat_mulai": ["a", 3],
                          "lama_pidana_bulan": ["12", None], "tanggal_status": ["2025-13-01", None]})
    assert jl.from_query({"j_data": "klien", "j_saring": filters}, ANALIS).filters == (
        ("kecamatan", ("Kemiling",)), ("lama_pidana_bulan", (12.0, None)))
    assert jl.from_query({"j_data": "nasabah"}, ANALIS) is None
    assert jl.from_query({"periode": "3"}, ANALIS) is None


def test_describe_says_what_was_explored():
    spec = E("hambatan", filters=(("faktor", ("EKSTERNAL", None)),), by=("kategori",), measures=("baris", "klien"))
    assert jl.describe(spec) == ("data hambatan; saring faktor: EKSTERNAL, (kosong); kelompok kategori; "
                                 "ukuran baris, klien")
    assert jl.describe_filters(spec) == "dengan saringan Faktor: Eksternal, (kosong)"
    assert jl.describe_filters(E("klien")) == "tanpa saringan"


@pytest.mark.parametrize("by, measure, n_across, expected", [
    ((), "baris", 0, None),
    (("tanggal_mulai_bimbingan:bulan",), "baris", 0, "garis"),
    (("kecamatan",), "rata:umur_saat_mulai", 0, "batang"),
    (("program_integrasi", "tanggal_mulai_bimbingan:tahun"), "baris", 0, "garis"),
    (("program_integrasi", "jenis_kelamin"), "baris", 2, "tumpuk"),
    (("program_integrasi", "jenis_kelamin"), "bagian:residivis", 2, "panas"),
    (("program_integrasi", "kecamatan"), "jumlah:lama_pidana_bulan", 20, "panas"),
])
def test_default_chart(by, measure, n_across, expected):
    frame = pd.DataFrame({key: [f"v{i}" for i in range(max(n_across, 1))] for key in by})
    assert jl.default_chart(E("klien", by=by, measures=(measure,)), frame) == expected


def test_charts_and_pivot_of_a_two_way_result(demo_db):
    spec = E("klien", filters=(("tanggal_mulai_bimbingan", (D(2024, 1, 1), D(2025, 12, 31))),),
             by=("program_integrasi", "tanggal_mulai_bimbingan:tahun"), measures=("baris", "bagian:sejahtera"))
    frame = jl.explore(spec, KEPALA, demo_db)
    kinds = {"batang": "bar", "tumpuk": "bar", "garis": "scatter", "panas": "heatmap"}
    for chart, trace in kinds.items():
        fig = jl.figure(frame, spec, KEPALA, chart)
        dims = ["program integrasi", "tanggal mulai bimbingan (per tahun)"]
        if chart in ("garis", "panas"):  # time goes along x
            dims.reverse()
        assert fig.layout.title.text == f"Jumlah baris menurut {dims[0]} dan {dims[1]}"
        assert {t.type for t in fig.data} == {trace}
        assert fig.layout.template.layout.separators == ",."  # the "bapas" template
    assert jl.figure(frame, spec, KEPALA, "tumpuk").layout.barmode == "stack"
    line = jl.figure(frame, spec, KEPALA)  # default: time on x, one line per programme
    assert [t.name for t in line.data] == [jl.value_label("program_integrasi", v)
                                           for v in frame["program_integrasi"].drop_duplicates()]
    assert list(line.data[0].x) == ["2024", "2025"]
    rate = jl.figure(frame, spec, KEPALA, "batang", "bagian:sejahtera")
    assert rate.layout.yaxis.ticksuffix == "%"
    pivot = jl.pivot(frame, spec, KEPALA)
    assert list(pivot.columns) == ["2024", "2025"]
    first = frame.iloc[0]
    assert pivot.loc[jl.value_label("program_integrasi", first["program_integrasi"]), "2024"] == \
        jl.measure_format("klien", "baris")(first["baris"])
    assert jl.pivot(frame, spec, KEPALA, "bagian:sejahtera").iloc[0, 0].endswith("%")
    assert jl.figure(jl.explore(E("klien"), KEPALA, demo_db), E("klien"), KEPALA) is None


@pytest.mark.parametrize("name, key, values, title, axis, hover", [
    ("klien", "baris", [3500, 4023], "Jumlah baris", {}, ["3.500", "4.023"]),
    ("klien", "rata:umur_saat_mulai", [31.256, 1234.5], "Rata-rata umur saat mulai", {}, ["31,26", "1.234,50"]),
    ("anggaran", "rasio:serapan", [0.125, 0.9], "Serapan (realisasi ÷ pagu) (%)", {"ticksuffix": "%"},
     ["12,5%", "90,0%"]),
    ("anggaran", "jumlah:realisasi", [1_500_000_000, 250_000_000], "Jumlah realisasi (miliar rupiah)",
     {"tickprefix": "Rp", "ticksuffix": " M", "tickformat": ",~f"}, ["Rp1.500.000.000", "Rp250.000.000"]),
])
def test_chart_numbers_are_written_the_indonesian_way(name, key, values, title, axis, hover):
    by = jl.DEFAULT_BY[name][0]
    spec = E(name, by=(by,), measures=(key,))
    dates = [D(2026, 1, 1), D(2026, 2, 1)]
    frame = pd.DataFrame({by: dates if ":" in by else ["A", "B"], key: values})
    scale = {"%": 100, " M": 1e-9}.get(axis.get("ticksuffix"), 1)
    for chart in ("batang", "garis", "panas"):
        fig = jl.figure(frame, spec, KEPALA, chart)
        assert fig.layout.separators == ",."  # thousands '.', decimals ','
        if chart == "panas":
            bar = fig.data[0].colorbar
            assert (bar.title.text, list(fig.data[0].text.ravel())) == (title, hover)
            assert [round(v, 9) for v in fig.data[0].z.ravel()] == [round(v * scale, 9) for v in values]
        else:
            bar = fig.layout.yaxis
            assert (bar.title.text, list(fig.data[0].customdata)) == (title, hover)
            assert [round(v, 9) for v in fig.data[0].y] == [round(v * scale, 9) for v in values]
            assert "%{customdata}" in fig.data[0].hovertemplate
        # 4-digit numbers get their point too ("3.500", not "3500"), and no English k/M/B abbreviations
        assert (bar.separatethousands, bar.exponentformat) == (True, "none")
        assert {k: bar[k] for k in axis} == axis


def test_values_are_shown_in_indonesian():
    assert jl.value_label("bulan:bulan", D(2026, 8, 1)) == "Agu 2026"
    assert jl.value_label("x:triwulan", D(2026, 7, 1)) == "Tw III 2026"
    assert jl.value_label("x:tahun", pd.Timestamp("2026-01-01")) == "2026"
    assert jl.value_label("residivis", True) == "Ya" and jl.value_label("status", None) == jl.EMPTY
    assert jl.value_label("jenis_mitra", "INSTANSI_PEMERINTAH") == "Instansi Pemerintah"
    assert jl.measure_format("anggaran", "jumlah:pagu")(1500000) == "Rp1.500.000"
    assert jl.measure_format("anggaran", "rasio:serapan")(0.125) == "12,5%"
    assert jl.measure_format("klien", "baris")(1234567) == "1.234.567"
    assert jl.measure_format("klien", "rata:umur_saat_mulai")(31.256) == "31,26"


# --- the page ---------------------------------------------------------------------------------------------------

@pytest.fixture
def page(demo_db):
    from analytics.accounts import Account, Store
    from ui import Context
    st.cache_data.clear()

    def run(role: str, url: dict | None = None) -> AppTest:
        at = AppTest.from_file("../halaman/jelajah.py", default_timeout=60)
        at.session_state["akun"] = Account(role, role, role, None, None, True)
        at.session_state["_store"] = Store()
        at.session_state["konteks"] = Context(Viewer(role, role, None, KEY), Filters(D(2026, 8, 1), D(2026, 10, 31)),
                                              "3", demo_db, D(2026, 10, 31), "uji", False)
        at.query_params.update(url or {})
        return at.run()
    yield run
    st.cache_data.clear()


def _audit_rows() -> list[tuple]:
    from etl import config
    con = sqlite3.connect(config.akses_path())
    try:
        return con.execute("select nama_pengguna, aksi, halaman, jumlah_baris, keterangan from audit "
                           "order by id").fetchall()
    finally:
        con.close()


def _rendered(at: AppTest) -> str:
    """Everything the page shows as text: tables, charts, words, widget labels, options and values."""
    parts = [d.value.to_csv() for d in at.dataframe]
    parts += [str(c.proto.spec) for c in at.get("plotly_chart")]
    for kind in ("title", "caption", "markdown", "info", "warning", "error", "subheader"):
        parts += [str(e.value) for e in at.get(kind)]
    for kind in ("selectbox", "multiselect", "text_area"):
        for widget in at.get(kind):
            parts += [str(widget.value), *map(str, getattr(widget, "options", []))]
    return "\n".join(parts)


def _right_aligned(table) -> list[str]:
    """The columns a table on the page aligns right (numbers, which reach it as Indonesian text)."""
    return [name for name, config in json.loads(table.proto.columns).items() if config.get("alignment") == "right"]


def test_page_for_analis_shows_pseudonyms_only(page, personal):
    spec = E("hambatan", by=("sumber_data", "tanggal:tahun"), measures=("baris", "klien"))
    at = page("analis", jl.to_query(spec))
    assert not at.exception and not at.error
    assert at.selectbox(key="j_dataset").value == "hambatan"
    assert at.multiselect(key="j_kelompok_hambatan").value == ["sumber_data", "tanggal:tahun"]
    expected = jl.table(jl.explore(spec, ANALIS, demo_db := at.session_state["konteks"].db_path), spec, ANALIS)
    assert at.dataframe[1].value.equals(expected)
    assert len(at.get("plotly_chart")) == 1
    at.text_area(key="j_sql_teks").set_value("select * from klien order by pseudonim limit 200")
    at.button(key="j_sql_jalankan").click().run()
    assert not at.exception and not at.error
    result = at.dataframe[3].value
    assert len(result) == 200 and result["pseudonim"].str.fullmatch(r"K-[0-9A-F]{10}").all()
    text = _rendered(at)
    assert not _leaks(personal, text)
    assert "pseudonim tetap (K-…)" in text
    actions = [(a, n, k) for _, a, _, n, k in _audit_rows()]
    assert ("JELAJAH_KUERI", len(expected), jl.describe(spec)) in actions
    assert ("SQL_KUERI", 200, "select * from klien order by pseudonim limit 200") in actions
    assert at.query_params["j_data"] in ("hambatan", ["hambatan"])
    assert demo_db.is_file()


def test_page_for_kepala_runs_an_example_and_lists_names(page, demo_db):
    at = page("kepala")
    assert not at.exception and not at.error
    assert [t.label for t in at.tabs] == ["Penjelajah", "SQL"]
    assert at.selectbox(key="j_dataset").value == "klien"
    first = at.dataframe[1].value  # opens grouped by program integrasi, with its chart
    assert list(first.columns) == ["Program integrasi", "Jumlah baris"]
    assert _right_aligned(at.dataframe[1]) == ["Jumlah baris"]  # numbers right, names left
    expected = query(demo_db, "select count(*) from klien group by program_integrasi order by 1")
    assert sorted(int(n.replace(".", "")) for n in first["Jumlah baris"]) == sorted(n for (n,) in expected)
    assert len(at.get("plotly_chart")) == 1
    at.multiselect(key="j_kelompok_klien").set_value(["status", "jenis_kelamin"]).run()
    assert not at.exception
    assert at.dataframe[2].value.index.name == "Status"  # the pivot
    assert _right_aligned(at.dataframe[2]) == list(at.dataframe[2].value.columns)  # every cell a number
    assert len(at.get("plotly_chart")) == 1
    at.selectbox(key="j_sql_contoh").set_value("Klien aktif per program integrasi").run()
    assert at.text_area(key="j_sql_teks").value == sb.EXAMPLES["Klien aktif per program integrasi"]
    at.button(key="j_sql_jalankan").click().run()
    assert not at.exception and not at.error
    expected = query(demo_db, """
        select k.program_integrasi, count(*) from v_klien k, v_tanggal_data d
        where k.tanggal_mulai_bimbingan <= d.tanggal_data
          and (k.tanggal_akhir_efektif is null or k.tanggal_akhir_efektif >= d.tanggal_data)
        group by 1 order by 2 desc""")
    shown = at.dataframe[3].value
    assert _right_aligned(at.dataframe[3]) == [shown.columns[1]]  # the count, not the program
    assert sorted(shown.itertuples(index=False, name=None)) == sorted(
        (p, jl.measure_format("klien", "baris")(n)) for p, n in expected)  # equal counts may come in either order
    assert "Nama" in at.dataframe[4].value["Label"].tolist()  # kepala's klien table lists names (SQL tab)


def test_page_restores_typed_filters_from_a_shared_link(page, demo_db):
    spec = E("klien", filters=(("kategori_pidana", ("Narkotika",)),
                               ("tanggal_mulai_bimbingan", (D(2024, 1, 1), D(2024, 12, 31))),
                               ("umur_saat_mulai", (18.0, 30.0))),
             by=("program_integrasi",), measures=("baris", "rata:umur_saat_mulai"), chart="batang")
    at = page("analis", jl.to_query(spec))
    assert not at.exception and not at.error
    assert at.multiselect(key="j_f_klien_kategori_pidana").value == ["Narkotika"]
    assert tuple(at.date_input(key="j_f_klien_tanggal_mulai_bimbingan").value) == (D(2024, 1, 1), D(2024, 12, 31))
    assert (at.number_input(key="j_f_klien_umur_saat_mulai_dari").value,
            at.number_input(key="j_f_klien_umur_saat_mulai_sampai").value) == (18.0, 30.0)
    assert at.dataframe[1].value.equals(jl.table(jl.explore(spec, ANALIS, demo_db), spec, ANALIS))
    assert at.selectbox(key="j_grafik_klien").value == "batang"
    caption = [c.value for c in at.caption if c.value.startswith("Apa yang ditampilkan")][0]
    assert "Kategori pidana: Narkotika; Tanggal mulai bimbingan: 1 Jan 2024 s.d. 31 Des 2024" in caption
    at.number_input(key="j_f_klien_umur_saat_mulai_sampai").set_value(25.0).run()
    narrower = E("klien", filters=(*spec.filters[:2], ("umur_saat_mulai", (18.0, 25.0))), by=spec.by,
                 measures=spec.measures, chart="batang")
    assert at.dataframe[1].value.equals(jl.table(jl.explore(narrower, ANALIS, demo_db), narrower, ANALIS))
    assert json.loads(at.query_params["j_saring"] if isinstance(at.query_params["j_saring"], str)
                      else at.query_params["j_saring"][0])["umur_saat_mulai"] == [18.0, 25.0]


def test_page_refuses_an_escape_with_a_clear_message_and_audits_it(page):
    at = page("analis")
    at.text_area(key="j_sql_teks").set_value("select * from read_csv('/etc/passwd')")
    at.button(key="j_sql_jalankan").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [sb.MESSAGES["akses"]]
    assert "root:" not in _rendered(at) and "Traceback" not in _rendered(at)
    assert [a for _, a, *_ in _audit_rows()][-1] == "SQL_DITOLAK"


@pytest.mark.parametrize("role", ["kanwil", "pk", "operator"])
def test_page_is_absent_for_aggregate_roles_and_pk(page, role):
    at = page(role)
    assert not at.exception
    assert [e.value for e in at.error] == ["Halaman ini tidak tersedia untuk peran Anda."]
    assert not at.dataframe and not at.tabs and not at.text_area
    assert "jelajah" not in PAGES[role]


def test_every_default_grouping_is_an_offered_dimension():
    for name in jl.DATASETS:
        assert set(jl.DEFAULT_BY[name]) <= set(jl.dimensions(name)), name


def test_measure_names_keep_acronyms_and_offer_no_sum_of_ages_or_scores():
    from analytics import jelajah
    from analytics.viewer import Viewer
    offered = jelajah.measures("klien", Viewer("k", "kepala"))
    assert "rata:skor_rri" in offered and offered["rata:skor_rri"] == "Rata-rata skor RRI"
    assert "jumlah:skor_rri" not in offered and "jumlah:umur_saat_mulai" not in offered
    assert offered["rata:umur_saat_mulai"] == "Rata-rata umur saat mulai"
    assert jelajah.value_label("kode_bapas", "BAPAS-BDL") == "BAPAS-BDL"  # an office code stays as written
    assert jelajah.value_label("jenis_mitra", "INSTANSI_PEMERINTAH") == "Instansi Pemerintah"


def test_integration_programs_read_as_the_sidebar_names_them():
    """The audit found «PB», «CMB» in Jelajah Data where the sidebar and other pages say what they stand for."""
    from analytics import jelajah
    assert jelajah.value_label("program_integrasi", "PB") == "PB – Pembebasan Bersyarat"
    assert jelajah.value_label("program_integrasi", "PIDANA_PENGAWASAN") == "Pidana Pengawasan"
    assert jelajah.option_label("CMB", "program_integrasi") == "CMB – Cuti Menjelang Bebas"
    assert jelajah.option_label("CMB", "status") == "CMB" and jelajah.option_label("true") == "Ya"
