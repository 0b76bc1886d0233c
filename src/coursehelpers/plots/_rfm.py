"""Figures de l'analyse RFM et des segments : carte de chaleur R × F, barres par segment, profils."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import LogNorm, Normalize
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from coursehelpers._core.validate import numeric_column, require_columns, require_frame
from coursehelpers.display import eur, num, pct
from coursehelpers.errors import DataError
from coursehelpers.plots._live import recall, remember
from coursehelpers.plots._style import (
    COLOUR_LADDER,
    MIN_FONT_PT,
    PALETTE,
    new_axes,
    nice_ceil,
    percent_formatter,
    set_title,
    style_axes,
)

_HEAT_VALUES = {"montant": "Montant moyen (€)", "clients": "Nombre de clients"}
LABEL_MAX_BINS = 5  # au-delà, cases trop petites : pas de chiffre écrit (le tableau les donne)
# Taille des chiffres des cases (points) selon le nombre de notes : ≥ 11 pt, soit ≥ 14 px à 90 ppp,
# lisible projeté en 1280 × 720 ; les cases plus grandes (3, 4 notes) ont des chiffres plus grands.
CELL_FONT_PT = {2: 15, 3: 14, 4: 12, 5: 11}


def rfm_heatmap(scores: pd.DataFrame, *, value: str = "montant", ax: Axes | None = None) -> Figure:
    """Carte de chaleur R × F : montant moyen (ou nombre de clients) de chaque case.

    Case (R = r, F = f) : ``montant`` → moyenne des montants des clients notés (r, f) ;
    ``clients`` → nombre de ces clients. R en lignes (le plus récent en haut), F en colonnes.
    Palette « cividis », lisible par les personnes daltoniennes ; l'échelle de couleur va de 0
    à un nombre rond juste au-dessus de la plus grande case (1 ; 1,5 ; 2 ; 2,5 ; 3 ; 4 ; 5 ;
    6 ; 8 × 10^k). La valeur est écrite dans chaque case jusqu'à 5 notes (25 cases) ; au-delà
    les cases sont trop petites pour être lues : seule la couleur est montrée (les valeurs
    sont dans le tableau des segments ou dans ``rfm_scores``). Une case vide n'a aucun client.

    Paramètres
    ----------
    scores : sortie de ``rfm.rfm_scores`` (colonnes ``R``, ``F``, ``montant``)
    value : ``"montant"`` (défaut) ou ``"clients"``
    ax : axe matplotlib, optionnel

    Exemples
    --------
    >>> s = pd.DataFrame({"R": [1, 2, 2], "F": [1, 2, 2], "montant": [10.0, 30.0, 50.0]})
    >>> fig = rfm_heatmap(s)
    >>> fig.axes[0].get_xlabel()
    'Score de fréquence F'
    >>> sum(t.get_visible() for t in fig.axes[0].texts)  # cases (R 2, F 2) et (R 1, F 1)
    2
    """
    matrix = heat_matrix(scores, value)
    fig, ax = new_axes(ax, figsize=(6.4, 5.0))
    size = max(9, matrix.shape[0])  # grille fixe : le nombre de notes change sans recréer la grille
    edges = np.arange(size + 1) - 0.5
    mesh = ax.pcolormesh(edges, edges, np.full((size, size), np.nan), cmap="cividis",
                         norm=Normalize(0.0, 1.0))
    cbar = fig.colorbar(mesh, ax=ax, shrink=0.85)
    cbar.locator = MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10])  # 3 à 5 graduations rondes
    style_axes(ax, title="", xlabel="Score de fréquence F", ylabel="Score de récence R (5 = récent)",
               grid=None)
    for side in ("top", "right"):
        ax.spines[side].set_visible(True)
    texts = [ax.text(0, 0, "", ha="center", va="center", fontsize=CELL_FONT_PT[LABEL_MAX_BINS], visible=False)
             for _ in range(LABEL_MAX_BINS ** 2)]  # réutilisés (set_text), jamais recréés
    remember(ax, "heatmap", mesh=mesh, size=size, cbar=cbar, texts=texts, value=None, bins=None, top=None)
    update_rfm_heatmap(ax, matrix, value=value)
    return fig


def heat_matrix(scores: pd.DataFrame, value: str) -> pd.DataFrame:
    """Tableau R × F (R décroissant en lignes, F croissant en colonnes) du montant moyen ou de l'effectif."""
    if value not in _HEAT_VALUES:
        raise DataError(f"« value » vaut \"montant\" ou \"clients\" (reçu : {value!r}).")
    df = require_frame(scores, name="scores RFM")
    require_columns(df, ["R", "F", "montant"], name="scores RFM (sortie de rfm_scores)")
    r = numeric_column(df, "R", name="scores RFM").astype(int).to_numpy()
    f = numeric_column(df, "F", name="scores RFM").astype(int).to_numpy()
    amount = numeric_column(df, "montant", name="scores RFM").to_numpy(dtype=float)
    if len(r) and (min(r.min(), f.min()) < 1):
        raise DataError("les notes R et F doivent être des entiers ≥ 1 (sortie de rfm_scores).")
    bins = int(max(r.max(), f.max())) if len(r) else 1
    cell = (bins - r) * bins + (f - 1)  # ligne 0 = R le plus élevé
    count = np.bincount(cell, minlength=bins * bins).astype(float)
    if value == "montant":
        with np.errstate(invalid="ignore", divide="ignore"):
            grid = np.bincount(cell, weights=amount, minlength=bins * bins) / count
    else:
        grid = np.where(count > 0, count, np.nan)
    return pd.DataFrame(grid.reshape(bins, bins), index=pd.RangeIndex(bins, 0, -1, name="R"),
                        columns=pd.RangeIndex(1, bins + 1, name="F"))


