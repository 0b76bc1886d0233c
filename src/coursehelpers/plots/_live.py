"""Figures « vivantes » des explorateurs : mises à jour sur place, image PNG rapide.

Une figure du cours qui peut être mise à jour sur place retient ce qu'il faut pour cela dans
un :class:`LiveFigure` (attaché à son axe par :func:`remember`, retrouvé par :func:`recall`) :

* ``parts`` : ses artistes (barres, textes, lignes...) et valeurs propres, par nom ;
* ``dynamic`` : les artistes qui changent d'un réglage à l'autre, dessinés à part ;
* ``static_key`` : le fond (bornes, graduations, titre...) n'est redessiné que si elle change ;
* ``layout_key`` : la mise en page n'est recalculée que si elle change (défaut : ``static_key``) ;
* ``longest`` : la plus longue étiquette connue (une plus longue demande une nouvelle mise en page).

:func:`live_png` s'en sert pour ne redessiner que ce qui a changé.
"""

from __future__ import annotations

import weakref
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure

__all__ = ["LiveFigure", "live_png", "recall", "remember"]


@dataclass(eq=False)
class LiveFigure:
    """Ce qu'une figure d'explorateur retient pour être mise à jour sur place (voir le module)."""

    kind: str
    ax: Axes
    parts: dict[str, Any] = field(default_factory=dict)
    dynamic: list[Artist] = field(default_factory=list)
    static_key: Hashable = None
    layout_key: Hashable = None
    longest: int = 0
    # état du dernier rendu (rempli par live_png)
    background: Any = field(default=None, repr=False)
    drawn_key: Hashable = field(default=None, repr=False)
    drawn_layout_key: Hashable = field(default=None, repr=False)

    @property
    def current_layout_key(self) -> Hashable:
        """La clé de mise en page en vigueur : ``layout_key``, ou ``static_key`` à défaut."""
        return self.static_key if self.layout_key is None else self.layout_key

    def label_grew(self, labels: Iterable[str]) -> bool:
        """Vrai si l'étiquette la plus longue dépasse celle de la dernière mise en page (à refaire).

        Les chiffres ont tous la même largeur : la longueur en caractères suffit à savoir si une
        étiquette risque de sortir de la marge calculée à la dernière mise en page.
        """
        longest = max((len(s) for s in labels), default=0)
        if longest > self.longest:
            self.longest = longest
            return True
        return False


# Figures vivantes, par axe (oubliées avec la figure).
_LIVE: weakref.WeakKeyDictionary[Axes, LiveFigure] = weakref.WeakKeyDictionary()


def remember(ax: Axes, kind: str, *, dynamic: Iterable[Artist] = (), static_key: Hashable = None,
             layout_key: Hashable = None, longest: int = 0, **parts: Any) -> LiveFigure:
    """Retient les artistes d'un graphique ``kind`` dessiné dans ``ax`` pour le mettre à jour sur place."""
    live = LiveFigure(kind, ax, parts, list(dynamic), static_key, layout_key, longest)
    _LIVE[ax] = live
    return live


def recall(target: Figure | Axes, kind: str) -> LiveFigure | None:
    """Le graphique ``kind`` retenu pour cet axe (ou le 1er axe de la figure) ; None sinon."""
    ax = target if isinstance(target, Axes) else (target.axes[0] if target.axes else None)
    live = _LIVE.get(ax) if ax is not None else None
    return live if live is not None and live.kind == kind else None


def live_png(fig: Figure, *, relayout: bool = False, compress_level: int = 1) -> bytes:
    """PNG d'une figure d'explorateur mise à jour sur place (rapide).

    - Mise en page « constrained » calculée la première fois, quand le fond change (si sa
      ``layout_key`` change aussi) ou si ``relayout`` (étiquette plus longue), puis figée.
    - Fond réutilisé : les artistes ``dynamic`` sont exclus du fond, qui n'est redessiné que si
      ``static_key`` change ; sinon on recopie le fond et on ne dessine que ces artistes.
    - PNG compressé au niveau ``compress_level`` (1 : rapide ; 6 : celui de ``savefig``), en RGB
      sans canal alpha si le fond de la figure est opaque (même image, moins d'octets).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    live = next((x for ax in fig.axes if (x := _LIVE.get(ax)) is not None), None)
    dynamic = live.dynamic if live is not None else []
    for artist in dynamic:
        artist.set_animated(True)  # hors du fond (dessiné à part, voir plus bas)
    engine = fig.get_layout_engine()
    new_background = live is None or live.background is None or live.drawn_key != live.static_key
    layout_key = live.current_layout_key if live is not None else None
    drawn_layout_key = live.drawn_layout_key if live is not None else None
    restored = False
    if relayout or (new_background and drawn_layout_key != layout_key) or (
            engine is not None and type(engine).__name__ != "PlaceHolderLayoutEngine"):
        # fond changé (bornes, graduations, titre...) : mise en page recalculée puis figée
        fig.set_layout_engine("constrained")
        canvas.draw()
        fig.set_layout_engine("none")
    elif new_background:
        canvas.draw()  # mêmes marges (``layout_key`` inchangée) : fond seulement
    else:
        canvas.restore_region(live.background)  # fond inchangé : simple copie
        restored = True
    if live is not None and not restored:
        live.background = canvas.copy_from_bbox(fig.bbox)
        live.drawn_key, live.drawn_layout_key = live.static_key, layout_key
    renderer = canvas.get_renderer()
    for artist in sorted(dynamic, key=lambda a: a.get_zorder()):
        if artist.get_visible():
            artist.draw(renderer)
        artist.set_animated(False)  # hors de ce rendu, la figure redevient ordinaire (savefig...)
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    if fig.patch.get_visible() and fig.patch.get_facecolor()[3] == 1.0:
        # fond de figure opaque : aucune transparence dans l'image, 3 canaux suffisent (même rendu,
        # PNG plus petit, encodé plus vite)
        image = image.convert("RGB")
    buffer = BytesIO()
    image.save(buffer, format="png", compress_level=compress_level)
    return buffer.getvalue()
