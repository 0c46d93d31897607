"""Partisipasi & Kesejahteraan: who takes part, how much, whether they finish, and does it help."""
import streamlit as st

from analytics import charts_partisipasi as charts, format as fmt, partisipasi as pt
from ui import cached, chart, context, download, drilldown, guard

PAGE = "Partisipasi"
ATTENDANCE = ("klien", "kehadiran")
PROGRAMS = ("klien", "kehadiran", "program", "mitra")
guard("partisipasi")
ctx = context()
st.title("Partisipasi & Kesejahteraan")
st.caption(f"Siapa yang ikut program, seberapa banyak, apakah selesai, dan bagaimana nasib klien setelahnya · "
           f"{fmt.period(ctx.filters.mulai, ctx.filters.akhir)} · data s.d. {fmt.date(ctx.as_of)}")
if ctx.viewer.suppressed:
    st.caption("Angka 1–9 orang ditampilkan sebagai «<10» dan diarsir abu-abu pada grafik (aturan bilangan kecil), "
               "begitu pula bagian lain yang dapat dipakai untuk menghitungnya; persentase dan median yang dihitung "
               "darinya tertulis «disembunyikan».")

participation = cached(pt.participation_by_month)(ctx.filters, ctx.viewer)
if participation.empty:
    st.info("Tidak ada klien aktif pada periode dan saringan ini. Ubah periode atau saringan di sisi kiri.")
    st.stop()
dari, sampai = pt.trend_window(ctx.filters)

# 1 -------------------------------------------------------------------------------------------------
st.subheader("Partisipasi program")
chart(charts.participation_trend(participation), participation, "partisipasi-per-bulan", PAGE,
      f"Apa yang ditampilkan: {pt.DEFINITIONS['partisipasi']} Per bulan, {fmt.period(dari, sampai)}. "
      "Siapa yang dihitung: klien aktif sesuai saringan (kemandirian digabung dengan pelatihan kerja).", ATTENDANCE)

# 2 -------------------------------------------------------------------------------------------------
st.subheader("Kepatuhan wajib lapor")
by = st.radio("Rincian menurut", list(pt.BREAKDOWNS), format_func=pt.BREAKDOWNS.get, horizontal=True,
              key="partisipasi_rincian")
compliance = cached(pt.reporting_compliance)(ctx.filters, ctx.viewer, by)
if compliance.empty:
    st.info("Tidak ada wajib lapor terjadwal pada periode ini.")
else:
    window = fmt.period(dari, sampai) if by == "bulan" else fmt.period(ctx.filters.mulai, ctx.filters.akhir)
    order = "" if by == "bulan" else " Diurutkan dari kepatuhan (tepat waktu + terlambat) terendah" + (
        "; kelompok yang kepatuhannya tersembunyi di bawah, menurut abjad." if ctx.viewer.suppressed else ".")
    chart(charts.compliance_bars(compliance, by), compliance, f"wajib-lapor-per-{by}", PAGE,
          f"Apa yang ditampilkan: {pt.DEFINITIONS['wajib_lapor']} {window}.{order} Siapa yang dihitung: wajib lapor "
          f"klien sesuai saringan; PK dan kecamatan menurut data klien terbaru.", ATTENDANCE)

# 3 -------------------------------------------------------------------------------------------------
st.subheader("Dosis: jam kegiatan yang dihadiri")
dose = cached(pt.dose_distribution)(ctx.filters, ctx.viewer)
if dose.empty:
    st.info("Tidak ada klien yang mengikuti kegiatan pada periode ini.")
else:
    summary = cached(pt.dose_summary)(ctx.filters, ctx.viewer)
    chart(charts.dose_histogram(dose, summary), dose, "dosis-jam", PAGE,
          f"Apa yang ditampilkan: {pt.DEFINITIONS['dosis']} Kelas jam melebar dua kali lipat; batas atas termasuk "
          f"kelasnya. Siapa yang dihitung: klien aktif sesuai saringan yang hadir ≥ 1 kali, "
          f"{fmt.period(ctx.filters.mulai, ctx.filters.akhir)}.", ATTENDANCE)

# 4 -------------------------------------------------------------------------------------------------
st.subheader("Penyelesaian program per angkatan")
completion = cached(pt.program_completion)(ctx.filters, ctx.viewer)
threshold = cached(pt.completion_threshold)()
if completion.empty:
    st.info("Tidak ada angkatan program yang berjalan pada periode ini.")
else:
    definition = pt.DEFINITIONS["penyelesaian"].format(ambang=fmt.percent(threshold, 0))
    chart(charts.completion_bars(completion, threshold), completion, "penyelesaian-program", PAGE,
          f"Apa yang ditampilkan: {definition} Garis putus-putus = ambang {fmt.percent(threshold, 0)}. Siapa yang "
          "dihitung: angkatan yang tanggalnya bersinggungan dengan periode, pesertanya klien sesuai saringan; untuk "
          "angkatan yang masih berjalan, dari sesi yang sudah terlaksana.", PROGRAMS)
    st.dataframe(charts.completion_table(completion), hide_index=True, width="stretch")
    options = pt.run_options(completion)

    def enrolled():
        run = st.selectbox("Angkatan", list(options), format_func=options.get, key="partisipasi_angkatan",
                           placeholder="Pilih angkatan")
        office, code = run.split("/", 1)
        return cached(pt.run_clients)(ctx.viewer, ctx.filters, code, kode_bapas=office)

    drilldown(PAGE, "Lihat peserta satu angkatan", enrolled, "peserta angkatan program")

