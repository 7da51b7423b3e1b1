"""Reading documents: one file at a time, into its original text.

:func:`read_document` turns one ``.txt``/``.md``/``.html``/``.pdf``/``.docx`` file
into a :class:`RawDocument` whose ``text`` is the *original* text that every
evidence span indexes:

* text files (``.txt``, ``.md``, ``.html``, ``.htm``): the decoded file, UTF-8 with
  or without BOM (the BOM is stripped); other encodings are accepted only when
  detected with confidence, and named in ``RawDocument.encoding`` and
  ``RawDocument.warnings``;
* ``.pdf``: the text layer extracted with pypdf, pages separated by a form feed
  (``"\\f"``), which the cleaner uses to find running headers and page numbers;
* ``.docx``: paragraphs and tables in body order, extracted with python-docx; a
  heading paragraph is rendered as a markdown heading (``"## Title"``), a list
  paragraph as ``"- item"`` and a table as tab-separated rows, so the cleaner
  sees the document's structure.

Every failure is an :class:`~actorgraph.records.InputError` whose message is one
line naming the file and the reason (``"empty file"``, ``"binary file, not
text"``, ``"PDF has no text layer (scanned?); OCR it first"``...).
:func:`iter_input_paths` expands files and folders lazily, so a caller reads and
processes one document at a time and never holds the corpus.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from actorgraph.records import InputError

#: File name endings that :func:`read_document` accepts (compared case-insensitively).
SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx", ".html", ".htm")

#: Default size limit: 20 MB (decimal megabytes, as printed in the error message).
DEFAULT_MAX_BYTES = 20_000_000

_FORMATS = {".txt": "txt", ".md": "md", ".pdf": "pdf", ".docx": "docx", ".html": "html",
            ".htm": "html"}

#: A PDF whose text layer has fewer non-space characters than this is taken as scanned.
_MIN_PDF_CHARS = 16


@dataclass
class RawDocument:
    """One document as read: the original text that evidence spans index."""

    path: Path
    #: The file name: the ``doc`` of every Evidence.
    name: str
    #: The original text: decoded file (txt/md/html) or extracted text (pdf/docx).
    text: str
    #: SHA-256 of the file's bytes.
    sha256: str
    #: ``"txt"``, ``"md"``, ``"pdf"``, ``"docx"`` or ``"html"``.
    format: str
    #: Encoding the bytes were decoded with (``"utf-8"``, ``"utf-8-sig"``, ``"cp1252"``...);
    #: ``None`` for pdf/docx.
    encoding: str | None = "utf-8"
    #: Non-fatal notes about the reading (e.g. a non-UTF-8 encoding detected).
    warnings: list[str] = field(default_factory=list)


def _limit_from_config() -> int:
    """The size limit in bytes: ``[extraction] max_file_mb`` of the config, else 20 MB."""
    try:
        from actorgraph.config import section

        value = section("extraction").get("max_file_mb")
    except Exception:  # a broken user config is reported elsewhere; reading still works
        value = None
    if isinstance(value, int | float) and value > 0:
        return int(value * 1_000_000)
    return DEFAULT_MAX_BYTES


def _mb(n: float) -> str:
    value = n / 1_000_000
    text = f"{value:.1f}" if value >= 0.1 else f"{value:.3g}"
    return text[:-2] if text.endswith(".0") else text


def read_document(path: str | Path, *, max_bytes: int | None = None) -> RawDocument:
    """Read one file into a :class:`RawDocument`.

    Parameters
    ----------
    path:
        A ``.txt``, ``.md``, ``.html``/``.htm``, ``.pdf`` or ``.docx`` file.
    max_bytes:
        Size limit; ``None`` takes ``[extraction] max_file_mb`` from the config
        (default 20 MB).

    Raises
    ------
    InputError
        With a one-line reason: missing file, unsupported type, empty, too large,
        binary, undecodable, corrupt PDF/DOCX, PDF without a text layer...
    """
    p = Path(path)
    shown = str(path)
    limit = _limit_from_config() if max_bytes is None else max_bytes
    try:
        st = p.stat()
    except FileNotFoundError:
        raise InputError(shown, "no such file or directory") from None
    except PermissionError:
        raise InputError(shown, "permission denied") from None
    except OSError as err:
        raise InputError(shown, f"cannot read: {err.strerror or err}") from None
    if p.is_dir():
        raise InputError(shown, "is a directory, not a file")
    suffix = p.suffix.lower()
    fmt = _FORMATS.get(suffix)
    if fmt is None:
        supported = ", ".join(SUPPORTED_SUFFIXES)
        raise InputError(shown, f"unsupported file type '{p.suffix}' (supported: {supported})")
    if st.st_size == 0:
        raise InputError(shown, "empty file")
    if st.st_size > limit:
        raise InputError(shown, f"file too large ({_mb(st.st_size)} MB > {_mb(limit)} MB limit)")
    try:
        data = p.read_bytes()
    except PermissionError:
        raise InputError(shown, "permission denied") from None
    except OSError as err:
        raise InputError(shown, f"cannot read: {err.strerror or err}") from None
    digest = hashlib.sha256(data).hexdigest()
    notes: list[str] = []
    encoding: str | None = None
    if fmt == "pdf":
        text = _pdf_text(data, shown)
    elif fmt == "docx":
        text = _docx_text(data, shown)
    else:
        text, encoding = decode_text(data, shown)
        if encoding not in ("utf-8", "utf-8-sig", "ascii"):
            notes.append(f"{shown}: not UTF-8; decoded as {encoding}")
    if not text.strip():
        raise InputError(shown, "empty file (no text)" if fmt not in ("pdf", "docx")
                         else f"empty document (no text in {fmt.upper()})")
    return RawDocument(path=p, name=p.name, text=text, sha256=digest, format=fmt,
                       encoding=encoding, warnings=notes)


# --------------------------------------------------------------------------- text


def _bad_control_share(text: str) -> float:
    """Share of characters that are control characters no text file holds."""
    if not text:
        return 0.0
    bad = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    return bad / len(text)


def _latin_share(text: str) -> float:
    """Share of non-ASCII characters that belong to Western European text."""
    non_ascii = [ch for ch in text if ord(ch) > 127]
    if not non_ascii:
        return 1.0
    ok = sum(1 for ch in non_ascii if 0xA0 <= ord(ch) <= 0x17F or 0x2010 <= ord(ch) <= 0x20AC)
    return ok / len(non_ascii)


def decode_text(data: bytes, shown: str = "<bytes>") -> tuple[str, str]:
    """Decode a text file's bytes; return ``(text, encoding)``.

    UTF-8 (a BOM is stripped) is taken as is; UTF-16/32 only with a BOM. Otherwise
    Windows-1252/Latin-1 is tried (the usual non-UTF-8 encoding of English reports)
    and accepted when the result reads as Western text; then charset-normalizer's
    best guess, accepted only with low "chaos". Anything else raises
    :class:`InputError` rather than return mangled text.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as err:
            raise InputError(shown, f"invalid UTF-8 after a UTF-8 BOM (byte {err.start + 3})") \
                from None
    for bom, enc in ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                     (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc), enc
            except UnicodeDecodeError:
                raise InputError(shown, f"invalid {enc.upper()} text after its BOM") from None
    if b"\x00" in data:
        raise InputError(shown, "binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if _bad_control_share(text[:65536]) > 0.01:
            raise InputError(shown, "binary file, not text")
        return text, "utf-8"
    return _decode_legacy(data, shown)


def _decode_legacy(data: bytes, shown: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes
    from charset_normalizer.md import mess_ratio

    head = data[:65536]
    c0 = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13) or byte == 127)
    if c0 > 0.05 * len(head):
        raise InputError(shown, "binary file, not text")
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and _latin_share(western) >= 0.95 \
            and mess_ratio(western[:200_000], 1.0) <= 0.2:
        has_c1 = any(0x80 <= b <= 0x9F for b in data)
        return western, "cp1252" if has_c1 else "latin-1"
    best = from_bytes(data).best()
    if best is not None and best.encoding and best.percent_chaos <= 10.0:
        text = str(best)
        if _bad_control_share(text[:65536]) <= 0.01:
            return text, best.encoding
    raise InputError(shown, "not UTF-8 and no other encoding detected with confidence; "
                            "convert it to UTF-8")


