"""Indicateurs de fidélisation (KPI) : attrition, rétention, rotation, cohortes, transformation, réachat
après contact, satisfaction.

Chaque indicateur existe en deux versions :

* à partir de **nombres** (exercices) : ``attrition_rate(lost=50, start=400)`` ;
* à partir des **tableaux** du cours : ``customer_flows(transactions, ...)``.

Tous les taux sont des proportions entre 0 et 1 (0.125 = 12,5 %) ; l'affichage
en pourcentage revient à l'appelant. Le NPS, lui, est en points (de −100 à +100).
Une donnée impossible (plus de clients perdus que de clients au départ, effectif
négatif...) lève une :class:`~coursehelpers.errors.DataError`.

Ce module est une façade ; le calcul est dans ses modules privés :

=====================  ==================================================================
``_rates``             taux à partir de nombres (attrition, rétention, rotation...)
``_conversion``        taux de transformation (prospects → clients), réachat après contact
``_satisfaction``      indice de satisfaction et NPS (la seule définition du paquet)
``_channels``          indicateurs par canal de contact (``channel_summary``)
``_retention``         clients conservés / perdus / nouveaux, cohortes, départ (« churn »)
``_loyalty``           leviers de la roue de la fidélité mesurés sur les données
``_dashboard``         tableau de bord : les indicateurs clés par période et segment
=====================  ==================================================================

Panier moyen, valeur vie client (CLV) et coût d'acquisition sont dans :mod:`coursehelpers.clv`,
réexportés ici (``kpis.clv(...)``, ``kpis.average_basket(...)``).
"""

from __future__ import annotations

from coursehelpers.clv import (
    ACQUISITION_COST_MULTIPLE,
    acquisition_vs_retention,
    average_basket,
    average_basket_from_totals,
    break_even_years,
    clv,
    clv_by_segment,
    clv_table,
    retention_uplift,
)
from coursehelpers.kpis._channels import channel_summary
from coursehelpers.kpis._conversion import contact_conversion, conversion_table, repurchase_after_contact
from coursehelpers.kpis._dashboard import kpi_dashboard, repurchase_flags
from coursehelpers.kpis._loyalty import loyalty_frame, loyalty_table
from coursehelpers.kpis._rates import (
    annual_rate_from_multi_year,
    attrition_rate,
    conversion_rate,
    multi_year_rate_from_annual,
    renewal_rate,
    retention_rate,
    rotation_rate,
)
from coursehelpers.kpis._retention import (
    CustomerFlows,
    churn_by,
    churn_flags,
    cohort_retention,
    customer_flows,
)
from coursehelpers.kpis._satisfaction import (
    nps,
    nps_from_counts,
    satisfaction_from_counts,
    satisfaction_index,
)

__all__ = [
    "ACQUISITION_COST_MULTIPLE",
    "CustomerFlows",
    "acquisition_vs_retention",
    "annual_rate_from_multi_year",
    "attrition_rate",
    "average_basket",
    "average_basket_from_totals",
    "break_even_years",
    "channel_summary",
    "churn_by",
    "churn_flags",
    "clv",
    "clv_by_segment",
    "clv_table",
    "cohort_retention",
    "contact_conversion",
    "conversion_rate",
    "conversion_table",
    "customer_flows",
    "kpi_dashboard",
    "loyalty_frame",
    "loyalty_table",
    "multi_year_rate_from_annual",
    "nps",
    "nps_from_counts",
    "renewal_rate",
    "repurchase_after_contact",
    "repurchase_flags",
    "retention_rate",
    "retention_uplift",
    "rotation_rate",
    "satisfaction_from_counts",
    "satisfaction_index",
]
