"""Obstacles: what stands in the way, where, and whether it is getting better (DATA.md §6, §7 "Hambatan").

Two sources, always counted apart and labelled: the obstacle log (table `hambatan`) and the absence reasons of
attendance rows mapped to the same categories (`kehadiran.kategori_hambatan`), both in `v_hambatan_rinci`.
"""
from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import numpy as np
import pandas as pd

from analytics import db, people
from analytics.filters import Filters, add_months, client_condition
from analytics.privacy import HIDDEN_COL, TOTAL, suppress_long, suppression_mask
from analytics.viewer import Viewer, person_scope
from etl import spec

LOG = "Log hambatan"
ABSENCE = "Alasan ketidakhadiran"
SOURCES = (LOG, ABSENCE)
SOURCE_KINDS = {LOG: ("hambatan",), ABSENCE: ("kehadiran",)}
TOTAL_KEY = "JUMLAH"
OTHER_KEY = "LAIN"
QUARTERS = 8
TOP_GROUPS = 6

CATEGORY_ORDER = tuple(spec.KATEGORI_HAMBATAN)
CATEGORY_LABELS = {code: label for code, (_, label) in spec.KATEGORI_HAMBATAN.items()}
# short labels for chart axes; the full DATA.md §6 label is in the hover text and the downloads
CATEGORY_SHORT = {
    "ANGGARAN_TERBATAS": "Anggaran terbatas", "PROGRAM_TIDAK_SESUAI_MINAT": "Program tak sesuai minat",
    "BEBAN_KERJA_PK": "Beban kerja PK", "JANGKAUAN_WILAYAH": "Jangkauan wilayah",
    "KLIEN_KURANG_SERIUS": "Klien kurang serius", "KLIEN_TIDAK_TEPAT_WAKTU": "Klien tidak tepat waktu",
    "KLIEN_BEKERJA_LUAR_KOTA": "Bekerja/di luar kota", "KELUARGA_TIDAK_MENDUKUNG": "Keluarga tak mendukung",
    "JARAK_BIAYA_TRANSPORT": "Jarak/biaya transport", "MITRA_BELUM_BERSERTIFIKAT": "Mitra belum bersertifikat",
    "MITRA_TERBATAS": "Mitra masih sedikit", "STIGMA_MASYARAKAT": "Stigma masyarakat", "SAKIT": "Sakit",
    "LAINNYA": "Lainnya",
}
FACTOR_ORDER = ("INTERNAL", "EKSTERNAL", "TIDAK_DITENTUKAN")
FACTOR_LABELS = {"INTERNAL": "Internal", "EKSTERNAL": "Eksternal", "TIDAK_DITENTUKAN": "Tidak ditentukan"}
STATUS_ORDER = ("TERBUKA", "DITANGANI", "SELESAI", "TIDAK_DICATAT")
STATUS_LABELS = {"TERBUKA": "Terbuka", "DITANGANI": "Sedang ditangani", "SELESAI": "Selesai",
                 "TIDAK_DICATAT": "Status tidak dicatat"}
GROUPINGS = {  # `by` of the quarterly trend → SQL expression (a whitelist: never built from user input)
    "faktor": "coalesce(g.faktor, 'TIDAK_DITENTUKAN')",
    "kategori": "g.kategori",
    "status": "coalesce(g.status, 'TIDAK_DICATAT')",
}
GROUPING_LABELS = {"faktor": "Faktor", "kategori": "Kategori", "status": "Status penanganan"}
LOG_ONLY = ("status",)
TRANSPORT = "JARAK_BIAYA_TRANSPORT"
INTEREST = "PROGRAM_TIDAK_SESUAI_MINAT"
REPORT_GROUPS = {"JARAK": "Ketidakhadiran beralasan jarak/biaya transport",
                 "ALASAN_LAIN": "Ketidakhadiran dengan alasan lain saja",
                 "TIDAK_ABSEN": "Tanpa ketidakhadiran"}
PROGRAM_GROUPS = {"ADA_CATATAN": "Ada catatan «program tidak sesuai minat»",
                  "TANPA_CATATAN": "Tanpa catatan itu"}

