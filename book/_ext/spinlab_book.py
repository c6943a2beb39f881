"""Local Sphinx extension for the spinlab book.

* Removes duplicate script/CSS registrations (sphinx-thebe registers its inline script
  twice, which raises "already been declared" in the browser console).
* Loads ``spinlab_course``: per-chapter notebook downloads, the spinlab version line, and the
  student edition (``spinlab_student_edition: true`` removes every solution).
* Loads ``spinlab_api``: docstring clean-up for the API reference (book/api).
* Loads ``spinlab_live``: the "Live code" button that runs a chapter on the local Jupyter server of
  ``make live``.
"""

from __future__ import annotations


def _dedupe_assets(app, pagename, templatename, context, doctree) -> None:
    for key in ("script_files", "css_files"):
        files = context.get(key)
        if not files:
            continue
        seen = set()
        unique = []
        for item in files:
            attributes = getattr(item, "attributes", {})
            marker = (getattr(item, "filename", None) or "", tuple(sorted((k, str(v)) for k, v in attributes.items())))
            if marker in seen:
                continue
            seen.add(marker)
            unique.append(item)
        files[:] = unique


def setup(app):
    app.setup_extension("spinlab_course")
    app.setup_extension("spinlab_live")
    app.setup_extension("spinlab_api")
    app.connect("html-page-context", _dedupe_assets, priority=900)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
