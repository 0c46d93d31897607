"""The Risiko Residivisme page under AppTest, once per role, on the full-size demo office (tests/test_risk.py).

Each role gets the charts and the model card; the early-warning list is named for kepala, limited to the own
caseload for pk, pseudonymised for analis, and absent for kanwil (counts only, small numbers hidden). Viewing the
list is audited. A database with too few outcome events shows the «tidak cukup data» message and no model.
"""
import datetime as dt
import json
import sqlite3
from pathlib import Path

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics import risk
from analytics.filters import Filters
from analytics.viewer import Viewer
from tests.test_risk import office_db, small_office

AS_OF = dt.date(2026, 10, 30)
PERIOD = Filters(dt.date(2026, 8, 1), dt.date(2026, 10, 31))
ENGLISH = ("Risk", "Calibration", "Survival", "Number at risk", "Warning", "Score", "Not enough", "Model card")


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Path:
    return office_db(tmp_path_factory)


@pytest.fixture(scope="module")
def nip(office) -> str:
    con = duckdb.connect(str(office), read_only=True)
    try:
        return con.execute("select pk_nip from klien group by 1 order by count(*) desc, 1 limit 1").fetchall()[0][0]
    finally:
        con.close()


@pytest.fixture(scope="module")
def _caches():
    st.cache_data.clear()
    yield
    st.cache_data.clear()


@pytest.fixture
def page(_caches, nip):
    from analytics.accounts import Account, Store
    from ui import Context

    def run(role: str, db: Path, as_of: dt.date = AS_OF, filters: Filters = PERIOD) -> AppTest:
        at = AppTest.from_file("../halaman/risiko.py", default_timeout=120)
        at.session_state["akun"] = Account(role, role, role, nip if role == "pk" else None, None, True)
        at.session_state["_store"] = Store()
        viewer = Viewer(role, role, nip if role == "pk" else None, "ab" * 32)
        at.session_state["konteks"] = Context(viewer, filters, "3", db, as_of, f"uji-{db.name}", False)
        return at.run()
    return run


def _texts(at) -> str:
    return " ".join(str(e.value) for kind in ("title", "subheader", "caption", "markdown", "info", "warning")
                    for e in at.get(kind))


def _tables(at) -> list:
    return [d.value for d in at.dataframe]


def _list(at):
    lists = [t for t in _tables(at) if "Faktor utama" in t.columns]
    return lists[0] if lists else None


def _audit() -> list[tuple]:
    from etl import config
    con = sqlite3.connect(config.akses_path())
    try:
        return con.execute("select nama_pengguna, aksi, halaman, keterangan from audit order by id").fetchall()
    finally:
        con.close()


def _chart_titles(at) -> list[str]:
    return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]


def test_page_for_kepala_shows_everything_and_audits_the_list(page, office):
    at = page("kepala", office)
    assert not at.exception and not at.error
    assert [t.value for t in at.title] == ["Risiko Residivisme"]
    titles = _chart_titles(at)
    assert len(titles) == 6
    assert titles[0] == "Klien aktif per bulan menurut kategori RRI yang tercatat"
    assert titles[1] == "Klien aktif per bulan menurut kategori risiko model"
    assert any(t.startswith("Kalibrasi") for t in titles) and any(t.startswith("Bagian klien yang belum gagal")
                                                                  for t in titles)
    rows = _list(at)
    expected = risk.warning_table(risk.early_warning(Viewer("kepala", "kepala"), PERIOD, db_path=office))
    assert rows["No. Register"].tolist() == expected["No. Register"].tolist() and "Nama" in rows.columns
    assert ("kepala", "LIHAT_DATA_PERORANGAN", "Risiko", "daftar peringatan dini risiko") in _audit()
    texts = _texts(at)
    assert "tidak pernah menjadi dasar pencabutan" in texts and "Kegagalan dalam 24 bulan" in texts
    assert "Tidak cukup data" not in texts
    report = risk.validate(db_path=office).report
    assert [m.value for m in at.metric][4:6] == [risk.fmt.number(report["auc"], 3), risk.fmt.number(report["brier"], 3)]
    assert not any(word in texts for word in ENGLISH)


def test_page_controls_change_the_list_and_the_curves(page, office):
    at = page("kepala", office)
    at.multiselect(key="risiko_sinyal").set_value(["MANGKIR"])
    at.selectbox(key="risiko_urutan").set_value("mangkir")
    at.radio(key="risiko_km").set_value("program").run()
    assert not at.exception
    rows = _list(at)
    assert len(rows) > 0 and (rows["Mangkir berturut-turut"] >= 2).all()
    assert rows["Mangkir berturut-turut"].is_monotonic_decreasing
    assert set(rows["Sinyal"].str.split(", ").explode()) >= {risk.SIGNALS["MANGKIR"]}
    assert _chart_titles(at)[-1].startswith(risk.KM_TITLES["program"] + "<br><sup>Uji log-rank")
    assert "kurva mulai pada titik prediksi" in _texts(at)


