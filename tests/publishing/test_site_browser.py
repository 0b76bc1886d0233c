"""Le site dans chromium : accueil et un chapitre, à la largeur d'un téléphone et d'un vidéoprojecteur.

Le site est servi sur 127.0.0.1 (serveur HTTP de la bibliothèque standard, arrêté en fin de
module). On vérifie : rien n'est demandé hors de 127.0.0.1 (pas de CDN), aucune erreur
JavaScript, la page ne déborde pas en largeur, les figures se chargent, la recherche trouve un
chapitre. Captures dans ``test-artifacts/publishing/``.
"""

from __future__ import annotations

import functools
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from repo import ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts" / "publishing"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORTS = {"telephone": (390, 844), "projecteur": (1280, 720)}


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # pas de journal sur la sortie des tests
        pass


@pytest.fixture(scope="module")
def site_url(built_site):
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true : /usr/bin/chromium absent")
        pytest.skip("/usr/bin/chromium absent (apt-get install -y chromium)")
    pytest.importorskip("playwright.sync_api")
    handler = functools.partial(_QuietHandler, directory=str(built_site.out))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.mark.browser
@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_home_and_chapter_read_well_on_phone_and_projector(site_url: str, viewport: str,
                                                          tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    width, height = VIEWPORTS[viewport]
    outside: list[str] = []
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.on("request", lambda r: r.url.startswith(("http", "ws")) and not r.url.startswith(
                site_url) and outside.append(r.url))
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status} {r.url}"))
            for name, path in (("accueil", "index.html"), ("chapitre06", "chapitres/06_rfm.html")):
                page.goto(f"{site_url}/{path}", wait_until="networkidle")
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 1, f"{name} déborde de {overflow} px à {width} px de large"
                page.screenshot(path=str(ARTIFACTS / f"{name}-{viewport}.png"))
                if name == "accueil":
                    expect(page.locator(".ch-plan a[href='chapitres/06_rfm.html']")).to_be_visible()
                else:
                    images = page.locator("article img")
                    assert images.count() >= 4
                    for index in range(images.count()):
                        image = images.nth(index)
                        image.scroll_into_view_if_needed()
                        assert image.evaluate("i => i.complete && i.naturalWidth > 0"), index
                        box = image.bounding_box()
                        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 1
            page.goto(f"{site_url}/search.html?q=r%C3%A9cence", wait_until="networkidle")
            expect(page.locator("#search-results a[href*='06_rfm']").first).to_be_attached(timeout=15_000)
        finally:
            browser.close()
    assert outside == [], f"requêtes hors du site : {outside}"
    assert errors == [], errors
