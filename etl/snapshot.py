"""Writing without disturbing readers: each write goes to a copy of the database that then replaces it atomically.

DuckDB lets one process write a file, and a reader cannot attach a file another process is writing. So nothing
ever writes `bapas.duckdb` in place: a writer (one at a time, under a lock file) copies it to
`bapas.duckdb.baru-<pid>`, writes and checkpoints the copy, keeps the old file as a backup in
`bapas.duckdb.cadangan/`, and renames the copy over the original. Readers attach whichever file is current; one
that is open on the old file keeps reading it undisturbed. A writer killed at any point leaves only a stray copy,
which the next writer removes: the current file is never touched.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb
from filelock import FileLock, Timeout

from etl import config

KEEP = 3  # backups kept in <db>.cadangan/
WAIT_SECONDS = 900  # how long a writer waits for another one to finish


class WriterBusy(Exception):
    """Another load is still writing; the message is for the user."""


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".kunci")


def backup_dir(db: Path) -> Path:
    return db.with_name(db.name + ".cadangan")


NAME_FORMAT = "%Y%m%d-%H%M%S-%f"  # a backup's file name: when it was kept, in Asia/Jakarta time


def made_at(backup: Path) -> dt.datetime | None:
    """When a backup was kept, read from its name (office time); None for a name not made by _keep_backup."""
    try:
        return dt.datetime.strptime(backup.stem, NAME_FORMAT)
    except ValueError:
        return None


def backups(db: Path) -> list[Path]:
    """The kept backups of the database, newest first."""
    folder = backup_dir(db)
    return sorted(folder.glob("*.duckdb"), reverse=True) if folder.is_dir() else []


class Backup:
    """Whether the file a write replaces is kept as a backup: a writer that changed no data row says not."""

    def __init__(self) -> None:
        self.keep = True
        self.required = False  # kept whatever `keep` says (the write also upgraded the schema)

    def wanted(self) -> bool:
        return self.keep or self.required


@contextmanager
def writing(db: Path, wait_seconds: float = WAIT_SECONDS,
            backup: Backup | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to a fresh copy of `db`; when the block ends without error the copy becomes `db`.

    The replaced file goes to the backups unless `backup.keep` was set False inside the block (a load that
    only repeated rows already there: its backup would push out one of the KEEP that differ).
    """
    db = Path(db)
    db.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(lock_path(db)), timeout=wait_seconds)
    try:
        lock.acquire()
    except Timeout as exc:
        raise WriterBusy(f"proses muat lain sedang menulis {db.name}; coba lagi setelah selesai") from exc
    try:
        _remove_strays(db)
        work = db.with_name(f"{db.name}.baru-{os.getpid()}")
        if db.exists():
            shutil.copyfile(db, work)
            if _wal(db).exists():  # a database last written in place by an older version, not checkpointed
                shutil.copyfile(_wal(db), _wal(work))
        con = duckdb.connect(str(work))
        try:
            yield con
            con.execute("checkpoint")
        finally:
            con.close()
        _fsync(work)
        if backup is None or backup.wanted():
            _keep_backup(db)
        _wal(db).unlink(missing_ok=True)  # already merged into the copy
        os.replace(work, db)
        _fsync(db.parent)
    finally:
        _remove_strays(db)
        lock.release()


def restore(db: Path, backup: Path) -> None:
    """Put a kept backup back in place (itself through a copy, so readers are not disturbed)."""
    db, backup = Path(db), Path(backup)
    if backup.parent != backup_dir(db) or not backup.is_file():
        raise FileNotFoundError(f"cadangan tidak ditemukan: {backup}")
    lock = FileLock(str(lock_path(db)), timeout=WAIT_SECONDS)
    with lock:
        work = db.with_name(f"{db.name}.baru-{os.getpid()}")
        shutil.copyfile(backup, work)
        _fsync(work)
        _keep_backup(db)
        _wal(db).unlink(missing_ok=True)
        os.replace(work, db)
        _fsync(db.parent)


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _remove_strays(db: Path) -> None:
    """Copies left by a writer that was killed (only called while holding the lock)."""
    for stray in db.parent.glob(f"{db.name}.baru-*"):
        stray.unlink(missing_ok=True)


def _keep_backup(db: Path) -> None:
    if not db.exists():
        return
    folder = backup_dir(db)
    folder.mkdir(exist_ok=True)
    target = folder / f"{config.now():{NAME_FORMAT}}.duckdb"  # office time (WIB), as the app shows times
    try:
        os.link(db, target)  # same inode: no copy needed, the rename below only unlinks the name
    except OSError:
        shutil.copyfile(db, target)
    for old in backups(db)[KEEP:]:
        old.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    """Make a file's (or a folder's entries') content durable before the rename that publishes it."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # folders cannot be opened on Windows
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
