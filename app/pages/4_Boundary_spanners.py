"""Boundary spanners: the ranked table, the score's parts, brokerage roles, and explanations."""

from functools import partial

import state
import streamlit as st
from components.charts import stacked_bar_figure
from components.tables import BROKERAGE_ROLES
from widgets import csv_bytes_download, open_button, show_evidence

state.page_setup("Boundary spanners")
version = state.require_documents()
if version is None:
    st.stop()

partitions = state.partitions()
default = state.default_partition()
partition = st.selectbox(
    "Boundary between", partitions,
    index=partitions.index(default) if default in partitions else 0,
    key="spanner_partition",
    help="Which groups count as different sides of a boundary.",
)
rows = state.spanner_rows(version, partition)
if not rows:
    st.info("No people with affiliations in the graph yet.")
    st.stop()
frame = state.spanner_table_frame(version, partition)
st.metric("People ranked", len(rows))
st.caption(
    "Score = weighted mean of each measure's percentile rank among people "
    "(constraint reversed). See the README for the formulas."
)
st.dataframe(frame, hide_index=True, key="spanner_table")
csv_bytes_download(partial(state.spanner_csv, version, partition), f"spanners_{partition}",
                   key="spanner_csv")

left, right = st.columns(2)
with left:
    st.subheader("The score's parts (top 20)")
    parts = state.spanner_parts(version, partition, tuple(sorted(state.spanner_weights().items())))
    measures = [c for c in parts.columns if c not in ("name", "id")]
    st.plotly_chart(stacked_bar_figure(parts, "name", measures), key="spanner_parts")
with right:
    st.subheader("Brokerage roles (top 20)")
    st.plotly_chart(stacked_bar_figure(frame, "name", BROKERAGE_ROLES), key="spanner_roles")

st.subheader("Why is this person a spanner?")
labels = state.spanner_labels(version, partition)
person = st.selectbox(
    "Person", list(labels), format_func=labels.__getitem__, key="spanner_person"
)
explanation = state.spanner_explanation(version, person, partition)
open_button(f"Open {explanation['name']}", person, key="spanner_open")
st.markdown(
    f"**{explanation['name']}** is in group **{explanation.get('group')}** and is affiliated "
    f"with {len(explanation['groups'])} group(s) under the *{partition}* partition."
)
for g in explanation["groups"]:
    with st.expander(f"Group {g['group']}: {len(g['via'])} affiliation(s)"):
        for via in g["via"]:
            role = f" as {via['role_name']}" if via.get("role_name") else ""
            st.markdown(f"- **{via['name']}** ({via['label']}){role}")
            show_evidence(via.get("evidence", []), limit=3)
for b in explanation["boundaries"]:
    with st.expander(f"Crosses to {b['to_group']}: {b['n_ties']} tie(s)"):
        for tie in b["ties"]:
            through = tie["through"]
            st.markdown(
                f"- **{tie['name']}** ({tie['group']}) through {through['kind'].replace('_', ' ')}"
                + (f" *{through.get('name')}*" if through.get("name") else "")
            )
            show_evidence(tie.get("evidence", []), limit=2)