# 5 -------------------------------------------------------------------------------------------------
st.subheader("Kesejahteraan klien yang mengakhiri bimbingan")
welfare_by = st.radio("Kelompokkan menurut", list(pt.WELFARE_BY), format_func=pt.WELFARE_BY.get, horizontal=True,
                      key="partisipasi_kesejahteraan")
welfare = cached(pt.welfare_outcomes)(ctx.filters, ctx.viewer, welfare_by)
if welfare.empty:
    st.info("Tidak ada klien yang mengakhiri bimbingan pada periode ini (MENINGGAL dan PINDAH tidak dihitung).")
else:
    chart(charts.welfare_bars(welfare, welfare_by), welfare, f"kesejahteraan-per-{welfare_by}", PAGE,
          f"Apa yang ditampilkan: {pt.DEFINITIONS['kesejahteraan']} Kelompok = {pt.WELFARE_BY[welfare_by].lower()} "
          "dari angkatan program yang pernah dihadiri klien; klien yang ikut beberapa masuk ke tiap kelompoknya. "
          f"Siapa yang dihitung: klien sesuai saringan yang berakhir "
          f"{fmt.period(ctx.filters.mulai, ctx.filters.akhir)}.", PROGRAMS)
    groups = pt.welfare_group_options(welfare)

    def ended():
        group = st.selectbox("Kelompok", list(groups), format_func=groups.get, key="partisipasi_kelompok",
                             placeholder="Pilih kelompok")
        return cached(pt.ended_clients)(ctx.viewer, ctx.filters, welfare_by, group)

    drilldown(PAGE, "Lihat klien yang berakhir dalam satu kelompok", ended, "klien berakhir per kelompok")

    placements = cached(pt.placements_by_partner)(ctx.filters, ctx.viewer)
    if placements.empty:
        st.info("Tidak ada klien berakhir dengan mitra penyalur tercatat pada periode ini.")
    else:
        chart(charts.placement_bars(placements), placements, "penempatan-per-mitra", PAGE,
              "Apa yang ditampilkan: klien yang berakhir dalam periode dengan «mitra penyalur» (mitra yang "
              "mempekerjakan atau menyalurkan) tercatat, per mitra. Siapa yang dihitung: sama dengan grafik di "
              "atas.", ("klien", "mitra"))
    income = cached(pt.income_by_work_status)(ctx.filters, ctx.viewer)
    st.markdown("**Penghasilan per bulan klien yang berakhir dan bekerja/usaha mandiri**")
    st.dataframe(charts.income_table(income), hide_index=True, width="stretch")
    st.caption("Median dari penghasilan yang tercatat saja; klien tanpa catatan penghasilan tidak ikut dihitung "
               f"dalam median. Data s.d. {fmt.date(ctx.as_of)}.")
    download(pt.income_table(income), "penghasilan-klien-berakhir", PAGE)

# 6 -------------------------------------------------------------------------------------------------
st.subheader("Perbandingan kohort: bekerja setelah N bulan")
left, right = st.columns([1, 3])
months = left.selectbox("N (bulan sejak mulai bimbingan)", pt.COHORT_MONTHS, index=1, key="partisipasi_n",
                        placeholder="Pilih N")
basis = right.radio("Yang disebut peserta", list(pt.COHORT_BASIS), format_func=pt.COHORT_BASIS.get, index=1,
                    key="partisipasi_basis")
cohort = cached(pt.cohort_comparison)(ctx.filters, ctx.viewer, months, basis)
if cohort.empty:
    st.info(f"Belum ada kasus yang mulai bimbingan ≥ {months} bulan sebelum {fmt.date(ctx.as_of)}.")
else:
    st.warning("**Perbandingan, bukan estimasi sebab-akibat.** Klien yang ikut program bisa berbeda sejak awal "
               "(motivasi, keterampilan, dukungan keluarga) dari yang tidak ikut.")
    chart(charts.cohort_bars(cohort, months), cohort, f"kohort-{months}-bulan", PAGE,
          f"Apa yang ditampilkan: {pt.DEFINITIONS['kohort'].replace('N bulan', f'{months} bulan')} Peserta = hadir "
          "(HADIR/TERLAMBAT) ≥ 1 kali dalam 6 bulan pertama bimbingan, menurut pilihan di atas. Data hanya "
          "menyimpan status pekerjaan terakhir yang diketahui, jadi yang dibandingkan adalah status terakhir "
          f"itu, di antara kasus yang mulai ≥ {months} bulan sebelum {fmt.date(ctx.as_of)}; status kosong dihitung "
          "tidak bekerja. Siapa yang dihitung: klien sesuai saringan (tidak bergantung pada periode); MENINGGAL dan "
          "PINDAH tidak dihitung.", ATTENDANCE)
