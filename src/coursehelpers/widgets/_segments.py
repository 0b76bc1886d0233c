"""Explorateur de segmentation : a priori (règles sur un critère) ou a posteriori (k-means)."""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar

import ipywidgets as w
import pandas as pd

from coursehelpers import segmentation
from coursehelpers.display import eur, french_table, num, pct
from coursehelpers.errors import DataError
from coursehelpers.plots import segment_bars, update_segment_bars
from coursehelpers.segmentation import CRITERIA, UNASSIGNED
from coursehelpers.widgets._base import Explorer, Plot

AGE = "tranche d'âge"
PRIORI, POSTERIORI = "A priori (règles)", "A posteriori (k-means)"
BEHAVIOUR = ["chiffre_affaires", "commandes", "panier_moyen", "recence_jours"]
KMEANS_FEATURES = ["age", "chiffre_affaires", "commandes", "recence_jours"]


def _criteria(df: pd.DataFrame) -> dict[str, str]:
    """Critères du catalogue utilisables ici : libellé → colonne (modalités peu nombreuses)."""
    found = {AGE: "age"} if "age" in df else {}
    for criterion in CRITERIA:
        col = criterion.column
        if col in df and col != "age" and 1 < df[col].nunique() <= 15:
            found[criterion.name] = col
    return found


class SegmentationExplorer(Explorer):
    name = "segmentation"
    aliases: ClassVar[dict[str, str]] = {"methode": "method", "critere": "criterion"}
    title = "Segmentation des clients : a priori (règles) ou a posteriori (k-means)"

    def __init__(self, customers: pd.DataFrame, *, k: int, seed: int) -> None:
        self._df = customers
        self._seed = seed
        self._kmeans: dict[int, Any] = {}  # cache : un k-means par valeur de k
        self._criteria = _criteria(customers)
        features = [c for c in ("age", *BEHAVIOUR, "carte_fidelite") if c in customers]
        numeric = all(pd.api.types.is_numeric_dtype(customers[c]) for c in features)
        self._profiles = segmentation.ProfileSums(customers, features) if numeric and features else None
        if not self._criteria:
            raise DataError("aucun critère de segmentation reconnu dans les données "
                            "(âge, CSP, région, tranche de revenu...).")
        style = {"description_width": "150px"}
        controls = {
            "method": w.ToggleButtons(options=[PRIORI, POSTERIORI], value=PRIORI, description="Méthode",
                                       style=style),
            "criterion": w.Dropdown(options=list(self._criteria), value=next(iter(self._criteria)),
                                  description="Critère (a priori)", style=style),
            "ages": w.IntRangeSlider(value=(30, 50), min=18, max=80, description="Bornes des âges",
                                     style=style, layout=w.Layout(width="460px")),
            "k": w.IntSlider(value=k, min=2, max=8, description="k (k-means)", style=style),
        }
        super().__init__(controls)

    def _layout(self) -> w.Widget:
        c = self.controls
        return w.VBox([c["method"], w.HBox([c["criterion"], c["ages"]]), c["k"]])

    def _rules(self, values: dict[str, Any]) -> dict[str, str]:
        column = self._criteria[values["criterion"]]
        if column == "age":
            low, high = values["ages"]
            return {f"moins de {low} ans": f"age < {low}",
                    f"{low} à {high - 1} ans": f"{low} <= age < {high}",
                    f"{high} ans et plus": f"age >= {high}"}
        levels = self._df[column].dropna().unique()
        levels = sorted(levels, key=str) if not isinstance(self._df[column].dtype, pd.CategoricalDtype) \
            else [v for v in self._df[column].cat.categories if v in set(levels)]
        names = {True: "oui", False: "non"}
        return {f"{values['criterion']} : {names.get(v, v)}": f"`{column}` == {v!r}" for v in levels}

    def _labels(self, values: dict[str, Any]) -> tuple[pd.Series, str]:
        if values["method"] == PRIORI:
            chosen = self._rules(values)
            result = segmentation.segment_by_rules(self._df, chosen)
            rules = " ; ".join(f"{name} : `{rule}`" for name, rule in chosen.items())
            missing = f" · {num(result.n_unassigned)} client(s) sans segment" if result.n_unassigned else ""
            return result.labels, f"Règles : {rules}{missing}."
        k = values["k"]
        if k not in self._kmeans:
            self._kmeans[k] = segmentation.kmeans_segments(self._df, features=KMEANS_FEATURES, k=k,
                                                           seed=self._seed)
        result = self._kmeans[k]
        labels = result.labels.map(lambda i: f"Segment {i + 1}")
        return labels, (f"k-means sur {', '.join(KMEANS_FEATURES)} (variables centrées-réduites), "
                        f"k = {k}, graine {self._seed} · silhouette = {num(result.silhouette, 2)} "
                        "(proche de 1 : groupes bien séparés).")

    def _compute(self, values: dict[str, Any]) -> dict[str, object]:
        labels, text = self._labels(values)
        revenue = self._df["chiffre_affaires"]
        if not isinstance(labels.dtype, pd.CategoricalDtype):  # k-means : Segment 1, 2, ...
            labels = labels.astype(pd.CategoricalDtype(sorted(labels.unique(), key=lambda s: int(s[8:]))))
        groups = revenue.groupby(labels, observed=False)  # un segment vide reste affiché (0 %)
        weights = pd.DataFrame({"part_clients": groups.size() / len(labels),
                                "part_ca": groups.sum() / revenue.sum()})
        if weights.loc[weights.index == UNASSIGNED, "part_clients"].sum() == 0:
            weights = weights[weights.index != UNASSIGNED]
        title = "Poids de chaque segment (clients et chiffre d'affaires)"
        if values["method"] == PRIORI:
            ages = values["ages"] if self._criteria[values["criterion"]] == "age" else None
            key: tuple = (PRIORI, values["criterion"], ages)
        else:
            key = (POSTERIORI, values["k"])  # les bornes des âges ne changent pas les segments k-means
        figure = self._plot(key, lambda: Plot(partial(segment_bars, weights, title=title),
                                              partial(update_segment_bars, summary=weights, title=title)))
        features = [c for c in ("age", *BEHAVIOUR, "carte_fidelite") if c in self._df]
        profile = (self._profiles.table(labels) if self._profiles is not None
                   else segmentation.profile_table(self._df, labels, features=features))
        shown = pd.DataFrame(index=pd.Index(profile.index, name="Segment"))
        shown["Clients"] = profile["effectif"].map(num)
        shown["Part"] = profile["part"].map(lambda v: pct(v, 0))
        names = {"age": ("Âge moyen", num), "chiffre_affaires": ("CA moyen", eur),
                 "commandes": ("Commandes", lambda v: num(v, 1)), "panier_moyen": ("Panier moyen", eur),
                 "recence_jours": ("Récence (j)", num), "carte_fidelite": ("Carte fidélité", pct)}
        for col in features:
            label, fmt = names[col]
            shown[label] = profile[col].map(fmt)
        return {"resume": text, "figure": figure, "profils": french_table(shown)}
