"""The losses of `functional` as modules: `loss_fn = nn.CrossEntropyLoss(); loss_fn(Z, Y)`."""
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


class BCELoss(_Loss):
    """Binary cross-entropy on probabilities."""
    function = staticmethod(F.binary_cross_entropy)

    def __init__(self, weight=None, reduction="mean"):
        super().__init__(reduction, weight=weight)


class BCEWithLogitsLoss(_Loss):
    """The course's Logistic + binary cross-entropy as one node: dZ = (A − Y)/m."""
    function = staticmethod(F.binary_cross_entropy_with_logits)

    def __init__(self, pos_weight=None, reduction="mean"):
        super().__init__(reduction, pos_weight=pos_weight)


class CrossEntropyLoss(_Loss):
    """The course's Softmax + cross-entropy as one node: dZ = (A − Y)/m."""
    function = staticmethod(F.cross_entropy)

    def __init__(self, weight=None, reduction="mean"):
        super().__init__(reduction, weight=weight)
