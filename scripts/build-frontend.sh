#!/usr/bin/env bash
# Rebuild the vendored front-end assets under safeguard/static/ from the npm registry.
#
# Reproducible: every package is pinned to an exact version and installed into a
# scratch folder outside the repository (nothing from node_modules is committed).
# GOV.UK Frontend's Sass is compiled with a system font stack instead of the
# GDS Transport typeface, which is licensed for GOV.UK services only.
#
# Usage: scripts/build-frontend.sh            (uses a fresh temp dir)
#        BUILD_DIR=/tmp/govuk-build scripts/build-frontend.sh
set -euo pipefail

GOVUK_FRONTEND_VERSION="5.14.0"
SASS_VERSION="1.108.2"
HTMX_VERSION="2.0.11"
AXE_CORE_VERSION="4.14.1"
CYTOSCAPE_VERSION="3.35.0"

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -z "${BUILD_DIR:-}" ]; then
  BUILD_DIR="$(mktemp -d -t safeguard-frontend-XXXXXX)"
  trap 'rm -rf "$BUILD_DIR"' EXIT
fi
STATIC="$REPO_ROOT/safeguard/static"
GOVUK_OUT="$STATIC/govuk"

command -v npm >/dev/null || { echo "npm is required (Node 20+)" >&2; exit 1; }

echo "Building in $BUILD_DIR"
mkdir -p "$BUILD_DIR"
cd "$BUILD_DIR"
[ -f package.json ] || npm init -y >/dev/null
npm install --save-exact --no-audit --no-fund --ignore-scripts \
  "govuk-frontend@$GOVUK_FRONTEND_VERSION" \
  "sass@$SASS_VERSION" \
  "htmx.org@$HTMX_VERSION" \
  "axe-core@$AXE_CORE_VERSION" \
  "cytoscape@$CYTOSCAPE_VERSION"

GF="$BUILD_DIR/node_modules/govuk-frontend/dist/govuk"

cat > "$BUILD_DIR/safeguard-govuk.scss" <<'SCSS'
// Safeguard build of GOV.UK Frontend.
// GDS Transport is restricted to GOV.UK, so use the platform's system font.
$govuk-font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
$govuk-include-default-font-face: false;
$govuk-assets-path: "/static/govuk/assets/";

@import "govuk-frontend/dist/govuk/index";
SCSS

# GOV.UK Frontend 5 still uses @import; silence dart-sass's deprecation noise
# for it (the output is unaffected).
node_modules/.bin/sass \
  --load-path=node_modules \
  --style=compressed \
  --no-source-map \
  --quiet-deps \
  --silence-deprecation=import \
  --silence-deprecation=global-builtin \
  --silence-deprecation=slash-div \
  safeguard-govuk.scss "$BUILD_DIR/govuk-frontend.min.css"

if grep -q "GDS Transport" "$BUILD_DIR/govuk-frontend.min.css"; then
  echo "Compiled CSS still references GDS Transport" >&2
  exit 1
fi

rm -rf "$GOVUK_OUT"
mkdir -p "$GOVUK_OUT/assets"
cp "$BUILD_DIR/govuk-frontend.min.css" "$GOVUK_OUT/govuk-frontend.min.css"
cp "$GF/govuk-frontend.min.js" "$GOVUK_OUT/govuk-frontend.min.js"
# Drop the source map comment: the map itself is not vendored.
sed -i -e 's~//# sourceMappingURL=.*$~~' "$GOVUK_OUT/govuk-frontend.min.js"
cp -R "$GF/assets/images" "$GOVUK_OUT/assets/images"
cp "$GF/assets/manifest.json" "$GOVUK_OUT/assets/manifest.json"
if [ -d "$GF/assets/rebrand" ]; then
  cp -R "$GF/assets/rebrand" "$GOVUK_OUT/assets/rebrand"
fi
# Fonts are deliberately NOT copied (GDS Transport is for GOV.UK only).
# govuk-frontend ships no licence file in its npm package: MIT, see VENDORED.md.

mkdir -p "$STATIC/vendor"
cp "$BUILD_DIR/node_modules/htmx.org/dist/htmx.min.js" "$STATIC/vendor/htmx.min.js"
cp "$BUILD_DIR/node_modules/htmx.org/LICENSE" "$STATIC/vendor/htmx.LICENSE.txt"
cp "$BUILD_DIR/node_modules/cytoscape/dist/cytoscape.min.js" "$STATIC/vendor/cytoscape.min.js"
cp "$BUILD_DIR/node_modules/cytoscape/LICENSE" "$STATIC/vendor/cytoscape.LICENSE.txt"

mkdir -p "$REPO_ROOT/tests/browser/vendor"
cp "$BUILD_DIR/node_modules/axe-core/axe.min.js" "$REPO_ROOT/tests/browser/vendor/axe.min.js"
cp "$BUILD_DIR/node_modules/axe-core/LICENSE" "$REPO_ROOT/tests/browser/vendor/axe-core.LICENSE.txt"

echo "Vendored: govuk-frontend $GOVUK_FRONTEND_VERSION (sass $SASS_VERSION), htmx.org $HTMX_VERSION, axe-core $AXE_CORE_VERSION, cytoscape $CYTOSCAPE_VERSION"
