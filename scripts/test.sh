#!/usr/bin/env bash
# Runs every test of harness, installing what the tests need first:
#   - ast-grep's CLI (PyPI package ast-grep-cli), to compare matches with harness;
#   - the SARIF 2.1.0 JSON Schema (npm package @microsoft/jest-sarif), to validate SARIF output.
# Both go into .tools/ (git-ignored). Then: format, lints, tests, and harness on its own code.
set -euo pipefail
cd "$(dirname "$0")/.."

AST_GREP_VERSION=0.51.1
JEST_SARIF_VERSION=1.0.0-beta.0
tools="$PWD/.tools"

if [ ! -x "$tools/python/bin/ast-grep" ]; then
  echo "installing ast-grep-cli $AST_GREP_VERSION into .tools/python" >&2
  python3 -m pip install --quiet --disable-pip-version-check --target "$tools/python" "ast-grep-cli==$AST_GREP_VERSION"
fi
sarif_schema="$tools/npm/node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"
if [ ! -f "$sarif_schema" ]; then
  echo "installing @microsoft/jest-sarif $JEST_SARIF_VERSION (SARIF schema) into .tools/npm" >&2
  mkdir -p "$tools/npm"
  npm install --silent --no-audit --no-fund --ignore-scripts --prefix "$tools/npm" "@microsoft/jest-sarif@$JEST_SARIF_VERSION" >/dev/null
fi
export HARNESS_TEST_AST_GREP="$tools/python/bin/ast-grep"
export PYTHONPATH="$tools/python${PYTHONPATH:+:$PYTHONPATH}"
export HARNESS_TEST_SARIF_SCHEMA="$sarif_schema"

cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked
# harness checks its own code with its own rules.
cargo run --quiet --locked -p harness-cli -- check --format agent
