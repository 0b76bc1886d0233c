"""Sous-commandes de correction (à compléter : build-exercises, grade)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Enregistre les sous-commandes de :mod:`coursehelpers.grading`."""
