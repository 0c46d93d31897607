"""The head of office's summary: key figures with their change, and the alerts (DATA.md §7)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analytics import db, format as fmt, hambatan
from analytics.filters import Filters, client_condition, recorded_months
from analytics.privacy import SMALL, is_small
from analytics.viewer import Viewer, identity_columns, person_scope
from etl import spec

DEFINITIONS = {
    "klien_aktif": "Klien aktif pada akhir periode: tanggal mulai bimbingan ≤ hari itu ≤ tanggal status (bila "
                   "tidak AKTIF) atau tanggal akhir bimbingan. Hitungan sesaat.",
    "kasus_baru": "Kasus yang tanggal mulai bimbingannya jatuh dalam periode.",
    "kasus_berakhir": "Kasus berstatus selain AKTIF yang tanggal statusnya jatuh dalam periode.",
    "kepatuhan": "Kepatuhan wajib lapor: baris WAJIB_LAPOR yang HADIR atau TERLAMBAT ÷ semua baris WAJIB_LAPOR "
                 "dalam periode; tepat waktu = HADIR saja.",
    "partisipasi": "Partisipasi program: klien aktif dengan ≥ 1 kehadiran (HADIR/TERLAMBAT) pada kegiatan selain "
                   "wajib lapor dan kunjungan rumah dalam periode ÷ klien aktif dalam periode; hanya bulan yang "
                   "tercakup catatan kehadiran kantornya (kantor tanpa catatan kehadiran tidak dihitung sebagai 0).",
    "sejahtera": "Kesejahteraan: klien yang mengakhiri bimbingan dalam periode (SELESAI, DICABUT, BURON; "
                 "MENINGGAL dan PINDAH tidak dihitung) dengan status pekerjaan BEKERJA atau USAHA_MANDIRI ÷ "
                 "semua klien itu.",
    "pencabutan": "Kasus berstatus DICABUT yang tanggal statusnya jatuh dalam periode.",
    "serapan": "Serapan anggaran: realisasi bulan Januari s.d. bulan akhir periode ÷ pagu tahun anggaran itu. "
               "Karena serapan menumpuk sejak Januari, perubahannya dibanding bulan yang sama tahun lalu (realisasi "
               "s.d. bulan itu ÷ pagu tahun itu), bukan dibanding periode sebelumnya.",
}

_CLIENTS = f"select * from v_klien k where {client_condition('k')}"

_COUNTS = f"""
with fk as ({_CLIENTS}),
d as (select least($akhir, (select tanggal_data from v_tanggal_data)) as hari)
select
    count(*) filter (where fk.tanggal_mulai_bimbingan <= d.hari
        and (fk.tanggal_akhir_efektif is null or fk.tanggal_akhir_efektif >= d.hari)) as klien_aktif,
    count(*) filter (where fk.tanggal_mulai_bimbingan between $mulai and $akhir) as kasus_baru,
    count(*) filter (where fk.status <> 'AKTIF' and fk.tanggal_status between $mulai and $akhir) as kasus_berakhir,
    count(*) filter (where fk.status = 'DICABUT' and fk.tanggal_status between $mulai and $akhir) as pencabutan,
    count(*) filter (where fk.status in ('SELESAI', 'DICABUT', 'BURON')
        and fk.tanggal_status between $mulai and $akhir) as berakhir_dinilai,
    count(*) filter (where fk.status in ('SELESAI', 'DICABUT', 'BURON') and fk.sejahtera
        and fk.tanggal_status between $mulai and $akhir) as berakhir_sejahtera
from fk, d
"""

_REPORTING = f"""
with fk as ({_CLIENTS})
select
    coalesce(sum(w.wajib), 0) as wajib,
    coalesce(sum(w.hadir), 0) as hadir,
    coalesce(sum(w.tepat_waktu), 0) as tepat_waktu,
    count(distinct w.no_register) as klien_wajib_lapor
from wajib_lapor_bulanan w
join fk on fk.kode_bapas = w.kode_bapas and fk.no_register = w.no_register
where w.bulan between date_trunc('month', $mulai) and $akhir
"""

_PARTICIPATION = f"""
with fk as ({_CLIENTS}),
recorded as ({recorded_months()})
select
    count(distinct p.kode_bapas || '|' || p.no_register) as klien_aktif_periode,
    count(distinct p.kode_bapas || '|' || p.no_register) filter (where p.ikut_program) as klien_ikut
