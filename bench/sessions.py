"""Real servers and their users for bench/run.py: `streamlit run app.py` processes, their peak memory, sessions that
browse them over Streamlit's own websocket protocol, and one headless-Chromium session.

Why websocket clients for the 20 concurrent sessions, and Chromium only for the single memory session: a websocket
client sends exactly what the browser sends (the login form's widget states, a page's script hash on a menu click,
the 5-second auto-rerun of the data-version fragment with its fragment id and the URL's query string) and receives
exactly what the browser receives, so the server does the same work per page view. What it leaves out is drawing:
headless Chromium spends ~5 s of CPU on a first Plotly chart (NOTES.md), so 20 Chromium contexts on this 2-core
machine would measure Chromium starving the server, not the server. Real users draw on their own PCs. A page view
here is click → the server's `script_finished` of that page's run (every element sent); a browser adds its drawing.
"""
from __future__ import annotations

import asyncio
import contextlib
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FRIENDLY_ERROR = "Maaf, terjadi kesalahan"  # app.py's message when a page fails (the detail goes to the log)
TRAINING = "Model risiko sedang dilatih untuk data ini."  # halaman/risiko.py: no fit yet, the page says so
USERS = ("kepala", "pk1", "analis", "kanwil", "operator")  # the demo accounts, one per role
LOGIN_TITLE = "Masuk"  # app.py's only page before login
PASSWORD = "{user}-demo-2026"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ------------------------------------------------------------------------------------------------- servers
class Server:
    """One `streamlit run app.py` on a free local port, its log in a file."""

    def __init__(self, db: Path, akses: Path, log: Path, port: int | None = None):
        self.db, self.akses, self.log = Path(db), Path(akses), Path(log)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 120) -> "Server":
        env = {k: v for k, v in os.environ.items() if k not in ("BAPAS_KODE", "BAPAS_UJI_JEDA_TRANSAKSI")}
        env.update(BAPAS_DB=str(self.db), BAPAS_AKSES=str(self.akses), PYTHONUNBUFFERED="1")
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(self.port),
                 "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
                 # no file watcher, as in production: when a watched source file changes, Streamlit evicts its
                 # modules from sys.modules, and the other sessions' scripts, running meanwhile, then fail with
                 # KeyError: 'analytics' (seen here while other people edited the code during a run)
                 "--server.fileWatcherType", "none", "--server.runOnSave", "false"],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit berhenti dengan kode {self.process.returncode}:\n{self.log_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.url} tidak menjawab dalam {timeout:g} s:\n{self.log_text()[-3000:]}")
            time.sleep(0.5)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def tracebacks(self) -> list[str]:
        """The last line of each traceback in the server log (the exception and its message)."""
        found, lines = [], self.log_text().splitlines()
        for i, line in enumerate(lines):
            if line.startswith("Traceback"):
                tail = next((l for l in lines[i + 1:] if l and not l.startswith((" ", "\t", "Traceback"))), "?")
                found.append(tail[:200])
        return found


def _status(pid: int) -> dict[str, str]:
    with open(f"/proc/{pid}/status", encoding="utf-8") as f:
        return dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)


def _kib(value: str) -> int:
    return int(value.split()[0]) * 1024


