"""Every role changes its own password in the sidebar; the Pengguna page offers only what the viewer may do."""
import datetime as dt
import shutil

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics.accounts import Store
from analytics.filters import Filters
from analytics.viewer import Viewer

APP = "../app.py"
PASSWORDS = {u: f"{u}-demo-2026" for u in ("kepala", "pk1", "analis", "kanwil", "operator")}
NEW = "sandi-baru-2027"


@pytest.fixture(autouse=True)
def _app_env(demo_db, tmp_path, monkeypatch):
    db = tmp_path / "bapas.duckdb"
    shutil.copy(demo_db, db)
    monkeypatch.setenv("BAPAS_DB", str(db))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield db
    st.cache_data.clear()
    st.cache_resource.clear()


def _login(user: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.text_input(key="masuk_nama").input(user)
    at.text_input(key="masuk_sandi").input(PASSWORDS[user])
    at.button[0].click().run()
    assert not at.exception and at.session_state["akun"].nama_pengguna == user
    return at


def _change(at: AppTest, old: str, new: str, again: str) -> AppTest:
    at.sidebar.text_input(key="sandi_lama").input(old)
    at.sidebar.text_input(key="sandi_baru").input(new)
    at.sidebar.text_input(key="sandi_ulang").input(again)
    at.sidebar.button(key="simpan_sandi").click().run()
    assert not at.exception
    return at


def _messages(at: AppTest) -> tuple[list[str], list[str]]:
    return [s.value for s in at.sidebar.success], [e.value for e in at.sidebar.error]


def _password_works(user: str, sandi: str) -> bool:
    from analytics.accounts import LoginError
    try:
        Store().login(user, sandi)
        return True
    except LoginError:
        return False


@pytest.mark.parametrize("user", list(PASSWORDS))
def test_every_role_changes_its_own_password_in_the_sidebar(user):
    at = _login(user)
    assert [e.label for e in at.sidebar.expander] == ["Ubah kata sandi"]
    _change(at, PASSWORDS[user], NEW, NEW)
    assert _messages(at) == (["Kata sandi Anda sudah diubah; sesi lain akun ini diakhiri. Pakai kata sandi baru saat "
                              "masuk lagi."], [])
    at.run()  # the next run re-checks the account: the session that changed the password goes on
    assert not at.exception and at.session_state["akun"].nama_pengguna == user
    assert at.session_state["akun"].nama_pengguna == user  # still logged in
    assert _password_works(user, NEW) and not _password_works(user, PASSWORDS[user])
    kepala = Store().login("kepala", NEW if user == "kepala" else PASSWORDS["kepala"])
    changes = [(r["nama_pengguna"], r["aksi"], r["keterangan"]) for r in Store().audit_log(kepala)
               if r["aksi"] == "GANTI_SANDI"]
    assert changes == [(user, "GANTI_SANDI", None)]


@pytest.mark.parametrize("old, new, again, message", [
    ("kepala-demo-2026", NEW, NEW + "x", "Kata sandi baru dan ulangannya tidak sama."),
    ("salah-sekali", NEW, NEW, "Kata sandi lama salah"),
    ("kepala-demo-2026", "pendek", "pendek", "Kata sandi minimal 8 karakter"),
    ("kepala-demo-2026", "kepala", "kepala", "Kata sandi minimal 8 karakter"),
    ("kepala-demo-2026", "Kepala  ", "Kepala  ", "Kata sandi tidak boleh sama dengan nama pengguna"),
    ("kepala-demo-2026", "kepala-demo-2026", "kepala-demo-2026", "Kata sandi baru harus berbeda dari kata sandi lama"),
])
def test_a_refused_change_says_why_and_keeps_the_password(old, new, again, message):
    at = _login("kepala")
    _change(at, old, new, again)
    assert _messages(at) == ([], [message])
    assert _password_works("kepala", PASSWORDS["kepala"])
    assert new == PASSWORDS["kepala"] or not _password_works("kepala", new)
    assert at.session_state["akun"].nama_pengguna == "kepala" and [t.value for t in at.title] == ["Ringkasan"]


# -- the Pengguna page, run with the session the frame would set up --------------------------------------------

def _pengguna(user: str, tmp_path) -> AppTest:
    store = Store()
    account = store.login(user, PASSWORDS[user])
    from ui import Context
    at = AppTest.from_file("../halaman/pengguna.py", default_timeout=60)
    at.session_state["akun"] = account
    at.session_state["_store"] = store
    at.session_state["konteks"] = Context(Viewer(user, account.peran), Filters(dt.date(2026, 8, 1),
                                          dt.date(2026, 10, 31)), "3", tmp_path / "bapas.duckdb",
                                          dt.date(2026, 10, 31), "uji", True)
    at.run()
    assert not at.exception and not at.error
    return at


def _offered(at: AppTest) -> dict:
    """What the page offers: roles for a new account, accounts to change, the NIP field, the withheld caption."""
    [roles] = [s for s in at.selectbox if s.label == "Peran"]
    targets = [s for s in at.selectbox if s.label == "Pengguna"]
    return {"peran": roles.options, "pengguna": targets[0].options if targets else [],
            "isian NIP": "NIP PK (18 digit, wajib untuk peran PK)" in [t.label for t in at.text_input],
            "keterangan": [c.value for c in at.caption if "tidak dapat Anda tambah" in c.value],
            "tabel": sorted(at.dataframe[0].value["Nama pengguna"])}


WITHHELD = ("Akun Kepala Bapas, Pembimbing Kemasyarakatan dan Analis tidak dapat Anda tambah atau pilih di bawah: "
            "peran itu dapat melihat data perorangan, sehingga hanya kepala yang dapat menambah, menonaktifkan atau "
            "menyetel ulang kata sandinya.")


def test_the_user_page_offers_each_admin_only_what_it_may_manage(tmp_path):
    Store().seed_demo_accounts("198501012010011001")
    everyone = sorted(PASSWORDS)  # who has an account stays listed for both
    assert {user: _offered(_pengguna(user, tmp_path)) for user in ("operator", "kepala")} == {
        "operator": {"peran": ["Kanwil", "Operator"], "pengguna": ["kanwil"], "isian NIP": False,
                     "keterangan": [WITHHELD], "tabel": everyone},
        "kepala": {"peran": ["Kepala Bapas", "Pembimbing Kemasyarakatan", "Analis", "Kanwil", "Operator"],
                   "pengguna": ["analis", "kanwil", "operator", "pk1"], "isian NIP": True, "keterangan": [],
                   "tabel": everyone},
    }


def test_five_wrong_old_passwords_lock_the_account_and_end_the_session():
    at = _login("analis")
    for _ in range(4):
        _change(at, "salah-sekali", NEW, NEW)
        assert _messages(at) == ([], ["Kata sandi lama salah"])
    _change(at, "salah-sekali", NEW, NEW)
    assert "akun" not in at.session_state
    assert [w.value for w in at.warning][0].startswith("Akun terkunci karena 5 kali gagal masuk; coba lagi setelah ")
    assert [w.value for w in at.warning][0].endswith("; sesi ini diakhiri")
    assert at.text_input(key="masuk_nama")  # the login form
    assert not _password_works("analis", PASSWORDS["analis"])  # locked


@pytest.mark.parametrize("change", ["reset", "disable"])
def test_an_open_session_ends_on_its_next_run_when_the_operator_changes_the_account(change):
    at = _login("kanwil")
    operator = Store().login("operator", PASSWORDS["operator"])
    if change == "reset":
        Store().reset_password(operator, "kanwil", NEW)
    else:
        Store().set_active(operator, "kanwil", False)
    at.run()
    assert not at.exception and "akun" not in at.session_state
    assert [w.value for w in at.warning] == [
        "Kata sandi akun Anda diubah atau disetel ulang; silakan masuk lagi dengan kata sandi baru."
        if change == "reset" else "Akun Anda dinonaktifkan; sesi diakhiri. Hubungi operator."]
    kepala = Store().login("kepala", PASSWORDS["kepala"])
    ends = [r["keterangan"] for r in Store().audit_log(kepala) if r["aksi"] == "KELUAR"]
    assert ends and ends[-1] == [w.value for w in at.warning][0]  # audited with its reason
