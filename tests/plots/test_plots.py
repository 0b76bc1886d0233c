"""Figures : titres et axes en français, bon nombre de barres / niveaux, valeurs calculées à la main."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from coursehelpers import kpis, plots
from coursehelpers.errors import DataError
from coursehelpers.plots import euro_formatter, figure_png, new_axes, percent_formatter

NB = "\u00a0"


def _top_to_bottom(ax) -> list[str]:
    """Étiquettes de l'axe vertical, de haut en bas."""
    pairs = zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels()), strict=True)
    return [label for _, label in sorted(pairs, reverse=True)]


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_french_tick_formatters() -> None:
    assert euro_formatter()(12345.4, 0) == f"12\u202f345{NB}€"
    assert percent_formatter()(0.25, 0) == f"25{NB}%"


def test_pareto_curve_marks_20_80_point_and_abc_zones() -> None:
    values = pd.Series([70.0, 10, 15, 5], index=list("wxyz"))
    fig = plots.pareto_curve(values)
    ax = fig.axes[0]
    assert ax.get_title().startswith("Courbe de concentration")
    assert ax.get_xlabel().startswith("Part cumulée des clients")
    assert ax.get_ylabel() == "Part cumulée du chiffre d'affaires"
    # top 20 % de 4 clients = ⌈0,8⌉ = 1 client : 70 / 100 = 70 %
    assert f"20{NB}% des clients → 70{NB}% du CA" in _texts(fig)
    # A = w (avant : 0 %) et y (avant : 70 %) ; B = x (avant : 85 %) ; C = z (avant : 95 %)
    zones = [p for p in ax.patches if p.get_width() > 0]
    widths = [round(p.get_width(), 6) for p in zones]
    assert widths == [0.5, 0.25, 0.25]
    curve = ax.lines[1]
    assert np.allclose(curve.get_ydata(), [0, 0.70, 0.85, 0.95, 1.0])


def test_customer_pyramid_bars_are_shares_per_tier() -> None:
    values = pd.Series([900.0, 50, 40, 30, 20, 10, 5, 5, 3, 2])
    from coursehelpers import tiers

    fig = plots.customer_pyramid(tiers.tier_table(values, cutoffs=(0.1, 0.3, 0.6)))
    ax = fig.axes[0]
    assert _top_to_bottom(ax) == ["Platinum", "Or", "Fer", "Plomb"]
    assert len(ax.patches) == 8  # 4 niveaux × (clients, CA)
    clients = sorted(-p.get_width() for p in ax.patches if p.get_width() < 0)
    assert np.allclose(clients, [0.1, 0.2, 0.3, 0.4])
    revenue = [p.get_width() for p in ax.patches if p.get_width() > 0]
    # barres du CA de bas en haut : Plomb, Fer, Or, Platinum (900 / 1 065)
    assert revenue[-1] == pytest.approx(900 / 1065)
    assert sum(revenue) == pytest.approx(1.0)
    assert ax.get_title() == "Pyramide des clients : poids de chaque niveau"


def test_customer_pyramid_accepts_raw_values_and_rejects_text() -> None:
    assert len(plots.customer_pyramid(pd.Series([5.0, 4, 3, 2, 1])).axes[0].patches) == 8
    with pytest.raises(DataError):
        plots.customer_pyramid("pas un tableau")


def test_rfm_heatmap_means_per_cell() -> None:
    scores = pd.DataFrame({"R": [1, 2, 2], "F": [1, 2, 2], "montant": [10.0, 30.0, 50.0]})
    fig = plots.rfm_heatmap(scores)
    grid = np.ma.filled(fig.axes[0].collections[0].get_array(), np.nan)  # grille fixe 9 × 9
    # lignes R = 2 puis 1 ; colonnes F = 1 puis 2
    assert grid[0, 1] == 40.0 and grid[1, 0] == 10.0
    assert np.isnan(grid[0, 0]) and np.isnan(grid[1, 1])
    counts = plots.rfm_heatmap(scores, value="clients")
    assert np.ma.filled(counts.axes[0].collections[0].get_array(), np.nan)[0, 1] == 2
    assert counts.axes[0].get_title() == "Nombre de clients par case R × F"
    with pytest.raises(DataError, match="montant"):
        plots.rfm_heatmap(scores, value="median")
    with pytest.raises(DataError, match="R"):
        plots.rfm_heatmap(scores.drop(columns="R"))


