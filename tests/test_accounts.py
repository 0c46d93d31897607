"""The accounts and audit store: logins, lockout, role-checked administration, an audit log nobody loses."""
import datetime as dt
import multiprocessing
import sqlite3
import sys
import types

import pytest
from argon2 import PasswordHasher, Type

from analytics import accounts
from analytics.accounts import (DISABLED, WRONG, Account, AccountError, LoginError, Store, UserInfo, open_store)
from etl import config

NIP = "198501012010011001"
T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=config.TIMEZONE)
LOCKED_AT_T0 = "Akun terkunci karena 5 kali gagal masuk; coba lagi setelah 10:05"
CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID)  # tests only


class Clock:
    """An injectable Asia/Jakarta clock that only moves when told."""

    def __init__(self, start=T0):
        self.t = start

    def __call__(self):
        return self.t

    def advance(self, **delta):
        self.t += dt.timedelta(**delta)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def path(tmp_path):
    return tmp_path / "akses.sqlite"


@pytest.fixture
def store(path, clock) -> Store:
    s = Store(path, now=clock, hasher=CHEAP)
    assert s.seed_demo_accounts(NIP)
    return s


def _as(store, name) -> Account:
    return store.login(name, f"{name}-demo-2026")


def _log(path) -> list[tuple]:
    """(nama_pengguna, peran, aksi, keterangan) of every audit row, oldest first, read around the API."""
    con = sqlite3.connect(path)
    try:
        return con.execute("select nama_pengguna, peran, aksi, keterangan from audit order by id").fetchall()
    finally:
        con.close()


def _fail(store, name, sandi="salah-sekali") -> str:
    with pytest.raises(LoginError) as err:
        store.login(name, sandi)
    return str(err.value)


# -- seeding and login ---------------------------------------------------------------------------------------

def test_demo_accounts_are_seeded_once(store, path, clock):
    assert store.seed_demo_accounts(NIP) is False
    assert Store(path, now=clock, hasher=CHEAP).seed_demo_accounts(NIP) is False
    kepala = _as(store, "kepala")
    assert [(u.nama_pengguna, u.peran, u.pk_nip, u.kode_bapas, u.aktif) for u in store.users(kepala)] == [
        ("analis", "analis", None, "BAPAS-BDL", True),
        ("kanwil", "kanwil", None, None, True),
        ("kepala", "kepala", None, "BAPAS-BDL", True),
        ("operator", "operator", None, "BAPAS-BDL", True),
        ("pk1", "pk", NIP, "BAPAS-BDL", True),
    ]
    assert [row for row in _log(path) if row[2] == "TAMBAH_PENGGUNA"] == [
        ("sistem", None, "TAMBAH_PENGGUNA", "akun demo: kepala, pk1, analis, kanwil, operator")]


def test_seeding_without_a_nip_leaves_out_pk1(tmp_path):
    s = Store(tmp_path / "a.sqlite", hasher=CHEAP)
    assert not s.has_users()
    assert s.seed_demo_accounts(None)
    assert s.has_users()
    assert [u.nama_pengguna for u in s.users(_as(s, "operator"))] == ["analis", "kanwil", "kepala", "operator"]


@pytest.mark.parametrize("name, sandi", [(n, s) for n, _, _, s in accounts.DEMO_ACCOUNTS])
def test_every_demo_account_logs_in_with_its_documented_password(store, name, sandi):
    assert store.login(name, sandi).nama_pengguna == name


def test_login_returns_the_account(store):
    assert store.login("  PK1 ", "pk1-demo-2026") == Account(
        "pk1", "Pembimbing Kemasyarakatan 1 (demo)", "pk", NIP, "BAPAS-BDL", True)


def test_unknown_user_and_wrong_password_get_the_same_message(store, path):
    assert _fail(store, "kepala") == _fail(store, "tidak-ada") == _fail(store, "") == WRONG
    # the typed name of an unknown user is not kept (it is sometimes a password typed in the wrong box)
    assert _log(path)[-3:] == [
        ("kepala", "kepala", "GAGAL_MASUK", "kata sandi salah (1x berturut-turut)"),
        (None, None, "GAGAL_MASUK", "nama pengguna tidak dikenal"),
        (None, None, "GAGAL_MASUK", "nama pengguna tidak dikenal"),
    ]
    assert "tidak-ada" not in str(_log(path))


