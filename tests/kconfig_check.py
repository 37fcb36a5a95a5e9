#!/usr/bin/env python3
"""Checks a built kernel .config and command line against
kernel-config/hardening.list, allowing only the deviations listed (with a
reason) in kernel-config/waivers. A wanted value with `*` is an fnmatch
pattern (CONFIG_LSM=*selinux*); `=n` means not set or absent. Prints one line per deviation and a count
line; exits 1 on any unwaived deviation or stale waiver.

Usage: kconfig_check.py CONFIG CMDLINE_STRING HARDENING_LIST WAIVERS
       kconfig_check.py --params KERNEL_SRC CMDLINE_STRING
The second form checks that the kernel source knows every parameter of the
command line (registered with early_param/__setup, looked up by name with
cmdline_find_option, or a built-in module's PREFIX.NAME parameter): a
misspelt or too-new parameter does nothing, and one without a dot is handed
to PID 1 as an argument or environment variable. Exits 1 on any unknown one.
"""
import fnmatch
import os
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
    if '*' in want:
        return have is not None and fnmatch.fnmatchcase(have, want)
    return have == want


def known_params(src):
    """Names the kernel at SRC parses on its command line (without '=')."""
    import subprocess
    pat = (r'(early_param|__setup|core_param|cmdline_find_option(_bool)?)\(\s*'
           r'(boot_command_line\s*,\s*)?"[^"]+"')
    out = subprocess.run(['grep', '-rhoE', '--include=*.c', '--include=*.h',
                          '--exclude-dir=Documentation', '--exclude-dir=tools',
                          '--exclude-dir=samples', pat, src],
                         capture_output=True, text=True, check=False).stdout
    return {m.group(1).rstrip('=') for m in re.finditer(r'"([^"]+)"', out)}


def module_param_known(src, name):
    """PREFIX.NAME: a module parameter NAME declared in a file of module
    PREFIX: one with MODULE_PARAM_PREFIX "PREFIX.", one named PREFIX.c, or
    one in a directory whose Makefile builds object PREFIX (a composite, as
    mm/ builds page_alloc from page_alloc.o and shuffle.o)."""
    import glob
    import subprocess
    prefix, _, param = name.partition('.')

    def run(*cmd):
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.split()
    files = run('grep', '-rlE', '--include=*.c', r'MODULE_PARAM_PREFIX\s+"' + re.escape(prefix) + r'\."', src)
    files += run('find', src, '-name', prefix + '.c')
    obj = '(' + re.escape(prefix) + '|' + re.escape(prefix.replace('_', '-')) + ')'
    for mk in run('grep', '-rlE', '--include=Makefile', r'(^|\s)' + obj + r'(-y|-objs|\.o)\b', src):
        files += glob.glob(os.path.join(os.path.dirname(mk), '*.c'))
    decl = re.compile(r'(module|core)_param\w*\(\s*' + re.escape(param) + r'\s*,')
    return any(decl.search(open(f, errors='replace').read()) for f in files)


def check_params(src, cmdline):
    known = known_params(src)
    unknown = []
    for tok in cmdline.split():
        name = tok.split('=', 1)[0]
        if name in known or ('.' in name and module_param_known(src, name)):
            continue
        unknown.append(tok)
    for tok in unknown:
        print(f'UNKNOWN PARAMETER {tok}: the kernel in {src} does not parse it')
    n = len(cmdline.split())
    print(f'kernel parameters: {n - len(unknown)} known, {len(unknown)} unknown (of {n})')
    return 1 if unknown else 0


def main():
    if sys.argv[1] == '--params':
        return check_params(sys.argv[2], sys.argv[3])
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
