"""read_crm_export : des exports français réalistes, écrits octet par octet par les tests.

Chaque fichier est construit ici avec son encodage explicite ; les valeurs attendues sont
calculées à la main. Les erreurs et avertissements sont dans test_errors.py.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from exports import write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coursehelpers.crm_export import normalize_name, read_crm_export
from coursehelpers.errors import DataError, DataWarning

NBSP, NNBSP = "\u00a0", "\u202f"



def read_clean(path: Path, **options) -> pd.DataFrame:
    """Lecture qui ne doit émettre AUCUN avertissement (fichier propre)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        return read_crm_export(path, **options)


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def test_cp1252_semicolon_decimal_comma_nbsp_thousands_and_leading_zeros(tmp_path):
    text = ("N° client;Date de commande;Montant TTC;Catégorie\r\n"
            f"00042;05/03/2024;1{NBSP}234,50 €;Épicerie fine\r\n"
            "7;28/02/2024;12,5;Thé & café\r\n"
            f"00100;01/01/2023;10{NBSP}000 €;Épicerie fine\r\n")
    df = read_clean(write(tmp_path, "ventes_excel.csv", text, "cp1252"))
    assert list(df.columns) == ["client_id", "date", "montant", "categorie"]
    assert df["client_id"].tolist() == ["00042", "7", "00100"]
    assert df["montant"].tolist() == [1234.5, 12.5, 10000.0]
    assert df["montant"].dtype == np.float64
    assert df["date"].tolist() == [ts("2024-03-05"), ts("2024-02-28"), ts("2023-01-01")]
    assert pd.api.types.is_datetime64_any_dtype(df["date"])
    assert df["categorie"].tolist() == ["Épicerie fine", "Thé & café", "Épicerie fine"]
    assert df.attrs["encoding"] == "cp1252"
    assert (df.attrs["sep"], df.attrs["decimal"], df.attrs["header_line"]) == (";", ",", 1)
    assert df.attrs["source"].endswith("ventes_excel.csv")


def test_latin1_bytes_are_read_as_cp1252(tmp_path):
    text = "Code client;Date;Montant;Ville\nA1;02/01/2024;3,20;Besançon\n"
    df = read_clean(write(tmp_path, "latin1.csv", text, "latin-1"))
    assert df["commune"].tolist() == ["Besançon"]  # « Ville » est un synonyme de commune
    assert df.attrs["encoding"] == "cp1252"


def test_utf8_bom_comma_separator_dot_decimal_iso_dates(tmp_path):
    text = ("client_id,date,montant,canal\n"
            "C1,2024-01-31,19.99,site web\n"
            "C2,2024-02-29,1200,magasin\n")
    df = read_clean(write(tmp_path, "shopify.csv", text, "utf-8-sig"))
    assert list(df.columns) == ["client_id", "date", "montant", "canal"]  # pas de BOM dans le nom
    assert df["montant"].tolist() == [19.99, 1200.0]
    assert df["date"].tolist() == [ts("2024-01-31"), ts("2024-02-29")]
    assert (df.attrs["encoding"], df.attrs["sep"], df.attrs["decimal"]) == ("utf-8-sig", ",", ".")


def test_plain_utf8_is_reported(tmp_path):
    df = read_clean(write(tmp_path, "u.csv", "client_id;date;montant\nÉ1;01/02/2024;5\n"))
    assert df.attrs["encoding"] == "utf-8"
    assert df["client_id"].tolist() == ["É1"]
    assert df.attrs["decimal"] is None  # que des entiers : aucun séparateur décimal vu


def test_narrow_nbsp_dot_thousands_and_eur_suffix(tmp_path):
    text = ("Réf client;Date facture;Total TTC (€)\n"
            f"R1;01/02/2024;12{NNBSP}345,60\n"
            "R2;02/02/2024;1.234,56 EUR\n"
            f"R3;03/02/2024;1{NBSP}000{NBSP}000,01{NBSP}€\n"
            "R4;04/02/2024;€ 7,5\n"
            "R5;05/02/2024;1 002,00 euros\n")
    df = read_clean(write(tmp_path, "crm.csv", text, "utf-8"))
    assert list(df.columns) == ["client_id", "date", "montant"]
    assert df["montant"].tolist() == [12345.6, 1234.56, 1000000.01, 7.5, 1002.0]


