"""CLI: ``spanners``, ``transfers``, ``spread``, ``search`` and ``path``.

Each prints a readable table by default, JSON with ``--json`` and CSV with
``--csv``. The graph comes from the store (``--store embedded|neo4j``) or from
an exported node-link JSON file (``--graph FILE``). Exit status: 0 on success,
1 when the thing asked for was not found (no path, no such initiative), 2 on a
fatal error, with a one-line message on stderr.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import networkx as nx
import typer

StoreOpt = Annotated[
    str | None,
    typer.Option("--store", help="embedded or neo4j (default: $ACTORGRAPH_STORE, "
                 "neo4j if $NEO4J_URI is set, else embedded)."),
]
GraphOpt = Annotated[
    Path | None,
    typer.Option("--graph", help="Read an exported node-link JSON graph instead of a store."),
]
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", help="A TOML file merged over the defaults."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Print CSV.")]


def _fail(command: str, message: Any, code: int = 2) -> typer.Exit:
    typer.echo(f"actorgraph {command}: error: {message}", err=True)
    return typer.Exit(code)


def _config(command: str, config: Path | None) -> str | None:
    if config is None:
        return None
    if not config.is_file():
        raise _fail(command, f"{config}: no such config file")
    os.environ["ACTORGRAPH_CONFIG"] = str(config)
    return str(config)


def load_graph_file(path: Path) -> nx.MultiDiGraph:
    """Read an exported node-link JSON graph; ``ValueError`` naming the file when invalid."""
    try:
        data = json.loads(path.read_text("utf-8"))
        G = nx.node_link_graph(data, edges="edges", directed=True, multigraph=True)
    except FileNotFoundError as err:
        raise ValueError(f"{path}: no such file") from err
    except (json.JSONDecodeError, KeyError, TypeError, nx.NetworkXError) as err:
        raise ValueError(f"{path}: not a node-link JSON graph ({err})") from err
    return nx.MultiDiGraph(G)


class _Source:
    """The store or file a command reads, closed on exit."""

    def __init__(self, command: str, store: str | None, graph: Path | None,
                 config_path: str | None) -> None:
        self.command = command
        self.store = None
        self._graph: nx.MultiDiGraph | None = None
        try:
            if graph is not None:
                self._graph = load_graph_file(graph)
            else:
                from actorgraph.graph.open_store import open_store

                self.store = open_store(store, config_path=config_path)
        except Exception as err:  # any failure to open the input is fatal, in one line
            raise _fail(command, err) from err

    def graph(self) -> nx.MultiDiGraph:
        if self._graph is None:
            try:
                self._graph = self.store.to_networkx()  # type: ignore[union-attr]
            except Exception as err:  # store read failure
                raise _fail(self.command, err) from err
        return self._graph

    def store_or_graph(self) -> Any:
        return self.store if self.store is not None else self.graph()

    def close(self) -> None:
        if self.store is not None:
            self.store.close()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list | tuple | set):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return str(value.get("name") or value.get("id") or json.dumps(value))
    return str(value)


def format_table(rows: list[dict[str, Any]], columns: list[str], width: int = 40) -> str:
    """A plain fixed-width text table of ``columns`` (cells cut to ``width`` characters)."""
    cells = [[_cell(r.get(c))[:width] for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
              for row in cells]
    return "\n".join(lines)


def _emit(rows: list[dict[str, Any]], columns: list[str], as_json: bool, as_csv: bool,
          payload: Any = None) -> None:
    if as_json:
        typer.echo(json.dumps(payload if payload is not None else rows, indent=2,
                              ensure_ascii=False, default=str))
    elif as_csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore",
                                lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow({c: _cell(r.get(c)) for c in columns})
    else:
        typer.echo(format_table(rows, columns) if rows else "(none)")


def spanners(
    partition: Annotated[str | None, typer.Option(
        help="organisation, sector, org_type, level or site (default: config).")] = None,
    backend: Annotated[str | None, typer.Option(help="networkx or rustworkx.")] = None,
    limit: Annotated[int, typer.Option(help="Show the top N (0 = all).")] = 20,
    explain: Annotated[str | None, typer.Option(
        help="Explain one person (node id or name): groups, boundaries, evidence.")] = None,
    store: StoreOpt = None, graph: GraphOpt = None, config: ConfigOpt = None,
    as_json: JsonOpt = False, as_csv: CsvOpt = False,
) -> None:
    """Rank people as boundary spanners across a partition, with the measures behind the score."""
    from actorgraph.queries.search import search
    from actorgraph.queries.spanners import explain_spanner, spanner_table

    cfg = _config("spanners", config)
    src = _Source("spanners", store, graph, cfg)
    try:
        G = src.graph()
        if explain:
            person = explain if explain in G else next(
                (r["id"] for r in search(G, explain, 1, labels=["Person"])), None)
            if person is None:
                raise _fail("spanners", f"{explain}: no such person", 1)
            result = explain_spanner(G, person, partition, config_path=cfg)
            rows = [{"to_group": b["to_group"], "n_ties": b["n_ties"],
                     "through": sorted({t["through"]["name"] or "" for t in b["ties"]}),
                     "people": [t["name"] for t in b["ties"]],
                     "evidence": [e["text"] for t in b["ties"] for e in t["evidence"]][:3]}
                    for b in result["boundaries"]]
            if not (as_json or as_csv):
                typer.echo(f"{result['name']} ({result['id']}), group {result['group']!r} "
                           f"under {result['partition']}")
                for g in result["groups"]:
                    via = ", ".join(f"{v['name']}" + (f" as {v['role_name']}" if v['role_name']
                                                      else "") for v in g["via"])
                    typer.echo(f"  affiliated with {g['group']}: {via}")
            _emit(rows, ["to_group", "n_ties", "through", "people", "evidence"], as_json,
                  as_csv, result)
            return
        try:
            rows = spanner_table(G, partition, backend=backend, config_path=cfg,
                                 limit=limit or None)
        except ValueError as err:
            raise _fail("spanners", err) from err
        columns = ["rank", "name", "group", "score", "betweenness", "brokerage", "coordinator",
                   "itinerant", "representative", "gatekeeper", "liaison", "constraint",
                   "effective_size", "participation", "groups_spanned", "id"]
        _emit(rows, columns, as_json, as_csv)
    finally:
        src.close()


def transfers(
    source: Annotated[str, typer.Option("--from", help="Organisation type, site or name.")],
    target: Annotated[str, typer.Option("--to", help="Organisation type, site or name.")],
    store: StoreOpt = None, graph: GraphOpt = None, config: ConfigOpt = None,
    as_json: JsonOpt = False, as_csv: CsvOpt = False,
) -> None:
    """People with an earlier role in SOURCE and a later one in TARGET, and roles that ended."""
    from actorgraph.queries.transfers import ended_roles, sankey_links, transfer_paths

    cfg = _config("transfers", config)
    src = _Source("transfers", store, graph, cfg)
    try:
        paths = transfer_paths(src.store_or_graph(), source, target)
        ended = ended_roles(src.graph(), source)
    except Exception as err:  # store read failure: fatal, in one line
        raise _fail("transfers", err) from err
    finally:
        src.close()
    rows = [{"person": t["person_name"] or t["person"],
             "from_role": t["source"]["role_name"], "from_org": t["source"]["org_name"],
             "to_role": t["target"]["role_name"], "to_org": t["target"]["org_name"],
             "path": " -> ".join(f"{s['role_name']} ({s['org_name']})" for s in t["path"]),
             "carried": [i["name"] for i in t["carried"]],
             "evidence": [e["text"] for s in t["path"] for e in s["evidence"]][:2]}
            for t in paths]
    columns = ["person", "from_role", "from_org", "to_role", "to_org", "path", "carried",
               "evidence"]
    payload = {"transfers": paths, "sankey": sankey_links(paths), "ended_roles": ended}
    _emit(rows, columns, as_json, as_csv, payload)
    if not (as_json or as_csv):
        typer.echo("\nSankey links (source type -> target type: people)")
        for link in payload["sankey"]:
            typer.echo(f"  {link['source']} -> {link['target']}: {link['count']}")
        typer.echo(f"\nRoles that ended with no successor ({source}):")
        typer.echo(format_table(
            [{"role": e["role_name"], "reason": e["reason"], "orgs": e["orgs"],
              "holders": e["holders"]} for e in ended],
            ["role", "reason", "orgs", "holders"]) if ended else "(none)")


def spread(
    initiative: Annotated[str | None, typer.Option(
        help="Show how one initiative spread (node id or name).")] = None,
    groups_file: Annotated[Path | None, typer.Option(
        "--groups", help="JSON file {initiative id: group name} overriding the grouping.")] = None,
    threshold: Annotated[float, typer.Option(help="Name similarity (0-100) to group.")] = 85.0,
    show_groups: Annotated[bool, typer.Option(help="List the initiative groups.")] = False,
    grouped: Annotated[bool, typer.Option(help="Matrix columns are groups.")] = False,
    store: StoreOpt = None, graph: GraphOpt = None, config: ConfigOpt = None,
    as_json: JsonOpt = False, as_csv: CsvOpt = False,
) -> None:
    """The site-by-initiative matrix with status, or one initiative's spread steps."""
    from actorgraph.queries.search import search
    from actorgraph.queries.spread import initiative_groups, initiative_matrix, initiative_spread

    cfg = _config("spread", config)
    overrides = None
    if groups_file is not None:
        try:
            overrides = json.loads(groups_file.read_text("utf-8"))
            if not isinstance(overrides, dict):
                raise ValueError("expected a JSON object {initiative id: group name}")
        except (OSError, ValueError) as err:
            raise _fail("spread", f"{groups_file}: {err}") from err
    src = _Source("spread", store, graph, cfg)
    try:
        G = src.graph()
    finally:
        src.close()
    try:
        groups = initiative_groups(G, threshold, overrides)
    except KeyError as err:
        raise _fail("spread", f"{groups_file}: {err.args[0]}") from err
    if show_groups:
        rows = [{"group": g["group"], "overridden": g["overridden"],
                 "members": [f"{m['name']} ({m['score']})" for m in g["members"]]}
                for g in groups]
        _emit(rows, ["group", "overridden", "members"], as_json, as_csv, groups)
        return
    if initiative:
        node = initiative if initiative in G else next(
            (r["id"] for r in search(G, initiative, 1, labels=["Initiative"])), None)
        if node is None:
            raise _fail("spread", f"{initiative}: no such initiative", 1)
        result = initiative_spread(G, node, groups if grouped else None)
        rows = [{"from": s["from"]["name"], "to": s["to"]["name"], "mode": s["mode"],
                 "direction": s["direction"], "dates": s["dates"],
                 "people": [p["name"] for p in s["people"]],
                 "evidence": [e["text"] for e in s["evidence"]][:2]} for s in result["steps"]]
        if not (as_json or as_csv):
            typer.echo(f"{result['initiative']['name']}: started at "
                       f"{', '.join(o['name'] for o in result['origins']) or 'unknown'}")
        _emit(rows, ["from", "to", "mode", "direction", "dates", "people", "evidence"],
              as_json, as_csv, result)
        return
    matrix = initiative_matrix(G, groups if grouped else None)
    status = {(c["site"], c["initiative"]): c["status"] for c in matrix["cells"]}
    names = [i["name"] for i in matrix["initiatives"]]
    rows = []
    for s in matrix["sites"]:
        row: dict[str, Any] = {"site": s["name"]}
        for i, name in zip(matrix["initiatives"], names, strict=True):
            row[name] = status.get((s["id"], i["id"]), "")
        rows.append(row)
    _emit(rows, ["site", *names], as_json, as_csv, matrix)


