#!/usr/bin/env bash
# Checks the links of README.md and docs/*.md: every relative link points at a file or folder
# of the repository, every #anchor at a heading of the page it names, and every code path written
# in backticks outside code blocks (`src/...`, `proto/...`, `k8s/...`, `.ci/...`, `bench/...`,
# `docs/...`) exists. Web links are not fetched. Prints each broken link and exits 1 if any.
#
# Needs python3 (any version from 3.8). Usage: bash .ci/docs-links.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

exec python3 - README.md docs/*.md <<'PY'
import os
import re
import sys

ROOT = os.getcwd()
LINK = re.compile(r"\[(?:[^\[\]]|\[[^\]]*\])*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
CODE_PATH = re.compile(r"`((?:\.\./)*(?:src|proto|k8s|bench|docs|\.ci|\.mvn)/[^`\s]*)`")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def prose_lines(path):
    """(line number, text) of the lines outside fenced code blocks."""
    fenced = False
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if line.lstrip().startswith("```"):
                fenced = not fenced
                continue
            if not fenced:
                yield number, line.rstrip("\n")


def slug(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)   # a link in a heading keeps its text
    text = text.lower().replace("`", "")
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


anchors_cache = {}


def anchors(path):
    if path not in anchors_cache:
        seen = {}
        found = set()
        for _, line in prose_lines(path):
            m = HEADING.match(line)
            if m:
                base = slug(m.group(2))
                n = seen.get(base, 0)
                found.add(base if n == 0 else f"{base}-{n}")
                seen[base] = n + 1
        anchors_cache[path] = found
    return anchors_cache[path]


broken = []
checked = 0
for page in sys.argv[1:]:
    here = os.path.dirname(page)
    for number, line in prose_lines(page):
        for m in LINK.finditer(line):
            target = m.group(1)
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):   # http:, https:, mailto:
                continue
            checked += 1
            path, _, anchor = target.partition("#")
            resolved = os.path.normpath(os.path.join(here, path)) if path else page
            where = f"{page}:{number}: {target}"
            if not os.path.abspath(resolved).startswith(ROOT + os.sep) and os.path.abspath(resolved) != ROOT:
                broken.append(f"{where}: points outside the repository")
            elif not os.path.exists(resolved):
                broken.append(f"{where}: {resolved} does not exist")
            elif anchor and resolved.endswith(".md") and anchor not in anchors(resolved):
                broken.append(f"{where}: {resolved} has no heading with the anchor #{anchor}")
            elif anchor and not resolved.endswith(".md"):
                broken.append(f"{where}: only Markdown pages have anchors")
        for m in CODE_PATH.finditer(line):
            raw = m.group(1)
            if any(c in raw for c in "*<>{}$"):
                continue   # a pattern or placeholder, not a path
            checked += 1
            # written from the repository root, or relative to the page when it starts with ../
            path = os.path.normpath(os.path.join(here, raw)) if raw.startswith("..") else raw
            if not os.path.exists(path):
                broken.append(f"{page}:{number}: `{raw}` does not exist")

for b in broken:
    print(f"docs-links: BROKEN {b}")
print(f"docs-links: {checked} links and code paths checked in {len(sys.argv) - 1} pages, {len(broken)} broken")
sys.exit(1 if broken else 0)
PY
