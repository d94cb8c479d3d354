#!/usr/bin/env python3
"""Print hyperfine results (from --export-json files) as a table with ratios to a baseline.

Usage: ratios.py TITLE RESULT.json BASELINE_INDEX
"""
import json
import sys


def main() -> None:
    title, path, base = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(path, encoding="utf-8") as f:
        results = json.load(f)["results"]
    baseline = results[base]["mean"]
    print(f"\n{title}")
    print("| command | mean (s) | σ (s) | ratio to baseline |")
    print("|---|---|---|---|")
    for r in results:
        print(f"| `{r['command']}` | {r['mean']:.3f} | {r['stddev'] or 0:.3f} | {r['mean'] / baseline:.3f} |")


if __name__ == "__main__":
    main()
