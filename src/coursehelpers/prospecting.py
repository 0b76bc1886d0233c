"""Prospection et parcours : entonnoir de conversion (taux de transformation) et grille de scoring.

- :func:`funnel` — l'entonnoir d'étapes successives (prospects contactés → RDV → devis →
  commandes ; visites → paniers → commandes) : effectif, taux de transformation d'une étape à
  la suivante et depuis le début, pertes.
- :func:`abandonment_rate` — le taux d'abandon de panier.
- :func:`lookalike_lift` — ciblage par ressemblance : sur-représentation d'une modalité (code NAF,
  tranche d'effectif, région...) chez les meilleurs clients.
- :func:`lead_scores` — une grille de scoring (points par critère) appliquée à un fichier de
  prospects, avec des classes « chaud / tiède / froid ».

>>> import pandas as pd
>>> p = pd.DataFrame({"contacte": [True] * 4, "rdv": [True, True, False, False],
...                   "commande": [True, False, False, False]})
>>> funnel(p, ["contacte", "rdv", "commande"])["taux_global"].tolist()
[1.0, 0.5, 0.25]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise

import numpy as np
import pandas as pd

from coursehelpers._core.validate import require_columns, require_frame
from coursehelpers.errors import DataError

__all__ = ["abandonment_rate", "class_table", "funnel", "lead_scores", "lookalike_lift"]


def _flags(df: pd.DataFrame, column: str, name: str) -> pd.Series:
    values = df[column]
    if pd.api.types.is_bool_dtype(values):
        return values.astype(bool)
    text = values.astype("string").str.strip().str.lower()
    ok = text.isin(["oui", "non", "true", "false", "1", "0"])
    if not ok.all():
        pos = int(np.flatnonzero(~ok.to_numpy())[0])
        raise DataError(f"« {name} » : oui/non attendu (valeur {values.iloc[pos]!r}).", column=column,
                        line=pos + 1)
    return text.isin(["oui", "true", "1"])


def funnel(data: pd.DataFrame | pd.Series | Mapping[str, float], stages: Sequence[str] | None = None, *,
           labels: Sequence[str] | None = None) -> pd.DataFrame:
    """Entonnoir de conversion : effectif de chaque étape et taux de transformation.

    Pour les étapes 0, 1, ..., k d'effectifs n₀ ≥ n₁ ≥ ... ≥ nₖ :

    - taux_etape(i) = nᵢ / nᵢ₋₁ (taux de transformation d'une étape à la suivante ; 1 pour
      l'étape 0) ;
    - taux_global(i) = nᵢ / n₀ (depuis le haut de l'entonnoir) ;
    - perdus(i) = nᵢ₋₁ − nᵢ (0 pour l'étape 0).

    Le **taux de transformation** commercial est le taux_global de la dernière étape
    (commandes / prospects contactés, ou commandes / visites). Le produit des taux d'étape
    redonne le taux global.

    Paramètres
    ----------
    data : DataFrame ou Series / dict d'effectifs
        Un tableau avec une colonne oui/non par étape (une ligne par prospect ou par visite), ou
        directement les effectifs par étape (``{"contactés": 839, "RDV": 191, ...}``).
    stages : liste de noms de colonnes
        Les étapes dans l'ordre (obligatoire pour un tableau).
    labels : liste de textes, optionnel
        Noms affichés des étapes (par défaut : les noms des colonnes).

    Renvoie
    -------
    DataFrame indexé par étape : ``effectif``, ``taux_etape``, ``taux_global``, ``perdus``.

    Lève
    ----
    DataError
        Étape absente, effectif négatif, ou étape plus nombreuse que la précédente (dans un
        tableau : la première ligne qui a passé une étape sans la précédente est citée).

    Exemples
    --------
    >>> t = funnel({"visites": 1000, "paniers": 300, "commandes": 90})
    >>> t["taux_etape"].round(2).tolist(), t["perdus"].tolist()
    ([1.0, 0.3, 0.3], [0, 700, 210])
    """
    if isinstance(data, pd.DataFrame):
        df = require_frame(data, name="entonnoir")
        if not stages:
            raise DataError("donnez les étapes de l'entonnoir, dans l'ordre : stages=[\"contacte\", ...].")
        stages = list(stages)
        require_columns(df, stages, name="entonnoir")
        flags = pd.DataFrame({s: _flags(df, s, "entonnoir") for s in stages})
        for before, after in pairwise(stages):
            skipped = flags[after] & ~flags[before]
            if skipped.any():
                pos = int(np.flatnonzero(skipped.to_numpy())[0])
                raise DataError(f"« {after} » sans « {before} » : chaque étape doit suivre la précédente "
                                f"(index {df.index[pos]!r}).", column=after, line=pos + 1)
        counts = flags.sum().astype("int64")
    else:
        counts = data.astype("float64") if isinstance(data, pd.Series) else pd.Series(data, dtype="float64")
        if counts.empty:
            raise DataError("l'entonnoir est vide : donnez au moins une étape.")
        if (counts < 0).any() or counts.isna().any():
            raise DataError("les effectifs de l'entonnoir doivent être des nombres positifs ou nuls.")
        grew = counts.diff().iloc[1:] > 0
        if grew.any():
            step = grew.index[int(np.flatnonzero(grew.to_numpy())[0])]
            raise DataError(f"l'étape « {step} » a plus d'effectif que la précédente : un entonnoir "
                            "ne peut que se rétrécir.")
        if (counts == counts.round()).all():
            counts = counts.astype("int64")
    names = list(labels) if labels is not None else [str(i) for i in counts.index]
    if len(names) != len(counts):
        raise DataError(f"« labels » doit avoir {len(counts)} noms (un par étape).")
    n = counts.to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        step = np.concatenate([[1.0], n[1:] / n[:-1]])
        overall = n / n[0]
    out = pd.DataFrame({
        "effectif": counts.to_numpy(),
        "taux_etape": np.where(np.isfinite(step), step, np.nan),
        "taux_global": np.where(np.isfinite(overall), overall, np.nan),
        "perdus": np.concatenate([[0], -np.diff(counts.to_numpy())]),
    }, index=pd.Index(names, name="etape"))
    return out


def abandonment_rate(data: pd.DataFrame, *, cart: str = "panier", order: str = "commande") -> float:
    """Taux d'abandon de panier = 1 − (paniers commandés / paniers créés).

    On ne compte que les lignes avec un panier : une commande passée sans panier (en magasin)
    ne diminue pas l'abandon.

    >>> import pandas as pd
    >>> v = pd.DataFrame({"panier": [True, True, True, True, False],
    ...                   "commande": [True, False, False, False, True]})
    >>> abandonment_rate(v)
    0.75
    """
    df = require_frame(data, name="parcours")
    require_columns(df, [cart, order], name="parcours")
    carts = _flags(df, cart, "parcours")
    if not carts.any():
        raise DataError("aucun panier dans ces données : le taux d'abandon n'a pas de sens.", column=cart)
    ordered = _flags(df, order, "parcours")
    return float(1 - (carts & ordered).sum() / carts.sum())


def lead_scores(prospects: pd.DataFrame, grid: Mapping[str, Mapping[object, float]], *,
                hot: float = 60, cold: float = 35, id_column: str | None = None) -> pd.DataFrame:
    """Applique une grille de scoring : score = somme des points obtenus sur chaque critère.

    score(p) = Σ_c points_c(valeur de p pour le critère c), une valeur absente de la grille
    valant 0 point. Classe : « chaud » si score ≥ ``hot``, « froid » si score < ``cold``,
    « tiède » entre les deux.

    Paramètres
    ----------
    prospects : DataFrame
        Une ligne par prospect.
    grid : dict
        ``{colonne: {valeur: points}}``, par exemple
        ``{"source": {"recommandation client": 20, "salon professionnel": 10}}``.
    hot, cold : nombres
        Seuils des classes (``cold`` ≤ ``hot``).
    id_column : str, optionnel
        Colonne à utiliser comme index du résultat (par défaut : l'index de ``prospects``).

    Renvoie
    -------
    DataFrame : une colonne ``points_<critère>`` par critère, ``score`` et ``classe``
    (catégorie ordonnée froid < tiède < chaud).

    Exemples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"secteur": ["hôtel", "café", "hôtel"], "source": ["salon", "web", "web"]})
    >>> g = {"secteur": {"hôtel": 40, "café": 10}, "source": {"salon": 30}}
    >>> s = lead_scores(p, g)
    >>> s["score"].tolist(), s["classe"].astype(str).tolist()
    ([70.0, 10.0, 40.0], ['chaud', 'froid', 'tiède'])
    """
    df = require_frame(prospects, name="prospects")
    if not isinstance(grid, Mapping) or not grid:
        raise DataError("la grille doit être un dictionnaire {colonne: {valeur: points}} non vide.")
    require_columns(df, [*grid, id_column], name="prospects")
    if cold > hot:
        raise DataError(f"seuils incohérents : cold ({cold}) doit être inférieur ou égal à hot ({hot}).")
    out = pd.DataFrame(index=df[id_column] if id_column else df.index)
    for column, points in grid.items():
        if not isinstance(points, Mapping):
            raise DataError(f"points du critère « {column} » : un dictionnaire "
                            "{valeur: points} est attendu.")
        table = pd.Series({str(k): float(v) for k, v in points.items()}, dtype="float64")
        out[f"points_{column}"] = df[column].astype(str).map(table).fillna(0.0).to_numpy()
    out["score"] = out.sum(axis=1)
    classe = np.where(out["score"] >= hot, "chaud", np.where(out["score"] < cold, "froid", "tiède"))
    out["classe"] = pd.Categorical(classe, categories=["froid", "tiède", "chaud"], ordered=True)
    return out


def lookalike_lift(best: pd.DataFrame, everyone: pd.DataFrame, column: str) -> pd.DataFrame:
    """Ciblage par ressemblance : quelles modalités sont sur-représentées chez les meilleurs clients ?

    part_meilleurs(v) = meilleurs ayant la valeur v / nombre de meilleurs ;
    part_tous(v) = clients ayant la valeur v / nombre de clients ;
    indice(v) = part_meilleurs(v) / part_tous(v). Un indice de 2 veut dire : deux fois plus
    fréquent chez les meilleurs que dans l'ensemble ; on cherche en priorité des prospects qui
    ont ces valeurs (*lookalike*).

    Paramètres
    ----------
    best : DataFrame
        Les meilleurs clients (par exemple les 20 % au plus gros chiffre d'affaires).
    everyone : DataFrame
        Tous les clients (``best`` en fait partie).
    column : str
        Critère à comparer (``"code_naf"``, ``"tranche_effectif"``, ``"region"``...).

    Renvoie
    -------
    DataFrame indexé par valeur : ``meilleurs``, ``tous``, ``part_meilleurs``, ``part_tous``,
    ``indice`` ; trié par indice décroissant (puis par effectif).

    Exemples
    --------
    >>> import pandas as pd
    >>> tous = pd.DataFrame({"naf": ["hôtel"] * 2 + ["café"] * 8})
    >>> lookalike_lift(tous.iloc[:3], tous, "naf")["indice"].round(2).to_dict()
    {'hôtel': 3.33, 'café': 0.42}
    """
    b = require_frame(best, name="meilleurs clients")
    a = require_frame(everyone, name="tous les clients")
    require_columns(b, [column], name="meilleurs clients")
    require_columns(a, [column], name="tous les clients")
    top = b[column].astype(str).value_counts()
    base = a[column].astype(str).value_counts()
    missing = top.index.difference(base.index)
    if len(missing):
        raise DataError(f"la valeur {missing[0]!r} des meilleurs clients n'est pas dans l'ensemble des "
                        "clients : « best » doit être une partie de « everyone ».", column=column)
    out = pd.DataFrame({"meilleurs": top.reindex(base.index, fill_value=0), "tous": base})
    out["part_meilleurs"] = out["meilleurs"] / len(b)
    out["part_tous"] = out["tous"] / len(a)
    out["indice"] = out["part_meilleurs"] / out["part_tous"]
    out.index.name = column
    return out.sort_values(["indice", "tous"], ascending=[False, False], kind="stable")


_CLASSES = ["chaud", "tiède", "froid"]
_FLAGS = ["contacte", "rdv", "devis", "commande"]


def class_table(prospects: pd.DataFrame, scores: pd.Series | np.ndarray, *, hot: float, cold: float,
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
    for flag in _FLAGS:
        counts[flag] = np.bincount(code, weights=prospects[flag].to_numpy(dtype=float), minlength=3)
    out = pd.DataFrame(counts, index=pd.Index(_CLASSES, name="classe")).astype("int64")
    out = out.rename(columns={"contacte": "contactes", "commande": "commandes"})
    with np.errstate(divide="ignore", invalid="ignore"):
        out["taux_rdv"] = out["rdv"] / out["contactes"]
        out["taux_devis"] = out["devis"] / out["contactes"]
        out["taux_transformation"] = out["commandes"] / out["contactes"]
        out["cout_par_commande"] = (out["contactes"] * float(cost) / out["commandes"]).where(
            out["commandes"] > 0)
    return out
