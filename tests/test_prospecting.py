"""Prospection : entonnoir (taux de transformation), abandon de panier, grille de scoring, calculés
à la main ; fichiers prospects_b2b et parcours cohérents et porteurs de la structure annoncée."""

from __future__ import annotations

import pandas as pd
import pytest

from coursehelpers import datasets as ds
from coursehelpers import prospecting as pr
from coursehelpers.errors import DataError


def _luhn_ok(number: str) -> bool:
    digits = [int(c) for c in number]
    total = sum(d if i % 2 == 0 else (2 * d - 9 if 2 * d > 9 else 2 * d) for i, d in enumerate(digits))
    return total % 10 == 0


# --- funnel ----------------------------------------------------------------------------------------

def test_funnel_from_counts_by_hand() -> None:
    t = pr.funnel({"contactés": 200, "RDV": 50, "devis": 30, "commandes": 12})
    assert t["effectif"].tolist() == [200, 50, 30, 12]
    assert t["taux_etape"].tolist() == pytest.approx([1.0, 0.25, 0.6, 0.4])
    assert t["taux_global"].tolist() == pytest.approx([1.0, 0.25, 0.15, 0.06])
    assert t["perdus"].tolist() == [0, 150, 20, 18]
    assert t["taux_etape"].prod() == pytest.approx(t["taux_global"].iloc[-1])
    assert list(t.index) == ["contactés", "RDV", "devis", "commandes"] and t.index.name == "etape"


def test_funnel_from_flags_with_labels_and_text_flags() -> None:
    p = pd.DataFrame({"c": ["oui", "oui", "oui", "non"], "r": ["oui", "non", "oui", "non"],
                      "o": ["non", "non", "oui", "non"]})
    t = pr.funnel(p, ["c", "r", "o"], labels=["contactés", "RDV", "commandes"])
    assert t["effectif"].tolist() == [3, 2, 1]
    assert t.loc["commandes", "taux_global"] == pytest.approx(1 / 3)


def test_funnel_errors() -> None:
    bad = pd.DataFrame({"c": [True, False], "r": [True, True]})
    with pytest.raises(DataError, match="sans") as err:
        pr.funnel(bad, ["c", "r"])
    assert err.value.line == 2 and err.value.column == "r"
    with pytest.raises(DataError, match="rétrécir"):
        pr.funnel({"a": 10, "b": 12})
    with pytest.raises(DataError, match="étapes"):
        pr.funnel(bad)
    with pytest.raises(DataError, match="labels"):
        pr.funnel({"a": 10, "b": 5}, labels=["x"])
    with pytest.raises(DataError, match="oui/non"):
        pr.funnel(pd.DataFrame({"c": ["peut-être"], "r": [True]}), ["c", "r"])


def test_abandonment_rate_by_hand() -> None:
    v = pd.DataFrame({"panier": [True, True, True, False, False],
                      "commande": [True, False, False, True, False]})
    assert pr.abandonment_rate(v) == pytest.approx(2 / 3)
    with pytest.raises(DataError, match="aucun panier"):
        pr.abandonment_rate(v.assign(panier=False))


# --- lead_scores -----------------------------------------------------------------------------------

def test_lead_scores_by_hand() -> None:
    p = pd.DataFrame({"id": ["a", "b", "c", "d"], "naf": ["55.10Z", "96.02A", "55.10Z", "99.99Z"],
                      "source": ["salon", "salon", "web", "web"]})
    grid = {"naf": {"55.10Z": 40, "96.02A": 5}, "source": {"salon": 25, "web": 15}}
    s = pr.lead_scores(p, grid, hot=60, cold=30, id_column="id")
    assert list(s.index) == ["a", "b", "c", "d"]
    assert s["points_naf"].tolist() == [40, 5, 40, 0]         # code absent de la grille : 0 point
    assert s["score"].tolist() == [65, 30, 55, 15]
    assert s["classe"].astype(str).tolist() == ["chaud", "tiède", "tiède", "froid"]  # 30 ≥ cold : tiède
    assert list(s["classe"].cat.categories) == ["froid", "tiède", "chaud"] and s["classe"].cat.ordered


def test_lead_scores_errors() -> None:
    p = pd.DataFrame({"naf": ["55.10Z"]})
    with pytest.raises(DataError, match="introuvable"):
        pr.lead_scores(p, {"region": {"Bretagne": 10}})
    with pytest.raises(DataError, match="seuils"):
        pr.lead_scores(p, {"naf": {"55.10Z": 10}}, hot=20, cold=40)
    with pytest.raises(DataError, match="non vide"):
        pr.lead_scores(p, {})


