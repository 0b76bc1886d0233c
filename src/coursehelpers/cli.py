"""Interface en ligne de commande : ``coursehelpers <commande>`` (= ``python -m coursehelpers``).

Chaque commande a un verbe français et un alias anglais :

- ``ouvrir`` (``open``)                 : ouvrir le cours dans JupyterLab, sur le chapitre 00 ;
- ``donnees`` (``data``)                : régénérer les jeux de données embarqués (graine fixe) ;
- ``exercices`` (``build-exercises``)   : générer ``exercises/`` (versions élèves) depuis ``solutions/`` ;
- ``corriger`` (``grade``)              : corriger des copies en lot → carnet de notes CSV ;
- ``notes`` (``gradebook``)             : refaire le carnet avec les points des réponses rédigées ;
- ``site`` (``website``)                : construire le site web statique du cours ;
- ``polycopie`` (``handouts``)          : imprimer les polycopiés PDF A4 ;
- ``presenter`` (``present``)           : projeter les explorateurs d'un chapitre (Voilà, sans code).

Ajouter une commande = écrire deux fonctions dans ce module et l'ajouter à :data:`COMMANDS` :

- ``add_<verbe>(sub)`` déclare la sous-commande avec :func:`command` (verbe, alias, aide, fonction) puis
  ses options (``parser.add_argument``, aide en français) ;
- ``run_<verbe>(args)`` l'exécute et renvoie le code de sortie (0 = succès). Les modules lourds s'importent
  dans ``run_<verbe>``, jamais en tête de ce module (``coursehelpers --help`` reste instantané).

Les messages d'argparse (« usage: », « options: », erreurs…) sont traduits en français par
:class:`FrenchArgumentParser`. Aucune commande n'écrase un fichier existant sans option explicite
(``--force``).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

# ---------------------------------------------------------------------------------------------------------
# argparse en français
# ---------------------------------------------------------------------------------------------------------

#: Traduction des messages d'argparse (gabarits anglais de la bibliothèque standard → français).
#: Un message absent de la table reste en anglais : rien ne casse si Python ajoute un message.
ARGPARSE_FR = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments positionnels",
    "options": "options",
    "optional arguments": "options",
    "show this help message and exit": "afficher cette aide et quitter",
    "show program's version number and exit": "afficher la version et quitter",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "one of the arguments %s is required": "l'un de ces arguments est obligatoire : %s",
    "not allowed with argument %s": "incompatible avec l'argument %s",
    "ignored explicit argument %r": "valeur %r ignorée",
    "expected one argument": "une valeur attendue",
    "expected at most one argument": "au plus une valeur attendue",
    "expected at least one argument": "au moins une valeur attendue",
    "expected %s argument": "%s valeur attendue",
    "expected %s arguments": "%s valeurs attendues",
    "ambiguous option: %(option)s could match %(matches)s":
        "option ambiguë : %(option)s peut désigner %(matches)s",
    "unexpected option string: %s": "option inattendue : %s",
    "invalid %(type)s value: %(value)r": "valeur invalide (%(type)s attendu) : %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "choix invalide : %(value)r (possibles : %(choices)s)",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "commande inconnue %(parser_name)r (possibles : %(choices)s)",
    "can't open '%(filename)s': %(error)s": "impossible d'ouvrir « %(filename)s » : %(error)s",
    "cannot have multiple subparser arguments": "une seule commande à la fois",
}


def _fr(message: str) -> str:
    return ARGPARSE_FR.get(message, message)


def _fr_plural(singular: str, plural: str, n: int) -> str:
    return _fr(singular if n == 1 else plural)


@contextlib.contextmanager
def _argparse_in_french() -> Iterator[None]:
    """Fait parler argparse français le temps d'un appel (traduction de ses gabarits)."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _fr, _fr_plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class FrenchHelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Mise en page de l'aide : titres à la française (« options : », espace avant les deux-points)."""

    def start_section(self, heading: str | None) -> None:
        super().start_section(f"{heading} " if heading else heading)


class FrenchArgumentParser(argparse.ArgumentParser):
    """``ArgumentParser`` dont l'aide, les titres (« utilisation : », « options : ») et les erreurs
    sont en français ; ses sous-commandes en héritent."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", FrenchHelpFormatter)
        with _argparse_in_french():
            super().__init__(*args, **kwargs)

    def parse_known_args(self, args=None, namespace=None):  # type: ignore[override]
        with _argparse_in_french():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with _argparse_in_french():
            return super().format_usage()

    def format_help(self) -> str:
        with _argparse_in_french():
            return super().format_help()

    def error(self, message: str):  # type: ignore[override]
        with _argparse_in_french():
            super().error(message)


