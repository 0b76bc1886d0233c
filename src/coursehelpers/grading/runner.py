"""Exécution d'un notebook dans un noyau neuf, avec relevé des réponses en JSON.

1. :func:`assemble` reconstruit le notebook à exécuter : les cellules verrouillées et
   de test viennent de la version de référence (remises si supprimées, remplacées si
   modifiées), les cellules de réponse viennent de l'élève (retrouvées par ``grade_id``),
   ses cellules ajoutées restent à leur place ; avant chaque cellule de test, le
   correcteur ajoute une cellule qui relève les variables réponses en JSON.
2. :func:`run` exécute cellule par cellule (délai par cellule, interruption puis arrêt
   du noyau s'il ne répond plus, sorties plafonnées) et lit les relevés dans les
   sorties des seules cellules ajoutées (marquées par un jeton aléatoire).
3. :class:`KernelPool` démarre d'avance le noyau de la copie suivante pendant que la
   copie courante s'exécute. Chaque noyau sert à UNE seule copie puis est arrêté : on
   gagne le temps de démarrage (processus, ``import pandas``) sans jamais partager un
   noyau entre deux élèves.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import re
import secrets
import shutil
import subprocess
import tempfile
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from coursehelpers.grading import encode, zygote
from coursehelpers.grading.notebook_io import cell_kind, ch_meta, grade_id

IGNORED_ERRORS = {"NotImplementedError", "CheckFailed", "KeyboardInterrupt"}
MAX_OUTPUT = 200_000  # caractères de sortie gardés par cellule d'élève
_ENCODE_SOURCE = re.sub(r"^from __future__ import annotations\n", "",
                        Path(encode.__file__).read_text(encoding="utf-8"), flags=re.M)
# Modules importés par le noyau à son démarrage, AVANT toute cellule : uniquement des
# bibliothèques (aucun nom laissé dans l'espace de noms de l'élève), pour que leur coût
# d'import soit payé pendant que la copie précédente s'exécute.
PRELOAD = ("numpy", "pandas", "coursehelpers", "coursehelpers.datasets", "coursehelpers.grading")
KERNEL_ENV = {"PYTHONHASHSEED": "0", "MPLBACKEND": "agg", "COURSEHELPERS_GRADING": "1"}
TAMPER = re.compile(r"(\bcheck\s*=|def\s+check\b|grading\.\w+(\.\w+)?\s*=|setattr\s*\(|__builtins__|"
                    r"\bbuiltins\b|CheckFailed|sys\.modules\[|_render_traceback_|fingerprint\s*=\s*)")


@dataclass
class Plan:
    """Notebook à exécuter et ce que le correcteur a dû faire pour le reconstruire."""

    nb: dict
    snapshot_cells: dict[int, str] = field(default_factory=dict)  # index -> grade_id
    labels: dict[int, str] = field(default_factory=dict)  # index -> nom lisible de la cellule
    restored: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    missing_answers: list[str] = field(default_factory=list)
    manual: dict[str, str] = field(default_factory=dict)  # grade_id -> texte de l'élève
    matched: int = 0
    tamper: bool = False
    student_cells: set[int] = field(default_factory=set)  # cellules écrites par l'élève
    # grade_id d'une cellule de test -> code écrit par l'élève depuis la cellule de test précédente
    code: dict[str, str] = field(default_factory=dict)


class KernelStartError(RuntimeError):
    """Le noyau n'a pas démarré ou n'a pas répondu à temps : panne de la machine, pas de l'élève."""


@dataclass
class RunResult:
    snapshots: dict[str, dict] = field(default_factory=dict)
    failed: dict[str, dict] = field(default_factory=dict)  # grade_id -> {variable: [erreur, message]}
    timeouts: list[str] = field(default_factory=list)
    dead: str | None = None
    dead_in_student: bool = False  # le noyau s'est arrêté pendant une cellule écrite par l'élève
    errors: list[tuple[str, str]] = field(default_factory=list)
    # (cellule, type d'erreur, message) pour les cellules de l'élève seulement : son propre
    # message d'erreur l'aide à corriger (jamais celui d'une cellule de test).
    messages: list[tuple[str, str, str]] = field(default_factory=list)
    flooded: list[str] = field(default_factory=list)


