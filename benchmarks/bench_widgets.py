"""Banc d'essai des explorateurs : durée médiane d'un rappel (curseur déplacé) sur les données du cours.

Lancer : ``python benchmarks/bench_widgets.py [--repeat 15]``.

Un « rappel » est ce que le noyau fait quand l'élève bouge un contrôle : recalcul des
résultats (fonctions d'analyse, tableaux au format français), dessin de la figure et
encodage PNG, prêts à être envoyés au navigateur. On affiche pour chaque explorateur la
médiane du rappel complet, sa partie « calcul » (analyse + tableaux + construction de la
figure, sans la dessiner) et, mesuré à part, le dessin + encodage PNG de la figure (matplotlib).
Objectif du cours : ≤ 50 ms de travail par rappel.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("MPLBACKEND", "Agg")

from coursehelpers import widgets
from coursehelpers._plot_style import figure_png

# Explorateur → deux réglages alternés du premier curseur (un vrai changement à chaque rappel).
MOVES = {
    "channel_explorer": ("seuil", 3, 4),
    "pyramid_explorer": ("platinum", 0.04, 0.05),
    "abc_explorer": ("seuil_a", 0.75, 0.80),
    "rfm_explorer": ("bins", 4, 5),
    "segmentation_explorer": ("ages", (28, 50), (30, 50)),
    "clv_simulator": ("retention", 0.75, 0.70),
}


def bench(factory: str, repeat: int) -> tuple[float, float, float, float]:
    start = time.perf_counter()
    explorer = getattr(widgets, factory)()
    build = (time.perf_counter() - start) * 1000
    name, first, second = MOVES[factory]
    totals, computes, images = [], [], []
    for i in range(repeat):
        explorer.update(**{name: first if i % 2 == 0 else second})
        totals.append(explorer.last_callback_ms)
        computes.append(explorer.last_compute_ms)
        t0 = time.perf_counter()
        figure_png(explorer.outputs["figure"])
        images.append((time.perf_counter() - t0) * 1000)
    return build, statistics.median(totals), statistics.median(computes), statistics.median(images)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    print(f"{'explorateur':<24}{'création':>10}{'rappel (médiane)':>18}{'dont calcul':>13}"
          f"{'image PNG':>12}")
    for factory in MOVES:
        build, total, compute, image = bench(factory, args.repeat)
        print(f"{factory:<24}{build:>8.0f} ms{total:>15.1f} ms{compute:>10.1f} ms{image:>9.1f} ms")


if __name__ == "__main__":
    main()
