"""Jelajah Data: the curated datasets an analyst may explore, and the explorer that filters, groups and measures them.

Each dataset is a select over the analytics database, shaped for the viewer's role: `analis` gets a stable pseudonym
where a row names a client, `kepala` gets the register number (and, for clients, the name) beside it; other roles
get nothing. The SQL sandbox (analytics/sandbox.py) serves exactly these selects as its tables. The explorer builds
its SQL from the catalogue only: column names, grains and measures are looked up, values are bound parameters.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from analytics import db, format as fmt
from analytics.charts_anggaran import money_scale, money_ticks
from analytics.filters import program_label
from analytics.viewer import PAGES, AccessDenied, Viewer, identity_columns

PAGE = "jelajah"
MAX_DIMENSIONS = 2
MAX_GROUPS = 5000
MAX_OPTIONS = 500
EMPTY = "(kosong)"

# Column kinds: what a column holds decides its filter widget, whether it can group, and which measures it takes.
CATEGORY, DATE, NUMBER, MONEY, SHARE, FLAG, TEXT, IDENTITY = (
    "kategori", "tanggal", "angka", "uang", "persen", "ya_tidak", "teks", "identitas")
KIND_LABELS = {CATEGORY: "kategori", DATE: "tanggal", NUMBER: "angka", MONEY: "rupiah", SHARE: "bagian (0–1)",
               FLAG: "ya/tidak", TEXT: "teks bebas", IDENTITY: "identitas"}
GROUPABLE = (CATEGORY, FLAG, DATE)
FILTERABLE = (CATEGORY, FLAG, DATE, NUMBER, MONEY, SHARE)
NUMERIC = (NUMBER, MONEY, SHARE)
GRAINS = {"bulan": ("month", "bulan"), "triwulan": ("quarter", "triwulan"), "tahun": ("year", "tahun")}
CHARTS = {"batang": "Batang", "garis": "Garis", "tumpuk": "Batang bertumpuk", "panas": "Peta panas"}
# URL keys of the exploration; the frame's filters use periode, dari, sampai, kode_bapas, program_integrasi, pk_nip
QUERY_KEYS = ("j_data", "j_kelompok", "j_ukuran", "j_saring", "j_grafik")


@dataclass(frozen=True)
class Column:
    """One column of a curated dataset."""

    name: str
    label: str
    kind: str
    description: str


@dataclass(frozen=True)
class Ratio:
    """A rate measure: sum of one column ÷ sum of another, over the rows of a group."""

    name: str
    label: str
    numerator: str
    denominator: str
    description: str


@dataclass(frozen=True)
class Dataset:
    """A curated dataset: a select with its grain, columns and the rates it offers.

    `sql` holds `{identity}` where the person columns go (built from the alias `person`), or no person at all.
    """

    name: str
    label: str
    grain: str
    description: str
    sql: str
    columns: tuple[Column, ...]
    person: str | None = None
    names: bool = False
    ratios: tuple[Ratio, ...] = ()
    sources: tuple[str, ...] = ()

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _c(name: str, label: str, kind: str, description: str) -> Column:
    return Column(name, label, kind, description)


_KODE_BAPAS = _c("kode_bapas", "Kode Bapas", CATEGORY, "Kode kantor Bapas pemilik data.")
_PROGRAM_INTEGRASI = _c("program_integrasi", "Program integrasi", CATEGORY,
                        "PB, CB, CMB, ASIMILASI, PIB, DIVERSI, PIDANA_PENGAWASAN atau LAINNYA (data klien terbaru).")
_KATEGORI_PIDANA = _c("kategori_pidana", "Kategori pidana", CATEGORY,
                      "Kelompok tindak pidana (Narkotika, Pencurian, …) seperti dicatat atau diturunkan saat dimuat.")
_KATEGORI_RRI = _c("kategori_rri", "Kategori RRI", CATEGORY, "Tingkat risiko yang dicatat PK: Rendah, Sedang, Tinggi.")
_KECAMATAN = _c("kecamatan", "Kecamatan", CATEGORY, "Kecamatan tempat tinggal klien (data klien terbaru).")
_PK_NAMA = _c("pk_nama", "Nama PK", CATEGORY, "Pembimbing Kemasyarakatan yang menangani kasus (data klien terbaru).")
_KODE_PROGRAM = _c("kode_program", "Kode program", CATEGORY, "Kode angkatan program.")
_NAMA_PROGRAM = _c("nama_program", "Nama program", CATEGORY, "Nama angkatan program, mis. «Pelatihan Las Angkatan I».")
_KATEGORI_PROGRAM = _c("kategori", "Kategori program", CATEGORY,
                       "Jenis kegiatan program: BIMBINGAN_KEPRIBADIAN, PELATIHAN_KERJA, BIMBINGAN_KEAGAMAAN, …")
_KODE_MITRA = _c("kode_mitra", "Kode mitra", CATEGORY, "Kode mitra penyelenggara.")
_NAMA_MITRA = _c("nama_mitra", "Nama mitra", CATEGORY, "Nama mitra penyelenggara.")
_ATTENDED = "('HADIR', 'TERLAMBAT')"
_PROGRAM_ACTIVITY = "jenis_kegiatan not in ('WAJIB_LAPOR', 'KUNJUNGAN_RUMAH')"

DATASETS: dict[str, Dataset] = {d.name: d for d in (
    Dataset(
        "klien", "Klien",
        "Satu baris per kasus bimbingan klien.",
        "Data klien beserta turunan yang dipakai halaman lain: tanggal akhir efektif, hasil pengakhiran, "
        "sejahtera, kelompok umur, aktif pada tanggal data, dan rangkaian mangkir wajib lapor terpanjang. "
        "NIK dan tanggal lahir tidak disertakan (umur saat mulai sudah ada).",
        """select k.kode_bapas, {identity},
                  k.jenis_kelamin, k.umur_saat_mulai, k.kelompok_umur, k.agama, k.pendidikan, k.pekerjaan_awal,
                  k.kecamatan, k.kabupaten_kota, k.tindak_pidana, k.kategori_pidana, k.lama_pidana_bulan,
                  k.jumlah_pidana_sebelumnya, k.program_integrasi, k.asal_upt, k.tanggal_mulai_bimbingan,
                  k.tanggal_akhir_bimbingan, k.tanggal_akhir_efektif,
                  k.tanggal_mulai_bimbingan <= d.tanggal_data
                      and coalesce(k.tanggal_akhir_efektif >= d.tanggal_data, true) as aktif_saat_ini,
                  k.pk_nama, k.skor_rri, k.kategori_rri, k.status, k.tanggal_status, k.hasil_pengakhiran,
                  k.jenis_pelanggaran, k.residivis, k.tanggal_residivis, k.status_pekerjaan, k.sejahtera,
                  k.kode_mitra_penyalur, k.penghasilan_bulanan,
                  coalesce(m.mangkir_terpanjang, 0) as mangkir_terpanjang
           from v_klien k
           cross join v_tanggal_data d
           left join mangkir_beruntun m on m.kode_bapas = k.kode_bapas and m.no_register = k.no_register""",
        (
            _KODE_BAPAS,
            _c("jenis_kelamin", "Jenis kelamin", CATEGORY, "L atau P."),
            _c("umur_saat_mulai", "Umur saat mulai", NUMBER, "Umur (tahun) pada tanggal mulai bimbingan."),
            _c("kelompok_umur", "Kelompok umur", CATEGORY, "<25, 25–45, >45 tahun saat mulai bimbingan."),
            _c("agama", "Agama", CATEGORY, "Agama klien."),
            _c("pendidikan", "Pendidikan", CATEGORY, "Pendidikan terakhir: Tidak Sekolah, SD, SMP, SMA/SMK, …"),
            _c("pekerjaan_awal", "Pekerjaan awal", TEXT, "Pekerjaan sebelum bimbingan, teks bebas."),
            _KECAMATAN,
            _c("kabupaten_kota", "Kabupaten/kota", CATEGORY, "Kabupaten/kota tempat tinggal."),
            _c("tindak_pidana", "Tindak pidana", TEXT, "Tindak pidana seperti ditulis, teks bebas."),
            _KATEGORI_PIDANA,
            _c("lama_pidana_bulan", "Lama pidana (bulan)", NUMBER, "Lama pidana dalam bulan."),
            _c("jumlah_pidana_sebelumnya", "Pidana sebelumnya", NUMBER, "Jumlah pidana sebelum kasus ini."),
            _PROGRAM_INTEGRASI,
            _c("asal_upt", "Asal UPT", CATEGORY, "Lapas/Rutan asal."),
            _c("tanggal_mulai_bimbingan", "Tanggal mulai bimbingan", DATE, "Tanggal mulai bimbingan."),
            _c("tanggal_akhir_bimbingan", "Tanggal akhir bimbingan", DATE, "Akhir masa bimbingan menurut putusan."),
            _c("tanggal_akhir_efektif", "Tanggal akhir efektif", DATE,
               "Tanggal status bila status bukan AKTIF, selain itu tanggal akhir bimbingan."),
            _c("aktif_saat_ini", "Aktif pada tanggal data", FLAG,
               "Ya bila mulai ≤ tanggal data ≤ tanggal akhir efektif (definisi «klien aktif»)."),
            _PK_NAMA,
            _c("skor_rri", "Skor RRI", NUMBER, "Skor instrumen risiko yang dicatat PK."),
            _KATEGORI_RRI,
            _c("status", "Status", CATEGORY, "AKTIF, SELESAI, DICABUT, MENINGGAL, PINDAH, BURON."),
            _c("tanggal_status", "Tanggal status", DATE, "Tanggal status selain AKTIF."),
            _c("hasil_pengakhiran", "Hasil pengakhiran", CATEGORY,
               "berhasil (SELESAI), netral (MENINGGAL, PINDAH), tidak berhasil (DICABUT, BURON); kosong bila aktif."),
            _c("jenis_pelanggaran", "Jenis pelanggaran", CATEGORY, "Alasan pencabutan atau pelanggaran."),
            _c("residivis", "Residivis", FLAG, "Tindak pidana baru tercatat setelah mulai bimbingan."),
            _c("tanggal_residivis", "Tanggal residivis", DATE, "Tanggal tindak pidana baru."),
            _c("status_pekerjaan", "Status pekerjaan", CATEGORY,
               "BELUM_BEKERJA, BEKERJA, USAHA_MANDIRI (terakhir diketahui)."),
            _c("sejahtera", "Sejahtera", FLAG, "Ya bila status pekerjaan BEKERJA atau USAHA_MANDIRI."),
            _c("kode_mitra_penyalur", "Mitra penyalur", CATEGORY, "Mitra yang mempekerjakan atau menyalurkan klien."),
            _c("penghasilan_bulanan", "Penghasilan per bulan", MONEY, "Penghasilan per bulan yang tercatat (Rp)."),
            _c("mangkir_terpanjang", "Mangkir beruntun terpanjang", NUMBER,
               "Rangkaian wajib lapor TIDAK_HADIR berturut-turut terpanjang (0 bila tidak pernah)."),
        ),
        person="k", names=True,
        sources=("klien", "kehadiran"),
    ),
    Dataset(
        "kehadiran_bulanan", "Kehadiran bulanan per klien",
        "Satu baris per klien per bulan ketika kasusnya aktif (definisi «klien aktif»).",
        "Jadwal dan kehadiran klien dalam sebulan: wajib lapor (hadir, tepat waktu, terlambat, izin, tidak hadir) "
        "dan kegiatan program (bimbingan, pelatihan, seminar; tanpa wajib lapor dan kunjungan rumah), dengan "
        "atribut klien terbaru untuk saringan. «Ikut kegiatan» sama dengan definisi partisipasi program.",
        f"""with bulanan as (
               select kode_bapas, no_register, date_trunc('month', tanggal)::date as bulan,
                      count(*) filter (where jenis_kegiatan = 'WAJIB_LAPOR') as wajib_lapor,
                      count(*) filter (where jenis_kegiatan = 'WAJIB_LAPOR' and status_hadir in {_ATTENDED})
                          as wajib_lapor_hadir,
                      count(*) filter (where jenis_kegiatan = 'WAJIB_LAPOR' and status_hadir = 'HADIR')
                          as wajib_lapor_tepat_waktu,
                      count(*) filter (where jenis_kegiatan = 'WAJIB_LAPOR' and status_hadir = 'TERLAMBAT')
                          as wajib_lapor_terlambat,
                      count(*) filter (where jenis_kegiatan = 'WAJIB_LAPOR' and status_hadir = 'IZIN')
                          as wajib_lapor_izin,
                      count(*) filter (where jenis_kegiatan = 'WAJIB_LAPOR' and status_hadir = 'TIDAK_HADIR')
                          as wajib_lapor_tidak_hadir,
                      count(*) filter (where {_PROGRAM_ACTIVITY}) as kegiatan_terjadwal,
                      count(*) filter (where {_PROGRAM_ACTIVITY} and status_hadir in {_ATTENDED})
                          as kegiatan_hadir,
                      coalesce(sum(durasi_jam) filter (where {_PROGRAM_ACTIVITY} and status_hadir in {_ATTENDED}),
                               0) as jam_hadir,
                      count(*) filter (where jenis_kegiatan = 'KUNJUNGAN_RUMAH') as kunjungan_rumah
               from kehadiran
               group by all
           )
           select b.kode_bapas, {{identity}}, b.bulan,
                  k.program_integrasi, k.kategori_pidana, k.kategori_rri, k.kecamatan, k.pk_nama,
                  coalesce(h.wajib_lapor, 0) as wajib_lapor,
                  coalesce(h.wajib_lapor_hadir, 0) as wajib_lapor_hadir,
                  coalesce(h.wajib_lapor_tepat_waktu, 0) as wajib_lapor_tepat_waktu,
                  coalesce(h.wajib_lapor_terlambat, 0) as wajib_lapor_terlambat,
                  coalesce(h.wajib_lapor_izin, 0) as wajib_lapor_izin,
                  coalesce(h.wajib_lapor_tidak_hadir, 0) as wajib_lapor_tidak_hadir,
                  coalesce(h.kegiatan_terjadwal, 0) as kegiatan_terjadwal,
                  coalesce(h.kegiatan_hadir, 0) as kegiatan_hadir,
                  coalesce(h.kegiatan_hadir, 0) > 0 as ikut_kegiatan,
                  coalesce(h.jam_hadir, 0) as jam_hadir,
                  coalesce(h.kunjungan_rumah, 0) as kunjungan_rumah
           from klien_bulan b
           left join bulanan h on h.kode_bapas = b.kode_bapas and h.no_register = b.no_register
                               and h.bulan = b.bulan
           left join klien k on k.kode_bapas = b.kode_bapas and k.no_register = b.no_register""",
        (
            _KODE_BAPAS,
            _c("bulan", "Bulan", DATE, "Bulan (tanggal 1) ketika kasus aktif."),
            _PROGRAM_INTEGRASI, _KATEGORI_PIDANA, _KATEGORI_RRI, _KECAMATAN, _PK_NAMA,
            _c("wajib_lapor", "Wajib lapor terjadwal", NUMBER, "Jadwal wajib lapor pada bulan itu."),
            _c("wajib_lapor_hadir", "Wajib lapor hadir", NUMBER, "Wajib lapor HADIR atau TERLAMBAT."),
            _c("wajib_lapor_tepat_waktu", "Wajib lapor tepat waktu", NUMBER, "Wajib lapor HADIR."),
            _c("wajib_lapor_terlambat", "Wajib lapor terlambat", NUMBER, "Wajib lapor TERLAMBAT."),
            _c("wajib_lapor_izin", "Wajib lapor izin", NUMBER, "Wajib lapor IZIN."),
            _c("wajib_lapor_tidak_hadir", "Wajib lapor tidak hadir", NUMBER, "Wajib lapor TIDAK_HADIR (mangkir)."),
            _c("kegiatan_terjadwal", "Kegiatan program terjadwal", NUMBER,
               "Jadwal kegiatan selain wajib lapor dan kunjungan rumah."),
            _c("kegiatan_hadir", "Kegiatan program dihadiri", NUMBER, "Kegiatan program yang HADIR atau TERLAMBAT."),
            _c("ikut_kegiatan", "Ikut kegiatan program", FLAG, "Ya bila hadir ≥ 1 kali pada kegiatan program."),
            _c("jam_hadir", "Jam kegiatan dihadiri", NUMBER, "Jumlah durasi (jam) kegiatan program yang dihadiri."),
            _c("kunjungan_rumah", "Kunjungan rumah", NUMBER, "Jadwal kunjungan rumah pada bulan itu."),
        ),
        person="b",
        ratios=(
            Ratio("kepatuhan_wajib_lapor", "Kepatuhan wajib lapor", "wajib_lapor_hadir", "wajib_lapor",
                  "Wajib lapor hadir atau terlambat ÷ wajib lapor terjadwal."),
            Ratio("tepat_waktu", "Wajib lapor tepat waktu", "wajib_lapor_tepat_waktu", "wajib_lapor",
                  "Wajib lapor HADIR ÷ wajib lapor terjadwal."),
            Ratio("kehadiran_kegiatan", "Kehadiran kegiatan program", "kegiatan_hadir", "kegiatan_terjadwal",
                  "Kegiatan program dihadiri ÷ kegiatan program terjadwal."),
        ),
        sources=("klien", "kehadiran"),
    ),
    Dataset(
        "program", "Angkatan program",
        "Satu baris per angkatan program.",
        "Angkatan program beserta mitranya dan partisipasinya: peserta (klien dengan catatan kehadiran di angkatan "
        "itu), peserta yang selesai (hadir pada ≥ ambang sesi), jam yang dihadiri.",
        """select r.kode_bapas, r.kode_program, r.nama_program, r.kategori, r.kode_mitra, m.nama_mitra, m.jenis_mitra,
                  r.tanggal_mulai, r.tanggal_selesai, r.kuota, r.total_jam, p.bersertifikat,
                  r.peserta, r.selesai as peserta_selesai, r.tingkat_penyelesaian, r.jam_hadir
           from v_program_ringkasan r
           left join program p on p.kode_bapas = r.kode_bapas and p.kode_program = r.kode_program
           left join mitra m on m.kode_bapas = r.kode_bapas and m.kode_mitra = r.kode_mitra""",
        (
            _KODE_BAPAS, _KODE_PROGRAM, _NAMA_PROGRAM, _KATEGORI_PROGRAM, _KODE_MITRA, _NAMA_MITRA,
            _c("jenis_mitra", "Jenis mitra", CATEGORY, "PERUSAHAAN, UMKM, LEMBAGA_SOSIAL, …"),
            _c("tanggal_mulai", "Tanggal mulai", DATE, "Tanggal mulai angkatan."),
            _c("tanggal_selesai", "Tanggal selesai", DATE, "Tanggal selesai angkatan."),
            _c("kuota", "Kuota", NUMBER, "Kuota peserta angkatan."),
            _c("total_jam", "Total jam", NUMBER, "Total jam angkatan menurut rencana."),
            _c("bersertifikat", "Bersertifikat", FLAG, "Ya bila angkatan memberi sertifikat."),
            _c("peserta", "Peserta", NUMBER, "Klien dengan catatan kehadiran di angkatan itu."),
            _c("peserta_selesai", "Peserta selesai", NUMBER, "Peserta yang hadir pada ≥ ambang sesi angkatan."),
            _c("tingkat_penyelesaian", "Tingkat penyelesaian", SHARE,
               "Peserta selesai ÷ peserta angkatan ini (rata-ratanya tidak berbobot; pakai rasio untuk gabungan)."),
            _c("jam_hadir", "Jam dihadiri", NUMBER, "Jumlah jam yang dihadiri semua peserta."),
        ),
        ratios=(
            Ratio("penyelesaian", "Tingkat penyelesaian (gabungan)", "peserta_selesai", "peserta",
                  "Peserta selesai ÷ peserta, dijumlah atas angkatan dalam kelompok."),
            Ratio("keterisian_kuota", "Keterisian kuota", "peserta", "kuota", "Peserta ÷ kuota."),
        ),
        sources=("program", "mitra", "kehadiran"),
    ),
    Dataset(
        "peserta_program", "Peserta program",
        "Satu baris per klien per angkatan program yang diikutinya.",
        "Setiap klien yang punya catatan kehadiran di sebuah angkatan: sesi angkatan, sesi yang dihadiri, jam, "
        "selesai atau tidak, dengan atribut klien terbaru (termasuk hasil: status pekerjaan, residivis).",
        """select c.kode_bapas, {identity}, c.kode_program, p.nama_program, p.kategori, p.kode_mitra, m.nama_mitra,
                  k.program_integrasi, k.kategori_pidana, k.kategori_rri, k.kelompok_umur,
                  c.sesi_program, c.sesi_hadir, coalesce(c.jam_hadir, 0) as jam_hadir, c.selesai,
                  k.status_pekerjaan, k.sejahtera, k.residivis
           from penyelesaian_program c
           left join program p on p.kode_bapas = c.kode_bapas and p.kode_program = c.kode_program
           left join mitra m on m.kode_bapas = p.kode_bapas and m.kode_mitra = p.kode_mitra
           left join v_klien k on k.kode_bapas = c.kode_bapas and k.no_register = c.no_register""",
        (
            _KODE_BAPAS, _KODE_PROGRAM, _NAMA_PROGRAM, _KATEGORI_PROGRAM, _KODE_MITRA, _NAMA_MITRA,
            _PROGRAM_INTEGRASI, _KATEGORI_PIDANA, _KATEGORI_RRI,
            _c("kelompok_umur", "Kelompok umur", CATEGORY, "<25, 25–45, >45 tahun saat mulai bimbingan."),
            _c("sesi_program", "Sesi angkatan", NUMBER, "Tanggal pertemuan berbeda angkatan itu."),
            _c("sesi_hadir", "Sesi dihadiri", NUMBER, "Sesi yang dihadiri klien (HADIR/TERLAMBAT)."),
            _c("jam_hadir", "Jam dihadiri", NUMBER, "Jam yang dihadiri klien."),
            _c("selesai", "Selesai", FLAG, "Ya bila hadir pada ≥ ambang sesi angkatan."),
            _c("status_pekerjaan", "Status pekerjaan", CATEGORY, "Status pekerjaan terakhir klien."),
            _c("sejahtera", "Sejahtera", FLAG, "Ya bila BEKERJA atau USAHA_MANDIRI."),
            _c("residivis", "Residivis", FLAG, "Tindak pidana baru tercatat setelah mulai bimbingan."),
        ),
        person="c",
        ratios=(Ratio("kehadiran_sesi", "Kehadiran sesi", "sesi_hadir", "sesi_program",
                      "Sesi dihadiri ÷ sesi angkatan."),),
        sources=("program", "kehadiran", "klien"),
    ),
    Dataset(
        "anggaran", "Baris anggaran",
        "Satu baris per baris anggaran (tahun, bulan, akun, program, uraian).",
        "Pagu (baris tanpa bulan), rencana penarikan dan realisasi per bulan, seperti dimuat dari buku realisasi.",
        """select a.kode_bapas, a.tahun_anggaran, a.bulan,
                  case when a.bulan is not null then make_date(a.tahun_anggaran, a.bulan, 1) end as periode,
                  a.bulan is null as baris_pagu, a.kode_akun, a.uraian_akun, a.kode_program, p.nama_program,
                  a.uraian, a.pagu, a.rencana, a.realisasi, a.melebihi_pagu
           from anggaran a
           left join program p on p.kode_bapas = a.kode_bapas and p.kode_program = a.kode_program""",
        (
            _KODE_BAPAS,
            _c("tahun_anggaran", "Tahun anggaran", CATEGORY, "Tahun anggaran."),
            _c("bulan", "Bulan ke-", CATEGORY, "Bulan 1–12; kosong untuk baris pagu tahunan."),
            _c("periode", "Periode", DATE, "Bulan sebagai tanggal (tanggal 1); kosong untuk baris pagu."),
            _c("baris_pagu", "Baris pagu", FLAG, "Ya untuk baris pagu tahunan (tanpa bulan)."),
            _c("kode_akun", "Kode akun", CATEGORY, "Akun 6 digit, mis. 521211 Belanja Bahan."),
            _c("uraian_akun", "Uraian akun", CATEGORY, "Nama akun."),
            _KODE_PROGRAM, _NAMA_PROGRAM,
            _c("uraian", "Uraian", TEXT, "Uraian baris, mis. «Transport narasumber»."),
            _c("pagu", "Pagu", MONEY, "Pagu tahunan (Rp), pada baris tanpa bulan."),
            _c("rencana", "Rencana", MONEY, "Rencana penarikan bulan itu (Rp)."),
            _c("realisasi", "Realisasi", MONEY, "Realisasi bulan itu (Rp)."),
            _c("melebihi_pagu", "Melebihi pagu", FLAG, "Ya bila realisasi akun/program setahun melebihi pagunya."),
        ),
        ratios=(
            Ratio("serapan", "Serapan (realisasi ÷ pagu)", "realisasi", "pagu",
                  "Realisasi ÷ pagu dalam kelompok; kelompokkan menurut tahun dan akun, bukan bulan "
                  "(pagu tidak punya bulan)."),
            Ratio("realisasi_rencana", "Realisasi ÷ rencana", "realisasi", "rencana", "Realisasi ÷ rencana penarikan."),
        ),
        sources=("anggaran",),
    ),
    Dataset(
        "hambatan", "Hambatan",
        "Satu baris per kejadian hambatan: baris log hambatan atau alasan ketidakhadiran yang dipetakan.",
        "Dua sumber, dibedakan oleh «sumber data»: log hambatan dan alasan ketidakhadiran (kehadiran selain HADIR) "
        "yang dipetakan ke kategori hambatan. Uraian bebas tidak disertakan.",
        """select h.kode_bapas, {identity}, h.tanggal, h.triwulan, h.sumber_data, h.kategori, h.faktor,
                  h.kode_program, h.nama_program, h.kode_mitra, h.nama_mitra, h.status
           from v_hambatan_rinci h""",
        (
            _KODE_BAPAS,
            _c("tanggal", "Tanggal", DATE, "Tanggal kejadian."),
            _c("triwulan", "Triwulan", DATE, "Awal triwulan kejadian."),
            _c("sumber_data", "Sumber data", CATEGORY, "«Log hambatan» atau «Alasan ketidakhadiran»."),
            _c("kategori", "Kategori hambatan", CATEGORY, "Kategori DATA.md §6 (LAINNYA bila kosong)."),
            _c("faktor", "Faktor", CATEGORY, "INTERNAL atau EKSTERNAL."),
            _KODE_PROGRAM, _NAMA_PROGRAM, _KODE_MITRA, _NAMA_MITRA,
            _c("status", "Status penanganan", CATEGORY, "TERBUKA, DITANGANI, SELESAI (log hambatan saja)."),
        ),
        person="h",
        sources=("hambatan", "kehadiran"),
    ),
    Dataset(
        "mitra", "Mitra",
        "Satu baris per mitra.",
        "Mitra Pokmas Lipas dengan perjanjian kerja samanya, jumlah angkatan dan peserta program yang "
        "diselenggarakan, dan klien yang disalurkan bekerja. Kontak tidak disertakan.",
        """with runs as (
               select kode_bapas, kode_mitra, count(*) as jumlah_angkatan, sum(peserta)::bigint as peserta_program,
                      sum(selesai)::bigint as peserta_selesai
               from v_program_ringkasan group by all
           ),
           placed as (
               select kode_bapas, kode_mitra_penyalur as kode_mitra, count(*) as klien_disalurkan
               from klien where kode_mitra_penyalur is not null group by all
           )
           select m.kode_bapas, m.kode_mitra, m.nama_mitra, m.jenis_mitra, m.bidang, m.bidang_pelatihan,
                  m.bersertifikat, m.tanggal_pks, m.berlaku_sampai, m.kecamatan, m.kabupaten_kota,
                  m.kapasitas_per_angkatan, m.status_aktif,
                  coalesce(r.jumlah_angkatan, 0) as jumlah_angkatan,
                  coalesce(r.peserta_program, 0) as peserta_program,
                  coalesce(r.peserta_selesai, 0) as peserta_selesai,
                  coalesce(p.klien_disalurkan, 0) as klien_disalurkan
           from mitra m
           left join runs r on r.kode_bapas = m.kode_bapas and r.kode_mitra = m.kode_mitra
           left join placed p on p.kode_bapas = m.kode_bapas and p.kode_mitra = m.kode_mitra""",
        (
            _KODE_BAPAS, _KODE_MITRA, _NAMA_MITRA,
            _c("jenis_mitra", "Jenis mitra", CATEGORY, "PERUSAHAAN, UMKM, LEMBAGA_SOSIAL, …"),
            _c("bidang", "Bidang", CATEGORY, "KEPRIBADIAN, KEMANDIRIAN, HUKUM_KEMASYARAKATAN."),
            _c("bidang_pelatihan", "Bidang pelatihan", CATEGORY, "Tata Boga, Menjahit, Las, …"),
            _c("bersertifikat", "Bersertifikat", FLAG, "Ya bila mitra dapat menerbitkan sertifikat."),
            _c("tanggal_pks", "Tanggal PKS", DATE, "Tanggal perjanjian kerja sama."),
            _c("berlaku_sampai", "PKS berlaku sampai", DATE, "Akhir masa berlaku perjanjian."),
            _c("kecamatan", "Kecamatan", CATEGORY, "Kecamatan mitra."),
            _c("kabupaten_kota", "Kabupaten/kota", CATEGORY, "Kabupaten/kota mitra."),
            _c("kapasitas_per_angkatan", "Kapasitas per angkatan", NUMBER, "Kapasitas peserta per angkatan."),
            _c("status_aktif", "Aktif", FLAG, "Ya bila mitra masih aktif."),
            _c("jumlah_angkatan", "Jumlah angkatan", NUMBER, "Angkatan program yang diselenggarakan."),
            _c("peserta_program", "Peserta program", NUMBER, "Peserta semua angkatan mitra (dijumlah per angkatan)."),
            _c("peserta_selesai", "Peserta selesai", NUMBER, "Peserta yang selesai."),
            _c("klien_disalurkan", "Klien disalurkan", NUMBER, "Klien yang mitra penyalurnya mitra ini."),
        ),
        ratios=(Ratio("penyelesaian", "Tingkat penyelesaian", "peserta_selesai", "peserta_program",
                      "Peserta selesai ÷ peserta program."),),
        sources=("mitra", "program", "klien"),
    ),
)}

PSEUDONYM = Column("pseudonim", "Pseudonim", IDENTITY,
                   "Kode samaran tetap klien (K-…): sama untuk orang yang sama di semua tabel, tidak dapat dibalik "
                   "tanpa kunci rahasia.")
REGISTER = Column("no_register", "No. Register", IDENTITY, "Nomor register klien.")
NAME = Column("nama", "Nama", IDENTITY, "Nama klien.")


# --- access and the role-shaped datasets ------------------------------------------------------------------

def allowed(viewer: Viewer) -> bool:
    """True for the roles whose menu includes this page (kepala and analis)."""
    return PAGE in PAGES.get(viewer.role, ())


def require(viewer: Viewer) -> None:
    """Refuse the roles that do not get the page (checked where data are read, not only in the menu)."""
    if not allowed(viewer):
        raise AccessDenied("Jelajah Data hanya tersedia untuk Kepala Bapas dan Analis.")


def dataset(name: str) -> Dataset:
    """The catalogue entry, or ValueError for a name that is not in it."""
    if name not in DATASETS:
        raise ValueError(f"kumpulan data tidak dikenal: {name}")
    return DATASETS[name]


def _identity(data: Dataset, viewer: Viewer) -> tuple[str, dict, tuple[Column, ...]]:
    """Select list, parameters and columns of the person a row names, as the viewer's role may see it."""
    alias = data.person
    pseudonym_sql, params = "", {}
    if viewer.pseudonym_key:
        pseudonym_sql, params = identity_columns(dataclasses.replace(viewer, role="analis", pk_nip=None), alias)
    if viewer.person_level == "pseudonim":
        if not pseudonym_sql:
            raise AccessDenied("Kunci pseudonim tidak tersedia.")
        return pseudonym_sql, params, (PSEUDONYM,)
    if viewer.person_level != "nama":
        raise AccessDenied("Jelajah Data hanya tersedia untuk Kepala Bapas dan Analis.")
    parts, columns = [f"{alias}.no_register"], [REGISTER]
    if data.names:
        parts.append(f"{alias}.nama")
        columns.append(NAME)
    if pseudonym_sql:
        parts.append(pseudonym_sql)
        columns.append(PSEUDONYM)
    return ", ".join(parts), params, tuple(columns)


