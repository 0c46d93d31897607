-- Metric definitions of DATA.md §7 as views. Each view states its grain on its first line.

-- one row: the as-of date of the data (the latest attendance date, else the latest case start)
create or replace view v_tanggal_data as
select coalesce(
    (select max(tanggal) from kehadiran),
    (select max(tanggal_mulai_bimbingan) from klien),
    current_date
) as tanggal_data;

-- one row per setting, with defaults for the ones not set
create or replace view v_pengaturan as
with defaults(nama, nilai, keterangan) as (
    values ('ambang_penyelesaian', 0.75, 'bagian sesi yang dihadiri agar program dihitung selesai')
)
select d.nama, coalesce(p.nilai, d.nilai) as nilai, d.keterangan
from defaults d
left join pengaturan p using (nama);

-- one row per office, budget year, account and program: ceiling vs monthly realisation
create or replace view v_anggaran_pagu as
select
    kode_bapas,
    tahun_anggaran,
    kode_akun,
    kode_program,
    sum(pagu) filter (where bulan is null) as pagu,
    sum(rencana) filter (where bulan is not null) as rencana,
    sum(realisasi) filter (where bulan is not null) as realisasi,
    coalesce(sum(realisasi) filter (where bulan is not null) > sum(pagu) filter (where bulan is null), false)
        as melebihi_pagu
from anggaran
group by all;

-- one row per office, budget year and month: plan vs realisation (IKPA "deviasi Halaman III DIPA")
create or replace view v_anggaran_bulanan as
with monthly as (
    select kode_bapas, tahun_anggaran, bulan, sum(rencana) as rencana, sum(realisasi) as realisasi
    from anggaran
    where bulan is not null
    group by all
)
select
    *,
    realisasi - rencana as selisih,
    case when rencana > 0 then abs(realisasi - rencana) / rencana end as deviasi
from monthly;

-- one row per client supervision case, with the derived fields the pages use
create or replace view v_klien as
with base as (
    select
        k.*,
        case when k.status is not null and k.status <> 'AKTIF' then k.tanggal_status
             else k.tanggal_akhir_bimbingan end as tanggal_akhir_efektif,
        case
            when k.status = 'SELESAI' then 'berhasil'
            when k.status in ('MENINGGAL', 'PINDAH') then 'netral'
            when k.status in ('DICABUT', 'BURON') then 'tidak berhasil'
        end as hasil_pengakhiran,
        k.status_pekerjaan in ('BEKERJA', 'USAHA_MANDIRI') as sejahtera,
        case
            when k.umur_saat_mulai is null then null
            when k.umur_saat_mulai < 25 then '<25'
            when k.umur_saat_mulai <= 45 then '25–45'
            else '>45'
        end as kelompok_umur
    from klien k
)
select * from base;

-- one row per client per month with wajib lapor due: attended, on time, late, excused, missed
create or replace view v_wajib_lapor_bulanan as
select
    kode_bapas,
    no_register,
    date_trunc('month', tanggal)::date as bulan,
    count(*) as wajib,
    count(*) filter (where status_hadir in ('HADIR', 'TERLAMBAT')) as hadir,
    count(*) filter (where status_hadir = 'HADIR') as tepat_waktu,
    count(*) filter (where status_hadir = 'TERLAMBAT') as terlambat,
    count(*) filter (where status_hadir = 'IZIN') as izin,
    count(*) filter (where status_hadir = 'TIDAK_HADIR') as tidak_hadir
from kehadiran
where jenis_kegiatan = 'WAJIB_LAPOR'
group by all;

-- one row per client: longest and current (latest) run of consecutive missed wajib lapor
-- (one window over the reports, partitioned by office, so that a filter on kode_bapas reaches the scan: the
-- per-office rebuild in etl/load.py). A run of missed reports shares the number of reports not missed before it.
create or replace view v_mangkir_beruntun as
with reports as (
    select
        kode_bapas, no_register, status_hadir = 'TIDAK_HADIR' as mangkir,
        count(*) filter (where status_hadir is distinct from 'TIDAK_HADIR') over (
            partition by kode_bapas, no_register order by tanggal, status_hadir rows unbounded preceding) as run_id
    from kehadiran
    where jenis_kegiatan = 'WAJIB_LAPOR'
),
runs as (
    select kode_bapas, no_register, run_id, count(*) filter (where mangkir) as panjang
    from reports
    group by all
)
select
    kode_bapas,
    no_register,
    max(panjang) as mangkir_terpanjang,
    arg_max(panjang, run_id) as mangkir_saat_ini  -- the run the latest report belongs to (0 if it was not missed)
from runs
group by all;

-- one row per case active in at least one calendar month: its first and last month (DATA.md §7 "Klien aktif");
-- the last is that of the as-of date for a case still open
create or replace view v_klien_rentang as
with spans as (
    select
        kode_bapas, no_register,
        date_trunc('month', tanggal_mulai_bimbingan)::date as awal,
        date_trunc('month', least(coalesce(tanggal_akhir_efektif, (select tanggal_data from v_tanggal_data)),
                                  (select tanggal_data from v_tanggal_data)))::date as akhir
    from v_klien
    where tanggal_mulai_bimbingan is not null
)
select * from spans
where akhir >= awal;

