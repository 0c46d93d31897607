"""The real server in headless Chromium (Debian `chromium`, driven by Playwright): log in, visit every page of
the role's navigation, fail on any error element, keep a full-page screenshot of each page as a CI artefact.

Without Chromium or Playwright the tests skip locally and fail when `CI` is set."""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

try:
    from playwright.sync_api import Error as PlaywrightError, expect, sync_playwright
except ImportError:  # the `browser` fixture gives the reason; the test skips, or fails in CI
    sync_playwright = None

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "artifacts" / "screenshots"
TIMEOUT_MS = 30_000  # first Plotly chart ~5 s in headless Chromium on 2 cores; real desktops are faster
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORDS = {u: f"{u}-demo-2026" for u in ("kepala", "pk1", "analis", "kanwil", "operator")}
TITLES = {"ringkasan": "Ringkasan", "partisipasi": "Partisipasi & Kesejahteraan", "anggaran": "Anggaran",
          "hambatan": "Hambatan", "mitra": "Mitra", "risiko": "Risiko Residivisme", "jelajah": "Jelajah Data",
          "laporan": "Paparan Kanwil", "unggah": "Unggah Data", "audit": "Log Audit", "pengguna": "Pengguna"}


def _role_pages(role: str) -> list[str]:
    """The titles of the role's pages (analytics.viewer.PAGES) whose files exist, in menu order."""
    from analytics.viewer import PAGES as REGISTRY
    return [TITLES[n] for n in REGISTRY[role] if (ROOT / "halaman" / f"{n}.py").is_file()]


PAGES = {"kepala": _role_pages("kepala"), "kanwil": _role_pages("kanwil")}
PAGES_OPERATOR = _role_pages("operator")
ALL_PAGES = {title: name for name, title in TITLES.items()}  # title -> url path
FRIENDLY_ERROR = "Maaf, terjadi kesalahan"

# The page has finished its run: the expected title, no script running, no stale or placeholder elements
# from the previous run, every Plotly chart drawn.
SETTLED_JS = """(title) => {
  const h1 = [...document.querySelectorAll('[data-testid="stMain"] h1')].map(e => e.innerText.trim());
  return h1.includes(title)
    && !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-testid="stSkeleton"]')
    && !document.querySelector('[data-stale="true"]')
    && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(c => c.querySelector('.main-svg'));
}"""


