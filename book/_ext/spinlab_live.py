"""Live code for the spinlab book (loaded by ``spinlab_book``).

Every chapter with code cells gets a "Live code" button in its header. Pressed, it loads thebe from the
book's own ``_static/vendor/thebe`` (npm, copied by the Makefile), reads ``_static/live-config.json``
(the address and token of the local Jupyter server that ``make live`` starts and writes there; see
``book/_ext/live.py``) and runs the page's code cells in a kernel of that server (``book/_static/spinlab-live.js``).

sphinx-thebe supplies the per-page thebe configuration (kernel name and the kernel's working directory) and
the cell selectors (``thebe_config`` in ``_config.yml``). Its loader script would fetch thebe 0.8 from a CDN
and start Binder; the book does not load it, and the CDN address in its inline settings is replaced by the
local copy, so a page names no remote script.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.builders.html._assets import _JavaScript

THEBE_LOCAL = "_static/vendor/thebe/index.js"
THEBE_LOADER = "sphinx-thebe.js"
SCRIPT = "spinlab-live.js"
STYLE = "spinlab-live.css"


def _has_code_cells(doctree) -> bool:
    return any(
        isinstance(node, nodes.container) and node.get("nb_element") == "cell_code" for node in doctree.findall()
    )


def _local_thebe(app, pagename, templatename, context, doctree) -> None:
    """Replace sphinx-thebe's CDN address by the local copy and drop its Binder loader script."""
    files = context.get("script_files")
    if not files:
        return
    local = context["pathto"](THEBE_LOCAL, 1)
    kept = []
    for item in files:
        body = item.attributes.get("body", "")
        if str(item.filename or "").rsplit("/", 1)[-1] == THEBE_LOADER:
            continue
        if "THEBE_JS_URL" in body:
            start = body.index('"', body.index("THEBE_JS_URL")) + 1
            end = body.index('"', start)
            attributes = dict(item.attributes, body=body[:start] + local + body[end:])
            item = _JavaScript(item.filename, priority=item.priority, **attributes)
        kept.append(item)
    files[:] = kept


def _live_button(app, pagename, templatename, context, doctree) -> None:
    if doctree is None or "header_buttons" not in context or not _has_code_cells(doctree):
        return
    context["header_buttons"].append(
        {
            "type": "javascript",
            "javascript": "spinlabLive()",
            "tooltip": "Run the code cells on a local Jupyter server (start it with make live)",
            "icon": "fas fa-play",
            "label": "spinlab-live",
        }
    )


def setup(app):
    app.add_js_file(SCRIPT, defer="defer")
    app.add_css_file(STYLE)
    app.connect("html-page-context", _local_thebe, priority=800)
    app.connect("html-page-context", _live_button, priority=502)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
