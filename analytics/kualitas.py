"""Data-quality scorecard per table, and the load history (read side: no Streamlit).

Each check gives one row: table, check name (Indonesian), rows with the problem (`jumlah`), rows it applies to
(`dari`), their share (`porsi`), status baik / perhatian / buruk by the thresholds in AMBANG (also written in the
row), and a note. The checks:

- Kelengkapan: empty cells of each required column (any → buruk) and of the important optional columns below.
- Duplikat kunci alami: rows beyond the first of a natural key (DATA.md §0; empty parts compare equal).
- Kode tidak dikenal: attendance/obstacle/program/budget rows whose client, program or partner is not in its
  table (e.g. after the load that brought the client was undone); vocabulary values outside etl.spec.
- Tanggal di luar rentang: event dates before 1 Jan 2000 or after the data date; birth dates before 1900 or
  after the data date; budget years outside 2000 … data year + 1; an end date before its start date.
- Klien AKTIF tanpa kehadiran 60 hari: AKTIF (or empty) status, supervision started ≥ 60 days before the data
  date, and no attendance row of any kind or outcome in the 60 days up to it (a recorded absence counts as
  recorded: the check is about missing data, not about compliance).
- Jumlah baris bulan terakhir: rows of the data date's month vs the average of the three months before, by
  each row's own date (kehadiran.tanggal, hambatan.tanggal, klien.tanggal_mulai_bimbingan, anggaran
  tahun/bulan), not by load time: an unchanged row keeps its old `dimuat_pada` when a cumulative workbook is
  loaded again, so load time counts changes, not what the office recorded. A month not yet complete at the
  data date is compared with the average scaled by the days elapsed. Below 50% of it: "kemungkinan berkas
  terpotong". Partners and program runs have no monthly flow and are not compared.

"The data date" is the app's `tanggal data` (the latest attendance date, v_tanggal_data) unless given.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analytics import db, format as fmt
from analytics.filters import add_months
from etl import spec

BAIK, PERHATIAN, BURUK = "baik", "perhatian", "buruk"
STATUS_ORDER = {BAIK: 0, PERHATIAN: 1, BURUK: 2}
COLUMNS = ["tabel", "pemeriksaan", "jumlah", "dari", "porsi", "status", "ambang", "keterangan"]

# (largest share still baik, largest share still perhatian); above the second: buruk
AMBANG = {
    "wajib": (0.0, 0.0),
    "opsional": (0.10, 0.30),
    "duplikat": (0.0, 0.01),
    "kode": (0.0, 0.01),
    "tanggal": (0.0, 0.01),
    "tanpa_kehadiran": (0.05, 0.20),
}
TREND_BURUK, TREND_PERHATIAN = 0.5, 0.8  # this month ÷ expected below these
TREND_MIN_AVERAGE = 20  # rows a month: below this a drop is not judged (too few to tell)
INACTIVE_DAYS = 60
EARLIEST = dt.date(2000, 1, 1)
EARLIEST_BIRTH = dt.date(1900, 1, 1)

# Optional columns worth filling, per table: (field, condition the check applies to or None).
IMPORTANT_OPTIONAL = {
    "klien": [("nik", None), ("jenis_kelamin", None), ("tanggal_lahir", None), ("program_integrasi", None),
              ("kecamatan", None), ("pk_nip", None), ("status", None), ("kategori_rri", None),
              ("tanggal_akhir_bimbingan", None), ("status_pekerjaan", None)],
    "kehadiran": [("bentuk", None), ("durasi_jam", None), ("petugas", None),
                  ("alasan", "status_hadir <> 'HADIR'")],
    "mitra": [("jenis_mitra", None), ("bersertifikat", None), ("berlaku_sampai", None), ("status_aktif", None),
              ("kontak", None)],
    "program": [("kategori", None), ("kode_mitra", None), ("tanggal_mulai", None), ("tanggal_selesai", None),
                ("kuota", None), ("total_jam", None)],
    "anggaran": [("uraian_akun", None), ("uraian", None), ("pagu", "bulan is null"),
                 ("realisasi", "bulan is not null")],
    "hambatan": [("faktor", None), ("sumber", None), ("kategori", None), ("status", None)],
}
CONDITION_NOTE = {"status_hadir <> 'HADIR'": "baris yang tidak HADIR", "bulan is null": "baris pagu (bulan kosong)",
                  "bulan is not null": "baris bulanan"}

# Event dates checked against 2000 … data date; (table, field) → lower bound, or with upper bound None: lower only.
DATE_RANGES = {
    ("klien", "tanggal_lahir"): (EARLIEST_BIRTH, True),
    ("klien", "tanggal_mulai_bimbingan"): (EARLIEST, True),
    ("klien", "tanggal_akhir_bimbingan"): (EARLIEST, False),  # planned end: may lie ahead
    ("klien", "tanggal_status"): (EARLIEST, True),
    ("klien", "tanggal_residivis"): (EARLIEST, True),
    ("kehadiran", "tanggal"): (EARLIEST, True),
    ("mitra", "tanggal_pks"): (EARLIEST, True),
    ("mitra", "berlaku_sampai"): (EARLIEST, False),
    ("program", "tanggal_mulai"): (EARLIEST, True),
    ("program", "tanggal_selesai"): (EARLIEST, False),
    ("hambatan", "tanggal"): (EARLIEST, True),
}
# (table, start, end): the end may not lie before the start
DATE_ORDER = [("klien", "tanggal_mulai_bimbingan", "tanggal_akhir_bimbingan"),
              ("klien", "tanggal_mulai_bimbingan", "tanggal_status"),
              ("klien", "tanggal_mulai_bimbingan", "tanggal_residivis"),
              ("klien", "tanggal_lahir", "tanggal_mulai_bimbingan"),
              ("program", "tanggal_mulai", "tanggal_selesai"),
              ("mitra", "tanggal_pks", "berlaku_sampai")]
# (table, column, referenced kind): codes that must exist in the referenced table of the same office
REFERENCES = [("kehadiran", "no_register", "klien"), ("kehadiran", "kode_program", "program"),
              ("hambatan", "no_register", "klien"), ("hambatan", "kode_program", "program"),
              ("hambatan", "kode_mitra", "mitra"), ("program", "kode_mitra", "mitra"),
              ("klien", "kode_mitra_penyalur", "mitra"), ("anggaran", "kode_program", "program")]
# the row's own month, per table compared month to month
MONTH_OF = {"klien": "date_trunc('month', tanggal_mulai_bimbingan)",
            "kehadiran": "date_trunc('month', tanggal)",
            "anggaran": "case when bulan between 1 and 12 then make_date(tahun_anggaran, bulan, 1) end",
            "hambatan": "date_trunc('month', tanggal)"}
TABLE_LABELS = {"klien": "Klien", "kehadiran": "Kehadiran", "mitra": "Mitra", "program": "Program",
                "anggaran": "Anggaran", "hambatan": "Hambatan"}
_BULAN = ("", "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


@dataclass(frozen=True)
class _Check:
    table: str
    name: str
    problem: str  # SQL condition of a row with the problem (identifiers from spec.py, values bound)
    applies: str  # SQL condition of a row the check applies to
    rule: str  # key of AMBANG
    note: str = ""


LABELS = {("klien", "program_integrasi"): "Jenis Integrasi", ("mitra", "status_aktif"): "Status Aktif",
          ("kehadiran", "kategori_hambatan"): "Kategori Hambatan"}


def label(table: str, field: str) -> str:
    """The column as people write it: its first accepted header (a clearer one where that is ambiguous)."""
    if (table, field) in LABELS:
        return LABELS[(table, field)]
    f = spec.KINDS[table].field(field)
    return f.headers[0] if f.headers else field


def status_of(share: float | None, rule: str) -> str:
    """baik / perhatian / buruk for a problem share under one of AMBANG's rules."""
    if share is None or pd.isna(share):
        return BAIK
    good, watch = AMBANG[rule]
    return BAIK if share <= good else PERHATIAN if share <= watch else BURUK


