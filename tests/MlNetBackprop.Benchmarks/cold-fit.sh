#!/usr/bin/env bash
# A user's Fit as they meet it, beside PyTorch's training loop: each run in a fresh process, alternating, several
# rounds (the machine is shared). Ours: MNIST's 50,000 images cached as an IDataView, then one timed Fit of 784-100-10,
# 3 epochs, default threads. PyTorch: its 3-epoch loop with the tensors ready, one thread (its fastest here).
# Needs Debian's python3-torch and libopenblas0-pthread. Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build -c Release tests/MlNetBackprop.Benchmarks >/dev/null
bench=tests/MlNetBackprop.Benchmarks/bin/Release/net10.0/MlNetBackprop.Benchmarks.dll
rounds=${1:-3}
for round in $(seq 1 "$rounds"); do
  for batch in 128 10; do
    dotnet "$bench" cold-fit "$batch" 3
    dotnet "$bench" cold-fit "$batch" 3 1
    /usr/bin/python3 tests/MlNetBackprop.Benchmarks/pytorch_baseline.py --cold "$batch" 1
  done
done
