"""Dasbor Pokmas Lipas — the frame: demo data on first start, login, role navigation, shared filters."""
from __future__ import annotations

import datetime as dt
import logging
import time
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from analytics import db, format as fmt
from analytics.accounts import LoginError, Store
from analytics.filters import PRESETS, Filters, add_months, from_query, month_end, program_label, to_query
from analytics.ringkasan import as_of, choices
from analytics.viewer import PAGES, ROLE_LABELS, Viewer
from etl import config

ROOT = Path(__file__).resolve().parent
IDLE_MINUTES = 30
DATA_CHECK_SECONDS = 5  # how often an open page checks whether a load has brought new data
FILTER_KEYS = ("periode", "dari", "sampai", "kode_bapas", "program_integrasi", "pk_nip")  # analytics.filters.to_query
# no emoji icons: office PCs may lack the font
PAGE_TITLES = {"ringkasan": "Ringkasan", "partisipasi": "Partisipasi & Kesejahteraan", "anggaran": "Anggaran",
               "hambatan": "Hambatan", "mitra": "Mitra", "risiko": "Risiko Residivisme", "jelajah": "Jelajah Data",
               "laporan": "Paparan Kanwil", "unggah": "Unggah Data", "audit": "Log Audit", "pengguna": "Pengguna"}
LOGIN_PATH = "masuk"
log = logging.getLogger("bapas")
# Streamlit's file uploader and select boxes have English texts and no option to change them (1.67): hide each text
# (visibility too, so it is neither read out nor found) and show an Indonesian one. The data-key values and the
# data-empty list are Streamlit's own (static/js Multiselect*.js, Selectbox*.js). A multiselect with max_selections
# shows its limit message in the same element: its label says «paling banyak N», and the text then covers both.
# No «<» before a letter or «/» inside the style (not even in a comment): st.html's sanitiser then drops it whole.
_LIST = ':is([data-testid="stMultiSelectDropdown"], [data-testid="stSelectboxVirtualDropdown"]) [role="listbox"]'
_BULK = '[data-testid="stMultiSelectDropdown"] [role="option"]'
_TOOL = 'body:has([data-testid="stElementToolbarButton"] button'  # + the button's label, then ":is(:hover, …))"
_TIP = '[data-testid="stTooltipContent"] p'
_ON = ':is(:hover, :focus-visible))'
_MENU = '[data-testid="stDataFrameColumnMenu"] [role="menu"]'
_SEEN = '[data-testid="stDataFrameColumnVisibilityMenu"]'
_CHIP = 'body:has([data-testid="stTooltipErrorHoverTarget"]:hover > [data-testid="stFileChip"][aria-invalid="true"]'
_CHIP_TIP = '[data-testid="stTooltipErrorContent"]'
# the file types the loader reads (etl.extract.suffixes(), tests/test_tampilan_pengguna.py): a refused file of one of
# these types was refused for its size
_READ = ('[aria-label*=".xlsx, " i], [aria-label*=".xlsm, " i], [aria-label*=".xls, " i], [aria-label*=".xlsb, " i], '
         '[aria-label*=".ods, " i], [aria-label*=".csv, " i], [aria-label*=".parquet, " i]')
# ui.metric's container «angka-N-…» holds a value of N characters, a character about half an em of the value's font
_METRIC_FIT = '[class*="st-key-angka-"] { container-type: inline-size; }\n' + "\n".join(
    f'[class*="st-key-angka-{n}-"] [data-testid="stMetricValue"] '
    f'{{ font-size: clamp(1rem, {100 / (0.5 * n + 0.3):.1f}cqi, 2.25rem); }}' for n in range(1, 31))
