"""Copies qui se ressemblent : un signal pour le formateur, jamais une accusation.

Pour chaque exercice de code, la réponse de l'élève est **normalisée** : commentaires, espaces et
lignes vides retirés, lignes fournies par l'énoncé retirées, noms de variables remplacés par
``v1``, ``v2``… dans l'ordre d'apparition (les noms de fonctions et de méthodes appelées, les
mots-clés et les textes restent). Deux réponses sont « presque identiques » si leurs suites de
jetons se ressemblent à ``THRESHOLD`` près (``difflib``).

Une paire de copies reçoit un score : chaque exercice presque identique compte **1** si les deux
réponses sont fausses (une même erreur, écrite de la même façon, est rare par hasard), **0,2** si
elles sont justes (une bonne réponse courte s'écrit souvent de la même façon), et trois fois
moins pour une réponse très courte (moins de ``SHORT`` jetons : une lettre de QCM) ; ce poids est
divisé par le nombre de copies qui ont cette même réponse (une erreur courante dans la classe, ou
la réponse du cours, n'est pas un indice : seule une ressemblance propre à la paire compte). Les paires dont
le score atteint ``MIN_SCORE`` sont listées dans le rapport de classe — jamais dans les retours.

>>> normalize("total = ventes['montant'].sum()  # le CA") == normalize("ca=ventes['montant'].sum()")
True
"""

from __future__ import annotations

import builtins
import difflib
import io
import itertools
import keyword
import tokenize
from collections.abc import Mapping, Sequence

THRESHOLD = 0.9
SHORT = 8
MIN_SCORE = 2.0
WRONG_WEIGHT, RIGHT_WEIGHT = 1.0, 0.2
_KEEP = set(dir(builtins)) | set(keyword.kwlist) | {"self"}


def _strip_given(code: str, given: str) -> str:
    shown = {line.strip() for line in given.splitlines() if line.strip()}
    return "\n".join(line for line in code.splitlines() if line.strip() not in shown)


def normalize(code: str, given: str = "") -> list[str]:
    """Jetons de ``code`` sans commentaires ni espaces, variables renommées (voir le module).

    ``given`` : code fourni par l'énoncé (ses lignes sont retirées avant de comparer).
    """
    source = _strip_given(code, given) if given else code
    names: dict[str, str] = {}
    out: list[str] = []
    previous = ""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source + "\n").readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return source.split()
    for i, tok in enumerate(tokens):
        if tok.type in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.ENDMARKER):
            continue
        if tok.type in (tokenize.INDENT, tokenize.DEDENT):
            out.append("<indent>" if tok.type == tokenize.INDENT else "<dedent>")
            continue
        text = tok.string
        if tok.type == tokenize.NAME and text not in _KEEP and previous != ".":
            following = next((t.string for t in tokens[i + 1:] if t.type != tokenize.NL), "")
            if following != "(" and not (following == "=" and previous in ("(", ",")):
                text = names.setdefault(text, f"v{len(names) + 1}")
        elif tok.type == tokenize.STRING:
            text = " ".join(text.split())
        out.append(text)
        previous = tok.string
    return out


def ratio(a: Sequence[str], b: Sequence[str]) -> float:
    """Ressemblance de deux suites de jetons, de 0 (rien de commun) à 1 (identiques)."""
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def similar_pairs(copies: Sequence[Mapping], *, given: Mapping[str, str] | None = None,
                  threshold: float = THRESHOLD, min_score: float = MIN_SCORE) -> list[dict]:
    """Paires de copies aux réponses de code presque identiques, de la plus suspecte à la moins.

    Paramètres
    ----------
    copies : résultats par copie (``eleve``, ``exercices`` avec ``code``, ``got``, ``points``).
    given : code fourni par l'énoncé, par exercice (lignes ignorées).
    threshold : ressemblance à partir de laquelle deux réponses sont « presque identiques ».
    min_score : score minimal d'une paire listée.

    Renvoie
    -------
    list[dict] : ``{"a", "b", "score", "exercices": [(exercice, ressemblance, "fausses"|"justes")]}``.
    """
    given = dict(given or {})
    answers: dict[str, dict[str, tuple[list[str], bool]]] = {}
    for res in copies:
        mine = {}
        for ex in res.get("exercices", []):
            if ex.get("manual") or not ex.get("code") or ex.get("got") is None:
                continue
            tokens = normalize(ex["code"], given.get(ex["id"], ""))
            stub = normalize(given.get(ex["id"], ""))
            if tokens and tokens != stub:
                mine[ex["id"]] = (tokens, ex["got"] >= ex["points"])
        answers[res["eleve"]] = mine
    close: dict[tuple[str, str, str], float] = {}
    peers: dict[tuple[str, str], int] = {}
    for a, b in itertools.combinations(answers, 2):
        for gid in answers[a].keys() & answers[b].keys():
            r = ratio(answers[a][gid][0], answers[b][gid][0])
            if r >= threshold:
                close[(a, b, gid)] = r
                peers[(a, gid)] = peers.get((a, gid), 0) + 1
                peers[(b, gid)] = peers.get((b, gid), 0) + 1
    pairs = []
    for a, b in itertools.combinations(answers, 2):
        score, found = 0.0, []
        for gid in sorted(answers[a].keys() & answers[b].keys()):
            if (a, b, gid) not in close:
                continue
            r = close[(a, b, gid)]
            (ta, right_a), (tb, right_b) = answers[a][gid], answers[b][gid]
            weight = RIGHT_WEIGHT if right_a and right_b else WRONG_WEIGHT
            if min(len(ta), len(tb)) < SHORT:
                weight /= 3
            # une réponse partagée par beaucoup d'élèves (erreur courante) n'est pas un indice
            weight /= max(peers[(a, gid)], peers[(b, gid)])
            score += weight
            found.append((gid, round(r, 3), "justes" if right_a and right_b else "fausses"))
        if score >= min_score - 1e-9:
            pairs.append({"a": a, "b": b, "score": round(score, 2), "exercices": sorted(found)})
    return sorted(pairs, key=lambda p: (-p["score"], p["a"], p["b"]))
