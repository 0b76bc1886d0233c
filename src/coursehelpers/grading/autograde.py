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

import contextlib
import hashlib
import json
import os
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict
from pathlib import Path

from coursehelpers.errors import DataError
from coursehelpers.grading import gradebook, identity, manual, notebook_io, zygote
from coursehelpers.grading.assignment import (
    Exercise,
    exercises_of,
    expected_key,
    expected_values,
    grade_answers,
    specs_of,
)
from coursehelpers.grading.feedback import render_feedback
from coursehelpers.grading.runner import (
    IGNORED_ERRORS,
    PRELOAD,
    KernelPool,
    KernelStartError,
    Plan,
    RunResult,
    assemble,
    new_nonce,
    run,
)

STATUSES = tuple(gradebook.STATUS_TEXT)


MAX_ATTEMPTS = 3  # essais d'une copie quand la machine (et non l'élève) fait défaut
START_TIMEOUT = 60  # secondes laissées au noyau pour démarrer et répondre à kernel_info


def _run_with_retries(plan, nonce: str, timeout: float, kernels, start_timeout: int):
    """Exécute la copie ; relance avec un noyau neuf quand la machine fait défaut.

    Renvoie ``(result, pannes)`` ; ``result`` est ``None`` si la panne a persisté sur
    ``MAX_ATTEMPTS`` essais. Un noyau qui s'arrête deux fois de suite dans la même cellule
    de l'élève est dû à la copie (``os._exit``, plantage) : pas d'autre essai.
    """
    failures: list[str] = []
    last_death = None
    for _ in range(MAX_ATTEMPTS):
        try:
            result = run(plan, nonce=nonce, timeout=timeout, kernels=kernels, start_timeout=start_timeout)
        except KernelStartError as exc:
            failures.append(f"démarrage du noyau : {exc}")
            continue
        if result.dead is None or (result.dead_in_student and result.dead == last_death):
            return result, failures
        if result.dead in result.timeouts and result.dead_in_student:
            return result, failures  # calcul de l'élève impossible à interrompre
        last_death = result.dead if result.dead_in_student else None
        failures.append(f"noyau arrêté pendant « {result.dead} »")
        if result.dead_in_student and len(failures) >= MAX_ATTEMPTS - 1:
            return result, failures
    return None, failures


def _exercise_ids(exs) -> list[str]:
    return [e.grade_id for e in exs]


