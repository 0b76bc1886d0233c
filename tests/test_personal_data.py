"""Données personnelles : règles par canal, conservation, pseudonymisation, minimisation (calculs à la main),
et cohérence des fichiers consentements / derniers_contacts avec les autres fichiers du cours."""

from __future__ import annotations

import hashlib
import hmac

import pandas as pd
import pytest

from coursehelpers import datasets as ds
from coursehelpers import personal_data as pdata
from coursehelpers.errors import DataError

KEY = "cle-de-test-assez-longue"


def _consents(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["canal", "coordonnee", "statut", "bloctel"])


# --- contact_permissions ----------------------------------------------------------------------------

ROWS = [
    ("e-mail", True, "consentement", False),   # 0 consentement
    ("e-mail", True, "sans choix", False),     # 1 client : soft opt-in ; prospect : non
    ("e-mail", True, "opposition", False),     # 2 non
    ("e-mail", False, "consentement", False),  # 3 pas d'adresse
    ("SMS", True, "sans choix", False),        # 4 comme l'e-mail
    ("courrier", True, "sans choix", False),   # 5 opt-out : oui
    ("courrier", True, "opposition", False),   # 6 non
    ("téléphone", True, "sans choix", False),  # 7 avant 08/2026 : oui ; après : non
    ("téléphone", True, "sans choix", True),   # 8 Bloctel : non (avant) ; non (après)
    ("téléphone", True, "consentement", False),  # 9 oui
]


def test_consumer_rules_before_august_2026() -> None:
    out = pdata.contact_permissions(_consents(ROWS), as_of="2026-01-15")
    assert out["autorise"].tolist() == [True, True, False, False, True, True, False, True, False, True]
    assert out.loc[1, "base_legale"] == pdata.BASES["soft"]
    assert out.loc[5, "base_legale"] == out.loc[7, "base_legale"] == pdata.BASES["legit"]
    assert out.loc[8, "motif"] == "numéro inscrit sur Bloctel"
    assert out.loc[3, "motif"] == "pas de coordonnée" and out.loc[2, "motif"] == "opposition du client"
    assert (out.loc[out["autorise"], "motif"] == "").all()
    assert (out.loc[~out["autorise"], "base_legale"] == "").all()


def test_phone_needs_consent_from_11_august_2026() -> None:
    before = pdata.contact_permissions(_consents(ROWS), as_of="2026-08-10")
    after = pdata.contact_permissions(_consents(ROWS), as_of="2026-08-11")
    assert before.loc[7, "autorise"] and not after.loc[7, "autorise"]
    assert "11/08/2026" in after.loc[7, "motif"]
    assert after.loc[9, "autorise"] and after.loc[9, "base_legale"] == "consentement"
    assert after.loc[[0, 1, 5], "autorise"].all()  # les autres canaux ne changent pas


def test_prospects_need_consent_for_email_and_sms_customers_column() -> None:
    frame = _consents(ROWS).assign(client=[True, False, True, True, "non", "oui", True, True, True, True])
    frame["client"] = frame["client"].map({True: "oui", False: "non", "oui": "oui", "non": "non"})
    out = pdata.contact_permissions(frame, as_of="2026-01-01", customers="client")
    assert out["autorise"].tolist()[:6] == [True, False, False, False, False, True]
    assert out.loc[1, "motif"] == "consentement requis (prospect)"
    all_prospects = pdata.contact_permissions(_consents(ROWS), as_of="2026-01-01", customers=False)
    assert not all_prospects.loc[1, "autorise"]


def test_b2b_is_opt_out_on_every_channel() -> None:
    out = pdata.contact_permissions(_consents(ROWS), as_of="2026-09-01", audience="professionnels")
    assert out["autorise"].tolist() == [True, True, False, False, True, True, False, True, True, True]
    assert set(out.loc[out["autorise"], "base_legale"]) == {pdata.BASES["b2b"]}


