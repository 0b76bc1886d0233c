"""Explorateur « leviers de fidélité » : part de clients partis selon un levier de la roue de la fidélité.

Les leviers (satisfaction, carte, vente croisée, réclamations, canal d'acquisition) sont mesurés
sur l'historique **avant** la date ``since`` ; le départ (aucun achat à partir de ``since``) est
observé **après**. Le tableau par client est calculé une fois (:func:`loyalty_frame`) ; un
réglage ne fait plus qu'un filtre et un regroupement (:func:`loyalty_table`).
"""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar

import ipywidgets as w
import pandas as pd

from coursehelpers._core.customers import purchases
from coursehelpers._core.dates import parse_day_first
from coursehelpers.display import french_table, num, pct
from coursehelpers.errors import DataError
from coursehelpers.kpis import loyalty_frame, loyalty_table
from coursehelpers.plots import attrition_bars, update_attrition_bars
from coursehelpers.widgets._base import Explorer, Plot

# levier affiché → (colonne du tableau par client, étiquette de l'axe des groupes)
LEVERS = {
    "Satisfaction moyenne (tranches)": ("note", "Note moyenne du client"),
    "Carte de fidélité": ("carte", "Carte de fidélité"),
    "Familles de produits achetées": ("familles", "Familles de produits achetées"),
    "Réclamation résolue ou non": ("reclamation", "Réclamations du client"),
    "Canal d'acquisition": ("canal_acquisition", "Canal d'acquisition"),
}


def _day(stamp: pd.Timestamp) -> str:
    return stamp.strftime("%d/%m/%Y")


class LoyaltyExplorer(Explorer):
    name = "fidelite"
    aliases: ClassVar[dict[str, str]] = {"levier": "lever", "commandes": "orders"}
    title = "Leviers de fidélité : part de clients partis selon le levier choisi"

    def __init__(self, frame: pd.DataFrame, *, since: pd.Timestamp,
                 signup_before: pd.Timestamp | None) -> None:
        self._frame = frame
        self._since, self._signup = since, signup_before
        self._levers = {k: v for k, v in LEVERS.items() if v[0] in frame.columns}
        if not self._levers:
            raise DataError("aucun levier disponible : il faut au moins l'une des colonnes carte_fidelite, "
                            "canal_acquisition (clients), categorie (transactions), satisfaction ou "
                            "motif + resolu (contacts).")
        self._groups = {k: self._all_groups(col) for k, (col, _) in self._levers.items()}
        top = int(frame["commandes"].max())
        style = {"description_width": "150px"}
        controls = {
            "lever": w.Dropdown(options=list(self._levers), value=next(iter(self._levers)),
                                 description="Levier", style=style, layout=w.Layout(width="420px")),
            "orders": w.IntRangeSlider(value=(1, top), min=1, max=max(top, 2),
                                          description="Commandes avant départ", style=style,
                                          layout=w.Layout(width="480px")),
        }
        super().__init__(controls)

    def _all_groups(self, column: str) -> list:
        values = self._frame[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            return [c for c in values.cat.categories if (values == c).any()]
        return sorted(pd.unique(values.dropna()).tolist(), key=lambda v: (str(type(v)), v))

    def _compute(self, values: dict[str, Any]) -> dict[str, object]:
        lever = values["lever"]
        column, axis = self._levers[lever]
        low, high = values["orders"]
        table = loyalty_table(self._frame, lever=column, orders=(low, high))
        groups = self._groups[lever]
        rates = table["taux_attrition"].reindex(groups)  # mêmes barres même si un groupe est vide
        rates.index = [str(g) for g in groups]
        title = f"Part de clients partis — {lever.lower()}"
        xlabel = f"Part des clients sans achat depuis le {_day(self._since)}"
        key = (lever, low, high)

        labels = {"title": title, "xlabel": xlabel, "ylabel": axis}
        slots = max(len(g) for g in self._groups.values())
        figure = self._plot(key, lambda: Plot(partial(attrition_bars, rates, slots=slots, **labels),
                                              partial(update_attrition_bars, rates=rates, **labels)))
        overall = table.loc["Ensemble"]
        shown = table.drop(index="Ensemble")
        best, worst = shown["taux_attrition"].idxmin(), shown["taux_attrition"].idxmax()
        who = f"inscrits avant le {_day(self._signup)} et " if self._signup is not None else ""
        text = (f"{num(overall['clients'])} clients {who}ayant passé de {low} à {high} commandes avant le "
                f"{_day(self._since)} : **{pct(overall['taux_attrition'])}** sont partis. "
                f"Le moins de départs : **{best}** ({pct(shown.loc[best, 'taux_attrition'])}) ; "
                f"le plus : **{worst}** ({pct(shown.loc[worst, 'taux_attrition'])}).")
        out = table.rename(columns={"clients": "Clients", "partis": "Partis",
                                    "taux_attrition": "Part de partis", "ca_moyen": "CA moyen",
                                    "commandes_moyennes": "Commandes moyennes"})
        out.index = out.index.map(str)
        out.index.name = lever
        out = french_table(out, num_columns=["Clients", "Partis", "Commandes moyennes"],
                           eur_columns=["CA moyen"], pct_columns=["Part de partis"],
                           decimals={"Commandes moyennes": 1})
        return {"resume": text, "figure": figure, "tableau": out}


def make_loyalty_explorer(clients, transactions, contacts, *, since, signup_before) -> LoyaltyExplorer:
    """Construit le tableau par client puis l'explorateur (utilisé par ``widgets.loyalty_explorer``)."""
    purchases(transactions, "client_id", "date", "montant")  # colonnes et types contrôlés d'abord
    frame = loyalty_frame(clients, transactions, contacts, since=since, signup_before=signup_before)
    return LoyaltyExplorer(frame, since=parse_day_first(since, name="since"),
                           signup_before=None if signup_before is None else parse_day_first(
                               signup_before, name="signup_before"))


__all__ = ["LEVERS", "LoyaltyExplorer", "make_loyalty_explorer"]
