import numpy as np
import pandas as pd
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from analytics.privacy import (
    SMALL, TOTAL, is_small, needs_suppression, suppress_long, suppress_series, suppress_table,
    suppression_mask,
)

S = SMALL


# --- an independent check: linear algebra over the equations a reader can write -----------------------

def table_equations(r: int, c: int) -> np.ndarray:
    """Rows and columns add up to their totals; variables are the (r+1)×(c+1) cells, margins last."""
    var = lambda i, j: i * (c + 1) + j  # noqa: E731
    rows = []
    for i in range(r + 1):          # each row (the total row too) adds up to its row total
        eq = np.zeros((r + 1) * (c + 1))
        eq[[var(i, j) for j in range(c)]] = 1
        eq[var(i, c)] = -1
        rows.append(eq)
    for j in range(c + 1):          # each column (the total column too) adds up to its column total
        eq = np.zeros((r + 1) * (c + 1))
        eq[[var(i, j) for i in range(r)]] = 1
        eq[var(r, j)] = -1
        rows.append(eq)
    return np.array(rows)


def determined(equations: np.ndarray, hidden: np.ndarray) -> list[int]:
    """Hidden variables whose value follows from the visible ones: unit vector in the row space."""
    unknowns = np.flatnonzero(hidden)
    a = equations[:, unknowns]
    rank = np.linalg.matrix_rank(a)
    out = []
    for pos, var in enumerate(unknowns):
        unit = np.zeros(len(unknowns))
        unit[pos] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            out.append(int(var))
    return out


def full_table(x: np.ndarray) -> np.ndarray:
    return np.block([[x, x.sum(axis=1, keepdims=True)], [x.sum(axis=0, keepdims=True), x.sum()]])


# --- examples ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("n, small", [(0, False), (1, True), (9, True), (10, False), (25, False),
                                      (None, False), (np.nan, False), (pd.NA, False), (np.int64(4), True)])
def test_is_small(n, small):
    assert is_small(n) is small


@pytest.mark.parametrize("role, hide", [("kanwil", True), ("operator", True), ("kepala", False),
                                        ("pk", False), ("analis", False), ("tamu", True), (None, True)])
def test_needs_suppression(role, hide):
    assert needs_suppression(role) is hide


@pytest.mark.parametrize("counts, total_shown, expected", [
    ([0, 3, 25, 40], True, [0, S, S, 40, 68]),      # one hidden cell next to a total needs a second
    ([0, 3, 25, 40], False, [0, S, 25, 40]),
    ([4, 7, 30], True, [S, S, 30, 41]),             # two small cells protect each other
    ([0, 3, 0], True, [0, S, 0, S]),                # the total is small too
    ([0, 12, 30], True, [0, 12, 30, 42]),
    ([0, 0], True, [0, 0, 0]),
])
def test_suppress_series(counts, total_shown, expected):
    index = list("abcd"[: len(counts)])
    shown = suppress_series(pd.Series(counts, index=index, name="klien"), total_shown=total_shown)
    assert shown.tolist() == expected
    assert list(shown.index) == index + ([TOTAL] if total_shown else [])
    assert shown.dtype == object and shown.name == "klien"


TABLES = {
    "2x2 one small cell: the whole rectangle": (
        [[3, 20], [30, 40]],
        [[S, S, 23], [S, S, 70], [33, 60, 93]]),
    "3x3 one small cell: a rectangle on the smallest counts": (
        [[3, 20, 50], [30, 12, 60], [15, 70, 80]],
        [[S, S, 50, 73], [S, S, 60, 102], [15, 70, 80, 165], [48, 102, 190, 340]]),
    "small row total: the other row total goes too": (
        [[2, 3], [30, 40]],
        [[S, S, S], [S, S, S], [32, 43, 75]]),
    "nothing small": (
        [[10, 20], [30, 0]],
        [[10, 20, 30], [30, 0, 30], [40, 20, 60]]),
    "zeros stay visible, the complement avoids them": (
        [[0, 3, 20], [12, 40, 50]],
        [[0, S, S, 23], [12, S, S, 102], [12, 43, 70, 125]]),
    "only zeros": (
        [[0, 0], [0, 0]],
        [[0, 0, 0], [0, 0, 0], [0, 0, 0]]),
    "one row: its column totals repeat the cells": (
        [[5, 40, 60]],
        [[S, S, 60, 105], [S, S, 60, 105]]),
    "1x1 small": ([[5]], [[S, S], [S, S]]),
}