def threshold_text(rule: str) -> str:
    """AMBANG in words, as shown beside each check."""
    good, watch = AMBANG[rule]
    pct = lambda x: f"{x * 100:g}%".replace(".", ",")  # noqa: E731
    if good == watch == 0:
        return "baik bila 0; buruk bila ada"
    if good == 0:
        return f"baik bila 0; perhatian ≤ {pct(watch)}; buruk > {pct(watch)}"
    return f"baik ≤ {pct(good)}; perhatian ≤ {pct(watch)}; buruk > {pct(watch)}"


def trend_threshold_text() -> str:
    return (f"buruk bila < {TREND_BURUK:.0%} rata-rata 3 bulan sebelumnya (kemungkinan berkas terpotong); "
            f"perhatian bila < {TREND_PERHATIAN:.0%}; tidak dinilai bila rata-rata < {TREND_MIN_AVERAGE} "
            "baris/bulan")


# ------------------------------------------------------------------------------------------- checks
def _checks(as_of: dt.date) -> tuple[list[_Check], dict]:
    """Every per-table check as SQL conditions, and the parameters they bind."""
    params: dict = {"terawal": EARLIEST, "lahir_terawal": EARLIEST_BIRTH, "tanggal_data": as_of}
    checks: list[_Check] = []
    for name in spec.LOAD_ORDER:
        kind = spec.KINDS[name]
        required = [f for f in kind.required]
        for f in required:
            checks.append(_Check(name, f"Kelengkapan: {label(name, f)} (wajib)", f"{f} is null", "true", "wajib"))
        for group in kind.required_any:
            names = " / ".join(label(name, f) for f in group)
            checks.append(_Check(name, f"Kelengkapan: {names} (wajib salah satu)",
                                 " and ".join(f"{f} is null" for f in group), "true", "wajib"))
        for f, condition in IMPORTANT_OPTIONAL[name]:
            note = f"dihitung pada {CONDITION_NOTE[condition]}" if condition else ""
            checks.append(_Check(name, f"Kelengkapan: {label(name, f)}", f"{f} is null", condition or "true",
                                 "opsional", note))
        for f in kind.fields:
            if f.parser == spec.VOCAB:
                key = f"kosakata_{name}_{f.name}"
                params[key] = list(spec.VOCABULARIES[f.vocab])
                checks.append(_Check(name, f"Nilai di luar daftar: {label(name, f.name)}",
                                     f"not list_contains(${key}::varchar[], {f.name})", f"{f.name} is not null",
                                     "kode", "dibandingkan dengan daftar nilai etl/spec.py"))
        if name == "kehadiran":
            params["kosakata_kategori_hambatan"] = list(spec.KATEGORI_HAMBATAN)
            checks.append(_Check(name, "Nilai di luar daftar: Kategori Hambatan",
                                 "not list_contains($kosakata_kategori_hambatan::varchar[], kategori_hambatan)",
                                 "kategori_hambatan is not null", "kode"))
        for (table, f), (lower, upper) in DATE_RANGES.items():
            if table != name:
                continue
            low = "lahir_terawal" if lower == EARLIEST_BIRTH else "terawal"
            problem = f"{f} < ${low}" + (f" or {f} > $tanggal_data" if upper else "")
            note = (f"sebelum {fmt.date(lower)}" + (" atau sesudah tanggal data" if upper else "")
                    + ("" if upper else " (boleh sesudah tanggal data: rencana)"))
            checks.append(_Check(name, f"Tanggal di luar rentang: {label(name, f)}", problem, f"{f} is not null",
                                 "tanggal", note))
        if name == "anggaran":
            checks.append(_Check(name, "Tanggal di luar rentang: Tahun Anggaran",
                                 "tahun_anggaran < year($terawal) or tahun_anggaran > year($tanggal_data) + 1",
                                 "tahun_anggaran is not null", "tanggal",
                                 "sebelum 2000 atau lebih dari setahun sesudah tahun data"))
        for table, start, end in DATE_ORDER:
            if table == name:
                checks.append(_Check(name, f"Urutan tanggal: {label(name, end)} sebelum {label(name, start)}",
                                     f"{end} < {start}", f"{start} is not null and {end} is not null", "tanggal"))
    return checks, params


