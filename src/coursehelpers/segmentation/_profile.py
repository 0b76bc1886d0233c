"""Profil des segments (module feuille de ``segmentation``) : ce que partagent règles et k-means.

:func:`profile_table` décrit chaque segment en unités d'origine ; :func:`split_features`,
:func:`as_float` et :func:`align_labels` préparent les variables et les segments.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from coursehelpers._core.validate import no_missing, numeric_column, require_columns, require_frame
from coursehelpers.errors import DataError

__all__ = ["UNASSIGNED", "ProfileSums", "align_labels", "as_float", "profile_table", "split_features"]

#: Libellé des clients qui ne correspondent à aucune règle (quand ``default`` n'est pas donné).
UNASSIGNED = "Non affecté"


def split_features(df: pd.DataFrame, features: Sequence[str]) -> tuple[list[str], list[str]]:
    """Colonnes demandées (présentes) séparées en numériques et textes (catégorielles)."""
    if isinstance(features, str) or not features:
        raise DataError("« features » doit être une liste non vide de colonnes, par ex. ['age', 'revenu'].")
    features = list(features)
    require_columns(df, features, name="clients")
    numeric = [f for f in features if pd.api.types.is_numeric_dtype(df[f])]
    return numeric, [f for f in features if f not in numeric]


def as_float(df: pd.DataFrame, col: str, *, allow_missing: bool) -> pd.Series:
    """Colonne numérique en float ; vrai/faux compté 1/0 (sa moyenne = part de « vrai »)."""
    if pd.api.types.is_bool_dtype(df[col]):
        if not allow_missing:
            no_missing(df, col, name="clients")
        return df[col].astype("float64")
    return numeric_column(df, col, name="clients", allow_missing=allow_missing)


def align_labels(df: pd.DataFrame, labels: pd.Series | Sequence[object]) -> pd.Series:
    """Un segment par client, aligné sur l'index de ``df`` ; valeur manquante = « Non affecté »."""
    if isinstance(labels, pd.Series):
        if not labels.index.equals(df.index):
            labels = labels.reindex(df.index)
    else:
        values = np.asarray(labels, dtype=object)
        if values.ndim != 1 or len(values) != len(df):
            raise DataError(f"« labels » doit contenir un segment par client ({len(df)} attendus).")
        labels = pd.Series(values, index=df.index)
    if labels.isna().any():
        if isinstance(labels.dtype, pd.CategoricalDtype):
            if UNASSIGNED not in labels.cat.categories:
                labels = labels.cat.add_categories([UNASSIGNED])
            labels = labels.fillna(UNASSIGNED)
        else:
            labels = labels.astype(object).where(labels.notna(), UNASSIGNED)
    return labels.rename("segment")


def profile_table(df: pd.DataFrame, labels: pd.Series | Sequence[object], *,
                  features: Sequence[str], total: bool = True) -> pd.DataFrame:
    """Profil de chaque segment, en unités d'origine (pour rédiger des personas).

    Pour chaque segment : ``effectif``, ``part`` (effectif / nombre de clients,
    entre 0 et 1), puis pour chaque variable la **moyenne** (variable numérique ;
    pour une variable vrai/faux, la part de « vrai »)
    ou la **modalité la plus fréquente** (variable texte ; à égalité, la première
    dans l'ordre alphabétique). Les segments suivent l'ordre des catégories si
    ``labels`` est catégoriel (cas de :func:`segment_by_rules`), sinon l'ordre croissant.

    Paramètres
    ----------
    df : DataFrame, une ligne par client.
    labels : Series ou liste, le segment de chaque client (valeur manquante = « Non affecté »).
    features : liste des colonnes à décrire.
    total : ajoute une ligne « Ensemble » (tous les clients) pour comparer.

    Exemples
    --------
    >>> df = pd.DataFrame({"age": [20, 30, 60], "csp": ["Employés", "Employés", "Retraités"]})
    >>> profile_table(df, ["A", "A", "B"], features=["age", "csp"], total=False)["age"].tolist()
    [25.0, 60.0]
    """
    require_frame(df, name="clients")
    numeric, categorical = split_features(df, features)
    labels = align_labels(df, labels)
    groups = df.groupby(labels, sort=True, observed=True)
    out = pd.DataFrame({"effectif": groups.size().astype("int64")})
    out["part"] = out["effectif"] / len(df)
    for col in numeric:
        out[col] = as_float(df, col, allow_missing=True).groupby(labels).mean()
    for col in categorical:
        pairs = df.groupby([labels, df[col]], observed=True).size()
        top = pairs.sort_values(ascending=False, kind="stable").groupby(level=0).head(1)
        out[col] = pd.Series(top.index.get_level_values(1), index=top.index.get_level_values(0))
    if total:
        row: dict[str, object] = {"effectif": len(df), "part": 1.0}
        for col in numeric:
            row[col] = as_float(df, col, allow_missing=True).mean()
        for col in categorical:
            counts = df[col].value_counts().sort_index().sort_values(ascending=False, kind="stable")
            row[col] = counts.index[0] if len(counts) else np.nan
        out.loc["Ensemble"] = pd.Series(row)
        out["effectif"] = out["effectif"].astype("int64")
    out.index.name = "segment"
    return out[["effectif", "part", *features]]


class ProfileSums:
    """:func:`profile_table` pour des variables numériques ou vrai/faux, recalculé vite pour chaque découpage.

    Les colonnes sont lues et contrôlées une fois (``as_float``, comme ``profile_table``) ; pour
    chaque réglage, il ne reste que des sommes par segment : moyenne(s, col) = somme des valeurs
    renseignées du segment / nombre de valeurs renseignées. Même tableau que ``profile_table``
    (vérifié dans ``tests/widgets/test_widgets.py``) en 0,6 ms au lieu de 11 ms (5 000 clients) :
    c'est ce qu'utilise l'explorateur de segmentation à chaque mouvement d'un contrôle.
    """

    def __init__(self, df: pd.DataFrame, features: list[str]) -> None:
        self.df, self.features = df, features
        values = np.column_stack([as_float(df, c, allow_missing=True).to_numpy(dtype=float)
                                  for c in features])
        self.known = ~np.isnan(values)
        self.values = np.where(self.known, values, 0.0)

    def table(self, labels: pd.Series) -> pd.DataFrame:
        labels = align_labels(self.df, labels)
        if not isinstance(labels.dtype, pd.CategoricalDtype):  # pragma: no cover - cas non utilisé ici
            return profile_table(self.df, labels, features=self.features)
        codes = labels.cat.codes.to_numpy()
        k = len(labels.cat.categories)
        size = np.bincount(codes, minlength=k)
        kept = np.flatnonzero(size)  # segments observés, dans l'ordre des catégories
        n = len(codes)
        out = {"effectif": np.append(size[kept], n).astype("int64"),
               "part": np.append(size[kept] / n, 1.0)}
        for j, col in enumerate(self.features):
            with np.errstate(invalid="ignore", divide="ignore"):
                sums = np.bincount(codes, weights=self.values[:, j], minlength=k)
                known = np.bincount(codes, weights=self.known[:, j], minlength=k)
                total = self.values[:, j].sum() / self.known[:, j].sum()
            out[col] = np.append(sums[kept] / known[kept], total)
        index = pd.Index([*labels.cat.categories[kept], "Ensemble"], name="segment")
        return pd.DataFrame(out, index=index)
