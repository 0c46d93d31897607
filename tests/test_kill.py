"""A load killed with SIGKILL leaves every data table exactly as it was."""
import os
import signal
import subprocess
import sys
import time

import pytest

from etl.load import load_files
from tests.builders import KLIEN_HEADER, klien_row, workbook
from tests.conftest import ROOT, query

TABLES = ("klien", "kehadiran", "muat_run", "baris_ditolak", "klien_arsip")


def _state(db):
    return {t: query(db, f"select * from {t} order by all") for t in TABLES}


def _books(tmp_path, n=3000):
    base = workbook(tmp_path / "klien_awal.xlsx", {"Data": (KLIEN_HEADER, [klien_row(1, "PB-0", "Awal")])})
    rows = [klien_row(i, f"PB-{i}", f"Klien {i}") for i in range(1, n)]
    bigger = workbook(tmp_path / "klien_baru.xlsx", {"Data": (KLIEN_HEADER, rows + [klien_row(0, "PB-0", "Baru")])})
    return base, bigger


def _start(bigger, db, env_extra):
    env = {**os.environ, "BAPAS_CONFIG": "/nonexistent.toml", **env_extra}
    return subprocess.Popen([sys.executable, "-m", "etl", "load", str(bigger), "--db", str(db)], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def test_kill_inside_the_transaction_leaves_the_database_unchanged(tmp_path, db):
    base, bigger = _books(tmp_path)
    load_files([base], db)
    before = _state(db)
    proc = _start(bigger, db, {"BAPAS_UJI_JEDA_TRANSAKSI": "60"})
    deadline = time.time() + 120
    for line in proc.stderr:  # progress lines; the pause is announced after every write, before commit
        if "sebelum commit" in line or time.time() > deadline:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert _state(db) == before
    # and the database still takes the same load afterwards
    load_files([bigger], db)
    assert query(db, "select nama from klien where no_register = 'PB-0'") == [("Baru",)]


@pytest.mark.parametrize("delay", [0.3, 1.0, 1.8, 2.6])
def test_kill_at_any_moment_gives_before_or_after(tmp_path, db, delay):
    base, bigger = _books(tmp_path, n=1500)
    load_files([base], db)
    before = _state(db)
    proc = _start(bigger, db, {})
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    after = _state(db)
    if after != before:  # the commit happened before the kill: the whole file is in
        assert query(db, "select count(*) from klien") == [(1500,)]
        assert query(db, "select count(*) from muat_run") == [(2,)]
