"""Command line: `python -m etl load|demo|templates|undo|export|backups` (DESIGN.md "Command-line contract")."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from etl import config, spec
from etl.argumen import Parser
from etl.extract import SHAPES, suffixes

KINDS = list(spec.LOAD_ORDER)
ACCEPTED = ", ".join(suffixes())  # every extension read_grids accepts, workbooks first
DB_HELP = config.DB_HELP


def _progress(message: str, fraction: float) -> None:
    print(f"[{fraction:4.0%}] {message}", file=sys.stderr, flush=True)


def _parser() -> argparse.ArgumentParser:
    parser = Parser(prog="python -m etl", description="Muat berkas data Bapas (Excel, ODS, CSV, Parquet) ke DuckDB.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser, metavar="PERINTAH",
                                help="bantuan tiap perintah: python -m etl PERINTAH --help")
    load = sub.add_parser("load", help=f"muat berkas {ACCEPTED}",
                          description=f"Muat berkas data ke basis data. Berkas yang diterima: {ACCEPTED}.")
    load.add_argument("files", nargs="+", metavar="FILE", help=f"berkas yang dimuat, satu atau lebih ({ACCEPTED})")
    load.add_argument("--db", help=DB_HELP)
    load.add_argument("--kind", choices=KINDS, help="jenis data semua lembar kerja (bawaan: dikenali otomatis)")
    load.add_argument("--kantor", metavar="KODE", help=(
        "kode Bapas untuk baris yang lembarnya tidak punya kolom Kode Bapas atau membiarkannya kosong "
        "(bawaan: BAPAS_KODE, lalu kode_bapas di konfigurasi.toml, lalu BAPAS-BDL)"))
    load.add_argument("--json", action="store_true", help="cetak laporan JSON ke stdout")
    load.add_argument("--user", help=argparse.SUPPRESS)
    demo = sub.add_parser("demo", help="buat data demo dan muat", description=(
        "Buat berkas demo (klien, kehadiran, mitra dan program, anggaran, hambatan) buatan generator, lalu muat ke "
        "basis data seperti berkas kantor. Data demo bukan data klien sebenarnya."))
    demo.add_argument("--db", help=DB_HELP)
    demo.add_argument("--seed", type=int, default=2026,
                      help="bilangan awal pembangkit acak; seed yang sama memberi data yang sama (bawaan: %(default)s)")
    demo.add_argument("--scale", choices=["bapas", "national"], default="bapas",
                      help="bapas: satu kantor; national: 90 kantor, data besar (bawaan: %(default)s)")
    demo.add_argument("--out", help="folder berkas demo (bawaan: data/demo)")
    templates = sub.add_parser("templates", help="tulis templat .xlsx per jenis data", description=(
        "Tulis satu templat .xlsx kosong per jenis data, dengan judul kolom yang dikenali dan daftar pilihan."))
    templates.add_argument("--out", default="templates", help="folder tujuan templat (bawaan: %(default)s)")
    undo = sub.add_parser("undo", help="batalkan satu muat (baris yang ditambah dihapus, yang diganti dipulihkan)",
                          description=("Batalkan satu muat: baris yang ditambahkannya dihapus dan baris yang "
                                       "digantinya dipulihkan dari arsip. Hanya muat terbaru yang dapat dibatalkan."))
    undo.add_argument("run", type=int, metavar="ID_MUAT", help="nomor muat (kolom id_muat di muat_run)")
    undo.add_argument("--db", help=DB_HELP)
    undo.add_argument("--json", action="store_true", help="cetak hasil JSON ke stdout")
    export = sub.add_parser("export", help="tulis semua tabel sebagai dataset Parquet (per kantor dan tahun)",
                            description=("Tulis semua tabel sebagai dataset Parquet, dipartisi per kode_bapas dan "
                                         "tahun, untuk dibaca beberapa server aplikasi (hanya baca)."))
    export.add_argument("--format", choices=["parquet"], default="parquet",
                        help="format dataset; saat ini hanya parquet (bawaan: %(default)s)")
    export.add_argument("--out", required=True, help="folder dataset (diganti seluruhnya bila sudah ada)")
    export.add_argument("--db", help=DB_HELP)
    clear = sub.add_parser("clear-demo", help="keluarkan data demo sebelum memuat data kantor",
                           description=("Keluarkan data demo dari basis data: semua baris yang dibawa muat demo, "
                                        "beserta catatan muatnya. Baris dari muat lain tetap. Basis data sebelumnya "
                                        "disimpan sebagai cadangan (lihat perintah backups)."))
    clear.add_argument("--db", help=DB_HELP)
    backups = sub.add_parser("backups", help="daftar cadangan basis data; --restore memulihkan satu",
                             description=("Daftar cadangan basis data (tiga terakhir, dibuat tiap muat); "
                                          "--restore BERKAS memulihkan satu cadangan menjadi basis data aktif."))
    backups.add_argument("--db", help=DB_HELP)
    backups.add_argument("--restore", metavar="BERKAS", help="cadangan yang dipulihkan (nama dari daftar)")
    return parser


SHOWN = 20  # errors, warnings and skipped sheets printed per entry (or file); the rest are counted


def _issue_lines(items: list[dict], mark: str, where_none: str, more: str) -> list[str]:
    """One line per error or warning (row, column, message), the first SHOWN of them."""
    lines = []
    for item in items[:SHOWN]:
        where = f"baris {item['row']}" if item["row"] is not None else where_none
        message = item["message"]
        if item["column"] and not message.lower().startswith(str(item["column"]).lower()):  # «NIK '1.8E+15' …»
            message = f"{item['column']}: {message}"
        lines.append(f"  {mark} {where}: {message}")
    if len(items) > SHOWN:
        lines.append(f"  … dan {len(items) - SHOWN} {more} lainnya")
    return lines


def _summary(report: dict) -> str:
    """The report in words: a line per sheet (per file for CSV/Parquet), its errors (✗) and warnings (!)."""
    from etl.load import own_warnings

    lines = []
    files = list(dict.fromkeys(f["file"] for f in report["files"]))
    for name in files:
        for f in (f for f in report["files"] if f["file"] == name):
            where = f["file"] + (f" [{f['sheet']}]" if f["sheet"] else "")
            status = "dimuat" if f["status"] == "loaded" else "DITOLAK"
            warnings = own_warnings(report, f)
            lines.append(f"{where}: {f['kind'] or '-'} {status}; dibaca {f['rows_read']}, dimuat {f['rows_loaded']}, "
                         f"ditolak {f['rows_rejected']}, peringatan {len(warnings)}"
                         + (f" ({SHAPES[f['bentuk']]})" if f.get("bentuk") else ""))
            whole = "lembar kerja" if f["sheet"] else "berkas"
            lines += _issue_lines(f["errors"], "✗", whole, "alasan penolakan")
            lines += _issue_lines(warnings, "!", whole, "peringatan")
        skipped = [s for s in report.get("skipped", []) if s["file"] == name]
        for s in skipped[:SHOWN]:
            lines.append(f"{name} [{s['sheet']}]: dilewati: {s['reason']}")
        if len(skipped) > SHOWN:
            lines.append(f"{name}: … dan {len(skipped) - SHOWN} lembar kerja lain dilewati")
    return "\n".join(lines)


def _load(args) -> int:
    from etl.load import LoadError, load_files

    paths = [Path(p) for p in args.files]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        print(f"berkas tidak ditemukan: {', '.join(missing)}", file=sys.stderr)
        return 2
    try:
        office = config.office_code(args.kantor) if args.kantor is not None else None
    except ValueError as exc:
        print(f"--kantor: {exc}", file=sys.stderr)
        return 2
    try:
        report = load_files(paths, config.db_path(args.db), kind=args.kind, progress=_progress,
                             user=args.user or config.os_user(), office=office)
    except LoadError as exc:
        print(str(exc), file=sys.stderr)
        if args.json:
            print(json.dumps({"files": [], "error": str(exc)}, ensure_ascii=False))
        return 1
    if args.json:
        out = {"files": report["files"]}
        print(json.dumps(out, ensure_ascii=False, default=str))
    else:
        print(_summary(report))
    if report.get("id_muat") is None:
        whole = sum(f["status"] == "rejected" for f in report["files"])
        why = ("berkas ditolak seluruhnya, alasannya di atas" if whole and whole == len(report["files"]) else
               "semua baris ditolak, atau tidak ada baris data")
        print(f"tidak ada baris yang dapat dimuat ({why}); basis data tidak diubah", file=sys.stderr)
    # DESIGN.md: 0 when every file loaded, rejected rows included (a file whose every row is rejected, or an empty
    # template, is reported as loaded with 0 rows); 1 only when a file was rejected whole
    return 1 if any(f["status"] == "rejected" for f in report["files"]) else 0


def _demo(args) -> int:
    from etl.demo import build_demo

    out = Path(args.out) if args.out else config.ROOT / "data" / "demo"
    result = build_demo(config.db_path(args.db), out, seed=args.seed, scale=args.scale, progress=_progress)
    report = result.get("report", result)
    if "files" in report:
        print(_summary(report))
    return 0


def _templates(args) -> int:
    from etl.templates import write_templates

    for path in write_templates(Path(args.out)):
        print(path)
    return 0


def _undo(args) -> int:
    from etl.load import LoadError, undo_run

    try:
        result = undo_run(args.run, config.db_path(args.db), user=config.os_user())
    except LoadError as exc:
        print(str(exc), file=sys.stderr)
        if args.json:
            print(json.dumps({"error": str(exc)}, ensure_ascii=False))
        return 1
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        parts = [f"{n} baris {t} dihapus" for t, n in result["dihapus"].items()]
        parts += [f"{n} baris {t} dipulihkan" for t, n in result["dipulihkan"].items()]
        print(f"muat nomor {args.run} dibatalkan: " + (", ".join(parts) or "tidak ada baris yang berubah"))
    return 0


def _clear_demo(args) -> int:
    from etl.load import LoadError, clear_demo

    try:
        removed = clear_demo(config.db_path(args.db))
    except LoadError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    parts = ", ".join(f"{n} baris {t}" for t, n in removed.items()) or "tidak ada baris data"
    print(f"data demo dikeluarkan: {parts}; basis data sebelumnya disimpan sebagai cadangan")
    return 0


def _export(args) -> int:
    from etl.export import export_parquet
    from etl.load import LoadError

    try:
        manifest = export_parquet(config.db_path(args.db), Path(args.out), progress=_progress)
    except LoadError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    rows = sum(t["baris"] for t in manifest["tabel"].values())
    print(f"{len(manifest['tabel'])} tabel, {rows:,} baris ditulis ke {args.out}".replace(",", "."))
    return 0


def _backups(args) -> int:
    from etl import snapshot

    db = config.db_path(args.db)
    kept = snapshot.backups(db)
    if args.restore:
        chosen = [p for p in kept if p.name == Path(args.restore).name]
        if not chosen:
            print(f"cadangan tidak ditemukan: {args.restore}", file=sys.stderr)
            return 2
        snapshot.restore(db, chosen[0])
        print(f"{db} dipulihkan dari {chosen[0].name} (data sebelumnya disimpan sebagai cadangan)")
        return 0
    from analytics import format as fmt  # dates as the app writes them (6 Des 2026)

    for path in kept:  # the name first (what --restore takes), then when and how big, in office terms
        when = snapshot.made_at(path)
        size = f"{path.stat().st_size / 2**20:.1f}".replace(".", ",")
        print(f"{path.name}  ({fmt.date(when.date())} {when:%H.%M.%S} WIB, {size} MB)" if when
              else f"{path.name}  ({size} MB)")
    if not kept:
        print("belum ada cadangan", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        config.settings()  # a broken konfigurasi.toml is said before any work starts
        return {"load": _load, "demo": _demo, "templates": _templates, "undo": _undo,
                "export": _export, "backups": _backups, "clear-demo": _clear_demo}[args.command](args)
    except config.ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
