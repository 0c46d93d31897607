"""Office-style workbooks of the demo: title rows, a two-row merged header, a numbering row, spacer rows,
totals, a signature block, and values typed the way people type them (plus a few deliberate errors)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

from etl import demo_vocab as V
from etl.demo_sim import OfficeData

EXCEL_EPOCH = dt.date(1899, 12, 30)
FILES = {
    "klien": "Data Klien.xlsx",
    "kehadiran": "Kehadiran.xlsx",
    "mitra": "Mitra Pokmas Lipas.xlsx",
    "anggaran": "Realisasi Anggaran.xlsx",
    "hambatan": "Hambatan Program.xlsx",
}


@dataclass(frozen=True)
class Col:
    """One sheet column: its (lower) header, the merged group label above it, the field it shows."""

    header: str
    field: str
    group: str | None = None
    width: float = 14


@dataclass
class Sheet:
    name: str
    titles: list[str]
    cols: list[Col]
    rows: list[list[object]]
    signature: list[list[tuple[int, str]]]
    bad: dict[int, str] = field(default_factory=dict)  # row position → why it is rejected
    total: bool = False


def tanggal_indo(d: dt.date) -> str:
    """'31 Oktober 2026'."""
    return f"{d.day} {V.BULAN[d.month]} {d.year}"


class Typist:
    """Writes clean values the way office staff type them, deterministically from one Generator."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng

    def chance(self, p: float) -> bool:
        return bool(self.rng.random() < p)

    def choice(self, options):
        return options[int(self.rng.integers(0, len(options)))]

    def date(self, value, p_text: float = 0.12):
        if value is None or pd.isna(value):
            return None
        d = pd.Timestamp(value).date()
        if not self.chance(p_text):
            return d
        style = int(self.rng.integers(0, 7))
        month = V.BULAN[d.month]
        if style == 0:
            return f"{d.day} {month} {d.year}"
        if style == 1:
            return f"{d:%d/%m/%Y}"
        if style == 2:
            return f"{V.HARI[d.weekday()]}, {d.day} {month} {d.year}"
        if style == 3:
            return f"{d:%d-%m-%Y}"
        if style == 4:
            return f"{d.day} {V.BULAN_SINGKAT[d.month]} {d.year}"
        if style == 5:
            return f"{d.day} {V.BULAN_LAMA.get(d.month, month)} {d.year}"
        return f"{d:%d.%m.%Y}"

    def money(self, value, p_text: float = 0.15):
        if value is None or pd.isna(value):
            return None
        v = int(value)
        if not self.chance(p_text):
            return v
        dotted = f"{v:,}".replace(",", ".")
        return self.choice((f"Rp {dotted}", f"Rp{dotted},00", f"Rp. {dotted},-", dotted))

    def months(self, value):
        if value is None or pd.isna(value):
            return None
        v = int(value)
        y, m = divmod(v, 12)
        u = self.rng.random()
        if u < 0.45 or y == 0:
            return v
        if u < 0.85:
            return f"{y} tahun" if m == 0 else f"{y} tahun {m} bulan"
        return f"{y} thn" if m == 0 else f"{y} thn {m} bln"


def _text(value):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value