WIDGET_TEXTS_CSS = f"""<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "Pilih berkas"; font-size: 0.875rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: "atau seret berkas ke kotak ini"; font-size: 0.875rem; }}
/* A chosen file's chip: its size is English-style ("14.5KB", a text CSS cannot rewrite), so it is hidden; the Unggah
   page lists each file with its size in Indonesian. A file the browser refused (a type the loader does not read, or
   over server.maxUploadSize) never reaches the app: its chip turns red and its tooltip says why, in Indonesian. */
[data-testid="stFileChip"] [data-testid="stFileChipName"] + div {{ display: none; }}
{_CHIP}) {_CHIP_TIP} {{ font-size: 0; }}
{_CHIP}) {_CHIP_TIP}::after {{ font-size: 0.875rem;
  content: "Jenis berkas ini tidak dapat dibaca; yang diterima: .xlsx, .xlsm, .xls, .xlsb, .ods, .csv, .parquet"; }}
{_CHIP}:is({_READ})) {_CHIP_TIP}::after {{
  content: "Berkas ini melebihi batas ukuran per berkas (lihat keterangan di bawah kotak unggah)"; }}
{_CHIP}[role="button"]) {_CHIP_TIP}::after {{ content: "Unggahan berkas ini gagal; klik berkas untuk mencoba lagi"; }}
{_LIST}[data-empty="true"] [role="option"] > span,
{_BULK}:is([data-key="__select_all__"], [data-key="__select_matches__"]) > div {{
  font-size: 0; visibility: hidden; }}
{_LIST}[data-empty="true"] [role="option"] > span::after {{
  content: "Tidak ada yang cocok"; font-size: 0.875rem; visibility: visible; }}
{_LIST}[data-empty="true"][aria-label*="paling banyak"] [role="option"] > span::after {{
  content: "Tidak ada yang cocok, atau batas pilihan sudah tercapai"; }}
{_BULK}[data-key="__select_all__"] > div::after {{ content: "Pilih semua"; font-size: 0.875rem; visibility: visible; }}
{_BULK}[data-key="__select_matches__"] > div::after {{
  content: "Pilih semua yang cocok"; font-size: 0.875rem; visibility: visible; }}
/* The hint under a text input, number input or text area (static/js InputInstructions*.js): its first span is
   "Press Enter to apply/submit form", or "Press Ctrl+Enter …" in a text area (⌘ on a Mac, where Ctrl works too).
   A max_chars counter would also be a first span: the app sets none (tests/test_widget_texts.py). */
[data-testid="InputInstructions"] > span:first-child {{ font-size: 0; }}
[data-testid="InputInstructions"] > span:first-child::after {{
  content: "Tekan Enter untuk menerapkan"; font-size: 0.75rem; }}
[data-testid="stForm"] [data-testid="InputInstructions"] > span:first-child::after {{
  content: "Tekan Enter untuk mengirim"; }}
[data-testid="stTextArea"] [data-testid="InputInstructions"] > span:first-child::after {{
  content: "Tekan Ctrl+Enter untuk menerapkan"; }}
[data-testid="stForm"] [data-testid="stTextArea"] [data-testid="InputInstructions"] > span:first-child::after {{
  content: "Tekan Ctrl+Enter untuk mengirim"; }}
/* A key figure's note beside its change (st.metric delta_description, e.g. «dibanding s.d. November 2025») is one
   line cut off with "…" in a quarter-width column on a 1366-pixel screen: it wraps instead. So does its label, cut
   to «Di antaranya b…» or «PKS lewat, mit…» at 1000 pixels with the menu open. */
[data-testid="stMetricDeltaDescription"] [data-testid="stCaptionContainer"],
[data-testid="stMetricDeltaDescription"] p,
[data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"],
[data-testid="stMetricLabel"] p {{ white-space: normal; text-overflow: clip; }}
/* Beside its change the note had a sliver of a narrow column left and broke inside words («diban/ding»): it goes
   to a line of its own when it does not fit, and breaks only between words. */
div:has(> [data-testid="stMetricDelta"] + [data-testid="stMetricDeltaDescription"]) {{ flex-wrap: wrap; }}
[data-testid="stMetricDeltaDescription"] {{ min-width: 0; }}
[data-testid="stMetricDeltaDescription"] p {{ overflow-wrap: normal; word-break: normal; }}
/* A key figure's value is never cut («Rp322.…» at 1000 pixels) nor broken inside a number: drawn by ui.metric in a
   container named for its length in characters, it shrinks with its column to fit (2.25rem at most). */
{_METRIC_FIT}
/* The ⋮ menu (toolbarMode "viewer"): Print in Indonesian; Record screen (an English dialog) and the "Made with
   Streamlit" line below the items hidden. */
[data-testid="stMainMenuItem-print"] [data-testid="stMainMenuItemLabel"] {{ font-size: 0; }}
[data-testid="stMainMenuItem-print"] [data-testid="stMainMenuItemLabel"]::after {{
  content: "Cetak halaman"; font-size: 0.875rem; }}
[data-testid="stMainMenuItem-recordScreencast"], [data-testid="stMainMenuList"] ~ div {{ display: none; }}
/* The status widget at the top (static/js index*.js StatusWidget): while a page runs, the running icon and "Stop" /
   "Stopping..."; after the app's files changed on disk (an update while the server runs), "File change." and the
   "Rerun" and "Always rerun" buttons, which must not read «Hentikan». */
[data-testid="stStatusWidget"] button, [data-testid="stStatusWidget"] label {{ font-size: 0; }}
[data-testid="stStatusWidget"]:has([data-testid="stStatusWidgetRunningIcon"]) button::after {{
  content: "Hentikan"; font-size: 0.875rem; }}
[data-testid="stStatusWidget"]:has([data-testid="stStatusWidgetRunningIcon"]) button:disabled::after {{
  content: "Menghentikan…"; }}
[data-testid="stStatusWidget"] label::after {{ content: "Berkas aplikasi berubah."; font-size: 0.875rem; }}
[data-testid="stStatusWidget"] label + span button::after {{ content: "Jalankan ulang"; font-size: 0.875rem; }}
[data-testid="stStatusWidget"] label + span + span button::after {{
  content: "Selalu jalankan ulang"; font-size: 0.875rem; }}
/* Tooltips of the table toolbar: the tooltip is drawn apart from its button, so it is told by the button under the
   pointer (or focused), known by its aria-label ("Search", or "Search: " and the alt text of a table that has one). */
{_TOOL}{_ON} {_TIP} {{ font-size: 0; }}
{_TOOL}{_ON} {_TIP}::after {{ font-size: 0.875rem; }}
{_TOOL}:is([aria-label="Show/hide columns"], [aria-label^="Show/hide columns: "]){_ON} {_TIP}::after {{
  content: "Tampilkan/sembunyikan kolom"; }}
{_TOOL}:is([aria-label="Search"], [aria-label^="Search: "]){_ON} {_TIP}::after {{ content: "Cari di tabel"; }}
{_TOOL}:is([aria-label="Fullscreen"], [aria-label^="Fullscreen: "]){_ON} {_TIP}::after {{ content: "Layar penuh"; }}
{_TOOL}:is([aria-label="Close fullscreen"], [aria-label^="Close fullscreen: "]){_ON} {_TIP}::after {{
  content: "Tutup layar penuh"; }}
/* A table's column menu (the ⋮ on a column header; static/js DataFrame*.js). Its items have no ids, only an order:
   the header (type icon, name, copy button); Sort ascending, Sort descending and a divider when the column can be
   sorted; Statistics and Format, each in a role="presentation" wrapper, for some column kinds; Autosize; Pin or Unpin
   column (one place for two texts); Hide column. Sort, Autosize and Hide read Indonesian. Hidden: Statistics (English
   figures, also over the stand-ins of hidden small numbers), Format (dollar, euro, yen…), Pin/Unpin, the copy button
   and the English tooltip of the type icon. With sorting, the menu has ≥ 7 children; without, ≤ 6. */
{_MENU} > [role="presentation"], {_MENU} > [role="menuitem"]:nth-last-child(2),
{_MENU} button[aria-label="Copy column name"] {{ display: none; }}
{_MENU} > div:first-child > div:first-child {{ pointer-events: none; }}
{_MENU} > [role="menuitem"] {{ font-size: 0; }}
{_MENU} > [role="menuitem"]::after {{ font-size: 0.875rem; }}
{_MENU} > [role="menuitem"]:nth-child(2):nth-last-child(n+6)::after {{ content: "Urutkan naik"; }}
{_MENU} > [role="menuitem"]:nth-child(3):nth-last-child(n+5)::after {{ content: "Urutkan turun"; }}
{_MENU} > [role="menuitem"]:nth-last-child(3)::after {{ content: "Sesuaikan lebar kolom"; }}
{_MENU} > [role="menuitem"]:nth-last-child(1)::after {{ content: "Sembunyikan kolom"; }}
/* The show/hide columns list: "Select all" in Indonesian; the "(index)" row (every table hides its index) left out. */
{_SEEN} label:has(> input[aria-label="(index)"]) {{ display: none; }}
{_SEEN} input[aria-label="Select all"] ~ span:last-child {{ font-size: 0; }}
{_SEEN} input[aria-label="Select all"] ~ span:last-child::after {{ content: "Pilih semua"; font-size: 0.875rem; }}
/* The table's search bar: "Type to search", then "N results" / "1 of N results" (a count CSS cannot rewrite): an
   Indonesian hint instead; the arrows are disabled exactly when nothing matches. */
[data-testid="stDataFrame"] .gdg-search-status label, [data-testid="search-result-area"] {{ font-size: 0; }}
[data-testid="stDataFrame"] .gdg-search-status label::after {{ content: "Ketik kata yang dicari"; font-size: 0.75rem; }}
[data-testid="search-result-area"]::after {{ content: "Yang cocok disorot; pindah dengan panah"; font-size: 0.75rem; }}
.gdg-search-bar:has(button[aria-label="Next Result"]:disabled) [data-testid="search-result-area"]::after {{
  content: "Tidak ada yang cocok"; }}
/* Plotly's modebar tooltips are CSS (content: attr(data-title)). Charts drawn with analytics.charts.PLOTLY_CONFIG
   get Indonesian titles from plotly itself; these cover a chart drawn with another config and Streamlit's own
   fullscreen button, with the same words. The image download is an export outside the audit log: not offered. */
.js-plotly-plot .plotly .modebar-btn[data-title="Download plot as a PNG"] {{ display: none; }}
.js-plotly-plot .plotly .modebar-btn[data-title="Zoom"]::after {{ content: "Perbesar bagian"; }}
.js-plotly-plot .plotly .modebar-btn[data-title="Pan"]::after {{ content: "Geser"; }}
.js-plotly-plot .plotly .modebar-btn[data-title="Box Select"]::after {{ content: "Pilih dengan kotak"; }}
.js-plotly-plot .plotly .modebar-btn[data-title="Lasso Select"]::after {{ content: "Pilih dengan laso"; }}
.js-plotly-plot .plotly .modebar-btn[data-title="Zoom in"]::after {{ content: "Perbesar"; }}
.js-plotly-plot .plotly .modebar-btn[data-title="Zoom out"]::after {{ content: "Perkecil"; }}
.js-plotly-plot .plotly .modebar-btn[data-title="Autoscale"]::after {{ content: "Skala otomatis"; }}
.js-plotly-plot .plotly .modebar-btn[data-title="Reset axes"]::after {{ content: "Kembalikan sumbu"; }}
.js-plotly-plot .plotly .modebar-btn[data-title="Toggle Spike Lines"]::after {{ content: "Garis bantu"; }}
.js-plotly-plot .plotly .modebar-btn[data-title="Show closest data on hover"]::after {{
  content: "Tampilkan data terdekat"; }}
.js-plotly-plot .plotly .modebar-btn[data-title="Compare data on hover"]::after {{ content: "Bandingkan data"; }}
.js-plotly-plot .plotly .modebar-btn[data-title="Fullscreen"]::after {{ content: "Layar penuh"; }}
.js-plotly-plot .plotly .modebar-btn[data-title="Close fullscreen"]::after {{ content: "Tutup layar penuh"; }}
</style>"""

