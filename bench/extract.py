#!/usr/bin/env python3
"""Extract one commit of a (possibly partial) git mirror into a directory.

Blobs the mirror does not hold (large files of a shallow snapshot) are left out and counted.
Usage: extract.py GIT_DIR COMMIT DEST
"""
import os
import subprocess
import sys
import threading


def main() -> None:
    git_dir, commit, dest = sys.argv[1:4]
    tree = subprocess.run(
        ["git", "--git-dir", git_dir, "ls-tree", "-r", "-z", commit],
        check=True, capture_output=True,
    ).stdout.split(b"\0")
    entries = []
    for item in tree:
        if not item:
            continue
        meta, path = item.split(b"\t", 1)
        mode, kind, sha = meta.split(b" ")
        if kind == b"blob" and mode in (b"100644", b"100755"):
            entries.append((sha.decode(), path.decode("utf-8", "surrogateescape")))
    proc = subprocess.Popen(
        ["git", "--git-dir", git_dir, "cat-file", "--batch"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    )
    request = "".join(f"{sha}\n" for sha, _ in entries).encode()

    def feed() -> None:
        proc.stdin.write(request)
        proc.stdin.close()

    # Write and read at once, or both pipes fill up and git and we wait on each other.
    threading.Thread(target=feed, daemon=True).start()
    written = missing = 0
    for sha, path in entries:
        header = proc.stdout.readline().decode().strip()
        if header.endswith("missing"):
            missing += 1
            continue
        size = int(header.split()[2])
        data = proc.stdout.read(size)
        proc.stdout.read(1)
        target = os.path.join(dest, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:
            f.write(data)
        written += 1
    proc.wait()
    print(f"extracted {written} files, {missing} not in the mirror", file=sys.stderr)


if __name__ == "__main__":
    main()
