"""A konfigurasi.toml typed by hand with a mistake is said in Indonesian (file, line, what to fix), never a traceback."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from etl import config

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def bad_config(tmp_path, monkeypatch):
    def write(text: str | bytes) -> Path:
        path = tmp_path / "konfigurasi.toml"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        monkeypatch.setenv("BAPAS_CONFIG", str(path))
        config.settings.cache_clear()
        return path
    yield write
    config.settings.cache_clear()


@pytest.mark.parametrize("text, expected", [
    ('db = "data/bapas.duckdb"\nkode_bapas = BAPAS-MET\n', "baris 2, kolom 14: «kode_bapas = BAPAS-MET»"),
    ('kode_bapas = "BAPAS-MET\n', "baris 1"),
    ("kode_bapas = 12\n", "nilai kode_bapas harus berupa teks"),
    ('[kantor\n"BAPAS-MET" = "Bapas Metro"\n', "baris 1"),
    (b'kode_bapas = "BAPAS-\xe9"\n', "simpan sebagai teks UTF-8"),
])
def test_a_broken_file_is_named_with_the_line_to_fix(bad_config, text, expected):
    path = bad_config(text)
    with pytest.raises(config.ConfigError) as caught:
        config.kode_bapas()
    assert str(path) in str(caught.value) and expected in str(caught.value)


def test_a_file_saved_with_a_bom_by_notepad_is_read(bad_config):
    bad_config('\ufeffkode_bapas = "bapas-met"\n')
    assert config.kode_bapas() == "BAPAS-MET"


def test_command_lines_say_it_before_any_work_and_exit_2(bad_config, tmp_path):
    path = bad_config("kode_bapas = BAPAS-MET\n")
    csv_path = tmp_path / "klien.csv"
    csv_path.write_text("No. Register,Nama,Tanggal Mulai Bimbingan\nPB-1,Ani,01/02/2026\n", encoding="utf-8")
    db = tmp_path / "x.duckdb"
    for command in (["etl", "load", str(csv_path), "--db", str(db)], ["analytics", "risk-validate", "--db", str(db)]):
        done = subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True,
                              timeout=120, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
                                                "BAPAS_CONFIG": str(path)})
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        assert f"berkas konfigurasi {path} tidak sesuai format TOML di baris 1, kolom 14" in done.stderr
    assert not list(tmp_path.glob("x.duckdb*"))  # nothing was started


def test_the_app_shows_it_instead_of_a_traceback(bad_config):
    bad_config("kode_bapas = BAPAS-MET\n")
    st.cache_resource.clear()
    at = AppTest.from_file("../app.py", default_timeout=60).run()
    assert not at.exception
    assert [e.value for e in at.error] and at.error[0].value.startswith("Aplikasi belum dapat dijalankan: berkas "
                                                                        "konfigurasi")
    assert not at.text_input  # no login form under the error


def test_load_names_the_office_of_rows_without_a_code(tmp_path):
    """`etl load --kantor`: rows whose sheet has no Kode Bapas (or leaves it empty) get that office; a filled cell
    keeps its own; a code that is not a code is refused before any work."""
    csv_path = tmp_path / "klien.csv"
    csv_path.write_text("No. Register,Nama,Tanggal Mulai Bimbingan,Kode Bapas\nPB-1,Ani,01/02/2026,\n"
                        "PB-2,Budi,02/02/2026,BAPAS-KTB\n", encoding="utf-8")
    db = tmp_path / "x.duckdb"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "BAPAS_CONFIG": str(tmp_path / "tidak-ada.toml")}

    def load(*extra):
        return subprocess.run([sys.executable, "-m", "etl", "load", str(csv_path), "--db", str(db), *extra],
                              cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)

    refused = load("--kantor", "Bapas Metro!")
    assert refused.returncode == 2 and "--kantor: kode kantor tidak valid: 'Bapas Metro!'" in refused.stderr
    assert not db.exists()
    done = load("--kantor", " bapas-met ")
    assert done.returncode == 0, done.stderr
    from tests.conftest import query
    assert query(db, "select no_register, kode_bapas from klien order by 1") == [("PB-1", "BAPAS-MET"),
                                                                                ("PB-2", "BAPAS-KTB")]


def test_the_commented_example_is_a_valid_file(monkeypatch):
    monkeypatch.setenv("BAPAS_CONFIG", str(ROOT / "konfigurasi.contoh.toml"))
    config.settings.cache_clear()
    try:
        assert config.kode_bapas() == config.DEFAULT_KODE_BAPAS and set(config.settings()) <= set(config.TEXT_SETTINGS)
    finally:
        config.settings.cache_clear()


def test_the_configured_office_names_the_report_cover(bad_config):
    from analytics.report import office_names
    bad_config('kode_bapas = "bapas-met"\nnama_kantor = "  Bapas Kelas II   Metro "\n')
    names = office_names()
    assert names["BAPAS-MET"] == "Bapas Kelas II Metro"
    assert names["BAPAS-BDL"] == "Bapas Kelas II Bandar Lampung"  # the target file's [kantor] still counts


def test_the_login_page_names_the_configured_office(bad_config, demo_db, tmp_path, monkeypatch):
    db = tmp_path / "bapas.duckdb"
    shutil.copy(demo_db, db)
    monkeypatch.setenv("BAPAS_DB", str(db))
    bad_config('kode_bapas = "BAPAS-MET"\nnama_kantor = "Bapas Kelas II Metro"\n')
    st.cache_resource.clear()
    at = AppTest.from_file("../app.py", default_timeout=60).run()
    assert not at.exception and at.caption[0].value == "Bapas Kelas II Metro — masuk dengan akun Anda."
    bad_config('kode_bapas = "BAPAS-MET"\n')  # no name: the code, never another office's name
    at = AppTest.from_file("../app.py", default_timeout=60).run()
    assert not at.exception and at.caption[0].value == "BAPAS-MET — masuk dengan akun Anda."
