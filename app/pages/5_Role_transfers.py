"""Role transfers: a Sankey of organisation types, then each person's path with quotes."""

import pandas as pd
import state
import streamlit as st
from components.charts import sankey_figure
from widgets import csv_download, open_button, show_evidence

#: Transfers drawn with their quotes (all of them are in the CSV download).
SHOWN = 40

state.page_setup("Role transfers")
version = state.require_documents()
if version is None:
    st.stop()

st.caption(
    "A transfer is a person who held a role in the source and, later, one in the target. "
    "A term matches an organisation type, a site's model or programme, or a whole word of a name."
)
c1, c2 = st.columns(2)
source = c1.text_input("From (type or name)", value="vanguard", key="transfer_source")
target = c2.text_input("To (type or name)", value="ics", key="transfer_target")
source, target = source.strip(), target.strip()
if not source or not target:
    st.warning("Give both a source and a target.")
    st.stop()

paths = state.transfers(version, source, target)
links = state.transfer_links(version, source, target)
st.metric("People who moved", len({p["person"] for p in paths}))
if links:
    st.plotly_chart(sankey_figure(links), key="transfer_sankey")
    st.dataframe(pd.DataFrame(links), hide_index=True, key="transfer_links")
else:
    st.info(f"No role transfers from “{source}” to “{target}” in this graph.")

if len(paths) > SHOWN:
    st.caption(f"Paths with quotes below for the first {SHOWN} of {len(paths)} transfers "
               "(all are in the CSV).")
for i, t in enumerate(paths[:SHOWN]):
    s, d = t["source"], t["target"]
    title = (
        f"{t['person_name']}: {s.get('role_name')} ({s.get('org_name')}) → "
        f"{d.get('role_name')} ({d.get('org_name')})"
    )
    with st.expander(title, expanded=i < 2):
        open_button(f"Open {t['person_name']}", t["person"], key=f"transfer_open_{i}")
        for step in t["path"]:
            when = step.get("period") or step.get("start") or step.get("tense") or ""
            st.markdown(
                f"**{step.get('role_name')}** in {step.get('org_name') or '—'}"
                + (f" *({when})*" if when else "")
            )
            show_evidence(step.get("evidence", []), limit=2)
        if t.get("carried"):
            st.markdown("**Carried:** " + ", ".join(str(x["name"]) for x in t["carried"]))

if paths:
    flat = pd.DataFrame(
        [
            {
                "person": t["person_name"],
                "from_role": t["source"].get("role_name"),
                "from_org": t["source"].get("org_name"),
                "to_role": t["target"].get("role_name"),
                "to_org": t["target"].get("org_name"),
                "carried": "; ".join(str(x["name"]) for x in t.get("carried", [])),
            }
            for t in paths
        ]
    )
    csv_download(flat, f"transfers_{source}_{target}", key="transfer_csv")

st.subheader("Roles that ended with no successor")
ended = state.removed_roles(version, source)
if ended:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "role": e["role_name"],
                    "reason": e["reason"],
                    "in": ", ".join(str(o["name"]) for o in e["orgs"]),
                    "held by": ", ".join(str(h["name"]) for h in e["holders"]),
                }
                for e in ended
            ]
        ),
        hide_index=True,
        key="ended_roles",
    )
else:
    st.caption("None found.")
