"""The benchmark of issue 9 in one run: ETL, pages, risk, report export, server memory, 20 sessions during a load,
and several app servers on one Parquet dataset — each next to its floor or peer, measured side by side.

    python bench/run.py [--scale bapas|national|both] [--json FILE]
                        [--only etl,pages,risk,report,memory,concurrency,parquet]
                        [--repeat 3] [--sessions 20] [--servers 2] [--rounds 1] [--think 10] [--login-spread 20]
                        [--timeout 300]
                        [--etl-offices 90]

Databases: run_pages.ensure_database builds or reuses `data/bench/bapas.duckdb` and `data/national.duckdb`.
Everything that writes (loads, exports, the servers' first start) works on copies in a temporary folder, so the
shared databases are only read. Server logs go to artifacts/bench/ (git-ignored).

- etl: bapas — bench/run_etl.py on the demo workbooks (load_files vs python-calamine's read); national — the
  demo's Parquet files of --etl-offices offices (written once to data/bench/national-parquet/) and a CSV copy of
  them, each loaded with load_files (what `python -m etl load` runs; in batches of ten offices, as the demo
  does) vs DuckDB reading the same files into tables with read_parquet / read_csv (the floor); and, beside it,
  DuckDB alone reading them into our schema and building the stored tables the pages read (the least any load that
  keeps those tables can cost: no checks, lineage, archive or snapshot copy).
- pages: bench/run_pages.py's measure() (each page's analytics calls vs one full scan of kehadiran; the pandas way).
- risk: analytics.risk.validate() in a fresh process (fit + validation, no cache), with its peak memory.
- report: analytics.report.build_pack() for the last 3 months, all offices: a first pptx (which also fits the risk
  model for the data version), then --repeat rounds of pptx and pdf with the model cached.
- memory: peak RSS (VmHWM) of a real `streamlit run app.py` and its children after headless Chromium, logged in as
  kepala, visited every page of the menu (the page times Chromium saw, and the peak after each page, are printed).
- concurrency: on the same server (started with the file watcher off, as in production), first the peer: the five
  demo accounts one session at a time, each clicking through its menu once, nothing else running; then
  --sessions users pressing Masuk at the same moment (login burst); then --sessions websocket sessions
  (bench/sessions.py says why not 20 Chromium contexts), the five demo accounts in turn, logging in within
  --login-spread s and clicking through their menu --rounds times, --think s (±50%) apart, while
  `python -m etl load <Kehadiran workbook>` runs again and again (at most --loads times) in another process on the
  same database. Errors: error elements and timeouts the sessions saw, failed loads, and tracebacks in the server
  log (listed apart); each session view's timeline goes to artifacts/bench/<kind>-<scale>.json.
- parquet: the database exported with `python -m etl export`, --servers servers reading the dataset, the same
  sessions spread over them, while the writer loads the workbook into its DuckDB file and re-exports; the peer is
  the single server on the DuckDB file above.

In the JSON, one entry per measurement: name, scale, value, unit, floor or peer, ratio (value ÷ floor or peer;
for pandas, pandas ÷ ours), goal, met; plus the machine (cores, load average before and after).
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

import run_etl  # noqa: E402
import run_pages  # noqa: E402
import sessions  # noqa: E402

MEASUREMENTS = ("etl", "pages", "risk", "report", "memory", "concurrency", "parquet")
LOGS = ROOT / "artifacts" / "bench"
NATIONAL_PARQUET = ROOT / "data" / "bench" / "national-parquet"
NATIONAL_CSV = ROOT / "data" / "bench" / "national-csv"
DEMO_WORKBOOKS = ROOT / "data" / "bench" / "demo-bapas"  # written by run_pages.ensure_database("bapas")
GB = 1024 ** 3
GOAL_ETL, GOAL_PAGE, GOAL_PANDAS, GOAL_RSS = 2.0, 5.0, 5.0, 1.5 * GB
NOT_YET = "belum tersedia"

results: list[dict] = []


def entry(name: str, scale: str, value, unit: str, *, floor=None, peer=None, ratio=None, goal: str | None = None,
          met: bool | None = None, note: str | None = None) -> dict:
    """One measurement as the JSON holds it."""
    item = {"name": name, "scale": scale, "value": value, "unit": unit}
    if peer is not None:
        item["peer"] = peer
    else:
        item["floor"] = floor
    item.update(ratio=ratio, goal=goal, met=met)
    if note:
        item["note"] = note
    results.append(item)
    return item


def say(message: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def rounded(x, digits: int = 3):
    return None if x is None else round(float(x), digits)


# ------------------------------------------------------------------------------------------------- ETL
def etl_bapas(repeat: int) -> None:
    """bench/run_etl.py on the demo workbooks: load_files against python-calamine's read of the same files."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "etl.json"
        run_etl.main(["--demo-dir", str(DEMO_WORKBOOKS), "--json", str(out), "--repeat", str(repeat),
                      "--no-openpyxl"])
        for r in json.loads(out.read_text(encoding="utf-8")):
            goal = r["name"] == "load_files.rows_per_s"
            entry(f"etl.xlsx.{r['name']}", "bapas", r["value"], r["unit"], floor=r["floor"], ratio=r["ratio"],
                  goal=f"≤ {GOAL_ETL:g}× lantai (calamine)" if goal else None,
                  met=r["ratio"] <= GOAL_ETL if goal else None)


