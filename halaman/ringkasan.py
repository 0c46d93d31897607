"""Ringkasan: the head of office's monthly look — key figures, top obstacles, alerts."""
import datetime as dt

import streamlit as st

from analytics import charts, format as fmt, ringkasan
from analytics.viewer import figures_scope, left_out
from ui import PLOTLY_CONFIG, audit_view_once, cached, context, download, guard, metric

PAGE = "Ringkasan"
guard("ringkasan")
ctx = context()
st.title("Ringkasan")
st.caption(f"{fmt.period(ctx.filters.mulai, ctx.filters.akhir)} dibanding periode sebelumnya "
           f"({fmt.period(ctx.filters.previous().mulai, ctx.filters.previous().akhir)}) · data s.d. "
           f"{fmt.date(ctx.as_of)}")

kpis = cached(ringkasan.key_figures)(ctx.filters, ctx.viewer)
scope = figures_scope(ctx.filters, ctx.viewer)  # a PK: figures reach beyond the own caseload
for row in (kpis[:4], kpis[4:]):
    for column, kpi in zip(st.columns(4), row):
        unchanged = kpi.delta.startswith("±")  # no arrow, no colour for no change
        metric(column, kpi.label, kpi.shown, kpi.delta or None, help=kpi.definition,
               delta_color="off" if unchanged else "inverse" if kpi.key == "pencabutan" else "normal",
               delta_arrow="off" if unchanged else "auto", delta_description=kpi.compared)
if ctx.viewer.suppressed:
    st.caption("Angka 1–9 orang ditampilkan sebagai «<10» (aturan bilangan kecil), begitu pula persentase "
               "yang dihitung darinya.")
if scope:
    empty = " (kini kosong: saringan «Pembimbing Kemasyarakatan» tidak memuat nama Anda)" \
        if left_out(ctx.filters, ctx.viewer) else ""
    st.caption(f"Cakupan: angka dan grafik halaman ini mencakup {scope}, bukan hanya klien bimbingan Anda. Di bagian "
               "«Perlu perhatian», hanya daftar klien yang mangkir berturut-turut yang terbatas pada klien bimbingan "
               f"Anda{empty}; PKS mitra yang berakhir dan bulan dengan deviasi anggaran adalah data seluruh kantor, "
               "tanpa saringan PK. Untuk angka klien Anda saja, pilih nama Anda pada saringan «Pembimbing "
               "Kemasyarakatan».")
st.caption("Arahkan kursor ke tanda tanya pada tiap angka untuk definisinya (DATA.md §7).")

trend = cached(ringkasan.compliance_trend)(ctx.filters, ctx.viewer)
if not trend.empty:
    st.plotly_chart(charts.compliance_trend(trend), config=PLOTLY_CONFIG, width="stretch")
    st.caption(f"Apa yang ditampilkan: wajib lapor yang hadir atau terlambat (dan yang tepat waktu saja) ÷ semua "
               f"wajib lapor terjadwal, per bulan, 12 bulan s.d. akhir periode; siapa yang dihitung: klien sesuai "
               f"saringan. Data s.d. {fmt.date(ctx.as_of)}.")
    download(trend[["bulan", "wajib", "hadir", "tepat_waktu", "izin", "tidak_hadir"]], "kepatuhan-wajib-lapor",
             PAGE)
else:  # said, not left out: an office that keeps no attendance sheet would otherwise wonder where the chart went
    st.info("Kepatuhan wajib lapor per bulan: belum ada wajib lapor tercatat dalam 12 bulan s.d. akhir periode untuk "
            "klien sesuai saringan (data kehadiran belum dimuat?).")

st.subheader("Hambatan terbanyak dalam periode")
obstacles = cached(ringkasan.top_obstacles)(ctx.filters, ctx.viewer)
if obstacles.empty:
    st.info("Tidak ada hambatan tercatat pada periode ini.")
