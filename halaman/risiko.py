"""Risiko Residivisme: who is at risk now, how well the model and the RRI predict here, and survival curves."""
import datetime as dt
from dataclasses import replace

import streamlit as st

from analytics import charts_risiko as charts, format as fmt, risk
from analytics.viewer import caseload, figures_scope, left_out
from ui import PLOTLY_CONFIG, audit_view_once, cached, chart, context, download, guard, metric

PAGE = "Risiko"
CLIENTS = ("klien",)
ATTENDANCE = ("klien", "kehadiran")
TRAINING = "Model risiko sedang dilatih untuk data ini."  # the benchmark counts the views that showed it
IDENTITY = ("No. Register", "Nama", "Pseudonim")
LIST_WIDTHS = {"No. Register": 135, "Nama": 120, "Pseudonim": 120, "Jumlah sinyal": 95, "Sinyal": 170,
               "Kategori model": 100, "Risiko model": 90, "Faktor utama": 230}  # px; the first 7 fill ~940 px
LIST_ROW_PX = 66  # > 4rem: three wrapped lines of «Sinyal» and «Faktor utama» instead of one cut line
guard("risiko")
ctx = context()
st.title("Risiko Residivisme")
st.caption(f"Siapa yang perlu diperhatikan sekarang, seberapa baik model dan RRI meramalkan kegagalan di kantor ini, "
           f"dan kurva bertahan · data s.d. {fmt.date(ctx.as_of)}")
if ctx.viewer.suppressed:
    st.caption("Angka 1–9 orang ditampilkan sebagai «<10» dan bagian grafik yang memuatnya diarsir abu-abu "
               "(aturan bilangan kecil); persentase dan AUC yang dihitung darinya tertulis «disembunyikan».")
scope = figures_scope(ctx.filters, ctx.viewer)  # a PK: figures reach beyond the own caseload
if scope:
    st.caption(f"Cakupan: grafik sebaran dan kurva bertahan mencakup {scope}; kartu model dan «Dosis × risiko» "
               "memakai semua kasus kantor; hanya «Daftar peringatan dini» dan angka di atasnya yang terbatas pada "
               "klien bimbingan Anda.")

left, right = st.columns([1, 2])
horizon = left.selectbox("Jendela hasil (bulan sejak mulai bimbingan)", risk.HORIZONS,
                         index=risk.HORIZONS.index(risk.DEFAULT_HORIZON), key="risiko_jendela",
                         placeholder="Pilih jendela")
revocations = right.toggle("Hitung pencabutan (DICABUT) dalam jendela sebagai kegagalan", key="risiko_cabut")
# the model is fitted in the background: after a load the page shows the previous fit and says so; with no fit
# yet (a first visit at national scale takes minutes) it says the model is being trained instead of hanging
with st.spinner("Menyiapkan model risiko untuk pilihan ini (jendela hasil, pencabutan); dapat beberapa detik…"):
    model_version, current = risk.serving(horizon, revocations, ctx.db_path)


@st.fragment(run_every=5)
def _wait_for_model() -> None:
    if risk.ready(horizon, revocations, ctx.db_path):
        st.rerun(scope="app")


if model_version is None:
    st.info(f"{TRAINING} Pada data sebesar ini pelatihan memerlukan beberapa menit; halaman ini diperbarui sendiri "
            "begitu model siap, dan halaman lain tetap dapat dibuka sementara itu.")
    _wait_for_model()
    st.stop()


def model(function):
    return cached(function, key=model_version)


validation = model(risk.validate)(horizon, revocations, stale_ok=True)
report = validation.report
terms = report["definitions"]
if not current:
    st.info(f"Model risiko sedang dilatih ulang untuk data yang baru dimuat. Sampai selesai, angka dari model di "
            f"halaman ini (kategori model, risiko terprediksi, kartu model) masih dari data s.d. "
            f"{fmt.date(dt.date.fromisoformat(report['as_of']))}; halaman ini diperbarui sendiri begitu model baru "
            f"siap.")
    _wait_for_model()
if not validation.ok:
    st.warning(report["reason"])

