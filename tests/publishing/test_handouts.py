"""Les polycopiés PDF (``coursehelpers polycopie``) : deux chapitres et leur recueil.

Ce que l'on vérifie avec pypdf : un PDF par chapitre demandé et le recueil ; le titre du chapitre
sur la première page et en en-tête de chaque page ; « page N / total » sur chaque page ; aucune
page blanche ; le code masqué par défaut, gardé avec ``avec_code=True`` ; texte extractible
(donc sélectionnable). Tous les chapitres : ``coursehelpers polycopie`` (voir la note de l'issue 17).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from repo import ROOT

from coursehelpers.publishing.catalog import PublishingError, find_chapter

CHROMIUM = Path("/usr/bin/chromium")
WANTED = ["03", "06"]
CODE = {"03": "widgets.pyramid_explorer(", "06": "widgets.rfm_explorer("}


@pytest.fixture(scope="module")
def handouts(built_site, tmp_path_factory: pytest.TempPathFactory):
    if not CHROMIUM.exists():
        reason = "/usr/bin/chromium absent (apt-get install -y chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true : " + reason)
        pytest.skip(reason)
    pytest.importorskip("pypdf")
    from coursehelpers.publishing.handouts import build_handouts

    result = build_handouts(tmp_path_factory.mktemp("polycopies"), root=ROOT, chapters_wanted=WANTED,
                            site=built_site.out)
    print(f"\npolycopiés ({', '.join(WANTED)} + recueil) : {result.seconds:.1f} s, pages {result.pages}")
    return result


def _texts(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(pdf).pages]


@pytest.mark.browser
def test_one_pdf_per_chapter_with_title_header_and_page_numbers(handouts) -> None:
    from coursehelpers.publishing.handouts import blank_pages

    assert sorted(handouts.chapters) == WANTED
    for number, pdf in handouts.chapters.items():
        chapter = find_chapter(ROOT, number)
        texts = _texts(pdf)
        assert len(texts) >= 3, pdf.name
        assert texts[0].count(chapter.heading) >= 2, pdf.name  # en-tête + titre de la page 1
        for index, text in enumerate(texts, start=1):
            assert f"GRC en notebooks · {chapter.heading}" in text, (pdf.name, index)
            assert f"page {index} / {len(texts)}" in text, (pdf.name, index)
        assert blank_pages(pdf) == []
        assert CODE[number] not in "".join(texts), "le code doit être masqué par défaut"
        assert "%" in "".join(texts) and "€" in "".join(texts)


@pytest.mark.browser
def test_whole_course_pdf_numbers_pages_continuously_and_keeps_chapter_headers(handouts) -> None:
    texts = _texts(handouts.whole)
    assert len(texts) == 1 + sum(handouts.pages[p.name] for p in handouts.chapters.values())
    assert "Sommaire" in texts[0]
    for index, text in enumerate(texts[1:], start=2):
        assert f"page {index} / {len(texts)}" in text
    start = 1
    for number in WANTED:
        chapter = find_chapter(ROOT, number)
        assert f"GRC en notebooks · {chapter.heading}" in texts[start]
        start += handouts.pages[f"{chapter.slug}.pdf"]


@pytest.mark.browser
def test_avec_code_keeps_the_code_cells(built_site, tmp_path: Path, handouts) -> None:
    from coursehelpers.publishing.handouts import build_handouts

    result = build_handouts(tmp_path, root=ROOT, chapters_wanted=["03"], whole=False, avec_code=True,
                            site=built_site.out)
    assert result.whole is None
    assert CODE["03"] in "".join(_texts(result.chapters["03"]))
    with pytest.raises(PublishingError, match="--force"):
        build_handouts(tmp_path, root=ROOT, chapters_wanted=["03"], whole=False, site=built_site.out)
