#!/usr/bin/env python3
"""The validator a team would write instead of logspec: the benchmark's
Python peer (ci/bench-compare).

It applies the per-line rules of a logspec spec the way a hand-written
script would, with the standard library (`re`, `json`) and, for JSON lines,
the `jsonschema` package for each record's envelope: the event is known,
some variant of it accepts the record (required fields present, no
undocumented or forbidden field, no field twice, values of their type,
documented order, level / syslog severity and facility, syslog tag of one
of the variant's emitters, message, audit mark). Stream rules are not
applied (ci/bench-compare compares it with `logspec check
--no-stream-rules`).

    peer_validator.py compile SPEC.yaml RULES.json   (once; needs PyYAML)
    peer_validator.py check RULES.json FORMAT FILE   (the timed part)

FORMAT is rfc3164, journald, json-lines or otlp-json. `check` prints one
`LINE<TAB>CODE` per finding of the variant the record comes closest to
(logspec's finding codes), and the number of lines and flagged lines on
standard error. Covered: the specs ci/bench-compare generates (ctrl-exec,
rce-eventlog, hexon); anything else in a spec is out of its scope.
"""
import ipaddress
import json
import re
import sys

# ---------------------------------------------------------------- compile


def compile_spec(spec_path, out_path):
    import yaml  # only to turn the spec into rules once, never timed

    with open(spec_path, encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    wire = spec["wire"]
    events = list(spec.get("events", []))
    events += expand_sections(spec, wire.get("event_key"))
    levels = {level["name"]: level.get("syslog") for level in spec["severity"]["levels"]}
    emitters = {
        emitter["name"]: [tag["tag"] for tag in emitter.get("tags", [])]
        for emitter in spec.get("emitters", [])
    }
    rules = {
        "event_key": wire.get("event_key"),
        "event_key_first": wire.get("event_key_first", False),
        "unknown_events": wire.get("unknown_events", "report"),
        "timestamp": wire.get("timestamp", {}).get("field"),
        "level": wire.get("level", {}).get("field"),
        "message": wire.get("message", {}).get("field"),
        "audit": wire.get("audit", {}).get("field"),
        "facility": spec["severity"].get("facility"),
        "levels": levels,
        "fields": spec["fields"],
        "tags": {},
        "events": {},
        "by_message": [],
    }
    for name, tags in emitters.items():
        for tag in tags:
            rules["tags"].setdefault(tag, []).append(name)
    for event in events:
        entry = rules["events"].setdefault(event["id"], {"names": event.get("names", {}), "variants": []})
        for variant in event["variants"]:
            entry["variants"].append(
                {
                    "fields": [field if isinstance(field, dict) else {"name": field} for field in variant["fields"]],
                    "levels": [variant["severity"]] + variant.get("severities", []),
                    "emitters": variant.get("emitters", []),
                    "ordered": variant.get("ordered", False),
                    "forbidden": variant.get("forbidden", []),
                    "additional": variant.get("additional_fields", False),
                    "extra": variant.get("extra_fields"),
                    "messages": variant.get("messages", []),
                    "audit": variant.get("audit"),
                }
            )
        if event.get("by_message"):
            rules["by_message"].append(event["id"])
    with open(out_path, "w", encoding="utf-8") as handle:
        json.dump(rules, handle)


def expand_sections(spec, event_key):
    """Catalogue sections (one entry a line) as events, as logspec reads them."""
    defaults = spec.get("entry_defaults", {})
    events = {}
    for section in spec.get("sections", []):
        for entry in section["entries"]:
            if "message" in entry:
                messages = [entry["message"]]
            elif "messages" in entry:
                messages = entry["messages"]
            elif "pattern" in entry:
                messages = [{"pattern": entry["pattern"]}]
            else:
                messages = [{"any": True}]
            named = entry.get("event")
            first = messages[0]
            event_id = named or (first if isinstance(first, str) else first.get("pattern", "described"))
            event = events.setdefault(event_id, {"id": event_id, "variants": []})
            if not named:
                event["by_message"] = True
            fields = list(entry.get("fields", []))
            if named and event_key not in fields:
                fields.insert(0, event_key)
            levels = [entry["level"]] if "level" in entry else entry.get("levels", [])
            event["variants"].append(
                {
                    "severity": levels[0],
                    "severities": levels[1:],
                    "fields": fields,
                    "additional_fields": defaults.get("additional_fields", False),
                    "messages": messages,
                    "audit": bool(entry.get("audit", False)),
                }
            )
    return list(events.values())


# ---------------------------------------------------------------- values

HOST_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?\Z")
DURATION = re.compile(r"([0-9]+(?:\.[0-9]+)?)([a-z]*)\Z")
TIMESTAMP = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)(?:[Tt ](\d\d):(\d\d)(?::(\d\d)(?:[.,]\d+)?)?(Z|z|[+-]\d\d(?::?\d\d)?)?)?\Z"
)
DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def is_hostname(value):
    if len(value) > 253:
        return False
    labels = (value[:-1] if value.endswith(".") else value).split(".")
    return all(len(label) <= 63 and HOST_LABEL.match(label) for label in labels)