def _unavailable(reason: str):
    """Called from the test body, so a missing browser is a test failure in CI (not a fixture error)."""
    if os.environ.get("CI"):
        pytest.fail(f"browser test cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


class Server:
    def __init__(self, url: str, process: subprocess.Popen, log: Path):
        self.url, self.process, self.log = url, process, log

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else "(no log)"

    @contextlib.contextmanager
    def log_on_failure(self):
        """Print the server's stdout/stderr when the block fails (pytest shows it with the failure)."""
        try:
            yield
        except BaseException:
            print(f"----- streamlit server log ({self.log}) -----\n{self.log_text()}")
            raise


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def server(browser, demo_db, tmp_path_factory):
    """`streamlit run app.py` on a free port, on a copy of the demo database and a fresh accounts store."""
    if isinstance(browser, str):  # no browser: the test fails or skips with the reason, no server needed
        yield None
        return
    folder = tmp_path_factory.mktemp("browser")
    db = folder / "bapas.duckdb"
    shutil.copy(demo_db, db)
    env = {k: v for k, v in os.environ.items() if k not in ("BAPAS_KODE", "BAPAS_UJI_JEDA_TRANSAKSI")}
    env.update(BAPAS_DB=str(db), BAPAS_AKSES=str(folder / "akses.sqlite"),
               BAPAS_CONFIG=str(folder / "tidak-ada.toml"), PYTHONUNBUFFERED="1")
    port = _free_port()
    log = folder / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    running = Server(url, process, log)
    running.db = db
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"streamlit exited with {process.returncode}:\n{running.log_text()}", pytrace=False)
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"no answer from {url}/_stcore/health within 60 s:\n{running.log_text()}",
                            pytrace=False)
            time.sleep(0.5)
        yield running
    finally:
        _stop(process)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium under Playwright, or the reason why there is none."""
    if sync_playwright is None:
        yield "Playwright is not installed (pip install -r requirements-dev.txt)"
        return
    executable = shutil.which("chromium")
    if executable is None:
        yield "Chromium is not on PATH (apt-get install -y chromium)"
        return
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except PlaywrightError as exc:
            yield f"Chromium at {executable} does not start under Playwright: {exc}"
            return
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser):
    """A page in its own browser context (own cookies and Streamlit session)."""
    contexts = []

    def make():
        if isinstance(browser, str):
            _unavailable(browser)
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID",
                                      timezone_id="Asia/Jakarta")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def _settle(page, title: str) -> None:
    page.wait_for_function(SETTLED_JS, arg=title, timeout=TIMEOUT_MS, polling=200)
    page.wait_for_timeout(300)  # still settled a moment later: no rerun was under way
    page.wait_for_function(SETTLED_JS, arg=title, timeout=TIMEOUT_MS, polling=200)


def _assert_no_errors(page, server: Server, where: str) -> None:
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, f"{where}: exception shown: {exceptions.all_inner_texts()}"
    alerts = [text.strip() for text in page.locator(  # the message without the alert's icon
        '[data-testid="stAlert"] [data-testid="stMarkdownContainer"]').all_inner_texts()]
    friendly = [text for text in alerts if text.startswith(FRIENDLY_ERROR)]
    assert not friendly, f"{where}: the app's error message is shown: {friendly}"
    assert "Traceback" not in server.log_text(), f"{where}: the server logged a traceback"


def _column_headers(page) -> list[str]:
    """Column headers of every st.dataframe (its accessible grid) and st.table on the page."""
    return [text.strip() for text in page.locator(
        '[data-testid="stDataFrame"] [role="columnheader"], [data-testid="stTable"] th').all_inner_texts()]


def _nav_links(page) -> list[str]:
    return [text.strip() for text in page.locator(
        '[data-testid="stSidebarNavLink"] [data-testid="stMarkdownContainer"]').all_inner_texts()]  # no icon


def _screenshot(page, name: str) -> Path:
    """Full page: the app scrolls inside stMain, so grow the viewport to the content before the shot."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    viewport = page.viewport_size
    height = page.evaluate("""() => Math.max(document.documentElement.scrollHeight,
        ...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stSidebarContent"]')]
            .map(e => e.scrollHeight))""")
    page.set_viewport_size({"width": viewport["width"], "height": min(max(height, viewport["height"]), 12_000)})
    page.wait_for_timeout(500)  # charts and grids redraw at the new size
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    page.set_viewport_size(viewport)
    return path


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def _log_in(page, server: Server, user: str) -> None:
    page.goto(server.url)
    page.get_by_label("Nama pengguna").fill(user)
    page.get_by_label("Kata sandi").fill(PASSWORDS[user])
    page.get_by_role("button", name="Masuk").click()


def test_login_page_shows_no_navigation(server, new_page):
    page = new_page()
    with server.log_on_failure():
        page.goto(server.url)
        expect(page.get_by_label("Nama pengguna")).to_be_visible()
        _settle(page, "Dasbor Pokmas Lipas")
        _screenshot(page, "anonim-masuk")
        _assert_no_errors(page, server, "halaman masuk")
        assert _nav_links(page) == []
        for path in ALL_PAGES.values():
            assert page.locator(f'a[href$="/{path}"]').count() == 0, f"a link to /{path} before login"
        assert page.locator('[data-testid="stMetric"]').count() == 0


def _log_in_here(page, user: str) -> None:
    page.get_by_label("Nama pengguna").fill(user)
    page.get_by_label("Kata sandi").fill(PASSWORDS[user])
    page.get_by_role("button", name="Masuk").click()