def test_five_failures_lock_the_account_until_the_clock_passes(store, clock):
    assert [_fail(store, "analis") for _ in range(4)] == [WRONG] * 4
    assert _fail(store, "analis") == LOCKED_AT_T0
    assert _fail(store, "analis", "analis-demo-2026") == LOCKED_AT_T0  # the right password does not help
    clock.advance(minutes=4, seconds=59)
    assert _fail(store, "analis", "analis-demo-2026") == LOCKED_AT_T0
    clock.advance(seconds=1)
    assert _as(store, "analis").nama_pengguna == "analis"


def test_the_lock_time_is_rounded_up_to_the_minute(store, clock):
    clock.advance(seconds=20)
    assert {_fail(store, "analis") for _ in range(5)} == {WRONG, "Akun terkunci karena 5 kali gagal masuk; "
                                                                 "coba lagi setelah 10:06"}


def test_a_lock_that_ran_out_starts_a_fresh_count(store, clock):
    for _ in range(5):
        _fail(store, "analis")
    clock.advance(minutes=5)
    assert [_fail(store, "analis") for _ in range(4)] == [WRONG] * 4
    assert _fail(store, "analis").startswith("Akun terkunci")


def test_a_success_resets_the_counter(store):
    kepala = _as(store, "kepala")
    for _ in range(4):
        _fail(store, "analis")
    assert _lock_state(store, kepala, "analis") == (4, None, False)
    _as(store, "analis")
    assert _lock_state(store, kepala, "analis") == (0, None, False)
    assert [_fail(store, "analis") for _ in range(4)] == [WRONG] * 4


def test_users_show_the_lock(store):
    kepala = _as(store, "kepala")
    for _ in range(5):
        _fail(store, "analis")
    assert _lock_state(store, kepala, "analis") == (5, dt.datetime(2026, 3, 2, 10, 5, tzinfo=config.TIMEZONE), True)


def _lock_state(store, viewer, name):
    [u] = [u for u in store.users(viewer) if u.nama_pengguna == name]
    assert isinstance(u, UserInfo)
    return u.gagal_berturut, u.terkunci_sampai, u.terkunci


def test_a_disabled_account_is_told_only_with_the_right_password(store):
    store.set_active(_as(store, "kepala"), "analis", False)
    assert _fail(store, "analis", "analis-demo-2026") == DISABLED
    assert _fail(store, "analis") == WRONG  # a wrong password does not reveal that the account exists


# -- administration ---------------------------------------------------------------------------------------

def test_operator_adds_disables_enables_and_resets(store, path):
    op = _as(store, "operator")
    made = store.add_user(op, "Kanwil.Dua", "  Siti   Rahma ", "kanwil", "sandi-awal-1", kode_bapas="bapas-bdl")
    assert made == Account("kanwil.dua", "Siti Rahma", "kanwil", None, "BAPAS-BDL", True)
    assert store.login("kanwil.dua", "sandi-awal-1") == made
    assert store.set_active(op, "kanwil.dua", False).aktif is False
    assert _fail(store, "kanwil.dua", "sandi-awal-1") == DISABLED
    store.set_active(op, "kanwil.dua", True)
    for _ in range(5):
        _fail(store, "kanwil.dua")
    store.reset_password(op, "kanwil.dua", "sandi-baru-22")  # also lifts the lock
    assert _fail(store, "kanwil.dua", "sandi-awal-1") == WRONG
    assert store.login("kanwil.dua", "sandi-baru-22") == made
    assert store.account("kanwil.dua") == made
    assert [r for r in _log(path) if r[0] == "operator" and r[2] != "MASUK"] == [
        ("operator", "operator", "TAMBAH_PENGGUNA", "kanwil.dua (kanwil)"),
        ("operator", "operator", "NONAKTIFKAN_PENGGUNA", "kanwil.dua"),
        ("operator", "operator", "AKTIFKAN_PENGGUNA", "kanwil.dua"),
        ("operator", "operator", "SETEL_ULANG_SANDI", "kanwil.dua"),
    ]


