import math

import pandas as pd

from coursehelpers.display import eur, french_table, num, pct


def test_numbers_are_french() -> None:
    assert num(1234567.891, 2) == "1\u202f234\u202f567,89"
    assert num(-1500) == "−1\u202f500"
    assert num(math.nan) == "" and num(None) == ""
    assert eur(12.5, 2) == "12,50\u00a0€"
    assert pct(0.129) == "12,9\u00a0%"
    assert pct(1, 0) == "100\u00a0%"


def test_french_table_formats_only_named_columns() -> None:
    df = pd.DataFrame({"segment": ["A", "B"], "ca": [1000.0, 25.5], "part": [0.8, 0.2]})
    out = french_table(df, eur_columns=["ca"], pct_columns=["part"])
    assert out["ca"].tolist() == ["1\u202f000\u00a0€", "26\u00a0€"]
    assert out["part"].tolist() == ["80,0\u00a0%", "20,0\u00a0%"]
    assert out["segment"].tolist() == ["A", "B"]
    assert df["ca"].dtype == float  # l'original n'est pas modifié


def test_french_table_decimals_per_column() -> None:
    df = pd.DataFrame({"n": [1500.0], "note": [3.654]})
    out = french_table(df, num_columns=["n", "note"], decimals={"note": 2})
    assert out.loc[0, "n"] == "1\u202f500" and out.loc[0, "note"] == "3,65"


def test_decimals_for_a_column_that_is_not_formatted_is_an_error() -> None:
    import pytest

    from coursehelpers.errors import DataError

    df = pd.DataFrame({"note": [3.654]})
    with pytest.raises(DataError, match="note"):
        french_table(df, decimals={"note": 2})


def test_french_table_dates_and_booleans():
    t = pd.DataFrame({"date": pd.to_datetime(["2024-03-05", None]),
                      "carte": pd.array([True, None], "boolean"),
                      "n": [1, 2]})
    out = french_table(t, date_columns=["date"], bool_columns=["carte"])
    assert out["date"].tolist() == ["05/03/2024", ""]
    assert out["carte"].tolist() == ["oui", ""]
    assert out["n"].tolist() == [1, 2]          # colonne non citée : inchangée
    assert t["date"].dtype.kind == "M"          # l'original n'est pas modifié
