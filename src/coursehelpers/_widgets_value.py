"""Explorateur « valeur client » : simulateur de CLV et seuil de rentabilité."""

from __future__ import annotations

from functools import partial
from typing import Any

import ipywidgets as w
import numpy as np
import pandas as pd

from coursehelpers._widgets_base import Explorer, Plot
from coursehelpers.display import eur, french_table, pct


def clv_by_year(*, margin: float, retention: float, discount_rate: float, horizon: int) -> pd.DataFrame:
    """Marge espérée actualisée année par année et son cumul (la CLV sur t années).

    Année t = 1..horizon : le client est encore là avec la probabilité r^(t−1) et la marge
    de l'année t est actualisée de (1 + d)^(t−1) (marge de la 1re année encaissée sans attente),
    comme ``kpis.clv`` :
    ``marge_actualisee(t) = m × r^(t−1) / (1 + d)^(t−1)``, ``CLV(T) = Σ_{t≤T} marge_actualisee(t)``.
    """
    from coursehelpers.kpis import clv

    years = np.arange(1, horizon + 1)
    cumulated = np.array([clv(margin=margin, retention=retention, discount_rate=discount_rate, years=int(t))
                          for t in years])  # une valeur par année (≤ 20), pas par client
    return pd.DataFrame({"annee": years, "survie": retention ** (years - 1),
                         "marge_actualisee": np.diff(cumulated, prepend=0.0), "clv_cumulee": cumulated})


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
        from coursehelpers._plot_kpis import clv_curve, update_clv_curve

        table = clv_by_year(margin=values["margin"], retention=values["retention"],
                            discount_rate=values["discount_rate"], horizon=values["horizon"])
        cost = values["acquisition_cost"]
        clv = float(table["clv_cumulee"].iloc[-1])
        from coursehelpers.kpis import break_even_years

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
