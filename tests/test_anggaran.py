"""Golden tests of the Anggaran page: a small budget, one program run of 3 and one of 10 participants, loaded with
the real loader; each analytics function compared as a whole frame; the page under AppTest for kepala and kanwil."""
import datetime as dt
import json

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics import anggaran
from analytics.filters import Filters
from analytics.viewer import Viewer
from etl.load import load_files
from tests.builders import KEHADIRAN_HEADER, KLIEN_HEADER, klien_row, workbook

D = dt.date
PERIOD = Filters(D(2024, 1, 1), D(2024, 2, 29))  # budget year 2024, realisation counted Jan–Feb
KEPALA, KANWIL = Viewer("k", "kepala"), Viewer("w", "kanwil")
P01, P02 = "Pelatihan Pangkas Rambut Angkatan I 2024", "Pelatihan Menjahit Angkatan I 2024"

BUDGET_HEADER = ["No", "Tahun Anggaran", "Bulan", "Kode Akun", "Uraian Akun", "Kode Program", "Uraian", "Pagu",
                 "Rencana", "Realisasi"]
BUDGET_ROWS = [
    # account 524113 for run P01: ceiling 10 jt, realised 11,9 jt over the year (over the ceiling)
    [1, 2024, None, "3942.BAA.001.051.A.524113", "Perjalanan Dinas Dalam Kota", "P01", "Transport narasumber",
     "Rp 10.000.000", None, None],
    [2, 2024, "Januari", 524113, None, "P01", "Transport narasumber", None, 2_000_000, 3_000_000],
    [3, 2024, 2, 524113, None, "P01", "Transport narasumber", None, 3_000_000, 2_900_000],
    [4, 2024, 3, 524113, None, "P01", "Transport narasumber", None, 5_000_000, 6_000_000],
    # account 521211 without a name in the sheet: general lines, and lines of P01 and P02
    [5, 2024, None, 521211, None, None, "Konsumsi bimbingan", 6_000_000, None, None],
    [6, 2024, 1, 521211, None, None, "Konsumsi bimbingan", None, 1_000_000, 1_000_000],
    [7, 2024, 2, 521211, None, None, "Konsumsi bimbingan", None, 1_000_000, 900_000],
    [8, 2024, 3, 521211, None, None, "Konsumsi bimbingan", None, 2_000_000, None],
    [9, 2024, None, 521211, None, "P01", "Konsumsi pelatihan", 2_000_000, None, None],
    [10, 2024, 2, 521211, None, "P01", "Konsumsi pelatihan", None, 1_000_000, 1_100_000],
    [11, 2024, None, 521211, None, "P02", "Bahan pelatihan menjahit", 2_000_000, None, None],
    [12, 2024, 1, 521211, None, "P02", "Bahan pelatihan menjahit", None, 2_000_000, 2_000_000],
    # an account with neither a name in the sheet nor a known name: shown by its code
    [13, 2024, None, 525119, None, None, "Belanja lain", 1_000_000, None, None],
    # an earlier year (counted whole) and a later one (after the period: not offered)
    [14, 2023, None, 521211, None, None, "Konsumsi bimbingan", 5_000_000, None, None],
    [15, 2023, 12, 521211, None, None, "Konsumsi bimbingan", None, 5_000_000, 4_000_000],
    [16, 2025, None, 521211, None, None, "Konsumsi bimbingan", 9_000_000, None, None],
]
FIRST_DATA_ROW = 6  # two title rows, a spacer, the header, the numbering row


