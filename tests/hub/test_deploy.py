"""Fichiers de déploiement qu'on ne peut pas exécuter ici (pas de Docker ni de Kubernetes) : l'image
élève (Dockerfile) et les valeurs de Zero to JupyterHub sont lues et recoupées avec le reste du dépôt."""

from __future__ import annotations

import importlib.util
import json
import re
import shlex
import sys
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")

pytestmark = pytest.mark.hub

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy" / "jupyterhub"
INSTRUCTIONS = {"FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME",
                "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL"}
#: Clés de premier niveau du chart « jupyterhub » (values.schema.yaml de zero-to-jupyterhub-k8s).
Z2JH_TOP = {"enabled", "fullnameOverride", "nameOverride", "imagePullSecret", "imagePullSecrets", "hub",
            "proxy", "singleuser", "scheduling", "ingress", "prePuller", "custom", "cull", "debug", "rbac",
            "global"}


def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) du Dockerfile : lignes continuées par « \\ » jointes, commentaires ôtés."""
    steps, current = [], ""
    for raw in (DEPLOY / "Dockerfile").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        current += " " + line
        if current.endswith("\\"):
            current = current[:-1]
            continue
        word, _, rest = current.strip().partition(" ")
        steps.append((word, rest.strip()))
        current = ""
    assert not current, "Dockerfile : la dernière ligne se termine par « \\ »"
    return steps


def test_dockerfile_parses_and_copies_existing_files():
    steps = dockerfile()
    assert {word for word, _ in steps} <= INSTRUCTIONS, [w for w, _ in steps if w not in INSTRUCTIONS]
    words = [w for w, _ in steps if w != "ARG"]
    assert words[0] == "FROM"
    copies = {}
    for word, args in steps:
        if word == "COPY":
            *sources, dest = [a for a in shlex.split(args) if not a.startswith("--")]
            for src in sources:
                if src != "dist/":  # la roue, construite juste avant (python -m build --wheel)
                    assert (REPO / src).exists(), f"COPY {src} : fichier absent du dépôt"
            copies[dest] = sources
    cmd = json.loads(next(args for word, args in steps if word == "CMD"))
    assert cmd[-1] in copies, "CMD lance un fichier que l'image ne copie pas"
    assert copies[cmd[-1]] == ["deploy/jupyterhub/cours_grc_singleuser.py"]
    assert copies["/etc/jupyter/nbgrader_config.py"] == ["deploy/jupyterhub/jupyter/nbgrader_config.py"]
    # la roue du cours est installée, avec nbgrader et le serveur d'élève de JupyterHub
    run = " ".join(args for word, args in steps if word == "RUN")
    assert "coursehelpers-*.whl" in run and "nbgrader" in run and "jupyterhub" in run


def test_dockerfile_disables_only_existing_nbgrader_parts():
    """Les greffons du formateur désactivés pour les élèves existent bien dans nbgrader installé."""
    spec = importlib.util.find_spec("nbgrader")
    if spec is None:
        pytest.skip("nbgrader absent (pip install -e '.[hub]')")
    run = " ".join(args for word, args in dockerfile() if word == "RUN")
    plugins = re.findall(r"labextension disable --level=sys_prefix (\S+)", run)
    servers = re.findall(r"server extension disable --sys-prefix (\S+)", run)
    assert plugins and servers
    lab = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "@jupyter" / "nbgrader" / "static"
    bundle = "".join(p.read_text(encoding="utf-8", errors="replace") for p in lab.glob("*.js"))
    for plugin in plugins:
        assert f'"{plugin}"' in bundle, f"greffon inconnu de nbgrader : {plugin}"
    assert "@jupyter/nbgrader:assignment-list" not in plugins  # les élèves gardent « Devoirs »
    for module in servers:
        assert importlib.util.find_spec(module) is not None, module


def test_z2jh_values_match_the_image_and_the_class_server():
    values = yaml.safe_load((DEPLOY / "values.yaml").read_text(encoding="utf-8"))
    assert set(values) <= Z2JH_TOP, set(values) - Z2JH_TOP
    single = values["singleuser"]
    image_cmd = json.loads(next(args for word, args in dockerfile() if word == "CMD"))
    assert single["cmd"] == image_cmd
    config = (DEPLOY / "jupyterhub_config.py").read_text(encoding="utf-8")
    default_url = re.search(r'c\.Spawner\.default_url = "([^"]+)"', config).group(1)
    assert single["defaultUrl"] == default_url
    mounts = {m["mountPath"] for m in single["storage"]["extraVolumeMounts"]}
    assert "/srv/nbgrader/exchange" in mounts  # échange nbgrader partagé
    assert re.fullmatch(r"\d+[MG]", single["memory"]["limit"])
    auth = values["hub"]["config"]
    assert auth["JupyterHub"]["authenticator_class"] == "firstuseauthenticator.FirstUseAuthenticator"
    assert "formateur" in auth["Authenticator"]["admin_users"]


def test_dockerfile_jupyter_commands_run(tmp_path):
    """Les commandes « jupyter … disable » de l'image s'exécutent ; essayées au niveau utilisateur dans
    un dossier de configuration temporaire (l'installation n'est pas touchée)."""
    import os
    import subprocess

    if importlib.util.find_spec("nbgrader") is None:
        pytest.skip("nbgrader absent (pip install -e '.[hub]')")
    run = " ".join(args for word, args in dockerfile() if word == "RUN")
    commands = [c.strip() for c in run.split("&&") if c.strip().startswith("jupyter ")]
    assert len(commands) == 5
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path)}
    # comme dans l'image : la déclaration des extensions serveur posée par « pip install nbgrader » (sans
    # elle, « server extension disable » refuse… avec un code de sortie 0)
    declared = Path(sys.prefix) / "etc" / "jupyter" / "jupyter_server_config.d" / "nbgrader.json"
    (tmp_path / "jupyter_server_config.d").mkdir()
    (tmp_path / "jupyter_server_config.d" / "nbgrader.json").write_bytes(declared.read_bytes())
    jupyter = str(Path(sys.executable).with_name("jupyter"))
    for command in commands:
        argv = shlex.split(command.replace("--level=sys_prefix", "--level=user").replace("--sys-prefix",
                                                                                           "--user"))
        out = subprocess.run([jupyter, *argv[1:]], env=env, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0 and "failed" not in out.stderr, f"{command} : {out.stderr}"
    page = json.loads((tmp_path / "labconfig" / "page_config.json").read_text(encoding="utf-8"))
    assert set(page["disabledExtensions"]) >= {"@jupyter/nbgrader:formgrader",
                                               "@jupyter/nbgrader:create-assignment"}
    server = {}
    for file in sorted((tmp_path / "jupyter_server_config.d").glob("*.json")):
        server.update(json.loads(file.read_text(encoding="utf-8"))["ServerApp"]["jpserver_extensions"])
    assert server["nbgrader.server_extensions.formgrader"] is False
    assert server["nbgrader.server_extensions.course_list"] is False
    assert server["nbgrader.server_extensions.assignment_list"] is True  # « Devoirs » reste
