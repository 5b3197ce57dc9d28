"""Optimizers with PyTorch's update rules, updating each parameter's `.data` in place.

g is a parameter's gradient (plus weight_decay·θ when weight decay is on), η the
learning rate. The course's own versions (15.2) differ only in where ε sits.
"""
import numpy as np

from ..engine import Tensor


class Optimizer:
    """Holds parameter groups (dicts with "params" and hyperparameters) and per-parameter state."""

    def __init__(self, params, defaults):
        params = list(params)
        if not params:
            raise ValueError(f"{type(self).__name__}: got an empty parameter list")
        groups = params if isinstance(params[0], dict) else [{"params": params}]
        self.defaults = defaults
        self.param_groups = []
        for group in groups:
            group = {**defaults, **group, "params": list(group["params"])}
            for p in group["params"]:
                if not isinstance(p, Tensor) or not p.requires_grad:
                    raise TypeError(f"{type(self).__name__}: parameters must be Tensors that require grad, "
                                    f"got {p!r:.60}")
            if group["lr"] < 0:
                raise ValueError(f"{type(self).__name__}: lr must be ≥ 0, got {group['lr']}")
            self.param_groups.append(group)
        self.state = {}        # id(param) → dict of arrays and counters

    @property
    def lr(self):
        return self.param_groups[0]["lr"]

    @lr.setter
    def lr(self, value):
        for group in self.param_groups:
            group["lr"] = value

    def zero_grad(self):
        for group in self.param_groups:
            for p in group["params"]:
                p.grad = None

    def step(self):
        for group in self.param_groups:
            self.step_group(group)

    def step_group(self, group):
        """Update each parameter of `group` that has a gradient by the optimizer's rule."""
        update, states = self.update, self.state
        decay = group.get("weight_decay")
        for p in group["params"]:
            g = p.grad
            if g is None:
                continue
            if decay:
                g = g + decay * p.data
            state = states.get(id(p))
            if state is None:
                state = states[id(p)] = {}
            update(p.data, g, state, group)

    def update(self, theta, g, state, group):
        raise NotImplementedError

    def _params(self):
        return [p for group in self.param_groups for p in group["params"]]

    def state_dict(self):
        """Hyperparameters per group and state per parameter (by position), arrays copied."""
        index = {id(p): i for i, p in enumerate(self._params())}
        return {
            "param_groups": [{**{k: v for k, v in g.items() if k != "params"},
                              "params": [index[id(p)] for p in g["params"]]} for g in self.param_groups],
            "state": {index[key]: {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in s.items()}
                      for key, s in self.state.items() if key in index},
        }

    def load_state_dict(self, state_dict):
        groups = state_dict["param_groups"]
        if [len(g["params"]) for g in groups] != [len(g["params"]) for g in self.param_groups]:
            raise ValueError(f"{type(self).__name__}.load_state_dict: the state has groups of sizes "
                             f"{[len(g['params']) for g in groups]}, this optimizer "
                             f"{[len(g['params']) for g in self.param_groups]}")
        params = self._params()
        for i, s in state_dict["state"].items():
            for k, v in s.items():
                if isinstance(v, np.ndarray) and v.shape != params[int(i)].shape:
                    raise ValueError(f"{type(self).__name__}.load_state_dict: state {k!r} of parameter {i} has "
                                     f"shape {v.shape}, the parameter {params[int(i)].shape}")
        for group, saved in zip(self.param_groups, groups):
            group.update({k: v for k, v in saved.items() if k != "params"})
        self.state = {id(params[int(i)]): {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in s.items()}
                      for i, s in state_dict["state"].items()}


