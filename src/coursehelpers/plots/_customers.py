"""Figures de la valeur des clients : courbe de concentration (Pareto / ABC) et pyramide des clients."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from coursehelpers import pareto, tiers
from coursehelpers._core.validate import require_columns, require_frame
from coursehelpers.display import pct
from coursehelpers.errors import DataError
from coursehelpers.plots._live import recall, remember
from coursehelpers.plots._style import (
    ABC_COLORS,
    MIN_FONT_PT,
    PALETTE,
    TIER_COLORS,
    new_axes,
    nice_ceil,
    percent_formatter,
    style_axes,
)


def _pareto(values: object, thresholds: tuple[float, float]):
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

    Exemples
    --------
    >>> fig = pareto_curve(pd.Series([70, 10, 15, 5], index=list("wxyz")))
    >>> print(fig.axes[0].get_ylabel())
    Part cumulée du chiffre d'affaires
    """
    table = _pareto(values, thresholds)
    _check_share(share)
    fig, ax = new_axes(ax)
    zones, labels = [], []
    for cls in table.summary.index:  # trois zones : A, B, C (une zone vide reste invisible)
        zones.append(ax.axvspan(0, 0, color=ABC_COLORS[str(cls)], alpha=0.13, linewidth=0))
        labels.append(ax.text(0, 0.04, "", ha="center", va="bottom", fontsize=MIN_FONT_PT, color="#333333"))
    ax.plot([0, 1], [0, 1], color="#999999", linestyle=":", linewidth=1, label="Répartition égale")
    (line,) = ax.plot([], [], color=PALETTE[0], linewidth=2, label="Courbe de concentration")
    (guide,) = ax.plot([], [], color=PALETTE[3], linestyle="--", linewidth=1)
    (point,) = ax.plot([], [], "o", color=PALETTE[3])
    note = ax.annotate("", (0, 0), xytext=(12, -14), textcoords="offset points", fontsize=9,
                       color=PALETTE[3], fontweight="bold")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.xaxis.set_major_formatter(percent_formatter())
    ax.yaxis.set_major_formatter(percent_formatter())
    legend = ax.legend(loc="center right", frameon=False, fontsize=9)
    style_axes(ax, title="Courbe de concentration du chiffre d'affaires (Pareto, ABC)",
               xlabel="Part cumulée des clients (du plus gros au plus petit)",
               ylabel="Part cumulée du chiffre d'affaires", grid="both")
    remember(ax, "pareto", zones=zones, labels=labels, line=line, guide=guide, point=point, note=note,
             dynamic=[*zones, *labels, line, guide, point, note, legend], static_key=None)
    update_pareto_curve(ax, table, share=share)
    return fig


def _check_share(share: float) -> None:
    if not 0 < share < 1:
        raise DataError(f"« share » doit être une proportion entre 0 et 1 exclus (reçu : {share!r}).")


def update_pareto_curve(fig: Figure | Axes, values: object, *, thresholds: tuple[float, float] = (0.80, 0.95),
                        share: float = 0.2) -> bool | None:
    """Met à jour sur place une figure de :func:`pareto_curve` (None : à reconstruire).

    Rend True si la mise en page est à refaire (jamais ici : textes de taille fixe).
    """
    live = recall(fig, "pareto")
    if live is None:
        return None
    table = _pareto(values, thresholds)
    _check_share(share)
    curve, summary = table.curve, table.summary
    live.parts["line"].set_data(np.concatenate([[0.0], curve["part_cumulee_clients"].to_numpy()]),
                           np.concatenate([[0.0], curve["part_cumulee_valeur"].to_numpy()]))
    left = 0.0
    zones, labels = live.parts["zones"], live.parts["labels"]
    for zone, label, (cls, row) in zip(zones, labels, summary.iterrows(), strict=True):
        right = left + float(row["part_clients"])  # 3 classes : boucle sur les zones, pas les clients
        zone.set_x(left)
        zone.set_width(right - left)
        zone.set_visible(right > left)
        label.set_x((left + right) / 2)
        label.set_text(f"{cls}\n{pct(row['part_clients'], 0)} des clients\n{pct(row['part_valeur'], 0)} du CA"
                       if right > left else "")
        left = right
    top = pareto.top_share(curve["valeur"], share=share)  # même définition que pareto.top_share
    live.parts["guide"].set_data([share, share, 0], [0, top, top])
    live.parts["point"].set_data([share], [top])
    live.parts["note"].xy = (share, top)
    live.parts["note"].set_text(f"{pct(share, 0)} des clients → {pct(top, 0)} du CA")
    return False


