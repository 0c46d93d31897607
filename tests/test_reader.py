"""The read side's connections: a bounded memory per connection, spilling to a private folder, few statements at once."""
import threading
import time
from contextlib import contextmanager

import duckdb
import pytest

from analytics import db
from etl import config


def _make(path):
    con = duckdb.connect(str(path))
    con.execute("create table t as select range as i, md5(range::varchar) as s from range(300000)")
    con.close()


def test_each_read_connection_has_the_configured_memory_limit_and_a_private_spill_folder(tmp_path, monkeypatch):
    path = tmp_path / "a.duckdb"
    _make(path)
    with db.reader(path) as con:
        default = con.execute("select current_setting('memory_limit'), current_setting('temp_directory')").fetchone()
    assert default[0] == "244.1 MiB"  # 256MB, DuckDB shows MiB
    assert "bapas-duckdb-" in default[1] and default[1] != ".tmp"

    monkeypatch.setenv("BAPAS_MEMORI_BACA", "64MB")
    other = tmp_path / "b.duckdb"
    _make(other)
    with db.reader(other) as con:
        limit, spill = con.execute("select current_setting('memory_limit'), current_setting('temp_directory')"
                                   ).fetchone()
        # a sort larger than the limit spills instead of failing or growing the process
        rows = con.execute("select count(*) from (select s from t, range(10) r order by s)").fetchone()[0]
    assert limit == "61.0 MiB" and rows == 3_000_000 and spill != default[1]


def test_a_memory_setting_duckdb_refuses_is_said_in_indonesian(tmp_path, monkeypatch):
    path = tmp_path / "a.duckdb"
    _make(path)
    monkeypatch.setenv("BAPAS_MEMORI_BACA", "banyak")
    with pytest.raises(db.DataUnavailable, match="pengaturan memori_baca tidak valid"):
        db.frame("select 1", db_path=path)


def test_the_setting_comes_from_the_environment_else_the_configuration_file(tmp_path, monkeypatch):
    (tmp_path / "k.toml").write_text('memori_baca = "1GB"\n', encoding="utf-8")
    monkeypatch.setenv("BAPAS_CONFIG", str(tmp_path / "k.toml"))
    monkeypatch.delenv("BAPAS_MEMORI_BACA", raising=False)
    config.settings.cache_clear()
    try:
        assert config.read_memory() == "1GB"
        monkeypatch.setenv("BAPAS_MEMORI_BACA", "2GB")
        assert config.read_memory() == "2GB"
    finally:
        config.settings.cache_clear()


def _counting_reader(monkeypatch, seen: list, fail_first: bool = False):
    """db.reader replaced by one that records how many statements run at once and whether one runs alone."""
    lock, state = threading.Lock(), {"now": 0, "calls": 0}

    class Cursor:
        def register(self, name, table):
            pass

        def execute(self, sql, params=None):
            with lock:
                state["calls"] += 1
                first = state["calls"] == 1
            if fail_first and first:
                raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block")
            return self

        def fetchone(self):
            return ("2",)

        def df(self):
            time.sleep(0.05)
            return "rows"

    @contextmanager
    def reader(db_path=None):
        with lock:
            state["now"] += 1
            seen.append((state["now"], db._GATE._alone))
        try:
            yield Cursor()
        finally:
            with lock:
                state["now"] -= 1

    monkeypatch.setattr(db, "reader", reader)


def test_no_more_statements_run_at_once_than_kueri_baca(monkeypatch):
    monkeypatch.setenv("BAPAS_KUERI_BACA", "2")
    seen = []
    _counting_reader(monkeypatch, seen)
    threads = [threading.Thread(target=db.frame, args=("select 1",)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 8 and max(n for n, _ in seen) == 2  # eight asked together, two ran at a time


def test_a_statement_refused_for_memory_runs_again_alone(monkeypatch):
    monkeypatch.setenv("BAPAS_KUERI_BACA", "4")
    seen, results = [], []
    _counting_reader(monkeypatch, seen, fail_first=True)
    threads = [threading.Thread(target=lambda: results.append(db.frame("select 1"))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["rows"] * 4  # the refused one too, on its second try
    alone = [n for n, is_alone in seen if is_alone]
    assert len(seen) == 5 and alone == [1]  # the retry ran with nothing else running


def test_the_retry_alone_runs_on_one_thread_and_restores_the_setting(tmp_path, monkeypatch):
    path = tmp_path / "a.duckdb"
    _make(path)
    threads = "select current_setting('threads') as n"
    before = int(db.frame(threads, db_path=path)["n"].iloc[0])
    real, calls = db.reader, []

    class Refusing:  # the first statement is refused for memory, as DuckDB does under the shared limit
        def __init__(self, cursor):
            self.cursor = cursor

        def register(self, name, table):
            self.cursor.register(name, table)

        def execute(self, sql, params=None):
            raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block")

    @contextmanager
    def reader(db_path=None):
        calls.append(1)
        with real(db_path) as cursor:
            yield Refusing(cursor) if len(calls) == 1 else cursor

    monkeypatch.setattr(db, "reader", reader)
    assert int(db.frame(threads, db_path=path)["n"].iloc[0]) == 1  # the second try ran on one thread
    monkeypatch.setattr(db, "reader", real)
    assert int(db.frame(threads, db_path=path)["n"].iloc[0]) == before  # and the setting came back


def test_a_bad_kueri_baca_is_said_in_indonesian(tmp_path, monkeypatch):
    path = tmp_path / "a.duckdb"
    _make(path)
    monkeypatch.setenv("BAPAS_KUERI_BACA", "nol")
    with pytest.raises(db.DataUnavailable, match="pengaturan kueri_baca tidak valid"):
        db.frame("select 1", db_path=path)
