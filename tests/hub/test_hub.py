"""Une classe sur un vrai JupyterHub : deux élèves et le formateur, de la connexion à la note.

Le hub est lancé avec ``deploy/jupyterhub/jupyterhub_config.py`` en mode test (UN réglage :
``COURS_GRC_HUB_MODE=test``) : authentification à mot de passe commun, serveurs locaux, base, secrets et
échange nbgrader dans un dossier temporaire, proxy ``configurable-http-proxy`` (paquet PyPI), tout sur
127.0.0.1 à des ports libres. Tout passe par HTTP comme dans un navigateur : connexion, démarrage du
serveur, API des fichiers, noyau piloté par sa websocket, extension nbgrader (fetch, submit).

Chaque processus lancé (hub, proxy, serveurs, noyaux) est relevé par son PID et arrêté à la fin, même en
cas d'échec (groupe de processus, SIGTERM puis SIGKILL).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

requests = pytest.importorskip("requests")
psutil = pytest.importorskip("psutil")
websocket = pytest.importorskip("websocket")

pytestmark = pytest.mark.hub

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy" / "jupyterhub"
BIN = Path(sys.executable).parent
ASSIGNMENT = "00_prise_en_main"
COURSE = "grc"
PASSWORD = "mot-de-passe-de-la-classe"
ADMIN_PASSWORD = "mot-de-passe-du-formateur-assez-long-pour-le-hub"
STUDENTS = ("alice", "bob")
TRAINER = "formateur"
TIMEOUT = 120  # machine partagée et chargée : délais larges, durée mesurée


def _free_ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _tree(pid: int) -> list[psutil.Process]:
    with contextlib.suppress(psutil.Error):
        proc = psutil.Process(pid)
        return [proc, *proc.children(recursive=True)]
    return []


def _stop(pids: set[int], timeout: float = 15) -> None:
    """SIGTERM à chaque PID (et à son groupe s'il le dirige), puis SIGKILL aux survivants."""
    procs = []
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            procs.append(psutil.Process(pid))
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for proc in procs:
            with contextlib.suppress(psutil.Error, OSError):
                if os.getpgid(proc.pid) == proc.pid:
                    os.killpg(proc.pid, sig)
                else:
                    proc.send_signal(sig)
        _, procs = psutil.wait_procs(procs, timeout=timeout if sig == signal.SIGTERM else 5)
        if not procs:
            return


class Hub:
    """Le hub lancé pour le test, et le relevé des processus qu'il a démarrés."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port, api, proxy_api = _free_ports(3)
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "COURS_GRC_HUB_MODE": "test",
            "COURS_GRC_HUB_ROOT": str(root),
            "COURS_GRC_HUB_PORT": str(self.port),
            "COURS_GRC_HUB_API_PORT": str(api),
            "COURS_GRC_PROXY_API_PORT": str(proxy_api),
            "COURS_GRC_HUB_PASSWORD": PASSWORD,
            "COURS_GRC_HUB_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "COURS_GRC_PROXY": str(BIN / "configurable-http-proxy"),
        }
        self.env.pop("JUPYTERHUB_API_TOKEN", None)
        self.pids: set[int] = set()
        self.log = open(root / "hub.log", "wb")  # noqa: SIM115 - fermé dans stop()
        self.proc = subprocess.Popen(
            [str(BIN / "jupyterhub"), "-f", str(DEPLOY / "jupyterhub_config.py")],
            cwd=root, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.pids.add(self.proc.pid)

    def record(self) -> None:
        """Relève le proxy, les serveurs et les noyaux (descendants du hub) pour les arrêter à la fin."""
        self.pids.update(p.pid for p in _tree(self.proc.pid))
        pid_file = self.root / "proxy.pid"
        with contextlib.suppress(OSError, ValueError):
            self.pids.add(int(pid_file.read_text().strip()))

    def wait_ready(self) -> None:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"le hub s'est arrêté :\n{self.logs()}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{self.url}/hub/api/", timeout=5).status_code == 200:
                    self.record()
                    return
            time.sleep(0.5)
        raise AssertionError(f"le hub ne répond pas en {TIMEOUT} s :\n{self.logs()}")

    def logs(self) -> str:
        self.log.flush()
        return (self.root / "hub.log").read_text(errors="replace")[-6000:]

    def stop(self) -> None:
        self.record()
        with contextlib.suppress(OSError):  # arrêt propre d'abord : le hub arrête proxy et serveurs
            os.killpg(self.proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(30)
        _stop(self.pids)
        self.log.close()


class Student:
    """Un utilisateur du hub piloté par HTTP (session à cookies, puis jeton API)."""

    def __init__(self, hub: Hub, name: str, password: str = PASSWORD) -> None:
        self.hub, self.name = hub, name
        self.http = requests.Session()
        self.login(password)
        self.server = f"{hub.url}/user/{name}"

    def login(self, password: str) -> None:
        page = self.http.get(f"{self.hub.url}/hub/login", timeout=TIMEOUT)
        page.raise_for_status()
        xsrf = self.http.cookies.get("_xsrf")
        r = self.http.post(f"{self.hub.url}/hub/login?next=", timeout=TIMEOUT, allow_redirects=False,
                           data={"username": self.name, "password": password, "_xsrf": xsrf})
        assert r.status_code == 302, f"connexion de {self.name} refusée : {r.status_code}"
        assert any(c.name.startswith("jupyterhub-session") or c.name == "jupyterhub-hub-login"
                   for c in self.http.cookies), "pas de cookie de session après la connexion"
        # un jeton pour l'API (hub et serveur de l'élève), demandé avec le cookie de connexion
        r = self.http.post(f"{self.hub.url}/hub/api/users/{self.name}/tokens", timeout=TIMEOUT,
                           headers={"X-XSRFToken": self.http.cookies.get("_xsrf", path="/hub/")},
                           json={"note": "test hub", "expires_in": 3600})
        assert r.status_code == 201, r.text
        self.http.headers["Authorization"] = f"token {r.json()['token']}"

    def start(self) -> None:
        r = self.http.post(f"{self.hub.url}/hub/api/users/{self.name}/server", timeout=TIMEOUT)
        assert r.status_code in (201, 202), r.text
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            user = self.http.get(f"{self.hub.url}/hub/api/users/{self.name}", timeout=TIMEOUT).json()
            server = user.get("servers", {}).get("", {})
            if server.get("ready"):
                self.hub.record()
                return
            time.sleep(0.5)
        raise AssertionError(f"serveur de {self.name} pas prêt en {TIMEOUT} s :\n{self.hub.logs()}")

    def stop_server(self) -> None:
        r = self.http.delete(f"{self.hub.url}/hub/api/users/{self.name}/server", timeout=TIMEOUT)
        assert r.status_code in (202, 204), r.text
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            user = self.http.get(f"{self.hub.url}/hub/api/users/{self.name}", timeout=TIMEOUT).json()
            if not user.get("servers"):
                return
            time.sleep(0.5)
        raise AssertionError(f"serveur de {self.name} toujours là après {TIMEOUT} s")

    # --- API du serveur de l'élève ---------------------------------------------------------------------
    def api(self, method: str, path: str, **kwargs):
        r = self.http.request(method, f"{self.server}/{path}", timeout=TIMEOUT, **kwargs)
        assert r.status_code < 400, f"{method} {path} : {r.status_code} {r.text[:500]}"
        return r

    def get_notebook(self, path: str) -> dict:
        return self.api("GET", f"api/contents/{path}", params={"content": 1}).json()["content"]

    def put_notebook(self, path: str, nb: dict) -> None:
        self.api("PUT", f"api/contents/{path}", json={"type": "notebook", "format": "json", "content": nb})

    def listing(self, path: str = "") -> list[str]:
        return [item["name"] for item in self.api("GET", f"api/contents/{path}").json()["content"]]

    def run_notebook(self, path: str, *, keep: bool = False) -> tuple[dict, dict[str, dict]]:
        """Exécute le notebook ``path`` dans un noyau du serveur (websocket des canaux), l'enregistre
        avec ses sorties, et renvoie (notebook, {grade_id ou n° de cellule: réponse d'exécution})."""
        nb = self.get_notebook(path)
        session = self.api("POST", "api/sessions", json={
            "path": path, "type": "notebook", "name": "", "kernel": {"name": "python3"}}).json()
        kernel_id = session["kernel"]["id"]
        ws_url = self.server.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels"
        ws = websocket.create_connection(ws_url, timeout=TIMEOUT,
                                         header=[f"Authorization: {self.http.headers['Authorization']}"])
        replies: dict[str, dict] = {}
        try:
            self.hub.record()
            for i, cell in enumerate(nb["cells"]):
                if cell["cell_type"] != "code":
                    continue
                key = (cell.get("metadata", {}).get("nbgrader") or {}).get("grade_id", str(i))
                msg_id = uuid.uuid4().hex
                ws.send(json.dumps({
                    "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": self.name,
                               "session": session["id"], "version": "5.3", "date": ""},
                    "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                    "content": {"code": "".join(cell["source"]), "silent": False, "store_history": True,
                                "user_expressions": {}, "allow_stdin": False, "stop_on_error": False},
                }))
                outputs, reply, idle = [], None, False
                while reply is None or not idle:
                    msg = json.loads(ws.recv())
                    if msg.get("parent_header", {}).get("msg_id") != msg_id:
                        continue
                    kind = msg["header"]["msg_type"]
                    if kind == "execute_reply":
                        reply = msg["content"]
                    elif kind == "status" and msg["content"]["execution_state"] == "idle":
                        idle = True
                    elif kind == "stream":
                        outputs.append({"output_type": "stream", **msg["content"]})
                    elif kind in ("execute_result", "display_data"):
                        content = {k: v for k, v in msg["content"].items() if k != "transient"}
                        outputs.append({"output_type": kind, **content})
                    elif kind == "error":
                        outputs.append({"output_type": "error", **msg["content"]})
                cell["outputs"] = outputs
                cell["execution_count"] = reply.get("execution_count")
                replies[key] = {**reply, "outputs": outputs}
        finally:
            ws.close()
        self.put_notebook(path, nb)
        if keep:  # noyau laissé en marche (mesure de la mémoire)
            self.session = session["id"]
        else:
            self.api("DELETE", f"api/sessions/{session['id']}")
        return nb, replies

    def shell(self, folder: str, commands: list[list[str]]) -> None:
        """Lance des commandes dans un noyau du serveur, dossier ``folder`` (comme ``!commande`` dans un
        notebook du formateur) ; échoue avec leur sortie si l'une échoue."""
        nb = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        code = ("import glob, os, subprocess, sys\n"
                "bindir = os.path.dirname(sys.executable)\n"
                f"for argv in {commands!r}:\n"
                "    argv = [os.path.join(bindir, argv[0])] + [x for a in argv[1:]\n"
                "            for x in (sorted(glob.glob(a)) if '*' in a else [a])]\n"
                "    r = subprocess.run(argv, capture_output=True, text=True)\n"
                "    print(r.stdout[-3000:], r.stderr[-3000:])\n"
                "    assert r.returncode == 0, f'{argv[0]} : code {r.returncode}'\n")
        nb["cells"].append({"cell_type": "code", "metadata": {}, "source": code, "outputs": [],
                            "execution_count": None})
        path = f"{folder}/commandes-formateur.ipynb"
        self.put_notebook(path, nb)
        _, replies = self.run_notebook(path)
        reply = next(iter(replies.values()))
        assert reply["status"] == "ok", _text(reply["outputs"])

    def nbgrader(self, action: str) -> dict:
        r = self.api("POST", f"assignments/{action}", json={"course_id": COURSE, "assignment_id": ASSIGNMENT})
        return r.json()


def _text(outputs: list[dict]) -> str:
    parts = []
    for out in outputs:
        parts.append(out.get("text", ""))
        parts.append(str(out.get("data", {}).get("text/plain", "")))
        parts.append(str(out.get("data", {}).get("text/html", "")))
        parts.append(out.get("evalue", ""))
    return "\n".join(parts)


def _solution_code(grade_id: str) -> str:
    nb = json.loads((REPO / "solutions" / f"{ASSIGNMENT}.ipynb").read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if (cell["metadata"].get("nbgrader") or {}).get("grade_id") == grade_id:
            lines = "".join(cell["source"]).splitlines()
            return "\n".join(line for line in lines if "### BEGIN SOLUTION" not in line
                             and "### END SOLUTION" not in line)
    raise KeyError(grade_id)


def _answer(nb: dict, grade_ids: list[str]) -> None:
    for cell in nb["cells"]:
        gid = (cell["metadata"].get("nbgrader") or {}).get("grade_id")
        if gid in grade_ids:
            cell["source"] = _solution_code(gid)


def _server_memory(hub: Hub, name: str) -> dict[str, float]:
    """RSS et USS (Mo) du serveur de ``name`` et de ses noyaux en cours."""
    servers = [p for p in _tree(hub.proc.pid) if "jupyterhub-singleuser" in " ".join(p.cmdline())
               and p.environ().get("JUPYTERHUB_USER") == name]
    assert servers, f"serveur de {name} introuvable parmi les processus du hub"
    server = servers[0]
    kernels = server.children(recursive=True)
    mb = 1024 * 1024
    info = {"serveur_rss": server.memory_info().rss / mb, "serveur_uss": server.memory_full_info().uss / mb,
            "noyaux_rss": sum(k.memory_info().rss for k in kernels) / mb,
            "noyaux_uss": sum(k.memory_full_info().uss for k in kernels) / mb, "noyaux": len(kernels),
            "noyaux_cpu_s": sum(sum(k.cpu_times()[:2]) for k in kernels)}
    return {k: round(v, 1) for k, v in info.items()}


@contextlib.contextmanager
def _peak_rss(hub: Hub, name: str):
    """Pic (Mo) de la somme des RSS des descendants du serveur de ``name`` (son noyau, la correction et les
    noyaux qu'elle lance), relevé toutes les 0,2 s."""
    result = {"Mo": 0.0}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            total = 0
            for server in _tree(hub.proc.pid):
                with contextlib.suppress(psutil.Error):
                    if ("jupyterhub-singleuser" in " ".join(server.cmdline())
                            and server.environ().get("JUPYTERHUB_USER") == name):
                        for child in server.children(recursive=True):  # noyau et ce qu'il lance
                            with contextlib.suppress(psutil.Error):
                                total += child.memory_info().rss
            result["Mo"] = max(result["Mo"], round(total / 1024 / 1024, 1))
            hub.record()
            done.wait(0.2)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield result
    finally:
        done.set()
        thread.join(10)


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    root = tmp_path_factory.mktemp("hub")
    exchange = root / "exchange"
    exchange.mkdir()
    exchange.chmod(0o1777)  # comme /srv/nbgrader/exchange : écriture pour tous, sticky bit
    started = time.monotonic()
    hub = Hub(root)
    try:
        hub.wait_ready()
        hub.started = started
        yield hub
    finally:
        hub.stop()
        leftovers = [pid for pid in hub.pids if psutil.pid_exists(pid)
                     and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE]
        assert not leftovers, f"processus encore vivants après l'arrêt : {leftovers}"


def test_class_on_jupyterhub(hub, tmp_path):
    measures: dict[str, object] = {}
    # --- le formateur, sur son serveur du hub : dépose la version élève et la solution, publie ----------
    trainer = Student(hub, TRAINER, password=ADMIN_PASSWORD)
    trainer.start()
    for folder in ("grc", "grc/release", f"grc/release/{ASSIGNMENT}", "grc/solutions"):
        trainer.api("PUT", f"api/contents/{folder}", json={"type": "directory"})
    uploads = ((REPO / "exercises", f"grc/release/{ASSIGNMENT}"), (REPO / "solutions", "grc/solutions"))
    for source, target in uploads:
        nb = json.loads((source / f"{ASSIGNMENT}.ipynb").read_text(encoding="utf-8"))
        trainer.put_notebook(f"{target}/{ASSIGNMENT}.ipynb", nb)
    trainer.shell("grc", [["nbgrader", "release_assignment", ASSIGNMENT, "--course", COURSE]])
    assert (hub.root / "exchange" / COURSE / "outbound" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()

    # --- deux élèves : connexion, serveur, cours, chapitre 00, devoir, rendu ---------------------------
    answers = {"alice": ["ex1_reponse"], "bob": ["ex1_reponse", "ex2_reponse"]}
    users = {name: Student(hub, name) for name in STUDENTS}
    for name, student in users.items():
        t0 = time.monotonic()
        student.start()
        measures[f"demarrage_{name}_s"] = round(time.monotonic() - t0, 1)
        # le cours est dans son dossier, sans solutions
        assert set(student.listing("cours-grc")) >= {"chapters", "exercises", "LISEZ-MOI.md", "datasets"}
        assert "00_prise_en_main.ipynb" in student.listing("cours-grc/exercises")
        assert "solutions" not in student.listing("cours-grc") and "solutions" not in student.listing()
        workbook = student.get_notebook(f"cours-grc/exercises/{ASSIGNMENT}.ipynb")
        assert "BEGIN SOLUTION" not in json.dumps(workbook)

        # chapitre 00 exécuté dans un noyau du serveur, sans erreur
        t0 = time.monotonic()
        chapter, replies = student.run_notebook("cours-grc/chapters/00_prise_en_main.ipynb")
        measures[f"chapitre_00_{name}_s"] = round(time.monotonic() - t0, 1)
        errors = {k: r.get("ename") for k, r in replies.items() if r["status"] != "ok"}
        assert not errors, f"chapitre 00 de {name} : erreurs {errors}"

        # le devoir vient de l'échange (extension nbgrader du serveur), l'élève répond et rend
        listed = student.nbgrader("fetch")
        assert listed["success"], listed
        path = f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
        nb = student.get_notebook(path)
        _answer(nb, answers[name])
        student.put_notebook(path, nb)
        nb, replies = student.run_notebook(path)
        assert replies["ex1"]["status"] == "ok", replies["ex1"]
        assert "Juste — exercice 1 : 2 / 2 points" in _text(replies["ex1"]["outputs"])
        if name == "alice":
            assert replies["ex2"]["status"] == "error"  # pas répondu : la vérification le dit
        submitted = student.nbgrader("submit")
        assert submitted["success"], submitted

    # mémoire d'un élève : son serveur + un noyau de chapitre en marche
    alice = users["alice"]
    t0 = time.monotonic()
    alice.run_notebook("cours-grc/chapters/06_rfm.ipynb", keep=True)
    measures["chapitre_05_alice_s"] = round(time.monotonic() - t0, 1)
    hub.record()
    measures["memoire_eleve_Mo"] = _server_memory(hub, "alice")
    measures["memoire_hub_et_proxy_Mo"] = round(sum(
        p.memory_info().rss for p in _tree(hub.proc.pid)
        if "jupyterhub-singleuser" not in " ".join(p.cmdline()) and "ipykernel" not in " ".join(p.cmdline())
        and not any("jupyterhub-singleuser" in " ".join(a.cmdline()) for a in p.parents())
    ) / 1024 / 1024, 1)
    alice.api("DELETE", f"api/sessions/{alice.session}")

    # --- le formateur ramasse (nbgrader collect) puis corrige (coursehelpers corriger), sur son serveur --
    t0 = time.monotonic()
    with _peak_rss(hub, TRAINER) as peak:
        trainer.shell("grc", [
            ["nbgrader", "collect", ASSIGNMENT, "--course", COURSE],
            ["coursehelpers", "corriger", "--assignment", f"solutions/{ASSIGNMENT}.ipynb",
             f"submitted/*/{ASSIGNMENT}/{ASSIGNMENT}.ipynb", "--out", f"notes/{ASSIGNMENT}.csv",
             "--jobs", "2", "--quiet", "--timeout", "120"],
        ])
    measures["correction_s"] = round(time.monotonic() - t0, 1)
    measures["correction_pic_rss_Mo"] = peak["Mo"]
    assert peak["Mo"] > 100  # noyau du formateur + correction relevés
    assert sorted(trainer.listing("grc/submitted")) == sorted(STUDENTS)
    text = trainer.api("GET", f"api/contents/grc/notes/{ASSIGNMENT}.csv", params={"format": "text"}).json()
    rows = {row["eleve"]: row for row in csv.DictReader(io.StringIO(text["content"].lstrip("\ufeff")),
                                                       delimiter=";")}
    assert set(rows) == set(STUDENTS), rows
    assert rows["alice"]["ex1"] == "2" and rows["alice"]["ex2"] == "0", rows["alice"]
    assert rows["bob"]["ex1"] == "2" and rows["bob"]["ex2"] == "1", rows["bob"]

    # --- mise à jour du cours : un deuxième démarrage n'écrase pas le travail de l'élève ---------------
    home = hub.root / "home" / "alice" / "cours-grc"
    manifest_file = home / ".coursehelpers" / "manifeste.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    worked = "chapters/00_prise_en_main.ipynb"
    untouched = "chapters/02_relation_client.ipynb"
    chapter = alice.get_notebook(f"cours-grc/{worked}")  # alice prend des notes dans le chapitre
    chapter["cells"].append({"cell_type": "markdown", "metadata": {}, "source": "Mes notes : RFM = récence…"})
    alice.put_notebook(f"cours-grc/{worked}", chapter)
    assert manifest["fichiers"][worked] != hashlib.sha256((home / worked).read_bytes()).hexdigest()
    # ce que le formateur fait en mettant à jour le paquet du cours : l'élève avait une version plus
    # ancienne de ces deux fichiers (le manifeste retient ce qui avait été installé)
    old = (home / untouched).read_bytes().replace(b"Relation", b"Relation (ancienne version)", 1)
    assert old != (home / untouched).read_bytes()
    (home / untouched).write_bytes(old)
    manifest["fichiers"][untouched] = hashlib.sha256(old).hexdigest()
    manifest["fichiers"][worked] = hashlib.sha256(b"ancienne version du chapitre 00").hexdigest()
    manifest_file.write_text(json.dumps(manifest), encoding="utf-8")
    before = alice.get_notebook(f"cours-grc/{worked}")
    t0 = time.monotonic()
    alice.stop_server()
    alice.start()
    measures["redemarrage_alice_s"] = round(time.monotonic() - t0, 1)
    after = alice.get_notebook(f"cours-grc/{worked}")
    assert after == before, "le chapitre travaillé par l'élève a été remplacé"
    assert after["cells"][-1]["source"] == "Mes notes : RFM = récence…"
    assert "00_prise_en_main.mise-a-jour.ipynb" in alice.listing("cours-grc/chapters")
    assert (home / untouched).read_bytes() == (REPO / untouched).read_bytes()  # mis à jour
    assert (home.parent / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()  # devoir récupéré intact

    measures["duree_totale_s"] = round(time.monotonic() - hub.started, 1)
    print("\nMESURES HUB", json.dumps(measures, ensure_ascii=False))
    target = os.environ.get("COURS_GRC_MESURES")
    if target:
        Path(target).write_text(json.dumps(measures, indent=1, ensure_ascii=False), encoding="utf-8")


def test_production_config_loads(tmp_path):
    """La variante production se charge (authentificateur et lanceur importables, traits valides)."""
    script = (
        "import sys; from traitlets.config import Config, PyFileConfigLoader\n"
        "from jupyterhub.app import JupyterHub\n"
        f"loader = PyFileConfigLoader('jupyterhub_config.py', path={str(DEPLOY)!r})\n"
        "cfg = loader.load_config()\n"
        "app = JupyterHub(config=cfg)\n"
        "print(app.authenticator_class.__name__, app.spawner_class.__name__)\n"
        "from jupyterhub.user import User\n"
        "auth = app.authenticator_class(config=cfg)\n"
        "print(sorted(auth.allowed_users), auth.admin_users)\n"
        "from unittest import mock\n"
        "user = mock.Mock(); user.name = 'alice'; user.id = 1\n"
        "sp = app.spawner_class(config=cfg, user=user)\n"
        "print(sp.mem_limit, sp.cpu_limit, sp.username_template, sp.cmd[-1])\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("COURS_GRC_")}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                         timeout=TIMEOUT, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    first, second, third = out.stdout.splitlines()[-3:]
    assert first == "FirstUseAuthenticator SystemdSpawner"
    assert "formateur" in second
    assert third.split()[:3] == [str(1024**3), "1.0", "{USERNAME}"]
    assert third.endswith("cours_grc_singleuser.py")
