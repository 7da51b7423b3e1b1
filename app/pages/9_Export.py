"""Export: the whole graph as JSON, GraphML, GEXF or CSV; tables as CSV."""

import state
import streamlit as st

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
st.download_button(
    f"Download {file_name} ({len(data) / 1024:.0f} KB)", data, file_name=file_name, mime=mime,
    key="export_download", type="primary",
)

st.subheader("Tables")
G = state.graph(version)
st.caption(f"{G.number_of_nodes()} nodes, {G.number_of_edges()} relationships")
for table in ("nodes", "relationships", "documents"):
    st.download_button(
        f"Download {table} as CSV", state.table_csv(version, table), file_name=f"{table}.csv",
        mime="text/csv", key=f"export_{table}_csv",
    )
st.caption("Every table on the other pages has its own CSV download button too.")