def test_rfm_heatmap_labels_up_to_five_bins_and_round_colour_scale() -> None:
    from coursehelpers.plots import update_rfm_heatmap

    # 6 notes : 36 cases, trop petites pour un chiffre ; la plus grande case vaut 43 €
    r = np.repeat(np.arange(1, 7), 6)
    f = np.tile(np.arange(1, 7), 6)
    scores = pd.DataFrame({"R": r, "F": f, "montant": np.where((r == 6) & (f == 6), 43.0, 10.0)})
    fig = plots.rfm_heatmap(scores)
    ax = fig.axes[0]
    assert not any(t.get_visible() for t in ax.texts)
    assert ax.collections[0].get_clim() == (0.0, 50.0)  # 43 → 50 (échelle 1 ; 1,5 ; 2 ; 2,5 ; 3 ; 4 ; 5...)
    texts = list(ax.texts)
    small = pd.DataFrame({"R": [1, 1, 2], "F": [1, 2, 1], "montant": [100.0, 200.0, 300.0]})
    assert update_rfm_heatmap(fig, small) is not None  # 2 notes : même figure, mise à jour sur place
    assert list(ax.texts) == texts  # étiquettes réutilisées, pas recréées
    shown = {t.get_position(): t.get_text().replace("\xa0", " ") for t in ax.texts if t.get_visible()}
    # ligne 0 = R 2, ligne 1 = R 1 ; colonne 0 = F 1 ; la case (R 2, F 2) est vide
    assert shown == {(0, 0): "300 €", (0, 1): "100 €", (1, 1): "200 €"}
    assert ax.collections[0].get_clim() == (0.0, 300.0)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["2", "1"]
    colours = {t.get_text().replace("\xa0", " "): t.get_color() for t in ax.texts if t.get_visible()}
    assert colours == {"300 €": "black", "200 €": "black", "100 €": "white"}  # > moitié de l'échelle : noir
    with pytest.raises(DataError, match="≥ 1"):
        plots.rfm_heatmap(small.assign(R=[0, 1, 2]))


def test_segment_bars_two_bars_per_segment() -> None:
    summary = pd.DataFrame({"part_clients": [0.2, 0.8], "part_ca": [0.7, 0.3]}, index=["A", "B"])
    fig = plots.segment_bars(summary)
    ax = fig.axes[0]
    assert sorted(round(p.get_width(), 6) for p in ax.patches) == [0.2, 0.3, 0.7, 0.8]
    assert _top_to_bottom(ax) == ["A", "B"]
    assert ax.get_ylabel() == "Segment"


def test_segment_profile_index_base_100() -> None:
    profile = pd.DataFrame({"effectif": [2, 2, 4], "age": [30.0, 50.0, 40.0]},
                           index=["Jeunes", "Seniors", "Ensemble"])
    fig = plots.segment_profile(profile)
    grid = np.asarray(fig.axes[0].images[0].get_array(), dtype=float)
    assert grid[:, 0].tolist() == [75.0, 125.0]
    with pytest.raises(DataError, match="Ensemble"):
        plots.segment_profile(profile.drop(index="Ensemble"))


def test_segment_profile_scale_is_a_ratio_never_negative_with_french_labels() -> None:
    """Un indice base 100 ne peut pas être négatif ; une valeur extrême (641) n'écrase pas les autres."""
    profile = pd.DataFrame({"commandes": [6.41 * 11.4, 9.4, 4.2, 11.4], "age": [46.0, 34, 59, 46]},
                           index=["Passionnés", "Jeunes", "Seniors", "Ensemble"])
    fig = plots.segment_profile(profile)
    ax, bar = fig.axes
    norm = ax.images[0].norm
    assert norm.vmin > 0 and norm.vmin * norm.vmax == pytest.approx(100 * 100)  # symétrique en rapport
    # ÷ 2 et × 2 sont à égale distance de 100 sur l'échelle des couleurs
    assert norm(200) - norm(100) == pytest.approx(norm(100) - norm(50))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Commandes", "Âge (ans)"]
    assert "Indice" in bar.get_ylabel()


