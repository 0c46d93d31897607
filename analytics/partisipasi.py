"""Partisipasi & Kesejahteraan: who takes part, how much, do they finish, how ended cases fare (DATA.md §7)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from analytics import db, format as fmt, people
from analytics.filters import Filters, add_months, client_condition, recorded_months
from analytics.privacy import HIDDEN_COL, SMALL, is_small, suppress_long
from analytics.viewer import Viewer

TREND_MONTHS = 12
COHORT_MONTHS = (6, 12, 24)

# Activity groups of the participation chart (the view v_partisipasi_kegiatan_bulanan maps jenis_kegiatan to them).
KELOMPOK = {"SEMUA": "Semua kegiatan", "KEPRIBADIAN": "Kepribadian", "KEMANDIRIAN": "Kemandirian & pelatihan kerja",
            "KEAGAMAAN": "Keagamaan", "PENDIDIKAN_KESETARAAN": "Pendidikan kesetaraan",
            "SEMINAR_PENYULUHAN": "Seminar & penyuluhan"}
STATUS_HADIR = {"HADIR": "Tepat waktu", "TERLAMBAT": "Terlambat", "IZIN": "Izin", "TIDAK_HADIR": "Tidak hadir"}
KATEGORI_PROGRAM = {"BIMBINGAN_KEPRIBADIAN": "Bimbingan kepribadian", "BIMBINGAN_KEMANDIRIAN": "Bimbingan kemandirian",
                    "PELATIHAN_KERJA": "Pelatihan kerja", "BIMBINGAN_KEAGAMAAN": "Bimbingan keagamaan",
                    "PENDIDIKAN_KESETARAAN": "Pendidikan kesetaraan", "SEMINAR_PENYULUHAN": "Seminar & penyuluhan"}
PEKERJAAN = {"BEKERJA": "Bekerja", "USAHA_MANDIRI": "Usaha mandiri", "BELUM_BEKERJA": "Belum bekerja",
             "TIDAK_TERCATAT": "Tidak tercatat"}
SEMUA, TANPA_PROGRAM, TANPA_MITRA = "SEMUA", "TANPA_PROGRAM", "TANPA_MITRA"
BREAKDOWNS = {"bulan": "Bulan", "pk": "Pembimbing Kemasyarakatan", "kecamatan": "Kecamatan"}
WELFARE_BY = {"kategori": "Kategori program", "mitra": "Mitra penyelenggara"}
COHORT_BASIS = {"kegiatan": "Mengikuti kegiatan bimbingan apa pun (selain wajib lapor)",
                "program": "Mengikuti sesi program berangkatan (pelatihan, kursus, dsb.)"}
# Dose classes: upper bounds in hours (a class holds hours > the previous bound and ≤ its own).
DOSE_BOUNDS = (0, 2, 4, 8, 16, 32, 64)

DEFINITIONS = {
    "partisipasi": "Klien aktif pada bulan itu yang hadir (HADIR/TERLAMBAT) ≥ 1 kali pada kegiatan jenis itu ÷ "
                   "klien aktif pada bulan itu. «Semua kegiatan» = ikut kegiatan apa pun selain wajib lapor dan "
                   "kunjungan rumah. Hanya kantor yang mencatat kehadiran pada bulan itu yang dihitung.",
    "wajib_lapor": "Bagian dari semua wajib lapor terjadwal: tepat waktu (HADIR), terlambat, izin, tidak hadir.",
    "dosis": "Jumlah durasi (jam) kegiatan selain wajib lapor dan kunjungan rumah yang dihadiri (HADIR/TERLAMBAT) "
             "per klien yang ikut, selama periode.",
    "penyelesaian": "Peserta = klien dengan catatan kehadiran di angkatan itu; selesai = hadir pada ≥ {ambang} "
                    "sesi angkatan (sesi = tanggal pertemuan yang berbeda); tingkat = selesai ÷ peserta.",
    "kesejahteraan": "Klien yang mengakhiri bimbingan dalam periode (status SELESAI, DICABUT, BURON; MENINGGAL dan "
                     "PINDAH tidak dihitung) menurut status pekerjaan terakhir yang tercatat.",
    "kohort": "Bagian klien yang berstatus bekerja atau usaha mandiri, untuk peserta vs bukan peserta program "
              "dalam 6 bulan pertama bimbingan, di antara kasus yang sudah teramati ≥ N bulan.",
}

_CLIENTS = f"select * from v_klien k where {client_condition('k')}"
_ENDED = ("coalesce(k.status, 'AKTIF') not in ('AKTIF', 'MENINGGAL', 'PINDAH') "
          "and k.tanggal_status between $mulai and $akhir")
_ATTENDED = "('HADIR', 'TERLAMBAT')"


# --- the small-number rule for "parts of a shown total" ------------------------------------------------

def _hide_parts(frame: pd.DataFrame, group: str | list[str], part: str, count: str, total: str,
                rate: str, hide: bool) -> pd.DataFrame:
    """Each group's parts (which add up to its shown total) under the small-number rule, rates blanked with them.

    Only the total of each group is shown, never a total across groups, so the rule (privacy.suppress_long,
    the series rule with the total shown) runs within each group; a total of 1–9 is hidden as well.
    """
    if not hide or frame.empty:
        return frame.assign(**{HIDDEN_COL: False})
    pieces = []
    for _, rows in frame.groupby(group, sort=False, dropna=False):
        shown = suppress_long(rows, count, [part])
        small_total = rows[total].map(is_small).to_numpy()
        shown[total] = rows[total].astype("Int64").mask(small_total)
        shown[rate] = shown[rate].astype(float).mask(shown[HIDDEN_COL].to_numpy() | small_total)
        pieces.append(shown)
    return pd.concat(pieces).loc[frame.index]


def _hide_share(frame: pd.DataFrame, key: str | list[str], part: str, total: str, rate: str,
                hide: bool) -> pd.DataFrame:
    """A share (part ÷ total, one row per key) under the rule: the part and its complement are the parts."""
    if not hide or frame.empty:
        return frame.assign(**{HIDDEN_COL: False})
    key = [key] if isinstance(key, str) else list(key)
    parts = frame[[*key, part, total, rate]].assign(_rest=frame[total] - frame[part]).melt(
        id_vars=[*key, total, rate], value_vars=[part, "_rest"], var_name="_bagian", value_name="_jumlah")
    parts = _hide_parts(parts, key, "_bagian", "_jumlah", total, rate, True)
    shown = parts[parts["_bagian"] == part].set_index(key).reindex(pd.MultiIndex.from_frame(frame[key])
                                                                   if len(key) > 1 else frame[key[0]])
    return frame.assign(**{total: shown[total].to_numpy(), part: shown["_jumlah"].to_numpy(),
                           rate: shown[rate].to_numpy(), HIDDEN_COL: shown[HIDDEN_COL].to_numpy().astype(bool)})


def trend_window(filters: Filters) -> tuple[dt.date, dt.date]:
    """Months of the monthly charts: the period, extended back to 12 months when it is shorter."""
    start = add_months(filters.akhir.replace(day=1), -(TREND_MONTHS - 1))
    return min(start, filters.mulai.replace(day=1)), filters.akhir


def month_label(day) -> str:
    """'Agu 2026'."""
    day = pd.Timestamp(day)
    return f"{fmt.BULAN_SINGKAT[day.month]} {day.year}"


# --- 1. participation by month and activity -----------------------------------------------------------

def participation_by_month(filters: Filters, viewer: Viewer, db_path: Path | None = None) -> pd.DataFrame:
    """One row per month × activity group: active clients, participants, participation rate."""
    dari, akhir = trend_window(filters)
    frame = db.frame(f"""
        with fk as ({_CLIENTS}),
        recorded as ({recorded_months("$dari")}),
        per_office as (
            select b.kode_bapas, b.bulan, count(*) as klien_aktif
            from klien_bulan b join fk using (kode_bapas, no_register)
            where b.bulan between $dari and $akhir
            group by all),
        active as (  -- counted per office first: the join with the covered months is then a small one
            select o.bulan, sum(o.klien_aktif)::bigint as klien_aktif
            from per_office o semi join recorded r on r.kode_bapas = o.kode_bapas and r.bulan = o.bulan
            group by 1),
        took as (
            select p.bulan, p.kelompok_kegiatan as kelompok, count(*) as peserta
            from partisipasi_kegiatan_bulanan p join fk using (kode_bapas, no_register)
            where p.bulan between $dari and $akhir
            group by all
            union all
            select p.bulan, 'SEMUA', count(distinct (p.kode_bapas, p.no_register))
            from partisipasi_kegiatan_bulanan p join fk using (kode_bapas, no_register)
            where p.bulan between $dari and $akhir
            group by all),
        groups as (select unnest($kelompok) as kelompok, generate_subscripts($kelompok, 1) as urutan)
        select a.bulan, g.kelompok, a.klien_aktif, coalesce(t.peserta, 0) as peserta
        from active a cross join groups g left join took t using (bulan, kelompok)
        order by a.bulan, g.urutan""",
        {**filters.params(), "dari": dari, "kelompok": list(KELOMPOK)}, db_path)
    frame["label"] = frame["kelompok"].map(KELOMPOK)
    frame["persen"] = frame["peserta"] / frame["klien_aktif"]
    frame = frame[["bulan", "kelompok", "label", "klien_aktif", "peserta", "persen"]]
    return _hide_share(frame, ["bulan", "kelompok"], "peserta", "klien_aktif", "persen", viewer.suppressed)


# --- 2. wajib lapor compliance by month, PK or kecamatan ---------------------------------------------

_BREAKDOWN_SQL = {  # whitelisted group expressions (group key, label)
    "bulan": ("w.bulan", "null"),
    "pk": ("coalesce(k.pk_nip, k.pk_nama, '-')", "coalesce(any_value(k.pk_nama), any_value(k.pk_nip), 'Tanpa PK')"),
    "kecamatan": ("coalesce(k.kecamatan, '-')", "coalesce(any_value(k.kecamatan), 'Tidak tercatat')"),
}


def reporting_compliance(filters: Filters, viewer: Viewer, by: str = "bulan",
                         db_path: Path | None = None) -> pd.DataFrame:
    """One row per group × attendance status of scheduled wajib lapor: count, total due, share.

    Months cover the trend window (at least 12 months); PK and kecamatan cover the period. PK and
    kecamatan are the client's current ones. Groups are ordered by compliance, lowest first.
    """
    if by not in _BREAKDOWN_SQL:
        raise ValueError(f"rincian tidak dikenal: {by}")
    key, label = _BREAKDOWN_SQL[by]
    dari = trend_window(filters)[0] if by == "bulan" else filters.mulai
    wide = db.frame(f"""
        with fk as ({_CLIENTS})
        select {key} as grup, {label} as label,
               sum(w.tepat_waktu) as HADIR, sum(w.terlambat) as TERLAMBAT, sum(w.izin) as IZIN,
               sum(w.tidak_hadir) as TIDAK_HADIR, sum(w.wajib) as wajib
        from wajib_lapor_bulanan w join fk k using (kode_bapas, no_register)
        where w.bulan between date_trunc('month', $dari) and $akhir
        group by 1
        order by 1""", {**filters.params(), "dari": dari}, db_path)
    if by == "bulan":
        wide["label"] = wide["grup"].map(month_label)
    long = wide.melt(id_vars=["grup", "label", "wajib"], value_vars=list(STATUS_HADIR), var_name="status_hadir",
                     value_name="jumlah")
    long["status_label"] = long["status_hadir"].map(STATUS_HADIR)
    long["persen"] = long["jumlah"] / long["wajib"]
    long["urutan_status"] = long["status_hadir"].map({s: i for i, s in enumerate(STATUS_HADIR)})
    long = long[["grup", "label", "status_hadir", "status_label", "jumlah", "wajib", "persen", "urutan_status"]]
    long = _hide_parts(long.astype({"jumlah": "int64", "wajib": "int64"}), "grup", "status_hadir", "jumlah",
                       "wajib", "persen", viewer.suppressed)
    if by != "bulan":  # lowest compliance first; a group with a hidden part last (no order from hidden values)
        attended = long[long["status_hadir"].isin(["HADIR", "TERLAMBAT"])].groupby("grup")["persen"].sum(
            min_count=2)
        rank = attended.rank(method="first").fillna(float("inf"))
        long = long.assign(_r=long["grup"].map(rank)).sort_values(["_r", "label", "urutan_status"]).drop(
            columns="_r")
    else:
        long = long.sort_values(["grup", "urutan_status"])
    return long.drop(columns="urutan_status").reset_index(drop=True)


# --- 3. dose: hours attended per participating client --------------------------------------------------

_HOURS = f"""
with fk as ({_CLIENTS})
select p.kode_bapas, p.no_register, sum(p.jam_hadir) as jam
from partisipasi_kegiatan_bulanan p join fk using (kode_bapas, no_register)
where p.bulan between date_trunc('month', $mulai) and $akhir
group by all
"""


def dose_labels() -> list[str]:
    """The dose classes in order: '0 jam (durasi kosong)', '≤2 jam', '2–4 jam', …, '>64 jam'."""
    b = [fmt.number(x) for x in DOSE_BOUNDS]
    return ["0 jam (durasi kosong)", f"≤{b[1]} jam", *[f"{b[i - 1]}–{b[i]} jam" for i in range(2, len(b))],
            f">{b[-1]} jam"]


def dose_distribution(filters: Filters, viewer: Viewer, db_path: Path | None = None) -> pd.DataFrame:
    """One row per dose class: participating clients whose attended hours in the period fall in it."""
    counts = db.frame(f"""
        with h as ({_HOURS})
        select len(list_filter($batas, lambda b: h.jam > b)) as kelas, count(*) as klien
        from h group by 1""", {**filters.params(), "batas": list(DOSE_BOUNDS)}, db_path)
    labels = dose_labels()
    frame = pd.DataFrame({"kelas": range(len(labels)), "rentang": labels})
    frame = frame.merge(counts, on="kelas", how="left").fillna({"klien": 0}).astype({"klien": "int64"})
    if frame.loc[0, "klien"] == 0:  # the "no duration recorded" class only when it occurs
        frame = frame.iloc[1:].reset_index(drop=True)
    if frame["klien"].sum() == 0:
        return frame.iloc[0:0].assign(**{HIDDEN_COL: False})
    if viewer.suppressed:
        return suppress_long(frame, "klien", ["rentang"])
    return frame.assign(**{HIDDEN_COL: False})


def dose_summary(filters: Filters, viewer: Viewer, db_path: Path | None = None) -> dict:
    """Participating clients, median and total hours attended in the period (median hidden below 10 people)."""
    row = db.frame(f"""
        with h as ({_HOURS})
        select count(*) as klien, median(jam) as median_jam, coalesce(sum(jam), 0) as jam from h""",
        filters.params(), db_path).iloc[0]
    klien, median = int(row["klien"]), (None if pd.isna(row["median_jam"]) else float(row["median_jam"]))
    if viewer.suppressed and is_small(klien):
        return {"klien": SMALL, "median_jam": None, "jam": None}
    return {"klien": klien, "median_jam": median, "jam": float(row["jam"])}


# --- 4. completion per program run ---------------------------------------------------------------------

def completion_threshold(db_path: Path | None = None) -> float:
    """The share of a run's sessions a client must attend to count as completing it (v_pengaturan)."""
    return float(db.frame("select nilai from v_pengaturan where nama = 'ambang_penyelesaian'", None,
                          db_path).iloc[0, 0])


