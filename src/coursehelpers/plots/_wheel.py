"""La roue de la fidélité (Lovelock & Wirtz), dessinée avec matplotlib (aucun fichier image)."""

from __future__ import annotations

import math
import textwrap

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Wedge

from coursehelpers.errors import DataError
from coursehelpers.plots._style import MIN_FONT_PT, new_axes, set_title

# Les trois étapes de la roue et leurs leviers, dans le sens de lecture (sens horaire).
WHEEL_STAGES: dict[str, tuple[str, ...]] = {
    "1. Construire les fondations": (
        "Cibler les bons clients",
        "Viser la valeur, pas seulement le volume",
        "Hiérarchiser les services (pyramide des clients)",
        "Satisfaction et qualité de service",
    ),
    "2. Créer des liens de fidélité": (
        "Vente croisée et offres groupées",
        "Récompenses financières et non financières",
        "Liens sociaux, de personnalisation et structurels",
    ),
    "3. Réduire les facteurs d'attrition": (
        "Analyser et surveiller l'attrition",
        "Traiter les réclamations, rattraper les défaillances",
        "Augmenter les coûts de changement",
    ),
}
_STAGE_COLORS = ("#0072B2", "#E69F00", "#009E73")  # Okabe–Ito
_LIGHT = ("#CCE3F0", "#FAE3B3", "#B3E2D5")


def _wrap(text: str, width: int) -> str:
    return textwrap.fill(text, width, break_long_words=False, break_on_hyphens=False)


def _stage_label(stage: str) -> str:
    number, name = stage.split(" ", 1)
    return f"{number}\n{_wrap(name, 12)}"


def _stage_index(highlight: int | str | None) -> int | None:
    if highlight is None:
        return None
    names = list(WHEEL_STAGES)
    if isinstance(highlight, int) and not isinstance(highlight, bool) and 1 <= highlight <= 3:
        return highlight - 1
    if isinstance(highlight, str):
        for i, name in enumerate(names):
            if highlight.lower() in name.lower():
                return i
    raise DataError(
        f"« highlight » doit être 1, 2, 3 ou le nom d'une étape (reçu : {highlight!r}). "
        f"Étapes : {', '.join(names)}."
    )


def wheel_of_loyalty(*, highlight: int | str | None = None, ax: Axes | None = None) -> Figure:
    """Roue de la fidélité de Lovelock & Wirtz : trois étapes et leurs leviers.

    Anneau intérieur : les trois étapes (construire les fondations, créer des liens de
    fidélité, réduire les facteurs d'attrition) ; anneau extérieur : les leviers de chaque
    étape ; au centre : la fidélité du client, résultat de l'ensemble.

    Paramètres
    ----------
    highlight : 1, 2, 3 ou un mot du nom d'une étape (ex. ``"liens"``), optionnel
        Étape mise en avant (les autres sont atténuées) pour en parler en cours.
    ax : axe matplotlib, optionnel

    Renvoie
    -------
    Figure matplotlib.

    Exemples
    --------
    >>> fig = wheel_of_loyalty(highlight="liens")
    >>> fig.axes[0].get_title()
    'La roue de la fidélité (Lovelock & Wirtz)'
    """
    focus = _stage_index(highlight)
    fig, ax = new_axes(ax, figsize=(7.6, 7.6))
    ax.set_aspect("equal")
    ax.set_xlim(-1.12, 1.12)
    ax.set_ylim(-1.12, 1.12)
    ax.axis("off")
    set_title(ax, "La roue de la fidélité (Lovelock & Wirtz)", fontsize=13)

    total = sum(len(levers) for levers in WHEEL_STAGES.values())
    step = 360.0 / total
    angle = 90.0  # départ en haut, sens horaire
    for i, (stage, levers) in enumerate(WHEEL_STAGES.items()):
        dim = focus is not None and focus != i
        alpha = 0.35 if dim else 1.0
        span = step * len(levers)
        start = angle - span
        ax.add_patch(Wedge((0, 0), 0.58, start, angle, width=0.34, facecolor=_STAGE_COLORS[i],
                           edgecolor="white", linewidth=2.5, alpha=alpha))
        middle = math.radians(angle - span / 2)
        ax.text(0.41 * math.cos(middle), 0.41 * math.sin(middle), _stage_label(stage),
                ha="center", va="center", fontsize=10.5, fontweight="bold", color="white",
                alpha=max(alpha, 0.6))
        for j, lever in enumerate(levers):
            hi = angle - j * step
            ax.add_patch(Wedge((0, 0), 1.0, hi - step, hi, width=0.42, facecolor=_LIGHT[i],
                               edgecolor="white", linewidth=2, alpha=alpha))
            mid = math.radians(hi - step / 2)
            ax.text(0.79 * math.cos(mid), 0.79 * math.sin(mid), _wrap(lever, 14),
                    ha="center", va="center", fontsize=MIN_FONT_PT + 0.5, color="#222222",
                    alpha=max(alpha, 0.5))
        angle = start
    ax.add_patch(Circle((0, 0), 0.24, facecolor="#333333", edgecolor="white", linewidth=2.5))
    ax.text(0, 0, "Fidélité\ndu client", ha="center", va="center", fontsize=12,
            fontweight="bold", color="white")
    ax.text(0, -1.1, "Anneau intérieur : les 3 étapes · anneau extérieur : leurs leviers",
            ha="center", va="center", fontsize=MIN_FONT_PT, color="#555555")
    return fig
