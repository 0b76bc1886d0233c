"""Explorateurs sans navigateur : update() recalcule, les sorties suivent, les erreurs sont en français."""

from __future__ import annotations

import base64

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from coursehelpers import widgets
from coursehelpers.errors import DataError

NB, THIN = "\u00a0", "\u202f"


class FakeHandle:
    """Remplace le DisplayHandle d'IPython : garde les mises à jour reçues."""

    def __init__(self) -> None:
        self.updates: list[dict] = []

    def update(self, bundle: dict, raw: bool = False) -> None:
        assert raw
        self.updates.append(bundle)


def _attach(explorer: widgets.Explorer) -> dict[str, FakeHandle]:
    explorer._handles = {key: FakeHandle() for key in explorer.bundles}
    return explorer._handles


@pytest.fixture(scope="module")
def contacts() -> pd.DataFrame:
    return pd.DataFrame({
        "canal": ["FAQ", "FAQ", "téléphone", "téléphone", "téléphone"],
        "motif": ["livraison", "réclamation", "livraison", "livraison", "réclamation"],
        "date": pd.to_datetime(["2024-01-10", "2024-05-02", "2024-01-20", "2024-08-01", "2024-09-15"]),
        "delai_reponse_h": [10.0, 30.0, 1.0, 2.0, 3.0],
        "resolu": [True, False, True, True, False],
        "satisfaction": pd.array([2, 4, 5, 4, pd.NA], dtype="Int64"),
        "nps": pd.array([3, 9, 10, pd.NA, 6], dtype="Int64"),
    })


def test_clv_simulator_hand_computed() -> None:
    sim = widgets.clv_simulator(margin=100, retention=0.5, discount_rate=0.0, acquisition_cost=160, horizon=3)
    # 100 + 100 × 0,5 + 100 × 0,25 = 175 € ; cumul 100, 150, 175 ≥ 160 la 3e année
    assert sim.outputs["resume"].startswith(f"CLV sur 3 ans : **175{NB}€**")
    assert "**3ᵉ année**" in sim.outputs["resume"]
    assert sim.outputs["tableau"]["CLV cumulée"].tolist() == [f"100{NB}€", f"150{NB}€", f"175{NB}€"]
    sim.update(acquisition_cost=200)
    assert "non atteint" in sim.outputs["resume"]
    assert isinstance(sim.outputs["figure"], Figure)


def test_update_rejects_unknown_control_and_out_of_range_values() -> None:
    sim = widgets.clv_simulator()
    with pytest.raises(DataError, match="contrôle inconnu : marge"):
        sim.update(marge=10)
    # message pour un élève : le libellé du curseur et des pourcentages, pas le nom du paramètre
    with pytest.raises(DataError, match=r"« Taux de fidélisation » doit être entre 5\s%\set 95\s% "
                                        r"\(reçu : 150\s%\)"):
        sim.update(retention=1.5)
    with pytest.raises(DataError, match="retention"):
        widgets.clv_simulator(retention=2)


def test_control_change_updates_displayed_outputs_in_place() -> None:
    sim = widgets.clv_simulator(margin=100, retention=0.5, discount_rate=0.0, horizon=3)
    handles = _attach(sim)
    sim.controls["margin"].value = 200  # ce que fait un curseur dans le navigateur
    resume = handles["resume"].updates[-1]["text/markdown"]
    assert resume.startswith(f"CLV sur 3 ans : **350{NB}€**")
    png = base64.b64decode(handles["figure"].updates[-1]["image/png"])
    assert png[:4] == b"\x89PNG"
    assert "<table" in handles["tableau"].updates[-1]["text/html"]


