//! `logspec listen`: receive syslog over the network and check it as it
//! arrives, with the engine and rules `check` uses; the reports come when
//! listening ends (`--duration`, SIGINT or SIGTERM), findings on standard
//! error as they are found. The receiving side is `capture`.

use crate::capture::feed::{Feed, Received, NAME};
use crate::capture::{self, Limits};
use crate::commands::check::{self, Checked, Checking, Gate};
use crate::live::{self, LiveSink, Tally};
use crate::options::{FailOnOption, GateOptions, ReportOptions, SpecOption};
use crate::{spec_arg, CliError, Verdict};
use logspec_checker::stream::Input;
use logspec_checker::{Checker, Plan};
use logspec_finding::{Code, Finding};
use logspec_report::ReportFormat;
use std::cell::RefCell;
use std::fs::File;
use std::io::BufWriter;
use std::net::SocketAddr;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("listen-on").args(["udp", "tcp"]).multiple(true).required(true)))]
pub struct Args {
    #[command(flatten)]
    spec: SpecOption,
    #[command(flatten)]
    reports: ReportOptions,
    #[command(flatten)]
    fail_on: FailOnOption,
    #[command(flatten)]
    gate: GateOptions,
    #[command(flatten)]
    checking: Checking,
    /// Receive syslog datagrams on this address (an explicit IP, e.g.
    /// 127.0.0.1:5514; port 0 picks a free one, said on standard error)
    #[arg(long, value_name = "ADDR:PORT")]
    udp: Option<SocketAddr>,
    /// Accept syslog over TCP on this address (RFC 6587: octet-counted or
    /// newline-ended messages)
    #[arg(long, value_name = "ADDR:PORT")]
    tcp: Option<SocketAddr>,
    /// Stop after this many seconds (otherwise at SIGINT or SIGTERM)
    #[arg(long, value_name = "SECONDS")]
    duration: Option<f64>,
    /// Write every message received to FILE, one per line, as received
    #[arg(long, value_name = "FILE")]
    save: Option<String>,
    /// Messages longer than this many bytes are reported, not checked
    #[arg(long, default_value_t = 64 * 1024, value_name = "BYTES")]
    max_message_bytes: usize,
    /// TCP connections open at once; further ones are closed unread (and
    /// counted in the report)
    #[arg(long, default_value_t = 64, value_name = "N")]
    max_connections: usize,
    /// A TCP connection that completes no message for this many seconds is
    /// closed (slow, half-open or silent senders)
    #[arg(long, default_value_t = 120.0, value_name = "SECONDS")]
    idle_timeout: f64,
}

fn seconds(value: f64, option: &str) -> Result<Duration, CliError> {
    Duration::try_from_secs_f64(value)
        .map_err(|_| CliError::Usage(format!("{option} takes a number of seconds, not {value}")))
}

