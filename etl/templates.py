"""Empty .xlsx templates, one per kind of data, that the loader reads back as they are.

Each template has a data sheet (accepted headers, required ones marked, formats and dropdown lists), a
"Petunjuk" sheet in Indonesian and, when a list is too long for Excel's inline list, a hidden "Daftar"
sheet. Both extra sheets are laid out so that the loader never mistakes them for data: their rows either
hold a number (so they are not header-like) or text that matches no accepted header.
"""
from __future__ import annotations

from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from etl import spec

LAST_ROW = 20_000  # dropdown lists and formats cover rows 2..LAST_ROW
INLINE_LIMIT = 255  # Excel's limit for an inline list ("a,b,c"); longer lists go to the Daftar sheet
BOOL_CHOICES = ("Ya", "Tidak")
TEXT_FORMAT_PARSERS = {spec.NIK, spec.NIP, spec.REGISTER}
TEXT_FORMAT_FIELDS = {"kontak", "nomor_pks", "kode_akun"}  # leading zeros and long digit strings

FILE_NAMES = {k: f"Templat {k.capitalize()}.xlsx" for k in spec.LOAD_ORDER}

GRAIN = {
    "klien": "satu baris = satu kasus bimbingan klien (satu nomor register)",
    "kehadiran": "satu baris = satu klien pada satu kegiatan terjadwal (wajib lapor, bimbingan, pelatihan)",
    "mitra": "satu baris = satu mitra (Pokmas Lipas, LPK/BLK, perusahaan, lembaga)",
    "program": "satu baris = satu angkatan program (mis. Pelatihan Pangkas Rambut Angkatan II 2024)",
    "anggaran": "satu baris = pagu satu akun setahun (Bulan kosong) atau rencana/realisasi satu bulan",
    "hambatan": "satu baris = satu hambatan yang dicatat",
}

KIND_NOTES = {
    "kehadiran": "No. Register harus sudah ada di data klien, dan Kode Program (bila diisi) di data program: "
                 "muat Templat Klien dan Templat Program lebih dulu, atau bersama dalam satu kali muat.",
    "program": "Kode Mitra sebaiknya sudah ada di data mitra (muat Templat Mitra lebih dulu); bila belum, "
               "baris tetap dimuat dengan peringatan.",
    "anggaran": "Pagu ditulis sekali per akun dan tahun pada baris dengan Bulan kosong; Rencana dan Realisasi "
                "per bulan pada baris dengan Bulan 1–12. Realisasi di atas pagu tetap dimuat dengan peringatan.",
    "hambatan": "Isi Kategori atau Uraian (minimal salah satu); bila Kategori kosong, kategori ditentukan dari "
                "Uraian, dan Faktor dari Kategori.",
}

# What to write, by parser: (instruction, example).
BY_PARSER = {
    spec.TEXT: ("Teks bebas.", ""),
    spec.CODE: ("Kode (huruf/angka), sama seperti di data induknya.", ""),
    spec.REGISTER: ("Nomor register klien seperti di buku register.", "PAS-123/BDL/2022"),
    spec.DATE: ("Tanggal, hari lebih dulu; tahun 4 digit.", "12/03/2022 atau 12 Maret 2022"),
    spec.TTL: ("Tanggal lahir; boleh bersama tempat lahir.", "12/03/1990 atau Bandar Lampung, 12 Maret 1990"),
    spec.MONEY: ("Rupiah, tidak boleh negatif.", "Rp 1.500.000 atau 1500000"),
    spec.INT: ("Bilangan bulat, tidak negatif.", "3"),
    spec.DOUBLE: ("Angka, tidak negatif; desimal boleh dengan koma.", "2 atau 1,5"),
    spec.BOOL: ("Ya atau Tidak.", "Ya"),
    spec.NIK: ("16 digit angka. Kolom berformat teks agar Excel tidak membulatkan NIK.", "1871011203900001"),
    spec.NIP: ("18 digit angka. Kolom berformat teks.", "198503122010012001"),
    spec.MONTHS: ("Lama pidana; angka saja berarti bulan.", "2 tahun 6 bulan, 1 thn 3 bln, atau 30"),
    spec.VOCAB: ("Pilih dari daftar (tombol panah di sel).", ""),
    spec.MONTH: ("Bulan 1–12 atau nama bulan; kosongkan untuk baris pagu tahunan.", "3 atau Maret"),
    spec.YEAR: ("Tahun 4 digit.", "2024"),
    spec.AKUN: ("Kode akun 6 digit, atau kode SAKTI lengkap (diambil 6 digit terakhir).",
                "524113 atau 3942.BAA.001.051.A.524113"),
}