def program_completion(filters: Filters, viewer: Viewer, db_path: Path | None = None) -> pd.DataFrame:
    """One row per program run active in the period: sessions, enrolled, completers, completion rate."""
    frame = db.frame(f"""
        with fk as ({_CLIENTS}),
        sessions as (
            select kode_bapas, kode_program, count(distinct tanggal) as sesi_program,
                   min(tanggal) as pertama, max(tanggal) as terakhir
            from kehadiran where kode_program is not null group by all),
        runs as (
            select p.kode_bapas, p.kode_program, p.nama_program, p.kategori, p.kode_mitra,
                   coalesce(p.tanggal_mulai, s.pertama) as tanggal_mulai, p.tanggal_selesai,
                   coalesce(s.sesi_program, 0) as sesi_program
            from program p left join sessions s using (kode_bapas, kode_program)
            where (len($kode_bapas) = 0 or list_contains($kode_bapas, p.kode_bapas))
              and coalesce(p.tanggal_mulai, s.pertama) <= $akhir
              and coalesce(p.tanggal_selesai, s.terakhir, $akhir) >= $mulai),
        enrolled as (
            select c.kode_bapas, c.kode_program, count(*) as peserta, count(*) filter (where c.selesai) as selesai
            from penyelesaian_program c join fk using (kode_bapas, no_register)
            group by all)
        select r.kode_bapas, r.kode_program, r.nama_program, r.kategori, coalesce(m.nama_mitra, r.kode_mitra) as nama_mitra,
               r.tanggal_mulai, r.tanggal_selesai,
               coalesce(r.tanggal_selesai > d.tanggal_data, true) as berjalan,
               r.sesi_program, coalesce(e.peserta, 0) as peserta, coalesce(e.selesai, 0) as selesai
        from runs r
        cross join v_tanggal_data d
        left join enrolled e using (kode_bapas, kode_program)
        left join mitra m on m.kode_bapas = r.kode_bapas and m.kode_mitra = r.kode_mitra
        order by r.tanggal_mulai, r.kode_bapas, r.kode_program""", filters.params(), db_path)
    frame["tingkat_penyelesaian"] = frame["selesai"] / frame["peserta"].where(frame["peserta"] > 0)
    # offices number their runs on their own (P1, P2… in each), so a run is office + code
    return _hide_share(frame, ["kode_bapas", "kode_program"], "selesai", "peserta", "tingkat_penyelesaian",
                       viewer.suppressed)