def test_a_page_address_opened_directly_goes_through_the_frame(server, new_page):
    """A bookmarked page address before login shows the login (no "page not found", no page content) and, once
    logged in, that page inside the frame; an address outside the role says so in Indonesian."""
    with server.log_on_failure():
        page = new_page()
        page.goto(f"{server.url}/risiko")
        expect(page.get_by_label("Nama pengguna")).to_be_visible()
        _settle(page, "Dasbor Pokmas Lipas")
        _screenshot(page, "anonim-alamat-langsung")
        _assert_no_errors(page, server, "anonim /risiko")
        assert page.get_by_text("Page not found").count() == 0
        assert _nav_links(page) == []
        _log_in_here(page, "kanwil")
        _settle(page, "Risiko Residivisme")
        expect(page).to_have_url(re.compile(rf"^{re.escape(server.url)}/risiko(\?.*)?$"))
        assert _nav_links(page) == PAGES["kanwil"], "the role's menu, not a list of files"
        _assert_no_errors(page, server, "kanwil /risiko")

        other = new_page()
        other.goto(f"{server.url}/jelajah")  # not in the kanwil's menu
        expect(other.get_by_label("Nama pengguna")).to_be_visible()
        _log_in_here(other, "kanwil")
        _settle(other, "Halaman tidak tersedia")
        expect(other.get_by_text("Halaman ini tidak tersedia untuk peran Anda.")).to_be_visible()
        _screenshot(other, "kanwil-alamat-di-luar-peran")
        assert other.locator('[data-testid="stMain"] h1', has_text="Jelajah Data").count() == 0
        assert other.get_by_text("Page not found").count() == 0
        assert _nav_links(other) == PAGES["kanwil"]


STREAMLIT_NOT_FOUND = re.compile(r"Page not found|have requested|does not seem to exist|no corresponding file")


def _assert_no_not_found_dialog(page, where: str) -> None:
    """Streamlit's own answer to an unknown address is an English dialog: an office user must never see it."""
    shown = page.get_by_text(STREAMLIT_NOT_FOUND)
    assert shown.count() == 0, f"{where}: Streamlit's English page-not-found text: {shown.all_inner_texts()}"
    assert page.get_by_role("dialog").count() == 0, f"{where}: a dialog {page.get_by_role('dialog').all_inner_texts()}"


def test_a_mistyped_address_opens_the_first_page_with_an_indonesian_notice(server, new_page):
    """/tidakada before login: the login with an Indonesian notice, at /; after login (a restricted role too) the
    role's first page; /masuk quietly the login; a real page's address still opens that page, also typed in another
    case or with a trailing slash (/Ringkasan, /RISIKO/), without a notice."""
    notice = "Halaman «tidakada» tidak ada; Anda diarahkan ke halaman awal."
    home = re.compile(rf"^{re.escape(server.url)}/(\?.*)?$")
    with server.log_on_failure():
        page = new_page()
        page.goto(f"{server.url}/tidakada")
        expect(page.get_by_label("Nama pengguna")).to_be_visible()
        _settle(page, "Dasbor Pokmas Lipas")
        expect(page.get_by_text(notice, exact=True)).to_be_visible()
        expect(page).to_have_url(home)
        _screenshot(page, "anonim-alamat-salah")
        _assert_no_not_found_dialog(page, "anonim /tidakada")
        _assert_no_errors(page, server, "anonim /tidakada")
        assert _nav_links(page) == []

        _log_in_here(page, "kanwil")  # a restricted role lands on its own first page
        _settle(page, PAGES["kanwil"][0])
        expect(page).to_have_url(home)
        assert _nav_links(page) == PAGES["kanwil"]
        assert page.get_by_text(notice).count() == 0, "the notice belongs to the address, not to the next page"
        _assert_no_not_found_dialog(page, "kanwil setelah /tidakada")
        _assert_no_errors(page, server, "kanwil setelah /tidakada")

        page.goto(f"{server.url}/tidakada")  # typed while logged in: a new session, so the login again
        expect(page.get_by_text(notice, exact=True)).to_be_visible()
        _settle(page, "Dasbor Pokmas Lipas")
        _assert_no_not_found_dialog(page, "/tidakada setelah masuk")
        _log_in_here(page, "kepala")
        _settle(page, PAGES["kepala"][0])
        expect(page).to_have_url(home)
        assert _nav_links(page) == PAGES["kepala"]
        _assert_no_not_found_dialog(page, "kepala setelah /tidakada")
        _assert_no_errors(page, server, "kepala setelah /tidakada")

        page.goto(f"{server.url}/masuk")  # the login's own name: the login, without a notice
        _settle(page, "Dasbor Pokmas Lipas")
        expect(page.get_by_label("Nama pengguna")).to_be_visible()
        assert page.get_by_text("tidak ada; Anda diarahkan").count() == 0
        _assert_no_not_found_dialog(page, "anonim /masuk")

        page.goto(f"{server.url}/mitra")  # a real page's address still opens that page after the login
        _settle(page, "Dasbor Pokmas Lipas")
        assert page.get_by_text("tidak ada; Anda diarahkan").count() == 0
        _log_in_here(page, "kepala")
        _settle(page, "Mitra")
        expect(page).to_have_url(re.compile(rf"^{re.escape(server.url)}/mitra(\?.*)?$"))
        _assert_no_not_found_dialog(page, "kepala /mitra")
        _assert_no_errors(page, server, "kepala /mitra")

        for address, user, title, path in (("Ringkasan", "kepala", "Ringkasan", ""),  # the default page lives at /
                                           ("RISIKO/", "kanwil", "Risiko Residivisme", "risiko")):
            page.goto(f"{server.url}/{address}")
            _settle(page, "Dasbor Pokmas Lipas")
            _log_in_here(page, user)
            _settle(page, title)
            expect(page).to_have_url(re.compile(rf"^{re.escape(server.url)}/{path}(\?.*)?$"))
            assert page.get_by_text("tidak ada; Anda diarahkan").count() == 0, f"/{address}: a notice"
            _assert_no_not_found_dialog(page, f"{user} /{address}")
            _assert_no_errors(page, server, f"{user} /{address}")
        _screenshot(page, "kanwil-alamat-huruf-besar")