from partisipasi_bulanan p
join fk on fk.kode_bapas = p.kode_bapas and fk.no_register = p.no_register
join recorded r on r.kode_bapas = p.kode_bapas and r.bulan = p.bulan
where p.bulan between date_trunc('month', $mulai) and $akhir
"""

_BUDGET = """
select
    sum(pagu) filter (where bulan is null) as pagu,
    coalesce(sum(realisasi) filter (where bulan is not null and bulan <= month($akhir)), 0) as realisasi
from anggaran
where tahun_anggaran = year($akhir)
  and (len($kode_bapas) = 0 or list_contains($kode_bapas, kode_bapas))
"""


@dataclass(frozen=True)
class Kpi:
    """One key figure: its value now and in the comparison period, shown in Indonesian format."""

    key: str
    label: str
    value: float | None
    previous: float | None
    shown: str
    delta: str
    kind: str  # "count" | "share" | "money"
    definition: str
    page: str | None = None
    suppressed: bool = False
    compared: str | None = None  # what the change is against, when not the previous period (said beside it)


def _one(sql: str, params: dict, db_path) -> dict:
    frame = db.frame(sql, params, db_path)
    return {k: (None if pd.isna(v) else v) for k, v in frame.iloc[0].to_dict().items()}


def _figures(filters: Filters, db_path) -> dict:
    p = filters.params()
    out = _one(_COUNTS, p, db_path)
    out.update(_one(_REPORTING, p, db_path))
    out.update(_one(_PARTICIPATION, p, db_path))
    out.update(_one(_BUDGET, {"akhir": filters.akhir, "kode_bapas": p["kode_bapas"]}, db_path))
    return out


def _share(num, den):
    return None if not den else num / den


def key_figures(filters: Filters, viewer: Viewer, db_path: Path | None = None) -> list[Kpi]:
    """The Ringkasan figures for the period, with the change against the previous period of equal length."""
    now, before = _figures(filters, db_path), _figures(filters.previous(), db_path)
    hide = viewer.suppressed
    kpis: list[Kpi] = []

    def count(key: str, label: str, page: str | None = None) -> None:
        value, prev = now[key] or 0, before[key] or 0
        small = hide and (is_small(value) or is_small(prev))
        kpis.append(Kpi(key, label, value, prev, SMALL if hide and is_small(value) else fmt.number(value),
                        "" if small else fmt.change(value - prev), "count", DEFINITIONS[key], page, small))

    def share(key: str, label: str, num: str, den: str, page: str | None = None) -> None:
        value, prev = _share(now[num], now[den]), _share(before[num], before[den])
        small_now = hide and (is_small(now[num] or 0) or is_small(now[den] or 0))
        small_prev = hide and (is_small(before[num] or 0) or is_small(before[den] or 0))
        shown = SMALL if small_now else fmt.percent(value)
        delta = "" if small_now or small_prev or value is None or prev is None else fmt.points(value - prev)
        kpis.append(Kpi(key, label, value, prev, shown, delta, "share", DEFINITIONS[key], page, small_now))

    count("klien_aktif", "Klien aktif")
    count("kasus_baru", "Kasus baru")
    count("kasus_berakhir", "Kasus berakhir")
    share("kepatuhan", "Kepatuhan wajib lapor", "hadir", "wajib")
    share("partisipasi", "Partisipasi program", "klien_ikut", "klien_aktif_periode")
    share("sejahtera", "Berakhir & bekerja/usaha", "berakhir_sejahtera", "berakhir_dinilai")
    count("pencabutan", "Pencabutan")
    # absorption runs from January: the same month of last year is the comparable point, not the previous period
    year_ago = filters.last_year().akhir
    then = _one(_BUDGET, {"akhir": year_ago, "kode_bapas": list(filters.kode_bapas)}, db_path)
    value, prev = _share(now["realisasi"], now["pagu"]), _share(then["realisasi"], then["pagu"])
    delta = fmt.points(value - prev) if value is not None and prev is not None else ""
    kpis.append(Kpi("serapan", f"Serapan anggaran TA {filters.akhir.year}", value, prev, fmt.percent(value), delta,
                    "share", DEFINITIONS["serapan"], compared=f"dibanding s.d. {fmt.month(year_ago)}"))
    return kpis


def top_obstacles(filters: Filters, viewer: Viewer, db_path: Path | None = None, limit: int = 3) -> pd.DataFrame:
    """The most frequent obstacle categories of the period, each source apart (log vs absence reasons).

    Counted as the Hambatan page counts them (its view and its filters): the program and PK filters keep the rows
    that name a client of that program or PK, so a log row naming no client drops out under either filter.
    """
    frame = db.frame(f"""
        select g.sumber_data, g.kategori, count(*) as jumlah
        from v_hambatan_rinci g
        where g.tanggal between $mulai and $akhir and {hambatan.rows_of(filters)}
        group by g.sumber_data, g.kategori
        qualify row_number() over (partition by g.sumber_data order by count(*) desc, g.kategori) <= $batas
        order by g.sumber_data desc, jumlah desc""", {**filters.params(), "batas": limit}, db_path)
    frame["label"] = frame["kategori"].map(lambda c: spec.KATEGORI_HAMBATAN.get(c, (None, c))[1])
    if viewer.suppressed:
        frame["jumlah"] = [SMALL if is_small(n) else fmt.number(n) for n in frame["jumlah"]]
    else:
        frame["jumlah"] = [fmt.number(n) for n in frame["jumlah"]]
    return frame


_MISSED = f"""
with fk as ({_CLIENTS}), d as (select tanggal_data as hari from v_tanggal_data)
select {{identity}}, k.pk_nama, m.mangkir_saat_ini, m.mangkir_terpanjang
from fk k
join mangkir_beruntun m using (kode_bapas, no_register)
cross join d
where m.mangkir_saat_ini >= 2
  and k.tanggal_mulai_bimbingan <= d.hari
  and (k.tanggal_akhir_efektif is null or k.tanggal_akhir_efektif >= d.hari)
  and {{scope}}
