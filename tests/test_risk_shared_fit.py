"""One risk fit per data version for every app server: a signed file in a shared folder (issue «Scale»).

A second "server" is this process with its kept fits dropped (`risk.forget()`). The office database of
tests/test_risk.py (5,500 cases) checks that a loaded fit equals the fitted one; the small office (120 cases, too
few events for a model, fitted in well under a second) checks the file handling.
"""
import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from threadpoolctl import threadpool_limits

from analytics import accounts, db, risk
from etl import config
from tests.test_risk import office_db, small_office

KEY = "uji-" + "7" * 40                  # kunci_model shared by the test's servers
OTHER_KEY = "uji-" + "8" * 40
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def office(tmp_path_factory) -> Path:
    return office_db(tmp_path_factory)


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    return small_office(tmp_path_factory.mktemp("kecil-bersama"))


@pytest.fixture(autouse=True)
def shared(monkeypatch, tmp_path) -> Path:
    """Each test: its own shared folder and kunci_model, no kept fits before or after."""
    folder = tmp_path / "model-bersama"
    monkeypatch.setenv("BAPAS_FOLDER_MODEL", str(folder))
    monkeypatch.setenv("BAPAS_KUNCI_MODEL", KEY)
    risk.forget()
    yield folder
    risk.forget()


@pytest.fixture
def fits(monkeypatch) -> list:
    """The fits this process makes itself (not loaded from the shared folder)."""
    calls, real = [], risk._fit

    def counted(*args):
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(risk, "_fit", counted)
    return calls


def stored(folder: Path) -> list[Path]:
    return sorted(folder.glob("risiko-*.fit"))


def assert_same_fit(a: risk.Fit, b: risk.Fit) -> None:
    """Every figure the pages show from a fit, and the models' predictions, are equal (exactly)."""
    assert {k: v for k, v in a.validation.report.items() if k != "seconds"} == \
        {k: v for k, v in b.validation.report.items() if k != "seconds"}
    for name in ("cases", "calibration", "coefficients", "points", "points_risk"):
        pd.testing.assert_frame_equal(getattr(a.validation, name), getattr(b.validation, name), check_exact=True)
    pd.testing.assert_frame_equal(a.scores, b.scores, check_exact=True)
    pd.testing.assert_frame_equal(a.frame, b.frame, check_exact=True)
    assert (a.as_of, a.prediction_months) == (b.as_of, b.prediction_months)
    if a.model is None:
        assert b.model is None
        return
    inputs = risk.model_inputs(a.validation.cases, a.model.used)
    assert np.array_equal(a.model.predict(inputs), b.model.predict(inputs))
    assert np.array_equal(a.card.predict(inputs), b.card.predict(inputs))


# --- one fit serves every server -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def first_server(office, tmp_path_factory):
    """Server 1 fits the office (24 months) and writes it to the shared folder."""
    folder = tmp_path_factory.mktemp("bersama") / "model"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BAPAS_FOLDER_MODEL", str(folder))
        mp.setenv("BAPAS_KUNCI_MODEL", KEY)
        risk.forget()
        fit = risk.fitted(db_path=office)
        risk.forget()
    return fit, folder


def test_a_fit_written_by_one_server_is_loaded_by_another(first_server, office, fits, monkeypatch):
    first, folder = first_server
    files = stored(folder)
    assert len(files) == 1 and files[0].stat().st_mode & 0o077 == 0  # person-level data: the service account only
    monkeypatch.setenv("BAPAS_FOLDER_MODEL", str(folder))
    second = risk.fitted(db_path=office)  # a server with nothing kept
    assert fits == [] and second is not first and second.version == first.version == db.data_version(office)
    assert_same_fit(first, second)
    assert risk.fitted(db_path=office) is second and risk.ready(db_path=office)


