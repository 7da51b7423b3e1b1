"""Name normalisation: one function from a surface name to a matching key.

Two mentions get the same key when they differ only by what the documents'
genre makes incidental:

* Unicode forms, curly quotes and dashes (NFKC, then ASCII quotes/dashes);
* line-break debris from PDF conversion: a word broken with a hyphen at a line
  end ("Commission-\\ning"), soft hyphens, runs of spaces and newlines;
* case;
* a leading article ("the", "a", "an");
* possessives ("NHS England's", "providers'");
* plurals ("CCGs", "care homes", "Vanguards"), so "the CCGs" and "CCG" share
  a key. Acronyms in capitals ("NHS", "CQC") are never de-pluralised;
* surrounding punctuation and brackets' inner spaces ("( NHSE )"), commas and
  full stops inside a name, "&" for "and";
* the long names of kinds of body inside a name become their acronym
  ("Leeds North Clinical Commissioning Group" -> "leeds north ccg"), and a
  leading "NHS" before a CCG/ICB name goes ("NHS Leeds CCG" -> "leeds ccg").

The key is for matching only; the graph keeps the mention's own spelling as the
node's ``name`` and ``aliases``.

>>> normalise_key("The CCGs'")
'ccg'
>>> normalise_key("NHS  England's")
'nhs england'
>>> normalise_key("Commission-\\ning Groups")
'commissioning group'
>>> normalise_key("NHS Leeds North Clinical Commissioning Group")
'leeds north ccg'
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00ad": None, "\u200b": None, "\ufeff": None,
})
_BROKEN_WORD = re.compile(r"(\w)-[ \t]*\r?\n\s*([a-z])")
_SPACES = re.compile(r"\s+")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(\w)'s?(?=\s|$|[,.;:)\]])")
_EDGE_PUNCT = " \t\n.,;:!?\"'`*_-\u2022"
_INNER_PUNCT = re.compile(r"[,;:.!?\"]+(?!\d)|\s+")
_COMPACT_CODE = re.compile(r"^(?=.*\d)[A-Za-z0-9 ]{1,20}$")
_ACRONYM_PLURAL = re.compile(r"^([A-Z][A-Z0-9&/]+)s$")
#: Words ending in "s" that are not plurals (kept as they are).
_NOT_PLURAL = frozenset({
    "news", "series", "species", "analysis", "basis", "crisis", "diagnosis", "thesis", "status",
    "bus", "campus", "consensus", "focus", "census", "corpus", "virus", "process", "access",
    "business", "wellness", "illness", "fitness", "always", "perhaps", "various", "previous",
    "across", "its", "his", "this", "us", "plus", "gas", "yes", "mews", "lens", "chaos", "ethos",
    "atlas", "canvas", "alias", "citizens", "physics", "statistics", "economics", "politics",
    "means", "diabetes", "kings", "wales", "hastings", "lewis", "james", "lords",
})


#: Common nouns that name kinds of bodies or things; in Title Case ("NHS Trusts") they are
#: de-pluralised, while other capitalised words ending in "s" are taken as proper nouns ("Leeds").
TYPE_NOUNS = frozenset({
    "group", "trust", "home", "network", "practice", "partnership", "system", "board",
    "authority", "council", "service", "vanguard", "site", "team", "federation", "alliance",
    "provider", "commissioner", "pathway", "programme", "program", "model", "initiative", "hub",
    "area", "region", "body", "organisation", "organization", "agency", "committee", "forum",
    "unit", "centre", "center", "hospital", "surgery", "scheme", "pilot", "project", "plan",
    "commission", "department", "partner", "collaborative", "locality", "place",
    "association", "charity", "enterprise", "company", "foundation", "fund", "contract",
    "framework", "review", "meeting", "manager", "lead", "director", "officer", "chair",
})


#: Long names of kinds of bodies, written as their usual acronym inside keys, so that
#: "Leeds North Clinical Commissioning Group" and "Leeds North CCG" share a key.
KEY_ACRONYMS: tuple[tuple[str, str], ...] = (
    ("national health service", "nhs"),
    ("clinical commissioning group", "ccg"),
    ("integrated care board", "icb"),
    ("integrated care system", "ics"),
    ("integrated care partnership", "icp"),
    ("sustainability and transformation partnership", "stp"),
    ("sustainability and transformation plan", "stp"),
    ("primary care network", "pcn"),
    ("multidisciplinary team", "mdt"),
    ("multi-disciplinary team", "mdt"),
    ("nhs foundation trust", "foundation trust"),
    ("accountable care organisation", "aco"),
)
_ACRONYM_RES = [(re.compile(rf"\b{re.escape(long)}\b"), short) for long, short in KEY_ACRONYMS]
#: "NHS Leeds CCG" and "Leeds CCG" are one body: a leading "nhs" before these endings goes.
_NHS_PREFIXED = re.compile(r"^nhs (?=.+ (?:ccg|icb)$)")


@lru_cache(maxsize=200_000)
def clean_name(text: str) -> str:
    """Return ``text`` with line-break debris and odd characters removed, case kept.

    >>> clean_name("  Clinical Commiss-\\n  ioning Group \\n (CCG) ")
    'Clinical Commissioning Group (CCG)'
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _BROKEN_WORD.sub(r"\1\2", text)
    text = _SPACES.sub(" ", text).strip(_EDGE_PUNCT)
    text = re.sub(r"([(\[])\s+", r"\1", text)
    return re.sub(r"\s+([)\]])", r"\1", text)


