#!/usr/bin/env bash
# Runs the README's performance comparison in one go on this machine: MlNetBackprop's BenchmarkDotNet epochs, kernels
# and scoring, then the same settings in PyTorch and scikit-learn (Debian: apt-get install python3-torch python3-sklearn
# libopenblas0-pthread; without OpenBLAS, Debian's PyTorch falls back to the reference BLAS and runs several times slower).
# Not part of CI: it takes several minutes and wants a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet run -c Release --project tests/MlNetBackprop.Benchmarks -- --filter '*' --exporters markdown "$@"
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  /usr/bin/python3 tests/MlNetBackprop.Benchmarks/pytorch_baseline.py
else
  echo "python3-torch is not installed: PyTorch rows skipped (apt-get install python3-torch python3-sklearn)"
fi
# Streaming against loading: the same 50,000-row CSV (157 MB as floats) trained in each mode, each in its own process.
dotnet run -c Release --project tests/MlNetBackprop.Benchmarks -- streaming-demo --mode memory --rows 50000
DOTNET_GCHeapHardLimit=0xA000000 dotnet run -c Release --project tests/MlNetBackprop.Benchmarks -- streaming-demo --mode stream --budget 32 --rows 50000
