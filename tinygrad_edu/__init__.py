"""tinygrad_edu: a small, exact, fast autograd framework on numpy for learning backprop."""
# autograd first: it defines Function, which tensor.py builds on (see the end of autograd.py).
from .autograd import (Function, ShapeError, detect_anomaly, enable_grad, get_default_dtype,  # noqa: I001
                       is_grad_enabled, no_grad, retain_grads, set_default_dtype)
from .tensor import Tensor
from . import functional
from .gradcheck import GradcheckError, gradcheck, gradient_difference, numerical_grad
from .serialization import load, save
from . import data, datasets, imbalance, metrics, nn, optim, train, tuning

__version__ = "0.1.0"

__all__ = ["Tensor", "Function", "ShapeError", "functional", "no_grad", "enable_grad", "is_grad_enabled",
           "retain_grads", "detect_anomaly", "set_default_dtype", "get_default_dtype",
           "gradcheck", "numerical_grad", "gradient_difference", "GradcheckError", "save", "load", "nn",
           "optim", "data", "datasets", "metrics", "train", "tuning", "imbalance"]
