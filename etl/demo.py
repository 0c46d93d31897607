"""Deterministic demo data (DATA.md §8): office workbooks for one Bapas, or Parquet for 90 offices.

Profile ("bapas", the default): Bapas Kelas II Bandar Lampung, January 2021 to `as_of` (the last day of
the previous full month in Asia/Jakarta). About 5,500 cases (≈1,450 already under guidance on 1 January
2021, the rest starting later), ≈1,380–1,510 active on any day; PB ≈73%, CB ≈8%, ASIMILASI ≈14% (47% of
the 2021 starts: the COVID-19 "asimilasi di rumah", Permenkumham 10/2020, 32/2020, 24/2021, 43/2021),
anak ≈3%; Narkotika ≈53% of offences, then Pencurian ≈17%, Perlindungan Anak ≈8%, Penipuan/Penggelapan
≈6%; 35–45 PK; 25 partners (two lapsed agreements, three ending within 60 days of `as_of`); ≈60 program
runs; DICABUT ≈2% a year of the clients under guidance that year. The PB supervision term is the rest of
the sentence (a third of it, plus up to 12% for the remission-free share) plus one year, which keeps ≈1,400
clients active from ≈58 new cases a month; DATA.md's "1,500 active / 5,000 cases" cannot both hold
with realistic terms, so the generator keeps the caseload and lets the total run to 5,500.

Attendance (Kehadiran), ≈44 rows per case (≈242k) — every office, so 90 offices give ≈20M [national at seed
2026: 455,681 cases, 19,851,082 rows, 42.2–45.2 per case by office]:
- Wajib lapor, every month under guidance on the client's usual day; in the first three months of guidance
  (the month of the start and the two after: the PK's introduction phase) twice a month, a second report
  two weeks from the regular one. [20.3 rows per case; ≈10k of them the extra early reports.]
- Bimbingan Kepribadian (group counselling at the office, 2 hours) on the 2nd or 4th Thursday of 80% of
  the months in the first year of guidance and 45% later; RRI Tinggi clients (≈13%) are scheduled on both
  Thursdays of every month. Online for half of the 2021 sessions. [13.9 per case; RRI Tinggi 35 per client
  vs 11 for the others.]
- Bimbingan Keagamaan: a weekly pengajian (Wednesdays, 2 hours, no program code) held by the office's
  partner pesantren or masjid, for the Muslim clients the PK refers to it — 55% of the narcotics cases,
  25% of the others — from two weeks after the start for their first six months of guidance (online half
  the time in 2021). Attended with probability logistic(1.5 + 1.1·[stated interest Keagamaan]
  + 0.55·commitment − 0.022·km). [6.2 per case; ≈1,640 clients, 76% attended.]
- Home visits by the PK in 7% of the months and after 35% of missed reports [1.7 per case], and the
  sessions of the program runs [1.8 per case].

Planted relations (the generator's parameters; in brackets what the loaded tables show at seed 2026,
as_of 2026-10-31 — tests/test_demo.py recovers each with SQL; re-offending = klien.residivis, 10.6% overall):
- Re-offending: logit p = -2.9 + 0.9·[age<25] + 0.4·[25≤age<35] + 0.45·min(prior convictions, 3)
  + 0.3·[RRI Sedang] + 0.7·[RRI Tinggi] + 1.2·[2+ consecutive TIDAK_HADIR wajib lapor] − 1.0·[trained]
  − 0.8·[employed] − 0.3·commitment (a latent trait that also drives attendance). [age<25: 16% vs 9%;
  0/1/2/3+ priors: 8/13/20/27%; RRI Rendah/Sedang/Tinggi: 6/11/24%; 2+ consecutive misses (17% of the
  clients): 26% vs 7%; trained: 3% vs 11%; employed: 6% vs 14%.] A new offence falls mostly 6–36 months
  after the start (after the streak for a client with one); during guidance it revokes it (DICABUT,
  TINDAK_PIDANA_BARU) 40% of the time; after a revocation, death or transfer it is not observed. A third
  consecutive miss revokes the guidance (TIDAK_WAJIB_LAPOR) 25% of the time. Misses are counted over the
  reports in date order, the early twice-a-month ones included; the other exits are monthly hazards.
- Distance and cost drive absences: P(TIDAK_HADIR) on a wajib lapor = logistic(-3.5 + 0.032·km
  − 0.65·commitment + 0.3·[age<25] + 1.25·[missed the previous one]); izin and lateness rise with km too.
  Kecamatan ≥20 km from the office (Lampung Selatan, Pesawaran) give "rumah jauh, tidak ada ongkos"-type
  reasons (→ JARAK_BIAYA_TRANSPORT) for 55% of their TIDAK_HADIR and 30–40% of izin/late, near ones 5%.
  [wajib lapor HADIR+TERLAMBAT: 81% far vs 91% near; JARAK_BIAYA_TRANSPORT among non-HADIR: 44% vs 2%.]
- Interest: a run recruits either by interest (85% of its places to clients whose stated interest is
  the run's field; 45% of the 2021 runs, 85% from 2025) or by assignment. A session is attended with
  probability logistic((2.6 if interested else 0.7) + 0.55·commitment − 0.022·km); 30% of uninterested
  participants drop out part-way. Runs by assignment get a PROGRAM_TIDAK_SESUAI_MINAT obstacle 90% of
  the time (sometimes two), runs by interest 4%. [completion per DATA.md §7 (≥75% of sessions): 30% in
  runs with that obstacle vs 78% in the others.]
- Training and work: trained = completed a PELATIHAN_KERJA / BIMBINGAN_KEMANDIRIAN run; logit
  P(employed) = -0.75 + 1.6·[trained] + 0.5·commitment − 0.3·[priors] + 0.4·[age 22–45] − 2·[anak];
  a trained employee is placed by the run's partner (kode_mitra_penyalur) 55% of the time.

Deliberate bad rows in the bapas workbooks (10; each is reported rejected, nothing else is):
- Data Klien: a client typed twice (the repeat: "duplikat"); a row with an empty No. Register; a client
  with status "Pindah Alamat" (not a status).
- Kehadiran: a wajib lapor of an unknown register number (PB.9999/BDL/2023); a date typed "12/03/22"
  (two-digit year); a status "Pindah Alamat"; a date typed "15/03/2062" (after the load date).
- Mitra Pokmas Lipas / Mitra: a 26th partner with Tersertifikasi "Proses" (not Ya/Tidak).
- Realisasi Anggaran: a correction typed as a negative realisation "-2.500.000".
- Hambatan Program: a date "31/02/2024" (no such day).
The returned summary lists each with its file, sheet and Excel row. Also on purpose, and not errors:
one account (524113, TA 2023) realised above its ceiling (a warning, melebihi_pagu), and the "Nama
Klien" column of Kehadiran, which no field takes (a warning). Signature blocks carry the as-of date;
the sheets of a closed year (Kehadiran, anggaran) are signed on 31 December of that year.
"""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from etl import config
from etl import demo_vocab as V
from etl.demo_sim import OfficeData
from etl.demo_tables import build
from etl.demo_xlsx import write_office_workbooks

