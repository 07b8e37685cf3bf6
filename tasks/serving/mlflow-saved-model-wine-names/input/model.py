"""The classifier: standardised features, a few principal components, a logistic regression."""
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def build(C=0.3, components=4):
    return make_pipeline(StandardScaler(), PCA(n_components=components, random_state=0),
                         LogisticRegression(C=C, max_iter=1000))
