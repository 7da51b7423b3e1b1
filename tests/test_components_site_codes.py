"""Site codes: ``Site 3`` at the end of a sentence is a code; ``Site 5.2`` is a section."""

from __future__ import annotations

import pytest

from actorgraph.extraction.components.site_codes import find_site_codes


@pytest.mark.parametrize("text,codes", [
    ("It was adopted by Site 4 and Site 5.", ["Site 4", "Site 5"]),
    ("Then site B. After that, Site 6, an MCP, joined.", ["Site B", "Site 6"]),
    ("Case study site 3 led.", ["Site 3"]),
])
def test_codes_found(text: str, codes: list[str]) -> None:
    assert [p["site_code"] for _s, _e, p in find_site_codes(text)] == codes


@pytest.mark.parametrize("text", ["See Site 5.2 for details.", "A Site 3-based team.",
                                  "The site was new."])
def test_not_codes(text: str) -> None:
    assert find_site_codes(text) == []


def test_model_type_after_code() -> None:
    (_s, _e, props), = find_site_codes("Site 6, an MCP Vanguard.")
    assert props["model_type"] == "MCP"
