"""mlp_digits.py -- the reference side of `hpo-bench mlp`: scikit-learn's
MLPClassifier with hpo's architecture and optimizer on hpo's very split.

    /usr/bin/python3 mlp_digits.py --data digits.csv --folds folds.json \
        --hidden 64,128,256 --epochs 81 --seeds 0,1,2 --lr 0.01 \
        --momentum 0.9 --weight-decay 1e-4 --batch-size 32 --out result.json

folds.json is written by hpo-bench (one split: {"folds": [{"train": [...],
"test": [...]}]}).  The features are standardized from the training rows
(StandardScaler, as hpo's scale.c).  The network: one ReLU hidden layer,
softmax output, solver "sgd" with constant learning rate, heavy-ball
momentum (nesterovs_momentum=False: the same weights as hpo's form for a
constant rate) and L2 penalty alpha = weight_decay * batch_size, because
scikit-learn divides its penalty by the batch's size and hpo does not.
One partial_fit call is one epoch (shuffled mini-batches), timed alone.
Differences left in: scikit-learn initialises with Glorot's uniform
(hpo: He's normal) and draws its own shuffles, so only the statistics
over seeds are comparable, not single runs.
"""
import argparse
import json
import time
import warnings

import numpy as np
import sklearn
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler


def ints(text):
    """"64,128" or "0-4,7" (hpo-bench's seed lists) -> ints."""
    out = []
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        out.extend(range(int(lo), int(hi or lo) + 1))
    return out


def run(xtr, ytr, xte, yte, hidden, seed, a):
    classes = np.unique(ytr)
    clf = MLPClassifier(hidden_layer_sizes=(hidden,), activation="relu",
                        solver="sgd", alpha=a.weight_decay * a.batch_size,
                        batch_size=a.batch_size, learning_rate="constant",
                        learning_rate_init=a.lr, momentum=a.momentum,
                        nesterovs_momentum=False, shuffle=True,
                        random_state=seed, max_iter=a.epochs, tol=0.0,
                        n_iter_no_change=a.epochs + 1)
    epoch_ms = []
    for _ in range(a.epochs):
        t0 = time.perf_counter()
        clf.partial_fit(xtr, ytr, classes=classes)
        epoch_ms.append((time.perf_counter() - t0) * 1000)
    error = float(np.mean(clf.predict(xte) != yte))
    return {"hidden": hidden, "seed": seed, "epoch_ms": epoch_ms,
            "error": error}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--folds", required=True)
    p.add_argument("--hidden", type=ints, required=True)
    p.add_argument("--seeds", type=ints, required=True)
    p.add_argument("--epochs", type=int, required=True)
    p.add_argument("--lr", type=float, required=True)
    p.add_argument("--momentum", type=float, required=True)
    p.add_argument("--weight-decay", type=float, required=True)
    p.add_argument("--batch-size", type=int, required=True)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    data = np.loadtxt(a.data, delimiter=",", skiprows=1)
    x, y = data[:, :-1], data[:, -1].astype(int)
    split = json.load(open(a.folds))["folds"][0]
    tr, te = np.array(split["train"]), np.array(split["test"])
    scaler = StandardScaler().fit(x[tr])
    xtr, xte = scaler.transform(x[tr]), scaler.transform(x[te])
    runs = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for hidden in a.hidden:
            for seed in a.seeds:
                runs.append(run(xtr, y[tr], xte, y[te], hidden, seed, a))
    json.dump({"sklearn": sklearn.__version__, "runs": runs},
              open(a.out, "w"))


if __name__ == "__main__":
    main()
