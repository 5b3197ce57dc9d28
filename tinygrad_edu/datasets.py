"""The course's data sets: `from tinygrad_edu import datasets` (they live in `tinygrad_edu.data`)."""
from .data.datasets import arc, complex_curve, multiclass, sin_curve, xor
from .data.mnist import load_mnist, read_idx

__all__ = ["sin_curve", "complex_curve", "xor", "arc", "multiclass", "load_mnist", "read_idx"]
