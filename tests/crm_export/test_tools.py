"""read_crm_export : en-têtes typiques des logiciels français, lus sans ``mapping=``.

Chaque test écrit l'export d'un outil tel qu'il sort (ligne d'en-tête typique, séparateur,
encodage, format des nombres et des dates), puis le relit sans aucune option. Les en-têtes sont
ceux que ces outils affichent couramment en français ; ils sont *typiques*, pas certifiés pour
chaque version (un éditeur peut renommer une colonne : ``mapping=`` reste alors la solution).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
from exports import write

from coursehelpers.crm_export import FALLBACK_SYNONYMS, SYNONYMS, normalize_name, read_crm_export
from coursehelpers.errors import DataError, DataWarning

NBSP = "\u00a0"
HT_NOTE = r"retenue comme montant.*hors taxes.*mapping="


def read_clean(path: Path, **options) -> pd.DataFrame:
    """Lecture qui ne doit émettre AUCUN avertissement."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        return read_crm_export(path, today="2024-12-31", **options)


def test_prestashop_orders_export(tmp_path):
    # PrestaShop 1.7 / 8, Commandes > Commandes > Exporter : « ; », UTF-8 ; « Client » = nom
    text = ("ID;Référence;Nouveau client;Livraison;Client;Total;Paiement;État;Date\n"
            "12;XKBKNABJK;Oui;France;J. DUPONT;45,90 €;Chèque;Livré;2024-03-05 10:15:32\n"
            "13;OHSATSERP;Non;France;M. MARTIN;1 204,00 €;Carte bancaire;Paiement accepté;"
            "2024-03-06 14:02:10\n")
    df = read_clean(write(tmp_path, "prestashop.csv", text))
    assert list(df.columns) == ["ID", "Référence", "Nouveau client", "Livraison", "client_id", "montant",
                                "Paiement", "État", "date"]
    assert df["client_id"].tolist() == ["J. DUPONT", "M. MARTIN"]
    assert df["montant"].tolist() == [45.9, 1204.0]
    assert df["date"].tolist() == [pd.Timestamp("2024-03-05 10:15:32"), pd.Timestamp("2024-03-06 14:02:10")]
    assert df.attrs["columns"] == {"client_id": "Client", "montant": "Total", "date": "Date"}


def test_woocommerce_analytics_orders_export(tmp_path):
    # WooCommerce, Analytique > Commandes > Télécharger : « , », point décimal, ventes nettes (HT)
    text = ("Date,Commande n°,Statut,Client,Type de client,Produit(s),Articles vendus,Coupon(s),"
            "Ventes nettes\n"
            '2024-03-05 10:15:32,1042,Terminée,Marie Dupont,Nouveau,"Vase en grès, Bougie",2,,45.9\n'
            "2024-03-07 18:40:02,1043,En cours,Paul Morel,Connu,Plaid,1,BIENVENUE,39\n")
    df = read_clean(write(tmp_path, "woocommerce.csv", text))
    assert df.columns[:4].tolist() == ["date", "commande_id", "Statut", "client_id"]
    assert df.columns[-1] == "montant"  # « Ventes nettes » : le seul montant du fichier
    assert df["commande_id"].tolist() == ["1042", "1043"]
    assert df["montant"].tolist() == [45.9, 39.0]
    assert df.loc[0, "Produit(s)"] == "Vase en grès, Bougie"


def test_shopify_orders_export_with_time_zone(tmp_path):
    # Shopify, Commandes > Exporter : en-têtes en anglais même dans l'interface française ;
    # le client est identifié par son e-mail, les dates portent un décalage horaire
    text = ("Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,"
            "Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,"
            "Created at,Lineitem quantity,Lineitem name,Lineitem price\n"
            "#1001,marie.dupont@example.fr,paid,2024-03-05 10:15:32 +0100,fulfilled,"
            "2024-03-06 09:00:00 +0100,yes,EUR,38.25,4.90,7.65,45.90,,0.00,Colissimo,"
            "2024-03-05 10:15:30 +0100,1,Vase en grès,38.25\n"
            "#1002,paul.morel@example.fr,paid,2024-03-31 23:50:00 +0200,unfulfilled,,no,EUR,"
            "100.00,0.00,20.00,120.00,PRINTEMPS,10.00,Retrait en boutique,2024-03-31 23:49:58 +0200,"
            "2,Plaid,50.00\n")
    df = read_clean(write(tmp_path, "shopify.csv", text))
    assert df.attrs["columns"] == {"client_id": "Email", "montant": "Total", "date": "Created at"}
    assert df["client_id"].tolist() == ["marie.dupont@example.fr", "paul.morel@example.fr"]
    assert df["montant"].tolist() == [45.9, 120.0]
    # l'heure locale de la boutique est gardée : 31/03 23:49 reste le 31/03
    assert df["date"].tolist() == [pd.Timestamp("2024-03-05 10:15:30"), pd.Timestamp("2024-03-31 23:49:58")]
    assert df.loc[0, "Paid at"] == "2024-03-05 10:15:32 +0100"  # colonne non reconnue : intacte


