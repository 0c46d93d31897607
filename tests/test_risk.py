"""Risk model (issue 5) on an office built by the demo generator and loaded with the real loader.

The session's `demo_db` (1,200 cases) has fewer outcome events than a model needs at the default window (44 in
the cases observed for 24 months; the model needs ≥ 50), so these tests use `office_db`: the same generator at its
full office size (5,500 cases, seed 2026, as of 31 Oct 2026), written as Parquet and loaded with etl.load (~5 s).
Planted effects (etl/demo.py): younger age, more prior convictions, RRI Sedang/Tinggi and missed reporting raise
re-offending. Training and employment are planted too but happen (or are recorded) after the prediction point,
so the model cannot and must not see them.
"""
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import brier_score_loss, roc_auc_score

from analytics import charts_risiko as charts, db, format as fmt, risk
from analytics.filters import Filters
from analytics.viewer import AccessDenied, Viewer
from tests.builders import workbook

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 10, 31)
PERIOD = Filters(dt.date(2026, 8, 1), dt.date(2026, 10, 31))
KEPALA, KANWIL = Viewer("kepala", "kepala"), Viewer("kanwil", "kanwil")
ANALIS = Viewer("analis", "analis", None, "ab" * 32)
_BUILT: dict[str, Path] = {}


def office_db(tmp_path_factory) -> Path:
    """The full-size demo office (klien, mitra, program, kehadiran), built once per test session."""
    key = str(tmp_path_factory.getbasetemp())
    if key in _BUILT:
        return _BUILT[key]
    import pyarrow.parquet as pq
    from etl import config, demo_vocab
    from etl.demo import office_data, parquet_table
    from etl.load import load_files
    folder = tmp_path_factory.mktemp("risiko")
    data = office_data(2026, AS_OF, demo_vocab.BDL)
    paths = []
    for name in ("klien", "mitra", "program", "kehadiran"):
        path = folder / f"{name}.parquet"
        pq.write_table(parquet_table(name, getattr(data, name), demo_vocab.BDL.kode_bapas), path)
        paths.append(path)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BAPAS_CONFIG", str(folder / "tidak-ada.toml"))
        mp.delenv("BAPAS_KODE", raising=False)
        config.settings.cache_clear()
        report = load_files(paths, folder / "bapas.duckdb")
        config.settings.cache_clear()
    assert all(f["status"] == "loaded" and not f["errors"] for f in report["files"]), report
    _BUILT[key] = folder / "bapas.duckdb"
    return _BUILT[key]


@pytest.fixture(scope="session")
def office(tmp_path_factory) -> Path:
    return office_db(tmp_path_factory)


@pytest.fixture(scope="session")
def fit(office) -> risk.Fit:
    return risk.fitted(db_path=office)


def query(path: Path, sql: str, params=None) -> pd.DataFrame:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).df()
    finally:
        con.close()


def _ece(y, p) -> float:
    """ECE written differently from analytics.risk: pandas bins of width 0.1, closed on the left."""
    frame = pd.DataFrame({"y": y, "p": p})
    frame["bin"] = pd.cut(frame["p"], np.linspace(0, 1, 11), right=False, include_lowest=True)
    frame.loc[frame["p"] >= 1, "bin"] = frame["bin"].cat.categories[-1]
    by = frame.groupby("bin", observed=True).agg(n=("y", "size"), y=("y", "mean"), p=("p", "mean"))
    return float((by["n"] / len(frame) * (by["y"] - by["p"]).abs()).sum())


# --- outcome and eligibility -----------------------------------------------------------------------------------

@pytest.mark.parametrize("horizon, revocations", [(24, False), (12, True), (36, False)])
def test_outcome_and_window_agree_with_the_shared_view(office, horizon, revocations):
    """kegagalan and «observed for the whole window» are v_residivisme's, case by case."""
    frame = risk.case_frame(horizon, revocations, 3, risk.data_date(office), office)
    view = query(office, "select no_register, teramati_penuh, residivis, gagal from v_residivisme, v_tanggal_data "
                         "where horizon_bulan = ? and tanggal_mulai_bimbingan <= tanggal_data",
                 [horizon]).set_index("no_register")
    mine = frame.set_index("no_register")
    assert len(mine) == len(view)
    expected = view["gagal" if revocations else "residivis"].astype(int)
    assert (mine["gagal"] == expected.reindex(mine.index)).all()
    reason = risk.exclusion_reason(frame, risk.data_date(office), True).set_axis(mine.index)
    assert ((reason == "belum_teramati") == ~view["teramati_penuh"].reindex(mine.index)).all()


