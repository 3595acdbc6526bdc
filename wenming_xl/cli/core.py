"""Core commands: check, rules, demo."""

from __future__ import annotations

COMMANDS: list = []
