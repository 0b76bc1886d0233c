"""La règle de décision unique : la vérification du notebook et le correcteur en lot l'appliquent.

Une réponse attendue est résumée par une **spécification** (:func:`make_spec`) : type attendu,
précision déclarée (en mots d'élève : « au centième près », « à 1 % près », « lecture de
graphique : à ±2 près »), puis des **empreintes** (hachages salés) de la taille, des étiquettes
et des valeurs arrondies à cette précision. Aucune valeur attendue n'y figure en clair.

:func:`judge` compare une réponse d'élève (encodée par :mod:`coursehelpers.grading.encode`) à une
spécification. Le notebook appelle :func:`judge` avec la spécification enregistrée dans sa cellule
technique ; le correcteur en lot appelle :func:`judge` avec la spécification qu'il recalcule à partir
de la solution exécutée : même fonction, mêmes entrées, donc même verdict et même message.

Précision et arrondi (le point délicat)
---------------------------------------
Chaque nombre ``x`` est placé sur une grille : ``q = x / (2,25 × t)`` pour une précision absolue
``t`` (« au centième près » : ``t = 0,01``), ``q = ln|x| / (2,25 × −ln(1 − r))`` pour une précision
relative ``r`` (« à 1 % près »). La réponse est juste si ``x`` tombe dans **la même case** que la
valeur attendue ``e``. Pour que ``e`` ne soit jamais au bord d'une case, la grille est décalée de
``k/10`` de case (``k`` de 0 à 9, choisi pour ``e`` et enregistré : un chiffre par nombre). Alors
``e`` est à au moins 0,45 case de chaque bord, d'où la garantie :

- tout ``x`` à moins de ``t`` (ou ``r``) de ``e`` est accepté ;
- tout ``x`` à plus de ``1,24 × t`` (ou ``r``) de ``e`` est refusé.

Règles de normalisation : un entier accepte le flottant égal (``12.0``), les types numpy/pandas
sont convertis, les textes sont comparés sans majuscules, accents, espaces ni ponctuation autour
(lettres de QCM comprises : ``" b "``, ``"(B)"``), les colonnes d'un tableau dans n'importe quel
ordre, et les lignes aussi sauf si l'ordre est la compétence notée (un classement, ``ordered``).
Un tableau passé par ``reset_index()`` est remis sur son index.

>>> spec = make_spec({"t": "num", "v": 0.12944943670387588}, name="taux", precision="au centième près")
>>> judge({"t": "num", "v": 0.13}, spec, name="taux").ok
True
>>> judge({"t": "num", "v": 0.11}, spec, name="taux").ok
False
>>> "0.129" in str(spec) or "0,129" in str(spec)
False
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from coursehelpers.grading.canonical import (
    column_order,
    digest,
    has_nan,
    is_num,
    labels_of,
    normalize,
    normalize_text,
    numbers_of,
    shape_of,
    size_of,
    tokens,
)
from coursehelpers.grading.explain import exercise_label, explain_error
from coursehelpers.grading.precision import (
    DEFAULT_FLOAT,
    EXACT,
    Precision,
    best_shift,
    num_token,
    parse_precision,
)

__all__ = ["DEFAULT_FLOAT", "Precision", "Verdict", "answer_points", "explain_error", "judge",
           "make_spec", "normalize_text", "parse_precision"]

VERSION = 2
NEAR_LEVELS = (0.005, 0.01, 0.05)  # « presque » : écart de moins de 0,5 %, 1 %, 5 %

TYPE_NAMES = {
    "num": "un nombre", "str": "un texte (str)", "bool": "un booléen (True / False)",
    "list": "une liste", "set": "un ensemble (set)", "dict": "un dictionnaire (dict)",
    "series": "une Series pandas", "frame": "un tableau (DataFrame pandas)", "date": "une date",
    "none": "None (rien)", "ellipsis": "« ... » (pas encore remplacé)",
}


# ---------------------------------------------------------------- spécification
def _precisions(spec_or_text: object, enc: dict) -> tuple[Precision, Precision]:
    """(précision des nombres à virgule, précision des entiers) pour une réponse."""
    text = spec_or_text if isinstance(spec_or_text, str) else None
    if text:
        p = parse_precision(text)
        return p, p
    return parse_precision(None), parse_precision(None, integer=True)


def _spec_precision(spec: Mapping) -> tuple[Precision, Precision]:
    return (Precision(**spec["p"]), Precision(**spec["pi"]))


def make_spec(expected: dict, *, name: str, precision: str | None = None, ordered: bool = False,
              quiz: bool = False) -> dict:
    """Spécification (sans valeur en clair) de la réponse attendue ``expected`` (encodage JSON).

    Paramètres
    ----------
    expected : dict
        Réponse attendue encodée (:func:`coursehelpers.grading.encode.encode_value`).
    name : str
        Nom de la variable (sel des empreintes).
    precision : str, optional
        Précision en mots d'élève (voir :func:`parse_precision`).
    ordered : bool
        ``True`` seulement si l'ordre des lignes est la compétence notée (un classement).
    quiz : bool
        Réponse de QCM (une lettre).

    Renvoie
    -------
    dict
        Spécification JSON, à donner à :func:`judge`.
    """
    t = expected.get("t", "other")
    p_float, p_int = _precisions(precision, expected)
    if t in ("series", "frame", "list", "set"):
        ordered = bool(ordered)
    nums = numbers_of(expected, ordered) if t not in ("other",) else []
    # un caractère par nombre attendu : chiffre (nombre à virgule) ou lettre (entier) = décalage
    shifts = "".join(chr(97 + best_shift(v, p_int)) if is_int else str(best_shift(v, p_float))
                     for v, is_int in nums)
    if precision:
        label = precision
    elif any(not is_int for _, is_int in nums):
        label = DEFAULT_FLOAT
    else:
        label = EXACT if nums else ""
    spec: dict = {"v": VERSION, "t": t, "p": p_float.__dict__, "pi": p_int.__dict__,
                  "label": label, "ordered": ordered, "quiz": quiz, "shifts": shifts}
    if t == "other":
        spec["h"] = {"value": digest(f"{expected.get('type')}:{expected.get('repr')}", name)}
        return spec
    in_order, unordered = labels_of(expected)
    h = {"shape": digest(shape_of(expected), name), "labels": digest(in_order, name),
         "labels_sorted": digest(unordered, name),
         "value": digest(tokens(expected, p_float, p_int, shifts, ordered), name)}
    if t == "frame":
        spec["ncols"] = len(expected["columns"])
        spec["index_name"] = expected.get("index_name")
        cols = tokens(expected, p_float, p_int, shifts, ordered, per_column=True)
        h["columns"] = [digest(c, name) for c in cols]
        spec["column_names"] = [str(expected["columns"][j]) for j in column_order(expected)]
    if t == "series":
        spec["index_name"] = expected.get("index_name")
    if t == "num":
        near = []
        for level in NEAR_LEVELS:
            p = Precision("rel", level, "")
            k = best_shift(float(expected["v"]), p)
            near.append([k, digest(num_token(float(expected["v"]), p, k), name)])
        h["near"] = near
    spec["h"] = h
    spec["nan"] = has_nan(expected)
    return spec


# ---------------------------------------------------------------- verdict
@dataclass(frozen=True)
class Verdict:
    """Verdict : ``ok``, genre ``kind``, message français, niveau ``level`` (``juste``, ``presque``,
    ``faux``, ``a_faire``) qui donne la couleur de l'affichage."""

    ok: bool
    kind: str = "ok"
    message: str = ""
    level: str = "juste"


