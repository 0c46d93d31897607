"""Table-driven tests of the cell parsers, and hypothesis: no parser raises on any input."""
import datetime as dt

import pytest
from hypothesis import given, settings, strategies as st

from etl import parse, spec

D = dt.date


@pytest.mark.parametrize("raw, expected", [
    (D(2022, 3, 12), D(2022, 3, 12)),
    (dt.datetime(2022, 3, 12, 10, 30), D(2022, 3, 12)),
    (44562.0, D(2022, 1, 1)),
    (44562, D(2022, 1, 1)),
    ("44562", D(2022, 1, 1)),
    ("12 Maret 2022", D(2022, 3, 12)),
    ("12 maret 2022", D(2022, 3, 12)),
    ("12 Pebruari 2022", D(2022, 2, 12)),
    ("3 Nopember 2021", D(2021, 11, 3)),
    ("Senin, 12 Maret 2022", D(2022, 3, 12)),
    ("Jum'at, 4 Maret 2022", D(2022, 3, 4)),
    ("12/03/2022", D(2022, 3, 12)),
    ("12-03-2022", D(2022, 3, 12)),
    ("12.03.2022", D(2022, 3, 12)),
    ("2022-03-12", D(2022, 3, 12)),
    ("2022-03-12 00:00:00", D(2022, 3, 12)),
    ("1 Agu 2023", D(2023, 8, 1)),
    ("1 Ags 2023", D(2023, 8, 1)),
    ("5 Okt 2023", D(2023, 10, 5)),
    ("25 Des 2023", D(2023, 12, 25)),
    ("  12 Maret 2022\n", D(2022, 3, 12)),
    ("12 Maret 2022 10:30", D(2022, 3, 12)),
    ("Senin, 12 Maret 2022 pukul 09.00 WIB", D(2022, 3, 12)),
    ("12/03/2022 10:30:00", D(2022, 3, 12)),
    ("12-Mar-2022", D(2022, 3, 12)),
    ("", None),
    ("-", None),
    (None, None),
])
def test_dates_read_as_people_type_them(raw, expected):
    value, error, _ = parse.parse_date(raw)
    assert (value, error) == (expected, None)


@pytest.mark.parametrize("raw, reason", [
    ("12/03/22", "tahun dua digit"),
    ("31/02/2022", "tidak ada di kalender"),
    ("12 Maretz 2022", "nama bulan tidak dikenal"),
    ("kemarin", "tidak dapat dibaca"),
    (True, "bukan tanggal"),
    ("12 Maret 1850", "di luar rentang"),
])
def test_bad_dates_are_rejected_with_a_reason(raw, reason):
    value, error, _ = parse.parse_date(raw)
    assert value is None and reason in error


def test_ttl_takes_the_date_part():
    assert parse.parse_ttl("Bandar Lampung, 12 Maret 1990")[0] == D(1990, 3, 12)
    assert parse.parse_ttl("Metro, 01-02-1985")[0] == D(1985, 2, 1)


@pytest.mark.parametrize("raw, expected", [
    ("Rp1.500.000,00", 1_500_000), ("Rp 1.500.000", 1_500_000), ("Rp. 65.040.000,-", 65_040_000),
    ("1.500.000", 1_500_000), ("1500000", 1_500_000), (1500000, 1_500_000), (1500000.0, 1_500_000),
    (1500000.5, 1_500_001), ("Rp 1.500.000,50", 1_500_001), ("Rp 1.500.000,49", 1_500_000),
    ("IDR 250.000", 250_000), ("0", 0), ("", None), ("-", None),
])
def test_money(raw, expected):
    assert parse.parse_money(raw)[:2] == (expected, None)


@pytest.mark.parametrize("raw, expected", [
    ("1,2 juta", 1_200_000), ("Rp 1,2 juta", 1_200_000), ("750 rb", 750_000), ("750rb", 750_000),
    ("1.5 jt", 1_500_000), ("3 Jt.", 3_000_000), ("1.250 ribu", 1_250_000), ("0,5 milyar", 500_000_000),
    ("Rp 2,25 miliar", 2_250_000_000),
])
def test_money_with_a_word_of_scale_as_written_by_hand(raw, expected):
    assert parse.parse_money(raw)[:2] == (expected, None)


@pytest.mark.parametrize("raw", ["-1.500.000", "(1.500.000)", -5, "Rp -10.000", "satu juta", "1.50.000", "-1 juta",
                                 "juta", "2,5 M", "1,2 juta rupiah"])
def test_bad_or_negative_money_is_rejected(raw):
    value, error, _ = parse.parse_money(raw)
    assert value is None and error


@pytest.mark.parametrize("raw, expected", [
    ("2 tahun 6 bulan", 30), ("1 thn 3 bln", 15), ("18", 18), (18.0, 18), ("6 bulan", 6), ("2 tahun", 24),
    ("1,5 tahun", 18), ("2 th 1 bl", 25),
])
def test_sentence_length_in_months(raw, expected):
    assert parse.parse_months(raw)[:2] == (expected, None)


def test_nik_text_number_and_scientific():
    assert parse.parse_nik("1871012345678901") == ("1871012345678901", None, None)
    assert parse.parse_nik("1871 0123 4567 8901")[0] == "1871012345678901"
    value, error, warning = parse.parse_nik(1871012345678901.0)
    assert value == "1871012345678901" and error is None and "membulatkan" in warning
    value, error, warning = parse.parse_nik("1.87101E+15")
    assert value is None and error is None and "notasi ilmiah" in warning
    value, error, warning = parse.parse_nik("18710123")
    assert value is None and error is None and "16 digit" in warning


