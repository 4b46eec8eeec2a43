#!/usr/bin/env python3
"""The PyTorch (and scikit-learn) side of the README's performance table, on the same MNIST files and machine.

Run by run-comparison.sh, or alone:  python3 tests/MlNetBackprop.Benchmarks/pytorch_baseline.py
Needs Debian's python3-torch and libopenblas0-pthread (python3-sklearn for the scikit-learn rows). Prints medians of
several epochs.
"""
import gzip, os, statistics, struct, sys, time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "samples", "data", "mnist")


def load(images, labels):
    with gzip.open(os.path.join(DATA, images)) as f:
        _, n, rows, cols = struct.unpack(">IIII", f.read(16))
        x = np.frombuffer(f.read(), np.uint8).reshape(n, rows * cols).astype(np.float32) / 255.0
    with gzip.open(os.path.join(DATA, labels)) as f:
        struct.unpack(">II", f.read(8))
        y = np.frombuffer(f.read(), np.uint8).astype(np.int64)
    return x, y


def train(x, y, hidden, batch, solver, threads, epochs=3):
    """Trains 784-hidden-10 (sigmoid) for some epochs; returns each epoch's seconds, the whole loop's, and the model."""
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    model = torch.nn.Sequential(torch.nn.Linear(784, hidden), torch.nn.Sigmoid(), torch.nn.Linear(hidden, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001) if solver == "adam" else torch.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = torch.nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    times = []
    loop_start = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(len(xt))
        start = time.perf_counter()
        for i in range(0, len(xt), batch):
            idx = order[i:i + batch]
            optimizer.zero_grad()
            loss = loss_fn(model(xt[idx]), yt[idx])
            loss.backward()
            optimizer.step()
        times.append(time.perf_counter() - start)
    return times, time.perf_counter() - loop_start, model


def epoch_seconds(x, y, hidden, batch, solver, threads, epochs=3):
    times, _, model = train(x, y, hidden, batch, solver, threads, epochs)
    return statistics.median(times), model


def accuracy(model, x, y):
    with torch.no_grad():
        return (model(torch.from_numpy(x)).argmax(1).numpy() == y).mean()


def inference(model, x, threads):
    torch.set_num_threads(threads)
    xt = torch.from_numpy(x)
    with torch.no_grad():
        per_row = []
        for _ in range(3):
            start = time.perf_counter()
            for i in range(len(xt)):
                model(xt[i:i + 1])
            per_row.append((time.perf_counter() - start) / len(xt))
        batched = []
        for _ in range(5):
            start = time.perf_counter()
            model(xt)
            batched.append((time.perf_counter() - start) / len(xt))
    return statistics.median(per_row), statistics.median(batched)


def cold(batch, threads, epochs=3):
    """One fresh process's training loop, as cold-fit.sh times ours: the whole loop of a few epochs, tensors ready."""
    x, y = load("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
    times, total, _ = train(x[:50000], y[:50000], 100, batch, "sgd", threads, epochs)
    print(f"TORCH batch={batch} threads={threads} loop_s={total:.3f} epochs_s={'/'.join(f'{t:.3f}' for t in times)}", flush=True)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--cold":
        return cold(int(sys.argv[2]), int(sys.argv[3]))
    x, y = load("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
    xtest, ytest = load("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
    x, y = x[:50000], y[:50000]
    print(f"PyTorch {torch.__version__}, numpy {np.__version__}")
    print("framework | network | batch | solver | threads | median s/epoch | test accuracy after 3 epochs")
    trained = None
    for hidden, batch, solver in [(30, 10, "sgd"), (100, 10, "sgd"), (100, 128, "sgd"), (100, 128, "adam")]:
        for threads in (1, 2):
            seconds, model = epoch_seconds(x, y, hidden, batch, solver, threads)
            print(f"pytorch | 784-{hidden}-10 | {batch} | {solver} | {threads} | {seconds:.3f} | {accuracy(model, xtest, ytest):.4f}", flush=True)
            if hidden == 100 and batch == 128 and solver == "sgd" and threads == 1:
                trained = model
    per_row, batched = inference(trained, xtest, 1)
    print(f"pytorch inference 784-100-10, 1 thread: per row {per_row * 1e6:.1f} us, batched (10,000 rows) {batched * 1e6:.2f} us/row")
    try:
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.neural_network import MLPClassifier
        import warnings
        warnings.simplefilter("ignore", ConvergenceWarning)
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        for hidden, batch, solver in [(30, 10, "sgd"), (100, 10, "sgd"), (100, 200, "adam")]:
            clf = MLPClassifier(hidden_layer_sizes=(hidden,), activation="logistic", solver=solver, batch_size=batch,
                                learning_rate_init=0.1 if solver == "sgd" else 0.001, momentum=0.0, max_iter=1, random_state=1)
            start = time.perf_counter()
            clf.fit(x, y)
            print(f"scikit-learn | 784-{hidden}-10 | {batch} | {solver} | 1 | {time.perf_counter() - start:.3f} | {clf.score(xtest, ytest):.4f}", flush=True)
    except ImportError:
        print("scikit-learn not installed: skipped")


if __name__ == "__main__":
    sys.exit(main())