def type_name(enc: dict) -> str:
    """Nom français du type d'une réponse encodée (sans jargon)."""
    t = enc.get("t")
    if t == "other":
        kind = str(enc.get("type", "?"))
        if kind in ("method", "builtin_function_or_method", "function"):
            return "une fonction (pas son résultat)"
        if "Array" in kind or kind in ("Categorical", "Index", "ndarray"):
            return "un tableau de valeurs"
        if kind in ("DataFrameGroupBy", "SeriesGroupBy"):
            return "un regroupement (groupby) pas encore calculé"
        return f"un objet de type {kind}"
    if t == "list" and enc.get("tuple"):
        return "un tuple (valeurs séparées par des virgules)"
    return TYPE_NAMES.get(t, f"un objet de type {t}")


def _sig_digits(x: float) -> int:
    digits = re.sub(r"e.*$", "", repr(abs(float(x)))).replace(".", "").lstrip("0")
    return len(digits.rstrip("0")) or 1


def _value_hash(actual: dict, spec: Mapping, name: str) -> str:
    p_float, p_int = _spec_precision(spec)
    return digest(tokens(actual, p_float, p_int, spec.get("shifts", ""), spec["ordered"]), name)


def _scaled(actual: dict, factor: float) -> dict:
    if actual["t"] == "num":
        return {"t": "num", "v": float(actual["v"]) * factor}
    if actual["t"] == "series":
        return {**actual, "values": [v * factor if is_num(v) else v for v in actual["values"]]}
    if actual["t"] == "frame":
        return {**actual, "data": [[v * factor if is_num(v) else v for v in col] for col in actual["data"]]}
    return actual


