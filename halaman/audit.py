"""Log Audit: who viewed person-level data or downloaded what, and every login (kepala only)."""
import pandas as pd
import streamlit as st

from analytics import format as fmt
from analytics.log_audit import log_table
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

shown = log_table(frame)
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