# ------------------------------------------------------------------------------------- layouts
KLIEN_COLS = [
    Col("No.", "_no", width=6), Col("No. Register", "no_register", width=20), Col("NIK", "nik", width=19),
    Col("Nama Klien", "nama", width=26), Col("JK", "jenis_kelamin", width=10), Col("Tgl Lahir", "tanggal_lahir"),
    Col("Agama", "agama", width=10), Col("Pendidikan Terakhir", "pendidikan", width=12),
    Col("Pekerjaan", "pekerjaan_awal", width=18),
    Col("Kecamatan", "kecamatan", "Alamat", 20), Col("Kabupaten/Kota", "kabupaten_kota", "Alamat", 20),
    Col("Tindak Pidana", "tindak_pidana", "Putusan", 34), Col("Pasal", "pasal", "Putusan", 30),
    Col("Lama Pidana", "lama_pidana_bulan", "Putusan", 16),
    Col("Residivis ke-", "jumlah_pidana_sebelumnya", width=10), Col("Jenis Integrasi", "program_integrasi", width=20),
    Col("Dasar Hukum", "dasar_hukum", width=24), Col("Asal Lapas/Rutan", "asal_upt", width=34),
    Col("Mulai Bimbingan", "tanggal_mulai_bimbingan", "Tanggal"),
    Col("Akhir Bimbingan", "tanggal_akhir_bimbingan", "Tanggal"),
    Col("Nama PK", "pk_nama", "Pembimbing Kemasyarakatan", 28),
    Col("NIP PK", "pk_nip", "Pembimbing Kemasyarakatan", 22),
    Col("Skor RRI", "skor_rri", "Litmas", 8), Col("Risiko", "kategori_rri", "Litmas", 10),
    Col("Status Klien", "status", "Pengakhiran", 12), Col("Tanggal Status", "tanggal_status", "Pengakhiran"),
    Col("Pelanggaran", "jenis_pelanggaran", "Pengakhiran", 20),
    Col("Residivis", "residivis", "Residivisme", 10), Col("Tgl Tindak Pidana Baru", "tanggal_residivis", "Residivisme"),
    Col("Status Pekerjaan", "status_pekerjaan", "Kondisi Pekerjaan", 16),
    Col("Mitra Penyalur", "kode_mitra_penyalur", "Kondisi Pekerjaan", 12),
    Col("Penghasilan per Bulan (Rp)", "penghasilan_bulanan", "Kondisi Pekerjaan", 16),
]
KEHADIRAN_COLS = [
    Col("No.", "_no", width=7), Col("No. Register", "no_register", width=20), Col("Nama Klien", "_nama", width=26),
    Col("Tanggal Kegiatan", "tanggal", "Rincian Kegiatan"),
    Col("Jenis Kegiatan", "jenis_kegiatan", "Rincian Kegiatan", 22),
    Col("Kode Program", "kode_program", "Rincian Kegiatan", 13), Col("Cara Lapor", "bentuk", "Rincian Kegiatan", 14),
    Col("Durasi (jam)", "durasi_jam", "Rincian Kegiatan", 8),
    Col("Kehadiran", "status_hadir", "Absensi", 12), Col("Alasan", "alasan", "Absensi", 30),
    Col("Petugas", "petugas", width=28),
]
MITRA_COLS = [
    Col("No.", "_no", width=6), Col("Kode Mitra", "kode_mitra", width=11), Col("Nama Lembaga", "nama_mitra", width=44),
    Col("Jenis Lembaga", "jenis_mitra", width=18), Col("Bidang", "bidang", width=14),
    Col("Jenis Pelatihan", "bidang_pelatihan", width=20), Col("Tersertifikasi", "bersertifikat", width=12),
    Col("Nomor PKS", "nomor_pks", "Perjanjian Kerja Sama", 30), Col("Tgl PKS", "tanggal_pks", "Perjanjian Kerja Sama"),
    Col("Masa Berlaku", "berlaku_sampai", "Perjanjian Kerja Sama"),
    Col("Kecamatan", "kecamatan", "Alamat", 20), Col("Kabupaten/Kota", "kabupaten_kota", "Alamat", 20),
    Col("Kuota per Angkatan", "kapasitas_per_angkatan", width=10), Col("Status", "status_aktif", width=12),
    Col("No. HP", "kontak", width=16),
]
PROGRAM_COLS = [
    Col("No.", "_no", width=6), Col("Kode Program", "kode_program", width=13),
    Col("Nama Kegiatan", "nama_program", width=52), Col("Kategori", "kategori", width=22),
    Col("Kode Mitra", "kode_mitra", width=11),
    Col("Tanggal Mulai", "tanggal_mulai", "Pelaksanaan"), Col("Tanggal Selesai", "tanggal_selesai", "Pelaksanaan"),
    Col("Kuota Peserta", "kuota", width=9), Col("Jumlah Jam", "total_jam", width=9),
    Col("Sertifikat", "bersertifikat", width=10),
]
ANGGARAN_COLS = [
    Col("No.", "_no", width=6), Col("TA", "tahun_anggaran", width=7), Col("Bulan", "bulan", width=11),
    Col("MAK", "kode_akun", "Mata Anggaran", 26), Col("Uraian Akun", "uraian_akun", "Mata Anggaran", 34),
    Col("Kode Program", "kode_program", width=13), Col("Uraian", "uraian", width=60),
    Col("Pagu", "pagu", "Nilai (Rp)", 16), Col("RPD", "rencana", "Nilai (Rp)", 16),
    Col("Realisasi", "realisasi", "Nilai (Rp)", 16),
]
HAMBATAN_COLS = [
    Col("No.", "_no", width=6), Col("Tanggal", "tanggal"), Col("Faktor", "faktor", width=11),
    Col("Sumber", "sumber", width=11), Col("Jenis Hambatan", "kategori", width=34), Col("Uraian", "uraian", width=70),
    Col("Kode Program", "kode_program", "Terkait", 13), Col("Kode Mitra", "kode_mitra", "Terkait", 11),
    Col("No. Register", "no_register", "Terkait", 20), Col("Tindak Lanjut", "tindak_lanjut", width=44),
    Col("Status", "status", width=11), Col("Pelapor", "dilaporkan_oleh", width=30),
]

