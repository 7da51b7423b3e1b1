"""Entity resolution: one document's extraction -> its contribution to the global graph.

:class:`Resolver` turns a :class:`~actorgraph.records.DocumentExtraction`
(document-local entity ids) into a :class:`~actorgraph.graph.store.DocumentGraph`
(global node ids ``"<Label>:<key>"`` and stable edge keys), applying these
rules in this order. Every rule that changes what a mention would otherwise
have become is recorded in the node's ``merged_from`` property as
``"<rule>: <mention> (<doc>)"`` (read it back with :func:`merge_log`).

1. **Clean-up and key** (``normalise.py``): line-break debris, case, leading
   articles, possessives and plurals never separate two mentions.
2. **Abbreviations** (rule ``abbreviation``): a name equal to a short form the
   document defines (``DocumentExtraction.abbreviations``) becomes the long form.
3. **Known aliases** (rule ``alias``): ``data/aliases.json`` maps NHSE, NHS E,
   DH, CQC... to one canonical name per body, for the label given there.
4. **Scoped codes**: respondent codes (``Person`` with ``respondent_id``, or
   anonymised/role-label people such as "GP (2)"), numbered sites ("Site 3")
   and bracketed redactions ("[area a]", "[Vanguard]") only mean something
   inside their study, so their key is ``<scope>/<code>``. The scope is the
   document's file name unless the document is declared part of a study
   (``[resolution.studies]`` in the config or an ``op: study`` override), in
   which case it is the study's name. So S1R04 in two unrelated reports is two
   people, and S1R04 in two papers of one declared study is one.
5. **Generic mentions** ("the CCG", "the Vanguard", "the ICS", "Clinical
   Commissioning Groups"; or ``generic: true``) resolve (rule ``generic->local``)
   to the one specific entity of the same label and type the document names,
   when there is exactly one (a case study of one site's CCG). Otherwise they
   stay generic: key ``<doc>/<type>``, ``generic: true``, never merged beyond
   their document.
6. **Names already in the store** (rule ``store-alias``): an Organisation,
   Initiative, Site or Place name equal (by key) to a name or alias of an
   existing node joins it.
7. **Fuzzy** (rule ``fuzzy(<score>)``): an Organisation or Initiative name
   whose key is at least ``fuzzy_threshold`` similar (rapidfuzz ``ratio``) to a
   key in the store or earlier in the document joins that node, provided the
   numbers in both names are the same ("Site 1" never matches "Site 2"), no
   distinguishing word differs ("East Lancashire CCG" never matches "West
   Lancashire CCG": directions, city/county, council/CCG/trust...) and the
   ``org_type``s do not disagree.
8. **Roles** are keyed by their normalised title and the organisation or site
   they are ``IN`` when the document gives exactly one ("chair @ nhs
   england"); a role with no such anchor is scoped to its study.
9. **User overrides** (``overrides.py``): split, merge, set_type, rename, set.

Relations map their local ids to node ids; a SPREAD_TO's ``initiative`` (a
local id) becomes the Initiative's node id; relations that became self-loops
by merging are dropped. Every entity node gets a ``MENTIONED_IN`` edge to the
``Document`` node, carrying the entity's evidence in that document.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from rapidfuzz import fuzz, process

from actorgraph.graph.merge import merge_edges
from actorgraph.graph.normalise import clean_name, normalise_code, normalise_key
from actorgraph.graph.overrides import Overrides
from actorgraph.graph.store import DocumentGraph, DocumentRecord, EdgeRecord, NodeRecord
from actorgraph.records import DocumentExtraction, Entity, Evidence

#: Generic phrases (by key) -> (label, type). "the CCG", "CCGs", "the ICS"...
GENERIC_TYPES: dict[str, tuple[str, str]] = {}
for _label, _type, _phrases in (
    ("Organisation", "CCG", ["ccg", "clinical commissioning group"]),
    ("Organisation", "ICB", ["icb", "integrated care board"]),
    ("Organisation", "ICS", ["ics", "integrated care system"]),
    ("Organisation", "STP", ["stp", "sustainability and transformation partnership",
                             "sustainability and transformation plan", "stp/ics", "ics/stp"]),
    ("Organisation", "PCN", ["pcn", "primary care network"]),
    ("Organisation", "NHS_TRUST", ["trust", "nhs trust", "foundation trust", "acute trust",
                                   "nhs foundation trust", "community trust", "hospital trust",
                                   "mental health trust", "provider trust", "hospital"]),
    ("Organisation", "LOCAL_AUTHORITY", ["local authority", "council", "la",
                                         "county council", "borough council", "city council"]),
    ("Organisation", "CARE_HOME", ["care home", "nursing home", "residential home"]),
    ("Organisation", "GP_PRACTICE", ["practice", "gp practice", "general practice", "surgery"]),
    ("Organisation", "GP_FEDERATION", ["federation", "gp federation"]),
    ("Organisation", "ALLIANCE", ["alliance"]),
    ("Organisation", "VANGUARD", ["vanguard"]),
    ("Organisation", "VOLUNTARY", ["voluntary sector", "third sector", "charity"]),
    ("Site", "VANGUARD", ["vanguard", "site", "vanguard site", "case study site"]),
    ("Initiative", "PROGRAMME", ["programme", "initiative", "pilot", "scheme", "project"]),
    ("Place", "AREA", ["area", "locality", "region", "borough"]),
):
    for _phrase in _phrases:
        GENERIC_TYPES.setdefault(_phrase, (_label, _type))
        GENERIC_TYPES[f"{_label}|{_phrase}"] = (_label, _type)

#: Name endings that give an Organisation's type ("Leeds CCG" -> CCG).
_TYPE_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("clinical commissioning group", "CCG"), ("ccg", "CCG"), ("integrated care board", "ICB"),
    ("icb", "ICB"), ("integrated care system", "ICS"), ("ics", "ICS"), ("stp", "STP"),
    ("primary care network", "PCN"), ("pcn", "PCN"), ("trust", "NHS_TRUST"),
    ("council", "LOCAL_AUTHORITY"), ("care home", "CARE_HOME"), ("federation", "GP_FEDERATION"),
)

#: Relation properties that make two relations of one type between the same nodes distinct.
EDGE_KEY_PROPERTIES: dict[str, tuple[str, ...]] = {
    "IMPLEMENTS": ("status",),
    "SPREAD_TO": ("initiative", "mode"),
}

_SITE_CODE = re.compile(r"^(?:case study )?site\s*\d+[a-z]?$")
_DIGITS = re.compile(r"\d+")


@dataclass
class ResolutionConfig:
    """Settings of the ``[resolution]`` config section (see default_config.toml)."""

    fuzzy_threshold: float = 92.0
    fuzzy_min_length: int = 6
    fuzzy_labels: tuple[str, ...] = ("Organisation", "Initiative")
    store_alias_labels: tuple[str, ...] = ("Organisation", "Initiative", "Site", "Place")
    resolve_generic: bool = True
    studies: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_section(cls, section: dict[str, Any]) -> ResolutionConfig:
        """Build from the ``[resolution]`` section (unknown keys ignored)."""
        out = cls()
        if "fuzzy_threshold" in section:
            out.fuzzy_threshold = float(section["fuzzy_threshold"])
        if "fuzzy_min_length" in section:
            out.fuzzy_min_length = int(section["fuzzy_min_length"])
        if "fuzzy_labels" in section:
            out.fuzzy_labels = tuple(section["fuzzy_labels"])
        if "store_alias_labels" in section:
            out.store_alias_labels = tuple(section["store_alias_labels"])
        if "resolve_generic" in section:
            out.resolve_generic = bool(section["resolve_generic"])
        out.studies = {str(k): [str(d) for d in v] for k, v in section.get("studies", {}).items()}
        return out


@lru_cache(maxsize=1)
def alias_table() -> dict[tuple[str, str], tuple[str, dict[str, Any]]]:
    """Return ``(label, key) -> (canonical name, properties)`` from ``data/aliases.json``."""
    raw = json.loads(
        resources.files("actorgraph.graph").joinpath("data/aliases.json").read_text("utf-8")
    )
    table: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}
    for canonical, entry in raw.items():
        if canonical.startswith("_"):
            continue
        label = entry["label"]
        for name in [canonical, *entry.get("aliases", [])]:
            table[(label, normalise_key(name))] = (canonical, dict(entry.get("properties", {})))
    return table


def infer_org_type(key: str) -> str | None:
    """Return the organisation type a name's ending gives, if any.

    >>> infer_org_type("leeds north ccg"), infer_org_type("nhs england")
    ('CCG', None)
    """
    for suffix, org_type in _TYPE_SUFFIXES:
        if key == suffix or key.endswith(" " + suffix):
            return org_type
    return None


def generic_type(label: str, key: str) -> str | None:
    """Return the type of a generic mention's key ("ccg" -> "CCG"), or None if specific."""
    hit = GENERIC_TYPES.get(f"{label}|{key}")
    if hit is not None:
        return hit[1]
    hit = GENERIC_TYPES.get(key)
    if hit is not None and label in ("Organisation", "Site"):
        return hit[1]
    return None


