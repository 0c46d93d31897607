"""The write side: validate every file of a run, then commit the accepted ones in one transaction."""
from __future__ import annotations

import functools
import hashlib
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute  # noqa: F401  (pa.compute)

from etl import config, extract, snapshot, spec
from etl.validate import References, Validated, validate

SQL_DIR = Path(__file__).resolve().parent / "sql"
SQL_FILES = ("schema.sql", "views.sql")  # then every views_*.sql (one per page), in name order
# Views too costly to compute on every page view at national scale, stored as tables that each load brings up to date
# inside its transaction (analytics reads table X, with the rows of view v_X), in this order (a table built by
# FASTER_BUILD comes after the tables it reads). Value: the sort order, the month alone where there is one, so that a
# period filter reads only the row groups of its months. The month alone, not the month then office and register:
# on the national demo that sort is 3× cheaper to build (klien_bulan 9.1 → 2.8 s), and a page reading one office's
# months reads only those months either way.
MATERIALISED_ORDER = {
    "bulan_tercatat": "kode_bapas, bulan",
    "mangkir_beruntun": None,
    "klien_bulan": "bulan",
    "wajib_lapor_bulanan": "bulan",
    "partisipasi_bulanan": "bulan",
    "partisipasi_kegiatan_bulanan": "bulan",
    "penyelesaian_program": "kode_bapas, kode_program, no_register",
    "ikut_program": "kode_bapas, no_register",
    "kohort_partisipasi": "kode_bapas, no_register",
}
MATERIALISED = tuple(MATERIALISED_ORDER)
# A stored row of an office depends on that office's rows of the source tables, and some also on a value computed
# over the whole database: when it changes, the tables that depend on it are rebuilt for every office. The month of
# the data date (v_tanggal_data, the latest attendance of any office) ends the months of the open cases
# (v_klien_rentang); the completion threshold is a setting (v_pengaturan).
WHOLE_DB_INPUTS = {
    "bulan_data": ("select strftime(tanggal_data, '%Y-%m') from v_tanggal_data",
                   ("klien_bulan", "partisipasi_bulanan", "partisipasi_kegiatan_bulanan")),
    "ambang_penyelesaian": ("select nilai::varchar from v_pengaturan where nama = 'ambang_penyelesaian'",
                            ("penyelesaian_program",)),
}
Progress = Callable[[str, float], None]


class _NothingToWrite(Exception):
    """Every row of the run was rejected (or there were none): the database is left as it is."""


class LoadError(Exception):
    """The run could not start (e.g. the database is in use); the message is for the user."""


@dataclass
class Sheet:
    """One sheet of a file headed for loading."""

    table: extract.Table
    validated: Validated | None = None
    inserted: int = 0
    updated: int = 0


@dataclass
class FilePlan:
    """One file of a run: its sheets, or the reason it is rejected whole."""

    path: Path
    sha256: str = ""
    sheets: list[Sheet] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)  # entries for a file rejected whole
    notes: list[dict] = field(default_factory=list)  # warnings about skipped sheets (in the file's first entry)
    skipped: list[dict] = field(default_factory=list)  # the skipped sheets: {"sheet", "reason", "message"}

    @property
    def ok(self) -> bool:
        return not self.rejected


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _file_error(message: str, sheet: str | None = None, kind: str | None = None) -> dict:
    return {"sheet": sheet, "kind": kind, "error": {"row": None, "column": None, "value": None,
                                                     "message": message}}


def plan_file(path: Path, kind: str | None = None) -> FilePlan:
    """Read a file and recognise its sheets; the whole-file reasons for rejection are found here."""
    plan = FilePlan(path)
    try:
        plan.sha256 = _sha256(path)
        grids = extract.read_grids(path)
    except (extract.ExtractError, OSError) as exc:
        plan.rejected.append(_file_error(str(exc)))
        return plan
    unrecognised = []
    for grid in grids:
        if grid.cells.empty:
            unrecognised.append((grid.name, "lembar kerja kosong" if grid.name is not None else
                                 "tidak ada kolom atau baris"))
            continue
        try:
            k, row, columns = extract.find_header(grid, kind)
        except extract.ExtractError as exc:
            if "gunakan --kind" in str(exc):
                plan.rejected.append(_file_error(str(exc), grid.name))
            else:
                unrecognised.append((grid.name, str(exc)))
            continue
        missing = extract.missing_required(k, columns)
        if missing:
            where = f" (judul kolom di baris {row + grid.first_row})"
            if len(grids) > 1:  # another sheet may be the data: say how to keep a reference list from stopping it
                where += ("; bila lembar kerja ini bukan data (mis. daftar pilihan), sembunyikan atau hapus lembar "
                          "kerja itu")
            plan.rejected.append(_file_error(
                f"kolom wajib tidak ditemukan untuk data {k}: {', '.join(missing)}{where}", grid.name, k))
            continue
        plan.sheets.append(Sheet(extract.table(grid, k, row, columns)))
    if not plan.sheets and not plan.rejected:
        plan.rejected.append(_file_error(_not_data(path, unrecognised)))
    elif plan.rejected:
        for sheet in plan.sheets:
            plan.rejected.append(_file_error("berkas ditolak seluruhnya karena lembar kerja lain bermasalah",
                                             sheet.table.sheet, sheet.table.kind))
        plan.sheets = []
    else:
        for name, reason in unrecognised:
            message = f"lembar kerja '{name}' dilewati: {reason}"
            plan.notes.append({"row": None, "column": None, "value": name, "message": message})
            plan.skipped.append({"sheet": name, "reason": reason, "message": message})
    return plan


