"""Correction en lot : une série de copies hostiles, corrigée en UNE exécution de `grade --jobs 2`.

Chaque copie part de la version élève du petit devoir de test_grading_support.py ; la ligne
attendue du carnet de notes est écrite à la main pour chacune.
"""

from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tiny_course import HIDDEN, SOLUTION_LINES, edit, save, write_tiny

from coursehelpers.grading import notebook_io
from coursehelpers.grading.build import build_exercises

RIGHT = {"q1_reponse": "taux = 1 - 0.5 ** (1 / 5)",
         "q2_reponse": "clients = sorted(['martin', 'durand', 'bernard'])",
         "q3_reponse": 'reponse_q3 = "b"'}  # minuscule : les textes sont normalisés
PATCH = ("import coursehelpers.grading as g\nimport coursehelpers.grading.checks as c\n"
         "g.check = c.check = lambda *a, **k: print('✅ juste')\n"
         "c.verify = lambda *a, **k: None\n")


def _copy(exercise: dict, changes: dict[str, str | None]) -> dict:
    nb = exercise
    for gid, src in {**RIGHT, **changes}.items():
        nb = edit(nb, gid, src)
    return nb


# nom -> (modifications, points q1 q2 q3 q4, total, note sur 20, statut, morceau du motif)
# q4 est la réponse rédigée : vide → 0 d'office ; écrite → « à noter » et pas encore de note.
CASES = {
    "juste": ({"q4": "La fidélisation rapporte : un client fidèle achète plus souvent."},
              ("2", "1", "1", "à noter"), "4", "", "à noter", "réponse(s) rédigée(s) à noter : q4 (2 pts)"),
    "vide": (None, ("0", "0", "0", "0"), "0", "0", "non remplie", "aucun exercice commencé"),
    "corrompu": ("{pas du json", ("", "", "", ""), "", "", "illisible", "notebook illisible"),
    "boucle": ({"q1_reponse": "while True:\n    pass"}, ("0", "1", "1", "0"), "2", "6,5", "timeout",
               "délai de 3 s dépassé dans : q1_reponse"),
    "sys_exit": ({"q2_reponse": "import sys\nsys.exit()"}, ("2", "0", "1", "0"), "3", "10", "ok",
                 "sys.exit() appelé dans : q2_reponse"),
    "os_exit": ({"q2_reponse": "import os\nos._exit(1)"}, ("2", "0", "0", "0"), "2", "6,5", "erreur",
                "le noyau Python s'est arrêté pendant « q2_reponse »"),
    "plantage": ({"q3_reponse": "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)"},
                 ("2", "1", "0", "0"), "3", "10", "erreur", "s'est arrêté pendant « q3_reponse »"),
    "bavard": ({"q1_reponse": RIGHT["q1_reponse"] + "\nprint('x' * 3_000_000)"}, ("2", "1", "1", "0"),
               "4", "13,5", "ok", "sortie trop volumineuse, tronquée dans : q1_reponse"),
    "triche": ({"q1_reponse": PATCH + "taux = 0.5"}, ("0", "1", "1", "0"), "2", "6,5", "ok",
               "tentative de modifier le vérificateur"),
    "faux": ({"q1_reponse": "taux = 0.5"}, ("0", "1", "1", "0"), "2", "6,5", "ok", ""),
    "test_modifie": ({"q1": "pass"}, ("2", "1", "1", "0"), "4", "13,5", "ok",
                     "remplacées par l'original : q1"),
    "test_supprime": ({"q1": None, "bilan": None}, ("2", "1", "1", "0"), "4", "13,5", "ok",
                      "remises en place : q1, bilan"),
    "renomme": ({"q1_reponse": "taux_annuel = 1 - 0.5 ** (1 / 5)"}, ("0", "1", "1", "0"), "2", "6,5",
                "ok", ""),
    "erreur_eleve": ({"q2_reponse": "raise ValueError('Écrivez 0.2 pour 20 %.')"}, ("2", "0", "1", "0"),
                     "3", "10", "ok", "erreurs Python dans : q2_reponse (ValueError)"),
    "autre_devoir": ("autre", ("", "", "", ""), "", "", "autre devoir",
                     "aucune cellule d'exercice de ce devoir reconnue"),
}


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("grade")
    solution = write_tiny(tmp)
    report = build_exercises(tmp / "solutions", tmp / "exercises", cache_dir=tmp / "cache")
    assert report.ok and report.written
    exercise = notebook_io.read(tmp / "exercises" / "01_test.ipynb")
    folder = tmp / "rendus"
    folder.mkdir()
    paths = []
    for name, (changes, *_rest) in CASES.items():
        path = folder / f"{name}.ipynb"
        if changes is None:
            save(exercise, path)
        elif changes == "autre":
            save(edit(edit(exercise, "q1_reponse", None), "q2_reponse", None) | {"cells": [
                {**c, "metadata": {"nbgrader": {**c["metadata"]["nbgrader"], "grade_id": "x_" + str(i)}}}
                for i, c in enumerate(exercise["cells"])]}, path)
        elif isinstance(changes, str):
            path.write_text(changes, encoding="utf-8")
        else:
            save(_copy(exercise, changes), path)
        paths.append(path)
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}
    out = tmp / "notes" / "notes.csv"
    env_cache = {"XDG_CACHE_HOME": str(tmp / "cache")}
    run = subprocess.run([sys.executable, "-m", "coursehelpers", "grade", "--assignment", str(solution),
                          *map(str, paths), "--out", str(out), "--feedback", str(tmp / "retours"),
                          "--jobs", "2", "--timeout", "3", "--rapport", str(tmp / "rapport.html")],
                         capture_output=True, text=True,
                         env={**__import__("os").environ, **env_cache}, timeout=240)
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    return {"run": run, "rows": {r["eleve"]: r for r in rows}, "order": [r["eleve"] for r in rows],
            "before": before, "after": after, "out": out, "feedback": tmp / "retours", "tmp": tmp}


