"""Un fait, une valeur : un chiffre cité dans plusieurs notebooks (chapitres et cahiers) y a partout
la même valeur, et c'est celle que calcule la bibliothèque sur les données du cours.

Chaque fait a une seule source de vérité (une fonction de ``coursehelpers`` appliquée aux données
fournies) et des formulations repérées par des expressions régulières dans le texte des
notebooks (cellules Markdown, code et sorties enregistrées, espaces insécables normalisés). Le
test échoue si une formulation trouvée porte une autre valeur, ou si un fait n'est plus cité nulle
part (expression devenue fausse après une réécriture).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from repo import CHAPTERS, SOLUTIONS

from coursehelpers import datasets, kpis, pareto
from coursehelpers.display import eur, num, pct


@dataclass(frozen=True)
class Fact:
    name: str
    patterns: tuple[str, ...]


def _flat(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    parts: list[str] = []
    for cell in nb["cells"]:
        parts.append("".join(cell["source"]))
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append("".join(out["text"]))
            for kind in ("text/plain", "text/markdown"):
                if kind in out.get("data", {}):
                    parts.append("".join(out["data"][kind]))
    text = re.sub(r"[\u00a0\u202f]", " ", "\n".join(parts))
    return re.sub(r"\s+", " ", text)


@cache
def _texts() -> dict[str, str]:
    return {f"{p.parent.name}/{p.name}": _flat(p) for p in [*CHAPTERS, *SOLUTIONS]}


@cache
def expected() -> dict[str, str]:
    """La seule source de vérité : les chiffres recalculés sur les données du cours."""
    tx = datasets.load_transactions()
    clients = datasets.load_clients()
    contacts = datasets.load_contacts()
    flux = kpis.customer_flows(tx, period_1=("2024-01-01", "2024-12-31"),
                               period_2=("2025-01-01", "2025-12-31"))
    ca_client = tx.groupby("client_id")["montant"].sum()
    last = tx[tx["montant"] > 0].groupby("client_id")["date"].max()
    cohort_2021 = clients.loc[clients["date_inscription"].dt.year == 2021, "client_id"]
    gone_2021 = float((last.reindex(cohort_2021) < "2025-01-01").mean())
    reachat = kpis.repurchase_after_contact(contacts, tx, within_days=30)
    return {
        "rapport conquête / fidélisation (Gallo, 2014)": "5 à 25",
        "attrition 2024 → 2025": pct(flux.taux_attrition),
        "rétention 2024 → 2025": pct(flux.taux_retention),
        "clients actifs en 2024": num(flux.clients_p1),
        "part du CA des 20 % meilleurs clients, 2021-2025": pct(pareto.top_share(ca_client, share=0.2)),
        "cohorte 2021 partie fin 2025": pct(gone_2021),
        "« moitié en 5 ans » en taux annuel": pct(kpis.annual_rate_from_multi_year(share_lost=0.5, years=5)),
        "cohorte 2021 : taux annuel sur 4 ans":
            pct(kpis.annual_rate_from_multi_year(share_lost=gone_2021, years=4)),
        "NPS de tous les contacts": num(kpis.nps(contacts)["nps"]),
        "lignes d'avoirs": num(int((tx["montant"] < 0).sum())),
        "porteurs de la carte": pct(clients["carte_fidelite"].mean()),
        "réachat après contact (30 jours)": pct(reachat["taux_reachat_apres_contact"]),
        "CLV médiane d'un client existant": eur(_median_clv(tx)),
    }


def _median_clv(tx) -> float:
    from coursehelpers import rfm

    before = tx[tx["date"] < "2025-01-01"]
    scores = rfm.rfm_scores(rfm.rfm_table(before, as_of="2025-01-01"))
    buyers = tx.loc[(tx["date"] >= "2025-01-01") & (tx["montant"] > 0), "client_id"]
    rate = scores.index.isin(buyers)
    retention = (scores.assign(r=rate).groupby("segment", observed=True)["r"].mean()).to_dict()
    table = kpis.clv_table(before, margin_rate=0.35, retention=retention, segments=scores["segment"],
                           discount_rate=0.08, years=10, as_of="2025-01-01")
    return float(table["clv"].median())


# Un nombre au format français : milliers séparés par une espace, virgule décimale, signe U+2212.
N = r"(?<![\d,])(−?\d{1,3}(?: \d{3})*(?:,\d+)?)"
FACTS = (
    Fact("rapport conquête / fidélisation (Gallo, 2014)", (r"(\d+ à \d+) fois plus",)),
    Fact("attrition 2024 → 2025", (
        N + r" % des clients (?:actifs )?(?:de|en) 2024 n'ont", r"soit " + N + r" % d'attrition",
        r"Perdus en 2025 : [\d ]+ \(" + N + r" %\)", r"\(" + N + r" % entre 2024 et 2025\)",
        r"Taux d'attrition 2024 → 2025 : [\d ]+ / [\d ]+ = " + N + " %",
        r"\(" + N + r" % de clients perdus par an\)")),
    Fact("rétention 2024 → 2025", (
        r"garde " + N + r" % de ses clients", r"Toujours clients en 2025 : [\d ]+ \(" + N + r" %\)",
        r"Fidélisation actuelle : " + N + " %")),
    Fact("clients actifs en 2024", (r"Clients actifs en 2024 : " + N + r"(?= |$)",
                                    r"Sur " + N + r" clients actifs en 2024")),
    Fact("part du CA des 20 % meilleurs clients, 2021-2025", (
        r"Les 20 % meilleurs clients réalisent " + N + " % du chiffre d'affaires",
        r"point orange montre que 20 % des clients font " + N + " %",
        r"Particuliers, 2021-2025 : 20 % des clients font " + N + " %", r"Résultat : \*\*" + N + r" %\*\*",
        r"les 20 % meilleurs clients font " + N + r" % du CA, et il faut")),
    Fact("cohorte 2021 partie fin 2025", (
        N + r" % des inscrits de 2021", N + r" % de la cohorte 2021 est partie",
        r"Cohorte 2021 : " + N + " % de partis")),
    Fact("« moitié en 5 ans » en taux annuel", (
        r"Règle des 5 ans : " + N + " %", r"La règle donne " + N + " %",
        r"correspond à \**" + N + r" % d'attrition par an", r"0,5\^\(1/5\) = " + N + " %")),
    Fact("cohorte 2021 : taux annuel sur 4 ans", (r"en 4 ans → " + N + " % par an",
                                                 r"en quatre ans\** ?, soit " + N + " % par an")),
    Fact("NPS de tous les contacts", (r"NPS : " + N + r" points, sur", r"le NPS est \*\*négatif\*\* \(" + N)),
    Fact("lignes d'avoirs", (N + r" lignes d'avoirs", r"Avoirs : " + N + " lignes")),
    Fact("porteurs de la carte", (r"porteurs de la carte de fidélité : " + N + " %",
                                  r"Avec la carte, " + N + " % des clients")),
    Fact("réachat après contact (30 jours)", (
        r"réachat après contact \(achat dans les 30 jours\) : " + N + " %",)),
    Fact("CLV médiane d'un client existant", (r"CLV médiane : " + N + " €",
                                              r"CLV médiane d'un client est de " + N + " €")),
)


def _unit(value: str) -> str:
    return value.removesuffix(" %").removesuffix(" €").strip()


@pytest.mark.parametrize("fact", FACTS, ids=[f.name for f in FACTS])
def test_fact_has_one_value_everywhere(fact: Fact) -> None:
    want = _unit(expected()[fact.name].replace("\u00a0", " ").replace("\u202f", " "))
    found: list[tuple[str, str]] = []
    for where, text in _texts().items():
        for pattern in fact.patterns:
            found += [(where, m.group(1).strip()) for m in re.finditer(pattern, text)]
    assert found, f"« {fact.name} » n'est plus cité nulle part : mettez à jour ses formulations"
    wrong = sorted({(w, v) for w, v in found if v != want})
    assert not wrong, (f"« {fact.name} » vaut {want} (calculé sur les données) mais est cité "
                       f"autrement : {wrong}")
