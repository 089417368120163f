#!/usr/bin/env bash
# cogi as a CMake package, as a user meets it (docs/packaging.md):
#   1. `cmake --install` of this build into a temporary prefix;
#   2. examples/out_of_tree configured against it with find_package(cogi), built, and
#      run: it must answer a request and shut down cleanly on SIGTERM;
#   3. a project that takes cogi in with add_subdirectory configures cogi's libraries
#      only: no tests, benchmarks or examples, and no jemalloc forced on it.
# Usage: package_test.sh BUILD_DIR SOURCE_DIR C_COMPILER CXX_COMPILER
set -euo pipefail
build=$1 source=$2 cc=$3 cxx=$4
work=$(mktemp -d /tmp/cogi-package.XXXXXX)
server=
cleanup() {
  if [[ -n $server ]]; then kill "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

echo "== install into $work/prefix"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
for file in include/cogi/framework/app.hpp include/cogi/server/runtime/run.hpp include/cogi/third_party/llhttp.h \
            lib/cmake/cogi/cogiConfig.cmake lib/cmake/cogi/cogiConfigVersion.cmake lib/libcogi_framework.a; do
  [[ -e $work/prefix/$file ]] || fail "the install lacks $file"
done
# Nothing of the repository's own layout may leak into what a user includes.
[[ ! -e $work/prefix/include/server ]] || fail "headers installed outside include/cogi"

echo "== examples/out_of_tree against the installed package"
# The user's project has a server/ folder of its own beside its sources: cogi's headers
# must not be confused with it.
cp -r "$source/examples/out_of_tree" "$work/greeter"
mkdir -p "$work/greeter/server/runtime"
echo '#error "the user'"'"'s own server/runtime/run.hpp was included instead of cogi'"'"'s"' > "$work/greeter/server/runtime/run.hpp"
cmake -S "$work/greeter" -B "$work/greeter-build" -DCMAKE_PREFIX_PATH="$work/prefix" \
      -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_CXX_FLAGS="-I$work/greeter" >/dev/null
cmake --build "$work/greeter-build" -j"$(nproc)" >/dev/null

"$work/greeter-build/greeter" --host 127.0.0.1 --port 0 >"$work/greeter.log" 2>&1 &
server=$!
port=
for _ in $(seq 200); do
  port=$(sed -n 's|.*running on http://127.0.0.1:\([0-9]*\).*|\1|p' "$work/greeter.log")
  [[ -n $port ]] && break
  kill -0 "$server" 2>/dev/null || fail "greeter exited: $(cat "$work/greeter.log")"
  sleep 0.05
done
[[ -n $port ]] || fail "greeter did not start: $(cat "$work/greeter.log")"
answer=$(curl -sS --compressed "http://127.0.0.1:$port/hello/cmake")
[[ $answer == "Hello, cmake!" ]] || fail "greeter answered '$answer'"
kill -TERM "$server"
status=0
wait "$server" || status=$?
server=
[[ $status -eq 0 ]] || fail "greeter exited with $status after SIGTERM"
echo "greeter answered '$answer' and exited 0"

echo "== add_subdirectory(cogi) in another project"
mkdir -p "$work/embedder"
cat >"$work/embedder/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.25)
project(embedder LANGUAGES C CXX)
add_subdirectory("$source" cogi)
add_executable(embedder main.cpp)
target_link_libraries(embedder PRIVATE cogi::framework cogi::middleware cogi::runtime)
CMAKE
cp "$source/examples/out_of_tree/main.cpp" "$work/embedder/main.cpp"
cmake -S "$work/embedder" -B "$work/embedder-build" -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" >/dev/null
targets=$(cmake --build "$work/embedder-build" --target help)
for wanted in embedder cogi_framework cogi_middleware cogi_runtime; do
  grep -qx "\.\.\. $wanted" <<<"$targets" || fail "add_subdirectory: no target $wanted"
done
for unwanted in demo http_unit_tests framework_tests async_bench raw_contract_app hello; do
  if grep -qx "\.\.\. $unwanted" <<<"$targets"; then fail "add_subdirectory built cogi's own $unwanted"; fi
done
# jemalloc is the program's choice: the embedder's link line must not have it.
link=$(cat "$work/embedder-build/CMakeFiles/embedder.dir/link.txt")
if grep -q jemalloc <<<"$link"; then fail "add_subdirectory forced jemalloc on the program: $link"; fi
echo "add_subdirectory: cogi's libraries only"
