"""Conversion des cellules d'un export : montants, dates, identifiants, texte.

Partie privée de :mod:`coursehelpers.crm_export`. Tout est vectorisé (méthodes ``.str`` de
pandas) ; la première valeur fautive est signalée avec sa ligne dans le fichier.
"""

from __future__ import annotations

import datetime as dt
import numbers
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from coursehelpers._core.text import fixed_width_bytes
from coursehelpers.errors import DataError

_SP = " \u00a0\u202f\u2009"  # espace, insécable, fine insécable, fine


def _grouped(separators: str) -> str:
    """Milliers groupés par un seul et même séparateur (« 1 234 567 », pas « 1 234.567 »).

    Une alternative par séparateur plutôt qu'une référence arrière : le motif reste compris
    par le moteur d'expressions régulières de pyarrow (RE2), bien plus rapide."""
    return "|".join(f"[0-9]{{1,3}}(?:{re.escape(c) if c in '.,' else c}[0-9]{{3}})+"
                    for c in separators)


# [0-9] et non \d : chiffres ASCII seulement, ce que pyarrow sait aussi faire sur du texte
# contenant des espaces insécables (avec \d, pandas repasse au moteur Python, ligne à ligne)
NUMBER_FR = rf"[+-]?(?:{_grouped(_SP + '.')}|[0-9]+)(?:,[0-9]+)?"
NUMBER_EN = rf"[+-]?(?:{_grouped(_SP + ',')}|[0-9]+)(?:\.[0-9]+)?"
_CURRENCY = r"(?i)^eur\s*|\s*(?:euros?|eur)$"  # « € » est retiré à part, par str.strip
_DATE_FR = (r"^(?P<day>\d{1,2})(?P<s>[/.-])(?P<month>\d{1,2})(?P=s)(?P<year>\d{4})"
            r"(?:[ T](?P<hour>\d{1,2})[:h](?P<minute>\d{2})(?::(?P<second>\d{2}))?)?$")
# heure locale gardée telle quelle : un décalage horaire final (« +0100 », « Z ») est ignoré
_DATE_ISO = (r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
             r"(?:[ T](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
             r"(?: ?(?:Z|[+-]\d{2}:?\d{2}))?)?$")
_DATE_SHORT_YEAR = r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2}(?:\s.*)?$"
_PARTS = ["year", "month", "day", "hour", "minute", "second"]
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_EXCEL_MAX_SERIAL = (pd.Timestamp("2199-12-31") - _EXCEL_EPOCH).days


@dataclass
class Column:
    """Une colonne brute à convertir : valeurs, nom dans le fichier, lignes du fichier."""

    raw: pd.Series
    label: str
    lines: np.ndarray
    path: str
    text: pd.Series = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.text is None:
            self.text = as_text(self.raw)

    def subset(self, keep: np.ndarray) -> Column:
        """La même colonne restreinte aux lignes ``keep`` (masque booléen)."""
        return Column(self.raw[keep].reset_index(drop=True), self.label, self.lines[keep], self.path,
                      self.text[keep].reset_index(drop=True))

    def filled(self) -> np.ndarray:
        """Cellules non vides (texte non blanc, ou nombre / date Excel)."""
        return (self.text != "").to_numpy(bool) | (~is_text_kind(self.raw) & self.raw.notna().to_numpy(bool))

    @cached_property
    def amount_text(self) -> pd.Series:
        """Texte d'un montant sans « € / EUR » autour, signe moins typographique normalisé."""
        text = self.text
        has_unit = text.str.contains("[€Ee]", regex=True).to_numpy(bool)
        if has_unit.any():
            unit = text[has_unit].str.strip(_SP + "€")  # « € » en tête ou en fin seulement
            word = unit.str.contains("[eE]", regex=True).to_numpy(bool)
            if word.any():
                unit = unit.where(~word, unit[word].str.replace(_CURRENCY, "", regex=True).str.strip())
            text = text.where(~has_unit, unit)
        return text.str.replace("\u2212", "-", regex=False)

    def amount_matches(self, pattern: str) -> np.ndarray:
        """Montants (texte sans unité) écrits selon ``pattern`` ou vides ; calculé une fois."""
        cache = self.__dict__.setdefault("_matches", {})
        if pattern not in cache:
            text = self.amount_text
            cache[pattern] = text.str.fullmatch(pattern).to_numpy(bool) | (text == "").to_numpy(bool)
        return cache[pattern]

    def fail(self, mask: np.ndarray | pd.Series, message: str) -> None:
        """Lève une DataError sur la première ligne où ``mask`` est vrai (si elle existe)."""
        mask = np.asarray(mask, dtype=bool)
        if mask.any():
            k = int(np.flatnonzero(mask)[0])
            value = self.raw.iloc[k]
            raise DataError(message.format(value=value), path=self.path, column=self.label,
                            line=int(self.lines[k]))


