"""Drawing helpers shared by pages (they use Streamlit; the data comes from ``components``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import state
import streamlit as st
from components.evidence import escape_text, evidence_records, passage, passage_html


def show_evidence(evidence: list[Any], limit: int = 10) -> None:
    """Draw each evidence item: its document name, then its paragraph with the span marked."""
    total = len(evidence or [])
    items = evidence_records(list(evidence or [])[:limit])  # a hub has thousands
    if not items:
        st.caption("(no evidence sentence)")
        return
    docs = state.doc_paths()
    for ev in items:
        meta = docs.get(ev["doc"], {})
        path, sha = str(meta.get("path", "")), str(meta.get("sha256", ""))
        text = state.document_text(ev["doc"], path, sha)
        p = passage(ev["doc"], text, ev["start"], ev["end"], ev["text"])
        st.markdown(
            f"<div class='evidence' style='margin-bottom:0.6em'><small><b>"
            f"{escape_text(ev['doc'])}</b> [{ev['start']}:{ev['end']}]</small><br>"
            f"{passage_html(p)}</div>",
            unsafe_allow_html=True,
        )
    if total > limit:
        st.caption(f"… and {total - limit} more")


def csv_download(frame: pd.DataFrame, name: str, key: str) -> None:
    """A button that downloads ``frame`` as CSV (UTF-8), written only when clicked."""
    csv_bytes_download(lambda: frame.to_csv(index=False).encode("utf-8"), name, key)


def csv_bytes_download(data: bytes | Callable[[], bytes], name: str, key: str) -> None:
    """A button that downloads CSV ``data``: bytes, or a function called on the click.

    A function (e.g. a cached ``state`` function with its arguments bound) costs nothing on
    the page's runs; bytes are hashed by Streamlit on every run.
    """
    st.download_button(
        f"Download {name} as CSV", data, file_name=f"{name}.csv", mime="text/csv", key=key
    )


def open_button(label: str, node_id: str, key: str) -> None:
    """A button that opens ``node_id`` on the Entity page."""
    if st.button(label, key=key):
        state.open_entity(node_id)
