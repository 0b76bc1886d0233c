"""Banc d'essai des explorateurs : durée médiane d'un rappel (contrôle déplacé) sur les données du cours.

Lancer : ``python benchmarks/bench_widgets.py [--moves 12]``.

Un « rappel » est ce que le noyau fait quand l'élève bouge un contrôle : recalcul des
résultats (fonctions d'analyse, tableaux au format français), mise à jour de la figure,
dessin + encodage PNG et HTML des tableaux, prêts à être envoyés au navigateur.

Pour chaque explorateur, on déplace un contrôle qui change la figure sur ``--moves`` valeurs
toutes différentes (1er passage : rien en cache, c'est le cas mesuré contre l'objectif), puis
on repasse sur les mêmes valeurs (2e passage : réglages retrouvés dans le cache). On affiche
la médiane du rappel complet, sa partie « calcul » (analyse, tableaux, artistes mis à jour) et
sa partie « rendu » (PNG de la figure, HTML des tableaux).

La machine est partagée et bruyante : une **référence** est mesurée dans la même exécution,
juste avant chaque explorateur (``savefig`` PNG d'une figure triviale : un axe, une droite,
7 × 4,2 pouces à 90 ppp), et chaque médiane est aussi donnée en multiple de cette référence.
Objectif du cours : ≤ 50 ms de travail par rappel.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from typing import Any

os.environ.setdefault("MPLBACKEND", "Agg")

from matplotlib.figure import Figure

from coursehelpers import widgets
from coursehelpers.plots import figure_png

TARGET_MS = 50.0


def _moves(factory: str, explorer: Any, count: int) -> list[dict[str, Any]]:
    """``count`` réglages successifs, tous différents, d'un contrôle qui change la figure."""
    if factory == "channel_explorer":
        quarters = list(explorer.controls["periode"].options)
        ends = [quarters[-1 - i % (len(quarters) - 1)] for i in range(count)]
        starts = [quarters[i // (len(quarters) - 1) % (len(quarters) - 1)] for i in range(count)]
        return [{"periode": (s, e)} for s, e in zip(starts, ends, strict=True)]
    if factory == "pyramid_explorer":
        return [{"platinum": round(0.02 + 0.01 * i, 2)} for i in range(count)]
    if factory == "abc_explorer":
        return [{"seuil_a": round(0.60 + 0.01 * i, 2)} for i in range(count)]
    if factory == "rfm_explorer":
        dates = list(explorer.controls["date_reference"].options)
        out = []
        for i in range(count):  # date de référence et nombre de notes, tour à tour
            out.append({"bins": 3 + i % 7} if i % 2 == 0 else {"date_reference": dates[i // 2 % len(dates)]})
        return out
    if factory == "segmentation_explorer":
        return [{"ages": (20 + i, 50)} for i in range(count)]
    if factory == "clv_simulator":
        return [{"retention": round(0.05 + 0.05 * (i % 19), 2), "horizon": 10 + i // 19}
                for i in range(count)]
    if factory == "loyalty_explorer":
        levers = list(explorer.controls["levier"].options)
        return [{"commandes": (1 + i % 6, 8 + i)} if i % 2 == 0 else {"levier": levers[i // 2 % len(levers)]}
                for i in range(count)]
    if factory == "kpi_dashboard_explorer":
        indicators = list(explorer.controls["indicateur"].options)
        segments = list(explorer.controls["segment"].options)
        return [{"indicateur": indicators[i % len(indicators)], "segment": segments[i // len(indicators)
                                                                                   % len(segments)]}
                for i in range(count)]
    raise ValueError(factory)


def reference(repeat: int = 9) -> float:
    """Médiane d'un ``savefig`` PNG d'une figure triviale (taille et résolution d'une figure du cours)."""
    fig = Figure(figsize=(7.0, 4.2), dpi=90)
    fig.add_subplot().plot([0, 1], [0, 1])
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        figure_png(fig)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench(factory: str, count: int) -> dict[str, float]:
    refs = [reference()]
    start = time.perf_counter()
    explorer = getattr(widgets, factory)()
    explorer.bundles  # noqa: B018 - vue par défaut déjà prête (figure et tableaux)
    build = (time.perf_counter() - start) * 1000
    moves = _moves(factory, explorer, count)
    result: dict[str, float] = {"build": build}
    for label in ("cold", "warm"):  # 1er passage : calculé ; 2e : retrouvé dans le cache
        totals, computes, renders = [], [], []
        for move in moves:
            explorer.update(**move)
            totals.append(explorer.last_callback_ms)
            computes.append(explorer.last_compute_ms)
            renders.append(getattr(explorer, "last_render_ms",
                                   explorer.last_callback_ms - explorer.last_compute_ms))
        result[f"{label}_total"] = statistics.median(totals)
        result[f"{label}_compute"] = statistics.median(computes)
        result[f"{label}_render"] = statistics.median(renders)
        refs.append(reference())
    result["reference"] = statistics.median(refs)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=12, help="réglages différents par explorateur")
    args = parser.parse_args()
    head = (f"{'explorateur':<22}{'création':>9}{'rappel':>9}{'calcul':>8}{'rendu':>8}{'× réf.':>8}"
            f"{'en cache':>10}{'référence':>11}")
    print(head)
    print("-" * len(head))
    worst = 0.0
    for factory in ("channel_explorer", "pyramid_explorer", "abc_explorer", "rfm_explorer",
                    "segmentation_explorer", "clv_simulator", "loyalty_explorer", "kpi_dashboard_explorer"):
        r = bench(factory, args.moves)
        worst = max(worst, r["cold_total"])
        print(f"{factory:<22}{r['build']:>6.0f} ms{r['cold_total']:>6.1f} ms{r['cold_compute']:>5.1f} ms"
              f"{r['cold_render']:>5.1f} ms{r['cold_total'] / r['reference']:>7.2f}×"
              f"{r['warm_total']:>7.1f} ms{r['reference']:>8.1f} ms")
    print("-" * len(head))
    print("rappel = médiane sur des réglages tous différents (rien en cache) = calcul + rendu ; "
          "en cache = même réglage revu ;\nréférence = savefig PNG d'une figure triviale mesuré dans "
          f"cette exécution. Objectif : rappel ≤ {TARGET_MS:.0f} ms (le plus lent ici : {worst:.1f} ms).")


if __name__ == "__main__":
    main()
