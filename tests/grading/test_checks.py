"""Mode élève : la règle unique (grading.rule), ses messages, l'affichage et le bilan.

Chaque cas de l'essai en classe (revue 2026-12, sections 1 à 4) a ici son test avec le message
français attendu ; les cas qui demandent un vrai noyau sont dans test_checks_kernel.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coursehelpers.grading import CheckFailed, check, progress, reset_progress, session
from coursehelpers.grading.checks import decode_checks, encode_checks, load_checks
from coursehelpers.grading.encode import encode_value
from coursehelpers.grading.quiz import short_answer, single_choice
from coursehelpers.grading.rule import (
    answer_points,
    explain_error,
    judge,
    make_spec,
    normalize_text,
    parse_precision,
)

TAUX = 1 - 0.5 ** (1 / 5)  # 0,12944943670387588 : la moitié des clients perdue en 5 ans
VENTES = pd.Series([120.0, 80.5, 42.0], index=pd.Index(["C01", "C02", "C03"], name="client_id"),
                   name="montant")


def verdict(value: object, expected: object, *, name: str = "x", **spec):
    return judge(encode_value(value), make_spec(encode_value(expected), name=name, **spec), name=name)


def load(exercises: dict) -> None:
    """Charge des vérifications comme le fait la cellule technique d'un cahier."""
    data = {"exercises": {}}
    for gid, (points, answers) in exercises.items():
        data["exercises"][gid] = {
            "points": points, "answers": list(answers),
            "specs": {n: make_spec(encode_value(v), name=n, **opts) for n, (v, opts) in answers.items()},
            "hints": {n: "Relisez la consigne." for n in answers}}
    load_checks(encode_checks(data))
    reset_progress()


@pytest.fixture(autouse=True)
def _fresh() -> None:
    session.reset()
    reset_progress()


# --- affichage ---

def test_success_is_a_short_french_block_without_emoji(capsys: pytest.CaptureFixture[str]) -> None:
    load({"ex1": (2, {"taux": (TAUX, {})})})
    check("ex1", namespace={"taux": 1 - 0.5 ** 0.2})
    out = capsys.readouterr().out
    assert out == "Juste — exercice 1 : 2 / 2 points\n  Juste : « taux » : c'est juste (à 0,01 % près).\n"
    assert not any(ord(ch) > 0x2FFF for ch in out)  # aucun émoji ni symbole hors police courante


def test_html_block_is_coloured_with_a_word() -> None:
    from coursehelpers.grading.checks import Block

    for level, word, colour in (("juste", "Juste", "#1e7b34"), ("presque", "Presque", "#b35c00"),
                                ("faux", "À revoir", "#b3261e")):
        html = Block(level, "exercice 1 : 0 / 1 point", [(level, "message")])._repr_html_()
        assert f"<b style=\"color:{colour}\">{word}</b>" in html and "border-left:6px" in html


def test_failure_is_an_error_for_nbclient_but_shows_no_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    load({"ex1": (2, {"taux": (TAUX, {})})})
    with pytest.raises(AssertionError) as info:  # nbgrader/nbclient : la cellule échoue
        check("ex1", namespace={"taux": 0.5})
    rendered = info.value._render_traceback_()
    assert rendered == ["Vérification non réussie : lisez le message ci-dessus, corrigez, puis relancez."]
    out = capsys.readouterr().out
    assert "À revoir — exercice 1 : 0 / 2 points" in out
    assert ("La valeur de « taux » n'est pas la bonne. Précision demandée : à 0,01 % près. "
            "Indice : Relisez") in out


def test_spec_does_not_show_the_expected_value() -> None:
    text = str([make_spec(encode_value(v), name=n) for v, n in
                ((TAUX, "taux"), (VENTES, "ventes"), ("Le taux de réachat", "r"), ("B", "q"))])
    for secret in ("0.1294", "1294", "120", "80.5", "C01", "réachat", "reachat", "'B'"):
        assert secret not in text
    blob = encode_checks({"exercises": {"q": {"hints": {"q": "Racine cinquième"}}}})
    assert "Racine" not in blob and decode_checks(blob)["exercises"]["q"]["hints"]["q"] == "Racine cinquième"


# --- section 1 : la précision déclarée, la même des deux côtés ---

def test_trial_0_129449_is_accepted_by_the_rule_that_both_sides_use() -> None:
    # L'essai : ✅ dans le notebook (6 chiffres) et 0 au correcteur (1e-6). Une seule règle désormais.
    assert verdict(0.129449, TAUX).ok
    assert verdict(round(TAUX, 12), TAUX).ok
    assert not verdict(0.1294, TAUX).ok