def test_two_fits_of_one_version_are_identical(first_server, office, shared, fits):
    """Fixed seeds and one BLAS thread: what makes handing one server's fit to the others honest. The other server
    is a real process with another string-hash seed, and its file is loaded here."""
    script = "import sys; from pathlib import Path; from analytics import risk; risk.fitted(db_path=Path(sys.argv[1]))"
    env = {**os.environ, "BAPAS_CONFIG": "/nonexistent.toml", "BAPAS_FOLDER_MODEL": str(shared),
           "BAPAS_KUNCI_MODEL": KEY, "PYTHONHASHSEED": "2026"}
    done = subprocess.run([sys.executable, "-c", script, str(office)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    theirs = risk.fitted(db_path=office)
    assert fits == [] and len(stored(shared)) == 1
    assert_same_fit(first_server[0], theirs)


# --- refused files --------------------------------------------------------------------------------------------------

@pytest.fixture
def unpickled(monkeypatch) -> list:
    """Every payload the process unpickles."""
    calls, real = [], risk.joblib.load

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(risk.joblib, "load", counted)
    return calls


@pytest.mark.parametrize("where", ["magic", "signature", "payload", "last byte"])
def test_a_file_with_one_byte_changed_is_refused_unread_and_fitted_again(small, shared, fits, unpickled, where, caplog):
    first = risk.fitted(db_path=small)
    [path] = stored(shared)
    data = bytearray(path.read_bytes())
    at = {"magic": 3, "signature": len(risk._MAGIC) + 5, "payload": len(data) // 2, "last byte": len(data) - 1}[where]
    data[at] ^= 0x01
    path.write_bytes(bytes(data))
    risk.forget()
    with caplog.at_level(logging.WARNING, logger="analytics.risk"):
        second = risk.fitted(db_path=small)
    assert len(fits) == 2 and unpickled == []  # never unpickled, fitted afresh
    assert any("ditolak" in r.getMessage() for r in caplog.records)
    assert_same_fit(first, second)
    risk.forget()  # the fresh fit replaced the damaged file: the next server loads it
    assert risk.fitted(db_path=small) is not second and len(fits) == 2 and len(unpickled) == 1


def test_a_file_signed_with_another_key_is_refused(small, shared, fits, unpickled, monkeypatch):
    monkeypatch.setenv("BAPAS_KUNCI_MODEL", OTHER_KEY)
    risk.fitted(db_path=small)
    risk.forget()
    monkeypatch.setenv("BAPAS_KUNCI_MODEL", KEY)
    risk.fitted(db_path=small)
    assert len(fits) == 2 and unpickled == []


def test_a_valid_file_copied_under_another_name_is_refused(small, shared, fits, unpickled):
    """The name (window, data version, code version) is signed: an old or other window's fit cannot stand in."""
    risk.fitted(12, db_path=small)
    [twelve] = stored(shared)
    key = risk._key(24, False, None, small)
    target = risk._shared(key, db.data_version(small)).path
    shutil.copyfile(twelve, target)
    risk.forget()
    fit = risk.fitted(24, db_path=small)
    assert fit.validation.report["horizon"] == 24 and len(fits) == 2 and unpickled == []


# --- which file a server looks for ------------------------------------------------------------------------------------

def test_a_new_data_version_does_not_load_the_old_file(small, shared, fits, tmp_path):
    copy = tmp_path / "bapas.duckdb"
    shutil.copyfile(small, copy)
    old = risk.fitted(db_path=copy)
    shutil.copyfile(small, tmp_path / "baru.duckdb")
    os.replace(tmp_path / "baru.duckdb", copy)  # what a load does: a new file in place
    risk.forget()
    new = risk.fitted(db_path=copy)
    assert len(fits) == 2 and new.version == db.data_version(copy) != old.version
    assert len(stored(shared)) == 2


def test_servers_name_a_dataset_by_its_manifest_and_a_release_by_its_code(small, tmp_path, monkeypatch):
    """Servers may mount the share at different paths; each export and each release names new files."""
    from etl.export import export_parquet
    dataset = tmp_path / "dataset"
    export_parquet(small, dataset)
    elsewhere = tmp_path / "mount-lain" / "dataset"
    shutil.copytree(dataset, elsewhere)

    def name(path: Path) -> str:
        return risk._shared(risk._key(24, False, None, path), db.data_version(path)).path.name

    assert name(dataset) == name(elsewhere) and name(dataset) != name(small)
    before = name(dataset)
    assert risk._shared(risk._key(12, False, None, dataset), db.data_version(dataset)).path.name != before
    time.sleep(0.01)
    export_parquet(small, dataset)  # a new version of the dataset
    assert name(dataset) != before
    assert name(elsewhere) == before  # the copy still holds the old version
    monkeypatch.setattr(risk, "_code_version", lambda: "rilis-baru")
    assert name(elsewhere) != before


# --- no shared folder -------------------------------------------------------------------------------------------------

def test_a_folder_that_cannot_be_made_means_fits_stay_in_the_process(small, tmp_path, monkeypatch, fits, caplog):
    (tmp_path / "berkas").write_text("bukan folder")
    monkeypatch.setenv("BAPAS_FOLDER_MODEL", str(tmp_path / "berkas" / "model"))
    with caplog.at_level(logging.INFO, logger="analytics.risk"):
        fit = risk.fitted(db_path=small)
    assert risk.fitted(db_path=small) is fit and len(fits) == 1 and risk.ready(db_path=small)
    assert [r for r in caplog.records if r.levelno == logging.INFO and "tidak tersedia" in r.getMessage()]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_folder_that_cannot_be_written_means_fits_stay_in_the_process(small, shared, monkeypatch, fits, caplog):
    """A read-only share (tests run as root, so writing is refused by hand)."""
    shared.mkdir()
    real = os.open

    def read_only(path, flags, *args, **kwargs):
        if str(path).startswith(str(shared)) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise PermissionError(13, "Read-only file system", str(path))
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    with caplog.at_level(logging.INFO, logger="analytics.risk"):
        fit = risk.fitted(db_path=small)
    assert risk.fitted(db_path=small) is fit and len(fits) == 1 and list(shared.iterdir()) == []
    assert [r for r in caplog.records if r.levelno == logging.INFO and "tidak dapat ditulis" in r.getMessage()]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_nonaktif_turns_sharing_off(small, shared, monkeypatch, fits):
    monkeypatch.setenv("BAPAS_FOLDER_MODEL", "nonaktif")
    risk.fitted(db_path=small)
    assert len(fits) == 1 and not shared.exists()


def test_without_kunci_model_the_accounts_store_signs(small, shared, monkeypatch, fits, tmp_path, caplog):
    """Servers on one machine share one accounts store and so its secret; a command line without one shares nothing."""
    monkeypatch.delenv("BAPAS_KUNCI_MODEL")
    monkeypatch.setenv("BAPAS_AKSES", str(tmp_path / "tidak-ada.sqlite"))
    with caplog.at_level(logging.INFO, logger="analytics.risk"):
        risk.fitted(db_path=small)
    assert not shared.exists() and not (tmp_path / "tidak-ada.sqlite").exists()
    assert any("kunci_model tidak diatur" in r.getMessage() for r in caplog.records)
    one, other = accounts.open_store(tmp_path / "satu.sqlite"), accounts.open_store(tmp_path / "lain.sqlite")
    monkeypatch.setenv("BAPAS_AKSES", str(one.path))
    risk.forget()
    risk.fitted(db_path=small)
    risk.forget()
    risk.fitted(db_path=small)  # another server with the same store: loaded
    assert len(fits) == 2 and len(stored(shared)) == 1
    monkeypatch.setenv("BAPAS_AKSES", str(other.path))  # a server on another machine, with its own store
    risk.forget()
    risk.fitted(db_path=small)
    assert len(fits) == 3


# --- waiting for another server ---------------------------------------------------------------------------------------

def test_a_server_waits_for_another_servers_fit_without_holding_up_the_page(small, shared, fits, monkeypatch):
    """Server 1 holds the version's lock while it fits; server 2's page says «sedang dilatih» and polls ready(),
    which turns true when server 1's file appears; server 2 then loads it instead of fitting."""
    key = risk._key(24, False, None, small)
    theirs = risk._shared(key, db.data_version(small))
    with threadpool_limits(limits=1):
        fit = risk._fit(24, False, None, small)  # server 1's fit (made before it holds the lock: nothing to count)
    fits.clear()
    loading, real = threading.Event(), risk._SharedFit.load

    def slow_load(self):
        assert loading.wait(60)  # a national fit takes a second or two to read
        return real(self)

    monkeypatch.setattr(risk._SharedFit, "load", slow_load)
    lock = theirs.lock()
    lock.acquire()
    try:
        assert risk.serving(db_path=small, patience=0.3) == (None, False)
        time.sleep(1.5)  # server 2's background refit is waiting for the lock
        assert not risk.ready(db_path=small) and fits == []
        theirs.save(fit)
        assert risk.ready(db_path=small) and risk._kept(key) is None  # the file is there, not yet loaded
        loading.set()
        assert risk.serving(db_path=small, patience=30) == (db.data_version(small), True)
    finally:
        loading.set()
        lock.release()
    assert fits == []


# --- settings -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("env, toml, expected", [
    (None, None, "data/model"),
    ("/share/bapas/model", None, "/share/bapas/model"),
    (None, 'folder_model = "/srv/model"', "/srv/model"),
    ("nonaktif", 'folder_model = "/srv/model"', None),
    (None, "folder_model = false", None),
])
def test_model_folder_setting(env, toml, expected, monkeypatch, tmp_path):
    monkeypatch.delenv("BAPAS_FOLDER_MODEL")
    if env:
        monkeypatch.setenv("BAPAS_FOLDER_MODEL", env)
    if toml:
        (tmp_path / "konfigurasi.toml").write_text(toml + "\n", encoding="utf-8")
        monkeypatch.setenv("BAPAS_CONFIG", str(tmp_path / "konfigurasi.toml"))
    config.settings.cache_clear()
    assert config.model_folder(Path("data/bapas.duckdb")) == (Path(expected) if expected else None)
    config.settings.cache_clear()


def test_model_key_setting(monkeypatch):
    assert config.model_key() == KEY.encode()
    monkeypatch.setenv("BAPAS_KUNCI_MODEL", "pendek")
    with pytest.raises(ValueError, match="kunci_model terlalu pendek"):
        config.model_key()
    monkeypatch.delenv("BAPAS_KUNCI_MODEL")
    assert config.model_key() is None