def test_cli_succeeds_with_progress_and_summary(batch: dict) -> None:
    run = batch["run"]
    assert run.returncode == 0, run.stderr
    assert f"{len(CASES)} copie(s) corrigée(s)" in run.stdout
    assert "Correction" in run.stderr  # barre tqdm ou compteur français
    assert "1 copie(s) attendent la notation de leurs réponses rédigées : remplissez " in run.stdout
    assert "notes-redactions.xlsx puis lancez « coursehelpers notes --out " in run.stdout


@pytest.mark.parametrize("name", list(CASES))
def test_each_submission_gets_the_expected_row(batch: dict, name: str) -> None:
    _changes, points, total, note, status, reason = CASES[name]
    row = batch["rows"][name]
    assert (row["q1"], row["q2"], row["q3"], row["q4"]) == points, row
    assert (row["total"], row["maximum"], row["note_sur_20"]) == (total, "6", note), row
    assert row["statut"] == status, row
    assert reason in row["motif"], row["motif"]
    assert row["fichier"] == f"rendus/{name}.ipynb"


def test_csv_has_one_row_per_submission_in_order_and_no_temp_file(batch: dict) -> None:
    assert batch["order"] == list(CASES)
    header = batch["out"].read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == "eleve;fichier;q1;q2;q3;q4;total;maximum;note_sur_20;statut;motif"
    assert sorted(p.name for p in batch["out"].parent.iterdir()) == [
        "notes-details.json", "notes-redactions.xlsx", "notes.csv"]


def test_status_and_reason_never_contradict(batch: dict) -> None:
    empty = batch["rows"]["vide"]
    assert empty["motif"] == "aucun exercice commencé : le notebook rendu est celui de l'énoncé"
    for row in batch["rows"].values():
        if row["statut"] in ("ok", "à noter"):
            assert "non remplie" not in row["motif"] and "non commencé" not in row["motif"]
        if row["statut"] == "non remplie":
            assert "erreurs Python" not in row["motif"]


