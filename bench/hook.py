#!/usr/bin/env python3
"""Hook round trip, as a whole process, side by side with a no-op Node.js hook.

Builds (once) a repository of 10,000 TypeScript files and 50 rules under bench/work/hooks,
then runs, interleaved, RUNS times each:
  node -e ''                         the baseline: the cheapest hook an agent could run
  harness --version                  the floor: starting the harness binary at all
  harness hook claude  (PreToolUse)  guidance for a file about to be written, new session each run
  harness hook claude  (PreToolUse)  another file in one long session (nothing new to give)
  harness hook claude  (PostToolUse) `harness check` of the file just written, in that session
and prints p50/p95 in milliseconds, wall clock and CPU (user + system, which a busy machine
inflates less), with ratios to the baseline, as BENCHMARKS.md reports.

  cargo build --release -p harness-cli && python3 bench/hook.py [RUNS]
"""
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HARNESS = os.path.join(ROOT, "target", "release", "harness")
REPO = os.path.join(ROOT, "bench", "work", "hooks")
FILES = 10_000
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 300


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def rules():
    """50 rules over the layers of the synthetic repository, of every kind."""
    out = []
    layers = ["api", "ui", "db", "lib", "jobs"]
    for i in range(20):
        layer = layers[i % 5]
        out.append(f"""- id: regex-{i}
  priority: P{1 + i % 3}
  message: pattern {i} is not allowed in {layer}
  why: rule {i} keeps the {layer} layer honest.
  fix: use the helper in src/lib/helpers{i}.ts
  paths: ["src/{layer}/**"]
  regex:
    pattern: 'forbidden_{i}\\('
""")
    for i in range(20):
        layer = layers[i % 5]
        out.append(f"""- id: ast-{i}
  priority: P{1 + i % 3}
  message: call to legacy{i} in {layer}
  fix: call modern{i} instead
  paths: ["src/{layer}/**/*.ts"]
  ast:
    language: typescript
    rule:
      pattern: legacy{i}($$$ARGS)
""")
    for i in range(5):
        out.append(f"""- id: max-lines-{i}
  priority: P3
  message: file over {300 + i * 100} lines
  paths: ["src/{layers[i]}/**"]
  max-lines:
    max: {300 + i * 100}
""")
    for i in range(3):
        out.append(f"""- id: companion-{i}
  priority: P2
  message: every {layers[i]} module has a test
  paths: ["src/{layers[i]}/**/*.ts"]
  ignores: ["**/*.test.ts"]
  require-file:
    one-of: ["{{dir}}/{{stem}}.test.ts"]
""")
    for i, (a, b) in enumerate([("ui", "db"), ("lib", "api")]):
        out.append(f"""- id: layer-{i}
  priority: P1
  message: {a} may not import {b}
  paths: ["src/{a}/**"]
  forbid-import:
    from: ["src/{b}/**"]
""")
    return "---\n".join(r[2:].replace("\n  ", "\n") for r in out)


def build():
    if os.path.exists(os.path.join(REPO, ".harness", "personas")):
        return
    shutil.rmtree(REPO, ignore_errors=True)
    layers = ["api", "ui", "db", "lib", "jobs"]
    for n in range(FILES):
        layer = layers[n % 5]
        path = os.path.join(REPO, "src", layer, f"m{n // 100}", f"f{n}.ts")
        body = "".join(
            f"export function fn{n}_{k}(x: number): number {{\n  return helper{k}(x) + {k};\n}}\n\n" for k in range(8)
        )
        write(path, f"import {{ helper0 }} from '../../lib/h';\n\n{body}")
    write(os.path.join(REPO, "harness.toml"), "[policy]\nblock_at = \"P2\"\n")
    subprocess.run(["git", "init", "-q"], cwd=REPO, check=True)
    # What `harness init` writes besides rules: AGENTS.md, four personas and a decision, so the
    # guidance is as long as in a repository set up that way. Its starter rules make way for
    # the 50 below.
    subprocess.run([HARNESS, "init", "--yes"], cwd=REPO, stdout=subprocess.DEVNULL, check=True)
    shutil.rmtree(os.path.join(REPO, ".harness", "rules"))
    write(os.path.join(REPO, ".harness", "rules", "bench.yml"), rules())


