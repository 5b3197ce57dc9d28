"""Graph drawing through the real `dot`: labels, formulas, clusters, limits, backward steps, errors."""
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

import tinygrad_edu.functional as F
from tinygrad_edu import Function, Tensor, nn, viz
from tinygrad_edu.__main__ import main as cli

SVG = "{http://www.w3.org/2000/svg}"


def xor_loss():
    rng = np.random.default_rng(0)
    W1 = Tensor(rng.normal(size=(2, 2)), requires_grad=True, name="W1")
    B1 = Tensor(np.zeros((1, 2)), requires_grad=True, name="B1")
    W2 = Tensor(rng.normal(size=(2, 1)), requires_grad=True, name="W2")
    B2 = Tensor(np.zeros((1, 1)), requires_grad=True, name="B2")
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    A1 = F.sigmoid(F.linear(X, W1, B1))
    return F.binary_cross_entropy_with_logits(F.linear(A1, W2, B2), np.array([[0.0], [1.0], [1.0], [0.0]]))


def svg_nodes(graph):
    """The <g class="node"> elements of the SVG that `dot` makes, parsed as XML."""
    root = ET.fromstring(graph.pipe(format="svg"))
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == "node"]


def test_dot_source_names_ops_shapes_formulas_and_parameters():
    source = viz.draw_graph(xor_loss()).source
    # Each rule in the names of the tensors drawn (unnamed ones keep their letters), as the backprop
    # page writes it; X gets no gradient, so it has no rule.
    for text in ("linear", "sigmoid", "binary_cross_entropy_with_logits", "loss = −mean", "dZ = (A − Y)/m",
                 "A = σ(Z) · dZ = dA ⊙ A ⊙ (1 − A)", "Z = X·W1 + B1 · dW1 = Xᵀ·dZ, dB1 = Σ_rows dZ",
                 "Z = X·W2 + B2 · dX = dZ·W2ᵀ, dW2 = Xᵀ·dZ, dB2 = Σ_rows dZ",
                 "<b>W1</b>", "<b>B2</b>", "2×2 float64", "4×1 float64", "<b>loss</b> (root)", "peripheries=2"):
        assert text in source, text
    assert "dZ = " not in viz.draw_graph(xor_loss(), formulas=False).source
    assert "min" not in viz.draw_graph(xor_loss(), show_data=False).source


def test_svg_has_one_node_per_tensor_and_op():
    # XOR: X, W1, B1, Z1, A1, W2, B2, Z2, loss = 9 tensors; linear, sigmoid, linear, loss = 4 ops.
    nodes = svg_nodes(viz.draw_graph(xor_loss()))
    assert len(nodes) == 13


def test_gradients_appear_only_after_backward():
    loss = xor_loss()
    assert "grad" not in viz.draw_graph(loss).source
    loss.backward()
    source = viz.draw_graph(loss).source
    assert source.count(">grad ") == 4          # the four parameters (intermediates keep no grad)
    assert "grad" not in viz.draw_graph(loss, show_grad=False).source


def test_max_nodes_collapses_a_10000_op_graph():
    x = Tensor(1.0, requires_grad=True)
    y = x
    for _ in range(10_000):
        y = y * 1.0001
    graph = viz.draw_graph(y, max_nodes=50)
    # x and the 10,000 products; the number 1.0001 is drawn beside each op that uses it, and
    # every node counts: 16 products nearest the root, their 16 ops, 16 drawings of 1.0001
    # and the summary node make 49; a 17th product would need 3 more.
    assert "… 9985 more tensors (max_nodes=50)" in graph.source
    nodes = svg_nodes(graph)
    assert len(nodes) == 16 * 3 + 1 <= 50
    assert len(svg_nodes(viz.draw_graph(y))) <= 500                  # the default cap holds the same way


def test_draw_module_names_parameters_and_clusters_layers():
    model = nn.Sequential(nn.Linear(784, 64, seed=0), nn.Sigmoid(), nn.Linear(64, 16, seed=1), nn.Tanh(),
                          nn.Linear(16, 10, seed=2))
    source = viz.draw_module(model, np.random.default_rng(0).random((3, 784))).source
    for name, dotted in (("W1", "0.weight"), ("B1", "0.bias"), ("W2", "2.weight"), ("B3", "4.bias")):
        assert f"<b>{name}</b> ({dotted})" in source
    assert "Z2 = A1·W2 + B2 · dA1 = dZ2·W2ᵀ, dW2 = A1ᵀ·dZ2, dB2 = Σ_rows dZ2" in source
    for label in ("0: Linear(784→64)", "1: Sigmoid()", "2: Linear(64→16)", "3: Tanh()", "4: Linear(16→10)"):
        assert f'label="{label}"' in source
    assert source.count("subgraph cluster_") == 5
    assert "forward" not in vars(model[0])          # the recording wrappers are gone


