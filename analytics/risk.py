"""Recidivism risk: outcome, eligibility, features before the prediction point, a validated model and scorecard.

Everything here is computed from the tables of DATA.md §1–§2 and reads through analytics.db. The model is a
regularised logistic regression (scikit-learn) whose strength is chosen by inner cross-validation and whose
scale is recalibrated (Platt) on inner out-of-fold scores; the scorecard is the same kind of model on banded
features, rounded to integer points and mapped to a risk by a logistic fit on the total. Validation is
stratified 5-fold cross-validation (out-of-fold predictions) plus a temporal holdout. Kaplan–Meier curves and
log-rank tests come from statsmodels (lifelines would force pandas below 3).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import json
import logging
import math
import os
import platform
import re
import tempfile
import threading
import time
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from scipy.special import expit
from scipy.stats import rankdata
from filelock import FileLock, Timeout
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import SplineTransformer
from threadpoolctl import threadpool_limits

from analytics import db, format as fmt
from analytics.filters import Filters, add_months, client_condition
from analytics.privacy import HIDDEN_COL, SMALL, is_small, suppress_long, suppress_series
from analytics.viewer import Viewer, identity_columns, person_scope
from etl import config

HORIZONS = (12, 24, 36)
DEFAULT_HORIZON = 24
PREDICTION_MONTHS = 3          # the prediction point: start of guidance + 3 months (when attendance is recorded)
MIN_EVENTS = 50                # fewer outcome events (or non-events) than this: no model
MIN_HOLDOUT_EVENTS = 10
FOLDS = 5
INNER_FOLDS = 3
BOOTSTRAP = 1000
ECE_BINS = 10
SEED = 2026
CS = np.logspace(-3, 1, 7)     # inverse regularisation strengths tried by the inner cross-validation
BAND_QUANTILES = (0.5, 0.8)    # Rendah = lower half of the predicted risks, Tinggi = top fifth
BANDS = ("Rendah", "Sedang", "Tinggi")
NOT_YET, NOT_SCORED, NO_MODEL = "Belum dinilai", "Tidak dinilai", "Tanpa model"
UNKNOWN = "Tidak tercatat"
RARE = "Lainnya (jarang)"
MIN_LEVEL = 10                 # a category level with fewer eligible cases is pooled with the other rare ones
MIN_COVERAGE = 0.5             # a feature is used when at least half of the eligible cases have it
ENDING_DAYS = 60
NO_PROGRAM_DAYS = 90
DOSE_BINS = ((0.0, "0 jam"), (8.0, "≤8 jam"), (24.0, "8–24 jam"), (math.inf, ">24 jam"))
KM_TICK_MONTHS = 6
DAYS_PER_MONTH = 30.4375
FACTOR_CHUNK = 50_000          # cases whose top factors are written at once (bounds the memory of a large fit)

EXCLUSIONS = {
    "belum_teramati": "Belum teramati penuh: tanggal mulai bimbingan + jendela melewati tanggal data",
    "kehadiran_tidak_tercatat": "Bulan-bulan awal bimbingan tidak tercakup catatan kehadiran (mulai sebelum wajib "
                                "lapor pertama yang tercatat di kantor itu)",
    "gagal_sebelum_titik": "Kegagalan terjadi sebelum titik prediksi (belum dapat dinilai pada titik prediksi)",
    "berakhir_sebelum_titik": "Bimbingan sudah berakhir sebelum titik prediksi",
    "keluar_pengamatan": "Meninggal atau pindah sebelum akhir jendela tanpa kegagalan (hasil tidak teramati)",
}

# name: (label, kind, dynamic, short label for the top factors)
FEATURES = {
    "umur": ("Umur saat mulai bimbingan (tahun)", "numeric", False, "Umur"),
    "jenis_kelamin": ("Jenis kelamin", "category", False, "Jenis kelamin"),
    "jumlah_pidana_sebelumnya": ("Jumlah pidana sebelumnya", "numeric", False, "Pidana sebelumnya"),
    "kategori_pidana": ("Kategori pidana", "category", False, "Kategori pidana"),
    "program_integrasi": ("Program integrasi", "category", False, "Program integrasi"),
    "kategori_rri": ("Kategori RRI tercatat", "category", False, "RRI"),
    "skor_rri": ("Skor RRI tercatat", "numeric", False, "Skor RRI"),
    "bekerja_awal": ("Bekerja saat mulai (dari pekerjaan awal)", "category", False, "Pekerjaan awal"),
    "porsi_mangkir": ("Bagian wajib lapor yang mangkir sebelum titik prediksi", "numeric", True, "Mangkir"),
    "mangkir_beruntun": ("Mangkir beruntun terpanjang sebelum titik prediksi", "numeric", True, "Mangkir beruntun"),
    "jam_program": ("Jam kegiatan yang dihadiri sebelum titik prediksi", "numeric", True, "Jam kegiatan"),
}
SIGNALS = {
    "MANGKIR": "Mangkir ≥ 2× berturut-turut",
    "RISIKO_TINGGI": "Risiko model tinggi",
    "TANPA_PROGRAM": f"Tanpa kegiatan {NO_PROGRAM_DAYS} hari",
    "SEGERA_BERAKHIR": f"Berakhir ≤ {ENDING_DAYS} hari",
}
KM_BY = {"rri": "Kategori RRI tercatat", "program": "Ikut kegiatan sebelum titik prediksi",
         "integrasi": "Program integrasi"}
KM_TITLES = {"rri": "Bagian klien yang belum gagal, menurut kategori RRI yang tercatat",
             "program": "Bagian klien yang belum gagal, menurut keikutsertaan kegiatan sebelum titik prediksi",
             "integrasi": "Bagian klien yang belum gagal, menurut program integrasi"}
AGE_GROUPS = ("<25", "25–45", ">45")

PERMITTED_USE = (
    "Skor ini membantu Pembimbing Kemasyarakatan menentukan klien mana yang perlu diperhatikan lebih dulu "
    "(kunjungan, pendampingan, rujukan program). Skor ini bukan putusan: ia tidak pernah menjadi dasar "
    "pencabutan, penolakan hak, atau sanksi, dan tidak menggantikan penilaian PK maupun instrumen RRI. Skor "
    "dihitung dari data masa lalu kantor ini, bisa keliru untuk orang tertentu, dan kelompok yang jarang dalam "
    "data (misalnya perempuan) dinilai dengan ketelitian lebih rendah. Keputusan tetap diambil PK dan atasannya "
    "menurut peraturan, dengan mendengar klien."
)


def definitions(horizon: int, include_revocations: bool, prediction_months: int) -> dict[str, str]:
    """The definitions the page and the CLI state beside the figures (Indonesian)."""
    failure = ("klien tercatat residivis (tindak pidana baru) dengan tanggal residivis"
               + (", atau status DICABUT dengan tanggal status," if include_revocations else ""))
    point = (f"Tanggal mulai bimbingan + {prediction_months} bulan. Fitur dinamis (mangkir, mangkir beruntun, jam "
             "kegiatan) hanya dihitung dari baris kehadiran bertanggal sebelum titik ini." if prediction_months else
             "Tanggal mulai bimbingan: data tidak memuat wajib lapor, jadi model hanya memakai data saat mulai.")
    return {
        "hasil": f"Kegagalan dalam {horizon} bulan: {failure} sebelum tanggal mulai bimbingan + {horizon} bulan.",
        "titik_prediksi": point,
        "kelayakan": f"Kasus dipakai bila teramati penuh (mulai + {horizon} bulan ≤ tanggal data), tidak gagal dan "
                     "tidak berakhir sebelum titik prediksi, dan hasilnya teramati (tidak meninggal/pindah lebih "
                     "dulu).",
        "kategori": "Kategori model: Rendah = separuh kasus dengan risiko prediksi terendah, Sedang = 30% berikutnya, "
                    "Tinggi = 20% tertinggi (ambang dari prediksi validasi silang).",
        "ece": "ECE (galat kalibrasi) = rata-rata tertimbang |risiko prediksi − kejadian teramati| pada 10 bin "
               "selebar 0,1.",
    }


# --- the data ----------------------------------------------------------------------------------------------

def data_date(db_path: Path | None = None) -> dt.date:
    """The data's as-of date: the latest attendance date; without attendance, the latest date in the client sheet.

    The first is v_tanggal_data's rule; the second lets a client sheet without attendance (start, status and
    re-offence dates only) be validated at all.
    """
    row = db.frame("""
        select (select max(tanggal) from kehadiran) as kehadiran,
               greatest((select max(tanggal_mulai_bimbingan) from klien), (select max(tanggal_status) from klien),
                        (select max(tanggal_residivis) from klien)) as klien""", None, db_path).iloc[0]
    value = row["kehadiran"] if not pd.isna(row["kehadiran"]) else row["klien"]
    if pd.isna(value):
        return config.load_date()
    return min(pd.Timestamp(value).date(), config.load_date())


def has_attendance(db_path: Path | None = None) -> bool:
    """True when any wajib lapor is recorded (the dynamic features need it)."""
    return bool(db.frame("select count(*) as n from kehadiran where jenis_kegiatan = 'WAJIB_LAPOR'", None,
                         db_path).iloc[0, 0])


_CASES = """
with kasus as (
    select k.kode_bapas, k.no_register,
           k.tanggal_mulai_bimbingan as mulai,
           (k.tanggal_mulai_bimbingan + to_months($titik_bulan))::date as titik,
           (k.tanggal_mulai_bimbingan + to_months($horizon))::date as akhir_jendela,
           k.tanggal_akhir_efektif as akhir_efektif, k.status, k.tanggal_status,
           least(case when k.residivis then k.tanggal_residivis end,
                 case when $cabut and k.status = 'DICABUT' then k.tanggal_status end) as tanggal_gagal,
           coalesce(k.umur_saat_mulai, date_sub('year', k.tanggal_lahir, k.tanggal_mulai_bimbingan)) as umur,
           k.jenis_kelamin, k.jumlah_pidana_sebelumnya, k.kategori_pidana, k.program_integrasi,
           k.kategori_rri, k.skor_rri, k.pekerjaan_awal
    from v_klien k
    where k.tanggal_mulai_bimbingan is not null and k.tanggal_mulai_bimbingan <= $tanggal_data
),
-- wajib lapor due from the start up to (not including) the prediction point
lapor as (
    select h.kode_bapas, h.no_register, h.tanggal, h.status_hadir = 'TIDAK_HADIR' as mangkir
    from kehadiran h join kasus k using (kode_bapas, no_register)
    where h.jenis_kegiatan = 'WAJIB_LAPOR' and h.tanggal >= k.mulai and h.tanggal < k.titik
),
deret as (
    select kode_bapas, no_register, mangkir,
           row_number() over (partition by kode_bapas, no_register order by tanggal, mangkir)
         - row_number() over (partition by kode_bapas, no_register, mangkir order by tanggal) as deret
    from lapor
),
lapor_kasus as (
    select kode_bapas, no_register, count(*) as wl_wajib, count(*) filter (where mangkir) as wl_mangkir
    from lapor group by all
),
beruntun as (
    select kode_bapas, no_register, max(panjang) as mangkir_beruntun
    from (select kode_bapas, no_register, deret, count(*) as panjang from deret where mangkir group by all)
    group by all
),
-- program activities attended from the start up to (not including) the prediction point
kegiatan as (
    select h.kode_bapas, h.no_register, count(*) as kegiatan_hadir, sum(coalesce(h.durasi_jam, 0)) as jam_program
    from kehadiran h join kasus k using (kode_bapas, no_register)
    where h.jenis_kegiatan not in ('WAJIB_LAPOR', 'KUNJUNGAN_RUMAH') and h.status_hadir in ('HADIR', 'TERLAMBAT')
      and h.tanggal >= k.mulai and h.tanggal < k.titik
    group by all
),
cakupan as (
    select kode_bapas, min(tanggal) as kehadiran_mulai from kehadiran where jenis_kegiatan = 'WAJIB_LAPOR' group by 1
)
select k.*, coalesce(l.wl_wajib, 0) as wl_wajib, coalesce(l.wl_mangkir, 0) as wl_mangkir,
       coalesce(b.mangkir_beruntun, 0) as mangkir_beruntun, coalesce(g.kegiatan_hadir, 0) as kegiatan_hadir,
       coalesce(g.jam_program, 0) as jam_program, c.kehadiran_mulai
