"""One helper for every interactive cell: live ipywidgets, a precomputed HTML slider, or a static figure.

:func:`explore` takes a plotting function and slider specifications and produces, from one description,

1. **live** -- an ipywidgets control panel (sliders/dropdowns + ``interactive_output``) that calls the
   function whenever a control is released (Jupyter, or the book's live mode);
2. **static** -- one self-contained HTML block (``<input type="range">`` / ``<select>`` controls, an ``<img>``
   whose ``src`` an inline script swaps between precomputed base64 PNG frames; nothing is fetched, no CDN),
   used while the book is built;
3. **print/PDF** -- the static block's initial ``<img>`` is the figure at the default slider values, so the
   page is meaningful without JavaScript and on paper (the controls are hidden by ``@media print``).

The plotting contract
---------------------
``fn(**values)`` draws ONE matplotlib figure per call. It either returns that :class:`~matplotlib.figure.Figure`
(e.g. from ``plt.subplots``), or returns ``None`` after drawing with pyplot on a figure it opened (``plt.plot``
opens one). It must not call ``plt.show()``. Every figure that ``fn`` opens is closed after rendering; the figure
size is ``fn``'s own, rendered at ``dpi`` (default 90).

Which tier (the rule)
---------------------
``mode="live"`` or ``mode="static"`` wins. Otherwise the environment variable ``SPINLAB_WIDGETS`` (``live`` or
``static``; the book's Makefile exports ``static`` for builds) is obeyed. Otherwise the mode is ``"live"`` only
when an IPython *kernel* is running and a widget-capable frontend started it (``JPY_SESSION_NAME`` -- set by
Jupyter Server for notebooks -- or ``VSCODE_PID`` or ``COLAB_RELEASE_TAG`` in the environment), and ``"static"``
everywhere else (plain Python, doctests, nbclient/myst-nb executions).

Example
-------
>>> import matplotlib.pyplot as plt
>>> import numpy as np
>>> from spinlab.widgets import explore
>>> def wave(k):
...     fig, ax = plt.subplots(figsize=(3, 2))
...     x = np.linspace(0, 2 * np.pi, 100)
...     ax.plot(x, np.sin(k * x))
...     return fig
>>> open_before = plt.get_fignums()
>>> ex = explore(wave, k=(1, 3, 1), mode="static")
>>> ex.frames, ex.values
(3, {'k': (1, 2, 3)})
>>> html = ex._repr_html_()
>>> html.count('type="range"'), "<script>" in html, "http" in html
(1, True, False)
>>> plt.get_fignums() == open_before  # every figure wave opened was closed
True
"""

from __future__ import annotations

import base64
import io
import itertools
import json
import math
import numbers
import os
import time
import uuid
from dataclasses import dataclass, field
from html import escape

import numpy as np

__all__ = ["ExploreError", "Explorer", "Slider", "explore", "resolve_mode"]

MODES = ("live", "static")
ENV_VAR = "SPINLAB_WIDGETS"
FRONTEND_VARS = ("JPY_SESSION_NAME", "VSCODE_PID", "COLAB_RELEASE_TAG")


# Swaps the <img> between the frames stored as JSON next to it; the frame index is row-major over the controls.
_SCRIPT = (
    "(function(){var id=__ID__,d=JSON.parse(document.getElementById(id+'-data').textContent),"
    "n=d.labels.length,img=document.getElementById(id+'-img'),c=[],o=[];"
    "for(var i=0;i<n;i++){c.push(document.getElementById(id+'-c'+i));"
    "o.push(document.getElementById(id+'-v'+i));}"
    "function show(){var k=0,t=[];for(var i=0;i<n;i++){var j=parseInt(c[i].value,10);"
    "k=k*d.labels[i].length+j;o[i].textContent=d.labels[i][j];t.push(d.names[i]+'='+d.labels[i][j]);}"
    "img.src='data:image/png;base64,'+d.frames[k];img.alt=d.alt+' ('+t.join(', ')+')';}"
    "for(var i=0;i<n;i++){c[i].addEventListener('input',show);c[i].addEventListener('change',show);}})();"
)