def test_threshold_sliders_cannot_cross_and_errors_are_plain_french() -> None:
    pyramid = widgets.pyramid_explorer(pd.Series([9.0, 8, 7, 6, 5, 4, 3, 2, 1, 0.5]))
    handles = _attach(pyramid)
    pyramid.controls["platinum"].value = 0.25  # au-delà du seuil Or (20 %) : Or est poussé
    assert pyramid.values == {"platinum": 0.25, "gold": 0.26, "iron": 0.6}
    pyramid.controls["iron"].value = 0.2  # en dessous d'Or et de Platinum : tous deux poussés
    assert pyramid.values == {"platinum": 0.18, "gold": 0.19, "iron": 0.2}
    assert handles["message"].updates[-1]["text/markdown"] == ""
    assert "18 % · 19 % · 20 %" in pyramid.outputs["resume"].replace("\u00a0", " ")
    # par programme, pas de poussée : un réglage incohérent est refusé, en clair
    with pytest.raises(DataError) as err:
        pyramid.update(platinum=0.25, gold=0.20, iron=0.6)
    assert str(err.value) == "Le seuil Or (20\u00a0%) doit rester au-dessus du seuil Platinum (25\u00a0%)."
    with pytest.raises(DataError, match=r"Le seuil Or .* Platinum"):
        widgets.pyramid_explorer(cutoffs=(0.23, 0.2, 0.29000000000000004))
    abc = widgets.abc_explorer()
    abc.controls["threshold_a"].value = 0.9  # reste sous le seuil B (95 %) : rien à pousser
    abc.controls["threshold_b"].value = 0.85  # en dessous de A (90 %) : A est poussé à 84 %
    assert (abc.values["threshold_a"], abc.values["threshold_b"]) == (0.84, 0.85)
    assert abc.outputs["message"] == ""
    text = "".join(getattr(child, "value", "") for child in abc.widget.children)
    assert "ne se croisent pas" in text


def test_pyramid_explorer_on_custom_values() -> None:
    values = pd.Series([900.0, 50, 40, 30, 20, 10, 5, 5, 3, 2])
    pyramid = widgets.pyramid_explorer(values, cutoffs=(0.1, 0.3, 0.6))
    table = pyramid.outputs["tableau"]
    assert table.index.tolist() == ["Platinum", "Or", "Fer", "Plomb"]
    assert table["Clients"].tolist() == ["1", "2", "3", "4"]
    assert table.loc["Platinum", "Chiffre d'affaires"] == f"900{NB}€"
    pyramid.update(platinum=0.2)
    assert pyramid.outputs["tableau"]["Clients"].tolist() == ["2", "1", "3", "4"]
    assert "**89" in pyramid.outputs["resume"]  # (900 + 50) / 1 065 = 89 %


def test_pyramid_explorer_accepts_transactions() -> None:
    tx = pd.DataFrame({"client_id": ["a", "b", "a", "c", "d"], "montant": [10.0, 5, 20, 1, 2]})
    pyramid = widgets.pyramid_explorer(tx, cutoffs=(0.25, 0.5, 0.75))
    assert pyramid.outputs["tableau"].loc["Platinum", "Chiffre d'affaires"] == f"30{NB}€"
    with pytest.raises(DataError, match="montant"):
        widgets.pyramid_explorer(tx.rename(columns={"montant": "ca"}))


def test_abc_explorer_thresholds_move_classes() -> None:
    abc = widgets.abc_explorer(pd.Series([70.0, 10, 15, 5], index=list("wxyz")))
    assert abc.outputs["tableau"]["Clients"].tolist() == ["2", "1", "1"]
    assert f"**70{NB}%** du chiffre" in abc.outputs["resume"]
    abc.update(seuil_a=0.6)  # y (avant : 70 %) passe en B
    assert abc.outputs["tableau"]["Clients"].tolist() == ["1", "2", "1"]
    abc.update(part_clients=0.5)  # 2 meilleurs clients : 85 %
    assert f"**85{NB}%** du chiffre" in abc.outputs["resume"]
    with pytest.raises(DataError):
        widgets.abc_explorer("abc")


