"""Word lists of the demo generator: names, places, offences, partners, reasons, offices (all invented)."""
from __future__ import annotations

from dataclasses import dataclass

BULAN = ("", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
         "Oktober", "November", "Desember")
BULAN_LAMA = {2: "Pebruari", 11: "Nopember"}  # old spellings people still type
BULAN_SINGKAT = ("", "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


@dataclass(frozen=True)
class Office:
    """One Bapas: its code, short code for register numbers, name and home town."""

    kode_bapas: str
    short: str
    nama: str
    kota: str


BDL = Office("BAPAS-BDL", "BDL", "Bapas Kelas II Bandar Lampung", "Bandar Lampung")

# 90 offices for the national benchmark (codes invented; BDL first).
_OFFICE_TOWNS = (
    ("BDL", "Bandar Lampung"), ("MTR", "Metro"), ("KTB", "Kotabumi"), ("LIW", "Liwa"),
    ("BDA", "Banda Aceh"), ("LSM", "Lhokseumawe"), ("MBO", "Meulaboh"), ("MDN", "Medan"),
    ("SBG", "Sibolga"), ("PMS", "Pematangsiantar"), ("PSP", "Padangsidimpuan"), ("PDG", "Padang"),
    ("BKT", "Bukittinggi"), ("PKU", "Pekanbaru"), ("BKN", "Bangkinang"), ("TPI", "Tanjungpinang"),
    ("BTM", "Batam"), ("JMB", "Jambi"), ("PLB", "Palembang"), ("LHT", "Lahat"),
    ("BKL", "Bengkulu"), ("PGP", "Pangkalpinang"), ("JKP", "Jakarta Pusat"), ("JKT", "Jakarta Timur"),
    ("JKB", "Jakarta Barat"), ("JKS", "Jakarta Selatan"), ("JKU", "Jakarta Utara"), ("BGR", "Bogor"),
    ("BDG", "Bandung"), ("GRT", "Garut"), ("CRB", "Cirebon"), ("SKB", "Sukabumi"),
    ("KRW", "Karawang"), ("BKS", "Bekasi"), ("TSM", "Tasikmalaya"), ("SRG", "Serang"),
    ("TNG", "Tangerang"), ("SMG", "Semarang"), ("SKA", "Surakarta"), ("PKL", "Pekalongan"),
    ("PWT", "Purwokerto"), ("MGL", "Magelang"), ("PTI", "Pati"), ("KLT", "Klaten"),
    ("NKB", "Nusakambangan"), ("YGY", "Yogyakarta"), ("WNS", "Wonosari"), ("SBY", "Surabaya"),
    ("MLG", "Malang"), ("KDR", "Kediri"), ("MAD", "Madiun"), ("JBR", "Jember"),
    ("BJN", "Bojonegoro"), ("PMK", "Pamekasan"), ("BWI", "Banyuwangi"), ("DPS", "Denpasar"),
    ("KLK", "Klungkung"), ("MTM", "Mataram"), ("BIM", "Bima"), ("KPG", "Kupang"),
    ("WGP", "Waingapu"), ("ATB", "Atambua"), ("PNK", "Pontianak"), ("SKW", "Singkawang"),
    ("PKY", "Palangka Raya"), ("SMP", "Sampit"), ("BJM", "Banjarmasin"), ("BRB", "Barabai"),
    ("SMD", "Samarinda"), ("BPN", "Balikpapan"), ("TRK", "Tarakan"), ("MKS", "Makassar"),
    ("BON", "Watampone"), ("PRE", "Parepare"), ("PLP", "Palopo"), ("KDI", "Kendari"),
    ("BAU", "Baubau"), ("PLU", "Palu"), ("LWK", "Luwuk"), ("GTO", "Gorontalo"),
    ("MND", "Manado"), ("MMJ", "Mamuju"), ("AMB", "Ambon"), ("TUL", "Tual"),
    ("TTE", "Ternate"), ("JPR", "Jayapura"), ("MRK", "Merauke"), ("SON", "Sorong"),
    ("MKW", "Manokwari"), ("TIM", "Timika"),
)
OFFICES: tuple[Office, ...] = tuple(
    BDL if short == "BDL" else Office(f"BAPAS-{short}", short, f"Bapas Kelas II {town}", town)
    for short, town in _OFFICE_TOWNS
)
assert len(OFFICES) == 90 and len({o.kode_bapas for o in OFFICES}) == 90

# Kecamatan of the office's area: (name as the loader stores it, kabupaten/kota, km from the office).
# The office is at Jl. Diponegoro, Teluk Betung Utara; distances are straight-line estimates kept
# only inside the generator (the distance → absence relation is planted with them).
KECAMATAN_BDL: tuple[tuple[str, str, float, float], ...] = (
    # name, kabupaten, km, weight
    ("Teluk Betung Utara", "Bandar Lampung", 1, 4), ("Enggal", "Bandar Lampung", 2, 3),
    ("Tanjung Karang Pusat", "Bandar Lampung", 3, 5), ("Teluk Betung Selatan", "Bandar Lampung", 3, 4),
    ("Bumi Waras", "Bandar Lampung", 4, 5), ("Tanjung Karang Timur", "Bandar Lampung", 4, 4),
    ("Kedamaian", "Bandar Lampung", 5, 4), ("Tanjung Karang Barat", "Bandar Lampung", 5, 5),
    ("Teluk Betung Timur", "Bandar Lampung", 6, 4), ("Langkapura", "Bandar Lampung", 7, 3),
    ("Kedaton", "Bandar Lampung", 7, 5), ("Labuhan Ratu", "Bandar Lampung", 8, 4),
    ("Way Halim", "Bandar Lampung", 8, 5), ("Panjang", "Bandar Lampung", 9, 6),
    ("Sukabumi", "Bandar Lampung", 9, 5), ("Teluk Betung Barat", "Bandar Lampung", 9, 3),
    ("Kemiling", "Bandar Lampung", 10, 6), ("Rajabasa", "Bandar Lampung", 11, 5),
    ("Sukarame", "Bandar Lampung", 11, 6), ("Tanjung Senang", "Bandar Lampung", 13, 4),
    ("Natar", "Lampung Selatan", 24, 5), ("Jati Agung", "Lampung Selatan", 26, 3),
    ("Tanjung Bintang", "Lampung Selatan", 32, 2), ("Katibung", "Lampung Selatan", 36, 1.5),
    ("Sidomulyo", "Lampung Selatan", 48, 1), ("Kalianda", "Lampung Selatan", 58, 1.5),
    ("Gedong Tataan", "Pesawaran", 24, 3), ("Negeri Katon", "Pesawaran", 34, 1.5),
    ("Tegineneng", "Pesawaran", 40, 1), ("Padang Cermin", "Pesawaran", 45, 1.5),
    ("Way Lima", "Pesawaran", 50, 0.8), ("Kedondong", "Pesawaran", 55, 0.8),
)
KABUPATEN_TULISAN = {  # how people write the kabupaten (all normalised by the loader)
    "Bandar Lampung": ("Kota Bandar Lampung", "Bandar Lampung"),
    "Lampung Selatan": ("Lampung Selatan", "Kab. Lampung Selatan"),
    "Pesawaran": ("Pesawaran", "Kab. Pesawaran"),
}
KECAMATAN_VARIAN_TULIS = {  # spelling variants people type (DATA.md §1)
    "Teluk Betung Utara": "Telukbetung Utara", "Teluk Betung Selatan": "Telukbetung Selatan",
    "Teluk Betung Barat": "Telukbetung Barat", "Teluk Betung Timur": "Telukbetung Timur",
    "Tanjung Karang Pusat": "Tanjungkarang Pusat", "Tanjung Karang Barat": "Tanjungkarang Barat",
    "Tanjung Karang Timur": "Tanjungkarang Timur", "Sukarame": "Sukarami",
}
NIK_WILAYAH = {"Bandar Lampung": "1871", "Lampung Selatan": "1801", "Pesawaran": "1809"}


def kecamatan_for(office: Office) -> tuple[tuple[str, str, float, float], ...]:
    """The kecamatan table of an office (generic names outside Bandar Lampung)."""
    if office.short == "BDL":
        return KECAMATAN_BDL
    town = office.kota
    near = ("Kota", "Barat", "Timur", "Utara", "Selatan", "Tengah", "Baru", "Raya", "Jaya", "Indah",
            "Permai", "Makmur")
    rows = [(f"{town} {suffix}", town, 2 + i, 5.0) for i, suffix in enumerate(near)]
    rows += [(f"Hulu {town} {i + 1}", f"{town} Hulu", 22 + 7 * i, 2.0) for i in range(6)]
    return tuple(rows)


# ---------------------------------------------------------------------------------------- names
NAMA_LAKI = (
    "Ahmad", "Muhammad", "Agus", "Budi", "Dedi", "Eko", "Fajar", "Hendra", "Irwan", "Joko", "Khoirul",
    "Andi", "Bayu", "Rizki", "Rudi", "Yudi", "Slamet", "Sutrisno", "Wahyu", "Arif", "Doni", "Fikri",
    "Gilang", "Hadi", "Iqbal", "Jefri", "Kurniadi", "Lukman", "Mulyadi", "Novri", "Oki", "Pandu",
    "Rahmat", "Syahrial", "Taufik", "Usman", "Wawan", "Yusuf", "Zulkarnain", "Hasan", "Ridwan", "Romi",
    "Sandi", "Tomi", "Herman", "Erwin", "Feri", "Ilham", "Jaka", "Imam", "Anton", "Dimas", "Reza",
    "Aldi", "Bagus", "Candra", "Dani", "Edi", "Firman", "Galih", "Hari", "Indra", "Kiki", "Lutfi",
    "Mahmud", "Nanda", "Okta", "Putra", "Robi", "Sahrul", "Tri", "Umar", "Wisnu", "Yoga", "Zainal",
    "Abdul", "Ari", "Benny", "Darmawan", "Fauzi", "Gunawan", "Heri", "Ismail", "Junaidi", "Kholid",
)
NAMA_PEREMPUAN = (
    "Siti", "Nur", "Dewi", "Rina", "Sri", "Yuni", "Lestari", "Wulan", "Fitri", "Ayu", "Indah", "Rahma",
    "Lina", "Maya", "Novi", "Putri", "Ratna", "Sari", "Tuti", "Umi", "Vina", "Winda", "Yanti", "Zahra",
    "Anisa", "Dina", "Eka", "Fani", "Hani", "Intan", "Juwita", "Kartika", "Mega", "Nita", "Oktavia",
)
NAMA_BELAKANG = (
    "Saputra", "Pratama", "Setiawan", "Hidayat", "Kurniawan", "Wijaya", "Nugroho", "Firmansyah",
    "Ramadhan", "Santoso", "Gunawan", "Susanto", "Syahputra", "Hakim", "Rahman", "Fadillah", "Maulana",
    "Anggara", "Permana", "Prasetyo", "Hermawan", "Purnomo", "Wibowo", "Yulianto", "Efendi", "Irawan",
    "Siregar", "Harahap", "Nasution", "Lubis", "Batubara", "Sembiring", "Simanjuntak", "Kesuma",
    "Marga", "Jaya", "Alamsyah", "Ansori", "Rosadi", "Zulfikar", "Mansur", "Hamzah", "Sanjaya",
    "Wardana", "Kusuma", "Adinata", "Pangestu", "Saleh", "Ismail", "Syarifudin",
)
NAMA_BELAKANG_P = (
    "Lestari", "Wati", "Sari", "Rahmawati", "Anggraini", "Puspitasari", "Handayani", "Safitri",
    "Kurniasih", "Wulandari", "Maharani", "Oktaviani", "Yuliana", "Susanti", "Hasanah", "Marlina",
)
GELAR_PK = ("S.Sos.", "S.H.", "S.Psi.", "S.Tr.Pas.", "S.H., M.H.", "S.Sos., M.Si.", "A.Md.P.", "S.Kom.")

# ------------------------------------------------------------------------------------ offences
# category: (weight adult, weight anak, sentence median months, [(tindak_pidana, pasal), ...])
OFFENCES: dict[str, tuple[float, float, float, tuple[tuple[str, str], ...]]] = {
    "Narkotika": (0.52, 0.10, 84, (
        ("Penyalahgunaan Narkotika Golongan I", "Pasal 127 ayat (1) huruf a UU 35/2009"),
        ("Memiliki/Menguasai Narkotika Golongan I (sabu)", "Pasal 112 ayat (1) UU 35/2009"),
        ("Menjadi Perantara Jual Beli Narkotika", "Pasal 114 ayat (1) UU 35/2009"),
        ("Memiliki Narkotika Golongan I Jenis Ganja", "Pasal 111 ayat (1) UU 35/2009"),
        ("Narkotika", "Pasal 114 ayat (1) jo. Pasal 132 ayat (1) UU 35/2009"),
    )),
    "Pencurian": (0.17, 0.45, 24, (
        ("Pencurian dengan Pemberatan", "Pasal 363 ayat (1) ke-4 KUHP"),
        ("Pencurian", "Pasal 362 KUHP"),
        ("Pencurian Kendaraan Bermotor (Curanmor)", "Pasal 363 ayat (1) ke-5 KUHP"),
        ("Pencurian dengan Kekerasan", "Pasal 365 ayat (1) KUHP"),
    )),
    "Kesusilaan/Perlindungan Anak": (0.08, 0.10, 84, (
        ("Persetubuhan terhadap Anak (Perlindungan Anak)", "Pasal 81 ayat (1) UU 35/2014"),
        ("Pencabulan terhadap Anak", "Pasal 82 ayat (1) UU 35/2014"),
    )),
    "Penipuan/Penggelapan": (0.07, 0.0, 24, (
        ("Penipuan", "Pasal 378 KUHP"),
        ("Penggelapan", "Pasal 372 KUHP"),
        ("Penggelapan dalam Jabatan", "Pasal 374 KUHP"),
    )),
    "Penganiayaan/Kekerasan": (0.06, 0.20, 20, (
        ("Penganiayaan", "Pasal 351 ayat (1) KUHP"),
        ("Kekerasan dalam Rumah Tangga (KDRT)", "Pasal 44 ayat (1) UU 23/2004"),
        ("Kekerasan terhadap Orang secara Bersama-sama", "Pasal 170 ayat (1) KUHP"),
    )),
    "Lalu Lintas": (0.02, 0.10, 16, (
        ("Kelalaian Lalu Lintas yang Mengakibatkan Orang Lain Meninggal", "Pasal 310 ayat (4) UU 22/2009"),
    )),
    "Korupsi": (0.02, 0.0, 48, (
        ("Tindak Pidana Korupsi", "Pasal 3 UU 31/1999 jo. UU 20/2001"),
    )),
    "Pembunuhan": (0.01, 0.0, 120, (
        ("Pembunuhan", "Pasal 338 KUHP"),
    )),
    "Lainnya": (0.05, 0.05, 18, (
        ("Penadahan", "Pasal 480 KUHP"),
        ("Perjudian", "Pasal 303 KUHP"),
        ("Membawa Senjata Tajam", "Pasal 2 ayat (1) UU Darurat 12/1951"),
        ("Pemalsuan Surat", "Pasal 263 KUHP"),
    )),
}
OFFENCE_NAMES = tuple(OFFENCES)

PEKERJAAN_AWAL = ("Buruh Harian Lepas", "Wiraswasta", "Petani", "Nelayan", "Sopir", "Ojek Online",
                  "Pedagang", "Karyawan Swasta", "Tidak Bekerja", "Buruh Bangunan", "Montir", "Pelajar")
ASAL_UPT = ("Lapas Kelas I Bandar Lampung", "Lapas Narkotika Kelas IIA Bandar Lampung",
            "Rutan Kelas I Bandar Lampung", "Lapas Kelas IIA Kalianda", "Lapas Kelas IIA Metro",
            "Lapas Kelas IIB Kotaagung", "Lapas Perempuan Kelas IIA Bandar Lampung",
            "LPKA Kelas II Bandar Lampung")
DASAR_HUKUM = {
    "PB": ("Permenkumham 7/2022", "Permenkumham 3/2018"),
    "CB": ("Permenkumham 7/2022", "Permenkumham 3/2018"),
    "CMB": ("Permenkumham 7/2022", "Permenkumham 3/2018"),
    "ASIMILASI": ("Permenkumham 10/2020", "Permenkumham 32/2020", "Permenkumham 24/2021",
                  "Permenkumham 43/2021"),
    "PIB": ("Putusan Pengadilan (Pasal 14a KUHP)",),
    "DIVERSI": ("Penetapan Diversi (UU 11/2012)",),
    "PIDANA_PENGAWASAN": ("Putusan Pengadilan Anak (UU 11/2012)",),
}
PROGRAM_TULISAN = {  # how people write program_integrasi (vocabulary values of DATA.md §1)
    "PB": ("PB", "PB", "Pembebasan Bersyarat"),
    "CB": ("CB", "Cuti Bersyarat"),
    "CMB": ("CMB", "Cuti Menjelang Bebas"),
    "ASIMILASI": ("Asimilasi", "Asimilasi di Rumah", "ASIMILASI"),
    "PIB": ("Pidana Bersyarat",),
    "DIVERSI": ("Diversi",),
    "PIDANA_PENGAWASAN": ("Pidana Pengawasan",),
}
REGISTER_PREFIX = {"PB": "PB", "CB": "CB", "CMB": "CMB", "ASIMILASI": "AS", "PIB": "PIB", "DIVERSI": "DIV",
                   "PIDANA_PENGAWASAN": "PP"}

# ------------------------------------------------------------------------------------ programs
BIDANG_LATIH = ("Pangkas Rambut", "Otomotif", "Las", "Tata Boga", "Menjahit", "Pertanian/Hidroponik",
                "Perikanan", "Kerajinan", "Kewirausahaan", "Keagamaan", "Pendidikan Kesetaraan")
MINAT_BOBOT = (0.15, 0.16, 0.10, 0.10, 0.05, 0.12, 0.08, 0.06, 0.12, 0.03, 0.03)
KATEGORI_BIDANG = {
    "PELATIHAN_KERJA": ("Pangkas Rambut", "Otomotif", "Las", "Tata Boga", "Menjahit", "Pertanian/Hidroponik",
                        "Perikanan", "Kerajinan"),
    "BIMBINGAN_KEMANDIRIAN": ("Kewirausahaan", "Pertanian/Hidroponik", "Perikanan", "Kerajinan"),
    "BIMBINGAN_KEAGAMAAN": ("Keagamaan",),
    "PENDIDIKAN_KESETARAAN": ("Pendidikan Kesetaraan",),
    "SEMINAR_PENYULUHAN": (None,),
    "BIMBINGAN_KEPRIBADIAN": (None,),
}
# kategori: (weight, sessions min, sessions max, hours per session, sessions per week, kuota min, max)
KATEGORI_RUN = {
    "PELATIHAN_KERJA": (0.50, 8, 14, 4.0, 2, 15, 25),
    "BIMBINGAN_KEMANDIRIAN": (0.20, 6, 10, 3.0, 1, 15, 25),
    "BIMBINGAN_KEAGAMAAN": (0.10, 8, 12, 2.0, 1, 20, 30),
    "PENDIDIKAN_KESETARAAN": (0.07, 16, 24, 3.0, 2, 15, 25),
    "SEMINAR_PENYULUHAN": (0.08, 1, 2, 3.0, 1, 40, 60),
    "BIMBINGAN_KEPRIBADIAN": (0.05, 6, 8, 2.0, 1, 15, 25),
}
NAMA_RUN = {
    "PELATIHAN_KERJA": "Pelatihan {bidang}",
    "BIMBINGAN_KEMANDIRIAN": "Bimbingan Kemandirian {bidang}",
    "BIMBINGAN_KEAGAMAAN": "Pesantren Kilat dan Bimbingan Keagamaan",
    "PENDIDIKAN_KESETARAAN": "Kejar Paket C",
    "SEMINAR_PENYULUHAN": "Penyuluhan Hukum dan Bahaya Narkoba",
    "BIMBINGAN_KEPRIBADIAN": "Konseling Kelompok Kepribadian",
}
ROMAWI = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII")

# Partners of Bapas BDL: (nama, jenis, bidang, bidang_pelatihan, bersertifikat, kecamatan, kabupaten,
# joined (year, month), kapasitas). Names are invented.
MITRA_BDL = (
    ("Barbershop Gentleman Tanjung Karang", "UMKM", "KEMANDIRIAN", "Pangkas Rambut", False,
     "Tanjung Karang Pusat", "Bandar Lampung", (2019, 8), 15),
    ("LPK Mandiri Teknik Lampung", "LEMBAGA_PELATIHAN", "KEMANDIRIAN", "Otomotif", True,
     "Kedaton", "Bandar Lampung", (2019, 3), 20),
    ("Bengkel Las Karya Bersama", "UMKM", "KEMANDIRIAN", "Las", False,
     "Panjang", "Bandar Lampung", (2020, 2), 12),
    ("Pondok Pesantren Darul Ihsan", "LEMBAGA_KEAGAMAAN", "KEPRIBADIAN", "Keagamaan", False,
     "Kemiling", "Bandar Lampung", (2018, 11), 30),
    ("Yayasan Rumah Harapan Lampung", "LEMBAGA_SOSIAL", "KEPRIBADIAN", "Pendidikan Kesetaraan", False,
     "Way Halim", "Bandar Lampung", (2020, 6), 25),
    ("Pokmas Lipas Kelurahan Kota Karang", "POKMAS", "KEMANDIRIAN", "Perikanan", False,
     "Teluk Betung Timur", "Bandar Lampung", (2020, 9), 20),
    ("CV Berkah Tani Hidroponik", "PERUSAHAAN", "KEMANDIRIAN", "Pertanian/Hidroponik", False,
     "Rajabasa", "Bandar Lampung", (2021, 4), 15),
    ("Dapur Sehat Bu Ratna", "UMKM", "KEMANDIRIAN", "Tata Boga", False,
     "Sukarame", "Bandar Lampung", (2021, 7), 15),
    ("LPK Busana Cantika", "LEMBAGA_PELATIHAN", "KEMANDIRIAN", "Menjahit", True,
     "Enggal", "Bandar Lampung", (2021, 10), 15),
    ("PT Sinar Laut Lampung", "PERUSAHAAN", "KEMANDIRIAN", "Perikanan", False,
     "Panjang", "Bandar Lampung", (2022, 1), 20),
    ("Balai Latihan Kerja Kota Bandar Lampung", "INSTANSI_PEMERINTAH", "KEMANDIRIAN", "Las", True,
     "Tanjung Karang Barat", "Bandar Lampung", (2022, 3), 20),
    ("Sanggar Kriya Tapis Sai Bumi", "UMKM", "KEMANDIRIAN", "Kerajinan", False,
     "Kedamaian", "Bandar Lampung", (2022, 5), 12),
    ("Koperasi Usaha Bersama Mitra Mandiri", "UMKM", "KEMANDIRIAN", "Kewirausahaan", False,
     "Labuhan Ratu", "Bandar Lampung", (2022, 8), 25),
    ("Masjid Jami Al-Furqon", "LEMBAGA_KEAGAMAAN", "KEPRIBADIAN", "Keagamaan", False,
     "Teluk Betung Utara", "Bandar Lampung", (2022, 9), 30),
    ("Bengkel Motor Jaya Abadi", "UMKM", "KEMANDIRIAN", "Otomotif", False,
     "Sukabumi", "Bandar Lampung", (2022, 11), 10),
    ("Pusat Bantuan Hukum Universitas Sai Bumi", "PERGURUAN_TINGGI", "HUKUM_KEMASYARAKATAN", None,
     False, "Kedaton", "Bandar Lampung", (2023, 1), 40),
    ("LPK Salon dan Pangkas Rambut Citra", "LEMBAGA_PELATIHAN", "KEMANDIRIAN", "Pangkas Rambut", True,
     "Tanjung Karang Timur", "Bandar Lampung", (2023, 3), 15),
    ("Kelompok Tani Makmur Natar", "POKMAS", "KEMANDIRIAN", "Pertanian/Hidroponik", False,
     "Natar", "Lampung Selatan", (2023, 5), 20),
    ("Yayasan Rehabilitasi Sosial Bina Insani", "LEMBAGA_SOSIAL", "KEPRIBADIAN", None, False,
     "Way Halim", "Bandar Lampung", (2023, 7), 30),
    ("UMKM Keripik Pisang Sai Betik", "UMKM", "KEMANDIRIAN", "Tata Boga", False,
     "Tanjung Karang Pusat", "Bandar Lampung", (2023, 10), 12),
    ("PT Karya Otomotif Sumatera", "PERUSAHAAN", "KEMANDIRIAN", "Otomotif", True,
     "Way Halim", "Bandar Lampung", (2024, 2), 15),
    ("Pokmas Lipas Pesisir Pesawaran", "POKMAS", "KEMANDIRIAN", "Perikanan", False,
     "Padang Cermin", "Pesawaran", (2024, 6), 15),
    ("Rumah Jahit Berkah Ibu", "UMKM", "KEMANDIRIAN", "Menjahit", False,
     "Kemiling", "Bandar Lampung", (2024, 9), 10),
    ("Dinas Tenaga Kerja Kota Bandar Lampung", "INSTANSI_PEMERINTAH", "KEMANDIRIAN", "Kewirausahaan", True,
     "Enggal", "Bandar Lampung", (2025, 1), 30),
    ("Kedai Kopi Bersama Lampung", "UMKM", "KEMANDIRIAN", "Tata Boga", False,
     "Rajabasa", "Bandar Lampung", (2025, 5), 10),
)
JENIS_MITRA_TULISAN = {  # vocabulary spellings of jenis_mitra
    "UMKM": ("UMKM",), "PERUSAHAAN": ("Perusahaan", "PT"), "LEMBAGA_KEAGAMAAN": ("Lembaga Keagamaan",),
    "LEMBAGA_PELATIHAN": ("Lembaga Pelatihan", "LPK"), "LEMBAGA_SOSIAL": ("Lembaga Sosial", "Yayasan"),
    "POKMAS": ("Pokmas", "Pokmas Lipas"), "INSTANSI_PEMERINTAH": ("Instansi Pemerintah",),
    "PERGURUAN_TINGGI": ("Perguruan Tinggi",),
}
BIDANG_TULISAN = {"KEMANDIRIAN": "Kemandirian", "KEPRIBADIAN": "Kepribadian",
                  "HUKUM_KEMASYARAKATAN": "Hukum Kemasyarakatan"}

# --------------------------------------------------------------------------- attendance reasons
# Each reason is written so DATA.md §6's keyword table maps it to the intended category.
ALASAN: dict[str, tuple[str, ...]] = {
    "JARAK_BIAYA_TRANSPORT": ("rumah jauh, tidak ada ongkos", "tidak ada biaya transport ke Bapas",
                              "jarak jauh, motor rusak", "tidak punya ongkos", "rumah jauh dari Bapas"),
    "KLIEN_BEKERJA_LUAR_KOTA": ("bekerja di luar kota", "sedang merantau ke Jakarta",
                                "kerja proyek di Palembang", "ikut kerja di kapal"),
    "KELUARGA_TIDAK_MENDUKUNG": ("tidak diizinkan keluarga", "istri melarang ikut kegiatan",
                                 "orang tua tidak mengizinkan"),
    "KLIEN_KURANG_SERIUS": ("lupa", "lupa jadwal lapor", "malas", "tanpa keterangan"),
    "SAKIT": ("sakit", "sakit demam", "dirawat di rumah sakit"),
    "LAINNYA": ("ada urusan mendadak", "banjir di rumah", "menghadiri acara adat", "HP hilang"),
    "TERLAMBAT": ("macet", "hujan deras", "ban bocor", ""),
    "KUNJUNGAN_GAGAL": ("tidak berada di rumah", "rumah kosong saat dikunjungi"),
    "TIDAK_MINAT": ("tidak berminat", "malas ikut pelatihan", "kurang cocok dengan pelatihannya"),
}

# ------------------------------------------------------------------------------------- obstacles
HAMBATAN_TULISAN = {  # codes or §6 labels as people write them
    "ANGGARAN_TERBATAS": ("Anggaran Terbatas", "ANGGARAN_TERBATAS",
                          "Anggaran terbatas (transport/honor narasumber, konsumsi)"),
    "PROGRAM_TIDAK_SESUAI_MINAT": ("Program Tidak Sesuai Minat", "Program tidak sesuai minat atau kebutuhan klien"),
    "BEBAN_KERJA_PK": ("Beban Kerja PK", "Beban kerja PK / SDM terbatas"),
    "JANGKAUAN_WILAYAH": ("Jangkauan Wilayah", "Wilayah luas, sarana dinas terbatas"),
    "KLIEN_KURANG_SERIUS": ("Klien Kurang Serius", "Klien kurang serius / malas mengikuti bimbingan"),
    "KLIEN_TIDAK_TEPAT_WAKTU": ("Klien Tidak Tepat Waktu", "Klien tidak tepat waktu"),
    "KLIEN_BEKERJA_LUAR_KOTA": ("Klien Bekerja Luar Kota", "Klien bekerja atau berada di luar kota"),
    "KELUARGA_TIDAK_MENDUKUNG": ("Keluarga Tidak Mendukung", "Keluarga/penjamin tidak mendukung"),
    "JARAK_BIAYA_TRANSPORT": ("Jarak/Biaya Transport", "Jarak jauh / biaya transportasi"),
    "MITRA_BELUM_BERSERTIFIKAT": ("Mitra Belum Bersertifikat", "Tempat pelatihan belum bersertifikat"),
    "MITRA_TERBATAS": ("Mitra Terbatas", "Mitra yang bergabung masih sedikit"),
    "STIGMA_MASYARAKAT": ("Stigma Masyarakat",),
    "SAKIT": ("Sakit",),
    "LAINNYA": ("Lainnya",),
}
FAKTOR = {
    "ANGGARAN_TERBATAS": "INTERNAL", "PROGRAM_TIDAK_SESUAI_MINAT": "INTERNAL", "BEBAN_KERJA_PK": "INTERNAL",
    "JANGKAUAN_WILAYAH": "INTERNAL",
}
SUMBER = {
    "ANGGARAN_TERBATAS": "BAPAS", "PROGRAM_TIDAK_SESUAI_MINAT": "BAPAS", "BEBAN_KERJA_PK": "BAPAS",
    "JANGKAUAN_WILAYAH": "BAPAS", "KLIEN_KURANG_SERIUS": "KLIEN", "KLIEN_TIDAK_TEPAT_WAKTU": "KLIEN",
    "KLIEN_BEKERJA_LUAR_KOTA": "KLIEN", "KELUARGA_TIDAK_MENDUKUNG": "KELUARGA",
    "JARAK_BIAYA_TRANSPORT": "KLIEN", "MITRA_BELUM_BERSERTIFIKAT": "MITRA", "MITRA_TERBATAS": "MITRA",
    "STIGMA_MASYARAKAT": "MASYARAKAT", "SAKIT": "KLIEN", "LAINNYA": "BAPAS",
}
URAIAN_HAMBATAN = {
    "ANGGARAN_TERBATAS": (
        "Anggaran transport dan honor narasumber {program} tidak mencukupi",
        "Konsumsi peserta {program} dikurangi karena pagu terbatas",
        "Refocusing anggaran, kegiatan bimbingan kelompok dikurangi",
        "Biaya bahan praktik pelatihan melebihi alokasi",
    ),
    "PROGRAM_TIDAK_SESUAI_MINAT": (  # {minat}: the field most enrolled clients want (other than the run's)
        "Sebagian peserta {program} tidak berminat pada bidangnya, kehadiran menurun; mereka ingin {minat}",
        "Peserta {program} ditunjuk tanpa asesmen minat; banyak yang tidak serius, lebih memilih {minat}",
        "Klien meminta pelatihan {minat}, {program} kurang diminati",
    ),
    "KLIEN_KURANG_SERIUS": (
        "Klien {nama} sering tidak hadir bimbingan tanpa alasan jelas",
        "Klien {nama} malas-malasan mengikuti bimbingan kelompok",
        "Klien {nama} tidak mengerjakan tugas praktik pelatihan",
    ),
    "KLIEN_TIDAK_TEPAT_WAKTU": (
        "Peserta {program} sering datang terlambat",
        "Klien {nama} berulang kali terlambat wajib lapor",
    ),
    "KELUARGA_TIDAK_MENDUKUNG": (
        "Keluarga klien {nama} tidak setuju klien mengikuti pelatihan",
        "Penjamin klien {nama} tidak mendukung kegiatan bimbingan",
    ),
    "JARAK_BIAYA_TRANSPORT": (
        "Klien {nama} tinggal di {kecamatan}, tidak ada ongkos ke Bapas",
        "Jarak rumah klien {nama} ({kecamatan}) jauh dari tempat pelatihan",
    ),
    "MITRA_BELUM_BERSERTIFIKAT": (
        "Tempat pelatihan {mitra} belum bersertifikat, peserta tidak mendapat sertifikat kompetensi",
        "{mitra} belum terakreditasi sebagai tempat uji kompetensi",
    ),
    "MITRA_TERBATAS": (
        "Mitra Pokmas Lipas yang bergabung baru {jumlah} lembaga, belum mencakup semua bidang minat",
        "Belum ada mitra penyalur kerja untuk klien lulusan pelatihan",
    ),
    "BEBAN_KERJA_PK": (
        "Rasio klien per PK tinggi, kunjungan rumah tidak terlaksana sesuai jadwal",
        "PK merangkap tugas litmas, pengawasan klien tertunda",
    ),
    "JANGKAUAN_WILAYAH": (
        "Kendaraan dinas terbatas untuk kunjungan rumah ke Pesawaran dan Lampung Selatan",
        "Wilayah pengawasan luas, kunjungan rumah klien di luar kota tertunda",
    ),
    "KLIEN_BEKERJA_LUAR_KOTA": (
        "Klien {nama} bekerja di luar kota, wajib lapor dilakukan daring",
    ),
    "STIGMA_MASYARAKAT": (
        "Klien {nama} ditolak bekerja karena status mantan narapidana",
        "Warga sekitar menolak keberadaan klien {nama} di lingkungan",
    ),
}
TINDAK_LANJUT = {
    "ANGGARAN_TERBATAS": ("Diusulkan tambahan anggaran pada revisi DIPA", "Kerja sama pembiayaan dengan mitra"),
    "PROGRAM_TIDAK_SESUAI_MINAT": ("Asesmen minat sebelum penetapan peserta angkatan berikutnya",
                                   "Peserta dialihkan ke program sesuai minat"),
    "KLIEN_KURANG_SERIUS": ("Konseling individu oleh PK", "Surat peringatan pertama"),
    "KLIEN_TIDAK_TEPAT_WAKTU": ("Teguran lisan dan pengingat jadwal via WhatsApp",),
    "KELUARGA_TIDAK_MENDUKUNG": ("Kunjungan rumah dan pendekatan kepada keluarga",),
    "JARAK_BIAYA_TRANSPORT": ("Wajib lapor daring diizinkan", "Bantuan transport dari Pokmas Lipas"),
    "MITRA_BELUM_BERSERTIFIKAT": ("Koordinasi dengan BLK untuk uji kompetensi",),
    "MITRA_TERBATAS": ("Penjajakan PKS dengan mitra baru",),
    "BEBAN_KERJA_PK": ("Pembagian ulang beban kerja PK",),
    "JANGKAUAN_WILAYAH": ("Kunjungan dijadwalkan bersama Pokmas setempat",),
    "KLIEN_BEKERJA_LUAR_KOTA": ("Wajib lapor daring diizinkan",),
    "STIGMA_MASYARAKAT": ("Mediasi dengan tokoh masyarakat",),
}

# ------------------------------------------------------------------------------------ budget
# kode_akun: (uraian_akun, uraian line, pagu per year around (rupiah), seasonal pattern key)
AKUN_RUTIN = (
    ("521211", "Belanja Bahan", "Konsumsi dan ATK bimbingan klien", 48_000_000),
    ("521213", "Honor Output Kegiatan", "Honor narasumber bimbingan kelompok", 32_000_000),
    ("522151", "Belanja Jasa Profesi", "Jasa profesi narasumber penyuluhan", 18_000_000),
    ("524111", "Belanja Perjalanan Dinas Biasa", "Perjalanan dinas litmas luar kota", 64_000_000),
    ("524113", "Belanja Perjalanan Dinas Dalam Kota", "Transport kunjungan rumah dan pengawasan klien",
     45_000_000),
    ("521219", "Belanja Barang Non Operasional Lainnya", "Perlengkapan kegiatan Pokmas Lipas", 15_000_000),
)
SAKTI_PREFIX = "3942.BAA.001.051.A."
