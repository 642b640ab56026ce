"""The list of registered figures, for the reference pages."""

from __future__ import annotations

from initnotes import registry
from initnotes.registry import value


@value("figure-catalogue", description="Every registered figure: its name and caption.")
def figure_catalogue() -> str:
    lines = ["| name | caption |", "|---|---|"]
    for spec in registry.figures().values():
        caption = " ".join(spec.caption.split()).replace("|", "\\|")
        lines.append(f"| `{spec.name}` | {caption} |")
    return "\n".join(lines)