def grade_one(path: str, reference: dict, exercises: list[dict], expected: dict,
              timeout: float, *, student: str | None = None, shown: str | None = None,
              kernels: KernelPool | None = None, siblings: Sequence[str] = (),
              start_timeout: int = START_TIMEOUT, specs: dict | None = None) -> dict:
    """Corrige une copie ; renvoie son résultat (dictionnaire JSON). Ne lève jamais.

    Résultat : ``eleve``, ``fichier``, ``statut``, ``motif`` (liste de phrases), ``exercices``
    (par exercice : ``id``, ``points`` possibles, ``manual``, ``got`` points obtenus ou ``None``
    pour une réponse rédigée à noter, ``text``/``empreinte`` de la rédaction, ``code`` de
    l'élève, ``verdicts``, ``hints``) et ``erreurs`` (erreurs Python des cellules de l'élève).
    ``kernels`` : réserve de noyaux démarrés d'avance (par défaut un noyau lancé pour la copie).
    """
    exs = [Exercise(**e) for e in exercises]
    specs = specs if specs is not None else specs_of(exs, expected)  # une fois par série, pas par copie
    owners = {var: e.grade_id for e in exs for var in e.answers}
    out: dict = {"eleve": student or Path(path).stem, "fichier": shown or Path(path).name,
                 "statut": "ok", "motif": [], "exercices": [], "erreurs": []}
    reasons: list[str] = out["motif"]
    result = plan = None
    try:
        copy_nb = notebook_io.read(path)
        other = identity.other_assignment(copy_nb, reference, siblings=siblings)
        if other:
            raise _OtherAssignment(other)
        nonce = new_nonce()
        plan = assemble(reference, copy_nb, nonce)
        if plan.matched == 0:
            raise _OtherAssignment("aucune cellule d'exercice de ce devoir reconnue : copie d'un autre "
                                   "devoir ?")
        pool = kernels or KernelPool(ahead=0)  # appelée seule : un noyau neuf, arrêté après
        try:
            result, failures = _run_with_retries(plan, nonce, timeout, pool, start_timeout)
        finally:
            if pool is not kernels:
                pool.close()
        if result is None:
            out["statut"] = "à regrader"
            reasons.append(f"la machine a fait défaut {len(failures)} fois ({failures[-1]}) : ce n'est "
                           "pas la faute de l'élève, relancez la correction de cette copie")
        elif failures:
            reasons.append(f"corrigée au {len(failures) + 1}e essai (panne de la machine au premier : "
                           f"{failures[0]})")
    except _OtherAssignment as exc:
        out["statut"] = "autre devoir"
        reasons.append(str(exc))
    except DataError as exc:
        out["statut"] = "illisible"
        reasons.append(str(getattr(exc, "message", exc)).rstrip("."))
    except Exception as exc:  # erreur imprévue du correcteur : la série continue, sans 0 pour l'élève
        out["statut"] = "à regrader"
        reasons.append(f"erreur du correcteur ({type(exc).__name__} : {exc}) : relancez la correction")
    graded = out["statut"] == "ok"
    for ex in exs:
        item = {"id": ex.grade_id, "points": ex.points, "manual": ex.manual, "got": None}
        out["exercices"].append(item)
        if not graded:
            continue
        if ex.manual:
            text = plan.manual.get(ex.grade_id, "")
            item.update(text=text, empreinte=manual.answer_sha(text))
            if manual.is_blank(text):
                item.update(got=0.0, text="")
            continue
        snap = result.snapshots.get(ex.grade_id)
        got = 0.0
        if snap is None:
            verdicts = [["", False, "non_evalue",
                         "Non évalué : l'exécution s'est arrêtée avant cet exercice."]]
        else:
            # La règle unique (grading.rule), avec la spécification recalculée depuis la solution.
            found, got = grade_answers(ex, specs[ex.grade_id], snap, result.failed.get(ex.grade_id), owners)
            verdicts = [list(v) for v in found]
        item.update(got=got, verdicts=verdicts, hints=ex.hints, code=plan.code.get(ex.grade_id, ""))
    if graded:
        status, more = run_reasons(result, plan, timeout)
        out["statut"] = status
        auto = [v for it in out["exercices"] if not it["manual"] for v in it["verdicts"]]
        written = [it for it in out["exercices"] if it["manual"]]
        if auto and all(v[2] == "a_faire" for v in auto) and all(not it.get("text") for it in written):
            out["statut"] = "non remplie"
            reasons.append("aucun exercice commencé : le notebook rendu est celui de l'énoncé")
            consequences = ("erreurs Python", "erreur dans une cellule fournie")  # dues au vide
            more = [m for m in more if not m.startswith(consequences)]
        reasons.extend(more)
        out["erreurs"] = [list(m) for m in result.messages
                          if m[1] not in IGNORED_ERRORS and m[1] != "SystemExit"]
    return out


def run_reasons(result: RunResult, plan: Plan, timeout: float) -> tuple[str, list[str]]:
    """Statut de l'exécution (``ok``, ``timeout``, ``erreur``) et motifs en français.

    Les erreurs des cellules de l'élève et celles des cellules fournies (conséquences d'une
    réponse manquante plus haut) sont nommées à part.
    """
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
    own = sorted({f"{lab} ({en})" for lab, en, _ in result.messages
                  if en not in IGNORED_ERRORS and en != "SystemExit"})
    given = sorted({f"{lab} ({en})" for lab, en in result.errors
                    if en not in IGNORED_ERRORS and en != "SystemExit"} - set(own))
    if own:
        reasons.append("erreurs Python dans : " + ", ".join(own[:3]) + (" ..." if len(own) > 3 else ""))
    if given:
        reasons.append("erreur dans une cellule fournie, due à une réponse précédente : "
                       + ", ".join(given[:3]) + (" ..." if len(given) > 3 else ""))
    if result.flooded:
        reasons.append("sortie trop volumineuse, tronquée dans : " + ", ".join(result.flooded))
    return status, reasons