def test_wheel_of_loyalty_has_three_stages_and_their_levers() -> None:
    fig = plots.wheel_of_loyalty()
    texts = " ".join(_texts(fig)).replace("\n", " ")
    for word in ("Construire les fondations", "Créer des liens de fidélité", "Réduire les facteurs",
                 "Vente croisée", "coûts de changement", "réclamations", "Fidélité"):
        assert word in texts
    wedges = [p for p in fig.axes[0].patches if type(p).__name__ == "Wedge"]
    assert len(wedges) == 3 + sum(len(v) for v in plots.WHEEL_STAGES.values())
    focus = plots.wheel_of_loyalty(highlight="liens")
    alphas = {p.get_alpha() for p in focus.axes[0].patches if type(p).__name__ == "Wedge"}
    assert alphas == {0.35, 1.0}
    with pytest.raises(DataError, match="highlight"):
        plots.wheel_of_loyalty(highlight=4)


def test_retention_curves_one_line_per_cohort() -> None:
    table = pd.DataFrame({0: [1.0, 1.0], 1: [0.6, np.nan]}, index=["2023", "2024"])
    ax = plots.retention_curves(table).axes[0]
    assert len(ax.lines) == 2 and ax.get_ylabel() == "Part des clients encore actifs"
    with pytest.raises(DataError, match="entre 0 et 1"):
        plots.retention_curves(table * 10)


def test_satisfaction_by_channel_sorted_means() -> None:
    contacts = pd.DataFrame({"canal": ["FAQ", "FAQ", "téléphone"], "satisfaction": [2, 4, 5]})
    ax = plots.satisfaction_by_channel(contacts).axes[0]
    assert [p.get_width() for p in ax.patches] == [5.0, 3.0]
    assert _top_to_bottom(ax) == ["téléphone", "FAQ"]  # meilleure note en haut
    assert f"50{NB}% satisfaits" in _texts(ax.figure)
    with pytest.raises(DataError, match="canal"):
        plots.satisfaction_by_channel(contacts.rename(columns={"canal": "media"}))


def test_clv_sensitivity_point_matches_kpis_clv() -> None:
    fig = plots.clv_sensitivity(margin=100, discount_rate=0.1, horizon=3, retention=0.8)
    point = fig.axes[0].lines[-1]
    expected = kpis.clv(margin=100, retention=0.8, discount_rate=0.1, years=3)
    assert point.get_ydata()[0] == pytest.approx(expected) == pytest.approx(225.62, abs=0.01)
    with pytest.raises(DataError, match="horizon"):
        plots.clv_sensitivity(margin=100, horizon=0)


def test_clv_curve_marks_break_even_year() -> None:
    table = pd.DataFrame({"annee": [1, 2, 3], "clv_cumulee": [100.0, 170.0, 219.0]})
    fig = plots.clv_curve(table, acquisition_cost=150)
    assert "rentable en année 2" in _texts(fig)
    with pytest.raises(DataError, match="clv_cumulee"):
        plots.clv_curve(table.drop(columns="clv_cumulee"))


def test_clv_curve_break_even_label_clear_of_cost_line() -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    # seuil atteint en année 1 (bord gauche), en année 2, et en dernière année (haut du cadre)
    table = pd.DataFrame({"annee": [1, 2, 3, 4], "clv_cumulee": [100.0, 170.0, 219.0, 240.0]})
    for cost, year in ((90.0, 1), (150.0, 2), (239.0, 4)):
        fig = plots.clv_curve(table, acquisition_cost=cost)
        renderer = FigureCanvasAgg(fig).get_renderer()
        fig.draw(renderer)
        ax = fig.axes[0]
        (note,) = [t for t in ax.texts if t.get_text() == f"rentable en année {year}"]
        box = Text.get_window_extent(note, renderer)  # le texte seul, sans la flèche
        cost_y = ax.transData.transform((0.0, cost))[1]  # ordonnée (en pixels) des pointillés du coût
        assert box.y0 > cost_y + 5, (cost, box, cost_y)  # au-dessus, sans toucher la ligne
        frame = ax.get_window_extent(renderer)
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and box.y1 <= frame.y1  # dans le cadre


