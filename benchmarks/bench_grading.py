"""Banc d'essai de la correction en lot : 30 copies (justes et fausses) du cahier 00_prise_en_main.

Usage ::

    python benchmarks/bench_grading.py [--n 30] [--jobs 2] [--nbgrader /tmp/nbg/bin/nbgrader]
                                       [--nbgrader-first]

Affiche le temps total et le temps par copie de ``coursehelpers grade`` (cache des réponses
attendues vide : l'exécution de la solution est comptée). Si ``--nbgrader`` désigne un
exécutable nbgrader (installé à part, par ex. ``python -m venv /tmp/nbg && /tmp/nbg/bin/pip install
nbgrader``), ``nbgrader autograde`` corrige les mêmes 30 copies avec le même noyau Python
(celui de ce venv, déclaré par un kernelspec temporaire) et le rapport des temps est affiché.
``--nbgrader-first`` inverse l'ordre des deux mesures (sur une machine partagée, alterner
l'ordre d'une mesure à l'autre évite de favoriser l'un des deux).
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

ASSIGNMENT = ROOT / "solutions" / "00_prise_en_main.ipynb"
RIGHT = {
    "ex1_reponse": "taux_attrition = 1 - 0.5 ** (1 / 5)",
    "ex2_reponse": 'nb_clients = transactions["client_id"].nunique()',
    "ex3_reponse": 'ca_par_canal = transactions.groupby("canal", observed=True)["montant"].sum()'
                   ".sort_values(ascending=False)",
    "ex4_reponse": 'reponse_attrition = "B"',
}
WRONG = {
    "ex1_reponse": "taux_attrition = 0.5 / 5",
    "ex2_reponse": "nb_clients = len(transactions)",
    "ex3_reponse": 'ca_par_canal = transactions.groupby("canal", observed=True)["montant"].sum()',
    "ex4_reponse": 'reponse_attrition = "A"',
}


def make_submissions(folder: Path, n: int) -> list[Path]:
    """``n`` copies : la copie i a juste les exercices dont le bit correspondant de i est à 1."""
    exercise = notebook_io.student_version(notebook_io.read(ASSIGNMENT))
    paths = []
    for i in range(n):
        nb = json.loads(json.dumps(exercise))
        for k, gid in enumerate(RIGHT):
            src = RIGHT[gid] if (i >> k) & 1 else WRONG[gid]
            for cell in nb["cells"]:
                if notebook_io.grade_id(cell) == gid:
                    cell["source"] = src
        path = folder / f"eleve{i:02d}.ipynb"
        path.write_text(notebook_io.dumps(nb), encoding="utf-8")
        paths.append(path)
    return paths


def bench_coursehelpers(paths: list[Path], jobs: int, work: Path) -> tuple[float, list[dict]]:
    start = time.perf_counter()
    rows = grade(ASSIGNMENT, paths, out=work / "notes.csv", jobs=jobs, timeout=60,
                 cache_dir=work / f"cache-{jobs}", show_progress=False)
    return time.perf_counter() - start, rows


def bench_nbgrader(exe: str, paths: list[Path], work: Path) -> tuple[float, dict[str, float]]:
    course = work / "cours_nbgrader"
    (course / "source" / "ps1").mkdir(parents=True)
    shutil.copy(ASSIGNMENT, course / "source" / "ps1" / "ps1.ipynb")
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--nbgrader", default=None, help="chemin de l'exécutable nbgrader (facultatif)")
    parser.add_argument("--nbgrader-first", action="store_true", help="mesurer nbgrader en premier")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        work = Path(tmp)
        folder = work / "rendus"
        folder.mkdir()
        paths = make_submissions(folder, args.n)
        theirs = None
        if args.nbgrader and args.nbgrader_first:
            theirs = _report_nbgrader(args, paths, work)
        ours, rows = bench_coursehelpers(paths, args.jobs, work)
        totals = [float(r["total"].replace(",", ".")) for r in rows]
        statuses = {r["statut"] for r in rows}
        print(f"coursehelpers grade (--jobs {args.jobs}) : {ours:.1f} s pour {args.n} copies, "
              f"{ours / args.n:.2f} s/copie ; notes {min(totals):g}..{max(totals):g}, statuts {statuses}")
        if args.nbgrader and not args.nbgrader_first:
            theirs = _report_nbgrader(args, paths, work)
        if theirs is not None:
            print(f"rapport nbgrader / coursehelpers : {theirs / ours:.2f}×")


def _report_nbgrader(args: argparse.Namespace, paths: list[Path], work: Path) -> float:
    theirs, scores = bench_nbgrader(args.nbgrader, paths, work)
    print(f"nbgrader autograde : {theirs:.1f} s pour {args.n} copies, {theirs / args.n:.2f} s/copie")
    if scores:
        print(f"nbgrader notes {min(scores.values()):g}..{max(scores.values()):g}")
    return theirs

if __name__ == "__main__":
    main()
