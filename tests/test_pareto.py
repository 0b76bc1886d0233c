"""Tests de coursehelpers.pareto : ABC, courbe de concentration, part des meilleurs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coursehelpers.errors import DataError
from coursehelpers.pareto import CLASSES, abc_classes, pareto_table, top_share

CA = pd.Series([10.0, 70.0, 15.0, 5.0], index=pd.Index(list("wxyz"), name="client_id"),
               name="montant")


def test_abc_by_hand():
    # tri : x 70 (avant 0 %), y 15 (avant 70 %), w 10 (avant 85 %), z 5 (avant 95 %)
    classes = abc_classes(CA)
    assert classes.tolist() == ["B", "A", "A", "C"]
    assert classes.index.equals(CA.index)
    assert classes.name == "classe"
    assert list(classes.cat.categories) == ["A", "B", "C"] and classes.cat.ordered
    assert classes["x"] < classes["w"] < classes["z"]


def test_abc_share_exactly_on_threshold_goes_to_next_class():
    # avant(b) = 0,8 exactement : pas < 80 % → B ; avant(c) = 0,95 : pas < 95 % → C
    assert abc_classes([80, 15, 5]).tolist() == ["A", "B", "C"]
    assert abc_classes([0.1] * 10).tolist() == ["A"] * 8 + ["B", "B"]
    # 20 × 0,1 : la part avant le 17e vaut 0,7999999999999999 en flottant ; la
    # tolérance la traite comme 80 % → B (sans elle, ce serait A)
    before = np.cumsum([0.1] * 20)[15] / np.cumsum([0.1] * 20)[-1]
    assert before < 0.8
    assert abc_classes([0.1] * 20).tolist() == ["A"] * 16 + ["B"] * 3 + ["C"]


def test_abc_custom_thresholds_and_ties_keep_input_order():
    assert abc_classes([25, 25, 25, 25], thresholds=(0.5, 0.75)).tolist() == ["A", "A", "B", "C"]
    assert abc_classes(pd.Series([1, 1], index=[9, 3]), thresholds=(0.5, 0.9)).tolist() == \
        ["A", "B"]


def test_abc_biggest_item_is_always_a_and_zeros_allowed():
    assert abc_classes([0, 0, 100, 0]).tolist() == ["C", "C", "A", "C"]


@pytest.mark.parametrize(("values", "message"), [
    ([10, -5, 3], "négative"),
    ([0, 0, 0], "nulles"),
    ([1.0, np.nan], "manquante"),
    (["a", 2], "non numérique"),
    ([], "vide"),
])
def test_abc_rejects_bad_values_in_french(values, message):
    with pytest.raises(DataError, match=message):
        abc_classes(pd.Series(values, dtype=object if "a" in values else None))


def test_negative_value_error_names_column_and_line_and_explains_avoirs():
    with pytest.raises(DataError, match="avoirs") as err:
        abc_classes(pd.Series([5.0, -1.0], index=["p", "q"], name="montant"))
    assert (err.value.column, err.value.line) == ("montant", 2)
    assert "'q'" in str(err.value)


@pytest.mark.parametrize("thresholds", [(0.95, 0.80), (0.8,), (0, 0.9), (0.8, 1.2), "ab"])
def test_bad_thresholds(thresholds):
    with pytest.raises(DataError, match="thresholds"):
        abc_classes(CA, thresholds=thresholds)


def test_dataframe_input_is_refused():
    with pytest.raises(DataError, match="Series"):
        abc_classes(CA.to_frame())


def test_pareto_table_by_hand():
    curve, summary = pareto_table(CA)
    assert curve.index.tolist() == ["x", "y", "w", "z"]
    assert curve["rang"].tolist() == [1, 2, 3, 4]
    assert curve["part"].tolist() == [0.7, 0.15, 0.1, 0.05]
    assert curve["part_cumulee_clients"].tolist() == [0.25, 0.5, 0.75, 1.0]
    assert curve["part_cumulee_valeur"].tolist() == pytest.approx([0.7, 0.85, 0.95, 1.0])
    assert curve["classe"].tolist() == ["A", "A", "B", "C"]
    assert summary.index.tolist() == list(CLASSES)
    assert summary["clients"].tolist() == [2, 1, 1]
    assert summary["part_clients"].tolist() == [0.5, 0.25, 0.25]
    assert summary["valeur"].tolist() == [85.0, 10.0, 5.0]
    assert summary["part_valeur"].tolist() == pytest.approx([0.85, 0.10, 0.05])


def test_pareto_summary_keeps_empty_classes():
    _, summary = pareto_table([100, 0])
    assert summary["clients"].tolist() == [1, 0, 1]


@pytest.mark.parametrize(("n", "share", "k"), [(10, 0.2, 2), (11, 0.2, 3), (30, 0.1, 3),
                                               (3, 0.01, 1), (7, 1.0, 7), (5, 0.5, 3)])
def test_top_share_rounds_up(n, share, k):
    values = pd.Series(2.0 ** -np.arange(n))  # valeurs toutes différentes, décroissantes
    expected = values.iloc[:k].sum() / values.sum()
    assert top_share(values, share=share) == pytest.approx(expected, rel=1e-15)


def test_top_share_by_hand():
    assert top_share([5, 50, 10, 30, 5], share=0.2) == 0.5
    assert top_share([5, 50, 10, 30, 5], share=0.4) == 0.8
    with pytest.raises(DataError, match="share"):
        top_share([1, 2], share=0)
    with pytest.raises(DataError, match="share"):
        top_share([1, 2], share=20)


amounts = st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1,
                   max_size=80).filter(lambda xs: sum(xs) > 0)


@settings(max_examples=150, deadline=None)
@given(values=amounts, low=st.floats(0.05, 0.9), gap=st.floats(0.01, 0.5))
def test_abc_properties(values, low, gap):
    high = min(low + gap, 1.0)
    series = pd.Series(values)
    classes = abc_classes(series, thresholds=(low, high))
    curve, summary = pareto_table(series, thresholds=(low, high))
    assert classes.notna().all() and len(classes) == len(values)       # partition
    assert summary["clients"].sum() == len(values)
    assert summary["part_clients"].sum() == pytest.approx(1.0)
    assert summary["part_valeur"].sum() == pytest.approx(1.0)
    assert classes[series.idxmax()] == "A"
    assert (curve["classe"].to_numpy() == classes[curve.index].to_numpy()).all()
    # une valeur plus grande n'a jamais une classe moins bonne
    ranked = classes.cat.codes.to_numpy()[np.argsort(-series.to_numpy(), kind="stable")]
    assert (np.diff(ranked) >= 0).all()
    assert (np.diff(curve["part_cumulee_valeur"]) >= -1e-12).all()
    assert 0 < top_share(series, share=0.2) <= 1 + 1e-12


def test_rotation_rate_is_the_kpis_definition_re_exported() -> None:
    """Une seule définition du taux de rotation dans le cours (kpis), accessible depuis pareto."""
    from coursehelpers import kpis, pareto

    assert pareto.rotation_rate is kpis.rotation_rate
    assert pareto.customer_flows is kpis.customer_flows
    # ((10 nouveaux + 5 perdus) / 2) / ((100 + 105) / 2 clients en moyenne)
    assert pareto.rotation_rate(new=10, lost=5, clients_p1=100, clients_p2=105) == 7.5 / 102.5
