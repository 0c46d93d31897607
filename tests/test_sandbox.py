"""The SQL sandbox: every way out of the curated tables fails with a clear Indonesian message and leaves the database
file as it was; each of DuckDB's controls holds on its own; the limits hold; the saved examples run.

Most cases run `sandbox.execute` in this process (the very function the child process runs); a few go through
`sandbox.run`, the child process with its memory and CPU caps, as the page does.
"""
import hashlib
import re

import duckdb
import pytest

from analytics import jelajah as jl, sandbox as sb
from analytics.viewer import Viewer
from tests.conftest import query

KEY = "ab" * 32
ANALIS = Viewer("analis", "analis", None, KEY)
KEPALA = Viewer("kepala", "kepala", None, KEY)


def _sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def original(demo_db) -> str:
    return _sha256(demo_db)


@pytest.fixture(autouse=True)
def _database_unchanged(demo_db, original):
    """Whatever a test tries, the database file is byte for byte the same afterwards."""
    yield
    assert _sha256(demo_db) == original
    assert not demo_db.with_name(demo_db.name + ".wal").exists()


def _request(demo_db, sql: str, viewer: Viewer = ANALIS, few: bool = False, **limits) -> dict:
    """What the page sends the child: every curated table as the role sees it (or only two, where the content of
    the tables plays no part and a query naming none of them would load them all)."""
    tables = sb.tables(viewer)
    if few:
        tables = {name: tables[name] for name in ("klien", "mitra")}
    return {"db": str(demo_db), "tables": tables, "sql": sql, **limits}


def _refusal(demo_db, sql: str, viewer: Viewer = ANALIS, few: bool = False, **limits) -> sb.SandboxError:
    with pytest.raises(sb.SandboxError) as caught:
        sb.execute(_request(demo_db, sql, viewer, few, **limits))
    return caught.value


def _message_of(kind: str) -> re.Pattern:
    """The fixed part of a message template as a pattern (the {…} parts match anything)."""
    parts = re.split(r"\{\w+\}", sb.MESSAGES[kind])
    return re.compile(".*".join(re.escape(p) for p in parts), re.DOTALL)


FILE_READS = [
    "select * from read_csv('/etc/passwd')",
    "select * from read_csv_auto('/etc/passwd')",
    "select * from read_parquet('/etc/passwd')",
    "select * from read_json('/etc/passwd')",
    "select * from read_json_auto('/etc/hostname')",
    "select * from read_ndjson_objects('/etc/passwd')",
    "select * from read_text('/etc/passwd')",
    "select * from read_blob('/etc/passwd')",
    "select * from glob('/etc/*')",
    "select * from sniff_csv('/etc/passwd')",
    "select * from parquet_metadata('/etc/passwd')",
    "select * from read_csv('https://example.com/data.csv')",
    "select * from 'https://example.com/data.csv'",
    "select * from read_parquet('s3://bucket/data.parquet')",
    "select * from duckdb_extensions()",
    "select k.pseudonim, t.* from klien k, read_text('/etc/hostname') t",
]


@pytest.mark.parametrize("sql", FILE_READS)
def test_files_and_urls_cannot_be_read(demo_db, sql):
    error = _refusal(demo_db, sql, few=True)
    assert error.kind == "akses" and str(error) == sb.MESSAGES["akses"]


def test_the_database_file_itself_cannot_be_read_or_attached(demo_db):
    for sql in (f"select * from read_blob('{demo_db}')", f"select * from read_text('{demo_db}')",
                f"select * from glob('{demo_db.parent}/*')"):
        assert _refusal(demo_db, sql, few=True).kind == "akses"
    # a path as a table name: a database file is refused as an access, any other file is an unknown table
    assert _refusal(demo_db, f"select * from '{demo_db}'", few=True).kind == "akses"
    error = _refusal(demo_db, "select * from '/etc/passwd'", few=True)
    assert error.kind == "katalog" and _message_of("katalog").fullmatch(str(error))
    assert "root:" not in str(error)