st.set_page_config(page_title="Dasbor Pokmas Lipas", page_icon=str(ROOT / "assets" / "ikon.png"), layout="wide")
try:
    config.settings()
except config.ConfigError as exc:  # a typo in konfigurasi.toml: say where, not a traceback
    st.error(f"Aplikasi belum dapat dijalankan: {exc}. Perbaiki berkas itu, lalu muat ulang halaman ini.")
    st.stop()


@st.cache_resource
def _store_factory():
    store = Store(config.akses_path())
    return lambda: store


def _store() -> Store:
    return _store_factory()()


@st.cache_resource
def _views_refreshed(path: str) -> bool:
    from etl.load import refresh_views
    return refresh_views(Path(path))


def ensure_database() -> None:
    """Build the demo database on first start, with progress, when there is none; bring its views up to date."""
    path = config.db_path()
    if db.is_database(path):
        if path.is_file():  # a Parquet dataset folder is read-only: its views come with the reader
            _views_refreshed(str(path))
        return
    from etl.demo import build_demo

    notice = st.info("Basis data belum ada. Data demo sedang dibuat (sekitar setengah menit)…")
    bar = st.progress(0.0, text="Menyiapkan data demo")
    build_demo(path, path.parent / "demo", progress=lambda message, fraction: bar.progress(
        min(max(float(fraction), 0.0), 1.0), text=message))
    bar.empty()
    notice.empty()  # built: the login form follows without the notice


