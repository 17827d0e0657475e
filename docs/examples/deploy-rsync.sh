#!/usr/bin/env bash
# Build the site and copy it to a web server with rsync, sending only the files that changed.
#
#   usage: deploy-rsync.sh DEST [BASE_URL]
#   e.g.   docs/examples/deploy-rsync.sh user@host:/var/www/briefings/ https://example.org/briefings/
#
# Run it from the site root (the folder with site.yaml). BASE_URL defaults to base_url in
# site.yaml. DRY_RUN=1 shows what rsync would send and delete, and changes nothing.
#
# DEST is made an exact copy of public/: --delete removes every other file in it, so give
# the site its own folder. --checksum compares contents: the build writes every file afresh,
# so rsync's usual size-and-time check would see every file as changed. --no-times leaves
# unchanged files alone on the server (their Last-Modified and ETag stay the same).
# --delay-updates and --delete-delay put the new files in place and delete the old ones at
# the end, so readers do not see half an update (a new search index is several files).
set -euo pipefail

if [ "$#" -lt 1 ] || [ "$#" -gt 2 ] || [ -z "$1" ]; then
    echo "usage: $0 DEST [BASE_URL]" >&2
    echo "  e.g. $0 user@host:/var/www/briefings/ https://example.org/briefings/" >&2
    exit 2
fi
dest=$1
base_url=${2:-}

if [ ! -f site.yaml ]; then
    echo "$0: no site.yaml in $PWD; run this from the site root" >&2
    exit 2
fi
for command in briefgen rsync; do
    if ! command -v "$command" >/dev/null 2>&1; then
        echo "$0: '$command' is not installed or not on PATH" >&2
        exit 2
    fi
done

build=(briefgen build --strict --output public)
if [ -n "$base_url" ]; then
    build+=(--base-url "$base_url")
fi
"${build[@]}" # on failure (exit 1 or 2) set -e stops here: nothing is sent

sync=(rsync -av --checksum --no-times --delete-delay --delay-updates)
if [ "${DRY_RUN:-0}" = 1 ]; then
    sync+=(--dry-run)
fi
"${sync[@]}" public/ "$dest"
