"""tinygrad_edu: a small, exact, fast autograd framework on numpy for learning backprop."""
from .engine import (Function, ShapeError, Tensor, backward_order, detect_anomaly, enable_grad, get_default_dtype,
                     is_grad_enabled, no_grad, retain_grads, set_default_dtype)
from . import ops  # noqa: F401 - gives Tensor its operators (+, @, .sum() ...)
from . import functional
from .gradcheck import GradcheckError, gradcheck, gradient_difference, numerical_grad
from .serialization import load, save
from .trace import trace          # the function: `tinygrad_edu.trace(fn)` records fn and replays it
from . import data, datasets, imbalance, metrics, nn, optim, train, tuning, viz

__version__ = "0.1.0"

__all__ = ["Tensor", "Function", "ShapeError", "backward_order", "functional", "no_grad", "enable_grad",
           "is_grad_enabled", "retain_grads", "detect_anomaly", "set_default_dtype", "get_default_dtype",
           "gradcheck", "numerical_grad", "gradient_difference", "GradcheckError", "save", "load", "trace", "nn",
           "optim", "data", "datasets", "metrics", "train", "tuning", "imbalance", "viz"]
