"""Optimizers and learning-rate schedules: `from tinygrad_edu import optim`."""
from . import lr_scheduler
from .optimizers import SGD, Adagrad, Adam, CourseNAG, Optimizer, RMSprop

__all__ = ["Optimizer", "SGD", "Adam", "RMSprop", "Adagrad", "CourseNAG", "lr_scheduler"]