def test_channel_summary_hand_computed(contacts: pd.DataFrame) -> None:
    summary = widgets.channel_summary(contacts)
    faq, tel = summary.loc["FAQ"], summary.loc["téléphone"]
    assert (faq["contacts"], tel["contacts"]) == (2, 3)
    assert tel["part_volume"] == pytest.approx(0.6)
    assert faq["delai_median_h"] == 20.0 and tel["delai_median_h"] == 2.0
    assert tel["taux_resolution"] == pytest.approx(2 / 3)
    assert faq["satisfaction_moyenne"] == 3.0 and tel["satisfaction_moyenne"] == 4.5
    assert faq["part_satisfaits"] == 0.5 and tel["part_satisfaits"] == 1.0
    assert faq["nps"] == 0.0  # 1 promoteur (9), 1 détracteur (3)
    assert tel["nps"] == 0.0  # 1 promoteur (10), 1 détracteur (6), 1 sans réponse


def test_channel_explorer_filters_motif_and_period(contacts: pd.DataFrame) -> None:
    explorer = widgets.channel_explorer(contacts)
    assert explorer.controls["periode"].options == ("2024Q1", "2024Q2", "2024Q3")
    assert explorer.outputs["tableau"]["Contacts"].tolist() == ["2", "3"]
    explorer.update(motif="livraison")
    assert explorer.outputs["tableau"]["Contacts"].tolist() == ["1", "2"]
    explorer.update(motif="Tous les motifs", periode=("2024Q3", "2024Q3"))
    assert explorer.outputs["tableau"]["Contacts"].tolist() == ["0", "2"]
    explorer.update(indicateur="Délai médian de réponse", periode=("2024Q1", "2024Q3"))
    assert explorer.outputs["figure"].axes[0].get_title() == "Délai médian de réponse par canal"
    with pytest.raises(DataError, match="Choix possibles"):
        explorer.update(motif="météo")
    with pytest.raises(DataError, match="satisfaction"):
        widgets.channel_explorer(contacts.drop(columns="satisfaction"))


def test_channel_explorer_nps_can_be_negative(contacts: pd.DataFrame) -> None:
    explorer = widgets.channel_explorer(contacts)
    # livraison : FAQ = 1 détracteur (3) → NPS −100 ; téléphone = 1 promoteur (10), 1 sans réponse → +100
    explorer.update(indicateur="NPS", motif="livraison")
    ax = explorer.figure.axes[0]
    assert [p.get_width() for p in ax.patches] == [100.0, -100.0]
    assert ax.get_xlim()[0] < -100 < 100 < ax.get_xlim()[1]
    assert ax.get_title() == "NPS par canal" and "« NPS » : **téléphone**" in explorer.outputs["resume"]
    without = widgets.channel_explorer(contacts.drop(columns="nps"))
    assert "NPS" not in without.controls["indicateur"].options  # pas de note NPS : pas d'indicateur


@pytest.fixture(scope="module")
def transactions() -> pd.DataFrame:
    return pd.DataFrame({
        "client_id": ["A", "A", "A", "B", "B", "C", "D", "E"],
        "date": pd.to_datetime(["2024-01-05", "2024-06-01", "2024-12-20", "2024-03-01", "2024-11-30",
                                "2024-12-01", "2024-02-01", "2024-09-10"]),
        "montant": [100.0, 200.0, 300.0, 50.0, 60.0, 40.0, 10.0, 500.0],
    })


def test_rfm_explorer_reference_date_and_segment_list(transactions: pd.DataFrame) -> None:
    explorer = widgets.rfm_explorer(transactions, bins=5)
    dates = explorer.controls["date_reference"].options
    assert dates[-1] == "21/12/2024"  # lendemain du dernier achat
    assert "5 clients au 21/12/2024" in explorer.outputs["resume"]
    explorer.update(date_reference="21/06/2024")  # 3 clients ont déjà acheté (A, B, D)
    assert "3 clients au 21/06/2024" in explorer.outputs["resume"]
    segments = explorer.outputs["segments"]
    assert segments["Clients"].map(int).sum() == 3
    explorer.update(date_reference="21/12/2024", segment="Champions")
    listed = explorer.outputs["clients"]
    assert listed.index.tolist() == ["A"]  # R = 5 (hier) et F = 5 (3 achats)
    assert listed.loc["A", "Montant"] == f"600{NB}€"
    explorer.update(bins=3)
    assert explorer.outputs["clients"].index.tolist() == ["A"]  # même segment quel que soit bins
    assert len(explorer._tables) == 2  # table RFM gardée en cache par date


