"""Entity-quality rules: junk ORG phrases, split organisation types, coordinated modifiers,
named models and Acts, redacted names of bodies, and consistent canonical names in assembly.

The sentences are variants written for these tests, not sentences of the corpus.
"""

from __future__ import annotations

import pytest

from actorgraph.extraction.assemble import canonical_ref
from actorgraph.extraction.mentions import MentionRef
from actorgraph.extraction.pipeline import build_nlp


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


def ents(nlp, text: str) -> dict[str, tuple[str, str, dict]]:
    doc = nlp(text)
    return {e.text: (e.label_, e._.canonical, e._.props or {}) for e in doc.ents}


@pytest.mark.parametrize("phrase", [
    "Shared Goals & Priorities",
    "Presence of Clinical Champions",
    "Improve the Pathways",
    "Service Improvement Facilitators",
])
def test_title_case_phrases_are_not_organisations(nlp, phrase):
    doc = nlp(f"The second theme, {phrase}, was discussed at length by the interviewees.")
    assert not [e for e in doc.ents if e.label_ == "ORG" and phrase in e.text]


@pytest.mark.parametrize("text, name", [
    ("Colleagues from Arm's Length Bodies attended the event in London.", "Arm's Length Bodies"),
    ("The Local Government Association wrote to the chief executives.",
     "Local Government Association"),
])
def test_names_of_bodies_survive_the_phrase_filter(nlp, text, name):
    found = ents(nlp, text)
    assert any(name in t and label == "ORG" for t, (label, _, _) in found.items())


@pytest.mark.parametrize("text", [
    "Patients waited four hours in A&E before they were seen.",
    "The School of Nursing Studies hosted the workshop.",
    "Approval was given by the Research Ethics Committee in March.",
])
def test_departments_affiliations_and_ethics_committees_are_not_actors(nlp, text):
    assert not [e for e in nlp(text).ents if e.label_ == "ORG"]


def test_organisation_types_are_told_apart(nlp):
    found = ents(nlp, "The nursing homes, the care homes and the Programme Board met; "
                      "the Partnership Board and a steering group advised.")
    assert found["nursing homes"][1] == "nursing home"
    assert found["care homes"][1] == "care home"
    assert found["Programme Board"][1] == "Programme Board"
    assert found["Partnership Board"][1] == "Partnership Board"
    assert found["steering group"][1] == "steering group"


def test_coordinated_modifier_shares_the_head(nlp):
    found = ents(nlp, "The area had a mix of residential and nursing homes.")
    assert found["residential"][:2] == ("ORG", "residential home")
    assert found["nursing homes"][1] == "nursing home"
    # no entry for "blue homes": the modifier is not taken
    found = ents(nlp, "The area had a mix of blue and nursing homes.")
    assert "blue" not in found


def test_university_grows_over_its_name(nlp):
    found = ents(nlp, "Researchers at the University of Leeds led the work.")
    assert found["University of Leeds"][0] == "ORG"
    assert found["University of Leeds"][2]["generic"] is False
    found = ents(nlp, "Two universities took part.")
    assert found["universities"][2]["generic"] is True


@pytest.mark.parametrize("text, name", [
    ("They adapted the Esther model of person-centred care.", "Esther model"),
    ("The board looked at the Canterbury integrated care model before starting.",
     "Canterbury integrated care model"),
    ("The duty was set by the Care Act 2014 and later guidance.", "Care Act 2014"),
    ("This followed the Health and Social Care Act 2012 reforms.",
     "Health and Social Care Act 2012"),
])
def test_named_models_and_acts_are_initiatives(nlp, text, name):
    found = ents(nlp, text)
    assert found[name][0] == "INITIATIVE"


@pytest.mark.parametrize("text", [
    "The care model changed in the second year.",
    "We used the MCP model across the patch.",
    "An act of kindness was reported in 2014 by staff.",
])
def test_generic_models_and_non_acts_are_not_rule_initiatives(nlp, text):
    doc = nlp(text)
    assert not [e for e in doc.ents if (e._.props or {}).get("_method") == "gazetteer+rule"]


def test_new_vocabulary(nlp):
    found = ents(nlp, "The success regime, the NCM support programme and social prescribing "
                      "were discussed with Age UK and the National Audit Office.")
    assert found["success regime"][0] == "INITIATIVE"
    assert found["NCM support programme"][1] == "New Care Models support programme"
    assert found["social prescribing"][0] == "INITIATIVE"
    assert found["Age UK"][0] == "ORG"
    assert found["National Audit Office"][2]["org_type"] == "NATIONAL_BODY"


def test_activity_words_are_not_initiatives(nlp):
    doc = nlp("Information sharing improved and out of hours calls fell.")
    assert not [e for e in doc.ents if e.label_ == "INITIATIVE"]


def test_joint_bodies_are_two_organisations(nlp):
    found = ents(nlp, "Guidance from NHS England and NHS Improvement was issued.")
    assert found["NHS England"][1] == "NHS England"
    assert found["NHS Improvement"][1] == "NHS Improvement"


@pytest.mark.parametrize("text, span, canonical", [
    ("I had worked for [named] PCT before.", "[named] PCT", "[named] PCT"),
    ("Funding came from [name] CCG last year.", "[name] CCG", "[name] CCG"),
])
def test_redacted_name_of_a_body(nlp, text, span, canonical):
    found = ents(nlp, text)
    assert found[span][0] == "ORG"
    assert found[span][1] == canonical
    assert found[span][2]["generic"] is False


def test_bare_named_redaction_is_a_person(nlp):
    found = ents(nlp, "We spoke to [named] about the plan.")
    assert found["[named]"][0] == "PERSON"


def _ref(label: str, canonical: str, **props) -> MentionRef:
    return MentionRef(label, 0, len(canonical), canonical, canonical, tuple(props.items()))


def test_canonical_ref_uses_gazetteer_and_document_abbreviations():
    assert canonical_ref(_ref("ORG", "ICS")).canonical == "Integrated Care System"
    assert canonical_ref(_ref("ORG", "CCGs")).canonical == "Clinical Commissioning Group"
    abbr = {"LCP": "Locality Care Partnership"}
    assert canonical_ref(_ref("ORG", "LCP"), abbr).canonical == "Locality Care Partnership"
    # a specific body, a redaction and a respondent code are left alone
    assert canonical_ref(_ref("ORG", "Leeds CCG")).canonical == "Leeds CCG"
    assert canonical_ref(_ref("ORG", "[named] CCG")).canonical == "[named] CCG"
    code = _ref("PERSON", "S1R04", respondent_id="S1R04")
    assert canonical_ref(code) is code
    # the label must agree: an ORG named like an initiative is not renamed
    assert canonical_ref(_ref("ORG", "PACS")).canonical == "PACS"


def test_care_navigation_is_not_social_prescribing(nlp):
    found = ents(nlp, "The practice set up care navigation alongside social prescribing.")
    assert found["care navigation"][1] == "care navigation"
    assert found["social prescribing"][1] == "social prescribing"


def test_redaction_with_digits_is_not_a_body_name(nlp):
    doc = nlp("He chaired the [Site 5] Vanguard board for two years.")
    assert not [e for e in doc.ents if e.label_ == "ORG" and e.text.startswith("[")]
