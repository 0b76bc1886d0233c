"""Figure du tableau de bord : un indicateur par période, une courbe par segment."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from coursehelpers.display import num, pct
from coursehelpers.plots._live import recall, remember
from coursehelpers.plots._style import (
    PALETTE,
    new_axes,
    number_formatter,
    percent_formatter,
    set_title,
    style_axes,
)

__all__ = ["KPI_FORMATS", "kpi_lines", "update_kpi_lines"]

#: Format des valeurs d'un indicateur selon son genre (étiquettes de l'axe, résumés).
KPI_FORMATS = {"score": lambda v: num(v, 2), "percent": lambda v: pct(v, 1), "number": lambda v: num(v, 0)}


def kpi_lines(table: pd.DataFrame, *, title: str, ylabel: str, kind: str, limits: tuple[float, float],
              slots: int | None = None) -> Figure:
    """Courbes d'un indicateur : une ligne par colonne de ``table`` (segments), périodes en abscisse.

    ``slots`` lignes préparées (les lignes en trop sont masquées) : la même figure sert quand le
    nombre de segments change.
    """
    slots = max(table.shape[1], slots or 0)
    fig, ax = new_axes(figsize=(8.0, 4.2))
    lines = [ax.plot([], [], marker="o", markersize=4, color=PALETTE[k % len(PALETTE)])[0]
             for k in range(slots)]
    zero = ax.axhline(0, color="grey", linewidth=1, visible=False)
    style_axes(ax, title=title, xlabel="Période", ylabel=ylabel, grid="y")
    remember(ax, "kpi_lines", lines=lines, zero=zero, legend=None, layout_key="kpi_lines", ticks=None)
    update_kpi_lines(fig, table, title=title, ylabel=ylabel, kind=kind, limits=limits)
    return fig


def update_kpi_lines(fig: Figure | Axes, table: pd.DataFrame, *, title: str, ylabel: str, kind: str,
                     limits: tuple[float, float]) -> bool | None:
    """Met à jour les courbes sur place (None : plus de segments que de lignes, à reconstruire)."""
    live = recall(fig, "kpi_lines")
    if live is None or table.shape[1] > len(live.parts["lines"]):
        return None
    ax = live.ax
    x = np.arange(len(table))
    for k, line in enumerate(live.parts["lines"]):  # une ligne par segment (quelques-unes)
        visible = k < table.shape[1]
        line.set_visible(visible)
        line.set_data(x if visible else [], table.iloc[:, k].to_numpy(dtype=float) if visible else [])
        line.set_label(str(table.columns[k]) if visible else "_")
    labels = [str(p) for p in table.index]
    ticks = tuple(labels)
    if ticks != live.parts["ticks"]:
        live.parts["ticks"] = ticks
        quarterly = bool(labels) and "T" in labels[0]
        ax.set_xticks(x, [s if not quarterly or s.endswith("T1") else "" for s in labels])
        ax.set_xlim(-0.5, len(x) - 0.5)
    ax.set_ylim(*limits)
    ax.yaxis.set_major_formatter(percent_formatter() if kind == "percent" else number_formatter(
        1 if kind == "score" else 0))
    live.parts["zero"].set_visible(kind == "number" and limits[0] < 0 < limits[1])
    if live.parts["legend"] is not None:
        live.parts["legend"].remove()
    shown = live.parts["lines"][: table.shape[1]]
    live.parts["legend"] = ax.legend(handles=shown, loc="best", frameon=False, fontsize=9) \
        if table.shape[1] > 1 else None
    set_title(ax, title)
    ax.set_ylabel(ylabel)
    # titre, courbes et légende dessinés à part : changer de segment garde le fond de la figure
    live.dynamic = [ax.title, *shown] + ([live.parts["legend"]] if live.parts["legend"] is not None else [])
    live.static_key = (ticks, limits, kind, ylabel, live.parts["zero"].get_visible())
    return live.label_grew([KPI_FORMATS[kind](limits[1]), KPI_FORMATS[kind](limits[0])])
