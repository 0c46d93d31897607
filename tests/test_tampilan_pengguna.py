"""What a user sees of Streamlit's own table menus, search bar and file chips reads Indonesian (app.py's CSS); sizes
are written the Indonesian way; every chart gets the same Indonesian Plotly config."""
import ast
import re
from pathlib import Path

import pytest

from analytics import format as fmt
from etl.extract import suffixes
from tests.test_unggah_page import _upload, office, page  # noqa: F401  (the Unggah page's fixtures)
from tests.test_widget_texts import _content, _rules, _widget_texts_css

ROOT = Path(__file__).resolve().parent.parent
MENU = '[data-testid="stDataFrameColumnMenu"] [role="menu"]'
ITEM = f'{MENU} > [role="menuitem"]'


# --- a table's column menu --------------------------------------------------------------------------------------

def _menu(sortable: bool, statistics: bool, formats: bool) -> list[tuple[str, str]]:
    """The children of the column menu as Streamlit 1.67 draws them (static/js DataFrame*.js): (role, English text)."""
    children = [("", "header")]
    if sortable:
        children += [("menuitem", "Sort ascending"), ("menuitem", "Sort descending"), ("", "divider")]
    children += [("presentation", "Statistics")] if statistics else []
    children += [("presentation", "Format")] if formats else []
    return children + [("menuitem", "Autosize"), ("menuitem", "Pin column"), ("menuitem", "Hide column")]


def _matches(selector: str, children: list, i: int) -> bool:
    """Whether `selector` (a rule of the menu: the item selector plus :nth-child / :nth-last-child) picks child i."""
    rest = selector[len(ITEM):].removesuffix("::after")
    if children[i][0] != "menuitem":
        return False
    position, from_end = i + 1, len(children) - i
    for kind, step, number in re.findall(r":(nth-child|nth-last-child)\((n\+)?(\d+)\)", rest):
        place = position if kind == "nth-child" else from_end
        if (place < int(number)) if step else (place != int(number)):
            return False
    return not re.sub(r":(nth-child|nth-last-child)\((n\+)?\d+\)", "", rest)


def _shown_menu(children: list) -> list[str]:
    """The texts a user reads in the menu: hidden children left out, relabelled ones by their ::after text."""
    rules = _rules(_widget_texts_css())
    hidden = [s.strip() for sel, body in rules.items() if "display: none" in body for s in sel.split(",")]
    labels = {sel: m.group(1) for sel, body in rules.items() if sel.startswith(ITEM)
              for m in [re.search(r'content:\s*"([^"]*)"', body)] if m}
    shown = []
    for i, (role, english) in enumerate(children):
        if role == "presentation" and f'{MENU} > [role="presentation"]' in hidden:
            continue
        if any(sel.startswith(ITEM) and _matches(sel, children, i) for sel in hidden):
            continue
        if role != "menuitem":
            shown.append(english)
            continue
        texts = [text for sel, text in labels.items() if _matches(sel, children, i)]
        assert len(texts) <= 1, (english, texts)
        shown.append(texts[0] if texts else english)
    return shown


@pytest.mark.parametrize("sortable", [True, False])
@pytest.mark.parametrize("statistics, formats", [(False, False), (True, False), (True, True)])
def test_every_column_menu_reads_indonesian(sortable, statistics, formats):
    """Sorting, autosize and hiding relabelled by position; Statistics, Format and Pin/Unpin not shown at all."""
    shown = _shown_menu(_menu(sortable, statistics, formats))
    sort = ["Urutkan naik", "Urutkan turun", "divider"] if sortable else []
    assert shown == ["header", *sort, "Sesuaikan lebar kolom", "Sembunyikan kolom"]
    english = {"Sort ascending", "Sort descending", "Statistics", "Format", "Autosize", "Pin column", "Unpin column",
               "Hide column"}
    assert not english & set(shown)


def test_column_menu_header_has_no_english_tooltip_or_copy_button():
    rules = _rules(_widget_texts_css())
    assert rules[f'{MENU} > div:first-child > div:first-child'] == "pointer-events: none;"  # title="text" / "number"
    assert any('button[aria-label="Copy column name"]' in sel and "display: none" in body
               for sel, body in rules.items())
    assert rules[ITEM] == "font-size: 0;" and rules[f"{ITEM}::after"] == "font-size: 0.875rem;"


def test_show_hide_list_and_search_bar_read_indonesian():
    rules = _rules(_widget_texts_css())
    assert _content(rules, "stDataFrameColumnVisibilityMenu") == ["Pilih semua"]
    assert any('input[aria-label="(index)"]' in sel and body == "display: none;" for sel, body in rules.items())
    assert _content(rules, "gdg-search-status label") == ["Ketik kata yang dicari"]
    assert _content(rules, "search-result-area") == ["Yang cocok disorot; pindah dengan panah", "Tidak ada yang cocok"]
    assert any(sel.startswith(".gdg-search-bar:has(") and ":disabled" in sel for sel in rules)  # only when none match


# --- the file uploader's chips ----------------------------------------------------------------------------------

