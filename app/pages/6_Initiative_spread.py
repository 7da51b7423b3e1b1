"""Initiative spread: the site-by-initiative matrix, one initiative's spread, the people."""

from functools import partial

import pandas as pd
import state
import streamlit as st
from components.charts import timeline_figure
from components.network import network_figure
from components.spread import spread_events, status_heatmap_figure
from widgets import csv_bytes_download, open_button, show_evidence

#: Steps drawn with their evidence below the table (a national scheme can have hundreds).
SHOWN = 30

state.page_setup("Initiative spread")
version = state.require_documents()
if version is None:
    st.stop()

grouped = st.toggle(
    "Group initiatives with similar names", value=False, key="spread_grouped",
    help="Sites give one initiative different labels; grouping joins names that match closely.",
)
counts = state.matrix_counts(version, grouped)
frame = state.matrix_shown(version, grouped)
c1, c2, c3 = st.columns(3)
c1.metric("Sites and organisations", counts["sites"])
c2.metric("Initiatives", counts["initiatives"])
c3.metric("Implementations", counts["cells"])
if frame.empty:
    st.info("No IMPLEMENTS relationships in this graph yet.")
else:
    st.subheader("Who implemented what")
    if frame.shape != (counts["sites"], counts["initiatives"]):
        st.caption(
            f"The {frame.shape[1]} initiatives implemented at the most places, and the "
            f"{frame.shape[0]} places implementing most of them; the CSV holds every "
            "implementation."
        )
    st.plotly_chart(status_heatmap_figure(frame), key="spread_heatmap")
    csv_bytes_download(partial(state.matrix_csv, version, grouped), "initiative_matrix",
                       key="spread_matrix_csv")

inits = state.initiative_list(version)
if not inits:
    st.stop()
st.subheader("How one initiative spread")
names = {i["id"]: str(i["name"]) for i in inits}
chosen = st.selectbox("Initiative", list(names), format_func=names.__getitem__,
                      key="spread_initiative")
s = state.spread(version, chosen, grouped)
open_button(f"Open {names[chosen]}", chosen, key="spread_open")
st.markdown(
    f"Origins: {', '.join(o['name'] for o in s['origins']) or '—'} · "
    f"implemented at {len(s['implemented_at'])} place(s) · {len(s['steps'])} spread step(s)"
)
view = st.radio("Show as", ["network", "timeline"], horizontal=True, key="spread_view")
if view == "network":
    elements = state.spread_elements(version, chosen, grouped)
    places = len({*(o["id"] for o in s["origins"]), *(i["id"] for i in s["implemented_at"]),
                  *(e for step in s["steps"] for e in (step["from"]["id"], step["to"]["id"]))})
    if len(elements.nodes) < places:
        st.caption(f"The {len(elements.nodes)} best-connected of {places} places "
                   "(every step is in the table below).")
    st.plotly_chart(network_figure(elements, height=420), key="spread_network")
else:
    events = spread_events(s)
    if events:
        st.plotly_chart(timeline_figure(events), key="spread_timeline")
    else:
        st.caption("No dates stated for this initiative's spread.")

if s["steps"]:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "from": st_["from"]["name"],
                    "to": st_["to"]["name"],
                    "mode": st_["mode"],
                    "dates": ", ".join(st_["dates"]),
                    "people linked to both ends": ", ".join(p["name"] for p in st_["people"]),
                }
                for st_ in s["steps"]
            ]
        ),
        hide_index=True,
        key="spread_steps",
    )
    if len(s["steps"]) > SHOWN:
        st.caption(f"Evidence below for the first {SHOWN} steps (all are in the table).")
    for i, step in enumerate(s["steps"][:SHOWN]):
        with st.expander(f"{step['from']['name']} → {step['to']['name']} ({step['mode']})"):
            for p in step["people"]:
                open_button(f"Open {p['name']}", p["id"], key=f"spread_person_{i}_{p['id']}")
            show_evidence(step.get("evidence", []), limit=3)