# 1 -------------------------------------------------------------------------------------------------------------
st.subheader("Sebaran klien aktif menurut kategori risiko")
distribution = model(risk.risk_distribution)(ctx.filters, ctx.viewer, horizon, revocations, stale_ok=True)
if distribution.empty:
    st.info("Tidak ada klien aktif pada periode dan saringan ini.")
else:
    dari, sampai = risk.distribution_window(ctx.filters)
    chart(charts.distribution_bars(distribution, "rri"), risk.basis_rows(distribution, "rri"),
          "sebaran-rri", PAGE, f"Apa yang ditampilkan: bagian klien aktif tiap bulan menurut kategori RRI yang dicatat "
          f"PK (Rendah/Sedang/Tinggi; kosong = tidak tercatat), {fmt.period(dari, sampai)}. Siapa yang dihitung: "
          "klien yang aktif pada suatu hari dalam bulan itu, sesuai saringan.", CLIENTS)
    chart(charts.distribution_bars(distribution, "model"), risk.basis_rows(distribution, "model"),
          "sebaran-model", PAGE, "Apa yang ditampilkan: bagian klien aktif tiap bulan menurut kategori risiko model "
          f"yang dihitung pada titik prediksinya ({terms['kategori']}) «Belum dinilai» = titik prediksi belum "
          "tercapai pada bulan itu; «Tidak dinilai» = kasus yang tidak dapat dinilai (mis. catatan kehadiran awal "
          "tidak ada); «Tanpa model» = data belum cukup untuk model. Siapa yang dihitung: sama dengan grafik di "
          "atas.", ATTENDANCE)

# 2 -------------------------------------------------------------------------------------------------------------
st.subheader("Daftar peringatan dini")
counts = model(risk.signal_counts)(ctx.filters, ctx.viewer, horizon, revocations, stale_ok=True)
# a PK's tiles count what their list holds (the own caseload); the whole filtered office is said beside them
own = caseload(ctx.filters, ctx.viewer)
# a PK who filtered on other officers only: the own caseload drops out of the filter, the tiles and list are empty
excluded = left_out(ctx.filters, ctx.viewer)
tiles = counts if own is None else model(risk.signal_counts)(own, ctx.viewer, horizon, revocations, stale_ok=True)
for column, row in zip(st.columns(len(tiles)), tiles.itertuples()):
    metric(column, row.label, "–" if excluded else fmt.number(row.klien))
office_counts = "; ".join(f"{row.label.lower()} {fmt.number(row.klien)}" for row in counts.itertuples()) + ". "
if excluded:
    mine = model(risk.signal_counts)(caseload(replace(ctx.filters, pk_nip=()), ctx.viewer), ctx.viewer, horizon,
                                     revocations, stale_ok=True)
    covered = (f"Saringan «Pembimbing Kemasyarakatan» tidak memuat nama Anda, sehingga angka di atas dan daftar di "
               f"bawah, yang hanya memuat klien bimbingan Anda, kosong. Anda membimbing "
               f"{fmt.number(mine['klien_aktif'].iloc[0])} klien aktif pada {fmt.date(ctx.as_of)}: tambahkan nama "
               f"Anda pada saringan itu, atau kosongkan saringannya, untuk melihat mereka. Untuk {scope}: "
               f"{fmt.number(counts['klien_aktif'].iloc[0])} klien aktif; " + office_counts)
elif scope:
    covered = (f"Angka di atas dan daftar di bawah: hanya klien bimbingan Anda "
               f"({fmt.number(tiles['klien_aktif'].iloc[0])} klien aktif pada {fmt.date(ctx.as_of)}). Untuk {scope}: "
               f"{fmt.number(counts['klien_aktif'].iloc[0])} klien aktif; " + office_counts)
else:
    covered = (f"Klien aktif pada {fmt.date(ctx.as_of)} sesuai saringan: "
               f"{fmt.number(tiles['klien_aktif'].iloc[0])}. ")
st.caption(covered + "Mangkir berturut-turut dihitung dari wajib lapor terakhir (3 kali berturut-turut adalah dasar "
           f"pencabutan); «tanpa kegiatan» hanya untuk klien yang sudah ≥ {risk.NO_PROGRAM_DAYS} hari "
           "dibimbing; risiko tinggi = kategori Tinggi model.")
if ctx.viewer.person_level is None:
    st.caption("Daftar nama tidak tersedia untuk peran Anda (hanya data agregat).")
