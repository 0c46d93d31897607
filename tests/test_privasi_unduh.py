"""No way around the audited, formula-safe, small-number-safe downloads: Streamlit's own table export is off, the
Kaplan–Meier curves of aggregate-only roles draw no group with 1–9 cases or failures, hidden rates read
«disembunyikan» (not «<10», which reads as «under 10%»), and charts carry the Indonesian plotly config."""
import ast
import datetime as dt
import io
import json
import math
import tomllib
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics import charts, charts_mitra, charts_partisipasi, charts_risiko, mitra, risk
from analytics.privacy import HIDDEN_COL, HIDDEN_VALUE, SMALL, is_small
from analytics.viewer import Viewer
from tests.test_mitra import KANWIL as MITRA_KANWIL, PERIOD as MITRA_PERIOD, fixture_db  # noqa: F401 (fixture)
from tests.test_partisipasi import office, page  # noqa: F401 (fixtures: the Partisipasi office and its page)
from tests.test_risk import PERIOD as RISK_PERIOD, office_db

ROOT = Path(__file__).resolve().parent.parent
KEPALA, KANWIL, OPERATOR = Viewer("kepala", "kepala"), Viewer("kanwil", "kanwil"), Viewer("operator", "operator")


# --- 1. Streamlit's own "Download as CSV" and cell copying --------------------------------------------------------

def test_streamlit_own_table_export_and_copy_are_off():
    """Every st.dataframe of the app: no toolbar CSV download, no cell copy (client.disableDataExport)."""
    from streamlit import config as streamlit_config
    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["client"]
    assert settings.get("disableDataExport") is True
    assert "client.disableDataExport" in streamlit_config._config_options_template  # a real option, not a typo
    # "minimal" would also remove the running indicator and its Stop button (the ⋮ menu is handled in app.py's CSS)
    assert settings.get("toolbarMode") == "viewer"


def test_the_mitra_grid_gets_a_stand_in_never_a_hidden_count(fixture_db):  # noqa: F811
    """Hidden cells reach the browser as one constant that no one takes for a count, shown «<10»/«disembunyikan»."""
    card = mitra.scorecard(MITRA_PERIOD, MITRA_KANWIL, db_path=fixture_db)
    styler = charts_mitra.scorecard_table(card)
    data = styler.data
    assert math.isinf(charts_mitra.STAND_IN) and charts_mitra.STAND_IN < 0  # «Format»/«Statistics»: -Infinity
    hidden = card["peserta"].isna().to_numpy()
    assert hidden.any() and (~hidden).any()
    peserta = mitra.SCORECARD_LABELS["peserta"]
    assert data.loc[hidden, peserta].tolist() == [charts_mitra.STAND_IN] * int(hidden.sum())
    assert all(math.isfinite(v) for v in data.loc[~hidden, peserta])
    shown = pd.read_csv(io.StringIO(styler.to_string(delimiter="\t")), sep="\t", dtype=str)
    assert shown.loc[hidden, peserta].tolist() == [SMALL] * int(hidden.sum())
    assert set(shown.loc[hidden, mitra.SCORECARD_LABELS["tingkat_penyelesaian"]]) == {HIDDEN_VALUE}


# --- 2. Kaplan–Meier curves for aggregate-only roles --------------------------------------------------------------

@pytest.fixture(scope="module")
def risk_office(tmp_path_factory) -> Path:
    return office_db(tmp_path_factory)