def test_lookalike_lift_by_hand() -> None:
    tous = pd.DataFrame({"naf": ["hôtel", "hôtel", "hôtel", "café", "café", "café", "café", "ehpad",
                                 "ehpad", "ehpad"]})
    best = tous.iloc[[0, 1, 7, 3]]            # 2 hôtels, 1 EHPAD, 1 café
    t = pr.lookalike_lift(best, tous, "naf")
    # hôtel : (2/4) / (3/10) = 1,667 ; ehpad : (1/4) / (3/10) = 0,833 ; café : (1/4) / (4/10) = 0,625
    assert list(t.index) == ["hôtel", "ehpad", "café"]
    assert t["indice"].tolist() == pytest.approx([5 / 3, 5 / 6, 0.625])
    assert t["meilleurs"].tolist() == [2, 1, 1] and t["tous"].tolist() == [3, 3, 4]
    with pytest.raises(DataError, match="partie"):
        pr.lookalike_lift(pd.DataFrame({"naf": ["banque"]}), tous, "naf")


# --- fichiers livrés -------------------------------------------------------------------------------

def test_prospect_file_is_sirene_like_and_new() -> None:
    p, accounts = ds.load_prospects(), ds.load_b2b_accounts()
    assert len(p) == 1200 and p["siren"].is_unique
    assert p["siren"].str.fullmatch(r"\d{9}").all() and p["siren"].map(_luhn_ok).all()
    assert not set(p["siren"]) & set(accounts["compte_id"])             # aucun prospect déjà client
    assert set(p["code_naf"]) <= set(accounts["code_naf"].cat.categories)
    assert (p["date_creation"] < pd.Timestamp("2025-12-31")).all()
    steps = p[["contacte", "rdv", "devis", "commande"]]
    for before, after in zip(steps.columns, steps.columns[1:], strict=False):
        assert not (steps[after] & ~steps[before]).any()
    assert ((p["canal_contact"] == "non contacté") == ~p["contacte"]).all()


def test_prospect_conversion_follows_source_and_lookalike_sector() -> None:
    p = ds.load_prospects()
    c = p[p["contacte"]]
    by_source = c.groupby("source", observed=True)["commande"].mean()
    assert by_source["recommandation client"] > 1.5 * by_source["base Sirene"]
    big = c["categorie_entreprise"].isin(["ETI", "GE"]) | c["code_naf"].isin(["87.10A", "86.10Z", "55.10Z"])
    assert c.loc[big, "rdv"].mean() > c.loc[~big, "rdv"].mean() + 0.10
    t = pr.funnel(c, ["contacte", "rdv", "devis", "commande"])
    assert 0.03 < t["taux_global"].iloc[-1] < 0.15


def test_journeys_are_coherent() -> None:
    j, clients = ds.load_journeys(), ds.load_clients()
    assert len(j) == 8000 and j["parcours_id"].is_unique
    assert set(j["client_id"]) <= set(clients["client_id"])
    assert j["date"].between(pd.Timestamp("2025-01-01"), pd.Timestamp("2025-12-31")).all()
    assert ((j["canal_achat"] != "aucun") == j["commande"]).all()
    assert ((j["montant"] > 0) == j["commande"]).all()
    assert (j["points_de_contact"].str.count(" > ") + 1 == j["nb_points"]).all()
    first = j["points_de_contact"].str.split(" > ").str[0]
    expected = j["premier_point"].astype(str).replace({"magasin": "visite en magasin"})
    assert (first == expected).all()
    assert (j.loc[j["canal_achat"] == "click & collect", "points_de_contact"]
            .str.contains("retrait en magasin").all())
    assert not (j["retour"] & ~j["commande"]).any()
    online = j.assign(commande=j["canal_achat"].isin(["site web", "application", "click & collect"]))
    assert 0.45 < pr.abandonment_rate(online) < 0.8
    ropo = (j["premier_point"] != "magasin") & (j["canal_achat"] == "magasin")
    assert 0.02 < ropo.mean() < 0.15


def test_data_card_figures_for_prospects_and_journeys() -> None:
    from repo import ROOT

    card = (ROOT / "datasets" / "README.md").read_text(encoding="utf-8")
    p, j = ds.load_prospects(), ds.load_journeys()
    c = p[p["contacte"]]
    t = pr.funnel(c, ["contacte", "rdv", "devis", "commande"])
    n = t["effectif"].tolist()
    assert f"{n[0]} prospects contactés, {n[1]} rendez-vous" in card
    assert f"{n[2]} devis, {n[3]} commandes" in card
    assert f"taux de transformation {100 * t['taux_global'].iloc[-1]:.1f} %".replace(".", ",") in card
    online = j["canal_achat"].isin(["site web", "application", "click & collect"])
    carts = f"{int(j['panier'].sum()):,}".replace(",", " ")
    assert f"{carts} paniers en ligne, {int((online & j['panier']).sum())} commandes" in card
    ropo = int(((j["premier_point"] != "magasin") & (j["canal_achat"] == "magasin")).sum())
    assert f"{ropo} parcours commencés en ligne" in card
    years = (p["date_creation"].dt.year.min(), p["date_creation"].dt.year.max())
    assert f"{years[0]} à {years[1]}" in card
