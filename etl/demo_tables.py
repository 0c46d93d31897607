"""Clean tables (DATA.md names and codes) from a simulated office: names, identifiers, budget, obstacles."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from etl import demo_vocab as V
from etl.demo_sim import (BENTUK, JENIS, KLIEN_STATUS, PEKERJAAN_STATUS, PELANGGARAN, REASONS, RRI, STATUS_HADIR,
                          TYPES, OfficeData, _Sim, simulate)

EDU = ("Tidak Sekolah", "SD", "SMP", "SMA/SMK", "Diploma", "S1+")
AGAMA = ("Islam", "Kristen", "Katolik", "Hindu", "Buddha", "Konghucu")


def _dates(values: np.ndarray) -> pd.Series:
    """datetime64[D] with NaT → a pandas datetime column (seconds resolution)."""
    return pd.Series(np.asarray(values, dtype="datetime64[D]").astype("datetime64[s]"))


def _names(rng: np.random.Generator, female: np.ndarray) -> np.ndarray:
    n = len(female)
    first_m = np.array(V.NAMA_LAKI)[rng.integers(0, len(V.NAMA_LAKI), n)]
    first_f = np.array(V.NAMA_PEREMPUAN)[rng.integers(0, len(V.NAMA_PEREMPUAN), n)]
    last_m = np.array(V.NAMA_BELAKANG)[rng.integers(0, len(V.NAMA_BELAKANG), n)]
    last_f = np.array(V.NAMA_BELAKANG_P)[rng.integers(0, len(V.NAMA_BELAKANG_P), n)]
    middle = np.array(V.NAMA_LAKI)[rng.integers(0, len(V.NAMA_LAKI), n)]
    shape = rng.random(n)
    out = []
    for i in range(n):
        if female[i]:
            out.append(f"{first_f[i]} {last_f[i]}" if shape[i] < 0.85 else first_f[i])
        elif shape[i] < 0.12:
            out.append(f"M. {middle[i]} {last_m[i]}")
        elif shape[i] < 0.22:
            out.append(f"{first_m[i]} {middle[i]} {last_m[i]}")
        elif shape[i] < 0.30:
            out.append(f"{first_m[i]} {middle[i]}")
        else:
            out.append(f"{first_m[i]} {last_m[i]}")
    return np.array(out, dtype=object)


def _pk_staff(rng: np.random.Generator, n_pk: int) -> tuple[np.ndarray, np.ndarray]:
    female = rng.random(n_pk) < 0.45
    full = np.empty(n_pk, dtype=object)
    seen: set[str] = set()
    for i in range(n_pk):  # officers' names are distinct
        while True:
            name = f"{_names(rng, female[i:i + 1])[0]}, {V.GELAR_PK[int(rng.integers(0, len(V.GELAR_PK)))]}"
            if name not in seen:
                break
        seen.add(name)
        full[i] = name
    nip = []
    for i in range(n_pk):
        y = int(rng.integers(1970, 1997))
        born = dt.date(y, int(rng.integers(1, 13)), int(rng.integers(1, 29)))
        tmt = (y + int(rng.integers(23, 31)), int(rng.integers(1, 13)))
        nip.append(f"{born:%Y%m%d}{tmt[0]:04d}{tmt[1]:02d}{2 if female[i] else 1}{int(rng.integers(1, 40)):03d}")
    return full, np.array(nip, dtype=object)


def build(seed_or_rng, office: V.Office, as_of: dt.date, n_cases: int = 5000) -> OfficeData:
    """Simulate one office and return its clean tables."""
    rng = seed_or_rng if isinstance(seed_or_rng, np.random.Generator) else np.random.default_rng(seed_or_rng)
    sim = simulate(rng, office, as_of, n_cases)
    pk_names, pk_nip = _pk_staff(rng, sim.n_pk)
    klien, reg = _klien(sim, rng, pk_names, pk_nip)
    mitra = _mitra(sim, rng)
    program = _program(sim)
    kehadiran = _kehadiran(sim, reg, pk_names)
    anggaran = _anggaran(sim, rng)
    hambatan = _hambatan(sim, rng, reg, klien, kehadiran, pk_names)
    c = sim.c
    internal = pd.DataFrame({
        "no_register": reg, "jarak_km": c["dist"], "jauh": c["far"], "komitmen": c["z"],
        "minat": np.array(V.BIDANG_LATIH)[c["minat"]], "terlatih": c["trained"],
        "mangkir2": ~np.isnat(c["streak2_date"]),
        "p_residivis": c["p_reoffend"], "jumlah_run": c["n_runs"],
    })
    runs = pd.DataFrame([{k: r[k] for k in ("kode", "kat", "by_interest", "has_minat", "completion")}
                         for r in sim.run_list])
    internal.attrs["runs"] = runs
    return OfficeData(office, as_of, klien, kehadiran, mitra, program, anggaran, hambatan, internal)


# ----------------------------------------------------------------------------------------- klien
def _klien(sim: _Sim, rng, pk_names, pk_nip) -> tuple[pd.DataFrame, np.ndarray]:
    c, n, office = sim.c, sim.n, sim.office
    year = c["start"].astype("datetime64[Y]").astype(int) + 1970
    prefix = np.array([V.REGISTER_PREFIX[t] for t in TYPES])[c["type"]].astype(object)
    prefix = np.where(c["anak"] & (c["type"] == 0), "AN.PB", prefix)
    frame = pd.DataFrame({"p": prefix, "y": year})
    seq = frame.groupby(["p", "y"], sort=False).cumcount().to_numpy() + 1
    reg = np.array([f"{p}.{s:04d}/{office.short}/{y}" for p, s, y in zip(prefix, seq, year)], dtype=object)

    birth = c["start"] - (c["age"] * 365.25 + rng.integers(1, 365, n)).astype("int64").astype("timedelta64[D]")
    kec = V.kecamatan_for(office)
    kec_name = np.array([k[0] for k in kec], dtype=object)[c["kec"]]
    kab = np.array([k[1] for k in kec], dtype=object)[c["kec"]]
    region = np.array([V.NIK_WILAYAH.get(k, "") for k in kab], dtype=object)
    region = np.where(region == "", np.array([f"{int(x):04d}" for x in rng.integers(1101, 9472, n)], dtype=object),
                      region)
    bd = pd.Series(birth.astype("datetime64[s]"))
    dd = bd.dt.day.to_numpy() + 40 * c["female"]
    nik = np.array([f"{r}{(k % 40) + 1:02d}{d:02d}{mm:02d}{yy % 100:02d}{s:04d}" for r, k, d, mm, yy, s in
                    zip(region, c["kec"], dd, bd.dt.month.to_numpy(), bd.dt.year.to_numpy(),
                        rng.integers(1, 3000, n))], dtype=object)
    nik = np.where(rng.random(n) < 0.03, None, nik)

    off = c["off"]
    texts = [V.OFFENCES[o][3] for o in V.OFFENCE_NAMES]
    pick = np.floor(rng.random(n) * np.array([len(texts[o]) for o in off])).astype(int)
    tindak = np.array([texts[o][p][0] for o, p in zip(off, pick)], dtype=object)
    pasal = np.array([texts[o][p][1] for o, p in zip(off, pick)], dtype=object)
    typ = np.array(TYPES, dtype=object)[c["type"]]
    dh = np.empty(n, dtype=object)
    for i in range(n):
        t, s = typ[i], c["start"][i]
        if t == "ASIMILASI":
            dh[i] = ("Permenkumham 10/2020" if s < np.datetime64("2020-07-01") else
                     "Permenkumham 32/2020" if s < np.datetime64("2021-07-01") else
                     "Permenkumham 24/2021" if s < np.datetime64("2022-01-01") else
                     "Permenkumham 43/2021" if s < np.datetime64("2022-09-01") else "Permenkumham 7/2022")
        elif t in ("PB", "CB", "CMB"):
            dh[i] = "Permenkumham 3/2018" if s < np.datetime64("2022-08-01") else "Permenkumham 7/2022"
        else:
            dh[i] = V.DASAR_HUKUM[t][0]
    upt_p = np.array([.30, .28, .14, .08, .07, .05, 0.0, 0.0])
    upt = rng.choice(len(V.ASAL_UPT), n, p=upt_p / upt_p.sum())
    upt = np.where(c["female"] & ~c["anak"], 6, np.where(c["anak"], 7, upt))
    asal = np.array(V.ASAL_UPT, dtype=object)[upt]
    asal = np.where(np.isin(c["type"], (4, 5, 6)) & ~(c["anak"] & (c["type"] == 0)), None, asal)
    edu = np.where(c["anak"], np.array([1, 2, 3])[np.minimum(c["edu"], 2)], c["edu"])
    placed = np.where(c["placed"] >= 0, np.array(sim.m["kode"], dtype=object)[np.maximum(c["placed"], 0)], None)
    klien = pd.DataFrame({
        "no_register": reg,
        "nik": nik,
        "nama": _names(rng, c["female"]),
        "jenis_kelamin": np.where(c["female"], "P", "L").astype(object),
        "tanggal_lahir": _dates(birth),
        "agama": np.array(AGAMA, dtype=object)[c["agama"]],
        "pendidikan": np.array(EDU, dtype=object)[edu],
        "pekerjaan_awal": np.array(V.PEKERJAAN_AWAL, dtype=object)[c["job0"]],
        "kecamatan": kec_name,
        "kabupaten_kota": kab,
        "tindak_pidana": tindak,
        "kategori_pidana": np.array(V.OFFENCE_NAMES, dtype=object)[off],
        "pasal": pasal,
        "lama_pidana_bulan": np.where(np.isin(c["type"], (5,)), -1, c["sentence"]),
        "jumlah_pidana_sebelumnya": c["priors"].astype(int),
        "program_integrasi": typ,
        "dasar_hukum": dh,
        "asal_upt": asal,
        "tanggal_mulai_bimbingan": _dates(c["start"]),
        "tanggal_akhir_bimbingan": _dates(c["pend"]),
        "pk_nama": pk_names[c["pk"]],
        "pk_nip": pk_nip[c["pk"]],
        "skor_rri": c["skor_rri"].astype(int),
        "kategori_rri": np.array(RRI, dtype=object)[c["rri"]],
        "status": np.array(KLIEN_STATUS, dtype=object)[c["status"]],
        "tanggal_status": _dates(c["tgl_status"]),
        "jenis_pelanggaran": np.where(c["pel"] > 0, np.array(PELANGGARAN, dtype=object)[c["pel"]], None),
        "residivis": c["residivis"].astype(bool),
        "tanggal_residivis": _dates(c["tgl_residivis"]),
        "status_pekerjaan": np.array(PEKERJAAN_STATUS, dtype=object)[c["kerja"]],
        "kode_mitra_penyalur": placed,
        "penghasilan_bulanan": c["income"].astype(np.int64),
    })
    klien["lama_pidana_bulan"] = klien["lama_pidana_bulan"].astype("Int64").mask(klien["lama_pidana_bulan"] < 0)
    klien["penghasilan_bulanan"] = klien["penghasilan_bulanan"].astype("Int64").mask(klien["penghasilan_bulanan"] < 0)
    return klien, reg


# ------------------------------------------------------------------------------- mitra, program
def _mitra(sim: _Sim, rng) -> pd.DataFrame:
    m = sim.m
    rows = []
    for i, b in enumerate(m["base"]):
        if not m["listed"][i]:
            continue
        nama, jenis, bidang, latih, cert, kec, kab, _joined, kap = b
        year = str(m["tgl"][i])[:4]
        rows.append({
            "kode_mitra": m["kode"][i], "nama_mitra": nama, "jenis_mitra": jenis, "bidang": bidang,
            "bidang_pelatihan": latih, "bersertifikat": bool(cert),
            "nomor_pks": f"PKS.{sim.office.short}/{i + 1:03d}/HM.05.02/{year}",
            "tanggal_pks": m["tgl"][i], "berlaku_sampai": m["until"][i], "kecamatan": kec, "kabupaten_kota": kab,
            "kapasitas_per_angkatan": int(kap), "status_aktif": bool(m["aktif"][i]),
            "kontak": f"08{int(rng.integers(11, 53))}-{int(rng.integers(1000, 9999))}-{int(rng.integers(1000, 9999))}",
        })
    frame = pd.DataFrame(rows)
    for col in ("tanggal_pks", "berlaku_sampai"):
        frame[col] = _dates(frame[col].to_numpy())
    return frame


def _program(sim: _Sim) -> pd.DataFrame:
    kode = sim.m["kode"]
    frame = pd.DataFrame([{
        "kode_program": r["kode"], "nama_program": r["nama"], "kategori": r["kat"],
        "kode_mitra": kode[r["mitra"]] if r["mitra"] >= 0 else None,
        "tanggal_mulai": r["start"], "tanggal_selesai": r["end"], "kuota": int(r["kuota"]),
        "total_jam": float(r["total_jam"]), "bersertifikat": bool(r["cert"]),
    } for r in sim.run_list])
    for col in ("tanggal_mulai", "tanggal_selesai"):
        frame[col] = _dates(frame[col].to_numpy())
    return frame


# ------------------------------------------------------------------------------------ kehadiran
def _kehadiran(sim: _Sim, reg: np.ndarray, pk_names: np.ndarray) -> pd.DataFrame:
    rows = sim.kehadiran_rows()
    codes = np.array([r["kode"] for r in sim.run_list] + [None], dtype=object)
    reasons = np.array([x or None for x in REASONS], dtype=object)
    return pd.DataFrame({
        "no_register": pd.Categorical.from_codes(rows["cli"], categories=pd.Index(reg)),
        "tanggal": _dates(rows["tanggal"]),
        "jenis_kegiatan": pd.Categorical.from_codes(rows["jenis"], categories=list(JENIS)),
        "kode_program": codes[rows["prog"]],
        "bentuk": pd.Categorical.from_codes(rows["bentuk"], categories=list(BENTUK)),
        "status_hadir": pd.Categorical.from_codes(rows["status"], categories=list(STATUS_HADIR)),
        "alasan": reasons[rows["alasan"]],
        "durasi_jam": rows["durasi"],
        "petugas": pd.Categorical.from_codes(rows["petugas"], categories=pd.Index(pk_names)),
    })


# ------------------------------------------------------------------------------------- anggaran
SEASON = np.array([0.4, 0.7, 0.9, 1.0, 1.0, 1.0, 1.0, 1.1, 1.1, 1.1, 1.2, 1.5])
YEAR_FACTOR = {2021: 0.78, 2022: 0.95, 2023: 1.0, 2024: 1.06, 2025: 0.92}


def _split(total: int, weights: np.ndarray) -> np.ndarray:
    """Whole thousands of rupiah per month summing exactly to total."""
    parts = np.floor(total * weights / weights.sum() / 1000).astype(np.int64) * 1000
    parts[-1] += total - parts.sum()
    return parts


def _anggaran(sim: _Sim, rng) -> pd.DataFrame:
    as_of = sim.as_of_date
    years = range(2021, as_of.year + 1)
    over_year = 2023 if as_of.year > 2023 else as_of.year - (1 if as_of.month < 12 and as_of.year > 2021 else 0)
    rows = []

    def line(year, akun, uraian_akun, kode_program, uraian, pagu, months, weights, target):
        rows.append({"tahun_anggaran": year, "bulan": None, "kode_akun": akun, "uraian_akun": uraian_akun,
                     "kode_program": kode_program, "uraian": uraian, "pagu": pagu, "rencana": None,
                     "realisasi": None})
        plan = _split(pagu, weights)
        done = np.array([(year, mo) <= (as_of.year, as_of.month) for mo in months])
        real = np.round(plan * rng.uniform(0.72, 1.05, len(plan)) / 1000).astype(np.int64) * 1000
        total = real[done].sum()
        if total:
            scale = target * pagu / total if target is not None else min(1.0, 0.985 * pagu / total)
            real = np.round(real * scale / 1000).astype(np.int64) * 1000
        for mo, p, r, d in zip(months, plan, real, done):
            rows.append({"tahun_anggaran": year, "bulan": int(mo), "kode_akun": akun, "uraian_akun": uraian_akun,
                         "kode_program": kode_program, "uraian": uraian, "pagu": None, "rencana": int(p),
                         "realisasi": int(r) if d else None})

    for year in years:
        f = YEAR_FACTOR.get(year, 1.0)
        for akun, uraian_akun, uraian, base in V.AKUN_RUTIN:
            pagu = int(round(base * f * rng.uniform(0.9, 1.1), -5))
            target = 1.062 if (year == over_year and akun == "524113") else None
            line(year, akun, uraian_akun, None, uraian, pagu, np.arange(1, 13), SEASON, target)
        for r in sim.run_list:
            if r["kat"] not in ("PELATIHAN_KERJA", "BIMBINGAN_KEMANDIRIAN") or int(str(r["start"])[:4]) != year:
                continue
            if rng.random() < 0.15:
                continue
            m0 = int(str(r["start"])[5:7])
            m1 = m0 if int(str(r["end"])[:4]) > year else int(str(r["end"])[5:7])
            months = np.arange(m0, max(m0, m1) + 1)
            w = np.ones(len(months))
            bahan = int(round(r["kuota"] * rng.uniform(350_000, 650_000), -5))
            honor = int(round(r["total_jam"] * rng.uniform(150_000, 250_000), -5))
            line(year, "521211", "Belanja Bahan", r["kode"], f"Bahan praktik {r['nama']}", bahan, months, w, None)
            line(year, "521213", "Honor Output Kegiatan", r["kode"], f"Honor instruktur {r['nama']}", honor,
                 months, w, None)
    frame = pd.DataFrame(rows)
    for col in ("bulan", "pagu", "rencana", "realisasi"):
        frame[col] = frame[col].astype("Int64")
    frame["tahun_anggaran"] = frame["tahun_anggaran"].astype(int)
    return frame


# ------------------------------------------------------------------------------------- hambatan
def _hambatan(sim: _Sim, rng, reg, klien: pd.DataFrame, kehadiran: pd.DataFrame, pk_names) -> pd.DataFrame:
    c, m, asof = sim.c, sim.m, sim.asof
    entries: list[dict] = []
    kode_m = m["kode"]
    mitra_name = {kode_m[i]: b[0] for i, b in enumerate(m["base"])}

    def add(date, cat, uraian, program=None, mitra=None, cli=None, pelapor=None):
        date = np.datetime64(date, "D")
        if date > asof:
            return
        entries.append({"tanggal": date, "kategori": cat, "uraian": uraian, "kode_program": program,
                        "kode_mitra": mitra, "no_register": reg[cli] if cli is not None else None,
                        "dilaporkan_oleh": pelapor if pelapor is not None else (
                            pk_names[c["pk"][cli]] if cli is not None else "Kasubsi Bimbingan Klien Dewasa")})

    def text(cat, **kw):
        opts = V.URAIAN_HAMBATAN[cat]
        return " ".join(opts[int(rng.integers(0, len(opts)))].format(**kw).split())  # an empty {nama}: one space

    def _wanted(run) -> str:
        """The field most enrolled clients of a run say they want (no random draw: keeps the seed's stream)."""
        counts = np.bincount(np.asarray(c["minat"])[run["enrolled"]], minlength=len(V.BIDANG_LATIH))
        own = [i for i, name in enumerate(V.BIDANG_LATIH) if name == run.get("bidang")]
        counts[own] = -1  # the field they were put in is not the one they ask for
        return str(V.BIDANG_LATIH[int(counts.argmax())]).lower()

    def between(a, b):
        a, b = np.datetime64(a, "D"), np.datetime64(b, "D")
        span = max(int((b - a).astype(int)), 0)
        return a + np.timedelta64(int(rng.integers(0, span + 1)), "D")

    for r in sim.run_list:
        mk = kode_m[r["mitra"]] if r["mitra"] >= 0 else None
        if r["has_minat"] and len(r["enrolled"]):
            p = 0.9 if not r["by_interest"] else 0.04
            for _ in range(1 + int(rng.random() < 0.4)):
                if rng.random() < p:
                    add(between(r["start"] + np.timedelta64(5, "D"), r["end"]), "PROGRAM_TIDAK_SESUAI_MINAT",
                        text("PROGRAM_TIDAK_SESUAI_MINAT", program=r["nama"], minat=_wanted(r)), r["kode"], mk,
                        pelapor=pk_names[r["coord"]])
        if r["kat"] == "PELATIHAN_KERJA" and r["mitra"] >= 0 and not m["cert"][r["mitra"]] and rng.random() < 0.75:
            add(between(r["start"], r["end"]), "MITRA_BELUM_BERSERTIFIKAT",
                text("MITRA_BELUM_BERSERTIFIKAT", mitra=mitra_name[mk]), r["kode"], mk, pelapor=pk_names[r["coord"]])
        if rng.random() < 0.3 and len(r["enrolled"]):
            add(between(r["start"], r["end"]), "ANGGARAN_TERBATAS", text("ANGGARAN_TERBATAS", program=r["nama"]),
                r["kode"], pelapor=pk_names[r["coord"]])
        if rng.random() < 0.2 and len(r["enrolled"]):
            add(between(r["start"], r["end"]), "KLIEN_TIDAK_TEPAT_WAKTU",
                text("KLIEN_TIDAK_TEPAT_WAKTU", program=r["nama"], nama=""), r["kode"], pelapor=pk_names[r["coord"]])

    wl = kehadiran[kehadiran["jenis_kegiatan"] == "WAJIB_LAPOR"]
    codes = wl["no_register"].cat.codes.to_numpy()
    th = (wl["status_hadir"] == "TIDAK_HADIR").to_numpy()
    late = (wl["status_hadir"] == "TERLAMBAT").to_numpy()
    alasan = wl["alasan"].fillna("").to_numpy()
    tanggal = wl["tanggal"].to_numpy().astype("datetime64[D]")
    names = klien["nama"].to_numpy()
    kec = klien["kecamatan"].to_numpy()
    streak_cli = np.flatnonzero(~np.isnat(c["streak2_date"]))
    for year in range(2021, sim.as_of_date.year + 1):
        y0, y1 = np.datetime64(f"{year}-01-01"), min(np.datetime64(f"{year}-12-31"), asof)
        frac = ((y1 - y0).astype(int) + 1) / 365
        in_year = (tanggal >= y0) & (tanggal <= y1)

        def pick(mask, k):
            idx = np.flatnonzero(mask & in_year)
            if not len(idx):
                return []
            return rng.choice(idx, min(k, len(idx)), replace=False)

        for i in pick(np.isin(codes, streak_cli) & th, int(round(6 * frac))):
            add(tanggal[i] + np.timedelta64(int(rng.integers(1, 15)), "D"), "KLIEN_KURANG_SERIUS",
                text("KLIEN_KURANG_SERIUS", nama=names[codes[i]]), cli=codes[i])
        far_reason = np.array(["jauh" in a or "ongkos" in a or "transport" in a for a in alasan])
        for i in pick(th & far_reason, int(round(6 * frac))):
            add(tanggal[i] + np.timedelta64(int(rng.integers(1, 15)), "D"), "JARAK_BIAYA_TRANSPORT",
                text("JARAK_BIAYA_TRANSPORT", nama=names[codes[i]], kecamatan=kec[codes[i]]), cli=codes[i])
        fam = np.array(["keluarga" in a or "istri" in a or "orang tua" in a for a in alasan])
        for i in pick(th & fam, int(round(4 * frac))):
            add(tanggal[i] + np.timedelta64(int(rng.integers(1, 15)), "D"), "KELUARGA_TIDAK_MENDUKUNG",
                text("KELUARGA_TIDAK_MENDUKUNG", nama=names[codes[i]]), cli=codes[i])
        for i in pick(late, int(round(2 * frac))):
            add(tanggal[i] + np.timedelta64(int(rng.integers(1, 10)), "D"), "KLIEN_TIDAK_TEPAT_WAKTU",
                text("KLIEN_TIDAK_TEPAT_WAKTU", nama=names[codes[i]], program=""), cli=codes[i])
        work = np.array(["luar kota" in a or "merantau" in a for a in alasan])
        for i in pick(work, int(round(1 * frac))):
            add(tanggal[i] + np.timedelta64(int(rng.integers(1, 10)), "D"), "KLIEN_BEKERJA_LUAR_KOTA",
                text("KLIEN_BEKERJA_LUAR_KOTA", nama=names[codes[i]]), cli=codes[i])
        joined = int((m["join"] <= y1).sum())
        for _ in range({2021: 4, 2022: 3}.get(year, 2)):
            add(between(y0, y1), "MITRA_TERBATAS", text("MITRA_TERBATAS", jumlah=joined))
        for _ in range({2021: 3, 2022: 2}.get(year, 1)):
            add(between(y0, y1), "ANGGARAN_TERBATAS", text("ANGGARAN_TERBATAS", program="bimbingan kelompok"))
        add(between(y0, y1), "BEBAN_KERJA_PK", text("BEBAN_KERJA_PK"))
        for _ in range(int(rng.integers(0, 2))):
            add(between(y0, y1), "JANGKAUAN_WILAYAH", text("JANGKAUAN_WILAYAH"))
        active = np.flatnonzero((c["start"] <= y1) & (c["end_obs"] >= y0))
        if len(active):
            i = int(rng.choice(active))
            add(between(max(c["start"][i], y0), min(c["end_obs"][i], y1)), "STIGMA_MASYARAKAT",
                text("STIGMA_MASYARAKAT", nama=names[i]), cli=i)

    frame = pd.DataFrame(entries)
    frame = frame.sort_values(["tanggal", "kategori", "uraian"], kind="stable")
    frame = frame.drop_duplicates(["tanggal", "kategori", "uraian", "no_register", "kode_program", "kode_mitra"])
    frame = frame.reset_index(drop=True)
    cat = frame["kategori"].to_numpy()
    frame.insert(1, "faktor", np.array([V.FAKTOR.get(k, "EKSTERNAL") for k in cat], dtype=object))
    frame.insert(2, "sumber", np.array([V.SUMBER[k] for k in cat], dtype=object))
    tl = []
    status = []
    for d, k in zip(frame["tanggal"].to_numpy(), cat):
        opts = V.TINDAK_LANJUT.get(k, ("Dicatat",))
        tl.append(opts[int(rng.integers(0, len(opts)))])
        age = int((asof - np.datetime64(d, "D")).astype(int))
        u = rng.random()
        status.append(("SELESAI" if u < 0.8 else "DITANGANI") if age > 180 else
                      ("TERBUKA" if u < 0.6 else "DITANGANI") if age < 60 else
                      ("DITANGANI" if u < 0.5 else "SELESAI" if u < 0.9 else "TERBUKA"))
    frame["tindak_lanjut"] = tl
    frame["status"] = status
    frame["tanggal"] = _dates(frame["tanggal"].to_numpy())
    cols = ["tanggal", "faktor", "sumber", "kategori", "uraian", "kode_program", "kode_mitra", "no_register",
            "tindak_lanjut", "status", "dilaporkan_oleh"]
    return frame[cols]
