"""Banc d'essai RFM : coursehelpers vs DuckDB SQL vs boucle Python naïve.

    python benchmarks/bench_rfm.py            # 1 000 000 transactions, 100 000 clients
    python benchmarks/bench_rfm.py --quick    # 100 000 transactions, 10 000 clients

Mesure, dans le même processus, la médiane de ``runs`` exécutions de
``rfm_scores(rfm_table(tx))``, du même calcul en SQL DuckDB (GROUP BY puis
rangs RANK() pour les notes) et d'une boucle Python client par client sur un
sous-ensemble de 10 000 lignes (temps extrapolé linéairement, ce qui le
*sous-estime* : la boucle filtre toutes les lignes pour chaque client).
Vérifie que les trois donnent les mêmes nombres et affiche la mémoire de pointe.
"""

from __future__ import annotations

import argparse
import bisect
import resource
import statistics
import time
import tracemalloc
import warnings

import duckdb
import numpy as np
import pandas as pd

from coursehelpers.errors import DataWarning
from coursehelpers.rfm import rfm_scores, rfm_table

BINS = 5


def make_transactions(n_rows: int, n_customers: int, *, seed: int = 2024) -> pd.DataFrame:
    """Transactions fictives : identifiants texte « C000123 », 2 % d'avoirs."""
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, n_customers, n_rows)
    ids = np.char.add("C", np.char.zfill(codes.astype(str), 6))
    days = rng.integers(0, 3 * 365, n_rows)
    amount = np.round(rng.gamma(2.0, 40.0, n_rows), 2)
    amount[rng.random(n_rows) < 0.02] *= -1
    return pd.DataFrame({
        "client_id": pd.array(ids.astype(object), dtype="str"),
        "date": pd.Timestamp("2023-01-01") + pd.to_timedelta(days, unit="D"),
        "montant": amount,
    })


SQL = f"""
WITH t AS (
    SELECT client_id,
           date_diff('day', max(CAST(date AS DATE)) FILTER (WHERE montant > 0),
                     (SELECT max(CAST(date AS DATE)) + 1 FROM tx)) AS recence,
           count(*) FILTER (WHERE montant > 0) AS frequence, sum(montant) AS montant
    FROM tx GROUP BY client_id
    HAVING count(*) FILTER (WHERE montant > 0) > 0)
SELECT *,
    1 + ({BINS} * (rank() OVER (ORDER BY recence DESC) - 1)) // count(*) OVER () AS R,
    1 + ({BINS} * (rank() OVER (ORDER BY frequence) - 1)) // count(*) OVER () AS F,
    1 + ({BINS} * (rank() OVER (ORDER BY round(montant, 6)) - 1)) // count(*) OVER () AS M
FROM t ORDER BY client_id
"""


def ours(tx: pd.DataFrame) -> pd.DataFrame:
    with warnings.catch_warnings():  # clients n'ayant que des avoirs : écartés, comme en SQL
        warnings.simplefilter("ignore", DataWarning)
        return rfm_scores(rfm_table(tx), bins=BINS)


def with_duckdb(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(SQL).df().set_index("client_id")


def naive(tx: pd.DataFrame) -> pd.DataFrame:
    """Ce qu'on écrirait sans connaître groupby : une boucle par client."""
    as_of = tx["date"].max().normalize() + pd.Timedelta(days=1)
    rows = {}
    for client in sorted(tx["client_id"].unique()):
        mine = tx[tx["client_id"] == client]
        buys = mine[mine["montant"] > 0]  # un avoir n'est pas un achat
        if len(buys):
            rows[client] = ((as_of - buys["date"].max().normalize()).days, len(buys),
                            mine["montant"].sum())
    table = pd.DataFrame.from_dict(rows, orient="index", columns=["recence", "frequence",
                                                                    "montant"])
    n = len(table)
    for raw, score, sign in [("recence", "R", -1), ("frequence", "F", 1), ("montant", "M", 1)]:
        keys = sorted(sign * v for v in table[raw])
        table[score] = [1 + BINS * bisect.bisect_left(keys, sign * v) // n for v in table[raw]]
    return table


def median_time(func, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def same_numbers(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    if a.index.tolist() != b.index.tolist():
        return False
    exact = all((a[c].to_numpy() == b[c].to_numpy()).all()
                for c in ("recence", "frequence", "R", "F", "M"))
    return exact and np.allclose(a["montant"], b["montant"], rtol=1e-12, atol=1e-9)


def run(tx: pd.DataFrame, label: str, runs: int) -> None:
    con = duckdb.connect()
    con.register("tx", tx)
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    # exécutions alternées : une variation de charge de la machine touche les deux
    times_ours, times_sql = [], []
    for _ in range(runs):
        t, r_ours = median_time(lambda: ours(tx), 1)
        times_ours.append(t)
        t, r_sql = median_time(lambda: with_duckdb(con), 1)
        times_sql.append(t)
    t_ours, t_sql = statistics.median(times_ours), statistics.median(times_sql)
    con.close()
    ok = same_numbers(r_ours, r_sql)
    print(f"\n[{label}] {len(tx):,} transactions, {len(r_ours):,} clients".replace(",", " "))
    lines = [
        ("coursehelpers rfm_table + rfm_scores", f"{t_ours * 1000:8.1f} ms (médiane de {runs})"),
        (f"DuckDB SQL ({threads} threads)", f"{t_sql * 1000:8.1f} ms"),
        ("rapport coursehelpers / DuckDB", f"{t_ours / t_sql:8.2f} ×"),
        ("mêmes nombres que DuckDB", "oui" if ok else "NON"),
    ]
    for name, value in lines:
        print(f"  {name:<37}: {value}")
    if not ok:
        raise SystemExit("résultats différents")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 000 lignes seulement")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    n_rows, n_customers = (100_000, 10_000) if args.quick else (1_000_000, 100_000)
    tx = make_transactions(n_rows, n_customers)

    run(tx, "client_id texte (str)", args.runs)
    run(tx.assign(client_id=tx["client_id"].astype("category")), "client_id catégoriel",
        args.runs)

    # boucle naïve : les clients C000000 à C000999, soit environ 10 000 lignes
    subset = tx[tx["client_id"] < "C001000"].reset_index(drop=True)
    scale = len(tx) / len(subset)
    t_naive, r_naive = median_time(lambda: naive(subset), 1)
    t_small, r_small = median_time(lambda: ours(subset), args.runs)
    ok = same_numbers(r_small, r_naive)
    print(f"\n[boucle naïve] sous-ensemble de {len(subset):,} lignes, "
          f"{len(r_naive):,} clients".replace(",", " "))
    print(f"  boucle Python : {t_naive * 1000:9.1f} ms, extrapolé ×{scale:.0f} : "
          f"{t_naive * scale:8.1f} s")
    print(f"  coursehelpers sur le même sous-ensemble : {t_small * 1000:.1f} ms "
          f"(×{t_naive / t_small:.0f} plus rapide) ; mêmes nombres : {'oui' if ok else 'NON'}")
    if not ok:
        raise SystemExit("résultats différents")

    tracemalloc.start()
    ours(tx)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nmémoire de pointe de rfm_table + rfm_scores (tracemalloc) : {peak / 2**20:.1f} Mio")
    print(f"mémoire résidente maximale du processus (tout compris)     : {rss:.0f} Mio")


if __name__ == "__main__":
    main()
