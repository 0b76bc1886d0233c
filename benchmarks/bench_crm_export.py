"""Vitesse de read_crm_export sur un export désordonné de 100 000 lignes.

Référence mesurée dans la même exécution : ``pandas.read_csv`` sur le même contenu déjà propre
(UTF-8, virgule, point décimal, dates ISO). Le ratio dit ce que coûte la lecture « à la française »
avec tous ses contrôles.  Lancer : ``python benchmarks/bench_crm_export.py``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from coursehelpers.crm_export import read_crm_export
from coursehelpers.errors import DataWarning

N = 100_000
NBSP = "\u00a0"


def _files(folder: Path) -> tuple[Path, Path]:
    rng = np.random.default_rng(1)
    ids = np.char.mod("%06d", rng.integers(0, 20_000, N))
    days, months = rng.integers(1, 29, N), rng.integers(1, 13, N)
    cents = rng.integers(0, 3_000_000, N)
    messy = [f"{i};{d:02d}/{m:02d}/2023 10:15;{c // 100:,}".replace(",", NBSP) + f",{c % 100:02d} €"
             for i, d, m, c in zip(ids, days, months, cents, strict=True)]
    clean = [f"{i},2023-{m:02d}-{d:02d} 10:15,{c / 100:.2f}"
             for i, d, m, c in zip(ids, days, months, cents, strict=True)]
    a, b = folder / "export.csv", folder / "propre.csv"
    a.write_bytes(("N° client;Date de commande;Montant TTC\n" + "\n".join(messy) + "\n").encode("cp1252"))
    b.write_text("client_id,date,montant\n" + "\n".join(clean) + "\n", encoding="utf-8")
    return a, b


def _median(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        messy, clean = _files(Path(tmp))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataWarning)
            ours = _median(lambda: read_crm_export(messy, today="2024-01-01"))
        ref = _median(lambda: pd.read_csv(clean, dtype={"client_id": str}, parse_dates=["date"]))
    print(f"read_crm_export, {N} lignes désordonnées : {ours:.3f} s (médiane de 5)")
    print(f"pandas.read_csv, même contenu propre     : {ref:.3f} s (médiane de 5)")
    print(f"ratio : {ours / ref:.1f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
