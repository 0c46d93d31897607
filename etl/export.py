"""The database as a Parquet dataset: one folder per table, partitioned by office and year, plus a manifest.

A national deployment keeps this dataset on shared storage and runs several app servers that read it
(analytics/db.py opens a folder with a `manifest.json` the same way as a DuckDB file, read-only).

Layout: each export writes a new version folder `DIR/versi-<time>-<pid>/<table>/...`; only then is
`DIR/manifest.json` (which names the version) replaced in one rename. A reader sees the old version or the new
one, never half and never no dataset; version folders that readers may still have open are kept for a while
(KEEP_VERSIONS newest, and any younger than KEEP_MINUTES) and removed by a later export.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

from etl import config, load

MANIFEST = "manifest.json"
VERSION_PREFIX = "versi-"
KEEP_VERSIONS = 2      # the current version and the one before it stay
KEEP_MINUTES = 30      # and any version younger than this (a server may still read it until its next check)
# the date (or year) that splits a table's rows into yearly partitions; other tables split by office only
YEAR_OF = {
    "kehadiran": "year(tanggal)", "klien": "year(tanggal_mulai_bimbingan)", "program": "year(tanggal_mulai)",
    "hambatan": "year(tanggal)", "anggaran": "tahun_anggaran", "klien_bulan": "year(bulan)",
    "wajib_lapor_bulanan": "year(bulan)", "partisipasi_bulanan": "year(bulan)",
    "partisipasi_kegiatan_bulanan": "year(bulan)",
}
PARTITION_YEAR = "tahun_partisi"  # the added partition column (dropped again when read)


def export_parquet(db_path: Path | None, out_dir: Path, progress=None) -> dict:
    """Write every table of the database as a new version of the dataset in out_dir; returns the manifest."""
    say = progress or (lambda message, fraction: None)
    db = config.db_path(db_path)
    if not db.is_file():
        raise load.LoadError(f"basis data belum ada: {db}")
    out_dir = Path(out_dir)
    if out_dir.exists() and any(out_dir.iterdir()) and not (out_dir / MANIFEST).is_file():
        raise load.LoadError(f"folder {out_dir} sudah ada dan bukan dataset ekspor; pilih folder lain")
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now()
    version = f"{VERSION_PREFIX}{stamp.strftime('%Y%m%dT%H%M%S%f')}-{os.getpid()}"
    work = out_dir / version
    work.mkdir()
    manifest = {"dibuat": stamp.isoformat(timespec="seconds"), "sumber": db.name,
                "versi_skema": load.schema_version(), "versi": version, "tabel": {}}
    try:
        with load._reading(db) as con:
            tables = [r[0] for r in con.execute(
                "select table_name from duckdb_tables() where database_name = 'bapas' order by 1").fetchall()]
            for i, table in enumerate(tables):
                say(f"Menulis {table}", i / len(tables))
                manifest["tabel"][table] = _write_table(con, table, work / table)
        pending = out_dir / f"{MANIFEST}.baru-{os.getpid()}"
        pending.write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
        old = _manifest(out_dir)
        os.replace(pending, out_dir / MANIFEST)  # the switch: readers see the new version from here on
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    _prune(out_dir, version, old)
    say("Selesai", 1.0)
    return manifest


def _write_table(con, table: str, target: Path) -> dict:
    columns = con.execute(f'describe "{table}"').fetchall()  # table names come from duckdb_tables()
    names = [c[0] for c in columns]
    rows = con.execute(f'select count(*) from "{table}"').fetchall()[0][0]
    partition = []
    if rows and "kode_bapas" in names:
        partition = ["kode_bapas"] + ([PARTITION_YEAR] if table in YEAR_OF else [])
    if partition:
        year = f", {YEAR_OF[table]} as {PARTITION_YEAR}" if table in YEAR_OF else ""
        con.execute(f"copy (select *{year} from \"{table}\") to '{_sql_path(target)}' "
                    f"(format parquet, partition_by ({', '.join(partition)}), compression zstd)")
    else:
        target.mkdir()
        con.execute(f"copy \"{table}\" to '{_sql_path(target / 'data.parquet')}' (format parquet, compression zstd)")
    return {"kolom": [[c[0], c[1]] for c in columns], "partisi": partition, "baris": rows}


def _manifest(dataset: Path) -> dict | None:
    try:
        return json.loads((Path(dataset) / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def _prune(out_dir: Path, current: str, old: dict | None) -> None:
    """Remove version folders no reader can still need, and the tables of a dataset from before versions."""
    if old is not None and "versi" not in old:  # written by an earlier release: its tables lay in out_dir itself
        for table in old.get("tabel", {}):
            shutil.rmtree(out_dir / table, ignore_errors=True)
    versions = sorted((p for p in out_dir.glob(f"{VERSION_PREFIX}*") if p.is_dir()), key=lambda p: p.name,
                      reverse=True)
    cutoff = dt.datetime.now().timestamp() - KEEP_MINUTES * 60
    for n, folder in enumerate(versions):
        if folder.name != current and n >= KEEP_VERSIONS and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
    for leftover in out_dir.glob(f"{MANIFEST}.baru-*"):  # a manifest an interrupted export did not switch to
        if leftover.stat().st_mtime < cutoff:
            leftover.unlink(missing_ok=True)


def dataset_folder(dataset: Path, manifest: dict) -> Path:
    """The folder holding the tables of the manifest's version."""
    return Path(dataset) / manifest["versi"] if "versi" in manifest else Path(dataset)


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def catalog_sql(dataset: Path) -> list[str]:
    """Statements that define each exported table as a view over its Parquet files (columns in original order)."""
    manifest = json.loads((Path(dataset) / MANIFEST).read_text(encoding="utf-8"))
    folder = dataset_folder(dataset, manifest)
    statements = []
    for table, meta in manifest["tabel"].items():
        select = ", ".join(f'"{name}"::{kind} as "{name}"' for name, kind in meta["kolom"])
        if meta["partisi"]:
            source = (f"read_parquet('{_sql_path(folder / table)}/**/*.parquet', hive_partitioning = true, "
                      "hive_types = {'kode_bapas': 'VARCHAR'})")
        else:
            source = f"read_parquet('{_sql_path(folder / table / 'data.parquet')}')"
        statements.append(f'create or replace view "{table}" as select {select} from {source}')
    return statements