def is_demo(path: Path) -> bool:
    try:
        from etl.demo import DEMO_USER
        return bool(db.frame("select count(*) as n from muat_run where pengguna = $user", {"user": DEMO_USER},
                             path).iloc[0, 0])
    except db.DataUnavailable:
        return False


def seed_accounts() -> None:
    """Demo accounts the first time the store is empty; pk1 gets the NIP of the largest caseload."""
    store = _store()
    if store.has_users():
        return
    try:
        nip, name = db.frame("select pk_nip, any_value(pk_nama) from klien where pk_nip is not null group by 1 "
                             "order by count(*) desc, 1 limit 1").iloc[0]
    except (db.DataUnavailable, IndexError):
        nip, name = None, None
    store.seed_demo_accounts(nip, None if name is None or name != name else str(name))  # name != name: NaN


def login_page() -> None:
    st.title("Dasbor Pokmas Lipas")
    st.caption(f"{config.office_name() or config.kode_bapas()} — masuk dengan akun Anda.")
    with st.form("masuk"):
        username = st.text_input("Nama pengguna", key="masuk_nama")
        password = st.text_input("Kata sandi", type="password", key="masuk_sandi")
        submitted = st.form_submit_button("Masuk")
    if submitted:
        try:
            account, stamp = _store().open_session(username.strip(), password)
        except LoginError as exc:
            st.error(str(exc))
            return
        st.session_state["akun"] = account
        st.session_state["sesi_sandi"] = stamp
        st.session_state["aktif_terakhir"] = time.time()
        st.rerun()


