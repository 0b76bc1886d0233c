"""Explorateur « données personnelles » : qui peut-on prospecter, sur quel canal, à quelle date ?

Il combine les deux règles du chapitre : la base légale de chaque canal
(:func:`personal_data.contact_permissions`, qui dépend de la date de campagne et du fait que le
fichier soit un fichier de clients ou de prospects) et la durée de conservation
(:func:`personal_data.retention_status` : un client dont l'échéance est atteinte ne reçoit plus
de prospection, seulement, au mieux, une demande de renouvellement).
"""

from __future__ import annotations

from typing import Any, ClassVar

import ipywidgets as w
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from coursehelpers._core.validate import require_columns, require_frame
from coursehelpers.display import french_table, num, pct
from coursehelpers.errors import DataError
from coursehelpers.personal_data import (
    BASES,
    CHANNELS,
    PHONE_CONSENT_FROM,
    contact_permissions,
    retention_status,
)
from coursehelpers.plots import new_axes, number_formatter, recall, remember, style_axes
from coursehelpers.widgets._base import Explorer, Plot

#: Dates de campagne proposées (le 11/08/2026, la loi du 30 juin 2025 change la règle du téléphone).
DATES = ("01/01/2026", "01/04/2026", "01/07/2026", "11/08/2026", "01/10/2026", "01/01/2027")
EXPIRED = "Conservation atteinte"
# Catégorie affichée → (couleur, autorisé ?). Ordre = ordre d'empilement des barres.
CATEGORIES = {
    "Consentement": ("#009E73", True),
    "Soft opt-in": ("#56B4E9", True),
    "Intérêt légitime": ("#0072B2", True),
    EXPIRED: ("#CC79A7", False),
    "Opposition": ("#D55E00", False),
    "Bloctel": ("#E69F00", False),
    "Consentement requis": ("#F0E442", False),
    "Pas de coordonnée": ("#CCCCCC", False),
}
_EXPIRED_CODE = list(CATEGORIES).index(EXPIRED)
_FROM_BASE = {BASES["consent"]: "Consentement", BASES["soft"]: "Soft opt-in",
              BASES["legit"]: "Intérêt légitime"}
_FROM_MOTIF = {"pas de coordonnée": "Pas de coordonnée", "opposition du client": "Opposition",
               "numéro inscrit sur Bloctel": "Bloctel"}


def _categories(perms: pd.DataFrame) -> pd.Series:
    """Catégorie affichée de chaque ligne (avant prise en compte de la durée de conservation)."""
    label = perms["base_legale"].map(_FROM_BASE)
    refused = perms["motif"].map(_FROM_MOTIF).fillna("Consentement requis")
    return label.where(perms["autorise"], refused)


def _tabulate(channel: pd.Series, label: pd.Series) -> pd.DataFrame:
    counts = pd.crosstab(channel.astype(str), label)
    counts = counts.reindex(index=list(CHANNELS), columns=list(CATEGORIES), fill_value=0).astype("int64")
    counts.columns.name = None
    return counts


def permission_counts(consents: pd.DataFrame, last_contacts: pd.DataFrame, *, as_of: str | pd.Timestamp,
                      customers: bool = True, years: int = 3) -> pd.DataFrame:
    """Nombre de personnes par canal (lignes) et par catégorie de :data:`CATEGORIES` (colonnes).

    Une personne autorisée sur un canal mais dont la durée de conservation est atteinte
    (``retention_status(...)["action"] == "supprimer ou archiver"``) est comptée dans
    « Conservation atteinte », pas dans sa base légale.

    >>> c = pd.DataFrame({"client_id": ["A", "B"], "canal": ["e-mail", "e-mail"],
    ...                   "coordonnee": [True, True], "statut": ["consentement", "consentement"],
    ...                   "bloctel": [False, False]})
    >>> lc = pd.DataFrame({"client_id": ["A", "B"], "date_dernier_contact": ["2025-06-01", "2022-06-01"]})
    >>> permission_counts(c, lc, as_of="2026-01-01").loc["e-mail", ["Consentement", EXPIRED]].tolist()
    [1, 1]
    """
    perms = contact_permissions(consents, as_of=as_of, customers=customers)
    status = retention_status(last_contacts, as_of=as_of, years=years)
    expired = status["action"].eq("supprimer ou archiver")
    is_expired = perms["client_id"].map(expired).fillna(False).to_numpy(dtype=bool)
    label = _categories(perms)
    label = label.where(~(perms["autorise"].to_numpy() & is_expired), EXPIRED)
    return _tabulate(perms["canal"], label)


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
    for name, (color, allowed) in CATEGORIES.items():
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
    for container, name in zip(live.parts["bars"], CATEGORIES, strict=True):
        values = counts[name].to_numpy(dtype=float)
        for rect, x0, width in zip(container, left, values, strict=True):
            rect.set_x(x0)
            rect.set_width(width)
        left += values
    allowed = counts[[k for k, (_, ok) in CATEGORIES.items() if ok]].sum(axis=1).to_numpy()
    for text, x, n in zip(live.parts["notes"], left, allowed, strict=True):
        text.set_x(x)
        text.set_text(f"  {num(int(n))} joignables")
    live.parts["subtitle"].set_text(subtitle)
    return False


