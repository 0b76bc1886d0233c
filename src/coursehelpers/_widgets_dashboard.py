"""Explorateur « tableau de bord » : un indicateur de la relation client par période et par segment.

Les tableaux de ``kpis.kpi_dashboard`` sont calculés une fois pour chaque pas (année,
trimestre) et chaque segment ; un réglage ne fait que choisir une colonne et mettre à jour
les courbes de la figure (toujours la même, lignes en trop masquées).
"""

from __future__ import annotations

from functools import partial
from typing import Any

import ipywidgets as w
import numpy as np
import pandas as pd

from coursehelpers._dashboard import kpi_dashboard
from coursehelpers._widgets_base import Explorer, Plot
from coursehelpers.display import num, pct
from coursehelpers.errors import DataError

STEPS = {"Année": "Y", "Trimestre": "Q"}
NONE = "Aucun"
ALL = "Ensemble"
# segment affiché → colonne de ``clients``
SEGMENTS = {"Carte de fidélité": "carte_fidelite", "Canal d'acquisition": "canal_acquisition"}
# indicateur → (colonne, axe vertical, format, pas des bornes de l'axe, bornes permises)
INDICATORS = {
    "Satisfaction moyenne": ("satisfaction", "Note moyenne (sur 5)", "score", 0.25, (1.0, 5.0)),
    "Part de clients satisfaits": ("part_satisfaits", "Part des répondants notant 4 ou 5", "percent",
                                   0.05, (0.0, 1.0)),
    "NPS": ("nps", "NPS (points)", "number", 5.0, (-100.0, 100.0)),
    "Taux de transformation": ("taux_transformation", "Part des contacts suivis d'un achat", "percent",
                               0.05, (0.0, 1.0)),
    "Taux d'attrition": ("taux_attrition", "Part des clients perdus",
                         "percent", 0.05, (0.0, 1.0)),
}
_FORMAT = {"score": lambda v: num(v, 2), "percent": lambda v: pct(v, 1), "number": lambda v: num(v, 0)}