def update_rfm_heatmap(fig: Figure | Axes, scores: pd.DataFrame, *, value: str = "montant") -> bool | None:
    """Met à jour sur place une figure de :func:`rfm_heatmap` (None : à reconstruire).

    ``scores`` : sortie de ``rfm.rfm_scores`` ou matrice R × F déjà calculée (``heat_matrix``).
    Rend True si la mise en page est à refaire (autre indicateur, étiquettes plus longues).
    Rapidité : la grille de couleurs et les 25 étiquettes sont réutilisées ; l'échelle (et la
    barre de couleur) n'est touchée que si son haut arrondi change.
    """
    live = recall(fig, "heatmap")
    if live is None:
        return None
    matrix = scores if {"R", "F"}.isdisjoint(scores.columns) else heat_matrix(scores, value)
    data = matrix.to_numpy(dtype=float)
    bins = data.shape[0]
    if bins > live.parts["size"]:
        return None
    ax, mesh, cbar, size = live.ax, live.parts["mesh"], live.parts["cbar"], live.parts["size"]
    full = np.full((size, size), np.nan)
    full[:bins, :bins] = data
    mesh.set_array(np.ma.masked_invalid(full))
    finite = data[np.isfinite(data)]
    top = nice_ceil(float(finite.max()) if finite.size else 0.0, ladder=COLOUR_LADDER)
    fmt = eur if value == "montant" else num
    relayout = value != live.parts["value"]
    if relayout:
        live.parts["value"] = value
        cbar.set_label(_HEAT_VALUES[value])
        cbar.formatter = FuncFormatter(lambda v, _p: fmt(v))  # gardé par la barre quand les bornes changent
        set_title(ax, "Montant moyen par case R × F" if value == "montant" else
                  "Nombre de clients par case R × F")
    if top != live.parts["top"] or relayout:
        live.parts["top"] = top
        mesh.set_clim(0.0, top)  # met aussi à jour la barre de couleur
    if bins != live.parts["bins"]:
        live.parts["bins"] = bins
        ax.set_xticks(range(bins), [str(c) for c in matrix.columns])
        ax.set_yticks(range(bins), [str(c) for c in matrix.index])
        ax.set_xlim(-0.5, bins - 0.5)
        ax.set_ylim(bins - 0.5, -0.5)
        ax.set_ylabel(f"Score de récence R ({bins} = récent)")  # l'échelle suit le nombre de notes
        for text in live.parts["texts"]:
            text.set_fontsize(CELL_FONT_PT.get(bins, CELL_FONT_PT[LABEL_MAX_BINS]))
    labelled = bins <= LABEL_MAX_BINS
    for k, text in enumerate(live.parts["texts"]):  # au plus 25 étiquettes, réutilisées
        i, j = divmod(k, LABEL_MAX_BINS)
        cell = data[i, j] if labelled and i < bins and j < bins else np.nan
        shown = bool(np.isfinite(cell))
        text.set_visible(shown)
        if shown:
            text.set_position((j, i))
            text.set_text(fmt(cell))
            text.set_color("black" if cell > top / 2 else "white")
    # redessinés à chaque réglage : les couleurs des cases, leur cadre et les chiffres ; le fond
    # (titre, graduations 1..bins, barre de couleur) seulement si l'échelle ou le nombre de notes change
    live.dynamic = [mesh, *ax.spines.values(), *live.parts["texts"]]
    live.static_key, live.layout_key = (value, top, bins), value
    return live.label_grew([fmt(top)]) or relayout