def payload(event, session, path, extra=None):
    p = {
        "session_id": session,
        "transcript_path": "/dev/null",
        "cwd": REPO,
        "hook_event_name": event,
        "tool_name": "Write",
        "tool_input": {"file_path": os.path.join(REPO, path), "content": "x"},
        "tool_use_id": "toolu_1",
    }
    if extra:
        p.update(extra)
    return json.dumps(p).encode()


CPU = {}


def timed(cmd, stdin, name=None):
    """Wall-clock milliseconds of one run; its CPU time (user + system) goes to CPU[name]."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    r = subprocess.run(cmd, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    elapsed = (time.perf_counter() - start) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if name:
        cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
        CPU.setdefault(name, []).append(cpu)
    if r.returncode != 0 or r.stderr:
        sys.exit(f"{cmd} failed ({r.returncode}): {r.stderr.decode()[:500]}")
    return elapsed, r.stdout


def main():
    if not os.path.exists(HARNESS):
        sys.exit("build first: cargo build --release -p harness-cli")
    build()
    # A fresh event store and caches: every run starts where an agent's first session would.
    shutil.rmtree(os.path.join(REPO, ".harness", "state"), ignore_errors=True)
    target = "src/ui/m42/f4201.ts"
    hook = [HARNESS, "hook", "claude"]
    # Warm the check cache as an agent's earlier hooks would have.
    subprocess.run([HARNESS, "check", "--format", "json"], cwd=REPO, stdout=subprocess.DEVNULL, check=False)
    series = {
        "node -e ''": [],
        "harness --version": [],
        "pre-edit, new session": [],
        "pre-edit, same session": [],
        "post-edit check": [],
    }
    out = {}
    steady = f"steady-{os.getpid()}"
    for i in range(RUNS):
        name = "node -e ''"
        series[name].append(timed(["node", "-e", ""], b"", name)[0])
        name = "harness --version"
        series[name].append(timed([HARNESS, "--version"], b"", name)[0])
        name = "pre-edit, new session"
        t, out["pre"] = timed(hook, payload("PreToolUse", f"fresh-{os.getpid()}-{i}", target), name)
        series[name].append(t)
        # One long session writing a new file each time.
        edited = f"src/ui/m{(i * 7) % 100}/f{((i * 7) % 100) * 100 + 1 + (i % 19) * 5}.ts"
        name = "pre-edit, same session"
        series[name].append(timed(hook, payload("PreToolUse", steady, edited), name)[0])
        name = "post-edit check"
        t, out["post"] = timed(hook, payload("PostToolUse", steady, edited, {"tool_response": {}}), name)
        series[name].append(t)
    assert b"additionalContext" in out["pre"], out["pre"]
    base = statistics.median(series["node -e ''"])
    cpu_base = statistics.median(CPU["node -e ''"])
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"hook round trip on {FILES} files and 50 rules, {RUNS} runs each, interleaved")
    print(f"{os.cpu_count()} cores, load average {load} (1, 5, 15 min) at the end")
    print("| hook | p50 (ms) | p95 (ms) | p50 ratio to `node -e ''` | CPU p50 (ms) | CPU p95 (ms) | CPU ratio |")
    print("|---|---|---|---|---|---|---|")
    for name, xs in series.items():
        xs = sorted(xs)
        cpu = sorted(CPU[name])
        p50 = statistics.median(xs)
        p95 = xs[int(len(xs) * 0.95) - 1]
        c50 = statistics.median(cpu)
        c95 = cpu[int(len(cpu) * 0.95) - 1]
        print(f"| {name} | {p50:.1f} | {p95:.1f} | {p50 / base:.2f} | {c50:.1f} | {c95:.1f} | {c50 / cpu_base:.2f} |")


if __name__ == "__main__":
    main()