# --------------------------------------------------------------------------- PDF


def _pdf_text(data: bytes, shown: str) -> str:
    """The text layer of a PDF, pages joined by form feeds."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if b"%PDF-" not in data[:1024]:
        raise InputError(shown, "corrupt PDF: not a PDF file (no %PDF header)")
    logger = logging.getLogger("pypdf")
    old_level = logger.level
    logger.setLevel(logging.ERROR)  # pypdf logs recoverable oddities as warnings
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                reader = PdfReader(io.BytesIO(data), strict=False)
                if reader.is_encrypted:
                    try:
                        ok = reader.decrypt("")
                    except Exception:
                        ok = 0
                    if not ok:
                        raise InputError(shown, "encrypted PDF (password required)")
                pages = []
                for page in reader.pages:
                    pages.append(page.extract_text() or "")
            except InputError:
                raise
            except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
                    OSError, RecursionError, zipfile.BadZipFile) as err:
                reason = str(err).splitlines()[0] if str(err) else type(err).__name__
                raise InputError(shown, f"corrupt PDF: {reason[:120]}") from None
    finally:
        logger.setLevel(old_level)
    if not pages:
        raise InputError(shown, "corrupt PDF: no pages")
    text = "\f".join(p.replace("\r\n", "\n").replace("\r", "\n") for p in pages)
    if sum(1 for ch in text if not ch.isspace()) < _MIN_PDF_CHARS:
        raise InputError(shown, "PDF has no text layer (scanned?); OCR it first")
    return text


# --------------------------------------------------------------------------- DOCX


def _docx_text(data: bytes, shown: str) -> str:
    """Paragraphs and tables of a DOCX in body order, as light markdown."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile):
        raise InputError(shown, "corrupt DOCX: not a valid Word (zip) package") from None
    except (KeyError, ValueError, OSError, AttributeError) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise InputError(shown, f"corrupt DOCX: {reason[:120]}") from None
    except Exception as err:  # lxml XMLSyntaxError and kin from a damaged part
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise InputError(shown, f"corrupt DOCX: {reason[:120]}") from None
    blocks: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, document)
            text = para.text.replace("\t", " ").strip()
            if not text:
                continue
            style = (para.style.name if para.style is not None else "") or ""
            blocks.append(_docx_prefix(style) + text)
        elif tag == "tbl":
            rows = []
            for row in Table(child, document).rows:
                cells, seen = [], set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell repeats across its span
                        continue
                    seen.add(id(cell._tc))
                    cells.append(" ".join(cell.text.split()))
                rows.append("\t".join(cells))
            if rows:
                blocks.append("\n".join(rows))
    return "\n\n".join(blocks)


