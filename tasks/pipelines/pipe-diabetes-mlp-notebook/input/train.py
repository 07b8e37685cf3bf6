# %% [markdown]
# # Diabetes progression with a small neural network
# One year's disease progression from ten baseline measurements, with a one-layer MLP.
# Run the cells in order (or the whole file with python3).

# %%
import warnings

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

# %% Parameters
TEST_SIZE = 0.2
SEED = 1
HIDDEN = 32
ALPHA = 0.01
LEARNING_RATE = 0.01
EPOCHS = 150

# %% Load and split
X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=TEST_SIZE, random_state=SEED)

# %% Standardise the measurements (fitted on the training rows)
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)

# %% Train: one epoch per pass over the training rows, EPOCHS of them
mlp = MLPRegressor(hidden_layer_sizes=(HIDDEN,), alpha=ALPHA, learning_rate_init=LEARNING_RATE,
                   max_iter=EPOCHS, random_state=SEED)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)  # a fixed number of epochs, on purpose
    mlp.fit(X_train, y_train)

# %% Training loss by epoch
loss_curve = mlp.loss_curve_
print(f"epochs: {len(loss_curve)}, first loss: {loss_curve[0]:.1f}, last loss: {loss_curve[-1]:.1f}")

# %% Evaluate on the test rows
predicted = mlp.predict(X_test)
print(f"rmse: {np.sqrt(mean_squared_error(y_test, predicted)):.4f}")
print(f"r2: {r2_score(y_test, predicted):.4f}")
