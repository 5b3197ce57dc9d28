"""The losses of `functional` as modules: `loss_fn = nn.CrossEntropyLoss(); loss_fn(Z, Y)`.

A classification loss also says which class its input stands for (`labels`), so that
`fit` can hand accuracy and its kin labels, never raw scores.
"""
import numpy as np

from .. import functional as F
from .module import Module


class _Loss(Module):
    function = None

    def __init__(self, reduction="mean", **weights):
        super().__init__()
        self.reduction, self.weights = reduction, weights

    def forward(self, prediction, target):
        return type(self).function(prediction, target, reduction=self.reduction, **self.weights)

    def extra_repr(self):
        return f"reduction={self.reduction!r}"


class MSELoss(_Loss):
    """Mean of (A − Y)² (the course's training loss is half of it)."""
    function = staticmethod(F.mse_loss)


class HalfMSELoss(_Loss):
    """The course's regression loss J = Σ(A − Y)²/2m: dZ = (A − Y)/m, and its η and stop losses as they are."""
    function = staticmethod(F.half_mse_loss)


class BCELoss(_Loss):
    """Binary cross-entropy on probabilities."""
    function = staticmethod(F.binary_cross_entropy)

    def __init__(self, weight=None, reduction="mean"):
        super().__init__(reduction, weight=weight)

    @staticmethod
    def labels(probabilities):
        """Class 1 where the probability A > 0.5."""
        return (probabilities > 0.5).astype(np.int64)


class BCEWithLogitsLoss(_Loss):
    """The course's Logistic + binary cross-entropy as one node: dZ = (A − Y)/m."""
    function = staticmethod(F.binary_cross_entropy_with_logits)

    def __init__(self, pos_weight=None, reduction="mean"):
        super().__init__(reduction, pos_weight=pos_weight)

    @staticmethod
    def labels(logits):
        """Class 1 where the logit Z > 0 (A = σ(Z) > 0.5)."""
        return (logits > 0).astype(np.int64)


class CrossEntropyLoss(_Loss):
    """The course's Softmax + cross-entropy as one node: dZ = (A − Y)/m."""
    function = staticmethod(F.cross_entropy)

    def __init__(self, weight=None, reduction="mean"):
        super().__init__(reduction, weight=weight)

    @staticmethod
    def labels(logits):
        """The class of the largest logit in each row (softmax keeps the order)."""
        return logits.argmax(axis=1)