from kasus k
left join lapor_kasus l using (kode_bapas, no_register)
left join beruntun b using (kode_bapas, no_register)
left join kegiatan g using (kode_bapas, no_register)
left join cakupan c using (kode_bapas)
order by k.kode_bapas, k.no_register
"""

_NOT_WORKING = re.compile(r"tidak\s*bekerja|belum\s*bekerja|tdk\s*bekerja|pengangguran|menganggur|tidak\s*ada|"
                          r"^\W*$")
_STUDENT = re.compile(r"pelajar|siswa|mahasiswa|santri")


def working_at_start(text) -> str | None:
    """pekerjaan_awal (free text at intake) as Bekerja / Tidak bekerja / Pelajar; None when not recorded."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    value = str(text).strip().lower()
    if _NOT_WORKING.search(value):
        return "Tidak bekerja"
    if _STUDENT.search(value):
        return "Pelajar/mahasiswa"
    return "Bekerja"


def case_frame(horizon: int = DEFAULT_HORIZON, include_revocations: bool = False, prediction_months: int = 0,
               as_of: dt.date | None = None, db_path: Path | None = None) -> pd.DataFrame:
    """One row per case started by the as-of date: outcome dates, static features, features before the prediction point.

    The dynamic features read only attendance rows dated on or after the start and strictly before
    `mulai + prediction_months`, so nothing recorded later can change them.
    """
    if horizon not in HORIZONS:
        raise ValueError(f"horizon harus salah satu dari {HORIZONS}")
    as_of = as_of or data_date(db_path)
    frame = db.frame(_CASES, {"titik_bulan": int(prediction_months), "horizon": int(horizon),
                              "cabut": bool(include_revocations), "tanggal_data": as_of}, db_path)
    for column in ("mulai", "titik", "akhir_jendela", "akhir_efektif", "tanggal_status", "tanggal_gagal",
                   "kehadiran_mulai"):
        frame[column] = pd.to_datetime(frame[column])
    frame["gagal"] = (frame["tanggal_gagal"].notna() & (frame["tanggal_gagal"] < frame["akhir_jendela"])).astype(int)
    frame["porsi_mangkir"] = (frame["wl_mangkir"] / frame["wl_wajib"].where(frame["wl_wajib"] > 0)).astype(float)
    codes, texts = pd.factorize(frame.pop("pekerjaan_awal"))  # each distinct text read once; free text is repetitive
    frame["bekerja_awal"] = pd.Series(np.array([working_at_start(t) for t in texts] + [None], dtype=object)[codes],
                                      index=frame.index, dtype="str")
    frame["umur"] = frame["umur"].astype(float)
    for column in ("jumlah_pidana_sebelumnya", "skor_rri", "mangkir_beruntun", "jam_program"):
        frame[column] = frame[column].astype(float)
    frame["kelompok_umur"] = pd.cut(frame["umur"], [-np.inf, 24.5, 45.5, np.inf],
                                    labels=list(AGE_GROUPS)).astype("str")  # missing age: missing group
    return frame


def exclusion_reason(frame: pd.DataFrame, as_of: dt.date, dynamic: bool) -> pd.Series:
    """Why each case is left out of training and validation (None: it is used), first reason that applies."""
    day = pd.Timestamp(as_of)
    failed_before = frame["tanggal_gagal"].notna() & (frame["tanggal_gagal"] < frame["titik"])
    ended_before = frame["akhir_efektif"].notna() & (frame["akhir_efektif"] < frame["titik"])
    uncovered = dynamic & (frame["kehadiran_mulai"].isna() | (frame["mulai"] < frame["kehadiran_mulai"]))
    left = (frame["gagal"] == 0) & frame["status"].isin(["MENINGGAL", "PINDAH"]) & (
        frame["tanggal_status"] < frame["akhir_jendela"])
    conditions = [frame["akhir_jendela"] > day, uncovered, failed_before, ended_before, left]
    reason = np.select(conditions, list(EXCLUSIONS), default="")
    return pd.Series(reason, index=frame.index).replace("", None)


def _scorable(frame: pd.DataFrame, as_of: dt.date, dynamic: bool) -> pd.Series:
    """Cases the model can score: the prediction point reached, covered by attendance, no failure or end before it."""
    reason = exclusion_reason(frame, as_of, dynamic)
    reached = frame["titik"] <= pd.Timestamp(as_of)
    return reached & ~reason.isin(["kehadiran_tidak_tercatat", "gagal_sebelum_titik", "berakhir_sebelum_titik"])


def _available(eligible: pd.DataFrame, dynamic: bool) -> list[dict]:
    """Which features the data have: coverage among eligible cases and at least two distinct values."""
    out = []
    for name, (label, kind, is_dynamic, _) in FEATURES.items():
        if is_dynamic and not dynamic:
            out.append({"name": name, "label": label, "used": False, "coverage": 0.0,
                        "reason": "data tidak memuat kehadiran (wajib lapor)"})
            continue
        values = eligible[name]
        coverage = float(values.notna().mean()) if len(values) else 0.0
        distinct = values.dropna().nunique()
        reason = None
        if coverage < MIN_COVERAGE:
            reason = f"terisi pada {fmt.percent(coverage)} kasus (perlu ≥ {fmt.percent(MIN_COVERAGE, 0)})"
        elif distinct < 2:
            reason = "hanya satu nilai"
        out.append({"name": name, "label": label, "used": reason is None, "coverage": round(coverage, 4),
                    "reason": reason})
    return out


# --- model inputs ----------------------------------------------------------------------------------------

def _log1p_capped(x):
    return np.log1p(np.clip(x, 0, 20))


def _cap4(x):
    return np.clip(x, 0, 4)


def _log1p(x):
    return np.log1p(np.clip(x, 0, None))


def _identity(x):
    return x


# how each numeric feature enters the model before standardising (age: a cubic spline, see Design)
NUMERIC_TRANSFORM = {"jumlah_pidana_sebelumnya": _log1p_capped, "skor_rri": _identity, "porsi_mangkir": _identity,
                     "mangkir_beruntun": _cap4, "jam_program": _log1p}


def model_inputs(frame: pd.DataFrame, used: list[str]) -> pd.DataFrame:
    """The used feature columns, categories as text with «Tidak tercatat» for missing values."""
    out = pd.DataFrame(index=frame.index)
    for name in used:
        if FEATURES[name][1] == "category":
            out[name] = np.where(frame[name].isna(), UNKNOWN, frame[name].astype(object).astype(str)).astype(object)
        else:
            out[name] = frame[name].astype(float)
    return out


class Design(TransformerMixin, BaseEstimator):
    """The model's design matrix, one block of columns per feature (so a feature's contribution is one sum).

    Numeric: median imputation, the feature's transform (age: cubic B-spline with 4 quantile knots, constant
    beyond them), standardisation. Category: one-hot; levels with fewer than `min_level` training cases pooled
    into «Lainnya (jarang)», unseen levels go there too (or to no column when nothing was pooled). Everything is
    learnt from the rows passed to fit, so inside cross-validation it sees the training folds only.
    """

    def __init__(self, kinds: tuple[tuple[str, str], ...], min_level: int = MIN_LEVEL):
        self.kinds = kinds          # (feature, "numeric" | "category" | "band"); band: a category never pooled
        self.min_level = min_level

    def fit(self, X: pd.DataFrame, y=None):
        self.params_, self.slices_, self.names_ = {}, {}, []
        width = 0
        for name, kind in self.kinds:
            if kind == "numeric":
                x = X[name].to_numpy(dtype=float)
                median = float(np.nanmedian(x)) if np.isfinite(x).any() else 0.0
                x = np.where(np.isnan(x), median, x)
                spline = None
                if name == "umur":
                    spline = SplineTransformer(n_knots=4, degree=3, knots="quantile", extrapolation="constant")
                    z = spline.fit_transform(x[:, None])
                else:
                    z = NUMERIC_TRANSFORM[name](x)[:, None]
                mean, std = z.mean(axis=0), z.std(axis=0)
                std = np.where(std > 0, std, 1.0)
                self.params_[name] = (median, spline, mean, std)
                labels = [f"kurva umur {i + 1}" for i in range(z.shape[1])] if spline else ["nilai (baku)"]
            else:
                values, counts = np.unique(X[name].to_numpy(dtype=object).astype(str), return_counts=True)
                floor = self.min_level if kind == "category" else 1
                levels = [v for v, c in zip(values, counts) if c >= floor]
                pooled = len(levels) < len(values)
                self.params_[name] = (levels, pooled)
                labels = levels + ([RARE] if pooled else [])
            self.slices_[name] = slice(width, width + len(labels))
            self.names_ += [(name, label) for label in labels]
            width += len(labels)
        self.width_ = width
        return self

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        out = np.zeros((len(X), self.width_))
        for name, kind in self.kinds:
            part = self.slices_[name]
            if kind == "numeric":
                median, spline, mean, std = self.params_[name]
                x = X[name].to_numpy(dtype=float)
                x = np.where(np.isnan(x), median, x)
                z = spline.transform(x[:, None]) if spline is not None else NUMERIC_TRANSFORM[name](x)[:, None]
                out[:, part] = (z - mean) / std
            else:
                levels, pooled = self.params_[name]
                codes = _codes(X[name], levels, len(levels) if pooled else -1)
                rows = np.flatnonzero(codes >= 0)
                out[rows, part.start + codes[rows]] = 1.0
        return out


def _codes(values: pd.Series, levels: list[str], missing: int) -> np.ndarray:
    """Position of each value in the sorted `levels`, `missing` where it is not one of them."""
    text = values.to_numpy(dtype=object).astype(str)
    if not levels:
        return np.full(len(text), missing)
    known = np.asarray(levels, dtype=str)
    where = np.clip(np.searchsorted(known, text), 0, len(known) - 1)
    return np.where(known[where] == text, where, missing)


def _kinds(used: list[str]) -> tuple[tuple[str, str], ...]:
    return tuple((name, FEATURES[name][1]) for name in used)


def _bands(x: pd.Series, edges: list[tuple[float, str]], missing: str = UNKNOWN) -> pd.Series:
    """Numbers into labelled bands: the first (upper bound, label) whose bound the value does not exceed."""
    bounds = np.array([bound for bound, _ in edges], dtype=float)
    labels = np.array([label for _, label in edges] + [missing], dtype=object)
    values = x.to_numpy(dtype=float)
    index = np.searchsorted(bounds, values, side="left")
    index = np.where(np.isnan(values), len(edges), np.minimum(index, len(edges) - 1))
    return pd.Series(labels[index], index=x.index, dtype=object)


def _card_edges(frame: pd.DataFrame) -> dict:
    """Scorecard band edges that depend on the data (only the RRI score's tertiles; no outcome is used)."""
    score = frame["skor_rri"].dropna()
    if len(score) >= 3 and score.nunique() >= 3:
        low, high = np.quantile(score, [1 / 3, 2 / 3])
        return {"skor_rri": [(float(low), f"≤{fmt.number(low)}"), (float(high), f"{fmt.number(low)}–"
                                                                                  f"{fmt.number(high)}"),
                             (math.inf, f">{fmt.number(high)}")]}
    return {"skor_rri": [(math.inf, "tercatat")]}


CARD_BANDS = {
    "umur": [(20, "<21 th"), (24, "21–24 th"), (34, "25–34 th"), (44, "35–44 th"), (math.inf, "≥45 th")],
    "jumlah_pidana_sebelumnya": [(0, "0"), (1, "1"), (2, "2"), (4, "3–4"), (math.inf, "≥5")],
    "porsi_mangkir": [(0, "0%"), (0.25, "≤25%"), (math.inf, ">25%")],
    "mangkir_beruntun": [(0, "0"), (1, "1"), (math.inf, "≥2")],
    "jam_program": [(0, "0 jam"), (8, "≤8 jam"), (math.inf, ">8 jam")],
}


