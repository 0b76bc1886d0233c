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
Le temps **CPU** du rappel (``time.thread_time``, le temps où ce fil a vraiment calculé) est
mesuré aussi : sur une machine chargée, le temps écoulé (« mur ») compte l'attente du processeur,
pas le temps CPU. Objectif du cours : ≤ 50 ms par rappel sur une machine au repos ; on vise
≤ 35 ms CPU pour garder de la marge. La charge de la machine (``os.getloadavg``) est affichée.
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
CPU_TARGET_MS = 35.0
#: Grille de scoring du chapitre 07 (sans la colonne ``code_naf``, qui demande la table des secteurs).
LEAD_GRID = {
    "categorie_entreprise": {"TPE": 5, "PME": 15, "ETI": 25, "GE": 30},
    "source": {"recommandation client": 20, "formulaire web": 15, "salon professionnel": 10,
               "base Sirene": 5, "fichier loué": 0},
}
FACTORIES = ("channel_explorer", "pyramid_explorer", "abc_explorer", "rfm_explorer",
             "segmentation_explorer", "clv_simulator", "loyalty_explorer", "kpi_dashboard_explorer",
             "privacy_explorer", "lead_scoring_explorer", "reviews_explorer")


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
    if factory == "privacy_explorer":
        dates = list(explorer.controls["date"].options)
        return [{"date": dates[i % len(dates)], "retention_years": 1 + i // len(dates) % 5,
                 "file": ("clients", "prospects")[i // 30 % 2]} for i in range(count)]
    if factory == "lead_scoring_explorer":
        return [{"seuil_chaud": 50 + 5 * (i % 9), "seuil_froid": 20 + 5 * (i // 9 % 6)} for i in range(count)]
    if factory == "reviews_explorer":
        quarters = list(explorer.controls["periode"].options)
        span = len(quarters) - 1
        return [{"periode": (quarters[i % span], quarters[-1]), "seuil": 1 + i // span % 3}
                for i in range(count)]
    raise ValueError(factory)


def make(factory: str) -> Any:
    """L'explorateur ``factory`` sur les données du cours (grille du chapitre 07 pour le scoring)."""
    if factory == "lead_scoring_explorer":
        return widgets.lead_scoring_explorer(grid=LEAD_GRID)
    return getattr(widgets, factory)()


def reference(repeat: int = 9) -> tuple[float, float]:
    """Médianes (mur, CPU) d'un ``savefig`` PNG d'une figure triviale (taille et résolution d'une
    figure du cours)."""
    fig = Figure(figsize=(7.0, 4.2), dpi=90)
    fig.add_subplot().plot([0, 1], [0, 1])
    walls, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.thread_time()
        figure_png(fig)
        walls.append((time.perf_counter() - start) * 1000)
        cpus.append((time.thread_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def bench(factory: str, count: int) -> dict[str, float]:
    refs = [reference()]
    start = time.perf_counter()
    explorer = make(factory)
    explorer.bundles  # noqa: B018 - vue par défaut déjà prête (figure et tableaux)
    build = (time.perf_counter() - start) * 1000
    moves = _moves(factory, explorer, count)
    result: dict[str, float] = {"build": build}
    for label in ("cold", "warm"):  # 1er passage : calculé ; 2e : retrouvé dans le cache
        totals, computes, renders, cpus = [], [], [], []
        for move in moves:
            cpu = time.thread_time()
            explorer.update(**move)
            cpus.append((time.thread_time() - cpu) * 1000)
            totals.append(explorer.last_callback_ms)
            computes.append(explorer.last_compute_ms)
            renders.append(getattr(explorer, "last_render_ms",
                                   explorer.last_callback_ms - explorer.last_compute_ms))
        result[f"{label}_total"] = statistics.median(totals)
        result[f"{label}_compute"] = statistics.median(computes)
        result[f"{label}_render"] = statistics.median(renders)
        result[f"{label}_cpu"] = statistics.median(cpus)
        refs.append(reference())
    result["reference"] = statistics.median(r[0] for r in refs)
    result["reference_cpu"] = statistics.median(r[1] for r in refs)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=12, help="réglages différents par explorateur")
    parser.add_argument("--only", nargs="*", default=None, help="explorateurs à mesurer (défaut : tous)")
    args = parser.parse_args()
    load = " ; ".join(f"{x:.1f}".replace(".", ",") for x in os.getloadavg())
    print(f"charge de la machine (1, 5, 15 min) : {load} — {os.cpu_count()} cœurs")
    head = (f"{'explorateur':<24}{'création':>9}{'rappel':>9}{'CPU':>8}{'calcul':>8}{'rendu':>8}"
            f"{'× réf.':>8}{'CPU×réf.':>9}{'en cache':>10}{'réf.':>8}{'réf.CPU':>8}")
    print(head)
    print("-" * len(head))
    worst = worst_cpu = 0.0
    for factory in args.only or FACTORIES:
        r = bench(factory, args.moves)
        worst, worst_cpu = max(worst, r["cold_total"]), max(worst_cpu, r["cold_cpu"])
        print(f"{factory:<24}{r['build']:>6.0f} ms{r['cold_total']:>6.1f} ms{r['cold_cpu']:>5.1f} ms"
              f"{r['cold_compute']:>5.1f} ms{r['cold_render']:>5.1f} ms"
              f"{r['cold_total'] / r['reference']:>7.2f}×"
              f"{r['cold_cpu'] / r['reference_cpu']:>8.2f}×{r['warm_total']:>7.1f} ms"
              f"{r['reference']:>5.1f} ms{r['reference_cpu']:>5.1f} ms")
    print("-" * len(head))
    print("rappel = médiane (temps écoulé) sur des réglages tous différents (rien en cache) "
          "= calcul + rendu ;\nCPU = temps CPU de ce fil pendant le même rappel ; "
          "en cache = même réglage revu ;\n"
          "réf. = savefig PNG d'une figure triviale mesuré dans cette exécution (mur et CPU).\n"
          f"Objectif : rappel ≤ {TARGET_MS:.0f} ms sur machine au repos, ≤ {CPU_TARGET_MS:.0f} ms CPU "
          f"(ici, le plus lent : {worst:.1f} ms écoulés, {worst_cpu:.1f} ms CPU).")


if __name__ == "__main__":
    main()