def test_permissions_errors_are_french_with_line() -> None:
    bad = _consents([("e-mail", True, "consentement", False), ("fax", True, "sans choix", False)])
    with pytest.raises(DataError, match="fax") as err:
        pdata.contact_permissions(bad, as_of="2026-01-01")
    assert err.value.column == "canal" and err.value.line == 2
    with pytest.raises(DataError, match="introuvable"):
        pdata.contact_permissions(_consents(ROWS).drop(columns="statut"), as_of="2026-01-01")
    with pytest.raises(DataError, match="audience"):
        pdata.contact_permissions(_consents(ROWS), as_of="2026-01-01", audience="tous")
    with pytest.raises(DataError, match="oui/non"):
        pdata.contact_permissions(_consents(ROWS).assign(coordonnee="peut-être"), as_of="2026-01-01")


# --- phone_call_allowed ---------------------------------------------------------------------------

def test_phone_hours_days_and_holidays() -> None:
    when = pd.Series(pd.to_datetime([
        "2026-03-10 09:59", "2026-03-10 10:00", "2026-03-10 12:59", "2026-03-10 13:00",
        "2026-03-10 14:00", "2026-03-10 19:59", "2026-03-10 20:00", "2026-03-14 11:00",  # samedi
        "2026-03-15 11:00",                                                              # dimanche
        "2026-04-06 11:00", "2026-05-14 11:00", "2026-05-25 11:00",  # Pâques+1, Ascension, Pentecôte+1
        "2025-04-21 11:00", "2026-07-14 11:00", "2026-11-11 15:00", "2026-05-08 15:00",
        "2026-05-13 11:00",                                         # veille de l'Ascension : oui
    ]), index=range(10, 27))
    got = pdata.phone_call_allowed(when)
    assert list(got.index) == list(range(10, 27))
    assert got.tolist() == [False, True, True, False, True, True, False, False, False,
                            False, False, False, False, False, False, False, True]
    assert pdata.phone_call_allowed("2026-03-11 10:30").tolist() == [True]


def test_easter_based_holidays_of_known_years() -> None:
    # Pâques : 04/04/2021, 31/03/2024, 20/04/2025, 28/03/2027 -> lundis fériés le lendemain
    mondays = ["2021-04-05 11:00", "2024-04-01 11:00", "2025-04-21 11:00", "2027-03-29 11:00"]
    assert not pdata.phone_call_allowed(mondays).any()
    ascension = ["2021-05-13 11:00", "2024-05-09 11:00", "2027-05-06 11:00"]   # Pâques + 39 jours
    whit_monday = ["2021-05-24 11:00", "2024-05-20 11:00", "2027-05-17 11:00"]  # Pâques + 50 jours
    assert not pdata.phone_call_allowed(ascension + whit_monday).any()
    week_after = ["2021-04-12 11:00", "2024-04-08 11:00", "2027-04-05 11:00"]   # lundis ordinaires
    assert pdata.phone_call_allowed(week_after).all()


# --- retention_status --------------------------------------------------------------------------------

def test_retention_by_hand() -> None:
    f = pd.DataFrame({"client_id": ["A", "B", "C", "D", "E"],
                      "date_dernier_contact": ["2023-01-01", "2023-01-02", "2023-04-01", "2023-04-02",
                                               "31/12/2025"]})
    r = pdata.retention_status(f, as_of="2026-01-01")
    # A : limite 01/01/2026 = jour du contrôle -> 0 jour -> échéance atteinte
    assert r["date_limite"].dt.strftime("%Y-%m-%d").tolist() == ["2026-01-01", "2026-01-02",
                                                                  "2026-04-01", "2026-04-02",
                                                                  "2028-12-31"]
    assert r["jours_restants"].tolist() == [0, 1, 90, 91, 1095]
    assert r["action"].tolist() == ["supprimer ou archiver", "demander le renouvellement",
                                    "demander le renouvellement", "conserver", "conserver"]
    r2 = pdata.retention_status(f, as_of="2026-01-01", years=2, notice_days=0)
    assert r2["action"].tolist()[:4] == ["supprimer ou archiver"] * 4


