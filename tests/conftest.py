"""Réglages communs des tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from repo import ROOT

# Les figures ne s'ouvrent jamais dans une fenêtre pendant les tests.
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(scope="session")
def root() -> Path:
    """Racine du dépôt (dossier qui contient chapters/, solutions/, datasets/)."""
    return ROOT
