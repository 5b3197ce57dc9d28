"""viz.explore: one self-contained HTML page to step through a graph's forward pass and backprop.

The page is the graphviz drawing, the steps as JSON, and a small script, all inline: it
works from `file://` with no network, and in a notebook. Forward steps come in the order
the ops were recorded; backward steps in `backward_order(root)`, the order the engine
runs them. The JSON (`<script type="application/json" id="tinygrad-edu-steps">`) is
exactly what the page shows, for other tools and tests to read.
"""
import html
import json
import math
import re
from pathlib import Path

from ..engine import Tensor, backward_order
from .drawing import collect, course_names, draw_graph, is_number, op_formula, shown_name, summary

_HERE = Path(__file__).resolve().parent
LARGEST_SHOWN = 64          # arrays with more elements are shown as their shape and a summary


def explore(root, *, model=None, title=None, max_nodes=500):
    """Run `root.backward()` and build the page that steps through it (an `Explorer`).

    With `model`, tensors take the course's names (`course_names`: W1, B1, Z1, A1 …, each
    parameter with its dotted name `0.weight` beside) and each layer's op is drawn in a
    cluster named after the layer. `max_nodes` caps the drawing as in
    `draw_graph`; the steps cover every op.
    """
    order = backward_order(root)
    if not order:
        raise ValueError("explore: root was not made by an op that records a gradient; build it from tensors "
                         "with requires_grad=True")
    for t in order:
        t.retain_grad()
    root.backward()
    names, dotted, clusters = {}, {}, None
    if model is not None:
        names, dotted = course_names(model, root)
        clusters = _layer_clusters(model, order)
    # Top to bottom: a chain of ops stays narrow enough to read beside the panel.
    svg = draw_graph(root, show_grad=False, names=names, beside=dotted, clusters=clusters, max_nodes=max_nodes,
                     rankdir="TB").pipe(format="svg", encoding="utf-8")
    title = title or f"Backprop through {root.op}: {len(order)} ops"
    return Explorer(title, svg[svg.index("<svg"):], _page_data(root, order, names, dotted, max_nodes))




def _layer_clusters(model, order):
    """Each layer's op in a cluster with the layer's parameters: the op that uses a layer's
    parameters belongs to that layer (`0: Linear(784→64)`)."""
    clusters = {}
    for name, module in model.named_modules():
        own = {id(p) for p in module._parameters.values()}
        if name and own:
            label = f"{name}: {type(module).__name__}({module.extra_repr()})"
            users = {id(t) for t in order if any(id(p) in own for p in t.parents)}
            clusters[label] = own | users
    return clusters


def _page_data(root, order, names, dotted, max_nodes):
    """{"tensors": {id: ...}, "steps": [...]}: ids are the drawing's node ids where a tensor is drawn."""
    drawn = collect(root, max_nodes)
    ids = {id(t): f"t{i}" for i, t in enumerate(drawn)}
    every = list(drawn)
    for t in order:
        for parent in t.parents:
            if id(parent) not in ids:
                ids[id(parent)] = f"c{len(ids)}"
                every.append(parent)
        if id(t) not in ids:
            ids[id(t)] = f"c{len(ids)}"
            every.append(t)
    tensors = {ids[id(t)]: _tensor_entry(t, shown_name(t, root, names)) for t in every}
    for t in every:
        if id(t) in dotted:
            tensors[ids[id(t)]]["path"] = dotted[id(t)]          # the parameter's name in the code
    targets = {}                                   # a loss's target Y is part of its step
    for t in order:
        target = t.settings.get("target")
        if target is not None:
            targets[id(t)] = f"y{len(targets)}"
            tensors[targets[id(t)]] = _tensor_entry(Tensor(target), "Y", role="target")

    def step(phase, t):
        inputs = [ids[id(p)] for p in t.parents]
        formula = op_formula(t, root, names)
        entry = {"phase": phase, "op": t.op, "formula": formula, "inputs": inputs, "output": ids[id(t)]}
        if id(t) in targets:
            entry["target"] = targets[id(t)]
        return entry

    steps = [step("forward", t) for t in reversed(order)] + [step("backward", t) for t in order]
    return {"tensors": tensors, "steps": steps}


def _tensor_entry(t, name, role=None):
    if role is None:
        role = ("number" if is_number(t) else "parameter" if t.requires_grad else "input") if t.op is None else "op"
    return {"name": name, "shape": list(t.shape), "dtype": str(t.dtype), "role": role,
            "value": _plain(t.data), "grad": None if t.grad is None else _plain(t.grad),
            "summary": summary(t.data), "grad_summary": None if t.grad is None else summary(t.grad)}


def _plain(array):
    """Nested lists for JSON, NaN and ±inf as strings; None for arrays too large to show."""
    if array.size > LARGEST_SHOWN:
        return None

    def plain(x):
        if isinstance(x, list):
            return [plain(v) for v in x]
        return str(x) if isinstance(x, float) and not math.isfinite(x) else x
    return plain(array.tolist())


class Explorer:
    """The page of one graph: `save(path)` writes it, `_repr_html_()` shows it in a notebook."""

    def __init__(self, title, svg, data):
        self.title, self.svg, self.data = title, svg, data

    def html(self):
        """The whole page as one HTML string (nothing loaded from elsewhere)."""
        # "</" inside the JSON would end its script element early.
        steps_json = json.dumps(self.data, ensure_ascii=False).replace("</", "<\\/")
        parts = {"TITLE": html.escape(self.title), "SVG": self.svg, "STEPS": steps_json,
                 "STYLE": (_HERE / "explorer.css").read_text(encoding="utf-8"),
                 "SCRIPT": (_HERE / "explorer.js").read_text(encoding="utf-8")}
        page = (_HERE / "explorer.html").read_text(encoding="utf-8")
        return re.sub(r"\{\{([A-Z]+)\}\}", lambda m: parts[m.group(1)], page)     # one pass: inserts stay as they are

    def save(self, path):
        """Write the page to `path` (one .html file; its folder is made if missing) and return the path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.html(), encoding="utf-8")
        return path

    def _repr_html_(self):
        """The same page in a notebook cell, in a frame of its own so that its ids and keys stay apart."""
        return (f'<iframe srcdoc="{html.escape(self.html(), quote=True)}" title="{html.escape(self.title)}" '
                f'style="width: 100%; height: 640px; border: 1px solid #ccc"></iframe>')
