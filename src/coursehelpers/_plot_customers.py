"""Figures de la valeur des clients : courbe de concentration (Pareto / ABC) et pyramide des clients."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from coursehelpers._plot_style import (
    ABC_COLORS,
    PALETTE,
    TIER_COLORS,
    new_axes,
    percent_formatter,
    style_axes,
)
from coursehelpers._validate import require_columns, require_frame
from coursehelpers.display import pct
from coursehelpers.errors import DataError


def _pareto(values: object, thresholds: tuple[float, float]):
    from coursehelpers import pareto

    if isinstance(values, pareto.ParetoTable):
        return values
    return pareto.pareto_table(values, thresholds=thresholds)


def pareto_curve(values: object, *, thresholds: tuple[float, float] = (0.80, 0.95), share: float = 0.2,
                 ax: Axes | None = None) -> Figure:
    """Courbe de concentration (loi de Pareto) avec le point 20/80 et les zones A, B, C.

    Les clients sont classés du plus gros au plus petit. En abscisse : part cumulée des
    clients (rang / n) ; en ordonnée : part cumulée du chiffre d'affaires
    (Σ des valeurs jusqu'à ce rang / total). La diagonale serait une répartition égale.
    Le point marqué donne la part du CA faite par les ``share`` × 100 % meilleurs clients
    (``pareto.top_share`` : les ⌈share × n⌉ plus grosses valeurs / total).

    Paramètres
    ----------
    values : Series (une valeur par client, ex. CA) ou résultat de ``pareto.pareto_table``
    thresholds : seuils ABC en part cumulée de la valeur (défaut 80 % et 95 %)
    share : part des meilleurs clients à marquer (défaut 0,2, le « 20 » de 20/80)
    ax : axe matplotlib, optionnel

    Exemple
    -------
    >>> fig = pareto_curve(pd.Series([70, 10, 15, 5], index=list("wxyz")))
    >>> fig.axes[0].get_ylabel()
    'Part cumulée du chiffre d'affaires'
    """
    table = _pareto(values, thresholds)
    curve, summary = table.curve, table.summary
    if not 0 < share < 1:
        raise DataError(f"« share » doit être une proportion entre 0 et 1 exclus (reçu : {share!r}).")
    x = np.concatenate([[0.0], curve["part_cumulee_clients"].to_numpy()])
    y = np.concatenate([[0.0], curve["part_cumulee_valeur"].to_numpy()])
    fig, ax = new_axes(ax)
    left = 0.0
    for cls, row in summary.iterrows():  # trois zones : A, B, C
        right = left + float(row["part_clients"])
        if right > left:
            ax.axvspan(left, right, color=ABC_COLORS[str(cls)], alpha=0.13, linewidth=0)
            ax.text((left + right) / 2, 0.04, f"{cls}\n{pct(row['part_clients'], 0)} des clients\n"
                    f"{pct(row['part_valeur'], 0)} du CA", ha="center", va="bottom", fontsize=8,
                    color="#333333")
        left = right
    ax.plot([0, 1], [0, 1], color="#999999", linestyle=":", linewidth=1, label="Répartition égale")
    ax.plot(x, y, color=PALETTE[0], linewidth=2, label="Courbe de concentration")
    from coursehelpers.pareto import top_share

    top = top_share(curve["valeur"], share=share)  # même définition que pareto.top_share
    ax.plot([share, share, 0], [0, top, top], color=PALETTE[3], linestyle="--", linewidth=1)
    ax.plot([share], [top], "o", color=PALETTE[3])
    ax.annotate(f"{pct(share, 0)} des clients → {pct(top, 0)} du CA", (share, top), xytext=(12, -14),
                textcoords="offset points", fontsize=9, color=PALETTE[3], fontweight="bold")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.xaxis.set_major_formatter(percent_formatter())
    ax.yaxis.set_major_formatter(percent_formatter())
    ax.legend(loc="center right", frameon=False, fontsize=9)
    style_axes(ax, title="Courbe de concentration du chiffre d'affaires (Pareto, ABC)",
               xlabel="Part cumulée des clients (du plus gros au plus petit)",
               ylabel="Part cumulée du chiffre d'affaires", grid="both")
    return fig


def _tier_frame(table: object) -> pd.DataFrame:
    from coursehelpers import tiers

    if isinstance(table, pd.DataFrame) and "part_clients" in table.columns:
        df = require_frame(table, name="tableau de la pyramide")
    else:
        df = tiers.tier_table(table)
    require_columns(df, ["part_clients", "part_valeur"], name="tableau de la pyramide (tier_table)")
    return df


def customer_pyramid(table: object, *, ax: Axes | None = None) -> Figure:
    """Pyramide des clients : part des clients (à gauche) et part du CA (à droite) par niveau.

    Niveaux Platinum, Or, Fer, Plomb (Zeithaml, Rust & Lemon, 2001) du sommet à la base.
    Pour chaque niveau t : ``part_clients(t)`` = clients(t) / n et
    ``part_valeur(t)`` = CA(t) / CA total ; l'écart entre les deux côtés montre la
    concentration de la valeur au sommet.

    Paramètres
    ----------
    table : résultat de ``tiers.tier_table`` (index = niveaux) ou Series des valeurs par client
    ax : axe matplotlib, optionnel

    Exemple
    -------
    >>> fig = customer_pyramid(pd.Series([900.0, 50, 40, 30, 20, 10, 5, 5, 3, 2]))
    >>> fig.axes[0].get_title()
    'Pyramide des clients : poids de chaque niveau'
    """
    df = _tier_frame(table)
    levels = [str(t) for t in df.index][::-1]  # Plomb en bas, Platinum en haut
    clients = df["part_clients"].to_numpy(dtype=float)[::-1]
    revenue = df["part_valeur"].to_numpy(dtype=float)[::-1]
    colors = [TIER_COLORS.get(t, PALETTE[i % len(PALETTE)]) for i, t in enumerate(levels)]
    fig, ax = new_axes(ax, figsize=(7.4, 4.2))
    pos = np.arange(len(levels))
    ax.barh(pos, -clients, color=colors, alpha=0.55, edgecolor="white", height=0.8)
    ax.barh(pos, revenue, color=colors, edgecolor="white", height=0.8)
    for i in range(len(levels)):
        ax.text(-clients[i] - 0.01, pos[i], pct(clients[i], 0), ha="right", va="center", fontsize=9)
        ax.text(revenue[i] + 0.01, pos[i], pct(revenue[i], 0), ha="left", va="center", fontsize=9)
    ax.axvline(0, color="#333333", linewidth=1)
    ax.set_yticks(pos, levels, fontweight="bold")
    edge = float(max(clients.max(), revenue.max(), 0.1)) * 1.25
    ax.set_xlim(-edge, edge)
    ax.xaxis.set_major_formatter(lambda v, _p: pct(abs(v), 0))
    ax.text(0.25, 1.0, "← part des clients", transform=ax.transAxes, ha="center", va="bottom", fontsize=9)
    ax.text(0.75, 1.0, "part du chiffre d'affaires →", transform=ax.transAxes, ha="center",
            va="bottom", fontsize=9)
    style_axes(ax, title="Pyramide des clients : poids de chaque niveau",
               xlabel="Part des clients (gauche) · part du chiffre d'affaires (droite)",
               ylabel="Niveau", grid="x")
    return fig
