"""Unggah Data: upload the monthly spreadsheets, see what the loader would do, load, undo, check the data."""
import hashlib
import logging
import re
import shutil
import tempfile
import time
from pathlib import Path

import streamlit as st

from analytics import format as fmt, kualitas, ringkasan
from analytics.report import office_names
from analytics.db import DataUnavailable
from etl import config, ditolak, spec
from etl.extract import suffixes
from etl.load import LoadError, clear_demo, load_files, preview_files, undo_run
from etl.templates import FILE_NAMES, write_template
from ui import audit, cached, context, guard

guard("unggah")
PAGE = "Unggah Data"
TYPES = [s.lstrip(".") for s in suffixes()]  # what the loader reads, as `python -m etl load --help` lists it
AUTO = "otomatis"
UNEXPECTED = ("terjadi kesalahan tak terduga. Rinciannya sudah dicatat di log server; periksa berkasnya, atau "
              "hubungi pengembang dengan menyebut waktu kejadian.")
log = logging.getLogger("bapas")
ctx = context()
me = st.session_state["akun"]
limit_mb = int(st.get_option("server.maxUploadSize"))  # the same limit as Streamlit's, so our message shows

st.title("Unggah Data")
st.caption("Muat berkas Excel/CSV bulanan ke basis data. Setiap berkas diperiksa lebih dulu dengan aturan pemuat data "
           "yang sama; tidak ada yang ditulis sebelum tombol «Muat» ditekan. Saringan di panel samping tidak berlaku "
           "di halaman ini.")


NOTHING_TO_LOAD = ("Tidak ada baris yang dapat dimuat: semua baris ditolak (alasannya di atas) atau tidak ada baris "
                   "data. Perbaiki berkas, lalu unggah lagi; basis data tidak diubah.")


def _safe_name(name: str) -> str:
    """The uploaded file's own name, without folders or characters a file system refuses."""
    base = re.sub(r"[\x00-\x1f/\\:*?\"<>|]", "_", Path(name.replace("\\", "/")).name).strip(" .")
    stem, suffix = Path(base).stem[:120], Path(base).suffix.lower()
    return (stem or "berkas") + suffix


STALE_HOURS = 2  # a session ends after 30 idle minutes; its uploaded files may go well after that


def _sweep() -> None:
    """Remove the upload folders of sessions that have ended (their files hold personal data)."""
    cutoff = time.time() - STALE_HOURS * 3600
    for old in Path(tempfile.gettempdir()).glob("bapas-unggah-*"):
        try:
            if old.is_dir() and old.stat().st_mtime < cutoff and all(f.stat().st_mtime < cutoff for f in old.iterdir()):
                shutil.rmtree(old, ignore_errors=True)
        except OSError:  # another session swept it first
            continue


def _folder() -> Path:
    """This session's private folder for uploaded files (created 0700 by tempfile)."""
    folder = st.session_state.get("unggah_folder")
    if not folder or not Path(folder).is_dir():
        _sweep()
        folder = tempfile.mkdtemp(prefix="bapas-unggah-")
        st.session_state["unggah_folder"] = folder
    return Path(folder)


def _save(uploads) -> tuple[list[Path], str]:
    """Write the accepted uploads under their own names; returns their paths and a digest of the set."""
    accepted, seen, digest = [], set(), hashlib.sha256()
    for upload in uploads:
        name = _safe_name(upload.name)
        if upload.size > limit_mb * 1024 * 1024:
            st.error(f"{name}: ukuran berkas {fmt.number(upload.size / 1024 / 1024, 1)} MB melebihi batas "
                     f"{limit_mb} MB per berkas. Pecah berkas menjadi beberapa bagian (mis. per tahun atau per "
                     "lembar kerja), atau simpan sebagai .csv, lalu unggah lagi.")
            continue
        if name.lower() in seen:
            st.error(f"{name}: ada dua berkas bernama sama; ganti nama salah satunya lalu unggah lagi.")
            continue
        seen.add(name.lower())
        data = upload.getvalue()
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
        accepted.append((name, data))
    key = digest.hexdigest()[:16]
    folder = _folder() / key
    for old in _folder().iterdir():
        if old.name != key:
            shutil.rmtree(old, ignore_errors=True)
    folder.mkdir(exist_ok=True)
    paths = []
    for name, data in accepted:
        path = folder / name
        if not path.is_file():
            path.write_bytes(data)
        paths.append(path)
    return paths, key