DEFINITIONS = {
    LOG: "Log hambatan: baris buku catatan hambatan program dengan tanggal dalam periode, dihitung per kategori "
         "(DATA.md §6); faktor internal/eksternal seperti dicatat di log, atau menurut kategorinya bila kosong.",
    ABSENCE: "Alasan ketidakhadiran: baris kehadiran selain HADIR (terlambat, izin, tidak hadir) dalam periode, "
             "alasannya dipetakan ke kategori DATA.md §6; satu baris = satu kegiatan satu klien.",
    "saringan": "Saringan program integrasi dan PK hanya menyisakan baris yang menyebut klien yang sesuai.",
}



def rows_of(filters: Filters, alias: str = "g") -> str:
    """SQL: the office, and the client filters through the client a row names (one condition for both sources).

    The client lookup is left out when no program or PK filter is set (it would cost a join per row for nothing).
    """
    office = f"(len($kode_bapas) = 0 or list_contains($kode_bapas, {alias}.kode_bapas))"
    if not filters.program_integrasi and not filters.pk_nip:
        return office
    return f"""{office} and exists (
        select 1 from v_klien k where k.kode_bapas = {alias}.kode_bapas and k.no_register = {alias}.no_register
          and {client_condition('k')})"""


# a log row's free text may be shown: it names no client, or one the viewer may see by name ({scope})
_ALLOWED = """(h.no_register is null or exists (select 1 from v_klien k where k.kode_bapas = h.kode_bapas
    and k.no_register = h.no_register and {scope}))"""


def _order(code: str) -> int:
    return CATEGORY_ORDER.index(code) if code in CATEGORY_ORDER else len(CATEGORY_ORDER)


def _label(code: str) -> str:
    return CATEGORY_LABELS.get(code, code)


def _short(code: str) -> str:
    return CATEGORY_SHORT.get(code, code)


# --- 1 and 4: counts per category, now and in the previous period ------------------------------------------

def _category_counts(filters: Filters, viewer: Viewer, source: str, db_path) -> tuple[pd.DataFrame, dict]:
    """One row per (category, factor) seen in this or the previous period, counts hidden where the rule says.

    Pareto and change both publish cells of this one table (category × {previous, now} with its totals), so
    one mask serves both figures and neither can undo the other's suppression.
    """
    before = filters.previous()
    frame = db.frame(f"""
        select g.kategori, coalesce(g.faktor, 'TIDAK_DITENTUKAN') as faktor,
               count(*) filter (where g.tanggal between $mulai_lalu and $akhir_lalu) as sebelumnya,
               count(*) filter (where g.tanggal between $mulai and $akhir) as sekarang
        from v_hambatan_rinci g
        where g.sumber_data = $sumber and g.tanggal between $mulai_lalu and $akhir and {rows_of(filters)}
        group by all""",
        {**filters.params(), "mulai_lalu": before.mulai, "akhir_lalu": before.akhir, "sumber": source}, db_path)
    frame["_urut"] = frame["kategori"].map(_order)
    frame = frame.sort_values(["_urut", "faktor"]).drop(columns="_urut").reset_index(drop=True)
    totals = {"sebelumnya": int(frame["sebelumnya"].sum()), "sekarang": int(frame["sekarang"].sum())}
    hidden = {"sebelumnya": np.zeros(len(frame), bool), "sekarang": np.zeros(len(frame), bool)}
    hidden_total = {"sebelumnya": False, "sekarang": False}
    if viewer.suppressed and not frame.empty:
        mask = suppression_mask(frame[["sebelumnya", "sekarang"]].astype(int), margins=True)
        for column in hidden:
            hidden[column] = mask[column].iloc[:-1].to_numpy(dtype=bool)
            hidden_total[column] = bool(mask.loc[TOTAL, column])
    for column in hidden:
        frame[column] = frame[column].astype("Int64").mask(hidden[column])
        frame[f"_{column}_tersembunyi"] = hidden[column]
    totals = {column: (pd.NA if hidden_total[column] else totals[column]) for column in totals}
    return frame, totals


def _labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """Category and factor labels; a category seen under two factors names its factor."""
    twice = frame["kategori"].duplicated(keep=False)
    out = frame.assign(
        label=[_label(c) + (f" ({FACTOR_LABELS[f].lower()})" if t else "")
               for c, f, t in zip(frame["kategori"], frame["faktor"], twice)],
        label_singkat=[_short(c) + (f" ({FACTOR_LABELS[f].lower()})" if t else "")
                       for c, f, t in zip(frame["kategori"], frame["faktor"], twice)],
        label_faktor=frame["faktor"].map(FACTOR_LABELS))
    return out


