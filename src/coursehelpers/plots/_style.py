"""Style commun des figures du cours : palette lisible par tous, axes en euros, nombres à la française.

Palette : Okabe & Ito (2008), « Color Universal Design » — huit couleurs distinguables
par les personnes daltoniennes (deutéranopie, protanopie, tritanopie) et en niveaux de gris
pour les quatre premières utilisées côte à côte.

Les figures sont des :class:`matplotlib.figure.Figure` indépendantes de pyplot : elles ne
s'affichent qu'une fois (la valeur rendue par la cellule) et n'encombrent pas la mémoire.
"""

from __future__ import annotations

import math
from io import BytesIO

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from coursehelpers.display import eur, num, pct
from coursehelpers.errors import DataError

# Okabe–Ito : noir, orange, bleu ciel, vert bleuté, jaune, bleu, vermillon, pourpre.
OKABE_ITO = (
    "#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
)
# Ordre d'usage des séries (le noir et le jaune en dernier : contraste / lisibilité sur blanc).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
# Pyramide des clients : du plus précieux au moins précieux.
TIER_COLORS = {"Platinum": "#0072B2", "Or": "#E69F00", "Fer": "#56B4E9", "Plomb": "#999999"}
# Zones A / B / C de la courbe de concentration.
ABC_COLORS = {"A": "#0072B2", "B": "#E69F00", "C": "#999999"}
GRID = "#DDDDDD"
DPI = 90  # assez net à l'écran, léger à encoder (rappel des explorateurs ≤ 50 ms)
# Plus petit texte écrit dans une figure du cours : 9 pt = 11,25 px à 90 ppp (graduations, étiquettes
# de barres, légendes). Les textes à lire de loin en projection (chiffres de la carte RFM, roue de la
# fidélité) sont plus grands : 11 à 14 pt.
MIN_FONT_PT = 9


def euro_formatter(decimals: int = 0) -> FuncFormatter:
    """Graduations en euros au format français : 12 345 €."""
    return FuncFormatter(lambda x, _pos: eur(x, decimals))


def number_formatter(decimals: int = 0) -> FuncFormatter:
    """Graduations numériques au format français : 1 234,5."""
    return FuncFormatter(lambda x, _pos: num(x, decimals))


def percent_formatter(decimals: int = 0) -> FuncFormatter:
    """Graduations d'une proportion (0..1) en pourcentage : 0.25 → 25 %."""
    return FuncFormatter(lambda x, _pos: pct(x, decimals))


def new_axes(ax: Axes | None = None, *, figsize: tuple[float, float] = (7.0, 4.2)) -> tuple[Figure, Axes]:
    """Axes fournis par l'appelant, ou une nouvelle figure (hors pyplot) avec un seul axe."""
    if ax is not None:
        if not isinstance(ax, Axes):
            raise DataError(f"« ax » doit être un axe matplotlib (reçu : {type(ax).__name__}).")
        return ax.figure, ax  # type: ignore[return-value]
    fig = Figure(figsize=figsize, dpi=DPI, layout="constrained")
    return fig, fig.add_subplot()


def style_axes(ax: Axes, *, title: str, xlabel: str | None = None, ylabel: str | None = None,
               grid: str | None = "y", pad: float = 6.0) -> Axes:
    """Titre et étiquettes en français, cadre allégé, grille discrète.

    ``pad`` : écart entre le titre et le cadre, en points (plus grand s'il y a du texte au-dessus).
    """
    set_title(ax, title, pad=pad)
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if grid:
        ax.grid(axis=grid, color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)
    return ax


def figure_png(fig: Figure) -> bytes:
    """Image PNG de la figure (ce que Jupyter enregistre dans le notebook)."""
    buffer = BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi)
    return buffer.getvalue()


#: Nombres « ronds » d'une échelle de couleur (× 10^k) : 1 ; 1,5 ; 2 ; 2,5 ; 3 ; 4 ; 5 ; 6 ; 8.
COLOUR_LADDER = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_ceil(value: float, *, step: float | None = None, ladder: tuple[float, ...] | None = None) -> float:
    """Borne d'axe « ronde » juste au-dessus de ``value`` : la seule règle d'arrondi des figures.

    - ``step`` donné : le plus petit multiple de ``step`` ≥ ``value`` ;
    - ``ladder`` donnée : le plus petit ``l × 10^k`` ≥ ``value`` (l dans ``ladder``) ;
    - sinon : multiple de la demi-puissance de 10 (0,83 → 0,85 ; 437 → 450).

    Une borne arrondie change rarement quand un curseur bouge : les graduations (et le fond
    déjà dessiné de la figure) restent les mêmes. Une valeur nulle, négative ou infinie donne
    ``step`` (ou 1). Pour une borne signée (axe qui peut descendre sous zéro), voir
    :func:`nice_limits`.

    Exemples
    --------
    >>> nice_ceil(0.83, step=0.1), nice_ceil(437), nice_ceil(3.2, ladder=COLOUR_LADDER)
    (0.9, 450.0, 4.0)
    """
    if not value > 0 or not math.isfinite(value):
        return step or 1.0
    if ladder is not None:
        power = 10.0 ** math.floor(math.log10(value))
        return float(next(x * power for x in ladder if x * power >= value * (1 - 1e-12)))
    if step is None:
        step = 10 ** math.floor(math.log10(value)) / 2
    return _multiple(value, step, up=True)


def _multiple(value: float, step: float, *, up: bool) -> float:
    """Multiple de ``step`` juste au-dessus (``up``) ou au-dessous de ``value`` (tolérance 10⁻⁹ pas)."""
    return (math.ceil(value / step - 1e-9) if up else math.floor(value / step + 1e-9)) * step


def nice_limits(values, *, step: float, bounds: tuple[float, float]) -> tuple[float, float]:
    """Bornes « rondes » (multiples de ``step``) autour des valeurs, un pas de marge, dans ``bounds``.

    Exemples
    --------
    >>> nice_limits(np.array([0.12, 0.31, np.nan]), step=0.05, bounds=(0.0, 1.0))
    (0.05, 0.4)
    """
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return bounds
    low = max(bounds[0], _multiple(float(finite.min()), step, up=False) - step)
    high = min(bounds[1], _multiple(float(finite.max()), step, up=True) + step)
    return float(low), float(high)


def set_title(ax: Axes, title: str, *, pad: float = 6.0, fontsize: float = 12) -> None:
    """Le style des titres de toutes les figures du cours : gras, 12 points, à ``pad`` points du cadre."""
    ax.set_title(title, fontsize=fontsize, fontweight="bold", pad=pad)


def register_ipython_png() -> None:
    """Dans Jupyter, une Figure rendue par une cellule s'affiche en PNG (même sans pyplot)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython est installé avec Jupyter
        return
    shell = get_ipython()
    if shell is None:
        return
    formatter = shell.display_formatter.formatters["image/png"]
    try:
        formatter.lookup_by_type(Figure)
    except KeyError:
        formatter.for_type(Figure, figure_png)
