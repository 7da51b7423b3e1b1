"""SPREAD_TO beyond the sentence: lists split across a head noun, "across the area" meaning
the body the context is about, an anaphoric re-use after a spread statement, "now national
policy", an initiative's origin named earlier, and the wishes and comparisons that are not
spread. Sentences written here (variants of the genre), with entities set by an EntityRuler
so that each rule is tested on its own."""

from __future__ import annotations

import json
from functools import lru_cache

import pytest
import spacy
from spacy.language import Language

import tests.relations_nlp  # noqa: F401  (registers "test_entity_props" and the factories)
from tests.relations_nlp import MODEL

SPREAD = "actorgraph_rel_spread"

#: (label, phrase, props, canonical)
_ENTITIES = [
    ("ORG", "nursing homes", {"org_type": "CARE_HOME", "generic": True}, "nursing home"),
    ("ORG", "learning disability home", {"org_type": "CARE_HOME", "generic": True}, None),
    ("ORG", "residential care home", {"org_type": "CARE_HOME", "generic": True}, None),
    ("ORG", "care home", {"org_type": "CARE_HOME", "generic": True}, None),
    ("ORG", "councils", {"org_type": "LOCAL_AUTHORITY", "generic": True}, "council"),
    ("ORG", "ICS", {"org_type": "ICS"}, None),
    ("ORG", "STP/ICS", {"org_type": "ICS"}, None),
    ("ORG", "CCG", {"org_type": "CCG"}, None),
    ("SITE", "Site 2", {"site_code": "Site 2"}, None),
    ("SITE", "Site 3", {"site_code": "Site 3"}, None),
    ("SITE", "Site 5", {"site_code": "Site 5"}, None),
    ("SITE", "Site 6", {"site_code": "Site 6"}, None),
    ("SITE", "Vanguards", {"generic": True}, "Vanguard"),
    ("PLACE", "[area a]", {"place_type": "area", "anonymised": True}, None),
    ("PLACE", "Sweden", {"place_type": "country"}, None),
    ("INITIATIVE", "falls training", {"category": "training"}, None),
    ("INITIATIVE", "MDT model", {"category": "MDT"}, None),
    ("INITIATIVE", "MSK pathway", {"category": "MSK"}, None),
    ("INITIATIVE", "Esther model", {"category": "model"}, None),
    ("PERSON", "S4R11", {"respondent_id": "S4R11", "site": "Site 4", "anonymised": True}, None),
]


@lru_cache(maxsize=1)
def _nlp() -> Language:
    nlp = spacy.load(MODEL, exclude=["ner"])
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH"})
    ruler.add_patterns([{"label": label, "pattern": phrase,
                         "id": json.dumps({"props": props, "canonical": canonical})}
                        for label, phrase, props, canonical in _ENTITIES])
    nlp.add_pipe("test_entity_props")
    nlp.add_pipe(SPREAD)
    return nlp


def _rels(text: str) -> list:
    return list(_nlp()(text)._.relations or [])


def _pairs(text: str) -> set[tuple[str, str]]:
    return {(r.source.canonical, r.target.canonical) for r in _rels(text)}


# ---------------------------------------------------------------- lists split across a noun

@pytest.mark.parametrize("text,expected", [
    ("The falls training was spread from nursing homes to residential, dementia and "
     "learning disability home staff.",
     {("nursing home", "residential home"), ("nursing home", "dementia home"),
      ("nursing home", "learning disability home")}),
    ("The falls training was rolled out from nursing homes to nursing and learning "
     "disability home workers.",  # "nursing home" is the source itself
     {("nursing home", "learning disability home")}),
    ("Site 3 extended the MDT model to nursing or residential care home teams.",
     {("Site 3", "nursing home"), ("Site 3", "residential care home")}),
])
def test_list_members_sharing_a_head_noun_are_each_a_destination(text: str,
                                                                  expected: set) -> None:
    assert _pairs(text) == expected


def test_list_member_spans_are_the_words_themselves() -> None:
    text = ("Site 2 spread the falls training to residential, dementia and learning "
            "disability home staff.")
    rels = _rels(text)
    assert {r.target.canonical for r in rels} == {"residential home", "dementia home",
                                                  "learning disability home"}
    for rel in rels:
        assert text[rel.target.start:rel.target.end] == rel.target.text


@pytest.mark.parametrize("text", [
    "The MDT model from Site 3 was later adopted in the care home setting.",  # a setting
    "Site 2 spread the falls training to residential and nursing staff.",  # no home named
])
def test_no_organisation_from_a_setting_or_a_bare_staff_list(text: str) -> None:
    assert not any("home" in t for _s, t in _pairs(text))


# ---------------------------------------------------------------- "across the area"

def test_the_area_is_the_area_of_the_body_in_context() -> None:
    text = ("In Site 6 the main focus of the ICS was on prevention. Respondents said the MDT "
            "model fitted these priorities and hence was reported to be rolling out across "
            "the area.")
    (rel,) = _rels(text)
    assert (rel.source.canonical, rel.target.canonical) == ("Site 6", "ICS")
    assert rel.properties["initiative"].canonical == "MDT model"
    assert "area_context" in rel.method and rel.confidence < 0.85


def test_a_body_with_two_names_is_its_later_one() -> None:
    text = ("In Site 6 the STP/ICS set broader priorities. The MDT model was rolled out "
            "across the area.")
    (rel,) = _rels(text)
    assert rel.target.canonical == "ICS"
    assert text[rel.target.start:rel.target.end] == "ICS"


