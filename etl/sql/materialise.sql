-- Views too costly to compute on every page view at national scale, stored as tables by each load
-- (inside the load's transaction) and read by analytics/ instead of the view. Same rows as the view.

-- one row per client: longest and current run of consecutive missed wajib lapor (v_mangkir_beruntun)
create or replace table mangkir_beruntun as select * from v_mangkir_beruntun;

-- one row per client per calendar month in which the case was active (v_klien_bulan), in month order so
-- that a period filter reads only the row groups of its months
create or replace table klien_bulan as select * from v_klien_bulan order by bulan, kode_bapas, no_register;

-- one row per client per month with wajib lapor due (v_wajib_lapor_bulanan)
create or replace table wajib_lapor_bulanan as
select * from v_wajib_lapor_bulanan order by bulan, kode_bapas, no_register;

-- one row per active client per month: took part or not, hours (v_partisipasi_bulanan)
create or replace table partisipasi_bulanan as
select * from v_partisipasi_bulanan order by bulan, kode_bapas, no_register;

-- one row per client, month and activity group attended (v_partisipasi_kegiatan_bulanan)
create or replace table partisipasi_kegiatan_bulanan as
select * from v_partisipasi_kegiatan_bulanan order by bulan, kode_bapas, no_register;

-- one row per client per program run: sessions, sessions attended, completed or not (v_penyelesaian_program)
create or replace table penyelesaian_program as
select * from v_penyelesaian_program order by kode_bapas, kode_program, no_register;

-- one row per client per program run attended (v_ikut_program)
create or replace table ikut_program as select * from v_ikut_program order by kode_bapas, no_register;

-- one row per case: took part in the first 6 months of guidance or not (v_kohort_partisipasi)
create or replace table kohort_partisipasi as select * from v_kohort_partisipasi order by kode_bapas, no_register;
