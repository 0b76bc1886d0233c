"""kpis.kpi_dashboard : indicateurs par période et par segment, calculés à la main."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coursehelpers import datasets, kpis
from coursehelpers.errors import DataError, DataWarning


@pytest.fixture()
def transactions() -> pd.DataFrame:
    # 2023 : A, B, C actifs ; 2024 : A, D (B n'a qu'un avoir, C rien) ; 2025 : D
    return pd.DataFrame({
        "client_id": ["A", "B", "C", "A", "B", "D", "D"],
        "date": pd.to_datetime(["2023-03-01", "2023-06-01", "2023-11-15", "2024-02-10", "2024-05-01",
                                "2024-07-01", "2025-01-05"]),
        "montant": [50.0, 20.0, 30.0, 40.0, -20.0, 15.0, 25.0],
    })


@pytest.fixture()
def contacts() -> pd.DataFrame:
    return pd.DataFrame({
        "client_id": ["A", "B", "C", "A", "D", "B"],
        "date": pd.to_datetime(["2023-02-20", "2023-05-01", "2023-11-01", "2024-02-01", "2024-12-20",
                                "2025-03-01"]),
        "canal": ["téléphone", "FAQ", "téléphone", "FAQ", "téléphone", "FAQ"],
        "satisfaction": pd.array([5, 2, 4, 3, pd.NA, 1], dtype="Int64"),
        "nps": pd.array([10, 3, 9, pd.NA, 7, 0], dtype="Int64"),
    })


@pytest.fixture()
def clients() -> pd.DataFrame:
    return pd.DataFrame({"client_id": ["A", "B", "C", "D"], "carte": ["oui", "non", "oui", "non"]})


def test_yearly_dashboard_by_hand(transactions, contacts) -> None:
    t = kpis.kpi_dashboard(transactions, contacts)
    assert t.index.tolist() == [2023, 2024, 2025] and t.index.name == "periode"
    assert t["contacts"].tolist() == [3, 2, 1]
    # 2023 : notes 5, 2, 4 → 11 / 3 ; satisfaits (≥ 4) : 2 sur 3
    assert t.loc[2023, "satisfaction"] == pytest.approx(11 / 3)
    assert t.loc[2023, "part_satisfaits"] == pytest.approx(2 / 3)
    # NPS 2023 : promoteurs 10 et 9, détracteur 3 → (2 − 1) / 3 = +33,3 points
    assert t.loc[2023, "nps"] == pytest.approx(100 / 3)
    assert t.loc[2024, "nps"] == 0.0  # un seul répondant, passif (7)
    assert t.loc[2025, "nps"] == -100.0
    # réachat après contact 2023 : A (achat 9 jours après) oui, B (31 jours) non, C (14 jours) oui
    assert t.loc[2023, "taux_reachat_apres_contact"] == pytest.approx(2 / 3)
    # 2024 : A (9 jours) oui ; D (16 jours, achat le 05/01/2025) oui ; 2025 : B rien → 0
    assert t.loc[2024, "taux_reachat_apres_contact"] == 1.0
    assert t.loc[2025, "taux_reachat_apres_contact"] == 0.0
    assert t["clients_actifs"].tolist() == [3, 2, 1]  # l'avoir de B en 2024 n'est pas un achat
    # 2024 : B et C perdus sur A, B, C → 2/3 ; 2025 : A perdu sur A, D → 1/2
    assert np.isnan(t.loc[2023, "taux_attrition"])
    assert t.loc[2024, "taux_attrition"] == pytest.approx(2 / 3)
    assert t.loc[2025, "taux_attrition"] == 0.5


def test_within_days_changes_the_conversion(transactions, contacts) -> None:
    t = kpis.kpi_dashboard(transactions, contacts, within_days=31)
    assert t.loc[2023, "taux_reachat_apres_contact"] == 1.0  # B achète 31 jours après son contact
    t = kpis.kpi_dashboard(transactions, contacts, within_days=10)
    assert t.loc[2024, "taux_reachat_apres_contact"] == 0.5  # D : 16 jours, hors fenêtre


def test_segment_from_clients_gives_every_indicator(transactions, contacts, clients) -> None:
    t = kpis.kpi_dashboard(transactions, contacts, by="carte", clients=clients)
    assert t.index.names == ["periode", "carte"]
    assert t.index.tolist() == [(y, s) for y in (2023, 2024, 2025) for s in ("non", "oui")]
    assert t.loc[(2023, "oui"), "satisfaction"] == 4.5  # A (5) et C (4)
    assert t.loc[(2023, "non"), "satisfaction"] == 2.0
    assert t.loc[(2023, "oui"), "taux_reachat_apres_contact"] == 1.0
    assert t.loc[(2023, "non"), "taux_reachat_apres_contact"] == 0.0
    # attrition 2024 : « oui » = A, C actifs en 2023, C perdu → 1/2 ; « non » = B perdu → 1
    assert t.loc[(2024, "oui"), "taux_attrition"] == 0.5
    assert t.loc[(2024, "non"), "taux_attrition"] == 1.0
    assert t.loc[(2025, "oui"), "taux_attrition"] == 1.0  # A perdu
    assert t.loc[(2025, "non"), "taux_attrition"] == 0.0  # D conservé
    assert t.loc[(2025, "oui"), "contacts"] == 0 and np.isnan(t.loc[(2025, "oui"), "satisfaction"])


def test_segment_from_contacts_leaves_attrition_empty(transactions, contacts) -> None:
    t = kpis.kpi_dashboard(transactions, contacts, by="canal")
    assert t.loc[(2023, "téléphone"), "satisfaction"] == 4.5
    assert t.loc[(2023, "FAQ"), "contacts"] == 1
    assert t["taux_attrition"].isna().all() and t["clients_actifs"].isna().all()


def test_quarterly_periods_and_missing_nps_column(transactions, contacts) -> None:
    t = kpis.kpi_dashboard(transactions, contacts.drop(columns="nps"), freq="Q")
    assert t.index[0] == "2023Q1" and t.index[-1] == "2025Q1" and len(t) == 9  # trimestres sans trou
    assert t["nps"].isna().all()
    assert t.loc["2023Q2", "clients_actifs"] == 1  # B le 01/06/2023
    # 2023Q3 : personne n'achète → B (actif au T2) perdu
    assert t.loc["2023Q3", "taux_attrition"] == 1.0 and np.isnan(t.loc["2023Q4", "taux_attrition"])


def test_unknown_customers_are_reported(transactions, contacts, clients) -> None:
    with pytest.warns(DataWarning) as record:
        known = clients[clients["client_id"] != "D"]
        t = kpis.kpi_dashboard(transactions, contacts, by="carte", clients=known)
    messages = sorted(str(w.message)[:25] for w in record)
    assert messages == ["1 contacts sans segment (", "2 achats sans segment (cl"]
    assert t.loc[(2024, "non"), "contacts"] == 0  # le contact de D est ignoré


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"freq": "S"}, "freq"),
    ({"by": "region"}, "region"),
    ({"by": "carte", "clients": "abc"}, "DataFrame"),
    ({"within_days": -1}, "within_days"),
])
def test_bad_options_raise_french_errors(transactions, contacts, kwargs, match) -> None:
    with pytest.raises(DataError, match=match):
        kpis.kpi_dashboard(transactions, contacts, **kwargs)


def test_bad_frames_raise_french_errors(transactions, contacts, clients) -> None:
    with pytest.raises(DataError, match="satisfaction"):
        kpis.kpi_dashboard(transactions, contacts.drop(columns="satisfaction"))
    bad = contacts.assign(date=contacts["date"].astype(str).where(contacts.index != 2, "hier"))
    with pytest.raises(DataError, match="date illisible") as err:
        kpis.kpi_dashboard(transactions, bad)
    assert err.value.line == 3
    with pytest.raises(DataError, match="« A » apparaît plusieurs fois") as err:  # message de _core.ids
        kpis.kpi_dashboard(transactions, contacts, by="carte", clients=pd.concat([clients, clients]))
    assert (err.value.column, err.value.line) == ("client_id", 5)
    with pytest.raises(DataError, match="aucun segment"):
        kpis.kpi_dashboard(transactions, contacts, by="carte", clients=clients.assign(client_id=[1, 2, 3, 4]))
    with pytest.raises(DataError, match="hors de l'échelle"):
        kpis.kpi_dashboard(transactions, contacts.assign(satisfaction=[5, 2, 4, 3, 9, 1]))


@pytest.fixture(scope="module")
def bundled() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return datasets.load_transactions(), datasets.load_contacts(), datasets.load_clients()


def test_bundled_data_matches_customer_flows_and_kpis(bundled) -> None:
    tx, ct, _ = bundled
    t = kpis.kpi_dashboard(tx, ct)
    assert t.index.tolist() == [2021, 2022, 2023, 2024, 2025]
    flows = kpis.customer_flows(tx, period_1=("2024-01-01", "2024-12-31"),
                                period_2=("2025-01-01", "2025-12-31"))
    assert t.loc[2025, "taux_attrition"] == pytest.approx(flows.taux_attrition)
    assert t.loc[2024, "clients_actifs"] == flows.clients_p1
    assert t.loc[2025, "clients_actifs"] == flows.clients_p2
    year = ct.assign(annee=ct["date"].dt.year)
    assert t["satisfaction"].to_numpy() == pytest.approx(
        kpis.satisfaction_index(year, by="annee")["moyenne"].to_numpy())
    assert t["nps"].to_numpy() == pytest.approx(kpis.nps(year, by="annee")["nps"].to_numpy())
    assert t["taux_reachat_apres_contact"].to_numpy() == pytest.approx(
        kpis.repurchase_after_contact(year, tx, by="annee")["taux_reachat_apres_contact"].to_numpy())
    assert t["contacts"].sum() == len(ct)


def test_bundled_segments_match_customer_flows_per_segment(bundled) -> None:
    tx, ct, cl = bundled
    t = kpis.kpi_dashboard(tx, ct, by="carte_fidelite", clients=cl)
    holders = cl.loc[cl["carte_fidelite"], "client_id"]
    flows = kpis.customer_flows(tx[tx["client_id"].isin(holders)], period_1=("2024-01-01", "2024-12-31"),
                                period_2=("2025-01-01", "2025-12-31"))
    assert t.loc[(2025, True), "taux_attrition"] == pytest.approx(flows.taux_attrition)
    assert t.xs(2025, level="periode")["contacts"].sum() == (ct["date"].dt.year == 2025).sum()