pub fn run(args: Args) -> Result<Verdict, CliError> {
    args.reports.validate("listen", ReportFormat::ALL)?;
    let (loaded, overlay) = spec_arg::load_overlaid(args.spec.name()?)?;
    let plan = Plan::load(&loaded)?;
    let options = args.checking.options(&plan, overlay.as_ref())?;
    let duration = args
        .duration
        .map(|value| seconds(value, "--duration"))
        .transpose()?;
    let limits = Limits {
        max_message_bytes: args.max_message_bytes.max(1),
        max_connections: args.max_connections.max(1),
        idle: seconds(args.idle_timeout, "--idle-timeout")?,
    };
    let save = match &args.save {
        Some(path) => {
            let file = File::create(path).map_err(|source| CliError::Write {
                path: path.clone(),
                source,
            })?;
            Some((path.clone(), BufWriter::new(file)))
        }
        None => None,
    };
    let signalled = live::stop_on_signals()?;
    let capture = capture::start(args.udp, args.tcp, limits).map_err(|source| CliError::Input {
        path: [args.udp, args.tcp]
            .iter()
            .flatten()
            .map(SocketAddr::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        source,
    })?;
    let bound: Vec<String> = [("udp", capture.udp), ("tcp", capture.tcp)]
        .iter()
        .filter_map(|(protocol, address)| address.map(|address| format!("{protocol} {address}")))
        .collect();
    eprintln!(
        "logspec: listening on {}; {}",
        bound.join(", "),
        match duration {
            Some(duration) => format!("for {}s", duration.as_secs_f64()),
            None => "until SIGINT or SIGTERM".to_owned(),
        }
    );

    let tally = Rc::new(RefCell::new(Tally::default()));
    let feed = Feed::new(
        capture,
        signalled,
        duration.map(|duration| Instant::now() + duration),
        save,
        Rc::clone(&tally),
    );
    let received = Rc::clone(&feed.received);
    let mut collector = check::collector(
        args.spec.name()?,
        &args.gate,
        &args.checking,
        &loaded,
        &plan,
    )?;
    let mut checker = Checker::new(&plan, options);
    let (summaries, alignment, accounted) = {
        let mut gate = Gate {
            inner: &mut collector,
            allow_empty: args.gate.allow_empty,
        };
        let mut sink = LiveSink::new(&mut gate, Rc::clone(&tally));
        let input = Input {
            name: NAME.to_owned(),
            reader: feed,
            host: None,
        };
        let checked = checker
            .check_inputs(vec![input], &mut sink)
            .map_err(|source| CliError::Input {
                path: NAME.to_owned(),
                source,
            })?;
        sink.flush();
        let received = *received.borrow();
        let summary = checked.0.first();
        let records = summary.map_or(0, |summary| summary.records);
        let foreign = summary.map_or(0, |summary| summary.foreign);
        let unreadable = tally.borrow().unreadable;
        let accounted = accounting(&received, args.udp.is_some(), records, foreign, unreadable);
        (checked.0, checked.1, accounted)
    };
    // What the capture received and lost is in the report however many
    // findings the messages had (--max-findings).
    for finding in accounted {
        collector.keep(finding);
    }
    let coverage = checker.coverage().report(&plan);
    check::conclude(
        Checked {
            loaded: &loaded,
            plan: &plan,
            summaries,
            alignment,
            collector,
            coverage,
        },
        &args.gate,
        &args.fail_on,
        &args.reports,
    )
}

/// What became of every message received, as findings for the report:
/// the counts must add up, and a refused connection is said.
fn accounting(
    received: &Received,
    udp: bool,
    records: u64,
    foreign: u64,
    unreadable: u64,
) -> Vec<Finding> {
    let file = Arc::from(NAME);
    let accounted = records + foreign + unreadable;
    let mut message = format!(
        "received {} (udp {}, tcp {}): {} checked, {} reported unreadable, {} of other programs",
        logspec_report::counted(received.messages, "message", "messages"),
        received.udp,
        received.tcp,
        records,
        unreadable,
        foreign
    );
    if accounted != received.messages {
        // Not expected (an OTLP line holds several records): said, not hidden.
        message.push_str(&format!(
            "; these add up to {accounted}, not {}",
            received.messages
        ));
    }
    // Datagrams lost before they were read are not among those received:
    // said beside them, from the socket's own count.
    match (udp, received.kernel_dropped) {
        (false, _) => {}
        (true, Some(dropped)) => message.push_str(&format!(
            "; the kernel dropped {} before they could be read",
            logspec_report::counted(dropped, "UDP datagram", "UDP datagrams")
        )),
        (true, None) => message.push_str(
            "; UDP datagrams the kernel dropped before they could be read: not known on this \
             platform",
        ),
    }
    let mut findings = vec![Finding::new(Code::CaptureSummary, &file, 0, message)];
    if let Some(dropped @ 1..) = received.kernel_dropped {
        findings.push(Finding::new(
            Code::DatagramsDropped,
            &file,
            0,
            format!(
                "the kernel dropped {} on the UDP socket (its receive buffer was full): they \
                 were sent but never received, so never checked",
                logspec_report::counted(dropped, "datagram", "datagrams")
            ),
        ));
    }
    if received.refused_connections > 0 {
        findings.push(Finding::new(
            Code::ConnectionRefused,
            &file,
            0,
            format!(
                "{} closed unread: --max-connections were open; their messages were not \
                 received",
                logspec_report::counted(
                    received.refused_connections,
                    "TCP connection",
                    "TCP connections"
                )
            ),
        ));
    }
    findings
}
