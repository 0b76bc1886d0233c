"""Explorateurs « valeur des clients » : pyramide des clients et analyse ABC / Pareto."""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar

import ipywidgets as w
import pandas as pd

from coursehelpers import pareto, tiers
from coursehelpers.display import french_table, pct
from coursehelpers.errors import DataError
from coursehelpers.plots import customer_pyramid, pareto_curve, update_customer_pyramid, update_pareto_curve
from coursehelpers.widgets._base import Explorer, Plot, check_order, keep_in_order

_STYLE = {"description_width": "230px"}
_WIDE = w.Layout(width="520px")


_TIERS = ("Platinum", "Or", "Fer")
_CLASSES = ("de la classe A", "de la classe B")


class PyramidExplorer(Explorer):
    """Pyramide des clients : trois curseurs de seuils qui ne peuvent pas se croiser.

    Déplacer un seuil au-delà d'un autre pousse celui-ci d'un cran (Platinum < Or < Fer reste
    vrai) : aucun réglage du curseur ne mène à une erreur.
    """

    name = "pyramide"
    aliases: ClassVar[dict[str, str]] = {"or_": "gold", "fer": "iron"}
    title = "Pyramide des clients : Platinum, Or, Fer, Plomb"
    note = ("Les seuils ne se croisent pas : pousser un curseur au-delà d'un autre déplace aussi "
            "celui-ci (Platinum &lt; Or &lt; Fer).")

    @staticmethod
    def check_cutoffs(cutoffs: tuple[float, float, float]) -> tuple[float, float, float]:
        """Seuils Platinum < Or < Fer, entre 0 et 1, arrondis au centième ; sinon une erreur en clair.

        Exemples
        --------
        >>> PyramidExplorer.check_cutoffs((0.05, 0.2, 0.6))
        (0.05, 0.2, 0.6)
        >>> try:
        ...     PyramidExplorer.check_cutoffs((0.23, 0.2, 0.6))
        ... except DataError as err:
        ...     print(str(err).replace("\\N{NO-BREAK SPACE}", " "))
        Le seuil Or (20 %) doit rester au-dessus du seuil Platinum (23 %).
        """
        try:
            values = tuple(round(float(v), 4) for v in cutoffs)
        except (TypeError, ValueError):
            raise DataError("Les seuils de la pyramide sont trois parts de clients (Platinum, Or, Fer), "
                            "par exemple 5 %, 20 % et 60 %.") from None
        if len(values) != 3:
            raise DataError("Il faut trois seuils : Platinum, Or et Fer (par exemple 5 %, 20 % et 60 %).")
        for name, value in zip(_TIERS, values, strict=True):
            if not 0 < value < 1:
                raise DataError(f"Le seuil {name} doit être une part de clients entre 0 % et 100 % "
                                f"(reçu : {pct(value, 0)}).")
        check_order(values, _TIERS)
        return values  # type: ignore[return-value]

    def __init__(self, values: pd.Series, *, cutoffs: tuple[float, float, float]) -> None:
        cutoffs = self.check_cutoffs(cutoffs)
        tiers.assign_tiers(values, cutoffs=cutoffs)  # contrôle des données
        self._values = values
        controls = {
            "platinum": w.FloatSlider(value=cutoffs[0], min=0.01, max=0.30, step=0.01,
                                      description="Platinum : les meilleurs", readout_format=".0%",
                                      style=_STYLE, layout=_WIDE),
            "gold": w.FloatSlider(value=cutoffs[1], min=0.05, max=0.60, step=0.01,
                                 description="Or : jusqu'aux meilleurs", readout_format=".0%",
                                 style=_STYLE, layout=_WIDE),
            "iron": w.FloatSlider(value=cutoffs[2], min=0.20, max=0.95, step=0.01,
                                 description="Fer : jusqu'aux meilleurs", readout_format=".0%",
                                 style=_STYLE, layout=_WIDE),
        }
        keep_in_order(self, list(controls.values()))
        super().__init__(controls)

    def _layout(self) -> w.Widget:
        return w.VBox(list(self.controls.values()))

    def _compute(self, values: dict[str, Any]) -> dict[str, object]:
        cutoffs = self.check_cutoffs(tuple(values[k] for k in ("platinum", "gold", "iron")))
        table = tiers.tier_table(self._values, cutoffs=cutoffs)
        top = table.iloc[0]
        text = (f"Les clients **Platinum** ({pct(top['part_clients'], 0)} des clients) font "
                f"**{pct(top['part_valeur'], 0)}** du chiffre d'affaires. Seuils (part cumulée des "
                f"clients classés du plus au moins rentable) : {pct(cutoffs[0], 0)} · "
                f"{pct(cutoffs[1], 0)} · {pct(cutoffs[2], 0)}.")
        shown = table.rename(columns={"clients": "Clients", "part_clients": "Part des clients",
                                      "valeur": "Chiffre d'affaires", "part_valeur": "Part du CA",
                                      "valeur_moyenne": "CA moyen / client"})
        shown.index.name = "Niveau"
        shown = french_table(shown, num_columns=["Clients"], eur_columns=[
            c for c in ("Chiffre d'affaires", "CA moyen / client") if c in shown],
            pct_columns=[c for c in ("Part des clients", "Part du CA") if c in shown], pct_decimals=0)
        figure = self._plot(cutoffs, lambda: Plot(partial(customer_pyramid, table),
                                                  partial(update_customer_pyramid, table=table)))
        return {"resume": text, "figure": figure, "tableau": shown}


