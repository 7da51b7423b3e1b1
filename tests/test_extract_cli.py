"""``actorgraph extract``: JSON output, exit status and the per-file summary."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from actorgraph.cli.main import app

runner = CliRunner()


def test_extract_json_on_a_corpus_file(corpus_files: list[Path]):
    path = min(corpus_files, key=lambda p: p.stat().st_size)
    result = runner.invoke(app, ["extract", str(path), "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [d["doc"] for d in data] == [path.name]
    original = path.read_text("utf-8").lstrip("\ufeff")
    ents = data[0]["entities"]
    assert {e["label"] for e in ents} >= {"Person", "Organisation", "Initiative", "Role"}
    for e in ents:
        for ev in e["evidence"]:
            assert original[ev["start"]:ev["end"]] == ev["text"]
    assert "1 processed, 0 skipped" in result.stderr


def test_extract_folder_with_bad_files(tmp_path: Path):
    good = tmp_path / "good.txt"
    good.write_text("The CCG and NHS England funded the care home vanguard (S1R02).", "utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "notes.md").write_text("Site 4 ran social prescribing.", "utf-8")
    (tmp_path / "empty.txt").write_text("", "utf-8")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    (tmp_path / "broken.docx").write_bytes(b"not a zip")
    with open(tmp_path / "huge.txt", "wb") as fh:
        fh.truncate(50_000_000)  # a 50 MB file (sparse: cheap to make)
    result = runner.invoke(app, ["extract", str(tmp_path), str(tmp_path / "missing.docx")])
    assert result.exit_code == 1
    out_lines = result.stdout.strip().splitlines()
    assert len(out_lines) == 2 and out_lines[0].startswith(("good.txt", "notes.md"))
    skipped = [ln for ln in result.stderr.splitlines() if ln.startswith("skipped: ")]
    assert len(skipped) == 6
    for name in ("empty.txt", "binary.txt", "broken.pdf", "broken.docx", "huge.txt",
                 "missing.docx"):
        assert sum(name in ln for ln in skipped) == 1, name
    assert "8 files: 2 processed, 6 skipped" in result.stderr


def test_extract_json_is_valid_when_files_are_skipped(tmp_path: Path):
    (tmp_path / "a.txt").write_text("NHS England met the ICS.", "utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path / "a.txt"), str(tmp_path / "no.txt"),
                                 "--json"])
    assert result.exit_code == 1
    assert [d["doc"] for d in json.loads(result.stdout)] == ["a.txt"]


def test_bad_config_is_fatal(tmp_path: Path):
    result = runner.invoke(app, ["extract", str(tmp_path), "--config", str(tmp_path / "x.toml")])
    assert result.exit_code == 2
    assert "x.toml" in result.stderr