class ExploreError(RuntimeError):
    """``fn`` failed (raised, drew nothing, or drew NaN data) at the slider values named in the message."""


@dataclass(frozen=True)
class Slider:
    """One control: its name, every value it can take (``options``), its kind and its default value.

    ``kind`` is ``"int"`` or ``"float"`` (a slider from ``(min, max, step[, default])``) or ``"choice"`` (a
    dropdown from a list/tuple of strings). ``options`` always contains both extremes.
    """

    name: str
    kind: str
    options: tuple
    default: object
    step: float | int | None = None

    @property
    def minimum(self):
        return self.options[0]

    @property
    def maximum(self):
        return self.options[-1]


def _parse_slider(name: str, spec) -> Slider:
    if isinstance(spec, (list, tuple)) and spec and all(isinstance(s, str) for s in spec):
        options = tuple(spec)
        if len(set(options)) != len(options):
            raise ValueError(f"slider {name!r}: choices must be distinct, got {options!r}")
        return Slider(name, "choice", options, options[0])
    if not isinstance(spec, tuple) or len(spec) not in (3, 4):
        raise TypeError(
            f"slider {name!r} must be (min, max, step), (min, max, step, default) or a list of strings, got {spec!r}"
        )
    for v in spec:
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(v):
            raise TypeError(f"slider {name!r}: min, max, step and default must be finite numbers, got {spec!r}")
    lo, hi, step = spec[:3]
    if not lo < hi:
        raise ValueError(f"slider {name!r}: min must be < max, got min={lo}, max={hi}")
    if not step > 0:
        raise ValueError(f"slider {name!r}: step must be > 0, got {step}")
    is_int = all(isinstance(v, numbers.Integral) for v in spec[:3])
    n = int(math.floor((hi - lo) / step + 1e-9)) + 1
    if is_int:
        values = [int(lo) + i * int(step) for i in range(n)]
        if values[-1] != hi:
            values.append(int(hi))
    else:
        values = [round(lo + i * step, 12) for i in range(n)]
        if abs(values[-1] - hi) > 1e-9 * max(1.0, abs(hi)):
            values.append(float(hi))
        values = [float(v) for v in values]
    options = tuple(values)
    target = spec[3] if len(spec) == 4 else (lo + hi) / 2
    if len(spec) == 4 and not lo <= target <= hi:
        raise ValueError(f"slider {name!r}: default must lie in [{lo}, {hi}], got {target}")
    default = min(options, key=lambda v: (abs(v - target), v))
    return Slider(name, "int" if is_int else "float", options, default, step)


def resolve_mode(mode: str | None = None) -> str:
    """Return ``"live"`` or ``"static"`` following the rule in the module docstring."""
    if mode is None:
        mode = os.environ.get(ENV_VAR, "").strip().lower() or None
        if mode is None:
            return "live" if _in_widget_frontend() else "static"
        source = f"environment variable {ENV_VAR}"
    else:
        source = "mode"
    if mode not in MODES:
        raise ValueError(f"{source} must be 'live' or 'static', got {mode!r}")
    return mode


def _in_widget_frontend() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with ipywidgets
        return False
    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return False
    return any(os.environ.get(var) for var in FRONTEND_VARS)


def _label(values: dict) -> str:
    return ", ".join(f"{k}={_fmt(v)}" for k, v in values.items())


def _fmt(v) -> str:
    return f"{v:.6g}" if isinstance(v, float) else str(v)


def _nan_artist(fig) -> str | None:
    """Describe the first artist of ``fig`` whose data contain NaN, or return None."""
    for i, ax in enumerate(fig.axes):
        candidates = [(f"line {line.get_label()!r}", line.get_xydata()) for line in ax.lines]
        for coll in ax.collections:
            candidates.append((f"collection {coll.get_label()!r} offsets", coll.get_offsets()))
            candidates.append((f"collection {coll.get_label()!r} values", coll.get_array()))
        candidates += [(f"image {im.get_label()!r}", im.get_array()) for im in ax.images]
        for what, data in candidates:
            if data is None:
                continue
            try:
                arr = np.asarray(np.ma.getdata(data), dtype=float)
            except (TypeError, ValueError):  # dates, categories: not numeric data
                continue
            if np.isnan(arr).any():
                return f"axes {i}, {what}"
    return None


