"""Lire un vrai fichier client ou ventes exporté d'Excel ou d'un CRM français.

:func:`read_crm_export` accepte ce que produisent les logiciels français (séparateur « ; »,
virgule décimale, espaces insécables entre les milliers, « € », encodage Windows, dates
jj/mm/aaaa, classeurs .xlsx) et rend un tableau au format du cours :
``client_id`` (texte), ``date`` (datetime64), ``montant`` (float64, €).

Principe : **rien n'est deviné en silence**. Ce qui ne peut pas être lu avec certitude lève
une :class:`~coursehelpers.errors.DataError` qui cite le fichier, la colonne et la première
ligne fautive (numérotée comme dans un tableur : en-tête = ligne 1). Ce qui est lisible mais
surprenant (avoirs négatifs, montants nuls, dates futures, lignes vides, ligne « Total ») est conservé ou
écarté **et signalé** par un :class:`~coursehelpers.errors.DataWarning`.
"""

from coursehelpers.crm_export._columns import FALLBACK_SYNONYMS, SYNONYMS, normalize_name
from coursehelpers.crm_export._read import (
    DATE_COLUMNS as DATE_COLUMNS,
)
from coursehelpers.crm_export._read import (
    EXCEL_SUFFIXES as EXCEL_SUFFIXES,
)
from coursehelpers.crm_export._read import (
    ID_COLUMNS,
    read_crm_export,
)
from coursehelpers.crm_export._read import (
    NUMERIC_COLUMNS as NUMERIC_COLUMNS,
)
from coursehelpers.crm_export._read import (
    TEXT_SUFFIXES as TEXT_SUFFIXES,
)

# DATE_COLUMNS, NUMERIC_COLUMNS, TEXT_SUFFIXES, EXCEL_SUFFIXES : importables comme avant.
__all__ = ["FALLBACK_SYNONYMS", "ID_COLUMNS", "SYNONYMS", "normalize_name", "read_crm_export"]