def test_page_for_pk_lists_only_the_own_caseload(page, office, nip):
    at = page("pk", office)
    assert not at.exception and not at.error
    rows = _list(at)
    con = duckdb.connect(str(office), read_only=True)
    try:
        caseload = {r[0] for r in con.execute("select no_register from klien where pk_nip = ?", [nip]).fetchall()}
    finally:
        con.close()
    assert len(rows) > 0 and set(rows["No. Register"]) <= caseload


def test_page_for_pk_counts_above_the_list_what_the_list_holds(page, office, nip):
    """The signal tiles count the own caseload, as the list does; the whole office is said beside them."""
    at = page("pk", office)
    assert not at.exception and not at.error
    rows = _list(at)  # every signal chosen: each client with at least one
    signals = rows["Sinyal"].str.split(", ").explode()
    tiles = {m.label: m.value for m in at.metric[:len(risk.SIGNALS)]}
    assert tiles == {label: risk.fmt.number((signals == label).sum()) for label in risk.SIGNALS.values()}
    office_counts = risk.signal_counts(PERIOD, Viewer("kepala", "kepala"), db_path=office)
    assert (office_counts["klien"] > [int(v.replace(".", "")) for v in tiles.values()]).any()
    texts = _texts(at)
    assert "Angka di atas dan daftar di bawah: hanya klien bimbingan Anda" in texts
    assert (f"Untuk seluruh kantor sesuai saringan: "
            f"{risk.fmt.number(office_counts['klien_aktif'].iloc[0])} klien aktif; "
            + "; ".join(f"{row.label.lower()} {risk.fmt.number(row.klien)}" for row in office_counts.itertuples())
            ) in texts
    assert "Cakupan: grafik sebaran dan kurva bertahan mencakup seluruh kantor sesuai saringan" in texts


def test_model_card_case_table_gives_its_reasons_the_width_they_need(page, office):
    """A Markdown table: a grid cuts the sentences off, st.table wrapped them at 25rem with half its width empty."""
    at = page("kepala", office)
    assert not at.exception
    [table] = [m.value for m in at.markdown if m.value.startswith("| Keterangan | Kasus |")]
    lines = table.split("\n")
    assert lines[1] == "|:--|--:|"  # the counts aligned right
    report = risk.validate(db_path=office).report
    assert lines[2] == f"| Dipakai untuk pelatihan dan validasi | {risk.fmt.number(report['n'])} |"
    assert f"| {risk.fmt.plain(risk.EXCLUSIONS['kehadiran_tidak_tercatat'])} |" in table  # shown as text
    assert lines[-1].startswith("| Jumlah kasus yang sudah mulai bimbingan | ")
    assert not [t for t in at.table if "Keterangan" in t.value.columns]
    assert not [t for t in _tables(at) if {"Keterangan", "Kasus"} <= set(t.columns)]  # no grid cutting text off
    texts = _texts(at)
    assert "bimbingan Anda" not in texts and "Cakupan:" not in texts


def test_list_shows_signals_and_risk_first_and_downloads_what_it_shows(page, office, monkeypatch):
    import ui
    downloads, real = {}, ui.download

    def recording(frame, name, *args, **kwargs):
        downloads[name] = frame
        return real(frame, name, *args, **kwargs)

    monkeypatch.setattr(ui, "download", recording)
    at = page("kepala", office)
    assert not at.exception and not at.error
    rows = _list(at)
    assert list(rows.columns)[:7] == ["No. Register", "Nama", "Jumlah sinyal", "Sinyal", "Kategori model",
                                      "Risiko model", "Faktor utama"]
    [grid] = [d for d in at.dataframe if "Faktor utama" in d.value.columns]
    assert grid.proto.row_height > 64  # Streamlit wraps a cell's text only in rows taller than 4rem
    assert list(downloads["peringatan-dini-risiko"].columns) == list(rows.columns)
    assert downloads["peringatan-dini-risiko"]["No. Register"].tolist() == rows["No. Register"].tolist()
    picker = at.multiselect(key="risiko_sinyal")
    assert picker.value == list(risk.SIGNALS) and picker.proto.wrap  # every chosen signal in sight, none faded out