class NameIndex:
    """Names and aliases of the nodes already stored, for cross-document matching.

    Only nodes that are neither scoped nor generic are indexed.
    """

    def __init__(self) -> None:
        self.keys: dict[str, dict[str, str]] = {}
        self.org_types: dict[str, str] = {}

    def add_node(self, node: NodeRecord) -> None:
        """Index one node (a contribution or a merged node)."""
        if node.label == "Document" or node.properties.get("scope") is not None:
            return
        if node.properties.get("generic"):
            return
        keys = self.keys.setdefault(node.label, {})
        for name in [node.name, *node.aliases]:
            key = normalise_key(name)
            if key and generic_type(node.label, key) is None:
                # Several nodes can share an alias; the smallest id wins, whatever the order.
                if key not in keys or node.id < keys[key]:
                    keys[key] = node.id
        org_type = node.properties.get("org_type")
        if isinstance(org_type, str):
            self.org_types.setdefault(node.id, org_type)

    def add_graph(self, graph: DocumentGraph) -> None:
        """Index the nodes a document contributed."""
        for node in graph.nodes:
            self.add_node(node)

    @classmethod
    def from_nodes(cls, nodes: Iterable[NodeRecord]) -> NameIndex:
        """Build from stored (merged) nodes."""
        index = cls()
        for node in nodes:
            index.add_node(node)
        return index


