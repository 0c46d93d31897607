"""The Ringkasan figures equal the same definitions computed directly in SQL."""
import datetime as dt

import pandas as pd
import pytest

from analytics import ringkasan
from analytics.filters import Filters
from analytics.viewer import Viewer
from tests.conftest import query

PERIOD = Filters(dt.date(2026, 8, 1), dt.date(2026, 10, 31))


def _by_key(kpis):
    return {k.key: k for k in kpis}


def test_key_figures_match_direct_sql(demo_db):
    kpis = _by_key(ringkasan.key_figures(PERIOD, Viewer("k", "kepala"), db_path=demo_db))
    day = min(PERIOD.akhir, query(demo_db, "select max(tanggal) from kehadiran")[0][0])
    [(active,)] = query(demo_db, """
        select count(*) from klien where tanggal_mulai_bimbingan <= ?
        and coalesce(case when status <> 'AKTIF' then tanggal_status else tanggal_akhir_bimbingan end, ?) >= ?""",
        [day, day, day])
    [(new, ended, revoked)] = query(demo_db, """
        select count(*) filter (where tanggal_mulai_bimbingan between ? and ?),
               count(*) filter (where status <> 'AKTIF' and tanggal_status between ? and ?),
               count(*) filter (where status = 'DICABUT' and tanggal_status between ? and ?) from klien""",
        [PERIOD.mulai, PERIOD.akhir] * 3)
    [(due, attended)] = query(demo_db, """
        select count(*), count(*) filter (where status_hadir in ('HADIR', 'TERLAMBAT')) from kehadiran
        where jenis_kegiatan = 'WAJIB_LAPOR' and tanggal between ? and ?""", [PERIOD.mulai, PERIOD.akhir])
    [(judged, working)] = query(demo_db, """
        select count(*), count(*) filter (where status_pekerjaan in ('BEKERJA', 'USAHA_MANDIRI')) from klien
        where status in ('SELESAI', 'DICABUT', 'BURON') and tanggal_status between ? and ?""",
        [PERIOD.mulai, PERIOD.akhir])
    [(pagu, real)] = query(demo_db, """
        select sum(pagu) filter (where bulan is null), sum(realisasi) filter (where bulan <= 10)
        from anggaran where tahun_anggaran = 2026""")
    assert kpis["klien_aktif"].value == active > 0
    assert (kpis["kasus_baru"].value, kpis["kasus_berakhir"].value, kpis["pencabutan"].value) == (new, ended, revoked)
    assert kpis["kepatuhan"].value == pytest.approx(attended / due)
    assert kpis["sejahtera"].value == pytest.approx(working / judged)
    assert kpis["serapan"].value == pytest.approx(real / pagu)
    assert kpis["klien_aktif"].shown == f"{active:,}".replace(",", ".")


def test_participation_matches_its_definition(demo_db):
    kpis = _by_key(ringkasan.key_figures(PERIOD, Viewer("k", "kepala"), db_path=demo_db))
    [(active, took_part)] = query(demo_db, """
        with active as (
            select kode_bapas, no_register from klien
            where tanggal_mulai_bimbingan <= ? and coalesce(case when status <> 'AKTIF' then tanggal_status
                  else tanggal_akhir_bimbingan end, date '2999-01-01') >= ?),
        part as (
            select distinct kode_bapas, no_register from kehadiran
            where jenis_kegiatan not in ('WAJIB_LAPOR', 'KUNJUNGAN_RUMAH') and status_hadir in ('HADIR', 'TERLAMBAT')
              and tanggal between ? and ?)
        select count(*), count(p.no_register) from active a left join part p using (kode_bapas, no_register)""",
        [PERIOD.akhir, PERIOD.mulai, PERIOD.mulai, PERIOD.akhir])
    assert kpis["partisipasi"].value == pytest.approx(took_part / active)


def test_filters_narrow_the_figures(demo_db):
    everyone = _by_key(ringkasan.key_figures(PERIOD, Viewer("k", "kepala"), db_path=demo_db))
    pb = Filters(PERIOD.mulai, PERIOD.akhir, program_integrasi=("PB",))
    only_pb = _by_key(ringkasan.key_figures(pb, Viewer("k", "kepala"), db_path=demo_db))
    [(active_pb,)] = query(demo_db, """
        select count(*) from klien where program_integrasi = 'PB' and tanggal_mulai_bimbingan <= date '2026-10-30'
        and coalesce(case when status <> 'AKTIF' then tanggal_status else tanggal_akhir_bimbingan end,
                     date '2999-01-01') >= date '2026-10-30'""")
    assert only_pb["klien_aktif"].value == active_pb < everyone["klien_aktif"].value