def _limits(values: np.ndarray, step: float, bounds: tuple[float, float]) -> tuple[float, float]:
    """Bornes « rondes » autour des valeurs (un pas de marge), dans les bornes permises."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return bounds
    low = max(bounds[0], np.floor(finite.min() / step) * step - step)
    high = min(bounds[1], np.ceil(finite.max() / step) * step + step)
    return float(low), float(high)


def kpi_lines(table: pd.DataFrame, *, title: str, ylabel: str, kind: str, limits: tuple[float, float],
              slots: int | None = None) -> Any:
    """Courbes d'un indicateur : une ligne par colonne de ``table`` (segments), périodes en abscisse.

    ``slots`` lignes préparées (les lignes en trop sont masquées) : la même figure sert quand le
    nombre de segments change.
    """
    from coursehelpers._plot_style import PALETTE, new_axes, remember, style_axes

    slots = max(table.shape[1], slots or 0)
    fig, ax = new_axes(figsize=(8.0, 4.2))
    lines = [ax.plot([], [], marker="o", markersize=4, color=PALETTE[k % len(PALETTE)])[0]
             for k in range(slots)]
    zero = ax.axhline(0, color="grey", linewidth=1, visible=False)
    style_axes(ax, title=title, xlabel="Période", ylabel=ylabel, grid="y")
    remember(ax, "kpi_lines", lines=lines, zero=zero, legend=None, layout_key="kpi_lines", ticks=None)
    update_kpi_lines(fig, table, title=title, ylabel=ylabel, kind=kind, limits=limits)
    return fig


def update_kpi_lines(fig: Any, table: pd.DataFrame, *, title: str, ylabel: str, kind: str,
                     limits: tuple[float, float]) -> bool | None:
    """Met à jour les courbes sur place (None : plus de segments que de lignes, à reconstruire)."""
    from coursehelpers._plot_style import label_grew, number_formatter, parts_of, percent_formatter

    parts = parts_of(fig, "kpi_lines")
    if parts is None or table.shape[1] > len(parts["lines"]):
        return None
    ax = parts["ax"]
    x = np.arange(len(table))
    for k, line in enumerate(parts["lines"]):  # une ligne par segment (quelques-unes)
        visible = k < table.shape[1]
        line.set_visible(visible)
        line.set_data(x if visible else [], table.iloc[:, k].to_numpy(dtype=float) if visible else [])
        line.set_label(str(table.columns[k]) if visible else "_")
    labels = [str(p) for p in table.index]
    ticks = tuple(labels)
    if ticks != parts["ticks"]:
        parts["ticks"] = ticks
        quarterly = bool(labels) and "T" in labels[0]
        ax.set_xticks(x, [s if not quarterly or s.endswith("T1") else "" for s in labels])
        ax.set_xlim(-0.5, len(x) - 0.5)
    ax.set_ylim(*limits)
    ax.yaxis.set_major_formatter(percent_formatter() if kind == "percent" else number_formatter(
        1 if kind == "score" else 0))
    parts["zero"].set_visible(kind == "number" and limits[0] < 0 < limits[1])
    if parts["legend"] is not None:
        parts["legend"].remove()
    shown = parts["lines"][: table.shape[1]]
    parts["legend"] = ax.legend(handles=shown, loc="best", frameon=False, fontsize=9) \
        if table.shape[1] > 1 else None
    ax.set_title(title, fontsize=12, fontweight="bold", pad=6.0)
    ax.set_ylabel(ylabel)
    # titre, courbes et légende dessinés à part : changer de segment garde le fond de la figure
    parts["dynamic"] = [ax.title, *shown] + ([parts["legend"]] if parts["legend"] is not None else [])
    parts["static_key"] = (ticks, limits, kind, ylabel, parts["zero"].get_visible())
    return label_grew(parts, [_FORMAT[kind](limits[1]), _FORMAT[kind](limits[0])])


class KPIDashboardExplorer(Explorer):
    name = "tableau_de_bord"
    title = "Tableau de bord de la relation client : un indicateur par période et par segment"

    def __init__(self, transactions: pd.DataFrame, contacts: pd.DataFrame, clients: pd.DataFrame | None,
                 *, within_days: int = 30) -> None:
        segments: dict[str, str | None] = {NONE: None}
        prepared = None
        if clients is not None:
            segments |= {label: col for label, col in SEGMENTS.items() if col in clients.columns}
            prepared = clients.copy()
            if "carte_fidelite" in prepared.columns:
                card = prepared["carte_fidelite"]
                if not pd.api.types.is_bool_dtype(card):
                    raise DataError("« clients » : la colonne doit contenir vrai/faux.",
                                    column="carte_fidelite")
                prepared["carte_fidelite"] = np.where(card, "avec carte", "sans carte")
            if "canal_acquisition" in prepared.columns:
                prepared["canal_acquisition"] = prepared["canal_acquisition"].astype("string")
        self._tables: dict[tuple[str, str], pd.DataFrame] = {}
        for step, freq in STEPS.items():  # 2 pas × 3 segments au plus : calculés une fois
            for label, column in segments.items():
                table = kpi_dashboard(transactions, contacts, freq=freq, by=column,
                                      clients=prepared if column else None, within_days=within_days)
                if freq == "Q":
                    table = table.rename(index=lambda p: str(p).replace("Q", "T"), level=0)
                self._tables[step, label] = table
        # bornes de l'axe vertical : une par indicateur et par pas, communes à tous les segments
        # (changer de segment ne redessine pas le fond de la figure)
        self._limits = {
            (ind, step): _limits(np.concatenate([t[spec[0]].to_numpy(dtype=float)
                                                 for (st, _), t in self._tables.items() if st == step]),
                                 spec[3], spec[4])
            for ind, spec in INDICATORS.items() for step in STEPS}
        self._slots = max((t.index.get_level_values(-1).nunique() for k, t in self._tables.items()
                           if k[1] != NONE), default=1)
        style = {"description_width": "90px"}
        controls = {
            "indicateur": w.Dropdown(options=list(INDICATORS), value="Satisfaction moyenne",
                                     description="Indicateur", style=style, layout=w.Layout(width="340px")),
            "pas": w.Dropdown(options=list(STEPS), value="Année", description="Pas", style=style,
                              layout=w.Layout(width="220px")),
            "segment": w.Dropdown(options=list(segments), value=NONE, description="Segment", style=style,
                                  layout=w.Layout(width="300px")),
        }
        super().__init__(controls)

    def series(self, *, indicateur: str, pas: str, segment: str) -> pd.DataFrame:
        """Valeurs de l'indicateur : une ligne par période, une colonne par segment (ou « Ensemble »)."""
        column = INDICATORS[indicateur][0]
        table = self._tables[pas, segment][column]
        if segment == NONE:
            return table.to_frame(ALL)
        wide = table.unstack()
        wide.columns = [str(c) for c in wide.columns]
        return wide

    def _compute(self, values: dict[str, Any]) -> dict[str, object]:
        indicator, step, segment = values["indicateur"], values["pas"], values["segment"]
        column, ylabel, kind = INDICATORS[indicator][:3]
        wide = self.series(indicateur=indicator, pas=step, segment=segment)
        limits = self._limits[indicator, step]
        scope = "" if segment == NONE else f" selon : {segment.lower()}"
        title = f"{indicator} par {step.lower()}{scope}"
        opts = {"title": title, "ylabel": ylabel, "kind": kind, "limits": limits}
        figure = self._plot((indicator, step, segment), lambda: Plot(
            partial(kpi_lines, wide, slots=self._slots, **opts),
            partial(update_kpi_lines, table=wide, **opts)))
        fmt = _FORMAT[kind]
        filled = wide.dropna(how="all")
        if filled.empty:
            text = f"**{indicator}** : aucune valeur (données insuffisantes)."
        else:
            first, last = filled.index[0], filled.index[-1]
            parts = " · ".join(f"{c} : **{fmt(filled.loc[last, c])}**" for c in wide.columns)
            text = f"**{indicator}**, {last} : {parts}"
            if segment == NONE and first != last:
                text += f" (contre {fmt(filled.loc[first, ALL])} en {first})"
            text += "."
        if column == "taux_attrition" and segment == NONE and step == "Trimestre":
            text += " Au trimestre, un client qui n'achète pas ce trimestre-ci compte comme perdu."
        shown = wide.copy()
        shown.index.name = step
        for c in shown.columns:
            shown[c] = wide[c].map(fmt)  # quelques dizaines de cases au plus
        return {"resume": text, "figure": figure, "tableau": shown}
