"""Temps d'exécution de chaque chapitre, rapporté au plancher d'un noyau neuf.

Plancher mesuré dans la même exécution : démarrer un noyau Python neuf et y exécuter
``import pandas`` (c'est ce que paie tout notebook avant sa première vraie cellule). Chaque
chapitre est exécuté de la même façon (noyau neuf, nbclient, mêmes variables d'environnement
que la régression des sorties) ; le ratio temps du chapitre / plancher doit rester sous
``LIMIT`` (2,5). Le plancher est le minimum de trois mesures (le moins perturbé par la machine),
chaque chapitre le minimum de deux.

Lancer : ``python benchmarks/bench_chapters.py`` (tous les chapitres) ou
``python benchmarks/bench_chapters.py 03 05 07`` ; code de sortie 1 si un chapitre dépasse.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 2.5
ENV = {"PYTHONHASHSEED": "0", "MPLBACKEND": "module://matplotlib_inline.backend_inline"}


def _run(nb: nbformat.NotebookNode, cwd: Path) -> float:
    start = time.perf_counter()
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(cwd)}}).execute()
    return time.perf_counter() - start


def floor() -> float:
    """Noyau neuf + ``import pandas`` : le minimum de trois mesures, en secondes."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import pandas")])
    return min(_run(nb, ROOT / "chapters") for _ in range(3))


def chapter_time(path: Path, repeat: int = 2) -> float:
    return min(_run(nbformat.read(path, as_version=4), path.parent) for _ in range(repeat))


def main(argv: list[str]) -> int:
    os.environ.update(ENV)
    chapters = sorted((ROOT / "chapters").glob("*.ipynb"))
    if argv:
        chapters = [p for p in chapters if any(p.name.startswith(a) for a in argv)]
    base = floor()
    print(f"plancher (noyau neuf + import pandas) : {base:.2f} s")
    worst = 0.0
    for path in chapters:
        t = chapter_time(path)
        ratio = t / base
        worst = max(worst, ratio)
        flag = "" if ratio <= LIMIT else f"  > {LIMIT}"
        print(f"{path.stem:32} {t:6.2f} s  {ratio:4.2f} × plancher{flag}")
    return 0 if worst <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