# Field-specific rules and examples, keyed by (kind, field).
NOTES = {
    ("klien", "nama"): ("", "Ahmad Fauzi"),
    ("klien", "umur_saat_mulai"): ("Dihitung otomatis dari Tanggal Lahir bila tanggal lahir diisi.", "27"),
    ("klien", "pekerjaan_awal"): ("Pekerjaan saat mulai bimbingan.", "Buruh harian"),
    ("klien", "kecamatan"): ("Ejaan dirapikan otomatis (Telukbetung → Teluk Betung).", "Teluk Betung Utara"),
    ("klien", "kabupaten_kota"): ("", "Kota Bandar Lampung"),
    ("klien", "tindak_pidana"): ("Seperti tertulis di putusan.", "Penyalahgunaan narkotika"),
    ("klien", "kategori_pidana"): ("Bila kosong, ditentukan dari Tindak Pidana atau Pasal.", ""),
    ("klien", "pasal"): ("", "Pasal 127 UU 35/2009"),
    ("klien", "jumlah_pidana_sebelumnya"): ("Boleh juga Ya (= 1) atau Tidak (= 0).", "0"),
    ("klien", "program_integrasi"): ("Program integrasi: PB = Pembebasan Bersyarat, CB = Cuti Bersyarat, CMB = Cuti "
                                     "Menjelang Bebas, PIB = Pidana Bersyarat.", "PB"),
    ("klien", "dasar_hukum"): ("", "Permenkumham 7/2022"),
    ("klien", "asal_upt"): ("", "Lapas Kelas I Bandar Lampung"),
    ("klien", "tanggal_akhir_bimbingan"): ("Tidak boleh sebelum tanggal mulai bimbingan.", ""),
    ("klien", "pk_nama"): ("Nama Pembimbing Kemasyarakatan.", "Siti Aminah, S.Sos."),
    ("klien", "skor_rri"): ("Skor instrumen RRI seperti dicatat PK.", "18"),
    ("klien", "tanggal_status"): ("Wajib bila Status bukan AKTIF.", ""),
    ("klien", "jenis_pelanggaran"): ("Jenis pelanggaran, terutama bila Status DICABUT.", ""),
    ("klien", "residivis"): ("Ya bila klien melakukan tindak pidana baru setelah mulai bimbingan.", ""),
    ("klien", "tanggal_residivis"): ("Wajib bila Residivis = Ya.", ""),
    ("klien", "kode_mitra_penyalur"): ("Kode mitra yang mempekerjakan atau menyalurkan klien.", "MTR-001"),
    ("kehadiran", "no_register"): ("Harus sudah ada di data klien.", ""),
    ("kehadiran", "tanggal"): ("Tidak boleh sesudah hari pemuatan.", ""),
    ("kehadiran", "kode_program"): ("Bila diisi, harus sudah ada di data program.", "PLT-PR-2024-02"),
    ("kehadiran", "alasan"): ("Alasan bila tidak hadir atau terlambat (dipetakan ke kategori hambatan).",
                              "Tidak ada ongkos"),
    ("kehadiran", "durasi_jam"): ("Lama kegiatan yang dijadwalkan, dalam jam.", "2"),
    ("kehadiran", "petugas"): ("", "Siti Aminah"),
    ("mitra", "kode_mitra"): ("", "MTR-001"),
    ("mitra", "nama_mitra"): ("", "LPK Maju Bersama"),
    ("mitra", "bidang_pelatihan"): ("", "Pangkas Rambut"),
    ("mitra", "bersertifikat"): ("Ya bila mitra dapat menerbitkan sertifikat.", ""),
    ("mitra", "nomor_pks"): ("", "W9.PAS.PAS.5-PK.01.05-123"),
    ("mitra", "berlaku_sampai"): ("Tanggal akhir PKS/MoU.", ""),
    ("mitra", "kecamatan"): ("", "Kedaton"),
    ("mitra", "kabupaten_kota"): ("", "Kota Bandar Lampung"),
    ("mitra", "kapasitas_per_angkatan"): ("", "20"),
    ("mitra", "status_aktif"): ("Ya/Tidak (Aktif/Tidak Aktif juga diterima).", ""),
    ("mitra", "kontak"): ("Kolom berformat teks agar angka 0 di depan tidak hilang.", "0812 7000 1234"),
    ("program", "kode_program"): ("", "PLT-PR-2024-02"),
    ("program", "nama_program"): ("", "Pelatihan Pangkas Rambut Angkatan II 2024"),
    ("program", "kode_mitra"): ("Mitra penyelenggara.", "MTR-001"),
    ("program", "tanggal_selesai"): ("Tidak boleh sebelum tanggal mulai.", ""),
    ("program", "kuota"): ("", "20"),
    ("program", "total_jam"): ("Jumlah jam seluruh sesi.", "48"),
    ("program", "bersertifikat"): ("Ya bila peserta mendapat sertifikat.", ""),
    ("anggaran", "uraian_akun"): ("", "Belanja Perjalanan Dinas Dalam Kota"),
    ("anggaran", "kode_program"): ("Bila anggaran untuk satu program.", "PLT-PR-2024-02"),
    ("anggaran", "uraian"): ("", "Transport narasumber"),
    ("anggaran", "pagu"): ("Pagu setahun, pada baris dengan Bulan kosong.", ""),
    ("anggaran", "rencana"): ("Rencana penarikan bulanan (RPD / Halaman III DIPA).", ""),
    ("anggaran", "realisasi"): ("Realisasi bulanan.", ""),
    ("hambatan", "faktor"): ("Bila kosong, diisi dari Kategori.", ""),
    ("hambatan", "kategori"): ("Bila kosong, ditentukan dari Uraian.", ""),
    ("hambatan", "uraian"): ("", "Klien bekerja di luar kota"),
    ("hambatan", "kode_program"): ("", "PLT-PR-2024-02"),
    ("hambatan", "kode_mitra"): ("", "MTR-001"),
    ("hambatan", "tindak_lanjut"): ("", "Koordinasi dengan keluarga"),
    ("hambatan", "dilaporkan_oleh"): ("", "Siti Aminah"),
}