def is_text_kind(raw: pd.Series) -> np.ndarray:
    """Masque des cellules texte (toujours vrai pour un CSV, au cas par cas pour un .xlsx)."""
    if raw.dtype != object:
        return np.ones(len(raw), dtype=bool)
    return raw.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)


def as_text(raw: pd.Series) -> pd.Series:
    """Cellules texte nettoyées (espaces autour retirés) ; les non-textes deviennent vides."""
    text = raw.where(is_text_kind(raw), "").astype("str").fillna("")
    return text.str.strip()


def _number_kind(raw: pd.Series) -> np.ndarray:
    if raw.dtype != object:
        return np.zeros(len(raw), dtype=bool)
    return raw.map(lambda v: isinstance(v, numbers.Real) and not isinstance(v, bool)).to_numpy(bool)



def choose_decimal(columns: Sequence[Column], *, decimal: str | None) -> str | None:
    """Séparateur décimal du fichier, décidé sur toutes les colonnes de montants à la fois.

    Virgule si toutes les valeurs s'écrivent « à la française » (1 234,56 · 1.234,56), point si
    toutes s'écrivent « à l'anglaise » (1234.56). Si les deux lectures sont possibles mais
    donnent des nombres différents (« 1.234 » seul), on ne devine pas : DataError.
    """
    if decimal is not None:
        if decimal not in {",", "."}:
            raise DataError(f"« decimal » doit valoir \",\" ou \".\" (reçu : {decimal!r}).")
        return decimal
    texts = [(c.amount_text, c) for c in columns]
    fr = np.concatenate([c.amount_matches(NUMBER_FR) for c in columns]) if texts else np.array([], bool)
    en = np.concatenate([c.amount_matches(NUMBER_EN) for c in columns]) if texts else np.array([], bool)
    marks = [t.str.contains(r"[.,]", regex=True).to_numpy(bool) for t, _ in texts]
    if not any(m.any() for m in marks):
        return None  # que des entiers (ou des nombres Excel) : le séparateur décimal n'a pas servi
    if fr.all() and en.all():
        for (_, col), m in zip(texts, marks, strict=True):
            col.fail(m, "montant ambigu « {value} » : « 1.234 » ou « 1,234 » peut se lire mille deux "
                        "cent trente-quatre ou un virgule deux-trois-quatre. Précisez le séparateur "
                        "décimal avec decimal=\",\" (français) ou decimal=\".\".")
    if fr.all():
        return ","
    if en.all():
        return "."
    return "," if fr.sum() >= en.sum() else "."


def parse_amounts(col: Column, *, decimal: str | None) -> pd.Series:
    """Montants en float64 : « 1 234,56 € » → 1234.56 ; vide → NaN ; illisible → DataError."""
    text = col.amount_text
    is_num = _number_kind(col.raw)
    pattern, other = (NUMBER_FR, NUMBER_EN) if decimal != "." else (NUMBER_EN, NUMBER_FR)
    ok = col.amount_matches(pattern) | is_num
    if not ok.all():
        swapped = col.amount_matches(other) & (text != "").to_numpy(bool)
        name = "la virgule" if decimal == "," else "le point"
        col.fail(~ok & swapped, "séparateur décimal incohérent dans « {value} » : le reste du fichier "
                                f"utilise {name}. Harmonisez la colonne dans le tableur.")
        col.fail(~ok, "montant non numérique « {value} » : un nombre est attendu, par exemple "
                      "1 234,56 ou 1234.56 (vérifiez les lettres O/o à la place de zéros, les "
                      "unités autres que €, les cellules d'erreur Excel).")
    if decimal == ",":
        digits = text.str.replace(rf"[{_SP}.]", "", regex=True).str.replace(",", ".", regex=False)
    else:
        digits = text.str.replace(rf"[{_SP},]", "", regex=True)
    values = pd.to_numeric(digits.replace("", np.nan), errors="coerce").astype("float64")
    if is_num.any():
        values = values.where(~is_num, pd.to_numeric(col.raw.where(is_num), errors="coerce"))
    return values.astype("float64")


