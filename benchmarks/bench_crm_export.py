"""Vitesse de read_crm_export sur un export français désordonné de 100 000 lignes.

Le fichier : Windows-1252, séparateur « ; », virgule décimale, espaces insécables entre les
milliers, « € », dates jj/mm/aaaa hh:mm, identifiants à zéros en tête.

Référence mesurée dans la même exécution : ce qu'un utilisateur de pandas écrirait à la main
pour **ce** fichier, en connaissant son format (``read_csv`` avec ``sep`` et ``encoding``,
nettoyage vectorisé ``.str`` du montant, ``to_datetime(dayfirst=True, format=...)``), sans
aucun contrôle. read_crm_export, lui, devine le format et vérifie tout (encodage, séparateur,
en-tête, décimale, montants, dates impossibles, lignes vides, lignes « Total »...).
Objectif : au plus 2 × la référence. Les deux lectures doivent donner les mêmes valeurs.

Lancer : ``python benchmarks/bench_crm_export.py [--rows 100000] [--repeat 5]``.
"""

from __future__ import annotations

import argparse
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

NBSP = "\u00a0"


def write_export(folder: Path, rows: int) -> Path:
    """L'export désordonné, écrit en cp1252 comme par Excel."""
    rng = np.random.default_rng(1)
    ids = np.char.mod("%06d", rng.integers(0, 20_000, rows))
    days, months = rng.integers(1, 29, rows), rng.integers(1, 13, rows)
    hours, minutes = rng.integers(8, 20, rows), rng.integers(0, 60, rows)
    cents = rng.integers(1, 3_000_000, rows)
    lines = [f"{i};{d:02d}/{m:02d}/2023 {h:02d}:{mi:02d};" + f"{c // 100:,}".replace(",", NBSP)
             + f",{c % 100:02d} €"
             for i, d, m, h, mi, c in zip(ids, days, months, hours, minutes, cents, strict=True)]
    path = folder / "export.csv"
    path.write_bytes(("N° client;Date de commande;Montant TTC\r\n" + "\r\n".join(lines) + "\r\n")
                     .encode("cp1252"))
    return path


def by_hand(path: Path) -> pd.DataFrame:
    """Ce qu'on écrit à la main quand on connaît le format du fichier (aucun contrôle)."""
    df = pd.read_csv(path, sep=";", encoding="cp1252", dtype={"N° client": str})
    amount = (df["Montant TTC"].str.replace(NBSP, "", regex=False).str.replace("€", "", regex=False)
              .str.strip().str.replace(",", ".", regex=False).astype("float64"))
    return pd.DataFrame({"client_id": df["N° client"],
                         "date": pd.to_datetime(df["Date de commande"], dayfirst=True,
                                                format="%d/%m/%Y %H:%M"),
                         "montant": amount})


def ours(path: Path) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return read_crm_export(path, today="2024-01-01")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = write_export(Path(tmp), args.rows)
        a, b = ours(path), by_hand(path)  # premier passage hors mesure ; mêmes valeurs ?
        same = (a["client_id"].tolist() == b["client_id"].tolist()
                and (a["date"].to_numpy() == b["date"].to_numpy()).all()
                and np.allclose(a["montant"], b["montant"], rtol=0, atol=1e-9))
        t_ours, t_hand = [], []
        for _ in range(args.repeat):  # exécutions alternées : la charge de la machine touche les deux
            start = time.perf_counter()
            ours(path)
            t_ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            by_hand(path)
            t_hand.append(time.perf_counter() - start)
    mine, ref = statistics.median(t_ours), statistics.median(t_hand)
    try:
        import pyarrow
        arrow = f"pyarrow {pyarrow.__version__}"
    except ImportError:
        arrow = "pyarrow absent"
    print(f"pandas {pd.__version__}, {arrow} ; {args.rows:_} lignes désordonnées".replace("_", " "))
    print(f"  read_crm_export (détection + contrôles) : {mine * 1000:8.1f} ms (médiane de {args.repeat})")
    print(f"  pandas écrit à la main pour ce fichier  : {ref * 1000:8.1f} ms")
    print(f"  rapport read_crm_export / à la main     : {mine / ref:8.2f} × (objectif ≤ 2 ×)")
    print(f"  mêmes valeurs                           : {'oui' if same else 'NON'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