def national_parquet(offices: int) -> dict[str, list[Path]]:
    """The demo's national Parquet files of the first `offices` offices (written once, then reused)."""
    from etl import demo_vocab as V
    from etl.demo import TABLES, build_demo
    codes = [o.kode_bapas for o in V.OFFICES[:offices]]
    root = NATIONAL_PARQUET / "national"
    files = {t: [root / t / f"{c}.parquet" for c in codes] for t in TABLES}
    if not all(p.is_file() for paths in files.values() for p in paths):
        say(f"menulis Parquet nasional demo ({offices} kantor) ke {NATIONAL_PARQUET.relative_to(ROOT)} …")
        with tempfile.TemporaryDirectory() as tmp:
            build_demo(Path(tmp) / "unused.duckdb", NATIONAL_PARQUET, scale="national", n_offices=offices, load=False)
    return files


def csv_copy(files: dict[str, list[Path]]) -> dict[str, list[Path]]:
    """The same files as CSV (header row, comma, ISO dates), written once with DuckDB."""
    import duckdb
    out: dict[str, list[Path]] = {}
    con = duckdb.connect()
    try:
        for table, paths in files.items():
            out[table] = []
            for p in paths:
                target = NATIONAL_CSV / table / (p.stem + ".csv")
                if not target.is_file():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    partial = target.with_suffix(".csv.tmp")
                    con.read_parquet(str(p)).write_csv(str(partial), header=True, sep=",")  # paths never in SQL
                    os.replace(partial, target)
                out[table].append(target)
    finally:
        con.close()
    return out


def duckdb_floor(files: dict[str, list[Path]], fmt: str, work: Path) -> float:
    """DuckDB alone: every table read into a fresh database with read_parquet / read_csv; seconds."""
    import duckdb
    db = work / f"floor-{time.perf_counter_ns()}.duckdb"
    start = time.perf_counter()
    con = duckdb.connect(str(db))
    try:
        for table, paths in files.items():
            reader = "read_parquet($files)" if fmt == "parquet" else "read_csv($files, header = true)"
            # the table name is one of ours; the file paths go in as a parameter
            con.execute(f"create table {table} as select * from {reader}", {"files": [str(p) for p in paths]})
        con.execute("checkpoint")
    finally:
        con.close()
    seconds = time.perf_counter() - start
    db.unlink(missing_ok=True)
    return seconds


def duckdb_stored_floor(files: dict[str, list[Path]], fmt: str, work: Path) -> float:
    """DuckDB alone doing the least a load must: the floor's read, into our schema, plus the stored tables.

    The same files inserted with read_parquet / read_csv into the tables of etl/sql/schema.sql, then every stored
    table (etl.load.MATERIALISED) built whole by the query a load uses, then a checkpoint; seconds. No checks, no
    lineage, no archive, no snapshot copy: what any load that keeps the stored tables the pages read would cost
    even if everything else were free.
    """
    import duckdb
    from etl.load import ensure_schema, materialise
    db = work / f"stored-floor-{time.perf_counter_ns()}.duckdb"
    start = time.perf_counter()
    con = duckdb.connect(str(db))
    try:
        ensure_schema(con)
        for table, paths in files.items():
            reader = "read_parquet($files)" if fmt == "parquet" else "read_csv($files, header = true)"
            con.execute(f"insert into {table} by name select * from {reader}", {"files": [str(p) for p in paths]})
        materialise(con)
        con.execute("checkpoint")
    finally:
        con.close()
    seconds = time.perf_counter() - start
    db.unlink(missing_ok=True)
    return seconds


def etl_load(files: dict[str, list[Path]], work: Path) -> tuple[float, int, list[str], dict[str, float]]:
    """load_files (the code of `python -m etl load`) into a fresh database, ten offices per run as the demo does."""
    from etl.demo import NATIONAL_BATCH
    from etl.load import load_files
    db = work / f"load-{time.perf_counter_ns()}.duckdb"
    offices = len(next(iter(files.values())))
    rows, problems, stages = 0, [], {}
    start = time.perf_counter()
    for lo in range(0, offices, NATIONAL_BATCH):
        batch = [paths[i] for paths in files.values() for i in range(lo, min(lo + NATIONAL_BATCH, offices))]
        report = load_files(batch, db, kind=None, user="bench")
        rows += sum(f["rows_loaded"] for f in report["files"])
        for name, seconds in report["tahap_detik"].items():
            stages[name] = stages.get(name, 0.0) + seconds
        problems += [f"{Path(f['file']).name}: {f['status']}, {f['rows_rejected']} ditolak"
                     for f in report["files"] if f["status"] != "loaded" or f["rows_rejected"]]
    seconds = time.perf_counter() - start
    for f in work.glob(db.name + "*"):
        if f.is_dir():
            shutil.rmtree(f, ignore_errors=True)
        else:
            f.unlink(missing_ok=True)
    return seconds, rows, problems, stages


STAGE_NOTES = {
    "membaca": "membaca berkas dan mengenali judul kolom (extract)",
    "salinan": "salinan basis data untuk penulis, checkpoint dan penggantian (etl/snapshot.py)",
    "memeriksa": "pemeriksaan baris per kolom (validate)",
    "menulis": "upsert ke tabel (insert, arsip baris yang diganti)",
    "tabel_turunan": "membangun ulang tabel turunan kantor yang dimuat (MATERIALISED)",
}


