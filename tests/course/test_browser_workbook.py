"""Un cahier d'exercices dans un vrai JupyterLab (Playwright + chromium de Debian).

- « Run All » sur le cahier 00 intact va jusqu'au bilan (cellules de vérification étiquetées
  ``raises-exception``), qui s'affiche en bloc coloré avec des mots, sans émoji ;
- QCM : un clic sur la bonne réponse ne dit jamais « Juste » ; on enregistre, le correcteur en lot
  donne 0, comme à l'écran. La lettre écrite dans la cellule : « Juste » à l'écran, le point au
  correcteur. Même verdict des deux côtés, à chaque fois.

Sans ``/usr/bin/chromium`` (hors CI) le test est sauté, raison affichée ; avec ``CI=true`` il échoue.
Serveur sur 127.0.0.1 sans jeton, dossiers Jupyter temporaires, arrêté par son PID au démontage.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from lab import CHROMIUM, CHROMIUM_ARGS, KERNEL_IDLE, bare_lab, require_chromium, run_all_cells
from repo import ROOT

from coursehelpers.grading import notebook_io
from coursehelpers.grading.assignment import exercises_of
from coursehelpers.grading.autograde import grade

WORKBOOK = ROOT / "exercises" / "00_prise_en_main.ipynb"
SOLUTION = ROOT / "solutions" / "00_prise_en_main.ipynb"
ARTIFACTS = ROOT / "test-artifacts" / "browser"



@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """JupyterLab sur 127.0.0.1 (sans jeton) ; renvoie l'adresse et le dossier racine."""
    require_chromium()
    with bare_lab(tmp_path_factory.mktemp("lab-cahier"), WORKBOOK) as started:
        yield started


def _index(grade_id: str) -> int:
    cells = notebook_io.read(WORKBOOK)["cells"]
    return next(i for i, c in enumerate(cells) if notebook_io.grade_id(c) == grade_id)


def _graded(path: Path, tmp: Path, name: str) -> dict:
    copy = tmp / f"{name}.ipynb"
    shutil.copy(path, copy)
    return grade(SOLUTION, [copy], out=tmp / f"{name}.csv", jobs=1, cache_dir=tmp / "cache",
                 show_progress=False)[0]


@pytest.mark.browser
def test_run_all_reaches_the_bilan_and_a_quiz_click_never_disagrees_with_the_grader(
        lab: tuple[str, Path], tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, root = lab
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    saved = root / WORKBOOK.name
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "profil-chromium"), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
            headless=True, viewport={"width": 1280, "height": 1600})
        page = context.new_page()
        try:
            page.goto(f"{url}/lab/tree/{WORKBOOK.name}", wait_until="domcontentloaded")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=45_000)
            page.wait_for_function(KERNEL_IDLE, timeout=45_000)
            cells = page.locator(".jp-Notebook .jp-Cell")

            # 1. « Run All » sur le cahier intact : le bilan s'affiche (rien ne s'arrête avant).
            run_all_cells(page)
            bilan = cells.nth(_index("bilan"))
            auto = sum(ex.points for ex in exercises_of(notebook_io.read(WORKBOOK)) if not ex.manual)
            expect(bilan.locator(".ch-check")).to_contain_text(f"Bilan indicatif : 0 / {auto:g} points",
                                                               timeout=90_000)
            page.wait_for_function(KERNEL_IDLE, timeout=30_000)
            expect(bilan.locator(".ch-check b").first).to_have_text("À faire")
            expect(cells.nth(_index("ex1")).locator(".ch-check")).to_contain_text("À faire")
            bilan.scroll_into_view_if_needed()
            bilan.screenshot(path=str(ARTIFACTS / "cahier-00-bilan.png"))

            # 2. Un clic sur la bonne réponse du QCM : pas « Juste », et le correcteur donne 0.
            quiz = cells.nth(_index("ex4_reponse"))
            quiz.locator("label", has_text="La part des clients perdus").click()
            expect(quiz).to_contain_text("Un clic ne suffit pas")
            check = cells.nth(_index("ex4"))
            check.locator(".jp-InputPrompt").click()
            page.keyboard.press("Shift+Enter")
            expect(check.locator(".ch-check")).to_contain_text("Vous avez cliqué « B », mais un clic ne "
                                                               "compte pas", timeout=30_000)
            on_screen = check.locator(".ch-check").inner_text()
            assert "Juste" not in on_screen and "0 / 1 point" in on_screen
            check.screenshot(path=str(ARTIFACTS / "cahier-00-qcm-clic.png"))
            page.keyboard.press("Control+s")
            page.wait_for_timeout(1500)
            assert _graded(saved, tmp_path, "clic")["ex4"] == "0"  # même verdict qu'à l'écran

            # 3. La lettre écrite dans la cellule : « Juste » à l'écran et le point au correcteur.
            source = notebook_io.read(WORKBOOK)["cells"][_index("ex4_reponse")]["source"]
            quiz.locator(".cm-content").click()
            page.keyboard.press("Control+a")
            page.keyboard.insert_text(source.replace("reponse_attrition = ...", 'reponse_attrition = "B"'))
            page.keyboard.press("Shift+Enter")
            check.locator(".jp-InputPrompt").click()
            page.keyboard.press("Shift+Enter")
            expect(check.locator(".ch-check")).to_contain_text("exercice 4 : 1 / 1 point", timeout=30_000)
            expect(check.locator(".ch-check b").first).to_have_text("Juste")
            check.screenshot(path=str(ARTIFACTS / "cahier-00-qcm-ecrit.png"))
            page.keyboard.press("Control+s")
            page.wait_for_timeout(1500)
            assert 'reponse_attrition = \\"B\\"' in saved.read_text(encoding="utf-8")
            assert _graded(saved, tmp_path, "ecrit")["ex4"] == "1"
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "cahier-echec-page-entiere.png"), full_page=True)
            raise
        finally:
            context.close()