def test_excluded_cases_are_counted_with_their_reason(fit):
    report = fit.validation.report
    assert report["n"] + sum(report["excluded"].values()) == report["n_cases"] == len(fit.frame)
    frame = fit.frame
    starts_before_attendance = int(((frame["mulai"] < frame["kehadiran_mulai"])
                                    & (frame["akhir_jendela"] <= pd.Timestamp(fit.as_of))).sum())
    assert report["excluded"]["kehadiran_tidak_tercatat"] == starts_before_attendance > 0
    used = fit.validation.cases
    assert (used["mulai"] >= frame["kehadiran_mulai"].min()).all()
    eligible = frame.set_index("no_register").loc[used["no_register"]]
    assert not (eligible["tanggal_gagal"] < eligible["titik"]).any()  # failed before the point: left out
    assert not (eligible["akhir_efektif"] < eligible["titik"]).any()


# --- validation figures ---------------------------------------------------------------------------------------

def test_validation_figures_equal_an_independent_computation(fit):
    report, cases = fit.validation.report, fit.validation.cases
    y, oof = cases["y"].to_numpy(), cases["risiko_oof"].to_numpy()
    assert report["status"] == "ok" and report["n"] == len(cases) and report["events"] == int(y.sum()) >= 50
    assert report["base_rate"] == pytest.approx(y.mean())
    assert report["auc"] == pytest.approx(roc_auc_score(y, oof), abs=1e-12)
    assert report["brier"] == pytest.approx(brier_score_loss(y, oof), abs=1e-12)
    assert report["ece"] == pytest.approx(_ece(y, oof), abs=1e-12)
    lo, hi = report["auc_ci"]
    assert lo < report["auc"] < hi and hi - lo < 0.2
    card = report["scorecard"]
    assert card["auc"] == pytest.approx(roc_auc_score(y, cases["risiko_kartu_oof"]), abs=1e-12)
    assert card["ece"] == pytest.approx(_ece(y, cases["risiko_kartu_oof"]), abs=1e-12)
    assert report["rri_basis"] == "skor_rri"
    assert report["rri_auc"] == pytest.approx(roc_auc_score(y, cases["skor_rri"]), abs=1e-12)
    assert report["model_auc_rri_cases"] == pytest.approx(report["auc"])
    categories = cases["kategori_rri"].map({"Rendah": 0, "Sedang": 1, "Tinggi": 2})
    assert report["rri_kategori_auc"] == pytest.approx(roc_auc_score(y, categories), abs=1e-12)
    threshold = np.quantile(oof, 0.8)
    assert report["threshold"] == pytest.approx(threshold)
    calibration = pd.DataFrame(report["calibration"])
    assert calibration["n"].sum() == len(cases) and calibration["kejadian"].sum() == y.sum()
    by_group = {(g["group"], g["value"]): g for g in report["groups"]}
    for (column, label), value in [(("jenis_kelamin", "Jenis kelamin"), "L"),
                                   (("jenis_kelamin", "Jenis kelamin"), "P"),
                                   (("umur", "Kelompok umur"), "<25"), (("umur", "Kelompok umur"), "25–45"),
                                   (("umur", "Kelompok umur"), ">45")]:
        if column == "umur":
            age = cases["umur"]
            mask = {"<25": age < 25, "25–45": (age >= 25) & (age <= 45), ">45": age > 45}[value]
        else:
            mask = cases[column] == value
        yy, pp = y[mask.to_numpy()], oof[mask.to_numpy()]
        row = by_group[(label, value)]
        flagged = pp >= threshold
        assert (row["n"], row["events"]) == (len(yy), int(yy.sum()))
        assert row["auc"] == pytest.approx(roc_auc_score(yy, pp), abs=1e-12)
        assert row["fpr"] == pytest.approx((flagged & (yy == 0)).sum() / (yy == 0).sum())
        assert row["fnr"] == pytest.approx((~flagged & (yy == 1)).sum() / (yy == 1).sum())


def test_out_of_fold_predictions_come_from_models_that_did_not_see_the_case(fit):
    """The final model, fitted on every case, ranks its own training cases better than the held-out predictions."""
    cases = fit.validation.cases
    in_sample = fit.model.predict(risk.model_inputs(cases, fit.model.used))
    assert roc_auc_score(cases["y"], in_sample) > fit.validation.report["auc"]
    assert not np.allclose(in_sample, cases["risiko_oof"])