def test_retention_errors() -> None:
    f = pd.DataFrame({"client_id": ["A", "B"], "date_dernier_contact": ["2024-01-01", "2026-02-01"]})
    with pytest.raises(DataError, match="postérieur") as err:
        pdata.retention_status(f, as_of="2026-01-01")
    assert err.value.line == 2
    with pytest.raises(DataError, match="illisible"):
        pdata.retention_status(f.assign(date_dernier_contact=["hier", "2024-01-01"]), as_of="2026-01-01")
    with pytest.raises(DataError, match="years"):
        pdata.retention_status(f, as_of="2027-01-01", years=0)


# --- pseudonymize ------------------------------------------------------------------------------------

def test_pseudonymize_is_the_keyed_hmac_and_stable_across_files() -> None:
    clients = pd.DataFrame({"client_id": ["C00001", "C00002", None], "nom": ["Dupont", "Martin", "Roux"]})
    achats = pd.DataFrame({"client_id": ["C00002", " c00001 "], "montant": [10.0, 20.0]})
    a = pdata.pseudonymize(clients, ["client_id", "nom"], key=KEY)
    b = pdata.pseudonymize(achats, "client_id", key=KEY)
    expected = hmac.new(KEY.encode(), b"c00001", hashlib.sha256).hexdigest()[:16]
    assert a.loc[0, "client_id"] == b.loc[1, "client_id"] == expected
    assert a.loc[1, "client_id"] == b.loc[0, "client_id"] != expected
    assert pd.isna(a.loc[2, "client_id"]) and a.loc[2, "nom"] != "Roux"
    assert clients.loc[0, "client_id"] == "C00001"  # l'original n'est pas modifié
    assert (b["montant"] == achats["montant"]).all()
    other = pdata.pseudonymize(clients, "client_id", key=KEY + "x")
    assert other.loc[0, "client_id"] != a.loc[0, "client_id"]       # autre clé, autre code
    assert hashlib.sha256(b"c00001").hexdigest()[:16] != expected   # pas un simple SHA-256
    exact = pdata.pseudonymize(achats, "client_id", key=KEY, normalize=False, length=64)
    assert len(exact.loc[1, "client_id"]) == 64 and exact.loc[1, "client_id"][:16] != expected


def test_pseudonymize_whole_bundled_files_keeps_the_links() -> None:
    tr, ct = ds.load_transactions(), ds.load_contacts()
    a = pdata.pseudonymize(tr, "client_id", key=KEY)
    b = pdata.pseudonymize(ct, "client_id", key=KEY)
    assert a["client_id"].nunique() == tr["client_id"].nunique()   # pas de collision
    assert set(b["client_id"]) <= set(a["client_id"])
    assert not set(a["client_id"]) & set(tr["client_id"])


def test_pseudonymize_errors() -> None:
    f = pd.DataFrame({"email": ["a@b.fr"]})
    with pytest.raises(DataError, match="16 caractères"):
        pdata.pseudonymize(f, "email", key="court")
    with pytest.raises(DataError, match="introuvable"):
        pdata.pseudonymize(f, "nom", key=KEY)
    with pytest.raises(DataError, match="aucune colonne"):
        pdata.pseudonymize(f, [], key=KEY)
    with pytest.raises(DataError, match="length"):
        pdata.pseudonymize(f, "email", key=KEY, length=100)
    assert len(pdata.new_key()) == 64 and pdata.new_key() != pdata.new_key()


# --- unneeded_columns ----------------------------------------------------------------------------------

def test_unneeded_columns_on_the_bundled_files() -> None:
    assert pdata.unneeded_columns(ds.load_transactions(), "analyse RFM") == ["canal", "categorie"]
    seg = pdata.unneeded_columns(ds.load_clients(), "segmentation")
    assert {"niveau_etudes", "tranche_revenu", "situation_familiale", "commune", "code_postal"} <= set(seg)
    assert "age" not in seg and "client_id" not in seg
    assert pdata.unneeded_columns(["a", "b", "c"], {"b": "raison"}) == ["a", "c"]
    with pytest.raises(DataError, match="finalité inconnue"):
        pdata.unneeded_columns(["a"], "revente du fichier")


