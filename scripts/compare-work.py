#!/usr/bin/env python3
"""Compares two demo work folders (scripts/cluster-vs-local.sh): every file must exist on both sides
and be byte-identical, except that JSON files may differ in creation times and in floating-point
values within a relative 1e-9 (sums whose order depends on how Spark partitioned the data), and
HTML reports may differ only inside embedded charts whose numbers the JSON comparison covers, in
timestamps, and in the SHA-256 of the released JSON they cite (which holds its creation time).
demo-timings.json (wall times) is left out. Prints one line per difference, then a summary line;
exits 1 when anything differs.

  compare-work.py LEFT_DIR RIGHT_DIR
"""
import hashlib, json, math, os, re, sys

IGNORED_FILES = {"demo-timings.json"}
IGNORED_KEYS = re.compile(r"^(generatedAt|created_at|.*_at|.*[Ss]econds|timings?)$")
REL = 1e-9

def files(root):
    out = set()
    for d, _, names in os.walk(root):
        for n in names:
            if not n.endswith(".crc"):
                out.add(os.path.relpath(os.path.join(d, n), root))
    return out

def digest(p):
    with open(p, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()

def same_json(a, b, path, diffs):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if IGNORED_KEYS.match(k):
                continue
            if k not in a or k not in b:
                diffs.append(f"{path}.{k}: only on one side")
            else:
                same_json(a[k], b[k], f"{path}.{k}", diffs)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            diffs.append(f"{path}: {len(a)} items vs {len(b)}")
        else:
            for i, (x, y) in enumerate(zip(a, b)):
                same_json(x, y, f"{path}[{i}]", diffs)
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        if not math.isclose(a, b, rel_tol=REL, abs_tol=1e-12):
            diffs.append(f"{path}: {a!r} vs {b!r}")
    elif a != b:
        diffs.append(f"{path}: {str(a)[:80]!r} vs {str(b)[:80]!r}")

def main(left, right):
    lf, rf = files(left), files(right)
    diffs, exact, close, charts = [], 0, 0, 0
    for f in sorted(lf ^ rf):
        diffs.append(f"{f}: only in {'left' if f in lf else 'right'}")
    for f in sorted(lf & rf):
        if os.path.basename(f) in IGNORED_FILES:
            continue
        a, b = os.path.join(left, f), os.path.join(right, f)
        if digest(a) == digest(b):
            exact += 1
        elif f.endswith(".json"):
            d = []
            same_json(json.load(open(a)), json.load(open(b)), f, d)
            diffs.extend(d)
            close += 0 if d else 1
        elif f.endswith(".html"):
            strip = lambda p: re.sub(r'\b[0-9a-f]{64}\b', "<sha256>", re.sub(r'\d{4}-\d\d-\d\dT[\d:.]+Z', "<time>",
                re.sub(r'data:image/[a-z+]+;base64,[A-Za-z0-9+/=]+', "<chart>", open(p).read())))
            if strip(a) == strip(b):
                charts += 1
            else:
                diffs.append(f"{f}: differs outside its charts")
        else:
            diffs.append(f"{f}: bytes differ")
    for d in diffs:
        print(d)
    print(f"{exact} files byte-identical, {close} JSON files equal within {REL:g} (creation times left out), "
          f"{charts} HTML reports equal outside charts, times and hashes, {len(diffs)} differences")
    return 1 if diffs else 0

if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