OTHER_NIP = "199001012015031002"
# what the operator tried in the audit: make or take over an account that sees names, then log in as it
ESCALATIONS = {
    "add_pk": (lambda s, op: s.add_user(op, "pk.palsu", "PK Palsu", "pk", "sandi-palsu-1", pk_nip=OTHER_NIP),
               "menambah", "Pembimbing Kemasyarakatan", "menambah pengguna: pk.palsu (pk)"),
    "add_pk_same_nip": (lambda s, op: s.add_user(op, "pk.palsu", "PK Palsu", "pk", "sandi-palsu-1", pk_nip=NIP),
                        "menambah", "Pembimbing Kemasyarakatan", "menambah pengguna: pk.palsu (pk)"),
    "add_analis": (lambda s, op: s.add_user(op, "analis.palsu", "Analis Palsu", "analis", "sandi-palsu-1"),
                   "menambah", "Analis", "menambah pengguna: analis.palsu (analis)"),
    "reset_pk": (lambda s, op: s.reset_password(op, "pk1", "sandi-palsu-1"),
                 "mengubah", "Pembimbing Kemasyarakatan", "menyetel ulang kata sandi: pk1 (pk)"),
    "reset_analis": (lambda s, op: s.reset_password(op, "analis", "sandi-palsu-1"),
                     "mengubah", "Analis", "menyetel ulang kata sandi: analis (analis)"),
    "disable_pk": (lambda s, op: s.set_active(op, "pk1", False),
                   "mengubah", "Pembimbing Kemasyarakatan", "mengubah status pengguna: pk1 (pk)"),
    "disable_analis": (lambda s, op: s.set_active(op, "analis", False),
                       "mengubah", "Analis", "mengubah status pengguna: analis (analis)"),
}


@pytest.mark.parametrize("attempt", sorted(ESCALATIONS))
def test_operator_cannot_make_or_take_over_an_account_that_sees_person_level_data(store, path, attempt):
    action, what, label, note = ESCALATIONS[attempt]
    op = _as(store, "operator")
    with pytest.raises(PermissionError) as err:
        action(store, op)
    assert str(err.value) == f"Hanya kepala yang dapat {what} akun {label}: peran ini dapat melihat data perorangan"
    assert _log(path)[-1] == ("operator", "operator", "AKSES_DITOLAK", note)
    assert store.account("pk.palsu") is None and store.account("analis.palsu") is None
    assert _fail(store, "pk1", "sandi-palsu-1") == WRONG and _fail(store, "analis", "sandi-palsu-1") == WRONG
    assert _as(store, "pk1").aktif and _as(store, "analis").aktif  # untouched


def test_the_roles_each_admin_manages():
    assert accounts.manageable_roles("kepala") == ("kepala", "pk", "analis", "kanwil", "operator")
    assert accounts.manageable_roles("operator") == ("kanwil", "operator")
    for role in ("pk", "analis", "kanwil"):
        assert accounts.manageable_roles(role) == ()


def test_a_kepala_manages_pk_accounts_and_a_pk_nip_belongs_to_one_active_pk_account(store, path):
    kepala = _as(store, "kepala")
    with pytest.raises(AccountError) as err:
        store.add_user(kepala, "pk2", "PK Dua", "pk", "sandi-pk-dua", pk_nip="19850101 201001 1 001")
    assert str(err.value) == f"NIP {NIP} sudah dipakai akun PK aktif «pk1»"
    assert store.account("pk2") is None
    made = store.add_user(kepala, "Pk2", "  Siti   Rahma ", "pk", "sandi-pk-dua", pk_nip="19900101 201503 1 002",
                          kode_bapas="bapas-bdl")  # another NIP: fine
    assert made == Account("pk2", "Siti Rahma", "pk", OTHER_NIP, "BAPAS-BDL", True)
    store.reset_password(kepala, "pk2", "sandi-baru-22")
    assert store.login("pk2", "sandi-baru-22") == made
    store.set_active(kepala, "pk1", False)  # the officer left: a new account may take the caseload
    store.add_user(kepala, "pk3", "PK Tiga", "pk", "sandi-pk-tiga", pk_nip=NIP)
    with pytest.raises(AccountError) as err:  # and the old one cannot come back beside it
        store.set_active(kepala, "pk1", True)
    assert str(err.value) == f"NIP {NIP} sudah dipakai akun PK aktif «pk3»"
    assert not store.account("pk1").aktif
    store.set_active(kepala, "pk3", False)
    assert store.set_active(kepala, "pk1", True).aktif
    assert [r for r in _log(path) if r[0] == "kepala" and r[2] != "MASUK"] == [
        ("kepala", "kepala", "TAMBAH_PENGGUNA", "pk2 (pk)"),
        ("kepala", "kepala", "SETEL_ULANG_SANDI", "pk2"),
        ("kepala", "kepala", "NONAKTIFKAN_PENGGUNA", "pk1"),
        ("kepala", "kepala", "TAMBAH_PENGGUNA", "pk3 (pk)"),
        ("kepala", "kepala", "NONAKTIFKAN_PENGGUNA", "pk3"),
        ("kepala", "kepala", "AKTIFKAN_PENGGUNA", "pk1"),
    ]