@pytest.fixture(scope="module")
def budget_db(tmp_path_factory):
    """The golden database, built with the real loader (outside the developer's environment)."""
    folder = tmp_path_factory.mktemp("anggaran")
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("BAPAS_KODE", raising=False)
        mp.setenv("BAPAS_CONFIG", str(folder / "tidak-ada.toml"))
        from etl import config
        config.settings.cache_clear()
        regs = [f"A{i}" for i in range(1, 4)] + [f"B{i:02d}" for i in range(1, 11)]
        klien = workbook(folder / "Data Klien.xlsx", {"Data Klien": (KLIEN_HEADER, [
            klien_row(i, reg, f"Klien {reg}", mulai=D(2023, 6, 1), akhir=D(2025, 6, 1))
            for i, reg in enumerate(regs, 1)])})
        program = workbook(folder / "Mitra Pokmas Lipas.xlsx", {"Program": (
            ["No", "Kode Program", "Nama Program", "Kategori", "Tanggal Mulai", "Total Jam"],
            [[1, "P01", P01, "Pelatihan Kerja", "10/01/2024", 12],
             [2, "P02", P02, "Pelatihan Kerja", "10/01/2024", 2]])})
        attendance = [
            ["A1", "10/01/2024", "Hadir"], ["A1", "07/02/2024", "Hadir"],
            ["A2", "10/01/2024", "Terlambat"], ["A2", "07/02/2024", "Tidak Hadir"],
            ["A3", "10/01/2024", "Izin"], ["A3", "06/03/2024", "Hadir"],  # March: after the period
        ]
        rows = [[i, reg, day, "Pelatihan Kerja", "P01", status, None, 4] for i, (reg, day, status) in
                enumerate(attendance, 1)]
        rows += [[10 + i, f"B{i:02d}", "11/01/2024", "Pelatihan Kerja", "P02", "Hadir", None, 2] for i in range(1, 11)]
        kehadiran = workbook(folder / "Kehadiran.xlsx", {"Kehadiran": (KEHADIRAN_HEADER, rows)})
        budget = workbook(folder / "Realisasi Anggaran.xlsx", {"TA 2024": (BUDGET_HEADER, BUDGET_ROWS)})
        path = folder / "bapas.duckdb"
        report = load_files([klien, program, kehadiran, budget], path)
        config.settings.cache_clear()
    assert [(f["kind"], f["rows_loaded"], f["rows_rejected"]) for f in report["files"]] == [
        ("klien", 13, 0), ("program", 2, 0), ("kehadiran", 16, 0), ("anggaran", 16, 0)]
    return path


def _frame(records: list[dict]) -> pd.DataFrame:
    return pd.DataFrame.from_records(records)


def _same(actual: pd.DataFrame, expected: list[dict]) -> None:
    """Whole-frame comparison: same columns in the same order, same rows, numbers to 1e-9."""
    expected_frame = _frame(expected)
    assert list(actual.columns) == list(expected_frame.columns)
    pd.testing.assert_frame_equal(actual.reset_index(drop=True).astype(object).where(actual.notna(), None),
                                  expected_frame.astype(object).where(expected_frame.notna(), None),
                                  check_dtype=False, check_exact=False, rtol=1e-9, atol=1e-9)


def test_years_offered_end_with_the_period_and_default_to_its_year(budget_db):
    assert anggaran.budget_years(PERIOD, budget_db) == [2024, 2023]
    assert anggaran.default_year(PERIOD, [2024, 2023]) == 2024
    assert anggaran.default_year(Filters(D(2026, 1, 1), D(2026, 3, 31)), [2024, 2023]) == 2024
    assert anggaran.budget_years(Filters(D(2024, 1, 1), D(2024, 2, 29), kode_bapas=("BAPAS-LAIN",)), budget_db) == []
    assert (anggaran.through_month(PERIOD, 2024), anggaran.through_month(PERIOD, 2023)) == (2, 12)


def test_absorption_by_account_names_flags_and_cuts_at_the_period_end(budget_db):
    _same(anggaran.absorption_by_account(PERIOD, 2024, budget_db), [
        dict(tahun_anggaran=2024, kode_akun="521211", akun="521211 Belanja Bahan", pagu=10_000_000,
             rencana=5_000_000, realisasi=5_000_000, melebihi_pagu=False, serapan=0.5),
        dict(tahun_anggaran=2024, kode_akun="524113", akun="524113 Perjalanan Dinas Dalam Kota", pagu=10_000_000,
             rencana=5_000_000, realisasi=5_900_000, melebihi_pagu=True, serapan=0.59),
        dict(tahun_anggaran=2024, kode_akun="525119", akun="525119", pagu=1_000_000, rencana=None, realisasi=None,
             melebihi_pagu=False, serapan=0.0),
    ])