@pytest.mark.parametrize("counts, expected", TABLES.values(), ids=TABLES.keys())
def test_suppress_table(counts, expected):
    frame = pd.DataFrame(counts, index=[f"r{i}" for i in range(len(counts))],
                         columns=[f"c{j}" for j in range(len(counts[0]))])
    shown = suppress_table(frame)
    assert shown.values.tolist() == expected
    assert list(shown.index) == [*frame.index, TOTAL] and list(shown.columns) == [*frame.columns, TOTAL]


def test_suppress_table_without_margins_hides_only_small_cells():
    frame = pd.DataFrame([[3, 20], [30, 40]])
    assert suppress_table(frame, margins=False).values.tolist() == [[S, 20], [30, 40]]
    assert suppression_mask(frame, margins=False).values.tolist() == [[True, False], [False, False]]


def test_table_keeps_labels_of_categorical_axes():
    frame = pd.DataFrame([[3, 20], [30, 40]], index=pd.CategoricalIndex(["Rendah", "Tinggi"], name="risiko"),
                         columns=pd.Index(["L", "P"], name="jk"))
    mask = suppression_mask(frame)
    assert list(mask.index) == ["Rendah", "Tinggi", TOTAL] and mask.index.name == "risiko"
    assert list(mask.columns) == ["L", "P", TOTAL] and mask.columns.name == "jk"


@pytest.mark.parametrize("counts", [[[-1, 3]], [[1.5, 3]], [[np.nan, 3]]])
def test_rejects_what_is_not_a_count(counts):
    with pytest.raises(ValueError):
        suppression_mask(pd.DataFrame(counts))


def test_rejects_a_label_named_like_the_total():
    with pytest.raises(ValueError):
        suppression_mask(pd.Series([3, 20], index=["a", TOTAL]))


# --- properties ----------------------------------------------------------------------------------------

count = st.one_of(st.integers(0, 12), st.sampled_from([0, 0, 1, 2, 5, 9]), st.integers(0, 300))
tables = st.integers(1, 6).flatmap(lambda r: st.integers(1, 6).flatmap(
    lambda c: st.lists(st.lists(count, min_size=c, max_size=c), min_size=r, max_size=r)))


@settings(max_examples=300, deadline=None)
@given(tables)
def test_table_is_safe(counts):
    x = np.array(counts)
    full = full_table(x)
    mask = suppression_mask(pd.DataFrame(x)).to_numpy()
    equations = table_equations(*x.shape)

    assert determined(equations, mask.ravel()) == []                 # no hidden cell can be recomputed
    assert (mask[(full >= 1) & (full <= 9)]).all()                    # every small cell is hidden
    complements = mask & ~((full >= 1) & (full <= 9))
    for k in zip(*np.nonzero(complements)):                           # and every complement is needed
        fewer = mask.copy()
        fewer[k] = False
        assert determined(equations, fewer.ravel()), f"complement {k} is not needed"
    assert not (mask & (full == 0)).any()                             # a zero is never needed
    event(f"complements >= 10: {int((complements & (full >= 10)).sum())}")

    shown = suppress_table(pd.DataFrame(x)).to_numpy()
    assert (shown[mask] == S).all()
    assert shown[~mask].tolist() == full[~mask].tolist()              # visible cells are the inputs


@settings(max_examples=200, deadline=None)
@given(st.lists(count, min_size=1, max_size=8))
def test_series_is_safe(counts):
    x = np.array(counts)
    full = np.append(x, x.sum())
    mask = suppression_mask(pd.Series(x)).to_numpy()
    equation = np.append(np.ones(len(x)), -1)[None, :]

    assert determined(equation, mask) == []
    assert mask[(full >= 1) & (full <= 9)].all()
    assert mask.sum() <= (full >= 1).sum() and mask.sum() - ((full >= 1) & (full <= 9)).sum() <= 1
    assert suppress_series(pd.Series(x)).tolist() == [S if m else int(v) for v, m in zip(full, mask)]


@settings(max_examples=100, deadline=None)
@given(tables)
def test_without_margins_only_small_cells_are_hidden(counts):
    x = np.array(counts)
    assert (suppression_mask(pd.DataFrame(x), margins=False).to_numpy() == ((x >= 1) & (x <= 9))).all()


