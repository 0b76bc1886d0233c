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

from coursehelpers._core.validate import require_columns, require_frame
from coursehelpers.display import french_table, num, pct
from coursehelpers.errors import DataError
from coursehelpers.personal_data import (
    CHANNELS,
    EXPIRED,
    PERMISSION_CATEGORIES,
    PHONE_CONSENT_FROM,
    contact_permissions,
    permission_category,
    retention_status,
)
from coursehelpers.plots import permission_bars, update_permission_bars
from coursehelpers.widgets._base import Explorer, Plot

#: Dates de campagne proposées (le 11/08/2026, la loi du 30 juin 2025 change la règle du téléphone).
DATES = ("01/01/2026", "01/04/2026", "01/07/2026", "11/08/2026", "01/10/2026", "01/01/2027")
_EXPIRED_CODE = list(PERMISSION_CATEGORIES).index(EXPIRED)


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
                labels = permission_category(perms)
                codes = pd.Categorical(labels, categories=list(PERMISSION_CATEGORIES)).codes
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
        k = len(PERMISSION_CATEGORIES)
        flat = np.bincount(self._channel_code * k + shown, minlength=len(CHANNELS) * k)
        counts = pd.DataFrame(flat.reshape(len(CHANNELS), k), index=list(CHANNELS),
                              columns=list(PERMISSION_CATEGORIES))
        title = "Qui peut-on prospecter, et sur quelle base ?"
        subtitle = (f"Campagne du {values['date']} — fichier de {values['file']} — conservation "
                    f"{values['retention_years']} an{'s' if values['retention_years'] > 1 else ''}")
        figure = self._plot(tuple(values.items()), lambda: Plot(
            lambda: permission_bars(counts, title=title, subtitle=subtitle),
            lambda fig: update_permission_bars(fig, counts, subtitle=subtitle)))
        people = self._people
        allowed = counts[[k for k, ok in PERMISSION_CATEGORIES.items() if ok]].sum(axis=1)
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
