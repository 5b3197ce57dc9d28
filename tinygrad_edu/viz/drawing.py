"""Drawing computation graphs with graphviz: forward values, gradients, each op's backward rule.

Reads only what a tensor shows of its graph (`op`, `parents`, `name`, `shape`, `dtype`,
`data`, `grad`, `requires_grad`, `formula`), so a user's own Function is drawn like a
built-in. Tensors are boxes: parameters (leaves that require grad) blue, inputs and
constants grey, the root drawn with a double border; ops are yellow ellipses carrying
their backward rule. Edges run forward, from inputs to the op to its output.
"""
import html
import os
from pathlib import Path

import graphviz
import numpy as np

from ..engine import Tensor, backward_order, retain_grads
from ..formulas import course_letters, rule_of

_INSTALL_DOT = ("graphviz's `dot` program was not found on PATH; install it (Debian/Ubuntu: apt-get install "
                "graphviz, macOS: brew install graphviz, conda: conda install graphviz). The DOT source is in "
                ".source and .save(path) writes it without `dot`.")


class DotNotFoundError(graphviz.ExecutableNotFound):
    """`dot` is missing: the message says how to install it."""

    def __init__(self):
        RuntimeError.__init__(self, _INSTALL_DOT)

    def __str__(self):
        return _INSTALL_DOT


class Graph(graphviz.Digraph):
    """A graphviz.Digraph whose render/pipe explain how to get `dot` when it is missing."""

    def render(self, *args, **kwargs):
        try:
            return super().render(*args, **kwargs)
        except graphviz.ExecutableNotFound:
            raise DotNotFoundError() from None

    def pipe(self, *args, **kwargs):
        try:
            return super().pipe(*args, **kwargs)
        except graphviz.ExecutableNotFound:
            raise DotNotFoundError() from None


def summary(array):
    """The value for a scalar or a tiny array, min/mean/max otherwise."""
    array = np.asarray(array)
    if array.size <= 4:
        values = ", ".join(f"{v:.4g}" for v in array.ravel().tolist())
        return values if array.ndim == 0 else f"[{values}]"
    if array.dtype.kind == "b":
        return f"{int(array.sum())} of {array.size} true"
    return f"min {array.min():.3g}  mean {array.mean():.3g}  max {array.max():.3g}"


def _shape(t):
    return "×".join(map(str, t.shape)) if t.shape else "scalar"


def is_number(t):
    """A constant that stands for a Python number (as in `x * 2.0`): drawn beside each op that
    uses it, since one shared node would tie every such op together and stall `dot`'s layout."""
    return t.op is None and not t.requires_grad and t.size == 1 and t.name is None


def collect(root, max_nodes=None):
    """Tensors reachable from root, root first (breadth first), numbers (`is_number`) left out.

    With `max_nodes`, as many as fit when every node drawn counts: a tensor's box, its op's
    ellipse and the numbers drawn beside that op; when not all fit, one node is kept for the
    summary of the rest.
    """
    return _within(_reachable(root), max_nodes)


def _reachable(root):
    order, seen = [root], {id(root)}
    for t in order:
        for parent in t.parents:
            if id(parent) not in seen and not is_number(parent):
                seen.add(id(parent))
                order.append(parent)
    return order


def _within(order, max_nodes):
    """The first tensors of `order` whose drawing fits in `max_nodes` nodes (see `collect`)."""
    if max_nodes is None:
        return order
    costs = [nodes_drawn_for(t) for t in order]
    if sum(costs) <= max_nodes:
        return order
    kept, used = [], 1                     # one node for "… N more tensors"
    for t, cost in zip(order, costs):
        if used + cost > max_nodes:
            break
        kept.append(t)
        used += cost
    return kept


def nodes_drawn_for(t):
    """The nodes drawing tensor t takes: its box, its op and the numbers beside that op."""
    return 1 + (t.op is not None) + sum(is_number(p) for p in t.parents)


