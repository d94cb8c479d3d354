#!/usr/bin/env bash
# Benchmarks `harness check` side by side with ast-grep and ripgrep on denoland/deno and prints
# the tables BENCHMARKS.md reports. Needs hyperfine, rg, ast-grep 0.51.1 (PyPI ast-grep-cli) and
# GNU time; DENO_GIT names a git directory (a clone or mirror) holding the commit below.
#
#   DENO_GIT=/path/to/deno/.git bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo_root=$PWD

DENO_COMMIT=98f9507affc905f088124891add3a8dd63b91f77
: "${DENO_GIT:?set DENO_GIT to a git directory of denoland/deno that holds commit $DENO_COMMIT}"
RUNS=${RUNS:-5}
for tool in hyperfine rg ast-grep python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is not on PATH (apt-get install hyperfine ripgrep; pip install ast-grep-cli==0.51.1)" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }

cargo build --release --locked -q -p harness-cli
H=$repo_root/target/release/harness
work=$repo_root/bench/work
tree=$work/deno
results=$work/results
mkdir -p "$work" "$results"

if [ ! -d "$tree" ]; then
  echo "extracting deno $DENO_COMMIT into bench/work/deno" >&2
  mkdir -p "$tree"
  python3 bench/extract.py "$DENO_GIT" "$DENO_COMMIT" "$tree"
fi

# The same ast-grep rules for both tools; no file size limit, as ast-grep has none.
# Files are replaced, never written in place: the trees share inodes (cp -al).
# setup_ast DIR [RULE_SET]: RULE_SET is bench/rules (the default) or bench/rules-anchored.
setup_ast() {
  local dir=$1 rule_set=${2:-bench/rules}
  rm -rf "$dir/rules" "$dir/sgconfig.yml" "$dir/harness.toml" "$dir/.bench-regex.yml"
  cp "$rule_set/sgconfig.yml" "$dir/sgconfig.yml"
  cp -r "$rule_set/rules" "$dir/rules"
  printf '[rules]\nfiles = []\nsgconfig = ["sgconfig.yml"]\n\n[check]\nmax_file_bytes = 1073741824\n' > "$dir/harness.toml"
  rm -rf "$dir/.harness/state"
}
regex_tree=$work/deno-regex
anchored=$work/deno-anchored
double=$work/deno2x
[ -d "$regex_tree" ] || cp -al "$tree" "$regex_tree"
[ -d "$anchored" ] || cp -al "$tree" "$anchored"
[ -d "$double" ] || { mkdir -p "$double" && cp -al "$tree" "$double/a" && cp -al "$tree" "$double/b"; }
setup_ast "$tree"
if [ ! -d "$tree/.git" ]; then
  # A git repository, for `harness check --changed`.
  git -C "$tree" init -q
  git -C "$tree" add -A
  git -C "$tree" -c user.name=bench -c user.email=bench@localhost commit -qm "deno $DENO_COMMIT"
fi
files=$(cd "$tree" && rg --files -g '*.ts' -g '*.rs' | wc -l)
echo "deno $DENO_COMMIT: $files TypeScript and Rust files"

setup_ast "$anchored" bench/rules-anchored
full_scan() { # full_scan DIR NAME TITLE
  (cd "$1" && "$H" check --no-cache --format json > "$work/harness-$2.json" || true)
  (cd "$1" && ast-grep scan --json=stream > "$work/ast-grep-$2.json" 2>/dev/null || true)
  python3 bench/compare.py "$work/harness-$2.json" "$work/ast-grep-$2.json"
  (cd "$1" && hyperfine -N -i -w 1 -r "$RUNS" --export-json "$results/full-$2.json" \
    "$H check --no-cache --format json" \
    "ast-grep scan --json=stream" >/dev/null)
  python3 bench/ratios.py "$3" "$results/full-$2.json" 1
}
echo "== 1a. full scan, 20 AST rules anchored on the APIs they police: harness vs ast-grep"
full_scan "$anchored" anchored "Full scan, anchored rules (baseline: ast-grep scan)"
echo "== 1b. full scan, 20 broad AST rules: harness vs ast-grep"
full_scan "$tree" broad "Full scan, broad rules (baseline: ast-grep scan)"

echo "== 2. re-check after editing one file"
edited=ext/node/polyfills/http.ts
cp "$tree/$edited" "$work/edited.bak"
rm -rf "$tree/.harness/state"
(cd "$tree" && "$H" check --format json >/dev/null || true)
# Each run first appends a line to the file, so every re-check sees a new edit.
(cd "$tree" && hyperfine -i -w 1 -r $((RUNS * 2)) --export-json "$results/recheck.json" \
  --prepare "rm -f $edited && cp $work/edited.bak $edited && echo \"// edit \$RANDOM\" >> $edited" \
  "$H check --no-cache --format json > /dev/null" \
  "$H check --format json > /dev/null" \
  "$H check --changed --format json > /dev/null" \
  "$H check --format json $edited > /dev/null" >/dev/null)
rm -f "$tree/$edited" && cp "$work/edited.bak" "$tree/$edited"
python3 bench/ratios.py "Re-check after a one-file edit (baseline: cold full scan)" "$results/recheck.json" 0

echo "== 3. regex-only rules: harness vs rg"
rm -rf "$regex_tree/rules" "$regex_tree/sgconfig.yml" "$regex_tree/harness.toml" "$regex_tree/.harness" "$regex_tree/.bench-regex.yml"
cp bench/regex-rules.yml "$regex_tree/.bench-regex.yml"
printf '[rules]\nfiles = [".bench-regex.yml"]\n\n[check]\nmax_file_bytes = 1073741824\n' > "$regex_tree/harness.toml"
# The same patterns, one per line, for rg -f.
sed -n "s/^regex: { pattern: '\(.*\)' }\$/\1/p" bench/regex-rules.yml | sed "s/''/'/g" > "$work/patterns.txt"
(cd "$regex_tree" && hyperfine -i -w 1 -r "$RUNS" --export-json "$results/regex.json" \
  "$H check --no-cache --format json > /dev/null" \
  "rg -n -f $work/patterns.txt > /dev/null" >/dev/null)
python3 bench/ratios.py "Regex-only rules (baseline: rg with the same patterns)" "$results/regex.json" 1

echo "== 4. peak memory at two repository sizes"
setup_ast "$double"
# Peak RSS in MiB of five runs, as "median (min-max)": which large files the two threads happen
# to parse at the same moment moves a single run by up to 15 MiB.
rss() {
  for _ in 1 2 3 4 5; do
    (cd "$1" && { /usr/bin/time -f '%M' "$H" check --no-cache "${@:2}" 2>&1 >/dev/null || true; } | tail -1)
  done | sort -n | awk '{ v[NR] = int($1 / 1024) } END { printf "%d (%d-%d)", v[3], v[1], v[5] }'
}
few=(--rule ts-empty-catch --rule rs-dbg --rule ts-fetch-without-timeout)
echo
echo "| repository | findings (20 rules) | peak RSS, 20 rules, agent (MiB) | peak RSS, 20 rules, json (MiB) | peak RSS, 3 rules with few findings (MiB) |"
echo "|---|---|---|---|---|"
for dir in "$tree" "$double"; do
  n=$( (cd "$dir" && "$H" check --no-cache --format json 2>/dev/null || true) | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["findings"]))')
  echo "| ${dir#"$repo_root"/} | $n | $(rss "$dir" --format agent) | $(rss "$dir" --format json) | $(rss "$dir" --format agent "${few[@]}") |"
done
