"""Loads build a new snapshot and switch to it: readers never wait, never see half a load; undo; preview."""
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from analytics import db as reader_db, format as fmt
from etl import config, snapshot
from etl.load import LoadError, load_files, preview_files, undo_run
from tests.builders import KLIEN_HEADER, klien_row, workbook
from tests.conftest import ROOT, query, run_cli

DATA_TABLES = ("klien", "kehadiran", "klien_arsip", "kehadiran_arsip")


def _state(db):
    return {t: query(db, f"select * exclude (dimuat_pada) from {t} order by all") for t in DATA_TABLES}


def _klien_book(path, names):
    return workbook(path, {"Data": (KLIEN_HEADER, [klien_row(i + 1, f"PB-{i}", name)
                                                   for i, name in enumerate(names)])})


def test_preview_reports_what_a_load_would_and_writes_nothing(tmp_path, db):
    base = _klien_book(tmp_path / "awal.xlsx", ["Ani", "Budi"])
    load_files([base], db)
    before, version = _state(db), reader_db.data_version(db)
    rows = [klien_row(1, "PB-0", "Ani Baru"), klien_row(2, "PB-9", "Cici"), klien_row(3, "", "Tanpa register")]
    update = workbook(tmp_path / "baru.xlsx", {"Data": (KLIEN_HEADER, rows)})
    preview = preview_files([update], db)
    assert _state(db) == before and reader_db.data_version(db) == version
    loaded = load_files([update], db)
    assert preview["files"] == loaded["files"]
    assert preview["files"][0]["rows_loaded"] == 2 and preview["files"][0]["rows_rejected"] == 1


def test_preview_without_a_database_creates_none(tmp_path, db):
    report = preview_files([_klien_book(tmp_path / "a.xlsx", ["Ani"])], db)
    assert report["files"][0]["rows_loaded"] == 1
    assert not db.exists()


def test_undo_removes_inserted_rows_and_restores_replaced_ones(tmp_path, db):
    load_files([_klien_book(tmp_path / "a.xlsx", ["Ani", "Budi"])], db)
    before = _state(db)
    second = load_files([_klien_book(tmp_path / "b.xlsx", ["Ani", "Budi Santoso", "Cici"])], db)
    run = second["id_muat"]
    assert query(db, "select count(*) from klien") == [(3,)]
    result = undo_run(run, db, user="operator")
    assert result["dihapus"] == {"klien": 2} and result["dipulihkan"] == {"klien": 1}
    assert _state(db) == before
    assert query(db, "select dibatalkan_oleh from muat_run where id_muat = ?", [run]) == [("operator",)]
    with pytest.raises(LoadError, match="sudah dibatalkan"):
        undo_run(run, db)
    # the same file can be loaded again after the undo
    load_files([_klien_book(tmp_path / "b.xlsx", ["Ani", "Budi Santoso", "Cici"])], db)
    assert query(db, "select nama from klien order by no_register") == [("Ani",), ("Budi Santoso",), ("Cici",)]


def test_only_the_newest_run_in_effect_can_be_undone(tmp_path, db):
    first = load_files([_klien_book(tmp_path / "a.xlsx", ["Ani"])], db)["id_muat"]
    second = load_files([_klien_book(tmp_path / "b.xlsx", ["Ani", "Budi"])], db)["id_muat"]
    with pytest.raises(LoadError, match=f"nomor {second}"):
        undo_run(first, db)
    undo_run(second, db)
    undo_run(first, db)
    assert query(db, "select count(*) from klien") == [(0,)]
    with pytest.raises(LoadError, match="tidak ada"):
        undo_run(99, db)


