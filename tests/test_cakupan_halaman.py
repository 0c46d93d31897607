"""Each figure says what it covers: a PK's office-wide figures beside their own-caseload list (Ringkasan), and the
span of the budget deviation counts on Ringkasan (the period) and Anggaran (the budget year to the period's end)."""
import datetime as dt
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics import format as fmt, ringkasan
from analytics.filters import Filters
from analytics import viewer as scope_of
from analytics.viewer import Viewer
from tests.conftest import query
from tests.test_anggaran import budget_db  # noqa: F401  (the golden budget database, a module fixture)

D = dt.date
PERIOD = Filters(D(2026, 8, 1), D(2026, 10, 31))
CASELOAD_NOTE = "bukan hanya klien bimbingan Anda"
SCOPE = ("Cakupan: angka dan grafik halaman ini mencakup {scope}, bukan hanya klien bimbingan Anda. Di bagian «Perlu "
         "perhatian», hanya daftar klien yang mangkir berturut-turut yang terbatas pada klien bimbingan "
         "Anda{left_out}; PKS mitra yang berakhir dan bulan dengan deviasi anggaran adalah data seluruh kantor, tanpa "
         "saringan PK. Untuk angka klien Anda saja, pilih nama Anda pada saringan «Pembimbing Kemasyarakatan».")


@pytest.fixture(autouse=True)
def _fresh_caches():
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def _page(name: str, role: str, db: Path, filters: Filters, nip: str | None = None,
          as_of: dt.date = D(2026, 10, 30)) -> AppTest:
    from analytics.accounts import Account, Store
    from ui import Context
    at = AppTest.from_file(f"../halaman/{name}.py", default_timeout=90)
    at.session_state["akun"] = Account(role, role, role, nip, None, True)
    at.session_state["_store"] = Store()
    at.session_state["konteks"] = Context(Viewer(role, role, nip, "ab" * 32), filters, "kustom", db, as_of, "v", False)
    return at.run()


def _texts(at: AppTest) -> list[str]:
    return [str(e.value) for kind in ("caption", "markdown", "info") for e in at.get(kind)]


def test_caseload_narrows_a_pk_and_no_one_else():
    filters = Filters(D(2026, 8, 1), D(2026, 10, 31), program_integrasi=("PB",))
    pk = Viewer("pk1", "pk", "199001012015031001")
    assert scope_of.caseload(filters, pk) == Filters(filters.mulai, filters.akhir, (), ("PB",), (pk.pk_nip,))
    assert scope_of.caseload(Filters(filters.mulai, filters.akhir, pk_nip=("X", pk.pk_nip)), pk).pk_nip == (pk.pk_nip,)
    assert scope_of.caseload(Filters(filters.mulai, filters.akhir, pk_nip=("X",)), pk).pk_nip == (scope_of.NO_ONE,)
    assert scope_of.caseload(filters, Viewer("pk2", "pk")).pk_nip == (scope_of.NO_ONE,)
    for role in ("kepala", "analis", "kanwil", "operator"):
        assert scope_of.caseload(filters, Viewer(role, role)) is None
        assert scope_of.figures_scope(filters, Viewer(role, role)) is None
    assert scope_of.figures_scope(filters, pk) == "seluruh kantor sesuai saringan"
    assert scope_of.figures_scope(Filters(filters.mulai, filters.akhir, pk_nip=("X",)), pk) == \
        "klien PK yang dipilih pada saringan"
    assert scope_of.figures_scope(Filters(filters.mulai, filters.akhir, pk_nip=(pk.pk_nip,)), pk) is None


def _most_missed(db: Path) -> str:
    return query(db, "select k.pk_nip from klien k join mangkir_beruntun m using (kode_bapas, no_register) "
                     "where m.mangkir_saat_ini >= 2 and k.status = 'AKTIF' group by 1 order by count(*) desc, 1 "
                     "limit 1")[0][0]


def test_ringkasan_for_a_pk_says_the_figures_are_office_wide_and_counts_the_own_list(demo_db):
    nip = _most_missed(demo_db)
    at = _page("ringkasan", "pk", demo_db, PERIOD, nip)
    assert not at.exception and not at.error
    # the tiles stay the office's figures (the same as the kepala's) and say so
    office = ringkasan.key_figures(PERIOD, Viewer("kepala", "kepala"), db_path=demo_db)
    assert [(m.label, m.value) for m in at.metric] == [(k.label, k.shown) for k in office]
    texts = _texts(at)
    # only the first list of «Perlu perhatian» is the own caseload's; the agreements and budget lists are the office's
    assert SCOPE.format(scope="seluruh kantor sesuai saringan", left_out="") in texts
    assert not [t for t in texts if "hanya daftar di bagian «Perlu perhatian» yang terbatas" in t]
    # the count beside the list is the list's, the office's count is given with it
    everyone, _ = ringkasan.missed_reports(PERIOD, Viewer("kepala", "kepala"), db_path=demo_db)
    _, own = ringkasan.missed_reports(PERIOD, Viewer("pk", "pk", nip), db_path=demo_db)
    assert 0 < len(own) < everyone
    # «mangkir», as the list's columns and the Risiko page say («tidak wajib lapor» reads "not required to report")
    assert not [t for t in texts if "tidak wajib lapor" in t]
    headline = [t for t in texts if "mangkir wajib lapor ≥ 2 kali berturut-turut" in t]
    assert headline == [f"**Klien bimbingan Anda yang aktif dan mangkir wajib lapor ≥ 2 kali berturut-turut: "
                        f"{len(own)}** (seluruh kantor sesuai saringan: {fmt.number(everyone)}; 3 kali berturut-turut "
                        "adalah dasar pencabutan). Daftar di bawah hanya memuat klien bimbingan Anda."]
    [shown] = [d.value for d in at.dataframe if "Mangkir berturut-turut" in d.value.columns]
    assert len(shown) == len(own) and set(shown["No. Register"]) == set(own["no_register"])


