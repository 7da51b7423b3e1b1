"""The read-only Cypher console: the tokenizer-based checker, and both guards on a real Neo4j."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from actorgraph.queries.console import (
    ConsoleRefused,
    check_read_only,
    run_read_query,
    tokenize,
)

WRITES = {
    "create": "CREATE (n:ConsoleProbe {tag: $tag, extra: true})",
    "merge": "MERGE (n:ConsoleProbe {tag: $tag, extra: true})",
    "delete": "MATCH (n:ConsoleProbe {tag: $tag}) DELETE n",
    "detach delete": "MATCH (n:ConsoleProbe {tag: $tag}) DETACH DELETE n",
    "set": "MATCH (n:ConsoleProbe {tag: $tag}) SET n.name = 'changed'",
    "set label": "MATCH (n:ConsoleProbe {tag: $tag}) SET n:Changed",
    "remove": "MATCH (n:ConsoleProbe {tag: $tag}) REMOVE n.name",
    "drop": "DROP INDEX console_probe_index IF EXISTS",
    "load csv": "LOAD CSV FROM 'file:///etc/passwd' AS row CREATE (:ConsoleProbe {tag: row[0]})",
    "foreach": "MATCH (n:ConsoleProbe {tag: $tag}) FOREACH (x IN [1] | SET n.name = 'x')",
    "in transactions": (
        "MATCH (n:ConsoleProbe {tag: $tag}) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS"
    ),
    "lower case": "match (n:ConsoleProbe {tag: $tag}) detach delete n",
    "after comment": "MATCH (n:ConsoleProbe {tag: $tag}) /* read */ // only\nDELETE n",
    "second statement": "MATCH (n) RETURN count(n); MATCH (n:ConsoleProbe {tag: $tag}) DELETE n",
    "admin procedure": "CALL dbms.security.createUser('intruder', 'password123', false)",
    "apoc write procedure": "CALL apoc.create.node(['ConsoleProbe'], {tag: $tag})",
    "apoc cypher function": (
        "RETURN apoc.cypher.runFirstColumnSingle('MATCH (n) DETACH DELETE n', {}) AS x"
    ),
    "periodic": "CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DELETE n', {})",
    "schema procedure": "CALL db.createLabel('Intruder')",
    "create user": "CREATE USER intruder SET PASSWORD 'password123'",
    "alter user": "ALTER USER neo4j SET PASSWORD 'password123'",
    "grant": "GRANT ROLE admin TO intruder",
    "show users": "SHOW USERS",
    "use system": "USE system MATCH (n) RETURN n",
    "stop database": "STOP DATABASE neo4j",
}

READS = [
    "MATCH (n:ConsoleProbe {tag: $tag}) RETURN n.name AS name",
    # Write words inside strings, comments, property keys, labels and map keys are not clauses.
    "MATCH (n:ConsoleProbe {tag: $tag}) WHERE n.name <> 'CREATE (x) DELETE y' "
    "RETURN n.name AS name, {set: 1, merge: 2} AS m // DELETE n",
    "MATCH (n:ConsoleProbe {tag: $tag}) /* SET n.x = 1 */ RETURN n.`delete` AS d, n.name AS name",
    "CALL db.labels() YIELD label RETURN label",
    "MATCH (tx:ConsoleProbe {tag: $tag}) RETURN tx.name AS name;",
]


@pytest.mark.parametrize("name", sorted(WRITES))
def test_checker_refuses_writes_and_admin(name: str) -> None:
    with pytest.raises(ConsoleRefused) as err:
        check_read_only(WRITES[name])
    message = str(err.value)
    assert message.startswith("refused:") and "\n" not in message
    assert "line" in message  # says where


@pytest.mark.parametrize("query", READS)
def test_checker_lets_reads_through(query: str) -> None:
    assert check_read_only(query)


def test_tokenizer_keeps_strings_and_comments_whole() -> None:
    tokens = tokenize("MATCH (n) // CREATE\nWHERE n.x = \"a 'SET' b\" /* DELETE */ RETURN n")
    words = [t.upper for t in tokens if t.kind == "word"]
    assert "CREATE" not in words and "DELETE" not in words and "SET" not in words
    strings = [t.text for t in tokens if t.kind == "string"]
    assert strings == ["\"a 'SET' b\""]
    where = next(t for t in tokens if t.upper == "WHERE")
    assert (where.line, where.column) == (2, 1)


@pytest.mark.parametrize("query", ["RETURN 'open", "MATCH (n) /* open", "", "   // only"])
def test_checker_refuses_broken_or_empty_text(query: str) -> None:
    with pytest.raises(ConsoleRefused):
        check_read_only(query)


# --------------------------------------------------------------------------- real Neo4j


@pytest.fixture
def probe(neo4j_server) -> Iterator[tuple[object, str]]:
    """A driver on the test server and two probe nodes (removed afterwards)."""
    import neo4j

    auth = (neo4j_server.user, neo4j_server.password) if neo4j_server.password else None
    driver = neo4j.GraphDatabase.driver(neo4j_server.uri, auth=auth)
    tag = uuid.uuid4().hex
    db = neo4j_server.database
    driver.execute_query(
        "UNWIND ['alpha', 'beta'] AS name CREATE (:ConsoleProbe {tag: $tag, name: name})",
        {"tag": tag},
        database_=db,
    )
    try:
        yield driver, tag
    finally:
        driver.execute_query(
            "MATCH (n:ConsoleProbe {tag: $tag}) DETACH DELETE n", {"tag": tag}, database_=db
        )
        driver.close()


def _probe_state(driver, tag: str) -> list[tuple]:
    records, _, _ = driver.execute_query(
        "MATCH (n:ConsoleProbe) WHERE n.tag = $tag OR n.tag IS NULL "
        "RETURN n.name AS name, labels(n) AS labels, keys(n) AS keys ORDER BY name",
        {"tag": tag},
    )
    return [(r["name"], sorted(r["labels"]), sorted(r["keys"])) for r in records]


@pytest.mark.neo4j
def test_read_query_runs_on_neo4j(probe, neo4j_server) -> None:
    driver, tag = probe
    result = run_read_query(driver, READS[0], {"tag": tag}, database=neo4j_server.database)
    assert result.columns == ["name"]
    assert sorted(r["name"] for r in result.rows) == ["alpha", "beta"]
    assert not result.truncated
    nodes = run_read_query(
        driver, "MATCH (n:ConsoleProbe {tag: $tag}) RETURN n ORDER BY n.name LIMIT 1",
        {"tag": tag}, database=neo4j_server.database,
    )
    assert nodes.rows[0]["n"]["labels"] == ["ConsoleProbe"]
    assert nodes.rows[0]["n"]["name"] == "alpha"
    cut = run_read_query(
        driver, READS[0], {"tag": tag}, database=neo4j_server.database, limit=1
    )
    assert len(cut.rows) == 1 and cut.truncated


@pytest.mark.neo4j
@pytest.mark.parametrize(
    "name", ["create", "merge", "delete", "detach delete", "set", "remove", "drop", "load csv",
             "admin procedure", "apoc write procedure", "create user"]
)
def test_console_refuses_writes_on_neo4j(probe, neo4j_server, name: str) -> None:
    driver, tag = probe
    before = _probe_state(driver, tag)
    with pytest.raises(ConsoleRefused):
        run_read_query(driver, WRITES[name], {"tag": tag}, database=neo4j_server.database)
    assert _probe_state(driver, tag) == before


@pytest.mark.neo4j
@pytest.mark.parametrize("name", ["create", "delete", "set", "merge"])
def test_read_access_mode_is_the_second_guard(probe, neo4j_server, name, monkeypatch) -> None:
    """With the checker switched off, the server itself refuses the write (READ access mode)."""
    from actorgraph.queries import console

    driver, tag = probe
    before = _probe_state(driver, tag)
    monkeypatch.setattr(console, "check_read_only", lambda query: [])
    with pytest.raises(ConsoleRefused) as err:
        console.run_read_query(driver, WRITES[name], {"tag": tag}, database=neo4j_server.database)
    assert "the database refused the query" in str(err.value)
    assert _probe_state(driver, tag) == before


@pytest.mark.neo4j
def test_server_errors_come_back_as_one_line(probe, neo4j_server) -> None:
    driver, _ = probe
    with pytest.raises(ConsoleRefused) as err:
        run_read_query(driver, "MATCH (n RETURN n", database=neo4j_server.database)
    assert "\n" not in str(err.value)