REFUSED_STATEMENTS = [
    ("attach '/tmp/lain.duckdb' as lain", "ATTACH"),
    ("attach ':memory:' as lain", "ATTACH"),
    ("detach memory", "DETACH"),
    ("copy klien to '/tmp/bocor.csv'", "COPY"),
    ("copy (select * from klien) to '/tmp/bocor.parquet' (format parquet)", "COPY"),
    ("copy klien from '/etc/passwd'", "COPY"),
    ("export database '/tmp/bocor'", "EXPORT DATABASE"),
    ("install httpfs", "INSTALL/LOAD"),
    ("load httpfs", "INSTALL/LOAD"),
    ("force install httpfs from community", "INSTALL/LOAD"),
    ("set enable_external_access = true", "SET/RESET/USE"),
    ("set lock_configuration = false", "SET/RESET/USE"),
    ("set threads = 64", "SET/RESET/USE"),
    ("reset memory_limit", "SET/RESET/USE"),
    ("use system", "SET/RESET/USE"),
    ("set variable x = 1", "SET/RESET/USE"),
    ("pragma enable_profiling", "PRAGMA"),
    ("pragma database_list", "PRAGMA"),
    ("create table salinan as select * from klien", "CREATE"),
    ("create temp table t as select 1", "CREATE"),
    ("create macro m(a) as a", "CREATE"),
    ("create secret s (type s3, key_id 'x', secret 'y')", "CREATE"),
    ("drop table klien", "DROP"),
    ("insert into klien (kode_bapas) values ('X')", "INSERT"),
    ("update klien set kecamatan = 'X'", "UPDATE"),
    ("delete from klien", "DELETE"),
    ("truncate klien", "DELETE"),
    ("alter table klien add column x int", "ALTER"),
    ("call pragma_version()", "CALL"),
    ("checkpoint", "CALL"),
    ("begin transaction", "BEGIN/COMMIT"),
    ("commit", "BEGIN/COMMIT"),
    ("explain select 1", "EXPLAIN"),
    ("prepare p as select 1", "PREPARE"),
    ("vacuum", "VACUUM"),
    ("pivot klien on status", "PIVOT tanpa daftar nilai"),
]


@pytest.mark.parametrize("sql, words", REFUSED_STATEMENTS)
def test_anything_but_one_read_statement_is_refused_by_its_type(demo_db, sql, words):
    error = _refusal(demo_db, sql)
    assert error.kind == "jenis" and words in str(error)
    assert _message_of("jenis").fullmatch(str(error))


@pytest.mark.parametrize("sql", ["select 1; select 2", "select * from klien; drop table klien",
                                 "select 1; attach '/tmp/x.duckdb'", "select 1;;copy klien to '/tmp/x.csv';"])
def test_more_than_one_statement_is_refused(demo_db, sql):
    error = _refusal(demo_db, sql)
    assert error.kind == "banyak" and str(error) == sb.MESSAGES["banyak"]


@pytest.mark.parametrize("sql, kind", [("", "kosong"), ("   -- hanya komentar\n", "kosong"),
                                       ("selec 1", "sintaks"), ("select 1 +", "sintaks")])
def test_empty_and_unreadable_queries(demo_db, sql, kind):
    error = _refusal(demo_db, sql)
    assert error.kind == kind and _message_of(kind).fullmatch(str(error))


def test_a_write_hidden_in_a_select_is_refused_by_the_read_only_transaction(demo_db):
    for sql in ("with x as (insert into mitra (kode_mitra) values ('X') returning *) select * from x",
                "with x as (delete from klien returning *) select count(*) from x"):
        error = _refusal(demo_db, sql)
        assert error.kind == "tulis" and str(error) == sb.MESSAGES["tulis"]