def test_rfm_explorer_bad_input_is_french(transactions: pd.DataFrame) -> None:
    with pytest.raises(DataError, match="date"):
        widgets.rfm_explorer(transactions.drop(columns="date"))
    with pytest.raises(DataError, match="bins"):
        widgets.rfm_explorer(transactions, bins=12)


@pytest.fixture(scope="module")
def customers() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    n = 60
    return pd.DataFrame({
        "age": np.r_[np.full(20, 25), np.full(20, 40), np.full(20, 65)],
        "csp": pd.Categorical(rng.choice(["Employés", "Cadres"], n)),
        "chiffre_affaires": np.r_[np.full(20, 100.0), np.full(20, 300.0), np.full(20, 600.0)],
        "commandes": np.r_[np.full(20, 1), np.full(20, 3), np.full(20, 6)],
        "recence_jours": np.r_[np.full(20, 300), np.full(20, 60), np.full(20, 10)],
    }, index=[f"K{i:02d}" for i in range(n)])


def test_segmentation_explorer_rules_and_kmeans(customers: pd.DataFrame) -> None:
    explorer = widgets.segmentation_explorer(customers, k=3)
    assert list(explorer.controls["critere"].options) == ["tranche d'âge", "CSP"]
    profils = explorer.outputs["profils"]
    assert profils.loc["moins de 30 ans", "Clients"] == "20"
    assert profils.loc["50 ans et plus", "CA moyen"] == f"600{NB}€"
    explorer.update(ages=(45, 70))  # 25 et 40 ans → moins de 45 ; 65 ans → 45 à 69
    profils = explorer.outputs["profils"]
    assert profils.loc["moins de 45 ans", "Clients"] == "40"
    assert profils.loc["45 à 69 ans", "Clients"] == "20"
    bars = explorer.outputs["figure"].axes[0].patches
    # clients : 40/60, 20/60, 0 ; CA : 8 000/20 000, 12 000/20 000, 0 (« 70 ans et plus » vide)
    assert sorted(p.get_width() for p in bars) == pytest.approx([0, 0, 1 / 3, 0.4, 0.6, 2 / 3])
    explorer.update(methode=explorer.controls["method"].options[1], k=3)  # a posteriori (k-means)
    sizes = explorer.outputs["profils"].drop(index="Ensemble")["Clients"].tolist()
    assert sizes == ["20", "20", "20"]  # trois groupes bien séparés
    assert "silhouette" in explorer.outputs["resume"]


def test_segmentation_explorer_needs_revenue(customers: pd.DataFrame) -> None:
    with pytest.raises(DataError, match="chiffre_affaires"):
        widgets.segmentation_explorer(customers.drop(columns="chiffre_affaires"))


def test_mime_bundle_of_each_output_type() -> None:
    assert widgets.mime_bundle("**gras**") == {"text/markdown": "**gras**", "text/plain": "**gras**"}
    table = widgets.mime_bundle(pd.DataFrame({"a": [f"1{THIN}000{NB}€"]}))
    assert "1\u202f000" in table["text/html"] and "<table" in table["text/html"]


@pytest.mark.parametrize("factory", ["channel_explorer", "pyramid_explorer", "abc_explorer",
                                     "rfm_explorer", "segmentation_explorer", "clv_simulator"])