SPELL = {
    "jenis_kegiatan": {"WAJIB_LAPOR": ("Wajib Lapor", "Wajib Lapor", "Wajib Lapor", "Lapor Diri"),
                       "BIMBINGAN_KEPRIBADIAN": ("Bimbingan Kepribadian",),
                       "BIMBINGAN_KEMANDIRIAN": ("Bimbingan Kemandirian",),
                       "PELATIHAN_KERJA": ("Pelatihan Kerja",),
                       "BIMBINGAN_KEAGAMAAN": ("Bimbingan Keagamaan",),
                       "PENDIDIKAN_KESETARAAN": ("Pendidikan Kesetaraan", "Kejar Paket"),
                       "SEMINAR_PENYULUHAN": ("Seminar/Penyuluhan", "Penyuluhan"),
                       "KUNJUNGAN_RUMAH": ("Kunjungan Rumah", "Kunjungan Rumah", "Home Visit")},
    "bentuk": {"TATAP_MUKA": ("Tatap Muka", "Tatap Muka", "Datang Langsung"), "DARING": ("Daring", "Video Call"),
               "KUNJUNGAN_RUMAH": ("Kunjungan Rumah",)},
    "status_hadir": {"HADIR": ("Hadir",), "TERLAMBAT": ("Terlambat", "Terlambat", "Telat"), "IZIN": ("Izin", "Ijin"),
                     "TIDAK_HADIR": ("Alpa", "Tidak Hadir", "Mangkir")},
    "status": {"AKTIF": ("Aktif", "AKTIF"), "SELESAI": ("Selesai", "SELESAI", "Bebas Murni"),
               "DICABUT": ("Dicabut", "DICABUT"), "MENINGGAL": ("Meninggal Dunia", "Meninggal"),
               "PINDAH": ("Pindah", "Pindah Bapas"), "BURON": ("Buron", "DPO")},
    "jenis_pelanggaran": {"TINDAK_PIDANA_BARU": ("Tindak Pidana Baru", "Melakukan Tindak Pidana Baru"),
                          "TIDAK_WAJIB_LAPOR": ("Tidak Wajib Lapor", "Tidak Melaksanakan Wajib Lapor"),
                          "PINDAH_TANPA_LAPOR": ("Pindah Tanpa Lapor",), "TIDAK_IKUT_PROGRAM": ("Tidak Ikut Program",),
                          "MERESAHKAN": ("Meresahkan Masyarakat",), "LAINNYA": ("Lainnya",)},
    "status_pekerjaan": {"BELUM_BEKERJA": ("Belum Bekerja", "Belum Bekerja", "Tidak Bekerja"),
                         "BEKERJA": ("Bekerja", "Bekerja", "Karyawan"),
                         "USAHA_MANDIRI": ("Usaha Mandiri", "Wiraswasta")},
    "agama": {"Islam": ("Islam",), "Kristen": ("Kristen", "Protestan"), "Katolik": ("Katolik",),
              "Hindu": ("Hindu",), "Buddha": ("Buddha", "Budha"), "Konghucu": ("Konghucu",)},
    "pendidikan": {"Tidak Sekolah": ("Tidak Sekolah", "Tidak Tamat SD"), "SD": ("SD",), "SMP": ("SMP", "SLTP"),
                   "SMA/SMK": ("SMA/SMK", "SLTA", "SMA", "SMK"), "Diploma": ("D3", "Diploma"), "S1+": ("S1",)},
    "kategori_program": {"PELATIHAN_KERJA": ("Pelatihan Kerja",), "BIMBINGAN_KEMANDIRIAN": ("Bimbingan Kemandirian",),
                         "BIMBINGAN_KEAGAMAAN": ("Bimbingan Keagamaan",),
                         "PENDIDIKAN_KESETARAAN": ("Pendidikan Kesetaraan",),
                         "SEMINAR_PENYULUHAN": ("Seminar/Penyuluhan",),
                         "BIMBINGAN_KEPRIBADIAN": ("Bimbingan Kepribadian",)},
    "faktor": {"INTERNAL": ("Internal",), "EKSTERNAL": ("Eksternal",)},
    "sumber": {"BAPAS": ("Bapas",), "KLIEN": ("Klien",), "KELUARGA": ("Keluarga",), "MITRA": ("Mitra",),
               "MASYARAKAT": ("Masyarakat",)},
    "status_hambatan": {"TERBUKA": ("Terbuka",), "DITANGANI": ("Ditangani", "Dalam Proses"), "SELESAI": ("Selesai",)},
}


