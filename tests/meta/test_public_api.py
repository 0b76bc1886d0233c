"""Les chemins publics ne changent pas : chaque nom public d'avant la réorganisation (ticket 11)
s'importe toujours du même module.

La liste a été relevée sur le code d'avant (commit 90e7cca) : ``__all__`` de chaque module public,
plus les noms publics définis dans le module lui-même (``clv.as_number``...) et, pour le paquet,
ses sous-modules. Un nom peut s'ajouter ; aucun ne doit disparaître. Seul retrait voulu :
``widgets.require_customers`` (code mort, hors ``__all__``, remplacé par un contrôle interne).
"""

from __future__ import annotations

import importlib

import pytest

PUBLIC_NAMES: dict[str, tuple[str, ...]] = {
    "coursehelpers": (
        "DataError", "DataWarning", "__version__", "cli", "clv", "crm_export", "datasets", "display",
        "errors", "grading", "kpis", "pareto", "plots", "rfm", "segmentation", "tiers", "widgets",
    ),
    "coursehelpers.rfm": (
        "SEGMENTS", "SEGMENT_RULES", "SegmentRule", "rfm_scores", "rfm_segments", "rfm_table",
        "segment_customers", "segment_grid",
    ),
    "coursehelpers.pareto": (
        "CLASSES", "ParetoTable", "abc_classes", "customer_flows", "pareto_table", "rotation_rate",
        "top_share",
    ),
    "coursehelpers.tiers": (
        "DEFAULT_CUTOFFS", "TIERS", "TIER_DESCRIPTIONS", "assign_tiers", "tier_table",
    ),
    "coursehelpers.clv": (
        "ACQUISITION_COST_MULTIPLE", "acquisition_vs_retention", "as_number", "average_basket",
        "average_basket_from_totals", "break_even_years", "check_not_above", "clv", "clv_by_segment",
        "clv_table", "ratio", "retention_uplift",
    ),
    "coursehelpers.kpis": (
        "ACQUISITION_COST_MULTIPLE", "CustomerFlows", "acquisition_vs_retention",
        "annual_rate_from_multi_year", "attrition_rate", "average_basket", "average_basket_from_totals",
        "break_even_years", "churn_by", "churn_flags", "clv", "clv_by_segment", "clv_table",
        "cohort_retention", "contact_conversion", "conversion_rate", "conversion_table", "customer_flows",
        "kpi_dashboard", "multi_year_rate_from_annual", "nps", "nps_from_counts", "renewal_rate",
        "repurchase_after_contact", "retention_rate", "retention_uplift", "rotation_rate",
        "satisfaction_from_counts",
        "satisfaction_index",
    ),
    "coursehelpers.segmentation": (
        "CRITERIA", "Criterion", "KMeansResult", "RuleSegmentation", "UNASSIGNED", "compare_k",
        "criteria_table", "customer_frame", "kmeans_segments", "profile_table", "segment_by_rules",
    ),
    "coursehelpers.crm_export": (
        "DATE_COLUMNS", "EXCEL_SUFFIXES", "ID_COLUMNS", "NUMERIC_COLUMNS", "SYNONYMS", "TEXT_SUFFIXES",
        "normalize_name", "read_crm_export",
    ),
    "coursehelpers.datasets": (
        "COLUMNS", "DEFAULT_SEED", "NAMES", "SCHEMAS", "data_dir", "generate", "load_b2b_accounts",
        "load_b2b_orders", "load_clients", "load_contacts", "load_transactions", "path", "write",
    ),
    "coursehelpers.display": (
        "NBSP", "THIN", "eur", "french_table", "num", "pct",
    ),
    "coursehelpers.errors": (
        "DataError", "DataWarning",
    ),
    "coursehelpers.plots": (
        "ABC_COLORS", "OKABE_ITO", "PALETTE", "TIER_COLORS", "WHEEL_STAGES", "channel_bars", "clv_curve",
        "clv_sensitivity", "customer_pyramid", "pareto_curve", "retention_curves", "rfm_heatmap",
        "satisfaction_by_channel", "segment_bars", "segment_profile", "wheel_of_loyalty",
    ),
    "coursehelpers.widgets": (
        "Explorer", "abc_explorer", "channel_explorer", "channel_summary", "clv_by_year", "clv_simulator",
        "customer_frame", "customer_values", "kpi_dashboard_explorer", "loyalty_explorer", "loyalty_frame",
        "loyalty_table", "pyramid_explorer", "rfm_explorer", "segmentation_explorer",
    ),
    "coursehelpers.grading": (
        "CheckFailed", "check", "progress", "reset_progress",
    ),
}


@pytest.mark.parametrize("module", sorted(PUBLIC_NAMES))
def test_every_public_name_still_imports_from_the_same_path(module: str) -> None:
    mod = importlib.import_module(module)
    missing = [name for name in PUBLIC_NAMES[module] if not hasattr(mod, name)]
    assert not missing, f"{module} : noms disparus : {', '.join(missing)}"


@pytest.mark.parametrize("module", sorted(PUBLIC_NAMES))
def test_all_lists_only_existing_names(module: str) -> None:
    mod = importlib.import_module(module)
    assert [name for name in getattr(mod, "__all__", []) if not hasattr(mod, name)] == []


def test_dead_helper_is_gone() -> None:
    from coursehelpers import widgets

    assert not hasattr(widgets, "require_customers")
