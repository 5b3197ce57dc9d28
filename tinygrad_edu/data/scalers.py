"""Feature scaling fitted on the training data only (the course fits on train + test)."""
import numpy as np


class _Scaler:
    def fit(self, X):
        X = np.asarray(X, dtype=np.float64)
        self.shift_, self.scale_ = self._statistics(X)
        self.scale_ = np.where(self.scale_ == 0, 1.0, self.scale_)   # a constant column stays finite
        return self

    def _fitted(self, X):
        if not hasattr(self, "scale_"):
            raise RuntimeError(f"{type(self).__name__}: call fit() on the training data first")
        X = np.asarray(X)
        if X.shape[-1:] != self.scale_.shape[-1:]:
            raise ValueError(f"{type(self).__name__}: fitted on {self.scale_.shape[-1]} features, got shape {X.shape}")
        return X

    def transform(self, X):
        X = self._fitted(X)
        return ((X - self.shift_) / self.scale_).astype(X.dtype if X.dtype.kind == "f" else np.float64)

    def inverse_transform(self, X):
        X = self._fitted(X)
        return (X * self.scale_ + self.shift_).astype(X.dtype if X.dtype.kind == "f" else np.float64)

    def fit_transform(self, X):
        return self.fit(X).transform(X)


class MinMaxScaler(_Scaler):
    """X → (X − min) / (max − min) per feature, as the course's NormalizeX."""

    def _statistics(self, X):
        low = X.min(axis=0)
        return low, X.max(axis=0) - low


class StandardScaler(_Scaler):
    """X → (X − mean) / std per feature."""

    def _statistics(self, X):
        return X.mean(axis=0), X.std(axis=0)
