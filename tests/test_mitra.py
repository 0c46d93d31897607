"""Golden tests of the Mitra page on a hand-checked fixture: 3 partners, 4 runs, attendance, placements, log."""
import datetime as dt
import math

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics import mitra
from analytics.charts_mitra import STAND_IN
from analytics.accounts import Account, Store
from analytics.filters import Filters
from analytics.viewer import AccessDenied, Viewer
from etl.load import load_files
from tests.builders import workbook

D = dt.date
AS_OF = D(2026, 9, 30)
PERIOD = Filters(D(2026, 7, 1), D(2026, 9, 30))
KEPALA, KANWIL = Viewer("k", "kepala"), Viewer("w", "kanwil")

M1, M2, M3 = "LPK Busana Sejahtera", "Bengkel Las Maju", "Pondok Pesantren Al-Ikhlas"
P1, P2 = "Pelatihan Menjahit Angkatan I 2026", "Pelatihan Las Angkatan I 2026"


def _clients() -> list[list]:
    placed = {"R01": ("Selesai", D(2026, 8, 15), "M1"), "R02": ("Selesai", D(2026, 9, 10), "M1"),
              "R03": ("Aktif", None, "M1"), "R14": ("Selesai", D(2025, 12, 1), "M2")}
    rows = []
    for i in range(1, 16):
        reg = f"R{i:02d}"
        status, when, partner = placed.get(reg, ("Aktif", None, None))
        rows.append([reg, f"Klien {reg}", D(2025, 1, 1) + dt.timedelta(days=i), D(2027, 6, 1),
                     "CB" if reg == "R13" else "PB", status, when, "Bekerja" if partner else None, partner])
    return rows


