"""Correction en lot : ``coursehelpers grade`` → carnet de notes CSV + retours par élève.

Les réponses attendues viennent de l'exécution du notebook solution (mise en cache) ;
chaque copie est exécutée dans un noyau neuf (:mod:`coursehelpers.grading.runner`),
démarré d'avance pendant la copie précédente et jamais réutilisé ;
les réponses relevées en JSON sont comparées **dans ce processus**
(règle unique :func:`coursehelpers.grading.rule.judge`) : rien de ce que l'élève exécute ne
peut changer le verdict. Le CSV (séparateur ``;``, virgule décimale, UTF-8 avec BOM
pour Excel) est écrit de façon atomique ; aucune copie n'est modifiée.
"""

from __future__ import annotations

import atexit
import csv
import io
import os
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict
from multiprocessing import get_context
from pathlib import Path

from coursehelpers.errors import DataError
from coursehelpers.grading import notebook_io
from coursehelpers.grading.assignment import Exercise, exercises_of, expected_values, grade_answers, specs_of
from coursehelpers.grading.feedback import render_feedback
from coursehelpers.grading.runner import KernelPool, assemble, new_nonce, run

TO_GRADE = "à corriger"
IGNORED_ERRORS = {"NotImplementedError", "CheckFailed", "KeyboardInterrupt"}


_POOL: KernelPool | None = None  # noyaux d'avance de CE processus (un par processus de correction)


def _worker_pool() -> KernelPool:
    global _POOL
    if _POOL is None:
        _POOL = KernelPool(ahead=1)
        atexit.register(_POOL.close)
    return _POOL


def _start_worker() -> None:
    """Initialisation d'un processus de correction : lance tout de suite son premier noyau."""
    _worker_pool().fill()


def _ready() -> int:
    return os.getpid()


def _points(x: float) -> str:
    return f"{x:g}".replace(".", ",")


def grade_one(path: str, reference: dict, exercises: list[dict], expected: dict,
              timeout: float, *, kernels: KernelPool | None = None) -> dict:
    """Corrige une copie ; renvoie ``{"row": {...}, "feedback": texte Markdown}``. Ne lève jamais.

    ``kernels`` : réserve de noyaux démarrés d'avance (par défaut celle du processus).
    """
    exs = [Exercise(**e) for e in exercises]
    specs = specs_of(exs, expected)
    owners = {var: e.grade_id for e in exs for var in e.answers}
    name = Path(path).name
    row: dict[str, str] = {"fichier": name}
    auto_max = sum(e.points for e in exs if not e.manual)
    details: list[dict] = []
    reasons: list[str] = []
    status = "ok"
    try:
        student = notebook_io.read(path)
        nonce = new_nonce()
        plan = assemble(reference, student, nonce)
        if plan.matched == 0:
            raise DataError("ce notebook ne correspond pas à ce devoir (aucune cellule d'exercice "
                            "reconnue : copie d'un autre devoir ?).")
        result = run(plan, nonce=nonce, timeout=timeout, kernels=kernels or _worker_pool())
    except DataError as exc:
        result, plan, status = None, None, "illisible"
        reasons.append(str(getattr(exc, "message", exc)))
    except Exception as exc:  # noyau introuvable, erreur imprévue : la série continue
        result, plan, status = None, None, "erreur"
        reasons.append(f"erreur du correcteur ({type(exc).__name__}) : {exc}")
    total = 0.0
    for ex in exs:
        if ex.manual:
            text = (plan.manual.get(ex.grade_id, "") if plan else "")
            row[ex.grade_id] = TO_GRADE if plan else "0"
            details.append({"id": ex.grade_id, "points": ex.points, "manual": True, "text": text})
            continue
        snap = result.snapshots.get(ex.grade_id) if result else None
        verdicts = []
        if snap is None:
            msg = "non évalué : l'exécution s'est arrêtée avant cet exercice." if result else reasons[0]
            verdicts.append(("", False, "non_evalue", msg))
        got = 0.0
        if snap is not None:
            # La règle unique (grading.rule), avec la spécification recalculée depuis la solution.
            verdicts, got = grade_answers(ex, specs[ex.grade_id], snap, result.failed.get(ex.grade_id),
                                          owners)
        total += got
        row[ex.grade_id] = _points(got)
        details.append({"id": ex.grade_id, "points": ex.points, "got": got, "manual": False,
                        "verdicts": verdicts, "hints": ex.hints})
    if result is not None and plan is not None:
        status, more = _run_reasons(result, plan, timeout)
        reasons.extend(more)
        kinds = [v[2] for d in details if not d["manual"] for v in d["verdicts"]]
        if kinds and all(k == "a_faire" for k in kinds):
            reasons.insert(0, "copie non remplie : aucun exercice commencé")
        manual = [d for d in details if d["manual"]]
        if manual:
            pts = sum(d["points"] for d in manual)
            reasons.append(f"{len(manual)} réponse(s) rédigée(s) à corriger ({_points(pts)} pt)")
    row.update({"total": _points(total), "maximum": _points(auto_max), "statut": status,
                "motif": " ; ".join(reasons)})
    own_errors = [m for m in (result.messages if result else [])
                  if m[1] not in IGNORED_ERRORS and m[1] != "SystemExit"]
    feedback = render_feedback(name, row, details, errors=own_errors)
    return {"row": row, "feedback": feedback}


