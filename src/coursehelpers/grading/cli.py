"""Sous-commandes ``build-exercises`` et ``grade`` de la commande ``coursehelpers``."""

from __future__ import annotations

import argparse
import sys


def _cmd_build(args: argparse.Namespace) -> int:
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
        print("Lancez « coursehelpers build-exercises » puis committez exercises/ et solutions/.",
              file=sys.stderr)
    return 0 if report.ok else 1


def _cmd_grade(args: argparse.Namespace) -> int:
    from coursehelpers.errors import DataError
    from coursehelpers.grading.autograde import grade

    try:
        rows = grade(args.assignment, args.submissions, out=args.out, feedback=args.feedback,
                     jobs=args.jobs, timeout=args.timeout, show_progress=not args.quiet)
    except DataError as exc:
        print(f"\N{CROSS MARK} {exc}", file=sys.stderr)
        return 2
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["statut"]] = counts.get(row["statut"], 0) + 1
    detail = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    print(f"{len(rows)} copie(s) corrigée(s) ({detail}) → {args.out}")
    if args.feedback:
        print(f"retours individuels : {args.feedback}/")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Enregistre les sous-commandes de :mod:`coursehelpers.grading`."""
    p_build = sub.add_parser("build-exercises", help="générer exercises/ (versions élèves) depuis solutions/")
    p_build.add_argument("--solutions", default="solutions", help="dossier des notebooks solutions")
    p_build.add_argument("--out", default="exercises", help="dossier des versions élèves")
    p_build.add_argument("--check", action="store_true",
                         help="ne rien écrire ; code de sortie 1 si un fichier est périmé (CI)")
    p_build.add_argument("--force", action="store_true",
                         help="remplacer aussi un exercice modifié depuis sa génération")
    p_build.set_defaults(func=_cmd_build)

    p_grade = sub.add_parser("grade", help="corriger des copies en lot → carnet de notes CSV")
    p_grade.add_argument("--assignment", required=True, help="notebook solution du devoir")
    p_grade.add_argument("submissions", nargs="+", help="copies des élèves (.ipynb)")
    p_grade.add_argument("--out", required=True, help="fichier CSV des notes (écrit de façon atomique)")
    p_grade.add_argument("--feedback", default=None, help="dossier des retours Markdown par élève")
    p_grade.add_argument("--jobs", type=int, default=None,
                         help="copies corrigées en parallèle (défaut : nombre de cœurs)")
    p_grade.add_argument("--timeout", type=float, default=60, help="délai par cellule en secondes (60)")
    p_grade.add_argument("--quiet", action="store_true", help="sans barre de progression")
    p_grade.set_defaults(func=_cmd_grade)