WIDTHS = {
    spec.TEXT: 24, spec.CODE: 16, spec.REGISTER: 20, spec.DATE: 13, spec.TTL: 16, spec.MONEY: 16,
    spec.INT: 10, spec.DOUBLE: 10, spec.BOOL: 10, spec.NIK: 20, spec.NIP: 22, spec.MONTHS: 18,
    spec.VOCAB: 14, spec.MONTH: 9, spec.YEAR: 10, spec.AKUN: 12,
}
UNITS = {spec.MONEY: " (Rp)", spec.DOUBLE: " (jam)"}  # dropped by header matching, shown to people


def template_fields(kind: str) -> list[spec.Field]:
    """The columns of a kind's template, in spec order (kode_bapas left out: one office per file)."""
    return [f for f in spec.KINDS[kind].fields if f.name != "kode_bapas"]


def header_of(f: spec.Field) -> str:
    """The header the template writes: the field's first accepted header, with a unit where it helps."""
    header = f.headers[0] if f.headers else f.name
    unit = UNITS.get(f.parser, "")
    return header if unit[2:-1].lower() in header.lower() else header + unit


def choices(f: spec.Field) -> list[str] | None:
    """The dropdown list of a column: vocabulary codes, Ya/Tidak, or None."""
    if f.parser == spec.VOCAB:
        return list(spec.VOCABULARIES[f.vocab])
    if f.parser == spec.BOOL:
        return list(BOOL_CHOICES)
    return None


def requirement(kind: str, f: spec.Field) -> str:
    """'Wajib', 'Wajib salah satu: …' or 'Tidak'."""
    k = spec.KINDS[kind]
    if f.name in k.required:
        return "Wajib"
    for group in k.required_any:
        if f.name in group:
            names = [header_of(k.field(n)) for n in group]
            return "Wajib salah satu: " + " / ".join(names)
    return "Tidak"


