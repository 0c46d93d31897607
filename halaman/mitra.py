"""Mitra: which partners deliver — scorecard, agreements ending, training fields offered vs asked, certification."""
import streamlit as st

from analytics import charts_mitra as charts, format as fmt, mitra
from ui import cached, chart, context, download, drilldown, guard, metric

PAGE = "Mitra"
guard("mitra")
ctx = context()
st.title("Mitra")
st.caption(f"Mitra Pokmas Lipas: siapa yang memberi hasil · {fmt.period(ctx.filters.mulai, ctx.filters.akhir)} · "
           f"data s.d. {fmt.date(ctx.as_of)}")

card = cached(mitra.scorecard)(ctx.filters, ctx.viewer)
if card.empty:
    st.info("Belum ada data mitra untuk kantor yang dipilih. Muat lembar «Mitra Pokmas Lipas» (mitra dan program) "
            "terlebih dahulu.")
    st.stop()

counts = cached(mitra.partner_counts)(ctx.filters)
for column, (label, value, help_text) in zip(st.columns(4), (
        ("Mitra aktif", counts["aktif"], mitra.DEFINITIONS["mitra_aktif"] + " Pada tanggal data."),
        ("Di antaranya bersertifikat", counts["bersertifikat"], "Mitra aktif yang dapat menerbitkan sertifikat."),
        ("PKS berakhir ≤ 60 hari", counts["segera_berakhir"], mitra.DEFINITIONS["pks"]),
        ("PKS lewat, mitra masih aktif", counts["sudah_berakhir"], mitra.DEFINITIONS["pks"]))):
    metric(column, label, fmt.number(value), help=help_text)

st.subheader("Kartu skor mitra")
st.dataframe(charts.scorecard_table(card), hide_index=True, width="stretch", key="mitra-kartu-skor",
             # the code pinned beside the name: two long names alike at the start stay told apart
             column_config={mitra.SCORECARD_LABELS["kode_mitra"]: st.column_config.Column(pinned=True, width=90),
                            "Mitra": st.column_config.Column(pinned=True, width=300),
                            mitra.SCORECARD_LABELS["tingkat_penyelesaian"]: st.column_config.Column(width=120)})
st.caption("Klik judul kolom untuk mengurutkan; geser tabel ke kanan untuk jenis, status dan PKS mitra. " + " ".join(
    mitra.DEFINITIONS[k] for k in ("program", "peserta", "penyelesaian", "penempatan")))
if ctx.viewer.suppressed:
    st.caption("Angka 1–9 orang ditampilkan sebagai «<10» (aturan bilangan kecil); agar jumlah seluruh mitra tidak "
               "membukanya, satu angka lain ikut disembunyikan. Tingkat penyelesaian yang dihitung dari angka "
               "tersembunyi tidak ditampilkan.")

KINDS_DELIVERY = ("mitra", "program", "kehadiran", "klien")
if card["peserta"].isna().any() or card["peserta"].fillna(0).gt(0).any():
    chart(charts.partner_delivery(card), mitra.scorecard_for_download(card), "kartu-skor-mitra", PAGE,
          "Apa yang ditampilkan: peserta tiap mitra (klien berbeda) dan bagian keikutsertaan yang selesai, untuk "
          "mitra yang angkatan programnya berjalan dalam periode; siapa yang dihitung: klien sesuai saringan yang "
          "punya baris kehadiran pada angkatan itu (selesai = hadir/terlambat pada ≥ 75% sesi angkatan).",
          KINDS_DELIVERY)
else:
    st.info("Tidak ada angkatan program mitra dengan peserta pada periode ini.")
    download(mitra.scorecard_for_download(card), "kartu-skor-mitra", PAGE)

st.subheader("Rincian satu mitra")
choices = mitra.partner_choices(card)
chosen = st.selectbox("Pilih mitra", list(choices), format_func=choices.get, key="mitra_pilih",
                      placeholder="Ketik atau pilih nama mitra")
office, code = chosen.split("|", 1)
runs = cached(mitra.partner_runs)(ctx.filters, ctx.viewer, office, code)
with st.expander(f"Angkatan program {choices[chosen]} dalam periode", expanded=True):
    if runs.empty:
        st.info("Mitra ini tidak punya angkatan program yang berjalan dalam periode.")
    else:
        shown = mitra.runs_for_display(runs)
        st.dataframe(shown, hide_index=True, width="stretch", key="mitra-angkatan")
        st.caption("Peserta = klien sesuai saringan dengan baris kehadiran pada angkatan itu; selesai = hadir atau "
                   "terlambat pada ≥ 75% sesi angkatan.")
        download(shown, f"angkatan-{code}", PAGE)
drilldown(PAGE, f"Peserta {choices[chosen]} dalam periode (data perorangan)",
          lambda: cached(mitra.partner_participants)(ctx.viewer, ctx.filters, office, code),
          f"peserta mitra {code}")

st.subheader("PKS yang segera berakhir atau sudah lewat")
alerts = cached(mitra.agreement_alerts)(ctx.filters)
if alerts.empty:
    st.success(f"Tidak ada PKS mitra aktif yang berakhir dalam 60 hari setelah {fmt.date(ctx.as_of)} "
               "atau yang sudah lewat.")
else:
    shown = charts.alerts_table(alerts)
    st.dataframe(shown, hide_index=True, width="stretch", key="mitra-pks")
    st.caption(f"Apa yang ditampilkan: {mitra.DEFINITIONS['pks']} Sisa hari dihitung dari tanggal data "
               f"({fmt.date(ctx.as_of)}); angka negatif = sudah lewat.")
    download(shown, "pks-segera-berakhir", PAGE)

st.subheader("Cakupan bidang pelatihan")
asked_from = st.radio("Permintaan klien diambil dari log hambatan", ["periode", "semua"], horizontal=True,
                      format_func={"periode": "dalam periode terpilih", "semua": "seluruh log"}.get,
                      key="mitra_rentang_minta")
coverage = cached(mitra.field_coverage)(ctx.filters, ctx.viewer, asked_from=asked_from)
chart(charts.field_coverage(coverage), charts.coverage_for_download(coverage), "cakupan-bidang-pelatihan", PAGE,
      f"Apa yang ditampilkan: {mitra.DEFINITIONS['cakupan']} Bidang dibaca dari kata kunci (mis. «ingin menjahit» "
      "→ Menjahit; nama program yang disebut tidak dihitung sebagai keinginan); catatan tanpa bidang yang dikenali "
      "masuk «Lainnya / tidak disebut». Satu mitra, angkatan atau catatan dapat menyebut lebih dari satu bidang.",
      ("mitra", "program", "hambatan"))

st.subheader("Sertifikasi mitra")
certified = cached(mitra.certified_share)(ctx.filters)
if certified.empty:
    st.info("Belum ada mitra dengan tanggal PKS tercatat, sehingga bagian mitra bersertifikat belum dapat dihitung.")
else:
    chart(charts.certified_share(certified), charts.certified_for_download(certified), "mitra-bersertifikat", PAGE,
          f"Apa yang ditampilkan: {mitra.DEFINITIONS['sertifikasi']} Angka di atas batang = bagian bersertifikat; "
          "triwulan terakhir dihitung pada tanggal data atau akhir periode. Siapa yang dihitung: lembaga mitra "
          "(bukan orang) dengan tanggal PKS tercatat.", ("mitra",))
