"""Page speed against its floor: the read queries behind each page next to one full scan of the attendance table.

    python bench/run_pages.py [--scale bapas|national|both] [--repeat N] [--json FILE] [--profile]
                              [--no-pandas] [--pandas-memory-gb GB]

For each page (ringkasan, partisipasi, anggaran, hambatan, mitra) the analytics calls the page makes on its
first render are called directly — no Streamlit, no cache — with the frame's defaults: the last 3 whole months
ending with the data's as-of date, viewer `kepala`, the default choice of every widget (expanders and tabs run
their content, so the kepala's drill-downs count). A page whose analytics module or page file is missing is
skipped with a note. The floor is one full scan of `kehadiran` through the same read path (`analytics.db.frame`,
a fresh read-only connection per query, as every call of the read side). Goal: each page ≤ 5× the floor, and
under one second at national scale.

"(bingkai app.py)" is what app.py reads before every page (as-of date, the sidebar's choices); not a page.

"pandas" is the same main figure of each page computed the way Streamlit demos do it: the needed tables read
whole into pandas (`select * from …` → `.df()`) and grouped there; its time is load + compute (compute alone is
printed too: what a demo pays on a rerun once `st.cache_data` holds the tables). Its numbers are checked
against the analytics result; a mismatch is printed as a warning. "ours" (kami) is the analytics call(s) behind
that same figure, timed inside the page runs. When `select * from kehadiran` would not fit --pandas-memory-gb
(national scale) pandas reads only the columns it uses, through Arrow: kinder to pandas than `.df()`, which is
measured in `pandas_plan`'s docstring.

Databases: bapas — `data/bench/bapas.duckdb`, built with `python -m etl demo` when missing; national —
`data/national.duckdb`, built with `etl.demo.build_demo(…, scale="national")` when missing (3–4 minutes,
~3 GB of memory). Both live under `data/`, which git ignores. Measurements interleave the floor, the pages and
pandas in each of --repeat rounds and report medians; the machine's load average is printed beside them.
In the JSON, "ratio" is value ÷ floor (pages, the floor itself) or value ÷ peer (pandas ÷ ours).
--profile prints, for the pages that miss a goal, the time and statements of each call, and for their three
slowest statements the most expensive operators of EXPLAIN ANALYZE (whole plans go to bench/results/, ignored).
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from analytics import db as adb  # noqa: E402
from analytics.filters import add_months, from_query  # noqa: E402
from analytics.viewer import Viewer  # noqa: E402

DATABASES = {"bapas": ROOT / "data" / "bench" / "bapas.duckdb", "national": ROOT / "data" / "national.duckdb"}
RESULTS = ROOT / "bench" / "results"
FLOOR_SQL = "select count(*), sum(durasi_jam), count(distinct no_register) from kehadiran"
PAGES = ("ringkasan", "partisipasi", "anggaran", "hambatan", "mitra")
GOAL_RATIO, GOAL_SECONDS = 5.0, 1.0


# ------------------------------------------------------------------------------------------- timing
class Recorder:
    """Times the analytics calls of one page run, and every SQL statement (analytics.db.frame) inside them."""

    def __init__(self):
        self.calls: list[tuple[str, float, int]] = []  # (call, seconds, statements)
        self.sql: list[tuple[str, str, dict, float]] = []  # (call, sql, params, seconds)
        self.current: str | None = None

    def __call__(self, name: str, function, *args, **kwargs):
        self.current, before = name, len(self.sql)
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            self.calls.append((name, time.perf_counter() - start, len(self.sql) - before))
            self.current = None


RECORDER: Recorder | None = None
_frame = adb.frame


def _timed_frame(sql, params=None, db_path=None, **kwargs):  # kwargs: whatever else db.frame takes (tables=)
    start = time.perf_counter()
    try:
        return _frame(sql, params, db_path, **kwargs)
    finally:
        if RECORDER is not None:
            RECORDER.sql.append((RECORDER.current or "?", sql, params, time.perf_counter() - start))


adb.frame = _timed_frame  # every analytics module calls it as `db.frame`, so one patch sees every statement


def _open_close(path: Path) -> None:
    with adb.reader(path):
        pass


def median_time(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} ({os.cpu_count()} inti)"


# -------------------------------------------------------------------------------------------- pages
class Context:
    def __init__(self, db_path: Path):
        from analytics.ringkasan import as_of
        self.db = db_path
        self.as_of = as_of(db_path)
        self.filters, _ = from_query({}, self.as_of)
        self.viewer = Viewer("kepala", "kepala")


def _sources(call, ctx: Context):
    """ui.chart's caption source line, once per kinds tuple as st.cache_data does within a render."""
    from analytics.people import sources
    seen: set = set()

    def source(kinds: tuple[str, ...]) -> None:
        if kinds not in seen:
            seen.add(kinds)
            call(f"sources{kinds}", sources, kinds, db_path=ctx.db)
    return source


def frame_calls(call, ctx: Context) -> None:
    """app.py, before every page: the as-of date and the sidebar's choices."""
    from analytics.ringkasan import as_of, choices
    call("as_of", as_of, ctx.db)
    call("choices", choices, ctx.db)


def page_ringkasan(call, ctx: Context) -> None:
    from analytics import ringkasan as r
    f, v, p = ctx.filters, ctx.viewer, ctx.db
    call("key_figures", r.key_figures, f, v, db_path=p)
    call("compliance_trend", r.compliance_trend, f, v, db_path=p)
    call("top_obstacles", r.top_obstacles, f, v, db_path=p)
    call("missed_reports", r.missed_reports, f, v, db_path=p)
    call("agreements_ending", r.agreements_ending, f, db_path=p)
    call("budget_deviations", r.budget_deviations, f, db_path=p)