# --- fichiers livrés --------------------------------------------------------------------------------------

def test_consent_file_is_consistent_with_clients() -> None:
    c, clients = ds.load_consents(), ds.load_clients()
    assert len(c) == 4 * len(clients)
    assert (c.groupby("client_id")["canal"].nunique() == 4).all()
    email = c[c["canal"] == "e-mail"].set_index("client_id")
    optin = clients.set_index("client_id")["optin_email"]
    assert ((email["statut"] == "consentement") == optin.reindex(email.index)).all()
    assert email.loc[optin[optin].index, "coordonnee"].all()
    assert not c.loc[c["canal"] != "téléphone", "bloctel"].any()
    assert not c.loc[~c["coordonnee"], "bloctel"].any()
    phones = c[(c["canal"] == "téléphone") & c["coordonnee"]]
    assert 0.05 < phones["bloctel"].mean() < 0.2
    m = c.merge(clients[["client_id", "date_inscription"]], on="client_id")
    assert (m["date_statut"] >= m["date_inscription"]).all()
    assert (c["date_statut"] <= pd.Timestamp("2025-12-31")).all()
    assert set(c.loc[c["source"] == "STOP SMS", "canal"]) == {"SMS"}
    assert set(c.loc[c["source"] == "lien de désinscription", "statut"]) == {"opposition"}
    assert (c.loc[c["canal"] == "courrier", "statut"] != "consentement").all()


def test_last_contacts_are_the_latest_purchase_or_service_contact() -> None:
    lc = ds.load_last_contacts().set_index("client_id")
    tr, ct = ds.load_transactions(), ds.load_contacts()
    sale = tr[tr["montant"] > 0].groupby("client_id")["date"].max()
    sav = ct.groupby("client_id")["date"].max()
    pd.testing.assert_series_equal(lc["date_dernier_achat"], sale.reindex(lc.index), check_names=False)
    pd.testing.assert_series_equal(lc["date_dernier_contact_sav"], sav.reindex(lc.index),
                                   check_names=False)
    expected = pd.concat([sale, sav], axis=1).max(axis=1).reindex(lc.index)
    pd.testing.assert_series_equal(lc["date_dernier_contact"], expected, check_names=False)
    r = pdata.retention_status(lc.reset_index(), as_of="2026-01-01")
    assert (r["action"] == "supprimer ou archiver").sum() == 567   # chiffre de la fiche de données


def test_bundled_permissions_figures() -> None:
    out = pdata.contact_permissions(ds.load_consents(), as_of="2026-01-01")
    email = out[out["canal"] == "e-mail"]
    assert email["autorise"].mean() > email["statut"].eq("consentement").mean()  # le soft opt-in compte
    phone_after = pdata.contact_permissions(ds.load_consents(), as_of="2026-09-01")
    ph = out["canal"] == "téléphone"
    assert phone_after.loc[ph, "autorise"].sum() < out.loc[ph, "autorise"].sum()


def test_data_card_figures_for_personal_data() -> None:
    from repo import ROOT

    card = (ROOT / "datasets" / "README.md").read_text(encoding="utf-8")
    c = ds.load_consents()
    email = c.loc[c["canal"] == "e-mail", "statut"].value_counts(normalize=True)
    for share in (email["consentement"], email["opposition"], email["sans choix"]):
        assert f"{100 * share:.1f} %".replace(".", ",") in card
    phones = c[(c["canal"] == "téléphone") & c["coordonnee"]]
    assert f"{100 * phones['bloctel'].mean():.1f} % des numéros".replace(".", ",") in card
    n_missing = int(ds.load_last_contacts()["date_dernier_contact_sav"].isna().sum())
    assert f"vide si aucun ({n_missing:,} clients)".replace(",", " ") in card