def dataset_sql(name: str, viewer: Viewer) -> tuple[str, dict]:
    """The dataset's select as the viewer's role sees it, and its bound parameters."""
    require(viewer)
    data = dataset(name)
    if data.person is None:
        return data.sql, {}
    identity, params, _ = _identity(data, viewer)
    return data.sql.replace("{identity}", identity), params


def columns(name: str, viewer: Viewer) -> tuple[Column, ...]:
    """Every column of the dataset in select order, as the viewer's role sees it."""
    require(viewer)
    data = dataset(name)
    if data.person is None:
        return data.columns
    _, _, identity = _identity(data, viewer)
    return (*data.columns[:1], *identity, *data.columns[1:])  # the person comes right after kode_bapas


def client_key(name: str, viewer: Viewer) -> str | None:
    """The column that tells clients apart in this dataset for this viewer (None: no clients in it)."""
    data = dataset(name)
    if data.person is None:
        return None
    return "pseudonim" if viewer.person_level == "pseudonim" else "no_register"


# --- the exploration ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Exploration:
    """What to show: a dataset, filters, up to two dimensions, measures, and a chart type (None: the default).

    Filters are (column, values): for a category or yes/no column the chosen values as text (None = empty),
    for a date column (from, to) as dates, for a number column (lowest, highest); either end may be None.
    A dimension is a column name, or `column:bulan|triwulan|tahun` for a date column. A measure is `baris`,
    `klien`, `jumlah:<column>`, `rata:<column>`, `bagian:<yes/no column>` or `rasio:<ratio name>`.
    """

    dataset: str
    filters: tuple[tuple[str, tuple], ...] = ()
    by: tuple[str, ...] = ()
    measures: tuple[str, ...] = ("baris",)
    chart: str | None = None


