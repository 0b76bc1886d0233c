"""Explorateur RFM : nombre de notes, date de référence → carte R × F, segments, clients d'un segment."""

from __future__ import annotations

from collections import OrderedDict
from functools import partial
from typing import Any, ClassVar

import ipywidgets as w
import pandas as pd

from coursehelpers import rfm
from coursehelpers._core.validate import datetime_column, require_columns, require_frame
from coursehelpers.display import french_table, num, pct
from coursehelpers.plots import heat_matrix, rfm_heatmap, update_rfm_heatmap
from coursehelpers.widgets._base import Explorer, Plot

_STYLE = {"description_width": "150px"}
HEAT = {"Montant moyen": "montant", "Nombre de clients": "clients"}


class RFMExplorer(Explorer):
    """Analyse RFM : carte R × F, synthèse des segments et clients du segment choisi.

    La carte écrit la valeur de chaque case jusqu'à 5 notes (25 cases) ; au-delà, seule la
    couleur est montrée (cases trop petites), les chiffres restant dans le tableau des
    segments. Le tableau des segments ne dépend pas du nombre de notes (segments définis sur
    5 notes, voir ``rfm.rfm_scores``) : l'explorateur l'écrit sous ses contrôles. Échelle de
    couleur de 0 à un nombre rond (voir ``plots.rfm_heatmap``).
    """

    name = "rfm"
    aliases: ClassVar[dict[str, str]] = {"date_reference": "as_of", "carte": "heatmap"}
    title = "Analyse RFM : récence, fréquence, montant"
    note = ("Le nombre de notes change la carte R × F et les codes RFM des clients. Les segments et "
            "leur tableau, eux, <b>ne suivent pas</b> le nombre de notes : ils restent définis sur la "
            "grille à 5 notes (un client garde son segment).")

    def __init__(self, transactions: pd.DataFrame, *, customer: str, date: str, amount: str,
                 order: str | None, bins: int, top: int) -> None:
        require_frame(transactions, name="transactions")
        require_columns(transactions, [customer, date, amount, order], name="transactions")
        self._tx = transactions
        self._days = datetime_column(transactions, date, name="transactions")
        self._keys = {"customer": customer, "date": date, "amount": amount, "order": order}
        self._top = top
        # cache : notes RFM par (date, nombre de notes) ; changer la carte ou le segment ne les recalcule pas
        self._scores: OrderedDict[tuple[pd.Timestamp, int], pd.DataFrame] = OrderedDict()
        self._tables: dict[pd.Timestamp, pd.DataFrame] = {}  # cache : une table RFM par date
        # synthèse des segments par date : elle ne dépend pas du nombre de notes (segments sur 5 notes)
        self._summaries: dict[pd.Timestamp, tuple[pd.DataFrame, pd.DataFrame]] = {}
        last = self._days.max().normalize()
        # Dates de référence proposées : le lendemain du dernier achat, puis reculs de 3 mois.
        dates = [last + pd.Timedelta(days=1) - pd.DateOffset(months=3 * k) for k in range(8)][::-1]
        self._dates = {d.strftime("%d/%m/%Y"): d for d in dates}
        self._table(dates[-1])  # contrôle des données (DataError en français) avant les widgets
        controls = {
            "as_of": w.SelectionSlider(options=list(self._dates), value=list(self._dates)[-1],
                                                description="Date de référence", style=_STYLE,
                                                layout=w.Layout(width="520px")),
            "bins": w.IntSlider(value=bins, min=3, max=9, description="Nombre de notes", style=_STYLE),
            "heatmap": w.Dropdown(options=list(HEAT), value="Montant moyen", description="Carte R × F",
                                style=_STYLE),
            "segment": w.Dropdown(options=list(rfm.SEGMENTS), value=rfm.SEGMENTS[0],
                                  description="Clients du segment", style=_STYLE),
        }
        super().__init__(controls)

    def _table(self, as_of: pd.Timestamp) -> pd.DataFrame:
        if as_of not in self._tables:
            k = self._keys
            past = self._tx[(self._days < as_of).to_numpy()]  # achats antérieurs à la date
            self._tables[as_of] = rfm.rfm_table(past, customer=k["customer"], date=k["date"],
                                                amount=k["amount"], order=k["order"], as_of=as_of)
        return self._tables[as_of]

    @staticmethod
    def _segment_table(summary: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(synthèse brute, synthèse mise en forme) des segments."""
        seg = summary[["clients", "part_clients", "part_ca", "recence_moy", "frequence_moy", "montant_moy",
                       "action"]].rename(columns={
            "clients": "Clients", "part_clients": "Part des clients", "part_ca": "Part du CA",
            "recence_moy": "Récence moy. (j)", "frequence_moy": "Fréquence moy.",
            "montant_moy": "Montant moyen", "action": "Action conseillée"})
        seg.index.name = "Segment"
        seg = french_table(seg, num_columns=["Clients", "Récence moy. (j)"], eur_columns=["Montant moyen"],
                           pct_columns=["Part des clients", "Part du CA"], pct_decimals=0)
        seg["Fréquence moy."] = summary["frequence_moy"].map(lambda v: num(v, 1))
        return summary, seg

    def _compute(self, values: dict[str, Any]) -> dict[str, object]:
        as_of = self._dates[values["as_of"]]
        table = self._table(as_of)
        scores = self._scores.get((as_of, values["bins"]))
        if scores is None:
            scores = self._scores[as_of, values["bins"]] = rfm.rfm_scores(table, bins=values["bins"])
            if len(self._scores) > 16:
                self._scores.popitem(last=False)
        if as_of not in self._summaries:
            self._summaries[as_of] = self._segment_table(rfm.rfm_segments(scores))
        summary, seg = self._summaries[as_of]
        heat = HEAT[values["heatmap"]]

        def plot() -> Plot:
            matrix = heat_matrix(scores, heat)  # carte R × F : ne dépend pas du segment choisi
            return Plot(partial(rfm_heatmap, scores, value=heat),
                        partial(update_rfm_heatmap, scores=matrix, value=heat))

        figure = self._plot((values["as_of"], values["bins"], heat), plot)
        chosen = values["segment"]
        members = rfm.segment_customers(scores, chosen).head(self._top)
        best = summary["part_ca"].idxmax()
        text = (f"{num(len(scores))} clients au {values['as_of']}. Segment qui pèse le plus "
                f"dans le CA : **{best}** ({pct(summary.loc[best, 'part_ca'], 0)} du CA pour "
                f"{pct(summary.loc[best, 'part_clients'], 0)} des clients).")
        people = members[["recence", "frequence", "montant", "RFM"]].rename(columns={
            "recence": "Récence (j)", "frequence": "Fréquence", "montant": "Montant"})
        people.index.name = "Client"
        people = french_table(people, num_columns=["Récence (j)", "Fréquence"], eur_columns=["Montant"])
        caption = (f"**{chosen}** : {num(int(summary.loc[chosen, 'clients']))} clients "
                   f"— les {min(self._top, len(members))} plus gros montants :")
        return {"resume": text, "figure": figure, "segments": seg, "titre_clients": caption,
                "clients": people}
