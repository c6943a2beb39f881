"""spinlab.widgets.explore: the static HTML block, the grid and its budget, extremes, errors, live mode, tier rule."""

import base64
import json
import re
import shutil
import time

import ipywidgets as widgets
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from spinlab import widgets as sw  # noqa: E402
from spinlab.widgets import ExploreError, explore, resolve_mode  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def no_leaked_figures(monkeypatch):
    monkeypatch.delenv("SPINLAB_WIDGETS", raising=False)
    plt.close("all")
    yield
    assert plt.get_fignums() == [], "explore left matplotlib figures open"


def noisy_curve(T, n, calls=None):
    """A seeded figure that depends on every slider."""
    if calls is not None:
        calls.append((T, n))
    rng = np.random.default_rng(1234)
    fig, ax = plt.subplots(figsize=(3, 2))
    x = np.linspace(0, 1, 50)
    ax.plot(x, np.tanh(x / T) + 0.01 * n * rng.standard_normal(50))
    ax.set_title(f"T={T:g}, n={n}")
    return fig


def frames_of(html):
    data = re.search(r'<script type="application/json" id="([^"]+)-data">(.*?)</script>', html, re.S)
    return data.group(1), json.loads(data.group(2).replace("<\\/", "</"))


def test_static_block_has_controls_script_and_one_frame_per_grid_point():
    ex = explore(noisy_curve, T=(0.5, 2.5, 0.5), n=(0, 4, 1), mode="static", budget_s=60)
    html = ex._repr_html_()
    assert html == ex.to_html()
    assert html.count('<div class="spinlab-explore"') == 1
    assert html.count('type="range"') == 2
    # inline script only: nothing is fetched
    assert "<script>" in html and 'src="http' not in html and "http" not in html
    assert "<script src" not in html and "<link" not in html
    uid, data = frames_of(html)
    assert uid == ex.uid
    assert ex.values == {"T": (0.5, 1.0, 1.5, 2.0, 2.5), "n": (0, 1, 2, 3, 4)}  # budget allows the full grid
    assert ex.frames == len(data["frames"]) == len(ex.images) == 25
    assert all(base64.b64decode(f).startswith(PNG) for f in data["frames"])
    assert len(set(data["frames"])) == 25  # every grid point is a different picture
    assert data["labels"] == [["0.5", "1", "1.5", "2", "2.5"], ["0", "1", "2", "3", "4"]]
    # the initial <img> is the default values' frame (midpoints), and equals a fresh render at those values
    assert ex.defaults == {"T": 1.5, "n": 2}
    initial = re.search(r'<img id="[^"]+-img"[^>]*src="data:image/png;base64,([^"]+)"', html).group(1)
    assert initial == ex.images[ex.frame_index(T=1.5, n=2)]
    fresh = sw._render(noisy_curve, {"T": 1.5, "n": 2}, dpi=90, allow_nan=False)
    assert base64.b64decode(initial) == fresh
    assert initial != ex.images[0]
    # the range inputs start at the default's index
    assert 'min="0" max="4" step="1" value="2"' in html
    assert ex.seconds > 0 and ex.seconds_per_frame > 0
    assert "25 precomputed frame(s) (5 x 5)" in html


def test_ids_are_unique_across_two_widgets():
    a = explore(noisy_curve, T=(0.5, 1.0, 0.5), n=(0, 1, 1), mode="static")
    b = explore(noisy_curve, T=(0.5, 1.0, 0.5), n=(0, 1, 1), mode="static")
    ids_a = set(re.findall(r'id="([^"]+)"', a.to_html()))
    ids_b = set(re.findall(r'id="([^"]+)"', b.to_html()))
    assert len(ids_a) == 1 + 2 * 2 + 2  # block, 2 controls + 2 outputs, img + data
    assert ids_a.isdisjoint(ids_b)
    assert a.uid in a.to_html() and a.uid not in b.to_html()


def slow_line(k):
    time.sleep(0.05)
    fig, ax = plt.subplots(figsize=(2, 1.5))
    ax.plot([0, 1], [0, k])
    return fig


