# lab/lablib.sh: host-side helpers shared by the lab scripts and tests/lab-selftest.sh; sourced.
# shellcheck shell=bash
# Needs scripts/lib.sh (say, die) sourced first.

# --- image caching: rebuild an image only when the content of its inputs changed ----------
# input_key FILE...: one hash over the files' contents (and names)
input_key() {
	local f
	for f in "$@"; do
		[ -e "$f" ] || die "input_key: missing $f"
		printf '%s\n' "$f"; sha256sum <"$f"
	done | sha256sum | cut -c1-16
}
key_matches() { [ -s "$1" ] && [ -f "$1.key" ] && [ "$(cat "$1.key")" = "$2" ]; }
key_write() { echo "$2" >"$1.key"; }

# --- plans -------------------------------------------------------------------------------
# plan_parse FILE: validated plan lines on stdout as NAME|KERNEL|EXPECT|CFG (fields trimmed,
# CFG lines still ';'-separated). Comments (#) and blank lines are skipped. Returns 1, with
# "PLAN-ERROR line N: why" on stdout, at the first bad line.
plan_parse() {
	awk -F'|' '
	function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t\r]+$/, "", s); return s }
	function bad(why) { printf "PLAN-ERROR line %d: %s\n", NR, why; err = 1; exit 1 }
	/^[ \t]*(#|$)/ { next }
	{
		if (NF < 3) bad("want at least 3 |-separated fields: name | kernel | expect [| cfg]")
		name = trim($1); kernel = trim($2); expect = trim($3)
		# the expect field may hold "|" inside a refuse regex: everything up to the last
		# field is the expect when there are more than 4 fields
		cfg = (NF >= 4) ? trim($NF) : ""
		for (i = 4; i < NF; i++) expect = expect "|" $i
		expect = trim(expect)
		if (name !~ /^[A-Za-z0-9][A-Za-z0-9_.-]*$/) bad("bad guest name \"" name "\"")
		if (kernel !~ /^[A-Za-z0-9][A-Za-z0-9_.-]*$/) bad("bad kernel name \"" kernel "\"")
		if (expect !~ /^(PV|PVH|HVM|refuse:.+)$/) bad("expect must be PV, PVH, HVM or refuse:REGEX, not \"" expect "\"")
		if (seen[name]++) bad("duplicate guest name \"" name "\"")
		n++
		print name "|" kernel "|" expect "|" cfg
	}
	END { if (!err && !n) { print "PLAN-ERROR: no guests in plan"; exit 1 } }' "$1"
}

# plan_cfg_lines CFG: the plan's xl config lines, one per line (split on ';', trimmed)
plan_cfg_lines() {
	awk -v s="$1" 'BEGIN { n = split(s, a, ";")
		for (i = 1; i <= n; i++) { l = a[i]; sub(/^[ \t]+/, "", l); sub(/[ \t]+$/, "", l); if (l != "") print l } }'
}

# --- results -------------------------------------------------------------------------------
# field LINE KEY: value of KEY=... in a LAB-RESULT line (xl_msg is last and takes the rest)
field() {
	local line=$1 key=$2
	if [ "$key" = xl_msg ]; then
		case "$line" in *" xl_msg="*) printf '%s\n' "${line#* xl_msg=}" ;; esac
		return 0
	fi
	line=" ${line%% xl_msg=*} "
	# pure bash: this runs a dozen times per guest
	if [[ "$line" =~ \ $key=([^ ]*)\  ]]; then printf '%s\n' "${BASH_REMATCH[1]}"; fi
	return 0
}

# verdict EXPECT RESULT-LINE GUEST-LINES: "ok|DESCRIPTION" or "not ok|REASON" (no name).
# GUEST-LINES: what dom0 printed for this guest (xl output as "xl: ...", console lines), with
# the "[name] " prefix removed. Only the guest's own report proves a mode.
verdict() {
	local expect=$1 r=$2 glines=$3 rc gt marker panic secs left to re plines msg nok
	if [ -z "$r" ]; then echo "not ok|no result"; return; fi
	rc=$(field "$r" create_rc); gt=$(field "$r" guest_type); marker=$(field "$r" marker)
	panic=$(field "$r" panic); secs=$(field "$r" secs); left=$(field "$r" leftover)
	to=$(field "$r" timeout); msg=$(field "$r" xl_msg)
	plines=$(grep -E 'Kernel panic|BUG:|Oops|general protection' <<<"$glines" | head -1)
	case "$expect" in
	refuse:*)
		re=${expect#refuse:}
		if [ "$rc" = 0 ]; then
			echo "not ok|xl create succeeded (rc 0, guest_type ${gt:-?}), expected a refusal matching /$re/"
		elif ! grep '^xl: ' <<<"$glines" | grep -qE -- "$re"; then
			echo "not ok|xl create rc $rc, but message mismatch: wanted /$re/, got '${msg:-no xl output}'"
		elif [ "$left" != 0 ]; then
			echo "not ok|leftover domain after refused xl create (rc $rc)"
		else
			echo "ok|refused (xl create rc $rc): /$re/"
		fi ;;
	*)
		nok=$(grep -E '^not ok [0-9]+' <<<"$glines" | head -1)
		if [ "$rc" != 0 ]; then
			echo "not ok|xl create rc ${rc:-?}: ${msg:-no xl output}"
		elif [ "$panic" = 1 ]; then
			echo "not ok|panic: ${plines:-panic seen in the guest console}"
		elif [ "$marker" != 1 ] && [ "$to" = 1 ]; then
			echo "not ok|timeout: no LAB-GUEST-DONE after ${secs:-?} s (guest_type ${gt:-not reported})"
		elif [ "$marker" != 1 ]; then
			echo "not ok|no LAB-GUEST-DONE marker: guest died after ${secs:-?} s (guest_type ${gt:-not reported})"
		elif [ "$gt" != "$expect" ]; then
			echo "not ok|guest_type ${gt:-none}, expected $expect"
		elif [ -n "$nok" ]; then
			echo "not ok|guest check failed: ${nok#not ok }"
		elif [ "$left" != 0 ]; then
			echo "not ok|leftover domain: it did not go away after poweroff"
		else
			echo "ok|guest_type $gt ($secs s)"
		fi ;;
	esac
}
