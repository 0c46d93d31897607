"""The read side's only door to the analytics database: read-only connections, bound parameters.

The database is a DuckDB file, or a Parquet dataset folder written by `python -m etl export` (for several app
servers reading shared storage); both are read the same way.

Loads never write the database file in place: they build a new snapshot and rename it over the old one
(etl/snapshot.py). So a reader attaches the file read-only, keeps that connection while the file stays the same
(opening one costs ~46 ms, a query on an open one ~1 ms) and opens a new one as soon as a load has replaced the
file; queries still running on the old connection finish on the old snapshot.
"""
from __future__ import annotations

import itertools
import os
import re
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from etl import config


class DataUnavailable(Exception):
    """The database cannot be read right now (missing, or unreadable); the message is for the user."""


_OPEN: dict[str, tuple[str, duckdb.DuckDBPyConnection]] = {}  # path -> (version, connection)
_LOCK = threading.Lock()
_SPILL = itertools.count()


def _settings() -> dict:
    """Each read connection is its own DuckDB instance: a memory limit (above it queries spill to a private
    temporary folder that DuckDB creates when needed and removes when the connection closes)."""
    spill = Path(tempfile.gettempdir()) / f"bapas-duckdb-{os.getpid()}-{next(_SPILL)}"
    return {"memory_limit": config.read_memory(), "temp_directory": str(spill)}


def _connection(path: Path) -> duckdb.DuckDBPyConnection:
    """The open read-only connection to the current snapshot of `path` (a new one after each load)."""
    version = data_version(path)
    key = str(path.resolve())
    with _LOCK:
        cached = _OPEN.get(key)
        if cached and cached[0] == version:
            return cached[1]
        try:
            con = duckdb.connect(":memory:", config=_settings())
        except duckdb.Error as exc:
            raise DataUnavailable(f"pengaturan memori_baca tidak valid ({config.read_memory()!r}): "
                                  f"{str(exc)[:200]}") from exc
        try:
            if path.is_dir():
                _attach_dataset(con, path)
            else:
                con.execute("attach ? as bapas (read_only)", [str(path)])
        except duckdb.Error as exc:
            con.close()
            raise DataUnavailable(f"basis data tidak dapat dibaca: {str(exc)[:200]}") from exc
        con.execute("use bapas")
        _OPEN[key] = (version, con)  # the replaced connection closes when its last cursor is gone
        return con


def _attach_dataset(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """A Parquet dataset written by `etl export` (shared storage): its tables as views, then the metric views."""
    from etl import export, load
    con.execute("set parquet_metadata_cache = true")  # a version's files never change once written
    con.execute("attach ':memory:' as bapas")
    con.execute("use bapas")
    for statement in export.catalog_sql(folder):
        con.execute(statement)
    for sql in load.view_files():
        con.execute(sql.read_text(encoding="utf-8"))


class _Gate:
    """Admission for read statements: at most `kueri_baca` at once in this process, or one running alone.

    The statements running at once share the connection's memory limit. Twenty sessions each starting a
    whole-table scan made DuckDB refuse some with OutOfMemoryException (national scale, memori_baca 256MB),
    although each fits alone; so only a few run together, and one refused for memory runs again alone.
    """

    def __init__(self):
        self._cond = threading.Condition()
        self._active = 0
        self._alone = False
        self._waiting_alone = 0

    @contextmanager
    def shared(self):
        try:
            slots = config.read_queries()
        except ValueError as exc:
            raise DataUnavailable(str(exc)) from exc
        with self._cond:  # a statement waiting to run alone goes first: it has already been refused once
            self._cond.wait_for(lambda: not self._alone and not self._waiting_alone and self._active < slots)
            self._active += 1
        try:
            yield
        finally:
            with self._cond:
                self._active -= 1
                self._cond.notify_all()

    @contextmanager
    def alone(self):
        with self._cond:
            self._waiting_alone += 1
            self._cond.wait_for(lambda: not self._alone and self._active == 0)
            self._waiting_alone -= 1
            self._alone = True
        try:
            yield
        finally:
            with self._cond:
                self._alone = False
                self._cond.notify_all()


_GATE = _Gate()


def is_database(path: Path) -> bool:
    """A DuckDB file, or a Parquet dataset folder with its manifest."""
    from etl.export import MANIFEST
    return path.is_file() or (path / MANIFEST).is_file()


@contextmanager
def reader(db_path: Path | None = None):
    """A cursor on the current snapshot of the database (read-only; closed after the block)."""
    path = Path(db_path) if db_path else config.db_path()
    if not is_database(path):
        raise DataUnavailable(f"basis data belum ada: {path}")
    cursor = _connection(path).cursor()
    try:
        cursor.execute("use bapas; set enable_progress_bar = false")
        yield cursor
    finally:
        cursor.close()


def frame(sql: str, params: dict | list | None = None, db_path: Path | None = None,
          tables: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Run one read query with bound parameters and return its rows.

    Named parameters the query does not use are dropped (DuckDB refuses extra ones), so callers can pass
    the whole filter set. `tables` are in-memory frames the query can read by name (this query only).
    """
    if isinstance(params, dict):
        used = set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", sql))
        params = {k: v for k, v in params.items() if k in used}

    def run(one_thread: bool = False) -> pd.DataFrame:
        with reader(db_path) as con:
            for name, table in (tables or {}).items():
                con.register(name, table)
            if not one_thread:
                return con.execute(sql, params or {}).df()
            threads = con.execute("select current_setting('threads')").fetchone()[0]
            con.execute("set threads = 1")  # the instance's setting: safe only while nothing else runs
            try:
                return con.execute(sql, params or {}).df()
            finally:
                con.execute(f"set threads = {int(threads)}")

    try:
        with _GATE.shared():
            return run()
    except duckdb.OutOfMemoryException:
        # Refused while sharing the memory limit: again alone, with the whole limit to itself and one thread (each
        # thread holds its own buffers: the national risk case frame read from Parquet fits 256MB only so).
        with _GATE.alone():
            return run(one_thread=True)


def data_version(db_path: Path | None = None) -> str:
    """A token that changes whenever a load has replaced the database file (for cache keys)."""
    path = Path(db_path) if db_path else config.db_path()
    if path.is_dir():
        from etl.export import MANIFEST
        path = path / MANIFEST  # replaced with the whole dataset by each export
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return "tidak-ada"
    return f"{stat.st_ino}-{stat.st_mtime_ns}-{stat.st_size}"
