"""Explorateur « leviers de fidélité » : part de clients partis selon un levier de la roue de la fidélité.

Les leviers (satisfaction, carte, vente croisée, réclamations, canal d'acquisition) sont mesurés
sur l'historique **avant** la date ``since`` ; le départ (aucun achat à partir de ``since``) est
observé **après**. Le tableau par client est calculé une fois (:func:`loyalty_frame`) ; un
réglage ne fait plus qu'un filtre et un regroupement (:func:`loyalty_table`).
"""

from __future__ import annotations

from functools import partial
from typing import Any

import ipywidgets as w
import numpy as np
import pandas as pd

from coursehelpers._retention import _purchases, _timestamp, churn_by, churn_flags
from coursehelpers._validate import (
    datetime_column,
    no_missing,
    numeric_column,
    require_columns,
    require_frame,
)
from coursehelpers._widgets_base import Explorer, Plot
from coursehelpers.display import french_table, num, pct
from coursehelpers.errors import DataError

# levier affiché → (colonne du tableau par client, étiquette de l'axe des groupes)
LEVERS = {
    "Satisfaction moyenne (tranches)": ("note", "Note moyenne du client"),
    "Carte de fidélité": ("carte", "Carte de fidélité"),
    "Familles de produits achetées": ("familles", "Familles de produits achetées"),
    "Réclamation résolue ou non": ("reclamation", "Réclamations du client"),
    "Canal d'acquisition": ("canal_acquisition", "Canal d'acquisition"),
}
CLAIM = "réclamation"
CLAIM_LABELS = ["aucune réclamation", "réclamation résolue", "réclamation non résolue"]


def _day(stamp: pd.Timestamp) -> str:
    return stamp.strftime("%d/%m/%Y")


def loyalty_frame(clients: pd.DataFrame, transactions: pd.DataFrame, contacts: pd.DataFrame | None = None, *,
                  since: object = "2025-01-01", signup_before: object | None = "2024-01-01",
                  customer: str = "client_id") -> pd.DataFrame:
    """Une ligne par client suivi : parti ou non, historique et leviers de fidélité.

    Population : clients de ``clients`` inscrits avant ``signup_before`` (colonne
    ``date_inscription`` ; ``None`` pour ne pas filtrer) ayant acheté avant ``since``.
    ``parti`` = aucun achat (montant > 0) à partir de ``since`` (``kpis.churn_flags``).
    Mesurés **avant** ``since`` : ``commandes`` (lignes d'achat), ``ca`` (Σ montants, avoirs
    déduits), ``familles`` (catégories distinctes, si ``categorie`` existe), ``note`` (moyenne
    des notes de satisfaction arrondie : « 1 / 5 » … « 5 / 5 », « sans note »), ``reclamation``
    (aucune / toutes résolues / au moins une non résolue ; contacts de motif « réclamation »).
    ``carte`` (« avec carte » / « sans carte ») et ``canal_acquisition`` viennent de ``clients``.
    Les colonnes dont la source manque sont absentes (le levier correspondant aussi).

    Exemple
    -------
    >>> cl = pd.DataFrame({"client_id": ["A", "B"], "carte_fidelite": [True, False]})
    >>> tx = pd.DataFrame({"client_id": ["A", "B", "A"], "montant": [10.0, 20.0, 5.0],
    ...                    "date": pd.to_datetime(["2024-03-01", "2024-04-01", "2025-02-01"])})
    >>> loyalty_frame(cl, tx, signup_before=None)[["parti", "commandes", "carte"]].to_dict("index")
    {'A': {'parti': False, 'commandes': 1, 'carte': 'avec carte'}, 'B': {'parti': True, 'commandes': 1, \
'carte': 'sans carte'}}
    """
    start = _timestamp(since, name="since")
    cl = require_frame(clients, name="clients")
    require_columns(cl, [customer], name="clients")
    ids = no_missing(cl, customer, name="clients")
    if ids.duplicated().any():
        pos = int(np.flatnonzero(ids.duplicated().to_numpy())[0])
        raise DataError(f"« clients » : le client {ids.iloc[pos]!r} apparaît deux fois.",
                        column=customer, line=pos + 1)
    cl = cl.set_axis(ids.to_numpy(), axis=0)
    if signup_before is not None:
        if "date_inscription" not in cl.columns:
            raise DataError("« clients » n'a pas de colonne « date_inscription » : donnez "
                            "signup_before=None pour suivre tous les clients.", column="date_inscription")
        limit = _timestamp(signup_before, name="signup_before")
        cl = cl[(datetime_column(cl, "date_inscription", name="clients") < limit).to_numpy()]
    flags = churn_flags(transactions, since=start, customer=customer)
    frame = pd.DataFrame({"parti": flags[flags.index.isin(cl.index)]})
    if frame.empty:
        raise DataError(f"aucun client de « clients » n'a acheté avant le {_day(start)} : vérifiez les "
                        "identifiants des deux tableaux et les dates since / signup_before.")
    before = transactions[(datetime_column(transactions, "date", name="transactions") < start).to_numpy()]
    amounts = numeric_column(before, "montant", name="transactions")
    bought = before[(amounts > 0).to_numpy()]
    grouped = bought.groupby(customer)
    frame["commandes"] = grouped.size().reindex(frame.index).astype("int64")
    frame["ca"] = amounts.groupby(before[customer].to_numpy()).sum().reindex(frame.index)
    if "categorie" in transactions.columns:
        frame["familles"] = grouped["categorie"].nunique().reindex(frame.index).astype("int64")
    if "carte_fidelite" in cl.columns:
        card = cl["carte_fidelite"].reindex(frame.index)
        if not pd.api.types.is_bool_dtype(card):
            raise DataError("« clients » : la colonne doit contenir vrai/faux.", column="carte_fidelite")
        frame["carte"] = np.where(card, "avec carte", "sans carte")
    if "canal_acquisition" in cl.columns:
        frame["canal_acquisition"] = cl["canal_acquisition"].reindex(frame.index).astype("string").fillna(
            "inconnu")
    if contacts is not None:
        _contact_levers(frame, contacts, start, customer)
    return frame


