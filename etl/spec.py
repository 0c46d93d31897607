"""The data dictionary of DATA.md as Python: kinds, fields, accepted headers and vocabularies."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field as dc_field

# Value parsers a field can use (see etl/parse.py).
TEXT, CODE, DATE, MONEY, INT, DOUBLE, BOOL, NIK, NIP, REGISTER, MONTHS, VOCAB, MONTH, YEAR, AKUN, TTL = (
    "text", "code", "date", "money", "int", "double", "bool", "nik", "nip", "register", "months",
    "vocab", "month", "year", "akun", "ttl",
)


@dataclass(frozen=True)
class Field:
    """One column of a table and the spreadsheet headers that fill it."""

    name: str
    parser: str
    headers: tuple[str, ...] = ()
    vocab: str | None = None
    label: str = ""

    @property
    def accepted(self) -> tuple[str, ...]:
        return (self.name, *self.headers)


@dataclass(frozen=True)
class Kind:
    """A kind of spreadsheet: its table, fields, natural key and required columns."""

    name: str
    table: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]
    required: tuple[str, ...]
    required_any: tuple[tuple[str, ...], ...] = ()
    title: str = ""
    depends_on: tuple[str, ...] = dc_field(default_factory=tuple)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def normalise_header(text: object) -> str:
    """Header as compared: lower-case, a bracketed unit dropped, only letters and digits kept."""
    if text is None:
        return ""
    s = str(text).lower()
    s = re.sub(r"\([^)]*\)", " ", s)
    return re.sub(r"[^0-9a-z]+", "", s)


def normalise_code(text: str) -> str:
    """Vocabulary value as compared: upper-case, spaces and punctuation turned into single underscores."""
    return re.sub(r"[^0-9A-Z]+", "_", str(text).upper()).strip("_")


KODE_BAPAS = Field("kode_bapas", CODE, ("Kode Bapas", "Kode UPT"))

# --------------------------------------------------------------------------------------------------
# Vocabularies: code -> synonyms (the code itself and its label always match too).
VOCABULARIES: dict[str, dict[str, tuple[str, ...]]] = {
    "jenis_kelamin": {
        "L": ("Laki-laki", "Laki laki", "Lelaki", "Pria", "LK", "Lk"),
        "P": ("Perempuan", "Wanita", "PR", "Pr"),
    },
    "agama": {
        "Islam": ("Moslem", "Muslim"),
        "Kristen": ("Protestan", "Kristen Protestan", "Nasrani"),
        "Katolik": ("Katholik", "Kristen Katolik"),
        "Hindu": (),
        "Buddha": ("Budha", "Budhha"),
        "Konghucu": ("Khonghucu", "Kong Hu Cu"),
    },
    "pendidikan": {
        "Tidak Sekolah": ("Tidak Tamat SD", "Belum Sekolah", "TS"),
        "SD": ("SD/MI", "MI", "Sekolah Dasar"),
        "SMP": ("SLTP", "SMP/MTs", "MTs"),
        "SMA/SMK": ("SMA", "SMK", "SLTA", "MA", "SMA/MA", "STM"),
        "Diploma": ("D1", "D2", "D3", "D4", "DIII"),
        "S1+": ("S1", "S2", "S3", "Sarjana", "Strata 1", "Pascasarjana"),
    },
    "kategori_pidana": {
        "Narkotika": ("Narkoba",),
        "Pencurian": (),
        "Penipuan/Penggelapan": ("Penipuan", "Penggelapan"),
        "Penganiayaan/Kekerasan": ("Penganiayaan", "Kekerasan"),
        "Kesusilaan/Perlindungan Anak": ("Kesusilaan", "Perlindungan Anak", "Asusila"),
        "Korupsi": ("Tipikor",),
        "Pembunuhan": (),
        "Lalu Lintas": ("Lantas",),
        "Lainnya": ("Lain-lain", "Lain lain"),
    },
    "program_integrasi": {
        "PB": ("Pembebasan Bersyarat", "Bebas Bersyarat"),
        "CB": ("Cuti Bersyarat",),
        "CMB": ("Cuti Menjelang Bebas",),
        "ASIMILASI": ("Asimilasi di Rumah", "Asimilasi Rumah"),
        "PIB": ("Pidana Bersyarat",),
        "DIVERSI": (),
        "PIDANA_PENGAWASAN": ("Pidana Pengawasan",),
        "LAINNYA": ("Lain-lain", "Lainnya"),
    },
    "kategori_rri": {"Rendah": (), "Sedang": (), "Tinggi": ()},
    "status_klien": {
        "AKTIF": ("Aktif", "Masih Aktif", "Dalam Bimbingan"),
        "SELESAI": ("Selesai", "Bebas Murni", "Berakhir", "Selesai Bimbingan"),
        "DICABUT": ("Dicabut", "Pencabutan", "Cabut"),
        "MENINGGAL": ("Meninggal Dunia", "Wafat"),
        "PINDAH": ("Pindah Bapas", "Dipindahkan"),
        "BURON": ("DPO", "Melarikan Diri"),
    },
    "jenis_pelanggaran": {
        "TINDAK_PIDANA_BARU": ("Melakukan Tindak Pidana Baru", "Tindak Pidana Lagi", "Residivis"),
        "TIDAK_WAJIB_LAPOR": ("Tidak Melaksanakan Wajib Lapor", "Tidak Lapor", "Mangkir Wajib Lapor"),
        "PINDAH_TANPA_LAPOR": ("Pindah Tanpa Izin",),
        "TIDAK_IKUT_PROGRAM": ("Tidak Mengikuti Program", "Tidak Mengikuti Bimbingan"),
        "MERESAHKAN": ("Meresahkan Masyarakat",),
        "LAINNYA": ("Lain-lain",),
    },
    "status_pekerjaan": {
        "BELUM_BEKERJA": ("Tidak Bekerja", "Menganggur", "Belum"),
        "BEKERJA": ("Karyawan", "Buruh", "Pegawai", "Bekerja di Mitra"),
        "USAHA_MANDIRI": ("Wirausaha", "Wiraswasta", "Usaha Sendiri", "Usaha", "Mandiri"),
    },
    "jenis_kegiatan": {
        "WAJIB_LAPOR": ("Lapor Diri", "Wajib Lapor Diri"),
        "BIMBINGAN_KEPRIBADIAN": ("Kepribadian", "Pembinaan Kepribadian"),
        "BIMBINGAN_KEMANDIRIAN": ("Kemandirian", "Pembinaan Kemandirian"),
        "PELATIHAN_KERJA": ("Pelatihan", "Pelatihan Keterampilan", "Pelatihan Keterampilan Kerja"),
        "BIMBINGAN_KEAGAMAAN": ("Keagamaan", "Bimbingan Agama", "Pembinaan Keagamaan", "Pengajian"),
        "PENDIDIKAN_KESETARAAN": ("Pendidikan", "Kejar Paket", "Paket A", "Paket B", "Paket C"),
        "SEMINAR_PENYULUHAN": ("Seminar", "Penyuluhan", "Seminar/Penyuluhan", "Sosialisasi"),
        "KUNJUNGAN_RUMAH": ("Home Visit", "Kunjungan"),
    },
    "bentuk": {
        "TATAP_MUKA": ("Langsung", "Datang Langsung", "Luring", "Offline"),
        "DARING": ("Online", "Video Call", "WhatsApp", "WA"),
        "KUNJUNGAN_RUMAH": ("Home Visit", "Kunjungan"),
    },
    "status_hadir": {
        "HADIR": ("H", "Ya", "Hadir Tepat Waktu", "✓", "✔", "√", "V"),  # V: the tick typed as a letter
        "TERLAMBAT": ("Telat", "Hadir Terlambat"),
        "IZIN": ("Ijin", "I", "Sakit", "S", "Izin/Sakit"),
        "TIDAK_HADIR": ("Alpa", "Alpha", "Alfa", "A", "Mangkir", "Tidak", "Absen", "Tanpa Keterangan", "TH",
                        "Tdk Hadir", "Tidak Datang", "Bolos"),
    },
    "jenis_mitra": {
        "PERUSAHAAN": ("PT", "CV", "Perusahaan Swasta", "Badan Usaha"),
        "UMKM": ("Usaha Mikro", "Usaha Kecil", "Usaha Mikro Kecil Menengah"),
        "LEMBAGA_SOSIAL": ("Yayasan", "LSM", "Lembaga Sosial Kemasyarakatan", "Panti Rehabilitasi"),
        "LEMBAGA_KEAGAMAAN": ("Pondok Pesantren", "Ponpes", "Masjid", "Gereja", "Majelis Taklim"),
        "LEMBAGA_PELATIHAN": ("LPK", "BLK", "LPK/BLK", "Balai Latihan Kerja", "Lembaga Pelatihan Kerja"),
        "PERGURUAN_TINGGI": ("Universitas", "Kampus", "Perguruan Tinggi"),
        "INSTANSI_PEMERINTAH": ("Dinas", "Pemerintah Daerah", "Instansi", "Pemda"),
        "POKMAS": ("Pokmas Lipas", "Kelompok Masyarakat"),
    },
    "bidang": {
        "KEPRIBADIAN": ("Pembinaan Kepribadian",),
        "KEMANDIRIAN": ("Pembinaan Kemandirian",),
        "HUKUM_KEMASYARAKATAN": ("Hukum dan Kemasyarakatan", "Hukum", "Kemasyarakatan"),
    },
    "kategori_program": {},  # filled below from jenis_kegiatan
    "faktor": {"INTERNAL": ("Intern",), "EKSTERNAL": ("External", "Ekstern")},
    "sumber_hambatan": {
        "BAPAS": ("Internal Bapas", "Petugas", "PK"),
        "KLIEN": (),
        "KELUARGA": ("Penjamin",),
        "MITRA": ("Pokmas",),
        "MASYARAKAT": ("Lingkungan",),
    },
    "status_hambatan": {
        "TERBUKA": ("Belum Ditangani", "Open", "Baru"),
        "DITANGANI": ("Sedang Ditangani", "Proses", "Dalam Proses"),
        "SELESAI": ("Tuntas", "Ditutup", "Closed", "Sudah Ditangani"),
    },
}

# DATA.md §6: obstacle categories with their factor and label.
KATEGORI_HAMBATAN: dict[str, tuple[str | None, str]] = {
    "ANGGARAN_TERBATAS": ("INTERNAL", "Anggaran terbatas (transport/honor narasumber, konsumsi)"),
    "PROGRAM_TIDAK_SESUAI_MINAT": ("INTERNAL", "Program tidak sesuai minat atau kebutuhan klien"),
    "BEBAN_KERJA_PK": ("INTERNAL", "Beban kerja PK / SDM terbatas"),
    "JANGKAUAN_WILAYAH": ("INTERNAL", "Wilayah luas, sarana dinas terbatas"),
    "KLIEN_KURANG_SERIUS": ("EKSTERNAL", "Klien kurang serius / malas mengikuti bimbingan"),
    "KLIEN_TIDAK_TEPAT_WAKTU": ("EKSTERNAL", "Klien tidak tepat waktu"),
    "KLIEN_BEKERJA_LUAR_KOTA": ("EKSTERNAL", "Klien bekerja atau berada di luar kota"),
    "KELUARGA_TIDAK_MENDUKUNG": ("EKSTERNAL", "Keluarga/penjamin tidak mendukung"),
    "JARAK_BIAYA_TRANSPORT": ("EKSTERNAL", "Jarak jauh / biaya transportasi"),
    "MITRA_BELUM_BERSERTIFIKAT": ("EKSTERNAL", "Tempat pelatihan belum bersertifikat"),
    "MITRA_TERBATAS": ("EKSTERNAL", "Mitra yang bergabung masih sedikit"),
    "STIGMA_MASYARAKAT": ("EKSTERNAL", "Stigma masyarakat"),
    "SAKIT": ("EKSTERNAL", "Sakit"),
    "LAINNYA": (None, "Lainnya"),
}
VOCABULARIES["kategori_hambatan"] = {code: (label,) for code, (_, label) in KATEGORI_HAMBATAN.items()}
VOCABULARIES["kategori_program"] = {
    code: syns for code, syns in VOCABULARIES["jenis_kegiatan"].items()
    if code not in ("WAJIB_LAPOR", "KUNJUNGAN_RUMAH")
}

# DATA.md §6: absence reasons → category, in order, first match wins (seeded into `peta_alasan`).
PETA_ALASAN: tuple[tuple[str, str], ...] = (
    ("jauh", "JARAK_BIAYA_TRANSPORT"), ("ongkos", "JARAK_BIAYA_TRANSPORT"),
    ("biaya", "JARAK_BIAYA_TRANSPORT"), ("transport", "JARAK_BIAYA_TRANSPORT"),
    ("kerja", "KLIEN_BEKERJA_LUAR_KOTA"), ("luar kota", "KLIEN_BEKERJA_LUAR_KOTA"),
    ("merantau", "KLIEN_BEKERJA_LUAR_KOTA"),
    ("keluarga", "KELUARGA_TIDAK_MENDUKUNG"), ("istri", "KELUARGA_TIDAK_MENDUKUNG"),
    ("orang tua", "KELUARGA_TIDAK_MENDUKUNG"), ("tidak diizinkan", "KELUARGA_TIDAK_MENDUKUNG"),
    ("lupa", "KLIEN_KURANG_SERIUS"), ("malas", "KLIEN_KURANG_SERIUS"),
    ("tanpa keterangan", "KLIEN_KURANG_SERIUS"),
    ("sakit", "SAKIT"),
)

# DATA.md §1: offence keywords → kategori_pidana, in order, first match wins. Numbers match whole.
KATEGORI_PIDANA_KATA: tuple[tuple[str, str], ...] = (
    ("narkotika", "Narkotika"), ("narkoba", "Narkotika"), ("sabu", "Narkotika"),
    ("ganja", "Narkotika"), ("uu 35/2009", "Narkotika"), ("35 tahun 2009", "Narkotika"),
    ("curi", "Pencurian"), ("362", "Pencurian"), ("363", "Pencurian"),
    ("tipu", "Penipuan/Penggelapan"), ("nipu", "Penipuan/Penggelapan"), ("gelap", "Penipuan/Penggelapan"),
    ("372", "Penipuan/Penggelapan"), ("378", "Penipuan/Penggelapan"),
    ("aniaya", "Penganiayaan/Kekerasan"), ("kekerasan", "Penganiayaan/Kekerasan"),
    ("kdrt", "Penganiayaan/Kekerasan"), ("351", "Penganiayaan/Kekerasan"),
    ("cabul", "Kesusilaan/Perlindungan Anak"), ("perlindungan anak", "Kesusilaan/Perlindungan Anak"),
    ("81", "Kesusilaan/Perlindungan Anak"), ("82", "Kesusilaan/Perlindungan Anak"),
    ("korupsi", "Korupsi"), ("tipikor", "Korupsi"),
    ("bunuh", "Pembunuhan"), ("338", "Pembunuhan"), ("340", "Pembunuhan"),
    ("lalu lintas", "Lalu Lintas"), ("lantas", "Lalu Lintas"),
)

# Spelling variants of places (DATA.md §1), compared after normalise_header.
KECAMATAN_VARIAN: dict[str, str] = {
    "telukbetung": "Teluk Betung", "tanjungkarang": "Tanjung Karang", "sukarami": "Sukarame",
    "tanjungsenang": "Tanjung Senang", "labuhanratu": "Labuhan Ratu", "wayhalim": "Way Halim",
    "bumiwaras": "Bumi Waras", "tanjungbintang": "Tanjung Bintang", "jatiagung": "Jati Agung",
    "telukpandan": "Teluk Pandan", "waylima": "Way Lima", "waykhilau": "Way Khilau",
    "wayratai": "Way Ratai", "gedongtataan": "Gedong Tataan",
}

AKUN_NAMA: dict[str, str] = {
    "521111": "Belanja Operasional Perkantoran",
    "521211": "Belanja Bahan",
    "521213": "Honor Output Kegiatan",
    "521219": "Belanja Barang Non Operasional Lainnya",
    "522151": "Belanja Jasa Profesi",
    "524111": "Belanja Perjalanan Dinas Biasa",
    "524113": "Belanja Perjalanan Dinas Dalam Kota",
    "524114": "Belanja Perjalanan Dinas Paket Meeting Dalam Kota",
}

F = Field
KINDS: dict[str, Kind] = {
    "klien": Kind(
        "klien", "klien", title="Data Klien",
        key=("kode_bapas", "no_register"),
        required=("no_register", "nama", "tanggal_mulai_bimbingan"),
        fields=(
            KODE_BAPAS,
            F("no_register", REGISTER, ("No. Register", "Nomor Registrasi", "No Reg", "No. Registrasi Klien",
                                        "Nomor Register", "No. Reg")),
            F("nik", NIK, ("NIK", "No. KTP", "Nomor Induk Kependudukan")),
            F("nama", TEXT, ("Nama", "Nama Klien", "Nama Lengkap", "Nama Klien Pemasyarakatan")),
            F("jenis_kelamin", VOCAB, ("Jenis Kelamin", "JK", "L/P"), "jenis_kelamin"),
            F("tanggal_lahir", TTL, ("Tanggal Lahir", "Tgl Lahir", "TTL", "Tempat, Tanggal Lahir",
                                     "Tempat/Tanggal Lahir", "Tempat Tanggal Lahir")),
            F("umur_saat_mulai", INT, ("Umur", "Usia")),
            F("agama", VOCAB, ("Agama",), "agama"),
            F("pendidikan", VOCAB, ("Pendidikan", "Pendidikan Terakhir"), "pendidikan"),
            F("pekerjaan_awal", TEXT, ("Pekerjaan", "Pekerjaan Sebelum")),
            F("kecamatan", TEXT, ("Kecamatan",)),
            F("kabupaten_kota", TEXT, ("Kabupaten/Kota", "Kota", "Kabupaten")),
            F("tindak_pidana", TEXT, ("Tindak Pidana", "Jenis Kejahatan", "Perkara", "Kasus")),
            F("kategori_pidana", VOCAB, ("Kategori Pidana",), "kategori_pidana"),
            F("pasal", TEXT, ("Pasal",)),
            F("lama_pidana_bulan", MONTHS, ("Lama Pidana", "Masa Pidana", "Vonis")),
            F("jumlah_pidana_sebelumnya", INT, ("Jumlah Pidana Sebelumnya", "Residivis ke-", "Pernah Dipidana")),
            F("program_integrasi", VOCAB, ("Program", "Jenis Bimbingan", "Program Reintegrasi",
                                           "Jenis Integrasi"), "program_integrasi"),
            F("dasar_hukum", TEXT, ("Dasar Hukum", "SK")),
            F("asal_upt", TEXT, ("Asal UPT", "Asal Lapas/Rutan", "Asal Lapas")),
            F("tanggal_mulai_bimbingan", DATE, ("Tanggal Mulai Bimbingan", "Tgl Mulai", "Tanggal Bebas/Keluar",
                                                "Tanggal Mulai", "Tgl Mulai Bimbingan")),
            F("tanggal_akhir_bimbingan", DATE, ("Tanggal Akhir Bimbingan", "Tanggal Ekspirasi",
                                                "Akhir Masa Bimbingan", "Tgl Akhir Bimbingan", "Tanggal Akhir",
                                                "Tanggal Berakhir", "Tanggal Selesai Bimbingan")),
            # «Nama», «NIP» under the group label «Pembimbing Kemasyarakatan» read «Nama Pembimbing Kemasyarakatan»
            F("pk_nama", TEXT, ("Pembimbing Kemasyarakatan", "PK", "Nama PK", "Nama Pembimbing Kemasyarakatan",
                                "Nama Pembimbing")),
            F("pk_nip", NIP, ("NIP PK", "NIP Pembimbing Kemasyarakatan", "NIP Pembimbing")),
            F("skor_rri", INT, ("Skor RRI", "Nilai RRI", "Skor Risiko")),
            F("kategori_rri", VOCAB, ("Kategori RRI", "Tingkat Risiko", "Risiko"), "kategori_rri"),
            F("status", VOCAB, ("Status", "Status Klien"), "status_klien"),
            F("tanggal_status", DATE, ("Tanggal Status", "Tgl Selesai/Dicabut", "Tgl Status")),
            F("jenis_pelanggaran", VOCAB, ("Pelanggaran", "Alasan Pencabutan", "Jenis Pelanggaran"),
              "jenis_pelanggaran"),
            F("residivis", BOOL, ("Residivis", "Mengulangi Tindak Pidana")),
            F("tanggal_residivis", DATE, ("Tanggal Residivis", "Tgl Tindak Pidana Baru")),
            F("status_pekerjaan", VOCAB, ("Status Pekerjaan", "Pekerjaan Sekarang"), "status_pekerjaan"),
            F("kode_mitra_penyalur", CODE, ("Mitra Penyalur", "Bekerja di Mitra")),
            F("penghasilan_bulanan", MONEY, ("Penghasilan per Bulan", "Penghasilan")),
        ),
    ),
    "mitra": Kind(
        "mitra", "mitra", title="Mitra Pokmas Lipas",
        key=("kode_bapas", "kode_mitra"),
        required=("kode_mitra", "nama_mitra"),
        fields=(
            KODE_BAPAS,
            F("kode_mitra", CODE, ("Kode Mitra", "ID Mitra")),
            F("nama_mitra", TEXT, ("Nama Mitra", "Nama Lembaga", "Mitra")),
            F("jenis_mitra", VOCAB, ("Jenis Mitra", "Jenis Lembaga"), "jenis_mitra"),
            F("bidang", VOCAB, ("Bidang",), "bidang"),
            F("bidang_pelatihan", TEXT, ("Bidang Pelatihan", "Jenis Pelatihan", "Keahlian")),
            F("bersertifikat", BOOL, ("Bersertifikat", "Sertifikasi", "Tersertifikasi")),
            F("nomor_pks", TEXT, ("No. PKS", "Nomor PKS", "No. MoU")),
            F("tanggal_pks", DATE, ("Tanggal PKS", "Tgl PKS", "Tanggal MoU")),
            F("berlaku_sampai", DATE, ("Berlaku Sampai", "Masa Berlaku", "Akhir PKS")),
            F("kecamatan", TEXT, ("Kecamatan",)),
            F("kabupaten_kota", TEXT, ("Kabupaten/Kota", "Kota", "Kabupaten")),
            F("kapasitas_per_angkatan", INT, ("Kapasitas", "Kuota per Angkatan")),
            F("status_aktif", BOOL, ("Status", "Aktif")),
            F("kontak", TEXT, ("Kontak", "No. HP", "Telepon")),
        ),
    ),
    "program": Kind(
        "program", "program", title="Program",
        key=("kode_bapas", "kode_program"),
        required=("kode_program", "nama_program"),
        depends_on=("mitra",),
        fields=(
            KODE_BAPAS,
            F("kode_program", CODE, ("Kode Program",)),
            F("nama_program", TEXT, ("Nama Program", "Nama Kegiatan", "Program")),
            F("kategori", VOCAB, ("Kategori", "Jenis Kegiatan"), "kategori_program"),
            F("kode_mitra", CODE, ("Kode Mitra", "Mitra")),
            F("tanggal_mulai", DATE, ("Tanggal Mulai", "Mulai")),
            F("tanggal_selesai", DATE, ("Tanggal Selesai", "Selesai")),
            F("kuota", INT, ("Kuota", "Kuota Peserta")),
            F("total_jam", DOUBLE, ("Total Jam", "Jumlah Jam", "Durasi")),
            F("bersertifikat", BOOL, ("Bersertifikat", "Sertifikat")),
        ),
    ),
    "kehadiran": Kind(
        "kehadiran", "kehadiran", title="Kehadiran",
        key=("kode_bapas", "no_register", "tanggal", "jenis_kegiatan", "kode_program"),
        required=("no_register", "tanggal", "jenis_kegiatan", "status_hadir"),
        depends_on=("klien", "program"),
        fields=(
            KODE_BAPAS,
            F("no_register", REGISTER, ("No. Register", "Nomor Registrasi", "No Reg", "No. Registrasi Klien",
                                        "Nomor Register", "No. Reg")),
            F("tanggal", DATE, ("Tanggal", "Tgl Lapor", "Tanggal Kegiatan", "Tgl", "Tanggal Lapor")),
            F("jenis_kegiatan", VOCAB, ("Jenis Kegiatan", "Kegiatan"), "jenis_kegiatan"),
            F("kode_program", CODE, ("Kode Program", "Program")),
            F("bentuk", VOCAB, ("Bentuk", "Cara Lapor"), "bentuk"),
            F("status_hadir", VOCAB, ("Kehadiran", "Status", "Hadir", "Status Kehadiran"), "status_hadir"),
            F("alasan", TEXT, ("Alasan", "Keterangan")),
            F("durasi_jam", DOUBLE, ("Durasi", "Jam", "Durasi Jam")),
            F("petugas", TEXT, ("Petugas", "PK")),
        ),
    ),
    "anggaran": Kind(
        "anggaran", "anggaran", title="Realisasi Anggaran",
        key=("kode_bapas", "tahun_anggaran", "bulan", "kode_akun", "kode_program", "uraian"),
        required=("tahun_anggaran", "kode_akun"),
        required_any=(("pagu", "rencana", "realisasi"),),
        depends_on=("program",),
        fields=(
            KODE_BAPAS,
            F("tahun_anggaran", YEAR, ("Tahun Anggaran", "TA", "Tahun")),
            F("bulan", MONTH, ("Bulan",)),
            F("kode_akun", AKUN, ("Kode Akun", "Akun", "MAK")),
            F("uraian_akun", TEXT, ("Uraian Akun", "Nama Akun")),
            F("kode_program", CODE, ("Kode Program",)),
            F("uraian", TEXT, ("Uraian", "Keterangan", "Kegiatan")),
            F("pagu", MONEY, ("Pagu", "Anggaran")),
            F("rencana", MONEY, ("Rencana", "RPD", "Rencana Penarikan")),
            F("realisasi", MONEY, ("Realisasi",)),
        ),
    ),
    "hambatan": Kind(
        "hambatan", "hambatan", title="Hambatan Program",
        key=("kode_bapas", "tanggal", "kategori", "uraian", "no_register", "kode_program", "kode_mitra"),
        required=("tanggal",),
        required_any=(("kategori", "uraian"),),
        depends_on=("klien", "mitra", "program"),
        fields=(
            KODE_BAPAS,
            F("tanggal", DATE, ("Tanggal", "Tgl")),
            F("faktor", VOCAB, ("Faktor",), "faktor"),
            F("sumber", VOCAB, ("Sumber",), "sumber_hambatan"),
            F("kategori", VOCAB, ("Kategori", "Kategori Hambatan", "Jenis Hambatan"), "kategori_hambatan"),
            F("uraian", TEXT, ("Uraian", "Keterangan", "Hambatan", "Uraian Hambatan")),
            F("kode_program", CODE, ("Kode Program", "Program")),
            F("kode_mitra", CODE, ("Kode Mitra", "Mitra")),
            F("no_register", REGISTER, ("No. Register", "Nomor Registrasi", "No Reg", "Nomor Register")),
            F("tindak_lanjut", TEXT, ("Tindak Lanjut",)),
            F("status", VOCAB, ("Status",), "status_hambatan"),
            F("dilaporkan_oleh", TEXT, ("Dilaporkan Oleh", "Pelapor")),
        ),
    ),
}

# Load order of one run (DESIGN.md): referenced kinds first.
LOAD_ORDER = ("klien", "mitra", "program", "kehadiran", "anggaran", "hambatan")

LINEAGE = ("sumber_file", "sumber_sheet", "sumber_baris", "dimuat_pada", "id_muat")


def header_index(kind: Kind, key=None) -> dict[str, str]:
    """Normalised accepted header → field name, for one kind; key: the normalisation (normalise_header)."""
    key = key or normalise_header
    index: dict[str, str] = {}
    for f in kind.fields:
        for h in f.accepted:
            index.setdefault(key(h), f.name)
    return index


HEADER_INDEX: dict[str, dict[str, str]] = {name: header_index(k) for name, k in KINDS.items()}

# Abbreviations offices write in headers («Tgl. Lapor», «Jns Integrasi», «No. Reg», «Ket.»): a header is also
# compared with each word written out, so every accepted header accepts its abbreviated spellings too.
HEADER_ABBREVIATIONS: dict[str, str] = {
    "tgl": "tanggal", "jns": "jenis", "no": "nomor", "nmr": "nomor", "reg": "register", "registrasi": "register",
    "ket": "keterangan", "thn": "tahun", "bln": "bulan", "jml": "jumlah", "jmlh": "jumlah", "kab": "kabupaten",
    "kec": "kecamatan", "pddk": "pendidikan",
}


def header_key(text: object) -> str:
    """A header with its abbreviated words written out, then normalised: «Tgl. Lapor» and «Tanggal Lapor» agree."""
    if text is None:
        return ""
    s = re.sub(r"\([^)]*\)", " ", str(text).lower())
    words = re.findall(r"[0-9a-z]+", s)
    return "".join(HEADER_ABBREVIATIONS.get(w, w) for w in words)


HEADER_KEY_INDEX: dict[str, dict[str, str]] = {name: header_index(k, header_key) for name, k in KINDS.items()}


def _listed_values(kind: Kind, text: str) -> str | None:
    """The vocabulary field whose values the header lists («PB/CB/CMB/Asimilasi», «L / P»), or None."""
    parts = [p.strip() for p in re.split(r"[/|]", text)]
    if len(parts) < 2 or not all(parts):
        return None
    found = {f.name for f in kind.fields if f.parser == VOCAB
             and all(vocabulary_key(p) in VOCAB_INDEX[f.vocab] for p in parts)}
    return found.pop() if len(found) == 1 else None


@functools.lru_cache(maxsize=1 << 16)
def field_for_header(kind: str, text: object) -> str | None:
    """The field of a kind a header names: exactly (DATA.md §0), else with its abbreviations written out, else the
    vocabulary field whose values it lists; None when it names none."""
    name = HEADER_INDEX[kind].get(normalise_header(text))
    if name is None:
        name = HEADER_KEY_INDEX[kind].get(header_key(text))
    if name is None and isinstance(text, str) and ("/" in text or "|" in text):
        name = _listed_values(KINDS[kind], text)
    return name


def vocabulary_index(name: str) -> dict[str, str]:
    """Normalised spelling → code, for one vocabulary."""
    index: dict[str, str] = {}
    for code, synonyms in VOCABULARIES[name].items():
        for spelling in (code, *synonyms):
            index.setdefault(vocabulary_key(spelling), code)
    return index


def vocabulary_key(text: str) -> str:
    """normalise_code, except that a value of symbols only (✓, √) is its own key rather than empty."""
    return normalise_code(text) or str(text).strip()


VOCAB_INDEX: dict[str, dict[str, str]] = {name: vocabulary_index(name) for name in VOCABULARIES}
