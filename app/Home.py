"""actorgraph: the entry page of the web app."""

import state
import streamlit as st

state.page_setup("actorgraph")

st.markdown(
    "A knowledge graph of the people, roles, organisations, sites and initiatives "
    "in health-policy documents. Every node and relationship points back to the "
    "sentences that support it."
)

docs = state.documents()
version = state.content_version(docs)
counts = state.stats(version) if docs else {"nodes": {}, "relationships": {}}
c1, c2, c3 = st.columns(3)
c1.metric("Documents", len(docs))
c2.metric("Entities", sum(n for k, n in counts.get("nodes", {}).items() if k != "Document"))
c3.metric("Relationships", sum(counts.get("relationships", {}).values()))

st.subheader("Questions")
st.page_link("pages/4_Boundary_spanners.py", label="Who are the boundary spanners?", icon="🌉")
st.page_link("pages/5_Role_transfers.py", label="Where did the people go?", icon="🔀")
st.page_link("pages/6_Initiative_spread.py", label="How did initiatives spread?", icon="🌱")
st.page_link("pages/2_Explore.py", label="Search and browse the graph", icon="🔎")
if not docs:
    st.page_link("pages/7_Ingest.py", label="The store is empty: ingest documents", icon="📥")
