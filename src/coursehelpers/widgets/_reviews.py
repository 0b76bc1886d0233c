"""Explorateur « e-réputation » : thèmes des avis (négatifs ou positifs), note, réponses, par plateforme.

Les indicateurs viennent de :func:`coursehelpers.reviews.review_summary`, les thèmes de
:func:`coursehelpers.reviews.keyword_counts` (mots-clés de :data:`coursehelpers.reviews.THEMES`).
"""

from __future__ import annotations

from functools import partial
from typing import Any

import ipywidgets as w
import numpy as np
import pandas as pd

from coursehelpers._core.validate import datetime_column, require_columns, require_frame
from coursehelpers.display import french_table, num, pct
from coursehelpers.errors import DataError
from coursehelpers.plots import share_bars, update_share_bars
from coursehelpers.reviews import review_summary, theme_hits
from coursehelpers.widgets._base import Explorer, Plot

ALL = "Toutes les plateformes"


class ReviewsExplorer(Explorer):
    name = "avis"
    title = "E-réputation : de quoi parlent les avis, et l'enseigne répond-elle ?"

    def __init__(self, reviews: pd.DataFrame) -> None:
        df = require_frame(reviews, name="avis")
        require_columns(df, ["plateforme", "date", "note", "texte", "reponse", "date_reponse"], name="avis")
        dates = datetime_column(df, "date", name="avis")
        self._data = df.assign(date=dates).reset_index(drop=True)
        self._quarter = dates.dt.to_period("Q").astype(str).str.replace("Q", "T").to_numpy()
        quarters = sorted(set(self._quarter))
        self._hits = theme_hits(self._data["texte"]).to_numpy()     # calculé une fois
        self._themes = list(theme_hits(["x"]).columns)
        platforms = sorted(str(p) for p in pd.unique(df["plateforme"].dropna()))
        style = {"description_width": "130px"}
        controls = {
            "plateforme": w.Dropdown(options=[ALL, *platforms], value=ALL, description="Plateforme",
                                     style=style),
            "periode": w.SelectionRangeSlider(options=quarters, index=(0, len(quarters) - 1),
                                              description="Période", style=style,
                                              layout=w.Layout(width="520px")),
            "avis": w.Dropdown(options=["négatifs", "positifs"], value="négatifs", description="Avis lus",
                               style=style),
            "seuil": w.IntSlider(value=2, min=1, max=3, description="Négatif si note ≤", style=style),
        }
        super().__init__(controls)

    def _compute(self, values: dict[str, Any]) -> dict[str, object]:
        start, end = values["periode"]
        mask = (self._quarter >= start) & (self._quarter <= end)
        if values["plateforme"] != ALL:
            mask &= (self._data["plateforme"] == values["plateforme"]).to_numpy()
        chosen = self._data[mask]
        if chosen.empty:
            raise DataError("aucun avis pour ces filtres : élargissez la période ou la plateforme.")
        negative = chosen["note"] <= values["seuil"]
        notes = self._data["note"].to_numpy()
        lu = mask & ((notes <= values["seuil"]) if values["avis"] == "négatifs" else (notes >= 4))
        read = self._data[lu]
        share = self._hits[lu].mean(axis=0) if lu.any() else np.zeros(len(self._themes))
        shares = pd.Series(share, index=self._themes)              # ordre fixe : l'axe ne bouge pas
        top = shares.sort_values(ascending=False, kind="stable").index[0]
        title = "Thèmes cités dans les avis lus"
        subtitle = (f"Avis {values['avis']} : {num(len(read))} avis "
                    f"({values['plateforme']}, {start} à {end})")
        key = (values["plateforme"], values["periode"], values["avis"], values["seuil"])
        figure = self._plot(key, lambda: Plot(
            partial(share_bars, shares, title=title, xlabel="Part des avis qui en parlent", ylabel="Thème",
                    subtitle=subtitle),
            partial(update_share_bars, values=shares, subtitle=subtitle)))
        summary = review_summary(chosen, freq="Y", negative=values["seuil"])
        answered = chosen["reponse"].to_numpy(dtype=bool)
        delay = (chosen["date_reponse"] - chosen["date"]).dt.days.to_numpy(dtype=float)[answered]
        text = (f"{num(len(chosen))} avis du {start} au {end} : note moyenne "
                f"**{num(chosen['note'].mean(), 2)}**, {pct(negative.mean())} de négatifs, "
                f"{pct(answered.mean())} avec une réponse"
                + (f" (délai médian {num(np.median(delay), 0)} j)." if delay.size else ".")
                + f" Thème le plus cité : **{top}**.")
        shown = summary.rename(columns={"avis": "Avis", "note_moyenne": "Note moyenne",
                                        "part_negatifs": "Négatifs", "part_repondus": "Avec réponse",
                                        "delai_median_j": "Délai médian (j)"})
        table = french_table(shown, num_columns=["Avis", "Note moyenne", "Délai médian (j)"],
                             decimals={"Note moyenne": 2}, pct_columns=["Négatifs", "Avec réponse"],
                             pct_decimals=0)
        return {"resume": text, "figure": figure, "tableau": table}