def test_file_chips_hide_the_english_size_and_explain_a_refusal_in_indonesian():
    rules = _rules(_widget_texts_css())
    assert rules['[data-testid="stFileChip"] [data-testid="stFileChipName"] + div'] == "display: none;"
    type_error, size_error, retry = _content(rules, "stTooltipErrorContent")
    assert type_error == f"Jenis berkas ini tidak dapat dibaca; yang diterima: {', '.join(suffixes())}"
    assert size_error.startswith("Berkas ini melebihi batas ukuran per berkas")
    assert retry.startswith("Unggahan berkas ini gagal")
    # a refused file of a type the loader reads was refused for its size: the list is the loader's own
    size_rule = next(sel for sel in rules if "stTooltipErrorContent" in sel and 'aria-label*=".csv, " i' in sel)
    assert re.findall(r'\[aria-label\*="(\.\w+), " i\]', size_rule) == suffixes()


@pytest.mark.parametrize("n_bytes, shown", [
    (0, "0 B"), (900, "900 B"), (1023, "1.023 B"), (1024, "1,0 KB"), (14_475, "14,1 KB"), (21_528, "21,0 KB"),
    (1_048_570, "1,0 MB"), (10_099_753, "9,6 MB"), (52_428_800, "50,0 MB"), (5 * 1024 ** 3, "5,0 GB")])
def test_sizes_are_written_the_indonesian_way(n_bytes, shown):
    assert fmt.size(n_bytes) == shown


def test_the_unggah_page_lists_the_chosen_files_with_indonesian_sizes(page, office):
    _, klien, hadir = office
    at = page("operator")
    assert not [c.value for c in at.caption if c.value.startswith("Berkas terpilih")]  # nothing chosen, no list
    _upload(at, hadir, klien)
    at = page.go(at)
    assert not at.exception and not at.error
    listed = [c.value for c in at.caption if c.value.startswith("Berkas terpilih")]
    assert listed == [f"Berkas terpilih: Kehadiran Feb.xlsx ({fmt.size(hadir.stat().st_size)}); "
                      f"Data Klien.xlsx ({fmt.size(klien.stat().st_size)})."]
    assert re.fullmatch(r"Berkas terpilih: Kehadiran Feb\.xlsx \(\d+,\d KB\); Data Klien\.xlsx \(\d+,\d KB\)\.",
                        listed[0])
    assert not re.search(r"\d\.\d ?[KM]B", listed[0])  # not Streamlit's «14.5KB»


def test_a_chosen_files_name_is_shown_as_typed_not_as_markdown(page, office, tmp_path):
    named = tmp_path / "Klien_TW3 *baru* [final].xlsx"
    named.write_bytes(office[1].read_bytes())
    at = page("kepala")
    _upload(at, named)
    at = page.go(at)
    assert not at.exception
    assert [c.value for c in at.caption if c.value.startswith("Berkas terpilih")] == [
        rf"Berkas terpilih: Klien\_TW3 \*baru\* \[final\].xlsx ({fmt.size(named.stat().st_size)})."]


def test_a_key_figures_note_and_label_wrap_instead_of_being_cut_off():
    """Ringkasan's «dibanding s.d. November 2025» beside the budget figure read «dibanding s.d. Nov…» at 1366px;
    Mitra's «Di antaranya bersertifikat» read «Di antaranya b…» at 1000px with the menu open."""
    rules = _rules(_widget_texts_css())
    wraps = [sel for sel, body in rules.items() if "white-space: normal" in body]
    assert [s.strip() for sel in wraps for s in sel.split(",")] == [
        '[data-testid="stMetricDeltaDescription"] [data-testid="stCaptionContainer"]',
        '[data-testid="stMetricDeltaDescription"] p',
        '[data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"]',
        '[data-testid="stMetricLabel"] p']
    # a figure never breaks inside its digits: its rules only size it to fit (test_widget_texts.py)
    values = [body for sel, body in rules.items() if "stMetricValue" in sel]
    assert values and all(re.fullmatch(r"font-size: clamp\([^;]*\);", body) for body in values)


# --- charts -------------------------------------------------------------------------------------------------------

def _plotly_calls(path: Path) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
            and n.func.attr == "plotly_chart"]


CHART_SOURCES = [*sorted((ROOT / "halaman").glob("*.py")), ROOT / "ui" / "__init__.py"]


def test_the_sources_draw_charts_themselves():
    assert {p.name for p in CHART_SOURCES if _plotly_calls(p)} >= {"ringkasan.py", "risiko.py", "jelajah.py",
                                                                     "__init__.py"}


@pytest.mark.parametrize("path", CHART_SOURCES, ids=lambda p: p.name)
def test_every_chart_gets_the_indonesian_plotly_config(path):
    """analytics.charts.PLOTLY_CONFIG: Indonesian modebar, no PNG export outside the audit log."""
    wrong = [c.lineno for c in _plotly_calls(path)
             if not any(k.arg == "config" and isinstance(k.value, ast.Name) and k.value.id == "PLOTLY_CONFIG"
                        for k in c.keywords)]
    assert wrong == [], f"{path.name}: st.plotly_chart without config=PLOTLY_CONFIG on lines {wrong}"
