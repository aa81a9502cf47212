#!/usr/bin/env bash
# Make the PDF summary's fonts (diary/exports/fonts/) from DejaVu Sans Condensed as Debian ships it
# (apt-get install fonts-dejavu-core fonts-dejavu-extra), keeping only the alphabets drawn left to right
# without shaping: Latin (with Vietnamese), Greek, Cyrillic, Armenian, Georgian, and punctuation.
# A quarter of the size, and fpdf2 reads each in 9 ms rather than 35 (docs/decisions/0014).
# Usage: scripts/pdf_fonts.sh [SOURCE_FOLDER]   (default: /usr/share/fonts/truetype/dejavu)
set -euo pipefail
source="$(realpath "${1:-/usr/share/fonts/truetype/dejavu}")"
cd "$(dirname "$0")/.."
target=diary/exports/fonts
# Arabic and Hebrew are left out on purpose: without shaping they would print in the wrong order.
unicodes="U+0020-007E,U+00A0-024F,U+0300-036F,U+0370-03FF,U+0400-052F,U+0530-058F,U+10A0-10FF,\
U+1E00-1EFF,U+1F00-1FFF,U+2000-206F,U+20A0-20CF,U+2100-214F,U+2190-21FF,U+2212,U+2264,U+2265,U+25A0-25FF"
for font in DejaVuSansCondensed DejaVuSansCondensed-Bold DejaVuSansCondensed-Oblique; do
  .venv/bin/pyftsubset "$source/$font.ttf" --unicodes="$unicodes" --layout-features='*' --glyph-names \
    --name-IDs='*' --name-languages='*' --notdef-outline --output-file="$target/$font.ttf"
done
