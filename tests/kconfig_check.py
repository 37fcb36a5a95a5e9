#!/usr/bin/env python3
"""Checks a built kernel .config and command line against
kernel-config/hardening.list, allowing only the deviations listed (with a
reason) in kernel-config/waivers. Prints one line per deviation and a count
line; exits 1 on any unwaived deviation or stale waiver.

Usage: kconfig_check.py CONFIG CMDLINE_STRING HARDENING_LIST WAIVERS
"""
import re
import sys


def load_config(path):
    cfg = {}
    for line in open(path):
        m = re.match(r'^(CONFIG_[A-Za-z0-9_]+)=(.*)$', line.strip())
        if m:
            cfg[m.group(1)] = m.group(2).strip('"')
    return cfg


def met(req, cfg, cmdline):
    if req.startswith('cmdline:'):
        return req[len('cmdline:'):] in cmdline.split()
    name, _, want = req.partition('=')
    have = cfg.get(name)
    if want == 'n':
        return have is None or have == 'n'
    return have == want


def main():
    cfg = load_config(sys.argv[1])
    cmdline = sys.argv[2]
    reqs = []
    for n, line in enumerate(open(sys.argv[3]), 1):
        line = line.split('#', 1)[0].strip()
        if not line:
            continue
        if not re.match(r'^(cmdline:\S+|CONFIG_[A-Z0-9_]+=\S+(\|CONFIG_[A-Z0-9_]+=\S+)*)$', line):
            print(f'{sys.argv[3]}:{n}: cannot parse {line!r}')
            return 2
        reqs.append(line)
    waivers = {}
    for n, line in enumerate(open(sys.argv[4]), 1):
        if not line.strip() or line.startswith('#'):
            continue
        key, _, reason = line.strip().partition(' ')
        if not reason.strip():
            print(f'{sys.argv[4]}:{n}: waiver for {key} has no reason')
            return 2
        waivers[key] = reason.strip()

    passed = waived = failed = 0
    used = set()
    for req in reqs:
        ok = any(met(alt, cfg, cmdline) for alt in req.split('|'))
        key = req if req.startswith('cmdline:') else req.split('=')[0]
        if ok:
            passed += 1
            if key in waivers:
                print(f'STALE WAIVER {key}: the setting is met now; remove it from the waivers')
                failed += 1
        elif key in waivers:
            waived += 1
            used.add(key)
        else:
            alts = ' or '.join(a if a.startswith('cmdline:') else
                               f"{a} (have {cfg.get(a.split('=')[0], 'unset')})" for a in req.split('|'))
            print(f'DEVIATION {alts}')
            failed += 1
    for key in waivers:
        if key not in used and not any(r == key or r.split('=')[0] == key for r in reqs):
            print(f'UNKNOWN WAIVER {key}: not in the hardening list')
            failed += 1
    print(f'kernel hardening: {passed} passed, {waived} waived, {failed} failed (of {len(reqs)})')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