def category_pareto(filters: Filters, viewer: Viewer, source: str = LOG, db_path: Path | None = None) -> pd.DataFrame:
    """Pareto of the period's obstacle categories of one source: count, share, cumulative share, and a total row.

    Sorted by count, largest first; for aggregate-only roles hidden counts ("<10") come last in DATA.md §6 order
    (their rank would tell their size) and every share built on a hidden count is blank.
    """
    frame, totals = _category_counts(filters, viewer, source, db_path)
    frame = _labelled(frame[frame["sekarang"].fillna(1) > 0])
    hidden = frame["_sekarang_tersembunyi"].to_numpy(dtype=bool)
    frame = frame.assign(_tersembunyi=hidden, _urut=frame["kategori"].map(_order),
                         _n=frame["sekarang"].fillna(0).astype(int))
    frame = frame.sort_values(["_tersembunyi", "_n", "_urut", "faktor"], ascending=[True, False, True, True])
    total = totals["sekarang"]
    out = pd.DataFrame({
        "kategori": frame["kategori"], "faktor": frame["faktor"], "label": frame["label"],
        "label_singkat": frame["label_singkat"], "label_faktor": frame["label_faktor"],
        "jumlah": frame["sekarang"].astype("Int64"),
    }).reset_index(drop=True)
    if out.empty:
        return out.assign(persen=pd.Series(dtype=float), persen_kumulatif=pd.Series(dtype=float),
                          **{HIDDEN_COL: pd.Series(dtype=bool)})
    known = not pd.isna(total) and total > 0
    shares = [(float(n) / total) if known and not pd.isna(n) else np.nan for n in out["jumlah"]]
    cumulative = np.cumsum(np.nan_to_num(shares))
    out["persen"] = shares
    out["persen_kumulatif"] = [c if not np.isnan(s) else np.nan for s, c in zip(shares, cumulative)]
    out[HIDDEN_COL] = out["jumlah"].isna().to_numpy()
    total_row = pd.DataFrame([{"kategori": TOTAL_KEY, "faktor": None, "label": "Jumlah", "label_singkat": "Jumlah",
                               "label_faktor": None, "jumlah": total, "persen": 1.0 if known else np.nan,
                               "persen_kumulatif": np.nan, HIDDEN_COL: pd.isna(total)}])
    out = pd.concat([out, total_row.astype({"jumlah": "Int64"})], ignore_index=True)
    out["jumlah"] = out["jumlah"].astype("Int64")
    out[HIDDEN_COL] = out[HIDDEN_COL].astype(bool)
    return out


def category_change(filters: Filters, viewer: Viewer, source: str = LOG, db_path: Path | None = None) -> pd.DataFrame:
    """Counts per category in the period and in the previous period of equal length, their difference, a total row.

    Sorted by the difference, largest rise first; rows with a hidden count come last (DATA.md §6 order) with the
    difference and relative change blank.
    """
    frame, totals = _category_counts(filters, viewer, source, db_path)
    frame = _labelled(frame)
    hidden = frame["sebelumnya"].isna().to_numpy() | frame["sekarang"].isna().to_numpy()
    difference = (frame["sekarang"] - frame["sebelumnya"]).astype("Int64")
    frame = frame.assign(selisih=difference, _tersembunyi=hidden, _urut=frame["kategori"].map(_order),
                         _d=difference.fillna(0).astype(int))
    frame = frame.sort_values(["_tersembunyi", "_d", "_urut", "faktor"], ascending=[True, False, True, True])
    out = pd.DataFrame({
        "kategori": frame["kategori"], "faktor": frame["faktor"], "label": frame["label"],
        "label_singkat": frame["label_singkat"], "label_faktor": frame["label_faktor"],
        "sebelumnya": frame["sebelumnya"], "sekarang": frame["sekarang"], "selisih": frame["selisih"],
        HIDDEN_COL: frame["_tersembunyi"],
    }).reset_index(drop=True)
    if out.empty:
        return out.assign(perubahan=pd.Series(dtype=float))
    total_row = {"kategori": TOTAL_KEY, "faktor": None, "label": "Jumlah", "label_singkat": "Jumlah",
                 "label_faktor": None, "sebelumnya": totals["sebelumnya"], "sekarang": totals["sekarang"],
                 "selisih": (pd.NA if pd.isna(totals["sebelumnya"]) or pd.isna(totals["sekarang"])
                             else totals["sekarang"] - totals["sebelumnya"]),
                 HIDDEN_COL: pd.isna(totals["sebelumnya"]) or pd.isna(totals["sekarang"])}
    out = pd.concat([out, pd.DataFrame([total_row])], ignore_index=True)
    for column in ("sebelumnya", "sekarang", "selisih"):
        out[column] = out[column].astype("Int64")
    out[HIDDEN_COL] = out[HIDDEN_COL].astype(bool)
    out["perubahan"] = [float(d) / float(b) if not pd.isna(d) and not pd.isna(b) and b > 0 else np.nan
                        for d, b in zip(out["selisih"], out["sebelumnya"])]
    return out


