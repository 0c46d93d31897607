"""Jelajah Data, SQL tab: DuckDB's error messages reach the analyst in Indonesian.

The English side of every case is produced by running the bad query against DuckDB here, never written out, so a
change of DuckDB's wording fails these tests instead of slipping English (or a general sentence) onto the page.
"""
import datetime as dt

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics import sandbox as sb
from analytics.filters import Filters
from analytics.viewer import Viewer

KEY = "ab" * 32
ANALIS = Viewer("analis", "analis", None, KEY)
ENGLISH = ("error", "does not exist", "not found", "syntax", "could not", "convert", "did you mean", "candidate",
           "division", "must appear", "ambiguous", "function", "binder", "catalog", "parser", "conversion")


@pytest.fixture(scope="module")
def con():
    """Two small tables shaped like the curated ones (column names only matter)."""
    con = duckdb.connect(":memory:")
    con.execute("create table klien (kode_bapas varchar, program_integrasi varchar, umur integer, "
                "tanggal_mulai date)")
    con.execute("create table mitra (kode_bapas varchar, nama_mitra varchar)")
    con.execute("insert into klien values ('B1', 'PB', 30, date '2025-01-02')")
    yield con
    con.close()


def _duckdb_error(con, sql: str) -> duckdb.Error:
    """The exception DuckDB raises for `sql` (the test fails if it raises none)."""
    with pytest.raises(duckdb.Error) as caught:
        con.execute(sql).fetchall()
    return caught.value


def _english(text: str) -> list[str]:
    return [word for word in ENGLISH if word in text.lower()]


TRANSLATED = [
    # syntax
    ("selec 1",
     "ada yang salah di dekat «selec»; periksa ejaan kata kunci, koma, tanda kurung dan tanda kutip di sekitarnya."),
    ("select * from klien where",
     "ada yang salah di dekat «where»; periksa ejaan kata kunci, koma, tanda kurung dan tanda kutip di sekitarnya."),
    ("select 'abc", "ada teks yang tanda kutip tunggalnya (') belum ditutup."),
    ('select "abc', 'ada nama yang tanda kutip gandanya (") belum ditutup.'),
    # unknown tables and functions, with DuckDB's own suggestion
    ("select * from klein", "tabel «klein» tidak ada; mungkin maksud Anda «klien»?"),
    ("select * from bapas.klien",
     "tabel «bapas.klien» tidak ada: awalan «bapas» tidak dikenal; tulis nama tabelnya saja."),
    ("select lenght('a')", "fungsi «lenght» tidak ada; mungkin maksud Anda «length»?"),
    # columns
    ("select program_integrasii from klien",
     "kolom «program_integrasii» tidak ada di tabel yang dipakai; mungkin maksud Anda «program_integrasi», "
     "«kode_bapas» atau «tanggal_mulai»?"),
    ("select k.umurr from klien k", "tabel «k» tidak punya kolom «umurr»; mungkin maksud Anda «umur»?"),
    ("select x.umur from klien k", "tabel atau alias «x» tidak dikenal di kueri ini; mungkin maksud Anda «k»?"),
    ("select kode_bapas from klien, mitra",
     "kolom «kode_bapas» ada di lebih dari satu tabel; sebutkan tabelnya, mis. «klien.kode_bapas» atau "
     "«mitra.kode_bapas»."),
    # GROUP BY
    ("select program_integrasi, count(*) from klien",
     "kolom «program_integrasi» harus dicantumkan di GROUP BY atau dipakai di dalam fungsi agregat "
     "(count, sum, avg, …)."),
    ("select umur from klien having umur > 1",
     "kolom «umur» harus dicantumkan di GROUP BY atau dipakai di dalam fungsi agregat (count, sum, avg, …)."),
    ("select count(*) from klien group by 3", "nomor kolom di GROUP BY di luar jangkauan; harus antara 1 dan 1."),
    ("select sum(sum(umur)) from klien",
     "fungsi agregat tidak boleh berada di dalam fungsi agregat lain (mis. sum(count(*))); hitung dulu di "
     "subkueri atau WITH."),
    # functions that take no values of these types
    ("select sum(program_integrasi) from klien",
     "fungsi «sum» tidak dapat dipakai pada nilai berjenis teks; ubah jenis nilainya dulu, mis. "
     "CAST(kolom AS DOUBLE) atau CAST(kolom AS DATE)."),
    ("select umur + 'a' from klien",
     "operasi «+» tidak dapat dipakai pada nilai berjenis bilangan bulat dan teks; ubah jenis nilainya dulu, mis. "
     "CAST(kolom AS DOUBLE) atau CAST(kolom AS DATE)."),
    ("select * from klien where tanggal_mulai > 5",
     "nilai berjenis tanggal tidak dapat dibandingkan dengan nilai berjenis bilangan bulat; samakan jenisnya "
     "dengan CAST."),
    # values
    ("select 'a'::int", "teks «a» tidak dapat diubah menjadi bilangan bulat."),
    ("select * from klien where umur = 'tiga puluh'", "teks «tiga puluh» tidak dapat diubah menjadi bilangan bulat."),
    ("select 'a'::bigint", "teks «a» tidak dapat diubah menjadi bilangan bulat."),
    ("select 'a'::double", "teks «a» tidak dapat diubah menjadi bilangan desimal."),
    ("select 'a'::decimal(10, 2)", "teks «a» tidak dapat diubah menjadi bilangan desimal."),
    ("select 'a'::boolean", "teks «a» tidak dapat diubah menjadi ya/tidak (true/false)."),
    ("select 'a'::interval", "teks «a» tidak dapat diubah menjadi selang waktu."),
    ("select * from klien where tanggal_mulai = 'kemarin'",
     "teks «kemarin» tidak dapat diubah menjadi tanggal; tulis tanggal sebagai 'TTTT-BB-HH', mis. '2026-01-31'."),
    ("select 'a'::timestamp",
     "teks «a» tidak dapat diubah menjadi tanggal dan jam; tulis sebagai 'TTTT-BB-HH JJ:MM:DD', "
     "mis. '2026-01-31 08:30:00'."),
    ("select '2026-13-01'::date", "tanggal «2026-13-01» tidak ada di kalender (bulan 1–12, hari sesuai bulannya)."),
    ("select 300::tinyint", "nilai «300» di luar jangkauan jenis bilangan bulat yang dituju."),
    ("select umur // 0 from klien",
     "pembagian dengan nol pada «umur // 0»; bungkus pembaginya dengan NULLIF(pembagi, 0) agar hasilnya kosong."),
    ("select 100::tinyint * 100::tinyint",
     "hasil perhitungan terlalu besar untuk jenis bilangannya; ubah dulu ke jenis yang lebih besar, "
     "mis. CAST(kolom AS DOUBLE)."),
]


