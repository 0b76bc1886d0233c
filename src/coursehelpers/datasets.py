"""Données fictives du cours : l'enseigne « Maison Lumière » (maison et décoration).

Dix fichiers CSV sont livrés avec le cours (dossier ``datasets/`` du dépôt, ou
``coursehelpers/_data`` dans un paquet installé) et décrits dans ``datasets/README.md`` :

===================  ==========================  ===================================
nom                  chargeur                    contenu
===================  ==========================  ===================================
``clients``          :func:`load_clients`        5 000 clients particuliers
``transactions``     :func:`load_transactions`   ≈ 60 000 achats et avoirs (€ TTC)
``contacts``         :func:`load_contacts`       contacts avec le service client
``comptes_b2b``      :func:`load_b2b_accounts`   400 comptes professionnels
``commandes_b2b``    :func:`load_b2b_orders`     commandes des comptes pro (€ HT)
``consentements``    :func:`load_consents`       choix de chaque client par canal
``derniers_contacts``  :func:`load_last_contacts`  dernier achat / contact par client
``prospects_b2b``    :func:`load_prospects`      1 200 entreprises prospectées
``parcours``         :func:`load_journeys`       8 000 parcours d'achat de 2025
``avis``             :func:`load_reviews`        2 400 avis clients en ligne (2023-2025)
===================  ==========================  ===================================

Les chargeurs renvoient des tableaux typés (dates en ``datetime64``, modalités en
``category``, oui/non en booléens, identifiants en texte). Chaque appel renvoie une
copie neuve : modifier le tableau obtenu ne change pas le suivant.

>>> from coursehelpers import datasets
>>> clients = datasets.load_clients()              # doctest: +SKIP
>>> clients["carte_fidelite"].mean()               # part des porteurs de carte  # doctest: +SKIP
"""

from __future__ import annotations

import functools
from importlib import resources
from os import PathLike
from pathlib import Path

import pandas as pd

from coursehelpers._core.validate import check_positive_int
from coursehelpers._generator import generate_tables
from coursehelpers._generator.schema import SCHEMAS, coerce, to_csv_text
from coursehelpers.errors import DataError

__all__ = [
    "DEFAULT_SEED",
    "NAMES",
    "data_dir",
    "generate",
    "load_b2b_accounts",
    "load_b2b_orders",
    "load_clients",
    "load_consents",
    "load_contacts",
    "load_journeys",
    "load_last_contacts",
    "load_prospects",
    "load_reviews",
    "load_transactions",
    "path",
    "write",
]

#: Graine du générateur qui a produit les fichiers livrés.
DEFAULT_SEED = 2024
#: Noms des tables, dans l'ordre d'écriture.
NAMES = ("clients", "transactions", "contacts", "comptes_b2b", "commandes_b2b", "consentements",
         "derniers_contacts", "prospects_b2b", "parcours", "avis")

_REGENERATE = "coursehelpers donnees --out datasets --force"


def generate(*, seed: int = DEFAULT_SEED, n_clients: int = 5000, n_accounts: int = 400,
             start: str = "2021-01-01", end: str = "2025-12-31") -> dict[str, pd.DataFrame]:
    """Génère les tables fictives avec une graine fixe (même graine → mêmes données).

    Le modèle est décrit dans ``datasets/README.md``. En résumé, pour chaque client :
    fréquence d'achat λ log-normale, panier log-normal, durée de vie exponentielle de
    taux h = 0,175 × 0,6 (si carte) × exp(g) par an, où g ~ N(0, 1) est un
    mécontentement latent qui dégrade aussi ses contacts avec le service client ; les
    achats suivent un processus de Poisson saisonnier entre l'inscription et le départ.

    Paramètres
    ----------
    seed : int
        Graine du générateur ``numpy.random.default_rng`` (défaut : ``DEFAULT_SEED``).
    n_clients, n_accounts : int
        Nombre de clients particuliers et de comptes professionnels.
    start, end : str
        Première et dernière date des données (format ISO ``AAAA-MM-JJ``).

    Renvoie
    -------
    dict[str, pandas.DataFrame]
        Une clé par nom de ``NAMES`` (``clients``, ``transactions``...) ; mêmes colonnes et
        mêmes types que les chargeurs.

    Exemples
    --------
    >>> petit = generate(seed=1, n_clients=50, n_accounts=5)
    >>> len(petit["clients"])
    50
    """
    seed = check_positive_int(seed, name="seed", minimum=0)
    n_clients = check_positive_int(n_clients, name="n_clients")
    n_accounts = check_positive_int(n_accounts, name="n_accounts")
    try:
        first, last = pd.Timestamp(start), pd.Timestamp(end)
    except (TypeError, ValueError):
        raise DataError(f"dates illisibles : start={start!r}, end={end!r} (format attendu : "
                        "2021-01-01).") from None
    if (last - first).days < 365:
        raise DataError(f"la période doit couvrir au moins un an (start={start!r}, end={end!r}).")
    return generate_tables(seed, n_clients, n_accounts, first.strftime("%Y-%m-%d"),
                           last.strftime("%Y-%m-%d"))


