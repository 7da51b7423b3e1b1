"""Role-transfer paths: who held a role in the source and later one in the target.

A *transfer* is a person ``p`` with roles ``r1`` and ``r2`` (``p -[HOLDS]-> r
-[IN|PART_OF]-> o``) where ``o1`` matches the source, ``o2`` the target,
``r1 != r2`` and ``r1`` comes before ``r2``:

* a ``TRANSITIONED_TO`` path leads from ``r1`` to ``r2``; or
* none leads back from ``r2`` to ``r1``, and the ``HOLDS`` ties order them: by
  year (the first four digits of ``start``, else of ``period``) then tense
  (``earlier`` < ``later`` < ``current``; no tense counts as ``later``) when
  both years are known, by tense alone otherwise.

A source or target term matches an Organisation or Site whose ``id`` equals
it, whose ``org_type``, ``model_type``, ``programme``, ``site_code`` or label
equals it (case-insensitive: ``vanguard``, ``ics``, ``site``), or whose name or
an alias contains it as a whole word (``"vanguard"`` matches "the care home
Vanguard"). ``vanguard`` also matches every Site whose ``model_type`` is one of
the Vanguard new care models (PACS, MCP, ECH, EHCH, UEC, ACC): a local Vanguard
is a Site, whatever the text calls it ("Site 5").

On Neo4j the matching and ordering run as one parameterised Cypher path query
(:data:`PAIRS_CYPHER`); on the embedded store the same rules run on the
networkx graph (:func:`transfer_pairs`). Both feed the same assembly, which adds
the path of roles in time order, the initiatives linked to each side and those
linked to both (what the person may have carried).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

import networkx as nx

ROLE_ORG_TYPES = ("IN", "PART_OF")
GROUP_LABELS = ("Organisation", "Site")
TENSE_RANK = {"earlier": 0, "later": 1, "current": 2}
_MATCH_PROPS = ("org_type", "model_type", "programme", "site_code")
#: Model types of the Vanguard programme: a Site with one of these is a local Vanguard.
VANGUARD_MODEL_TYPES = ("PACS", "MCP", "ECH", "EHCH", "UEC", "ACC")


def term_regex(term: str) -> str:
    """The whole-word pattern for a term, valid in Python and in Cypher (Java) regexes.

    >>> bool(re.fullmatch(term_regex("vanguard"), "the care home vanguard"))
    True
    >>> bool(re.fullmatch(term_regex("ics"), "physics dept"))
    False
    """
    return "(?is).*(?<![a-z0-9])" + re.escape(term.strip().lower()) + "(?![a-z0-9]).*"


def node_matches(data: dict[str, Any], node_id: str, term: str) -> bool:
    """Whether an Organisation/Site node matches a source or target term (see module doc)."""
    if data.get("label") not in GROUP_LABELS:
        return False
    t = term.strip().lower()
    if node_id == term or t == str(data.get("label", "")).lower():
        return True
    if (t == "vanguard" and data.get("label") == "Site"
            and str(data.get("model_type") or "").upper() in VANGUARD_MODEL_TYPES):
        return True
    for prop in _MATCH_PROPS:
        value = data.get(prop)
        if value is not None and str(value).lower() == t:
            return True
    pattern = re.compile(term_regex(term))
    names = [str(data.get("name") or ""), *(str(a) for a in data.get("aliases") or [])]
    return any(pattern.fullmatch(name.lower()) for name in names)


def match_nodes(G: nx.MultiDiGraph, term: str) -> list[str]:
    """Organisation and Site node ids matching ``term``, sorted.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("Site:s1", label="Site", name="Site 1 care home vanguard")
    >>> G.add_node("Organisation:x", label="Organisation", name="X ICS", org_type="ICS")
    >>> G.add_node("Site:s5", label="Site", name="Site 5", model_type="PACS")
    >>> match_nodes(G, "vanguard"), match_nodes(G, "ics")
    (['Site:s1', 'Site:s5'], ['Organisation:x'])
    """
    return sorted(n for n, d in G.nodes(data=True) if node_matches(d, n, term))


def _year(value: Any) -> int | None:
    text = "" if value is None else str(value).strip()
    return int(text[:4]) if len(text) >= 4 and text[:4].isdigit() else None


def holds_key(props: dict[str, Any]) -> tuple[int | None, int]:
    """``(year, tense rank)`` of a HOLDS tie."""
    year = _year(props.get("start"))
    if year is None:
        year = _year(props.get("period"))
    return year, TENSE_RANK.get(str(props.get("tense") or ""), 1)


def before(k1: tuple[int | None, int], k2: tuple[int | None, int]) -> bool:
    """Whether a HOLDS tie with key ``k1`` comes before one with key ``k2``.

    >>> before((2015, 0), (2019, 2)), before((None, 0), (2019, 0)), before((None, 0), (None, 2))
    (True, False, True)
    """
    (y1, t1), (y2, t2) = k1, k2
    if y1 is not None and y2 is not None:
        return (y1, t1) < (y2, t2)
    return t1 < t2


# --- the Neo4j side ----------------------------------------------------------------------

_MATCH_CYPHER = """(
  {o}.id = ${p}
  OR (${p}_l = 'organisation' AND {o}:Organisation) OR (${p}_l = 'site' AND {o}:Site)
  OR (${p}_l = 'vanguard' AND {o}:Site
      AND toUpper(toString(coalesce({o}.model_type, ''))) IN $vanguard_models)
  OR toLower(toString(coalesce({o}.org_type, ''))) = ${p}_l
  OR toLower(toString(coalesce({o}.model_type, ''))) = ${p}_l
  OR toLower(toString(coalesce({o}.programme, ''))) = ${p}_l
  OR toLower(toString(coalesce({o}.site_code, ''))) = ${p}_l
  OR toLower(coalesce({o}.name, '')) =~ ${p}_re
  OR any(a IN coalesce({o}.aliases, []) WHERE toLower(a) =~ ${p}_re)
)"""

_KEY_CYPHER = """
  CASE
    WHEN substring(toString(coalesce({h}.start, '')), 0, 4) =~ '[0-9]{{4}}'
      THEN toInteger(substring(toString({h}.start), 0, 4))
    WHEN substring(toString(coalesce({h}.period, '')), 0, 4) =~ '[0-9]{{4}}'
      THEN toInteger(substring(toString({h}.period), 0, 4))
    ELSE null END AS y{i},
  CASE {h}.tense WHEN 'earlier' THEN 0 WHEN 'later' THEN 1 WHEN 'current' THEN 2 ELSE 1 END
    AS t{i}"""

#: The transfer path query (parameters: src, src_l, src_re, tgt, tgt_l, tgt_re, vanguard_models).
PAIRS_CYPHER = f"""
MATCH (p:Person)-[h1:HOLDS]->(r1:Role)-[:IN|PART_OF]->(o1)
WHERE (o1:Organisation OR o1:Site) AND {_MATCH_CYPHER.format(o="o1", p="src")}
MATCH (p)-[h2:HOLDS]->(r2:Role)-[:IN|PART_OF]->(o2)
WHERE r2 <> r1 AND (o2:Organisation OR o2:Site) AND {_MATCH_CYPHER.format(o="o2", p="tgt")}
WITH p, r1, o1, r2, o2, {_KEY_CYPHER.format(h="h1", i=1)}, {_KEY_CYPHER.format(h="h2", i=2)}
WHERE EXISTS {{ MATCH (r1)-[:TRANSITIONED_TO*1..]->(r2) }}
   OR (NOT EXISTS {{ MATCH (r2)-[:TRANSITIONED_TO*1..]->(r1) }}
       AND ((y1 IS NOT NULL AND y2 IS NOT NULL AND (y1 < y2 OR (y1 = y2 AND t1 < t2)))
            OR ((y1 IS NULL OR y2 IS NULL) AND t1 < t2)))
