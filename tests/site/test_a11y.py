"""Accessibility: axe-core (bundled by axe-playwright-python) on every built page.

Each page is checked with all of axe's rules in the light scheme, and with its colour
rules again in the dark scheme. A serious or critical violation fails; axe's minor and
moderate findings are left to judgement.
"""

from __future__ import annotations

import pytest
from browsing import describe, serious

pytestmark = [pytest.mark.site, pytest.mark.browser]


def test_no_serious_accessibility_violation(visits):
    """axe-core finds no serious or critical violation on any page (light scheme)."""
    failures = {path: serious(v.axe) for path, v in visits.items() if serious(v.axe)}
    report = "\n".join(f"{path}:\n{describe(vs)}" for path, vs in failures.items())
    assert not failures, f"axe-core violations on {len(failures)} pages:\n{report}"


def test_no_serious_colour_violation_in_dark_scheme(visits):
    """In the dark scheme too, text and links keep enough contrast (axe's colour rules)."""
    checked = [path for path, v in visits.items() if v.axe_dark is not None]
    assert checked, "no page offers a dark scheme: the palette toggle is gone?"
    failures = {path: serious(v.axe_dark) for path, v in visits.items()
                if v.axe_dark and serious(v.axe_dark)}
    report = "\n".join(f"{path}:\n{describe(vs)}" for path, vs in failures.items())
    assert not failures, f"axe-core colour violations (dark) on {len(failures)} pages:\n{report}"