def search_cmd(
    text: Annotated[str, typer.Argument(help="A name, alias or respondent code.")],
    label: Annotated[list[str] | None, typer.Option(help="Only these node labels.")] = None,
    limit: Annotated[int, typer.Option(help="At most N results.")] = 20,
    store: StoreOpt = None, graph: GraphOpt = None, config: ConfigOpt = None,
    as_json: JsonOpt = False, as_csv: CsvOpt = False,
) -> None:
    """Find entities by name or alias."""
    from actorgraph.queries.search import search

    cfg = _config("search", config)
    src = _Source("search", store, graph, cfg)
    try:
        rows = search(src.graph(), text, limit, labels=label or None)
    finally:
        src.close()
    _emit(rows, ["score", "label", "name", "matched", "id"], as_json, as_csv)


def path_cmd(
    a: Annotated[str, typer.Argument(help="Node id or name.")],
    b: Annotated[str, typer.Argument(help="Node id or name.")],
    store: StoreOpt = None, graph: GraphOpt = None, config: ConfigOpt = None,
    as_json: JsonOpt = False, as_csv: CsvOpt = False,
) -> None:
    """The shortest path between two entities over evidenced relationships."""
    from actorgraph.queries.search import search, shortest_evidenced_path

    cfg = _config("path", config)
    src = _Source("path", store, graph, cfg)
    try:
        G = src.graph()
    finally:
        src.close()
    ends = []
    for term in (a, b):
        node = term if term in G else next((r["id"] for r in search(G, term, 1)), None)
        if node is None:
            raise _fail("path", f"{term}: no such entity", 1)
        ends.append(node)
    try:
        steps = shortest_evidenced_path(G, ends[0], ends[1])
    except ValueError as err:
        raise _fail("path", err, 1) from err
    rows = [{"source": s["source_name"], "type": s["type"], "target": s["target_name"],
             "evidence": [e["text"] for e in s["evidence"]][:1],
             "doc": sorted({e["doc"] for e in s["evidence"]})} for s in steps]
    _emit(rows, ["source", "type", "target", "evidence", "doc"], as_json, as_csv, steps)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("spanners")(spanners)
    app.command("transfers")(transfers)
    app.command("spread")(spread)
    app.command("search")(search_cmd)
    app.command("path")(path_cmd)