def snapshot_source(nonce: str, gid: str, names: list[str]) -> str:
    """Cellule ajoutée par le correcteur : encode les réponses (code autonome) et les imprime."""
    return (
        "def __ch_snapshot():\n"
        "    import json as _j, sys as _s\n"
        "    _ns = {}\n"
        f"    exec({_ENCODE_SOURCE!r}, _ns)\n"
        "    _last = getattr(getattr(_s, 'last_type', None), '__name__', None)\n"
        f"    _data = _ns['snapshot']({names!r}, globals(), _last)\n"
        # Cellule de réponse arrêtée sur une erreur, ou valeur de secours ? (même information
        # que pour check() dans le notebook : coursehelpers.grading.session)
        "    _sess = _s.modules.get('coursehelpers.grading.session')\n"
        "    try:\n"
        f"        _failed = {{_n: _sess.problem(_n, globals()) for _n in {names!r}}} if _sess else {{}}\n"
        "    except Exception:\n"
        "        _failed = {}\n"
        f"    print({nonce!r} + _j.dumps({{'grade_id': {gid!r}, 'answers': _data, 'failed': _failed}}))\n"
        "__ch_snapshot()\n"
        "del __ch_snapshot\n"
    )


def _code(source: str, meta: dict | None = None) -> dict:
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata = meta or {}
    return cell


def assemble(reference: dict, student: dict | None, nonce: str) -> Plan:
    """Notebook à exécuter : ``reference`` (version élève ou solution) + réponses de ``student``.

    Avec ``student=None``, la référence est exécutée telle quelle (calcul des réponses
    attendues à partir du notebook solution).
    """
    ref_ids = {grade_id(c) for c in reference["cells"] if grade_id(c)}
    by_id: dict[str, dict] = {}
    extras: dict[str | None, list[dict]] = {}
    plan = Plan(nb={**copy.deepcopy({k: v for k, v in reference.items() if k != "cells"}), "cells": []})
    ref_free = {c.get("source", "").strip() for c in reference["cells"] if not grade_id(c)}
    anchor: str | None = None
    for cell in (student or {}).get("cells", []):
        gid = grade_id(cell)
        if gid in ref_ids and gid not in by_id:
            by_id[gid] = cell
            anchor = gid
        elif cell.get("cell_type") == "code" and cell.get("source", "").strip() not in ref_free:
            extras.setdefault(anchor, []).append(_code(cell.get("source", "")))
            plan.tamper = plan.tamper or bool(TAMPER.search(cell.get("source", "")))
    plan.matched = len(by_id)
    cells = plan.nb["cells"]

    written: list[str] = []  # code de l'élève depuis la dernière cellule de test

    def add_extras(key: str | None) -> None:
        for extra in extras.get(key, []):
            plan.student_cells.add(len(cells))
            cells.append(extra)
            written.append(extra.get("source", ""))

    add_extras(None)
    for ref in reference["cells"]:
        gid = grade_id(ref)
        kind = cell_kind(ref)
        mine = by_id.get(gid) if student is not None else None
        if kind == "test" and ref.get("cell_type") == "code":
            plan.code[gid] = "\n".join(written)
            written.clear()
            names = list(ch_meta(ref).get("answers", []))
            if names:
                plan.snapshot_cells[len(cells)] = gid
                cells.append(_code(snapshot_source(nonce, gid, names)))
        if student is None:
            cells.append(copy.deepcopy(ref))
        elif kind == "manual":
            plan.manual[gid] = (mine or {}).get("source", "").strip()
            cells.append(copy.deepcopy(ref))
        elif kind == "solution" and ref.get("cell_type") == "code":
            if mine is None or mine.get("cell_type") != "code":
                plan.missing_answers.append(gid)
                cells.append(copy.deepcopy(ref))
            else:
                plan.student_cells.add(len(cells))
                written.append(mine.get("source", ""))
                cells.append(_code(mine.get("source", ""), {"nbgrader": ref["metadata"]["nbgrader"]}))
                plan.tamper = plan.tamper or bool(TAMPER.search(mine.get("source", "")))
        else:
            if gid and kind in ("test", "locked"):
                if mine is None:
                    plan.restored.append(gid)
                elif mine.get("source", "").strip() != ref.get("source", "").strip():
                    plan.replaced.append(gid)
            # La cellule check("exN") n'est pas exécutée pour une copie : le relevé ci-dessus
            # porte les réponses au correcteur, qui les juge avec la même règle ; check() ne
            # fait qu'afficher ce verdict (sans rien changer aux variables de l'élève).
            if not (kind == "test" and ref.get("cell_type") == "code"):
                cells.append(copy.deepcopy(ref))
        if gid and cells:
            plan.labels.setdefault(len(cells) - 1, gid)
        if student is not None:
            add_extras(gid)
    for i, c in enumerate(cells):
        c.setdefault("metadata", {})
        plan.labels.setdefault(i, plan.labels.get(i, f"cellule {i + 1}"))
        if c.get("cell_type") == "code":
            c["outputs"], c["execution_count"] = [], None
    return plan


