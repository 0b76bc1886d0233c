"""Explorateurs « leviers de fidélité » et « tableau de bord » : calculs à la main, mise à jour, erreurs."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from coursehelpers import kpis, widgets
from coursehelpers.errors import DataError

NB = "\u00a0"


class FakeHandle:
    """Remplace le DisplayHandle d'IPython : garde les mises à jour reçues."""

    def __init__(self) -> None:
        self.updates: list[dict] = []

    def update(self, bundle: dict, raw: bool = False) -> None:
        self.updates.append(bundle)


@pytest.fixture()
def clients() -> pd.DataFrame:
    return pd.DataFrame({
        "client_id": list("ABCDEF"),
        "carte_fidelite": [True, True, False, False, False, True],
        "canal_acquisition": ["magasin", "site web", "magasin", "site web", "site web", "magasin"],
        "date_inscription": pd.to_datetime(["2023-01-05"] * 5 + ["2024-06-01"]),  # F : trop récent
    })


@pytest.fixture()
def transactions() -> pd.DataFrame:
    rows = [("A", "2024-01-10", 10.0, "x"), ("A", "2024-02-10", 10.0, "y"), ("A", "2024-03-10", 10.0, "z"),
            ("B", "2024-04-01", 20.0, "x"),
            ("C", "2024-05-01", 15.0, "x"), ("C", "2024-06-01", 15.0, "x"),
            ("D", "2024-07-01", 40.0, "y"),
            *[("E", f"2024-0{m}-15", 10.0, "xy"[m % 2]) for m in range(1, 6)],
            ("F", "2024-07-01", 99.0, "x"),
            ("A", "2025-02-01", 12.0, "x"), ("C", "2025-03-01", 8.0, "y"),  # A et C restent
            ("D", "2025-03-01", -40.0, "y")]  # un avoir n'est pas un achat : D est parti
    frame = pd.DataFrame(rows, columns=["client_id", "date", "montant", "categorie"])
    return frame.assign(date=pd.to_datetime(frame["date"]))


@pytest.fixture()
def contacts() -> pd.DataFrame:
    return pd.DataFrame({
        "client_id": ["A", "A", "B", "D", "E", "C"],
        "date": pd.to_datetime(["2024-02-01", "2024-03-01", "2024-04-02", "2024-07-05", "2024-05-20",
                                "2025-04-01"]),
        "motif": ["réclamation", "livraison", "livraison", "facturation", "réclamation", "livraison"],
        "resolu": [True, True, False, True, False, True],
        "satisfaction": pd.array([5, 5, 1, 3, 2, 1], dtype="Int64"),  # note de C en 2025 : ignorée
    })


def test_loyalty_frame_measures_levers_before_since(clients, transactions, contacts) -> None:
    frame = widgets.loyalty_frame(clients, transactions, contacts, since="2025-01-01")
    assert frame.index.tolist() == list("ABCDE")  # F inscrit en 2024 : hors population
    assert frame["parti"].tolist() == [False, True, False, True, True]
    assert frame["commandes"].tolist() == [3, 1, 2, 1, 5]
    assert frame["ca"].tolist() == [30.0, 20.0, 30.0, 40.0, 50.0]  # achats 2025 exclus
    assert frame["familles"].tolist() == [3, 1, 1, 1, 2]
    assert frame["note"].astype(str).tolist() == ["5 / 5", "1 / 5", "sans note", "3 / 5", "2 / 5"]
    assert frame["reclamation"].astype(str).tolist() == [
        "réclamation résolue", "aucune réclamation", "aucune réclamation", "aucune réclamation",
        "réclamation non résolue"]
    assert frame["carte"].tolist() == ["avec carte", "avec carte", "sans carte", "sans carte", "sans carte"]


def test_loyalty_table_by_hand(clients, transactions, contacts) -> None:
    frame = widgets.loyalty_frame(clients, transactions, contacts)
    table = widgets.loyalty_table(frame, lever="carte")
    assert table["clients"].tolist() == [2, 3, 5]
    assert table["taux_attrition"].tolist() == pytest.approx([1 / 2, 2 / 3, 3 / 5])
    assert table["ca_moyen"].tolist() == pytest.approx([25.0, 40.0, 34.0])  # (30+20)/2, (30+40+50)/3
    same = widgets.loyalty_table(frame, lever="carte", orders=(1, 2))  # A (3) et E (5) écartés
    assert same["taux_attrition"].tolist() == pytest.approx([1.0, 0.5, 2 / 3])
    families = widgets.loyalty_table(frame, lever="familles")
    assert families.loc[1, "taux_attrition"] == pytest.approx(2 / 3)  # B, D partis sur B, C, D
    with pytest.raises(DataError, match="entre 7 et 9 commandes"):
        widgets.loyalty_table(frame, lever="carte", orders=(7, 9))


