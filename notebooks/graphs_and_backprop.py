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
# # Computation graphs and backprop · 计算图与反向传播
#
# Every op on tensors that require grad is recorded on a tape; `backward()` reads the tape
# backwards, handing each op its dZ. This notebook draws that for the course's XOR net
# (2-2-1, 10.3), steps through it, and builds an op of our own.

# %%
import numpy as np

import tinygrad_edu.functional as F
from tinygrad_edu import Function, Tensor, backward_order, gradcheck, viz

X = np.array([[0., 0.], [0., 1.], [1., 0.], [1., 1.]])        # the course's XOR data
Y = np.array([[0.], [1.], [1.], [0.]])
rng = np.random.default_rng(0)
W1 = Tensor(rng.uniform(-1, 1, (2, 2)), requires_grad=True, name="W1")
B1 = Tensor(np.zeros((1, 2)), requires_grad=True, name="B1")
W2 = Tensor(rng.uniform(-1, 1, (2, 1)), requires_grad=True, name="W2")
B2 = Tensor(np.zeros((1, 1)), requires_grad=True, name="B2")



def forward():
    """The course's forward pass, each tensor named as the course names it; returns Z1, A1, Z2, loss."""
    Z1 = F.linear(Tensor(X, name="X"), W1, B1)
    Z1.name = "Z1"
    A1 = F.sigmoid(Z1)
    A1.name = "A1"
    Z2 = F.linear(A1, W2, B2)
    Z2.name = "Z2"
    return Z1, A1, Z2, F.binary_cross_entropy_with_logits(Z2, Y)     # Logistic + BCE: one node, dZ2 = (A2 − Y)/m


Z1, A1, Z2, loss = forward()

# %% [markdown]
# ## The forward graph · 前向计算图

# %%
viz.draw_graph(loss, rankdir="TB")

# %% [markdown]
# ## The tape read backwards · 反向传播的顺序
#
# `backward_order(loss)` is the order backward runs the ops in: newest first.

# %%
print([t.name or t.op for t in backward_order(loss)])
loss.backward()
print("dW2 =", W2.grad.ravel(), " dB1 =", B1.grad.ravel())

# %% [markdown]
# The course's backward, written out by hand (10.2): dZ2 = (A2 − Y)/m, dW2 = A1ᵀ·dZ2,
# dZ1 = dZ2·W2ᵀ ⊙ A1 ⊙ (1 − A1), dW1 = Xᵀ·dZ1. The engine's gradients are these, to the bit
# or the last digit.

# %%
A2 = 1 / (1 + np.exp(-Z2.data))
dZ2 = (A2 - Y) / len(X)
dW2 = A1.data.T @ dZ2
dZ1 = dZ2 @ W2.data.T * A1.data * (1 - A1.data)
print("by hand equals the engine:", np.allclose(dW2, W2.grad), np.allclose(X.T @ dZ1, W1.grad))

# %% [markdown]
# ## The graph after backward · 反向传播之后
#
# Every box now carries its gradient in red.

# %%
viz.draw_graph(loss, rankdir="TB")

# %% [markdown]
# ## Step through it · 逐步查看
#
# Click in the page, then ← and →: first the forward pass, op by op, then backprop in the
# engine's order; the panel shows each rule in these names and the arrays going in and out.

# %%
for parameter in (W1, B1, W2, B2):
    parameter.zero_grad()
viz.explore(forward()[-1], title="XOR, 2-2-1 (10.3)")

# %% [markdown]
# ## An op of our own · 自定义算子
#
# Forward, backward and the formula side by side, as every op of the library is written;
# `gradcheck` then tells whether the backward is right.

# %%
class Cube(Function):
    formula = "Z = A³ · dA = 3·dZ ⊙ A²"

    def forward(ctx, a):
        ctx.save_for_backward(a)
        return a ** 3

    def backward(ctx, dz):
        a, = ctx.saved_tensors
        return 3 * dz * a ** 2


x = Tensor([[0.5, -1.0, 2.0]], requires_grad=True, name="x")
print("gradcheck:", gradcheck(Cube.apply, x))
viz.draw_graph(Cube.apply(x).sum())