RETURN DISTINCT p.id AS person, r1.id AS source_role, o1.id AS source_org,
       r2.id AS target_role, o2.id AS target_org
ORDER BY person, source_role, source_org, target_role, target_org
"""

_TIMELINE_CYPHER = """
MATCH (p:Person)-[h:HOLDS]->(r:Role) WHERE p.id IN $persons
OPTIONAL MATCH (r)-[i:IN|PART_OF]->(o) WHERE o:Organisation OR o:Site
RETURN p.id AS person, r.id AS role, h.tense AS tense, h.period AS period, h.start AS start,
       h.end AS end, h.evidence AS holds_evidence, o.id AS org, i.evidence AS in_evidence
"""

_TRANSITIONS_CYPHER = """
MATCH (a:Role)-[t:TRANSITIONED_TO]->(b:Role) WHERE a.id IN $roles OR b.id IN $roles
RETURN a.id AS source, b.id AS target
"""

_INITIATIVES_CYPHER = """
MATCH (x:Entity)-[e]-(i:Initiative) WHERE x.id IN $ids AND type(e) <> 'MENTIONED_IN'
RETURN DISTINCT x.id AS node, i.id AS initiative
"""

_NODES_CYPHER = """
MATCH (n:Entity) WHERE n.id IN $ids
RETURN n.id AS id, n.name AS name, [l IN labels(n) WHERE l <> 'Entity'] AS labels,
       n.org_type AS org_type