def _run_reasons(result, plan, timeout: float) -> tuple[str, list[str]]:
    reasons, status = [], "ok"
    if plan.restored:
        reasons.append("cellules de test supprimées, remises en place : " + ", ".join(plan.restored))
    if plan.replaced:
        reasons.append("cellules verrouillées modifiées, remplacées par l'original : "
                       + ", ".join(plan.replaced))
    if plan.missing_answers:
        reasons.append("cellules de réponse supprimées : " + ", ".join(plan.missing_answers))
    if plan.tamper:
        reasons.append("tentative de modifier le vérificateur : sans effet, la note est calculée "
                       "hors du notebook")
    if result.timeouts:
        status = "timeout"
        reasons.append(f"délai de {timeout:g} s dépassé dans : " + ", ".join(result.timeouts)
                       + " (boucle infinie ?)")
    if result.dead and result.dead in result.timeouts:
        status = "erreur"
        reasons.append(f"le noyau ne répondait plus après l'interruption de « {result.dead} » (calcul "
                       "impossible à interrompre) : arrêté, les exercices suivants n'ont pas été évalués")
    elif result.dead:
        status = "erreur"
        reasons.append(f"le noyau Python s'est arrêté pendant « {result.dead} » (os._exit, plantage ou "
                       "mémoire) : les exercices suivants n'ont pas été évalués")
    exits = sorted({lab for lab, en in result.errors if en == "SystemExit"})
    if exits:
        reasons.append("sys.exit() appelé dans : " + ", ".join(exits))
    others = sorted({f"{lab} ({en})" for lab, en in result.errors
                     if en not in IGNORED_ERRORS and en != "SystemExit"})
    if others:
        reasons.append("erreurs Python dans : " + ", ".join(others[:3]) + (" ..." if len(others) > 3 else ""))
    if result.flooded:
        reasons.append("sortie trop volumineuse, tronquée dans : " + ", ".join(result.flooded))
    return status, reasons


def _progress(total: int):
    """Barre de progression tqdm si installé, sinon un compteur en français sur stderr."""
    try:
        from tqdm import tqdm

        return tqdm(total=total, desc="Correction", unit="copie", file=sys.stderr)
    except ImportError:
        class _Counter:
            n = 0

            def update(self, k: int = 1) -> None:
                self.n += k
                print(f"\rCorrection : {self.n}/{total} copies", end="", file=sys.stderr, flush=True)

            def close(self) -> None:
                print(file=sys.stderr)

        return _Counter()