def _contact_levers(frame: pd.DataFrame, contacts: pd.DataFrame, start: pd.Timestamp, customer: str) -> None:
    ct = require_frame(contacts, name="contacts")
    require_columns(ct, [customer, "date"], name="contacts")
    ct = ct[(datetime_column(ct, "date", name="contacts") < start).to_numpy()]
    if "satisfaction" in ct.columns:
        notes = numeric_column(ct, "satisfaction", name="contacts", allow_missing=True)
        mean = notes.groupby(ct[customer].to_numpy()).mean().round().reindex(frame.index)
        labels = np.array(["sans note", *(f"{k} / 5" for k in range(1, 6))])
        frame["note"] = pd.Categorical(labels[mean.fillna(0).astype("int64").to_numpy()],
                                       categories=[*labels[1:], "sans note"], ordered=True)
    if {"motif", "resolu"} <= set(ct.columns):
        claims = ct[(ct["motif"] == CLAIM).to_numpy()]
        unresolved = (~claims["resolu"].astype(bool)).groupby(claims[customer].to_numpy()).any()
        status = unresolved.reindex(frame.index).map({False: CLAIM_LABELS[1], True: CLAIM_LABELS[2]})
        frame["reclamation"] = pd.Categorical(status.fillna(CLAIM_LABELS[0]), categories=CLAIM_LABELS,
                                              ordered=True)


def loyalty_table(frame: pd.DataFrame, *, lever: str, orders: tuple[int, int] | None = None) -> pd.DataFrame:
    """Par groupe du levier : clients, partis, ``taux_attrition`` = partis / clients, CA et commandes moyens.

    ``orders`` = (min, max) : ne garder que les clients dont le nombre de commandes (avant
    ``since``) est dans cet intervalle, bornes incluses, pour comparer des clients comparables.
    Dernière ligne « Ensemble ».

    Exemple
    -------
    >>> f = pd.DataFrame({"parti": [True, False, False], "carte": ["sans", "avec", "avec"],
    ...                   "ca": [10.0, 50.0, 70.0], "commandes": [1, 3, 5]})
    >>> loyalty_table(f, lever="carte")["taux_attrition"].tolist()
    [0.0, 1.0, 0.3333333333333333]
    """
    require_columns(frame, [lever, "parti", "ca", "commandes"], name="clients suivis")
    if orders is not None:
        low, high = orders
        frame = frame[frame["commandes"].between(low, high).to_numpy()]
        if frame.empty:
            raise DataError(f"aucun client n'a entre {low} et {high} commandes : élargissez l'intervalle.")
    table = churn_by(frame, by=lever)
    means = frame.groupby(lever, observed=True)[["ca", "commandes"]].mean()
    means.loc["Ensemble"] = frame[["ca", "commandes"]].mean()
    table = table.join(means.rename(columns={"ca": "ca_moyen", "commandes": "commandes_moyennes"}))
    return table


