# alternative: the module-level wandb API: config updated after init, accuracy through wandb.log, a main() function
import wandb
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

C = 0.5
MAX_ITER = 300


def main():
    wandb.init(project="iris-logreg", mode="offline", dir=".")
    wandb.config.update({"C": C, "max_iter": MAX_ITER})

    X, y = load_iris(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=11)
    model = LogisticRegression(C=wandb.config.C, max_iter=wandb.config.max_iter).fit(X_train, y_train)
    accuracy = model.score(X_test, y_test)
    wandb.log({"accuracy": accuracy})
    wandb.finish()
    return accuracy


if __name__ == "__main__":
    print(f"accuracy: {main():.4f}")
