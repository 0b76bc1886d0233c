"""Explorateur de la grille de scoring : tableau calculé à la main, seuils, étape, coût, erreurs."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure

from coursehelpers import widgets
from coursehelpers.errors import DataError

P = pd.DataFrame({
    "source": ["recommandation client", "recommandation client", "salon professionnel", "base Sirene",
               "base Sirene", "fichier loué"],
    "contacte": [True, True, True, True, True, False],
    "rdv": [True, True, True, False, True, False],
    "devis": [True, False, True, False, False, False],
    "commande": [True, False, False, False, False, False],
})
GRID = {"source": {"recommandation client": 70, "salon professionnel": 40, "base Sirene": 10}}


def test_class_table_by_hand() -> None:
    t = widgets.class_table(P, pd.Series([70, 70, 40, 10, 10, 0]), hot=60, cold=35, cost=50)
    assert t["prospects"].tolist() == [2, 1, 3]          # chaud, tiède, froid
    assert t["contactes"].tolist() == [2, 1, 2]
    assert t["commandes"].tolist() == [1, 0, 0]
    assert t.loc["chaud", "taux_transformation"] == 0.5 and t.loc["froid", "taux_rdv"] == 0.5
    assert t.loc["chaud", "cout_par_commande"] == 100.0   # 2 contacts × 50 € / 1 commande
    assert pd.isna(t.loc["tiède", "cout_par_commande"])


def test_explorer_follows_thresholds_step_and_cost() -> None:
    e = widgets.lead_scoring_explorer(P, grid=GRID)
    assert isinstance(e.outputs["figure"], Figure)
    table = e.outputs["tableau"]
    assert table.loc["chaud", "Prospects"] == "2" and table.loc["chaud", "Coût par commande"].startswith("60")
    e.update(seuil_chaud=40)                     # le salon passe chaud : 3 chauds, 1 commande / 3 contacts
    assert e.outputs["tableau"].loc["chaud", "Prospects"] == "3"
    assert "33,3" in e.outputs["tableau"].loc["chaud", "Taux de transformation"]
    e.update(etape="rendez-vous")
    bars = [p.get_width() for p in e.figure.axes[0].patches]
    assert bars[0] == pytest.approx(1.0)          # 3 RDV sur 3 contactés chez les chauds
    e.update(cout=10)
    assert e.outputs["tableau"].loc["chaud", "Coût par commande"].startswith("30")


def test_explorer_errors_are_french() -> None:
    with pytest.raises(DataError, match="introuvable"):
        widgets.lead_scoring_explorer(P.drop(columns="devis"), grid=GRID)
    e = widgets.lead_scoring_explorer(P, grid=GRID)
    with pytest.raises(DataError, match="froid"):
        e.update(seuil_chaud=30, seuil_froid=50)


def test_scoring_figure_fast_png_matches_full_redraw() -> None:
    import base64
    from io import BytesIO

    import numpy as np
    from PIL import Image

    from coursehelpers.plots import figure_png

    grid = {"source": {"recommandation client": 70, "salon professionnel": 40}}
    e = widgets.lead_scoring_explorer(grid=grid)
    fig = e.figure
    e.update(seuil_chaud=40, etape="devis")
    assert e.figure is fig and fig.axes[0].get_xlim() == (0.0, 1.12)
    fast = np.asarray(Image.open(BytesIO(base64.b64decode(e.bundles["figure"]["image/png"]))).convert("RGB"),
                      dtype=int)
    full = np.asarray(Image.open(BytesIO(figure_png(fig))).convert("RGB"), dtype=int)
    assert fast.shape == full.shape and (np.abs(fast - full).max(axis=2) > 40).mean() < 0.0005
