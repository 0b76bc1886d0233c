"""L'architecture du paquet, vérifiée sur le code source (analyse ``ast``, sans rien importer).

Chaque module de ``src/coursehelpers`` est lu avec :mod:`ast` ; toutes ses importations sont
relevées, **y compris celles écrites dans une fonction** (seules celles d'un bloc
``if TYPE_CHECKING:`` sont ignorées : elles ne s'exécutent jamais). On vérifie :

1. aucun cycle d'importation entre modules de ``coursehelpers`` ;
2. aucun nom privé (``_x``) importé d'un autre module (``from coursehelpers.rfm import _x``,
   ou ``rfm._x`` après ``from coursehelpers import rfm``) : ce que deux modules partagent est
   un nom public d'un module privé (``from coursehelpers._core.dates import parse_day_first``) ;
3. un module privé d'un paquet public (``coursehelpers.kpis._rates``) n'est importé que depuis
   ce paquet ; les paquets privés partagés (``_core``, ``_generator``) le sont par tous ;
4. les couches pointent vers le bas : les modules de concepts (tout sauf ``plots``,
   ``widgets``, ``grading``, la ligne de commande et ses outils) n'importent ni matplotlib, ni
   ipywidgets, ni IPython, ni ``plots``, ni ``widgets``, même indirectement ; ``plots``
   n'importe pas ``widgets`` ; un module privé de ``widgets`` ne définit que des classes
   d'explorateurs (et une fabrique ``make_...``) : calculs dans les concepts, figures dans ``plots``.

Le script se lance aussi seul sur une autre copie du code (mesure avant / après) :
``python tests/meta/test_architecture.py chemin/vers/src``.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = "coursehelpers"
SRC = Path(__file__).resolve().parents[2] / "src"

#: Hors des modules de concepts : l'interface (figures, explorateurs, quiz), la ligne de commande
#: et ses outils (espace de travail, JupyterLab, site, polycopiés, mode présentateur).
NOT_CONCEPT = ("coursehelpers.plots", "coursehelpers.widgets", "coursehelpers.grading",
               "coursehelpers.cli", "coursehelpers.__main__", "coursehelpers.workspace",
               "coursehelpers._lab", "coursehelpers.publishing")
#: Bibliothèques d'interface qu'un module de concept n'importe jamais.
UI_LIBRARIES = ("matplotlib", "ipywidgets", "IPython", "PIL")
#: Paquets privés partagés par tout le paquet (leurs noms publics s'importent de partout).
SHARED_PRIVATE = ("coursehelpers._core", "coursehelpers._generator")

#: Violations connues, laissées à d'autres tickets (chaque entrée nomme son ticket). Toute
#: violation qui n'est pas dans cette liste fait échouer le test ; une entrée devenue inutile aussi.
KNOWN_VIOLATIONS: frozenset[str] = frozenset({
})


@dataclass
class Module:
    name: str
    path: Path
    is_package: bool
    imports: set[str] = field(default_factory=set)          # modules coursehelpers importés
    external: set[str] = field(default_factory=set)         # premiers noms des autres importations
    private_names: list[str] = field(default_factory=list)  # « module._nom » importés d'ailleurs
    functions: list[str] = field(default_factory=list)      # fonctions publiques de premier niveau


def _module_name(path: Path, src: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(src).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    return ".".join(parts), is_package


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _walk(node: ast.AST):
    """Tous les nœuds, sauf le contenu des blocs ``if TYPE_CHECKING:``."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child):
            for other in child.orelse:
                yield other
                yield from _walk(other)
            continue
        yield child
        yield from _walk(child)


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def load_modules(src: Path = SRC) -> dict[str, Module]:
    """Lit chaque module du paquet et relève ses importations."""
    files = sorted((src / PACKAGE).rglob("*.py"))
    modules = {}
    for path in files:
        name, is_package = _module_name(path, src)
        modules[name] = Module(name, path, is_package)
    for module in modules.values():
        tree = ast.parse(module.path.read_text(encoding="utf-8"), filename=str(module.path))
        package = module.name if module.is_package else module.name.rpartition(".")[0]
        aliases: dict[str, str] = {}  # nom local → module coursehelpers
        module.functions = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)
                            and not n.name.startswith("_")]
        nodes = list(_walk(tree))
        for node in nodes:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name == PACKAGE or alias.name.startswith(PACKAGE + "."):
                        target = _closest(alias.name, modules)
                        module.imports.add(target)
                        if alias.asname:
                            aliases[alias.asname] = target
                    else:
                        module.external.add(alias.name.split(".")[0])
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - node.level + 1]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                if not (source == PACKAGE or source.startswith(PACKAGE + ".")):
                    module.external.add(source.split(".")[0])
                    continue
                for alias in node.names:
                    full = f"{source}.{alias.name}"
                    if full in modules:  # from coursehelpers.kpis import _rates : un module
                        module.imports.add(full)
                        aliases[alias.asname or alias.name] = full
                        continue
                    target = _closest(source, modules)
                    module.imports.add(target)
                    if _is_private(alias.name) and target != module.name:
                        module.private_names.append(f"{target}.{alias.name}")
        for node in nodes:  # rfm._x après « from coursehelpers import rfm »
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in aliases and _is_private(node.attr)
                    and f"{aliases[node.value.id]}.{node.attr}" not in modules):
                module.private_names.append(f"{aliases[node.value.id]}.{node.attr}")
        module.imports.discard(module.name)
    return modules