def card_inputs(inputs: pd.DataFrame, used: list[str], edges: dict) -> pd.DataFrame:
    """The scorecard's banded features: every feature a category a PK can read off the file."""
    out = pd.DataFrame(index=inputs.index)
    for name in _card_features(used):
        if FEATURES[name][1] == "category":
            out[name] = inputs[name]
        else:
            bands = CARD_BANDS.get(name) or edges[name]
            missing = "tidak ada jadwal" if name == "porsi_mangkir" else UNKNOWN
            out[name] = _bands(inputs[name], bands, missing)
    return out


def _card_features(used: list[str]) -> list[str]:
    """The RRI score joins the scorecard only when the RRI category is not available."""
    return [n for n in used if not (n == "skor_rri" and "kategori_rri" in used)]


# --- fitting --------------------------------------------------------------------------------------------------

def _select(build, X: pd.DataFrame, y: np.ndarray, seed: int) -> tuple[float, np.ndarray]:
    """The regularisation strength with the lowest inner cross-validated log loss, and its out-of-fold logits."""
    folds = StratifiedKFold(INNER_FOLDS, shuffle=True, random_state=seed)
    logits = np.zeros((len(CS), len(y)))
    for train, test in folds.split(X, y):
        design = build().fit(X.iloc[train])
        a, b = design.transform(X.iloc[train]), design.transform(X.iloc[test])
        model = LogisticRegression(max_iter=2000, warm_start=True)
        for i, c in enumerate(CS):
            model.set_params(C=c).fit(a, y[train])
            logits[i, test] = model.decision_function(b)
    p = np.clip(expit(logits), 1e-12, 1 - 1e-12)
    loss = -(y * np.log(p) + (1 - y) * np.log(1 - p)).mean(axis=1)
    best = int(np.argmin(loss))
    return float(CS[best]), logits[best]