def _attendance() -> list[list]:
    rows = []

    def run(code, kind, days, regs, attended):
        for reg in regs:
            for n, day in enumerate(days):
                rows.append([reg, day, kind, code, "Hadir" if n < attended.get(reg, len(days)) else "Tidak Hadir", 2])

    july = [D(2026, 7, d) for d in (6, 13, 20, 27)]
    run("P1", "Pelatihan Kerja", july, [f"R{i:02d}" for i in range(1, 13)], {"R11": 1, "R12": 1})
    run("P2", "Pelatihan Kerja", [D(2026, 8, 3), D(2026, 8, 10)], ["R01", "R02", "R13"], {"R13": 1})
    run("P3", "Pelatihan Kerja", [D(2025, 3, 3), D(2025, 3, 10)], ["R14", "R15"], {})
    run("P4", "Bimbingan Keagamaan", [D(2026, 9, 7), D(2026, 9, 14)], [f"R{i:02d}" for i in range(3, 14)], {})
    rows.append(["R03", AS_OF, "Wajib Lapor", None, "Hadir", 1])  # sets the as-of date
    return rows


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory):
    from etl import config
    folder = tmp_path_factory.mktemp("mitra")
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("BAPAS_KODE", raising=False)
        mp.setenv("BAPAS_CONFIG", str(folder / "tidak-ada.toml"))
        config.settings.cache_clear()
        book = workbook(folder / "mitra.xlsx", {
            "Klien": (["No. Register", "Nama", "Tgl Mulai", "Tanggal Akhir Bimbingan", "Jenis Integrasi", "Status",
                       "Tanggal Status", "Status Pekerjaan", "Mitra Penyalur"], _clients()),
            "Mitra": (["Kode Mitra", "Nama Mitra", "Jenis Mitra", "Bidang", "Bidang Pelatihan", "Bersertifikat",
                       "No. PKS", "Tanggal PKS", "Berlaku Sampai", "Kapasitas", "Status"], [
                ["M1", M1, "LPK", "Kemandirian", "Menjahit", "Ya", "PKS/001", D(2025, 1, 10), D(2026, 11, 15), 15,
                 "Aktif"],
                ["M2", M2, "UMKM", "Kemandirian", "Las", "Tidak", "PKS/002", D(2024, 3, 1), D(2026, 8, 31), 10,
                 "Aktif"],
                ["M3", M3, "Pondok Pesantren", "Kepribadian", "Keagamaan", "Tidak", "PKS/003", D(2026, 2, 1),
                 D(2028, 1, 31), 30, "Aktif"]]),
            "Program": (["Kode Program", "Nama Program", "Kategori", "Kode Mitra", "Tanggal Mulai", "Tanggal Selesai",
                         "Kuota", "Total Jam", "Bersertifikat"], [
                ["P1", P1, "Pelatihan Kerja", "M1", D(2026, 7, 1), D(2026, 7, 31), 15, 20, "Ya"],
                ["P2", P2, "Pelatihan Kerja", "M2", D(2026, 8, 1), D(2026, 8, 31), 10, 16, "Tidak"],
                ["P3", "Pelatihan Las Angkatan I 2025", "Pelatihan Kerja", "M2", D(2025, 3, 1), D(2025, 3, 31), 10,
                 16, "Tidak"],
                ["P4", "Bimbingan Keagamaan Angkatan I 2026", "Bimbingan Keagamaan", "M3", D(2026, 9, 1),
                 D(2026, 9, 30), 30, 8, "Tidak"]]),
            "Kehadiran": (["No. Register", "Tanggal", "Jenis Kegiatan", "Kode Program", "Kehadiran", "Jam"],
                          _attendance()),
            "Hambatan": (["Tanggal", "Kategori", "Uraian", "Kode Program", "Kode Mitra"], [
                [D(2026, 8, 20), "Program tidak sesuai minat", f"Peserta {P2} tidak berminat, ingin menjahit", "P2",
                 "M2"],
                [D(2026, 9, 5), "Program tidak sesuai minat", "Klien ingin belajar pangkas rambut atau otomotif",
                 None, None],
                [D(2026, 9, 6), "Program tidak sesuai minat", "Klien meminta pelatihan bidang lain", None, None],
                [D(2025, 5, 1), "Program tidak sesuai minat", "Klien lebih suka budidaya ikan lele", None, None],
                [D(2026, 9, 7), "Jarak jauh / biaya transportasi", "ingin menjahit tapi rumah jauh", None, None]]),
        }, numbering=False, signature=False)
        report = load_files([book], folder / "bapas.duckdb")
        config.settings.cache_clear()
    assert all(f["status"] == "loaded" and f["rows_rejected"] == 0 for f in report["files"]), report
    return folder / "bapas.duckdb"


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain values: NaN/NA → None, numpy numbers → Python, rates rounded (whole-frame comparison)."""
    def plain(v):
        if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
            return None
        if hasattr(v, "item"):
            v = v.item()
        return round(v, 4) if isinstance(v, float) else v
    return [{k: plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


IDENTITY = {
    "M1": dict(kode_mitra="M1", nama_mitra=M1, jenis_mitra="Lembaga Pelatihan (LPK/BLK)", bidang="Kemandirian",
               bidang_pelatihan="Menjahit", bersertifikat=True, nomor_pks="PKS/001", berlaku_sampai=D(2026, 11, 15),
               sisa_hari=46, kapasitas_per_angkatan=15),
    "M2": dict(kode_mitra="M2", nama_mitra=M2, jenis_mitra="UMKM", bidang="Kemandirian", bidang_pelatihan="Las",
               bersertifikat=False, nomor_pks="PKS/002", berlaku_sampai=D(2026, 8, 31), sisa_hari=-30,
               kapasitas_per_angkatan=10),
    "M3": dict(kode_mitra="M3", nama_mitra=M3, jenis_mitra="Lembaga Keagamaan", bidang="Kepribadian",
               bidang_pelatihan="Keagamaan", bersertifikat=False, nomor_pks="PKS/003", berlaku_sampai=D(2028, 1, 31),
               sisa_hari=488, kapasitas_per_angkatan=30),
}


def _row(code, **figures):
    return {"kode_bapas": "BAPAS-BDL", **IDENTITY[code], "status_aktif": True, **figures}


def test_scorecard_for_kepala(fixture_db):
    frame = mitra.scorecard(PERIOD, KEPALA, db_path=fixture_db)
    assert _records(frame) == [
        _row("M1", program_periode=1, peserta=12, terdaftar=12, selesai=10, tingkat_penyelesaian=round(10 / 12, 4),
             penempatan_periode=2, penempatan_total=3),
        _row("M3", program_periode=1, peserta=11, terdaftar=11, selesai=11, tingkat_penyelesaian=1.0,
             penempatan_periode=0, penempatan_total=0),
        _row("M2", program_periode=1, peserta=3, terdaftar=3, selesai=2, tingkat_penyelesaian=round(2 / 3, 4),
             penempatan_periode=0, penempatan_total=1),
    ]


def test_scorecard_for_kanwil_hides_small_counts_and_a_complement(fixture_db):
    frame = mitra.scorecard(PERIOD, KANWIL, db_path=fixture_db)
    # peserta 12/11/3 (total 26): 3 is small, and the next cheapest (11) is hidden so the total cannot give it back;
    # selesai 10/11/2: 2 and 10 hidden; every rate rests on a hidden count; placements 2/0/0 and 3/1/0 all small.
    assert _records(frame) == [
        _row("M1", program_periode=1, peserta=12, terdaftar=12, selesai=None, tingkat_penyelesaian=None,
             penempatan_periode=None, penempatan_total=None, disembunyikan=False),
        _row("M2", program_periode=1, peserta=None, terdaftar=None, selesai=None, tingkat_penyelesaian=None,
             penempatan_periode=0, penempatan_total=None, disembunyikan=True),
        _row("M3", program_periode=1, peserta=None, terdaftar=None, selesai=11, tingkat_penyelesaian=None,
             penempatan_periode=0, penempatan_total=0, disembunyikan=True),
    ]
    download = mitra.scorecard_for_download(frame)
    assert list(download["Peserta (orang)"]) == [12, "<10", "<10"]
    assert list(download["% selesai"]) == ["disembunyikan"] * 3


def test_client_filters_narrow_participants_not_partners(fixture_db):
    only_pb = Filters(PERIOD.mulai, PERIOD.akhir, program_integrasi=("PB",))  # R13 is CB
    frame = mitra.scorecard(only_pb, KEPALA, db_path=fixture_db)
    assert [(r["kode_mitra"], r["peserta"], r["selesai"]) for r in _records(frame)] == [
        ("M1", 12, 10), ("M3", 10, 10), ("M2", 2, 2)]


def test_agreement_alerts_and_counts(fixture_db):
    alerts = mitra.agreement_alerts(PERIOD, db_path=fixture_db)
    assert _records(alerts) == [
        {"kode_bapas": "BAPAS-BDL", "kode_mitra": "M2", "nama_mitra": M2, "jenis_mitra": "UMKM",
         "nomor_pks": "PKS/002", "berlaku_sampai": D(2026, 8, 31), "sisa_hari": -30,
         "keadaan": "Sudah berakhir 30 hari lalu, mitra masih tercatat aktif"},
        {"kode_bapas": "BAPAS-BDL", "kode_mitra": "M1", "nama_mitra": M1, "jenis_mitra": "Lembaga Pelatihan (LPK/BLK)",
         "nomor_pks": "PKS/001", "berlaku_sampai": D(2026, 11, 15), "sisa_hari": 46,
         "keadaan": "Berakhir dalam 46 hari"},
    ]
    assert mitra.partner_counts(PERIOD, db_path=fixture_db) == {
        "aktif": 2, "bersertifikat": 1, "segera_berakhir": 1, "sudah_berakhir": 1}


def _coverage(menjahit=(0, 0, 0), keagamaan=(0, 0, 0), las=(0, 0, 0), **asked):
    rows = []
    for field in (*mitra.FIELDS, mitra.OTHER):
        offered = {"Menjahit": menjahit, "Keagamaan": keagamaan, "Las": las}.get(field, (0, 0, 0))
        rows.append({"bidang_pelatihan": field, "mitra_aktif": offered[0], "program_periode": offered[1],
                     "diminta": asked.get(field, offered[2])})
    return rows


def test_field_coverage_offered_vs_asked(fixture_db):
    # active on 30 Sep: M1 (Menjahit), M3 (Keagamaan); M2's PKS ended in August. Runs: P1, P2, P4.
    # Asked: "ingin menjahit" (the named run "Pelatihan Las ..." is not a wish), "pangkas rambut atau otomotif",
    # one row naming no field; the 2025 row (ikan lele) only in the whole log; the transport row is not counted.
    period = mitra.field_coverage(PERIOD, KEPALA, db_path=fixture_db)
    asked = {"Menjahit": 1, "Pangkas Rambut": 1, "Otomotif": 1, mitra.OTHER: 1}
    assert _records(period) == _coverage((1, 1, 0), (1, 1, 0), (0, 1, 0), **asked)
    whole = mitra.field_coverage(PERIOD, KEPALA, db_path=fixture_db, asked_from="semua")
    assert _records(whole) == _coverage((1, 1, 0), (1, 1, 0), (0, 1, 0), **asked, Perikanan=1)


def test_field_coverage_for_kanwil_hides_small_asked_counts(fixture_db):
    frame = mitra.field_coverage(PERIOD, KANWIL, db_path=fixture_db)
    hidden = {"Menjahit", "Pangkas Rambut", "Otomotif", mitra.OTHER}
    expected = _coverage((1, 1, 0), (1, 1, 0), (0, 1, 0), **{f: None for f in hidden})
    assert _records(frame) == [{**r, "disembunyikan": r["bidang_pelatihan"] in hidden} for r in expected]


def test_certified_share_per_quarter(fixture_db):
    frame = mitra.certified_share(PERIOD, db_path=fixture_db)
    ends = [D(2024, 3, 31), D(2024, 6, 30), D(2024, 9, 30), D(2024, 12, 31), D(2025, 3, 31), D(2025, 6, 30),
            D(2025, 9, 30), D(2025, 12, 31), D(2026, 3, 31), D(2026, 6, 30), D(2026, 9, 30)]
    # M2 from Mar 2024 to Aug 2026, M1 (certified) from Jan 2025, M3 from Feb 2026
    active = [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 2]
    certified = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1]
    assert _records(frame) == [
        {"triwulan": mitra.quarter_label(end.replace(day=1)), "awal_triwulan": D(end.year, end.month - 2, 1),
         "hari": end, "aktif": a, "bersertifikat": c, "belum_bersertifikat": a - c,
         "persen_bersertifikat": round(c / a, 4)}
        for end, a, c in zip(ends, active, certified)]
    assert frame["triwulan"].iloc[-1] == "TW III 2026"


def test_partner_runs_for_kepala_and_kanwil(fixture_db):
    run = {"kode_program": "P2", "nama_program": P2, "kategori": "Pelatihan Kerja", "tanggal_mulai": D(2026, 8, 1),
           "tanggal_selesai": D(2026, 8, 31), "kuota": 10, "total_jam": 16.0, "bersertifikat": False}
    assert _records(mitra.partner_runs(PERIOD, KEPALA, "BAPAS-BDL", "M2", db_path=fixture_db)) == [
        {**run, "peserta": 3, "selesai": 2, "tingkat_penyelesaian": round(2 / 3, 4)}]
    assert _records(mitra.partner_runs(PERIOD, KANWIL, "BAPAS-BDL", "M2", db_path=fixture_db)) == [
        {**run, "peserta": None, "selesai": None, "tingkat_penyelesaian": None, "disembunyikan": True}]


def test_partner_participants_by_role(fixture_db):
    rows = mitra.partner_participants(KEPALA, PERIOD, "BAPAS-BDL", "M2", db_path=fixture_db)
    assert list(zip(rows["No. Register"], rows["Nama"])) == [("R13", "Klien R13"), ("R02", "Klien R02"),
                                                             ("R01", "Klien R01")]
    with pytest.raises(AccessDenied):
        mitra.partner_participants(KANWIL, PERIOD, "BAPAS-BDL", "M2", db_path=fixture_db)


@pytest.mark.parametrize("text, leave_out, expected", [
    ("peserta ingin menjahit", (), ["Menjahit"]),
    (f"Peserta {P2} tidak berminat, ingin menjahit", (P2,), ["Menjahit"]),
    ("tidak berminat las, ingin menjahit", (), ["Menjahit"]),
    ("Klien ingin belajar pangkas rambut atau otomotif", (), ["Pangkas Rambut", "Otomotif"]),
    ("ingin ikut kelas memasak", (), ["Tata Boga"]),
    ("minta ikut kejar Paket C", (), ["Pendidikan Kesetaraan"]),
    ("ingin jahitan dan budidaya lele", (), ["Menjahit", "Perikanan"]),
    ("perlu diberikan pendidikan lain", (), []),
    ("Klien meminta pelatihan bidang lain", (), []),
    (None, (), []),
])
def test_fields_named(text, leave_out, expected):
    assert mitra.fields_named(text, leave_out) == expected


# ------------------------------------------------------------------------------------------ the page

@pytest.fixture
def page(fixture_db):
    from ui import Context
    st.cache_data.clear()

    def run(role: str) -> AppTest:
        at = AppTest.from_file("../halaman/mitra.py", default_timeout=60)
        at.session_state["akun"] = Account(role, role, role, None, None, True)
        at.session_state["_store"] = Store()
        at.session_state["konteks"] = Context(Viewer(role, role), PERIOD, "3", fixture_db, AS_OF, "uji-mitra", False)
        return at.run()
    yield run
    st.cache_data.clear()


def _audit() -> list[tuple]:
    import sqlite3
    from etl import config
    con = sqlite3.connect(config.akses_path())
    try:
        return con.execute("select aksi, keterangan from audit").fetchall()
    finally:
        con.close()


def _frames(at: AppTest) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe]


def test_page_for_kepala(page):
    at = page("kepala")
    assert not at.exception and not at.error
    assert [t.value for t in at.title] == ["Mitra"]
    assert [(m.label, m.value) for m in at.metric] == [
        ("Mitra aktif", "2"), ("Di antaranya bersertifikat", "1"), ("PKS berakhir ≤ 60 hari", "1"),
        ("PKS lewat, mitra masih aktif", "1")]
    card = _frames(at)[0]
    assert list(card["Mitra"]) == [M1, M3, M2] and list(card["Peserta (orang)"]) == [12, 11, 3]
    assert list(card.columns[:2]) == ["Kode mitra", "Mitra"] and list(card["Kode mitra"]) == ["M1", "M3", "M2"]
    assert len(at.get("plotly_chart")) == 3
    # drill-downs: the first partner's runs, and its participants by name (audited)
    assert any(list(f.get("Kode program", [])) == ["P1"] for f in _frames(at))
    names = [f for f in _frames(at) if "Nama" in f.columns]
    assert len(names) == 1 and sorted(names[0]["No. Register"]) == [f"R{i:02d}" for i in range(1, 13)]
    assert any(list(f.get("Keadaan", [])) == ["Sudah berakhir 30 hari lalu, mitra masih tercatat aktif",
                                              "Berakhir dalam 46 hari"] for f in _frames(at))
    assert ("LIHAT_DATA_PERORANGAN", "peserta mitra M1") in _audit()
    at.selectbox(key="mitra_pilih").select("BAPAS-BDL|M2").run()
    assert any(list(f.get("Kode program", [])) == ["P2"] for f in _frames(at))


def test_page_for_kanwil_shows_no_person_and_no_small_number(page):
    at = page("kanwil")
    assert not at.exception and not at.error
    card = _frames(at)[0]
    assert list(card["Mitra"]) == [M1, M2, M3]
    assert list(card["Peserta (orang)"]) == [12, STAND_IN, STAND_IN]  # shown «<10», sorted below every count
    assert not any("Nama" in f.columns or "No. Register" in f.columns for f in _frames(at))
    assert any("hanya data agregat" in c.value for c in at.caption)
    assert any("«<10»" in c.value for c in at.caption)
    assert not any(action == "LIHAT_DATA_PERORANGAN" for action, _ in _audit())
    runs = next(f for f in _frames(at) if "Kode program" in f.columns)
    assert list(runs["Peserta (orang)"]) == ["12"] and list(runs["Selesai (orang)"]) == ["<10"]
