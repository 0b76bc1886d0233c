"""Explorateur « données personnelles » : comptes à la main, règle du téléphone au 11/08/2026,
durée de conservation, figure mise à jour sur place, erreurs en français."""

from __future__ import annotations

import base64
from io import BytesIO

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from coursehelpers import datasets, widgets
from coursehelpers.errors import DataError
from coursehelpers.plots import figure_png

CONSENTS = pd.DataFrame({
    "client_id": ["A", "A", "A", "A", "B", "B", "B", "B"],
    "canal": ["courrier", "e-mail", "SMS", "téléphone"] * 2,
    "coordonnee": [True, True, False, True, True, True, True, True],
    "statut": ["sans choix", "sans choix", "sans choix", "sans choix",
               "opposition", "consentement", "consentement", "sans choix"],
    "bloctel": [False, False, False, False, False, False, False, True],
})
LAST = pd.DataFrame({"client_id": ["A", "B"], "date_dernier_contact": ["2025-10-01", "2023-03-01"]})


def _row(counts: pd.DataFrame, channel: str) -> dict[str, int]:
    return {k: int(v) for k, v in counts.loc[channel].items() if v}


def test_permission_counts_by_hand() -> None:
    c = widgets.permission_counts(CONSENTS, LAST, as_of="2026-01-01")
    # A (contact récent) : courrier intérêt légitime, e-mail soft opt-in, pas de mobile, téléphone oui
    # B (échéance le 01/03/2026, pas encore atteinte) : courrier opposé, e-mail/SMS consentement, Bloctel
    assert _row(c, "courrier") == {"Intérêt légitime": 1, "Opposition": 1}
    assert _row(c, "e-mail") == {"Soft opt-in": 1, "Consentement": 1}
    assert _row(c, "SMS") == {"Pas de coordonnée": 1, "Consentement": 1}
    assert _row(c, "téléphone") == {"Intérêt légitime": 1, "Bloctel": 1}
    later = widgets.permission_counts(CONSENTS, LAST, as_of="2026-08-11")
    assert _row(later, "téléphone") == {"Consentement requis": 2}   # loi du 30 juin 2025
    assert _row(later, "e-mail") == {"Soft opt-in": 1, "Conservation atteinte": 1}  # B : 3 ans passés
    prospects = widgets.permission_counts(CONSENTS, LAST, as_of="2026-01-01", customers=False)
    assert _row(prospects, "e-mail") == {"Consentement requis": 1, "Consentement": 1}


def test_explorer_follows_its_controls_and_matches_permission_counts() -> None:
    e = widgets.privacy_explorer(CONSENTS, LAST)
    table = e.outputs["tableau"]
    assert table.loc["téléphone", "Joignables"] == "1" and table.loc["e-mail", "Joignables"] == "2"
    e.update(date="11/08/2026")
    assert e.outputs["tableau"].loc["téléphone", "Joignables"] == "0"
    assert "Campagne du 11/08/2026" in e.figure.axes[0].texts[-1].get_text()
    e.update(date="01/01/2026", duree=1)    # A : 01/10/2025 + 1 an > 01/01/2026 ; B atteint
    assert "atteinte pour 1 personnes" in e.outputs["resume"]
    assert e.outputs["tableau"].loc["e-mail", "Conservation atteinte"] == "1"
    e.update(fichier="prospects", duree=3)
    assert e.outputs["tableau"].loc["e-mail", "Consentement requis"] == "1"


def test_explorer_on_bundled_data_same_figure_and_fast_png() -> None:
    e = widgets.privacy_explorer()
    fig = e.figure
    e.update(date="01/10/2026", fichier="prospects", duree=2)
    assert e.figure is fig and fig.axes[0].get_title() and fig.axes[0].get_xlabel()
    widths = np.array([[r.get_width() for r in c] for c in fig.axes[0].containers])  # catégorie × canal
    assert widths.sum(axis=0).tolist() == [5000.0] * 4   # chaque barre = tout le fichier
    fast = np.asarray(Image.open(BytesIO(base64.b64decode(e.bundles["figure"]["image/png"]))).convert("RGB"),
                      dtype=int)
    full = np.asarray(Image.open(BytesIO(figure_png(fig))).convert("RGB"), dtype=int)
    assert fast.shape == full.shape
    assert (np.abs(fast - full).max(axis=2) > 40).mean() < 0.0005
    ref = widgets.permission_counts(datasets.load_consents(), datasets.load_last_contacts(),
                                    as_of="2026-10-01", customers=False, years=2)
    assert e.outputs["tableau"].loc["téléphone", "Consentement requis"] == \
        f"{ref.loc['téléphone', 'Consentement requis']:,}".replace(",", "\u202f")


def test_explorer_errors_are_french() -> None:
    with pytest.raises(DataError, match="introuvable"):
        widgets.privacy_explorer(CONSENTS.drop(columns="bloctel"), LAST)
    with pytest.raises(DataError, match="dernier contact"):
        widgets.privacy_explorer(CONSENTS, LAST.iloc[:1])
    e = widgets.privacy_explorer(CONSENTS, LAST)
    with pytest.raises(DataError, match="impossible"):
        e.update(date="31/12/2030")
