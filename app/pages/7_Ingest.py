"""Ingest: upload files or name a folder; a progress bar over the documents; per-file results."""

from pathlib import Path

import pandas as pd
import state
import streamlit as st

state.page_setup("Ingest")

st.markdown(
    "Add documents (`.txt`, `.md`, `.pdf`, `.docx`, `.html`) to the store. A document is "
    "identified by its file name: an unchanged file is skipped, a changed one replaces its "
    "old evidence."
)
uploads = st.file_uploader(
    "Upload files", accept_multiple_files=True, key="ingest_upload",
    type=["txt", "md", "pdf", "docx", "html", "htm"],
)
folder = st.text_input("…or a folder (or file) on this machine", key="ingest_folder")
go = st.button("Ingest", type="primary", key="ingest_go")

if go:
    targets: list[Path] = []
    if uploads:
        targets += state.save_uploads(uploads)
    if folder.strip():
        targets += state.expand_inputs(folder.strip())
    if not targets:
        st.warning("Nothing to ingest: upload files or give a folder.")
        st.stop()
    bar = st.progress(0.0, text=f"0 / {len(targets)} documents")
    rows: list[dict[str, str]] = []
    errors: list[dict[str, str]] = []
    for i, result in enumerate(state.ingest_each(targets)):
        rows.append(result)
        if result["result"] == "skipped":
            errors.append({"file": result["file"], "reason": result["detail"]})
        bar.progress((i + 1) / len(targets), text=f"{i + 1} / {len(targets)}: {result['file']}")
    st.session_state["ingest_results"] = rows
    st.session_state["ingest_errors"] = errors
    state.refresh()

results = st.session_state.get("ingest_results")
if results:
    st.subheader("Results")
    frame = pd.DataFrame(results)
    counts = frame["result"].value_counts().to_dict()
    st.write(", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
    st.dataframe(frame, hide_index=True, key="ingest_table")
    for err in st.session_state.get("ingest_errors", []):
        st.error(f"{err['file']}: {err['reason']}")
