"""Course 9.7.3: tune the sine network by grid search and by random search, with the same budget.

The objective trains a 1-n-1 network on the course's sine data for a fixed number of
epochs and returns its validation half-MSE. Grid search tries η × hidden units × batch
size on a 3×3×3 grid; random search draws the same number of trials from the same
ranges: η ~ log-uniform on [0.05, 0.8], hidden units ~ log-uniform integers in [2, 8],
batch size ~ choice of 5 / 10 / 20. The course only cites Bergstra & Bengio here (its
Table 9-23 is "数据为假设的结果值", hypothetical numbers): it measures nothing, so this is an
illustration, shown and not judged. One trial's score is itself noisy (it depends on the
trial's initial weights), so each search runs 4 times with other draws and other starts,
and the claim reads the median of the 4 best scores. Trials run on 2 processes.
"""
import numpy as np

import tinygrad_edu.functional as F
from tinygrad_edu import datasets, nn, no_grad, optim, tuning
from tinygrad_edu.claims import Claim
from tinygrad_edu.data import DataLoader
from tinygrad_edu.train import fit

try:
    from ._common import example_main, figure_path, report
except ImportError:  # run as a script
    from _common import example_main, figure_path, report

EPOCHS = {"quick": 20, "full": 150}
REPEATS = {"quick": 1, "full": 4}
CLAIMS = [
    Claim("9.7.3", "random search finds a better point than grid search with the same budget (27 trials) and the "
                   "same ranges (median best of 4 searches each)",
          "random search is more efficient (cited from Bergstra & Bengio; not measured)",
          "best validation half-MSE, grid / random", lambda best: best[1] < best[0],
          holds_for=((0.002, 0.0015),), fails_for=((0.002, 0.002), (0.0015, 0.002)), fmt="{:.4f}",
          illustration=True,
          zh="在相同预算（27 次试验）和相同范围下，随机搜索找到的点优于网格搜索（各 4 次搜索最佳值的中位数）"),
]
FIGURES = {f"search_{name}.png": f"9.7.3 · {name} search: the validation half-MSE of every trial against each "
                                 "hyperparameter it varies: random search tries a new value of each in every trial, "
                                 "the grid only its few."
           for name in ("grid", "random")}


def objective(params, seed):
    """Validation half-MSE of a 1-n-1 sine net trained with these hyperparameters."""
    (X, Y), _ = datasets.sin_curve(seed=0)                 # the same data for every trial
    (X_val, Y_val), (X_train, Y_train) = (X[:50], Y[:50]), (X[50:], Y[50:])
    model = nn.Sequential(nn.Linear(1, params["hidden"], seed=seed), nn.Sigmoid(),
                          nn.Linear(params["hidden"], 1, seed=seed + 1))
    fit(model, nn.HalfMSELoss(), optim.SGD(model.parameters(), lr=params["lr"]),
        DataLoader(X_train, Y_train, batch_size=params["batch_size"], seed=seed),
        epochs=params["epochs"], progress=False)
    with no_grad():
        return F.half_mse_loss(model(X_val), Y_val).item()


def run(quick=False, out="out", seed=0, progress=True):
    size = "quick" if quick else "full"
    epochs = EPOCHS[size]
    grid = {"lr": [0.05, 0.2, 0.8], "hidden": [2, 4, 8], "batch_size": [5, 10, 20], "epochs": [epochs]}
    if quick:
        grid = {"lr": [0.05, 0.8], "hidden": [2, 8], "batch_size": [10, 20], "epochs": [epochs]}
    n_trials = int(np.prod([len(values) for values in grid.values()]))
    space = {"lr": tuning.loguniform(min(grid["lr"]), max(grid["lr"])),
             "hidden": tuning.log_randint(min(grid["hidden"]), max(grid["hidden"])),
             "batch_size": tuning.choice(grid["batch_size"]), "epochs": epochs}
    searches = [(tuning.grid_search(objective, grid, seed=1000 * seed + repeat, n_jobs=2, progress=progress),
                 tuning.random_search(objective, space, n_trials, seed=1000 * seed + repeat, n_jobs=2,
                                      progress=progress))
                for repeat in range(REPEATS[size])]
    by_grid, by_random = searches[0]
    for name, result in (("grid", by_grid), ("random", by_random)):
        print(f"  {name} search:\n" + "\n".join("    " + line for line in str(result).splitlines()))
        result.to_csv(figure_path(out, f"search_{name}.csv"))
        result.plot(figure_path(out, f"search_{name}.png"),
                    title=f"{name} search on the 1-2-1 sine net: validation half-MSE of each of {n_trials} trials")
    best = np.median([[grid_result.best_score, random_result.best_score] for grid_result, random_result in searches],
                     axis=0)
    return report({"best validation half-MSE, grid / random": (float(best[0]), float(best[1]))})


main = example_main(run, __doc__)


if __name__ == "__main__":
    main()
