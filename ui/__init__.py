"""Streamlit helpers shared by app.py and the pages: the page context, caching, audited downloads."""
from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from analytics import db
from analytics.charts import PLOTLY_CONFIG
from analytics.filters import Filters
from analytics.viewer import Viewer

CACHE_TTL = 600


@dataclass(frozen=True)
class Context:
    """What every page needs from the frame."""

    viewer: Viewer
    filters: Filters
    preset: str
    db_path: Path
    as_of: dt.date
    version: str
    demo: bool


def context() -> Context:
    """The context the frame put in the session (pages run only after the frame did)."""
    return st.session_state["konteks"]


def guard(page: str) -> None:
    """Stop a page that the viewer's role does not include (the menu hides it; this is the second lock).

    Also stops a page run without the frame (no login, no context), whatever the way it was reached.
    """
    from analytics.viewer import PAGES
    if "konteks" not in st.session_state or not st.session_state.get("akun"):
        st.info("Silakan masuk lebih dulu.")
        st.link_button("Ke halaman masuk", "/")
        st.stop()
    if page not in PAGES.get(context().viewer.role, ()):
        st.error("Halaman ini tidak tersedia untuk peran Anda.")
        st.stop()


def store():
    """The accounts and audit store of this process."""
    return st.session_state["_store"]


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _cached(function_name: str, module: str, version: str, args: tuple, kwargs: tuple):
    import importlib
    function = getattr(importlib.import_module(module), function_name)
    return function(*args, **dict(kwargs))


def cached(function, key: str | None = None):
    """Wrap an analytics function so its result is cached per arguments and data version.

    `key` is one more part of the cache key that is not passed to the function (e.g. the risk model's version).
    """
    def call(*args, **kwargs):
        ctx = context()
        kwargs.setdefault("db_path", ctx.db_path)
        version = ctx.version if key is None else f"{ctx.version}|{key}"
        return _cached(function.__name__, function.__module__, version, args, tuple(sorted(kwargs.items())))
    return call


def audit(action: str, page: str, rows: int | None = None, note: str | None = None) -> None:
    """Write one audit row for the logged-in account."""
    ctx = context()
    store().audit(st.session_state["akun"], action, halaman=page, filter=ctx.filters.describe(),
                  jumlah_baris=rows, keterangan=note)


def audit_view_once(page: str, rows: int, what: str) -> None:
    """Audit a view of person-level rows once per page, filters and data version in this session."""
    ctx = context()
    key = (page, what, repr(ctx.filters), ctx.version)
    seen = st.session_state.setdefault("_diaudit", set())
    if key not in seen:
        seen.add(key)
        audit("LIHAT_DATA_PERORANGAN", page, rows, what)


def right_aligned(columns, **settings) -> dict:
    """column_config for numbers written as text (Indonesian separators): aligned right, as numbers are."""
    return {str(c): st.column_config.TextColumn(alignment="right", **settings) for c in columns}


def download(frame: pd.DataFrame, name: str, page: str, person_level: bool = False) -> None:
    """CSV and XLSX downloads of a table's data (formula-safe); every download is audited."""
    from analytics.export import to_csv, to_xlsx
    note = f"{name}{' (perorangan)' if person_level else ''}"
    # side by side at their own width: in columns of a sixth of the page, «Unduh XLSX» read «Unduh…» on a narrow screen
    row = st.container(horizontal=True)
    row.download_button("Unduh CSV", to_csv(frame), file_name=f"{name}.csv", mime="text/csv",
                        key=f"unduh-csv-{page}-{name}", on_click=audit, args=("UNDUH", page, len(frame), note))
    row.download_button("Unduh XLSX", to_xlsx(frame), file_name=f"{name}.xlsx",
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        key=f"unduh-xlsx-{page}-{name}", on_click=audit, args=("UNDUH", page, len(frame), note))


def metric(column, label: str, value: str, *args, **kwargs) -> None:
    """st.metric in a container named for its value's length: app.py's CSS shrinks a long value to fit its column."""
    name = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
    with column.container(key=f"angka-{len(value)}-{name}"):
        st.metric(label, value, *args, **kwargs)


def chart(figure, frame: pd.DataFrame, name: str, page: str, caption: str, kinds: tuple[str, ...]) -> None:
    """A chart with the house conventions: caption (what / who is counted), as-of date, sources, download."""
    from analytics import format as fmt
    from analytics.people import sources
    ctx = context()
    st.plotly_chart(figure, config=PLOTLY_CONFIG, width="stretch", key=f"grafik-{page}-{name}")
    source = cached(sources)(kinds)
    st.caption(f"{caption} Data s.d. {fmt.date(ctx.as_of)}." + (f" Sumber: {source}." if source else ""))
    download(frame, name, page)


def drilldown(page: str, label: str, fetch, what: str) -> None:
    """The clients behind a figure, where the role allows it (audited); otherwise a plain note."""
    ctx = context()
    if ctx.viewer.person_level is None:
        st.caption("Daftar klien di balik angka ini tidak tersedia untuk peran Anda (hanya data agregat).")
        return
    with st.expander(label):
        rows = fetch()
        if rows.empty:
            st.info("Tidak ada klien yang dapat Anda lihat untuk pilihan ini.")
            return
        audit_view_once(page, len(rows), what)
        from analytics.format import code
        from analytics.people import LABELS
        rows = rows.rename(columns=LABELS)
        for column in ("Status", "Status pekerjaan"):
            if column in rows:
                rows[column] = rows[column].map(code)
        st.dataframe(rows, hide_index=True, width="stretch")
        download(rows, what.replace(" ", "-"), page, person_level=True)


def data_version() -> str:
    return db.data_version()