def descendants(pid: int) -> list[int]:
    """The process's children, grandchildren, … (from /proc/*/stat)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


class PeakMemory:
    """Samples VmHWM (the kernel's peak resident set) of processes and their descendants, twice a second.

    A process's own VmHWM is exact; for children that come and go (a Chromium that kaleido starts for an image),
    the peak is the last one sampled before they exit.
    """

    def __init__(self, pids: list[int], interval: float = 0.5, limit: int | None = None, on_limit=None):
        self.pids, self.interval, self.limit, self.on_limit = pids, interval, limit, on_limit
        self.exceeded: int | None = None    # the resident bytes that crossed `limit` (then on_limit() was called)
        self.own: dict[int, int] = {}       # server pid -> its VmHWM
        self.children: dict[int, int] = {}  # descendant pid -> its VmHWM
        self.current: dict[int, int] = {}   # pid -> VmRSS at the last sample (servers and descendants)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> None:
        current: dict[int, int] = {}
        for pid in self.pids:
            try:
                status = _status(pid)
            except OSError:
                continue
            self.own[pid] = max(self.own.get(pid, 0), _kib(status.get("VmHWM", "0 kB")))
            current[pid] = _kib(status.get("VmRSS", "0 kB"))
            for child in descendants(pid):
                try:
                    child_status = _status(child)
                except OSError:
                    continue
                self.children[child] = max(self.children.get(child, 0), _kib(child_status.get("VmHWM", "0 kB")))
                current[child] = _kib(child_status.get("VmRSS", "0 kB"))
        self.current = current

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()
            now = sum(self.current.values())
            if self.limit and self.exceeded is None and now > self.limit:
                self.exceeded = now  # the machine is shared: stop before it runs out of memory
                if self.on_limit:
                    self.on_limit()

    def __enter__(self) -> "PeakMemory":
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    def peak(self) -> int:
        """Bytes: the largest server's own peak plus the peaks of all its descendants (an upper bound)."""
        return max(self.own.values(), default=0) + sum(self.children.values())


# ---------------------------------------------------------------------------------- websocket sessions
@dataclass
class Run:
    """One script run as the client saw it."""
    page: str                                    # page script hash of the run
    started: float
    finished: float | None = None
    status: int | None = None                   # ScriptFinishedStatus: 0 done, 2 stopped for a rerun, 3 fragment
    titles: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    menu: list[str] = field(default_factory=list)  # the visible pages of the navigation this run sent
    training: bool = False                       # Risiko said its model is still being trained (no figures yet)


@dataclass
class View:
    """One page view: click (or login) → that page's run finished."""
    user: str
    page: str
    server: str
    started: float
    seconds: float | None
    errors: list[str]
    training: bool = False  # the page finished with «model sedang dilatih» instead of its figures


class WsSession:
    """A browser tab as Streamlit's server sees it: one websocket, BackMsg out, ForwardMsg in."""

    def __init__(self, url: str, user: str, timeout: float, auto_rerun: bool = True):
        self.url, self.user, self.timeout, self.auto_rerun = url, user, timeout, auto_rerun
        self.runs: list[Run] = []
        self.errors: list[str] = []              # every error seen in any run of the session
        self.pages: dict[str, str] = {}          # page title -> script hash (from the navigation message)
        self.widgets: dict[str, str] = {}        # label -> widget id of the current run
        self.query = ""
        self.fragment: tuple[float, str] | None = None  # (interval s, fragment id) of the auto-rerun
        self.refreshes: list[float] = []         # seconds of the app reruns that an auto-rerun brought (new data)
        self.closed = False                       # the server closed the websocket (or died)
        self._changed = asyncio.Event()
        self._busy = asyncio.Lock()
        self._tasks: list[asyncio.Task] = []

    async def __aenter__(self) -> "WsSession":
        import websockets
        ws_url = self.url.replace("http://", "ws://") + "/_stcore/stream"
        self.ws = await websockets.connect(ws_url, subprotocols=["streamlit"], origin=self.url, max_size=None,
                                           open_timeout=self.timeout, ping_interval=None)
        self._tasks.append(asyncio.create_task(self._read()))
        async with self._busy:
            run = await self._request(None)  # what the browser sends when the page opens
        if run.status != 0:
            raise RuntimeError(f"{self.user}: halaman masuk tidak selesai")
        if self.auto_rerun:
            self._tasks.append(asyncio.create_task(self._auto_rerun()))
        return self

    async def __aexit__(self, *exc) -> None:
        for task in self._tasks:
            task.cancel()
        with contextlib.suppress(Exception):
            await self.ws.close()

    async def _read(self) -> None:
        try:
            await self._messages()
        except Exception:  # the connection broke: the waiting request reports it
            pass
        finally:
            self.closed = True
            self._changed.set()

    async def _messages(self) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        run: Run | None = None
        async for data in self.ws:
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                run = Run(msg.new_session.page_script_hash, time.perf_counter())
                self.runs.append(run)
                self.widgets = {}
            elif kind == "navigation":
                # hidden pages (app.py's "Tidak tersedia" for addresses outside the role) are not in the menu
                self.pages = {p.page_name: p.page_script_hash for p in msg.navigation.app_pages if not p.is_hidden}
                if run is not None:
                    run.menu = list(self.pages)
                if run is not None and msg.navigation.page_script_hash:  # the page st.navigation chose to run
                    run.page = msg.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query = msg.page_info_changed.query_string
            elif kind == "auto_rerun":
                self.fragment = (msg.auto_rerun.interval, msg.auto_rerun.fragment_id)
            elif kind == "stop_auto_rerun":
                self.fragment = None
            elif kind == "delta" and run is not None and msg.delta.WhichOneof("type") == "new_element":
                self._element(run, msg.delta.new_element)
            elif kind == "session_event" and run is not None and msg.session_event.HasField(
                    "script_compilation_exception"):
                self._error(run, f"compile error: {msg.session_event.script_compilation_exception.message[:160]}")
            elif kind == "script_finished" and run is not None:
                run.status, run.finished = msg.script_finished, time.perf_counter()
                self._changed.set()

    def _element(self, run: Run, element) -> None:
        what = element.WhichOneof("type")
        if what == "heading" and element.heading.tag == "h1":
            run.titles.append(element.heading.body.strip())
        elif what == "exception":
            self._error(run, f"stException: {element.exception.type}: {element.exception.message[:160]}")
        elif what == "alert":
            body = element.alert.body.strip()
            if body.startswith(FRIENDLY_ERROR) or element.alert.format == element.alert.ERROR:
                self._error(run, f"st.error: {body[:80]}")
            elif body.startswith(TRAINING):
                run.training = True
        elif what in ("text_input", "button"):
            widget = getattr(element, what)
            self.widgets[widget.label] = widget.id

    def _error(self, run: Run, text: str) -> None:
        run.errors.append(text)
        page = next((title for title, script in self.pages.items() if script == run.page), "?")
        self.errors.append(f"{page}: {text}")

    async def _request(self, page: str | None, widgets: list | None = None, fragment: str | None = None) -> Run:
        """Send a rerun (a menu click, a form submit, or an auto-rerun) and wait until its run finished.

        Returns the finished run the request led to: the page's full run, or the fragment's run (which may itself
        have asked for a full rerun: then that one)."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        if page is not None:
            state.page_script_hash = page
        if fragment is not None:
            state.fragment_id, state.is_auto_rerun = fragment, True
        for widget in widgets or []:
            state.widget_states.widgets.append(widget)
        seen = len(self.runs)
        try:
            await self.ws.send(msg.SerializeToString())
        except Exception as exc:
            raise ConnectionError(f"koneksi terputus: {type(exc).__name__}") from exc
        deadline = time.perf_counter() + self.timeout
        while True:
            if self.closed:
                raise ConnectionError("koneksi terputus")
            for run in self.runs[seen:]:
                if run.status in (0, 1) or (run.status == 3 and fragment is not None):
                    if page is None or run.page == page:
                        return run
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError
            self._changed.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout=min(left, 1.0))

    async def _auto_rerun(self) -> None:
        """The browser reruns the data-version fragment every few seconds (st.fragment(run_every=…))."""
        while True:
            await asyncio.sleep(self.fragment[0] if self.fragment else 5.0)
            if self.fragment is None:
                continue
            async with self._busy:  # during a page view the server would queue it behind the view: send it after
                start = time.perf_counter()
                try:
                    run = await self._request(None, fragment=self.fragment[1])
                except TimeoutError:
                    self.errors.append("timeout: pembaruan otomatis")
                    continue
                except ConnectionError:
                    return
                if run.status == 0:  # the fragment saw a new data version and reran the page
                    self.refreshes.append(time.perf_counter() - start)

    def _view(self, page_title: str, start: float, run: Run | None, error: str | None) -> View:
        errors = list(run.errors) if run else []
        if not error and run is not None and page_title not in run.titles:
            error = f"judul '{page_title}' tidak tampil (h1: {run.titles})"
        if error:
            errors.append(error)
            self.errors.append(error)
        seconds = (run.finished - start) if run and run.finished and not error else None
        return View(self.user, page_title, self.url, start, seconds, errors, bool(run and run.training))

    async def login(self) -> View:
        """Fill in the login form and press Masuk; the view ends when the role's first page has run."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState
        async with self._busy:
            name, secret, button = (self.widgets.get(k) for k in ("Nama pengguna", "Kata sandi", "Masuk"))
            if not (name and secret and button):
                raise RuntimeError(f"formulir masuk tidak ditemukan: {sorted(self.widgets)}")
            states = [WidgetState(id=name, string_value=self.user),
                      WidgetState(id=secret, string_value=PASSWORD.format(user=self.user)),
                      WidgetState(id=button, trigger_value=True)]
            start = time.perf_counter()
            try:
                run = await self._request(None, states)
                # the login run reruns into the app: done when a run has sent the role's menu; a run that
                # finished with an error (a wrong password, a failing frame) ends the login at once
                while not run.errors and (not run.menu or run.menu == [LOGIN_TITLE]):
                    run = await self._request_next(run)
            except TimeoutError:
                return self._view("(masuk)", start, None, "timeout: masuk")
            except ConnectionError as exc:
                return self._view("(masuk)", start, None, str(exc))
            if run.errors:
                return self._view("(masuk)", start, run, "masuk gagal")
            first = next((t for t, h in self.pages.items() if h == run.page), "?")
            return self._view(first, start, run, None)

    @property
    def logged_in(self) -> bool:
        return bool(self.pages) and list(self.pages) != [LOGIN_TITLE]

    async def _request_next(self, after: Run) -> Run:
        deadline = time.perf_counter() + self.timeout
        while True:
            later = [r for r in self.runs[self.runs.index(after) + 1:] if r.status in (0, 1)]
            if later:
                return later[0]
            if self.closed:
                raise ConnectionError("koneksi terputus")
            if time.perf_counter() > deadline:
                raise TimeoutError
            self._changed.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout=1.0)

    async def visit(self, title: str) -> View:
        """Click the menu entry `title`; the view ends when that page's run has finished."""
        async with self._busy:
            start = time.perf_counter()
            try:
                run = await self._request(self.pages[title])
            except TimeoutError:
                return self._view(title, start, None, f"timeout: {title} > {self.timeout:g} s")
            except ConnectionError as exc:
                return self._view(title, start, None, str(exc))
            return self._view(title, start, run, None)