else:
    left, right = st.columns(2)
    for column, source in ((left, "Log hambatan"), (right, "Alasan ketidakhadiran")):
        part = obstacles[obstacles["sumber_data"] == source][["label", "jumlah"]]
        column.markdown(f"**{source}**")
        column.dataframe(part.rename(columns={"label": "Kategori", "jumlah": "Jumlah"}), hide_index=True,
                         width="stretch")
    st.caption("Apa yang ditampilkan: tiga kategori hambatan terbanyak dalam periode, dari log hambatan dan dari "
               "alasan ketidakhadiran yang dipetakan ke kategori hambatan, dihitung terpisah, seperti di halaman "
               "Hambatan. " + ("Saringan program integrasi dan PK hanya menyisakan baris yang menyebut klien yang "
                               "sesuai." if ctx.filters.program_integrasi or ctx.filters.pk_nip else ""))

st.subheader("Perlu perhatian")
count, rows = cached(ringkasan.missed_reports)(ctx.filters, ctx.viewer)
if scope:
    st.markdown(f"**Klien bimbingan Anda yang aktif dan mangkir wajib lapor ≥ 2 kali berturut-turut: "
                f"{fmt.number(len(rows))}** ({scope}: {fmt.number(count)}; 3 kali berturut-turut adalah dasar "
                "pencabutan). Daftar di bawah hanya memuat klien bimbingan Anda.")
else:
    st.markdown(f"**Klien aktif yang mangkir wajib lapor ≥ 2 kali berturut-turut: {fmt.number(count)}** "
                "(3 kali berturut-turut adalah dasar pencabutan).")
if rows is not None and not rows.empty:
    audit_view_once(PAGE, len(rows), "daftar mangkir berturut-turut")
    shown = rows.rename(columns={"no_register": "No. Register", "nama": "Nama", "pseudonim": "Pseudonim",
                                 "pk_nama": "PK", "mangkir_saat_ini": "Mangkir berturut-turut",
                                 "mangkir_terpanjang": "Terpanjang"})
    st.dataframe(shown, hide_index=True, width="stretch")
    st.caption("«Mangkir berturut-turut»: wajib lapor tidak hadir tanpa izin secara berurutan sampai wajib lapor "
               "terakhir; «Terpanjang»: rangkaian mangkir berurutan terpanjang sejak mulai bimbingan.")
    download(shown, "mangkir-berturut-turut", PAGE, person_level=True)
elif rows is None:
    st.caption("Daftar nama tidak ditampilkan untuk peran Anda (hanya data agregat).")

ending = cached(ringkasan.agreements_ending)(ctx.filters)
st.markdown(f"**Perjanjian kerja sama (PKS) mitra yang berakhir dalam 60 hari: {len(ending)}**")
if not ending.empty:
    ending = ending.assign(berlaku_sampai=ending["berlaku_sampai"].map(lambda d: fmt.date(d.date())),
                           jenis_mitra=ending["jenis_mitra"].map(fmt.code))
    st.dataframe(ending.rename(columns={"kode_mitra": "Kode", "nama_mitra": "Mitra", "jenis_mitra": "Jenis",
                                        "nomor_pks": "No. PKS", "berlaku_sampai": "Berlaku sampai"}),
                 hide_index=True, width="stretch")

deviations = cached(ringkasan.budget_deviations)(ctx.filters)
st.markdown(f"**Bulan dengan realisasi menyimpang lebih dari 10% dari rencana (RPD) pada periode "
            f"{fmt.period(ctx.filters.mulai, ctx.filters.akhir)}: {len(deviations)}**")
if not deviations.empty:
    table = deviations.assign(
        Bulan=[fmt.month(dt.date(int(y), int(m), 1))
               for y, m in zip(deviations["tahun_anggaran"], deviations["bulan"])],
        Rencana=deviations["rencana"].map(fmt.rupiah), Realisasi=deviations["realisasi"].map(fmt.rupiah),
        Deviasi=deviations["deviasi"].map(fmt.percent))[["Bulan", "Rencana", "Realisasi", "Deviasi"]]
    st.dataframe(table, hide_index=True, width="stretch")
st.caption("Deviasi = |realisasi − rencana| ÷ rencana per bulan (konsep IKPA «deviasi Halaman III DIPA»), dihitung "
           "atas bulan-bulan periode saringan. Halaman Anggaran menghitung bulan yang menyimpang per tahun anggaran, "
           "Januari s.d. bulan akhir periode, sehingga angkanya bisa berbeda.")
