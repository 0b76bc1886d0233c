"""read_crm_export : fichiers défectueux (DataError localisée), anomalies signalées (DataWarning),
classeurs .xlsx et vitesse sur un gros export.

Chaque erreur doit citer le FICHIER, la COLONNE et la première LIGNE fautive, comptée comme
dans un tableur (en-tête = ligne 1, préambule et lignes vides compris).
"""

from __future__ import annotations

import datetime as dt
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from exports import write

from coursehelpers.crm_export import read_crm_export
from coursehelpers.errors import DataError, DataWarning

NBSP = "\u00a0"
HEAD = "N° client;Date de commande;Montant TTC\n"



def error_of(path: Path, **options) -> DataError:
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)  # une erreur ne doit pas être précédée d'avertissements
        with pytest.raises(DataError) as info:
            read_crm_export(path, **options)
    return info.value


def assert_located(err: DataError, path: Path, column: str | None, line: int | None) -> None:
    assert (err.path, err.column, err.line) == (str(path), column, line)
    text = str(err)
    assert path.name in text
    if column is not None:
        assert f"colonne « {column} »" in text
    if line is not None:
        assert f"ligne {line} " in text or text.endswith(f"ligne {line}")


def test_non_numeric_amount_names_file_column_and_exact_line(tmp_path):
    text = ("Export du 01/04/2024;;\n\n" + HEAD +
            "001;01/03/2024;12,50\n\n002;02/03/2024;12,5O\n003;03/03/2024;x\n")
    path = write(tmp_path, "ventes_mars.csv", text, "cp1252")
    err = error_of(path)
    # ligne 1 préambule, 2 vide, 3 en-tête, 4 donnée, 5 vide, 6 la valeur fautive
    assert_located(err, path, "Montant TTC", 6)
    assert "12,5O" in str(err) and "non numérique" in str(err)
    assert isinstance(err, ValueError)


@pytest.mark.parametrize("value", ["12€50", "12 $", "#VALEUR!", "1 23,5", "12,50-", "1,2,3"])
def test_other_non_numeric_amounts(tmp_path, value):
    path = write(tmp_path, "n.csv", HEAD + f"1;01/03/2024;4,5\n2;01/03/2024;{value}\n")
    err = error_of(path)
    assert_located(err, path, "Montant TTC", 3)
    assert value in str(err)


def test_mixed_decimal_separators_are_refused(tmp_path):
    path = write(tmp_path, "mix.csv", HEAD + "1;01/03/2024;12,50\n2;01/03/2024;3,5\n3;01/03/2024;4.75\n")
    err = error_of(path)
    assert_located(err, path, "Montant TTC", 4)
    assert "décimal" in str(err)


def test_impossible_date_31_february(tmp_path):
    path = write(tmp_path, "dates.csv", HEAD + "1;28/02/2024;1\n2;31/02/2024;1\n")
    err = error_of(path)
    assert_located(err, path, "Date de commande", 3)
    assert "31/02/2024" in str(err) and "impossible" in str(err)


def test_american_month_day_order_is_never_guessed(tmp_path):
    path = write(tmp_path, "us.csv", HEAD + "1;12/01/2024;1\n2;12/31/2024;1\n")
    err = error_of(path)
    assert_located(err, path, "Date de commande", 3)
    assert "mm/jj/aaaa" in str(err)


def test_mixed_date_formats(tmp_path):
    path = write(tmp_path, "formats.csv", HEAD + "1;01/03/2024;1\n2;2024-03-02;1\n")
    err = error_of(path)
    assert_located(err, path, "Date de commande", 3)
    assert "mélangés" in str(err)


@pytest.mark.parametrize(("value", "word"), [("05/03/24", "deux chiffres"), ("mars 2024", "illisible"),
                                             ("45321", "illisible")])