def page_partisipasi(call, ctx: Context) -> None:
    from analytics import partisipasi as pt
    f, v, p = ctx.filters, ctx.viewer, ctx.db
    source = _sources(call, ctx)
    attendance, programs = ("klien", "kehadiran"), ("klien", "kehadiran", "program", "mitra")
    if call("participation_by_month", pt.participation_by_month, f, v, db_path=p).empty:
        return
    source(attendance)
    by = list(pt.BREAKDOWNS)[0]
    if not call(f"reporting_compliance[{by}]", pt.reporting_compliance, f, v, by, db_path=p).empty:
        source(attendance)
    if not call("dose_distribution", pt.dose_distribution, f, v, db_path=p).empty:
        call("dose_summary", pt.dose_summary, f, v, db_path=p)
        source(attendance)
    completion = call("program_completion", pt.program_completion, f, v, db_path=p)
    call("completion_threshold", pt.completion_threshold, db_path=p)
    if not completion.empty:
        source(programs)
        run = next(iter(pt.run_options(completion)))
        call("run_clients (drill-down)", pt.run_clients, v, f, run, db_path=p)
    welfare_by = list(pt.WELFARE_BY)[0]
    welfare = call(f"welfare_outcomes[{welfare_by}]", pt.welfare_outcomes, f, v, welfare_by, db_path=p)
    if not welfare.empty:
        source(programs)
        group = next(iter(pt.welfare_group_options(welfare)))
        call("ended_clients (drill-down)", pt.ended_clients, v, f, welfare_by, group, db_path=p)
        if not call("placements_by_partner", pt.placements_by_partner, f, v, db_path=p).empty:
            source(("klien", "mitra"))
        call("income_by_work_status", pt.income_by_work_status, f, v, db_path=p)
    months, basis = pt.COHORT_MONTHS[1], list(pt.COHORT_BASIS)[1]  # the page's index=1 defaults
    if not call(f"cohort_comparison[{months},{basis}]", pt.cohort_comparison, f, v, months, basis, db_path=p).empty:
        source(attendance)


def page_anggaran(call, ctx: Context) -> None:
    from analytics import anggaran as a
    f, v, p = ctx.filters, ctx.viewer, ctx.db
    source = _sources(call, ctx)
    years = call("budget_years", a.budget_years, f, db_path=p)
    if not years:
        return
    tahun = a.default_year(f, years)
    summary = call("year_summary", a.year_summary, f, tahun, db_path=p)
    accounts = call("absorption_by_account", a.absorption_by_account, f, tahun, db_path=p)
    if accounts.empty:
        return
    source(("anggaran",))
    call("budget_lines (expander)", a.budget_lines, f, tahun, accounts["kode_akun"].iloc[0], db_path=p)
    call("absorption_by_year", a.absorption_by_year, f, db_path=p)
    if summary["baris_bulanan"]:
        call("monthly_deviation", a.monthly_deviation, f, tahun, db_path=p)
    if summary["pagu"]:
        call("cumulative_absorption", a.cumulative_absorption, f, tahun, db_path=p)
    call("spending_by_program", a.spending_by_program, f, tahun, db_path=p)
    source(("anggaran", "program"))
    if not call("cost_per_participant", a.cost_per_participant, f, tahun, v, db_path=p).empty:
        source(("anggaran", "program", "kehadiran"))


def page_hambatan(call, ctx: Context) -> None:
    from analytics import hambatan as h
    f, v, p = ctx.filters, ctx.viewer, ctx.db
    source = _sources(call, ctx)
    paretos = {s: call(f"category_pareto[{s}]", h.category_pareto, f, v, s, db_path=p) for s in h.SOURCES}
    changes = {s: call(f"category_change[{s}]", h.category_change, f, v, s, db_path=p) for s in h.SOURCES}
    if all(frame.empty for frame in paretos.values()):
        return
    for s, frame in paretos.items():
        if not frame.empty and h.any_shown(frame, "kategori"):
            source(h.SOURCE_KINDS[s])

    def trend(s: str, by: str) -> None:
        frame = call(f"quarterly_trend[{s},{by}]", h.quarterly_trend, f, v, s, by, db_path=p)
        if h.any_shown(frame, column="jumlah"):
            source(h.SOURCE_KINDS[s])

    trend(h.LOG, "faktor")  # the radio's first option
    trend(h.LOG, "status")
    for by_what in ("program", "mitra"):
        ranking = call(f"obstacles_by[{by_what}]", h.obstacles_by, f, v, by_what, db_path=p)
        if not ranking.empty and h.any_shown(ranking, column="jumlah"):
            source(("hambatan", "program", "mitra"))
    trend(h.ABSENCE, "kategori")  # the radio's index=1
    if not call("compliance_by_absence_reason", h.compliance_by_absence_reason, f, v, db_path=p).empty:
        source(("kehadiran",))
    if not call("completion_by_interest_obstacle", h.completion_by_interest_obstacle, f, v, db_path=p).empty:
        source(("program", "kehadiran", "hambatan"))
        call("programs_with_interest_obstacle", h.programs_with_interest_obstacle, f, v, db_path=p)
    for s, frame in changes.items():
        if not frame.empty and h.any_shown(frame, "kategori"):
            source(h.SOURCE_KINDS[s])
    found = call("categories", h.categories, f, db_path=p)
    if not found or v.person_level is None:
        return
    both = [code for code, _, sources in found if len(sources) == 2]
    kategori = both[0] if both else found[0][0]
    in_source = {code: sources for code, _, sources in found}[kategori]
    if h.LOG in in_source:
        call("log_rows (expander)", h.log_rows, f, v, kategori, db_path=p)
        call("clients_in_log (drill-down)", h.clients_in_log, v, f, kategori, db_path=p)
    if h.ABSENCE in in_source:
        call("clients_citing (drill-down)", h.clients_citing, v, f, kategori, db_path=p)


