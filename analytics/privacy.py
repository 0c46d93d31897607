"""Small-number rule: counts of 1–9 people shown to aggregate-only roles become "<10", totals included."""
# One implementation for every chart, table and export. A hidden cell must not be recomputable from what
# stays visible: with totals shown, the hidden cells are the unknowns of the linear system "each row and
# column adds up to its total", and a hidden cell is recomputable exactly when its edge in the bipartite
# graph rows–columns (edges = hidden cells, the totals being a row and a column of their own) is a bridge.
# So we hide the small cells, close every bridge into a cycle along the cheapest path of visible cells
# (smallest non-zero counts first, zeros only when nothing else will do), then give back any extra cell
# that turned out not to be needed.
#
# Callers that show no totals may pass `margins=False` / `total_shown=False` (small cells only); callers
# that show any total, or draw stacked bars whose height is a total, must keep the default.
from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence

import numpy as np
import pandas as pd

from analytics.viewer import AGGREGATE_ONLY, ROLES

SMALL = "<10"
# a hidden rate, share or amount (not a count of people): «<10» there would read as «under 10%» or «under Rp10»
HIDDEN_VALUE = "disembunyikan"
TOTAL = "Jumlah"
HIDDEN_COL = "disembunyikan"


def is_small(n) -> bool:
    """True for a count of 1–9 (the counts to hide); 0, 10+ and missing values are not small."""
    return bool(not pd.isna(n) and 1 <= n <= 9)


def needs_suppression(role: str | None) -> bool:
    """True when aggregates shown to this role follow the small-number rule (unknown roles included)."""
    return role not in ROLES or role in AGGREGATE_ONLY


