#!/bin/bash
# scripts/maintainers.sh TREE: write our MAINTAINERS section into TREE.
#
# MAINTAINERS.pvh holds the whole "XEN PVH" section, the one source of it.
# A commit of the series gets the part of it that covers what the series has
# added by then: the header lines, and each F: line that matches a file the
# index of TREE adds over the base (a pattern ending in / matches everything
# below it, any other one exactly).  The section goes where its title sorts
# among the others; with no F: line left it is removed.  The result is staged.
# --check writes nothing and fails on an F: line that matches no added file
# (stale) or an added file that no F: line covers (unmaintained); series.sh
# runs it on the tip.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

check=0
[ "${1:-}" = --check ] && { check=1; shift; }
tree=${1:?usage: scripts/maintainers.sh [--check] TREE}
section=$TOP/MAINTAINERS.pvh
[ -f "$section" ] || die "no $section"
grep -q '^F:.*[*?[]' "$section" && die "$section: F: lines must be paths, not globs"

added=$(git -C "$tree" diff --cached --name-only --diff-filter=A base)
python3 - "$section" "$tree/MAINTAINERS" "$check" "$added" <<'PY'
import re
import sys

section, maintainers, check = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
added = [f for f in sys.argv[4].split("\n") if f]
own = [l for l in open(section).read().split("\n") if l]
title = own[0]


def covers(pattern, path):
    return path.startswith(pattern) if pattern.endswith("/") else path == pattern


files = [l for l in own if l.startswith("F:\t")]
kept = [l for l in files if any(covers(l[3:], f) for f in added)]
if check:
    bad = [f"{section}: {l[3:]} matches no file the series adds"
           for l in files if l not in kept]
    bad += [f"{section}: no F: line covers {f}"
            for f in added if not any(covers(l[3:], f) for l in files)]
    print("\n".join(bad), file=sys.stderr)
    sys.exit(1 if bad else 0)

text = open(maintainers).read().split("\n")
# Drop the section if an earlier commit wrote it.
if title in text:
    i = text.index(title)
    j = text.index("", i)
    del text[i:j + 1]
if kept:
    body = [l for l in own if not l.startswith("F:\t")] + kept
    start = next(i for i, l in enumerate(text) if l.startswith("Maintainers List"))
    # A section title follows a blank line and precedes a "X:\t" line.
    at = next(i for i in range(start, len(text) - 1)
              if text[i - 1] == "" and text[i] and re.match(r"[A-Z]:\t", text[i + 1])
              and text[i].upper() > title)
    text[at:at] = body + [""]
open(maintainers, "w").write("\n".join(text))
PY
[ "$check" = 1 ] || git -C "$tree" add MAINTAINERS