@lru_cache(maxsize=200_000)
def singular(word: str) -> str:
    """Return the singular of one word (case kept; capitalised acronyms untouched).

    >>> [singular(w) for w in ["CCGs", "NHS", "homes", "Homes", "Leeds", "bodies", "analysis"]]
    ['CCG', 'NHS', 'home', 'Home', 'Leeds', 'body', 'analysis']
    """
    match = _ACRONYM_PLURAL.match(word)
    if match:
        return match.group(1)
    if len(word) <= 3 or not word[-1:].lower() == "s":
        return word
    if word.isupper():
        low = singular(word.lower())
        return low.upper() if low in TYPE_NOUNS else word
    low = word.lower()
    if low in _NOT_PLURAL or low.endswith(("ss", "us", "is", "'s")):
        return word
    if word[0].isupper() and singular(low) not in TYPE_NOUNS:
        return word
    if low.endswith("ies") and len(low) > 4:
        return word[:-3] + ("Y" if word[-3].isupper() else "y")
    if low.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    return word[:-1]


def strip_article(text: str) -> str:
    """Remove one leading article ("the", "a", "an")."""
    return _ARTICLE.sub("", text, count=1)


@lru_cache(maxsize=200_000)
def normalise_key(name: str) -> str:
    """Return the matching key of a name (see the module docstring for the rules)."""
    text = clean_name(name)
    text = _POSSESSIVE.sub(r"\1", text).replace("&", " and ")
    text = _INNER_PUNCT.sub(" ", text)
    text = strip_article(text)
    words = [singular(w) for w in text.split(" ") if w]
    key = " ".join(words).lower().strip(_EDGE_PUNCT)
    for pattern, short in _ACRONYM_RES:
        key = pattern.sub(short, key)
    return _NHS_PREFIXED.sub("", key)


def normalise_code(code: str) -> str:
    """Return a respondent code's canonical form: single spaces; compact codes
    (letters and digits, e.g. S1R04, ID 017, S5 PPIE FGD) in upper case, role-label
    codes ("GP (2)") in lower case.

    >>> normalise_code(" s1r04 ")
    'S1R04'
    >>> normalise_code("S5  fgd")
    'S5 FGD'
    >>> normalise_code("Care home manager (8)")
    'care home manager (8)'
    """
    code = _SPACES.sub(" ", clean_name(code))
    if _COMPACT_CODE.match(code):
        return code.upper()
    return code.lower()