def test_absorption_by_year_has_a_total_per_year(budget_db):
    _same(anggaran.absorption_by_year(PERIOD, budget_db), [
        dict(tahun_anggaran=2023, kode_akun=None, akun="Semua akun", pagu=5_000_000, rencana=5_000_000,
             realisasi=4_000_000, melebihi_pagu=False, serapan=0.8),
        dict(tahun_anggaran=2023, kode_akun="521211", akun="521211 Belanja Bahan", pagu=5_000_000,
             rencana=5_000_000, realisasi=4_000_000, melebihi_pagu=False, serapan=0.8),
        dict(tahun_anggaran=2024, kode_akun=None, akun="Semua akun", pagu=21_000_000, rencana=10_000_000,
             realisasi=10_900_000, melebihi_pagu=True, serapan=10.9 / 21),
        dict(tahun_anggaran=2024, kode_akun="521211", akun="521211 Belanja Bahan", pagu=10_000_000,
             rencana=5_000_000, realisasi=5_000_000, melebihi_pagu=False, serapan=0.5),
        dict(tahun_anggaran=2024, kode_akun="524113", akun="524113 Perjalanan Dinas Dalam Kota", pagu=10_000_000,
             rencana=5_000_000, realisasi=5_900_000, melebihi_pagu=True, serapan=0.59),
        dict(tahun_anggaran=2024, kode_akun="525119", akun="525119", pagu=1_000_000, rencana=None, realisasi=None,
             melebihi_pagu=False, serapan=0.0),
    ])


def test_monthly_deviation_against_the_plan(budget_db):
    months = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
    later = [dict(bulan=m, nama_bulan=months[m - 1], rencana=None, realisasi=None, selisih=None, deviasi=None,
                  di_atas_ambang=False) for m in range(4, 13)]
    _same(anggaran.monthly_deviation(PERIOD, 2024, budget_db), [
        dict(bulan=1, nama_bulan="Jan", rencana=5_000_000, realisasi=6_000_000, selisih=1_000_000, deviasi=0.2,
             di_atas_ambang=True),
        dict(bulan=2, nama_bulan="Feb", rencana=5_000_000, realisasi=4_900_000, selisih=-100_000, deviasi=0.02,
             di_atas_ambang=False),
        # March has realisation in the sheet, but it is after the period's end
        dict(bulan=3, nama_bulan="Mar", rencana=7_000_000, realisasi=None, selisih=None, deviasi=None,
             di_atas_ambang=False),
        *later,
    ])
    summary = anggaran.year_summary(PERIOD, 2024, budget_db)
    assert summary == pytest.approx(dict(
        pagu=21_000_000, rencana=10_000_000, realisasi=10_900_000, deviasi_rata=0.11, bulan_di_atas_ambang=1,
        bulan_dinilai=2, bulan_terakhir=2, baris_bulanan=8, serapan=10.9 / 21, tahun=2024, sampai=2))


def test_cumulative_absorption_against_plan_and_straight_line(budget_db):
    plan = [5, 10, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17]
    real = [6.0, 10.9] + [None] * 10
    expected = [dict(bulan=m, nama_bulan=n, pagu=21_000_000, rencana_kumulatif=p * 1_000_000,
                     realisasi_kumulatif=None if r is None else round(r * 1_000_000),
                     serapan_kumulatif=None if r is None else r / 21, rencana_kumulatif_persen=p / 21,
                     garis_lurus=m / 12)
                for m, n, p, r in zip(range(1, 13), ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep",
                                                     "Okt", "Nov", "Des"], plan, real)]
    _same(anggaran.cumulative_absorption(PERIOD, 2024, budget_db), expected)


