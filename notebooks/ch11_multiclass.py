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
# # 11 Nonlinear multi-class classification · 非线性多分类
#
# Three classes on the plane (a centre square, a ring around it, the corners) on the
# course's 2-3-3 net: Softmax and cross-entropy fused into one node
# (`nn.CrossEntropyLoss`), whose backward is the course's dZ2 = A2 − Y. Then 11.3: what
# accuracy hides when one class is rare.

# %%
import os

import matplotlib.pyplot as plt
import numpy as np

from tinygrad_edu import Tensor, datasets, imbalance, metrics, nn, no_grad, optim, viz
from tinygrad_edu.data import DataLoader, MinMaxScaler
from tinygrad_edu.train import fit

QUICK = os.environ.get("TINYGRAD_EDU_QUICK") == "1"      # the test suite runs every notebook this way
EPOCHS = 30 if QUICK else 5000                           # the course: 5000

# %% [markdown]
# ## 11.1 A 2-3-3 net · 多分类
#
# The course: η 0.1, batch 10, 100 validation samples, X scaled to [0, 1]; labels count
# from 0 here (the course's 1, 2, 3 are our 0, 1, 2).

# %%
(X, y), (X_test, y_test) = datasets.multiclass(seed=0)
scaler = MinMaxScaler().fit(np.concatenate([X, X_test]))
X, X_test = scaler.transform(X), scaler.transform(X_test)
net = nn.Sequential(nn.Linear(2, 3, seed=0), nn.Sigmoid(), nn.Linear(3, 3, seed=1))
history = fit(net, nn.CrossEntropyLoss(), optim.SGD(net.parameters(), lr=0.1),
              DataLoader(X[100:], y[100:], batch_size=10, seed=0), epochs=EPOCHS, val_data=(X[:100], y[:100]),
              metrics={"accuracy": metrics.accuracy}, check_every=None if QUICK else 100 * 90, progress=False)
with no_grad():
    logits = net(X_test).data
print(f"course: test accuracy 0.952 · ours ({EPOCHS} epochs): {metrics.accuracy(y_test, logits):.3f}")
print("confusion matrix (rows: true class, columns: predicted):")
print(metrics.confusion_matrix(y_test, logits))
history.plot(title="2-3-3 on three classes")

# %%
u, v = np.meshgrid(np.linspace(0, 1, 120), np.linspace(0, 1, 120))
with no_grad():
    regions = net(np.stack([u.ravel(), v.ravel()], axis=1)).data.argmax(axis=1).reshape(u.shape)
plt.contourf(u, v, regions, levels=[-0.5, 0.5, 1.5, 2.5], colors=["#f4c7a1", "#b7d7f0", "#c8e6c0"])
plt.scatter(*X_test.T, c=y_test, cmap="brg", s=6)
plt.title("the class the net predicts, and the test points")
plt.show()

# %%
viz.draw_module(net, X_test[:6])

# %%
viz.explore(nn.CrossEntropyLoss()(net(Tensor(X_test[:6], name="X")), y_test[:6]), model=net,
            title="2-3-3 on six test points")

# %% [markdown]
# ## 11.3 Class imbalance · 如何解决样本不平衡问题
#
# Arcs with 1000 lower-arc samples and 50 upper-arc ones. Accuracy looks fine while the net
# misses the rare class; recall and AUC tell. Class weights (`pos_weight`) and resampling
# are the course's remedies.

# %%
def imbalanced_arcs(seed):
    (X, Y), _ = datasets.arc(n_per_class=1000, n_test_per_class=1, seed=seed)
    rng = np.random.default_rng(seed)
    keep = np.concatenate([np.flatnonzero(Y.ravel() == 0), rng.choice(np.flatnonzero(Y.ravel() == 1), 50,
                                                                      replace=False)])
    return X[keep], Y[keep]


(X, Y), (X_test, Y_test) = imbalanced_arcs(0), imbalanced_arcs(1)
scaler = MinMaxScaler().fit(X)
X, X_test = scaler.transform(X), scaler.transform(X_test)
weights = imbalance.class_weights(Y)
for name, pos_weight, (X_fit, Y_fit) in (("plain", None, (X, Y)),
                                         ("class weights", weights[1] / weights[0], (X, Y)),
                                         ("SMOTE", None, imbalance.smote(X, Y, seed=0))):
    learner = nn.Sequential(nn.Linear(2, 4, seed=0), nn.Sigmoid(), nn.Linear(4, 1, seed=1))
    loader = DataLoader(X_fit, Y_fit, batch_size=32, seed=0)
    fit(learner, nn.BCEWithLogitsLoss(pos_weight=pos_weight), optim.SGD(learner.parameters(), lr=0.5), loader,
        epochs=max(1, round((300 if QUICK else 1000) / len(loader))), progress=False)
    with no_grad():
        logits = learner(X_test).data
    labels = nn.BCEWithLogitsLoss.labels(logits)
    print(f"{name:14s} accuracy {metrics.accuracy(Y_test, labels):.3f}  recall {metrics.recall(Y_test, labels):.3f}  "
          f"AUC {metrics.roc_auc_score(Y_test, logits):.3f}")
