"""A guard around a relation component: its failure on one chunk is a warning, not a crash.

The relation components are added through this wrapper (under their own names), so that a
bug or an unexpected sentence in one of them costs that chunk's relations of that kind,
recorded in ``DocumentExtraction.warnings``, instead of the whole document or folder.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

WARNINGS_KEY = "actorgraph_warnings"


class Guarded:
    """Run ``inner`` on each doc; record an exception in ``doc.user_data`` and go on."""

    def __init__(self, nlp: Language, name: str, component: str, config: dict[str, Any]) -> None:
        self.name = name
        self.inner = nlp.create_pipe(component, name=name, config=config)

    def __call__(self, doc: Doc) -> Doc:
        """Apply the wrapped component, or note why it failed."""
        try:
            return self.inner(doc)
        except Exception as err:  # noqa: BLE001  (any failure of the wrapped component)
            start = doc._.offset or 0
            doc.user_data.setdefault(WARNINGS_KEY, []).append(
                f"{self.name} failed on text at {start}: {type(err).__name__}: {err}")
            return doc

    def __getattr__(self, attr: str) -> Any:
        # to_disk/from_disk, initialize, labels...: those of the wrapped component.
        if attr == "inner":
            raise AttributeError(attr)
        return getattr(self.inner, attr)


@Language.factory("actorgraph_guarded", default_config={"component": "", "config": {}})
def make_guarded(nlp: Language, name: str, component: str, config: dict[str, Any]) -> Guarded:
    """Wrap the factory ``component`` (created with ``config``) in a :class:`Guarded`."""
    return Guarded(nlp, name, component, config)