_SAMPLE_FR = re.compile(r"(\d{1,2})([/.-])\d{1,2}\2\d{4}(?:([ T])\d{1,2}([:h])\d{2}(:\d{2})?)?")
_SAMPLE_ISO = re.compile(r"\d{4}-\d{2}-\d{2}(?:([ T])\d{2}:\d{2}(:\d{2})?)?")


# Dates à largeur fixe (zéros en tête) : position de chaque nombre (début, nb de chiffres)
_FIXED_FIELDS = {
    "fr": {"day": (0, 2), "month": (3, 2), "year": (6, 4)},
    "iso": {"year": (0, 4), "month": (5, 2), "day": (8, 2)},
}
_TIME_FIELDS = {"hour": (11, 2), "minute": (14, 2), "second": (17, 2)}


def _fixed_layout(first: bytes) -> tuple[dict[int, int], dict[str, tuple[int, int]]] | None:
    """(séparateur attendu à chaque position, position des nombres) d'après la première date."""
    width = len(first)
    if first[2:3] in (b"/", b".", b"-") and first[5:6] == first[2:3]:
        seps, fields = {2: first[2], 5: first[2]}, dict(_FIXED_FIELDS["fr"])
        time_marks = (b":", b"h")
    elif first[4:5] == b"-" and first[7:8] == b"-":
        seps, fields = {4: ord("-"), 7: ord("-")}, dict(_FIXED_FIELDS["iso"])
        time_marks = (b":",)
    else:
        return None
    if width >= 16:
        if first[10:11] not in (b" ", b"T") or first[13:14] not in time_marks:
            return None
        seps |= {10: first[10], 13: first[13]}
        fields |= {k: _TIME_FIELDS[k] for k in ("hour", "minute")}
    if width == 19:
        seps[16] = ord(":")
        fields["second"] = _TIME_FIELDS["second"]
    return seps, fields


def _fixed_dates(text: pd.Series) -> pd.Series | None:
    """Voie la plus rapide : « jj/mm/aaaa[ hh:mm[:ss]] » ou « aaaa-mm-jj[ hh:mm[:ss]] », tous de
    la même largeur (zéros en tête, le cas d'un export), lus directement dans les octets.

    Chaque séparateur est vérifié à sa place, chaque chiffre est un chiffre, le mois va de 1 à
    12, l'heure de 0 à 23, les minutes et secondes de 0 à 59, et le jour existe dans son mois
    (31/02 refusé). Au moindre écart : None (la voie suivante trouve et localise l'erreur).
    """
    matrix = fixed_width_bytes(text)
    if matrix is None or matrix.shape[1] not in (10, 16, 19):
        return None
    layout = _fixed_layout(bytes(matrix[0]))
    if layout is None:
        return None
    seps, fields = layout
    if any((matrix[:, j] != byte).any() for j, byte in seps.items()):
        return None
    digits = matrix.astype(np.int64) - ord("0")
    spots = [j for j in range(matrix.shape[1]) if j not in seps]
    if ((digits[:, spots] < 0) | (digits[:, spots] > 9)).any():
        return None
    parts = {name: sum(digits[:, start + k] * 10 ** (size - 1 - k) for k in range(size))
             for name, (start, size) in fields.items()}
    zero = np.zeros(len(matrix), dtype=np.int64)
    year, month, day = parts["year"], parts["month"], parts["day"]
    hour, minute, second = (parts.get(k, zero) for k in ("hour", "minute", "second"))
    if ((month < 1) | (month > 12) | (day < 1) | (year < 1678) | (year > 2261) | (hour > 23)
            | (minute > 59) | (second > 59)).any():
        return None
    months = (year - 1970) * 12 + (month - 1)
    first_day = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    next_first = (months + 1).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    if (day > next_first - first_day).any():  # 31/02, 31/04...
        return None
    seconds = (first_day + day - 1) * 86_400 + hour * 3_600 + minute * 60 + second
    return pd.Series((seconds * 1_000_000_000).astype("datetime64[ns]"), index=text.index)


