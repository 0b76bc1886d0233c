"""Segmentation de la clientèle : critères, méthode a priori (règles) et a posteriori (k-means).

Segmenter, c'est découper une population (clients, prospects) en sous-ensembles
homogènes, chacun pouvant recevoir une offre et une communication adaptées.

* **A priori** (par règles) : vous choisissez les critères et les seuils avant
  de regarder les groupes, par ex. « moins de 30 ans et employé ».
  → :func:`segment_by_rules`.
* **A posteriori** (analyse de groupes) : un algorithme (ici k-means) forme des
  groupes de clients proches sur des variables choisies ; vous interprétez
  ensuite chaque groupe. → :func:`kmeans_segments`, :func:`compare_k`.

Dans les deux cas, :func:`profile_table` décrit chaque segment (effectif, part,
moyennes) : c'est la base pour rédiger des *personas*.

Ce module n'importe ni matplotlib ni ipywidgets ; scikit-learn n'est chargé
qu'à l'appel de :func:`kmeans_segments`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from coursehelpers._customers import customer_frame
from coursehelpers._validate import (
    no_missing,
    numeric_column,
    require_columns,
    require_frame,
)
from coursehelpers.errors import DataError

__all__ = [
    "CRITERIA",
    "UNASSIGNED",
    "Criterion",
    "KMeansResult",
    "RuleSegmentation",
    "compare_k",
    "criteria_table",
    "customer_frame",
    "kmeans_segments",
    "profile_table",
    "segment_by_rules",
]

#: Libellé des clients qui ne correspondent à aucune règle (quand ``default`` n'est pas donné).
UNASSIGNED = "Non affecté"


# --------------------------------------------------------------------------- catalogue
@dataclass(frozen=True)
class Criterion:
    """Un critère de segmentation : famille, nom, description et colonne des données du cours."""

    family: str
    name: str
    description: str
    column: str | None = None
    dataset: str | None = None


def _c(family: str, name: str, description: str, column: str | None = None,
       dataset: str | None = None) -> Criterion:
    return Criterion(family, name, description, column, dataset)


_SD, _SE, _GEO = "socio-démographique", "socio-économique", "géographique"
_COMP, _PSY, _B2B = "comportemental", "psychographique", "B2B (entreprises)"

#: Catalogue des critères de segmentation vus en cours (colonne = nom dans les données fournies).
CRITERIA: tuple[Criterion, ...] = (
    _c(_SD, "âge", "Âge du client en années ; souvent regroupé en tranches.", "age", "clients"),
    _c(_SD, "sexe", "Sexe ou civilité déclarée.", "sexe", "clients"),
    _c(_SD, "situation familiale", "Célibataire, en couple, avec ou sans enfants.",
       "situation_familiale", "clients"),
    _c(_SD, "niveau d'études", "Diplôme le plus élevé obtenu.", "niveau_etudes", "clients"),
    _c(_SE, "CSP", "Catégorie socioprofessionnelle (groupes de la PCS de l'INSEE).", "csp", "clients"),
    _c(_SE, "revenu", "Niveau ou tranche de revenu du foyer.", "tranche_revenu", "clients"),
    _c(_SE, "profession", "Métier exercé (plus fin que la CSP)."),
    _c(_GEO, "région", "Région de résidence.", "region", "clients"),
    _c(_GEO, "commune", "Commune ou département de résidence.", "commune", "clients"),
    _c(_GEO, "urbain / rural", "Type de zone d'habitation (ville, périurbain, campagne)."),
    _c(_COMP, "RFM", "Récence, fréquence et montant des achats (voir le module rfm)."),
    _c(_COMP, "fréquence d'achat", "Nombre d'achats sur une période donnée."),
    _c(_COMP, "canal", "Canal d'achat ou de contact préféré (magasin, site web, application...).",
       "canal", "transactions"),
    _c(_COMP, "fidélité", "Ancienneté, carte de fidélité, réachat.", "carte_fidelite", "clients"),
    _c(_COMP, "panier", "Montant moyen dépensé par commande (panier moyen).", "montant", "transactions"),
    _c(_PSY, "style de vie", "Manière de vivre, habitudes de consommation."),
    _c(_PSY, "valeurs", "Convictions (écologie, tradition, innovation...)."),
    _c(_PSY, "centres d'intérêt", "Loisirs, passions, sujets suivis."),
    _c(_B2B, "code NAF", "Activité principale de l'entreprise (nomenclature de l'INSEE).",
       "code_naf", "comptes_b2b"),
    _c(_B2B, "tranche d'effectif", "Nombre de salariés (TPE, PME, ETI, grande entreprise).",
       "tranche_effectif", "comptes_b2b"),
    _c(_B2B, "chiffre d'affaires", "CA annuel de l'entreprise cliente.", "ca_annuel", "comptes_b2b"),
    _c(_B2B, "SIRET / SIREN", "Identifiant de l'entreprise (SIREN) ou de l'établissement (SIRET).",
       "compte_id", "comptes_b2b"),
)


def criteria_table(*, family: str | None = None) -> pd.DataFrame:
    """Affiche le catalogue des critères de segmentation sous forme de tableau.

    Paramètres
    ----------
    family : str, optionnel
        Ne garder qu'une famille, par ex. ``"géographique"`` (début du nom accepté).

    Retourne
    --------
    DataFrame avec les colonnes ``famille``, ``critere``, ``description``,
    ``colonne`` (nom dans les données du cours, vide si absent) et ``fichier``.

    Exemple
    -------
    >>> criteria_table(family="B2B")["critere"].tolist()[:2]
    ['code NAF', "tranche d'effectif"]
    """
    table = pd.DataFrame(
        [(c.family, c.name, c.description, c.column, c.dataset) for c in CRITERIA],
        columns=["famille", "critere", "description", "colonne", "fichier"],
    )
    if family is not None:
        keep = table["famille"].str.lower().str.startswith(str(family).lower())
        if not keep.any():
            known = ", ".join(f"« {f} »" for f in table["famille"].unique())
            raise DataError(f"famille de critères inconnue : {family!r}. Familles : {known}.")
        table = table[keep].reset_index(drop=True)
    return table


# --------------------------------------------------------------------------- a priori
Rule = str | Callable[[pd.DataFrame], "pd.Series | np.ndarray"]


@dataclass
class RuleSegmentation:
    """Résultat de :func:`segment_by_rules`.

    Attributs
    ---------
    labels : Series
        Segment de chaque client (même index que les données).
    matches : DataFrame
        Une colonne vrai/faux par règle : le client vérifie-t-il la règle ?
    unassigned : Index
        Clients qui ne vérifient aucune règle.
    overlaps : DataFrame
        Clients qui vérifient plusieurs règles : ``regles`` (noms séparés par « + »),
        ``nombre`` et ``segment`` retenu.
    """

    labels: pd.Series
    matches: pd.DataFrame
    unassigned: pd.Index
    overlaps: pd.DataFrame
    rules: dict[str, str] = field(default_factory=dict)

    @property
    def n_unassigned(self) -> int:
        """Nombre de clients sans segment."""
        return len(self.unassigned)

    def summary(self) -> pd.DataFrame:
        """Tableau par segment : ``regle``, ``correspondances`` (clients qui vérifient la règle),
        ``effectif`` (clients finalement affectés) et ``part`` (effectif / total, entre 0 et 1)."""
        counts = self.labels.value_counts(sort=False)
        counts = counts[counts > 0]
        names = list(self.matches.columns)
        extra = [x for x in counts.index if x not in names]
        rows = names + extra
        out = pd.DataFrame(index=pd.Index(rows, name="segment"))
        out["regle"] = [self.rules.get(r, "(aucune règle vérifiée)") for r in rows]
        out["correspondances"] = [int(self.matches[r].sum()) if r in names else 0 for r in rows]
        out["effectif"] = counts.reindex(rows, fill_value=0).astype("int64")
        out["part"] = out["effectif"] / len(self.labels)
        return out


def _unknown_name(exc: Exception) -> str | None:
    found = re.search(r"name '([^']+)' is not defined", str(exc))
    return found.group(1) if found else None


def _evaluate_rule(df: pd.DataFrame, segment: str, rule: Rule) -> pd.Series:
    if isinstance(rule, str):
        try:
            mask = df.eval(rule)
        except pd.errors.UndefinedVariableError as exc:
            name = _unknown_name(exc)
            available = ", ".join(map(str, df.columns))
            raise DataError(
                f"règle « {segment} » ({rule!r}) : la colonne « {name} » n'existe pas. "
                f"Colonnes disponibles : {available}.",
                column=name,
            ) from None
        except SyntaxError:
            raise DataError(
                f"règle « {segment} » : écriture invalide {rule!r}. Exemple correct : "
                "\"age < 30 and csp == 'Employés'\" (textes entre guillemets, and / or / not, "
                "== pour l'égalité ; un nom de colonne avec espace s'écrit entre `accents graves`)."
            ) from None
        except (TypeError, ValueError) as exc:
            raise DataError(
                f"règle « {segment} » ({rule!r}) : comparaison impossible. Comparez des nombres "
                f"à des nombres et des textes à des textes entre guillemets. (Détail : {exc})"
            ) from None
    elif callable(rule):
        mask = rule(df)
    else:
        raise DataError(
            f"règle « {segment} » : une règle est un texte (requête pandas) ou une fonction "
            f"qui renvoie vrai/faux par client, pas un objet de type {type(rule).__name__}."
        )
    if isinstance(mask, pd.Series):
        if not mask.index.equals(df.index):
            raise DataError(f"règle « {segment} » : le résultat n'a pas le même index que les données.")
    else:
        arr = np.asarray(mask)
        if arr.ndim != 1 or len(arr) != len(df):
            raise DataError(
                f"règle « {segment} » : la règle doit donner une valeur vrai/faux par client "
                f"({len(df)} attendues)."
            )
        mask = pd.Series(arr, index=df.index)
    if not pd.api.types.is_bool_dtype(mask.dtype):
        raise DataError(
            f"règle « {segment} » : le résultat n'est pas vrai/faux (type {mask.dtype}). "
            "Écrivez une condition, par ex. \"age < 30\"."
        )
    # Valeur manquante (NA) = condition non vérifiée : le client part dans « non affecté ».
    return mask.fillna(False).astype(bool)


def segment_by_rules(
    df: pd.DataFrame,
    rules: Mapping[str, Rule],
    *,
    default: str | None = None,
    overlap: str = "first",
) -> RuleSegmentation:
    """Segmentation a priori : affecte chaque client au segment dont il vérifie la règle.

    Paramètres
    ----------
    df : DataFrame
        Une ligne par client.
    rules : dict
        ``{nom du segment: règle}``. Une règle est soit une requête pandas
        (``"age < 30 and csp == 'Employés'"``), soit une fonction ``f(df)`` qui
        renvoie une Series vrai/faux. Une valeur manquante ne vérifie pas la règle.
    default : str, optionnel
        Segment donné aux clients qui ne vérifient aucune règle
        (par défaut : ``"Non affecté"``). Ils restent listés dans ``unassigned``.
    overlap : {"first", "error"}
        Client qui vérifie plusieurs règles : ``"first"`` (défaut) le place dans la
        **première** règle du dictionnaire (l'ordre compte) et le signale dans
        ``overlaps`` ; ``"error"`` lève une DataError.

    Retourne
    --------
    RuleSegmentation
        ``labels``, ``unassigned``, ``overlaps``, ``matches`` et ``summary()``.
        Toujours : effectifs des segments + non affectés = nombre de clients.

    Exemple
    -------
    >>> df = pd.DataFrame({"age": [25, 45, 70]})
    >>> seg = segment_by_rules(df, {"Jeunes": "age < 30", "Seniors": "age >= 65"})
    >>> seg.labels.tolist(), seg.n_unassigned
    (['Jeunes', 'Non affecté', 'Seniors'], 1)
    """
    require_frame(df, name="clients")
    if not isinstance(rules, Mapping) or not rules:
        raise DataError("« rules » doit être un dictionnaire non vide {segment: règle}.")
    if overlap not in ("first", "error"):
        raise DataError(f"« overlap » vaut \"first\" ou \"error\" (reçu : {overlap!r}).")
    names = [str(k) for k in rules]
    fallback = UNASSIGNED if default is None else str(default)
    matches = pd.DataFrame({str(k): _evaluate_rule(df, str(k), r) for k, r in rules.items()},
                           index=df.index)
    n_match = matches.sum(axis=1)
    first = np.select([matches[n].to_numpy() for n in names], names, default=fallback)
    order = list(dict.fromkeys([*names, fallback]))
    labels = pd.Series(pd.Categorical(first, categories=order), index=df.index, name="segment")
    many = n_match > 1
    if many.any():
        hits = matches[many].stack()
        hits = hits[hits]
        joined = hits.reset_index(level=-1).iloc[:, 0].groupby(level=0, sort=False).agg(" + ".join)
        overlaps = pd.DataFrame({"regles": joined.reindex(df.index[many]),
                                 "nombre": n_match[many].astype("int64"),
                                 "segment": labels[many]})
        if overlap == "error":
            pos = int(np.flatnonzero(many.to_numpy())[0])
            raise DataError(
                f"{int(many.sum())} client(s) vérifient plusieurs règles ; le premier (index "
                f"{df.index[pos]!r}) vérifie : {overlaps['regles'].iloc[0]}. Rendez les règles "
                "exclusives ou utilisez overlap=\"first\" (la première règle l'emporte).",
                line=pos + 1,
            )
    else:
        overlaps = pd.DataFrame({"regles": pd.Series(dtype=object), "nombre": pd.Series(dtype="int64"),
                                 "segment": pd.Series(dtype=object)})
    texts = {str(k): (r if isinstance(r, str) else getattr(r, "__name__", "fonction"))
             for k, r in rules.items()}
    return RuleSegmentation(labels=labels, matches=matches, unassigned=df.index[n_match == 0],
                            overlaps=overlaps, rules=texts)


# --------------------------------------------------------------------------- profils
def _split_features(df: pd.DataFrame, features: Sequence[str]) -> tuple[list[str], list[str]]:
    if isinstance(features, str) or not features:
        raise DataError("« features » doit être une liste non vide de colonnes, par ex. ['age', 'revenu'].")
    features = list(features)
    require_columns(df, features, name="clients")
    numeric = [f for f in features if pd.api.types.is_numeric_dtype(df[f])]
    return numeric, [f for f in features if f not in numeric]


def _as_float(df: pd.DataFrame, col: str, *, allow_missing: bool) -> pd.Series:
    """Colonne numérique en float ; vrai/faux compté 1/0 (sa moyenne = part de « vrai »)."""
    if pd.api.types.is_bool_dtype(df[col]):
        if not allow_missing:
            no_missing(df, col, name="clients")
        return df[col].astype("float64")
    return numeric_column(df, col, name="clients", allow_missing=allow_missing)


def _align_labels(df: pd.DataFrame, labels: pd.Series | Sequence[object]) -> pd.Series:
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

    Exemple
    -------
    >>> df = pd.DataFrame({"age": [20, 30, 60], "csp": ["Employés", "Employés", "Retraités"]})
    >>> profile_table(df, ["A", "A", "B"], features=["age", "csp"], total=False)["age"].tolist()
    [25.0, 60.0]
    """
    require_frame(df, name="clients")
    numeric, categorical = _split_features(df, features)
    labels = _align_labels(df, labels)
    groups = df.groupby(labels, sort=True, observed=True)
    out = pd.DataFrame({"effectif": groups.size().astype("int64")})
    out["part"] = out["effectif"] / len(df)
    for col in numeric:
        out[col] = _as_float(df, col, allow_missing=True).groupby(labels).mean()
    for col in categorical:
        pairs = df.groupby([labels, df[col]], observed=True).size()
        top = pairs.sort_values(ascending=False, kind="stable").groupby(level=0).head(1)
        out[col] = pd.Series(top.index.get_level_values(1), index=top.index.get_level_values(0))
    if total:
        row: dict[str, object] = {"effectif": len(df), "part": 1.0}
        for col in numeric:
            row[col] = _as_float(df, col, allow_missing=True).mean()
        for col in categorical:
            counts = df[col].value_counts().sort_index().sort_values(ascending=False, kind="stable")
            row[col] = counts.index[0] if len(counts) else np.nan
        out.loc["Ensemble"] = pd.Series(row)
        out["effectif"] = out["effectif"].astype("int64")
    out.index.name = "segment"
    return out[["effectif", "part", *features]]



# --------------------------------------------------------------------------- a posteriori (k-means)
from coursehelpers._kmeans import KMeansResult, compare_k, kmeans_segments  # noqa: E402