def test_model_recovers_the_planted_effects(fit):
    model, cases = fit.model, fit.validation.cases
    reference = cases.iloc[[0]].copy()
    for name in model.used:
        if risk.FEATURES[name][1] == "numeric":
            reference[name] = float(cases[name].median())
    reference[["jenis_kelamin", "kategori_rri", "kategori_pidana", "program_integrasi", "bekerja_awal"]] = [
        "L", "Sedang", "Narkotika", "PB", "Bekerja"]

    def risk_with(**values) -> float:
        row = reference.assign(**values)
        return float(model.predict(risk.model_inputs(row, model.used))[0])

    assert {"umur", "jumlah_pidana_sebelumnya", "kategori_rri", "porsi_mangkir", "mangkir_beruntun"} <= set(model.used)
    assert risk_with(umur=20.0) > risk_with(umur=40.0)
    assert risk_with(jumlah_pidana_sebelumnya=3.0) > risk_with(jumlah_pidana_sebelumnya=0.0)
    assert risk_with(kategori_rri="Tinggi") > risk_with(kategori_rri="Rendah")
    assert risk_with(porsi_mangkir=0.5, mangkir_beruntun=2.0) > risk_with(porsi_mangkir=0.0, mangkir_beruntun=0.0)
    points = fit.card.points
    assert points["kategori_rri"]["Tinggi"] > points["kategori_rri"]["Rendah"]
    assert points["jumlah_pidana_sebelumnya"]["2"] > points["jumlah_pidana_sebelumnya"]["0"]
    assert points["mangkir_beruntun"]["≥2"] > points["mangkir_beruntun"]["0"]
    assert all(isinstance(p, int) and p >= 0 for table in points.values() for p in table.values())
    assert fit.card.calibration[1] > 0  # more points, more risk
    assert "status_pekerjaan" not in risk.FEATURES  # undated (latest known): could come from after the point


def test_temporal_holdout_tests_the_newest_complete_cohort(fit):
    holdout, cases = fit.validation.report["holdout"], fit.validation.cases
    complete = [y for y in range(2021, 2027) if dt.date(y + 2, 12, 31) <= fit.as_of]
    newest = complete[-1]
    assert holdout["done"] and holdout["cohort"] == f"kohort mulai {newest}"
    assert holdout["test_n"] == int((cases["mulai"].dt.year == newest).sum())
    assert holdout["train_n"] == int((cases["mulai"].dt.year < newest).sum())
    assert holdout["train_until"] < holdout["test_from"]
    assert 0.5 < holdout["auc"] < 1 and holdout["auc_ci"][0] < holdout["auc"] < holdout["auc_ci"][1]


def test_scores_active_clients_with_band_and_factors(fit):
    scores = fit.scores
    scored = scores[scores["dapat_dinilai"]]
    assert scored["risiko"].between(0, 1).all() and set(scored["kategori_model"]) == set(risk.BANDS)
    cutoffs = fit.validation.report["cutoffs"]
    high = scored["risiko"] >= cutoffs["tinggi"]
    assert (scored.loc[high, "kategori_model"] == "Tinggi").all()
    assert (scored.loc[~high, "kategori_model"] != "Tinggi").all()
    assert (scores.loc[scores["titik"] > pd.Timestamp(fit.as_of), "kategori_model"] == risk.NOT_YET).all()
    assert scored.loc[high, "faktor_utama"].str.len().gt(0).mean() > 0.9
    assert scored["faktor_utama"].str.count(";").max() <= 2


# --- leakage ---------------------------------------------------------------------------------------------------

def _with_rows(office: Path, copy: Path, rows: list[tuple]) -> Path:
    """A copy of the office database with extra attendance rows (written before anything reads the copy)."""
    shutil.copy(office, copy)
    con = duckdb.connect(str(copy))
    try:
        con.executemany("insert into kehadiran (kode_bapas, no_register, tanggal, jenis_kegiatan, status_hadir, "
                        "durasi_jam) values ('BAPAS-BDL', ?, ?, ?, ?, ?)", rows)
    finally:
        con.close()
    return copy


