"""The database as a Parquet dataset: one folder per table, partitioned by office and year, plus a manifest.

A national deployment keeps this dataset on shared storage and runs several app servers that read it
(analytics/db.py opens a folder with a `manifest.json` the same way as a DuckDB file, read-only). The export is
written beside the target and renamed into place, so readers see the old dataset or the new one, never half.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

from etl import config, load

MANIFEST = "manifest.json"
# the date (or year) that splits a table's rows into yearly partitions; other tables split by office only
YEAR_OF = {
    "kehadiran": "year(tanggal)", "klien": "year(tanggal_mulai_bimbingan)", "program": "year(tanggal_mulai)",
    "hambatan": "year(tanggal)", "anggaran": "tahun_anggaran", "klien_bulan": "year(bulan)",
    "wajib_lapor_bulanan": "year(bulan)", "partisipasi_bulanan": "year(bulan)",
    "partisipasi_kegiatan_bulanan": "year(bulan)",
}
PARTITION_YEAR = "tahun_partisi"  # the added partition column (dropped again when read)


def export_parquet(db_path: Path | None, out_dir: Path, progress=None) -> dict:
    """Write every table of the database as Parquet under out_dir; returns the manifest."""
    say = progress or (lambda message, fraction: None)
    db = config.db_path(db_path)
    if not db.is_file():
        raise load.LoadError(f"basis data belum ada: {db}")
    out_dir = Path(out_dir)
    work = out_dir.with_name(f"{out_dir.name}.baru-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    manifest = {"dibuat": dt.datetime.now().isoformat(timespec="seconds"), "sumber": db.name,
                "versi_skema": load.schema_version(), "tabel": {}}
    try:
        with load._reading(db) as con:
            tables = [r[0] for r in con.execute(
                "select table_name from duckdb_tables() where database_name = 'bapas' order by 1").fetchall()]
            for i, table in enumerate(tables):
                say(f"Menulis {table}", i / len(tables))
                columns = con.execute(f'describe "{table}"').fetchall()
                names = [c[0] for c in columns]
                rows = con.execute(f'select count(*) from "{table}"').fetchall()[0][0]
                partition = []
                if rows and "kode_bapas" in names:
                    partition = ["kode_bapas"] + ([PARTITION_YEAR] if table in YEAR_OF else [])
                target = work / table
                if partition:
                    year = f", {YEAR_OF[table]} as {PARTITION_YEAR}" if table in YEAR_OF else ""
                    con.execute(f"copy (select *{year} from \"{table}\") to '{_sql_path(target)}' "
                                f"(format parquet, partition_by ({', '.join(partition)}), compression zstd)")
                else:
                    target.mkdir()
                    con.execute(f"copy \"{table}\" to '{_sql_path(target / 'data.parquet')}' "
                                "(format parquet, compression zstd)")
                manifest["tabel"][table] = {"kolom": [[c[0], c[1]] for c in columns], "partisi": partition,
                                            "baris": rows}
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    old = out_dir.with_name(f"{out_dir.name}.lama-{os.getpid()}")
    if out_dir.exists():
        if not (out_dir / MANIFEST).is_file():
            shutil.rmtree(work, ignore_errors=True)
            raise load.LoadError(f"folder {out_dir} sudah ada dan bukan dataset ekspor; pilih folder lain")
        os.replace(out_dir, old)
    os.replace(work, out_dir)
    shutil.rmtree(old, ignore_errors=True)
    say("Selesai", 1.0)
    return manifest


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def catalog_sql(dataset: Path) -> list[str]:
    """Statements that define each exported table as a view over its Parquet files (columns in original order)."""
    manifest = json.loads((Path(dataset) / MANIFEST).read_text(encoding="utf-8"))
    statements = []
    for table, meta in manifest["tabel"].items():
        select = ", ".join(f'"{name}"::{kind} as "{name}"' for name, kind in meta["kolom"])
        if meta["partisi"]:
            source = (f"read_parquet('{_sql_path(Path(dataset) / table)}/**/*.parquet', hive_partitioning = true, "
                      "hive_types = {'kode_bapas': 'VARCHAR'})")
        else:
            source = f"read_parquet('{_sql_path(Path(dataset) / table / 'data.parquet')}')"
        statements.append(f'create or replace view "{table}" as select {select} from {source}')
    return statements
