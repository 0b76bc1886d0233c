"""Publier le cours : site web statique, polycopiés PDF et mode présentation.

Trois modules, un concept chacun :

- :mod:`coursehelpers.publishing.site` : ``build_site(out)`` construit le site web du cours
  (Sphinx + myst-nb) à partir des sorties **enregistrées** des chapitres, sans rien ré-exécuter ;
- :mod:`coursehelpers.publishing.handouts` : ``build_handouts(out)`` imprime ce site en PDF A4
  (un polycopié par chapitre et un pour tout le cours) avec le chromium du système ;
- :mod:`coursehelpers.publishing.presenter` : ``presenter_notebook(chapitre)`` et ``serve(...)``,
  les explorateurs d'un chapitre sur une page sans code, en gros caractères, servie par Voilà.

Les dépendances lourdes (Sphinx, myst-nb, playwright, pypdf, Voilà : extra ``[site]``) ne sont
importées qu'à l'intérieur des fonctions : ``import coursehelpers.publishing`` reste léger.
"""

from __future__ import annotations

import importlib
from typing import Any

_SUBMODULES = frozenset({"catalog", "site", "handouts", "presenter"})

__all__ = sorted(_SUBMODULES)


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'coursehelpers.publishing' has no attribute {name!r}")
