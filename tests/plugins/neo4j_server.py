"""Pytest fixtures (neo4j_server)."""