class PrivacyExplorer(Explorer):
    name = "donnees-personnelles"
    aliases: ClassVar[dict[str, str]] = {"fichier": "file", "duree": "retention_years"}
    title = "Données personnelles : qui peut-on prospecter, sur quel canal et sur quelle base ?"

    def __init__(self, consents: pd.DataFrame, last_contacts: pd.DataFrame) -> None:
        require_frame(consents, name="consentements")
        require_columns(consents, ["client_id", "canal", "coordonnee", "statut", "bloctel"],
                        name="consentements")
        require_frame(last_contacts, name="derniers contacts")
        require_columns(last_contacts, ["client_id", "date_dernier_contact"], name="derniers contacts")
        # Calculs faits une fois : la règle de chaque canal ne change qu'au 11/08/2026 (deux
        # régimes × clients/prospects) ; la date limite de conservation ne dépend que de la durée.
        self._channel = consents["canal"].astype(str).reset_index(drop=True)
        self._people = int(last_contacts["client_id"].nunique())
        self._rules: dict[tuple[bool, bool], tuple[np.ndarray, np.ndarray]] = {}
        for after in (False, True):
            when = PHONE_CONSENT_FROM if after else PHONE_CONSENT_FROM - pd.Timedelta(days=1)
            for customers in (True, False):
                perms = contact_permissions(consents, as_of=when, customers=customers)
                codes = pd.Categorical(_categories(perms), categories=list(CATEGORIES)).codes
                self._rules[after, customers] = (codes.astype(np.int64),
                                                 perms["autorise"].to_numpy(dtype=bool))
        far = pd.to_datetime(DATES[-1], format="%d/%m/%Y")   # toutes les dates limites, sans erreur
        self._limits = {}
        for years in range(1, 6):
            status = retention_status(last_contacts, as_of=far, years=years)
            self._limits[years] = status["date_limite"].to_numpy()
        self._owner = status.index.get_indexer(consents["client_id"])  # ligne → personne
        if (self._owner < 0).any():
            missing = consents["client_id"].to_numpy()[self._owner < 0][0]
            raise DataError(f"le client {missing!r} des consentements n'a pas de date de dernier contact.",
                            column="client_id")
        self._channel_code = pd.Categorical(self._channel, categories=list(CHANNELS)).codes.astype(np.int64)
        style = {"description_width": "150px"}
        controls = {
            "date": w.SelectionSlider(options=list(DATES), value=DATES[0], description="Date de campagne",
                                      style=style, layout=w.Layout(width="520px")),
            "file": w.Dropdown(options=["clients", "prospects"], value="clients",
                                  description="Le fichier contient", style=style),
            "retention_years": w.IntSlider(value=3, min=1, max=5, description="Conservation (ans)",
                                           style=style),
        }
        super().__init__(controls)

    def _compute(self, values: dict[str, Any]) -> dict[str, object]:
        as_of = pd.to_datetime(values["date"], format="%d/%m/%Y")
        labels, allowed_rows = self._rules[as_of >= PHONE_CONSENT_FROM, values["file"] == "clients"]
        expired_people = self._limits[values["retention_years"]] <= as_of.to_datetime64()  # échéance atteinte
        shown = np.where(allowed_rows & expired_people[self._owner], _EXPIRED_CODE, labels)
        k = len(CATEGORIES)
        flat = np.bincount(self._channel_code * k + shown, minlength=len(CHANNELS) * k)
        counts = pd.DataFrame(flat.reshape(len(CHANNELS), k), index=list(CHANNELS), columns=list(CATEGORIES))
        title = "Qui peut-on prospecter, et sur quelle base ?"
        subtitle = (f"Campagne du {values['date']} — fichier de {values['file']} — conservation "
                    f"{values['retention_years']} an{'s' if values['retention_years'] > 1 else ''}")
        figure = self._plot(tuple(values.items()), lambda: Plot(
            lambda: permission_bars(counts, title=title, subtitle=subtitle),
            lambda fig: update_permission_bars(fig, counts, subtitle=subtitle)))
        people = self._people
        allowed = counts[[k for k, (_, ok) in CATEGORIES.items() if ok]].sum(axis=1)
        expired = int(expired_people.sum())
        years = values["retention_years"]
        text = (f"Au {values['date']}, sur {num(people)} {values['file']} : "
                f"**{num(int(allowed['e-mail']))}** joignables par e-mail "
                f"({pct(allowed['e-mail'] / people)}), **{num(int(allowed['téléphone']))}** par "
                f"téléphone, **{num(int(allowed['courrier']))}** par courrier. Durée de {years} "
                f"an{'s' if years > 1 else ''} atteinte pour {num(expired)} personnes "
                f"({pct(expired / people)}) : demande de renouvellement, sinon suppression ou archivage.")
        table = counts.copy()
        table.insert(0, "Joignables", allowed)
        table.index.name = "Canal"
        return {"resume": text, "figure": figure,
                "tableau": french_table(table, num_columns=list(table.columns))}