def test_spending_by_program_puts_general_lines_last(budget_db):
    _same(anggaran.spending_by_program(PERIOD, 2024, budget_db), [
        dict(kode_bapas="BAPAS-BDL", kode_program="P01", program=P01, pagu=12_000_000, realisasi=7_000_000,
             porsi=7 / 10.9, serapan=7 / 12),
        dict(kode_bapas="BAPAS-BDL", kode_program="P02", program=P02, pagu=2_000_000, realisasi=2_000_000,
             porsi=2 / 10.9, serapan=1.0),
        dict(kode_bapas="BAPAS-BDL", kode_program=None, program="Tanpa program (umum)", pagu=7_000_000,
             realisasi=1_900_000, porsi=1.9 / 10.9, serapan=1.9 / 7),
    ])


COST_P01 = dict(kode_bapas="BAPAS-BDL", kode_program="P01", program=P01, realisasi=7_000_000, peserta=3,
                jam_hadir=12.0, biaya_per_peserta=7_000_000 / 3, biaya_per_jam=7_000_000 / 12,
                porsi_transport_honor=5.9 / 7, porsi_konsumsi_bahan=1.1 / 7, porsi_lainnya=0.0,
                akun_dominan="Transport/honor narasumber", disembunyikan=False)
COST_P02 = dict(kode_bapas="BAPAS-BDL", kode_program="P02", program=P02, realisasi=2_000_000, peserta=10,
                jam_hadir=20.0, biaya_per_peserta=200_000.0, biaya_per_jam=100_000.0, porsi_transport_honor=0.0,
                porsi_konsumsi_bahan=1.0, porsi_lainnya=0.0, akun_dominan="Konsumsi/bahan", disembunyikan=False)


def test_cost_per_participant_and_per_attended_hour(budget_db):
    # P01: 3 clients with a row (A3 only excused), hours of HADIR/TERLAMBAT rows up to the period end
    _same(anggaran.cost_per_participant(PERIOD, 2024, KEPALA, budget_db), [COST_P01, COST_P02])


def test_kanwil_does_not_see_a_cost_per_participant_built_on_fewer_than_ten(budget_db):
    hidden = {**COST_P01, "peserta": None, "biaya_per_peserta": None, "disembunyikan": True}
    costs = anggaran.cost_per_participant(PERIOD, 2024, KANWIL, budget_db)
    _same(costs, [COST_P02, hidden])  # a hidden cost is last, so its place tells nothing of its size
    shown = anggaran.display_table(costs, {"program": "Program", "peserta": "Peserta",
                                           "biaya_per_peserta": "Biaya per peserta"},
                                   money=("biaya_per_peserta",), counts=("peserta",),
                                   hidden_with_count=("biaya_per_peserta",))
    assert shown.to_dict("records") == [
        {"Program": P02, "Peserta": "10", "Biaya per peserta": "Rp200.000"},
        {"Program": P01, "Peserta": "<10", "Biaya per peserta": "disembunyikan"}]
    assert "2.333.333" not in shown.to_string()


def test_costs_per_participant_come_largest_first_and_runs_without_participants_last(monkeypatch):
    """The query gives runs in code order; the chart, its table and its download read largest cost first."""
    raw = pd.DataFrame({"kode_bapas": ["BAPAS-BDL"] * 4, "kode_program": ["P01", "P02", "P03", "P04"],
                        "nama_program": ["Las", "Menjahit", "Rohani", "Hidroponik"],
                        "realisasi": [2_000_000, 9_000_000, 1_000_000, 5_000_000], "peserta": [20, 30, 0, 10],
                        "jam_hadir": [40.0, 60.0, 0.0, 20.0], "transport_honor": [0] * 4, "konsumsi_bahan": [0] * 4})
    monkeypatch.setattr(anggaran.db, "frame", lambda *args, **kwargs: raw.copy())
    costs = anggaran.cost_per_participant(PERIOD, 2024, KEPALA)
    assert costs[["kode_program", "biaya_per_peserta"]].astype(object).where(costs.notna(), None).to_dict(
        "records") == [{"kode_program": "P04", "biaya_per_peserta": 500_000.0},
                       {"kode_program": "P02", "biaya_per_peserta": 300_000.0},
                       {"kode_program": "P01", "biaya_per_peserta": 100_000.0},
                       {"kode_program": "P03", "biaya_per_peserta": None}]
    assert list(costs.index) == [0, 1, 2, 3]