def segment_bars(summary: pd.DataFrame, *, columns: tuple[str, ...] = ("part_clients", "part_ca"),
                 labels: tuple[str, ...] = ("Part des clients", "Part du chiffre d'affaires"),
                 title: str = "Poids de chaque segment", ax: Axes | None = None) -> Figure:
    """Barres horizontales par segment : par défaut part des clients et part du CA.

    Pour le segment s : part_clients(s) = clients(s) / n, part_ca(s) = CA(s) / CA total
    (colonnes de ``rfm.rfm_segments``). Les segments restent dans l'ordre du tableau.

    Exemples
    --------
    >>> t = pd.DataFrame({"part_clients": [0.2, 0.8], "part_ca": [0.7, 0.3]}, index=["A", "B"])
    >>> len(segment_bars(t).axes[0].patches)
    4
    """
    df = require_frame(summary, name="synthèse des segments")
    require_columns(df, list(columns), name="synthèse des segments")
    if len(labels) != len(columns):
        raise DataError("« labels » doit avoir autant d'éléments que « columns ».")
    values = {c: numeric_column(df, c, name="synthèse des segments", allow_missing=True).fillna(0.0)
              for c in columns}
    names = [str(s) for s in df.index]
    pos = np.arange(len(names))[::-1]
    height = 0.8 / len(columns)
    own = ax is None
    fig, ax = new_axes(ax, figsize=(7.6, 0.9 + 0.38 * len(names) * max(1, len(columns) / 1.5)))
    containers, notes = [], []
    for k, (column, label) in enumerate(zip(columns, labels, strict=True)):
        offset = (len(columns) - 1) / 2 - k
        bars = ax.barh(pos + offset * height, values[column].to_numpy(), height=height,
                       color=PALETTE[k % len(PALETTE)], label=label)
        containers.append(list(bars))
        notes.append(ax.bar_label(bars, labels=[pct(v, 0) for v in values[column]], padding=2,
                                  fontsize=MIN_FONT_PT))
    ax.set_yticks(pos, names)
    ax.xaxis.set_major_formatter(percent_formatter())
    ax.set_xlim(0, max(float(max(v.max() for v in values.values())) * 1.18, 0.05))
    # Légende sous le graphique (figure à nous) : jamais sur les barres ni sur leurs étiquettes.
    legend = (fig.legend(loc="outside lower center", ncols=len(columns), frameon=False, fontsize=MIN_FONT_PT)
              if own else ax.legend(loc="best", frameon=False, fontsize=MIN_FONT_PT))
    style_axes(ax, title=title, xlabel="Part (en %)", ylabel="Segment", grid="x")
    remember(ax, "segments", columns=tuple(columns), bars=containers, notes=notes, names=names, legend=legend,
             longest=max((len(n) for n in names), default=0))
    return fig


def update_segment_bars(fig: Figure | Axes, summary: pd.DataFrame, *,
                        title: str | None = None) -> bool | None:
    """Met à jour sur place une figure de :func:`segment_bars` (None : à reconstruire).

    Possible si le nombre de segments et les colonnes sont les mêmes ; True si la mise en
    page est à refaire (nom de segment plus long).
    """
    live = recall(fig, "segments")
    if live is None or len(summary) != len(live.parts["names"]):
        return None
    df = require_frame(summary, name="synthèse des segments")
    require_columns(df, list(live.parts["columns"]), name="synthèse des segments")
    ax = live.ax
    top = 0.05
    # la légende et l'axe de gauche restent au-dessus des barres, comme dans un dessin complet
    dynamic: list = [ax.yaxis, live.parts["legend"], ax.spines["left"]]
    containers = zip(live.parts["columns"], live.parts["bars"], live.parts["notes"], strict=True)
    for column, bars, notes in containers:
        values = numeric_column(df, column, name="synthèse des segments", allow_missing=True).fillna(0.0)
        for bar, note, v in zip(bars, notes, values.to_numpy(), strict=True):  # une barre par segment
            bar.set_width(v)
            note.xy = (v, bar.get_y() + bar.get_height() / 2)
            note.set_text(pct(v, 0))
        dynamic += [*bars, *notes]
        top = max(top, float(values.max()) * 1.18)
    top = nice_ceil(top, step=0.1)
    ax.set_xlim(0, top)
    names = [str(s) for s in df.index]
    if names != live.parts["names"]:
        live.parts["names"] = names
        ax.set_yticks(np.arange(len(names))[::-1], names)
    if title is not None:
        set_title(ax, title)
    live.dynamic, live.static_key = dynamic, (top, ax.get_title())
    return live.label_grew(names)


