"""Command line of the read side.

    python -m analytics risk-validate [--db PATH] [--horizon 24] [--json]
    python -m analytics report --period YYYY-MM [--months N] [--kode-bapas X] --format pptx|pdf --out FILE

Exit status: 0 done, 1 not enough data (the report says why), 2 usage error (including a database that does not
exist). With --json, stdout carries exactly one JSON object; progress and messages go to stderr.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
from pathlib import Path

from analytics import report
from etl import config
from etl.argumen import Parser

OK, NOT_ENOUGH, USAGE = 0, 1, 2
# analytics.risk.HORIZONS / DEFAULT_HORIZON (kept here so that a usage error does not load scikit-learn;
# tests/test_risk.py checks they agree)
HORIZONS, DEFAULT_HORIZON = (12, 24, 36), 24


def _parser() -> argparse.ArgumentParser:
    parser = Parser(prog="python -m analytics", description="Analitik Bapas dari baris perintah.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser, metavar="PERINTAH")
    risk = sub.add_parser("risk-validate", help="validasi model risiko residivisme dan cetak angkanya",
                          description="Latih dan validasi model risiko residivisme pada kasus yang teramati penuh.")
    risk.add_argument("--db", help=config.DB_HELP)
    risk.add_argument("--horizon", type=int, choices=HORIZONS, default=DEFAULT_HORIZON,
                      help=f"jendela hasil dalam bulan (bawaan {DEFAULT_HORIZON})")
    risk.add_argument("--include-revocations", action="store_true",
                      help="hitung pencabutan (DICABUT) dalam jendela sebagai kegagalan")
    risk.add_argument("--json", action="store_true", help="cetak laporan JSON ke stdout")
    report.add_cli(sub)
    return parser


def _clean(value):
    """The report as plain JSON values (NaN → null, numpy numbers → Python numbers)."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _text(report: dict) -> str:
    """The report as a few lines of Indonesian."""
    from analytics import format as fmt
    from analytics.risk import EXCLUSIONS, interval_text

    lines = [f"Model risiko residivisme — jendela {report['horizon']} bulan"
             + (" (pencabutan dihitung sebagai kegagalan)" if report["include_revocations"] else ""),
             f"Tanggal data: {fmt.date(dt.date.fromisoformat(report['as_of']))}; "
             f"titik prediksi: mulai + {report['prediction_months']} bulan",
             f"Kasus: {fmt.number(report['n_cases'])} sudah mulai bimbingan, {fmt.number(report['n'])} dipakai, "
             f"{fmt.number(report['events'])} kegagalan (tingkat dasar {fmt.percent(report['base_rate'])})"]
    for code, count in report["excluded"].items():
        if count:
            lines.append(f"  tidak dipakai: {fmt.number(count)} — {EXCLUSIONS[code]}")
    if report["status"] != "ok":
        lines.append(report["reason"])
        return "\n".join(lines)
    lines += [f"AUC (validasi silang 5 lipatan): {interval_text(report['auc'], report['auc_ci'])}",
              f"Brier: {fmt.number(report['brier'], 4)}; ECE (10 bin): {fmt.number(report['ece'], 4)}",
              f"Kartu skor (poin): AUC {interval_text(report['scorecard']['auc'], report['scorecard']['auc_ci'])}, "
              f"ECE {fmt.number(report['scorecard']['ece'], 4)}"]
    if report.get("rri_auc") is not None:
        lines.append(f"RRI tercatat ({report['rri_basis']}, {fmt.number(report['rri_n'])} kasus): AUC "
                     f"{interval_text(report['rri_auc'], report.get('rri_auc_ci'))}; model pada kasus yang sama "
                     f"{fmt.number(report['model_auc_rri_cases'], 3)}")
    holdout = report.get("holdout") or {}
    if holdout.get("done"):
        lines.append(f"Uji kohort terbaru ({holdout['cohort']}, {fmt.number(holdout['test_n'])} kasus): AUC "
                     f"{interval_text(holdout['auc'], holdout['auc_ci'])}, ECE {fmt.number(holdout['ece'], 4)}")
    elif holdout:
        lines.append(f"Uji kohort terbaru tidak dilakukan: {holdout.get('reason')}")
    for group in report["groups"]:
        lines.append(f"  {group['group']} {group['value']}: n {fmt.number(group['n'])}, kegagalan "
                     f"{fmt.number(group['events'])}, AUC {fmt.number(group['auc'], 3) if group['auc'] else '–'}")
    used = [f["label"] for f in report["features"] if f["used"]]
    lines.append("Fitur: " + "; ".join(used))
    return "\n".join(lines)


def _risk_validate(args) -> int:
    path = config.db_path(args.db)
    if not Path(path).is_file():
        print(f"basis data tidak ditemukan: {path}", file=sys.stderr)
        return USAGE
    from analytics import db
    from analytics.risk import validate

    print("Melatih dan memvalidasi model risiko…", file=sys.stderr, flush=True)
    try:
        report = _clean(validate(args.horizon, args.include_revocations, db_path=path).report)
    except db.DataUnavailable as exc:
        print(str(exc), file=sys.stderr)
        return USAGE
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print(_text(report))
    if report["status"] != "ok":
        if args.json:  # the text report already ends with the reason
            print(report["reason"], file=sys.stderr)
        return NOT_ENOUGH
    return OK


COMMANDS = {"risk-validate": _risk_validate, "report": report.run_cli}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        config.settings()  # a broken konfigurasi.toml is said before any work starts
        return COMMANDS[args.command](args)
    except config.ConfigError as exc:
        print(exc, file=sys.stderr)
        return USAGE


if __name__ == "__main__":
    sys.exit(main())
