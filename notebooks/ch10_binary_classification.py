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
# # 10 Nonlinear binary classification · 非线性二分类
#
# XOR, which no straight line separates, on the course's 2-2-1 net; then the double arc.
# The output layer gives the logit Z2 and the loss fuses the logistic with binary
# cross-entropy (`nn.BCEWithLogitsLoss`), so its backward is the course's dZ2 = A2 − Y.

# %%
import os

import matplotlib.pyplot as plt
import numpy as np

import tinygrad_edu.functional as F
from tinygrad_edu import Tensor, datasets, metrics, nn, no_grad, optim, viz
from tinygrad_edu.data import DataLoader, MinMaxScaler
from tinygrad_edu.train import EarlyStopping, fit

QUICK = os.environ.get("TINYGRAD_EDU_QUICK") == "1"      # the test suite runs every notebook this way
XOR_EPOCHS = 300 if QUICK else 10000                     # the course: at most 10000, stop at BCE 0.005
ARC_EPOCHS = 100 if QUICK else 10000                     # the course: at most 10000, stop at BCE 0.08

# %% [markdown]
# ## 10.1 Why two layers · 为什么必须用双层神经网络
#
# One logistic unit draws one straight line: whatever it learns, it gets at most three of
# the four XOR points right (the course proves it from the four inequalities).

# %%
X, Y = datasets.xor()
unit = nn.Linear(2, 1, seed=0)
fit(unit, nn.BCEWithLogitsLoss(), optim.SGD(unit.parameters(), lr=0.5), DataLoader(X, Y, batch_size=4),
    epochs=200 if QUICK else 2000, progress=False)
with no_grad():
    one_unit = metrics.accuracy(Y, nn.BCEWithLogitsLoss.labels(unit(X).data))
print(f"course: one unit cannot get all four · ours: {one_unit:.2f} of the points right")

# %% [markdown]
# ## 10.3 XOR on a 2-2-1 net · 实现逻辑异或门
#
# The course: η 0.1, one sample per step, train = validation = the four points, a check
# every 100 epochs, stop at BCE ≤ 0.005.

# %%
xor_net = nn.Sequential(nn.Linear(2, 2, seed=0), nn.Sigmoid(), nn.Linear(2, 1, seed=1))
history = fit(xor_net, nn.BCEWithLogitsLoss(), optim.SGD(xor_net.parameters(), lr=0.1),
              DataLoader(X, Y, batch_size=1, seed=0), epochs=XOR_EPOCHS, val_data=(X, Y),
              metrics={"accuracy": metrics.accuracy}, check_every=(20 if QUICK else 100) * 4,
              early_stopping=EarlyStopping(eps=0.005), progress=False)
with no_grad():
    A2 = F.sigmoid(xor_net(X)).data.ravel()
print(f"course: stops at epoch 5899, A2 = 0.0042, 0.9946, 0.9946, 0.0047 · ours: {history!r}, A2 = {np.round(A2, 4)}")
history.plot(title="XOR, 2-2-1")

# %% [markdown]
# The accuracy in the history is of class labels: `fit` reads a label from each logit as
# the loss implies (Z2 > 0), never compares the raw logits with the labels.

# %%
viz.draw_module(xor_net, X)

# %%
viz.explore(nn.BCEWithLogitsLoss()(xor_net(Tensor(X, name="X")), Y), model=xor_net, title="XOR after training")

# %% [markdown]
# ## 10.5 The double arc · 双弧形
#
# The course: 2-2-1, η 0.1, batch 5, 40 validation samples, a check every 5 epochs, stop at
# BCE ≤ 0.08; X scaled to [0, 1].

# %%
(X, Y), (X_test, Y_test) = datasets.arc(seed=0)
scaler = MinMaxScaler().fit(X[40:])
X, X_test = scaler.transform(X), scaler.transform(X_test)
arc_net = nn.Sequential(nn.Linear(2, 2, seed=0), nn.Sigmoid(), nn.Linear(2, 1, seed=1))
loader = DataLoader(X[40:], Y[40:], batch_size=5, seed=0)
history = fit(arc_net, nn.BCEWithLogitsLoss(), optim.SGD(arc_net.parameters(), lr=0.1), loader,
              epochs=ARC_EPOCHS, val_data=(X[:40], Y[:40]), metrics={"accuracy": metrics.accuracy},
              check_every=5 * len(loader), early_stopping=EarlyStopping(eps=0.08), progress=False)
with no_grad():
    test_accuracy = metrics.accuracy(Y_test, nn.BCEWithLogitsLoss.labels(arc_net(X_test).data))
print(f"course: stops at epoch 259, test accuracy 1.0 · ours: {history!r}, test accuracy {test_accuracy:.2f}")
history.plot(title="double arc, 2-2-1")

# %%
u, v = np.meshgrid(np.linspace(0, 1, 80), np.linspace(0, 1, 80))
with no_grad():
    p = F.sigmoid(arc_net(np.stack([u.ravel(), v.ravel()], axis=1))).data.reshape(u.shape)
plt.contourf(u, v, p, levels=20, cmap="coolwarm", alpha=0.6)
plt.contour(u, v, p, levels=[0.5], colors="k")
plt.scatter(*X_test.T, c=Y_test.ravel(), cmap="coolwarm", edgecolors="k", s=15)
plt.title("P(upper arc) and the test points")
plt.show()
