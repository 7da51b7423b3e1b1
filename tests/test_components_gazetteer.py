"""The gazetteer: genre vocabulary as data, case-insensitive, plural-tolerant, canonical names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from actorgraph.extraction.components.gazetteer import load_entries, plural, plural_phrase
from actorgraph.extraction.pipeline import build_nlp


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


def ents(nlp, text: str) -> dict[str, tuple[str, str, dict]]:
    doc = nlp(text)
    return {e.text: (e.label_, e._.canonical, e._.props or {}) for e in doc.ents}


def test_plural_forms():
    assert plural("authority") == "authorities"
    assert plural("CCG") == "CCGs"
    assert plural("day") == "days"
    assert plural_phrase("care home") == "care homes"
    assert plural_phrase("hospice") == "hospices"


def test_national_bodies_and_aliases_are_canonical(nlp):
    found = ents(nlp, "Staff from NHSE and the Care Quality Commission visited; DHSC was told.")
    assert found["NHSE"][:2] == ("ORG", "NHS England")
    assert found["NHSE"][2]["org_type"] == "NATIONAL_BODY"
    assert found["Care Quality Commission"][2]["org_type"] == "REGULATOR"
    assert found["DHSC"][1] == "Department of Health and Social Care"


def test_generic_org_types_case_insensitive_and_plural(nlp):
    found = ents(nlp, "Two Clinical Commissioning Groups, three LOCAL AUTHORITIES and several "
                      "GP federations talked to care homes and hospices.")
    assert found["Clinical Commissioning Groups"][1] == "Clinical Commissioning Group"
    assert found["Clinical Commissioning Groups"][2]["org_type"] == "CCG"
    assert found["LOCAL AUTHORITIES"][2]["org_type"] == "LOCAL_AUTHORITY"
    assert found["GP federations"][2]["org_type"] == "GP_FEDERATION"
    assert found["care homes"][2] == {**found["care homes"][2], "org_type": "CARE_HOME",
                                      "sector": "INDEPENDENT", "generic": True}
    assert found["hospices"][2]["sector"] == "VOLUNTARY"


def test_named_organisations_grow_from_their_type(nlp):
    found = ents(nlp, "Leeds CCG, North and West Yorkshire CCG and Bradford Teaching Hospitals "
                      "NHS Foundation Trust agreed.")
    assert "Leeds CCG" in found and found["Leeds CCG"][2]["generic"] is False
    assert "North and West Yorkshire CCG" in found
    assert found["Bradford Teaching Hospitals NHS Foundation Trust"][2]["org_type"] == "NHS_TRUST"


def test_vanguard_models_programme_and_initiatives(nlp):
    found = ents(nlp, "Under the Five Year Forward View, the Vanguard programme funded PACS and "
                      "multispecialty community providers; our care home vanguard ran "
                      "multi-disciplinary teams, social prescribing and a red bag scheme.")
    assert found["Five Year Forward View"][2]["scope"] == "national"
    assert found["Vanguard programme"][1] == "New Care Models programme"
    assert found["PACS"][2]["model_type"] == "PACS"
    assert found["multispecialty community providers"][2]["model_type"] == "MCP"
    assert found["care home vanguard"][2]["model_type"] == "ECH"
    assert found["multi-disciplinary teams"][2]["category"] == "MDT"
    assert found["social prescribing"][2]["category"] == "social_prescribing"
    assert found["red bag scheme"][2]["category"] == "hospital_transfer"


def test_sites_and_roles(nlp):
    found = ents(nlp, "The vanguard appointed a programme director, a consultant geriatrician "
                      "and a care home manager; the chair of the board stayed.")
    assert found["vanguard"][0] == "SITE"
    assert found["programme director"][:2] == ("ROLE", "programme director")
    assert found["consultant geriatrician"][1] == "geriatrician"
    assert found["care home manager"][2]["category"] == "care_home"
    assert found["chair"][2]["category"] == "governance"


def test_negatives(nlp):
    found = ents(nlp, "We trust the process and the acc. figures; ccg in lower case is not a name.")
    assert not [t for t, v in found.items() if v[0] in ("ORG", "INITIATIVE")]


def test_data_roundtrip_and_user_patterns(nlp, tmp_path: Path):
    gaz = nlp.get_pipe("actorgraph_gazetteer")
    gaz.to_disk(tmp_path / "gaz")
    saved = (tmp_path / "gaz" / "patterns.jsonl").read_text("utf-8").splitlines()
    assert len(saved) == len(gaz.entries)
    extra = tmp_path / "mine.jsonl"
    extra.write_text(json.dumps({
        "label": "INITIATIVE", "canonical": "Frailty Hub", "patterns": ["frailty hotline"],
        "props": {"category": "frailty", "scope": "local"}}) + "\n", "utf-8")
    custom = build_nlp({"extra_patterns": str(extra)})
    doc = custom("They opened a Frailty Hotline in 2017.")
    hits = [(e.text, e.label_, e._.canonical) for e in doc.ents if e.label_ == "INITIATIVE"]
    assert hits == [("Frailty Hotline", "INITIATIVE", "Frailty Hub")]
    reloaded = custom.get_pipe("actorgraph_gazetteer").from_disk(tmp_path / "gaz")
    assert reloaded.lookup("frailty hotline") is None
    assert reloaded.lookup("NHSE")["canonical"] == "NHS England"


def test_bad_data_file_is_named(tmp_path: Path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"label": "ORG", "patterns": ["x"]}\n{"label": "NOPE"}\n', "utf-8")
    with pytest.raises(ValueError, match=r"bad.jsonl:2: bad gazetteer entry"):
        load_entries([bad])
