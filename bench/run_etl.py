"""Loading speed against its floor: the time the fastest Excel reader needs just to read the same files.

    python bench/run_etl.py [--demo-dir DIR] [--synthetic] [--json FILE] [--profile] [--repeat N]

Workbooks: the .xlsx files in --demo-dir; if it holds none, `etl.demo.build_demo` writes them there
(or into a temporary folder). --synthetic (or a missing etl.demo) generates office-style workbooks here
instead: ~5k clients and ~100k attendance rows. Each measurement is the median of --repeat runs.
In the JSON, "ratio" is always how many times slower than the floor (for rows/s: floor rate ÷ rate).
"""
from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import pstats
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.load import load_files  # noqa: E402

SUFFIXES = {".xlsx", ".xlsm", ".xls"}  # the floor is an Excel reader, so only workbooks are compared


# --------------------------------------------------------------------------------------- readers
def read_calamine(paths: list[Path]) -> int:
    """The floor: every sheet to Python lists with python-calamine; returns the number of rows."""
    from python_calamine import CalamineWorkbook

    rows = 0
    for p in paths:
        wb = CalamineWorkbook.from_path(str(p))
        for name in wb.sheet_names:
            rows += len(wb.get_sheet_by_name(name).to_python(skip_empty_area=False))
        wb.close()
    return rows


def read_pandas(paths: list[Path]) -> int:
    import pandas as pd

    return sum(len(frame) for p in paths
               for frame in pd.read_excel(p, sheet_name=None, header=None, engine="calamine").values())


def read_openpyxl(paths: list[Path]) -> int:
    import openpyxl

    rows = 0
    for p in paths:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
        for ws in wb.worksheets:
            rows += sum(1 for _ in ws.iter_rows(values_only=True))
        wb.close()
    return rows


def load_once(paths: list[Path], work: Path) -> dict:
    """One load_files run into a fresh database."""
    db = work / f"bench-{time.perf_counter_ns()}.duckdb"
    try:
        return load_files(paths, db)
    finally:
        for f in (db, db.with_suffix(".duckdb.wal")):
            f.unlink(missing_ok=True)


def median_time(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


# ------------------------------------------------------------------------------------ workbooks
def demo_workbooks(folder: Path, synthetic: bool) -> list[Path]:
    """The workbooks to measure: those in folder, else the demo's, else synthetic ones."""
    found = sorted(p for p in folder.glob("*") if p.suffix.lower() in SUFFIXES)
    if found:
        return found
    if not synthetic:
        try:
            from etl.demo import build_demo
        except ImportError:
            print("etl.demo belum ada: memakai data sintetis (--synthetic)", file=sys.stderr)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                build_demo(Path(tmp) / "demo.duckdb", folder)
            return sorted(p for p in folder.glob("*") if p.suffix.lower() in SUFFIXES)
    return write_synthetic(folder)


KEGIATAN = ["Wajib Lapor", "Bimbingan Kepribadian", "Pelatihan Kerja", "Bimbingan Keagamaan"]
HADIR = ["Hadir"] * 16 + ["Terlambat", "Izin", "Alpa", "Mangkir"]
ALASAN = {"Izin": "Sakit", "Alpa": "Tidak ada ongkos ke kantor", "Mangkir": "Bekerja di luar kota",
          "Terlambat": "Jalan macet"}
KECAMATAN = ["Telukbetung Utara", "Tanjungkarang Pusat", "Kedaton", "Rajabasa", "Sukarami", "Way Halim",
             "Panjang", "Kemiling", "Natar", "Gedong Tataan"]
PIDANA = [("Penyalahgunaan narkotika", "Pasal 127 UU 35/2009")] * 5 + [
    ("Pencurian dengan pemberatan", "Pasal 363 KUHP"), ("Penipuan", "Pasal 378 KUHP"),
    ("Perlindungan anak", "Pasal 81 UU 35/2014"), ("Penganiayaan", "Pasal 351 KUHP")]


def _office_sheet(wb, name: str, title: str, header: list[str], rows, date_cols: set[int]) -> None:
    """Title rows, header, numbering row, the rows, a JUMLAH row and a signature block."""
    ws = wb.add_worksheet(name)
    bold, date_fmt = wb.add_format({"bold": True}), wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.merge_range(0, 0, 0, len(header) - 1, title, bold)
    ws.merge_range(1, 0, 1, len(header) - 1, "BAPAS KELAS II BANDAR LAMPUNG", bold)
    ws.write_row(3, 0, header, bold)
    ws.write_row(4, 0, [f"({i + 1})" for i in range(len(header))])
    r = 5
    for no, row in enumerate(rows, start=1):
        ws.write_number(r, 0, no)
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            if c in date_cols and isinstance(value, dt.date):
                ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_fmt)
            else:
                ws.write(r, c, value)
        r += 1
    ws.write_row(r, 0, ["JUMLAH", f"{no} baris"])
    ws.write(r + 2, len(header) - 3, "Bandar Lampung, 31 Desember 2025")
    ws.write(r + 3, len(header) - 3, "Kepala Bapas Kelas II Bandar Lampung")
    ws.write(r + 7, len(header) - 3, "NIP. 197001011990031001")


