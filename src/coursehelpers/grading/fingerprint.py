"""Empreintes salées des réponses attendues, pour la vérification immédiate dans le notebook.

La cellule de test de l'élève ne contient jamais la valeur attendue en clair, seulement
une empreinte comme ``"1n.-.-.-.5f0c1e9a2b.a1b2c3d4e5.0"`` : type attendu (en clair),
puis des hachages PBKDF2-SHA256 (sel = nom de la variable) de la taille, des étiquettes
(dans l'ordre et triées), de la valeur arrondie grossièrement et finement, et un
drapeau « la réponse attendue contient des NaN ».

Arrondi : ``chiffres_fins = round(-log10(rtol))`` chiffres significatifs (6 pour
``rtol = 1e-6``) et 2 chiffres pour la version grossière, qui permet de dire
« presque : pas assez précis » sans révéler la valeur.

Limite assumée (voir docs/formateur.md) : une empreinte empêche de *lire* la
réponse, pas de la retrouver par essais systématiques quand les réponses possibles
sont peu nombreuses (QCM). La note du correcteur en lot reste l'autorité.

>>> fp = make_fingerprint({"t": "num", "v": 0.5}, name="x")
>>> verify({"t": "num", "v": 0.5}, fp, name="x").ok
True
"""

from __future__ import annotations

import hashlib
import math

from coursehelpers.grading.compare import (
    OK,
    RTOL,
    Verdict,
    canonical,
    has_nan,
    precheck,
    size_of,
    type_name,
)

VERSION = "1"
ITERATIONS = 4000
KIND_CODES = {"num": "n", "str": "s", "bool": "b", "list": "l", "set": "e", "dict": "d",
              "series": "S", "frame": "F", "date": "t", "none": "z", "other": "o", "ellipsis": "x"}
KIND_NAMES = {v: k for k, v in KIND_CODES.items()}


def digits_for(rtol: float) -> tuple[int, int]:
    """Chiffres significatifs (fins, grossiers) utilisés pour une tolérance relative ``rtol``."""
    fine = max(2, min(10, round(-math.log10(rtol)))) if rtol > 0 else 12
    return fine, max(1, min(2, fine - 2))


def _h(text: str, name: str) -> str:
    if text == "":
        return "-"
    raw = hashlib.pbkdf2_hmac("sha256", text.encode(), f"coursehelpers:{name}".encode(), ITERATIONS)
    return raw[:5].hex()


def _shape(enc: dict) -> str:
    t = enc.get("t")
    if t in ("series", "frame", "list", "set", "dict"):
        return size_of(enc)
    return ""


def _labels(enc: dict) -> tuple[str, str]:
    t = enc.get("t")
    if t == "series":
        labels = [str(x) for x in enc["index"]]
    elif t == "frame":
        labels = [str(x) for x in enc["index"]] + ["|"] + sorted(str(c) for c in enc["columns"])
    elif t == "dict":
        labels = sorted(str(k) for k, _ in enc["v"])
    else:
        return "", ""
    return "\x1f".join(labels), "\x1f".join(sorted(labels))


def sort_rows(enc: dict) -> dict:
    """Lignes d'une Series/DataFrame encodée triées par étiquette (texte) : forme canonique
    quand l'ordre des lignes n'est pas noté (``ordered=False``)."""
    if enc.get("t") not in ("series", "frame"):
        return enc
    order = sorted(range(len(enc["index"])), key=lambda i: str(enc["index"][i]))
    out = dict(enc, index=[enc["index"][i] for i in order])
    if enc["t"] == "series":
        out["values"] = [enc["values"][i] for i in order]
    else:
        out["data"] = [[col[i] for i in order] for col in enc["data"]]
    return out