def index_from_store(store: Any) -> NameIndex:
    """Build a :class:`NameIndex` of a store's nodes (``iter_nodes`` if it has it)."""
    if hasattr(store, "iter_nodes"):
        return NameIndex.from_nodes(store.iter_nodes())
    graph = store.to_networkx()
    nodes = []
    for node_id, data in graph.nodes(data=True):
        props = {k: v for k, v in data.items() if k not in ("label", "name", "aliases", "evidence")}
        nodes.append(NodeRecord(node_id, data.get("label", ""), data.get("name", ""),
                                list(data.get("aliases", [])), props))
    return NameIndex.from_nodes(nodes)


@dataclass
class _Resolved:
    """Where one local entity went and why."""

    entity: Entity
    node_id: str
    label: str
    name: str
    rules: list[str] = field(default_factory=list)
    properties: dict[str, Any] = field(default_factory=dict)


#: Words that tell two otherwise similar names apart ("East Lancashire CCG" is not
#: "West Lancashire CCG", score 95): fuzzy matching never bridges a difference in these.
DISTINGUISHING_WORDS = frozenset({
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "mid", "city", "county", "borough", "district", "rural", "urban", "greater", "inner",
    "outer", "upper", "lower", "new", "old", "adult", "child", "children", "mental", "acute",
    "community", "primary", "secondary", "council", "ccg", "icb", "ics", "stp", "pcn", "trust",
    "hospital", "university", "national", "regional", "local",
})


