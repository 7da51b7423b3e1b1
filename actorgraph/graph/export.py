"""Export the whole graph: JSON (node-link), GraphML, GEXF and CSV for ``neo4j-admin``.

All formats are written from one ``networkx.MultiDiGraph`` in the export form
of docs/architecture.md (``store.to_networkx()``):

* **json**: ``networkx.node_link_data(G, edges="edges")``, the SPEC contract:
  nodes with ``id``, ``label``, ``name``, ``aliases`` and properties; edges
  with ``source``, ``target``, ``key``, ``type``, properties and ``evidence``
  (a list of ``{"doc", "start", "end", "text"}``).
* **graphml** and **gexf** allow only scalar attributes, so lists (``aliases``,
  ``merged_from``...) and ``evidence`` are written as JSON strings; an
  attribute whose values mix types is written as strings. In GEXF, whose
  reserved attributes mean other things, a node's GEXF ``label`` is its
  ``name`` (what Gephi shows) and its graph label is the attribute
  ``node_label``; an edge's GEXF ``label`` is its type (also in ``rel_type``),
  and ``start``/``end`` properties become ``period_start``/``period_end``.
* **csv**: a folder with ``nodes.csv`` (``id:ID``, ``:LABEL``, ``name``,
  ``aliases:string[]``, properties with typed headers, ``evidence`` as a JSON
  string, ``docs:string[]``) and ``relationships.csv`` (``:START_ID``,
  ``:END_ID``, ``:TYPE``, ``key``, properties, ``evidence``, ``docs:string[]``),
  for ``neo4j-admin database import full --nodes=nodes.csv
  --relationships=relationships.csv --array-delimiter=";" neo4j``. Entity nodes
  get the labels ``Entity;<Label>`` as in the Neo4j store.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import networkx as nx

FORMATS = ("json", "graphml", "gexf", "csv")
ARRAY_DELIMITER = ";"


def node_link(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """The SPEC's node-link JSON form of a graph."""
    return nx.node_link_data(graph, edges="edges")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _scalar_graph(graph: nx.MultiDiGraph, gexf: bool = False) -> nx.MultiDiGraph:
    """A copy whose attributes are all scalars of one type per attribute name."""
    out = nx.MultiDiGraph()
    nodes = []
    for node_id, data in graph.nodes(data=True):
        attrs = {k: v for k, v in data.items() if v is not None}
        if gexf:
            attrs["node_label"] = attrs.pop("label", "")
            attrs["label"] = attrs.get("name", node_id)
            for reserved in ("start", "end", "pid", "id"):
                if reserved in attrs:
                    attrs[f"{reserved}_"] = attrs.pop(reserved)
        nodes.append((node_id, attrs))
    edges = []
    for src, dst, key, data in graph.edges(keys=True, data=True):
        attrs = {k: v for k, v in data.items() if v is not None}
        if gexf:
            attrs["rel_type"] = attrs.pop("type", "")
            attrs["label"] = attrs["rel_type"]
            for reserved in ("start", "end"):
                if reserved in attrs:
                    attrs[f"period_{reserved}"] = attrs.pop(reserved)
            for reserved in ("weight", "id"):
                if reserved in attrs:
                    attrs[f"{reserved}_"] = attrs.pop(reserved)
        edges.append((src, dst, key, attrs))
    for records in ([a for _, a in nodes], [a for *_, a in edges]):
        _unify_types(records)
    for node_id, attrs in nodes:
        out.add_node(node_id, **attrs)
    for src, dst, key, attrs in edges:
        out.add_edge(src, dst, key=key, **attrs)
    return out


def _unify_types(records: list[dict[str, Any]]) -> None:
    """Make every attribute scalar, and of one type across ``records`` (in place)."""
    for attrs in records:
        for k, v in attrs.items():
            if isinstance(v, list | tuple | dict):
                attrs[k] = _json(v)
    kinds: dict[str, set[type]] = {}
    for attrs in records:
        for k, v in attrs.items():
            kinds.setdefault(k, set()).add(type(v))
    for k, types in kinds.items():
        if len(types) <= 1:
            continue
        to_float = types <= {int, float}
        for attrs in records:
            if k in attrs:
                attrs[k] = float(attrs[k]) if to_float else str(attrs[k])