def test_the_area_without_a_body_in_context_stays_a_place() -> None:
    text = ("In Site 6 the focus was on prevention. The MDT model was rolled out across "
            "the area.")
    (rel,) = _rels(text)
    assert (rel.source.canonical, rel.target.canonical, rel.target.label) == \
        ("Site 6", "area", "PLACE")


def test_a_qualified_area_is_not_the_body() -> None:
    text = ("In Site 6 the ICS set priorities. The MDT model was rolled out across the whole "
            "CCG area.")
    assert ("Site 6", "ICS") not in _pairs(text)


# ---------------------------------------------------------------- wishes and comparisons

@pytest.mark.parametrize("text", [
    "Site 3 has aspirations to roll out the MDT model to a wider range of areas.",
    "Site 3 hoped to spread the MDT model to other areas.",
    "Site 3 wanted to roll out the MSK pathway across the region.",
])
def test_wishes_are_no_spread(text: str) -> None:
    assert _rels(text) == []


def test_the_same_spread_stated_as_fact_is_found() -> None:
    assert _pairs("Site 3 rolled out the MDT model to other areas.") == \
        {("Site 3", "other areas")}


def test_a_site_named_as_a_comparison_is_no_source() -> None:
    text = ("With this newer programme there was a learning network. Like the Vanguards, it "
            "disseminated lessons across the country.")
    assert _rels(text) == []


def test_a_site_in_context_is_still_a_source() -> None:
    text = ("In Site 2 a learning network was set up. It disseminated lessons across the "
            "country.")
    assert ("Site 2", "England") in _pairs(text)


# ---------------------------------------------------------------- re-use after a spread

def test_adopters_reusing_what_just_spread() -> None:
    text = ("The MSK pathway from Site 5 was spread to Site 3. It was later reported that "
            "30% of councils had said that they had implemented the scheme in their area.")
    found = {(r.source.canonical, r.target.canonical, r.method) for r in _rels(text)}
    assert ("Site 5", "council", "dep:spread+reused") in found
    reused = [r for r in _rels(text) if r.method == "dep:spread+reused"]
    assert reused[0].properties["initiative"].canonical == "MSK pathway"
    assert reused[0].confidence <= 0.5


@pytest.mark.parametrize("text", [
    ("The MSK pathway from Site 5 was spread to Site 3. Several councils said that they "
     "had not implemented the scheme."),
    "Several councils said that they had implemented the scheme in their area.",
    ("The MSK pathway from Site 5 was spread to Site 3. Several councils said that they "
     "had implemented a new falls service."),
])
def test_no_reuse_without_a_spread_an_anaphor_or_with_negation(text: str) -> None:
    assert not any(r.method == "dep:spread+reused" for r in _rels(text))


# ---------------------------------------------------------------- national policy

@pytest.mark.parametrize("text,source", [
    ("Site 2 ran a care home team. The MDT model is now national policy.", "Site 2"),
    ("It was great to see that everything we had been doing has become national policy "
     "(S4R11).", "Site 4"),
])
def test_becoming_national_policy_is_a_national_scale_up(text: str, source: str) -> None:
    (rel,) = _rels(text)
    assert (rel.source.canonical, rel.target.canonical) == (source, "England")
    assert rel.properties["mode"] == "scale-up"
    assert text[rel.target.start:rel.target.end].endswith("policy")


@pytest.mark.parametrize("text", [
    "Site 2 ran a care home team. The MDT model could become national policy.",
    "Site 2 ran a care home team. The MDT model is not national policy.",
    "Site 2 ran a care home team. Funding is now national policy.",
    "Site 2 ran a care home team. The MDT model is now local policy.",
])
def test_no_national_policy_scale_up(text: str) -> None:
    assert _rels(text) == []


# ---------------------------------------------------------------- origin named earlier

def test_an_origin_named_earlier_is_the_source() -> None:
    text = ("Researchers studied the Esther model originating in Sweden. It is person centred. "
            "Care for older people has improved in many places. Since then the Esther model "
            "has spread across the region.")
    (rel,) = _rels(text)
    assert (rel.source.canonical, rel.target.canonical) == ("Sweden", "region")
    assert "origin" in rel.method


def test_no_origin_no_source() -> None:
    text = ("Researchers studied the Esther model. It is person centred. Since then the Esther "
            "model has spread across the region.")
    assert _rels(text) == []


# ---------------------------------------------------------------- a summary before a colon

_SUMMARY = ("In Site 5 the MSK pathway was deemed a success. Respondents told us that this "
            "approach had spread to other areas{end}\n\n"
            "...already the CCG has picked it up.")


def test_a_summary_before_a_colon_gives_way_to_the_named_destinations() -> None:
    pairs = _pairs(_SUMMARY.format(end=":"))
    assert pairs == {("Site 5", "CCG")}


def test_a_summary_without_a_colon_stays() -> None:
    assert _pairs(_SUMMARY.format(end=".")) == {("Site 5", "other areas"), ("Site 5", "CCG")}


def test_a_summary_before_a_colon_with_nothing_named_after_it_stays() -> None:
    text = ("In Site 5 the MSK pathway was deemed a success. Respondents told us that this "
            "approach had spread to other areas:\n\n...it was really popular with everyone.")
    assert _pairs(text) == {("Site 5", "other areas")}