def test_channel_bars_ylabel_and_negative_values() -> None:
    nps = pd.Series({"magasin": 42.0, "chat": -31.0, "FAQ": 3.0})
    fig = plots.channel_bars(nps, title="NPS par canal", xlabel="NPS", ylabel="Canal")
    ax = fig.axes[0]
    assert ax.get_ylabel() == "Canal" and _top_to_bottom(ax) == ["magasin", "chat", "FAQ"]
    assert [p.get_width() for p in ax.patches] == [42.0, -31.0, 3.0]
    left, right = ax.get_xlim()
    # droite : 42 × 1,18 = 49,6 → 50 ; gauche : 31 × 1,18 + 0,12 × (50 + 31) = 46,3 → −50
    assert (left, right) == (-50.0, 50.0)
    zero = [line for line in ax.lines if line.get_visible()]
    assert len(zero) == 1 and list(zero[0].get_xdata()) == [0, 0]  # trait du zéro
    notes = {t.get_text().replace("\u2212", "-"): t for t in ax.texts}
    assert notes["-31"].get_horizontalalignment() == "right" and notes["-31"].xyann[0] < 0
    assert notes["42"].get_horizontalalignment() == "left" and notes["42"].xyann[0] > 0
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    bar = ax.patches[1].get_window_extent(renderer)
    box = notes["-31"].get_window_extent(renderer)
    assert box.x1 <= bar.x0 and box.x0 >= ax.get_window_extent(renderer).x0  # à gauche de la barre
    # que du positif : axe à partir de zéro, pas de trait, étiquette par défaut
    pos = plots.channel_bars(pd.Series({"a": 2.0, "b": 1.0}), title="T", xlabel="X").axes[0]
    assert pos.get_xlim()[0] == 0 and not any(line.get_visible() for line in pos.lines)
    assert pos.get_ylabel() == "Canal de contact"


def test_ax_argument_draws_into_given_axes() -> None:
    fig, ax = new_axes(None)
    out = plots.pareto_curve(pd.Series([3.0, 2, 1]), ax=ax)
    assert out is fig and ax.get_title().startswith("Courbe")
    with pytest.raises(DataError, match="ax"):
        plots.pareto_curve(pd.Series([3.0, 2, 1]), ax="axe")


def test_figures_render_to_png() -> None:
    png = figure_png(plots.clv_sensitivity(margin=50))
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000


def test_bundled_data_figures_have_french_titles() -> None:
    from coursehelpers import datasets, rfm

    tx = datasets.load_transactions()
    scores = rfm.rfm_scores(rfm.rfm_table(tx))
    for fig in (plots.rfm_heatmap(scores), plots.segment_bars(rfm.rfm_segments(scores)),
                plots.retention_curves(kpis.cohort_retention(tx)),
                plots.satisfaction_by_channel(datasets.load_contacts())):
        ax = fig.axes[0]
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
        assert not any(word in ax.get_title().lower() for word in ("revenue", "customer", "count"))


def test_customer_pyramid_title_does_not_cover_the_reading_labels() -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = plots.customer_pyramid(pd.Series([900.0, 50, 40, 30, 20, 10, 5, 5, 3, 2]))
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    ax = fig.axes[0]
    title = ax.title.get_window_extent(renderer)
    labels = [t for t in ax.texts if t.get_text() in ("← part des clients", "part du chiffre d'affaires →")]
    assert len(labels) == 2
    for label in labels:
        box = label.get_window_extent(renderer)
        assert box.y1 <= title.y0  # sous le titre, sans chevauchement
        assert box.y0 >= ax.get_window_extent(renderer).y1  # au-dessus du cadre
