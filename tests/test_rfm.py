"""Tests de coursehelpers.rfm : valeurs calculées à la main, propriétés, recoupements."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coursehelpers.errors import DataError, DataWarning
from coursehelpers.rfm import (
    SEGMENT_RULES,
    SEGMENTS,
    rfm_scores,
    rfm_segments,
    rfm_table,
    segment_customers,
    segment_grid,
)


def tx_small() -> pd.DataFrame:
    # B : un seul achat ; C : un achat puis un avoir de 20 € ; A : deux commandes, trois lignes.
    return pd.DataFrame({
        "client_id": ["A", "A", "B", "C", "A", "C"],
        "commande_id": ["o1", "o1", "o2", "o3", "o4", "o5"],
        "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-05", "2024-01-03",
                                "2024-01-10 17:45", "2024-01-08"], format="ISO8601"),
        "montant": [100.0, 20.0, 30.0, 50.0, 10.0, -20.0],
    })


# ------------------------------------------------------------------ rfm_table

def test_rfm_table_by_hand_rows():
    t = rfm_table(tx_small())
    # as_of par défaut = 2024-01-11 (lendemain du dernier achat, heures ignorées)
    assert t.index.tolist() == ["A", "B", "C"]
    assert t.index.name == "client_id"
    # C : l'avoir du 08/01 est déduit du montant (50 − 20) mais n'est pas un achat :
    # dernier achat le 03/01 (récence 8), une seule commande.
    assert t["recence"].tolist() == [1, 6, 8]
    assert t["frequence"].tolist() == [3, 1, 1]
    assert t["montant"].tolist() == [130.0, 30.0, 30.0]
    assert t["recence"].dtype == np.int64 and t["frequence"].dtype == np.int64


def test_rfm_table_with_order_counts_distinct_orders():
    t = rfm_table(tx_small(), order="commande_id")
    assert t["frequence"].tolist() == [2, 1, 1]
    assert rfm_table(tx_small(), order="commande_id", returns="count")["frequence"].tolist() == [2, 1, 2]


def test_same_order_id_for_two_customers_counts_for_each():
    tx = pd.DataFrame({"client_id": ["A", "B", "B"], "commande_id": ["x", "x", "y"],
                       "date": pd.to_datetime(["2024-01-01"] * 3), "montant": [1.0, 2.0, 3.0]})
    assert rfm_table(tx, order="commande_id")["frequence"].tolist() == [1, 2]


@pytest.mark.parametrize("as_of", ["2024-02-01", "01/02/2024", pd.Timestamp("2024-02-01 08:00"),
                                   np.datetime64("2024-02-01")])
def test_rfm_table_as_of_formats(as_of):
    t = rfm_table(tx_small(), as_of=as_of)
    assert t["recence"].tolist() == [22, 27, 29]


def test_as_of_same_day_as_last_purchase_gives_zero():
    assert rfm_table(tx_small(), as_of="2024-01-10")["recence"].tolist() == [0, 5, 7]


def test_as_of_before_a_purchase_is_refused_in_french():
    with pytest.raises(DataError, match="antérieure au dernier achat du client 'A'") as err:
        rfm_table(tx_small(), as_of="2024-01-09")
    assert err.value.column == "date"


def test_custom_column_names_and_text_dates():
    tx = pd.DataFrame({"id": [7, 7, 3], "jour": ["05/01/2024", "2024-01-02", "31/12/2023"],
                       "ca": ["10.5", "4", "2"]})
    t = rfm_table(tx, customer="id", date="jour", amount="ca")
    assert t.index.tolist() == [3, 7]
    assert t["recence"].tolist() == [6, 1]
    assert t["montant"].tolist() == [2.0, 14.5]


@pytest.mark.parametrize("ids", [
    ["C0002", "C0001", "C0002"],                      # ASCII court (un mot de 8 octets)
    ["CLIENT-000000002", "CLIENT-000000001", "CLIENT-000000002"],  # plusieurs mots
    ["Zoé", "Éric", "Zoé"],                           # non ASCII : chemin général
])
def test_text_ids_sorted_alphabetically(ids):
    tx = pd.DataFrame({"client_id": pd.array(ids, dtype="str"),
                       "date": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"]),
                       "montant": [1.0, 2.0, 4.0]})
    t = rfm_table(tx)
    assert t.index.tolist() == sorted(set(ids))  # ordre des caractères, comme sorted()
    assert t.loc[ids[0], "montant"] == 5.0 and t.loc[ids[1], "montant"] == 2.0
    assert t.loc[ids[0], "frequence"] == 2 and t.loc[ids[1], "frequence"] == 1


def test_categorical_ids_drop_unused_categories():
    ids = pd.Categorical(["b", "a", "b"], categories=["a", "b", "z"])
    tx = pd.DataFrame({"client_id": ids, "date": pd.to_datetime(["2024-01-01"] * 3),
                       "montant": [1.0, 2.0, 3.0]})
    t = rfm_table(tx)
    assert t.index.tolist() == ["a", "b"]
    assert t["montant"].tolist() == [2.0, 4.0]


def test_missing_column_names_the_column():
    with pytest.raises(DataError, match="introuvable") as err:
        rfm_table(tx_small(), amount="prix")
    assert err.value.column == "prix"


def test_non_numeric_amount_names_column_and_line():
    tx = tx_small().astype({"montant": object})
    tx.loc[3, "montant"] = "12,50"
    with pytest.raises(DataError, match="non numérique") as err:
        rfm_table(tx)
    assert (err.value.column, err.value.line) == ("montant", 4)


def test_unreadable_date_and_missing_customer():
    tx = tx_small().astype({"date": object})
    tx.loc[1, "date"] = "hier"
    with pytest.raises(DataError, match="date illisible") as err:
        rfm_table(tx)
    assert err.value.column == "date"
    tx = tx_small().astype({"client_id": object})
    tx.loc[2, "client_id"] = None
    with pytest.raises(DataError, match="manquante") as err:
        rfm_table(tx)
    assert (err.value.column, err.value.line) == ("client_id", 3)


def test_bad_as_of_and_empty_frame():
    with pytest.raises(DataError, match="as_of"):
        rfm_table(tx_small(), as_of="demain")
    with pytest.raises(DataError, match="vide"):
        rfm_table(tx_small().iloc[:0])
    with pytest.raises(DataError, match="DataFrame"):
        rfm_table([1, 2, 3])


# ------------------------------------------------------------------ rfm_scores

def five_customers() -> pd.DataFrame:
    return pd.DataFrame({"recence": [1, 10, 30, 90, 300], "frequence": [8, 5, 2, 1, 1],
                         "montant": [900.0, 400.0, 120.0, 40.0, 40.0]},
                        index=pd.Index(list("ABCDE"), name="client_id"))


def test_scores_by_hand():
    s = rfm_scores(five_customers())
    assert s["R"].tolist() == [5, 4, 3, 2, 1]
    # F : D et E ex-aequo (1 achat) → 1 + ⌊5 × 0 / 5⌋ = 1 tous les deux
    assert s["F"].tolist() == [5, 4, 3, 1, 1]
    assert s["M"].tolist() == [5, 4, 3, 1, 1]
    assert s["RFM"].tolist() == ["555", "444", "333", "211", "111"]
    assert s["segment"].tolist() == ["Champions", "Clients fidèles", "À surveiller",
                                     "En hibernation", "Perdus"]
    assert s["R"].dtype == np.int64
    assert list(s.columns[:3]) == ["recence", "frequence", "montant"]  # entrée conservée


def test_scores_bins_3_by_hand():
    s = rfm_scores(five_customers(), bins=3)
    # 1 + ⌊3 × (clients moins bons) / 5⌋ : 4 → 3, 3 → 2, 2 → 2, 1 → 1, 0 → 1
    assert s["R"].tolist() == [3, 2, 2, 1, 1]
    assert s["F"].tolist() == [3, 2, 2, 1, 1]
    # le segment ne dépend pas de bins (quintiles du même rang)
    assert s["segment"].tolist() == rfm_scores(five_customers())["segment"].tolist()


def test_all_ties_do_not_crash():
    t = pd.DataFrame({"recence": [5] * 6, "frequence": [1] * 6, "montant": [20.0] * 6})
    s = rfm_scores(t)
    assert set(s["R"]) == {1} and set(s["F"]) == {1} and set(s["M"]) == {1}
    assert set(s["segment"]) == {"Perdus"}


def test_float_noise_in_sums_keeps_ties():
    t = pd.DataFrame({"recence": [1, 2, 3], "frequence": [1, 1, 1],
                      "montant": [0.1 + 0.2, 0.3, 0.2]})
    assert t["montant"][0] != t["montant"][1]      # 0.30000000000000004 ≠ 0.3
    assert rfm_scores(t)["M"].tolist() == [2, 2, 1]


def test_heavy_ties_skip_scores():
    t = pd.DataFrame({"recence": range(10), "frequence": [1] * 6 + [2] * 3 + [7],
                      "montant": np.arange(10.0)})
    # 6 clients sous la valeur 2 : F = 1 + ⌊5 × 6 / 10⌋ = 4 ; le dernier : 1 + ⌊45/10⌋ = 5
    assert rfm_scores(t)["F"].tolist() == [1] * 6 + [4] * 3 + [5]


def test_scores_reject_bad_bins_and_columns():
    with pytest.raises(DataError, match="bins"):
        rfm_scores(five_customers(), bins=1)
    with pytest.raises(DataError, match="entre 2 et 9"):
        rfm_scores(five_customers(), bins=10)
    with pytest.raises(DataError) as err:
        rfm_scores(five_customers().drop(columns="frequence"))
    assert err.value.column == "frequence"
    bad = five_customers().astype({"montant": object})
    bad.loc["C", "montant"] = "beaucoup"
    with pytest.raises(DataError, match="non numérique") as err:
        rfm_scores(bad)
    assert (err.value.column, err.value.line) == ("montant", 3)


values_lists = st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=60)


@settings(max_examples=150, deadline=None)
@given(rec=values_lists, bins=st.integers(min_value=2, max_value=9), data=st.data())
def test_score_properties(rec, bins, data):
    n = len(rec)
    freq = data.draw(st.lists(st.integers(1, 6), min_size=n, max_size=n))
    amount = data.draw(st.lists(st.floats(-50, 500, allow_nan=False), min_size=n, max_size=n))
    t = pd.DataFrame({"recence": rec, "frequence": freq, "montant": amount})
    s = rfm_scores(t, bins=bins)
    for raw, score, sign in [("recence", "R", -1), ("frequence", "F", 1), ("montant", "M", 1)]:
        x, sc = sign * t[raw].to_numpy(), s[score].to_numpy()
        assert sc.min() >= 1 and sc.max() <= bins
        order = np.argsort(x, kind="stable")
        assert (np.diff(sc[order]) >= 0).all()               # monotone
        same = x[:, None] == x[None, :]
        assert (sc[:, None] == sc[None, :])[same].all()      # ex-aequo → même note
        assert sc[x == x.min()].min() == 1                   # la moins bonne valeur a 1
    assert s["segment"].notna().all()


# ------------------------------------------------------------------ carte des segments

def test_segment_map_covers_each_cell_exactly_once():
    cover = np.zeros((5, 5), dtype=int)
    for rule in SEGMENT_RULES:
        assert 1 <= rule.r[0] <= rule.r[1] <= 5 and 1 <= rule.f[0] <= rule.f[1] <= 5
        cover[rule.r[0] - 1:rule.r[1], rule.f[0] - 1:rule.f[1]] += 1
    assert (cover == 1).all()
    assert len(set(SEGMENTS)) == len(SEGMENTS) == 11
    assert all(rule.action for rule in SEGMENT_RULES)


def test_segment_grid_matches_rules():
    grid = segment_grid()
    assert grid.loc[5, 5] == "Champions" and grid.loc[5, 1] == "Nouveaux clients"
    assert grid.loc[1, 1] == "Perdus" and grid.loc[2, 5] == "À ne pas perdre"
    for rule in SEGMENT_RULES:
        for r in range(rule.r[0], rule.r[1] + 1):
            for f in range(rule.f[0], rule.f[1] + 1):
                assert grid.loc[r, f] == rule.segment


def _span(bounds: tuple[int, int]) -> str:
    return str(bounds[0]) if bounds[0] == bounds[1] else f"{bounds[0]} à {bounds[1]}"


def test_docstring_prints_every_rule():
    lines = [" ".join(line.split()) for line in rfm_scores.__doc__.splitlines()]
    for rule in SEGMENT_RULES:
        assert f"{rule.segment} {_span(rule.r)} {_span(rule.f)}" in lines, rule.segment


# ------------------------------------------------------------------ synthèse

def test_rfm_segments_by_hand():
    s = rfm_scores(five_customers())
    summary = rfm_segments(s)
    assert summary.index.tolist() == list(SEGMENTS)
    assert summary["clients"].sum() == 5
    assert summary.loc["Champions", "clients"] == 1
    assert summary.loc["Perdus", "part_ca"] == pytest.approx(40 / 1500)
    assert summary.loc["Champions", "part_clients"] == pytest.approx(0.2)
    assert summary["part_ca"].sum() == pytest.approx(1.0)
    assert summary.loc["Clients fidèles", "recence_moy"] == 10
    assert summary.loc["À surveiller", "M_moy"] == 3
    assert summary.loc["Prometteurs", "clients"] == 0
    assert np.isnan(summary.loc["Prometteurs", "montant_moy"])
    assert summary.loc["Champions", "action"].startswith("Récompenser")


def test_rfm_segments_means_of_a_group():
    t = pd.DataFrame({"recence": [300, 200, 1], "frequence": [1, 1, 9],
                      "montant": [10.0, 30.0, 60.0]})
    s = rfm_scores(t)
    s["segment"] = pd.Categorical(["Perdus", "Perdus", "Champions"], categories=list(SEGMENTS),
                                  ordered=True)
    summary = rfm_segments(s)
    assert summary.loc["Perdus", "montant_moy"] == 20.0
    assert summary.loc["Perdus", "recence_moy"] == 250.0
    assert summary.loc["Perdus", "part_clients"] == pytest.approx(2 / 3)


def test_segment_customers_and_errors():
    s = rfm_scores(five_customers())
    assert segment_customers(s, "Champions").index.tolist() == ["A"]
    assert segment_customers(s, "Prometteurs").empty
    with pytest.raises(DataError, match="segment inconnu"):
        segment_customers(s, "VIP")
    with pytest.raises(DataError) as err:
        rfm_segments(five_customers())
    assert err.value.column == "R, F, M, segment"


# ------------------------------------------------------------------ recoupements indépendants

@pytest.fixture(scope="module")
def bundled() -> pd.DataFrame:
    from coursehelpers.datasets import load_transactions

    return load_transactions()


def _plain_groupby(tx: pd.DataFrame, order: str | None, as_of: pd.Timestamp) -> pd.DataFrame:
    """La même chose, écrite autrement : groupby pandas, dates normalisées au jour ;
    récence et fréquence sur les achats (montant ≥ 0 : une ligne à 0 € est un achat), montant
    net des avoirs (lignes négatives)."""
    buys = tx[tx["montant"] >= 0]
    g = buys.assign(jour=buys["date"].dt.normalize()).groupby("client_id")
    freq = g[order].nunique() if order else g.size()
    return pd.DataFrame({"recence": (as_of - g["jour"].max()).dt.days.astype("int64"),
                         "frequence": freq.astype("int64"),
                         "montant": tx.groupby("client_id")["montant"].sum()})


@pytest.mark.parametrize("order", [None, "commande_id"])
@pytest.mark.parametrize("as_of", [None, "2026-01-01"])
def test_rfm_table_equals_plain_groupby_on_bundled_data(bundled, order, as_of):
    ours = rfm_table(bundled, order=order, as_of=as_of)
    ref_day = (bundled["date"].max().normalize() + pd.Timedelta(days=1) if as_of is None
               else pd.Timestamp(as_of))
    expected = _plain_groupby(bundled, order, ref_day)
    assert len(ours) == bundled["client_id"].nunique()
    pd.testing.assert_frame_equal(ours, expected, check_exact=False, rtol=1e-12, atol=1e-9,
                                  check_index_type=False)


def _duckdb_rfm(tx: pd.DataFrame, *, order: str | None, as_of: str | None, bins: int):
    duckdb = pytest.importorskip("duckdb")
    freq = (f"count(DISTINCT {order}) FILTER (WHERE montant >= 0)" if order
            else "count(*) FILTER (WHERE montant >= 0)")
    ref = "(SELECT max(CAST(date AS DATE)) + 1 FROM tx)" if as_of is None else f"DATE '{as_of}'"
    sql = f"""
        WITH t AS (
            SELECT client_id,
                   date_diff('day', max(CAST(date AS DATE)) FILTER (WHERE montant >= 0), {ref})
                       AS recence,
                   {freq} AS frequence, sum(montant) AS montant
            FROM tx GROUP BY client_id)
        SELECT *,
            1 + ({bins} * (rank() OVER (ORDER BY recence DESC) - 1)) // count(*) OVER () AS R,
            1 + ({bins} * (rank() OVER (ORDER BY frequence) - 1)) // count(*) OVER () AS F,
            1 + ({bins} * (rank() OVER (ORDER BY round(montant, 6)) - 1))
                // count(*) OVER () AS M
        FROM t ORDER BY client_id"""
    con = duckdb.connect()
    try:
        con.register("tx", tx)
        return con.execute(sql).df().set_index("client_id")
    finally:
        con.close()


@pytest.mark.parametrize("zeros", [False, True])
@pytest.mark.parametrize(("order", "as_of", "bins"), [(None, None, 5),
                                                      ("commande_id", "2026-01-01", 4)])
def test_rfm_table_and_scores_equal_duckdb_sql_on_bundled_data(bundled, order, as_of, bins, zeros):
    if zeros:  # une ligne d'achat sur 40 passée à 0 € (article offert) : toujours un achat
        bundled = bundled.copy()
        bundled.loc[bundled.index[::40], "montant"] = 0.0
        assert (bundled["montant"] == 0).sum() > 1000
    sql = _duckdb_rfm(bundled, order=order, as_of=as_of, bins=bins)
    ours = rfm_scores(rfm_table(bundled, order=order, as_of=as_of), bins=bins)
    assert ours.index.tolist() == sql.index.tolist()
    for col in ("recence", "frequence", "R", "F", "M"):
        assert (ours[col].to_numpy() == sql[col].to_numpy()).all(), col
    # sommes de flottants : l'ordre d'addition peut différer au dernier chiffre
    np.testing.assert_allclose(ours["montant"], sql["montant"], rtol=1e-12, atol=1e-9)


def test_credit_notes_are_netted_but_not_counted_as_purchases():
    tx = pd.DataFrame({"client_id": ["A", "A", "A", "B", "C"],
                       "date": pd.to_datetime(["2024-01-01", "2024-01-05", "2024-01-09",
                                               "2024-01-02", "2024-01-03"]),
                       "montant": [100.0, 40.0, -40.0, 30.0, -10.0],
                       "commande_id": ["1", "2", "AV1", "3", "AV2"]})
    with pytest.warns(DataWarning, match="1 client"):
        net = rfm_table(tx, order="commande_id")
    # A : 2 achats, dernier le 05/01 (l'avoir du 09/01 n'est pas une visite), 140 − 40 = 100 €
    # C : seulement un avoir -> écarté, avec un avertissement
    assert net.index.tolist() == ["A", "B"]
    assert net.loc["A"].tolist() == [5, 2, 100.0]  # as_of = 10/01 (lendemain de la dernière ligne)
    every_line = rfm_table(tx, order="commande_id", returns="count")
    assert every_line.loc["A"].tolist() == [1, 3, 100.0]
    assert every_line.loc["C"].tolist() == [7, 1, -10.0]
    with pytest.raises(DataError, match="returns"):
        rfm_table(tx, returns="oui")
    with pytest.raises(DataError, match="aucun achat"):
        rfm_table(tx[tx["montant"] < 0])


def test_zero_amount_lines_are_purchases_only_negative_lines_are_credit_notes():
    """Une ligne à 0 € (article offert) est un achat : fréquence, récence ; un client qui n'a
    que des lignes à 0 € est dans la table. Seul un montant négatif est un avoir."""
    tx = pd.DataFrame({"client_id": ["A", "A", "A", "G", "G", "N"],
                       "date": pd.to_datetime(["2024-01-01", "2024-01-08", "2024-01-09",
                                               "2024-01-02", "2024-01-05", "2024-01-03"]),
                       "montant": [100.0, 0.0, -30.0, 0.0, 0.0, -5.0],
                       "commande_id": ["1", "2", "AV1", "3", "4", "AV2"]})
    with pytest.warns(DataWarning, match=r"1 client\(s\).*avoirs, montants négatifs.*'N'"):
        table = rfm_table(tx, order="commande_id")
    # as_of = 10/01 ; A : achats du 01/01 et du 08/01 (0 €), avoir du 09/01 -> pas une visite
    assert table.loc["A"].tolist() == [2, 2, 70.0]
    # G : deux commandes à 0 € -> présent, deux achats, dernier le 05/01, montant 0
    assert table.loc["G"].tolist() == [5, 2, 0.0]
    assert table.index.tolist() == ["A", "G"]
    scores = rfm_scores(table)
    assert scores.loc["G", "M"] == 1 and scores.loc["A", "M"] == 1 + 5 * 1 // 2  # formule des notes
    only_zero = rfm_table(tx[tx["client_id"] == "G"])
    assert only_zero.loc["G"].tolist() == [1, 2, 0.0]
    with pytest.raises(DataError, match=r"aucun achat.*avoirs"):
        rfm_table(tx[tx["montant"] < 0])