class ABCExplorer(Explorer):
    name = "abc"
    aliases: ClassVar[dict[str, str]] = {
        "seuil_a": "threshold_a",
        "seuil_b": "threshold_b",
        "part_clients": "top_share",
    }
    title = "Analyse ABC et loi de Pareto (20/80)"
    note = ("Les seuils ne se croisent pas : pousser celui de la classe A au-delà de celui de la "
            "classe B déplace aussi ce dernier (et inversement).")

    def __init__(self, values: pd.Series, *, thresholds: tuple[float, float], share: float) -> None:
        check_order(tuple(thresholds), _CLASSES)
        pareto.pareto_table(values, thresholds=thresholds)  # contrôle des données et des seuils
        self._values = values
        controls = {
            "threshold_a": w.FloatSlider(value=thresholds[0], min=0.50, max=0.90, step=0.01,
                                     description="Classe A : jusqu'à (part du CA)", readout_format=".0%",
                                     style=_STYLE, layout=_WIDE),
            "threshold_b": w.FloatSlider(value=thresholds[1], min=0.80, max=0.99, step=0.01,
                                     description="Classe B : jusqu'à (part du CA)", readout_format=".0%",
                                     style=_STYLE, layout=_WIDE),
            "top_share": w.FloatSlider(value=share, min=0.05, max=0.50, step=0.05,
                                          description="Part des meilleurs clients", readout_format=".0%",
                                          style=_STYLE, layout=_WIDE),
        }
        keep_in_order(self, [controls["threshold_a"], controls["threshold_b"]])
        super().__init__(controls)

    def _layout(self) -> w.Widget:
        return w.VBox(list(self.controls.values()))

    def _compute(self, values: dict[str, Any]) -> dict[str, object]:
        thresholds = (round(values["threshold_a"], 2), round(values["threshold_b"], 2))
        check_order(thresholds, _CLASSES)
        table = pareto.pareto_table(self._values, thresholds=thresholds)
        share = values["top_share"]
        top = pareto.top_share(self._values, share=share)
        text = (f"Les **{pct(share, 0)}** meilleurs clients font **{pct(top, 0)}** du chiffre "
                f"d'affaires (loi des 20/80 : 20 % → 80 %). Classe A = "
                f"{pct(table.summary.loc['A', 'part_clients'], 0)} des clients.")
        shown = table.summary.rename(columns={"clients": "Clients", "part_clients": "Part des clients",
                                              "valeur": "Chiffre d'affaires", "part_valeur": "Part du CA"})
        shown.index = pd.Index([str(c) for c in shown.index], name="Classe")
        shown = french_table(shown, num_columns=["Clients"], eur_columns=["Chiffre d'affaires"],
                             pct_columns=["Part des clients", "Part du CA"], pct_decimals=1)
        figure = self._plot((values["threshold_a"], values["threshold_b"], share), lambda: Plot(
            partial(pareto_curve, table, share=share),
            partial(update_pareto_curve, values=table, share=share)))
        return {"resume": text, "figure": figure, "tableau": shown}
