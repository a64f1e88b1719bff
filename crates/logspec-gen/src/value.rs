//! Value strategies, one per value type of the spec format.
//!
//! A field's values come from the most specific thing the spec says about
//! it: the variant's `values` or `pattern`, else the glossary's `values` or
//! `pattern`, else its type with its parameters. `also` literals and empty
//! values (`empty: true`) are mixed in. Every value is then filtered
//! through the checker's own compiled [`ValueCheck`], so a narrowing stacked
//! on a type (a pattern on an integer, say) can never yield a value the
//! checker rejects; the generators are shaped to make that filter rare.
//!
//! Shrinking goes towards short, plain values: strings to one lower-case
//! letter, numbers towards zero or their minimum, lists to one element,
//! optional extras (`also`, empty) away.

use crate::render::is_json_number;
use crate::time::{Instant, EARLIEST, LATEST};
use crate::{framing, pattern};
use logspec_checker::value::ValueCheck;
use logspec_reader::{Format, JsonKind};
use logspec_spec::{DurationUnit, FieldUse, HexCase, JsonType, ValueKind, ValueSpec};
use proptest::prelude::*;
use proptest::strategy::Union;

/// Why no strategy could be built; the caller names the field.
pub(crate) type Unbuildable = String;

/// Strategy of values that `check` accepts for a field of glossary type
/// `glossary`, narrowed by `narrowing` (a variant's use of it).
pub(crate) fn field_values(
    glossary: &ValueSpec,
    narrowing: Option<&FieldUse>,
    check: ValueCheck,
) -> Result<BoxedStrategy<String>, Unbuildable> {
    // Literal values are the narrowest statement: the variant's, else the
    // glossary's (an enum's, or values narrowing another type). Only those
    // the whole check accepts are drawn.
    let literals = narrowing
        .and_then(|field| field.values.as_deref())
        .or(glossary.values.as_deref());
    let base = match (literals, narrowing.and_then(|field| field.pattern.as_ref())) {
        (Some(values), _) => {
            let accepted: Vec<String> = values
                .iter()
                .filter(|value| check.check(value).is_ok())
                .cloned()
                .collect();
            if accepted.is_empty() {
                return Err(format!(
                    "none of the values {values:?} is accepted by the field's type"
                ));
            }
            choice(&accepted)?
        }
        // A pattern narrowing a time rarely matches a real date when drawn
        // from the regex: draw times and write them in the spellings the
        // pattern may allow instead.
        (None, pattern)
            if glossary.kind == ValueKind::Timestamp
                && (pattern.is_some() || glossary.pattern.is_some()) =>
        {
            instant_forms(check.clone())?
        }
        (None, Some(pattern)) => pattern::strategy(pattern.source())?,
        (None, None) => of_type(glossary)?,
    };
    let also: Vec<String> = glossary
        .also
        .iter()
        .chain(narrowing.map_or(&[][..], |field| &field.also[..]))
        .cloned()
        .collect();
    Ok(with_extras(base, &also, glossary.empty)
        .prop_filter("the field's type rejects the value", move |value| {
            check.check(value).is_ok()
        })
        .boxed())
}

/// `base`, sometimes replaced by one of the `also` literals or (when the
/// type allows it) the empty value. The extras come after `base`, so
/// shrinking moves away from them.
fn with_extras(base: BoxedStrategy<String>, also: &[String], empty: bool) -> BoxedStrategy<String> {
    let mut options = vec![(8, base)];
    if !also.is_empty() {
        options.push((1, proptest::sample::select(also.to_vec()).boxed()));
    }
    if empty {
        options.push((1, Just(String::new()).boxed()));
    }
    if options.len() == 1 {
        options.swap_remove(0).1
    } else {
        Union::new_weighted(options).boxed()
    }
}

