"""Query: a read-only Cypher console on Neo4j; the saved questions on either store."""

import pandas as pd
import state
import streamlit as st
from widgets import csv_download

from actorgraph.queries.console import SAVED_QUERIES, ConsoleRefused

state.page_setup("Query")
version = state.require_documents()
if version is None:
    st.stop()

st.subheader("Saved questions")
question = st.selectbox("Question", state.SAVED_QUESTIONS, key="query_question")
answer = state.saved_answer(version, question)
st.caption(f"{len(answer)} row(s)")
st.dataframe(answer, hide_index=True, key="query_answer")
csv_download(answer, "answer", key="query_answer_csv")

st.subheader("Cypher console (read-only)")
if not state.is_neo4j():
    st.info(
        "The Cypher console needs the Neo4j store (start the app with `--store neo4j` or set "
        "`NEO4J_URI`). The saved questions above work on either store."
    )
    st.stop()

st.caption(
    "Writes are refused twice: the console rejects write clauses and admin procedures, and "
    "it runs in a READ transaction, which the server enforces."
)
example = st.selectbox("Example", ["(blank)", *SAVED_QUERIES], key="query_example")
if st.session_state.get("_query_example_last") != example:
    st.session_state["_query_example_last"] = example
    st.session_state["query_text"] = SAVED_QUERIES.get(example, "")
text = st.text_area("Cypher", key="query_text", height=180)
limit = st.number_input("Row limit", 1, 10000, 500, key="query_limit")
if st.button("Run", type="primary", key="query_run") and text.strip():
    try:
        result = state.run_console(text, int(limit))
    except ConsoleRefused as err:
        st.error(str(err))
    else:
        frame = pd.DataFrame(result.rows, columns=result.columns)
        st.caption(
            f"{len(frame)} row(s)" + (" — cut at the row limit" if result.truncated else "")
        )
        st.dataframe(frame.astype(str), hide_index=True, key="query_result")
        csv_download(frame, "query", key="query_result_csv")