def total_counts(change: pd.DataFrame) -> tuple[int | None, int | None]:
    """(now, previous) totals of a `category_change` frame; None where hidden, (0, 0) when it is empty."""
    if change.empty:
        return 0, 0
    row = change[change["kategori"] == TOTAL_KEY].iloc[0]
    return tuple(None if pd.isna(row[c]) else int(row[c]) for c in ("sekarang", "sebelumnya"))


def any_shown(frame: pd.DataFrame, key: str | None = None, column: str | None = None) -> bool:
    """Whether a figure of this frame shows any count (for aggregate-only roles all of them may be hidden).

    `key` names the column whose "JUMLAH" rows are left out; with `column`, only counts above zero count.
    """
    if frame.empty:
        return False
    rows = frame if key is None else frame[frame[key] != TOTAL_KEY]
    shown = ~rows[HIDDEN_COL].astype(bool)
    if column is not None:
        shown &= rows[column].astype("Float64").fillna(0).to_numpy() > 0
    return bool(shown.any())


# --- 2: quarterly trend ---------------------------------------------------------------------------------------

def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_label(start: dt.date) -> str:
    """2026-07-01 → 'TW III 2026' (triwulan)."""
    return f"TW {('I', 'II', 'III', 'IV')[(start.month - 1) // 3]} {start.year}"


def window(filters: Filters, quarters: int = QUARTERS) -> tuple[dt.date, dt.date]:
    """The trend window: `quarters` whole quarters ending with the quarter of the period's end (cut at its end)."""
    return add_months(quarter_start(filters.akhir), -3 * (quarters - 1)), filters.akhir


def quarterly_trend(filters: Filters, viewer: Viewer, source: str = LOG, by: str = "faktor",
                    quarters: int = QUARTERS, db_path: Path | None = None) -> pd.DataFrame:
    """Obstacles per quarter and group (factor, category or handling status), with a total row per quarter.

    One row per quarter × group plus one "JUMLAH" row per quarter; every quarter of the window appears (zeros
    included). Categories beyond the `TOP_GROUPS` largest of the window are pooled as "LAIN". A quarter cut short by
    the period's end or the data's as-of date is starred (`lengkap` false). Hidden counts (aggregate-only roles)
    are blank and flagged, the quarter totals (the stacked bars' heights) protected.
    """
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping: {by}")
    if by in LOG_ONLY and source != LOG:
        raise ValueError(f"{by} is recorded in the obstacle log only")
    start, _ = window(filters, quarters)
    rows = db.frame(f"""
        select g.triwulan, {GROUPINGS[by]} as kelompok, count(*) as jumlah
        from v_hambatan_rinci g
        where g.sumber_data = $sumber and g.tanggal between $dari and $akhir and {rows_of(filters)}
        group by all""", {**filters.params(), "sumber": source, "dari": start}, db_path)
    rows["triwulan"] = pd.to_datetime(rows["triwulan"]).dt.date
    labels = _groups(rows, by)
    rows["kelompok"] = [g if g in labels else OTHER_KEY for g in rows["kelompok"]]
    starts = [add_months(start, 3 * i) for i in range(quarters)]
    table = (rows.groupby(["triwulan", "kelompok"])["jumlah"].sum().unstack(fill_value=0)
             .reindex(index=starts, columns=list(labels), fill_value=0).astype(int))
    hidden = _hidden(table, viewer)
    as_of = _as_of(db_path)
    records = []
    for quarter in starts:
        complete = add_months(quarter, 3) - dt.timedelta(days=1) <= min(filters.akhir, as_of)
        label = quarter_label(quarter) + ("" if complete else "*")
        for key, text, value, is_hidden in _cells(table, hidden, quarter, labels):
            records.append({"triwulan": quarter, "label_triwulan": label, "lengkap": complete, "kelompok": key,
                            "label": text, "jumlah": pd.NA if is_hidden else value, HIDDEN_COL: is_hidden})
    out = pd.DataFrame(records)
    out["jumlah"] = out["jumlah"].astype("Int64")
    return out


