"""`etl export`: the database as a Parquet dataset that the analytics layer reads like the DuckDB file."""
import datetime as dt
import json

import pandas as pd
import pytest

from analytics import anggaran, db, hambatan, mitra, partisipasi, ringkasan
from analytics.filters import Filters
from analytics.viewer import Viewer
from etl import export
from etl.export import MANIFEST, dataset_folder, export_parquet
from tests.conftest import query, run_cli

KEPALA = Viewer("kepala", "kepala")
KANWIL = Viewer("kanwil", "kanwil")


@pytest.fixture(scope="module")
def dataset(demo_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("parquet") / "dataset"
    export_parquet(demo_db, out)
    return out


def test_every_table_has_the_same_rows_in_the_dataset(demo_db, dataset):
    manifest = json.loads((dataset / MANIFEST).read_text())
    tables = [r[0] for r in query(demo_db, "select table_name from duckdb_tables() order by 1")]
    assert sorted(manifest["tabel"]) == tables
    for table in ("klien", "kehadiran", "anggaran", "muat_run", "penyelesaian_program"):
        on_file = db.frame(f"select * from {table} order by all", db_path=demo_db)
        on_dataset = db.frame(f"select * from {table} order by all", db_path=dataset)
        pd.testing.assert_frame_equal(on_file, on_dataset)
    assert manifest["tabel"]["kehadiran"]["partisi"] == ["kode_bapas", "tahun_partisi"]
    folder = dataset_folder(dataset, manifest)
    assert folder.parent == dataset and folder.name == manifest["versi"]
    years = {p.name for p in (folder / "kehadiran").glob("kode_bapas=*/tahun_partisi=*")}
    assert len(years) >= 3  # the demo covers several years


@pytest.mark.parametrize("call", [
    lambda f, p: ringkasan.key_figures(f, KEPALA, p),
    lambda f, p: ringkasan.missed_reports(f, KEPALA, p)[0],
    lambda f, p: partisipasi.participation_by_month(f, KANWIL, p),
    lambda f, p: partisipasi.program_completion(f, KEPALA, p),
    lambda f, p: partisipasi.cohort_comparison(f, KEPALA, db_path=p),
    lambda f, p: anggaran.absorption_by_year(f, p),
    lambda f, p: hambatan.category_pareto(f, KANWIL, db_path=p),
    lambda f, p: mitra.scorecard(f, KEPALA, db_path=p),
], ids=["ringkasan", "mangkir", "partisipasi", "penyelesaian", "kohort", "anggaran", "hambatan", "mitra"])
def test_pages_give_the_same_figures_from_the_dataset(demo_db, dataset, call):
    filters = Filters(dt.date(2026, 5, 1), dt.date(2026, 10, 31))
    on_file, on_dataset = call(filters, demo_db), call(filters, dataset)
    if isinstance(on_file, pd.DataFrame):
        assert not on_file.empty
        pd.testing.assert_frame_equal(on_file, on_dataset)
    else:
        assert on_file == on_dataset


def test_cli_export_replaces_a_dataset_and_refuses_a_foreign_folder(demo_db, tmp_path):
    out = tmp_path / "ds"
    done = run_cli("export", "--out", out, "--db", demo_db)
    assert done.returncode == 0, done.stderr
    first = db.data_version(out)
    again = run_cli("export", "--out", out, "--db", demo_db)
    assert again.returncode == 0 and db.data_version(out) != first
    assert not list(tmp_path.glob("ds.*")) and not list(out.glob(f"{MANIFEST}.*"))  # nothing left half-written
    versions = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert len(versions) == 2 and json.loads((out / MANIFEST).read_text())["versi"] == versions[-1]
    foreign = tmp_path / "dokumen"
    foreign.mkdir()
    (foreign / "catatan.txt").write_text("jangan dihapus")
    refused = run_cli("export", "--out", foreign, "--db", demo_db)
    assert refused.returncode == 1 and "bukan dataset ekspor" in refused.stderr
    assert (foreign / "catatan.txt").read_text() == "jangan dihapus"


def test_risk_and_the_report_run_on_the_dataset(demo_db, dataset, tmp_path):
    """The Risiko page and the Paparan on app servers that read a dataset (every Risiko view failed once)."""
    from analytics import report, risk
    on_file, on_dataset = risk.validate(12, db_path=demo_db).report, risk.validate(12, db_path=dataset).report
    assert (on_dataset["status"], on_dataset["n"], on_dataset["events"]) == (
        on_file["status"], on_file["n"], on_file["events"])
    filters = Filters(dt.date(2026, 5, 1), dt.date(2026, 10, 31))
    pd.testing.assert_frame_equal(risk.risk_distribution(filters, KANWIL, 12, db_path=demo_db),
                                  risk.risk_distribution(filters, KANWIL, 12, db_path=dataset))
    summary = report.build_pack("2026-10", 3, None, "pptx", tmp_path / "paparan.pptx", dataset)
    assert (tmp_path / "paparan.pptx").stat().st_size > 0 and summary["pages"] == 16


def test_readers_never_miss_the_dataset_while_exports_replace_it(demo_db, tmp_path, monkeypatch):
    """The export switches versions by replacing the manifest: a reader querying throughout never fails."""
    import threading
    out = tmp_path / "ds"
    export_parquet(demo_db, out)
    expected = db.frame("select count(*) as n from kehadiran", db_path=out)["n"][0]
    stop, errors, reads = threading.Event(), [], []

    def read() -> None:
        while not stop.is_set():
            try:
                reads.append(db.frame("select count(*) as n from kehadiran", db_path=out)["n"][0])
            except Exception as exc:  # noqa: BLE001 - the test counts every failure
                errors.append(repr(exc))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for _ in range(4):
            export_parquet(demo_db, out)
    finally:
        stop.set()
        reader.join(60)
    assert not errors and reads and set(reads) == {expected}
    # old versions are pruned only when no reader can still need them (the newest two, or young ones)
    monkeypatch.setattr(export, "KEEP_MINUTES", 0)
    export_parquet(demo_db, out)
    assert len([p for p in out.iterdir() if p.is_dir()]) == export.KEEP_VERSIONS


def test_a_dataset_of_the_earlier_layout_is_replaced_by_a_versioned_one(demo_db, tmp_path):
    out = tmp_path / "ds"
    manifest = export_parquet(demo_db, out)
    folder = dataset_folder(out, manifest)
    for table in manifest["tabel"]:  # the earlier layout: tables directly in the dataset folder, no "versi"
        folder.joinpath(table).rename(out / table)
    folder.rmdir()
    del manifest["versi"]
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    before = db.frame("select count(*) as n from klien", db_path=out)["n"][0]
    assert dataset_folder(out, manifest) == out and before > 0
    export_parquet(demo_db, out)
    assert [p.name for p in out.iterdir() if p.is_dir()] == [json.loads((out / MANIFEST).read_text())["versi"]]
    assert db.frame("select count(*) as n from klien", db_path=out)["n"][0] == before
