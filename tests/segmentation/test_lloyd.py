"""Le k-means numpy de ``segmentation._lloyd`` donne les résultats de scikit-learn.

scikit-learn n'est plus une dépendance de ``coursehelpers`` (son import coûte ≈ 0,9 s au chapitre
de segmentation) ; il reste une dépendance de test, pour ce seul recoupement : mêmes groupes
(numéros compris), même inertie, même silhouette, pour plusieurs jeux de données, k et graines.
"""

from __future__ import annotations

import subprocess
import sys

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
