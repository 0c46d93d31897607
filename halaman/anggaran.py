"""Anggaran: is the money spent as planned, and what does a participant cost? (DATA.md §4, §7 "Serapan anggaran")"""
import datetime as dt

import streamlit as st

from analytics import anggaran, charts_anggaran as charts, format as fmt
from ui import cached, chart, context, download, guard, metric, right_aligned

PAGE = "Anggaran"
BUDGET = ("anggaran",)
guard("anggaran")
ctx = context()
st.title("Anggaran")
st.caption("Apakah anggaran terserap sesuai rencana, dan berapa biaya per peserta program? "
           f"Data s.d. {fmt.date(ctx.as_of)}.")

years = cached(anggaran.budget_years)(ctx.filters)
if not years:
    st.info(f"Belum ada data anggaran s.d. tahun anggaran {ctx.filters.akhir.year} untuk saringan ini. "
            "Muat berkas «Realisasi Anggaran» lewat operator.")
    st.stop()
if st.session_state.get("anggaran_tahun") not in years:
    st.session_state["anggaran_tahun"] = anggaran.default_year(ctx.filters, years)
tahun = st.selectbox("Tahun anggaran", years, format_func=lambda y: f"TA {y}", key="anggaran_tahun", placeholder="Pilih tahun",
                     help="Bawaan: tahun dari akhir periode pada saringan di samping.")
sampai = anggaran.through_month(ctx.filters, tahun)
through = f"Januari s.d. {fmt.month(ctx.filters.akhir)}" if sampai < 12 else f"Januari–Desember {tahun}"
st.caption(f"Realisasi dihitung {through}. Saringan kantor berlaku di halaman ini; saringan program integrasi "
           "dan PK tidak berlaku untuk anggaran, karena baris anggaran tidak tercatat per klien.")
if ctx.filters.program_integrasi or ctx.filters.pk_nip:
    st.info("Saringan program integrasi / PK yang Anda pilih tidak mengubah angka di halaman ini.")

summary = cached(anggaran.year_summary)(ctx.filters, tahun)
cols = st.columns([3, 3, 2, 2])
metric(cols[0], f"Pagu TA {tahun}", fmt.rupiah(summary["pagu"]), help="Jumlah baris pagu tahunan (bulan kosong).")
metric(cols[1], f"Realisasi s.d. {fmt.BULAN_SINGKAT[sampai]} {tahun}", fmt.rupiah(summary["realisasi"] or 0),
       help="Jumlah realisasi baris bulanan.")
metric(cols[2], "Serapan", fmt.percent(summary["serapan"]), help=anggaran.DEFINITIONS["serapan"])
metric(cols[3], "Rata-rata deviasi RPD", fmt.percent(summary["deviasi_rata"]), help=anggaran.DEFINITIONS["deviasi"])
if summary["bulan_dinilai"]:
    st.caption(f"Bulan dengan realisasi menyimpang lebih dari {fmt.percent(anggaran.DEVIATION_THRESHOLD, 0)} dari "
               f"rencana (RPD) pada TA {tahun}, {fmt.period(dt.date(tahun, 1, 1), dt.date(tahun, sampai, 1))}: "
               f"{int(summary['bulan_di_atas_ambang'])} dari {int(summary['bulan_dinilai'])} bulan yang sudah ada "
               "realisasinya; rata-rata deviasi di atas dihitung atas bulan-bulan yang sama. Ringkasan menghitung "
               "hanya bulan-bulan periode saringan.")

# 1. Pagu vs realisasi per account, and absorption across years
st.subheader("Pagu dan realisasi per akun")
accounts = cached(anggaran.absorption_by_account)(ctx.filters, tahun)
if accounts.empty:
    st.info(f"Tidak ada baris anggaran TA {tahun} untuk saringan ini.")
    st.stop()
chart(charts.pagu_vs_realisasi(accounts, tahun, sampai), accounts, f"pagu-realisasi-akun-{tahun}", PAGE,
      "Apa yang ditampilkan: pagu tahunan (batang muda) dan realisasi (batang biru) tiap akun belanja, dengan "
      "serapan = realisasi ÷ pagu; merah = akun yang punya baris realisasi melebihi pagu. Siapa yang dihitung: "
      "semua baris anggaran kantor terpilih (bukan data klien).", BUDGET)
over = anggaran.over_ceiling(accounts)
if over:
    st.warning("Realisasi melebihi pagu pada akun: " + ", ".join(over) + ". Periksa rinciannya di bawah.")

with st.expander("Rincian baris anggaran per akun"):
    labels = dict(zip(accounts["kode_akun"], accounts["akun"]))
    akun = st.selectbox("Akun", list(labels), format_func=labels.get, key="anggaran_akun",
                        placeholder="Pilih akun")
    lines = cached(anggaran.budget_lines)(ctx.filters, tahun, akun)
    st.dataframe(anggaran.display_table(lines, {
        "bulan": "Bulan", "program": "Program", "uraian": "Uraian", "pagu": "Pagu", "rencana": "Rencana (RPD)",
        "realisasi": "Realisasi", "melebihi_pagu": "Lebih pagu", "sumber_baris": "Baris"},
        money=("pagu", "rencana", "realisasi")), hide_index=True, width="stretch",
        column_config={"Bulan": st.column_config.TextColumn(width=85),
                       "Program": st.column_config.TextColumn(width=140),
                       "Uraian": st.column_config.TextColumn(width=170),
                       **right_aligned(("Pagu", "Rencana (RPD)", "Realisasi"), width=102),
                       "Lebih pagu": st.column_config.TextColumn(width=80),
                       "Baris": st.column_config.NumberColumn(width=55, help="Nomor baris Excel asal")})
    st.caption("Baris anggaran seperti dimuat, dengan nomor baris Excel asalnya (berkas dan lembar ada di unduhan).")
    download(lines, f"baris-anggaran-{akun}-{tahun}", PAGE)