def test_dates_with_hours_minutes_and_seconds(tmp_path):
    text = ("client_id;date;montant\n"
            "A;05/03/2024 14:30;1\n"
            "B;5/3/2024 08:05:09;2\n"
            "C;31/12/2023;3\n")
    df = read_clean(write(tmp_path, "heures.csv", text))
    assert df["date"].tolist() == [ts("2024-03-05 14:30"), ts("2024-03-05 08:05:09"), ts("2023-12-31")]


def test_iso_datetimes_from_a_crm(tmp_path):
    text = "client_id;date;montant\nA;2024-03-05T14:30:00;1\nB;2024-03-06 09:00;2\n"
    df = read_clean(write(tmp_path, "iso.csv", text))
    assert df["date"].tolist() == [ts("2024-03-05 14:30"), ts("2024-03-06 09:00")]


def test_tab_separated_text_export(tmp_path):
    text = "Code client\tDate\tMontant\nX1\t01/02/2024\t1 234,5\nX2\t02/02/2024\t3\n"
    df = read_clean(write(tmp_path, "export.txt", text))
    assert df.attrs["sep"] == "\t"
    assert df["montant"].tolist() == [1234.5, 3.0]


def test_utf16_unicode_text_from_excel(tmp_path):
    text = "N° client\tDate\tMontant\nX1\t01/02/2024\t4,5\n"
    df = read_clean(write(tmp_path, "unicode.txt", text, "utf-16"))
    assert df.attrs["encoding"] == "utf-16"
    assert df["montant"].tolist() == [4.5]


def test_headers_in_caps_with_accents_spaces_and_underscores(tmp_path):
    text = ("  CODE_CLIENT ;DATE DE COMMANDE;MONTANT T.T.C. (€);CANAL DE VENTE;CATÉGORIE;Commentaire libre\n"
            "c9;10/10/2024;10;Magasin;Mobilier;  très content  \n")
    df = read_clean(write(tmp_path, "caps.csv", text, "cp1252"))
    # « MONTANT T.T.C. » → montant ttc ; la colonne non reconnue garde son nom d'origine
    assert list(df.columns) == ["client_id", "date", "montant", "canal", "categorie", "Commentaire libre"]
    assert df.loc[0, "Commentaire libre"] == "très content"


@pytest.mark.parametrize(("header", "canonical"), [
    ("N° client", "client_id"), ("Nº Client", "client_id"), ("Réf. client", "client_id"),
    ("Identifiant client", "client_id"), ("Date d'achat", "date"), ("Date de facturation", "date"),
    ("CA", "montant"), ("Chiffre d’affaires TTC", "montant"), ("N° de commande", "commande_id"),
    ("Canal de vente", "canal"), ("Famille de produits", "categorie"),
    ("Date d'inscription", "date_inscription"), ("Catégorie socioprofessionnelle", "csp"),
])
def test_synonym_table(header, canonical):
    from coursehelpers.crm_export import SYNONYMS

    name = normalize_name(header)
    assert name == canonical.replace("_", " ") or name in SYNONYMS[canonical]


def test_synonyms_in_a_real_file_and_ht_is_not_montant(tmp_path):
    text = ("N° de commande;Réf client;Date facture;Montant HT;Montant TTC;Famille\n"
            "F001;C1;01/03/2024;10,00;12,00;Déco\n")
    path = write(tmp_path, "factures.csv", text)
    with pytest.warns(DataWarning, match=r"« Montant TTC » retenue comme montant.*« Montant HT ».*"
                                         r'mapping=\{"montant": "Montant HT"\}') as seen:
        df = read_crm_export(path)
    assert len(seen) == 1
    assert list(df.columns) == ["commande_id", "client_id", "date", "Montant HT", "montant", "categorie"]
    assert df.loc[0, "montant"] == 12.0  # TTC, jamais le HT
    assert df.loc[0, "Montant HT"] == "10,00"  # colonne non reconnue : texte, intacte
    assert df.attrs["columns"]["montant"] == "Montant TTC"
    # le mapping suggéré par l'avertissement choisit le HT, sans nouvel avertissement
    ht = read_clean(path, mapping={"montant": "Montant HT"})
    assert ht.loc[0, "montant"] == 10.0 and ht.loc[0, "Montant TTC"] == "12,00"
    # HT seul : pris faute de mieux, sans avertissement
    only_ht = read_clean(write(tmp_path, "ht.csv", "Code client;Date;Total HT\nC1;01/03/2024;10,00\n"))
    assert only_ht["montant"].tolist() == [10.0] and only_ht.attrs["columns"]["montant"] == "Total HT"


