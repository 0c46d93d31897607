"""Streamlit widgets whose own texts are English only are built without them (the app's text is Indonesian)."""
import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "app.py", *sorted((ROOT / "halaman").glob("*.py"))]


def _multiselects(path: Path) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute) and node.func.attr == "multiselect"]


def test_the_sources_have_multiselects():
    assert sum(len(_multiselects(p)) for p in SOURCES) >= 8  # the scan below looks at real calls


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_no_multiselect_shows_the_english_select_all_row(path):
    """Streamlit 1.67's «Select all» row has no Indonesian label: every multiselect turns it off."""
    missing = []
    for call in _multiselects(path):
        flags = {k.arg: k.value for k in call.keywords}
        if not (isinstance(flags.get("select_all"), ast.Constant) and flags["select_all"].value is False):
            missing.append(call.lineno)
    assert missing == [], f"{path.name}: st.multiselect without select_all=False on lines {missing}"


# --- Streamlit's other English texts: relabelled by app.py's CSS (WIDGET_TEXTS_CSS) -------------------------------

def _widget_texts_css() -> str:
    """WIDGET_TEXTS_CSS as the browser gets it, read from app.py without running the app."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    names = {}
    for node in tree.body:  # the module's plain string constants, in order (the CSS is built from some of them)
        if isinstance(node, ast.Assign) and isinstance(node.value, (ast.Constant, ast.JoinedStr, ast.BinOp)):
            try:
                exec(compile(ast.Module([node], []), "app.py", "exec"), names)  # noqa: S102 (strings only)
            except NameError:
                continue
    return names["WIDGET_TEXTS_CSS"]


def _rules(css: str) -> dict[str, str]:
    """selector → its declarations, comments left out."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return {sel.strip(): body.strip() for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css)}


def _content(rules: dict[str, str], *parts: str) -> list[str]:
    """The `content` texts of the rules whose selector holds every part."""
    return [m.group(1) for sel, body in rules.items() if all(p in sel for p in parts)
            for m in [re.search(r'content:\s*"([^"]*)"', body)] if m]


def test_the_css_reaches_the_browser_whole():
    """st.html's sanitiser drops a <style> holding «<» before a letter or «/» (DOMPurify), even in a comment."""
    css = _widget_texts_css()
    assert css.startswith("<style>") and css.endswith("</style>")
    inner = css[len("<style>"):-len("</style>")]
    assert not re.search(r"<[/A-Za-z!]", inner), re.findall(r".{20}<[/A-Za-z!].{20}", inner)
    assert "Tekan Enter untuk mengirim" in inner  # the texts below are really in it


def test_input_hints_stop_button_and_menu_are_indonesian():
    rules = _rules(_widget_texts_css())
    hint = '[data-testid="InputInstructions"] > span:first-child::after'
    assert _content(rules, hint) == ["Tekan Enter untuk menerapkan", "Tekan Enter untuk mengirim",
                                     "Tekan Ctrl+Enter untuk menerapkan", "Tekan Ctrl+Enter untuk mengirim"]
    status = '[data-testid="stStatusWidget"]'
    assert _content(rules, status, "button") == ["Hentikan", "Menghentikan…", "Jalankan ulang",
                                                 "Selalu jalankan ulang"]
    # «Hentikan» only beside the running icon: after a file change the same kind of button reruns the page
    assert all("stStatusWidgetRunningIcon" in sel for sel in rules if status in sel and "Henti" in rules[sel])
    assert _content(rules, status, "label::after") == ["Berkas aplikasi berubah."]
    assert _content(rules, "stMainMenuItem-print") == ["Cetak halaman"]
    assert any("stMainMenuItem-recordScreencast" in sel and "display: none" in body for sel, body in rules.items())
    # the hint's first span would also be a max_chars counter: no widget has one
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert not [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Call)
                    and any(k.arg == "max_chars" for k in n.keywords)], path.name