def is_ip(value):
    try:
        ipaddress.ip_address(value)
        return "%" not in value
    except ValueError:
        return False


def is_host(value):
    if value.startswith("[") and value.endswith("]"):
        try:
            ipaddress.IPv6Address(value[1:-1])
            return "%" not in value
        except ValueError:
            return False
    return is_ip(value) or is_hostname(value)


def is_integer(value, low=None, high=None):
    digits = value[1:] if value.startswith("-") else value
    if not digits or not digits.isascii() or not digits.isdigit():
        return False
    number = int(value)
    if not -(2**63) <= number < 2**63:
        return False
    return (low is None or number >= low) and (high is None or number <= high)


def is_number(value, low=None, high=None):
    if not re.fullmatch(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?", value):
        return False
    number = float(value)
    return number not in (float("inf"), float("-inf")) and (low is None or number >= low) and (high is None or number <= high)


def is_timestamp(value):
    match = TIMESTAMP.match(value)
    if not match:
        return False
    year, month, day, hour, minute, second = (int(part) if part else 0 for part in match.groups()[:6])
    if not 1 <= month <= 12 or day < 1:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    if day > (29 if month == 2 and leap else 28 if month == 2 else DAYS[month - 1]):
        return False
    if hour > 24 or minute > 59 or second > 60 or (hour == 24 and (minute, second) != (0, 0)):
        return False
    zone = match.group(7)
    return not zone or zone in "Zz" or len(zone) in (3, 5, 6)


def is_host_port(value):
    if value.startswith("["):
        host, _, port = value[1:].partition("]")
        if not port.startswith(":"):
            return False
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return False
        port = port[1:]
    else:
        host, colon, port = value.rpartition(":")
        if not colon or ":" in host or not (is_ip(host) or is_hostname(host)):
            return False
    return is_integer(port, 1, 65535)


def value_check(spec):
    """A function telling whether a text value has the type `spec`."""
    kind = spec["type"]
    low, high = spec.get("min"), spec.get("max")
    if kind == "string":
        shape = lambda v: (spec.get("min_length") or 0) <= len(v) <= (spec.get("max_length") or len(v))
    elif kind == "integer":
        shape = lambda v: is_integer(v, low, high)
    elif kind == "number":
        shape = lambda v: is_number(v, low, high)
    elif kind == "hex":
        length = spec.get("length")
        shortest = length or spec.get("min_length") or 1
        longest = length or spec.get("max_length") or 1 << 30
        digits = {"lower": "0-9a-f", "upper": "0-9A-F"}.get(spec.get("case"), "0-9a-fA-F")
        pattern = re.compile("[%s]{%d,%d}\\Z" % (digits, shortest, longest))
        shape = pattern.match
    elif kind == "duration":
        units = spec.get("units") or ["ns", "us", "ms", "s", "m", "h", "d"]
        shape = lambda v: (lambda m: bool(m) and m.group(2) in units)(DURATION.match(v))
    elif kind == "host-port":
        shape = is_host_port
    elif kind == "ip":
        shape = is_ip
    elif kind == "hostname":
        shape = is_hostname
    elif kind == "host":
        shape = is_host
    elif kind == "list":
        item = value_check(spec["item"])
        separator = spec.get("separator", ",")
        shape = lambda v: all(item(element) for element in v.split(separator))
    elif kind == "timestamp":
        shape = is_timestamp
    elif kind == "enum":
        values = set(spec["values"])
        shape = values.__contains__
    elif kind == "pattern":
        shape = re.compile("(?:%s)\\Z" % spec["pattern"]).match
    else:
        raise SystemExit("peer_validator: value type %s is out of scope" % kind)
    narrowing = []
    if kind not in ("enum", "pattern"):
        if spec.get("values") is not None:
            narrowing.append(set(spec["values"]).__contains__)
        if spec.get("pattern"):
            narrowing.append(re.compile("(?:%s)\\Z" % spec["pattern"]).match)
    return narrowed(shape, narrowing, spec.get("also", []), spec.get("except", []), spec.get("empty", False))


def narrowed(shape, narrowing, also, excluded, empty):
    also, excluded = set(also), set(excluded)

    def check(value):
        if value == "":
            return empty or "" in also
        if value in also:
            return True
        return bool(shape(value)) and all(test(value) for test in narrowing) and value not in excluded

    return check


# ---------------------------------------------------------------- wire formats

SYSLOG = re.compile(
    r"(?:<(\d{1,3})>)?(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\S+) (?:(\S+) )?([^\s\[\]:]+)(?:\[(\d+)\])?: (.*)\Z",
    re.S,
)
PAIR = re.compile(r'[ \t]*([^\s="]+)=(?:"((?:[^"\\]|\\.)*)"(?=[ \t]+[^\s="]+=|[ \t]*\Z)|([^ \t"][^ \t]*|))', re.S)
UNESCAPE = re.compile(r'\\(["\\])')


def key_value_pairs(payload):
    pairs, at = [], 0
    end = len(payload.rstrip(" \t"))
    while at < end:
        match = PAIR.match(payload, at)
        if not match:
            return None
        quoted = match.group(2)
        value = UNESCAPE.sub(r"\1", quoted) if quoted is not None else match.group(3)
        pairs.append((match.group(1), value, "string"))
        at = match.end()
    return pairs


def read_rfc3164(line):
    match = SYSLOG.match(line)
    if not match:
        return None
    pri = match.group(1)
    severity = facility = None
    if pri is not None:
        severity, facility = int(pri) & 7, int(pri) >> 3
    return {"tag": match.group(3), "severity": severity, "facility": facility}, key_value_pairs(match.group(5))


def read_journald(line):
    entry = json.loads(line)
    message = entry.get("MESSAGE")
    if not isinstance(message, str):
        return None
    severity = entry.get("PRIORITY")
    facility = entry.get("SYSLOG_FACILITY")
    envelope = {
        "tag": entry.get("SYSLOG_IDENTIFIER"),
        "severity": int(severity) if severity is not None else None,
        "facility": int(facility) if facility is not None else None,
    }
    return envelope, key_value_pairs(message)


def json_kind(value):
    if value is NO_VALUE:
        return "nothing"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "object" if isinstance(value, (dict, Members)) else "array"


def as_text(value):
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, separators=(",", ":"))