def _grade_parallel(executor, paths, reference, payload, expected, timeout, exs, bar) -> dict[int, dict]:
    results: dict[int, dict] = {}
    futures = {executor.submit(grade_one, p, reference, payload, expected, timeout): i
               for i, p in enumerate(paths)}
    for fut in as_completed(futures):
        i = futures[fut]
        try:
            results[i] = fut.result()
        except Exception as exc:  # processus de correction perdu : la série continue
            row = {"fichier": Path(paths[i]).name, "statut": "erreur", "total": "0",
                   "maximum": _points(sum(e.points for e in exs if not e.manual)),
                   "motif": f"correcteur interrompu ({type(exc).__name__})"}
            results[i] = {"row": row, "feedback": ""}
        if bar:
            bar.update(1)
    return results


def write_csv(rows: list[dict], columns: list[str], out: str | Path) -> Path:
    """Écrit le carnet de notes de façon atomique (fichier temporaire puis ``os.replace``)."""
    out = Path(out)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, delimiter=";", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(buf.getvalue(), encoding="utf-8-sig")
    os.replace(tmp, out)
    return out


def grade(assignment: str | Path, submissions: Sequence[str | Path], *, out: str | Path,
          feedback: str | Path | None = None, jobs: int | None = None, timeout: float = 60,
          cache_dir: str | Path | None = None, show_progress: bool = True) -> list[dict]:
    """Corrige ``submissions`` pour le devoir ``assignment`` (notebook solution).

    Écrit ``out`` (CSV : fichier, points par exercice, total, maximum, statut, motif) et, si
    ``feedback`` est donné, un retour Markdown par copie. Renvoie les lignes du CSV.
    """
    source = notebook_io.read(assignment)
    exs = exercises_of(source)
    if not exs:
        raise DataError("ce notebook solution n'a aucun exercice noté (métadonnées nbgrader).",
                        path=assignment)
    payload = [asdict(e) for e in exs]
    paths = [str(p) for p in submissions]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(paths) or 1))
    if jobs == 1:
        pool = KernelPool(ahead=1)
        try:
            pool.fill()  # le premier noyau démarre pendant l'exécution de la solution
            expected = expected_values(assignment, timeout=max(timeout, 120), cache_dir=cache_dir)
            reference = notebook_io.normalize(notebook_io.student_version(source))
            bar = _progress(len(paths)) if show_progress else None
            results = {}
            for i, p in enumerate(paths):
                results[i] = grade_one(p, reference, payload, expected, timeout, kernels=pool)
                if bar:
                    bar.update(1)
        finally:
            pool.close()
    else:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn"),
                                 initializer=_start_worker) as executor:
            # Les processus de correction démarrent (et lancent leur premier noyau)
            # pendant que la solution s'exécute ici.
            warm = [executor.submit(_ready) for _ in range(jobs)]
            expected = expected_values(assignment, timeout=max(timeout, 120), cache_dir=cache_dir)
            reference = notebook_io.normalize(notebook_io.student_version(source))
            bar = _progress(len(paths)) if show_progress else None
            results = _grade_parallel(executor, paths, reference, payload, expected, timeout, exs, bar)
            del warm
    if bar:
        bar.close()
    rows = [results[i]["row"] for i in range(len(paths))]
    columns = ["fichier", *(e.grade_id for e in exs), "total", "maximum", "statut", "motif"]
    write_csv(rows, columns, out)
    if feedback is not None:
        folder = Path(feedback)
        folder.mkdir(parents=True, exist_ok=True)
        used: set[str] = set()
        for i in range(len(paths)):
            stem = Path(paths[i]).stem
            candidate, k = stem, 2
            while candidate in used:
                candidate, k = f"{stem}-{k}", k + 1
            used.add(candidate)
            (folder / f"{candidate}.md").write_text(results[i]["feedback"], encoding="utf-8")
    return rows
