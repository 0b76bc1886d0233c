"""Socle commun des explorateurs : des contrôles (widgets) et des sorties ordinaires mises à jour sur place.

Principe : les résultats ne sont pas dans un widget ``Output``
mais dans des sorties Jupyter normales, affichées avec ``display(..., display_id=True)`` puis
remplacées avec ``handle.update(...)``. Un notebook exécuté montre donc la vue par défaut
même là où aucun widget ne s'affiche (GitHub, export HTML).

Sans navigateur (tests, scripts), on pilote un explorateur par ``update(**valeurs)`` et on lit
``outputs`` : le calcul est exactement celui que déclenche un curseur.

Rapidité (≤ 50 ms par rappel) : chaque explorateur garde **une seule figure**, construite au
premier affichage puis mise à jour sur place (hauteurs des barres, données de la carte,
textes) avec une mise en page figée ; le PNG est compressé vite ; les résultats déjà calculés
pour un réglage sont gardés en cache (``cache_hits``) ; si la figure n'a pas changé (par
exemple seul le tableau dépend du contrôle déplacé), l'image précédente est réutilisée.
"""

from __future__ import annotations

import base64
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar

import ipywidgets as w
import pandas as pd
from matplotlib.figure import Figure

from coursehelpers.display import num, pct
from coursehelpers.errors import DataError
from coursehelpers.plots import figure_png, live_png


def mime_bundle(obj: object) -> dict[str, str]:
    """Sortie Jupyter (type MIME → contenu) d'une figure, d'un tableau ou d'un texte Markdown."""
    if isinstance(obj, Figure):
        width, height = obj.get_size_inches()
        return {
            "image/png": base64.b64encode(figure_png(obj)).decode("ascii"),
            "text/plain": f"<Figure size {width * obj.dpi:.0f}x{height * obj.dpi:.0f} with "
                          f"{len(obj.axes)} Axes>",
        }
    if isinstance(obj, pd.DataFrame):
        return {"text/html": obj.to_html(border=0, classes="ch-table", na_rep=""),
                "text/plain": obj.to_string()}
    text = "" if obj is None else str(obj)
    return {"text/markdown": text, "text/plain": text}


def readout_text(control: w.Widget) -> Callable[[Any], str]:
    """Le format français d'une valeur de ce curseur : 5 % (format « % »), 1 000, 0,75."""
    fmt = getattr(control, "readout_format", "") or ""
    if fmt.endswith("%"):
        decimals = int(fmt[1:-1] or 0) if fmt[1:-1].isdigit() else 0
        return lambda v: pct(v, decimals)
    if isinstance(control, w.FloatSlider | w.FloatRangeSlider):
        decimals = int(fmt[1:-1]) if fmt.startswith(".") and fmt[1:-1].isdigit() else 2
        return lambda v: num(v, decimals)
    return lambda v: num(v)


def french_readout(control: w.Widget) -> w.Label | None:
    """Valeur affichée à la française à côté d'un curseur (« 5 % », « 1 000 », « 0,75 »).

    Le curseur d'ipywidgets écrit « 5% » ou « 1000 » (format anglais) : on masque sa valeur et on
    l'écrit dans un ``Label`` mis à jour à chaque déplacement. ``None`` si le curseur affiche déjà
    une valeur correcte (entiers < 1 000, curseurs à choix nommés).
    """
    if not isinstance(control, w.FloatSlider | w.IntSlider | w.FloatRangeSlider | w.IntRangeSlider):
        return None
    fmt = getattr(control, "readout_format", "") or ""
    if not fmt.endswith("%") and not isinstance(control, w.FloatSlider | w.FloatRangeSlider) and \
            max(abs(control.min), abs(control.max)) < 1000:
        return None
    show = readout_text(control)

    def text(value: Any) -> str:
        return " – ".join(show(v) for v in value) if isinstance(value, tuple | list) else show(value)

    control.readout = False
    label = w.Label(text(control.value), layout=w.Layout(min_width="4.5em"))
    label.add_class("ch-readout")
    control.observe(lambda change: setattr(label, "value", text(change["new"])), names="value")
    return label