class _OtherAssignment(Exception):
    pass


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


def _lost(path: str, student: str, shown: str, exs, exc: BaseException) -> dict:
    return {"eleve": student, "fichier": shown, "statut": "à regrader", "erreurs": [],
            "motif": [f"correction de la copie interrompue ({type(exc).__name__}) : relancez la correction"],
            "exercices": [{"id": e.grade_id, "points": e.points, "manual": e.manual, "got": None}
                          for e in exs]}


def _grade_threads(assignment: str | Path, paths: list[str], students: list[str], shown: list[str],
                   source: dict, payload: list[dict], exs, *, jobs: int, timeout: float, cache_dir,
                   siblings: list[str], start_timeout: int, preload: tuple[str, ...],
                   warm: tuple[tuple[str, str], ...], show_progress: bool) -> dict[int, dict]:
    """Corrige les copies dans ``jobs`` fils d'exécution de CE processus (``jobs=1`` : un seul).

    Les noyaux sont des processus à part (le calcul des copies se fait en parallèle) ; ici ne
    restent que les échanges avec eux et le jugement des réponses. Un seul zygote sert tous les
    fils (et le noyau de la solution) : les bibliothèques ne sont chargées qu'une fois par série.
    Chaque fil a sa réserve de noyaux, lancés et utilisés dans ce fil.
    """
    master = KernelPool(ahead=0, preload=preload, warm=warm)  # zygote commun + noyau de la solution
    shared = master.shared_zygote()
    local = threading.local()
    pools: list[KernelPool] = []
    lock = threading.Lock()

    def thread_pool() -> KernelPool:
        pool = getattr(local, "pool", None)
        if pool is None:
            pool = local.pool = KernelPool(ahead=1, preload=preload, warm=warm, shared=shared,
                                           fork=shared is not None)
            with lock:
                pools.append(pool)
        return pool

    def start_thread() -> None:  # le premier noyau du fil démarre pendant l'exécution de la solution
        with contextlib.suppress(Exception):  # relancé, et signalé, à la première copie
            thread_pool().fill()

    results: dict[int, dict] = {}
    bar = None
    executor = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="correction", initializer=start_thread)
    try:
        for _ in range(jobs):
            executor.submit(int)
        expected = expected_values(assignment, timeout=max(timeout, 120), cache_dir=cache_dir, kernels=master)
        reference = notebook_io.normalize(notebook_io.student_version(source))
        specs = specs_of(exs, expected)
        bar = _progress(len(paths)) if show_progress else None

        def task(i: int) -> dict:
            return grade_one(paths[i], reference, payload, expected, timeout, student=students[i],
                             shown=shown[i], kernels=thread_pool(), siblings=siblings,
                             start_timeout=start_timeout, specs=specs)

        futures = {executor.submit(task, i): i for i in range(len(paths))}
        for fut in as_completed(futures):
            i = futures[fut]
            try:
                results[i] = fut.result()
            except Exception as exc:  # grade_one ne lève pas ; par sûreté
                results[i] = _lost(paths[i], students[i], shown[i], exs, exc)
            if bar:
                bar.update(1)
    except BaseException:  # Ctrl+C, solution fautive… : les copies pas encore commencées ne le sont pas
        executor.shutdown(wait=True, cancel_futures=True)
        raise
    else:
        executor.shutdown(wait=True)
    finally:
        if bar:
            bar.close()
        for pool in pools:
            pool.close()
        master.close()
    return results


def write_csv(rows: list[dict], columns: list[str], out: str | Path) -> Path:
    """Écrit le carnet de notes de façon atomique (voir :func:`gradebook.write_csv`)."""
    return gradebook.write_csv(rows, columns, out)