def _per_table(checks: list[_Check], params: dict, db_path) -> list[dict]:
    """One query per table: every check's problem and applicable counts."""
    out = []
    for name in spec.LOAD_ORDER:
        mine = [c for c in checks if c.table == name]
        selects = ["count(*) as n"]
        for i, c in enumerate(mine):
            selects.append(f"count(*) filter (where ({c.applies}) and ({c.problem})) as p{i}")
            selects.append(f"count(*) filter (where {c.applies}) as a{i}")
        row = db.frame(f"select {', '.join(selects)} from {spec.KINDS[name].table}", params, db_path).iloc[0]
        if not row["n"]:
            out.append(_row(name, "Jumlah baris", 0, 0, PERHATIAN, "perhatian bila tabel kosong",
                            "belum ada data; pemeriksaan lain dilewati"))
            continue
        for i, c in enumerate(mine):
            problem, applies = int(row[f"p{i}"]), int(row[f"a{i}"])
            share = problem / applies if applies else None
            out.append(_row(name, c.name, problem, applies, status_of(share, c.rule), threshold_text(c.rule),
                            c.note))
    return out


def _row(table, name, count, applies, status, rule, note="") -> dict:
    share = count / applies if applies else None
    return {"tabel": table, "pemeriksaan": name, "jumlah": int(count), "dari": int(applies), "porsi": share,
            "status": status, "ambang": rule, "keterangan": note}