def test_a_row_dated_after_the_prediction_point_cannot_change_a_feature(office, fit, tmp_path):
    chosen = fit.validation.cases.sort_values("no_register").iloc[0]["no_register"]
    point = fit.frame.set_index("no_register").loc[chosen, "titik"].date()
    features = ["wl_wajib", "wl_mangkir", "porsi_mangkir", "mangkir_beruntun", "kegiatan_hadir", "jam_program"]

    def features_of(path):
        frame = risk.case_frame(24, False, 3, fit.as_of, path)
        return frame.set_index("no_register").loc[chosen, features].to_dict()

    later = _with_rows(office, tmp_path / "nanti.duckdb", [
        (chosen, point, "WAJIB_LAPOR", "TIDAK_HADIR", 0.5),
        (chosen, point + dt.timedelta(days=5), "WAJIB_LAPOR", "TIDAK_HADIR", 0.5),
        (chosen, point + dt.timedelta(days=9), "WAJIB_LAPOR", "TIDAK_HADIR", 0.5),
        (chosen, point, "PELATIHAN_KERJA", "HADIR", 40.0)])
    earlier = _with_rows(office, tmp_path / "sebelum.duckdb", [
        (chosen, point - dt.timedelta(days=1), "WAJIB_LAPOR", "TIDAK_HADIR", 0.5)])
    before = features_of(office)
    assert features_of(later) == before
    after = features_of(earlier)  # the same row one day earlier does count: the test can see a change
    assert (after["wl_wajib"], after["wl_mangkir"]) == (before["wl_wajib"] + 1, before["wl_mangkir"] + 1)


# --- not enough data -------------------------------------------------------------------------------------------

HEADER = ["No. Register", "Nama", "Jenis Kelamin", "Tanggal Lahir", "Tanggal Mulai Bimbingan",
          "Tanggal Akhir Bimbingan", "Jenis Integrasi", "Status", "Tanggal Status", "Jumlah Pidana Sebelumnya",
          "Residivis", "Tanggal Residivis", "PK", "NIP PK"]
NIP = "198001012005011001"


def small_office(folder: Path, n: int = 120, events: int = 12) -> Path:
    """An office sheet (no attendance) with `events` re-offences within 24 months among `n` cases of 2022."""
    from etl import config
    from etl.load import load_files
    rows = []
    for i in range(n):
        start = dt.date(2022, 1, 3) + dt.timedelta(days=2 * i)
        failed = i < events
        rows.append([f"K{i:03d}", f"Klien {i}", "P" if i % 7 == 0 else "L", dt.date(1980 + i % 25, 5, 1), start,
                     start + dt.timedelta(days=400), "PB", "Selesai", start + dt.timedelta(days=400), i % 3,
                     "Ya" if failed else "Tidak", start + dt.timedelta(days=100) if failed else None, "Budi", NIP])
    rows.append(["K999", "Klien aktif", "L", dt.date(2000, 1, 1), dt.date(2026, 9, 1), dt.date(2026, 10, 15), "PB",
                 "Aktif", None, 2, "Tidak", None, "Budi", NIP])
    path = workbook(folder / "Data Klien.xlsx", {"Klien": (HEADER, rows)})
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BAPAS_CONFIG", str(folder / "tidak-ada.toml"))
        config.settings.cache_clear()
        report = load_files([path], folder / "kecil.duckdb")
        config.settings.cache_clear()
    assert report["files"][0]["status"] == "loaded" and not report["files"][0]["errors"], report
    return folder / "kecil.duckdb"


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    return small_office(tmp_path_factory.mktemp("kecil"))


def test_too_few_events_gives_no_model_and_says_so(small):
    fit = risk.fitted(db_path=small)
    report = fit.validation.report
    assert fit.model is None and fit.card is None and not fit.validation.ok
    assert report["status"] == "tidak_cukup_data" and report["events"] == 12 and report["n"] == 120
    assert report["reason"].startswith("Tidak cukup data untuk validasi: 12 kejadian kegagalan")
    assert report["auc"] is None and report["groups"] == [] and fit.validation.coefficients.empty
    assert report["prediction_months"] == 0  # no attendance: a model at the start, no dynamic features
    assert not any(f["used"] for f in report["features"] if risk.FEATURES[f["name"]][2])
    rows = risk.early_warning(KEPALA, PERIOD, db_path=small)  # K999, active, ends within 60 days of 1 Sep 2026
    assert fit.as_of == dt.date(2026, 9, 1)
    assert rows[["no_register", "kategori_model", "sinyal"]].to_dict("records") == [
        {"no_register": "K999", "kategori_model": risk.NO_MODEL, "sinyal": risk.SIGNALS["SEGERA_BERAKHIR"]}]
    assert rows["risiko"].isna().all()