def flatten(prefix, value, out):
    """JSON members as fields; nested objects as dotted names."""
    if isinstance(value, Members) and value:
        for key, inner in value:
            flatten(prefix + "." + key, inner, out)
    else:
        out.append((prefix, value, json_kind(value)))


class Members(list):
    """A JSON object as its members in order, duplicates kept."""


def read_json_lines(line):
    record = json.loads(line, object_pairs_hook=Members)
    if not isinstance(record, Members):
        return None
    pairs = []
    for key, value in record:
        flatten(key, value, pairs)
    return {"record": dict(record)}, pairs


NO_VALUE = object()  # an AnyValue that holds nothing
OTLP_VALUE = {"stringValue", "intValue", "boolValue", "doubleValue"}


def otlp_value(any_value):
    for key, value in any_value.items():
        if key in OTLP_VALUE:
            return int(value) if key == "intValue" else value
    return any_value if any_value else NO_VALUE


def read_otlp(line):
    export = json.loads(line)
    records = []
    for resource in export["resourceLogs"]:
        for scope in resource["scopeLogs"]:
            for log in scope["logRecords"]:
                pairs = [("timeUnixNano", log.get("timeUnixNano"), json_kind(log.get("timeUnixNano")))]
                if "severityText" in log:
                    pairs.append(("severityText", log["severityText"], "string"))
                if "body" in log:
                    body = otlp_value(log["body"])
                    pairs.append(("body", body, json_kind(body)))
                for attribute in log.get("attributes", []):
                    value = otlp_value(attribute["value"])
                    pairs.append((attribute["key"], value, json_kind(value)))
                records.append(pairs)
    return {}, records


# ---------------------------------------------------------------- checking