def draw_graph(root, *, show_data=True, show_grad=True, formulas=True, rankdir="LR", max_nodes=500,
               model=None, names=None, beside=None, clusters=None, highlight=(), active=None):
    """The graph that made `root`, as a graphviz.Digraph (render with `.render(path, format="svg")`).

    One box per tensor (name or role, shape, dtype; its value with `show_data`, its
    gradient with `show_grad` when it has one) and one ellipse per op (its name and,
    with `formulas`, its rule in the names of the tensors drawn). Every node drawn counts
    towards `max_nodes` (tensors, ops, numbers); what does not fit becomes one summary node.
    With `model`, tensors take the course's names (W1, B1, Z1, A1 …: `course_names`), each
    parameter with its dotted name beside. `names` maps id(tensor) to a label, `beside` to a
    second label shown in brackets; `clusters` maps a cluster label to the ids of the tensors
    whose ops it groups; tensors in `highlight` are drawn in red, and so is the op that made
    the tensor `active`.
    """
    names, beside = dict(names or {}), dict(beside or {})
    if model is not None:
        letters, dotted = course_names(model, root)
        names, beside = {**letters, **names}, {**dotted, **beside}
    everything = _reachable(root)
    tensors = _within(everything, max_nodes)
    number = {id(t): i for i, t in enumerate(tensors)}     # node names that do not change between runs
    highlighted = {id(t) for t in highlight}
    active = None if active is None else id(active)
    graph = Graph("computation", graph_attr={"rankdir": rankdir, "fontname": "Helvetica"},
                  node_attr={"fontname": "Helvetica", "fontsize": "10"}, edge_attr={"fontsize": "8"})

    def draw(target, members):
        for t in members:
            key = number[id(t)]
            target.node(f"t{key}", _tensor_label(t, t is root, names, beside, show_data, show_grad), shape="box",
                        id=f"t{key}", **_tensor_style(t, t is root, id(t) in highlighted))
            if t.op is not None:
                label = f"<<b>{html.escape(t.op)}</b>"
                rule = op_formula(t, root, names) if formulas and t.formula else ""
                if rule:        # the forward rule over the backward rule keeps the ellipse narrow
                    lines = "<br/>".join(html.escape(part) for part in rule.split(" · ", 1))
                    label += f'<br/><font point-size="8">{lines}</font>'
                target.node(f"op{key}", label + ">", shape="ellipse", style="filled", id=f"op{key}",
                            fillcolor="#ffb0b0" if id(t) == active else "#fff3c4", tooltip=rule or t.op)
                target.edge(f"op{key}", f"t{key}", tooltip=_shape(t))

    cluster_of = {key: label for label, keys in (clusters or {}).items() for key in keys}
    groups = {}
    for t in tensors:
        groups.setdefault(cluster_of.get(id(t)), []).append(t)
    for index, (label, members) in enumerate(groups.items()):
        if label is None:
            draw(graph, members)
        else:
            with graph.subgraph(name=f"cluster_{index}") as cluster:
                cluster.attr(label=label, style="rounded,dashed", color="gray40", fontsize="11")
                draw(cluster, members)
    hidden = 0
    for t in tensors:
        for i, parent in enumerate(t.parents):
            if is_number(parent):
                graph.node(f"n{number[id(t)]}_{i}", summary(parent.data), shape="plaintext", fontsize="9")
                graph.edge(f"n{number[id(t)]}_{i}", f"op{number[id(t)]}", tooltip=f"{parent.dtype}")
            elif id(parent) in number:
                graph.edge(f"t{number[id(parent)]}", f"op{number[id(t)]}", tooltip=_shape(parent))
            else:
                hidden += 1
                graph.edge("more", f"op{number[id(t)]}", style="dashed")
    if hidden:
        missing = len(everything) - len(tensors)
        graph.node("more", f"… {missing} more tensors (max_nodes={max_nodes})", shape="note", style="dashed")
    return graph


def course_names(model, root):
    """The course's names for the tensors of `model`'s graph up to `root`, {id: name}, and each
    parameter's dotted name for the code, {id: "0.weight"}: `course_letters` (W1, B1, Z1, A1 …)
    over the model's parameters, which keep their dotted names where no linear op uses them."""
    dotted = {id(p): name for name, p in model.named_parameters()}
    return {**dotted, **course_letters(reversed(backward_order(root)), dotted)}, dotted


def shown_name(t, root, names):
    """The name a tensor goes by on screen and in formulas: a number by its value (`loss / 2`
    reads `/ 2`, not the div rule's B), else as `name_of` says."""
    return summary(t.data) if is_number(t) else name_of(t, t is root, names)


def op_formula(t, root, names):
    """The rule of the op that made t, in the names of the tensors on screen; inputs that get
    no gradient (X, a number) lose their backward rule."""
    return rule_of(t, lambda tensor: shown_name(tensor, root, names))


def name_of(t, is_root, names):
    """The name a tensor is shown by: from `names` (a model's dotted names), its own, or for
    the root "loss"/"output"; None for an unnamed tensor."""
    if id(t) in names:
        return names[id(t)]
    if t.name:
        return t.name
    if is_root:
        return "loss" if t.size == 1 else "output"
    return None


def _role(t, is_root, names):
    name = name_of(t, is_root, names)
    if name is not None:
        return name
    if t.op is not None:
        return ""
    if t.requires_grad:
        return "parameter"
    return "constant" if t.size == 1 else "input"


def _tensor_label(t, is_root, names, beside, show_data, show_grad):
    rows = []
    role = _role(t, is_root, names)
    if role:
        also = f" ({beside[id(t)]})" if beside.get(id(t), role) != role else ""
        rows.append(f"<b>{html.escape(role)}</b>{html.escape(also)}{' (root)' if is_root else ''}")
    rows.append(f"{_shape(t)} {t.dtype}")
    if show_data:
        rows.append(html.escape(summary(t.data)))
    if show_grad and t.grad is not None:
        rows.append(f'<font color="#b00000">grad {html.escape(summary(t.grad))}</font>')
    return "<" + "<br/>".join(rows) + ">"


