"""Données livrées : reproductibilité octet pour octet, types, intégrité, structure plantée."""

from __future__ import annotations

import re
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from repo import ROOT

from coursehelpers import datasets as ds
from coursehelpers.errors import DataError

END = pd.Timestamp("2025-12-31")
LAST_YEAR = pd.Timestamp("2025-01-01")  # « parti » = aucun achat depuis cette date (12 derniers mois)
LOADERS = {"clients": ds.load_clients, "transactions": ds.load_transactions,
           "contacts": ds.load_contacts, "comptes_b2b": ds.load_b2b_accounts,
           "commandes_b2b": ds.load_b2b_orders, "consentements": ds.load_consents,
           "derniers_contacts": ds.load_last_contacts, "prospects_b2b": ds.load_prospects,
           "parcours": ds.load_journeys, "avis": ds.load_reviews}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    out = tmp_path_factory.mktemp("donnees")
    t0 = time.perf_counter()
    ds.write(out)
    return out, time.perf_counter() - t0


@pytest.fixture(scope="module")
def t() -> dict[str, pd.DataFrame]:
    return {name: load() for name, load in LOADERS.items()}


@pytest.fixture(scope="module")
def gone(t: dict[str, pd.DataFrame]) -> pd.Series:
    """Client parti : aucun achat (montant > 0) au cours des 12 derniers mois."""
    tr = t["transactions"]
    last = tr[tr["montant"] > 0].groupby("client_id")["date"].max()
    return (last < LAST_YEAR).reindex(t["clients"]["client_id"])


# --- génération et écriture ----------------------------------------------------------------------

@pytest.mark.parametrize("name", ds.NAMES)
def test_write_reproduces_committed_files_byte_for_byte(written: tuple[Path, float], name: str) -> None:
    out, _ = written
    assert (out / f"{name}.csv").read_bytes() == (ROOT / "datasets" / f"{name}.csv").read_bytes()


def test_write_refuses_to_overwrite_then_overwrites_when_asked(tmp_path: Path) -> None:
    mine = tmp_path / "contacts.csv"
    mine.write_text("mes notes\n", encoding="utf-8")
    with pytest.raises(FileExistsError, match=r"overwrite=True.*--force"):
        ds.write(tmp_path)
    assert mine.read_text(encoding="utf-8") == "mes notes\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contacts.csv"]  # rien d'autre écrit
    written = ds.write(tmp_path, seed=5, overwrite=True)
    assert [p.name for p in written] == [f"{n}.csv" for n in ds.NAMES]
    assert mine.read_text(encoding="utf-8").startswith("contact_id,client_id,date,canal,")


def test_same_seed_same_data_other_seed_other_data() -> None:
    a = ds.generate(seed=3, n_clients=300, n_accounts=30)
    b = ds.generate(seed=3, n_clients=300, n_accounts=30)
    c = ds.generate(seed=4, n_clients=300, n_accounts=30)
    for name in ds.NAMES:
        pd.testing.assert_frame_equal(a[name], b[name])
    assert not a["transactions"]["montant"].equals(c["transactions"]["montant"])
    assert not a["clients"]["age"].equals(c["clients"]["age"])
    assert not a["comptes_b2b"]["compte_id"].equals(c["comptes_b2b"]["compte_id"])


def test_generate_matches_loaders_exactly(t: dict[str, pd.DataFrame]) -> None:
    fresh = ds.generate()
    for name in ds.NAMES:
        pd.testing.assert_frame_equal(fresh[name], t[name])


@pytest.mark.parametrize("kwargs", [{"seed": "2024"}, {"seed": -1}, {"n_clients": 0},
                                    {"n_accounts": 2.5}, {"start": "hier"},
                                    {"start": "2025-01-01", "end": "2025-03-01"}])
def test_generate_rejects_bad_arguments_in_french(kwargs: dict) -> None:
    with pytest.raises(DataError, match=r"doit|illisible|au moins"):
        ds.generate(**kwargs)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_generate_tiny_bases_keep_the_schema(seed: int) -> None:
    tiny = ds.generate(seed=seed, n_clients=2, n_accounts=1)
    for name in ds.NAMES:
        assert list(tiny[name].columns) == ds.COLUMNS[name]
    assert len(tiny["clients"]) == 2 and len(tiny["comptes_b2b"]) == 1
    assert set(tiny["transactions"]["client_id"]) == set(tiny["clients"]["client_id"])


