"""Cell parsers: one value as a person typed it → (value, error, warning), messages in Indonesian.

Every parser takes any Python value a reader can give (str, int, float, bool, date, datetime, None)
and never raises: a value it cannot read comes back as (None, reason, None).
"""
from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, ROUND_HALF_UP, InvalidOperation

from etl import spec

Parsed = tuple[object, str | None, str | None]
EMPTY: Parsed = (None, None, None)

_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f\u3000]+")
# Full-width forms (１２７１…, typed with an East Asian input method or pasted from a PDF) as the ASCII they show
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
# and invisible characters pasted from the web or a chat (zero-width space, word joiner, a stray BOM): dropped, so
# «A-2\u200b» is the register «A-2» a person sees
_FULL_WIDTH.update({0x200B: None, 0x2060: None, 0xFEFF: None})
_EMPTY_MARKS = {"", "-", "–", "—", "--", "n/a", "N/A", "#N/A"}

MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2, "febuari": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "ags": 8, "agt": 8, "aug": 8, "august": 8, "agust": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12, "nopember.": 11,
}
BULAN = ("", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
         "Oktober", "November", "Desember")
_WEEKDAYS = r"(senin|selasa|rabu|kamis|jum'?at|jumat|sabtu|minggu|ahad|monday|tuesday|wednesday|" \
            r"thursday|friday|saturday|sunday)"
_WEEKDAY_PREFIX = re.compile(rf"^{_WEEKDAYS}\s*,?\s*", re.I)
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:\s+\d{1,2}[:.]\d{2}(?::\d{2})?)?$")
_DMY_SHORT = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2})$")
_D_MONTH_Y = re.compile(r"^(\d{1,2})[\s\-/.]*([a-z]+)\.?[\s\-/.,]*(\d{2,4})$", re.I)
_TIME_SUFFIX = re.compile(r"\s*,?\s+(pukul|jam)?\s*\d{1,2}[:.]\d{2}([:.]\d{2})?\s*(WIB|WITA|WIT)?$", re.I)
_EXCEL_EPOCH = dt.date(1899, 12, 30)
DATE_HINT = "contoh yang diterima: 12/03/2022, 12 Maret 2022, 2022-03-12"


class RejectedCell:
    """A cell the reader already found unloadable: its text as read, and the reason every parser gives.

    Not a str subclass on purpose: pandas takes any str for plain text (and would merge it with equal text).
    """

    __slots__ = ("text", "reason")

    def __init__(self, text: str, reason: str):
        self.text, self.reason = text, reason

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"RejectedCell({self.text!r}, {self.reason!r})"

    def __eq__(self, other: object) -> bool:
        return type(other) is RejectedCell and (self.text, self.reason) == (other.text, other.reason)

    def __hash__(self) -> int:
        return hash((RejectedCell, self.text, self.reason))


def is_empty(value: object) -> bool:
    """True for a blank cell: None, NaN/NaT, or text that is only spaces or a dash."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str):
        return _SPACES.sub("", value).strip() in _EMPTY_MARKS
    try:  # pandas NaT / NA
        return bool(value != value)
    except (TypeError, ValueError):
        return False


def clean_text(value: object) -> str:
    """Trim spaces, non-breaking spaces and line breaks at the ends; collapse inner runs of spaces."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date):
        return value.isoformat()
    text = _SPACES.sub(" ", str(value))
    if not text.isascii():
        text = text.translate(_FULL_WIDTH)
    return text.strip(" \r\n\t")


def short(value: object, limit: int = 60) -> str:
    """The cell as text for a message."""
    text = clean_text(value) if not is_empty(value) else ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------------------------------------- text
def parse_text(value: object) -> Parsed:
    if is_empty(value):
        return EMPTY
    return clean_text(value), None, None


def parse_code(value: object) -> Parsed:
    """A code: a numeric cell becomes its integer text; text is trimmed, spaces collapsed, upper-cased."""
    if is_empty(value):
        return EMPTY
    if isinstance(value, bool):
        return None, f"kode tidak valid: '{value}'", None
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not value.is_integer():
            return clean_text(value).upper(), None, None
        return str(int(value)), None, None
    return clean_text(value).replace("\n", " ").upper(), None, None


parse_register = parse_code