def _logistic_1d(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Intercept and slope of an (almost) unpenalised logistic regression of y on one variable."""
    model = LogisticRegression(C=1e6, max_iter=1000).fit(x.reshape(-1, 1), y)
    return float(model.intercept_[0]), float(model.coef_[0, 0])


@dataclass
class Model:
    """The regularised logistic regression with its Platt recalibration."""

    pipeline: Pipeline
    calibration: tuple[float, float]
    C: float
    used: list[str]
    means: np.ndarray = field(repr=False)

    def logit(self, inputs: pd.DataFrame) -> np.ndarray:
        a, b = self.calibration
        return a + b * self.pipeline.decision_function(inputs)

    def predict(self, inputs: pd.DataFrame) -> np.ndarray:
        return expit(self.logit(inputs))

    def contributions(self, inputs: pd.DataFrame) -> pd.DataFrame:
        """Each feature's part of the calibrated logit, relative to the training mean (one column per feature)."""
        design = self.pipeline.named_steps["desain"]
        z = design.transform(inputs)
        coef = self.pipeline.named_steps["lr"].coef_[0] * self.calibration[1]
        out = {}
        for name in self.used:
            part = design.slices_[name]
            out[name] = (z[:, part] - self.means[part]) @ coef[part]
        return pd.DataFrame(out, index=inputs.index)

    def coefficients(self) -> pd.DataFrame:
        design = self.pipeline.named_steps["desain"]
        coef = self.pipeline.named_steps["lr"].coef_[0]
        return pd.DataFrame([{"fitur": name, "label": FEATURES[name][0], "kolom": column, "koefisien": float(c)}
                             for (name, column), c in zip(design.names_, coef)])


def fit_model(inputs: pd.DataFrame, y: np.ndarray, used: list[str], seed: int = SEED) -> Model:
    """Regularisation by inner CV, Platt recalibration on the inner out-of-fold logits, refit on all rows."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        c, inner = _select(lambda: Design(_kinds(used)), inputs, y, seed)
        calibration = _logistic_1d(inner, y)
        pipeline = Pipeline([("desain", Design(_kinds(used))), ("lr", LogisticRegression(C=c, max_iter=2000))])
        pipeline.fit(inputs, y)
    means = pipeline.named_steps["desain"].transform(inputs).mean(axis=0)
    return Model(pipeline, calibration, c, list(used), means)


@dataclass
class Scorecard:
    """Integer points per band, and the risk of each total (a logistic fit on the total points)."""

    points: dict[str, dict[str, int]]
    calibration: tuple[float, float]
    edges: dict
    used: list[str]
    C: float

    def total(self, inputs: pd.DataFrame) -> np.ndarray:
        bands = card_inputs(inputs, self.used, self.edges)
        total = np.zeros(len(bands))
        for name, table in self.points.items():
            rare = table.get(RARE, 0)  # a level not seen in training scores as the pooled rare levels (or 0)
            total += np.fromiter((table.get(v, rare) for v in bands[name].to_numpy(dtype=object)), dtype=float,
                                 count=len(bands))
        return total

    def predict(self, inputs: pd.DataFrame) -> np.ndarray:
        a, b = self.calibration
        return expit(a + b * self.total(inputs))

    def table(self) -> pd.DataFrame:
        """One row per feature band: its points (bands in their natural order, rare and unknown last)."""
        rows = []
        for name, table in self.points.items():
            bands = CARD_BANDS.get(name) or self.edges.get(name) or []
            natural = [label for _, label in bands]
            order = sorted(table, key=lambda v: (v in (RARE, UNKNOWN, "tidak ada jadwal"),
                                                 natural.index(v) if v in natural else len(natural), v))
            rows += [{"fitur": name, "label": FEATURES[name][0], "kelompok": v, "poin": table[v]} for v in order]
        return pd.DataFrame(rows)


def fit_scorecard(inputs: pd.DataFrame, y: np.ndarray, used: list[str], edges: dict, seed: int = SEED) -> Scorecard:
    """The banded model (strength by inner CV), its coefficients scaled so the strongest feature spans 10 points."""
    bands = card_inputs(inputs, used, edges)
    kinds = tuple((n, "category" if FEATURES[n][1] == "category" else "band") for n in bands.columns)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        c, _ = _select(lambda: Design(kinds), bands, y, seed)
        design = Design(kinds).fit(bands)
        lr = LogisticRegression(C=c, max_iter=2000).fit(design.transform(bands), y)
    coef, shifted = lr.coef_[0], {}
    for name in bands.columns:
        part = design.slices_[name]
        values = coef[part]
        shifted[name] = dict(zip([label for _, label in design.names_[part]], values - values.min()))
    spread = max((max(v.values()) for v in shifted.values()), default=0.0)
    unit = spread / 10 if spread > 0 else 1.0
    points = {n: {level: int(round(v / unit)) for level, v in table.items()} for n, table in shifted.items()}
    card = Scorecard(points, (0.0, 0.0), edges, list(used), c)
    total = card.total(inputs)
    card.calibration = _logistic_1d(total, y) if np.ptp(total) > 0 else (float(np.log(y.mean() / (1 - y.mean()))),
                                                                         0.0)
    return card


# --- metrics --------------------------------------------------------------------------------------------------

def auc(y: np.ndarray, p: np.ndarray) -> float | None:
    """Area under the ROC curve (Mann–Whitney, ties counted half); None with one class only."""
    y = np.asarray(y)
    n1 = int(y.sum())
    n0 = len(y) - n1
    if n1 == 0 or n0 == 0:
        return None
    ranks = rankdata(p)
    return float((ranks[y == 1].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def brier(y: np.ndarray, p: np.ndarray) -> float:
    return float(np.mean((np.asarray(p) - np.asarray(y)) ** 2))


def _bin_index(p: np.ndarray, bins: int = ECE_BINS) -> np.ndarray:
    return np.minimum((np.asarray(p) * bins).astype(int), bins - 1)


def ece(y: np.ndarray, p: np.ndarray, bins: int = ECE_BINS) -> float:
    """Expected calibration error over equal-width bins: Σ n_b/n · |observed_b − predicted_b|."""
    y, p = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    index = _bin_index(p, bins)
    total = 0.0
    for b in range(bins):
        mask = index == b
        if mask.any():
            total += mask.sum() / len(y) * abs(y[mask].mean() - p[mask].mean())
    return float(total)


def calibration_table(y: np.ndarray, p: np.ndarray, bins: int = ECE_BINS) -> pd.DataFrame:
    """Per non-empty bin: cases, mean predicted risk, observed rate with a Wilson 95% interval."""
    y, p = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    index = _bin_index(p, bins)
    rows = []
    for b in range(bins):
        mask = index == b
        n = int(mask.sum())
        if not n:
            continue
        k = float(y[mask].sum())
        lo, hi = _wilson(k, n)
        rows.append({"bin": f"{fmt.number(b / bins, 1)}–{fmt.number((b + 1) / bins, 1)}", "n": n,
                     "kejadian": int(k), "prediksi": float(p[mask].mean()), "teramati": k / n,
                     "teramati_bawah": lo, "teramati_atas": hi})
    return pd.DataFrame(rows, columns=["bin", "n", "kejadian", "prediksi", "teramati", "teramati_bawah",
                                       "teramati_atas"])


def _wilson(k: float, n: int, z: float = 1.96) -> tuple[float, float]:
    if n == 0:
        return (float("nan"), float("nan"))
    phat = k / n
    centre = (phat + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(phat * (1 - phat) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def _resample_weights(n: int, reps: int, seed: int):
    """Chunks of bootstrap weights: how often each case is drawn in each resample (rows = resamples)."""
    rng = np.random.default_rng(seed)
    chunk = max(1, 1_000_000 // max(n, 1))  # ~8 MB of weights per chunk: a national bootstrap stays small
    for first in range(0, reps, chunk):
        rows = min(chunk, reps - first)
        idx = rng.integers(0, n, (rows, n))
        yield np.stack([np.bincount(r, minlength=n) for r in idx]).astype(float)


def _weighted_auc(weights: np.ndarray, y: np.ndarray, score: np.ndarray) -> np.ndarray:
    """AUC (ties half) of one score under each row of case weights, from one sort of the score."""
    order = np.argsort(score, kind="stable")
    s, yy = score[order], y[order]
    w = weights[:, order]
    bounds = np.flatnonzero(np.r_[True, s[1:] != s[:-1]])
    pos = np.add.reduceat(w * yy, bounds, axis=1)
    neg = np.add.reduceat(w * (1 - yy), bounds, axis=1)
    below = np.cumsum(neg, axis=1) - neg
    n1, n0 = pos.sum(axis=1), neg.sum(axis=1)
    ok = (n1 > 0) & (n0 > 0)
    return np.where(ok, (pos * (below + neg / 2)).sum(axis=1) / np.where(ok, n1 * n0, 1), np.nan)


def _bootstrap_auc(y: np.ndarray, scores: list[np.ndarray], seed: int = SEED, reps: int = BOOTSTRAP) -> np.ndarray:
    """AUC of each score on `reps` case resamples (the same resamples for every score): shape (reps, scores)."""
    y = np.asarray(y, dtype=float)
    parts = [np.column_stack([_weighted_auc(w, y, np.asarray(sc, dtype=float)) for sc in scores])
             for w in _resample_weights(len(y), reps, seed)]
    return np.vstack(parts)


def _bootstrap_metrics(y: np.ndarray, p: np.ndarray, seed: int = SEED, reps: int = BOOTSTRAP) -> dict:
    """Percentile 95% intervals of AUC, Brier and ECE over case resamples."""
    y, p = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    n = len(y)
    onehot = np.eye(ECE_BINS)[_bin_index(p)]
    aucs, briers, eces = [], [], []
    for w in _resample_weights(n, reps, seed):
        aucs.append(_weighted_auc(w, y, p))
        briers.append(w @ ((p - y) ** 2) / n)
        eces.append(np.abs((w * y) @ onehot - (w * p) @ onehot).sum(axis=1) / n)
    return {"auc_ci": _interval(np.concatenate(aucs)), "brier_ci": _interval(np.concatenate(briers)),
            "ece_ci": _interval(np.concatenate(eces))}


def _interval(values: np.ndarray) -> list[float] | None:
    values = values[~np.isnan(values)]
    if not len(values):
        return None
    return [float(np.quantile(values, 0.025)), float(np.quantile(values, 0.975))]


def _rates_at(y: np.ndarray, p: np.ndarray, threshold: float) -> tuple[float | None, float | None]:
    """False-positive and false-negative rate when «risk ≥ threshold» is flagged."""
    flagged = p >= threshold
    negatives, positives = (y == 0).sum(), (y == 1).sum()
    fpr = float((flagged & (y == 0)).sum() / negatives) if negatives else None
    fnr = float((~flagged & (y == 1)).sum() / positives) if positives else None
    return fpr, fnr


def band_of(p: np.ndarray, cutoffs: tuple[float, float]) -> np.ndarray:
    return np.array(BANDS, dtype=object)[np.digitize(p, cutoffs)]


# --- validation -----------------------------------------------------------------------------------------------

@dataclass
class Validation:
    """The figures of one validation run: a JSON-ready report plus the tables behind the page's model card."""

    report: dict
    cases: pd.DataFrame = field(default_factory=pd.DataFrame)       # eligible cases with y and out-of-fold risks
    calibration: pd.DataFrame = field(default_factory=pd.DataFrame)
    coefficients: pd.DataFrame = field(default_factory=pd.DataFrame)
    points: pd.DataFrame = field(default_factory=pd.DataFrame)
    points_risk: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def ok(self) -> bool:
        return self.report["status"] == "ok"


# the case frame's columns a fit keeps (survival curves and who can be scored); the rest is dropped after fitting
FRAME_KEPT = ("kode_bapas", "no_register", "mulai", "titik", "akhir_jendela", "akhir_efektif", "status",
              "tanggal_status", "tanggal_gagal", "gagal", "kehadiran_mulai", "kategori_rri", "program_integrasi",
              "kegiatan_hadir")


@dataclass
class Fit:
    """A validation with its final model and scorecard, and every case scored where it can be."""

    validation: Validation
    model: Model | None
    card: Scorecard | None
    scores: pd.DataFrame      # one row per case: keys, titik, dapat_dinilai, risiko, kategori_model, faktor_utama
    frame: pd.DataFrame       # case_frame
    as_of: dt.date
    prediction_months: int
    version: str = ""         # the data version it was fitted on (db.data_version)


def _groups(cases: pd.DataFrame, threshold: float) -> list[dict]:
    rows = []
    for column, label, values in (("jenis_kelamin", "Jenis kelamin", None), ("kelompok_umur", "Kelompok umur",
                                                                              AGE_GROUPS)):
        series = cases[column].astype(object).where(cases[column].notna(), UNKNOWN)
        levels = [v for v in (values or sorted(series.unique())) if (series == v).any()]
        if UNKNOWN in set(series) and UNKNOWN not in levels:
            levels.append(UNKNOWN)
        for value in levels:
            part = cases[series == value]
            y, p = part["y"].to_numpy(), part["risiko_oof"].to_numpy()
            fpr, fnr = _rates_at(y, p, threshold)
            rows.append({"group": label, "value": value, "n": int(len(part)), "events": int(y.sum()),
                         "base_rate": float(y.mean()), "mean_predicted": float(p.mean()), "auc": auc(y, p),
                         "fpr": fpr, "fnr": fnr})
    return rows


def _rri(cases: pd.DataFrame, oof: np.ndarray) -> dict:
    """The recorded RRI's AUC on the cases that have it, beside the model's on the same cases."""
    score = cases["skor_rri"]
    category = cases["kategori_rri"].map({"Rendah": 0, "Sedang": 1, "Tinggi": 2})
    has_score, has_category = score.notna(), category.notna()
    if not has_score.any() and not has_category.any():
        return {"rri_auc": None}
    use_score = has_score.mean() >= has_category.mean()
    recorded = (score if use_score else category).astype(float)
    mask = recorded.notna().to_numpy()
    y = cases["y"].to_numpy()[mask]
    out = {"rri_basis": "skor_rri" if use_score else "kategori_rri", "rri_n": int(mask.sum()),
           "rri_events": int(y.sum()), "rri_auc": auc(y, recorded.to_numpy()[mask]),
           "rri_kategori_auc": None, "model_auc_rri_cases": auc(y, oof[mask])}
    if has_category.any():
        cmask = has_category.to_numpy()
        out["rri_kategori_auc"] = auc(cases["y"].to_numpy()[cmask], category.to_numpy(dtype=float)[cmask])
    if out["rri_auc"] is not None and out["model_auc_rri_cases"] is not None:
        boot = _bootstrap_auc(y, [oof[mask], recorded.to_numpy()[mask]], SEED + 2)
        out["rri_auc_ci"] = _interval(boot[:, 1])
        out["auc_diff"] = out["model_auc_rri_cases"] - out["rri_auc"]
        out["auc_diff_ci"] = _interval(boot[:, 0] - boot[:, 1])
    return out


def _holdout(cases: pd.DataFrame, inputs: pd.DataFrame, used: list[str], horizon: int, as_of: dt.date) -> dict:
    """Fit on older start cohorts, test on the newest complete one (start year; else the newest quarter of cases)."""
    start = cases["mulai"]
    years = start.dt.year
    y = cases["y"].to_numpy()
    complete = [int(v) for v in sorted(years.unique())
                if (pd.Timestamp(int(v), 12, 31) + pd.DateOffset(months=horizon)).date() <= as_of]
    test = None
    if len(complete) >= 2:
        year = complete[-1]
        test, label = (years == year).to_numpy(), f"kohort mulai {year}"
        train = (years < year).to_numpy()
        if y[train].sum() < MIN_EVENTS or y[test].sum() < MIN_HOLDOUT_EVENTS:
            test = None
    if test is None:
        cut = start.sort_values().iloc[int(len(start) * 0.75)]
        test = (start >= cut).to_numpy()
        train = ~test
        label = f"25% kasus termuda (mulai {fmt.date(cut.date())} s.d. {fmt.date(start.max().date())})"
    base = {"cohort": label, "train_n": int(train.sum()), "train_events": int(y[train].sum()),
            "train_until": start[train].max().date().isoformat() if train.any() else None,
            "test_n": int(test.sum()), "test_events": int(y[test].sum())}
    if y[train].sum() < MIN_EVENTS or (len(y[train]) - y[train].sum()) < MIN_EVENTS:
        return {**base, "done": False, "reason": f"kohort lama memiliki kurang dari {MIN_EVENTS} kejadian"}
    if y[test].sum() < MIN_HOLDOUT_EVENTS or (test.sum() - y[test].sum()) < MIN_HOLDOUT_EVENTS:
        return {**base, "done": False, "reason": f"kohort uji memiliki kurang dari {MIN_HOLDOUT_EVENTS} kejadian"}
    model = fit_model(inputs[train], y[train], used)
    p = model.predict(inputs[test])
    yt = y[test]
    return {**base, "done": True, "test_from": start[test].min().date().isoformat(), "auc": auc(yt, p),
            "auc_ci": _interval(_bootstrap_auc(yt, [p], SEED + 3)[:, 0]), "brier": brier(yt, p), "ece": ece(yt, p),
            "mean_predicted": float(p.mean()), "observed": float(yt.mean())}


def _not_enough(report: dict, reason: str) -> Validation:
    report.update(status="tidak_cukup_data", reason=reason, auc=None, auc_ci=None, brier=None, ece=None, groups=[],
                  rri_auc=None, holdout=None)
    return Validation(report)


def _fit(horizon: int, include_revocations: bool, prediction_months: int | None, db_path: Path | None) -> Fit:
    started = time.perf_counter()
    as_of = data_date(db_path)
    months = (PREDICTION_MONTHS if has_attendance(db_path) else 0) if prediction_months is None else prediction_months
    dynamic = months > 0
    frame = case_frame(horizon, include_revocations, months, as_of, db_path)
    reason = exclusion_reason(frame, as_of, dynamic)
    eligible = frame[reason.isna()].copy()
    eligible["y"] = eligible["gagal"].astype(int)
    features = _available(eligible, dynamic)
    used = [f["name"] for f in features if f["used"]]
    y = eligible["y"].to_numpy()
    events = int(y.sum())
    report = {
        "status": "ok", "reason": None, "horizon": horizon, "include_revocations": include_revocations,
        "prediction_months": months, "as_of": as_of.isoformat(),
        "definitions": definitions(horizon, include_revocations, months),
        "n_cases": int(len(frame)), "n": int(len(eligible)), "events": events,
        "base_rate": float(y.mean()) if len(y) else None,
        "excluded": {code: int((reason == code).sum()) for code in EXCLUSIONS},
        "excluded_labels": dict(EXCLUSIONS), "features": features, "min_events": MIN_EVENTS,
    }
    empty_scores = _unscored(frame, as_of, dynamic)
    if not len(y):
        unobserved = report["excluded"]["belum_teramati"] == len(frame) > 0
        why = (f"teramati penuh selama {horizon} bulan sejak mulai bimbingan (tanggal data {fmt.date(as_of)}); pilih "
               "jendela yang lebih pendek atau muat kasus yang lebih lama" if unobserved
               else "memenuhi syarat (alasannya di rincian kasus yang tidak dipakai)")
        none = (f"tidak satu pun dari {fmt.number(len(frame))} kasus {why}" if len(frame)
                else "belum ada kasus yang mulai bimbingan")
        validation = _not_enough(report, f"Tidak cukup data untuk validasi: {none}. Model tidak ditampilkan.")
        return Fit(validation, None, None, empty_scores, frame[list(FRAME_KEPT)], as_of, months)
    if min(events, len(y) - events) < MIN_EVENTS:
        which = "kejadian kegagalan" if events < len(y) - events else "kasus tanpa kegagalan"
        validation = _not_enough(report, f"Tidak cukup data untuk validasi: {fmt.number(min(events, len(y) - events))} "
                                         f"{which} di antara {fmt.number(len(y))} kasus yang memenuhi syarat "
                                         f"(perlu ≥ {MIN_EVENTS}). Model tidak ditampilkan.")
        return Fit(validation, None, None, empty_scores, frame[list(FRAME_KEPT)], as_of, months)
    if not used:
        validation = _not_enough(report, "Tidak cukup data untuk validasi: tidak ada fitur yang cukup terisi.")
        return Fit(validation, None, None, empty_scores, frame[list(FRAME_KEPT)], as_of, months)

    inputs = model_inputs(eligible, used)
    edges = _card_edges(eligible)
    oof, oof_card = np.zeros(len(y)), np.zeros(len(y))
    for train, test in StratifiedKFold(FOLDS, shuffle=True, random_state=SEED).split(inputs, y):
        oof[test] = fit_model(inputs.iloc[train], y[train], used).predict(inputs.iloc[test])
        oof_card[test] = fit_scorecard(inputs.iloc[train], y[train], used, edges).predict(inputs.iloc[test])
    cutoffs = tuple(float(v) for v in np.quantile(oof, BAND_QUANTILES))
    eligible["risiko_oof"], eligible["risiko_kartu_oof"] = oof, oof_card
    eligible["kategori_oof"] = band_of(oof, cutoffs)

    model = fit_model(inputs, y, used)
    card = fit_scorecard(inputs, y, used, edges)
    calibration = calibration_table(y, oof)
    report.update({
        "auc": auc(y, oof), "brier": brier(y, oof), "ece": ece(y, oof), **_bootstrap_metrics(y, oof),
        "calibration": calibration.to_dict("records"),
        "threshold": cutoffs[1], "cutoffs": {"sedang": cutoffs[0], "tinggi": cutoffs[1]},
        "groups": _groups(eligible, cutoffs[1]),
        "C": model.C, "recalibration": {"intercept": model.calibration[0], "slope": model.calibration[1]},
        "scorecard": {"auc": auc(y, oof_card), "auc_ci": _interval(_bootstrap_auc(y, [oof_card], SEED + 4)[:, 0]),
                      "brier": brier(y, oof_card), "ece": ece(y, oof_card), "C": card.C,
                      "points": {n: t for n, t in card.points.items()},
                      "max_points": int(sum(max(t.values()) for t in card.points.values())),
                      "intercept": card.calibration[0], "slope": card.calibration[1]},
        **_rri(eligible, oof),
        "holdout": _holdout(eligible, inputs, used, horizon, as_of),
    })
    totals = np.arange(0, report["scorecard"]["max_points"] + 1)
    points_risk = pd.DataFrame({"poin": totals, "risiko": expit(card.calibration[0] + card.calibration[1] * totals)})
    scores = _scores(frame, as_of, dynamic, model, cutoffs)
    report["seconds"] = round(time.perf_counter() - started, 2)
    keep = ["kode_bapas", "no_register", "mulai", "jenis_kelamin", "kelompok_umur", "y", "risiko_oof",
            "risiko_kartu_oof", "kategori_oof", "skor_rri", "kategori_rri", "jam_program", "kegiatan_hadir", *used]
    validation = Validation(report, eligible[list(dict.fromkeys(keep))].reset_index(drop=True), calibration,
                            model.coefficients(), card.table(), points_risk)
    return Fit(validation, model, card, scores, frame[list(FRAME_KEPT)], as_of, months)


def _unscored(frame: pd.DataFrame, as_of: dt.date, dynamic: bool) -> pd.DataFrame:
    scorable = _scorable(frame, as_of, dynamic)
    reached = frame["titik"] <= pd.Timestamp(as_of)
    return pd.DataFrame({"kode_bapas": frame["kode_bapas"], "no_register": frame["no_register"],
                         "titik": frame["titik"], "dapat_dinilai": scorable, "risiko": np.nan,
                         "kategori_model": np.where(~reached, NOT_YET, np.where(scorable, NO_MODEL, NOT_SCORED)),
                         "faktor_utama": ""})


def _scores(frame: pd.DataFrame, as_of: dt.date, dynamic: bool, model: Model, cutoffs) -> pd.DataFrame:
    """Every scorable case scored with the final model, with its top three factors that raise the risk."""
    out = _unscored(frame, as_of, dynamic)
    mask = out["dapat_dinilai"].to_numpy()
    if mask.any():
        part = frame.loc[mask, model.used]
        inputs = model_inputs(part, model.used)
        risk = model.predict(inputs)
        out.loc[mask, "risiko"] = risk
        out.loc[mask, "kategori_model"] = band_of(risk, cutoffs)
        # in slices: the design matrix and the factor texts of 455k cases at once would add ~0.3 GB to the peak
        factors = [text for lo in range(0, len(part), FACTOR_CHUNK)
                   for text in top_factors(model, part.iloc[lo:lo + FACTOR_CHUNK], inputs.iloc[lo:lo + FACTOR_CHUNK])]
        out.loc[mask, "faktor_utama"] = factors
    return out


def top_factors(model: Model, part: pd.DataFrame, inputs: pd.DataFrame, k: int = 3, floor: float = 0.05) -> list[str]:
    """Per case, the (up to) k features that raise its risk most above the average case, as Indonesian text."""
    contrib = model.contributions(inputs)
    values = contrib.to_numpy()
    texts = np.column_stack([_factor_texts(name, part[name]) for name in contrib.columns])
    order = np.argsort(-values, axis=1)[:, :k]
    return ["; ".join(texts[i, j] for j in row if values[i, j] > floor) for i, row in enumerate(order)]


def _factor_texts(name: str, values: pd.Series) -> np.ndarray:
    """One feature's value of each case as the words of a top factor."""
    short = FEATURES[name][3]
    shown = {
        "umur": lambda v: f"Umur {fmt.number(v)} th",
        "jumlah_pidana_sebelumnya": lambda v: f"Pidana sebelumnya: {fmt.number(v)}",
        "porsi_mangkir": lambda v: f"Mangkir {fmt.percent(v, 0)} wajib lapor awal",
        "mangkir_beruntun": lambda v: f"Mangkir beruntun awal: {fmt.number(v)}×",
        "jam_program": lambda v: f"Jam kegiatan awal: {fmt.number(v, 1)}",
        "skor_rri": lambda v: f"Skor RRI {fmt.number(v)}",
    }.get(name, lambda v: f"{short}: {fmt.code(v)}")
    codes, uniques = pd.factorize(values)  # each distinct value written once (455k cases at national scale)
    texts = np.array([shown(v) for v in uniques] + [f"{short}: {UNKNOWN.lower()}"], dtype=object)
    return texts[codes]  # a missing value has code -1: the last text


_FITTING = threading.Lock()    # one fit at a time in a process: each takes seconds to minutes and memory
_STATE = threading.Lock()      # guards the dictionaries below (held only for dictionary operations)
_FITS: dict[tuple, Fit] = {}   # (path, horizon, revocations, months) -> the newest fit; older versions dropped
_REFITS: set[tuple] = set()    # keys being refitted in the background
_FAILED: dict[tuple, Exception] = {}  # keys whose background fit failed: the next page view says why, then retries
_WAITING: dict[tuple, _SharedFit] = {}  # keys whose refit waits for, or loads, another server's fit (see _turn)
_SECRETS: dict[str, bytes] = {}  # accounts store -> the signing key derived from its secret (read once)
PATIENCE = 20.0                # seconds a page waits for a first fit before saying it is being trained
MAX_FITS = 4                   # fits kept per process (one per window/revocation choice in use)
SHARED_WAIT = 20 * 60.0        # seconds a server waits for another server fitting the same version, then fits itself
SHARED_KEEP_DAYS = 7           # shared fits, locks and leftovers nobody wrote or loaded for this long are removed
SHARED_MAX_BYTES = 2 ** 30     # a larger file is refused unread (a national fit is ~35 MB)
_MAGIC = b"BAPAS-RISIKO-FIT-1\n"
_MAC_BYTES = hashlib.sha256().digest_size
_SIGNING = b"bapas/risiko/model-bersama"  # derives the signing key: never the pseudonym secret itself
_log = logging.getLogger(__name__)


def _key(horizon: int, include_revocations: bool, prediction_months: int | None, db_path: Path | None) -> tuple:
    if horizon not in HORIZONS:
        raise ValueError(f"horizon harus salah satu dari {HORIZONS}")
    path = Path(db_path) if db_path else config.db_path()
    if not db.is_database(path):  # the DuckDB file or a Parquet dataset folder
        raise db.DataUnavailable(f"basis data belum ada: {path}")
    return str(path), int(horizon), bool(include_revocations), prediction_months


def _kept(key: tuple) -> Fit | None:
    with _STATE:
        return _FITS.get(key)


def _keep(key: tuple, fit: Fit) -> None:
    with _STATE:
        _FITS.pop(key, None)  # the replaced fit goes once no page holds it
        _FITS[key] = fit
        while len(_FITS) > MAX_FITS:
            _FITS.pop(next(iter(_FITS)))


# --- one fit per data version for every app server (config.model_folder) -------------------------------------------

class _Signed:
    """A file that feeds what is written to it into an HMAC."""

    def __init__(self, file, mac):
        self.file, self.mac = file, mac

    def write(self, data) -> int:
        self.mac.update(data)
        return self.file.write(data)


@dataclass(frozen=True)
class _SharedFit:
    """The fit of one key and data version in the shared folder: magic, HMAC-SHA256, then joblib's zlib pickle."""

    path: Path
    version: str    # the data version (db.data_version) the name stands for
    secret: bytes

    def _mac(self):
        # the name (key, data, code) is signed too: a valid file copied under another version's name is refused
        return hmac.new(self.secret, _MAGIC + self.path.name.encode(), hashlib.sha256)

    def load(self) -> Fit | None:
        """The stored fit, or None when there is none or it is refused; nothing is unpickled before it verifies."""
        try:
            with self.path.open("rb") as fh:
                if os.fstat(fh.fileno()).st_size > SHARED_MAX_BYTES:
                    _log.warning("model risiko bersama ditolak, berkasnya terlalu besar: %s", self.path)
                    return None
                head, payload = fh.read(len(_MAGIC) + _MAC_BYTES), fh.read()
        except FileNotFoundError:
            return None
        except OSError as exc:
            _log.info("model risiko bersama tidak dapat dibaca (%s): %s", self.path, exc)
            return None
        mac = self._mac()
        mac.update(payload)
        if head[:len(_MAGIC)] != _MAGIC or not hmac.compare_digest(head[len(_MAGIC):], mac.digest()):
            _log.warning("model risiko bersama ditolak, tanda tangannya tidak cocok (berkas diubah, atau kunci_model "
                         "berbeda antar-server): %s; model dilatih di server ini", self.path)
            return None
        try:
            fit = joblib.load(io.BytesIO(payload))
        except Exception:  # noqa: BLE001 - signed by this release yet unreadable: fit instead
            _log.exception("model risiko bersama tidak dapat dimuat: %s", self.path)
            return None
        if not isinstance(fit, Fit):
            _log.warning("model risiko bersama ditolak, isinya bukan model: %s", self.path)
            return None
        try:
            os.utime(self.path)  # in use: spared by the clean-up
        except OSError:
            pass
        return fit

    def save(self, fit: Fit) -> None:
        """Write the fit under its name (a temporary file, then os.replace); a failure is logged, never raised."""
        folder = self.path.parent
        try:
            handle, temporary = tempfile.mkstemp(prefix=".risiko-", suffix=".sementara", dir=folder)  # mode 0600
        except OSError as exc:
            _log.info("folder model risiko bersama tidak dapat ditulis (%s): %s; model ini hanya ada di server ini",
                      folder, exc)
            return
        try:
            with os.fdopen(handle, "wb") as fh:
                fh.write(_MAGIC + bytes(_MAC_BYTES))
                signed = _Signed(fh, self._mac())
                joblib.dump(fit, signed, compress=("zlib", 1))  # signed as written; zlib: ~5× smaller, fast
                fh.seek(len(_MAGIC))
                fh.write(signed.mac.digest())
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(temporary, self.path)
        except Exception as exc:  # noqa: BLE001 - the fit is kept in this process whatever happens here
            if isinstance(exc, OSError):  # a read-only or full share
                _log.info("model risiko bersama tidak dapat ditulis (%s): %s; model ini hanya ada di server ini",
                          self.path, exc)
            else:
                _log.exception("model risiko bersama tidak dapat ditulis: %s", self.path)
            try:
                os.unlink(temporary)
            except OSError:
                pass
            return
        _clean(folder)

    def lock(self) -> FileLock | None:
        """The lock of this version's turn to fit, or None when the folder cannot be written."""
        path = self.path.with_name(self.path.name + ".kunci")
        try:  # made here: FileLock would retry a folder it cannot write until its timeout
            os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
        except OSError:
            return None
        return FileLock(str(path))


def _clean(folder: Path) -> None:
    """Remove the shared fits, locks and leftovers that nobody has written or loaded for SHARED_KEEP_DAYS."""
    cutoff = time.time() - SHARED_KEEP_DAYS * 86400
    for path in [*folder.glob("risiko-*"), *folder.glob(".risiko-*")]:
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass


@lru_cache(maxsize=1)
def _code_version() -> str:
    """The code and libraries a fit depends on: a new release never loads a fit made by an older one."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(platform.python_version().encode())
    for path in sorted([*root.glob("analytics/*.py"), *root.glob("etl/*.py"), *root.glob("etl/sql/*.sql")]):
        digest.update(b"\0" + path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    for name in ("numpy", "pandas", "pyarrow", "scipy", "scikit-learn", "joblib", "duckdb"):
        try:
            digest.update(f"\0{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"\0{name}=-".encode())
    return digest.hexdigest()[:16]


_code_version()  # now: the code this process runs, not files a new release puts under it later


def _secret() -> bytes | None:
    """The key that signs shared fits: from `kunci_model` (servers on several machines), else from the accounts
    store's random secret (servers sharing one store on one machine); None: fits are not shared."""
    try:
        own = config.model_key()
    except ValueError as exc:
        _log.warning("%s; model risiko tidak dibagi antar-server", exc)
        return None
    if own:
        return hmac.new(own, _SIGNING, hashlib.sha256).digest()
    store = config.akses_path()
    with _STATE:
        derived = _SECRETS.get(str(store))
    if derived is not None:
        return derived
    if not store.is_file():  # never made here: the command line runs without an accounts store
        _log.info("model risiko tidak dibagi antar-server: kunci_model tidak diatur dan penyimpanan akun %s belum "
                  "ada", store)
        return None
    from analytics import accounts
    try:
        secret = accounts.Store(store).pseudonym_secret()
    except Exception as exc:  # noqa: BLE001 - an unreadable store only means fits are not shared
        _log.info("model risiko tidak dibagi antar-server: penyimpanan akun %s tidak terbaca: %s", store, exc)
        return None
    derived = hmac.new(secret, _SIGNING, hashlib.sha256).digest()
    with _STATE:
        _SECRETS[str(store)] = derived
    return derived


def _data_identity(path: Path, version: str) -> str | None:
    """The data as every server names it: a dataset's manifest (each export writes a new one; the servers may mount
    the share at different paths), else the database file and its version (servers on one machine)."""
    if path.is_dir():
        from etl.export import MANIFEST
        try:
            manifest = (path / MANIFEST).read_bytes()
        except OSError:
            return None
        if db.data_version(path) != version:  # a new export since `version` was read: the next refit asks again
            return None
        return "dataset " + hashlib.sha256(manifest).hexdigest()
    return f"file {path.resolve()} {version}"


def _shared(key: tuple, version: str) -> _SharedFit | None:
    """Where the fit of `key` at data version `version` is shared, or None (no folder, no signing key)."""
    path, horizon, include_revocations, prediction_months = key
    folder = config.model_folder(Path(path))
    if folder is None:
        return None
    secret = _secret()
    if secret is None:
        return None
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        _log.info("folder model risiko bersama tidak tersedia (%s): %s; model dilatih di server ini saja", folder, exc)
        return None
    data = _data_identity(Path(path), version)
    if data is None:
        return None
    name = json.dumps([data, horizon, include_revocations, prediction_months, _code_version()])
    return _SharedFit(folder / f"risiko-{horizon}-{hashlib.sha256(name.encode()).hexdigest()[:40]}.fit", version,
                      secret)


def _turn(key: tuple, shared: _SharedFit) -> FileLock | None:
    """This server's turn to fit the version (a lock in the shared folder), or None when another server's fit has
    appeared meanwhile, the lock cannot be made, or the other server took longer than SHARED_WAIT."""
    with _STATE:
        _WAITING[key] = shared
    lock = shared.lock()
    if lock is None:
        return None
    deadline = time.monotonic() + SHARED_WAIT
    while not shared.path.is_file():
        if time.monotonic() > deadline:
            _log.info("model risiko: server lain belum selesai melatih %s setelah %.0f detik; dilatih di sini",
                      shared.path.name, SHARED_WAIT)
            return None
        try:
            lock.acquire(timeout=1.0)
        except Timeout:
            continue
        except OSError as exc:  # a share whose locks fail: fit without one (two servers may then fit at once)
            _log.info("model risiko: kunci %s tidak dapat diambil: %s", shared.path.name, exc)
            return None
        return lock
    return None


def _arriving(key: tuple, version: str) -> bool:
    """Whether another server's fit of `version` is in the shared folder and this process is about to load it."""
    with _STATE:
        shared = _WAITING.get(key)
    return shared is not None and shared.version == version and shared.path.is_file()


def _load_shared(key: tuple, shared: _SharedFit) -> Fit | None:
    fit = _kept(key)
    if fit is not None and fit.version == shared.version:
        return fit
    fit = shared.load()
    if fit is not None:
        fit.version = shared.version
        _keep(key, fit)
    return fit


def _fit_here(key: tuple, shared: _SharedFit | None) -> Fit:
    """Fit in this process (then share the fit), unless another thread has just done it while this one waited."""
    path, horizon, include_revocations, prediction_months = key
    with _FITTING:  # sessions asking at once wait for one fit instead of each fitting (seconds to minutes, GBs)
        version = db.data_version(Path(path))
        fit = _kept(key)
        if fit is not None and fit.version == version:
            return fit
        with _STATE:
            _WAITING.pop(key, None)  # fitted here: no other server's fit to wait for
        if shared is not None and shared.version != version:  # a load while this one waited
            shared = _shared(key, version)
        # small dense problems: one BLAS thread is several times faster than many competing for two cores
        with threadpool_limits(limits=1):
            fit = _fit(horizon, include_revocations, prediction_months, Path(path))
        fit.version = version
        _keep(key, fit)  # this server's pages need not wait for the write below
        if shared is not None and db.data_version(Path(path)) == version:  # else the fit may have read newer data
            shared.save(fit)
        return fit


def _refit(key: tuple) -> Fit:
    """The fit of the current data version for `key`: kept, else another server's from the shared folder (waiting
    for it while that server fits the same version), else fitted here and shared."""
    path = Path(key[0])
    while True:
        version = db.data_version(path)
        fit = _kept(key)
        if fit is not None and fit.version == version:
            return fit
        shared = _shared(key, version)
        if shared is None:
            return _fit_here(key, None)
        lock = _turn(key, shared)
        try:
            if db.data_version(path) != version:
                continue  # a load while this one waited: look for the new version's fit
            # loaded outside _FITTING: a fit of another window running here need not hold it up
            fit = _load_shared(key, shared)
            return fit if fit is not None else _fit_here(key, shared)
        finally:
            with _STATE:
                _WAITING.pop(key, None)
            if lock is not None:
                lock.release()


def _refit_in_background(key: tuple) -> None:
    with _STATE:
        if key in _REFITS:
            return
        _REFITS.add(key)

    def run() -> None:
        failed = None
        try:
            _refit(key)
        except Exception as exc:  # noqa: BLE001 - the page shows it (serving) and its next view tries again
            _log.exception("pelatihan ulang model risiko gagal")
            failed = exc
        finally:
            with _STATE:  # both at once: a view that sees the failure can start the next try
                _REFITS.discard(key)
                if failed is not None:
                    _FAILED[key] = failed
    threading.Thread(target=run, name="latih-ulang-risiko", daemon=True).start()


def fitted(horizon: int = DEFAULT_HORIZON, include_revocations: bool = False, prediction_months: int | None = None,
           db_path: Path | None = None, stale_ok: bool = False) -> Fit:
    """The fit for the current database version (kept in the process; a new load gives a new version).

    With `stale_ok`, after a load the fit of the previous version is returned at once while the new one is fitted
    in the background (the page says so, see `serving`); without it the caller waits for the current fit.
    """
    key = _key(horizon, include_revocations, prediction_months, db_path)
    fit = _kept(key)
    if fit is not None and fit.version == db.data_version(Path(key[0])):
        return fit
    if fit is not None and stale_ok:
        _refit_in_background(key)
        return fit
    return _refit(key)


def _failure(key: tuple) -> None:
    """Raise (once) the error of the last background fit of `key`, if it failed."""
    with _STATE:
        failed = _FAILED.pop(key, None)
    if failed is not None:
        raise failed


def serving(horizon: int = DEFAULT_HORIZON, include_revocations: bool = False, db_path: Path | None = None,
            patience: float | None = None) -> tuple[str | None, bool]:
    """The data version of the fit the page shows, and whether it is the current one (else a refit is running).

    The fit runs in the background. With no fit yet in this process the page waits up to `patience` seconds
    (PATIENCE; a small office's fit takes a few seconds) and then gets (None, False): a first fit at national
    scale takes minutes, and the page says so instead of hanging. A failed background fit is raised here. Another
    server's fit of the current version that has just appeared in the shared folder is waited for (it loads in
    seconds).
    """
    key = _key(horizon, include_revocations, None, db_path)
    _failure(key)
    fit = _kept(key)
    deadline = time.monotonic() + (PATIENCE if patience is None else patience)
    if fit is None:
        _refit_in_background(key)
        while (fit := _kept(key)) is None and time.monotonic() < deadline:
            _failure(key)
            time.sleep(0.05)
        if fit is None:
            _failure(key)
            return None, False
    version = db.data_version(Path(key[0]))
    if fit.version != version:
        _refit_in_background(key)
        while fit.version != version and _arriving(key, version) and time.monotonic() < deadline:
            time.sleep(0.05)
            fit = _kept(key) or fit
    return fit.version, fit.version == version


def ready(horizon: int = DEFAULT_HORIZON, include_revocations: bool = False, db_path: Path | None = None) -> bool:
    """Whether the page should run again: the kept fit is the current data version's, another server's fit of it
    has appeared in the shared folder, or its fit failed (never waits)."""
    key = _key(horizon, include_revocations, None, db_path)
    fit = _kept(key)
    with _STATE:
        failed = key in _FAILED
    version = db.data_version(Path(key[0]))
    return failed or (fit is not None and fit.version == version) or _arriving(key, version)


def forget() -> None:
    """Drop every kept fit and signing key (tests); fits in the shared folder stay."""
    with _STATE:
        _FITS.clear()
        _FAILED.clear()
        _SECRETS.clear()


def validate(horizon: int = DEFAULT_HORIZON, include_revocations: bool = False, prediction_months: int | None = None,
             db_path: Path | None = None, stale_ok: bool = False) -> Validation:
    """Validate the risk model on the cases observed for the whole window (see the module docstring)."""
    return fitted(horizon, include_revocations, prediction_months, db_path, stale_ok=stale_ok).validation


# --- the page's figures ---------------------------------------------------------------------------------------

def _clients_sql() -> str:
    return f"select * from v_klien k where {client_condition('k')}"


def distribution_window(filters: Filters) -> tuple[dt.date, dt.date]:
    """Months of the distribution chart: 24 months up to the end of the period (or the period when longer)."""
    start = add_months(filters.akhir.replace(day=1), -23)
    return min(start, filters.mulai.replace(day=1)), filters.akhir


RRI_ORDER = (*BANDS, UNKNOWN)
MODEL_ORDER = (*BANDS, NOT_YET, NOT_SCORED, NO_MODEL)


def risk_distribution(filters: Filters, viewer: Viewer, horizon: int = DEFAULT_HORIZON,
                      include_revocations: bool = False, db_path: Path | None = None,
                      stale_ok: bool = False) -> pd.DataFrame:
    """Active clients per month by recorded RRI and by model category: one row per basis × month × category."""
    fit = fitted(horizon, include_revocations, db_path=db_path, stale_ok=stale_ok)
    dari, akhir = distribution_window(filters)
    # counted in DuckDB with the model's scores joined in (millions of client-months at national scale)
    counts = db.frame(f"""
        with fk as ({_clients_sql()}),
        bulanan as (
            select b.bulan, k.kategori_rri, s.titik, s.kategori_model
            from v_klien_bulan b join fk k using (kode_bapas, no_register)
            left join skor s using (kode_bapas, no_register)
            where b.bulan between $dari and $akhir
        )
        select 'rri' as dasar, bulan,
               case when kategori_rri in (select unnest($pita)) then kategori_rri else $tidak_tercatat end as kategori,
               count(*) as klien
        from bulanan group by all
        union all
        select 'model', bulan,
               case when titik is null or titik > last_day(bulan) then $belum
                    when kategori_model = $belum then $tidak_dinilai else kategori_model end,
               count(*)
        from bulanan group by all""",
        {**filters.params(), "dari": dari, "pita": list(BANDS), "tidak_tercatat": UNKNOWN, "belum": NOT_YET,
         "tidak_dinilai": NOT_SCORED}, db_path, tables={"skor": fit.scores[["kode_bapas", "no_register", "titik",
                                                                            "kategori_model"]]})
    counts["bulan"] = pd.to_datetime(counts["bulan"])
    months = sorted(counts["bulan"].unique())
    frames = []
    for basis, order in (("rri", RRI_ORDER), ("model", MODEL_ORDER)):
        mine = counts[counts["dasar"] == basis].set_index(["bulan", "kategori"])["klien"]
        seen = set(mine.index.get_level_values("kategori"))
        present = [c for c in order if c in seen] or list(BANDS)
        grid = pd.MultiIndex.from_product([months, present], names=["bulan", "kategori"])
        part = mine.reindex(grid, fill_value=0).reset_index()
        part["klien"] = part["klien"].astype("int64")
        part["klien_aktif"] = part.groupby("bulan")["klien"].transform("sum")
        part["persen"] = part["klien"] / part["klien_aktif"].where(part["klien_aktif"] > 0)
        if viewer.suppressed and not part.empty:
            part = suppress_long(part.drop(columns="klien_aktif"), "klien", ["kategori", "bulan"],
                                 rate_cols={"persen": "klien"})
        else:
            part = part.drop(columns="klien_aktif").assign(**{HIDDEN_COL: False})
        frames.append(part.assign(dasar=basis))
    columns = ["dasar", "bulan", "kategori", "klien", "persen", HIDDEN_COL]
    if not frames or counts.empty:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def basis_rows(frame: pd.DataFrame, basis: str) -> pd.DataFrame:
    """The rows of one basis ("rri" or "model") of risk_distribution."""
    return frame[frame["dasar"] == basis].reset_index(drop=True)


_ACTIVE = """
with fk as ({clients}),
program as (
    select kode_bapas, no_register, max(tanggal) as program_terakhir
    from kehadiran
    where jenis_kegiatan not in ('WAJIB_LAPOR', 'KUNJUNGAN_RUMAH') and status_hadir in ('HADIR', 'TERLAMBAT')
      and tanggal <= $hari
    group by all
),
recorded as (  -- offices whose attendance records cover a month of the last 90 days: only there is "no activity"
    select distinct kode_bapas from bulan_tercatat     -- known (the stored table of v_bulan_tercatat)
    where bulan between date_trunc('month', $hari - to_days(""" + str(NO_PROGRAM_DAYS) + """)) and $hari
)
select k.kode_bapas as _kode_bapas, k.no_register as _no_register, {identity}, k.pk_nama,
       k.tanggal_mulai_bimbingan, k.tanggal_akhir_bimbingan, k.kategori_rri,
       coalesce(m.mangkir_saat_ini, 0) as mangkir_saat_ini, p.program_terakhir,
       k.kode_bapas in (select kode_bapas from recorded) as kehadiran_tercatat
from fk k
left join mangkir_beruntun m using (kode_bapas, no_register)
left join program p using (kode_bapas, no_register)
where k.tanggal_mulai_bimbingan <= $hari
  and (k.tanggal_akhir_efektif is null or k.tanggal_akhir_efektif >= $hari)
  and {scope}
"""


def _active_signals(fit: Fit, frame: pd.DataFrame) -> pd.DataFrame:
    day = pd.Timestamp(fit.as_of)
    frame = frame.merge(fit.scores.rename(columns={"kode_bapas": "_kode_bapas", "no_register": "_no_register"}),
                        on=["_kode_bapas", "_no_register"], how="left")
    for column in ("tanggal_mulai_bimbingan", "tanggal_akhir_bimbingan", "program_terakhir"):
        frame[column] = pd.to_datetime(frame[column])
    frame["hari_tanpa_program"] = (day - frame["program_terakhir"]).dt.days
    frame["sisa_hari"] = (frame["tanggal_akhir_bimbingan"] - day).dt.days
    under_long = frame["tanggal_mulai_bimbingan"] <= day - pd.Timedelta(days=NO_PROGRAM_DAYS)
    flags = {
        "MANGKIR": frame["mangkir_saat_ini"] >= 2,
        "RISIKO_TINGGI": frame["kategori_model"].eq("Tinggi"),
        "TANPA_PROGRAM": under_long & frame["kehadiran_tercatat"].astype(bool)
                         & (frame["program_terakhir"].isna() | (frame["hari_tanpa_program"] > NO_PROGRAM_DAYS)),
        "SEGERA_BERAKHIR": frame["sisa_hari"].between(0, ENDING_DAYS),
    }
    for code, flag in flags.items():
        frame[code] = flag.fillna(False).astype(bool)
    frame["jumlah_sinyal"] = frame[list(SIGNALS)].sum(axis=1)
    return frame


def signal_counts(filters: Filters, viewer: Viewer, horizon: int = DEFAULT_HORIZON, include_revocations: bool = False,
                  db_path: Path | None = None, stale_ok: bool = False) -> pd.DataFrame:
    """Active clients showing each warning signal (aggregate; «<10» for 1–9 when the role is aggregate-only)."""
    fit = fitted(horizon, include_revocations, db_path=db_path, stale_ok=stale_ok)
    sql = _ACTIVE.format(clients=_clients_sql(), identity="1 as _satu", scope="true")
    frame = _active_signals(fit, db.frame(sql, {**filters.params(), "hari": fit.as_of}, db_path))
    counts = pd.Series({code: int(frame[code].sum()) for code in SIGNALS}, name="klien")
    shown = [SMALL if viewer.suppressed and is_small(n) else int(n) for n in counts]
    active = SMALL if viewer.suppressed and is_small(len(frame)) else len(frame)
    return pd.DataFrame({"sinyal": list(SIGNALS), "label": list(SIGNALS.values()), "klien": shown,
                         "klien_aktif": active})


SORTS = {"sinyal": "Jumlah sinyal, lalu risiko model", "risiko": "Risiko model tertinggi",
         "mangkir": "Mangkir berturut-turut terbanyak", "berakhir": "Bimbingan paling cepat berakhir"}
_SORT_KEYS = {"sinyal": (["jumlah_sinyal", "risiko", "mangkir_saat_ini"], [False, False, False]),
              "risiko": (["risiko", "jumlah_sinyal"], [False, False]),
              "mangkir": (["mangkir_saat_ini", "risiko"], [False, False]),
              "berakhir": (["sisa_hari", "risiko"], [True, False])}


def early_warning(viewer: Viewer, filters: Filters, horizon: int = DEFAULT_HORIZON, include_revocations: bool = False,
                  signals: tuple[str, ...] = tuple(SIGNALS), sort: str = "sinyal",
                  db_path: Path | None = None, stale_ok: bool = False) -> pd.DataFrame:
    """Active clients with at least one of the chosen signals, in the form the role allows (AccessDenied for none).

    pk: own caseload (names); kepala: all (names); analis: pseudonyms only. Sorted by `sort` (SORTS).
    """
    scope, scope_params = person_scope(viewer, "k")
    identity, identity_params = identity_columns(viewer, "k")
    unknown = set(signals) - set(SIGNALS)
    if unknown:
        raise ValueError(f"sinyal tidak dikenal: {sorted(unknown)}")
    fit = fitted(horizon, include_revocations, db_path=db_path, stale_ok=stale_ok)
    sql = _ACTIVE.format(clients=_clients_sql(), identity=identity, scope=scope)
    frame = db.frame(sql, {**filters.params(), **scope_params, **identity_params, "hari": fit.as_of}, db_path)
    frame = _active_signals(fit, frame)
    chosen = list(signals)
    frame = frame[frame[chosen].any(axis=1)] if chosen else frame.iloc[0:0]
    if sort not in SORTS:
        raise ValueError(f"urutan tidak dikenal: {sort}")
    by, ascending = _SORT_KEYS[sort]
    frame = frame.sort_values(by, ascending=ascending, na_position="last", kind="stable")
    frame["sinyal"] = [", ".join(SIGNALS[c] for c in SIGNALS if row[c]) for _, row in frame.iterrows()]
    first = [c for c in ("no_register", "nama", "pseudonim") if c in frame.columns]
    return frame[[*first, *WARNING_COLUMNS]].reset_index(drop=True)


# after who the client is, what the list is for (the signals and the model's risk, on screen at 1400 px), then each
# signal's detail in the order of SIGNALS, then the rest; the page and its download show the same columns
WARNING_COLUMNS = ("jumlah_sinyal", "sinyal", "kategori_model", "risiko", "faktor_utama", "mangkir_saat_ini",
                   "hari_tanpa_program", "program_terakhir", "sisa_hari", "tanggal_akhir_bimbingan", "kategori_rri",
                   "pk_nama", "tanggal_mulai_bimbingan")


WARNING_LABELS = {"no_register": "No. Register", "nama": "Nama", "pseudonim": "Pseudonim", "pk_nama": "PK",
                  "tanggal_mulai_bimbingan": "Mulai bimbingan", "tanggal_akhir_bimbingan": "Akhir bimbingan",
                  "sisa_hari": "Sisa hari", "mangkir_saat_ini": "Mangkir berturut-turut",
                  "program_terakhir": "Kegiatan terakhir", "hari_tanpa_program": "Hari tanpa kegiatan",
                  "kategori_rri": "RRI tercatat", "risiko": "Risiko model", "kategori_model": "Kategori model",
                  "jumlah_sinyal": "Jumlah sinyal", "sinyal": "Sinyal", "faktor_utama": "Faktor utama"}


def warning_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The early-warning list as the page shows and exports it: Indonesian headers, dates and percentages as text."""
    out = frame.copy()

    def day(value):
        return "–" if pd.isna(value) else fmt.date(pd.Timestamp(value).date())

    for column in ("tanggal_mulai_bimbingan", "tanggal_akhir_bimbingan", "program_terakhir"):
        out[column] = out[column].map(day)
    out["risiko"] = out["risiko"].map(lambda v: "–" if pd.isna(v) else fmt.percent(v))
    out["kategori_rri"] = out["kategori_rri"].fillna(UNKNOWN)
    for column in ("sisa_hari", "hari_tanpa_program"):
        out[column] = out[column].astype("Int64")
    out["pk_nama"] = out["pk_nama"].fillna("–")
    return out.rename(columns=WARNING_LABELS)


def dose_by_risk(viewer: Viewer, horizon: int = DEFAULT_HORIZON, include_revocations: bool = False,
                 db_path: Path | None = None, stale_ok: bool = False) -> pd.DataFrame:
    """Outcome rate by hours of activities attended before the prediction point, within each model category.

    Eligible cases, model category from the cross-validated (out-of-fold) risk. One row per category × dose class.
    """
    validation = fitted(horizon, include_revocations, db_path=db_path, stale_ok=stale_ok).validation
    cases = validation.cases
    if not validation.ok or "jam_program" not in _used(validation):
        return pd.DataFrame(columns=["kategori", "dosis", "n", "gagal", "persen", HIDDEN_COL])
    labels = [label for _, label in DOSE_BINS]
    dose = _bands(cases["jam_program"], list(DOSE_BINS))
    grid = pd.MultiIndex.from_product([list(BANDS), labels], names=["kategori", "dosis"])
    grouped = pd.DataFrame({"kategori": cases["kategori_oof"], "dosis": dose, "y": cases["y"]}).groupby(
        ["kategori", "dosis"])["y"].agg(["size", "sum"]).reindex(grid, fill_value=0).reset_index()
    out = grouped.rename(columns={"size": "n", "sum": "gagal"}).astype({"n": "int64", "gagal": "int64"})
    out["persen"] = out["gagal"] / out["n"].where(out["n"] > 0)
    hidden = pd.Series(False, index=out.index)
    if viewer.suppressed:
        hidden = out["n"].map(is_small) | out["gagal"].map(is_small) | (out["n"] - out["gagal"]).map(is_small)
        out["n"] = out["n"].astype("Int64").mask(out["n"].map(is_small))
        out["gagal"] = out["gagal"].astype("Int64").mask(hidden)
        out["persen"] = out["persen"].mask(hidden)
    return out.assign(**{HIDDEN_COL: hidden.to_numpy()})


def _used(validation: Validation) -> list[str]:
    return [f["name"] for f in validation.report.get("features", []) if f["used"]]


@dataclass
class Survival:
    """Kaplan–Meier curves with number at risk and a log-rank test."""

    by: str
    curves: pd.DataFrame      # kelompok, bulan, bertahan, bawah, atas
    at_risk: pd.DataFrame     # kelompok, bulan, berisiko (int, or "<10" where hidden)
    groups: pd.DataFrame      # kelompok, n, kejadian (suppressed where needed)
    chi2: float | None
    df: int | None
    p_value: float | None
    note: str | None = None
    hidden: tuple[str, ...] = ()  # groups not drawn (small-number rule): listed in `groups`, absent from the chart


def survival(by: str, filters: Filters, viewer: Viewer, horizon: int = DEFAULT_HORIZON,
             include_revocations: bool = False, db_path: Path | None = None, stale_ok: bool = False) -> Survival:
    """Time from the start of guidance to failure, censored at the end of guidance, the data date or H months.

    By program participation the curves start at the prediction point (a landmark: only cases still under guidance
    and without failure there, grouped by attendance before it), so that later attendance cannot flatter a group.
    """
    from statsmodels.duration.survfunc import SurvfuncRight, survdiff

    if by not in KM_BY:
        raise ValueError(f"pengelompokan tidak dikenal: {by}")
    fit = fitted(horizon, include_revocations, db_path=db_path, stale_ok=stale_ok)
    frame = fit.frame
    keys = db.frame(f"select kode_bapas, no_register from ({_clients_sql()})", filters.params(), db_path)
    frame = frame.merge(keys, on=["kode_bapas", "no_register"])
    day = pd.Timestamp(fit.as_of)
    stop = frame["akhir_efektif"].fillna(day).clip(upper=day)
    failed = frame["tanggal_gagal"].notna() & (frame["tanggal_gagal"] <= stop)
    end = frame["tanggal_gagal"].where(failed, stop)
    months = (end - frame["mulai"]).dt.days / DAYS_PER_MONTH
    offset = 0.0
    if by == "rri":
        group = frame["kategori_rri"].where(frame["kategori_rri"].isin(BANDS), UNKNOWN)
        keep = pd.Series(True, index=frame.index)
    elif by == "integrasi":
        group = frame["program_integrasi"].fillna(UNKNOWN).map(fmt.code)
        sizes = group.value_counts()
        group = group.where(group.map(sizes) >= 20, "Lainnya (< 20 kasus)")
        keep = pd.Series(True, index=frame.index)
    else:
        if fit.prediction_months == 0:
            return Survival(by, pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), None, None, None,
                            "Data tidak memuat kehadiran, jadi partisipasi tidak dapat ditentukan.")
        offset = float(fit.prediction_months)
        keep = _scorable(frame, fit.as_of, True)
        group = pd.Series(np.where(frame["kegiatan_hadir"] > 0, "Ikut kegiatan", "Tidak ikut kegiatan"),
                          index=frame.index)
        months = months - offset
    time_ = months.clip(lower=0).where(keep)
    status = (failed & (months <= horizon - offset)).astype(int)
    time_ = time_.clip(upper=horizon - offset)
    data = pd.DataFrame({"kelompok": group, "t": time_, "e": status}).dropna()
    order = [g for g in (*RRI_ORDER, "Ikut kegiatan", "Tidak ikut kegiatan") if g in set(data["kelompok"])]
    order += sorted(set(data["kelompok"]) - set(order))
    curves, at_risk, groups = [], [], []
    ticks = [t for t in range(0, horizon + 1, KM_TICK_MONTHS) if t >= offset]
    if offset and (not ticks or ticks[0] != offset):
        ticks = [offset, *ticks]
    hide = viewer.suppressed
    hidden = []
    for name in order:
        part = data[data["kelompok"] == name]
        n, events = len(part), int(part["e"].sum())
        groups.append({"kelompok": name, "n": SMALL if hide and is_small(n) else n,
                       "kejadian": SMALL if hide and (is_small(events) or is_small(n)) else events})
        # a curve shows its group's failures step by step (one drop from 100% to 96,3% with 27 at risk = 1
        # failure), so for aggregate-only roles a group with 1–9 cases or 1–9 failures is not drawn at all
        if hide and (n < 10 or is_small(events)):
            hidden.append(name)
            continue
        for tick in ticks:
            count = int((part["t"] >= tick - offset).sum())
            at_risk.append({"kelompok": name, "bulan": tick,
                            "berisiko": SMALL if hide and is_small(count) else count})
        # and its tail stops where fewer than 10 remain at risk: steps there would tell the hidden count
        cut = float(np.sort(part["t"].to_numpy())[-10]) if hide else float(part["t"].max()) if n else 0.0
        rows = [{"kelompok": name, "bulan": offset, "bertahan": 1.0, "bawah": 1.0, "atas": 1.0}]
        if events:
            sf = SurvfuncRight(part["t"].to_numpy(), part["e"].to_numpy())
            for t, s, se in zip(sf.surv_times, sf.surv_prob, sf.surv_prob_se):
                if t > cut:
                    break
                lo, hi = _loglog_interval(s, se)
                rows.append({"kelompok": name, "bulan": float(t) + offset, "bertahan": float(s), "bawah": lo,
                             "atas": hi})
        last = rows[-1]
        rows.append({**last, "bulan": cut + offset})
        curves.extend(rows)
    chi2 = p = df = None
    tested = data[data["kelompok"].isin([g["kelompok"] for g in groups if g["kelompok"] not in hidden])]
    if tested["kelompok"].nunique() >= 2 and tested["e"].sum() > 0:
        chi2, p = survdiff(tested["t"].to_numpy(), tested["e"].to_numpy(), tested["kelompok"].to_numpy())
        chi2, p, df = float(chi2), float(p), int(tested["kelompok"].nunique() - 1)
    return Survival(by, pd.DataFrame(curves), pd.DataFrame(at_risk), pd.DataFrame(groups), chi2, df, p,
                    hidden=tuple(hidden))


def _loglog_interval(s: float, se: float, z: float = 1.96) -> tuple[float, float]:
    """95% interval of a survival probability on the log(−log) scale (stays within 0..1)."""
    if not (0 < s < 1) or not np.isfinite(se) or se == 0:
        return (float(s), float(s))
    spread = z * se / (s * abs(math.log(s)))
    log_log = math.log(-math.log(s))
    return (float(math.exp(-math.exp(log_log + spread))), float(math.exp(-math.exp(log_log - spread))))


# --- the model card's tables ---------------------------------------------------------------------------------

def _share_text(value) -> str:
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else fmt.percent(value)


def _auc_text(value) -> str:
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else fmt.number(value, 3)


def interval_text(value, ci, kind: str = "auc") -> str:
    """'0,742 (0,711–0,770)' or, for shares, '12,5% (10,1%–14,9%)'."""
    show = _auc_text if kind == "auc" else _share_text
    if ci is None:
        return show(value)
    return f"{show(value)} ({show(ci[0])}–{show(ci[1])})"


def group_table(validation: Validation, viewer: Viewer) -> pd.DataFrame:
    """The per-group validation table with Indonesian headers; aggregate-only roles get «<10» and blanked rates."""
    rows = pd.DataFrame(validation.report["groups"])
    if rows.empty:
        return rows
    hidden = pd.Series(False, index=rows.index)
    n_shown, events_shown = rows["n"].astype(object), rows["events"].astype(object)
    if viewer.suppressed:
        for _, part in rows.groupby("group", sort=False):
            n_mask = suppress_series(part["n"].reset_index(drop=True)).iloc[:-1].eq(SMALL).to_numpy()
            e_mask = suppress_series(part["events"].reset_index(drop=True)).iloc[:-1].eq(SMALL).to_numpy()
            rest = (part["n"] - part["events"]).map(is_small).to_numpy()
            hidden.loc[part.index] = n_mask | e_mask | rest
            n_shown.loc[part.index] = np.where(n_mask, SMALL, part["n"].map(fmt.number))
            events_shown.loc[part.index] = np.where(e_mask | n_mask, SMALL, part["events"].map(fmt.number))
    else:
        n_shown, events_shown = rows["n"].map(fmt.number), rows["events"].map(fmt.number)

    def blank(values, show):
        return [SMALL if h else show(v) for v, h in zip(values, hidden)]

    return pd.DataFrame({
        "Kelompok": rows["group"], "Nilai": rows["value"].map(lambda v: {"L": "Laki-laki", "P": "Perempuan"}.get(v, v)),
        "Kasus": n_shown, "Kegagalan": events_shown, "Tingkat dasar": blank(rows["base_rate"], _share_text),
        "Rata-rata prediksi": blank(rows["mean_predicted"], _share_text), "AUC": blank(rows["auc"], _auc_text),
        "Positif palsu (FPR)": blank(rows["fpr"], _share_text), "Negatif palsu (FNR)": blank(rows["fnr"], _share_text),
    })


def exclusion_table(validation: Validation, viewer: Viewer) -> pd.DataFrame:
    """Cases used and left out, by reason (suppressed for aggregate-only roles, the total shown)."""
    report = validation.report
    counts = pd.Series({"dipakai": report["n"], **report["excluded"]})
    labels = {"dipakai": "Dipakai untuk pelatihan dan validasi", **EXCLUSIONS}
    shown = (suppress_series(counts) if viewer.suppressed else
             pd.concat([counts, pd.Series({"Jumlah": counts.sum()})]).map(fmt.number))
    labels["belum_teramati"] = labels["belum_teramati"].replace("jendela", f"{report['horizon']} bulan")
    return pd.DataFrame({"Keterangan": [labels.get(k, "Jumlah kasus yang sudah mulai bimbingan") for k in shown.index],
                         "Kasus": [v if v == SMALL else (fmt.number(v) if not isinstance(v, str) else v)
                                   for v in shown.to_numpy()]})


def feature_table(validation: Validation) -> pd.DataFrame:
    return pd.DataFrame({
        "Fitur": [f["label"] for f in validation.report["features"]],
        "Dipakai": ["Ya" if f["used"] else "Tidak" for f in validation.report["features"]],
        "Terisi": [_share_text(f["coverage"]) for f in validation.report["features"]],
        "Keterangan": [f["reason"] or "" for f in validation.report["features"]],
    })


def points_table(validation: Validation) -> pd.DataFrame:
    frame = validation.points
    if frame.empty:
        return frame
    return pd.DataFrame({"Fitur": frame["label"], "Kelompok": frame["kelompok"].map(
        lambda v: {"L": "Laki-laki", "P": "Perempuan"}.get(v, fmt.code(v))), "Poin": frame["poin"]})


def coefficient_table(validation: Validation) -> pd.DataFrame:
    frame = validation.coefficients
    if frame.empty:
        return frame
    return pd.DataFrame({"Fitur": frame["label"], "Kolom desain": frame["kolom"].map(
        lambda v: {"L": "Laki-laki", "P": "Perempuan"}.get(v, fmt.code(v))),
                         "Koefisien": frame["koefisien"].map(lambda v: fmt.number(v, 3)),
                         "Rasio odds": frame["koefisien"].map(lambda v: fmt.number(math.exp(v), 2))})


def calibration_frame(validation: Validation, viewer: Viewer) -> pd.DataFrame:
    """The calibration bins as shown: for aggregate-only roles a bin of 1–9 cases, or with 1–9 failures or
    non-failures, keeps its point but not its counts."""
    table = validation.calibration.copy()
    if table.empty or not viewer.suppressed:
        return table
    hidden = table["n"].map(is_small) | table["kejadian"].map(is_small) | (table["n"] - table["kejadian"]).map(
        is_small)
    table["n"] = table["n"].astype("Int64").mask(table["n"].map(is_small))
    table["kejadian"] = table["kejadian"].astype("Int64").mask(hidden)
    for column in ("teramati", "teramati_bawah", "teramati_atas"):
        table[column] = table[column].mask(hidden)
    return table


def survival_table(survival: Survival) -> pd.DataFrame:
    """The curves' groups as the page shows them: cases and failures in Indonesian number format."""
    if survival.groups.empty:
        return survival.groups

    def show(value):
        return value if isinstance(value, str) else fmt.number(value)

    return pd.DataFrame({"Kelompok": survival.groups["kelompok"], "Kasus": survival.groups["n"].map(show),
                         "Kegagalan": survival.groups["kejadian"].map(show)})
