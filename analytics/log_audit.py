"""Audit log entries in the app's words: obstacle category codes and Jelajah names replaced, filters spelled out."""
import datetime as dt
import json
import re

import pandas as pd

from analytics import format as fmt, jelajah
from analytics.hambatan import CATEGORY_LABELS, CATEGORY_SHORT
from analytics.viewer import ROLE_LABELS, Viewer

CODED = ("LIHAT_DATA_PERORANGAN", "UNDUH")  # notes the app writes with an obstacle category code in them
FILTER_LABELS = {"mulai": "mulai", "akhir": "akhir", "kode_bapas": "kantor", "program_integrasi": "program integrasi",
                 "pk_nip": "NIP PK"}
# an obstacle category code, also inside a download's file name ('log-hambatan-klien_kurang_serius')
_CATEGORY = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, CATEGORY_LABELS)) + r")(?![A-Za-z0-9_])",
                       re.IGNORECASE)


def _category(code: str) -> str:
    """The category's short name from the Hambatan charts (the long one is cut off in the table)."""
    return CATEGORY_SHORT.get(code) or CATEGORY_LABELS[code]


def _exploration(text: str) -> str | None:
    """A Jelajah Data exploration (analytics.jelajah.describe) in the words of that page; None if not one."""
    parts = text.split("; ")
    if not parts[0].startswith("data "):
        return None
    name = parts[0][len("data "):]
    try:
        data = jelajah.dataset(name)
        dimensions, measures = jelajah.dimensions(name), jelajah.measures(name, Viewer("audit", "kepala"))
    except ValueError:
        return None
    words = [f"data «{data.label}»"]
    for part in parts[1:]:
        head, _, rest = part.partition(" ")
        if head == "saring":
            column, _, values = rest.partition(": ")
            label = next((c.label for c in data.columns if c.name == column), column)
            words.append(f"saring «{label}»: " + ", ".join(_filter_value(v, jelajah.option_label)
                                                           for v in values.split(", ")))
        elif head == "kelompok":
            words.append("kelompok " + ", ".join(f"«{dimensions.get(k, k)}»" for k in rest.split(", ")))
        elif head == "ukuran":
            words.append("ukuran " + ", ".join(f"«{measures.get(k, k)}»" for k in rest.split(", ")))
        else:
            words.append(part)
    return "; ".join(words)


def readable(action, text) -> str:
    """An audit note with the app's words in place of internal codes (obstacle categories, Jelajah names)."""
    if not isinstance(text, str) or not text:
        return ""
    if action == "JELAJAH_KUERI":
        return _exploration(text) or text
    if action in CODED:
        return _CATEGORY.sub(lambda m: f"«{_category(m.group(1).upper())}»", text)
    return text  # typed SQL, file names, account names: as written


def _filter_value(value, words=str) -> str:
    """An ISO date as '1 Agu 2026'; anything else through `words`."""
    try:
        return fmt.date(dt.date.fromisoformat(value))
    except (TypeError, ValueError):
        return words(value)


def filters_in_words(text) -> str:
    """The filters of an audited view in words: 'mulai 1 Agu 2026; akhir 31 Okt 2026; program integrasi PB'."""
    if not isinstance(text, (str, dict)) or not text:
        return ""
    values = json.loads(text) if isinstance(text, str) else text
    return "; ".join(f"{FILTER_LABELS.get(k, k)} "
                     + (", ".join(map(_filter_value, v)) if isinstance(v, list) else _filter_value(v))
                     for k, v in values.items())


def log_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Audit rows as the Log Audit page shows them, with the note as stored (its codes) where the words differ."""
    shown = pd.DataFrame({
        "Waktu": frame["waktu"].map(fmt.timestamp),
        "Pengguna": frame["nama_pengguna"].fillna(""),
        "Peran": [ROLE_LABELS.get(r, r) if isinstance(r, str) else "" for r in frame["peran"]],
        "Aksi": frame["aksi"].map(fmt.code),
        "Keterangan": [readable(a, t) for a, t in zip(frame["aksi"], frame["keterangan"])],
        "Halaman": frame["halaman"].fillna(""),
        "Baris": frame["jumlah_baris"].map(lambda n: "" if pd.isna(n) else fmt.number(n)),
        "Saringan": frame["filter"].map(filters_in_words),
    })
    # for support: the stored note only where the shown text differs
    shown["Kode"] = [t if isinstance(t, str) and t != r else ""
                     for t, r in zip(frame["keterangan"], shown["Keterangan"])]
    return shown
