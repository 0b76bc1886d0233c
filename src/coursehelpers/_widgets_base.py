"""Socle commun des explorateurs : des contrôles (widgets) et des sorties ordinaires mises à jour sur place.

Principe (voir DESIGN.md, « Widgets ») : les résultats ne sont pas dans un widget ``Output``
mais dans des sorties Jupyter normales, affichées avec ``display(..., display_id=True)`` puis
remplacées avec ``handle.update(...)``. Un notebook exécuté montre donc la vue par défaut
même là où aucun widget ne s'affiche (GitHub, export HTML).

Sans navigateur (tests, scripts), on pilote un explorateur par ``update(**valeurs)`` et on lit
``outputs`` : le calcul est exactement celui que déclenche un curseur.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Mapping
from typing import Any

import ipywidgets as w
import pandas as pd
from matplotlib.figure import Figure

from coursehelpers._plot_style import figure_png
from coursehelpers.errors import DataError


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


class Explorer:
    """Un explorateur : ``controls`` (widgets), ``outputs`` (figures / tableaux / textes).

    Attributs
    ---------
    controls : dict nom → widget (curseurs, menus...), dans l'ordre d'affichage
    outputs : dict nom → dernier résultat (``Figure``, ``DataFrame`` mis en forme, texte Markdown)
    last_callback_ms : durée du dernier recalcul (calcul + image PNG + tableaux), en ms
    last_compute_ms : la partie calcul de ce recalcul (analyse, tableaux, figure non dessinée)

    Méthodes
    --------
    update(**valeurs) : change des contrôles puis recalcule une seule fois
    refresh() : recalcule avec les valeurs actuelles
    """

    name = "explorateur"
    title = "Explorateur"

    def __init__(self, controls: Mapping[str, w.Widget]) -> None:
        self.controls: dict[str, w.Widget] = dict(controls)
        self.outputs: dict[str, object] = {}
        self.bundles: dict[str, dict[str, str]] = {}
        self.last_callback_ms = float("nan")
        self.last_compute_ms = float("nan")
        self._handles: dict[str, Any] = {}
        self._hold = False
        for control in self.controls.values():
            if hasattr(control, "continuous_update"):
                control.continuous_update = False
            control.observe(self._on_change, names="value")
        self.widget = w.VBox(
            [self._layout()],
            layout=w.Layout(border="1px solid #ddd", padding="6px", margin="4px 0"),
        )
        self.widget.add_class("ch-explorer")
        self.widget.add_class(f"ch-explorer-{self.name}")
        self.refresh()

    # -- à définir dans chaque explorateur -------------------------------------------------
    def _compute(self, values: dict[str, Any]) -> dict[str, object]:  # pragma: no cover
        raise NotImplementedError

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

        Exemple : ``explorateur.update(seuil_a=0.7)``. Une valeur refusée par le calcul
        lève une :class:`DataError` en français.
        """
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
        outputs = {"message": "", **self._compute(self.values)}
        self.last_compute_ms = (time.perf_counter() - start) * 1000
        bundles = {key: mime_bundle(obj) for key, obj in outputs.items()}
        self.outputs, self.bundles = outputs, bundles
        self.last_callback_ms = (time.perf_counter() - start) * 1000
        for key, handle in self._handles.items():
            handle.update(bundles.get(key, mime_bundle("")), raw=True)
        return self

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
            raise DataError(f"« {key} » doit être entre {lo} et {hi} (reçu : {value!r}).")
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
