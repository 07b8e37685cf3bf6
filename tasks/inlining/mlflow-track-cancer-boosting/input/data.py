"""Data preparation shared by the training scripts."""
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split

DATASET = "breast_cancer"


def load_split(test_size=0.25, seed=3):
    """The breast cancer data as a DataFrame, split into train and test parts."""
    data = load_breast_cancer(as_frame=True)
    X_train, X_test, y_train, y_test = train_test_split(
        data.data, data.target, test_size=test_size, random_state=seed, stratify=data.target
    )
    return X_train, X_test, y_train, y_test