ENGLISH_LIST_TEXTS = re.compile(r"Select all|Select \d+ matches|No results|You can only select")


def _shot_of_screen(page, name: str) -> None:
    """The screen as it is (an open list closes when the full-page shot resizes the window)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), animations="disabled")


def _open_list(page, key: str):
    """Open a sidebar filter's list and return it.

    A rerun that lands just after the click (the page settling after Escape closed the last list) re-renders the
    sidebar and closes the list again: the click is tried up to three times, the list must then be open.
    """
    listbox = page.get_by_role("listbox")
    for _ in range(2):
        page.locator(f".st-key-{key} input").click()
        try:
            expect(listbox).to_be_visible(timeout=5000)
            return listbox
        except AssertionError:
            page.wait_for_timeout(500)
    page.locator(f".st-key-{key} input").click()
    expect(listbox).to_be_visible()
    return listbox


def test_sidebar_filters_speak_indonesian(server, new_page):
    """No "Select all" in the filters' lists; a search that matches nothing says so in Indonesian (Streamlit's
    "No results" hidden by the app's CSS); programs read as names."""
    page = new_page()
    with server.log_on_failure():
        _log_in(page, server, "kepala")
        _settle(page, "Ringkasan")
        listbox = _open_list(page, "f_pk")
        names = [t.strip() for t in listbox.get_by_role("option").all_inner_texts()]
        assert names and all(names), f"PK list: {names[:5]}"
        expect(page.get_by_text(ENGLISH_LIST_TEXTS)).to_have_count(0)
        page.keyboard.type("zzqxw")  # matches no PK
        expect(listbox).to_have_attribute("data-empty", "true")
        shown = listbox.evaluate("""l => [l.innerText.trim(),
            getComputedStyle(l.querySelector('[role="option"] > span'), '::after').content]""")
        assert shown == ["", '"Tidak ada yang cocok"'], shown  # the English text is in the page, not on screen
        expect(page.get_by_text(ENGLISH_LIST_TEXTS)).to_be_hidden()
        _shot_of_screen(page, "kepala-saringan-pk-tidak-cocok")
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")

        listbox = _open_list(page, "f_program")
        programs = [t.strip() for t in listbox.get_by_role("option").all_inner_texts()]
        assert "PB – Pembebasan Bersyarat" in programs and not [p for p in programs if "_" in p], programs
        expect(page.get_by_text(ENGLISH_LIST_TEXTS)).to_have_count(0)
        _shot_of_screen(page, "kepala-saringan-program")
        listbox.get_by_role("option", name="PB – Pembebasan Bersyarat").click()
        expect(page).to_have_url(re.compile(r"[?&]program_integrasi=PB(&|$)"))
        _settle(page, "Ringkasan")
        _assert_no_errors(page, server, "kepala / saringan")


