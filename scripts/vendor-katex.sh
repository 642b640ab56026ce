#!/usr/bin/env bash
# Re-vendor KaTeX (math typesetting, served from the site itself so pages work offline).
# Takes the pinned release from the npm registry, keeps the minified JS (run at build time
# by initnotes.typeset, not served), the CSS and the WOFF2 fonts (served), and drops the
# WOFF/TTF fallbacks from the CSS.
set -euo pipefail
VERSION=${1:-0.19.1}
cd "$(dirname "$0")/.."
dest=docs/assets/vendor/katex
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "katex@$VERSION" --silent >/dev/null && tar xzf "katex-$VERSION.tgz")
rm -rf "$dest" && mkdir -p "$dest/fonts"
cp "$tmp/package/LICENSE" "$dest/LICENSE"
cp "$tmp/package/dist/katex.min.js" "$dest/"
cp "$tmp/package/dist/fonts/"*.woff2 "$dest/fonts/"
sed -E 's/,url\([^)]*\.woff\) format\("woff"\)//g; s/,url\([^)]*\.ttf\) format\("truetype"\)//g' \
  "$tmp/package/dist/katex.min.css" > "$dest/katex.min.css"
echo "$VERSION" > "$dest/VERSION"
echo "KaTeX $VERSION vendored into $dest"