# --------------------------------------------------------------------------------------------- dates
def _make_date(year: int, month: int, day: int) -> Parsed:
    if not 1900 <= year <= 2100:
        return None, f"tahun {year} di luar rentang 1900–2100", None
    try:
        return dt.date(year, month, day), None, None
    except ValueError:
        return None, f"tanggal tidak ada di kalender: {day}-{month}-{year}", None


def _from_serial(number: float) -> Parsed:
    if not 1 <= number < 73051:  # 1900-01-01 .. 2099-12-31
        return None, f"angka {clean_text(number)} bukan tanggal Excel yang masuk akal", None
    return _EXCEL_EPOCH + dt.timedelta(days=int(math.floor(number))), None, None


def parse_date(value: object) -> Parsed:
    """A date as people type it: Excel dates and serials, day-first text, Indonesian month names."""
    if is_empty(value):
        return EMPTY
    if isinstance(value, bool):
        return None, f"'{value}' bukan tanggal ({DATE_HINT})", None
    if isinstance(value, dt.datetime):
        return _make_date(value.year, value.month, value.day)
    if isinstance(value, dt.date):
        return _make_date(value.year, value.month, value.day)
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        d = value.to_pydatetime()
        return _make_date(d.year, d.month, d.day)
    if isinstance(value, (int, float)):
        return _from_serial(float(value))
    text = clean_text(value)
    if hasattr(value, "dtype") and not isinstance(value, str):  # numpy scalar
        try:
            return _from_serial(float(value))
        except (TypeError, ValueError):
            pass
    text = _WEEKDAY_PREFIX.sub("", text.lstrip("'")).strip().rstrip(".")
    text = _TIME_SUFFIX.sub("", text) if not _ISO.match(text) else text
    if m := _ISO.match(text):
        return _make_date(int(m[1]), int(m[2]), int(m[3]))
    if m := _DMY.match(text):
        return _make_date(int(m[3]), int(m[2]), int(m[1]))
    if _DMY_SHORT.match(text):
        return None, f"tahun dua digit tidak diterima: '{text}' (tulis tahun lengkap, mis. 12/03/2022)", None
    if m := _D_MONTH_Y.match(text):
        month = MONTHS.get(m[2].lower())
        if month is None:
            return None, f"nama bulan tidak dikenal: '{m[2]}' ({DATE_HINT})", None
        if len(m[3]) != 4:
            return None, f"tahun dua digit tidak diterima: '{text}' (tulis tahun lengkap)", None
        return _make_date(int(m[3]), month, int(m[1]))
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return _from_serial(float(text))
    return None, f"tanggal tidak dapat dibaca: '{short(value)}' ({DATE_HINT})", None


_TRAILING_DATE = re.compile(r"(\d{1,2}[\s\-/.]*[A-Za-z]+\.?[\s\-/.,]*\d{2,4}|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}"
                            r"|\d{4}-\d{1,2}-\d{1,2})\s*$")


def parse_ttl(value: object) -> Parsed:
    """Tanggal lahir, also from a "Tempat, tanggal lahir" cell (the date part is taken): 'Metro, 5 Mei 1985',
    'Metro / 05-05-1985', 'Metro 5 Mei 1985'."""
    parsed = parse_date(value)
    if parsed[1] is None or not isinstance(value, str):
        return parsed
    if "," in value:
        again = parse_date(value.rsplit(",", 1)[1])
        if again[1] is None:
            return again
    m = _TRAILING_DATE.search(value)
    if m and re.search(r"[A-Za-z]", value[:m.start()]):  # a place name before the date
        again = parse_date(m[1])
        if again[1] is None or "tahun dua digit" in again[1]:
            return again
    return parsed


# --------------------------------------------------------------------------------------------- money
_MONEY_PREFIX = re.compile(r"^(rp\.?|idr)\s*", re.I)


MAX_AMOUNT = Decimal(10) ** 15  # Rp 1.000 triliun: larger is a typing error, and BIGINT-safe


def _round_half_up(number: Decimal) -> int:
    return int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _indonesian_number(text: str) -> Decimal | None:
    """'1.500.000,50' → 1500000.50; also plain '1500000', '1500000.5', '1,500,000'."""
    t = text.replace(" ", "")
    if re.fullmatch(r"\d+", t):
        return Decimal(t)
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", t):
        return Decimal(t.replace(".", "").replace(",", "."))
    if re.fullmatch(r"\d+,\d{1,2}", t):
        return Decimal(t.replace(",", "."))
    if re.fullmatch(r"\d+\.\d{1,2}", t):
        return Decimal(t)
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", t):
        return Decimal(t.replace(",", ""))
    if re.fullmatch(r"\d+\.\d+", t) or re.fullmatch(r"\d+,\d+", t):
        return Decimal(t.replace(",", "."))
    return None


