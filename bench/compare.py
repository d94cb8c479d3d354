#!/usr/bin/env python3
"""Compare harness's findings with ast-grep's: exit 1 and show the differences if they differ.

Usage: compare.py HARNESS_JSON AST_GREP_JSON_STREAM
"""
import json
import sys


def main() -> int:
    harness_path, ast_grep_path = sys.argv[1:3]
    with open(harness_path, encoding="utf-8") as f:
        harness = {
            (x["rule"], x["path"], x["line"], x["column"], x["end_line"], x["end_column"])
            for x in json.load(f)["findings"]
        }
    ast_grep = set()
    with open(ast_grep_path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            m = json.loads(line)
            r = m["range"]
            ast_grep.add((
                m["ruleId"], m["file"],
                r["start"]["line"] + 1, r["start"]["column"] + 1,
                r["end"]["line"] + 1, r["end"]["column"] + 1,
            ))
    only_h = sorted(harness - ast_grep)
    only_a = sorted(ast_grep - harness)
    print(f"findings: harness {len(harness)}, ast-grep {len(ast_grep)}, "
          f"only harness {len(only_h)}, only ast-grep {len(only_a)}")
    for x in only_h[:10]:
        print("  only harness: ", x)
    for x in only_a[:10]:
        print("  only ast-grep:", x)
    return 0 if not only_h and not only_a else 1


if __name__ == "__main__":
    sys.exit(main())
