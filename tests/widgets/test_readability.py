"""Explorateurs lisibles en projection (revue de la classe test, section 7).

- aucun texte d'une figure d'explorateur (titres, graduations, étiquettes, barre de couleur) ne
  déborde de l'image, dans la vue par défaut et pour la carte RFM à 3 et 4 notes ;
- aucun texte plus petit que ``MIN_FONT_PT`` (9 pt = 11,25 px à 90 ppp) ; chiffres de la carte RFM
  ≥ 11 pt, étiquettes de la roue de la fidélité ≥ 9,5 pt ;
- valeurs des curseurs au format français (« 5 % », « 1 000 ») ;
- carte RFM : l'axe R dit l'échelle choisie, l'explorateur dit que les segments ne suivent pas
  le nombre de notes.
"""

from __future__ import annotations

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from coursehelpers import plots, widgets
from coursehelpers.plots._style import MIN_FONT_PT

EXPLORERS = ("channel_explorer", "pyramid_explorer", "abc_explorer", "rfm_explorer", "segmentation_explorer",
             "clv_simulator", "loyalty_explorer", "kpi_dashboard_explorer", "privacy_explorer",
             "lead_scoring_explorer", "reviews_explorer")
#: Grille de scoring du chapitre 07 (sans la colonne ``code_naf``, qui demande la table des secteurs).
LEAD_GRID = {"categorie_entreprise": {"TPE": 5, "PME": 15, "ETI": 25, "GE": 30},
             "source": {"recommandation client": 20, "formulaire web": 15, "salon professionnel": 10,
                        "base Sirene": 5, "fichier loué": 0}}
NB = "\u00a0"


def _canvas(fig) -> FigureCanvasAgg:
    return fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)


def _texts(fig) -> list[Text]:
    """Les textes réellement dessinés (graduations hors des bornes de l'axe exclues)."""
    _canvas(fig).draw()
    ticks: set[int] = set()
    drawn: list[Text] = []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            pad = (hi - lo) * 1e-6
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                for label in (tick.label1, tick.label2):
                    ticks.add(id(label))
                    if ax.axison and axis.get_visible() and lo - pad <= tick.get_loc() <= hi + pad and \
                            label.get_visible() and label.get_text().strip():
                        drawn.append(label)
    return drawn + [t for t in fig.findobj(Text) if id(t) not in ticks and t.get_visible()
                    and t.get_text().strip() and (t.axes is None or t.axes.axison or t in t.axes.texts)]


def _assert_readable(fig, name: str) -> None:
    texts = _texts(fig)
    canvas = _canvas(fig)
    renderer = canvas.get_renderer()
    width, height = canvas.get_width_height()
    for text in texts:
        size = text.get_fontsize()
        assert size >= MIN_FONT_PT, f"{name} : « {text.get_text()} » en {size} pt"
        box = text.get_window_extent(renderer)
        assert box.x0 >= -1 and box.y0 >= -1 and box.x1 <= width + 1 and box.y1 <= height + 1, (
            f"{name} : « {text.get_text()} » dépasse de l'image ({box} dans {width} × {height})")


@pytest.fixture(scope="module")
def explorers() -> dict[str, object]:
    return {name: widgets.lead_scoring_explorer(grid=LEAD_GRID) if name == "lead_scoring_explorer"
            else getattr(widgets, name)() for name in EXPLORERS}


@pytest.mark.parametrize("name", EXPLORERS)
def test_no_text_is_clipped_or_too_small(explorers, name: str) -> None:
    explorer = explorers[name]
    assert explorer.figure is not None
    _assert_readable(explorer.figure, name)


@pytest.mark.parametrize("bins", [3, 4, 5])
def test_rfm_map_with_fewer_notes_fits_and_says_its_scale(explorers, bins: int) -> None:
    rfm = explorers["rfm_explorer"]
    rfm.update(bins=bins)
    fig = rfm.outputs["figure"]
    _assert_readable(fig, f"rfm {bins} notes")
    assert fig.axes[0].get_ylabel() == f"Score de récence R ({bins} = récent)"
    numbers = [t for t in fig.axes[0].texts if t.get_visible() and t.get_text()]
    assert len(numbers) == bins * bins and min(t.get_fontsize() for t in numbers) >= 11
    assert "ne suivent pas" in rfm.note and "ne suivent pas" in rfm.widget.children[-1].value


def test_wheel_labels_are_readable() -> None:
    fig = plots.wheel_of_loyalty()
    _assert_readable(fig, "roue")
    levers = [t for t in _texts(fig) if t.get_color() == "#222222"]
    assert len(levers) >= 9 and min(t.get_fontsize() for t in levers) >= MIN_FONT_PT + 0.5


def test_slider_readouts_are_in_french_format() -> None:
    sim = widgets.clv_simulator(margin=60, retention=0.75, discount_rate=0.08, acquisition_cost=1000)
    shown = {key: sim._readouts[id(control)].value for key, control in sim.controls.items()
             if id(control) in sim._readouts}
    assert shown["retention"] == f"75{NB}%" and shown["discount_rate"] == f"8{NB}%"
    assert shown["acquisition_cost"] == f"1{NB}000" or shown["acquisition_cost"] == "1\u202f000"
    assert all(not sim.controls[key].readout for key in shown)  # la valeur anglaise est masquée
    sim.controls["retention"].value = 0.5
    assert sim._readouts[id(sim.controls["retention"])].value == f"50{NB}%"


def test_rfm_segment_table_does_not_follow_the_number_of_notes(explorers) -> None:
    """Ce que dit la note de l'explorateur : même synthèse des segments à 3 et à 5 notes (faite une fois)."""
    rfm = explorers["rfm_explorer"]
    rfm.update(bins=5)
    at_five = rfm.outputs["segments"]
    rfm.update(bins=3)
    assert rfm.outputs["segments"].equals(at_five)
    assert rfm.bundles["segments"] is rfm._bundle(at_five)  # HTML converti une seule fois
    assert rfm.outputs["clients"]["RFM"].map(lambda code: max(code) <= "3").all()  # codes sur 3 notes
