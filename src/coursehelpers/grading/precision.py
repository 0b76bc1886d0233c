"""Précision déclarée en mots d'élève et grille d'arrondi décalée (voir ``grading.rule``)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from coursehelpers._core.text import strip_accents

__all__ = ["DEFAULT_FLOAT", "EXACT", "SHIFTS", "WIDTH", "Precision", "best_shift", "grid", "num_token",
           "parse_precision"]

WIDTH = 2.25  # largeur d'une case, en unités de précision
SHIFTS = 10  # décalages possibles de la grille (un chiffre par nombre)
DEFAULT_FLOAT = "à 0,01 % près"
EXACT = "valeur exacte"


@dataclass(frozen=True)
class Precision:
    """Précision déclarée : ``kind`` (``abs``, ``rel`` ou ``exact``), tolérance ``tol``, texte ``label``."""

    kind: str
    tol: float
    label: str


_WORDS = {"au dixieme pres": 0.1, "au centieme pres": 0.01, "au millieme pres": 0.001,
          "a l'unite pres": 1.0, "a l'euro pres": 1.0, "au centime pres": 0.01,
          "a la dizaine pres": 10.0, "a la centaine pres": 100.0, "au point pres": 1.0}


def _number(text: str) -> float:
    return float(text.replace(",", ".").replace("\u202f", "").replace(" ", ""))


def parse_precision(text: str | None, *, integer: bool = False) -> Precision:
    """Précision écrite en mots d'élève → :class:`Precision`.

    Formes reconnues (un préfixe suivi de « : » est gardé dans le texte, ex. « lecture de
    graphique : à ±2 près ») : « valeur exacte », « au dixième / centième / millième près »,
    « à l'unité près », « à l'euro près », « au centime près », « à N % près »,
    « à ±N près » / « à N près ». Sans précision : valeur exacte pour un entier, « à 0,01 % près »
    pour un nombre à virgule.

    >>> parse_precision("lecture de graphique : à ±2 près")
    Precision(kind='abs', tol=2.0, label='lecture de graphique : à ±2 près')
    >>> parse_precision("à 1 % près").tol
    0.01

    Lève
    ----
    ValueError
        Si le texte n'est pas une précision reconnue (message en français).
    """
    if not text:
        return Precision("exact", 0.25, EXACT) if integer else parse_precision(DEFAULT_FLOAT)
    label = " ".join(str(text).split())
    core = strip_accents(label.split(":")[-1]).casefold().strip().replace("’", "'")
    if core in ("valeur exacte", "exact", "exacte"):
        return Precision("exact", 0.25, label) if integer else Precision("rel", 1e-9, label)
    if core in _WORDS:
        return Precision("abs", _WORDS[core], label)
    m = re.fullmatch(r"a\s*([0-9]+(?:[.,][0-9]+)?)\s*%\s*pres", core)
    if m:
        return Precision("rel", _number(m.group(1)) / 100, label)
    m = re.fullmatch(r"a\s*(?:±|\+/-|\+-)?\s*([0-9]+(?:[.,][0-9]+)?)\s*(?:points?\s*)?pres", core)
    if m:
        return Precision("abs", _number(m.group(1)), label)
    raise ValueError(f"précision « {label} » non reconnue : écrivez par exemple « au centième près », "
                     "« à 1 % près » ou « lecture de graphique : à ±2 près ».")


def grid(x: float, p: Precision) -> tuple[str, float] | None:
    """Signe et position ``q`` de ``x`` sur la grille de ``p`` (``None`` : zéro en relatif)."""
    if p.kind == "rel":
        if abs(x) < 1e-12:
            return None
        return ("-" if x < 0 else ""), math.log(abs(x)) / (WIDTH * -math.log1p(-p.tol))
    return "", x / (WIDTH * p.tol)


def best_shift(x: float, p: Precision) -> int:
    """Décalage (0 à 9) qui place ``x`` au plus près du centre de sa case."""
    g = grid(x, p)
    if g is None or not math.isfinite(x):
        return 0
    q = g[1]
    return min(range(SHIFTS), key=lambda k: abs((q + k / SHIFTS) % 1 - 0.5))


def num_token(x: float, p: Precision, shift: int) -> str:
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "+inf" if x > 0 else "-inf"
    g = grid(x, p)
    if g is None:
        return "0"
    sign, q = g
    return f"{sign}{math.floor(q + shift / SHIFTS)}"
