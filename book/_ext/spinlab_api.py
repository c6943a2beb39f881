"""API reference support (loaded by ``spinlab_book``): spinlab docstrings are read as plain text.

The pages under ``book/api`` document the package with ``sphinx.ext.autodoc`` and ``napoleon`` (numpy-style
sections). In spinlab docstrings a pair of bars is an absolute value or a norm (``|m_i| <= 1``), never a reST
substitution reference, so bars outside literals, doctests and literal blocks are escaped before parsing.
"""

from __future__ import annotations

import re

# inline literals and roles with content (``x``, :math:`x`, `x`): left as they are
_PROTECTED = re.compile(r"(``.+?``|:[\w:.-]+:`[^`]*`|`[^`]*`)")


def _escape_bars(text: str) -> str:
    parts = _PROTECTED.split(text)
    return "".join(part if i % 2 else part.replace("|", "\\|") for i, part in enumerate(parts))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def escape_docstring_bars(lines: list[str]) -> list[str]:
    """Escape ``|`` in prose lines; doctest lines and literal blocks (after ``::``) are kept verbatim."""
    out: list[str] = []
    literal_indent = None  # indentation of the paragraph that opened a literal block
    for line in lines:
        stripped = line.strip()
        if literal_indent is not None:
            if not stripped or _indent(line) > literal_indent:
                out.append(line)
                continue
            literal_indent = None
        if stripped.startswith((">>>", "...")):
            out.append(line)
            continue
        out.append(_escape_bars(line))
        if stripped.endswith("::"):
            literal_indent = _indent(line)
    return out


def _process_docstring(app, what, name, obj, options, lines) -> None:
    if name.startswith("spinlab"):
        lines[:] = escape_docstring_bars(lines)


def setup(app):
    app.setup_extension("sphinx.ext.autodoc")
    app.connect("autodoc-process-docstring", _process_docstring, priority=900)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