async def browse(urls: list[str], sessions: int, rounds: int, timeout: float, think: float, seed: int = 9,
                 on_ready=None, login_spread: float = 0.0) -> tuple[list[View], list[WsSession]]:
    """`sessions` users (the demo accounts in turn, spread over `urls`) log in within `login_spread` s and then,
    all together, click through every page of their menu `rounds` times, pausing `think` s (±50%) between
    clicks; on_ready() once all have logged in (or failed to). A session that fails is an error, not the end."""
    rnd = random.Random(seed)
    views: list[View] = []
    opened: list[WsSession] = []
    ready = asyncio.Barrier(sessions)
    delays = [rnd.uniform(0, login_spread) for _ in range(sessions)]

    async def user(i: int) -> None:
        url, name = urls[i % len(urls)], USERS[i % len(USERS)]
        waited = False
        try:
            await asyncio.sleep(delays[i])
            async with WsSession(url, name, timeout) as session:
                opened.append(session)
                views.append(await session.login())
                waited = True
                await ready.wait()
                if i == 0 and on_ready:
                    on_ready()
                if not session.logged_in:
                    return
                titles = list(session.pages)
                for _ in range(rounds):
                    for title in titles[1:] + titles[:1]:  # login landed on the first page: start with the second
                        await asyncio.sleep(think * rnd.uniform(0.5, 1.5))
                        views.append(await session.visit(title))
        except Exception as exc:  # e.g. the websocket refused: one error, the other sessions go on
            views.append(View(name, "(sesi)", url, time.perf_counter(), None, [f"{type(exc).__name__}: {exc}"[:200]]))
            if not waited:
                await ready.wait()
                if i == 0 and on_ready:
                    on_ready()

    await asyncio.gather(*(user(i) for i in range(sessions)))
    return views, opened


