"""Le JupyterLab de ``coursehelpers ouvrir``, vu dans un vrai navigateur : en français, sur le chapitre 00.

Un ``coursehelpers ouvrir --no-browser`` dans un dossier temporaire (dossiers Jupyter temporaires :
aucun réglage de l'utilisateur), puis le chromium de Debian piloté par Playwright ouvre l'adresse
affichée. On vérifie les menus (libellés du paquet de langue), le chapitre 00 ouvert, une entrée du menu
« Noyau », l'absence du bandeau des nouvelles de Jupyter ; capture dans ``test-artifacts/browser/``.
Sans ``/usr/bin/chromium`` : sauté hors CI, échec en CI.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from interface_fr import buttons, menu_bar, menu_paths
from ouvrir import opened
from repo import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts" / "browser"


@pytest.mark.browser
@pytest.mark.slow
def test_ouvrir_shows_french_menus_on_chapter_00(tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        reason = "/usr/bin/chromium est absent (apt-get install -y chromium ; jamais `playwright install`)."
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true : " + reason)
        pytest.skip(reason)
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with opened(tmp_path, tmp_path / "eleve") as lab, sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "profil-chromium"), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
            headless=True, viewport={"width": 1280, "height": 800}, locale="en-US")
        try:
            page = context.new_page()
            page.goto(lab.url, wait_until="domcontentloaded")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
            labels = page.locator(".lm-MenuBar-itemLabel")
            sync_api.expect(labels.first).to_have_text("Fichier", timeout=30_000)
            assert labels.all_inner_texts() == menu_bar()
            # Le chapitre 00 est l'onglet ouvert.
            tab = page.locator(".lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel")
            assert "00_prise_en_main.ipynb" in tab.all_inner_texts()
            # Pas de bandeau « Voulez-vous être informé des nouvelles officielles de Jupyter ? ».
            page.wait_for_timeout(1500)
            toasts = page.locator(".Toastify__toast")
            assert not toasts.count(), toasts.all_inner_texts()
            # Chaque chemin de menu que les textes du cours peuvent citer existe tel quel dans l'interface.
            for (top, label), (command, _english) in menu_paths().items():
                page.locator(".lm-MenuBar-itemLabel", has_text=top).click()
                menu = page.locator(".lm-Menu").first
                item = menu.locator(f"li[data-command='{command}']" if command else
                                    "li[data-type='submenu']").locator(".lm-Menu-itemLabel")
                sync_api.expect(item.filter(has_text=label).first).to_be_visible(timeout=10_000)
                texts = [" ".join(t.split()) for t in item.all_inner_texts()]
                assert label in texts, f"{top} → {label} absent du menu : {texts}"
                page.keyboard.press("Escape")
            # Les boutons cités par symbole ont bien cette infobulle dans la barre d'outils du notebook.
            for symbol, (tooltip, command) in buttons().items():
                button = page.locator(f".jp-NotebookPanel-toolbar [data-command='{command}']").first
                title = button.get_attribute("title") or ""
                assert title.startswith(tooltip), (symbol, title)
            page.locator(".lm-MenuBar-itemLabel", has_text="Noyau").click()
            page.screenshot(path=str(ARTIFACTS / "ouvrir-en-francais.png"))
        finally:
            context.close()