def test_odoo_sales_orders_export(tmp_path):
    # Odoo (interface en français), Ventes > Commandes > Exporter : libellés des champs
    text = ("Référence de la commande,Date de la commande,Client,Vendeur,Montant HT,Total,Statut\n"
            "S00042,2024-03-05 10:15:32,Maisons du Sud,Julie Martin,100.00,120.00,Bon de commande\n"
            "S00043,2024-03-08 16:00:00,Déco & Co,Julie Martin,250.50,300.60,Bon de commande\n")
    with pytest.warns(DataWarning, match=r"« Total » retenue comme montant.*« Montant HT »"):
        df = read_crm_export(write(tmp_path, "odoo.csv", text), today="2024-12-31")
    assert df.attrs["columns"] == {"commande_id": "Référence de la commande",
                                   "date": "Date de la commande", "client_id": "Client",
                                   "montant": "Total"}
    assert df["montant"].tolist() == [120.0, 300.6]  # TTC


def test_odoo_invoices_partner_column(tmp_path):
    # Odoo, Facturation > Factures : le client est le « Partenaire »
    text = ("Numéro,Partenaire,Date de facturation,Total\n"
            "FAC/2024/00012,Maisons du Sud,05/03/2024,120.00\n")
    df = read_clean(write(tmp_path, "odoo_factures.csv", text))
    assert df.attrs["columns"] == {"client_id": "Partenaire", "date": "Date de facturation",
                                   "montant": "Total"}


def test_salesforce_opportunities_report(tmp_path):
    # Salesforce (langue française), rapport Opportunités exporté en CSV, montants à la française
    text = ("Propriétaire de l'opportunité,Nom du compte,Nom de l'opportunité,Étape,Montant,"
            "Probabilité (%),Date de clôture,Date de création\n"
            'Julie Martin,Maisons du Sud,Maisons du Sud - 120 coussins,Fermée gagnée,"3 600,00 €",100,'
            "15/03/2024,02/02/2024\n"
            'Paul Morel,Déco & Co,Déco & Co - rideaux,Fermée gagnée,"12 480,50 €",100,'
            "28/03/2024,10/01/2024\n")
    df = read_clean(write(tmp_path, "salesforce.csv", text))
    assert df.attrs["columns"] == {"client_id": "Nom du compte", "montant": "Montant",
                                   "date": "Date de clôture", "date_inscription": "Date de création"}
    assert df["montant"].tolist() == [3600.0, 12480.5]
    assert df["date"].tolist() == [pd.Timestamp("2024-03-15"), pd.Timestamp("2024-03-28")]


def test_sage_sales_documents_export(tmp_path):
    # Sage 100 Gestion commerciale, liste des documents de vente : « ; », cp1252, HT et TTC
    text = ("Type;N° pièce;Date;N° tiers;Intitulé;Total HT;TVA;Total TTC\n"
            "Facture;FA00125;05/03/2024;CL0042;MAISONS DU SUD;1000,00;200,00;1200,00\n"
            "Facture;FA00126;06/03/2024;CL0107;DECO & CO;45,50;9,10;54,60\n")
    path = write(tmp_path, "sage.csv", text, "cp1252")
    with pytest.warns(DataWarning, match=r"« Total TTC » retenue comme montant.*« Total HT »"):
        df = read_crm_export(path, today="2024-12-31")
    assert df.attrs["columns"] == {"commande_id": "N° pièce", "date": "Date", "client_id": "N° tiers",
                                   "montant": "Total TTC"}
    assert df["client_id"].tolist() == ["CL0042", "CL0107"]
    assert df["montant"].tolist() == [1200.0, 54.6]
    ht = read_clean(path, mapping={"montant": "Total HT"})
    assert ht["montant"].tolist() == [1000.0, 45.5]


def test_ebp_invoices_export(tmp_path):
    # EBP Gestion commerciale, liste des factures : « ; », cp1252, « Net à payer » laissé tel quel
    text = ("N° document;Date;Code client;Nom du client;Total HT;Total TVA;Total TTC;Net à payer\n"
            f"FA000231;05/03/2024;411DUPONT;DUPONT Marie;1{NBSP}000,00;200,00;1{NBSP}200,00;"
            f"1{NBSP}200,00\n")
    with pytest.warns(DataWarning, match=HT_NOTE):
        df = read_crm_export(write(tmp_path, "ebp.csv", text, "cp1252"), today="2024-12-31")
    assert df.attrs["columns"] == {"commande_id": "N° document", "date": "Date", "client_id": "Code client",
                                   "montant": "Total TTC"}
    assert df.loc[0, "montant"] == 1200.0 and df.loc[0, "Nom du client"] == "DUPONT Marie"


