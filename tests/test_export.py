"""Downloads never carry a formula a spreadsheet would run."""
import io

import openpyxl
import pandas as pd

from analytics.export import to_csv, to_xlsx

HOSTILE = pd.DataFrame({"nama": ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "Budi"], "n": [1, 2, 3, 4, 5]})


def test_xlsx_cells_are_text_not_formulas():
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(HOSTILE)))
    values = [c.value for c in wb.active["A"]][1:]
    assert values == ["'=HYPERLINK(\"http://x\")", "'+1+1", "'-2+3", "'@SUM(A1)", "Budi"]
    assert all(c.data_type != "f" for c in wb.active["A"])
    assert [c.value for c in wb.active["B"]][1:] == [1, 2, 3, 4, 5]


def test_csv_is_semicolon_with_bom_and_neutralised():
    text = to_csv(HOSTILE).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "Nama;N" and lines[2] == "'+1+1;2" and lines[5] == "Budi;5"


def test_code_style_headers_in_words_and_whole_days_as_dates():
    import datetime as dt
    frame = pd.DataFrame({"bulan": pd.to_datetime(["2025-12-01", "2026-01-01"]), "tepat_waktu": [3, 4],
                          "no_register": ["A-1", "A-2"], "Kategori": ["x", "y"],
                          "dimuat_pada": pd.to_datetime(["2026-01-02 09:30", "2026-01-03 10:00"])})
    assert to_csv(frame).decode("utf-8-sig").splitlines()[0] == "Bulan;Tepat waktu;No. Register;Kategori;Dimuat pada"
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(frame))).active
    assert [c.value for c in sheet[1]] == ["Bulan", "Tepat waktu", "No. Register", "Kategori", "Dimuat pada"]
    assert sheet["A2"].value == dt.datetime(2025, 12, 1) and sheet["A2"].number_format == "d mmm yyyy"
    assert sheet["E2"].number_format == "d mmm yyyy hh:mm"