def obstacles_by(filters: Filters, viewer: Viewer, by: str = "program", limit: int = 12,
                 db_path: Path | None = None) -> pd.DataFrame:
    """Logged obstacles per program run or partner over the trend window, split by factor, with a total per row.

    Only log rows that name a program (or a partner, directly or through their program); the `limit` largest are
    shown by name and the rest pooled as "LAIN". One row per program/partner × factor plus a "JUMLAH" row each;
    largest total first, hidden totals (aggregate-only roles) last by name, the pool at the end.
    """
    key, name = {"program": ("g.kode_program", "g.nama_program"), "mitra": ("g.kode_mitra", "g.nama_mitra")}[by]
    start, _ = window(filters)
    rows = db.frame(f"""
        select g.kode_bapas || '/' || {key} as kelompok, g.kode_bapas as kantor, any_value({name}) as nama,
               coalesce(g.faktor, 'TIDAK_DITENTUKAN') as faktor, count(*) as jumlah
        from v_hambatan_rinci g
        where g.sumber_data = $sumber and g.tanggal between $dari and $akhir and {key} is not null
          and {rows_of(filters)}
        group by all""", {**filters.params(), "sumber": LOG, "dari": start}, db_path)
    if rows.empty:
        return pd.DataFrame(columns=["kelompok", "nama", "faktor", "label_faktor", "jumlah", HIDDEN_COL])
    rows["nama"] = rows["nama"].fillna(rows["kelompok"].str.split("/", n=1).str[1])
    names = rows.groupby("kelompok")["nama"].first()
    offices = rows.groupby("kelompok")["kantor"].first()
    shared = names[names.duplicated(keep=False)].index  # the same name in several offices: say which office
    names[shared] = [f"{names[k]} ({offices[k]})" for k in shared]
    totals = rows.groupby("kelompok")["jumlah"].sum()
    ranked = sorted(totals.index, key=lambda k: (-totals[k], names[k]))
    top = ranked[:limit] if len(ranked) > limit + 1 else ranked
    labels = {k: names[k] for k in top}
    if len(top) < len(ranked):
        labels[OTHER_KEY] = f"{'Program' if by == 'program' else 'Mitra'} lain ({len(ranked) - len(top)})"
    rows["kelompok"] = [k if k in labels else OTHER_KEY for k in rows["kelompok"]]
    factors = [f for f in FACTOR_ORDER if f in set(rows["faktor"])]
    table = (rows.groupby(["kelompok", "faktor"])["jumlah"].sum().unstack(fill_value=0)
             .reindex(index=list(labels), columns=factors, fill_value=0).astype(int))
    hidden = _hidden(table, viewer)
    order = sorted(labels, key=lambda k: (k == OTHER_KEY, bool(hidden.loc[k, TOTAL]),
                                          -int(table.loc[k].sum()) if not hidden.loc[k, TOTAL] else 0, labels[k]))
    records = []
    for group in order:
        for factor, text, value, is_hidden in _cells(table, hidden, group, {f: FACTOR_LABELS[f] for f in factors}):
            records.append({"kelompok": group, "nama": labels[group], "faktor": factor, "label_faktor": text,
                            "jumlah": pd.NA if is_hidden else value, HIDDEN_COL: is_hidden})
    out = pd.DataFrame(records)
    out["jumlah"] = out["jumlah"].astype("Int64")
    return out


def _hidden(table: pd.DataFrame, viewer: Viewer) -> pd.DataFrame:
    """Hidden flags of a rows × groups table of counts, plus a TOTAL column for the row totals."""
    if not viewer.suppressed or table.empty:
        return pd.DataFrame(False, index=table.index, columns=[*table.columns, TOTAL])
    mask = suppression_mask(table.reset_index(drop=True), margins=True).iloc[:-1]
    return pd.DataFrame(mask.to_numpy(dtype=bool), index=table.index, columns=[*table.columns, TOTAL])


def _cells(table: pd.DataFrame, hidden: pd.DataFrame, row, labels: dict):
    """(key, label, count, hidden) of one table row's groups and then of its total ("JUMLAH")."""
    for key in table.columns:
        yield key, labels[key], int(table.loc[row, key]), bool(hidden.loc[row, key])
    yield TOTAL_KEY, "Jumlah", int(table.loc[row].sum()), bool(hidden.loc[row, TOTAL])