def _spell(t: Typist, vocab: str, code):
    if code is None or (not isinstance(code, str) and pd.isna(code)):
        return None
    return t.choice(SPELL[vocab][code])


# --------------------------------------------------------------------------------- sheet rows
def klien_sheet(data: OfficeData, t: Typist, signature) -> Sheet:
    k = data.klien
    rows = []
    upper_names = t.rng.random(len(k)) < 0.3
    for i, r in enumerate(k.itertuples(index=False)):
        kec = r.kecamatan
        if kec in V.KECAMATAN_VARIAN_TULIS and t.chance(0.3):
            kec = V.KECAMATAN_VARIAN_TULIS[kec]
        nip = r.pk_nip
        if t.chance(0.2):
            nip = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
        jk = r.jenis_kelamin if t.chance(0.5) else {"L": "Laki-laki", "P": "Perempuan"}[r.jenis_kelamin]
        rows.append([
            i + 1, r.no_register, _text(r.nik), r.nama.upper() if upper_names[i] else r.nama, jk,
            t.date(r.tanggal_lahir), _spell(t, "agama", r.agama), _spell(t, "pendidikan", r.pendidikan),
            r.pekerjaan_awal, kec, t.choice(V.KABUPATEN_TULISAN.get(r.kabupaten_kota, (r.kabupaten_kota,))),
            r.tindak_pidana, r.pasal, t.months(r.lama_pidana_bulan), int(r.jumlah_pidana_sebelumnya),
            t.choice(V.PROGRAM_TULISAN[r.program_integrasi]), r.dasar_hukum, _text(r.asal_upt),
            t.date(r.tanggal_mulai_bimbingan), t.date(r.tanggal_akhir_bimbingan), r.pk_nama, nip,
            int(r.skor_rri), r.kategori_rri, _spell(t, "status", r.status), t.date(r.tanggal_status),
            _spell(t, "jenis_pelanggaran", _text(r.jenis_pelanggaran)), "Ya" if r.residivis else "Tidak",
            t.date(r.tanggal_residivis), _spell(t, "status_pekerjaan", r.status_pekerjaan),
            _text(r.kode_mitra_penyalur), t.money(r.penghasilan_bulanan, 0.2),
        ])
    bad: dict[int, str] = {}
    # deliberate errors (see etl/demo.py): a repeated row, a row without register, an unknown status
    n = len(rows)
    j = int(t.rng.integers(n // 4, n // 2))
    dup = list(rows[j])
    blank = list(rows[int(t.rng.integers(0, n))])
    blank[1], blank[3] = None, "Rohman Saputra"
    moved = list(rows[int(t.rng.integers(0, n))])
    moved[1], moved[3], moved[24], moved[25] = f"PB.9990/{data.office.short}/2024", "Darmawan Putra", \
        "Pindah Alamat", t.date(pd.Timestamp(data.as_of) - pd.Timedelta(days=40), 0)
    for row, why, lo in ((dup, "duplikat No. Register", j + 1), (blank, "No. Register kosong", 0),
                         (moved, "status 'Pindah Alamat' tidak dikenal", 0)):
        pos = int(t.rng.integers(max(lo, 1), len(rows)))
        rows.insert(pos, row)
        bad = {(p + 1 if p >= pos else p): w for p, w in bad.items()}
        bad[pos] = why
    for i, row in enumerate(rows):
        row[0] = i + 1
    return Sheet("Data Klien", ["DATA KLIEN PEMASYARAKATAN", data.office.nama.upper(),
                                f"Keadaan s.d. {tanggal_indo(data.as_of)}"], KLIEN_COLS, rows, signature, bad)


def kehadiran_sheets(data: OfficeData, t: Typist, signature_for) -> list[Sheet]:
    h = data.kehadiran
    names = dict(zip(data.klien["no_register"], data.klien["nama"]))
    year = h["tanggal"].dt.year.to_numpy()
    sheets = []
    cols = ("no_register", "tanggal", "jenis_kegiatan", "kode_program", "bentuk", "status_hadir", "alasan",
            "durasi_jam", "petugas")
    arrays = {c: h[c].astype(object).to_numpy() for c in cols}
    rng = t.rng
    years = sorted(set(year.tolist()))
    for y in years:
        idx = np.flatnonzero(year == y)
        n = len(idx)
        text_date = rng.random(n) < 0.08
        u = rng.random((n, 4))
        rows = []
        for k, i in enumerate(idx):
            reg = arrays["no_register"][i]
            d = pd.Timestamp(arrays["tanggal"][i]).date()
            rows.append([
                k + 1, reg, names[reg], t.date(d, 1.0) if text_date[k] else d,
                _pick(SPELL["jenis_kegiatan"][arrays["jenis_kegiatan"][i]], u[k, 0]),
                arrays["kode_program"][i], _pick(SPELL["bentuk"][arrays["bentuk"][i]], u[k, 1]),
                float(arrays["durasi_jam"][i]), _pick(SPELL["status_hadir"][arrays["status_hadir"][i]], u[k, 2]),
                arrays["alasan"][i], arrays["petugas"][i],
            ])
        sheets.append(Sheet(str(y), ["REKAPITULASI KEHADIRAN WAJIB LAPOR DAN BIMBINGAN KLIEN", data.office.nama.upper(),
                                     f"TAHUN {y}"], KEHADIRAN_COLS, rows, signature_for(y)))
    # deliberate errors: an unknown client, a two-digit year, an unknown status, a date in the future
    regs = data.klien["no_register"].to_numpy()
    some = regs[int(rng.integers(0, len(regs)))]
    pk = data.kehadiran["petugas"].astype(object).iloc[0]
    mid = sheets[len(sheets) // 2]
    last = sheets[-1]
    errors = [
        (sheets[min(2, len(sheets) - 1)], [None, f"PB.9999/{data.office.short}/2023", "Suparman",
          dt.date(int(sheets[min(2, len(sheets) - 1)].name), 3, 14), "Wajib Lapor", None, "Tatap Muka", 0.5, "Hadir",
          None, pk], "klien tidak dikenal"),
        (sheets[min(1, len(sheets) - 1)], [None, some, names[some], "12/03/22", "Kunjungan Rumah", None,
                                           "Kunjungan Rumah", 1.0, "Hadir", None, pk], "tahun dua digit"),
        (mid, [None, some, names[some], dt.date(int(mid.name), 5, 20), "Bimbingan Kepribadian", None, "Tatap Muka",
               2.0, "Pindah Alamat", "pindah ke Metro", pk], "status kehadiran tidak dikenal"),
        (last, [None, some, names[some], f"15/03/{2062}", "Wajib Lapor", None, "Tatap Muka", 0.5, "Hadir", None, pk],
         "tanggal sesudah tanggal pemuatan"),
    ]
    for sheet, row, why in errors:
        pos = int(rng.integers(1, len(sheet.rows)))
        sheet.rows.insert(pos, row)
        sheet.bad = {(p + 1 if p >= pos else p): w for p, w in sheet.bad.items()}
        sheet.bad[pos] = why
    for sheet in sheets:
        for i, row in enumerate(sheet.rows):
            row[0] = i + 1
    return sheets


def _pick(options, u):
    return options[int(u * len(options))]


def mitra_sheets(data: OfficeData, t: Typist, signature) -> list[Sheet]:
    rows = []
    for i, r in enumerate(data.mitra.itertuples(index=False)):
        rows.append([
            i + 1, r.kode_mitra, r.nama_mitra, t.choice(V.JENIS_MITRA_TULISAN[r.jenis_mitra]),
            V.BIDANG_TULISAN[r.bidang], _text(r.bidang_pelatihan), "Ya" if r.bersertifikat else "Tidak",
            r.nomor_pks, t.date(r.tanggal_pks), t.date(r.berlaku_sampai), r.kecamatan,
            t.choice(V.KABUPATEN_TULISAN.get(r.kabupaten_kota, (r.kabupaten_kota,))), int(r.kapasitas_per_angkatan),
            "Aktif" if r.status_aktif else "Tidak Aktif", r.kontak,
        ])
    extra = [None, f"MITRA-{len(rows) + 1:02d}", "Bengkel Las Sinar Harapan", "UMKM", "Kemandirian", "Las", "Proses",
             None, None, None, "Kemiling", "Bandar Lampung", 10, "Aktif", "0813-7788-1020"]
    pos = len(rows)
    rows.append(extra)
    for i, row in enumerate(rows):
        row[0] = i + 1
    mitra = Sheet("Mitra", ["DAFTAR MITRA KERJA SAMA POKMAS LIPAS", data.office.nama.upper(),
                            f"Keadaan s.d. {tanggal_indo(data.as_of)}"], MITRA_COLS, rows, signature,
                  {pos: "Tersertifikasi 'Proses' bukan Ya/Tidak"})
    prows = []
    for i, r in enumerate(data.program.itertuples(index=False)):
        prows.append([i + 1, r.kode_program, r.nama_program, _spell(t, "kategori_program", r.kategori),
                      _text(r.kode_mitra), t.date(r.tanggal_mulai), t.date(r.tanggal_selesai), int(r.kuota),
                      float(r.total_jam), "Ya" if r.bersertifikat else "Tidak"])
    program = Sheet("Program", ["DAFTAR PROGRAM PEMBIMBINGAN BERSAMA MITRA", data.office.nama.upper(),
                                f"Keadaan s.d. {tanggal_indo(data.as_of)}"], PROGRAM_COLS, prows, signature)
    return [mitra, program]


def anggaran_sheets(data: OfficeData, t: Typist, signature_for) -> list[Sheet]:
    a = data.anggaran
    sheets = []
    for year, part in a.groupby("tahun_anggaran", sort=True):
        month_names = t.chance(0.5)
        rows = []
        for i, r in enumerate(part.itertuples(index=False)):
            bulan = None if pd.isna(r.bulan) else (V.BULAN[int(r.bulan)] if month_names else int(r.bulan))
            u = t.rng.random()
            akun = f"{V.SAKTI_PREFIX}{r.kode_akun}" if u < 0.25 else (int(r.kode_akun) if u < 0.5 else r.kode_akun)
            rows.append([i + 1, int(year), bulan, akun, r.uraian_akun, _text(r.kode_program), r.uraian,
                         t.money(r.pagu), t.money(r.rencana), t.money(r.realisasi)])
        sheets.append(Sheet(f"TA {year}", ["LAPORAN REALISASI ANGGARAN BIMBINGAN KLIEN", data.office.nama.upper(),
                                           f"TAHUN ANGGARAN {year}"], ANGGARAN_COLS, rows, signature_for(int(year)),
                            total=True))
    # deliberate error: a correction typed as a negative realisation
    sheet = sheets[min(1, len(sheets) - 1)]
    pos = int(t.rng.integers(1, len(sheet.rows)))
    sheet.rows.insert(pos, [None, int(sheet.name[3:]), "Juni", "521211", "Belanja Bahan", None,
                            "Koreksi pengembalian belanja bahan", None, None, "-2.500.000"])
    sheet.bad = {pos: "realisasi negatif"}
    for s in sheets:
        for i, row in enumerate(s.rows):
            row[0] = i + 1
    return sheets


def hambatan_sheet(data: OfficeData, t: Typist, signature) -> Sheet:
    rows = []
    for i, r in enumerate(data.hambatan.itertuples(index=False)):
        rows.append([i + 1, t.date(r.tanggal), _spell(t, "faktor", r.faktor), _spell(t, "sumber", r.sumber),
                     t.choice(V.HAMBATAN_TULISAN[r.kategori]), r.uraian, _text(r.kode_program), _text(r.kode_mitra),
                     _text(r.no_register), r.tindak_lanjut, _spell(t, "status_hambatan", r.status),
                     r.dilaporkan_oleh])
    pos = int(t.rng.integers(1, len(rows)))
    rows.insert(pos, [None, "31/02/2024", "Eksternal", "Klien", "Klien Kurang Serius",
                      "Klien tidak datang bimbingan kelompok", None, None, None, "Konseling individu oleh PK",
                      "Selesai", "Kasubsi Bimbingan Klien Dewasa"])
    for i, row in enumerate(rows):
        row[0] = i + 1
    first, last = data.hambatan["tanggal"].min().year, data.as_of.year
    return Sheet("Hambatan", ["BUKU CATATAN HAMBATAN PELAKSANAAN PROGRAM POKMAS LIPAS", data.office.nama.upper(),
                              f"Tahun {first} s.d. {last}"], HAMBATAN_COLS, rows, signature,
                 {pos: "tanggal 31/02/2024 tidak ada"})


# ----------------------------------------------------------------------------------------- writer
class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook):
        self.title = wb.add_format({"bold": True, "align": "center", "font_size": 12})
        self.head = wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1,
                                   "text_wrap": True, "bg_color": "#D9E1F2"})
        self.num = wb.add_format({"align": "center", "italic": True, "border": 1, "font_size": 9})
        self.date = wb.add_format({"num_format": "dd/mm/yyyy", "border": 1})
        self.cell = wb.add_format({"border": 1})
        self.money = wb.add_format({"num_format": "#,##0", "border": 1})
        self.total = wb.add_format({"bold": True, "num_format": "#,##0", "border": 1})
        self.plain = wb.add_format({})