def test_generate_honours_size_and_period() -> None:
    small = ds.generate(seed=11, n_clients=200, n_accounts=20, start="2022-01-01", end="2023-12-31")
    assert len(small["clients"]) == 200 and len(small["comptes_b2b"]) == 20
    for name in ("transactions", "contacts", "commandes_b2b"):
        dates = small[name]["date"]
        assert dates.min() >= pd.Timestamp("2022-01-01") and dates.max() <= pd.Timestamp("2023-12-31")


# --- emplacement et chargeurs --------------------------------------------------------------------

def test_data_dir_and_path() -> None:
    module = Path(ds.__file__).resolve()
    # Dépôt installé en mode éditable : datasets/ ; paquet installé : coursehelpers/_data.
    expected = ROOT / "datasets" if module.is_relative_to(ROOT / "src") else module.parent / "_data"
    assert ds.data_dir() == expected
    assert ds.path("clients") == ds.path("clients.csv") == expected / "clients.csv"
    with pytest.raises(DataError, match=r"inconnu.*transactions"):
        ds.path("ventes")


def test_loaders_return_independent_copies() -> None:
    first = ds.load_transactions()
    first.loc[0, "montant"] = -1e9
    first.loc[1, "client_id"] = "X"
    first["canal"] = first["canal"].cat.rename_categories(lambda c: c.upper())
    again = ds.load_transactions()
    assert again is not first and again is not ds.load_transactions()
    assert again.loc[0, "montant"] != -1e9 and again.loc[1, "client_id"] != "X"
    assert "magasin" in set(again["canal"])


EXPECTED_DTYPES = {"str": "str", "int": "int64", "Int": "Int64", "bool": "bool",
                   "date": "datetime64[ns]", "float": "float64"}


@pytest.mark.parametrize("name", ds.NAMES)
def test_loader_dtypes(t: dict[str, pd.DataFrame], name: str) -> None:
    frame = t[name]
    assert list(frame.columns) == ds.COLUMNS[name]
    from coursehelpers.datasets import SCHEMAS
    for col, kind in SCHEMAS[name].items():
        dtype = frame[col].dtype
        if isinstance(kind, tuple) and kind[0] in ("cat", "ord"):
            assert isinstance(dtype, pd.CategoricalDtype), col
            assert dtype.ordered == (kind[0] == "ord"), col
            assert frame[col].notna().all(), col
        else:
            key = kind[0] if isinstance(kind, tuple) else kind
            assert str(dtype) == EXPECTED_DTYPES[key], (col, dtype)
    assert pd.api.types.is_string_dtype(frame.iloc[:, 0]) and frame.iloc[:, 0].is_unique
    assert frame.iloc[:, 0].notna().all()


def test_referential_integrity(t: dict[str, pd.DataFrame]) -> None:
    ids = set(t["clients"]["client_id"])
    assert set(t["transactions"]["client_id"]) <= ids
    assert set(t["contacts"]["client_id"]) <= ids
    assert set(t["commandes_b2b"]["compte_id"]) <= set(t["comptes_b2b"]["compte_id"])
    assert set(t["transactions"]["client_id"]) == ids  # chaque client a au moins un achat


# --- clients ---------------------------------------------------------------------------------------

def test_clients_profile(t: dict[str, pd.DataFrame]) -> None:
    c = t["clients"]
    assert len(c) == 5000 and c["client_id"].str.fullmatch(r"C\d{5}").all()
    assert c["age"].between(18, 90).all()
    assert ((c["civilite"] == "Mme") == (c["sexe"] == "F")).all()
    assert c["csp"].cat.categories.size == 8
    age = c.groupby("csp", observed=True)["age"]
    assert age.min()["Retraités"] >= 55 and age.mean()["Retraités"] > 65
    assert age.mean()["Autres personnes sans activité professionnelle"] < age.mean()["Employés"]
    assert (c.loc[c["age"] < 25, "csp"] == "Retraités").sum() == 0
    assert c["region"].nunique() == 13 and c["region"].value_counts().index[0] == "Île-de-France"
    assert c["region"].value_counts(normalize=True)["Île-de-France"] == pytest.approx(0.18, abs=0.03)
    assert c["code_postal"].str.fullmatch(r"\d{5}").all()
    dept_prefix = c["code_departement"].str.replace(r"^2[AB]$", "20", regex=True)
    assert (c["code_postal"].str[:2] == dept_prefix).all()
    assert c["date_inscription"].between(pd.Timestamp("2021-01-01"), END).all()
    assert 0.3 < c["carte_fidelite"].mean() < 0.7 and 0.3 < c["optin_email"].mean() < 0.9


