"""Shared fixtures live in ``tests/plugins/``, one module per area."""

pytest_plugins = [
    "tests.plugins.corpus",
    "tests.plugins.neo4j_server",
    "tests.plugins.graph_fixtures",
]