DEFAULT_CASES = 5500
DEMO_USER = "demo"  # muat_run.pengguna of demo loads: the app shows its demo banner while such rows exist
NATIONAL_BATCH = 10
Progress = Callable[[str, float], None]

# Parquet column types of the national files (DATA.md §1–§5; kode_bapas first).
PARQUET_TYPES: dict[str, dict[str, pa.DataType]] = {
    "klien": {
        "no_register": pa.string(), "nik": pa.string(), "nama": pa.string(), "jenis_kelamin": pa.string(),
        "tanggal_lahir": pa.date32(), "agama": pa.string(), "pendidikan": pa.string(),
        "pekerjaan_awal": pa.string(), "kecamatan": pa.string(), "kabupaten_kota": pa.string(),
        "tindak_pidana": pa.string(), "kategori_pidana": pa.string(), "pasal": pa.string(),
        "lama_pidana_bulan": pa.int32(), "jumlah_pidana_sebelumnya": pa.int32(), "program_integrasi": pa.string(),
        "dasar_hukum": pa.string(), "asal_upt": pa.string(), "tanggal_mulai_bimbingan": pa.date32(),
        "tanggal_akhir_bimbingan": pa.date32(), "pk_nama": pa.string(), "pk_nip": pa.string(),
        "skor_rri": pa.int32(), "kategori_rri": pa.string(), "status": pa.string(), "tanggal_status": pa.date32(),
        "jenis_pelanggaran": pa.string(), "residivis": pa.bool_(), "tanggal_residivis": pa.date32(),
        "status_pekerjaan": pa.string(), "kode_mitra_penyalur": pa.string(), "penghasilan_bulanan": pa.int64(),
    },
    "mitra": {
        "kode_mitra": pa.string(), "nama_mitra": pa.string(), "jenis_mitra": pa.string(), "bidang": pa.string(),
        "bidang_pelatihan": pa.string(), "bersertifikat": pa.bool_(), "nomor_pks": pa.string(),
        "tanggal_pks": pa.date32(), "berlaku_sampai": pa.date32(), "kecamatan": pa.string(),
        "kabupaten_kota": pa.string(), "kapasitas_per_angkatan": pa.int32(), "status_aktif": pa.bool_(),
        "kontak": pa.string(),
    },
    "program": {
        "kode_program": pa.string(), "nama_program": pa.string(), "kategori": pa.string(), "kode_mitra": pa.string(),
        "tanggal_mulai": pa.date32(), "tanggal_selesai": pa.date32(), "kuota": pa.int32(),
        "total_jam": pa.float64(), "bersertifikat": pa.bool_(),
    },
    "kehadiran": {
        "no_register": pa.string(), "tanggal": pa.date32(), "jenis_kegiatan": pa.string(),
        "kode_program": pa.string(), "bentuk": pa.string(), "status_hadir": pa.string(), "alasan": pa.string(),
        "durasi_jam": pa.float64(), "petugas": pa.string(),
    },
    "anggaran": {
        "tahun_anggaran": pa.int32(), "bulan": pa.int32(), "kode_akun": pa.string(), "uraian_akun": pa.string(),
        "kode_program": pa.string(), "uraian": pa.string(), "pagu": pa.int64(), "rencana": pa.int64(),
        "realisasi": pa.int64(),
    },
    "hambatan": {
        "tanggal": pa.date32(), "faktor": pa.string(), "sumber": pa.string(), "kategori": pa.string(),
        "uraian": pa.string(), "kode_program": pa.string(), "kode_mitra": pa.string(), "no_register": pa.string(),
        "tindak_lanjut": pa.string(), "status": pa.string(), "dilaporkan_oleh": pa.string(),
    },
}
TABLES = tuple(PARQUET_TYPES)


