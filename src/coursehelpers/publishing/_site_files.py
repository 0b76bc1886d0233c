"""Fichiers fixes du projet Sphinx du site : configuration, feuille de style, icône (voir ``site.py``)."""

from __future__ import annotations

CONF = '''\
# Configuration Sphinx écrite par coursehelpers.publishing.site (ne pas modifier : régénérée).
project = "GRC en notebooks"
author = "Équipe GRC en notebooks"
copyright = "Équipe GRC en notebooks, licence MIT"
language = "fr"
extensions = ["myst_nb", "coursehelpers.publishing._sphinx_mathml"]
exclude_patterns = ["{downloads}/**", "_build"]

# Les notebooks ne sont jamais ré-exécutés : on publie leurs sorties enregistrées.
nb_execution_mode = "off"
nb_merge_streams = True
# Aucun script de widgets chargé depuis un CDN : les explorateurs montrent leur vue enregistrée.
nb_ipywidgets_js = {{}}
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
# Formules : MathML écrit à la construction (pas de MathJax sur un CDN).
html_math_renderer = "mathml"

html_theme = "sphinx_book_theme"
html_title = "GRC en notebooks"
html_static_path = ["_static"]
html_css_files = ["cours.css"]
html_favicon = "_static/favicon.svg"
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
html_context = {{"default_mode": "light"}}
html_theme_options = {{
    "home_page_in_toc": True,
    "use_download_button": False,
    "use_fullscreen_button": True,
    "use_repository_button": False,
    "show_toc_level": 2,
    "navigation_with_keys": True,
    # Accueil : pas de sommaire à droite, toute la largeur pour le plan du cours.
    "secondary_sidebar_items": {{"**": ["page-toc"], "index": []}},
}}
suppress_warnings = ["mystnb.unknown_mime_type", "myst.header"]
'''

CSS = """\
/* Feuille de style du site « GRC en notebooks » (coursehelpers.publishing.site). */
/* Figures et tableaux : jamais plus larges que l'écran ; un tableau large défile dans son cadre. */
.cell_output img, .bd-article img { max-width: 100%; height: auto; }
.cell_output .output, .cell_output div.output_html, .cell_output .text_html {
  overflow-x: auto; max-width: 100%;
}
.cell_output table { font-size: 0.9rem; border-collapse: collapse; }
.cell_output table td, .cell_output table th { padding: 0.2rem 0.5rem; }
.cell_output table td { font-variant-numeric: tabular-nums; }
.ch-telechargements { font-size: 0.95rem; }
.ch-plan table { font-size: 0.9rem; }
a.reference.download code { font-family: inherit; font-size: inherit; background: none; border: 0; padding: 0;
  color: inherit; text-decoration: underline; }
/* Vidéoprojecteur (1280 × 720 et plus) : texte un peu plus grand. */
@media (min-width: 1200px) { html { font-size: 17px; } }
/* Téléphone : marges réduites, tableaux compacts. */
@media (max-width: 600px) {
  .bd-article-container { padding-left: 0.4rem; padding-right: 0.4rem; }
  .cell_output table { font-size: 0.8rem; }
  /* Plan du cours : une carte par chapitre au lieu d'un tableau à faire défiler. */
  .ch-plan table, .ch-plan tbody, .ch-plan tr, .ch-plan td { display: block; width: 100%; }
  .ch-plan thead { display: none; }
  .ch-plan tr { border-bottom: 1px solid #ccc; padding: 0.4rem 0; }
  .ch-plan td { border: 0; padding: 0.1rem 0; }
  .ch-plan td:first-child { font-weight: 600; }
}
math[display="block"] { font-size: 1.1em; overflow-x: auto; max-width: 100%; }
"""

FAVICON = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6"
fill="#1f5f8b"/><text x="16" y="22" font-family="sans-serif" font-size="14" font-weight="bold" fill="#fff"
text-anchor="middle">GRC</text></svg>
"""