def _duplicates(db_path) -> list[dict]:
    parts = []
    for name in spec.LOAD_ORDER:
        kind = spec.KINDS[name]
        parts.append(f"select '{name}' as tabel, coalesce(sum(n - 1), 0) as lebih, coalesce(sum(n), 0) as total "
                     f"from (select count(*) as n from {kind.table} group by {', '.join(kind.key)})")
    frame = db.frame(" union all ".join(parts), None, db_path)
    out = []
    for table, extra, total in frame.itertuples(index=False):
        if total:
            share = extra / total
            key = ", ".join(label(table, f) if f != "kode_bapas" else "Kode Bapas" for f in spec.KINDS[table].key)
            out.append(_row(table, "Duplikat kunci alami", extra, total, status_of(share, "duplikat"),
                            threshold_text("duplikat"), f"baris selain yang pertama per kunci ({key})"))
    return out


def _references(db_path) -> list[dict]:
    parts = []
    for i, (table, column, kind) in enumerate(REFERENCES):
        ref = spec.KINDS[kind]
        parts.append(f"""select {i} as urutan, count(*) filter (where r.kode is null) as jumlah, count(*) as dari
            from {table} t left join (select distinct kode_bapas, {ref.key[1]} as kode from {ref.table}) r
              on t.kode_bapas = r.kode_bapas and t.{column} = r.kode
            where t.{column} is not null""")
    frame = db.frame(" union all ".join(parts) + " order by urutan", None, db_path)
    out = []
    for i, count, applies in frame.itertuples(index=False):
        table, column, kind = REFERENCES[i]
        if applies:
            out.append(_row(table, f"Kode tidak dikenal: {label(table, column)}", count, applies,
                            status_of(count / applies, "kode"), threshold_text("kode"),
                            f"tidak ada di data {kind} (kantor yang sama)"))
    return out


def _inactive(as_of: dt.date, db_path) -> list[dict]:
    since = as_of - dt.timedelta(days=INACTIVE_DAYS)
    frame = db.frame("""
        select count(*) as dari, count(*) filter (where h.no_register is null) as jumlah
        from klien k
        left join (select distinct kode_bapas, no_register from kehadiran
                   where tanggal > $sejak and tanggal <= $tanggal_data) h
          on k.kode_bapas = h.kode_bapas and k.no_register = h.no_register
        where coalesce(k.status, 'AKTIF') = 'AKTIF' and k.tanggal_mulai_bimbingan <= $sejak""",
                     {"sejak": since, "tanggal_data": as_of}, db_path)
    applies, count = int(frame.iloc[0]["dari"]), int(frame.iloc[0]["jumlah"])
    note = (f"klien berstatus AKTIF (atau kosong) yang mulai bimbingan ≤ {fmt.date(since)}, tanpa catatan "
            f"kehadiran apa pun {fmt.date(since + dt.timedelta(days=1))} s.d. {fmt.date(as_of)}")
    return [_row("klien", f"Klien AKTIF tanpa kehadiran {INACTIVE_DAYS} hari", count, applies,
                 status_of(count / applies if applies else None, "tanpa_kehadiran"),
                 threshold_text("tanpa_kehadiran"), note)]