def run_label(frame: pd.DataFrame) -> list[str]:
    """'name (code)' per run; with several offices in the frame 'name (office/code)'."""
    several = frame["kode_bapas"].nunique() > 1
    return [f"{n} ({b}/{c})" if several else f"{n} ({c})"
            for n, b, c in zip(frame["nama_program"], frame["kode_bapas"], frame["kode_program"])]


def completion_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The completion frame as the page shows it: Indonesian headers and formats, «<10» where hidden."""
    def count(n):
        return SMALL if pd.isna(n) else fmt.number(n)

    def day(d):
        return "–" if pd.isna(d) else fmt.date(pd.Timestamp(d).date())

    return pd.DataFrame({
        "Program (angkatan)": frame["nama_program"],
        "Kategori": frame["kategori"].map(lambda c: KATEGORI_PROGRAM.get(c, fmt.code(c))),
        "Mitra": frame["nama_mitra"].fillna("–"),
        "Jadwal": [f"{day(a)} – {day(b)}" + (" (berjalan)" if running else "")
                   for a, b, running in zip(frame["tanggal_mulai"], frame["tanggal_selesai"], frame["berjalan"])],
        "Sesi": frame["sesi_program"].map(fmt.number),
        "Peserta": frame["peserta"].map(count),
        "Selesai": frame["selesai"].map(count),
        "Tingkat penyelesaian": [SMALL if hidden and pd.isna(rate) else fmt.percent(rate)
                                 for rate, hidden in zip(frame["tingkat_penyelesaian"], frame[HIDDEN_COL])],
    })


def run_options(frame: pd.DataFrame) -> dict[str, str]:
    """Runs to pick in the drill-down: 'office/code' → 'name (code)'."""
    return dict(zip(frame["kode_bapas"] + "/" + frame["kode_program"], run_label(frame)))


_CLIENT_COLUMNS = {"no_register": "No. Register", "nama": "Nama", "pseudonim": "Pseudonim",
                   "program_integrasi": "Program integrasi", "kategori_pidana": "Kategori pidana",
                   "kecamatan": "Kecamatan", "pk_nama": "PK", "tanggal_mulai_bimbingan": "Mulai bimbingan",
                   "status": "Status", "status_pekerjaan": "Status pekerjaan"}


def client_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A drill-down list as the page shows it: Indonesian headers, words instead of codes, Indonesian dates."""
    out = frame.copy()
    if "tanggal_mulai_bimbingan" in out:
        out["tanggal_mulai_bimbingan"] = out["tanggal_mulai_bimbingan"].map(
            lambda d: "–" if pd.isna(d) else fmt.date(pd.Timestamp(d).date()))
    for column in ("status", "program_integrasi"):
        if column in out:
            out[column] = out[column].map(fmt.code)
    if "status_pekerjaan" in out:
        out["status_pekerjaan"] = out["status_pekerjaan"].map(lambda c: PEKERJAAN.get(c, "Tidak tercatat"))
    return out.rename(columns=_CLIENT_COLUMNS)


