"""The .xlsx templates: accepted headers, formats and dropdown lists, and the real loader reads them back."""
import datetime as dt

import duckdb
import openpyxl
import pytest

from etl import extract, spec, templates
from etl.load import load_files

KINDS = list(spec.LOAD_ORDER)
D = dt.date

# Rows as an operator would type them into each template (field name → cell value).
TYPED = {
    "klien": [
        {"no_register": "PAS-001/BDL/2024", "nik": "1871011203900001", "nama": "Ahmad Fauzi", "jenis_kelamin": "L",
         "tanggal_lahir": dt.datetime(1990, 3, 12), "agama": "Islam", "pendidikan": "SMA/SMK",
         "kecamatan": "Telukbetung Utara", "tindak_pidana": "Penyalahgunaan narkotika",
         "lama_pidana_bulan": "2 tahun 6 bulan", "program_integrasi": "PB",
         "tanggal_mulai_bimbingan": "12/03/2024", "tanggal_akhir_bimbingan": "12 Maret 2025",
         "pk_nip": "198503122010012001", "kategori_rri": "Sedang", "status": "AKTIF", "residivis": "Tidak",
         "status_pekerjaan": "BEKERJA", "penghasilan_bulanan": "Rp 1.500.000"},
        {"no_register": "PAS-002/BDL/2024", "nama": "Sri Wahyuni", "jenis_kelamin": "P",
         "tanggal_mulai_bimbingan": dt.datetime(2024, 1, 5), "status": "SELESAI",
         "tanggal_status": dt.datetime(2024, 12, 5), "penghasilan_bulanan": 2500000},
    ],
    "mitra": [
        {"kode_mitra": "MTR-001", "nama_mitra": "LPK Maju Bersama", "jenis_mitra": "LEMBAGA_PELATIHAN",
         "bidang": "KEMANDIRIAN", "bersertifikat": "Ya", "tanggal_pks": "10/01/2024",
         "berlaku_sampai": "31 Desember 2026", "status_aktif": "Ya", "kontak": "081270001234"},
    ],
    "program": [
        {"kode_program": "PLT-PR-2024-02", "nama_program": "Pelatihan Pangkas Rambut Angkatan II 2024",
         "kategori": "PELATIHAN_KERJA", "kode_mitra": "MTR-001", "tanggal_mulai": "01/04/2024",
         "tanggal_selesai": dt.datetime(2024, 6, 30), "kuota": 20, "total_jam": 48, "bersertifikat": "Ya"},
    ],
    "kehadiran": [
        {"no_register": "PAS-001/BDL/2024", "tanggal": "02/04/2024", "jenis_kegiatan": "WAJIB_LAPOR",
         "bentuk": "TATAP_MUKA", "status_hadir": "HADIR", "durasi_jam": 1},
        {"no_register": "PAS-001/BDL/2024", "tanggal": dt.datetime(2024, 5, 2), "jenis_kegiatan": "WAJIB_LAPOR",
         "bentuk": "TATAP_MUKA", "status_hadir": "TIDAK_HADIR", "alasan": "Tidak ada ongkos"},
        {"no_register": "PAS-001/BDL/2024", "tanggal": "10 April 2024", "jenis_kegiatan": "PELATIHAN_KERJA",
         "kode_program": "PLT-PR-2024-02", "status_hadir": "HADIR", "durasi_jam": "1,5"},
    ],
    "anggaran": [
        {"tahun_anggaran": 2024, "kode_akun": "524113", "uraian_akun": "Belanja Perjalanan Dinas Dalam Kota",
         "pagu": "Rp 12.000.000"},
        {"tahun_anggaran": 2024, "bulan": "Maret", "kode_akun": "524113", "uraian": "Transport narasumber",
         "rencana": 1000000, "realisasi": "Rp 950.000"},
    ],
    "hambatan": [
        {"tanggal": "15/05/2024", "kategori": "JARAK_BIAYA_TRANSPORT", "uraian": "Klien tidak punya ongkos",
         "no_register": "PAS-001/BDL/2024", "status": "TERBUKA"},
        {"tanggal": dt.datetime(2024, 6, 3), "uraian": "Klien bekerja di luar kota", "sumber": "KLIEN"},
    ],
}

