"""Encodage JSON des réponses des élèves (jamais de pickle).

Ce module est **autonome** (bibliothèque standard seulement, pandas et numpy
utilisés seulement s'ils sont déjà chargés) : le correcteur en lot recopie sa
source dans une cellule ajoutée au notebook de l'élève, si bien qu'une
modification du paquet faite par l'élève dans son noyau ne change pas
l'encodage. Le résultat est un dictionnaire JSON, par exemple :

>>> encode_value(0.5)
{'t': 'num', 'v': 0.5}
>>> encode_value("B")
{'t': 'str', 'v': 'B'}

Les comparaisons (avec tolérance) se font ensuite dans le processus du
correcteur : voir :mod:`coursehelpers.grading.rule`.
"""

from __future__ import annotations

import datetime as _dt
import sys as _sys

MAX_ITEMS = 200_000  # au-delà, la réponse est résumée (type et taille seulement)


def _num(x):
    """Nombre → float (NaN et infinis passent par json.dumps de Python : NaN, Infinity)."""
    return float(x)


def _label(x):
    """Étiquette d'index ou de colonne → valeur JSON simple."""
    if isinstance(x, bool) or x is None:
        return x
    if isinstance(x, int | str):
        return x
    if isinstance(x, float):
        return _num(x)
    if hasattr(x, "isoformat"):
        return x.isoformat()
    if type(x).__module__ == "numpy":
        return _label(x.item())
    return str(x)


def _column(values):
    """Liste d'objets (déjà convertie par tolist()) → scalaires JSON."""
    return [_scalar(v) for v in values]


def _series_values(s):
    """Valeurs d'une Series en liste JSON (vectorisé pour les types numériques)."""
    kind = s.dtype.kind
    if kind in "iub":
        return s.tolist()
    if kind == "f":
        return s.to_numpy(dtype="float64").tolist()
    if kind == "M":
        return s.astype(str).where(s.notna(), None).tolist()
    return _column(s.astype(object).where(s.notna(), None).tolist())


def _scalar(v):
    if v is None:
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return _num(v)
    if isinstance(v, str):
        return v
    if isinstance(v, _dt.date | _dt.datetime):
        return v.isoformat()
    if type(v).__module__ == "numpy":
        return _scalar(v.item())
    if type(v).__name__ in ("NAType", "NaTType"):
        return None
    return str(v)


def _encode_pandas(value, pd):
    if isinstance(value, pd.Series):
        if len(value) > MAX_ITEMS:
            return {"t": "other", "type": "Series", "repr": f"Series de {len(value)} lignes"}
        return {"t": "series", "name": _label(value.name), "index": _column(value.index.tolist()),
                "values": _series_values(value), "index_name": _label(value.index.name),
                "numeric": bool(value.dtype.kind in "iuf")}
    if isinstance(value, pd.DataFrame):
        if value.size > MAX_ITEMS:
            return {"t": "other", "type": "DataFrame", "repr": f"DataFrame de forme {value.shape}"}
        cols = [_series_values(value.iloc[:, j]) for j in range(value.shape[1])]
        return {"t": "frame", "columns": _column(value.columns.tolist()),
                "index": _column(value.index.tolist()), "data": cols,
                "index_name": _label(value.index.name)}
    if isinstance(value, pd.Index | pd.Categorical | pd.api.extensions.ExtensionArray):
        if len(value) > MAX_ITEMS:
            return {"t": "other", "type": "Array", "repr": f"tableau de {len(value)} valeurs"}
        return {"t": "list", "v": _column(list(value))}
    if isinstance(value, pd.Timestamp):
        return {"t": "date", "v": value.isoformat()}
    return None


def encode_value(value, depth=0):
    """Encode ``value`` en dictionnaire JSON ``{"t": type, ...}``.

    Types reconnus : nombre (``num``), booléen (``bool``), texte (``str``),
    ``none``, ``ellipsis`` (le ``...`` laissé par l'énoncé), ``list`` (liste,
    tuple, tableau numpy 1-D), ``set``, ``dict``, ``series``, ``frame``, ``date`` ;
    tout le reste devient ``other`` (type et début de la représentation).
    """
    if value is Ellipsis:
        return {"t": "ellipsis"}
    if value is None:
        return {"t": "none"}
    if isinstance(value, bool):
        return {"t": "bool", "v": value}
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"t": "num", "v": value if isinstance(value, int) else _num(value)}
    if isinstance(value, str):
        return {"t": "str", "v": value}
    pd = _sys.modules.get("pandas")
    if pd is not None:
        out = _encode_pandas(value, pd)
        if out is not None:
            return out
    np = _sys.modules.get("numpy")
    if np is not None:
        if isinstance(value, np.bool_):
            return {"t": "bool", "v": bool(value)}
        if isinstance(value, np.integer):
            return {"t": "num", "v": int(value)}
        if isinstance(value, np.floating):
            return {"t": "num", "v": _num(value)}
        if isinstance(value, np.ndarray) and value.ndim == 1 and value.size <= MAX_ITEMS:
            return {"t": "list", "v": _column(value.tolist())}
    if isinstance(value, _dt.date | _dt.datetime):
        return {"t": "date", "v": value.isoformat()}
    if depth < 3 and isinstance(value, list | tuple) and len(value) <= MAX_ITEMS:
        out = {"t": "list", "v": [encode_value(v, depth + 1) for v in value]}
        if isinstance(value, tuple):
            out["tuple"] = True  # « 0,129 » écrit à la française devient le tuple (0, 129)
        return out
    if depth < 3 and isinstance(value, set | frozenset) and len(value) <= MAX_ITEMS:
        return {"t": "set", "v": [encode_value(v, depth + 1) for v in value]}
    if depth < 3 and isinstance(value, dict) and len(value) <= MAX_ITEMS:
        return {"t": "dict", "v": [[_label(k), encode_value(v, depth + 1)] for k, v in value.items()]}
    try:
        text = repr(value)[:200]
    except Exception:  # un __repr__ piégé ne doit pas casser l'export
        text = "?"
    return {"t": "other", "type": type(value).__name__, "repr": text}


def snapshot(names, namespace, last_error=None):
    """Encode les variables ``names`` lues dans ``namespace`` (absentes → ``missing``)."""
    out = {}
    for name in names:
        if name not in namespace:
            out[name] = {"t": "missing", "stub": last_error == "NotImplementedError"}
            continue
        try:
            out[name] = encode_value(namespace[name])
        except Exception as exc:  # objet piégé : on le signale sans interrompre l'export
            out[name] = {"t": "other", "type": type(exc).__name__, "repr": "réponse illisible"}
    return out
