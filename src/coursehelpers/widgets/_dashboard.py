"""Explorateur « tableau de bord » : un indicateur de la relation client par période et par segment.

Les tableaux de ``kpis.kpi_dashboard`` sont calculés une fois pour chaque pas (année,
trimestre) et chaque segment ; un réglage ne fait que choisir une colonne et mettre à jour
les courbes de la figure (toujours la même, lignes en trop masquées).
"""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar

import ipywidgets as w
import numpy as np
import pandas as pd

from coursehelpers._core.customers import card_labels
from coursehelpers.errors import DataError
from coursehelpers.kpis import kpi_dashboard, repurchase_flags
from coursehelpers.plots import KPI_FORMATS, kpi_lines, nice_limits, update_kpi_lines
from coursehelpers.widgets._base import Explorer, Plot

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
    "Taux de réachat après contact": ("taux_reachat_apres_contact", "Part des contacts suivis d'un achat",
                                      "percent", 0.05, (0.0, 1.0)),
    "Taux d'attrition": ("taux_attrition", "Part des clients perdus",
                         "percent", 0.05, (0.0, 1.0)),
}


class KPIDashboardExplorer(Explorer):
    name = "tableau_de_bord"
    aliases: ClassVar[dict[str, str]] = {"indicateur": "indicator", "pas": "step"}
    title = "Tableau de bord de la relation client : un indicateur par période et par segment"

    def __init__(self, transactions: pd.DataFrame, contacts: pd.DataFrame, clients: pd.DataFrame | None,
                 *, within_days: int = 30) -> None:
        segments: dict[str, str | None] = {NONE: None}
        prepared = None
        if clients is not None:
            segments |= {label: col for label, col in SEGMENTS.items() if col in clients.columns}
            prepared = clients.copy()
            if "carte_fidelite" in prepared.columns:
                prepared["carte_fidelite"] = card_labels(prepared["carte_fidelite"])
            if "canal_acquisition" in prepared.columns:
                prepared["canal_acquisition"] = prepared["canal_acquisition"].astype("string")
        self._tables: dict[tuple[str, str], pd.DataFrame] = {}
        # réachat après contact : ne dépend ni du pas ni du segment, calculé une fois pour les six
        # tableaux (mêmes chiffres que six appels de kpi_dashboard, test dans tests/widgets)
        repurchased = repurchase_flags(transactions, contacts, within_days=within_days)
        for step, freq in STEPS.items():  # 2 pas × 3 segments au plus : calculés une fois
            for label, column in segments.items():
                table = kpi_dashboard(transactions, contacts, freq=freq, by=column,
                                       clients=prepared if column else None, within_days=within_days,
                                       customer="client_id", date="date", amount="montant",
                                       repurchased=repurchased)
                if freq == "Q":
                    table = table.rename(index=lambda p: str(p).replace("Q", "T"), level=0)
                self._tables[step, label] = table
        # bornes de l'axe vertical : une par indicateur et par pas, communes à tous les segments
        # (changer de segment ne redessine pas le fond de la figure)
        self._limits = {
            (ind, step): nice_limits(np.concatenate([t[spec[0]].to_numpy(dtype=float)
                                                     for (st, _), t in self._tables.items() if st == step]),
                                     step=spec[3], bounds=spec[4])
            for ind, spec in INDICATORS.items() for step in STEPS}
        self._slots = max((t.index.get_level_values(-1).nunique() for k, t in self._tables.items()
                           if k[1] != NONE), default=1)
        style = {"description_width": "90px"}
        controls = {
            "indicator": w.Dropdown(options=list(INDICATORS), value="Satisfaction moyenne",
                                     description="Indicateur", style=style, layout=w.Layout(width="340px")),
            "step": w.Dropdown(options=list(STEPS), value="Année", description="Pas", style=style,
                              layout=w.Layout(width="220px")),
            "segment": w.Dropdown(options=list(segments), value=NONE, description="Segment", style=style,
                                  layout=w.Layout(width="300px")),
        }
        super().__init__(controls)

    def series(self, *, indicator: str | None = None, step: str | None = None, segment: str,
               indicateur: str | None = None, pas: str | None = None) -> pd.DataFrame:
        """Valeurs de l'indicateur : une ligne par période, une colonne par segment (ou « Ensemble »).

        ``indicator`` (libellé du menu « Indicateur »), ``step`` (« Année » ou « Trimestre »),
        ``segment`` (libellé du menu « Segment ») ; ``indicateur`` et ``pas`` : anciens noms.
        """
        indicator, step = indicator or indicateur, step or pas
        if indicator is None or step is None:
            raise DataError("« indicator » et « step » sont obligatoires, par ex. "
                            "series(indicator=\"NPS\", step=\"Année\", segment=\"Aucun\").")
        column = INDICATORS[indicator][0]
        table = self._tables[step, segment][column]
        if segment == NONE:
            return table.to_frame(ALL)
        wide = table.unstack()
        wide.columns = [str(c) for c in wide.columns]
        return wide

    def _compute(self, values: dict[str, Any]) -> dict[str, object]:
        indicator, step, segment = values["indicator"], values["step"], values["segment"]
        column, ylabel, kind = INDICATORS[indicator][:3]
        wide = self.series(indicator=indicator, step=step, segment=segment)
        limits = self._limits[indicator, step]
        scope = "" if segment == NONE else f" selon : {segment.lower()}"
        title = f"{indicator} par {step.lower()}{scope}"
        opts = {"title": title, "ylabel": ylabel, "kind": kind, "limits": limits}
        figure = self._plot((indicator, step, segment), lambda: Plot(
            partial(kpi_lines, wide, slots=self._slots, **opts),
            partial(update_kpi_lines, table=wide, **opts)))
        fmt = KPI_FORMATS[kind]
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
