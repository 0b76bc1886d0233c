"""Explorateur « canaux de la relation client » : volume, délai, résolution, satisfaction par canal.

Les indicateurs viennent de :func:`coursehelpers.kpis.channel_summary`.
"""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar

import ipywidgets as w
import pandas as pd

from coursehelpers._core.validate import datetime_column, numeric_column, require_columns, require_frame
from coursehelpers.display import french_table, num
from coursehelpers.kpis import channel_summary
from coursehelpers.plots import channel_bars, update_channel_bars
from coursehelpers.widgets._base import Explorer, Plot

ALL = "Tous les motifs"
# indicateur → (colonne du tableau, titre de la figure, axe, format des barres)
INDICATORS = {
    "Satisfaction moyenne": ("satisfaction_moyenne", "Satisfaction moyenne par canal",
                             "Note moyenne (sur 5)", "score"),
    "Clients satisfaits": ("part_satisfaits", "Part de clients satisfaits par canal",
                           "Part des répondants satisfaits", "percent"),
    "Volume de contacts": ("contacts", "Volume de contacts par canal", "Nombre de contacts", "number"),
    "Taux de résolution": ("taux_resolution", "Taux de résolution par canal",
                           "Part des demandes résolues", "percent"),
    "Délai médian de réponse": ("delai_median_h", "Délai médian de réponse par canal",
                                "Délai médian (heures)", "hours"),
    # proposé seulement si les contacts ont une colonne « nps » (note 0 à 10) ; peut être négatif
    "NPS": ("nps", "NPS par canal", "NPS (% promoteurs − % détracteurs)", "number"),
}
COLUMNS = {"contacts": "Contacts", "part_volume": "Part du volume", "delai_median_h": "Délai médian (h)",
           "taux_resolution": "Résolus", "satisfaction_moyenne": "Satisfaction /5",
           "part_satisfaits": "Satisfaits", "nps": "NPS"}


def _lower(label: str) -> str:
    """« Taux de résolution » → « taux de résolution » ; un sigle (« NPS ») reste en capitales."""
    return label if label.isupper() else label.lower()


class ChannelExplorer(Explorer):
    name = "canaux"
    aliases: ClassVar[dict[str, str]] = {
        "indicateur": "indicator",
        "motif": "reason",
        "periode": "period",
        "seuil": "threshold",
    }
    title = "Canaux de la relation client : volume, délai, résolution et satisfaction"

    def __init__(self, contacts: pd.DataFrame) -> None:
        df = require_frame(contacts, name="contacts")
        require_columns(df, ["canal", "motif", "date", "delai_reponse_h", "resolu", "satisfaction"],
                        name="contacts")
        dates = datetime_column(df, "date", name="contacts")
        numeric_column(df, "delai_reponse_h", name="contacts", allow_missing=True)
        numeric_column(df, "satisfaction", name="contacts", allow_missing=True)
        self._data = df.assign(date=dates)
        self._channels = sorted(pd.unique(df["canal"].dropna()).tolist(), key=str)
        self._quarter = dates.dt.to_period("Q").astype(str).to_numpy()
        quarters = sorted(set(self._quarter))
        motifs = [str(m) for m in pd.unique(df["motif"].dropna())]
        style = {"description_width": "120px"}
        controls = {
            "indicator": w.Dropdown(options=[k for k in INDICATORS if k != "NPS" or "nps" in df],
                                     value="Satisfaction moyenne",
                                     description="Indicateur", style=style),
            "reason": w.Dropdown(options=[ALL, *sorted(motifs)], value=ALL, description="Motif",
                                style=style),
            "period": w.SelectionRangeSlider(options=quarters, index=(0, len(quarters) - 1),
                                              description="Période", style=style,
                                              layout=w.Layout(width="520px")),
            "threshold": w.IntSlider(value=4, min=2, max=5, description="Satisfait si note ≥", style=style),
        }
        super().__init__(controls)

    def _compute(self, values: dict[str, Any]) -> dict[str, object]:
        start, end = values["period"]
        mask = (self._quarter >= start) & (self._quarter <= end)
        if values["reason"] != ALL:
            mask &= (self._data["motif"] == values["reason"]).to_numpy()
        summary = channel_summary(self._data[mask], threshold=values["threshold"], channels=self._channels)
        column, title, xlabel, kind = INDICATORS[values["indicator"]]
        ordered = summary.sort_values(column, ascending=column == "delai_median_h")
        bars = ordered[column]
        key = (values["indicator"], values["reason"], values["period"],
               values["threshold"] if column == "part_satisfaits" else None)  # le seuil ne change que ce cas
        figure = self._plot(key, lambda: Plot(
            partial(channel_bars, bars, title=title, xlabel=xlabel, kind=kind),
            partial(update_channel_bars, values=bars, title=title, xlabel=xlabel, kind=kind)))
        scope = "tous motifs" if values["reason"] == ALL else f"motif « {values['reason']} »"
        text = (f"{num(int(mask.sum()))} contacts ({scope}, du {start} au {end}). "
                f"Meilleur canal pour « {_lower(values['indicator'])} » : **{ordered.index[0]}**.")
        shown = summary.rename(columns=COLUMNS)
        table = french_table(shown, pct_columns=["Part du volume", "Résolus", "Satisfaits"],
                             pct_decimals=0, num_columns=["Contacts", "NPS"])
        for col in ("Délai médian (h)", "Satisfaction /5"):
            table[col] = shown[col].map(lambda v: num(v, 1))
        return {"resume": text, "figure": figure, "tableau": table}