def _shown_paths(paths: list[str]) -> list[str]:
    """Chemins affichés : relatifs au dossier commun des copies (``submitted/dupont/06_rfm/06_rfm.ipynb``)."""
    absolute = [os.path.abspath(p) for p in paths]
    if not absolute:
        return []
    parent = os.path.dirname(os.path.commonpath([os.path.dirname(p) for p in absolute]))
    return [os.path.relpath(p, parent) for p in absolute]


def details_path(out: str | Path) -> Path:
    """Résultats détaillés de la correction, à côté du carnet : ``notes.csv`` → ``notes-details.json``."""
    out = Path(out)
    return out.with_name(f"{out.stem}-details.json")


def grade(assignment: str | Path, submissions: Sequence[str | Path], *, out: str | Path,
          feedback: str | Path | None = None, jobs: int | None = None, timeout: float = 60,
          cache_dir: str | Path | None = None, show_progress: bool = True, scale: float = 20,
          step: float = 0.5, report: str | Path | None = None, roster: str | Path | None = None,
          start_timeout: int = START_TIMEOUT, resume: bool = False) -> list[dict]:
    """Corrige ``submissions`` pour le devoir ``assignment`` (notebook solution).

    ``resume`` (``corriger --reprendre``) : une copie déjà corrigée à côté de ``out`` (même élève,
    fichier identique octet pour octet, même solution et même version du cours) reprend son
    résultat sans être réexécutée ; les copies nouvelles, modifiées ou ``à regrader`` sont
    corrigées. Le carnet porte, comme toujours, sur les copies données.

    Écrit, à côté de ``out`` : le carnet de notes ``out`` (CSV, voir
    :mod:`coursehelpers.grading.gradebook`), la feuille de notation des réponses rédigées
    (``…-redactions.xlsx``, saisies gardées, voir :mod:`coursehelpers.grading.manual`) et les
    résultats détaillés (``…-details.json``) qui permettent de refaire le carnet sans tout
    recorriger (:func:`finalize`). Si ``feedback`` est donné, un retour Markdown par élève ;
    si ``report`` est donné, le rapport de classe HTML (``roster`` : liste de la classe).
    Renvoie les lignes du carnet.
    """
    source = notebook_io.read(assignment)
    exs = exercises_of(source)
    if not exs:
        raise DataError("ce notebook solution n'a aucun exercice noté (métadonnées nbgrader).",
                        path=assignment)
    payload = [asdict(e) for e in exs]
    seen: dict[str, str] = {}
    paths = []
    for p in map(str, submissions):  # un même fichier donné deux fois n'est corrigé qu'une fois
        key = os.path.realpath(p)
        if key not in seen:
            seen[key] = p
            paths.append(p)
    students = identity.student_ids(paths, assignment=Path(assignment).stem)
    shown = _shown_paths(paths)
    siblings = [str(p) for p in sorted(Path(assignment).parent.glob("*.ipynb"))
                if p.resolve() != Path(assignment).resolve()]
    manual_sheet = manual.sheet_path(out)
    manual.read_entries(manual_sheet)  # une feuille illisible arrête tout AVANT la correction
    key = expected_key(source)
    digests = [_file_digest(p) for p in paths]
    results: dict = _previous_results(out, key, payload, students, shown, digests) if resume else {}
    if resume:
        print(f"reprise : {len(results)} copie(s) inchangée(s) reprise(s) de la correction précédente, "
              f"{len(paths) - len(results)} à corriger", file=sys.stderr)
    todo = [i for i in range(len(paths)) if i not in results]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    modules, warm = zygote.warm_for(source)  # chargés une fois par le zygote, avant tout noyau
    if todo:
        fresh = _grade_threads(assignment, [paths[i] for i in todo], [students[i] for i in todo],
                               [shown[i] for i in todo], source, payload, exs, jobs=jobs, timeout=timeout,
                               cache_dir=cache_dir, siblings=siblings, start_timeout=start_timeout,
                               preload=(*PRELOAD, *modules), warm=warm, show_progress=show_progress)
        results.update({todo[k]: res for k, res in fresh.items()})
    ordered = [{**results[i], "empreinte_copie": digests[i]} for i in range(len(paths))]
    details = {"devoir": Path(assignment).stem, "titre": identity.assignment_title(source),
               "solution": str(Path(assignment).resolve()), "cle": key,
               "exercices": payload, "copies": ordered}
    _write_json(details_path(out), details)
    manual.update_sheet(manual_sheet, source, ordered)
    return finalize(out, feedback=feedback, scale=scale, step=step, report=report, roster=roster,
                    _details=details, _solution=source)


