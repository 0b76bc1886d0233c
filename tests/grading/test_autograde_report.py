"""Rapport de classe et copies qui se ressemblent, sur une petite classe dont tout est calculé à la main."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tiny_course import write_tiny

from coursehelpers.grading import gradebook, manual, notebook_io
from coursehelpers.grading.autograde import details_path, finalize
from coursehelpers.grading.similarity import normalize, similar_pairs

EXERCISES = [{"grade_id": "q1", "points": 2.0, "manual": False, "answers": ["taux"]},
             {"grade_id": "q2", "points": 1.0, "manual": False, "answers": ["clients"]},
             {"grade_id": "q3", "points": 1.0, "manual": False, "answers": ["reponse_q3"]},
             {"grade_id": "q4", "points": 2.0, "manual": True, "answers": []}]
RIGHT_CODE = {"q1": "taux = 1 - 0.5 ** (1 / 5)", "q2": "clients = sorted(['martin', 'durand', 'bernard'])",
              "q3": 'reponse_q3 = "B"'}
# ben et carl : mêmes erreurs, écrites de la même façon (noms, espaces et commentaires changés)
BEN = {"q1": "perte = 0.5\nannees = 5\ntaux = perte / annees  # par an",
       "q2": "clients = list(set(['martin', 'durand', 'bernard']))", "q3": 'reponse_q3 = "B"'}
CARL = {"q1": "p = 0.5   # la moitié\nn = 5\n\ntaux = p/n",
        "q2": "clients = list(set(['martin', 'durand', 'bernard']))  # sans doublons",
        "q3": "reponse_q3 = ..."}
WRONG = {"valeur": "La valeur n'est pas la bonne.", "type": "Mauvais type.", "a_faire": "Pas répondu."}


def _auto(gid: str, got: float, code: str, kind: str | None = None) -> dict:
    var = next(e["answers"][0] for e in EXERCISES if e["grade_id"] == gid)
    verdicts = [[var, True, "ok", ""]] if kind is None else [[var, False, kind, WRONG[kind]]]
    points = next(e["points"] for e in EXERCISES if e["grade_id"] == gid)
    return {"id": gid, "points": points, "manual": False, "got": got, "verdicts": verdicts, "hints": {},
            "code": code}


def _written(text: str) -> dict:
    if not text:
        return {"id": "q4", "points": 2.0, "manual": True, "got": 0.0, "text": "", "empreinte": ""}
    return {"id": "q4", "points": 2.0, "manual": True, "got": None, "text": text,
            "empreinte": manual.answer_sha(text)}


def _copy(name: str, items: list[dict], status: str = "ok") -> dict:
    return {"eleve": name, "fichier": f"rendus/{name}.ipynb", "statut": status, "motif": [], "erreurs": [],
            "exercices": items}


def tiny_class() -> list[dict]:
    return [
        _copy("ana", [_auto("q1", 2, RIGHT_CODE["q1"]), _auto("q2", 1, RIGHT_CODE["q2"]),
                      _auto("q3", 1, RIGHT_CODE["q3"]), _written("Coût et exemple.")]),
        _copy("ben", [_auto("q1", 0, BEN["q1"], "valeur"), _auto("q2", 0, BEN["q2"], "type"),
                      _auto("q3", 1, BEN["q3"]), _written("Le coût.")]),
        _copy("carl", [_auto("q1", 0, CARL["q1"], "valeur"), _auto("q2", 0, CARL["q2"], "type"),
                       _auto("q3", 0, CARL["q3"], "a_faire"), _written("")]),
        {**_copy("dora", [{"id": e["grade_id"], "points": e["points"], "manual": e["manual"], "got": None}
                          for e in EXERCISES], "illisible"), "motif": ["notebook illisible"]},
        _copy("eve", [_auto("q1", 2, RIGHT_CODE["q1"]), _auto("q2", 1, RIGHT_CODE["q2"]),
                      _auto("q3", 0, 'reponse_q3 = "A"', "valeur"), _written("Une réponse à noter.")]),
    ]


def test_similarity_flags_planted_near_copies_and_not_independent_right_answers() -> None:
    assert normalize(BEN["q1"]) == normalize(CARL["q1"])
    pairs = similar_pairs(tiny_class())
    assert [(p["a"], p["b"], p["score"]) for p in pairs] == [("ben", "carl", 2.0)]
    assert pairs[0]["exercices"] == [("q1", 1.0, "fausses"), ("q2", 1.0, "fausses")]
    # ana et eve : mêmes réponses justes, écrites comme dans le cours → 0,2 + 0,2, pas de signal
    assert not similar_pairs(tiny_class()[::4], min_score=0.5)
    # des réponses justes écrites autrement ne se ressemblent pas
    other = _copy("fred", [_auto("q1", 2, "t = 1 - 0.5 ** 0.2\ntaux = round(t, 6)"),
                           _auto("q2", 1, "clients = ['bernard', 'durand', 'martin']")])
    assert not similar_pairs([tiny_class()[0], other], min_score=0.1)
    # une même erreur courante chez quatre élèves n'est pas un indice contre une paire
    common = [_copy(n, [_auto("q1", 0, BEN["q1"], "valeur"), _auto("q2", 0, BEN["q2"], "type")])
              for n in ("g", "h", "i", "j")]
    assert not similar_pairs(common)


def test_report_numbers_and_figures_computed_by_hand(tmp_path: Path) -> None:
    solution = notebook_io.read(write_tiny(tmp_path))
    out = tmp_path / "notes.csv"
    details = {"devoir": "01_test", "titre": "Devoir de test", "solution": str(tmp_path / "absente.ipynb"),
               "exercices": EXERCISES, "copies": tiny_class()}
    details_path(out).write_text(json.dumps(details, ensure_ascii=False), encoding="utf-8")
    sheet, todo = manual.update_sheet(manual.sheet_path(out), solution, details["copies"])
    assert todo == 3  # ana, ben, eve
    import openpyxl

    book = openpyxl.load_workbook(sheet)
    for row in book["q4"].iter_rows(min_row=6):
        row[3].value = {"ana": 2, "ben": 1.5}.get(row[0].value)
    book.save(sheet)
    (tmp_path / "classe.txt").write_text("ana\nben\ncarl\ndora\neve\nfred\n", encoding="utf-8")
    rows = finalize(out, feedback=tmp_path / "retours", report=tmp_path / "rapport.html",
                    roster=tmp_path / "classe.txt")
    # ana 6/6 → 20 ; ben 0+0+1+1,5 = 2,5/6 → 8,33 → 8,5 ; carl 0 ; dora illisible ; eve à noter
    assert [r["note_sur_20"] for r in rows] == ["20", "8,5", "0", "", ""]
    page = (tmp_path / "rapport.html").read_text(encoding="utf-8")
    assert "http" not in page and "<script" not in page and "@page { size: A4" in page
    figures = dict(re.findall(r'data-chiffre="([^"]+)">([^<]+)<', page))
    assert figures["moyenne"] == "9,50 / 20"          # (20 + 8,5 + 0) / 3
    assert figures["médiane"] == "8,50 / 20"
    assert figures["copies notées"] == "3 / 5"
    bars = [int(c) for c in re.findall(r'data-effectif="(\d+)"', page)]
    assert bars == [1, 0, 0, 0, 1, 0, 0, 0, 0, 1]      # 0 → [0 ; 2[, 8,5 → [8 ; 10[, 20 → [18 ; 20]
    rates = dict(re.findall(r'data-exercice="(\w+)" data-taux="([\d.]+)"', page))
    # sur ana, ben, carl, eve : q1 (2+0+0+2)/8 ; q2 (1+0+0+1)/4 ; q3 (1+1+0+0)/4 ; q4 (2+1,5+0)/6
    assert rates == {"q1": "0.5000", "q2": "0.5000", "q3": "0.5000", "q4": "0.5833"}
    assert "58,3\N{NO-BREAK SPACE}%" in page
    errors = re.findall(r"<tr><td>(q\d)</td><td>([^<]+)</td><td class=\"n\">(\d+)</td></tr>", page)
    assert errors == [("q1", "« taux » : valeur fausse", "2"), ("q2", "« clients » : mauvais type", "2"),
                      ("q3", "« reponse_q3 » : pas de réponse", "1"),
                      ("q3", "« reponse_q3 » : valeur fausse", "1")]
    assert '<tr class="manquant"><td>fred</td><td>pas de copie rendue</td>' in page
    assert '<tr class="a-reprendre"><td>dora</td><td>illisible</td><td>notebook illisible</td>' in page
    assert re.findall(r'<tr class="paire"><td>([^<]+)</td>', page) == ["ben et carl"]
    for f in (tmp_path / "retours").iterdir():  # le signal ne va jamais dans un retour d'élève
        text = f.read_text(encoding="utf-8")
        assert "ressembl" not in text and "carl" not in text.replace("# Retour de correction — carl", "")
    assert gradebook.points_text(float(rows[1]["total"].replace(",", "."))) == "2,5"
