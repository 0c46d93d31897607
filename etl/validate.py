"""Turn raw tables into typed rows: parse every cell, apply DATA.md's row rules, reject with reasons."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from etl import config, spec
from etl.extract import Table
from etl.parse import normalise_place, parser_for, short

ARROW_TYPES = {
    spec.TEXT: pa.string(), spec.CODE: pa.string(), spec.REGISTER: pa.string(), spec.DATE: pa.date32(),
    spec.TTL: pa.date32(), spec.MONEY: pa.int64(), spec.INT: pa.int32(), spec.DOUBLE: pa.float64(),
    spec.BOOL: pa.bool_(), spec.NIK: pa.string(), spec.NIP: pa.string(), spec.MONTHS: pa.int32(),
    spec.VOCAB: pa.string(), spec.MONTH: pa.int32(), spec.YEAR: pa.int32(), spec.AKUN: pa.string(),
}
EXTRA_COLUMNS = {"kehadiran": {"kategori_hambatan": pa.string()}, "anggaran": {"melebihi_pagu": pa.bool_()}}


class References:
    """Keys already known (in the database or accepted earlier in this run), looked up per office on demand.

    `lookup(kind, kode_bapas)` gives the keys stored in the database; only the offices a run touches are read,
    so a national database costs nothing extra when one office is loaded.
    """

    def __init__(self, lookup=None):
        self._lookup = lookup or (lambda kind, office: set())
        self._keys: dict[tuple[str, str], set] = {}

    def of(self, kind: str, office: str) -> set:
        """The known keys of one kind (klien, program, mitra) in one office."""
        if (kind, office) not in self._keys:
            self._keys[(kind, office)] = set(self._lookup(kind, office))
        return self._keys[(kind, office)]

    def add(self, kind: str, pairs) -> None:
        """Keys accepted earlier in this run."""
        for office, code in pairs:
            self.of(kind, office).add(code)


@dataclass
class Validated:
    """The outcome of one sheet: accepted rows as an Arrow table, rejected rows with reasons."""

    kind: str
    sheet: str | None
    rows: pa.Table
    rows_read: int
    errors: list[dict]
    warnings: list[dict]

    @property
    def rows_rejected(self) -> int:
        return self.rows_read - self.rows.num_rows  # a grid's row holds several rows read (etl/kisi.py)


class _Columns(dict):
    """Parsed columns by field name. A column set as codes into its distinct values is made row by row only when
    something reads it (most never are: the checks and the Arrow conversion work on the distinct values)."""

    def __init__(self):
        super().__init__()
        self._coded: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def set_coded(self, name: str, codes: np.ndarray, distinct: np.ndarray) -> None:
        """The column is distinct[codes]."""
        dict.pop(self, name, None)
        self._coded[name] = (codes, distinct)

    def coded(self, name: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(codes, distinct values) while the column is still the one set by set_coded."""
        return self._coded.get(name)

    def __missing__(self, name: str) -> np.ndarray:
        codes, distinct = self._coded[name]
        column = distinct[codes]
        dict.__setitem__(self, name, column)
        return column

    def __setitem__(self, name: str, column: np.ndarray) -> None:
        self._coded.pop(name, None)  # a new array: the codes no longer describe it
        dict.__setitem__(self, name, column)