async def login_burst(url: str, sessions: int, timeout: float) -> list[View]:
    """`sessions` users open the login page, then all press Masuk at the same moment (the office at 08:00)."""
    opened: list[WsSession] = []
    views: list[View] = []
    async with contextlib.AsyncExitStack() as stack:
        for i in range(sessions):
            try:
                opened.append(await stack.enter_async_context(
                    WsSession(url, USERS[i % len(USERS)], timeout, auto_rerun=False)))
            except Exception as exc:
                views.append(View(USERS[i % len(USERS)], "(sesi)", url, time.perf_counter(), None,
                                  [f"{type(exc).__name__}: {exc}"[:200]]))
        views += await asyncio.gather(*(session.login() for session in opened))
    return views


async def one_at_a_time(url: str, timeout: float) -> list[View]:
    """The peer of the concurrent sessions: the same accounts' page views, one session at a time, nothing else
    running (each account logs in and clicks through its menu once)."""
    views: list[View] = []
    for name in USERS:
        async with WsSession(url, name, timeout, auto_rerun=False) as session:
            views.append(await session.login())
            if not session.logged_in:
                continue
            titles = list(session.pages)
            for title in titles[1:] + titles[:1]:
                views.append(await session.visit(title))
    return views


def summary(views: list[View]) -> dict:
    """Median, p95 and max of the timed views; the errors."""
    times = sorted(v.seconds for v in views if v.seconds is not None)

    def pct(q: float) -> float | None:
        if not times:
            return None
        return times[min(len(times) - 1, max(0, int(round(q * (len(times) - 1)))))]
    return {"views": len(views), "timed": len(times), "median": statistics.median(times) if times else None,
            "p95": pct(0.95), "max": times[-1] if times else None,
            "errors": [f"{v.user}/{v.page}: {e}" for v in views for e in v.errors],
            "training": sum(v.training for v in views)}


