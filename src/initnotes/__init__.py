"""initnotes: neural-network weight initialization, taught with code."""

__version__ = "0.1.0"