def _uniform_dates(text: pd.Series) -> pd.Series | None:
    """Voie rapide : toutes les dates écrites comme la première (cas d'un export).

    Le format de la première date (« 05/03/2024 10:15 » → ``%d/%m/%Y %H:%M``) est vérifié sur
    toute la colonne par une expression régulière stricte, puis appliqué par
    ``pd.to_datetime(format=...)``. Au moindre écart (autre format, date impossible, année
    hors de 1678-2261), renvoie None : la lecture détaillée, ligne par ligne, localise l'erreur.
    """
    fixed = _fixed_dates(text)
    if fixed is not None:
        return fixed
    sample = str(text.iloc[0])
    fr, iso = _SAMPLE_FR.fullmatch(sample), _SAMPLE_ISO.fullmatch(sample)
    if fr:
        sep = re.escape(fr.group(2))
        pattern = f"[0-9]{{1,2}}{sep}[0-9]{{1,2}}{sep}[0-9]{{4}}"
        form = f"%d{fr.group(2)}%m{fr.group(2)}%Y"
        time, colon, seconds = fr.group(3), fr.group(4), fr.group(5)
        if time:
            pattern += f"{time}[0-9]{{1,2}}{colon}[0-9]{{2}}"
            form += f"{time}%H{colon}%M"
    elif iso:
        pattern, form = "[0-9]{4}-[0-9]{2}-[0-9]{2}", "%Y-%m-%d"
        time, seconds = iso.group(1), iso.group(2)
        if time:
            pattern += f"{time}[0-9]{{2}}:[0-9]{{2}}"
            form += f"{time}%H:%M"
    else:
        return None
    if time and seconds:
        pattern += ":[0-9]{2}"
        form += ":%S"
    if not text.str.fullmatch(pattern).all():
        return None
    parsed = pd.to_datetime(text, format=form, errors="coerce")
    if parsed.isna().any():
        return None
    years = parsed.dt.year
    if years.min() < 1678 or years.max() > 2261:  # hors de datetime64[ns] : lecture détaillée
        return None
    return parsed.astype("datetime64[ns]")


