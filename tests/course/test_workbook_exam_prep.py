"""Les cahiers préparent l'examen : un calcul à la main de type E5A noté automatiquement, une
argumentation qui porte au moins un tiers des points, les épreuves de la carte du cours, une durée
estimée par une règle annoncée et reprise telle quelle dans le README (revue de contenu, C et E)."""

from __future__ import annotations

import math
import re

import pytest
from repo import ROOT, SOLUTIONS

from coursehelpers import course_map
from coursehelpers.grading import notebook_io

# Règle d'estimation annoncée dans chaque cahier (cellule « organisation ») et dans le README.
MINUTES = {"code": 8, "choix": 4, "main": 6}
MINUTES_PER_WRITTEN_POINT, FIXED_MINUTES = 5, 10


def _cells(path):
    return notebook_io.read(path)["cells"]


def _gid(cell) -> str:
    return ((cell.get("metadata") or {}).get("nbgrader") or {}).get("grade_id") or ""


def _text(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.stem for p in SOLUTIONS])
def test_one_hand_calculation_like_e5a_graded_automatically(path) -> None:
    cells = _cells(path)
    statements = [c for c in cells if _gid(c).endswith("_enonce") and "comme à l'écrit E5A" in _text(c)]
    assert statements, f"{path.name} : aucun calcul à la main de type E5A"
    for st in statements:
        number = _gid(st).removesuffix("_enonce")
        check = [c for c in cells if _gid(c) == number]
        assert check and check[0]["cell_type"] == "code", f"{path.name} : {number} non noté automatiquement"
        answer = next(c for c in cells if _gid(c) == f"{number}_reponse")
        body = re.search(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", _text(answer), re.S).group(1)
        assert "datasets" not in body and "(" not in body, "un calcul à la main ne demande pas de code"
        assert "calculatrice" in _text(st)


@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.stem for p in SOLUTIONS])
def test_written_arguments_carry_a_third_of_the_points(path) -> None:
    s = notebook_io.points_summary(notebook_io.read(path))
    assert s["rediges"] * 3 >= s["auto"] + s["rediges"], (path.name, s)


@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.stem for p in SOLUTIONS])
def test_workbook_names_the_exams_of_the_course_map(path) -> None:
    text = "\n".join(_text(c) for c in _cells(path) if _gid(c) == "organisation")
    assert "**Épreuves**" in text, f"{path.name} : la rubrique Épreuves manque"
    named = set(re.findall(r"\*\*(E4|E5A|E5B|E6)\*\*", text))
    assert named == set(course_map.entry(path.stem, "cahier").exams), (path.name, named)


@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.stem for p in SOLUTIONS])
def test_duration_is_estimated_and_matches_the_readme(path) -> None:
    text = "\n".join(_text(c) for c in _cells(path) if _gid(c) == "organisation")
    m = re.search(r"\*\*Durée\*\* : environ \*\*([^*]+)\*\* \((\d+ min par exercice de code[^)]*)\)", text)
    assert m, f"{path.name} : durée sans sa règle d'estimation"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = re.search(rf"^\| `{path.stem}` \| \d+ \| [\d,.]+ \| [\d,.]+ \| ([^|]+) \|", readme, re.M)
    assert row and row.group(1).strip().startswith(m.group(1)), (path.name, m.group(1), row and row.group(1))


def _kind(cells, number: str) -> str:
    """Type d'un exercice noté automatiquement : question à choix, calcul à la main ou code."""
    by_id = {_gid(c): _text(c) for c in cells}
    if "quiz." in by_id.get(f"{number}_reponse", ""):
        return "choix"
    if "comme à l'écrit E5A" in by_id.get(f"{number}_enonce", ""):
        return "main"
    return "code"


def _minutes(text: str) -> int:
    m = re.fullmatch(r"(?:(\d+) h)? ?(\d+)?(?: min)?", text.strip())
    assert m and any(m.groups()), text
    return 60 * int(m.group(1) or 0) + int(m.group(2) or 0)


