"""coursehelpers — la boîte à outils du cours « GRC en notebooks ».

Le paquet reste léger à importer : ni matplotlib ni ipywidgets ne sont chargés
par ``import coursehelpers``. Les modules se chargent à la demande :

>>> import coursehelpers as ch
>>> clients = ch.datasets.load_clients()          # doctest: +SKIP
>>> table = ch.rfm.rfm_table(ch.datasets.load_transactions())  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from coursehelpers.errors import DataError, DataWarning

__version__ = "0.1.0"

# Sous-modules chargés paresseusement (PEP 562) pour garder l'import léger.
_SUBMODULES = frozenset(
    {
        "cli",
        "clv",
        "crm_export",
        "display",
        "datasets",
        "grading",
        "kpis",
        "pareto",
        "prospecting",
        "personal_data",
        "reviews",
        "plots",
        "rfm",
        "segmentation",
        "tiers",
        "widgets",
    }
)

__all__ = ["DataError", "DataWarning", "__version__", *sorted(_SUBMODULES)]


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'coursehelpers' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _SUBMODULES)


if TYPE_CHECKING:  # pragma: no cover - pour les éditeurs : les mêmes noms que _SUBMODULES
    from coursehelpers import (  # noqa: F401
        cli,
        clv,
        crm_export,
        datasets,
        display,
        grading,
        kpis,
        pareto,
        personal_data,
        plots,
        prospecting,
        reviews,
        rfm,
        segmentation,
        tiers,
        widgets,
    )
