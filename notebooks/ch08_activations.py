# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: -all
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 8.0 Activation functions · 激活函数
#
# Without a nonlinearity, a stack of layers is one matrix product. The course's three
# activations bend it: Sigmoid `A = 1/(1 + e^−Z)`, Tanh and ReLU. Each is **one node** in
# tinygrad_edu with its closed-form backward, and here we check those closed forms three
# ways: against the course's formulas, by drawing the graph, and with `gradcheck`.

# %%
import os

import matplotlib.pyplot as plt
import numpy as np

import tinygrad_edu.functional as F
from tinygrad_edu import Tensor, datasets, gradcheck, metrics, nn, no_grad, optim, viz
from tinygrad_edu.data import DataLoader
from tinygrad_edu.train import fit

QUICK = os.environ.get("TINYGRAD_EDU_QUICK") == "1"      # the test suite runs every notebook this way

# %% [markdown]
# ## Each activation and its derivative, from backward · 激活函数及其导数
#
# `backward()` of `A.sum()` puts dA/dZ into `Z.grad`, one element at a time. The course's
# closed forms: σ′ = A(1 − A), tanh′ = 1 − A², ReLU′ = 1[Z > 0].

# %%
z = np.linspace(-6, 6, 241)
closed_forms = {"sigmoid": lambda a: a * (1 - a), "tanh": lambda a: 1 - a ** 2, "relu": lambda a: (z > 0) * 1.0}
figure, axes = plt.subplots(1, 3, figsize=(13, 3.4))
slopes = {}
for ax, (name, closed_form) in zip(axes, closed_forms.items()):
    Z = Tensor(z, requires_grad=True)
    A = getattr(F, name)(Z)
    A.sum().backward()
    assert np.allclose(Z.grad, closed_form(A.data))              # backward is the course's formula
    slopes[name] = Z.grad
    ax.plot(z, A.data, label=f"A = {name}(Z)")
    ax.plot(z, Z.grad, "--", label="dA/dZ from backward")
    ax.set(title=name, xlabel="Z")
    ax.legend(fontsize=8)
figure.tight_layout()
plt.show()

# %% [markdown]
# The course says σ′ is at most 0.25 (at Z = 0) while tanh′ reaches 1 there: tanh passes
# four times more gradient back (12.1 uses it in the second layer for that reason).

# %%
print(f"course: max σ′ = 0.25, max tanh′ = 1 · ours, measured by backward: max σ′ = {slopes['sigmoid'].max():.4f}, "
      f"max tanh′ = {slopes['tanh'].max():.4f}")

# %% [markdown]
# ## The graph of one activation · 计算图
#
# A tensor shows as the graph that made it; after `backward()` each box carries its
# gradient (red) and the op carries its rule.

# %%
Z = Tensor([[-2.0, 0.0, 2.0]], requires_grad=True, name="Z")
A = F.sigmoid(Z)
A.name = "A"
loss = (A * A).sum()
loss.backward()
viz.draw_graph(loss, rankdir="TB")

# %% [markdown]
# ## Step through its backprop · 逐步查看反向传播
#
# The same graph as a page: ← and → step through the forward pass, then backprop.

# %%
Z = Tensor([[-2.0, 0.0, 2.0]], requires_grad=True, name="Z")
viz.explore((F.tanh(Z) * F.tanh(Z)).sum(), title="tanh, squared and summed")

# %% [markdown]
# ## Why a net needs them · 为什么需要激活函数
#
# Two 1-3-1 nets on the course's sine, one with the sigmoid between its layers and one
# without. Without it, Z2 = (X·W1 + B1)·W2 + B2 is one straight line, whatever training does.

# %%
(X, Y), (X_test, Y_test) = datasets.sin_curve(seed=0)
for name, middle in (("sigmoid", [nn.Sigmoid()]), ("no activation", [])):
    net = nn.Sequential(nn.Linear(1, 3, seed=0), *middle, nn.Linear(3, 1, seed=1))
    history = fit(net, nn.HalfMSELoss(), optim.SGD(net.parameters(), lr=0.5), DataLoader(X, Y, batch_size=10, seed=0),
                  epochs=100 if QUICK else 1000, val_data=(X_test, Y_test), progress=False)
    with no_grad():
        print(f"{name:14s} test R² {metrics.r2_score(Y_test, net(X_test).data):.3f}")
history.plot(title="1-3-1 without an activation: a straight line's loss")

# %% [markdown]
# ## Checked against finite differences · 梯度检查
#
# `gradcheck` compares backward with central differences for every element, far from
# zero too (the stable forms never overflow).

# %%
for name in ("sigmoid", "tanh", "relu", "softmax"):
    Z = Tensor(np.array([[-30.0, -1.5, 0.3, 4.0, 25.0]]), requires_grad=True)
    print(name, gradcheck(getattr(F, name), Z))