def test_readers_keep_reading_while_a_load_is_paused_before_commit(tmp_path, db):
    load_files([_klien_book(tmp_path / "a.xlsx", ["Ani"])], db)
    env = {**os.environ, "BAPAS_CONFIG": "/nonexistent.toml", "BAPAS_UJI_JEDA_TRANSAKSI": "60"}
    book = _klien_book(tmp_path / "b.xlsx", ["Ani", "Budi"])
    proc = subprocess.Popen([sys.executable, "-m", "etl", "load", str(book), "--db", str(db)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        for line in proc.stderr:
            if "sebelum commit" in line:
                break
        # the loader holds its snapshot open for writing; the served file is free for readers
        assert reader_db.frame("select count(*) as n from klien", db_path=db)["n"][0] == 1
        assert query(db, "select count(*) from klien") == [(1,)]
        # a second writer waits for the first and says so instead of failing on a lock
        with pytest.raises(snapshot.WriterBusy, match="proses muat lain"):
            with snapshot.writing(db, wait_seconds=0.5):
                pass
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert query(db, "select count(*) from klien") == [(1,)]
    load_files([book], db)
    assert not list(db.parent.glob(f"{db.name}.baru-*"))
    assert query(db, "select count(*) from klien") == [(2,)]


READER = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    sys.path.insert(0, sys.argv[3])
    from analytics import db
    path, stop = Path(sys.argv[1]), Path(sys.argv[2])
    seen, errors, queries = set(), [], 0
    while not stop.exists():
        try:
            f = db.frame("select count(*) as n, count(distinct id_muat) as runs from klien", db_path=path)
            seen.add((int(f['n'][0]), int(f['runs'][0])))
            queries += 1
        except Exception as exc:
            errors.append(repr(exc)[:300])
        time.sleep(0.01)
    print(json.dumps({"seen": sorted(seen), "errors": errors, "queries": queries}))
""")


def test_readers_see_only_whole_loads_while_loads_run_and_are_killed(tmp_path, db):
    """A reader process queries in a loop; loads complete or are killed with SIGKILL at random points."""
    sizes = [1, 400, 800, 1200]
    books = [_klien_book(tmp_path / f"klien_{n}.xlsx", [f"Klien {i}" for i in range(n)]) for n in sizes]
    load_files([books[0]], db)
    stop = tmp_path / "berhenti"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db), str(stop), str(ROOT)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    env = {**os.environ, "BAPAS_CONFIG": "/nonexistent.toml"}
    rng = random.Random(7)
    completed = [sizes[0]]
    try:
        for book, n in zip(books[1:] * 2, sizes[1:] * 2):
            proc = subprocess.Popen([sys.executable, "-m", "etl", "load", str(book), "--db", str(db)], cwd=ROOT,
                                    env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if rng.random() < 0.6:
                time.sleep(rng.uniform(0.2, 3.0))
                proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=120)
            final = query(db, "select count(*) from klien")[0][0]
            if proc.returncode == 0:
                completed.append(n)
                assert final == max(completed)
            else:  # killed: the previous data serve, or all of it if the kill came after the switch
                assert final in (max(completed), max(completed + [n])), (final, completed, n)
                completed.append(final)
    finally:
        stop.touch()
        out, err = reader.communicate(timeout=60)
    report = json.loads(out)
    assert report["errors"] == []
    assert report["queries"] > 20
    valid = set(completed)
    assert {n for n, _runs in report["seen"]} <= valid, (report["seen"], completed)
    assert len(completed) >= 2  # at least one load went through besides the first


def test_cli_undo_and_backups(tmp_path, db):
    from tests.conftest import run_cli
    load_files([_klien_book(tmp_path / "a.xlsx", ["Ani"])], db)
    run = load_files([_klien_book(tmp_path / "b.xlsx", ["Ani", "Budi"])], db)["id_muat"]
    done = run_cli("undo", run, "--db", db, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"id_muat": run, "dihapus": {"klien": 1}, "dipulihkan": {}}
    again = run_cli("undo", run, "--db", db)
    assert again.returncode == 1 and "sudah dibatalkan" in again.stderr
    lines = run_cli("backups", "--db", db).stdout.splitlines()
    listed = [line.split()[0] for line in lines]
    assert len(listed) == 2  # the second load and the undo each kept the file they replaced (the refused undo not)
    # each line says when the backup was kept, in office time (WIB) as its name is, and its size
    now = config.now().replace(tzinfo=None)
    for line, path in zip(lines, snapshot.backups(db)):
        kept_at = snapshot.made_at(path)
        assert abs((now - kept_at).total_seconds()) < 300
        assert line == f"{path.name}  ({fmt.date(kept_at.date())} {kept_at:%H.%M.%S} WIB, " + \
            f"{path.stat().st_size / 2**20:.1f}".replace(".", ",") + " MB)"
    restored = run_cli("backups", "--db", db, "--restore", listed[0])  # the file as it was before the undo
    assert restored.returncode == 0, restored.stderr
    assert query(db, "select count(*) from klien") == [(2,)]


def test_a_load_reports_the_seconds_of_each_stage(tmp_path, db):
    started = time.perf_counter()
    report = load_files([_klien_book(tmp_path / "a.xlsx", ["Ani", "Budi"])], db)
    elapsed = time.perf_counter() - started
    stages = report["tahap_detik"]
    assert list(stages) == ["membaca", "salinan", "memeriksa", "menulis", "tabel_turunan"]
    assert all(seconds >= 0 for seconds in stages.values())
    # the stages cover the load: together they are its time, less the rounding and the call itself
    assert 0.5 * elapsed <= sum(stages.values()) <= elapsed + 0.005


def test_a_run_whose_every_row_is_rejected_changes_nothing(tmp_path, db):
    load_files([_klien_book(tmp_path / "a.xlsx", ["Ani"])], db)
    kept, runs, version = snapshot.backups(db), query(db, "select count(*) from muat_run"), reader_db.data_version(db)
    inode = os.stat(db).st_ino
    bad = workbook(tmp_path / "salah.xlsx", {"Data": (KLIEN_HEADER, [klien_row(1, "PB-7", "Budi", mulai="kemarin"),
                                                                   klien_row(2, "PB-8", "Cici", mulai="-")])})
    for _ in range(snapshot.KEEP + 1):  # more than the backups kept: none of them may be pushed out
        report = load_files([bad], db)
        assert report["id_muat"] is None
        [entry] = report["files"]
        assert (entry["rows_read"], entry["rows_loaded"], entry["rows_rejected"]) == (2, 0, 2)
        assert len({e["row"] for e in entry["errors"]}) == 2
    assert os.stat(db).st_ino == inode and reader_db.data_version(db) == version
    assert snapshot.backups(db) == kept and query(db, "select count(*) from muat_run") == runs
    assert not list(db.parent.glob(f"{db.name}.baru-*"))


def test_the_command_line_says_nothing_was_loaded(tmp_path, db):
    """Every row rejected: the file still counts as loaded (DESIGN.md: rejected rows are not fatal), exit 0."""
    bad = workbook(tmp_path / "salah.xlsx", {"Data": (KLIEN_HEADER, [klien_row(1, "PB-7", "Budi", mulai="kemarin")])})
    done = run_cli("load", bad, "--db", db)
    assert done.returncode == 0
    assert "dimuat 0, ditolak 1" in done.stdout
    assert "tidak ada baris yang dapat dimuat" in done.stderr and "basis data tidak diubah" in done.stderr
    assert not db.exists()


def test_loading_the_same_rows_again_uses_up_no_backup(tmp_path, db):
    """A workbook uploaded again (the operator thought it failed) is recorded, but the file it replaces holds the
    same data: keeping it would push out one of the backups that differ."""
    load_files([_klien_book(tmp_path / "a.xlsx", ["Ani"])], db)
    load_files([_klien_book(tmp_path / "b.xlsx", ["Ani", "Budi"])], db)
    kept, runs = snapshot.backups(db), query(db, "select count(*) from muat_run")[0][0]
    assert len(kept) == 1  # the first load made the file; the second kept it
    for _ in range(snapshot.KEEP + 1):
        report = load_files([_klien_book(tmp_path / "b.xlsx", ["Ani", "Budi"])], db)
        assert report["id_muat"] is not None  # the run is still recorded
    assert snapshot.backups(db) == kept
    assert query(db, "select count(*) from muat_run")[0][0] == runs + snapshot.KEEP + 1
    load_files([_klien_book(tmp_path / "c.xlsx", ["Ani", "Budi", "Cici"])], db)  # a change is backed up again
    assert len(snapshot.backups(db)) == 2 and snapshot.backups(db)[1:] == kept