else:
    pick, order = st.columns([3, 2])
    chosen = pick.multiselect("Tampilkan klien dengan salah satu sinyal", list(risk.SIGNALS),
                              default=list(risk.SIGNALS), format_func=risk.SIGNALS.get, key="risiko_sinyal",
                              placeholder="Pilih sinyal",
                              select_all=False,  # Streamlit's row is English only
                              wrap=True)  # in a column the chips would stay on one row and hide the last one
    sort = order.selectbox("Urutkan menurut", list(risk.SORTS), format_func=risk.SORTS.get, key="risiko_urutan",
                           placeholder="Pilih urutan")
    rows = model(risk.early_warning)(ctx.viewer, ctx.filters, horizon, revocations, tuple(chosen), sort,
                                     stale_ok=True)
    if excluded:
        st.info("Daftar kosong: saringan «Pembimbing Kemasyarakatan» tidak memuat nama Anda.")
    elif rows.empty:
        st.info("Tidak ada klien yang dapat Anda lihat dengan sinyal yang dipilih.")
    else:
        audit_view_once(PAGE, len(rows), "daftar peringatan dini risiko")
        table = risk.warning_table(rows)
        # who, then the signals and the model's risk, whole, within the first ~940 px (1400 px screen with the menu):
        # rows taller than 4rem let Streamlit wrap a cell's text; the details scroll beside the pinned identity
        st.dataframe(table, hide_index=True, width="stretch", height=600, row_height=LIST_ROW_PX, key="risiko-daftar",
                     column_config={name: st.column_config.Column(width=width, pinned=name in IDENTITY)
                                    for name, width in LIST_WIDTHS.items()})
        st.caption(f"{fmt.number(len(table))} klien. Klik judul kolom untuk mengurutkan ulang. «Faktor utama» = hal "
                   "yang paling menaikkan risiko model klien itu dibanding kasus rata-rata. Skor membantu "
                   "penilaian PK; skor tidak pernah memutuskan pencabutan.")
        download(table, "peringatan-dini-risiko", PAGE, person_level=True)

# 3 -------------------------------------------------------------------------------------------------------------
st.subheader("Kartu model")
st.info(f"**Penggunaan yang diperbolehkan.** {risk.PERMITTED_USE}")
data_day = fmt.date(dt.date.fromisoformat(report["as_of"]))
st.markdown(f"- **Hasil:** {terms['hasil']}\n- **Titik prediksi:** {terms['titik_prediksi']}\n"
            f"- **Kasus yang dipakai:** {terms['kelayakan']}\n- **Jendela data:** kasus yang mulai bimbingan s.d. "
            f"{fmt.date(ctx.as_of)}; tanggal data model {data_day}.\n- **Model:** regresi logistik teregularisasi "
            "(kekuatan dipilih dengan validasi silang di dalam tiap lipatan), umur sebagai kurva halus (spline), jumlah pidana "
            "sebelumnya log(1 + x), tiap kategori menjadi kolom 0/1, lalu dikalibrasi ulang; versi kartu skor memakai kelompok dan "
            "poin bulat yang dapat dijumlahkan dengan tangan.")
# a Markdown table, not a data grid (cuts sentences off) nor st.table (wraps every cell at 25rem, half the width)
st.markdown(fmt.markdown_table(risk.exclusion_table(validation, ctx.viewer), right=("Kasus",)))
with st.expander("Fitur yang dipakai"):
    st.dataframe(risk.feature_table(validation), hide_index=True, width="stretch")
    st.caption("Status pekerjaan terakhir tidak dipakai: tanggalnya tidak tercatat, sehingga bisa berasal dari "
               "setelah titik prediksi. Bekerja/tidak diambil dari pekerjaan saat mulai bimbingan.")

