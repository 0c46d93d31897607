"""Read-only SQL over the curated datasets of Jelajah Data, as the viewer's role sees them, and nothing else.

The walls are DuckDB's own, not a filter on the SQL text:
- DuckDB's parser must find exactly one statement, of type SELECT (WITH … SELECT, FROM …, DESCRIBE, SUMMARIZE and
  PIVOT … IN (…) parse as SELECT); anything else is refused by its statement type;
- the query runs in a fresh in-memory database that holds only the curated, role-shaped tables (materialised from
  the attached analytics database, which is then DETACHed: base tables, names and NIK are unreachable);
- `enable_external_access = false` (no files, URLs, ATTACH, COPY, INSTALL/LOAD of extensions), extension autoload
  and autoinstall off, `memory_limit`, `threads` and no spill directory, then `lock_configuration = true`;
- a read-only transaction, so even a write hidden inside a SELECT (a DML common table expression) is refused;
- a row limit (one row more is fetched to tell "truncated"), a time limit (`interrupt()` from a timer thread);
- the whole query runs in a child process with an address-space and CPU cap, killed by the parent if it outlives
  the time limit: DuckDB's `memory_limit` does not count every string it builds, and an interrupt is only seen
  between chunks of work.
Which curated tables are materialised is chosen by their names appearing in the query (a speed-up only: a table
left out is simply unknown to the query).
"""
from __future__ import annotations

import datetime as dt
import decimal
import json
import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from analytics.viewer import Viewer

if TYPE_CHECKING:  # pandas is imported where a frame is made: the child process needs none (it starts faster)
    import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
ROW_LIMIT = 10_000
TIME_LIMIT = 20            # seconds for one query (after its tables are loaded)
PREPARE_LIMIT = 60         # seconds to load the curated tables the query names
QUERY_MEMORY_MB = 1024     # DuckDB memory for the query, beyond what the loaded tables take
RESULT_MAX_MB = 64         # the result as sent back to the page
MAX_SQL_CHARS = 20_000
THREADS = 2
log = logging.getLogger("bapas")


def _number(value: float) -> str:
    """20000 → '20.000', 1.5 → '1,5' (analytics.format would pull Plotly into the child process)."""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


READ_STATEMENTS = ("SELECT",)
STATEMENT_WORDS = {
    "INSERT": "INSERT (menambah data)", "UPDATE": "UPDATE (mengubah data)",
    "DELETE": "DELETE/TRUNCATE (menghapus data)",
    "MERGE_INTO": "MERGE (mengubah data)", "CREATE": "CREATE (membuat tabel, view, macro atau secret)",
    "CREATE_FUNC": "CREATE FUNCTION", "DROP": "DROP (menghapus objek)", "ALTER": "ALTER/COMMENT (mengubah objek)",
    "COPY": "COPY (menyalin data ke/dari berkas)", "COPY_DATABASE": "COPY FROM DATABASE",
    "EXPORT": "EXPORT DATABASE (mengekspor ke berkas)", "ATTACH": "ATTACH (membuka basis data lain)",
    "DETACH": "DETACH (melepas basis data)", "LOAD": "INSTALL/LOAD (ekstensi)", "EXTENSION": "UPDATE EXTENSIONS",
    "SET": "SET/RESET/USE (mengubah pengaturan)", "VARIABLE_SET": "SET VARIABLE", "PRAGMA": "PRAGMA",
    "CALL": "CALL/CHECKPOINT", "TRANSACTION": "BEGIN/COMMIT/ROLLBACK (transaksi)", "EXPLAIN": "EXPLAIN",
    "PREPARE": "PREPARE", "EXECUTE": "EXECUTE", "VACUUM": "VACUUM/ANALYZE", "ANALYZE": "ANALYZE",
    "MULTI": "PIVOT tanpa daftar nilai (tulis PIVOT … ON kolom IN (…))",
}

