"""Synthetic corpora in the genre, with a ground truth, for tests and benchmarks.

Two generators, both deterministic for a given ``seed``:

* :func:`write_corpus` writes plain-text documents that read like the evaluation reports and
  interview write-ups of the New Care Models programme: numbered sections, abbreviations
  defined once and used bare afterwards, sites ``Site 1`` .. ``Site N``, invented CCGs, STPs,
  ICSs, PCNs, NHS trusts and councils, interview quotes attributed to respondent codes such
  as ``S3R07`` on the next line, people who moved from a Vanguard role to an STP/ICS role,
  initiatives implemented, stopped, spread between sites and scaled up nationally, author-year
  citations and a reference list (whose authors are *not* actors). It returns a
  :class:`GroundTruth` of what it planted, and also writes it to ``ground_truth.jsonl`` (one
  line per document). Documents are generated one at a time and streamed to disk, so 10,000
  documents need little memory.
* :func:`synthetic_document_graphs` yields resolved
  :class:`~actorgraph.graph.store.DocumentGraph` objects directly (no NLP), sharing
  organisations, sites and initiatives across documents so that stores must merge them; it is
  what the store benchmarks load.

Each document ``i`` draws from its own ``random.Random`` seeded with ``(seed, i)``, so a
document does not depend on how many others are generated.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from actorgraph.graph.store import DocumentGraph, DocumentRecord, EdgeRecord, NodeRecord
from actorgraph.records import Evidence

_SYLLABLES_A = ["Ash", "Bram", "Cal", "Dun", "Elm", "Fen", "Gal", "Hart", "Ivy", "Kel",
                "Lang", "Mar", "Nor", "Oak", "Pen", "Quarry", "Ran", "Sel", "Thorn", "Wex",
                "Yar", "Brook", "Cray", "Hol", "Wick"]
_SYLLABLES_B = ["bury", "mere", "vale", "ford", "ton", "ley", "wick", "field", "more", "dale",
                "stead", "wood", "combe", "borough", "ham", "worth", "by", "port"]
_SURNAMES = ["Harwood", "Pemberton", "Okafor", "Lindqvist", "Castellano", "Mbeki", "Rowntree",
             "Fairclough", "Nakamura", "Delacroix", "Brennan", "Whitlock", "Achterberg",
             "Szabo", "Kowalczyk", "Tremayne", "Quarshie", "Ellery", "Vasquez", "Holloway"]
_JOURNALS = ["Journal of Integrated Care", "BMJ Open", "Health Policy",
             "Journal of Health Services Research & Policy", "Social Science & Medicine",
             "International Journal of Integrated Care", "Public Money & Management"]
_CITATION_TOPICS = ["integrated care systems", "new care models", "boundary spanning",
                    "care home medicine", "commissioning in the English NHS",
                    "policy implementation", "scaling up health innovations"]

#: Model types of the New Care Models programme and their long forms.
MODEL_TYPES = {
    "PACS": "primary and acute care system",
    "MCP": "multispecialty community provider",
    "ECH": "enhanced health in care homes",
    "UEC": "urgent and emergency care network",
    "ACC": "acute care collaboration",
}

#: Initiatives: (short name, abbreviation or None, phrase for the text, category). With an
#: abbreviation the phrase is its long form ("multidisciplinary team (MDT) meetings").
INITIATIVES = [
    ("MDT", "MDT", "multidisciplinary team", "MDT"),
    ("MSK pathway", "MSK", "musculoskeletal", "MSK"),
    ("social prescribing", None, "social prescribing", "social_prescribing"),
    ("red bag scheme", None, "the red bag scheme", "hospital_transfer"),
    ("falls service", None, "the community falls service", "falls"),
    ("care home ward rounds", None, "weekly care home ward rounds", "ward_rounds"),
    ("telehealth", None, "telehealth monitoring", "digital"),
    ("trusted assessor", None, "the trusted assessor model", "discharge"),
]

#: Earlier (Vanguard) roles and later (system) roles: (title, category).
VANGUARD_ROLES = [("programme director of the Vanguard", "programme"),
                  ("Vanguard programme lead", "programme"),
                  ("chair of the Vanguard board", "governance"),
                  ("clinical lead for the Vanguard", "clinical"),
                  ("Vanguard project manager", "managerial")]
SYSTEM_ROLES = [("director of transformation", "managerial"),
                ("programme director", "programme"),
                ("clinical lead for care homes", "clinical"),
                ("head of primary care", "managerial"),
                ("senior responsible officer", "governance")]
OTHER_ROLES = [("care home manager", "managerial"), ("GP", "clinical"),
               ("practice manager", "managerial"), ("community matron", "clinical"),
               ("commissioning manager", "commissioning"), ("social worker", "clinical"),
               ("geriatrician", "clinical"), ("PCN clinical director", "clinical")]


@dataclass
class PlantedPerson:
    """A respondent planted in a document (codes are scoped to their document's study)."""

    doc: str
    respondent_id: str
    site: str
    roles: list[str] = field(default_factory=list)


@dataclass
class PlantedMove:
    """A person who held ``from_role`` in ``from_org`` and later ``to_role`` in ``to_org``."""

    doc: str
    respondent_id: str
    from_role: str
    from_org: str
    to_role: str
    to_org: str


@dataclass
class PlantedSpread:
    """An initiative spread between sites (``mode`` spread) or scaled up nationally."""

    doc: str
    initiative: str
    source: str
    target: str
    mode: str


@dataclass
class PlantedImplementation:
    """A site (or organisation) that implemented an initiative, with a status."""

    doc: str
    site: str
    initiative: str
    status: str


@dataclass
class GroundTruth:
    """What :func:`write_corpus` planted, over all documents."""

    documents: list[str] = field(default_factory=list)
    people: list[PlantedPerson] = field(default_factory=list)
    moves: list[PlantedMove] = field(default_factory=list)
    spreads: list[PlantedSpread] = field(default_factory=list)
    implementations: list[PlantedImplementation] = field(default_factory=list)
    #: Organisation names by document: ``{doc: {name: org_type}}``.
    organisations: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Abbreviations defined in each document: ``{doc: {abbreviation: long form}}``.
    abbreviations: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Surnames of cited authors by document: these must never become actors.
    cited_authors: dict[str, list[str]] = field(default_factory=dict)

    def roles(self) -> set[str]:
        """Every role title planted."""
        return {r for p in self.people for r in p.roles}

    def extend(self, other: GroundTruth) -> None:
        """Add ``other``'s facts to this one."""
        self.documents += other.documents
        self.people += other.people
        self.moves += other.moves
        self.spreads += other.spreads
        self.implementations += other.implementations
        self.organisations.update(other.organisations)
        self.abbreviations.update(other.abbreviations)
        self.cited_authors.update(other.cited_authors)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


def _initiative_phrase(d: _Doc, short: str, ab: str | None, phrase: str) -> str:
    """How the text names an initiative: abbreviations defined on first use."""
    if ab is None:
        return phrase
    noun = short[len(ab):].strip() or "meetings"
    return f"{d.abbr(ab, phrase)} {noun}"


def _place(rng: random.Random) -> str:
    return rng.choice(_SYLLABLES_A) + rng.choice(_SYLLABLES_B)


def _unique_places(rng: random.Random, n: int) -> list[str]:
    places: list[str] = []
    while len(places) < n:
        name = _place(rng)
        if name not in places:
            places.append(name)
    return places


class _Doc:
    """Builds one document's text and ground truth."""

    def __init__(self, name: str, rng: random.Random) -> None:
        self.name = name
        self.rng = rng
        self.parts: list[str] = []
        self.truth = GroundTruth(documents=[name], organisations={name: {}},
                                 abbreviations={name: {}}, cited_authors={name: []})
        self.defined: set[str] = set()
        self.refs: list[tuple[list[str], int]] = []

    def abbr(self, abbreviation: str, long_form: str) -> str:
        """The long form with the abbreviation in brackets the first time, bare afterwards."""
        if abbreviation in self.defined:
            return abbreviation
        self.defined.add(abbreviation)
        self.truth.abbreviations[self.name][abbreviation] = long_form
        return f"{long_form} ({abbreviation})"

    def org(self, name: str, org_type: str) -> str:
        self.truth.organisations[self.name][name] = org_type
        return name

    def cite(self, narrative: bool = False) -> str:
        """An author-year citation, bracketed or (``narrative``) "Name et al. (2019)"."""
        rng = self.rng
        authors = rng.sample(_SURNAMES, rng.randint(1, 3))
        year = rng.randint(2008, 2023)
        self.truth.cited_authors[self.name] += [a for a in authors
                                                if a not in self.truth.cited_authors[self.name]]
        self.refs.append((authors, year))
        names = {1: authors[0], 2: f"{authors[0]} and {authors[-1]}"}.get(
            len(authors), f"{authors[0]} et al.")
        return f"{names} ({year})" if narrative else f"({names}, {year})"


def _document(name: str, rng: random.Random) -> tuple[str, GroundTruth]:
    """Generate one report: its text and what it planted."""
    d = _Doc(name, rng)
    n_sites = rng.randint(2, 6)
    places = _unique_places(rng, n_sites + 2)
    region = places[-1]
    stp_place = places[-2]
    sites = [f"Site {i}" for i in range(1, n_sites + 1)]
    model = rng.choice(list(MODEL_TYPES))
    ccgs = {s: d.org(f"{places[i]} CCG", "CCG") for i, s in enumerate(sites)}
    trusts = {s: d.org(f"{places[i]} Community Health NHS Trust", "NHS_TRUST")
              for i, s in enumerate(sites)}
    councils = {s: d.org(f"{places[i]} Borough Council", "LOCAL_AUTHORITY")
                for i, s in enumerate(sites)}
    stp = d.org(f"{stp_place} and {region} STP", "STP")
    ics = d.org(f"{stp_place} and {region} ICS", "ICS")
    pcns = {s: d.org(f"{places[i]} Central PCN", "PCN") for i, s in enumerate(sites)}
    d.org("NHS England", "NATIONAL_BODY")
    out = d.parts

    title_model = MODEL_TYPES[model].title()
    out.append(f"Evaluation of the {title_model} Vanguards in {region}: "
               f"{rng.choice(['final report', 'interim report', 'phase 2 report'])}\n")
    out.append("1. Introduction\n")
    stp_long = d.abbr("STP", "Sustainability and Transformation Partnership")
    out.append(
        f"The Five Year Forward View {d.cite()} led NHS England to fund 50 Vanguard sites "
        f"testing New Care Models. This report presents findings from {n_sites} sites in "
        f"{region}, each a Vanguard of the {d.abbr(model, MODEL_TYPES[model])} type. Care was "
        f"commissioned by each area's {d.abbr('CCG', 'Clinical Commissioning Group')} and, "
        f"from 2016, planned across the footprint of the {stp_long}, which later became an "
        f"{d.abbr('ICS', 'Integrated Care System')} {d.cite()}.\n")
    out.append("2. Methods\n")
    out.append(
        f"We conducted semi-structured interviews with respondents in {sites[0]} to "
        f"{sites[-1]}, using the approach described by {d.cite(narrative=True)}. Respondents "
        "are identified by a code giving the site and respondent number (e.g. S1R01).\n")
    out.append("3. Findings\n")

    initiatives = rng.sample(INITIATIVES, k=min(len(INITIATIVES), rng.randint(3, 5)))
    respondent_no: dict[str, int] = {}

    def respondent(site: str) -> str:
        k = sites.index(site) + 1
        respondent_no[site] = respondent_no.get(site, 0) + rng.randint(1, 3)
        return f"S{k}R{respondent_no[site]:02d}"

    for si, site in enumerate(sites):
        out.append(f"3.{si + 1} {site}\n")
        partners = [ccgs[site], trusts[site], councils[site]]
        out.append(
            f"{site}, a {model} site, was led by {partners[0]} working in partnership with "
            f"{partners[1]} and "
            f"{partners[2]}. The {d.abbr('PCN', 'Primary Care Network')} in the area, "
            f"{pcns[site]}, joined the programme in 2019.\n")
        for short, ab, phrase, _cat in initiatives[: rng.randint(1, len(initiatives))]:
            label = _initiative_phrase(d, short, ab, phrase)
            status = rng.choice(["implemented", "implemented", "continued", "stopped"])
            d.truth.implementations.append(PlantedImplementation(name, site, short, status))
            sentence = {
                "implemented": f"{site} implemented {label} in care homes across the area.",
                "continued": f"In {site}, {label} continued after the Vanguard funding ended.",
                "stopped": f"{site} introduced {label}, but this was stopped when the Vanguard "
                           "funding ended.",
            }[status]
            out.append(sentence + "\n")
        # people and their quotes
        for _ in range(rng.randint(1, 3)):
            code = respondent(site)
            role, _cat = rng.choice(OTHER_ROLES)
            d.truth.people.append(PlantedPerson(name, code, site, [role]))
            quote = rng.choice([
                "We had never worked with the care homes like this before.",
                "The relationships were there before the money was.",
                "It was about trust, really, more than contracts.",
                f"The {ccgs[site].split()[0]} team listened to us.",
            ])
            out.append(f"\u201c{quote}\u201d\n{code}, {role}\n")
        if rng.random() < 0.7:
            code = respondent(site)
            (from_role, _), (to_role, _) = rng.choice(VANGUARD_ROLES), rng.choice(SYSTEM_ROLES)
            to_org = rng.choice([stp, ics])
            d.truth.people.append(PlantedPerson(name, code, site, [from_role, to_role]))
            d.truth.moves.append(PlantedMove(name, code, from_role, site, to_role, to_org))
            out.append(rng.choice([
                f"\u201cI was the {from_role} in {site}, and when the funding ended I moved "
                f"into the {to_org.split()[-1]} as {to_role}.\u201d\n{code}\n",
                f"The former {from_role} in {site} ({code}) later became {to_role} "
                f"for the {to_org}.\n",
                f"\u201cBefore this job I was {from_role}; now I am {to_role} at the "
                f"{to_org}, so the learning came with me.\u201d\n{code}, {to_role}\n",
            ]))

    out.append("4. Spread and scale-up\n")
    for _ in range(rng.randint(1, 3)):
        short, ab, phrase, _cat = rng.choice(initiatives)
        src, dst = rng.sample(sites, 2)
        d.truth.spreads.append(PlantedSpread(name, short, src, dst, "spread"))
        label = _initiative_phrase(d, short, ab, phrase)
        out.append(rng.choice([
            f"The approach to {label} developed in {src} was later adopted by {dst}.\n",
            f"In 2018, {label} spread from {src} to {dst}.\n",
            f"Following its success in {src}, {dst} introduced {label} as well.\n",
        ]))
    if rng.random() < 0.6:
        short, ab, phrase, _cat = rng.choice(initiatives)
        src = rng.choice(sites)
        d.truth.spreads.append(PlantedSpread(name, short, src, "NHS England", "scale-up"))
        out.append(
            f"NHS England scaled up {_initiative_phrase(d, short, ab, phrase)} from {src} "
            "nationally, and it "
            f"became part of the {d.abbr('DES', 'Network Contract Directed Enhanced Service')} "
            f"for PCNs in 2020 {d.cite()}.\n")
    out.append(f"The {ics} succeeded the {stp} in 2022, and the CCGs were replaced by the "
               f"{d.abbr('ICB', 'Integrated Care Board')} {d.cite()}.\n")

    out.append("5. Conclusions\n")
    bare = [a for a in d.truth.abbreviations[name] if a not in (model, "CCG", "STP", "ICS")]
    legacy = "the " + (" and ".join([", ".join(bare[:-1]), bare[-1]] if len(bare) > 1
                                     else bare) or "local") + " work"
    out.append(f"The {model} Vanguards left a legacy in {legacy}. Staff of the CCGs and the "
               "STP carried what they had learned into the ICS.\n")
    out.append("References\n")
    for authors, year in sorted(d.refs):
        initials = ", ".join(f"{a} {rng.choice('ABCDEFGHJKLMNPRSTW')}" for a in authors)
        out.append(f"{initials} ({year}) {rng.choice(_CITATION_TOPICS).capitalize()}: "
                   f"lessons from England. {rng.choice(_JOURNALS)}, "
                   f"{rng.randint(1, 40)}({rng.randint(1, 12)}), {rng.randint(1, 900)}.\n")
    return "\n".join(out), d.truth


def _doc_rng(seed: int, index: int) -> random.Random:
    digest = hashlib.sha256(f"{seed}:{index}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def iter_documents(n_docs: int, seed: int = 0) -> Iterator[tuple[str, str, GroundTruth]]:
    """Yield ``(file name, text, ground truth)`` for ``n_docs`` documents, one at a time."""
    width = max(4, len(str(n_docs - 1)))
    for i in range(n_docs):
        name = f"synthetic_{i:0{width}d}.txt"
        text, truth = _document(name, _doc_rng(seed, i))
        yield name, text, truth


def write_corpus(out_dir: str | Path, n_docs: int, seed: int = 0) -> GroundTruth:
    """Write ``n_docs`` documents into ``out_dir``; return (and save) what they plant.

    The ground truth is also written to ``out_dir/ground_truth.jsonl``, one JSON object per
    document. The same ``seed`` gives byte-identical files.
    """
    if n_docs < 0:
        raise ValueError(f"n_docs must be >= 0, got {n_docs}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    truth = GroundTruth()
    with (out / "ground_truth.jsonl").open("w", encoding="utf-8") as lines:
        for name, text, doc_truth in iter_documents(n_docs, seed):
            (out / name).write_text(text, encoding="utf-8")
            lines.write(json.dumps(doc_truth.to_dict(), ensure_ascii=False, sort_keys=True))
            lines.write("\n")
            truth.extend(doc_truth)
    return truth


# -- resolved document graphs, without NLP ---------------------------------------------------

def synthetic_document_graphs(
    n_relationships: int, seed: int = 0, relationships_per_document: int = 500,
) -> Iterator[DocumentGraph]:
    """Yield document graphs holding exactly ``n_relationships`` relationships in all.

    As in real reports, each document has its own respondents and sites (scoped to it), a few
    organisations drawn from a pool shared by all documents (so a CCG or trust is merged across
    the documents that name it), local initiatives, and one sentence naming NHS England and a
    national initiative (hubs that every document touches). Facts: ``HOLDS`` (earlier Vanguard
    role, later system role), ``IN``, ``TRANSITIONED_TO``, ``PARTNER_OF``, ``IMPLEMENTS``,
    ``SPREAD_TO`` (mode spread or scale-up), ``FUNDS``, and a ``MENTIONED_IN`` edge from every
    entity to its ``Document`` node; every node and relationship has evidence.
    """
    per_doc = max(20, relationships_per_document)
    n_docs = max(1, n_relationships // per_doc)
    pool_rng = random.Random(seed)
    places = _unique_places(pool_rng, min(len(_SYLLABLES_A) * len(_SYLLABLES_B), 400))
    orgs = []
    for i in range(max(20, 2 * n_docs)):
        place = f"{places[i % len(places)]}{'' if i < len(places) else f' {i // len(places)}'}"
        kind, suffix = [("CCG", "CCG"), ("NHS_TRUST", "Community Health NHS Trust"),
                        ("LOCAL_AUTHORITY", "Borough Council"), ("PCN", "Central PCN")][i % 4]
        orgs.append((f"Organisation:{place.lower()} {suffix.lower()}", f"{place} {suffix}", kind))
    remaining = n_relationships
    index = 0
    while remaining > 0:
        rng = _doc_rng(seed, index)
        doc = f"synthetic_{index:06d}.txt"
        builder = _GraphBuilder(doc, rng, orgs)
        budget = min(per_doc, remaining)
        while builder.size() < budget + 10:
            builder.add_fact()
        graph = builder.build(budget)
        remaining -= len(graph.edges)
        index += 1
        yield graph


class _GraphBuilder:
    """Accumulates one synthetic document's nodes and edges, with evidence sentences."""

    def __init__(self, doc: str, rng: random.Random, orgs: list[tuple[str, str, str]]) -> None:
        self.doc = doc
        self.rng = rng
        self.nodes: dict[str, NodeRecord] = {}
        self.edges: dict[str, EdgeRecord] = {}
        self.offset = 0
        self.people = 0
        self.orgs = rng.sample(orgs, k=min(len(orgs), rng.randint(3, 6)))
        self.sites = [(f"Site:{doc}/site {i}", f"Site {i}") for i in range(1, rng.randint(3, 7))]
        local = rng.sample(INITIATIVES, k=3)
        place = self.orgs[0][1].split()[0]
        self.initiatives = [(f"Initiative:{short.lower()} ({place.lower()})",
                             f"{short} ({place})", cat) for short, _ab, _p, cat in local]
        short, _ab, _p, cat = rng.choice(INITIATIVES)
        national = (f"Initiative:{short.lower()}", short, cat)
        nhse = "Organisation:nhs england"
        s = self._evidence(f"NHS England scaled up {short} from {self.sites[0][1]} nationally.")
        self._node(nhse, "Organisation", "NHS England", s, org_type="NATIONAL_BODY",
                   sector="NHS", level="national")
        self._node(national[0], "Initiative", short, s, category=cat, scope="national")
        self._node(self.sites[0][0], "Site", self.sites[0][1], s, site_code=self.sites[0][1])
        self._edge("SPREAD_TO", self.sites[0][0], nhse, s, initiative=national[0],
                   mode="scale-up")
        self._edge("FUNDS", nhse, self.sites[0][0], s)

    def size(self) -> int:
        """Relationships so far, counting one ``MENTIONED_IN`` per entity."""
        return len(self.edges) + len(self.nodes)

    def _evidence(self, sentence: str) -> Evidence:
        ev = Evidence(self.doc, self.offset, self.offset + len(sentence), sentence)
        self.offset += len(sentence) + 1
        return ev

    def _node(self, node_id: str, label: str, name: str, ev: Evidence, **props: Any) -> None:
        if node_id in self.nodes:
            self.nodes[node_id].evidence.append(ev)
        else:
            self.nodes[node_id] = NodeRecord(node_id, label, name, [], props, [ev])

    def _edge(self, rel_type: str, src: str, dst: str, ev: Evidence, **props: Any) -> None:
        key = f"{rel_type}|{src}|{dst}"
        props = {"method": "synthetic", "confidence": 0.9, **props}
        if key in self.edges:
            self.edges[key].evidence.append(ev)
        else:
            self.edges[key] = EdgeRecord(key, rel_type, src, dst, props, [ev])

    def add_fact(self) -> None:
        """Plant one respondent's move, one implementation and maybe one spread."""
        rng = self.rng
        self.people += 1
        site_no = rng.randint(1, len(self.sites))
        code = f"S{site_no}R{self.people:03d}"
        person = f"Person:{self.doc}/{code}"
        site_id, site_name = self.sites[site_no - 1]
        org_id, org_name, org_type = rng.choice(self.orgs)
        ini_id, ini_name, ini_cat = rng.choice(self.initiatives)
        (from_title, from_cat), (to_title, to_cat) = (rng.choice(VANGUARD_ROLES),
                                                      rng.choice(SYSTEM_ROLES))
        from_role = f"Role:{from_title.lower()} @ {site_id}"
        to_role = f"Role:{to_title.lower()} @ {org_id}"
        s1 = self._evidence(f"{code} was the {from_title} in {site_name} and later became "
                            f"{to_title} at {org_name}.")
        self._node(person, "Person", code, s1, respondent_id=code, anonymised=True,
                   site=site_name)
        self._node(from_role, "Role", from_title, s1, title=from_title, category=from_cat)
        self._node(to_role, "Role", to_title, s1, title=to_title, category=to_cat)
        self._node(site_id, "Site", site_name, s1, site_code=site_name)
        self._node(org_id, "Organisation", org_name, s1, org_type=org_type, sector="NHS")
        self._edge("HOLDS", person, from_role, s1, tense="earlier")
        self._edge("HOLDS", person, to_role, s1, tense="later")
        self._edge("IN", from_role, site_id, s1)
        self._edge("IN", to_role, org_id, s1)
        self._edge("TRANSITIONED_TO", from_role, to_role, s1)
        s2 = self._evidence(f"{site_name} implemented {ini_name} with {org_name}.")
        self._node(ini_id, "Initiative", ini_name, s2, category=ini_cat, scope="local")
        self._node(site_id, "Site", site_name, s2, site_code=site_name)
        self._node(org_id, "Organisation", org_name, s2, org_type=org_type, sector="NHS")
        self._edge("IMPLEMENTS", site_id, ini_id, s2,
                   status=rng.choice(["implemented", "continued", "stopped"]))
        self._edge("PARTNER_OF", site_id, org_id, s2)
        other_id, other_name = rng.choice(self.sites)
        if other_id != site_id and rng.random() < 0.3:
            s3 = self._evidence(f"{ini_name} spread from {site_name} to {other_name}.")
            self._node(other_id, "Site", other_name, s3, site_code=other_name)
            self._node(site_id, "Site", site_name, s3, site_code=site_name)
            self._node(ini_id, "Initiative", ini_name, s3, category=ini_cat, scope="local")
            self._edge("SPREAD_TO", site_id, other_id, s3, initiative=ini_id, mode="spread")

    def build(self, budget: int) -> DocumentGraph:
        """The document graph with its ``MENTIONED_IN`` edges, cut to exactly ``budget``
        relationships (whole nodes and edges are dropped from the end)."""
        doc_id = f"Document:{self.doc}"
        nodes = list(self.nodes.values())
        edges = list(self.edges.values())
        while len(edges) + len(nodes) > budget and len(nodes) > 1:
            dropped = nodes.pop()
            edges = [e for e in edges if dropped.id not in (e.source, e.target)]
        while len(edges) + len(nodes) > budget and edges:
            edges.pop()
        mentions = [EdgeRecord(f"MENTIONED_IN|{n.id}|{doc_id}", "MENTIONED_IN", n.id, doc_id,
                               {"method": "evidence", "confidence": 1.0}, sorted(n.evidence))
                    for n in nodes]
        sha = hashlib.sha256(f"{self.doc}:{self.offset}:{len(edges)}".encode()).hexdigest()
        document = NodeRecord(doc_id, "Document", self.doc, [], {}, [])
        return DocumentGraph(DocumentRecord(self.doc, f"synthetic/{self.doc}", sha, self.offset),
                             [document, *nodes], [*edges, *mentions])
