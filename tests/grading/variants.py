"""Variantes d'une réponse attendue, pour le test de propriété « un seul verdict ».

Exécuté DANS le noyau du test (texte envoyé par test_one_verdict.py), pas importé par pytest.
Arrondis à 1…8 chiffres significatifs, ×100, ±0,1 %, ±1 %, ±5 %, types numpy/pandas, entier ou
flottant, textes, lignes mélangées, index remis à zéro, lettres de QCM en minuscules ou avec espaces.
"""

import math

import numpy as np
import pandas as pd


def sig(x, n):
    """``x`` arrondi à ``n`` chiffres significatifs."""
    if x == 0 or not math.isfinite(x):
        return x
    return round(x, n - 1 - math.floor(math.log10(abs(x))))


def num_variants(x):
    out = [(f"sig{n}", sig(float(x), n)) for n in range(1, 9)]
    out += [("x100", x * 100), ("p0.1", x * 1.001), ("m0.1", x * 0.999), ("p1", x * 1.01),
            ("m1", x * 0.99), ("p5", x * 1.05), ("m5", x * 0.95), ("f32", np.float32(x)),
            ("f64", np.float64(x)), ("str", str(x)), ("neg", -x), ("exact", x)]
    if float(x).is_integer():
        out += [("int", int(x)), ("float", float(x)), ("i64", np.int64(int(x))), ("p1u", x + 1),
                ("m1u", x - 1)]
    else:
        a, b = f"{x:.3f}".split(".")
        out += [("int", int(x)), ("comma", (int(a), int(b)))]
    return out


def text_variants(s):
    out = [("exact", s), ("lower", s.lower()), ("upper", s.upper()), ("spaces", f"  {s} "),
           ("dot", s + "."), ("other", s + "x")]
    if len(s) == 1 and s.isalpha():
        out += [("letA", "A"), ("letB", "B"), ("letC", "C"), ("letD", "D"), ("lowspace", f" {s.lower()} "),
                ("paren", f"({s})"), ("dotted", f"{s}.")]
    return out


def series_variants(s, rng):
    out = [("exact", s), ("shuffled", s.iloc[rng.permutation(len(s))]), ("reset", s.reset_index(drop=True)),
           ("reset_keep", s.reset_index()), ("sorted_vals", s.sort_values()), ("sorted_idx", s.sort_index()),
           ("list", s.tolist()), ("obj", s.astype(object)), ("frame", s.to_frame())]
    if s.dtype.kind in "iuf":
        out += [(f"sig{n}", s.map(lambda v, n=n: sig(float(v), n))) for n in (1, 2, 3, 4, 6, 8)]
        out += [("x100", s * 100), ("p1", s * 1.01), ("p0.1", s * 1.001), ("p5", s * 1.05),
                ("f32", s.astype("float32")), ("f64", s.astype("float64")), ("round2", s.round(2))]
        if (s.dropna() % 1 == 0).all() and not s.isna().any():
            out.append(("i64", s.astype("int64")))
        if len(s) > 1:
            t = s.astype(float)
            t.iloc[0] = t.iloc[0] * 1.3 + 1
            out += [("one_wrong", t), ("one_wrong_sorted", t.sort_values())]
    else:
        out += [("str", s.astype(str)), ("upper", s.astype(str).str.upper()), ("cat", s.astype("category"))]
    return out


def frame_variants(df, rng):
    out = [("exact", df), ("shuffled", df.iloc[rng.permutation(len(df))]),
           ("reset", df.reset_index(drop=True)), ("cols", df.iloc[:, ::-1]), ("reset_keep", df.reset_index())]
    pos = [j for j in range(df.shape[1]) if df.iloc[:, j].dtype.kind in "iuf"]

    def apply(f):
        d = df.copy()
        for j in pos:
            d.isetitem(j, f(df.iloc[:, j]))
        return d

    if pos:
        out += [(f"sig{n}", apply(lambda c, n=n: c.map(lambda v: sig(float(v), n)))) for n in (2, 3, 6)]
        out += [("f32", apply(lambda c: c.astype("float32"))), ("p1", apply(lambda c: c * 1.01)),
                ("p0.1", apply(lambda c: c * 1.001)), ("x100", apply(lambda c: c * 100)),
                ("f64", apply(lambda c: c.astype("float64")))]
    return out


def variants(value, seed=0):
    """Liste de ``(nom de la variante, valeur)`` pour une réponse attendue."""
    rng = np.random.default_rng(seed)
    if isinstance(value, bool | np.bool_):
        return [("exact", value), ("not", not value), ("int", int(value))]
    if isinstance(value, int | float | np.integer | np.floating):
        return num_variants(value)
    if isinstance(value, str):
        return text_variants(value)
    if isinstance(value, pd.Series):
        return series_variants(value, rng)
    if isinstance(value, pd.DataFrame):
        return frame_variants(value, rng)
    if isinstance(value, list):
        out = [("exact", value), ("tuple", tuple(value)), ("rev", value[::-1]), ("series", pd.Series(value))]
        if value and all(isinstance(v, int | float) for v in value):
            out += [("arr", np.array(value)), ("sig3", [sig(float(v), 3) for v in value])]
        return out
    if isinstance(value, set):
        return [("exact", value), ("list", sorted(value, key=str))]
    return [("exact", value)]