class SGD(Optimizer):
    """θ −= η·g; with momentum μ: b = μ·b + g, θ −= η·b (nesterov: θ −= η·(g + μ·b))."""

    def __init__(self, params, lr, momentum=0.0, nesterov=False, weight_decay=0.0):
        if nesterov and momentum <= 0:
            raise ValueError("SGD: nesterov needs momentum > 0")
        super().__init__(params, dict(lr=lr, momentum=momentum, nesterov=nesterov, weight_decay=weight_decay))

    def step_group(self, group):
        if group["momentum"] or group["weight_decay"]:
            return super().step_group(group)
        # The course's plain θ −= η·g has no state: no lookup and no call per parameter
        # (a fifth of the step's time on the 1-3-1 net).
        lr = group["lr"]
        for p in group["params"]:
            if p.grad is not None:
                p.data -= lr * p.grad

    def update(self, theta, g, state, group):
        momentum = group["momentum"]
        if momentum:
            buffer = state.get("momentum_buffer")
            if buffer is None:
                buffer = state["momentum_buffer"] = g.copy()
            else:
                buffer *= momentum
                buffer += g
            g = g + momentum * buffer if group["nesterov"] else buffer
        theta -= group["lr"] * g


class Adam(Optimizer):
    """m = β1·m + (1−β1)·g, v = β2·v + (1−β2)·g², θ −= η·m̂ / (√v̂ + ε) with bias-corrected m̂, v̂."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay))

    def update(self, theta, g, state, group):
        beta1, beta2 = group["betas"]
        if not state:
            state.update(step=0, exp_avg=np.zeros_like(theta), exp_avg_sq=np.zeros_like(theta))
        state["step"] += 1
        m, v, t = state["exp_avg"], state["exp_avg_sq"], state["step"]
        m *= beta1
        m += (1 - beta1) * g
        v *= beta2
        v += (1 - beta2) * g * g
        denominator = np.sqrt(v / (1 - beta2 ** t))
        denominator += group["eps"]
        theta -= (group["lr"] / (1 - beta1 ** t)) * m / denominator


class RMSprop(Optimizer):
    """r = α·r + (1−α)·g², θ −= η·g / (√r + ε)."""

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps))

    def update(self, theta, g, state, group):
        if not state:
            state["square_avg"] = np.zeros_like(theta)
        r = state["square_avg"]
        r *= group["alpha"]
        r += (1 - group["alpha"]) * g * g
        denominator = np.sqrt(r)
        denominator += group["eps"]
        theta -= group["lr"] * g / denominator


class Adagrad(Optimizer):
    """r += g², θ −= η·g / (√r + ε)."""

    def __init__(self, params, lr=1e-2, eps=1e-10):
        super().__init__(params, dict(lr=lr, eps=eps))

    def update(self, theta, g, state, group):
        if not state:
            state["sum"] = np.zeros_like(theta)
        r = state["sum"]
        r += g * g
        denominator = np.sqrt(r)
        denominator += group["eps"]
        theta -= group["lr"] * g / denominator


class CourseNAG(Optimizer):
    """The course's NAG (15.2, `Nag` of its MiniFramework), not PyTorch's `nesterov=True`.

    The course moves the weights to the look-ahead θ̂ = θ − α·v before the forward pass,
    takes the gradient g there, then sets v = α·v + η·g and θ = θ̂ − v; the look-ahead
    is never undone. The weights this optimizer holds are the ones the next gradient is
    taken at, so one step is v = α·v + η·g, θ −= v + α·v: the course's update and its
    next look-ahead together (about 1.9× Momentum's step once v settles). The course's
    first look-ahead, with v = 0, moves nothing. One difference is left: the course
    checks its stop loss between the update and the next look-ahead, we after both.
    """

    def __init__(self, params, lr, momentum=0.9):
        super().__init__(params, dict(lr=lr, momentum=momentum))

    def update(self, theta, g, state, group):
        alpha = group["momentum"]
        if not state:
            state["velocity"] = np.zeros_like(theta)
        v = state["velocity"]
        v *= alpha
        v += group["lr"] * g
        theta -= v                 # the course's update: θ = θ̂ − v
        theta -= alpha * v         # and its next look-ahead: θ̂ = θ − α·v
