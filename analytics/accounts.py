"""The accounts and audit store: its own SQLite file, never the analytics database a load may replace."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import secrets
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from analytics.viewer import AGGREGATE_ONLY, ROLE_LABELS
from etl import config

ROLES = ("kepala", "pk", "analis", "kanwil", "operator")
ADMIN_ROLES = ("operator", "kepala")
# what each admin role may create, reset, enable or disable: an operator only accounts that see no person-level
# data, so no account it makes or resets can show it a name
MANAGED_ROLES = {"kepala": ROLES, "operator": tuple(r for r in ROLES if r in AGGREGATE_ONLY)}
ONLY_KEPALA = "Hanya kepala yang dapat {what} akun {peran}: peran ini dapat melihat data perorangan"
LOCK_AFTER = 5
LOCK_MINUTES = 5
BUSY_TIMEOUT_SECONDS = 5.0
SYSTEM = "sistem"
AKSI = ("MASUK", "GAGAL_MASUK", "KELUAR", "LIHAT_DATA_PERORANGAN", "UNDUH", "EKSPOR", "TAMBAH_PENGGUNA",
        "NONAKTIFKAN_PENGGUNA", "AKTIFKAN_PENGGUNA", "SETEL_ULANG_SANDI", "GANTI_SANDI", "AKSES_DITOLAK",
        "MUAT_DATA", "BATALKAN_MUAT", "KELUARKAN_DEMO", "JELAJAH_KUERI", "SQL_KUERI", "SQL_DITOLAK", "UNDUH_PAPARAN")

# Argon2id with OWASP's first recommended setting (19 MiB, 2 passes, 1 lane): ~20 ms per hash on the
# 2-core server, so a login stays instant while every guess against a stolen file costs 19 MiB of memory.
HASH_PARAMETERS = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1, "hash_len": 32, "salt_len": 16}

WRONG = "Nama pengguna atau kata sandi salah"
DISABLED = "Akun dinonaktifkan, hubungi operator"
LOCKED = "Akun terkunci karena {n} kali gagal masuk; coba lagi setelah {jam}"
LOCKED_CHANGE = "Akun sedang terkunci karena kata sandi salah berulang kali; coba lagi setelah {jam}"

DEMO_ACCOUNTS = (  # (nama_pengguna, nama_lengkap, peran, sandi); the README names them: change them for real use
    ("kepala", "Kepala Bapas (demo)", "kepala", "kepala-demo-2026"),
    ("pk1", "Pembimbing Kemasyarakatan 1 (demo)", "pk", "pk1-demo-2026"),
    ("analis", "Analis Data (demo)", "analis", "analis-demo-2026"),
    ("kanwil", "Petugas Kanwil (demo)", "kanwil", "kanwil-demo-2026"),
    ("operator", "Operator (demo)", "operator", "operator-demo-2026"),
)

_NAME = re.compile(r"[a-z0-9._-]{3,32}")
_NIP = re.compile(r"[0-9]{18}")
_AKSI = re.compile(r"[A-Z][A-Z_]{1,39}")

SCHEMA = """
create table if not exists pengguna (
    nama_pengguna   text primary key,
    nama_lengkap    text not null,
    peran           text not null check (peran in ('kepala', 'pk', 'analis', 'kanwil', 'operator')),
    pk_nip          text check (pk_nip is null or (length(pk_nip) = 18 and pk_nip not glob '*[^0-9]*')),
    kode_bapas      text,
    hash_sandi      text not null check (hash_sandi like '$argon2id$%'),
    aktif           integer not null default 1 check (aktif in (0, 1)),
    gagal_berturut  integer not null default 0 check (gagal_berturut >= 0),
    terkunci_sampai text,
    dibuat_pada     text not null,
    diubah_pada     text not null,
    diubah_oleh     text,
    check (peran <> 'pk' or pk_nip is not null)
);
create table if not exists audit (
    id            integer primary key autoincrement,
    waktu         text not null,
    nama_pengguna text,
    peran         text,
    aksi          text not null,
    halaman       text,
    filter        text,
    jumlah_baris  integer,
    keterangan    text
);
create index if not exists audit_waktu on audit (waktu);
create trigger if not exists audit_tidak_diubah before update on audit
begin select raise(abort, 'audit hanya dapat ditambah'); end;
create trigger if not exists audit_tidak_dihapus before delete on audit
begin select raise(abort, 'audit hanya dapat ditambah'); end;
create table if not exists rahasia (
    id          integer primary key check (id = 1),
    nilai       text not null,
    dibuat_pada text not null
);
"""


class LoginError(Exception):
    """A refused login; the message is for the user."""


class AccountError(ValueError):
    """A refused account change (invalid input, unknown user); the message is for the user."""


class SessionEnded(AccountError):
    """A refused change after which the session must end (the account was just locked)."""


@dataclass(frozen=True)
class Account:
    """Who is signed in: the fields every role check needs."""
    nama_pengguna: str
    nama_lengkap: str
    peran: str
    pk_nip: str | None
    kode_bapas: str | None
    aktif: bool


@dataclass(frozen=True)
class UserInfo:
    """One row of the user page: the account plus its lock state and change stamp."""
    nama_pengguna: str
    nama_lengkap: str
    peran: str
    pk_nip: str | None
    kode_bapas: str | None
    aktif: bool
    gagal_berturut: int
    terkunci_sampai: dt.datetime | None
    terkunci: bool
    dibuat_pada: dt.datetime
    diubah_pada: dt.datetime
    diubah_oleh: str | None


def default_hasher() -> PasswordHasher:
    """The Argon2id hasher with the parameters above."""
    return PasswordHasher(type=Type.ID, **HASH_PARAMETERS)


def open_store(path: str | os.PathLike | None = None, **kwargs) -> Store:
    """The store at `path` (else config.akses_path()), its tables created if missing."""
    return Store(path, **kwargs)


class Store:
    """Accounts, logins and the audit log; every operation is its own short transaction."""

    def __init__(self, path: str | os.PathLike | None = None, now: Callable[[], dt.datetime] | None = None,
                 hasher: PasswordHasher | None = None):
        self.path = Path(path) if path else config.akses_path()
        if self.path.resolve() == config.db_path().resolve() or self.path.suffix == ".duckdb":
            raise ValueError(f"{self.path}: the accounts store must not be the analytics database")
        self._now = now or config.now
        self._hasher = hasher or default_hasher()
        self._create()

    # -- connections ------------------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        con.row_factory = sqlite3.Row
        return con

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, the lock taken up front; a refusal still commits the audit row it wrote."""
        con = self._connect()
        try:
            con.execute("begin immediate")
            try:
                yield con
            except (LoginError, AccountError, PermissionError):
                con.commit()
                raise
            except BaseException:
                con.rollback()
                raise
            con.commit()
        finally:
            con.close()

    def _create(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():  # password hashes: readable by the service account only
            try:
                os.close(os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            except FileExistsError:
                pass
        con = self._connect()
        try:
            con.execute("pragma journal_mode = wal")  # readers never block the writer; kept in the file
            con.executescript("begin immediate;" + SCHEMA + "commit;")
        finally:
            con.close()
        with self._transaction() as con:  # made once: a second opener's secret is ignored
            con.execute("insert or ignore into rahasia values (1, ?, ?)", [secrets.token_hex(32), self._stamp()])

    # -- time and hashing -------------------------------------------------------------------------------

    def _time(self) -> dt.datetime:
        return self._now().astimezone(config.TIMEZONE)

    def _stamp(self, moment: dt.datetime | None = None) -> str:
        return (moment or self._time()).astimezone(config.TIMEZONE).isoformat(timespec="seconds")

    def _verify(self, hash_sandi: str, sandi: str) -> bool:
        try:
            return self._hasher.verify(hash_sandi, sandi or "")
        except (VerificationError, InvalidHashError):
            return False

    @cached_property
    def _dummy_hash(self) -> str:
        return self._hasher.hash(secrets.token_hex(16))

    # -- audit ------------------------------------------------------------------------------------------

    def _record(self, con, nama_pengguna, peran, aksi, halaman=None, filter=None, jumlah_baris=None,
                keterangan=None) -> None:
        if not isinstance(aksi, str) or not _AKSI.fullmatch(aksi):
            raise ValueError(f"aksi must be upper-case words joined by '_', got {aksi!r}")
        filter_json = None if filter is None else json.dumps(filter, ensure_ascii=False, sort_keys=True, default=str)
        con.execute("insert into audit (waktu, nama_pengguna, peran, aksi, halaman, filter, jumlah_baris, keterangan)"
                    " values (?, ?, ?, ?, ?, ?, ?, ?)",
                    [self._stamp(), nama_pengguna, peran, aksi, halaman, filter_json,
                     None if jumlah_baris is None else int(jumlah_baris), keterangan])

    def audit(self, account: Account | None, aksi: str, halaman: str | None = None, filter: dict | None = None,
              jumlah_baris: int | None = None, keterangan: str | None = None) -> None:
        """Append one audit row (who, when, what) in its own committed transaction."""
        with self._transaction() as con:
            self._record(con, account.nama_pengguna if account else None, account.peran if account else None,
                         aksi, halaman, filter, jumlah_baris, keterangan)

    def audit_log(self, viewer: Account, since: dt.date | dt.datetime | str | None = None,
                  limit: int = 1000) -> list[dict]:
        """The newest audit rows first, from `since` on; only an active kepala may read them."""
        with self._transaction() as con:
            self._authorize(con, viewer, ("kepala",), "membaca log audit")
        sql, params = "select * from audit", []
        if since is not None:
            if isinstance(since, dt.datetime):
                since = self._stamp(since if since.tzinfo else since.replace(tzinfo=config.TIMEZONE))
            sql, params = sql + " where waktu >= ?", [str(since)]
        con = self._connect()
        try:
            rows = con.execute(sql + " order by id desc limit ?", [*params, int(limit)]).fetchall()
        finally:
            con.close()
        return [dict(r) for r in rows]

    # -- roles ------------------------------------------------------------------------------------------

    def _authorize(self, con, by: Account | None, roles: tuple[str, ...], what: str) -> sqlite3.Row:
        """The actor's current row if it is active and holds one of `roles`; otherwise record and refuse."""
        row = by and con.execute("select * from pengguna where nama_pengguna = ?", [by.nama_pengguna]).fetchone()
        if row is not None and row["aktif"] and row["peran"] in roles:
            return row
        self._record(con, by.nama_pengguna if by else None, by.peran if by else None, "AKSES_DITOLAK",
                     keterangan=what)
        raise PermissionError(f"Peran Anda tidak berwenang {what}")

    def _manage(self, con, by: Account, target: str, what: str) -> tuple[sqlite3.Row, sqlite3.Row]:
        """(actor, target) rows for a user change; the target's role must be one the actor manages."""
        actor = self._authorize(con, by, ADMIN_ROLES, what)
        row = con.execute("select * from pengguna where nama_pengguna = ?", [_clean_name(target)]).fetchone()
        if row is None:
            raise AccountError("Pengguna tidak ditemukan")
        if row["peran"] not in manageable_roles(actor["peran"]):
            self._record(con, actor["nama_pengguna"], actor["peran"], "AKSES_DITOLAK",
                         keterangan=f"{what}: {row['nama_pengguna']} ({row['peran']})")
            raise PermissionError(ONLY_KEPALA.format(what="mengubah", peran=_label(row["peran"])))
        return actor, row

    @staticmethod
    def _nip_holder(con, nip: str | None, other_than: str) -> str | None:
        """The name of another active PK account that holds this NIP, if any."""
        if nip is None:
            return None
        row = con.execute("select nama_pengguna from pengguna where peran = 'pk' and aktif = 1 and pk_nip = ?"
                          " and nama_pengguna <> ? order by nama_pengguna limit 1", [nip, other_than]).fetchone()
        return row and row["nama_pengguna"]

    # -- login ------------------------------------------------------------------------------------------

    def login(self, nama_pengguna: str, sandi: str) -> Account:
        """The account for a correct name and password; LoginError otherwise. Every attempt is audited."""
        return self.open_session(nama_pengguna, sandi)[0]

    def open_session(self, nama_pengguna: str, sandi: str) -> tuple[Account, str]:
        """login, plus the stamp of the password it checked (session_end_reason compares it on every run)."""
        name = _clean_name(nama_pengguna)
        # the slow hash check runs before the write lock, so logins pressed together do not queue behind it
        # (SQLite's busy timeout); inside the lock it is redone only if the password changed meanwhile
        checked: dict[str, bool] = {}
        before = self.account_row(name)
        if before is None:
            self._verify(self._dummy_hash, sandi)  # the same work as a real check: timing shows no names
        else:
            checked[before["hash_sandi"]] = self._verify(before["hash_sandi"], sandi)
        with self._transaction() as con:
            now = self._time()
            row = con.execute("select * from pengguna where nama_pengguna = ?", [name]).fetchone()
            if row is None:
                # the typed name is not kept: people type their password into the name field
                self._record(con, None, None, "GAGAL_MASUK", keterangan="nama pengguna tidak dikenal")
                raise LoginError(WRONG)
            who = (row["nama_pengguna"], row["peran"])
            until = _parse(row["terkunci_sampai"])
            if until is not None and now < until:
                self._record(con, *who, "GAGAL_MASUK", keterangan="akun terkunci")
                raise LoginError(LOCKED.format(n=LOCK_AFTER, jam=f"{until:%H:%M}"))
            failures = 0 if until is not None else row["gagal_berturut"]  # a lock that ran out starts afresh
            correct = checked.get(row["hash_sandi"])
            if correct is None:
                correct = self._verify(row["hash_sandi"], sandi)
            if not correct:
                failures += 1
                until = _ceil_minute(now + dt.timedelta(minutes=LOCK_MINUTES)) if failures >= LOCK_AFTER else None
                con.execute("update pengguna set gagal_berturut = ?, terkunci_sampai = ? where nama_pengguna = ?",
                            [failures, until and self._stamp(until), name])
                note = f"kata sandi salah ({failures}x berturut-turut)" + (", akun dikunci" if until else "")
                self._record(con, *who, "GAGAL_MASUK", keterangan=note)
                # a disabled account answers a wrong password like any other: its status is shown only to its owner
                raise LoginError(LOCKED.format(n=LOCK_AFTER, jam=f"{until:%H:%M}") if until else WRONG)
            if not row["aktif"]:
                self._record(con, *who, "GAGAL_MASUK", keterangan="akun nonaktif")
                raise LoginError(DISABLED)
            hash_sandi = row["hash_sandi"]
            if self._hasher.check_needs_rehash(hash_sandi):  # parameters raised since the hash was made
                hash_sandi = self._hasher.hash(sandi)
            con.execute("update pengguna set gagal_berturut = 0, terkunci_sampai = null, hash_sandi = ?"
                        " where nama_pengguna = ?", [hash_sandi, name])
            self._record(con, *who, "MASUK")
            return _account(row), _session_stamp(hash_sandi)

    def account_row(self, nama_pengguna: str) -> sqlite3.Row | None:
        """One account's stored row, read without taking the write lock."""
        con = self._connect()
        try:
            return con.execute("select * from pengguna where nama_pengguna = ?", [nama_pengguna]).fetchone()
        finally:
            con.close()

    def account(self, nama_pengguna: str) -> Account | None:
        """The current state of one account (to re-check a session), or None if unknown."""
        con = self._connect()
        try:
            row = con.execute("select * from pengguna where nama_pengguna = ?",
                              [_clean_name(nama_pengguna)]).fetchone()
        finally:
            con.close()
        return row and _account(row)

    # -- administration ---------------------------------------------------------------------------------

    def add_user(self, by: Account, nama_pengguna: str, nama_lengkap: str, peran: str, sandi: str,
                 pk_nip: str | None = None, kode_bapas: str | None = None) -> Account:
        """Create an account (operator: kanwil and operator accounts only; kepala: any); one active PK per NIP."""
        name, peran, nip = _clean_name(nama_pengguna), (peran or "").strip().lower(), _clean_nip(pk_nip)
        nama_lengkap = " ".join((nama_lengkap or "").split())
        kode = (kode_bapas or "").strip().upper() or None
        with self._transaction() as con:
            actor = self._authorize(con, by, ADMIN_ROLES, "menambah pengguna")
            _check_new(name, nama_lengkap, peran, nip)
            _check_password(name, sandi)
            if peran not in manageable_roles(actor["peran"]):
                self._record(con, actor["nama_pengguna"], actor["peran"], "AKSES_DITOLAK",
                             keterangan=f"menambah pengguna: {name} ({peran})")
                raise PermissionError(ONLY_KEPALA.format(what="menambah", peran=_label(peran)))
            if con.execute("select 1 from pengguna where nama_pengguna = ?", [name]).fetchone():
                raise AccountError("Nama pengguna sudah dipakai")
            if holder := self._nip_holder(con, nip, name):
                raise AccountError(f"NIP {nip} sudah dipakai akun PK aktif «{holder}»")
            stamp = self._stamp()
            con.execute("insert into pengguna (nama_pengguna, nama_lengkap, peran, pk_nip, kode_bapas, hash_sandi,"
                        " dibuat_pada, diubah_pada, diubah_oleh) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [name, nama_lengkap, peran, nip, kode, self._hasher.hash(sandi), stamp, stamp,
                         actor["nama_pengguna"]])
            self._record(con, actor["nama_pengguna"], actor["peran"], "TAMBAH_PENGGUNA", keterangan=f"{name} ({peran})")
        return Account(name, nama_lengkap, peran, nip, kode, True)

    def set_active(self, by: Account, nama_pengguna: str, aktif: bool) -> Account:
        """Enable or disable an account the actor manages; nobody can disable themselves."""
        with self._transaction() as con:
            actor, row = self._manage(con, by, nama_pengguna, "mengubah status pengguna")
            if not aktif and row["nama_pengguna"] == actor["nama_pengguna"]:
                raise AccountError("Anda tidak dapat menonaktifkan akun Anda sendiri")
            if aktif and row["peran"] == "pk" and (holder := self._nip_holder(con, row["pk_nip"],
                                                                                row["nama_pengguna"])):
                raise AccountError(f"NIP {row['pk_nip']} sudah dipakai akun PK aktif «{holder}»")
            con.execute("update pengguna set aktif = ?, diubah_pada = ?, diubah_oleh = ? where nama_pengguna = ?",
                        [int(bool(aktif)), self._stamp(), actor["nama_pengguna"], row["nama_pengguna"]])
            self._record(con, actor["nama_pengguna"], actor["peran"],
                         "AKTIFKAN_PENGGUNA" if aktif else "NONAKTIFKAN_PENGGUNA", keterangan=row["nama_pengguna"])
        return _account(row, aktif=bool(aktif))

    def reset_password(self, by: Account, nama_pengguna: str, sandi_baru: str) -> None:
        """Set a new password for an account the actor manages and lift any lock."""
        with self._transaction() as con:
            actor, row = self._manage(con, by, nama_pengguna, "menyetel ulang kata sandi")
            _check_password(row["nama_pengguna"], sandi_baru)
            con.execute("update pengguna set hash_sandi = ?, gagal_berturut = 0, terkunci_sampai = null,"
                        " diubah_pada = ?, diubah_oleh = ? where nama_pengguna = ?",
                        [self._hasher.hash(sandi_baru), self._stamp(), actor["nama_pengguna"], row["nama_pengguna"]])
            self._record(con, actor["nama_pengguna"], actor["peran"], "SETEL_ULANG_SANDI",
                         keterangan=row["nama_pengguna"])

    def change_own_password(self, account: Account, sandi_lama: str, sandi_baru: str) -> str:
        """Replace one's own password, given the current one; returns the session stamp of the new password.

        A wrong current password counts towards the same lock as a wrong login (an unattended open session
        must not be a way to guess it): the attempt that locks the account raises SessionEnded.
        """
        with self._transaction() as con:
            row = con.execute("select * from pengguna where nama_pengguna = ?", [account.nama_pengguna]).fetchone()
            if row is None or not row["aktif"]:
                raise AccountError(DISABLED)
            who, now = (row["nama_pengguna"], row["peran"]), self._time()
            until = _parse(row["terkunci_sampai"])
            if until is not None and now < until:
                self._record(con, *who, "GANTI_SANDI", keterangan="ditolak: akun terkunci")
                raise AccountError(LOCKED_CHANGE.format(jam=f"{until:%H:%M}"))
            if not self._verify(row["hash_sandi"], sandi_lama):
                failures = (0 if until is not None else row["gagal_berturut"]) + 1
                until = _ceil_minute(now + dt.timedelta(minutes=LOCK_MINUTES)) if failures >= LOCK_AFTER else None
                con.execute("update pengguna set gagal_berturut = ?, terkunci_sampai = ? where nama_pengguna = ?",
                            [failures, until and self._stamp(until), row["nama_pengguna"]])
                self._record(con, *who, "GANTI_SANDI", keterangan=f"ditolak: kata sandi lama salah ({failures}x "
                             "berturut-turut)" + (", akun dikunci" if until else ""))
                if until:
                    raise SessionEnded(LOCKED.format(n=LOCK_AFTER, jam=f"{until:%H:%M}") + "; sesi ini diakhiri")
                raise AccountError("Kata sandi lama salah")
            _check_password(row["nama_pengguna"], sandi_baru)
            if sandi_baru == sandi_lama:
                raise AccountError("Kata sandi baru harus berbeda dari kata sandi lama")
            hash_sandi = self._hasher.hash(sandi_baru)
            con.execute("update pengguna set hash_sandi = ?, gagal_berturut = 0, terkunci_sampai = null,"
                        " diubah_pada = ?, diubah_oleh = ? where nama_pengguna = ?",
                        [hash_sandi, self._stamp(), row["nama_pengguna"], row["nama_pengguna"]])
            self._record(con, *who, "GANTI_SANDI")
        return _session_stamp(hash_sandi)

    # -- open sessions ----------------------------------------------------------------------------------

    def session_stamp(self, nama_pengguna: str) -> str | None:
        """What an open session remembers of its account's password (a digest of the stored hash), or None."""
        row = self.account_row(_clean_name(nama_pengguna))
        return row and _session_stamp(row["hash_sandi"])

    def session_end_reason(self, account: Account, stamp: str) -> str | None:
        """Why an open session may no longer go on (for the user), or None while it may.

        Checked on every page run: a disabled or removed account, a changed role, NIP or office, and a password
        changed or reset elsewhere end every session opened before (the session that changed it gets the new
        stamp). A lock from wrong logins elsewhere does not: anyone could otherwise end the owner's session.
        """
        row = self.account_row(account.nama_pengguna)
        if row is None:
            return "Akun Anda tidak ada lagi; sesi diakhiri."
        if not row["aktif"]:
            return "Akun Anda dinonaktifkan; sesi diakhiri. Hubungi operator."
        if (row["peran"], row["pk_nip"], row["kode_bapas"]) != (account.peran, account.pk_nip, account.kode_bapas):
            return "Peran atau data akun Anda diubah; silakan masuk lagi."
        if _session_stamp(row["hash_sandi"]) != stamp:
            return "Kata sandi akun Anda diubah atau disetel ulang; silakan masuk lagi dengan kata sandi baru."
        return None

    def users(self, viewer: Account) -> list[UserInfo]:
        """Every account with its lock state, by name; only an active operator or kepala may list them."""
        with self._transaction() as con:
            self._authorize(con, viewer, ADMIN_ROLES, "melihat daftar pengguna")
            rows = con.execute("select * from pengguna order by nama_pengguna").fetchall()
        now = self._time()
        result = []
        for r in rows:
            until = _parse(r["terkunci_sampai"])
            result.append(UserInfo(
                r["nama_pengguna"], r["nama_lengkap"], r["peran"], r["pk_nip"], r["kode_bapas"], bool(r["aktif"]),
                r["gagal_berturut"], until, until is not None and now < until, _parse(r["dibuat_pada"]),
                _parse(r["diubah_pada"]), r["diubah_oleh"]))
        return result

    def has_users(self) -> bool:
        """Whether any account exists (to decide whether to seed); names no one, so no role is needed."""
        con = self._connect()
        try:
            return bool(con.execute("select exists (select 1 from pengguna)").fetchone()[0])
        finally:
            con.close()

    def seed_demo_accounts(self, pk_nip: str | None = None, pk_name: str | None = None) -> bool:
        """The five demo accounts, only in a store without users (pk1 only with a pk_nip, named as that PK is in the
        data when pk_name is given, so the PK filter shows the same name); True if it seeded."""
        nip = _clean_nip(pk_nip)
        if nip is not None and not _NIP.fullmatch(nip):
            raise AccountError("NIP PK harus 18 digit")
        kode = config.kode_bapas()
        with self._transaction() as con:
            if con.execute("select exists (select 1 from pengguna)").fetchone()[0]:
                return False
            stamp, made = self._stamp(), []
            for name, full, peran, sandi in DEMO_ACCOUNTS:
                if peran == "pk" and nip is None:
                    continue
                if peran == "pk" and pk_name and pk_name.strip():
                    full = f"{pk_name.strip()} (demo)"
                con.execute("insert into pengguna (nama_pengguna, nama_lengkap, peran, pk_nip, kode_bapas, hash_sandi,"
                            " dibuat_pada, diubah_pada, diubah_oleh) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [name, full, peran, nip if peran == "pk" else None, None if peran == "kanwil" else kode,
                             self._hasher.hash(sandi), stamp, stamp, SYSTEM])
                made.append(name)
            self._record(con, SYSTEM, None, "TAMBAH_PENGGUNA", keterangan="akun demo: " + ", ".join(made))
        return True

    def pseudonym_secret(self) -> bytes:
        """The store's random secret (32 bytes, made once) for stable pseudonyms."""
        con = self._connect()
        try:
            return bytes.fromhex(con.execute("select nilai from rahasia where id = 1").fetchone()[0])
        finally:
            con.close()


