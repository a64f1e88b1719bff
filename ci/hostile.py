#!/usr/bin/env python3
"""Writes the hostile inputs ci/bench-hostile measures: the worst cases
for a per-record check (one huge record of tiny parts) and for the stream
rules' state (a million distinct keys and hosts).

Usage: ci/hostile.py DIR [CASE...]   (all cases without CASE)
Prints one line per case written: NAME SPEC FILE.
"""
import json
import os
import sys

# Just under the default line limit (1 MiB), so the record is checked.
LINE_BYTES = 1_000_000
SYSLOG = "Mar 13 12:00:01 ctl-01 ctrl-exec[12345]: "
HEXON = '{"time":"2026-11-29T09:00:00.000Z","level":"INFO","event":"loadbalancer","msg":"backend added"'


def fill(prefix, item, suffix=""):
    """prefix + item(0) + item(1) + ... + suffix, up to LINE_BYTES."""
    parts, size, n = [prefix], len(prefix) + len(suffix), 0
    while True:
        piece = item(n)
        if size + len(piece) > LINE_BYTES:
            break
        parts.append(piece)
        size += len(piece)
        n += 1
    parts.append(suffix)
    return "".join(parts)


def kv_fields():
    """One syslog line of ~110,000 distinct tiny KEY=VALUE fields."""
    return fill(SYSLOG + "ACTION=ping", lambda n: f" K{n}=v")


def kv_repeated():
    """One syslog line of one field repeated ~170,000 times."""
    return fill(SYSLOG + "ACTION=ping", lambda n: " A=1")


def kv_list():
    """A dispatch whose HOSTS list has 100,000 hosts (each a rule key)."""
    hosts = ",".join(f"h{n}" for n in range(100_000))
    return f"{SYSLOG}ACTION=dispatch SCRIPT=backup HOSTS={hosts} REQID=a1b2c3d4e5f60001"


def sd_elements():
    """One RFC 5424 line of ~120,000 distinct structured data elements."""
    return fill("<30>1 2026-03-13T12:00:01Z ctl-01 ctrl-exec 12345 - ",
                lambda n: f"[i{n}]", " ACTION=ping")


def json_keys():
    """One Hexon JSON line of ~110,000 distinct tiny members."""
    return fill(HEXON, lambda n: f',"k{n}":0', "}")


def json_repeated():
    """One Hexon JSON line of one member repeated ~110,000 times."""
    return fill(HEXON, lambda n: ',"pool_id":"w"', "}")


def json_deep():
    """The deepest nesting the reader follows (64 levels), then tiny
    members filling the line: every member's path is 63 segments long."""
    depth = 63
    opening = HEXON + "".join(f',"n{level}":{{"x":0' for level in range(depth))
    closing = "}" * depth + "}"
    return fill(opening, lambda n: f',"k{n}":0', closing)


def long_message():
    """A Hexon entry whose message is 1 MB of text no variant documents."""
    entry = {"time": "2026-11-29T09:00:00.000Z", "level": "INFO",
             "event": "loadbalancer", "msg": "x" * (LINE_BYTES - 200)}
    return json.dumps(entry, separators=(",", ":"))


def distinct_keys(out):
    """A million dispatches, each with its own REQID, host and syslog host:
    a million correlation keys and scope values, far past every cap."""
    with open(out, "w") as f:
        for n in range(1_000_000):
            f.write(f"Mar 13 12:00:01 h{n} ctrl-exec[12345]: ACTION=dispatch "
                    f"SCRIPT=backup HOSTS=a{n},b{n} REQID={n:016x}\n")


LINES = {
    "kv-fields": ("ctrl-exec", kv_fields),
    "kv-repeated": ("ctrl-exec", kv_repeated),
    "kv-list": ("ctrl-exec", kv_list),
    "sd-elements": ("ctrl-exec", sd_elements),
    "json-keys": ("hexon", json_keys),
    "json-repeated": ("hexon", json_repeated),
    "json-deep": ("hexon", json_deep),
    "long-message": ("hexon", long_message),
}
STREAMS = {"distinct-keys": ("ctrl-exec", distinct_keys)}
SUFFIX = {"ctrl-exec": "log", "hexon": "jsonl"}


def main():
    directory, wanted = sys.argv[1], sys.argv[2:]
    cases = list(LINES) + list(STREAMS)
    unknown = [case for case in wanted if case not in cases]
    if unknown:
        sys.exit(f"unknown case(s) {', '.join(unknown)}; known: {', '.join(cases)}")
    for case in wanted or cases:
        spec, make = LINES.get(case) or STREAMS[case]
        path = os.path.join(directory, f"{case}.{SUFFIX[spec]}")
        if case in LINES:
            with open(path, "w") as f:
                f.write(make() + "\n")
        else:
            make(path)
        print(case, spec, path)


if __name__ == "__main__":
    main()