# --- the early-warning list -------------------------------------------------------------------------------------

def _pk_nip(office) -> str:
    return query(office, "select pk_nip from klien group by 1 order by count(*) desc, 1 limit 1")["pk_nip"].item()


def test_early_warning_list_is_scoped_by_role(office, fit):
    everyone = risk.early_warning(KEPALA, PERIOD, db_path=office)
    assert {"no_register", "nama", "faktor_utama", "sinyal"} <= set(everyone.columns) and len(everyone) > 20
    nip = _pk_nip(office)
    caseload = set(query(office, "select no_register from klien where pk_nip = ?", [nip])["no_register"])
    own = risk.early_warning(Viewer("pk", "pk", nip), PERIOD, db_path=office)
    assert len(own) > 0 and set(own["no_register"]) <= caseload
    assert set(own["no_register"]) == set(everyone["no_register"]) & caseload
    analis = risk.early_warning(ANALIS, PERIOD, db_path=office)
    assert "pseudonim" in analis.columns and not {"no_register", "nama"} & set(analis.columns)
    assert len(analis) == len(everyone) and analis["pseudonim"].str.fullmatch(r"K-[0-9A-F]{10}").all()
    assert analis["pseudonim"].is_unique
    with pytest.raises(AccessDenied):
        risk.early_warning(KANWIL, PERIOD, db_path=office)
    shown = risk.warning_table(analis)
    assert list(shown.columns) == ["Pseudonim", *AFTER_IDENTITY]
    assert list(risk.warning_table(everyone).columns) == ["No. Register", "Nama", *AFTER_IDENTITY]


# after who the client is, the columns the list is for, so that they are on screen at 1400 px (the audit found them
# past the 8th column); then each signal's detail, then the rest
AFTER_IDENTITY = ["Jumlah sinyal", "Sinyal", "Kategori model", "Risiko model", "Faktor utama",
                  "Mangkir berturut-turut", "Hari tanpa kegiatan", "Kegiatan terakhir", "Sisa hari", "Akhir bimbingan",
                  "RRI tercatat", "PK", "Mulai bimbingan"]


@pytest.mark.parametrize("frame, right, expected", [
    (pd.DataFrame({"Keterangan": ["Dipakai untuk pelatihan dan validasi", "Jumlah"], "Kasus": ["2.532", "5.500"]}),
     ("Kasus",),
     "| Keterangan | Kasus |\n|:--|--:|\n| Dipakai untuk pelatihan dan validasi | 2.532 |\n| Jumlah | 5.500 |"),
    (pd.DataFrame({"A": ["<10", "a | b", "*x*_y_"], "B": [1, 2, 3]}), (),  # Markdown and HTML stay text
     "| A | B |\n|:--|:--|\n| \\<10 | 1 |\n| a \\| b | 2 |\n| \\*x\\*\\_y\\_ | 3 |"),
    (pd.DataFrame({"A": ["Rp$5 dan $6 (kira-kira)"]}), (),  # Streamlit reads $…$ as a formula
     "| A |\n|:--|\n| Rp\\$5 dan \\$6 \\(kira-kira\\) |"),
])
def test_markdown_table(frame, right, expected):
    assert fmt.markdown_table(frame, right) == expected


def test_early_warning_signals_follow_their_definitions(office, fit):
    rows = risk.early_warning(KEPALA, PERIOD, signals=("MANGKIR",), db_path=office)
    streaks = query(office, "select no_register, mangkir_saat_ini from mangkir_beruntun").set_index("no_register")
    assert (rows["mangkir_saat_ini"] >= 2).all()
    assert (streaks.loc[rows["no_register"], "mangkir_saat_ini"].to_numpy() == rows["mangkir_saat_ini"]).all()
    counts = risk.signal_counts(PERIOD, KEPALA, db_path=office).set_index("sinyal")["klien"]
    assert counts["MANGKIR"] == len(rows)
    high = risk.early_warning(KEPALA, PERIOD, signals=("RISIKO_TINGGI",), sort="risiko", db_path=office)
    assert (high["kategori_model"] == "Tinggi").all() and counts["RISIKO_TINGGI"] == len(high)
    assert high["risiko"].is_monotonic_decreasing
    ending = risk.early_warning(KEPALA, PERIOD, signals=("SEGERA_BERAKHIR",), sort="berakhir", db_path=office)
    assert ending["sisa_hari"].between(0, risk.ENDING_DAYS).all() and ending["sisa_hari"].is_monotonic_increasing
    idle = risk.early_warning(KEPALA, PERIOD, signals=("TANPA_PROGRAM",), db_path=office)
    assert (idle["hari_tanpa_program"].isna() | (idle["hari_tanpa_program"] > risk.NO_PROGRAM_DAYS)).all()
    kanwil = risk.signal_counts(PERIOD, KANWIL, db_path=office)
    assert all(v == "<10" or v >= 10 for v in kanwil["klien"])