MESSAGES = {
    "kosong": "Kueri kosong. Tulis satu kueri SELECT atas tabel-tabel di daftar tabel.",
    "panjang": f"Kueri terlalu panjang (lebih dari {_number(MAX_SQL_CHARS)} karakter).",
    "banyak": "Hanya satu pernyataan per kueri. Pisahkan kueri Anda dan jalankan satu per satu.",
    "jenis": "Ruang SQL hanya menjalankan kueri baca (SELECT, WITH … SELECT, FROM …, DESCRIBE, SUMMARIZE, "
             "PIVOT … IN (…)); pernyataan {jenis} ditolak.",
    "akses": "Akses ke berkas, URL, basis data lain atau ekstensi tidak diizinkan di ruang SQL; yang tersedia "
             "hanya tabel kurasi di daftar tabel.",
    "tulis": "Ruang SQL hanya untuk membaca: kueri yang mengubah, membuat atau menghapus data ditolak.",
    "pengaturan": "Pengaturan DuckDB di ruang SQL dikunci dan tidak dapat diubah.",
    "waktu": "Kueri dihentikan karena melewati batas waktu {detik} detik. Persempit kueri: saring, "
             "agregasikan atau batasi barisnya.",
    "memori": "Kueri dihentikan karena memerlukan memori melebihi batas. Agregasikan atau batasi hasilnya.",
    "besar": f"Hasil terlalu besar untuk dikirim ke halaman (lebih dari {RESULT_MAX_MB} MB). Pilih kolom yang "
             "perlu saja atau batasi barisnya.",
    "sintaks": "Kueri tidak dapat dibaca (kesalahan penulisan SQL): {rincian}",
    "katalog": "Tabel, kolom atau fungsi tidak dikenal: {rincian} Tabel yang tersedia: {tabel}.",
    "kolom": "Kolom atau ekspresi tidak dapat dipakai: {rincian}",
    "nilai": "Nilai tidak dapat diolah: {rincian}",
    "data": "Data belum dapat dibaca: {rincian}",
    "gagal": "Kueri gagal dijalankan. Periksa kueri Anda atau coba lagi; bila terus terjadi, hubungi operator.",
}
# The {rincian} of a DuckDB error whose wording `indonesian_detail` does not know (DuckDB's own text is then shown
# only folded away, as `SandboxError.detail`).
GENERAL_DETAILS = {
    "sintaks": "periksa ejaan kata kunci, koma, tanda kurung dan tanda kutip.",
    "katalog": "ada nama tabel atau fungsi di kueri yang tidak ada.",
    "kolom": "periksa nama kolom, jenis nilainya dan pengelompokannya (GROUP BY).",
    "nilai": "ada nilai yang tidak cocok dengan jenis datanya, atau perhitungan yang tidak dapat dilakukan.",
}


class SandboxError(Exception):
    """A refused or failed query; the message is for the user (Indonesian, no traceback)."""

    def __init__(self, kind: str, message: str, detail: str | None = None):
        super().__init__(message)
        self.kind = kind
        self.detail = detail  # DuckDB's own (English) text, only when the message could not say what it says


@dataclass(frozen=True)
class Result:
    """The rows of a query (at most the row limit), whether more were left out, and how long it took."""

    frame: pd.DataFrame
    truncated: bool
    seconds: float
    row_limit: int


def _error(kind: str, **words) -> SandboxError:
    return SandboxError(kind, MESSAGES[kind].format(**words))


def _first_line(exc: BaseException) -> str:
    """DuckDB's message without its kind prefix and the 'LINE 1: …' pointer."""
    text = str(exc).strip().split("\n")[0]
    return re.sub(r"^[A-Za-z ]+Error: ", "", text).strip()


# --- DuckDB's error messages in Indonesian ---------------------------------------------------------------------

_TYPE_WORDS = (
    (r"U?(INT\d*|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|INTEGER_LITERAL|LONG|SHORT", "bilangan bulat"),
    (r"DOUBLE|FLOAT\d*|REAL|DECIMAL|NUMERIC", "bilangan desimal"),
    (r"DATE", "tanggal"),
    (r"TIMESTAMP.*|DATETIME", "tanggal dan jam"),
    (r"TIME( WITH TIME ZONE)?|TIMETZ", "jam"),
    (r"INTERVAL", "selang waktu"),
    (r"BOOL(EAN)?", "ya/tidak (true/false)"),
    (r"VARCHAR|STRING_LITERAL|STRING|TEXT|CHAR", "teks"),
    (r"BLOB|BYTEA", "data biner"),
    (r".*\[\d*\]|LIST.*", "daftar"),
    (r"STRUCT.*", "struktur"),
    (r'"?NULL"?', "kosong (NULL)"),
)