def describe(kind: str, f: spec.Field) -> tuple[str, str, str]:
    """(what to write, allowed values, example) for one column."""
    what, example = BY_PARSER[f.parser]
    note, special_example = NOTES.get((kind, f.name), ("", ""))
    allowed = ", ".join(choices(f) or [])
    if f.parser == spec.VOCAB:
        synonyms = [s for syns in spec.VOCABULARIES[f.vocab].values() for s in syns[:1]]
        if synonyms:
            allowed += " (juga sebutan lazim, mis. " + ", ".join(synonyms[:3]) + ")"
        example = example or next(iter(spec.VOCABULARIES[f.vocab]))
    return " ".join(p for p in (what, note) if p), allowed, special_example or example


def write_templates(out_dir: Path) -> list[Path]:
    """Write one template per kind into out_dir; returns the paths in load order."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [write_template(kind, out_dir / FILE_NAMES[kind]) for kind in spec.LOAD_ORDER]


def write_template(kind: str, path: Path) -> Path:
    """Write the template of one kind to path."""
    k = spec.KINDS[kind]
    fields = template_fields(kind)
    with xlsxwriter.Workbook(str(path)) as wb:
        wb.set_properties({"title": f"Templat {k.title}", "author": "Dasbor Pokmas Lipas"})
        data = wb.add_worksheet(k.title[:31])
        guide = wb.add_worksheet("Petunjuk")
        lists = _long_lists(fields)
        daftar = _write_daftar(wb, lists) if lists else None
        _write_data_sheet(wb, data, kind, fields, daftar)
        _write_guide(wb, guide, kind, fields, data.get_name())
        data.activate()
    return path


def _long_lists(fields: list[spec.Field]) -> dict[str, list[str]]:
    """Columns whose dropdown list is too long to be written inline."""
    return {f.name: choices(f) for f in fields
            if choices(f) and len(",".join(choices(f))) > INLINE_LIMIT}


def _write_daftar(wb, lists: dict[str, list[str]]) -> dict[str, str]:
    """Hidden sheet of long lists; returns field name → range reference. Column A numbers every row, so
    no row below the title is header-like to the loader."""
    ws = wb.add_worksheet("Daftar")
    bold = wb.add_format({"bold": True})
    ws.write_row(0, 0, ["No."] + [f"Pilihan {i + 1}" for i in range(len(lists))], bold)
    longest = max(len(v) for v in lists.values())
    for r in range(longest):
        ws.write_number(r + 1, 0, r + 1)
    refs = {}
    for c, (name, values) in enumerate(lists.items(), start=1):
        ws.write_column(1, c, values)
        ws.set_column(c, c, max(len(v) for v in values) + 2)
        col = xl_col_to_name(c)
        refs[name] = f"=Daftar!${col}$2:${col}${len(values) + 1}"
    ws.hide()
    return refs


def _write_data_sheet(wb, ws, kind: str, fields: list[spec.Field], daftar: dict[str, str] | None) -> None:
    base = {"bold": True, "text_wrap": True, "valign": "vcenter", "border": 1}
    required_fmt = wb.add_format({**base, "bg_color": "#F4B183", "font_color": "#7F2704"})
    optional_fmt = wb.add_format({**base, "bold": False, "bg_color": "#D9E1F2"})
    column_formats = {
        spec.DATE: wb.add_format({"num_format": "dd/mm/yyyy"}),
        spec.TTL: wb.add_format({"num_format": "dd/mm/yyyy"}),
        spec.MONEY: wb.add_format({"num_format": "#,##0"}),
    }
    text_fmt = wb.add_format({"num_format": "@"})
    ws.set_row(0, 32)
    for c, f in enumerate(fields):
        header = header_of(f)
        need = requirement(kind, f)
        what, allowed, example = describe(kind, f)
        ws.write_string(0, c, header, required_fmt if need != "Tidak" else optional_fmt)
        comment = ["WAJIB DIISI." if need == "Wajib" else need + "." if need != "Tidak" else "Boleh kosong.",
                   what]
        if example:
            comment.append(f"Contoh: {example}")
        ws.write_comment(0, c, "\n".join(comment), {"x_scale": 2, "y_scale": 1.5, "author": "Petunjuk"})
        options = choices(f)
        width = max(len(header) + 3, WIDTHS[f.parser], max((len(o) for o in options or []), default=0) + 4)
        fmt = text_fmt if f.parser in TEXT_FORMAT_PARSERS or f.name in TEXT_FORMAT_FIELDS \
            else column_formats.get(f.parser)
        ws.set_column(c, c, min(width, 40), fmt)
        if options:
            source = daftar[f.name] if daftar and f.name in daftar else list(options)
            ws.data_validation(1, c, LAST_ROW - 1, c, {
                "validate": "list", "source": source, "error_type": "warning",
                "error_title": "Nilai tidak ada di daftar",
                "error_message": "Pilih nilai dari daftar. Nilai lain ditolak saat dimuat, kecuali sebutan "
                                 "lazim yang dikenali (lihat lembar kerja Petunjuk).",
            })
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, 0, len(fields) - 1)


def _write_guide(wb, ws, kind: str, fields: list[spec.Field], data_sheet: str) -> None:
    """The Petunjuk sheet. Its column table numbers every row, so the loader never reads it as data."""
    k = spec.KINDS[kind]
    title = wb.add_format({"bold": True, "font_size": 14})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    head = wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True})
    required_fmt = wb.add_format({"bold": True, "font_color": "#7F2704", "valign": "top"})
    number = wb.add_format({"valign": "top", "align": "center"})
    lines = [
        f"Templat ini untuk mengisi data {kind} lalu memuatnya ke Dasbor Pokmas Lipas; {GRAIN[kind]}.",
        f"Isi data mulai baris 2 di lembar kerja '{data_sheet}'. Jangan ubah tulisan judul kolom; urutan kolom boleh "
        "diubah dan kolom yang tidak dipakai boleh dihapus, kecuali kolom wajib.",
        "Judul kolom tebal berwarna jingga wajib diisi (baris yang kosong di kolom itu ditolak); judul biru "
        "boleh kosong. Arahkan tetikus ke judul kolom untuk melihat keterangannya.",
        "Format yang diterima: tanggal 12/03/2022 atau 12 Maret 2022 (hari lebih dulu, tahun 4 digit); uang "
        "Rp 1.500.000 atau 1500000; lama pidana 2 tahun 6 bulan; Ya/Tidak.",
        "Baris judul di atas tabel, baris nomor kolom (1, 2, 3 …), baris JUMLAH dan blok tanda tangan di "
        "bawah tabel boleh ada: pemuat data melewatinya. Lembar kerja Petunjuk ini"
        + (" dan lembar kerja Daftar (tersembunyi, berisi pilihan)" if _long_lists(fields) else "") + " juga dilewati.",
        "Bila satu berkas berisi data beberapa Bapas, tambahkan kolom Kode Bapas; bila tidak ada, dipakai kode "
        "Bapas dari konfigurasi.",
    ]
    text_columns = [header_of(f) for f in fields if f.parser in TEXT_FORMAT_PARSERS]
    if text_columns:
        lines.insert(4, f"Kolom {', '.join(text_columns)} berformat teks. Bila menyalin dari berkas lain, tempel "
                        "sebagai nilai (Paste Special, Values) agar angka panjang seperti NIK tidak berubah menjadi "
                        "1,87101E+15.")
    if kind in KIND_NOTES:
        lines.append(KIND_NOTES[kind])
    lines.append(f'Muat berkas melalui menu unggah di dasbor, atau: python -m etl load "{FILE_NAMES[kind]}"')
    ws.write_string(0, 0, f"Petunjuk pengisian templat {k.title}", title)
    for r, line in enumerate(lines, start=2):
        ws.merge_range(r, 0, r, 5, line, wrap)
        ws.set_row(r, 30)
    top = len(lines) + 3
    ws.write_row(top, 0, ["No.", "Judul kolom", "Wajib?", "Cara mengisi", "Nilai yang diterima", "Contoh"],
                 head)
    for i, f in enumerate(fields, start=1):
        need = requirement(kind, f)
        what, allowed, example = describe(kind, f)
        r = top + i
        ws.write_number(r, 0, i, number)
        ws.write_string(r, 1, header_of(f), required_fmt if need != "Tidak" else wrap)
        ws.write_string(r, 2, need, required_fmt if need != "Tidak" else wrap)
        ws.write_string(r, 3, what, wrap)
        ws.write_string(r, 4, allowed, wrap)
        ws.write_string(r, 5, example, wrap)
    for c, width in enumerate((5, 26, 14, 50, 45, 30)):
        ws.set_column(c, c, width)
    ws.freeze_panes(top + 1, 0)
