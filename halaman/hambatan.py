"""Hambatan: what stands in the way, where, and whether it is getting better — two sources, always kept apart."""
import streamlit as st

from analytics import charts_hambatan as charts, format as fmt, hambatan
from ui import audit_view_once, cached, chart, context, download, drilldown, guard, metric

PAGE = "Hambatan"
LOG, ABSENCE = hambatan.LOG, hambatan.ABSENCE
UNITS = {LOG: "catatan", ABSENCE: "kejadian"}
SLUGS = {LOG: "log-hambatan", ABSENCE: "alasan-ketidakhadiran"}
PARETO_COLUMNS = ["kategori", "label", "label_faktor", "jumlah", "persen", "persen_kumulatif", "disembunyikan"]
CLIENT_COLUMNS = {"no_register": "No. Register", "nama": "Nama", "pseudonim": "Pseudonim",
                  "program_integrasi": "Program integrasi", "kategori_pidana": "Kategori pidana",
                  "kecamatan": "Kecamatan", "pk_nama": "PK", "tanggal_mulai_bimbingan": "Mulai bimbingan",
                  "status": "Status", "status_pekerjaan": "Status pekerjaan"}
SMALL_NOTE = ("Angka 1–9 ditampilkan sebagai «<10» (aturan bilangan kecil); beberapa angka lain ikut disembunyikan "
              "(batang abu-abu bergaris) agar tidak dapat dihitung balik dari jumlahnya, begitu pula persentase yang "
              "dihitung darinya.")
ALL_HIDDEN = "semua angka rinciannya disembunyikan (aturan bilangan kecil)."
LONGER = " Pilih periode yang lebih panjang untuk melihatnya."

guard("hambatan")
ctx = context()
filters, viewer = ctx.filters, ctx.viewer
period, before = fmt.period(filters.mulai, filters.akhir), fmt.period(filters.previous().mulai,
                                                                     filters.previous().akhir)
trend_span = f"{hambatan.quarter_label(hambatan.window(filters)[0])} s.d. {fmt.month(filters.akhir)}"

st.title("Hambatan")
st.caption(f"{period} dibanding periode sebelumnya ({before}) · data s.d. {fmt.date(ctx.as_of)}")
st.markdown("Dua sumber, selalu dihitung terpisah: **log hambatan** (buku catatan hambatan program yang diisi "
            "petugas) dan **alasan ketidakhadiran** (alasan pada baris kehadiran selain HADIR, dipetakan ke kategori "
            "yang sama). Faktor **internal** ada di tangan Bapas; **eksternal** datang dari klien, keluarga, mitra, "
            "atau masyarakat.")

paretos = {source: cached(hambatan.category_pareto)(filters, viewer, source) for source in hambatan.SOURCES}
changes = {source: cached(hambatan.category_change)(filters, viewer, source) for source in hambatan.SOURCES}
if all(frame.empty for frame in paretos.values()):
    st.info(f"Tidak ada hambatan tercatat pada {period} — baik di log hambatan maupun pada alasan ketidakhadiran. "
            "Pilih periode atau saringan lain di samping.")
    st.stop()
if viewer.suppressed:
    st.caption(SMALL_NOTE)
if filters.program_integrasi or filters.pk_nip:
    st.caption(hambatan.DEFINITIONS["saringan"])


def _count(n, unit: str) -> str:
    return f"jumlah {unit} disembunyikan" if n is None else f"{fmt.number(n)} {unit}"


st.header("Hambatan terbanyak")
for source, frame in paretos.items():
    if frame.empty:
        st.info(f"{source}: tidak ada pada {period}.")
    elif not hambatan.any_shown(frame, "kategori"):
        st.info(f"{source}, {period}: {_count(hambatan.total_counts(changes[source])[0], UNITS[source])}; "
                + ALL_HIDDEN + LONGER)
    else:
        chart(charts.pareto(frame, f"{source}: kategori terbanyak, {period}", UNITS[source]),
              frame[PARETO_COLUMNS], f"pareto-{SLUGS[source]}", PAGE,
              "Apa yang ditampilkan: jumlah per kategori (batang, diwarnai menurut faktor) dan persentase "
              "kumulatifnya (garis; kategori sampai garis 80% adalah «yang sedikit tetapi menentukan»). Siapa yang "
              f"dihitung: {hambatan.DEFINITIONS[source]}", hambatan.SOURCE_KINDS[source])


def _trend(source: str, by: str, title: str, colours: dict, legend: str, caption: str) -> None:
    frame = cached(hambatan.quarterly_trend)(filters, viewer, source, by)
    if not hambatan.any_shown(frame, column="jumlah"):
        st.info(f"{title}: " + ("tidak ada dalam " + trend_span + "." if not frame["jumlah"].fillna(1).any()
                                else ALL_HIDDEN))
        return
    chart(charts.quarterly(frame, title, UNITS[source], colours, legend), frame, f"tren-{SLUGS[source]}-{by}", PAGE,
          caption, hambatan.SOURCE_KINDS[source])


