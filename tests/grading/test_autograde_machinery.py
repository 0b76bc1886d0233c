"""Une machine qui flanche ne coûte jamais de points : noyau qui ne démarre pas ou ne répond pas.

Un faux noyau « python3 » (kernelspec placé devant le vrai par ``JUPYTER_PATH``) suit un plan :
le k-ième lancement meurt tout de suite (« Kernel died before replying to kernel_info »), reste
muet (« Kernel didn't respond in N seconds ») ou démarre le vrai noyau.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from tiny_course import edit, save, write_tiny

from coursehelpers.grading import notebook_io
from coursehelpers.grading.autograde import expected_values, grade

FLAKY = '''
import fcntl, os, sys, time
plan_file = os.environ["CH_FLAKY_PLAN"]
with open(plan_file + ".lock", "a+") as lock:
    fcntl.flock(lock, fcntl.LOCK_EX)
    with open(plan_file + ".count", "a+") as fh:
        fh.seek(0)
        k = len(fh.read())
        fh.write("x")
plan = open(plan_file).read().split()
what = plan[k] if k < len(plan) else plan[-1]
if what == "exit":
    sys.exit(1)
if what == "stall":
    time.sleep(600)
os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *sys.argv[1:]])
'''


@pytest.fixture()
def flaky(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    solution = write_tiny(tmp_path)
    expected_values(solution, cache_dir=tmp_path / "cache")  # avec le vrai noyau, avant la panne
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (tmp_path / "flaky.py").write_text(FLAKY, encoding="utf-8")
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, str(tmp_path / "flaky.py"), "-f", "{connection_file}"],
        "display_name": "Python 3 (capricieux)", "language": "python"}), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    plan = tmp_path / "plan.txt"
    monkeypatch.setenv("CH_FLAKY_PLAN", str(plan))
    exercise = notebook_io.student_version(notebook_io.read(solution))
    (tmp_path / "rendus").mkdir()
    paths = [save(edit(exercise, "q1_reponse", "taux = 1 - 0.5 ** (1 / 5)"), tmp_path / "rendus" / "a.ipynb"),
             save(edit(exercise, "q1_reponse", "taux = 0.5"), tmp_path / "rendus" / "b.ipynb")]

    def run(steps: str, **kw) -> list[dict]:
        plan.write_text(steps, encoding="utf-8")
        return grade(solution, paths, out=tmp_path / "notes.csv", jobs=1, timeout=20, start_timeout=3,
                     cache_dir=tmp_path / "cache", show_progress=False, **kw)

    return run


def test_kernels_that_die_or_stall_at_start_are_retried_with_a_fresh_kernel(flaky) -> None:
    rows = flaky("exit stall ok")
    assert [(r["eleve"], r["q1"], r["statut"]) for r in rows] == [("a", "2", "ok"), ("b", "0", "ok")]
    assert "essai" in rows[0]["motif"] and "panne de la machine" in rows[0]["motif"]
    assert rows[0]["note_sur_20"] == "6,5"  # 2 points sur 6 : la panne n'a rien coûté


def test_a_persistent_failure_is_a_regrader_never_a_zero(flaky, tmp_path: Path) -> None:
    rows = flaky("exit", feedback=tmp_path / "retours")
    for row in rows:
        assert row["statut"] == "à regrader", row
        assert (row["q1"], row["q2"], row["total"], row["note_sur_20"]) == ("", "", "", ""), row
        assert row["motif"].startswith("la machine a fait défaut 3 fois (démarrage du noyau : ")
        assert "Kernel died before replying to kernel_info" in row["motif"]
        assert "ce n'est pas la faute de l'élève" in row["motif"]
    text = (tmp_path / "retours" / "a.md").read_text(encoding="utf-8")
    assert "Pas de note pour l'instant" in text and "0 /" not in text
