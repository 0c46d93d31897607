"""Log Audit: who viewed person-level data or downloaded what, and every login (kepala only)."""
import json

import pandas as pd
import streamlit as st

from analytics import format as fmt
from analytics.viewer import ROLE_LABELS
from ui import guard, store

guard("audit")
st.title("Log Audit")
st.caption("Saringan di panel samping tidak berlaku di halaman ini.")
rows = store().audit_log(st.session_state["akun"])
if not rows:
    st.info("Belum ada catatan audit.")
    st.stop()
frame = pd.DataFrame(rows)
actions = sorted(frame["aksi"].dropna().unique())
chosen = st.multiselect("Jenis aksi", actions, format_func=fmt.code, placeholder="Semua", key="audit_aksi")
if chosen:
    frame = frame[frame["aksi"].isin(chosen)]


def _filters(text) -> str:
    """The filters of an audited view in words: 'mulai 2026-08-01, akhir 2026-10-31, program_integrasi PB'."""
    if not isinstance(text, (str, dict)) or not text:
        return ""
    values = json.loads(text) if isinstance(text, str) else text
    return "; ".join(f"{k} {', '.join(v) if isinstance(v, list) else v}" for k, v in values.items())


shown = pd.DataFrame({
    "Waktu": frame["waktu"].map(fmt.timestamp),
    "Pengguna": frame["nama_pengguna"].fillna(""),
    "Peran": [ROLE_LABELS.get(r, r) if isinstance(r, str) else "" for r in frame["peran"]],
    "Aksi": frame["aksi"].map(fmt.code),
    "Halaman": frame["halaman"].fillna(""),
    "Baris": frame["jumlah_baris"].map(lambda n: "" if pd.isna(n) else fmt.number(n)),
    "Keterangan": frame["keterangan"].fillna(""),
    "Saringan": frame["filter"].map(_filters),
})
st.dataframe(shown, hide_index=True, width="stretch",
             column_config={"Waktu": st.column_config.TextColumn(width="medium"),
                            "Aksi": st.column_config.TextColumn(width="medium"),
                            "Saringan": st.column_config.TextColumn(width="large")})
st.caption("Apa yang ditampilkan: setiap masuk/keluar, setiap tampilan data perorangan, setiap unduhan dan "
           "ekspor, dan setiap perubahan akun — terbaru di atas.")