ADMIN_ACTIONS = {
    "add_user": lambda s, by: s.add_user(by, "baru", "Pengguna Baru", "analis", "sandi-baru-1"),
    "set_active": lambda s, by: s.set_active(by, "analis", False),
    "reset_password": lambda s, by: s.reset_password(by, "analis", "sandi-baru-1"),
    "users": lambda s, by: s.users(by),
    "audit_log": lambda s, by: s.audit_log(by),
}


@pytest.mark.parametrize("role", ["analis", "kanwil", "pk1"])
@pytest.mark.parametrize("action", sorted(ADMIN_ACTIONS))
def test_other_roles_are_refused_and_the_refusal_is_audited(store, path, role, action):
    by = _as(store, role)
    with pytest.raises(PermissionError, match="Peran Anda tidak berwenang"):
        ADMIN_ACTIONS[action](store, by)
    assert _log(path)[-1][:3] == (by.nama_pengguna, by.peran, "AKSES_DITOLAK")
    assert store.account("baru") is None
    assert store.login("analis", "analis-demo-2026").aktif


def test_only_kepala_manages_kepala_accounts(store):
    op, kepala = _as(store, "operator"), _as(store, "kepala")
    with pytest.raises(PermissionError, match="Hanya kepala"):
        store.add_user(op, "kepala2", "Kepala Kedua", "kepala", "sandi-kepala-2")
    with pytest.raises(PermissionError, match="Hanya kepala"):
        store.reset_password(op, "kepala", "sandi-kepala-2")
    with pytest.raises(PermissionError, match="Hanya kepala"):
        store.set_active(op, "kepala", False)
    store.add_user(kepala, "kepala2", "Kepala Kedua", "kepala", "sandi-kepala-2")
    assert store.login("kepala2", "sandi-kepala-2").peran == "kepala"
    assert _as(store, "kepala") == kepala


def test_a_stale_session_of_a_disabled_operator_is_refused(store):
    op, kepala = _as(store, "operator"), _as(store, "kepala")
    store.set_active(kepala, "operator", False)
    with pytest.raises(PermissionError):
        store.add_user(op, "baru", "Pengguna Baru", "analis", "sandi-baru-1")


def test_nobody_disables_themselves(store):
    op = _as(store, "operator")
    with pytest.raises(AccountError, match="^Anda tidak dapat menonaktifkan akun Anda sendiri$"):
        store.set_active(op, "operator", False)
    assert store.account("operator").aktif