def page_mitra(call, ctx: Context) -> None:
    from analytics import mitra as m
    f, v, p = ctx.filters, ctx.viewer, ctx.db
    source = _sources(call, ctx)
    card = call("scorecard", m.scorecard, f, v, db_path=p)
    if card.empty:
        return
    call("partner_counts", m.partner_counts, f, db_path=p)
    if card["peserta"].isna().any() or card["peserta"].fillna(0).gt(0).any():
        source(("mitra", "program", "kehadiran", "klien"))
    office, code = next(iter(m.partner_choices(card))).split("|", 1)
    call("partner_runs", m.partner_runs, f, v, office, code, db_path=p)
    call("partner_participants (drill-down)", m.partner_participants, v, f, office, code, db_path=p)
    call("agreement_alerts", m.agreement_alerts, f, db_path=p)
    call("field_coverage[periode]", m.field_coverage, f, v, db_path=p, asked_from="periode")
    source(("mitra", "program", "hambatan"))
    if not call("certified_share", m.certified_share, f, db_path=p).empty:
        source(("mitra",))


PAGE_CALLS = {"ringkasan": page_ringkasan, "partisipasi": page_partisipasi, "anggaran": page_anggaran,
              "hambatan": page_hambatan, "mitra": page_mitra}


def available(page: str) -> str | None:
    """None when the page can run, else why not."""
    missing = [str(p.relative_to(ROOT)) for p in (ROOT / "halaman" / f"{page}.py", ROOT / "analytics" / f"{page}.py")
               if not p.is_file()]
    if missing or importlib.util.find_spec(f"analytics.{page}") is None:
        return "belum ada: " + ", ".join(missing or [f"analytics.{page}"])
    return None


def run_page(page_fn, ctx: Context) -> tuple[float, Recorder]:
    global RECORDER
    RECORDER = recorder = Recorder()
    start = time.perf_counter()
    try:
        page_fn(recorder, ctx)
    finally:
        RECORDER = None
    return time.perf_counter() - start, recorder


# ------------------------------------------------------------------------------------- the pandas way
def load_whole(db_path: Path, tables: dict[str, tuple[str, ...] | None], lean: bool) -> dict[str, pd.DataFrame]:
    """What `pd.read_sql("select * from t")` / `st.cache_data` demos do: every needed table whole into pandas.

    lean (see `pandas_plan`): a table mapped to a column tuple is read with those columns only (all rows), and
    through Arrow (`.arrow()…to_pandas()`) instead of `.df()`.
    """
    out = {}
    with adb.reader(db_path) as con:
        for name, cols in tables.items():
            relation = con.sql(f"select {', '.join(cols) if cols and lean else '*'} from {name}")
            out[name] = relation.arrow().read_all().to_pandas(date_as_object=False) if lean else relation.df()
    return out


def pandas_plan(db_path: Path, budget_gb: float) -> tuple[bool, float]:
    """Whether the pandas way may read `select * from kehadiran` with `.df()`: its estimated size fits the budget.

    Estimated from a sample: pandas bytes per row × rows. Above the budget the lean way is taken (the columns the
    figures use, through Arrow). Measured here at national scale (19.9 M rows): `.df()` of the 5 columns the
    Ringkasan figure needs took 19 s with a 10.4 GB peak (1.7 GB in pandas at the end), of 8 columns 22 s and
    12.3 GB; `select *` peaked above 20 GB. Through Arrow the same 5 columns take 1.6 s, peak 2.5 GB.
    """
    with adb.reader(db_path) as con:
        rows = con.execute("select count(*) from kehadiran").fetchall()[0][0]
        sample = con.sql("select * from kehadiran using sample 20000 rows").df()
    per_row = sample.memory_usage(deep=True).sum() / max(len(sample), 1)
    size_gb = per_row * rows / 1e9
    return size_gb <= budget_gb, size_gb


def _month(series: pd.Series) -> pd.Series:
    return pd.Series(pd.to_datetime(series).to_numpy().astype("datetime64[M]").astype("datetime64[ns]"),
                     index=series.index)


def _ts(day) -> pd.Timestamp:
    return pd.Timestamp(day)


KEYS = ["kode_bapas", "no_register"]
ATTENDED = ["HADIR", "TERLAMBAT"]


def pd_compliance_trend(t: dict, ctx: Context) -> pd.DataFrame:
    """Ringkasan's chart: wajib lapor per month over the 12 months ending with the period."""
    kh = t["kehadiran"]
    start = add_months(ctx.filters.akhir.replace(day=1), -11)
    w = kh.loc[kh["jenis_kegiatan"] == "WAJIB_LAPOR", [*KEYS, "tanggal", "status_hadir"]]
    w = w.assign(bulan=_month(w["tanggal"]))
    w = w[(w["bulan"] >= _ts(start)) & (w["bulan"] <= _ts(ctx.filters.akhir))]
    w = w.merge(t["klien"][KEYS].drop_duplicates(), on=KEYS)  # the client filters (none by default)
    s = w["status_hadir"]
    w = w.assign(wajib=1, hadir=s.isin(ATTENDED).astype(int), tepat_waktu=(s == "HADIR").astype(int),
                 izin=(s == "IZIN").astype(int), tidak_hadir=(s == "TIDAK_HADIR").astype(int))
    return w.groupby("bulan", as_index=False)[["wajib", "hadir", "tepat_waktu", "izin", "tidak_hadir"]].sum()


