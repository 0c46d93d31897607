"""Taking the demo data out before the office's own: the loader, the command line and the Unggah Data page."""
import datetime as dt
import shutil
import subprocess
import sys
import sqlite3
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics import db as adb
from analytics.filters import Filters
from analytics.viewer import Viewer
from etl import config, snapshot
from etl.load import MATERIALISED, LoadError, _stored_rows, clear_demo, load_files
from tests.builders import KLIEN_HEADER, klien_row, workbook
from tests.conftest import query

ROOT = Path(__file__).resolve().parent.parent
DATA_TABLES = ("klien", "kehadiran", "mitra", "program", "anggaran", "hambatan")


@pytest.fixture
def demo_copy(demo_db, tmp_path):
    db = tmp_path / "bapas.duckdb"
    shutil.copy(demo_db, db)
    return db


def _counts(db) -> dict:
    return {t: query(db, f"select count(*) from {t}")[0][0] for t in DATA_TABLES}


def test_only_the_demo_rows_go_and_the_office_rows_stay(demo_copy, tmp_path):
    before = _counts(demo_copy)
    assert all(before.values())
    own = workbook(tmp_path / "klien-kantor.xlsx", {"Data Klien": (KLIEN_HEADER, [
        klien_row(1, "KANTOR-1", "Ani"), klien_row(2, "KANTOR-2", "Budi")])})
    assert load_files([own], demo_copy, user="kepala")["files"][0]["rows_loaded"] == 2
    removed = clear_demo(demo_copy)
    assert removed == {t: n for t, n in before.items() if n}  # every demo row, counted per table
    assert _counts(demo_copy) == {t: (2 if t == "klien" else 0) for t in DATA_TABLES}
    assert query(demo_copy, "select no_register from klien order by 1") == [("KANTOR-1",), ("KANTOR-2",)]
    assert query(demo_copy, "select count(*) from muat_run where pengguna = 'demo'") == [(0,)]
    assert query(demo_copy, "select count(*) from muat_run") == [(1,)]  # the office's own load is still listed
    for stored in MATERIALISED:  # rebuilt from what is left: as many rows as their definition gives now
        assert query(demo_copy, f"select count(*) from {stored}") == query(
            demo_copy, f"select count(*) from ({_stored_rows(stored)})")
    assert query(demo_copy, "select count(*) from mangkir_beruntun") == [(0,)]
    kept = snapshot.backups(demo_copy)
    assert kept and _counts(kept[-1])["kehadiran"] == before["kehadiran"]  # the demo can be restored
    with pytest.raises(LoadError, match="tidak berisi data demo"):
        clear_demo(demo_copy)


def test_command_line(demo_copy):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "etl", *args, "--db", str(demo_copy)], cwd=ROOT,
                              capture_output=True, text=True, timeout=300)
    done = run("clear-demo")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("data demo dikeluarkan: ") and "baris klien" in done.stdout
    again = run("clear-demo")
    assert again.returncode == 1 and "tidak berisi data demo" in again.stderr and "Traceback" not in again.stderr


def test_the_unggah_page_offers_it_while_demo_data_are_there(demo_copy):
    from analytics.accounts import Account, Store
    from ui import Context
    st.cache_data.clear()

    def go(at: AppTest, demo: bool) -> AppTest:
        viewer = Viewer("kepala1", "kepala", None, "ab" * 32)
        at.session_state["konteks"] = Context(viewer, Filters(dt.date(2026, 9, 1), dt.date(2026, 10, 31)), "kustom",
                                              demo_copy, dt.date(2026, 10, 31), adb.data_version(demo_copy), demo)
        return at.run()

    at = AppTest.from_file("../halaman/unggah.py", default_timeout=60)
    at.session_state["akun"] = Account("kepala1", "Uji kepala", "kepala", None, None, True)
    at.session_state["_store"] = Store()
    at = go(at, True)
    assert not at.exception
    assert "masih berisi **data demo**" in at.warning[0].value
    assert at.button(key="unggah_demo_keluar").disabled  # not before the box is ticked
    at.checkbox(key="unggah_demo_yakin").check()
    at = go(at, True)
    at.button(key="unggah_demo_keluar").click()
    at = go(at, True)
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert _counts(demo_copy) == {t: 0 for t in DATA_TABLES}
    [done] = [s.value for s in at.success]
    assert done.startswith("Data demo dikeluarkan (") and "menonaktifkan akun demo di halaman Pengguna" in done
    at = go(at, False)  # the frame, run again, finds no demo run any more
    assert not at.exception and not [b for b in at.button if b.key == "unggah_demo_keluar"]
    con = sqlite3.connect(config.akses_path())
    try:
        action = con.execute("select aksi, jumlah_baris from audit order by id desc limit 1").fetchall()[0]
    finally:
        con.close()
    assert action[0] == "KELUARKAN_DEMO" and action[1] > 0
    st.cache_data.clear()