@pytest.mark.parametrize("nama, lengkap, peran, sandi, nip, message", [
    ("ab", "A B", "analis", "sandi-oke-1", None,
     "Nama pengguna harus 3–32 karakter: huruf kecil, angka, titik, garis bawah atau tanda hubung"),
    ("nama pakai spasi", "A B", "analis", "sandi-oke-1", None,
     "Nama pengguna harus 3–32 karakter: huruf kecil, angka, titik, garis bawah atau tanda hubung"),
    ("a" * 33, "A B", "analis", "sandi-oke-1", None,
     "Nama pengguna harus 3–32 karakter: huruf kecil, angka, titik, garis bawah atau tanda hubung"),
    ("budi", "   ", "analis", "sandi-oke-1", None, "Nama lengkap wajib diisi"),
    ("budi", "Budi", "admin", "sandi-oke-1", None, "Peran harus salah satu dari: kepala, pk, analis, kanwil, operator"),
    ("budi", "Budi", "pk", "sandi-oke-1", None, "Peran pk memerlukan NIP 18 digit"),
    ("budi", "Budi", "pk", "sandi-oke-1", "12345", "Peran pk memerlukan NIP 18 digit"),
    ("budi", "Budi", "pk", "sandi-oke-1", "19850101201001100X", "Peran pk memerlukan NIP 18 digit"),
    ("budi", "Budi", "analis", "sandi-oke-1", NIP, "NIP PK hanya diisi untuk peran pk"),
    ("budi", "Budi", "analis", "pendek7", None, "Kata sandi minimal 8 karakter"),
    ("budi", "Budi", "analis", "", None, "Kata sandi minimal 8 karakter"),
    ("budi", "Budi", "analis", "x" * 129, None, "Kata sandi maksimal 128 karakter"),
    ("budi.santoso", "Budi", "analis", "Budi.Santoso", None, "Kata sandi tidak boleh sama dengan nama pengguna"),
    ("analis", "Analis Lain", "analis", "sandi-oke-1", None, "Nama pengguna sudah dipakai"),
])
def test_add_user_validation_messages(store, nama, lengkap, peran, sandi, nip, message):
    op = _as(store, "kepala")
    with pytest.raises(AccountError) as err:
        store.add_user(op, nama, lengkap, peran, sandi, pk_nip=nip)
    assert str(err.value) == message
    assert len(store.users(op)) == 5


def test_reset_password_checks_the_new_password(store):
    with pytest.raises(AccountError, match="^Kata sandi tidak boleh sama dengan nama pengguna$"):
        store.reset_password(_as(store, "operator"), "kanwil", "kanwil  ")
    with pytest.raises(AccountError, match="^Pengguna tidak ditemukan$"):
        store.reset_password(_as(store, "operator"), "tidak-ada", "sandi-oke-1")


def test_change_own_password(store, path):
    analis = _as(store, "analis")
    with pytest.raises(AccountError, match="^Kata sandi lama salah$"):
        store.change_own_password(analis, "salah-sekali", "sandi-baru-1")
    with pytest.raises(AccountError, match="^Kata sandi baru harus berbeda dari kata sandi lama$"):
        store.change_own_password(analis, "analis-demo-2026", "analis-demo-2026")
    store.change_own_password(analis, "analis-demo-2026", "sandi-baru-1")
    assert _fail(store, "analis", "analis-demo-2026") == WRONG
    assert store.login("analis", "sandi-baru-1") == analis
    assert [r for r in _log(path) if r[2] == "GANTI_SANDI"] == [
        ("analis", "analis", "GANTI_SANDI", "ditolak: kata sandi lama salah (1x berturut-turut)"),
        ("analis", "analis", "GANTI_SANDI", None),
    ]


def test_wrong_old_passwords_count_towards_the_login_lock(store, clock):
    """An open session left unattended is not a way to guess the password: the fifth wrong one locks the account."""
    analis = _as(store, "analis")
    _fail(store, "analis")
    _fail(store, "analis")  # two wrong logins, then three wrong old passwords in the form
    for _ in range(2):
        with pytest.raises(AccountError, match="^Kata sandi lama salah$") as err:
            store.change_own_password(analis, "salah-sekali", "sandi-baru-1")
        assert not isinstance(err.value, accounts.SessionEnded)
    with pytest.raises(accounts.SessionEnded, match="^" + LOCKED_AT_T0 + "; sesi ini diakhiri$"):
        store.change_own_password(analis, "salah-sekali", "sandi-baru-1")
    assert _fail(store, "analis", "analis-demo-2026") == LOCKED_AT_T0  # the right password is locked out too
    with pytest.raises(AccountError, match="coba lagi setelah 10:05$"):  # even the right old one, while locked
        store.change_own_password(analis, "analis-demo-2026", "sandi-baru-1")
    clock.advance(minutes=5)
    store.change_own_password(analis, "analis-demo-2026", "sandi-baru-1")
    assert store.users(_as(store, "operator"))[0].gagal_berturut == 0  # analis sorts first; a success clears it