def write_synthetic(folder: Path, clients: int = 5000, seed: int = 7) -> list[Path]:
    """Office-style workbooks: Data Klien (~5k rows), Kehadiran (one sheet per year, ~100k rows)."""
    import xlsxwriter

    rnd = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    klien, kehadiran = [], {}
    for i in range(clients):
        reg = f"PAS-{i + 1:05d}/BDL/{2021 + i % 4}"
        start = dt.date(2021, 1, 4) + dt.timedelta(days=rnd.randrange(1300))
        months = rnd.randint(14, 26)
        end = start + dt.timedelta(days=30 * months)
        lahir = dt.date(rnd.randint(1965, 2004), rnd.randint(1, 12), rnd.randint(1, 28))
        tindak, pasal = rnd.choice(PIDANA)
        klien.append([reg, f"18710{rnd.randrange(10**11):011d}", f"Klien {i + 1}", rnd.choice("LLLLP"),
                      f"Bandar Lampung, {lahir:%d/%m/%Y}", rnd.choice(["Islam"] * 9 + ["Kristen"]),
                      rnd.choice(["SD", "SMP", "SLTA", "S1"]), rnd.choice(KECAMATAN), tindak, pasal,
                      f"{rnd.randint(1, 6)} tahun {rnd.randint(0, 11)} bulan", rnd.choice(["PB"] * 7 + ["CB", "Asimilasi"]),
                      start, end, f"PK {i % 40 + 1}", f"19850312201001{i % 40:04d}", "Aktif", None,
                      *(["Ya", start + dt.timedelta(days=rnd.randint(60, 300))] if rnd.random() < 0.1 else ["Tidak", None]),
                      "Rp 1.500.000" if i % 3 else None])
        for m in range(months):
            day = start + dt.timedelta(days=30 * m + rnd.randrange(5))
            if day > dt.date(2025, 12, 31):
                break
            status = rnd.choice(HADIR)
            kegiatan = KEGIATAN[0] if m % 4 else rnd.choice(KEGIATAN)
            typed = rnd.random()  # some operators type dates as text, and a few mistype them
            cell = day if typed > 0.1 else day.strftime("%d/%m/%Y") if typed > 0.002 else f"{day:%d}/13/{day:%Y}"
            kehadiran.setdefault(day.year, []).append([
                reg, cell, kegiatan, "Tatap Muka", status,
                ALASAN.get(status), 1 if kegiatan == "Wajib Lapor" else 2, f"PK {i % 40 + 1}"])
    klien_header = ["No.", "No. Register", "NIK", "Nama", "L/P", "Tempat, Tanggal Lahir", "Agama", "Pendidikan",
                    "Kecamatan", "Tindak Pidana", "Pasal", "Lama Pidana", "Jenis Integrasi", "Tgl Mulai",
                    "Tanggal Akhir Bimbingan", "Nama PK", "NIP PK", "Status", "Tanggal Status", "Residivis",
                    "Tanggal Residivis", "Penghasilan (Rp)"]
    paths = [folder / "Data Klien.xlsx", folder / "Kehadiran.xlsx"]
    with xlsxwriter.Workbook(str(paths[0]), {"constant_memory": True}) as wb:
        _office_sheet(wb, "Klien", "DATA KLIEN PEMBIMBINGAN", klien_header, klien, {13, 14, 18, 20})
    header = ["No.", "No. Register", "Tanggal", "Jenis Kegiatan", "Bentuk", "Kehadiran", "Keterangan",
              "Durasi (jam)", "Petugas"]
    with xlsxwriter.Workbook(str(paths[1]), {"constant_memory": True}) as wb:
        for year in sorted(kehadiran):
            _office_sheet(wb, str(year), f"REKAP KEHADIRAN KLIEN TAHUN {year}", header, kehadiran[year], {2})
    return paths


