"""Reconnaissance des noms de colonnes d'un export CRM (partie privée de ``crm_export``).

Un en-tête est *normalisé* avant d'être comparé : minuscules, accents retirés, « N° » lu
« numero », ponctuation, espaces et soulignés confondus, unité finale « € / EUR » ignorée.
Ainsi « Montant TTC (€) », « MONTANT_TTC » et « montant ttc » donnent tous ``montant ttc``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from coursehelpers._core.text import strip_accents
from coursehelpers.errors import DataError

# Nom canonique (contrat de données du cours) → synonymes rencontrés dans les exports
# (Excel, CRM, caisses, logiciels de gestion et de facturation, boutiques en ligne). Les
# synonymes sont écrits sous forme normalisée. En-têtes typiques relevés (voir tests) :
# Sage et Cegid (« N° pièce », « Code tiers », « Total TTC »), EBP (« N° document »,
# « Code client »), PrestaShop (« Client », « Total », « Date »), WooCommerce (« Commande n° »,
# « Client », « Ventes nettes »), Odoo (« Référence de la commande », « Partenaire »),
# Salesforce (« Nom du compte », « Date de clôture », « Montant »), Shopify (« Created at »).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "client_id": (
        "client id", "id client", "identifiant client", "numero client", "numero de client",
        "no client", "num client", "code client", "ref client", "reference client", "customer id",
        "numero adherent", "code adherent", "client", "code tiers", "numero tiers",
        "numero de tiers", "no tiers", "compte tiers", "numero compte tiers",
        "numero de compte tiers", "tiers", "id du compte", "nom du compte", "partenaire",
    ),
    "commande_id": (
        "commande id", "id commande", "numero commande", "numero de commande", "no commande",
        "num commande", "ref commande", "reference commande", "code commande", "commande",
        "numero facture", "numero de facture", "no facture", "num facture", "ref facture",
        "facture", "order id", "numero ticket", "no ticket", "ticket", "commande numero",
        "reference de la commande", "reference de commande", "numero de la commande",
        "numero piece", "numero de piece", "no piece", "piece", "numero document",
        "numero de document", "no document",
    ),
    "date": (
        "date", "date commande", "date de commande", "date de la commande", "date achat",
        "date d achat", "date facture", "date de facture", "date de facturation", "date vente",
        "date de vente", "date transaction", "date de transaction", "date operation",
        "date de l operation", "date ticket", "order date", "date de la facture",
        "date piece", "date de piece", "date de la piece", "date document", "date du document",
        "date de cloture", "date cloture", "created at",
    ),
    "montant": (
        "montant", "montant ttc", "total ttc", "ca", "ca ttc", "chiffre d affaires",
        "chiffre d affaires ttc", "montant commande", "montant de la commande", "montant facture",
        "total facture", "total", "prix ttc", "montant achat", "montant de l achat", "amount",
        "montant total", "montant total ttc", "total commande", "total de la commande", "ttc",
    ),
    "canal": (
        "canal", "canal de vente", "canal vente", "canal de distribution", "canal d achat",
        "canal de commande", "channel",
    ),
    "categorie": (
        "categorie", "categorie produit", "categorie de produit", "categorie article", "famille",
        "famille produit", "famille de produits", "rayon", "univers",
    ),
    "date_inscription": (
        "date inscription", "date d inscription", "date de creation", "date creation",
        "date creation compte", "date de creation du compte", "client depuis", "date adhesion",
        "date d adhesion",
    ),
    "civilite": ("civilite", "titre"),
    "situation_familiale": ("situation familiale", "situation de famille"),
    "niveau_etudes": ("niveau etudes", "niveau d etudes", "diplome"),
    "tranche_revenu": ("tranche revenu", "tranche de revenu", "tranche de revenus", "revenus"),
    "sexe": ("sexe", "genre"),
    "age": ("age", "age client", "age du client"),
    "csp": (
        "csp", "pcs", "categorie socioprofessionnelle", "categorie socio professionnelle",
        "profession categorie socioprofessionnelle",
    ),
    "commune": ("commune", "ville", "localite"),
    "code_postal": ("code postal", "cp"),
    "code_departement": ("code departement", "numero departement", "no departement", "dept", "dep"),
    "departement": ("departement", "nom departement", "nom du departement"),
    "region": ("region",),
    "canal_acquisition": ("canal acquisition", "canal d acquisition", "origine", "source"),
    "carte_fidelite": ("carte fidelite", "carte de fidelite", "porteur carte", "fidelite"),
    "optin_email": ("optin email", "opt in email", "optin", "opt in", "accord email"),
}

# Noms pris **seulement si aucun synonyme** de ``SYNONYMS`` n'est présent : un montant hors
# taxes (le cours compte en TTC ; si le fichier a les deux, le TTC est retenu et c'est dit),
# une adresse e-mail comme identifiant client (boutiques en ligne sans numéro de client).
FALLBACK_SYNONYMS: dict[str, tuple[str, ...]] = {
    "client_id": ("email", "e mail", "adresse email", "adresse e mail", "courriel",
                  "adresse courriel", "mail"),
    "montant": ("montant ht", "total ht", "ht", "ca ht", "chiffre d affaires ht", "prix ht",
                "montant hors taxes", "total hors taxes", "hors taxes", "montant net ht",
                "total net ht", "ventes nettes"),
}

# Noms si généraux qu'un fichier peut les employer pour autre chose (des noms de clients dans
# « Client ») : en cas de doute, l'exemple de mapping proposé préfère l'autre colonne.
_GENERIC = {"client", "tiers", "partenaire", "nom du compte", "commande", "piece", "facture",
            "ticket", "total", "montant", "date"}

_UNIT_TOKENS = {"eur", "euro", "euros"}


def normalize_name(name: object) -> str:
    """Forme normalisée d'un en-tête : ``"N° Client"`` → ``"numero client"``.

    Exemples
    --------
    >>> normalize_name("Montant TTC (€)")
    'montant ttc'
    >>> normalize_name("DATE_DE_COMMANDE")
    'date de commande'
    >>> normalize_name("N° Client")
    'numero client'
    """
    text = str(name).strip().lower()
    text = re.sub(r"\bn\s*[°º]", "numero ", text)
    text = text.replace("€", " eur ")
    text = strip_accents(text)
    text = re.sub(r"[^0-9a-z]+", " ", text)
    text = re.sub(r"\b[a-z](?: [a-z]\b)+", lambda m: m.group().replace(" ", ""), text)  # T.T.C. → ttc
    tokens = text.split()
    while tokens and tokens[-1] in _UNIT_TOKENS and len(tokens) > 1:
        tokens.pop()
    return " ".join(tokens)


_LOOKUP: dict[str, str] = {}
for _canon, _names in SYNONYMS.items():
    _LOOKUP[normalize_name(_canon)] = _canon
    for _syn in _names:
        _LOOKUP[_syn] = _canon
_FALLBACK: dict[str, str] = {syn: canon for canon, names in FALLBACK_SYNONYMS.items() for syn in names}


def canonical_of(name: object) -> str | None:
    """Nom canonique reconnu pour un en-tête (synonyme principal), ou ``None``."""
    return _LOOKUP.get(normalize_name(name))


def fallback_of(name: object) -> str | None:
    """Nom canonique dont l'en-tête est un nom de repli (``FALLBACK_SYNONYMS``), ou ``None``."""
    return _FALLBACK.get(normalize_name(name))