def hidden_values(table: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """A shown table whose hidden rates, shares or amounts in `columns` read «disembunyikan» instead of «<10»."""
    out = table.copy()
    for column in columns:
        if column in out:
            out[column] = out[column].replace(SMALL, HIDDEN_VALUE)
    return out


def suppression_mask(counts: pd.DataFrame | pd.Series, margins: bool = True) -> pd.DataFrame | pd.Series:
    """Which cells to hide: the interior, plus the "Jumlah" row/column (or entry) when margins are shown."""
    if isinstance(counts, pd.Series):
        values = _counts(counts.to_numpy(dtype=float, na_value=np.nan))
        hidden = _series_mask(values, margins)
        return pd.Series(hidden, index=_labels(counts.index, margins), name=counts.name)
    values = _counts(counts.to_numpy(dtype=float, na_value=np.nan))
    hidden = _table_mask(values, margins)
    return pd.DataFrame(hidden, index=_labels(counts.index, margins), columns=_labels(counts.columns, margins))


def suppress_series(counts: pd.Series, total_shown: bool = True) -> pd.Series:
    """The counts as display values ("<10" where hidden), with a "Jumlah" entry when the total is shown."""
    shown = _with_total(counts) if total_shown else counts
    mask = suppression_mask(counts, total_shown)
    return pd.Series(_display(shown.to_numpy(), mask.to_numpy()), index=mask.index, name=counts.name,
                     dtype=object)


def suppress_table(counts: pd.DataFrame, margins: bool = True) -> pd.DataFrame:
    """A pivot of counts as display values ("<10" where hidden), with a "Jumlah" row and column when margins."""
    mask = suppression_mask(counts, margins)
    values = counts.to_numpy(dtype=float, na_value=np.nan)
    if margins:
        values = _with_margins(values)
    return pd.DataFrame(_display(values, mask.to_numpy()), index=mask.index, columns=mask.columns,
                        dtype=object)


def suppress_long(df: pd.DataFrame, count_col: str, by: Sequence[str],
                  rate_cols: Mapping[str, str | Sequence[str]] | None = None,
                  margins: bool = True) -> pd.DataFrame:
    """A tidy frame with hidden counts and the rates built on them blanked, flagged in "disembunyikan"."""
    # The table rule runs over by[0] × by[1] (the series rule for one `by`), once per value of any further
    # `by` columns. `rate_cols` maps each rate column to the count column(s) it is built on; those counts
    # follow the same rule, and a rate is blanked where `count_col` or one of its own counts is hidden.
    # Hidden counts become <NA>, not "<10", so charts keep a numeric column and draw them hatched.
    by = list(by)
    if not by:
        raise ValueError("by must name at least one column")
    if df.duplicated(by).any():
        raise ValueError(f"more than one row per {by}")
    rate_cols = {rate: [cols] if isinstance(cols, str) else list(cols) for rate, cols in (rate_cols or {}).items()}
    out = df.copy()
    hidden = {col: _long_mask(df, col, by, margins)
              for col in dict.fromkeys([count_col, *(c for cols in rate_cols.values() for c in cols)])}
    for col, mask in hidden.items():
        out[col] = out[col].astype("Int64").mask(mask)
    for rate, cols in rate_cols.items():
        blank = hidden[count_col].copy()
        for col in cols:
            blank |= hidden[col]
        out[rate] = out[rate].astype(float).mask(blank)
    out[HIDDEN_COL] = hidden[count_col]
    return out


# --- the rule on plain arrays -------------------------------------------------------------------------

def _counts(values: np.ndarray) -> np.ndarray:
    if np.isnan(values).any() or (values < 0).any() or (values != np.round(values)).any():
        raise ValueError("counts must be non-negative whole numbers")
    return values.astype(np.int64)


def _series_mask(values: np.ndarray, total_shown: bool) -> np.ndarray:
    if not total_shown:
        return (values >= 1) & (values <= 9)
    # one equation, sum of cells - total = 0: every cell joins the same two nodes, so a lone hidden
    # cell is a bridge and any second hidden cell closes it
    cells = {i: int(v) for i, v in enumerate([*values, values.sum()])}
    hidden = _hidden_cells(cells, {i: (("sum",), ("free",)) for i in cells})
    return np.array([i in hidden for i in cells], dtype=bool)


def _table_mask(values: np.ndarray, margins: bool) -> np.ndarray:
    if not margins:
        return (values >= 1) & (values <= 9)
    full = _with_margins(values).astype(np.int64)
    r, c = values.shape
    # interior first, so its bridges are closed first and margins are hidden only when they must be
    order = sorted(np.ndindex(full.shape), key=lambda k: (k[0] == r or k[1] == c, k))
    cells = {k: int(full[k]) for k in order}
    hidden = _hidden_cells(cells, {(i, j): (("row", i), ("col", j)) for i, j in order})
    mask = np.zeros(full.shape, dtype=bool)
    for k in hidden:
        mask[k] = True
    return mask


def _hidden_cells(values: dict[Hashable, int], ends: dict[Hashable, tuple]) -> set:
    """The small cells plus the complements that leave no hidden cell on a bridge."""
    primary = {k for k, v in values.items() if is_small(v)}
    hidden = set(primary)
    # a zero protects nothing (the reader knows 0 <= x), so it costs more than any path without zeros
    big = sum(values.values()) + len(values) + 1
    cost = {k: v + 1 if v else big for k, v in values.items()}
    adjacent = defaultdict(list)
    for k, (u, v) in ends.items():
        adjacent[u].append((v, k))
        adjacent[v].append((u, k))
    while bridges := _bridges({k: ends[k] for k in hidden}):
        first = next(k for k in values if k in bridges)
        hidden |= _cheapest_path(adjacent, cost, hidden, ends[first], avoid=first)
    # closing bridges one at a time can leave a complement that a later path made redundant
    removed = True
    while removed:
        removed = False
        for k in sorted(hidden - primary, key=lambda k: -cost[k]):
            if not _bridges({c: ends[c] for c in hidden - {k}}):
                hidden.remove(k)
                removed = True
    return hidden


def _cheapest_path(adjacent, cost, hidden, ends, avoid) -> set:
    """Cells on the cheapest path between the two ends of `avoid`, hidden cells being free."""
    start, goal = ends
    dist, previous, queue = {start: 0}, {}, [(0, start)]
    while queue:
        d, node = heapq.heappop(queue)
        if node == goal:
            break
        if d > dist[node]:
            continue
        for nxt, k in adjacent[node]:
            step = d + (0 if k in hidden else cost[k])
            if k != avoid and step < dist.get(nxt, float("inf")):
                dist[nxt], previous[nxt] = step, (node, k)
                heapq.heappush(queue, (step, nxt))
    path, node = set(), goal
    while node != start:
        node, k = previous[node]
        path.add(k)
    return path


def _bridges(edges: dict[Hashable, tuple]) -> set:
    """Edges on no cycle (Tarjan, iterative; parallel edges allowed)."""
    adjacent = defaultdict(list)
    for k, (u, v) in edges.items():
        adjacent[u].append((v, k))
        adjacent[v].append((u, k))
    disc, low, found = {}, {}, set()
    for root in adjacent:
        if root in disc:
            continue
        disc[root] = low[root] = len(disc)
        stack = [(root, None, iter(adjacent[root]))]
        while stack:
            node, via, todo = stack[-1]
            for nxt, k in todo:
                if k == via:
                    continue
                if nxt in disc:
                    low[node] = min(low[node], disc[nxt])
                else:
                    disc[nxt] = low[nxt] = len(disc)
                    stack.append((nxt, k, iter(adjacent[nxt])))
                    break
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > disc[parent]:
                        found.add(via)
    return found


# --- labels and display -------------------------------------------------------------------------------

def _with_margins(values: np.ndarray) -> np.ndarray:
    r, c = values.shape
    full = np.zeros((r + 1, c + 1), dtype=values.dtype)
    full[:r, :c] = values
    full[:r, c] = values.sum(axis=1)
    full[r, :c] = values.sum(axis=0)
    full[r, c] = values.sum()
    return full


def _with_total(counts: pd.Series) -> pd.Series:
    return pd.Series([*counts.to_numpy(), counts.sum()], index=_labels(counts.index, True))


def _labels(index: pd.Index, total: bool) -> pd.Index:
    if not total:
        return index
    if TOTAL in list(index):
        raise ValueError(f'"{TOTAL}" is already a label; it is reserved for the total')
    return pd.Index([*index, TOTAL], name=index.name, dtype=object)


def _display(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    shown = np.empty(values.shape, dtype=object)
    for k in np.ndindex(values.shape):
        shown[k] = SMALL if mask[k] else int(values[k])
    return shown


def _long_mask(df: pd.DataFrame, col: str, by: list[str], margins: bool) -> pd.Series:
    """Hidden flags of one count column of a tidy frame, aligned to its rows."""
    if len(by) == 1:
        series = df.set_index(by[0])[col].fillna(0)
        return pd.Series(suppression_mask(series, margins).reindex(df[by[0]]).to_numpy(), index=df.index)
    flags = pd.Series(False, index=df.index)
    groups = df.groupby(by[2:], dropna=False, observed=True, sort=False) if len(by) > 2 else [(None, df)]
    for _, part in groups:
        table = part.pivot(index=by[0], columns=by[1], values=col).fillna(0)
        mask = suppression_mask(table, margins)
        keys = pd.MultiIndex.from_frame(part[by[:2]])
        flags.loc[part.index] = mask.stack().reindex(keys).to_numpy()
    return flags