# a bare «M» is left out: miliar to an Indonesian reader, million to others; a refused value beats a 1000× error
_MONEY_SCALES = {"ribu": 1_000, "rb": 1_000, "juta": 1_000_000, "jt": 1_000_000, "miliar": 1_000_000_000,
                 "milyar": 1_000_000_000}
_MONEY_UNIT = re.compile(r"(\d[\d.,]*)\s*(ribu|rb|juta|jt|miliar|milyar)\.?", re.I)


def parse_money(value: object) -> Parsed:
    """Rupiah as typed: Rp1.500.000,00, Rp 1.500.000, Rp. 65.040.000,-, 1.500.000, numbers; also with a word of
    scale as written by hand (1,2 juta, 750 rb, 1,5 miliar: README's reading rules beyond DATA.md)."""
    if is_empty(value):
        return EMPTY
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.datetime)):
        return None, f"jumlah uang tidak dapat dibaca: '{short(value)}'", None
    if isinstance(value, (int, float)) or hasattr(value, "dtype"):
        try:
            number = Decimal(str(float(value))) if not isinstance(value, int) else Decimal(value)
        except (InvalidOperation, ValueError, TypeError):
            return None, f"jumlah uang tidak dapat dibaca: '{short(value)}'", None
        if not number.is_finite():
            return None, f"jumlah uang tidak dapat dibaca: '{short(value)}'", None
        if number < 0:
            return None, f"jumlah uang negatif tidak diterima: {short(value)}", None
        if number >= MAX_AMOUNT:
            return None, f"jumlah uang terlalu besar: {short(value)}", None
        return _round_half_up(number), None, None
    text = clean_text(value)
    t = text.strip()
    negative = t.startswith("(") and t.endswith(")")
    t = _MONEY_PREFIX.sub("", t.strip("()").strip()).strip()
    if t.startswith("-"):
        negative, t = True, _MONEY_PREFIX.sub("", t.lstrip("-").strip()).strip()
    t = re.sub(r"(,|\.)?-+$", "", t).strip()
    scale = 1
    if unit := _MONEY_UNIT.fullmatch(t):  # «1,2 juta», «750 rb» as officers write them by hand
        t, scale = unit[1].strip(), _MONEY_SCALES[unit[2].lower()]
    number = _indonesian_number(t)
    if number is not None and scale != 1:
        number = Decimal(str(number)) * scale
    if number is None:
        return None, f"jumlah uang tidak dapat dibaca: '{short(value)}' (contoh: Rp 1.500.000)", None
    if negative and number != 0:
        return None, f"jumlah uang negatif tidak diterima: '{short(value)}'", None
    if number >= MAX_AMOUNT:
        return None, f"jumlah uang terlalu besar: '{short(value)}'", None
    return _round_half_up(number), None, None


# ------------------------------------------------------------------------------------------- numbers
def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) or hasattr(value, "dtype"):
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None
        return None if math.isnan(number) or math.isinf(number) else number
    text = clean_text(value).replace(" ", "")
    if re.fullmatch(r"-?\d+", text):
        return float(text)
    if re.fullmatch(r"-?\d+[.,]\d+", text):
        return float(text.replace(",", "."))
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):
        return float(text.replace(".", ""))
    return None


def parse_int(value: object) -> Parsed:
    """A whole number ≥ 0; '35 tahun' or 'ke-2' give their single number."""
    if is_empty(value):
        return EMPTY
    number = _number(value)
    if number is None and isinstance(value, str):
        groups = re.findall(r"\d+", value)
        if len(groups) == 1 and re.fullmatch(r"[A-Za-z\s\-.:]*\d+[A-Za-z\s\-.:]*", clean_text(value)):
            number = float(groups[0])
    if number is None:
        return None, f"bukan bilangan bulat: '{short(value)}'", None
    if number < 0:
        return None, f"tidak boleh negatif: {short(value)}", None
    if not float(number).is_integer():
        return None, f"harus bilangan bulat: {short(value)}", None
    if number > 2_000_000_000:
        return None, f"angka terlalu besar: {short(value)}", None
    return int(number), None, None


