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
from coursehelpers.errors import DataError
from coursehelpers.plots import channel_bars, update_channel_bars
from coursehelpers.prospecting import lead_scores
from coursehelpers.widgets._base import Explorer, Plot

CLASSES = ["chaud", "tiède", "froid"]
STEPS = {"rendez-vous": "rdv", "devis": "devis", "commande": "commande"}
FLAGS = ["contacte", "rdv", "devis", "commande"]


def class_table(prospects: pd.DataFrame, scores: pd.Series, *, hot: float, cold: float,
                cost: float) -> pd.DataFrame:
    """Par classe : prospects, contactés, RDV, devis, commandes, taux et coût par commande.

    taux_rdv = RDV / contactés ; taux_transformation = commandes / contactés ;
    cout_par_commande = contactés × ``cost`` / commandes (vide sans commande).

    >>> p = pd.DataFrame({"contacte": [True, True, True, False], "rdv": [True, False, True, False],
    ...                   "devis": [True, False, False, False], "commande": [True, False, False, False]})
    >>> t = class_table(p, pd.Series([80, 20, 50, 90]), hot=60, cold=35, cost=10)
    >>> t.loc["chaud", ["prospects", "contactes", "commandes"]].tolist()
    [2, 1, 1]
    >>> float(t.loc["chaud", "cout_par_commande"])
    10.0
    """
    if cold > hot:
        raise DataError(f"le seuil « froid » ({cold:g}) doit être inférieur ou égal au seuil « chaud » "
                        f"({hot:g}).")
    s = np.asarray(scores, dtype=float)
    code = np.where(s >= hot, 0, np.where(s < cold, 2, 1))
    counts = {"prospects": np.bincount(code, minlength=3)}
    for flag in FLAGS:
        counts[flag] = np.bincount(code, weights=prospects[flag].to_numpy(dtype=float), minlength=3)
    out = pd.DataFrame(counts, index=pd.Index(CLASSES, name="classe")).astype("int64")
    out = out.rename(columns={"contacte": "contactes", "commande": "commandes"})
    with np.errstate(divide="ignore", invalid="ignore"):
        out["taux_rdv"] = out["rdv"] / out["contactes"]
        out["taux_devis"] = out["devis"] / out["contactes"]
        out["taux_transformation"] = out["commandes"] / out["contactes"]
        out["cout_par_commande"] = (out["contactes"] * float(cost) / out["commandes"]).where(
            out["commandes"] > 0)
    return out


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
        title = f"Part des prospects contactés arrivés à l'étape « {values['etape']} »"
        key = (values["seuil_chaud"], values["seuil_froid"], values["etape"])
        figure = self._plot(key, lambda: Plot(
            partial(channel_bars, rate, title=title, xlabel="Part des prospects contactés",
                    ylabel="Classe de prospect", kind="percent"),
            partial(update_channel_bars, values=rate, title=title, xlabel="Part des prospects contactés",
                    ylabel="Classe de prospect", kind="percent")))
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
