"""The read side's only door to the analytics database: short read-only connections, bound parameters."""
from __future__ import annotations

import os
import re
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from etl import config


class DataUnavailable(Exception):
    """The database cannot be read right now (missing, or being written); the message is for the user."""


@contextmanager
def reader(db_path: Path | None = None):
    """An in-memory connection with the database attached read-only (always the current file on disk)."""
    path = Path(db_path) if db_path else config.db_path()
    if not path.is_file():
        raise DataUnavailable(f"basis data belum ada: {path}")
    con = duckdb.connect(":memory:")
    try:
        try:
            con.execute("attach ? as bapas (read_only)", [str(path)])
        except duckdb.IOException as exc:
            raise DataUnavailable("basis data sedang ditulis oleh proses lain; coba lagi sebentar lagi") from exc
        con.execute("use bapas")
        yield con
    finally:
        con.close()


def frame(sql: str, params: dict | list | None = None, db_path: Path | None = None) -> pd.DataFrame:
    """Run one read query with bound parameters and return its rows.

    Named parameters the query does not use are dropped (DuckDB refuses extra ones), so callers can pass
    the whole filter set.
    """
    if isinstance(params, dict):
        used = set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", sql))
        params = {k: v for k, v in params.items() if k in used}
    with reader(db_path) as con:
        return con.execute(sql, params or {}).df()


def data_version(db_path: Path | None = None) -> str:
    """A token that changes whenever the database file changes (for cache keys)."""
    path = Path(db_path) if db_path else config.db_path()
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return "tidak-ada"
    return f"{stat.st_mtime_ns}-{stat.st_size}"
