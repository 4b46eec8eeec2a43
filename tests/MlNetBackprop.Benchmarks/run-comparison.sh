#!/usr/bin/env bash
# Runs the README's performance comparison in one go on this machine: MlNetBackprop's BenchmarkDotNet epochs, kernels
# and scoring, then the same settings in PyTorch and scikit-learn (Debian: apt-get install python3-torch python3-sklearn
# libopenblas0-pthread; without OpenBLAS, Debian's PyTorch falls back to the reference BLAS and runs several times slower).
# Not part of CI: it takes several minutes and wants a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet run -c Release --project tests/MlNetBackprop.Benchmarks -- --filter '*' --exporters markdown "$@"
dotnet run -c Release --no-build --project tests/MlNetBackprop.Benchmarks -- accuracy
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  /usr/bin/python3 tests/MlNetBackprop.Benchmarks/pytorch_baseline.py
else
  echo "python3-torch is not installed: PyTorch rows skipped (apt-get install python3-torch python3-sklearn)"
fi
# Streaming against loading: the same 50,000-row CSV (157 MB as floats) in each mode, each in its own process, under a .NET
# heap limit (DOTNET_GCHeapHardLimit). ML.NET's text reader alone needs 116-128 MB for this file (the garbage collector
# varies); streamed training with a 32 MB budget fits in 128 + 32 MB, where loading the data does not (it needs one copy
# of the data more).
demo() { limit=$1; shift; echo "heap limit ${limit:-none} MB: $*"
  env ${limit:+DOTNET_GCHeapHardLimit=$(printf '0x%X' $((limit << 20)))} \
    dotnet run -c Release --no-build --project tests/MlNetBackprop.Benchmarks -- streaming-demo "$@" --rows 50000 2>&1 | grep -iE 'mode|memory' || true; }
demo 128 --mode read
demo 160 --mode stream --budget 32
demo 160 --mode memory
demo "" --mode memory
