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
# # 12 A three-layer net on MNIST · 三层神经网络的实现
#
# The course's 784-64-16-10 net: Sigmoid, then Tanh, then Softmax (fused into the loss).
# It reads MNIST digits when they are on this machine, else Fashion-MNIST (the same
# format, a harder set): the course's figures are for digits. Then 12.2, the gradient
# check, and 12.3, the learning rate and the batch size.

# %%
import os

import matplotlib.pyplot as plt
import numpy as np

import tinygrad_edu.functional as F
from tinygrad_edu import Tensor, datasets, metrics, nn, no_grad, optim, viz
from tinygrad_edu.data import DataLoader
from tinygrad_edu.gradcheck import gradient_difference, verdict
from tinygrad_edu.train import fit

QUICK = os.environ.get("TINYGRAD_EDU_QUICK") == "1"      # the test suite runs every notebook this way
EPOCHS = 1 if QUICK else 40                              # the course: 40


def load():
    """(name, train, test): digits if they can be had, else Debian's Fashion-MNIST. X is float64,
    the dtype nn.Linear makes by default (load_mnist gives float32 unless asked)."""
    for kind, name in (("digits", "MNIST digits"), ("fashion", "Fashion-MNIST")):
        try:
            return (name,) + datasets.load_mnist(kind=kind, download=False, dtype=np.float64)
        except (FileNotFoundError, ValueError):
            continue
    raise FileNotFoundError("no MNIST-format data: `make demo` or `make test` installs Debian's Fashion-MNIST")


name, (X, y), (X_test, y_test) = load()
order = np.random.default_rng(0).permutation(len(X))
X, y = X[order], y[order]
(X_val, y_val), (X_train, y_train) = (X[:5000], y[:5000]), (X[5000:], y[5000:])     # the course: 5000 validate
if QUICK:
    X_train, y_train = X_train[:3000], y_train[:3000]
print(name, X_train.shape, X_train.dtype)

# %% [markdown]
# ## 12.1 784-64-16-10 · 三层神经网络
#
# The course: Xavier init, η 0.2, batch 128, 40 epochs.

# %%
net = nn.Sequential(nn.Linear(784, 64, seed=0), nn.Sigmoid(),       # A1 = σ(X·W1 + B1)
                    nn.Linear(64, 16, seed=1), nn.Tanh(),           # A2 = tanh(A1·W2 + B2)
                    nn.Linear(16, 10, seed=2))                      # Z3; softmax is in the loss
history = fit(net, nn.CrossEntropyLoss(), optim.SGD(net.parameters(), lr=0.2),
              DataLoader(X_train, y_train, batch_size=128, seed=0), epochs=EPOCHS,
              val_data=(X_val, y_val), metrics={"accuracy": metrics.accuracy}, progress=False)
with no_grad():
    accuracy = metrics.accuracy(y_test, net(X_test).data)
print(f"course (digits, 40 epochs): test accuracy 0.9749 · ours ({name}, {EPOCHS} epochs): {accuracy:.4f}")
history.plot(title=f"784-64-16-10 on {name}")

# %%
viz.draw_module(net, X_test[:4])

# %%
viz.explore(nn.CrossEntropyLoss()(net(Tensor(X_test[:4], name="X")), y_test[:4]), model=net,
            title="784-64-16-10 on four test images")

# %% [markdown]
# ## 12.2 Gradient check · 梯度检查
#
# The course's diff = ‖g − ĝ‖ / (‖g‖ + ‖ĝ‖) between backprop and central differences over
# all the parameters: < 1e-7 is correct. A small copy of the net keeps it quick.

# %%
small = nn.Sequential(nn.Linear(784, 8, seed=0), nn.Sigmoid(), nn.Linear(8, 4, seed=1), nn.Tanh(),
                      nn.Linear(4, 10, seed=2))


def loss_of(W1, B1, W2, B2, W3, B3):
    """J as a function of every parameter, the way the course flattens them into one θ."""
    A1 = F.sigmoid(F.linear(X_test[:3], W1, B1))
    A2 = F.tanh(F.linear(A1, W2, B2))
    return F.cross_entropy(F.linear(A2, W3, B3), y_test[:3])


diff = gradient_difference(loss_of, *[Tensor(p.data, requires_grad=True) for p in small.parameters()])
print(f"course: < 1e-7 means correct · ours: diff {diff:.1e} ({verdict(diff)})")

# %% [markdown]
# ## 12.3 Learning rate and batch size · 学习率与批大小
#
# The same net from the same start at several η (batch 128), then at two batch sizes.

# %%
for eta in (0.2, 0.5, 0.8):
    run = nn.Sequential(nn.Linear(784, 64, seed=0), nn.Sigmoid(), nn.Linear(64, 16, seed=1), nn.Tanh(),
                        nn.Linear(16, 10, seed=2))
    h = fit(run, nn.CrossEntropyLoss(), optim.SGD(run.parameters(), lr=eta),
            DataLoader(X_train, y_train, batch_size=128, seed=0), epochs=1 if QUICK else 10,
            val_data=(X_val, y_val), metrics={"accuracy": metrics.accuracy}, progress=False)
    plt.plot(h["epoch"], h["val_accuracy"], "o-", label=f"η {eta}")
plt.xlabel("epoch")
plt.ylabel("validation accuracy")
plt.legend()
plt.show()
