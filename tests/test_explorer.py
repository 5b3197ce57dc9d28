"""viz.explore: the page's data against the engine, and the page itself driven in headless Chromium."""
import json
import re

import numpy as np
import pytest

import tinygrad_edu.functional as F
from tinygrad_edu import Tensor, backward_order, nn, viz
from tinygrad_edu.examples.graphs import explore_mnist, explore_sine, xor_loss
from tinygrad_edu.formulas import named_formula

STEPS_JSON = re.compile(r'<script type="application/json" id="tinygrad-edu-steps">(.*?)</script>', re.S)


def page_data(page_html):
    return json.loads(STEPS_JSON.search(page_html).group(1).replace("<\\/", "</"))


def xor_page(tmp_path):
    loss = xor_loss()
    tensors = {t.name: t for t in viz.collect(loss) if t.name}
    page = viz.explore(loss)
    return loss, tensors, page, page.save(tmp_path / "xor.html")


# ---- the data behind the page -----------------------------------------------------------------
def test_the_steps_are_the_recording_order_then_backward_order(tmp_path):
    loss, tensors, page, _ = xor_page(tmp_path)
    data = page_data(page.html())
    order = backward_order(loss)
    ops = [step["op"] for step in data["steps"]]
    assert ops == [t.op for t in reversed(order)] + [t.op for t in order]
    assert [s["phase"] for s in data["steps"]] == ["forward"] * len(order) + ["backward"] * len(order)
    forward, backward = data["steps"][:len(order)], data["steps"][len(order):]
    assert [s["output"] for s in backward] == [s["output"] for s in forward][::-1]
    by_name = {entry["name"]: entry for entry in data["tensors"].values() if entry["name"]}
    for name in ("W1", "B1", "W2", "B2"):                  # the gradients the engine computed
        assert np.array_equal(np.array(by_name[name]["grad"]), tensors[name].grad)
        assert np.array_equal(np.array(by_name[name]["value"]), tensors[name].data)
    assert by_name["loss"]["value"] == loss.item() and by_name["loss"]["shape"] == []
    first = data["steps"][0]
    # X needs no gradient, so its rule dX = dZ1·W1ᵀ is left out, as in the course's backward.
    assert first["formula"] == "Z1 = X·W1 + B1 · dW1 = Xᵀ·dZ1, dB1 = Σ_rows dZ1"
    assert [data["tensors"][i]["name"] for i in first["inputs"]] == ["X", "W1", "B1"]


def test_large_arrays_are_a_summary_and_parameters_carry_the_courses_names():
    data = page_data(explore_mnist().html())
    entries = {entry["name"]: entry for entry in data["tensors"].values() if entry["name"]}
    assert entries["X"]["value"] is None and entries["X"]["shape"] == [4, 784] and "mean" in entries["X"]["summary"]
    assert entries["W1"]["grad"] is None and entries["W1"]["grad_summary"].startswith("min")
    assert entries["W1"]["path"] == "0.weight" and entries["B3"]["path"] == "4.bias"     # the code's name beside
    assert entries["B3"]["grad"] is not None                     # 10 values: small enough to show
    assert "0: Linear(784→64)" in explore_mnist().svg
    formulas = [step["formula"] for step in data["steps"][:5]]            # the forward steps, in the course's names
    assert formulas == ["Z1 = X·W1 + B1 · dW1 = Xᵀ·dZ1, dB1 = Σ_rows dZ1",
                        "A1 = σ(Z1) · dZ1 = dA1 ⊙ A1 ⊙ (1 − A1)",
                        "Z2 = A1·W2 + B2 · dA1 = dZ2·W2ᵀ, dW2 = A1ᵀ·dZ2, dB2 = Σ_rows dZ2",
                        "A2 = tanh(Z2) · dZ2 = dA2 ⊙ (1 − A2²)",
                        "Z3 = A2·W3 + B3 · dA2 = dZ3·W3ᵀ, dW3 = A2ᵀ·dZ3, dB3 = Σ_rows dZ3"]