def _precision_text(spec: Mapping) -> str:
    return f" Précision demandée : {spec['label']}." if spec.get("label") else ""


def _failed(kind: str, message: str, level: str = "faux") -> Verdict:
    return Verdict(False, kind, message, level)


def _precheck(actual: dict, spec: Mapping, name: str) -> Verdict | None:
    ta, te = actual.get("t"), spec["t"]
    if ta == "missing":
        if actual.get("stub"):
            return _failed("a_faire", "Vous n'avez pas encore répondu : remplacez la ligne "
                           "`raise NotImplementedError(...)` par votre code, puis exécutez la cellule.",
                           "a_faire")
        return _failed("absente", f"La variable « {name} » n'existe pas : exécutez la cellule où vous la "
                       "calculez et vérifiez son nom exact (majuscules, accents, tirets bas).", "a_faire")
    if ta == "ellipsis" and te != "ellipsis":
        if spec.get("quiz"):
            return _failed("a_faire", "Vous n'avez pas encore répondu : écrivez la lettre choisie dans la "
                           f"cellule de la question, par exemple {name} = \"A\", puis exécutez-la.",
                           "a_faire")
        return _failed("a_faire", f"Vous n'avez pas encore répondu : remplacez « ... » dans « {name} = ... » "
                       "par votre calcul, puis exécutez la cellule.", "a_faire")
    if ta == "other" and actual.get("type") in ("method", "builtin_function_or_method", "function"):
        m = re.search(r"(?:method|function) (?:[\w.]+\.)?(\w+)", str(actual.get("repr", "")))
        call = f".{m.group(1)}()" if m else "()"
        return _failed("parentheses", f"« {name} » est une fonction, pas son résultat : parenthèses "
                       f"oubliées ? Écrivez {call} avec les parenthèses pour faire le calcul.", "presque")
    if te == "num" and ta == "list" and len(actual["v"]) == 2 and all(
            isinstance(v, dict) and v.get("t") == "num" and isinstance(v.get("v"), int) for v in actual["v"]):
        a, b = (v["v"] for v in actual["v"])
        return _failed("virgule", f"« {name} » est un tuple ({a}, {b}) : en Python la virgule décimale "
                       f"s'écrit avec un point : {a}.{b}", "presque")
    if te == "num" and ta == "str":
        return _failed("type", f"« {name} » est un texte (str) alors qu'on attend un nombre. Enlevez les "
                       "guillemets : un calcul donne un nombre, pas un texte.")
    if ta == "none" and te != "none":
        return _failed("type", f"« {name} » est None (rien) alors qu'on attend {TYPE_NAMES.get(te, te)}. "
                       "Avez-vous utilisé print() au lieu d'une affectation, ou oublié un return ?")
    compatible = {"list": {"list", "series"}, "set": {"set", "list"}, "series": {"series", "frame", "dict"},
                  "frame": {"frame"}, "num": {"num"}, "date": {"date", "str"}, "str": {"str"},
                  "bool": {"bool"}}
    if ta != te and ta not in compatible.get(te, {te}):
        extra = ""
        if te == "num" and ta in ("series", "list"):
            extra = " Il faut une seule valeur : une somme, une moyenne, un compte (sum(), mean(), len())."
        if te == "series" and ta == "num":
            extra = " Il faut une valeur par ligne (un groupby sans l'agrégation finale ?)."
        return _failed("type", f"« {name} » est {type_name(actual)} alors qu'on attend "
                       f"{TYPE_NAMES.get(te, te)}.{extra}")
    return None


