"""Style commun des figures du cours : palette lisible par tous, axes en euros, nombres à la française.

Palette : Okabe & Ito (2008), « Color Universal Design » — huit couleurs distinguables
par les personnes daltoniennes (deutéranopie, protanopie, tritanopie) et en niveaux de gris
pour les quatre premières utilisées côte à côte.

Les figures sont des :class:`matplotlib.figure.Figure` indépendantes de pyplot : elles ne
s'affichent qu'une fois (la valeur rendue par la cellule) et n'encombrent pas la mémoire.
"""

from __future__ import annotations

from io import BytesIO

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from coursehelpers.display import eur, num, pct

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
            from coursehelpers.errors import DataError

            raise DataError(f"« ax » doit être un axe matplotlib (reçu : {type(ax).__name__}).")
        return ax.figure, ax  # type: ignore[return-value]
    fig = Figure(figsize=figsize, dpi=DPI, layout="constrained")
    return fig, fig.add_subplot()


def style_axes(ax: Axes, *, title: str, xlabel: str | None = None, ylabel: str | None = None,
               grid: str | None = "y") -> Axes:
    """Titre et étiquettes en français, cadre allégé, grille discrète."""
    ax.set_title(title, fontsize=12, fontweight="bold")
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
