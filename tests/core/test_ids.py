"""Tests de coursehelpers._core.ids : numérotation des identifiants (factorize_ids)."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coursehelpers._core.ids import factorize_ids


def _no_hashing(*args, **kwargs):
    raise AssertionError("table de hachage (pd.factorize) appelée")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet="AZaz09-_ é", min_size=0, max_size=20), min_size=1,
                max_size=40))
def test_factorize_ids_matches_sorted_labels(ids):
    series = pd.Series(pd.array(ids, dtype="str"))
    codes, labels = factorize_ids(series)
    assert labels.tolist() == sorted(set(ids))
    assert labels.to_numpy()[codes].tolist() == ids


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["python", "pyarrow"]),
       st.one_of(
           # longueur fixe, préfixe commun : le cas des vrais identifiants (« CL0012345 »)
           st.integers(1, 12).flatmap(lambda width: st.lists(
               st.text(alphabet="0123456789", min_size=width, max_size=width).map(lambda t: "CL" + t),
               min_size=1, max_size=60)),
           # longueurs différentes, octet nul, caractères hors ASCII, textes longs
           st.lists(st.text(alphabet="AB09\x00é€ ", min_size=0, max_size=40), min_size=1, max_size=60)))
def test_factorize_ids_fast_paths_keep_python_order(storage, ids):
    """Codes triés par les octets UTF-8 (sans hachage) : même ordre que sorted() de Python,
    « A » distinct de « A\\0 », stockage pyarrow ou objets Python."""
    pytest.importorskip("pyarrow")
    series = pd.Series(pd.array(ids, dtype=pd.StringDtype(storage, na_value=np.nan)))
    codes, labels = factorize_ids(series)
    assert labels.tolist() == sorted(set(ids))
    assert labels.to_numpy()[codes].tolist() == ids
    assert labels.dtype == series.dtype


@pytest.mark.parametrize("storage", ["python", "pyarrow", "python sans pyarrow"])
def test_factorize_ids_byte_path_without_hashing(storage, monkeypatch):
    """Identifiants de longueur fixe ou non : voie rapide par les octets, sans table de hachage
    (pd.factorize n'est pas appelé) ; un octet nul la fait quitter (sinon « A » et « A\\0 »
    seraient confondus) ; hors ASCII, l'ordre reste celui de sorted()."""
    pytest.importorskip("pyarrow")
    if storage == "python sans pyarrow":
        storage = "python"
        monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow -> ImportError
    dtype = pd.StringDtype(storage, na_value=np.nan)
    fixed = pd.Series(pd.array(["CL0012345", "CL0000042", "CL0012345"], dtype=dtype))
    varied = pd.Series(pd.array(["42", "7", "1234", "42"], dtype=dtype))
    nul = pd.Series(pd.array(["A", "A\x00", "A"], dtype=dtype))
    accents = pd.Series(pd.array(["é", "e", "f"], dtype=dtype))
    with monkeypatch.context() as patched:
        patched.setattr(pd, "factorize", _no_hashing)
        codes, labels = factorize_ids(fixed)
        assert codes.tolist() == [1, 0, 1] and labels.tolist() == ["CL0000042", "CL0012345"]
        codes, labels = factorize_ids(varied)
        assert codes.tolist() == [1, 2, 0, 1]  # ordre du texte : "1234" < "42" < "7"
        with pytest.raises(AssertionError, match="hachage"):
            factorize_ids(nul)  # octet nul : la voie rapide renonce
    codes, labels = factorize_ids(nul)
    assert labels.tolist() == ["A", "A\x00"] and codes.tolist() == [0, 1, 0]
    codes, labels = factorize_ids(accents)
    assert labels.tolist() == ["e", "f", "é"] and codes.tolist() == [2, 0, 1]
