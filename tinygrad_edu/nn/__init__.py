"""Layers, activations and losses as modules: `from tinygrad_edu import nn`."""
from . import init
from .layers import LeakyReLU, Linear, ReLU, Sequential, Sigmoid, Softmax, Tanh
from .losses import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HalfMSELoss, MSELoss
from .module import Module
from .stacked import stack

__all__ = ["Module", "Linear", "Sequential", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Softmax",
           "MSELoss", "HalfMSELoss", "BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "init", "stack"]
