"""E-réputation : indicateurs par période et thèmes par mots-clés, calculés à la main ; fichier avis."""

from __future__ import annotations

import pandas as pd
import pytest

from coursehelpers import datasets as ds
from coursehelpers import reviews as rv
from coursehelpers.errors import DataError

AVIS = pd.DataFrame({
    "date": ["2025-01-05", "2025-01-20", "2025-02-01", "2025-04-10", "2025-05-02"],
    "note": [5, 1, 4, 2, 3],
    "reponse": ["non", "oui", "oui", "oui", "non"],
    "date_reponse": ["", "2025-01-23", "2025-02-02", "2025-04-20", ""],
})


def test_review_summary_by_hand() -> None:
    s = rv.review_summary(AVIS)                               # trimestres
    assert list(s.index) == ["2025T1", "2025T2"] and s.index.name == "trimestre"
    assert s["avis"].tolist() == [3, 2]
    assert s["note_moyenne"].tolist() == pytest.approx([10 / 3, 2.5])
    assert s["part_negatifs"].tolist() == pytest.approx([1 / 3, 0.5])
    assert s["part_repondus"].tolist() == pytest.approx([2 / 3, 0.5])
    assert s["delai_median_j"].tolist() == pytest.approx([2.0, 10.0])   # médiane de 3 et 1 ; 10
    m = rv.review_summary(AVIS, freq="M", negative=3)
    assert list(m.index) == ["2025-01", "2025-02", "2025-04", "2025-05"]
    assert m.loc["2025-05", "part_negatifs"] == 1.0


def test_review_summary_errors() -> None:
    with pytest.raises(DataError, match="freq"):
        rv.review_summary(AVIS, freq="S")
    with pytest.raises(DataError, match="hors de 1 à 5") as err:
        rv.review_summary(AVIS.assign(note=[5, 1, 6, 2, 3]))
    assert err.value.line == 3
    with pytest.raises(DataError, match="avant l'avis"):
        rv.review_summary(AVIS.assign(date_reponse=["", "2025-01-01", "2025-02-02", "", ""]))


def test_keyword_counts_by_hand_accents_and_case() -> None:
    textes = pd.Series(["Colis ABÎMÉ, livraison lente", "Qualite moyenne et prix élevé",
                        "Remboursement jamais reçu", "Parfait"])
    t = rv.keyword_counts(textes)
    assert t.loc["livraison", "avis"] == 2      # colis/livraison ; « reçu » compte aussi
    assert t.loc["qualité", "avis"] == 1        # « Qualite » sans accent trouvé
    assert t.loc["prix", "avis"] == 1 and t.loc["retour", "avis"] == 1
    assert t.loc["magasin", "avis"] == 0
    assert t.loc["livraison", "part"] == 0.5
    with pytest.raises(DataError, match="vide"):
        rv.keyword_counts([])
    with pytest.raises(DataError, match="aucun mot-clé"):
        rv.keyword_counts(textes, {"x": []})


def test_review_file_structure() -> None:
    a, clients = ds.load_reviews(), ds.load_clients()
    assert len(a) == 2400 and a["avis_id"].is_unique
    assert a["note"].between(1, 5).all() and set(a["note"]) == {1, 2, 3, 4, 5}
    assert a["date"].between(pd.Timestamp("2023-01-01"), pd.Timestamp("2025-12-31")).all()
    verified = a["plateforme"] == "site Maison Lumière"
    assert (a.loc[verified, "client_id"] != "").all() and (a.loc[~verified, "client_id"] == "").all()
    assert set(a.loc[verified, "client_id"]) <= set(clients["client_id"])
    assert (a["reponse"] == a["date_reponse"].notna()).all()
    assert (a.loc[a["reponse"], "date_reponse"] >= a.loc[a["reponse"], "date"]).all()


def test_review_file_planted_structure() -> None:
    a = ds.load_reviews()
    year = a["date"].dt.year
    answered = a.groupby(year)["reponse"].mean()
    assert answered.is_monotonic_increasing and answered[2025] > 0.6
    q = rv.review_summary(a)
    crisis = q.loc[["2024T2", "2024T3"], "note_moyenne"].mean()
    assert crisis < q.drop(["2024T2", "2024T3"])["note_moyenne"].min()       # crise de livraison 2024
    neg = a[a["note"] <= 2]
    themes = rv.keyword_counts(neg["texte"])
    assert themes["avis"].idxmax() == "livraison"
    # les clients mécontents du service client écrivent plus d'avis, et de moins bons
    contacts, clients = ds.load_contacts(), ds.load_clients()
    sat = contacts.groupby("client_id")["satisfaction"].mean().astype(float)
    v = a[a["plateforme"] == "site Maison Lumière"]
    low_share_reviewers = (v["client_id"].map(sat) <= 2).mean()
    low_share_clients = (sat.reindex(clients["client_id"]) <= 2).mean()
    assert low_share_reviewers > 1.5 * low_share_clients
    by_sat = v.groupby(v["client_id"].map(sat).round())["note"].mean()
    assert by_sat.loc[1.0] < by_sat.loc[3.0] < by_sat.loc[5.0]


def test_data_card_figures_for_reviews() -> None:
    from repo import ROOT

    card = (ROOT / "datasets" / "README.md").read_text(encoding="utf-8")
    a = ds.load_reviews()
    assert f"note moyenne {a['note'].mean():.2f}".replace(".", ",") in card
    for year, share in a.groupby(a["date"].dt.year)["reponse"].mean().items():
        assert f"{100 * share:.1f} % ({year})".replace(".", ",") in card