def test_every_explorer_on_bundled_data_reacts_to_its_first_slider(factory: str) -> None:
    explorer = getattr(widgets, factory)()
    assert isinstance(explorer.outputs["figure"], Figure)
    ax = explorer.outputs["figure"].axes[0]
    assert ax.get_title() and ax.get_xlabel()
    slider = next(c for c in explorer.controls.values() if hasattr(c, "max") or hasattr(c, "index"))
    before = {k: v for k, v in explorer.bundles.items() if k != "figure"}
    if hasattr(slider, "index") and isinstance(slider.index, tuple):
        slider.index = (slider.index[0] + 1, slider.index[1])
    elif hasattr(slider, "index"):
        slider.index = slider.index - 1 if slider.index else 1
    else:
        slider.value = slider.max if slider.value != slider.max else slider.min
    after = {k: v for k, v in explorer.bundles.items() if k != "figure"}
    assert after != before


def _pixels(png: bytes) -> np.ndarray:
    from io import BytesIO

    from PIL import Image

    return np.asarray(Image.open(BytesIO(png)).convert("RGB"), dtype=int)


def test_update_reuses_the_same_figure_and_moves_its_bars() -> None:
    values = pd.Series([900.0, 50, 40, 30, 20, 10, 5, 5, 3, 2])
    pyramid = widgets.pyramid_explorer(values, cutoffs=(0.1, 0.3, 0.6))
    fig = pyramid.outputs["figure"]
    bars = list(fig.axes[0].patches)
    pyramid.update(platinum=0.2)  # Platinum = 2 clients : (900 + 50) / 1 065 du CA
    assert pyramid.outputs["figure"] is fig and pyramid.figure is fig
    assert list(fig.axes[0].patches) == bars  # mêmes artistes, mis à jour sur place
    revenue = sorted(p.get_width() for p in bars if p.get_width() > 0)
    assert revenue[-1] == pytest.approx(950 / 1065)
    assert sorted(-p.get_width() for p in bars if p.get_width() < 0) == pytest.approx([0.1, 0.2, 0.3, 0.4])
    assert f"{95}{NB}%" not in _texts(fig) and f"89{NB}%" in _texts(fig)
    assert pyramid.bundles["figure"]["text/plain"] == "<Figure size 666x378 with 1 Axes>"


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.axes[0].texts]


def test_repeated_setting_hits_the_cache_and_skips_the_computation(monkeypatch) -> None:
    abc = widgets.abc_explorer(pd.Series([70.0, 10, 15, 5], index=list("wxyz")))
    first = abc.outputs["tableau"]
    calls = []
    compute = abc._compute
    monkeypatch.setattr(abc, "_compute", lambda values: calls.append(values) or compute(values))
    abc.update(seuil_a=0.6)
    assert len(calls) == 1 and abc.cache_misses == 2 and abc.cache_hits == 0
    abc.update(seuil_a=0.8)  # réglage de départ : retrouvé, pas recalculé
    assert len(calls) == 1 and abc.cache_hits == 1
    assert abc.outputs["tableau"] is first
    assert abc.outputs["tableau"]["Clients"].tolist() == ["2", "1", "1"]
    zones = [round(p.get_width(), 6) for p in abc.figure.axes[0].patches if p.get_visible()]
    assert zones == [0.5, 0.25, 0.25]  # la figure suit bien le réglage retrouvé


def test_figure_is_not_redrawn_when_only_the_table_changes(transactions: pd.DataFrame) -> None:
    explorer = widgets.rfm_explorer(transactions, bins=5)
    image = explorer.bundles["figure"]
    explorer.update(segment="Champions")  # seule la liste des clients dépend du segment
    assert explorer.bundles["figure"] is image
    assert explorer.outputs["clients"].index.tolist() == ["A"]
    explorer.update(bins=3)
    assert explorer.bundles["figure"] is not image
    ax = explorer.figure.axes[0]
    grid = np.ma.filled(ax.collections[0].get_array(), np.nan)  # grille fixe 9 × 9, cases 3 × 3 remplies
    assert np.isfinite(grid[:3, :3]).any() and np.isnan(grid[3:, :]).all() and np.isnan(grid[:, 3:]).all()
    assert ax.get_xlim() == (-0.5, 2.5) and [t.get_text() for t in ax.get_xticklabels()] == ["1", "2", "3"]


