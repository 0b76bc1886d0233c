"""Carte du cours : chaque chapitre et chaque cahier rattaché au référentiel du BTS NDRC.

C'est la **seule source** des blocs, des compétences et des épreuves que le cours revendique.
Le tableau « Plan du cours » du README et la cellule « Compétences BTS NDRC visées » de chaque
chapitre en sont tirés ; un test (``tests/course/test_course_map.py``) échoue s'ils s'en écartent.

Le libellé des blocs et des compétences est celui du référentiel (arrêté du 19 février 2018
portant définition du BTS « Négociation et digitalisation de la relation client », annexe I,
tableau de synthèse). Un chapitre ne revendique que ce qu'il enseigne vraiment : aucun chapitre
actuel n'enseigne le bloc 3 (animation de réseaux de distributeurs, de partenaires, de vente
directe) ; le suivi des grands comptes relève du bloc 1 (« Négocier et accompagner la relation
client »).

Utilisation (pour un autre module, un site, un test) :

>>> from coursehelpers import course_map
>>> m = course_map.entry("05_pareto_abc")
>>> m.kind, m.blocs
('chapitre', (1,))
>>> m.competences[0]
(1, "Exploiter et mutualiser l'information commerciale")
>>> m.exams
('E4', 'E5A')
>>> course_map.entry("12_etude_de_cas").kind
'cahier'

Ajouter un chapitre : ajoutez un ``Module`` à ``COURSE`` (et son cahier s'il en a un), puis
collez ``competences_markdown(stem)`` dans la cellule « Compétences » du chapitre et
``readme_table()`` dans le README (le test donne le texte attendu en cas d'écart).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "BLOCS",
    "COMPETENCES",
    "COURSE",
    "EXAMS",
    "Module",
    "competences_markdown",
    "entries",
    "entry",
    "readme_table",
]

#: Intitulé de chaque bloc de compétences (référentiel BTS NDRC, 2018).
BLOCS: dict[int, str] = {
    1: "Relation client et négociation-vente",
    2: "Relation client à distance et digitalisation",
    3: "Relation client et animation de réseaux",
}

#: Compétences de chaque bloc, dans le libellé du référentiel.
COMPETENCES: dict[int, tuple[str, ...]] = {
    1: (
        "Cibler et prospecter la clientèle",
        "Négocier et accompagner la relation client",
        "Organiser et animer un évènement commercial",
        "Exploiter et mutualiser l'information commerciale",
    ),
    2: (
        "Maîtriser la relation omnicanale",
        "Animer la relation client digitale",
        "Développer la relation client en e-commerce",
    ),
    3: (
        "Implanter et promouvoir l'offre chez des distributeurs",
        "Développer et animer un réseau de partenaires",
        "Créer et animer un réseau de vente directe",
    ),
}

#: Épreuves professionnelles du BTS NDRC (règlement d'examen, 2018) et ce qu'elles demandent.
EXAMS: dict[str, str] = {
    "E4": "Relation client et négociation-vente — oral sur un dossier de situations vécues",
    "E5A": "Relation client à distance et digitalisation — écrit de 3 h, étude de cas, calculatrice",
    "E5B": "Relation client à distance et digitalisation — épreuve pratique sur poste informatique",
    "E6": "Relation client et animation de réseaux — oral sur les activités de réseau",
}


@dataclass(frozen=True)
class Module:
    """Un chapitre ou un cahier d'exercices et ce qu'il revendique du référentiel.

    Attributs
    ---------
    stem : str
        Nom du notebook sans extension (``"06_rfm"``), le même dans ``chapters/``,
        ``solutions/`` et ``exercises/``.
    kind : str
        ``"chapitre"`` (``chapters/``) ou ``"cahier"`` (``solutions/`` → ``exercises/``).
    title : str
        Titre court en français.
    teaches : str
        Ce que le notebook enseigne, en une ligne (colonne « Ce qu'il enseigne » du README).
    competences : tuple de (int, str)
        (numéro de bloc, compétence dans le libellé exact de ``COMPETENCES``).
    exams : tuple de str
        Épreuves que le notebook prépare (clés de ``EXAMS``).
    """

    stem: str
    kind: str
    title: str
    teaches: str
    competences: tuple[tuple[int, str], ...]
    exams: tuple[str, ...]

    @property
    def blocs(self) -> tuple[int, ...]:
        """Numéros des blocs revendiqués, triés, sans doublon."""
        return tuple(sorted({bloc for bloc, _ in self.competences}))


_B1_CIBLER = (1, COMPETENCES[1][0])
_B1_NEGOCIER = (1, COMPETENCES[1][1])
_B1_EXPLOITER = (1, COMPETENCES[1][3])
_B2_OMNICANAL = (2, COMPETENCES[2][0])
_B2_DIGITAL = (2, COMPETENCES[2][1])

_CHAPTERS: tuple[tuple[str, str, str, tuple[tuple[int, str], ...], tuple[str, ...]], ...] = (
    ("00_prise_en_main", "Prise en main : JupyterLab et les données du cours",
     "JupyterLab, exécuter une cellule, charger et parcourir les cinq fichiers de données",
     (_B1_EXPLOITER,), ("E5B",)),
    ("01_donnees_personnelles", "Données personnelles : RGPD et prospection",
     "RGPD et CNIL : bases légales, règles de prospection par canal (opt-in, soft opt-in, Bloctel, "
     "loi de 2025), durées de conservation, droits, minimisation, pseudonymisation, profilage, "
     "sous-traitant, sanctions",
     (_B1_CIBLER, _B1_EXPLOITER, _B2_DIGITAL), ("E4", "E5A")),
    ("02_relation_client", "La relation client : définition, formes et canaux",
     "Relation client et GRC, B2C/B2B/B2B2C, types de relation, canaux de contact, "
     "multicanal, cross-canal et omnicanal",
     (_B1_NEGOCIER, _B2_OMNICANAL), ("E4", "E5A")),
    ("03_hierarchisation_services", "Hiérarchiser les clients et adapter le service",
     "Pyramide clients Platinum / Or / Fer / Plomb, valeur plutôt que volume, grands comptes "
     "vs TPE/PME, niveau de service par palier",
     (_B1_NEGOCIER, _B1_EXPLOITER, _B2_OMNICANAL), ("E4", "E5A")),
    ("04_segmentation", "Segmenter la clientèle",
     "Critères de segmentation, a priori vs a posteriori (k-means), personas",
     (_B1_CIBLER, _B1_EXPLOITER, _B2_DIGITAL), ("E4", "E5A")),
    ("05_pareto_abc", "Loi des 20/80 et analyse ABC",
     "Loi des 20/80, analyse ABC, courbe de concentration, acquisition et attrition",
     (_B1_EXPLOITER, _B1_NEGOCIER), ("E4", "E5A")),
    ("06_rfm", "Segmentation RFM",
     "Récence, Fréquence, Montant : scores, segments et actions ciblées",
     (_B1_EXPLOITER, _B1_CIBLER, _B2_DIGITAL), ("E4", "E5A", "E5B")),
    ("07_prospection_parcours", "Prospection et parcours client omnicanal",
     "Fichier de prospects (Sirene, SIREN, NAF), ciblage par ressemblance, grille de scoring, plan de "
     "prospection, entonnoir et taux de transformation, abandon de panier, parcours omnicanal, ROPO, "
     "click & collect",
     (_B1_CIBLER, _B2_OMNICANAL, (2, COMPETENCES[2][2])), ("E4", "E5A")),
    ("08_roue_fidelite", "Satisfaction et roue de la fidélité",
     "Satisfaction, roue de la fidélité (Lovelock & Wirtz), ventes croisées, carte de fidélité",
     (_B1_NEGOCIER, _B1_EXPLOITER, _B2_OMNICANAL, _B2_DIGITAL), ("E4", "E5A")),
    ("09_e_reputation", "E-réputation et avis clients",
     "Avis en ligne et droit des avis, note moyenne et tendance, réponses et délai, thèmes des avis "
     "négatifs par mots-clés, lien avec la satisfaction, répondre à un avis, social CRM et "
     "community management",
     (_B1_EXPLOITER, _B2_DIGITAL, (2, COMPETENCES[2][2])), ("E5A", "E5B")),
    ("10_pilotage_crm", "Piloter la relation client avec un CRM",
     "Les cinq étapes du CRM, marketing relationnel, tableau de bord d'indicateurs",
     (_B1_EXPLOITER, _B2_OMNICANAL, _B2_DIGITAL), ("E5A", "E5B")),
    ("11_valeur_client", "La valeur d'un client",
     "Coût d'acquisition vs fidélisation, valeur vie client (CLV), modèles de revenus",
     (_B1_NEGOCIER, _B1_EXPLOITER), ("E4", "E5A")),
)

_CASE_STUDY = Module(
    "12_etude_de_cas", "cahier", "Étude de cas : une mission de stage",
    "Cas de stage complet : nettoyer un export, identifier, segmenter, adapter, échanger, évaluer",
    (_B1_EXPLOITER, _B1_CIBLER, _B2_OMNICANAL, _B2_DIGITAL), ("E5A", "E5B"),
)

#: Tout le cours : les chapitres, puis les cahiers (un par chapitre, même nom, plus l'étude de cas).
COURSE: tuple[Module, ...] = (
    *(Module(stem, "chapitre", title, teaches, comp, exams)
      for stem, title, teaches, comp, exams in _CHAPTERS),
    *(Module(stem, "cahier", title, teaches, comp, exams)
      for stem, title, teaches, comp, exams in _CHAPTERS),
    _CASE_STUDY,
)


def _validate(course: tuple[Module, ...]) -> None:
    seen: set[tuple[str, str]] = set()
    for m in course:
        if m.kind not in {"chapitre", "cahier"}:
            raise ValueError(f"course_map : {m.stem} a un type inconnu « {m.kind} ».")
        if (m.stem, m.kind) in seen:
            raise ValueError(f"course_map : {m.kind} {m.stem} apparaît deux fois.")
        seen.add((m.stem, m.kind))
        for bloc, comp in m.competences:
            if comp not in COMPETENCES.get(bloc, ()):
                raise ValueError(f"course_map : {m.stem} : « {comp} » n'est pas une compétence "
                                 f"du bloc {bloc} dans le référentiel.")
        for exam in m.exams:
            if exam not in EXAMS:
                raise ValueError(f"course_map : {m.stem} : épreuve inconnue « {exam} ».")


_validate(COURSE)


def entries(kind: str | None = None) -> list[Module]:
    """Les modules du cours, dans l'ordre, éventuellement filtrés par type.

    Paramètres
    ----------
    kind : {"chapitre", "cahier"}, optionnel
        Ne garder qu'un type ; par défaut tout.

    Renvoie
    -------
    list de Module

    Exemples
    --------
    >>> len(entries("cahier")), entries("chapitre")[0].stem
    (13, '00_prise_en_main')
    """
    if kind not in (None, "chapitre", "cahier"):
        raise ValueError(f"kind doit valoir « chapitre » ou « cahier », pas « {kind} ».")
    return [m for m in COURSE if kind is None or m.kind == kind]


def entry(stem: str, kind: str | None = None) -> Module:
    """Le module nommé ``stem`` (le chapitre s'il existe, sinon le cahier).

    Paramètres
    ----------
    stem : str
        Nom du notebook sans extension, par exemple ``"06_rfm"``.
    kind : {"chapitre", "cahier"}, optionnel
        Pour choisir explicitement le cahier d'un chapitre.

    Lève
    ----
    KeyError
        Si aucun module ne porte ce nom (message en français).
    """
    found = [m for m in entries(kind) if m.stem == stem]
    if not found:
        raise KeyError(f"Aucun {kind or 'chapitre ni cahier'} « {stem} » dans la carte du cours.")
    return found[0]


def _competence_lines(module: Module) -> list[str]:
    by_bloc: dict[int, list[str]] = {}
    for bloc, comp in module.competences:
        by_bloc.setdefault(bloc, []).append(comp)
    lines = []
    for bloc in sorted(by_bloc):
        comps = " ; ".join(c[0].lower() + c[1:] for c in by_bloc[bloc])
        lines.append(f"- **Bloc {bloc} — {BLOCS[bloc]}** : {comps}.")
    return lines


def competences_markdown(stem: str, kind: str | None = None) -> str:
    """Le texte exact de la rubrique « Compétences BTS NDRC visées » d'un chapitre ou d'un cahier.

    Une ligne par bloc (compétences du référentiel séparées par « ; »), puis les épreuves.
    La cellule du notebook doit contenir ce texte tel quel ; elle peut le compléter par un
    commentaire (« Ici : ... ») sur une ligne qui ne commence pas par « - **Bloc ».

    Exemples
    --------
    >>> print(competences_markdown("00_prise_en_main"))
    ## Compétences BTS NDRC visées
    <BLANKLINE>
    - **Bloc 1 — Relation client et négociation-vente** : exploiter et mutualiser l'information commerciale.
    <BLANKLINE>
    Épreuve préparée : **E5B** (Relation client à distance et digitalisation — épreuve pratique sur poste informatique).
    """  # noqa: E501
    module = entry(stem, kind)
    exams = " ; ".join(f"**{e}** ({EXAMS[e]})" for e in module.exams)
    label = "Épreuve préparée" if len(module.exams) == 1 else "Épreuves préparées"
    return "\n".join(["## Compétences BTS NDRC visées", "", *_competence_lines(module), "",
                      f"{label} : {exams}."])


def _short_competences(module: Module) -> str:
    by_bloc: dict[int, list[str]] = {}
    for bloc, comp in module.competences:
        by_bloc.setdefault(bloc, []).append(comp)
    return " ; ".join(f"Bloc {b} — " + ", ".join(by_bloc[b]) for b in sorted(by_bloc))


def readme_table() -> str:
    """Le tableau « Plan du cours » du README (Markdown), tiré de ``COURSE``.

    Une ligne par chapitre, puis l'étude de cas (un cahier sans chapitre), marquée comme telle.
    """
    rows = ["| Chapitre | Ce qu'il enseigne | Compétences BTS NDRC | Épreuves |",
            "|---|---|---|---|"]
    chapters = {m.stem for m in entries("chapitre")}
    for m in entries("chapitre") + [m for m in entries("cahier") if m.stem not in chapters]:
        name = f"`{m.stem}`" if m.kind == "chapitre" else f"`{m.stem}` (cahier seul)"
        rows.append(f"| {name} | {m.teaches} | {_short_competences(m)} | {', '.join(m.exams)} |")
    return "\n".join(rows)