def count_recognised(cells: Sequence[object], mapping: Mapping[str, str] | None = None) -> int:
    """Nombre de cellules d'une ligne qui ressemblent à un en-tête connu (sert à trouver l'en-tête)."""
    targets = {normalize_name(v) for v in (mapping or {}).values()}
    return sum(1 for c in cells if c and (canonical_of(c) is not None or fallback_of(c) is not None
                                          or normalize_name(c) in targets))


def _quote_list(names: Sequence[str]) -> str:
    return ", ".join(f"« {n} »" for n in names)


def resolve_columns(
    header: Sequence[str], *, mapping: Mapping[str, str] | None, path: str, header_line: int,
    notes: list[str] | None = None,
) -> list[str]:
    """Nom de sortie de chaque colonne : canonique si reconnue, sinon l'en-tête d'origine.

    ``mapping`` (nom de sortie → en-tête du fichier) passe avant les synonymes, qui passent
    avant les noms de repli (``FALLBACK_SYNONYMS`` : montant HT, e-mail). Deux colonnes
    candidates de même rang pour un même nom canonique → :class:`DataError`. Un montant HT
    écarté au profit du TTC est signalé dans ``notes`` (texte d'avertissement).
    """
    out: list[str | None] = [None] * len(header)
    taken: set[str] = set()
    for target, source in (mapping or {}).items():
        if not isinstance(target, str) or not isinstance(source, str):
            raise DataError(
                "« mapping » doit associer des noms à des noms, par exemple "
                "mapping={\"montant\": \"Total TTC (€)\"}.", path=path)
        hits = [j for j, h in enumerate(header) if h == source]
        if not hits:
            hits = [j for j, h in enumerate(header) if normalize_name(h) == normalize_name(source)]
        if len(hits) != 1:
            problem = "introuvable" if not hits else "présente plusieurs fois"
            raise DataError(
                f"mapping : la colonne « {source} » demandée pour « {target} » est {problem} "
                f"dans l'en-tête. Colonnes trouvées : {_quote_list(header)}.",
                path=path, column=source, line=header_line)
        if out[hits[0]] is not None:
            raise DataError(f"mapping : la colonne « {source} » est attribuée deux fois.",
                            path=path, column=source, line=header_line)
        out[hits[0]] = target
        taken.add(target)

    candidates: dict[str, list[int]] = {}
    fallbacks: dict[str, list[int]] = {}
    for j, h in enumerate(header):
        if out[j] is not None:
            continue
        canon, spare = canonical_of(h), fallback_of(h)
        if canon is not None and canon not in taken:
            candidates.setdefault(canon, []).append(j)
        elif spare is not None and spare not in taken:
            fallbacks.setdefault(spare, []).append(j)
    for canon, cols in fallbacks.items():
        if canon in candidates:  # un synonyme principal est là : le nom de repli garde son nom
            if canon == "montant" and notes is not None:
                kept, other = header[candidates[canon][0]], header[cols[0]]
                notes.append(
                    f"Fichier « {path} » : colonne « {kept} » retenue comme montant (le cours compte "
                    f"en TTC) ; « {other} » (hors taxes) est aussi présente et garde son nom. Pour "
                    f"calculer sur le HT : mapping={{\"montant\": \"{other}\"}} ; pour la lire aussi "
                    f"comme un nombre : amounts=[\"{other}\"].")
        else:
            candidates[canon] = cols
    for canon, cols in candidates.items():
        if len(cols) > 1:
            names = [header[j] for j in cols]
            example = sorted(names, key=lambda n: normalize_name(n) in _GENERIC)[0]
            raise DataError(
                f"plusieurs colonnes peuvent être « {canon} » : {_quote_list(names)}. "
                f"Le cours ne choisit pas à votre place : précisez laquelle utiliser, par exemple "
                f"mapping={{\"{canon}\": \"{example}\"}} (les autres gardent leur nom).",
                path=path, column=", ".join(names), line=header_line)
        out[cols[0]] = canon

    used = {n for n in out if n is not None}
    for j, h in enumerate(header):
        if out[j] is None:
            name, k = h, 2
            while name in used:
                name, k = f"{h} ({k})", k + 1
            out[j] = name
            used.add(name)
    return [str(n) for n in out]


def missing_required(
    names: Sequence[str], header: Sequence[str], required: Sequence[str], *, path: str, header_line: int
) -> None:
    """Lève une DataError si une colonne obligatoire manque, en listant ce qui a été trouvé."""
    missing = [r for r in required if r not in names]
    if not missing:
        return
    hints = {r: ", ".join(f"« {s} »" for s in SYNONYMS.get(r, ())[:4]) for r in missing}
    detail = "; ".join(f"« {r} » (par ex. {hints[r]})" if hints[r] else f"« {r} »" for r in missing)
    raise DataError(
        f"colonne obligatoire absente : {detail}. Colonnes trouvées : {_quote_list(header)}. "
        f"Si l'une d'elles convient, indiquez-la avec mapping={{\"{missing[0]}\": \"nom dans le fichier\"}}.",
        path=path, column=", ".join(missing), line=header_line)
