"""Pytest fixtures (graph_fixtures)."""