def parse_count_or_bool(value: object) -> Parsed:
    """A count that may be written Ya/Tidak (Pernah Dipidana: Ya = 1, Tidak = 0)."""
    flag, error, _ = parse_bool(value)
    if error is None and flag is not None and not isinstance(value, (int, float)):
        return int(flag), None, None
    return parse_int(value)


_CLOCK = re.compile(r"(\d{1,3})[:.]([0-5]\d)(?:[:.]([0-5]\d))?")
_HOURS_MINUTES = re.compile(r"(\d+)\s*(?:jam|j)\.?\s*(\d+)\s*(?:menit|mnt)\.?")


def parse_double(value: object) -> Parsed:
    """A number ≥ 0 (hours): '1,5', '2 jam', '90 menit' (→ 1.5), a time cell or '1:30', '1 jam 30 menit' (→ 1.5)."""
    if is_empty(value):
        return EMPTY
    if isinstance(value, dt.time):  # a cell formatted h:mm
        number = value.hour + value.minute / 60 + value.second / 3600
    elif isinstance(value, dt.timedelta):  # [h]:mm, a duration past 24 hours
        number = value.total_seconds() / 3600
    else:
        number = _number(value)
    if number is None and isinstance(value, str):
        text = clean_text(value).lower()
        m = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*(jam|j|menit|mnt|hours?|h)?\.?", text)
        if m:
            number = float(m[1].replace(",", "."))
            if m[2] in ("menit", "mnt"):
                number /= 60
        elif (m := _CLOCK.fullmatch(text)) and ":" in text:
            number = int(m[1]) + int(m[2]) / 60 + int(m[3] or 0) / 3600
        elif m := _HOURS_MINUTES.fullmatch(text):
            number = int(m[1]) + int(m[2]) / 60
    if number is None:
        return None, f"bukan angka: '{short(value)}'", None
    if number < 0:
        return None, f"tidak boleh negatif: {short(value)}", None
    return number, None, None


_DURATION = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(tahun|thn|th|t|bulan|bln|bl|b|hari|hr|h|minggu|mgg)\b\.?", re.I)


_SPELLED = re.compile(r"\(\s*[a-z][a-z\s]*\)|\b(pidana|penjara|kurungan|selama)\b")


def parse_months(value: object) -> Parsed:
    """A sentence length in months: '2 tahun 6 bulan' → 30, '1 thn 3 bln' → 15, a bare number = months."""
    if is_empty(value):
        return EMPTY
    number = _number(value)
    if number is not None:
        if number < 0:
            return None, f"lama pidana tidak boleh negatif: {short(value)}", None
        if number > 1200:
            return None, f"lama pidana tidak masuk akal: {short(value)} bulan", None
        return int(Decimal(str(number)).quantize(Decimal(1), rounding=ROUND_HALF_UP)), None, None
    text = _SPELLED.sub(" ", clean_text(value).lower())  # '2 (dua) tahun' as a verdict writes it
    parts = _DURATION.findall(text)
    leftover = _DURATION.sub("", text)
    if not parts or re.search(r"[0-9]", leftover) or re.sub(r"[\s,&dan]+", "", leftover):
        return None, f"lama pidana tidak dapat dibaca: '{short(value)}' (contoh: 2 tahun 6 bulan)", None
    months = Decimal(0)
    for amount, unit in parts:
        n = Decimal(amount.replace(",", "."))
        unit = unit.lower()
        if unit in ("tahun", "thn", "th", "t"):
            months += n * 12
        elif unit in ("bulan", "bln", "bl", "b"):
            months += n
        elif unit in ("minggu", "mgg"):
            months += n * 7 / Decimal(30)
        else:
            months += n / Decimal(30)
    if months > 1200:
        return None, f"lama pidana tidak masuk akal: '{short(value)}'", None
    return int(months.quantize(Decimal(1), rounding=ROUND_HALF_UP)), None, None


# -------------------------------------------------------------------------------------------- flags
TRUE_WORDS = {"YA", "Y", "IYA", "1", "BENAR", "SUDAH", "ADA", "TRUE", "✓", "✔", "√", "V", "AKTIF"}
FALSE_WORDS = {"TIDAK", "T", "TDK", "0", "SALAH", "BELUM", "TIDAK_ADA", "FALSE", "TIDAK_AKTIF",
               "NONAKTIF", "NON_AKTIF", "X", "✗", "✘"}