/// Values of a type with its own parameters (no field narrowing).
fn of_type(spec: &ValueSpec) -> Result<BoxedStrategy<String>, Unbuildable> {
    // A JSON Schema says what a structured value may hold, not how to make
    // one: its own `examples` are the values drawn.
    if let Some(schema) = &spec.schema {
        let examples: Vec<String> = schema
            .get("examples")
            .and_then(serde_json::Value::as_array)
            .map(|examples| examples.iter().map(serde_json::Value::to_string).collect())
            .unwrap_or_default();
        if examples.is_empty() {
            return Err(
                "a value held to a `schema` is generated from the schema's `examples`, \
                        and it has none"
                    .to_owned(),
            );
        }
        return choice(&examples);
    }
    // `values` and `pattern` narrow the other types; for enum and pattern
    // they are the type itself.
    if !matches!(spec.kind, ValueKind::Enum | ValueKind::Pattern) {
        if let Some(values) = &spec.values {
            return choice(values);
        }
        if let Some(pattern) = &spec.pattern {
            return pattern::strategy(pattern.source());
        }
    }
    match spec.kind {
        ValueKind::String => text(spec.min_length, spec.max_length),
        ValueKind::Integer => integer(spec.min, spec.max),
        ValueKind::Number => number(spec.min, spec.max),
        ValueKind::Hex => hex(spec),
        ValueKind::Duration => duration(spec.units.as_deref()),
        ValueKind::HostPort => Ok(host_port()),
        ValueKind::Ip => Ok(ip()),
        ValueKind::Hostname => Ok(hostname()),
        ValueKind::Host => Ok(prop_oneof![hostname(), ip()].boxed()),
        ValueKind::List => list(spec),
        ValueKind::Timestamp => Ok(timestamp()),
        ValueKind::Enum => choice(spec.values.as_deref().unwrap_or_default()),
        ValueKind::Pattern => match &spec.pattern {
            Some(pattern) => pattern::strategy(pattern.source()),
            None => Err("a pattern type without a pattern".to_owned()),
        },
    }
}

fn choice(values: &[String]) -> Result<BoxedStrategy<String>, Unbuildable> {
    if values.is_empty() {
        return Err("no values to choose from".to_owned());
    }
    Ok(proptest::sample::select(values.to_vec()).boxed())
}

/// Characters of free text, weighted towards what makes quoting matter:
/// spaces, quotes, `=`, backslashes, and some non-ASCII.
fn text_char() -> BoxedStrategy<char> {
    const PUNCTUATION: &[char] = &[
        '"', '=', '\\', '\'', ':', ',', '.', '-', '_', '/', '(', ')', '[', ']', '{', '}', '<', '>',
        '#', '%', '&', '*',
    ];
    const NON_ASCII: &[char] = &['é', 'ß', 'ü', 'ж', '日', '€', '\u{a0}', '🦀'];
    prop_oneof![
        10 => proptest::char::range('a', 'z'),
        2 => proptest::char::range('A', 'Z'),
        2 => proptest::char::range('0', '9'),
        3 => Just(' '),
        3 => proptest::sample::select(PUNCTUATION),
        1 => Just('\t'),
        1 => proptest::sample::select(NON_ASCII),
    ]
    .boxed()
}

/// Free text of `min..=max` characters (at least one: empty values are the
/// `empty` option's business).
pub(crate) fn text(
    min: Option<usize>,
    max: Option<usize>,
) -> Result<BoxedStrategy<String>, Unbuildable> {
    let min = min.unwrap_or(1).max(1);
    let max = max.unwrap_or(min + 23);
    if max < min {
        return Err(format!("max_length {max} is below min_length {min}"));
    }
    Ok(free_text(min..=max))
}

/// Free text with a number of characters in `chars`.
pub(crate) fn free_text(chars: std::ops::RangeInclusive<usize>) -> BoxedStrategy<String> {
    proptest::collection::vec(text_char(), chars)
        .prop_map(|chars| chars.into_iter().collect())
        .boxed()
}

/// Integers in `[min, max]`, mostly small ones near zero (or the minimum),
/// as log fields usually are.
fn integer(min: Option<i64>, max: Option<i64>) -> Result<BoxedStrategy<String>, Unbuildable> {
    let low = min.unwrap_or(i64::MIN);
    let high = max.unwrap_or(i64::MAX);
    if high < low {
        return Err(format!("max {high} is below min {low}"));
    }
    let near = 0i64.clamp(low, high);
    let small = near..=high.min(near.saturating_add(9_999));
    Ok(prop_oneof![4 => small, 1 => low..=high]
        .prop_map(|number| number.to_string())
        .boxed())
}

/// Decimal numbers in `[min, max]` as JSON writes them: integers, some
/// with a fraction or an exponent, never with a leading zero.
fn number(min: Option<i64>, max: Option<i64>) -> Result<BoxedStrategy<String>, Unbuildable> {
    let whole = integer(min, max)?;
    Ok(prop_oneof![
        3 => whole.clone(),
        2 => (whole, 1u32..=999).prop_map(|(whole, fraction)| format!("{whole}.{fraction}")),
        1 => (1u32..=9, 0u32..=6).prop_map(|(digit, exponent)| format!("{digit}e{exponent}")),
    ]
    .boxed())
}