class _Issues:
    """Collects errors and warnings per row position."""

    def __init__(self, table: Table):
        self.table = table
        self.errors: list[tuple[int, str, str, str]] = []
        self.warnings: list[tuple[int, str, str, str]] = []
        self.rejected = np.zeros(len(table.rows), dtype=bool)
        self._raw: dict[str, np.ndarray] = {}

    def header(self, name: str) -> str:
        column = self.table.columns.get(name)
        if column:
            return column.header
        f = spec.KINDS[self.table.kind].field(name)
        return f.headers[0] if f.headers else name

    def raw(self, name: str, i: int) -> str:
        column = self._raw.get(name)
        if column is None:
            if name not in self.table.values.columns:
                return ""
            column = self._raw[name] = self.table.values[name].to_numpy(dtype=object)
        return short(column[self.table.rows[i]], limit=2000)

    def codes(self, p: _Columns, name: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(codes, distinct values) of a parsed column, when it is still the array they describe."""
        return p.coded(name)

    def groups(self, p: _Columns, name: str) -> tuple[np.ndarray, np.ndarray]:
        """pd.factorize of a parsed column (codes, -1 for empty; and its distinct values), from its distinct
        values when they are known."""
        coded = self.codes(p, name)
        if coded is None:
            codes, uniques = pd.factorize(pd.Series(p[name], dtype=object), use_na_sentinel=True)
            return codes, np.asarray(uniques, dtype=object)
        codes, distinct = coded
        canonical, uniques = pd.factorize(distinct, use_na_sentinel=True)
        return canonical[codes], np.asarray(uniques, dtype=object)

    def isna(self, p: _Columns, name: str) -> np.ndarray:
        coded = self.codes(p, name)
        if coded is None:
            return pd.isna(p[name])
        codes, distinct = coded
        return pd.isna(distinct)[codes]

    def error(self, positions, name: str, message, value=None) -> None:
        for i in np.atleast_1d(positions):
            i = int(i)
            msg = message(i) if callable(message) else message
            self.errors.append((i, self.header(name), self.raw(name, i) if value is None else value(i), msg))
            self.rejected[i] = True

    def warn(self, positions, name: str, message) -> None:
        for i in np.atleast_1d(positions):
            i = int(i)
            msg = message(i) if callable(message) else message
            self.warnings.append((i, self.header(name), self.raw(name, i), msg))

    def as_dicts(self, items) -> list[dict]:
        numbers = self.table.row_numbers
        return [{"row": int(numbers[i]), "column": col, "value": val, "message": msg}
                for i, col, val, msg in sorted(items, key=lambda x: x[0])]


_CACHES: dict[tuple, dict] = {}
_CACHE_LIMIT = 200_000


def _parse_column(codes: np.ndarray, uniques: list, f: spec.Field) -> tuple:
    """Parse each distinct value once (remembered across sheets and files).

    Returns (rows with an error, their errors, rows with a warning, their warnings, codes, distinct values): the
    parsed column is distinct[codes].
    """
    parse = parser_for(f)
    cache = _CACHES.setdefault((f.parser, f.vocab, f.name == "jumlah_pidana_sebelumnya"), {})
    if len(cache) > _CACHE_LIMIT:
        cache.clear()
    get = cache.get
    results = []
    for u in uniques:
        key = (type(u), u)  # 1, 1.0 and True are equal in Python but not the same cell
        found = get(key)
        if found is None:
            found = cache[key] = parse(u)
        results.append(found)
    results.append((None, None, None))
    values = np.empty(len(results), dtype=object)
    values[:] = [r[0] for r in results]
    errors = np.array([r[1] for r in results], dtype=object)
    warnings = np.array([r[2] for r in results], dtype=object)
    bad_distinct = np.array([r[1] is not None for r in results])
    warn_distinct = np.array([r[2] is not None for r in results])
    if len(codes) and codes.min() < 0:  # empty cells: the last slot (a new array only when there are some)
        codes = np.where(codes < 0, len(results) - 1, codes)
    none = np.zeros(0, dtype=int)
    bad = np.flatnonzero(bad_distinct[codes]) if bad_distinct.any() else none
    warned = np.flatnonzero(warn_distinct[codes]) if warn_distinct.any() else none
    values[bad_distinct] = None  # a rejected cell has no value
    return bad, errors[codes[bad]], warned, warnings[codes[warned]], codes, values


def _derive_pidana(tindak: object, pasal: object) -> str | None:
    for text in (tindak, pasal):
        if not isinstance(text, str):
            continue
        low = text.lower()
        for word, category in spec.KATEGORI_PIDANA_KATA:
            if word.isdigit():
                if re.search(rf"(?<![\d/]){word}(?![\d/])", low):
                    return category
            elif word in low:
                return category
    return None


def map_reason(reason: object, status: object, mapping: list[tuple[str, str]]) -> str | None:
    """DATA.md §6: the obstacle category of a non-HADIR attendance row (first keyword match wins)."""
    if status is None or status == "HADIR":
        return None
    if isinstance(reason, str):
        low = reason.lower()
        for word, category in mapping:
            if word.lower() in low:
                return category
    return "KLIEN_TIDAK_TEPAT_WAKTU" if status == "TERLAMBAT" else "LAINNYA"


_NOT_IN_CALENDAR = "tanggal tidak ada di kalender: "


def _as_typed(message: str, raw: str) -> str:
    """A parser's message that restates the cell in its own form (31-2-2026) quotes the cell as typed instead."""
    if message.startswith(_NOT_IN_CALENDAR) and raw:
        return f"{_NOT_IN_CALENDAR}'{raw}'"
    return message


def _dates(values: np.ndarray) -> pd.Series:
    return pd.to_datetime(pd.Series(values, dtype=object), errors="coerce")


TOTAL_ROW_HINT = ("; baris ini tampak sebagai baris jumlah, bukan data, sehingga tidak dimuat: hapus baris ini, "
                  "atau tulis hanya «JUMLAH» di sel pertamanya agar dilewati")


def _required_message(header: str, labelled: np.ndarray | None):
    """«… wajib diisi», with why a row that names a total («Jumlah Januari») is no data (extract._total_rows)."""
    if labelled is None:
        return f"{header} wajib diisi"
    return lambda i: f"{header} wajib diisi" + (TOTAL_ROW_HINT if labelled[i] else "")


def validate(table: Table, refs: References, mapping: list[tuple[str, str]],
             load_date: dt.date | None = None, office: str | None = None) -> Validated:
    """Parse and check one table; rows with any error are rejected, the rest are returned typed.

    `office` is the code for rows without a kode_bapas (default: the configured office)."""
    kind = spec.KINDS[table.kind]
    load_date = load_date or config.load_date()
    issues = _Issues(table)
    n = len(table.rows)
    parsed = _Columns()
    for f in kind.fields:
        if f.name not in table.values:  # no such column: every cell empty
            coded = (np.full(n, -1, dtype=np.intp), [])
        else:
            coded = table.factorized.get(f.name)
        if coded is None:
            codes, uniques = pd.factorize(table.values[f.name].to_numpy(dtype=object)[table.rows],
                                          use_na_sentinel=True)
            coded = (codes, uniques.tolist())
        bad, errors, warned, warnings, codes, distinct = _parse_column(*coded, f)
        parsed.set_coded(f.name, codes, distinct)
        if len(bad):
            message = dict(zip(bad.tolist(), errors.tolist()))
            issues.error(bad, f.name, lambda i, m=message, h=issues.header(f.name), n=f.name:
                         f"{h}: {_as_typed(m[i], issues.raw(n, i))}")
        if len(warned):
            message = dict(zip(warned.tolist(), warnings.tolist()))
            issues.warn(warned, f.name, lambda i, m=message: m[i])

    _fill_office(parsed, office or config.kode_bapas())

    for name in kind.required:
        missing = np.flatnonzero(issues.isna(parsed, name) & ~_has_error(issues, name, n))
        issues.error(missing, name, _required_message(issues.header(name), table.labelled))
    RULES[table.kind](parsed, issues, refs, mapping, load_date)
    _duplicates(kind, parsed, issues)

    accepted = ~issues.rejected
    rows = _arrow(table.kind, parsed, accepted, table.row_numbers, issues)
    return Validated(table.kind, table.sheet, rows, n, issues.as_dicts(issues.errors),
                     table.warnings + issues.as_dicts(issues.warnings))


def _fill_office(parsed: _Columns, default: str) -> None:
    """An empty kode_bapas is the configured office."""
    codes, distinct = parsed.coded("kode_bapas")
    parsed.set_coded("kode_bapas", codes, np.where(pd.isna(distinct), default, distinct))


def _has_error(issues: _Issues, name: str, n: int) -> np.ndarray:
    header = issues.header(name)
    flags = np.zeros(n, dtype=bool)
    for i, col, _, _ in issues.errors:
        if col == header:
            flags[i] = True
    return flags


def _duplicates(kind: spec.Kind, parsed: _Columns, issues: _Issues) -> None:
    """A key repeated in one file keeps its first row; each repeat is rejected."""
    live = np.flatnonzero(~issues.rejected)
    if len(live) < 2:
        return
    group, size = np.zeros(len(live), dtype=np.int64), 1  # codes of the key so far, and how many there can be
    for k in kind.key:  # equal values (Python equality, empty = empty) share a code; combined column by column
        codes, uniques = issues.groups(parsed, k)
        if size * (len(uniques) + 1) >= 2 ** 62:
            group, size = pd.factorize(group)[0].astype(np.int64), len(live)
        group = group * (len(uniques) + 1) + codes[live] + 1
        size *= len(uniques) + 1
    group = pd.factorize(group)[0]
    # codes number the keys in order of first appearance: a row is a repeat unless it brings a new code
    seen = np.maximum.accumulate(group)
    new = np.concatenate(([True], seen[1:] > seen[:-1]))
    if new.all():
        return
    dup = ~new
    first = np.flatnonzero(new)  # first[g]: the first row with key code g
    numbers = issues.table.row_numbers
    key_name = kind.key[1]
    for pos, original in zip(live[dup], live[first[group[dup]]]):
        issues.error(pos, key_name, f"duplikat: sama dengan baris {int(numbers[original])}")


def _arrow(kind_name: str, parsed: _Columns, accepted: np.ndarray, row_numbers,
           issues: _Issues) -> pa.Table:
    kind = spec.KINDS[kind_name]
    arrays, names = [], []
    columns = [(f.name, ARROW_TYPES[f.parser]) for f in kind.fields] + list(EXTRA_COLUMNS.get(kind_name, {}).items())
    for name, typ in columns:
        arrays.append(_arrow_column(parsed, name, typ, accepted, issues))
        names.append(name)
    arrays.append(pa.array(np.asarray(row_numbers)[accepted].astype("int64")))
    names.append("sumber_baris")
    return pa.Table.from_arrays(arrays, names=names)


def _arrow_column(parsed: _Columns, name: str, typ: pa.DataType, accepted: np.ndarray,
                  issues: _Issues) -> pa.Array:
    """The accepted values of a column as Arrow: each distinct value converted once, then taken."""
    coded = issues.codes(parsed, name)
    if coded is not None:
        codes, distinct = coded
        try:
            return pa.array(distinct.tolist(), type=typ).take(pa.array(codes[accepted]))
        except (pa.ArrowException, TypeError, ValueError, OverflowError):
            pass  # a value that does not convert: as it would row by row (raised only if it is accepted)
    return pa.array(parsed[name][accepted].tolist(), type=typ)


# ------------------------------------------------------------------------------------ row rules
def _before(p, issues: _Issues, a: str, b: str) -> np.ndarray:
    """Positions where date a < date b (both given)."""
    return np.flatnonzero(_dates_of(p, issues, a) < _dates_of(p, issues, b))


def _klien(p, issues: _Issues, refs: References, mapping, load_date) -> None:
    issues.error(_before(p, issues, "tanggal_akhir_bimbingan", "tanggal_mulai_bimbingan"), "tanggal_akhir_bimbingan",
                 "Tanggal akhir bimbingan sebelum tanggal mulai")
    status = pd.Series(p["status"], dtype=object)
    need_date = (status.notna() & (status != "AKTIF") & pd.isna(pd.Series(p["tanggal_status"], dtype=object)))
    issues.error(np.flatnonzero(need_date.to_numpy()), "tanggal_status",
                 lambda i: f"Tanggal status wajib diisi untuk status {status.iat[i]}")
    issues.error(_before(p, issues, "tanggal_status", "tanggal_mulai_bimbingan"), "tanggal_status",
                 "Tanggal status sebelum tanggal mulai bimbingan")
    residivis = pd.Series(p["residivis"], dtype=object)
    no_date = (residivis == True) & pd.isna(pd.Series(p["tanggal_residivis"], dtype=object))  # noqa: E712
    issues.error(np.flatnonzero(no_date.to_numpy()), "tanggal_residivis",
                 "Tanggal residivis wajib diisi bila residivis = Ya")
    issues.error(_before(p, issues, "tanggal_residivis", "tanggal_mulai_bimbingan"), "tanggal_residivis",
                 "Tanggal residivis sebelum tanggal mulai bimbingan")
    issues.error(_before(p, issues, "tanggal_mulai_bimbingan", "tanggal_lahir"), "tanggal_lahir",
                 "Tanggal lahir sesudah tanggal mulai bimbingan")
    # derived: age at start, offence category, place spellings
    born, start = _dates(p["tanggal_lahir"]), _dates(p["tanggal_mulai_bimbingan"])
    has_both = (born.notna() & start.notna()).to_numpy()
    if has_both.any():
        b, s = born[has_both], start[has_both]
        age = s.dt.year - b.dt.year - ((s.dt.month * 100 + s.dt.day) < (b.dt.month * 100 + b.dt.day))
        ages = p["umur_saat_mulai"].copy()
        ages[has_both] = age.astype(int).tolist()
        p["umur_saat_mulai"] = ages
    missing_cat = issues.isna(p, "kategori_pidana")
    derived: dict[tuple, str] = {}
    if missing_cat.any():
        p["kategori_pidana"] = p["kategori_pidana"].copy()  # never changed in place: its codes describe it
    for i in np.flatnonzero(missing_cat):
        pair = (p["tindak_pidana"][i], p["pasal"][i])
        if pair != (None, None):
            if pair not in derived:
                derived[pair] = _derive_pidana(*pair) or "Lainnya"
            p["kategori_pidana"][i] = derived[pair]
    _normalise_places(p)


def _normalise_places(p) -> None:
    """Kecamatan and kabupaten spellings, each distinct value once."""
    for name in ("kecamatan", "kabupaten_kota"):
        codes, uniques = pd.factorize(pd.Series(p[name], dtype=object), use_na_sentinel=True)
        if len(uniques):
            fixed = np.array([normalise_place(v) for v in uniques.tolist()] + [None], dtype=object)
            p[name] = fixed[codes]


def _kehadiran(p, issues: _Issues, refs: References, mapping, load_date) -> None:
    dates = _dates_of(p, issues, "tanggal")
    future = np.flatnonzero(dates > np.datetime64(load_date, "D"))
    issues.error(future, "tanggal", f"Tanggal sesudah tanggal pemuatan ({_day(load_date)}) tidak diterima")
    offices = issues.groups(p, "kode_bapas")
    for name, kind in (("no_register", "klien"), ("kode_program", "program")):
        unknown = ~issues.rejected & ~issues.isna(p, name) & ~_known(offices, issues.groups(p, name), refs, kind)
        issues.error(np.flatnonzero(unknown), name, lambda i, n=name, lb=kind: f"{lb} tidak dikenal: {p[n][i]}")
    codes, distinct = _map_reasons(issues.groups(p, "alasan"), issues.groups(p, "status_hadir"), mapping)
    p.set_coded("kategori_hambatan", codes, distinct)


_BULAN = ("", "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def _day(day: dt.date) -> str:
    """6 Des 2026: a date in a message, written as the app writes dates."""
    return f"{day.day} {_BULAN[day.month]} {day.year}"


def _dates_of(p, issues: _Issues, name: str) -> np.ndarray:
    """A parsed date column as datetime64[D] (NaT when empty), each distinct value converted once."""
    coded = issues.codes(p, name)
    if coded is None:
        return _dates(p[name]).to_numpy(dtype="datetime64[D]")
    codes, distinct = coded
    return _dates(distinct).to_numpy(dtype="datetime64[D]")[codes]


def _known(offices: tuple[np.ndarray, np.ndarray], values: tuple[np.ndarray, np.ndarray], refs: References,
           kind: str) -> np.ndarray:
    """Whether each (kode_bapas, code) pair is a known key of `kind` (both given as pd.factorize codes)."""
    office_codes, office_list = offices
    codes, uniques = values
    out = np.zeros(len(codes), dtype=bool)
    found = np.zeros(len(uniques) + 1, dtype=bool)  # per distinct code; the last slot is the empty code
    for k, office in enumerate(office_list.tolist()):
        known = refs.of(kind, office)
        found[:-1] = [u in known for u in uniques.tolist()]
        mine = office_codes == k if len(office_list) > 1 else office_codes >= 0
        out[mine] = found[codes[mine]]
    return out


def _map_reasons(reasons: tuple[np.ndarray, np.ndarray], statuses: tuple[np.ndarray, np.ndarray],
                 mapping) -> tuple[np.ndarray, np.ndarray]:
    """Map each distinct (reason, status) pair once: (codes, distinct categories)."""
    (r_codes, r_uniques), (s_codes, s_uniques) = reasons, statuses
    if len(r_codes) == 0:
        return np.zeros(0, dtype=np.int64), np.full(1, None, dtype=object)
    r_values, s_values = r_uniques.tolist() + [None], s_uniques.tolist() + [None]
    width = len(s_values)
    pair = r_codes.astype(np.int64) % len(r_values) * width + s_codes.astype(np.int64) % width
    inverse, pairs = pd.factorize(pair)
    mapped = np.array([map_reason(r_values[p // width], s_values[p % width], mapping) for p in pairs.tolist()],
                      dtype=object)
    return inverse, mapped


def _program(p, issues: _Issues, refs: References, mapping, load_date) -> None:
    issues.error(_before(p, issues, "tanggal_selesai", "tanggal_mulai"), "tanggal_selesai",
                 "Tanggal selesai program sebelum tanggal mulai")
    kb = p["kode_bapas"]
    for i in range(len(kb)):
        mitra = p["kode_mitra"][i]
        if mitra is not None and not issues.rejected[i] and mitra not in refs.of("mitra", kb[i]):
            issues.warn(i, "kode_mitra", f"mitra {mitra} belum ada di data mitra")


def _mitra(p, issues: _Issues, refs: References, mapping, load_date) -> None:
    for i in _before(p, issues, "berlaku_sampai", "tanggal_pks"):
        issues.warn(i, "berlaku_sampai", "Tanggal berlaku sampai sebelum tanggal PKS")
    _normalise_places(p)


def _anggaran(p, issues: _Issues, refs: References, mapping, load_date) -> None:
    empty = (pd.isna(pd.Series(p["pagu"], dtype=object)) & pd.isna(pd.Series(p["rencana"], dtype=object))
             & pd.isna(pd.Series(p["realisasi"], dtype=object))).to_numpy()
    issues.error(np.flatnonzero(empty & ~issues.rejected), "pagu",
                 "baris anggaran tanpa nilai: isi Pagu, Rencana atau Realisasi", value=lambda i: "")
    p["melebihi_pagu"] = np.full(len(empty), False, dtype=object)


def _hambatan(p, issues: _Issues, refs: References, mapping, load_date) -> None:
    kategori = pd.Series(p["kategori"], dtype=object)
    uraian = pd.Series(p["uraian"], dtype=object)
    neither = (kategori.isna() & uraian.isna()).to_numpy()
    had_error = _has_error(issues, "kategori", len(kategori))
    issues.error(np.flatnonzero(neither & ~had_error), "kategori", "isi Kategori atau Uraian hambatan")
    extended = mapping + [("anggaran", "ANGGARAN_TERBATAS"), ("dana", "ANGGARAN_TERBATAS"),
                          ("minat", "PROGRAM_TIDAK_SESUAI_MINAT"), ("tidak sesuai", "PROGRAM_TIDAK_SESUAI_MINAT"),
                          ("beban kerja", "BEBAN_KERJA_PK"), ("sertifikat", "MITRA_BELUM_BERSERTIFIKAT"),
                          ("mitra", "MITRA_TERBATAS"), ("stigma", "STIGMA_MASYARAKAT"),
                          ("terlambat", "KLIEN_TIDAK_TEPAT_WAKTU"), ("wilayah", "JANGKAUAN_WILAYAH")]
    p["kategori"], p["faktor"] = p["kategori"].copy(), p["faktor"].copy()  # their codes describe the originals
    for i in np.flatnonzero((kategori.isna() & uraian.notna()).to_numpy() & ~had_error):
        p["kategori"][i] = map_reason(uraian.iat[i], "IZIN", extended)
    for i in range(len(kategori)):
        if p["faktor"][i] is None and p["kategori"][i] is not None:
            p["faktor"][i] = spec.KATEGORI_HAMBATAN[p["kategori"][i]][0]


RULES = {"klien": _klien, "kehadiran": _kehadiran, "program": _program, "mitra": _mitra,
         "anggaran": _anggaran, "hambatan": _hambatan}
