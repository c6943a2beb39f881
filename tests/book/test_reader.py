"""Reader-facing details of the built book: opaque figures (legible in dark mode), the shared TeX macros,
and the live-code button that loads thebe from the book itself."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.book
ROOT = Path(__file__).resolve().parents[2]
FRAME = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]+)")


def _opaque(png: bytes) -> bool:
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    if "A" not in image.getbands():
        return image.mode != "P" or "transparency" not in image.info
    return image.getchannel("A").getextrema()[0] == 255


def test_figures_are_opaque(html_dir):
    images = sorted((html_dir / "_images").glob("*.png"))
    assert images, "no figures in the built book"
    transparent = [p.name for p in images if not _opaque(p.read_bytes())]
    for page in sorted(html_dir.glob("book/*.html")):
        first = FRAME.search(page.read_text())
        if first and not _opaque(base64.b64decode(first.group(1))):
            transparent.append(f"{page.name} (inline frame)")
    assert not transparent, f"figures with a transparent background (unreadable in dark mode): {transparent}"


def test_tex_macros_are_configured(html_dir):
    macros = yaml.safe_load((ROOT / "_config.yml").read_text())["sphinx"]["config"]["mathjax3_config"]["tex"]["macros"]
    html = (html_dir / "book" / "frustration.html").read_text()
    config = re.search(r"window.MathJax = (\{.*?\})</script>", html)
    assert config, "no MathJax configuration in the page"
    assert {"E", "sgn"} <= set(macros)
    for name in macros:
        assert f'"{name}":' in config.group(1)


def test_live_button_loads_thebe_locally(html_dir):
    html = (html_dir / "book" / "frustration.html").read_text()
    assert "btn-spinlab-live" in html and "spinlab-live.js" in html
    assert 'const THEBE_JS_URL = "../_static/vendor/thebe/index.js"' in html
    assert "unpkg.com" not in html and "sphinx-thebe.js" not in html
    assert (html_dir / "_static" / "vendor" / "thebe" / "index.js").exists()