def _column(data: Dataset, name: str, kinds: tuple[str, ...]) -> Column:
    for column in data.columns:
        if column.name == name and column.kind in kinds:
            return column
    raise ValueError(f"kolom tidak dapat dipakai di sini: {name}")


def _dimension(data: Dataset, key: str) -> tuple[Column, str | None]:
    name, _, grain = key.partition(":")
    column = _column(data, name, GROUPABLE)
    if column.kind == DATE:
        if grain not in GRAINS:
            raise ValueError(f"satuan waktu tidak dikenal: {key}")
        return column, grain
    if grain:
        raise ValueError(f"kolom ini tidak punya satuan waktu: {key}")
    return column, None


# a property of one person or case: its average means something, its sum over people does not
NOT_SUMMED = {"umur_saat_mulai", "skor_rri"}


def _lower_first(label: str) -> str:
    """'Umur saat mulai' → 'umur saat mulai'; 'Skor RRI' → 'skor RRI'; 'RRI' stays."""
    first, _, rest = label.partition(" ")
    first = first if first.isupper() and len(first) > 1 else first[:1].lower() + first[1:]
    return f"{first} {rest}" if rest else first


def measures(name: str, viewer: Viewer) -> dict[str, str]:
    """The measures the dataset offers, key → label, in menu order."""
    data = dataset(name)
    out = {"baris": "Jumlah baris"}
    if client_key(name, viewer):
        out["klien"] = "Jumlah klien (unik)"
    for ratio in data.ratios:
        out[f"rasio:{ratio.name}"] = ratio.label
    for column in data.columns:
        if column.kind == FLAG:
            out[f"bagian:{column.name}"] = f"Bagian «{column.label}» = ya"
    for column in data.columns:
        if column.kind in NUMERIC:
            if column.kind != SHARE and column.name not in NOT_SUMMED:
                out[f"jumlah:{column.name}"] = f"Jumlah {_lower_first(column.label)}"
            out[f"rata:{column.name}"] = f"Rata-rata {_lower_first(column.label)}"
    return out


