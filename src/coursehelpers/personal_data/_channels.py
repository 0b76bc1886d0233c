"""Prospection par canal : qui peut être contacté, sur quelle base, à quels jours et heures."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from coursehelpers._core.validate import datetime_column, require_columns, require_frame
from coursehelpers.errors import DataError

#: Canaux de prospection reconnus (colonne ``canal``).
CHANNELS = ("courrier", "e-mail", "SMS", "téléphone")
#: Statuts reconnus (colonne ``statut``).
STATUSES = ("consentement", "opposition", "sans choix")
#: Date à partir de laquelle le démarchage téléphonique d'un consommateur exige son consentement
#: préalable (loi n° 2025-594 du 30 juin 2025, qui modifie l'article L. 223-1 du code de la
#: consommation ; avant cette date : régime d'opposition avec la liste Bloctel).
PHONE_CONSENT_FROM = pd.Timestamp("2026-08-11")

#: Libellés des bases légales renvoyées par :func:`contact_permissions`.
BASES = {
    "consent": "consentement",
    "soft": "soft opt-in (client, produits analogues)",
    "legit": "intérêt légitime (droit d'opposition)",
    "b2b": "intérêt légitime B2B (en rapport avec la profession)",
}


_DENY = {"coord": "pas de coordonnée", "oppose": "opposition du client",
         "bloctel": "numéro inscrit sur Bloctel", "prospect": "consentement requis (prospect)",
         "phone": "consentement requis depuis le 11/08/2026 (loi du 30 juin 2025)"}


def _as_bool(series: pd.Series, column: str) -> np.ndarray:
    if pd.api.types.is_bool_dtype(series):
        return series.to_numpy(dtype=bool)
    text = series.astype("string").str.strip().str.lower()
    ok = text.isin(["oui", "non", "true", "false", "1", "0", "vrai", "faux"])
    if not ok.all():
        pos = int(np.flatnonzero(~ok.to_numpy())[0])
        raise DataError(f"oui/non attendu (valeur {series.iloc[pos]!r}).", column=column, line=pos + 1)
    return text.isin(["oui", "true", "1", "vrai"]).to_numpy(dtype=bool)


def contact_permissions(consents: pd.DataFrame, *, as_of: str | pd.Timestamp,
                        audience: str = "particuliers", customers: bool | str = True,
                        channel: str = "canal", status: str = "statut",
                        has_contact: str = "coordonnee", bloctel: str | None = "bloctel") -> pd.DataFrame:
    """Dit, pour chaque ligne (une personne × un canal), si la prospection est permise et sur quelle base.

    Règles appliquées (dans cet ordre ; la première qui s'applique décide) :

    1. pas de coordonnée → non ; opposition exprimée → non (droit d'opposition, RGPD art. 21) ;
    2. **particuliers, e-mail et SMS** (code des postes et des communications électroniques,
       art. L. 34-5) : consentement → oui ; « sans choix » → oui seulement pour un **client**
       (*soft opt-in* : il a acheté, il a pu refuser à la collecte, le message porte sur des
       produits analogues de la même enseigne), sinon non ;
    3. **particuliers, courrier** : oui sauf opposition (intérêt légitime) ;
    4. **particuliers, téléphone** : avant le 11/08/2026, oui sauf opposition ou numéro inscrit
       sur **Bloctel** (code de la consommation, art. L. 223-1 ; règle prudente : Bloctel
       l'emporte même sur un accord) ; à partir du 11/08/2026 (loi n° 2025-594 du 30 juin 2025),
       oui **seulement avec consentement** (exception légale non modélisée : un appel dans le
       cadre d'un contrat en cours et en rapport avec son objet) ;
    5. **professionnels** (B2B, adresse professionnelle) : oui sauf opposition, si le message est
       en rapport avec la profession de la personne (doctrine de la CNIL).

    Paramètres
    ----------
    consents : DataFrame
        Une ligne par personne et par canal (comme ``datasets.load_consents()``).
    as_of : date
        Date de la campagne (la règle du téléphone en dépend).
    audience : {"particuliers", "professionnels"}
        Public prospecté.
    customers : bool ou str
        ``True`` : tout le fichier est client ; ``False`` : tous prospects ; un nom de colonne
        (oui/non) : client ou non, ligne par ligne.
    channel, status, has_contact, bloctel : str
        Noms des colonnes (``bloctel=None`` : aucune inscription connue).

    Renvoie
    -------
    DataFrame
        Une copie de ``consents`` avec ``autorise`` (booléen), ``base_legale`` (texte, vide si
        non) et ``motif`` (raison du refus, vide si oui).

    Lève
    ----
    DataError
        Colonne absente, canal ou statut inconnu (ligne citée), ``audience`` inconnue.

    Exemples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"canal": ["SMS", "téléphone", "téléphone"], "coordonnee": [True] * 3,
    ...                   "statut": ["sans choix", "sans choix", "consentement"],
    ...                   "bloctel": [False, True, False]})
    >>> prospects = contact_permissions(c, as_of="2026-01-01", customers=False)
    >>> prospects["autorise"].tolist()
    [False, False, True]
    >>> prospects["motif"].tolist()
    ['consentement requis (prospect)', 'numéro inscrit sur Bloctel', '']
    >>> contact_permissions(c, as_of="2026-09-01")["base_legale"].tolist()
    ['soft opt-in (client, produits analogues)', '', 'consentement']
    """
    df = require_frame(consents, name="consentements")
    if audience not in ("particuliers", "professionnels"):
        raise DataError("« audience » doit valoir « particuliers » ou « professionnels » "
                        f"(reçu : {audience!r}).")
    customer_col = customers if isinstance(customers, str) else None
    require_columns(df, [channel, status, has_contact, bloctel, customer_col], name="consentements")
    when = pd.Timestamp(as_of)
    chan = df[channel].astype("string")
    stat = df[status].astype("string")
    for col, values, allowed in ((channel, chan, CHANNELS), (status, stat, STATUSES)):
        bad = ~values.isin(allowed).to_numpy()
        if bad.any():
            pos = int(np.flatnonzero(bad)[0])
            raise DataError(f"valeur inconnue {values.iloc[pos]!r} ; valeurs possibles : "
                            f"{', '.join(allowed)}.", column=col, line=pos + 1)
    coord = _as_bool(df[has_contact], has_contact)
    listed = np.zeros(len(df), bool) if bloctel is None else _as_bool(df[bloctel], bloctel)
    if customer_col is not None:
        is_client = _as_bool(df[customer_col], customer_col)
    else:
        is_client = np.full(len(df), bool(customers))
    consent = (stat == "consentement").to_numpy()
    oppose = (stat == "opposition").to_numpy()
    electronic = chan.isin(["e-mail", "SMS"]).to_numpy()
    phone = (chan == "téléphone").to_numpy()
    b2b = audience == "professionnels"
    new_phone_rule = when >= PHONE_CONSENT_FROM

    conditions = [~coord, oppose]
    bases = ["", ""]
    motifs = [_DENY["coord"], _DENY["oppose"]]
    if b2b:
        conditions.append(np.ones(len(df), bool))
        bases.append(BASES["b2b"])
        motifs.append("")
    else:
        conditions += [electronic & consent, electronic & is_client, electronic]
        bases += [BASES["consent"], BASES["soft"], ""]
        motifs += ["", "", _DENY["prospect"]]
        if new_phone_rule:
            conditions += [phone & consent, phone]
            bases += [BASES["consent"], ""]
            motifs += ["", _DENY["phone"]]
        else:
            conditions += [phone & listed, phone & consent, phone]
            bases += ["", BASES["consent"], BASES["legit"]]
            motifs += [_DENY["bloctel"], "", ""]
        conditions.append(np.ones(len(df), bool))  # courrier
        bases.append(BASES["legit"])
        motifs.append("")
    base = np.select(conditions, bases, default="")
    motif = np.select(conditions, motifs, default="")
    out = df.copy()
    out["autorise"] = base != ""
    out["base_legale"] = base
    out["motif"] = motif
    return out


def phone_call_allowed(when: pd.Series | Iterable | str) -> pd.Series:
    """Un appel de prospection à un consommateur est-il permis à ce jour et à cette heure ?

    Décret n° 2022-1313 du 13 octobre 2022 (code de la consommation, art. D. 223-9), en vigueur
    depuis le 1er mars 2023 : du **lundi au vendredi**, hors **jours fériés** (code du travail,
    art. L. 3133-1), de **10 h à 13 h** et de **14 h à 20 h** (heure du consommateur) ; au plus
    4 appels par période de 30 jours, et 60 jours d'attente après un refus (non vérifiés ici).
    Le consommateur peut accepter par avance d'être appelé à d'autres heures.

    Intervalles pris comme [10 h ; 13 h[ et [14 h ; 20 h[. Jours fériés nationaux : 1er janvier,
    lundi de Pâques, 1er et 8 mai, Ascension, lundi de Pentecôte, 14 juillet, 15 août,
    1er et 11 novembre, 25 décembre (l'Alsace-Moselle en a deux de plus, non comptés).

    Paramètres
    ----------
    when : date-heure, liste ou Series de dates-heures

    Renvoie
    -------
    Series de booléens (même index si ``when`` est une Series).

    Exemples
    --------
    >>> phone_call_allowed(["2026-03-10 12:30", "2026-03-10 13:15", "2026-03-14 11:00",
    ...                     "2026-04-06 11:00"]).tolist()   # mardi, mardi midi, samedi, lundi de Pâques
    [True, False, False, False]
    """
    if isinstance(when, pd.Series):
        series = when
    else:
        series = pd.Series([when] if isinstance(when, str | pd.Timestamp) else list(when))
    stamps = datetime_column(series.to_frame("quand"), "quand", name="appels")
    minutes = stamps.dt.hour * 60 + stamps.dt.minute
    in_hours = ((minutes >= 600) & (minutes < 780)) | ((minutes >= 840) & (minutes < 1200))
    weekday = stamps.dt.day_of_week < 5
    return (in_hours & weekday & ~_is_public_holiday(stamps)).rename("appel_autorise")


def _easter(years: np.ndarray) -> np.ndarray:
    """Jour de Pâques (calendrier grégorien, algorithme de Meeus/Jones/Butcher), en datetime64[D]."""
    a, b, c = years % 19, years // 100, years % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    day = (h + ell - 7 * m + 114) % 31 + 1
    start = (years - 1970).astype("datetime64[Y]").astype("datetime64[M]") + (month - 1)
    return start.astype("datetime64[D]") + (day - 1)


def _is_public_holiday(stamps: pd.Series) -> pd.Series:
    days = stamps.dt.normalize().to_numpy().astype("datetime64[D]")
    years = stamps.dt.year.to_numpy()
    md = stamps.dt.month * 100 + stamps.dt.day
    fixed = md.isin([101, 501, 508, 714, 815, 1101, 1111, 1225]).to_numpy()
    offset = (days - _easter(years)).astype(int)
    movable = np.isin(offset, [1, 39, 50])   # lundi de Pâques, Ascension, lundi de Pentecôte
    return pd.Series(fixed | movable, index=stamps.index)
