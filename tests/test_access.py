"""The role matrix at the analytics layer: who gets person-level rows, and in what form."""
import datetime as dt

import pytest

from analytics import ringkasan
from analytics.filters import Filters
from analytics.viewer import AccessDenied, Viewer, identity_columns, person_scope
from tests.conftest import query

KEY = "ab" * 32
PERIOD = Filters(dt.date(2026, 1, 1), dt.date(2026, 10, 31))


def _largest_caseload(db):
    return query(db, "select pk_nip from klien where pk_nip is not null group by 1 order by count(*) desc, 1 "
                     "limit 1")[0][0]


@pytest.mark.parametrize("role", ["kanwil", "operator"])
def test_aggregate_only_roles_get_no_person_level_rows(demo_db, role):
    viewer = Viewer("x", role)
    with pytest.raises(AccessDenied):
        person_scope(viewer)
    with pytest.raises(AccessDenied):
        identity_columns(viewer)
    count, rows = ringkasan.missed_reports(PERIOD, viewer, db_path=demo_db)
    assert rows is None and (count == "<10" or count >= 10)


def test_kepala_sees_names_of_every_client_on_the_list(demo_db):
    count, rows = ringkasan.missed_reports(PERIOD, Viewer("k", "kepala"), db_path=demo_db)
    assert list(rows.columns[:2]) == ["no_register", "nama"] and len(rows) == count > 0


def test_pk_sees_only_their_own_caseload(demo_db):
    nip = _largest_caseload(demo_db)
    _, everyone = ringkasan.missed_reports(PERIOD, Viewer("k", "kepala"), db_path=demo_db)
    _, own = ringkasan.missed_reports(PERIOD, Viewer("p", "pk", nip), db_path=demo_db)
    own_regs = set(own["no_register"])
    expected = {r for (r,) in query(demo_db, "select no_register from klien where pk_nip = ?", [nip])}
    assert own_regs <= expected
    assert own_regs == set(everyone["no_register"]) & expected
    _, nobody = ringkasan.missed_reports(PERIOD, Viewer("p", "pk", None), db_path=demo_db)
    assert nobody.empty


def test_analis_sees_stable_pseudonyms_only(demo_db):
    _, rows = ringkasan.missed_reports(PERIOD, Viewer("a", "analis", None, KEY), db_path=demo_db)
    assert "nama" not in rows and "no_register" not in rows and "nik" not in rows
    assert rows["pseudonim"].str.fullmatch(r"K-[0-9A-F]{10}").all()
    _, again = ringkasan.missed_reports(PERIOD, Viewer("a", "analis", None, KEY), db_path=demo_db)
    assert again["pseudonim"].tolist() == rows["pseudonim"].tolist()
    _, other_key = ringkasan.missed_reports(PERIOD, Viewer("a", "analis", None, "cd" * 32), db_path=demo_db)
    assert set(other_key["pseudonim"]).isdisjoint(rows["pseudonim"])
    names = {n for (n,) in query(demo_db, "select nama from klien")}
    assert not names & set(rows.astype(str).to_numpy().ravel())


def test_analis_without_a_key_is_refused():
    with pytest.raises(AccessDenied):
        identity_columns(Viewer("a", "analis"))
