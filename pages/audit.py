"""Log Audit: who viewed person-level data or downloaded what, and every login (kepala only)."""
import pandas as pd
import streamlit as st

from ui import guard, store

guard("audit")
st.title("Log Audit")
rows = store().audit_log(st.session_state["akun"])
if not rows:
    st.info("Belum ada catatan audit.")
    st.stop()
frame = pd.DataFrame(rows)
actions = sorted(frame["aksi"].dropna().unique())
chosen = st.multiselect("Jenis aksi", actions, placeholder="Semua", key="audit_aksi")
if chosen:
    frame = frame[frame["aksi"].isin(chosen)]
labels = {"waktu": "Waktu", "nama_pengguna": "Pengguna", "peran": "Peran", "aksi": "Aksi", "halaman": "Halaman",
          "filter": "Filter", "jumlah_baris": "Jumlah baris", "keterangan": "Keterangan"}
st.dataframe(frame[[c for c in labels if c in frame]].rename(columns=labels), hide_index=True, width="stretch")
st.caption("Apa yang ditampilkan: setiap masuk/keluar, setiap tampilan data perorangan, setiap unduhan dan "
           "ekspor, dan setiap perubahan akun — terbaru di atas.")
