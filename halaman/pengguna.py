"""Pengguna: add, disable and reset the accounts the viewer may manage (the store enforces it and audits)."""
import pandas as pd
import streamlit as st

from analytics.accounts import AccountError, manageable_roles
from analytics.viewer import ROLE_LABELS, ROLES
from ui import guard, store

guard("pengguna")
st.title("Pengguna")
st.caption("Saringan di panel samping tidak berlaku di halaman ini.")
me = st.session_state["akun"]
accounts = store()
users = accounts.users(me)
allowed = [r for r in ROLES if r in manageable_roles(me.peran)]
table = pd.DataFrame([{
    "Nama pengguna": u.nama_pengguna, "Nama lengkap": u.nama_lengkap, "Peran": ROLE_LABELS.get(u.peran, u.peran),
    "NIP PK": u.pk_nip or "", "Aktif": "Ya" if u.aktif else "Tidak",
} for u in users])
st.dataframe(table, hide_index=True, width="stretch")
st.caption("Akun, peran dan log audit disimpan terpisah dari basis data analitik; memuat data tidak pernah "
           "menghapusnya.")
if withheld := [ROLE_LABELS[r] for r in ROLES if r not in allowed]:
    roles = " dan ".join(filter(None, [", ".join(withheld[:-1]), withheld[-1]]))
    st.caption(f"Akun {roles} tidak dapat Anda tambah atau pilih di bawah: "
               "peran itu dapat melihat data perorangan, sehingga hanya kepala yang dapat menambah, "
               "menonaktifkan atau menyetel ulang kata sandinya.")

st.subheader("Tambah pengguna")
with st.form("tambah_pengguna", clear_on_submit=True):
    c1, c2 = st.columns(2)
    username = c1.text_input("Nama pengguna (huruf kecil, angka, titik, garis)")
    full_name = c2.text_input("Nama lengkap")
    role = c1.selectbox("Peran", allowed, index=allowed.index("kanwil"), format_func=ROLE_LABELS.get,
                        key="tambah_peran", placeholder="Pilih peran")  # least power first
    nip = c2.text_input("NIP PK (18 digit, wajib untuk peran PK)") if "pk" in allowed else ""
    password = c1.text_input("Kata sandi awal (minimal 8 karakter)", type="password")
    if st.form_submit_button("Tambah"):
        try:
            accounts.add_user(me, username.strip(), full_name.strip(), role, password, pk_nip=nip.strip() or None)
            st.success(f"Pengguna {username} ditambahkan.")
            st.rerun()
        except (AccountError, PermissionError) as exc:
            st.error(str(exc))

st.subheader("Nonaktifkan, aktifkan, atau setel ulang kata sandi")
others = [u.nama_pengguna for u in users if u.nama_pengguna != me.nama_pengguna and u.peran in allowed]
if others:
    target = st.selectbox("Pengguna", others, key="pengguna_target", placeholder="Pilih pengguna")
    chosen = next(u for u in users if u.nama_pengguna == target)
    c1, c2 = st.columns(2)
    if c1.button("Nonaktifkan" if chosen.aktif else "Aktifkan", key="ubah_aktif"):
        try:
            accounts.set_active(me, target, not chosen.aktif)
            st.rerun()
        except (AccountError, PermissionError) as exc:
            st.error(str(exc))
    with c2.form("setel_ulang", clear_on_submit=True):
        new_password = st.text_input("Kata sandi baru", type="password")
        if st.form_submit_button("Setel ulang kata sandi"):
            try:
                accounts.reset_password(me, target, new_password)
                st.success(f"Kata sandi {target} disetel ulang; kunci akun dibuka.")
            except (AccountError, PermissionError) as exc:
                st.error(str(exc))