def default_as_of(today: dt.date | None = None) -> dt.date:
    """The last day of the previous full month (today in Asia/Jakarta)."""
    today = today or config.load_date()
    return today.replace(day=1) - dt.timedelta(days=1)


def office_data(seed: int, as_of: dt.date, office: V.Office = V.BDL, n_cases: int = DEFAULT_CASES,
                index: int = 0) -> OfficeData:
    """The clean tables of one office; office 0 uses the seed itself, office i the seed sequence [seed, i]."""
    rng = np.random.default_rng(seed if index == 0 else [seed, index])
    return build(rng, office, as_of, n_cases)


def build_demo(db_path: Path, out_dir: Path, seed: int = 2026, scale: str = "bapas",
               as_of: dt.date | None = None, progress: Progress | None = None, *,
               n_cases: int | None = None, n_offices: int = 90, load: bool = True) -> dict:
    """Write the demo files into out_dir and load them into db_path; returns the load report plus a summary.

    `n_cases` (cases per office) and `n_offices` (national scale) make smaller runs of the same shape;
    `load=False` only writes the files.
    """
    if scale not in ("bapas", "national"):
        raise ValueError(f"skala tidak dikenal: {scale!r} (pilih bapas atau national)")
    as_of = as_of or default_as_of()
    say = progress or (lambda message, fraction: None)
    out_dir, db_path = Path(out_dir), Path(db_path)
    if scale == "bapas":
        return _bapas(db_path, out_dir, seed, as_of, say, n_cases or DEFAULT_CASES, load)
    return _national(db_path, out_dir, seed, as_of, say, n_cases or DEFAULT_CASES, n_offices, load)