class _Client(NotebookClient):
    """NotebookClient qui plafonne la taille des sorties des cellules d'élève."""

    exempt: set[int] = set()  # noqa: RUF012  (réaffecté par instance)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.exempt = set()
        self.sizes: dict[int, int] = {}
        self.flooded: set[int] = set()
        self.timed_out = False

    async def _async_handle_timeout(self, timeout, cell=None):
        self.timed_out = True  # interrompt le noyau puis rend une réponse d'erreur (error_on_timeout)
        return await super()._async_handle_timeout(timeout, cell)

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        size = len(content.get("text", "")) + sum(len(str(v)) for v in content.get("data", {}).values())
        total = self.sizes.get(cell_index, 0) + size
        self.sizes[cell_index] = total
        if cell_index not in self.exempt and total > MAX_OUTPUT:
            if cell_index not in self.flooded:
                self.flooded.add(cell_index)
                outs.append(nbformat.v4.new_output("stream", name="stderr",
                                                   text="[sortie tronquée par le correcteur]\n"))
            return None
        return super().output(outs, msg, display_id, cell_index)


def _preload_line(modules: tuple[str, ...]) -> str:
    return ("def __ch_preload():\n"
            f"    for _m in {tuple(modules)!r}:\n"
            "        try:\n"
            "            __import__(_m)\n"
            "        except Exception:\n"
            "            pass\n"
            "__ch_preload()\n"
            "del __ch_preload\n")


@dataclass
class _Kernel:
    km: AsyncKernelManager
    cwd: str  # dossier temporaire propre à ce noyau, supprimé après la copie