def _font_size(rules: dict[str, str], characters: int) -> str:
    [body] = [body for sel, body in rules.items()
              if f'[class*="st-key-angka-{characters}-"] [data-testid="stMetricValue"]' in sel]
    return re.fullmatch(r"font-size: (.*);", body).group(1)


def test_a_key_figure_shrinks_to_fit_its_column_never_cut_nor_broken():
    """«Rp322.…» at 1000 pixels: a value of N characters (ui.metric's container «angka-N-…») takes the size at which
    N half-em characters fill its column, 2.25rem (Streamlit's own) where there is room; nothing wraps it."""
    css = _widget_texts_css()
    rules = _rules(css)
    assert rules['[class*="st-key-angka-"]'] == "container-type: inline-size;"
    for n in (5, 13, 16, 22):
        low, fill, high = re.fullmatch(r"clamp\((.*), (.*)cqi, (.*)\)", _font_size(rules, n)).groups()
        assert (low, high) == ("1rem", "2.25rem")
        assert float(fill) * (0.5 * n) < 100  # N characters of half an em fit in the column's width
    assert float(re.search(r"([\d.]+)cqi", _font_size(rules, 13)).group(1)) < 16  # Rp322.000.000 at 150 px: 23 px
    assert "word-break: break-all" not in css and "overflow-wrap: anywhere" not in css
    # every key figure of every page goes through ui.metric
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert not [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Call)
                    and isinstance(n.func, ast.Attribute) and n.func.attr == "metric"], path.name


def test_the_note_beside_a_change_breaks_between_words():
    """«dibanding s.d. November 2025» broke as «diban/ding» in a narrow column: it takes a line of its own instead."""
    rules = _rules(_widget_texts_css())
    row = 'div:has(> [data-testid="stMetricDelta"] + [data-testid="stMetricDeltaDescription"])'
    assert rules[row] == "flex-wrap: wrap;"
    assert rules['[data-testid="stMetricDeltaDescription"] p'] == "overflow-wrap: normal; word-break: normal;"


@pytest.mark.parametrize("label, text", [("Show/hide columns", "Tampilkan/sembunyikan kolom"),
                                         ("Search", "Cari di tabel"), ("Fullscreen", "Layar penuh"),
                                         ("Close fullscreen", "Tutup layar penuh")])
def test_table_toolbar_tooltips_are_indonesian(label, text):
    css = _widget_texts_css()
    assert re.search(rf'\[aria-label="{re.escape(label)}"\], \[aria-label\^="{re.escape(label)}: "\]\):is\('
                     rf':hover, :focus-visible\)\) \[data-testid="stTooltipContent"\] p::after \{{\s*content: '
                     rf'"{re.escape(text)}"', css), label


def test_modebar_tooltips_match_the_plotly_dictionary():
    """A chart drawn without analytics.charts.PLOTLY_CONFIG (and Streamlit's own fullscreen button) reads the same."""
    from analytics.charts import PLOTLY_TEXTS
    rules = _rules(_widget_texts_css())
    titles = {m.group(1): _content(rules, m.group(0))[0] for sel in rules
              for m in [re.search(r'\.modebar-btn\[data-title="([^"]+)"\]::after', sel)] if m}
    assert {"Zoom", "Pan", "Zoom in", "Zoom out", "Autoscale", "Reset axes", "Fullscreen"} <= set(titles)
    for english, indonesian in titles.items():
        assert indonesian == PLOTLY_TEXTS.get(english, {"Fullscreen": "Layar penuh",
                                                        "Close fullscreen": "Tutup layar penuh"}.get(english))
    assert rules['.js-plotly-plot .plotly .modebar-btn[data-title="Download plot as a PNG"]'] == "display: none;"


def _select_calls(path: Path) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
            and n.func.attr in ("selectbox", "multiselect")]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_every_select_box_has_an_indonesian_placeholder(path):
    """Without placeholder= an emptied select box shows «Choose an option» / «Choose options»."""
    missing = [c.lineno for c in _select_calls(path) if "placeholder" not in {k.arg for k in c.keywords}]
    assert missing == [], f"{path.name}: st.selectbox/st.multiselect without placeholder= on lines {missing}"
