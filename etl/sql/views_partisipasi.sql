-- Views of the "Partisipasi & Kesejahteraan" page (DATA.md §7 partisipasi, penyelesaian, kesejahteraan).

-- one row per client per month per activity group in which the client, active that month (v_klien_rentang),
-- attended (HADIR/TERLAMBAT) at least once; wajib lapor and home visits are not program activities
create or replace view v_partisipasi_kegiatan_bulanan as
with attended as (
    select
        kode_bapas, no_register,
        date_trunc('month', tanggal)::date as bulan,
        case jenis_kegiatan
            when 'BIMBINGAN_KEPRIBADIAN' then 'KEPRIBADIAN'
            when 'BIMBINGAN_KEMANDIRIAN' then 'KEMANDIRIAN'
            when 'PELATIHAN_KERJA' then 'KEMANDIRIAN'
            when 'BIMBINGAN_KEAGAMAAN' then 'KEAGAMAAN'
            when 'PENDIDIKAN_KESETARAAN' then 'PENDIDIKAN_KESETARAAN'
            when 'SEMINAR_PENYULUHAN' then 'SEMINAR_PENYULUHAN'
            else 'LAINNYA'
        end as kelompok_kegiatan,
        coalesce(durasi_jam, 0) as durasi_jam
    from kehadiran
    where jenis_kegiatan not in ('WAJIB_LAPOR', 'KUNJUNGAN_RUMAH')
      and status_hadir in ('HADIR', 'TERLAMBAT')
)
select
    a.kode_bapas, a.no_register, a.bulan, a.kelompok_kegiatan,
    count(*) as kegiatan_hadir,
    sum(a.durasi_jam) as jam_hadir
from attended a
join v_klien_rentang r using (kode_bapas, no_register)  -- a row per case, not per month: the per-office rebuild
where a.bulan between r.awal and r.akhir                -- reads this side whole (a filter reaches one side only)
group by all;

-- one row per client per program run the client attended (at least one HADIR/TERLAMBAT session)
create or replace view v_ikut_program as
select
    h.kode_bapas, h.no_register, h.kode_program,
    coalesce(any_value(p.kategori), any_value(h.jenis_kegiatan)) as kategori,
    any_value(p.kode_mitra) as kode_mitra,
    min(h.tanggal) as pertama_hadir,
    count(distinct h.tanggal) as sesi_hadir
from kehadiran h
left join program p using (kode_bapas, kode_program)
where h.kode_program is not null
  and h.status_hadir in ('HADIR', 'TERLAMBAT')
group by h.kode_bapas, h.no_register, h.kode_program;

-- one row per case: did the client attend a program activity in the first 6 months of guidance
-- (any non-wajib-lapor activity, and, narrower, a session of a program run)
create or replace view v_kohort_partisipasi as
with early as (
    select
        h.kode_bapas, h.no_register,
        count(*) > 0 as ikut_kegiatan,
        count(*) filter (where h.kode_program is not null) > 0 as ikut_program
    from kehadiran h
    join klien k using (kode_bapas, no_register)
    where h.jenis_kegiatan not in ('WAJIB_LAPOR', 'KUNJUNGAN_RUMAH')
      and h.status_hadir in ('HADIR', 'TERLAMBAT')
      and h.tanggal >= k.tanggal_mulai_bimbingan
      and h.tanggal < k.tanggal_mulai_bimbingan + to_months(6)
    group by all
)
select
    k.kode_bapas, k.no_register,
    coalesce(e.ikut_kegiatan, false) as ikut_kegiatan_6_bulan,
    coalesce(e.ikut_program, false) as ikut_program_6_bulan
from klien k
left join early e using (kode_bapas, no_register)
where k.tanggal_mulai_bimbingan is not null;