def _render(fn, values: dict, *, dpi: float, allow_nan: bool) -> bytes:
    """Call ``fn(**values)``, check its figure and return it as PNG bytes; close every figure fn opened."""
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    before = set(plt.get_fignums())
    fig = None
    try:
        try:
            result = fn(**values)
        except Exception as exc:
            raise ExploreError(f"explore: fn raised {type(exc).__name__}: {exc} at {_label(values)}") from exc
        opened = [n for n in plt.get_fignums() if n not in before]
        if isinstance(result, Figure):
            fig = result
        elif result is None and opened:
            fig = plt.figure(opened[-1])
        else:
            what = "returned nothing and opened no figure" if result is None else f"returned {type(result).__name__}"
            raise ExploreError(
                f"explore: fn must return a matplotlib Figure or draw on one; it {what} at {_label(values)}"
            )
        if not allow_nan and (where := _nan_artist(fig)) is not None:
            raise ExploreError(f"explore: fn drew NaN data ({where}) at {_label(values)}")
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi)
        return buf.getvalue()
    finally:
        for n in plt.get_fignums():
            if n not in before:
                plt.close(n)


def _subsample(slider: Slider, count: int) -> tuple:
    """``count`` roughly evenly spaced options including both extremes, plus the default."""
    n = len(slider.options)
    if slider.kind == "choice" or count >= n:
        return slider.options
    picks = {int(round(x)) for x in np.linspace(0, n - 1, count)}
    picks.add(slider.options.index(slider.default))
    return tuple(slider.options[i] for i in sorted(picks))


def _choose_grid(sliders: list[Slider], max_frames: int) -> dict:
    """Per-slider grids: start from the extremes (+ default) and add points round-robin while the product fits."""
    counts = {s.name: 2 for s in sliders}

    def grids(c):
        return {s.name: _subsample(s, c[s.name]) for s in sliders}

    def size(g):
        return math.prod(len(v) for v in g.values())

    best = grids(counts)
    grown = True
    while grown:
        grown = False
        for s in sliders:
            if s.kind == "choice" or len(best[s.name]) >= len(s.options):
                continue
            trial = dict(counts, **{s.name: counts[s.name] + 1})
            g = grids(trial)
            if size(g) <= max_frames:
                counts, best, grown = trial, g, True
    return best


