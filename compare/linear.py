"""A logistic regression over named features, as a small frozen record that reads and writes
plain JSON (nothing in a model file can run code). The match model (`compare.align.match`) and
the conflict judge (`compare.judge.model`) are both one."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np


@dataclass(frozen=True, slots=True)
class LinearModel:
    """A logistic regression over `features` (standardised by `mean` and `scale`) and the
    probability `threshold` fitted with it."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float

    def probability(self, x: np.ndarray) -> np.ndarray:
        """P(positive) for each row of `x` (k, len(features)); shape (k,), float64."""
        if len(x) == 0:
            return np.zeros(0)
        z = ((x - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def to_json(self) -> dict:
        """The model as plain JSON values (the file format of `linear_from_json`)."""
        return {
            "features": list(self.features),
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "coef": self.coef.tolist(),
            "intercept": self.intercept,
            "threshold": self.threshold,
        }


def linear_from_json(data: dict, features: tuple[str, ...], retrain: str) -> LinearModel:
    """The `LinearModel` of `to_json` output; raises ValueError when it was fitted on other
    `features` (the message says to run `retrain`) or its arrays are malformed."""
    if tuple(data.get("features", ())) != features:
        raise ValueError(f"the model was fitted on other features; retrain it ({retrain})")
    arrays = [np.asarray(data[k], dtype=np.float64) for k in ("mean", "scale", "coef")]
    if any(a.shape != (len(features),) or not np.isfinite(a).all() for a in arrays):
        raise ValueError("the model file is malformed")
    return LinearModel(features, *arrays, float(data["intercept"]), float(data["threshold"]))


def fit_linear(x: np.ndarray, y: np.ndarray, features: tuple[str, ...], threshold: float = 0.5,
               regularisation: float = 1.0, class_weight: str | None = None,
               weights: np.ndarray | None = None) -> LinearModel:
    """A scikit-learn logistic regression on `x` (k, len(features)) and labels `y` (k,) of 0 and 1,
    each row weighing `weights[k]` (1 when None), features standardised (a constant feature keeps
    scale 1)."""
    from sklearn.linear_model import LogisticRegression

    x = np.asarray(x, dtype=np.float64)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale = np.where(scale > 1e-9, scale, 1.0)
    fit = LogisticRegression(C=regularisation, max_iter=2000, class_weight=class_weight).fit(
        (x - mean) / scale, y, sample_weight=weights
    )
    return LinearModel(features, mean, scale, fit.coef_[0].astype(np.float64), float(fit.intercept_[0]), threshold)


def calibrated(model: LinearModel, a: float, b: float) -> LinearModel:
    """`model` with Platt scaling applied: its logit becomes `a * logit + b`, still one `LinearModel`."""
    return replace(model, coef=a * model.coef, intercept=a * model.intercept + b)