def _preview(paths: list[Path], kind: str | None, office: str) -> dict | None:
    """The loader's report of what it would do, or None after saying why there is none."""
    try:
        return preview_files(paths, db_path=ctx.db_path, kind=kind, office=office)
    except LoadError as exc:
        st.error(f"Berkas belum dapat diperiksa: {exc}")
        return None
    except Exception:
        log.exception("pratinjau unggahan gagal")
    culprits = []
    for path in paths:  # which file trips the reader
        try:
            preview_files([path], db_path=ctx.db_path, kind=kind, office=office)
        except Exception:
            culprits.append(path.name)
    names = ", ".join(culprits) if culprits else "salah satu berkas"
    st.error(f"Saat memeriksa {names} {UNEXPECTED} Keluarkan berkas itu dari daftar unggahan untuk memuat berkas "
             "lainnya.")
    return None


# the reason is the column people read whole: give it the room (the table scrolls sideways if need be)
ROW_COLUMNS = {"Baris": st.column_config.TextColumn(width="small"),
               "Alasan": st.column_config.TextColumn(width="large"),
               "Pesan": st.column_config.TextColumn(width="large")}


def _show_report(report: dict, loaded: bool) -> None:
    summary = kualitas.report_summary(report, loaded)
    st.dataframe(summary, hide_index=True, width="stretch")
    if (summary["Status"] == kualitas.RUN_STATUS["skipped"]).any():
        st.caption("Lembar kerja berstatus «Dilewati» tidak berisi tabel data yang dikenali dan tidak dimuat; "
                   "alasannya ada di «Peringatan».")
    for line in kualitas.file_errors(report):
        st.error(line)
    rejected = kualitas.report_rows(report, "errors")
    if len(rejected):
        st.markdown(f"**{kualitas.rejected_title(rejected)}** — baris ini tidak dimuat; berkas lain dan baris lain "
                    "tetap dimuat.")
        st.dataframe(rejected, hide_index=True, width="stretch", column_config=ROW_COLUMNS)
    warnings = kualitas.report_rows(report, "warnings")
    if len(warnings):
        with st.expander(f"Peringatan ({fmt.number(len(warnings))}) — tidak menghalangi muat"):
            st.dataframe(warnings, hide_index=True, width="stretch", column_config=ROW_COLUMNS)


def _rejected_downloads(paths: list[Path], report: dict, key: str) -> None:
    """One download per file with rejected rows: the rows as they were, plus «Alasan ditolak»."""
    built = st.session_state.setdefault("unggah_ditolak", {})
    for path in paths:
        rows = sum(e["rows_rejected"] for e in report["files"] if e["file"] == path.name and e["status"] == "loaded")
        if not rows:
            continue
        if (key, path.name) not in built:
            try:
                built[(key, path.name)] = ditolak.workbook(path, report)
            except Exception:
                log.exception("berkas baris ditolak gagal dibuat")
                built[(key, path.name)] = None
        data = built[(key, path.name)]
        if data is None:
            st.warning(f"{path.name}: berkas baris ditolak tidak dapat dibuat; {UNEXPECTED}")
            continue
        st.download_button(f"Unduh baris ditolak dari {path.name} ({fmt.number(rows)} baris)", data,
                           file_name=ditolak.file_name(path.name), key=f"unggah-ditolak-{key}-{path.name}",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           on_click=audit, args=("UNDUH", PAGE, rows, f"baris ditolak {path.name}"))


def _office_choice(column) -> tuple[str, str | None]:
    """The kode_bapas for rows without one (the configured office unless another is typed), and what is wrong with a
    typed code."""
    default = config.kode_bapas()
    try:
        known = cached(ringkasan.choices)()["kode_bapas"]
    except DataUnavailable:
        known = []
    names = office_names()
    listed = ", ".join(f"{c} ({names[c]})" if c in names else c for c in sorted(set(known) | {default}))
    typed = column.text_input(
        "Kode kantor untuk baris tanpa Kode Bapas", value=default, key="unggah_kantor",
        help=f"Bila lembar punya kolom «Kode Bapas» yang terisi, kode di kolom itu yang dipakai. Bawaan: {default}, "
             "dari pengaturan kantor (BAPAS_KODE atau kode_bapas di konfigurasi.toml). Kode yang sudah ada di basis "
             f"data: {listed}. Ketik kode baru untuk kantor yang belum ada datanya.")
    try:
        return config.office_code(typed if typed.strip() else default), None
    except ValueError as exc:
        return default, str(exc)