st.header("Tren per triwulan")
st.caption(f"Delapan triwulan: {trend_span}. Angka di atas batang = jumlah triwulan itu.")
log_tab, absence_tab = st.tabs(["Log hambatan", "Alasan ketidakhadiran"])
with log_tab:
    by = st.radio("Rinci menurut", ["faktor", "kategori"], format_func=hambatan.GROUPING_LABELS.get,
                  horizontal=True, key="hambatan_rinci_log")
    _trend(LOG, by, f"Log hambatan per triwulan, menurut {hambatan.GROUPING_LABELS[by].lower()}",
           charts.FACTOR_COLOURS if by == "faktor" else charts.KATEGORI_COLOURS, hambatan.GROUPING_LABELS[by],
           "Apa yang ditampilkan: catatan log hambatan per triwulan tanggal catatannya. Siapa yang dihitung: baris "
           f"log dalam {trend_span}.")
    _trend(LOG, "status", "Log hambatan per triwulan: terbuka, sedang ditangani, selesai", charts.STATUS_COLOURS,
           "Status sekarang",
           "Apa yang ditampilkan: catatan per triwulan tanggal catatannya, diwarnai menurut status penanganannya "
           "dalam berkas terakhir yang dimuat (bukan statusnya pada triwulan itu). Siapa yang dihitung: baris log "
           f"dalam {trend_span}.")
    for by_what in ("program", "mitra"):
        ranking = cached(hambatan.obstacles_by)(filters, viewer, by_what)
        title = f"Catatan log hambatan per {by_what}, {trend_span}"
        if ranking.empty:
            st.info(f"Tidak ada catatan log yang menyebut {by_what} dalam {trend_span}.")
        elif not hambatan.any_shown(ranking, column="jumlah"):
            st.info(f"{title}: {ALL_HIDDEN}")
        else:
            chart(charts.ranking(ranking, title, "catatan"), ranking, f"log-hambatan-per-{by_what}", PAGE,
                  f"Apa yang ditampilkan: catatan log per {by_what}, dipisah menurut faktor; yang terbanyak di atas. "
                  f"Siapa yang dihitung: baris log dalam {trend_span} yang menyebut {by_what}"
                  + (" (langsung, atau lewat program yang diselenggarakannya)." if by_what == "mitra" else "."),
                  ("hambatan", "program", "mitra"))
with absence_tab:
    by = st.radio("Rinci menurut", ["faktor", "kategori"], format_func=hambatan.GROUPING_LABELS.get,
                  horizontal=True, key="hambatan_rinci_absen", index=1)
    _trend(ABSENCE, by, f"Alasan ketidakhadiran per triwulan, menurut {hambatan.GROUPING_LABELS[by].lower()}",
           charts.FACTOR_COLOURS if by == "faktor" else charts.KATEGORI_COLOURS, hambatan.GROUPING_LABELS[by],
           "Apa yang ditampilkan: baris kehadiran selain HADIR per triwulan, menurut kategori alasannya; jumlahnya "
           "ikut naik-turun dengan banyaknya kegiatan terjadwal. Siapa yang dihitung: klien sesuai saringan, "
           f"{trend_span}.")

st.header("Hambatan dan hasil")
st.caption("Perbandingan, bukan sebab-akibat: kelompok yang dibandingkan bisa berbeda dalam banyak hal lain.")
reports = cached(hambatan.compliance_by_absence_reason)(filters, viewer)
if reports.empty:
    st.info(f"Tidak ada wajib lapor terjadwal pada {period}.")
else:
    chart(charts.compliance_groups(reports), reports, "kepatuhan-menurut-alasan-ketidakhadiran", PAGE,
          f"Apa yang ditampilkan: kepatuhan wajib lapor {period} = wajib lapor hadir atau terlambat ÷ terjadwal, "
          "dijumlah per kelompok (dan yang tepat waktu saja). Siapa yang dihitung: klien dengan wajib lapor "
          "terjadwal, dikelompokkan menurut ketidakhadirannya (izin atau tidak hadir, kegiatan apa pun) dalam "
          "periode: ada yang beralasan jarak/biaya transport; hanya alasan lain; tanpa ketidakhadiran (kelompok "
          "ini patuh 100% menurut definisinya — pembanding saja).", ("kehadiran",))
completion = cached(hambatan.completion_by_interest_obstacle)(filters, viewer)
if completion.empty:
    st.info(f"Tidak ada program dengan peserta yang berakhir dalam {trend_span}.")
else:
    chart(charts.completion_groups(completion), completion, "penyelesaian-menurut-catatan-minat", PAGE,
          "Apa yang ditampilkan: peserta yang menyelesaikan (hadir ≥ 75% sesi) ÷ peserta, dijumlah per kelompok "
          f"program. Siapa yang dihitung: program dengan peserta yang berakhir dalam {trend_span}, dipisah menurut "
          "ada/tidaknya catatan log «program tidak sesuai minat atau kebutuhan klien» untuk program itu (kapan pun "
          "dicatat).", ("program", "kehadiran", "hambatan"))
    flagged = cached(hambatan.programs_with_interest_obstacle)(filters, viewer)
    if flagged is not None and not flagged.empty:
        with st.expander(f"Program dengan catatan «tidak sesuai minat» ({len(flagged)})"):
            shown = flagged.assign(tanggal_selesai=flagged["tanggal_selesai"].map(fmt.date),
                                   tingkat_penyelesaian=flagged["tingkat_penyelesaian"].map(fmt.percent))
            st.dataframe(shown.rename(columns={
                "kode_program": "Kode", "nama_program": "Program", "nama_mitra": "Mitra",
                "tanggal_selesai": "Selesai", "catatan": "Catatan", "peserta": "Peserta",
                "selesai": "Menyelesaikan", "tingkat_penyelesaian": "Tingkat penyelesaian"}),
                hide_index=True, width="stretch")
            download(flagged, "program-catatan-tidak-sesuai-minat", PAGE)