@pytest.mark.parametrize("sql, kind", [
    ("select nama, nik from klien", "kolom"),
    ("select no_register from klien", "kolom"),
    ("select * from kehadiran", "katalog"),
    ("select * from v_klien", "katalog"),
    ("select * from muat_run", "katalog"),
    ("select * from bapas.klien", "katalog"),
    ("select * from bapas.main.klien", "katalog"),
    ("select * from query_table('bapas.main.klien')", "katalog"),
    ("select * from main.klien_arsip", "katalog"),
])
def test_base_tables_with_names_and_nik_are_unreachable(demo_db, sql, kind):
    error = _refusal(demo_db, sql)
    assert error.kind == kind and _message_of(kind).fullmatch(str(error))
    if kind == "katalog":
        assert "klien, kehadiran_bulanan, program" in str(error)


def test_kepala_gets_names_but_never_nik(demo_db):
    table, truncated = sb.execute(_request(demo_db, "select nama, no_register from klien order by no_register",
                                           KEPALA))
    assert table.column("nama").to_pylist() == [r[0] for r in query(demo_db, "select nama from klien "
                                                                              "order by no_register")]
    assert not truncated
    assert _refusal(demo_db, "select nik from klien", KEPALA).kind == "kolom"


def test_analis_sees_the_curated_tables_only_and_no_paths(demo_db):
    table, _ = sb.execute(_request(demo_db, "show tables"))
    assert sorted(table.column("name").to_pylist()) == sorted(jl.DATASETS)
    databases, _ = sb.execute(_request(demo_db, "select database_name, path from duckdb_databases()"))
    assert set(databases.column("database_name").to_pylist()) <= {"memory", "system", "temp"}
    assert not any(databases.column("path").to_pylist())
    settings, _ = sb.execute(_request(demo_db, "select name, value from duckdb_settings()"))
    values = " ".join(str(v) for v in settings.column("value").to_pylist())
    assert str(demo_db.parent) not in values and "/root" not in values and "bapas.duckdb" not in values
    columns, _ = sb.execute(_request(demo_db, "select column_name from information_schema.columns "
                                              "where table_name = 'klien'"))
    assert columns.column("column_name").to_pylist() == [c.name for c in jl.columns("klien", ANALIS)]


def test_the_pseudonym_key_is_nowhere_in_the_sandbox(demo_db):
    """The key is a bound parameter of the statements that fill the tables; nothing inside shows it."""
    for sql in ("select sql from duckdb_tables()", "select * from duckdb_views()", "select current_query()",
                "select * from duckdb_prepared_statements()", "select * from duckdb_variables()",
                "select * from duckdb_settings()", "select * from duckdb_functions() where not internal"):
        table, _ = sb.execute(_request(demo_db, sql, few=True))
        assert KEY not in str(table.to_pylist()), sql


def test_each_duckdb_control_holds_on_its_own(demo_db):
    """Past the statement check (a bug there, say), DuckDB itself still refuses: configuration locked, external
    access off, database detached, transaction read-only."""
    tables = {"klien": jl.dataset_sql("klien", ANALIS)}
    with sb.connection(demo_db, tables) as con:
        settings = dict(con.execute("select name, value from duckdb_settings() where name in "
                                    "('enable_external_access', 'lock_configuration', 'autoload_known_extensions', "
                                    "'autoinstall_known_extensions', 'allow_community_extensions', "
                                    "'temp_directory', 'threads')").fetchall())
        assert settings == {"enable_external_access": "false", "lock_configuration": "true",
                            "autoload_known_extensions": "false", "autoinstall_known_extensions": "false",
                            "allow_community_extensions": "false", "temp_directory": "", "threads": "2"}
        attempts = [
            ("set enable_external_access = true", duckdb.InvalidInputException, "locked"),
            ("reset lock_configuration", duckdb.InvalidInputException, "locked"),
            ("pragma threads = 8", duckdb.InvalidInputException, "locked"),
            ("set memory_limit = '64GB'", duckdb.InvalidInputException, "locked"),
            (f"attach '{demo_db}' as lagi (read_only)", duckdb.PermissionException, "disabled"),
            ("copy klien to '/tmp/jelajah-bocor.csv'", duckdb.PermissionException, "disabled"),
            ("export database '/tmp/jelajah-bocor'", duckdb.PermissionException, "disabled"),
            ("install httpfs", duckdb.PermissionException, "disabled"),
            ("load httpfs", duckdb.PermissionException, "disabled"),
            ("select * from read_csv('/etc/passwd')", duckdb.PermissionException, "disabled"),
            ("use bapas", duckdb.CatalogException, "bapas"),
        ]
        attempts += [(sql, duckdb.TransactionException, "read-only") for sql in (
            "create table x as select 1", "insert into klien (kode_bapas) values ('X')", "drop table klien",
            "update klien set kecamatan = 'X'", "create macro m(a) as a")]
        for sql, error, words in attempts:
            with pytest.raises(error, match=words):
                con.execute(sql)
            con.execute("rollback")  # a failed statement aborts the transaction: start a fresh read-only one
            con.execute("begin transaction read only")
        assert con.execute("select count(*) from klien").fetchall() == query(demo_db, "select count(*) from klien")
    assert not (demo_db.parent / "jelajah-bocor.csv").exists()


