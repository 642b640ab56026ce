"""Shared fixtures."""

from __future__ import annotations

import os

# One BLAS thread: the matrices here are small (at most a few hundred rows), where
# OpenBLAS's threads cost more than they save, and on a shared 2-core machine they made
# QR and SVD calls 10-100x slower. Must be set before numpy is first imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import matplotlib  # noqa: E402

matplotlib.use("Agg")
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