def _not_for_role() -> None:
    st.title("Halaman tidak tersedia")
    st.error("Halaman ini tidak tersedia untuk peran Anda.")
    st.page_link(st.session_state["halaman_awal"], label="Ke halaman awal")


def logout(reason: str | None = None) -> None:
    account = st.session_state.pop("akun", None)
    if account is not None:
        _store().audit(account, "KELUAR", keterangan=reason)
    for key in [k for k in st.session_state if k not in ("_pesan_keluar",)]:
        del st.session_state[key]
    if reason:
        st.session_state["_pesan_keluar"] = reason


def _filters_sidebar(as_of_day: dt.date, options: dict, viewer: Viewer) -> tuple[Filters, str]:
    """The shared filters: kept in the session across pages and written into the URL."""
    if "f_periode" not in st.session_state:  # first run of the session: start from the URL
        start, preset = from_query(st.query_params.to_dict(), as_of_day)
        st.session_state.update(f_periode=preset, f_dari=start.mulai, f_sampai=start.akhir,
                                f_kode_bapas=list(start.kode_bapas), f_program=list(start.program_integrasi),
                                f_pk=list(start.pk_nip))
    months = [add_months(as_of_day.replace(day=1), -i) for i in range(0, 72)]
    sb = st.sidebar
    sb.markdown("**Saring data**")
    preset = sb.selectbox("Periode", list(PRESETS), format_func=PRESETS.get, key="f_periode",
                          placeholder="Pilih periode")
    if preset == "kustom":
        starts = [m for m in months]
        if st.session_state["f_dari"] not in starts:
            st.session_state["f_dari"] = starts[2]
        if month_end(st.session_state["f_sampai"]) not in [month_end(m) for m in months]:
            st.session_state["f_sampai"] = months[0]
        start = sb.selectbox("Dari bulan", starts, format_func=fmt.month, key="f_dari", placeholder="Pilih bulan")
        end = sb.selectbox("Sampai bulan", months, format_func=fmt.month, key="f_sampai", placeholder="Pilih bulan")
        start, end = min(start, end), month_end(max(start, end))
        filters = Filters(start.replace(day=1), end)
    else:
        start, end = from_query({"periode": preset}, as_of_day)[0].mulai, from_query({"periode": preset},
                                                                                      as_of_day)[0].akhir
        filters = Filters(start, end)
    # no "Select all" (English, and no way to relabel it): an empty filter already means all
    if len(options["kode_bapas"]) > 1:
        sb.multiselect("Kantor (kode Bapas)", options["kode_bapas"], key="f_kode_bapas", placeholder="Semua",
                       select_all=False, wrap=True)
    sb.multiselect("Program integrasi", options["program_integrasi"], format_func=program_label, key="f_program",
                   placeholder="Semua", select_all=False, wrap=True)
    names = dict(options["pk"])
    sb.multiselect("Pembimbing Kemasyarakatan", list(names), format_func=lambda nip: names.get(nip) or nip,
                   key="f_pk", placeholder="Semua", select_all=False,
                   wrap=True)  # a chosen name whole, not cut off
    keep = lambda key, allowed: tuple(v for v in st.session_state.get(key, []) if v in allowed)  # noqa: E731
    filters = Filters(filters.mulai, filters.akhir, keep("f_kode_bapas", options["kode_bapas"]),
                      keep("f_program", options["program_integrasi"]), keep("f_pk", names))
    for key in FILTER_KEYS:  # the frame's keys only: a page keeps its own (e.g. a shared exploration)
        st.query_params.pop(key, None)
    st.query_params.update(to_query(filters, preset))
    sb.caption(f"Periode: {fmt.period(filters.mulai, filters.akhir)} · data s.d. {fmt.date(as_of_day)}")
    return filters, preset