# ---------------------------------------------------------------------------------------------------------
# Déclaration des commandes
# ---------------------------------------------------------------------------------------------------------

Subparsers = argparse._SubParsersAction


def command(sub: Subparsers, verb: str, alias: str, *, help: str, run: Callable[[argparse.Namespace], int],
            description: str | None = None, passthrough: bool = False,
            epilog: str | None = None) -> argparse.ArgumentParser:
    """Déclare la sous-commande ``verb`` (alias anglais ``alias``) qui exécute ``run(args)``.

    ``passthrough=True`` : les options inconnues ne sont pas une erreur ; elles arrivent dans
    ``args.extra`` (``ouvrir`` les transmet à JupyterLab).
    """
    parser = sub.add_parser(verb, aliases=[alias], help=help, description=description or help,
                            epilog=epilog)
    parser.set_defaults(run=run, passthrough=passthrough)
    return parser


# --- ouvrir / open ---------------------------------------------------------------------------------------

def add_ouvrir(sub: Subparsers) -> None:
    p = command(
        sub, "ouvrir", "open", run=run_ouvrir, passthrough=True,
        help="ouvrir le cours dans JupyterLab (en français), sur le chapitre 00",
        description=(
            "Ouvre le cours dans JupyterLab, en français, sur le chapitre 00.\n\n"
            "Dans le dossier cloné du dépôt, le dépôt est ouvert tel quel. Ailleurs, un espace de travail\n"
            "(chapitres, exercices sans solutions, fiche des données, LISEZ-MOI.md) est créé dans\n"
            "./cours-grc ou dans --dossier, puis réutilisé : une relance ajoute les leçons nouvelles ou\n"
            "mises à jour sans jamais remplacer un notebook que vous avez modifié (la nouvelle version\n"
            "est écrite à côté)."
        ),
        epilog=(
            "Les autres options sont transmises à JupyterLab, par exemple :\n"
            "  coursehelpers ouvrir --no-browser --port=8890\n"
            "Arrêt : Ctrl + C (ou SIGTERM) arrête JupyterLab et ses noyaux."
        ),
    )
    p.add_argument("--dossier", metavar="DOSSIER", default=None,
                   help="dossier de l'espace de travail (défaut : l'espace ou le dépôt qui contient le "
                        "dossier courant, sinon ./cours-grc)")


def run_ouvrir(args: argparse.Namespace) -> int:
    from coursehelpers import _lab, workspace

    try:
        report = workspace.prepare_workspace(Path(args.dossier) if args.dossier else None)
    except PermissionError as err:
        print(f"\N{CROSS MARK} Écriture impossible dans « {err.filename} » (droits insuffisants) : "
              "choisissez un dossier à vous avec --dossier.", file=sys.stderr)
        return 1
    except OSError as err:
        print(f"\N{CROSS MARK} Espace de travail impossible à préparer : {err}", file=sys.stderr)
        return 1
    for line in report.messages():
        print(line, flush=True)
    first = workspace.FIRST_NOTEBOOK if (report.root / workspace.FIRST_NOTEBOOK).is_file() else None
    return _lab.run_lab(report.root, first=first, extra=args.extra)


# --- donnees / data --------------------------------------------------------------------------------------

def add_donnees(sub: Subparsers) -> None:
    p = command(sub, "donnees", "data", run=run_donnees,
                help="régénérer les CSV embarqués avec le générateur à graine fixe")
    p.add_argument("--out", default="datasets", metavar="DOSSIER",
                   help="dossier de sortie (défaut : datasets)")
    p.add_argument("--seed", type=int, default=None, metavar="GRAINE",
                   help="graine (défaut : celle du cours)")
    p.add_argument("--force", action="store_true", help="autoriser l'écrasement de fichiers existants")


def run_donnees(args: argparse.Namespace) -> int:
    from coursehelpers import datasets

    try:
        written = datasets.write(Path(args.out), seed=args.seed, overwrite=args.force)
    except FileExistsError as err:
        print(err, file=sys.stderr)
        return 1
    for path in written:
        print(f"écrit : {path}")
    return 0