def test_loyalty_explorer_updates_in_place(clients, transactions, contacts) -> None:
    explorer = widgets.loyalty_explorer(clients, transactions, contacts)
    assert explorer.controls["levier"].options[0] == "Satisfaction moyenne (tranches)"
    assert explorer.controls["commandes"].value == (1, 5)
    assert f"**60,0{NB}%** sont partis" in explorer.outputs["resume"]
    handles = {key: FakeHandle() for key in explorer.bundles}
    explorer._handles = handles
    figure = explorer.outputs["figure"]
    explorer.controls["levier"].value = "Carte de fidélité"  # ce que fait le menu dans le navigateur
    table = explorer.outputs["tableau"]
    assert table.index.tolist() == ["avec carte", "sans carte", "Ensemble"]
    assert table["Part de partis"].tolist() == [f"50,0{NB}%", f"66,7{NB}%", f"60,0{NB}%"]
    assert table["CA moyen"].tolist() == [f"25{NB}€", f"40{NB}€", f"34{NB}€"]
    assert "<table" in handles["tableau"].updates[-1]["text/html"]
    assert handles["figure"].updates[-1]["image/png"]
    explorer.update(commandes=(1, 2))
    assert explorer.outputs["tableau"]["Part de partis"].tolist() == [f"100,0{NB}%", f"50,0{NB}%",
                                                                       f"66,7{NB}%"]
    assert explorer.outputs["figure"] is figure  # même figure, barres mises à jour
    ax = figure.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["avec carte", "sans carte"]
    assert [round(p.get_width(), 3) for p in ax.patches[:2]] == [1.0, 0.5]
    explorer.update(levier="Réclamation résolue ou non", commandes=(1, 5))
    assert explorer.outputs["tableau"].loc["réclamation non résolue", "Part de partis"] == f"100,0{NB}%"
    assert isinstance(explorer.outputs["figure"], Figure) and explorer.outputs["figure"] is figure


def test_loyalty_explorer_without_contacts_offers_fewer_levers(clients, transactions) -> None:
    explorer = widgets.loyalty_explorer(clients, transactions, signup_before=None)
    assert list(explorer.controls["levier"].options) == [
        "Carte de fidélité", "Familles de produits achetées", "Canal d'acquisition"]
    assert explorer.outputs["tableau"].loc["Ensemble", "Clients"] == "6"  # F compté
    with pytest.raises(DataError, match="Choix possibles"):
        explorer.update(levier="Réclamation résolue ou non")


def test_loyalty_explorer_bad_input_is_french(clients, transactions, contacts) -> None:
    with pytest.raises(DataError, match="transactions"):
        widgets.loyalty_explorer(clients)
    with pytest.raises(DataError, match="montant"):
        widgets.loyalty_explorer(clients, transactions.drop(columns="montant"))
    with pytest.raises(DataError, match="signup_before=None"):
        widgets.loyalty_explorer(clients.drop(columns="date_inscription"), transactions)
    with pytest.raises(DataError, match="since"):
        widgets.loyalty_explorer(clients, transactions, since="bientôt")
    with pytest.raises(DataError, match="aucun client"):
        widgets.loyalty_explorer(clients.assign(client_id=list("UVWXYZ")), transactions)
    with pytest.raises(DataError, match="vrai/faux"):
        widgets.loyalty_explorer(clients.assign(carte_fidelite="oui"), transactions)
    explorer = widgets.loyalty_explorer(clients, transactions, contacts)
    with pytest.raises(DataError, match="commandes"):
        explorer.update(commandes=(4, 4))  # personne n'a 4 commandes


# --------------------------------------------------------------------------- tableau de bord
@pytest.fixture()
def small() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    tx = pd.DataFrame({
        "client_id": ["A", "B", "C", "A", "D", "D"],
        "date": pd.to_datetime(["2023-03-01", "2023-06-01", "2023-11-15", "2024-02-10", "2024-07-01",
                                "2025-01-05"]),
        "montant": [50.0, 20.0, 30.0, 40.0, 15.0, 25.0],
    })
    ct = pd.DataFrame({
        "client_id": ["A", "B", "C", "A", "D", "B"],
        "date": pd.to_datetime(["2023-02-20", "2023-05-01", "2023-11-01", "2024-02-01", "2024-12-20",
                                "2025-03-01"]),
        "satisfaction": pd.array([5, 2, 4, 3, pd.NA, 1], dtype="Int64"),
        "nps": pd.array([10, 3, 9, pd.NA, 7, 0], dtype="Int64"),
    })
    cl = pd.DataFrame({"client_id": list("ABCD"), "carte_fidelite": [True, False, True, False],
                       "canal_acquisition": ["magasin", "web", "web", "magasin"]})
    return tx, ct, cl


