"""Shared fixtures."""

from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