# --- exercices / build-exercises -------------------------------------------------------------------------

def add_exercices(sub: Subparsers) -> None:
    p = command(sub, "exercices", "build-exercises", run=run_exercices,
                help="générer exercises/ (versions élèves) depuis solutions/")
    p.add_argument("--solutions", default="solutions", metavar="DOSSIER",
                   help="dossier des notebooks solutions (défaut : solutions)")
    p.add_argument("--out", default="exercises", metavar="DOSSIER",
                   help="dossier des versions élèves (défaut : exercises)")
    p.add_argument("--check", action="store_true",
                   help="ne rien écrire ; code de sortie 1 si un fichier est périmé (CI)")
    p.add_argument("--force", action="store_true",
                   help="remplacer aussi un exercice modifié depuis sa génération")


def run_exercices(args: argparse.Namespace) -> int:
    from coursehelpers.errors import DataError
    from coursehelpers.grading.build import build_exercises

    try:
        report = build_exercises(args.solutions, args.out, check=args.check, force=args.force)
    except DataError as exc:
        print(f"\N{CROSS MARK} {exc}", file=sys.stderr)
        return 2
    for path in report.signed:
        print(f"empreintes recalculées : {path}")
    for path in report.written:
        print(f"écrit : {path}")
    for path in report.up_to_date:
        print(f"à jour : {path}")
    for line in report.stale:
        print(f"PÉRIMÉ : {line}", file=sys.stderr)
    for path in report.refused:
        print(f"REFUSÉ : {path} a été modifié (exécuté ou complété) depuis sa génération ; "
              "rien n'est écrasé. Relancez avec --force pour le remplacer.", file=sys.stderr)
    if report.stale:
        force = " --force" if report.needs_force else ""
        print(f"Lancez « coursehelpers exercices{force} » puis committez exercises/ et solutions/.",
              file=sys.stderr)
    return 0 if report.ok else 1


# --- corriger / grade ------------------------------------------------------------------------------------

def _add_marking(p: argparse.ArgumentParser) -> None:
    p.add_argument("--feedback", "--retours", dest="feedback", default=None, metavar="DOSSIER",
                   help="dossier des retours Markdown, un fichier par élève")
    p.add_argument("--sur", type=float, default=20, metavar="N",
                   help="échelle de la note (défaut : 20 → colonne note_sur_20)")
    p.add_argument("--arrondi", type=float, default=0.5, metavar="PAS",
                   help="arrondi de la note (défaut : 0,5 = au demi-point ; 0.01 = au centième)")
    p.add_argument("--rapport", default=None, metavar="RAPPORT.html",
                   help="rapport de classe HTML autonome (moyenne, histogramme, réussite par exercice, "
                        "erreurs fréquentes, copies manquantes, copies qui se ressemblent)")
    p.add_argument("--classe", default=None, metavar="LISTE",
                   help="liste de la classe (un identifiant d'élève par ligne) : le rapport nomme "
                        "les copies non rendues")


def add_corriger(sub: Subparsers) -> None:
    p = command(sub, "corriger", "grade", run=run_corriger,
                help="corriger des copies en lot → carnet de notes CSV")
    p.add_argument("--assignment", "--devoir", dest="assignment", required=True, metavar="SOLUTION.ipynb",
                   help="notebook solution du devoir")
    p.add_argument("submissions", nargs="+", metavar="COPIE.ipynb",
                   help="copies des élèves (.ipynb), par ex. submitted/*/06_rfm/*.ipynb")
    p.add_argument("--out", required=True, metavar="NOTES.csv",
                   help="carnet de notes CSV (écrit de façon atomique) ; à côté : NOTES-redactions.xlsx "
                        "(réponses rédigées à noter, saisies gardées) et NOTES-details.json")
    _add_marking(p)
    p.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="copies corrigées en parallèle (défaut : nombre de cœurs)")
    p.add_argument("--timeout", type=float, default=60, metavar="SECONDES",
                   help="délai par cellule en secondes (60)")
    p.add_argument("--quiet", action="store_true", help="sans barre de progression")
    p.add_argument("--reprendre", action="store_true",
                   help="reprendre la correction précédente (à côté de --out) : seules les copies "
                        "nouvelles, modifiées ou « à regrader » sont exécutées")


