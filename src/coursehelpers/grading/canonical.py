"""Forme canonique d'une réponse encodée : éléments, étiquettes, taille, jetons à la précision déclarée.

Utilisée par la règle unique (:mod:`~coursehelpers.grading.rule`) des deux côtés : vérification
dans le notebook et correcteur en lot.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping

from coursehelpers._core.text import strip_accents
from coursehelpers.grading.precision import Precision, num_token

__all__ = ["column_order", "digest", "elements", "has_nan", "is_num", "labels_of", "normalize",
           "normalize_text", "numbers_of", "row_order", "set_index", "shape_of", "size_of", "tokens"]


def normalize_text(text: str) -> str:
    """Texte comparable : sans accents, en minuscules, espaces réduits, sans ponctuation autour.

    >>> normalize_text("  (B). ")
    'b'
    """
    bare = strip_accents(str(text))
    return " ".join(bare.casefold().split()).strip(" .;:!?»«\"'()[]")


def is_num(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def date_text(v: str) -> str:
    return re.sub(r"[T ]00:00:00(\.0+)?$", "", v)


def elem_token(v: object, p_float: Precision, p_int: Precision, shifts: str, pos: list[int],
                dates: bool = False) -> str:
    """Jeton d'un élément (nombre : case de la grille ; texte : forme normalisée)."""
    if isinstance(v, dict) and "t" in v:  # élément encodé (listes, dictionnaires)
        t = v.get("t")
        if t == "num":
            v = v["v"]
        elif t in ("str", "bool", "date"):
            v = v.get("v")
            dates = t == "date"
        elif t == "none":
            v = None
        else:
            return f"?{t}:{v.get('repr', '')}"
    if v is None:
        return "nan"
    if isinstance(v, bool):
        return f"b{int(v)}"
    if is_num(v):
        i = pos[0]
        pos[0] += 1
        # La précision suit le type de la valeur ATTENDUE (chiffre : à virgule ; lettre : entier).
        c = shifts[i] if i < len(shifts) else "0"
        prec, k = (p_int, ord(c) - 97) if c.isalpha() else (p_float, int(c))
        return num_token(float(v), prec, k)
    text = str(v)
    return "d" + date_text(text) if dates or re.fullmatch(r"\d{4}-\d\d-\d\d([T ].*)?", text) \
        else "s" + normalize_text(text)


def digest(text: str, name: str) -> str:
    return hashlib.sha256(f"coursehelpers:{name}:{text}".encode()).hexdigest()[:12]


def row_order(enc: dict) -> list[int]:
    """Ordre canonique des lignes : par étiquette (texte)."""
    return sorted(range(len(enc["index"])), key=lambda i: str(enc["index"][i]))


def column_order(enc: dict) -> list[int]:
    return sorted(range(len(enc["columns"])), key=lambda j: str(enc["columns"][j]))


def elements(enc: dict, ordered: bool) -> list[list]:
    """Colonnes d'éléments dans l'ordre canonique (lignes par étiquette, colonnes par nom)."""
    t = enc["t"]
    if t == "num":
        return [[enc["v"]]]
    if t in ("str", "bool", "date"):
        return [[enc]]
    if t == "none":
        return [[None]]
    if t == "series":
        rows = row_order(enc)
        return [[enc["values"][i] for i in rows]]
    if t == "frame":
        rows = row_order(enc)
        return [[enc["data"][j][i] for i in rows] for j in column_order(enc)]
    if t in ("list", "set"):
        items = list(enc["v"])
        if t == "set":  # une liste garde son ordre (valeurs par position) ; un ensemble non
            items.sort(key=lambda v: sort_key(v))
        return [items]
    if t == "dict":
        pairs = sorted(enc["v"], key=lambda kv: str(kv[0]))
        return [[v for _, v in pairs]]
    return [[{"t": "other", "repr": f"{enc.get('type')}:{enc.get('repr')}"}]]


def sort_key(v: object) -> tuple:
    if isinstance(v, dict):
        v = v.get("v", v.get("t"))
    if is_num(v):
        return (0, float(v), "")
    return (1, 0.0, normalize_text(str(v)))


def shape_of(enc: dict) -> str:
    t = enc["t"]
    if t == "frame":
        return f"{len(enc['index'])}x{len(enc['columns'])}"
    if t == "series":
        return str(len(enc["index"]))
    if t in ("list", "set", "dict"):
        return str(len(enc["v"]))
    return "1"


