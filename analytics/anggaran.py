"""Budget use (DATA.md §4, §7 "Serapan anggaran"): absorption, deviation from plan, cost per participant."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from analytics import db, format as fmt
from analytics.filters import Filters
from analytics.privacy import suppress_long
from analytics.viewer import Viewer
from etl import spec

DEVIATION_THRESHOLD = 0.10
GENERAL = "Tanpa program (umum)"
ALL_ACCOUNTS = "Semua akun"
# Account groups for the cost composition of a program run (transport/honor of speakers, consumption/materials).
TRANSPORT_HONOR = ("524113", "521213", "522151")
KONSUMSI_BAHAN = ("521211",)
ACCOUNT_GROUPS = {"porsi_transport_honor": "Transport/honor narasumber", "porsi_konsumsi_bahan": "Konsumsi/bahan",
                  "porsi_lainnya": "Lainnya"}

DEFINITIONS = {
    "serapan": "Serapan = realisasi ÷ pagu. Pagu dari baris pagu tahunan (bulan kosong); realisasi dari baris "
               "bulanan Januari s.d. bulan akhir periode (tahun anggaran yang sudah lewat: setahun penuh).",
    "deviasi": "Deviasi bulanan = |realisasi − rencana| ÷ rencana (RPD, konsep IKPA «deviasi Halaman III DIPA»); "
               "rata-rata atas bulan yang sudah ada realisasinya.",
    "biaya": "Biaya per peserta = realisasi baris anggaran program itu ÷ klien yang punya baris kehadiran pada "
             "program itu; biaya per jam = realisasi ÷ jam hadir (durasi baris HADIR/TERLAMBAT).",
}

_OFFICE = "(len($kode_bapas) = 0 or list_contains($kode_bapas, {a}.kode_bapas))"


def _params(filters: Filters, tahun: int | None = None) -> dict:
    out = {"kode_bapas": list(filters.kode_bapas), "akhir": filters.akhir}
    if tahun is not None:
        out.update(tahun=int(tahun), sampai=through_month(filters, tahun))
    return out


def rupiah(value) -> str:
    """fmt.rupiah that also takes pandas' missing values (<NA>, NaN): 'Rp1.234.567' or '–'."""
    return fmt.rupiah(None if value is None or pd.isna(value) else value)


def number(value, decimals: int = 0) -> str:
    """fmt.number that also takes pandas' missing values."""
    return fmt.number(None if value is None or pd.isna(value) else value, decimals)


def through_month(filters: Filters, tahun: int) -> int:
    """The last month of realisation counted for a budget year: the period's end month, or December."""
    return filters.akhir.month if int(tahun) >= filters.akhir.year else 12


def account_label(kode_akun: str, uraian_akun: str | None = None) -> str:
    """'524113 Belanja Perjalanan Dinas Dalam Kota': the sheet's name, else the known name, else the code."""
    name = uraian_akun if isinstance(uraian_akun, str) and uraian_akun.strip() else spec.AKUN_NAMA.get(kode_akun)
    return f"{kode_akun} {name}" if name else str(kode_akun)


def budget_years(filters: Filters, db_path: Path | None = None) -> list[int]:
    """Budget years with data up to the period's end year, newest first."""
    frame = db.frame(f"""
        select distinct tahun_anggaran from anggaran a
        where tahun_anggaran <= year($akhir) and {_OFFICE.format(a='a')}
        order by 1 desc""", _params(filters), db_path)
    return [int(y) for y in frame["tahun_anggaran"]]


def default_year(filters: Filters, years: list[int]) -> int | None:
    """The period end's year when it has data, else the newest year before it."""
    return filters.akhir.year if filters.akhir.year in years else (years[0] if years else None)


_ACCOUNTS = f"""
select
    a.tahun_anggaran,
    a.kode_akun,
    mode(a.uraian_akun) as uraian_akun,
    sum(a.pagu) filter (where a.bulan is null) as pagu,
    sum(a.rencana) filter (where a.bulan is not null and a.bulan <= {{sampai}}) as rencana,
    sum(a.realisasi) filter (where a.bulan is not null and a.bulan <= {{sampai}}) as realisasi,
    coalesce(bool_or(a.melebihi_pagu), false) as melebihi_pagu
from anggaran a
where {{years}} and {_OFFICE.format(a='a')}
group by all
order by a.tahun_anggaran, a.kode_akun
"""