@pytest.mark.parametrize("formula, output, inputs, expected", [
    ("A = σ(Z) · dZ = dA ⊙ A ⊙ (1 − A)", "A1", ["Z1"], "A1 = σ(Z1) · dZ1 = dA1 ⊙ A1 ⊙ (1 − A1)"),
    ("Z = A ⊙ B · dA = dZ ⊙ B, dB = dZ ⊙ A", None, ["x", None], "Z = x ⊙ B · dx = dZ ⊙ B, dB = dZ ⊙ x"),
    ("A = softmax(Z), L = −mean Σ_j Y ln A · dZ = (A − Y)/m", "loss", ["Z3"],
     "A = softmax(Z3), loss = −mean Σ_j Y ln A · dZ3 = (A − Y)/m"),
    ("dA = 3·dZ ⊙ A²", None, [None], "dA = 3·dZ ⊙ A²"),
    ("Z = X·W + B · dX = dZ·Wᵀ, dW = Xᵀ·dZ", None, [None, "0.weight", "0.bias"],
     "Z = X·0.weight + 0.bias · dX = dZ·0.weightᵀ, d(0.weight) = Xᵀ·dZ"),
])
def test_formulas_name_the_tensors_on_screen(formula, output, inputs, expected):
    assert named_formula(formula, output, inputs) == expected


@pytest.mark.parametrize("formula, inputs, without, expected", [
    ("Z = A / B · dA = dZ / B, dB = −dZ ⊙ Z / B", ["L", "2"], [1], "Z = L / 2 · dL = dZ / 2"),
    ("Z = X·W + B · dX = dZ·Wᵀ, dW = Xᵀ·dZ, dB = Σ_rows dZ", ["X", "W1", "B1"], [0],
     "Z = X·W1 + B1 · dW1 = Xᵀ·dZ, dB1 = Σ_rows dZ"),
    ("Z = A ⊙ B · dA = dZ ⊙ B, dB = dZ ⊙ A", ["x", "y"], [], "Z = x ⊙ y · dx = dZ ⊙ y, dy = dZ ⊙ x"),
])
def test_rules_of_inputs_without_a_gradient_are_left_out(formula, inputs, without, expected):
    assert named_formula(formula, None, inputs, without=without) == expected


def test_a_loss_step_shows_its_target_and_a_number_is_named_by_its_value():
    W = Tensor([[0.5], [-1.0]], requires_grad=True, name="W")
    X, Y = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0], [0.0]])
    loss = F.mse_loss(Tensor(X, name="X") @ W, Y) / 2
    data = page_data(viz.explore(loss).html())
    mse = next(step for step in data["steps"] if step["op"] == "mse_loss")
    target = data["tensors"][mse["target"]]
    assert target["name"] == "Y" and target["role"] == "target" and target["value"] == Y.tolist()
    assert mse["formula"] == "L = mean (A − Y)² · dA = 2(A − Y)/m"
    half = next(step for step in data["steps"] if step["op"] == "div")
    assert half["formula"] == "loss = A / 2 · dA = dloss / 2"      # the divisor is 2, not B (the bias)

def test_max_nodes_caps_the_drawing_not_the_steps():
    x = Tensor(np.ones(3), requires_grad=True)
    y = x
    for _ in range(60):
        y = y * 1.5
    page = viz.explore(y.sum(), max_nodes=30)
    assert len(re.findall(r'<g id="[^"]*" class="node"', page.svg)) <= 30
    assert len(page_data(page.html())["steps"]) == 2 * 61


def test_a_notebook_shows_the_same_page():
    page = viz.explore(xor_loss())
    shown = page._repr_html_()
    assert shown.startswith("<iframe srcdoc=") and "tinygrad-edu-steps" in shown and "<script" not in shown


def test_explore_needs_a_graph():
    with pytest.raises(ValueError, match="not made by an op that records a gradient"):
        viz.explore(Tensor([1.0]))


# ---- the page in a real browser ---------------------------------------------------------------
def open_page(driver, path, step=None):
    driver.get(path.resolve().as_uri() + ("" if step is None else f"#step={step}"))
    driver.get_log("browser")                      # start each page with an empty console
    return driver


def shown_step(driver):
    return int(driver.execute_script("return document.body.dataset.step"))