XMAX = 1.12  # axe fixe de 0 à 100 % (+ place pour l'étiquette) : le fond de la figure ne change pas


def attrition_bars(rates: pd.Series, *, title: str, xlabel: str, ylabel: str,
                   slots: int | None = None) -> Any:
    """Barres horizontales de la part de partis par groupe (axe fixe de 0 à 100 %).

    ``slots`` places de barres (au moins une par groupe) : en changeant de levier, la même
    figure sert (l'axe vertical ne montre que les groupes du levier) ; la mise en page n'est
    recalculée que si un nom de groupe plus long apparaît.
    """
    from coursehelpers._plot_style import PALETTE, new_axes, percent_formatter, remember, style_axes

    slots = max(len(rates), slots or 0)
    fig, ax = new_axes(figsize=(7.5, 1.3 + 0.3 * slots))
    pos = np.arange(slots)[::-1]
    bars = ax.barh(pos, np.zeros(slots), color=PALETTE[0], height=0.65)
    notes = ax.bar_label(bars, labels=[""] * slots, padding=3, fontsize=9)
    ax.set_xlim(0, XMAX)
    ax.set_xticks(np.linspace(0, 1, 6))
    ax.xaxis.set_major_formatter(percent_formatter())
    style_axes(ax, title=title, xlabel=xlabel, ylabel=ylabel, grid="x")
    remember(ax, "attrition", bars=list(bars), notes=notes, pos=pos, names=None,
             layout_key="attrition")
    update_attrition_bars(fig, rates, title=title, xlabel=xlabel, ylabel=ylabel)
    return fig


def update_attrition_bars(fig: Any, rates: pd.Series, *, title: str, xlabel: str, ylabel: str) -> bool | None:
    """Met à jour les barres sur place (None : plus de groupes que de places, figure à reconstruire)."""
    from coursehelpers._plot_style import label_grew, parts_of

    parts = parts_of(fig, "attrition")
    if parts is None or len(rates) > len(parts["bars"]):
        return None
    ax = parts["ax"]
    values = np.full(len(parts["bars"]), np.nan)
    values[: len(rates)] = rates.to_numpy(dtype=float)
    for k, (bar, note) in enumerate(zip(parts["bars"], parts["notes"], strict=True)):  # quelques barres
        v = values[k]
        bar.set_width(0.0 if np.isnan(v) else v)
        note.xy = (bar.get_width(), bar.get_y() + bar.get_height() / 2)
        note.set_text(("—" if k < len(rates) else "") if np.isnan(v) else pct(v, 0))
    names = [str(i) for i in rates.index]
    if names != parts["names"]:
        parts["names"] = names
        ax.set_yticks(parts["pos"][: len(names)], names)
        shown = max(len(names), 3)  # seulement ces groupes (au moins 3 places : barres pas trop épaisses)
        ax.set_ylim(parts["pos"][0] - shown + 0.4, parts["pos"][0] + 0.6)
    ax.set_title(title, fontsize=12, fontweight="bold", pad=6.0)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    parts["dynamic"] = [*parts["bars"], *parts["notes"], ax.spines["left"]]
    parts["static_key"] = (tuple(names), title, xlabel, ylabel)
    return label_grew(parts, names)