def write(out_dir: str | PathLike[str], *, seed: int | None = None,
          overwrite: bool = False) -> list[Path]:
    """Écrit tous les fichiers CSV (UTF-8, virgule, dates ISO, point décimal) dans ``out_dir``.

    Aucun fichier n'est écrit si l'un d'eux existe déjà et que ``overwrite`` vaut ``False``.
    Avec la graine par défaut, les fichiers sont identiques octet pour octet à ceux du cours.

    Paramètres
    ----------
    out_dir : chemin
        Dossier de sortie (créé s'il n'existe pas).
    seed : int ou None
        Graine ; ``None`` = ``DEFAULT_SEED``.
    overwrite : bool
        Autoriser l'écrasement de fichiers existants (option ``--force`` de la ligne de commande).

    Renvoie
    -------
    list[pathlib.Path]
        Les chemins écrits, dans l'ordre de ``NAMES``.

    Exemples
    --------
    >>> write("mes_donnees")          # doctest: +SKIP
    """
    out = Path(out_dir)
    targets = [out / f"{name}.csv" for name in NAMES]
    existing = [p for p in targets if p.exists()]
    if existing and not overwrite:
        names = ", ".join(p.name for p in existing)
        raise FileExistsError(
            f"Fichier(s) déjà présent(s) dans « {out} » : {names}. Rien n'a été écrit. "
            "Pour les remplacer, utilisez overwrite=True (ou l'option --force en ligne de commande)."
        )
    tables = generate(seed=DEFAULT_SEED if seed is None else seed)
    out.mkdir(parents=True, exist_ok=True)
    for name, target in zip(NAMES, targets, strict=True):
        target.write_bytes(to_csv_text(name, tables[name]).encode("utf-8"))
    return targets


def data_dir() -> Path:
    """Dossier des CSV livrés : ``coursehelpers/_data`` (paquet installé) ou ``datasets/`` (dépôt)."""
    packaged = resources.files("coursehelpers") / "_data"
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "datasets"
    if checkout.is_dir():
        return checkout
    raise DataError(
        "Données du cours introuvables : ni coursehelpers/_data (paquet installé) ni le dossier "
        f"datasets/ du dépôt. Réinstallez le paquet ou lancez « {_REGENERATE} »."
    )


def path(name: str) -> Path:
    """Chemin du fichier CSV ``name`` (« clients » ou « clients.csv »...).

    >>> path("clients").name          # doctest: +SKIP
    'clients.csv'
    """
    stem = str(name).removesuffix(".csv")
    if stem not in NAMES:
        valid = ", ".join(f"« {n} »" for n in NAMES)
        raise DataError(f"jeu de données inconnu « {name} ». Noms possibles : {valid}.")
    file = data_dir() / f"{stem}.csv"
    if not file.is_file():
        raise DataError(f"fichier absent. Régénérez-le avec « {_REGENERATE} ».", path=file)
    return file


@functools.lru_cache(maxsize=16)
def _parse(name: str, file: Path, mtime_ns: int, size: int) -> pd.DataFrame:
    # mtime_ns et size font partie de la clé : un fichier régénéré est relu.
    # Lecteur CSV de pyarrow : même tableau de textes que le lecteur C de pandas (vérifié sur les
    # dix fichiers dans tests/test_datasets.py), environ deux fois plus rapide (transactions :
    # 25 à 30 ms de moins au premier chargement de chaque chapitre). Fichier abîmé : relu par le
    # lecteur C, dont l'erreur donne le numéro de ligne.
    try:
        raw = pd.read_csv(file, dtype=str, keep_default_na=False, encoding="utf-8", engine="pyarrow")
    except (ValueError, pd.errors.ParserError):
        raw = pd.read_csv(file, dtype=str, keep_default_na=False, encoding="utf-8")
    try:
        return coerce(name, raw)
    except DataError as err:
        raise DataError(err.message, path=file, column=err.column, line=err.line) from None


def _fresh(name: str) -> pd.DataFrame:
    file = path(name)
    stat = file.stat()
    return _parse(name, file, stat.st_mtime_ns, stat.st_size).copy(deep=True)


def load_clients() -> pd.DataFrame:
    """Les 5 000 clients particuliers (une ligne par client, ``client_id`` unique).

    Colonnes : ``client_id``, ``civilite``, ``sexe``, ``age``, ``situation_familiale``,
    ``niveau_etudes`` (ordonnée), ``csp`` (groupes PCS 2020 de l'INSEE), ``tranche_revenu``
    (ordonnée), ``commune``, ``code_postal``, ``code_departement``, ``departement``,
    ``region``, ``date_inscription``, ``canal_acquisition``, ``carte_fidelite`` et
    ``optin_email`` (booléens).

    >>> load_clients()["region"].value_counts().head(3)    # doctest: +SKIP
    """
    return _fresh("clients")