def monthly_counts(as_of: dt.date, db_path: Path | None = None) -> pd.DataFrame:
    """Rows per table in the data date's month and each of the three months before (by the row's own date)."""
    first = as_of.replace(day=1)
    start = add_months(first, -3)
    parts = [f"select '{t}' as tabel, {expr} as bulan from {spec.KINDS[t].table}" for t, expr in MONTH_OF.items()]
    frame = db.frame(f"""
        select tabel, bulan::date as bulan, count(*) as baris
        from ({' union all '.join(parts)})
        where bulan >= $mulai and bulan <= $akhir
        group by all order by tabel, bulan""", {"mulai": start, "akhir": first}, db_path)
    months = [add_months(first, -i) for i in (3, 2, 1, 0)]
    full = pd.MultiIndex.from_product([list(MONTH_OF), months], names=["tabel", "bulan"])
    if frame.empty:
        counts = pd.Series(0, index=full, name="baris")
    else:
        frame["bulan"] = pd.to_datetime(frame["bulan"]).dt.date
        counts = frame.set_index(["tabel", "bulan"])["baris"].reindex(full, fill_value=0)
    return counts.reset_index()


def _trend(as_of: dt.date, db_path) -> list[dict]:
    counts = monthly_counts(as_of, db_path)
    days = calendar.monthrange(as_of.year, as_of.month)[1]
    elapsed = as_of.day / days
    first = as_of.replace(day=1)
    out = []
    for table in MONTH_OF:
        mine = counts[counts["tabel"] == table].set_index("bulan")["baris"]
        now = int(mine.get(first, 0))
        before = [int(mine.get(add_months(first, -i), 0)) for i in (1, 2, 3)]
        average = sum(before) / 3
        expected = average * elapsed
        months = f"{_BULAN[first.month]} {first.year}"
        prior = f"{_BULAN[add_months(first, -3).month]}–{_BULAN[add_months(first, -1).month]}"
        note = f"{months}: {now} baris; rata-rata {prior} {average:.1f} baris/bulan".replace(".", ",")
        if elapsed < 1:
            note += f" (bulan berjalan s.d. {fmt.date(as_of)}: dibandingkan dengan {elapsed:.0%} rata-rata)"
        if average < TREND_MIN_AVERAGE:
            status = BAIK
            note += "; terlalu sedikit untuk dinilai"
        else:
            ratio = now / expected
            status = BURUK if ratio < TREND_BURUK else PERHATIAN if ratio < TREND_PERHATIAN else BAIK
            if status == BURUK:
                note += "; turun tajam: kemungkinan berkas terpotong"
        row = _row(table, "Jumlah baris bulan terakhir vs 3 bulan sebelumnya", now, round(expected), status,
                   trend_threshold_text(), note)
        row["porsi"] = now / expected if expected else None
        out.append(row)
    return out


def data_date(db_path: Path | None = None) -> dt.date:
    """The data date: the latest attendance date (else the latest supervision start, else today)."""
    value = db.frame("select tanggal_data from v_tanggal_data", None, db_path).iloc[0, 0]
    return value.date() if hasattr(value, "date") else value


def scorecard(db_path: Path | None = None, as_of: dt.date | None = None) -> pd.DataFrame:
    """Every check of every table (COLUMNS), tables in load order."""
    as_of = as_of or data_date(db_path)
    checks, params = _checks(as_of)
    rows = _per_table(checks, params, db_path)
    empty = {r["tabel"] for r in rows if r["pemeriksaan"] == "Jumlah baris"}
    rows += [r for r in _duplicates(db_path) + _references(db_path) if r["tabel"] not in empty]
    if "klien" not in empty:
        rows += _inactive(as_of, db_path)
    rows += [r for r in _trend(as_of, db_path) if r["tabel"] not in empty]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    order = {t: i for i, t in enumerate(spec.LOAD_ORDER)}
    frame["_urut"] = frame["tabel"].map(order)
    return frame.sort_values("_urut", kind="stable").drop(columns="_urut").reset_index(drop=True)


def summary(card: pd.DataFrame) -> pd.DataFrame:
    """Per table: its worst status and how many checks are perhatian / buruk."""
    if card.empty:
        return pd.DataFrame(columns=["tabel", "status", "perhatian", "buruk"])
    rank = card["status"].map(STATUS_ORDER)
    out = card.assign(_rank=rank).groupby("tabel", sort=False).agg(
        _rank=("_rank", "max"), perhatian=("status", lambda s: int((s == PERHATIAN).sum())),
        buruk=("status", lambda s: int((s == BURUK).sum()))).reset_index()
    names = {v: k for k, v in STATUS_ORDER.items()}
    out.insert(1, "status", out.pop("_rank").map(names))
    return out


