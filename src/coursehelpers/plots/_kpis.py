"""Figures des indicateurs de fidélisation et de valeur client (CLV)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import ScalarFormatter

from coursehelpers import kpis
from coursehelpers._core.validate import check_number, numeric_column, require_columns, require_frame
from coursehelpers.display import eur, num, pct
from coursehelpers.errors import DataError
from coursehelpers.plots._live import recall, remember
from coursehelpers.plots._style import (
    MIN_FONT_PT,
    PALETTE,
    euro_formatter,
    new_axes,
    nice_ceil,
    percent_formatter,
    set_title,
    style_axes,
)


def clv_curve(table: pd.DataFrame, *, acquisition_cost: float = 0.0, ax: Axes | None = None) -> Figure:
    """CLV cumulée année après année face au coût d'acquisition (seuil de rentabilité).

    Paramètres
    ----------
    table : DataFrame avec les colonnes ``annee`` et ``clv_cumulee`` (en €)
        par exemple la sortie de ``clv.clv_by_year``.
    acquisition_cost : coût d'acquisition d'un client (€), tracé en pointillés.

    La première année où ``clv_cumulee ≥ acquisition_cost`` est marquée : c'est le seuil
    de rentabilité du client.

    Exemples
    --------
    >>> t = pd.DataFrame({"annee": [1, 2, 3], "clv_cumulee": [100.0, 170.0, 219.0]})
    >>> clv_curve(t, acquisition_cost=150).axes[0].get_xlabel()
    'Années de relation'
    """
    fig, ax = new_axes(ax)
    (line,) = ax.plot([], [], marker="o", color=PALETTE[0], label="CLV cumulée (marges actualisées)")
    cost = ax.axhline(0, color=PALETTE[3], linestyle="--", label="Coût d'acquisition")
    # étiquette au-dessus du point de rentabilité (donc jamais sur les pointillés du coût), sur
    # fond blanc pour rester lisible si la courbe passe derrière
    note = ax.annotate("", (0, 0), xytext=(-8, 16), textcoords="offset points", ha="right", va="bottom",
                       arrowprops={"arrowstyle": "->"}, fontsize=9,
                       bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none",
                             "alpha": 0.85})
    ax.yaxis.set_major_formatter(euro_formatter())
    legend = ax.legend(loc="lower right", frameon=False, fontsize=9)
    style_axes(ax, title="Valeur vie client cumulée et seuil de rentabilité",
               xlabel="Années de relation", ylabel="Montant (€)")
    remember(ax, "clv", line=line, cost=cost, note=note, legend=legend, years=None)
    update_clv_curve(ax, table, acquisition_cost=acquisition_cost)
    return fig


def update_clv_curve(fig: Figure | Axes, table: pd.DataFrame, *,
                     acquisition_cost: float = 0.0) -> bool | None:
    """Met à jour sur place une figure de :func:`clv_curve` (None : à reconstruire).

    Axe vertical de 0 au maximum de la CLV et du coût (+ 5 % de marge) ; True si la mise en
    page est à refaire (graduations en euros plus longues).
    """
    live = recall(fig, "clv")
    df = require_frame(table, name="table CLV")
    require_columns(df, ["annee", "clv_cumulee"], name="table CLV")
    years = numeric_column(df, "annee", name="table CLV").to_numpy()
    clv = numeric_column(df, "clv_cumulee", name="table CLV").to_numpy()
    if live is None:
        return None
    ax = live.ax
    live.parts["line"].set_data(years, clv)
    live.parts["cost"].set_ydata([acquisition_cost, acquisition_cost])
    label = f"Coût d'acquisition ({eur(acquisition_cost)})"
    live.parts["cost"].set_label(label)
    live.parts["legend"].get_texts()[1].set_text(label)
    if live.parts["years"] is None or not np.array_equal(live.parts["years"], years):
        live.parts["years"] = years
        ax.set_xticks(years if len(years) <= 20 else years[:: max(1, len(years) // 10)])
        margin = 0.05 * (years.max() - years.min()) if len(years) > 1 else 0.5
        ax.set_xlim(years.min() - margin, years.max() + margin)
    low, high = min(clv.min(), acquisition_cost), max(clv.max(), acquisition_cost)
    top = high + 0.05 * (high - low)
    above = np.flatnonzero(clv >= acquisition_cost)
    note = live.parts["note"]
    note.set_visible(bool(acquisition_cost > 0 and above.size))
    if note.get_visible():
        k = above[0]
        note.xy = (years[k], clv[k])
        note.set_text(f"rentable en année {years[k]:.0f}")
        # au-dessus du point (le coût est au-dessous ou au même niveau) ; à gauche du point, sauf
        # près du bord gauche (l'étiquette sortirait sur les graduations) : alors à droite
        xmin, xmax = ax.get_xlim()
        right_side = (years[k] - xmin) / (xmax - xmin) < 0.35
        note.xyann = (8.0, 16.0) if right_side else (-8.0, 16.0)
        note.set_horizontalalignment("left" if right_side else "right")
        top = max(top, clv[k] / 0.8)  # place pour l'étiquette sous le haut du cadre
    else:
        note.set_text("")
    ax.set_ylim(0, top if top > 0 else 1.0)
    live.dynamic = [ax.yaxis, live.parts["line"], live.parts["cost"], note, live.parts["legend"]]
    live.static_key = tuple(years)  # axe vertical redessiné à chaque fois (il suit la CLV)
    return live.label_grew([eur(top)])


def clv_sensitivity(*, margin: float, discount_rate: float = 0.08, horizon: int = 10,
                    acquisition_cost: float = 0.0, retention: float | None = None,
                    ax: Axes | None = None) -> Figure:
    """Sensibilité de la CLV au taux de fidélisation r (toutes choses égales par ailleurs).

    ``CLV(r) = Σ_{t=1..T} m × r^(t−1) / (1 + d)^(t−1)`` pour r de 0 à 95 % ; la droite en
    pointillés est le coût d'acquisition, le point marque le taux ``retention`` actuel.
    La courbe montre qu'un petit gain de fidélisation vaut beaucoup quand r est déjà élevé.

    Exemples
    --------
    >>> fig = clv_sensitivity(margin=100, discount_rate=0.1, horizon=5, retention=0.7)
    >>> fig.axes[0].get_xlabel()
    'Taux de fidélisation annuel'
    """
    for name, value in (("margin", margin), ("discount_rate", discount_rate),
                        ("acquisition_cost", acquisition_cost)):
        check_number(value, name=name)
    if discount_rate <= -1:
        raise DataError(f"« discount_rate » doit être supérieur à −100 % (reçu : {discount_rate!r}).")
    if isinstance(horizon, bool) or not isinstance(horizon, int) or horizon < 1:
        raise DataError(f"« horizon » doit être un entier ≥ 1 (reçu : {horizon!r}).")
    if retention is not None and not 0 <= retention <= 1:
        raise DataError(f"« retention » doit être une proportion entre 0 et 1 (reçu : {retention!r}).")
    rates = np.linspace(0.0, 0.95, 96)
    powers = np.arange(horizon)
    clv = margin * ((rates[:, None] / (1 + discount_rate)) ** powers[None, :]).sum(axis=1)
    fig, ax = new_axes(ax)
    ax.plot(rates, clv, color=PALETTE[0], label=f"CLV sur {horizon} ans (marge {eur(margin)}/an)")
    if acquisition_cost:
        ax.axhline(acquisition_cost, color=PALETTE[3], linestyle="--",
                   label=f"Coût d'acquisition ({eur(acquisition_cost)})")
    if retention is not None:
        value = margin * ((retention / (1 + discount_rate)) ** powers).sum()
        ax.plot([retention], [value], "o", color=PALETTE[1], markersize=8,
                label=f"Situation actuelle : {pct(retention, 0)} → {eur(value)}")
    ax.xaxis.set_major_formatter(percent_formatter())
    ax.yaxis.set_major_formatter(euro_formatter())
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", frameon=False, fontsize=9)
    style_axes(ax, title="Sensibilité de la CLV au taux de fidélisation",
               xlabel="Taux de fidélisation annuel", ylabel="CLV par client (€)", grid="both")
    return fig


def retention_curves(cohorts: pd.DataFrame, *, ax: Axes | None = None) -> Figure:
    """Rétention par cohorte : part des clients d'une cohorte encore actifs n périodes après.

    Une ligne par cohorte (index du tableau) ; en abscisse n (colonnes 0, 1, 2...), en
    ordonnée la part des clients actifs = actifs(cohorte, n) / effectif(cohorte).
    Le taux d'attrition de la période n est 1 − rétention(n) / rétention(n − 1).

    Paramètres
    ----------
    cohorts : sortie de ``kpis.cohort_retention`` (parts entre 0 et 1, NaN hors données)

    Exemples
    --------
    >>> t = pd.DataFrame({0: [1.0, 1.0], 1: [0.6, np.nan]}, index=["2023", "2024"])
    >>> len(retention_curves(t).axes[0].lines)
    2
    """
    df = require_frame(cohorts, name="rétention par cohorte")
    values = df.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    if np.nanmax(values, initial=0) > 1 + 1e-9 or np.nanmin(values, initial=0) < 0:
        raise DataError("les valeurs de rétention doivent être des parts entre 0 et 1 "
                        "(utilisez cohort_retention(..., counts=False)).")
    periods = np.array([float(c) for c in df.columns])
    fig, ax = new_axes(ax)
    for i, label in enumerate(df.index):
        ax.plot(periods, values[i], marker="o", markersize=4, color=PALETTE[i % len(PALETTE)],
                label=f"Cohorte {label}")
    ax.yaxis.set_major_formatter(percent_formatter())
    ax.set_ylim(0, 1.05)
    ax.set_xticks(periods)
    ax.legend(loc="upper right", frameon=False, fontsize=MIN_FONT_PT, ncols=2)
    style_axes(ax, title="Rétention des clients par cohorte",
               xlabel="Périodes depuis l'entrée dans la cohorte", ylabel="Part des clients encore actifs")
    return fig


def channel_bars(values: pd.Series, *, title: str, xlabel: str, ylabel: str = "Canal de contact",
                 kind: str = "number", ax: Axes | None = None) -> Figure:
    """Barres horizontales d'un indicateur par canal (ou toute autre modalité).

    ``kind`` : ``"number"`` (1 234), ``"percent"`` (part 0..1 → 12 %), ``"euro"``, ``"score"``
    (note sur 5 avec une décimale), ``"hours"`` ; la valeur est écrite au bout de chaque barre.
    Valeurs négatives acceptées (par exemple un NPS = % promoteurs − % détracteurs, de −100
    à +100) : l'axe s'étend alors à gauche de zéro, un trait vertical marque le zéro et
    l'étiquette d'une barre négative est écrite à gauche de son bout.

    Paramètres
    ----------
    values : Series, une valeur par modalité (index = noms des canaux), dans l'ordre voulu
        de haut en bas ; une valeur manquante est écrite « — » sans barre.
    title, xlabel : titre et étiquette de l'axe horizontal (l'indicateur)
    ylabel : étiquette de l'axe vertical (défaut « Canal de contact »)
    kind : format des nombres (voir plus haut) ; ax : axe matplotlib, optionnel

    Exemples
    --------
    >>> s = pd.Series({"téléphone": 4.1, "e-mail SAV": 3.2})
    >>> len(channel_bars(s, title="Satisfaction", xlabel="Note", kind="score").axes[0].patches)
    2
    >>> nps = pd.Series({"magasin": 35.0, "chat": -12.0})
    >>> [float(x) for x in channel_bars(nps, title="NPS par canal", xlabel="NPS").axes[0].get_xlim()]
    [-25.0, 45.0]
    """
    _check_channel_values(values, kind)
    fig, ax = new_axes(ax, figsize=(7.0, 0.9 + 0.45 * len(values)))
    pos = np.arange(len(values))[::-1]
    bars = ax.barh(pos, np.zeros(len(values)), color=PALETTE[0], height=0.65)
    notes = ax.bar_label(bars, labels=[""] * len(values), padding=3, fontsize=9)
    zero = ax.axvline(0, color="#333333", linewidth=0.9, visible=False)  # montré s'il y a du négatif
    style_axes(ax, title=title, xlabel=xlabel, ylabel=ylabel, grid="x")
    remember(ax, "channels", bars=list(bars), notes=notes, zero=zero, names=None, fmt=None)
    update_channel_bars(ax, values, title=title, xlabel=xlabel, ylabel=ylabel, kind=kind)
    return fig


_BAR_LABELS = {"number": lambda v: num(v), "percent": lambda v: pct(v, 0), "euro": lambda v: eur(v),
               "score": lambda v: num(v, 1), "hours": lambda v: f"{num(v, 1)} h"}


def _check_channel_values(values: pd.Series, kind: str) -> None:
    if kind not in _BAR_LABELS:
        raise DataError(f"« kind » vaut l'un de {', '.join(_BAR_LABELS)} (reçu : {kind!r}).")
    if not isinstance(values, pd.Series) or values.empty:
        raise DataError("« values » doit être une Series non vide (une valeur par canal).")


def update_channel_bars(fig: Figure | Axes, values: pd.Series, *, title: str, xlabel: str,
                        ylabel: str = "Canal de contact", kind: str = "number") -> bool | None:
    """Met à jour sur place une figure de :func:`channel_bars` (None : à reconstruire).

    Possible si le nombre de barres est le même ; True si la mise en page est à refaire.
    """
    live = recall(fig, "channels")
    _check_channel_values(values, kind)
    if live is None or len(values) != len(live.parts["bars"]):
        return None
    ax = live.ax
    data = pd.to_numeric(values, errors="coerce")
    label = _BAR_LABELS[kind]
    for bar, note, v in zip(live.parts["bars"], live.parts["notes"], data.to_numpy(dtype=float), strict=True):
        width = 0.0 if np.isnan(v) else v  # une barre par canal (quelques-unes)
        bar.set_width(width)
        note.xy = (width, bar.get_y() + bar.get_height() / 2)
        note.xyann = (3.0 if width >= 0 else -3.0, 0.0)  # à l'extérieur du bout de la barre
        note.set_horizontalalignment("left" if width >= 0 else "right")
        note.set_text(label(v) if not np.isnan(v) else "—")
    names = [str(i) for i in data.index]
    if names != live.parts["names"]:
        live.parts["names"] = names
        ax.set_yticks(np.arange(len(names))[::-1], names)
    numbers = data.to_numpy(dtype=float)
    top = float(np.nanmax(numbers, initial=0))
    bottom = float(np.nanmin(numbers, initial=0))
    step = 0.1 if kind == "percent" else None
    right = 5.4 if kind == "score" and top <= 5 else nice_ceil(top * 1.18, step=step) if top > 0 else 0.0
    # côté négatif : place pour l'étiquette écrite à gauche de la barre la plus longue
    left = -float(nice_ceil(-bottom * 1.18 + 0.12 * (right - bottom), step=step)) if bottom < 0 else 0.0
    if right == left:
        right = 1.0
    ax.set_xlim(left, right)
    live.parts["zero"].set_visible(left < 0)
    if kind != live.parts["fmt"]:
        live.parts["fmt"] = kind
        formatter = {"percent": percent_formatter, "euro": euro_formatter}.get(kind)
        ax.xaxis.set_major_formatter(formatter() if formatter else ScalarFormatter())
    if ax.get_title() != title:
        set_title(ax, title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    # axe et trait du zéro au-dessus des barres, comme dans un dessin complet
    live.dynamic = [*live.parts["bars"], *live.parts["notes"], ax.spines["left"], live.parts["zero"]]
    live.static_key = (tuple(names), left, right, kind, title, xlabel, ylabel)
    return live.label_grew(names)


def satisfaction_by_channel(contacts: pd.DataFrame, *, channel: str = "canal",
                            column: str = "satisfaction", threshold: int = 4,
                            ax: Axes | None = None) -> Figure:
    """Satisfaction moyenne (note sur 5) par canal de contact, part de satisfaits en étiquette.

    moyenne(c) = Σ notes du canal c / nombre de réponses ; satisfaits(c) = part des
    notes ≥ ``threshold`` (calculs de ``kpis.satisfaction_index``).

    Exemples
    --------
    >>> c = pd.DataFrame({"canal": ["FAQ", "FAQ", "téléphone"], "satisfaction": [2, 4, 5]})
    >>> satisfaction_by_channel(c).axes[0].get_xlabel()
    'Note moyenne de satisfaction (sur 5)'
    """
    df = require_frame(contacts, name="contacts")
    require_columns(df, [channel, column], name="contacts")
    table = kpis.satisfaction_index(df, column=column, threshold=threshold, by=channel)
    table = table.sort_values("moyenne", ascending=False)
    fig = channel_bars(table["moyenne"], title="Satisfaction par canal de contact",
                       xlabel="Note moyenne de satisfaction (sur 5)", kind="score", ax=ax)
    axis = fig.axes[0] if ax is None else ax
    for patch, share in zip(axis.patches, table["part_satisfaits"], strict=False):
        axis.text(0.08, patch.get_y() + patch.get_height() / 2, f"{pct(share, 0)} satisfaits",
                  va="center", fontsize=MIN_FONT_PT, color="white")
    return fig