def _load(paths: list[Path], kind: str | None, office: str) -> None:
    bar = st.progress(0.0, text="Mulai memuat")
    try:
        report = load_files(paths, db_path=ctx.db_path, kind=kind, user=me.nama_pengguna, office=office,
                            progress=lambda message, fraction: bar.progress(min(max(float(fraction), 0.0), 1.0),
                                                                            text=message))
    except LoadError as exc:
        bar.empty()
        st.error(f"Data tidak dimuat: {exc}")
        return
    except Exception:
        log.exception("muat dari halaman unggah gagal")
        bar.empty()
        st.error(f"Data tidak dimuat: {UNEXPECTED} Data yang sudah ada tidak berubah.")
        return
    if report.get("id_muat") is None:  # every row rejected (the data changed since the check): nothing written
        bar.empty()
        st.warning(NOTHING_TO_LOAD)
        return
    shutil.rmtree(paths[0].parent, ignore_errors=True)  # loaded: the copies are no longer needed
    rows = sum(e["rows_loaded"] for e in report["files"])
    audit("MUAT_DATA", PAGE, rows, f"muat nomor {report.get('id_muat')}: " + ", ".join(p.name for p in paths))
    st.session_state["unggah_hasil"] = report
    st.cache_data.clear()  # every cached figure describes the data before this load
    st.session_state["unggah_putaran"] = st.session_state.get("unggah_putaran", 0) + 1  # empties the uploader
    st.rerun()


def _demo_out() -> None:
    """While the database holds demo data: say so, and take it out on request (kept as a backup)."""
    st.warning("Basis data ini masih berisi **data demo**. Data kantor yang dimuat sekarang akan tercampur dengan "
               "klien, kehadiran dan anggaran buatan generator, juga di Paparan Kanwil. Keluarkan data demo lebih "
               "dulu; basis data sebelumnya disimpan sebagai cadangan.")
    sure = st.checkbox("Saya mengerti: semua baris data demo dikeluarkan (baris dari muat lain tetap).",
                       key="unggah_demo_yakin")
    if st.button("Keluarkan data demo", key="unggah_demo_keluar", disabled=not sure):
        try:
            removed = clear_demo(ctx.db_path)
        except LoadError as exc:
            st.error(f"Data demo tidak dikeluarkan: {exc}")
            return
        except Exception:
            log.exception("mengeluarkan data demo gagal")
            st.error(f"Data demo tidak dikeluarkan: {UNEXPECTED} Data yang sudah ada tidak berubah.")
            return
        rows = sum(removed.values())
        audit("KELUARKAN_DEMO", PAGE, rows, "data demo dikeluarkan: " + ", ".join(
            f"{n} baris {t}" for t, n in removed.items()))
        st.cache_data.clear()
        st.session_state.pop("unggah_demo_yakin", None)
        st.session_state["unggah_demo_hasil"] = (f"Data demo dikeluarkan ({fmt.number(rows)} baris). Basis data "
                                                 "siap untuk data kantor; templat kosong ada di bawah. Akun demo "
                                                 "masih aktif: kepala membuat akun kantor dan menonaktifkan akun "
                                                 "demo di halaman Pengguna.")
        st.rerun()


# -------------------------------------------------------------------------------------------------
if ctx.demo:
    _demo_out()
if notice := st.session_state.pop("unggah_demo_hasil", None):
    st.success(notice)
st.subheader("Pilih berkas")
if result := st.session_state.pop("unggah_hasil", None):
    message, some_rejected = kualitas.load_outcome(result)
    (st.warning if some_rejected else st.success)(message)
    _show_report(result, loaded=True)
    st.caption("Hasil pemeriksaan kualitas data sesudah muat ini ada di bagian «Kualitas data» di bawah.")

uploads = st.file_uploader(
    "Seret berkas ke sini atau klik untuk memilih (boleh beberapa sekaligus)", type=TYPES,
    accept_multiple_files=True, key=f"unggah_berkas_{st.session_state.get('unggah_putaran', 0)}")