@dataclass
class Explorer:
    """What :func:`explore` returns; displays itself (put it last in a cell, or ``display(...)`` it).

    Attributes: ``mode``; ``sliders`` (parsed specs); ``values`` (slider name -> tuple of precomputed values, in
    static mode, else every option); ``frames`` (number of PNGs rendered); ``seconds`` (wall time of the
    precompute); ``seconds_per_frame`` (the timed first frame, which set the grid); ``budget_s``; ``images``
    (base64 PNGs in ``itertools.product`` order of ``values``); ``widget`` (the ipywidgets container in live mode).
    """

    mode: str
    sliders: list
    values: dict
    frames: int = 0
    seconds: float = 0.0
    seconds_per_frame: float = 0.0
    budget_s: float = 0.0
    images: list = field(default_factory=list, repr=False)
    widget: object = field(default=None, repr=False)
    uid: str = ""
    alt: str = ""

    @property
    def defaults(self) -> dict:
        return {s.name: s.default for s in self.sliders}

    def frame_index(self, **values) -> int:
        """Index into ``images`` of the frame at ``values`` (each must be one of ``self.values``)."""
        index = 0
        for name, grid in self.values.items():
            index = index * len(grid) + grid.index(values[name])
        return index

    def __repr__(self) -> str:
        grid = " x ".join(str(len(v)) for v in self.values.values())
        return f"<Explorer {self.mode}: {self.frames} frame(s) ({grid}) in {self.seconds:.2f} s>"

    def _ipython_display_(self):
        from IPython.display import HTML, display

        display(self.widget if self.mode == "live" else HTML(self.to_html()))

    def _repr_html_(self) -> str | None:
        return self.to_html() if self.mode == "static" else None

    def to_html(self) -> str:
        """The static block: controls, the default frame as ``<img>``, the frames as JSON and an inline script."""
        if self.mode != "static":
            raise ValueError("to_html is only available in static mode")
        uid = self.uid
        defaults = self.defaults
        controls = []
        for i, s in enumerate(self.sliders):
            grid = self.values[s.name]
            at = grid.index(defaults[s.name])
            if s.kind == "choice":
                opts = "".join(
                    f'<option value="{j}"{" selected" if j == at else ""}>{escape(str(v))}</option>'
                    for j, v in enumerate(grid)
                )
                ctrl = f'<select id="{uid}-c{i}" aria-label="{escape(s.name)}">{opts}</select>'
            else:
                ctrl = (
                    f'<input type="range" id="{uid}-c{i}" min="0" max="{len(grid) - 1}" step="1" value="{at}" '
                    f'aria-label="{escape(s.name)}">'
                )
            controls.append(
                f'<label style="display:inline-block;margin-right:1.5em">{escape(s.name)} = '
                f'<output id="{uid}-v{i}">{escape(_fmt(defaults[s.name]))}</output> {ctrl}</label>'
            )
        data = {
            "frames": self.images,
            "labels": [[_fmt(v) for v in self.values[s.name]] for s in self.sliders],
            "alt": self.alt,
            "names": [s.name for s in self.sliders],
        }
        payload = json.dumps(data).replace("</", "<\\/")
        first = self.images[self.frame_index(**defaults)]
        alt = escape(f"{self.alt} ({_label(defaults)})")
        cost = (
            f"{self.frames} precomputed frame(s) ({' x '.join(str(len(v)) for v in self.values.values())}), "
            f"{self.seconds:.1f} s"
        )
        script = _SCRIPT.replace("__ID__", json.dumps(uid))
        return (
            f'<div class="spinlab-explore" id="{uid}">'
            f"<style>@media print{{#{uid} .spinlab-explore-controls,#{uid} .spinlab-explore-cost"
            f"{{display:none}}}}</style>"
            f'<div class="spinlab-explore-controls">{"".join(controls)}</div>'
            f'<img id="{uid}-img" style="max-width:100%;height:auto" alt="{alt}" src="data:image/png;base64,{first}">'
            f'<div class="spinlab-explore-cost" style="font-size:smaller;opacity:0.7">{cost}</div>'
            f'<script type="application/json" id="{uid}-data">{payload}</script>'
            f"<script>{script}</script></div>"
        )


