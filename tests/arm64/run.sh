#!/usr/bin/env bash
# ARM64 without ARM64 hardware: publishes the engine's tests (tests/MlNetBackprop.Tests/Network, built into the small
# runner in KernelTests/) for linux-arm64 and runs them under qemu's user-mode emulation, which executes real AArch64
# instructions, AdvSimd included. Installs what it needs first (Debian's qemu-user-static and the arm64 C, C++ and
# OpenSSL runtime libraries). Arguments are passed to the runner: substrings of the test classes to run (none: all).
set -euo pipefail
cd "$(dirname "$0")/../.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# libssl: .NET's SHA-256 (the stored records' checksum) calls OpenSSL on Linux.
if ! command -v qemu-aarch64-static >/dev/null || [ ! -e /lib/ld-linux-aarch64.so.1 ] \
   || [ ! -e /usr/lib/aarch64-linux-gnu/libstdc++.so.6 ] || ! ls /usr/lib/aarch64-linux-gnu/libssl.so.* >/dev/null 2>&1; then
  echo "arm64: installing qemu-user-static and the arm64 runtime libraries"
  as_root dpkg --add-architecture arm64
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    qemu-user-static libc6:arm64 libstdc++6:arm64 libgcc-s1:arm64 zlib1g:arm64 libssl3:arm64 >/dev/null
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "arm64: publishing the engine's tests for linux-arm64"
dotnet publish tests/arm64/KernelTests/KernelTests.csproj -c Release -r linux-arm64 --self-contained -o "$out" \
  -nologo -v quiet -p:WarningLevel=0 >/dev/null

# The runtime's background GC is switched off: under emulation (which .NET does not support) it corrupted the heap in
# one multi-threaded test in three of three full runs and never without it, nor on x64 running the same 128-bit
# kernels under a stressed GC. The kernels and the tests are the same either way.
echo "arm64: running them under qemu-aarch64"
DOTNET_gcConcurrent=0 qemu-aarch64-static -L / "$out/MlNetBackprop.KernelTests" "$@"
