"""The network view: lay out a small graph and draw it as a Plotly figure.

Plotly's JavaScript ships inside Streamlit, so the view works with no internet.
Clicking a node (``st.plotly_chart(..., on_select="rerun")``) reports the
point's ``customdata``, which holds the node id: :func:`clicked_node` reads it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import plotly.graph_objects as go

#: One colour per SPEC label (colour-blind-safe palette, Okabe-Ito).
LABEL_COLOURS: dict[str, str] = {
    "Person": "#E69F00",
    "Role": "#56B4E9",
    "Organisation": "#009E73",
    "Site": "#D55E00",
    "Initiative": "#CC79A7",
    "Place": "#F0E442",
    "Document": "#999999",
}
OTHER_COLOUR = "#0072B2"


@dataclass
class NetworkElements:
    """Positioned nodes and edges, ready to draw."""

    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)

    def node_ids(self) -> list[str]:
        """The ids of the nodes, in drawing order."""
        return [n["id"] for n in self.nodes]


def scale_sizes(
    values: dict[str, float], nodes: list[str], lo: float = 10.0, hi: float = 36.0
) -> dict[str, float]:
    """Map a measure to marker sizes in ``[lo, hi]`` (square-root scale; missing = 0).

    >>> scale_sizes({"a": 0.0, "b": 4.0}, ["a", "b", "c"])
    {'a': 10.0, 'b': 36.0, 'c': 10.0}
    """
    raw = {n: math.sqrt(max(0.0, float(values.get(n, 0.0)))) for n in nodes}
    top = max(raw.values(), default=0.0)
    if top <= 0:
        return {n: lo for n in nodes}
    return {n: round(lo + (hi - lo) * v / top, 3) for n, v in raw.items()}


def network_elements(
    graph: nx.Graph,
    centre: str | None = None,
    sizes: dict[str, float] | None = None,
    seed: int = 7,
) -> NetworkElements:
    """Lay out ``graph`` (any networkx graph) and return drawable elements.

    ``sizes`` maps node id to a measure (e.g. a centrality) turned into marker
    sizes; ``centre`` is pinned at the origin and drawn with a ring. Layout is
    deterministic for a given graph and ``seed``.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("Person:a", label="Person", name="A")
    >>> g.add_node("Role:gp", label="Role", name="GP")
    >>> _ = g.add_edge("Person:a", "Role:gp", type="HOLDS")
    >>> el = network_elements(g, centre="Person:a")
    >>> [(n["id"], n["colour"]) for n in el.nodes]
    [('Person:a', '#E69F00'), ('Role:gp', '#56B4E9')]
    >>> el.edges[0]["type"]
    'HOLDS'
    """
    ids = sorted(graph.nodes, key=str)
    if not ids:
        return NetworkElements()
    simple = nx.Graph()
    simple.add_nodes_from(ids)
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    if len(ids) == 1:
        pos = {ids[0]: (0.0, 0.0)}
    else:
        fixed = [centre] if centre in simple else None
        init = {centre: (0.0, 0.0)} if fixed else None
        k = 1.5 / math.sqrt(len(ids))
        pos = nx.spring_layout(simple, seed=seed, pos=init, fixed=fixed, k=k)
    marker = scale_sizes(sizes or {}, ids) if sizes else {n: 16.0 for n in ids}
    nodes = []
    for n in ids:
        data = graph.nodes[n]
        label = str(data.get("label", "Other"))
        x, y = (float(c) for c in pos[n])
        nodes.append(
            {
                "id": n,
                "label": label,
                "name": str(data.get("name", n)),
                "x": round(x, 6),
                "y": round(y, 6),
                "size": marker[n],
                "colour": LABEL_COLOURS.get(label, OTHER_COLOUR),
                "centre": n == centre,
                "measure": (sizes or {}).get(n),
            }
        )
    edges = []
    for u, v, data in sorted(graph.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
        (x0, y0), (x1, y1) = pos[u], pos[v]
        edges.append(
            {
                "source": u,
                "target": v,
                "type": str(data.get("type", "")),
                "x0": float(x0),
                "y0": float(y0),
                "x1": float(x1),
                "y1": float(y1),
            }
        )
    return NetworkElements(nodes, edges)


def network_figure(elements: NetworkElements, height: int = 560) -> go.Figure:
    """Draw elements: edges as lines with type labels at mid-points, one trace per label.

    Each node point carries its id as ``customdata`` so a click can open it.
    """
    fig = go.Figure()
    xs: list[float | None] = []
    ys: list[float | None] = []
    for e in elements.edges:
        xs += [e["x0"], e["x1"], None]
        ys += [e["y0"], e["y1"], None]
    fig.add_trace(
        go.Scatter(
            x=xs, y=ys, mode="lines", line={"width": 1, "color": "#bbbbbb"},
            hoverinfo="skip", showlegend=False, name="edges",
        )
    )
    if elements.edges:
        fig.add_trace(
            go.Scatter(
                x=[(e["x0"] + e["x1"]) / 2 for e in elements.edges],
                y=[(e["y0"] + e["y1"]) / 2 for e in elements.edges],
                mode="markers",
                marker={"size": 4, "color": "#bbbbbb"},
                text=[e["type"] for e in elements.edges],
                hovertemplate="%{text}<extra></extra>",
                showlegend=False,
                name="relationships",
            )
        )
    by_label: dict[str, list[dict[str, Any]]] = {}
    for n in elements.nodes:
        by_label.setdefault(n["label"], []).append(n)
    for label in sorted(by_label):
        group = by_label[label]
        fig.add_trace(
            go.Scatter(
                x=[n["x"] for n in group],
                y=[n["y"] for n in group],
                mode="markers+text",
                name=label,
                text=[n["name"][:30] for n in group],
                textposition="top center",
                customdata=[n["id"] for n in group],
                hovertemplate="%{text}<br>%{customdata}<extra>" + label + "</extra>",
                marker={
                    "size": [n["size"] for n in group],
                    "color": group[0]["colour"],
                    "line": {
                        "width": [3 if n["centre"] else 1 for n in group],
                        "color": ["#000000" if n["centre"] else "#ffffff" for n in group],
                    },
                },
            )
        )
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"visible": False},
        yaxis={"visible": False},
        legend={"orientation": "h"},
        clickmode="event+select",
        dragmode="pan",
    )
    return fig


def clicked_node(selection: Any) -> str | None:
    """Return the node id of the first clicked node in a ``plotly_chart`` selection event.

    >>> clicked_node({"selection": {"points": [{"customdata": "Person:a"}]}})
    'Person:a'
    >>> clicked_node({"selection": {"points": []}}) is None
    True
    """
    if not selection:
        return None
    sel = selection.get("selection", {}) if hasattr(selection, "get") else {}
    for point in (sel or {}).get("points", []) or []:
        data = point.get("customdata")
        if isinstance(data, list | tuple):
            data = data[0] if data else None
        if isinstance(data, str) and data:
            return data
    return None


#: Centralities the network view can size nodes by (computed on the view itself).
VIEW_MEASURES = ("degree", "betweenness", "pagerank")


def view_measure(graph: nx.Graph, measure: str) -> dict[str, float]:
    """A centrality of each node of the (small) displayed graph, ties read undirected.

    >>> g = nx.MultiDiGraph([("a", "b"), ("a", "c")])
    >>> view_measure(g, "degree")
    {'a': 2.0, 'b': 1.0, 'c': 1.0}
    """
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes)
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    if measure == "degree":
        return {n: float(d) for n, d in simple.degree()}
    if measure == "betweenness":
        return {n: float(v) for n, v in nx.betweenness_centrality(simple).items()}
    if measure == "pagerank":
        return {n: float(v) for n, v in nx.pagerank(simple).items()} if len(simple) else {}
    raise ValueError(f"unknown measure {measure!r}: expected one of {', '.join(VIEW_MEASURES)}")


def keep_sectors(graph: nx.MultiDiGraph, sectors: list[str], centre: str) -> nx.MultiDiGraph:
    """Drop organisations whose ``sector`` is not in ``sectors`` (others and the centre stay).

    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from([("p", {"label": "Person"}), ("o1", {"sector": "NHS"}),
    ...                   ("o2", {"sector": "VOLUNTARY"})])
    >>> sorted(keep_sectors(g, ["NHS"], "p").nodes)
    ['o1', 'p']
    """
    if not sectors:
        return graph
    wanted = set(sectors)
    keep = [
        n
        for n, d in graph.nodes(data=True)
        if n == centre or d.get("sector") is None or d.get("sector") in wanted
    ]
    return graph.subgraph(keep).copy()


def cap_view(graph: nx.MultiDiGraph, centre: str, max_nodes: int = 150) -> nx.MultiDiGraph:
    """Keep at most ``max_nodes`` nodes: the nearest to ``centre``, then the best connected.

    >>> g = nx.MultiDiGraph([("c", "a"), ("a", "b"), ("c", "d")])
    >>> sorted(cap_view(g, "c", 3).nodes)
    ['a', 'c', 'd']
    """
    if graph.number_of_nodes() <= max_nodes or centre not in graph:
        return graph
    dist = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), centre)
    order = sorted(
        graph.nodes, key=lambda n: (dist.get(n, 10**9), -graph.degree(n), str(n))
    )
    return graph.subgraph(order[:max_nodes]).copy()
