"""Les explorateurs dans un vrai JupyterLab, piloté par Playwright avec le chromium de Debian.

Ce que l'on vérifie sur ``tests/course/browser/explorateurs.ipynb`` (qui utilise chaque explorateur) :

- après « Run All Cells », chaque widget s'affiche (ni « Error displaying widget »,
  ni « Loading widget... ») avec sa vue par défaut (image et/ou tableau) ;
- déplacer un curseur (focus sur la poignée + flèche droite) change le résultat affiché ;
- aucune erreur JavaScript dans la console (le bruit connu et sans effet est filtré
  explicitement, chaque filtre est justifié dans ``BENIGN_CONSOLE``) ;
- une capture d'écran par explorateur dans ``test-artifacts/browser/``.

Hors CI, sans ``/usr/bin/chromium`` ces tests sont sautés (raison affichée) ; avec ``CI=true``
ils échouent : la CI doit les exécuter (``.ci/run`` installe chromium avec apt-get).
Le serveur est démarré sur 127.0.0.1 sans jeton dans des dossiers Jupyter temporaires, puis
arrêté par son PID dans le démontage de la fixture, même si un test échoue.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from lab import CHROMIUM, CHROMIUM_ARGS, KERNEL_IDLE, bare_lab, require_chromium, run_all_cells
from repo import ROOT

NOTEBOOK = ROOT / "tests" / "course" / "browser" / "explorateurs.ipynb"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
# Nom CSS de chaque explorateur du notebook (classe « ch-explorer-<nom> » posée par Explorer).
EXPLORERS = ("canaux", "pyramide", "segmentation", "abc", "rfm", "clv", "fidelite", "tableau_de_bord",
             "donnees-personnelles", "scoring", "avis")

# Messages de console sans rapport avec nos widgets, filtrés explicitement :
BENIGN_CONSOLE = (
    # Aucune connexion Internet dans le bac à sable : JupyterLab ne peut pas joindre
    # l'annonce des nouveautés / le serveur de polices ; cela n'affecte pas le notebook.
    re.compile(r"Failed to load resource: net::ERR_"
               r"(INTERNET_DISCONNECTED|NAME_NOT_RESOLVED|CONNECTION_REFUSED)"),
    # Un serveur sans jeton répond 404 à l'API optionnelle « lab/api/translations » d'une
    # langue absente, et 404 aux extensions de kernelspec facultatives (logo-svg...).
    re.compile(r"Failed to load resource: the server responded with a status of 404"),
)





@pytest.fixture(scope="module")
def chromium() -> Path:
    return require_chromium()


@pytest.fixture(scope="module")
def lab_url(tmp_path_factory: pytest.TempPathFactory, chromium: Path) -> Iterator[str]:
    """JupyterLab sur 127.0.0.1, sans jeton, configuration et données dans des dossiers temporaires."""
    with bare_lab(tmp_path_factory.mktemp("lab"), NOTEBOOK) as (url, _root):
        yield url


def _cell_signature(cell) -> str:
    """Sorties ordinaires d'une cellule (images, tableaux, textes), hors widgets eux-mêmes."""
    return cell.locator(".jp-OutputArea-output").evaluate_all(
        """els => els.filter(e => !e.querySelector('.jupyter-widgets'))
                    .map(e => Array.from(e.querySelectorAll('img')).map(i => i.src.slice(-200)).join('|')
                              + '#' + e.innerText).join('\\n')"""
    )


@pytest.mark.browser
def test_explorers_render_and_react_in_jupyterlab(lab_url: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    console_errors: list[str] = []
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "profil-chromium"), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
            headless=True, viewport={"width": 1280, "height": 1600})
        try:
            page = context.new_page()
            page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
            page.on("pageerror", lambda exc: console_errors.append(f"pageerror: {exc}"))
            page.goto(f"{lab_url}/lab/tree/{NOTEBOOK.name}", wait_until="domcontentloaded")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=45_000)
            # Attendre que le noyau soit prêt côté page (sinon « Run All » ne fait rien).
            page.wait_for_function(KERNEL_IDLE, timeout=45_000)
            run_all_cells(page)
            for name in EXPLORERS:
                box = page.locator(f".ch-explorer-{name}")
                expect(box).to_have_count(1, timeout=30_000)
            page.wait_for_function(KERNEL_IDLE, timeout=30_000)
            text = page.locator(".jp-Notebook").inner_text()
            assert "Error displaying widget" not in text
            assert "Loading widget..." not in text
            assert not page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
                                    ).count(), page.locator(".jp-OutputArea-output").all_inner_texts()

            for name in EXPLORERS:
                cell = page.locator(".jp-Cell", has=page.locator(f".ch-explorer-{name}"))
                expect(cell.locator(".jp-OutputArea-output img, .jp-OutputArea-output table").first
                       ).to_be_visible(timeout=10_000)
                cell.scroll_into_view_if_needed()
                cell.screenshot(path=str(ARTIFACTS / f"{name}.png"))
                sliders = cell.locator(".widget-slider .noUi-handle")
                if not sliders.count():
                    continue
                before = _cell_signature(cell)
                handle = sliders.first
                handle.focus()
                at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
                handle.press("ArrowLeft" if at_max else "ArrowRight")
                deadline = time.monotonic() + 15
                while _cell_signature(cell) == before:
                    assert time.monotonic() < deadline, f"{name} : le curseur ne change pas le résultat"
                    page.wait_for_timeout(100)
                cell.screenshot(path=str(ARTIFACTS / f"{name}-apres-curseur.png"))
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "echec-page-entiere.png"), full_page=True)
            raise
        finally:
            context.close()
    real = [m for m in console_errors if not any(p.search(m) for p in BENIGN_CONSOLE)]
    assert not real, "erreurs JavaScript dans la console :\n" + "\n".join(real)


@pytest.mark.notebook
def test_executed_notebook_shows_default_views_in_html(tmp_path: Path) -> None:
    """Sans navigateur : nbclient exécute le notebook, nbconvert le rend en HTML ; chaque
    explorateur y montre sa vue par défaut (une image et un tableau), comme sur GitHub."""
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, errors
    explorer_cells = [c for c in nb.cells if c.cell_type == "code" and "widgets." in c.source]
    assert len(explorer_cells) == len(EXPLORERS)
    for cell in explorer_cells:
        kinds = [set(o.get("data", {})) for o in cell.outputs]
        assert any("application/vnd.jupyter.widget-view+json" in k for k in kinds), cell.source
        assert any("image/png" in k for k in kinds), cell.source
        assert any("text/html" in k for k in kinds), cell.source
    html, _ = HTMLExporter().from_notebook_node(nb)
    (tmp_path / "explorateurs.html").write_text(html, encoding="utf-8")
    assert html.count("data:image/png;base64,") >= len(EXPLORERS)
    assert html.count("<table") >= len(EXPLORERS)
    for title in ("Pyramide des clients", "Analyse RFM", "Analyse ABC", "Simulateur de valeur vie client",
                  "Canaux de la relation client", "Segmentation des clients",
                  "Données personnelles : qui peut-on prospecter", "Grille de scoring : chaud, tiède, froid",
                  "E-réputation : de quoi parlent les avis"):
        assert title in html
    assert "Traceback" not in html
