"""Le k-means numpy de ``segmentation._lloyd`` donne les résultats de scikit-learn.

scikit-learn n'est plus une dépendance de ``coursehelpers`` (son import coûte ≈ 0,9 s au chapitre
de segmentation) ; il reste une dépendance de test, pour ce seul recoupement : mêmes groupes
(numéros compris), même inertie, même silhouette, pour plusieurs jeux de données, k et graines.
"""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pytest

from coursehelpers import datasets
from coursehelpers import segmentation as seg
from coursehelpers.segmentation import _lloyd

sklearn = pytest.importorskip("sklearn", reason="scikit-learn (dépendance de test) sert de référence")
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.metrics import silhouette_score  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402


def _datasets() -> dict[str, np.ndarray]:
    base = seg.customer_frame(datasets.load_clients(), datasets.load_transactions())
    rng = np.random.RandomState(3)
    centres = ([0, 0, 0], [5, 5, 0], [0, 6, 3], [8, 0, 8])
    return {
        # les données du chapitre 04 (échantillon de compare_k, base entière de kmeans_segments)
        "ch04_echantillon": base.sample(1500, random_state=0)[
            ["age", "recence_jours", "commandes", "panier_moyen"]].to_numpy(float),
        "ch04_base": base[["age", "recence_jours", "commandes", "panier_moyen"]].to_numpy(float),
        # l'explorateur (autres variables)
        "explorateur": base[["age", "chiffre_affaires", "commandes", "recence_jours"]].to_numpy(float),
        "nuages": np.vstack([rng.normal(c, 1, (150, 3)) for c in centres]),
        "uniforme": rng.uniform(size=(400, 5)),
        "doublons": rng.randint(0, 4, size=(200, 2)).astype(float),  # 16 profils, beaucoup d'égalités
    }


DATA = _datasets()
CASES = [(name, k, seed) for name in DATA for k, seed in ((2, 0), (3, 1), (4, 0), (5, 7), (7, 0))
         if not (name.startswith("ch04_base") and k in (2, 7))]


@pytest.fixture(scope="module")
def scaled() -> dict[str, np.ndarray]:
    return {name: StandardScaler().fit_transform(x) for name, x in DATA.items()}


@pytest.mark.parametrize("name", list(DATA))
def test_standardize_equals_standard_scaler(name, scaled):
    np.testing.assert_array_equal(_lloyd.standardize(DATA[name]), scaled[name])


def test_standardize_constant_column_is_only_centred():
    x = np.column_stack([np.full(5, 3.0), np.arange(5.0)])
    np.testing.assert_array_equal(_lloyd.standardize(x), StandardScaler().fit_transform(x))
    assert (_lloyd.standardize(x)[:, 0] == 0).all()


@pytest.mark.parametrize(("name", "k", "seed"), CASES)
def test_kmeans_and_silhouette_equal_scikit_learn(name, k, seed, scaled):
    z = scaled[name]
    sample = 3000 if len(z) > 3000 else None
    with threadpool_limits(limits=1):
        model = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(z)
        expected_sil = silhouette_score(z, model.labels_, sample_size=sample, random_state=seed)
    labels, inertia = _lloyd.kmeans(_lloyd.standardize(DATA[name]), k, seed=seed)
    np.testing.assert_array_equal(labels, model.labels_)  # mêmes groupes, mêmes numéros
    assert inertia == pytest.approx(model.inertia_, rel=1e-10)
    sil = _lloyd.silhouette(z, labels, sample_size=sample, seed=seed)
    assert sil == pytest.approx(expected_sil, abs=1e-12)


def test_silhouette_singleton_group_counts_zero():
    z = np.array([[0.0], [0.1], [0.2], [5.0]])
    labels = np.array([0, 0, 0, 1])
    assert _lloyd.silhouette(z, labels) == pytest.approx(silhouette_score(z, labels), abs=1e-12)
    with pytest.raises(ValueError, match="groupes"):
        _lloyd.silhouette(z, np.zeros(4, dtype=int))


def test_compare_k_shares_distances_without_changing_results():
    """compare_k calcule distances et standardisation une fois : mêmes nombres qu'un k à la fois."""
    z = np.random.RandomState(0).normal(size=(300, 3))
    parts = [_lloyd.kmeans(z, k, seed=0)[0] for k in (2, 3, 5)]
    together = _lloyd.silhouettes(z, parts, sample_size=200, seed=4)
    for labels, sil in zip(parts, together, strict=True):
        assert sil == pytest.approx(silhouette_score(z, labels, sample_size=200, random_state=4), abs=1e-12)
    base = seg.customer_frame(datasets.load_clients(), datasets.load_transactions())
    sample = base.sample(400, random_state=1)
    features = ["age", "recence_jours", "commandes"]
    table = seg.compare_k(sample, features=features, k_values=[2, 3, 4], seed=2)
    for k in (2, 3, 4):
        one = seg.kmeans_segments(sample, features=features, k=k, seed=2)
        assert table.loc[k, "inertie"] == one.inertia
        assert table.loc[k, "silhouette"] == pytest.approx(one.silhouette, abs=1e-12)


