"""The frame under AppTest: login, role navigation, the Ringkasan with its figures, audit, timeouts."""
import shutil
import time

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics import ringkasan
from analytics.accounts import Store
from analytics.viewer import Viewer

APP = "../app.py"
PASSWORDS = {u: f"{u}-demo-2026" for u in ("kepala", "pk1", "analis", "kanwil", "operator")}
ROLE_OF = {"kepala": "kepala", "pk1": "pk", "analis": "analis", "kanwil": "kanwil", "operator": "operator"}
ADMIN_PAGES = {"kepala": {"Log Audit", "Pengguna"}, "operator": {"Pengguna"}}


def _expected_nav(user: str) -> list[str]:
    """The role's pages (analytics.viewer.PAGES) whose files exist, in menu order."""
    from pathlib import Path
    from analytics.viewer import PAGES
    titles = {"ringkasan": "Ringkasan", "partisipasi": "Partisipasi & Kesejahteraan", "anggaran": "Anggaran",
              "hambatan": "Hambatan", "mitra": "Mitra", "risiko": "Risiko Residivisme", "jelajah": "Jelajah Data",
              "laporan": "Paparan Kanwil", "unggah": "Unggah Data", "audit": "Log Audit", "pengguna": "Pengguna"}
    pages = Path(__file__).resolve().parent.parent / "halaman"
    return [titles[n] for n in PAGES[ROLE_OF[user]] if (pages / f"{n}.py").is_file()]


NAV = {user: _expected_nav(user) for user in ROLE_OF}


@pytest.fixture(autouse=True)
def _app_env(demo_db, tmp_path, monkeypatch):
    db = tmp_path / "bapas.duckdb"
    shutil.copy(demo_db, db)
    monkeypatch.setenv("BAPAS_DB", str(db))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield db


def _start() -> AppTest:
    return AppTest.from_file(APP, default_timeout=90).run()


def _login(user: str, password: str | None = None) -> AppTest:
    at = _start()
    at.text_input(key="masuk_nama").input(user)
    at.text_input(key="masuk_sandi").input(password or PASSWORDS[user])
    at.button[0].click().run()
    return at


def test_login_page_shows_nothing_else():
    at = _start()
    assert not at.exception
    assert [t.value for t in at.title] == ["Dasbor Pokmas Lipas"]
    assert not at.metric and not at.dataframe and "konteks" not in at.session_state


def test_wrong_password_is_refused_without_saying_which_part():
    at = _login("kepala", "salah-sandi")
    assert [e.value for e in at.error] == ["Nama pengguna atau kata sandi salah"]
    assert "akun" not in at.session_state and not at.metric


@pytest.mark.parametrize("user", list(NAV))
def test_each_role_sees_its_pages_and_a_working_ringkasan(user, _app_env):
    at = _login(user)
    assert not at.exception and not at.error
    assert at.session_state["halaman_tersedia"] == NAV[user]
    assert {"Log Audit", "Pengguna"} & set(NAV[user]) == ADMIN_PAGES.get(user, set())
    assert [t.value for t in at.title] == ["Ringkasan"]
    ctx = at.session_state["konteks"]
    expected = ringkasan.key_figures(ctx.filters, ctx.viewer, db_path=_app_env)
    assert [(m.label, m.value) for m in at.metric] == [(k.label, k.shown) for k in expected]
    assert at.query_params["periode"] in ("3", ["3"])


def test_person_level_list_is_audited_for_kepala_and_absent_for_kanwil(_app_env):
    at = _login("kepala")
    columns = [list(d.value.columns) for d in at.dataframe]
    assert ["No. Register", "Nama", "PK", "Mangkir berturut-turut", "Terpanjang"] in columns
    store = Store()
    kepala = store.login("kepala", PASSWORDS["kepala"])
    actions = [row["aksi"] for row in store.audit_log(kepala)]
    assert "LIHAT_DATA_PERORANGAN" in actions
    kanwil = _login("kanwil")
    assert not any("Nama" in d.value.columns or "No. Register" in d.value.columns for d in kanwil.dataframe)
    assert any("hanya data agregat" in c.value for c in kanwil.caption)


def test_analis_sees_pseudonyms_not_names():
    at = _login("analis")
    tables = [d.value for d in at.dataframe if "Pseudonim" in d.value.columns]
    assert tables and "Nama" not in tables[0].columns
    assert tables[0]["Pseudonim"].str.fullmatch(r"K-[0-9A-F]{10}").all()


@pytest.mark.parametrize("user, page", [("kanwil", "halaman/pengguna.py"), ("operator", "halaman/audit.py"),
                                        ("analis", "halaman/audit.py"), ("pk1", "halaman/pengguna.py")])
def test_pages_outside_the_role_are_not_in_the_navigation(user, page):
    at = _login(user)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page)