def ours_compliance_trend(ctx: Context) -> pd.DataFrame:
    from analytics.ringkasan import compliance_trend
    return compliance_trend(ctx.filters, ctx.viewer, db_path=ctx.db)


_GROUPS = {"BIMBINGAN_KEPRIBADIAN": "KEPRIBADIAN", "BIMBINGAN_KEMANDIRIAN": "KEMANDIRIAN",
           "PELATIHAN_KERJA": "KEMANDIRIAN", "BIMBINGAN_KEAGAMAAN": "KEAGAMAAN",
           "PENDIDIKAN_KESETARAAN": "PENDIDIKAN_KESETARAAN", "SEMINAR_PENYULUHAN": "SEMINAR_PENYULUHAN"}


def pd_participation(t: dict, ctx: Context) -> pd.DataFrame:
    """Partisipasi's first chart: active clients and participants per month and activity group."""
    from analytics.partisipasi import KELOMPOK, trend_window
    kh, kl = t["kehadiran"], t["klien"]
    dari, akhir = (_ts(d) for d in trend_window(ctx.filters))
    as_of = kh["tanggal"].max()
    kl = kl[kl["tanggal_mulai_bimbingan"].notna()]
    ended = kl["status"].notna() & (kl["status"] != "AKTIF")
    eff = pd.to_datetime(kl["tanggal_status"].where(ended, kl["tanggal_akhir_bimbingan"]))
    spans = pd.DataFrame({"kode_bapas": kl["kode_bapas"], "no_register": kl["no_register"],
                          "awal": _month(kl["tanggal_mulai_bimbingan"]),
                          "akhir": _month(eff.fillna(as_of).clip(upper=as_of))})
    months = pd.date_range(dari, akhir, freq="MS")
    active = pd.Series({m: int(((spans["awal"] <= m) & (spans["akhir"] >= m)).sum()) for m in months})
    active = active[active > 0]
    a = kh.loc[~kh["jenis_kegiatan"].isin(["WAJIB_LAPOR", "KUNJUNGAN_RUMAH"]) & kh["status_hadir"].isin(ATTENDED),
               [*KEYS, "tanggal", "jenis_kegiatan"]]
    a = a.assign(bulan=_month(a["tanggal"]), kelompok=a["jenis_kegiatan"].map(_GROUPS).fillna("LAINNYA"))
    a = a[(a["bulan"] >= dari) & (a["bulan"] <= akhir)].drop_duplicates([*KEYS, "bulan", "kelompok"])
    a = a.merge(spans, on=KEYS)
    a = a[(a["bulan"] >= a["awal"]) & (a["bulan"] <= a["akhir"])]
    took = a.groupby(["bulan", "kelompok"]).size()
    every = a.drop_duplicates([*KEYS, "bulan"]).groupby("bulan").size()
    rows = [(m, g, n, int(every.get(m, 0) if g == "SEMUA" else took.get((m, g), 0)))
            for m, n in active.items() for g in KELOMPOK]
    return pd.DataFrame(rows, columns=["bulan", "kelompok", "klien_aktif", "peserta"])


def ours_participation(ctx: Context) -> pd.DataFrame:
    from analytics.partisipasi import participation_by_month
    return participation_by_month(ctx.filters, ctx.viewer, db_path=ctx.db)


def _budget_year(ctx: Context) -> tuple[int, int]:
    from analytics.anggaran import budget_years, default_year, through_month
    tahun = default_year(ctx.filters, budget_years(ctx.filters, db_path=ctx.db))
    return tahun, through_month(ctx.filters, tahun)


def pd_absorption(t: dict, ctx: Context) -> pd.DataFrame:
    """Anggaran's first chart: pagu, plan and realisation per account of the default budget year."""
    tahun, sampai = ctx.budget
    a = t["anggaran"]
    a = a[a["tahun_anggaran"] == tahun]
    monthly = a["bulan"].notna() & (a["bulan"] <= sampai)
    a = a.assign(pagu=a["pagu"].where(a["bulan"].isna()), rencana=a["rencana"].where(monthly),
                 realisasi=a["realisasi"].where(monthly))
    return a.groupby("kode_akun", as_index=False)[["pagu", "rencana", "realisasi"]].sum(min_count=1)


def ours_absorption(ctx: Context) -> pd.DataFrame:
    from analytics.anggaran import absorption_by_account
    return absorption_by_account(ctx.filters, ctx.budget[0], db_path=ctx.db)


def pd_cost(t: dict, ctx: Context) -> pd.DataFrame:
    """Anggaran's last chart (the one over attendance): realisation, participants, hours per budgeted run."""
    tahun, _ = ctx.budget
    a, kh, akhir = t["anggaran"], t["kehadiran"], _ts(ctx.filters.akhir)
    key = ["kode_bapas", "kode_program"]
    runs = a.loc[(a["tahun_anggaran"] == tahun) & a["kode_program"].notna(), key].drop_duplicates()
    c = a[a["bulan"].notna()].merge(runs, on=key)
    c = c[c["tahun_anggaran"] * 100 + c["bulan"] <= akhir.year * 100 + akhir.month]
    cost = c.groupby(key)["realisasi"].sum().rename("realisasi")
    h = kh.loc[kh["tanggal"] <= akhir, [*key, "no_register", "status_hadir", "durasi_jam"]].merge(runs, on=key)
    h = h.assign(jam=h["durasi_jam"].where(h["status_hadir"].isin(ATTENDED)))
    att = h.groupby(key).agg(peserta=("no_register", "nunique"), jam_hadir=("jam", "sum"))
    return runs.merge(cost, on=key, how="left").merge(att, on=key, how="left").fillna(0)


