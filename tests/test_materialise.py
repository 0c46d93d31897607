"""The stored tables, rebuilt by each load and undo only for the offices it touched, equal their views."""
import datetime as dt

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from etl import demo
from etl import demo_vocab as V
from etl.load import MATERIALISED, load_files, undo_run
from tests.conftest import query

D = dt.date
# office → as-of date of its data: the third office's data end two months later, which moves the data date (the
# latest attendance of any office) and with it the months of every office's open cases
OFFICES = {V.OFFICES[0]: D(2026, 8, 31), V.OFFICES[1]: D(2026, 8, 31), V.OFFICES[2]: D(2026, 10, 31)}


def _office_files(folder, index: int, office, as_of, change=None) -> list:
    """The six Parquet files of one small demo office; `change(name, frame)` may edit a table first."""
    data = demo.office_data(2026, as_of, office, n_cases=60, index=index)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in data.tables().items():
        paths.append(folder / f"{name}.parquet")
        pq.write_table(demo.parquet_table(name, change(name, frame) if change else frame, office.kode_bapas),
                       paths[-1])
    return paths


def _corrected(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A correction of an office's data: every 5th attendance missed, every 3rd case ended 30 days after its start."""
    frame = frame.copy()
    if name == "kehadiran":
        frame.loc[frame.index[::5], "status_hadir"] = "TIDAK_HADIR"
    elif name == "klien":
        ended = frame.index[::3]
        frame.loc[ended, "status"] = "SELESAI"
        frame.loc[ended, "tanggal_status"] = frame.loc[ended, "tanggal_mulai_bimbingan"] + pd.Timedelta(days=30)
    return frame


def _differences(db) -> dict:
    """Per stored table, the rows it has that a full rebuild from its view would not (and the reverse)."""
    out = {}
    for table in MATERIALISED:
        extra = query(db, f"select * from {table} except all select * from v_{table}")
        missing = query(db, f"select * from v_{table} except all select * from {table}")
        if extra or missing:
            out[table] = {"extra": len(extra), "missing": len(missing),
                          "offices": sorted({r[0] for r in extra + missing})}
    return out


def _rows_by_office(db, table: str) -> dict:
    return dict(query(db, f"select kode_bapas, count(*) from {table} group by all order by 1"))


def _load(paths, db) -> None:
    report = load_files(paths, db)
    assert all(f["status"] == "loaded" and f["rows_rejected"] == 0 for f in report["files"]), report


@pytest.fixture
def offices(tmp_path):
    return {office.kode_bapas: _office_files(tmp_path / office.kode_bapas, i, office, as_of)
            for i, (office, as_of) in enumerate(OFFICES.items())}


def test_each_load_and_undo_leaves_stored_tables_equal_to_their_views(tmp_path, db, offices):
    a, b, c = offices

    def check(step: str, present: list[str]) -> None:
        assert (step, _differences(db)) == (step, {})
        assert {t: list(_rows_by_office(db, t)) for t in MATERIALISED} == {t: sorted(present) for t in MATERIALISED}, step

    _load(offices[a], db)
    check("muat A", [a])
    _load(offices[b], db)
    check("muat B", [a, b])
    assert query(db, "select tanggal_data from v_tanggal_data")[0][0] < D(2026, 9, 1)
    months_b = _rows_by_office(db, "klien_bulan")[b]
    _load(offices[c], db)  # moves the data date two months on: the open cases of A and B get two more months
    check("muat C", [a, b, c])
    assert query(db, "select tanggal_data from v_tanggal_data")[0][0] >= D(2026, 10, 1)
    assert _rows_by_office(db, "klien_bulan")[b] > months_b

    completed = "select count(*) filter (where selesai) from penyelesaian_program where kode_bapas = ?"
    completed_c = query(db, completed, [c])
    con = duckdb.connect(str(db))  # a setting changed between loads: the next load rebuilds every office's completion
    con.execute("insert into pengaturan values ('ambang_penyelesaian', 0.5, null)")
    con.close()
    corrections = [p for i, (office, as_of) in enumerate(list(OFFICES.items())[:2])
                   for p in _office_files(tmp_path / f"koreksi-{office.kode_bapas}", i, office, as_of, _corrected)]
    _load(corrections, db)  # one run correcting two offices
    for table in ("klien", "kehadiran"):
        assert query(db, f"select distinct kode_bapas from {table}_arsip where diganti_oleh_muat = 4 order by 1") == [
            (a,), (b,)]
    check("muat ulang A dan B dengan perubahan", [a, b, c])
    assert query(db, completed, [c]) > completed_c

    undo_run(4, db)
    check("batal muat ulang A dan B", [a, b, c])
    undo_run(3, db)  # the data date goes back
    check("batal muat C", [a, b])
    assert _rows_by_office(db, "klien_bulan")[b] == months_b
