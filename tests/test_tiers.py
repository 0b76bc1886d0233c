"""Tests de coursehelpers.tiers : pyramide Platinum / Or / Fer / Plomb."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coursehelpers.errors import DataError
from coursehelpers.tiers import (
    DEFAULT_CUTOFFS,
    TIER_DESCRIPTIONS,
    TIERS,
    assign_tiers,
    tier_table,
)

CA = pd.Series([500.0, 80, 300, 20, 100, 40, 60, 10, 200, 5], index=list("abcdefghij"),
               name="montant")
CUT = (0.1, 0.3, 0.6)


def test_assign_tiers_by_hand():
    # classement : a c i e b g f d h j ; avant = 0 ; 0,1 ; 0,2 ; 0,3 ; ... ; 0,9
    tiers = assign_tiers(CA, cutoffs=CUT)
    assert tiers.to_dict() == {"a": "Platinum", "c": "Or", "i": "Or", "e": "Fer", "b": "Fer",
                               "g": "Fer", "f": "Plomb", "d": "Plomb", "h": "Plomb",
                               "j": "Plomb"}
    assert tiers.name == "niveau" and tiers.cat.ordered
    assert list(tiers.cat.categories) == list(TIERS) == ["Platinum", "Or", "Fer", "Plomb"]


def test_default_cutoffs_on_100_customers():
    values = pd.Series(np.arange(100, 0, -1.0))
    counts = assign_tiers(values).value_counts(sort=False)
    assert DEFAULT_CUTOFFS == (0.05, 0.20, 0.60)
    assert counts.tolist() == [5, 15, 40, 40]


def test_ties_share_a_tier_and_negative_margins_are_allowed():
    tiers = assign_tiers([100, 100, 100, -50, 3], cutoffs=(0.1, 0.3, 0.8))
    # les trois ex-aequo : 0 client strictement meilleur → Platinum ;
    # 3 : avant = 3/5 = 60 % < 80 % → Fer ; −50 : avant = 80 % → Plomb
    assert tiers.tolist() == ["Platinum", "Platinum", "Platinum", "Plomb", "Fer"]


def test_cutoff_float_rounding():
    # 15 clients, seuil 0,2 : 0,2 × 15 = 3,0000000000000004 ; le 4e client (3 meilleurs
    # que lui, avant = 20 %) n'est pas < 20 % → Fer
    tiers = assign_tiers(pd.Series(np.arange(15, 0, -1.0)), cutoffs=(0.1, 0.2, 0.6))
    assert tiers.tolist()[:5] == ["Platinum", "Platinum", "Or", "Fer", "Fer"]


@pytest.mark.parametrize("cutoffs", [(0.2, 0.1, 0.6), (0.1, 0.2), (0, 0.2, 0.6),
                                     (0.1, 0.2, 1.0), None])
def test_bad_cutoffs(cutoffs):
    with pytest.raises(DataError, match="cutoffs"):
        assign_tiers(CA, cutoffs=cutoffs)


def test_bad_values():
    with pytest.raises(DataError, match="manquante"):
        assign_tiers(pd.Series([1.0, np.nan]))
    with pytest.raises(DataError, match="vide"):
        assign_tiers(pd.Series([], dtype=float))


def test_tier_table_by_hand():
    table = tier_table(CA, cutoffs=CUT)
    assert table.index.tolist() == list(TIERS)
    assert table["clients"].tolist() == [1, 2, 3, 4]
    assert table["part_clients"].tolist() == [0.1, 0.2, 0.3, 0.4]
    assert table["valeur"].tolist() == [500.0, 500.0, 240.0, 75.0]
    assert table["part_valeur"].tolist() == pytest.approx([500 / 1315, 500 / 1315,
                                                           240 / 1315, 75 / 1315])
    assert table["valeur_moyenne"].tolist() == [500.0, 250.0, 80.0, 18.75]
    assert "marge" not in table and "cout_service" not in table


def test_tier_table_with_margin_and_cost_to_serve():
    margin = CA * 0.3
    cost = pd.Series(10.0, index=CA.index)[::-1]  # autre ordre : aligné par l'index
    table = tier_table(CA, margin=margin, cost_to_serve=cost, cutoffs=CUT)
    assert table["marge"].tolist() == pytest.approx([150.0, 150.0, 72.0, 22.5])
    assert table["part_marge"].tolist() == pytest.approx([150 / 394.5, 150 / 394.5,
                                                          72 / 394.5, 22.5 / 394.5])
    assert table["cout_service"].tolist() == [10.0, 20.0, 30.0, 40.0]
    assert table["profit_net"].tolist() == pytest.approx([140.0, 130.0, 42.0, -17.5])
    assert table["part_profit_net"].tolist() == pytest.approx([140 / 294.5, 130 / 294.5,
                                                               42 / 294.5, -17.5 / 294.5])


def test_tier_table_cost_without_margin_and_lists():
    table = tier_table(CA, cost_to_serve=[1.0] * 10, cutoffs=CUT)
    assert table["cout_service"].tolist() == [1.0, 2.0, 3.0, 4.0]
    assert "profit_net" not in table


def test_tier_table_alignment_errors():
    with pytest.raises(DataError, match="mêmes clients"):
        tier_table(CA, margin=CA.iloc[:-1])
    with pytest.raises(DataError, match="10 clients"):
        tier_table(CA, margin=[1.0, 2.0])
    with pytest.raises(DataError, match="négatif"):
        tier_table(CA, cost_to_serve=-CA)
    with pytest.raises(DataError, match="somment à 0"):
        tier_table([0.0, 0.0])


def test_tier_descriptions_cover_every_tier():
    assert set(TIER_DESCRIPTIONS) == set(TIERS)
    assert all(len(text) > 40 for text in TIER_DESCRIPTIONS.values())


def test_docstring_cites_the_source():
    import coursehelpers.tiers as module

    assert "Zeithaml" in module.__doc__ and "California Management" in module.__doc__
    assert "Zeithaml" in assign_tiers.__doc__


@settings(max_examples=150, deadline=None)
@given(values=st.lists(st.integers(-100, 1000), min_size=1, max_size=80),
       cuts=st.lists(st.floats(0.01, 0.99), min_size=3, max_size=3, unique=True))
def test_tier_properties(values, cuts):
    cutoffs = tuple(sorted(cuts))
    if not cutoffs[0] < cutoffs[1] < cutoffs[2]:
        return
    series = pd.Series(values, dtype=float)
    tiers = assign_tiers(series, cutoffs=cutoffs)
    assert tiers.notna().all() and len(tiers) == len(values)          # partition
    codes = tiers.cat.codes.to_numpy()
    x = series.to_numpy()
    order = np.argsort(-x, kind="stable")
    assert (np.diff(codes[order]) >= 0).all()                         # monotone
    assert (codes[:, None] == codes[None, :])[x[:, None] == x[None, :]].all()
    assert codes[x == x.max()].max() == 0                             # le meilleur : Platinum
    if series.sum() != 0:
        table = tier_table(series, cutoffs=cutoffs)
        assert table["clients"].sum() == len(values)
        assert table["part_clients"].sum() == pytest.approx(1.0)
        assert table["valeur"].sum() == pytest.approx(series.sum())
