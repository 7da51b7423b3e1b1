"""Entity resolution rules on hand-annotated documents in the genre."""

from __future__ import annotations

import pytest

from actorgraph.graph.normalise import clean_name, normalise_key
from actorgraph.graph.overrides import OverridesError, load_overrides, parse_overrides
from actorgraph.graph.resolve import NameIndex, ResolutionConfig, Resolver, merge_log
from actorgraph.graph.sqlite_store import SQLiteStore
from tests.graph_docs import doc_a, doc_b, doc_c, make_extraction


def resolve_all(extractions, resolver=None):
    resolver = resolver or Resolver()
    graphs = []
    for ex in extractions:
        graph = resolver.resolve(ex)
        resolver.index.add_graph(graph)
        graphs.append(graph)
    return graphs


def node(graph, node_id):
    found = [n for n in graph.nodes if n.id == node_id]
    assert found, f"{node_id} not in {[n.id for n in graph.nodes]}"
    return found[0]


def test_surface_variation_gives_one_key():
    variants = ["the Care Homes", "care home's", "Care Home", "CARE HOMES'", "care  home"]
    assert {normalise_key(v) for v in variants} == {"care home"}
    assert normalise_key("Clinical Commiss-\n  ioning Groups") == "ccg"
    assert normalise_key("NHS Leeds North Clinical Commissioning Group") == "leeds north ccg"
    # proper nouns ending in s and acronyms are not de-pluralised
    assert normalise_key("Leeds") == "leeds" and normalise_key("NHS") == "nhs"
    assert clean_name("Tower Hamlets\nClinical  Commissioning Group ") == (
        "Tower Hamlets Clinical Commissioning Group")


def test_abbreviation_defined_in_document_joins_long_form():
    graph = Resolver().resolve(doc_a())
    ccg = node(graph, "Organisation:tower hamlets ccg")
    assert ccg.name == "Tower Hamlets Clinical Commissioning Group"
    assert "THCCG" in ccg.aliases
    assert "abbreviation: THCCG (a.txt)" in ccg.properties["merged_from"]
    # the FUNDS relation was stated with the abbreviation and lands on the same node
    funds = [e for e in graph.edges if e.type == "FUNDS"]
    assert [e.source for e in funds] == ["Organisation:tower hamlets ccg"]


def test_known_aliases_merge_within_and_across_documents():
    ga, gb, gc = resolve_all([doc_a(), doc_b(), doc_c()])
    for graph, alias in ((gb, "NHSE"), (gc, "NHS E")):
        nhse = node(graph, "Organisation:nhs england")
        assert nhse.name == "NHS England" and alias in nhse.aliases
        assert nhse.properties["org_type"] == "NATIONAL_BODY"
        assert f"alias: {alias} ({graph.document.doc})" in nhse.properties["merged_from"]
    # the long form and the acronym form of the CCG's name share one id across documents
    assert node(gb, "Organisation:tower hamlets ccg").name == "Tower Hamlets CCG"


def test_respondent_codes_are_scoped_to_their_study():
    ga, gb, _ = resolve_all([doc_a(), doc_b(), doc_c()])
    assert node(ga, "Person:a.txt/S1R04").properties["scope"] == "a.txt"
    assert node(gb, "Person:b.txt/S1R04").properties["respondent_id"] == "S1R04"
    # declared one study (config): the same code is one person
    config = ResolutionConfig(studies={"tower-hamlets-eval": ["a.txt", "b.txt"]})
    ga2, gb2 = resolve_all([doc_a(), doc_b()], Resolver(config))
    assert node(ga2, "Person:tower-hamlets-eval/S1R04")
    assert node(gb2, "Person:tower-hamlets-eval/S1R04")
    # ... or by an override line
    overrides = parse_overrides('{"op": "study", "name": "s", "docs": ["a.txt", "b.txt"]}')
    ga3, gb3 = resolve_all([doc_a(), doc_b()], Resolver(overrides=overrides))
    assert node(ga3, "Person:s/S1R04") and node(gb3, "Person:s/S1R04")
    # numbered sites are codes too
    assert node(ga, "Site:a.txt/site 1").properties["model_type"] == "ECH"


