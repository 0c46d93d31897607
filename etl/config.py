"""The one place that reads the environment and the configuration file."""
from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "bapas.duckdb"
DEFAULT_AKSES = DEFAULT_DB.parent / "akses.sqlite"
DEFAULT_KODE_BAPAS = "BAPAS-BDL"
DEFAULT_NAMA_KANTOR = "Bapas Kelas II Bandar Lampung"
TIMEZONE = ZoneInfo("Asia/Jakarta")


TEXT_SETTINGS = ("db", "akses", "kode_bapas", "nama_kantor", "memori_baca", "kunci_model")  # folder_model: also false
QUOTED_EXAMPLE = 'teks ditulis di antara tanda kutip, misalnya kode_bapas = "BAPAS-MET"'


class ConfigError(Exception):
    """The configuration file cannot be used; the message (Indonesian) names the file, the line and what to fix."""


@lru_cache(maxsize=1)
def settings() -> dict:
    """The configuration file (`BAPAS_CONFIG`, else `konfigurasi.toml` beside app.py), or {}; ConfigError if bad."""
    path = Path(os.environ.get("BAPAS_CONFIG", ROOT / "konfigurasi.toml"))
    if not path.is_file():
        return {}
    try:
        text = path.read_bytes().decode("utf-8-sig")
        values = tomllib.loads(text)
    except UnicodeDecodeError:
        raise ConfigError(f"berkas konfigurasi {path} tidak dapat dibaca: simpan sebagai teks UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"berkas konfigurasi {path} tidak dapat dibuka: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_toml_error(path, text, str(exc))) from None
    for key in TEXT_SETTINGS:
        if key in values and not isinstance(values[key], str):
            raise ConfigError(f"berkas konfigurasi {path}: nilai {key} harus berupa teks ({QUOTED_EXAMPLE})")
    return values


def _toml_error(path: Path, text: str, reason: str) -> str:
    """tomllib's message (English, «Invalid value (at line 1, column 14)») as the line the office has to fix."""
    found = re.search(r"at line (\d+), column (\d+)", reason)
    if not found:
        return f"berkas konfigurasi {path} tidak sesuai format TOML ({QUOTED_EXAMPLE})"
    line, column = int(found[1]), int(found[2])
    lines = text.splitlines()
    shown = f": «{lines[line - 1].strip()}»" if 0 < line <= len(lines) and lines[line - 1].strip() else ""
    return (f"berkas konfigurasi {path} tidak sesuai format TOML di baris {line}, kolom {column}{shown}; "
            f"{QUOTED_EXAMPLE}, satu pengaturan per baris, dan baris catatan diawali #")


DB_HELP = "berkas basis data (bawaan: BAPAS_DB, lalu db di konfigurasi.toml, lalu data/bapas.duckdb)"


def db_path(cli_value: str | os.PathLike | None = None) -> Path:
    """`--db`, else `BAPAS_DB`, else `db` in konfigurasi.toml, else `data/bapas.duckdb` (DB_HELP says so)."""
    if cli_value:
        return Path(cli_value)
    if os.environ.get("BAPAS_DB"):
        return Path(os.environ["BAPAS_DB"])
    return Path(settings().get("db", DEFAULT_DB))


def akses_path(cli_value: str | os.PathLike | None = None) -> Path:
    """The accounts and audit store: `--akses`, else `BAPAS_AKSES`, else `data/akses.sqlite`."""
    if cli_value:
        return Path(cli_value)
    if os.environ.get("BAPAS_AKSES"):
        return Path(os.environ["BAPAS_AKSES"])
    return Path(settings().get("akses", DEFAULT_AKSES))


def kode_bapas() -> str:
    """The office code for rows without a kode_bapas column: env, else config file, else BAPAS-BDL."""
    value = os.environ.get("BAPAS_KODE") or settings().get("kode_bapas") or DEFAULT_KODE_BAPAS
    return str(value).strip().upper()


