"""scikit-learn's MLP at its defaults on a table written by the defaults benchmark (DefaultsBenchmark.cs).

Usage: python3 sklearn_defaults.py TABLE.tsv binary|multiclass|regression folds|split
The table's header names `num:` columns (empty = missing), `cat:` columns, an optional `text` column, then `label` and
`fold`. With `folds`, fold k tests the rows whose fold is k (k = 0..4); with `split`, fold 0 is the test set and the
rest trains. Featurized as a scikit-learn user does: SimpleImputer(mean) and StandardScaler for numbers,
OneHotEncoder(handle_unknown="ignore") for categories, TfidfVectorizer for text. Prints one JSON line: the mean score
(AUC, accuracy or R²) and the mean fit time in seconds (featurization included) over the folds.
"""
import csv
import json
import sys
import time
import warnings

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.impute import SimpleImputer
from sklearn.metrics import accuracy_score, r2_score, roc_auc_score
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

csv.field_size_limit(1 << 24)


def main(path, task, mode):
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        rows = list(reader)
    columns = list(zip(*rows))
    num = [i for i, h in enumerate(header) if h.startswith("num:")]
    cat = [i for i, h in enumerate(header) if h.startswith("cat:")]
    text = header.index("text") if "text" in header else None
    label = np.array(columns[header.index("label")])
    fold = np.array([int(v) for v in columns[header.index("fold")]])

    parts, blocks = [], {}
    if num:
        blocks["num"] = np.array([[float(v) if v != "" else np.nan for v in columns[i]] for i in num]).T
        parts.append(("num", make_pipeline(SimpleImputer(strategy="mean"), StandardScaler()), "num"))
    if cat:
        blocks["cat"] = np.array([columns[i] for i in cat], dtype=object).T
        parts.append(("cat", OneHotEncoder(handle_unknown="ignore"), "cat"))
    if text is not None:
        blocks["text"] = np.array(columns[text], dtype=object)
        parts.append(("text", TfidfVectorizer(), "text"))
    y = label.astype(float) if task == "regression" else label

    tests = [0] if mode == "split" else range(5)
    scores, seconds = [], []
    for k in tests:
        train, test = fold != k, fold == k
        features = [make_features(name, blocks[name], train, test) for name, _, _ in parts]
        model = MLPRegressor(random_state=1) if task == "regression" else MLPClassifier(random_state=1)
        start = time.perf_counter()
        transformers = [(name, transformer) for name, transformer, _ in parts]
        x_train = stack([t.fit_transform(f[0]) for (_, t), f in zip(transformers, features)])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(x_train, y[train])
        seconds.append(time.perf_counter() - start)
        x_test = stack([t.transform(f[1]) for (_, t), f in zip(transformers, features)])
        if task == "binary":
            positive = list(model.classes_).index("1")
            scores.append(roc_auc_score(y[test] == "1", model.predict_proba(x_test)[:, positive]))
        elif task == "multiclass":
            scores.append(accuracy_score(y[test], model.predict(x_test)))
        else:
            scores.append(r2_score(y[test], model.predict(x_test)))
    trainer = "MLPRegressor" if task == "regression" else "MLPClassifier"
    print(json.dumps({"trainer": trainer, "score": float(np.mean(scores)), "seconds": float(np.mean(seconds))}))


def make_features(name, block, train, test):
    return block[train], block[test]


def stack(blocks):
    import scipy.sparse as sp
    if any(sp.issparse(b) for b in blocks):
        return sp.hstack([sp.csr_matrix(b) for b in blocks]).tocsr()
    return np.hstack(blocks)


if __name__ == "__main__":
    main(*sys.argv[1:4])
