"""Les polycopiés PDF : ``coursehelpers polycopie --out DOSSIER``.

Un PDF A4 par chapitre (``06_rfm.pdf``) et un pour tout le cours (``cours_complet.pdf``),
imprimés depuis le HTML du site (:mod:`coursehelpers.publishing.site`) par le chromium du
système en mode sans fenêtre (Playwright, ``executable_path="/usr/bin/chromium"``) : pas de
chaîne LaTeX. Le texte du PDF reste sélectionnable et cherchable ; les figures et tableaux sont
ceux enregistrés dans les chapitres.

Mise en page (CSS « Paged Media », gérée par Chromium) :

- en-tête : « GRC en notebooks · Chapitre NN — titre » (le chapitre en cours, aussi dans le
  polycopié complet, grâce à une page nommée par chapitre) ;
- pied de page : « page 3 / 12 » (numérotation continue dans le polycopié complet) ;
- cellules de code masquées par défaut (``avec_code=True`` / ``--avec-code`` pour les garder),
  menus, barres latérales et liens de téléchargement retirés ;
- chaque chapitre commence sur une nouvelle page ; signets PDF tirés des titres.

Exemples
--------
>>> from coursehelpers.publishing.handouts import build_handouts
>>> build_handouts("polycopies", chapters=["06"])   # doctest: +SKIP
"""

from __future__ import annotations

import html
import os
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from coursehelpers.publishing.catalog import Chapter, PublishingError, chapters, course_root, find_chapter

__all__ = ["Handouts", "PublishingError", "build_handouts"]

