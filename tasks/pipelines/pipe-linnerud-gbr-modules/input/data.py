"""The Linnerud fitness data: three exercises (chins, situps, jumps) and three body
measurements (weight, waist, pulse) of 20 middle-aged men."""
from sklearn.datasets import load_linnerud
from sklearn.model_selection import train_test_split


def load_split(test_size, seed):
    """X_train, X_test, Y_train, Y_test: predict the measurements from the exercises."""
    X, Y = load_linnerud(return_X_y=True)
    return train_test_split(X, Y, test_size=test_size, random_state=seed)