def test_nip_with_or_without_spaces():
    assert parse.parse_nip("19800101 200501 1 001")[0] == "198001012005011001"
    assert parse.parse_nip("198001012005011001")[0] == "198001012005011001"
    assert parse.parse_nip("1980")[0] is None


@pytest.mark.parametrize("vocab, raw, code", [
    ("program_integrasi", "Pembebasan Bersyarat", "PB"), ("program_integrasi", "pb", "PB"),
    ("program_integrasi", "Asimilasi di Rumah", "ASIMILASI"), ("program_integrasi", "Cuti Menjelang Bebas", "CMB"),
    ("program_integrasi", "Pidana Pengawasan", "PIDANA_PENGAWASAN"),
    ("status_hadir", "Alpa", "TIDAK_HADIR"), ("status_hadir", "Mangkir", "TIDAK_HADIR"),
    ("status_hadir", "tidak hadir", "TIDAK_HADIR"), ("status_hadir", "Hadir", "HADIR"),
    ("jenis_kelamin", "Laki-laki", "L"), ("jenis_kelamin", "perempuan", "P"),
    ("jenis_kegiatan", "Wajib Lapor", "WAJIB_LAPOR"), ("jenis_kegiatan", "wajib-lapor", "WAJIB_LAPOR"),
    ("agama", "Budha", "Buddha"), ("agama", "Protestan", "Kristen"), ("pendidikan", "SLTA", "SMA/SMK"),
    ("kategori_hambatan", "Jarak jauh / biaya transportasi", "JARAK_BIAYA_TRANSPORT"),
    ("jenis_mitra", "LPK", "LEMBAGA_PELATIHAN"), ("kategori_rri", "TINGGI", "Tinggi"),
])
def test_vocabularies_in_any_case_and_full_words(vocab, raw, code):
    assert parse.parse_vocab(raw, vocab) == (code, None, None)


def test_unknown_vocabulary_value_lists_the_allowed_values():
    value, error, _ = parse.parse_vocab("Pindah Alamat", "status_klien")
    assert value is None
    assert "Pindah Alamat" in error and "AKTIF, SELESAI, DICABUT, MENINGGAL, PINDAH, BURON" in error


@pytest.mark.parametrize("raw, expected", [
    ("Ya", True), ("Y", True), ("iya", True), (1, True), ("Benar", True), ("Sudah", True), ("Ada", True),
    ("✓", True), ("TRUE", True), (True, True), ("Aktif", True),
    ("Tidak", False), ("T", False), ("Tdk", False), (0, False), ("Salah", False), ("Belum", False),
    ("Tidak Ada", False), ("FALSE", False), ("Tidak Aktif", False), ("", None),
])
def test_booleans(raw, expected):
    assert parse.parse_bool(raw)[:2] == (expected, None)


def test_unknown_boolean_is_rejected():
    assert parse.parse_bool("mungkin")[1]


@pytest.mark.parametrize("raw, expected", [
    ("3942.BAA.001.051.A.524113", "524113"), (524113.0, "524113"), ("524113", "524113"), ("5241", None),
])
def test_account_codes(raw, expected):
    assert parse.parse_akun(raw)[0] == expected


@pytest.mark.parametrize("raw, expected", [(3, 3), ("Maret", 3), ("mar", 3), ("12", 12), (13, None), ("", None)])
def test_month(raw, expected):
    assert parse.parse_month(raw)[0] == expected


def test_codes_from_numeric_cells_and_registers():
    assert parse.parse_code(524113.0)[0] == "524113"
    assert parse.parse_register("  pb-001/ 2022 ")[0] == "PB-001/ 2022"
    assert parse.parse_register("pb-001/   2022")[0] == "PB-001/ 2022"


def test_text_trimmed_and_collapsed():
    assert parse.parse_text("\u00a0 Budi   Santoso \n")[0] == "Budi Santoso"


@pytest.mark.parametrize("raw, expected", [
    ("Kec. Telukbetung utara", "Teluk Betung Utara"), ("TANJUNGKARANG PUSAT", "Tanjung Karang Pusat"),
    ("Sukarami", "Sukarame"), ("kedaton", "Kedaton"),
])
def test_place_spellings(raw, expected):
    assert parse.normalise_place(raw) == expected


def test_headers_normalise_like_data_md():
    assert spec.normalise_header("Pagu (Rp)") == "pagu"
    assert spec.normalise_header("Tanggal Mulai\nBimbingan") == "tanggalmulaibimbingan"
    assert spec.normalise_header("No. Register") == spec.normalise_header("no register")


ANY_CELL = st.one_of(
    st.none(), st.text(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
    st.dates(), st.datetimes(),
    st.from_regex(r"\s*(Rp\.?)?\s*-?[0-9.,]{0,15}(,-)?\s*", fullmatch=True),
    st.from_regex(r"[0-9]{1,2}[ /.-][A-Za-z]{0,10}[ /.-][0-9]{0,5}", fullmatch=True),
)


@settings(max_examples=300, deadline=None)
@given(ANY_CELL)
def test_no_parser_raises_on_any_value(value):
    for name, parser in parse.PARSERS.items():
        result = parser(value)
        assert isinstance(result, tuple) and len(result) == 3, name
        assert result[1] is None or isinstance(result[1], str)
    for vocab in spec.VOCABULARIES:
        parse.parse_vocab(value, vocab)
    parse.parse_count_or_bool(value)
    parse.normalise_place(value if isinstance(value, str) else None)