def etl_national(offices: int) -> None:
    """National files: load_files vs DuckDB's own read of the same Parquet, and of a CSV copy."""
    files = national_parquet(offices)
    sources = {"parquet": files, "csv": csv_copy(files)}
    with tempfile.TemporaryDirectory(dir=ROOT / "data" / "bench") as tmp:
        work = Path(tmp)
        for fmt, paths in sources.items():
            say(f"ETL nasional {fmt}: lantai DuckDB, load_files, lantai lagi ({offices} kantor)")
            floors = [duckdb_floor(paths, fmt, work)]
            seconds, rows, problems, stages = etl_load(paths, work)
            floors.append(duckdb_floor(paths, fmt, work))
            floor = statistics.median(floors)
            stored_floor = duckdb_stored_floor(paths, fmt, work)
            note = f"{offices} kantor, {sum(len(p) for p in paths.values())} berkas"
            if problems:
                note += f"; {len(problems)} berkas bermasalah: {problems[:3]}"
            entry(f"etl.{fmt}.load_files", "national", round(seconds, 2), "s", floor=round(floor, 2),
                  ratio=round(seconds / floor, 2), note=note)
            entry(f"etl.{fmt}.rows_per_s", "national", round(rows / seconds), "rows/s",
                  floor=round(rows / floor), ratio=round(seconds / floor, 2),
                  goal=f"≤ {GOAL_ETL:g}× lantai (DuckDB read_{fmt})", met=seconds / floor <= GOAL_ETL,
                  note=f"{rows:,} baris".replace(",", "."))
            entry(f"etl.{fmt}.lantai_dengan_tabel_turunan", "national", round(stored_floor, 2), "s",
                  floor=round(floor, 2), ratio=round(stored_floor / floor, 2),
                  note="DuckDB saja: baca ke skema kita + bangun semua tabel turunan + checkpoint (tanpa pemeriksaan, "
                       "silsilah, arsip atau salinan); batas bawah setiap muat yang menyimpan tabel turunan")
            entry(f"etl.{fmt}.load_files_vs_lantai_dengan_tabel_turunan", "national", round(seconds, 2), "s",
                  peer=round(stored_floor, 2), ratio=round(seconds / stored_floor, 2))
            for name, part in stages.items():  # where the time goes (etl.load.Stages): each stage next to the floor
                entry(f"etl.{fmt}.tahap.{name}", "national", round(part, 2), "s", floor=round(floor, 2),
                      ratio=round(part / floor, 2), note=STAGE_NOTES.get(name))


# ----------------------------------------------------------------------------------------------- pages
def pages(scale: str, path: Path, repeat: int) -> float:
    """bench/run_pages.py's measure(); returns the floor (one full scan of kehadiran), in seconds."""
    floor = None
    for r in run_pages.measure(scale, path, repeat, True, False, 2.0):
        name = r["name"].split(".", 1)[1]
        if name == "floor.kehadiran_scan":
            floor = r["value"]
        if ".page." in r["name"]:
            entry(f"pages.{name.split('.', 1)[1]}", scale, r["value"], "s", floor=r["floor"], ratio=r["ratio"],
                  goal=f"≤ {GOAL_PAGE:g}× lantai", met=r["ratio"] <= GOAL_PAGE)
        elif ".pandas." in r["name"] and name.endswith("compute_only"):
            entry(f"pages.{name.split('.')[1]}.pandas_compute_only", scale, r["value"], "s", peer=r["peer"],
                  ratio=r["ratio"], note="pandas tanpa membaca tabel (cache st.cache_data sudah terisi); rasio = "
                                         "pandas ÷ kami")
        elif ".pandas." in r["name"]:
            national = scale == "national"
            entry(f"pages.{name.split('.', 1)[1]}.pandas", scale, r["value"], "s", peer=r["peer"], ratio=r["ratio"],
                  goal=f"pandas ≥ {GOAL_PANDAS:g}× lebih lambat" if national else None,
                  met=r["ratio"] >= GOAL_PANDAS if national else None, note="rasio = pandas ÷ kami")
        else:
            entry(f"pages.{name}", scale, r["value"], r["unit"], floor=r.get("floor"), peer=r.get("peer"),
                  ratio=r["ratio"])
    return floor


def scan_floor(path: Path, repeat: int) -> float:
    """run_pages' floor alone (for the measurements that need it when pages did not run)."""
    from analytics import db as adb
    adb.frame(run_pages.FLOOR_SQL, None, path)
    return run_pages.median_time(lambda: adb.frame(run_pages.FLOOR_SQL, None, path), repeat)[0]


# ---------------------------------------------------------------------------------------- risk, report
RISK_CODE = r"""
import json, resource, sys, time
from pathlib import Path
start = time.perf_counter()
from analytics import risk
imported = time.perf_counter()
peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
seen = {}
case_frame = risk.case_frame
def timed_case_frame(*args, **kwargs):  # where the peak comes from: the case query, or the fit after it
    begun = time.perf_counter()
    out = case_frame(*args, **kwargs)
    seen.update(case_frame_s=time.perf_counter() - begun, maxrss_case_frame=peak())
    return out
risk.case_frame = timed_case_frame
validation = risk.validate(db_path=Path(sys.argv[1]))
done = time.perf_counter()
r = validation.report
print(json.dumps({"import_s": imported - start, "seconds": done - imported, "status": r.get("status"),
                  "reason": r.get("reason"), "auc": r.get("auc"), "n": r.get("n"), "events": r.get("events"),
                  "maxrss": peak(), **seen}))
"""