def type_words(name: str) -> str:
    """A DuckDB type in an analyst's words: 'INT32' → 'bilangan bulat', 'DECIMAL(10,2)' → 'bilangan desimal'."""
    bare = name.strip().upper()
    if not bare.endswith("]"):
        bare = re.sub(r"\(.*\)$", "", bare).strip()
    return next((words for pattern, words in _TYPE_WORDS if re.fullmatch(pattern, bare)), name.strip())


def _quoted(names) -> str:
    """'«a»', '«a» atau «b»', '«a», «b» atau «c»'."""
    shown = [f"«{n}»" for n in names]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " atau " + shown[-1]


def _arguments(text: str) -> list[str]:
    """The argument types of 'f(VARCHAR, DECIMAL(10,2))' (commas inside brackets kept)."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += (char in "([") - (char in ")]")
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [p.strip() for p in parts + [current] if p.strip()]


def _kinds(types) -> str:
    """'teks', 'tanggal dan bilangan bulat' (the same words once)."""
    words = list(dict.fromkeys(type_words(t) for t in types))
    if not words:
        return "tanpa nilai"
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " dan " + words[-1]


def _candidates(text: str, label: str) -> list[str]:
    """The quoted names after DuckDB's 'Candidate …:' line."""
    found = re.search(rf"^{label}:[ :]*(.+)$", text, re.MULTILINE)
    return re.findall(r'"([^"]+)"', found.group(1)) if found else []


def _maybe(names) -> str:
    """DuckDB's suggestions, the closest three at most."""
    return f"; mungkin maksud Anda {_quoted(names[:3])}?" if names else "."


def _function(name: str, arguments: str) -> str:
    """What to say about a function (or operator) that takes no values of these types."""
    what = "operasi" if not re.match(r"\w", name) else "fungsi"
    return (f"{what} «{name}» tidak dapat dipakai pada nilai berjenis {_kinds(_arguments(arguments))}; ubah jenis "
            "nilainya dulu, mis. CAST(kolom AS DOUBLE) atau CAST(kolom AS DATE).")