def run_clients(viewer: Viewer, filters: Filters, kode_program: str, db_path: Path | None = None,
                kode_bapas: str | None = None) -> pd.DataFrame:
    """The clients enrolled in one program run (any attendance row), as the role allows; `kode_bapas` names the
    run's office (without it, the run of that code in any office)."""
    return client_table(people.clients(viewer, filters, """exists (
        select 1 from kehadiran h where h.kode_bapas = k.kode_bapas and h.no_register = k.no_register
        and h.kode_program = $kode_program and ($run_office is null or h.kode_bapas = $run_office))""",
        {"kode_program": kode_program, "run_office": kode_bapas}, db_path))


# --- 5. welfare of ended cases ----------------------------------------------------------------------------

_WELFARE_GROUP = {"kategori": "coalesce(i.kategori, 'LAINNYA')", "mitra": f"coalesce(i.kode_mitra, '{TANPA_MITRA}')"}


def welfare_outcomes(filters: Filters, viewer: Viewer, by: str = "kategori",
                     db_path: Path | None = None) -> pd.DataFrame:
    """One row per group × work status of the cases ended in the period: count, group total, share.

    Groups: all ended cases, then each program category (or partner) of the runs the client attended — a
    client in several counts in each — then the clients who attended no program run.
    """
    if by not in _WELFARE_GROUP:
        raise ValueError(f"pengelompokan tidak dikenal: {by}")
    counts = db.frame(f"""
        with fk as ({_CLIENTS}),
        ended as (
            select k.kode_bapas, k.no_register, coalesce(k.status_pekerjaan, 'TIDAK_TERCATAT') as pekerjaan
            from fk k where {_ENDED}),
        took as (
            select distinct e.kode_bapas, e.no_register, {_WELFARE_GROUP[by]} as grup
            from ended e join ikut_program i using (kode_bapas, no_register)),
        grouped as (
            select '{SEMUA}' as grup, pekerjaan from ended
            union all
            select t.grup, e.pekerjaan from took t join ended e using (kode_bapas, no_register)
            union all
            select '{TANPA_PROGRAM}', e.pekerjaan from ended e
            where not exists (select 1 from took t where t.kode_bapas = e.kode_bapas
                              and t.no_register = e.no_register))
        select grup, pekerjaan, count(*) as jumlah from grouped group by all""", filters.params(), db_path)
    names = _partner_names(filters, db_path) if by == "mitra" else {}
    groups = counts.groupby("grup")["jumlah"].sum()
    middle = sorted((g for g in groups.index if g not in (SEMUA, TANPA_PROGRAM)), key=lambda g: (-groups[g], g))
    order = [g for g in (SEMUA, *middle, TANPA_PROGRAM) if g in groups.index]
    grid = pd.MultiIndex.from_product([order, list(PEKERJAAN)], names=["grup", "pekerjaan"])
    frame = counts.set_index(["grup", "pekerjaan"]).reindex(grid, fill_value=0).reset_index()
    frame["jumlah"] = frame["jumlah"].astype("int64")
    frame["klien"] = frame["grup"].map(groups).astype("int64")
    frame["persen"] = frame["jumlah"] / frame["klien"]
    frame["label"] = frame["grup"].map(lambda g: _group_label(g, by, names))
    frame["pekerjaan_label"] = frame["pekerjaan"].map(PEKERJAAN)
    frame = frame[["grup", "label", "pekerjaan", "pekerjaan_label", "jumlah", "klien", "persen"]]
    return _hide_parts(frame, "grup", "pekerjaan", "jumlah", "klien", "persen", viewer.suppressed)