class LoyaltyExplorer(Explorer):
    name = "fidelite"
    title = "Leviers de fidélité : part de clients partis selon le levier choisi"

    def __init__(self, frame: pd.DataFrame, *, since: pd.Timestamp,
                 signup_before: pd.Timestamp | None) -> None:
        self._frame = frame
        self._since, self._signup = since, signup_before
        self._levers = {k: v for k, v in LEVERS.items() if v[0] in frame.columns}
        if not self._levers:
            raise DataError("aucun levier disponible : il faut au moins l'une des colonnes carte_fidelite, "
                            "canal_acquisition (clients), categorie (transactions), satisfaction ou "
                            "motif + resolu (contacts).")
        self._groups = {k: self._all_groups(col) for k, (col, _) in self._levers.items()}
        top = int(frame["commandes"].max())
        style = {"description_width": "150px"}
        controls = {
            "levier": w.Dropdown(options=list(self._levers), value=next(iter(self._levers)),
                                 description="Levier", style=style, layout=w.Layout(width="420px")),
            "commandes": w.IntRangeSlider(value=(1, top), min=1, max=max(top, 2),
                                          description="Commandes avant départ", style=style,
                                          layout=w.Layout(width="480px")),
        }
        super().__init__(controls)

    def _all_groups(self, column: str) -> list:
        values = self._frame[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            return [c for c in values.cat.categories if (values == c).any()]
        return sorted(pd.unique(values.dropna()).tolist(), key=lambda v: (str(type(v)), v))

    def _compute(self, values: dict[str, Any]) -> dict[str, object]:
        lever = values["levier"]
        column, axis = self._levers[lever]
        low, high = values["commandes"]
        table = loyalty_table(self._frame, lever=column, orders=(low, high))
        groups = self._groups[lever]
        rates = table["taux_attrition"].reindex(groups)  # mêmes barres même si un groupe est vide
        rates.index = [str(g) for g in groups]
        title = f"Part de clients partis — {lever.lower()}"
        xlabel = f"Part des clients sans achat depuis le {_day(self._since)}"
        key = (lever, low, high)

        labels = {"title": title, "xlabel": xlabel, "ylabel": axis}
        slots = max(len(g) for g in self._groups.values())
        figure = self._plot(key, lambda: Plot(partial(attrition_bars, rates, slots=slots, **labels),
                                              partial(update_attrition_bars, rates=rates, **labels)))
        overall = table.loc["Ensemble"]
        shown = table.drop(index="Ensemble")
        best, worst = shown["taux_attrition"].idxmin(), shown["taux_attrition"].idxmax()
        who = f"inscrits avant le {_day(self._signup)} et " if self._signup is not None else ""
        text = (f"{num(overall['clients'])} clients {who}ayant passé de {low} à {high} commandes avant le "
                f"{_day(self._since)} : **{pct(overall['taux_attrition'])}** sont partis. "
                f"Le moins de départs : **{best}** ({pct(shown.loc[best, 'taux_attrition'])}) ; "
                f"le plus : **{worst}** ({pct(shown.loc[worst, 'taux_attrition'])}).")
        out = table.rename(columns={"clients": "Clients", "partis": "Partis",
                                    "taux_attrition": "Part de partis", "ca_moyen": "CA moyen",
                                    "commandes_moyennes": "Commandes moyennes"})
        out.index = out.index.map(str)
        out.index.name = lever
        out = french_table(out, num_columns=["Clients", "Partis", "Commandes moyennes"],
                           eur_columns=["CA moyen"], pct_columns=["Part de partis"],
                           decimals={"Commandes moyennes": 1})
        return {"resume": text, "figure": figure, "tableau": out}


def make_loyalty_explorer(clients, transactions, contacts, *, since, signup_before) -> LoyaltyExplorer:
    """Construit le tableau par client puis l'explorateur (utilisé par ``widgets.loyalty_explorer``)."""
    _purchases(transactions, "client_id", "date", "montant")  # colonnes et types contrôlés d'abord
    frame = loyalty_frame(clients, transactions, contacts, since=since, signup_before=signup_before)
    return LoyaltyExplorer(frame, since=_timestamp(since, name="since"),
                           signup_before=None if signup_before is None else _timestamp(signup_before,
                                                                                       name="signup_before"))


__all__ = ["LEVERS", "LoyaltyExplorer", "loyalty_frame", "loyalty_table", "make_loyalty_explorer"]