def indonesian_detail(message: str, tables=None) -> str | None:
    """The common DuckDB error messages as one Indonesian sentence naming what they name (None: not one of them).

    `message` is DuckDB's text as raised (kind prefix, 'Did you mean', candidates and the 'LINE 1:' pointer
    included). With `tables`, a table DuckDB suggests is named only if it is one of them.
    """
    text = re.sub(r"^[A-Za-z ]+Error: ", "", (message or "").strip())
    head = text.split("\n")[0].strip()
    suggested = re.findall(r'^Did you mean "([^"]+)"\?', text, re.MULTILINE)

    if found := re.fullmatch(r'syntax error at or near "(.*)"', head):
        return (f"ada yang salah di dekat «{found[1]}»; periksa ejaan kata kunci, koma, tanda kurung dan tanda "
                "kutip di sekitarnya.")
    if head == "syntax error at end of input":
        return ("kueri berakhir sebelum lengkap; mungkin ada tanda kurung yang belum ditutup atau bagian yang belum "
                "ditulis.")
    if head in ("unterminated string literal", "unterminated quoted string"):
        return "ada teks yang tanda kutip tunggalnya (') belum ditutup."
    if head == "unterminated quoted identifier":
        return 'ada nama yang tanda kutip gandanya (") belum ditutup.'

    if found := re.fullmatch(r'Table with name "(.+)" does not exist because schema "(.+)" does not exist\.', head):
        return f"tabel «{found[1]}» tidak ada: awalan «{found[2]}» tidak dikenal; tulis nama tabelnya saja."
    if found := re.fullmatch(r'Table with name "?(.+?)"? does not exist!', head):
        kept = [n for n in suggested if tables is None or n in tables]
        return f"tabel «{found[1]}» tidak ada" + _maybe(kept)
    if found := re.fullmatch(r'(?:\w+ )?Function with name "?(.+?)"? does not exist!', head):
        return f"fungsi «{found[1]}» tidak ada" + _maybe(suggested)
    if found := re.fullmatch(r'Catalog "(.+)" does not exist!?', head):
        return f"basis data «{found[1]}» tidak dikenal; tulis nama tabelnya saja."

    if found := re.match(r'Referenced column "?(.+?)"? not found in FROM clause', head):
        return f"kolom «{found[1]}» tidak ada di tabel yang dipakai" + _maybe(_candidates(text, "Candidate bindings"))
    if found := re.fullmatch(r'Table "(.+)" does not have a column named "(.+)"', head):
        return (f"tabel «{found[1]}» tidak punya kolom «{found[2]}»"
                + _maybe(_candidates(text, "Candidate bindings")))
    if found := re.fullmatch(r'Referenced table "(.+)" not found!', head):
        return (f"tabel atau alias «{found[1]}» tidak dikenal di kueri ini"
                + _maybe(_candidates(text, "Candidate tables")))
    if found := re.match(r'Ambiguous reference to column name "(.+)" \(use: (.+)\)', head):
        choices = re.findall(r"'([^']+)'", found[2])
        return (f"kolom «{found[1]}» ada di lebih dari satu tabel; sebutkan tabelnya"
                + (f", mis. {_quoted(choices)}." if choices else "."))
    if found := re.match(r'column "(.+)" must appear in the GROUP BY clause', head):
        return (f"kolom «{found[1]}» harus dicantumkan di GROUP BY atau dipakai di dalam fungsi agregat "
                "(count, sum, avg, …).")
    if found := re.match(r"GROUP BY term out of range - should be between (\d+) and (\d+)", head):
        return f"nomor kolom di GROUP BY di luar jangkauan; harus antara {found[1]} dan {found[2]}."
    if head.startswith("aggregate function calls cannot be nested"):
        return ("fungsi agregat tidak boleh berada di dalam fungsi agregat lain (mis. sum(count(*))); hitung "
                "dulu di subkueri atau WITH.")
    if found := re.match(r"No function matches the given name and argument types '(.+?)\((.*)\)'", head):
        return _function(found[1], found[2])
    if found := re.match(r'Could not choose a best candidate function for the function call "(.+?)\((.*)\)"', head):
        return _function(found[1], found[2])
    if found := re.match(r"Cannot compare values of type (.+?) and type (.+?) - an explicit cast is required", head):
        return (f"nilai berjenis {type_words(found[1])} tidak dapat dibandingkan dengan nilai berjenis "
                f"{type_words(found[2])}; samakan jenisnya dengan CAST.")

    if found := re.search(r"""Could not convert string (['"])(.*)\1 to (.+)$""", head):
        return f"teks «{found[2]}» tidak dapat diubah menjadi {type_words(found[3])}."
    if found := re.match(r'invalid date field format: "(.*)"', head):
        return (f"teks «{found[1]}» tidak dapat diubah menjadi tanggal; tulis tanggal sebagai 'TTTT-BB-HH', "
                "mis. '2026-01-31'.")
    if found := re.match(r'invalid timestamp field format: "(.*)"', head):
        return (f"teks «{found[1]}» tidak dapat diubah menjadi tanggal dan jam; tulis sebagai 'TTTT-BB-HH JJ:MM:DD', "
                "mis. '2026-01-31 08:30:00'.")
    if found := re.match(r'date field value out of range: "(.*)"', head):
        return f"tanggal «{found[1]}» tidak ada di kalender (bulan 1–12, hari sesuai bulannya)."
    if found := re.match(r"Type (\S+) with value (.+) can't be cast because the value is out of range for the "
                         r"destination type (\S+)", head):
        return f"nilai «{found[2]}» di luar jangkauan jenis {type_words(found[3])} yang dituju."
    if found := re.match(r"Division by zero in expression \((.+)\)\.(\s|$)", head):
        return (f"pembagian dengan nol pada «{found[1]}»; bungkus pembaginya dengan NULLIF(pembagi, 0) agar "
                "hasilnya kosong.")
    if re.match(r"Overflow in \w+ of ", head):
        return ("hasil perhitungan terlalu besar untuk jenis bilangannya; ubah dulu ke jenis yang lebih besar, "
                "mis. CAST(kolom AS DOUBLE).")
    return None


