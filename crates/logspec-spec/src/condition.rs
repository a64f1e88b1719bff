//! Rule conditions: CEL expressions, compiled once when the spec loads.
//!
//! A condition is written in the Common Expression Language (CEL), the
//! standard, side-effect-free expression language Kubernetes uses for
//! validation rules inside its own specs; the `cel` crate parses and
//! evaluates it. We keep no expression language of our own: what is ours is
//! the set of names an expression may use and the check that every name it
//! uses resolves, done here on the parsed tree so that a typo is a load
//! error with file, line and column, never a condition that silently fails
//! on every record.
//!
//! Names (see spec/README.md, "Conditions"):
//! `record.F` (a field of the record), `earlier.L.F` (field F of the latest
//! earlier record labelled L of the same key), `since.L` (seconds since
//! it), `count.L` (how many there were), `span.L` (seconds from the
//! earliest to the latest time of those records and this one, in whatever
//! order they came), `source.X` (where the record was
//! read: `file`, `host`, `tag`, `pid`, `event`, `line`), `params.P` (a rule
//! parameter the user sets), `key.K` (part K of the record's key),
//! `within.W.L` (how many earlier records labelled L of the same key fall
//! within the rule's window W before this one), `covered.W` (whether the
//! record's input reaches back over window W).

use serde::{Deserialize, Deserializer};
use std::fmt;
use std::sync::{Arc, OnceLock};

/// What a record's `source` offers an expression.
pub const SOURCE_NAMES: &[&str] = &["file", "host", "tag", "pid", "event", "line"];

/// Functions an expression may call besides operators and macros: CEL's
/// standard ones, the strings extension's, and `host` (the host of a
/// `host:port` value, which the checker adds).
pub const FUNCTIONS: &[&str] = &[
    "size",
    "contains",
    "startsWith",
    "endsWith",
    "matches",
    "int",
    "uint",
    "double",
    "string",
    "bool",
    "type",
    "split",
    "join",
    "lowerAscii",
    "upperAscii",
    "trim",
    "replace",
    "indexOf",
    "lastIndexOf",
    "substring",
    "charAt",
    "host",
];

/// The roots an expression's names start from.
const ROOTS: &[&str] = &[
    "record", "earlier", "since", "count", "span", "source", "params", "key", "within", "covered",
    "state",
];

/// The CEL environment every condition is compiled for: the standard
/// library and the strings extension.
pub fn environment() -> &'static Arc<cel::Env> {
    static ENV: OnceLock<Arc<cel::Env>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = cel::Env::stdlib();
        // Registering a bundled extension once on a fresh standard
        // environment cannot conflict; were it to, conditions would miss
        // its functions and their tests would say so.
        let _ = env.add_extension(cel::extensions::strings);
        Arc::new(env)
    })
}

/// A name an expression uses, resolved against its root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Name {
    /// `record.F` or `record['F']`.
    Record(String),
    /// `earlier.L` (tested with `has`) or `earlier.L.F`.
    Earlier(String, Option<String>),
    Since(String),
    Count(String),
    /// `span.L`: seconds from the earliest to the latest time among the
    /// key's earlier records labelled L and this record.
    Span(String),
    Source(String),
    Param(String),
    /// `key.PART`: a part of the record's correlation key, by its name.
    Key(String),
    /// `within.WINDOW.LABEL`: earlier records of the label within the window.
    Within(String, String),
    /// `covered.WINDOW`: the input reaches back over the window.
    Covered(String),
    /// `state.S`: the key is in lifecycle state S before this record.
    State(String),
}

/// A name, where it is written in the expression (byte offset), and the
/// name as written, for messages.
#[derive(Debug, Clone)]
pub struct Use {
    pub name: Option<Name>,
    pub offset: usize,
    pub written: String,
}

/// A compiled condition.
#[derive(Clone)]
pub struct Condition {
    pub source: String,
    pub program: Arc<cel::Program>,
    /// Every name and function it uses; `name: None` marks one that does
    /// not fit any root (reported by the loader).
    pub uses: Vec<Use>,
    /// Functions called that CEL and logspec do not offer.
    pub unknown_functions: Vec<(String, usize)>,
    /// The string and number constants it is written with, as text (`'yes'`
    /// gives `yes`): the values its fields are compared with, which a
    /// generator tries so that a condition guarding on them is exercised.
    pub literals: Vec<String>,
    /// Labels L for which the expression is a disjunction with
    /// `!has(earlier.L)` among its terms: it holds whenever the key has no
    /// earlier record of L, whatever the other terms give (CEL's `||` is
    /// true when any term is, errors included), so the checker can decide
    /// it without building a single CEL value. Most records of a lifecycle
    /// are the first of their label, so this is the common case.
    pub holds_without_earlier: Vec<String>,
    /// The roots it names (`record`, `earlier`, …), once each: a checker
    /// builds only these for each evaluation.
    pub roots: Vec<String>,
}

