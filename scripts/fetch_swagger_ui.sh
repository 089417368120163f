#!/usr/bin/env bash
# Fetches the Swagger UI files cogi builds into its /docs page (framework/openapi/):
# swagger-ui-dist from the npm registry, one pinned version, its tarball checked
# against the registry's published sha512 before anything is unpacked. The tarball is
# kept in scripts/.cache/ (not tracked), so that a container build, which copies
# scripts/, verifies and unpacks that copy instead of reaching the network (whose TLS
# the build container may not trust). Idempotent: prints nothing when all is there.
# Run by scripts/setup.sh; needs curl and openssl.
#   scripts/fetch_swagger_ui.sh                 the tarball, and the files unpacked into
#                                               /usr/local/share/cogi/swagger-ui-dist
#   scripts/fetch_swagger_ui.sh --tarball-only  the tarball only (scripts/container.sh)
set -euo pipefail
version=5.17.14
sha512=CVbSfaLpstV65OnSjbXfVd6Sta3q3F7Cj/yYuvHMp1P90LztOLs6PfUnKEVAeiIVQt9u2SaPwv0LiH/OyMjHRw==
dir=/usr/local/share/cogi/swagger-ui-dist
cache="$(cd "$(dirname "$0")" && pwd)/.cache"
tarball="$cache/swagger-ui-dist-$version.tgz"

verified() { [ -f "$tarball" ] && [ "$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)" = "$sha512" ]; }

if ! verified; then
  echo "setup: fetching swagger-ui-dist $version" >&2
  mkdir -p "$cache"
  curl -sSfL --retry 3 -o "$tarball.part" "https://registry.npmjs.org/swagger-ui-dist/-/swagger-ui-dist-$version.tgz"
  mv "$tarball.part" "$tarball"
  if ! verified; then
    echo "setup: swagger-ui-dist $version: the tarball's sha512 is not the published one" >&2
    rm -f "$tarball"
    exit 1
  fi
fi
[ "${1:-}" = "--tarball-only" ] && exit 0
[ "$(cat "$dir/VERSION" 2>/dev/null)" = "$version" ] && exit 0

echo "setup: unpacking swagger-ui-dist $version into $dir" >&2
sudo_cmd=()
[ -w "$(dirname "$dir")" ] || [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xzf "$tarball" -C "$work" package/swagger-ui.css package/swagger-ui-bundle.js package/LICENSE
echo "$version" > "$work/package/VERSION"
"${sudo_cmd[@]}" mkdir -p "$dir"
"${sudo_cmd[@]}" cp "$work/package/swagger-ui.css" "$work/package/swagger-ui-bundle.js" "$work/package/LICENSE" \
  "$work/package/VERSION" "$dir/"
