#!/usr/bin/env bash
# The ONNX checker's full check (Debian's python3-onnx) on models ExportToOnnx writes: one per task, hidden activation
# and multiclass output, exported by the scoring helper from iris, and the pipelines OnnxExportTests exports whole. Installs python3-onnx when it is missing. Ends with
# "N passed, N failed" (one per model).
set -euo pipefail
cd "$(dirname "$0")/../.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
if ! /usr/bin/python3 -c "import onnx" 2>/dev/null; then
  echo "onnx: installing python3-onnx"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-onnx >/dev/null
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dotnet run -c Release --project tests/MlNetBackprop.ScoringHelper -- export-onnx samples/data/iris/iris.csv "$out"
# and the whole pipelines OnnxExportTests exports (one-hot categories, missing values, in-place normalizers), which
# write their models there when MLNETBACKPROP_ONNX_OUT is set.
MLNETBACKPROP_ONNX_OUT="$out" dotnet test tests/MlNetBackprop.Tests -c Release --filter "FullyQualifiedName~OnnxExportTests" >/dev/null
/usr/bin/python3 - "$out" <<'PY'
import glob, sys
import onnx
passed = failed = 0
for path in sorted(glob.glob(sys.argv[1] + "/*.onnx")):
    try:
        onnx.checker.check_model(onnx.load(path), full_check=True)
        passed += 1
    except Exception as e:
        failed += 1
        print(f"FAILED {path}: {e}")
print(f"{passed} passed, {failed} failed")
sys.exit(0 if failed == 0 and passed > 0 else 1)
PY
