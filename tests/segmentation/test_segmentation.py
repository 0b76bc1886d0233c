"""Tests de coursehelpers.segmentation : catalogue, règles a priori, k-means, profils."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coursehelpers import segmentation as seg
from coursehelpers.errors import DataError


@pytest.fixture
def people() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "age": [25, 45, 70, 28, 52, 19],
            "csp": ["Employés", "Cadres", "Retraités", "Cadres", "Employés", "Employés"],
            "revenu": [1800.0, 4200.0, 2100.0, 3900.0, 2000.0, 900.0],
        },
        index=["C1", "C2", "C3", "C4", "C5", "C6"],
    )


# --------------------------------------------------------------------------- catalogue
def test_criteria_table_has_every_family_from_the_course():
    table = seg.criteria_table()
    assert list(table.columns) == ["famille", "critere", "description", "colonne", "fichier"]
    families = set(table["famille"])
    assert families == {"socio-démographique", "socio-économique", "géographique", "comportemental",
                        "psychographique", "B2B (entreprises)"}
    assert {"CSP", "âge", "code NAF", "tranche d'effectif", "RFM"} <= set(table["critere"])
    # un identifiant (SIREN/SIRET, compte_id) n'est pas un critère de segmentation
    assert not table["critere"].str.contains("SIRET").any()
    assert "compte_id" not in set(table["colonne"].dropna())


def test_criteria_table_filters_by_family_prefix_and_rejects_unknown():
    geo = seg.criteria_table(family="géo")
    assert set(geo["famille"]) == {"géographique"} and len(geo) == 3
    with pytest.raises(DataError, match="famille de critères inconnue"):
        seg.criteria_table(family="astrologique")


def test_criteria_columns_exist_in_bundled_data():
    from coursehelpers import datasets

    frames = {"clients": datasets.load_clients(), "transactions": datasets.load_transactions(),
              "comptes_b2b": datasets.load_b2b_accounts()}
    table = seg.criteria_table().dropna(subset=["colonne"])
    assert len(table) >= 12
    for file, column in zip(table["fichier"], table["colonne"], strict=True):
        assert column in frames[file].columns, (file, column)


# --------------------------------------------------------------------------- règles
def test_rules_first_match_wins_and_overlaps_are_reported(people):
    result = seg.segment_by_rules(people, {
        "Jeunes": "age < 30",
        "Employés": "csp == 'Employés'",
        "Seniors": "age >= 65",
    })
    # C1 (25, Employés) et C6 (19, Employés) vérifient « Jeunes » et « Employés » : Jeunes l'emporte.
    assert result.labels.tolist() == ["Jeunes", "Non affecté", "Seniors", "Jeunes", "Employés", "Jeunes"]
    assert list(result.unassigned) == ["C2"]
    assert list(result.overlaps.index) == ["C1", "C6"]
    assert result.overlaps["regles"].tolist() == ["Jeunes + Employés"] * 2
    assert result.overlaps["nombre"].tolist() == [2, 2]
    summary = result.summary()
    assert summary.index.tolist() == ["Jeunes", "Employés", "Seniors", "Non affecté"]
    assert summary["correspondances"].tolist() == [3, 3, 1, 0]
    assert summary["effectif"].tolist() == [3, 1, 1, 1]
    assert summary["part"].tolist() == pytest.approx([0.5, 1 / 6, 1 / 6, 1 / 6])
    assert summary.loc["Jeunes", "regle"] == "age < 30"


def test_rules_overlap_error_names_the_customer(people):
    with pytest.raises(DataError, match="vérifient plusieurs règles") as info:
        seg.segment_by_rules(people, {"Jeunes": "age < 30", "Employés": "csp == 'Employés'"},
                             overlap="error")
    assert info.value.line == 1 and "'C1'" in str(info.value)


def test_rules_accept_callables_and_default_label(people):
    result = seg.segment_by_rules(
        people, {"Aisés": lambda d: d["revenu"] >= 3000}, default="Autres")
    assert result.labels.tolist() == ["Autres", "Aisés", "Autres", "Aisés", "Autres", "Autres"]
    assert result.n_unassigned == 4
    assert result.summary().loc["Autres", "effectif"] == 4
    assert result.summary().loc["Aisés", "regle"] == "<lambda>"


def test_missing_value_never_matches_a_rule():
    df = pd.DataFrame({"age": [20.0, np.nan]})
    result = seg.segment_by_rules(df, {"Jeunes": "age < 30", "Autres": "age >= 30"})
    assert result.labels.tolist() == ["Jeunes", "Non affecté"]
    assert list(result.unassigned) == [1]


def test_unknown_column_in_rule_names_rule_and_column(people):
    with pytest.raises(DataError, match=r"règle « Jeunes ».*la colonne « agee » n'existe pas") as info:
        seg.segment_by_rules(people, {"Seniors": "age > 60", "Jeunes": "agee < 30"})
    assert info.value.column == "agee"


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("age <", "écriture invalide"),
        ("csp > 3", "comparaison impossible"),
        ("age + 1", "pas vrai/faux"),
        (42, "une règle est un texte"),
        (lambda d: [True, False], "une valeur vrai/faux par client"),
    ],
)
def test_bad_rules_raise_french_errors(people, rule, message):
    with pytest.raises(DataError, match=message):
        seg.segment_by_rules(people, {"S": rule})


def test_bad_arguments(people):
    with pytest.raises(DataError, match="dictionnaire non vide"):
        seg.segment_by_rules(people, {})
    with pytest.raises(DataError, match="overlap"):
        seg.segment_by_rules(people, {"S": "age > 1"}, overlap="last")
    with pytest.raises(DataError, match="DataFrame"):
        seg.segment_by_rules([1, 2], {"S": "age > 1"})


@settings(max_examples=60, deadline=None)
@given(
    ages=st.lists(st.one_of(st.integers(0, 100), st.none()), min_size=1, max_size=40),
    cuts=st.lists(st.integers(0, 100), min_size=1, max_size=4),
)
def test_rules_partition_customers(ages, cuts):
    df = pd.DataFrame({"age": pd.array(ages, dtype="Float64")})
    rules = {f"moins de {c} ({i})": f"age < {c}" for i, c in enumerate(cuts)}
    result = seg.segment_by_rules(df, rules)
    summary = result.summary()
    assert summary["effectif"].sum() == len(df)
    assert summary["part"].sum() == pytest.approx(1.0)
    assigned = (result.labels != seg.UNASSIGNED).sum()
    assert assigned + result.n_unassigned == len(df)
    # Chaque client affecté vérifie sa règle, et aucune règle placée avant elle.
    ages_arr = np.array([np.nan if a is None else a for a in ages], dtype=float)
    for pos, label in enumerate(result.labels):
        matched = [n for n, c in zip(rules, cuts, strict=True) if ages_arr[pos] < c]
        assert label == (matched[0] if matched else seg.UNASSIGNED)


# --------------------------------------------------------------------------- profils
def test_profile_table_means_modes_and_total(people):
    labels = pd.Series(["A", "A", "B", "A", "B", "B"], index=people.index)
    profile = seg.profile_table(people, labels, features=["age", "revenu", "csp"])
    assert profile.index.tolist() == ["A", "B", "Ensemble"]
    assert profile["effectif"].tolist() == [3, 3, 6]
    assert profile["part"].tolist() == [0.5, 0.5, 1.0]
    assert profile.loc["A", "age"] == pytest.approx((25 + 45 + 28) / 3)
    assert profile.loc["B", "revenu"] == pytest.approx((2100 + 2000 + 900) / 3)
    assert profile.loc["A", "csp"] == "Cadres"          # 2 cadres sur 3
    assert profile.loc["B", "csp"] == "Employés"        # 2 employés sur 3
    assert profile.loc["Ensemble", "age"] == pytest.approx(239 / 6)


def test_profile_table_label_problems(people):
    with pytest.raises(DataError, match="un segment par client"):
        seg.profile_table(people, ["A", "B"], features=["age"])
    with pytest.raises(DataError, match="colonne introuvable"):
        seg.profile_table(people, ["A"] * 6, features=["taille"])
    with pytest.raises(DataError, match="liste non vide"):
        seg.profile_table(people, ["A"] * 6, features="age")
    profile = seg.profile_table(people, [None, "A", "A", "A", "A", "A"], features=["age"], total=False)
    assert profile.loc[seg.UNASSIGNED, "effectif"] == 1


# --------------------------------------------------------------------------- k-means
@pytest.fixture
def two_groups() -> pd.DataFrame:
    return pd.DataFrame({"age": [20, 22, 21, 23, 60, 62, 61],
                         "panier": [30.0, 35.0, 32.0, 31.0, 120.0, 110.0, 115.0]})


def test_kmeans_finds_obvious_groups_and_profiles_in_original_units(two_groups):
    result = seg.kmeans_segments(two_groups, features=["age", "panier"], k=2, seed=0)
    assert result.labels.tolist() == [0, 0, 0, 0, 1, 1, 1]      # 0 = le plus grand segment
    assert result.profile.loc[0, "age"] == pytest.approx(21.5)
    assert result.profile.loc[1, "panier"] == pytest.approx(115.0)
    assert result.profile.loc[0, "part"] == pytest.approx(4 / 7)
    assert result.centers.loc[1, "age"] == pytest.approx(61.0)
    assert 0.8 < result.silhouette <= 1.0
    # inertie = somme des carrés intra-groupes sur les données standardisées (écart-type de population)
    z = (two_groups - two_groups.mean()) / two_groups.std(ddof=0)
    expected = sum(((z[result.labels == g] - z[result.labels == g].mean()) ** 2).to_numpy().sum()
                   for g in (0, 1))
    assert result.inertia == pytest.approx(expected)


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 1000), data_seed=st.integers(0, 1000))
def test_kmeans_is_deterministic_with_a_seed(seed, data_seed):
    rng = np.random.default_rng(data_seed)
    df = pd.DataFrame(rng.normal(size=(40, 3)), columns=["a", "b", "c"])
    first = seg.kmeans_segments(df, features=["a", "b", "c"], k=3, seed=seed)
    second = seg.kmeans_segments(df, features=["a", "b", "c"], k=3, seed=seed)
    pd.testing.assert_series_equal(first.labels, second.labels)
    assert first.inertia == second.inertia
    sizes = first.labels.value_counts().sort_index().tolist()
    assert sizes == sorted(sizes, reverse=True)


def test_kmeans_rejects_text_unless_encoded(people):
    with pytest.raises(DataError, match="encode_categorical=True") as info:
        seg.kmeans_segments(people, features=["age", "csp"], k=2)
    assert info.value.column == "csp"
    result = seg.kmeans_segments(people, features=["age", "csp"], k=2, encode_categorical=True)
    assert {"csp=Cadres", "csp=Employés", "csp=Retraités"} <= set(result.centers.columns)
    assert result.centers[["csp=Cadres", "csp=Employés", "csp=Retraités"]].sum(axis=1).tolist() == \
        pytest.approx([1.0, 1.0])


def test_kmeans_missing_value_names_column_and_line(two_groups):
    two_groups.loc[3, "panier"] = np.nan
    with pytest.raises(DataError, match="valeur manquante") as info:
        seg.kmeans_segments(two_groups, features=["age", "panier"], k=2)
    assert (info.value.column, info.value.line) == ("panier", 4)


def test_kmeans_bad_k(two_groups):
    with pytest.raises(DataError, match="entier supérieur ou égal à 2"):
        seg.kmeans_segments(two_groups, features=["age"], k=1)
    with pytest.raises(DataError, match="k = 7 groupes impossible"):
        seg.kmeans_segments(two_groups, features=["age"], k=7)
    same = pd.DataFrame({"x": [1.0, 1.0, 1.0, 2.0, 2.0]})
    with pytest.raises(DataError, match="au plus 2 profils distincts"):
        seg.kmeans_segments(same, features=["x"], k=3)


def test_compare_k_inertia_decreases(two_groups):
    table = seg.compare_k(two_groups, features=["age", "panier"], k_values=[2, 3, 4])
    assert table.index.tolist() == [2, 3, 4]
    assert table["inertie"].is_monotonic_decreasing
    assert table["silhouette"].between(-1, 1).all()
    assert table["silhouette"].idxmax() == 2
    with pytest.raises(DataError, match="vide"):
        seg.compare_k(two_groups, features=["age"], k_values=[])


def test_import_stays_light():
    code = ("import sys, coursehelpers.segmentation, coursehelpers.kpis, coursehelpers.clv; "
            "print(sorted(m for m in ('sklearn', 'matplotlib', 'ipywidgets') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------- données du cours
def test_bundled_clients_rules_and_kmeans():
    from coursehelpers import datasets

    clients = datasets.load_clients()
    rules = {"Jeunes actifs": "age < 30 and csp == 'Employés'",
             "Seniors": lambda d: d["age"] >= 65,
             "Cadres": "csp.str.startswith('Cadres')"}
    result = seg.segment_by_rules(clients, rules)
    expected_young = int(((clients["age"] < 30) & (clients["csp"] == "Employés")).sum())
    assert result.summary().loc["Jeunes actifs", "effectif"] == expected_young > 0
    assert result.summary()["effectif"].sum() == len(clients)
    km = seg.kmeans_segments(clients, features=["age", "carte_fidelite", "optin_email"], k=4, seed=1)
    assert km.profile.loc["Ensemble", "effectif"] == len(clients)
    assert km.profile.loc[[0, 1, 2, 3], "effectif"].sum() == len(clients)
    assert km.profile.loc["Ensemble", "age"] == pytest.approx(clients["age"].mean())


def test_customer_frame_one_row_per_customer_hand_computed() -> None:
    clients = pd.DataFrame({"client_id": ["A", "B", "C"], "age": [30, 45, 60]})
    achats = pd.DataFrame({
        "client_id": ["A", "A", "B", "Z"],  # Z n'est pas dans le fichier clients : ignoré
        "date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-02-10", "2024-03-05"]),
        "montant": [100.0, 50.0, 80.0, 999.0],
    })
    base = seg.customer_frame(clients, achats)
    assert base.index.tolist() == ["A", "B", "C"] and base["age"].tolist() == [30, 45, 60]
    assert base["chiffre_affaires"].tolist() == [150.0, 80.0, 0.0]
    assert base["commandes"].tolist() == [2, 1, 0]
    assert base.loc["A", "panier_moyen"] == 75.0 and np.isnan(base.loc["C", "panier_moyen"])
    # date d'analyse : lendemain du dernier achat du fichier (06/03/2024, celui de Z compte)
    assert base.loc["A", "recence_jours"] == 5 and base.loc["B", "recence_jours"] == 25
    assert base.loc["C", "recence_jours"] == 25  # sans achat : la plus grande récence observée
    from coursehelpers import widgets

    assert widgets.customer_frame is seg.customer_frame  # même fonction, deux chemins


def test_customer_frame_rejects_duplicates_and_missing_columns() -> None:
    achats = pd.DataFrame({"client_id": ["A"], "date": pd.to_datetime(["2024-01-01"]), "montant": [10.0]})
    with pytest.raises(DataError, match=r"ligne 3.*« A » apparaît plusieurs fois") as err:
        seg.customer_frame(pd.DataFrame({"client_id": ["A", "B", "A"]}), achats)
    assert (err.value.column, err.value.line) == ("client_id", 3)
    with pytest.raises(DataError, match="client_id"):
        seg.customer_frame(pd.DataFrame({"id": ["A"]}), achats)
    with pytest.raises(DataError, match="montant"):
        seg.customer_frame(pd.DataFrame({"client_id": ["A"]}), achats.drop(columns="montant"))