def test_cli_writes_the_class_report(batch: dict) -> None:
    assert "rapport de classe : " in batch["run"].stdout
    page = (batch["tmp"] / "rapport.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Rapport de classe — Devoir de test" in page
    for name in ("corrompu", "autre_devoir", "vide"):  # illisible, autre devoir, non remplie
        assert f'<tr class="a-reprendre"><td>{name}</td>' in page


def test_no_submission_file_is_modified(batch: dict) -> None:
    assert batch["before"] == batch["after"]


def test_patching_the_checker_gains_nothing(batch: dict) -> None:
    cheat, honest = batch["rows"]["triche"], batch["rows"]["faux"]
    assert [cheat[k] for k in ("q1", "q2", "q3", "total")] == [honest[k] for k in ("q1", "q2", "q3", "total")]
    assert cheat["q1"] == "0"


def test_feedback_is_french_and_never_leaks_solutions_or_hidden_tests(batch: dict) -> None:
    files = sorted(batch["feedback"].glob("*.md"))
    assert [f.stem for f in files] == sorted(CASES)
    for f in files:
        text = f.read_text(encoding="utf-8")
        for secret in [*SOLUTION_LINES, HIDDEN, "Réponse modèle", "Barème", "BEGIN", "0.1294"]:
            assert secret not in text, (f.name, secret)
    renamed = (batch["feedback"] / "renomme.md").read_text(encoding="utf-8")
    assert "La variable « taux » n'existe pas" in renamed
    wrong = (batch["feedback"] / "faux.md").read_text(encoding="utf-8")
    assert "La valeur de « taux » n'est pas la bonne." in wrong
    assert "- À revoir : La valeur de « taux » n'est pas la bonne." in wrong
    assert "  - Indice : Cherchez t tel que (1 - t)^5 = 0,5." in wrong
    assert "| q1 | 0 / 2 | À revoir |" in wrong
    own_error = (batch["feedback"] / "erreur_eleve.md").read_text(encoding="utf-8")
    assert "cellule « q2_reponse » : ValueError — Écrivez 0.2 pour 20 %." in own_error
    assert "Erreurs dans vos cellules" not in wrong  # pas de section vide
    right = (batch["feedback"] / "juste.md").read_text(encoding="utf-8")
    assert "> La fidélisation rapporte : un client fidèle achète plus souvent." in right
    assert "**Points automatiques : 4 / 6**" in right
    assert "en attente de notation" in right and "à corriger" not in right
    empty = (batch["feedback"] / "vide.md").read_text(encoding="utf-8")
    assert "| q4 | 0 / 2 | pas de réponse rédigée |" in empty and "à corriger" not in empty
    assert "**Note : 0 / 20** (0 / 6 points)." in empty
    assert "## q1 (2 pts)" in empty and "## q2 (1 pt)" in empty
    corrupt = (batch["feedback"] / "corrompu.md").read_text(encoding="utf-8")
    assert ".." not in corrupt.replace("...", "")
    for f in files:
        text = f.read_text(encoding="utf-8")
        assert " 2 pt " not in text and " 3 pt " not in text and "//" not in text
        assert not any(ord(ch) >= 0x2600 for ch in text), f.name  # mots simples, pas d'émoji


def _kernel_children() -> set[int]:
    """PID des noyaux (et du zygote qui les clone) encore lancés par ce processus (Linux : /proc)."""
    pids: set[int] = set()
    for task in Path("/proc/self/task").glob("*/children"):
        for pid in task.read_text().split():
            cmd = Path(f"/proc/{pid}/cmdline")
            if cmd.exists() and (b"ipykernel" in cmd.read_bytes() or b"grading.zygote" in cmd.read_bytes()):
                pids.add(int(pid))
    return pids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def test_kernel_pool_gives_a_new_process_per_copy_and_cleans_up() -> None:
    import time

    from coursehelpers.grading import zygote
    from coursehelpers.grading.runner import KernelPool, release

    before = _kernel_children()
    pool = KernelPool(ahead=1)
    first = pool.take()  # lance aussi le noyau suivant
    second = pool.take()
    ahead = pool._ready[0]
    pids = [k.km.provisioner.pid for k in (first, second, ahead)]
    assert len(set(pids)) == 3 and first.cwd != second.cwd
    assert all(_alive(pid) for pid in pids)
    # sous Linux, chaque noyau est un clone neuf du zygote préchargé (pas un processus réutilisé)
    assert isinstance(first.km, zygote.ForkKernelManager) == zygote.available()
    for kernel in (first, second):
        release(kernel)
        assert not Path(kernel.cwd).exists()
    pool.close()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in pids)
    assert _kernel_children() - before == set()


def test_cloned_kernels_never_outlive_their_zygote() -> None:
    """Correcteur tué net : son zygote disparaît, et les noyaux clonés s'arrêtent d'eux-mêmes."""
    import time

    from coursehelpers.grading import zygote
    from coursehelpers.grading.runner import KernelPool

    if not zygote.available():
        pytest.skip("noyaux clonés indisponibles ici (pas Linux ou autre kernelspec)")
    pool = KernelPool(ahead=0)
    kernel = pool._launch()
    pid = kernel.km.provisioner.pid
    try:
        assert _alive(pid)
        pool._zygote.proc.kill()  # comme si le processus de correction mourait
        deadline = time.monotonic() + 15
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(pid)
    finally:
        if _alive(pid):
            os.kill(pid, 9)
        pool.close()


def test_sequential_grading_never_shares_a_kernel_between_students(tmp_path: Path) -> None:
    """Avec des noyaux démarrés d'avance, une copie ne voit rien de la précédente."""
    from coursehelpers.grading.autograde import grade

    solution = write_tiny(tmp_path)
    exercise = notebook_io.student_version(notebook_io.read(solution))
    leak = ("import coursehelpers\ncoursehelpers._fuite = 1 - 0.5 ** (1 / 5)\n" + RIGHT["q1_reponse"])
    reuse = "import coursehelpers\ntaux = getattr(coursehelpers, '_fuite', 0.5)"
    paths = [save(_copy(exercise, {"q1_reponse": leak}), tmp_path / "a_juste.ipynb"),
             save(exercise, tmp_path / "b_vide.ipynb"),
             save(_copy(exercise, {"q1_reponse": reuse}), tmp_path / "c_reprise.ipynb")]
    before = _kernel_children()
    rows = grade(solution, paths, out=tmp_path / "notes.csv", jobs=1, timeout=20,
                 cache_dir=tmp_path / "cache", show_progress=False)
    assert [(r["eleve"], r["q1"]) for r in rows] == [("a_juste", "2"), ("b_vide", "0"),
                                                       ("c_reprise", "0")]
    assert _kernel_children() - before == set()  # aucun noyau d'avance oublié