order by m.mangkir_saat_ini desc, k.pk_nama
"""


def missed_reports(filters: Filters, viewer: Viewer, db_path: Path | None = None) -> tuple[int | str, pd.DataFrame | None]:
    """Active clients with 2+ consecutive missed wajib lapor: the count, and the list where the role allows it."""
    count = _one(f"""
        with fk as ({_CLIENTS}), d as (select tanggal_data as hari from v_tanggal_data)
        select count(*) as n from fk k join mangkir_beruntun m using (kode_bapas, no_register) cross join d
        where m.mangkir_saat_ini >= 2 and k.tanggal_mulai_bimbingan <= d.hari
          and (k.tanggal_akhir_efektif is null or k.tanggal_akhir_efektif >= d.hari)""",
        filters.params(), db_path)["n"]
    shown_count: int | str = SMALL if viewer.suppressed and is_small(count) else int(count)
    if viewer.person_level is None:
        return shown_count, None
    scope, scope_params = person_scope(viewer, "k")
    identity, identity_params = identity_columns(viewer, "k")
    sql = _MISSED.replace("{identity}", identity).replace("{scope}", scope)
    rows = db.frame(sql, {**filters.params(), **scope_params, **identity_params}, db_path)
    return shown_count, rows


def agreements_ending(filters: Filters, db_path: Path | None = None, days: int = 60) -> pd.DataFrame:
    """Partner agreements (PKS) that end within `days` days of the data's as-of date."""
    return db.frame("""
        select m.kode_mitra, m.nama_mitra, m.jenis_mitra, m.nomor_pks, m.berlaku_sampai
        from mitra m, v_tanggal_data d
        where m.berlaku_sampai between d.tanggal_data and d.tanggal_data + to_days($hari)
          and coalesce(m.status_aktif, true)
          and (len($kode_bapas) = 0 or list_contains($kode_bapas, m.kode_bapas))
        order by m.berlaku_sampai""", {"hari": days, "kode_bapas": list(filters.kode_bapas)}, db_path)