def available(module: str, function: str) -> bool:
    import importlib
    import importlib.util
    if importlib.util.find_spec(f"analytics.{module}") is None:
        return False
    return callable(getattr(importlib.import_module(f"analytics.{module}"), function, None))


def risk_fit(scale: str, path: Path, floor: float | None) -> None:
    """analytics.risk.validate() in a fresh process: fit + validation, nothing cached."""
    if not available("risk", "validate"):
        entry("risk.fit_validate", scale, None, "s", floor=floor, note=f"{NOT_YET}: analytics.risk.validate")
        return
    say(f"risiko: risk.validate() pada {path.name} …")
    done = subprocess.run([sys.executable, "-c", RISK_CODE, str(path)], cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        entry("risk.fit_validate", scale, None, "s", floor=floor,
              note=f"gagal: {done.stderr.strip().splitlines()[-1][:200] if done.stderr.strip() else done.returncode}")
        return
    r = json.loads(done.stdout.strip().splitlines()[-1])
    note = (f"status {r['status']}, {r['n']} kasus, AUC {rounded(r['auc'])}; impor {r['import_s']:.1f} s; kueri kasus "
            f"(case_frame) {r.get('case_frame_s', 0):.1f} s")
    entry("risk.fit_validate", scale, round(r["seconds"], 2), "s", floor=rounded(floor),
          ratio=round(r["seconds"] / floor, 1) if floor else None, note=note)
    entry("risk.peak_rss", scale, round(r["maxrss"] / GB, 3), "GB",
          note=f"proses validasi saja (ru_maxrss); puncak setelah kueri kasus {r.get('maxrss_case_frame', 0) / GB:.2f} GB")


def report_export(scale: str, path: Path, floor: float | None, repeat: int) -> None:
    """analytics.report.build_pack() for the last 3 months of data, all offices, as pptx and as pdf."""
    if not available("report", "build_pack"):
        for fmt in ("pptx", "pdf"):
            entry(f"report.{fmt}", scale, None, "s", floor=floor, note=f"{NOT_YET}: analytics.report.build_pack")
        return
    from analytics import report
    from analytics.ringkasan import as_of
    period = as_of(path).strftime("%Y-%m")
    with tempfile.TemporaryDirectory() as tmp:
        # the first export of a data version also fits the risk model (its slides need it): timed apart
        say(f"paparan: build_pack({period!r}, 3, semua kantor, pptx) pertama (termasuk fit risiko)")
        start = time.perf_counter()
        try:
            first = report.build_pack(period, 3, None, "pptx", Path(tmp) / "pertama.pptx", db_path=path)
            entry("report.pptx.first", scale, round(time.perf_counter() - start, 2), "s", floor=rounded(floor),
                  ratio=round((time.perf_counter() - start) / floor, 1) if floor else None,
                  note=f"ekspor pertama versi data ini: termasuk fit model risiko; {first['pages']} salindia")
        except Exception as exc:
            entry("report.pptx.first", scale, None, "s", floor=rounded(floor),
                  note=f"gagal: {type(exc).__name__}: {str(exc)[:160]}")
        times: dict[str, list[float]] = {"pptx": [], "pdf": []}
        summary, failed = {}, {}
        for i in range(repeat):
            for fmt in times:
                if fmt in failed:
                    continue
                say(f"paparan: build_pack({period!r}, 3, semua kantor, {fmt}) {i + 1}/{repeat}")
                start = time.perf_counter()
                try:
                    summary[fmt] = report.build_pack(period, 3, None, fmt, Path(tmp) / f"paparan.{fmt}", db_path=path)
                except Exception as exc:  # a module still being written must not stop the other measurements
                    failed[fmt] = f"gagal: {type(exc).__name__}: {str(exc)[:160]}"
                    say(f"paparan {fmt} {failed[fmt]}")
                    continue
                times[fmt].append(time.perf_counter() - start)
        for fmt, seconds in times.items():
            if fmt in failed:
                entry(f"report.{fmt}", scale, None, "s", floor=rounded(floor), note=failed[fmt])
                continue
            s = statistics.median(seconds)
            entry(f"report.{fmt}", scale, round(s, 2), "s", floor=rounded(floor), ratio=round(s / floor, 1) if floor
                  else None, note=f"{summary[fmt]['pages']} salindia, periode {summary[fmt]['period']}; model risiko "
                                  "sudah di-cache (seperti server yang sudah menampilkan Risiko)")


# ------------------------------------------------------------------------------------ servers and users
class Loads(threading.Thread):
    """Runs the writer's commands again and again in other processes until stopped; keeps each run's outcome."""

    def __init__(self, commands: list[list[str]], most: int):
        super().__init__(daemon=True)
        self.commands, self.most, self.runs = commands, most, []  # runs: (started, seconds, ok, detail)
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set() and len(self.runs) < self.most:
            start = time.perf_counter()
            for command in self.commands:
                done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
                if done.returncode:
                    tail = (done.stderr.strip().splitlines() or ["?"])[-1]
                    self.runs.append((start, time.perf_counter() - start, False, f"{command[3]}: {tail[:200]}"))
                    break
            else:
                self.runs.append((start, time.perf_counter() - start, True, ""))

    def finish(self, at_least_one: bool = True) -> None:
        """Stop after the current run (after a first complete run when none finished yet)."""
        while at_least_one and not self.runs and self.is_alive():
            time.sleep(0.5)
        self.stop.set()
        self.join()


def workbook() -> Path:
    """The real workbook the writer loads during the concurrent sessions: the demo's attendance (the largest)."""
    paths = run_etl.demo_workbooks(DEMO_WORKBOOKS, False)
    return max(paths, key=lambda p: p.stat().st_size)


def load_command(db: Path) -> list[str]:
    return [sys.executable, "-m", "etl", "load", str(workbook()), "--db", str(db), "--json"]


def export_command(db: Path, dataset: Path) -> list[str]:
    return [sys.executable, "-m", "etl", "export", "--format", "parquet", "--out", str(dataset), "--db", str(db)]


def concurrent(urls: list[str], servers: list[sessions.Server], loads: Loads, args) -> dict:
    """The sessions browse while the writer runs; returns the summary with every kind of error counted."""
    before = {s.url: len(s.tracebacks()) for s in servers}
    started = threading.Event()

    def go() -> None:
        loads.start()
        started.set()

    start = time.perf_counter()
    views, opened = asyncio.run(sessions.browse(urls, args.sessions, args.rounds, args.timeout, args.think,
                                                on_ready=go, login_spread=args.login_spread))
    browsing = time.perf_counter() - start
    if not started.is_set():
        go()
    loads.finish()
    out = sessions.summary(views)
    out["errors"] = [f"{s.user}: {e}" for s in opened for e in s.errors]  # the views' and the background reruns'
    out["errors"] += [f"{v.user}: {e}" for v in views if v.page == "(sesi)" for e in v.errors]  # never opened
    out["errors"] += [f"muat gagal: {detail}" for _, _, ok, detail in loads.runs if not ok]
    # what the servers logged (a visible error above usually has its traceback here too: counted apart)
    out["tracebacks"] = [f"server {s.url}: {t}" for s in servers for t in s.tracebacks()[before[s.url]:]]
    refreshes = [r for s in opened for r in s.refreshes]
    out.update(seconds=browsing, loads=len(loads.runs), load_median=statistics.median([r[1] for r in loads.runs])
               if loads.runs else None, refreshes=len(refreshes),
               refresh_median=statistics.median(refreshes) if refreshes else None,
               by_page={})
    for v in views:
        if v.seconds is not None:
            out["by_page"].setdefault(v.page, []).append(v.seconds)
    out["timeline"] = {  # for a closer look afterwards (written to artifacts/bench/)
        "views": [{"user": v.user, "page": v.page, "server": v.server, "start": round(v.started - start, 2),
                   "seconds": rounded(v.seconds, 3), "errors": v.errors} for v in views],
        "loads": [{"start": round(a - start, 2), "seconds": round(b, 2), "ok": ok, "detail": d}
                  for a, b, ok, d in loads.runs],
        "refreshes": [{"user": s.user, "seconds": round(r, 3)} for s in opened for r in s.refreshes]}
    return out


def record_concurrency(prefix: str, scale: str, out: dict, peer: dict | None, note: str) -> None:
    timeline = LOGS / f"{prefix.split('.', 1)[1]}-{scale}.json"
    timeline.write_text(json.dumps(out["timeline"], indent=1, ensure_ascii=False), encoding="utf-8")
    for key in ("median", "p95"):
        value, other = out[key], (peer or {}).get(key)
        item = entry(f"{prefix}.{key}", scale, rounded(value, 2), "s", peer=rounded(other, 2) if peer else None,
                     ratio=round(value / other, 2) if value and other else None,
                     note=f"{out['timed']} tampilan halaman, klik → selesai; {note}")
        if key == "median":  # per page: which pages make the tail
            item["by_page"] = {page: round(statistics.median(times), 2) for page, times in out["by_page"].items()}
    kinds: dict[str, int] = {}
    for e in out["errors"]:
        kind = e.split(": ", 1)[1] if ": " in e else e  # without the user: one line per kind of error
        kinds[kind] = kinds.get(kind, 0) + 1
    listed = "; ".join(f"{n}× {k}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1])[:4])
    traced = sorted(set(t.split(": ", 1)[1] for t in out["tracebacks"]))
    entry(f"{prefix}.errors", scale, len(out["errors"]), "galat", peer=len(peer["errors"]) if peer else None,
          goal="0 galat", met=not out["errors"] and not out["tracebacks"],
          note=(listed + "; " if listed else "") + f"{len(out['tracebacks'])} traceback di log server"
               + (f" ({'; '.join(traced[:3])})" if traced else "")
               + f"; {out['loads']} kali muat selesai selama sesi berjalan; {out['training']} tampilan Risiko "
               "selesai dengan «model sedang dilatih» (belum ada model untuk data ini; bukan galat, tetapi "
               "tanpa angka model)")
    entry(f"{prefix}.writer_run.median", scale, rounded(out["load_median"], 2), "s",
          note=f"satu putaran penulis selama sesi ({out['loads']} kali): `etl load` Kehadiran demo"
               + (" + `etl export`" if "parquet" in prefix else "") + "; halaman yang terbuka dimuat ulang "
               f"otomatis {out['refreshes']} kali (median {fmt_s(out['refresh_median'])})")


def print_concurrency(title: str, out: dict) -> None:
    print(f"\n{title}: {out['views']} tampilan dalam {out['seconds']:.0f} s; median {fmt_s(out['median'])}, "
          f"p95 {fmt_s(out['p95'])}, maks {fmt_s(out['max'])}; {len(out['errors'])} galat; muat selesai "
          f"{out['loads']} kali (median {fmt_s(out['load_median'])}); halaman dimuat ulang otomatis setelah muat: "
          f"{out['refreshes']} kali (median {fmt_s(out['refresh_median'])}); Risiko «model sedang dilatih»: "
          f"{out['training']} kali")
    for page, times in sorted(out["by_page"].items(), key=lambda kv: -statistics.median(kv[1])):
        print(f"   {page:<30}{len(times):>4} x  median {statistics.median(times):6.2f} s  maks {max(times):6.2f} s")
    for e in out["errors"][:20]:
        print(f"   GALAT {e}")
    for t in sorted(set(out["tracebacks"]))[:10]:
        print(f"   TRACEBACK {t}")


def fmt_s(x) -> str:
    return "–" if x is None else f"{x:.2f} s"


def serve(scale: str, source: Path, work: Path, args, memory: bool, concurrency: bool) -> dict | None:
    """One server on a copy of the database: the Chromium tour (memory), then the concurrent sessions."""
    db = work / source.name
    say(f"menyalin {source.name} ke {work} …")
    shutil.copyfile(source, db)
    server = sessions.Server(db, work / "akses.sqlite", LOGS / f"server-{scale}-duckdb.log")
    server.log.unlink(missing_ok=True)
    say(f"server streamlit ({scale}, berkas DuckDB) …")
    server.start()
    out = None
    try:
        with sessions.PeakMemory([server.process.pid], limit=int(args.memory_limit_gb * GB),
                                 on_limit=server.process.kill) as peak:
            if memory:
                say("Chromium: kepala mengunjungi setiap halaman …")
                steps: list[tuple[str, int]] = []  # (page, the server's VmHWM once it had settled)

                def after(title: str) -> None:
                    peak.sample()
                    steps.append((title, max(peak.own.values(), default=0)))
                try:
                    views = sessions.chromium_tour(server.url, "kepala", int(args.tour_timeout * 1000), after)
                except Exception as exc:
                    views = [sessions.View("kepala", "(tur)", server.url, 0, None, [f"{type(exc).__name__}: {exc}"])]
                peak.sample()
                rss = peak.peak()
                errors = [f"{v.page}: {e}" for v in views for e in v.errors]
                errors += [f"traceback {t}" for t in server.tracebacks()]
                print(f"\nChromium, kepala, {scale}: " + "; ".join(
                    f"{v.page} {fmt_s(v.seconds)}" for v in views) + (f"; GALAT: {errors}" if errors else ""))
                print("   puncak RSS server setelah tiap halaman: " + "; ".join(
                    f"{t} {b / GB:.2f} GB" for t, b in steps))
                entry("memory.server_peak_rss", scale, round(rss / GB, 3), "GB", floor=None,
                      goal="< 1,5 GB", met=rss < GOAL_RSS and not errors,
                      note=f"VmHWM server {max(peak.own.values()) / GB:.3f} GB + anak {sum(peak.children.values()) / GB:.3f}"
                           f" GB, setelah {len(views)} halaman di Chromium; puncak setelah tiap halaman: "
                           + ", ".join(f"{t} {b / GB:.2f}" for t, b in steps)
                           + (f"; galat: {errors[:3]}" if errors else ""))
                timed = [v.seconds for v in views if v.seconds is not None]
                entry("memory.chromium_page_view.median", scale, rounded(statistics.median(timed), 2) if timed else None,
                      "s", note="Chromium headless, satu sesi kepala, klik menu → halaman selesai digambar; "
                                "maks " + fmt_s(max(timed) if timed else None))
            else:
                async def warm():  # the first run of a server imports everything: not part of the measurement
                    async with sessions.WsSession(server.url, "kepala", args.timeout) as s:
                        await s.login()
                asyncio.run(warm())
            if concurrency:
                say("pembanding: akun demo satu per satu, tanpa muat …")
                before = len(server.tracebacks())
                alone = sessions.summary(asyncio.run(sessions.one_at_a_time(server.url, args.timeout)))
                alone["errors"] += [f"traceback {t}" for t in server.tracebacks()[before:]]
                print(f"\nsatu sesi sekaligus ({scale}): {alone['timed']} tampilan; median {fmt_s(alone['median'])}, "
                      f"p95 {fmt_s(alone['p95'])}, maks {fmt_s(alone['max'])}; {len(alone['errors'])} galat")
                entry("concurrency.one_session.median", scale, rounded(alone["median"], 2), "s",
                      note=f"{alone['timed']} tampilan: 5 akun demo bergiliran, satu sesi websocket sekaligus, "
                           f"tanpa muat; p95 {fmt_s(alone['p95'])}; {len(alone['errors'])} galat; Risiko «model "
                           f"sedang dilatih» {alone['training']} kali")
                say(f"{args.sessions} sesi menekan Masuk pada saat yang sama …")
                before = len(server.tracebacks())
                burst = sessions.summary(asyncio.run(sessions.login_burst(server.url, args.sessions, args.timeout)))
                burst["errors"] += [f"traceback {t}" for t in server.tracebacks()[before:]]
                print(f"\n{args.sessions} kali masuk serentak ({scale}): median {fmt_s(burst['median'])}, "
                      f"maks {fmt_s(burst['max'])}; {len(burst['errors'])} galat")
                for e in burst["errors"][:10]:
                    print(f"   GALAT {e}")
                entry("concurrency.login_burst.errors", scale, len(burst["errors"]), "galat",
                      goal="0 galat", met=not burst["errors"],
                      note=f"{args.sessions} sesi menekan Masuk serentak; median {fmt_s(burst['median'])}, maks "
                           f"{fmt_s(burst['max'])}" + (f"; {'; '.join(sorted(set(burst['errors']))[:3])}"
                                                     if burst["errors"] else ""))
                say(f"{args.sessions} sesi bersamaan sambil `etl load` berulang …")
                out = concurrent([server.url], [server], Loads([load_command(db)], args.loads), args)
                if peak.exceeded:
                    out["errors"].insert(0, f"server dihentikan: memori {peak.exceeded / GB:.1f} GB > batas "
                                            f"{args.memory_limit_gb:g} GB")
                print_concurrency(f"{args.sessions} sesi, 1 server, berkas DuckDB ({scale})", out)
                record_concurrency("concurrency.duckdb_1_server", scale, out, alone,
                                   f"{args.sessions} sesi websocket, 1 server, `etl load` berjalan; jeda baca "
                                   f"{args.think:g} s (±50%), masuk tersebar {args.login_spread:g} s; pembanding = "
                                   "tampilan yang sama satu sesi sekaligus")
                peak.sample()
                entry("memory.server_peak_rss_after_sessions", scale, round(peak.peak() / GB, 3), "GB",
                      note=f"setelah {args.sessions} sesi bersamaan dan {out['loads']} kali muat")
    finally:
        server.stop()
    return out


def parquet_servers(scale: str, source: Path, work: Path, args, peer: dict | None) -> None:
    """`etl export` to a Parquet dataset, several servers reading it, the sessions spread over them."""
    from etl.load import refresh_views
    db = work / f"penulis-{source.name}"
    if not db.exists():
        shutil.copyfile(source, db)
    refresh_views(db)  # the writer's database is current, as one that the loader keeps (the app does this at start)
    dataset = work / "dataset"
    say(f"ekspor Parquet ({scale}) …")
    start = time.perf_counter()
    subprocess.run(export_command(db, dataset), cwd=ROOT, check=True, capture_output=True)
    export_s = time.perf_counter() - start
    size = sum(f.stat().st_size for f in dataset.rglob("*") if f.is_file())
    entry("parquet.export", scale, round(export_s, 2), "s", note=f"dataset {size / 1e6:,.0f} MB".replace(",", "."))
    akses = work / "akses-bersama.sqlite"  # one accounts store: the same pseudonyms on every server
    servers = [sessions.Server(dataset, akses, LOGS / f"server-{scale}-parquet-{i + 1}.log")
               for i in range(args.servers)]
    try:
        for s in servers:
            s.log.unlink(missing_ok=True)
            say(f"server streamlit {s.url} pada dataset Parquet …")
            s.start()

        async def warm():
            for s in servers:
                async with sessions.WsSession(s.url, "kepala", args.timeout) as session:
                    await session.login()
        asyncio.run(warm())
        with sessions.PeakMemory([s.process.pid for s in servers], limit=int(args.memory_limit_gb * GB),
                                 on_limit=lambda: [s.process.kill() for s in servers]) as peak:
            say(f"{args.sessions} sesi pada {len(servers)} server sambil `etl load` + `etl export` berulang …")
            out = concurrent([s.url for s in servers], servers,
                             Loads([load_command(db), export_command(db, dataset)], args.loads), args)
            if peak.exceeded:
                out["errors"].insert(0, f"server dihentikan: memori {peak.exceeded / GB:.1f} GB > batas "
                                        f"{args.memory_limit_gb:g} GB")
        print_concurrency(f"{args.sessions} sesi, {len(servers)} server, dataset Parquet ({scale})", out)
        record_concurrency(f"concurrency.parquet_{len(servers)}_servers", scale, out, peer,
                           f"{args.sessions} sesi websocket dibagi ke {len(servers)} server; pembanding = 1 server "
                           "pada berkas DuckDB")
        entry("memory.parquet_server_peak_rss", scale, round(max(peak.own.values()) / GB, 3), "GB",
              note=f"server terbesar dari {len(servers)}")
    finally:
        for s in servers:
            s.stop()


# ---------------------------------------------------------------------------------------------- report
def table() -> str:
    header = f"{'pengukuran':<50}{'skala':<9}{'nilai':>11} {'satuan':<7}{'lantai/pemb.':>13}{'rasio':>9}  {'target':<32}{'capai':<6}"
    lines = [header, "-" * len(header)]
    for r in results:
        other = r.get("floor", r.get("peer"))
        value = NOT_YET if r["value"] is None and NOT_YET in (r.get("note") or "") else r["value"]
        lines.append(f"{r['name']:<50}{r['scale']:<9}{_num(value):>11} {r['unit']:<7}{_num(other):>13}"
                     f"{(_num(r['ratio']) + '×') if r['ratio'] is not None else '':>9}  {r['goal'] or '':<32}"
                     f"{'' if r['met'] is None else 'ya' if r['met'] else 'TIDAK':<6}")
        if r.get("note"):
            lines.append(f"{'':<4}↳ {r['note']}")
    return "\n".join(lines)


def _num(x) -> str:
    if x is None:
        return "–"
    if isinstance(x, str):
        return x
    if isinstance(x, int) or (isinstance(x, float) and x >= 1000):
        return f"{x:,.0f}".replace(",", ".")
    return f"{x:.3f}".rstrip("0").rstrip(".").replace(".", ",") if isinstance(x, float) else str(x)


def machine(before: list[float]) -> dict:
    import duckdb
    import streamlit
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) * 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    return {"cores": os.cpu_count(), "cpu": cpu, "memory_gb": round(mem / GB, 1), "python": platform.python_version(),
            "duckdb": duckdb.__version__, "streamlit": streamlit.__version__,
            "load_average_before": before, "load_average_after": load_average()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["bapas", "national", "both"], default="bapas")
    parser.add_argument("--json", type=Path, help="write the results as JSON to this file")
    parser.add_argument("--only", default=",".join(MEASUREMENTS),
                        help=f"comma-separated subset of {','.join(MEASUREMENTS)}")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of the ETL/pages/report timings (median)")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--servers", type=int, default=2, help="app servers on the Parquet dataset")
    parser.add_argument("--rounds", type=int, default=1, help="times each session clicks through its whole menu")
    parser.add_argument("--think", type=float, default=10.0,
                        help="mean pause between a session's clicks, s (a person reads the page)")
    parser.add_argument("--login-spread", type=float, default=20.0,
                        help="the sessions log in at random moments within this many seconds (the login burst, "
                             "all at once, is measured on its own)")
    parser.add_argument("--timeout", type=float, default=300, help="longest wait for one page view, s")
    parser.add_argument("--tour-timeout", type=float, default=900,
                        help="longest wait for one page in the Chromium tour (the first risk fit), s")
    parser.add_argument("--loads", type=int, default=3, help="most writer runs during the concurrent sessions")
    parser.add_argument("--memory-limit-gb", type=float, default=12.0,
                        help="stop a server whose processes hold more than this (the machine is shared)")
    parser.add_argument("--etl-offices", type=int, default=90, help="offices in the national ETL files (1–90)")
    args = parser.parse_args(argv)
    only = [m.strip() for m in args.only.split(",") if m.strip()]
    unknown = set(only) - set(MEASUREMENTS)
    if unknown:
        parser.error(f"--only: tidak dikenal: {', '.join(sorted(unknown))}")

    before, started = load_average(), time.perf_counter()
    LOGS.mkdir(parents=True, exist_ok=True)
    print(f"mesin: {os.cpu_count()} inti; load average {before}", flush=True)
    for scale in (["bapas", "national"] if args.scale == "both" else [args.scale]):
        say(f"== skala {scale}")
        path = run_pages.ensure_database(scale, run_pages.DATABASES[scale].resolve())
        floor = None
        if "etl" in only:
            etl_bapas(args.repeat) if scale == "bapas" else etl_national(args.etl_offices)
        if "pages" in only:
            floor = pages(scale, path, args.repeat)
        if floor is None and ({"risk", "report"} & set(only)):
            floor = scan_floor(path, args.repeat)
        if "risk" in only:
            risk_fit(scale, path, floor)
        if "report" in only:
            report_export(scale, path, floor, args.repeat if scale == "bapas" else 1)
        if {"memory", "concurrency", "parquet"} & set(only):
            with tempfile.TemporaryDirectory(prefix=f"bench-{scale}-") as tmp:
                peer = None
                if {"memory", "concurrency"} & set(only):
                    peer = serve(scale, path, Path(tmp), args, "memory" in only, "concurrency" in only)
                if "parquet" in only:
                    parquet_servers(scale, path, Path(tmp), args, peer)
    info = machine(before)
    info["minutes"] = round((time.perf_counter() - started) / 60, 1)
    print(f"\n== Hasil (mesin: {info['cores']} inti, {info['cpu']}, {info['memory_gb']} GB; load average sebelum "
          f"{info['load_average_before']}, sesudah {info['load_average_after']}; {info['minutes']} menit)\n")
    print(table())
    missed = [f"{r['scale']}/{r['name']}" for r in results if r["met"] is False]
    print("\ntarget tidak tercapai: " + (", ".join(missed) if missed else "tidak ada"))
    broken = failed_measurements(results)
    if broken:
        print("pengukuran gagal (kode keluar 1): " + ", ".join(broken))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"machine": info, "measurements": results}, indent=2, ensure_ascii=False),
                             encoding="utf-8")
    return 1 if broken else 0  # a missed goal is a finding; a measurement that could not be taken is a failure


def failed_measurements(items: list[dict]) -> list[str]:
    """scale/name of every measurement whose run failed (its note starts with «gagal»)."""
    return [f"{r['scale']}/{r['name']}" for r in items if str(r.get("note") or "").startswith("gagal")]


if __name__ == "__main__":
    sys.exit(main())