def _groups(rows: pd.DataFrame, by: str) -> dict:
    """The groups a trend shows, in stacking order, with their labels."""
    if by == "faktor":
        present = [f for f in FACTOR_ORDER if f in set(rows["kelompok"])] or list(FACTOR_ORDER[:2])
        return {f: FACTOR_LABELS[f] for f in present}
    if by == "status":
        present = [s for s in STATUS_ORDER if s in set(rows["kelompok"])] or list(STATUS_ORDER[:3])
        return {s: STATUS_LABELS[s] for s in present}
    totals = rows.groupby("kelompok")["jumlah"].sum()
    ranked = sorted(totals.index, key=lambda k: (-totals[k], _order(k)))
    top = ranked[:TOP_GROUPS] if len(ranked) > TOP_GROUPS + 1 else ranked
    labels = {k: _short(k) for k in top}
    if len(top) < len(ranked):
        labels[OTHER_KEY] = "Kategori lain"
    return labels


def _as_of(db_path) -> dt.date:
    value = db.frame("select tanggal_data from v_tanggal_data", None, db_path).iloc[0, 0]
    return value.date() if hasattr(value, "date") else value


# --- 3: the link to outcomes (comparisons, not causes) --------------------------------------------------------

def compliance_by_absence_reason(filters: Filters, viewer: Viewer, db_path: Path | None = None) -> pd.DataFrame:
    """Wajib lapor compliance of clients whose absences cite distance/transport, other absent clients, and the rest.

    Clients with ≥ 1 wajib lapor due in the period, grouped by their absences (IZIN or TIDAK_HADIR, any activity)
    in the period: any with reason category JARAK_BIAYA_TRANSPORT; absences with other reasons only; none.
    Compliance pools the group's reports (HADIR or TERLAMBAT ÷ due), as DATA.md §7.
    """
    rows = db.frame(f"""
        with fk as (select * from v_klien k where {client_condition('k')}),
        per_client as (
            select h.kode_bapas, h.no_register,
                count(*) filter (where h.jenis_kegiatan = 'WAJIB_LAPOR') as wajib,
                count(*) filter (where h.jenis_kegiatan = 'WAJIB_LAPOR'
                                 and h.status_hadir in ('HADIR', 'TERLAMBAT')) as hadir,
                count(*) filter (where h.jenis_kegiatan = 'WAJIB_LAPOR' and h.status_hadir = 'HADIR') as tepat_waktu,
                coalesce(bool_or(h.status_hadir in ('IZIN', 'TIDAK_HADIR')
                                 and h.kategori_hambatan = $transport), false) as jarak,
                bool_or(h.status_hadir in ('IZIN', 'TIDAK_HADIR')) as absen
            from kehadiran h
            join fk on fk.kode_bapas = h.kode_bapas and fk.no_register = h.no_register
            where h.tanggal between $mulai and $akhir
            group by all
        )
        select case when jarak then 'JARAK' when absen then 'ALASAN_LAIN' else 'TIDAK_ABSEN' end as kelompok,
               count(*) as klien, sum(wajib) as wajib, sum(hadir) as hadir, sum(tepat_waktu) as tepat_waktu
        from per_client
        where wajib > 0
        group by 1""", {**filters.params(), "transport": TRANSPORT}, db_path)
    out = (rows.set_index("kelompok").reindex(list(REPORT_GROUPS), fill_value=0).rename_axis("kelompok")
           .reset_index())
    out = out.astype({c: int for c in ("klien", "wajib", "hadir", "tepat_waktu")})
    out.insert(1, "label", out["kelompok"].map(REPORT_GROUPS))
    out["kepatuhan"] = [h / w if w else np.nan for h, w in zip(out["hadir"], out["wajib"])]
    out["tepat_waktu_persen"] = [t / w if w else np.nan for t, w in zip(out["tepat_waktu"], out["wajib"])]
    if out["klien"].sum() == 0:
        return out.iloc[0:0]
    return _protect(out, viewer, "klien", {"kepatuhan": ["wajib", "hadir"],
                                           "tepat_waktu_persen": ["wajib", "tepat_waktu"]})


def _program_runs(filters: Filters, db_path) -> pd.DataFrame:
    """Program runs that ended in the trend window, with participants, completers and interest-obstacle notes."""
    return _program_runs_of(filters, str(db_path) if db_path else None, db.data_version(db_path)).copy()


