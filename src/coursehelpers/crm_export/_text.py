"""Lecture d'un export texte (CSV) : encodage, séparateur, en-tête, numéros de ligne.

Partie privée de :mod:`coursehelpers.crm_export`. Le résultat est un :class:`RawTable` :
des cellules texte brutes et, pour chaque ligne de données, son numéro de ligne dans le
fichier tel qu'un tableur l'affiche (1-based, lignes vides et préambule compris).
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from coursehelpers.crm_export._columns import count_recognised
from coursehelpers.errors import DataError

SEPARATORS = (";", ",", "\t")
_SEP_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation"}
_SAMPLE_RECORDS = 200
_HEADER_SEARCH = 30
_MARK = "\x00"  # remplace, dans le squelette, un saut de ligne situé entre guillemets


@dataclass
class RawTable:
    """Tableau brut : en-tête, cellules (une colonne par position) et numéros de ligne."""

    header: list[str]
    cells: pd.DataFrame
    lines: np.ndarray
    header_line: int
    attrs: dict = field(default_factory=dict)


def decode(data: bytes, *, path: str, encoding: str | None) -> tuple[str, str]:
    """Décode les octets ; renvoie (texte, encodage retenu).

    Ordre : BOM UTF-16 ou UTF-8, puis UTF-8 strict, puis cp1252 (qui couvre le latin-1
    imprimable). Un octet que ni UTF-8 ni cp1252 ne savent lire → DataError avec sa ligne.
    """
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise DataError(f"encodage « {encoding} » inconnu (essayez \"utf-8\" ou \"cp1252\").",
                            path=path) from None
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise DataError(
                f"le fichier ne peut pas être lu avec l'encodage « {encoding} » (octet "
                f"0x{data[exc.start]:02X}). Essayez encoding=None pour la détection automatique.",
                path=path, line=line) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_strict(data, "utf-16", path), "utf-16"
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode_strict(data, "utf-8-sig", path), "utf-8-sig"
    if b"\x00" in data[:4096] or data.startswith(b"PK\x03\x04"):
        raise DataError(
            "ce fichier n'est pas un texte CSV (contenu binaire). S'il s'agit d'un classeur "
            "Excel, donnez-lui l'extension .xlsx, ou enregistrez-le en « CSV (séparateur : "
            "point-virgule) » depuis Excel.", path=path)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return _decode_strict(data, "cp1252", path), "cp1252"


def _decode_strict(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DataError(
            f"octet illisible 0x{data[exc.start]:02X} : le fichier n'est ni en UTF-8 ni en "
            "Windows-1252 (cp1252). Réenregistrez-le depuis votre tableur en « CSV UTF-8 », "
            "ou indiquez son encodage avec encoding=....", path=path, line=line) from None


def _nonempty(row: list[str]) -> int:
    return sum(1 for c in row if c.strip())


def _width(row: list[str]) -> int:
    """Nombre de champs sans les champs vides en fin de ligne (« a;b;; » → 2)."""
    n = len(row)
    while n and not row[n - 1].strip():
        n -= 1
    return n


def header_candidate(rows: list[list[str]], mapping: dict | None) -> tuple[int, int] | None:
    """(indice de l'en-tête, nb de cellules reconnues) pour un découpage donné, ou None.

    Une ligne peut être l'en-tête si elle a au moins deux cellules remplies, au moins autant de
    champs (champs vides finaux exclus) que la plupart des lignes non vides qui suivent (mode),
    et au moins autant de cellules remplies qu'elles en ont en général (médiane). Parmi les
    candidates, la première dont une cellule est un nom de colonne connu l'emporte ; à défaut,
    la première candidate.
    """
    first_valid = None
    for h in range(min(_HEADER_SEARCH, len(rows))):
        row = rows[h]
        if _nonempty(row) < 2:
            continue
        after = [r for r in rows[h + 1:] if _nonempty(r)][:50]
        if after:
            widths = np.array([_width(r) for r in after])
            values, counts = np.unique(widths, return_counts=True)
            if _width(row) < values[np.argmax(counts)] or \
                    _nonempty(row) < np.median([_nonempty(r) for r in after]):
                continue
        known = count_recognised(row, mapping)
        if known:
            return h, known
        if first_valid is None:
            first_valid = (h, 0)
    return first_valid


def choose_layout(text: str, *, path: str, sep: str | None, mapping: dict | None) -> tuple[str, int]:
    """Choisit (séparateur, indice de l'enregistrement d'en-tête) avec certitude, sinon DataError."""
    if sep is not None and (not isinstance(sep, str) or len(sep) != 1 or sep in "\"\n\r"):
        raise DataError(f"« sep » doit être un seul caractère, par exemple \";\" (reçu : {sep!r}).",
                        path=path)
    options = []
    for candidate in (sep,) if sep else SEPARATORS:
        reader = csv.reader(io.StringIO(text), delimiter=candidate, quotechar='"', doublequote=True)
        try:
            rows = list(itertools.islice(reader, _SAMPLE_RECORDS))
        except csv.Error:
            continue
        found = header_candidate(rows, mapping)
        if found is not None:
            options.append((candidate, *found))
    if not options:
        what = f"avec le séparateur {_SEP_NAMES.get(sep, repr(sep))}" if sep else \
            "avec un séparateur point-virgule, virgule ou tabulation"
        raise DataError(
            f"impossible de trouver une ligne d'en-tête suivie de lignes régulières {what}. "
            "Vérifiez que le fichier est bien un export en colonnes (CSV), ou précisez sep=\";\".",
            path=path)
    options.sort(key=lambda o: (o[2] == 0, o[1], -o[2]))
    best = options[0]
    rivals = [o for o in options[1:] if (o[2] == 0, o[1], -o[2]) == (best[2] == 0, best[1], -best[2])]
    if rivals:
        names = " ou ".join(_SEP_NAMES[o[0]] for o in [best, *rivals])
        raise DataError(
            f"séparateur de colonnes incertain ({names}) : le fichier se lit des deux façons. "
            "Précisez-le, par exemple sep=\";\".", path=path)
    return best[0], best[1]


_QUOTED = {s: re.compile(rf'(?m)(?:^|(?<={re.escape(s)}))"(?:[^"]|"")*"') for s in SEPARATORS}


def _inside_quotes(data: np.ndarray, sep: str) -> np.ndarray | None:
    """Octets situés dans un champ entre guillemets, par la parité des guillemets, ou None.

    Valable pour un CSV bien formé, que l'on vérifie : un guillemet de rang pair ouvre un
    champ (précédé d'un séparateur, d'un saut de ligne, du début, ou d'un guillemet s'il est
    doublé), un guillemet de rang impair le ferme (suivi d'un séparateur, d'un saut de ligne,
    de la fin, ou d'un guillemet), et leur nombre est pair. Sinon (guillemet au milieu d'un
    champ, « "ab"c »...) : None, et l'on suit les règles du découpage pas à pas.
    """
    quotes = np.flatnonzero(data == ord('"'))
    if len(quotes) % 2:
        return None
    padded = np.concatenate(([10], data, [10]))
    edge = np.array([ord(sep), 10, ord('"')], dtype=np.uint8)
    opening_ok = np.isin(padded[quotes[0::2]], edge)       # octet précédent
    closing_ok = np.isin(padded[quotes[1::2] + 2], edge)   # octet suivant
    if not (opening_ok.all() and closing_ok.all()):
        return None
    return (np.cumsum(data == ord('"')) % 2).astype(bool)


def _record_counts(text: str, sep: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pour chaque enregistrement (ligne logique) : nombre de séparateurs, de sauts de ligne
    internes à un champ entre guillemets, de guillemets — sans découper le texte en lignes.

    Tout se compte d'un coup sur les octets UTF-8 du texte (un caractère ASCII y est toujours
    un octet à lui seul). Les champs entre guillemets sont repérés par la parité des
    guillemets (:func:`_inside_quotes`) ou, pour un fichier irrégulier, par une expression
    régulière qui retire leur contenu (chaque saut de ligne interne y devient ``_MARK``).
    """
    data = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    inside = _inside_quotes(data, sep) if '"' in text else np.zeros(len(data), dtype=bool)
    if inside is None:
        pattern = _QUOTED.get(sep) or re.compile(rf'(?m)(?:^|(?<={re.escape(sep)}))"(?:[^"]|"")*"')
        text = pattern.sub(lambda m: '"' + _MARK * m.group().count("\n") + '"', text)
        data = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
        inside = np.zeros(len(data), dtype=bool)
        embedded_at = data == ord(_MARK)
    else:
        embedded_at = (data == 10) & inside
    ends = np.flatnonzero((data == 10) & ~inside)
    if not len(ends) or ends[-1] != len(data) - 1:  # dernière ligne sans saut de ligne final
        ends = np.append(ends, len(data))
    starts = np.concatenate(([0], ends[:-1] + 1))

    def per_record(mask: np.ndarray) -> np.ndarray:
        where = np.flatnonzero(mask)
        return np.searchsorted(where, ends) - np.searchsorted(where, starts)

    return (per_record((data == ord(sep)) & ~inside), per_record(embedded_at),
            per_record(data == ord('"')))


def _arrow_split(text: str, sep: str, width: int, records: int) -> pd.DataFrame | None:
    """Découpage par pyarrow quand chaque enregistrement a exactement ``width`` champs (le cas
    d'un export) : plusieurs fois plus rapide que ``read_csv(dtype=str)``, mêmes cellules (mêmes
    règles de guillemets : au début d'un champ seulement, doublés à l'intérieur, sauts de ligne
    permis). None si pyarrow manque, refuse le texte ou n'y trouve pas ``records`` lignes : le
    moteur C de pandas prend alors le relais (et localise l'erreur)."""
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
    except ImportError:  # pragma: no cover - pyarrow est une dépendance du paquet
        return None
    names = [str(j) for j in range(width)]
    try:
        table = pacsv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=False),
            parse_options=pacsv.ParseOptions(delimiter=sep, quote_char='"', double_quote=True,
                                             newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                 strings_can_be_null=False))
    except pa.ArrowException:
        return None
    if table.num_rows != records:
        return None
    return pd.DataFrame({j: pd.array(table.column(j), dtype="str") for j in range(width)})


