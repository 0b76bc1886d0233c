"""Figures des indicateurs de fidélisation et de valeur client (CLV)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from coursehelpers._plot_style import (
    PALETTE,
    euro_formatter,
    new_axes,
    percent_formatter,
    style_axes,
)
from coursehelpers._validate import numeric_column, require_columns, require_frame
from coursehelpers.display import eur, pct
from coursehelpers.errors import DataError


def clv_curve(table: pd.DataFrame, *, acquisition_cost: float = 0.0, ax: Axes | None = None) -> Figure:
    """CLV cumulée année après année face au coût d'acquisition (seuil de rentabilité).

    Paramètres
    ----------
    table : DataFrame avec les colonnes ``annee`` et ``clv_cumulee`` (en €)
        par exemple la sortie de ``widgets.clv_by_year``.
    acquisition_cost : coût d'acquisition d'un client (€), tracé en pointillés.

    La première année où ``clv_cumulee ≥ acquisition_cost`` est marquée : c'est le seuil
    de rentabilité du client.

    Exemple
    -------
    >>> t = pd.DataFrame({"annee": [1, 2, 3], "clv_cumulee": [100.0, 170.0, 219.0]})
    >>> clv_curve(t, acquisition_cost=150).axes[0].get_xlabel()
    'Années de relation'
    """
    df = require_frame(table, name="table CLV")
    require_columns(df, ["annee", "clv_cumulee"], name="table CLV")
    years = numeric_column(df, "annee", name="table CLV").to_numpy()
    clv = numeric_column(df, "clv_cumulee", name="table CLV").to_numpy()
    fig, ax = new_axes(ax)
    ax.plot(years, clv, marker="o", color=PALETTE[0], label="CLV cumulée (marges actualisées)")
    ax.axhline(acquisition_cost, color=PALETTE[3], linestyle="--",
               label=f"Coût d'acquisition ({eur(acquisition_cost)})")
    above = np.flatnonzero(clv >= acquisition_cost)
    if acquisition_cost > 0 and above.size:
        k = above[0]
        ax.annotate(f"rentable en année {years[k]:.0f}", (years[k], clv[k]), xytext=(12, -22),
                    textcoords="offset points", arrowprops={"arrowstyle": "->"}, fontsize=9)
    ax.yaxis.set_major_formatter(euro_formatter())
    ax.set_xticks(years if len(years) <= 20 else years[:: max(1, len(years) // 10)])
    ax.set_ylim(bottom=0)
    ax.legend(loc="lower right", frameon=False, fontsize=9)
    style_axes(ax, title="Valeur vie client cumulée et seuil de rentabilité",
               xlabel="Années de relation", ylabel="Montant (€)")
    return fig


def clv_sensitivity(*, margin: float, discount_rate: float = 0.08, horizon: int = 10,
                    acquisition_cost: float = 0.0, retention: float | None = None,
                    ax: Axes | None = None) -> Figure:
    """Sensibilité de la CLV au taux de fidélisation r (toutes choses égales par ailleurs).

    ``CLV(r) = Σ_{t=1..T} m × r^(t−1) / (1 + d)^(t−1)`` pour r de 0 à 95 % ; la droite en
    pointillés est le coût d'acquisition, le point marque le taux ``retention`` actuel.
    La courbe montre qu'un petit gain de fidélisation vaut beaucoup quand r est déjà élevé.

    Exemple
    -------
    >>> fig = clv_sensitivity(margin=100, discount_rate=0.1, horizon=5, retention=0.7)
    >>> fig.axes[0].get_xlabel()
    'Taux de fidélisation annuel'
    """
    for name, value in (("margin", margin), ("discount_rate", discount_rate),
                        ("acquisition_cost", acquisition_cost)):
        if not isinstance(value, int | float) or isinstance(value, bool) or not np.isfinite(value):
            raise DataError(f"« {name} » doit être un nombre (reçu : {value!r}).")
    if discount_rate <= -1:
        raise DataError(f"« discount_rate » doit être supérieur à −100 % (reçu : {discount_rate!r}).")
    if isinstance(horizon, bool) or not isinstance(horizon, int) or horizon < 1:
        raise DataError(f"« horizon » doit être un entier ≥ 1 (reçu : {horizon!r}).")
    if retention is not None and not 0 <= retention <= 1:
        raise DataError(f"« retention » doit être une proportion entre 0 et 1 (reçu : {retention!r}).")
    rates = np.linspace(0.0, 0.95, 96)
    powers = np.arange(horizon)
    clv = margin * ((rates[:, None] / (1 + discount_rate)) ** powers[None, :]).sum(axis=1)
    fig, ax = new_axes(ax)
    ax.plot(rates, clv, color=PALETTE[0], label=f"CLV sur {horizon} ans (marge {eur(margin)}/an)")
    if acquisition_cost:
        ax.axhline(acquisition_cost, color=PALETTE[3], linestyle="--",
                   label=f"Coût d'acquisition ({eur(acquisition_cost)})")
    if retention is not None:
        value = margin * ((retention / (1 + discount_rate)) ** powers).sum()
        ax.plot([retention], [value], "o", color=PALETTE[1], markersize=8,
                label=f"Situation actuelle : {pct(retention, 0)} → {eur(value)}")
    ax.xaxis.set_major_formatter(percent_formatter())
    ax.yaxis.set_major_formatter(euro_formatter())
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", frameon=False, fontsize=9)
    style_axes(ax, title="Sensibilité de la CLV au taux de fidélisation",
               xlabel="Taux de fidélisation annuel", ylabel="CLV par client (€)", grid="both")
    return fig