def test_frame_count_respects_the_budget():
    small = explore(slow_line, k=(0, 100, 1), mode="static", budget_s=0.3)
    assert small.seconds_per_frame >= 0.05
    assert 2 <= small.frames <= max(3, 0.3 / small.seconds_per_frame)
    assert small.frames < 101
    big = explore(slow_line, k=(0, 100, 1), mode="static", budget_s=30, max_frames=12)
    assert small.frames < big.frames <= 12
    assert big.frames == len(big.values["k"])
    # over budget, a slider still keeps its extremes and its default
    tiny = explore(slow_line, k=(0, 100, 1), mode="static", budget_s=0.001)
    assert tiny.values == {"k": (0, 50, 100)}
    assert tiny.frames == 3


def test_extremes_are_always_in_the_grid():
    calls = []
    ex = explore(
        lambda T, n, kind: noisy_curve(T, n if kind == "a" else n + 1, calls),
        T=(0.5, 3.0, 0.7),  # 3.0 is not on the step lattice: it is still an option
        n=(0, 40, 1),
        kind=["a", "b", "c"],
        mode="static",
        max_frames=40,
    )
    assert ex.values["T"][0] == 0.5 and ex.values["T"][-1] == 3.0
    assert ex.values["n"][0] == 0 and ex.values["n"][-1] == 40
    assert ex.values["kind"] == ("a", "b", "c")  # a dropdown keeps every choice
    assert ex.frames == len(ex.values["T"]) * len(ex.values["n"]) * 3 <= 40
    for T in (0.5, 3.0):
        for n in (0, 40):
            assert (T, n) in calls
    html = ex.to_html()
    assert html.count('type="range"') == 2 and html.count("<select") == 1


def test_broken_fn_names_the_slider_values():
    def breaks_at_high_T(T, n):
        if T > 2.9:
            raise ZeroDivisionError("boom")
        return noisy_curve(T, n)

    with pytest.raises(ExploreError, match=r"ZeroDivisionError: boom at T=3, n=") as info:
        explore(breaks_at_high_T, T=(0.5, 3.0, 0.5), n=(0, 2, 1), mode="static")
    assert isinstance(info.value.__cause__, ZeroDivisionError)


def test_nan_data_is_an_error_unless_allowed():
    def nan_at_low_T(T):
        fig, ax = plt.subplots(figsize=(2, 1.5))
        x = np.linspace(0, 1, 10)
        ax.plot(x, x / T if T > 0.5 else np.full(10, np.nan), label="m")
        return fig

    with pytest.raises(ExploreError, match=r"NaN data \(axes 0, line 'm'\) at T=0.5"):
        explore(nan_at_low_T, T=(0.5, 2.0, 0.5), mode="static")
    assert explore(nan_at_low_T, T=(0.5, 2.0, 0.5), mode="static", allow_nan=True).frames == 4

    def nan_image(s):
        fig, ax = plt.subplots(figsize=(2, 2))
        img = np.ones((4, 4))
        img[0, 0] = np.nan if s == "bad" else 0.0
        ax.imshow(img)
        return fig

    with pytest.raises(ExploreError, match=r"NaN data \(axes 0, image .*\) at s=bad"):
        explore(nan_image, s=["good", "bad"], mode="static")


def test_fn_may_draw_with_pyplot_and_return_none():
    def pyplot_style(k):
        plt.figure(figsize=(2, 1.5))
        plt.plot([0, 1], [1, k])

    assert explore(pyplot_style, k=(1, 3, 1), mode="static").frames == 3
    with pytest.raises(ExploreError, match="opened no figure at k=2"):
        explore(lambda k: None, k=(1, 3, 1), mode="static")
    with pytest.raises(ExploreError, match="returned int"):
        explore(lambda k: 1, k=(1, 3, 1), mode="static")


def test_live_mode_builds_one_control_per_spec_and_updates(capsys):
    calls = []
    ex = explore(
        lambda T, n, kind: noisy_curve(T, n, calls),
        T=(0.5, 3.0, 0.1),
        n=(1, 5, 1),
        kind=["a", "b"],
        mode="live",
    )
    assert ex.mode == "live" and ex._repr_html_() is None
    assert isinstance(ex.widget, widgets.VBox)
    controls, output = ex.widget.children
    assert isinstance(output, widgets.Output)
    by_name = {c.description: c for c in controls.children}
    assert set(by_name) == {"T", "n", "kind"}
    assert isinstance(by_name["T"], widgets.FloatSlider) and (by_name["T"].min, by_name["T"].max) == (0.5, 3.0)
    assert isinstance(by_name["n"], widgets.IntSlider) and by_name["n"].value == 3
    assert isinstance(by_name["kind"], widgets.Dropdown) and by_name["kind"].options == ("a", "b")
    assert calls == [(1.7, 3)]  # the initial render at the defaults
    by_name["T"].value = 3.0
    by_name["n"].value = 5
    assert calls[-1] == (3.0, 5) and len(calls) == 3
    with pytest.raises(ValueError, match="only available in static mode"):
        ex.to_html()