def _summary(rows: list[dict], out: str, feedback: str | None, *, done: str = "corrigée(s)") -> None:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["statut"]] = counts.get(row["statut"], 0) + 1
    detail = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    print(f"{len(rows)} copie(s) {done} ({detail}) → {out}")
    pending = counts.get("à noter", 0)
    if pending:
        from coursehelpers.grading.manual import sheet_path

        print(f"{pending} copie(s) attendent la notation de leurs réponses rédigées : remplissez "
              f"{sheet_path(out)} puis lancez « coursehelpers notes --out {out} ».")
    if counts.get("à regrader"):
        print(f"{counts['à regrader']} copie(s) à regrader (panne de la machine, pas des élèves) : "
              "relancez la même commande, avec --reprendre pour ne refaire que celles-là.")
    if feedback:
        print(f"retours individuels : {Path(feedback)}")


def run_corriger(args: argparse.Namespace) -> int:
    from coursehelpers.errors import DataError
    from coursehelpers.grading.autograde import grade

    try:
        rows = grade(args.assignment, args.submissions, out=args.out, feedback=args.feedback,
                     jobs=args.jobs, timeout=args.timeout, show_progress=not args.quiet,
                     scale=args.sur, step=args.arrondi, report=args.rapport, roster=args.classe,
                     resume=args.reprendre)
    except DataError as exc:
        print(f"\N{CROSS MARK} {exc}", file=sys.stderr)
        return 2
    _summary(rows, args.out, args.feedback)
    if args.rapport:
        print(f"rapport de classe : {Path(args.rapport)}")
    return 0


# --- notes / gradebook ------------------------------------------------------------------------------------

def add_notes(sub: Subparsers) -> None:
    p = command(sub, "notes", "gradebook", run=run_notes,
                help="refaire le carnet de notes avec les points des réponses rédigées (sans recorriger)")
    p.add_argument("--out", required=True, metavar="NOTES.csv",
                   help="carnet de notes d'une correction déjà faite (« coursehelpers corriger »)")
    _add_marking(p)


def run_notes(args: argparse.Namespace) -> int:
    from coursehelpers.errors import DataError
    from coursehelpers.grading.autograde import finalize

    try:
        rows = finalize(args.out, feedback=args.feedback, scale=args.sur, step=args.arrondi,
                        report=args.rapport, roster=args.classe)
    except DataError as exc:
        print(f"\N{CROSS MARK} {exc}", file=sys.stderr)
        return 2
    _summary(rows, args.out, args.feedback, done="dans le carnet, points saisis repris")
    if args.rapport:
        print(f"rapport de classe : {Path(args.rapport)}")
    return 0


# --- site / website --------------------------------------------------------------------------------------

def add_site(sub: Subparsers) -> None:
    p = command(sub, "site", "website", run=run_site,
                help="construire le site web statique du cours (sorties enregistrées, sans ré-exécution)",
                description="Construit le site web du cours à partir des sorties enregistrées des "
                "chapitres : plan du cours, une page par chapitre, téléchargement des notebooks et "
                "des cahiers élèves, fiche de données, bibliographie, recherche. Rien n'est chargé "
                "depuis Internet. Demande l'extra [site] (pip install -e \".[site]\").")
    p.add_argument("--out", required=True, metavar="DOSSIER", help="dossier du site (index.html à sa racine)")
    p.add_argument("--cours", default=None, metavar="DOSSIER",
                   help="dossier du cours (défaut : trouvé depuis le dossier courant)")
    p.add_argument("--force", action="store_true",
                   help="remplacer le dossier même s'il ne contient pas un site déjà construit")


def run_site(args: argparse.Namespace) -> int:
    from coursehelpers.publishing.site import PublishingError, build_site

    try:
        result = build_site(args.out, root=args.cours, force=args.force)
    except PublishingError as exc:
        print(f"\N{CROSS MARK} {exc}", file=sys.stderr)
        return 2
    print(f"Site écrit dans {result.out} ({len(result.pages)} chapitres, "
          f"{len(result.downloads)} notebooks à télécharger) en {result.seconds:.1f} s.")
    print(f"Page d'accueil : {result.out / 'index.html'}")
    return 0


# --- polycopie / handouts --------------------------------------------------------------------------------