# What a dataset opens with, so the first view is already a chart (the analyst changes it at will).
DEFAULT_BY = {"klien": ("program_integrasi",), "kehadiran_bulanan": ("bulan:bulan",), "program": ("kategori",),
              "peserta_program": ("kategori",), "anggaran": ("periode:bulan",), "hambatan": ("kategori",),
              "mitra": ("jenis_mitra",)}


def dimensions(name: str) -> dict[str, str]:
    """The dimensions the dataset offers, key → label (date columns once per time grain)."""
    out = {}
    for column in dataset(name).columns:
        if column.kind == DATE:
            for grain, (_, label) in GRAINS.items():
                out[f"{column.name}:{grain}"] = f"{column.label} (per {label})"
        elif column.kind in (CATEGORY, FLAG):
            out[column.name] = column.label
    return out


def filterable(name: str) -> dict[str, Column]:
    """The columns that take a typed filter."""
    return {c.name: c for c in dataset(name).columns if c.kind in FILTERABLE}


def _measure_sql(data: Dataset, key: str, viewer: Viewer) -> str:
    kind, _, name = key.partition(":")
    if key == "baris":
        return "count(*)"
    if key == "klien":
        client = client_key(data.name, viewer)
        if client is None:
            raise ValueError("kumpulan data ini tidak memuat klien")
        return f'count(distinct "kode_bapas" || \'|\' || "{client}")'
    if kind == "rasio":
        ratio = next((r for r in data.ratios if r.name == name), None)
        if ratio is None:
            raise ValueError(f"rasio tidak dikenal: {name}")
        return f'sum("{ratio.numerator}") / nullif(sum("{ratio.denominator}"), 0)'
    if kind == "bagian":
        column = _column(data, name, (FLAG,))
        return f'count(*) filter (where "{column.name}") / nullif(count("{column.name}"), 0)'
    if kind == "jumlah":
        column = _column(data, name, (NUMBER, MONEY))
        return f'sum("{column.name}")::double'
    if kind == "rata":
        column = _column(data, name, NUMERIC)
        return f'avg("{column.name}")'
    raise ValueError(f"ukuran tidak dikenal: {key}")