if uploads:  # the uploader's own chips shorten long names and give sizes English-style (app.py hides those)
    st.caption("Berkas terpilih: " + "; ".join(f"{fmt.plain(u.name)} ({fmt.size(u.size)})" for u in uploads) + ".")
st.caption(f"Jenis berkas: {', '.join(suffixes())}; paling besar {limit_mb} MB per berkas. Berkas bertanda merah "
           "ditolak peramban dan tidak ikut diperiksa (arahkan kursor ke berkas itu untuk alasannya, lalu hapus "
           "dengan tanda ×). "
           "Rumus tidak dihitung ulang: dipakai nilai yang terakhir disimpan Excel. Berkas .xlsm diterima, tetapi "
           "makronya tidak pernah dijalankan — hanya nilai sel yang dibaca. Berkas yang dilindungi kata sandi harus "
           "dibuka di Excel dan disimpan tanpa kata sandi lebih dulu.")
st.caption("Bentuk lembar yang juga dibaca: daftar hadir berbentuk kisi (satu baris per klien, satu kolom per tanggal, "
           "tanda H, I, S atau A di selnya) — bila tidak ada kolom «Jenis Kegiatan», tulis kegiatannya di judul lembar "
           "(mis. «Daftar Hadir Wajib Lapor Januari 2026»); anggaran berbentuk matriks bulanan (satu baris per akun, "
           "satu kolom per bulan) — tulis «Realisasi» atau «Rencana (RPD)» di atas kolom bulan, dan tahunnya di judul "
           "(mis. «TA 2026») bila tidak ada kolom «Tahun Anggaran».")
kinds = [AUTO, *spec.LOAD_ORDER]
kind_column, office_column = st.columns(2)
choice = kind_column.selectbox("Jenis data", kinds, key="unggah_jenis", placeholder="Pilih jenis data",
                               format_func=lambda k: "Kenali otomatis (disarankan)" if k == AUTO
                               else kualitas.KIND_TITLES[k])
kind = None if choice == AUTO else choice
office, office_problem = _office_choice(office_column)

if uploads and office_problem:
    st.error(f"Berkas belum diperiksa: {office_problem}")
elif uploads:
    paths, key = _save(uploads)
    if paths:
        st.subheader("Hasil pemeriksaan (belum ada yang dimuat)")
        cache_key = (key, kind, office, ctx.version)
        stored = st.session_state.get("unggah_pratinjau")
        if stored and stored[0] == cache_key:
            report = stored[1]
        else:
            with st.spinner("Memeriksa berkas…"):
                report = _preview(paths, kind, office)
            st.session_state["unggah_pratinjau"] = (cache_key, report)
        if report is not None:
            _show_report(report, loaded=False)
            _rejected_downloads(paths, report, key)
            ready = [e for e in report["files"] if e["status"] == "loaded"]
            total = sum(e["rows_loaded"] for e in ready)
            for line in kualitas.loaded_before(report):
                st.info(line)
            if total:
                st.info(f"Bila dimuat: {kualitas.load_scope(report)}. Baris dengan kunci yang sudah ada menggantikan "
                        "baris lama (yang lama disimpan, sehingga muat dapat dibatalkan).")
            elif ready:
                st.warning(NOTHING_TO_LOAD)
            if st.button("Muat", type="primary", key="unggah_muat", disabled=not total):
                _load(paths, kind, office)
else:
    st.info("Belum ada berkas dipilih. Templat kosong per jenis data ada di bagian bawah halaman.")

# -------------------------------------------------------------------------------------------------
st.subheader("Kualitas data")
try:
    if st.button("Periksa ulang sekarang", key="unggah_periksa"):  # on demand, past the cache
        card, as_of = kualitas.scorecard(ctx.db_path), kualitas.data_date(ctx.db_path)
    else:
        card, as_of = cached(kualitas.scorecard)(), cached(kualitas.data_date)()
except DataUnavailable as exc:
    st.error(f"Kualitas data belum dapat diperiksa: {exc}")
except Exception:
    log.exception("kartu kualitas data gagal")
    st.error(f"Pemeriksaan kualitas data tidak dapat dijalankan: {UNEXPECTED}")