# what a file with one table holds, by its suffix (a workbook's sheets are named instead)
_ONE_TABLE = {".csv": "CSV", ".parquet": "Parquet"}


def _not_data(path: Path, unrecognised: list[tuple[str | None, str]]) -> str:
    """Why a file in which nothing is recognised as data is rejected: per sheet, or the file's own reason."""
    if len(unrecognised) == 1 and unrecognised[0][0] is None:  # CSV, Parquet: no worksheets
        what = _ONE_TABLE.get(path.suffix.lower(), path.suffix.lstrip(".").upper())
        return f"isi berkas {what} tidak dikenali sebagai data: {unrecognised[0][1]}"
    detail = "; ".join(f"'{name}': {reason}" for name, reason in unrecognised)
    return f"tidak ada lembar kerja yang dikenali sebagai data ({detail})"


# ---------------------------------------------------------------------------------------- database
@functools.lru_cache(maxsize=1)
def schema_version() -> str:
    """A digest of the SQL that builds the schema, views and stored tables (stored in each database)."""
    digest = hashlib.sha256()
    for path in _schema_files():
        digest.update(path.read_bytes())
    digest.update(repr((MATERIALISED_ORDER, WHOLE_DB_INPUTS)).encode())
    return digest.hexdigest()[:16]


def _schema_files() -> list[Path]:
    return [SQL_DIR / name for name in SQL_FILES] + sorted(SQL_DIR.glob("views_*.sql"))


def view_files() -> list[Path]:
    """The SQL files that only define views (what a read-only Parquet dataset needs on top of its tables)."""
    return [path for path in _schema_files() if path.name != "schema.sql"]


@contextmanager
def writing(db_path: Path, backup: snapshot.Backup | None = None):
    """A connection to a new snapshot of the database with its schema in place (see etl/snapshot.py)."""
    try:
        with snapshot.writing(db_path, backup=backup) as con:
            if _stored_schema_version(con) != schema_version():  # a new database, or built by an older version
                con.execute("begin transaction")  # one commit for the whole schema, not one per statement
                ensure_schema(con)
                con.execute("commit")
                if backup is not None:
                    backup.required = True  # the file an upgrade replaces is always kept
            yield con
    except snapshot.WriterBusy as exc:
        raise LoadError(str(exc)) from exc
    except duckdb.IOException as exc:
        raise LoadError(f"basis data {db_path} tidak dapat ditulis: {str(exc)[:200]}") from exc


def _stored_schema_version(con: duckdb.DuckDBPyConnection) -> str | None:
    try:
        return con.execute("select max(versi) from versi_skema").fetchall()[0][0]
    except duckdb.CatalogException:
        return None


def refresh_views(db_path: Path) -> bool:
    """Bring a database built by an older version up to the current schema and views (at app start).

    Checked read-only first, so a current database is never rewritten; returns False when it cannot be done now.
    """
    try:
        with _reading(db_path) as con:
            stored = _stored_schema_version(con)
    except duckdb.Error:
        stored = None
    if stored == schema_version():
        return True
    try:
        with writing(db_path):  # brings schema, views and stored tables up to date (ensure_schema)
            pass
    except LoadError:
        return False
    return True