def _filter_sql(data: Dataset, index: int, name: str, values: tuple) -> tuple[str | None, dict]:
    column = _column(data, name, FILTERABLE)
    ref, p = f'"{column.name}"', f"s{index}"
    if column.kind in (CATEGORY, FLAG):
        chosen = [str(v) for v in values if v is not None]
        if not values:
            return None, {}
        parts = [f"list_contains(${p}, {ref}::varchar)"] if chosen else []
        if any(v is None for v in values):
            parts.append(f"{ref} is null")
        return "(" + " or ".join(parts) + ")", ({p: chosen} if chosen else {})
    low, high = (tuple(values) + (None, None))[:2]
    cast = _date if column.kind == DATE else _number
    low, high = cast(low), cast(high)
    parts, params = [], {}
    if low is not None:
        parts.append(f"{ref} >= ${p}_dari")
        params[f"{p}_dari"] = low
    if high is not None:
        parts.append(f"{ref} <= ${p}_sampai")
        params[f"{p}_sampai"] = high
    return (" and ".join(parts) or None), params


def _date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _number(value) -> float | None:
    if value is None:
        return None
    number = float(value)
    if not math.isfinite(number):
        raise ValueError("batas angka tidak valid")
    return number


def check(spec: Exploration, viewer: Viewer) -> None:
    """ValueError (Indonesian) for anything that is not in the catalogue; AccessDenied for other roles."""
    require(viewer)
    data = dataset(spec.dataset)
    if len(spec.by) > MAX_DIMENSIONS:
        raise ValueError(f"paling banyak {MAX_DIMENSIONS} dimensi")
    if len(set(spec.by)) != len(spec.by):
        raise ValueError("dimensi tidak boleh dipilih dua kali")
    for key in spec.by:
        _dimension(data, key)
    if not spec.measures:
        raise ValueError("pilih sedikitnya satu ukuran")
    for key in spec.measures:
        _measure_sql(data, key, viewer)
    for i, (name, values) in enumerate(spec.filters):
        _filter_sql(data, i, name, values)
    if spec.chart is not None and spec.chart not in CHARTS:
        raise ValueError(f"jenis grafik tidak dikenal: {spec.chart}")


