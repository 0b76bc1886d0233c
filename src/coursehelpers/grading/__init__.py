"""Exercices notés : vérifications en direct, génération des versions élèves, correction en lot.

- :func:`check` / :func:`progress` : vérification immédiate dans le notebook (« Juste », « Presque »,
  « À revoir » + indice), avec la règle unique de :mod:`~coursehelpers.grading.rule` ;
- :mod:`~coursehelpers.grading.authoring` : écrire un cahier d'exercices en Python ;
- :mod:`~coursehelpers.grading.build` : ``coursehelpers build-exercises`` (solutions → exercices) ;
- :mod:`~coursehelpers.grading.autograde` : ``coursehelpers grade`` (correction en lot → notes CSV) ;
- :mod:`~coursehelpers.grading.quiz` : QCM et réponses courtes (ipywidgets chargé à la demande).

``import coursehelpers.grading`` ne charge ni pandas, ni matplotlib, ni ipywidgets.
"""

from __future__ import annotations

from coursehelpers.grading.checks import CheckFailed, check, load_checks, progress, reset_progress, secours

__all__ = ["CheckFailed", "check", "load_checks", "progress", "reset_progress", "secours"]