def test_budget_lines_of_an_account_with_their_source_rows(budget_db):
    lines = anggaran.budget_lines(PERIOD, 2024, "524113", budget_db)
    _same(lines, [
        dict(kode_bapas="BAPAS-BDL", bulan=b, program=P01, kode_program="P01", uraian="Transport narasumber",
             pagu=p, rencana=r, realisasi=x, melebihi_pagu=True, sumber_file="Realisasi Anggaran.xlsx",
             sumber_sheet="TA 2024", sumber_baris=FIRST_DATA_ROW + i)
        for i, (b, p, r, x) in enumerate([("Pagu tahunan", 10_000_000, None, None), ("Jan", None, 2_000_000, 3_000_000),
                                          ("Feb", None, 3_000_000, 2_900_000), ("Mar", None, 5_000_000, 6_000_000)])])


# --- the page under AppTest -----------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def _fresh_caches():
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def _page(role: str, db, filters: Filters = PERIOD) -> AppTest:
    from analytics.accounts import Account, Store
    from ui import Context
    at = AppTest.from_file("../halaman/anggaran.py", default_timeout=60)
    at.session_state["akun"] = Account(role, role, role, None, None, True)
    at.session_state["_store"] = Store()
    at.session_state["konteks"] = Context(Viewer(role, role), filters, "kustom", db, D(2024, 3, 6), "v", False)
    return at.run()


def _chart_titles(at: AppTest) -> list[str]:
    return [json.loads(chart.proto.spec)["layout"]["title"]["text"] for chart in at.get("plotly_chart")]


TITLES = ["Pagu dan realisasi per akun belanja, TA 2024", "Serapan anggaran per tahun anggaran dan akun",
          "Realisasi bulanan dibanding rencana penarikan (RPD), TA 2024", "Serapan kumulatif terhadap pagu, TA 2024",
          "Belanja per program, TA 2024", "Biaya per peserta dan per jam hadir tiap program",
          "Komposisi belanja tiap program menurut kelompok akun"]


def _cost_table(at: AppTest) -> pd.DataFrame:
    [table] = [d.value for d in at.dataframe if "Biaya per peserta" in d.value.columns]
    return table


def _right_aligned(table) -> list[str]:
    """The columns a table on the page aligns right."""
    return [name for name, config in json.loads(table.proto.columns).items() if config.get("alignment") == "right"]


def _metric_containers(at: AppTest) -> list[tuple[str, str]]:
    """(container key, value) of each key figure in a container of ui.metric's."""
    found = []

    def walk(node) -> None:
        for child in getattr(node, "children", {}).values():
            if type(child).__name__ == "Block" and "-angka-" in child.proto.id:
                [figure] = [c for c in child.children.values() if type(c).__name__ == "Metric"]
                found.append((child.proto.id.split("-angka-")[1], figure.value))
            walk(child)
    walk(at._tree)
    return found