def _docx_prefix(style: str) -> str:
    low = style.lower()
    if low == "title":
        return "# "
    if low.startswith("heading "):
        level = low.rsplit(" ", 1)[-1]
        return "#" * int(level) + " " if level.isdigit() and 0 < int(level) < 7 else "## "
    if low.startswith("list"):
        return "- "
    return ""


# --------------------------------------------------------------------------- paths


def iter_input_paths(paths: Iterable[str | Path]) -> Iterator[Path | InputError]:
    """Expand files and folders into the files to read, lazily.

    A folder is walked recursively in sorted order, keeping files with a
    supported suffix and skipping hidden files and folders (names starting with
    ``"."``). A file given by name is yielded whatever its suffix (reading it
    reports an unsupported type). A path that does not exist yields an
    :class:`InputError` ("no such file or directory") in its place, so a caller
    can report it and go on.
    """
    for item in paths:
        p = Path(item)
        if not p.exists():
            yield InputError(str(item), "no such file or directory")
        elif p.is_dir():
            yield from _walk(p)
        else:
            yield p


def _walk(folder: Path, seen: set[str] | None = None) -> Iterator[Path | InputError]:
    seen = set() if seen is None else seen
    real = os.path.realpath(folder)
    if real in seen:  # a symlink loop
        return
    seen.add(real)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as err:
        yield InputError(str(folder), f"cannot list folder: {err.strerror or err}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=True):
            yield from _walk(path, seen)
        elif entry.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES:
            yield path
