"""Layers: Linear (the course's Z = X·W + B), Sequential, and the activations as modules."""
import numpy as np

from .. import functional as F
from ..engine import Tensor, get_default_dtype
from .init import INITS
from .module import Module


class Linear(Module):
    """Z = X·W + B with W of shape (in_features, out_features) and B of shape (out_features,)."""

    def __init__(self, in_features, out_features, bias=True, init="xavier", seed=None, dtype=None):
        super().__init__()
        if init not in INITS:
            raise ValueError(f"Linear: init must be one of {sorted(INITS)}, got {init!r}")
        dtype = get_default_dtype() if dtype is None else np.dtype(dtype)
        rng = np.random.default_rng(seed)
        self.in_features, self.out_features, self.init = in_features, out_features, init
        self.weight = Tensor(INITS[init](in_features, out_features, rng, dtype), requires_grad=True, name="weight")
        self.bias = Tensor(np.zeros(out_features, dtype=dtype), requires_grad=True, name="bias") if bias else None

    def forward(self, x):
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self):
        runs = f", {len(self.weight.data)} runs side by side" if self.weight.data.ndim == 3 else ""    # nn.stack
        return f"{self.in_features}→{self.out_features}" + ("" if self.bias is not None else ", bias=False") + runs


class Sequential(Module):
    """Modules applied one after the other; registered as "0", "1", …"""

    def __init__(self, *modules):
        super().__init__()
        for i, module in enumerate(modules):
            if not isinstance(module, Module):
                raise TypeError(f"Sequential: item {i} is a {type(module).__name__}, not a Module")
            setattr(self, str(i), module)

    def forward(self, x):
        for module in self._modules.values():
            x = module(x)
        return x

    def __getitem__(self, index):
        return list(self._modules.values())[index]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())


class Sigmoid(Module):
    def forward(self, z):
        return F.sigmoid(z)


class Tanh(Module):
    def forward(self, z):
        return F.tanh(z)


class ReLU(Module):
    def forward(self, z):
        return F.relu(z)


class LeakyReLU(Module):
    def __init__(self, slope=0.01):
        super().__init__()
        self.slope = slope

    def forward(self, z):
        return F.leaky_relu(z, self.slope)

    def extra_repr(self):
        return f"slope={self.slope}"


class Softmax(Module):
    def __init__(self, axis=-1):
        super().__init__()
        self.axis = axis

    def forward(self, z):
        return F.softmax(z, axis=self.axis)

    def extra_repr(self):
        return f"axis={self.axis}"
