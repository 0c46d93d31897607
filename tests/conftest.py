import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch, tmp_path):
    """No test reads the developer's environment or configuration file."""
    for name in ("BAPAS_DB", "BAPAS_KODE", "BAPAS_UJI_JEDA_TRANSAKSI", "BAPAS_MEMORI_BACA", "BAPAS_KUNCI_MODEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BAPAS_AKSES", str(tmp_path / "akses.sqlite"))
    # shared risk fits stay on (as in use) but per test: never a fit another test's accounts store signed
    monkeypatch.setenv("BAPAS_FOLDER_MODEL", str(tmp_path / "model"))
    monkeypatch.setenv("BAPAS_CONFIG", str(tmp_path / "tidak-ada.toml"))
    from etl import config
    config.settings.cache_clear()
    yield
    config.settings.cache_clear()


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "uji.duckdb"


def query(db_path: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def run_cli(*args, env_extra=None, timeout=300) -> subprocess.CompletedProcess:
    env = {**os.environ, "BAPAS_CONFIG": "/nonexistent.toml", **(env_extra or {})}
    env.pop("BAPAS_DB", None)
    return subprocess.run([sys.executable, "-m", "etl", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def cli_json(*args, **kw) -> tuple[int, dict]:
    done = run_cli(*args, "--json", **kw)
    return done.returncode, json.loads(done.stdout)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A small demo database (same shape as the office demo, fewer cases), built once per test session."""
    import datetime as dt
    from etl.demo import build_demo
    folder = tmp_path_factory.mktemp("demo")
    path = folder / "bapas.duckdb"
    build_demo(path, folder / "berkas", n_cases=1200, as_of=dt.date(2026, 10, 31))
    return path
