# Sourced by the real-client scripts that need npm packages (puppeteer-core, an OpenAPI
# validator): installs pinned packages once into a cache directory (COGI_NPM_CACHE,
# default ~/.cache/cogi-npm) and sets $cache to it. Under a lock: ctest runs the scripts
# side by side, and two npm installs into one directory break each other's tree.
# Usage: . npm_install.sh; npm_install NAME PACKAGE@VERSION...
npm_install() {
  local name=$1
  shift
  cache=${COGI_NPM_CACHE:-$HOME/.cache/cogi-npm}/$name
  command -v npm >/dev/null 2>&1 || "$(dirname "${BASH_SOURCE[0]}")/../../scripts/setup.sh" --build-only npm
  mkdir -p "$cache"
  (
    flock 9
    if [ ! -f "$cache/installed" ] || [ "$(cat "$cache/installed")" != "$*" ]; then
      rm -f "$cache/installed"
      echo '{"type": "module", "private": true}' > "$cache/package.json"
      (cd "$cache" && npm install --silent --no-audit --no-fund "$@" >/dev/null)
      echo "$*" > "$cache/installed"
    fi
  ) 9>"$cache/.lock"
}
