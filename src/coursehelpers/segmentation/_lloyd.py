"""k-means (k-means++ puis Lloyd) et silhouette en numpy, sans scikit-learn.

Portage de l'algorithme de scikit-learn (``StandardScaler``, ``KMeans(n_init=10)``,
``silhouette_score``, version 1.9), opération par opération et avec le même générateur
``numpy.random.RandomState`` : mêmes graines, mêmes tirages, donc mêmes groupes, même inertie
et même silhouette (à l'arrondi près des sommes en virgule flottante, très en deçà des
décimales affichées ; vérifié contre scikit-learn dans ``tests/segmentation``).

Pourquoi : importer scikit-learn coûte environ 0,9 s de calcul (il charge scipy.stats), plus
que tout le reste du chapitre de segmentation ; ces fonctions n'ont besoin que de numpy.

Étapes de :func:`kmeans` (celles de scikit-learn) :

1. tolérance = moyenne des variances des colonnes × 1e-4 ;
2. données centrées (on retire la moyenne de chaque colonne, pour des distances plus précises) ;
3. ``n_init`` fois : centres initiaux par k-means++ (premier centre tiré au hasard, chaque
   suivant parmi 2 + ⌊ln k⌋ candidats tirés avec une probabilité proportionnelle au carré de
   la distance au centre le plus proche : on garde celui qui fait le plus baisser l'inertie),
   puis itérations de Lloyd : affecter chaque client au centre le plus proche, remplacer chaque
   centre par la moyenne de ses clients, jusqu'à ce que plus aucun client ne change de groupe
   ou que les centres bougent de moins que la tolérance (300 itérations au plus) ;
4. on garde le départ d'inertie la plus faible (un départ plus tard ne remplace le meilleur
   que s'il est strictement meilleur et donne un autre découpage).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["kmeans", "sample_rows", "silhouette", "silhouettes", "standardize"]

TOL = 1e-4
MAX_ITER = 300
#: Lignes de la matrice des distances calculées à la fois (mémoire : CHUNK × n nombres).
CHUNK = 256


def _row_norms(x: np.ndarray) -> np.ndarray:
    """Carré de la norme de chaque ligne, Σ_j x_ij² (comme ``sklearn.utils.extmath.row_norms``)."""
    return np.einsum("ij,ij->i", x, x)


def standardize(x: np.ndarray) -> np.ndarray:
    """Variables centrées-réduites, z = (x − moyenne) / écart-type (comme ``StandardScaler``).

    L'écart-type est celui de la population (division par n). Une colonne constante (variance
    nulle aux erreurs d'arrondi près) est seulement centrée (écart-type remplacé par 1).
    """
    x = np.asarray(x, dtype="float64")
    n = x.shape[0]
    total = x.sum(axis=0)
    mean = total / n
    temp = x - total / n
    correction = temp.sum(axis=0)
    var = ((temp**2).sum(axis=0) - correction**2 / n) / n
    eps = np.finfo("float64").eps
    constant = var <= n * eps * var + (n * mean * eps) ** 2
    scale = np.sqrt(var)
    scale[constant] = 1.0
    return (x - mean) / scale


def _sq_distances(a: np.ndarray, x: np.ndarray, x_sq: np.ndarray) -> np.ndarray:
    """Carrés des distances entre les lignes de ``a`` et celles de ``x`` : ‖a‖² − 2 a·x + ‖x‖²."""
    d = -2 * (a @ x.T)
    d += _row_norms(a)[:, None]
    d += x_sq[None, :]
    np.maximum(d, 0, out=d)
    return d


def _kmeans_plusplus(x: np.ndarray, k: int, x_sq: np.ndarray, rng: np.random.RandomState) -> np.ndarray:
    """Centres initiaux par k-means++ « glouton » (``sklearn.cluster._kmeans._kmeans_plusplus``)."""
    n = x.shape[0]
    weight = np.ones(n)
    trials = 2 + int(np.log(k))
    centers = np.empty((k, x.shape[1]))
    first = rng.choice(n, p=weight / weight.sum())
    centers[0] = x[first]
    closest = _sq_distances(centers[0, np.newaxis], x, x_sq)
    potential = closest @ weight
    for c in range(1, k):  # boucle sur les k centres (quelques-uns), pas sur les clients
        rand_vals = rng.uniform(size=trials) * potential
        candidates = np.searchsorted(np.cumsum(weight * closest), rand_vals)
        np.clip(candidates, None, closest.size - 1, out=candidates)
        dist = _sq_distances(x[candidates], x, x_sq)
        np.minimum(closest, dist, out=dist)
        pots = dist @ weight.reshape(-1, 1)
        best = np.argmin(pots)
        potential = pots[best]
        closest = dist[best]
        centers[c] = x[candidates[best]]
    return centers


def _assign(x: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """Numéro du centre le plus proche de chaque ligne (le premier en cas d'égalité).

    ‖x‖² est le même pour tous les centres : on compare ‖c‖² − 2 x·c, comme scikit-learn.
    """
    d = x @ centers.T
    d *= -2
    d += _row_norms(centers)[None, :]
    return d.argmin(axis=1)


def _update(x: np.ndarray, columns: np.ndarray, labels: np.ndarray,
            old: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nouveaux centres (moyenne de chaque groupe) et déplacement de chaque centre.

    ``columns`` : la transposée de ``x`` rangée colonne par colonne (sommes plus rapides).
    """
    k, p = old.shape
    sums = np.empty_like(old)
    for j in range(p):  # boucle sur les variables (quelques-unes) : sommes dans l'ordre des clients
        sums[:, j] = np.bincount(labels, weights=columns[j], minlength=k)
    counts = np.bincount(labels, minlength=k).astype("float64")
    empty = np.flatnonzero(counts == 0)
    if empty.size:
        # Groupe vide : il reçoit le client le plus éloigné de son centre (règle de scikit-learn).
        dist = ((x - old[labels]) ** 2).sum(axis=1)
        if dist.max() > 0:
            far = np.argpartition(dist, -empty.size)[: -empty.size - 1 : -1]
            for new, i in zip(empty, far, strict=True):
                sums[labels[i]] -= x[i]
                sums[new] = x[i]
                counts[new] = 1.0
                counts[labels[i]] -= 1.0
    centers = sums
    full = counts > 0
    biggest = int(np.argmax(counts))
    biggest_sum = centers[biggest].copy()
    centers[full] *= (1.0 / counts[full])[:, None]
    # Groupe resté vide (son seul client vient d'être donné, ou tous les clients sont sur leur
    # centre) : scikit-learn lui copie la ligne du plus grand groupe au moment où sa boucle y
    # arrive, la somme si ce groupe vient après lui, la moyenne sinon : même règle ici.
    still_empty = np.flatnonzero(~full)
    centers[still_empty[still_empty < biggest]] = biggest_sum
    centers[still_empty[still_empty > biggest]] = centers[biggest]
    shift = np.sqrt(((old - centers) ** 2).sum(axis=1))
    return centers, shift


def _inertia(x: np.ndarray, labels: np.ndarray, centers: np.ndarray) -> float:
    """Σ ‖x_i − centre(i)‖², additions dans l'ordre de scikit-learn.

    Deux départs peuvent donner deux découpages différents de même inertie (points en double) :
    le meilleur est alors choisi au dernier chiffre près. On additionne donc comme scikit-learn
    (``_euclidean_dense_dense`` : variables par blocs de 4, puis client après client) pour
    garder le même départ.
    """
    sq = (x - centers[labels]) ** 2
    p = sq.shape[1]
    per_row = np.zeros(sq.shape[0])
    for j in range(0, p - p % 4, 4):  # blocs de 4 variables : ((t0 + t1) + t2) + t3
        per_row += ((sq[:, j] + sq[:, j + 1]) + sq[:, j + 2]) + sq[:, j + 3]
    for j in range(p - p % 4, p):
        per_row += sq[:, j]
    return float(np.cumsum(per_row)[-1])  # somme client après client (cumsum n'est pas par paires)


def _lloyd(x: np.ndarray, centers: np.ndarray, tol: float) -> tuple[np.ndarray, float]:
    """Un départ de Lloyd depuis ``centers`` : (groupes, inertie)."""
    labels_old = np.full(x.shape[0], -1)
    columns = np.ascontiguousarray(x.T)
    strict = False
    for _ in range(MAX_ITER):
        labels = _assign(x, centers)
        centers, shift = _update(x, columns, labels, centers)
        if np.array_equal(labels, labels_old):
            strict = True
            break
        if (shift**2).sum() <= tol:
            break
        labels_old = labels
    if not strict:
        labels = _assign(x, centers)
    return labels, _inertia(x, labels, centers)


def _same_partition(a: np.ndarray, b: np.ndarray, k: int) -> bool:
    """Vrai si ``b`` est le découpage ``a`` aux numéros de groupes près."""
    return np.unique(a * k + b).size == np.unique(a).size


def kmeans(z: np.ndarray, k: int, *, seed: int, n_init: int = 10) -> tuple[np.ndarray, float]:
    """k-means sur la matrice ``z`` (déjà standardisée) : (groupe 0..k-1 de chaque ligne, inertie).

    Même graine, même résultat ; résultat identique à
    ``sklearn.cluster.KMeans(n_clusters=k, n_init=n_init, random_state=seed).fit(z)``.
    """
    z = np.array(z, dtype="float64")
    tol = float(np.mean(np.var(z, axis=0)) * TOL)
    rng = np.random.RandomState(seed)
    z -= z.mean(axis=0)
    z_sq = _row_norms(z)
    best_labels, best_inertia = None, np.inf
    for _ in range(n_init):
        labels, inertia = _lloyd(z, _kmeans_plusplus(z, k, z_sq, rng), tol)
        if best_labels is None or (inertia < best_inertia and not _same_partition(labels, best_labels, k)):
            best_labels, best_inertia = labels, inertia
    return best_labels, best_inertia


def sample_rows(n: int, sample_size: int | None, seed: int) -> np.ndarray | None:
    """Lignes tirées pour la silhouette (``sample_size`` parmi ``n``, graine ``seed``), ou None : toutes.

    Même tirage que ``silhouette_score(..., sample_size=sample_size, random_state=seed)``.
    """
    if sample_size is None:
        return None
    return np.random.RandomState(seed).permutation(n)[:sample_size]


def silhouettes(z: np.ndarray, partitions: Sequence[np.ndarray], *, sample_size: int | None = None,
                seed: int = 0) -> list[float]:
    """Silhouette moyenne de plusieurs découpages des mêmes points (une par découpage).

    Pour chaque point, s = (b − a) / max(a, b) : a = distance moyenne aux autres points de son
    groupe, b = distance moyenne aux points du groupe voisin le plus proche ; s = 0 pour un
    point seul dans son groupe. Avec ``sample_size``, calculée sur ``sample_size`` points tirés
    au hasard (graine ``seed``), comme ``sklearn.metrics.silhouette_score(z, labels,
    sample_size=..., random_state=seed)``.

    Les distances entre points ne dépendent pas du découpage : elles sont calculées une seule
    fois, par blocs de lignes (jamais la matrice n × n entière en mémoire), et servent à tous les
    découpages (:func:`~coursehelpers.segmentation.compare_k` : un découpage par valeur de k).
    """
    z = np.asarray(z, dtype="float64")
    keep = sample_rows(z.shape[0], sample_size, seed)
    if keep is not None:
        z = z[keep]
        partitions = [np.asarray(p)[keep] for p in partitions]
    n = z.shape[0]
    codes, freqs = [], []
    for labels in partitions:
        _, c = np.unique(labels, return_inverse=True)
        f = np.bincount(c)
        if not 2 <= f.size <= n - 1:
            raise ValueError(f"silhouette : il faut entre 2 et {n - 1} groupes, pas {f.size}.")
        codes.append(c)
        freqs.append(f)
    offsets = np.cumsum([0, *(f.size for f in freqs)])
    onehot = np.zeros((n, offsets[-1]))
    for c, off in zip(codes, offsets, strict=False):
        onehot[np.arange(n), off + c] = 1.0
    sums = np.empty((n, offsets[-1]))  # somme des distances de chaque point à chaque groupe
    z_sq = _row_norms(z)
    for start in range(0, n, CHUNK):  # blocs de lignes : mémoire CHUNK × n
        rows = slice(start, min(start + CHUNK, n))
        d = _sq_distances(z[rows], z, z_sq)
        d[np.arange(d.shape[0]), np.arange(rows.start, rows.stop)] = 0.0
        np.sqrt(d, out=d)
        sums[rows] = d @ onehot
    means = []
    for c, f, off in zip(codes, freqs, offsets, strict=False):
        per_group = sums[:, off : off + f.size].copy()
        own = (np.arange(n), c)
        intra = per_group[own]
        per_group[own] = np.inf
        inter = (per_group / f).min(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            intra /= np.maximum(f - 1, 0)[c]
            s = (inter - intra) / np.maximum(intra, inter)
        means.append(float(np.mean(np.nan_to_num(s))))
    return means


def silhouette(z: np.ndarray, labels: np.ndarray, *, sample_size: int | None = None, seed: int = 0) -> float:
    """Silhouette moyenne d'un découpage, voir :func:`silhouettes`."""
    return silhouettes(z, [labels], sample_size=sample_size, seed=seed)[0]
