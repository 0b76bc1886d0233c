"""Banc d'essai de la correction en lot : 30 copies (justes et fausses) par cahier, nbgrader en regard.

Usage ::

    python benchmarks/bench_grading.py [--devoirs 00 06] [--n 30] [--jobs 2]
                                       [--nbgrader /tmp/nbg/bin/nbgrader] [--nbgrader-first]

Pour chaque cahier (00_prise_en_main, 06_rfm), affiche le temps total et le temps par copie de
``coursehelpers grade`` (cache des réponses attendues vide : l'exécution de la solution est
comptée). Si ``--nbgrader`` désigne un exécutable nbgrader (installé à part, par ex.
``python -m venv /tmp/nbg && /tmp/nbg/bin/pip install nbgrader``), ``nbgrader autograde`` corrige
les mêmes copies avec le même noyau Python (celui de ce venv, déclaré par un kernelspec
temporaire), dans la même exécution, et le rapport des temps est affiché. ``--nbgrader-first``
inverse l'ordre des deux mesures (sur une machine partagée, alterner l'ordre d'une mesure à
l'autre évite de favoriser l'un des deux).

La copie i a juste l'exercice k si le bit k de i vaut 1 (toutes les combinaisons sont vues) ;
une réponse juste est le code de la solution, une réponse fausse une erreur typique d'élève.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from coursehelpers.grading import notebook_io  # noqa: E402
from coursehelpers.grading.autograde import grade  # noqa: E402

# Réponses fausses typiques, par cahier et par cellule de réponse (les justes : la solution).
WRONG = {
    "00_prise_en_main": {
        "ex1_reponse": "taux_attrition = 0.5 / 5",
        "ex2_reponse": "nb_clients = len(transactions)",
        "ex3_reponse": 'ca_par_canal = transactions.groupby("canal", observed=True)["montant"].sum()',
        "ex4_reponse": 'reponse_attrition = "A"',
    },
    "06_rfm": {
        "ex1_reponse": 'achats = transactions[transactions["montant"] > 0]\n'
                       'table = rfm.rfm_table(achats, order="commande_id")',
        "ex2_reponse": 'reponse_avoir = "C"',
        "ex3_reponse": "recences = [3, 3, 10, 25, 40, 40, 40, 120, 300, 700]\n"
                       "notes_r = [5, 5, 4, 4, 3, 3, 3, 2, 1, 1]",
        "ex4_reponse": "scores = rfm.rfm_scores(table)\n"
                       'codes_rfm = scores.loc[["C00004", "C00006", "C00009"], "segment"]',
        "ex5_reponse": "synthese = rfm.rfm_segments(scores)\n"
                       'clients_reconquete = synthese.loc["À risque", "clients"]\n'
                       'part_ca_reconquete = synthese.loc["À risque", "part_ca"]',
        "ex6_reponse": "champions_lus = 100",
        "ex7_reponse": 'passe = transactions[transactions["date"] < "2025-01-01"]\n'
                       "scores_2024 = rfm.rfm_scores(rfm.rfm_table(passe))\n"
                       'rachat_par_r = scores_2024.groupby("R")["frequence"].mean()',
    },
}
WRITTEN = "Il faut appeler les clients qui partent, ils rapportent beaucoup au chiffre d'affaires."


def _solution_source(cell: dict) -> str:
    return "\n".join(line for line in cell["source"].splitlines()
                     if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))


def make_submissions(assignment: Path, folder: Path, n: int) -> list[Path]:
    """``n`` copies : la copie i a juste les exercices dont le bit correspondant de i est à 1."""
    solution = notebook_io.read(assignment)
    exercise = notebook_io.student_version(solution)
    right = {notebook_io.grade_id(c): _solution_source(c) for c in solution["cells"]
             if notebook_io.cell_kind(c) == "solution" and c["cell_type"] == "code"}
    wrong = WRONG[assignment.stem]
    paths = []
    for i in range(n):
        nb = json.loads(json.dumps(exercise))
        for k, gid in enumerate(wrong):
            src = right[gid] if (i >> k) & 1 else wrong[gid]
            for cell in nb["cells"]:
                if notebook_io.grade_id(cell) == gid:
                    cell["source"] = src
        for cell in nb["cells"]:
            if notebook_io.cell_kind(cell) == "manual":
                cell["source"] = WRITTEN
        path = folder / f"eleve{i:02d}.ipynb"
        path.write_text(notebook_io.dumps(nb), encoding="utf-8")
        paths.append(path)
    return paths


def bench_coursehelpers(assignment: Path, paths: list[Path], jobs: int, work: Path
                        ) -> tuple[float, list[dict]]:
    start = time.perf_counter()
    rows = grade(assignment, paths, out=work / "notes.csv", jobs=jobs, timeout=60,
                 cache_dir=work / f"cache-{jobs}", show_progress=False)
    return time.perf_counter() - start, rows


def bench_nbgrader(exe: str, assignment: Path, paths: list[Path], work: Path
                   ) -> tuple[float, dict[str, float]]:
    course = work / "cours_nbgrader"
    (course / "source" / "ps1").mkdir(parents=True)
    shutil.copy(assignment, course / "source" / "ps1" / "ps1.ipynb")
    kernels = work / "jupyter" / "kernels" / "python3"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3", "language": "python"}), encoding="utf-8")
    env = {**os.environ, "JUPYTER_PATH": str(work / "jupyter"), "JUPYTER_DATA_DIR": str(work / "jupyter"),
           "PATH": str(Path(exe).parent) + os.pathsep + os.environ.get("PATH", "")}  # alembic
    subprocess.run([exe, "generate_assignment", "ps1", "--force", f"--CourseDirectory.root={course}"],
                   check=True, capture_output=True, env=env, cwd=course)
    for p in paths:
        dest = course / "submitted" / p.stem / "ps1"
        dest.mkdir(parents=True)
        shutil.copy(p, dest / "ps1.ipynb")
    start = time.perf_counter()
    run = subprocess.run([exe, "autograde", "ps1", "--create", f"--CourseDirectory.root={course}"],
                         capture_output=True, text=True, env=env, cwd=course)
    elapsed = time.perf_counter() - start
    if run.returncode != 0:
        print(run.stderr[-2000:], file=sys.stderr)
        raise SystemExit("nbgrader autograde a échoué")
    scores: dict[str, float] = {}
    export = subprocess.run([exe, "export", f"--CourseDirectory.root={course}", "--to", str(work / "g.csv")],
                            capture_output=True, text=True, env=env, cwd=course)
    if export.returncode == 0 and (work / "g.csv").exists():
        with open(work / "g.csv", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                scores[row["student_id"]] = float(row["raw_score"] or 0)
    return elapsed, scores


def bench_one(stem: str, args: argparse.Namespace) -> None:
    assignment = ROOT / "solutions" / f"{stem}.ipynb"
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        work = Path(tmp)
        folder = work / "rendus"
        folder.mkdir()
        paths = make_submissions(assignment, folder, args.n)
        theirs = None
        if args.nbgrader and args.nbgrader_first:
            theirs = _report_nbgrader(args, assignment, paths, work)
        ours, rows = bench_coursehelpers(assignment, paths, args.jobs, work)
        totals = sorted({r["total"] for r in rows}, key=lambda t: float(t.replace(",", ".") or 0))
        statuses = {r["statut"] for r in rows}
        print(f"[{stem}] coursehelpers grade (--jobs {args.jobs}) : {ours:.1f} s pour {args.n} copies, "
              f"{ours / args.n:.2f} s/copie ; totaux {totals[0]}..{totals[-1]}, statuts {statuses}")
        if args.nbgrader and not args.nbgrader_first:
            theirs = _report_nbgrader(args, assignment, paths, work)
        if theirs is not None:
            print(f"[{stem}] rapport nbgrader / coursehelpers : {theirs / ours:.2f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devoirs", nargs="+", default=["00", "06"], help="cahiers : 00, 06")
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--nbgrader", default=None, help="chemin de l'exécutable nbgrader (facultatif)")
    parser.add_argument("--nbgrader-first", action="store_true", help="mesurer nbgrader en premier")
    args = parser.parse_args()
    stems = {s[:2]: s for s in WRONG}
    for key in args.devoirs:
        bench_one(stems[key[:2]], args)


def _report_nbgrader(args: argparse.Namespace, assignment: Path, paths: list[Path], work: Path) -> float:
    theirs, scores = bench_nbgrader(args.nbgrader, assignment, paths, work)
    print(f"[{assignment.stem}] nbgrader autograde : {theirs:.1f} s pour {args.n} copies, "
          f"{theirs / args.n:.2f} s/copie")
    if scores:
        print(f"[{assignment.stem}] nbgrader notes {min(scores.values()):g}..{max(scores.values()):g}")
    return theirs


if __name__ == "__main__":
    main()