def write_sheet(wb: xlsxwriter.Workbook, f: _Formats, sheet: Sheet) -> dict[int, int]:
    """Write one sheet; returns the Excel row number (1-based) of every data row position."""
    ws = wb.add_worksheet(sheet.name)
    ncol = len(sheet.cols)
    for c, col in enumerate(sheet.cols):
        ws.set_column(c, c, col.width)
    r = 0
    for title in sheet.titles:
        ws.merge_range(r, 0, r, ncol - 1, title, f.title)
        r += 1
    r += 1
    upper, lower = r, r + 1
    c = 0
    while c < ncol:
        col = sheet.cols[c]
        if col.group is None:
            ws.merge_range(upper, c, lower, c, col.header, f.head)
            c += 1
            continue
        end = c
        while end + 1 < ncol and sheet.cols[end + 1].group == col.group:
            end += 1
        if end > c:
            ws.merge_range(upper, c, upper, end, col.group, f.head)
        else:
            ws.write_string(upper, c, col.group, f.head)
        for k in range(c, end + 1):
            ws.write_string(lower, k, sheet.cols[k].header, f.head)
        c = end + 1
    r = lower + 1
    for k in range(ncol):
        ws.write_string(r, k, f"({k + 1})", f.num)
    r += 1
    money_cols = {i for i, col in enumerate(sheet.cols) if col.field in ("pagu", "rencana", "realisasi",
                                                                           "penghasilan_bulanan")}
    n = len(sheet.rows)
    rng = np.random.default_rng(len(sheet.rows) * 7919 + ncol)
    spacers = set()
    if n > 8:  # a few empty rows between data rows, as in real sheets
        spacers = set(rng.choice(np.arange(5, n - 1), size=3, replace=False).tolist())
    excel_row: dict[int, int] = {}
    first_data = r
    for i, row in enumerate(sheet.rows):
        if i in spacers:
            r += 1
        excel_row[i] = r + 1
        for k, v in enumerate(row):
            if v is None or v is pd.NA or (isinstance(v, float) and v != v):
                continue
            if isinstance(v, str):
                ws.write_string(r, k, v, f.cell)
            elif isinstance(v, dt.date):
                ws.write_number(r, k, (v - EXCEL_EPOCH).days, f.date)
            elif isinstance(v, (bool, np.bool_)):
                ws.write_string(r, k, "Ya" if v else "Tidak", f.cell)
            else:
                ws.write_number(r, k, v, f.money if k in money_cols else f.cell)
        r += 1
    if sheet.total:
        ws.write_string(r, 0, "JUMLAH", f.total)
        for k in sorted(money_cols):
            letter = xlsxwriter.utility.xl_col_to_name(k)
            value = sum(row[k] for row in sheet.rows if isinstance(row[k], (int, float)))
            ws.write_formula(r, k, f"=SUM({letter}{first_data + 1}:{letter}{r})", f.total, value)
        r += 1
    r += 1
    for line in sheet.signature:
        for k, text in line:
            ws.write_string(r, min(k, ncol - 1) if k >= 0 else max(ncol - 3, 1), text, f.plain)
        r += 1
    return excel_row