@pytest.mark.parametrize("sql", [
    "with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r",
    "select count(*) from range(1000000000000) a, range(3) b",  # the right side small: time, not memory, ends it
    "select count(*) from range(1e12::bigint)",
])
def test_a_query_that_runs_forever_is_stopped(demo_db, sql):
    error = _refusal(demo_db, sql, few=True, time_limit=0.5)
    assert error.kind == "waktu" and _message_of("waktu").fullmatch(str(error)) and "0,5 detik" in str(error)


def test_millions_of_rows_are_cut_at_the_row_limit(demo_db):
    table, truncated = sb.execute(_request(demo_db, "select range as n from range(3000000)", few=True))
    assert table.num_rows == sb.ROW_LIMIT and truncated
    assert table.column("n").to_pylist()[-1] == sb.ROW_LIMIT - 1
    table, truncated = sb.execute(_request(demo_db, "select * from range(10000)", few=True))
    assert table.num_rows == 10000 and not truncated
    table, truncated = sb.execute(_request(demo_db, "select * from klien", row_limit=50))
    assert table.num_rows == 50 and truncated


def test_only_the_tables_a_query_names_are_loaded():
    names = list(jl.DATASETS)
    assert sb.named_tables("select * from Klien k join hambatan h using (pseudonim)", names) == ["klien", "hambatan"]
    assert sb.named_tables("select kode_program from peserta_program", names) == ["peserta_program"]
    assert sb.named_tables("show tables", names) == names


def test_a_missing_database_is_said(tmp_path):
    error = _refusal(tmp_path / "tidak-ada.duckdb", "select 1")
    assert error.kind == "data" and _message_of("data").fullmatch(str(error))


@pytest.mark.parametrize("title", list(sb.EXAMPLES))
def test_the_saved_examples_run_for_both_roles(demo_db, title):
    shapes = []
    for viewer in (KEPALA, ANALIS):
        table, truncated = sb.execute(_request(demo_db, sb.EXAMPLES[title], viewer))
        assert table.num_rows > 0 and not truncated
        assert not {"nama", "nik", "no_register"} & set(table.column_names)
        shapes.append((table.num_rows, table.column_names))
    assert shapes[0] == shapes[1]


def test_an_example_gives_what_hand_written_sql_gives(demo_db):
    table, _ = sb.execute(_request(demo_db, sb.EXAMPLES["Penyelesaian program per mitra"]))
    expected = query(demo_db, """
        select m.nama_mitra, count(*), sum(r.peserta), round(100 * sum(r.selesai) / nullif(sum(r.peserta), 0), 1)
        from v_program_ringkasan r left join mitra m using (kode_bapas, kode_mitra)
        group by 1 order by 3 desc, 1""")
    rows = sorted(zip(*[table.column(i).to_pylist() for i in range(4)]), key=lambda r: (-r[2], r[0] or ""))
    assert [(a, b, int(c), d) for a, b, c, d in rows] == [(a, b, int(c), d) for a, b, c, d in expected]