def test_figure_reading_accepts_plus_or_minus_two_and_never_says_do_not_round() -> None:
    spec = {"precision": "lecture de graphique : à ±2 points près"}
    for read in (28, 29, 30, 31, 32):
        assert verdict(read, 30, **spec).ok, read
    for read in (27, 33, 40):
        v = verdict(read, 30, **spec)
        assert not v.ok and "arrondi" not in v.message
        assert "Précision demandée : lecture de graphique : à ±2 points près." in v.message


def test_precision_words() -> None:
    assert parse_precision("au centième près").tol == 0.01
    assert parse_precision("à 1 % près") == parse_precision("à 1 % près")
    assert parse_precision("à 0,5 % près").tol == pytest.approx(0.005)
    assert parse_precision(None, integer=True).label == "valeur exacte"
    with pytest.raises(ValueError, match="précision « à peu près » non reconnue"):
        parse_precision("à peu près")
    spec = {"precision": "au centième près"}
    # « valeur approchée au centième près » : par défaut (0,12) comme par excès (0,13)
    assert all(verdict(x, TAUX, **spec).ok for x in (0.13, 0.12, 0.1294))
    assert not verdict(0.11, TAUX, **spec).ok and not verdict(0.15, TAUX, **spec).ok
    assert verdict(100.0, 101.0, precision="à 1 % près").ok
    assert not verdict(97.0, 101.0, precision="à 1 % près").ok


def test_every_answer_within_the_precision_is_accepted_and_beyond_1_24_refused() -> None:
    rng = np.random.default_rng(0)
    for e in rng.uniform(-50, 50, 200):
        spec = make_spec(encode_value(float(e)), name="v", precision="au dixième près")
        for d in (-0.1, -0.05, 0.0, 0.05, 0.1):
            assert judge(encode_value(float(e + d * 0.999)), spec, name="v").ok
        for d in (-0.125, 0.125, 0.3):
            assert not judge(encode_value(float(e + d)), spec, name="v").ok


def test_integers_are_exact_and_accept_the_equal_float() -> None:
    assert verdict(12.0, 12).ok and verdict(np.int64(12), 12).ok
    assert not verdict(13, 12).ok
    assert not verdict(57838, 57839).ok


# --- section 3 : chaque diagnostic est vrai ---

@pytest.mark.parametrize(("value", "expected", "words"), [
    ("0.13", TAUX, "est un texte (str) alors qu'on attend un nombre. Enlevez les guillemets"),
    (None, TAUX, "est None (rien) alors qu'on attend un nombre. Avez-vous utilisé print()"),
    (VENTES.iloc[:2], VENTES, "a 2 lignes : ce n'est pas la taille attendue"),
    (pd.Series([120.0, np.nan, 42.0], index=VENTES.index), VENTES, "contient des valeurs manquantes (NaN)"),
    (VENTES.set_axis(["A", "B", "C"]), VENTES, "les étiquettes (index) ne sont pas celles attendues"),
    (0.5, TAUX, "La valeur de « x » n'est pas la bonne."),
    (["a", "b"], ["a", "b", "c"], "a 2 éléments : ce n'est pas la taille attendue"),
    ((0, 129), 0.129,
     "« x » est un tuple (0, 129) : en Python la virgule décimale s'écrit avec un point : 0.129"),
    ((600, 0), 600.0, "en Python la virgule décimale s'écrit avec un point : 600.0"),
    (12.944943670387588, TAUX,
     "on dirait un pourcentage multiplié par 100 : écrivez 0.129449 pour 12,9449 %"),
    (pd.Series([1.0]).mean, 1.0,
     "est une fonction, pas son résultat : parenthèses oubliées ? Écrivez .mean()"),
    (..., TAUX, "Vous n'avez pas encore répondu : remplacez « ... » dans « x = ... » par votre calcul"),
    (VENTES.groupby(level=0), VENTES, "est un regroupement (groupby) pas encore calculé"),
])
def test_each_failure_has_its_own_true_message(value: object, expected: object, words: str) -> None:
    v = verdict(value, expected)
    assert not v.ok and words in v.message, v.message
    for jargon in ("StringArray", "Categorical", "ellipsis", "method", "NoneType"):
        assert jargon not in v.message


def test_near_miss_from_a_method_error_is_not_called_rounding() -> None:
    ca = 123_456.78
    v = verdict(ca * 1.004, ca)  # net sans les avoirs, doublons gardés... : écart de 0,4 %
    assert v.kind == "presque" and v.level == "presque"
    assert "presque, écart de moins de 0,5 % — la méthode est proche mais pas exacte : une ligne " \
           "oubliée ou en trop" in v.message
    assert "arrondi" not in v.message
    rounded = verdict(0.13, TAUX)  # ici l'élève a bien arrondi (2 chiffres)
    assert "vous avez arrondi trop tôt" in rounded.message