# --- the walls ------------------------------------------------------------------------------------------------

def statement(sql: str) -> str:
    """The one read statement of `sql` as DuckDB's parser sees it, or SandboxError."""
    text = (sql or "").strip()
    if not text:
        raise _error("kosong")
    if len(text) > MAX_SQL_CHARS:
        raise _error("panjang")
    parser = duckdb.connect(":memory:")
    try:
        statements = parser.extract_statements(text)
    except duckdb.ParserException as exc:
        raise _duckdb_error("sintaks", exc) from None
    except (duckdb.Error, ValueError) as exc:  # a statement type the Python API does not know
        raise _error("jenis", jenis="yang tidak dikenal") from exc
    finally:
        parser.close()
    if not statements:
        raise _error("kosong")
    if len(statements) > 1:
        raise _error("banyak")
    kind = statements[0].type.name
    if kind not in READ_STATEMENTS:
        raise _error("jenis", jenis=STATEMENT_WORDS.get(kind, kind))
    return statements[0].query


def named_tables(sql: str, names) -> list[str]:
    """The curated tables whose names appear as words in the query (all of them when none does)."""
    found = [n for n in names if re.search(rf"(?<![\w$]){re.escape(n)}(?![\w$])", sql, re.IGNORECASE)]
    return found or list(names)


@contextmanager
def connection(db_path: Path, tables: dict[str, tuple[str, dict]], memory_mb: int = QUERY_MEMORY_MB,
               threads: int = THREADS):
    """A fresh in-memory DuckDB holding only `tables`, the analytics database detached, locked, read-only.

    Its own DuckDB instance, never the shared reader of analytics.db: DuckDB's settings belong to an instance, and
    these are locked for good.
    """
    path = Path(db_path)
    if not path.is_file():
        raise _error("data", rincian=f"basis data belum ada: {path.name}")
    con = duckdb.connect(":memory:")
    try:
        try:
            con.execute("attach ? as bapas (read_only)", [str(path)])
        except duckdb.Error as exc:
            raise _error("data", rincian="basis data tidak dapat dibuka; coba lagi sebentar lagi") from exc
        for name, (sql, params) in tables.items():
            if not re.fullmatch(r"[a-z_]+", name):
                raise ValueError(f"nama tabel tidak sah: {name}")
            con.execute("use bapas")
            con.execute(f'create table memory.main."{name}" as {sql}', params or {})
        con.execute("use memory")
        con.execute("detach bapas")
        loaded = con.execute("select coalesce(sum(memory_usage_bytes), 0) from duckdb_memory()").fetchall()[0][0]
        for setting in (
            f"memory_limit = '{int(loaded // 2**20) + int(memory_mb)}MB'",
            f"threads = {int(threads)}",
            "temp_directory = ''",                  # nothing spills to disk
            "enable_external_access = false",       # files, URLs, ATTACH, COPY, INSTALL/LOAD
            "autoinstall_known_extensions = false",
            "autoload_known_extensions = false",
            "allow_community_extensions = false",
            "allow_persistent_secrets = false",
            "secret_directory = ''",                 # its default names the service account's home
            "extension_directory = ''",
            "lock_configuration = true",             # last: nothing above can be changed back
        ):
            con.execute(f"set {setting}")
        con.execute("begin transaction read only")
        yield con
    finally:
        con.close()


def fetch(con: duckdb.DuckDBPyConnection, query: str, row_limit: int = ROW_LIMIT,
          time_limit: float = TIME_LIMIT):
    """Run one read query with the row and time limits: (arrow table of at most row_limit rows, truncated)."""
    timer = threading.Timer(time_limit, con.interrupt)
    timer.daemon = True
    timer.start()
    try:
        relation = con.sql(query)
        if relation is None:
            raise _error("jenis", jenis="tanpa hasil")
        table = relation.limit(row_limit + 1).to_arrow_table()
    finally:
        timer.cancel()
    return table.slice(0, row_limit), table.num_rows > row_limit