def ours_cost(ctx: Context) -> pd.DataFrame:
    from analytics.anggaran import cost_per_participant
    return cost_per_participant(ctx.filters, ctx.budget[0], ctx.viewer, db_path=ctx.db)


def pd_pareto(t: dict, ctx: Context) -> pd.DataFrame:
    """Hambatan's first charts: the period's count per category and factor, of each source."""
    from analytics.hambatan import ABSENCE, LOG
    lo, hi = _ts(ctx.filters.mulai), _ts(ctx.filters.akhir)
    factor = t["kategori_hambatan"][["kode", "faktor"]].rename(columns={"faktor": "faktor_kategori"})
    log = t["hambatan"]
    log = log[(log["tanggal"] >= lo) & (log["tanggal"] <= hi)]
    log = log.merge(factor, left_on="kategori", right_on="kode", how="left")
    log = pd.DataFrame({"sumber": LOG, "kategori": log["kategori"].fillna("LAINNYA"),
                        "faktor": log["faktor"].fillna(log["faktor_kategori"]).fillna("TIDAK_DITENTUKAN")})
    kh = t["kehadiran"]
    absent = kh.loc[kh["kategori_hambatan"].notna() & (kh["tanggal"] >= lo) & (kh["tanggal"] <= hi),
                    ["kategori_hambatan"]]
    absent = absent.merge(factor, left_on="kategori_hambatan", right_on="kode", how="left")
    absent = pd.DataFrame({"sumber": ABSENCE, "kategori": absent["kategori_hambatan"],
                           "faktor": absent["faktor_kategori"].fillna("TIDAK_DITENTUKAN")})
    both = pd.concat([log, absent], ignore_index=True)
    return both.groupby(["sumber", "kategori", "faktor"], as_index=False).size().rename(columns={"size": "jumlah"})


def ours_pareto(ctx: Context) -> pd.DataFrame:
    from analytics.hambatan import SOURCES, TOTAL_KEY, category_pareto
    parts = []
    for source in SOURCES:
        frame = category_pareto(ctx.filters, ctx.viewer, source, db_path=ctx.db)
        parts.append(frame[frame["kategori"] != TOTAL_KEY].assign(sumber=source))
    return pd.concat(parts, ignore_index=True)


def pd_scorecard(t: dict, ctx: Context) -> pd.DataFrame:
    """Mitra's scorecard: runs in the period, participants, enrolments and completions per partner."""
    kh, program, lo, hi = t["kehadiran"], t["program"], _ts(ctx.filters.mulai), _ts(ctx.filters.akhir)
    setting = t["pengaturan"]
    threshold = setting.loc[setting["nama"] == "ambang_penyelesaian", "nilai"]
    threshold = float(threshold.iloc[0]) if len(threshold) else 0.75
    key = ["kode_bapas", "kode_program"]
    kp = kh.loc[kh["kode_program"].notna(), [*key, "no_register", "tanggal", "status_hadir"]]
    seen = kp.groupby(key)["tanggal"].agg(pertama="min", terakhir="max", sesi_program="nunique").reset_index()
    runs = program.merge(seen, on=key, how="left")
    mulai, selesai = pd.to_datetime(runs["tanggal_mulai"]), pd.to_datetime(runs["tanggal_selesai"])
    runs = runs.assign(awal=mulai.fillna(runs["pertama"]).fillna(selesai),
                       akhir=selesai.fillna(runs["terakhir"]).fillna(mulai))
    runs = runs[runs["kode_mitra"].notna() & (runs["awal"] <= hi) & (runs["akhir"] >= lo)]
    hadir = (kp[kp["status_hadir"].isin(ATTENDED)].groupby([*key, "no_register"])["tanggal"].nunique()
             .rename("sesi_hadir").reset_index())
    per_client = kp[[*key, "no_register"]].drop_duplicates().merge(hadir, on=[*key, "no_register"], how="left")
    per_client = per_client.fillna({"sesi_hadir": 0}).merge(seen[[*key, "sesi_program"]], on=key)
    per_client["selesai"] = per_client["sesi_hadir"] >= threshold * per_client["sesi_program"]
    enrolled = (runs[[*key, "kode_mitra"]].merge(per_client, on=key)
                .merge(t["klien"][KEYS].drop_duplicates(), on=KEYS))
    per_partner = enrolled.groupby(["kode_bapas", "kode_mitra"]).agg(
        peserta=("no_register", "nunique"), terdaftar=("no_register", "size"), selesai=("selesai", "sum"))
    count = runs.groupby(["kode_bapas", "kode_mitra"]).size().rename("program_periode")
    out = t["mitra"][["kode_bapas", "kode_mitra"]].merge(count.reset_index(), how="left").merge(
        per_partner.reset_index(), how="left")
    return out.fillna(0)


def ours_scorecard(ctx: Context) -> pd.DataFrame:
    from analytics.mitra import scorecard
    return scorecard(ctx.filters, ctx.viewer, db_path=ctx.db)


# the columns of kehadiran the pandas figures use, read alone when `select *` would not fit in memory
COLUMNS = {"kehadiran": ("kode_bapas", "no_register", "tanggal", "jenis_kegiatan", "kode_program", "status_hadir",
                         "durasi_jam", "kategori_hambatan")}

