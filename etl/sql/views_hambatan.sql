-- Views of the Hambatan page (DATA.md §6, §7 "Hambatan"). Each view states its grain on its first line.

-- one row per obstacle occurrence (log row or mapped absence reason, kept apart by sumber_data), with its
-- quarter and the names of its program and partner; a log row without a category counts as LAINNYA, a log row
-- without a partner takes the partner that runs its program
create or replace view v_hambatan_rinci as
with occurrences as (
    select
        g.kode_bapas, g.tanggal, g.sumber_data,
        coalesce(g.kategori, 'LAINNYA') as kategori,
        g.faktor, g.kode_program, g.kode_mitra, g.no_register, g.status
    from v_hambatan_gabungan g
)
select
    o.kode_bapas,
    o.tanggal,
    date_trunc('quarter', o.tanggal)::date as triwulan,
    o.sumber_data,
    o.kategori,
    o.faktor,
    o.kode_program,
    p.nama_program,
    coalesce(o.kode_mitra, p.kode_mitra) as kode_mitra,
    m.nama_mitra,
    o.no_register,
    o.status
from occurrences o
left join program p on p.kode_bapas = o.kode_bapas and p.kode_program = o.kode_program
left join mitra m on m.kode_bapas = o.kode_bapas and m.kode_mitra = coalesce(o.kode_mitra, p.kode_mitra);
