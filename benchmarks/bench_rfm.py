"""Banc d'essai RFM : coursehelpers vs DuckDB SQL vs boucle Python naïve.

    python benchmarks/bench_rfm.py                 # 1 000 000 transactions, 100 000 clients
    python benchmarks/bench_rfm.py --quick         # 100 000 transactions, 10 000 clients
    python benchmarks/bench_rfm.py --memory 10000000   # + mémoire de pointe sur 10 M lignes

Mesure, dans le même processus, la médiane de ``runs`` exécutions alternées de
``rfm_scores(rfm_table(tx))`` et du même calcul en SQL DuckDB (GROUP BY puis rangs RANK()
pour les notes), pour plusieurs sortes d'identifiants clients :

- identifiants courts « C000123 » et longs « CL0012345 », dans le type texte par défaut de
  pandas (``str`` : stocké par pyarrow quand pyarrow est installé) ;
- les mêmes en ``str`` stocké en objets Python (ce que donne pandas sans pyarrow) ;
- identifiants catégoriels.

Le rapport coursehelpers / DuckDB est affiché pour chacun ; les deux doivent donner les mêmes
nombres. Une boucle Python client par client, sur un sous-ensemble d'environ 10 000 lignes, sert
d'ordre de grandeur (temps extrapolé linéairement, ce qui le *sous-estime*).

Les données contiennent 2 % d'avoirs (montant négatif) et ``--zeros`` (0,5 % par défaut) de
lignes à 0 € (article offert) : une ligne à 0 € est un achat, un avoir n'en est pas un.

``--memory N`` : sur N transactions (N / 10 clients, identifiants longs, ``str`` par défaut),
mesure la mémoire de pointe de rfm_table + rfm_scores (pic de mémoire résidente du processus
pendant le calcul, remis à zéro juste avant, Linux) et la compare à la taille du tableau
d'entrée (``memory_usage(deep=True)``). Objectif : au plus 3 × la taille de l'entrée.
"""

from __future__ import annotations

import argparse
import bisect
import gc
import statistics
import time
import tracemalloc
import warnings
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from coursehelpers.errors import DataWarning
from coursehelpers.rfm import rfm_scores, rfm_table

BINS = 5


def _ids(codes: np.ndarray, prefix: str, digits: int) -> np.ndarray:
    """Identifiants « préfixe + numéro sur ``digits`` chiffres » (tableau numpy de textes)."""
    powers = 10 ** np.arange(digits - 1, -1, -1, dtype=np.int64)
    matrix = (codes[:, None] // powers % 10 + ord("0")).astype(np.uint8)
    head = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    matrix = np.hstack([np.broadcast_to(head, (len(codes), len(head))), matrix])
    width = matrix.shape[1]
    return np.ascontiguousarray(matrix).view(f"S{width}").ravel().astype(f"U{width}")


def make_transactions(n_rows: int, n_customers: int, *, ids: str = "court",
                      storage: str | None = None, zeros: float = 0.005,
                      seed: int = 2024) -> pd.DataFrame:
    """Transactions fictives : 2 % d'avoirs, ``zeros`` de lignes à 0 €.

    ``ids`` : ``"court"`` (« C000123 ») ou ``"long"`` (« CL0012345 »). ``storage`` : ``None``
    (type ``str`` par défaut de pandas), ``"python"`` ou ``"pyarrow"``.
    """
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, n_customers, n_rows)
    text = _ids(codes, "C", 6) if ids == "court" else _ids(codes, "CL", 7)
    dtype = "str" if storage is None else pd.StringDtype(storage, na_value=np.nan)
    days = rng.integers(0, 3 * 365, n_rows)
    amount = np.round(rng.gamma(2.0, 40.0, n_rows), 2)
    amount[rng.random(n_rows) < 0.02] *= -1
    amount[rng.random(n_rows) < zeros] = 0.0
    return pd.DataFrame({
        "client_id": pd.array(text, dtype=dtype),
        "date": pd.Timestamp("2023-01-01") + pd.to_timedelta(days, unit="D"),
        "montant": amount,
    })