def parse_bool(value: object) -> Parsed:
    """Ya/Tidak and the other spellings of DATA.md §0 (Aktif/Tidak Aktif too)."""
    if is_empty(value):
        return EMPTY
    if isinstance(value, bool):
        return value, None, None
    if isinstance(value, (int, float)) and float(value) in (0.0, 1.0):
        return bool(value), None, None
    text = clean_text(value)
    code = "✓" if text in ("✓", "✔", "√") else spec.normalise_code(text)
    if code in TRUE_WORDS or text in TRUE_WORDS:
        return True, None, None
    if code in FALSE_WORDS or text in FALSE_WORDS:
        return False, None, None
    return None, f"nilai '{short(value)}' tidak dikenal; gunakan Ya atau Tidak", None


# ------------------------------------------------------------------------------------- identifiers
_SCIENTIFIC = re.compile(r"^\d+([.,]\d+)?[eE][+-]?\d+$")


def _digits_id(value: object, length: int, label: str) -> Parsed:
    """A 16-digit NIK or 18-digit NIP: spaces and dots removed; a bad value is a warning, the row kept."""
    if type(value) is str and len(value) == length and value.isascii() and value.isdigit():
        return value, None, None  # already clean: the common case, as the steps below would give it
    if is_empty(value):
        return EMPTY
    if isinstance(value, bool):
        return None, None, f"{label} tidak valid: '{value}'; {label} dikosongkan"
    if isinstance(value, (int, float)) or (hasattr(value, "dtype") and not isinstance(value, str)):
        number = float(value)
        if not number.is_integer():
            return None, None, f"{label} tidak valid: '{short(value)}'; {label} dikosongkan"
        digits = str(int(value)) if not isinstance(value, float) else f"{int(number)}"
        if len(digits) != length:
            return None, None, f"{label} harus {length} digit, terbaca {len(digits)} digit; {label} dikosongkan"
        if isinstance(value, float):
            return digits, None, (f"{label} dibaca dari sel angka; Excel mungkin sudah membulatkan digit "
                                  f"terakhirnya — simpan {label} sebagai teks")
        return digits, None, None
    text = clean_text(value).lstrip("'")
    if _SCIENTIFIC.match(text.replace(" ", "")):
        return None, None, (f"{label} '{text}' sudah dibulatkan Excel ke notasi ilmiah dan tidak dapat "
                            f"dipulihkan; ketik ulang {label} sebagai teks; {label} dikosongkan")
    digits = re.sub(r"[\s.\-]", "", text)
    if not digits.isdigit():
        return None, None, f"{label} hanya boleh berisi angka: '{short(value)}'; {label} dikosongkan"
    if len(digits) != length:
        return None, None, f"{label} harus {length} digit, terbaca {len(digits)} digit; {label} dikosongkan"
    return digits, None, None


def parse_nik(value: object) -> Parsed:
    return _digits_id(value, 16, "NIK")


def parse_nip(value: object) -> Parsed:
    return _digits_id(value, 18, "NIP")


def parse_akun(value: object) -> Parsed:
    """A 6-digit account code; a full SAKTI code gives its last 6-digit group."""
    if is_empty(value):
        return EMPTY
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        text = str(int(value))
    else:
        text = clean_text(value)
    groups = re.findall(r"(?<!\d)(\d{6})(?!\d)", text)
    if not groups:
        return None, f"kode akun harus 6 digit (mis. 524113): '{short(value)}'", None
    return groups[-1], None, None


def parse_year(value: object) -> Parsed:
    if is_empty(value):
        return EMPTY
    number = _number(value)
    if number is None and isinstance(value, str):
        found = re.findall(r"(?<!\d)(\d{4})(?!\d)", value)
        number = float(found[0]) if len(found) == 1 else None
    if number is None or not float(number).is_integer() or not 2000 <= number <= 2100:
        return None, f"tahun anggaran tidak valid: '{short(value)}'", None
    return int(number), None, None