def test_unreadable_dates(tmp_path, value, word):
    path = write(tmp_path, "d.csv", HEAD + f"1;01/03/2024;1\n2;{value};1\n")
    err = error_of(path)
    assert_located(err, path, "Date de commande", 3)
    assert word in str(err)


def test_missing_id(tmp_path):
    path = write(tmp_path, "sans_id.csv", HEAD + "1;01/03/2024;1\n  ;02/03/2024;2\n")
    assert_located(error_of(path), path, "N° client", 3)


def test_missing_amount_in_required_column(tmp_path):
    path = write(tmp_path, "sans_montant.csv", HEAD + "1;01/03/2024;\n")
    assert_located(error_of(path), path, "Montant TTC", 2)


def test_missing_required_column_lists_what_was_found(tmp_path):
    path = write(tmp_path, "incomplet.csv", "N° client;Date;Quantité\n1;01/03/2024;3\n")
    err = error_of(path)
    assert_located(err, path, "montant", 1)
    assert "« Quantité »" in str(err) and "mapping" in str(err)


def test_ambiguous_columns_are_listed_and_mapping_resolves_them(tmp_path):
    path = write(tmp_path, "deux_dates.csv", "N° client;Date de commande;Date facture;Montant\n"
                                            "1;01/03/2024;05/03/2024;10\n")
    err = error_of(path)
    assert "« Date de commande »" in str(err) and "« Date facture »" in str(err)
    assert "mapping" in str(err) and err.line == 1
    df = read_crm_export(path, mapping={"date": "Date facture"})
    assert df.loc[0, "date"].day == 5
    assert df.loc[0, "Date de commande"] == "01/03/2024"
    df = read_crm_export(path, mapping={"date": "Date facture"}, dates=["Date de commande"])
    assert df.loc[0, "Date de commande"].day == 1


def test_mapping_to_a_missing_column(tmp_path):
    path = write(tmp_path, "m.csv", HEAD + "1;01/03/2024;1\n")
    err = error_of(path, mapping={"montant": "Total"})
    assert err.column == "Total" and "introuvable" in str(err)


@pytest.mark.parametrize("content", [b"", b"\r\n\r\n  \n", b"\xef\xbb\xbf"])
def test_empty_file(tmp_path, content):
    path = write(tmp_path, "vide.csv", content)
    err = error_of(path)
    assert "vide" in str(err) and err.path == str(path)


def test_header_only(tmp_path):
    path = write(tmp_path, "entete.csv", "\n" + HEAD + ";;\n")
    err = error_of(path)
    assert_located(err, path, None, 2)
    assert "en-tête" in str(err)


def test_ragged_row_with_too_many_fields(tmp_path):
    path = write(tmp_path, "decale.csv", HEAD + "1;01/03/2024;10\n2;02/03/2024;10;50\n3;03/03/2024;1\n")
    err = error_of(path)
    assert err.line == 3 and "4 champs" in str(err)
    # un « ; » final vide (fréquent dans les exports) n'est pas une erreur
    df = read_crm_export(write(tmp_path, "fin.csv", HEAD + "1;01/03/2024;10;\n"))
    assert list(df.columns) == ["client_id", "date", "montant"]


def test_undecodable_bytes(tmp_path):
    data = (HEAD + "1;01/03/2024;1\n").encode("cp1252") + b"2;02/03/2024;1 \x81\x9d\n"
    path = write(tmp_path, "casse.csv", data)
    err = error_of(path)
    assert err.line == 3 and "0x81" in str(err)
    assert error_of(write(tmp_path, "cp.csv", "client_id;date;montant\né;01/03/2024;1\n", "cp1252"),
                    encoding="utf-8").line == 2


@pytest.mark.parametrize(("name", "word"), [("ventes.pdf", ".pdf"), ("ventes", "aucune"),
                                            ("ventes.xls", ".xlsx"), ("ventes.ods", ".ods")])
def test_unsupported_extensions(tmp_path, name, word):
    path = write(tmp_path, name, HEAD + "1;01/03/2024;1\n")
    err = error_of(path)
    assert word in str(err) and err.path == str(path)


