"""A read-only Cypher console: check a query, then run it in a READ transaction.

Two independent guards stand between a user's text and the database:

1. :func:`check_read_only` tokenizes the query (string literals, backticked
   names and comments are skipped, so ``WHERE n.name = 'CREATE'`` is fine) and
   refuses write clauses (``CREATE``, ``MERGE``, ``DELETE``, ``DETACH DELETE``,
   ``SET``, ``REMOVE``, ``DROP``, ``LOAD CSV``, ``FOREACH``, ``CALL { } IN
   TRANSACTIONS``), administration commands (``ALTER``, ``GRANT``, ``SHOW
   USERS``, ``USE system``, ...), more than one statement, and any procedure not
   on a short list of known read-only ones (``db.labels``, ``db.schema.*``,
   ``apoc.meta.*``, ...). Functions from APOC families that run or write Cypher
   (``apoc.cypher.*``, ``apoc.create.*``, ...) are refused wherever they appear.
2. :func:`run_read_query` runs what passed in a managed transaction opened with
   the driver's READ access mode, so the server itself rejects any write that
   slipped through the first guard.

Both raise :class:`ConsoleRefused` with a one-line reason naming the offending
word and where it is (line and column).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

#: Clause keywords that write to the graph or the schema.
WRITE_KEYWORDS: frozenset[str] = frozenset(
    {"CREATE", "MERGE", "DELETE", "SET", "REMOVE", "DROP", "FOREACH", "DETACH", "NODETACH"}
)

#: Administration and server commands (Cypher's administration language).
ADMIN_KEYWORDS: frozenset[str] = frozenset(
    {
        "ALTER",
        "GRANT",
        "DENY",
        "REVOKE",
        "RENAME",
        "START",
        "STOP",
        "TERMINATE",
        "ENABLE",
        "DEALLOCATE",
        "REALLOCATE",
        "USE",
        "IMPERSONATE",
    }
)

#: First words after SHOW that only describe the current database's schema and catalogue.
ALLOWED_SHOW: frozenset[str] = frozenset(
    {
        "INDEX",
        "INDEXES",
        "CONSTRAINT",
        "CONSTRAINTS",
        "FUNCTION",
        "FUNCTIONS",
        "PROCEDURE",
        "PROCEDURES",
        "RANGE",
        "TEXT",
        "POINT",
        "LOOKUP",
        "FULLTEXT",
        "VECTOR",
        "BUILT",
        "UNIQUE",
        "KEY",
        "EXIST",
        "EXISTENCE",
        "NODE",
        "RELATIONSHIP",
        "PROPERTY",
        "REL",
    }
)

#: Procedures a user may CALL: exact names (lower case).
READ_PROCEDURES: frozenset[str] = frozenset(
    {
        "db.labels",
        "db.relationshiptypes",
        "db.propertykeys",
        "db.info",
        "db.ping",
        "db.schema.visualization",
        "db.schema.nodetypeproperties",
        "db.schema.reltypeproperties",
        "dbms.components",
        "apoc.help",
        "apoc.version",
        "gds.version",
        "db.index.fulltext.querynodes",
        "db.index.fulltext.queryrelationships",
    }
)

#: Procedure families a user may CALL (prefixes, lower case).
READ_PROCEDURE_PREFIXES: tuple[str, ...] = ("apoc.meta.", "apoc.path.", "apoc.neighbors.")

#: Procedure or function families that run arbitrary Cypher, write, or touch files.
FORBIDDEN_PREFIXES: tuple[str, ...] = (
    "apoc.cypher.",
    "apoc.periodic.",
    "apoc.create.",
    "apoc.merge.",
    "apoc.refactor.",
    "apoc.load.",
    "apoc.export.",
    "apoc.import.",
    "apoc.trigger.",
    "apoc.do.",
    "apoc.atomic.",
    "apoc.lock.",
    "apoc.schema.",
    "apoc.nodes.delete",
    "apoc.nodes.link",
    "apoc.systemdb.",
    "apoc.util.sleep",
    "apoc.log.",
    "apoc.custom.",
    "apoc.uuid.",
    "apoc.ttl.",
    "dbms.",
    "db.create",
    "db.index.fulltext.create",
    "db.index.fulltext.drop",
    "db.clearquerycaches",
    "db.checkpoint",
    "db.awaitindex",
    "db.resampleindex",
    "tx.",
    "gds.",
)


class ConsoleRefused(ValueError):
    """A query the console will not run; ``str(err)`` is one line with the reason."""


@dataclass(frozen=True)
class Token:
    """A word or punctuation mark of a Cypher query, with where it starts."""

    text: str
    kind: str  # "word", "punct", "string", "name" (backticked), "param", "number"
    line: int
    column: int

    @property
    def upper(self) -> str:
        """The token in upper case (keywords are case-insensitive)."""
        return self.text.upper()


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"\d+(\.\d+)?([eE][+-]?\d+)?")


def tokenize(query: str) -> list[Token]:
    """Split ``query`` into tokens, skipping comments and whitespace.

    String literals and backticked names become single tokens, so words inside
    them are never read as keywords.

    >>> [t.text for t in tokenize("MATCH (n) // CREATE\\nRETURN 'SET' AS s")]
    ['MATCH', '(', 'n', ')', 'RETURN', "'SET'", 'AS', 's']

    Raises :class:`ConsoleRefused` on an unterminated string, name or comment.
    """
    tokens: list[Token] = []
    i, n = 0, len(query)
    line, line_start = 1, 0

    def where(pos: int) -> tuple[int, int]:
        return line, pos - line_start + 1

    while i < n:
        ch = query[i]
        if ch == "\n":
            line, line_start = line + 1, i + 1
            i += 1
        elif ch.isspace():
            i += 1
        elif query.startswith("//", i):
            end = query.find("\n", i)
            i = n if end < 0 else end
        elif query.startswith("/*", i):
            end = query.find("*/", i + 2)
            if end < 0:
                ln, col = where(i)
                raise ConsoleRefused(f"unterminated /* comment at line {ln}, column {col}")
            for j in range(i, end):
                if query[j] == "\n":
                    line, line_start = line + 1, j + 1
            i = end + 2
        elif ch in "'\"`":
            ln, col = where(i)
            j = i + 1
            while j < n:
                if query[j] == "\\" and ch != "`":
                    j += 2
                    continue
                if query[j] == ch:
                    if ch == "`" and j + 1 < n and query[j + 1] == "`":  # escaped backtick
                        j += 2
                        continue
                    break
                if query[j] == "\n":
                    line, line_start = line + 1, j + 1
                j += 1
            if j >= n:
                what = "name" if ch == "`" else "string"
                raise ConsoleRefused(f"unterminated {what} at line {ln}, column {col}")
            kind = "name" if ch == "`" else "string"
            tokens.append(Token(query[i : j + 1], kind, ln, col))
            i = j + 1
        elif ch == "$":
            m = _WORD.match(query, i + 1)
            end = m.end() if m else i + 1
            tokens.append(Token(query[i:end], "param", *where(i)))
            i = end
        elif (m := _WORD.match(query, i)) is not None:
            tokens.append(Token(m.group(), "word", *where(i)))
            i = m.end()
        elif (m := _NUMBER.match(query, i)) is not None:
            tokens.append(Token(m.group(), "number", *where(i)))
            i = m.end()
        else:
            tokens.append(Token(ch, "punct", *where(i)))
            i += 1
    return tokens


def _at(tok: Token) -> str:
    return f"at line {tok.line}, column {tok.column}"


def _dotted_name(tokens: list[Token], i: int) -> tuple[str, int]:
    """Read ``a.b.c`` starting at ``tokens[i]``; return the name and the next index."""
    parts = [tokens[i].text.strip("`")]
    j = i + 1
    while j + 1 < len(tokens) and tokens[j].text == "." and tokens[j + 1].kind in ("word", "name"):
        parts.append(tokens[j + 1].text.strip("`"))
        j += 2
    return ".".join(parts), j


def _procedure_allowed(name: str) -> bool:
    low = name.lower()
    return low in READ_PROCEDURES or low.startswith(READ_PROCEDURE_PREFIXES)


def check_read_only(query: str) -> list[Token]:
    """Refuse ``query`` unless it only reads; return its tokens when it passes.

    >>> len(check_read_only("MATCH (n:Person) WHERE n.name CONTAINS 'set' RETURN n LIMIT 5")) > 0
    True
    >>> try:
    ...     check_read_only("MATCH (n) DETACH DELETE n")
    ... except ConsoleRefused as err:
    ...     print(err)
    refused: DETACH DELETE writes to the database (at line 1, column 11)
    """
    tokens = tokenize(query)
    if not tokens:
        raise ConsoleRefused("refused: the query is empty")
    for i, tok in enumerate(tokens):
        prev = tokens[i - 1] if i else None
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if tok.kind == "punct" and tok.text == ";":
            if any(t.text != ";" for t in tokens[i + 1 :]):
                raise ConsoleRefused(f"refused: only one statement at a time ({_at(tok)})")
            continue
        if tok.kind != "word":
            continue
        # Property keys (n.set), labels and types (:Create), map keys ({set: 1}) are names.
        if prev is not None and prev.text in (".", ":"):
            continue
        if nxt is not None and nxt.text == ":" and prev is not None and prev.text in ("{", ","):
            continue
        word = tok.upper
        if nxt is not None and nxt.text == ".":
            # A dotted name called as a function, e.g. apoc.cypher.runFirstColumnSingle(...).
            name, j = _dotted_name(tokens, i)
            called = j < len(tokens) and tokens[j].text == "("
            low = name.lower()
            if called and low.startswith(FORBIDDEN_PREFIXES) and not _procedure_allowed(name):
                raise ConsoleRefused(f"refused: {name} can write or run other queries ({_at(tok)})")
            continue
        if word in WRITE_KEYWORDS:
            if word.endswith("DETACH") and nxt is not None and nxt.upper == "DELETE":
                word = f"{word} DELETE"
            raise ConsoleRefused(f"refused: {word} writes to the database ({_at(tok)})")
        if word == "LOAD" and nxt is not None and nxt.upper == "CSV":
            raise ConsoleRefused(f"refused: LOAD CSV reads files into the database ({_at(tok)})")
        if word == "PERIODIC" and nxt is not None and nxt.upper == "COMMIT":
            raise ConsoleRefused(f"refused: PERIODIC COMMIT is a write form ({_at(tok)})")
        if word == "IN" and nxt is not None and nxt.upper in ("TRANSACTIONS", "CONCURRENT"):
            raise ConsoleRefused(
                f"refused: CALL {{ }} IN TRANSACTIONS is a write form ({_at(tok)})"
            )
        if word in ADMIN_KEYWORDS and (
            i == 0 or word in ("USE", "ALTER", "GRANT", "DENY", "REVOKE", "RENAME", "TERMINATE")
        ):
            raise ConsoleRefused(f"refused: {word} is an administration command ({_at(tok)})")
        if word == "SHOW":
            rest = [t.upper for t in tokens[i + 1 : i + 2] if t.kind == "word"]
            if not rest or rest[0] not in ALLOWED_SHOW:
                what = " ".join(["SHOW", *rest])
                raise ConsoleRefused(f"refused: {what} is an administration command ({_at(tok)})")
        if word == "CALL" and nxt is not None and nxt.kind in ("word", "name"):
            name, _ = _dotted_name(tokens, i + 1)
            if not _procedure_allowed(name):
                raise ConsoleRefused(
                    f"refused: procedure {name} is not on the console's read-only list ({_at(tok)})"
                )
    return tokens


@dataclass
class ConsoleResult:
    """What a console query returned: column names, plain rows, and whether it was cut."""

    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    truncated: bool = False


def plain_value(value: Any) -> Any:
    """Turn driver values (nodes, relationships, paths) into JSON-like Python values."""
    # Imported here so that the checker works without the driver installed.
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        props = {k: v for k, v in dict(value).items() if k != "evidence"}
        return {"labels": sorted(value.labels), **props}
    if isinstance(value, Relationship):
        props = {k: v for k, v in dict(value).items() if k != "evidence"}
        start = value.start_node.get("id") if value.start_node is not None else None
        end = value.end_node.get("id") if value.end_node is not None else None
        return {"type": value.type, "source": start, "target": end, **props}
    if isinstance(value, Path):
        return [plain_value(n) for n in value.nodes]
    if isinstance(value, list):
        return [plain_value(v) for v in value]
    if isinstance(value, dict):
        return {k: plain_value(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):  # neo4j.time types
        return value.iso_format()
    return value


def run_read_query(
    driver: Any,
    query: str,
    parameters: dict[str, Any] | None = None,
    *,
    database: str | None = None,
    limit: int = 1000,
    timeout: float = 30.0,
) -> ConsoleResult:
    """Check ``query`` and run it in a READ transaction; return at most ``limit`` rows.

    ``driver`` is a ``neo4j.Driver``. The session is opened with
    ``default_access_mode=READ`` and the work runs through ``execute_read``, so
    the server refuses writes even if the checker missed one. Raises
    :class:`ConsoleRefused` for a refused query, and for a query the server
    refuses (syntax error, write in read mode, timeout), with the server's
    message on one line.
    """
    import neo4j
    from neo4j.exceptions import Neo4jError

    check_read_only(query)

    @neo4j.unit_of_work(timeout=timeout)
    def work(tx: Any) -> ConsoleResult:
        result = tx.run(query, parameters or {})
        columns = list(result.keys())
        rows: list[dict[str, Any]] = []
        truncated = False
        for record in result:
            if len(rows) >= limit:
                truncated = True
                break
            rows.append({k: plain_value(record[k]) for k in columns})
        result.consume()
        return ConsoleResult(columns, rows, truncated)

    kwargs: dict[str, Any] = {"default_access_mode": neo4j.READ_ACCESS}
    if database:
        kwargs["database"] = database
    try:
        with driver.session(**kwargs) as session:
            return session.execute_read(work)
    except Neo4jError as err:
        message = " ".join(str(err.message or err).split())
        raise ConsoleRefused(f"the database refused the query: {err.code}: {message}") from err


#: Saved read-only queries for the three questions (Neo4j form of docs/architecture.md).
SAVED_QUERIES: dict[str, str] = {
    "Boundary spanners: people tied to organisations in more than one sector": (
        "MATCH (p:Person)-[:HOLDS|MEMBER_OF|LEADS|PART_OF|IN*1..2]->(o:Organisation)\n"
        "WITH p, collect(DISTINCT o.sector) AS sectors, collect(DISTINCT o.name) AS organisations\n"
        "WHERE size(sectors) > 1\n"
        "RETURN p.name AS person, sectors, organisations\n"
        "ORDER BY size(sectors) DESC, size(organisations) DESC, person\n"
        "LIMIT 50"
    ),
    "Role transfers: earlier role to later role of the same person": (
        "MATCH (p:Person)-[:HOLDS]->(r1:Role)-[t:TRANSITIONED_TO]->(r2:Role)\n"
        "OPTIONAL MATCH (r1)-[:IN]->(o1)\n"
        "OPTIONAL MATCH (r2)-[:IN]->(o2)\n"
        "RETURN p.name AS person, r1.name AS earlier_role, o1.name AS earlier_in,\n"
        "       r2.name AS later_role, o2.name AS later_in, t.removed AS removed,\n"
        "       t.evidence[0] AS evidence\n"
        "ORDER BY person\n"
        "LIMIT 100"
    ),
    "Initiative spread: from where to where, and how": (
        "MATCH (a)-[s:SPREAD_TO]->(b)\n"
        "OPTIONAL MATCH (i:Initiative {id: s.initiative})\n"
        "RETURN coalesce(i.name, s.initiative) AS initiative, a.name AS from, b.name AS to,\n"
        "       s.mode AS mode, s.evidence[0] AS evidence\n"
        "ORDER BY initiative, from, to\n"
        "LIMIT 100"
    ),
    "Initiatives by site and status": (
        "MATCH (x)-[r:IMPLEMENTS]->(i:Initiative)\n"
        "RETURN i.name AS initiative, r.status AS status,\n"
        "       collect(DISTINCT x.name) AS implementers\n"
        "ORDER BY initiative, status"
    ),
    "Counts by label": (
        "MATCH (n) UNWIND labels(n) AS label\n"
        "RETURN label, count(*) AS nodes ORDER BY nodes DESC"
    ),
}
