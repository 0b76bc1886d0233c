"""read_crm_export : les voies rapides (export régulier) donnent exactement ce que donne la
lecture détaillée, et laissent la lecture détaillée localiser chaque erreur.

Voies rapides : découpage par pyarrow quand chaque ligne a le même nombre de champs, dates de
largeur fixe lues dans les octets, dates d'un seul format par ``to_datetime(format=...)``,
montants vérifiés par des expressions régulières que pyarrow exécute lui-même.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import warnings

import pandas as pd
import pytest
from exports import write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coursehelpers.crm_export import read_crm_export
from coursehelpers.errors import DataError, DataWarning

HEAD = "N° client;Date de commande;Montant TTC\n"
FORMATS = ["%d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d.%m.%Y", "%d-%m-%Y %Hh%M",
           "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
moments = st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2199, 12, 31))


def _read(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)  # dates futures
        return read_crm_export(path, today="2024-12-31")


def _expected(moment: dt.datetime, form: str) -> pd.Timestamp:
    keep = moment.replace(microsecond=0)
    if "%S" not in form:
        keep = keep.replace(second=0)
    if "%H" not in form:
        keep = keep.replace(hour=0, minute=0)
    return pd.Timestamp(keep)


def _unpadded(text: str) -> str:
    """« 05/03/2024 » → « 5/3/2024 » : largeur variable (voie to_datetime ou détaillée)."""
    day, month, rest = text.split("/", 2)
    return f"{int(day)}/{int(month)}/{rest}"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(moments, min_size=1, max_size=25), st.sampled_from(FORMATS), st.booleans())
def test_dates_are_the_same_whatever_the_path(tmp_path, stamps, form, pad):
    texts = [m.strftime(form) for m in stamps]
    if not pad and form.startswith("%d/"):
        texts = [_unpadded(t) for t in texts]
    rows = "".join(f"{k};{t};1\n" for k, t in enumerate(texts))
    df = _read(write(tmp_path, "dates.csv", HEAD + rows))
    assert df["date"].tolist() == [_expected(m, form) for m in stamps]


@pytest.mark.parametrize(("bad", "word"), [
    ("31/02/2024 10:00", "impossible"), ("29/02/2023 10:00", "impossible"),
    ("05/03/2024 24:00", "impossible"), ("05/03/2024 10:60", "impossible"),
    ("00/03/2024 10:00", "impossible"), ("05/00/2024 10:00", "impossible"),
    ("12/31/2024 10:00", "mm/jj/aaaa"), ("2024-03-05 10:00", "mélangés"),
    ("05/03/24 10:00", "deux chiffres"), ("5 mars 2024", "illisible"),
])
@pytest.mark.parametrize("position", [0, 7, 19])
def test_a_bad_date_among_regular_ones_is_located(tmp_path, bad, word, position):
    texts = [f"{1 + k % 28:02d}/03/2024 10:15" for k in range(20)]
    texts[position] = bad
    rows = "".join(f"{k};{t};1\n" for k, t in enumerate(texts))
    path = write(tmp_path, "une_erreur.csv", HEAD + rows)
    with pytest.raises(DataError) as err:
        _read(path)
    if position == 0 and word == "mélangés":  # la 1re date donne le format : c'est la 2e qui diffère
        position, word = 1, "mélangés"
    assert (err.value.column, err.value.line) == ("Date de commande", position + 2)
    assert word in str(err.value)


def test_leap_day_and_month_ends_are_accepted(tmp_path):
    texts = ["29/02/2024 00:00", "31/01/2024 23:59", "30/04/2024 12:00", "31/12/2199 23:59"]
    df = _read(write(tmp_path, "fins.csv", HEAD + "".join(f"{k};{t};1\n" for k, t in enumerate(texts))))
    assert df["date"].tolist() == [pd.Timestamp("2024-02-29 00:00"), pd.Timestamp("2024-01-31 23:59"),
                                   pd.Timestamp("2024-04-30 12:00"), pd.Timestamp("2199-12-31 23:59")]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(-10**9, 10**9), min_size=1, max_size=25),
       st.sampled_from(["\u00a0", " ", "\u202f", "."]), st.booleans())
def test_amounts_are_the_same_whatever_the_thousands_separator(tmp_path, cents, thousands, euro):
    def french(c: int) -> str:
        sign, c = ("-" if c < 0 else ""), abs(c)
        text = f"{c // 100:,}".replace(",", thousands) + f",{c % 100:02d}"
        return sign + text + (" €" if euro else "")

    rows = "".join(f"{k};01/03/2024;{french(c)}\n" for k, c in enumerate(cents))
    df = _read(write(tmp_path, "montants.csv", HEAD + rows, "utf-8"))
    assert [round(v * 100) for v in df["montant"]] == cents


def test_split_by_pyarrow_or_by_pandas_gives_the_same_cells(tmp_path):
    """Même fichier, une fois régulier (découpé par pyarrow), une fois avec une ligne vide
    (découpé par pandas) : mêmes cellules, numéros de ligne décalés d'une ligne."""
    rows = ["00042;05/03/2024;1 234,50 €", "7;28/02/2024;12,5", "00100;01/01/2023;3"]
    regular = _read(write(tmp_path, "r.csv", HEAD + "\n".join(rows) + "\n"))
    with pytest.warns(DataWarning, match="ligne\\(s\\) vide\\(s\\)"):
        holed = read_crm_export(write(tmp_path, "h.csv", HEAD + rows[0] + "\n\n" + "\n".join(rows[1:])),
                                today="2024-12-31")
    pd.testing.assert_frame_equal(regular, holed, check_like=False)
    assert regular["client_id"].tolist() == ["00042", "7", "00100"]


cell = st.text(alphabet='ab;"\n é', max_size=8)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(cell, cell), min_size=1, max_size=15), st.booleans())
def test_quoted_fields_are_split_like_a_csv_writer_wrote_them(tmp_path, rows, quote_all):
    """Guillemets, « ; » et sauts de ligne dans les champs, comme les écrit le module csv :
    relus tels quels, quelle que soit la voie (parité des guillemets, pyarrow, pandas)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n",
                        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerow(["clé", "x", "y"])
    writer.writerows([f"r{k}", *row] for k, row in enumerate(rows))
    df = read_crm_export(write(tmp_path, "guillemets.csv", buffer.getvalue()), required=(), sep=";")

    def cleaned(value: str):
        value = value.strip()
        return value if value else None

    expected = [[cleaned(v) for v in row] for row in rows]
    got = [[None if pd.isna(v) else v for v in pair] for pair in df[["x", "y"]].itertuples(index=False)]
    assert got == expected
    assert df["clé"].tolist() == [f"r{k}" for k in range(len(rows))]


@pytest.mark.parametrize("line", ['1;5" ecran;a', '2;"ab"c;a', '3; "a";b', '4;b";c'])
def test_stray_quotes_follow_the_step_by_step_rules(tmp_path, line):
    """Un guillemet au milieu d'un champ n'ouvre rien (règle du tableur et de pandas) : la voie
    par parité s'écarte, la lecture donne ce que donne pandas."""
    text = "clé;x;y\n0;a;b\n" + line + "\n"
    df = read_crm_export(write(tmp_path, "errant.csv", text), required=(), sep=";")
    ref = pd.read_csv(io.StringIO(text), sep=";", dtype=str, keep_default_na=False)
    assert df["x"].fillna("").tolist() == [v.strip() for v in ref["x"]]