def test_mapping_for_an_unknown_header(tmp_path):
    text = "Client;Jour;Prix payé\nDupont;01/02/2024;9,90\n"
    path = write(tmp_path, "maison.csv", text)
    with pytest.raises(DataError):
        read_clean(path)
    df = read_clean(path, mapping={"client_id": "Client", "date": "Jour", "montant": "Prix payé"})
    assert df.loc[0, "montant"] == 9.9
    assert df.loc[0, "client_id"] == "Dupont"


def test_mapping_wins_over_synonyms(tmp_path):
    text = "N° client;Date;Montant;Montant remisé\nC1;01/02/2024;100,00;90,00\n"
    path = write(tmp_path, "remise.csv", text)
    df = read_clean(path, mapping={"montant": "Montant remisé"})
    assert df.loc[0, "montant"] == 90.0
    assert df.loc[0, "Montant"] == "100,00"
    # le nom dans mapping est aussi comparé sans casse ni accents
    assert read_clean(path, mapping={"montant": "MONTANT REMISE"}).loc[0, "montant"] == 90.0


def test_leading_zero_ids_and_excel_formula_escape(tmp_path):
    text = 'client_id;commande_id;date;montant\n="00123";0007;01/02/2024;1\n  0456 ;="0008";01/02/2024;2\n'
    df = read_clean(write(tmp_path, "zeros.csv", text))
    assert df["client_id"].tolist() == ["00123", "0456"]
    assert df["commande_id"].tolist() == ["0007", "0008"]


def test_quoted_fields_with_separators_and_line_breaks_keep_line_numbers(tmp_path):
    text = ('client_id;date;montant;adresse\n'
            'C1;01/02/2024;"1 000,50";"12 rue X; bât. B\nescalier 2"\n'
            'C2;02/02/2024;5;"dit ""le chef"""\n'
            'C3;03/02/2024;12,5O;\n')
    path = write(tmp_path, "guillemets.csv", text)
    with pytest.raises(DataError) as err:
        read_clean(path)
    assert err.value.line == 5  # l'adresse sur deux lignes décale la numérotation
    df = read_clean(write(tmp_path, "ok.csv", text.replace("12,5O", "12,5")))
    assert df["adresse"].iloc[:2].tolist() == ["12 rue X; bât. B\nescalier 2", 'dit "le chef"']
    assert df["adresse"].isna().iloc[2]
    assert df["montant"].tolist() == [1000.5, 5.0, 12.5]


def test_preamble_lines_before_the_header(tmp_path):
    text = ("Export clients - Société Dupont;;;\n"
            "Période : 01/01/2024 au 31/03/2024;;;\n"
            ";;;\n"
            "N° client;Date;Montant;Canal\n"
            "A;01/02/2024;1;magasin\n")
    df = read_clean(write(tmp_path, "preambule.csv", text, "cp1252"))
    assert df.attrs["header_line"] == 4
    assert df["client_id"].tolist() == ["A"]


def test_explicit_sep_and_decimal_arguments(tmp_path):
    path = write(tmp_path, "milliers.csv", "client_id;date;montant\nA;01/02/2024;1.234\nB;01/02/2024;2.500\n")
    with pytest.raises(DataError, match="decimal"):
        read_clean(path)  # 1.234 : mille deux cent trente-quatre ou 1,234 ? on ne devine pas
    assert read_clean(path, decimal=",")["montant"].tolist() == [1234.0, 2500.0]
    assert read_clean(path, decimal=".", sep=";")["montant"].tolist() == [1.234, 2.5]