def add_polycopie(sub: Subparsers) -> None:
    p = command(sub, "polycopie", "handouts", run=run_polycopie,
                help="imprimer les polycopiés PDF A4 (un par chapitre + le cours complet)",
                description="Imprime les polycopiés PDF A4 depuis le HTML du site, avec le chromium du "
                "système : un PDF par chapitre et cours_complet.pdf ; titre du chapitre en en-tête, pages "
                "numérotées, texte sélectionnable, code masqué (sauf avec --avec-code).")
    p.add_argument("chapitres", nargs="*", metavar="NN",
                   help="chapitres à imprimer (06, 6 ou 06_rfm) ; défaut : tous")
    p.add_argument("--out", required=True, metavar="DOSSIER", help="dossier des PDF")
    p.add_argument("--avec-code", action="store_true", help="garder les cellules de code")
    p.add_argument("--sans-complet", action="store_true", help="ne pas écrire cours_complet.pdf")
    p.add_argument("--cours", default=None, metavar="DOSSIER",
                   help="dossier du cours (défaut : trouvé depuis le dossier courant)")
    p.add_argument("--force", action="store_true", help="remplacer des PDF déjà présents")


def run_polycopie(args: argparse.Namespace) -> int:
    from coursehelpers.publishing.handouts import PublishingError, build_handouts

    try:
        result = build_handouts(args.out, root=args.cours, chapters_wanted=args.chapitres or None,
                                whole=not args.sans_complet, avec_code=args.avec_code, force=args.force)
    except PublishingError as exc:
        print(f"\N{CROSS MARK} {exc}", file=sys.stderr)
        return 2
    for name, pages in result.pages.items():
        print(f"écrit : {result.out / name} ({pages} pages)")
    print(f"Polycopiés imprimés en {result.seconds:.1f} s (dont construction du site : "
          f"{result.site_seconds:.1f} s).")
    return 0


# --- presenter / present ---------------------------------------------------------------------------------

def add_presenter(sub: Subparsers) -> None:
    p = command(sub, "presenter", "present", run=run_presenter,
                help="projeter les explorateurs d'un chapitre : page sans code, gros caractères (Voilà)",
                description="Ouvre les explorateurs du chapitre NN sur une seule page sans code, en gros "
                "caractères, servie par Voilà sur 127.0.0.1 (Ctrl+C pour arrêter). Tab passe d'un "
                "contrôle à l'autre, les flèches déplacent les curseurs. Demande l'extra [site].")
    p.add_argument("chapitre", metavar="NN", help="chapitre à projeter (06, 6 ou 06_rfm)")
    p.add_argument("--port", type=int, default=None, metavar="PORT", help="port (défaut : un port libre)")
    p.add_argument("--sans-navigateur", action="store_true", help="ne pas ouvrir le navigateur")
    p.add_argument("--cours", default=None, metavar="DOSSIER",
                   help="dossier du cours (défaut : trouvé depuis le dossier courant)")


def run_presenter(args: argparse.Namespace) -> int:
    from coursehelpers.publishing.presenter import PublishingError, serve

    try:
        return serve(args.chapitre, root=args.cours, port=args.port, open_browser=not args.sans_navigateur)
    except PublishingError as exc:
        print(f"\N{CROSS MARK} {exc}", file=sys.stderr)
        return 2


# ---------------------------------------------------------------------------------------------------------
# Assemblage
# ---------------------------------------------------------------------------------------------------------

#: Les sous-commandes, dans l'ordre de l'aide. Une nouvelle commande : sa fonction ``add_<verbe>`` ici.
COMMANDS: tuple[Callable[[Subparsers], None], ...] = (
    add_ouvrir,
    add_donnees,
    add_exercices,
    add_corriger,
    add_notes,
    add_site,
    add_polycopie,
    add_presenter,
)


def build_parser() -> argparse.ArgumentParser:
    """L'analyseur de ``coursehelpers`` et de toutes ses sous-commandes (aide en français)."""
    parser = FrenchArgumentParser(
        prog="coursehelpers",
        description="GRC en notebooks : ouvrir le cours, régénérer les données, "
        "générer et corriger les exercices.",
        epilog="Aide d'une commande : coursehelpers <commande> --help",
    )
    sub = parser.add_subparsers(title="commandes", dest="command", metavar="<commande>")
    for add in COMMANDS:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Point d'entrée de ``coursehelpers`` et de ``python -m coursehelpers`` ; renvoie le code de sortie."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and not getattr(args, "passthrough", False):
        parser.error("arguments non reconnus : " + " ".join(extra))
    args.extra = extra
    if not getattr(args, "run", None):
        parser.print_help()
        return 0
    return int(args.run(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