def test_missing_file_and_xlsx_renamed_csv(tmp_path):
    assert "introuvable" in str(error_of(tmp_path / "absent.csv"))
    assert "binaire" in str(error_of(write(tmp_path, "classeur.csv", b"PK\x03\x04\x14\x00rest")))


def test_ambiguous_separator(tmp_path):
    path = write(tmp_path, "sep.csv", "x;y,z\n1;2,3\n4;5,6\n")
    assert "sep=" in str(error_of(path, required=()))
    assert read_crm_export(path, required=(), sep=";").columns.tolist() == ["x", "y,z"]


def test_negative_amounts_are_kept_and_reported(tmp_path):
    path = write(tmp_path, "avoirs.csv", HEAD + "1;01/03/2024;10\n2;02/03/2024;-4,50\n3;03/03/2024;−2\n")
    with pytest.warns(DataWarning) as record:
        df = read_crm_export(path, today="2024-12-31")
    assert df["montant"].tolist() == [10.0, -4.5, -2.0]
    (message,) = [str(w.message) for w in record]
    assert "2 montant(s) négatif(s)" in message and "ligne 3" in message and "avoirs" in message


def test_future_dates_are_kept_and_reported(tmp_path):
    path = write(tmp_path, "futur.csv", HEAD + "1;01/03/2024;1\n2;31/12/2024 23:59;1\n3;01/01/2025;1\n"
                                              "4;15/06/2031;1\n")
    with pytest.warns(DataWarning) as record:
        df = read_crm_export(path, today="2024-12-31")
    assert len(df) == 4  # rien n'est retiré
    (message,) = [str(w.message) for w in record]
    assert "2 date(s) postérieure(s) au 31/12/2024" in message and "ligne 4" in message


def test_labelled_total_row_and_trailing_blank_lines(tmp_path):
    text = HEAD + f"1;01/03/2024;1{NBSP}000,00\n2;02/03/2024;500\n;;\nTOTAL;;1{NBSP}500,00\n;;\n\n"
    with pytest.warns(DataWarning) as record:
        df = read_crm_export(write(tmp_path, "total.csv", text, "cp1252"))
    assert df["client_id"].tolist() == ["1", "2"]  # le total n'est jamais un client
    messages = " | ".join(str(w.message) for w in record)
    assert "3 ligne(s) vide(s)" in messages and "première : ligne 4" in messages
    assert "ligne de total ignorée (ligne 5)" in messages


def test_unlabelled_total_row_equal_to_the_sum(tmp_path):
    text = HEAD + "1;01/03/2024;10,25\n2;02/03/2024;4,75\n;;15,00\n"
    with pytest.warns(DataWarning, match=r"ligne de total ignorée \(ligne 4"):
        df = read_crm_export(write(tmp_path, "somme.csv", text))
    assert len(df) == 2
    # une dernière ligne sans client dont le montant n'est PAS la somme : c'est un id manquant
    err = error_of(write(tmp_path, "trou.csv", HEAD + "1;01/03/2024;10\n;02/03/2024;3\n"))
    assert err.line == 3 and err.column == "N° client"


def test_subtotal_in_the_middle_is_an_error(tmp_path):
    path = write(tmp_path, "sous_total.csv", HEAD + "1;01/03/2024;1\nSous-total;;1\n2;02/03/2024;1\n")
    err = error_of(path)
    assert err.line == 3 and "sous-total" in str(err)