def test_generic_mentions_resolve_only_when_unambiguous():
    ga, _, gc = resolve_all([doc_a(), doc_b(), doc_c()])
    # a.txt names exactly one CCG: "the CCG" is it
    ccg = node(ga, "Organisation:tower hamlets ccg")
    assert "generic->local: the CCG (a.txt)" in ccg.properties["merged_from"]
    assert ccg.name != "the CCG"
    # c.txt names two CCGs: "the CCG" stays generic and scoped to c.txt
    generic = node(gc, "Organisation:c.txt/ccg")
    assert generic.properties["generic"] is True and generic.properties["scope"] == "c.txt"
    # a generic with no specific counterpart stays in its document
    assert node(ga, "Organisation:a.txt/local_authority").properties["generic"] is True
    # the role IN the generic CCG is not merged with any other document's chair
    assert node(gc, "Role:chair @ c.txt/ccg").properties["scope"] == "c.txt"


def test_generic_mentions_never_merge_across_documents():
    text = "The CCG agreed the plan. The ICS took over later."
    graphs = resolve_all([
        make_extraction(doc, text, [("e1", "Organisation", "The CCG", {}),
                                    ("e2", "Organisation", "The ICS", {})])
        for doc in ("x.txt", "y.txt")
    ])
    ids = [{n.id for n in g.nodes if n.label == "Organisation"} for g in graphs]
    assert ids[0] == {"Organisation:x.txt/ccg", "Organisation:x.txt/ics"}
    assert ids[1] == {"Organisation:y.txt/ccg", "Organisation:y.txt/ics"}


def test_fuzzy_matching_against_the_store(tmp_path):
    t1 = "Airedale, Wharfedale and Craven CCG led the vanguard."
    t2 = "Airedale Wharfdale & Craven CCG funded it. Vanguard Programme 2 ended."
    t3 = "Vanguard Programme 1 ended. Leeds City Council agreed."
    resolver = Resolver()
    g1, g2, g3 = resolve_all([
        make_extraction("d1.txt", t1, [("e1", "Organisation", "Airedale, Wharfedale and Craven CCG",
                                        {})]),
        make_extraction("d2.txt", t2, [
            ("e1", "Organisation", "Airedale Wharfdale & Craven CCG", {}),
            ("e2", "Initiative", "Vanguard Programme 2", {})]),
        make_extraction("d3.txt", t3, [("e1", "Initiative", "Vanguard Programme 1", {}),
                                       ("e2", "Organisation", "Leeds City Council", {})]),
    ], resolver)
    target = "Organisation:airedale wharfedale and craven ccg"
    merged = node(g2, target)
    assert any(line.startswith("fuzzy(") for line in merged.properties["merged_from"])
    # numbers differ: never fuzzy-merged
    assert node(g3, "Initiative:vanguard programme 1")
    # the log is readable back from a store
    store = SQLiteStore(tmp_path / "g.sqlite")
    for graph in (g1, g2, g3):
        store.write_document(graph)
    log = merge_log(store, target)
    assert [(e.rule.startswith("fuzzy"), e.mention, e.doc) for e in log] == [
        (True, "Airedale Wharfdale & Craven CCG", "d2.txt")]
    store.close()


def test_fuzzy_threshold_is_configurable():
    t = "Airedale Wharfdale & Craven CCG funded it."
    index = NameIndex()
    resolver = Resolver(ResolutionConfig(fuzzy_threshold=99.5), index=index)
    resolve_all([make_extraction("d1.txt", "Airedale, Wharfedale and Craven CCG led.",
                                 [("e1", "Organisation", "Airedale, Wharfedale and Craven CCG",
                                   {})])], resolver)
    (graph,) = resolve_all([make_extraction("d2.txt", t, [
        ("e1", "Organisation", "Airedale Wharfdale & Craven CCG", {})])], resolver)
    assert node(graph, "Organisation:airedale wharfdale and craven ccg")


def test_spread_initiative_becomes_node_id_and_mentions_link_documents():
    graph = Resolver().resolve(doc_a())
    (spread,) = [e for e in graph.edges if e.type == "SPREAD_TO"]
    assert spread.properties["initiative"] == "Initiative:care home mdt"
    assert spread.key == ("SPREAD_TO|Site:a.txt/site 1|Site:a.txt/site 2|"
                          "initiative=Initiative:care home mdt|mode=spread")
    entity_ids = {n.id for n in graph.nodes if n.label != "Document"}
    mentioned = {e.source for e in graph.edges if e.type == "MENTIONED_IN"}
    assert mentioned == entity_ids
    text = doc_a().entities[0].evidence[0].text
    for edge in graph.edges:
        assert edge.evidence, edge.key
        for ev in edge.evidence:
            assert ev.doc == "a.txt" and ev.end > ev.start
    assert text