def build(spec: Exploration, viewer: Viewer) -> tuple[str, dict]:
    """The exploration as one SQL statement with bound parameters (identifiers only from the catalogue)."""
    check(spec, viewer)
    data = dataset(spec.dataset)
    source, params = dataset_sql(spec.dataset, viewer)
    select, groups = [], []
    for i, key in enumerate(spec.by):
        column, grain = _dimension(data, key)
        expr = f'date_trunc(\'{GRAINS[grain][0]}\', "{column.name}")::date' if grain else f'"{column.name}"'
        select.append(f'{expr} as "{key}"')
        groups.append(str(i + 1))
    select += [f'{_measure_sql(data, key, viewer)} as "{key}"' for key in spec.measures]
    where = []
    for i, (name, values) in enumerate(spec.filters):
        condition, bound = _filter_sql(data, i, name, values)
        if condition:
            where.append(condition)
            params.update(bound)
    sql = f"with data as ({source})\nselect {', '.join(select)}\nfrom data"
    if where:
        sql += "\nwhere " + "\n  and ".join(where)
    if groups:
        sql += f"\ngroup by {', '.join(groups)}\norder by {', '.join(g + ' nulls last' for g in groups)}"
        sql += "\nlimit $batas"
        params["batas"] = MAX_GROUPS + 1
    return sql, params


def explore(spec: Exploration, viewer: Viewer, db_path: Path | None = None) -> pd.DataFrame:
    """One row per group (or one row without dimensions): dimension columns then measure columns, keyed as in
    the spec. `attrs["terpotong"]` says whether groups beyond MAX_GROUPS were left out."""
    sql, params = build(spec, viewer)
    frame = db.frame(sql, params, db_path)
    truncated = len(frame) > MAX_GROUPS
    frame = frame.head(MAX_GROUPS).copy()
    frame.attrs["terpotong"] = truncated
    return frame


def options(name: str, column: str, viewer: Viewer, db_path: Path | None = None) -> list:
    """The values of a category or yes/no column as text (None for empty), in their own order, for a filter."""
    require(viewer)
    data = dataset(name)
    col = _column(data, column, (CATEGORY, FLAG))
    source, params = dataset_sql(name, viewer)
    frame = db.frame(f"""with data as ({source})
        select "{col.name}"::varchar as nilai from data group by "{col.name}" order by "{col.name}" nulls last
        limit $batas""", {**params, "batas": MAX_OPTIONS}, db_path)
    return [None if pd.isna(v) else v for v in frame["nilai"]]