# page → its pandas figures: (figure, the page's calls behind it, tables, pandas, ours, keys, compared columns)
FIGURES = {
    "ringkasan": [("kepatuhan wajib lapor 12 bulan", ("compliance_trend",), ("kehadiran", "klien"),
                   pd_compliance_trend, ours_compliance_trend, ["bulan"],
                   ["wajib", "hadir", "tepat_waktu", "izin", "tidak_hadir"])],
    "partisipasi": [("partisipasi per bulan", ("participation_by_month",), ("kehadiran", "klien"),
                     pd_participation, ours_participation, ["bulan", "kelompok"], ["klien_aktif", "peserta"])],
    "anggaran": [("pagu vs realisasi per akun", ("absorption_by_account",), ("anggaran",),
                  pd_absorption, ours_absorption, ["kode_akun"], ["pagu", "rencana", "realisasi"]),
                 ("biaya per peserta", ("cost_per_participant",), ("anggaran", "kehadiran"),
                  pd_cost, ours_cost, ["kode_bapas", "kode_program"], ["realisasi", "peserta", "jam_hadir"])],
    "hambatan": [("pareto dua sumber", ("category_pareto[Log hambatan]", "category_pareto[Alasan ketidakhadiran]"),
                  ("hambatan", "kehadiran", "kategori_hambatan"), pd_pareto, ours_pareto,
                  ["sumber", "kategori", "faktor"], ["jumlah"])],
    "mitra": [("kartu skor mitra", ("scorecard",), ("kehadiran", "program", "mitra", "klien", "pengaturan"),
               pd_scorecard, ours_scorecard, ["kode_bapas", "kode_mitra"],
               ["program_periode", "peserta", "terdaftar", "selesai"])],
}


def same_numbers(ours: pd.DataFrame, theirs: pd.DataFrame, keys: list[str], columns: list[str]) -> str | None:
    """None when both frames hold the same keys and numbers; else what differs."""
    def norm(frame: pd.DataFrame) -> pd.DataFrame:
        out = frame[keys + columns].copy()
        for k in keys:
            if pd.api.types.is_datetime64_any_dtype(out[k]) or isinstance(out[k].iloc[0] if len(out) else None,
                                                                         (dt.date, pd.Timestamp)):
                out[k] = pd.to_datetime(out[k]).astype("datetime64[ns]")
            else:
                out[k] = out[k].astype(str)
        for c in columns:
            out[c] = pd.to_numeric(out[c].astype("Float64"), errors="coerce").astype(float)
        return out.sort_values(keys).reset_index(drop=True)

    a, b = norm(ours), norm(theirs)
    if len(a) != len(b) or not a[keys].equals(b[keys]):
        return f"baris berbeda: analytics {len(a)}, pandas {len(b)}"
    for c in columns:
        if not np.allclose(a[c].to_numpy(), b[c].to_numpy(), rtol=1e-9, atol=1e-6, equal_nan=True):
            bad = int((~np.isclose(a[c].to_numpy(), b[c].to_numpy(), rtol=1e-9, atol=1e-6, equal_nan=True)).sum())
            return f"kolom {c}: {bad} baris berbeda"
    return None


def run_pandas(page: str, ctx: Context) -> tuple[float, float, list]:
    """One pandas render of the page's figures: (load s, compute s, results)."""
    tables = {table: COLUMNS.get(table) for figure in FIGURES[page] for table in figure[2]}
    start = time.perf_counter()
    loaded = load_whole(ctx.db, tables, not ctx.select_star)
    loaded_at = time.perf_counter()
    results = [figure[3](loaded, ctx) for figure in FIGURES[page]]
    done = time.perf_counter()
    del loaded
    return loaded_at - start, done - loaded_at, results