def test_ringkasan_for_a_pk_filtered_to_themselves_has_nothing_to_explain(demo_db):
    nip = _most_missed(demo_db)
    mine = Filters(PERIOD.mulai, PERIOD.akhir, pk_nip=(nip,))
    at = _page("ringkasan", "pk", demo_db, mine, nip)
    assert not at.exception and not at.error
    texts = _texts(at)
    assert not [t for t in texts if CASELOAD_NOTE in t or t.startswith("Cakupan:")]
    _, own = ringkasan.missed_reports(mine, Viewer("pk", "pk", nip), db_path=demo_db)
    assert [t for t in texts if t.startswith(f"**Klien aktif yang mangkir wajib lapor ≥ 2 kali berturut-turut: "
                                             f"{len(own)}**")]


def test_ringkasan_for_a_pk_filtered_to_another_officer_says_why_the_own_list_is_empty(demo_db):
    nip = _most_missed(demo_db)
    other = query(demo_db, "select pk_nip from klien where pk_nip <> ? group by 1 order by count(*) desc, 1 limit 1",
                  [nip])[0][0]
    at = _page("ringkasan", "pk", demo_db, Filters(PERIOD.mulai, PERIOD.akhir, pk_nip=(other,)), nip)
    assert not at.exception and not at.error
    texts = _texts(at)
    assert SCOPE.format(scope="klien PK yang dipilih pada saringan", left_out=" (kini kosong: saringan «Pembimbing "
                        "Kemasyarakatan» tidak memuat nama Anda)") in texts
    assert not [d for d in at.dataframe if "Mangkir berturut-turut" in d.value.columns]


@pytest.mark.parametrize("role", ["kepala", "analis", "kanwil"])
def test_ringkasan_for_other_roles_has_no_caseload_note(demo_db, role):
    at = _page("ringkasan", role, demo_db, PERIOD)
    assert not at.exception and not at.error
    texts = _texts(at)
    assert not [t for t in texts if CASELOAD_NOTE in t or "bimbingan Anda" in t or t.startswith("Cakupan:")]
    assert [t for t in texts if t.startswith("**Klien aktif yang mangkir wajib lapor ≥ 2 kali berturut-turut: ")]
    assert not [t for t in texts if "tidak wajib lapor" in t]


def _deviation_texts(at: AppTest) -> list[str]:
    return [t for t in _texts(at) if "menyimpang lebih dari 10% dari rencana" in t]


def test_budget_deviation_counts_name_their_span(budget_db):  # noqa: F811
    """Jan 2024 deviates by 20%, Feb 2024 by 2%: one month in Jan–Feb, none in Feb alone."""
    as_of = D(2024, 3, 6)
    february = Filters(D(2024, 2, 1), D(2024, 2, 29))
    summary = _page("ringkasan", "kepala", budget_db, february, as_of=as_of)
    budget = _page("anggaran", "kepala", budget_db, february, as_of=as_of)
    assert not summary.exception and not budget.exception
    assert _deviation_texts(summary)[0] == ("**Bulan dengan realisasi menyimpang lebih dari 10% dari rencana (RPD) pada "
                                            "periode Februari 2024: 0**")
    assert _deviation_texts(budget) == [
        "Bulan dengan realisasi menyimpang lebih dari 10% dari rencana (RPD) pada TA 2024, Jan–Feb 2024: 1 dari 2 "
        "bulan yang sudah ada realisasinya; rata-rata deviasi di atas dihitung atas bulan-bulan yang sama. Ringkasan "
        "menghitung hanya bulan-bulan periode saringan."]
    assert any("Halaman Anggaran menghitung bulan yang menyimpang per tahun anggaran" in t for t in _texts(summary))
    # over the same months the two pages agree
    both = _page("ringkasan", "kepala", budget_db, Filters(D(2024, 1, 1), D(2024, 2, 29)), as_of=as_of)
    assert _deviation_texts(both)[0] == ("**Bulan dengan realisasi menyimpang lebih dari 10% dari rencana (RPD) pada "
                                         "periode Jan–Feb 2024: 1**")
    assert [d.value["Bulan"].tolist() for d in both.dataframe if "Deviasi" in d.value.columns] == [["Januari 2024"]]


def test_left_out_only_when_a_pk_filter_names_other_officers():
    pk = Viewer("pk1", "pk", "198001012005011001")
    start, end = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
    assert scope_of.left_out(Filters(start, end, pk_nip=("X",)), pk)
    assert not scope_of.left_out(Filters(start, end), pk)
    assert not scope_of.left_out(Filters(start, end, pk_nip=("X", pk.pk_nip)), pk)
    assert not scope_of.left_out(Filters(start, end, pk_nip=("X",)), Viewer("kepala", "kepala"))