def load_transactions() -> pd.DataFrame:
    """Achats (``CMD…``) et avoirs (``AV…``, montant négatif) des clients, en € TTC.

    Colonnes : ``commande_id``, ``client_id``, ``date``, ``montant``, ``canal``, ``categorie``.

    >>> ventes = load_transactions()                             # doctest: +SKIP
    >>> ventes.groupby(ventes["date"].dt.year)["montant"].sum()  # CA net par an  # doctest: +SKIP
    """
    return _fresh("transactions")


def load_contacts() -> pd.DataFrame:
    """Contacts avec le service client : canal, motif, délai (h), résolu, satisfaction 1-5, NPS 0-10.

    ``satisfaction`` et ``nps`` sont des entiers pouvant manquer (``<NA>``) : le NPS n'est
    renseigné que pour l'échantillon interrogé.

    >>> load_contacts().groupby("canal")["delai_reponse_h"].median()   # doctest: +SKIP
    """
    return _fresh("contacts")


def load_b2b_accounts() -> pd.DataFrame:
    """Les 400 comptes professionnels : SIREN fictif, NAF, effectif, catégorie, CA, commercial.

    >>> load_b2b_accounts()["categorie_entreprise"].value_counts()     # doctest: +SKIP
    """
    return _fresh("comptes_b2b")


def load_b2b_orders() -> pd.DataFrame:
    """Commandes des comptes professionnels (``montant`` en € HT), reliées par ``compte_id``.

    >>> load_b2b_orders().groupby("compte_id")["montant"].sum().nlargest(5)   # doctest: +SKIP
    """
    return _fresh("commandes_b2b")


def load_consents() -> pd.DataFrame:
    """Choix de prospection de chaque client : 4 lignes par client (courrier, e-mail, SMS, téléphone).

    Colonnes : ``consentement_id``, ``client_id``, ``canal``, ``coordonnee`` (adresse ou
    numéro donné), ``statut`` (consentement, opposition, sans choix), ``date_statut``,
    ``source`` (formulaire web, caisse en magasin, lien de désinscription...), ``bloctel``
    (numéro inscrit sur la liste d'opposition au démarchage téléphonique).

    >>> c = load_consents()                                            # doctest: +SKIP
    >>> c[c["canal"] == "e-mail"]["statut"].value_counts()             # doctest: +SKIP
    """
    return _fresh("consentements")


def load_last_contacts() -> pd.DataFrame:
    """Par client : dates du dernier achat, du dernier contact avec le service client, et la plus récente.

    ``date_dernier_contact`` est le point de départ de la durée de conservation des données de
    prospection (3 ans, recommandation de la CNIL). ``date_dernier_contact_sav`` manque
    (``NaT``) pour un client qui n'a jamais contacté le service client.

    >>> load_last_contacts()["date_dernier_contact"].min()             # doctest: +SKIP
    """
    return _fresh("derniers_contacts")


def load_prospects() -> pd.DataFrame:
    """Entreprises prospectées (non clientes), comme un extrait de la base Sirene, et le résultat de 2025.

    Colonnes : ``siren`` (9 chiffres, clé de Luhn), ``raison_sociale``, ``code_naf``,
    ``libelle_naf``, ``tranche_effectif``, ``categorie_entreprise``, ``region``,
    ``date_creation``, ``source``, ``canal_contact``, puis les étapes ``contacte``, ``rdv``,
    ``devis``, ``commande`` (oui/non).

    >>> load_prospects()[["contacte", "rdv", "devis", "commande"]].sum()   # doctest: +SKIP
    """
    return _fresh("prospects_b2b")


def load_journeys() -> pd.DataFrame:
    """Parcours d'achat omnicanaux de 2025 (un par ligne) : points de contact, panier, achat, retour.

    Colonnes : ``parcours_id``, ``client_id``, ``date``, ``premier_point``,
    ``points_de_contact`` (texte « recherche en ligne > site web > panier > ... »), ``nb_points``,
    ``panier``, ``commande``, ``canal_achat`` (aucun, application, click & collect, magasin,
    site web), ``montant`` (€ TTC, 0 sans achat), ``retour``.

    >>> load_journeys()["canal_achat"].value_counts()                        # doctest: +SKIP
    """
    return _fresh("parcours")


def load_reviews() -> pd.DataFrame:
    """Avis clients en ligne de 2023 à 2025 : plateforme, date, note 1-5, texte, réponse de l'enseigne.

    Colonnes : ``avis_id``, ``plateforme`` (Facebook, Google, Trustpilot, site Maison Lumière),
    ``client_id`` (renseigné seulement pour les avis vérifiés du site, texte vide sinon),
    ``date``, ``note``, ``texte``, ``reponse`` (oui/non), ``date_reponse`` (``NaT`` sans réponse).

    >>> load_reviews().groupby(load_reviews()["date"].dt.year)["note"].mean()   # doctest: +SKIP
    """
    return _fresh("avis")


# Colonnes attendues de chaque fichier (utile pour les tests et le notebook de prise en main).
COLUMNS: dict[str, list[str]] = {name: list(schema) for name, schema in SCHEMAS.items()}