st.header("Apa yang berubah")
st.caption(f"{period} dibanding {before} (periode sebelumnya yang sama panjang).")
for column, source in zip(st.columns(2), hambatan.SOURCES):
    now, earlier = hambatan.total_counts(changes[source])
    metric(column, f"{source}, {period}", "<10" if now is None else fmt.number(now),
           None if now is None or earlier is None else fmt.change(now - earlier), delta_color="inverse",
           help=f"Jumlah {UNITS[source]}; {before}: {_count(earlier, UNITS[source])}.")
for source, frame in changes.items():
    title = f"{source}: perubahan per kategori"
    if frame.empty:
        st.info(f"{source}: tidak ada pada {period} maupun {before}.")
    elif not hambatan.any_shown(frame, "kategori"):
        st.info(f"{title}: {ALL_HIDDEN}{LONGER}")
    else:
        chart(charts.change(frame, title, UNITS[source]), frame.drop(columns=["label_singkat"]),
              f"perubahan-{SLUGS[source]}", PAGE,
              f"Apa yang ditampilkan: jumlah per kategori pada {period} dikurangi jumlahnya pada {before}; merah = "
              f"bertambah, hijau = berkurang. Siapa yang dihitung: {hambatan.DEFINITIONS[source]}",
              hambatan.SOURCE_KINDS[source])

st.header("Rincian per kategori")
found = cached(hambatan.categories)(filters)
if not found:
    st.info(f"Tidak ada kategori hambatan pada {period} yang sesuai saringan.")
    st.stop()
options = {code: label for code, label, _ in found}
in_source = {code: sources for code, _, sources in found}
both = [code for code, _, sources in found if len(sources) == 2]
kategori = st.selectbox("Kategori hambatan", list(options), format_func=options.get, key="hambatan_kategori",
                        placeholder="Pilih kategori",
                        index=list(options).index(both[0]) if both else 0)
st.caption("Tercatat pada " + " dan ".join(s.lower() for s in in_source[kategori]) + f", {period}.")
if viewer.person_level is None:
    st.caption("Catatan log dan daftar klien di balik angka ini tidak tersedia untuk peran Anda (hanya data "
               "agregat).")
    st.stop()


def _clients(fetch):
    frame = fetch()
    for column in ("status", "status_pekerjaan"):
        frame[column] = frame[column].map(fmt.code)
    frame["tanggal_mulai_bimbingan"] = [fmt.date(d.date()) if hasattr(d, "date") else fmt.date(d)
                                        for d in frame["tanggal_mulai_bimbingan"]]
    return frame.rename(columns=CLIENT_COLUMNS)


if LOG in in_source[kategori]:
    rows = cached(hambatan.log_rows)(filters, viewer, kategori)
    with st.expander(f"Catatan log hambatan «{options[kategori]}» ({fmt.number(len(rows))})"):
        if rows.empty:
            st.info("Tidak ada catatan log untuk kategori ini yang sesuai saringan.")
        else:
            if rows["menyebut_klien"].any():
                audit_view_once(PAGE, len(rows), f"catatan log hambatan {kategori}")
            shown = rows.assign(tanggal=rows["tanggal"].map(fmt.date),
                                menyebut_klien=rows["menyebut_klien"].map({True: "Ya", False: "Tidak"}))
            shown = shown.fillna("–")
            st.dataframe(shown.rename(columns={
                "tanggal": "Tanggal", "faktor": "Faktor", "uraian": "Uraian", "nama_program": "Program",
                "nama_mitra": "Mitra", "status": "Status", "tindak_lanjut": "Tindak lanjut",
                "dilaporkan_oleh": "Dilaporkan oleh", "menyebut_klien": "Menyebut klien"}),
                hide_index=True, width="stretch")
            download(rows, f"log-hambatan-{kategori.lower()}", PAGE, person_level=bool(rows["menyebut_klien"].any()))
    drilldown(PAGE, f"Klien yang disebut dalam catatan log «{options[kategori]}»",
              lambda: _clients(lambda: cached(hambatan.clients_in_log)(viewer, filters, kategori)),
              f"klien disebut log hambatan {kategori}")
if ABSENCE in in_source[kategori]:
    drilldown(PAGE, f"Klien yang ketidakhadirannya beralasan «{options[kategori]}»",
              lambda: _clients(lambda: cached(hambatan.clients_citing)(viewer, filters, kategori)),
              f"klien alasan ketidakhadiran {kategori}")
