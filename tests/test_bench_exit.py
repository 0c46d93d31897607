"""bench/run.py: a measurement that could not be taken makes the run fail; a missed goal does not."""
import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture
def bench(monkeypatch, tmp_path):
    monkeypatch.syspath_prepend(str(BENCH))
    spec = importlib.util.spec_from_file_location("bench_run_under_test", BENCH / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "LOGS", tmp_path / "logs")
    monkeypatch.setattr(module.run_pages, "ensure_database", lambda scale, path: tmp_path / "none.duckdb")
    monkeypatch.setattr(module, "scan_floor", lambda path, repeat: 1.0)
    yield module
    sys.modules.pop("bench_run_under_test", None)


def test_a_failed_report_export_fails_the_run(bench, tmp_path, capsys):
    def broken(scale, path, floor, repeat):
        bench.entry("report.pdf", scale, None, "s", floor=floor, note="gagal: OSError: disk penuh")
    bench.report_export = broken
    assert bench.main(["--only", "report", "--json", str(tmp_path / "r.json")]) == 1
    assert "pengukuran gagal (kode keluar 1): bapas/report.pdf" in capsys.readouterr().out
    assert (tmp_path / "r.json").exists()  # what was measured is still written


def test_a_missed_goal_is_reported_but_not_a_failure(bench, capsys):
    def slow(scale, path, floor, repeat):
        bench.entry("report.pdf", scale, 9.0, "s", floor=floor, ratio=9.0, goal="≤ 5×", met=False)
    bench.report_export = slow
    assert bench.main(["--only", "report"]) == 0
    assert "target tidak tercapai: bapas/report.pdf" in capsys.readouterr().out
