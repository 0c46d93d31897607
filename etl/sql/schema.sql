-- Tables of DATA.md §1–§5. Natural keys are documented, not declared (NULL-safe upsert in etl/load.py).

-- one row per client supervision case; natural key (kode_bapas, no_register)
create table if not exists klien (
    kode_bapas VARCHAR,
    no_register VARCHAR,
    nik VARCHAR(16),
    nama VARCHAR,
    jenis_kelamin VARCHAR,
    tanggal_lahir DATE,
    umur_saat_mulai INTEGER,
    agama VARCHAR,
    pendidikan VARCHAR,
    pekerjaan_awal VARCHAR,
    kecamatan VARCHAR,
    kabupaten_kota VARCHAR,
    tindak_pidana VARCHAR,
    kategori_pidana VARCHAR,
    pasal VARCHAR,
    lama_pidana_bulan INTEGER,
    jumlah_pidana_sebelumnya INTEGER,
    program_integrasi VARCHAR,
    dasar_hukum VARCHAR,
    asal_upt VARCHAR,
    tanggal_mulai_bimbingan DATE,
    tanggal_akhir_bimbingan DATE,
    pk_nama VARCHAR,
    pk_nip VARCHAR(18),
    skor_rri INTEGER,
    kategori_rri VARCHAR,
    status VARCHAR,
    tanggal_status DATE,
    jenis_pelanggaran VARCHAR,
    residivis BOOLEAN,
    tanggal_residivis DATE,
    status_pekerjaan VARCHAR,
    kode_mitra_penyalur VARCHAR,
    penghasilan_bulanan BIGINT,
    sumber_file VARCHAR,
    sumber_sheet VARCHAR,
    sumber_baris BIGINT,
    dimuat_pada TIMESTAMP,
    id_muat BIGINT
);

-- one row per partner; natural key (kode_bapas, kode_mitra)
create table if not exists mitra (
    kode_bapas VARCHAR,
    kode_mitra VARCHAR,
    nama_mitra VARCHAR,
    jenis_mitra VARCHAR,
    bidang VARCHAR,
    bidang_pelatihan VARCHAR,
    bersertifikat BOOLEAN,
    nomor_pks VARCHAR,
    tanggal_pks DATE,
    berlaku_sampai DATE,
    kecamatan VARCHAR,
    kabupaten_kota VARCHAR,
    kapasitas_per_angkatan INTEGER,
    status_aktif BOOLEAN,
    kontak VARCHAR,
    sumber_file VARCHAR,
    sumber_sheet VARCHAR,
    sumber_baris BIGINT,
    dimuat_pada TIMESTAMP,
    id_muat BIGINT
);

-- one row per program run; natural key (kode_bapas, kode_program)
create table if not exists program (
    kode_bapas VARCHAR,
    kode_program VARCHAR,
    nama_program VARCHAR,
    kategori VARCHAR,
    kode_mitra VARCHAR,
    tanggal_mulai DATE,
    tanggal_selesai DATE,
    kuota INTEGER,
    total_jam DOUBLE,
    bersertifikat BOOLEAN,
    sumber_file VARCHAR,
    sumber_sheet VARCHAR,
    sumber_baris BIGINT,
    dimuat_pada TIMESTAMP,
    id_muat BIGINT
);

-- one row per client per scheduled activity; natural key (kode_bapas, no_register, tanggal, jenis_kegiatan, kode_program)
create table if not exists kehadiran (
    kode_bapas VARCHAR,
    no_register VARCHAR,
    tanggal DATE,
    jenis_kegiatan VARCHAR,
    kode_program VARCHAR,
    bentuk VARCHAR,
    status_hadir VARCHAR,
    alasan VARCHAR,
    durasi_jam DOUBLE,
    petugas VARCHAR,
    kategori_hambatan VARCHAR,
    sumber_file VARCHAR,
    sumber_sheet VARCHAR,
    sumber_baris BIGINT,
    dimuat_pada TIMESTAMP,
    id_muat BIGINT
);

-- one row per budget line (year, month, account, program, description); natural key (kode_bapas, tahun_anggaran, bulan, kode_akun, kode_program, uraian)
create table if not exists anggaran (
    kode_bapas VARCHAR,
    tahun_anggaran INTEGER,
    bulan INTEGER,
    kode_akun VARCHAR,
    uraian_akun VARCHAR,
    kode_program VARCHAR,
    uraian VARCHAR,
    pagu BIGINT,
    rencana BIGINT,
    realisasi BIGINT,
    melebihi_pagu BOOLEAN,
    sumber_file VARCHAR,
    sumber_sheet VARCHAR,
    sumber_baris BIGINT,
    dimuat_pada TIMESTAMP,
    id_muat BIGINT
);

