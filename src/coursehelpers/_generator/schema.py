"""Schéma des fichiers livrés : colonnes, types pandas, format CSV (partagé générateur/chargeurs)."""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

from coursehelpers._generator import journeys, privacy, reviews
from coursehelpers._generator import reference_data as ref
from coursehelpers.errors import DataError


def _alpha(values: list[str]) -> list[str]:
    """Tri alphabétique français simple (accents ignorés : « Île » entre « H » et « N »)."""
    def key(text: str) -> str:
        return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return sorted(set(values), key=key)


# Types : "str" (texte, identifiants), "int", ("float", décimales), "Int" (entier avec manquants),
# "date", "bool" (oui/non), ("cat", modalités) ou ("ord", modalités dans l'ordre).
_DEPTS = _alpha([c[5] for c in ref.COMMUNES])
_REGIONS = _alpha(list(ref.REGIONS))
SCHEMAS: dict[str, dict[str, object]] = {
    "clients": {
        "client_id": "str", "civilite": ("cat", ["M.", "Mme"]), "sexe": ("cat", ["F", "H"]), "age": "int",
        "situation_familiale": ("cat", ref.SITUATIONS), "niveau_etudes": ("ord", ref.NIVEAUX),
        "csp": ("cat", ref.CSP), "tranche_revenu": ("ord", ref.REVENUS), "commune": "str",
        "code_postal": "str", "code_departement": "str", "departement": ("cat", _DEPTS),
        "region": ("cat", _REGIONS), "date_inscription": "date",
        "canal_acquisition": ("cat", ref.ACQUISITION), "carte_fidelite": "bool", "optin_email": "bool",
    },
    "transactions": {
        "commande_id": "str", "client_id": "str", "date": "date", "montant": ("float", 2),
        "canal": ("cat", ref.CANAUX), "categorie": ("cat", ref.CATEGORIES),
    },
    "contacts": {
        "contact_id": "str", "client_id": "str", "date": "date", "canal": ("cat", ref.CONTACT_CANAUX),
        "motif": ("cat", ref.MOTIFS), "delai_reponse_h": ("float", 2), "resolu": "bool",
        "satisfaction": "Int", "nps": "Int",
    },
    "comptes_b2b": {
        "compte_id": "str", "raison_sociale": "str", "code_naf": ("cat", sorted(x[0] for x in ref.NAF)),
        "libelle_naf": ("cat", _alpha([x[1] for x in ref.NAF])),
        "tranche_effectif": ("ord", [t[0] for t in ref.TRANCHES_EFFECTIF]),
        "categorie_entreprise": ("ord", ref.CATEGORIES_ENTREPRISE), "ca_annuel": "int",
        "date_debut_relation": "date", "anciennete_ans": "int",
        "commercial": ("cat", [*ref.COMMERCIAUX_GRANDS_COMPTES, *ref.COMMERCIAUX_TERRAIN,
                               ref.POOL_SEDENTAIRE, ref.POOL_SERVICE]),
        "region": ("cat", _REGIONS),
    },
    "commandes_b2b": {
        "commande_id": "str", "compte_id": "str", "date": "date", "montant": ("float", 2),
        "categorie": ("cat", ref.CATEGORIES),
    },
    "consentements": {
        "consentement_id": "str", "client_id": "str", "canal": ("cat", privacy.CHANNELS),
        "coordonnee": "bool", "statut": ("cat", privacy.STATUSES), "date_statut": "date",
        "source": ("cat", privacy.SOURCES), "bloctel": "bool",
    },
    "prospects_b2b": {
        "siren": "str", "raison_sociale": "str", "code_naf": ("cat", sorted(x[0] for x in ref.NAF)),
        "libelle_naf": ("cat", _alpha([x[1] for x in ref.NAF])),
        "tranche_effectif": ("ord", [t[0] for t in ref.TRANCHES_EFFECTIF]),
        "categorie_entreprise": ("ord", ref.CATEGORIES_ENTREPRISE), "region": ("cat", _REGIONS),
        "date_creation": "date", "source": ("cat", journeys.SOURCES),
        "canal_contact": ("cat", journeys.CONTACT_CHANNELS), "contacte": "bool", "rdv": "bool",
        "devis": "bool", "commande": "bool",
    },
    "parcours": {
        "parcours_id": "str", "client_id": "str", "date": "date", "premier_point": ("cat", journeys.ENTRIES),
        "points_de_contact": "str", "nb_points": "int", "panier": "bool", "commande": "bool",
        "canal_achat": ("cat", journeys.PURCHASE), "montant": ("float", 2), "retour": "bool",
    },
    "avis": {
        "avis_id": "str", "plateforme": ("cat", reviews.PLATFORMS), "client_id": "str", "date": "date",
        "note": "int", "texte": "str", "reponse": "bool", "date_reponse": "date",
    },
    "derniers_contacts": {
        "client_id": "str", "date_dernier_achat": "date", "date_dernier_contact_sav": "date",
        "date_dernier_contact": "date",
    },
}
TRUE, FALSE = "oui", "non"


