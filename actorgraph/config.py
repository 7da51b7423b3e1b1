"""Configuration: packaged defaults merged with a user TOML file."""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


@lru_cache(maxsize=8)
def load_config(path: str | None = None) -> dict[str, Any]:
    """Return the configuration: defaults, then ``path`` or ``$ACTORGRAPH_CONFIG`` over them.

    Raises ``ValueError`` naming the file and line when the user file is not valid TOML.
    """
    text = resources.files("actorgraph").joinpath("default_config.toml").read_text("utf-8")
    config = tomllib.loads(text)
    user = path or os.environ.get("ACTORGRAPH_CONFIG")
    if user:
        try:
            config = _merge(config, tomllib.loads(Path(user).read_text("utf-8")))
        except tomllib.TOMLDecodeError as err:
            raise ValueError(f"{user}: invalid config: {err}") from err
    return config


def section(name: str, path: str | None = None) -> dict[str, Any]:
    """Return one section of the configuration (empty when absent)."""
    return dict(load_config(path).get(name, {}))