# --- survival ----------------------------------------------------------------------------------------------------

def _product_limit(t: np.ndarray, e: np.ndarray, at: float) -> float:
    s = 1.0
    for time_ in np.unique(t[(e == 1) & (t <= at)]):
        s *= 1 - ((t == time_) & (e == 1)).sum() / (t >= time_).sum()
    return s


def test_kaplan_meier_by_rri_matches_a_hand_computation(office, fit):
    survival = risk.survival("rri", PERIOD, KEPALA, db_path=office)
    frame = fit.frame
    day = pd.Timestamp(fit.as_of)
    stop = frame["akhir_efektif"].fillna(day).clip(upper=day)
    failed = frame["tanggal_gagal"].notna() & (frame["tanggal_gagal"] <= stop)
    months = ((frame["tanggal_gagal"].where(failed, stop) - frame["mulai"]).dt.days / risk.DAYS_PER_MONTH).clip(
        lower=0)
    event = (failed & (months <= 24)).astype(int).to_numpy()
    months = months.clip(upper=24).to_numpy()
    tinggi = (frame["kategori_rri"] == "Tinggi").to_numpy()
    curve = survival.curves[survival.curves["kelompok"] == "Tinggi"]
    at12 = curve[curve["bulan"] <= 12]["bertahan"].iloc[-1]
    assert at12 == pytest.approx(_product_limit(months[tinggi], event[tinggi], 12))
    at_risk = survival.at_risk.set_index(["kelompok", "bulan"])["berisiko"]
    assert at_risk[("Tinggi", 12)] == int((months[tinggi] >= 12).sum())
    assert at_risk[("Tinggi", 0)] == int(tinggi.sum())
    assert (curve["bawah"] <= curve["bertahan"] + 1e-12).all() and (curve["atas"] >= curve["bertahan"] - 1e-12).all()
    ends = survival.curves.groupby("kelompok")["bertahan"].min()
    assert ends["Rendah"] > ends["Tinggi"] and survival.p_value < 0.01 and survival.df == 2


def test_kaplan_meier_by_participation_starts_at_the_prediction_point(office):
    survival = risk.survival("program", PERIOD, KANWIL, db_path=office)
    # kanwil: the group with 1–9 failures is not drawn (its steps would tell the count)
    assert set(survival.curves["kelompok"]) == {"Ikut kegiatan"}
    assert tuple(survival.hidden) == ("Tidak ikut kegiatan",)
    assert survival.curves.groupby("kelompok")["bulan"].min().eq(3.0).all()
    assert survival.at_risk["bulan"].min() == 3.0
    assert all(v == "<10" or v >= 10 for v in survival.at_risk["berisiko"])
    by_programme = risk.survival("integrasi", PERIOD, KEPALA, db_path=office)
    assert "PB" in set(by_programme.groups["kelompok"]) and by_programme.p_value is not None


# --- aggregates for every role, and the charts -------------------------------------------------------------------

def test_aggregates_follow_the_small_number_rule(office, fit):
    full = risk.risk_distribution(PERIOD, KEPALA, db_path=office)
    hidden = risk.risk_distribution(PERIOD, KANWIL, db_path=office)
    assert len(full) == len(hidden) and not full["disembunyikan"].any()
    assert full.groupby(["dasar", "bulan"])["persen"].sum().round(9).eq(1).all()
    shown = hidden["klien"].dropna()
    assert ((shown == 0) | (shown >= 10)).all() and hidden["klien"].isna().any()
    small = full[full["klien"].between(1, 9)]
    assert hidden.loc[small.index, "disembunyikan"].all()
    groups = risk.group_table(fit.validation, KANWIL)
    assert "<10" not in set(risk.group_table(fit.validation, KEPALA)["Kasus"])
    assert set(groups.columns) >= {"Kelompok", "Kasus", "AUC", "Positif palsu (FPR)"}
    dose = risk.dose_by_risk(KANWIL, db_path=office)
    shown = dose["n"].dropna()
    assert ((shown == 0) | (shown >= 10)).all() and dose.loc[dose["disembunyikan"], "persen"].isna().all()


