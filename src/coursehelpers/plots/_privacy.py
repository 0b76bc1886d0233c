"""Figure des droits de prospection par canal (chapitre 01) : barres empilées, mises à jour sur place."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from coursehelpers.display import num
from coursehelpers.personal_data import PERMISSION_CATEGORIES
from coursehelpers.plots._live import recall, remember
from coursehelpers.plots._style import new_axes, number_formatter, style_axes

#: Couleur de chaque catégorie du décompte (Okabe-Ito ; gris : pas de coordonnée).
PERMISSION_COLORS: dict[str, str] = {
    "Consentement": "#009E73",
    "Soft opt-in": "#56B4E9",
    "Intérêt légitime": "#0072B2",
    "Conservation atteinte": "#CC79A7",
    "Opposition": "#D55E00",
    "Bloctel": "#E69F00",
    "Consentement requis": "#F0E442",
    "Pas de coordonnée": "#CCCCCC",
}


def permission_bars(counts: pd.DataFrame, *, title: str, subtitle: str = "") -> Figure:
    """Barres horizontales empilées : une barre par canal, un segment par catégorie.

    L'axe va de 0 au nombre de personnes (+ 25 % pour l'étiquette « joignables ») : chaque
    barre totalise toutes les personnes du fichier, l'axe ne bouge donc pas d'un réglage à
    l'autre (seuls les segments, les étiquettes et le sous-titre sont redessinés).
    """
    fig, ax = new_axes(None, figsize=(8.0, 4.0))
    pos = np.arange(len(counts))[::-1]
    left = np.zeros(len(counts))
    bars = []
    for name, color in PERMISSION_COLORS.items():
        allowed = PERMISSION_CATEGORIES[name]
        values = counts[name].to_numpy(dtype=float)
        bars.append(ax.barh(pos, values, left=left, color=color, height=0.62,
                            label=name + ("" if allowed else " ✗"), edgecolor="white", linewidth=0.4))
        left += values
    ax.set_yticks(pos, [str(c) for c in counts.index])
    ax.set_xlim(0, max(float(left.max()), 1.0) * 1.25)
    ax.xaxis.set_major_formatter(number_formatter())
    style_axes(ax, title=title, xlabel="Nombre de personnes (✗ : pas de prospection)", ylabel="Canal",
               grid="x", pad=16)
    notes = [ax.text(x, y, "", va="center", fontsize=9) for y, x in zip(pos, left, strict=True)]
    sub = ax.text(0.5, 1.01, subtitle, transform=ax.transAxes, ha="center", va="bottom", fontsize=9)
    fig.legend(loc="outside lower center", ncols=4, fontsize=9, frameon=False)
    rects = [r for container in bars for r in container]
    # l’axe vertical (spine) recouvre les barres dans un dessin complet : il est redessiné avec elles
    remember(ax, "privacy", bars=bars, notes=notes, subtitle=sub,
             dynamic=[*rects, *notes, sub, ax.spines["left"]],
             static_key=(title, tuple(counts.index), float(left.max())))
    update_permission_bars(fig, counts, subtitle=subtitle)
    return fig


def update_permission_bars(fig: Figure, counts: pd.DataFrame, *, subtitle: str) -> bool | None:
    """Met à jour sur place une figure de :func:`permission_bars` (None : à reconstruire)."""
    live = recall(fig, "privacy")
    if live is None or len(live.parts["notes"]) != len(counts) or \
            float(counts.sum(axis=1).max()) != live.static_key[2]:
        return None
    left = np.zeros(len(counts))
    for container, name in zip(live.parts["bars"], PERMISSION_COLORS, strict=True):
        values = counts[name].to_numpy(dtype=float)
        for rect, x0, width in zip(container, left, values, strict=True):
            rect.set_x(x0)
            rect.set_width(width)
        left += values
    allowed = counts[[k for k, ok in PERMISSION_CATEGORIES.items() if ok]].sum(axis=1).to_numpy()
    for text, x, n in zip(live.parts["notes"], left, allowed, strict=True):
        text.set_x(x)
        text.set_text(f"  {num(int(n))} joignables")
    live.parts["subtitle"].set_text(subtitle)
    return False