-- one row per logged obstacle; natural key (kode_bapas, tanggal, kategori, uraian, no_register, kode_program, kode_mitra)
create table if not exists hambatan (
    kode_bapas VARCHAR,
    tanggal DATE,
    faktor VARCHAR,
    sumber VARCHAR,
    kategori VARCHAR,
    uraian VARCHAR,
    kode_program VARCHAR,
    kode_mitra VARCHAR,
    no_register VARCHAR,
    tindak_lanjut VARCHAR,
    status VARCHAR,
    dilaporkan_oleh VARCHAR,
    sumber_file VARCHAR,
    sumber_sheet VARCHAR,
    sumber_baris BIGINT,
    dimuat_pada TIMESTAMP,
    id_muat BIGINT
);
-- Rows replaced by a load (kept so a load run can be undone); one row per replaced row
create table if not exists klien_arsip as select *, null::bigint as diganti_oleh_muat from klien where false;
create table if not exists mitra_arsip as select *, null::bigint as diganti_oleh_muat from mitra where false;
create table if not exists program_arsip as select *, null::bigint as diganti_oleh_muat from program where false;
create table if not exists kehadiran_arsip as select *, null::bigint as diganti_oleh_muat from kehadiran where false;
create table if not exists anggaran_arsip as select *, null::bigint as diganti_oleh_muat from anggaran where false;
create table if not exists hambatan_arsip as select *, null::bigint as diganti_oleh_muat from hambatan where false;

-- one row per database-wide value the stored tables were last built with (etl/load.py WHOLE_DB_INPUTS): a load
-- that changes one rebuilds the tables depending on it for every office, not only for the offices it touched
create table if not exists masukan_tersimpan (
    nama VARCHAR,
    nilai VARCHAR
);

-- one row per file and sheet of a load run
create table if not exists muat_run (
    id_muat BIGINT,
    sumber_file VARCHAR,
    sumber_sheet VARCHAR,
    jenis_data VARCHAR,
    sha256 VARCHAR,
    status VARCHAR,            -- loaded | rejected (as in `etl load --json`)
    baris_dibaca BIGINT,
    baris_dimuat BIGINT,
    baris_ditolak BIGINT,
    jumlah_peringatan BIGINT,
    baris_baru BIGINT,         -- rows inserted (new natural key)
    baris_diperbarui BIGINT,   -- rows that replaced an existing row with the same natural key
    keterangan VARCHAR,        -- the reason a file was rejected whole
    pengguna VARCHAR,
    mulai TIMESTAMP,
    selesai TIMESTAMP,
    dibatalkan_pada TIMESTAMP,  -- set when the whole run was undone (etl.load.undo_run)
    dibatalkan_oleh VARCHAR
);
-- databases built before undo existed
alter table muat_run add column if not exists dibatalkan_pada TIMESTAMP;
alter table muat_run add column if not exists dibatalkan_oleh VARCHAR;

-- one row per rejection reason of a rejected row (a row with two bad cells has two rows)
create table if not exists baris_ditolak (
    id_muat BIGINT,
    sumber_file VARCHAR,
    sumber_sheet VARCHAR,
    jenis_data VARCHAR,
    baris BIGINT,              -- Excel row number (CSV: line number, header = 1); null: the whole file
    kolom VARCHAR,             -- the header as written in the sheet
    nilai VARCHAR,
    alasan VARCHAR
);

-- one row per warning (a value dropped with its row kept, an unknown column, ...)
create table if not exists peringatan_muat (
    id_muat BIGINT,
    sumber_file VARCHAR,
    sumber_sheet VARCHAR,
    jenis_data VARCHAR,
    baris BIGINT,
    kolom VARCHAR,
    nilai VARCHAR,
    pesan VARCHAR
);

-- DATA.md §6: absence reason keywords → obstacle category, first match in `urutan` wins.
-- Analysts may add rows; the next load of an attendance file uses them.
create table if not exists peta_alasan (
    urutan INTEGER,
    kata_kunci VARCHAR,
    kategori_hambatan VARCHAR
);

-- DATA.md §6: obstacle categories with their factor and label
create table if not exists kategori_hambatan (
    kode VARCHAR,
    faktor VARCHAR,
    label VARCHAR
);

-- settings the metric views read (e.g. the completion threshold of DATA.md §7)
create table if not exists pengaturan (
    nama VARCHAR,
    nilai DOUBLE,
    keterangan VARCHAR
);