def _workbook(path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Ventes"
    ws["A1"] = "Extraction CRM du 02/04/2024"
    ws.append([])
    ws.append(["Code client", "Date de commande", "Montant TTC (€)", "Canal"])
    ws.append(["00042", dt.datetime(2024, 3, 1, 10, 30), 1234.5, "magasin"])
    ws.append([17, 45352, "1 000,50 €", "site web"])  # id numérique, date en numéro de série
    ws.append([18.0, "05/03/2024", -20, None])
    ws.append(["Total", None, 1234.5 + 1000.5 - 20, None])
    other = book.create_sheet("Clients")
    other.append(["Code client", "Âge"])
    other.append(["C1", 40])
    book.save(path)


def test_xlsx_written_by_openpyxl(tmp_path):
    path = tmp_path / "export.xlsx"
    _workbook(path)
    with pytest.warns(DataWarning) as record:
        df = read_crm_export(path, today="2024-12-31")
    assert df["client_id"].tolist() == ["00042", "17", "18"]
    assert df["date"].tolist() == [np.datetime64("2024-03-01T10:30"), np.datetime64("2024-03-01"),
                                   np.datetime64("2024-03-05")]
    assert df["montant"].tolist() == [1234.5, 1000.5, -20.0]
    assert df["canal"].isna().iloc[2]
    assert (df.attrs["encoding"], df.attrs["sep"], df.attrs["header_line"]) == (None, None, 3)
    messages = " | ".join(str(w.message) for w in record)
    assert "ligne de total ignorée (ligne 7)" in messages and "ligne 6" in messages
    clients = read_crm_export(path, sheet="Clients", required=("client_id",))
    assert clients.loc[0, "age"] == 40.0
    assert "Feuilles : Ventes, Clients" in str(error_of(path, sheet="Stock"))


def test_xlsx_errors_point_at_the_excel_row(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(["N° client", "Date", "Montant"])
    book.active.append(["A", dt.date(2024, 3, 1), 1])
    book.active.append(["B", "31/02/2024", 2])
    path = tmp_path / "faux.xlsx"
    book.save(path)
    assert_located(error_of(path), path, "Date", 3)


def test_xlsx_without_openpyxl_gives_a_french_hint(tmp_path, monkeypatch):
    path = write(tmp_path, "classeur.xlsx", b"PK\x03\x04")
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    err = error_of(path)
    assert "openpyxl" in str(err) and "CSV" in str(err)


def test_broken_xlsx(tmp_path):
    pytest.importorskip("openpyxl")
    assert "abîmé" in str(error_of(write(tmp_path, "abime.xlsx", b"pas un zip")))


def _big_messy_export(n: int) -> str:
    rng = np.random.default_rng(1)
    ids = np.char.mod("%06d", rng.integers(0, 20_000, n))
    days = rng.integers(1, 29, n)
    months = rng.integers(1, 13, n)
    hours = rng.integers(0, 24, n)
    cents = rng.integers(0, 3_000_000, n)
    euros = [f"{c // 100:,}".replace(",", NBSP) + f",{c % 100:02d} €" for c in cents]
    rows = [f'{i};{d:02d}/{m:02d}/2023 {h:02d}:15;{e};"magasin; centre"'
            for i, d, m, h, e in zip(ids, days, months, hours, euros, strict=True)]
    return "Export;;;\n\nN° client;Date de commande;Montant TTC;Canal de vente\n" + "\n".join(rows) + "\n"


def test_100k_line_messy_export_is_read_exactly(tmp_path):
    """Gros export désordonné : tout est lu, au centime près (la vitesse est mesurée dans
    benchmarks/bench_crm_export.py, jamais en secondes absolues dans un test)."""
    n = 100_000
    path = write(tmp_path, "gros.csv", _big_messy_export(n), "cp1252")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        df = read_crm_export(path, today="2024-01-01")
    rng = np.random.default_rng(1)
    ids = np.char.mod("%06d", rng.integers(0, 20_000, n))
    rng.integers(1, 29, n), rng.integers(1, 13, n), rng.integers(0, 24, n)
    cents = rng.integers(0, 3_000_000, n)
    assert len(df) == n and df["montant"].dtype == np.float64
    assert df["client_id"].tolist() == ids.tolist()
    assert round(df["montant"].sum() * 100) == int(cents.sum())
    assert df["date"].dt.minute.eq(15).all()