def make_fingerprint(enc: dict, *, name: str, rtol: float = RTOL, ordered: bool = True) -> str:
    """Empreinte de la réponse attendue ``enc`` (encodage JSON) pour la variable ``name``.

    ``ordered=False`` : l'ordre des lignes n'est pas noté, l'empreinte porte sur les lignes
    triées par étiquette (et :func:`verify` trie de même la réponse de l'élève)."""
    enc = enc if ordered else sort_rows(enc)
    fine, coarse = digits_for(rtol)
    ordered, unordered = _labels(enc)
    parts = [VERSION + KIND_CODES.get(enc.get("t", "other"), "o"), _h(_shape(enc), name),
             _h(ordered, name), _h(unordered, name), _h(canonical(enc, coarse), name),
             _h(canonical(enc, fine), name), "1" if has_nan(enc) else "0"]
    return ".".join(parts)


def _candidates(enc: dict, digits: int) -> list[str]:
    """Représentations canoniques à essayer (un nombre seul tolère le bruit d'arrondi binaire)."""
    if enc.get("t") == "num" and isinstance(enc["v"], float) and math.isfinite(enc["v"]):
        v = enc["v"]
        return [canonical({"t": "num", "v": x}, digits) for x in (v, v * (1 + 1e-9), v * (1 - 1e-9))]
    return [canonical(enc, digits)]


def verify(actual: dict, fingerprint: str, *, name: str, rtol: float = RTOL,
           ordered: bool = True) -> Verdict:
    """Compare la réponse encodée ``actual`` à une empreinte, avec les mêmes messages que le correcteur.

    ``ordered`` doit valoir ce qu'il valait à la création de l'empreinte."""
    try:
        head, h_shape, h_ord, h_unord, h_coarse, h_fine, nan_flag = fingerprint.split(".")
    except ValueError:
        return Verdict(False, "empreinte", "Cette cellule de test est abîmée (empreinte illisible) : "
                       "récupérez une copie neuve de l'exercice auprès de votre formateur.")
    if head[:1] != VERSION:
        return Verdict(False, "empreinte", "Empreinte d'une autre version du cours : régénérez les "
                       "exercices (coursehelpers build-exercises).")
    expected_t = KIND_NAMES.get(head[1:], "other")
    # Absence, « ... », mauvais type : mêmes messages que la comparaison complète.
    failed, actual = precheck(expected_t, actual, name=name)
    if failed is not None:
        return failed
    if expected_t == "other":
        ok = _h(canonical(actual, 12), name) == h_fine
        return OK if ok else Verdict(False, "type", f"« {name} » est {type_name(actual)} : "
                                     "ce n'est pas ce qui est attendu.")
    if _h(_shape(actual), name) != h_shape:
        return Verdict(False, "forme", f"« {name} » a {size_of(actual)} : ce n'est pas la taille "
                       "attendue. Vérifiez le filtre, le regroupement ou la sélection.")
    if nan_flag == "0" and has_nan(actual):
        return Verdict(False, "nan", f"« {name} » contient des valeurs manquantes (NaN) : vérifiez une "
                       "jointure, une division par zéro ou un nom de colonne.")
    if not ordered:
        actual = sort_rows(actual)
    in_order, unordered = _labels(actual)
    if _h(in_order, name) != h_ord:
        if _h(unordered, name) == h_unord:
            return Verdict(False, "index", f"« {name} » a les bonnes étiquettes mais pas dans le bon "
                           "ordre : vérifiez le tri (sort_values, ascending=...).")
        return Verdict(False, "index", f"Les étiquettes (index ou colonnes) de « {name} » ne sont pas "
                       "celles attendues (avez-vous fait un reset_index() ?).")
    fine, coarse = digits_for(rtol)
    if any(_h(c, name) == h_fine for c in _candidates(actual, fine)):
        return OK
    if expected_t in ("num", "series", "frame", "list") and any(
            _h(c, name) == h_coarse for c in _candidates(actual, coarse)):
        return Verdict(False, "tolerance", f"« {name} » est proche de la bonne valeur mais pas assez "
                       "précis : n'arrondissez pas en cours de calcul et vérifiez la formule exacte.")
    return Verdict(False, "valeur", f"La valeur de « {name} » n'est pas la bonne.")