def _file_digest(path: str) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def _previous_results(out: str | Path, key: str, payload: list[dict], students: list[str], shown: list[str],
                      digests: list[str | None]) -> dict[int, dict]:
    """Résultats de la correction précédente réutilisables tels quels (voir ``grade(resume=True)``)."""
    try:
        previous = json.loads(details_path(out).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if previous.get("cle") != key or previous.get("exercices") != json.loads(json.dumps(payload)):
        return {}  # autre solution ou autre version du cours : tout est recorrigé
    by_student = {c.get("eleve"): c for c in previous.get("copies", [])}
    reused = {}
    for i, (student, digest) in enumerate(zip(students, digests, strict=True)):
        old = by_student.get(student)
        if old and digest and old.get("empreinte_copie") == digest and old.get("statut") != "à regrader":
            reused[i] = {**old, "fichier": shown[i]}
    return reused


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def _given_code(solution: dict | None) -> dict[str, str]:
    """Code fourni par l'énoncé, par exercice (pour repérer les copies qui se ressemblent)."""
    if solution is None:
        return {}
    reference = notebook_io.normalize(notebook_io.student_version(solution))
    return assemble(reference, reference, "").code


def finalize(out: str | Path, *, feedback: str | Path | None = None, scale: float = 20, step: float = 0.5,
             report: str | Path | None = None, roster: str | Path | None = None,
             _details: dict | None = None, _solution: dict | None = None) -> list[dict]:
    """Refait le carnet de notes (et les retours, le rapport) à partir de la dernière correction
    et des points saisis dans la feuille des réponses rédigées — sans rien réexécuter.

    ``report`` : chemin du rapport de classe HTML (:mod:`coursehelpers.grading.report`) ;
    ``roster`` : liste de la classe, pour y nommer les copies non rendues.

    Lève ``DataError`` si la correction n'a pas encore été faite (``…-details.json`` absent) ou
    si la feuille de notation est invalide.
    """
    out = Path(out)
    if _details is None:
        path = details_path(out)
        if not path.exists():
            raise DataError("aucune correction enregistrée à côté de ce carnet de notes : lancez "
                            "d'abord la correction en lot.", path=path)
        _details = json.loads(path.read_text(encoding="utf-8"))
    exs = [Exercise(**e) for e in _details["exercices"]]
    maxima = {e.grade_id: e.points for e in exs if e.manual}
    entries = manual.read_entries(manual.sheet_path(out), maxima)
    copies = _details["copies"]
    rows = gradebook.merge(copies, entries, scale=scale, step=step)
    gradebook.write_csv(rows, gradebook.columns(_exercise_ids(exs), scale=scale), out)
    if feedback is not None:
        folder = Path(feedback)
        folder.mkdir(parents=True, exist_ok=True)
        for res, row in zip(copies, rows, strict=True):
            text = render_feedback(res, row, entries, scale=scale)
            (folder / f"{identity.feedback_name(res['eleve'])}.md").write_text(text, encoding="utf-8")
    if report is not None:
        from coursehelpers.grading.report import write_report

        if _solution is None:
            try:
                _solution = notebook_io.read(_details["solution"])
            except (DataError, KeyError):
                _solution = None  # solution déplacée : pas de lignes fournies à ignorer
        write_report(report, _details, rows, scale=scale, roster=roster, given=_given_code(_solution))
    return rows