# ------------------------------------------------------------------------------------- a real browser
SETTLED_JS = None  # tests/test_browser.py's definition of "the page has finished", loaded on first use


def chromium_tour(url: str, user: str = "kepala", timeout_ms: int = 120_000, after=None) -> list[View]:
    """Headless Chromium (Debian's, under Playwright) logs in and visits every page of the menu in order;
    after(title) is called when each page has settled (e.g. to sample the server's memory)."""
    global SETTLED_JS
    from playwright.sync_api import sync_playwright
    if SETTLED_JS is None:
        sys.path.insert(0, str(ROOT))
        from tests.test_browser import SETTLED_JS as settled  # one definition of "settled" for tests and bench
        SETTLED_JS = settled
    executable = shutil.which("chromium")
    if executable is None:
        raise RuntimeError("chromium tidak ada di PATH (apt-get install -y chromium)")

    def settle(page, title: str) -> None:
        page.wait_for_function(SETTLED_JS, arg=title, timeout=timeout_ms, polling=200)
        page.wait_for_timeout(300)  # still settled a moment later: no rerun was under way
        page.wait_for_function(SETTLED_JS, arg=title, timeout=timeout_ms, polling=200)

    def errors(page) -> list[str]:
        found = [f"stException: {t[:160]}" for t in page.locator('[data-testid="stException"]').all_inner_texts()]
        found += [f"st.error: {t.strip()[:160]}" for t in page.locator(
            '[data-testid="stAlert"] [data-testid="stMarkdownContainer"]').all_inner_texts()
            if t.strip().startswith(FRIENDLY_ERROR)]
        return found

    views = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID",
                                          timezone_id="Asia/Jakarta")
            context.set_default_timeout(timeout_ms)
            page = context.new_page()
            page.goto(url)
            page.get_by_label("Nama pengguna").fill(user)
            page.get_by_label("Kata sandi").fill(PASSWORD.format(user=user))
            start = time.perf_counter()
            page.get_by_role("button", name="Masuk").click()
            links = page.locator('[data-testid="stSidebarNavLink"] [data-testid="stMarkdownContainer"]')
            links.first.wait_for()
            titles = [t.strip() for t in links.all_inner_texts()]
            for i, title in enumerate(titles):
                if i:
                    start = time.perf_counter()
                    page.locator('[data-testid="stSidebarNavLink"]', has_text=re.compile(rf"^{re.escape(title)}$")
                                 ).click()
                try:
                    settle(page, title)
                    views.append(View(user, title, url, start, time.perf_counter() - start, errors(page)))
                except Exception as exc:  # a timeout: counted as an error, the tour goes on
                    views.append(View(user, title, url, start, None, [f"timeout/galat: {str(exc)[:160]}"]))
                if after:
                    after(title)
        finally:
            browser.close()
    return views
