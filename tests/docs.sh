#!/bin/bash
# tests/docs.sh: Documentation/xen/pvh.rst is valid and says what the code does; TAP.
#
#   - the kernel's own `make htmldocs SPHINXDIRS=xen` (Debian's Sphinx) builds
#     it with no warning about Documentation/xen, and docutils alone parses it
#     with no warning either;
#   - each option of its "Boot options" section is a kernel parameter
#     (early_param, __setup, core_param) of the series tree, and each one our
#     files register is in that section;
#   - each line of a literal block in "Troubleshooting" that starts like our
#     messages ("PVH:", "Xen PVH") is one of them, and each message our files
#     print at info level or above (pr_*, panic, the PVH entry's early
#     console and its assembly strings) is there, "..." standing for any
#     value of a conversion.
# Needs the series tree ($BUILD/linux/src, `make series`) for the options
# that are upstream's.
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"

rst=$TOP/Documentation/xen/pvh.rst
tree=$BUILD/linux/src
[ -f "$tree/Makefile" ] || die "no series tree in $tree: run 'make series' first"
need_pkgs python3-docutils python3-sphinx

# The kernel's documentation build, for Documentation/xen alone, out of the tree.
hfail=0
docs=$BUILD/docs
rm -rf "$docs"
# Debian's python3, with apt's Sphinx and docutils, not one earlier in PATH.
export PATH=/usr/bin:$PATH
if make -s -C "$tree" O="$docs" SPHINXDIRS=xen htmldocs >"$docs.log" 2>&1 &&
	[ -f "$docs/Documentation/output/xen/pvh.html" ]; then
	warn=$(grep -i 'warning\|error' "$docs.log" | grep 'Documentation/xen' || true)
	if [ -z "$warn" ]; then
		echo "ok 1 - make htmldocs SPHINXDIRS=xen builds pvh.html with no warning about it"
	else
		echo "not ok 1 - make htmldocs SPHINXDIRS=xen warns about Documentation/xen"
		sed 's/^/#   /' <<<"$warn" | head -20
		hfail=1
	fi
else
	echo "not ok 1 - make htmldocs SPHINXDIRS=xen builds pvh.html ($docs.log)"
	tail -5 "$docs.log" | sed 's/^/#   /'
	hfail=1
fi

# Our C and assembly files: what the series adds, not the hooks into upstream files.
ours=$(cd "$TOP" && git ls-files 'arch/*.c' 'arch/*.S' 'drivers/*.c')
# shellcheck disable=SC2086
python3 - "$rst" "$tree" "$TOP" "$hfail" $ours <<'PY'
import glob
import io
import re
import subprocess
import sys

import docutils.core
import docutils.utils

rst, tree, top, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[5:]
n, failed = 1, int(sys.argv[4])	# the htmldocs line above


def tap(ok, desc, detail=()):
    global n, failed
    n += 1
    print(("ok" if ok else "not ok") + f" {n} - {desc}")
    if not ok:
        failed += 1
        for d in list(detail)[:20]:
            print(f"#   {d}")


text = open(rst).read()
err = io.StringIO()
try:
    docutils.core.publish_doctree(text, source_path=rst, settings_overrides={
        "halt_level": 5, "report_level": 2, "warning_stream": err})
except Exception as e:
    err.write(str(e))
tap(not err.getvalue(), "pvh.rst is valid reStructuredText (docutils, no warning)",
    err.getvalue().splitlines())


def section(title):
    """The lines of the section titled TITLE, up to the next title of its level or above."""
    lines = text.split("\n")
    i = lines.index(title)
    under = lines[i + 1][0]
    out = []
    for j in range(i + 2, len(lines) - 1):
        if lines[j + 1] and set(lines[j + 1]) == {under} and len(lines[j + 1]) >= len(lines[j]):
            break
        out.append(lines[j])
    return out