fn hex(spec: &ValueSpec) -> Result<BoxedStrategy<String>, Unbuildable> {
    const LOWER: &[char] = &[
        '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f',
    ];
    const UPPER: &[char] = &[
        '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C', 'D', 'E', 'F',
    ];
    const ANY: &[char] = &[
        '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f', 'A', 'B',
        'C', 'D', 'E', 'F',
    ];
    // The same length rules as the checker's hex check.
    let min = spec.length.or(spec.min_length).unwrap_or(1).max(1);
    let max = spec.length.or(spec.max_length).unwrap_or(min + 15);
    if max < min {
        return Err(format!("hex length {max} is below {min}"));
    }
    let digits = match spec.case.unwrap_or(HexCase::Any) {
        HexCase::Lower => LOWER,
        HexCase::Upper => UPPER,
        HexCase::Any => ANY,
    };
    Ok(
        proptest::collection::vec(proptest::sample::select(digits), min..=max)
            .prop_map(|chars| chars.into_iter().collect())
            .boxed(),
    )
}

fn duration(units: Option<&[DurationUnit]>) -> Result<BoxedStrategy<String>, Unbuildable> {
    const ALL: &[DurationUnit] = &[
        DurationUnit::Ns,
        DurationUnit::Us,
        DurationUnit::Ms,
        DurationUnit::S,
        DurationUnit::M,
        DurationUnit::H,
        DurationUnit::D,
    ];
    let units = units.unwrap_or(ALL);
    if units.is_empty() {
        return Err("a duration without units".to_owned());
    }
    let suffixes: Vec<&'static str> = units.iter().map(|unit| unit.suffix()).collect();
    Ok((
        0u64..=100_000,
        proptest::option::weighted(0.2, 0u32..=999),
        proptest::sample::select(suffixes),
    )
        .prop_map(|(whole, fraction, unit)| match fraction {
            Some(fraction) => format!("{whole}.{fraction}{unit}"),
            None => format!("{whole}{unit}"),
        })
        .boxed())
}

/// RFC 1123 host names: one to four lower-case labels.
pub(crate) fn hostname() -> BoxedStrategy<String> {
    const ALNUM: &[char] = &[
        'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r',
        's', 't', 'u', 'v', 'w', 'x', 'y', 'z', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
    ];
    let alnum = || proptest::sample::select(ALNUM);
    let inner = prop_oneof![4 => alnum(), 1 => Just('-')];
    // A label starts and ends with a letter or digit.
    let label = prop_oneof![
        alnum().prop_map(String::from),
        (alnum(), proptest::collection::vec(inner, 0..=10), alnum()).prop_map(
            |(first, middle, last)| {
                let mut label = String::from(first);
                label.extend(middle);
                label.push(last);
                label
            }
        ),
    ];
    proptest::collection::vec(label, 1..=4)
        .prop_map(|labels| labels.join("."))
        .boxed()
}

fn ipv4() -> BoxedStrategy<String> {
    any::<[u8; 4]>()
        .prop_map(|octets| std::net::Ipv4Addr::from(octets).to_string())
        .boxed()
}

fn ipv6() -> BoxedStrategy<String> {
    any::<[u16; 8]>()
        .prop_map(|segments| std::net::Ipv6Addr::from(segments).to_string())
        .boxed()
}

fn ip() -> BoxedStrategy<String> {
    prop_oneof![3 => ipv4(), 1 => ipv6()].boxed()
}

fn host_port() -> BoxedStrategy<String> {
    let host = prop_oneof![
        3 => hostname(),
        1 => ipv4(),
        1 => ipv6().prop_map(|address| format!("[{address}]")),
    ];
    (host, 1u16..=65535)
        .prop_map(|(host, port)| format!("{host}:{port}"))
        .boxed()
}

fn list(spec: &ValueSpec) -> Result<BoxedStrategy<String>, Unbuildable> {
    let item = spec
        .item
        .as_deref()
        .ok_or_else(|| "a list without an item type".to_owned())?;
    let separator = spec.list_separator().to_owned();
    let inside = separator.clone();
    let item = with_extras(of_type(item)?, &item.also, item.empty)
        .prop_filter("an element holding the separator", move |element| {
            !element.contains(inside.as_str())
        });
    Ok(proptest::collection::vec(item, 1..=4)
        .prop_map(move |items| items.join(&separator))
        .boxed())
}