def test_a_right_old_password_clears_the_count(store):
    analis = _as(store, "analis")
    for _ in range(4):
        with pytest.raises(AccountError):
            store.change_own_password(analis, "salah-sekali", "sandi-baru-1")
    store.change_own_password(analis, "analis-demo-2026", "sandi-baru-1")
    with pytest.raises(AccountError) as err:  # the count starts again: one wrong is not the fifth
        store.change_own_password(analis, "salah-lagi", "sandi-baru-2")
    assert not isinstance(err.value, accounts.SessionEnded)


def test_an_open_session_ends_when_its_account_changes(store):
    op = _as(store, "operator")
    kanwil, stamp = store.open_session("kanwil", "kanwil-demo-2026")
    assert store.session_end_reason(kanwil, stamp) is None
    assert store.session_stamp("kanwil") == stamp and store.session_stamp("tidak-ada") is None
    assert stamp not in store.account_row("kanwil")["hash_sandi"]  # a digest, not a piece of the hash
    store.reset_password(op, "kanwil", "sandi-baru-22")
    assert store.session_end_reason(kanwil, stamp).startswith("Kata sandi akun Anda diubah atau disetel ulang")
    kanwil, stamp = store.open_session("kanwil", "sandi-baru-22")
    store.set_active(op, "kanwil", False)
    assert store.session_end_reason(kanwil, stamp) == "Akun Anda dinonaktifkan; sesi diakhiri. Hubungi operator."
    store.set_active(op, "kanwil", True)
    assert store.session_end_reason(kanwil, stamp) is None
    as_other_role = Account("kanwil", "kanwil", "analis", None, None, True)
    assert store.session_end_reason(as_other_role, stamp) == "Peran atau data akun Anda diubah; silakan masuk lagi."
    gone = Account("hilang", "hilang", "kanwil", None, None, True)
    assert store.session_end_reason(gone, stamp) == "Akun Anda tidak ada lagi; sesi diakhiri."


def test_changing_ones_password_ends_the_other_sessions_only(store):
    analis, first = store.open_session("analis", "analis-demo-2026")
    _, second = store.open_session("analis", "analis-demo-2026")
    new = store.change_own_password(analis, "analis-demo-2026", "sandi-baru-1")
    assert store.session_end_reason(analis, new) is None  # the session that changed it goes on
    assert store.session_end_reason(analis, first) and store.session_end_reason(analis, second)


def test_wrong_logins_elsewhere_do_not_end_an_open_session(store):
    """Otherwise anyone who knows a user name could end that user's session by typing wrong passwords."""
    analis, stamp = store.open_session("analis", "analis-demo-2026")
    for _ in range(5):
        _fail(store, "analis")
    assert store.session_end_reason(analis, stamp) is None


# -- audit ----------------------------------------------------------------------------------------------

def test_every_attempt_and_admin_action_is_audited(store, path):
    before = len(_log(path))
    op = _as(store, "operator")
    _fail(store, "operator")
    _fail(store, "siapa")
    store.add_user(op, "kanwil2", "Kanwil Dua", "kanwil", "sandi-awal-1")
    store.set_active(op, "kanwil2", False)
    store.set_active(op, "kanwil2", True)
    store.reset_password(op, "kanwil2", "sandi-baru-22")
    store.audit(op, "KELUAR")
    assert _log(path)[before:] == [
        ("operator", "operator", "MASUK", None),
        ("operator", "operator", "GAGAL_MASUK", "kata sandi salah (1x berturut-turut)"),
        (None, None, "GAGAL_MASUK", "nama pengguna tidak dikenal"),
        ("operator", "operator", "TAMBAH_PENGGUNA", "kanwil2 (kanwil)"),
        ("operator", "operator", "NONAKTIFKAN_PENGGUNA", "kanwil2"),
        ("operator", "operator", "AKTIFKAN_PENGGUNA", "kanwil2"),
        ("operator", "operator", "SETEL_ULANG_SANDI", "kanwil2"),
        ("operator", "operator", "KELUAR", None),
    ]


