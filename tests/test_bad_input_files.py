"""Bad input: each case gets a specific one-line InputError naming the file and reason."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from actorgraph.extraction.readers import iter_input_paths, read_document
from actorgraph.records import InputError
from tests.test_readers import pdf_bytes, write_docx


def _error(path: Path | str, **kwargs) -> InputError:
    with pytest.raises(InputError) as info:
        read_document(path, **kwargs)
    err = info.value
    assert "\n" not in str(err)
    assert str(path) in str(err)
    assert str(err) == f"{path}: {err.reason}"
    return err


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert _error(path).reason == "empty file"


def test_whitespace_only_file(tmp_path: Path) -> None:
    path = tmp_path / "blank.md"
    path.write_text(" \n\n\t\n", encoding="utf-8")
    assert _error(path).reason == "empty file (no text)"


def test_binary_file_renamed_txt(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(bytes(range(256)) * 64)
    assert _error(path).reason == "binary file, not text"


def test_binary_without_nul_bytes(tmp_path: Path) -> None:
    path = tmp_path / "blob.txt"
    path.write_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16]) * 200)
    assert _error(path).reason == "binary file, not text"


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(pdf_bytes([[], []], image=True))
    assert _error(path).reason == "PDF has no text layer (scanned?); OCR it first"


def test_truncated_pdf(tmp_path: Path) -> None:
    data = pdf_bytes([["Some text on a page of the report."]] * 3)
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 3])
    assert _error(path).reason.startswith("corrupt PDF: ")


def test_file_that_is_not_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "fake.pdf"
    path.write_bytes(b"<html>this is a web page saved as .pdf</html>")
    assert _error(path).reason == "corrupt PDF: not a PDF file (no %PDF header)"


def test_truncated_docx(tmp_path: Path) -> None:
    good = write_docx(tmp_path / "good.docx")
    path = tmp_path / "cut.docx"
    path.write_bytes(good.read_bytes()[:2000])
    assert _error(path).reason == "corrupt DOCX: not a valid Word (zip) package"


def test_docx_that_is_text(tmp_path: Path) -> None:
    path = tmp_path / "plain.docx"
    path.write_text("not a zip at all", encoding="utf-8")
    assert _error(path).reason.startswith("corrupt DOCX: ")


def test_fifty_megabyte_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: no 50 MB written to disk
    assert _error(path).reason == "file too large (52.4 MB > 20 MB limit)"


def test_size_limit_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "small.txt"
    path.write_text("x" * 5000, encoding="utf-8")
    assert _error(path, max_bytes=4000).reason == "file too large (0.005 MB > 0.004 MB limit)"
    assert read_document(path, max_bytes=6000).text == "x" * 5000


def test_missing_path(tmp_path: Path) -> None:
    path = tmp_path / "does" / "not" / "exist.txt"
    assert _error(path).reason == "no such file or directory"


def test_directory_given_as_file(tmp_path: Path) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    assert _error(folder).reason == "is a directory, not a file"


def test_undecodable_text(tmp_path: Path) -> None:
    # bytes invalid as UTF-8 whose every single-byte reading is gibberish
    path = tmp_path / "mojibake.txt"
    path.write_bytes(bytes([0xC3, 0x28, 0xA0, 0xA1, 0xE2, 0x28, 0xA1, 0xF0, 0x28, 0x8C, 0xBC,
                            0x9D, 0x81, 0x8D, 0x8F, 0x90]) * 8)
    reason = _error(path).reason
    assert reason in ("not UTF-8 and no other encoding detected with confidence; "
                      "convert it to UTF-8", "binary file, not text")


def test_folder_with_bad_files_reads_the_rest(tmp_path: Path) -> None:
    (tmp_path / "01_good.txt").write_text("The CCG commissioned the service.\n", encoding="utf-8")
    (tmp_path / "02_empty.txt").write_bytes(b"")
    (tmp_path / "03_binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "04_scan.pdf").write_bytes(pdf_bytes([[]], image=True))
    (tmp_path / "05_good.pdf").write_bytes(pdf_bytes([["The ICS took over the MDT."]]))
    (tmp_path / "06_cut.docx").write_bytes(b"PK\x03\x04broken")
    read, skipped = [], []
    for item in iter_input_paths([tmp_path, tmp_path / "missing.md"]):
        if isinstance(item, InputError):
            skipped.append(item)
            continue
        try:
            read.append(read_document(item).name)
        except InputError as err:
            skipped.append(err)
    assert read == ["01_good.txt", "05_good.pdf"]
    reasons = {Path(e.path).name: e.reason for e in skipped}
    assert reasons == {
        "02_empty.txt": "empty file",
        "03_binary.txt": "binary file, not text",
        "04_scan.pdf": "PDF has no text layer (scanned?); OCR it first",
        "06_cut.docx": "corrupt DOCX: not a valid Word (zip) package",
        "missing.md": "no such file or directory",
    }


def test_unreadable_file(tmp_path: Path) -> None:
    # Root reads any file, so as root the read runs in a child process whose capability bounding
    # set lacks the two that let root bypass file permissions.
    folder = Path(tempfile.mkdtemp(prefix="agperm-"))
    folder.chmod(0o755)
    path = folder / "secret.txt"
    path.write_text("x", encoding="utf-8")
    path.chmod(0)
    try:
        if os.geteuid() != 0:
            assert _error(path).reason == "permission denied"
            return
        code = (
            "from actorgraph.extraction.readers import read_document\n"
            "from actorgraph.records import InputError\n"
            "try:\n"
            f"    read_document({str(path)!r})\n"
            "except InputError as err:\n"
            "    print(err.reason)\n"
        )
        setpriv = shutil.which("setpriv")
        assert setpriv, "setpriv (util-linux) is needed to drop root's file capabilities"
        out = subprocess.run(
            [setpriv, "--bounding-set", "-dac_override,-dac_read_search",
             sys.executable, "-c", code],
            capture_output=True, text=True, timeout=120, check=False,
        )
        assert out.stdout.strip() == "permission denied", out.stderr[-2000:]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
