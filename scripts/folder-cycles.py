#!/usr/bin/env python3
"""Print folder-dependency cycles per project under src/.

A top-level folder A of a project depends on folder B when a .cs file in A
has `using P.B...;` or names `P.B.` (P = project namespace). Prints the
strongly connected groups of more than one folder; exit code 1 if any.
"""
import os, re, sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
found = False
for proj in sorted(os.listdir(root)):
    pdir = os.path.join(root, proj)
    if not os.path.isdir(pdir):
        continue
    folders = sorted(d for d in os.listdir(pdir)
                     if os.path.isdir(os.path.join(pdir, d)) and d not in ("bin", "obj", "Properties"))
    ref = re.compile(r"\b" + re.escape(proj) + r"\.(" + "|".join(map(re.escape, folders)) + r")\b") if folders else None
    edges = {f: set() for f in folders}
    for f in folders:
        for dp, dns, fns in os.walk(os.path.join(pdir, f)):
            dns[:] = [d for d in dns if d not in ("bin", "obj")]
            for fn in fns:
                if fn.endswith(".cs"):
                    text = open(os.path.join(dp, fn), encoding="utf-8").read()
                    for m in ref.finditer(text) if ref else []:
                        if m.group(1) != f:
                            edges[f].add(m.group(1))
    # Tarjan
    index, low, stack, on, sccs, i = {}, {}, [], set(), [], [0]
    def visit(v):
        index[v] = low[v] = i[0]; i[0] += 1; stack.append(v); on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w); low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            c = []
            while True:
                w = stack.pop(); on.discard(w); c.append(w)
                if w == v: break
            sccs.append(sorted(c))
    for v in folders:
        if v not in index:
            visit(v)
    for c in sccs:
        if len(c) > 1:
            found = True
            inner = "; ".join(f"{a}->{','.join(sorted(edges[a] & set(c)))}" for a in c)
            print(f"{proj}: {{{', '.join(c)}}}  ({inner})")
if not found:
    print("no folder cycles")
sys.exit(1 if found else 0)
