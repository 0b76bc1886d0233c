"""Chaque cahier d'exercices, corrigé par `coursehelpers grade` :
la version élève intacte vaut 0 (statut « non remplie »), la solution complète a tous les points
automatiques, et ses réponses rédigées restent « à noter » par le formateur (pas encore de note sur 20)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from repo import ROOT, SOLUTIONS

from coursehelpers.grading import notebook_io
from coursehelpers.grading.autograde import grade

EXERCISE_FILES = [ROOT / "exercises" / p.name for p in SOLUTIONS]
CASE_STUDY = ROOT / "solutions" / "12_etude_de_cas.ipynb"


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Réponses attendues calculées une fois par solution pour tout le module."""
    return tmp_path_factory.mktemp("cache")


def _number(text: str) -> float:
    return float(str(text).replace(",", "."))


@pytest.mark.notebook
@pytest.mark.parametrize("solution", SOLUTIONS, ids=[p.stem for p in SOLUTIONS])
def test_untouched_scores_zero_and_solved_scores_the_maximum(solution: Path, tmp_path: Path,
                                                            cache: Path) -> None:
    exercise = ROOT / "exercises" / solution.name
    untouched = tmp_path / "intact.ipynb"
    untouched.write_bytes(exercise.read_bytes())
    solved = tmp_path / "resolu.ipynb"
    solved.write_bytes(solution.read_bytes())
    rows = grade(solution, [untouched, solved], out=tmp_path / "notes.csv", jobs=1,
                 cache_dir=cache, show_progress=False)
    empty, full = rows
    summary = notebook_io.points_summary(notebook_io.read(solution))
    auto, manual = summary["auto"], summary["manuels"]
    assert auto > 0 and len(manual) >= 1, "un cahier a des points automatiques et une réponse rédigée"
    assert (_number(empty["total"]), empty["statut"]) == (0.0, "non remplie"), empty
    assert empty["note_sur_20"] == "0", empty
    assert empty["motif"].startswith("aucun exercice commencé"), empty
    assert full["statut"] == "à noter", full
    assert _number(full["total"]) == auto, full
    assert _number(full["maximum"]) == auto + summary["rediges"], full
    assert full["note_sur_20"] == "", full
    for grade_id in manual:
        assert full[grade_id] == "à noter"


def test_readme_lists_every_workbook_with_its_points() -> None:
    """Le plan du cours (README) donne, pour chaque cahier, le nombre d'exercices et le barème."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = {m.group(1): m.groups()[1:4] for m in re.finditer(
        r"^\| `(\d\d_\w+)` \| (\d+) \| (\d+) \| (\d+) \|", readme, flags=re.MULTILINE)}
    assert sorted(rows) == [p.stem for p in SOLUTIONS]
    for path in SOLUTIONS:
        s = notebook_io.points_summary(notebook_io.read(path))
        expected = (str(s["exercices"]), f"{s['auto']:g}", f"{s['rediges']:g}")
        assert rows[path.stem] == expected, path.stem


@pytest.mark.notebook
@pytest.mark.parametrize("exercise", EXERCISE_FILES, ids=[p.stem for p in EXERCISE_FILES])
def test_untouched_workbook_runs_to_the_bilan_without_stopping(exercise: Path, tmp_path: Path) -> None:
    """« Redémarrer le noyau et exécuter toutes les cellules » : rien n'arrête l'exécution.

    Les cellules de vérification échouent (étiquette ``raises-exception``), les autres non :
    nbclient avec ``allow_errors=False`` va jusqu'au bilan, qui s'affiche."""
    nb = nbformat.read(exercise, as_version=4)
    tags = {notebook_io.grade_id(c): c.metadata.get("tags", []) for c in nb.cells}
    for cell in nb.cells:
        if notebook_io.cell_kind(cell) == "test":
            assert tags[notebook_io.grade_id(cell)] == ["raises-exception"]
            assert cell.source.startswith(f'check("{notebook_io.grade_id(cell)}")')
    NotebookClient(nb, timeout=180, kernel_name="python3", allow_errors=False,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    bilan = next(c for c in nb.cells if notebook_io.grade_id(c) == "bilan")
    text = "".join(o.get("data", {}).get("text/plain", "") for o in bilan.outputs)
    html = "".join(o.get("data", {}).get("text/html", "") for o in bilan.outputs)
    assert text.startswith("À faire — Bilan indicatif : 0 / "), text
    assert "pas encore répondu" in text and "À faire" in html
    for cell in nb.cells:  # aucune trace Python dans les cellules fournies
        if notebook_io.cell_kind(cell) != "test":
            assert not [o for o in cell.get("outputs", []) if o.get("output_type") == "error"], cell.source


def test_the_library_advice_on_as_of_gives_the_right_answer() -> None:
    """Revue 4 : « transactions[transactions["date"] <= as_of] » gardait les 42 lignes du 01/01/2025."""
    import re

    import coursehelpers as ch
    from coursehelpers import rfm
    from coursehelpers.errors import DataError

    transactions = ch.datasets.load_transactions()
    as_of = "2025-01-01"
    with pytest.raises(DataError) as info:
        rfm.rfm_table(transactions, as_of=as_of)
    advice = re.search(r"transactions\[transactions\[\"date\"\] (<=?) as_of\]", str(info.value))
    assert advice and advice.group(1) == "<", str(info.value)
    kept = eval(advice.group(0), {"transactions": transactions, "as_of": as_of})  # le conseil, tel quel
    assert not (kept["date"] == as_of).any() and (transactions["date"] == as_of).sum() == 42
    expected = rfm.rfm_table(transactions[transactions["date"] < "2025-01-01"], as_of=as_of)
    assert rfm.rfm_table(kept, as_of=as_of).equals(expected)


def test_checks_test_what_they_teach() -> None:
    """Revue 4 : wb03 ex3, la cliente choisie a des avoirs (le filtre montant > 0 change la réponse) ;
    wb06 ex1/ex7, plus d'order="commande_id" inutile (une commande par ligne dans transactions.csv)."""
    import coursehelpers as ch

    transactions = ch.datasets.load_transactions()
    assert transactions["commande_id"].is_unique  # d'où : order="commande_id" ne change rien
    wb06 = (ROOT / "solutions" / "06_rfm.ipynb").read_text(encoding="utf-8")
    assert "commande_id\\\" : sans elle" not in wb06 and 'order=\\"commande_id\\"' not in wb06
    lines = transactions[(transactions["client_id"] == "C02612") & (transactions["date"].dt.year == 2024)]
    assert len(lines) == 22 and (lines["montant"] > 0).sum() == 20  # deux avoirs en 2024
    wb03 = (ROOT / "solutions" / "03_hierarchisation_services.ipynb").read_text(encoding="utf-8")
    assert "C02612" in wb03 and "C02729" not in wb03


