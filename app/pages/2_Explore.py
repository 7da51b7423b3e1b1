"""Explore: search by name or alias, then walk the selected entity's neighbourhood."""

import pandas as pd
import state
import streamlit as st
from components.network import VIEW_MEASURES, clicked_node, network_figure
from widgets import open_button

state.page_setup("Explore")
version = state.require_documents()
if version is None:
    st.stop()

query = st.text_input(
    "Search by name, alias or respondent code", key="explore_query",
    placeholder="e.g. NHS England, CCG, S1R04, care home",
)
hits = state.search_nodes(version, query) if query.strip() else []
if query.strip() and not hits:
    st.warning(f"No entity matches “{query}”.")

if hits:
    st.caption(f"{len(hits)} match(es)")
    st.dataframe(
        pd.DataFrame(hits)[["name", "label", "matched", "score", "id"]],
        hide_index=True,
        height=min(38 + 35 * len(hits), 220),
        key="explore_hits",
    )
    ids = [h["id"] for h in hits]
    # Labels must be unique: Streamlit keeps a selectbox's choice by its label.
    names = {h["id"]: f"{h['name']} ({h['label']}) · {h['id']}" for h in hits}
    if st.session_state.get("explore_centre") not in ids:
        st.session_state["explore_centre"] = ids[0]
    centre = st.selectbox("Entity", ids, format_func=names.__getitem__, key="explore_centre")
elif st.session_state.get("entity_id") and st.session_state["entity_id"] in state.graph(version):
    centre = st.session_state["entity_id"]
    st.caption("Showing the last entity opened. Search to pick another.")
else:
    st.info("Type a name to search the graph.")
    st.stop()

G = state.graph(version)
open_button(f"Open {G.nodes[centre].get('name', centre)}", centre, key="explore_open")

with st.expander("View settings", expanded=False):
    c1, c2, c3 = st.columns(3)
    depth = c1.slider("Depth", 1, 3, 1, key="explore_depth")
    size_by = c2.selectbox("Size by", VIEW_MEASURES, key="explore_size")
    max_nodes = c3.slider("At most this many nodes", 20, 400, 150, step=10, key="explore_max")
    facets = state.facets(version)
    labels = st.multiselect("Labels", facets["labels"], key="explore_labels")
    types = st.multiselect("Relationship types", facets["types"], key="explore_types")
    sectors = st.multiselect("Sectors", facets["sectors"], key="explore_sectors")
    docs = st.multiselect("Documents", facets["docs"], key="explore_docs")

view = state.neighbourhood_view(
    version, centre, depth, tuple(labels), tuple(types), tuple(sectors), tuple(docs), max_nodes
)
elements = state.view_elements(version, centre, depth, tuple(labels), tuple(types),
                               tuple(sectors), tuple(docs), max_nodes, size_by)
st.caption(
    f"{view.number_of_nodes()} nodes, {view.number_of_edges()} relationships "
    "(click a node to open it)"
)
event = st.plotly_chart(
    network_figure(elements), key="explore_network", on_select="rerun",
    selection_mode="points",
)
picked = clicked_node(event)
if picked and picked != centre and picked in G:
    state.open_entity(picked)