class KernelPool:
    """Noyaux démarrés d'avance ; chacun sert à UNE copie puis est arrêté.

    ``take()`` rend le plus ancien noyau lancé (ou en lance un) et lance aussitôt le
    suivant : son démarrage (processus Python, ``import pandas``…) se fait pendant
    l'exécution de la copie courante. ``ahead=0`` : aucun noyau d'avance.
    """

    def __init__(self, *, ahead: int = 1, preload: tuple[str, ...] = PRELOAD,
                 warm: tuple[tuple[str, str], ...] = (), fork: bool = True,
                 shared: zygote.Zygote | None = None) -> None:
        self.ahead = ahead
        self.preload, self.warm = tuple(preload), tuple(warm)
        self.args = ["--HistoryManager.enabled=False", "--HistoryManager.hist_file=:memory:",
                     "--InteractiveShellApp.extensions=[]"]
        if preload:
            self.args.append(f"--IPKernelApp.exec_lines={_preload_line(preload)}")
        self._ready: deque[_Kernel] = deque()
        # None : zygote pas encore lancé ; False : désactivé ou en panne (lancement normal).
        # ``shared`` : zygote commun à plusieurs réserves (fils de correction), fermé par son créateur.
        self._zygote: zygote.Zygote | bool | None = (shared or None) if fork else False
        self._owns_zygote = shared is None

    def shared_zygote(self) -> zygote.Zygote | None:
        """Le zygote de cette réserve (lancé s'il ne l'est pas), à partager avec d'autres réserves."""
        return self._clone_source()

    def _clone_source(self) -> zygote.Zygote | None:
        if self._zygote is None:
            self._zygote = zygote.Zygote(modules=(*self.preload, *{m for m, _ in self.warm}),
                                         calls=self.warm, env=KERNEL_ENV) if zygote.available() else False
        if self._zygote and not self._zygote.alive:
            if self._owns_zygote:
                self._zygote.close()
            self._zygote = False
        return self._zygote or None

    def _launch(self) -> _Kernel:
        cwd = tempfile.mkdtemp(prefix="ch-grade-")
        source = self._clone_source()
        km = zygote.ForkKernelManager(kernel_name="python3") if source else AsyncKernelManager(
            kernel_name="python3")
        km.zygote = source
        try:
            run_sync(km.start_kernel)(extra_arguments=list(self.args), cwd=cwd,
                                      env={**os.environ, **KERNEL_ENV},
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except Exception:
            shutil.rmtree(cwd, ignore_errors=True)
            if source:  # zygote en panne : les noyaux suivants sont lancés normalement
                if self._owns_zygote:
                    source.close()
                self._zygote = False
            raise
        return _Kernel(km, cwd)

    def fill(self) -> None:
        while len(self._ready) < self.ahead:
            self._ready.append(self._launch())

    def take(self) -> _Kernel:
        kernel = None
        while self._ready and kernel is None:
            kernel = self._ready.popleft()
            if not run_sync(kernel.km.is_alive)():  # noyau mort en attendant : on en relance un
                release(kernel)
                kernel = None
        kernel = kernel or self._launch()
        self.fill()
        return kernel

    def close(self) -> None:
        while self._ready:
            release(self._ready.popleft())
        if self._zygote and self._owns_zygote:
            self._zygote.close()
        self._zygote = False


def release(kernel: _Kernel) -> None:
    """Arrête le noyau (s'il vit encore) et supprime son dossier de travail."""
    try:
        if run_sync(kernel.km.is_alive)():
            run_sync(kernel.km.shutdown_kernel)(now=True)
        run_sync(kernel.km.cleanup_resources)()
    except Exception:  # arrêt au mieux : le noyau est peut-être déjà parti
        pass
    finally:
        shutil.rmtree(kernel.cwd, ignore_errors=True)


def run(plan: Plan, *, nonce: str, timeout: float = 60, kernels: KernelPool | None = None,
        start_timeout: int = 60) -> RunResult:
    """Exécute ``plan.nb`` dans un noyau neuf et relève les réponses imprimées avec ``nonce``.

    Le noyau vient de ``kernels`` (démarré d'avance) ou est lancé pour l'occasion ; dans
    les deux cas il n'a jamais exécuté d'autre copie et il est arrêté à la fin.

    Lève ``KernelStartError`` si le noyau ne démarre pas ou ne répond pas à ``kernel_info``
    dans les ``start_timeout`` secondes : rien de la copie n'a été exécuté.
    """
    result = RunResult()
    nb = nbformat.from_dict(plan.nb)
    try:
        kernel = kernels.take() if kernels is not None else KernelPool(ahead=0, fork=False)._launch()
    except Exception as exc:
        raise KernelStartError(f"lancement du noyau impossible ({type(exc).__name__} : {exc})") from None
    try:
        client = _Client(nb, km=kernel.km, timeout=timeout, allow_errors=True, interrupt_on_timeout=True,
                         error_on_timeout={"ename": "CellTimeoutError", "evalue": "délai dépassé",
                                           "traceback": []},
                         kernel_name="python3", shutdown_kernel="immediate",
                         startup_timeout=int(start_timeout), resources={"metadata": {"path": kernel.cwd}})
        client.exempt = set(plan.snapshot_cells)
        with contextlib.ExitStack() as stack:
            try:
                stack.enter_context(client.setup_kernel(cleanup_kc=True))
            except Exception as exc:
                raise KernelStartError(f"{type(exc).__name__} : {exc}") from None
            _execute(client, nb, plan, result)
        result.flooded = [plan.labels.get(i, str(i)) for i in sorted(client.flooded)]
    finally:
        release(kernel)
    for i, gid in plan.snapshot_cells.items():
        for out in nb.cells[i].get("outputs", []):
            text = out.get("text", "") if out.get("output_type") == "stream" else ""
            for line in text.splitlines():
                if line.startswith(nonce):
                    try:
                        data = json.loads(line[len(nonce):])
                    except ValueError:
                        continue
                    if data.get("grade_id") == gid and isinstance(data.get("answers"), dict):
                        result.snapshots[gid] = data["answers"]
                        failed = data.get("failed")
                        result.failed[gid] = failed if isinstance(failed, dict) else {}
    return result


def _execute(client: _Client, nb, plan: Plan, result: RunResult) -> None:
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        label = plan.labels.get(i, f"cellule {i + 1}")
        client.timed_out = False
        try:
            client.execute_cell(cell, i)
        except (DeadKernelError, CellTimeoutError):
            result.dead, result.dead_in_student = label, i in plan.student_cells
            return
        if client.timed_out:
            result.timeouts.append(label)
            if not _responsive(client):
                result.dead, result.dead_in_student = label, i in plan.student_cells
                return
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error" and i not in plan.snapshot_cells:
                result.errors.append((label, out.get("ename", "?")))
                if i in plan.student_cells:
                    first = str(out.get("evalue", "")).strip().splitlines()[:1]
                    result.messages.append((label, out.get("ename", "?"),
                                            first[0][:300] if first else ""))


def _responsive(client: _Client) -> bool:
    """Après une interruption : le noyau répond-il encore (cellule « pass » en 5 s) ?"""
    probe = nbformat.v4.new_code_cell("pass")
    client.nb.cells.append(probe)
    saved, client.timeout, client.timed_out = client.timeout, 5, False
    try:
        client.execute_cell(probe, len(client.nb.cells) - 1, store_history=False)
    except (CellTimeoutError, DeadKernelError):
        return False
    finally:
        client.timeout = saved
        client.nb.cells.pop()
    return not client.timed_out


def new_nonce() -> str:
    return f"@@coursehelpers-{secrets.token_hex(8)}@@"
