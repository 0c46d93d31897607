"""Log Audit: who viewed person-level data or downloaded what, and every login (kepala only)."""
import pandas as pd
import streamlit as st

from analytics import format as fmt
from analytics.log_audit import filters_in_words, readable
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
chosen = st.multiselect("Jenis aksi", actions, format_func=fmt.code, placeholder="Semua", key="audit_aksi",
                        select_all=False)
if chosen:
    frame = frame[frame["aksi"].isin(chosen)]

shown = pd.DataFrame({
    "Waktu": frame["waktu"].map(fmt.timestamp),
    "Pengguna": frame["nama_pengguna"].fillna(""),
    "Peran": [ROLE_LABELS.get(r, r) if isinstance(r, str) else "" for r in frame["peran"]],
    "Aksi": frame["aksi"].map(fmt.code),
    "Keterangan": [readable(a, t) for a, t in zip(frame["aksi"], frame["keterangan"])],
    "Halaman": frame["halaman"].fillna(""),
    "Baris": frame["jumlah_baris"].map(lambda n: "" if pd.isna(n) else fmt.number(n)),
    "Saringan": frame["filter"].map(filters_in_words),
})
# the note as stored, with its codes, for support: only where the shown text differs
shown["Kode"] = [t if isinstance(t, str) and t != r else "" for t, r in zip(frame["keterangan"], shown["Keterangan"])]
st.dataframe(shown, hide_index=True, width="stretch",
             column_config={"Waktu": st.column_config.TextColumn(width=130),
                            "Aksi": st.column_config.TextColumn(width=170),
                            "Keterangan": st.column_config.TextColumn(width="large"),
                            "Baris": st.column_config.TextColumn(width=55),
                            "Saringan": st.column_config.TextColumn(width="large"),
                            "Kode": st.column_config.TextColumn(
                                width="medium", help="Keterangan seperti tersimpan di log, dengan kode internalnya "
                                                     "(untuk dukungan teknis).")})
st.caption("Apa yang ditampilkan: setiap masuk/keluar, setiap tampilan data perorangan, setiap unduhan dan "
           "ekspor, dan setiap perubahan akun — terbaru di atas.")
