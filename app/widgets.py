"""Drawing helpers shared by pages (they use Streamlit; the data comes from ``components``)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import state
import streamlit as st
from components.evidence import escape_text, evidence_records, passage, passage_html


def show_evidence(evidence: list[Any], limit: int = 10) -> None:
    """Draw each evidence item: its document name, then its paragraph with the span marked."""
    items = evidence_records(evidence)
    if not items:
        st.caption("(no evidence sentence)")
        return
    docs = state.doc_paths()
    for ev in items[:limit]:
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
    if len(items) > limit:
        st.caption(f"… and {len(items) - limit} more")


def csv_download(frame: pd.DataFrame, name: str, key: str) -> None:
    """A button that downloads ``frame`` as CSV (UTF-8)."""
    st.download_button(
        f"Download {name} as CSV",
        frame.to_csv(index=False).encode("utf-8"),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=key,
    )


def open_button(label: str, node_id: str, key: str) -> None:
    """A button that opens ``node_id`` on the Entity page."""
    if st.button(label, key=key):
        state.open_entity(node_id)