def test_audit_log_is_for_kepala_only_and_newest_first(store, clock):
    pk, kepala = _as(store, "pk1"), _as(store, "kepala")
    clock.advance(days=1)
    store.audit(pk, "LIHAT_DATA_PERORANGAN", halaman="klien", filter={"periode": dt.date(2026, 3, 1), "pk": NIP},
                jumlah_baris=37, keterangan="daftar klien")
    rows = store.audit_log(kepala, since=dt.date(2026, 3, 3))
    assert rows == [{"id": rows[0]["id"], "waktu": "2026-03-03T10:00:00+07:00", "nama_pengguna": "pk1", "peran": "pk",
                     "aksi": "LIHAT_DATA_PERORANGAN", "halaman": "klien",
                     "filter": '{"periode": "2026-03-01", "pk": "198501012010011001"}', "jumlah_baris": 37,
                     "keterangan": "daftar klien"}]
    assert [r["aksi"] for r in store.audit_log(kepala, limit=3)] == ["LIHAT_DATA_PERORANGAN", "MASUK", "MASUK"]
    assert len(store.audit_log(kepala, since=T0)) == len(store.audit_log(kepala))
    for name in ("operator", "analis", "kanwil", "pk1"):
        with pytest.raises(PermissionError):
            store.audit_log(_as(store, name))


def test_audit_rows_cannot_be_changed_or_removed(store, path):
    con = sqlite3.connect(path)
    try:
        for sql in ("update audit set aksi = 'MASUK'", "delete from audit"):
            with pytest.raises(sqlite3.IntegrityError, match="audit hanya dapat ditambah"):
                con.execute(sql)
    finally:
        con.close()


@pytest.mark.parametrize("aksi", ["masuk", "", "LIHAT DATA", None])
def test_audit_action_names_are_upper_case_words(store, aksi):
    with pytest.raises(ValueError):
        store.audit(None, aksi)


# -- the file ---------------------------------------------------------------------------------------------

def test_the_store_survives_the_analytics_database_being_deleted_and_rebuilt(tmp_path, clock, monkeypatch):
    from etl.load import load_files
    from tests.builders import KLIEN_HEADER, klien_row, workbook

    data = tmp_path / "data"
    data.mkdir()
    db = data / "bapas.duckdb"
    book = workbook(tmp_path / "klien.xlsx", {"Data": (KLIEN_HEADER, [klien_row(1, "PB-1", "A")])})
    store = Store(data / "akses.sqlite", now=clock, hasher=CHEAP)
    store.seed_demo_accounts(NIP)
    load_files([book], db)
    kepala = _as(store, "kepala")
    store.audit(kepala, "EKSPOR", jumlah_baris=1)
    before = (store.users(kepala), store.audit_log(kepala), store.pseudonym_secret())
    db.unlink()
    load_files([book], db)
    reopened = Store(data / "akses.sqlite", now=clock, hasher=CHEAP)
    assert (reopened.users(kepala), reopened.audit_log(kepala), reopened.pseudonym_secret()) == before
    monkeypatch.setenv("BAPAS_DB", str(db))
    with pytest.raises(ValueError, match="must not be the analytics database"):
        Store(db)


def test_store_path_comes_from_config(tmp_path, monkeypatch):
    monkeypatch.delenv("BAPAS_AKSES", raising=False)
    assert config.akses_path() == config.ROOT / "data" / "akses.sqlite"
    monkeypatch.setenv("BAPAS_AKSES", str(tmp_path / "x.sqlite"))
    assert config.akses_path() == tmp_path / "x.sqlite"
    assert open_store(hasher=CHEAP).path == tmp_path / "x.sqlite"
    assert config.akses_path(tmp_path / "y.sqlite") == tmp_path / "y.sqlite"


def test_hashes_are_argon2id_and_no_password_is_in_the_file(path):
    store = Store(path)  # the default hasher
    store.seed_demo_accounts(NIP)
    kepala = _as(store, "kepala")
    store.add_user(kepala, "budi", "Budi", "analis", "rahasia-budi-99")
    store.reset_password(kepala, "budi", "rahasia-budi-100")
    con = sqlite3.connect(path)
    hashes = [h for (h,) in con.execute("select hash_sandi from pengguna")]
    con.close()
    assert len(hashes) == 6 and all(h.startswith("$argon2id$v=19$m=19456,t=2,p=1$") for h in hashes)
    assert len(set(hashes)) == 6
    files = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))  # the file, its -wal and -shm
    for _, _, _, sandi in accounts.DEMO_ACCOUNTS:
        assert sandi.encode() not in files
    assert b"rahasia-budi-99" not in files and b"rahasia-budi-100" not in files
    assert b"$argon2id$" in files  # the search would have seen them