#: Le navigateur qui imprime : le chromium de Debian ; ``COURSEHELPERS_CHROMIUM`` en désigne un autre.
CHROMIUM = Path(os.environ.get("COURSEHELPERS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
WHOLE_COURSE = "cours_complet.pdf"
PRINT_DIR = "chapitres"  # les pages d'impression vivent à côté des chapitres (mêmes chemins relatifs)

PRINT_CSS = """
@page {
  size: A4; margin: 17mm 14mm 15mm 14mm;
  @bottom-center { content: "page " counter(page) " / " counter(pages);
                   font: 8.5pt "DejaVu Sans", sans-serif; color: #555; }
}
@page couverture { @bottom-center { content: none; } }
html, body { background: #fff !important; }
body { font-size: 10.5pt; margin: 0; }
/* Le thème masque le premier titre à l'impression (il le met ailleurs) : on le garde. */
.bd-main .bd-content .bd-article h1:first-of-type { display: block !important; }
.bd-main .bd-content { margin-left: 0 !important; }
.bd-main .bd-content table { break-inside: auto !important; }
/* Rien de plus large que la page : sinon Chromium réduit TOUT le document pour le faire tenir. */
.bd-main, .bd-content, .bd-article, .ch-chapitre, .ch-couverture {
  display: block !important; width: auto !important; max-width: 100% !important; min-width: 0 !important;
  margin: 0 !important; padding: 0 !important; }
code, a, pre { overflow-wrap: anywhere; }
.ch-couverture { page: couverture; }
.ch-chapitre { break-before: page; }
.ch-chapitre:first-child { break-before: auto; }
.headerlink, .ch-telechargements, .prev-next-area, .toctree-wrapper { display: none !important; }
img { max-width: 100% !important; height: auto; break-inside: avoid; }
.cell_output { max-width: 100%; overflow: visible !important; }
.cell_output table { font-size: 8.5pt; break-inside: auto; }
.cell_output .output, .cell_output div.output_html, .cell_output .text_html { overflow: visible !important; }
h1 { font-size: 20pt; margin-top: 0; }
h2 { font-size: 14pt; break-after: avoid; }
h3 { font-size: 12pt; break-after: avoid; }
.admonition, figure, tr { break-inside: avoid; }
pre { white-space: pre-wrap !important; word-break: break-word; font-size: 8.5pt; }
"""
# Un tableau plus large que la page (un head() à 20 colonnes) est réduit, lui seul, pour tenir en
# largeur (zoom CSS : le texte reste du texte) ; le reste du document garde sa taille.
FIT_TABLES_JS = """() => {
  const room = document.querySelector('article').getBoundingClientRect().width;
  let n = 0;
  for (let pass = 0; pass < 3; pass++) {
    for (const table of document.querySelectorAll('article table')) {
      const width = table.getBoundingClientRect().width;
      if (width > room + 0.5) {
        const zoom = parseFloat(table.style.zoom || '1') * (room / width) * 0.99;
        table.style.zoom = zoom.toFixed(4); n++;
      }
    }
  }
  return n;
}"""
# Largeur utile d'une page A4 (210 mm - 2 × 14 mm de marges) en pixels CSS (96 par pouce).
PRINT_WIDTH_PX = round((210 - 28) / 25.4 * 96)
HIDE_CODE_CSS = ".cell_input, .cell .cell_input { display: none !important; }\n"


@dataclass
class Handouts:
    """Résultat de :func:`build_handouts`.

    Attributs
    ---------
    out : dossier des PDF
    chapters : PDF de chaque chapitre (numéro → chemin)
    whole : le polycopié du cours complet (``None`` s'il n'a pas été demandé)
    pages : nombre de pages de chaque PDF (nom de fichier → pages)
    seconds : durée totale (site compris) ; site_seconds : durée de la construction du site
    """

    out: Path
    chapters: dict[str, Path] = field(default_factory=dict)
    whole: Path | None = None
    pages: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    site_seconds: float = 0.0


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _article(page: str, path: Path) -> str:
    start = page.find('<article class="bd-article"')
    end = page.rfind("</article>")
    if start < 0 or end < start:
        raise PublishingError(f"{path} : contenu de l'article introuvable (le thème du site a changé ?).")
    return page[page.index(">", start) + 1:end]


def _head_styles(page: str) -> str:
    """Les feuilles de style du site (sans les scripts : l'impression est statique)."""
    head = page[page.find("<head>") + 6:page.find("</head>")]
    links = re.findall(r"<link[^>]+rel=\"stylesheet\"[^>]*>", head)
    styles = re.findall(r"<style.*?</style>", head, re.DOTALL)
    return "\n".join(links + styles)


def _page_rule(chapter: Chapter) -> str:
    name = f"ch{chapter.number}"
    header = _css_string(f"GRC en notebooks · {chapter.heading}")
    return (f"@page {name} {{ @top-center {{ content: {header}; font: 8.5pt \"DejaVu Sans\", sans-serif; "
            f"color: #555; }} }}\n.ch-chapitre-{chapter.number} {{ page: {name}; }}\n")


def print_page(site: Path, parts: list[Chapter], *, avec_code: bool, cover: str = "") -> str:
    """Le HTML d'impression de ``parts`` (un chapitre, ou tout le cours précédé d'une couverture)."""
    first = (site / PRINT_DIR / f"{parts[0].slug}.html").read_text(encoding="utf-8")
    css = PRINT_CSS + ("" if avec_code else HIDE_CODE_CSS) + "".join(_page_rule(c) for c in parts)
    body = []
    for chapter in parts:
        path = site / PRINT_DIR / f"{chapter.slug}.html"
        article = _article(path.read_text(encoding="utf-8"), path)
        body.append(f'<section class="ch-chapitre ch-chapitre-{chapter.number}">{article}</section>')
    return (
        '<!DOCTYPE html>\n<html lang="fr" data-theme="light" data-mode="light">\n<head>\n'
        '<meta charset="utf-8">\n<title>GRC en notebooks</title>\n'
        f"{_head_styles(first)}\n<style>{css}</style>\n</head>\n"
        f'<body><main class="bd-main"><div class="bd-content"><article class="bd-article">'
        f"{cover}{''.join(body)}</article></div></main></body>\n</html>\n"
    )


def _cover(parts: list[Chapter]) -> str:
    items = "".join(f"<li>{html.escape(c.heading)}</li>" for c in parts)
    return (
        '<section class="ch-couverture"><h1>GRC en notebooks</h1>'
        "<p><strong>Gestion de la Relation Client — BTS NDRC.</strong> Polycopié du cours : les "
        "chapitres avec leurs figures et tableaux, tels qu'exécutés sur la base clients fictive "
        "« Maison Lumière ».</p><h2>Sommaire</h2>"
        f"<ol start=\"0\">{items}</ol></section>"
    )


def blank_pages(pdf: Path) -> list[int]:
    """Pages sans contenu (ni texte hors en-tête et pied de page, ni image) : numéros 1-based."""
    from pypdf import PdfReader

    blank = []
    for number, page in enumerate(PdfReader(pdf).pages, start=1):
        lines = [line for line in (page.extract_text() or "").splitlines()
                 if line.strip() and not line.startswith("GRC en notebooks")
                 and not re.fullmatch(r"page \d+ / \d+", line.strip())]
        if not lines and not page.images:
            blank.append(number)
    return blank


def page_count(pdf: Path) -> int:
    """Nombre de pages d'un PDF."""
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def _require_browser() -> None:
    if not CHROMIUM.exists():
        raise PublishingError(f"Le navigateur {CHROMIUM} est absent : installez-le avec "
                              "`apt-get update && apt-get install -y chromium` (paquet Debian), ou "
                              "désignez-en un autre avec la variable COURSEHELPERS_CHROMIUM.")
    import importlib.util

    missing = [p for m, p in (("playwright", "playwright"), ("pypdf", "pypdf"))
               if importlib.util.find_spec(m) is None]
    if missing:
        raise PublishingError("Il manque " + ", ".join(missing)
                              + ' pour imprimer les polycopiés : python -m pip install -e ".[site]"')


def build_handouts(out: str | os.PathLike[str], *, root: str | os.PathLike[str] | None = None,
                   chapters_wanted: list[str] | None = None, whole: bool = True,
                   avec_code: bool = False, force: bool = False,
                   site: str | os.PathLike[str] | None = None) -> Handouts:
    """Imprime les polycopiés PDF A4 du cours dans ``out``.

    Paramètres
    ----------
    out : dossier des PDF (créé au besoin)
    root : dossier du cours (par défaut : trouvé depuis le dossier courant)
    chapters_wanted : chapitres à imprimer (« 06 », « 6 » ou « 06_rfm ») ; par défaut tous
    whole : écrire aussi ``cours_complet.pdf`` (tous les chapitres demandés, une couverture,
        une numérotation continue)
    avec_code : garder les cellules de code (masquées par défaut)
    force : remplacer des PDF déjà présents dans ``out``
    site : un site déjà construit par :func:`~coursehelpers.publishing.site.build_site` à réutiliser
        (copié, jamais modifié) ; par défaut le site est construit dans un dossier temporaire

    Renvoie
    -------
    Handouts : chemins des PDF, nombre de pages, durées

    Lève
    ----
    PublishingError : chromium, playwright ou pypdf absent ; PDF déjà présent sans ``force`` ;
        page blanche produite.
    """
    from coursehelpers.publishing.site import build_site

    _require_browser()
    start = time.perf_counter()
    course = course_root(Path(root) if root else None)
    parts = ([find_chapter(course, key) for key in chapters_wanted] if chapters_wanted
             else chapters(course))
    out = Path(out).resolve()
    targets = [out / f"{c.slug}.pdf" for c in parts] + ([out / WHOLE_COURSE] if whole else [])
    existing = [p.name for p in targets if p.exists()]
    if existing and not force:
        raise PublishingError(f"{out} contient déjà {', '.join(existing)} : "
                              "ajoutez --force pour les remplacer.")
    out.mkdir(parents=True, exist_ok=True)
    result = Handouts(out=out)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="coursehelpers-polycopie-") as tmp:
        site_dir = Path(tmp) / "site"
        if site is None:
            result.site_seconds = build_site(site_dir, root=course).seconds
        else:
            import shutil

            if not (Path(site) / "index.html").exists():
                raise PublishingError(f"{site} : pas de site construit (index.html absent).")
            shutil.copytree(site, site_dir)
        jobs = [(f"_impression_{c.slug}.html", [c], "", out / f"{c.slug}.pdf") for c in parts]
        if whole:
            jobs.append(("_impression_cours_complet.html", parts, _cover(parts), out / WHOLE_COURSE))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            try:
                page = browser.new_page(viewport={"width": PRINT_WIDTH_PX, "height": 1100})
                for name, group, cover, pdf in jobs:
                    source = site_dir / PRINT_DIR / name
                    source.write_text(print_page(site_dir, group, avec_code=avec_code, cover=cover),
                                      encoding="utf-8")
                    page.goto(source.as_uri(), wait_until="load")
                    page.emulate_media(media="print")
                    page.evaluate(FIT_TABLES_JS)
                    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True, print_background=True,
                             outline=True, tagged=True)
                    blank = blank_pages(pdf)
                    if blank:
                        raise PublishingError(f"{pdf.name} : page(s) blanche(s) {blank} — "
                                              "mise en page à revoir.")
                    result.pages[pdf.name] = page_count(pdf)
                    if len(group) == 1 and not cover:
                        result.chapters[group[0].number] = pdf
                    else:
                        result.whole = pdf
            finally:
                browser.close()
    result.seconds = time.perf_counter() - start
    return result