def _with_absorption(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame.insert(2, "akun", [account_label(c, n) for c, n in zip(frame["kode_akun"], frame["uraian_akun"])])
    for column in ("pagu", "rencana", "realisasi"):
        frame[column] = frame[column].astype("Int64")
    # a ceiling with no realisation recorded yet is 0% absorbed; no ceiling, no absorption
    frame["serapan"] = [(0 if pd.isna(r) else r) / p if not pd.isna(p) and p > 0 else None
                        for p, r in zip(frame["pagu"], frame["realisasi"])]
    frame["serapan"] = frame["serapan"].astype(float)
    return frame.drop(columns="uraian_akun")


def absorption_by_account(filters: Filters, tahun: int, db_path: Path | None = None) -> pd.DataFrame:
    """Pagu vs realisasi per account of one budget year (one row per account), with absorption and over-ceiling flag."""
    sql = _ACCOUNTS.replace("{sampai}", "$sampai").replace("{years}", "a.tahun_anggaran = $tahun")
    return _with_absorption(db.frame(sql, _params(filters, tahun), db_path))


def absorption_by_year(filters: Filters, db_path: Path | None = None) -> pd.DataFrame:
    """Absorption per budget year and account, every year up to the period's end (one row per year and account)."""
    sql = _ACCOUNTS.replace("{sampai}", "(case when a.tahun_anggaran < year($akhir) then 12 else month($akhir) end)") \
        .replace("{years}", "a.tahun_anggaran <= year($akhir)")
    frame = db.frame(sql, _params(filters), db_path)
    totals = frame.groupby("tahun_anggaran", as_index=False).agg(
        pagu=("pagu", lambda s: s.sum(min_count=1)), rencana=("rencana", lambda s: s.sum(min_count=1)),
        realisasi=("realisasi", lambda s: s.sum(min_count=1)), melebihi_pagu=("melebihi_pagu", "any"))
    totals.insert(1, "kode_akun", None)
    totals.insert(2, "uraian_akun", None)
    frame = pd.concat([totals, frame], ignore_index=True).sort_values(
        ["tahun_anggaran", "kode_akun"], na_position="first", kind="stable").reset_index(drop=True)
    out = _with_absorption(frame)
    out.loc[out["kode_akun"].isna(), "akun"] = ALL_ACCOUNTS
    return out


def year_summary(filters: Filters, tahun: int, db_path: Path | None = None) -> dict:
    """Key figures of one budget year: pagu, plan and realisation to date, absorption, mean monthly deviation."""
    frame = db.frame(f"""
        with lines as (select * from anggaran a where a.tahun_anggaran = $tahun and {_OFFICE.format(a='a')}),
        monthly as (
            select bulan, sum(rencana) as rencana, sum(realisasi) as realisasi
            from lines where bulan is not null and bulan <= $sampai group by bulan),
        dev as (
            select abs(realisasi - rencana) / rencana as deviasi from monthly
            where rencana > 0 and realisasi is not null)
        select
            (select sum(pagu) from lines where bulan is null) as pagu,
            (select sum(rencana) from monthly) as rencana,
            (select sum(realisasi) from monthly) as realisasi,
            (select avg(deviasi) from dev) as deviasi_rata,
            (select count(*) from dev where deviasi > $ambang) as bulan_di_atas_ambang,
            (select count(*) from dev) as bulan_dinilai,
            (select max(bulan) from monthly where realisasi is not null) as bulan_terakhir,
            (select count(*) from lines where bulan is not null) as baris_bulanan""",
        {**_params(filters, tahun), "ambang": DEVIATION_THRESHOLD}, db_path)
    out = {k: (None if pd.isna(v) else v) for k, v in frame.iloc[0].to_dict().items()}
    out["serapan"] = (out["realisasi"] or 0) / out["pagu"] if out["pagu"] else None
    out["tahun"], out["sampai"] = int(tahun), through_month(filters, tahun)
    return out


def monthly_deviation(filters: Filters, tahun: int, db_path: Path | None = None) -> pd.DataFrame:
    """Plan (RPD) vs realisation per month of one budget year (12 rows), deviation and whether it exceeds 10%."""
    frame = db.frame(f"""
        with months as (select unnest(range(1, 13)) as bulan),
        monthly as (
            select bulan, sum(rencana) as rencana, sum(realisasi) as realisasi
            from anggaran a
            where a.tahun_anggaran = $tahun and a.bulan is not null and {_OFFICE.format(a='a')}
            group by bulan)
        select
            m.bulan,
            monthly.rencana,
            case when m.bulan <= $sampai then monthly.realisasi end as realisasi
        from months m left join monthly using (bulan)
        order by m.bulan""", _params(filters, tahun), db_path)
    frame["bulan"] = frame["bulan"].astype(int)
    frame["nama_bulan"] = [fmt.BULAN_SINGKAT[m] for m in frame["bulan"]]
    for column in ("rencana", "realisasi"):
        frame[column] = frame[column].astype("Int64")
    frame["selisih"] = (frame["realisasi"] - frame["rencana"]).astype("Int64")
    frame["deviasi"] = [abs(r - p) / p if not pd.isna(p) and p > 0 and not pd.isna(r) else None
                        for p, r in zip(frame["rencana"], frame["realisasi"])]
    frame["deviasi"] = frame["deviasi"].astype(float)
    frame["di_atas_ambang"] = frame["deviasi"].gt(DEVIATION_THRESHOLD)
    return frame[["bulan", "nama_bulan", "rencana", "realisasi", "selisih", "deviasi", "di_atas_ambang"]]


def cumulative_absorption(filters: Filters, tahun: int, db_path: Path | None = None) -> pd.DataFrame:
    """Cumulative realisation and plan as shares of the pagu by month, with the straight-line plan k/12 (12 rows)."""
    frame = db.frame(f"""
        with lines as (select * from anggaran a where a.tahun_anggaran = $tahun and {_OFFICE.format(a='a')}),
        months as (select unnest(range(1, 13)) as bulan),
        monthly as (
            select bulan, sum(rencana) as rencana, sum(realisasi) as realisasi
            from lines where bulan is not null group by bulan),
        last as (select max(bulan) as bulan from monthly where realisasi is not null and bulan <= $sampai),
        running as (
            select
                m.bulan,
                sum(coalesce(monthly.rencana, 0)) over (order by m.bulan) as rencana_kumulatif,
                sum(coalesce(monthly.realisasi, 0)) over (order by m.bulan) as realisasi_kumulatif
            from months m left join monthly using (bulan))
        select
            r.bulan,
            (select sum(pagu) from lines where bulan is null) as pagu,
            r.rencana_kumulatif,
            case when r.bulan <= (select bulan from last) then r.realisasi_kumulatif end as realisasi_kumulatif
        from running r
        order by r.bulan""", _params(filters, tahun), db_path)
    frame["bulan"] = frame["bulan"].astype(int)
    frame["nama_bulan"] = [fmt.BULAN_SINGKAT[m] for m in frame["bulan"]]
    for column in ("pagu", "rencana_kumulatif", "realisasi_kumulatif"):
        frame[column] = frame[column].astype("Int64")
    pagu = frame["pagu"].astype("Float64")
    has_pagu = pagu.gt(0).fillna(False)
    frame["serapan_kumulatif"] = (frame["realisasi_kumulatif"].astype("Float64") / pagu).where(has_pagu) \
        .astype(float)
    frame["rencana_kumulatif_persen"] = (frame["rencana_kumulatif"].astype("Float64") / pagu).where(has_pagu) \
        .astype(float)
    frame["garis_lurus"] = frame["bulan"] / 12
    return frame[["bulan", "nama_bulan", "pagu", "rencana_kumulatif", "realisasi_kumulatif", "serapan_kumulatif",
                  "rencana_kumulatif_persen", "garis_lurus"]]


def _program_label(frame: pd.DataFrame) -> list[str]:
    """Program name (else its code, else 'Tanpa program (umum)'), prefixed with the office when several are shown."""
    several = frame["kode_bapas"].nunique() > 1
    labels = []
    for office, code, name in zip(frame["kode_bapas"], frame["kode_program"], frame["nama_program"]):
        text = GENERAL if pd.isna(code) else (name if isinstance(name, str) and name else code)
        labels.append(f"{office} · {text}" if several else text)
    return labels


def spending_by_program(filters: Filters, tahun: int, db_path: Path | None = None) -> pd.DataFrame:
    """Pagu and realisation of one budget year per program run, lines without a program together (one row each)."""
    frame = db.frame(f"""
        select
            a.kode_bapas, a.kode_program, any_value(p.nama_program) as nama_program,
            sum(a.pagu) filter (where a.bulan is null) as pagu,
            sum(a.realisasi) filter (where a.bulan is not null and a.bulan <= $sampai) as realisasi
        from anggaran a
        left join program p on p.kode_bapas = a.kode_bapas and p.kode_program = a.kode_program
        where a.tahun_anggaran = $tahun and {_OFFICE.format(a='a')}
        group by a.kode_bapas, a.kode_program
        order by a.kode_program is null, coalesce(sum(a.realisasi) filter (
            where a.bulan is not null and a.bulan <= $sampai), 0) desc, a.kode_bapas, a.kode_program""",
        _params(filters, tahun), db_path)
    frame.insert(2, "program", _program_label(frame))
    for column in ("pagu", "realisasi"):
        frame[column] = frame[column].astype("Int64")
    total = frame["realisasi"].sum()
    frame["porsi"] = (frame["realisasi"].astype("Float64") / total).astype(float) if total else float("nan")
    frame["serapan"] = [r / p if not pd.isna(p) and p > 0 and not pd.isna(r) else None
                        for p, r in zip(frame["pagu"], frame["realisasi"])]
    frame["serapan"] = frame["serapan"].astype(float)
    return frame.drop(columns="nama_program")


_COST = f"""
with runs as (
    select distinct a.kode_bapas, a.kode_program from anggaran a
    where a.tahun_anggaran = $tahun and a.kode_program is not null and {_OFFICE.format(a='a')}
),
cost as (
    select
        a.kode_bapas, a.kode_program,
        sum(a.realisasi) as realisasi,
        sum(a.realisasi) filter (where list_contains($transport_honor, a.kode_akun)) as transport_honor,
        sum(a.realisasi) filter (where list_contains($konsumsi_bahan, a.kode_akun)) as konsumsi_bahan
    from anggaran a join runs using (kode_bapas, kode_program)
    where a.bulan is not null and make_date(a.tahun_anggaran, a.bulan, 1) <= $akhir
    group by all
),
attendance as (
    select
        k.kode_bapas, k.kode_program,
        count(distinct k.no_register) as peserta,
        sum(k.durasi_jam) filter (where k.status_hadir in ('HADIR', 'TERLAMBAT')) as jam_hadir
    from kehadiran k join runs using (kode_bapas, kode_program)
    where k.tanggal <= $akhir
    group by all
)
select
    r.kode_bapas, r.kode_program, p.nama_program,
    coalesce(c.realisasi, 0) as realisasi,
    coalesce(t.peserta, 0) as peserta,
    coalesce(t.jam_hadir, 0) as jam_hadir,
    coalesce(c.transport_honor, 0) as transport_honor,
    coalesce(c.konsumsi_bahan, 0) as konsumsi_bahan
from runs r
left join cost c using (kode_bapas, kode_program)
left join attendance t using (kode_bapas, kode_program)
left join program p on p.kode_bapas = r.kode_bapas and p.kode_program = r.kode_program
order by r.kode_bapas, r.kode_program
"""


def cost_per_participant(filters: Filters, tahun: int, viewer: Viewer, db_path: Path | None = None) -> pd.DataFrame:
    """Per program run with budget lines in the year: realisation ÷ participants and ÷ attended hours, account shares.

    Realisation counts every line of the run up to the period's end (a run may span two budget years);
    participants are clients with any attendance row of the run up to the period's end. For aggregate-only
    roles a participant count of 1–9, and the cost per participant built on it, are hidden. Largest cost per
    participant first; runs whose cost is hidden or has no participants last.
    """
    frame = db.frame(_COST, {**_params(filters, tahun), "transport_honor": list(TRANSPORT_HONOR),
                             "konsumsi_bahan": list(KONSUMSI_BAHAN)}, db_path)
    frame.insert(2, "program", _program_label(frame))
    frame = frame.drop(columns="nama_program")
    for column in ("realisasi", "peserta", "transport_honor", "konsumsi_bahan"):
        frame[column] = frame[column].astype("Int64")
    frame["jam_hadir"] = frame["jam_hadir"].astype(float)
    real = frame["realisasi"].astype("Float64")
    frame["biaya_per_peserta"] = (real / frame["peserta"].astype("Float64")).where(frame["peserta"] > 0).astype(float)
    frame["biaya_per_jam"] = (real / frame["jam_hadir"]).where(frame["jam_hadir"] > 0).astype(float)
    has_cost = frame["realisasi"] > 0
    honor = (frame["transport_honor"].astype("Float64") / real).where(has_cost).astype(float)
    bahan = (frame["konsumsi_bahan"].astype("Float64") / real).where(has_cost).astype(float)
    frame["porsi_transport_honor"], frame["porsi_konsumsi_bahan"] = honor, bahan
    frame["porsi_lainnya"] = (1 - honor - bahan).clip(lower=0)
    shares = frame[list(ACCOUNT_GROUPS)]
    frame["akun_dominan"] = [ACCOUNT_GROUPS[row.idxmax()] if row.notna().any() else None
                             for _, row in shares.iterrows()]
    frame = frame.drop(columns=["transport_honor", "konsumsi_bahan"])
    if viewer.suppressed:
        # no total of participants is shown anywhere (clients may join several runs), so small cells only
        frame = suppress_long(frame, "peserta", ["kode_bapas", "kode_program"],
                              rate_cols={"biaya_per_peserta": "peserta"}, margins=False)
    else:
        frame["disembunyikan"] = False
    # sorted after the hiding, so a hidden cost's rank is not told by its place
    return frame.sort_values("biaya_per_peserta", ascending=False, na_position="last", kind="stable",
                             ignore_index=True)


def over_ceiling(accounts: pd.DataFrame) -> list[str]:
    """Labels of the accounts flagged melebihi_pagu in an absorption_by_account frame."""
    return accounts.loc[accounts["melebihi_pagu"].astype(bool), "akun"].tolist()


def cost_composition(costs: pd.DataFrame) -> pd.DataFrame:
    """The account-group shares of a cost_per_participant frame (no participant counts: for its download)."""
    return costs[["kode_bapas", "kode_program", "program", "realisasi", *ACCOUNT_GROUPS, "akun_dominan"]]


def budget_lines(filters: Filters, tahun: int, kode_akun: str, db_path: Path | None = None) -> pd.DataFrame:
    """The budget lines of one account in one budget year, as loaded (one row per line), with their source row."""
    frame = db.frame(f"""
        select
            a.kode_bapas, a.bulan, a.kode_program, p.nama_program, a.uraian,
            a.pagu, a.rencana, a.realisasi, coalesce(a.melebihi_pagu, false) as melebihi_pagu,
            a.sumber_file, a.sumber_sheet, a.sumber_baris
        from anggaran a
        left join program p on p.kode_bapas = a.kode_bapas and p.kode_program = a.kode_program
        where a.tahun_anggaran = $tahun and a.kode_akun = $kode_akun and {_OFFICE.format(a='a')}
        order by a.kode_bapas, a.kode_program nulls first, a.uraian, a.bulan nulls first""",
        {**_params(filters, tahun), "kode_akun": str(kode_akun)}, db_path)
    frame["bulan"] = ["Pagu tahunan" if pd.isna(m) else fmt.BULAN_SINGKAT[int(m)] for m in frame["bulan"]]
    frame["program"] = [GENERAL if pd.isna(c) else (n if isinstance(n, str) and n else c)
                        for c, n in zip(frame["kode_program"], frame["nama_program"])]
    for column in ("pagu", "rencana", "realisasi"):
        frame[column] = frame[column].astype("Int64")
    return frame[["kode_bapas", "bulan", "program", "kode_program", "uraian", "pagu", "rencana", "realisasi",
                  "melebihi_pagu", "sumber_file", "sumber_sheet", "sumber_baris"]]


def display_table(frame: pd.DataFrame, columns: dict[str, str], money: tuple[str, ...] = (),
                  percent: tuple[str, ...] = (), numbers: tuple[str, ...] = (), counts: tuple[str, ...] = (),
                  hidden_with_count: tuple[str, ...] = ()) -> pd.DataFrame:
    """The chosen columns in Indonesian format and renamed for display.

    Where the frame flags a row "disembunyikan", the `counts` columns (people) show '<10' and the
    `hidden_with_count` columns (rates built on that count) say "disembunyikan"; `numbers` are never hidden.
    """
    from analytics.privacy import HIDDEN_COL, SMALL
    hidden = frame[HIDDEN_COL].astype(bool) if HIDDEN_COL in frame else pd.Series(False, index=frame.index)
    out = frame[list(columns)].copy()
    for column in money:
        out[column] = [rupiah(v) for v in out[column]]
    for column in percent:
        out[column] = [fmt.percent(v) for v in out[column]]
    for column in numbers:
        out[column] = [number(v, 0 if pd.isna(v) or float(v).is_integer() else 1) for v in out[column]]
    for column in counts:
        out[column] = [SMALL if h else number(v) for v, h in zip(out[column], hidden)]
    for column in hidden_with_count:
        out[column] = ["disembunyikan" if h else v for v, h in zip(out[column], hidden)]
    for column in out.columns:
        if out[column].dtype == bool:
            out[column] = out[column].map({True: "Ya", False: ""})
    return out.rename(columns=columns)