def manageable_roles(peran: str) -> tuple[str, ...]:
    """The roles whose accounts this role may create, reset, enable or disable (none for a non-admin role)."""
    return MANAGED_ROLES.get(peran, ())


def _label(peran: str) -> str:
    return ROLE_LABELS.get(peran, peran)


def _account(row: sqlite3.Row, aktif: bool | None = None) -> Account:
    return Account(row["nama_pengguna"], row["nama_lengkap"], row["peran"], row["pk_nip"], row["kode_bapas"],
                   bool(row["aktif"]) if aktif is None else aktif)


def _session_stamp(hash_sandi: str) -> str:
    """A digest of the stored password hash: changes whenever the password does, and reveals nothing of it."""
    return hashlib.sha256(hash_sandi.encode()).hexdigest()[:32]


def _clean_name(value: str | None) -> str:
    return (value or "").strip().lower()


def _clean_nip(value: str | None) -> str | None:
    """An NIP as typed or printed ("19850101 201001 1 001"): spaces and dots removed; None if empty."""
    if value is None:
        return None
    return re.sub(r"[\s.]", "", str(value)) or None


def _check_new(name: str, nama_lengkap: str, peran: str, nip: str | None) -> None:
    if not _NAME.fullmatch(name):
        raise AccountError("Nama pengguna harus 3–32 karakter: huruf kecil, angka, titik, garis bawah "
                           "atau tanda hubung")
    if not nama_lengkap:
        raise AccountError("Nama lengkap wajib diisi")
    if peran not in ROLES:
        raise AccountError("Peran harus salah satu dari: " + ", ".join(ROLES))
    if peran == "pk" and (nip is None or not _NIP.fullmatch(nip)):
        raise AccountError("Peran pk memerlukan NIP 18 digit")
    if peran != "pk" and nip is not None:
        raise AccountError("NIP PK hanya diisi untuk peran pk")


def _check_password(name: str, sandi: str | None) -> None:
    if not sandi or len(sandi) < 8:
        raise AccountError("Kata sandi minimal 8 karakter")
    if len(sandi) > 128:
        raise AccountError("Kata sandi maksimal 128 karakter")
    if sandi.strip().lower() == name:
        raise AccountError("Kata sandi tidak boleh sama dengan nama pengguna")


def _parse(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _ceil_minute(moment: dt.datetime) -> dt.datetime:
    """The next whole minute, so 'coba lagi setelah HH:MM' is exact."""
    whole = moment.replace(second=0, microsecond=0)
    return whole if whole == moment else whole + dt.timedelta(minutes=1)