else:
    st.caption(f"Per tabel, dihitung dari data yang sekarang dimuat; diperbarui otomatis sesudah setiap muat. "
               f"Tanggal data: {fmt.date(as_of)} (tanggal kehadiran terakhir). Status memakai ambang yang tertulis "
               "di tiap baris.")
    st.dataframe(kualitas.summary_table(card), hide_index=True, width="stretch")
    only = st.toggle("Tampilkan hanya pemeriksaan berstatus perhatian atau buruk", value=True,
                     key="unggah_hanya_masalah")
    detail = kualitas.scorecard_table(card, only_problems=only)
    if detail.empty:
        st.success("Semua pemeriksaan berstatus baik.")
    else:
        st.dataframe(detail, hide_index=True, width="stretch")

# -------------------------------------------------------------------------------------------------
st.subheader("Riwayat muat")
try:
    history = cached(kualitas.load_history)()
    runs = cached(kualitas.load_runs)()
except DataUnavailable as exc:
    st.error(f"Riwayat muat belum dapat dibaca: {exc}")
except Exception:
    log.exception("riwayat muat gagal dibaca")
    st.error(f"Riwayat muat tidak dapat dibaca: {UNEXPECTED}")
else:
    if notice := st.session_state.pop("unggah_batal_hasil", None):
        st.success(notice)
    if history.empty:
        st.info("Belum ada data yang pernah dimuat.")
    else:
        st.dataframe(kualitas.history_table(history), hide_index=True, width="stretch")
        st.caption("Satu baris per berkas dan lembar kerja setiap kali muat; SHA-256 mengenali isi berkas yang sama persis.")
    options = kualitas.undo_choices(runs)
    if options:
        left, right = st.columns([4, 1])
        newest = next(iter(options))  # a new load resets the choice to itself
        run_id = left.selectbox("Muat yang akan dibatalkan", list(options), format_func=options.get,
                                key=f"unggah_pilih_batal_{newest}", placeholder="Pilih muatan")
        right.write("")
        if right.button("Batalkan", key="unggah_batalkan"):
            st.session_state["unggah_batal"] = run_id
        pending = st.session_state.get("unggah_batal")
        if pending in options:
            st.warning(f"Batalkan muat nomor {pending}? Baris yang ditambahkan muat itu dihapus dan baris yang "
                       "diperbaruinya dikembalikan seperti sebelum muat. Muat yang lebih baru harus dibatalkan "
                       "lebih dulu.")
            yes, no, _ = st.columns([2, 1, 3])
            if yes.button(f"Ya, batalkan muat nomor {pending}", key="unggah_batal_ya", type="primary"):
                st.session_state.pop("unggah_batal", None)
                try:
                    done = undo_run(pending, db_path=ctx.db_path, user=me.nama_pengguna)
                except LoadError as exc:
                    st.error(f"Muat nomor {pending} tidak dibatalkan: {exc}")
                except Exception:
                    log.exception("pembatalan muat gagal")
                    st.error(f"Muat nomor {pending} tidak dibatalkan: {UNEXPECTED}")
                else:
                    removed, restored = sum(done["dihapus"].values()), sum(done["dipulihkan"].values())
                    audit("BATALKAN_MUAT", PAGE, removed + restored,
                          f"muat nomor {pending}: {removed} baris dihapus, {restored} baris dipulihkan")
                    st.cache_data.clear()
                    st.session_state["unggah_batal_hasil"] = (
                        f"Muat nomor {pending} dibatalkan: {fmt.number(removed)} baris dihapus, "
                        f"{fmt.number(restored)} baris dikembalikan.")
                    st.rerun()
            if no.button("Tidak", key="unggah_batal_tidak"):
                st.session_state.pop("unggah_batal", None)
                st.rerun()

# -------------------------------------------------------------------------------------------------
st.subheader("Templat kosong")
st.caption("Satu templat .xlsx per jenis data: judul kolom yang diterima (wajib berwarna jingga), daftar pilihan, "
           "dan lembar kerja Petunjuk. Templat yang sudah diisi dapat langsung diunggah di atas.")


@st.cache_data(show_spinner=False)
def _template(kind_name: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="bapas-templat-") as folder:
        return write_template(kind_name, Path(folder) / FILE_NAMES[kind_name]).read_bytes()


columns = st.columns(3)
for i, kind_name in enumerate(spec.LOAD_ORDER):
    columns[i % 3].download_button(kualitas.KIND_TITLES[kind_name], _template(kind_name),
                                   file_name=FILE_NAMES[kind_name], key=f"unggah-templat-{kind_name}",
                                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