class Checker:
    def __init__(self, rules, envelope_format):
        self.rules = rules
        self.format = envelope_format
        self.glossary = {name: field for name, field in rules["fields"].items()}
        self.checks = {}
        # The names this format writes each field under, back to the spec's.
        self.renamed = {
            field.get("names", {}).get(envelope_format): name
            for name, field in self.glossary.items()
            if field.get("names", {}).get(envelope_format)
        }
        self.events = rules["events"]
        for event in self.events.values():
            for variant in event["variants"]:
                variant["messages"] = [message_test(message) for message in variant["messages"]]
                variant["field_checks"] = [(use["name"], use.get("optional", False), self.field_check(use)) for use in variant["fields"]]
                variant["documented"] = {use["name"] for use in variant["fields"]}
                variant["order"] = {use["name"]: index for index, use in enumerate(variant["fields"])}
                extra = variant.get("extra")
                if extra:
                    variant["extra"] = (re.compile("(?:%s)\\Z" % extra["pattern"]), self.typed(extra["value"], value_check(extra["value"])))
        self.by_message = [(event_id, self.events[event_id]) for event_id in rules["by_message"]]
        self.unknown = set()

    def typed(self, spec, check):
        json_types = set(spec.get("json") or [])
        nullable = spec.get("nullable", False)

        def typed_check(value, kind):
            if kind == "nothing":
                return False
            if kind == "null":
                return nullable
            if json_types and kind not in json_types:
                return False
            if kind == "object":
                return spec["type"] == "string"
            return check(as_text(value))

        return typed_check

    def field_check(self, use):
        definition = self.glossary.get(use["name"])
        if definition is None:
            return lambda value, kind: True
        spec = dict(definition.get("types", {}).get(self.format, definition))
        spec.setdefault("type", definition["type"])
        check = value_check(spec)
        narrowing = []
        if use.get("values") is not None:
            narrowing.append(set(use["values"]).__contains__)
        if use.get("pattern"):
            narrowing.append(re.compile("(?:%s)\\Z" % use["pattern"]).match)
        inner = check
        also, excluded = set(use.get("also", [])), set(use.get("except", []))
        # An empty value is the type's to accept (`empty`), before any narrowing.
        check = lambda v: inner(v) if v == "" else v in also or (inner(v) and all(test(v) for test in narrowing) and v not in excluded)
        return self.typed(dict(spec, nullable=spec.get("nullable", False) or use.get("nullable", False)), check)

    def check(self, envelope, pairs):
        """Finding codes of one record: those of the closest variant."""
        rules = self.rules
        key = rules["event_key"]
        names = [self.renamed.get(name, name) for name, _, _ in pairs]
        codes = ["invalid-value"] if any(kind == "nothing" for _, _, kind in pairs) else []
        if len(set(names)) != len(names):
            codes.append("duplicate-field")
        values = {}
        for name, (_, value, kind) in zip(names, pairs):
            values.setdefault(name, (value, kind))
        message = values.get(rules["message"], (None, None))[0] if rules["message"] else None
        if key in values:
            event_id = as_text(values[key][0])
            if rules["event_key_first"] and names[0] != key:
                codes.append("event-key-not-first")
            event = self.events.get(event_id)
            if event is None:
                # Each unknown id is reported once, as logspec does.
                if event_id in self.unknown or len(self.unknown) >= 4096:
                    return codes
                self.unknown.add(event_id)
                codes.append("unknown-event-tolerated" if rules["unknown_events"] == "tolerate" else "unknown-event")
                return codes
        else:
            event = next((event for _, event in self.by_message if any(fits(test, message) for variant in event["variants"] for test in variant["messages"])), None)
            if event is None or self.rules["by_message"] == []:
                codes.append("missing-field")
                return codes
        variants = event["variants"]
        if message is not None:
            fitting = [variant for variant in variants if not variant["messages"] or any(fits(test, message) for test in variant["messages"])]
            if not fitting:
                codes.append("unknown-message")
                return codes
            variants = fitting
        # The closest variant: fewest findings, then the one the tag names.
        best = None
        for variant in variants:
            found = self.variant_codes(variant, envelope, names, values)
            score = (len(found), found.count("emitter-mismatch"))
            if best is None or score < best[0]:
                best = (score, found)
            if not found:
                break
        return codes + best[1]

    def variant_codes(self, variant, envelope, names, values):
        rules, codes = self.rules, []
        for name, optional, check in variant["field_checks"]:
            if name in values:
                if not check(*values[name]):
                    codes.append("invalid-value")
            elif not optional:
                codes.append("missing-field")
        documented = variant["documented"]
        envelope_fields = (rules["timestamp"], rules["level"], rules["message"], rules["audit"])
        for name in values:
            if name in variant["forbidden"]:
                codes.append("unexpected-field")
            elif name not in documented and name not in envelope_fields:
                extra = variant.get("extra")
                if extra and extra[0].match(name):
                    if not extra[1](*values[name]):
                        codes.append("invalid-value")
                elif not variant["additional"]:
                    codes.append("unexpected-field")
        if variant["ordered"]:
            # First occurrences, the event key aside (reported on its own).
            order = [variant["order"][name] for name in dict.fromkeys(names) if name in variant["order"] and name != rules["event_key"]]
            if order != sorted(order):
                codes.append("field-order")
        levels = variant["levels"]
        if rules["level"]:
            level = values.get(rules["level"])
            if level is None or level[0] not in rules["levels"]:
                codes.append("invalid-value")
            elif level[0] not in levels:
                codes.append("severity-mismatch")
        if envelope.get("severity") is not None and envelope["severity"] not in [rules["levels"][level] for level in levels]:
            codes.append("severity-mismatch")
        if envelope.get("facility") is not None and rules["facility"] and envelope["facility"] != FACILITIES[rules["facility"]]:
            codes.append("facility-mismatch")
        if variant["emitters"] and envelope.get("tag") is not None:
            if not set(rules["tags"].get(envelope["tag"], [])) & set(variant["emitters"]):
                codes.append("emitter-mismatch")
        if rules["audit"] and variant["audit"] is not None:
            audit = values.get(rules["audit"], (False, "boolean"))
            if audit[1] != "boolean":
                codes.append("invalid-value")
            elif audit[0] != variant["audit"]:
                codes.append("audit-mismatch")
        if rules["timestamp"]:
            stamp = values.get(rules["timestamp"])
            definition = self.glossary[rules["timestamp"]]
            spec = definition.get("types", {}).get(self.format, definition)
            if stamp is not None and not self.typed(spec, value_check(spec))(*stamp):
                codes.append("invalid-value")
        return codes