def _closest(name: str, modules: dict[str, Module]) -> str:
    """Le module existant le plus long qui préfixe ``name`` (un nom importé n'est pas un module)."""
    while name not in modules and "." in name:
        name = name.rpartition(".")[0]
    return name


def import_cycles(modules: dict[str, Module]) -> list[list[str]]:
    """Composantes fortement connexes de plus d'un module (algorithme de Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(modules[v].imports):
            if w not in modules:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for v in sorted(modules):
        if v not in index:
            visit(v)
    return sorted(cycles)


def private_imports(modules: dict[str, Module]) -> list[str]:
    """« importeur ← module._nom » pour chaque nom privé importé d'un autre module."""
    return sorted(f"{m.name} ← {name}" for m in modules.values() for name in m.private_names)


def _owner_package(name: str) -> str | None:
    """Pour ``coursehelpers.kpis._rates`` : ``coursehelpers.kpis`` (paquet public propriétaire)."""
    parts = name.split(".")
    for i in range(1, len(parts)):
        if _is_private(parts[i]):
            owner = ".".join(parts[:i])
            return None if owner == PACKAGE else owner
    return None


def private_module_leaks(modules: dict[str, Module]) -> list[str]:
    """Module privé d'un paquet public importé depuis l'extérieur de ce paquet."""
    leaks = []
    for m in modules.values():
        for target in m.imports:
            owner = _owner_package(target)
            if owner and not (m.name == owner or m.name.startswith(owner + ".")):
                leaks.append(f"{m.name} → {target}")
    return sorted(leaks)


def _is_concept(name: str) -> bool:
    return not any(name == p or name.startswith(p + ".") for p in NOT_CONCEPT)


def _reachable(start: str, modules: dict[str, Module]) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        v = todo.pop()
        for w in modules[v].imports:
            if w in modules and w not in seen:
                seen.add(w)
                todo.append(w)
    return seen


def layer_violations(modules: dict[str, Module]) -> list[str]:
    """Module de concept qui atteint l'interface ; ``plots`` qui importe ``widgets``."""
    out = []
    for m in modules.values():
        if _is_concept(m.name):
            ui = sorted(m.external & set(UI_LIBRARIES))
            out += [f"{m.name} importe {lib}" for lib in ui]
            for target in sorted(_reachable(m.name, modules)):
                if not _is_concept(target) and target != PACKAGE:
                    out.append(f"{m.name} atteint {target}")
        if m.name.startswith("coursehelpers.widgets._") and m.name != "coursehelpers.widgets._base":
            out += [f"{m.name} définit la fonction {f} (calcul ou figure hors de kpis/plots)"
                    for f in m.functions if not f.startswith("make_")]
        if m.name == "coursehelpers.plots" or m.name.startswith("coursehelpers.plots."):
            out += [f"{m.name} importe {t}" for t in sorted(m.imports)
                    if t == "coursehelpers.widgets" or t.startswith("coursehelpers.widgets.")]
    return sorted(out)


def all_violations(modules: dict[str, Module]) -> list[str]:
    return ([f"cycle : {' ↔ '.join(c)}" for c in import_cycles(modules)]
            + [f"nom privé : {x}" for x in private_imports(modules)]
            + [f"module privé d'un autre paquet : {x}" for x in private_module_leaks(modules)]
            + [f"couche : {x}" for x in layer_violations(modules)])