# ------------------------------------------------------------------------------------------ history
def load_history(db_path: Path | None = None, limit: int = 500) -> pd.DataFrame:
    """One row per file and sheet of each load run, newest run first (from muat_run)."""
    return db.frame("""
        select id_muat, mulai, selesai, pengguna, sumber_file, sumber_sheet, jenis_data, sha256, status,
               baris_dibaca, baris_dimuat, baris_ditolak, jumlah_peringatan, baris_baru, baris_diperbarui,
               keterangan, dibatalkan_pada, dibatalkan_oleh
        from muat_run
        order by id_muat desc, sumber_file, sumber_sheet nulls first
        limit $limit""", {"limit": limit}, db_path)


def load_runs(db_path: Path | None = None) -> pd.DataFrame:
    """One row per load run, newest first: when, who, files, rows written, whether it was undone."""
    return db.frame("""
        select id_muat, min(mulai) as mulai, any_value(pengguna) as pengguna,
               string_agg(distinct sumber_file, ', ' order by sumber_file) as berkas,
               sum(baris_dimuat) as baris_dimuat, sum(baris_baru) as baris_baru,
               sum(baris_diperbarui) as baris_diperbarui,
               bool_or(status = 'loaded') as ada_dimuat,
               max(dibatalkan_pada) as dibatalkan_pada, any_value(dibatalkan_oleh) as dibatalkan_oleh
        from muat_run group by id_muat order by id_muat desc""", None, db_path)


# ------------------------------------------------------------------------------- tables for the page
KIND_TITLES = {name: spec.KINDS[name].title for name in spec.LOAD_ORDER}
STATUS_LABELS = {BAIK: "Baik", PERHATIAN: "Perhatian", BURUK: "Buruk"}


def page_message(message: str) -> str:
    """A loader message as the upload page words it (the page has a "Jenis data" choice, not --kind)."""
    return message.replace("gunakan --kind", "pilih jenis data pada kotak «Jenis data» lalu periksa lagi")


def _number(value) -> str:
    from analytics import format as fmt
    return fmt.number(value)


# one label per status of a file or sheet, the same in the report of a check or load and in the load history
RUN_STATUS = {"loaded": "Dimuat", "rejected": "Ditolak seluruhnya", "skipped": "Dilewati"}
READY = "Siap dimuat"  # a sheet a check found loadable (nothing is written before «Muat»)
SUMMARY_COLUMNS = ["Berkas", "Lembar kerja", "Jenis data", "Status", "Baris dibaca", "Diterima", "Ditolak",
                   "Peringatan"]


def _by_file(report: dict) -> list[tuple[str, list[dict], list[dict]]]:
    """Per file, in the report's order: its entries and the sheets of it that were skipped as not data."""
    names = list(dict.fromkeys(e["file"] for e in report.get("files", [])))
    return [(name, [e for e in report["files"] if e["file"] == name],
             [s for s in report.get("skipped", []) if s["file"] == name]) for name in names]


def _own_warnings(report: dict, entry: dict) -> list[dict]:
    from etl.load import own_warnings
    return own_warnings(report, entry)


def _shape(entry: dict) -> str:
    """« (daftar hadir berbentuk kisi: …)» after a sheet read from a wide layout: why it has more rows than lines."""
    from etl.extract import SHAPES
    return f" ({SHAPES[entry['bentuk']]})" if entry.get("bentuk") in SHAPES else ""