def _tensor_style(t, is_root, highlighted):
    style = {"style": "filled,rounded"}
    if t.op is None and t.requires_grad:
        style["fillcolor"] = "#cfe3ff"                     # a parameter
    elif t.op is None:
        style["fillcolor"] = "#eeeeee"                     # an input or constant
    else:
        style["fillcolor"] = "white"
    if is_root:
        style["peripheries"] = "2"
    if highlighted:
        style.update(color="#d00000", penwidth="2.5")
    return style


def draw_module(model, example_input, rankdir="TB", **options):
    """Run `model` on `example_input` and draw the graph, top to bottom so that a chain of
    layers fits a page's width: tensors in the course's names (W1, B1, Z1, A1 …, each parameter
    with its dotted name `0.weight` beside), each sub-module's ops in a labelled cluster
    (`0: Linear(784→64)`)."""
    calls = []
    modules = [(name, m) for name, m in model.named_modules() if name]

    def recording(name, module, forward):
        def forward_and_record(*args, **kwargs):
            out = forward(*args, **kwargs)
            calls.append((name, module, args, out))
            return out
        return forward_and_record

    for name, module in modules:
        module.forward = recording(name, module, module.forward)
    try:
        with retain_grads():
            out = model(example_input)
    finally:
        for _, module in modules:
            del module.forward
    clusters, claimed = {}, set()
    for name, module, args, result in calls:       # inner modules finish first, so they claim first
        extra = module.extra_repr()
        label = f"{name}: {type(module).__name__}({extra})"
        inputs = {id(a) for a in args}
        members = set()
        stack = [result]
        while stack:
            t = stack.pop()
            if id(t) in inputs or t.op is None or id(t) in members:
                continue
            members.add(id(t))
            stack.extend(t.parents)
        members |= {id(p) for p in module._parameters.values()}
        members -= claimed
        claimed |= members
        if members:
            clusters.setdefault(label, set()).update(members)
    return draw_graph(out, model=model, clusters=clusters, rankdir=rankdir, **options)


def backward_steps(root, out_dir, format="svg", **options):
    """Page through backprop: write one drawing per step of root's backward pass.

    Step 0 is the forward graph. Step k shows the gradients known after the k-th op's
    backward has run: that op in red, and in red the inputs whose gradient it completed. This runs
    root.backward() (gradients accumulate in the leaves as usual). Returns the paths.
    """
    order = backward_order(root)
    for t in order:
        t.retain_grad()
    root.backward(retain_graph=True)
    tensors = collect(root)
    final = {id(t): t.grad for t in tensors if t.requires_grad}
    remaining = {}          # how many ops still have to pass a gradient back to each tensor
    for t in order:
        for parent in t.parents:
            remaining[id(parent)] = remaining.get(id(parent), 0) + 1
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    paths = []
    try:
        for t in tensors:
            t.grad = None
        for step in range(len(order) + 1):
            highlight, active = (), None
            if step:
                node = order[step - 1]
                if step == 1:
                    node.grad = final[id(node)]
                for parent in node.parents:
                    remaining[id(parent)] -= 1
                    if remaining[id(parent)] == 0 and id(parent) in final:
                        parent.grad = final[id(parent)]
                active = node
                highlight = tuple(p for p in node.parents if p.grad is not None)
            graph = draw_graph(root, highlight=highlight, active=active, **options)
            if step:
                caption = (f"backward step {step} of {len(order)}: {active.op} turns dZ of its output into the "
                           f"gradients of its inputs (red: complete now)")
            else:
                caption = f"backward step 0 of {len(order)}: the forward graph, before any gradient"
            graph.attr(label=caption, labelloc="t")
            add_legend(graph)
            path = os.path.join(out_dir, f"step_{step:02d}")
            paths.append(graph.render(path, format=format, cleanup=True))
    finally:
        for t in tensors:
            if id(t) in final:
                t.grad = final[id(t)]
    return paths


LEGEND = [("#cfe3ff", "parameter (a leaf that requires grad)"), ("#eeeeee", "input or constant"),
          ("white", "tensor an op made (double border: the root)"), ("#fff3c4", "op, with its rule"),
          ("#ffb0b0", "the op of this step"), ("#d00000", "red text or border: a gradient")]


def add_legend(graph):
    """A key to the colours, as one table drawn at the side of the graph."""
    rows = "".join(f'<tr><td bgcolor="{colour}" width="14"></td><td align="left">{html.escape(text)}</td></tr>'
                   for colour, text in LEGEND)
    graph.node("legend", f'<<table border="0" cellborder="1" cellspacing="0">{rows}</table>>', shape="plaintext",
               fontsize="9")


def _repr_svg_(tensor):
    """Notebooks show a tensor as the drawing of the graph that made it."""
    return draw_graph(tensor).pipe(format="svg", encoding="utf-8")


Tensor._repr_svg_ = _repr_svg_
