"""Tests de coursehelpers.clv : panier moyen, CLV, seuil de rentabilité, acquisition/fidélisation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coursehelpers import clv as value
from coursehelpers import kpis
from coursehelpers.errors import DataError


# --------------------------------------------------------------------------- CLV
def test_clv_finite_horizon_by_hand():
    # 100 + 100 × 0,8 / 1,1 + 100 × 0,64 / 1,21
    expected = 100 + 80 / 1.1 + 64 / 1.21
    assert value.clv(margin=100, retention=0.8, discount_rate=0.1, years=3) == pytest.approx(expected)
    assert value.clv(margin=100, retention=0.8, discount_rate=0.1, years=3, acquisition_cost=50) == \
        pytest.approx(expected - 50)
    assert value.clv(margin=100, retention=1.0, discount_rate=0.0, years=4) == pytest.approx(400)
    assert value.clv(margin=100, retention=0.0, discount_rate=0.1, years=5) == pytest.approx(100)


def test_clv_infinite_horizon_by_hand():
    assert value.clv(margin=100, retention=0.8, discount_rate=0.1) == pytest.approx(100 * 1.1 / 0.3)
    assert value.clv(margin=100, retention=0.9, discount_rate=0.0) == pytest.approx(1000)
    with pytest.raises(DataError, match="horizon infini impossible"):
        value.clv(margin=100, retention=1.0, discount_rate=0.0)


def test_clv_is_vectorised_and_keeps_the_index():
    margins = pd.Series([100.0, 50.0], index=["C1", "C2"])
    out = value.clv(margin=margins, retention=0.5, discount_rate=0.0, years=2)
    assert isinstance(out, pd.Series) and out.index.tolist() == ["C1", "C2"]
    assert out.tolist() == [150.0, 75.0]
    arr = value.clv(margin=100, retention=np.array([0.0, 0.5]), discount_rate=0.0)
    assert arr.tolist() == [100.0, 200.0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"retention": 1.2}, "≤ 1"),
        ({"retention": -0.1}, "≥ 0"),
        ({"discount_rate": -0.05}, "≥ 0"),
        ({"acquisition_cost": -10}, "≥ 0"),
        ({"years": 0}, "entier ≥ 1"),
        ({"years": 2.5}, "entier ≥ 1"),
        ({"margin": "cent"}, "doit être un nombre"),
    ],
)
def test_clv_rejects_impossible_inputs(kwargs, message):
    args = {"margin": 100, "retention": 0.8, "discount_rate": 0.1, "years": 3} | kwargs
    with pytest.raises(DataError, match=message):
        value.clv(**args)


@given(m=st.floats(1, 1e4), r=st.floats(0, 0.99), d=st.floats(0, 0.5), years=st.integers(1, 30))
def test_clv_closed_form_equals_the_sum(m, r, d, years):
    direct = sum(m * r**t / (1 + d) ** t for t in range(years))
    assert value.clv(margin=m, retention=r, discount_rate=d, years=years) == pytest.approx(direct, rel=1e-9)
    assert value.clv(margin=m, retention=r, discount_rate=d) >= direct - 1e-6


def test_break_even_years_by_hand():
    # cumul : 100 ; 172,7 ; 225,6 → coût 200 remboursé la 3e année
    assert value.break_even_years(margin=100, retention=0.8, discount_rate=0.1, acquisition_cost=200) == 3
    assert value.break_even_years(margin=100, retention=0.8, discount_rate=0.1, acquisition_cost=0) == 0
    assert value.break_even_years(margin=100, retention=0.8, discount_rate=0.1, acquisition_cost=100) == 1
    # jamais : la valeur à horizon infini (366,67) est sous le coût
    assert math.isinf(value.break_even_years(margin=100, retention=0.8, discount_rate=0.1,
                                             acquisition_cost=400))
    assert value.break_even_years(margin=100, retention=1.0, discount_rate=0.0, acquisition_cost=250) == 3
    assert value.break_even_years(margin=100, retention=0.0, discount_rate=0.0, acquisition_cost=80) == 1
    assert math.isinf(value.break_even_years(margin=-5, retention=0.5, discount_rate=0.0, acquisition_cost=8))


@given(m=st.floats(1, 1000), r=st.floats(0, 1), d=st.floats(0, 0.3), cost=st.floats(0, 5000))
def test_break_even_matches_brute_force(m, r, d, cost):
    got = value.break_even_years(margin=m, retention=r, discount_rate=d, acquisition_cost=cost)
    total, years, before = 0.0, 0, 0.0
    while total < cost and years < 2000:
        before = total
        total += m * (r / (1 + d)) ** years
        years += 1
    if total < cost or years >= 2000:
        # au-delà de 2000 ans : seul le cas « jamais » est vérifié
        assert math.isinf(got) or got >= 1999
    elif math.isclose(before, cost, rel_tol=1e-9) or math.isclose(total, cost, rel_tol=1e-9):
        assert abs(got - years) <= 1      # frontière exacte : arrondi flottant toléré
    else:
        assert got == years


def test_retention_uplift_doubles_value_without_discounting():
    assert value.retention_uplift(margin=100, retention=0.90, discount_rate=0.0) == pytest.approx(1.0)
    # avec 10 % d'actualisation : (1,1/0,15) / (1,1/0,2) − 1 = 1/3
    assert value.retention_uplift(margin=100, retention=0.90, discount_rate=0.1) == pytest.approx(1 / 3)
    with pytest.raises(DataError, match="ne peut pas dépasser"):
        value.retention_uplift(margin=100, retention=0.98, discount_rate=0.1, uplift=0.05)


def test_acquisition_vs_retention():
    out = value.acquisition_vs_retention(acquisition_cost=80, retention_cost=10)
    assert out["rapport"] == 8.0 and out["surcout"] == 70.0 and out["dans_la_fourchette"] == 1.0
    assert value.acquisition_vs_retention(acquisition_cost=30, retention_cost=10)["dans_la_fourchette"] == 0.0
    assert value.ACQUISITION_COST_MULTIPLE == (5.0, 10.0)
    with pytest.raises(DataError, match="> 0"):
        value.acquisition_vs_retention(acquisition_cost=80, retention_cost=0)


def test_kpis_reexports_value_functions():
    assert kpis.clv is value.clv and kpis.average_basket is value.average_basket


# --------------------------------------------------------------------------- panier moyen
@pytest.fixture
def orders() -> pd.DataFrame:
    return pd.DataFrame({
        "commande_id": ["K1", "K1", "K2", "K3", "K4", "K4"],
        "canal": ["web", "web", "magasin", "web", "magasin", "magasin"],
        "montant": [30.0, 20.0, 70.0, -10.0, 40.0, -40.0],   # K3 : avoir seul ; K4 : remboursée
    })


def test_average_basket_net_and_ignore(orders):
    net = value.average_basket(orders)
    # CA net = 110 ; commandes de total positif : K1, K2
    assert (net["ca"], net["commandes"], net["panier_moyen"]) == (110.0, 2, 55.0)
    gross = value.average_basket(orders, returns="ignore")
    # CA brut = 160 ; commandes : K1, K2, K4
    assert (gross["ca"], gross["commandes"]) == (160.0, 3)
    assert gross["panier_moyen"] == pytest.approx(160 / 3)
    lines = value.average_basket(orders, order=None, returns="ignore")
    assert lines["commandes"] == 4 and lines["panier_moyen"] == 40.0
    assert value.average_basket_from_totals(revenue=12_000, orders=300) == 40.0


def test_average_basket_by_group(orders):
    out = value.average_basket(orders, by="canal")
    assert out.loc["web", "panier_moyen"] == pytest.approx(40 / 1)
    assert out.loc["magasin", "panier_moyen"] == pytest.approx(70 / 1)
    assert out["ca"].sum() == pytest.approx(110.0)


def test_average_basket_errors(orders):
    with pytest.raises(DataError, match="aucune commande"):
        value.average_basket(orders[orders["montant"] < 0])
    bad = orders.astype({"montant": object})
    bad.loc[2, "montant"] = "soixante-dix"
    with pytest.raises(DataError, match="non numérique") as info:
        value.average_basket(bad)
    assert (info.value.column, info.value.line) == ("montant", 3)
    with pytest.raises(DataError, match="returns"):
        value.average_basket(orders, returns="brut")
    with pytest.raises(DataError, match="> 0"):
        value.average_basket_from_totals(revenue=100, orders=0)


# --------------------------------------------------------------------------- CLV par client
@pytest.fixture
def history() -> pd.DataFrame:
    return pd.DataFrame({
        "client_id": ["A", "A", "B", "C"],
        "date": pd.to_datetime(["2021-01-01", "2022-06-30", "2022-12-31", "2022-07-01"]),
        "montant": [300.0, 300.0, 50.0, 100.0],
    })


def test_clv_table_by_hand(history):
    table = value.clv_table(history, margin_rate=0.5, retention=0.5, discount_rate=0.0,
                            as_of="2023-01-01")
    # A : 600 € sur 2 ans (730 j / 365,25) ; B et C : moins d'un an → compté 1 an.
    assert table.loc["A", "anciennete_ans"] == pytest.approx(730 / 365.25)
    assert table.loc["A", "ca_annuel"] == pytest.approx(600 / (730 / 365.25))
    assert table.loc["B", "ca_annuel"] == 50.0 and table.loc["C", "anciennete_ans"] == 1.0
    # client existant, horizon infini, r = 0,5, d = 0 : CLV = m·(0,5 + 0,25 + ...) = m·r/(1 − r) = m
    assert table["clv"].tolist() == pytest.approx((0.5 * table["ca_annuel"]).tolist())


def test_clv_table_with_segment_retention_and_summary(history):
    segments = pd.Series({"A": "fidèles", "B": "nouveaux", "C": "nouveaux"})
    table = value.clv_table(history, margin_rate=1.0, retention={"fidèles": 0.8, "nouveaux": 0.0},
                            discount_rate=0.0, years=2, segments=segments, as_of="2023-01-01")
    assert table.loc["B", "clv"] == 0.0            # r = 0 : le client ne reviendra pas, il ne vaut rien
    assert table.loc["A", "clv"] == pytest.approx(table.loc["A", "ca_annuel"] * (0.8 + 0.8**2))
    summary = value.clv_by_segment(table)
    assert summary.loc["nouveaux", "clients"] == 2
    assert summary.loc["nouveaux", "clv_totale"] == pytest.approx(0.0)
    assert summary["part_clv"].sum() == pytest.approx(1.0)
    with pytest.raises(DataError, match="pas de taux pour le segment 'nouveaux'"):
        value.clv_table(history, margin_rate=1.0, retention={"fidèles": 0.8}, discount_rate=0.0,
                        segments=segments)
    with pytest.raises(DataError, match="demande aussi « segments »"):
        value.clv_table(history, margin_rate=1.0, retention={"fidèles": 0.8}, discount_rate=0.0)
    with pytest.raises(DataError, match="pas de segment pour le client 'C'"):
        value.clv_table(history, margin_rate=1.0, retention=0.5, discount_rate=0.0,
                        segments=segments.drop("C"))


def test_bundled_basket_and_clv():
    from coursehelpers import datasets

    tx = datasets.load_transactions()
    basket = value.average_basket(tx)
    per_order = tx.pivot_table(index="commande_id", values="montant", aggfunc="sum")["montant"]
    assert basket["ca"] == pytest.approx(tx["montant"].sum())
    assert basket["commandes"] == (per_order > 0).sum()
    by_channel = value.average_basket(tx, by="canal")
    assert by_channel["ca"].sum() == pytest.approx(tx["montant"].sum())
    table = value.clv_table(tx, margin_rate=0.35, retention=0.75, discount_rate=0.08, years=5)
    assert len(table) == tx["client_id"].nunique()
    factor = sum((0.75 / 1.08) ** t for t in range(1, 6))   # années futures 1 à 5
    assert table["clv"].to_numpy() == pytest.approx(table["marge_annuelle"].to_numpy() * factor)


def test_clv_table_one_bundled_customer_by_hand():
    """C00001 au 01/01/2025, segment « Perdus » (7 % de rachat), marge 35 %, d = 8 %, 10 ans.

    Calcul à la main : 714,30 € achetés du 01/01/2021 au 31/12/2024, ancienneté
    1 461 j / 365,25 = 4 ans → CA annuel 178,575 € → marge m = 62,50 €.
    q = 0,07 / 1,08 = 0,064815 ; CLV = m × (q + q² + ... + q¹⁰) = 62,50 × 0,069307 = 4,33 €.
    (L'ancienne formule comptait la première année comme acquise : 62,50 + ... = 66,8 €.)
    """
    from coursehelpers import datasets

    tx = datasets.load_transactions()
    before = tx[tx["date"] < "2025-01-01"]
    table = value.clv_table(before, margin_rate=0.35, retention=0.07, discount_rate=0.08, years=10,
                            as_of="2025-01-01")
    row = table.loc["C00001"]
    assert row["ca_total"] == pytest.approx(714.30)
    assert row["anciennete_ans"] == pytest.approx(4.0)
    m = 714.30 / 4.0 * 0.35
    q = 0.07 / 1.08
    expected = m * sum(q**t for t in range(1, 11))
    assert expected == pytest.approx(4.33, abs=0.005)
    assert row["clv"] == pytest.approx(expected)