def bounds(name: str, column: str, viewer: Viewer, db_path: Path | None = None) -> tuple:
    """Lowest and highest value of a date or number column (None, None when it is empty)."""
    require(viewer)
    data = dataset(name)
    col = _column(data, column, (DATE, *NUMERIC))
    source, params = dataset_sql(name, viewer)
    frame = db.frame(f'with data as ({source}) select min("{col.name}") as lo, max("{col.name}") as hi from data',
                     params, db_path)
    lo, hi = frame.iloc[0]
    if pd.isna(lo) or pd.isna(hi):
        return None, None
    if col.kind == DATE:
        return pd.Timestamp(lo).date(), pd.Timestamp(hi).date()
    return float(lo), float(hi)


def row_count(name: str, viewer: Viewer, db_path: Path | None = None) -> int:
    """Rows of the dataset as the viewer sees it."""
    source, params = dataset_sql(name, viewer)
    return int(db.frame(f"with data as ({source}) select count(*) as n from data", params, db_path).iloc[0, 0])


# --- words, formats, pivot and chart ----------------------------------------------------------------------

def dimension_label(name: str, key: str) -> str:
    return dimensions(name).get(key, key)


def measure_label(name: str, key: str, viewer: Viewer) -> str:
    return measures(name, viewer).get(key, key)


def measure_format(name: str, key: str):
    """The formatter of a measure's values: counts, rupiah, percentages or numbers with decimals."""
    kind, _, column = key.partition(":")
    if key in ("baris", "klien"):
        return fmt.number
    if kind in ("rasio", "bagian") or dataset(name).column(column).kind == SHARE:
        return fmt.percent
    if dataset(name).column(column).kind == MONEY:
        return fmt.rupiah

    def number(value) -> str:
        whole = kind == "jumlah" and not pd.isna(value) and float(value).is_integer()
        return fmt.number(value, 0 if whole else 2)
    return number