def _bapas(db_path: Path, out_dir: Path, seed: int, as_of: dt.date, say: Progress, n_cases: int,
           load: bool) -> dict:
    started = time.perf_counter()
    say("Menyusun data simulasi Bapas Kelas II Bandar Lampung", 0.02)
    data = office_data(seed, as_of, V.BDL, n_cases)
    say("Menulis berkas Excel (Data Klien, Kehadiran, Mitra, Anggaran, Hambatan)", 0.15)
    paths, bad = write_office_workbooks(data, out_dir, np.random.default_rng([seed, 1_000_003]))
    written = time.perf_counter()
    summary = {
        "scale": "bapas", "seed": seed, "as_of": as_of.isoformat(), "paths": [str(p) for p in paths],
        "counts": {name: int(len(frame)) for name, frame in data.tables().items()},
        "bad_rows": bad, "seconds_generate": round(written - started, 2),
    }
    report = {"files": []}
    if load:
        report = _load(paths, db_path, say, 0.5, 1.0)
        summary["seconds_load"] = round(time.perf_counter() - written, 2)
    say("Data demo selesai dibuat", 1.0)
    return {"files": report["files"], "summary": summary}


def parquet_table(name: str, frame, kode_bapas: str) -> pa.Table:
    """One clean table as Arrow with DATA.md names and types, kode_bapas first."""
    types = PARQUET_TYPES[name]
    arrays = [pa.array(np.full(len(frame), kode_bapas, dtype=object), type=pa.string())]
    for col, typ in types.items():
        series = frame[col]
        if typ == pa.date32():
            arr = pa.array(series.to_numpy(dtype="datetime64[s]").astype("datetime64[D]"), type=pa.date32())
        elif typ == pa.string():
            arr = pa.array(series.astype(object).where(series.notna(), None).tolist(), type=pa.string())
        else:
            arr = pa.array(series.astype(object).where(series.notna(), None).tolist(), type=typ)
        arrays.append(arr)
    return pa.Table.from_arrays(arrays, names=["kode_bapas", *types])


def _national(db_path: Path, out_dir: Path, seed: int, as_of: dt.date, say: Progress, n_cases: int,
              n_offices: int, load: bool) -> dict:
    if not 1 <= n_offices <= len(V.OFFICES):
        raise ValueError(f"jumlah kantor harus 1–{len(V.OFFICES)}")
    started = time.perf_counter()
    root = out_dir / "national"
    for name in TABLES:
        (root / name).mkdir(parents=True, exist_ok=True)
    sizes = np.random.default_rng([seed, 9_999]).uniform(0.5, 1.3, len(V.OFFICES))  # mean 0.9
    sizes[0] = 1.0
    counts = {name: 0 for name in TABLES}
    by_office: list[list[Path]] = []
    for i, office in enumerate(V.OFFICES[:n_offices]):
        say(f"Membuat data {office.nama} ({i + 1}/{n_offices})", 0.5 * i / n_offices)
        data = office_data(seed, as_of, office, int(round(n_cases * sizes[i])), index=i)
        paths = []
        for name, frame in data.tables().items():
            path = root / name / f"{office.kode_bapas}.parquet"
            pq.write_table(parquet_table(name, frame, office.kode_bapas), path, compression="zstd")
            counts[name] += len(frame)
            paths.append(path)
        by_office.append(paths)
    written = time.perf_counter()
    summary = {"scale": "national", "seed": seed, "as_of": as_of.isoformat(), "offices": n_offices,
               "paths": [str(p) for paths in by_office for p in paths], "counts": counts, "bad_rows": [],
               "seconds_generate": round(written - started, 2)}
    files: list[dict] = []
    if load:
        batches = [by_office[i:i + NATIONAL_BATCH] for i in range(0, len(by_office), NATIONAL_BATCH)]
        for b, batch in enumerate(batches):
            lo = 0.5 + 0.5 * b / len(batches)
            hi = 0.5 + 0.5 * (b + 1) / len(batches)
            report = _load([p for paths in batch for p in paths], db_path, say, lo, hi)
            files += report["files"]
        summary["seconds_load"] = round(time.perf_counter() - written, 2)
    say("Data demo nasional selesai dibuat", 1.0)
    return {"files": files, "summary": summary}


def _load(paths: list[Path], db_path: Path, say: Progress, lo: float, hi: float) -> dict:
    from etl.load import load_files

    say("Memuat berkas ke basis data", lo)

    def scaled(message: str, fraction: float) -> None:
        say(message, lo + (hi - lo) * max(0.0, min(1.0, float(fraction))))

    return load_files(list(paths), db_path, kind=None, progress=scaled, user=DEMO_USER)