def _steer_unknown_address(pages: list) -> None:
    """Open the page an address means (other case, trailing slash) or else the default page, with an Indonesian
    notice, for an address that is none of `pages`.

    Streamlit itself would answer it with an English "Page not found" dialog. It does so exactly when a session's
    first run asks for a page by its address (no page hash yet) and no page has that url_path
    (streamlit/runtime/pages_manager.py `_resolve_page_script`, commands/navigation.py `_navigation`); a run that
    asks by page hash falls back to the default page silently. Call just before `st.navigation(pages)`."""
    manager = getattr(get_script_run_ctx(), "pages_manager", None)
    # read defensively: should a Streamlit upgrade rename these, the app keeps working (with the English dialog)
    address = getattr(manager, "intended_page_name", None)
    asked_by_hash = getattr(manager, "intended_page_script_hash", True)
    if not address or asked_by_hash or not hasattr(manager, "set_script_intent"):
        return
    if address in {page.url_path for page in pages}:
        return
    # the default page's url_path is "": its own name (login, or the role's first page) leads there too
    meant = {name: "" for name in (LOGIN_PATH, *PAGE_TITLES)} | {page.url_path.lower(): page.url_path
                                                                   for page in pages}
    target = meant.get(address.strip().strip("/").lower())
    manager.set_script_intent("", target or "")  # by its url_path ("": the default page), without the dialog
    if target is not None:  # /Ringkasan, /RISIKO, /mitra/: the page meant, no notice
        return
    log.info("alamat tidak dikenal: /%s", address)
    shown = address if len(address) <= 60 else address[:57] + "…"
    st.warning(f"Halaman «{_plain(shown)}» tidak ada; Anda diarahkan ke halaman awal.")


def _plain(text: str) -> str:
    """Text from the address bar shown as it is: no Markdown links, emphasis or HTML."""
    return "".join(f"\\{c}" if c in "\\`*_{}[]()<>#+-.!|~:$&" else c for c in text)


@st.fragment(run_every=DATA_CHECK_SECONDS)
def _watch_data(path: Path, shown: str) -> None:
    """Rerun the app within seconds after a load (from the Unggah page or `etl load`) replaced the database."""
    if db.data_version(path) != shown:
        st.rerun(scope="app")


