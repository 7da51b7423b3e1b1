"""Chart builders: Sankey, heatmap, stacked bars and timelines as Plotly figures."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go


def sankey_data(links: Iterable[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """Turn ``{"source", "target", "value"}`` (or ``"count"``) links into Sankey arrays.

    Nodes are named ``"<name> (from)"`` on the left and ``"<name> (to)"`` on the
    right, so a type that is both a source and a target (e.g. CCG to CCG) does
    not make a loop. Links with the same ends are summed.

    >>> d = sankey_data([{"source": "VANGUARD", "target": "ICS", "value": 2},
    ...                  {"source": "VANGUARD", "target": "ICS", "value": 1},
    ...                  {"source": "CCG", "target": "ICS", "value": 1}])
    >>> d["labels"], d["source"], d["target"], d["value"]
    (['CCG (from)', 'VANGUARD (from)', 'ICS (to)'], [0, 1], [2, 2], [1, 3])
    """
    totals: dict[tuple[str, str], float] = {}
    for link in links:
        key = (str(link["source"]), str(link["target"]))
        totals[key] = totals.get(key, 0) + link.get("value", link.get("count", 1))
    lefts = sorted({s for s, _ in totals})
    rights = sorted({t for _, t in totals})
    labels = [f"{s} (from)" for s in lefts] + [f"{t} (to)" for t in rights]
    index = {("L", s): i for i, s in enumerate(lefts)}
    index.update({("R", t): len(lefts) + i for i, t in enumerate(rights)})
    pairs = sorted(totals)
    return {
        "labels": labels,
        "source": [index[("L", s)] for s, _ in pairs],
        "target": [index[("R", t)] for _, t in pairs],
        "value": [totals[p] for p in pairs],
    }


def sankey_figure(links: Iterable[Mapping[str, Any]], height: int = 420) -> go.Figure:
    """A Sankey diagram of ``links`` (see :func:`sankey_data`)."""
    d = sankey_data(links)
    fig = go.Figure(
        go.Sankey(
            node={"label": d["labels"], "pad": 18, "thickness": 16},
            link={"source": d["source"], "target": d["target"], "value": d["value"]},
        )
    )
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    return fig


def matrix_frame(
    cells: Iterable[Mapping[str, Any]], row: str, column: str, value: str | None = None
) -> pd.DataFrame:
    """Pivot ``cells`` (one dict per cell) into a rows-by-columns frame (missing = 0).

    >>> m = matrix_frame([{"site": "S1", "initiative": "MDT", "n": 2},
    ...                   {"site": "S2", "initiative": "MSK", "n": 1}], "site", "initiative", "n")
    >>> m.to_dict()
    {'MDT': {'S1': 2, 'S2': 0}, 'MSK': {'S1': 0, 'S2': 1}}
    """
    rows = [dict(c) for c in cells]
    if not rows:
        return pd.DataFrame()
    frame = pd.DataFrame(rows)
    if value is None:
        frame["_n"] = 1
        value = "_n"
    out = frame.pivot_table(index=row, columns=column, values=value, aggfunc="sum", fill_value=0)
    out = out.sort_index().sort_index(axis=1)
    return out.astype(type(out.iloc[0, 0].item())) if out.size else out


def heatmap_figure(matrix: pd.DataFrame, height: int | None = None) -> go.Figure:
    """A heatmap of a rows-by-columns frame (e.g. sites by initiatives)."""
    if matrix.empty:
        return go.Figure()
    fig = go.Figure(
        go.Heatmap(
            z=matrix.to_numpy(),
            x=[str(c) for c in matrix.columns],
            y=[str(r) for r in matrix.index],
            colorscale="Blues",
            hovertemplate="%{y} × %{x}: %{z}<extra></extra>",
        )
    )
    fig.update_layout(
        height=height or max(300, 28 * len(matrix.index) + 160),
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"tickangle": -40},
    )
    return fig


def stacked_bar_figure(
    frame: pd.DataFrame, name: str, parts: list[str], limit: int = 20
) -> go.Figure:
    """Horizontal stacked bars: one bar per row named by ``name``, one segment per part.

    Rows keep their order (the caller ranks them); the first is drawn at the top.
    """
    top = frame.head(limit)
    fig = go.Figure()
    for part in parts:
        if part in top.columns:
            fig.add_trace(
                go.Bar(
                    y=[str(v) for v in top[name]],
                    x=pd.to_numeric(top[part], errors="coerce").fillna(0),
                    name=part,
                    orientation="h",
                )
            )
    fig.update_layout(
        barmode="stack",
        height=max(300, 26 * len(top) + 120),
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        yaxis={"autorange": "reversed"},
        legend={"orientation": "h"},
    )
    return fig


def timeline_figure(events: Iterable[Mapping[str, Any]], height: int = 360) -> go.Figure:
    """Points on a time axis: each event has ``when`` (year or date), ``where`` and ``what``."""
    rows = [dict(e) for e in events if e.get("when") not in (None, "")]
    fig = go.Figure()
    if rows:
        fig.add_trace(
            go.Scatter(
                x=[r["when"] for r in rows],
                y=[str(r.get("where", "")) for r in rows],
                mode="markers+text",
                text=[str(r.get("what", "")) for r in rows],
                textposition="top center",
                marker={"size": 12},
            )
        )
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    return fig