def test_parallel_grading_gives_exactly_the_sequential_results(tmp_path: Path) -> None:
    """``--jobs 2`` (deux fils, un zygote partagé) et ``--jobs 1`` : mêmes lignes, mêmes verdicts,
    et aucun noyau laissé derrière."""
    import json

    from coursehelpers.grading.autograde import grade

    solution = write_tiny(tmp_path)
    exercise = notebook_io.student_version(notebook_io.read(solution))
    wrong = {"q1_reponse": "taux = 0.5", "q2_reponse": "clients = ['durand']",
             "q3_reponse": 'reponse_q3 = "A"'}
    paths = []
    (tmp_path / "rendus").mkdir()
    for i in range(6):  # la copie i a juste la question k si le bit k de i vaut 1
        changes = {gid: RIGHT[gid] if (i >> k) & 1 else wrong[gid] for k, gid in enumerate(wrong)}
        paths.append(save(_copy(exercise, changes), tmp_path / "rendus" / f"eleve{i}.ipynb"))
    before = _kernel_children()
    kw = {"timeout": 20, "cache_dir": tmp_path / "cache", "show_progress": False}
    one = grade(solution, paths, out=tmp_path / "un" / "notes.csv", jobs=1, **kw)
    two = grade(solution, paths, out=tmp_path / "deux" / "notes.csv", jobs=2, **kw)
    assert one == two
    assert [r["total"] for r in two] == ["0", "2", "1", "3", "1", "3"]
    details = [json.loads((tmp_path / d / "notes-details.json").read_text(encoding="utf-8"))["copies"]
               for d in ("un", "deux")]
    assert details[0] == details[1]
    assert _kernel_children() - before == set()


def test_resume_reruns_only_new_changed_and_regrade_copies(tmp_path: Path, monkeypatch) -> None:
    """``corriger --reprendre`` : une copie inchangée reprend son résultat sans être exécutée ; une
    copie modifiée, une copie nouvelle et une copie « à regrader » sont corrigées ; une autre
    solution fait tout recorriger."""
    import json

    from coursehelpers.grading import autograde

    solution = write_tiny(tmp_path)
    exercise = notebook_io.student_version(notebook_io.read(solution))
    (tmp_path / "rendus").mkdir()
    same = save(_copy(exercise, {}), tmp_path / "rendus" / "ada.ipynb")
    changed = save(_copy(exercise, {"q1_reponse": "taux = 0.5"}), tmp_path / "rendus" / "bob.ipynb")
    broken = save(_copy(exercise, {}), tmp_path / "rendus" / "cyd.ipynb")
    out = tmp_path / "notes.csv"
    kw = {"out": out, "jobs": 1, "timeout": 20, "cache_dir": tmp_path / "cache", "show_progress": False}
    first = autograde.grade(solution, [same, changed, broken], **kw)
    assert [r["q1"] for r in first] == ["2", "0", "2"]
    details = json.loads(autograde.details_path(out).read_text(encoding="utf-8"))
    details["copies"][2]["statut"] = "à regrader"  # panne de la machine sur cette copie
    autograde.details_path(out).write_text(json.dumps(details), encoding="utf-8")

    save(_copy(exercise, {}), changed)  # bob corrige sa copie
    late = save(_copy(exercise, {"q2_reponse": "clients = []"}), tmp_path / "rendus" / "dan.ipynb")
    executed: list[str] = []
    real = autograde.grade_one
    monkeypatch.setattr(autograde, "grade_one", lambda path, *a, **k: executed.append(Path(path).stem)
                        or real(path, *a, **k))
    rows = autograde.grade(solution, [same, changed, broken, late], resume=True, **kw)
    assert sorted(executed) == ["bob", "cyd", "dan"]
    assert [(r["eleve"], r["q1"], r["q2"], r["statut"]) for r in rows] == [
        ("ada", "2", "1", "ok"), ("bob", "2", "1", "ok"), ("cyd", "2", "1", "ok"),
        ("dan", "2", "0", "ok")]

    executed.clear()  # autre solution (ou autre version du cours) : rien n'est repris
    changed_solution = notebook_io.read(solution)
    changed_solution["cells"][0]["source"] += "\n\nVersion 2."
    notebook_io.write(changed_solution, solution)
    autograde.grade(solution, [same, changed], resume=True, **kw)
    assert sorted(executed) == ["ada", "bob"]
