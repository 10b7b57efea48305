"""Safeguard: the multi-agency response to child sexual exploitation."""

__version__ = "0.1.0"
