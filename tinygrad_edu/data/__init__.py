"""Data: loaders, splits, scalers, and the course's data sets."""
from . import datasets
from .loader import DataLoader, train_val_test_split
from .scalers import MinMaxScaler, StandardScaler

__all__ = ["DataLoader", "train_val_test_split", "MinMaxScaler", "StandardScaler", "datasets"]