def report_summary(report: dict, loaded: bool = False) -> pd.DataFrame:
    """One row per sheet of every file of a check (loaded=False) or load, skipped sheets included, in words."""
    rows = []
    for name, entries, skipped in _by_file(report):
        for e in entries:
            ready = RUN_STATUS["loaded"] if loaded else READY
            status = ready if e["status"] == "loaded" else RUN_STATUS["rejected"]
            rows.append({"Berkas": name, "Lembar kerja": (e["sheet"] or "–") + _shape(e),
                         "Jenis data": KIND_TITLES.get(e["kind"], "tidak dikenali") if e["kind"] else "tidak dikenali",
                         "Status": status, "Baris dibaca": _number(e["rows_read"]),
                         "Diterima": _number(e["rows_loaded"]), "Ditolak": _number(e["rows_rejected"]),
                         "Peringatan": _number(len(_own_warnings(report, e)))})
        for sheet in skipped:  # not data: nothing read from it; why is its one warning
            rows.append({"Berkas": name, "Lembar kerja": sheet["sheet"], "Jenis data": "tidak dikenali",
                         "Status": RUN_STATUS["skipped"], "Baris dibaca": "0", "Diterima": "0", "Ditolak": "0",
                         "Peringatan": "1"})
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def file_errors(report: dict) -> list[str]:
    """The reasons files (or sheets) were rejected whole, one line each."""
    out = []
    for e in report.get("files", []):
        for err in e["errors"]:
            if err["row"] is None:
                where = e["file"] + (f" (lembar kerja {e['sheet']})" if e["sheet"] else "")
                out.append(f"{where}: {page_message(err['message'])}")
    return out


def report_rows(report: dict, which: str = "errors") -> pd.DataFrame:
    """Rejected rows (which="errors") or warnings of a report: file, sheet, row, column, value, reason.

    A skipped sheet's warning is listed under that sheet's own name, after the sheets of its file that were read.
    """
    last = "Alasan" if which == "errors" else "Pesan"
    rows = []
    for name, entries, skipped in _by_file(report):
        for e in entries:
            for item in e["errors"] if which == "errors" else _own_warnings(report, e):
                if which == "errors" and item["row"] is None:
                    continue  # whole-file reasons are listed apart (file_errors)
                rows.append({"Berkas": name, "Lembar kerja": e["sheet"] or "–",
                             "Baris": "–" if item["row"] is None else str(item["row"]),
                             "Kolom": item["column"] or "–",
                             "Nilai": "" if item["value"] is None else str(item["value"]),
                             last: page_message(item["message"])})
        if which == "warnings":
            rows += [{"Berkas": name, "Lembar kerja": sheet["sheet"], "Baris": "–", "Kolom": "–", "Nilai": "",
                      last: f"dilewati: {sheet['reason']}"} for sheet in skipped]
    return pd.DataFrame(rows, columns=["Berkas", "Lembar kerja", "Baris", "Kolom", "Nilai", last])


def rejected_title(rejected: pd.DataFrame) -> str:
    """What report_rows(…, "errors") lists, counted: rows, and reasons when a row has more than one."""
    rows = len(rejected[["Berkas", "Lembar kerja", "Baris"]].drop_duplicates())
    return f"Baris ditolak: {_number(rows)} baris, {_number(len(rejected))} alasan"


def load_scope(report: dict) -> str:
    """Where the rows a load would write come from: "4 baris dari 2 berkas (3 lembar kerja)"."""
    giving = [e for e in report.get("files", []) if e["status"] == "loaded" and e["rows_loaded"]]
    rows = sum(e["rows_loaded"] for e in giving)
    files = len({e["file"] for e in giving})
    sheets = [e for e in giving if e["sheet"] is not None]
    text = f"{_number(rows)} baris dari {_number(files)} berkas"
    if len(sheets) > len({e["file"] for e in sheets}):  # some workbook brings rows from more than one sheet
        text += f" ({_number(len(sheets))} lembar kerja)"
    return text


def loaded_before(report: dict) -> list[str]:
    """A line per chosen file whose exact content an earlier load (still in effect) already brought in."""
    out = []
    for name, run in sorted(report.get("loaded_before", {}).items()):
        when = run["selesai"]
        day = f" ({when.day} {_BULAN[when.month]} {when.year} {when:%H.%M})" if when else ""
        out.append(f"{name} sama persis dengan berkas yang sudah dimuat pada muat nomor {run['id_muat']}{day}; "
                   "memuatnya lagi tidak mengubah data.")
    return out


