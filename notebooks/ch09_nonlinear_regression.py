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
# # 9 Nonlinear regression · 非线性回归
#
# A 1-2-1 net fits a sine, a 1-3-1 net the course's harder "cobra" curve, each built
# imperatively, trained on the course's loss (half-MSE, `nn.HalfMSELoss`) with its learning
# rate, and measured with its metrics. The course's own results stand beside ours.

# %%
import os

import matplotlib.pyplot as plt
import numpy as np

from tinygrad_edu import Tensor, datasets, metrics, nn, no_grad, optim, tuning, viz
from tinygrad_edu.data import DataLoader
from tinygrad_edu.train import EarlyStopping, fit

QUICK = os.environ.get("TINYGRAD_EDU_QUICK") == "1"      # the test suite runs every notebook this way
SINE_EPOCHS = 300 if QUICK else 5000                     # the course: 5000
CURVE_EPOCHS = 200 if QUICK else 10000                   # the course: at most 10000, stop at half-MSE 0.001

# %% [markdown]
# ## 9.0.3 Regression metrics · 回归模型的评估标准
#
# MAE, MSE, RMSE and R² = 1 − MSE/Var(y) on a made-up prediction; MAPE divides by y, so it
# is refused where y crosses 0 (as both course curves do).

# %%
y = np.array([0.5, -0.2, 0.9, 0.1])
a = np.array([0.4, -0.1, 1.0, 0.3])
print({name: round(getattr(metrics, name)(y, a), 4) for name in ("mae", "sse", "mse", "rmse", "r2_score")})

# %% [markdown]
# ## 9.3–9.5.1 Train, validation, test; a 1-2-1 net fits the sine · 训练集、验证集、测试集；拟合正弦曲线
#
# The course's split: the first 50 of the 500 training rows validate (the data are already
# random); the test set is a noise-free grid. X → Z1 = X·W1 + B1 → A1 = σ(Z1) → Z2 = A1·W2 + B2.

# %%
(X, Y), (X_test, Y_test) = datasets.sin_curve(seed=0)
(X_val, Y_val), (X_train, Y_train) = (X[:50], Y[:50]), (X[50:], Y[50:])
sine_net = nn.Sequential(nn.Linear(1, 2, seed=0), nn.Sigmoid(), nn.Linear(2, 1, seed=1))
history = fit(sine_net, nn.HalfMSELoss(), optim.SGD(sine_net.parameters(), lr=0.05),    # the course's η
              DataLoader(X_train, Y_train, batch_size=10, seed=0), epochs=SINE_EPOCHS,
              val_data=(X_val, Y_val), metrics={"r2": metrics.r2_score}, progress=False)
history

# %%
history.plot(title="1-2-1 on the sine: half-MSE and R², train vs validation")

# %%
with no_grad():
    sine_r2 = metrics.r2_score(Y_test, sine_net(X_test).data)
print(f"course (5000 epochs): test R² 0.988 · ours ({SINE_EPOCHS} epochs): {sine_r2:.3f}")
grid = np.linspace(0, 1, 100).reshape(-1, 1)
with no_grad():
    plt.plot(grid, sine_net(grid).data, "r", label="the net")
plt.scatter(X_train, Y_train, s=4, alpha=0.4, label="training data")
plt.legend()
plt.show()

# %% [markdown]
# ## The net's graph, and its backprop step by step · 计算图与逐步反向传播
#
# Drawn in the course's letters: W1, B1 (the code's `0.weight`, `0.bias` beside), Z1, A1, Z2.

# %%
viz.draw_module(sine_net, X_train[:8])

# %%
viz.explore(nn.HalfMSELoss()(sine_net(Tensor(X_train[:8], name="X")), Y_train[:8]), model=sine_net,
            title="1-2-1 on eight points: half-MSE")

# %% [markdown]
# ## 9.6 How the fit works · 非线性回归的工作原理
#
# Each hidden unit is a line z1 = w1·x + b1 bent by the sigmoid; the output adds the two
# S-curves, each scaled by its weight w2, plus b2. The course finds the two output weights
# of opposite sign: one S-curve rises, the other falls, and their sum is the sine.

# %%
with no_grad():
    A1 = sine_net[1](sine_net[0](grid)).data
w2, b2 = sine_net[2].weight.data.ravel(), sine_net[2].bias.data[0]
for j in range(2):
    plt.plot(grid, A1[:, j] * w2[j], label=f"a1_{j + 1} · w2_{j + 1}  (w2_{j + 1} = {w2[j]:.2f})")
plt.plot(grid, A1 @ w2 + b2, "k", label="their sum + b2")
plt.legend(fontsize=8)
plt.show()
print(f"course: output weights of opposite sign · ours: w2 = {np.round(w2, 2)}")

# %% [markdown]
# ## 9.5.2 A 1-3-1 net on the cobra curve · 拟合复杂曲线
#
# The course: η 0.5, batch 10, the first 100 rows validate, a check every 50 epochs, and a
# stop once the validation half-MSE is ≤ 0.001.

# %%
(X, Y), (X_test, Y_test) = datasets.complex_curve(seed=0)
curve_net = nn.Sequential(nn.Linear(1, 3, seed=0), nn.Sigmoid(), nn.Linear(3, 1, seed=1))
loader = DataLoader(X[100:], Y[100:], batch_size=10, seed=0)
history = fit(curve_net, nn.HalfMSELoss(), optim.SGD(curve_net.parameters(), lr=0.5), loader,
              epochs=CURVE_EPOCHS, val_data=(X[:100], Y[:100]), check_every=(10 if QUICK else 50) * len(loader),
              early_stopping=EarlyStopping(eps=0.001), progress=False)
with no_grad():
    curve_r2 = metrics.r2_score(Y_test, curve_net(X_test).data)
print(f"course: half-MSE 0.001 at epoch 4200, test R² 0.977 · ours: {history!r}, test R² {curve_r2:.3f}")
history.plot(title="1-3-1 on the cobra curve")

# %% [markdown]
# ## 9.7 Hyperparameter search · 超参数优化
#
# Random search draws η log-uniformly and the hidden units from a range; each trial is a
# short training run scored on the validation set.

# %%
def validation_loss(params):
    net = nn.Sequential(nn.Linear(1, params["hidden"], seed=0), nn.Sigmoid(), nn.Linear(params["hidden"], 1, seed=1))
    fit(net, nn.HalfMSELoss(), optim.SGD(net.parameters(), lr=params["lr"]), DataLoader(X[100:], Y[100:],
        batch_size=10, seed=0), epochs=5 if QUICK else 100, progress=False)
    with no_grad():
        return nn.HalfMSELoss()(net(X[:100]), Y[:100]).item()


result = tuning.random_search(validation_loss, {"lr": tuning.loguniform(0.05, 2.0), "hidden": tuning.randint(2, 8)},
                              n_trials=3 if QUICK else 20, seed=0, progress=False)
print(result)