def explain(exc: BaseException, time_limit: float, tables) -> SandboxError:
    """A DuckDB error as a refusal or failure the analyst can act on."""
    if isinstance(exc, SandboxError):
        return exc
    detail = _first_line(exc)
    if isinstance(exc, duckdb.InterruptException):
        return _error("waktu", detik=_number(time_limit))
    if isinstance(exc, (duckdb.OutOfMemoryException, MemoryError)):
        return _error("memori")
    if "Arrow" in detail and "size" in detail:  # one column of the result holds more text than Arrow takes
        return _error("besar")
    if isinstance(exc, duckdb.PermissionException):
        return _error("akses")
    if isinstance(exc, duckdb.TransactionException):
        return _error("tulis")
    if isinstance(exc, duckdb.InvalidInputException) and "locked" in detail:
        return _error("pengaturan")
    if isinstance(exc, duckdb.ParserException):
        return _duckdb_error("sintaks", exc)
    if isinstance(exc, duckdb.CatalogException):
        return _duckdb_error("katalog", exc, tables)
    if isinstance(exc, duckdb.BinderException):
        return _duckdb_error("kolom", exc)
    if isinstance(exc, (duckdb.ConversionException, duckdb.InvalidInputException, duckdb.OutOfRangeException)):
        return _duckdb_error("nilai", exc)
    error = _error("gagal")
    if isinstance(exc, duckdb.Error):
        error.detail = _original(exc)
    return error


def _original(exc: BaseException) -> str:
    """DuckDB's text without the 'LINE 1: …' pointer (the query is on the screen already)."""
    return re.split(r"\n\s*LINE \d+:", str(exc).strip())[0].strip()


def _duckdb_error(kind: str, exc: BaseException, tables=()) -> SandboxError:
    """A DuckDB error of a known kind, said in Indonesian; DuckDB's own text kept aside when it could not be."""
    detail = indonesian_detail(str(exc), list(tables))
    words = {"tabel": ", ".join(tables)} if kind == "katalog" else {}
    error = _error(kind, rincian=detail or GENERAL_DETAILS[kind], **words)
    if detail is None:
        error.detail = _original(exc)
    return error


def execute(request: dict):
    """The work of one query (the child process runs this): check, load, lock, run. Returns (arrow table,
    truncated); raises SandboxError."""
    query = statement(request["sql"])
    tables = {name: (sql, params) for name, (sql, params) in request["tables"].items()}
    chosen = {name: tables[name] for name in named_tables(query, tables)}
    time_limit = float(request.get("time_limit", TIME_LIMIT))
    try:
        with connection(Path(request["db"]), chosen, int(request.get("memory_mb", QUERY_MEMORY_MB))) as con:
            _cap_process(request)
            return fetch(con, query, int(request.get("row_limit", ROW_LIMIT)), time_limit)
    except Exception as exc:  # every DuckDB error becomes a message; the detail goes to the log
        error = explain(exc, time_limit, list(tables))
        if error.kind == "gagal":
            log.warning("kueri SQL gagal: %r", exc)
        raise error from None


def _cap_process(request: dict) -> None:
    """In the child only: cap address space and CPU time from here on (the tables are loaded by now)."""
    if not request.get("child"):
        return
    try:
        import resource
    except ImportError:  # not on this platform: the time limit and the parent's kill still hold
        return
    try:
        with open("/proc/self/statm") as fh:  # the address space in use now (Linux)
            size = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        size = None
    if size is not None:
        room = size + 2 * int(request.get("memory_mb", QUERY_MEMORY_MB)) * 2**20 + RESULT_MAX_MB * 2**20 * 2
        resource.setrlimit(resource.RLIMIT_AS, (room, room))
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(used.ru_utime + used.ru_stime + float(request.get("time_limit", TIME_LIMIT)) * THREADS + 5)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


# --- the parent side ------------------------------------------------------------------------------------------

