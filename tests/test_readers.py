"""Reading real files: the sample corpus, and txt/md/html/pdf/docx files written in tmp_path."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from actorgraph.extraction.cleaning import clean_text
from actorgraph.extraction.readers import (
    SUPPORTED_SUFFIXES,
    iter_input_paths,
    read_document,
)
from actorgraph.records import InputError


def pdf_bytes(pages: list[list[str]], image: bool = False) -> bytes:
    """A real (minimal) PDF: one page per list of text lines, or one image per page.

    Written by hand so the tests need no PDF-writing dependency; pypdf reads it
    like any other PDF.
    """
    objs: dict[int, bytes] = {1: b"<< /Type /Catalog /Pages 2 0 R >>"}
    page_ids = [4 + 2 * k for k in range(len(pages))]
    kids = b" ".join(b"%d 0 R" % p for p in page_ids)
    objs[2] = b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(pages)
    objs[3] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    img_id = 4 + 2 * len(pages)
    for k, lines in enumerate(pages):
        pid, cid = page_ids[k], page_ids[k] + 1
        if image:
            stream = b"q 200 0 0 200 72 500 cm /Im1 Do Q"
            res = b"<< /XObject << /Im1 %d 0 R >> >>" % img_id
        else:
            parts = [b"BT /F1 12 Tf 72 740 Td 14 TL"]
            for line in lines:
                esc = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
                parts.append(b"(" + esc.encode("latin-1") + b") Tj T*")
            parts.append(b"ET")
            stream = b"\n".join(parts)
            res = b"<< /Font << /F1 3 0 R >> >>"
        objs[pid] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources " + res
                     + b" /Contents %d 0 R >>" % cid)
        objs[cid] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    if image:
        objs[img_id] = (b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 "
                        b"/ColorSpace /DeviceGray /BitsPerComponent 8 /Length 4 >>\nstream\n"
                        + bytes([0, 255, 255, 0]) + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for oid in sorted(objs):
        offsets[oid] = len(out)
        out += b"%d 0 obj\n" % oid + objs[oid] + b"\nendobj\n"
    xref = len(out)
    size = max(objs) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for oid in range(1, size):
        out += b"%010d 00000 n \n" % offsets.get(oid, 0)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def write_docx(path: Path) -> Path:
    """A real DOCX with a heading, paragraphs, a list item and a table between them."""
    import docx

    document = docx.Document()
    document.add_heading("Findings from the Vanguard sites", level=1)
    document.add_paragraph("The care home team at Site 3 worked with the local CCG.")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([["", "Site 1", "Site 2"], ["Social prescribing", "✓", ""],
                             ["MDT", "✓", "✓"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("A closing paragraph after the table.")
    document.add_paragraph("Respondents were interviewed twice.", style="List Bullet")
    document.save(str(path))
    return path


# --------------------------------------------------------------------------- corpus


def test_corpus_files_read_as_utf8(corpus_files: list[Path]) -> None:
    assert len(corpus_files) >= 3
    for path in corpus_files:
        doc = read_document(path)
        data = path.read_bytes()
        assert doc.name == path.name
        assert doc.format == "txt"
        assert doc.sha256 == hashlib.sha256(data).hexdigest()
        assert doc.text == data.decode("utf-8-sig")
        assert doc.encoding in ("utf-8", "utf-8-sig")
        assert doc.warnings == []


# --------------------------------------------------------------------------- text


def test_utf8_with_bom_is_stripped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfNHS England funded the Vanguard.\n")
    doc = read_document(path)
    assert doc.text == "NHS England funded the Vanguard.\n"
    assert doc.encoding == "utf-8-sig"
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_latin1_text_is_detected_and_reported(tmp_path: Path) -> None:
    text = ("Le café du coin était très animé. The Société Générale programme "
            "and the Côte d'Azur pilot were déjà under way.\n")
    path = tmp_path / "latin.txt"
    path.write_bytes(text.encode("latin-1"))
    doc = read_document(path)
    assert doc.text == text
    assert doc.encoding == "latin-1"
    assert any("latin-1" in w and "latin.txt" in w for w in doc.warnings)


def test_cp1252_text_is_detected_and_reported(tmp_path: Path) -> None:
    text = ("The chair said \u201cthe Vanguard was a success\u201d \u2013 it\u2019s now in the "
            "ICS, with \u20ac5m of funding\u2026\n")
    path = tmp_path / "windows.md"
    path.write_bytes(text.encode("cp1252"))
    doc = read_document(path)
    assert doc.text == text
    assert doc.encoding == "cp1252"
    assert doc.format == "md"
    assert doc.warnings and "cp1252" in doc.warnings[0]


def test_cyrillic_legacy_encoding_is_detected_not_mangled(tmp_path: Path) -> None:
    text = "Привет, как дела? Это тестовый текст на русском языке.\n" * 4
    path = tmp_path / "ru.txt"
    path.write_bytes(text.encode("cp1251"))
    doc = read_document(path)
    assert doc.text == text


def test_html_original_is_the_source(tmp_path: Path) -> None:
    source = ("<html><head><title>x</title><style>p {color: red}</style></head><body>"
              "<h1>Care homes</h1><p>Smith &amp; Jones led the CCG.</p></body></html>")
    path = tmp_path / "page.html"
    path.write_text(source, encoding="utf-8")
    doc = read_document(path)
    assert doc.format == "html"
    assert doc.text == source
    clean = clean_text(doc.text, doc.format)
    assert "Smith & Jones led the CCG." in clean.text
    assert "color" not in clean.text


# --------------------------------------------------------------------------- PDF / DOCX


def test_pdf_text_layer_is_extracted_with_page_breaks(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_bytes([
        ["The Vanguard programme was led by NHS England and the average age of resi-"],
        ["dents was 85 years."],
    ]))
    doc = read_document(path)
    assert doc.format == "pdf"
    assert doc.encoding is None
    assert "led by NHS England" in doc.text
    assert "\f" in doc.text  # page break kept for the cleaner
    clean = clean_text(doc.text, doc.format)
    assert "average age of residents was 85 years." in clean.text
    s = clean.text.index("residents")
    a, b = clean.to_original(s, s + len("residents"))
    assert "".join(doc.text[a:b].replace("-", "").split()) == "residents"


def test_pdf_running_header_and_page_numbers_are_cleaned(tmp_path: Path) -> None:
    places = ["Northshire", "Southvale", "Eastwick", "Westmoor"]
    pages = []
    for p, place in enumerate(places, start=1):
        pages.append(["Evaluation of the Vanguard Programme: Final Report",
                      f"In {place} the care home team worked with the community",
                      f"trust and the {place} council on the enhanced health",
                      "in care homes model, which the CCG commissioned and",
                      str(p)])
    path = tmp_path / "paged.pdf"
    path.write_bytes(pdf_bytes(pages))
    doc = read_document(path)
    assert doc.text.count("Evaluation of the Vanguard Programme") == 4
    clean = clean_text(doc.text, doc.format)
    assert "Evaluation of the Vanguard Programme" not in clean.text
    assert not any(line.strip().isdigit() for line in clean.text.splitlines())
    for place in places:
        sentence = (f"In {place} the care home team worked with the community trust and the "
                    f"{place} council on the enhanced health in care homes model")
        assert sentence in clean.text
        i = clean.text.index(sentence)
        a, b = clean.to_original(i, i + len(sentence))
        assert " ".join(doc.text[a:b].split()) == sentence


def test_crlf_text(tmp_path: Path) -> None:
    path = tmp_path / "windows.txt"
    path.write_bytes(b"Findings\r\n\r\nThe resi-\r\ndents of the care home met the\r\n"
                     b"GP weekly.\r\n")
    doc = read_document(path)
    clean = clean_text(doc.text, doc.format)
    assert clean.text == "Findings\n\nThe residents of the care home met the GP weekly."
    assert "\r" not in clean.text


def test_docx_paragraphs_and_tables_in_body_order(tmp_path: Path) -> None:
    doc = read_document(write_docx(tmp_path / "board.docx"))
    assert doc.format == "docx"
    text = doc.text
    order = [text.index(s) for s in ("Findings from the Vanguard sites", "worked with the local",
                                     "Social prescribing", "A closing paragraph",
                                     "Respondents were interviewed")]
    assert order == sorted(order)
    clean = clean_text(doc.text, doc.format)
    assert [s.title for s in clean.sections if s.kind == "body"][0] == \
        "Findings from the Vanguard sites"
    assert len(clean.tables) == 1
    table = clean.tables[0]
    assert [c.text for c in table.rows[0]] == ["", "Site 1", "Site 2"]
    assert [c.text for c in table.rows[2]] == ["MDT", "✓", "✓"]
    for row in table.rows:
        for cell in row:
            assert clean.text[cell.start:cell.end] == cell.text
            if cell.text:
                a, b = clean.to_original(cell.start, cell.end)
                assert doc.text[a:b] == cell.text


# --------------------------------------------------------------------------- paths


def test_iter_input_paths_walks_folders_sorted_and_reports_missing(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "b" / "c.MD").write_text("x", encoding="utf-8")
    (tmp_path / "b" / "d.csv").write_text("x", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "e.txt").write_text("x", encoding="utf-8")
    (tmp_path / "z.pdf").write_bytes(pdf_bytes([["x"]]))
    missing = tmp_path / "nope.txt"
    got = list(iter_input_paths([tmp_path, missing]))
    paths = [g for g in got if isinstance(g, Path)]
    errors = [g for g in got if isinstance(g, InputError)]
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == ["a.txt", "b/c.MD", "z.pdf"]
    assert len(errors) == 1 and errors[0].reason == "no such file or directory"
    assert str(missing) in str(errors[0])
    assert ".pdf" in SUPPORTED_SUFFIXES and ".htm" in SUPPORTED_SUFFIXES


def test_symlink_loop_does_not_hang(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "sub" / "loop").symlink_to(tmp_path)
    got = list(iter_input_paths([tmp_path]))
    assert got == [tmp_path / "sub" / "a.txt"]


def test_single_file_argument_is_yielded_even_if_unsupported(tmp_path: Path) -> None:
    odd = tmp_path / "notes.csv"
    odd.write_text("a,b\n", encoding="utf-8")
    assert list(iter_input_paths([odd])) == [odd]
    with pytest.raises(InputError, match=r"notes\.csv: unsupported file type '\.csv'"):
        read_document(odd)