#: Libellés français des variables usuelles du profil (sinon : nom de colonne sans « _ »).
PROFILE_LABELS: dict[str, str] = {
    "age": "Âge (ans)", "recence_jours": "Récence (jours)", "commandes": "Commandes",
    "panier_moyen": "Panier moyen (€)", "chiffre_affaires": "CA total (€)",
    "carte_fidelite": "Carte de fidélité", "optin_email": "Accord e-mail",
}


def _profile_label(column: str) -> str:
    return PROFILE_LABELS.get(column, column.replace("_", " ").capitalize())


def segment_profile(profile: pd.DataFrame, *, features: list[str] | None = None,
                    reference: str = "Ensemble", ax: Axes | None = None) -> Figure:
    """Profil des segments en indice base 100 (100 = moyenne de l'ensemble des clients).

    indice(s, v) = moyenne de v dans le segment s / moyenne de v sur tous les clients × 100.
    Un indice est un rapport : il va de 0 à l'infini (50 = moitié de la moyenne, 200 = double).
    La couleur suit donc une échelle **logarithmique** centrée sur 100, symétrique en rapport
    (÷ 2 et × 2 ont des couleurs opposées de même intensité), pour qu'une seule valeur extrême
    n'écrase pas les autres : au-dessus de 100 (orange), le segment est au-dessus de la moyenne ;
    en dessous (violet), au-dessous. Le chiffre écrit dans la case est la moyenne réelle du
    segment ; les variables portent leur libellé français (``PROFILE_LABELS``).

    Paramètres
    ----------
    profile : sortie de ``segmentation.profile_table`` (ligne ``reference`` incluse)
    features : variables numériques à montrer (défaut : toutes, sauf effectif et part)
    reference : ligne de comparaison (défaut ``"Ensemble"``)

    Exemples
    --------
    >>> p = pd.DataFrame({"effectif": [2, 2, 4], "age": [30.0, 50.0, 40.0]},
    ...                  index=["Jeunes", "Seniors", "Ensemble"])
    >>> segment_profile(p).axes[0].get_title()
    'Profil des segments (indice 100 = ensemble des clients)'
    """
    df = require_frame(profile, name="profil des segments")
    if reference not in df.index:
        raise DataError(f"ligne « {reference} » absente du profil : utilisez profile_table(..., total=True).")
    if features is None:
        features = [c for c in df.columns if c not in ("effectif", "part")
                    and pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])]
    require_columns(df, features, name="profil des segments")
    if not features:
        raise DataError("aucune variable numérique à représenter dans le profil.")
    means = pd.DataFrame({c: numeric_column(df, c, name="profil des segments", allow_missing=True)
                          for c in features})
    rows = means.drop(index=reference)
    base = means.loc[reference].where(means.loc[reference] > 0)  # indice défini pour une moyenne > 0
    index = rows.div(base, axis=1) * 100
    values = index.to_numpy(dtype=float)
    shown = np.clip(values, 1.0, None)  # un indice ≤ 1 (moyenne nulle) : couleur la plus violette
    fig, ax = new_axes(ax, figsize=(1.6 + 1.25 * len(features), 1.2 + 0.5 * len(rows)))
    finite = shown[np.isfinite(shown)]
    factor = float(np.max(np.maximum(finite / 100, 100 / finite))) if finite.size else 2.0
    factor = max(factor * 1.05, 1.5)
    image = ax.imshow(np.ma.masked_invalid(shown), cmap="PuOr_r",
                      norm=LogNorm(vmin=100 / factor, vmax=100 * factor), aspect="auto")
    bar = fig.colorbar(image, ax=ax, shrink=0.85)
    ticks = [t for t in (10, 25, 50, 100, 200, 400, 1000) if 100 / factor <= t <= 100 * factor]
    bar.set_ticks(ticks, labels=[num(t) for t in ticks])
    bar.minorticks_off()
    bar.set_label("Indice (100 = ensemble ; échelle en rapports)")
    for i in range(rows.shape[0]):
        for j in range(len(features)):
            v = rows.iloc[i, j]
            ax.text(j, i, num(v, 2 if abs(v) < 10 else 0) if pd.notna(v) else "", ha="center",
                    va="center", fontsize=MIN_FONT_PT)
    ax.set_xticks(range(len(features)), [_profile_label(f) for f in features], rotation=20, ha="right")
    ax.set_yticks(range(len(rows)), [str(s) for s in rows.index])
    style_axes(ax, title="Profil des segments (indice 100 = ensemble des clients)",
               xlabel="Variable (moyenne écrite dans la case)", ylabel="Segment", grid=None)
    return fig
