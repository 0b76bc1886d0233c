"""Mode élève : un message distinct et clair pour chaque genre d'erreur ; comparaison du correcteur."""

from __future__ import annotations

import math
import sys

import numpy as np
import pandas as pd
import pytest

from coursehelpers.grading import CheckFailed, check, progress, reset_progress
from coursehelpers.grading.compare import compare, normalize_text
from coursehelpers.grading.encode import encode_value
from coursehelpers.grading.fingerprint import make_fingerprint
from coursehelpers.grading.quiz import short_answer, single_choice

TAUX = 1 - 0.5 ** (1 / 5)  # 0,12944943670387588 : la moitié des clients perdue en 5 ans
VENTES = pd.Series([120.0, 80.5, 42.0], index=["C01", "C02", "C03"], name="montant")


def fp(value: object, name: str) -> str:
    return make_fingerprint(encode_value(value), name=name)


def failure(value: object, expected: object, *, name: str = "x", hint: str = "Relisez la consigne.",
            present: bool = True) -> str:
    ns = {name: value} if present else {}
    with pytest.raises(CheckFailed) as info:
        check(name, fingerprint=fp(expected, name), hint=hint, namespace=ns)
    return info.value.message


def test_success_prints_a_short_french_tick(capsys: pytest.CaptureFixture[str]) -> None:
    check("taux", fingerprint=fp(TAUX, "taux"), namespace={"taux": 1 - 0.5 ** 0.2}, points=2)
    assert capsys.readouterr().out == "✅ taux : c'est juste ! (2 pts)\n"
    ns = {"taux": 1 - 0.5 ** 0.2, "autre": 1 - 0.5 ** 0.2}
    for name in ("taux", "autre"):  # deux réponses, un seul exercice à 2 points
        check(name, fingerprint=fp(TAUX, name), namespace=ns, exercise="ex5", points=2)
    assert capsys.readouterr().out == ("✅ taux : c'est juste ! (exercice ex5 : 2 pts)\n"
                                       "✅ autre : c'est juste ! (exercice ex5 : 2 pts)\n")


def test_failure_is_an_error_for_nbclient_but_shows_no_traceback() -> None:
    with pytest.raises(AssertionError) as info:  # nbgrader/nbclient : la cellule échoue
        check("taux", fingerprint=fp(TAUX, "taux"), hint="Racine cinquième.", namespace={"taux": 0.5})
    rendered = info.value._render_traceback_()
    assert rendered == ["❌ La valeur de « taux » n'est pas la bonne.\n💡 Indice : Racine cinquième."]
    assert "Traceback" not in "".join(rendered)


def test_fingerprint_does_not_show_the_expected_value() -> None:
    text = fp(TAUX, "taux") + fp(VENTES, "ventes") + fp("Le taux de réachat", "r")
    for secret in ("0.1294", "1294", "120", "80.5", "C01", "réachat", "reachat"):
        assert secret not in text


@pytest.mark.parametrize(("value", "expected", "kind_words"), [
    ("0.13", TAUX, "est un texte (str) alors qu'on attend un nombre. Enlevez les guillemets"),
    (None, TAUX, "est None (rien) alors qu'on attend un nombre. Avez-vous utilisé print()"),
    (VENTES.iloc[:2], VENTES, "a 2 lignes : ce n'est pas la taille attendue"),
    (pd.Series([120.0, np.nan, 42.0], index=VENTES.index), VENTES, "contient des valeurs manquantes (NaN)"),
    (VENTES.reset_index(drop=True), VENTES, "(index ou colonnes) de « x » ne sont pas celles attendues"),
    (VENTES.sort_values(), VENTES, "a les bonnes étiquettes mais pas dans le bon ordre"),
    (round(TAUX, 3), TAUX, "est proche de la bonne valeur mais pas assez précis"),
    (0.5, TAUX, "La valeur de « x » n'est pas la bonne."),
    (["a", "b"], ["a", "b", "c"], "a 2 éléments : ce n'est pas la taille attendue"),
])
def test_each_failure_kind_has_its_own_message(value: object, expected: object, kind_words: str) -> None:
    message = failure(value, expected)
    assert kind_words in message
    assert "💡 Indice : Relisez la consigne." in message


def test_untouched_ellipsis_stub() -> None:
    message = failure(..., TAUX, name="taux")
    assert message == ("Vous n'avez pas encore répondu : remplacez « ... » dans « taux = ... » par votre "
                       "calcul, puis exécutez la cellule.")  # pas d'indice : rien n'a été tenté