@pytest.mark.parametrize("by", list(risk.KM_BY))
def test_km_curves_draw_no_group_with_1_to_9_cases_or_failures_for_aggregate_roles(risk_office, by):
    full = risk.survival(by, RISK_PERIOD, KEPALA, db_path=risk_office)
    truth = full.groups.set_index("kelompok")
    small = {g for g, row in truth.iterrows() if is_small(row["n"]) or is_small(row["kejadian"])}
    for viewer in (KANWIL, OPERATOR):
        shown = risk.survival(by, RISK_PERIOD, viewer, db_path=risk_office)
        drawn = set(shown.curves["kelompok"]) if not shown.curves.empty else set()
        assert drawn == set(truth.index) - small, viewer.role
        assert set(shown.hidden) == small and set(shown.at_risk["kelompok"]) == drawn
        assert list(shown.groups["kelompok"]) == list(truth.index)  # the table still lists every group («<10»)
        for group in drawn:  # n ≥ 10 and 0 or ≥ 10 failures
            assert truth.loc[group, "n"] >= 10 and not is_small(truth.loc[group, "kejadian"])
            # the curve stops before a tick where fewer than 10 remain at risk
            rows = shown.at_risk[shown.at_risk["kelompok"] == group]
            few = [t for t, n in zip(rows["bulan"], rows["berisiko"]) if n == SMALL]
            if few:
                assert shown.curves[shown.curves["kelompok"] == group]["bulan"].max() < min(few)
        figure = charts_risiko.km_plot(shown, "Kurva")
        names = " ".join(str(t.name) + str(t.hovertemplate) for t in figure.data)
        assert not any(g in names for g in small - drawn)
        if small:
            text = charts_risiko.km_hidden_text(shown)
            assert text.startswith("Tidak digambar:") and all(f"«{g}»" in text for g in small)


def test_km_for_kepala_draws_every_group(risk_office):
    for by in risk.KM_BY:
        full = risk.survival(by, RISK_PERIOD, KEPALA, db_path=risk_office)
        assert full.hidden == ()
        assert set(full.curves["kelompok"]) == set(full.groups["kelompok"]) == set(full.at_risk["kelompok"])
    # the office plants at least one group the rule has to hide (here: few failures without any program)
    program = risk.survival("program", RISK_PERIOD, KEPALA, db_path=risk_office).groups.set_index("kelompok")
    assert is_small(program.loc["Tidak ikut kegiatan", "kejadian"])


# --- 3. a hidden rate is «disembunyikan», a hidden count «<10» ----------------------------------------------------

def _completion(hidden: bool) -> pd.DataFrame:
    return pd.DataFrame({
        "kode_bapas": ["BAPAS-BDL"], "kode_program": ["R1"], "nama_program": ["Pelatihan Las Angkatan I"],
        "kategori": ["PELATIHAN_KERJA"], "nama_mitra": ["LPK Maju Jaya"], "tanggal_mulai": [pd.Timestamp(2026, 9, 15)],
        "tanggal_selesai": [pd.Timestamp(2026, 10, 13)], "berjalan": [False], "sesi_program": [4],
        "peserta": pd.array([12], dtype="Int64"), "selesai": pd.array([None if hidden else 11], dtype="Int64"),
        "tingkat_penyelesaian": [None if hidden else 11 / 12], HIDDEN_COL: [hidden]})


def test_completion_table_words_a_hidden_rate_apart_from_a_hidden_count():
    table = charts_partisipasi.completion_table(_completion(hidden=True)).to_dict("records")[0]
    assert (table["Peserta"], table["Selesai"], table["Tingkat penyelesaian"]) == ("12", SMALL, HIDDEN_VALUE)
    shown = charts_partisipasi.completion_table(_completion(hidden=False))
    assert shown["Tingkat penyelesaian"].tolist() == ["91,7%"]


def test_partisipasi_page_for_kanwil_says_disembunyikan_for_rates(page):  # noqa: F811
    at = page("kanwil")
    assert not at.exception and not at.error
    completion = at.dataframe[0].value
    assert completion["Peserta"].tolist() == ["12", SMALL]  # counts keep «<10»
    assert completion["Tingkat penyelesaian"].tolist() == [HIDDEN_VALUE, HIDDEN_VALUE]
    assert SMALL not in set(at.dataframe[1].value["Median penghasilan per bulan"])
    assert any("«disembunyikan»" in c.value for c in at.caption)
    kepala = page("kepala")
    assert kepala.dataframe[0].value["Tingkat penyelesaian"].tolist() == ["91,7%", "100,0%"]