def parse_dates(col: Column, *, excel: bool) -> pd.Series:
    """Dates jj/mm/aaaa [hh:mm[:ss]] ou aaaa-mm-jj [hh:mm[:ss]] ; cellules date Excel.

    Jamais de lecture mois/jour : 03/04/2024 est le 3 avril. Une date impossible
    (31/02/2024), une année à deux chiffres ou un mélange de formats → DataError.
    """
    raw, text = col.raw, col.text
    is_text = is_text_kind(raw) & (text != "").to_numpy(bool)
    out = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    if raw.dtype == object:
        is_date = raw.map(lambda v: isinstance(v, (dt.date, pd.Timestamp))).to_numpy(bool)
        if is_date.any():
            years = raw.map(lambda v: v.year if isinstance(v, dt.date) else 2000)
            col.fail(~years.between(1900, 2199).to_numpy(bool), "date « {value} » hors de la période "
                     "acceptée (1900 à 2199) : erreur de saisie ?")
            out[is_date] = pd.to_datetime(raw[is_date].map(pd.Timestamp)).astype("datetime64[ns]")
        is_num = _number_kind(raw)
        if is_num.any():
            serial = pd.to_numeric(raw.where(is_num), errors="coerce")
            if not excel:  # pragma: no cover - un CSV ne contient que du texte
                col.fail(is_num, "nombre « {value} » à la place d'une date.")
            col.fail(is_num & ~serial.between(1, _EXCEL_MAX_SERIAL).to_numpy(bool),
                     "nombre « {value} » à la place d'une date (un numéro de date Excel entre 1 et "
                     "109 574, soit au plus tard le 31/12/2199, est attendu).")
            out[is_num] = (_EXCEL_EPOCH + pd.to_timedelta(serial[is_num], unit="D")).dt.round("s")
    if not is_text.any():
        return out
    fast = _uniform_dates(text[is_text]) if raw.dtype != object else None
    if fast is not None:
        out[is_text] = fast
        return out
    parts = text.str.extract(_DATE_FR)[_PARTS]
    fr = parts["year"].notna().to_numpy(bool) & is_text
    iso = np.zeros(len(text), dtype=bool)
    if not fr[is_text].all():
        iso = text.str.match(_DATE_ISO).to_numpy(bool) & is_text
    if not (fr | iso)[is_text].all():
        col.fail(text.str.match(_DATE_SHORT_YEAR).to_numpy(bool) & is_text,
             "date « {value} » avec une année à deux chiffres : le siècle serait deviné. "
                 "Dans le tableur, affichez les dates au format jj/mm/aaaa puis réexportez.")
    col.fail(is_text & ~fr & ~iso,
             "date illisible « {value} ». Formats acceptés : 31/12/2024, 31/12/2024 14:30 ou "
             "2024-12-31 (ISO).")
    if fr.any() and iso.any():
        first_is_fr = np.flatnonzero(fr)[0] < np.flatnonzero(iso)[0]
        col.fail(iso if first_is_fr else fr,
                 "formats de date mélangés : « {value} » ne suit pas le format des lignes "
                 "précédentes (jj/mm/aaaa ou aaaa-mm-jj). Harmonisez la colonne dans le tableur.")
    if not fr.any():
        parts = text.str.extract(_DATE_ISO)[_PARTS]
    parts = parts.apply(pd.to_numeric, errors="coerce")
    parts[["hour", "minute", "second"]] = parts[["hour", "minute", "second"]].fillna(0)
    parsed = pd.to_datetime(parts.fillna({"year": 2000, "month": 1, "day": 1}), errors="coerce")
    # to_datetime assemble l'heure en ajoutant une durée : « 24:00 » deviendrait le lendemain
    clock = ((parts["hour"] > 23) | (parts["minute"] > 59) | (parts["second"] > 59)).to_numpy(bool)
    bad = is_text & (parsed.isna().to_numpy(bool) | clock)
    if bad.any():
        us_like = bad & (parts["month"] > 12).to_numpy(bool) & (parts["day"] <= 12).to_numpy(bool)
        col.fail(us_like, "date impossible « {value} » : il n'y a pas de 13e mois. Ce fichier semble "
                          "au format américain mm/jj/aaaa ; le cours attend jj/mm/aaaa.")
        col.fail(bad, "date impossible « {value} » (jour, mois ou heure inexistant). "
                      "Corrigez-la dans le fichier.")
    out[is_text] = parsed[is_text].astype("datetime64[ns]")
    return out


def _format_id(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value == dt.datetime.combine(value.date(), dt.time()):
        return value.date().isoformat()
    return str(value)


def parse_text(col: Column, *, unwrap_excel: bool = False) -> pd.Series:
    """Texte nettoyé (``str``) ; cellule vide → manquant. Les zéros en tête sont conservés.

    ``unwrap_excel`` : retire l'écriture ``="00123"`` que certains logiciels utilisent pour
    qu'Excel garde les zéros en tête d'un identifiant.
    """
    raw, text = col.raw, col.text
    if raw.dtype == object:
        other = ~is_text_kind(raw) & raw.notna().to_numpy(bool)
        if other.any():
            text = text.where(~other, raw[other].map(_format_id).astype("str"))
    if unwrap_excel:
        wrapped = text.str.startswith('="').to_numpy(bool)
        if wrapped.any():
            inner = text[wrapped].str.replace(r'^="(.*)"$', r"\1", regex=True).str.strip()
            text = text.where(~wrapped, inner)
    return text.where(text != "").astype("str")