def office_name() -> str | None:
    """The configured office's name: `nama_kantor` in konfigurasi.toml, else the default office's own name when the
    code is the default one, else None."""
    value = " ".join(str(settings().get("nama_kantor") or "").split())
    return value or (DEFAULT_NAMA_KANTOR if kode_bapas() == DEFAULT_KODE_BAPAS else None)


OFFICE_CODE = re.compile(r"[A-Z0-9][A-Z0-9._-]{0,29}")


def office_code(value: str) -> str:
    """An office code chosen for one load (`--kantor`, Unggah Data), as a kode_bapas cell is read: trimmed,
    upper-cased; ValueError (Indonesian) when it is not a code."""
    code = " ".join(str(value).split()).upper()
    if not OFFICE_CODE.fullmatch(code):
        raise ValueError(f"kode kantor tidak valid: '{value}'; tulis kodenya saja, huruf dan angka dengan - atau _ "
                         "(paling panjang 30), misalnya BAPAS-MET")
    return code


DEFAULT_READ_MEMORY = "256MB"  # national pages as fast as with 512MB (bench/run_pages.py), a fit 0.3 GB smaller


def read_memory() -> str:
    """DuckDB's memory limit for each read connection (`BAPAS_MEMORI_BACA`, else `memori_baca`, else 256MB).

    Above it a query spills to a temporary folder instead of growing the app server; see docs/deployment.md.
    """
    value = os.environ.get("BAPAS_MEMORI_BACA") or settings().get("memori_baca") or DEFAULT_READ_MEMORY
    return str(value).strip()


DEFAULT_READ_QUERIES = 4


def read_queries() -> int:
    """How many read statements one app server runs at once (`BAPAS_KUERI_BACA`, else `kueri_baca`, else 4).

    They share the read connection's `memori_baca`; more wait their turn (DuckDB already spreads each statement
    over the cores). A value that is not a whole number of at least 1 raises ValueError with the reason.
    """
    value = os.environ.get("BAPAS_KUERI_BACA") or settings().get("kueri_baca") or DEFAULT_READ_QUERIES
    try:
        number = int(str(value).strip())
    except ValueError:
        number = 0
    if number < 1:
        raise ValueError(f"pengaturan kueri_baca tidak valid ({value!r}): harus bilangan bulat ≥ 1")
    return number


MODEL_FOLDER_OFF = ("nonaktif", "tidak", "off", "false", "0")
MIN_MODEL_KEY = 32


def model_folder(db_path: str | os.PathLike) -> Path | None:
    """Where finished risk-model fits are shared between app servers (`BAPAS_FOLDER_MODEL`, else `folder_model`,
    else `model/` beside the database or dataset folder); None when set to "nonaktif"."""
    value = os.environ.get("BAPAS_FOLDER_MODEL") or settings().get("folder_model")
    if value is None or value == "":
        return Path(db_path).parent / "model"
    if str(value).strip().lower() in MODEL_FOLDER_OFF:
        return None
    return Path(str(value).strip())


def model_key() -> bytes | None:
    """The secret that signs shared risk-model fits (`BAPAS_KUNCI_MODEL`, else `kunci_model`), or None.

    Every app server sharing `folder_model` must have the same value; one shorter than 32 characters raises ValueError.
    """
    value = os.environ.get("BAPAS_KUNCI_MODEL") or settings().get("kunci_model")
    if not value:
        return None
    value = str(value).strip()
    if len(value) < MIN_MODEL_KEY:
        raise ValueError(f"pengaturan kunci_model terlalu pendek ({len(value)} karakter): perlu ≥ {MIN_MODEL_KEY}")
    return value.encode("utf-8")


def now() -> dt.datetime:
    """The current time in Asia/Jakarta."""
    return dt.datetime.now(TIMEZONE)


def load_date() -> dt.date:
    """Today's date in Asia/Jakarta (the load date of DATA.md §0)."""
    return now().date()


def test_pause_seconds() -> float:
    """Seconds a load waits inside its transaction before committing (only set by the kill test)."""
    return float(os.environ.get("BAPAS_UJI_JEDA_TRANSAKSI", "0") or 0)


def os_user() -> str | None:
    """The operating-system account running a command-line load (recorded in muat_run.pengguna)."""
    import getpass
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None
