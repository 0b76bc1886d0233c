"""Catalogue des critères de segmentation vus en cours (familles, description, colonne des données)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from coursehelpers.errors import DataError

__all__ = ["CRITERIA", "Criterion", "criteria_table"]


@dataclass(frozen=True)
class Criterion:
    """Un critère de segmentation : famille, nom, description et colonne des données du cours."""

    family: str
    name: str
    description: str
    column: str | None = None
    dataset: str | None = None


def _c(family: str, name: str, description: str, column: str | None = None,
       dataset: str | None = None) -> Criterion:
    return Criterion(family, name, description, column, dataset)


_SD, _SE, _GEO = "socio-démographique", "socio-économique", "géographique"
_COMP, _PSY, _B2B = "comportemental", "psychographique", "B2B (entreprises)"

#: Catalogue des critères de segmentation vus en cours (colonne = nom dans les données fournies).
CRITERIA: tuple[Criterion, ...] = (
    _c(_SD, "âge", "Âge du client en années ; souvent regroupé en tranches.", "age", "clients"),
    _c(_SD, "sexe", "Sexe ou civilité déclarée.", "sexe", "clients"),
    _c(_SD, "situation familiale", "Célibataire, en couple, avec ou sans enfants.",
       "situation_familiale", "clients"),
    _c(_SD, "niveau d'études", "Diplôme le plus élevé obtenu.", "niveau_etudes", "clients"),
    _c(_SE, "CSP", "Catégorie socioprofessionnelle (groupes de la PCS de l'INSEE).", "csp", "clients"),
    _c(_SE, "revenu", "Niveau ou tranche de revenu du foyer.", "tranche_revenu", "clients"),
    _c(_SE, "profession", "Métier exercé (plus fin que la CSP)."),
    _c(_GEO, "région", "Région de résidence.", "region", "clients"),
    _c(_GEO, "commune", "Commune ou département de résidence.", "commune", "clients"),
    _c(_GEO, "urbain / rural", "Type de zone d'habitation (ville, périurbain, campagne)."),
    _c(_COMP, "RFM", "Récence, fréquence et montant des achats (voir le module rfm)."),
    _c(_COMP, "fréquence d'achat", "Nombre d'achats sur une période donnée."),
    _c(_COMP, "canal", "Canal d'achat ou de contact préféré (magasin, site web, application...).",
       "canal", "transactions"),
    _c(_COMP, "fidélité", "Ancienneté, carte de fidélité, réachat.", "carte_fidelite", "clients"),
    _c(_COMP, "panier", "Montant moyen dépensé par commande (panier moyen).", "montant", "transactions"),
    _c(_PSY, "style de vie", "Manière de vivre, habitudes de consommation."),
    _c(_PSY, "valeurs", "Convictions (écologie, tradition, innovation...)."),
    _c(_PSY, "centres d'intérêt", "Loisirs, passions, sujets suivis."),
    _c(_B2B, "code NAF", "Activité principale de l'entreprise (nomenclature de l'INSEE).",
       "code_naf", "comptes_b2b"),
    _c(_B2B, "tranche d'effectif", "Nombre de salariés (TPE, PME, ETI, grande entreprise).",
       "tranche_effectif", "comptes_b2b"),
    _c(_B2B, "chiffre d'affaires", "CA annuel de l'entreprise cliente.", "ca_annuel", "comptes_b2b"),
    _c(_B2B, "localisation", "Région de l'établissement (le SIREN/SIRET n'est pas un critère : c'est "
       "l'identifiant qui sert à enrichir le fichier depuis la base Sirene de l'INSEE).",
       "region", "comptes_b2b"),
)


def criteria_table(*, family: str | None = None) -> pd.DataFrame:
    """Affiche le catalogue des critères de segmentation sous forme de tableau.

    Paramètres
    ----------
    family : str, optionnel
        Ne garder qu'une famille, par ex. ``"géographique"`` (début du nom accepté).

    Renvoie
    -------
    DataFrame avec les colonnes ``famille``, ``critere``, ``description``,
    ``colonne`` (nom dans les données du cours, vide si absent) et ``fichier``.

    Exemples
    --------
    >>> criteria_table(family="B2B")["critere"].tolist()[:2]
    ['code NAF', "tranche d'effectif"]
    """
    table = pd.DataFrame(
        [(c.family, c.name, c.description, c.column, c.dataset) for c in CRITERIA],
        columns=["famille", "critere", "description", "colonne", "fichier"],
    )
    if family is not None:
        keep = table["famille"].str.lower().str.startswith(str(family).lower())
        if not keep.any():
            known = ", ".join(f"« {f} »" for f in table["famille"].unique())
            raise DataError(f"famille de critères inconnue : {family!r}. Familles : {known}.")
        table = table[keep].reset_index(drop=True)
    return table
