"""Overview: documents, counts by label and type, extraction health, the store in use."""

import pandas as pd
import state
import streamlit as st

state.page_setup("Overview")
st.caption(f"Store in use: **{state.store_description()}**")
version = state.require_documents()
if version is None:
    st.stop()

docs = state.documents()
counts = state.stats(version)
nodes = counts.get("nodes", {})
rels = counts.get("relationships", {})

c1, c2, c3 = st.columns(3)
c1.metric("Documents", len(docs))
c2.metric("Entities", sum(n for k, n in nodes.items() if k != "Document"))
c3.metric("Relationships", sum(rels.values()))

left, right = st.columns(2)
with left:
    st.subheader("Nodes by label")
    st.dataframe(
        pd.DataFrame(sorted(nodes.items()), columns=["label", "count"]),
        hide_index=True,
        key="nodes_by_label",
    )
with right:
    st.subheader("Relationships by type")
    st.dataframe(
        pd.DataFrame(sorted(rels.items()), columns=["type", "count"]),
        hide_index=True,
        key="relationships_by_type",
    )

st.subheader("Documents")
st.dataframe(state.documents_frame(version), hide_index=True, key="documents")

st.subheader("Extraction health")
health = state.cached_health(version)
skipped = state.skipped_documents()
h1, h2 = st.columns(2)
h1.metric("Entities without relationships", len(health["lonely"]))
h2.metric("Documents skipped at the last ingest", len(skipped))
if skipped:
    st.dataframe(pd.DataFrame(skipped), hide_index=True, key="skipped")
if health["lonely"]:
    with st.expander("Entities found only as mentions (no relationship)"):
        st.dataframe(pd.DataFrame(health["lonely"]), hide_index=True, key="lonely")
