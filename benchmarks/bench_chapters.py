"""Temps d'exécution de chaque chapitre, rapporté au plancher d'un noyau neuf.

Plancher : démarrer un noyau Python neuf et y exécuter ``import pandas`` (c'est ce que paie
tout notebook avant sa première vraie cellule). Chaque chapitre est exécuté de la même façon
(noyau neuf, nbclient, mêmes variables d'environnement que la régression des sorties).

La machine est partagée : une mesure isolée dépend de la charge du moment. On exécute donc
plancher puis chapitre **l'un après l'autre**, ``REPEAT`` fois (3), et l'on garde la **médiane
des rapports** chapitre / plancher de chaque paire. Deux rapports sont donnés :

- temps écoulé (horloge murale) ;
- temps CPU du noyau (utilisateur + système, lu avec psutil juste avant l'arrêt du noyau),
  moins sensible aux autres programmes qui se partagent les cœurs.

Le rapport (temps écoulé) doit rester sous ``LIMIT`` (2,5). La charge moyenne de la machine
(``os.getloadavg``) est affichée au début et à la fin.

Lancer : ``python benchmarks/bench_chapters.py`` (tous les chapitres) ou
``python benchmarks/bench_chapters.py 04 06 10`` ; code de sortie 1 si un chapitre dépasse.
``--plancher-matplotlib`` : plancher = noyau neuf + ``import pandas`` + ``import matplotlib.pyplot``
(ce que tout chapitre importe dans sa première cellule), pour comparer ; la limite officielle
reste celle du plancher sans matplotlib.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 2.5
REPEAT = 3
ENV = {"PYTHONHASHSEED": "0", "MPLBACKEND": "module://matplotlib_inline.backend_inline"}


def _run(nb: nbformat.NotebookNode, cwd: Path) -> tuple[float, float]:
    """Exécute ``nb`` dans un noyau neuf : (temps écoulé, temps CPU du noyau), en secondes."""
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(cwd)}})
    start = time.perf_counter()
    with client.setup_kernel(cwd=str(cwd)):
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        cpu = psutil.Process(client.km.provisioner.pid).cpu_times()
    wall = time.perf_counter() - start
    return wall, cpu.user + cpu.system


FLOOR = "import pandas"


def _floor_nb() -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR)])


def measure(path: Path, repeat: int = REPEAT) -> dict[str, float]:
    """Paires plancher → chapitre, ``repeat`` fois : médianes des temps et des rapports."""
    pairs = []
    for _ in range(repeat):
        base = _run(_floor_nb(), ROOT / "chapters")
        chap = _run(nbformat.read(path, as_version=4), path.parent)
        pairs.append((base, chap))
    med = statistics.median
    return {
        "floor_wall": med(b[0] for b, _ in pairs), "wall": med(c[0] for _, c in pairs),
        "ratio_wall": med(c[0] / b[0] for b, c in pairs),
        "floor_cpu": med(b[1] for b, _ in pairs), "cpu": med(c[1] for _, c in pairs),
        "ratio_cpu": med(c[1] / b[1] for b, c in pairs),
    }


def main(argv: list[str]) -> int:
    global FLOOR
    os.environ.update(ENV)
    if "--plancher-matplotlib" in argv:
        argv = [a for a in argv if a != "--plancher-matplotlib"]
        FLOOR = "import pandas\nimport matplotlib.pyplot"
    print("plancher : noyau neuf + " + FLOOR.replace("\n", " + "))
    chapters = sorted((ROOT / "chapters").glob("*.ipynb"))
    if argv:
        chapters = [p for p in chapters if any(p.name.startswith(a) for a in argv)]
    print("charge moyenne (1, 5, 15 min) : " + " ; ".join(f"{v:.2f}" for v in os.getloadavg()))
    print(f"{'chapitre':30} {'plancher':>8} {'temps':>7} {'rapport':>7} │ "
          f"{'pl. CPU':>7} {'CPU':>6} {'rapport':>7}")
    worst = 0.0
    for path in chapters:
        m = measure(path)
        worst = max(worst, m["ratio_wall"])
        flag = "" if m["ratio_wall"] <= LIMIT else f"  > {LIMIT}"
        print(f"{path.stem:30} {m['floor_wall']:7.2f}s {m['wall']:6.2f}s {m['ratio_wall']:6.2f}× │ "
              f"{m['floor_cpu']:6.2f}s {m['cpu']:5.2f}s {m['ratio_cpu']:6.2f}×{flag}")
    print("charge moyenne (1, 5, 15 min) : " + " ; ".join(f"{v:.2f}" for v in os.getloadavg()))
    return 0 if worst <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
