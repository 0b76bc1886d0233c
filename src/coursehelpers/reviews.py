"""E-réputation : indicateurs des avis en ligne et thèmes des avis (comptage de mots-clés).

- :func:`review_summary` — par période : nombre d'avis, note moyenne, part d'avis négatifs,
  part d'avis qui ont reçu une réponse, délai médian de réponse.
- :func:`keyword_counts` — combien d'avis parlent de chaque thème (livraison, qualité...), par
  simple recherche de mots-clés (sans majuscules ni accents) : pas d'« intelligence
  artificielle », une méthode qu'on peut refaire à la main.

>>> import pandas as pd
>>> avis = pd.Series(["Colis arrivé abîmé", "Très belle QUALITÉ", "Livraison rapide"])
>>> keyword_counts(avis)["avis"].to_dict()["livraison"]
2
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from coursehelpers._core.validate import datetime_column, numeric_column, require_columns, require_frame
from coursehelpers.errors import DataError

__all__ = ["THEMES", "keyword_counts", "review_summary", "theme_hits"]

#: Thèmes et mots-clés (début de mot suffisant : « rembours » trouve « remboursement »).
THEMES: dict[str, list[str]] = {
    "livraison": ["livraison", "livr", "colis", "transporteur", "reçu"],
    "qualité": ["qualité", "cassé", "fragile", "décousu", "finition", "couleur"],
    "service client": ["service client", "conseiller", "conseillère", "réclamation", "téléphone", "répond"],
    "magasin": ["magasin", "accueil", "vendeu", "caisse"],
    "prix": ["prix", "cher", "frais", "promotion"],
    "retour": ["retour", "rembours", "échange"],
}


def _fold(text: pd.Series) -> pd.Series:
    """Minuscules et sans accents (« Qualité » → « qualite »)."""
    lowered = text.astype("string").fillna("").str.lower()
    return lowered.map(lambda s: unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode())


def theme_hits(texts: pd.Series | Iterable[str], themes: Mapping[str, Iterable[str]] | None = None
               ) -> pd.DataFrame:
    """Pour chaque avis (ligne) et chaque thème (colonne) : vrai si le texte contient un mot-clé du thème.

    Majuscules et accents ne comptent pas ; un mot-clé peut être un début de mot (« rembours »).

    Paramètres
    ----------
    texts : Series ou liste de textes
    themes : dict, optionnel
        ``{thème: [mots-clés]}`` (défaut : :data:`THEMES`).

    Renvoie
    -------
    DataFrame de booléens, même index que ``texts`` (0, 1, ... pour une liste).

    Exemples
    --------
    >>> hits = theme_hits(["Colis perdu", "Prix trop cher"], {"livraison": ["colis"], "prix": ["prix"]})
    >>> hits.values.tolist()
    [[True, False], [False, True]]
    """
    series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype="object")
    if series.empty:
        raise DataError("aucun avis à analyser : la liste de textes est vide.")
    chosen = THEMES if themes is None else themes
    if not chosen:
        raise DataError("donnez au moins un thème avec ses mots-clés : {\"livraison\": [\"colis\", ...]}.")
    folded = _fold(series)
    hits = {}
    for theme, words in chosen.items():
        words = [w for w in words if str(w).strip()]
        if not words:
            raise DataError(f"le thème « {theme} » n'a aucun mot-clé.")
        pattern = "|".join(re.escape(_fold(pd.Series([str(w)])).iloc[0]) for w in words)
        hits[theme] = folded.str.contains(pattern, regex=True).astype(bool).to_numpy()
    return pd.DataFrame(hits, index=series.index)


def keyword_counts(texts: pd.Series | Iterable[str], themes: Mapping[str, Iterable[str]] | None = None
                   ) -> pd.DataFrame:
    """Nombre et part des avis qui contiennent au moins un mot-clé de chaque thème.

    avis(thème) = nombre de textes contenant au moins un des mots-clés du thème ;
    part(thème) = avis(thème) / nombre de textes. Un avis peut compter dans plusieurs thèmes
    (« colis abîmé et remboursement refusé » : livraison et retour), donc les parts ne font pas
    forcément 100 %. Majuscules et accents ne comptent pas (voir :func:`theme_hits`).

    Paramètres
    ----------
    texts : Series ou liste de textes
    themes : dict, optionnel
        ``{thème: [mots-clés]}`` (défaut : :data:`THEMES`).

    Renvoie
    -------
    DataFrame indexé par thème (ordre de ``themes``) : ``avis``, ``part``.

    Exemples
    --------
    >>> t = keyword_counts(["Prix trop cher", "Remboursement refusé, colis perdu", "Parfait"],
    ...                    {"prix": ["prix", "cher"], "livraison": ["colis"], "retour": ["rembours"]})
    >>> t["avis"].tolist(), [round(p, 2) for p in t["part"]]
    ([1, 1, 1], [0.33, 0.33, 0.33])
    """
    hits = theme_hits(texts, themes)
    out = pd.DataFrame({"avis": hits.sum().astype("int64"), "part": hits.mean()})
    out.index.name = "theme"
    return out


def review_summary(reviews: pd.DataFrame, *, freq: str = "Q", date: str = "date", rating: str = "note",
                   answered: str = "reponse", answer_date: str = "date_reponse",
                   negative: int = 2) -> pd.DataFrame:
    """Indicateurs d'e-réputation par période (trimestre par défaut).

    Pour chaque période : avis = nombre d'avis ; note_moyenne = moyenne des notes ;
    part_negatifs = avis de note ≤ ``negative`` / avis ; part_repondus = avis avec réponse /
    avis ; delai_median_j = médiane, sur les avis avec réponse, de (date de réponse − date de
    l'avis) en jours.

    Paramètres
    ----------
    reviews : DataFrame
        Une ligne par avis (comme ``datasets.load_reviews()``).
    freq : str
        ``"M"`` (mois), ``"Q"`` (trimestre) ou ``"Y"`` (année).
    date, rating, answered, answer_date : str
        Noms des colonnes.
    negative : int
        Note maximale d'un avis négatif (2 : 1 ou 2 étoiles).

    Renvoie
    -------
    DataFrame indexé par période (texte « 2024T2 », « 2024-05 » ou « 2024 »).

    Exemples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"date": ["2025-01-05", "2025-01-20", "2025-02-01"], "note": [5, 1, 4],
    ...                   "reponse": [False, True, True],
    ...                   "date_reponse": [None, "2025-01-23", "2025-02-02"]})
    >>> s = review_summary(a, freq="Y")
    >>> [round(float(v), 2) for v in s.loc["2025"]]
    [3.0, 3.33, 0.33, 0.67, 2.0]
    """
    df = require_frame(reviews, name="avis")
    require_columns(df, [date, rating, answered, answer_date], name="avis")
    labels = {"M": "mois", "Q": "trimestre", "Y": "année"}
    if freq not in labels:
        raise DataError(f"« freq » vaut « M » (mois), « Q » (trimestre) ou « Y » (année) ; reçu : {freq!r}.")
    when = datetime_column(df, date, name="avis")
    notes = numeric_column(df, rating, name="avis")
    bad = ~notes.between(1, 5)
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(f"note hors de 1 à 5 ({notes.iloc[pos]:g}).", column=rating, line=pos + 1)
    replied = df[answered].astype(bool) if pd.api.types.is_bool_dtype(df[answered]) else \
        df[answered].astype("string").str.lower().isin(["oui", "true", "1"])
    answer = pd.to_datetime(df[answer_date], errors="coerce")
    delay = (answer - when).dt.days.where(replied)
    if (delay < 0).any():
        pos = int(np.flatnonzero((delay < 0).to_numpy())[0])
        raise DataError("réponse datée d'avant l'avis.", column=answer_date, line=pos + 1)
    period = when.dt.to_period(freq)
    key = period.astype(str).str.replace("Q", "T", regex=False)
    frame = pd.DataFrame({"p": key.to_numpy(), "note": notes.to_numpy(),
                          "neg": (notes <= negative).to_numpy(), "rep": replied.to_numpy(),
                          "delai": delay.to_numpy(dtype=float)})
    g = frame.groupby("p", sort=True)
    out = pd.DataFrame({
        "avis": g.size().astype("int64"),
        "note_moyenne": g["note"].mean(),
        "part_negatifs": g["neg"].mean(),
        "part_repondus": g["rep"].mean(),
        "delai_median_j": g["delai"].median(),
    })
    out.index.name = labels[freq]
    return out
