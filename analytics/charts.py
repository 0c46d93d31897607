"""Chart builders: a DataFrame in, a Plotly figure out, in the one house style (analytics/format.py)."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics import format as fmt


def compliance_trend(frame: pd.DataFrame) -> go.Figure:
    """Monthly wajib lapor compliance (attended, and on time) as two lines in percent."""
    months = [fmt.BULAN_SINGKAT[d.month] + f" {d.year % 100:02d}" for d in pd.to_datetime(frame["bulan"])]
    figure = go.Figure()
    figure.add_scatter(x=months, y=frame["kepatuhan"] * 100, name="Hadir atau terlambat", mode="lines+markers",
                       line=dict(color=fmt.ATTENDANCE_COLOURS["HADIR"], width=3),
                       hovertemplate="%{x}: %{y:.1f}%<extra></extra>")
    figure.add_scatter(x=months, y=frame["tepat_waktu_persen"] * 100, name="Tepat waktu", mode="lines+markers",
                       line=dict(color=fmt.ATTENDANCE_COLOURS["TERLAMBAT"], width=2, dash="dot"),
                       hovertemplate="%{x}: %{y:.1f}%<extra></extra>")
    figure.update_layout(template="bapas", title="Kepatuhan wajib lapor per bulan", height=360,
                         yaxis=dict(title="% dari wajib lapor terjadwal", range=[0, 100], ticksuffix="%"),
                         xaxis=dict(title="Bulan"))
    return figure