@pytest.mark.parametrize("sql, expected", TRANSLATED, ids=[sql for sql, _ in TRANSLATED])
def test_duckdb_errors_are_said_in_indonesian(con, sql, expected):
    error = _duckdb_error(con, sql)
    assert sb.indonesian_detail(str(error)) == expected
    assert not _english(expected)


def test_a_suggested_table_is_named_only_if_the_analyst_can_use_it(con):
    unknown = str(_duckdb_error(con, "select * from tabel_tidak_ada"))
    assert "Did you mean" in unknown  # DuckDB suggests something (a system table) …
    assert sb.indonesian_detail(unknown, ["klien", "mitra"]) == "tabel «tabel_tidak_ada» tidak ada."  # … not said
    close = str(_duckdb_error(con, "select * from mitraa"))
    assert sb.indonesian_detail(close, ["klien", "mitra"]) == \
        "tabel «mitraa» tidak ada; mungkin maksud Anda «mitra»?"


@pytest.mark.parametrize("sql", ["select regexp_matches('a', '(')", "select count(distinct) from klien",
                                 "select (select 1 union all select 2)"])
def test_other_duckdb_errors_are_not_guessed_at(con, sql):
    assert sb.indonesian_detail(str(_duckdb_error(con, sql))) is None


@pytest.mark.parametrize("name, words", [
    ("INT32", "bilangan bulat"), ("INT128", "bilangan bulat"), ("UINT64", "bilangan bulat"),
    ("INTEGER_LITERAL", "bilangan bulat"), ("DOUBLE", "bilangan desimal"), ("FLOAT", "bilangan desimal"),
    ("DECIMAL(18,3)", "bilangan desimal"), ("DATE", "tanggal"), ("TIMESTAMP WITH TIME ZONE", "tanggal dan jam"),
    ("TIME", "jam"), ("INTERVAL", "selang waktu"), ("BOOL", "ya/tidak (true/false)"), ("VARCHAR", "teks"),
    ("STRING_LITERAL", "teks"), ("INTEGER[]", "daftar"), ("UUID", "UUID"),
])
def test_type_words(name, words):
    assert sb.type_words(name) == words


# --- whole messages, as the sandbox gives them ------------------------------------------------------------------

def _refusal(demo_db, sql: str) -> sb.SandboxError:
    tables = sb.tables(ANALIS)
    with pytest.raises(sb.SandboxError) as caught:
        sb.execute({"db": str(demo_db), "tables": {n: tables[n] for n in ("klien", "mitra")}, "sql": sql})
    return caught.value