def test_relations_collapsing_to_self_loops_are_dropped():
    text = "NHSE and NHS England are the same body. NHSE is part of NHS England."
    ex = make_extraction("s.txt", text, [("e1", "Organisation", "NHSE", {}),
                                         ("e2", "Organisation", "NHS England", {})],
                         [("PART_OF", "e1", "e2", {})])
    graph = Resolver().resolve(ex)
    assert [e.type for e in graph.edges] == ["MENTIONED_IN"]


def test_overrides_merge_split_rename_set_type_and_set(tmp_path):
    path = tmp_path / "overrides.jsonl"
    path.write_text(
        "# hand corrections\n"
        '{"op": "merge", "ids": ["Organisation:leeds north ccg", "Organisation:bradford city ccg"],'
        ' "into": "Organisation:west yorkshire ccgs"}\n'
        '{"op": "rename", "id": "Organisation:west yorkshire ccgs", "name": "WY CCGs"}\n'
        '{"op": "set_type", "id": "Organisation:west yorkshire alliance", "label": "Initiative"}\n'
        '{"op": "set", "id": "Organisation:nhs england", "properties": {"level": "regional"}}\n'
        '{"op": "split", "id": "Organisation:nhs england", "doc": "c.txt",'
        ' "into": "Organisation:nhs england north"}\n',
        encoding="utf-8")
    overrides = load_overrides(path)
    (graph,) = resolve_all([doc_c()], Resolver(overrides=overrides))
    merged = node(graph, "Organisation:west yorkshire ccgs")
    assert merged.name == "WY CCGs"
    assert {"Leeds North CCG", "Bradford City CCG"} <= set(merged.aliases)
    assert any(line.startswith("override:merge") for line in merged.properties["merged_from"])
    assert node(graph, "Initiative:west yorkshire alliance").label == "Initiative"
    assert node(graph, "Organisation:nhs england north").name == "NHS England"
    assert all(n.id != "Organisation:nhs england" for n in graph.nodes)
    (gb,) = resolve_all([doc_b()], Resolver(overrides=overrides))
    assert node(gb, "Organisation:nhs england").properties["level"] == "regional"
    edges = {(e.type, e.source, e.target) for e in graph.edges}
    assert ("MEMBER_OF", "Organisation:west yorkshire ccgs",
            "Initiative:west yorkshire alliance") in edges


@pytest.mark.parametrize("line, reason", [
    ("{not json", "not valid JSON"),
    ('["a list"]', "must be a JSON object"),
    ('{"op": "explode", "id": "Organisation:x"}', "unknown op 'explode'"),
    ('{"op": "rename", "id": "Organisation:x"}', "needs name"),
    ('{"op": "merge", "ids": ["nhse"]}', "node id like"),
    ('{"op": "set_type", "id": "Organisation:x", "label": "Planet"}', "unknown label"),
])
def test_malformed_override_line_is_reported_with_its_number(tmp_path, line, reason):
    path = tmp_path / "overrides.jsonl"
    path.write_text('{"op": "rename", "id": "Organisation:x", "name": "X"}\n\n' + line + "\n",
                    encoding="utf-8")
    with pytest.raises(OverridesError) as info:
        load_overrides(path)
    message = str(info.value)
    assert message.startswith(f"{path}:3: ") and reason in message
    assert "\n" not in message


def test_resolution_depends_on_the_document_not_entity_order():
    ex = doc_a()
    reordered = doc_a()
    reordered.entities.reverse()
    reordered.relations.reverse()
    assert Resolver().resolve(ex) == Resolver().resolve(reordered)


def test_fuzzy_never_bridges_a_distinguishing_word():
    names = ["East Lancashire CCG", "West Lancashire CCG", "East Berkshire CCG",
             "West Berkshire CCG", "Salford Royal NHS Foundation Trust",
             "Salford Royal Foundation Trust"]
    text = " ".join(f"{n} agreed." for n in names)
    graphs = resolve_all([make_extraction(f"d{i}.txt", text, [("e1", "Organisation", n, {})])
                          for i, n in enumerate(names)])
    ids = [next(n.id for n in g.nodes if n.label == "Organisation") for g in graphs]
    assert len(set(ids[:4])) == 4
    # "NHS Foundation Trust" and "Foundation Trust" are one kind of body: same key, no fuzz
    assert ids[4] == ids[5] == "Organisation:salford royal foundation trust"