def test_customer_file_with_other_required_columns(tmp_path):
    text = ("Code client;Civilité;Âge;CSP;Date d'inscription;Carte de fidélité\n"
            "C01;Mme;52;Cadres;15/06/2021;oui\n")
    df = read_clean(write(tmp_path, "clients.csv", text, "cp1252"), required=("client_id",))
    assert list(df.columns) == ["client_id", "civilite", "age", "csp", "date_inscription", "carte_fidelite"]
    assert df.loc[0, "age"] == 52.0
    assert df.loc[0, "date_inscription"] == ts("2021-06-15")


def _french(x: float) -> str:
    text = f"{x:,.2f}".replace(",", NNBSP).replace(".", ",")
    return text.replace("-", "−")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.decimals(min_value=-10**7, max_value=10**7, places=2, allow_nan=False),
                min_size=1, max_size=12))
def test_any_french_formatted_amount_reads_back_exactly(tmp_path, values):
    lines = "".join(f"C{i};01/02/2024;{_french(float(v))} €\n" for i, v in enumerate(values))
    path = write(tmp_path, "prop.csv", "client_id;date;montant\n" + lines)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)  # des avoirs négatifs sont attendus ici
        df = read_crm_export(path)
    assert df["montant"].tolist() == [float(v) for v in values]


def _write_french_excel_style(frame: pd.DataFrame, path: Path) -> None:
    out = frame.copy()
    out["date"] = out["date"].dt.strftime("%d/%m/%Y")
    out["montant"] = out["montant"].map(lambda x: f"{x:.2f}".replace(".", ","))
    out.to_csv(path, sep=";", index=False, encoding="cp1252", lineterminator="\r\n")


def _assert_round_trip(original: pd.DataFrame, back: pd.DataFrame) -> None:
    assert list(back.columns) == list(original.columns)
    for col in original.columns:
        if col == "montant":
            np.testing.assert_array_equal(back[col].to_numpy(), original[col].to_numpy())
        elif col == "date":
            assert (back[col].to_numpy() == original[col].to_numpy()).all()
        else:
            assert back[col].tolist() == original[col].astype(str).tolist(), col


def test_round_trip_of_a_synthetic_frame(tmp_path):
    rng = np.random.default_rng(7)
    n = 500
    original = pd.DataFrame({
        "commande_id": [f"CMD{i:06d}" for i in range(n)],
        "client_id": [f"{i % 97:05d}" for i in range(n)],
        "date": pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 900, n), unit="D"),
        "montant": np.round(rng.lognormal(4, 1, n), 2) * rng.choice([1, 1, 1, -1], n),
        "canal": rng.choice(["magasin", "site web", "téléphone"], n),
        "categorie": rng.choice(["Épicerie", "Décoration", "Linge de maison"], n),
    })
    path = tmp_path / "synthese.csv"
    _write_french_excel_style(original, path)
    with pytest.warns(DataWarning, match="négatif"):
        back = read_crm_export(path, today="2030-01-01")
    assert back.attrs["encoding"] == "cp1252"
    _assert_round_trip(original, back)


def test_round_trip_of_the_bundled_transactions(tmp_path):
    datasets = pytest.importorskip("coursehelpers.datasets")
    if not hasattr(datasets, "load_transactions"):
        pytest.skip("coursehelpers.datasets.load_transactions n'existe pas encore")
    original = datasets.load_transactions()
    path = tmp_path / "transactions_excel.csv"
    _write_french_excel_style(original, path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)  # le jeu contient des avoirs
        back = read_crm_export(path, today="2100-01-01")
    assert len(back) == len(original)
    _assert_round_trip(original, back)


def test_comma_separated_file_with_quoted_french_decimals(tmp_path):
    text = 'client_id,date,montant\nC1,01/02/2024,"12,50"\nC2,02/02/2024,"1 234,00"\n'
    df = read_clean(write(tmp_path, "virgules.csv", text))
    assert (df.attrs["sep"], df.attrs["decimal"]) == (",", ",")
    assert df["montant"].tolist() == [12.5, 1234.0]