def _group_label(group: str, by: str, names: dict) -> str:
    if group == SEMUA:
        return "Semua klien yang berakhir"
    if group == TANPA_PROGRAM:
        return "Tidak mengikuti program"
    if group == TANPA_MITRA:
        return "Program tanpa mitra"
    if by == "kategori":
        return KATEGORI_PROGRAM.get(group, fmt.code(group))
    return names.get(group) or group


def _partner_names(filters: Filters, db_path) -> dict[str, str]:
    frame = db.frame("""select kode_mitra, any_value(nama_mitra) as nama_mitra from mitra
                        where len($kode_bapas) = 0 or list_contains($kode_bapas, kode_bapas) group by 1""",
                     filters.params(), db_path)
    return dict(zip(frame["kode_mitra"], frame["nama_mitra"]))


def welfare_group_options(frame: pd.DataFrame) -> dict[str, str]:
    """Groups of the welfare chart to pick in the drill-down: code → label."""
    return dict(zip(frame["grup"], frame["label"]))


def ended_clients(viewer: Viewer, filters: Filters, by: str, group: str, db_path: Path | None = None) -> pd.DataFrame:
    """The cases ended in the period that belong to one group of the welfare chart, as the role allows."""
    if by not in _WELFARE_GROUP:
        raise ValueError(f"pengelompokan tidak dikenal: {by}")
    took = (f"select 1 from ikut_program i where i.kode_bapas = k.kode_bapas and i.no_register = k.no_register")
    if group == SEMUA:
        where = _ENDED
    elif group == TANPA_PROGRAM:
        where = f"{_ENDED} and not exists ({took})"
    else:
        where = f"{_ENDED} and exists ({took} and {_WELFARE_GROUP[by]} = $grup)"
    return client_table(people.clients(viewer, filters, where, {"grup": group}, db_path))