def test_page_for_kepala(budget_db):
    at = _page("kepala", budget_db)
    assert not at.exception and not at.error
    assert [t.value for t in at.title] == ["Anggaran"]
    assert at.selectbox(key="anggaran_tahun").value == 2024
    assert [(m.label, m.value) for m in at.metric] == [
        ("Pagu TA 2024", "Rp21.000.000"), ("Realisasi s.d. Feb 2024", "Rp10.900.000"), ("Serapan", "51,9%"),
        ("Rata-rata deviasi RPD", "11,0%")]
    # each in a container named for its value's length, which app.py's CSS shrinks to fit a narrow column
    assert _metric_containers(at) == [
        ("12-pagu-ta-2024", "Rp21.000.000"), ("12-realisasi-s-d-feb-2024", "Rp10.900.000"), ("5-serapan", "51,9%"),
        ("5-rata-rata-deviasi-rpd", "11,0%")]
    assert _chart_titles(at) == TITLES
    assert [w.value for w in at.warning] == [
        "Realisasi melebihi pagu pada akun: 524113 Perjalanan Dinas Dalam Kota. Periksa rinciannya di bawah."]
    assert any("tidak berlaku untuk anggaran" in c.value for c in at.caption)
    assert [c.value for c in at.caption if "menyimpang" in c.value][0].startswith(
        "Bulan dengan realisasi menyimpang lebih dari 10% dari rencana (RPD) pada TA 2024, Jan–Feb 2024: 1 dari 2 bulan")
    costs = _cost_table(at)
    assert costs[["Program", "Peserta", "Biaya per peserta", "Biaya per jam hadir"]].to_dict("records") == [
        {"Program": P01, "Peserta": "3", "Biaya per peserta": "Rp2.333.333", "Biaya per jam hadir": "Rp583.333"},
        {"Program": P02, "Peserta": "10", "Biaya per peserta": "Rp200.000", "Biaya per jam hadir": "Rp100.000"}]
    lines = [d.value for d in at.dataframe if "Uraian" in d.value.columns][0]
    assert lines["Uraian"].tolist()[:2] == ["Konsumsi bimbingan", "Konsumsi bimbingan"]  # first account: 521211
    # numbers reach the tables as Indonesian text: aligned right, as on Jelajah; words stay left
    [cost_table] = [d for d in at.dataframe if "Biaya per peserta" in d.value.columns]
    assert _right_aligned(cost_table) == ["Peserta", "Jam hadir", "Realisasi", "Biaya per peserta",
                                          "Biaya per jam hadir"]
    [line_table] = [d for d in at.dataframe if "Uraian" in d.value.columns]
    assert _right_aligned(line_table) == ["Pagu", "Rencana (RPD)", "Realisasi"]


def test_page_for_kanwil_hides_small_runs_but_keeps_budget_lines(budget_db):
    at = _page("kanwil", budget_db)
    assert not at.exception and not at.error
    assert _chart_titles(at) == TITLES
    costs = _cost_table(at)
    assert costs[["Program", "Peserta", "Biaya per peserta"]].to_dict("records") == [
        {"Program": P02, "Peserta": "10", "Biaya per peserta": "Rp200.000"},
        {"Program": P01, "Peserta": "<10", "Biaya per peserta": "disembunyikan"}]
    assert costs["Jam hadir"].tolist() == ["20", "12"]  # hours are not people: never hidden
    cost_chart = json.loads(at.get("plotly_chart")[5].proto.spec)
    assert "2333333" not in json.dumps(cost_chart).replace(".", "") and "2.333.333" not in json.dumps(cost_chart)
    assert any("1–9 peserta" in c.value for c in at.caption)
    # budget lines are not person-level: every role may open them
    at.selectbox(key="anggaran_akun").set_value("524113").run()
    lines = [d.value for d in at.dataframe if "Uraian" in d.value.columns][0]
    assert lines["Bulan"].tolist() == ["Pagu tahunan", "Jan", "Feb", "Mar"]
    assert lines["Realisasi"].tolist() == ["–", "Rp3.000.000", "Rp2.900.000", "Rp6.000.000"]


def test_page_year_selector_and_empty_state(budget_db):
    at = _page("kepala", budget_db)
    at.selectbox(key="anggaran_tahun").set_value(2023).run()
    assert not at.exception
    assert [m.value for m in at.metric][:3] == ["Rp5.000.000", "Rp4.000.000", "80,0%"]
    assert [c.value for c in at.caption if "menyimpang" in c.value][0].startswith(
        "Bulan dengan realisasi menyimpang lebih dari 10% dari rencana (RPD) pada TA 2023, Jan–Des 2023: 1 dari 1 bulan")
    assert [i.value for i in at.info] == ["Tidak ada baris anggaran TA 2023 yang terkait dengan kode program, jadi "
                                          "biaya per peserta tidak dapat dihitung."]
    empty = _page("kepala", budget_db, Filters(D(2024, 1, 1), D(2024, 2, 29), kode_bapas=("BAPAS-LAIN",)))
    assert not empty.exception
    assert [i.value for i in empty.info][0].startswith("Belum ada data anggaran")
    assert not empty.get("plotly_chart") and not empty.metric