@pytest.mark.parametrize("role, page", [("kanwil", "pengguna"), ("operator", "audit"), ("analis", "audit")])
def test_a_page_run_directly_by_the_wrong_role_refuses(role, page):
    """The second lock: a page checks the role itself (AppTest runs a page file with the session seeded)."""
    import datetime as dt
    from analytics.filters import Filters
    from analytics.accounts import Account
    from ui import Context
    at = AppTest.from_file(f"../halaman/{page}.py", default_timeout=60)
    at.session_state["akun"] = Account(role, role, role, None, None, True)
    at.session_state["_store"] = Store()
    at.session_state["konteks"] = Context(Viewer(role, role), Filters(dt.date(2026, 8, 1), dt.date(2026, 10, 31)),
                                          "3", _app_db(), dt.date(2026, 10, 30), "v", True)
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Halaman ini tidak tersedia untuk peran Anda."]
    assert not at.dataframe


def _app_db():
    import os
    from pathlib import Path
    return Path(os.environ["BAPAS_DB"])


def test_operator_user_page_lists_accounts():
    at = _login("operator")
    at.switch_page("halaman/pengguna.py").run()
    assert not at.exception
    users = at.dataframe[0].value
    assert sorted(users["Nama pengguna"]) == sorted(PASSWORDS)


def test_kepala_reads_the_audit_log():
    at = _login("kepala")
    at.switch_page("halaman/audit.py").run()
    assert not at.exception
    log = at.dataframe[0].value
    assert {"Masuk", "Lihat Data Perorangan"} <= set(log["Aksi"])


def test_a_shared_link_reproduces_the_filters(_app_env):
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["periode"] = "kustom"
    at.query_params["dari"] = "2025-01"
    at.query_params["sampai"] = "2025-06"
    at.query_params["program_integrasi"] = "PB"
    at.run()
    at.text_input(key="masuk_nama").input("kepala")
    at.text_input(key="masuk_sandi").input(PASSWORDS["kepala"])
    at.button[0].click().run()
    assert not at.exception
    ctx = at.session_state["konteks"]
    assert (ctx.filters.mulai.isoformat(), ctx.filters.akhir.isoformat(), ctx.filters.program_integrasi) == (
        "2025-01-01", "2025-06-30", ("PB",))
    expected = ringkasan.key_figures(ctx.filters, Viewer("kepala", "kepala"), db_path=_app_env)
    assert [m.value for m in at.metric] == [k.shown for k in expected]
    assert at.query_params["periode"] in ("kustom", ["kustom"])


def test_sidebar_filters_have_no_english_select_all_and_programs_read_as_names(_app_env):
    """Streamlit's "Select all" is English with no way to relabel it, and an empty filter already means all."""
    from analytics.filters import program_label
    at = _login("kepala")
    assert not at.exception
    filters = {m.key: m for m in at.sidebar.multiselect}
    assert {"f_program", "f_pk"} <= set(filters)
    assert {key: m.proto.select_all for key, m in filters.items()} == dict.fromkeys(filters, 0)
    assert {key: m.proto.placeholder for key, m in filters.items()} == dict.fromkeys(filters, "Semua")
    codes = ringkasan.choices(_app_env)["program_integrasi"]
    program = filters["f_program"]
    assert program.options == [program_label(code) for code in codes]
    assert "PB – Pembebasan Bersyarat" in program.options and not set(codes) & set(program.options)
    program.select("PB").run()  # the value stays the code: in the filters and in the link
    assert not at.exception
    assert at.session_state["konteks"].filters.program_integrasi == ("PB",)
    assert at.multiselect(key="f_program").values == ["PB – Pembebasan Bersyarat"]
    assert at.query_params["program_integrasi"] in ("PB", ["PB"])


def test_five_failures_lock_the_account():
    for _ in range(5):
        _login("pk1", "bukan-sandinya")
    at = _login("pk1")
    assert "terkunci" in at.error[0].value and "akun" not in at.session_state


def test_idle_session_ends():
    _login("kepala")  # seeds the store
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["akun"] = Store().login("kepala", PASSWORDS["kepala"])
    at.session_state["aktif_terakhir"] = time.time() - 31 * 60
    at.run()
    assert "akun" not in at.session_state
    assert any("tidak aktif" in w.value for w in at.warning)
    assert [t.value for t in at.title] == ["Dasbor Pokmas Lipas"]


def test_demo_data_carry_a_banner():
    at = _login("kanwil")
    assert any("data demo" in w.value for w in at.warning)


@pytest.mark.slow
def test_fresh_start_builds_the_demo_database(tmp_path, monkeypatch):
    db = tmp_path / "baru" / "bapas.duckdb"
    monkeypatch.setenv("BAPAS_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=240).run()
    assert not at.exception and db.is_file()
    assert [t.value for t in at.title] == ["Dasbor Pokmas Lipas"]
    assert not [i.value for i in at.info if "sedang dibuat" in i.value]  # built: the notice is gone
    at.text_input(key="masuk_nama").input("kepala")
    at.text_input(key="masuk_sandi").input(PASSWORDS["kepala"])
    at.button[0].click().run()
    assert any("data demo" in w.value for w in at.warning) and len(at.metric) == 8