def test_tier_rule(monkeypatch):
    assert resolve_mode() == "static"  # no kernel here
    monkeypatch.setenv("JPY_SESSION_NAME", "x.ipynb")
    assert resolve_mode() == "static"  # still no kernel
    monkeypatch.setenv("SPINLAB_WIDGETS", "live")
    assert resolve_mode() == "live"
    assert resolve_mode("static") == "static"  # the argument wins
    monkeypatch.setenv("SPINLAB_WIDGETS", "Static ")
    assert resolve_mode() == "static"
    monkeypatch.setenv("SPINLAB_WIDGETS", "pdf")
    with pytest.raises(ValueError, match="SPINLAB_WIDGETS must be 'live' or 'static', got 'pdf'"):
        resolve_mode()
    with pytest.raises(ValueError, match="mode must be"):
        resolve_mode("html")
    monkeypatch.setenv("SPINLAB_WIDGETS", "static")
    ex = explore(noisy_curve, T=(0.5, 1.0, 0.5), n=(0, 1, 1))
    assert ex.mode == "static"


@pytest.mark.parametrize(
    ("spec", "error", "message"),
    [
        ((1.0, 1.0, 0.1), ValueError, "min must be < max"),
        ((0.0, 1.0, 0.0), ValueError, "step must be > 0"),
        ((0.0, 1.0), TypeError, "must be"),
        ((0.0, 1.0, 0.1, 5.0), ValueError, "default must lie in"),
        (("a", 1, 2), TypeError, "finite numbers"),
        (["a", "a"], ValueError, "distinct"),
    ],
)
def test_bad_slider_specs(spec, error, message):
    with pytest.raises(error, match=message):
        explore(noisy_curve, T=spec, mode="static")


def test_explicit_default_is_the_initial_frame():
    ex = explore(noisy_curve, T=(0.5, 3.0, 0.5, 1.0), n=(0, 2, 1, 0), mode="static")
    assert ex.defaults == {"T": 1.0, "n": 0}
    assert f'src="data:image/png;base64,{ex.images[ex.frame_index(T=1.0, n=0)]}"' in ex.to_html()


def test_inline_script_swaps_frames_in_a_browser():
    """Headless Chromium: moving a range input / select shows the matching frame; nothing is fetched."""
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Debian chromium not installed")
    ex = explore(noisy_curve, T=(0.5, 2.5, 0.5), n=(0, 2, 1), mode="static")
    other = explore(lambda k: noisy_curve(1.0, len(k)), k=["x", "yy"], mode="static")
    requests = []
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=args)
        try:
            page = browser.new_page()
            page.route("**/*", lambda route: (requests.append(route.request.url), route.abort()))
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.set_content(f"<html><body>{ex.to_html()}{other.to_html()}</body></html>")

            def src(uid):
                return page.get_attribute(f"#{uid}-img", "src").removeprefix("data:image/png;base64,")

            assert src(ex.uid) == ex.images[ex.frame_index(T=1.5, n=1)]
            page.fill(f"#{ex.uid}-c0", "4")  # T index 4 -> 2.5
            page.fill(f"#{ex.uid}-c1", "0")  # n index 0 -> 0
            assert src(ex.uid) == ex.images[ex.frame_index(T=2.5, n=0)]
            assert page.text_content(f"#{ex.uid}-v0") == "2.5"
            assert "T=2.5, n=0" in page.get_attribute(f"#{ex.uid}-img", "alt")
            page.select_option(f"#{other.uid}-c0", "1")
            assert src(other.uid) == other.images[1]
            assert src(ex.uid) == ex.images[ex.frame_index(T=2.5, n=0)]  # widgets do not interfere
            assert errors == []
        finally:
            browser.close()
    assert requests == []