def labels_of(enc: dict) -> tuple[str, str]:
    """Étiquettes dans l'ordre et triées (index, puis colonnes triées, puis clés)."""
    t = enc["t"]
    if t == "series":
        labels = [str(x) for x in enc["index"]]
    elif t == "frame":
        labels = [str(x) for x in enc["index"]] + ["|"] + sorted(str(c) for c in enc["columns"])
    elif t == "dict":
        labels = sorted(str(k) for k, _ in enc["v"])
    else:
        return "", ""
    return "\x1f".join(labels), "\x1f".join(sorted(labels))


def size_of(enc: dict) -> str:
    """Taille lisible : « 5 éléments », « 120 lignes × 3 colonnes »."""
    t = enc.get("t")
    if t == "frame":
        return f"{len(enc['index'])} lignes × {len(enc['columns'])} colonnes"
    if t == "series":
        n = len(enc["index"])
        return f"{n} ligne{'s' if n > 1 else ''}"
    if t in ("list", "set", "dict"):
        n = len(enc["v"])
        return f"{n} élément{'s' if n > 1 else ''}"
    return "1 valeur"


def has_nan(enc: dict) -> bool:
    return any(v is None or (isinstance(v, float) and math.isnan(v))
               or (isinstance(v, dict) and v.get("t") == "none")
               for col in elements(enc, True) for v in col)


def set_index(enc: dict, index_name: object) -> dict:
    """Tableau passé par ``reset_index()`` : la colonne ``index_name`` redevient l'index."""
    names = [str(c) for c in enc["columns"]]
    j = names.index(str(index_name))
    cols = [c for k, c in enumerate(enc["columns"]) if k != j]
    data = [d for k, d in enumerate(enc["data"]) if k != j]
    return {"t": "frame", "columns": cols, "index": list(enc["data"][j]), "data": data}


def normalize(actual: dict, spec: Mapping) -> dict:
    """Forme comparable de la réponse : reset_index défait, tableau d'une colonne → Series, etc."""
    te, ta = spec["t"], actual.get("t")
    if ta == "frame" and te in ("frame", "series") and spec.get("index_name") is not None \
            and str(spec["index_name"]) in [str(c) for c in actual["columns"]] \
            and len(actual["columns"]) == spec.get("ncols", 1) + 1:
        actual = set_index(actual, spec["index_name"])
    if ta in ("frame",) and te == "series" and len(actual.get("columns", [])) == 1:
        actual = {"t": "series", "index": actual["index"], "values": actual["data"][0]}
    if actual.get("t") == "series" and te == "list":
        actual = {"t": "list", "v": actual["values"]}
    if actual.get("t") == "list" and te == "set":
        actual = {"t": "set", "v": actual["v"]}
    if actual.get("t") == "dict" and te == "series":
        actual = {"t": "series", "index": [k for k, _ in actual["v"]],
                  "values": [v.get("v") if isinstance(v, dict) else v for _, v in actual["v"]]}
    return actual


def tokens(enc: dict, p_float: Precision, p_int: Precision, shifts: str, ordered: bool,
            *, per_column: bool = False) -> str | list[str]:
    pos = [0]
    cols = elements(enc, ordered)
    dates = enc.get("t") == "date"
    n_shifts = len(shifts)
    memo: dict[tuple[object, str], str] = {}  # (nombre, décalage) -> jeton : mêmes entrées, même jeton
    toks = []
    for col in cols:
        out = []
        for v in col:
            kind = type(v)
            if kind is float or kind is int:  # cas courant (relevé JSON) : même calcul qu'elem_token
                i = pos[0]
                pos[0] = i + 1
                c = shifts[i] if i < n_shifts else "0"
                key = (v, c)
                tok = memo.get(key)
                if tok is None:
                    prec, k = (p_int, ord(c) - 97) if c.isalpha() else (p_float, int(c))
                    tok = memo[key] = num_token(float(v), prec, k)
                out.append(tok)
            else:
                out.append(elem_token(v, p_float, p_int, shifts, pos, dates))
        toks.append(out)
    if per_column:
        return ["\x1e".join(col) for col in toks]
    return "\x1d".join("\x1e".join(col) for col in toks)


def numbers_of(enc: dict, ordered: bool) -> list[tuple[float, bool]]:
    out = []
    for col in elements(enc, ordered):
        for v in col:
            if isinstance(v, dict) and v.get("t") == "num":
                v = v["v"]
            if is_num(v):
                out.append((float(v), isinstance(v, int)))
    return out
