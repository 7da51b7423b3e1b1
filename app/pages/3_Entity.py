"""Entity: properties, aliases, mentions, and every relationship with its evidence."""

import pandas as pd
import state
import streamlit as st
from components.entity import entity_properties
from widgets import show_evidence

state.page_setup("Entity")
version = state.require_documents()
if version is None:
    st.stop()

G = state.graph(version)
pending = st.session_state.pop("entity_pending", None)
if pending:
    st.session_state["entity_id_input"] = pending
st.session_state.setdefault(
    "entity_id_input", st.query_params.get("id") or st.session_state.get("entity_id") or ""
)
picked = st.text_input(
    "Node id", key="entity_id_input", help="Open an entity from Explore, or paste its id"
)
node_id = picked.strip() or None
if not node_id:
    st.info("Search for an entity on the **Explore** page and open it.")
    st.page_link("pages/2_Explore.py", label="Explore", icon="🔎")
    st.stop()
if node_id not in G:
    st.error(f"{node_id}: no such node in the store")
    st.stop()
st.session_state["entity_id"] = node_id
st.query_params["id"] = node_id

data = G.nodes[node_id]
st.subheader(f"{data.get('name', node_id)}")
st.caption(f"{data.get('label', '')} · `{node_id}`")
aliases = list(data.get("aliases") or [])
if aliases:
    st.markdown("**Also called:** " + ", ".join(aliases))
props = entity_properties(G, node_id)
if props:
    st.dataframe(
        pd.DataFrame([(k, str(v)) for k, v in props.items()], columns=["property", "value"]),
        hide_index=True,
        key="entity_properties",
    )
doc_names = state.entity_document_names(version, node_id)
more = f", … and {len(doc_names) - 20} more" if len(doc_names) > 20 else ""
st.markdown(f"**Mentioned in {len(doc_names)} document(s):** " + ", ".join(doc_names[:20]) + more)

rows = state.entity_relationships(version, node_id)
st.subheader(f"Relationships ({len(rows)})")
st.dataframe(
    state.entity_relationship_table(version, node_id),
    hide_index=True,
    key="entity_relationships",
)
SHOWN = 40
if len(rows) > SHOWN:
    st.caption(f"Evidence below for the first {SHOWN} relationships (all are in the table).")
for i, r in enumerate(rows[:SHOWN]):
    arrow = "→" if r["direction"] == "out" else "←"
    with st.expander(f"{r['type']} {arrow} {r['other_name']} ({len(r['evidence'])} sentences)",
                     expanded=i < 3):
        if st.button(f"Open {r['other_name']}", key=f"open_{i}"):
            state.open_entity(r["other"])
        show_evidence(r["evidence"], limit=5)

st.subheader("Mentions")
show_evidence(data.get("evidence", []))