@functools.lru_cache(maxsize=8)
def _program_runs_of(filters: Filters, db_path: str | None, version: str) -> pd.DataFrame:
    """Computed once per filters and data version: the two figures built on it share one query."""
    start, _ = window(filters)
    return db.frame(f"""
        with fk as (select * from v_klien k where {client_condition('k')}),
        runs as (
            select p.kode_bapas, p.kode_program, p.nama_program, p.kode_mitra, p.tanggal_selesai
            from program p, v_tanggal_data d
            where p.tanggal_selesai between $dari and least($akhir, d.tanggal_data)
              and (len($kode_bapas) = 0 or list_contains($kode_bapas, p.kode_bapas))
        ),
        flagged as (
            select kode_bapas, kode_program, count(*) as catatan
            from hambatan
            where kategori = $minat and kode_program is not null
            group by all
        ),
        completion as (
            select c.kode_bapas, c.kode_program, count(*) as peserta, count(*) filter (where c.selesai) as selesai
            from penyelesaian_program c
            join fk on fk.kode_bapas = c.kode_bapas and fk.no_register = c.no_register
            group by all
        )
        select r.kode_bapas, r.kode_program, r.nama_program, m.nama_mitra, r.tanggal_selesai,
               coalesce(f.catatan, 0) as catatan, c.peserta, c.selesai
        from runs r
        join completion c using (kode_bapas, kode_program)
        left join flagged f using (kode_bapas, kode_program)
        left join mitra m on m.kode_bapas = r.kode_bapas and m.kode_mitra = r.kode_mitra
        order by r.tanggal_selesai, r.kode_program""",
        {**filters.params(), "dari": start, "minat": INTEREST}, Path(db_path) if db_path else None)


def completion_by_interest_obstacle(filters: Filters, viewer: Viewer, db_path: Path | None = None) -> pd.DataFrame:
    """Completion rate of program runs with a «program tidak sesuai minat» obstacle logged vs the other runs.

    Runs that ended within the trend window (8 quarters up to the period's end, and by the data's as-of date)
    and had participants; completion as v_program_ringkasan (completers ÷ enrolled, pooled over the group's runs).
    """
    runs = _program_runs(filters, db_path)
    if runs.empty:
        return pd.DataFrame(columns=["kelompok", "label", "program", "peserta", "selesai", "tingkat_penyelesaian",
                                     HIDDEN_COL])
    runs["kelompok"] = np.where(runs["catatan"] > 0, "ADA_CATATAN", "TANPA_CATATAN")
    out = (runs.groupby("kelompok").agg(program=("kode_program", "count"), peserta=("peserta", "sum"),
                                        selesai=("selesai", "sum"))
           .reindex(list(PROGRAM_GROUPS), fill_value=0).rename_axis("kelompok").reset_index())
    out = out.astype({c: int for c in ("program", "peserta", "selesai")})
    out.insert(1, "label", out["kelompok"].map(PROGRAM_GROUPS))
    out["tingkat_penyelesaian"] = [s / p if p else np.nan for s, p in zip(out["selesai"], out["peserta"])]
    return _protect(out, viewer, "peserta", {"tingkat_penyelesaian": ["selesai"]})


def programs_with_interest_obstacle(filters: Filters, viewer: Viewer, db_path: Path | None = None) -> pd.DataFrame | None:
    """The runs behind the «ada catatan» group, one row each; None for aggregate-only roles (few people per run)."""
    if viewer.suppressed:
        return None
    runs = _program_runs(filters, db_path)
    runs = runs[runs["catatan"] > 0].reset_index(drop=True)
    runs["tanggal_selesai"] = pd.to_datetime(runs["tanggal_selesai"]).dt.date
    runs["tingkat_penyelesaian"] = runs["selesai"] / runs["peserta"]
    return runs[["kode_program", "nama_program", "nama_mitra", "tanggal_selesai", "catatan", "peserta", "selesai",
                 "tingkat_penyelesaian"]]


def _protect(out: pd.DataFrame, viewer: Viewer, count: str, rates: dict) -> pd.DataFrame:
    """The small-number rule over the groups (their total protected); a flag column for every role."""
    if viewer.suppressed:
        return suppress_long(out, count, ["kelompok"], rates, margins=True)
    counts = {count, *(c for cols in rates.values() for c in cols)}
    return out.astype({c: "Int64" for c in counts}).assign(**{HIDDEN_COL: False})


