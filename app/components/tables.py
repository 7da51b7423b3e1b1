"""Tables for the question pages: the spanner table with its score's parts."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

#: Columns of the spanner table, in display order.
SPANNER_COLUMNS = [
    "rank", "name", "group", "groups_spanned", "score", "betweenness", "brokerage",
    "participation", "effective_size", "constraint", "degree", "id",
]

#: Gould-Fernandez brokerage roles, in display order.
BROKERAGE_ROLES = ["coordinator", "itinerant", "representative", "gatekeeper", "liaison"]


def score_parts(rows: list[dict[str, Any]], weights: dict[str, float]) -> pd.DataFrame:
    """Each measure's share of the combined score: ``w_m * r_m(i) / sum(w)`` per person.

    Uses the query layer's own percentile ranks, so the parts of a row add up to
    its ``score``. Columns: ``name``, ``id``, then one per weighted measure.
    """
    from actorgraph.queries.spanners import REVERSED, percentile_ranks

    frame = pd.DataFrame(rows)
    out = pd.DataFrame({"name": frame.get("name", []), "id": frame.get("id", [])})
    used = {m: w for m, w in weights.items() if w > 0 and m in frame.columns}
    total = sum(used.values())
    for measure, w in used.items():
        values = pd.to_numeric(frame[measure], errors="coerce").to_numpy(dtype=float)
        ranks = percentile_ranks(values, reverse=measure in REVERSED)
        out[measure] = w * np.asarray(ranks) / total if total else 0.0
    return out


def spanner_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The spanner rows as a frame with the display columns first (lists joined)."""
    frame = pd.DataFrame(rows)
    if frame.empty:
        return pd.DataFrame(columns=SPANNER_COLUMNS)
    if "groups" in frame.columns:
        frame["groups"] = frame["groups"].map(
            lambda g: ", ".join(map(str, g)) if isinstance(g, list | tuple | set) else g
        )
    first = [c for c in SPANNER_COLUMNS if c in frame.columns]
    return frame[first + [c for c in frame.columns if c not in first]]
