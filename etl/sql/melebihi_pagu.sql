-- DATA.md §4: flag every budget row of a (year, account, program) whose monthly realisation exceeds its pagu
update anggaran a
set melebihi_pagu = g.melebihi_pagu
from v_anggaran_pagu g
where a.kode_bapas = g.kode_bapas
  and a.tahun_anggaran = g.tahun_anggaran
  and a.kode_akun = g.kode_akun
  and a.kode_program is not distinct from g.kode_program
  and a.melebihi_pagu is distinct from g.melebihi_pagu;
