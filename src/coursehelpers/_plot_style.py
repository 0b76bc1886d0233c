"""Style commun des figures du cours : palette lisible par tous, axes en euros, nombres à la française.

Palette : Okabe & Ito (2008), « Color Universal Design » — huit couleurs distinguables
par les personnes daltoniennes (deutéranopie, protanopie, tritanopie) et en niveaux de gris
pour les quatre premières utilisées côte à côte.

Les figures sont des :class:`matplotlib.figure.Figure` indépendantes de pyplot : elles ne
s'affichent qu'une fois (la valeur rendue par la cellule) et n'encombrent pas la mémoire.
"""

from __future__ import annotations

import weakref
from io import BytesIO
from typing import Any

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
               grid: str | None = "y", pad: float = 6.0) -> Axes:
    """Titre et étiquettes en français, cadre allégé, grille discrète.

    ``pad`` : écart entre le titre et le cadre, en points (plus grand s'il y a du texte au-dessus).
    """
    ax.set_title(title, fontsize=12, fontweight="bold", pad=pad)
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


# Artistes d'une figure du cours, gardés pour la mettre à jour sur place (explorateurs).
_PARTS: weakref.WeakKeyDictionary[Axes, dict[str, Any]] = weakref.WeakKeyDictionary()


def remember(ax: Axes, kind: str, **parts: Any) -> None:
    """Retient les artistes d'un graphique (barres, textes...) pour une mise à jour sur place."""
    _PARTS[ax] = {"kind": kind, "ax": ax, **parts}


def parts_of(target: Figure | Axes, kind: str) -> dict[str, Any] | None:
    """Artistes retenus du graphique ``kind`` dessiné dans cet axe (ou le 1er axe de la figure).

    La clé ``"ax"`` du résultat est l'axe du graphique. None si ce n'est pas un tel graphique.
    """
    ax = target if isinstance(target, Axes) else (target.axes[0] if target.axes else None)
    parts = _PARTS.get(ax) if ax is not None else None
    return parts if parts is not None and parts["kind"] == kind else None


def label_grew(parts: dict[str, Any], labels: list[str]) -> bool:
    """Vrai si l'étiquette la plus longue dépasse celle de la dernière mise en page (à refaire).

    Les chiffres ont tous la même largeur : la longueur en caractères suffit à savoir si une
    étiquette risque de sortir de la marge calculée à la dernière mise en page.
    """
    longest = max((len(s) for s in labels), default=0)
    if longest > parts.get("longest", 0):
        parts["longest"] = longest
        return True
    return False


def nice_ceil(value: float, *, step: float | None = None) -> float:
    """Borne d'axe « ronde » juste au-dessus de ``value`` (pas ``step``, ou demi-puissance de 10).

    Une borne arrondie change rarement quand un curseur bouge : les graduations (et le fond
    déjà dessiné de la figure) restent les mêmes. Exemple : 0,83 → 0,9 (pas 0,1) ; 437 → 500.
    """
    import math

    if not value > 0 or not math.isfinite(value):
        return step or 1.0
    if step is None:
        step = 10 ** math.floor(math.log10(value)) / 2
    return math.ceil(value / step - 1e-9) * step


def live_png(fig: Figure, *, relayout: bool = False, compress_level: int = 1) -> bytes:
    """PNG d'une figure d'explorateur mise à jour sur place (rapide).

    - Mise en page « constrained » calculée la première fois, quand le fond change ou si
      ``relayout`` (étiquette plus longue dans une partie redessinée), puis figée.
    - Fond réutilisé : les artistes qui changent d'un réglage à l'autre (``parts["dynamic"]``,
      retenus par :func:`remember`) sont exclus du fond, qui n'est redessiné que si sa clé
      ``parts["static_key"]`` (bornes, graduations, titre...) change ; sinon on recopie le fond
      et on ne dessine que ces artistes.
    - PNG compressé au niveau ``compress_level`` (1 : rapide ; 6 : celui de ``savefig``).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    parts = next((p for ax in fig.axes if (p := _PARTS.get(ax)) is not None), None) or {}
    dynamic = parts.get("dynamic", [])
    for artist in dynamic:
        artist.set_animated(True)  # hors du fond (dessiné à part, voir plus bas)
    engine = fig.get_layout_engine()
    new_background = parts.get("_background") is None or parts.get("_drawn_key") != parts.get("static_key")
    layout_key = parts.get("layout_key", parts.get("static_key"))
    if relayout or (new_background and parts.get("_layout_key") != layout_key) or (
            engine is not None and type(engine).__name__ != "PlaceHolderLayoutEngine"):
        # fond changé (bornes, graduations, titre...) : mise en page recalculée puis figée
        fig.set_layout_engine("constrained")
        canvas.draw()
        fig.set_layout_engine("none")
    elif new_background:
        canvas.draw()  # mêmes marges (``layout_key`` inchangée) : fond seulement
    else:
        canvas.restore_region(parts["_background"])  # fond inchangé : simple copie
        parts = {}
    if parts:
        parts["_background"] = canvas.copy_from_bbox(fig.bbox)
        parts["_drawn_key"], parts["_layout_key"] = parts.get("static_key"), layout_key
    renderer = canvas.get_renderer()
    for artist in sorted(dynamic, key=lambda a: a.get_zorder()):
        if artist.get_visible():
            artist.draw(renderer)
        artist.set_animated(False)  # hors de ce rendu, la figure redevient ordinaire (savefig...)
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = BytesIO()
    image.save(buffer, format="png", compress_level=compress_level)
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