"""


def _evidence(raw: Any) -> list[dict[str, Any]]:
    items = [json.loads(x) if isinstance(x, str) else dict(x) for x in raw or []]
    return sorted(items, key=lambda e: (str(e.get("doc")), int(e.get("start", 0)),
                                         int(e.get("end", 0)), str(e.get("text", ""))))


class _Neo4jSource:
    """Transfer data read with Cypher from a Neo4j store (``run_read``)."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def pairs(self, source: str, target: str) -> list[tuple[str, str, str, str, str]]:
        params = {"vanguard_models": list(VANGUARD_MODEL_TYPES),
                  "src": source, "src_l": source.strip().lower(), "src_re": term_regex(source),
                  "tgt": target, "tgt_l": target.strip().lower(), "tgt_re": term_regex(target)}
        rows = self.store.run_read(PAIRS_CYPHER, **params)
        return sorted({(r["person"], r["source_role"], r["source_org"], r["target_role"],
                        r["target_org"]) for r in rows})

    def timeline(self, persons: list[str]) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in self.store.run_read(_TIMELINE_CYPHER, persons=persons):
            out[r["person"]].append({
                "role": r["role"], "org": r["org"], "tense": r["tense"], "period": r["period"],
                "start": r["start"], "end": r["end"],
                "evidence": _evidence(list(r["holds_evidence"] or []) +
                                      list(r["in_evidence"] or [])),
            })
        return out

    def transitions(self, roles: list[str]) -> set[tuple[str, str]]:
        rows = self.store.run_read(_TRANSITIONS_CYPHER, roles=roles)
        return {(r["source"], r["target"]) for r in rows}

    def initiatives(self, ids: list[str]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for r in self.store.run_read(_INITIATIVES_CYPHER, ids=ids):
            out[r["node"]].add(r["initiative"])
        return out

    def nodes(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        out = {}
        for r in self.store.run_read(_NODES_CYPHER, ids=ids):
            labels = [x for x in r["labels"] if x in ("Person", "Role", "Organisation", "Site",
                                                       "Initiative", "Place", "Document")]
            out[r["id"]] = {"name": r["name"], "label": labels[0] if labels else None,
                            "org_type": r["org_type"]}
        return out


# --- the networkx side -------------------------------------------------------------------


class _GraphSource:
    """The same data from the export-form networkx graph."""

    def __init__(self, G: nx.MultiDiGraph) -> None:
        self.G = G
        T = nx.DiGraph()
        T.add_edges_from((u, v) for u, v, d in G.edges(data=True)
                         if d.get("type") == "TRANSITIONED_TO")
        self.transition_graph = T

    def _holds(self, p: str) -> list[tuple[str, str | None, dict[str, Any], dict[str, Any] | None]]:
        G = self.G
        out = []
        for _, r, hdata in G.out_edges(p, data=True):
            if hdata.get("type") != "HOLDS" or G.nodes[r].get("label") != "Role":
                continue
            orgs = [(o, idata) for _, o, idata in G.out_edges(r, data=True)
                    if idata.get("type") in ROLE_ORG_TYPES
                    and G.nodes[o].get("label") in GROUP_LABELS]
            if not orgs:
                out.append((r, None, hdata, None))
            out.extend((r, o, hdata, idata) for o, idata in orgs)
        return out

    def _reaches(self, a: str, b: str) -> bool:
        T = self.transition_graph
        return a in T and b in T and a != b and nx.has_path(T, a, b)

    def pairs(self, source: str, target: str) -> list[tuple[str, str, str, str, str]]:
        G = self.G
        src = set(match_nodes(G, source))
        tgt = set(match_nodes(G, target))
        found = set()
        for p, data in G.nodes(data=True):
            if data.get("label") != "Person":
                continue
            holds = [(r, o, holds_key(h)) for r, o, h, _ in self._holds(p) if o is not None]
            for r1, o1, k1 in holds:
                if o1 not in src:
                    continue
                for r2, o2, k2 in holds:
                    if o2 not in tgt or r2 == r1:
                        continue
                    if self._reaches(r1, r2) or (not self._reaches(r2, r1) and before(k1, k2)):
                        found.add((p, r1, o1, r2, o2))
        return sorted(found)

    def timeline(self, persons: list[str]) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for p in persons:
            for r, o, h, i in self._holds(p):
                out[p].append({
                    "role": r, "org": o, "tense": h.get("tense"), "period": h.get("period"),
                    "start": h.get("start"), "end": h.get("end"),
                    "evidence": _evidence(list(h.get("evidence", [])) +
                                          list((i or {}).get("evidence", []))),
                })
        return out

    def transitions(self, roles: list[str]) -> set[tuple[str, str]]:
        wanted = set(roles)
        return {(u, v) for u, v in self.transition_graph.edges if u in wanted or v in wanted}

    def initiatives(self, ids: list[str]) -> dict[str, set[str]]:
        G = self.G
        out: dict[str, set[str]] = defaultdict(set)
        for x in ids:
            if x not in G:
                continue
            for _, y, d in list(G.out_edges(x, data=True)) + [(v, u, d) for u, v, d in
                                                                G.in_edges(x, data=True)]:
                if d.get("type") != "MENTIONED_IN" and G.nodes[y].get("label") == "Initiative":
                    out[x].add(y)
        return out

    def nodes(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        G = self.G
        return {i: {"name": G.nodes[i].get("name"), "label": G.nodes[i].get("label"),
                    "org_type": G.nodes[i].get("org_type")} for i in ids if i in G}


def _source_for(store_or_graph: Any) -> _GraphSource | _Neo4jSource:
    if isinstance(store_or_graph, nx.Graph):
        return _GraphSource(store_or_graph)
    if getattr(store_or_graph, "kind", None) == "neo4j":
        return _Neo4jSource(store_or_graph)
    return _GraphSource(store_or_graph.to_networkx())


def transfer_pairs(store_or_graph: Any, source: str, target: str) -> list[tuple[str, ...]]:
    """The raw matches ``(person, source_role, source_org, target_role, target_org)``, sorted.

    Cypher on a Neo4j store, the networkx rules otherwise (the two must agree).
    """
    return _source_for(store_or_graph).pairs(source, target)


def _side(info: dict[str, dict[str, Any]], role: str, org: str) -> dict[str, Any]:
    o = info.get(org, {})
    return {"role": role, "role_name": info.get(role, {}).get("name"), "org": org,
            "org_name": o.get("name"), "org_label": o.get("label"),
            "org_type": o.get("org_type") or (o.get("label") if o.get("label") == "Site"
                                              else None)}


def transfer_paths(store_or_graph: Any, source: str = "vanguard",
                   target: str = "ics") -> list[dict[str, Any]]:
    """Every role transfer from ``source`` to ``target`` (see the module docstring).

    Each result: ``person``, ``person_name``, ``source`` and ``target`` (role,
    organisation, type), ``path`` (the person's roles from the source role to
    the target role in time order, each with tense, period and evidence),
    ``source_initiatives``, ``target_initiatives``, ``carried`` (linked on both
    sides), each a sorted list of ``{"id", "name"}``.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("p", label="Person", name="S1R04")
    >>> G.add_node("r1", label="Role", name="vanguard lead")
    >>> G.add_node("r2", label="Role", name="ICS director")
    >>> G.add_node("v", label="Site", name="the care home vanguard")
    >>> G.add_node("i", label="Organisation", name="X ICS", org_type="ICS")
    >>> _ = G.add_edge("p", "r1", type="HOLDS", tense="earlier")
    >>> _ = G.add_edge("p", "r2", type="HOLDS", tense="current")
    >>> _ = G.add_edge("r1", "v", type="IN"); _ = G.add_edge("r2", "i", type="IN")
    >>> [(t["person_name"], [s["role_name"] for s in t["path"]]) for t in transfer_paths(G)]
    [('S1R04', ['vanguard lead', 'ICS director'])]
    """
    src = _source_for(store_or_graph)
    pairs = src.pairs(source, target)
    if not pairs:
        return []
    persons = sorted({p[0] for p in pairs})
    timeline = src.timeline(persons)
    roles = sorted({rec["role"] for recs in timeline.values() for rec in recs})
    transitions = src.transitions(roles)
    T = nx.DiGraph(list(transitions))
    sides = sorted({x for p in pairs for x in p[1:]})
    linked = src.initiatives(sides)
    ids = sorted(set(persons) | set(roles) | set(sides) |
                 {o for recs in timeline.values() for r in recs for o in [r["org"]] if o} |
                 {i for s in linked.values() for i in s})
    info = src.nodes(ids)

    def reaches(a: str, b: str) -> bool:
        return a in T and b in T and a != b and nx.has_path(T, a, b)

    def precedes(a: dict[str, Any], b: dict[str, Any]) -> bool:
        if a["role"] == b["role"]:
            return False
        if reaches(a["role"], b["role"]):
            return True
        return not reaches(b["role"], a["role"]) and before(holds_key(a), holds_key(b))

    def named(ids_: set[str]) -> list[dict[str, Any]]:
        return [{"id": i, "name": info.get(i, {}).get("name")} for i in sorted(ids_)]

    results = []
    for person, r1, o1, r2, o2 in pairs:
        recs = timeline.get(person, [])
        first = next(r for r in recs if r["role"] == r1 and r["org"] == o1)
        last = next(r for r in recs if r["role"] == r2 and r["org"] == o2)
        middle = [r for r in recs if r is not first and r is not last
                  and r["role"] not in (r1, r2) and precedes(first, r) and precedes(r, last)]
        middle.sort(key=lambda r: (holds_key(r)[0] is None, holds_key(r)[0] or 0,
                                   holds_key(r)[1], r["role"], r["org"] or ""))
        path = [{**rec, "role_name": info.get(rec["role"], {}).get("name"),
                 "org_name": info.get(rec["org"] or "", {}).get("name"),
                 "org_type": info.get(rec["org"] or "", {}).get("org_type")}
                for rec in [first, *middle, last]]
        s_init = linked.get(r1, set()) | linked.get(o1, set())
        t_init = linked.get(r2, set()) | linked.get(o2, set())
        results.append({
            "person": person,
            "person_name": info.get(person, {}).get("name"),
            "source": _side(info, r1, o1),
            "target": _side(info, r2, o2),
            "path": path,
            "source_initiatives": named(s_init),
            "target_initiatives": named(t_init),
            "carried": named(s_init & t_init),
        })
    return results


def sankey_links(paths: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``(source org type, target org type, count of people)`` links for a Sankey diagram.

    A Site without an ``org_type`` counts as ``Site``; a missing type as ``UNKNOWN``.

    >>> sankey_links([{"person": "p", "source": {"org_type": "Site"},
    ...                "target": {"org_type": "ICS"}}])
    [{'source': 'Site', 'target': 'ICS', 'count': 1}]
    """
    people: dict[tuple[str, str], set[str]] = defaultdict(set)
    for t in paths:
        s = t["source"].get("org_type") or "UNKNOWN"
        d = t["target"].get("org_type") or "UNKNOWN"
        people[(str(s), str(d))].add(t["person"])
    return [{"source": s, "target": d, "count": len(people[(s, d)])}
            for s, d in sorted(people, key=lambda k: (-len(people[k]), k))]


def ended_roles(store_or_graph: Any, source: str | None = None) -> list[dict[str, Any]]:
    """Roles that ended with no successor, optionally only those in ``source``.

    A role ended with no successor when it is marked removed (``status:
    removed`` or the target of a ``TRANSITIONED_TO`` with ``removed: true``), or
    when it was held ``earlier`` by someone with no later role (no
    ``TRANSITIONED_TO`` out of it and no other role after it).

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("p", label="Person", name="GP (2)")
    >>> G.add_node("r", label="Role", name="vanguard GP lead")
    >>> _ = G.add_edge("p", "r", type="HOLDS", tense="earlier")
    >>> [(e["role_name"], e["reason"]) for e in ended_roles(G)]
    [('vanguard GP lead', 'no successor')]
    """
    G = store_or_graph if isinstance(store_or_graph, nx.Graph) else store_or_graph.to_networkx()
    gs = _GraphSource(G)
    wanted = set(match_nodes(G, source)) if source else None
    removed: dict[str, list[dict[str, Any]]] = {}
    for _u, v, d in G.edges(data=True):
        if d.get("type") == "TRANSITIONED_TO" and d.get("removed") in (True, "true", "True"):
            removed.setdefault(v, []).extend(d.get("evidence", []))
    for n, d in G.nodes(data=True):
        if d.get("label") == "Role" and str(d.get("status", "")).lower() == "removed":
            removed.setdefault(n, []).extend(d.get("evidence", []))
    out: dict[str, dict[str, Any]] = {}
    for p, pdata in G.nodes(data=True):
        if pdata.get("label") != "Person":
            continue
        holds = gs._holds(p)
        for r, o, h, _ in holds:
            reason = None
            if r in removed:
                reason = "removed"
            elif h.get("tense") == "earlier":
                succ = any(gs._reaches(r, r2) for r2, *_ in holds) or any(
                    d.get("type") == "TRANSITIONED_TO" for _, _, d in G.out_edges(r, data=True))
                later = any(r2 != r and before(holds_key(h), holds_key(h2))
                            for r2, _, h2, _ in holds)
                if not succ and not later:
                    reason = "no successor"
            if reason is None or (wanted is not None and o not in wanted):
                continue
            entry = out.setdefault(r, {
                "role": r, "role_name": G.nodes[r].get("name"), "reason": reason,
                "orgs": set(), "holders": set(), "evidence": list(removed.get(r, [])),
            })
            if o:
                entry["orgs"].add(o)
            entry["holders"].add(p)
            entry["evidence"].extend(h.get("evidence", []))
    rows = []
    for r in sorted(out):
        e = out[r]
        rows.append({**e, "orgs": [{"id": o, "name": G.nodes[o].get("name")}
                                    for o in sorted(e["orgs"])],
                     "holders": [{"id": h, "name": G.nodes[h].get("name")}
                                 for h in sorted(e["holders"])],
                     "evidence": _evidence({json.dumps(x, sort_keys=True): x
                                            for x in e["evidence"]}.values())})
    return rows