def test_small_numbers_hidden_for_kanwil_only(demo_db):
    narrow = Filters(dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    kepala = _by_key(ringkasan.key_figures(narrow, Viewer("k", "kepala"), db_path=demo_db))
    kanwil = _by_key(ringkasan.key_figures(narrow, Viewer("w", "kanwil"), db_path=demo_db))
    small = [k for k, v in kepala.items() if v.kind == "count" and 1 <= v.value <= 9]
    assert small, "the demo should have a small monthly count (revocations)"
    for key in small:
        assert kanwil[key].shown == "<10" and kanwil[key].delta == ""
        assert kepala[key].shown == str(int(kepala[key].value))


def test_compliance_trend_matches_sql_and_hides_small_counts_for_kanwil(demo_db):
    trend = ringkasan.compliance_trend(PERIOD, Viewer("k", "kepala"), db_path=demo_db)
    rows = query(demo_db, """
        select date_trunc('month', tanggal)::date, count(*), count(*) filter (where status_hadir in
               ('HADIR', 'TERLAMBAT')) from kehadiran where jenis_kegiatan = 'WAJIB_LAPOR'
               and tanggal between date '2025-11-01' and date '2026-10-31' group by 1 order by 1""")
    assert [(b.date(), w, h) for b, w, h in zip(trend["bulan"], trend["wajib"], trend["hadir"])] == rows
    assert len(trend) == 12
    october = Filters(dt.date(2026, 10, 1), dt.date(2026, 10, 31), pk_nip=(query(
        demo_db, "select pk_nip from klien group by 1 order by count(*) limit 1")[0][0],))
    hidden = ringkasan.compliance_trend(october, Viewer("w", "kanwil"), db_path=demo_db)
    shown = ringkasan.compliance_trend(october, Viewer("k", "kepala"), db_path=demo_db)
    assert (hidden == "<10").any().any(), "the smallest caseload should give small monthly counts"
    for (_, h), (_, s) in zip(hidden.iterrows(), shown.iterrows()):
        late = s["hadir"] - s["tepat_waktu"]
        for column, value in (("tepat_waktu", s["tepat_waktu"]), ("izin", s["izin"]),
                              ("tidak_hadir", s["tidak_hadir"]), ("wajib", s["wajib"])):
            if 1 <= value <= 9:
                assert h[column] == "<10"
            assert h[column] in ("<10", value)
        if 1 <= late <= 9:
            assert h["hadir"] == "<10" or h["tepat_waktu"] == "<10"
        visible = [h[c] for c in ("tepat_waktu", "izin", "tidak_hadir")]
        # a lone hidden part next to a visible total would be recomputable: never exactly one hidden
        if h["wajib"] != "<10" and h["hadir"] != "<10":
            assert sum(v == "<10" for v in visible[1:]) != 1
        if pd.isna(h["kepatuhan"]) is False:
            assert h["hadir"] != "<10" and h["wajib"] != "<10"


def test_top_obstacles_follow_the_program_and_pk_filters(demo_db):
    """Ringkasan's «Hambatan terbanyak» counts as the Hambatan page does: only rows naming a client of the PK."""
    [(nip,)] = query(demo_db, "select pk_nip from klien where pk_nip is not null group by 1 order by count(*) desc, 1 "
                              "limit 1")
    one_pk = Filters(PERIOD.mulai, PERIOD.akhir, pk_nip=(nip,))

    def counts(filters):
        frame = ringkasan.top_obstacles(filters, Viewer("k", "kepala"), db_path=demo_db, limit=100)
        return {(s, k): int(n.replace(".", "")) for s, k, n in zip(frame["sumber_data"], frame["kategori"],
                                                                   frame["jumlah"])}
    expected = query(demo_db, """
        select g.sumber_data, g.kategori, count(*) from v_hambatan_rinci g
        join klien k on k.kode_bapas = g.kode_bapas and k.no_register = g.no_register
        where g.tanggal between ? and ? and k.pk_nip = ? group by all""", [PERIOD.mulai, PERIOD.akhir, nip])
    assert counts(one_pk) == {(s, k): n for s, k, n in expected}
    assert sum(counts(one_pk).values()) < sum(counts(PERIOD).values())


@pytest.mark.parametrize("months", [1, 3, 12])
def test_budget_absorption_is_compared_with_the_same_month_last_year(demo_db, months):
    """Absorption runs from January: whatever the period's length, its change is against the same month a year ago."""
    from analytics.filters import add_months
    end = PERIOD.akhir
    filters = Filters(add_months(end.replace(day=1), 1 - months), end)
    kpi = _by_key(ringkasan.key_figures(filters, Viewer("k", "kepala"), db_path=demo_db))["serapan"]

    def absorbed(year: int, month: int) -> float:
        [(pagu, real)] = query(demo_db, """
            select sum(pagu) filter (where bulan is null), sum(realisasi) filter (where bulan <= ?)
            from anggaran where tahun_anggaran = ?""", [month, year])
        return real / pagu
    assert kpi.value == pytest.approx(absorbed(end.year, end.month))
    assert kpi.previous == pytest.approx(absorbed(end.year - 1, end.month))
    assert kpi.compared == "dibanding s.d. Oktober 2025"