def _with_readouts(widget: w.Widget, readouts: dict[int, w.Label]) -> w.Widget:
    """La disposition ``widget`` où chaque curseur à valeur française est suivi de son ``Label``."""
    if id(widget) in readouts:
        return w.HBox([widget, readouts[id(widget)]], layout=w.Layout(align_items="center"))
    if isinstance(widget, w.Box):
        widget.children = tuple(_with_readouts(child, readouts) for child in widget.children)
    return widget


def check_order(values: tuple[float, ...], names: tuple[str, ...]) -> None:
    """Lève une erreur en clair si un seuil n'est pas au-dessus du précédent (« Le seuil Or (20 %) ... »)."""
    for rank in range(1, len(values)):
        if values[rank] <= values[rank - 1]:
            raise DataError(f"Le seuil {names[rank]} ({pct(values[rank], 0)}) doit rester au-dessus du "
                            f"seuil {names[rank - 1]} ({pct(values[rank - 1], 0)}).")


def keep_in_order(explorer: Any, sliders: list[w.FloatSlider], step: float = 0.01) -> None:
    """Curseurs de seuils qui ne se croisent pas : en déplacer un au-delà d'un voisin pousse ce voisin.

    À appeler avant ``Explorer.__init__`` : la poussée a lieu avant le recalcul. Inactif pendant
    ``update(...)`` (réglage par programme) : un réglage incohérent y lève l'erreur en clair de
    :func:`check_order`.
    """

    def push(rank: int, change: dict[str, Any]) -> None:
        if getattr(explorer, "_hold", False):
            return
        value = round(change["new"], 2)
        if rank > 0 and sliders[rank - 1].value >= value:
            sliders[rank - 1].value = round(value - step, 2)
        if rank < len(sliders) - 1 and sliders[rank + 1].value <= value:
            sliders[rank + 1].value = round(value + step, 2)

    for rank, slider in enumerate(sliders):
        slider.observe(partial(push, rank), names="value")


@dataclass(eq=False)
class Plot:
    """La figure d'un réglage : ``build()`` la construit, ``update(fig)`` l'applique sur place.

    ``update`` rend None si la figure ne peut pas être mise à jour (autre structure : elle est
    alors reconstruite), sinon True si sa mise en page est à recalculer.
    """

    build: Callable[[], Figure]
    update: Callable[[Figure], bool | None]


class Controls(dict):
    """Les contrôles d'un explorateur par nom ; un ancien nom (alias) donne le même contrôle."""

    def __init__(self, controls: Mapping[str, w.Widget], aliases: Mapping[str, str]) -> None:
        super().__init__(controls)
        self.aliases = dict(aliases)

    def __missing__(self, key: str) -> w.Widget:
        if key in self.aliases:
            return self[self.aliases[key]]
        raise KeyError(key)


def _key(values: Mapping[str, Any]) -> tuple:
    return tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in values.items())


