"""Figures du cours (matplotlib) : chaque fonction rend une ``Figure`` prête à afficher.

Toutes les figures ont un titre et des axes en français, des montants en euros au format
français (12 345 €) et une palette lisible par les personnes daltoniennes (Okabe–Ito).
Chaque fonction accepte ``ax=`` pour dessiner dans un axe existant (figure composée).

>>> from coursehelpers import plots
>>> fig = plots.wheel_of_loyalty()          # la roue de la fidélité
>>> fig.axes[0].get_title()
'La roue de la fidélité (Lovelock & Wirtz)'

Dans Jupyter, la figure rendue par la dernière ligne d'une cellule s'affiche une seule fois.
"""

from __future__ import annotations

from coursehelpers._plot_kpis import clv_curve, clv_sensitivity
from coursehelpers._plot_style import ABC_COLORS, OKABE_ITO, PALETTE, TIER_COLORS, register_ipython_png
from coursehelpers._plot_wheel import WHEEL_STAGES, wheel_of_loyalty

__all__ = [
    "ABC_COLORS",
    "OKABE_ITO",
    "PALETTE",
    "TIER_COLORS",
    "WHEEL_STAGES",
    "clv_curve",
    "clv_sensitivity",
    "wheel_of_loyalty",
]

register_ipython_png()