def _fail(name: str, column: str, message: str, values: pd.Series, bad: np.ndarray) -> DataError:
    pos = int(np.flatnonzero(bad)[0])
    return DataError(f"{message} (valeur {values.iloc[pos]!r}). Régénérez les données avec "
                     "« coursehelpers donnees --out datasets --force ».",
                     path=f"{name}.csv", column=column, line=pos + 2)


def coerce(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Donne à chaque colonne son type (depuis du texte CSV ou des valeurs déjà typées)."""
    schema = SCHEMAS[name]
    if list(frame.columns) != list(schema):
        raise DataError(f"colonnes inattendues : {list(frame.columns)} au lieu de {list(schema)}.",
                        path=f"{name}.csv")
    out = {}
    for col, kind in schema.items():
        values = frame[col]
        text = values.dtype == object or pd.api.types.is_string_dtype(values.dtype)
        if kind == "str":
            out[col] = values.astype("str")
        elif kind == "date":
            out[col] = pd.to_datetime(values, format="%Y-%m-%d" if text else None).astype("datetime64[ns]")
        elif kind == "bool":
            if text:
                bad = ~values.isin([TRUE, FALSE]).to_numpy()
                if bad.any():
                    raise _fail(name, col, "« oui » ou « non » attendu", values, bad)
                values = values == TRUE
            out[col] = values.astype(bool)
        elif kind == "int":
            out[col] = pd.to_numeric(values).astype("int64")
        elif kind == "Int":
            out[col] = pd.to_numeric(values.replace("", None) if text else values).astype("Int64")
        elif kind[0] == "float":
            out[col] = pd.to_numeric(values).astype("float64")
        else:
            levels = kind[1]
            cat = pd.Categorical(values, categories=levels, ordered=kind[0] == "ord")
            bad = (cat.codes < 0) & values.notna().to_numpy()
            if bad.any():
                raise _fail(name, col, "modalité inconnue", values, bad)
            out[col] = cat
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)))


def to_csv_text(name: str, frame: pd.DataFrame) -> str:
    """Texte CSV déterministe : UTF-8, virgule, dates ISO, point décimal, oui/non, vide = manquant."""
    cols = {}
    for col, kind in SCHEMAS[name].items():
        values = frame[col]
        if kind == "date":
            cols[col] = values.dt.strftime("%Y-%m-%d")
        elif kind == "bool":
            cols[col] = np.where(values.to_numpy(dtype=bool), TRUE, FALSE)
        elif kind == "Int":
            cols[col] = values.astype("string").fillna("")
        elif isinstance(kind, tuple) and kind[0] == "float":
            cols[col] = np.char.mod(f"%.{kind[1]}f", values.to_numpy(dtype=float))
        else:
            cols[col] = values.astype(str)
    return pd.DataFrame(cols).to_csv(index=False, lineterminator="\n")
