"""Export: the whole graph as JSON, GraphML, GEXF or CSV; tables as CSV."""

from functools import partial

import state
import streamlit as st
from widgets import csv_bytes_download

state.page_setup("Export")
version = state.require_documents()
if version is None:
    st.stop()

st.markdown(
    "**JSON** is networkx node-link data (`node_link_data(G, edges=\"edges\")`) with every "
    "node's and edge's evidence; **GraphML** and **GEXF** open in Gephi and yEd (lists and "
    "evidence as JSON strings); **CSV** is a zip of `nodes.csv` and `relationships.csv` for "
    "`neo4j-admin database import`."
)
fmt = st.radio("Format", state.EXPORT_FORMATS, horizontal=True, key="export_format")
data, file_name, mime = state.export_bytes(version, fmt)
# A function returning the (cached) bytes: Streamlit would otherwise hash the whole export,
# hundreds of megabytes for a large graph, on every run of the page.
st.download_button(
    f"Download {file_name} ({len(data) / 1024:.0f} KB)", lambda: data, file_name=file_name,
    mime=mime, key="export_download", type="primary",
)

st.subheader("Tables")
n_nodes, n_edges = state.graph_size(version)
st.caption(f"{n_nodes} nodes, {n_edges} relationships")
for table in ("nodes", "relationships", "documents"):
    # Written when clicked (a large graph's tables are tens of megabytes).
    csv_bytes_download(partial(state.table_csv, version, table), table,
                       key=f"export_{table}_csv")
st.caption("Every table on the other pages has its own CSV download button too.")
