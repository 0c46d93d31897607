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
    assert lines[0] == "nama;n" and lines[2] == "'+1+1;2" and lines[5] == "Budi;5"
