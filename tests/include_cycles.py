#!/usr/bin/env python3
"""Owns: the include-circle check of tests/lint.sh. Builds the graph of our
own #include "..." lines between modules (a module is a .c/.h pair: foo.c and
foo.h are one node) and prints every circle; exits 1 if there is one."""
import os
import re
import sys

root = sys.argv[1]
inc = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
edges = {}
for d, _, files in os.walk(root):
    for f in files:
        if not f.endswith(('.c', '.h')):
            continue
        path = os.path.join(d, f)
        node = os.path.splitext(os.path.normpath(path))[0]
        for line in open(path, encoding='utf-8', errors='replace'):
            m = inc.match(line)
            if not m:
                continue
            target = os.path.splitext(os.path.normpath(os.path.join(d, m.group(1))))[0]
            if target != node:
                edges.setdefault(node, set()).add(target)

cycles = []
state = {}
stack = []

def visit(n):
    state[n] = 1
    stack.append(n)
    for m in sorted(edges.get(n, ())):
        if state.get(m) == 1:
            cycles.append(stack[stack.index(m):] + [m])
        elif m not in state:
            visit(m)
    stack.pop()
    state[n] = 2

for n in sorted(edges):
    if n not in state:
        visit(n)
for c in cycles:
    print('include circle: ' + ' -> '.join(c))
sys.exit(1 if cycles else 0)