def test_undefined_variable_and_not_implemented_stub(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(sys, "last_type", raising=False)
    assert "La variable « taux » n'existe pas" in failure(None, TAUX, name="taux", present=False)
    monkeypatch.setattr(sys, "last_type", NotImplementedError, raising=False)  # comme IPython
    message = failure(None, TAUX, name="taux", present=False)
    assert "remplacez la ligne `raise NotImplementedError(...)`" in message


def test_student_mode_accepts_equivalent_answers() -> None:
    ok = {"taux": 1 - 0.5 ** (1 / 5) + 1e-12, "entier": 12.0, "txt": "  le TAUX de Réachat. ",
          "liste": ("a", "b"), "ens": {"c", "a"}, "s": VENTES.copy()}
    expected = {"taux": TAUX, "entier": 12, "txt": "Le taux de réachat", "liste": ["a", "b"],
                "ens": {"a", "c"}, "s": VENTES}
    for name in ok:
        check(name, fingerprint=fp(expected[name], name), namespace=ok)


def test_progress_counts_points_of_passing_exercises(capsys: pytest.CaptureFixture[str]) -> None:
    reset_progress()
    check("a", fingerprint=fp(1, "a"), exercise="q1", namespace={"a": 1})
    with pytest.raises(CheckFailed):
        check("b", fingerprint=fp(2, "b"), exercise="q2", namespace={"b": 3})
    capsys.readouterr()
    status = progress({"q1": 2, "q2": 1, "q3": 1.5})
    assert status == {"q1": True, "q2": False, "q3": None}
    assert capsys.readouterr().out.splitlines() == [
        "✅ q1 : réussi (2 / 2)", "❌ q2 : à revoir (0 / 1)", "⬜ q3 : pas encore vérifié (0 / 1.5)",
        "Total indicatif : 2 / 4.5 points — 1 exercice réussi sur 3."]


# --- comparaison du correcteur en lot (valeurs calculées à la main) ---

def test_compare_numbers_with_tolerance() -> None:
    e = encode_value(100.0)
    assert compare(e, encode_value(100.00005)).ok  # écart relatif 5e-7 <= 1e-6
    assert compare(e, encode_value(100.0002)).kind == "tolerance"  # 2e-6 > 1e-6 mais < 1 %
    assert compare(e, encode_value(100.0002), rtol=1e-5).ok
    assert compare(e, encode_value(102.0)).kind == "valeur"  # 2 % d'écart
    assert compare(encode_value(math.nan), encode_value(math.nan)).ok
    assert compare(e, encode_value(float("nan"))).kind == "nan"
    assert compare(encode_value(12), encode_value(np.float64(12.0))).ok


def test_compare_tables_align_columns_and_optionally_rows() -> None:
    df = pd.DataFrame({"R": [5, 1], "F": [3, 2]}, index=["C01", "C02"])
    e = encode_value(df)
    assert compare(e, encode_value(df[["F", "R"]])).ok  # ordre des colonnes libre
    swapped = encode_value(df.iloc[::-1])
    assert compare(e, swapped).kind == "index"
    assert compare(e, swapped, ordered=False).ok
    wrong = df.copy()
    wrong.loc["C02", "F"] = 4
    v = compare(e, encode_value(wrong), name="table")
    assert (v.kind, v.message) == ("valeur", "La valeur de « table['F'] » n'est pas la bonne.")
    assert compare(e, encode_value(df.rename(columns={"F": "freq"}))).kind == "index"


def test_compare_containers_and_texts() -> None:
    assert normalize_text("  Éléphant  rose ! ") == "elephant rose"
    assert compare(encode_value({"a", "b"}), encode_value(["b", "a"])).ok
    assert compare(encode_value(["a", "b"]), encode_value(["b", "a"])).kind == "valeur"
    assert compare(encode_value({"A": 1.0}), encode_value({"A": 1.0 + 1e-9})).ok
    assert compare(encode_value([1, 2]), encode_value(pd.Series([1, 2]))).ok
    assert compare(encode_value(1.0), {"t": "missing", "stub": False}).kind == "absente"


def test_quiz_without_widget_frontend(capsys: pytest.CaptureFixture[str]) -> None:
    ns: dict = {}
    assert single_choice("reponse_q1", "Combien ?", {"A": "1", "B": "2"}, namespace=ns, widget=False) is None
    short_answer("reponse_q2", "Nom ?", namespace=ns, widget=False)
    out = capsys.readouterr().out
    assert "  B. 2" in out and 'reponse_q1 = "A"' in out and 'reponse_q2 = "votre réponse"' in out


def test_quiz_widget_sets_the_answer_variable() -> None:
    ns: dict = {"reponse_q1": ...}
    box = single_choice("reponse_q1", "Combien ?", {"A": "1", "B": "2"}, namespace=ns, widget=True,
                        show=False)
    radio = box.children[1]
    radio.value = "B"
    assert ns["reponse_q1"] == "B"
    assert 'reponse_q1 = "B"' in box.children[2].value


def test_quiz_widget_is_displayed_once_and_returns_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    ns: dict = {}
    assert single_choice("reponse_q1", "Combien ?", {"A": "1", "B": "2"}, namespace=ns, widget=True) is None
    assert short_answer("reponse_q2", "Nom ?", namespace=ns, widget=True) is None
    assert len(shown) == 2  # un affichage par question, pas de second via la valeur renvoyée


def test_unordered_check_accepts_rows_in_any_order() -> None:
    """Même verdict dans le notebook et au correcteur quand l'ordre des lignes n'est pas noté."""
    import pandas as pd

    from coursehelpers.grading.encode import encode_value
    from coursehelpers.grading.fingerprint import make_fingerprint

    expected = pd.Series([0.7, 0.68], index=["Platinum", "Plomb"], name="resolution")
    fp_unordered = make_fingerprint(encode_value(expected), name="taux", ordered=False)
    shuffled = {"taux": expected.iloc[::-1]}
    check("taux", fingerprint=fp_unordered, namespace=shuffled, ordered=False)  # ✅ : pas d'exception
    wrong = {"taux": pd.Series([0.7, 0.5], index=["Platinum", "Plomb"], name="resolution")}
    with pytest.raises(CheckFailed, match="n'est pas la bonne"):
        check("taux", fingerprint=fp_unordered, namespace=wrong, ordered=False)
    fp_ordered = make_fingerprint(encode_value(expected), name="taux")
    with pytest.raises(CheckFailed, match="pas dans le bon ordre"):
        check("taux", fingerprint=fp_ordered, namespace=shuffled)