def test_an_old_hash_is_upgraded_at_login(path):
    Store(path, hasher=CHEAP).seed_demo_accounts(NIP)
    store = Store(path)
    _as(store, "analis")
    con = sqlite3.connect(path)
    [(h,)] = con.execute("select hash_sandi from pengguna where nama_pengguna = 'analis'").fetchall()
    con.close()
    assert h.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert _as(store, "analis").nama_pengguna == "analis"


def test_the_pseudonym_secret_is_random_and_stable(tmp_path):
    first = Store(tmp_path / "a.sqlite", hasher=CHEAP).pseudonym_secret()
    assert len(first) == 32
    assert Store(tmp_path / "a.sqlite", hasher=CHEAP).pseudonym_secret() == first
    assert Store(tmp_path / "b.sqlite", hasher=CHEAP).pseudonym_secret() != first


# -- two processes ----------------------------------------------------------------------------------------

N_ROWS = 150


def _write_audit_rows(path, worker, start):
    store = Store(path, hasher=CHEAP)  # both open a store that does not exist yet
    start.wait()
    who = Account(f"proses{worker}", "Proses", "analis", None, None, True)
    for i in range(N_ROWS):
        store.audit(who, "UNDUH", jumlah_baris=i)
    return store.pseudonym_secret()


def _worker(path, worker, start, out):
    out.put(_write_audit_rows(path, worker, start))


def test_two_processes_writing_at_once_lose_nothing(path, monkeypatch):
    # an earlier AppTest leaves its page script installed as __main__, which spawn would re-run in the child
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
    ctx = multiprocessing.get_context("spawn")
    start, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(path, w, start, out)) for w in (1, 2)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    secrets_seen = {out.get(timeout=5) for _ in procs}
    con = sqlite3.connect(path)
    rows = con.execute("select nama_pengguna, jumlah_baris from audit order by id").fetchall()
    assert con.execute("pragma integrity_check").fetchone() == ("ok",)
    assert con.execute("pragma journal_mode").fetchone() == ("wal",)
    con.close()
    for w in (1, 2):
        assert [n for who, n in rows if who == f"proses{w}"] == list(range(N_ROWS))
    assert len(rows) == 2 * N_ROWS
    assert secrets_seen == {Store(path, hasher=CHEAP).pseudonym_secret()}


def test_the_password_hash_is_checked_outside_the_write_lock(store, path):
    """Logins pressed together queued behind each other's Argon2 check inside SQLite's lock (5 s busy timeout)."""
    locked_during_check = []

    class Probe(PasswordHasher):
        def verify(self, hash_, password):
            other = sqlite3.connect(path, timeout=0, isolation_level=None)
            try:
                other.execute("begin immediate")  # fails at once if a login holds the write lock now
                other.execute("rollback")
                locked_during_check.append(False)
            except sqlite3.OperationalError:
                locked_during_check.append(True)
            finally:
                other.close()
            return super().verify(hash_, password)

    store._hasher = Probe(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID)
    assert store.login("kepala", "kepala-demo-2026").nama_pengguna == "kepala"
    with pytest.raises(LoginError):
        store.login("kepala", "salah")
    with pytest.raises(LoginError):
        store.login("tidak-ada", "salah")
    assert locked_during_check == [False, False, False]


def test_the_demo_pk_account_carries_the_name_of_its_pk_in_the_data(path):
    """The PK filter lists officers by the name in the data: the demo PK account reads the same."""
    s = Store(path, hasher=CHEAP)
    assert s.seed_demo_accounts(NIP, "  Zahra Wati, S.H., M.H. ")
    assert _as(s, "pk1").nama_lengkap == "Zahra Wati, S.H., M.H. (demo)"
    assert _as(s, "kepala").nama_lengkap == "Kepala Bapas (demo)"
