"""Le mode présentation (``coursehelpers presenter NN``) : notebook construit et page servie par Voilà.

- le notebook de présentation d'un chapitre ne garde que les cellules dont ses explorateurs ont
  besoin, muettes (``%%capture``), puis les explorateurs ; un chapitre à plusieurs explorateurs
  les met tous sur la même page ;
- Voilà, lancé sur 127.0.0.1 comme le fait la commande, sert la page : dans chromium, l'explorateur
  s'affiche (image), aucune cellule de code n'est visible, le texte est grand, et un curseur
  atteint **au clavier** (Tab) puis déplacé (flèche) change la figure. Le serveur est arrêté par
  son PID (et son groupe de processus) en fin de module, même après un échec.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import time
from pathlib import Path

import pytest
from lab import stop_group
from repo import ROOT

from coursehelpers.publishing.catalog import find_chapter
from coursehelpers.publishing.presenter import (
    PROJECTION_FONT_PX,
    explorer_cells,
    free_port,
    live,
    presenter_notebook,
    voila_command,
    voila_env,
    write_presenter_notebook,
)

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts" / "publishing"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def test_presenter_notebook_keeps_only_what_the_explorers_need() -> None:
    notebook = presenter_notebook("06", root=ROOT)
    sources = [c["source"] for c in notebook["cells"]]
    assert notebook["cells"][0]["source"] == "# " + find_chapter(ROOT, "06").heading
    assert "live(widgets.rfm_explorer(" in sources[-1]
    hidden = [s for s in sources[2:-1]]
    assert hidden and all(s.startswith("%%capture\n") for s in hidden)
    assert all(not c.get("outputs") for c in notebook["cells"])
    chapter = json.loads((ROOT / "chapters" / "06_rfm.ipynb").read_text(encoding="utf-8"))
    assert len(hidden) < sum(c["cell_type"] == "code" for c in chapter["cells"]) - 1


def test_several_explorers_of_one_chapter_go_on_one_page(tmp_path: Path, monkeypatch) -> None:
    chapter = find_chapter(ROOT, "03")
    source = json.loads(chapter.path.read_text(encoding="utf-8"))
    first = explorer_cells(source)[0]
    twice = copy.deepcopy(source)
    second = copy.deepcopy(source["cells"][first])
    second["source"] = "widgets.pyramid_explorer(ca)"
    twice["cells"].append(second)
    fake = tmp_path / "chapters" / chapter.path.name
    fake.parent.mkdir()
    (tmp_path / "datasets").mkdir()
    fake.write_text(json.dumps(twice), encoding="utf-8")
    notebook = presenter_notebook("03", root=tmp_path)
    explorers = [c["source"] for c in notebook["cells"] if "live(widgets.pyramid_explorer(" in c["source"]]
    assert len(explorers) == 2


def test_live_writes_the_explorer_outputs_into_the_output_widget_state(monkeypatch) -> None:
    """Les sorties vont dans ``Output.outputs`` (pas de capture ``with out:`` pendant le rendu
    de Voilà, qui bloquait parfois la page) et suivent chaque réglage."""
    import IPython.display
    import ipywidgets as w
    import numpy as np
    import pandas as pd

    from coursehelpers import widgets

    shown: list[object] = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **_: shown.append(obj))
    values = pd.Series(np.arange(1.0, 101.0), index=[f"C{i:03d}" for i in range(100)])
    explorer = live(widgets.pyramid_explorer(values))
    out = next(o for o in shown if isinstance(o, w.Output))
    assert out.msg_id == ""  # aucune capture en cours
    def text() -> str:
        return " ".join(o["data"].get("text/markdown", "") for o in out.outputs)

    assert [o["output_type"] for o in out.outputs] == ["display_data"] * len(explorer.bundles)
    assert "(5\u00a0% des clients)" in text()
    first = out.outputs
    explorer.controls["platinum"].value = 0.10  # comme le curseur dans la page
    assert out.outputs != first and "(10\u00a0% des clients)" in text()


VOILA_LOG: dict[str, Path] = {}


@pytest.fixture(scope="module")
def voila_url(tmp_path_factory: pytest.TempPathFactory):
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true : /usr/bin/chromium absent")
        pytest.skip("/usr/bin/chromium absent (apt-get install -y chromium)")
    pytest.importorskip("voila", reason="extra [site] absent")
    pytest.importorskip("playwright.sync_api")
    base = tmp_path_factory.mktemp("presenter")
    notebook = write_presenter_notebook("03", base, root=ROOT)
    port = free_port()
    env = voila_env(base, {**os.environ, "JUPYTER_CONFIG_DIR": str(base / "config"),
                           "JUPYTER_DATA_DIR": str(base / "data"),
                           "JUPYTER_RUNTIME_DIR": str(base / "runtime"), "IPYTHONDIR": str(base / "ipython")})
    VOILA_LOG["path"] = base / "voila.log"
    log = (base / "voila.log").open("w")
    proc = subprocess.Popen(voila_command(notebook, port=port), cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while "is running at" not in (base / "voila.log").read_text(encoding="utf-8", errors="replace"):
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail("Voilà n'a pas démarré :\n" + (base / "voila.log").read_text()[-3000:])
            time.sleep(0.3)
        yield url
    finally:
        stop_group(proc)
        log.close()


def _figure(page) -> str:
    """Empreinte des images affichées (longueur + hachage simple de tout le PNG en base64)."""
    return page.locator(".jp-OutputArea-output img").evaluate_all(
        """els => els.map(e => { let h = 0; for (let i = 0; i < e.src.length; i += 7)
                                   { h = (h * 31 + e.src.charCodeAt(i)) | 0; }
                                 return e.src.length + ':' + h; }).join('|')""")


@pytest.mark.browser
def test_voila_serves_the_explorer_without_code_and_the_keyboard_moves_it(voila_url: str,
                                                                          tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    outside: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.on("request", lambda r: r.url.startswith(("http", "ws")) and "127.0.0.1" not in r.url
                    and outside.append(r.url))
            try:
                page.goto(voila_url, wait_until="domcontentloaded", timeout=90_000)
            except Exception:
                log = VOILA_LOG.get("path")
                pytest.fail("la page Voilà ne se termine pas ; fin du journal de Voilà :\n"
                            + (log.read_text(errors="replace")[-4000:] if log else "?"))
            explorer = page.locator(".ch-explorer-pyramide")
            expect(explorer).to_have_count(1, timeout=90_000)
            expect(page.locator(".jp-OutputArea-output img").first).to_be_visible(timeout=30_000)
            text = page.locator("body").inner_text()
            assert "Error displaying widget" not in text and "Traceback" not in text
            assert page.locator(".jp-CodeCell .jp-InputArea, .jp-CodeMirrorEditor, .cm-editor").count() == 0
            assert "pyramid_explorer" not in text and "import " not in text
            rendered = "e => parseFloat(getComputedStyle(e).fontSize) * (e.currentCSSZoom || 1)"
            assert page.locator(".widget-label").first.evaluate(rendered) >= PROJECTION_FONT_PX
            assert page.locator(".jp-RenderedMarkdown p").first.evaluate(rendered) >= PROJECTION_FONT_PX
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"la page déborde de {overflow} px en 1280 × 720"
            page.screenshot(path=str(ARTIFACTS / "presenter-02.png"), full_page=True)
            before = _figure(page)
            for _ in range(40):  # Tab jusqu'à la poignée d'un curseur
                page.keyboard.press("Tab")
                if page.evaluate("document.activeElement.classList.contains('noUi-handle')"):
                    break
            else:
                pytest.fail("aucun curseur atteint au clavier (Tab)")
            handle = page.locator(".noUi-handle:focus")
            at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
            # Sur une machine chargée, la connexion des widgets au noyau peut suivre l'affichage :
            # un premier appui peut partir avant ; on réessaie deux fois (chaque appui se voit dans
            # la valeur affichée du curseur, la figure doit suivre).
            for _attempt in range(3):
                page.keyboard.press("ArrowLeft" if at_max else "ArrowRight")
                deadline = time.monotonic() + 15
                while _figure(page) == before and time.monotonic() < deadline:
                    page.wait_for_timeout(100)
                if _figure(page) != before:
                    break
            assert _figure(page) != before, "le curseur ne change pas la figure"
            page.screenshot(path=str(ARTIFACTS / "presenter-02-apres-curseur.png"), full_page=True)
        finally:
            browser.close()
    assert outside == [], outside