def tables(viewer: Viewer) -> dict[str, tuple[str, dict]]:
    """The curated tables as the viewer's role sees them: name → (select, parameters)."""
    from analytics import jelajah
    jelajah.require(viewer)
    return {name: jelajah.dataset_sql(name, viewer) for name in jelajah.DATASETS}


def run(sql: str, viewer: Viewer, db_path: Path | None = None, row_limit: int = ROW_LIMIT,
        time_limit: float = TIME_LIMIT, memory_mb: int = QUERY_MEMORY_MB) -> Result:
    """Run one read-only query over the curated tables in a child process; SandboxError for any refusal."""
    from etl import config
    request = {"db": str(Path(db_path) if db_path else config.db_path()), "tables": tables(viewer), "sql": sql,
               "row_limit": row_limit, "time_limit": time_limit, "memory_mb": memory_mb, "child": True}
    started = time.monotonic()
    child = subprocess.Popen([sys.executable, "-m", "analytics.sandbox"], cwd=ROOT, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = child.communicate(json.dumps(request).encode(), timeout=PREPARE_LIMIT + time_limit + 5)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise _error("waktu", detik=_number(time_limit)) from None
    header, _, payload = out.partition(b"\n")
    try:
        answer = json.loads(header)
    except ValueError:
        answer = None
    if not answer:  # the child died: a cap it hit (CPU: SIGXCPU, memory: abort) or a crash
        log.warning("proses kueri SQL berhenti (kode %s): %s", child.returncode, err.decode(errors="replace")[-2000:])
        if child.returncode in {-getattr(signal, name) for name in ("SIGKILL", "SIGXCPU") if hasattr(signal, name)}:
            raise _error("waktu", detik=_number(time_limit))
        raise _error("memori" if child.returncode == -getattr(signal, "SIGABRT", 0) else "gagal")
    if not answer["ok"]:
        raise SandboxError(answer["kind"], answer["message"], answer.get("detail"))
    import pyarrow as pa
    table = pa.ipc.open_stream(payload).read_all()
    frame = table.to_pandas(date_as_object=True)
    return Result(frame, bool(answer["truncated"]), time.monotonic() - started, row_limit)


_PLAIN = re.compile(r"(^|_)(tahun|bulan|kode|id|no|nomor|nip)(_|$)")  # years and codes: no thousands separator


def number_columns(frame: pd.DataFrame) -> list[str]:
    """The columns of a result holding numbers (not years or codes, not Ya/Tidak): `display` writes them as text,
    which the screen then aligns right."""
    from pandas.api.types import is_bool, is_number

    def numbers(column) -> bool:
        values = frame[column].dropna().astype(object)
        return len(values) > 0 and all(is_number(v) and not is_bool(v) for v in values)

    return [str(c) for c in frame.columns if not _PLAIN.search(str(c).lower()) and numbers(c)]


def display(frame: pd.DataFrame) -> pd.DataFrame:
    """A result for the screen: Indonesian numbers and dates, Ya/Tidak, '–' for empty."""
    import pandas as pd

    from analytics import format as fmt

    def show(value, plain: bool) -> str:
        if isinstance(value, (list, dict, tuple)):
            return json.dumps(value, ensure_ascii=False, default=str)
        if value is None or (not isinstance(value, (bytes, str)) and pd.isna(value)):
            return "–"
        if isinstance(value, bool):
            return "Ya" if value else "Tidak"
        if isinstance(value, decimal.Decimal):  # DuckDB's DECIMAL: a sum of a money column, a literal such as 1.5
            value = int(value) if value == value.to_integral_value() else float(value)
        if isinstance(value, (int, float)) and plain and float(value).is_integer():
            return str(int(value))
        if isinstance(value, int):
            return fmt.number(value)
        if isinstance(value, float):
            return fmt.number(value, 0 if value.is_integer() else 2)
        if isinstance(value, (pd.Timestamp, dt.datetime)):
            return fmt.date(value.date()) + ("" if value.time() == dt.time() else f" {value:%H.%M}")
        if isinstance(value, dt.date):
            return fmt.date(value)
        return str(value)
    out = pd.DataFrame({str(c): [show(v, bool(_PLAIN.search(str(c).lower()))) for v in frame[c].astype(object)]
                        for c in frame.columns})
    out.index = range(len(out))
    return out


# --- saved examples (they run for kepala and analis alike) -----------------------------------------------------

EXAMPLES = {
    "Klien aktif per program integrasi": """\
-- klien yang aktif pada tanggal data, per program integrasi
select program_integrasi, count(*) as klien_aktif
from klien
where aktif_saat_ini
group by program_integrasi
order by klien_aktif desc""",
    "Kepatuhan wajib lapor 12 bulan terakhir": """\
-- wajib lapor hadir atau terlambat ÷ wajib lapor terjadwal, per bulan
select bulan,
       count(*) as klien_aktif,
       sum(wajib_lapor) as wajib_lapor,
       round(100 * sum(wajib_lapor_hadir) / nullif(sum(wajib_lapor), 0), 1) as kepatuhan_persen
from kehadiran_bulanan
where bulan > (select max(bulan) from kehadiran_bulanan) - interval 12 month
group by bulan
order by bulan""",
    "Penyelesaian program per mitra": """\
-- angkatan, peserta dan tingkat penyelesaian gabungan per mitra penyelenggara
select nama_mitra,
       count(*) as angkatan,
       sum(peserta) as peserta,
       round(100 * sum(peserta_selesai) / nullif(sum(peserta), 0), 1) as penyelesaian_persen
from program
group by nama_mitra
order by peserta desc""",
    "Residivis: ikut program atau tidak": """\
-- kasus yang sudah berakhir: bagian residivis menurut pernah ikut angkatan program atau tidak
with ikut as (select distinct kode_bapas, pseudonim from peserta_program)
select i.pseudonim is not null as pernah_ikut_program,
       count(*) as kasus_berakhir,
       round(100 * avg(coalesce(k.residivis, false)::int), 1) as residivis_persen
from klien k
left join ikut i on i.kode_bapas = k.kode_bapas and i.pseudonim = k.pseudonim
where k.status <> 'AKTIF'
group by all
order by 1""",
    "Serapan anggaran per tahun dan akun": """\
-- realisasi ÷ pagu per tahun anggaran dan akun
select tahun_anggaran, kode_akun, any_value(uraian_akun) as uraian_akun,
       sum(pagu) as pagu, sum(realisasi) as realisasi,
       round(100 * sum(realisasi) / nullif(sum(pagu), 0), 1) as serapan_persen
from anggaran
group by tahun_anggaran, kode_akun
order by tahun_anggaran, kode_akun""",
    "Hambatan terbanyak per sumber": """\
-- kategori hambatan terbanyak, log hambatan dan alasan ketidakhadiran dipisah
select sumber_data, kategori, faktor, count(*) as kejadian
from hambatan
group by all
order by kejadian desc
limit 20""",
    "Klien aktif dengan mangkir beruntun": """\
-- klien aktif yang pernah mangkir wajib lapor 2 kali atau lebih berturut-turut
select pseudonim, program_integrasi, kecamatan, kategori_rri, mangkir_terpanjang
from klien
where aktif_saat_ini and mangkir_terpanjang >= 2
order by mangkir_terpanjang desc, pseudonim""",
}


# --- the child process ----------------------------------------------------------------------------------------

def _child() -> int:
    import pyarrow as pa
    request = json.loads(sys.stdin.buffer.read())
    out = sys.stdout.buffer
    try:
        table, truncated = execute(request)
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        payload = sink.getvalue().to_pybytes()
        if len(payload) > RESULT_MAX_MB * 2**20:
            raise _error("besar")
    except SandboxError as exc:
        out.write(json.dumps({"ok": False, "kind": exc.kind, "message": str(exc), "detail": exc.detail}).encode()
                  + b"\n")
        return 0
    except MemoryError:
        error = _error("memori")
        out.write(json.dumps({"ok": False, "kind": error.kind, "message": str(error)}).encode() + b"\n")
        return 0
    out.write(json.dumps({"ok": True, "truncated": truncated, "rows": table.num_rows}).encode() + b"\n")
    out.write(payload)
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    sys.exit(_child())