@pytest.mark.parametrize("user", list(PAGES))
def test_every_page_of_the_role_renders_without_error(user, server, new_page):
    page = new_page()
    for old in SHOTS.glob(f"{user}-*.png"):
        old.unlink()
    with server.log_on_failure():
        _log_in(page, server, user)
        _settle(page, PAGES[user][0])
        links = _nav_links(page)
        if len(PAGES[user]) == 1:  # Streamlit shows no navigation for a single page
            assert links in ([], PAGES[user]), f"{user} sees pages outside the role: {links}"
        else:
            assert links == PAGES[user]
        for title in PAGES[user]:
            if links:
                page.locator('[data-testid="stSidebarNavLink"]', has_text=title).click()
                path = "" if title == PAGES[user][0] else ALL_PAGES[title]  # the default page lives at /
                expect(page).to_have_url(re.compile(rf"^{re.escape(server.url)}/{path}(\?.*)?$"))
            _settle(page, title)
            where = f"{user} / {title}"
            titles = [t.strip() for t in page.locator('[data-testid="stMain"] h1').all_inner_texts()]
            assert titles == [title], f"{where}: page titles {titles}"
            _screenshot(page, f"{user}-{_slug(title)}")
            _assert_no_errors(page, server, where)
            if title == "Ringkasan":
                expect(page.locator('[data-testid="stMetric"]')).to_have_count(8)
                headers = _column_headers(page)
                if user == "kepala":  # the check below can see a names column when there is one
                    assert "Nama" in headers, f"{where}: no names column in {headers}"
                if user == "kanwil":
                    assert not {"Nama", "No. Register"} & set(headers), f"{where}: person-level columns {headers}"
        for other in set(ALL_PAGES) - set(PAGES[user]):
            assert page.locator(f'a[href$="/{ALL_PAGES[other]}"]').count() == 0, f"{user} has a link to {other}"


ENGLISH_MODEBAR = {"Download plot as a PNG", "Zoom", "Pan", "Zoom in", "Zoom out", "Autoscale", "Reset axes",
                   "Fullscreen", "Close fullscreen"}


def _after(locator) -> list[str]:
    """The ::after texts of the located elements (how app.py's CSS relabels Streamlit's English texts)."""
    return locator.evaluate_all("es => es.map(e => getComputedStyle(e, '::after').content.replace(/^\"|\"$/g, ''))")


def _modebar(page, chart) -> list[tuple[str, str, str]]:
    """(data-title, tooltip text, display) of each button in a Plotly chart's modebar."""
    chart.hover()
    buttons = chart.locator(".modebar-btn")
    expect(buttons.first).to_be_attached()
    return buttons.evaluate_all("""bs => bs.map(b => [b.getAttribute('data-title'),
        getComputedStyle(b, '::after').content.replace(/^"|"$/g, ''), getComputedStyle(b).display])""")