/// ISO 8601 timestamps in the forms the checker accepts: a date, or a date
/// and time with seconds, an optional fraction and a zone.
pub(crate) fn timestamp() -> BoxedStrategy<String> {
    let date = (2000u32..=2099, 1u32..=12, 1u32..=28);
    let time = (0u32..=23, 0u32..=59, 0u32..=59);
    let fraction = proptest::option::of(0u32..=999_999);
    let zone = prop_oneof![
        Just("Z".to_owned()),
        (
            prop_oneof![Just('+'), Just('-')],
            0u32..=14,
            prop_oneof![Just(0u32), Just(30)]
        )
            .prop_map(|(sign, hours, minutes)| format!("{sign}{hours:02}:{minutes:02}")),
    ];
    (
        date,
        proptest::option::weighted(0.9, (time, fraction, zone)),
    )
        .prop_map(|((year, month, day), time)| {
            let date = format!("{year:04}-{month:02}-{day:02}");
            match time {
                None => date,
                Some(((hour, minute, second), fraction, zone)) => {
                    let fraction = fraction.map_or(String::new(), |f| format!(".{f:06}"));
                    format!("{date}T{hour:02}:{minute:02}:{second:02}{fraction}{zone}")
                }
            }
        })
        .boxed()
}

/// Times written in the first of [`Instant::field_forms`] that `check`
/// accepts.
fn instant_forms(check: ValueCheck) -> Result<BoxedStrategy<String>, Unbuildable> {
    let first_accepted = move |micros: i64| {
        Instant(micros)
            .field_forms(None, Format::JsonLines)
            .into_iter()
            .find(|form| check.check(form).is_ok())
    };
    if first_accepted(EARLIEST.0).is_none() {
        return Err("no spelling of a time matches the field's pattern".to_owned());
    }
    Ok((EARLIEST.0..=LATEST.0)
        .prop_filter_map("no spelling of the time is accepted", first_accepted)
        .boxed())
}

/// Values of a field paired with the JSON type each is written as in
/// `format`: text in the text formats; in the JSON ones each type the
/// field's `json` allows that `format` can write (object ids and dates in
/// Extended JSON only), and `null` when the field is nullable.
pub(crate) fn typed(
    values: BoxedStrategy<String>,
    allowed: Option<&[JsonType]>,
    nullable: bool,
    format: Format,
    check: &ValueCheck,
) -> Result<BoxedStrategy<(String, JsonKind)>, Unbuildable> {
    if !framing::is_json(format) {
        return Ok(values.prop_map(|value| (value, JsonKind::String)).boxed());
    }
    let allows = |json: JsonType| allowed.is_none_or(|allowed| allowed.contains(&json));
    let extended = format == Format::ExtendedJson;
    let accepted = |values: BoxedStrategy<String>, json: JsonKind| {
        let check = check.clone();
        values
            .prop_filter("the field's type rejects the value", move |value| {
                check.check_typed(value, Some(json)).is_ok()
            })
            .prop_map(move |value| (value, json))
            .boxed()
    };
    let mut options: Vec<(u32, BoxedStrategy<(String, JsonKind)>)> = Vec::new();
    // Without a `json` list any type is accepted: such values are strings.
    if allowed.is_none() || allows(JsonType::String) {
        options.push((4, accepted(values.clone(), JsonKind::String)));
    }
    if allowed.is_some() && allows(JsonType::Number) {
        let numbers = values
            .clone()
            .prop_filter("not a JSON number", |value| is_json_number(value))
            .boxed();
        options.push((4, accepted(numbers, JsonKind::Number)));
    }
    if allowed.is_some() && allows(JsonType::Boolean) {
        let booleans = proptest::sample::select(vec!["true".to_owned(), "false".to_owned()]);
        options.push((4, accepted(booleans.boxed(), JsonKind::Boolean)));
    }
    if extended && allowed.is_some() && allows(JsonType::ObjectId) {
        let ids = proptest::string::string_regex("[0-9a-f]{24}")
            .map_err(|error| error.to_string())?
            .boxed();
        options.push((4, accepted(ids, JsonKind::ObjectId)));
    }
    if extended && allowed.is_some() && allows(JsonType::Date) {
        // The spelling canonical mode's milliseconds read back as.
        let dates = (EARLIEST.0..=LATEST.0)
            .prop_map(move |micros| {
                Instant(micros - micros.rem_euclid(1000))
                    .field_forms(None, format)
                    .swap_remove(0)
            })
            .boxed();
        options.push((4, accepted(dates, JsonKind::Date)));
    }
    if options.is_empty() {
        return Err(format!(
            "none of the JSON types {:?} is generated in {format}",
            allowed.unwrap_or_default()
        ));
    }
    if nullable {
        options.push((1, Just((String::new(), JsonKind::Null)).boxed()));
    }
    Ok(Union::new_weighted(options).boxed())
}
