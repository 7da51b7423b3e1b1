"""Inputs of the Initiative spread page: the status matrix and one initiative's spread."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pandas as pd
import plotly.graph_objects as go

#: Heatmap codes of the statuses, in the order an initiative lives them (0 = not stated).
STATUS_CODES = {"planned": 1, "implemented": 2, "continued": 3, "stopped": 4}
_STATUS_COLOURS = ["#ffffff", "#c6dbef", "#2171b5", "#08306b", "#d95f02"]


def status_frame(matrix: dict[str, Any]) -> pd.DataFrame:
    """Sites (rows, by name) by initiatives (columns, by name) holding each cell's status.

    >>> m = {"sites": [{"id": "s", "name": "Site 1"}], "initiatives": [{"id": "i", "name": "MDT"},
    ...      {"id": "j", "name": "MSK"}], "cells": [{"site": "s", "initiative": "i",
    ...      "status": "stopped"}]}
    >>> status_frame(m).to_dict()
    {'MDT': {'Site 1': 'stopped'}, 'MSK': {'Site 1': ''}}
    """
    sites = {s["id"]: str(s["name"]) for s in matrix.get("sites", [])}
    inits = {i["id"]: str(i["name"]) for i in matrix.get("initiatives", [])}
    row = {sid: i for i, sid in enumerate(sites)}
    col = {iid: j for j, iid in enumerate(inits)}
    grid = [[""] * len(inits) for _ in sites]
    for c in matrix.get("cells", []):
        grid[row[c["site"]]][col[c["initiative"]]] = str(c["status"])
    return pd.DataFrame(
        grid, index=_unique(list(sites.values())), columns=_unique(list(inits.values()))
    )


#: The heatmap draws at most this many sites (rows) and initiatives (columns): beyond a few
#: dozen of each it is unreadable, and a graph of 10,000 documents holds tens of thousands of
#: sites. The metrics and the CSV download always cover the whole matrix.
HEATMAP_MAX_SITES = 60
HEATMAP_MAX_INITIATIVES = 40


def busiest(
    matrix: dict[str, Any],
    max_sites: int = HEATMAP_MAX_SITES,
    max_initiatives: int = HEATMAP_MAX_INITIATIVES,
) -> dict[str, Any]:
    """The matrix cut to the initiatives, then the sites, with the most implementations.

    Initiatives are ranked by how many sites implement them, then sites by how many of the
    kept initiatives they implement (ties keep the matrix's own order, by name). Rows and
    columns stay in the matrix's order; a matrix within both limits is returned as it is.

    >>> m = {"sites": [{"id": s, "name": s} for s in "abc"],
    ...      "initiatives": [{"id": i, "name": i} for i in "xyz"],
    ...      "cells": [{"site": s, "initiative": i, "status": "implemented"}
    ...                for s, i in ("ax", "bx", "cx", "ay", "by", "cz")]}
    >>> cut = busiest(m, max_sites=2, max_initiatives=2)
    >>> [i["id"] for i in cut["initiatives"]], [s["id"] for s in cut["sites"]]
    (['x', 'y'], ['a', 'b'])
    >>> [(c["site"], c["initiative"]) for c in cut["cells"]]
    [('a', 'x'), ('b', 'x'), ('a', 'y'), ('b', 'y')]
    """
    sites, inits, cells = matrix["sites"], matrix["initiatives"], matrix["cells"]
    if len(sites) <= max_sites and len(inits) <= max_initiatives:
        return matrix

    def top(ids: list[str], counts: dict[str, int], k: int) -> set[str]:
        order = sorted(range(len(ids)), key=lambda j: (-counts.get(ids[j], 0), j))
        return {ids[j] for j in order[:k]}

    per_init: dict[str, int] = {}
    for c in cells:
        per_init[c["initiative"]] = per_init.get(c["initiative"], 0) + 1
    kept_inits = top([i["id"] for i in inits], per_init, max_initiatives)
    per_site: dict[str, int] = {}
    for c in cells:
        if c["initiative"] in kept_inits:
            per_site[c["site"]] = per_site.get(c["site"], 0) + 1
    kept_sites = top([s["id"] for s in sites], per_site, max_sites)
    return {
        "sites": [s for s in sites if s["id"] in kept_sites],
        "initiatives": [i for i in inits if i["id"] in kept_inits],
        "cells": [c for c in cells if c["site"] in kept_sites and c["initiative"] in kept_inits],
    }


def matrix_rows(matrix: dict[str, Any]) -> pd.DataFrame:
    """The whole matrix in long form, one row per implementation (what the CSV download holds).

    Columns: ``site``, ``site_label``, ``initiative``, ``status`` (the latest stated) and
    ``statuses`` (all stated, ``;``-joined), ``site_id``, ``initiative_id``.

    >>> m = {"sites": [{"id": "s", "name": "Site 1", "label": "Site"}],
    ...      "initiatives": [{"id": "i", "name": "MDT"}],
    ...      "cells": [{"site": "s", "initiative": "i", "status": "stopped",
    ...                 "statuses": ["implemented", "stopped"]}]}
    >>> matrix_rows(m).to_dict("records")[0]["statuses"]
    'implemented; stopped'
    """
    sites = {s["id"]: s for s in matrix.get("sites", [])}
    inits = {i["id"]: str(i["name"]) for i in matrix.get("initiatives", [])}
    columns = ["site", "site_label", "initiative", "status", "statuses", "site_id",
               "initiative_id"]
    return pd.DataFrame(
        [
            {
                "site": str(sites[c["site"]].get("name", c["site"])),
                "site_label": sites[c["site"]].get("label"),
                "initiative": inits.get(c["initiative"], str(c["initiative"])),
                "status": c["status"],
                "statuses": "; ".join(c.get("statuses") or [c["status"]]),
                "site_id": c["site"],
                "initiative_id": c["initiative"],
            }
            for c in matrix.get("cells", [])
        ],
        columns=columns,
    )


def _unique(names: list[str]) -> list[str]:
    """Make display names unique by suffixing repeats (two sites may share a name)."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out


def status_heatmap_figure(frame: pd.DataFrame) -> go.Figure:
    """The status matrix as a heatmap: colour by status, the status as hover text."""
    if frame.empty:
        return go.Figure()
    z = frame.map(lambda s: STATUS_CODES.get(s, 0)).to_numpy()
    n = len(_STATUS_COLOURS) - 1
    scale = []
    for i, colour in enumerate(_STATUS_COLOURS):
        scale += [[i / (n + 1), colour], [(i + 1) / (n + 1), colour]]
    fig = go.Figure(
        go.Heatmap(
            z=z, x=list(frame.columns), y=list(frame.index), text=frame.to_numpy(),
            zmin=-0.5, zmax=n + 0.5, colorscale=scale, xgap=1, ygap=1,
            hovertemplate="%{y} × %{x}: %{text}<extra></extra>",
            colorbar={"tickvals": list(range(n + 1)),
                      "ticktext": ["—", *STATUS_CODES]},
        )
    )
    fig.update_layout(
        height=max(320, 26 * len(frame.index) + 180),
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"tickangle": -40},
    )
    return fig