SQL = f"""
WITH t AS (
    SELECT client_id,
           date_diff('day', max(CAST(date AS DATE)) FILTER (WHERE montant >= 0),
                     (SELECT max(CAST(date AS DATE)) + 1 FROM tx)) AS recence,
           count(*) FILTER (WHERE montant >= 0) AS frequence, sum(montant) AS montant
    FROM tx GROUP BY client_id
    HAVING count(*) FILTER (WHERE montant >= 0) > 0)
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
        buys = mine[mine["montant"] >= 0]  # un avoir n'est pas un achat ; une ligne à 0 € en est un
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


def timed(func) -> tuple[float, object]:
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def same_numbers(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    if a.index.astype(str).tolist() != b.index.astype(str).tolist():
        return False
    exact = all((a[c].to_numpy() == b[c].to_numpy()).all()
                for c in ("recence", "frequence", "R", "F", "M"))
    return exact and np.allclose(a["montant"], b["montant"], rtol=1e-12, atol=1e-9)


def run(tx: pd.DataFrame, label: str, runs: int) -> float:
    con = duckdb.connect()
    con.register("tx", tx)
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    ours(tx), with_duckdb(con)  # premier passage (caches, imports) hors mesure
    # exécutions alternées : une variation de charge de la machine touche les deux
    times_ours, times_sql = [], []
    for _ in range(runs):
        t, r_ours = timed(lambda: ours(tx))
        times_ours.append(t)
        t, r_sql = timed(lambda: with_duckdb(con))
        times_sql.append(t)
    t_ours, t_sql = statistics.median(times_ours), statistics.median(times_sql)
    con.close()
    ok = same_numbers(r_ours, r_sql)
    print(f"\n[{label}] {len(tx):_} transactions, {len(r_ours):_} clients".replace("_", " "))
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
    return t_ours / t_sql


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(field)


def memory(n_rows: int) -> None:
    """Pic de mémoire de rfm_table + rfm_scores rapporté à la taille de l'entrée."""
    tx = make_transactions(n_rows, n_rows // 10, ids="long")
    size = int(tx.memory_usage(deep=True).sum())
    gc.collect()
    print(f"\n[mémoire] {n_rows:_} transactions, {n_rows // 10:_} clients".replace("_", " ")
          + f", client_id {tx['client_id'].dtype!r}")
    print(f"  taille du tableau d'entrée (memory_usage deep)  : {size / 2**20:8.1f} Mio")
    clear_refs = Path("/proc/self/clear_refs")
    try:
        clear_refs.write_text("5")  # remet à zéro le pic de mémoire résidente (VmHWM)
    except OSError:
        print("  (pic de mémoire résidente non mesurable ici : Linux requis)")
    else:
        before = _status_kib("VmRSS")
        start, cpu = time.perf_counter(), time.process_time()
        result = ours(tx)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        peak = (_status_kib("VmHWM") - before) * 1024
        print(f"  durée de rfm_table + rfm_scores                 : {elapsed:8.2f} s, dont "
              f"{cpu:.2f} s de processeur "
              + f"({len(result):_} clients)".replace("_", " "))
        print(f"  pic de mémoire résidente pendant le calcul      : {peak / 2**20:8.1f} Mio "
              f"= {peak / size:.2f} × l'entrée (objectif ≤ 3 ×)")
        del result
    gc.collect()
    tracemalloc.start()
    ours(tx)
    _, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  pic tracemalloc (tableaux numpy et pandas)      : {traced / 2**20:8.1f} Mio "
          f"= {traced / size:.2f} × l'entrée")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 000 lignes seulement")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--zeros", type=float, default=0.005, help="part de lignes à 0 €")
    parser.add_argument("--memory", type=int, default=0, metavar="N",
                        help="mesure aussi la mémoire de pointe sur N transactions (ex. 10000000)")
    parser.add_argument("--memory-only", action="store_true", help="seulement la mesure --memory")
    parser.add_argument("--skip-naive", action="store_true", help="sans la boucle naïve")
    args = parser.parse_args()
    if args.memory_only:
        memory(args.memory or 10_000_000)
        return
    n_rows, n_customers = (100_000, 10_000) if args.quick else (1_000_000, 100_000)
    try:
        import pyarrow
        arrow = f"pyarrow {pyarrow.__version__}"
    except ImportError:
        arrow = "pyarrow absent"
    print(f"pandas {pd.__version__}, numpy {np.__version__}, duckdb {duckdb.__version__}, {arrow} ; "
          f"type texte par défaut : {pd.Series(['a']).dtype!r}")

    ratios = {}
    cases = [("court", None, "« C000123 », str par défaut"),
             ("long", None, "« CL0012345 », str par défaut"),
             ("court", "python", "« C000123 », str stocké en objets Python"),
             ("long", "python", "« CL0012345 », str stocké en objets Python")]
    for ids, storage, label in cases:
        if storage is None or pd.Series(["a"]).dtype.storage != storage:
            tx = make_transactions(n_rows, n_customers, ids=ids, storage=storage, zeros=args.zeros)
            ratios[label] = run(tx, label, args.runs)
    tx = make_transactions(n_rows, n_customers, ids="long", zeros=args.zeros)
    label = "« CL0012345 », catégoriel"
    ratios[label] = run(tx.assign(client_id=tx["client_id"].astype("category")), label, args.runs)

    print("\nrésumé des rapports coursehelpers / DuckDB :")
    for label, ratio in ratios.items():
        print(f"  {label:<45}: {ratio:5.2f} ×")

    if not args.skip_naive:
        # boucle naïve : les clients CL0000000 à CL0000999, soit environ 10 000 lignes
        subset = tx[tx["client_id"] < "CL0001000"].reset_index(drop=True)
        scale = len(tx) / len(subset)
        t_naive, r_naive = timed(lambda: naive(subset))
        t_small = statistics.median(timed(lambda: ours(subset))[0] for _ in range(args.runs))
        ok = same_numbers(ours(subset), r_naive)
        print(f"\n[boucle naïve] sous-ensemble de {len(subset):_} lignes, "
              f"{len(r_naive):_} clients".replace("_", " "))
        print(f"  boucle Python : {t_naive * 1000:9.1f} ms, extrapolé ×{scale:.0f} : "
              f"{t_naive * scale:8.1f} s")
        print(f"  coursehelpers sur le même sous-ensemble : {t_small * 1000:.1f} ms "
              f"(×{t_naive / t_small:.0f} plus rapide) ; mêmes nombres : {'oui' if ok else 'NON'}")
        if not ok:
            raise SystemExit("résultats différents")

    if args.memory:
        del tx
        memory(args.memory)


if __name__ == "__main__":
    main()