def load_outcome(report: dict) -> tuple[str, bool]:
    """The line after a load ("Muat nomor 3 selesai: 5 baris dimuat dari 2 berkas …") and whether a file was
    rejected whole (each file is all or nothing)."""
    files = report.get("files", [])
    rows = sum(e["rows_loaded"] for e in files)
    whole = {e["file"] for e in files if e["status"] == "rejected"}
    chosen = len({e["file"] for e in files})
    giving = len({e["file"] for e in files if e["rows_loaded"]})  # files that brought rows
    text = (f"Muat nomor {report.get('id_muat')} selesai: {_number(rows)} baris dimuat dari {_number(giving)} berkas"
            + (f" (dari {_number(chosen)} berkas yang dipilih)." if giving != chosen else "."))
    if whole:
        text += f" {_number(len(whole))} berkas ditolak seluruhnya."
    return text, bool(whole)


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """load_history in words, one row per file and sheet of each run."""
    from analytics import format as fmt

    def status(row) -> str:
        text = RUN_STATUS.get(row["status"], str(row["status"]))
        if not pd.isna(row["dibatalkan_pada"]):
            by = f" oleh {row['dibatalkan_oleh']}" if isinstance(row["dibatalkan_oleh"], str) else ""
            text += f"; dibatalkan {fmt.timestamp(row['dibatalkan_pada'])}{by}"
        return text

    if history.empty:
        return pd.DataFrame(columns=["No. muat", "Waktu", "Pengguna", "Berkas", "Lembar kerja", "Jenis data", "Status",
                                     "Dibaca", "Dimuat", "Ditolak", "Baru", "Diperbarui", "SHA-256", "Keterangan"])
    return pd.DataFrame({
        "No. muat": history["id_muat"].map(str),
        "Waktu": history["mulai"].map(fmt.timestamp),
        "Pengguna": history["pengguna"].fillna("–"),
        "Berkas": history["sumber_file"].fillna(""),
        "Lembar kerja": history["sumber_sheet"].fillna("–"),
        "Jenis data": history["jenis_data"].map(lambda k: KIND_TITLES.get(k, "–") if isinstance(k, str) else "–"),
        "Status": history.apply(status, axis=1),
        "Dibaca": history["baris_dibaca"].map(_number),
        "Dimuat": history["baris_dimuat"].map(_number),
        "Ditolak": history["baris_ditolak"].map(_number),
        "Baru": history["baris_baru"].map(_number),
        "Diperbarui": history["baris_diperbarui"].map(_number),
        "SHA-256": history["sha256"].fillna(""),
        "Keterangan": history["keterangan"].fillna("").map(page_message),
    })


def undo_choices(runs: pd.DataFrame) -> dict[int, str]:
    """Runs that wrote rows and are still in effect, newest first: id → 'No. 5 · 28 Nov 2026 10.00 · …'."""
    from analytics import format as fmt
    out = {}
    for row in runs.itertuples(index=False):
        if row.ada_dimuat and pd.isna(row.dibatalkan_pada):
            out[int(row.id_muat)] = (f"No. {row.id_muat} · {fmt.timestamp(row.mulai)} · {row.pengguna or '–'} · "
                                     f"{row.berkas} · {fmt.number(row.baris_dimuat)} baris")
    return out


def scorecard_table(card: pd.DataFrame, only_problems: bool = False) -> pd.DataFrame:
    """The scorecard in words; with only_problems, the perhatian and buruk checks only."""
    from analytics import format as fmt
    if only_problems:
        card = card[card["status"] != BAIK]
    return pd.DataFrame({
        "Tabel": card["tabel"].map(TABLE_LABELS),
        "Pemeriksaan": card["pemeriksaan"],
        "Status": card["status"].map(STATUS_LABELS),
        "Jumlah": card["jumlah"].map(fmt.number),
        "Dari": card["dari"].map(fmt.number),
        "Porsi": card["porsi"].map(lambda p: fmt.percent(p) if p is not None and not pd.isna(p) else "–"),
        "Ambang": card["ambang"],
        "Keterangan": card["keterangan"],
    }).reset_index(drop=True)


def summary_table(card: pd.DataFrame) -> pd.DataFrame:
    """summary() in words."""
    out = summary(card)
    return pd.DataFrame({"Tabel": out["tabel"].map(TABLE_LABELS), "Status": out["status"].map(STATUS_LABELS),
                         "Pemeriksaan perhatian": out["perhatian"].map(str),
                         "Pemeriksaan buruk": out["buruk"].map(str)})