def spread_graph(spread: dict[str, Any]) -> nx.MultiDiGraph:
    """One initiative's spread as a small graph: places, with a ``SPREAD_TO`` edge per step.

    >>> s = {"origins": [{"id": "a", "name": "Site 1", "label": "Site"}],
    ...      "implemented_at": [], "steps": [{"from": {"id": "a", "name": "Site 1",
    ...      "label": "Site"}, "to": {"id": "n", "name": "PCN DES", "label": "Organisation"},
    ...      "mode": "scale-up"}]}
    >>> g = spread_graph(s)
    >>> sorted(g.nodes), [d["type"] for _, _, d in g.edges(data=True)]
    (['a', 'n'], ['SPREAD_TO (scale-up)'])
    """
    g = nx.MultiDiGraph()
    for n in spread.get("origins", []) + spread.get("implemented_at", []):
        g.add_node(n["id"], label=n.get("label") or "Other", name=n.get("name", n["id"]))
    for s in spread.get("steps", []):
        for end in (s["from"], s["to"]):
            g.add_node(end["id"], label=end.get("label") or "Other", name=end.get("name"))
        g.add_edge(s["from"]["id"], s["to"]["id"], type=f"SPREAD_TO ({s.get('mode')})")
    return g


#: The spread network draws at most this many places (a national scheme can reach hundreds).
SPREAD_MAX_NODES = 150


def spread_view(spread: dict[str, Any], max_nodes: int = SPREAD_MAX_NODES) -> nx.MultiDiGraph:
    """:func:`spread_graph` cut to ``max_nodes`` places: the best connected, then by id.

    >>> s = {"origins": [], "implemented_at": [], "steps": [
    ...     {"from": {"id": f"s{i}", "name": f"Site {i}"}, "to": {"id": "n", "name": "NHSE"},
    ...      "mode": "scale-up"} for i in range(5)]}
    >>> sorted(spread_view(s, max_nodes=3).nodes)
    ['n', 's0', 's1']
    """
    g = spread_graph(spread)
    if g.number_of_nodes() <= max_nodes:
        return g
    order = sorted(g.nodes, key=lambda n: (-g.degree(n), str(n)))
    return g.subgraph(order[:max_nodes]).copy()


def spread_events(spread: dict[str, Any]) -> list[dict[str, Any]]:
    """Timeline points: one per dated step (its first date, as a year when it has one).

    >>> spread_events({"steps": [{"from": {"name": "A"}, "to": {"name": "B"},
    ...                           "mode": "spread", "dates": ["March 2017"]}]})
    [{'when': 2017, 'where': 'B', 'what': 'from A (spread)'}]
    """
    import re

    events = []
    for s in spread.get("steps", []):
        dates = s.get("dates") or []
        if not dates:
            continue
        year = re.search(r"(19|20)\d\d", str(dates[0]))
        events.append(
            {
                "when": int(year.group(0)) if year else str(dates[0]),
                "where": str(s["to"].get("name")),
                "what": f"from {s['from'].get('name')} ({s.get('mode')})",
            }
        )
    return events


def spread_edges(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Every ``SPREAD_TO`` relationship as a row: initiative, from, to, mode, first sentence.

    A flat listing for tables (the analysis per initiative is ``initiative_spread``).

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("i", label="Initiative", name="MDT")
    >>> g.add_node("a", name="Site 1"); g.add_node("b", name="Site 2")
    >>> _ = g.add_edge("a", "b", type="SPREAD_TO", initiative="i", mode="spread")
    >>> spread_edges(g)
    [{'initiative': 'MDT', 'from': 'Site 1', 'to': 'Site 2', 'mode': 'spread', 'evidence': ''}]
    """
    from .evidence import evidence_records

    rows = []
    for u, v, d in graph.edges(data=True):
        if d.get("type") != "SPREAD_TO":
            continue
        init = d.get("initiative")
        ev = evidence_records(d.get("evidence") or [])
        rows.append(
            {
                "initiative": str(graph.nodes[init].get("name", init)) if init in graph
                else str(init or ""),
                "from": str(graph.nodes[u].get("name", u)),
                "to": str(graph.nodes[v].get("name", v)),
                "mode": str(d.get("mode") or "spread"),
                "evidence": ev[0]["text"] if ev else "",
            }
        )
    rows.sort(key=lambda r: (r["initiative"], r["from"], r["to"], r["mode"]))
    return rows