years_accounts = cached(anggaran.absorption_by_year)(ctx.filters)
chart(charts.absorption_heatmap(years_accounts), years_accounts, "serapan-per-tahun-akun", PAGE,
      "Apa yang ditampilkan: serapan (realisasi ÷ pagu) tiap tahun anggaran dan akun; tahun berjalan s.d. bulan "
      "akhir periode. «*» = ada baris yang realisasinya melebihi pagu. Siapa yang dihitung: semua baris anggaran "
      "kantor terpilih.", BUDGET)

# 2. Monthly realisation against plan
st.subheader("Realisasi bulanan dibanding rencana (RPD)")
if not summary["baris_bulanan"]:
    st.info(f"Belum ada baris bulanan (rencana/realisasi) untuk TA {tahun}.")
else:
    monthly = cached(anggaran.monthly_deviation)(ctx.filters, tahun)
    chart(charts.monthly_plan_vs_realisation(monthly, tahun, summary["deviasi_rata"]), monthly,
          f"realisasi-vs-rpd-{tahun}", PAGE,
          "Apa yang ditampilkan: realisasi tiap bulan dibanding rencana penarikan dana (RPD, Halaman III DIPA); "
          "deviasi = |realisasi − rencana| ÷ rencana, merah bila di atas 10% (konsep IKPA), garis titik = rata-rata "
          "bulan yang sudah ada realisasinya. Siapa yang dihitung: semua baris anggaran bulanan kantor terpilih.",
          BUDGET)

# 3. Cumulative absorption
st.subheader("Serapan kumulatif")
if not summary["pagu"]:
    st.info(f"Pagu TA {tahun} belum diisi (baris dengan bulan kosong), jadi serapan kumulatif tidak dapat dihitung.")
else:
    cumulative = cached(anggaran.cumulative_absorption)(ctx.filters, tahun)
    chart(charts.cumulative_absorption(cumulative, tahun), cumulative, f"serapan-kumulatif-{tahun}", PAGE,
          "Apa yang ditampilkan: realisasi kumulatif ÷ pagu tahunan per bulan, dibanding rencana kumulatif (RPD) ÷ "
          "pagu dan garis lurus (bulan ke-k ÷ 12). Siapa yang dihitung: semua baris anggaran kantor terpilih.",
          BUDGET)

# 4. Spending by program
st.subheader("Belanja per program")
programs = cached(anggaran.spending_by_program)(ctx.filters, tahun)
chart(charts.spending_by_program(programs, tahun, sampai), programs, f"belanja-per-program-{tahun}", PAGE,
      "Apa yang ditampilkan: pagu dan realisasi baris anggaran menurut kode program (nama dari daftar program); "
      "baris tanpa kode program digabung sebagai «Tanpa program (umum)»; persen = bagian dari seluruh realisasi. "
      "Siapa yang dihitung: semua baris anggaran kantor terpilih.", ("anggaran", "program"))

# 5. Cost per participant and per attended hour
st.subheader("Biaya per peserta dan per jam hadir")
costs = cached(anggaran.cost_per_participant)(ctx.filters, tahun, ctx.viewer)
if costs.empty:
    st.info(f"Tidak ada baris anggaran TA {tahun} yang terkait dengan kode program, jadi biaya per peserta "
            "tidak dapat dihitung.")
    st.stop()
caption = ("Apa yang ditampilkan: realisasi baris anggaran tiap program (semua tahun anggaran, s.d. akhir periode) ÷ "
           "peserta, dan ÷ jam hadir. Siapa yang dihitung: peserta = klien yang punya baris kehadiran pada program "
           "itu s.d. akhir periode (semua klien; saringan program integrasi/PK tidak berlaku); jam hadir = durasi "
           "baris HADIR/TERLAMBAT.")
if ctx.viewer.suppressed:
    caption += " Program dengan 1–9 peserta: jumlah peserta dan biaya per peserta disembunyikan («<10»)."
chart(charts.cost_per_participant(costs), costs, f"biaya-per-peserta-{tahun}", PAGE, caption,
      ("anggaran", "program", "kehadiran"))
cost_columns = {"program": "Program", "peserta": "Peserta", "jam_hadir": "Jam hadir", "realisasi": "Realisasi",
                "biaya_per_peserta": "Biaya per peserta", "biaya_per_jam": "Biaya per jam hadir"}
money, hours, people = ("realisasi", "biaya_per_peserta", "biaya_per_jam"), ("jam_hadir",), ("peserta",)
# numbers reach the table as Indonesian text: aligned right, as on Jelajah
st.dataframe(anggaran.display_table(costs, cost_columns, money=money, numbers=hours, counts=people,
                                    hidden_with_count=("biaya_per_peserta",)), hide_index=True, width="stretch",
             column_config=right_aligned(cost_columns[c] for c in (*people, *hours, *money)))
chart(charts.program_cost_composition(costs), anggaran.cost_composition(costs),
      f"komposisi-belanja-program-{tahun}", PAGE,
      "Apa yang ditampilkan: bagian realisasi tiap program menurut kelompok akun — transport/honor narasumber "
      "(524113, 521213, 522151), konsumsi/bahan (521211), lainnya. Siapa yang dihitung: baris anggaran program itu.",
      ("anggaran", "program"))