def test_wrong_values_are_not_called_a_sorting_problem() -> None:
    sums = pd.Series([300.0, 200.0, 100.0], index=["web", "magasin", "tel"])
    means = pd.Series([30.0, 25.0, 12.0], index=["web", "magasin", "tel"]).sort_values()
    v = verdict(means, sums, ordered=True)  # moyenne au lieu de somme, triée
    assert v.kind == "valeur" and "ordre" not in v.message
    right_but_unsorted = verdict(sums.sort_values(), sums, ordered=True)
    assert right_but_unsorted.kind == "ordre"
    assert "a les bonnes valeurs mais pas dans l'ordre demandé : ici le classement compte" in \
        right_but_unsorted.message


def test_row_order_is_free_unless_it_is_the_skill() -> None:
    table = pd.DataFrame({"montant": [10.0, 30.0, 20.0]},
                         index=pd.Index(["C1", "C2", "C3"], name="client_id"))
    assert verdict(table.sort_values("montant", ascending=False), table).ok  # trié par montant : accepté
    assert verdict(table.reset_index(), table).ok  # reset_index() : remis sur son index
    assert verdict(table["montant"].to_frame().iloc[::-1], table).ok


def test_equivalent_answers_are_accepted() -> None:
    cases = [(np.float32(TAUX), TAUX), (12.0, 12), (" (B). ", "B"),
             ("  le TAUX de Réachat. ", "Le taux de réachat"),
             (("a", "b"), ["a", "b"]), ({"c", "a"}, {"a", "c"}), (["a", "c"], {"a", "c"}),
             (VENTES.astype("float32"), VENTES), (VENTES.reset_index(), VENTES),
             (pd.Series(["x", "y"]).astype("category"), pd.Series(["x", "y"])),
             (pd.array(["x", "y"], dtype="string"), ["x", "y"]), (VENTES.to_dict(), VENTES)]
    for value, expected in cases:
        v = verdict(value, expected)
        assert v.ok, (value, v.message)


def test_frame_with_one_wrong_column_names_it() -> None:
    df = pd.DataFrame({"R": [5, 1], "F": [3, 2]}, index=["C01", "C02"])
    wrong = df.copy()
    wrong.loc["C02", "F"] = 4
    v = verdict(wrong, df, name="table")
    assert v.message.startswith("Dans « table », les valeurs de la colonne « F » ne sont pas les bonnes")
    assert verdict(df[["F", "R"]], df).ok  # ordre des colonnes libre


# --- réponses multiples : des points par réponse ---

def test_partial_credit_never_prints_the_full_points(capsys: pytest.CaptureFixture[str]) -> None:
    load({"ex3": (2, {"a": (1.5, {}), "b": (2, {})}), "ex4": (1, {"c": ("B", {"quiz": True})})})
    with pytest.raises(CheckFailed):
        check("ex3", namespace={"a": 1.5, "b": 3})
    out = capsys.readouterr().out
    assert out.startswith("Presque — exercice 3 : 1 / 2 points (1 réponse juste sur 2)")
    assert "2 pts" not in out and "2 / 2" not in out
    check("ex4", namespace={"c": " b "})
    capsys.readouterr()
    status = progress()
    lines = capsys.readouterr().out.splitlines()
    assert status == {"ex3": 1.0, "ex4": 1.0}
    assert lines == ["Presque — Bilan indicatif : 2 / 3 points — 1 exercice réussi sur 2",
                     "  Presque : exercice 3 : en partie réussi (1 / 2)",
                     "  Juste : exercice 4 : réussi (1 / 1)"]
    assert answer_points(2, [True, True, False]) == 1.33


def test_bilan_distinguishes_not_answered(capsys: pytest.CaptureFixture[str]) -> None:
    load({"ex1": (1, {"a": (1, {})}), "ex2": (1, {"b": (2, {})})})
    with pytest.raises(CheckFailed):
        check("ex1", namespace={"a": ...})
    capsys.readouterr()
    progress()
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "À faire — Bilan indicatif : 0 / 2 points — 0 exercice réussi sur 2"
    assert out[1:] == [
        "  À faire : exercice 1 : pas encore répondu (0 / 1)",
        "  À faire : exercice 2 : pas encore vérifié (0 / 1)"]


def test_check_before_the_setup_cell_says_what_to_do() -> None:
    load_checks("")
    with pytest.raises(CheckFailed, match="exécutez d'abord la cellule technique tout en haut du cahier"):
        check("ex1", namespace={})


# --- la cellule de réponse s'est arrêtée sur une erreur (section 1, « état périmé ») ---

