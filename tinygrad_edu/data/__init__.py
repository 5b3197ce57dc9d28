"""Data: loaders, splits, scalers, and the reader of MNIST-format files (the data sets are in `tinygrad_edu.datasets`)."""
from .loader import DataLoader, train_val_test_split
from .scalers import MinMaxScaler, StandardScaler

__all__ = ["DataLoader", "train_val_test_split", "MinMaxScaler", "StandardScaler"]
