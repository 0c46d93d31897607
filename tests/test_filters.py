"""The shared filters: periods from presets, previous periods, and the URL round trip."""
import datetime as dt

import pytest

from analytics.filters import PROGRAM_NAMES, Filters, from_query, preset_period, program_label, to_query

D = dt.date
AS_OF = D(2026, 10, 30)


@pytest.mark.parametrize("preset, expected", [
    ("1", (D(2026, 10, 1), D(2026, 10, 31))), ("3", (D(2026, 8, 1), D(2026, 10, 31))),
    ("12", (D(2025, 11, 1), D(2026, 10, 31))), ("ytd", (D(2026, 1, 1), D(2026, 10, 31))),
])
def test_presets_are_whole_months_ending_with_the_data(preset, expected):
    assert preset_period(preset, AS_OF) == expected


def test_previous_and_last_year():
    f = Filters(D(2026, 8, 1), D(2026, 10, 31))
    assert (f.previous().mulai, f.previous().akhir) == (D(2026, 5, 1), D(2026, 7, 31))
    assert (f.last_year().mulai, f.last_year().akhir) == (D(2025, 8, 1), D(2025, 10, 31))


def test_url_round_trip():
    f = Filters(D(2025, 1, 1), D(2025, 6, 30), ("BAPAS-BDL",), ("PB", "CB"), ("198001012005011001",))
    query = to_query(f, "kustom")
    assert query == {"periode": "kustom", "dari": "2025-01", "sampai": "2025-06", "kode_bapas": "BAPAS-BDL",
                     "program_integrasi": "PB,CB", "pk_nip": "198001012005011001"}
    assert from_query(query, AS_OF) == (f, "kustom")


@pytest.mark.parametrize("query", [{"periode": "xx"}, {"periode": "kustom", "dari": "bukan"}, {}])
def test_unreadable_urls_fall_back_to_three_months(query):
    f, preset = from_query(query, AS_OF)
    assert (f.mulai, f.akhir, preset) == (D(2026, 8, 1), D(2026, 10, 31), "3")


@pytest.mark.parametrize("code, label", [
    ("PB", "PB – Pembebasan Bersyarat"), ("CB", "CB – Cuti Bersyarat"), ("CMB", "CMB – Cuti Menjelang Bebas"),
    ("PIB", "PIB – Pidana Bersyarat"), ("ASIMILASI", "Asimilasi"), ("DIVERSI", "Diversi"),
    ("PIDANA_PENGAWASAN", "Pidana Pengawasan"), ("LAINNYA", "Lainnya"), ("KODE_BARU", "Kode Baru"),
])
def test_program_labels(code, label):
    assert program_label(code) == label


def test_program_names_come_from_the_vocabulary():
    """Every code of the loader's vocabulary reads without underscores; no name is made up here."""
    from etl.spec import VOCABULARIES
    vocabulary = VOCABULARIES["program_integrasi"]
    assert {code: name in vocabulary[code] for code, name in PROGRAM_NAMES.items()} == dict.fromkeys(PROGRAM_NAMES,
                                                                                                       True)
    assert [code for code in vocabulary if "_" in program_label(code) or program_label(code) == code] == []
