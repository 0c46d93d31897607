"""Vectorised simulation of one office: clients, attendance, partners, program runs, budget, obstacles.

The planted relations are documented in etl/demo.py. Everything is drawn from one numpy Generator,
so the same seed and as-of date give the same tables.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from etl import demo_vocab as V

DATA_START = np.datetime64("2021-01-01", "D")
FIRST_MONTH = np.datetime64("2021-01", "M")
NAT = np.datetime64("NaT", "D")

TYPES = ("PB", "CB", "CMB", "ASIMILASI", "PIB", "DIVERSI", "PIDANA_PENGAWASAN")
TYPE_P_STOCK = (0.71, 0.07, 0.02, 0.16, 0.01, 0.015, 0.015)
TYPE_P_2021 = (0.44, 0.08, 0.02, 0.44, 0.01, 0.005, 0.005)
TYPE_P_LATER = (0.74, 0.12, 0.02, 0.08, 0.01, 0.015, 0.015)
ANAK_TYPES = (5, 6)

JENIS = ("WAJIB_LAPOR", "BIMBINGAN_KEPRIBADIAN", "BIMBINGAN_KEMANDIRIAN", "PELATIHAN_KERJA",
         "BIMBINGAN_KEAGAMAAN", "PENDIDIKAN_KESETARAAN", "SEMINAR_PENYULUHAN", "KUNJUNGAN_RUMAH")
J_WL, J_KEP, J_KEA, J_KUN = 0, 1, 4, 7
STATUS_HADIR = ("HADIR", "TERLAMBAT", "IZIN", "TIDAK_HADIR")
HADIR, TERLAMBAT, IZIN, TIDAK_HADIR = range(4)
BENTUK = ("TATAP_MUKA", "DARING", "KUNJUNGAN_RUMAH")
KLIEN_STATUS = ("AKTIF", "SELESAI", "DICABUT", "MENINGGAL", "PINDAH", "BURON")
PELANGGARAN = ("", "TINDAK_PIDANA_BARU", "TIDAK_WAJIB_LAPOR", "PINDAH_TANPA_LAPOR", "TIDAK_IKUT_PROGRAM",
               "MERESAHKAN", "LAINNYA")
PEKERJAAN_STATUS = ("BELUM_BEKERJA", "BEKERJA", "USAHA_MANDIRI")
RRI = ("Rendah", "Sedang", "Tinggi")

# Reasons: one flat list of texts (index 0 = no reason), grouped by category.
REASON_CATS = ("NONE", *V.ALASAN)
REASONS: list[str] = [""]
_REASON_OFF, _REASON_N = [0], [1]
for _cat in V.ALASAN:
    _REASON_OFF.append(len(REASONS))
    _REASON_N.append(len(V.ALASAN[_cat]))
    REASONS.extend(V.ALASAN[_cat])
REASON_OFF, REASON_N = np.array(_REASON_OFF), np.array(_REASON_N)
RC = {name: i for i, name in enumerate(REASON_CATS)}

# Reason category probabilities by (status, far from the office).
_REASON_P = {
    (TIDAK_HADIR, True): {"JARAK_BIAYA_TRANSPORT": .55, "KLIEN_BEKERJA_LUAR_KOTA": .10,
                          "KELUARGA_TIDAK_MENDUKUNG": .08, "KLIEN_KURANG_SERIUS": .15, "LAINNYA": .06, "NONE": .06},
    (TIDAK_HADIR, False): {"JARAK_BIAYA_TRANSPORT": .05, "KLIEN_BEKERJA_LUAR_KOTA": .18,
                           "KELUARGA_TIDAK_MENDUKUNG": .12, "KLIEN_KURANG_SERIUS": .35, "LAINNYA": .14, "NONE": .16},
    (IZIN, True): {"JARAK_BIAYA_TRANSPORT": .30, "KLIEN_BEKERJA_LUAR_KOTA": .25, "SAKIT": .30, "LAINNYA": .15},
    (IZIN, False): {"JARAK_BIAYA_TRANSPORT": .03, "KLIEN_BEKERJA_LUAR_KOTA": .30, "SAKIT": .45, "LAINNYA": .22},
    (TERLAMBAT, True): {"JARAK_BIAYA_TRANSPORT": .40, "TERLAMBAT": .60},
    (TERLAMBAT, False): {"TERLAMBAT": 1.0},
}
_REASON_P_PROGRAM = {  # absences from a program session; "TIDAK_MINAT" only for mismatched participants
    (TIDAK_HADIR, True): {"JARAK_BIAYA_TRANSPORT": .50, "TIDAK_MINAT": .20, "KELUARGA_TIDAK_MENDUKUNG": .10,
                          "KLIEN_KURANG_SERIUS": .15, "NONE": .05},
    (TIDAK_HADIR, False): {"TIDAK_MINAT": .35, "KELUARGA_TIDAK_MENDUKUNG": .15, "KLIEN_KURANG_SERIUS": .25,
                           "LAINNYA": .15, "NONE": .10},
    (IZIN, True): {"JARAK_BIAYA_TRANSPORT": .30, "KLIEN_BEKERJA_LUAR_KOTA": .30, "SAKIT": .40},
    (IZIN, False): {"KLIEN_BEKERJA_LUAR_KOTA": .40, "SAKIT": .45, "LAINNYA": .15},
    (TERLAMBAT, True): {"JARAK_BIAYA_TRANSPORT": .40, "TERLAMBAT": .60},
    (TERLAMBAT, False): {"TERLAMBAT": 1.0},
}

FAR_KM = 20.0
# weekly pengajian: share of Muslim clients referred (narcotics / other offences), weeks from the start
PENGAJIAN_P_NARKOTIKA, PENGAJIAN_P_LAIN, PENGAJIAN_DAYS = 0.55, 0.25, 182


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def days(n) -> np.ndarray:
    return np.asarray(np.round(n), dtype="int64").astype("timedelta64[D]")


def month_index(d: np.ndarray) -> np.ndarray:
    return (d.astype("datetime64[M]") - FIRST_MONTH).astype("int64")


def _roll_in_month(d: np.ndarray, next_start: np.ndarray) -> np.ndarray:
    """The next working day, or the previous one when the next falls in the following month."""
    fwd = np.busday_offset(d, 0, roll="forward")
    bwd = np.busday_offset(d, 0, roll="backward")
    return np.where(fwd < next_start, fwd, bwd)


@dataclass
class OfficeData:
    """The clean tables of one office (DATA.md column names) plus per-client internals."""

    office: V.Office
    as_of: dt.date
    klien: pd.DataFrame
    kehadiran: pd.DataFrame
    mitra: pd.DataFrame
    program: pd.DataFrame
    anggaran: pd.DataFrame
    hambatan: pd.DataFrame
    internal: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"klien": self.klien, "mitra": self.mitra, "program": self.program,
                "kehadiran": self.kehadiran, "anggaran": self.anggaran, "hambatan": self.hambatan}


class _Sim:
    """One office's simulation; methods run in order and share state on self."""

    def __init__(self, rng: np.random.Generator, office: V.Office, as_of: dt.date, n_cases: int):
        self.rng, self.office, self.n_cases = rng, office, n_cases
        self.as_of_date = as_of
        self.asof = np.datetime64(as_of, "D")
        self.months = np.arange(FIRST_MONTH, np.datetime64(as_of, "M") + 1)
        self.month_start = self.months.astype("datetime64[D]")
        self.month_next = (self.months + 1).astype("datetime64[D]")

    # ------------------------------------------------------------------------------- cases
    def cases(self) -> None:
        rng, n = self.rng, self.n_cases
        n_stock = int(round(n * 0.26))
        n_new = n - n_stock
        M = len(self.months)
        in2021 = self.months < np.datetime64("2022-01", "M")
        w = np.where(in2021, 1.5, 1.0)
        m_idx = np.sort(rng.choice(M, size=n_new, p=w / w.sum()))
        span = (self.month_next[m_idx] - self.month_start[m_idx]).astype("int64")
        start_new = self.month_start[m_idx] + days(np.floor(rng.random(n_new) * span))
        start_new = np.minimum(start_new, self.asof)
        p_type = np.where(in2021[m_idx][:, None], np.array(TYPE_P_2021)[None, :], np.array(TYPE_P_LATER)[None, :])
        typ_new = (rng.random(n_new)[:, None] > np.cumsum(p_type, axis=1)).sum(axis=1)

        # stock: cases running on 1 January 2021, drawn length-biased
        n_cand = 4 * n_stock
        typ_c = rng.choice(len(TYPES), size=n_cand, p=TYPE_P_STOCK)
        attrs_c = self._attributes(typ_c, stock=True)
        dur_c = attrs_c["dur_days"]
        pick = rng.choice(n_cand, size=n_stock, replace=False, p=dur_c / dur_c.sum())
        elapsed = np.floor(rng.random(n_stock) * (dur_c[pick] - 2)).astype("int64") + 1
        start_stock = DATA_START - days(elapsed)

        attrs_n = self._attributes(typ_new, stock=False)
        a = {k: np.concatenate([attrs_c[k][pick], attrs_n[k]]) for k in attrs_c}
        a["start"] = np.concatenate([start_stock, start_new])
        order = np.argsort(a["start"], kind="stable")
        a = {k: v[order] for k, v in a.items()}
        a["pend"] = a["start"] + days(a["dur_days"] - 1)
        a["asimilasi_covid"] = (a["type"] == 3) & (a["start"] < np.datetime64("2022-01-01"))
        self.c = a
        self.n = len(a["start"])

    def _attributes(self, typ: np.ndarray, stock: bool) -> dict[str, np.ndarray]:
        rng, n = self.rng, len(typ)
        anak = np.isin(typ, ANAK_TYPES) | ((typ == 0) & (rng.random(n) < 0.008))
        off_names = V.OFFENCE_NAMES
        p_adult = np.array([V.OFFENCES[o][0] for o in off_names])
        p_anak = np.array([V.OFFENCES[o][1] for o in off_names])
        off = np.where(anak, rng.choice(len(off_names), n, p=p_anak / p_anak.sum()),
                       rng.choice(len(off_names), n, p=p_adult / p_adult.sum()))
        median = np.array([V.OFFENCES[o][2] for o in off_names])[off]
        median = np.where(anak, 12, median)
        sentence = np.clip(np.round(median * np.exp(rng.normal(0, 0.35, n))), 3, 180)
        u = rng.random(n)
        dur_m = np.select(
            [typ == 0, typ == 1, typ == 2, typ == 3, typ == 4, typ == 5, typ == 6],
            [np.minimum(np.round(sentence * (0.33 + 0.12 * u)) + 12, 60), 2 + np.floor(u * 6), 1 + np.floor(u * 6),
             2 + np.floor(u * 11), 6 + np.floor(u * 19), 3 + np.floor(u * 10), 6 + np.floor(u * 19)])
        sentence = np.where(typ == 1, 6 + np.floor(rng.random(n) * 13), sentence)
        dur_days = np.round(dur_m * 30.44).astype("int64")
        age = np.where(anak, 14 + rng.integers(0, 4, n), np.minimum(18 + rng.gamma(2.2, 6.5, n), 66)).astype(int)
        female = rng.random(n) < np.where(anak, 0.03, np.where(np.isin(off, (0, 3)), 0.09, 0.04))
        priors = np.where(anak, 0, np.minimum(rng.poisson(0.22 + 0.25 * np.isin(off, (0, 1)) + 0.15 * (age > 30)), 6))
        komitmen = rng.normal(0, 1, n)
        return {"type": typ, "anak": anak, "off": off, "sentence": sentence.astype(int), "dur_days": dur_days,
                "age": age, "female": female, "priors": priors, "z": komitmen}

    def people(self) -> None:
        """Names, places, education, risk score, PK, interest."""
        rng, c, n = self.rng, self.c, self.n
        kec = V.kecamatan_for(self.office)
        w = np.array([k[3] for k in kec])
        c["kec"] = rng.choice(len(kec), n, p=w / w.sum())
        c["dist"] = np.array([k[2] for k in kec])[c["kec"]]
        c["far"] = c["dist"] >= FAR_KM
        young = c["age"] < 25
        off_w = np.array([3, 4, 2, 1, 3, 1, 1, 2, 1])[c["off"]]
        job0 = rng.integers(0, len(V.PEKERJAAN_AWAL), n)
        job0 = np.where(c["anak"], V.PEKERJAAN_AWAL.index("Pelajar"), job0)
        score = (6 + 5 * young + 2 * ((c["age"] >= 25) & (c["age"] < 35)) + 3.5 * np.minimum(c["priors"], 3)
                 + off_w + 1.5 * (job0 == V.PEKERJAAN_AWAL.index("Tidak Bekerja"))
                 + rng.normal(0, 2.5, n) - 1.2 * c["z"])
        c["skor_rri"] = np.clip(np.round(score), 0, 40).astype(int)
        cat = np.digitize(c["skor_rri"], [12, 18])
        override = rng.random(n) < 0.06
        cat = np.where(override, np.clip(cat + rng.choice([-1, 1], n), 0, 2), cat)
        c["rri"] = cat
        c["job0"] = job0
        c["edu"] = np.where(c["anak"], rng.choice(3, n, p=[.3, .6, .1]),
                            rng.choice(6, n, p=[.04, .24, .30, .36, .03, .03]))
        c["agama"] = rng.choice(6, n, p=[.90, .04, .03, .02, .008, .002])
        p_minat = np.array(V.MINAT_BOBOT)
        p_minat_f = p_minat.copy()
        p_minat_f[[3, 4]] *= 4
        c["minat"] = np.where(c["female"], rng.choice(len(p_minat), n, p=p_minat_f / p_minat_f.sum()),
                              rng.choice(len(p_minat), n, p=p_minat / p_minat.sum()))
        self.n_pk = int(rng.integers(35, 46))
        pk_w = rng.gamma(4, 1, self.n_pk)
        c["pk"] = rng.choice(self.n_pk, n, p=pk_w / pk_w.sum())
        c["pref_day"] = rng.integers(3, 26, n)

    # -------------------------------------------------------------------------- attendance
    def attendance(self) -> None:
        """Wajib lapor (monthly; twice a month in the first three months), group counselling (twice a month
        for RRI Tinggi) and home visits; streaks and non-offence exits."""
        rng, c, n = self.rng, self.c, self.n
        start, pend = c["start"], c["pend"]
        first_m = np.maximum(month_index(start), 0)
        last_m = month_index(np.minimum(pend, self.asof))
        young = c["age"] < 25
        dist = np.minimum(c["dist"], 60)
        prev_th = np.zeros(n, bool)
        streak = np.zeros(n, int)
        c["streak2_date"] = np.full(n, NAT)
        c["max_streak"] = np.zeros(n, int)
        term = np.full(n, NAT)
        term_status = np.zeros(n, int)
        term_pel = np.zeros(n, int)
        rows: list[dict[str, np.ndarray]] = []
        two_weeks = np.timedelta64(14, "D")

        def report(idx: np.ndarray, d: np.ndarray, monthly: bool) -> tuple[np.ndarray, np.ndarray]:
            """One wajib lapor of each client in idx on d, in date order per client; `monthly`: the month's
            regular report, which also carries the month's exit hazards and routine home visits."""
            ok = (d <= pend[idx]) & (d <= self.asof) & (d >= start[idx])
            idx, d = idx[ok], d[ok]
            k = len(idx)
            x = (-3.5 + 0.032 * dist[idx] - 0.65 * c["z"][idx] + 0.3 * young[idx] + 1.25 * prev_th[idx])
            p_th = sigmoid(x)
            p_iz = 0.025 + 0.0012 * dist[idx]
            p_tl = 0.05 + 0.0015 * dist[idx]
            u = rng.random(k)
            st = np.select([u < p_th, u < p_th + p_iz, u < p_th + p_iz + p_tl], [TIDAK_HADIR, IZIN, TERLAMBAT], HADIR)
            th = st == TIDAK_HADIR
            streak[idx] = np.where(th, streak[idx] + 1, 0)
            prev_th[idx] = th
            c["max_streak"][idx] = np.maximum(c["max_streak"][idx], streak[idx])
            hit2 = (streak[idx] == 2) & np.isnat(c["streak2_date"][idx])
            c["streak2_date"][idx[hit2]] = d[hit2]
            # revocation on the third consecutive miss (a quarter of the time; otherwise a warning letter)
            live = np.isnat(term[idx])
            rev = live & (streak[idx] == 3) & (rng.random(k) < 0.25)
            term[idx[rev]] = d[rev] + days(rng.integers(7, 31, rev.sum()))
            term_status[idx[rev]], term_pel[idx[rev]] = 2, 2
            if monthly:
                # other exits (monthly hazards): death, transfer, absconding, revocation for other breaches
                live = np.isnat(term[idx])
                h = rng.random(k)
                p_buron = 0.00015 + 0.006 * (streak[idx] >= 2)
                ex = np.select([h < 0.00012, h < 0.00082, h < 0.00082 + p_buron, h < 0.00132 + p_buron],
                               [3, 4, 5, 2], 0)
                ex = np.where(live, ex, 0)
                e = ex > 0
                term[idx[e]] = d[e] + days(rng.integers(0, 21, e.sum()))
                term_status[idx[e]] = ex[e]
                term_pel[idx[e & (ex == 2)]] = rng.choice([3, 4, 5, 6], (e & (ex == 2)).sum(), p=[.35, .2, .25, .2])
            year = d.astype("datetime64[Y]").astype(int) + 1970
            p_daring = np.where(year == 2021, 0.55, np.where(d < np.datetime64("2022-07-01"), 0.25, 0.04))
            p_daring = p_daring + 0.08 * c["far"][idx]
            bentuk = (rng.random(k) < p_daring).astype(int)
            rows.append(self._rows(idx, d, J_WL, st, bentuk, 0.5, c["pk"][idx], -1, program=False))
            # home visits: routine (once a month), and after a missed report
            visit = rng.random(k) < ((0.07 if monthly else 0.0) + 0.35 * th)
            vi = idx[visit]
            dv = np.busday_offset(d[visit] + days(rng.integers(3, 12, len(vi))), 0, roll="forward")
            okv = (dv <= pend[vi]) & (dv <= self.asof)
            vi, dv = vi[okv], dv[okv]
            uv = rng.random(len(vi))
            stv = np.where(uv < 0.85, HADIR, TIDAK_HADIR)
            rows.append(self._rows(vi, dv, J_KUN, stv, np.full(len(vi), 2), 1.0, c["pk"][vi], -1, program=False,
                                   visit=True))
            return idx, d

        for m in range(len(self.months)):
            ms, nx = self.month_start[m], self.month_next[m]
            act = (first_m <= m) & (last_m >= m) & (np.isnat(term) | (term >= ms))
            idx = np.flatnonzero(act)
            if not len(idx):
                continue
            first = (month_index(start[idx]) == m) & (start[idx] >= DATA_START)
            base = ms + days(c["pref_day"][idx] - 1 + rng.integers(-2, 3, len(idx)))
            base = np.where(first, start[idx] + days(rng.integers(0, 7, len(idx))), base)
            base = np.clip(base, ms, nx - np.timedelta64(1, "D"))
            d = np.where(first, np.busday_offset(base, 0, roll="forward"), _roll_in_month(base, nx))
            # the first three months of guidance: a second report two weeks from the regular one, in the month
            early = (m - month_index(start[idx])) < 3
            d2 = np.where(d + two_weeks < nx, d + two_weeks, d - two_weeks)
            has2 = early & (d2 >= ms) & (d2 >= start[idx])
            lo = np.where(has2, np.minimum(d, d2), d)
            idx_b, d_b = idx[has2], np.maximum(d, d2)[has2]
            idx, d = report(idx, lo, monthly=True)
            report(idx_b, d_b, monthly=False)
            k = len(idx)
            year = d.astype("datetime64[Y]").astype(int) + 1970

            # group counselling at the office, 2nd or 4th Thursday of the month
            # (RRI Tinggi: both Thursdays, every month of guidance)
            months_in = m - month_index(start[idx])
            p_kep = np.where(months_in < 12, 0.8, 0.45)
            go = rng.random(k) < p_kep
            thursdays = np.busday_offset(ms, np.array([1, 3]), roll="forward", weekmask="Thu")
            slot = rng.integers(0, 2, k)
            tinggi = c["rri"][idx] == 2
            go = go | tinggi
            gi = np.concatenate([idx[go], idx[tinggi]])
            dk = np.concatenate([thursdays[slot[go]], thursdays[1 - slot[tinggi]]])
            yk = np.concatenate([year[go], year[tinggi]])
            okk = (dk >= start[gi]) & (dk <= pend[gi]) & (dk <= self.asof)
            gi, dk = gi[okk], dk[okk]
            xk = -3.0 + 0.035 * dist[gi] - 0.7 * c["z"][gi] + 0.3 * young[gi]
            uk = rng.random(len(gi))
            pk_th = sigmoid(xk)
            stk = np.select([uk < pk_th, uk < pk_th + 0.05, uk < pk_th + 0.12], [TIDAK_HADIR, IZIN, TERLAMBAT], HADIR)
            bk = ((yk[okk] == 2021) & (rng.random(len(gi)) < 0.5)).astype(int)
            rows.append(self._rows(gi, dk, J_KEP, stk, bk, 2.0, rng.integers(0, self.n_pk, len(gi)), -1,
                                   program=False))

        self.rows = rows
        c["term"], c["term_status"], c["term_pel"] = term, term_status, term_pel

    def pengajian(self) -> None:
        """Weekly pengajian (Bimbingan Keagamaan, no program code) at a partner pesantren/masjid for the Muslim
        clients a PK refers to it, every Wednesday of their first six months of guidance."""
        rng, c, n, m = self.rng, self.c, self.n, self.m
        venues = np.flatnonzero(m["jenis"] == "LEMBAGA_KEAGAMAAN")
        if not len(venues):
            return
        opened = max(m["join"][venues].min(), DATA_START)
        referred = (c["agama"] == 0) & (rng.random(n) < np.where(c["off"] == 0, PENGAJIAN_P_NARKOTIKA,
                                                                  PENGAJIAN_P_LAIN))
        first = np.busday_offset(np.maximum(c["start"] + np.timedelta64(14, "D"), opened), 0, roll="forward",
                                 weekmask="Wed")
        end = np.minimum(np.where(np.isnat(c["term"]), c["pend"], np.minimum(c["term"], c["pend"])),
                         c["start"] + np.timedelta64(PENGAJIAN_DAYS, "D"))
        end = np.minimum(end, self.asof)
        weeks = np.where(referred & (end >= first), (end - first).astype("int64") // 7 + 1, 0)
        total = int(weeks.sum())
        if not total:
            return
        cli = np.repeat(np.arange(n), weeks)
        nth = np.arange(total) - np.repeat(np.cumsum(weeks) - weeks, weeks)
        dd = first[cli] + days(7 * nth)
        keen = c["minat"][cli] == V.BIDANG_LATIH.index("Keagamaan")
        p = sigmoid(1.5 + 1.1 * keen + 0.55 * c["z"][cli] - 0.022 * c["dist"][cli])
        u = rng.random((2, total))
        att = u[0] < p
        st = np.where(att, np.where(u[1] < np.where(c["far"][cli], 0.2, 0.1), TERLAMBAT, HADIR),
                      np.where(u[1] < 0.3, IZIN, TIDAK_HADIR))
        year = dd.astype("datetime64[Y]").astype(int) + 1970
        bentuk = ((year == 2021) & (rng.random(total) < 0.5)).astype(int)  # online during PPKM
        coord = rng.integers(0, self.n_pk, int(year.max()) - 2020)  # the PK coordinating it, per year
        self.rows.append(self._rows(cli, dd, J_KEA, st, bentuk, 2.0, coord[year - 2021], -1, program=True,
                                    mismatch=~keen))

    def _rows(self, idx, d, jenis, st, bentuk, hours, petugas, prog, program: bool, visit: bool = False,
              mismatch=None) -> dict[str, np.ndarray]:
        k = len(idx)
        far = self.c["far"][idx]
        cat = np.zeros(k, int)
        table = _REASON_P_PROGRAM if program else _REASON_P
        for (status, is_far), probs in table.items():
            sel = (st == status) & (far == is_far)
            if not sel.any():
                continue
            names = list(probs)
            p = np.array([probs[x] for x in names])
            if program and status == TIDAK_HADIR and mismatch is not None:
                # only mismatched participants give "not interested"
                for flag in (True, False):
                    s2 = sel & (mismatch == flag)
                    if not s2.any():
                        continue
                    p2 = p.copy()
                    if not flag:
                        p2[names.index("TIDAK_MINAT")] = 0.0
                    cat[s2] = np.array([RC[x] for x in names])[self.rng.choice(len(names), s2.sum(), p=p2 / p2.sum())]
                continue
            cat[sel] = np.array([RC[x] for x in names])[self.rng.choice(len(names), sel.sum(), p=p / p.sum())]
        if visit:
            miss = st == TIDAK_HADIR
            cat[miss] = np.where(self.rng.random(miss.sum()) < 0.7, RC["KUNJUNGAN_GAGAL"],
                                 RC["KLIEN_BEKERJA_LUAR_KOTA"])
        reason = REASON_OFF[cat] + np.floor(self.rng.random(k) * REASON_N[cat]).astype(int)
        reason[cat == 0] = 0
        return {"cli": idx.astype(np.int64), "tanggal": d.astype("datetime64[D]"), "jenis": np.full(k, jenis),
                "status": st.astype(np.int8), "alasan": reason.astype(np.int16), "bentuk": np.asarray(bentuk, np.int8),
                "durasi": np.full(k, float(hours)), "petugas": np.asarray(petugas, np.int16),
                "prog": np.full(k, prog, np.int32)}

    # -------------------------------------------------------------------------------- partners
    def partners(self) -> None:
        rng, office = self.rng, self.office
        if office.short == "BDL":
            base = V.MITRA_BDL
        else:
            base = self._generic_partners()
        n = len(base)
        join = np.array([np.datetime64(f"{y:04d}-{m:02d}-01") + np.timedelta64(int(rng.integers(0, 25)), "D")
                         for (*_, (y, m), _k) in base])
        dur_years = rng.choice([2, 3], n)
        # the PKS in force: the latest renewal that started on or before as-of
        tgl = join.copy()
        for i in range(n):
            while True:
                nxt = np.datetime64(_add_years(tgl[i].astype(object), int(dur_years[i])))
                if nxt > self.asof:
                    break
                tgl[i] = nxt
        until = np.array([np.datetime64(_add_years(t.astype(object), int(y))) for t, y in zip(tgl, dur_years)]) \
            - np.timedelta64(1, "D")
        aktif = np.ones(n, bool)
        joined = np.flatnonzero(join <= self.asof - np.timedelta64(400, "D"))
        # two partners whose agreement lapsed without renewal
        lapsed = rng.choice(joined, size=min(2, len(joined)), replace=False) if len(joined) else np.array([], int)
        for i in lapsed:
            until[i] = max(join[i] + np.timedelta64(365, "D"),
                           self.asof - np.timedelta64(int(rng.integers(60, 300)), "D"))
            tgl[i] = until[i] - np.timedelta64(int(365 * dur_years[i]) - 1, "D")
            tgl[i] = max(tgl[i], join[i])
            aktif[i] = False
        # three agreements that end within 60 days of as-of
        rest = [i for i in joined if i not in set(lapsed.tolist())]
        ending = rng.choice(rest, size=min(3, len(rest)), replace=False) if rest else []
        for i, extra in zip(ending, (9, 27, 51)):
            until[i] = self.asof + np.timedelta64(extra, "D")
            tgl[i] = max(join[i], until[i] - np.timedelta64(int(365 * dur_years[i]) - 1, "D"))
        aktif &= join <= self.asof
        self.m = {
            "base": base, "join": join, "tgl": tgl, "until": until, "aktif": aktif,
            "jenis": np.array([b[1] for b in base]), "bidang_latih": np.array([b[3] or "" for b in base]),
            "cert": np.array([b[4] for b in base]), "kap": np.array([b[8] for b in base]),
            "kode": np.array([f"MITRA-{i + 1:02d}" for i in range(n)]),
        }
        # exist in the table only once they joined
        self.m["listed"] = join <= self.asof

    def _generic_partners(self):
        rng, town = self.rng, self.office.kota
        kec = V.kecamatan_for(self.office)
        out = []
        templates = [
            ("UMKM {b} {t}", "UMKM", "KEMANDIRIAN"), ("LPK {b} {t}", "LEMBAGA_PELATIHAN", "KEMANDIRIAN"),
            ("CV Karya {b} {t}", "PERUSAHAAN", "KEMANDIRIAN"), ("Pokmas Lipas {b} {t}", "POKMAS", "KEMANDIRIAN"),
        ]
        bidang = V.KATEGORI_BIDANG["PELATIHAN_KERJA"] + ("Kewirausahaan",)
        for i in range(21):
            name, jenis, bid = templates[i % len(templates)]
            b = bidang[i % len(bidang)]
            k = kec[int(rng.integers(0, len(kec)))]
            out.append((name.format(b=b.split("/")[0], t=f"{town} {i + 1}"), jenis, bid, b,
                        bool(rng.random() < 0.35), k[0], k[1], (2018 + i // 4, 1 + (i * 5) % 12),
                        int(rng.integers(10, 26))))
        out.append((f"Pondok Pesantren Nurul Huda {town}", "LEMBAGA_KEAGAMAAN", "KEPRIBADIAN", "Keagamaan", False,
                    kec[0][0], kec[0][1], (2019, 2), 30))
        out.append((f"Yayasan Bina Harapan {town}", "LEMBAGA_SOSIAL", "KEPRIBADIAN", "Pendidikan Kesetaraan", False,
                    kec[1][0], kec[1][1], (2019, 6), 25))
        out.append((f"Masjid Raya {town}", "LEMBAGA_KEAGAMAAN", "KEPRIBADIAN", "Keagamaan", False,
                    kec[2][0], kec[2][1], (2022, 4), 30))
        out.append((f"Pusat Bantuan Hukum {town}", "PERGURUAN_TINGGI", "HUKUM_KEMASYARAKATAN", None, False,
                    kec[3][0], kec[3][1], (2023, 3), 40))
        return tuple(out)

    # ----------------------------------------------------------------------------------- runs
    def runs(self) -> None:
        """About 60 program runs; enrolment by interest or by assignment; session attendance."""
        rng, c, m = self.rng, self.c, self.m
        months_avail = self.months[:-1] if len(self.months) > 1 else self.months
        n_runs = int(round(60 * len(self.months) / 70))
        w = np.where(months_avail < np.datetime64("2022-01", "M"), 0.6, 1.0)
        run_m = np.sort(rng.choice(len(months_avail), n_runs, p=w / w.sum()))
        kats = list(V.KATEGORI_RUN)
        kat_w = np.array([V.KATEGORI_RUN[k][0] for k in kats])
        busy = np.full(self.n, np.datetime64("1900-01-01"))
        term_eff = np.where(np.isnat(c["term"]), c["pend"], np.minimum(c["term"], c["pend"]))
        c["trained"] = np.zeros(self.n, bool)
        c["trained_end"] = np.full(self.n, NAT)
        c["trained_mitra"] = np.full(self.n, -1)
        c["n_runs"] = np.zeros(self.n, int)
        runs = []
        per_year_seq: dict[int, int] = {}
        angkatan: dict[tuple[str, int], int] = {}
        rows = []
        for r, mi in enumerate(run_m):
            ms = self.month_start[mi]
            start = np.busday_offset(ms + np.timedelta64(int(rng.integers(0, 20)), "D"), 0, roll="forward")
            year = int(str(start)[:4])
            kat = kats[int(rng.choice(len(kats), p=kat_w / kat_w.sum()))]
            _w, s_min, s_max, hours, spw, q_min, q_max = V.KATEGORI_RUN[kat]
            avail = np.flatnonzero(m["listed"] & (m["join"] <= start) & (m["until"] >= start))
            bid_choices = [b for b in V.KATEGORI_BIDANG[kat]]
            bidang = bid_choices[int(rng.integers(0, len(bid_choices)))]
            if bidang is not None:
                matching = [i for i in avail if m["bidang_latih"][i] == bidang]
                if not matching:
                    with_b = [b for b in bid_choices if any(m["bidang_latih"][i] == b for i in avail)]
                    if with_b:
                        bidang = with_b[int(rng.integers(0, len(with_b)))]
                        matching = [i for i in avail if m["bidang_latih"][i] == bidang]
                mitra = int(rng.choice(matching)) if matching else -1
            else:
                general = [i for i in avail if m["jenis"][i] in ("LEMBAGA_SOSIAL", "PERGURUAN_TINGGI",
                                                               "LEMBAGA_KEAGAMAAN", "INSTANSI_PEMERINTAH")]
                mitra = int(rng.choice(general)) if general and rng.random() < 0.7 else -1
            n_s = int(rng.integers(s_min, s_max + 1))
            if spw == 2:
                sessions = np.busday_offset(start, np.arange(n_s), roll="forward", weekmask="Tue Thu")
            else:
                wd = ("Mon", "Tue", "Wed", "Thu", "Fri")[int(rng.integers(0, 5))] if kat != "BIMBINGAN_KEAGAMAAN" \
                    else "Fri"
                sessions = np.busday_offset(start, np.arange(n_s), roll="forward", weekmask=wd)
            run_start, run_end = sessions[0], sessions[-1]
            kuota = int(rng.integers(q_min, q_max + 1))
            if mitra >= 0 and kat == "PELATIHAN_KERJA":
                kuota = int(min(kuota, max(m["kap"][mitra], 10)))
            per_year_seq[year] = per_year_seq.get(year, 0) + 1
            kode = f"PRG-{year}-{per_year_seq[year]:02d}"
            base_name = V.NAMA_RUN[kat].format(bidang=bidang or "")
            angkatan[(base_name, year)] = angkatan.get((base_name, year), 0) + 1
            nama = f"{base_name} Angkatan {V.ROMAWI[min(angkatan[(base_name, year)], 8)]} {year}"
            has_minat = bidang is not None and kat in ("PELATIHAN_KERJA", "BIMBINGAN_KEMANDIRIAN")
            p_interest = {2021: 0.45, 2022: 0.55, 2023: 0.7, 2024: 0.8}.get(year, 0.85)
            by_interest = bool(rng.random() < p_interest) if has_minat else True
            # candidates: in guidance for the whole run, not in another run
            cand = np.flatnonzero((c["start"] <= run_start - np.timedelta64(14, "D")) & (term_eff >= run_end)
                                  & (busy < run_start))
            n_en = int(min(max(kuota - int(rng.integers(0, 4)), 1), len(cand)))
            if n_en == 0:
                enrolled = np.array([], int)
            elif has_minat:
                minat_idx = V.BIDANG_LATIH.index(bidang)
                fits = cand[c["minat"][cand] == minat_idx]
                others = cand[c["minat"][cand] != minat_idx]
                if by_interest:
                    take = min(len(fits), int(round(0.85 * n_en)))
                    first = rng.choice(fits, take, replace=False) if take else np.array([], int)
                    second = rng.choice(others, min(n_en - take, len(others)), replace=False)
                    enrolled = np.concatenate([first, second]).astype(int)
                else:
                    enrolled = rng.choice(cand, n_en, replace=False)
            else:
                enrolled = rng.choice(cand, n_en, replace=False)
            enrolled = np.sort(enrolled)
            if has_minat:
                matched = c["minat"][enrolled] == V.BIDANG_LATIH.index(bidang)
            else:
                matched = rng.random(len(enrolled)) < 0.75
            held = sessions[sessions <= self.asof]
            e, s = len(enrolled), len(held)
            attended = np.zeros((e, s), bool)
            if e and s:
                a = np.where(matched, 2.6, 0.7)[:, None]
                p = sigmoid(a + 0.55 * c["z"][enrolled][:, None] - 0.022 * c["dist"][enrolled][:, None])
                drop_at = np.where(~matched & (rng.random(e) < 0.3), rng.integers(2, max(s, 3), e), s + 1)
                p = np.where(np.arange(s)[None, :] >= drop_at[:, None], 0.03, p)
                attended = rng.random((e, s)) < p
                cli = np.repeat(enrolled, s)
                dd = np.tile(held, e)
                att = attended.ravel()
                far = np.repeat(c["far"][enrolled], s)
                u = rng.random(e * s)
                st = np.where(att, np.where(u < np.where(far, 0.2, 0.1), TERLAMBAT, HADIR),
                              np.where(u < 0.3, IZIN, TIDAK_HADIR))
                coord = int(rng.integers(0, self.n_pk))
                rows.append(self._rows(cli, dd, JENIS.index(kat), st, np.zeros(e * s, int), hours,
                                       np.full(e * s, coord), r, program=True,
                                       mismatch=np.repeat(~matched, s)))
                busy[enrolled] = run_end
                c["n_runs"][enrolled] += 1
                done = attended.sum(axis=1) >= 0.75 * s
                if kat in ("PELATIHAN_KERJA", "BIMBINGAN_KEMANDIRIAN") and run_end <= self.asof:
                    t = enrolled[done]
                    c["trained"][t] = True
                    c["trained_end"][t] = run_end
                    c["trained_mitra"][t] = mitra
            completion = float((attended.sum(axis=1) >= 0.75 * s).mean()) if e and s else float("nan")
            runs.append({"kode": kode, "nama": nama, "kat": kat, "bidang": bidang, "mitra": mitra,
                         "start": run_start, "end": run_end, "kuota": kuota, "total_jam": hours * n_s,
                         "cert": bool(kat == "PENDIDIKAN_KESETARAAN" or (mitra >= 0 and m["cert"][mitra]
                                                                         and kat == "PELATIHAN_KERJA")),
                         "by_interest": by_interest, "has_minat": has_minat, "enrolled": enrolled,
                         "completion": completion, "coord": int(rng.integers(0, self.n_pk))})
        self.run_list = runs
        self.rows.extend(rows)

    # ------------------------------------------------------------------------------ outcomes
    def outcomes(self) -> None:
        """Employment, re-offending, final status."""
        rng, c, n = self.rng, self.c, self.n
        young = c["age"] < 25
        mid = (c["age"] >= 25) & (c["age"] < 35)
        streak2 = ~np.isnat(c["streak2_date"])
        x = (-0.75 + 1.6 * c["trained"] + 0.5 * c["z"] - 0.3 * (c["priors"] > 0)
             + 0.4 * ((c["age"] >= 22) & (c["age"] <= 45)) - 2.0 * c["anak"])
        employed = rng.random(n) < sigmoid(x)
        usaha_p = np.where(c["trained"], 0.45, 0.3)
        c["kerja"] = np.where(employed, np.where(rng.random(n) < usaha_p, 2, 1), 0)
        # re-offending (planted; see etl/demo.py)
        lo = (-2.9 + 0.9 * young + 0.4 * mid + 0.45 * np.minimum(c["priors"], 3) + 0.3 * (c["rri"] == 1)
              + 0.7 * (c["rri"] == 2) + 1.2 * streak2 - 1.0 * c["trained"] - 0.8 * employed - 0.3 * c["z"])
        c["p_reoffend"] = sigmoid(lo)
        reoff = rng.random(n) < c["p_reoffend"]
        t = c["start"] + days(30 + rng.gamma(2.0, 260, n))
        # stock cases were still under guidance on 1 January 2021
        t = np.where(t < DATA_START, DATA_START + days(rng.gamma(2.0, 260, n)), t)
        t = np.where(streak2, np.maximum(t, c["streak2_date"] + days(rng.integers(10, 120, n))), t)
        end_eff = np.where(np.isnat(c["term"]), c["pend"], np.minimum(c["term"], c["pend"]))
        during = reoff & (t <= end_eff)
        # after an exit other than the end of guidance, a new offence is not observed (prison, death, transfer)
        exited_early = ~np.isnat(c["term"]) & (c["term"] < c["pend"]) & (c["term_status"] != 5)
        after_ok = reoff & (t > end_eff) & ~exited_early
        observed = (during | after_ok) & (t <= self.asof)
        c["residivis"] = observed
        c["tgl_residivis"] = np.where(observed, t, NAT)
        revoke = during & observed & (rng.random(n) < 0.4)
        rev_date = t + days(rng.integers(14, 61, n))
        term = c["term"].copy()
        term_status = c["term_status"].copy()
        term_pel = c["term_pel"].copy()
        better = revoke & (np.isnat(term) | (rev_date < term))
        term[better], term_status[better], term_pel[better] = rev_date[better], 2, 1
        # final status on the as-of date
        early = ~np.isnat(term) & (term < c["pend"]) & (term <= self.asof)
        status = np.where(early, term_status, np.where(c["pend"] <= self.asof, 1, 0))
        c["status"] = status
        c["tgl_status"] = np.where(early, term, np.where(status == 1, c["pend"], NAT))
        c["pel"] = np.where(early & (status == 2), term_pel, 0)
        c["end_obs"] = np.where(np.isnat(c["tgl_status"]), self.asof, c["tgl_status"])
        # placement and income
        placed = np.full(n, -1)
        m = self.m
        employer = np.isin(m["jenis"], ("PERUSAHAAN", "UMKM", "LEMBAGA_PELATIHAN"))
        via_run = (c["kerja"] == 1) & (c["trained_mitra"] >= 0) & (rng.random(n) < 0.55)
        ok = via_run & employer[np.maximum(c["trained_mitra"], 0)]
        placed[ok] = c["trained_mitra"][ok]
        emp_idx = np.flatnonzero(employer & m["listed"])
        other = (c["kerja"] == 1) & (placed < 0) & (rng.random(n) < 0.06) & (len(emp_idx) > 0)
        if len(emp_idx):
            placed[other] = rng.choice(emp_idx, other.sum())
        c["placed"] = placed
        income = np.where(c["kerja"] == 1, 2_600_000 * np.exp(rng.normal(0, 0.35, n)),
                          2_100_000 * np.exp(rng.normal(0, 0.5, n)))
        income = (np.round(income / 50_000) * 50_000).astype(np.int64)
        c["income"] = np.where((c["kerja"] > 0) & (rng.random(n) < 0.65), income, -1)

    # ------------------------------------------------------------------------------ tables
    def kehadiran_rows(self) -> dict[str, np.ndarray]:
        rows = {k: np.concatenate([r[k] for r in self.rows]) for k in self.rows[0]}
        c = self.c
        keep = rows["tanggal"] <= c["end_obs"][rows["cli"]]
        keep &= rows["tanggal"] >= c["start"][rows["cli"]]
        rows = {k: v[keep] for k, v in rows.items()}
        order = np.lexsort((rows["prog"], rows["jenis"], rows["tanggal"], rows["cli"]))
        rows = {k: v[order] for k, v in rows.items()}
        # one row per natural key
        same = np.zeros(len(rows["cli"]), bool)
        if len(same) > 1:
            same[1:] = ((rows["cli"][1:] == rows["cli"][:-1]) & (rows["tanggal"][1:] == rows["tanggal"][:-1])
                        & (rows["jenis"][1:] == rows["jenis"][:-1]) & (rows["prog"][1:] == rows["prog"][:-1]))
        rows = {k: v[~same] for k, v in rows.items()}
        order = np.lexsort((rows["cli"], rows["jenis"], rows["tanggal"]))
        return {k: v[order] for k, v in rows.items()}


def _add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def simulate(rng: np.random.Generator, office: V.Office, as_of: dt.date, n_cases: int = 5000) -> _Sim:
    """Run the whole simulation of one office; the result holds arrays, see etl.demo_tables."""
    sim = _Sim(rng, office, as_of, n_cases)
    sim.cases()
    sim.people()
    sim.partners()
    sim.attendance()
    sim.pengajian()
    sim.runs()
    sim.outcomes()
    return sim