def _compatible(a: str, b: str) -> bool:
    """Whether two keys may be fuzzy-matched: same numbers, no distinguishing word differs."""
    if _DIGITS.findall(a) != _DIGITS.findall(b):
        return False
    return not (set(a.split()) ^ set(b.split())) & DISTINGUISHING_WORDS


class Resolver:
    """Resolves documents one at a time against the names already stored."""

    def __init__(
        self,
        config: ResolutionConfig | None = None,
        overrides: Overrides | None = None,
        index: NameIndex | None = None,
    ) -> None:
        self.config = config or ResolutionConfig()
        self.overrides = overrides or Overrides()
        self.index = index or NameIndex()
        self._study_of = {doc: name for name, docs in self.config.studies.items() for doc in docs}
        blob = json.dumps(
            [self.config.__dict__, sorted(alias_table().items())], sort_keys=True, default=str
        )
        self.fingerprint = hashlib.sha256(
            (blob + self.overrides.fingerprint).encode("utf-8")
        ).hexdigest()[:16]

    # -- scope -----------------------------------------------------------------------------
    def scope_of(self, doc: str) -> str:
        """The scope of a document's respondent and site codes: its study, else itself."""
        return self.overrides.study_of(doc) or self._study_of.get(doc) or doc

    # -- per entity ------------------------------------------------------------------------
    @staticmethod
    def _key(name: str, abbreviations: dict[str, str]) -> str:
        """The key of a (canonical) name.

        Acronyms inside a name are not spelled out with the document's definitions
        (that made "NHS England" "national health service england" in a document
        defining NHS); instead ``normalise_key`` writes the long names of kinds of
        body as acronyms, so "care home multidisciplinary team" and "care home MDT"
        share a key in every document.
        """
        del abbreviations  # whole names only: spelling out acronyms inside names is unstable
        return normalise_key(name)

    def _canonical(self, label: str, name: str, abbreviations: dict[str, str]) -> tuple[str, list]:
        """Apply the abbreviation and alias rules to a cleaned name."""
        rules: list[str] = []
        key = normalise_key(name)
        long_form = abbreviations.get(key)
        if long_form and normalise_key(long_form) != key:
            name, key = long_form, normalise_key(long_form)
            rules.append("abbreviation")
        hit = alias_table().get((label, key))
        if hit is not None and hit[0] != name:
            if normalise_key(hit[0]) != key:
                rules.append("alias")
            name = hit[0]
        return name, rules

    def _fuzzy(self, label: str, key: str, org_type: str | None,
               local: dict[str, str]) -> tuple[str, float] | None:
        """Best fuzzy match of ``key`` among stored and earlier-in-document keys."""
        if label not in self.config.fuzzy_labels or len(key) < self.config.fuzzy_min_length:
            return None
        choices = {**self.index.keys.get(label, {}), **local}
        if not choices:
            return None
        best: tuple[float, str, str] | None = None
        for cand_key, score, _ in process.extract(
            key, list(choices), scorer=fuzz.ratio, score_cutoff=self.config.fuzzy_threshold,
            limit=None,
        ):
            if not _compatible(key, cand_key):
                continue
            node_id = choices[cand_key]
            other = self.index.org_types.get(node_id) or infer_org_type(cand_key)
            if org_type and other and org_type != other:
                continue
            rank = (-score, node_id, cand_key)
            if best is None or rank < best:
                best = rank
        if best is None:
            return None
        return best[1], -best[0]

    def _resolve_entity(
        self, ent: Entity, doc: str, scope: str, abbreviations: dict[str, str],
        local: dict[str, dict[str, str]],
    ) -> _Resolved:
        label = ent.label
        props = {k: v for k, v in ent.properties.items() if v is not None}
        name = clean_name(ent.name) or ent.name
        if label == "Person":
            code = props.get("respondent_id")
            if code:
                return _Resolved(ent, f"Person:{scope}/{normalise_code(str(code))}", label, name,
                                 properties={**props, "scope": scope})
            if props.get("anonymised") or props.get("role_label") or name.startswith("["):
                return _Resolved(ent, f"Person:{scope}/{normalise_key(name)}", label, name,
                                 properties={**props, "scope": scope})
            return _Resolved(ent, f"Person:{normalise_key(name)}", label, name, properties=props)
        if label == "Role":
            title = clean_name(str(props.get("title") or name))
            return _Resolved(ent, "", label, name, properties={**props, "_title": title})
        name, rules = self._canonical(label, name, abbreviations)
        key = self._key(name, abbreviations)
        alias_props = alias_table().get((label, key), (None, {}))[1]
        props = {**alias_props, **props}
        if name.startswith("[") or (label == "Site" and (
                props.get("site_code") or _SITE_CODE.match(key))):
            code = normalise_key(str(props.get("site_code") or name))
            return _Resolved(ent, f"{label}:{scope}/{code}", label, name, rules,
                             {**props, "scope": scope})
        gtype = generic_type(label, key)
        if props.get("generic") or gtype:
            # A bare type ("the CCG") is keyed by its type and may resolve to the one local
            # CCG; a flagged generic with more words ("the Vanguard board") keeps its own key.
            extra: dict[str, Any] = {"generic": True, "scope": doc}
            if gtype:
                gtype = str(props.get("org_type") or gtype).upper()
                extra["_gtype"] = gtype
                local_key = gtype.lower()
            else:
                local_key = key
            return _Resolved(ent, f"{label}:{doc}/{local_key}", label, name, rules,
                             {**props, **extra})
        if label == "Organisation" and not props.get("org_type"):
            inferred = infer_org_type(key)
            if inferred:
                props["org_type"] = inferred
        node_id = f"{label}:{key}"
        known = self.index.keys.get(label, {})
        if key in local.get(label, {}):
            node_id = local[label][key]
        elif label in self.config.store_alias_labels and key in known and known[key] != node_id:
            node_id = known[key]
            rules.append("store-alias")
        elif key not in known:
            match = self._fuzzy(label, key, props.get("org_type"), local.get(label, {}))
            if match is not None and match[0] != node_id:
                node_id = match[0]
                rules.append(f"fuzzy({match[1]:.0f})")
        local.setdefault(label, {}).setdefault(key, node_id)
        return _Resolved(ent, node_id, label, name, rules, props)

    def _resolve_generics(self, resolved: list[_Resolved]) -> None:
        """Point generic mentions at the document's one specific entity of their type."""
        if not self.config.resolve_generic:
            return
        for item in resolved:
            gtype = item.properties.get("_gtype")
            if gtype is None:
                continue
            targets = set()
            for other in resolved:
                if other.label != item.label or other.properties.get("generic"):
                    continue
                if item.label == "Organisation":
                    other_type = other.properties.get("org_type") or infer_org_type(
                        normalise_key(other.name))
                    if other_type != gtype:
                        continue
                targets.add(other.node_id)
            if len(targets) == 1:
                item.node_id = targets.pop()
                item.rules.append("generic->local")
                item.properties = {k: v for k, v in item.properties.items()
                                   if k not in ("generic", "scope", "org_type")}

    def _resolve_roles(self, resolved: list[_Resolved], extraction: DocumentExtraction,
                       scope: str) -> None:
        """Key each Role by its title and the one organisation/site it is IN, if any."""
        by_local = {r.entity.id: r for r in resolved}
        anchors: dict[str, set[str]] = {}
        for rel in extraction.relations:
            if rel.type == "IN" and rel.source in by_local and rel.target in by_local:
                anchors.setdefault(rel.source, set()).add(by_local[rel.target].node_id)
        scope_of_node = {r.node_id: r.properties.get("scope") for r in resolved}
        for item in resolved:
            if item.label != "Role":
                continue
            title = item.properties.pop("_title")
            tkey = normalise_key(title)
            where = anchors.get(item.entity.id, set())
            if len(where) == 1:
                anchor = next(iter(where))
                item.node_id = f"Role:{tkey} @ {anchor.split(':', 1)[1]}"
                if scope_of_node.get(anchor):
                    item.properties["scope"] = scope_of_node[anchor]
            else:
                item.node_id = f"Role:{scope}/{tkey}"
                item.properties["scope"] = scope
            item.properties.setdefault("title", title)

    def _apply_overrides(self, item: _Resolved, doc: str) -> None:
        ov = self.overrides
        for split in ov.splits:
            if split["id"] == item.node_id and split["doc"] == doc and (
                    "name" not in split or normalise_key(split["name"]) in {
                        normalise_key(item.entity.name), normalise_key(item.name)}):
                item.node_id = split["into"]
                item.rules.append("override:split")
        for _ in range(10):
            if item.node_id in ov.merges:
                item.node_id = ov.merges[item.node_id]
                item.rules.append("override:merge")
            elif item.node_id in ov.types:
                new_label = ov.types[item.node_id]
                item.node_id = f"{new_label}:{item.node_id.split(':', 1)[1]}"
                item.label = new_label
                item.rules.append("override:set_type")
            else:
                break
        if item.node_id in ov.renames:
            item.name = ov.renames[item.node_id]
            item.rules.append("override:rename")
        if item.node_id in ov.properties:
            item.properties.update(ov.properties[item.node_id])
            item.rules.append("override:set")

    # -- the document ----------------------------------------------------------------------
    def resolve(self, extraction: DocumentExtraction, sha256: str | None = None) -> DocumentGraph:
        """Resolve one document; ``sha256`` (the file's hash) replaces the extraction's."""
        doc = extraction.doc
        scope = self.scope_of(doc)
        abbreviations = {normalise_key(k): clean_name(v)
                         for k, v in sorted(extraction.abbreviations.items()) if v}
        local: dict[str, dict[str, str]] = {}
        resolved: list[_Resolved] = []
        # Specific names first, sorted, so that the outcome depends on the document only.
        entities = sorted(
            (e for e in extraction.entities if e.label != "Document" and e.evidence),
            key=lambda e: (e.label, normalise_key(e.name), e.id),
        )
        for ent in entities:
            resolved.append(self._resolve_entity(ent, doc, scope, abbreviations, local))
        self._resolve_generics(resolved)
        self._resolve_roles(resolved, extraction, scope)
        for item in resolved:
            self._apply_overrides(item, doc)
        nodes = self._nodes(resolved, doc)
        node_ids = {n.id for n in nodes}
        id_of = {r.entity.id: r.node_id for r in resolved if r.node_id in node_ids}
        edges = self._edges(extraction, id_of, nodes)
        document = DocumentRecord(doc, extraction.path, sha256 or extraction.sha256,
                                  extraction.n_chars, extraction.title)
        doc_props: dict[str, Any] = {"sha256": document.sha256, "n_chars": document.n_chars,
                                     "resolver": self.fingerprint}
        if extraction.title:
            doc_props["title"] = extraction.title
        if scope != doc:
            doc_props["study"] = scope
        doc_node = NodeRecord(f"Document:{doc}", "Document", doc, [], doc_props, [])
        return DocumentGraph(document, [doc_node, *nodes], edges)

    def _nodes(self, resolved: list[_Resolved], doc: str) -> list[NodeRecord]:
        groups: dict[str, list[_Resolved]] = {}
        for item in resolved:
            groups.setdefault(item.node_id, []).append(item)
        nodes = []
        for node_id in sorted(groups):
            group = groups[node_id]
            renamed = [g.name for g in group if "override:rename" in g.rules]
            # A generic mention ("the CCG") never names the specific node it resolved to.
            named = [g for g in group if "generic->local" not in g.rules] or group
            counts = Counter(g.name for g in named)
            name = renamed[0] if renamed else min(counts, key=lambda n: (-counts[n], n))
            surfaces = {clean_name(s) for g in group for s in [g.entity.name, *g.entity.aliases]}
            surfaces |= {g.name for g in group}
            props: dict[str, Any] = {}
            for g in sorted(group, key=lambda g: g.entity.id):
                for key, value in g.properties.items():
                    if key.startswith("_") or value is None:
                        continue
                    if isinstance(value, list | tuple):
                        props[key] = sorted(set(props.get(key, [])) | {str(v) for v in value})
                    else:
                        props.setdefault(key, value)
            log = {f"{rule}: {clean_name(g.entity.name)} ({doc})"
                   for g in group for rule in g.rules}
            if len(group) > 1:
                log |= {f"same-document: {clean_name(g.entity.name)} ({doc})" for g in group
                        if not g.rules}
            if log:
                props["merged_from"] = sorted(log)
            evidence = sorted({ev for g in group for ev in g.entity.evidence})
            label = group[0].label
            nodes.append(NodeRecord(node_id, label, name, sorted(surfaces - {name} - {""}),
                                    props, evidence))
        return nodes

    def _edges(self, extraction: DocumentExtraction, id_of: dict[str, str],
               nodes: list[NodeRecord]) -> list[EdgeRecord]:
        contributions: dict[str, list[EdgeRecord]] = {}
        for rel in extraction.relations:
            src, dst = id_of.get(rel.source), id_of.get(rel.target)
            if src is None or dst is None or src == dst or not rel.evidence:
                continue
            props = {k: v for k, v in rel.properties.items() if v is not None}
            if rel.type == "SPREAD_TO" and "initiative" in props:
                initiative = id_of.get(str(props["initiative"]))
                if initiative is None:
                    props.pop("initiative")
                else:
                    props["initiative"] = initiative
            props["method"] = rel.method
            props["confidence"] = rel.confidence
            key = edge_key(rel.type, src, dst, props)
            contributions.setdefault(key, []).append(
                EdgeRecord(key, rel.type, src, dst, props, sorted(set(rel.evidence))))
        edges = [merge_edges(contributions[k]) for k in sorted(contributions)]
        doc_id = f"Document:{extraction.doc}"
        for node in nodes:
            if node.evidence:
                key = edge_key("MENTIONED_IN", node.id, doc_id, {})
                edges.append(EdgeRecord(key, "MENTIONED_IN", node.id, doc_id,
                                        {"method": "mention", "confidence": 1.0},
                                        list(node.evidence)))
        return sorted(edges, key=lambda e: e.key)