# --------------------------------------------------------------------------- tests
def test_the_analysis_sees_every_module_and_function_level_imports() -> None:
    modules = load_modules()
    assert {"coursehelpers", "coursehelpers.rfm", "coursehelpers.kpis", "coursehelpers.plots",
            "coursehelpers.widgets", "coursehelpers.grading"} <= set(modules)
    assert "coursehelpers.crm_export._read" in modules and "coursehelpers.grading.autograde" in modules
    # une importation dans une fonction compte : datasets.load_clients() dans une fonction de cli
    assert "coursehelpers.datasets" in modules["coursehelpers.cli"].imports


def test_type_checking_block_names_every_lazy_submodule() -> None:
    """La liste pour les éditeurs (bloc ``TYPE_CHECKING`` de ``__init__``) = les sous-modules paresseux."""
    tree = ast.parse((SRC / PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    lazy: set[str] = set()
    typed: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "_SUBMODULES" for t in node.targets):
            lazy = {c.value for c in ast.walk(node.value) if isinstance(c, ast.Constant)}
        if isinstance(node, ast.If) and _is_type_checking(node):
            typed = {a.name for n in ast.walk(node) if isinstance(n, ast.ImportFrom) for a in n.names}
    assert lazy and typed == lazy, sorted(lazy ^ typed)


def test_the_analysis_detects_what_it_forbids(tmp_path: Path) -> None:
    """Un faux paquet avec un cycle (dans une fonction), un nom privé et une couche qui fuit."""
    pkg = tmp_path / PACKAGE
    (pkg / "plots").mkdir(parents=True)
    (pkg / "kpis").mkdir()
    (pkg / "widgets").mkdir()
    files = {
        "__init__.py": "",
        "a.py": "from coursehelpers.b import public\n",
        "b.py": "def f():\n    from coursehelpers import a\n    from coursehelpers.c import _secret\n",
        "c.py": "import matplotlib.pyplot as plt\nfrom coursehelpers import rfm\nrfm._hidden()\n",
        "rfm.py": "from coursehelpers.kpis._rates import rate\n",
        "kpis/__init__.py": "from coursehelpers.kpis._rates import rate\n",
        "kpis/_rates.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                          "    from coursehelpers import kpis\n",
        "plots/__init__.py": "from coursehelpers.d import x\n",
        "d.py": "from coursehelpers import plots\n",
        "widgets/__init__.py": "",
        "widgets/_x.py": "class XExplorer:\n    pass\n\n\ndef make_x():\n    pass\n\n\n"
                         "def share():\n    pass\n",
    }
    for name, text in files.items():
        (pkg / name).write_text(text, encoding="utf-8")
    modules = load_modules(tmp_path)
    assert import_cycles(modules) == [["coursehelpers.a", "coursehelpers.b"],
                                      ["coursehelpers.d", "coursehelpers.plots"]]
    assert private_imports(modules) == ["coursehelpers.b ← coursehelpers.c._secret",
                                        "coursehelpers.c ← coursehelpers.rfm._hidden"]
    assert private_module_leaks(modules) == ["coursehelpers.rfm → coursehelpers.kpis._rates"]
    assert "coursehelpers.c importe matplotlib" in layer_violations(modules)
    assert "coursehelpers.d atteint coursehelpers.plots" in layer_violations(modules)
    assert [x for x in layer_violations(modules) if "widgets._x" in x] == [
        "coursehelpers.widgets._x définit la fonction share (calcul ou figure hors de kpis/plots)"]


def test_architecture() -> None:
    found = set(all_violations(load_modules()))
    new = sorted(found - KNOWN_VIOLATIONS)
    fixed = sorted(KNOWN_VIOLATIONS - found)
    assert not new, "architecture : " + " ; ".join(new)
    assert not fixed, "violations corrigées : retirez-les de KNOWN_VIOLATIONS : " + " ; ".join(fixed)


def report(src: Path = SRC) -> str:
    modules = load_modules(src)
    cycles, private = import_cycles(modules), private_imports(modules)
    lines = [f"modules : {len(modules)}", f"cycles : {len(cycles)}"]
    lines += [f"  {' ↔ '.join(c)}" for c in cycles]
    lines += [f"noms privés importés d'un autre module : {len(private)}"]
    lines += [f"  {x}" for x in private]
    for title, items in (("modules privés d'un autre paquet", private_module_leaks(modules)),
                         ("couches", layer_violations(modules))):
        lines += [f"{title} : {len(items)}"] + [f"  {x}" for x in items]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(Path(sys.argv[1]) if len(sys.argv) > 1 else SRC))