def write_json(graph: nx.MultiDiGraph, out: Path) -> None:
    """Write the node-link JSON."""
    out.write_text(json.dumps(node_link(graph), ensure_ascii=False, indent=1) + "\n", "utf-8")


def write_graphml(graph: nx.MultiDiGraph, out: Path) -> None:
    """Write GraphML with scalar attributes (lists and evidence as JSON strings)."""
    nx.write_graphml(_scalar_graph(graph), out, encoding="utf-8")


def write_gexf(graph: nx.MultiDiGraph, out: Path) -> None:
    """Write GEXF 1.2 with scalar attributes (see the module docstring for renamed ones)."""
    nx.write_gexf(_scalar_graph(graph, gexf=True), out, encoding="utf-8")


def _csv_type(values: list[Any]) -> str:
    kinds = {type(v) for v in values}
    if kinds == {bool}:
        return "boolean"
    if kinds <= {int}:
        return "long"
    if kinds <= {int, float}:
        return "double"
    if kinds <= {list, tuple}:
        return "string[]"
    return "string"


def _csv_value(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "string[]":
        return ARRAY_DELIMITER.join(str(v).replace(ARRAY_DELIMITER, ",") for v in value)
    if kind == "boolean":
        return "true" if value else "false"
    if isinstance(value, dict | list | tuple):
        return _json(value)
    return str(value)


def _docs(data: dict[str, Any]) -> list[str]:
    return sorted({ev["doc"] for ev in data.get("evidence", [])})


def write_csv(graph: nx.MultiDiGraph, out: Path) -> tuple[Path, Path]:
    """Write ``nodes.csv`` and ``relationships.csv`` into the folder ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    fixed_n = {"label", "name", "aliases", "evidence"}
    node_rows = list(graph.nodes(data=True))
    props = sorted({k for _, d in node_rows for k in d} - fixed_n - {"id", "docs"})
    kinds = {k: _csv_type([d[k] for _, d in node_rows if d.get(k) is not None]) for k in props}
    nodes_csv = out / "nodes.csv"
    with nodes_csv.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id:ID", ":LABEL", "name", "aliases:string[]",
                         *[f"{k}:{kinds[k]}" for k in props], "evidence", "docs:string[]"])
        for node_id, d in node_rows:
            label = d.get("label", "")
            labels = label if label == "Document" else f"Entity{ARRAY_DELIMITER}{label}"
            docs = [d["name"]] if label == "Document" else _docs(d)
            writer.writerow([node_id, labels, d.get("name", ""),
                             _csv_value(d.get("aliases", []), "string[]"),
                             *[_csv_value(d.get(k), kinds[k]) for k in props],
                             _json(d.get("evidence", [])), _csv_value(docs, "string[]")])
    edge_rows = list(graph.edges(keys=True, data=True))
    fixed_e = {"type", "evidence", "key", "docs"}
    eprops = sorted({k for *_, d in edge_rows for k in d} - fixed_e)
    ekinds = {k: _csv_type([d[k] for *_, d in edge_rows if d.get(k) is not None])
              for k in eprops}
    rels_csv = out / "relationships.csv"
    with rels_csv.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([":START_ID", ":END_ID", ":TYPE", "key",
                         *[f"{k}:{ekinds[k]}" for k in eprops], "evidence", "docs:string[]"])
        for src, dst, key, d in edge_rows:
            writer.writerow([src, dst, d.get("type", ""), key,
                             *[_csv_value(d.get(k), ekinds[k]) for k in eprops],
                             _json(d.get("evidence", [])), _csv_value(_docs(d), "string[]")])
    return nodes_csv, rels_csv


def export_graph(graph: nx.MultiDiGraph, fmt: str, out: str | Path) -> list[Path]:
    """Write ``graph`` in ``fmt`` (json, graphml, gexf, csv) to ``out``; return the files."""
    target = Path(out)
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: expected one of {', '.join(FORMATS)}")
    if fmt == "csv":
        return list(write_csv(graph, target))
    target.parent.mkdir(parents=True, exist_ok=True)
    {"json": write_json, "graphml": write_graphml, "gexf": write_gexf}[fmt](graph, target)
    return [target]
