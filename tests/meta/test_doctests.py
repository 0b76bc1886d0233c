"""Les exemples des docstrings (affichés aux élèves par help() ou Maj+Tab) sont exacts."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import coursehelpers

MODULES = sorted(m.name for m in pkgutil.walk_packages(coursehelpers.__path__, "coursehelpers.")
                 if not m.name.endswith("__main__"))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert result.failed == 0, f"{name} : {result.failed} exemple(s) faux (voir la sortie ci-dessus)"
