"""Explorateur « valeur client » : simulateur de CLV et seuil de rentabilité."""

from __future__ import annotations

from functools import partial
from typing import Any

import ipywidgets as w

from coursehelpers.clv import break_even_years, clv_by_year
from coursehelpers.display import eur, french_table, pct
from coursehelpers.plots import clv_curve, update_clv_curve
from coursehelpers.widgets._base import Explorer, Plot


class CLVSimulator(Explorer):
    name = "clv"
    title = "Simulateur de valeur vie client (CLV) et seuil de rentabilité"

    def __init__(self, *, margin: float, retention: float, discount_rate: float,
                 acquisition_cost: float, horizon: int) -> None:
        style = {"description_width": "190px"}
        layout = w.Layout(width="460px")
        controls = {
            "retention": w.FloatSlider(value=retention, min=0.05, max=0.95, step=0.05,
                                       description="Taux de fidélisation", readout_format=".0%",
                                       style=style, layout=layout),
            "margin": w.FloatSlider(value=margin, min=10, max=500, step=10,
                                    description="Marge annuelle / client (€)", readout_format=".0f",
                                    style=style, layout=layout),
            "discount_rate": w.FloatSlider(value=discount_rate, min=0.0, max=0.20, step=0.01,
                                           description="Taux d'actualisation", readout_format=".0%",
                                           style=style, layout=layout),
            "acquisition_cost": w.FloatSlider(value=acquisition_cost, min=0, max=1000, step=10,
                                              description="Coût d'acquisition (€)", readout_format=".0f",
                                              style=style, layout=layout),
            "horizon": w.IntSlider(value=horizon, min=1, max=20, description="Horizon (années)",
                                   style=style, layout=layout),
        }
        super().__init__(controls)

    def _layout(self) -> w.Widget:
        return w.VBox(list(self.controls.values()))

    def _compute(self, values: dict[str, Any]) -> dict[str, object]:
        table = clv_by_year(margin=values["margin"], retention=values["retention"],
                            discount_rate=values["discount_rate"], horizon=values["horizon"])
        cost = values["acquisition_cost"]
        clv = float(table["clv_cumulee"].iloc[-1])
        years = break_even_years(margin=values["margin"], retention=values["retention"],
                                 discount_rate=values["discount_rate"], acquisition_cost=cost)
        if cost <= 0:
            verdict = "Aucun coût d'acquisition : le client est rentable dès la 1re année."
        elif years > values["horizon"]:
            verdict = (f"Seuil de rentabilité **non atteint** en {values['horizon']} ans : "
                       "le client coûte plus qu'il ne rapporte.")
        else:
            verdict = f"Seuil de rentabilité atteint la **{int(years)}ᵉ année**."
        summary = (
            f"CLV sur {values['horizon']} ans : **{eur(clv)}** · coût d'acquisition : {eur(cost)} · "
            f"valeur nette : **{eur(clv - cost)}** · fidélisation {pct(values['retention'], 0)}. "
            f"{verdict}"
        )
        shown = table.rename(columns={"annee": "Année", "survie": "Clients encore actifs",
                                      "marge_actualisee": "Marge actualisée",
                                      "clv_cumulee": "CLV cumulée"}).set_index("Année")
        shown = french_table(shown, eur_columns=["Marge actualisée", "CLV cumulée"],
                             pct_columns=["Clients encore actifs"], pct_decimals=0)
        figure = self._plot(tuple(sorted(values.items())), lambda: Plot(
            partial(clv_curve, table, acquisition_cost=cost),
            partial(update_clv_curve, table=table, acquisition_cost=cost)))
        return {"resume": summary, "figure": figure, "tableau": shown}