# --- tidy frames for charts ----------------------------------------------------------------------------

def attendance() -> pd.DataFrame:
    rows = [("Jan", "Rendah", 3, 2), ("Jan", "Tinggi", 20, 12), ("Feb", "Rendah", 30, 30),
            ("Feb", "Tinggi", 40, 5)]
    frame = pd.DataFrame(rows, columns=["bulan", "risiko", "klien", "hadir"])
    frame["kepatuhan"] = frame["hadir"] / frame["klien"]
    return frame


def test_suppress_long_blanks_rates_on_hidden_counts():
    out = suppress_long(attendance(), "klien", ["bulan", "risiko"], rate_cols={"kepatuhan": "hadir"})
    assert out.astype(object).where(out.notna(), None).to_dict("records") == [
        # klien 3 forces the rectangle; hadir 2 and 5 are small, and hadir needs its own complements
        {"bulan": "Jan", "risiko": "Rendah", "klien": None, "hadir": None, "kepatuhan": None,
         "disembunyikan": True},
        {"bulan": "Jan", "risiko": "Tinggi", "klien": None, "hadir": None, "kepatuhan": None,
         "disembunyikan": True},
        {"bulan": "Feb", "risiko": "Rendah", "klien": None, "hadir": None, "kepatuhan": None,
         "disembunyikan": True},
        {"bulan": "Feb", "risiko": "Tinggi", "klien": None, "hadir": None, "kepatuhan": None,
         "disembunyikan": True},
    ]


def test_suppress_long_keeps_rates_on_visible_counts():
    frame = pd.DataFrame({"bulan": ["Jan", "Jan", "Feb", "Feb", "Mar", "Mar"],
                          "risiko": ["Rendah", "Tinggi"] * 3,
                          "klien": [4, 20, 30, 40, 50, 60],
                          "hadir": [4, 15, 30, 25, 45, 30]})
    frame["kepatuhan"] = frame["hadir"] / frame["klien"]
    out = suppress_long(frame, "klien", ["bulan", "risiko"], rate_cols={"kepatuhan": ("hadir", "klien")})
    assert out["disembunyikan"].tolist() == [True, True, True, True, False, False]
    assert out["klien"].tolist() == [pd.NA, pd.NA, pd.NA, pd.NA, 50, 60]
    assert out["hadir"].tolist() == [pd.NA, pd.NA, pd.NA, pd.NA, 45, 30]
    assert out["kepatuhan"].fillna(-1).tolist() == [-1, -1, -1, -1, 0.9, 0.5]


def test_suppress_long_blanks_rates_on_a_hidden_numerator():
    frame = pd.DataFrame({"risiko": ["Rendah", "Sedang", "Tinggi"], "klien": [30, 40, 50], "hadir": [3, 25, 40]})
    frame["kepatuhan"] = frame["hadir"] / frame["klien"]
    out = suppress_long(frame, "klien", ["risiko"], rate_cols={"kepatuhan": "hadir"})
    assert out["disembunyikan"].tolist() == [False, False, False]
    assert out["klien"].tolist() == [30, 40, 50]
    assert out["hadir"].tolist() == [pd.NA, pd.NA, 40]
    assert out["kepatuhan"].fillna(-1).tolist() == [-1, -1, 0.8]


def test_suppress_long_one_dimension_and_facets():
    one = pd.DataFrame({"risiko": ["Rendah", "Sedang", "Tinggi"], "klien": [3, 25, 40]})
    assert suppress_long(one, "klien", ["risiko"])["disembunyikan"].tolist() == [True, True, False]

    facets = pd.DataFrame({"bapas": ["A"] * 4 + ["B"] * 4,
                           "bulan": ["Jan", "Jan", "Feb", "Feb"] * 2,
                           "risiko": ["Rendah", "Tinggi"] * 4,
                           "klien": [3, 20, 30, 40, 11, 20, 30, 40]})
    out = suppress_long(facets, "klien", ["bulan", "risiko", "bapas"])
    assert out["disembunyikan"].tolist() == [True] * 4 + [False] * 4


def test_suppress_long_refuses_two_rows_for_one_cell():
    frame = pd.DataFrame({"risiko": ["Rendah", "Rendah"], "klien": [3, 4]})
    with pytest.raises(ValueError):
        suppress_long(frame, "klien", ["risiko"])
