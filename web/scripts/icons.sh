#!/usr/bin/env bash
# Renders the PNG icons of the web app manifest from public/icons/icon.svg with headless Chromium.
# Run by hand after changing the SVG; the PNGs are committed.
set -euo pipefail
cd "$(dirname "$0")/../public/icons"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
render() { # size, padding percent (maskable icons keep their content in the middle 80 %), output
  local svg; svg=$(base64 -w0 icon.svg)
  cat > "$tmp/page.html" <<HTML
<html><body style="margin:0;background:#0a0a0f"><div style="width:$1px;height:$1px;display:flex;align-items:center;justify-content:center">
<img src="data:image/svg+xml;base64,$svg" style="width:$((100 - 2 * $2))%;height:$((100 - 2 * $2))%"></div></body></html>
HTML
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --window-size="$1,$1" --screenshot="$tmp/out.png" "file://$tmp/page.html" >/dev/null 2>&1
  mv "$tmp/out.png" "$3"
}
render 192 0 icon-192.png
render 512 0 icon-512.png
render 512 12 icon-maskable-512.png
