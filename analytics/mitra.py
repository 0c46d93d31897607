"""Which partners deliver: scorecard, agreements ending, training fields offered vs asked, certified share."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pandas as pd

from analytics import db, format as fmt, people
from analytics.filters import Filters, add_months, client_condition
from analytics.privacy import HIDDEN_COL, SMALL, suppress_long
from analytics.viewer import Viewer

DEFINITIONS = {
    "mitra_aktif": "Mitra aktif pada suatu hari: status aktif tidak «Tidak», tanggal PKS ≤ hari itu ≤ berlaku "
                   "sampai (tanggal yang kosong tidak membatasi).",
    "program": "Angkatan: angkatan program mitra yang berjalan dalam periode (tanggal mulai ≤ akhir periode, tanggal "
               "selesai ≥ awal periode; tanpa tanggal: kehadiran pertama/terakhir angkatan itu).",
    "peserta": "Peserta: klien berbeda (sesuai saringan) yang punya baris kehadiran apa pun pada angkatan program "
               "mitra yang berjalan dalam periode.",
    "penyelesaian": "% selesai: keikutsertaan yang selesai (hadir/terlambat ≥ 75% sesi angkatannya) ÷ seluruh "
                    "keikutsertaan (satu klien pada satu angkatan) pada angkatan mitra dalam periode.",
    "penempatan": "Penempatan: klien yang kolom «Mitra Penyalur»-nya mitra ini; «periode» = yang mengakhiri "
                  "bimbingan (status selain AKTIF) dengan tanggal status dalam periode, «total» = semua kasus.",
    "pks": "Perjanjian kerja sama (PKS) mitra berstatus aktif yang berlaku sampai ≤ 60 hari setelah tanggal data, "
           "termasuk yang sudah lewat tetapi mitranya masih tercatat aktif.",
    "cakupan": "Bidang pelatihan yang ditawarkan (bidang pelatihan mitra aktif pada akhir periode; angkatan program "
               "dalam periode) dibanding bidang yang diminta klien (catatan log hambatan berkategori «Program tidak "
               "sesuai minat» yang uraiannya menyebut bidang yang diinginkan).",
    "sertifikasi": "Bagian mitra aktif (menurut tanggal PKS dan status aktif) yang bersertifikat, pada akhir tiap "
                   "triwulan; status bersertifikat adalah isian terkini lembar mitra (kosong dihitung belum), dan "
                   "hanya PKS terkini yang tercatat, sehingga mitra yang PKS-nya diperpanjang baru terhitung sejak "
                   "PKS terbarunya.",
}

# Training fields (DATA.md §3 bidang_pelatihan) and the words that name them. A word matches a whole word of the
# text, also with -nya, -an or -kan after it ("jahit" matches "jahitan"); case does not matter. Extend freely.
FIELDS = ("Tata Boga", "Menjahit", "Pangkas Rambut", "Otomotif", "Las", "Pertanian/Hidroponik", "Perikanan",
          "Kerajinan", "Keagamaan", "Pendidikan Kesetaraan", "Kewirausahaan")
OTHER = "Lainnya / tidak disebut"
FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "Tata Boga": ("tata boga", "boga", "masak", "memasak", "kuliner", "kue", "roti", "katering", "catering",
                  "barista", "kopi", "keripik", "makanan"),
    "Menjahit": ("jahit", "menjahit", "penjahit", "konveksi", "busana", "bordir", "tailor"),
    "Pangkas Rambut": ("pangkas", "pangkas rambut", "cukur", "mencukur", "barber", "barbershop", "salon",
                       "potong rambut", "tata rambut"),
    "Otomotif": ("otomotif", "montir", "mekanik", "bengkel motor", "bengkel mobil", "servis motor",
                 "service motor", "reparasi motor"),
    "Las": ("las", "mengelas", "pengelasan", "welding", "tukang las"),
    "Pertanian/Hidroponik": ("pertanian", "tani", "bertani", "petani", "hidroponik", "kebun", "berkebun",
                             "perkebunan", "sayur"),
    "Perikanan": ("perikanan", "ikan", "nelayan", "tambak", "lele", "budidaya ikan"),
    "Kerajinan": ("kerajinan", "kriya", "anyam", "anyaman", "tapis", "ukir", "batik"),
    "Keagamaan": ("keagamaan", "agama", "mengaji", "ngaji", "pesantren", "santri", "tahfiz", "rohani", "quran",
                  "al-quran", "iqro"),
    "Pendidikan Kesetaraan": ("kesetaraan", "paket a", "paket b", "paket c", "kejar paket", "ijazah", "sekolah",
                              "pkbm"),
    "Kewirausahaan": ("wirausaha", "kewirausahaan", "berwirausaha", "usaha mandiri", "buka usaha", "modal usaha",
                      "umkm", "dagang", "berdagang", "jualan", "berjualan", "koperasi"),
}
_PATTERNS = {field: re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
                               + r")(?:nya|an|kan)?\b", re.IGNORECASE)
             for field, words in FIELD_WORDS.items()}
# a mention after "tidak/bukan/kurang/enggan" in the same clause is what the client does NOT want
_CLAUSE = re.compile(r"[,;.:!?()]|\b(?:tetapi|tapi|namun|melainkan|sedangkan)\b", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:tidak|tak|bukan|kurang|enggan)\b", re.IGNORECASE)

# Run categories whose field, when the run's name names none, is the partner's training field.
_FIELD_FROM_PARTNER = ("PELATIHAN_KERJA", "BIMBINGAN_KEMANDIRIAN")
_FIELD_FROM_CATEGORY = {"PENDIDIKAN_KESETARAAN": "Pendidikan Kesetaraan", "BIMBINGAN_KEAGAMAAN": "Keagamaan"}

JENIS_MITRA = {"LEMBAGA_PELATIHAN": "Lembaga Pelatihan (LPK/BLK)", "UMKM": "UMKM", "POKMAS": "Pokmas Lipas"}


def jenis_label(code) -> str:
    """A partner type code as words: 'LEMBAGA_SOSIAL' → 'Lembaga Sosial'."""
    return JENIS_MITRA.get(code) or fmt.code(code)


def fields_named(text: str | None, leave_out: tuple[str | None, ...] = ()) -> list[str]:
    """The training fields a text names, in FIELDS order; `leave_out` strings (a run's name) are removed first."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return []
    text = str(text)
    for part in leave_out:
        if part:
            text = re.sub(re.escape(str(part)), " ", text, flags=re.IGNORECASE)
    found = set()
    for clause in _CLAUSE.split(text):
        if not clause:
            continue
        for field, pattern in _PATTERNS.items():
            for match in pattern.finditer(clause):
                if not _NEGATION.search(clause[:match.start()]):
                    found.add(field)
    return [f for f in FIELDS if f in found]


def _fields_or_other(text, leave_out=()) -> list[str]:
    return fields_named(text, leave_out) or [OTHER]


# ------------------------------------------------------------------------------------------- SQL parts

_OFFICE = "(len($kode_bapas) = 0 or list_contains($kode_bapas, {a}.kode_bapas))"


def _active_on(alias: str, day: str) -> str:
    """SQL: the partner `alias` is active on `day` (status not false, PKS dates around the day when given)."""
    return (f"coalesce({alias}.status_aktif, true) and coalesce({alias}.tanggal_pks <= {day}, true) "
            f"and coalesce({alias}.berlaku_sampai >= {day}, true)")


_RUNS_IN_PERIOD = "r.kode_mitra is not null and r.tanggal_awal <= $akhir and r.tanggal_akhir >= $mulai"

_SCORECARD = f"""
with fk as (select * from v_klien k where {client_condition('k')}),
runs as (select * from v_program_rentang r where {_RUNS_IN_PERIOD}),
per_run as (select kode_bapas, kode_mitra, count(*) as program_periode from runs group by all),
enrolled as (
    select r.kode_bapas, r.kode_mitra,
           count(distinct c.no_register) as peserta,
           count(*) as terdaftar,
           count(*) filter (where c.selesai) as selesai
    from runs r
    join penyelesaian_program c using (kode_bapas, kode_program)
    join fk on fk.kode_bapas = c.kode_bapas and fk.no_register = c.no_register
    group by all
),
placed as (
    select kode_bapas, kode_mitra_penyalur as kode_mitra,
           count(*) filter (where status <> 'AKTIF' and tanggal_status between $mulai and $akhir)
               as penempatan_periode,
           count(*) as penempatan_total
    from fk
    where kode_mitra_penyalur is not null
    group by all
)
select
    m.kode_bapas, m.kode_mitra, m.nama_mitra, m.jenis_mitra, m.bidang, m.bidang_pelatihan,
    coalesce(m.bersertifikat, false) as bersertifikat, m.nomor_pks, m.berlaku_sampai,
    m.berlaku_sampai - d.tanggal_data as sisa_hari,
    m.kapasitas_per_angkatan, coalesce(m.status_aktif, true) as status_aktif,
    coalesce(pr.program_periode, 0) as program_periode,
    coalesce(e.peserta, 0) as peserta,
    coalesce(e.terdaftar, 0) as terdaftar,
    coalesce(e.selesai, 0) as selesai,
    e.selesai / nullif(e.terdaftar, 0) as tingkat_penyelesaian,
    coalesce(p.penempatan_periode, 0) as penempatan_periode,
    coalesce(p.penempatan_total, 0) as penempatan_total
from mitra m
cross join v_tanggal_data d
left join per_run pr using (kode_bapas, kode_mitra)
left join enrolled e using (kode_bapas, kode_mitra)
left join placed p using (kode_bapas, kode_mitra)
where {_OFFICE.format(a='m')}
order by peserta desc, m.nama_mitra, m.kode_bapas
"""

COUNTS = ("peserta", "terdaftar", "selesai", "penempatan_periode", "penempatan_total")


def scorecard(filters: Filters, viewer: Viewer, db_path: Path | None = None) -> pd.DataFrame:
    """One row per partner: identity, agreement, runs, participants, completion and placements in the period."""
    frame = db.frame(_SCORECARD, filters.params(), db_path)
    frame["jenis_mitra"] = frame["jenis_mitra"].map(jenis_label)
    frame["bidang"] = frame["bidang"].map(fmt.code)
    frame["berlaku_sampai"] = _dates(frame["berlaku_sampai"])
    frame["sisa_hari"] = frame["sisa_hari"].astype("Int64")
    frame["kapasitas_per_angkatan"] = frame["kapasitas_per_angkatan"].astype("Int64")
    for column in ("program_periode", *COUNTS):
        frame[column] = frame[column].astype("int64")
    frame["tingkat_penyelesaian"] = frame["tingkat_penyelesaian"].astype(float)
    if viewer.suppressed:
        frame = _suppress_partners(frame)
    return frame.reset_index(drop=True)


def _suppress_partners(frame: pd.DataFrame) -> pd.DataFrame:
    """The small-number rule over the partners (their total protected), per count; hidden rows sorted last."""
    labelled = frame.assign(_kunci=frame["kode_bapas"] + "|" + frame["kode_mitra"])  # one label per row
    out = suppress_long(labelled, "peserta", ["_kunci"], {"tingkat_penyelesaian": ["terdaftar", "selesai"]})
    for column in ("penempatan_periode", "penempatan_total"):
        out[column] = suppress_long(labelled, column, ["_kunci"])[column]
    # ranking rows by hidden values would tell how large they are: visible ones first, then hidden, by name
    out["_urut"] = out["peserta"].astype(float).fillna(-1)
    out = out.sort_values(["_urut", "nama_mitra"], ascending=[False, True], kind="stable")
    return out.drop(columns=["_kunci", "_urut"])


def _dates(series: pd.Series) -> pd.Series:
    """Timestamps as plain dates (None where empty)."""
    return pd.Series([None if pd.isna(v) else pd.Timestamp(v).date() for v in series], index=series.index,
                     dtype=object)


SCORECARD_LABELS = {
    "kode_bapas": "Kode Bapas", "kode_mitra": "Kode mitra", "nama_mitra": "Mitra", "jenis_mitra": "Jenis",
    "bidang": "Bidang", "bidang_pelatihan": "Bidang pelatihan", "bersertifikat": "Bersertifikat",
    "nomor_pks": "No. PKS", "berlaku_sampai": "PKS berlaku sampai", "sisa_hari": "Sisa hari PKS",
    "kapasitas_per_angkatan": "Kapasitas per angkatan", "status_aktif": "Status",
    "program_periode": "Angkatan", "peserta": "Peserta (orang)", "terdaftar": "Keikutsertaan",
    "selesai": "Selesai", "tingkat_penyelesaian": "% selesai", "penempatan_periode": "Penempatan periode",
    "penempatan_total": "Penempatan total",
}


def scorecard_for_download(frame: pd.DataFrame) -> pd.DataFrame:
    """The scorecard with Indonesian headers and words, hidden counts written «<10» (CSV/XLSX)."""
    out = frame.drop(columns=[HIDDEN_COL], errors="ignore").copy()
    hidden_rate = _hidden_rate(frame)
    out["bersertifikat"] = out["bersertifikat"].map({True: "Ya", False: "Tidak"})
    out["status_aktif"] = out["status_aktif"].map({True: "Aktif", False: "Tidak aktif"})
    for column in COUNTS:
        if out[column].isna().any():
            out[column] = [SMALL if pd.isna(v) else int(v) for v in out[column]]
    out["tingkat_penyelesaian"] = [
        "disembunyikan" if hide else (None if pd.isna(v) else round(float(v), 4))
        for v, hide in zip(out["tingkat_penyelesaian"], hidden_rate)]
    return out.rename(columns=SCORECARD_LABELS)


def _hidden_rate(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose completion rate was blanked by the small-number rule (not merely 0 ÷ 0)."""
    return (frame[["peserta", "terdaftar", "selesai"]].isna().any(axis=1)).to_numpy()


def partner_choices(frame: pd.DataFrame) -> dict[str, str]:
    """Scorecard rows, in the scorecard's order, as drill-down choices: 'kode_bapas|kode_mitra' → 'Nama (kode)'."""
    return {f"{b}|{k}": f"{n} ({k})" for b, k, n in zip(frame["kode_bapas"], frame["kode_mitra"], frame["nama_mitra"])}


# --------------------------------------------------------------------------------------- agreements

def agreement_alerts(filters: Filters, db_path: Path | None = None, days: int = 60) -> pd.DataFrame:
    """Active partners whose agreement (PKS) ends within `days` days of the data's as-of date or already ended."""
    frame = db.frame(f"""
        select m.kode_bapas, m.kode_mitra, m.nama_mitra, m.jenis_mitra, m.nomor_pks, m.berlaku_sampai,
               m.berlaku_sampai - d.tanggal_data as sisa_hari
        from mitra m, v_tanggal_data d
        where m.berlaku_sampai <= d.tanggal_data + to_days($hari)
          and coalesce(m.status_aktif, true)
          and {_OFFICE.format(a='m')}
        order by m.berlaku_sampai, m.nama_mitra""", {"hari": days, "kode_bapas": list(filters.kode_bapas)}, db_path)
    frame["jenis_mitra"] = frame["jenis_mitra"].map(jenis_label)
    frame["berlaku_sampai"] = _dates(frame["berlaku_sampai"])
    frame["sisa_hari"] = frame["sisa_hari"].astype("int64")
    frame["keadaan"] = [f"Sudah berakhir {-n} hari lalu, mitra masih tercatat aktif" if n < 0 else
                        ("Berakhir hari ini" if n == 0 else f"Berakhir dalam {n} hari") for n in frame["sisa_hari"]]
    return frame


def partner_counts(filters: Filters, db_path: Path | None = None, days: int = 60) -> dict[str, int]:
    """Partners on the as-of date: active, of them certified, agreements ending soon, ended but still active."""
    frame = db.frame(f"""
        select
            count(*) filter (where {_active_on('m', 'd.tanggal_data')}) as aktif,
            count(*) filter (where {_active_on('m', 'd.tanggal_data')} and m.bersertifikat) as bersertifikat,
            count(*) filter (where coalesce(m.status_aktif, true)
                and m.berlaku_sampai between d.tanggal_data and d.tanggal_data + to_days($hari)) as segera_berakhir,
            count(*) filter (where coalesce(m.status_aktif, true) and m.berlaku_sampai < d.tanggal_data)
                as sudah_berakhir
        from mitra m, v_tanggal_data d
        where {_OFFICE.format(a='m')}""", {"hari": days, "kode_bapas": list(filters.kode_bapas)}, db_path)
    return {k: int(v) for k, v in frame.iloc[0].items()}


# ----------------------------------------------------------------------------------------- coverage

def field_coverage(filters: Filters, viewer: Viewer, db_path: Path | None = None,
                   asked_from: str = "periode") -> pd.DataFrame:
    """One row per training field: active partners and runs offering it vs obstacle-log rows asking for it.

    `asked_from` is "periode" (log rows dated in the period) or "semua" (the whole log).
    """
    p = {"mulai": filters.mulai, "akhir": filters.akhir, "kode_bapas": list(filters.kode_bapas)}
    partners = db.frame(f"""
        select m.bidang_pelatihan
        from mitra m, v_tanggal_data d
        where {_active_on('m', 'least($akhir, d.tanggal_data)')} and {_OFFICE.format(a='m')}""", p, db_path)
    runs = db.frame(f"""
        select r.nama_program, r.kategori, m.bidang_pelatihan
        from v_program_rentang r
        left join mitra m using (kode_bapas, kode_mitra)
        where r.tanggal_awal <= $akhir and r.tanggal_akhir >= $mulai and {_OFFICE.format(a='r')}""", p, db_path)
    asked = db.frame(f"""
        select h.uraian, p.nama_program, m.nama_mitra
        from hambatan h
        left join program p on p.kode_bapas = h.kode_bapas and p.kode_program = h.kode_program
        left join mitra m on m.kode_bapas = h.kode_bapas and m.kode_mitra = h.kode_mitra
        where h.kategori = 'PROGRAM_TIDAK_SESUAI_MINAT'
          and ($semua or h.tanggal between $mulai and $akhir)
          and {_OFFICE.format(a='h')}""", {**p, "semua": asked_from == "semua"}, db_path)
    offered_partners = [f for text in partners["bidang_pelatihan"] for f in _fields_or_other(text)]
    offered_runs = [f for name, kategori, partner_field in runs.itertuples(index=False)
                    for f in _run_fields(name, kategori, partner_field)]
    wanted = [f for text, program, partner in asked.itertuples(index=False)
              for f in _fields_or_other(text, (program, partner))]
    labels = [*FIELDS, OTHER]
    frame = pd.DataFrame({
        "bidang_pelatihan": labels,
        "mitra_aktif": [offered_partners.count(f) for f in labels],
        "program_periode": [offered_runs.count(f) for f in labels],
        "diminta": [wanted.count(f) for f in labels],
    })
    if viewer.suppressed:
        frame = suppress_long(frame, "diminta", ["bidang_pelatihan"])
    return frame


def _run_fields(name, kategori, partner_field) -> list[str]:
    """A run's field: named in the run's name, else its category's, else (training runs) its partner's."""
    found = fields_named(name)
    if found:
        return found
    if kategori in _FIELD_FROM_CATEGORY:
        return [_FIELD_FROM_CATEGORY[kategori]]
    if kategori in _FIELD_FROM_PARTNER:
        return _fields_or_other(partner_field)
    return [OTHER]


# ------------------------------------------------------------------------------------ certification

def certified_share(filters: Filters, db_path: Path | None = None, quarters: int = 12) -> pd.DataFrame:
    """Active and certified partners at the end of each of the `quarters` quarters ending with the period."""
    as_of = db.frame("select tanggal_data from v_tanggal_data", None, db_path).iloc[0, 0]
    as_of = pd.Timestamp(as_of).date()
    last = min(filters.akhir, as_of)
    first_month = add_months(dt.date(last.year, 3 * ((last.month - 1) // 3) + 1, 1), -3 * (quarters - 1))
    ends = []
    for i in range(quarters):
        start = add_months(first_month, 3 * i)
        ends.append((start, min(add_months(start, 3) - dt.timedelta(days=1), last)))
    days = pd.DataFrame({"awal_triwulan": [s for s, _ in ends], "hari": [e for _, e in ends]})
    frame = db.frame(f"""
        select t.awal_triwulan, t.hari,
               count(m.kode_mitra) as aktif,
               count(m.kode_mitra) filter (where m.bersertifikat) as bersertifikat
        from (select unnest($awal) as awal_triwulan, unnest($hari) as hari) t
        left join mitra m on m.tanggal_pks is not null and {_active_on('m', 't.hari')} and {_OFFICE.format(a='m')}
        group by all
        order by t.hari""",
        {"awal": days["awal_triwulan"].tolist(), "hari": days["hari"].tolist(),
         "kode_bapas": list(filters.kode_bapas)}, db_path)
    frame["awal_triwulan"] = _dates(frame["awal_triwulan"])
    frame["hari"] = _dates(frame["hari"])
    for column in ("aktif", "bersertifikat"):
        frame[column] = frame[column].astype("int64")
    frame["belum_bersertifikat"] = frame["aktif"] - frame["bersertifikat"]
    frame["persen_bersertifikat"] = (frame["bersertifikat"] / frame["aktif"].replace(0, np.nan)).astype(float)
    frame.insert(0, "triwulan", [
        quarter_label(start) + ("" if day == add_months(start, 3) - dt.timedelta(days=1)
                                else f" (s.d. {day.day} {fmt.BULAN_SINGKAT[day.month]})")
        for start, day in zip(frame["awal_triwulan"], frame["hari"])])
    # quarters before the first recorded agreement say nothing
    started = frame["aktif"].gt(0).cummax()
    return frame[started].reset_index(drop=True)


def quarter_label(day: dt.date) -> str:
    """2026-07-01 → 'TW III 2026' (triwulan)."""
    return f"TW {('I', 'II', 'III', 'IV')[(day.month - 1) // 3]} {day.year}"


# -------------------------------------------------------------------------------------- drill-downs

def partner_runs(filters: Filters, viewer: Viewer, kode_bapas: str, kode_mitra: str,
                 db_path: Path | None = None) -> pd.DataFrame:
    """The partner's program runs in the period with participants and completion (no person-level data)."""
    frame = db.frame(f"""
        with fk as (select * from v_klien k where {client_condition('k')}),
        enrolled as (
            select c.kode_bapas, c.kode_program, count(*) as peserta, count(*) filter (where c.selesai) as selesai
            from penyelesaian_program c
            join fk on fk.kode_bapas = c.kode_bapas and fk.no_register = c.no_register
            group by all
        )
        select r.kode_program, r.nama_program, r.kategori, r.tanggal_mulai, r.tanggal_selesai, r.kuota,
               r.total_jam, coalesce(r.bersertifikat, false) as bersertifikat,
               coalesce(e.peserta, 0) as peserta, coalesce(e.selesai, 0) as selesai,
               e.selesai / nullif(e.peserta, 0) as tingkat_penyelesaian
        from v_program_rentang r
        left join enrolled e using (kode_bapas, kode_program)
        where r.kode_bapas = $mitra_bapas and r.kode_mitra = $mitra and {_RUNS_IN_PERIOD}
        order by r.tanggal_awal, r.kode_program""",
        {**filters.params(), "mitra_bapas": kode_bapas, "mitra": kode_mitra}, db_path)
    frame["kategori"] = frame["kategori"].map(fmt.code)
    frame["tanggal_mulai"] = _dates(frame["tanggal_mulai"])
    frame["tanggal_selesai"] = _dates(frame["tanggal_selesai"])
    for column in ("peserta", "selesai"):
        frame[column] = frame[column].astype("int64")
    frame["tingkat_penyelesaian"] = frame["tingkat_penyelesaian"].astype(float)
    if viewer.suppressed and not frame.empty:
        frame = suppress_long(frame, "peserta", ["kode_program"], {"tingkat_penyelesaian": "selesai"})
        # the runs add up to the partner's row of the scorecard: what is hidden there stays hidden here
        card = scorecard(filters, viewer, db_path)
        [partner] = card[(card["kode_bapas"] == kode_bapas) & (card["kode_mitra"] == kode_mitra)].to_dict("records")
        for run_col, partner_col in (("peserta", "terdaftar"), ("selesai", "selesai")):
            if pd.isna(partner[partner_col]):
                frame[run_col] = pd.array([pd.NA] * len(frame), dtype="Int64")
        frame.loc[frame[["peserta", "selesai"]].isna().any(axis=1), "tingkat_penyelesaian"] = np.nan
        frame[HIDDEN_COL] = frame["peserta"].isna()
    return frame


RUN_LABELS = {"nama_program": "Program", "tanggal_mulai": "Mulai", "tanggal_selesai": "Selesai",
              "peserta": "Peserta (orang)", "selesai": "Selesai (orang)",
              "tingkat_penyelesaian": "Tingkat penyelesaian",
              "kategori": "Kategori", "kuota": "Kuota", "total_jam": "Total jam", "bersertifikat": "Bersertifikat",
              "kode_program": "Kode program"}


def runs_for_display(frame: pd.DataFrame) -> pd.DataFrame:
    """A partner's runs as shown and downloaded: words, Indonesian dates, «<10» for hidden counts."""
    hidden = frame[["peserta", "selesai"]].isna().any(axis=1)
    out = frame[[c for c in RUN_LABELS if c in frame.columns]].copy()
    out["tanggal_mulai"] = out["tanggal_mulai"].map(fmt.date)
    out["tanggal_selesai"] = out["tanggal_selesai"].map(fmt.date)
    out["bersertifikat"] = out["bersertifikat"].map({True: "Ya", False: "Tidak"})
    out["total_jam"] = out["total_jam"].map(lambda v: fmt.number(v, 0 if pd.isna(v) or v == int(v) else 1))
    out["kuota"] = out["kuota"].map(fmt.number)
    for column in ("peserta", "selesai"):
        out[column] = [SMALL if pd.isna(v) else fmt.number(int(v)) for v in out[column]]
    out["tingkat_penyelesaian"] = ["disembunyikan" if h else fmt.percent(v)
                                   for v, h in zip(out["tingkat_penyelesaian"], hidden)]
    return out.rename(columns=RUN_LABELS)


_PARTICIPANT = """exists (
    select 1 from penyelesaian_program c
    join v_program_rentang r using (kode_bapas, kode_program)
    where c.kode_bapas = k.kode_bapas and c.no_register = k.no_register
      and r.kode_bapas = $mitra_bapas and r.kode_mitra = $mitra
      and r.tanggal_awal <= $akhir and r.tanggal_akhir >= $mulai)"""


def partner_participants(viewer: Viewer, filters: Filters, kode_bapas: str, kode_mitra: str,
                         db_path: Path | None = None) -> pd.DataFrame:
    """The clients behind a partner's participant count, as the role allows (AccessDenied for aggregate roles)."""
    rows = people.clients(viewer, filters, _PARTICIPANT, {"mitra_bapas": kode_bapas, "mitra": kode_mitra}, db_path)
    for column in ("program_integrasi", "status", "status_pekerjaan"):
        rows[column] = rows[column].map(fmt.code)
    rows["tanggal_mulai_bimbingan"] = _dates(rows["tanggal_mulai_bimbingan"]).map(fmt.date)
    return rows.rename(columns=PERSON_LABELS)


PERSON_LABELS = {"no_register": "No. Register", "nama": "Nama", "pseudonim": "Pseudonim",
                 "program_integrasi": "Program integrasi", "kategori_pidana": "Kategori pidana",
                 "kecamatan": "Kecamatan", "pk_nama": "PK", "tanggal_mulai_bimbingan": "Mulai bimbingan",
                 "status": "Status", "status_pekerjaan": "Status pekerjaan"}