# What the database holds afterwards (a few columns per table, ordered by the first).
EXPECTED = {
    "klien": ("select no_register, nik, jenis_kelamin, tanggal_lahir, umur_saat_mulai, kecamatan, kategori_pidana,"
              " lama_pidana_bulan, tanggal_mulai_bimbingan, tanggal_akhir_bimbingan, pk_nip, status, tanggal_status,"
              " residivis, penghasilan_bulanan from klien order by 1", [
                  ("PAS-001/BDL/2024", "1871011203900001", "L", D(1990, 3, 12), 34, "Teluk Betung Utara",
                   "Narkotika", 30, D(2024, 3, 12), D(2025, 3, 12), "198503122010012001", "AKTIF", None, False,
                   1500000),
                  ("PAS-002/BDL/2024", None, "P", None, None, None, None, None, D(2024, 1, 5), None, None,
                   "SELESAI", D(2024, 12, 5), None, 2500000)]),
    "mitra": ("select kode_mitra, jenis_mitra, bidang, bersertifikat, tanggal_pks, berlaku_sampai, status_aktif,"
              " kontak from mitra", [
                  ("MTR-001", "LEMBAGA_PELATIHAN", "KEMANDIRIAN", True, D(2024, 1, 10), D(2026, 12, 31), True,
                   "081270001234")]),
    "program": ("select kode_program, kategori, kode_mitra, tanggal_mulai, tanggal_selesai, kuota, total_jam,"
                " bersertifikat from program", [
                    ("PLT-PR-2024-02", "PELATIHAN_KERJA", "MTR-001", D(2024, 4, 1), D(2024, 6, 30), 20, 48.0,
                     True)]),
    "kehadiran": ("select tanggal, jenis_kegiatan, kode_program, status_hadir, kategori_hambatan, durasi_jam"
                  " from kehadiran order by 1", [
                      (D(2024, 4, 2), "WAJIB_LAPOR", None, "HADIR", None, 1.0),
                      (D(2024, 4, 10), "PELATIHAN_KERJA", "PLT-PR-2024-02", "HADIR", None, 1.5),
                      (D(2024, 5, 2), "WAJIB_LAPOR", None, "TIDAK_HADIR", "JARAK_BIAYA_TRANSPORT", None)]),
    "anggaran": ("select tahun_anggaran, bulan, kode_akun, uraian, pagu, rencana, realisasi from anggaran"
                 " order by bulan nulls first", [
                     (2024, None, "524113", None, 12000000, None, None),
                     (2024, 3, "524113", "Transport narasumber", None, 1000000, 950000)]),
    "hambatan": ("select tanggal, faktor, sumber, kategori, no_register, status from hambatan order by 1", [
        (D(2024, 5, 15), "EKSTERNAL", None, "JARAK_BIAYA_TRANSPORT", "PAS-001/BDL/2024", "TERBUKA"),
        (D(2024, 6, 3), "EKSTERNAL", "KLIEN", "KLIEN_BEKERJA_LUAR_KOTA", None, None)]),
}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The six templates, written once: kind → path."""
    out = tmp_path_factory.mktemp("templat")
    paths = templates.write_templates(out)
    return dict(zip(spec.LOAD_ORDER, paths))


@pytest.fixture(scope="module")
def filled(written, tmp_path_factory):
    """Every template with TYPED rows typed in, loaded together into a fresh database: (report, db path)."""
    folder = tmp_path_factory.mktemp("terisi")
    paths = []
    for kind, template in written.items():
        wb = openpyxl.load_workbook(template)
        ws = wb.worksheets[0]
        column = {ws.cell(1, c).value: c for c in range(1, ws.max_column + 1)}
        for r, row in enumerate(TYPED[kind], start=2):
            for name, value in row.items():
                ws.cell(r, column[templates.header_of(spec.KINDS[kind].field(name))], value)
        paths.append(folder / template.name)
        wb.save(paths[-1])
    db = folder / "bapas.duckdb"
    return load_files(paths, db), db


def test_writes_one_template_per_kind(written):
    assert [p.name for p in written.values()] == [
        "Templat Klien.xlsx", "Templat Mitra.xlsx", "Templat Program.xlsx", "Templat Kehadiran.xlsx",
        "Templat Anggaran.xlsx", "Templat Hambatan.xlsx"]


@pytest.mark.parametrize("kind", KINDS)
def test_header_row_is_detected_as_its_kind(written, kind):
    data, *others = extract.read_grids(written[kind])
    found, row, columns = extract.find_header(data)
    assert (found, row) == (kind, 0)
    assert list(columns) == [f.name for f in templates.template_fields(kind)]
    for grid in others:  # Petunjuk and Daftar: never data, even when the kind is forced
        for forced in (None, *KINDS):
            with pytest.raises(extract.ExtractError):
                extract.find_header(grid, forced)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("forced", [False, True])
def test_empty_template_is_a_valid_load_of_no_rows(written, kind, forced, tmp_path):
    report = load_files([written[kind]], tmp_path / "kosong.duckdb", kind=kind if forced else None)
    [entry] = report["files"]
    assert {k: entry[k] for k in ("kind", "status", "rows_read", "rows_loaded", "rows_rejected", "errors")} == {
        "kind": kind, "status": "loaded", "rows_read": 0, "rows_loaded": 0, "rows_rejected": 0, "errors": []}
    skipped = {w["value"] for w in entry["warnings"]}
    assert skipped == ({"Petunjuk", "Daftar"} if kind == "hambatan" else {"Petunjuk"})
    assert all(w["row"] is None and "dilewati" in w["message"] for w in entry["warnings"])


@pytest.mark.parametrize("kind", KINDS)
def test_typed_rows_load(filled, kind):
    report, _ = filled
    [entry] = [f for f in report["files"] if f["kind"] == kind]
    n = len(TYPED[kind])
    assert (entry["status"], entry["rows_read"], entry["rows_loaded"], entry["rows_rejected"], entry["errors"]) == \
        ("loaded", n, n, 0, [])
    assert all(w["row"] is None for w in entry["warnings"]), entry["warnings"]  # only the skipped sheets


@pytest.mark.parametrize("kind", KINDS)
def test_typed_rows_arrive_typed(filled, kind):
    _, db = filled
    sql, rows = EXPECTED[kind]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute(sql).fetchall() == rows


def _list_of(wb, validation) -> list[str]:
    formula = validation.formula1
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    sheet, cells = formula.lstrip("=").split("!")
    return [c.value for (c,) in wb[sheet][cells.replace("$", "")]]


@pytest.mark.parametrize("kind", KINDS)
def test_every_choice_column_has_its_dropdown(written, kind):
    wb = openpyxl.load_workbook(written[kind])
    ws = wb.worksheets[0]
    by_column = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    for c, f in enumerate(templates.template_fields(kind), start=1):
        letter = openpyxl.utils.get_column_letter(c)
        dv = by_column.pop(f"{letter}2:{letter}{templates.LAST_ROW}", None)
        if f.parser == spec.VOCAB:
            assert _list_of(wb, dv) == list(spec.VOCABULARIES[f.vocab]), f.name
        elif f.parser == spec.BOOL:
            assert _list_of(wb, dv) == ["Ya", "Tidak"], f.name
        else:
            assert dv is None, f.name
        if dv is not None:
            assert (dv.type, dv.errorStyle) == ("list", "warning")
    assert by_column == {}
    if "Daftar" in wb.sheetnames:
        assert wb["Daftar"].sheet_state == "hidden"


def _column_format(ws, c: int) -> str:
    return next((d.number_format for d in ws.column_dimensions.values() if d.min <= c <= d.max), "General")


@pytest.mark.parametrize("kind", KINDS)
def test_headers_formats_and_layout(written, kind):
    ws = openpyxl.load_workbook(written[kind]).worksheets[0]
    k = spec.KINDS[kind]
    required = set(k.required) | {n for group in k.required_any for n in group}
    assert ws.freeze_panes == "A2"
    expected_format = {spec.DATE: "dd/mm/yyyy", spec.TTL: "dd/mm/yyyy", spec.MONEY: "#,##0", spec.NIK: "@",
                       spec.NIP: "@", spec.REGISTER: "@"}
    for c, f in enumerate(templates.template_fields(kind), start=1):
        cell = ws.cell(1, c)
        assert spec.HEADER_INDEX[kind][spec.normalise_header(cell.value)] == f.name
        assert bool(cell.font.b) == (f.name in required), f.name
        assert cell.comment is not None and cell.comment.text.startswith(
            "WAJIB" if f.name in k.required else "Wajib salah satu" if f.name in required else "Boleh kosong")
        if f.parser in expected_format:
            assert _column_format(ws, c) == expected_format[f.parser], f.name
    assert ws.max_row == 1  # no example rows: an empty template loads nothing


def test_guide_lists_every_column_and_the_accepted_formats(written):
    for kind, path in written.items():
        ws = openpyxl.load_workbook(path)["Petunjuk"]
        text = [[c for c in row if c is not None] for row in ws.iter_rows(values_only=True)]
        flat = " ".join(str(c) for row in text for c in row)
        for needle in ("12/03/2022", "12 Maret 2022", "Rp 1.500.000", "2 tahun 6 bulan", "JUMLAH",
                       "tanda tangan"):
            assert needle in flat, (kind, needle)
        listed = [row[1] for row in text if row and isinstance(row[0], int)]
        assert listed == [templates.header_of(f) for f in templates.template_fields(kind)]