impl fmt::Debug for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Condition({:?})", self.source)
    }
}

impl Condition {
    /// Compiles `source`; the error is CEL's message with the column.
    pub fn compile(source: &str) -> Result<Condition, String> {
        let program = environment().compile(source).map_err(|errors| {
            errors
                .errors
                .iter()
                .map(|error| {
                    format!(
                        "invalid CEL condition `{source}`: {} (line {}, column {} of the expression)",
                        error.msg,
                        error.pos.0,
                        error.pos.1 + 1
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        })?;
        let mut walk = Walk {
            source_info: program.source_info(),
            uses: Vec::new(),
            functions: Vec::new(),
            bound: Vec::new(),
            literals: Vec::new(),
        };
        walk.expr(program.expression());
        let (uses, functions, literals) = (walk.uses, walk.functions, walk.literals);
        let mut holds_without_earlier = Vec::new();
        absence_guards(program.expression(), &mut holds_without_earlier);
        let mut roots: Vec<String> = Vec::new();
        for used in &uses {
            let root =
                (used.written.split_once('.')).map_or(used.written.as_str(), |(root, _)| root);
            if !roots.iter().any(|known| known == root) {
                roots.push(root.to_owned());
            }
        }
        Ok(Condition {
            source: source.to_owned(),
            roots,
            uses,
            literals,
            holds_without_earlier,
            unknown_functions: functions
                .into_iter()
                .filter(|(name, _)| !FUNCTIONS.contains(&name.as_str()))
                .collect(),
            program: Arc::new(program),
        })
    }

    /// Record fields the condition reads.
    pub fn record_fields(&self) -> impl Iterator<Item = &str> {
        self.uses.iter().filter_map(|used| match &used.name {
            Some(Name::Record(field)) => Some(field.as_str()),
            _ => None,
        })
    }
}

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let source = String::deserialize(deserializer)?;
        Condition::compile(&source).map_err(serde::de::Error::custom)
    }
}

struct Walk<'p> {
    source_info: &'p cel::common::ast::SourceInfo,
    uses: Vec<Use>,
    functions: Vec<(String, usize)>,
    /// Variables bound by comprehensions (`exists(h, …)`) around the node.
    bound: Vec<String>,
    literals: Vec<String>,
}

use cel::common::ast::{EntryExpr, Expr, IdedExpr, LiteralValue};

