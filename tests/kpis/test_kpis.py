"""Tests de coursehelpers.kpis : taux à partir de nombres et de tableaux, cohortes, satisfaction, NPS."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coursehelpers import kpis
from coursehelpers.errors import DataError, DataWarning


# --------------------------------------------------------------------------- à partir de nombres
def test_rates_from_counts():
    assert kpis.attrition_rate(lost=50, start=400) == 0.125
    assert kpis.retention_rate(retained=350, start=400) == 0.875
    assert kpis.renewal_rate(new=60, clients_p2=400) == 0.15
    assert kpis.rotation_rate(new=60, lost=50, clients_p1=400, clients_p2=410) == pytest.approx(55 / 405)
    assert kpis.conversion_rate(converted=30, total=120) == 0.25


def test_rates_work_on_arrays():
    out = kpis.attrition_rate(lost=np.array([10, 0, 40]), start=np.array([100, 50, 40]))
    assert out.tolist() == [0.1, 0.0, 1.0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lost": 500, "start": 400}, "ne peut pas dépasser"),
        ({"lost": -1, "start": 400}, "doit être ≥ 0"),
        ({"lost": 0, "start": 0}, "doit être > 0"),
        ({"lost": True, "start": 10}, "pas vrai/faux"),
        ({"lost": float("nan"), "start": 10}, "manquante"),
        ({"lost": "beaucoup", "start": 10}, "doit être un nombre"),
    ],
)
def test_impossible_counts_raise(kwargs, message):
    with pytest.raises(DataError, match=message):
        kpis.attrition_rate(**kwargs)


def test_rotation_rejects_inconsistent_counts():
    with pytest.raises(DataError, match="« new » ne peut pas dépasser « clients_p2 »"):
        kpis.rotation_rate(new=500, lost=10, clients_p1=100, clients_p2=400)
    with pytest.raises(DataError, match="pas défini"):
        kpis.rotation_rate(new=0, lost=0, clients_p1=0, clients_p2=0)


def test_annual_rate_from_multi_year_matches_the_seed_example():
    # « la moitié des clients perdus en 5 ans » : 1 − 0,5^(1/5)
    rate = kpis.annual_rate_from_multi_year(share_lost=0.5, years=5)
    assert rate == pytest.approx(1 - 0.5 ** 0.2) and round(rate, 3) == 0.129
    assert (1 - rate) ** 5 == pytest.approx(0.5)
    assert kpis.annual_rate_from_multi_year(share_lost=1.0, years=3) == 1.0
    assert kpis.annual_rate_from_multi_year(share_lost=0.0, years=3) == 0.0
    assert kpis.multi_year_rate_from_annual(annual_rate=0.2, years=2) == pytest.approx(0.36)
    with pytest.raises(DataError, match="> 0"):
        kpis.annual_rate_from_multi_year(share_lost=0.5, years=0)
    with pytest.raises(DataError, match="≤ 1"):
        kpis.annual_rate_from_multi_year(share_lost=1.5, years=5)


@settings(max_examples=150)
@given(start=st.integers(1, 10**6), data=st.data())
def test_count_rates_stay_within_0_and_1(start, data):
    lost = data.draw(st.integers(0, start))
    new = data.draw(st.integers(0, 10**6))
    clients_p2 = data.draw(st.integers(max(new, 1), 2 * 10**6))
    for value in (kpis.attrition_rate(lost=lost, start=start),
                  kpis.retention_rate(retained=start - lost, start=start),
                  kpis.renewal_rate(new=new, clients_p2=clients_p2),
                  kpis.rotation_rate(new=new, lost=lost, clients_p1=start, clients_p2=clients_p2)):
        assert 0.0 <= value <= 1.0
    assert kpis.attrition_rate(lost=lost, start=start) + kpis.retention_rate(
        retained=start - lost, start=start) == pytest.approx(1.0)


@given(share=st.floats(0, 1), years=st.floats(1, 50))  # < 1 an : calcul mal conditionné
def test_annual_rate_round_trip(share, years):
    annual = kpis.annual_rate_from_multi_year(share_lost=share, years=years)
    assert 0.0 <= annual <= 1.0
    back = kpis.multi_year_rate_from_annual(annual_rate=annual, years=years)
    assert back == pytest.approx(share, abs=1e-9)


# --------------------------------------------------------------------------- flux de clients
@pytest.fixture
def tx() -> pd.DataFrame:
    return pd.DataFrame({
        "client_id": ["A", "B", "C", "A", "C", "D", "E", "B"],
        "date": pd.to_datetime(["2023-01-05", "2023-03-01", "2023-12-31", "2024-02-01", "2024-05-01",
                                "2024-07-01", "2024-12-31", "2024-06-01"]),
        "montant": [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, -20.0],  # B : avoir seul en 2024
    })


def test_customer_flows_by_hand(tx):
    flows = kpis.customer_flows(tx, period_1=("2023-01-01", "2023-12-31"),
                                period_2=("01/01/2024", "31/12/2024"))
    # 2023 : A, B, C ; 2024 : A, C, D, E (l'avoir de B n'est pas un achat)
    assert (flows.clients_p1, flows.clients_p2, flows.conserves, flows.perdus, flows.nouveaux) == \
        (3, 4, 2, 1, 2)
    assert flows.taux_attrition == pytest.approx(1 / 3)
    assert flows.taux_retention == pytest.approx(2 / 3)
    assert flows.taux_renouvellement == pytest.approx(2 / 4)
    assert flows.taux_rotation == pytest.approx((2 + 1) / (3 + 4))
    assert flows.customers["statut"].to_dict() == {"A": "conservé", "B": "perdu", "C": "conservé",
                                                   "D": "nouveau", "E": "nouveau"}
    summary = flows.summary()
    assert summary["perdus"] == 1 and summary["taux_rotation"] == pytest.approx(3 / 7)
    # Avec amount=None, l'avoir compte : B redevient actif en 2024.
    with_returns = kpis.customer_flows(tx, period_1=("2023-01-01", "2023-12-31"),
                                       period_2=("2024-01-01", "2024-12-31"), amount=None)
    assert with_returns.perdus == 0


def test_customer_flows_bad_periods(tx):
    p1 = ("2023-01-01", "2023-12-31")
    with pytest.raises(DataError, match="couple"):
        kpis.customer_flows(tx, period_1="2023", period_2=p1)
    with pytest.raises(DataError, match="date illisible"):
        kpis.customer_flows(tx, period_1=("2023-01-01", "demain"), period_2=("2024-01-01", "2024-12-31"))
    with pytest.raises(DataError, match=r"la fin .* est avant le début"):
        kpis.customer_flows(tx, period_1=("2023-12-31", "2023-01-01"), period_2=("2024-01-01", "2024-12-31"))
    with pytest.raises(DataError, match="commencer après"):
        kpis.customer_flows(tx, period_1=p1, period_2=("2023-06-01", "2024-12-31"))
    with pytest.raises(DataError, match="aucun client actif"), pytest.warns(DataWarning):
        kpis.customer_flows(tx, period_1=("2022-12-01", "2022-12-31"), period_2=p1)
    with pytest.warns(DataWarning, match="déborde"):
        kpis.customer_flows(tx, period_1=p1, period_2=("2024-01-01", "2025-12-31"))
    with pytest.raises(DataError, match="colonne introuvable"):
        kpis.customer_flows(tx.drop(columns="montant"), period_1=p1, period_2=("2024-01-01", "2024-12-31"))


def test_cohort_retention_by_hand(tx):
    table = kpis.cohort_retention(tx)
    # Cohortes du premier achat : 2023 = {A, B, C} ; 2024 = {D, E}. En 2024, A et C rachètent.
    assert table.index.tolist() == [2023, 2024]
    assert table.loc[2023, 0] == 1.0 and table.loc[2023, 1] == pytest.approx(2 / 3)
    assert table.loc[2024, 0] == 1.0 and math.isnan(table.loc[2024, 1])
    counts = kpis.cohort_retention(tx, counts=True)
    assert counts.loc[2023].tolist() == [3.0, 2.0]


def test_cohort_retention_with_signup_dates_counts_non_buyers(tx):
    clients = pd.DataFrame({"client_id": ["A", "B", "C", "D", "E", "F"],
                            "date_inscription": pd.to_datetime(["2023-01-01"] * 3 + ["2024-01-01"] * 3)})
    table = kpis.cohort_retention(tx, clients)
    # Cohorte 2024 : D, E, F (F n'a jamais acheté) → 2 actifs sur 3.
    assert table.loc[2024, 0] == pytest.approx(2 / 3)
    assert table.loc[2023, 1] == pytest.approx(2 / 3)
    unknown = pd.concat([tx, pd.DataFrame({"client_id": ["Z"], "date": pd.to_datetime(["2024-03-01"]),
                                           "montant": [5.0]})])
    with pytest.warns(DataWarning, match="absents"):
        kpis.cohort_retention(unknown, clients)


def test_cohort_retention_not_churned_and_quarters():
    tx = pd.DataFrame({"client_id": [1, 1, 2, 3],
                       "date": pd.to_datetime(["2022-02-01", "2024-03-01", "2022-05-01", "2023-01-01"]),
                       "montant": [1.0, 1.0, 1.0, 1.0]})
    active = kpis.cohort_retention(tx)
    alive = kpis.cohort_retention(tx, how="not_churned")
    # Client 1 : achats 2022 et 2024 ; pas actif en 2023 mais pas encore perdu.
    assert active.loc[2022].tolist() == [1.0, 0.0, 0.5]
    assert alive.loc[2022].tolist() == [1.0, 0.5, 0.5]
    quarters = kpis.cohort_retention(tx, freq="Q")
    assert quarters.index.tolist() == ["2022Q1", "2022Q2", "2023Q1"]
    assert quarters.loc["2022Q1", 8] == 1.0
    with pytest.raises(DataError, match="fréquence inconnue"):
        kpis.cohort_retention(tx, freq="siècle")
    with pytest.raises(DataError, match="how"):
        kpis.cohort_retention(tx, how="vivant")


# --------------------------------------------------------------------------- transformation
def test_conversion_table_from_frame():
    prospects = pd.DataFrame({"source": ["salon", "salon", "web", "web", "web"],
                              "client": [True, False, True, True, False]})
    overall = kpis.conversion_table(prospects, converted="client")
    assert overall["taux_transformation"] == pytest.approx(3 / 5)
    by_source = kpis.conversion_table(prospects, converted="client", by="source")
    assert by_source["convertis"].tolist() == [1, 2]
    assert by_source["taux_transformation"].tolist() == pytest.approx([0.5, 2 / 3])
    bad = prospects.assign(client=[1, 0, 2, 1, 0])
    with pytest.raises(DataError, match="au lieu de vrai/faux") as info:
        kpis.conversion_table(bad, converted="client")
    assert (info.value.column, info.value.line) == ("client", 3)


def test_repurchase_after_contact_window():
    contacts = pd.DataFrame({"client_id": ["A", "B", "C", "D"], "canal": ["tél", "tél", "web", "web"],
                             "date": pd.to_datetime(["2024-01-01 15:30", "2024-01-01", "2024-01-10",
                                                     "2024-01-10"], format="mixed")})
    tx = pd.DataFrame({"client_id": ["A", "B", "C", "D", "D"],
                       "date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-05", "2024-01-20",
                                               "2024-01-11"]),
                       "montant": [10.0, 10.0, 10.0, 10.0, -5.0]})
    # A : achat le jour même → oui ; B : 31 jours après → non ; C : achat avant → non ;
    # D : avoir le lendemain (ne compte pas) puis achat 10 jours après → oui.
    out = kpis.repurchase_after_contact(contacts, tx, within_days=30, by="canal")
    assert out["rachats"].tolist() == [1, 1]
    assert out["taux_reachat_apres_contact"].tolist() == [0.5, 0.5]
    assert kpis.repurchase_after_contact(contacts, tx, within_days=31)["rachats"] == 3
    assert kpis.repurchase_after_contact(contacts, tx, within_days=5)["rachats"] == 1
    # l'ancien nom reste utilisable (cahiers déjà distribués) mais prévient qu'il est trompeur
    with pytest.warns(FutureWarning, match="réachat après contact"):
        old = kpis.contact_conversion(contacts, tx, within_days=30)
    assert old["convertis"] == 2 and old["taux_transformation"] == 0.5


# --------------------------------------------------------------------------- satisfaction et NPS
def test_satisfaction_index_by_hand():
    answers = pd.DataFrame({"canal": ["tél", "tél", "tél", "web", "web"],
                            "satisfaction": pd.array([5, 4, None, 2, 3], dtype="Int64")})
    overall = kpis.satisfaction_index(answers)
    assert overall["moyenne"] == pytest.approx(14 / 4)
    assert overall["part_satisfaits"] == pytest.approx(2 / 4)
    assert (overall["repondants"], overall["sans_reponse"]) == (4, 1)
    by = kpis.satisfaction_index(answers, by="canal")
    assert by.loc["tél", "moyenne"] == 4.5 and by.loc["tél", "part_satisfaits"] == 1.0
    assert by.loc["web", "part_satisfaits"] == 0.0 and by.loc["tél", "sans_reponse"] == 1
    assert kpis.satisfaction_index(answers["satisfaction"], threshold=3)["part_satisfaits"] == 0.75


def test_satisfaction_errors():
    with pytest.raises(DataError, match="hors de l'échelle 1 à 5") as info:
        kpis.satisfaction_index(pd.DataFrame({"satisfaction": [4, 6]}))
    assert info.value.line == 2
    with pytest.raises(DataError, match="aucune note"):
        kpis.satisfaction_index(pd.Series([np.nan, np.nan], name="satisfaction"))
    with pytest.raises(DataError, match="« threshold » doit être entre 1 et 5"):
        kpis.satisfaction_index(pd.Series([4, 5]), threshold=6)
    with pytest.raises(DataError, match="« by » demande un tableau"):
        kpis.satisfaction_index(pd.Series([4, 5]), by="canal")


def test_satisfaction_from_counts():
    out = kpis.satisfaction_from_counts({1: 2, 2: 3, 3: 5, 4: 6, 5: 4})
    assert out["moyenne"] == pytest.approx((2 + 6 + 15 + 24 + 20) / 20)
    assert out["part_satisfaits"] == 0.5 and out["repondants"] == 20
    with pytest.raises(DataError):
        kpis.satisfaction_from_counts({4: -1, 5: 3})


def test_nps_by_hand():
    answers = pd.DataFrame({"canal": ["a"] * 5 + ["b"] * 3, "nps": [10, 9, 8, 3, None, 0, 6, 7]})
    overall = kpis.nps(answers)
    # 7 répondants : 2 promoteurs, 2 passifs, 3 détracteurs → (2 − 3) / 7 × 100
    assert overall["nps"] == pytest.approx(-100 / 7)
    assert overall["promoteurs"] + overall["passifs"] + overall["detracteurs"] == pytest.approx(1.0)
    by = kpis.nps(answers, by="canal")
    assert by.loc["a", "nps"] == pytest.approx(25.0) and by.loc["b", "nps"] == pytest.approx(-200 / 3)
    assert by["repondants"].tolist() == [4, 3]
    assert kpis.nps_from_counts(promoters=50, passives=30, detractors=20) == 30.0
    with pytest.raises(DataError, match="hors de l'échelle 0 à 10"):
        kpis.nps(pd.Series([11], name="nps"))
    with pytest.raises(DataError, match="aucun répondant"):
        kpis.nps_from_counts(promoters=0, passives=0, detractors=0)


@given(st.lists(st.one_of(st.integers(0, 10), st.none()), min_size=1, max_size=60).filter(
    lambda xs: any(x is not None for x in xs)))
def test_nps_within_bounds(scores):
    out = kpis.nps(pd.Series(pd.array(scores, dtype="Int64"), name="nps"))
    assert -100.0 <= out["nps"] <= 100.0
    valid = [x for x in scores if x is not None]
    expected = 100 * (sum(x >= 9 for x in valid) - sum(x <= 6 for x in valid)) / len(valid)
    assert out["nps"] == pytest.approx(expected)


# --------------------------------------------------------------------------- données du cours
@pytest.fixture(scope="module")
def bundled():
    from coursehelpers import datasets

    return datasets.load_transactions(), datasets.load_clients(), datasets.load_contacts()


def test_bundled_2021_cohort_loses_about_half_in_five_years(bundled):
    transactions, _, _ = bundled
    table = kpis.cohort_retention(transactions)
    assert table.loc[2021, 0] == 1.0
    assert 0.40 <= table.loc[2021, 4] <= 0.60
    assert table.stack().dropna().between(0, 1).all()
    # Même cohorte, recalculée autrement : clients dont le premier achat est en 2021 et actifs en 2025.
    buys = transactions[transactions["montant"] > 0]
    first_year = buys.groupby("client_id")["date"].min().dt.year
    cohort = set(first_year[first_year == 2021].index)
    active_2025 = set(buys.loc[buys["date"].dt.year == 2025, "client_id"])
    assert table.loc[2021, 4] == pytest.approx(len(cohort & active_2025) / len(cohort))


def test_bundled_flows_match_set_arithmetic(bundled):
    transactions, _, _ = bundled
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        flows = kpis.customer_flows(transactions, period_1=("2023-01-01", "2023-12-31"),
                                    period_2=("2024-01-01", "2024-12-31"))
    buys = transactions[transactions["montant"] > 0]
    s1 = set(buys.loc[buys["date"].dt.year == 2023, "client_id"])
    s2 = set(buys.loc[buys["date"].dt.year == 2024, "client_id"])
    assert (flows.clients_p1, flows.clients_p2, flows.conserves, flows.perdus, flows.nouveaux) == \
        (len(s1), len(s2), len(s1 & s2), len(s1 - s2), len(s2 - s1))
    assert 0 < flows.taux_attrition < 1 and 0 < flows.taux_rotation < 1


def test_bundled_satisfaction_and_nps_by_channel(bundled):
    _, _, contacts = bundled
    sat = kpis.satisfaction_index(contacts, by="canal")
    assert len(sat) == contacts["canal"].nunique() >= 5
    assert sat["moyenne"].between(1, 5).all() and sat["part_satisfaits"].between(0, 1).all()
    assert sat["repondants"].sum() == contacts["satisfaction"].notna().sum()
    score = kpis.nps(contacts, by="canal")
    assert score["nps"].between(-100, 100).all()
    assert score["repondants"].sum() == contacts["nps"].notna().sum()
    conv = kpis.repurchase_after_contact(contacts, bundled[0], within_days=30, by="canal")
    assert conv["taux_reachat_apres_contact"].between(0, 1).all()
    assert conv["effectif"].sum() == len(contacts)


def test_churn_flags_and_churn_by_by_hand() -> None:
    from coursehelpers.kpis import churn_by, churn_flags

    tx = pd.DataFrame({
        "client_id": ["A", "A", "B", "B", "C", "D"],
        "date": pd.to_datetime(["2024-03-01", "2025-02-01", "2024-05-01", "2025-03-01",
                                "2024-06-01", "2025-01-15"]),
        "montant": [50.0, 20.0, 30.0, -30.0, 10.0, 10.0],
    })
    flags = churn_flags(tx, since="2025-01-01")
    # A rachète ; B n'a qu'un avoir en 2025 (pas un achat) -> parti ; C parti ; D hors population
    assert flags.to_dict() == {"A": False, "B": True, "C": True}
    customers = pd.DataFrame({"carte": ["oui", "non", "non"]}, index=["A", "B", "C"]).join(flags)
    table = churn_by(customers, by="carte")
    assert table.loc["oui"].tolist() == [1, 0, 0.0]
    assert table.loc["non"].tolist() == [2, 2, 1.0]
    assert table.loc["Ensemble", "taux_attrition"] == pytest.approx(2 / 3)
    with pytest.raises(DataError, match="aucun achat avant"):
        churn_flags(tx, since="2020-01-01")


def test_churn_flags_on_bundled_data_match_the_data_card() -> None:
    """Fiche des données : parmi les inscrits de 2021, environ la moitié est partie fin 2025."""
    from coursehelpers import datasets
    from coursehelpers.kpis import churn_flags

    tx, clients = datasets.load_transactions(), datasets.load_clients()
    flags = churn_flags(tx, since="2025-01-01")
    cohort = clients.loc[clients["date_inscription"].dt.year == 2021, "client_id"]
    rate = flags.reindex(cohort).dropna().astype(bool).mean()
    assert 0.40 < rate < 0.60