def test_numbers_are_drawn_beside_each_op_that_uses_them():
    x = Tensor([1.0, 2.0], requires_grad=True, name="x")
    y = (x * 2.0 + 1.0) * 2.0              # the two 2.0 are one shared constant tensor
    source = viz.draw_graph(y).source
    assert source.count('[label=2 fontsize=9 shape=plaintext]') == 2
    assert source.count('[label=1 fontsize=9 shape=plaintext]') == 1


def test_a_custom_function_is_drawn_with_its_formula():
    class Square(Function):
        formula = "dA = 2·dZ ⊙ A"

        def forward(ctx, a):
            ctx.save_for_backward(a)
            return a * a

        def backward(ctx, dz):
            return 2 * dz * ctx.saved_tensors[0]

    source = viz.draw_graph(Square.apply(Tensor([1.0], requires_grad=True))).source
    assert "<b>square</b>" in source and "dA = 2·dZ ⊙ A" in source


def test_render_svg_and_png(tmp_path):
    graph = viz.draw_graph(xor_loss())
    svg = graph.render(tmp_path / "xor", format="svg", cleanup=True)
    ET.parse(svg)
    png = graph.render(tmp_path / "xor", format="png", cleanup=True)
    assert Path(png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert xor_loss()._repr_svg_().lstrip().startswith("<?xml")


def test_missing_dot_says_how_to_install_it_and_the_source_still_saves(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    graph = viz.draw_graph(xor_loss())
    with pytest.raises(viz.DotNotFoundError, match="apt-get install graphviz"):
        graph.render(tmp_path / "xor", format="svg")
    with pytest.raises(viz.DotNotFoundError, match="brew install graphviz"):
        graph.pipe(format="svg")
    saved = graph.save(tmp_path / "xor.dot")
    assert "digraph computation" in Path(saved).read_text(encoding="utf-8")


def test_backward_steps_page_through_backprop(tmp_path):
    loss = xor_loss()
    paths = viz.backward_steps(loss, tmp_path / "steps")
    assert len(paths) == 5                           # the forward graph + one step per op
    first, last = (Path(p).read_text(encoding="utf-8") for p in (paths[0], paths[-1]))
    assert "grad " not in first and "backward step 0 of 4: the forward graph, before any gradient" in first
    assert "parameter (a leaf that requires grad)" in first                         # every frame has the legend
    assert "backward step 4 of 4: linear turns dZ of its output" in last and last.count("grad ") >= 8
    assert "#ffb0b0" in Path(paths[2]).read_text(encoding="utf-8")      # the active op is red
    reference = xor_loss()
    reference.backward()
    leaves = [t for t in viz.collect(loss) if t.op is None and t.requires_grad]
    expected = [t for t in viz.collect(reference) if t.op is None and t.requires_grad]
    for got, want in zip(leaves, expected):
        assert np.allclose(got.grad, want.grad), got.name


def test_cli_graph_xor_writes_before_after_and_steps(tmp_path, capsys):
    assert cli(["graph", "xor", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "xor_forward.svg").exists() and (tmp_path / "xor_backward.svg").exists()
    assert len(list((tmp_path / "xor_steps").glob("step_*.svg"))) == 5
    after = (tmp_path / "xor_backward.svg").read_text(encoding="utf-8")
    assert "grad" in after and "grad" not in (tmp_path / "xor_forward.svg").read_text(encoding="utf-8")


def test_the_1_3_1_net_is_drawn_in_the_courses_names_and_fits_a_page():
    model = nn.Sequential(nn.Linear(1, 3, seed=0), nn.Sigmoid(), nn.Linear(3, 1, seed=1))
    graph = viz.draw_module(model, np.linspace(0, 1, 5).reshape(-1, 1))
    for label in ("<b>X</b>", "<b>W1</b> (0.weight)", "<b>B1</b> (0.bias)", "<b>Z1</b>", "<b>A1</b>",
                  "<b>W2</b> (2.weight)", "<b>Z2</b> (root)", "Z1 = X·W1 + B1<br/>dW1 = Xᵀ·dZ1, dB1 = Σ_rows dZ1"):
        assert label in graph.source, label
    svg = ET.fromstring(graph.pipe(format="svg"))
    assert float(svg.get("width").removesuffix("pt")) <= 800          # it drew 3000 px wide left to right


def test_draw_graph_of_a_model_uses_the_same_names_as_draw_module():
    model = nn.Sequential(nn.Linear(2, 2, seed=0), nn.Tanh(), nn.Linear(2, 1, seed=1))
    loss = F.half_mse_loss(model(np.ones((3, 2))), np.zeros((3, 1)))
    source = viz.draw_graph(loss, model=model).source
    assert "<b>A1</b>" in source and "<b>W2</b> (2.weight)" in source and "A1 = tanh(Z1)" in source