# ------------------------------------------------------------------------------------------ main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo-dir", type=Path, help="folder of the workbooks (built there if empty)")
    parser.add_argument("--synthetic", action="store_true", help="generate workbooks here, not with etl.demo")
    parser.add_argument("--json", type=Path, help="write the results as JSON to this file")
    parser.add_argument("--profile", action="store_true", help="cProfile one load run, print the top 25")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-openpyxl", action="store_true", help="skip the slow openpyxl comparison")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        folder = args.demo_dir or work / "demo"
        folder.mkdir(parents=True, exist_ok=True)
        paths = demo_workbooks(folder, args.synthetic)
        size = sum(p.stat().st_size for p in paths) / 1e6
        print(f"{len(paths)} berkas ({size:.1f} MB): {', '.join(p.name for p in paths)}", file=sys.stderr)

        floor, grid_rows = median_time(lambda: read_calamine(paths), args.repeat)
        timings = {"read.calamine_to_python": floor}
        timings["read.pandas_calamine"] = median_time(lambda: read_pandas(paths), args.repeat)[0]
        if not args.no_openpyxl:
            timings["read.openpyxl_read_only"] = median_time(lambda: read_openpyxl(paths), args.repeat)[0]
        load_time, report = median_time(lambda: load_once(paths, work), args.repeat)
        timings["load_files"] = load_time
        rows = sum(f["rows_read"] for f in report["files"])
        loaded = sum(f["rows_loaded"] for f in report["files"])
        bad = [f for f in report["files"] if f["status"] != "loaded"]
        if bad:
            print(f"PERINGATAN: {len(bad)} sheet/berkas ditolak: {bad[0]['errors'][:1]}", file=sys.stderr)

        results = [{"name": name, "value": round(t, 3), "floor": round(floor, 3), "ratio": round(t / floor, 2),
                    "unit": "s"} for name, t in timings.items()]
        results.append({"name": "load_files.rows_per_s", "value": round(rows / load_time),
                        "floor": round(rows / floor), "ratio": round(load_time / floor, 2), "unit": "rows/s"})
        print(f"\n{rows:,} baris data dibaca, {loaded:,} dimuat ({grid_rows:,} baris grid); "
              f"median dari {args.repeat} kali\n")
        print(f"{'pengukuran':<26}{'nilai':>12} {'':<6}{'lantai':>10}{'rasio':>9}")
        for r in results:
            print(f"{r['name']:<26}{r['value']:>12,} {r['unit']:<6}{r['floor']:>10,}{r['ratio']:>8}x")
        for f in report["files"]:
            print(f"  {f['file']} [{f['sheet']}] {f['kind']}: {f['rows_loaded']:,}/{f['rows_read']:,} dimuat, "
                  f"{len(f['warnings'])} peringatan")
        if args.json:
            args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")

        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(load_once, paths, work)
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
