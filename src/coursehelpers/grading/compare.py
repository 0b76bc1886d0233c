"""Comparaison d'une réponse d'élève à la réponse attendue, avec un verdict en français.

Les deux valeurs sont des encodages JSON produits par
:func:`coursehelpers.grading.encode.encode_value`. Règles de comparaison :

- nombres : ``|x - attendu| <= max(rtol * |attendu|, atol)`` (``math.isclose``) ;
  un entier attendu accepte un flottant égal (``12.0`` pour ``12``) ;
- textes : normalisés (casse, accents, espaces et ponctuation finale ignorés) ;
- listes : même longueur, éléments comparés dans l'ordre ; ensembles : sans ordre ;
- Series / DataFrame : mêmes étiquettes d'index (dans le même ordre, sauf
  ``ordered=False``), mêmes colonnes (dans n'importe quel ordre), valeurs comparées
  colonne par colonne avec la tolérance.

Chaque échec a un *genre* (``kind``) et un message distinct : réponse absente,
énoncé pas encore complété, mauvais type, mauvaise taille, valeurs manquantes
(NaN), mauvaises étiquettes, hors tolérance, valeur fausse.

>>> compare({"t": "num", "v": 0.5}, {"t": "num", "v": 0.5000000001}).ok
True
>>> compare({"t": "num", "v": 0.5}, {"t": "str", "v": "0.5"}).kind
'type'
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from coursehelpers._core.text import strip_accents

RTOL = 1e-6
ATOL = 1e-9

TYPE_NAMES = {
    "num": "un nombre", "str": "un texte (str)", "bool": "un booléen (True / False)",
    "list": "une liste", "set": "un ensemble (set)", "dict": "un dictionnaire (dict)",
    "series": "une Series pandas", "frame": "un DataFrame pandas", "date": "une date",
    "none": "None (rien)", "ellipsis": "« ... »",
}
# Types acceptés à la place du type attendu (ex. un tuple ou une Series pour une liste).
COMPATIBLE = {"list": {"list", "series"}, "set": {"set", "list"}}


@dataclass(frozen=True)
class Verdict:
    """Résultat d'une comparaison : ``ok``, genre d'échec ``kind`` et message en français."""

    ok: bool
    kind: str = "ok"
    message: str = ""


OK = Verdict(True)


def type_name(enc: dict) -> str:
    """Nom français du type d'une réponse encodée."""
    t = enc.get("t")
    if t == "other":
        return f"un objet de type {enc.get('type', '?')}"
    return TYPE_NAMES.get(t, f"un objet de type {t}")


def normalize_text(text: str) -> str:
    """Texte comparable : sans accents, en minuscules, espaces réduits, sans ponctuation finale."""
    bare = strip_accents(str(text))
    return " ".join(bare.casefold().split()).strip(" .;:!?»«\"'")


def wrap(x: object) -> dict:
    """Scalaire JSON (élément de Series, de tableau numpy) → encodage ``{"t": ...}``."""
    if isinstance(x, dict) and "t" in x:
        return x
    if x is None:
        return {"t": "none"}
    if isinstance(x, bool):
        return {"t": "bool", "v": x}
    if isinstance(x, int | float):
        return {"t": "num", "v": x}
    return {"t": "str", "v": str(x)}


def is_nan(enc: dict) -> bool:
    return enc.get("t") == "none" or (enc.get("t") == "num" and isinstance(enc["v"], float)
                                      and math.isnan(enc["v"]))


def has_nan(enc: dict) -> bool:
    """La réponse contient-elle une valeur manquante (NaN / None) ?"""
    t = enc.get("t")
    if t in ("num", "none"):
        return is_nan(enc)
    if t == "series":
        return any(is_nan(wrap(v)) for v in enc["values"])
    if t == "frame":
        return any(is_nan(wrap(v)) for col in enc["data"] for v in col)
    if t in ("list", "set"):
        return any(has_nan(wrap(v)) for v in enc["v"])
    return False


def size_of(enc: dict) -> str:
    """Taille lisible : « 5 éléments », « 120 lignes × 3 colonnes »."""
    t = enc.get("t")
    if t == "frame":
        return f"{len(enc['index'])} lignes × {len(enc['columns'])} colonnes"
    if t == "series":
        return f"{len(enc['index'])} lignes"
    if t in ("list", "set", "dict"):
        return f"{len(enc['v'])} éléments"
    return "1 valeur"


def _numbers_close(e: float, a: float, rtol: float, atol: float) -> bool:
    if math.isnan(e) or math.isnan(a):
        return math.isnan(e) and math.isnan(a)
    return math.isclose(a, e, rel_tol=rtol, abs_tol=atol)


