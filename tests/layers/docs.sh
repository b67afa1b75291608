#!/bin/sh
# SPDX-License-Identifier: MIT
# lint-docs: comments point at files in the repository, never outside it.
#  1. a citation "doc/NAME.md, 'Section'" (or "Section" in double quotes)
#     names an existing doc/NAME.md with a heading "Section";
#  2. nothing cites a bare NAME.md that is not a file of the repository
#     (the design notes the project started from are not in it).
# Prints one line per problem and exits 1 if there is any.
set -u
cd "$(dirname "$0")/../.." || exit 2
bad=0
files=$(git ls-files src tests assets man syscalls report Makefile .ci 2>/dev/null | grep -v -e '^tests/browser/node_modules/' -e '^tests/layers/docs.sh$')
[ -n "$files" ] || files=$(find src tests assets man syscalls report .ci Makefile -type f ! -path '*/node_modules/*')

# 1. every cited section exists
cites=$(mktemp)
trap 'rm -f "$cites"' EXIT
# shellcheck disable=SC2086 # file names from git hold no blanks
grep -n -o -E "doc/[A-Za-z_]+\.md, ['\"][^'\"]+['\"]" $files > "$cites" 2>/dev/null
while IFS= read -r line; do
	where=${line%%:doc/*}
	cite=${line#"$where":}
	doc=${cite%%,*}
	title=$(printf '%s' "$cite" | sed -E "s/^[^,]*, ['\"]//; s/['\"]$//")
	if [ ! -f "$doc" ]; then
		echo "$where: cites $doc, which does not exist"
		bad=1
	elif ! grep -q -x -F "## $title" "$doc" && ! grep -q -x -F "### $title" "$doc"; then
		echo "$where: cites $doc, '$title', which is not a heading there"
		bad=1
	fi
done < "$cites"

# 2. no note outside the repository
# shellcheck disable=SC2086
grep -n -o -E '(^|[^/A-Za-z_])[A-Z][A-Z_]+\.md' $files 2>/dev/null |
	while IFS= read -r line; do
		where=${line%:*}
		name=$(printf '%s' "${line##*:}" | sed -E 's/^[^A-Z]//')
		# README.md and the like next to the citing file are files of the repo
		[ -f "$(dirname "${where%%:*}")/$name" ] && continue
		[ -f "$name" ] && continue
		echo "$where: cites $name, which is not a file of this repository (cite a section of doc/ instead)"
	done > "$cites.bare"
if [ -s "$cites.bare" ]; then
	cat "$cites.bare"
	bad=1
fi
rm -f "$cites.bare"
[ "$bad" = 0 ] && echo "lint-docs: $(wc -l < "$cites") citations of doc/, all found"
exit "$bad"