def main() -> None:
    st.html(WIDGET_TEXTS_CSS)  # on every run, the login included (its form's «Press Enter» hint)
    ensure_database()
    seed_accounts()
    if st.session_state.get("akun") and time.time() - st.session_state.get("aktif_terakhir", 0) > IDLE_MINUTES * 60:
        logout(f"Sesi berakhir karena tidak aktif selama {IDLE_MINUTES} menit. Silakan masuk lagi.")
    # every run re-reads the account: disabling it, or changing its password elsewhere, ends this session now.
    # login_page always sets the stamp; only tests place an account in the session without one
    if (st.session_state.get("akun") and "sesi_sandi" in st.session_state
            and (reason := _store().session_end_reason(st.session_state["akun"], st.session_state["sesi_sandi"]))):
        logout(reason)
    account = st.session_state.get("akun")
    if account is None:
        if msg := st.session_state.pop("_pesan_keluar", None):
            st.warning(msg)
        # every page address leads to the login (no "page not found"); after login the same address opens
        # the page, since a page is known by its address
        pages = [st.Page(login_page, title="Masuk", url_path=LOGIN_PATH, default=True),
                 *[st.Page(login_page, title="Masuk", url_path=name, visibility="hidden") for name in PAGE_TITLES]]
        _steer_unknown_address(pages)
        st.navigation(pages, position="hidden").run()
        return
    st.session_state["aktif_terakhir"] = time.time()
    path = config.db_path()
    try:
        day = as_of(path)
        options = choices(path)
    except db.DataUnavailable as exc:
        st.error(f"Data belum dapat dibaca: {exc}")
        st.stop()
    viewer = Viewer(account.nama_pengguna, account.peran, account.pk_nip, _store().pseudonym_secret().hex())
    demo = is_demo(path)
    if demo:
        out = " Keluarkan di halaman Unggah Data sebelum memuat data kantor." if "unggah" in PAGES[account.peran] else ""
        st.warning(f"Anda melihat **data demo** buatan generator, bukan data klien sebenarnya.{out}", icon="ℹ️")
    filters, preset = _filters_sidebar(day, options, viewer)
    st.session_state["_store"] = _store()
    from ui import Context  # imported here: ui needs the session the frame has just set up
    st.session_state["konteks"] = Context(viewer, filters, preset, path, day, db.data_version(path), demo)
    st.sidebar.divider()
    st.sidebar.caption(f"Masuk sebagai **{account.nama_lengkap or account.nama_pengguna}** · peran: "
                       f"{ROLE_LABELS[account.peran]}")
    if st.sidebar.button("Keluar", key="keluar"):
        logout()
        st.rerun()
    # every role changes its own password here, beside its name: no page of its own, so no menu entry per role
    with st.sidebar.expander("Ubah kata sandi"), st.form("ubah_sandi", clear_on_submit=True):
        from analytics.accounts import AccountError, SessionEnded
        old = st.text_input("Kata sandi lama", type="password", key="sandi_lama", autocomplete="current-password")
        new = st.text_input("Kata sandi baru (minimal 8 karakter)", type="password", key="sandi_baru",
                            autocomplete="new-password")
        again = st.text_input("Ulangi kata sandi baru", type="password", key="sandi_ulang",
                              autocomplete="new-password")
        if st.form_submit_button("Simpan kata sandi", key="simpan_sandi"):
            if new != again:
                st.error("Kata sandi baru dan ulangannya tidak sama.")
            else:
                try:
                    st.session_state["sesi_sandi"] = _store().change_own_password(account, old, new)
                    st.success("Kata sandi Anda sudah diubah; sesi lain akun ini diakhiri. Pakai kata sandi baru "
                               "saat masuk lagi.")
                except SessionEnded as exc:
                    logout(str(exc))
                    st.rerun()
                except AccountError as exc:
                    st.error(str(exc))
    names = [name for name in PAGES[account.peran] if (ROOT / "halaman" / f"{name}.py").is_file()]
    pages = [st.Page(str(ROOT / "halaman" / f"{name}.py"), title=PAGE_TITLES[name], url_path=name, default=(i == 0))
             for i, name in enumerate(names)]
    st.session_state["halaman_awal"] = pages[0]
    pages += [st.Page(_not_for_role, title="Tidak tersedia", url_path=name, visibility="hidden")
              for name in PAGE_TITLES if name not in names]  # an address outside the role: a clear no
    st.session_state["halaman_tersedia"] = [page.title for page in pages if page.visibility == "visible"]
    _watch_data(path, st.session_state["konteks"].version)
    _steer_unknown_address(pages)
    st.navigation(pages).run()


try:
    main()
except Exception:  # no traceback in the UI (st.stop/st.rerun are BaseExceptions and pass through)
    log.exception("kesalahan pada halaman")
    st.error("Maaf, terjadi kesalahan saat menampilkan halaman ini. Rinciannya sudah dicatat di log server; "
             "muat ulang halaman atau hubungi operator.")