def _scalar_verdict(name: str, e: dict, a: dict, rtol: float, atol: float) -> Verdict:
    """Compare deux scalaires encodés de même type."""
    t = e["t"]
    if t == "num":
        ev, av = float(e["v"]), float(a["v"])
        if _numbers_close(ev, av, rtol, atol):
            return OK
        if math.isnan(av):
            return Verdict(False, "nan", f"« {name} » vaut NaN (valeur manquante) : "
                           "vérifiez une division par zéro ou un nom de colonne.")
        if not math.isnan(ev) and math.isclose(av, ev, rel_tol=1e-2, abs_tol=atol):
            return Verdict(False, "tolerance",
                           f"« {name} » est proche de la bonne valeur mais pas assez précis : "
                           "n'arrondissez pas en cours de calcul et vérifiez la formule exacte.")
        return Verdict(False, "valeur", f"La valeur de « {name} » n'est pas la bonne.")
    if t == "str":
        if normalize_text(e["v"]) == normalize_text(a["v"]):
            return OK
        return Verdict(False, "valeur", f"La réponse « {name} » n'est pas la bonne.")
    if e.get("v") == a.get("v"):
        return OK
    return Verdict(False, "valeur", f"La valeur de « {name} » n'est pas la bonne.")


def _labels_verdict(name: str, what: str, e: list, a: list, *, ordered: bool) -> Verdict:
    if [str(x) for x in e] == [str(x) for x in a]:
        return OK
    if sorted(map(str, e)) == sorted(map(str, a)):
        if not ordered:
            return OK
        return Verdict(False, "index", f"« {name} » a les bonnes {what} mais pas dans le bon ordre : "
                       "vérifiez le tri (sort_values, ascending=...).")
    hint = " (avez-vous fait un reset_index() ?)" if what == "étiquettes d'index" else ""
    return Verdict(False, "index", f"Les {what} de « {name} » ne sont pas celles attendues{hint}.")


def _values_verdict(name: str, e: list, a: list, rtol: float, atol: float) -> Verdict:
    """Compare deux colonnes de valeurs (même longueur, même ordre)."""
    first_fail: Verdict | None = None
    for ev, av in zip(e, a, strict=True):
        v = compare(wrap(ev), wrap(av), name=name, rtol=rtol, atol=atol)
        if not v.ok:
            if v.kind == "valeur":
                return v
            first_fail = first_fail or v
    return first_fail or OK


def _align(enc: dict, order: list) -> dict:
    """Réordonne une Series/DataFrame encodée selon les étiquettes ``order``."""
    pos = {str(k): i for i, k in enumerate(enc["index"])}
    idx = [pos[str(k)] for k in order]
    if enc["t"] == "series":
        return {**enc, "index": order, "values": [enc["values"][i] for i in idx]}
    return {**enc, "index": order, "data": [[col[i] for i in idx] for col in enc["data"]]}


def precheck(expected_t: str, actual: dict, *, name: str) -> tuple[Verdict | None, dict]:
    """Réponse absente, laissée à « ... » ou de mauvais type ? Sinon ``(None, actual)``.

    Une Series est acceptée (et convertie) là où une liste est attendue.
    """
    ta = actual.get("t")
    if ta == "missing":
        if actual.get("stub"):
            return Verdict(False, "a_faire", "Vous n'avez pas encore répondu : remplacez la ligne "
                           "`raise NotImplementedError(...)` par votre code, puis exécutez la "
                           "cellule."), actual
        return Verdict(False, "absente", f"La variable « {name} » n'existe pas : exécutez la cellule "
                       "où vous la calculez et vérifiez son nom exact (majuscules, accents, "
                       "tirets bas)."), actual
    if ta == "ellipsis" and expected_t != "ellipsis":
        return Verdict(False, "a_faire", f"Vous n'avez pas encore répondu : remplacez « ... » dans "
                       f"« {name} = ... » par votre calcul, puis exécutez la cellule."), actual
    if ta == "series" and expected_t == "list":
        return None, {"t": "list", "v": actual["values"]}
    if ta != expected_t and ta not in COMPATIBLE.get(expected_t, ()):
        if expected_t == "num" and ta == "str":
            extra = " Enlevez les guillemets : un calcul donne un nombre, pas un texte."
        elif ta == "none":
            extra = " Avez-vous utilisé print() au lieu d'une affectation, ou oublié un return ?"
        else:
            extra = ""
        return Verdict(False, "type", f"« {name} » est {type_name(actual)} alors qu'on attend "
                       f"{type_name({'t': expected_t})}.{extra}"), actual
    return None, actual