def budget_deviations(filters: Filters, db_path: Path | None = None, threshold: float = 0.10) -> pd.DataFrame:
    """Months of the period's budget years where realisation deviates from plan by more than `threshold`."""
    return db.frame("""
        select tahun_anggaran, bulan, sum(rencana) as rencana, sum(realisasi) as realisasi,
               abs(sum(realisasi) - sum(rencana)) / sum(rencana) as deviasi
        from v_anggaran_bulanan
        where make_date(tahun_anggaran, bulan, 1) between date_trunc('month', $mulai) and $akhir
          and (len($kode_bapas) = 0 or list_contains($kode_bapas, kode_bapas))
        group by all
        having sum(rencana) > 0 and abs(sum(realisasi) - sum(rencana)) / sum(rencana) > $ambang
        order by 1, 2""", {"mulai": filters.mulai, "akhir": filters.akhir, "kode_bapas": list(filters.kode_bapas),
                          "ambang": threshold}, db_path)


def as_of(db_path: Path | None = None) -> dt.date:
    """The data's as-of date (the latest attendance date)."""
    value = db.frame("select tanggal_data from v_tanggal_data", None, db_path).iloc[0, 0]
    return value.date() if hasattr(value, "date") else value


def choices(db_path: Path | None = None) -> dict[str, list]:
    """Values for the shared filters: offices, integration programs, PKs (NIP and name)."""
    offices = db.frame("select distinct kode_bapas from klien order by 1", None, db_path)["kode_bapas"].tolist()
    programs = db.frame("select distinct program_integrasi from klien where program_integrasi is not null "
                        "order by 1", None, db_path)["program_integrasi"].tolist()
    pks = db.frame("select pk_nip, any_value(pk_nama) as pk_nama from klien where pk_nip is not null "
                   "group by 1 order by 2", None, db_path)
    return {"kode_bapas": offices, "program_integrasi": programs,
            "pk": list(zip(pks["pk_nip"].tolist(), pks["pk_nama"].tolist()))}


def compliance_trend(filters: Filters, viewer: Viewer, db_path: Path | None = None, months: int = 12) -> pd.DataFrame:
    """Wajib lapor compliance per month for the `months` months ending with the period (one row per month)."""
    from analytics.filters import add_months
    start = add_months(filters.akhir.replace(day=1), -(months - 1))
    frame = db.frame(f"""
        with fk as ({_CLIENTS})
        select w.bulan, sum(w.wajib) as wajib, sum(w.hadir) as hadir, sum(w.tepat_waktu) as tepat_waktu,
               sum(w.izin) as izin, sum(w.tidak_hadir) as tidak_hadir
        from wajib_lapor_bulanan w
        join fk on fk.kode_bapas = w.kode_bapas and fk.no_register = w.no_register
        where w.bulan between $dari and $akhir
        group by 1 order by 1""", {**filters.params(), "dari": start}, db_path)
    frame["kepatuhan"] = frame["hadir"] / frame["wajib"]
    frame["tepat_waktu_persen"] = frame["tepat_waktu"] / frame["wajib"]
    if viewer.suppressed and not frame.empty:
        frame = _suppress_attendance(frame)
    return frame


def _suppress_attendance(frame: pd.DataFrame) -> pd.DataFrame:
    """Small-number rule over months × (on time, late, excused, missed) with the monthly total shown."""
    from analytics.privacy import suppression_mask
    parts = pd.DataFrame({"tepat_waktu": frame["tepat_waktu"], "terlambat": frame["hadir"] - frame["tepat_waktu"],
                          "izin": frame["izin"], "tidak_hadir": frame["tidak_hadir"]}).astype(int)
    mask = suppression_mask(parts, margins=True).iloc[:-1]  # the column-total row is not shown anywhere
    hidden = {column: mask[column].to_numpy() for column in parts}
    hidden["hadir"] = hidden["tepat_waktu"] | hidden["terlambat"]
    hidden["wajib"] = mask["Jumlah"].to_numpy()
    out = frame.copy()
    for column in ("wajib", "hadir", "tepat_waktu", "izin", "tidak_hadir"):
        out[column] = [SMALL if h else int(n) for n, h in zip(frame[column], hidden[column])]
    out.loc[hidden["hadir"] | hidden["wajib"], "kepatuhan"] = None  # a rate built on a hidden count is hidden
    out.loc[hidden["tepat_waktu"] | hidden["wajib"], "tepat_waktu_persen"] = None
    return out
