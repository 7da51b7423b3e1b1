"""Building a text together with its offset map into a source text.

A :class:`MappedBuilder` appends characters that are either *copied* from the
source (each maps to its own source index) or *inserted* (each maps to a source
range, e.g. the decoded ``"&"`` of ``"&amp;"`` maps to the five characters of the
entity, a joining space to the newline it replaces). For every built character
``i`` the builder keeps ``starts[i]`` (first source index) and ``ends[i]`` (one
past the last source index); a span ``[s, e)`` of the built text then maps to
``[starts[s], ends[e - 1])`` of the source.
"""

from __future__ import annotations

from array import array

import numpy as np


class MappedBuilder:
    """Accumulate text pieces and their source ranges.

    Pieces are kept as segments ``(a, b, n, copied)``; the per-character arrays
    are built once, vectorised, by :meth:`arrays`.
    """

    __slots__ = ("parts", "segs", "length")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.segs: list[tuple[int, int, int, bool]] = []
        self.length = 0

    def copy(self, src: str, a: int, b: int) -> None:
        """Append ``src[a:b]``, each character mapped to its own index."""
        if a >= b:
            return
        self.parts.append(src[a:b])
        self.segs.append((a, b, b - a, True))
        self.length += b - a

    def put(self, text: str, a: int, b: int) -> None:
        """Append ``text`` (not copied), every character mapped to source ``[a, b)``."""
        if not text:
            return
        self.parts.append(text)
        self.segs.append((a, b, len(text), False))
        self.length += len(text)

    def last(self) -> str:
        """The last character appended, ``""`` when empty."""
        for part in reversed(self.parts):
            if part:
                return part[-1]
        return ""

    def tail(self, n: int) -> str:
        """Up to the last ``n`` characters appended."""
        out = ""
        for part in reversed(self.parts):
            out = part + out
            if len(out) >= n:
                break
        return out[-n:]

    def pop(self) -> str:
        """Remove and return the last character (``""`` when empty)."""
        while self.parts and not self.parts[-1]:
            self.parts.pop()
            self.segs.pop()
        if not self.parts:
            return ""
        part = self.parts[-1]
        a, b, n, copied = self.segs[-1]
        self.parts[-1] = part[:-1]
        self.segs[-1] = (a, b - 1 if copied else b, n - 1, copied)
        self.length -= 1
        return part[-1]

    def text(self) -> str:
        """The built text."""
        return "".join(self.parts)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Per-character ``(starts, ends)`` source indices (``int64`` arrays)."""
        if not self.segs:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        seg = np.array(self.segs, dtype=np.int64)
        a, b, n, copied = seg[:, 0], seg[:, 1], seg[:, 2], seg[:, 3].astype(bool)
        idx = np.repeat(np.arange(len(seg)), n)
        within = np.arange(int(n.sum()), dtype=np.int64) - np.repeat(np.cumsum(n) - n, n)
        is_copy = copied[idx]
        starts = a[idx] + np.where(is_copy, within, 0)
        ends = np.where(is_copy, starts + 1, b[idx])
        return starts, ends


def compose(
    base: tuple[np.ndarray, np.ndarray] | None, own: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Map ``own`` (starts, ends into a base text) through the base's map to the original.

    ``base`` is ``None`` when the base text *is* the original. Ends are exclusive,
    so the original end of a character whose base end is ``j`` is ``base_ends[j - 1]``.
    """
    if base is None:
        return own
    base_starts, base_ends = base
    starts, ends = own
    if len(starts) == 0:
        return starts, ends
    return base_starts[starts], base_ends[ends - 1]


def to_array(values: np.ndarray) -> array:
    """A compact ``array('q')`` (its items are plain ``int``) from an integer ndarray."""
    out = array("q")
    out.frombytes(np.ascontiguousarray(values, dtype=np.int64).tobytes())
    return out
