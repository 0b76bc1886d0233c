"""Chaque chapitre cite ses sources (auteur, année, titre), et chacune figure dans la bibliographie
du cours (docs/bibliographie.md) : aucune référence inventée ou orpheline."""

from __future__ import annotations

import re

import nbformat
import pytest
from repo import CHAPTERS, ROOT

BIB = ROOT / "docs" / "bibliographie.md"
AUTHOR = re.compile(r"^- (?P<author>[^,(]+?)\s*[,(]")
YEAR = re.compile(r"\((?P<year>\d{4})(?:-\d{4})?\)")
# Les chapitres de la revue de décembre 2026 (tous sauf 01, 07 et 09) ; un nouveau chapitre s'ajoute ici
# dès qu'il a sa rubrique Sources.
REVIEWED = CHAPTERS


def _entries(text: str) -> list[str]:
    """Les entrées d'une liste Markdown (« - ... » et leurs lignes de continuation)."""
    entries: list[str] = []
    for line in text.splitlines():
        if line.startswith("- "):
            entries.append(line)
        elif line.startswith("  ") and entries:
            entries[-1] += " " + line.strip()
        else:
            entries.append("")
    return [e for e in entries if e]


def _sources_cell(path) -> str:
    nb = nbformat.read(path, as_version=4)
    cells = [c.source for c in nb.cells
             if c.cell_type == "markdown" and re.match(r"## (\d+\. )?Sources\b", c.source)]
    assert len(cells) == 1, f"{path.name} : il faut une (et une seule) rubrique « Sources »"
    return cells[0]


def test_bibliography_entries_have_author_year_title() -> None:
    entries = _entries(BIB.read_text(encoding="utf-8"))
    assert len(entries) >= 20
    for entry in entries:
        assert re.search(r"\(\d{4}(-\d{4})?\)\.", entry), f"année manquante : {entry[:80]}"
        assert "*" in entry or "«" in entry, f"titre manquant : {entry[:80]}"


@pytest.mark.parametrize("path", REVIEWED, ids=[p.stem for p in REVIEWED])
def test_chapter_sources_are_in_the_bibliography(path) -> None:
    bib = _entries(BIB.read_text(encoding="utf-8"))
    cited = [(a["author"].strip(), y["year"]) for e in _entries(_sources_cell(path))
             if (a := AUTHOR.match(e)) and (y := YEAR.search(e))]
    assert cited, f"{path.name} : la rubrique Sources ne cite aucun « Auteur (année) »"
    for author, year in cited:
        assert any(e.startswith(f"- {author}") and f"({year}" in e for e in bib), (
            f"{path.name} cite {author} ({year}), absent de docs/bibliographie.md")