def test_dashboard_explorer_default_view_and_updates(small) -> None:
    tx, ct, cl = small
    explorer = widgets.kpi_dashboard_explorer(tx, ct, cl)
    assert list(explorer.controls["segment"].options) == ["Aucun", "Carte de fidélité", "Canal d'acquisition"]
    table = explorer.outputs["tableau"]
    assert table.index.tolist() == [2023, 2024, 2025]
    assert table["Ensemble"].tolist() == ["3,67", "3,00", "1,00"]  # 11/3, 3, 1
    handles = {key: FakeHandle() for key in explorer.bundles}
    explorer._handles = handles
    figure = explorer.outputs["figure"]
    explorer.controls["indicateur"].value = "Taux d'attrition"
    assert explorer.outputs["tableau"]["Ensemble"].tolist() == ["", f"66,7{NB}%", f"50,0{NB}%"]
    assert "**50,0" in handles["resume"].updates[-1]["text/markdown"]
    explorer.update(segment="Carte de fidélité")
    wide = explorer.outputs["tableau"]
    assert wide.columns.tolist() == ["avec carte", "sans carte"]
    assert wide.loc[2024].tolist() == [f"50,0{NB}%", f"100,0{NB}%"]  # C perdu sur A, C ; B perdu
    ax = explorer.outputs["figure"].axes[0]
    assert explorer.outputs["figure"] is figure
    assert sum(line.get_visible() for line in ax.lines if line.get_marker() == "o") == 2
    assert ax.get_legend() is not None
    explorer.update(pas="Trimestre", segment="Aucun")
    assert explorer.outputs["tableau"].index[0] == "2023T1" and len(explorer.outputs["tableau"]) == 9
    assert explorer.outputs["figure"] is figure


def test_dashboard_explorer_matches_kpi_dashboard(small) -> None:
    tx, ct, cl = small
    explorer = widgets.kpi_dashboard_explorer(tx, ct, cl)
    wide = explorer.series(indicator="NPS", step="Année", segment="Canal d'acquisition")
    old_names = explorer.series(indicateur="NPS", pas="Année", segment="Canal d'acquisition")
    pd.testing.assert_frame_equal(wide, old_names)  # anciens noms français acceptés
    expected = kpis.kpi_dashboard(tx, ct, by="canal_acquisition", clients=cl)["nps"].unstack()
    assert np.allclose(wide.to_numpy(), expected.to_numpy(), equal_nan=True)
    explorer.update(segment="Canal d'acquisition", indicateur="NPS")
    hits = explorer.cache_hits
    explorer.update(indicateur="Satisfaction moyenne")
    explorer.update(indicateur="NPS")
    assert explorer.cache_hits == hits + 1


def test_dashboard_explorer_tables_equal_kpi_dashboard_calls() -> None:
    """Réachat après contact calculé une fois pour les six tableaux : mêmes tableaux que six appels
    de kpis.kpi_dashboard (données du cours, contacts dont le client est inconnu compris)."""
    from coursehelpers import datasets
    from coursehelpers._core.customers import card_labels

    tx, ct, cl = datasets.load_transactions(), datasets.load_contacts(), datasets.load_clients()
    ct = pd.concat([ct, ct.head(3).assign(client_id="INCONNU")], ignore_index=True)
    explorer = widgets.kpi_dashboard_explorer(tx, ct, cl)
    prepared = cl.assign(carte_fidelite=card_labels(cl["carte_fidelite"]),
                         canal_acquisition=cl["canal_acquisition"].astype("string"))
    for (step, label), table in explorer._tables.items():
        by = {"Aucun": None, "Carte de fidélité": "carte_fidelite",
              "Canal d'acquisition": "canal_acquisition"}[label]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = kpis.kpi_dashboard(tx, ct, freq={"Année": "Y", "Trimestre": "Q"}[step], by=by,
                                          clients=prepared if by else None)
        if step == "Trimestre":
            expected = expected.rename(index=lambda p: str(p).replace("Q", "T"), level=0)
        pd.testing.assert_frame_equal(table, expected)


def test_dashboard_explorer_bad_input_is_french(small) -> None:
    tx, ct, cl = small
    with pytest.raises(DataError, match="contacts"):
        widgets.kpi_dashboard_explorer(tx)
    with pytest.raises(DataError, match="satisfaction"):
        widgets.kpi_dashboard_explorer(tx, ct.drop(columns="satisfaction"))
    with pytest.raises(DataError, match="vrai/faux"):
        widgets.kpi_dashboard_explorer(tx, ct, cl.assign(carte_fidelite="oui"))
    explorer = widgets.kpi_dashboard_explorer(tx, ct)  # sans clients : pas de segment
    assert list(explorer.controls["segment"].options) == ["Aucun"]
    with pytest.raises(DataError, match="Choix possibles"):
        explorer.update(segment="Carte de fidélité")
