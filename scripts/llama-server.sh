#!/usr/bin/env bash
# Builds llama.cpp's `llama-server` (OpenAI-compatible, continuous batching over parallel
# slots) for `local()`, and installs it as $PREFIX/bin/llama-server (default /usr/local).
# The source is the llama.cpp that the llama-cpp-python 0.3.36 sdist vendors: a pinned
# release, checked by its hash. Only the server target is built, statically, so nothing
# else is installed. Run by scripts/install; 14 CPU-minutes (about 7-8 minutes on 2 cores).
set -euo pipefail
PY=${PYTHON:-python3}
PREFIX=${PREFIX:-/usr/local}
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

if ! command -v cmake >/dev/null 2>&1 || ! command -v g++ >/dev/null 2>&1 || ! command -v make >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq cmake g++ make
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "llama-cpp-python==0.3.36 --hash=sha256:832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e" \
  > "$work/source.txt"
"$PY" -m pip download --quiet --disable-pip-version-check --no-deps --no-binary :all: \
  --require-hashes -r "$work/source.txt" -d "$work"
tar -xzf "$work"/llama_cpp_python-0.3.36.tar.gz -C "$work"
src="$work/llama_cpp_python-0.3.36/vendor/llama.cpp"

# GGML_NATIVE=OFF and the AVX2 flags: a native build targets the exact CPU and can crash on
# others. No web UI (it would be fetched from the network), no TLS, no tests or examples.
cmake -S "$src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
  -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
  -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_OPENSSL=OFF \
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF >"$work/cmake.log" \
  || { cat "$work/cmake.log"; exit 1; }
cmake --build "$work/build" --target llama-server -j "$(nproc)" >"$work/build.log" \
  || { tail -40 "$work/build.log"; exit 1; }
$SUDO install -D -m 0755 "$work/build/bin/llama-server" "$PREFIX/bin/llama-server"
"$PREFIX/bin/llama-server" --version 2>&1 | head -2