FACILITIES = {"kern": 0, "user": 1, "mail": 2, "daemon": 3, "auth": 4, "syslog": 5, "local0": 16}


def message_test(message):
    if isinstance(message, str):
        return message
    if "pattern" in message:
        return re.compile("(?:%s)\\Z" % message["pattern"])
    return None  # described, not quoted: any message


def fits(test, message):
    if test is None:
        return True
    if isinstance(test, str):
        return test == message
    return isinstance(message, str) and bool(test.match(message))


READERS = {"rfc3164": read_rfc3164, "journald": read_journald, "json-lines": read_json_lines, "otlp-json": read_otlp}
ENVELOPE_SCHEMA = {
    "hexon": {
        "type": "object",
        "required": ["time", "level", "msg"],
        "properties": {
            "time": {"type": "string"},
            "level": {"enum": ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"]},
            "event": {"type": "string"},
            "msg": {"type": "string"},
            "audit": {"type": "boolean"},
        },
    },
    "rce-eventlog": {
        "type": "object",
        "properties": {"_t": {"type": "string"}, "_ts": {"type": ["string", "integer"]}},
    },
}


def check_file(rules_path, envelope_format, path):
    with open(rules_path, encoding="utf-8") as handle:
        rules = json.load(handle)
    checker = Checker(rules, envelope_format)
    read = READERS[envelope_format]
    schema = None
    if envelope_format == "json-lines":
        import jsonschema

        name = "hexon" if rules["event_key"] == "event" else "rce-eventlog"
        schema = jsonschema.Draft202012Validator(ENVELOPE_SCHEMA[name])
    out = sys.stdout
    lines = flagged = 0
    with open(path, encoding="utf-8", errors="surrogateescape") as handle:
        for number, line in enumerate(handle, 1):
            lines += 1
            line = line.rstrip("\n")
            try:
                read_out = read(line)
            except (ValueError, KeyError, TypeError):
                read_out = None
            if read_out is None or read_out[1] is None:
                codes = ["unreadable"]
            elif envelope_format == "otlp-json":
                codes = [code for pairs in read_out[1] for code in checker.check({}, pairs)]
            else:
                if schema is not None and not schema.is_valid(read_out[0]["record"]):
                    codes = ["invalid-value"]
                else:
                    codes = checker.check(*read_out)
            if codes:
                flagged += 1
                for code in sorted(set(codes)):
                    out.write("%d\t%s\n" % (number, code))
    print("%d lines, %d flagged" % (lines, flagged), file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "compile":
        compile_spec(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == "check":
        check_file(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)
