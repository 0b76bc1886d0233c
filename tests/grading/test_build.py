"""build-exercises : octets déterministes, exercices périmés détectés, aucune fuite, copies protégées."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from repo import ROOT
from tiny_course import HIDDEN, SOLUTION_LINES, tiny_assignment, write_tiny

from coursehelpers.grading import notebook_io
from coursehelpers.grading.build import build_exercises, needs_signing
from coursehelpers.grading.checks import decode_checks

PAIRS = [(s, ROOT / "exercises" / s.name) for s in sorted((ROOT / "solutions").glob("*.ipynb"))]


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coursehelpers", "build-exercises", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Un dossier de cours avec le petit devoir, signé et généré une fois (un seul noyau)."""
    tmp = tmp_path_factory.mktemp("course")
    write_tiny(tmp)
    run = _cli(cwd=tmp)
    assert run.returncode == 0, run.stderr
    assert "empreintes recalculées" in run.stdout and "écrit : exercises/01_test.ipynb" in run.stdout
    return tmp


def test_signing_fills_fingerprints_from_the_executed_solution(course: Path) -> None:
    nb = notebook_io.read(course / "solutions" / "01_test.ipynb")
    assert not needs_signing(nb)
    tests = [c["source"] for c in nb["cells"] if notebook_io.cell_kind(c) == "test"]
    hidden = "\n### BEGIN HIDDEN TESTS\n" + HIDDEN + "\n### END HIDDEN TESTS"
    # une ligne vue par l'élève ; les tests cachés restent côté formateur
    assert tests == ['check("q1")', 'check("q2")' + hidden, 'check("q3")']
    setup = next(c for c in nb["cells"] if notebook_io.grade_id(c) == "verifications")
    assert setup["metadata"]["jupyter"] == {"source_hidden": True}
    blob = re.search(r'load_checks\("([^"]+)"\)', setup["source"]).group(1)
    data = decode_checks(blob)
    kinds = [data["exercises"][q]["specs"][v]["t"] for q, v in (("q1", "taux"), ("q2", "clients"),
                                                                 ("q3", "reponse_q3"))]
    assert kinds == ["num", "list", "str"]  # nombre, liste, texte
    assert data["exercises"]["q1"]["hints"]["taux"].startswith("Cherchez t")
    assert all(c["metadata"]["tags"] == ["raises-exception"] for c in nb["cells"]
               if notebook_io.cell_kind(c) == "test")


def test_output_is_deterministic_and_check_passes(course: Path, tmp_path: Path) -> None:
    first = (course / "exercises" / "01_test.ipynb").read_bytes()
    report = build_exercises(course / "solutions", tmp_path / "again")
    assert report.ok and not report.signed  # déjà signé : aucune exécution
    assert (tmp_path / "again" / "01_test.ipynb").read_bytes() == first
    assert first.endswith(b"\n") and b'"nbformat_minor": 5' in first
    nb = json.loads(first)
    assert all(c.get("outputs", []) == [] and c.get("execution_count") is None
               for c in nb["cells"] if c["cell_type"] == "code")
    run = _cli("--check", cwd=course)
    assert run.returncode == 0, run.stderr


def test_student_version_has_stubs_and_no_leak(course: Path) -> None:
    text = (course / "exercises" / "01_test.ipynb").read_text(encoding="utf-8")
    nb = json.loads(text)
    sources = {c["id"]: c["source"] for c in nb["cells"]}
    assert sources["q1_reponse"].endswith("# VOTRE CODE ICI\ntaux = ...")
    assert "reponse_q3 = ...\nquiz.single_choice(" in sources["q3_reponse"]
    assert sources["q4"] == "VOTRE RÉPONSE ICI"
    for secret in [*SOLUTION_LINES, HIDDEN, "BEGIN SOLUTION", "HIDDEN TESTS", "Barème", '"B"']:
        assert secret not in text, secret


def test_stub_raises_not_implemented_when_no_answer_variable_is_assigned() -> None:
    nb = tiny_assignment()
    i = next(i for i, c in enumerate(nb["cells"]) if notebook_io.grade_id(c) == "q1_reponse")
    nb["cells"][i]["metadata"]["coursehelpers"]["answers"] = []
    student = notebook_io.student_version(nb)
    assert student["cells"][i]["source"].endswith(
        '# VOTRE CODE ICI\nraise NotImplementedError("Écrivez votre code à la place de cette ligne.")')