def test_charts_draw_for_both_kinds_of_role(office, fit):
    for viewer in (KEPALA, KANWIL):
        distribution = risk.risk_distribution(PERIOD, viewer, db_path=office)
        figures = [charts.distribution_bars(distribution, "rri"), charts.distribution_bars(distribution, "model"),
                   charts.calibration_plot(risk.calibration_frame(fit.validation, viewer)),
                   charts.points_risk_line(fit.validation.points_risk),
                   charts.dose_bars(risk.dose_by_risk(viewer, db_path=office)),
                   charts.km_plot(risk.survival("rri", PERIOD, viewer, db_path=office), "Kurva")]
        for figure in figures:
            assert figure.layout.title.text and figure.data
    rri = charts.distribution_bars(risk.risk_distribution(PERIOD, KEPALA, db_path=office), "rri")
    assert [t.name for t in rri.data][:3] == ["Rendah", "Sedang", "Tinggi"]
    assert [t.marker.color for t in rri.data][:3] == [charts.CATEGORY_COLOURS[b] for b in risk.BANDS]


# --- the command line ------------------------------------------------------------------------------------------

def _cli(*args) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "BAPAS_CONFIG": "/nonexistent.toml", "HOME": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "analytics", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_cli_prints_the_validation_as_json(office, fit, capsys):
    from analytics.__main__ import DEFAULT_HORIZON, HORIZONS, main
    assert (HORIZONS, DEFAULT_HORIZON) == (risk.HORIZONS, risk.DEFAULT_HORIZON)
    assert main(["risk-validate", "--db", str(office), "--json"]) == 0
    out = capsys.readouterr().out
    report = json.loads(out)
    assert {"n", "events", "base_rate", "auc", "auc_ci", "brier", "ece", "groups", "features", "rri_auc",
            "excluded", "holdout"} <= set(report)
    expected = fit.validation.report
    assert (report["n"], report["events"], report["excluded"]) == (expected["n"], expected["events"],
                                                                   expected["excluded"])
    assert report["auc"] == pytest.approx(expected["auc"]) and report["ece"] == pytest.approx(expected["ece"])
    assert report["holdout"]["auc"] == pytest.approx(expected["holdout"]["auc"])
    assert [g["value"] for g in report["groups"]] == ["L", "P", "<25", "25–45", ">45"]
    assert main(["risk-validate", "--db", str(office)]) == 0
    text = capsys.readouterr().out
    assert "AUC (validasi silang 5 lipatan): " + risk.interval_text(expected["auc"], expected["auc_ci"]) in text


def test_cli_not_enough_data_and_usage_errors(small, tmp_path):
    done = _cli("risk-validate", "--db", small, "--json", "--horizon", "12")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["status"] == "tidak_cukup_data" and report["reason"].startswith("Tidak cukup data untuk validasi")
    assert report["horizon"] == 12 and report["auc"] is None and report["n"] == 120
    wrong = _cli("risk-validate", "--db", small, "--horizon", "18")
    assert wrong.returncode == 2 and "perintah tidak valid" in wrong.stderr and not wrong.stdout
    missing = _cli("risk-validate", "--db", tmp_path / "tidak-ada.duckdb", "--json")
    assert missing.returncode == 2 and "basis data tidak ditemukan" in missing.stderr and not missing.stdout


