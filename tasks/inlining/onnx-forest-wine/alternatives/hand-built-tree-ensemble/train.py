# alternative: no converter; one ai.onnx.ml TreeEnsembleClassifier node written with onnx.helper from the fitted trees
"""Random forest classifier for the wine data set."""
import onnx
from onnx import TensorProto, helper
from sklearn.datasets import load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split


def load_data(seed=0):
    X, y = load_wine(return_X_y=True)
    return train_test_split(X, y, test_size=0.3, random_state=seed, stratify=y)


def train_model(X_train, y_train, seed=0):
    model = RandomForestClassifier(n_estimators=60, max_depth=6, random_state=seed)
    return model.fit(X_train, y_train)


def evaluate(model, X_test, y_test):
    return accuracy_score(y_test, model.predict(X_test))


def tree_ensemble(forest):
    """The forest's trees as TreeEnsembleClassifier attributes: x <= threshold goes left,
    each leaf adds its class fractions divided by the number of trees."""
    attrs = {key: [] for key in (
        "nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_values", "nodes_modes",
        "nodes_truenodeids", "nodes_falsenodeids", "class_treeids", "class_nodeids", "class_ids",
        "class_weights",
    )}
    n_trees = len(forest.estimators_)
    for tree_id, estimator in enumerate(forest.estimators_):
        tree = estimator.tree_
        for node in range(tree.node_count):
            leaf = tree.children_left[node] == -1
            attrs["nodes_treeids"].append(tree_id)
            attrs["nodes_nodeids"].append(node)
            attrs["nodes_featureids"].append(0 if leaf else int(tree.feature[node]))
            attrs["nodes_values"].append(0.0 if leaf else float(tree.threshold[node]))
            attrs["nodes_modes"].append("LEAF" if leaf else "BRANCH_LEQ")
            attrs["nodes_truenodeids"].append(0 if leaf else int(tree.children_left[node]))
            attrs["nodes_falsenodeids"].append(0 if leaf else int(tree.children_right[node]))
            if leaf:
                fractions = tree.value[node][0] / tree.value[node][0].sum()
                for class_id, fraction in enumerate(fractions):
                    attrs["class_treeids"].append(tree_id)
                    attrs["class_nodeids"].append(node)
                    attrs["class_ids"].append(class_id)
                    attrs["class_weights"].append(float(fraction) / n_trees)
    return attrs


def export_onnx(model, path="wine_forest.onnx"):
    n_features, n_classes = model.n_features_in_, len(model.classes_)
    node = helper.make_node(
        "TreeEnsembleClassifier", ["X"], ["label", "probabilities"], domain="ai.onnx.ml",
        classlabels_int64s=[int(c) for c in model.classes_], post_transform="NONE", **tree_ensemble(model),
    )
    graph = helper.make_graph(
        [node], "wine_forest",
        inputs=[helper.make_tensor_value_info("X", TensorProto.FLOAT, [None, n_features])],
        outputs=[
            helper.make_tensor_value_info("label", TensorProto.INT64, [None]),
            helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, n_classes]),
        ],
    )
    onnx_model = helper.make_model(
        graph, ir_version=8, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.ml", 3)]
    )
    onnx.checker.check_model(onnx_model)
    onnx.save(onnx_model, path)


def main():
    X_train, X_test, y_train, y_test = load_data()
    model = train_model(X_train, y_train)
    print(f"accuracy: {evaluate(model, X_test, y_test):.4f}")
    export_onnx(model)


if __name__ == "__main__":
    main()