def test_check_lists_stale_files_and_exits_non_zero(course: Path, tmp_path: Path) -> None:
    sol = tmp_path / "solutions"
    sol.mkdir()
    nb = notebook_io.read(course / "solutions" / "01_test.ipynb")
    notebook_io.write(nb, sol / "01_test.ipynb")
    run = _cli("--check", cwd=tmp_path)
    assert run.returncode == 1
    assert "PÉRIMÉ : exercises/01_test.ipynb : absent" in run.stderr
    nb["cells"][0]["source"] += "\n\nUne phrase de plus."  # texte verrouillé modifié : pas de ré-exécution
    notebook_io.write(nb, sol / "01_test.ipynb")
    (tmp_path / "exercises").mkdir()
    generated = (course / "exercises" / "01_test.ipynb").read_bytes()
    (tmp_path / "exercises" / "01_test.ipynb").write_bytes(generated)
    run = _cli("--check", cwd=tmp_path)
    assert run.returncode == 1
    assert "solutions/01_test.ipynb : empreintes à recalculer" in run.stderr
    assert "exercises/01_test.ipynb : périmé" in run.stderr


def test_refuses_to_overwrite_a_student_edited_notebook_unless_forced(course: Path, tmp_path: Path) -> None:
    (tmp_path / "solutions").mkdir()
    src = notebook_io.read(course / "solutions" / "01_test.ipynb")
    src["cells"][0]["source"] = "# Devoir modifié"
    src["metadata"]["coursehelpers"]["signed_sha"] = __import__(
        "coursehelpers.grading.build", fromlist=["solution_sha"]).solution_sha(src)
    notebook_io.write(src, tmp_path / "solutions" / "01_test.ipynb")
    target = tmp_path / "exercises" / "01_test.ipynb"
    target.parent.mkdir()
    edited = json.loads((course / "exercises" / "01_test.ipynb").read_text(encoding="utf-8"))
    edited["cells"][1]["source"] = "taux = 0.13  # mon travail"
    target.write_text(json.dumps(edited), encoding="utf-8")
    before = target.read_bytes()
    run = _cli(cwd=tmp_path)
    assert run.returncode == 1 and "REFUSÉ" in run.stderr and "--force" in run.stderr
    assert target.read_bytes() == before  # rien n'est perdu
    run = _cli("--force", cwd=tmp_path)
    assert run.returncode == 0 and "# Devoir modifié" in target.read_text(encoding="utf-8")
    # Un exercice généré mais périmé (non modifié par un élève) est remplacé sans --force.
    src["cells"][0]["source"] = "# Devoir modifié deux fois"
    src["metadata"]["coursehelpers"]["signed_sha"] = __import__(
        "coursehelpers.grading.build", fromlist=["solution_sha"]).solution_sha(src)
    notebook_io.write(src, tmp_path / "solutions" / "01_test.ipynb")
    assert _cli(cwd=tmp_path).returncode == 0


@pytest.mark.parametrize(("solution", "exercise"), PAIRS, ids=[p[0].stem for p in PAIRS])
def test_repository_exercises_are_up_to_date_and_leak_free(solution: Path, exercise: Path) -> None:
    src = notebook_io.read(solution)
    assert not needs_signing(src), f"{solution.name} : lancez coursehelpers build-exercises"
    expected = notebook_io.dumps(notebook_io.student_version(src))
    assert exercise.exists() and exercise.read_text(encoding="utf-8") == expected, (
        f"{exercise.name} est périmé : lancez coursehelpers build-exercises")
    text = exercise.read_text(encoding="utf-8")
    for cell in src["cells"]:
        for tag in ("SOLUTION", "HIDDEN TESTS"):
            for line in notebook_io.region_lines(cell["source"], tag):
                if len(line.strip()) >= 8 and not line.strip().isidentifier():  # « ca_par_canal » affiché
                    assert json.dumps(line.strip(), ensure_ascii=False)[1:-1] not in text, line


def test_a_solution_saved_during_signing_is_not_overwritten(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Deux générations en même temps, ou l'auteur qui enregistre pendant l'exécution :
    la nouvelle version de la solution n'est jamais écrasée par la copie signée de l'ancienne."""
    import coursehelpers.grading.build as build

    src = write_tiny(tmp_path)
    newer = src.read_text(encoding="utf-8").replace("Devoir", "Devoir (version 2)", 1)

    def author_saves_meanwhile(path, **kwargs):
        Path(path).write_text(newer, encoding="utf-8")
        return {}

    monkeypatch.setattr(build, "expected_values", author_saves_meanwhile)
    report = build_exercises(tmp_path / "solutions", tmp_path / "exercises")
    assert not report.ok and "modifié pendant la génération" in report.stale[0]
    assert src.read_text(encoding="utf-8") == newer
    assert not (tmp_path / "exercises" / src.name).exists()


def test_tiny_assignment_has_nbgrader_metadata() -> None:
    nb = tiny_assignment()
    metas = [c["metadata"].get("nbgrader") for c in nb["cells"]]
    assert all(m and m["schema_version"] == 3 for m in metas)
    tests = [m for m in metas if m["grade"] and not m["solution"]]
    assert [(m["grade_id"], m["points"]) for m in tests] == [("q1", 2), ("q2", 1), ("q3", 1)]
    manual = [m for m in metas if m["grade"] and m["solution"]]
    assert [m["grade_id"] for m in manual] == ["q4"]
    assert all(m["locked"] for m in tests)