def parse_month(value: object) -> Parsed:
    """Month 1–12 or a month name; empty means an annual row."""
    if is_empty(value):
        return EMPTY
    if isinstance(value, (dt.date, dt.datetime)) or hasattr(value, "to_pydatetime"):
        return value.month, None, None  # a date cell shown as «Jan-25»: its month
    number = _number(value)
    if number is None and isinstance(value, str):
        text = clean_text(value).lower()
        word = re.match(r"[a-z]+", text)
        number = MONTHS.get(word[0]) if word else None
        if m := re.fullmatch(r"(\d{1,2})[/\-.](\d{4})|(\d{4})[/\-.](\d{1,2})", text):
            number = int(m[1] or m[4])
    if number is None or not float(number).is_integer() or not 1 <= number <= 12:
        return None, f"bulan harus 1–12 atau nama bulan: '{short(value)}'", None
    return int(number), None, None


def parse_vocab(value: object, vocab: str) -> Parsed:
    """A vocabulary value in any case or full words; anything else lists the allowed values."""
    if is_empty(value):
        return EMPTY
    text = clean_text(value)
    index = spec.VOCAB_INDEX[vocab]
    code = index.get(spec.vocabulary_key(text))
    if code is None and "(" in text:
        code = index.get(spec.normalise_code(text.split("(")[0]))
    if code is None:
        allowed = ", ".join(spec.VOCABULARIES[vocab])
        return None, f"nilai '{short(value)}' tidak dikenal; yang diterima: {allowed}", None
    return code, None, None


# ------------------------------------------------------------------------------------------ places
_CANONICAL_PLACES = sorted(set(spec.KECAMATAN_VARIAN.values()), key=len, reverse=True)


def normalise_place(text: str | None) -> str | None:
    """Kecamatan/kabupaten spelling: 'Kec. Telukbetung utara' → 'Teluk Betung Utara'."""
    if text is None:
        return None
    s = re.sub(r"^(kec\.?|kecamatan|kab\.?|kabupaten)\s+", "", text.strip(), flags=re.I)
    s = re.sub(r"^kota\s+(?=bandar|metro)", "", s, flags=re.I)
    words = s.split()
    out: list[str] = []
    for w in words:
        key = spec.normalise_header(w)
        replacement = spec.KECAMATAN_VARIAN.get(key)
        out.append(replacement if replacement else w[:1].upper() + w[1:].lower())
    return " ".join(out) or None


PARSERS = {
    spec.TEXT: parse_text, spec.CODE: parse_code, spec.REGISTER: parse_register, spec.DATE: parse_date,
    spec.TTL: parse_ttl, spec.MONEY: parse_money, spec.INT: parse_int, spec.DOUBLE: parse_double,
    spec.BOOL: parse_bool, spec.NIK: parse_nik, spec.NIP: parse_nip, spec.MONTHS: parse_months,
    spec.AKUN: parse_akun, spec.YEAR: parse_year, spec.MONTH: parse_month,
}


# The text Excel (or LibreOffice: Err:502) shows for a formula that failed; #N/A ("not available") is an empty cell.
FORMULA_ERRORS = {"#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!", "#FIELD!",
                  "#GETTING_DATA", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#EXTERNAL!"}
_LIBREOFFICE_ERROR = re.compile(r"^Err:\d{3}$")


def formula_error(value: object) -> str | None:
    """The reason a cell holding a formula error is refused, or None."""
    if type(value) is not str or not value or value[0] not in "#E":
        return None
    text = value.strip()
    if text.upper() not in FORMULA_ERRORS and not _LIBREOFFICE_ERROR.match(text):
        return None
    return (f"sel berisi galat rumus {text} (rumusnya gagal dihitung, mis. merujuk sel yang sudah dihapus); "
            "perbaiki rumusnya atau ketik nilainya")


def parser_for(field: spec.Field):
    """The parser function of a field (vocabularies bound to their list); a RejectedCell gets its reason, a
    formula error (#REF!, #VALUE!, …) its own."""
    if field.parser == spec.VOCAB:
        vocab = field.vocab
        parse = lambda value: parse_vocab(value, vocab)  # noqa: E731
    elif field.name == "jumlah_pidana_sebelumnya":
        parse = parse_count_or_bool
    else:
        parse = PARSERS[field.parser]

    def checked(value: object) -> Parsed:
        if type(value) is RejectedCell:
            return None, value.reason, None
        error = formula_error(value)
        if error:
            return None, error, None
        if type(value) is str and value.startswith('="') and value.endswith('"') and len(value) >= 3:
            value = value[2:-1]  # ="0012345": a CSV export's way to keep a value as text
        return parse(value)
    return checked