def test_kmeans_does_not_import_scikit_learn_or_scipy():
    code = ("import sys; import pandas as pd; from coursehelpers import segmentation as seg; "
            "df = pd.DataFrame({'a': [1, 2, 3, 10, 11, 12], 'b': [0, 1, 0, 5, 6, 5]}); "
            "seg.compare_k(df, features=['a', 'b'], k_values=[2, 3]); "
            "print(sorted(m for m in ('sklearn', 'scipy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_kmeans_segments_computes_the_silhouette_only_when_read(monkeypatch):
    """La silhouette (distances entre 3 000 clients au plus) n'est calculée qu'à la première
    lecture de ``silhouette``, une seule fois, et vaut celle de scikit-learn."""
    from coursehelpers.segmentation import _kmeans

    calls = []
    real = _kmeans.silhouettes
    monkeypatch.setattr(_kmeans, "silhouettes", lambda *a, **kw: calls.append(1) or real(*a, **kw))
    features = ["age", "recence_jours", "commandes", "panier_moyen"]
    base = seg.customer_frame(datasets.load_clients(), datasets.load_transactions())
    result = seg.kmeans_segments(base, features=features, k=4, seed=0)
    assert calls == [] and result.profile.loc[0, "effectif"] == 2015  # chiffre du chapitre 04
    z = StandardScaler().fit_transform(base[features].to_numpy(float))
    with threadpool_limits(limits=1):
        model = KMeans(n_clusters=4, n_init=10, random_state=0).fit(z)
        expected = silhouette_score(z, model.labels_, sample_size=3000, random_state=0)
    assert result.silhouette == pytest.approx(expected, abs=1e-12)
    assert result.silhouette == pytest.approx(expected, abs=1e-12)
    assert calls == [1]


def _tied_cases(count: int):
    """Petits jeux de points entiers très dupliqués : des départs différents y donnent souvent des
    découpages différents de même inertie (le choix du meilleur se joue au dernier chiffre)."""
    rng = np.random.RandomState(0)
    for _ in range(count):
        n, p = rng.randint(8, 60), rng.randint(1, 10)
        x = rng.randint(0, rng.randint(2, 5), size=(n, p)).astype(float)
        distinct = len(np.unique(x, axis=0))
        if distinct < 2:
            continue
        k = rng.randint(2, min(distinct, n - 1) + 1) if distinct > 2 else 2
        if k < n:
            yield x, k, int(rng.randint(0, 50))


def test_kmeans_equals_scikit_learn_when_runs_tie():
    """Inertie additionnée dans l'ordre de scikit-learn : même départ retenu parmi des découpages
    de même inertie (avant cette règle : 7 découpages différents sur 300 jeux de ce type)."""
    cases = 0
    for x, k, seed in _tied_cases(150):
        z = _lloyd.standardize(x)
        with threadpool_limits(limits=1), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # « moins de groupes distincts que k » : points en double
            model = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(z)
        labels, inertia = _lloyd.kmeans(z, k, seed=seed)
        np.testing.assert_array_equal(labels, model.labels_)
        assert inertia == pytest.approx(model.inertia_, rel=1e-12)
        cases += 1
    assert cases > 100


def test_empty_group_rule_equals_scikit_learn():
    """Groupe vide : reçoit le client le plus loin de son centre ; s'il reste vide, copie de la ligne
    du plus grand groupe (somme ou moyenne selon l'ordre de la boucle de scikit-learn)."""
    from sklearn.cluster._k_means_common import _relocate_empty_clusters_dense

    rng = np.random.RandomState(1)
    still_empty = 0
    for t in range(600):
        k = rng.randint(3, 8)
        n, p = rng.randint(k + 1, 80), rng.randint(1, 6)
        x = rng.normal(size=(n, p)) if t % 2 else rng.randint(0, 2, size=(n, p)).astype(float)
        old = rng.normal(size=(k, p)) if t % 3 else x[rng.choice(n, k)]
        labels = rng.randint(0, k - rng.randint(1, k - 1), size=n)  # au moins un groupe vide
        ours, _ = _lloyd._update(x, np.ascontiguousarray(x.T), labels, old)
        sums = np.stack([np.bincount(labels, weights=x[:, j], minlength=k) for j in range(p)], axis=1)
        weights = np.bincount(labels, minlength=k).astype(float)
        _relocate_empty_clusters_dense(x, np.ones(n), old, sums, weights, labels.astype(np.int32))
        biggest = int(np.argmax(weights))
        for j in range(k):  # _average_centers de scikit-learn, dans son ordre
            if weights[j] > 0:
                sums[j] *= 1.0 / weights[j]
            else:
                sums[j] = sums[biggest]
                still_empty += 1
        np.testing.assert_array_equal(ours, sums)
    assert still_empty > 5