@pytest.mark.parametrize("factory", ["channel_explorer", "pyramid_explorer", "abc_explorer",
                                     "rfm_explorer", "segmentation_explorer", "clv_simulator"])
def test_fast_png_matches_a_full_redraw(factory: str) -> None:
    """L'image rapide (fond réutilisé + parties redessinées) = un dessin complet de la figure."""
    from coursehelpers.plots import figure_png

    explorer = getattr(widgets, factory)()
    moves = {"channel_explorer": lambda c: {"periode": (c["periode"].options[2], c["periode"].options[-1])},
             "pyramid_explorer": lambda c: {"platinum": 0.08}, "abc_explorer": lambda c: {"seuil_a": 0.7},
             "rfm_explorer": lambda c: {"date_reference": c["date_reference"].options[4]},
             "segmentation_explorer": lambda c: {"ages": (25, 50)},
             "clv_simulator": lambda c: {"retention": 0.9}}
    explorer.update(**moves[factory](explorer.controls))
    fast = _pixels(base64.b64decode(explorer.bundles["figure"]["image/png"]))
    full = _pixels(figure_png(explorer.figure))  # savefig : dessine tout, dans l'ordre des zorder
    assert fast.shape == full.shape
    different = np.abs(fast - full).max(axis=2) > 40
    assert different.mean() < 0.0005, f"{different.sum()} px"


def test_control_names_are_english_and_old_french_names_still_work() -> None:
    """Noms des contrôles en anglais (ticket 11) ; les anciens noms français restent des alias."""
    abc = widgets.abc_explorer(pd.Series([70.0, 10, 15, 5], index=list("wxyz")))
    assert list(abc.values) == ["threshold_a", "threshold_b", "top_share"]
    assert abc.controls["seuil_a"] is abc.controls["threshold_a"]
    english = dict(abc.update(threshold_a=0.6).outputs)
    french = dict(abc.update(seuil_a=0.6).outputs)
    assert english["resume"] == french["resume"] and abc.values["threshold_a"] == 0.6
    with pytest.raises(DataError, match="contrôle inconnu : seuil_c"):
        abc.update(seuil_c=0.5)
    pyramid = widgets.pyramid_explorer(pd.Series([900.0, 50, 40, 30, 20, 10, 5, 5, 3, 2]))
    assert list(pyramid.values) == ["platinum", "gold", "iron"]
    assert pyramid.update(or_=0.3).values["gold"] == 0.3
    for explorer, names in ((widgets.rfm_explorer(), ["as_of", "bins", "heatmap", "segment"]),
                            (widgets.channel_explorer(), ["indicator", "reason", "period", "threshold"])):
        assert list(explorer.values) == names


def test_segmentation_fast_profiles_equal_profile_table() -> None:
    """Le profil calculé par sommes ``bincount`` (rapidité) = ``segmentation.profile_table``."""
    from coursehelpers import segmentation

    e = widgets.segmentation_explorer()
    assert e._profiles is not None
    criteria = list(e._criteria)
    for values in ({"ages": (20, 50)}, {"ages": (35, 65)}, {"criterion": criteria[1]},
                   {"criterion": criteria[-1]}, {"method": "A posteriori (k-means)", "k": 3}):
        e.update(**values)
        labels, _ = e._labels(e.values)
        if not isinstance(labels.dtype, pd.CategoricalDtype):
            labels = labels.astype(pd.CategoricalDtype(sorted(labels.unique(), key=lambda s: int(s[8:]))))
        expected = segmentation.profile_table(e._df, labels, features=e._profiles.features)
        pd.testing.assert_frame_equal(e._profiles.table(labels), expected)