impl Walk<'_> {
    fn offset(&self, id: u64) -> usize {
        self.source_info
            .offset_for(id)
            .map_or(0, |(start, _)| start as usize)
    }

    /// The segments of `root.a.b` or `root['a']['b']`, root first, and the
    /// id of the root (where the name starts).
    fn chain(expr: &IdedExpr) -> Option<(Vec<String>, u64)> {
        match &expr.expr {
            Expr::Ident(name) => Some((vec![name.clone()], expr.id)),
            Expr::Select(select) => {
                let (mut chain, root) = Self::chain(&select.operand)?;
                chain.push(select.field.clone());
                Some((chain, root))
            }
            Expr::Call(call) if call.func_name == "_[_]" && call.args.len() == 2 => {
                let (mut chain, root) = Self::chain(&call.args[0])?;
                match &call.args[1].expr {
                    Expr::Literal(LiteralValue::String(key)) => {
                        chain.push(key.to_string());
                        Some((chain, root))
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn expr(&mut self, expr: &IdedExpr) {
        if let Some((chain, root)) = Self::chain(expr) {
            if !self.bound.contains(&chain[0]) {
                let written = chain.join(".");
                self.uses.push(Use {
                    name: resolve(&chain),
                    offset: self.offset(root),
                    written,
                });
            }
            return;
        }
        match &expr.expr {
            Expr::Call(call) => {
                let name = &call.func_name;
                let operator = name.starts_with(['_', '@', '!', '-']);
                if !operator {
                    self.functions.push((name.clone(), self.offset(expr.id)));
                }
                if let Some(target) = &call.target {
                    self.expr(target);
                }
                for arg in &call.args {
                    self.expr(arg);
                }
            }
            Expr::Comprehension(comprehension) => {
                self.expr(&comprehension.iter_range);
                self.bound.push(comprehension.iter_var.clone());
                if let Some(second) = &comprehension.iter_var2 {
                    self.bound.push(second.clone());
                }
                self.bound.push(comprehension.accu_var.clone());
                self.expr(&comprehension.accu_init);
                self.expr(&comprehension.loop_cond);
                self.expr(&comprehension.loop_step);
                self.expr(&comprehension.result);
                self.bound.pop();
                if comprehension.iter_var2.is_some() {
                    self.bound.pop();
                }
                self.bound.pop();
            }
            Expr::Select(select) => self.expr(&select.operand),
            Expr::List(list) => {
                for element in &list.elements {
                    self.expr(element);
                }
            }
            Expr::Map(map) => {
                for entry in &map.entries {
                    if let EntryExpr::MapEntry(entry) = &entry.expr {
                        self.expr(&entry.key);
                        self.expr(&entry.value);
                    }
                }
            }
            Expr::Literal(literal) => {
                let text = match literal {
                    LiteralValue::String(text) => Some(text.to_string()),
                    LiteralValue::Int(number) => Some(number.to_string()),
                    LiteralValue::UInt(number) => Some(number.to_string()),
                    LiteralValue::Double(number) => Some(number.to_string()),
                    _ => None,
                };
                if let Some(text) = text.filter(|text| !self.literals.contains(text)) {
                    self.literals.push(text);
                }
            }
            Expr::Struct(_) | Expr::Ident(_) | Expr::Unspecified => {}
        }
    }
}

/// Collects the labels L of the terms `!has(earlier.L)` of `expr` read as
/// a disjunction (`a || b || c`, however the parser nests it).
fn absence_guards(expr: &IdedExpr, labels: &mut Vec<String>) {
    let Expr::Call(call) = &expr.expr else {
        return;
    };
    match (
        call.func_name.as_str(),
        call.target.as_ref(),
        call.args.as_slice(),
    ) {
        ("_||_", None, terms) => {
            for term in terms {
                absence_guards(term, labels);
            }
        }
        ("!_", None, [negated]) => {
            if let Expr::Select(select) = &negated.expr {
                let earlier =
                    matches!(&select.operand.expr, Expr::Ident(root) if root == "earlier");
                if select.test && earlier && !labels.contains(&select.field) {
                    labels.push(select.field.clone());
                }
            }
        }
        _ => {}
    }
}

/// The name a chain of segments denotes, if it fits one of the roots.
fn resolve(chain: &[String]) -> Option<Name> {
    let root = chain[0].as_str();
    if !ROOTS.contains(&root) {
        return None;
    }
    let rest = &chain[1..];
    match (root, rest) {
        ("record", [field]) => Some(Name::Record(field.clone())),
        ("earlier", [label]) => Some(Name::Earlier(label.clone(), None)),
        ("earlier", [label, field]) => Some(Name::Earlier(label.clone(), Some(field.clone()))),
        ("since", [label]) => Some(Name::Since(label.clone())),
        ("count", [label]) => Some(Name::Count(label.clone())),
        ("span", [label]) => Some(Name::Span(label.clone())),
        ("source", [item]) => Some(Name::Source(item.clone())),
        ("params", [name]) => Some(Name::Param(name.clone())),
        ("key", [part]) => Some(Name::Key(part.clone())),
        ("within", [window, label]) => Some(Name::Within(window.clone(), label.clone())),
        ("covered", [window]) => Some(Name::Covered(window.clone())),
        ("state", [name]) => Some(Name::State(name.clone())),
        _ => None,
    }
}

/// `250ms`, `90s`, `5m`, `1.5h`, `2d` in seconds (rule parameters and
/// window lengths); `None` for anything else, a negative length included.
pub fn duration_seconds(text: &str) -> Option<f64> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.trim().parse().ok().filter(|n: &f64| n.is_finite())?;
    let scale = match unit {
        "ms" => 0.001,
        "s" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        "d" => 86_400.0,
        _ => return None,
    };
    (number >= 0.0).then_some(number * scale)
}

/// A window's margin in seconds: a duration, or one with a leading `-`.
pub fn margin_seconds(text: &str) -> Option<f64> {
    match text.strip_prefix('-') {
        Some(magnitude) => duration_seconds(magnitude).map(|seconds| -seconds),
        None => duration_seconds(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absence_guards_are_the_negated_has_terms_of_a_disjunction() {
        let guards = |source: &str| {
            Condition::compile(source)
                .unwrap_or_else(|error| panic!("{error}"))
                .holds_without_earlier
        };
        assert_eq!(
            guards("!has(earlier.run) || record.A != earlier.run.A"),
            ["run"]
        );
        assert_eq!(
            guards("record.A == 'x' || !has(earlier.b) || since.b > 5.0 || !has(earlier.c)"),
            ["b", "c"]
        );
        assert_eq!(
            guards("(!has(earlier.b)) || (record.A == 'x' || !has(earlier.c))"),
            ["b", "c"]
        );
        // Not a disjunction of such terms: nothing decides it early.
        for source in [
            "!has(earlier.b) && record.A == 'x'",
            "has(earlier.b) || record.A == 'x'",
            "!(has(earlier.b) || record.A == 'x')",
            "!has(record.b) || record.A == 'x'",
            "[1].exists(earlier, !has(earlier.b)) || record.A == 'x'",
            "!has(earlier.b.F) || record.A == 'x'",
        ] {
            assert!(guards(source).is_empty(), "{source}");
        }
    }

    #[test]
    fn durations_and_margins_read_in_seconds() {
        assert_eq!(duration_seconds("90s"), Some(90.0));
        assert_eq!(duration_seconds("1.5h"), Some(5400.0));
        assert_eq!(duration_seconds("250ms"), Some(0.25));
        assert_eq!(duration_seconds("5m"), Some(300.0));
        assert_eq!(duration_seconds("5"), None);
        assert_eq!(duration_seconds("-5s"), None);
        assert_eq!(duration_seconds("5 weeks"), None);
        assert_eq!(margin_seconds("-1s"), Some(-1.0));
        assert_eq!(margin_seconds("2s"), Some(2.0));
        assert_eq!(margin_seconds("--1s"), None);
    }

    #[test]
    fn windowed_counts_and_coverage_are_names() {
        assert_eq!(
            names(
                "covered.probe && within.probe.failure > 3 && within['probe']['tls-failure'] < 9"
            ),
            vec![
                Some(Name::Covered("probe".into())),
                Some(Name::Within("probe".into(), "failure".into())),
                Some(Name::Within("probe".into(), "tls-failure".into())),
            ]
        );
        assert_eq!(names("within.probe > 3"), vec![None]);
        assert_eq!(names("covered.probe.failure"), vec![None]);
    }

    #[test]
    fn roots_are_named_once_each() {
        let condition = Condition::compile(
            "!has(earlier.run) || record.ID == earlier.run.ID && since.run <= params.gap",
        )
        .unwrap_or_else(|error| panic!("{error}"));
        let mut roots = condition.roots.clone();
        roots.sort();
        assert_eq!(roots, ["earlier", "params", "record", "since"]);
        let comprehension = Condition::compile("record.HOSTS.exists(h, h == key.HOST)")
            .unwrap_or_else(|error| panic!("{error}"));
        let mut roots = comprehension.roots.clone();
        roots.sort();
        assert_eq!(roots, ["key", "record"], "a bound variable is no root");
    }

    #[test]
    fn literals_are_the_constants_written() {
        let condition = Condition::compile(
            "record.success == 'yes' ? has(record.start_ts) : record.count <= 3 || record.x == 'yes'",
        )
        .expect("compiles");
        assert_eq!(condition.literals, vec!["yes".to_owned(), "3".to_owned()]);
        let none = Condition::compile("has(record.a)").expect("compiles");
        assert!(none.literals.is_empty());
    }

    fn names(source: &str) -> Vec<Option<Name>> {
        match Condition::compile(source) {
            Ok(condition) => condition.uses.into_iter().map(|used| used.name).collect(),
            Err(error) => panic!("{error}"),
        }
    }

    #[test]
    fn resolves_names_under_each_root() {
        assert_eq!(
            names("has(record.EXIT) == (record['STATUS'] == 'ok')"),
            vec![
                Some(Name::Record("EXIT".into())),
                Some(Name::Record("STATUS".into()))
            ]
        );
        assert_eq!(
            names("!has(earlier.dispatch) || host(record.TARGET) in earlier.dispatch.HOSTS"),
            vec![
                Some(Name::Earlier("dispatch".into(), None)),
                Some(Name::Record("TARGET".into())),
                Some(Name::Earlier("dispatch".into(), Some("HOSTS".into())))
            ]
        );
        assert_eq!(
            names("since.open <= params.window && count.open < 3 && source.file != ''"),
            vec![
                Some(Name::Since("open".into())),
                Some(Name::Param("window".into())),
                Some(Name::Count("open".into())),
                Some(Name::Source("file".into()))
            ]
        );
    }

    #[test]
    fn comprehension_variables_are_not_names() {
        assert_eq!(
            names("earlier.dispatch.HOSTS.exists(h, h == host(record.TARGET))"),
            vec![
                Some(Name::Earlier("dispatch".into(), Some("HOSTS".into()))),
                Some(Name::Record("TARGET".into()))
            ]
        );
    }

    #[test]
    fn unknown_roots_functions_and_syntax_errors() {
        assert_eq!(names("reccord.EXIT == 0"), vec![None]);
        assert_eq!(names("record.a.b == 1"), vec![None]);
        let condition = Condition::compile("hostname(record.TARGET) == ''");
        assert!(matches!(condition, Ok(c) if c.unknown_functions.len() == 1));
        let error = Condition::compile("record.EXIT == ")
            .err()
            .unwrap_or_default();
        assert!(error.contains("column"), "{error}");
    }
}