def test_sessions_asking_at_once_share_one_fit(office, monkeypatch):
    """Twenty sessions opening the page together once each fitted the model (minutes and GBs at national scale)."""
    import threading
    import time as clock
    calls = []
    real = risk._fit

    def counted(*args):
        calls.append(args)
        clock.sleep(0.5)  # a fit takes a while: the others arrive during it
        return real(*args)

    monkeypatch.setattr(risk, "_fit", counted)
    risk.forget()
    results = []
    threads = [threading.Thread(target=lambda: results.append(risk.fitted(12, db_path=office))) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    risk.forget()
    assert len(results) == 6 and all(r is results[0] for r in results)
    assert len(calls) == 1


def test_after_a_load_the_page_gets_the_previous_fit_at_once_and_the_new_one_when_ready(office, tmp_path,
                                                                                          monkeypatch):
    """A refit takes minutes at national scale: the page must not wait for it (stale_ok), a report must."""
    import threading
    copy = tmp_path / "bapas.duckdb"
    shutil.copyfile(office, copy)
    risk.forget()
    first = risk.fitted(12, db_path=copy)
    assert risk.serving(12, db_path=copy) == (first.version, True) and risk.ready(12, db_path=copy)

    release, calls = threading.Event(), []
    real = risk._fit

    def slow(*args):
        calls.append(args)
        assert release.wait(120)
        return real(*args)

    monkeypatch.setattr(risk, "_fit", slow)
    shutil.copyfile(office, tmp_path / "baru.duckdb")
    os.replace(tmp_path / "baru.duckdb", copy)  # what a load does: a new file in place
    assert db.data_version(copy) != first.version
    # the page: the previous fit at once, flagged, while one refit runs in the background
    assert risk.fitted(12, db_path=copy, stale_ok=True) is first
    assert risk.serving(12, db_path=copy) == (first.version, False) and not risk.ready(12, db_path=copy)
    assert risk.validate(12, db_path=copy, stale_ok=True) is first.validation
    deadline = time.monotonic() + 30
    while not calls and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(calls) == 1
    release.set()
    deadline = time.monotonic() + 300
    while not risk.ready(12, db_path=copy) and time.monotonic() < deadline:
        time.sleep(0.1)
    new = risk.fitted(12, db_path=copy, stale_ok=True)
    assert new is not first and new.version == db.data_version(copy)
    assert risk.serving(12, db_path=copy) == (new.version, True) and len(calls) == 1
    # a caller without stale_ok (the report, the CLI) never gets a fit of an older version
    os.replace(shutil.copyfile(office, tmp_path / "lagi.duckdb"), copy)
    calls.clear()
    assert risk.fitted(12, db_path=copy).version == db.data_version(copy) and len(calls) == 1
    risk.forget()


def test_a_failed_background_fit_is_said_once_then_tried_again(office, tmp_path, monkeypatch):
    copy = tmp_path / "bapas.duckdb"
    shutil.copyfile(office, copy)
    calls = []

    def broken(*args):
        calls.append(args)
        raise db.DataUnavailable("basis data tidak dapat dibaca: rusak")

    monkeypatch.setattr(risk, "_fit", broken)
    risk.forget()
    try:
        with pytest.raises(db.DataUnavailable, match="rusak"):  # within the page's patience: said at once
            risk.serving(12, db_path=copy, patience=30)
        assert len(calls) == 1
        with pytest.raises(db.DataUnavailable, match="rusak"):  # the next view tries again, not a stored answer
            risk.serving(12, db_path=copy, patience=30)
        assert len(calls) == 2
    finally:
        risk.forget()


def test_no_case_observed_long_enough_says_why_once(tmp_path):
    """Cases that all started within the window: the reason names the window and the data date, printed once."""
    start = dt.date(2020, 1, 1)
    rows = [["No. Register", "Nama", "Jenis Kelamin", "Tanggal Mulai Bimbingan", "Residivis"]]
    rows += [[f"PB-{i}", f"Kasus {i}", "L", (start + dt.timedelta(days=3 * i)).isoformat(), "Tidak"] for i in range(80)]
    csv_path = tmp_path / "klien.csv"
    csv_path.write_text("\n".join(",".join(r) for r in rows), encoding="utf-8")
    db = tmp_path / "kohort.duckdb"
    loaded = subprocess.run([sys.executable, "-m", "etl", "load", str(csv_path), "--db", str(db)],
                            capture_output=True, text=True, cwd=ROOT)
    assert loaded.returncode == 0, loaded.stderr
    done = _cli("risk-validate", "--db", db, "--horizon", "12")
    assert done.returncode == 1
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("Tidak cukup data untuk validasi: tidak satu pun dari 80 kasus teramati penuh selama 12 "
                           "bulan") and f"tanggal data {fmt.date(start + dt.timedelta(days=3 * 79))}" in last and "jendela yang lebih pendek" in last
    assert last not in done.stderr  # said once, on stdout with the rest of the report
    as_json = _cli("risk-validate", "--db", db, "--json")
    assert as_json.returncode == 1 and json.loads(as_json.stdout)["reason"] in as_json.stderr