@pytest.mark.parametrize(("error", "words"), [
    (KeyError("client"), "La cellule de l'exercice 2 s'est arrêtée sur une erreur : colonne ou étiquette "
                         "« client » introuvable"),
    (NameError("name 'transaction' is not defined"), "« transaction » n'est pas défini : faute de frappe"),
    (NameError("name 'table' is not defined"),
     "« table » n'existe pas encore : faites d'abord l'exercice 1."),
    (SyntaxError("invalid syntax", ("<cell>", 2, 1, "x = (", 2, 1)), "erreur de syntaxe"),
])
def test_a_failed_answer_cell_is_never_judged_on_a_stale_value(error: Exception, words: str,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    load({"ex1": (1, {"table": (1, {})}), "ex2": (1, {"ca": (10.0, {})})})
    ns = {"table": 1, "ca": 10.0}  # valeur JUSTE laissée par une exécution précédente
    session.record("ca = transactions.groupby('client')['montant'].sum()", None)
    session.record("ca = transactions.groupby('client')['montant'].sum()", error)
    import sys

    frame_globals = sys._getframe(0).f_globals
    frame_globals.update(ns)
    try:
        with pytest.raises(CheckFailed):
            check("ex2")  # lit les variables globales de l'appelant, comme dans un notebook
    finally:
        for k in ns:
            frame_globals.pop(k, None)
    out = capsys.readouterr().out
    assert words in out and "c'est juste" not in out and "n'existe pas : exécutez" not in out


def test_common_errors_get_a_short_french_explanation() -> None:
    assert explain_error("TypeError", "dtype 'str' does not support operation 'mean'").startswith(
        "calcul impossible sur du texte")
    assert "read_crm_export" in explain_error("UnicodeDecodeError", "'utf-8' codec can't decode byte 0xe9")
    assert explain_error("AttributeError", "'ellipsis' object has no attribute 'sum'").startswith(
        "un « ... » n'a pas encore été remplacé")


# --- QCM : un clic ne vaut jamais « juste » ---

def test_quiz_click_does_not_answer_and_the_check_says_what_to_write(
        capsys: pytest.CaptureFixture[str]) -> None:
    load({"ex2": (1, {"reponse_avoir": ("B", {"quiz": True})})})
    ns: dict = {"reponse_avoir": ...}
    box = single_choice("reponse_avoir", "Combien ?", {"A": "1", "B": "2"}, namespace=ns, widget=True,
                        show=False)
    box.children[1].value = "B"
    assert ns["reponse_avoir"] is Ellipsis  # le clic ne change pas la réponse lue par le correcteur
    assert 'reponse_avoir = "B"' in box.children[2].value and "Un clic ne suffit pas" in box.children[2].value
    with pytest.raises(CheckFailed):
        check("ex2", namespace=ns)
    out = capsys.readouterr().out
    assert 'Vous avez cliqué « B », mais un clic ne compte pas : écrivez reponse_avoir = "B"' in out
    assert "juste" not in out.lower().replace("à faire", "")


def test_quiz_without_widget_frontend(capsys: pytest.CaptureFixture[str]) -> None:
    ns: dict = {}
    assert single_choice("reponse_q1", "Combien ?", {"A": "1", "B": "2"}, namespace=ns, widget=False) is None
    short_answer("reponse_q2", "Nom ?", namespace=ns, widget=False)
    out = capsys.readouterr().out
    assert "  B. 2" in out and 'reponse_q1 = "A"' in out and 'reponse_q2 = "votre réponse"' in out


def test_quiz_widget_is_displayed_once_and_returns_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    ns: dict = {}
    assert single_choice("reponse_q1", "Combien ?", {"A": "1", "B": "2"}, namespace=ns, widget=True) is None
    assert short_answer("reponse_q2", "Nom ?", namespace=ns, widget=True) is None
    assert len(shown) == 2


def test_text_normalisation() -> None:
    assert normalize_text("  Éléphant  rose ! ") == "elephant rose"
    assert normalize_text(" (b) ") == normalize_text("B.") == "b"


def test_a_dependency_not_done_says_which_exercise_to_do_first(capsys: pytest.CaptureFixture[str]) -> None:
    """Revue 3 : « objet de type ellipsis » → « faites d'abord l'exercice 1 »."""
    load({"ex1": (1, {"table": (1.0, {})}), "ex4": (1, {"scores": (2.0, {})})})
    session.record("scores = rfm.rfm_scores(table)",
                   ValueError("« scores RFM » doit être un tableau pandas, pas un objet de type ellipsis."))
    import sys

    frame_globals = sys._getframe(0).f_globals
    frame_globals.update({"table": ..., "scores": ...})
    try:
        with pytest.raises(CheckFailed):
            check("ex4")
    finally:
        for k in ("table", "scores"):
            frame_globals.pop(k, None)
    out = capsys.readouterr().out
    assert "« table » n'est pas encore calculé : faites d'abord l'exercice 1." in out
    assert "ellipsis" not in out
