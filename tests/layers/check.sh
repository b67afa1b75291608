#!/bin/sh
# SPDX-License-Identifier: MIT
# check-layers: the include rules of src/LAYERS.
#  1. a file in src/F/ includes only headers of F and of the folders F's
#     line lists (lower layers); src/main.c and src/options.h are the top;
#  2. every project include names its folder ("log/evlog.h"), except the
#     headers generated into $(BUILD)/gen;
#  3. no include cycle between files (tsort over the include graph).
# Prints one line per violation and exits 1 if there is any.
set -u
cd "$(dirname "$0")/../.." || exit 2
rules=src/LAYERS
generated="systab_gen.h decode_gen.h xlat_gen.h report_assets.h vmlinux.h trace.skel.h"
bad=0
edges=$(mktemp)
trap 'rm -f "$edges"' EXIT

allowed_for() { # folder -> "lib log ..." or "-" when the folder is not listed
	awk -v f="$1" -F: '!/^#/ && $1 == f { print "ok" $2; found = 1 } END { if (!found) print "-" }' "$rules" |
		sed 's/^ok//'
}

for file in $(find src -name '*.[ch]' | sort); do
	rel=${file#src/}
	case $rel in
	*/*) folder=${rel%%/*} ;;
	*) folder="" ;;
	esac
	if [ -n "$folder" ]; then
		allowed=$(allowed_for "$folder")
		if [ "$allowed" = "-" ]; then
			echo "$file: folder src/$folder/ is not in src/LAYERS"
			bad=1
			continue
		fi
	fi
	grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$file" |
		sed 's/^\([0-9]*\):.*"\(.*\)".*/\1 \2/' > "$edges.one"
	while read -r line inc; do
		case " $generated " in *" $inc "*) continue ;; esac
		if [ ! -f "src/$inc" ]; then
			echo "$file:$line: #include \"$inc\" does not name a header under src/ (write \"folder/name.h\")"
			bad=1
			continue
		fi
		echo "$rel $inc" >> "$edges"
		[ -n "$folder" ] || continue
		case $inc in
		*/*) to=${inc%%/*} ;;
		*) to=top ;;
		esac
		[ "$to" = "$folder" ] && continue
		case " $allowed " in
		*" $to "*) ;;
		*)
			if [ "$to" = top ]; then
				echo "$file:$line: src/$folder/ includes the top level's \"$inc\" (pass the settings in instead)"
			else
				echo "$file:$line: src/$folder/ may not include src/$to/ (\"$inc\"); allowed: $(echo $allowed)"
			fi
			bad=1 ;;
		esac
	done < "$edges.one"
done
rm -f "$edges.one"

# A .c file and its own .h are one module: fold each x.c into x.h so that
# "x.c includes y.h, y.c includes x.h" counts as the cycle it is.
sed 's/\.c /.h /; s/\.c$/.h/' "$edges" | awk '$1 != $2' > "$edges.mod"
if ! tsort "$edges.mod" > /dev/null 2> "$edges.err"; then
	echo "include cycle between modules (a .c and its .h count as one):"
	grep -v 'input contains a loop' "$edges.err" | sed 's/^tsort: /  /'
	bad=1
fi
rm -f "$edges.mod" "$edges.err"
[ "$bad" = 0 ] && echo "check-layers: $(wc -l < "$edges") includes, no violations"
exit "$bad"
