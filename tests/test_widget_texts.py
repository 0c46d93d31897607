"""Streamlit widgets whose own texts are English only are built without them (the app's text is Indonesian)."""
import ast
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