def placements_by_partner(filters: Filters, viewer: Viewer, db_path: Path | None = None) -> pd.DataFrame:
    """One row per partner: cases ended in the period whose recorded placing partner it is (kode_mitra_penyalur)."""
    frame = db.frame(f"""
        with fk as ({_CLIENTS})
        select k.kode_mitra_penyalur as kode_mitra,
               coalesce(any_value(m.nama_mitra), k.kode_mitra_penyalur) as nama_mitra,
               count(*) as penempatan
        from fk k
        left join mitra m on m.kode_bapas = k.kode_bapas and m.kode_mitra = k.kode_mitra_penyalur
        where {_ENDED} and k.kode_mitra_penyalur is not null
        group by 1
        order by 3 desc, 2""", filters.params(), db_path)
    if viewer.suppressed and not frame.empty:
        return suppress_long(frame, "penempatan", ["kode_mitra"])
    return frame.assign(**{HIDDEN_COL: False})


def income_by_work_status(filters: Filters, viewer: Viewer, db_path: Path | None = None) -> pd.DataFrame:
    """Median monthly income of ended cases working or in business, where recorded (hidden below 10 people)."""
    frame = db.frame(f"""
        with fk as ({_CLIENTS}),
        ended as (select * from fk k where {_ENDED} and k.status_pekerjaan in ('BEKERJA', 'USAHA_MANDIRI')),
        grouped as (
            select status_pekerjaan as grup, penghasilan_bulanan from ended
            union all
            select 'SEMUA', penghasilan_bulanan from ended)
        select grup, count(*) as klien, count(penghasilan_bulanan) as tercatat,
               median(penghasilan_bulanan) as median_penghasilan
        from grouped group by 1""", filters.params(), db_path)
    order = ["BEKERJA", "USAHA_MANDIRI", SEMUA]
    frame = frame.set_index("grup").reindex(order).reset_index()
    frame = frame.fillna({"klien": 0, "tercatat": 0}).astype({"klien": "int64", "tercatat": "int64"})
    frame.insert(1, "label", frame["grup"].map({**PEKERJAAN, SEMUA: "Bekerja atau usaha mandiri"}))
    hidden = pd.Series(False, index=frame.index)
    if viewer.suppressed:
        small_klien, small_tercatat = frame["klien"].map(is_small), frame["tercatat"].map(is_small)
        hidden = small_klien | small_tercatat
        frame["klien"] = frame["klien"].astype("Int64").mask(small_klien)
        frame["tercatat"] = frame["tercatat"].astype("Int64").mask(small_tercatat)
        frame["median_penghasilan"] = frame["median_penghasilan"].astype(float).mask(hidden)
    return frame.assign(**{HIDDEN_COL: hidden.to_numpy()})


