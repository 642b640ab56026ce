"""What every feature of the build shares: the log, and how a feature gets its options.

A feature is a `mkdocs.plugins.BasePlugin` with a typed `mkdocs.config.base.Config`
(as Material writes its plugins): its options have defaults, its state lives on the
instance, and it has one ``on_*`` method per MkDocs event it takes part in.
"""

from __future__ import annotations

import logging
from typing import Any, TypeVar

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

#: The build's one log (every message starts with "initnotes: ").
log = logging.getLogger("mkdocs.plugins.initnotes")

F = TypeVar("F", bound=BasePlugin)


def configure(feature: F, **options: Any) -> F:
    """`feature` with its options loaded and checked (defaults for those not given).

    Raises `PluginError` naming the feature and every bad option.
    """
    errors, warnings = feature.load_config(options)
    name = type(feature).__name__
    for key, warning in warnings:
        log.warning(f"initnotes: {name} option {key!r}: {warning}")
    if errors:
        raise PluginError(f"initnotes: {name} options: "
                          + "; ".join(f"{key!r}: {error}" for key, error in errors))
    return feature