# --- through the child process, as the page runs it --------------------------------------------------------------

def test_the_child_process_answers_like_the_function(demo_db):
    sql = "select kategori_pidana, count(*) as n from klien group by 1 order by 2 desc, 1"
    result = sb.run(sql, ANALIS, demo_db)
    assert list(result.frame.itertuples(index=False, name=None)) == query(
        demo_db, "select kategori_pidana, count(*) from klien group by 1 order by 2 desc, 1")
    assert not result.truncated and result.row_limit == sb.ROW_LIMIT
    shown = sb.display(result.frame)
    assert shown.iloc[0, 1] == f"{result.frame.iloc[0, 1]:,}".replace(",", ".")


def test_results_are_shown_in_indonesian():
    import datetime as dt
    import pandas as pd
    frame = pd.DataFrame({"tahun_anggaran": [2025, None], "realisasi": [1234567, 2.5], "ada": [True, False],
                          "tanggal": [dt.date(2026, 11, 28), None], "kode_akun": ["521211", "524113"]})
    assert sb.display(frame).to_dict("records") == [
        {"tahun_anggaran": "2025", "realisasi": "1.234.567", "ada": "Ya", "tanggal": "28 Nov 2026",
         "kode_akun": "521211"},
        {"tahun_anggaran": "–", "realisasi": "2,50", "ada": "Tidak", "tanggal": "–", "kode_akun": "524113"}]
    # shown as text, so the page aligns the numbers right itself: amounts, not years, codes or Ya/Tidak
    assert sb.number_columns(frame) == ["realisasi"]
    assert sb.number_columns(pd.DataFrame({"n": [None, None], "kode_akun": [521211, 524113]})) == []


def test_decimal_results_are_shown_in_indonesian(demo_db):
    """DuckDB's DECIMAL (a sum of a money column, a literal 1.5) reaches the page as Decimal, not as a float."""
    result = sb.run("select 1.5 as x, sum(realisasi) as r, 2026::decimal(4, 0) as tahun from anggaran", ANALIS,
                    demo_db)
    total = query(demo_db, "select sum(realisasi) from anggaran")[0][0]
    assert sb.display(result.frame).to_dict("records") == [
        {"x": "1,50", "r": f"{int(total):,}".replace(",", "."), "tahun": "2026"}]
    assert sb.number_columns(result.frame) == ["x", "r"]


@pytest.mark.parametrize("sql, kind", [
    ("select * from read_csv('/etc/passwd')", "akses"),
    ("select 1; drop table klien", "banyak"),
    ("select nama from klien", "kolom"),
])
def test_the_child_process_refuses_with_the_same_messages(demo_db, sql, kind):
    with pytest.raises(sb.SandboxError) as caught:
        sb.run(sql, ANALIS, demo_db)
    assert caught.value.kind == kind and "Traceback" not in str(caught.value)


def test_the_child_process_keeps_the_limits(demo_db):
    forever = "with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r"
    with pytest.raises(sb.SandboxError) as caught:
        sb.run(forever, ANALIS, demo_db, time_limit=1)
    assert caught.value.kind == "waktu"
    many = sb.run("select * from range(2000000) t(n)", ANALIS, demo_db)
    assert len(many.frame) == sb.ROW_LIMIT and many.truncated
    # strings escape DuckDB's own memory accounting; the child's address-space cap stops them
    with pytest.raises(sb.SandboxError) as caught:
        sb.run("select repeat('x', 100000000) from range(100)", ANALIS, demo_db, time_limit=30, memory_mb=256)
    assert caught.value.kind == "memori" and str(caught.value) == sb.MESSAGES["memori"]