-- one row per office and calendar month that its attendance records cover (at least one row of any activity):
-- participation and «no activity» are judged only there (analytics.filters.recorded_months)
create or replace view v_bulan_tercatat as
select distinct kode_bapas, date_trunc('month', tanggal)::date as bulan
from kehadiran;

-- one row per client per calendar month in which the case was active (DATA.md §7 "Klien aktif")
create or replace view v_klien_bulan as
select kode_bapas, no_register, unnest(generate_series(awal, akhir, interval 1 month))::date as bulan
from v_klien_rentang;

-- one row per active client per month: took part in a non-wajib-lapor activity, hours attended
-- (one aggregate over the active months and the attendance, not a join, so that a filter on kode_bapas reaches
-- both: the per-office rebuild in etl/load.py)
create or replace view v_partisipasi_bulanan as
with months as (
    select kode_bapas, no_register, bulan, false as hadir, 0 as durasi_jam
    from v_klien_bulan
    union all
    select kode_bapas, no_register, date_trunc('month', tanggal)::date, true, coalesce(durasi_jam, 0)
    from kehadiran
    where jenis_kegiatan not in ('WAJIB_LAPOR', 'KUNJUNGAN_RUMAH')
      and status_hadir in ('HADIR', 'TERLAMBAT')
)
select
    kode_bapas, no_register, bulan,
    bool_or(hadir) as ikut_program,
    sum(durasi_jam) as jam_hadir
from months
group by all
having bool_or(not hadir);  -- active that month

-- one row per client per program run: sessions of the run, sessions attended, completed or not
create or replace view v_penyelesaian_program as
with sessions as (
    select kode_bapas, kode_program, count(distinct tanggal) as sesi_program
    from kehadiran
    where kode_program is not null
    group by all
),
per_client as (
    select
        kode_bapas, kode_program, no_register,
        count(distinct tanggal) filter (where status_hadir in ('HADIR', 'TERLAMBAT')) as sesi_hadir,
        sum(durasi_jam) filter (where status_hadir in ('HADIR', 'TERLAMBAT')) as jam_hadir
    from kehadiran
    where kode_program is not null
    group by all
)
select
    c.*,
    s.sesi_program,
    c.sesi_hadir >= (select nilai from v_pengaturan where nama = 'ambang_penyelesaian') * s.sesi_program
        as selesai
from per_client c
join sessions s using (kode_bapas, kode_program);

-- one row per program run: enrolled, completers, completion rate, hours attended
create or replace view v_program_ringkasan as
select
    p.kode_bapas, p.kode_program, p.nama_program, p.kategori, p.kode_mitra,
    p.tanggal_mulai, p.tanggal_selesai, p.kuota, p.total_jam,
    count(c.no_register) as peserta,
    count(c.no_register) filter (where c.selesai) as selesai,
    count(c.no_register) filter (where c.selesai) / nullif(count(c.no_register), 0) as tingkat_penyelesaian,
    coalesce(sum(c.jam_hadir), 0) as jam_hadir
from program p
left join v_penyelesaian_program c using (kode_bapas, kode_program)
group by all;

-- one row per obstacle occurrence, from the obstacle log and from mapped absence reasons (kept apart)
create or replace view v_hambatan_gabungan as
select
    h.kode_bapas, h.tanggal, 'Log hambatan' as sumber_data, h.kategori,
    coalesce(h.faktor, kh.faktor) as faktor, h.kode_program, h.kode_mitra, h.no_register, h.status
from hambatan h
left join kategori_hambatan kh on kh.kode = h.kategori
union all
select
    k.kode_bapas, k.tanggal, 'Alasan ketidakhadiran' as sumber_data, k.kategori_hambatan,
    kh.faktor, k.kode_program, null, k.no_register, null
from kehadiran k
left join kategori_hambatan kh on kh.kode = k.kategori_hambatan
where k.kategori_hambatan is not null;

-- one row per case: observed re-offending and failure (re-offence or revocation) within 12/24/36 months
create or replace view v_residivisme as
select
    k.kode_bapas, k.no_register, k.tanggal_mulai_bimbingan,
    h.bulan as horizon_bulan,
    k.tanggal_mulai_bimbingan + to_months(h.bulan) <= d.tanggal_data as teramati_penuh,
    coalesce(k.residivis and k.tanggal_residivis < k.tanggal_mulai_bimbingan + to_months(h.bulan), false)
        as residivis,
    coalesce(k.residivis and k.tanggal_residivis < k.tanggal_mulai_bimbingan + to_months(h.bulan), false)
      or coalesce(k.status = 'DICABUT' and k.tanggal_status < k.tanggal_mulai_bimbingan + to_months(h.bulan), false)
        as gagal
from klien k
cross join (values (12), (24), (36)) h(bulan)
cross join v_tanggal_data d
where k.tanggal_mulai_bimbingan is not null;

-- one row per PK: clients active on the as-of date (Rasio beban PK = active clients ÷ PK with a caseload)
create or replace view v_beban_pk as
select
    k.kode_bapas, k.pk_nip, any_value(k.pk_nama) as pk_nama,
    count(*) as klien_aktif
from v_klien k, v_tanggal_data d
where k.tanggal_mulai_bimbingan <= d.tanggal_data
  and (k.tanggal_akhir_efektif is null or k.tanggal_akhir_efektif >= d.tanggal_data)
  and (k.pk_nip is not null or k.pk_nama is not null)
group by all;