def read_text_table(text: str, *, path: str, sep: str, header_index: int) -> RawTable:
    """Découpe tout le texte (moteur C de pandas) et calcule la ligne de chaque enregistrement."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    separators, embedded, quotes = _record_counts(text, sep)
    n_fields = separators + 1
    starts = 1 + np.arange(len(n_fields)) + np.concatenate(([0], np.cumsum(embedded)[:-1]))
    width = int(n_fields.max())
    try:
        frame = _arrow_split(text, sep, width, len(n_fields)) if (n_fields == width).all() else None
        if frame is None:
            frame = pd.read_csv(
                io.StringIO(text), sep=sep, header=None, names=range(width), dtype=str,
                keep_default_na=False, na_filter=False, skip_blank_lines=False, quotechar='"',
                doublequote=True, engine="c",
            )
    except (pd.errors.ParserError, ValueError) as exc:
        open_quote = np.flatnonzero(quotes)
        line = int(starts[open_quote[-1]]) if len(open_quote) else None
        raise DataError(
            "découpage impossible (guillemet non fermé ?). Ouvrez le fichier dans un tableur, "
            f"corrigez la ligne puis réexportez-le. Détail : {str(exc).splitlines()[0]}",
            path=path, line=line) from None
    if len(frame) != len(n_fields):
        raise DataError(
            "guillemets incohérents : le nombre de lignes lues ne correspond pas au fichier. "
            "Réexportez-le depuis le tableur (format CSV standard).", path=path)
    header_cells = frame.iloc[header_index].tolist()
    n_header = int(n_fields[header_index])  # un champ que l'en-tête n'a pas = ligne trop longue
    while n_header > 1 and not header_cells[n_header - 1].strip() and \
            not frame.iloc[header_index + 1:, n_header - 1].str.strip().astype(bool).any():
        n_header -= 1
    data = frame.iloc[header_index + 1:]
    data_lines = starts[header_index + 1:]
    if width > n_header:
        extra = data.iloc[:, n_header:].apply(lambda col: col.str.strip() != "").any(axis=1).to_numpy()
        if extra.any():
            k = int(np.flatnonzero(extra)[0])
            raise DataError(
                f"ligne trop longue : {int(n_fields[header_index + 1 + k])} champs alors que "
                f"l'en-tête (ligne {int(starts[header_index])}) en annonce {n_header}. Une valeur "
                f"contient sans doute le séparateur « {sep} » sans guillemets.",
                path=path, line=int(data_lines[k]))
    cells = data.iloc[:, :n_header].reset_index(drop=True)
    cells.columns = range(n_header)
    return RawTable(header=[h.strip() for h in header_cells[:n_header]], cells=cells,
                    lines=data_lines.astype(np.int64), header_line=int(starts[header_index]))