class Explorer:
    """Un explorateur : ``controls`` (widgets), ``outputs`` (figures / tableaux / textes).

    Attributs
    ---------
    controls : dict nom → widget (curseurs, menus...), dans l'ordre d'affichage
    outputs : dict nom → dernier résultat (``Figure``, ``DataFrame`` mis en forme, texte Markdown)
    last_callback_ms : durée du dernier recalcul (calcul + image PNG + tableaux), en ms
    last_compute_ms : la partie calcul de ce recalcul (analyse, tableaux, artistes mis à jour)
    last_render_ms : la partie rendu (dessin + PNG de la figure, HTML des tableaux)
    figure : la figure de l'explorateur (toujours le même objet, mis à jour sur place)
    cache_hits, cache_misses : réglages retrouvés dans le cache / calculés

    Méthodes
    --------
    update(**valeurs) : change des contrôles puis recalcule une seule fois
    refresh() : recalcule avec les valeurs actuelles
    """

    name = "explorateur"
    title = "Explorateur"
    note = ""  # phrase affichée sous les contrôles (ce que les contrôles changent ou non)
    cache_size = 64  # réglages gardés en mémoire (les plus récents)
    #: Anciens noms (français) des contrôles → noms actuels : acceptés par ``update`` et ``controls[...]``.
    aliases: ClassVar[dict[str, str]] = {}

    def __init__(self, controls: Mapping[str, w.Widget]) -> None:
        self.controls: Controls = Controls(controls, self.aliases)
        self.outputs: dict[str, object] = {}
        self.bundles: dict[str, dict[str, str]] = {}
        self.last_callback_ms = float("nan")
        self.last_compute_ms = float("nan")
        self.last_render_ms = float("nan")
        self.figure: Figure | None = None
        self.cache_hits = self.cache_misses = 0
        self._cache: OrderedDict[tuple, dict[str, Any]] = OrderedDict()
        self._plots: OrderedDict[Hashable, Plot] = OrderedDict()
        self._drawn: Plot | None = None  # réglage actuellement dessiné dans self.figure
        self._relayout = True
        self._png: dict[str, str] | None = None
        self._handles: dict[str, Any] = {}
        self._table_bundles: dict[int, tuple[pd.DataFrame, dict[str, str]]] = {}
        self._hold = False
        for control in self.controls.values():
            if hasattr(control, "continuous_update"):
                control.continuous_update = False
            control.observe(self._on_change, names="value")
        self._readouts = {id(c): r for c in self.controls.values() if (r := french_readout(c)) is not None}
        parts = [_with_readouts(self._layout(), self._readouts)]
        if self.note:
            note = w.HTML(f'<span style="font-size:0.92em;color:#444">{self.note}</span>')
            note.add_class("ch-explorer-note")
            parts.append(note)
        self.widget = w.VBox(
            parts,
            layout=w.Layout(border="1px solid #ddd", padding="6px", margin="4px 0"),
        )
        self.widget.add_class("ch-explorer")
        self.widget.add_class(f"ch-explorer-{self.name}")
        self.refresh()

    # -- à définir dans chaque explorateur -------------------------------------------------
    def _compute(self, values: dict[str, Any]) -> dict[str, object]:  # pragma: no cover
        """Sorties d'un réglage ; la sortie ``"figure"`` est un :class:`Plot` (pas une Figure)."""
        raise NotImplementedError

    def _plot(self, key: Hashable, make: Callable[[], Plot]) -> Plot:
        """Le même :class:`Plot` pour la même clé : la figure n'est pas redessinée si seul le
        reste (tableau, liste...) dépend du contrôle déplacé."""
        plot = self._plots.get(key)
        if plot is None:
            plot = self._plots[key] = make()
            if len(self._plots) > self.cache_size:
                self._plots.popitem(last=False)
        return plot

    def _layout(self) -> w.Widget:
        """Disposition des contrôles (par défaut : en grille souple)."""
        return w.HBox(list(self.controls.values()), layout=w.Layout(flex_flow="row wrap"))

    # -- API publique -------------------------------------------------------------------------
    @property
    def values(self) -> dict[str, Any]:
        """Valeurs actuelles des contrôles."""
        return {key: control.value for key, control in self.controls.items()}

    def update(self, **values: Any) -> Explorer:
        """Change un ou plusieurs contrôles puis recalcule (une seule fois).

        Exemple : ``explorateur.update(threshold_a=0.7)`` (l'ancien nom ``seuil_a`` marche
        aussi, voir ``aliases``). Une valeur refusée par le calcul lève une :class:`DataError`
        en français.
        """
        values = {self.aliases.get(k, k): v for k, v in values.items()}
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            known = ", ".join(self.controls)
            raise DataError(f"contrôle inconnu : {', '.join(unknown)}. Contrôles disponibles : {known}.")
        self._hold = True
        try:
            for key, value in values.items():
                self._set_control(key, value)
        finally:
            self._hold = False
        return self.refresh()

    def refresh(self) -> Explorer:
        """Recalcule toutes les sorties et met à jour leur affichage (lève DataError si invalide)."""
        start = time.perf_counter()
        key = _key(self.values)
        entry = self._cache.get(key)
        if entry is None:
            self.cache_misses += 1
            entry = {"outputs": {"message": "", **self._compute(self.values)}, "bundles": None}
            self._cache[key] = entry
            if len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        else:
            self.cache_hits += 1
            self._cache.move_to_end(key)
        plot = entry["outputs"].get("figure")
        if isinstance(plot, Plot):
            self._draw(plot)
        outputs = {k: self.figure if k == "figure" else v for k, v in entry["outputs"].items()}
        middle = time.perf_counter()
        self.last_compute_ms = (middle - start) * 1000
        if entry["bundles"] is None:  # HTML des tableaux : une fois par réglage (et par objet)
            entry["bundles"] = {k: self._bundle(v) for k, v in entry["outputs"].items() if k != "figure"}
        bundles = dict(entry["bundles"])
        if "figure" in outputs:
            bundles["figure"] = self._figure_bundle()
        bundles = {k: bundles[k] for k in outputs}  # ordre d'affichage des sorties
        self.outputs, self.bundles = outputs, bundles
        end = time.perf_counter()
        self.last_render_ms = (end - middle) * 1000
        self.last_callback_ms = (end - start) * 1000
        for key_, handle in self._handles.items():
            handle.update(bundles.get(key_, mime_bundle("")), raw=True)
        return self

    def _bundle(self, obj: object) -> dict[str, str]:
        """Sortie Jupyter de ``obj`` ; un même tableau (même objet) partagé par plusieurs réglages
        n'est converti en HTML qu'une fois (par ex. la synthèse des segments RFM d'une date)."""
        if not isinstance(obj, pd.DataFrame):
            return mime_bundle(obj)
        known = self._table_bundles.get(id(obj))
        if known is not None and known[0] is obj:
            return known[1]
        bundle = mime_bundle(obj)
        if len(self._table_bundles) > 4 * self.cache_size:
            self._table_bundles.clear()
        self._table_bundles[id(obj)] = (obj, bundle)  # l'objet est gardé : son id reste le sien
        return bundle

    def _draw(self, plot: Plot) -> None:
        """Applique le réglage à la figure existante, ou la construit (première fois, autre forme)."""
        if plot is self._drawn and self.figure is not None:
            return  # même figure : rien à redessiner
        relayout = None if self.figure is None else plot.update(self.figure)
        if relayout is None:
            self.figure, relayout = plot.build(), True  # autre structure (nombre de barres...)
        self._drawn = plot
        self._relayout = self._relayout or bool(relayout)
        self._png = None

    def _figure_bundle(self) -> dict[str, str]:
        fig = self.figure
        if fig is None:
            return mime_bundle("")
        if self._png is None or fig.stale:
            png = live_png(fig, relayout=self._relayout)
            self._relayout = False
            width, height = fig.get_size_inches()
            self._png = {"image/png": base64.b64encode(png).decode("ascii"),
                         "text/plain": f"<Figure size {width * fig.dpi:.0f}x{height * fig.dpi:.0f} with "
                                       f"{len(fig.axes)} Axes>"}
        return self._png

    # -- mécanique interne --------------------------------------------------------------------
    def _set_control(self, key: str, value: Any) -> None:
        control = self.controls[key]
        options = getattr(control, "options", None)
        if options is not None and not isinstance(control, w.SelectMultiple):
            labels = [o[0] if isinstance(o, tuple) else o for o in options]
            wanted = value if isinstance(control, w.SelectionRangeSlider) else (value,)
            if not isinstance(wanted, tuple | list) or any(v not in labels for v in wanted):
                shown = ", ".join(map(repr, labels))
                raise DataError(f"valeur {value!r} impossible pour « {key} ». Choix possibles : {shown}.")
        if isinstance(control, w.SelectMultiple):
            value = tuple(value)
        lo, hi = getattr(control, "min", None), getattr(control, "max", None)
        if lo is not None and hi is not None and not isinstance(value, (tuple, list)) and not (
            lo <= value <= hi
        ):
            show = readout_text(control)
            label = (getattr(control, "description", "") or key).split(" : ")[0]
            raise DataError(f"« {label} » doit être entre {show(lo)} et {show(hi)} (reçu : {show(value)}).")
        control.value = value

    def _on_change(self, _change: dict[str, Any]) -> None:
        if self._hold:
            return
        try:
            self.refresh()
        except DataError as err:  # réglage incohérent : on l'explique à la place des résultats
            message = f"⚠️ {err} (les résultats affichés sont ceux du dernier réglage valide.)"
            self.outputs["message"] = message
            self.bundles["message"] = mime_bundle(message)
            if "message" in self._handles:
                self._handles["message"].update(self.bundles["message"], raw=True)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display({"text/markdown": f"**{self.title}**", "text/plain": self.title}, raw=True)
        display(self.widget)
        for key in self.bundles:
            self._handles[key] = display(self.bundles[key], raw=True, display_id=True)

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v!r}" for k, v in self.values.items())
        return f"<{type(self).__name__} {self.title!r} ({settings})>"