# ----------------------------------------------------------------------------------------- databases
def ensure_database(scale: str, path: Path) -> Path:
    """The scale's database: reused when present, else built (into a temporary name, renamed when complete)."""
    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name(path.stem + ".building.duckdb")
    for stale in (building, Path(str(building) + ".wal")):
        stale.unlink(missing_ok=True)
    out = path.parent / f"demo-{scale}"
    started = time.perf_counter()
    if scale == "bapas":
        print(f"membangun {path.relative_to(ROOT)} dengan `python -m etl demo` …", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, "-m", "etl", "demo", "--db", str(building), "--out", str(out)], cwd=ROOT,
                       check=True, stdout=sys.stderr)  # its load summary is progress, not a result
    else:
        print(f"membangun {path} dengan etl.demo.build_demo(scale='national'): sekitar 3–4 menit dan ~3 GB "
              "memori …", file=sys.stderr, flush=True)
        from etl.demo import build_demo
        last = [-1.0]

        def progress(message: str, fraction: float) -> None:
            if fraction - last[0] >= 0.05 or fraction >= 1:
                last[0] = fraction
                print(f"[{fraction:4.0%}] {message}", file=sys.stderr, flush=True)
        report = build_demo(building, out, scale="national", progress=progress)
        rejected = [f for f in report["files"] if f["status"] != "loaded"]
        if rejected:
            print(f"PERINGATAN: {len(rejected)} berkas ditolak saat membangun data nasional", file=sys.stderr)
        shutil.rmtree(out / "national", ignore_errors=True)  # the Parquet files are loaded; keep only the db
    os.replace(building, path)
    print(f"selesai dalam {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return path


# --------------------------------------------------------------------------------------------- main
def measure(scale: str, path: Path, repeat: int, pandas_too: bool, profile: bool,
            pandas_memory_gb: float) -> list[dict]:
    from etl.load import refresh_views
    refresh_views(path)  # as app.py does at start: views added since the database was built
    ctx = Context(path)
    ctx.budget = _budget_year(ctx) if available("anggaran") is None else None
    rows = adb.frame("select count(*) as n from kehadiran", None, path).iloc[0, 0]
    clients = adb.frame("select count(*) as n from klien", None, path).iloc[0, 0]
    size = path.stat().st_size / 1e6
    print(f"\n== skala {scale}: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} ({size:,.0f} MB), "
          f"{rows:,} baris kehadiran, {clients:,} klien; data s.d. {ctx.as_of}, periode {ctx.filters.mulai} s.d. "
          f"{ctx.filters.akhir}, peran kepala")
    pages = []
    for page in PAGES:
        why = available(page)
        if why:
            print(f"  halaman {page} dilewati ({why})")
        else:
            pages.append(page)

    # one untimed pass: imports, the OS file cache, and the equality check of the pandas way
    run_page(frame_calls, ctx)
    for page in list(pages):
        try:
            run_page(PAGE_CALLS[page], ctx)
        except Exception as exc:  # a page still in progress must not stop the others' measurements
            print(f"  halaman {page} dilewati (gagal: {type(exc).__name__}: {str(exc)[:160]})")
            pages.remove(page)
    mismatches: dict[tuple[str, str], str | None] = {}
    ctx.select_star = True
    if pandas_too:
        ctx.select_star, size_gb = pandas_plan(path, pandas_memory_gb)
        if not ctx.select_star:
            print(f"  pandas: `select * from kehadiran` ≈ {size_gb:.1f} GB di pandas (> {pandas_memory_gb:g} GB): "
                  f"cara hemat — hanya kolom {', '.join(COLUMNS['kehadiran'])} (semua baris), lewat Arrow, bukan "
                  "`.df()` (lihat pandas_plan: `.df()` butuh ~20 s dan >10 GB di sini)")
        for page in pages:
            _, _, results = run_pandas(page, ctx)
            for figure, theirs in zip(FIGURES[page], results):
                name, _, _, _, ours_fn, keys, columns = figure
                problem = same_numbers(ours_fn(ctx), theirs, keys, columns)
                mismatches[(page, name)] = problem
                if problem:
                    print(f"  PERINGATAN: pandas ≠ analytics untuk {page} / {name}: {problem}")

    load_before = load_average()
    floor_times, connect_times = [], []
    page_times: dict[str, list[float]] = defaultdict(list)
    call_times: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    statements: dict[str, int] = {}
    sql_log: dict[str, list] = defaultdict(list)
    pandas_load: dict[str, list[float]] = defaultdict(list)
    pandas_compute: dict[str, list[float]] = defaultdict(list)
    for _ in range(repeat):  # rounds interleave everything, so a busy moment of the machine hits all alike
        floor_times.append(median_time(lambda: adb.frame(FLOOR_SQL, None, path), 1)[0])
        connect_times.append(median_time(lambda: _open_close(path), 1)[0])
        for page, fn in [("(bingkai app.py)", frame_calls)] + [(p, PAGE_CALLS[p]) for p in pages]:
            seconds, recorder = run_page(fn, ctx)
            page_times[page].append(seconds)
            statements[page] = len(recorder.sql)
            for name, s, _ in recorder.calls:
                call_times[page][name].append(s)
            sql_log[page].append(recorder.sql)
        if pandas_too:
            for page in pages:
                load_s, compute_s, _ = run_pandas(page, ctx)
                pandas_load[page].append(load_s)
                pandas_compute[page].append(compute_s)
    load_after = load_average()

    floor = statistics.median(floor_times)
    connect = statistics.median(connect_times)
    results = [{"name": f"{scale}.floor.kehadiran_scan", "value": round(floor, 4), "floor": round(floor, 4),
                "ratio": 1.0, "unit": "s"},
               {"name": f"{scale}.read_path.connect", "value": round(connect, 4), "floor": round(floor, 4),
                "ratio": round(connect / floor, 2), "unit": "s"}]
    print(f"\nmedian dari {repeat} kali; lantai = {FLOOR_SQL!r} lewat analytics.db.frame = {floor:.3f} s "
          f"(di dalamnya membuka koneksi baca {connect * 1000:.0f} ms)")
    print(f"beban mesin: sebelum {load_before}; sesudah {load_after}\n")
    header = (f"{'halaman':<18}{'detik':>8}{'lantai':>8}{'rasio':>8}{'kueri':>7}  {'target':<7}"
              f"{'kami':>8}{'pandas':>8}{'muat':>8}{'hitung':>8}{'pandas÷kami':>13}")
    print(header)
    print("-" * len(header))
    missed = []
    for page in ["(bingkai app.py)"] + pages:
        seconds = statistics.median(page_times[page])
        ratio = seconds / floor
        is_page = page in PAGES
        ok = ratio <= GOAL_RATIO and (scale != "national" or seconds < GOAL_SECONDS)
        line = f"{page:<18}{seconds:>8.3f}{floor:>8.3f}{ratio:>7.1f}x{statements[page]:>7}  "
        if not is_page:
            results.append({"name": f"{scale}.frame.app", "value": round(seconds, 4), "floor": round(floor, 4),
                            "ratio": round(ratio, 2), "unit": "s"})
            print(line)
            continue
        results.append({"name": f"{scale}.page.{page}", "value": round(seconds, 4), "floor": round(floor, 4),
                        "ratio": round(ratio, 2), "unit": "s"})
        if not ok:
            missed.append(page)
        line += f"{'ya' if ok else 'TIDAK':<7}"
        if pandas_too:
            # ours: the page's calls behind the figures pandas computes; pandas: those tables loaded once + computed
            ours = sum(statistics.median(call_times[page][c]) for f in FIGURES[page] for c in f[1])
            total = statistics.median([a + b for a, b in zip(pandas_load[page], pandas_compute[page])])
            load_s, compute_s = statistics.median(pandas_load[page]), statistics.median(pandas_compute[page])
            line += f"{ours:>8.3f}{total:>8.3f}{load_s:>8.3f}{compute_s:>8.3f}{total / ours:>12.1f}x"
            results.append({"name": f"{scale}.pandas.{page}", "value": round(total, 4), "peer": round(ours, 4),
                            "ratio": round(total / ours, 2), "unit": "s"})
            results.append({"name": f"{scale}.pandas.{page}.compute_only", "value": round(compute_s, 4),
                            "peer": round(ours, 4), "ratio": round(compute_s / ours, 2), "unit": "s"})
        print(line)
    if pandas_too:
        print("\nkami/pandas = gambar: " + "; ".join(
            f"{page}: " + " + ".join(name + (" (≠!)" if mismatches.get((page, name)) else " (sama)")
                                     for name, *_ in FIGURES[page]) for page in pages))
    if any(mismatches.values()):
        print("PERINGATAN: ada hasil pandas yang berbeda dari analytics (lihat di atas); rasionya tidak jujur.")
    print(f"\ntarget: ≤ {GOAL_RATIO:g}× lantai" + (f" dan < {GOAL_SECONDS:g} s" if scale == "national" else "")
          + (f"; tidak tercapai: {', '.join(missed)}" if missed else "; semua tercapai"))

    if profile:
        for page in (missed or pages):
            print(f"\n-- {page}: waktu tiap panggilan (median), kueri, bagian dari halaman")
            total = statistics.median(page_times[page])
            counts = defaultdict(int)
            for call, _, _, _ in sql_log[page][-1]:
                counts[call] += 1
            for name, times in sorted(call_times[page].items(), key=lambda kv: -statistics.median(kv[1])):
                s = statistics.median(times)
                print(f"   {name:<48}{s:>8.3f} s{counts[name]:>4} kueri{s / total:>7.0%}")
            explain(scale, page, sql_log[page], path)
    return results


def top_operators(con, sql: str, params, n: int = 5) -> list[tuple[float, str, int, str]]:
    """The plan's most expensive operators: (seconds, operator, rows out, table/CTE/aggregates), from EXPLAIN ANALYZE.

    Read from its graphviz form (one node per line); DuckDB 2.0's JSON profile answers {"result": "error"} here.
    """
    text = con.execute("explain (analyze, format graphviz) " + sql, params or {}).fetchall()[0][-1]
    ops = []
    for label in re.findall(r'\[label="(.*?)"\];', text):
        parts = label.split("\\n───\\n")
        fields = {}
        for part in parts[1:]:
            key, _, value = part.partition(":\\n")
            fields[key] = value.replace("\\n", " ")
        seconds = float(fields.get("Timing", "0s").rstrip("s") or 0)
        detail = next((f"{k}: {fields[k]}" for k in ("Table", "CTE Name", "Function", "Aggregates", "Groups",
                                                        "Conditions", "Partition By") if k in fields), "")
        ops.append((seconds, parts[0], int(fields.get("Cardinality", "0") or 0), detail[:90]))
    return sorted(ops, reverse=True)[:n]


def explain(scale: str, page: str, runs: list, path: Path, top: int = 3) -> None:
    """EXPLAIN ANALYZE of the page's slowest statements: the whole plan to bench/results/, its top operators here."""
    by_sql: dict[str, list] = defaultdict(list)
    for run in runs:
        for call, sql, params, seconds in run:
            by_sql[sql].append((seconds, call, params))
    slow = sorted(by_sql.items(), key=lambda kv: -statistics.median(s for s, _, _ in kv[1]))[:top]
    RESULTS.mkdir(parents=True, exist_ok=True)
    for i, (sql, seen) in enumerate(slow, start=1):
        _, call, params = seen[0]
        if isinstance(params, dict):
            used = set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", sql))
            params = {k: v for k, v in params.items() if k in used}
        with adb.reader(path) as con:
            con.execute("set enable_progress_bar = false")
            plan = con.execute("explain analyze " + sql, params or {}).fetchall()
            operators = top_operators(con, sql, params)
        target = RESULTS / f"explain-{scale}-{page}-{i}.txt"
        target.write_text(f"-- {call}: median {statistics.median(s for s, _, _ in seen):.3f} s\n{sql}\n\n"
                          + "\n".join(str(row[-1]) for row in plan), encoding="utf-8")
        print(f"   EXPLAIN ANALYZE #{i} ({call}, {statistics.median(s for s, _, _ in seen):.3f} s) → "
              f"{target.relative_to(ROOT)}")
        for seconds, name, rows, detail in operators:
            print(f"      {seconds:>7.3f} s  {name:<22}{rows:>12,} rows  {detail}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["bapas", "national", "both"], default="bapas")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, help="write the results as JSON to this file")
    parser.add_argument("--profile", action="store_true",
                        help="per-call times and EXPLAIN ANALYZE for pages that miss a goal")
    parser.add_argument("--no-pandas", action="store_true", help="skip the pandas comparison")
    parser.add_argument("--pandas-memory-gb", type=float, default=2.0,
                        help="largest estimated `select * from kehadiran` the pandas way reads whole (default 2)")
    parser.add_argument("--bapas-db", type=Path, default=DATABASES["bapas"])
    parser.add_argument("--national-db", type=Path, default=DATABASES["national"])
    args = parser.parse_args(argv)

    print(f"mesin: {load_average()}")
    scales = ["bapas", "national"] if args.scale == "both" else [args.scale]
    results = []
    for scale in scales:
        path = ensure_database(scale, (args.bapas_db if scale == "bapas" else args.national_db).resolve())
        results += measure(scale, path, args.repeat, not args.no_pandas, args.profile, args.pandas_memory_gb)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
