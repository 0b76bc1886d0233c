"""Une seule lecture des dates, jour d'abord : « 01/03/2024 » est le 1er mars partout.

Avant le ticket 11, ``rfm_table(as_of="01/03/2024")`` comptait depuis le 1er mars mais
``clv_table(as_of="01/03/2024")`` depuis le 3 janvier (``pd.Timestamp`` lit le mois d'abord).
Chaque fonction publique qui prend une date est testée ici : l'écriture française donne le
même résultat que l'écriture ISO, et un résultat différent du 3 janvier.
"""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pandas as pd
import pytest
from exports import write

from coursehelpers import clv, kpis, rfm, widgets
from coursehelpers._core.dates import day_first_series, parse_day_first
from coursehelpers.crm_export import read_crm_export
from coursehelpers.errors import DataError, DataWarning

FRENCH, ISO, JANUARY = "01/03/2024", "2024-03-01", "2024-01-03"


@pytest.fixture
def transactions() -> pd.DataFrame:
    return pd.DataFrame({
        "client_id": ["A", "A", "B", "C", "C", "D"],
        "date": pd.to_datetime(["2023-02-10", "2023-12-20", "2023-06-01", "2023-03-05", "2024-02-15",
                                "2024-01-02"]),
        "montant": [100.0, 50.0, 80.0, 30.0, 60.0, 20.0],
    })


def test_parser_reads_day_first_and_objects() -> None:
    for value in (FRENCH, ISO, "2024-03-01 00:00", pd.Timestamp(ISO), dt.date(2024, 3, 1),
                  dt.datetime(2024, 3, 1), np.datetime64(ISO), pd.Timestamp(ISO, tz="Europe/Paris")):
        assert parse_day_first(value, name="as_of") == pd.Timestamp(ISO), value
    assert parse_day_first("31/12/2024", name="as_of") == pd.Timestamp("2024-12-31")
    column = day_first_series(pd.Series([FRENCH, ISO, None, "n'importe quoi"]))
    assert column.iloc[:2].tolist() == [pd.Timestamp(ISO)] * 2 and column.iloc[2:].isna().all()


@pytest.mark.parametrize("bad", ["03/31/2024", "mars 2024", "", None, 45321, float("nan")])
def test_parser_refuses_in_french(bad: object) -> None:
    with pytest.raises(DataError, match=r"« as_of » : date illisible.*31/03/2024"):
        parse_day_first(bad, name="as_of")


def test_rfm_table(transactions: pd.DataFrame) -> None:
    french = rfm.rfm_table(transactions, as_of=FRENCH)
    pd.testing.assert_frame_equal(french, rfm.rfm_table(transactions, as_of=ISO))
    assert french.loc["C", "recence"] == 15  # 15/02 → 01/03/2024
    with pytest.raises(DataError, match="2024-01-03"):  # le 3 janvier précède un achat de C
        rfm.rfm_table(transactions, as_of=JANUARY)


def test_clv_table_reads_the_day_first_like_rfm(transactions: pd.DataFrame) -> None:
    """Le bogue du ticket 11 : « 01/03/2024 » était le 3 janvier pour clv_table."""
    options = {"margin_rate": 0.3, "retention": 0.6, "discount_rate": 0.1}
    french = clv.clv_table(transactions, as_of=FRENCH, **options)
    pd.testing.assert_frame_equal(french, clv.clv_table(transactions, as_of=ISO, **options))
    pd.testing.assert_frame_equal(french, kpis.clv_table(transactions, as_of=FRENCH, **options))
    january = clv.clv_table(transactions, as_of=JANUARY, **options)
    # A : premier achat le 10/02/2023 ; ancienneté jusqu'au 1er mars 2024 = 385 j / 365,25
    assert french.loc["A", "anciennete_ans"] == pytest.approx(385 / 365.25)
    assert january.loc["A", "anciennete_ans"] < french.loc["A", "anciennete_ans"]


@pytest.mark.filterwarnings("ignore::coursehelpers.errors.DataWarning")  # période plus large que les données
def test_customer_flows(transactions: pd.DataFrame) -> None:
    french = kpis.customer_flows(transactions, period_1=("01/01/2023", "31/12/2023"),
                                 period_2=("01/01/2024", "29/02/2024"))
    iso = kpis.customer_flows(transactions, period_1=("2023-01-01", "2023-12-31"),
                              period_2=("2024-01-01", "2024-02-29"))
    pd.testing.assert_series_equal(french.summary(), iso.summary())
    assert (french.retained, french.lost, french.new) == (1, 2, 1)  # C reste ; A, B partent ; D arrive


def test_churn_flags(transactions: pd.DataFrame) -> None:
    french = kpis.churn_flags(transactions, since="01/02/2024")
    pd.testing.assert_series_equal(french, kpis.churn_flags(transactions, since="2024-02-01"))
    assert french.to_dict() == {"A": True, "B": True, "C": False, "D": True}
    # mois d'abord, « 01/02/2024 » serait le 2 janvier : D (1er achat le 02/01) sortirait du suivi
    assert "D" not in kpis.churn_flags(transactions, since="2024-01-02").index


def test_loyalty_frame_and_explorer(transactions: pd.DataFrame) -> None:
    clients = pd.DataFrame({"client_id": list("ABCD"), "carte_fidelite": [True, False, True, False],
                            "date_inscription": pd.to_datetime(["2023-01-01", "2023-01-05", "2023-02-01",
                                                                "2023-12-01"])})
    french = kpis.loyalty_frame(clients, transactions, since="01/02/2024", signup_before="02/01/2023")
    iso = kpis.loyalty_frame(clients, transactions, since="2024-02-01", signup_before="2023-01-02")
    pd.testing.assert_frame_equal(french, iso)
    assert french.index.tolist() == ["A"]  # inscrit avant le 2 janvier 2023 (pas le 1er février)
    explorer = widgets.loyalty_explorer(clients, transactions, since="01/02/2024", signup_before=None)
    assert "avant le 01/02/2024" in explorer.outputs["resume"]


def test_read_crm_export_today(tmp_path) -> None:
    text = "N° client;Date de commande;Montant TTC\n1;15/02/2024;10\n2;20/02/2024;5\n"
    path = write(tmp_path, "ventes.csv", text)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)  # 1er mars : aucune date future
        french = read_crm_export(path, today=FRENCH)
    pd.testing.assert_frame_equal(french, read_crm_export(path, today=ISO))
    with pytest.warns(DataWarning, match="2 date\\(s\\) postérieure\\(s\\) au 03/01/2024"):
        read_crm_export(path, today=JANUARY)
    with pytest.raises(DataError, match="« today » : date illisible"):
        read_crm_export(path, today="demain")