# --- boot options ---------------------------------------------------------------------------
opts = section("Boot options")
# A definition-list term: ``name=...`` or ``name`` alone at the start of a line.
doc_opts = {m.group(1) for l in opts for m in [re.match(r"``([a-z0-9_.]+)[=`]", l)] if m}
tap(bool(doc_opts), f"the Boot options section lists options ({len(doc_opts)})")
registered = subprocess.run(
    ["git", "-C", tree, "grep", "-h", "-o", "-E",
     r'(early_param|__setup|core_param)\("?[a-z0-9_.]+', "--", "*.c"],
    capture_output=True, text=True).stdout
known = {re.sub(r'^.*\("?', "", l) for l in registered.split("\n") if l}
missing = sorted(o for o in doc_opts if o not in known)
tap(not missing, "every option in Boot options is a kernel parameter of the series tree",
    [f"{o}: no early_param/__setup/core_param" for o in missing])
ours_opts = set()
for f in files:
    for m in re.finditer(r'(?:early_param|__setup)\("([a-z0-9_.]+)', open(f"{top}/{f}").read()):
        ours_opts.add(m.group(1).rstrip("="))
undoc = sorted(ours_opts - doc_opts)
tap(not undoc, f"every parameter our files register is in Boot options ({len(ours_opts)})",
    [f"{o} is not documented" for o in undoc])

# --- messages --------------------------------------------------------------------------------
def c_messages(path):
    src = open(path).read()
    m = re.search(r'#define pr_fmt\(fmt\)\s+"([^"]*)"\s*fmt', src)
    prefix = m.group(1) if m else ""
    out = []
    call = r'\b(pr_(?:emerg|alert|crit|err|warn|notice|info)|panic|pvh_early_printk)\s*\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+)'
    for m in re.finditer(call, src):
        s = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(2)))
        out.append(((prefix if m.group(1).startswith("pr_") else "") + s, True))
    return out


def asm_messages(path):
    """.asciz lines, and the start of each pvh_puts_nomem message ('~' is a space), which
    the code completes with a hex value or " - cannot continue": matched as a prefix."""
    src = open(path).read()
    out = [(s, True) for s in re.findall(r'\.asciz\s+"((?:[^"\\]|\\.)*)"', src)]
    out += [(s.replace("~", " "), False)
            for s in re.findall(r'pvh_puts_nomem "(PVH:[^"]*)"', src)]
    return out


msgs = {}
for f in files:
    p = f"{top}/{f}"
    for m, whole in asm_messages(p) if f.endswith(".S") else c_messages(p):
        m = m.replace("\\n", "").replace('\\"', '"').strip()
        if m:
            msgs[m] = whole


def pattern(fmt, whole):
    """A regex for a message as the docs write it: a conversion is anything ('...' too)."""
    parts = re.split(r"%[-#0 +]*[0-9]*(?:\.[0-9]+)?(?:hh|h|ll|l|z)?[diouxXscp]", fmt)
    return re.compile(r".*?".join(re.escape(p) for p in parts) + (r"\s*$" if whole else ""))


trouble = section("Troubleshooting")
# literal block lines: indented lines after a line ending in "::"
lit, inblock = [], False
for l in trouble:
    if l.rstrip().endswith("::"):
        inblock = True
        continue
    if inblock and l and not l.startswith(" "):
        inblock = False
    if inblock and l.strip():
        lit.append(l.strip())
pats = [(m, pattern(m, whole)) for m, whole in sorted(msgs.items())]
unknown = [l for l in lit if re.match(r"(Xen )?PVH( dom0)?:", l) and
           not any(p.match(l) for _, p in pats)]
tap(not unknown, f"every PVH message quoted in Troubleshooting is one our code prints ({len(lit)} quoted)",
    [f"not in the code: {l}" for l in unknown])
absent = [m for m, p in pats if not any(p.match(l) for l in lit)]
tap(not absent, f"every message our files print is in Troubleshooting ({len(msgs)} messages)",
    [f"not documented: {m}" for m in absent])

print(f"1..{n}")
print(f"# tests/docs.sh: {n - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
