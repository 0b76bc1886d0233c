"""Explorateur e-réputation : filtres, thèmes des avis lus, indicateurs par année, erreurs en français."""

from __future__ import annotations

import pandas as pd
import pytest

from coursehelpers import widgets
from coursehelpers.errors import DataError

A = pd.DataFrame({
    "plateforme": ["Google", "Google", "Facebook", "Google", "Facebook"],
    "date": pd.to_datetime(["2024-01-10", "2024-02-01", "2024-05-03", "2025-03-01", "2025-06-01"]),
    "note": [1, 5, 2, 4, 1],
    "texte": ["Colis perdu", "Très belle qualité", "Prix trop cher, colis abîmé", "Accueil en magasin top",
              "Remboursement jamais reçu"],
    "reponse": [True, False, True, True, False],
    "date_reponse": pd.to_datetime(["2024-01-12", None, "2024-05-04", "2025-03-05", None]),
})


def test_reviews_explorer_by_hand() -> None:
    e = widgets.reviews_explorer(A)
    # avis négatifs (note ≤ 2) : 3 avis ; livraison : « colis » ×2 + « reçu » ×1 → 3/3
    bars = {p.get_y(): p.get_width() for p in e.figure.axes[0].patches}
    assert max(bars.values()) == pytest.approx(1.0)
    assert "Thème le plus cité : **livraison**" in e.outputs["resume"]
    assert "5 avis" in e.outputs["resume"] and "60,0\u00a0% de négatifs" in e.outputs["resume"]
    t = e.outputs["tableau"]
    assert list(t.index) == ["2024", "2025"] and t.loc["2024", "Avis"] == "3"
    e.update(plateforme="Facebook")
    assert "2 avis" in e.outputs["resume"] and "50,0\u00a0% avec une réponse" in e.outputs["resume"]
    e.update(plateforme="Google", avis="positifs")
    # 2 avis positifs : qualité 1/2 et magasin 1/2 ; à égalité, l'ordre de THEMES (qualité d'abord)
    assert "Thème le plus cité : **qualité**" in e.outputs["resume"]


def test_reviews_explorer_on_bundled_data_and_errors() -> None:
    e = widgets.reviews_explorer()
    e.update(periode=("2024T2", "2024T3"))
    assert "Thème le plus cité : **livraison**" in e.outputs["resume"]
    with pytest.raises(DataError, match="introuvable"):
        widgets.reviews_explorer(A.drop(columns="texte"))
    e2 = widgets.reviews_explorer(A)
    with pytest.raises(DataError, match="impossible"):
        e2.update(plateforme="Instagram")


def test_reviews_figure_keeps_its_axis_and_fast_png_matches_full_redraw() -> None:
    import base64
    from io import BytesIO

    import numpy as np
    from PIL import Image

    from coursehelpers.plots import figure_png

    e = widgets.reviews_explorer()
    fig = e.figure
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    e.update(periode=("2024T2", "2024T3"), avis="positifs")
    assert e.figure is fig and [t.get_text() for t in fig.axes[0].get_yticklabels()] == labels
    assert fig.axes[0].get_xlim() == (0.0, 1.12)
    fast = np.asarray(Image.open(BytesIO(base64.b64decode(e.bundles["figure"]["image/png"]))).convert("RGB"),
                      dtype=int)
    full = np.asarray(Image.open(BytesIO(figure_png(fig))).convert("RGB"), dtype=int)
    assert fast.shape == full.shape and (np.abs(fast - full).max(axis=2) > 40).mean() < 0.0005