def _tier_frame(table: object) -> pd.DataFrame:
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

    Exemples
    --------
    >>> fig = customer_pyramid(pd.Series([900.0, 50, 40, 30, 20, 10, 5, 5, 3, 2]))
    >>> fig.axes[0].get_title()
    'Pyramide des clients : poids de chaque niveau'
    """
    df = _tier_frame(table)
    levels = [str(t) for t in df.index][::-1]  # Plomb en bas, Platinum en haut
    colors = [TIER_COLORS.get(t, PALETTE[i % len(PALETTE)]) for i, t in enumerate(levels)]
    fig, ax = new_axes(ax, figsize=(7.4, 4.2))
    pos = np.arange(len(levels))
    zero = np.zeros(len(levels))
    left = ax.barh(pos, zero, color=colors, alpha=0.55, edgecolor="white", height=0.8)
    right = ax.barh(pos, zero, color=colors, edgecolor="white", height=0.8)
    left_text = [ax.text(0, p, "", ha="right", va="center", fontsize=9) for p in pos]
    right_text = [ax.text(0, p, "", ha="left", va="center", fontsize=9) for p in pos]
    axis = ax.axvline(0, color="#333333", linewidth=1)
    ax.set_yticks(pos, levels, fontweight="bold")
    ax.xaxis.set_major_formatter(lambda v, _p: pct(abs(v), 0))
    # Sens de lecture juste au-dessus du cadre ; le titre est décalé plus haut pour ne pas les couvrir.
    ax.text(0.25, 1.01, "← part des clients", transform=ax.transAxes, ha="center", va="bottom", fontsize=9)
    ax.text(0.75, 1.01, "part du chiffre d'affaires →", transform=ax.transAxes, ha="center",
            va="bottom", fontsize=9)
    style_axes(ax, title="Pyramide des clients : poids de chaque niveau",
               xlabel="Part des clients (gauche) · part du chiffre d'affaires (droite)",
               ylabel="Niveau", grid="x", pad=20)
    remember(ax, "pyramid", levels=levels, left=list(left), right=list(right), left_text=left_text,
             right_text=right_text, dynamic=[*left, *right, *left_text, *right_text, axis])
    update_customer_pyramid(ax, df)
    return fig


def update_customer_pyramid(fig: Figure | Axes, table: object) -> bool | None:
    """Met à jour sur place une figure de :func:`customer_pyramid` (None : à reconstruire)."""
    live = recall(fig, "pyramid")
    if live is None:
        return None
    df = _tier_frame(table)
    if [str(t) for t in df.index][::-1] != live.parts["levels"]:
        return None
    clients = df["part_clients"].to_numpy(dtype=float)[::-1]
    revenue = df["part_valeur"].to_numpy(dtype=float)[::-1]
    for i in range(len(clients)):  # 4 niveaux, pas une boucle sur les clients
        live.parts["left"][i].set_width(-clients[i])
        live.parts["right"][i].set_width(revenue[i])
        live.parts["left_text"][i].set_x(-clients[i] - 0.01)
        live.parts["left_text"][i].set_text(pct(clients[i], 0))
        live.parts["right_text"][i].set_x(revenue[i] + 0.01)
        live.parts["right_text"][i].set_text(pct(revenue[i], 0))
    edge = nice_ceil(float(max(clients.max(), revenue.max(), 0.1)) * 1.25, step=0.1)
    live.ax.set_xlim(-edge, edge)
    live.static_key = edge  # bornes arrondies : le fond change rarement
    return live.label_grew([pct(edge, 0)])
