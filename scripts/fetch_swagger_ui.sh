#!/usr/bin/env bash
# Fetches the Swagger UI files cogi builds into its /docs page (framework/openapi/):
# swagger-ui-dist from the npm registry, one pinned version, its tarball checked
# against the registry's published sha512 before anything is unpacked. Idempotent:
# prints nothing when the copy is there. Run by scripts/setup.sh; needs curl.
#   scripts/fetch_swagger_ui.sh [DIRECTORY]   (default /usr/local/share/cogi/swagger-ui-dist)
set -euo pipefail
version=5.17.14
sha512=CVbSfaLpstV65OnSjbXfVd6Sta3q3F7Cj/yYuvHMp1P90LztOLs6PfUnKEVAeiIVQt9u2SaPwv0LiH/OyMjHRw==
dir=${1:-/usr/local/share/cogi/swagger-ui-dist}

[ "$(cat "$dir/VERSION" 2>/dev/null)" = "$version" ] && exit 0

echo "setup: fetching swagger-ui-dist $version into $dir" >&2
sudo_cmd=()
parent=$(dirname "$dir")
[ -w "$parent" ] || [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
curl -sSfL --retry 3 -o "$work/dist.tgz" "https://registry.npmjs.org/swagger-ui-dist/-/swagger-ui-dist-$version.tgz"
actual=$(openssl dgst -sha512 -binary "$work/dist.tgz" | base64 -w0)
if [ "$actual" != "$sha512" ]; then
  echo "setup: swagger-ui-dist $version: checksum mismatch (got sha512-$actual)" >&2
  exit 1
fi
tar -xzf "$work/dist.tgz" -C "$work" package/swagger-ui.css package/swagger-ui-bundle.js package/LICENSE
echo "$version" > "$work/package/VERSION"
"${sudo_cmd[@]}" mkdir -p "$dir"
"${sudo_cmd[@]}" cp "$work/package/swagger-ui.css" "$work/package/swagger-ui-bundle.js" "$work/package/LICENSE" \
  "$work/package/VERSION" "$dir/"