def test_page_for_pk_filtered_to_another_officer_says_why_the_list_is_empty(page, office, nip):
    other = Filters(PERIOD.mulai, PERIOD.akhir, pk_nip=(_other_pk(office, nip),))
    at = page("pk", office, filters=other)
    assert not at.exception and not at.error
    assert _list(at) is None
    assert [m.value for m in at.metric[:len(risk.SIGNALS)]] == ["–"] * len(risk.SIGNALS)  # not «0»: not counted
    mine = risk.signal_counts(Filters(PERIOD.mulai, PERIOD.akhir, pk_nip=(nip,)), Viewer("kepala", "kepala"),
                              db_path=office)["klien_aktif"].iloc[0]
    theirs = risk.signal_counts(other, Viewer("kepala", "kepala"), db_path=office)["klien_aktif"].iloc[0]
    assert mine > 0 and theirs > 0
    texts = _texts(at)
    assert ("Saringan «Pembimbing Kemasyarakatan» tidak memuat nama Anda, sehingga angka di atas dan daftar di "
            "bawah, yang hanya memuat klien bimbingan Anda, kosong. Anda membimbing "
            f"{risk.fmt.number(mine)} klien aktif pada {risk.fmt.date(AS_OF)}: tambahkan nama Anda pada saringan itu, "
            "atau kosongkan saringannya, untuk melihat mereka. Untuk klien PK yang dipilih pada saringan: "
            f"{risk.fmt.number(theirs)} klien aktif; ") in texts
    assert "Daftar kosong: saringan «Pembimbing Kemasyarakatan» tidak memuat nama Anda." in texts
    assert "hanya klien bimbingan Anda (0 klien aktif" not in texts  # the audit's misleading caption
    assert "Tidak ada klien yang dapat Anda lihat dengan sinyal yang dipilih" not in texts


def _other_pk(office, nip) -> str:
    con = duckdb.connect(str(office), read_only=True)
    try:
        return con.execute("select pk_nip from klien where pk_nip <> ? and status = 'AKTIF' group by 1 "
                           "order by count(*) desc, 1 limit 1", [nip]).fetchall()[0][0]
    finally:
        con.close()


def test_page_for_analis_shows_pseudonyms_only(page, office):
    at = page("analis", office)
    assert not at.exception and not at.error
    rows = _list(at)
    assert "Pseudonim" in rows.columns and not {"Nama", "No. Register"} & set(rows.columns)
    assert rows["Pseudonim"].str.fullmatch(r"K-[0-9A-F]{10}").all()


def test_page_for_kanwil_has_no_list_and_hides_small_numbers(page, office):
    at = page("kanwil", office)
    assert not at.exception and not at.error
    assert _list(at) is None
    assert all(not {"Nama", "No. Register", "Pseudonim"} & set(t.columns) for t in _tables(at))
    assert "hanya data agregat" in _texts(at)
    assert len(at.get("plotly_chart")) == 6
    assert not [row for row in _audit() if row[0] == "kanwil"]
    for metric in at.metric[:4]:
        assert metric.value == "<10" or int(metric.value.replace(".", "")) >= 10


def test_page_without_enough_events_says_so_and_shows_no_model(page, tmp_path_factory):
    small = small_office(tmp_path_factory.mktemp("kecil-halaman"))
    at = page("kepala", small, dt.date(2026, 9, 1))
    assert not at.exception and not at.error
    assert any(w.value.startswith("Tidak cukup data untuk validasi") for w in at.warning)
    titles = _chart_titles(at)
    assert not any(t.startswith("Kalibrasi") for t in titles) and "Kartu skor" not in _texts(at)
    assert not [m for m in at.metric if m.label.startswith("AUC")]
    assert _list(at)["Kategori model"].tolist() == [risk.NO_MODEL]


def test_a_first_fit_that_takes_long_is_announced_not_waited_for(page, office, tmp_path, monkeypatch):
    """National scale: a first fit takes minutes; the page says the model is being trained and comes back."""
    import shutil
    import threading
    import time
    copy = tmp_path / "bapas.duckdb"
    shutil.copyfile(office, copy)
    release, real = threading.Event(), risk._fit

    def slow(*args):
        assert release.wait(120)
        return real(*args)

    monkeypatch.setattr(risk, "_fit", slow)
    monkeypatch.setattr(risk, "PATIENCE", 0.3)
    risk.forget()
    try:
        at = page("kepala", copy)
        assert not at.exception and not at.error
        assert [i.value for i in at.info if i.value.startswith("Model risiko sedang dilatih untuk data ini.")]
        assert not _chart_titles(at) and _list(at) is None  # nothing half-drawn
        release.set()
        deadline = time.monotonic() + 120
        while not risk.ready(db_path=copy) and time.monotonic() < deadline:
            time.sleep(0.1)
        at = page("kepala", copy)
        assert not at.exception and not at.error and len(_chart_titles(at)) == 6
        assert not [i for i in at.info if "sedang dilatih" in i.value]
    finally:
        release.set()
        risk.forget()