if validation.ok:
    card = report["scorecard"]
    metrics = st.columns(4)
    metric(metrics[0], "AUC (validasi silang 5 lipatan)", fmt.number(report["auc"], 3),
           help=f"Interval 95% bootstrap: {risk.interval_text(report['auc'], report['auc_ci'])}")
    metric(metrics[1], "Skor Brier", fmt.number(report["brier"], 3),
           help=f"Interval 95%: {risk.interval_text(report['brier'], report['brier_ci'])}")
    metric(metrics[2], "ECE (10 bin)", fmt.number(report["ece"], 3), help=terms["ece"])
    metric(metrics[3], "Kasus / kegagalan", f"{fmt.number(report['n'])} / {fmt.number(report['events'])}",
           help=f"Tingkat dasar {fmt.percent(report['base_rate'])}")
    lines = [f"- **Model:** AUC {risk.interval_text(report['auc'], report['auc_ci'])}; Brier "
             f"{risk.interval_text(report['brier'], report['brier_ci'])}; ECE "
             f"{risk.interval_text(report['ece'], report['ece_ci'])} (interval 95% bootstrap "
             f"{fmt.number(risk.BOOTSTRAP)} sampel ulang).",
             f"- **Kartu skor (poin):** AUC {risk.interval_text(card['auc'], card['auc_ci'])}; Brier "
             f"{fmt.number(card['brier'], 3)}; ECE {fmt.number(card['ece'], 3)}."]
    if report.get("rri_auc") is not None:
        basis = "skor" if report["rri_basis"] == "skor_rri" else "kategori"
        lines.append(f"- **RRI tercatat ({basis}), pada {fmt.number(report['rri_n'])} kasus yang sama:** AUC "
                     f"{risk.interval_text(report['rri_auc'], report.get('rri_auc_ci'))}"
                     + (f"; kategori RRI saja {fmt.number(report['rri_kategori_auc'], 3)}"
                        if report.get("rri_kategori_auc") is not None and basis == "skor" else "")
                     + f". Model pada kasus yang sama {fmt.number(report['model_auc_rri_cases'], 3)}; selisih "
                     f"{risk.interval_text(report.get('auc_diff'), report.get('auc_diff_ci'))}.")
    else:
        lines.append("- **RRI:** tidak tercatat dalam data, tidak dapat dibandingkan.")
    holdout = report["holdout"]
    if holdout.get("done"):
        lines.append(f"- **Uji kohort terbaru** (dilatih pada kasus mulai s.d. "
                     f"{fmt.date(dt.date.fromisoformat(holdout['train_until']))}, diuji pada "
                     f"{holdout['cohort']}, {fmt.number(holdout['test_n'])} kasus): AUC "
                     f"{risk.interval_text(holdout['auc'], holdout['auc_ci'])}; ECE {fmt.number(holdout['ece'], 3)}; "
                     f"rata-rata prediksi {fmt.percent(holdout['mean_predicted'])} vs teramati "
                     f"{fmt.percent(holdout['observed'])}.")
    else:
        lines.append(f"- **Uji kohort terbaru:** tidak dilakukan — {holdout.get('reason')}.")
    st.markdown("\n".join(lines))
    calibration = risk.calibration_frame(validation, ctx.viewer)
    chart(charts.calibration_plot(calibration, f"ECE {fmt.number(report['ece'], 3)} · titik = bin risiko selebar 10%"),
          calibration, "kalibrasi-model", PAGE,
          "Apa yang ditampilkan: untuk tiap bin risiko prediksi validasi silang (selebar 10 poin persen), rata-rata "
          "prediksi vs bagian yang benar-benar gagal, dengan interval 95% (Wilson); titik pada garis putus-putus = "
          "terkalibrasi. Siapa yang dihitung: kasus yang dipakai untuk validasi (seluruh kantor, tanpa saringan).",
          CLIENTS)
    st.markdown(f"**Per kelompok** (ambang «Tinggi»: risiko ≥ {fmt.percent(report['threshold'])}; positif palsu = "
                "tidak gagal tetapi ditandai tinggi, negatif palsu = gagal tetapi tidak ditandai tinggi)")
    groups = charts.group_table(risk.group_table(validation, ctx.viewer))
    st.dataframe(groups, hide_index=True, width="stretch", key="risiko-kelompok")
    download(groups, "validasi-per-kelompok", PAGE)
    left, right = st.columns([3, 2])
    with left:
        st.markdown("**Kartu skor: poin per kelompok**")
        st.dataframe(risk.points_table(validation), hide_index=True, width="stretch", height=360)
    with right:
        st.plotly_chart(charts.points_risk_line(validation.points_risk), config=PLOTLY_CONFIG,
                        width="stretch", key="grafik-risiko-poin")
    st.caption("Jumlahkan poin tiap baris yang sesuai dengan klien; grafik memberi risiko untuk jumlah itu. Kelompok "
               f"yang jarang (< {risk.MIN_LEVEL} kasus) digabung sebagai «{risk.RARE}»; kelompok yang tidak ada "
               "dalam data pelatihan mendapat poin kelompok gabungan itu, atau 0 bila tidak ada.")
    with st.expander("Koefisien model (skala baku)"):
        st.dataframe(risk.coefficient_table(validation), hide_index=True, width="stretch")
        st.caption(f"Kekuatan regularisasi terpilih C = {fmt.number(report['C'], 3)}; kalibrasi ulang: logit "
                   f"akhir = {fmt.number(report['recalibration']['intercept'], 3)} + "
                   f"{fmt.number(report['recalibration']['slope'], 3)} × logit model. Umur masuk sebagai kurva "
                   "halus (beberapa kolom spline), sehingga koefisiennya tidak dibaca satu per satu.")

    # 4 ---------------------------------------------------------------------------------------------------------
    st.subheader("Dosis × risiko")
    dose = model(risk.dose_by_risk)(ctx.viewer, horizon, revocations, stale_ok=True)
    if dose.empty:
        st.info("Data tidak memuat jam kegiatan sebelum titik prediksi.")
    else:
        st.warning("**Perbandingan, bukan estimasi sebab-akibat.** Klien yang banyak ikut kegiatan bisa berbeda sejak "
                   "awal dari yang tidak.")
        chart(charts.dose_bars(dose), dose, "dosis-risiko", PAGE,
              "Apa yang ditampilkan: bagian kasus yang gagal dalam jendela, menurut jam kegiatan (selain wajib lapor "
              "dan kunjungan rumah) yang dihadiri sebelum titik prediksi, dalam tiap kategori risiko model (dari "
              "prediksi validasi silang). Siapa yang dihitung: kasus yang dipakai untuk validasi (seluruh kantor).",
              ATTENDANCE)

