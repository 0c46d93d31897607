"""Paparan Kanwil: the presentation pack for the regional office, as PowerPoint or PDF, previewed and downloaded."""
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from analytics import format as fmt, report, ringkasan
from analytics.filters import add_months
from ui import audit, cached, context, guard

PAGE = "Paparan Kanwil"
guard("laporan")
ctx = context()
st.title("Paparan Kanwil")
st.caption(f"Bahan paparan kinerja Pokmas Lipas untuk Kanwil, siap dibawa tanpa internet · data s.d. "
           f"{fmt.date(ctx.as_of)}")
st.info("Paparan ini dokumen agregat, sama untuk setiap peran: jumlah 1–9 orang ditulis «<10» dan tidak ada nama, "
        "NIK, nomor register, atau NIP di dalamnya. Grafik PowerPoint dapat disunting di PowerPoint.")

MONTHS = {1: "1 bulan", 3: "3 bulan (triwulan)", 6: "6 bulan (semester)", 12: "12 bulan"}
FORMAT_LABELS = {"pptx": "PowerPoint (.pptx)", "pdf": "PDF"}
SHORT = {"pptx": "PowerPoint", "pdf": "PDF"}
MIME = {"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pdf": "application/pdf"}

ends = [add_months(ctx.as_of.replace(day=1), -i) for i in range(36)]
end_default = ctx.filters.akhir.replace(day=1)
offices = cached(ringkasan.choices)()["kode_bapas"]
names = report.office_names()
office_options = ([None] if len(offices) > 1 else []) + offices
with st.form("paparan"):
    # the office column wide enough for «Bapas Kelas II Bandar Lampung (BAPAS-BDL)»
    left, middle, right, last = st.columns([1, 1, 1.9, 0.9])
    end = left.selectbox("Bulan terakhir periode", ends, index=ends.index(end_default) if end_default in ends else 0,
                         format_func=fmt.month, key="paparan_bulan",
                         placeholder="Pilih bulan")
    months = middle.selectbox("Panjang periode", list(MONTHS), format_func=MONTHS.get, key="paparan_lama",
                              placeholder="Pilih panjang", index=list(MONTHS).index(ctx.filters.months) if ctx.filters.months in MONTHS else 1)
    office = right.selectbox("Kantor", office_options, key="paparan_kantor", placeholder="Pilih kantor",
                             format_func=lambda c: (f"{names[c.upper()]} ({c})" if c.upper() in names else c)
                             if c else "Semua kantor")
    kind = last.radio("Format", list(FORMAT_LABELS), format_func=FORMAT_LABELS.get, key="paparan_format")
    submitted = st.form_submit_button("Buat paparan", type="primary")

if submitted:
    period = end.strftime("%Y-%m")
    name = f"paparan-kanwil-{(office or 'semua-kantor').lower()}-{period}-{months}bln.{kind}"
    bar = st.progress(0.0, text="Menyiapkan paparan…")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / name
        try:
            summary = report.build_pack(period, months, office, kind, out, ctx.db_path, previews=3,
                                        progress=lambda message, fraction: bar.progress(
                                            min(max(float(fraction), 0.0), 1.0), text=message))
        except report.ReportError as exc:
            bar.empty()
            st.session_state.pop("paparan_hasil", None)
            (st.warning if isinstance(exc, report.NoData) else st.error)(str(exc))
            st.stop()
        data = out.read_bytes()
    bar.empty()
    st.session_state["paparan_hasil"] = {"summary": summary, "data": data, "name": name, "kind": kind,
                                         "note": f"{name} ({summary['period']}, {summary['office']})"}

result = st.session_state.get("paparan_hasil")
if result is None:
    st.caption("Pilih periode, kantor dan format, lalu tekan «Buat paparan». Pembuatan memerlukan beberapa detik.")
    st.stop()

summary = result["summary"]
for warning in summary["warnings"]:
    st.warning(warning)
st.success(f"Paparan {summary['period']} · {summary['office']} siap: {summary['pages']} halaman "
           f"{SHORT[result['kind']]}, dibuat dalam {fmt.number(summary['seconds'], 1)} detik.")
st.download_button(f"Unduh {FORMAT_LABELS[result['kind']]}", result["data"], file_name=result["name"],
                   mime=MIME[result["kind"]], key="paparan_unduh", type="primary",
                   on_click=audit, args=("UNDUH_PAPARAN", PAGE, None, result["note"]))

st.subheader("Pratinjau")
titles, figures = st.columns([2, 3])
titles.markdown("**Isi paparan**")
titles.markdown("\n".join(f"{i}. {title}" for i, title in enumerate(summary["slides"], start=1)))
key_figures = summary["figures"].get("angka_kunci", {})
figures.markdown("**Angka kunci dalam paparan**")
figures.dataframe(pd.DataFrame([{"Angka kunci": row["label"], summary["period"]: row["nilai"],
                                 "vs periode sebelumnya": row["vs_sebelumnya"] or "–",
                                 "vs tahun lalu": row["vs_tahun_lalu"] or "–"}
                                for row in key_figures.values()]), hide_index=True, width="stretch",
                  key="paparan_angka")
if summary.get("previews"):
    st.markdown("**Halaman pertama** (gambar dari tampilan PDF; isi PowerPoint sama)")
    st.image(summary["previews"], caption=summary["slides"][:len(summary["previews"])], width=440)