def current_op(driver):
    return driver.execute_script("const g = document.querySelector('#graph g.current'); return g && g.id")


def test_the_address_opens_the_step_it_names(browser, tmp_path):
    _, _, page, path = xor_page(tmp_path)
    steps = page_data(page.html())["steps"]
    for step in (0, 3, len(steps) - 1):
        open_page(browser, path, step)
        assert shown_step(browser) == step
        assert current_op(browser) == "op" + steps[step]["output"][1:]
        assert browser.find_element("id", "where").text == f"step {step + 1} of {len(steps)}: " \
                                                            f"{steps[step]['phase']} · {steps[step]['op']}"


def test_the_right_arrow_walks_forward_then_backward_order(browser, tmp_path):
    loss, _, page, path = xor_page(tmp_path)
    steps = page_data(page.html())["steps"]
    open_page(browser, path)
    body = browser.find_element("tag name", "body")
    seen = [current_op(browser)]
    for _ in range(len(steps) - 1):
        body.send_keys("\ue014")                       # → (selenium's Keys.ARROW_RIGHT)
        seen.append(current_op(browser))
    assert seen == ["op" + s["output"][1:] for s in steps]
    assert shown_step(browser) == len(steps) - 1 and browser.current_url.endswith(f"#step={len(steps) - 1}")
    body.send_keys("\ue012")                           # ←
    assert shown_step(browser) == len(steps) - 2
    browser.find_element("id", "first").click()
    assert shown_step(browser) == 0 and browser.execute_script(
        "return document.querySelectorAll('#graph g.pending').length") > 0        # later tensors not made yet
    assert not browser.get_log("browser")


def test_the_last_step_shows_the_engines_gradients(browser, tmp_path):
    _, tensors, page, path = xor_page(tmp_path)
    steps = page_data(page.html())["steps"]
    open_page(browser, path, len(steps) - 1)
    data = page_data(page.html())
    shown = {}
    for table in browser.find_elements("css selector", "#panel table.array.grad"):
        name = data["tensors"][table.get_attribute("data-tensor")]["name"]
        rows = [[float(cell.text) for cell in row.find_elements("tag name", "td")]
                for row in table.find_elements("tag name", "tr")]
        shown[name] = np.array(rows)
    assert {"W1", "B1"} <= set(shown)
    for name in ("W1", "B1"):
        assert np.allclose(shown[name], tensors[name].grad, rtol=1e-5, atol=1e-12), name


def test_no_errors_and_no_requests_leave_the_page(browser, tmp_path):
    _, _, _, path = xor_page(tmp_path)
    browser.get_log("performance")
    open_page(browser, path, 2)
    browser.find_element("id", "fit").click()
    browser.find_element("id", "zoom-in").click()
    assert not [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
    requests = [json.loads(entry["message"])["message"] for entry in browser.get_log("performance")]
    urls = [m["params"]["request"]["url"] for m in requests if m["method"] == "Network.requestWillBeSent"]
    assert urls and all(url.startswith(("file:", "data:", "about:")) for url in urls), urls


def test_a_users_own_sequential_and_the_mnist_net_work_in_the_browser(browser, tmp_path):
    model = nn.Sequential(nn.Linear(3, 5, seed=0), nn.ReLU(), nn.Linear(5, 2, seed=1))
    loss = F.cross_entropy(model(Tensor(np.random.default_rng(0).random((6, 3)))), np.array([0, 1, 1, 0, 1, 0]))
    for page, name in ((viz.explore(loss, model=model), "own.html"), (explore_mnist(), "mnist.html"),
                       (explore_sine(), "sine.html")):
        path = page.save(tmp_path / name)
        steps = page_data(page.html())["steps"]
        open_page(browser, path, len(steps) - 1)
        assert shown_step(browser) == len(steps) - 1
        assert browser.find_element("id", "panel").text.startswith(f"step {len(steps)} of {len(steps)}")
        assert not browser.get_log("browser")
    assert '"path": "0.weight"' in viz.explore(F.cross_entropy(model(Tensor(np.ones((2, 3)))), np.array([0, 1])),
                                               model=model).html()