def compare(expected: dict, actual: dict, *, name: str = "réponse", rtol: float = RTOL,
            atol: float = ATOL, ordered: bool = True) -> Verdict:
    """Compare la réponse encodée ``actual`` à la réponse attendue ``expected``.

    Parameters
    ----------
    expected, actual : dict
        Encodages JSON (voir :func:`coursehelpers.grading.encode.encode_value`).
    name : str
        Nom de la variable, cité dans le message.
    rtol, atol : float
        Tolérances relative et absolue pour les nombres :
        ``|x - attendu| <= max(rtol × |attendu|, atol)``.
    ordered : bool
        Si ``False``, l'ordre des lignes d'une Series/DataFrame est ignoré.

    Returns
    -------
    Verdict
        ``ok`` et, sinon, ``kind`` parmi ``absente``, ``a_faire``, ``type``, ``forme``,
        ``nan``, ``index``, ``tolerance``, ``valeur`` avec un message en français.
    """
    failed, actual = precheck(expected.get("t", "other"), actual, name=name)
    if failed is not None:
        return failed
    te = expected.get("t")
    if te in ("num", "str", "bool", "date", "none", "ellipsis"):
        return _scalar_verdict(name, expected, actual, rtol, atol)
    if te == "other":
        if actual.get("type") == expected.get("type") and actual.get("repr") == expected.get("repr"):
            return OK
        return Verdict(False, "valeur", f"La valeur de « {name} » n'est pas la bonne.")
    if te in ("list", "set", "dict"):
        return _container_verdict(name, expected, actual, rtol, atol)
    return _table_verdict(name, expected, actual, rtol, atol, ordered)


def _container_verdict(name: str, e: dict, a: dict, rtol: float, atol: float) -> Verdict:
    if len(e["v"]) != len(a["v"]):
        return Verdict(False, "forme", f"« {name} » contient {size_of(a)} : ce n'est pas le nombre "
                       "attendu. Vérifiez le filtre ou la sélection.")
    if has_nan(a) and not has_nan(e):
        return Verdict(False, "nan", f"« {name} » contient des valeurs manquantes (NaN ou None).")
    if e["t"] == "dict":
        ek, ak = [k for k, _ in e["v"]], [k for k, _ in a["v"]]
        v = _labels_verdict(name, "clés", ek, ak, ordered=False)
        if not v.ok:
            return v
        amap = {str(k): val for k, val in a["v"]}
        return _values_verdict(name, [val for _, val in e["v"]], [amap[str(k)] for k in ek], rtol, atol)
    ev, av = e["v"], a["v"]
    if e["t"] == "set":
        ev, av = sorted(ev, key=canonical), sorted(av, key=canonical)
    return _values_verdict(name, ev, av, rtol, atol)


def _table_verdict(name: str, e: dict, a: dict, rtol: float, atol: float, ordered: bool) -> Verdict:
    if size_of(e) != size_of(a):
        return Verdict(False, "forme", f"« {name} » a {size_of(a)} : ce n'est pas la taille attendue. "
                       "Vérifiez le filtre, le regroupement (groupby) ou les colonnes gardées.")
    if has_nan(a) and not has_nan(e):
        return Verdict(False, "nan", f"« {name} » contient des valeurs manquantes (NaN) : vérifiez "
                       "une jointure, une division par zéro ou un nom de colonne.")
    v = _labels_verdict(name, "étiquettes d'index", e["index"], a["index"], ordered=ordered)
    if not v.ok:
        return v
    if [str(x) for x in e["index"]] != [str(x) for x in a["index"]]:
        a = _align(a, e["index"])
    if e["t"] == "series":
        return _values_verdict(name, e["values"], a["values"], rtol, atol)
    v = _labels_verdict(name, "colonnes", e["columns"], a["columns"], ordered=False)
    if not v.ok:
        return v
    cols = {str(c): col for c, col in zip(a["columns"], a["data"], strict=True)}
    for c, col in zip(e["columns"], e["data"], strict=True):
        v = _values_verdict(f"{name}[{c!r}]", col, cols[str(c)], rtol, atol)
        if not v.ok:
            return v
    return OK


def canonical(x: object, digits: int = 12) -> str:
    """Représentation canonique d'une valeur encodée, nombres arrondis à ``digits`` chiffres significatifs.

    >>> canonical({"t": "num", "v": 0.129449436}, 3)
    '1.29e-01'
    """
    enc = wrap(x)
    t = enc["t"]
    if t == "num":
        v = float(enc["v"])
        if math.isnan(v):
            return "nan"
        if v == 0:
            return "0"
        return f"{v:.{digits - 1}e}"
    if t == "str":
        return normalize_text(enc["v"])
    if t in ("list", "set"):
        items = [canonical(v, digits) for v in enc["v"]]
        return "[" + ",".join(sorted(items) if t == "set" else items) + "]"
    if t == "dict":
        return "{" + ",".join(sorted(f"{k}:{canonical(v, digits)}" for k, v in enc["v"])) + "}"
    if t == "series":
        return "[" + ",".join(canonical(v, digits) for v in enc["values"]) + "]"
    if t == "frame":
        order = sorted(range(len(enc["columns"])), key=lambda j: str(enc["columns"][j]))
        return "|".join(canonical({"t": "list", "v": enc["data"][j]}, digits) for j in order)
    if t == "other":
        return f"{enc.get('type')}:{enc.get('repr')}"
    return f"{t}:{enc.get('v')}"