def test_risk_group_table_words_hidden_rates_apart():
    table = pd.DataFrame({"Kelompok": ["Umur"], "Kasus": [SMALL], "Kegagalan": [SMALL], "Tingkat dasar": [SMALL],
                          "AUC": [SMALL], "Positif palsu (FPR)": ["12,0%"]})
    shown = charts_risiko.group_table(table).to_dict("records")
    assert shown == [{"Kelompok": "Umur", "Kasus": SMALL, "Kegagalan": SMALL, "Tingkat dasar": HIDDEN_VALUE,
                      "AUC": HIDDEN_VALUE, "Positif palsu (FPR)": "12,0%"}]


# --- 4. Plotly's texts in Indonesian, no unaudited image download ------------------------------------------------

def _plotly_calls(path: Path) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
            and n.func.attr == "plotly_chart"]


# halaman/ringkasan.py belongs to another session: its chart is covered by app.py's CSS (test_widget_texts.py)
OWN_CHART_FILES = [ROOT / "ui" / "__init__.py", *(ROOT / "halaman" / f"{n}.py" for n in ("risiko", "jelajah"))]


@pytest.mark.parametrize("path", OWN_CHART_FILES, ids=lambda p: p.name)
def test_charts_use_the_indonesian_plotly_config(path):
    calls = _plotly_calls(path)
    assert calls
    for call in calls:
        config = {k.arg: k.value for k in call.keywords}.get("config")
        assert isinstance(config, ast.Name) and config.id == "PLOTLY_CONFIG", f"{path.name}:{call.lineno}"


def test_plotly_config_speaks_indonesian_and_offers_no_image_download():
    config = charts.PLOTLY_CONFIG
    json.dumps(config)  # goes to the browser as JSON
    assert config["locale"] == "id" and config["locales"]["id"]["dictionary"] is charts.PLOTLY_TEXTS
    assert "toImage" in config["modeBarButtonsToRemove"] and config["displaylogo"] is False
    for english in ("Zoom", "Pan", "Zoom in", "Zoom out", "Autoscale", "Reset axes", "Download plot as a PNG",
                    "Double-click to zoom back out"):
        assert charts.PLOTLY_TEXTS[english] != english
    assert config["locales"]["id"]["format"]["shortMonths"][4] == "Mei"


def test_a_page_passes_the_config_to_the_browser(fixture_db):  # noqa: F811
    from analytics.accounts import Account, Store
    from ui import Context
    st.cache_data.clear()
    at = AppTest.from_file("../halaman/mitra.py", default_timeout=60)
    at.session_state["akun"] = Account("kanwil", "kanwil", "kanwil", None, None, True)
    at.session_state["_store"] = Store()
    at.session_state["konteks"] = Context(MITRA_KANWIL, MITRA_PERIOD, "3", fixture_db, dt.date(2026, 9, 30),
                                          "uji-privasi", False)
    at.run()
    st.cache_data.clear()
    assert not at.exception and at.get("plotly_chart")
    for element in at.get("plotly_chart"):
        config = json.loads(element.proto.config)
        assert config["locale"] == "id" and "toImage" in config["modeBarButtonsToRemove"]


# --- 5. The two download buttons --------------------------------------------------------------------------------

def _two_downloads():
    import pandas as pd
    from ui import download
    download(pd.DataFrame({"a": [1]}), "contoh", "Ringkasan")


def test_the_download_buttons_sit_side_by_side_at_their_own_width():
    """Not in columns a sixth of the page wide: at 1000 px with the menu open those cut «Unduh XLSX» to «Unduh…»."""
    at = AppTest.from_function(_two_downloads)
    at.run()
    assert not at.exception
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == ["Unduh CSV", "Unduh XLSX"]
    assert not at.columns
    [row] = [block for block in at.main.children.values() if block.type == "flex_container"]
    assert len(row.children) == 2