def write_workbook(path: Path, sheets: list[Sheet], created: dt.datetime) -> list[dict]:
    """Write one workbook; returns the deliberate bad rows as {file, sheet, row, why}."""
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": created, "author": "Bapas", "title": path.stem})
    f = _Formats(wb)
    bad = []
    for sheet in sheets:
        rows = write_sheet(wb, f, sheet)
        bad += [{"file": path.name, "sheet": sheet.name, "row": rows[p], "why": w}
                for p, w in sorted(sheet.bad.items())]
    wb.close()
    return bad


def write_office_workbooks(data: OfficeData, out_dir: Path, rng: np.random.Generator) -> tuple[list[Path], list[dict]]:
    """Write the five workbooks of one office into out_dir; returns (paths, deliberate bad rows)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    t = Typist(rng)
    as_of = data.as_of
    kepala = _kepala(rng)

    def signature(d: dt.date, with_known: bool = False):
        lines = [[(-1, f"{data.office.kota}, {tanggal_indo(d)}")]]
        if with_known:
            lines = [[(1, "Mengetahui,"), (-1, f"{data.office.kota}, {tanggal_indo(d)}")]]
        return lines + [[(-1, f"Kepala {data.office.nama}")], [], [], [(-1, kepala[0])], [(-1, f"NIP. {kepala[1]}")]]

    def year_end(y: int) -> dt.date:
        return min(dt.date(y, 12, 31), as_of)

    created = dt.datetime(as_of.year, as_of.month, as_of.day, 16, 0, 0)
    jobs = [
        ("klien", [klien_sheet(data, t, signature(as_of))]),
        ("kehadiran", kehadiran_sheets(data, t, lambda y: signature(year_end(y), True))),
        ("mitra", mitra_sheets(data, t, signature(as_of))),
        ("anggaran", anggaran_sheets(data, t, lambda y: signature(year_end(y)))),
        ("hambatan", [hambatan_sheet(data, t, signature(as_of))]),
    ]
    paths, bad = [], []
    for kind, sheets in jobs:
        path = out_dir / FILES[kind]
        bad += write_workbook(path, sheets, created)
        paths.append(path)
    return paths, bad


def _kepala(rng: np.random.Generator) -> tuple[str, str]:
    first = V.NAMA_LAKI[int(rng.integers(0, len(V.NAMA_LAKI)))]
    last = V.NAMA_BELAKANG[int(rng.integers(0, len(V.NAMA_BELAKANG)))]
    y = int(rng.integers(1968, 1978))
    nip = f"{y}{int(rng.integers(1, 13)):02d}{int(rng.integers(1, 29)):02d}{y + 24}03{1}{int(rng.integers(1, 9)):03d}"
    return f"{first} {last}, S.H., M.H.", nip
