"""Barres horizontales de parts (0 à 100 %) à axe fixe, mises à jour sur place (explorateurs 07 et 09).

L'axe, les étiquettes des barres et le titre ne bougent pas d'un réglage à l'autre : seules les
barres, leurs valeurs et le sous-titre sont redessinés (rappel rapide, voir ``plots.live_png``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from coursehelpers.display import pct
from coursehelpers.plots._live import recall, remember
from coursehelpers.plots._style import new_axes, percent_formatter, style_axes

KIND = "share-bars"


def share_bars(values: pd.Series, *, title: str, xlabel: str, ylabel: str, subtitle: str = "",
               color: str = "#0072B2") -> Figure:
    """Une barre par modalité (de haut en bas dans l'ordre de ``values``), valeur écrite au bout.

    >>> fig = share_bars(pd.Series({"chaud": 0.4, "froid": 0.1}), title="T", xlabel="x", ylabel="y")
    >>> [round(p.get_width(), 2) for p in fig.axes[0].patches]
    [0.4, 0.1]
    """
    fig, ax = new_axes(None, figsize=(7.0, 1.3 + 0.42 * len(values)))
    pos = np.arange(len(values))[::-1]
    bars = ax.barh(pos, np.zeros(len(values)), color=color, height=0.62)
    ax.set_yticks(pos, [str(i) for i in values.index])
    ax.set_xlim(0, 1.12)
    ax.xaxis.set_major_formatter(percent_formatter())
    style_axes(ax, title=title, xlabel=xlabel, ylabel=ylabel, grid="x", pad=16)
    notes = [ax.text(0, y, "", va="center", fontsize=9) for y in pos]
    sub = ax.text(0.5, 1.01, subtitle, transform=ax.transAxes, ha="center", va="bottom", fontsize=9)
    labels = [str(i) for i in values.index]
    remember(ax, KIND, bars=list(bars), notes=notes, subtitle=sub, labels=labels,
             dynamic=[*bars, *notes, sub, ax.spines["left"]], static_key=(title, tuple(labels)))
    update_share_bars(fig, values, subtitle=subtitle)
    return fig


def update_share_bars(fig: Figure, values: pd.Series, *, subtitle: str) -> bool | None:
    """Met à jour une figure de :func:`share_bars` (None si les modalités ont changé : à reconstruire)."""
    live = recall(fig, KIND)
    if live is None or live.parts["labels"] != [str(i) for i in values.index]:
        return None
    for rect, note, v in zip(live.parts["bars"], live.parts["notes"], values.to_numpy(dtype=float),
                             strict=True):
        width = 0.0 if np.isnan(v) else float(v)
        rect.set_width(width)
        note.set_x(width)
        note.set_text(" —" if np.isnan(v) else f" {pct(v, 0)}")
    live.parts["subtitle"].set_text(subtitle)
    return False
