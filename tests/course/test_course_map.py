"""La carte du cours (``coursehelpers.course_map``) est la seule source des blocs, compétences et
épreuves : le README et chaque chapitre disent la même chose qu'elle, et rien de plus."""

from __future__ import annotations

import re

import nbformat
import pytest
from repo import CHAPTERS, ROOT, SOLUTIONS

from coursehelpers import course_map

BLOC_LINE = re.compile(r"^- \*\*Bloc (\d)")


def _competence_cell(path) -> str:
    nb = nbformat.read(path, as_version=4)
    cells = [c.source for c in nb.cells
             if c.cell_type == "markdown" and "## Compétences BTS NDRC visées" in c.source]
    assert len(cells) == 1, f"{path.name} : il faut exactement une rubrique « Compétences BTS NDRC visées »"
    return cells[0]


def _section(text: str, start: str) -> str:
    """Le texte d'une rubrique Markdown, de son titre au titre suivant de même niveau ou plus haut."""
    level = len(start) - len(start.lstrip("#"))
    lines = text.splitlines()
    i = lines.index(start)
    out = []
    for line in lines[i + 1:]:
        if line.startswith("#") and len(line) - len(line.lstrip("#")) <= level:
            break
        out.append(line)
    return "\n".join(out)


def test_every_notebook_is_on_the_map() -> None:
    chapters = {m.stem for m in course_map.entries("chapitre")}
    workbooks = {m.stem for m in course_map.entries("cahier")}
    assert {p.stem for p in CHAPTERS} == chapters
    assert {p.stem for p in SOLUTIONS} == workbooks


def test_map_uses_only_referentiel_wording() -> None:
    for m in course_map.COURSE:
        assert m.competences, f"{m.stem} ne revendique aucune compétence"
        assert m.exams, f"{m.stem} ne dit pas quelle épreuve il prépare"
        for bloc, comp in m.competences:
            assert comp in course_map.COMPETENCES[bloc]
    # Aucun module actuel n'enseigne l'animation de réseaux (bloc 3) : personne ne la revendique.
    assert not [m.stem for m in course_map.COURSE if 3 in m.blocs]


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_competences_cell_comes_from_the_map(path) -> None:
    cell = _competence_cell(path)
    expected = course_map.competences_markdown(path.stem, "chapitre")
    assert expected in cell, (f"{path.name} : la rubrique Compétences doit contenir exactement :\n"
                              f"{expected}\n--- trouvé ---\n{cell}")
    section = _section(cell, "## Compétences BTS NDRC visées")
    blocs = {int(m.group(1)) for line in section.splitlines() if (m := BLOC_LINE.match(line))}
    assert blocs == set(course_map.entry(path.stem, "chapitre").blocs)


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_claims_no_other_bloc(path) -> None:
    """« Bloc 3 » (ou un autre) n'apparaît nulle part dans un chapitre qui ne l'enseigne pas."""
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    claimed = set(course_map.entry(path.stem, "chapitre").blocs)
    mentioned = {int(b) for b in re.findall(r"[Bb]loc (\d)", text)}
    assert mentioned <= claimed, f"{path.name} cite les blocs {sorted(mentioned - claimed)}"


def test_readme_course_plan_is_the_map() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    plan = _section(readme, "## Plan du cours")
    expected = course_map.readme_table()
    assert expected in plan, ("Le tableau « Plan du cours » du README doit être exactement "
                              "course_map.readme_table() :\n" + expected)


def test_entry_errors_are_french() -> None:
    with pytest.raises(KeyError, match="Aucun"):
        course_map.entry("99_inexistant")
    with pytest.raises(ValueError, match="chapitre"):
        course_map.entries("leçon")
