"""Figures du cours (matplotlib) : chaque fonction rend une ``Figure`` prête à afficher.

Toutes les figures ont un titre et des axes en français, des montants en euros au format
français (12 345 €) et une palette lisible par les personnes daltoniennes (Okabe–Ito,
« cividis » pour les cartes de chaleur). Chaque fonction accepte ``ax=`` pour dessiner dans
un axe existant (figure composée).

=============================  =====================================================
``pareto_curve``               courbe de concentration, point 20/80, zones A/B/C
``customer_pyramid``           pyramide Platinum / Or / Fer / Plomb (clients et CA)
``rfm_heatmap``                carte de chaleur R × F (montant moyen ou effectif)
``segment_bars``               part des clients et du CA par segment
``segment_profile``            profil des segments en indice base 100
``wheel_of_loyalty``           roue de la fidélité (Lovelock & Wirtz)
``retention_curves``           rétention par cohorte
``satisfaction_by_channel``    satisfaction par canal de contact
``channel_bars``               un indicateur par canal (volume, délai, résolution...)
``clv_curve``                  CLV cumulée et seuil de rentabilité
``clv_sensitivity``            sensibilité de la CLV au taux de fidélisation
=============================  =====================================================

>>> from coursehelpers import plots
>>> fig = plots.wheel_of_loyalty()
>>> fig.axes[0].get_title()
'La roue de la fidélité (Lovelock & Wirtz)'

Dans Jupyter, la figure rendue par la dernière ligne d'une cellule s'affiche une seule fois.
"""

from __future__ import annotations

from coursehelpers._plot_customers import customer_pyramid, pareto_curve
from coursehelpers._plot_kpis import (
    channel_bars,
    clv_curve,
    clv_sensitivity,
    retention_curves,
    satisfaction_by_channel,
)
from coursehelpers._plot_rfm import rfm_heatmap, segment_bars, segment_profile
from coursehelpers._plot_style import ABC_COLORS, OKABE_ITO, PALETTE, TIER_COLORS, register_ipython_png
from coursehelpers._plot_wheel import WHEEL_STAGES, wheel_of_loyalty

__all__ = [
    "ABC_COLORS",
    "OKABE_ITO",
    "PALETTE",
    "TIER_COLORS",
    "WHEEL_STAGES",
    "channel_bars",
    "clv_curve",
    "clv_sensitivity",
    "customer_pyramid",
    "pareto_curve",
    "retention_curves",
    "rfm_heatmap",
    "satisfaction_by_channel",
    "segment_bars",
    "segment_profile",
    "wheel_of_loyalty",
]

register_ipython_png()
