-- Views of the Mitra page (partners). Each view states its grain on its first line.

-- one row per program run: its partner and the span it ran (the run's own dates, else its attendance dates)
create or replace view v_program_rentang as
with seen as (
    select kode_bapas, kode_program, min(tanggal) as hadir_pertama, max(tanggal) as hadir_terakhir
    from kehadiran
    where kode_program is not null
    group by all
)
select
    p.kode_bapas, p.kode_program, p.nama_program, p.kategori, p.kode_mitra,
    p.tanggal_mulai, p.tanggal_selesai, p.kuota, p.total_jam, p.bersertifikat,
    coalesce(p.tanggal_mulai, s.hadir_pertama, p.tanggal_selesai) as tanggal_awal,
    coalesce(p.tanggal_selesai, s.hadir_terakhir, p.tanggal_mulai) as tanggal_akhir
from program p
left join seen s using (kode_bapas, kode_program);
