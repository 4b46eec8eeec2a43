#!/usr/bin/env bash
# Mutation testing of the engine's mathematics with Stryker.NET: each mutant (an operator flipped, a constant changed, a
# statement removed) must make some engine test fail. Not part of CI: one folder takes minutes on two cores.
#
#   bash tests/mutation/run-mutation.sh                 # Costs/, Activations/, Optimizers/, Backpropagation.cs, one at a time
#   bash tests/mutation/run-mutation.sh "Targets/**/*.cs"   # any glob under src/MlNetBackprop/Network
#
# Stryker creates mutants for the whole assembly and ignores those outside -m, so the instrumented kernels slow the full
# suite down a great deal; only the engine's tests (namespace MlNetBackprop.Tests.Network) run, which is what these
# folders are meant to be caught by. Reports go to tests/mutation/reports/<target>/ (ignored by git); the score is in
# the last lines of each run's output.
set -euo pipefail
cd "$(dirname "$0")"
tools="$PWD/.tools"
[ -x "$tools/dotnet-stryker" ] || dotnet tool install --tool-path "$tools" dotnet-stryker --version 5.1.0
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("Costs/**/*.cs" "Activations/**/*.cs" "Optimizers/**/*.cs" "Backpropagation.cs")
cd ../MlNetBackprop.Tests
for target in "${targets[@]}"; do
  name=$(echo "$target" | sed 's|/\*\*/\*\.cs||; s|\.cs$||; s|[^A-Za-z0-9]|-|g')
  echo "=== mutating Network/$target"
  "$tools/dotnet-stryker" --project MlNetBackprop.csproj -m "Network/$target" \
    --test-case-filter "FullyQualifiedName~MlNetBackprop.Tests.Network" --concurrency 2 --configuration Release \
    --reporter cleartext --reporter json --reporter html -O "../mutation/reports/$name"
done