def income_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The income frame as the page shows it."""
    def count(n):
        return SMALL if pd.isna(n) else fmt.number(n)

    return pd.DataFrame({
        "Status pekerjaan": frame["label"],
        "Klien": frame["klien"].map(count),
        "Penghasilan tercatat": frame["tercatat"].map(count),
        "Median penghasilan per bulan": [SMALL if hidden else fmt.rupiah(m) for m, hidden
                                         in zip(frame["median_penghasilan"], frame[HIDDEN_COL])],
    })


# --- 6. cohort comparison ---------------------------------------------------------------------------------

_COHORT_BASIS_SQL = {"kegiatan": "c.ikut_kegiatan_6_bulan", "program": "c.ikut_program_6_bulan"}


def cohort_comparison(filters: Filters, viewer: Viewer, months: int = 12, basis: str = "kegiatan",
                      db_path: Path | None = None) -> pd.DataFrame:
    """Share working (latest status) among participants vs non-participants of the first 6 months.

    Cases whose start is at least `months` months before the as-of date; MENINGGAL and PINDAH left out;
    an empty work status counts as not working. Not a causal estimate.
    """
    if months not in COHORT_MONTHS or basis not in _COHORT_BASIS_SQL:
        raise ValueError("pilihan kohort tidak dikenal")
    counts = db.frame(f"""
        with fk as ({_CLIENTS})
        select {_COHORT_BASIS_SQL[basis]} as peserta, count(*) as klien,
               count(*) filter (where k.sejahtera) as bekerja
        from fk k
        join kohort_partisipasi c using (kode_bapas, no_register)
        cross join v_tanggal_data d
        where k.tanggal_mulai_bimbingan + to_months($bulan) <= d.tanggal_data
          and coalesce(k.status, 'AKTIF') not in ('MENINGGAL', 'PINDAH')
        group by 1""", {**filters.params(), "bulan": months}, db_path)
    frame = pd.DataFrame({"kelompok": ["PESERTA", "BUKAN_PESERTA"],
                          "label": ["Peserta program", "Bukan peserta"], "peserta": [True, False]})
    frame = frame.merge(counts, on="peserta", how="left").fillna({"klien": 0, "bekerja": 0}).drop(
        columns="peserta").astype({"klien": "int64", "bekerja": "int64"})
    frame["persen"] = frame["bekerja"] / frame["klien"].where(frame["klien"] > 0)
    if frame["klien"].sum() == 0:
        return frame.iloc[0:0].assign(**{HIDDEN_COL: False})
    return _hide_share(frame, "kelompok", "bekerja", "klien", "persen", viewer.suppressed)
