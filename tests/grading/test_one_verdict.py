"""Propriété « un seul verdict » : pour toute variante de toute réponse notée de chaque cahier,
la vérification du notebook (``check()`` dans un vrai noyau, avec les empreintes enregistrées dans
la cellule technique) et le correcteur en lot (relevé JSON + règle du correcteur, spécification
recalculée depuis la solution) donnent les mêmes réponses justes et les mêmes points.

Un seul noyau pour tous les cahiers (le démarrage et ``import pandas`` ne se paient qu'une fois) :
chaque solution s'exécute, les réponses attendues sont copiées juste avant chaque cellule de
vérification (là où le correcteur les relève), puis toutes les variantes (tests/grading/variants.py)
sont jugées dans ce noyau, avec les vérifications chargées par la cellule technique du cahier.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from repo import SOLUTIONS

from coursehelpers.grading import notebook_io
from coursehelpers.grading.assignment import exercises_of, grade_answers, specs_of

MARK = "@@une-seule-regle@@"
VARIANTS = (Path(__file__).with_name("variants.py")).read_text(encoding="utf-8")

CAPTURE = """import copy as __ch_copy
__ch_base = globals().setdefault("__ch_base", {{}})
__ch_base[{gid!r}] = {{__n: __ch_copy.deepcopy(globals()[__n]) for __n in {names!r}}}
"""
RESET = "__ch_base = {{}}\nimport os as __ch_os\n__ch_os.chdir({path!r})\n"

HARNESS = """def __ch_property():
    import contextlib, io, json
    from coursehelpers.grading import checks
    from coursehelpers.grading.encode import snapshot
    checks.show = lambda block: None  # pas d'affichage pour des milliers de variantes
    lib = {{}}
    exec({variants!r}, lib)
    out = []
    for gid, base in __ch_base.items():
        names = list(base)
        for name in names:
            for label, value in lib["variants"](base[name]):
                env = dict(base)
                env[name] = value
                try:
                    checks.check(gid, namespace=env)
                except checks.CheckFailed:
                    pass
                got, oks = checks.results()[gid]
                out.append([gid, name, label, got, oks, snapshot(names, env)])
    expected = {{gid: snapshot(list(base), base) for gid, base in __ch_base.items()}}
    return {{"expected": expected, "variants": out}}
__ch_result = __ch_property()
print({mark!r} + {stem!r} + {mark!r} + __import__("json").dumps(__ch_result))
"""


@pytest.fixture(scope="module")
def judged(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Toutes les solutions et leurs variantes, jugées dans un seul noyau."""
    cells = []
    for solution in SOLUTIONS:
        work = tmp_path_factory.mktemp(solution.stem)
        cells.append(nbformat.v4.new_code_cell(RESET.format(path=str(work))))
        for cell in notebook_io.read(solution).cells:
            if notebook_io.cell_kind(cell) == "test" and cell.cell_type == "code":
                names = notebook_io.ch_meta(cell).get("answers", [])
                cells.append(nbformat.v4.new_code_cell(CAPTURE.format(gid=notebook_io.grade_id(cell),
                                                                      names=names)))
            cells.append(copy.deepcopy(cell))
        harness = HARNESS.format(variants=VARIANTS, mark=MARK, stem=solution.stem)
        cells.append(nbformat.v4.new_code_cell(harness))
    for i, cell in enumerate(cells):
        cell["id"] = f"c{i:04d}"
    run = nbformat.v4.new_notebook(cells=cells, metadata=notebook_io.read(SOLUTIONS[0]).metadata)
    NotebookClient(run, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path_factory.getbasetemp())}}).execute()
    out: dict[str, dict] = {}
    for cell in run.cells:
        for o in cell.get("outputs", []):
            text = o.get("text", "") if o.get("output_type") == "stream" else ""
            if text.startswith(MARK):
                _, stem, payload = text.split(MARK, 2)
                out[stem] = json.loads(payload)
            assert not (o.get("output_type") == "error" and MARK in cell.source), o
    return out


@pytest.mark.notebook
@pytest.mark.parametrize("solution", SOLUTIONS, ids=[p.stem for p in SOLUTIONS])
def test_notebook_check_and_batch_grader_agree_on_every_variant(solution: Path, judged: dict) -> None:
    data = judged[solution.stem]
    exercises = [e for e in exercises_of(notebook_io.read(solution)) if not e.manual]
    specs = specs_of(exercises, data["expected"])  # comme autograde : depuis la solution exécutée
    by_id = {e.grade_id: e for e in exercises}
    owners = {var: e.grade_id for e in exercises for var in e.answers}
    disagreements = []
    for gid, name, label, nb_got, nb_oks, snap in data["variants"]:
        verdicts, got = grade_answers(by_id[gid], specs[gid], snap, owners=owners)
        if [v[1] for v in verdicts] != nb_oks or got != nb_got:
            disagreements.append((gid, name, label, nb_oks, [v[1] for v in verdicts]))
    assert {gid for gid, *_ in data["variants"]} == set(by_id), "chaque exercice noté est essayé"
    exact = [row for row in data["variants"] if row[2] == "exact"]
    wrong = [(gid, name) for gid, name, _, _, oks, _ in exact if not all(oks)]
    assert exact and not wrong, (
        f"la réponse de la solution doit être juste : {wrong}. Empreintes périmées (la bibliothèque a "
        "changé la valeur ?) : retirez metadata.coursehelpers.signed_sha du notebook solution, puis "
        "lancez « coursehelpers exercices »")
    assert len(data["variants"]) >= 10 * len(by_id)
    print(f"{solution.stem} : {len(data['variants'])} variantes, {len(disagreements)} désaccord(s)")
    assert not disagreements, disagreements[:10]
