"""Explorateur « grille de scoring » : classes chaud / tiède / froid, taux de transformation, coût.

Le score de chaque prospect (:func:`coursehelpers.prospecting.lead_scores`) est calculé une fois ;
les curseurs ne changent que les seuils des classes, l'étape regardée et le coût d'un contact.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

import ipywidgets as w
import numpy as np
import pandas as pd

from coursehelpers._core.validate import require_columns, require_frame
from coursehelpers.display import eur, french_table, num, pct
from coursehelpers.plots import share_bars, update_share_bars
from coursehelpers.prospecting import class_table, lead_scores
from coursehelpers.widgets._base import Explorer, Plot

STEPS = {"rendez-vous": "rdv", "devis": "devis", "commande": "commande"}
FLAGS = ["contacte", "rdv", "devis", "commande"]


class LeadScoringExplorer(Explorer):
    name = "scoring"
    title = "Grille de scoring : chaud, tiède, froid — qui contacter en priorité ?"

    def __init__(self, prospects: pd.DataFrame, grid: Mapping[str, Mapping[object, float]]) -> None:
        df = require_frame(prospects, name="prospects")
        require_columns(df, FLAGS, name="prospects")
        self._prospects = df.reset_index(drop=True)
        self._scores = lead_scores(self._prospects, grid)["score"].to_numpy()
        style = {"description_width": "160px"}
        controls = {
            "seuil_chaud": w.IntSlider(value=60, min=30, max=90, step=5, description="Chaud si score ≥",
                                       style=style),
            "seuil_froid": w.IntSlider(value=35, min=10, max=60, step=5, description="Froid si score <",
                                       style=style),
            "etape": w.Dropdown(options=list(STEPS), value="commande", description="Étape regardée",
                                style=style),
            "cout": w.IntSlider(value=30, min=5, max=100, step=5, description="Coût d'un contact (€)",
                                style=style),
        }
        super().__init__(controls)

    def _compute(self, values: dict[str, Any]) -> dict[str, object]:
        table = class_table(self._prospects, self._scores, hot=values["seuil_chaud"],
                            cold=values["seuil_froid"], cost=values["cout"])
        step = STEPS[values["etape"]]
        rate = (table[step if step != "commande" else "commandes"] / table["contactes"]).rename(None)
        title = "Part des prospects contactés arrivés à l'étape choisie"
        subtitle = (f"Étape « {values['etape']} » — chaud si score ≥ {values['seuil_chaud']}, "
                    f"froid si score < {values['seuil_froid']}")
        key = (values["seuil_chaud"], values["seuil_froid"], values["etape"])
        figure = self._plot(key, lambda: Plot(
            partial(share_bars, rate, title=title, xlabel="Part des prospects contactés",
                    ylabel="Classe de prospect", subtitle=subtitle),
            partial(update_share_bars, values=rate, subtitle=subtitle)))
        hot = table.loc["chaud"]
        cost_hot = hot["cout_par_commande"]
        total = table.sum()
        cost_all = total["contactes"] * values["cout"] / total["commandes"] if total["commandes"] else np.nan
        text = (f"**{num(int(hot['prospects']))} prospects chauds** (score ≥ {values['seuil_chaud']}) : "
                f"{pct(hot['taux_transformation'])} des contactés ont commandé"
                + (f", soit {eur(cost_hot)} de prospection par commande" if pd.notna(cost_hot) else "")
                + f" ; tous prospects confondus : {pct(total['commandes'] / total['contactes'])}"
                + (f" et {eur(cost_all)} par commande." if pd.notna(cost_all) else "."))
        shown = table.rename(columns={"prospects": "Prospects", "contactes": "Contactés", "rdv": "RDV",
                                      "devis": "Devis", "commandes": "Commandes", "taux_rdv": "Taux de RDV",
                                      "taux_devis": "Taux de devis",
                                      "taux_transformation": "Taux de transformation",
                                      "cout_par_commande": "Coût par commande"})
        shown = french_table(shown, num_columns=["Prospects", "Contactés", "RDV", "Devis", "Commandes"],
                             pct_columns=["Taux de RDV", "Taux de devis", "Taux de transformation"],
                             eur_columns=["Coût par commande"])
        return {"resume": text, "figure": figure, "tableau": shown}
