"""In the real browser: a table's column menu and the uploader's file chips show no English (app.py's CSS).

The CSS and its selectors are checked fast in tests/test_tampilan_pengguna.py; this checks that Streamlit 1.67 still
draws the elements those selectors name. Fixtures and helpers: tests/test_browser.py."""
from __future__ import annotations

import pytest

from tests.test_browser import (PASSWORDS, PAGES_OPERATOR, _after, _assert_no_errors, _settle,  # noqa: F401
                                _shot_of_screen, browser, new_page, server)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails in CI) with the reason
    expect = None


def _log_in(page, server, user: str, title: str) -> None:
    page.goto(server.url)
    page.get_by_label("Nama pengguna").fill(user)
    page.get_by_label("Kata sandi").fill(PASSWORDS[user])
    page.get_by_role("button", name="Masuk").click()
    _settle(page, title)


def _open_last_column_menu(page, grid):
    """The ⋮ of a column header appears under the pointer; the last column's sits by the table's right edge."""
    menu = page.locator('[data-testid="stDataFrameColumnMenu"]')
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box = grid.bounding_box()
    for offset in (12, 16, 22):
        page.mouse.move(box["x"] + box["width"] - 60, box["y"] + 17)
        page.wait_for_timeout(400)
        page.mouse.click(box["x"] + box["width"] - offset, box["y"] + 17)
        try:
            expect(menu).to_be_visible(timeout=3000)
            return menu
        except AssertionError:
            continue
    expect(menu).to_be_visible()
    return menu


def test_column_menu_and_file_chips_read_indonesian(server, new_page, tmp_path):
    from tests.builders import KLIEN_HEADER, klien_row, workbook
    page = new_page()
    with server.log_on_failure():
        _log_in(page, server, "kepala", "Ringkasan")
        grid = page.locator('[data-testid="stDataFrame"]', has=page.locator('[role="columnheader"]',
                                                                            has_text="Terpanjang"))
        menu = _open_last_column_menu(page, grid)  # «Terpanjang», a number column: it has Statistics and Format
        items = menu.locator('[role="menuitem"]:visible')
        assert _after(items) == ["Urutkan naik", "Urutkan turun", "Sesuaikan lebar kolom", "Sembunyikan kolom"]
        assert set(items.evaluate_all("es => es.map(e => getComputedStyle(e).fontSize)")) == {"0px"}  # English gone
        assert menu.locator('[aria-haspopup]:visible, button[aria-label="Copy column name"]:visible').count() == 0
        _shot_of_screen(page, "kepala-menu-kolom")
        items.first.click()  # sorting still works: the header shows its arrow
        expect(grid.locator('[role="columnheader"]', has_text="Terpanjang")).to_contain_text("↑")
        _assert_no_errors(page, server, "kepala / Ringkasan / menu kolom")

        operator = new_page()
        _log_in(operator, server, "operator", PAGES_OPERATOR[0])
        operator.locator('[data-testid="stSidebarNavLink"]', has_text="Unggah Data").click()
        _settle(operator, "Unggah Data")
        book = workbook(tmp_path / "Data Klien Baru.xlsx", {"Data": (KLIEN_HEADER, [klien_row(1, "PB-1", "Uji")])})
        note = tmp_path / "catatan.txt"
        note.write_text("bukan data", encoding="utf-8")
        operator.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files([str(note), str(book)])
        expect(operator.get_by_text("Hasil pemeriksaan (belum ada yang dimuat)")).to_be_visible()
        _settle(operator, "Unggah Data")
        chips = operator.locator('[data-testid="stFileChip"]')
        expect(chips).to_have_count(2)
        sizes = chips.locator('[data-testid="stFileChipName"] + div')
        assert sizes.evaluate_all("es => es.map(e => getComputedStyle(e).display)") == ["none", "none"]  # «14.5KB»
        expect(operator.get_by_text("Berkas terpilih: Data Klien Baru.xlsx (")).to_be_visible()  # only the read one
        chips.first.hover()  # the refused .txt
        tip = operator.locator('[data-testid="stTooltipErrorContent"]')
        expect(tip).to_be_visible()
        assert _after(tip)[0].startswith("Jenis berkas ini tidak dapat dibaca")
        assert tip.evaluate("e => getComputedStyle(e).fontSize") == "0px"  # «text/plain files are not allowed.»
        _shot_of_screen(operator, "operator-unggah-berkas-ditolak")
        _assert_no_errors(operator, server, "operator / Unggah Data / berkas ditolak")