def explore(
    fn,
    *,
    mode: str | None = None,
    budget_s: float = 20.0,
    max_frames: int = 60,
    dpi: float = 90,
    allow_nan: bool = False,
    alt: str | None = None,
    **sliders,
) -> Explorer:
    """An interactive figure ``fn(**values)`` over the given sliders, live or precomputed (see the module docstring).

    Parameters
    ----------
    fn
        Draws one matplotlib figure from keyword arguments named like the sliders (contract in the module
        docstring: return the Figure, or draw with pyplot on a figure it opens; never ``plt.show()``).
    mode
        ``"live"``, ``"static"`` or None (environment variable ``SPINLAB_WIDGETS``, else auto-detect).
    budget_s
        Static mode: seconds the precompute may take. The default-value frame is rendered and timed first;
        the grid then holds at most ``budget_s / seconds_per_frame`` frames (and at most ``max_frames``). Every
        numeric slider keeps at least its two extremes and its default, even over budget; dropdowns always keep
        every choice. The cost is reported in ``.frames`` / ``.seconds`` and under the figure.
    max_frames
        Static mode: cap on the number of frames (page weight: a 6.4 x 4 inch figure at dpi 90 is ~30 kB).
    dpi
        Resolution of the PNG frames (live and static).
    allow_nan
        If False (default), a figure whose lines, collections or images contain NaN raises :class:`ExploreError`
        (set True for plots that use NaN on purpose, e.g. to break a line).
    alt
        Alternative text of the image (the current slider values are appended); defaults to ``fn``'s name.
    **sliders
        ``name=(min, max, step)`` or ``name=(min, max, step, default)``: an int slider if all are integers, else
        a float slider (the maximum is always reachable); the default is the option nearest the midpoint unless
        given. ``name=["a", "b"]``: a dropdown, default the first choice. Names may not be those of the
        keyword options above.

    Returns
    -------
    Explorer
        Displays the control panel (live) or the HTML block (static). In static mode the grid is the full
        product of per-slider grids, in ``itertools.product`` order, and includes every slider's extremes.

    Raises
    ------
    ExploreError
        In static mode, if ``fn`` raises, draws nothing, or draws NaN data at any grid point (the message names
        the slider values). In live mode the same error is shown in the widget's output area.
    """
    if not callable(fn):
        raise TypeError(f"fn must be callable, got {type(fn).__name__}")
    if not sliders:
        raise ValueError("explore needs at least one slider, e.g. T=(0.5, 3.0, 0.1)")
    if isinstance(budget_s, bool) or not isinstance(budget_s, numbers.Real) or not budget_s > 0:
        raise ValueError(f"budget_s must be a number > 0, got {budget_s!r}")
    if isinstance(max_frames, bool) or not isinstance(max_frames, numbers.Integral) or max_frames < 1:
        raise ValueError(f"max_frames must be an integer >= 1, got {max_frames!r}")
    specs = [_parse_slider(name, spec) for name, spec in sliders.items()]
    mode = resolve_mode(mode)
    alt = alt if alt is not None else f"figure from {getattr(fn, '__name__', 'fn')}"
    defaults = {s.name: s.default for s in specs}

    if mode == "live":
        return _live(fn, specs, dpi=dpi, allow_nan=allow_nan, alt=alt)

    start = time.perf_counter()
    first = _render(fn, defaults, dpi=dpi, allow_nan=allow_nan)
    per_frame = time.perf_counter() - start
    affordable = max(1, int(budget_s / max(per_frame, 1e-9)))
    grid = _choose_grid(specs, min(affordable, int(max_frames)))
    images = []
    for combo in itertools.product(*grid.values()):
        values = dict(zip(grid, combo, strict=True))
        png = first if values == defaults else _render(fn, values, dpi=dpi, allow_nan=allow_nan)
        images.append(base64.b64encode(png).decode("ascii"))
    return Explorer(
        mode="static",
        sliders=specs,
        values=grid,
        frames=len(images),
        seconds=time.perf_counter() - start,
        seconds_per_frame=per_frame,
        budget_s=float(budget_s),
        images=images,
        uid=f"spinlab-explore-{uuid.uuid4().hex[:12]}",
        alt=alt,
    )


def _live(fn, specs: list[Slider], *, dpi: float, allow_nan: bool, alt: str) -> Explorer:
    import ipywidgets as widgets
    from IPython.display import Image, display

    controls = {}
    for s in specs:
        common = {"description": s.name, "value": s.default, "continuous_update": False}
        if s.kind == "choice":
            controls[s.name] = widgets.Dropdown(options=list(s.options), value=s.default, description=s.name)
        elif s.kind == "int":
            controls[s.name] = widgets.IntSlider(min=s.minimum, max=s.maximum, step=int(s.step), **common)
        else:
            decimals = max(0, -math.floor(math.log10(s.step))) if s.step < 1 else 0
            controls[s.name] = widgets.FloatSlider(
                min=s.minimum, max=s.maximum, step=s.step, readout_format=f".{decimals + 1}f", **common
            )

    def update(**values):
        display(Image(data=_render(fn, values, dpi=dpi, allow_nan=allow_nan), format="png"))

    output = widgets.interactive_output(update, controls)
    box = widgets.VBox([widgets.HBox(list(controls.values())), output])
    return Explorer(
        mode="live",
        sliders=specs,
        values={s.name: s.options for s in specs},
        widget=box,
        alt=alt,
    )