def judge(actual: dict, spec: Mapping, *, name: str, failed: tuple[str, str] | None = None,
          owners: Mapping[str, str] | None = None, exercise: str | None = None) -> Verdict:
    """Verdict sur la réponse encodée ``actual`` pour la spécification ``spec``.

    Paramètres
    ----------
    actual : dict
        Réponse de l'élève encodée (``{"t": "missing"}`` si la variable n'existe pas).
    spec : mapping
        Spécification écrite par :func:`make_spec`.
    name : str
        Nom de la variable, cité dans le message.
    failed : (str, str), optional
        ``(type d'erreur, message)`` si la dernière exécution de la cellule qui calcule la
        réponse s'est arrêtée sur une erreur : le verdict le dit au lieu de juger une valeur
        laissée par une exécution précédente.
    owners : mapping, optional
        ``{variable: exercice}`` de tout le cahier, pour « faites d'abord l'exercice 4 ».
    exercise : str, optional
        Exercice de la réponse (``ex2``), pour « la cellule de l'exercice 2 ».

    Renvoie
    -------
    Verdict
    """
    if failed is not None:
        ename, evalue = failed
        if ename == "Secours":
            return _failed("secours", f"« {name} » est la valeur de secours fournie par le cahier pour "
                           "continuer, pas votre calcul : elle ne rapporte pas de point. Écrivez votre "
                           "propre calcul.")
        if ename == "NotImplementedError":
            return _precheck({"t": "missing", "stub": True}, spec, name) or _failed("a_faire", "")
        where = f"de l'{exercise_label(exercise)}" if exercise else "de réponse"
        text = explain_error(ename, evalue, owners=owners or {}, exercise=exercise)
        return _failed("erreur", f"La cellule {where} s'est arrêtée sur une erreur : {text} "
                       "Corrigez-la et exécutez-la de nouveau.")
    bad = _precheck(actual, spec, name)
    if bad is not None:
        return bad
    actual = normalize(actual, spec)
    if spec["t"] == "other":
        ok = digest(f"{actual.get('type')}:{actual.get('repr')}", name) == spec["h"]["value"]
        return Verdict(True) if ok else _failed("valeur", f"« {name} » n'est pas la réponse attendue.")
    h = spec["h"]
    if digest(shape_of(actual), name) != h["shape"]:
        return _failed("forme", f"« {name} » a {size_of(actual)} : ce n'est pas la taille attendue. "
                       "Vérifiez le filtre, le regroupement (groupby) ou la sélection.")
    if not spec.get("nan") and has_nan(actual):
        return _failed("nan", f"« {name} » contient des valeurs manquantes (NaN) : vérifiez une jointure, "
                       "une division par zéro ou un nom de colonne.")
    in_order, unordered = labels_of(actual)
    order_wrong = False
    if digest(in_order, name) != h["labels"]:
        if digest(unordered, name) != h["labels_sorted"]:
            what = "les noms de colonnes ou les étiquettes des lignes" if actual["t"] == "frame" else \
                "les étiquettes (index)"
            return _failed("index", f"Dans « {name} », {what} ne sont pas celles attendues : vérifiez la "
                           "colonne du regroupement, les noms de colonnes, ou un reset_index() en trop.")
        order_wrong = spec["ordered"]
    cols = None
    if actual["t"] == "frame" and "columns" in h:  # jetons par colonne une fois, joints pour la valeur
        p_float, p_int = _spec_precision(spec)
        cols = tokens(actual, p_float, p_int, spec.get("shifts", ""), spec["ordered"], per_column=True)
        value = digest("\x1d".join(cols), name)
    else:
        value = _value_hash(actual, spec, name)
    if value == h["value"]:
        if order_wrong:
            return _failed("ordre", f"« {name} » a les bonnes valeurs mais pas dans l'ordre demandé : "
                           "ici le classement compte, triez avec sort_values(ascending=...).", "presque")
        return Verdict(True, "ok", f"« {name} » : c'est juste{_precision_words(spec)}.")
    return _wrong_values(actual, spec, name, cols)


