"""Several nets of one shape side by side: `nn.stack(models)`, one model over all their runs."""
import copy

import numpy as np

from ..engine import Tensor
from .layers import LeakyReLU, Linear, ReLU, Sequential, Sigmoid, Softmax, Tanh

# Activations that act on each run alone: elementwise, or along the last axis (Softmax's classes).
_ACTIVATIONS = (Sigmoid, Tanh, ReLU, LeakyReLU, Softmax)


def stack(models):
    """One model that computes every one of `models` at once (nets of one shape, made of
    Linear layers and activations, one after the other).

    Each Linear's W becomes one array of shape (runs, in, out) and its B one of shape
    (runs, 1, out) (`F.linear` then computes each run's Z = X·W + B, and each run's dW and
    dB from its own dZ); X is shared, (m, in), or one per run, (runs, m, in). Every model's
    own parameters become views of its slice: an update of a run's parameters in place (its
    optimizer's step) is an update of the stack, and each model alone still computes its
    own net. What numpy charges per call is then paid once for all the runs.
    """
    models = list(models)
    if not models:
        raise ValueError("stack: got no models")
    layouts = [_layout(model) for model in models]
    for i, layout in enumerate(layouts[1:], 1):
        if layout != layouts[0]:
            raise ValueError(f"stack: model {i} is {' → '.join(layout)} but model 0 is {' → '.join(layouts[0])}; "
                             f"only nets of one shape run side by side")
    stacked = Sequential(*[copy.copy(module) for module in _steps(models[0])])
    for position, layer in enumerate(_steps(stacked)):
        if isinstance(layer, Linear):
            runs = [_steps(model)[position] for model in models]
            object.__setattr__(layer, "_parameters", {})          # the copy's own, not the first run's
            layer.weight = Tensor(np.stack([run.weight.data for run in runs]), requires_grad=True,
                                  name="weight")                                      # (runs, in, out)
            for k, run in enumerate(runs):
                run.weight.data = layer.weight.data[k]
            if runs[0].bias is not None:
                layer.bias = Tensor(np.stack([run.bias.data for run in runs])[:, np.newaxis, :], requires_grad=True,
                                    name="bias")                                      # (runs, 1, out)
                for k, run in enumerate(runs):
                    run.bias.data = layer.bias.data[k, 0]
    return stacked


def _steps(model):
    """The layers a model applies in order: a Sequential's, or the one layer."""
    return list(model) if isinstance(model, Sequential) else [model]


def _layout(model):
    """What a model computes, step by step ("Linear 1→3", "Sigmoid" ...), or a TypeError when it
    is not made of the layers a stack can hold."""
    layout = []
    for layer in _steps(model):
        if isinstance(layer, Linear):
            layout.append(f"Linear {layer.weight.shape[0]}→{layer.weight.shape[1]}"
                          + ("" if layer.bias is not None else " without B") + f" {layer.weight.dtype}")
        elif type(layer) in _ACTIVATIONS and getattr(layer, "axis", -1) == -1:
            layout.append(repr(layer))
        else:
            raise TypeError(f"stack: {type(layer).__name__} is not a layer a stack can hold: only Linear and the "
                            f"activations ({', '.join(a.__name__ for a in _ACTIVATIONS)}; Softmax along axis -1), "
                            f"one after the other")
    return layout
