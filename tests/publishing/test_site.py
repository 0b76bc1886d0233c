"""Le site web du cours (``coursehelpers site``) : pages, figures, liens, téléchargements, hors ligne."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from repo import CHAPTERS, EXERCISES, ROOT

from coursehelpers.publishing.catalog import PublishingError, chapters, course_map
from coursehelpers.publishing.site import WIDGET_VIEW, bibliography_page, prepare_output, site_notebook


class _Links(HTMLParser):
    """Liens, ressources et identifiants d'une page HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, str]] = []  # (balise, attribut, valeur)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("href", "src") and value:
                self.links.append((tag, name, value))


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _stored_images(notebook: Path) -> int:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return sum("image/png" in o.get("data", {}) for c in cells for o in c.get("outputs", []))


def test_every_chapter_has_its_page_with_its_stored_figures(built_site) -> None:
    assert len(built_site.pages) == len(CHAPTERS)
    for notebook in CHAPTERS:
        page = built_site.out / "chapitres" / f"{notebook.stem}.html"
        assert page.exists(), page
        parser = _parse(page)
        images = [v for tag, attr, v in parser.links if tag == "img" and "_images/" in v]
        assert len(images) == _stored_images(notebook), notebook.name
        for src in images:
            assert (page.parent / unquote(src)).stat().st_size > 1000, src
        text = page.read_text(encoding="utf-8")
        heading = next(c for c in chapters(ROOT) if c.slug == notebook.stem).heading
        assert heading.split(" — ")[0] in text and "<table" in text


def test_no_broken_internal_link_and_no_solution(built_site) -> None:
    out = built_site.out
    pages = sorted(p for p in out.rglob("*.html") if "_static" not in p.parts)
    ids = {page: _parse(page).ids for page in pages}
    checked = 0
    for page in pages:
        for _tag, _attr, value in _parse(page).links:
            parts = urlsplit(value)
            assert "solutions/" not in parts.path and "solution" not in Path(parts.path).name, (page, value)
            if parts.scheme or value.startswith("//"):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.exists(), f"{page.relative_to(out)} : lien cassé {value}"
            if parts.fragment and target.suffix == ".html" and target in ids:
                assert unquote(parts.fragment) in ids[target], f"{page.relative_to(out)} : ancre {value}"
            checked += 1
    assert checked > 500


def test_downloads_are_chapters_and_student_workbooks_only(built_site) -> None:
    files = {p.name: p for p in (built_site.out / "_downloads").rglob("*.ipynb")}
    expected = {f"cours_{p.stem}.ipynb" for p in CHAPTERS} | {
        f"exercices_{p.name}" for p in EXERCISES.glob("*.ipynb")}
    assert set(files) == expected
    for name, path in files.items():
        text = path.read_text(encoding="utf-8")
        assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text, name
        if name.startswith("exercices_"):
            assert path.read_bytes() == (EXERCISES / name.removeprefix("exercices_")).read_bytes()
    downloads_page = (built_site.out / "telechargements.html").read_text(encoding="utf-8")
    assert all(name in downloads_page for name in expected)


def test_home_page_has_the_course_map_and_every_chapter(built_site) -> None:
    home = (built_site.out / "index.html").read_text(encoding="utf-8")
    assert "Plan du cours" in home
    for row in course_map(ROOT):
        assert row["slug"][:2] in home
        assert row["enseigne"].split(",")[0].replace("'", "’")[:20] in home.replace("&#39;", "'")
    for notebook in CHAPTERS:
        assert f'href="chapitres/{notebook.stem}.html"' in home
    assert 'href="donnees.html"' in home and 'href="telechargements.html"' in home
    assert "search.html" in home  # la recherche est dans l'en-tête de chaque page


def test_data_card_bibliography_and_search(built_site) -> None:
    out = built_site.out
    assert "Fiche de données" in (out / "donnees.html").read_text(encoding="utf-8")
    source = bibliography_page(ROOT, chapters(ROOT))
    assert (out / "bibliographie.html").exists() == (source is not None)
    if (ROOT / "docs" / "bibliographie.md").exists():
        title = re.search(r"^# (.+)$", source, re.MULTILINE).group(1)
        assert title.split()[0] in (out / "bibliographie.html").read_text(encoding="utf-8")
    assert (out / "search.html").exists()
    index = (out / "searchindex.js").read_text(encoding="utf-8")
    assert "rfm" in index.lower() and "pareto" in index.lower()


def test_nothing_is_loaded_from_the_internet(built_site) -> None:
    out = built_site.out
    for page in out.rglob("*.html"):
        for tag, _attr, value in _parse(page).links:
            if tag in ("script", "img", "link", "iframe", "source", "video", "audio"):
                assert not re.match(r"(https?:)?//", value), f"{page.name} charge {value}"
    for css in out.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), css
        assert not re.search(r"@import\s+(url\()?['\"]?(https?:)?//", text), css
    chapter = (out / "chapitres" / "05_pareto_abc.html").read_text(encoding="utf-8")
    assert "<math" in chapter and "mathjax" not in chapter.lower().replace("mathjax_ignore", "")


def test_site_notebook_keeps_outputs_but_drops_widget_views() -> None:
    chapter = next(c for c in chapters(ROOT) if c.slug == "06_rfm")
    original = json.loads(chapter.path.read_text(encoding="utf-8"))
    prepared = site_notebook(chapter, {chapter.slug})
    dumped = json.dumps(prepared)
    assert WIDGET_VIEW in json.dumps(original) and WIDGET_VIEW not in dumped
    assert "widgets" not in prepared["metadata"]
    count = lambda nb: sum("image/png" in o.get("data", {}) for c in nb["cells"]  # noqa: E731
                           for o in c.get("outputs", []))
    assert count(prepared) == count(original)
    assert "coursehelpers presenter 06" in dumped and "{download}" in dumped


def test_refuses_to_overwrite_a_folder_that_is_not_a_site(tmp_path: Path) -> None:
    work = tmp_path / "travail"
    work.mkdir()
    (work / "copie.ipynb").write_text("{}", encoding="utf-8")
    with pytest.raises(PublishingError, match="--force"):
        prepare_output(work, force=False)
    assert (work / "copie.ipynb").exists()