def test_no_table_offers_its_own_download_and_hover_texts_are_indonesian(server, new_page):
    """Streamlit's own «Download as CSV» (unaudited, raw stand-ins of hidden cells) is on no table; the table
    toolbar's, the charts' and the login form's hints read Indonesian; the ⋮ menu offers only «Cetak halaman»."""
    page = new_page()
    with server.log_on_failure():
        page.goto(server.url)
        page.get_by_label("Nama pengguna").fill("kanwil")
        hint = page.locator('[data-testid="stForm"] [data-testid="InputInstructions"] > span').first
        assert _after(hint) == ["Tekan Enter untuk mengirim"]
        page.get_by_label("Kata sandi").fill(PASSWORDS["kanwil"])
        page.get_by_role("button", name="Masuk").click()
        _settle(page, "Ringkasan")
        # a chart drawn with Streamlit's default config: the app's CSS relabels it and hides the image download
        for title, text, display in _modebar(page, page.locator('[data-testid="stPlotlyChart"]').first):
            if title == "Download plot as a PNG":
                assert display == "none"
            else:
                assert text not in ENGLISH_MODEBAR and text, (title, text)
        page.locator('[data-testid="stMainMenuButton"]').click()
        expect(page.locator('[data-testid="stMainMenuList"]')).to_be_visible()
        items = page.locator('[data-testid="stMainMenuList"] [role="menuitem"]:visible')
        assert _after(items.locator('[data-testid="stMainMenuItemLabel"]')) == ["Cetak halaman"]
        assert page.get_by_text(re.compile("Made with Streamlit|Record screen")).filter(visible=True).count() == 0
        page.keyboard.press("Escape")

        page.locator('[data-testid="stSidebarNavLink"]', has_text="Mitra").click()
        _settle(page, "Mitra")
        grids = page.locator('[data-testid="stDataFrame"]')
        expect(grids.nth(1)).to_be_attached()  # the scorecard, a partner's runs, the agreements ending
        grid = grids.first  # the partner scorecard: the audit's example (hidden cells, kanwil)
        grid.hover()
        page.wait_for_timeout(300)  # the toolbar slides in: aim at the button once it stands still
        grid.locator('button[aria-label="Search"]').hover(force=True)  # the grid's canvas lies over the toolbar
        tip = page.locator('[data-testid="stTooltipContent"] p')
        expect(tip).to_be_visible()  # after Streamlit's 1 s hover delay
        assert _after(tip) == ["Cari di tabel"]
        _shot_of_screen(page, "kanwil-mitra-tooltip-tabel")
        page.mouse.move(0, 0)
        for i in range(grids.count()):
            grid = grids.nth(i)
            grid.scroll_into_view_if_needed()
            grid.hover()
            labels = grid.locator('[data-testid="stElementToolbarButton"] button')
            expect(labels.first).to_be_attached()
            names = labels.evaluate_all("bs => bs.map(b => b.getAttribute('aria-label'))")
            assert "Search" in names and not [n for n in names if "Download" in n or "CSV" in n], names
        chart = page.locator('[data-testid="stPlotlyChart"]').first
        chart.scroll_into_view_if_needed()
        shown = _modebar(page, chart)  # drawn with analytics.charts.PLOTLY_CONFIG: plotly's own texts Indonesian
        assert "Download plot as a PNG" not in [t for t, _, _ in shown]
        assert not [t for t, text, _ in shown if t in ENGLISH_MODEBAR and t != "Fullscreen" or text in ENGLISH_MODEBAR]
        _assert_no_errors(page, server, "kanwil / Mitra")


def _metric_value(page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]', has_text=label).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


def test_upload_through_the_page_and_open_pages_follow(server, new_page, tmp_path):
    """Runs last: the operator loads a workbook through the real page; the kepala's open page shows it unasked."""
    import datetime as dt
    from tests.builders import KLIEN_HEADER, klien_row, workbook
    from tests.conftest import query
    rows = [klien_row(i + 1, f"PB-UNGGAH-{i + 1}", f"Klien Unggahan {i + 1}", mulai=dt.date(2026, 9, 1),
                      akhir=dt.date(2027, 9, 1), status="Aktif") for i in range(12)]
    book = workbook(tmp_path / "Data Klien Baru.xlsx", {"Data": (KLIEN_HEADER, rows)})
    watcher = new_page()
    operator = new_page()
    with server.log_on_failure():
        _log_in(watcher, server, "kepala")
        _settle(watcher, "Ringkasan")
        before = _metric_value(watcher, "Klien aktif")
        _log_in(operator, server, "operator")
        _settle(operator, PAGES_OPERATOR[0])
        operator.locator('[data-testid="stSidebarNavLink"]', has_text="Unggah Data").click()
        _settle(operator, "Unggah Data")
        operator.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(book))
        expect(operator.get_by_text("Hasil pemeriksaan (belum ada yang dimuat)")).to_be_visible()
        _settle(operator, "Unggah Data")
        _screenshot(operator, "operator-unggah-pratinjau")
        operator.get_by_role("button", name="Muat", exact=True).click()
        expect(operator.get_by_text(re.compile(r"Muat nomor \d+ selesai: 12 baris dimuat"))).to_be_visible()
        _settle(operator, "Unggah Data")
        _screenshot(operator, "operator-unggah-selesai")
        _assert_no_errors(operator, server, "operator / Unggah Data")
        assert query(server.db, "select count(*) from klien where no_register like 'PB-UNGGAH-%'") == [(12,)]
        # the kepala did nothing: the open page reruns on the new snapshot within seconds
        watcher.wait_for_function(
            """([label, before]) => [...document.querySelectorAll('[data-testid="stMetric"]')]
                 .filter(m => m.innerText.includes(label))
                 .some(m => m.querySelector('[data-testid="stMetricValue"]').innerText.trim() !== before)""",
            arg=["Klien aktif", before], timeout=20_000, polling=500)
        after = _metric_value(watcher, "Klien aktif")
        assert int(after.replace(".", "")) == int(before.replace(".", "")) + 12