def test_cegid_documents_export(tmp_path):
    # Cegid (gestion commerciale), export des pièces : « ; », tiers et date de pièce
    text = ("Nature;N° pièce;Date pièce;Code tiers;Libellé tiers;Montant HT;Montant TTC\n"
            "FAC;12045;05/03/2024;C000042;MAISONS DU SUD;100,00;120,00\n")
    with pytest.warns(DataWarning, match=HT_NOTE):
        df = read_crm_export(write(tmp_path, "cegid.csv", text, "cp1252"), today="2024-12-31")
    assert df.attrs["columns"] == {"commande_id": "N° pièce", "date": "Date pièce",
                                   "client_id": "Code tiers", "montant": "Montant TTC"}


# ------------------------------------------------------------------ « Client » et e-mail

@pytest.mark.parametrize("header", ["Client", "client", "CLIENT"])
def test_a_bare_client_header_is_the_customer_id(tmp_path, header):
    df = read_clean(write(tmp_path, "c.csv", f"{header};Date;Montant\nDupont;01/03/2024;10\n"))
    assert df.columns.tolist() == ["client_id", "date", "montant"]
    assert df.loc[0, "client_id"] == "Dupont"


@pytest.mark.parametrize("other", ["Code client", "N° client"])
def test_client_beside_an_id_column_is_refused_with_the_mapping_to_write(tmp_path, other):
    path = write(tmp_path, "deux.csv", f"Client;{other};Date;Montant\nDupont;42;01/03/2024;10\n")
    with pytest.raises(DataError) as err:
        read_crm_export(path)
    message = str(err.value)
    assert f"« Client », « {other} »" in message and "client_id" in message
    assert f'mapping={{"client_id": "{other}"}}' in message  # l'identifiant, pas le nom
    assert err.value.line == 1
    df = read_clean(path, mapping={"client_id": other})
    assert df.loc[0, "client_id"] == "42" and df.loc[0, "Client"] == "Dupont"


def test_email_is_the_customer_id_only_when_nothing_better_exists(tmp_path):
    df = read_clean(write(tmp_path, "mail.csv", "E-mail;Date;Total\na@b.fr;01/03/2024;10\n"))
    assert df.attrs["columns"]["client_id"] == "E-mail"
    df = read_clean(write(tmp_path, "code.csv", "Code client;E-mail;Date;Total\n7;a@b.fr;01/03/2024;10\n"))
    assert df.columns.tolist() == ["client_id", "E-mail", "date", "montant"]
    with pytest.raises(DataError, match="plusieurs colonnes"):
        read_crm_export(write(tmp_path, "2mails.csv", "Email;Courriel;Date;Total\na;b;01/03/2024;1\n"))


def test_two_ht_columns_without_ttc_are_refused(tmp_path):
    with pytest.raises(DataError, match=r"« Montant HT », « Total HT »"):
        read_crm_export(write(tmp_path, "ht.csv", "Code client;Date;Montant HT;Total HT\n1;01/03/2024;1;1\n"))


def test_synonym_tables_are_normalised_and_disjoint():
    every = [(c, n) for table in (SYNONYMS, FALLBACK_SYNONYMS) for c, names in table.items() for n in names]
    assert all(normalize_name(n) == n for _, n in every)
    names = [n for _, n in every]
    assert len(names) == len(set(names))  # un nom ne désigne qu'une colonne du cours


# ------------------------------------------------------------------ montants nuls et avoirs

def test_zero_amount_lines_are_kept_and_reported_apart_from_credit_notes(tmp_path):
    text = ("N° client;Date;Montant TTC\n1;01/03/2024;10\n2;02/03/2024;0,00 €\n3;03/03/2024;-4,50\n"
            "2;04/03/2024;0\n")
    with pytest.warns(DataWarning) as record:
        df = read_crm_export(write(tmp_path, "zero.csv", text), today="2024-12-31")
    assert df["montant"].tolist() == [10.0, 0.0, -4.5, 0.0]  # rien n'est retiré
    messages = sorted(str(w.message) for w in record)
    assert len(messages) == 2
    negative, zero = (m for m in messages if "négatif" in m), (m for m in messages if "nul" in m)
    negative, zero = next(negative), next(zero)
    assert "1 montant(s) négatif(s)" in negative and "avoirs" in negative and "ligne 4" in negative
    assert "2 ligne(s) à montant nul (0 €)" in zero and "achats" in zero and "ligne 3" in zero
    assert "avoir" not in zero.replace("pas des avoirs", "")