@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.stem for p in SOLUTIONS])
def test_duration_follows_the_announced_rule(path) -> None:
    """Durée annoncée = somme de la règle, arrondie aux 5 minutes supérieures (revue E : durées)."""
    cells = _cells(path)
    text = "\n".join(_text(c) for c in cells if _gid(c) == "organisation")
    stated = re.search(r"\*\*Durée\*\* : environ \*\*([^*]+)\*\*", text).group(1)
    total = FIXED_MINUTES
    for cell in cells:
        meta = (cell.get("metadata") or {}).get("nbgrader") or {}
        if not meta.get("grade"):
            continue
        if cell["cell_type"] == "markdown":
            total += MINUTES_PER_WRITTEN_POINT * float(meta.get("points", 0))
        else:
            total += MINUTES[_kind(cells, _gid(cell))]
    expected = math.ceil(total / 5) * 5
    assert _minutes(stated) == expected, (path.name, stated, total)


# Tous les cahiers : chaque réponse de code est guidée (revue E).
@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.stem for p in SOLUTIONS])
def test_code_answers_give_the_line_with_one_blank(path) -> None:
    """Chaque réponse de code donne, en commentaire, la ligne qui affecte la réponse avec un seul trou
    « ____ » à remplir : l'élève sans module de programmation complète, il n'écrit pas le code."""
    cells = _cells(path)
    by_id = {_gid(c): c for c in cells}
    checked = 0
    for cell in cells:
        meta = (cell.get("metadata") or {}).get("nbgrader") or {}
        if not meta.get("grade") or cell["cell_type"] != "code" or _kind(cells, _gid(cell)) != "code":
            continue
        answer = by_id[f"{_gid(cell)}_reponse"]
        given = _text(answer).split("### BEGIN SOLUTION")[0]
        for name in cell["metadata"]["coursehelpers"]["answers"]:
            models = [line for line in given.splitlines()
                      if re.match(rf"#\s+{name} = ", line) and line.count("____") == 1]
            assert models, f"{path.name} : {_gid(cell)} ne donne pas la ligne de « {name} » avec un trou"
            checked += 1
    assert checked >= 3, f"{path.name} : trop peu de réponses de code vérifiées ({checked})"


def _points_by_kind(cells) -> dict[str, float]:
    """Points du cahier par type d'exercice : code, choix, main (corrigés automatiquement), rédigé."""
    out = {"code": 0.0, "choix": 0.0, "main": 0.0, "redige": 0.0}
    for cell in cells:
        meta = (cell.get("metadata") or {}).get("nbgrader") or {}
        if not meta.get("grade"):
            continue
        kind = "redige" if cell["cell_type"] == "markdown" else _kind(cells, _gid(cell))
        out[kind] += float(meta.get("points", 0))
    return out


@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.stem for p in SOLUTIONS])
def test_code_exercises_carry_less_than_half_of_the_points(path) -> None:
    """Revue E : c'est le raisonnement marketing qui rapporte le plus. Les exercices de code (ni
    question à choix, ni calcul à la main) portent strictement moins de la moitié des points ; les
    réponses rédigées, les questions à choix et les calculs à la main, plus de la moitié."""
    points = _points_by_kind(_cells(path))
    total = sum(points.values())
    assert points["code"] * 2 < total, (path.name, points)


@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.stem for p in SOLUTIONS])
def test_stated_points_match_the_grading_metadata(path) -> None:
    """Le barème de la cellule « organisation » et le « (N points) » de chaque énoncé disent les points
    que donnent check() et le correcteur en lot (métadonnée nbgrader « points »)."""
    cells = _cells(path)
    s = notebook_io.points_summary(notebook_io.read(path))
    text = "\n".join(_text(c) for c in cells if _gid(c) == "organisation")
    stated = re.search(r"\*\*Barème\*\* : ([\d,]+) points corrigés automatiquement \+ ([\d,]+) points", text)
    assert stated, f"{path.name} : barème introuvable dans la cellule organisation"
    assert [float(x.replace(",", ".")) for x in stated.groups()] == [s["auto"], s["rediges"]], (path.name, s)
    by_id = {_gid(c): _text(c) for c in cells}
    for cell in cells:
        meta = (cell.get("metadata") or {}).get("nbgrader") or {}
        if not meta.get("grade"):
            continue
        gid = _gid(cell)
        heading = by_id.get(f"{gid}_enonce", "") + by_id.get(f"{gid}_figure_intro", "")
        found = re.search(r"Exercice \d+ — .*?\(([\d,]+) points?\b", heading)
        assert found, f"{path.name} : {gid} ne dit pas ses points dans son titre"
        assert float(found.group(1).replace(",", ".")) == float(meta["points"]), (path.name, gid)
