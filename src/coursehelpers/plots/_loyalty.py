"""Figure des leviers de fidélité : part de clients partis par groupe (barres, axe fixe de 0 à 100 %)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from coursehelpers.display import pct
from coursehelpers.plots._live import recall, remember
from coursehelpers.plots._style import PALETTE, new_axes, percent_formatter, set_title, style_axes

__all__ = ["attrition_bars", "update_attrition_bars"]

XMAX = 1.12  # axe fixe de 0 à 100 % (+ place pour l'étiquette) : le fond de la figure ne change pas


def attrition_bars(rates: pd.Series, *, title: str, xlabel: str, ylabel: str,
                   slots: int | None = None) -> Figure:
    """Barres horizontales de la part de partis par groupe (axe fixe de 0 à 100 %).

    ``slots`` places de barres (au moins une par groupe) : en changeant de levier, la même
    figure sert (l'axe vertical ne montre que les groupes du levier) ; la mise en page n'est
    recalculée que si un nom de groupe plus long apparaît.
    """
    slots = max(len(rates), slots or 0)
    fig, ax = new_axes(figsize=(7.5, 1.3 + 0.3 * slots))
    pos = np.arange(slots)[::-1]
    bars = ax.barh(pos, np.zeros(slots), color=PALETTE[0], height=0.65)
    notes = ax.bar_label(bars, labels=[""] * slots, padding=3, fontsize=9)
    ax.set_xlim(0, XMAX)
    ax.set_xticks(np.linspace(0, 1, 6))
    ax.xaxis.set_major_formatter(percent_formatter())
    style_axes(ax, title=title, xlabel=xlabel, ylabel=ylabel, grid="x")
    remember(ax, "attrition", bars=list(bars), notes=notes, pos=pos, names=None,
             layout_key="attrition")
    update_attrition_bars(fig, rates, title=title, xlabel=xlabel, ylabel=ylabel)
    return fig


def update_attrition_bars(fig: Figure | Axes, rates: pd.Series, *, title: str, xlabel: str,
                          ylabel: str) -> bool | None:
    """Met à jour les barres sur place (None : plus de groupes que de places, figure à reconstruire)."""
    live = recall(fig, "attrition")
    if live is None or len(rates) > len(live.parts["bars"]):
        return None
    ax = live.ax
    values = np.full(len(live.parts["bars"]), np.nan)
    values[: len(rates)] = rates.to_numpy(dtype=float)
    bars, notes = live.parts["bars"], live.parts["notes"]
    for k, (bar, note) in enumerate(zip(bars, notes, strict=True)):  # quelques barres
        v = values[k]
        bar.set_width(0.0 if np.isnan(v) else v)
        note.xy = (bar.get_width(), bar.get_y() + bar.get_height() / 2)
        note.set_text(("—" if k < len(rates) else "") if np.isnan(v) else pct(v, 0))
    names = [str(i) for i in rates.index]
    if names != live.parts["names"]:
        live.parts["names"] = names
        ax.set_yticks(live.parts["pos"][: len(names)], names)
        shown = max(len(names), 3)  # seulement ces groupes (au moins 3 places : barres pas trop épaisses)
        ax.set_ylim(live.parts["pos"][0] - shown + 0.4, live.parts["pos"][0] + 0.6)
    set_title(ax, title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    live.dynamic = [*live.parts["bars"], *live.parts["notes"], ax.spines["left"]]
    live.static_key = (tuple(names), title, xlabel, ylabel)
    return live.label_grew(names)
