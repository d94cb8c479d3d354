#!/usr/bin/env python3
"""A coverage rule over a large report, side by side with reading that report with `wc -l`.

Builds (once) a repository of 20,000 TypeScript files under bench/work/coverage and a 50 MB
LCOV report of all of them, written as a CI machine would (absolute paths from another
checkout), then runs in one hyperfine invocation:
  wc -l coverage/lcov.info                      the baseline: reading the report once
  harness check --no-cache --format json        parse the report, map its paths, judge
                                                every file (lines >= 80%, branches 100%)
  harness check ... <one file>                  the same for one file, as a hook checks it
  harness check ... README.md                   one file no coverage rule applies to
The repository is a git repository, so its files are listed as a hook's are (by git).
and measures peak resident memory (GNU time, %M) of each, RUNS times, reporting the median.
Prints the table BENCHMARKS.md shows.

  cargo build --release -p harness-cli && python3 bench/coverage.py [RUNS]
"""
import json
import os
import random
import shutil
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HARNESS = os.path.join(ROOT, "target", "release", "harness")
REPO = os.path.join(ROOT, "bench", "work", "coverage")
REPORT = os.path.join(REPO, "coverage", "lcov.info")
FILES = 20_000
TARGET_BYTES = 50 * 1000 * 1000
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 5

RULE = """id: covered
priority: P2
message: source files are tested
paths: ["src/**/*.ts"]
coverage:
  reports: ["coverage/lcov.info"]
  lines: 80
  branches: 100
"""


def build():
    """The sources and their report; 1 file in 10 misses a threshold."""
    if os.path.exists(REPORT) and os.path.getsize(REPORT) >= TARGET_BYTES:
        return
    if os.path.exists(REPO):
        shutil.rmtree(REPO)
    rnd = random.Random(7)
    os.makedirs(os.path.join(REPO, ".harness", "rules"), exist_ok=True)
    os.makedirs(os.path.dirname(REPORT), exist_ok=True)
    with open(os.path.join(REPO, "harness.toml"), "w") as f:
        f.write("")
    with open(os.path.join(REPO, "README.md"), "w") as f:
        f.write("A file no coverage rule applies to.\n")
    with open(os.path.join(REPO, ".harness", "rules", "coverage.yml"), "w") as f:
        f.write(RULE)
    # Lines per file so that the report reaches its size: each line is a DA record and every
    # fourth line has two BRDA records.
    lines = 134
    with open(REPORT, "w") as report:
        for i in range(FILES):
            # 20 files per folder, 50 folders per module, as in a large application.
            rel = f"src/module{i // 1000:02}/part{(i // 20) % 50:02}/file{i}.ts"
            path = os.path.join(REPO, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as src:
                src.write("".join(f"export const v{n} = {n} > 0 ? {n} : -{n};\n" for n in range(lines)))
            weak = i % 10 == 0
            out = [f"TN:\nSF:/home/ci/work/app/{rel}\nFN:1,main\nFNDA:1,main\nFNF:1\nFNH:1\n"]
            for n in range(1, lines + 1):
                hits = 0 if weak and n % 3 == 0 else rnd.randint(1, 400)
                out.append(f"DA:{n},{hits}\n")
                if n % 4 == 0:
                    taken = "-" if weak and n % 8 == 0 else str(rnd.randint(1, 90))
                    out.append(f"BRDA:{n},{n // 4},0,{rnd.randint(1, 90)}\nBRDA:{n},{n // 4},1,{taken}\n")
            out.append(f"LF:{lines}\nLH:{lines}\nend_of_record\n")
            report.write("".join(out))
    # A repository of its own, as a hook meets it: git lists its files.
    with open(os.path.join(REPO, ".gitignore"), "w") as f:
        f.write("coverage/\n")
    subprocess.run(["git", "init", "-q"], cwd=REPO, check=True)
    subprocess.run(["git", "add", "-A"], cwd=REPO, check=True)
    subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-qm", "sources"],
        cwd=REPO, check=True,
    )
    # The report is written after the sources, as a test run does.
    os.utime(REPORT)


def peak_kib(cmd):
    out = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *cmd],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    return int(out.stderr.strip().splitlines()[-1])


def main():
    build()
    size = os.path.getsize(REPORT)
    check = [HARNESS, "check", "--no-cache", "--format", "json"]
    # One file, as the hook after an edit checks it: the report is still read whole.
    one = [HARNESS, "check", "--no-cache", "--format", "json", "src/module07/part21/file7420.ts"]
    wc = ["wc", "-l", "coverage/lcov.info"]
    # The same one-file check where the rule does not apply: what a hook costs without it.
    other = [HARNESS, "check", "--no-cache", "--format", "json", "README.md"]
    result = subprocess.run(check, cwd=REPO, capture_output=True, text=True)
    findings = json.loads(result.stdout)
    count = len(findings["findings"])
    export = os.path.join(REPO, "hyperfine.json")
    subprocess.run(
        ["hyperfine", "-N", "-w", "1", "-r", str(RUNS), "-i", "--export-json", export,
         " ".join(wc), " ".join(check), " ".join(one), " ".join(other)],
        cwd=REPO, check=True, stdout=subprocess.DEVNULL,
    )
    with open(export) as f:
        times = {r["command"]: (r["mean"], r["stddev"]) for r in json.load(f)["results"]}
    mem = {
        "wc": statistics.median(peak_kib(wc) for _ in range(RUNS)),
        "check": statistics.median(peak_kib(check) for _ in range(RUNS)),
        "one": statistics.median(peak_kib(one) for _ in range(RUNS)),
        "other": statistics.median(peak_kib(other) for _ in range(RUNS)),
    }
    base_t = times[" ".join(wc)][0]
    print(f"report: {size / 1e6:.1f} MB, {FILES} files; {count} findings")
    print("| command | mean (s) | σ (s) | time ratio to `wc -l` | peak RSS (MiB) | memory ratio to `wc -l` |")
    print("|---|---|---|---|---|---|")
    for name, cmd in (("wc", wc), ("check", check), ("one", one), ("other", other)):
        mean, sd = times[" ".join(cmd)]
        shown = " ".join(cmd).replace(HARNESS, "harness")
        print(f"| `{shown}` | {mean:.3f} | {sd:.3f} | {mean / base_t:.1f} | {mem[name] / 1024:.1f} | {mem[name] / mem['wc']:.1f} |")


if __name__ == "__main__":
    main()