def _precision_words(spec: Mapping) -> str:
    return f" ({spec['label']})" if spec.get("label") else ""


def _wrong_values(actual: dict, spec: Mapping, name: str, cols: list[str] | None = None) -> Verdict:
    """Valeurs fausses : pourcentage ×100, « presque », colonne fausse ; jamais « mauvais ordre »."""
    h = spec["h"]
    prec = _precision_text(spec)
    for factor, text in ((0.01, "on dirait un pourcentage multiplié par 100 : écrivez {a} pour {b} %"),
                         (100.0, "attention à l'échelle : la valeur attendue est 100 fois plus grande")):
        if actual["t"] in ("num", "series", "frame") and \
                _value_hash(_scaled(actual, factor), spec, name) == h["value"]:
            if actual["t"] == "num" and factor == 0.01:
                v = float(actual["v"])
                msg = text.format(a=f"{v / 100:.6g}", b=f"{v:.6g}".replace(".", ","))
            else:
                msg = text.replace(" : écrivez {a} pour {b} %", " : une part s'écrit entre 0 et 1")
            return _failed("pourcentage", f"« {name} » : {msg}.", "presque")
    if actual["t"] == "num" and "near" in h:
        x = float(actual["v"])
        for level, (k, target) in zip(NEAR_LEVELS, h["near"], strict=True):
            p = Precision("rel", level, "")
            if digest(num_token(x, p, int(k)), name) == target:
                pct = f"{level * 100:g}".replace(".", ",")
                # « arrondi » n'est vrai que pour un nombre à virgule attendu à une précision relative,
                # quand l'élève a écrit peu de chiffres ; une lecture de figure ou un entier, jamais.
                float_expected = spec.get("shifts", "0")[:1].isdigit()
                if spec["p"]["kind"] == "abs":
                    cause = "relisez la valeur : l'écart dépasse la précision demandée."
                elif float_expected and _sig_digits(x) <= 4:
                    cause = "vous avez arrondi trop tôt ou trop fort : gardez plus de chiffres."
                else:
                    cause = ("la méthode est proche mais pas exacte : une ligne oubliée ou en trop, un "
                             "filtre, une formule ?")
                return _failed("presque", f"« {name} » : presque, écart de moins de {pct} % — {cause}{prec}",
                               "presque")
    if actual["t"] == "frame" and "columns" in h:
        if cols is None:
            p_float, p_int = _spec_precision(spec)
            cols = tokens(actual, p_float, p_int, spec.get("shifts", ""), spec["ordered"], per_column=True)
        wrong = [n for n, c, target in zip(spec["column_names"], cols, h["columns"], strict=False)
                 if digest(c, name) != target]
        if wrong:
            listed = ", ".join(f"« {c} »" for c in wrong)
            return _failed("valeur", f"Dans « {name} », les valeurs de la colonne {listed} ne sont pas les "
                           f"bonnes (les autres colonnes sont justes).{prec}")
    return _failed("valeur", f"La valeur de « {name} » n'est pas la bonne.{prec}")


def answer_points(points: float, oks: Sequence[bool], weights: Sequence[float] | None = None) -> float:
    """Points d'un exercice à plusieurs réponses : chaque réponse juste rapporte sa part.

    >>> answer_points(2, [True, False])
    1.0
    >>> answer_points(2, [True, True, False])
    1.33
    """
    if not oks:
        return 0.0
    w = list(weights) if weights else [1.0] * len(oks)
    got = points * sum(wi for wi, ok in zip(w, oks, strict=True) if ok) / sum(w)
    return round(got, 2)