@contextmanager
def _reading(db_path: Path):
    """The current database attached read-only to an in-memory connection (never blocks or is blocked)."""
    con = duckdb.connect(":memory:")
    try:
        con.execute("attach ? as bapas (read_only)", [str(db_path)])
        con.execute("use bapas")
        yield con
    finally:
        con.close()


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create or upgrade the schema and views, and rebuild every stored table (their views may have changed)."""
    for path in _schema_files():
        con.execute(path.read_text(encoding="utf-8"))
    materialise(con)
    if con.execute("select count(*) from peta_alasan").fetchall()[0][0] == 0:
        con.executemany("insert into peta_alasan values (?, ?, ?)",
                        [(i + 1, word, cat) for i, (word, cat) in enumerate(spec.PETA_ALASAN)])
    if con.execute("select count(*) from kategori_hambatan").fetchall()[0][0] == 0:
        con.executemany("insert into kategori_hambatan values (?, ?, ?)",
                        [(code, faktor, label) for code, (faktor, label) in spec.KATEGORI_HAMBATAN.items()])
    con.execute("create table if not exists versi_skema (versi VARCHAR)")
    con.execute("delete from versi_skema")
    con.execute("insert into versi_skema values (?)", [schema_version()])


_KEY_QUERIES = {"klien": "select no_register from klien where kode_bapas = ?",
                "program": "select kode_program from program where kode_bapas = ?",
                "mitra": "select kode_mitra from mitra where kode_bapas = ?"}


# Stored tables built by a query other than `select * from v_X`: the same rows (tests/test_materialise.py compares
# each stored table with its view), found faster by reading a table stored before it; {and_where} and {where}
# limit both inputs to the offices rebuilt. partisipasi_bulanan: the attendance summed per client and month, then
# joined to the active months already stored in klien_bulan, instead of generating those months again inside the
# view's union (national demo: about a third of the view's time).
FASTER_BUILD = {
    "partisipasi_bulanan": """
        with hadir as (
            select kode_bapas, no_register, date_trunc('month', tanggal)::date as bulan,
                   sum(coalesce(durasi_jam, 0)) as jam_hadir
            from kehadiran
            where jenis_kegiatan not in ('WAJIB_LAPOR', 'KUNJUNGAN_RUMAH')
              and status_hadir in ('HADIR', 'TERLAMBAT'){and_where}
            group by all
        )
        select k.kode_bapas, k.no_register, k.bulan, h.bulan is not null as ikut_program,
               coalesce(h.jam_hadir, 0) as jam_hadir
        from klien_bulan k
        left join hadir h on h.kode_bapas = k.kode_bapas and h.no_register = k.no_register and h.bulan = k.bulan
        {where}""",
}


def _stored_rows(table: str, by_office: bool = False) -> str:
    """The query that builds a stored table: all its rows, or (by_office) those of the offices in $kantor."""
    order = MATERIALISED_ORDER[table]
    # list_contains, not `in (select unnest(...))`: DuckDB pushes it into the scans inside the views
    if table in FASTER_BUILD:  # depends on tables earlier in MATERIALISED, already brought up to date
        rows = FASTER_BUILD[table].format(and_where=" and list_contains($kantor, kode_bapas)" if by_office else "",
                                          where="where list_contains($kantor, k.kode_bapas)" if by_office else "")
    else:
        rows = f"select * from v_{table}" + (" where list_contains($kantor, kode_bapas)" if by_office else "")
    return rows + (f" order by {order}" if order else "")


def materialise(con: duckdb.DuckDBPyConnection, offices: set[str] | None = None) -> None:
    """Bring the stored tables up to date: whole (offices None), else only the rows of these offices.

    A table whose database-wide input (WHOLE_DB_INPUTS) changed since it was last built is rebuilt whole anyway.
    """
    inputs = {name: con.execute(sql).fetchall()[0][0] for name, (sql, _) in WHOLE_DB_INPUTS.items()}
    built = dict(con.execute("select nama, nilai from masukan_tersimpan").fetchall())
    stale = {t for name, (_, tables) in WHOLE_DB_INPUTS.items() if inputs[name] != built.get(name) for t in tables}
    if offices is not None and None in offices:  # no office code: cannot be selected by office
        offices = None
    for table in MATERIALISED:  # identifiers from MATERIALISED, values bound
        if offices is None or table in stale:
            con.execute(f"create or replace table {table} as {_stored_rows(table)}")
        elif offices:
            kantor = {"kantor": sorted(offices)}
            con.execute(f"delete from {table} where list_contains($kantor, kode_bapas)", kantor)
            con.execute(f"insert into {table} {_stored_rows(table, by_office=True)}", kantor)
    if inputs != built:
        con.execute("delete from masukan_tersimpan")
        con.executemany("insert into masukan_tersimpan values (?, ?)", list(inputs.items()))


def _references(con: duckdb.DuckDBPyConnection) -> References:
    """Known keys, read from the database one office at a time as validation asks for them."""
    return References(lambda kind, office: (r[0] for r in con.execute(_KEY_QUERIES[kind], [office]).fetchall()))


def _mapping(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    return [(w, c) for w, c in con.execute(
        "select kata_kunci, kategori_hambatan from peta_alasan order by urutan, kata_kunci").fetchall()]


def _data_columns(kind: spec.Kind) -> list[str]:
    """Columns compared to decide whether a row changed (lineage and load-derived flags excluded)."""
    cols = [f.name for f in kind.fields]
    if kind.name == "kehadiran":
        cols.append("kategori_hambatan")
    return cols


def _same(columns, left: str, right: str) -> str:
    # identifiers come from spec.py, never from user input
    return " and ".join(f"{left}.{c} is not distinct from {right}.{c}" for c in columns)


def _upsert(con: duckdb.DuckDBPyConnection, kind: spec.Kind, rows: pa.Table,
            source: tuple) -> tuple[dict, set[str]]:
    """Insert new and changed rows; a changed row replaces the row with its natural key (archived first).

    `rows` carries a `sumber_sheet` column; returns {sheet: (inserted, updated)} and the offices of the rows written.
    """
    file_name, loaded_at, run_id = source
    table = kind.table
    columns = ", ".join(rows.column_names)
    target = f"{table} ({columns}, sumber_file, dimuat_pada, id_muat)"
    con.register("staged_rows", rows)
    try:
        offices = rows.column("kode_bapas").unique().to_pylist()
        existing = con.execute(f"select count(*) from {table} where kode_bapas in (select unnest(?))",
                               [offices]).fetchall()[0][0]
        if not existing:  # nothing to compare with or replace: insert as is
            con.execute(f"insert into {target} select *, ?, ?, ? from staged_rows", [file_name, loaded_at, run_id])
            counts = rows.column("sumber_sheet").value_counts().to_pylist()
            return {c["values"]: (c["counts"], 0) for c in counts}, set(offices)
        con.execute(f"create or replace temp table changed as select s.* from staged_rows s anti join {table} t "
                    f"on {_same(_data_columns(kind), 's', 't')}")
    finally:
        con.unregister("staged_rows")
    key_match = _same(kind.key, "t", "c")
    replaced = con.execute(f"select c.sumber_sheet, count(*) from changed c semi join {table} t on {key_match} "
                           "group by all").fetchall()
    if replaced:
        con.execute(f"insert into {table}_arsip select t.*, ? from {table} t semi join changed c on {key_match}",
                    [run_id])
        con.execute(f"delete from {table} t using changed c where {key_match}")
    con.execute(f"insert into {target} select *, ?, ?, ? from changed", [file_name, loaded_at, run_id])
    written = dict(con.execute("select sumber_sheet, count(*) from changed group by all").fetchall())
    offices = {r[0] for r in con.execute("select distinct kode_bapas from changed").fetchall()}
    con.execute("drop table changed")
    updated = dict(replaced)
    return {sheet: (n - updated.get(sheet, 0), updated.get(sheet, 0)) for sheet, n in written.items()}, offices


def _flag_over_ceiling(con: duckdb.DuckDBPyConnection) -> None:
    con.execute((SQL_DIR / "melebihi_pagu.sql").read_text(encoding="utf-8"))


def _over_ceiling_warnings(con: duckdb.DuckDBPyConnection, sheet: Sheet, file_name: str) -> list[dict]:
    """One warning per (tahun_anggaran, kode_akun, kode_program) of this sheet realised above its pagu."""
    rows = sheet.validated.rows.select(["kode_bapas", "tahun_anggaran", "kode_akun", "kode_program",
                                        "sumber_baris"])
    con.register("sheet_rows", rows)
    found = con.execute("""
        select g.tahun_anggaran, g.kode_akun, g.kode_program, g.pagu, g.realisasi, min(s.sumber_baris)
        from sheet_rows s join v_anggaran_pagu g
          on s.kode_bapas = g.kode_bapas and s.tahun_anggaran = g.tahun_anggaran and s.kode_akun = g.kode_akun
         and s.kode_program is not distinct from g.kode_program
        where g.melebihi_pagu
        group by all order by 6""").fetchall()
    con.unregister("sheet_rows")
    out = []
    column = sheet.table.columns.get("realisasi")  # the header as the sheet writes it («Realisasi (Rp)»)
    for year, akun, program, pagu, real, row in found:
        where = f"TA {year}, akun {akun}" + (f", program {program}" if program else "")
        out.append({"row": int(row), "column": column.header if column else "Realisasi", "value": _rupiah(real),
                    "message": f"realisasi {_rupiah(real)} melebihi pagu {_rupiah(pagu)} ({where})"})
    return out


def _rupiah(amount) -> str:
    return "Rp" + f"{int(amount or 0):,}".replace(",", ".")


def _entry(plan: FilePlan, sheet: Sheet | None, rejected: dict | None = None) -> dict:
    if rejected is not None:
        return {"file": plan.path.name, "sheet": rejected["sheet"], "kind": rejected["kind"],
                "status": "rejected", "rows_read": 0, "rows_loaded": 0, "rows_rejected": 0,
                "errors": [rejected["error"]], "warnings": []}
    v = sheet.validated
    entry = {"file": plan.path.name, "sheet": v.sheet, "kind": v.kind, "status": "loaded",
             "rows_read": v.rows_read, "rows_loaded": v.rows.num_rows, "rows_rejected": v.rows_rejected,
             "errors": v.errors, "warnings": v.warnings}
    if sheet.table.shape:  # a wide layout: its counts are of the rows made from it (extract.SHAPES)
        entry["bentuk"] = sheet.table.shape
    return entry


def _dedupe_across_sheets(con: duckdb.DuckDBPyConnection, sheets: list[Sheet], kind_name: str) -> None:
    """A key repeated in another sheet of the same kind of one file: the first row stays."""
    if len(sheets) < 2:
        return
    key = list(spec.KINDS[kind_name].key)
    parts = [sh.validated.rows.select([*key, "sumber_baris"]).append_column(
        "urutan_sheet", pa.repeat(pa.scalar(n, pa.int32()), sh.validated.rows.num_rows)).append_column(
        "posisi", pa.array(range(sh.validated.rows.num_rows), pa.int64())) for n, sh in enumerate(sheets)]
    if not _may_repeat(parts, key):
        return
    con.register("sheet_keys", pa.concat_tables(parts))
    keys = ", ".join(key)  # identifiers from spec.py
    repeats = con.execute(f"""
        select urutan_sheet, posisi, sumber_baris, {key[1]}::varchar,
               first_value(urutan_sheet) over w, first_value(sumber_baris) over w
        from sheet_keys
        window w as (partition by {keys} order by urutan_sheet, sumber_baris)
        qualify row_number() over w > 1 and first_value(urutan_sheet) over w <> urutan_sheet""").fetchall()
    con.unregister("sheet_keys")
    by_sheet: dict[int, list] = {}
    for n, position, row, value, first_sheet, first_row in repeats:
        by_sheet.setdefault(n, []).append((row, value, first_sheet, first_row, position))
    for n, found in by_sheet.items():
        v = sheets[n].validated
        for row, value, first_sheet, first_row, _ in found:
            column = sheets[n].table.columns.get(key[1])  # the header as the sheet writes it, as other errors
            v.errors.append({"row": int(row), "column": column.header if column else key[1], "value": value,
                             "message": f"duplikat: sama dengan baris {first_row} "
                                        f"(lembar kerja {sheets[first_sheet].table.sheet})"})
        keep = np.ones(v.rows.num_rows, dtype=bool)
        keep[[p for *_, p in found]] = False  # by position: a grid's row holds several rows (etl/kisi.py)
        v.rows = v.rows.filter(pa.array(keep))
        v.errors.sort(key=lambda e: (e["row"] is None, e["row"] or 0))


def _may_repeat(parts: list[pa.Table], key: list[str]) -> bool:
    """Whether a key can be in two of these sheets (False: the window query would find no repeat)."""
    # Both tests cost a fraction of the window's sort and use its equality (nulls equal, text by its bytes). The
    # first is the usual case: sheets split by year or month share no date, so no key.
    for name in key:  # a key column whose values no two sheets share
        distinct = [pa.compute.unique(part.column(name)) for part in parts]
        if sum(map(len, distinct)) == len(pa.compute.unique(pa.chunked_array(distinct))):
            return False
    keys = pa.concat_tables(parts).select(key)  # else: every key distinct
    return keys.group_by(key, use_threads=False).aggregate([]).num_rows < keys.num_rows


def _add_references(refs: References, v: Validated) -> None:
    if v.kind not in _KEY_QUERIES or v.rows.num_rows == 0:
        return
    key = spec.KINDS[v.kind].key[1]
    refs.add(v.kind, zip(v.rows.column("kode_bapas").to_pylist(), v.rows.column(key).to_pylist()))


def load_files(paths: list[Path], db_path: Path | str | None = None, kind: str | None = None,
               progress: Progress | None = None, user: str | None = None, office: str | None = None) -> dict:
    """Load files into the database: each file all or nothing, the accepted ones in one transaction.

    `office`: the kode_bapas of rows whose sheet has no such column or leaves it empty (default: the configured one).

    The load is written into a new snapshot that replaces the database only once complete, so readers never
    wait and never see half a load. A run with no row to write changes nothing (report's id_muat is None).
    """
    say = progress or (lambda message, fraction: None)
    db = config.db_path(db_path)
    started = config.now().replace(tzinfo=None)
    stages = Stages()
    with stages("membaca"):
        plans = _plans(paths, kind, say)
    say("Menyiapkan salinan basis data", 0.4)
    try:
        with stages("salinan"):  # the copy of the database, then its checkpoint and rename (less what is inside)
            backup = snapshot.Backup()
            with writing(db, backup) as con:
                with stages("memeriksa"):
                    _validate(con, plans, say, office)
                if not any(plan.ok and sheet.validated.rows.num_rows for plan in plans for sheet in plan.sheets):
                    raise _NothingToWrite  # the copy is dropped: no run recorded, no backup used up
                report = _commit(con, plans, started, user, say, stages)
                # the same rows again (a workbook uploaded twice): the run is recorded, but the file it replaces
                # holds the same data, so keeping it would push out a backup that differs
                backup.keep = any(sh.inserted or sh.updated for plan in plans for sh in plan.sheets)
    except _NothingToWrite:
        say("Tidak ada baris yang dapat dimuat; basis data tidak diubah", 1.0)
        return {"files": [entry for entry, _sheet, _plan in _entries(plans)], "skipped": _skipped(plans),
                "id_muat": None,
                "tahap_detik": {"membaca": stages.seconds["membaca"],
                                "salinan": round(stages.seconds["salinan"] - stages.seconds["memeriksa"], 3),
                                "memeriksa": stages.seconds["memeriksa"]}}
    inside = ("memeriksa", "menulis", "tabel_turunan")
    stages.seconds["salinan"] = round(stages.seconds["salinan"] - sum(stages.seconds[n] for n in inside), 3)
    report["tahap_detik"] = {n: stages.seconds[n] for n in ("membaca", "salinan", *inside)}
    return report


def preview_files(paths: list[Path], db_path: Path | str | None = None, kind: str | None = None,
                  progress: Progress | None = None, office: str | None = None) -> dict:
    """What load_files would do with these files (same reading and checks, same report), writing nothing."""
    say = progress or (lambda message, fraction: None)
    db = config.db_path(db_path)
    plans = _plans(paths, kind, say)
    earlier = {}
    if db.is_file():
        with _reading(db) as con:
            _validate(con, plans, say, office)
            earlier = _loaded_before(con, plans)
    else:
        con = duckdb.connect(":memory:")
        try:
            ensure_schema(con)
            _validate(con, plans, say, office)
        finally:
            con.close()
    say("Selesai", 1.0)
    return {"files": [entry for entry, _sheet, _plan in _entries(plans)], "skipped": _skipped(plans),
            "loaded_before": earlier}


def _loaded_before(con: duckdb.DuckDBPyConnection, plans: list[FilePlan]) -> dict[str, dict]:
    """File name → the newest run still in effect that loaded rows from a file with the same content (sha256)."""
    digests = {plan.sha256: plan.path.name for plan in plans if plan.sha256}
    if not digests:
        return {}
    found = con.execute("""
        select sha256, max(id_muat), max(selesai) from muat_run
        where list_contains($digests, sha256) and status = 'loaded' and baris_dimuat > 0 and dibatalkan_pada is null
        group by sha256""", {"digests": list(digests)}).fetchall()
    return {digests[digest]: {"id_muat": int(run), "selesai": finished} for digest, run, finished in found}


def _plans(paths, kind, say: Progress) -> list[FilePlan]:
    plans = []
    extract.start_scans(paths)  # every workbook's size check runs ahead, while the ones before it are read
    try:
        for i, path in enumerate(paths):
            say(f"Membaca {Path(path).name}", 0.4 * i / max(len(paths), 1))
            plans.append(plan_file(Path(path), kind))
    finally:
        extract.forget_scans(paths)
    return plans


def _validate(con: duckdb.DuckDBPyConnection, plans: list[FilePlan], say: Progress,
              office: str | None = None) -> None:
    """Check every accepted sheet, kinds in load order, so later kinds see the keys earlier ones bring."""
    refs, mapping = _references(con), _mapping(con)
    accepted = [p for p in plans if p.ok]
    for order, kind_name in enumerate(spec.LOAD_ORDER):
        say(f"Memeriksa data {kind_name}", 0.4 + 0.3 * order / len(spec.LOAD_ORDER))
        for plan in accepted:
            for sheet in plan.sheets:
                if sheet.table.kind == kind_name:
                    sheet.validated = validate(sheet.table, refs, mapping, office=office)
                    sheet.table.values, sheet.table.factorized = None, {}  # raw cells no longer needed
        for plan in accepted:
            _dedupe_across_sheets_of_kind(con, plan, kind_name)
            for sheet in plan.sheets:
                if sheet.table.kind == kind_name:
                    _add_references(refs, sheet.validated)


def _dedupe_across_sheets_of_kind(con, plan: FilePlan, kind_name: str) -> None:
    _dedupe_across_sheets(con, [s for s in plan.sheets if s.table.kind == kind_name], kind_name)


def _write(con: duckdb.DuckDBPyConnection, plans: list[FilePlan], when: tuple) -> set[str]:
    """Upsert the accepted sheets, kinds in load order; returns the offices of the rows written."""
    loaded_at, run_id = when
    offices = set()
    for kind_name in spec.LOAD_ORDER:
        kind = spec.KINDS[kind_name]
        for plan in plans:
            sheets = [sh for sh in plan.sheets if plan.ok and sh.table.kind == kind_name]
            tables = [sh.validated.rows.append_column("sumber_sheet", pa.repeat(
                pa.scalar(sh.table.sheet, pa.string()), sh.validated.rows.num_rows)) for sh in sheets]
            if not tables or not sum(t.num_rows for t in tables):
                continue
            counts, written = _upsert(con, kind, pa.concat_tables(tables), (plan.path.name, loaded_at, run_id))
            offices |= written
            for sh in sheets:
                sh.inserted, sh.updated = counts.get(sh.table.sheet, (0, 0))
    return offices


class Stages:
    """Seconds spent in each stage of a load (for the benchmark and the command line's --json)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = round(self.seconds.get(name, 0.0) + time.perf_counter() - start, 3)


def _commit(con: duckdb.DuckDBPyConnection, plans: list[FilePlan], started, user, say: Progress,
            stages: Stages) -> dict:
    say("Menulis ke basis data", 0.75)
    loaded_at = config.now().replace(tzinfo=None)
    con.execute("begin transaction")
    try:
        run_id = con.execute("select coalesce(max(id_muat), 0) + 1 from muat_run").fetchall()[0][0]
        with stages("menulis"):
            offices = _write(con, plans, (loaded_at, run_id))
        touched_budget = any(plan.ok and sh.table.kind == "anggaran" and sh.validated.rows.num_rows
                             for plan in plans for sh in plan.sheets)
        with stages("tabel_turunan"):
            materialise(con, offices)
        if touched_budget:
            _flag_over_ceiling(con)
            for plan in plans:
                for sheet in plan.sheets:
                    if plan.ok and sheet.table.kind == "anggaran":
                        sheet.validated.warnings.extend(_over_ceiling_warnings(con, sheet, plan.path.name))
        report = _record_run(con, plans, run_id, started, user)
        pause = config.test_pause_seconds()
        if pause:
            say("Menunggu sebelum commit (uji)", 0.95)
            time.sleep(pause)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    say("Selesai", 1.0)
    report["id_muat"] = run_id
    return report


RUN_COLUMNS = ("id_muat, sumber_file, sumber_sheet, jenis_data, sha256, status, baris_dibaca, baris_dimuat, "
               "baris_ditolak, jumlah_peringatan, baris_baru, baris_diperbarui, keterangan, pengguna, mulai, selesai")


def _entries(plans: list[FilePlan]) -> list[tuple[dict, Sheet | None, FilePlan]]:
    """The report entries of a run: one per file rejected whole, else one per sheet."""
    out = []
    for plan in plans:
        file_entries = [(_entry(plan, None, r), None) for r in plan.rejected]
        file_entries += [(_entry(plan, s), s) for s in plan.sheets]
        if file_entries and plan.notes:
            file_entries[0][0]["warnings"] = plan.notes + file_entries[0][0]["warnings"]
        out += [(entry, sheet, plan) for entry, sheet in file_entries]
    return out


def _skipped(plans: list[FilePlan]) -> list[dict]:
    """The sheets skipped as not data, each with its file: what the report's readers list beside its entries.

    Their warnings stay in the first entry of the file too (the command line's JSON has one entry per sheet
    loaded or rejected); `message` is that warning's message, so a reader can tell it apart.
    """
    return [{"file": plan.path.name, **item} for plan in plans for item in plan.skipped]


def own_warnings(report: dict, entry: dict) -> list[dict]:
    """An entry's warnings less those about its file's skipped sheets (report["skipped"] lists them apart)."""
    notes = {(s["sheet"], s["message"]) for s in report.get("skipped", []) if s["file"] == entry["file"]}
    return [w for w in entry["warnings"] if not (w["row"] is None and (w["value"], w["message"]) in notes)]


def _record_run(con: duckdb.DuckDBPyConnection, plans: list[FilePlan], run_id: int, started, user) -> dict:
    finished = config.now().replace(tzinfo=None)
    entries, runs, rejected_rows, warning_rows = [], [], [], []
    for entry, sheet, plan in _entries(plans):
        entries.append(entry)
        reason = "; ".join(e["message"] for e in entry["errors"] if e["row"] is None) or None
        own = [w for w in entry["warnings"] if not any(w is note for note in plan.notes)]
        runs.append((run_id, entry["file"], entry["sheet"], entry["kind"], plan.sha256, entry["status"],
                     entry["rows_read"], entry["rows_loaded"], entry["rows_rejected"], len(own),
                     sheet.inserted if sheet else 0, sheet.updated if sheet else 0, reason, user,
                     started, finished))
        for e in entry["errors"]:
            rejected_rows.append((run_id, entry["file"], entry["sheet"], entry["kind"], e["row"], e["column"],
                                  e["value"], e["message"]))
        for w in own:
            warning_rows.append((run_id, entry["file"], entry["sheet"], entry["kind"], w["row"], w["column"],
                                 w["value"], w["message"]))
    for item in _skipped(plans):  # a skipped sheet's warning under its own name
        warning_rows.append((run_id, item["file"], item["sheet"], None, None, None, item["sheet"], item["message"]))
    con.executemany(f"insert into muat_run ({RUN_COLUMNS}) values ({', '.join('?' * 16)})", runs)
    for table, rows in (("baris_ditolak", rejected_rows), ("peringatan_muat", warning_rows)):
        if rows:
            frame = pa.Table.from_pylist([dict(zip(("id_muat", "sumber_file", "sumber_sheet", "jenis_data",
                                                    "baris", "kolom", "nilai", "pesan"), r)) for r in rows])
            con.register("new_rows", frame)
            con.execute(f"insert into {table} select * from new_rows")
            con.unregister("new_rows")
    return {"files": entries, "skipped": _skipped(plans)}


# ---------------------------------------------------------------------------------------- undo
def undo_run(run_id: int, db_path: Path | str | None = None, user: str | None = None) -> dict:
    """Undo a whole load run: the rows it inserted are removed and the rows it replaced come back.

    Only the newest run that is still in effect can be undone (newer runs may build on its rows: attendance
    on its clients, updates of its rows), so runs are undone newest first. Returns what was removed/restored.
    """
    db = config.db_path(db_path)
    if not db.is_file():
        raise LoadError(f"basis data belum ada: {db}")
    with writing(db) as con:
        runs = con.execute("""
            select id_muat, bool_or(status = 'loaded' and (baris_baru > 0 or baris_diperbarui > 0))
            from muat_run where dibatalkan_pada is null group by id_muat order by id_muat""").fetchall()
        known = {rid for rid, _ in runs}
        if run_id not in known:
            gone = con.execute("select count(*) from muat_run where id_muat = ?", [run_id]).fetchall()[0][0]
            raise LoadError(f"muat nomor {run_id} sudah dibatalkan" if gone else f"muat nomor {run_id} tidak ada")
        newer = [rid for rid, wrote in runs if rid > run_id and wrote]
        if newer:
            raise LoadError(f"muat nomor {run_id} tidak dapat dibatalkan selama muat yang lebih baru masih berlaku "
                            f"(nomor {', '.join(map(str, newer))}); batalkan yang terbaru lebih dulu")
        con.execute("begin transaction")
        try:
            removed, restored, offices = {}, {}, set()
            for kind_name in reversed(spec.LOAD_ORDER):
                table = spec.KINDS[kind_name].table  # identifiers from spec.py
                offices |= {r[0] for r in con.execute(
                    f"select kode_bapas from {table} where id_muat = ? union "
                    f"select kode_bapas from {table}_arsip where diganti_oleh_muat = ?", [run_id, run_id]).fetchall()}
                removed[table] = con.execute(f"delete from {table} where id_muat = ?", [run_id]).fetchall()[0][0]
                restored[table] = con.execute(
                    f"insert into {table} select * exclude (diganti_oleh_muat) from {table}_arsip "
                    "where diganti_oleh_muat = ?", [run_id]).fetchall()[0][0]
                con.execute(f"delete from {table}_arsip where diganti_oleh_muat = ?", [run_id])
            materialise(con, offices)
            if removed.get("anggaran") or restored.get("anggaran"):
                _flag_over_ceiling(con)
            con.execute("update muat_run set dibatalkan_pada = ?, dibatalkan_oleh = ? where id_muat = ?",
                        [config.now().replace(tzinfo=None), user, run_id])
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    return {"id_muat": run_id, "dihapus": {t: n for t, n in removed.items() if n},
            "dipulihkan": {t: n for t, n in restored.items() if n}}


# ---------------------------------------------------------------------------------------- demo data out
DEMO_TABLES = ("muat_run", "baris_ditolak", "peringatan_muat")


def clear_demo(db_path: Path | str | None = None) -> dict:
    """Take the demo data out before the office's own: every row the demo loads brought, their run records and
    rejected rows; rows of other loads stay (a row of the office's that a demo load replaced comes back).

    The database before is kept as a backup (`etl backups --restore` puts it back). Returns {table: rows removed}.
    """
    from etl.demo import DEMO_USER

    db = config.db_path(db_path)
    if not db.is_file():
        raise LoadError(f"basis data belum ada: {db}")
    with writing(db, snapshot.Backup()) as con:
        runs = [r[0] for r in con.execute("select distinct id_muat from muat_run where pengguna = ? order by 1",
                                          [DEMO_USER]).fetchall()]
        if not runs:
            raise LoadError("basis data ini tidak berisi data demo; tidak ada yang dikeluarkan")
        con.execute("begin transaction")
        try:
            removed = {}
            for kind_name in reversed(spec.LOAD_ORDER):
                table = spec.KINDS[kind_name].table  # identifiers from spec.py, values bound
                removed[table] = con.execute(f"delete from {table} where list_contains(?, id_muat)",
                                             [runs]).fetchall()[0][0]
                con.execute(f"insert into {table} select * exclude (diganti_oleh_muat) from {table}_arsip "
                            "where list_contains(?, diganti_oleh_muat) and not list_contains(?, id_muat)", [runs, runs])
                con.execute(f"delete from {table}_arsip where list_contains(?, id_muat) "
                            "or list_contains(?, diganti_oleh_muat)", [runs, runs])
            for table in DEMO_TABLES:
                con.execute(f"delete from {table} where list_contains(?, id_muat)", [runs])
            materialise(con)
            _flag_over_ceiling(con)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    order = [spec.KINDS[k].table for k in spec.LOAD_ORDER]
    return {table: removed[table] for table in order if removed[table]}
