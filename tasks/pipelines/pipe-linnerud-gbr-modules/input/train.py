"""Predict weight, waist and pulse from exercise counts (Linnerud) with gradient boosting."""
from data import load_split
from model import build, scores

TEST_SIZE, SEED = 0.25, 0
N_ESTIMATORS, LEARNING_RATE, MAX_DEPTH = 50, 0.1, 2

X_train, X_test, Y_train, Y_test = load_split(TEST_SIZE, SEED)
model = build(N_ESTIMATORS, LEARNING_RATE, MAX_DEPTH, SEED).fit(X_train, Y_train)
for name, value in scores(model, X_test, Y_test).items():
    print(f"{name}: {value:.4f}")
