"""Pure functions that build the inputs of the app's network view, charts and evidence.

Nothing here imports Streamlit: every builder takes plain data (networkx graphs,
pandas frames, lists of dicts) and returns plain data or a Plotly figure, so it
is tested without a browser.
"""