# --- drill-down ------------------------------------------------------------------------------------------------

def categories(filters: Filters, db_path: Path | None = None) -> list[tuple[str, str, tuple[str, ...]]]:
    """Categories seen in the period, DATA.md §6 order, as (code, label, the sources that have it)."""
    frame = db.frame(f"""
        select g.kategori, list(distinct g.sumber_data) as sumber from v_hambatan_rinci g
        where g.tanggal between $mulai and $akhir and {rows_of(filters)}
        group by 1""", filters.params(), db_path)
    found = dict(zip(frame["kategori"], frame["sumber"]))
    return [(c, _label(c), tuple(s for s in SOURCES if s in list(found[c]))) for c in sorted(found, key=_order)]


def log_rows(filters: Filters, viewer: Viewer, kategori: str, db_path: Path | None = None) -> pd.DataFrame:
    """The obstacle log rows of a category in the period (aggregate-only roles: AccessDenied).

    No client identity here (that goes through `clients_in_log`). Free text (uraian, tindak lanjut) of a row that
    names a client is shown only to a viewer allowed to see that client's name: kepala, or the client's own PK.
    """
    scope, scope_params = person_scope(viewer, "k")  # raises for aggregate-only roles
    if viewer.person_level == "pseudonim":
        scope = "false"  # free text may carry the name a pseudonym stands for
    hidden_text = "(menyebut klien; tidak ditampilkan untuk peran Anda)"
    rows = db.frame(f"""
        select h.tanggal, coalesce(h.faktor, kh.faktor) as faktor,
               case when {_ALLOWED} then h.uraian else $tersembunyi end as uraian,
               p.nama_program, m.nama_mitra, h.status,
               case when {_ALLOWED} then h.tindak_lanjut else $tersembunyi end as tindak_lanjut,
               h.dilaporkan_oleh, h.no_register is not null as menyebut_klien
        from hambatan h
        left join kategori_hambatan kh on kh.kode = coalesce(h.kategori, 'LAINNYA')
        left join program p on p.kode_bapas = h.kode_bapas and p.kode_program = h.kode_program
        left join mitra m on m.kode_bapas = h.kode_bapas and m.kode_mitra = coalesce(h.kode_mitra, p.kode_mitra)
        where coalesce(h.kategori, 'LAINNYA') = $kategori and h.tanggal between $mulai and $akhir
          and {rows_of(filters, 'h')}
        order by h.tanggal desc, h.sumber_baris""".replace("{scope}", scope),
        {**filters.params(), **scope_params, "kategori": kategori, "tersembunyi": hidden_text}, db_path)
    for column in ("uraian", "nama_program", "nama_mitra", "tindak_lanjut", "dilaporkan_oleh"):
        rows[column] = pd.Series([None if pd.isna(v) else v for v in rows[column]], index=rows.index, dtype=object)
    rows["tanggal"] = pd.to_datetime(rows["tanggal"]).dt.date
    rows["faktor"] = rows["faktor"].map(lambda f: FACTOR_LABELS.get(f, "Tidak ditentukan"))
    rows["status"] = rows["status"].map(lambda s: STATUS_LABELS.get(s, STATUS_LABELS["TIDAK_DICATAT"]))
    return rows


def clients_in_log(viewer: Viewer, filters: Filters, kategori: str, db_path: Path | None = None) -> pd.DataFrame:
    """Clients named by obstacle log rows of a category in the period, in the form the role allows."""
    return people.clients(viewer, filters, """exists (
        select 1 from hambatan h where h.kode_bapas = k.kode_bapas and h.no_register = k.no_register
          and coalesce(h.kategori, 'LAINNYA') = $kategori and h.tanggal between $mulai and $akhir)""",
        {"kategori": kategori}, db_path)


def clients_citing(viewer: Viewer, filters: Filters, kategori: str, db_path: Path | None = None) -> pd.DataFrame:
    """Clients whose absence reasons (rows other than HADIR) in the period map to a category."""
    return people.clients(viewer, filters, """exists (
        select 1 from kehadiran h where h.kode_bapas = k.kode_bapas and h.no_register = k.no_register
          and h.kategori_hambatan = $kategori and h.status_hadir <> 'HADIR'
          and h.tanggal between $mulai and $akhir)""", {"kategori": kategori}, db_path)