@pytest.mark.notebook
def test_a_student_stuck_at_step_1_of_the_case_study_can_go_on(tmp_path: Path, cache: Path) -> None:
    """wb12 : bloqué à l'exercice 1, l'élève écrit ventes = secours("ventes") au début de l'étape 2 ;
    la suite s'exécute sans trace, l'étape 2 rapporte ses points, l'étape 1 aucun."""
    nb = notebook_io.read(ROOT / "exercises" / "12_etude_de_cas.ipynb")
    sol = {notebook_io.grade_id(c): c.source for c in notebook_io.read(CASE_STUDY).cells}
    for cell in nb.cells:
        gid = notebook_io.grade_id(cell)
        if gid == "ex2_reponse":
            body = "\n".join(notebook_io.region_lines(sol[gid], "SOLUTION"))
            cell.source = 'ventes = secours("ventes")\n' + body
    path = tmp_path / "bloque.ipynb"
    notebook_io.write(nb, path)
    run = nbformat.read(path, as_version=4)
    NotebookClient(run, timeout=180, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    out = {notebook_io.grade_id(c): c.get("outputs", []) for c in run.cells if notebook_io.grade_id(c)}
    text = {k: "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in v)
            for k, v in out.items()}
    assert text["ex1"].startswith("À faire — exercice 1 : 0 / 2 points"), text["ex1"]
    assert "valeur de secours pour « ventes »" in text["ex2_reponse"]
    assert text["ex2"].startswith("Juste — exercice 2 : 2 / 2 points"), text["ex2"]
    kinds = {c.metadata.get("nbgrader", {}).get("grade_id"): notebook_io.cell_kind(c) for c in run.cells}
    errors = [k for k, v in out.items() if kinds.get(k) != "test"
              for o in v or [] if o.get("output_type") == "error"]
    assert not errors, errors  # aucune trace Python dans les cellules fournies ni dans la sienne
    rows = grade(CASE_STUDY, [path], out=tmp_path / "notes.csv", jobs=1, cache_dir=cache,
                 show_progress=False)
    assert (rows[0]["ex1"], rows[0]["ex2"]) == ("0", "2"), rows[0]


@pytest.mark.parametrize(("workbook", "grade_id", "name", "width"), [
    ("03_hierarchisation_services", "ex4", "part_ca_fer_plomb", 2),  # revue 1 : 28, 29, 31, 32 refusés
    ("02_relation_client", "ex6", "ecart_points", 1),
])
def test_figure_readings_accept_the_declared_margin_in_the_student_notebook(
        workbook: str, grade_id: str, name: str, width: int) -> None:
    """Dans la version élève (empreintes seules) : exactement les entiers à ±width de la valeur lue
    sont acceptés, et un refus ne parle jamais d'arrondi."""
    import re

    from coursehelpers.grading.checks import decode_checks
    from coursehelpers.grading.rule import judge

    nb = notebook_io.read(ROOT / "exercises" / f"{workbook}.ipynb")
    setup = next(c for c in nb["cells"] if notebook_io.grade_id(c) == "verifications")
    spec = decode_checks(re.search(r'load_checks\("([^"]+)"\)', setup["source"]).group(1))[
        "exercises"][grade_id]["specs"][name]
    accepted = [x for x in range(0, 101) if judge({"t": "num", "v": x}, spec, name=name).ok]
    assert len(accepted) == 2 * width + 1 and accepted == list(range(accepted[0], accepted[-1] + 1))
    refused = judge({"t": "num", "v": accepted[-1] + 1}, spec, name=name)
    assert "lecture de graphique" in refused.message and "arrondi" not in refused.message