def value_label(key: str, value) -> str:
    """A dimension value in words: 'Jan 2025', 'Tw I 2025', '2025', 'Ya', '(kosong)', codes as words."""
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return EMPTY
    grain = key.partition(":")[2]
    if grain:
        day = pd.Timestamp(value)
        if grain == "bulan":
            return f"{fmt.BULAN_SINGKAT[day.month]} {day.year}"
        if grain == "triwulan":
            return f"Tw {('I', 'II', 'III', 'IV')[(day.month - 1) // 3]} {day.year}"
        return str(day.year)
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, str):
        return program_label(value) if key == "program_integrasi" else fmt.code(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def option_label(value, column: str = "") -> str:
    """A filter option (text from `options`) in words; an integration program as the sidebar names it."""
    if value is None:
        return EMPTY
    if column == "program_integrasi":
        return program_label(value)
    return {"true": "Ya", "false": "Tidak"}.get(value, fmt.code(value))


def table(frame: pd.DataFrame, spec: Exploration, viewer: Viewer) -> pd.DataFrame:
    """The result with Indonesian headers and formatted values, for the screen."""
    out = pd.DataFrame(index=frame.index)
    for key in spec.by:
        out[dimension_label(spec.dataset, key)] = [value_label(key, v) for v in frame[key]]
    for key in spec.measures:
        formatter = measure_format(spec.dataset, key)
        out[measure_label(spec.dataset, key, viewer)] = [formatter(v) for v in frame[key]]
    return out.reset_index(drop=True)


def number_columns(spec: Exploration, viewer: Viewer) -> list[str]:
    """The headers of `table`'s measure columns: numbers written as text, to be aligned right on the screen."""
    return [measure_label(spec.dataset, key, viewer) for key in spec.measures]


def download_frame(frame: pd.DataFrame, spec: Exploration, viewer: Viewer) -> pd.DataFrame:
    """The result with Indonesian headers and raw values (numbers stay numbers), for CSV/XLSX."""
    out = pd.DataFrame(index=frame.index)
    for key in spec.by:
        values = frame[key]
        out[dimension_label(spec.dataset, key)] = [value_label(key, v) for v in values] \
            if ":" in key else values.to_numpy()
    for key in spec.measures:
        out[measure_label(spec.dataset, key, viewer)] = frame[key].to_numpy()
    return out.reset_index(drop=True)


def pivot(frame: pd.DataFrame, spec: Exploration, viewer: Viewer, measure: str | None = None) -> pd.DataFrame:
    """A cross table: first dimension down, second across (one measure), or measures across for one dimension."""
    measure = measure or spec.measures[0]
    formatter = measure_format(spec.dataset, measure)
    if len(spec.by) == 2:
        rows, cols = spec.by
        data = frame.assign(_r=[value_label(rows, v) for v in frame[rows]],
                            _c=[value_label(cols, v) for v in frame[cols]])
        row_order = list(dict.fromkeys(data["_r"]))
        col_order = list(dict.fromkeys(data.sort_values(cols, na_position="last")["_c"]))
        wide = data.pivot(index="_r", columns="_c", values=measure).reindex(index=row_order, columns=col_order)
        shown = wide.apply(lambda col: col.map(lambda v: "–" if pd.isna(v) else formatter(v)))
        shown.index.name = dimension_label(spec.dataset, rows)
        shown.columns.name = dimension_label(spec.dataset, cols)
        return shown
    shown = table(frame, spec, viewer)
    if spec.by:
        shown = shown.set_index(dimension_label(spec.dataset, spec.by[0]))
    return shown


def default_chart(spec: Exploration, frame: pd.DataFrame) -> str | None:
    """Line for time, bars for one category, stacked bars for two (heat map when the across values are many or
    the measure does not add up), none without dimensions."""
    if not spec.by:
        return None
    timed = [key for key in spec.by if ":" in key]
    if timed:
        return "garis"
    if len(spec.by) == 1:
        return "batang"
    additive = spec.measures[0] == "baris" or spec.measures[0].startswith("jumlah:")
    return "tumpuk" if additive and frame[spec.by[1]].nunique(dropna=False) <= 12 else "panas"


def _value_axis(values: pd.Series, formatter, label: str) -> tuple[float, str, dict]:
    """How a measure's values are drawn: (factor to plot them with, axis title, axis settings) in Indonesian
    numbers: 1.234,5 with a thousands point from four digits on, no 'k'/'M'/'B', rupiah in rb/jt/M."""
    axis = dict(separatethousands=True, exponentformat="none")
    if formatter is fmt.percent:
        return 100, f"{label} (%)", {**axis, "ticksuffix": "%"}
    if formatter is fmt.rupiah:
        shown = [abs(float(v)) for v in values if not pd.isna(v)]
        divisor, suffix, words = money_scale(max(shown, default=0))
        return 1 / divisor, f"{label} ({words})", {**axis, **money_ticks(suffix)}
    return 1, label, axis


def figure(frame: pd.DataFrame, spec: Exploration, viewer: Viewer, chart: str | None = None,
           measure: str | None = None) -> go.Figure | None:
    """The result as a chart in the house style (None when there is nothing to draw)."""
    chart = chart or spec.chart or default_chart(spec, frame)
    if chart is None or frame.empty or not spec.by:
        return None
    measure = measure or spec.measures[0]
    m_label = measure_label(spec.dataset, measure, viewer)
    formatter = measure_format(spec.dataset, measure)
    # time on x when there is a time dimension; the other dimension is the colour (or the y of a heat map)
    by = sorted(spec.by, key=lambda k: ":" not in k) if chart in ("garis", "panas") else list(spec.by)
    x_key, colour_key = by[0], (by[1] if len(by) > 1 else None)
    data = frame.sort_values(by, na_position="last")
    x_label = dimension_label(spec.dataset, x_key)
    title = f"{m_label} menurut {x_label.lower()}" + (
        f" dan {dimension_label(spec.dataset, colour_key).lower()}" if colour_key else "")
    fig = go.Figure()
    tallest = data.groupby(x_key, dropna=False)[measure].sum() if chart == "tumpuk" else data[measure]
    scale, y_title, value_axis = _value_axis(tallest, formatter, m_label)
    shown = (lambda v: "–" if pd.isna(v) else formatter(v))  # hover says what the table says
    if chart == "panas":
        if colour_key is None:
            colour_key, x_key = x_key, None
        xs = list(dict.fromkeys(value_label(x_key, v) for v in data[x_key])) if x_key else [m_label]
        ys = list(dict.fromkeys(value_label(colour_key, v) for v in data[colour_key]))
        grid = pd.DataFrame(index=ys, columns=xs, dtype=float)
        words = pd.DataFrame("–", index=ys, columns=xs)
        for _, row in data.iterrows():
            x = value_label(x_key, row[x_key]) if x_key else m_label
            y = value_label(colour_key, row[colour_key])
            grid.loc[y, x] = row[measure] * scale if not pd.isna(row[measure]) else None
            words.loc[y, x] = shown(row[measure])
        fig.add_heatmap(z=grid.to_numpy(), x=xs, y=ys, text=words.to_numpy(), colorscale="Blues",
                        colorbar=dict(title=y_title, **value_axis),
                        hovertemplate="%{x}<br>%{y}<br>%{text}<extra></extra>")
        fig.update_layout(yaxis=dict(title=dimension_label(spec.dataset, colour_key), autorange="reversed",
                                     type="category"),
                          xaxis=dict(title=x_label if x_key else "", type="category"))
    else:
        x_order = list(dict.fromkeys(value_label(x_key, v) for v in data[x_key]))
        values = [None] if colour_key is None else list(data[colour_key].drop_duplicates())
        hover = "%{x}<br>%{customdata}<extra>%{fullData.name}</extra>"
        for value in values:
            if colour_key is None:
                part, name = data, m_label
            else:
                part = data[data[colour_key].isna()] if pd.isna(value) else data[data[colour_key] == value]
                name = value_label(colour_key, value)
            x = [value_label(x_key, v) for v in part[x_key]]
            y = [None if pd.isna(v) else float(v) * scale for v in part[measure]]
            said = [shown(v) for v in part[measure]]
            if chart == "garis":
                fig.add_scatter(x=x, y=y, name=name, mode="lines+markers", customdata=said, hovertemplate=hover)
            else:
                fig.add_bar(x=x, y=y, name=name, customdata=said, hovertemplate=hover)
        fig.update_layout(barmode="stack" if chart == "tumpuk" else "group",
                          xaxis=dict(title=x_label, type="category", categoryorder="array", categoryarray=x_order),
                          yaxis=dict(title=y_title, **value_axis),
                          showlegend=colour_key is not None)
        if colour_key is not None:
            fig.update_layout(legend=dict(title=dict(text=dimension_label(spec.dataset, colour_key) + ":",
                                                     side="left")))
    fig.update_layout(template="bapas", title=title, height=440, separators=",.")
    return fig


# --- words for the audit log and the URL -------------------------------------------------------------------

def describe(spec: Exploration) -> str:
    """The exploration in one line for the audit log."""
    parts = [f"data {spec.dataset}"]
    for name, values in spec.filters:
        parts.append(f"saring {name}: {', '.join(EMPTY if v is None else str(v) for v in values)}")
    if spec.by:
        parts.append(f"kelompok {', '.join(spec.by)}")
    parts.append(f"ukuran {', '.join(spec.measures)}")
    return "; ".join(parts)


def to_query(spec: Exploration) -> dict[str, str]:
    """The exploration as URL query parameters (keys that do not collide with the frame's filters)."""
    out = {"j_data": spec.dataset, "j_ukuran": ",".join(spec.measures)}
    if spec.by:
        out["j_kelompok"] = ",".join(spec.by)
    if spec.filters:
        out["j_saring"] = json.dumps({name: [v.isoformat() if isinstance(v, dt.date) else v for v in values]
                                      for name, values in spec.filters}, ensure_ascii=False, separators=(",", ":"))
    if spec.chart:
        out["j_grafik"] = spec.chart
    return out


def from_query(query: dict[str, str], viewer: Viewer) -> Exploration | None:
    """The exploration of a shared link; parts that are not in the catalogue are dropped (None: no exploration)."""
    name = query.get("j_data")
    if name not in DATASETS:
        return None
    data = DATASETS[name]
    by = tuple(k for k in dict.fromkeys(query.get("j_kelompok", "").split(",")) if k and _valid(
        lambda: _dimension(data, k)))[:MAX_DIMENSIONS]
    chosen = tuple(k for k in dict.fromkeys(query.get("j_ukuran", "").split(",")) if k and _valid(
        lambda: _measure_sql(data, k, viewer)))
    filters = []
    try:
        raw = json.loads(query.get("j_saring") or "{}")
    except ValueError:
        raw = {}
    for column, values in (raw.items() if isinstance(raw, dict) else ()):
        if not isinstance(values, list) or column not in filterable(name):
            continue
        kind = data.column(column).kind
        if kind in (CATEGORY, FLAG):
            values = tuple(None if v is None else str(v) for v in values)
        else:
            values = tuple(values[:2])
        if _valid(lambda: _filter_sql(data, 0, column, values)):
            if kind == DATE:
                values = tuple(_date(v) for v in values)
            elif kind in NUMERIC:
                values = tuple(_number(v) for v in values)
            filters.append((column, values))
    chart = query.get("j_grafik") if query.get("j_grafik") in CHARTS else None
    return Exploration(name, tuple(filters), by, chosen or ("baris",), chart)


def _valid(call) -> bool:
    try:
        call()
    except (ValueError, TypeError, StopIteration):
        return False
    return True


def column_table(name: str, viewer: Viewer) -> pd.DataFrame:
    """The dataset's columns as the viewer sees them, with their kind and meaning (for the page and the SQL tab)."""
    return pd.DataFrame([{"Kolom": c.name, "Label": c.label, "Jenis": KIND_LABELS[c.kind], "Keterangan": c.description}
                         for c in columns(name, viewer)])


def describe_filters(spec: Exploration) -> str:
    """The filters in words: 'dengan saringan Kategori pidana: Narkotika; …' or 'tanpa saringan'."""
    data = dataset(spec.dataset)
    parts = []
    for name, values in spec.filters:
        column = data.column(name)
        if column.kind in (CATEGORY, FLAG):
            shown = ", ".join(option_label(v) for v in values)
        else:
            low, high = (tuple(values) + (None, None))[:2]
            if column.kind == DATE:
                low, high = _date(low), _date(high)
                words = (fmt.date(low) if low else "…", fmt.date(high) if high else "…")
            else:
                show = fmt.rupiah if column.kind == MONEY else (lambda v: fmt.number(v, 2))
                words = (show(low) if low is not None else "…", show(high) if high is not None else "…")
            shown = f"{words[0]} s.d. {words[1]}"
        parts.append(f"{column.label}: {shown}")
    return "dengan saringan " + "; ".join(parts) if parts else "tanpa saringan"