# --- transactions : structure plantée --------------------------------------------------------------

def test_transactions_volume_and_ids(t: dict[str, pd.DataFrame]) -> None:
    tr = t["transactions"]
    assert 55_000 <= len(tr) <= 65_000
    sale = tr["montant"] > 0
    assert tr.loc[sale, "commande_id"].str.fullmatch(r"CMD\d{6}").all()
    assert tr.loc[~sale, "commande_id"].str.fullmatch(r"AV\d{5}").all()
    assert tr["date"].between(pd.Timestamp("2021-01-01"), END).all()
    assert (tr["montant"] == tr["montant"].round(2)).all() and (tr["montant"] != 0).all()


def test_no_purchase_before_registration_and_some_single_buyers(t: dict[str, pd.DataFrame]) -> None:
    tr = t["transactions"].merge(t["clients"][["client_id", "date_inscription"]], on="client_id")
    assert (tr["date"] >= tr["date_inscription"]).all()
    n = tr[tr["montant"] > 0].groupby("client_id").size()
    assert 50 <= (n == 1).sum() <= 1000


def test_pareto_top_20_percent_make_70_to_80_percent(t: dict[str, pd.DataFrame]) -> None:
    revenue = t["transactions"].groupby("client_id")["montant"].sum().sort_values(ascending=False)
    top = revenue.iloc[: len(revenue) // 5].sum() / revenue.sum()
    assert 0.70 <= top <= 0.80


def test_seasonality_christmas_peak_and_garden_in_spring(t: dict[str, pd.DataFrame]) -> None:
    tr = t["transactions"]
    sales = tr[tr["montant"] > 0]
    month = sales["date"].dt.month
    by_month = sales.groupby(month)["montant"].sum()
    assert by_month.idxmax() == 12
    assert by_month[[11, 12]].mean() > 1.4 * by_month.drop([11, 12]).mean()
    garden = (sales["categorie"] == "Jardin et extérieur").groupby(month).mean()
    assert garden[[4, 5, 6, 7]].min() > 3 * garden[[11, 12, 1, 2]].max()


def test_cohort_2021_about_half_gone(t: dict[str, pd.DataFrame], gone: pd.Series) -> None:
    cohort = t["clients"].set_index("client_id")["date_inscription"].dt.year == 2021
    assert cohort.sum() > 1000
    assert 0.40 <= gone[cohort].mean() <= 0.60


def test_loyalty_card_holders_buy_more_and_churn_less(t: dict[str, pd.DataFrame], gone: pd.Series) -> None:
    c = t["clients"].set_index("client_id")
    old = c["date_inscription"] < pd.Timestamp("2024-01-01")
    tr = t["transactions"]
    n = tr[tr["montant"] > 0].groupby("client_id").size().reindex(c.index)
    by_card = n[old].groupby(c["carte_fidelite"][old]).mean()
    assert by_card[True] > 1.3 * by_card[False]
    churn = gone[old].groupby(c["carte_fidelite"][old]).mean()
    assert churn[True] < churn[False] - 0.10


def test_digital_channels_grow_every_year(t: dict[str, pd.DataFrame]) -> None:
    tr = t["transactions"]
    sales = tr[tr["montant"] > 0]
    digital = sales["canal"].isin(["site web", "application"]).groupby(sales["date"].dt.year).mean()
    assert digital.is_monotonic_increasing and digital[2025] - digital[2021] > 0.10
    assert set(tr["canal"].cat.categories) == {"magasin", "site web", "téléphone", "application"}


def test_avoirs_follow_a_larger_purchase_of_the_same_client(t: dict[str, pd.DataFrame]) -> None:
    tr = t["transactions"]
    avoirs = tr[tr["montant"] < 0]
    assert 0.01 <= len(avoirs) / len(tr) <= 0.02
    pairs = avoirs.merge(tr[tr["montant"] > 0], on="client_id", suffixes=("", "_achat"))
    ok = (pairs["date_achat"] <= pairs["date"]) & (pairs["montant_achat"] >= -pairs["montant"])
    assert ok.groupby(pairs["commande_id"]).any().reindex(avoirs["commande_id"]).fillna(False).all()


# --- contacts ----------------------------------------------------------------------------------------

def test_contacts_channels_and_profiles(t: dict[str, pd.DataFrame]) -> None:
    ct = t["contacts"]
    assert 10_000 <= len(ct) <= 15_000
    assert list(ct["canal"].cat.categories) == ["formulaire de contact", "FAQ", "téléphone",
                                                "e-mail SAV", "chat/réseaux sociaux"]
    assert {"livraison", "retour/remboursement", "réclamation"} <= set(ct["motif"])
    delay = ct.groupby("canal", observed=True)["delai_reponse_h"].median()
    assert delay["FAQ"] == 0 and (ct.loc[ct["canal"] == "FAQ", "delai_reponse_h"] == 0).all()
    assert max(delay["téléphone"], delay["chat/réseaux sociaux"]) < 1
    assert min(delay["e-mail SAV"], delay["formulaire de contact"]) > 12
    assert (ct["delai_reponse_h"] >= 0).all()
    merged = ct.merge(t["clients"][["client_id", "date_inscription"]], on="client_id")
    assert (merged["date"] >= merged["date_inscription"]).all() and (ct["date"] <= END).all()


def test_satisfaction_and_nps_ranges(t: dict[str, pd.DataFrame]) -> None:
    ct = t["contacts"]
    sat, nps = ct["satisfaction"].dropna(), ct["nps"].dropna()
    assert sat.between(1, 5).all() and set(sat) == {1, 2, 3, 4, 5}
    assert nps.between(0, 10).all() and nps.nunique() == 11
    assert 0.1 < ct["satisfaction"].isna().mean() < 0.4
    assert 0.2 < ct["nps"].notna().mean() < 0.4  # échantillon interrogé seulement


def test_satisfaction_falls_with_delay_and_non_resolution(t: dict[str, pd.DataFrame]) -> None:
    ct = t["contacts"]
    by_res = ct.groupby("resolu")["satisfaction"].mean()
    assert by_res[True] - by_res[False] > 1.0
    bands = pd.cut(ct["delai_reponse_h"], [-1, 1, 24, 48, np.inf])
    by_delay = ct.groupby(bands, observed=True)["satisfaction"].mean()
    assert by_delay.is_monotonic_decreasing and by_delay.iloc[0] - by_delay.iloc[-1] > 1.0
    assert ct["satisfaction"].astype(float).corr(ct["nps"].astype(float)) > 0.6


def test_low_satisfaction_customers_churn_more(t: dict[str, pd.DataFrame], gone: pd.Series) -> None:
    c = t["clients"].set_index("client_id")
    mean_sat = t["contacts"].groupby("client_id")["satisfaction"].mean().astype(float)
    old = c.index[c["date_inscription"] < pd.Timestamp("2024-01-01")]
    mean_sat = mean_sat[mean_sat.index.isin(old)].dropna()
    low, high = gone[mean_sat.index[mean_sat <= 2]], gone[mean_sat.index[mean_sat >= 4]]
    assert len(low) > 150 and len(high) > 500
    assert low.mean() > high.mean() + 0.30  # sans lien planté, l’écart (confusion) reste vers 0,18


# --- B2B ---------------------------------------------------------------------------------------------

def _luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def test_b2b_accounts(t: dict[str, pd.DataFrame]) -> None:
    a = t["comptes_b2b"]
    assert len(a) == 400 and a["compte_id"].str.fullmatch(r"[1-9]\d{8}").all()
    assert all(_luhn_ok(s) for s in a["compte_id"]) and not _luhn_ok("123456789")
    assert a["code_naf"].str.fullmatch(r"\d{2}\.\d{2}[A-Z]").all()
    assert a["raison_sociale"].is_unique
    assert (a.groupby("code_naf", observed=True)["libelle_naf"].nunique() == 1).all()
    share = a["categorie_entreprise"].value_counts(normalize=True)
    assert share["GE"] + share["ETI"] < 0.2 and share["TPE"] > 0.4
    top_tranche = a.groupby("categorie_entreprise", observed=True)["tranche_effectif"].max()
    assert top_tranche["TPE"] == "6 à 9 salariés" and top_tranche["PME"] <= "200 à 249 salariés"
    ca_max = a.groupby("categorie_entreprise", observed=True)["ca_annuel"].max()
    assert ca_max["TPE"] <= 2e6 and ca_max["PME"] <= 50e6 and ca_max["ETI"] <= 1.5e9
    big = a["categorie_entreprise"].isin(["GE", "ETI"])
    pools = {"Service clients", "Équipe sédentaire"}
    assert not a.loc[big, "commercial"].isin(pools).any()
    assert (a.loc[a["categorie_entreprise"] == "TPE", "commercial"] == "Service clients").all()
    years = ((END - a["date_debut_relation"]).dt.days // 365.25).astype(int)
    assert (a["anciennete_ans"] == years).all() and (a["date_debut_relation"] <= END).all()


def test_b2b_orders_big_accounts_make_most_revenue(t: dict[str, pd.DataFrame]) -> None:
    a, o = t["comptes_b2b"], t["commandes_b2b"]
    merged = o.merge(a[["compte_id", "categorie_entreprise", "date_debut_relation"]], on="compte_id")
    assert (merged["date"] >= merged["date_debut_relation"]).all()
    assert o["commande_id"].str.fullmatch(r"BC\d{6}").all() and (o["montant"] > 0).all()
    revenue = merged.groupby("categorie_entreprise", observed=True)["montant"].sum()
    assert (revenue["GE"] + revenue["ETI"]) / revenue.sum() > 0.7
    per_account = merged.groupby("categorie_entreprise", observed=True).agg(
        n=("commande_id", "size"), mean=("montant", "mean"))
    per_account["n"] /= a["categorie_entreprise"].value_counts()
    assert per_account.loc["GE", "n"] > 10 * per_account.loc["TPE", "n"]
    assert per_account.loc["GE", "mean"] > 10 * per_account.loc["TPE", "mean"]


# --- fiche de données --------------------------------------------------------------------------------

def test_data_card_documents_every_column(t: dict[str, pd.DataFrame]) -> None:
    card = (ROOT / "datasets" / "README.md").read_text(encoding="utf-8")
    for name, columns in ds.COLUMNS.items():
        assert f"`{name}.csv`" in card
        for col in columns:
            assert re.search(rf"\|\s*`{col}`\s*\|", card), f"{name}.{col} absent de la fiche"
    assert "fictiv" in card and "coursehelpers donnees --out datasets --force" in card
    assert str(ds.DEFAULT_SEED) in card


def _pct(x: float) -> str:
    return f"{100 * x:.1f}".replace(".", ",") + " %"


def test_data_card_figures_match_the_data(t: dict[str, pd.DataFrame], gone: pd.Series) -> None:
    card = (ROOT / "datasets" / "README.md").read_text(encoding="utf-8")
    for name in ds.NAMES:
        assert f"| `{name}.csv` | {len(t[name]):,} |".replace(",", " ") in card, name
    tr = t["transactions"]
    revenue = tr.groupby("client_id")["montant"].sum().sort_values(ascending=False)
    assert _pct(revenue.iloc[: len(revenue) // 5].sum() / revenue.sum()) in card
    cohort = t["clients"].set_index("client_id")["date_inscription"].dt.year == 2021
    assert f"{cohort.sum():,} clients".replace(",", " ") in card and _pct(gone[cohort].mean()) in card
    n_avoirs = int((tr["montant"] < 0).sum())
    assert f"{n_avoirs:,} lignes négatives".replace(",", " ") in card
    assert _pct(t["contacts"]["resolu"].mean()) in card


@pytest.mark.parametrize("name", ds.NAMES)
def test_pyarrow_reader_gives_the_c_reader_table(name: str) -> None:
    """Les chargeurs lisent avec le lecteur CSV de pyarrow (plus rapide) : même tableau de textes
    que le lecteur C de pandas, cases vides comprises (jamais de valeur manquante à la lecture)."""
    file = ds.path(name)
    options = {"dtype": str, "keep_default_na": False, "encoding": "utf-8"}
    pd.testing.assert_frame_equal(pd.read_csv(file, engine="pyarrow", **options),
                                  pd.read_csv(file, **options))


def test_damaged_file_error_names_the_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = ds.path("avis").read_text(encoding="utf-8").splitlines()
    (tmp_path / "avis.csv").write_text("\n".join([*good[:3], good[3] + ",en trop", *good[4:10]]) + "\n",
                                       encoding="utf-8")
    monkeypatch.setattr(ds, "data_dir", lambda: tmp_path)
    with pytest.raises(pd.errors.ParserError, match="line 4"):
        ds.load_reviews()