AVAILABLE = "Tabel yang tersedia: klien, mitra."
AUDITED = [  # the three queries of the user audit
    ("selec", "sintaks", "Kueri tidak dapat dibaca (kesalahan penulisan SQL): ada yang salah di dekat «selec»; "
                         "periksa ejaan kata kunci, koma, tanda kurung dan tanda kutip di sekitarnya."),
    ("select * from tabel_tidak_ada", "katalog",
     f"Tabel, kolom atau fungsi tidak dikenal: tabel «tabel_tidak_ada» tidak ada. {AVAILABLE}"),
    ("select 'a'::int", "nilai", "Nilai tidak dapat diolah: teks «a» tidak dapat diubah menjadi bilangan bulat."),
    ("select * from klein", "katalog",
     f"Tabel, kolom atau fungsi tidak dikenal: tabel «klein» tidak ada; mungkin maksud Anda «klien»? {AVAILABLE}"),
    ("select nama_mitraa from mitra", "kolom",
     "Kolom atau ekspresi tidak dapat dipakai: kolom «nama_mitraa» tidak ada di tabel yang dipakai; mungkin maksud "
     "Anda «nama_mitra», «jenis_mitra» atau «kecamatan»?"),  # DuckDB's closest three of five
]


@pytest.mark.parametrize("sql, kind, message", AUDITED, ids=[sql for sql, *_ in AUDITED])
def test_sandbox_messages_are_whole_indonesian_sentences(demo_db, sql, kind, message):
    error = _refusal(demo_db, f"{sql} 1" if sql == "selec" else sql)
    assert (error.kind, str(error), error.detail) == (kind, message, None)
    assert not _english(str(error))


def test_an_untranslated_error_keeps_duckdbs_text_apart(demo_db):
    error = _refusal(demo_db, "select regexp_matches(nama_mitra, '(') from mitra")
    assert (error.kind, str(error)) == ("nilai", "Nilai tidak dapat diolah: " + sb.GENERAL_DETAILS["nilai"])
    assert error.detail == str(_duckdb_error(duckdb.connect(), "select regexp_matches('a', '(')")).strip()
    assert not _english(str(error)) and error.detail not in str(error)


def test_the_child_process_carries_the_original_text(con, demo_db):
    sql = "select count(distinct) from klien"
    with pytest.raises(sb.SandboxError) as caught:
        sb.run(sql, ANALIS, demo_db)
    assert str(caught.value) == "Kueri tidak dapat dibaca (kesalahan penulisan SQL): " + sb.GENERAL_DETAILS["sintaks"]
    assert caught.value.detail == str(_duckdb_error(con, sql)).strip()
    with pytest.raises(sb.SandboxError) as caught:
        sb.run("select 'a'::int", ANALIS, demo_db)
    assert caught.value.detail is None


# --- the page -----------------------------------------------------------------------------------------------------

DETAIL_LABEL = "Rincian teknis (pesan asli DuckDB, bahasa Inggris)"


@pytest.fixture
def sql_page(demo_db):
    from analytics.accounts import Account, Store
    from ui import Context
    st.cache_data.clear()
    at = AppTest.from_file("../halaman/jelajah.py", default_timeout=60)
    at.session_state["akun"] = Account("analis", "analis", "analis", None, None, True)
    at.session_state["_store"] = Store()
    at.session_state["konteks"] = Context(ANALIS, Filters(dt.date(2026, 8, 1), dt.date(2026, 10, 31)), "3", demo_db,
                                          dt.date(2026, 10, 31), "uji", False)
    yield at.run()
    st.cache_data.clear()


def _run_sql(at: AppTest, sql: str) -> AppTest:
    at.text_area(key="j_sql_teks").set_value(sql)
    at.button(key="j_sql_jalankan").click().run()
    assert not at.exception
    return at


def test_page_says_the_audited_errors_in_indonesian_without_duckdbs_text(sql_page):
    for sql, words in [("selec 1", "«selec»"), ("select * from tabel_tidak_ada", "«tabel_tidak_ada»"),
                       ("select 'a'::int", "bilangan bulat")]:
        at = _run_sql(sql_page, sql)
        [error] = [e.value for e in at.error]
        assert words in error and not _english(error), error
        assert not [e for e in at.expander if e.label == DETAIL_LABEL] and not at.code


def test_page_folds_duckdbs_own_text_away_when_it_has_no_translation(con, sql_page):
    sql = "select count(distinct) from klien"
    at = _run_sql(sql_page, sql)
    assert [e.value for e in at.error] == ["Kueri tidak dapat dibaca (kesalahan penulisan SQL): "
                                           + sb.GENERAL_DETAILS["sintaks"]]
    [detail] = [e for e in at.expander if e.label == DETAIL_LABEL]
    assert [c.value for c in detail.code] == [str(_duckdb_error(con, sql)).strip()]
    assert not detail.proto.expanded