def edge_key(rel_type: str, source: str, target: str, properties: dict[str, Any]) -> str:
    """Return the stable key of a relationship.

    >>> edge_key("IMPLEMENTS", "Site:s/site 1", "Initiative:mdt", {"status": "stopped"})
    'IMPLEMENTS|Site:s/site 1|Initiative:mdt|status=stopped'
    """
    parts = [rel_type, source, target]
    for prop in EDGE_KEY_PROPERTIES.get(rel_type, ()):
        if properties.get(prop) is not None:
            parts.append(f"{prop}={properties[prop]}")
    return "|".join(parts)


@dataclass(frozen=True)
class MergeLogEntry:
    """One recorded resolution decision for a node."""

    node_id: str
    rule: str
    mention: str
    doc: str


_LOG_LINE = re.compile(r"^(?P<rule>[^:]+(?::[a-z_]+)?): (?P<mention>.*) \((?P<doc>[^()]*)\)$")


def merge_log(store_or_graph: Any, node_id: str | None = None) -> list[MergeLogEntry]:
    """Return the recorded merges of one node (or all nodes) of a store or a networkx graph."""
    graph = store_or_graph.to_networkx() if hasattr(store_or_graph, "to_networkx") \
        else store_or_graph
    ids = [node_id] if node_id is not None else sorted(graph.nodes)
    entries = []
    for nid in ids:
        if nid not in graph:
            continue
        for line in graph.nodes[nid].get("merged_from", []):
            match = _LOG_LINE.match(line)
            if match:
                entries.append(MergeLogEntry(nid, match["rule"], match["mention"], match["doc"]))
    return entries


def evidence_dicts(evidence: Iterable[Evidence]) -> list[dict[str, Any]]:
    """Return evidence in the export-contract form, sorted."""
    return [ev.to_dict() for ev in sorted(set(evidence))]
