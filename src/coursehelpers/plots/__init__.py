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
``attrition_bars``             part de clients partis par groupe d'un levier de fidélité
``kpi_lines``                  un indicateur du tableau de bord par période et segment
=============================  =====================================================

Chaque figure des explorateurs a sa fonction ``update_...`` qui la met à jour sur place
(``remember`` / ``recall`` / ``live_png`` : voir ``plots._live``). Modules privés :
``_style`` (palette, formats, titres, bornes rondes), ``_live``, puis un module par famille
de figures (``_customers``, ``_rfm``, ``_kpis``, ``_wheel``, ``_loyalty``, ``_dashboard``).

>>> from coursehelpers import plots
>>> fig = plots.wheel_of_loyalty()
>>> fig.axes[0].get_title()
'La roue de la fidélité (Lovelock & Wirtz)'

Dans Jupyter, la figure rendue par la dernière ligne d'une cellule s'affiche une seule fois.
"""

from __future__ import annotations

from coursehelpers.plots._customers import (
    customer_pyramid,
    pareto_curve,
    update_customer_pyramid,
    update_pareto_curve,
)
from coursehelpers.plots._dashboard import KPI_FORMATS, kpi_lines, update_kpi_lines
from coursehelpers.plots._kpis import (
    channel_bars,
    clv_curve,
    clv_sensitivity,
    retention_curves,
    satisfaction_by_channel,
    update_channel_bars,
    update_clv_curve,
)
from coursehelpers.plots._live import LiveFigure, live_png, recall, remember
from coursehelpers.plots._loyalty import attrition_bars, update_attrition_bars
from coursehelpers.plots._privacy import PERMISSION_COLORS, permission_bars, update_permission_bars
from coursehelpers.plots._rfm import (
    heat_matrix,
    rfm_heatmap,
    segment_bars,
    segment_profile,
    update_rfm_heatmap,
    update_segment_bars,
)
from coursehelpers.plots._share import share_bars, update_share_bars
from coursehelpers.plots._style import (
    ABC_COLORS,
    OKABE_ITO,
    PALETTE,
    TIER_COLORS,
    euro_formatter,
    figure_png,
    new_axes,
    nice_ceil,
    nice_limits,
    number_formatter,
    percent_formatter,
    register_ipython_png,
    set_title,
    style_axes,
)
from coursehelpers.plots._wheel import WHEEL_STAGES, wheel_of_loyalty

__all__ = [
    "ABC_COLORS",
    "KPI_FORMATS",
    "OKABE_ITO",
    "PALETTE",
    "PERMISSION_COLORS",
    "TIER_COLORS",
    "WHEEL_STAGES",
    "LiveFigure",
    "attrition_bars",
    "channel_bars",
    "clv_curve",
    "clv_sensitivity",
    "customer_pyramid",
    "euro_formatter",
    "figure_png",
    "heat_matrix",
    "kpi_lines",
    "live_png",
    "new_axes",
    "nice_ceil",
    "nice_limits",
    "number_formatter",
    "pareto_curve",
    "percent_formatter",
    "permission_bars",
    "recall",
    "remember",
    "retention_curves",
    "rfm_heatmap",
    "satisfaction_by_channel",
    "segment_bars",
    "segment_profile",
    "set_title",
    "share_bars",
    "style_axes",
    "update_attrition_bars",
    "update_channel_bars",
    "update_clv_curve",
    "update_customer_pyramid",
    "update_kpi_lines",
    "update_pareto_curve",
    "update_permission_bars",
    "update_rfm_heatmap",
    "update_segment_bars",
    "update_share_bars",
    "wheel_of_loyalty",
]

register_ipython_png()
