"""Segmentation a priori : chaque client va au segment dont il vérifie la règle."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from coursehelpers._core.validate import require_frame
from coursehelpers.errors import DataError
from coursehelpers.segmentation._profile import UNASSIGNED

__all__ = ["Rule", "RuleSegmentation", "segment_by_rules"]


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

    Renvoie
    -------
    RuleSegmentation
        ``labels``, ``unassigned``, ``overlaps``, ``matches`` et ``summary()``.
        Toujours : effectifs des segments + non affectés = nombre de clients.

    Exemples
    --------
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