# 5 -------------------------------------------------------------------------------------------------------------
st.subheader("Kurva bertahan (Kaplan–Meier)")
by = st.radio("Kelompokkan menurut", list(risk.KM_BY), format_func=risk.KM_BY.get, horizontal=True, key="risiko_km")
survival = model(risk.survival)(by, ctx.filters, ctx.viewer, horizon, revocations, stale_ok=True)
if survival.note:
    st.info(survival.note)
elif survival.curves.empty and not survival.hidden:
    st.info("Tidak ada kasus untuk kurva ini.")
elif survival.curves.empty:
    st.info("Tidak ada kurva yang dapat digambar: setiap kelompok berisi 1–9 kasus atau 1–9 kegagalan, yang "
            "disembunyikan menurut aturan bilangan kecil.")
    st.dataframe(risk.survival_table(survival), hide_index=True, width="stretch", key="risiko-km-kelompok")
else:
    chart(charts.km_plot(survival, risk.KM_TITLES[by]),
          survival.at_risk, f"kaplan-meier-{by}", PAGE,
          "Apa yang ditampilkan: perkiraan Kaplan–Meier bagian klien yang belum gagal (definisi di kartu model) "
          f"sejak mulai bimbingan, s.d. {horizon} bulan, dengan pita 95%; angka di bawah grafik = klien yang masih "
          "berisiko. Klien disensor pada akhir bimbingan, tanggal data, atau akhir jendela. "
          + ("Menurut partisipasi, kurva mulai pada titik prediksi (klien yang masih dibimbing dan belum gagal "
             "di sana), dikelompokkan menurut kehadiran kegiatan sebelum titik itu. " if by == "program" else "")
          + "Siapa yang dihitung: kasus sesuai saringan program integrasi, PK dan kantor.", ATTENDANCE)
    st.caption(f"Uji log-rank antar kelompok: {charts.p_text(survival.p_value)}.")
    if ctx.viewer.suppressed:
        st.caption(charts.km_hidden_text(survival))
    st.dataframe(risk.survival_table(survival), hide_index=True, width="stretch", key="risiko-km-kelompok")
