"""Every example in spinlab's docstrings runs and prints what it claims."""

import doctest
import importlib
import pkgutil

import pytest

import spinlab

MODULES = sorted(
    name for _, name, _ in pkgutil.walk_packages(spinlab.__path__, prefix="spinlab.") if "._kernels" not in name
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
