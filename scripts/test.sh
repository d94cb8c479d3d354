#!/usr/bin/env bash
# Runs every test of harness, installing what the tests need first:
#   - ast-grep's CLI (PyPI package ast-grep-cli), to compare matches with harness;
#   - the SARIF 2.1.0 JSON Schema (npm package @microsoft/jest-sarif), to validate SARIF output;
#   - the agent CLIs Claude Code, Codex and Gemini CLI (npm), for the end-to-end tests in
#     crates/harness-cli/tests/agents, which drive them against a scripted local model.
# All go into .tools/ (git-ignored). Then: format, lints, tests, and harness on its own code.
set -euo pipefail
cd "$(dirname "$0")/.."

AST_GREP_VERSION=0.51.1
JEST_SARIF_VERSION=1.0.0-beta.0
AGENT_PACKAGES=(@anthropic-ai/claude-code@2.1.197 @openai/codex@0.169.0 @google/gemini-cli@0.61.0)
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
agents="$tools/agents"
# Reinstalled when the pinned versions change. Install scripts stay on: claude-code's postinstall
# puts the native binary from its platform package (an optional dependency) in place of its stub.
if [ "$(cat "$agents/installed" 2>/dev/null)" != "${AGENT_PACKAGES[*]}" ]; then
  echo "installing ${AGENT_PACKAGES[*]} into .tools/agents" >&2
  mkdir -p "$agents"
  npm install --silent --no-audit --no-fund --save-exact --prefix "$agents" "${AGENT_PACKAGES[@]}" >/dev/null
  for agent in claude codex gemini; do
    "$agents/node_modules/.bin/$agent" --version >/dev/null
  done
  echo "${AGENT_PACKAGES[*]}" >"$agents/installed"
fi
export HARNESS_TEST_AST_GREP="$tools/python/bin/ast-grep"
export PYTHONPATH="$tools/python${PYTHONPATH:+:$PYTHONPATH}"
export HARNESS_TEST_SARIF_SCHEMA="$sarif_schema"
export HARNESS_TEST_CLAUDE="$agents/node_modules/.bin/claude"
export HARNESS_TEST_CODEX="$agents/node_modules/.bin/codex"
export HARNESS_TEST_GEMINI="$agents/node_modules/.bin/gemini"

cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked
# harness checks its own code with its own rules.
cargo run --quiet --locked -p harness-cli -- check --format agent
