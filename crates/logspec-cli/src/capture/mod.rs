//! The receiving side of `logspec listen`: syslog messages over UDP (one
//! datagram, one message) and TCP (RFC 6587 framing, see [`framing`]),
//! handed to the checking thread in the order they arrive.
//!
//! Std threads, not an async runtime: a listener serves a few senders (the
//! producer under test, a relay), their number capped by
//! `--max-connections`, and one thread per connection with short read
//! timeouts keeps the code plain and every wait bounded. An async runtime
//! would be a large dependency bought for a concurrency this tool never
//! needs.
//!
//! Nothing binds unless told where (no default address, no wildcard). What
//! a sender can make the listener hold is bounded: a message's size, the
//! connections open at once, and the time a connection may go without
//! completing a message (a slow, half-open or silent peer is closed then).
//! Every frame a sender began is delivered: whole, or with the reason it
//! cannot be checked (over the size limit, cut by the connection's end,
//! an octet count that overruns).

pub mod drops;
pub mod feed;
pub mod framing;

use framing::Deframer;
use std::io::{self, Read};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError, SyncSender};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

/// How often blocked threads look at the stop flag.
pub const POLL: Duration = Duration::from_millis(100);

/// Messages waiting for the checker before receivers wait for it.
const QUEUE: usize = 4096;

/// Messages waiting beyond which TCP readers pause: the rest of the queue
/// is UDP's. A TCP sender that is made to wait loses nothing (its kernel
/// buffers fill and it slows down); a datagram that finds no room is lost,
/// so when the checker falls behind, TCP waits first.
const TCP_SHARE: usize = QUEUE / 2;

/// What a sender can make the listener hold.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_message_bytes: usize,
    pub max_connections: usize,
    /// How long a TCP connection may go without completing a message.
    pub idle: Duration,
}

/// One message received, as sent (without framing).
#[derive(Debug)]
pub struct Message {
    /// `udp PEER` or `tcp PEER`.
    pub source: String,
    pub bytes: Vec<u8>,
    /// Why the message cannot be checked as it is.
    pub problem: Option<String>,
}

/// What the receivers report.
#[derive(Debug)]
pub enum Event {
    Message(Message),
    /// A connection closed unread: `--max-connections` were open.
    Refused,
    /// When UDP receiving ends: the datagrams the kernel dropped on the
    /// socket (`None`: the platform does not tell).
    Dropped(Option<u64>),
}

/// Receivers running; they stop when [`stop`](Capture::stop) is set, and
/// the channel ends when the last of them has delivered its last message.
pub struct Capture {
    events: Receiver<Event>,
    waiting: Arc<AtomicUsize>,
    pub stop: Arc<AtomicBool>,
    /// The addresses bound (the port chosen, when 0 was given).
    pub udp: Option<SocketAddr>,
    pub tcp: Option<SocketAddr>,
}

impl Capture {
    /// The next event, waiting at most `timeout`.
    pub fn next(&self, timeout: Duration) -> Result<Event, RecvTimeoutError> {
        let event = self.events.recv_timeout(timeout)?;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        Ok(event)
    }
}

/// The receivers' side of the channel to the checker, counting what waits
/// in it.
#[derive(Clone)]
struct Queue {
    sender: SyncSender<Event>,
    waiting: Arc<AtomicUsize>,
}

impl Queue {
    /// Hands an event over; false when the checker is gone.
    fn send(&self, event: Event) -> bool {
        self.waiting.fetch_add(1, Ordering::SeqCst);
        self.sender.send(event).is_ok()
    }

    /// Waits while TCP's share of the queue is taken; true if it waited.
    fn wait_for_tcp_room(&self, stop: &AtomicBool) -> bool {
        let mut waited = false;
        while self.waiting.load(Ordering::SeqCst) >= TCP_SHARE && !stop.load(Ordering::Relaxed) {
            thread::sleep(Duration::from_millis(1));
            waited = true;
        }
        waited
    }
}

/// Binds where told and starts receiving.
pub fn start(
    udp: Option<SocketAddr>,
    tcp: Option<SocketAddr>,
    limits: Limits,
) -> io::Result<Capture> {
    let stop = Arc::new(AtomicBool::new(false));
    let (sender, events) = sync_channel(QUEUE);
    let waiting = Arc::new(AtomicUsize::new(0));
    let queue = Queue {
        sender,
        waiting: Arc::clone(&waiting),
    };
    let mut bound_udp = None;
    let mut bound_tcp = None;
    // Bind both before starting either: a bind error fails the run whole.
    let udp_socket = udp.map(UdpSocket::bind).transpose()?;
    let tcp_listener = tcp.map(TcpListener::bind).transpose()?;
    if let Some(socket) = udp_socket {
        bound_udp = Some(socket.local_addr()?);
        socket.set_read_timeout(Some(POLL))?;
        let queue = queue.clone();
        let stop = Arc::clone(&stop);
        thread::spawn(move || receive_datagrams(&socket, &queue, &stop, limits));
    }
    if let Some(listener) = tcp_listener {
        bound_tcp = Some(listener.local_addr()?);
        listener.set_nonblocking(true)?;
        let queue = queue.clone();
        let stop = Arc::clone(&stop);
        thread::spawn(move || accept(&listener, &queue, &stop, limits));
    }
    Ok(Capture {
        events,
        waiting,
        stop,
        udp: bound_udp,
        tcp: bound_tcp,
    })
}

fn receive_datagrams(socket: &UdpSocket, queue: &Queue, stop: &AtomicBool, limits: Limits) {
    let mut buffer = vec![0u8; limits.max_message_bytes.saturating_add(1).min(1 << 16)];
    while !stop.load(Ordering::Relaxed) {
        match socket.recv_from(&mut buffer) {
            Ok((length, peer)) => {
                if !deliver(&buffer[..length], peer, queue, limits) {
                    return;
                }
            }
            Err(error) if is_timeout(&error) => {}
            // A datagram's error (e.g. ICMP unreachable for an earlier
            // send) concerns no message received.
            Err(_) => thread::sleep(POLL),
        }
    }
    // What the kernel holds already arrived: it is received, not lost. The
    // drain is bounded in time, against a sender that never pauses.
    let drain_until = Instant::now() + DRAIN;
    if socket.set_nonblocking(true).is_ok() {
        while Instant::now() < drain_until {
            match socket.recv_from(&mut buffer) {
                Ok((length, peer)) => {
                    if !deliver(&buffer[..length], peer, queue, limits) {
                        return;
                    }
                }
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
    }
    queue.send(Event::Dropped(drops::dropped(socket)));
}

/// Longest time spent reading the datagrams queued when listening stops.
const DRAIN: Duration = Duration::from_secs(1);

/// Hands one datagram to the checker; false when the checker is gone.
fn deliver(datagram: &[u8], peer: SocketAddr, queue: &Queue, limits: Limits) -> bool {
    // One byte over the limit tells an over-long datagram (the kernel cuts
    // what does not fit, silently).
    let over = datagram.len() > limits.max_message_bytes;
    let message = Message {
        source: format!("udp {peer}"),
        bytes: datagram[..datagram.len().min(limits.max_message_bytes)].to_vec(),
        problem: over.then(|| {
            format!(
                "datagram over the limit of {} bytes: not checked",
                limits.max_message_bytes
            )
        }),
    };
    queue.send(Event::Message(message))
}

fn is_timeout(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted
    )
}

fn accept(listener: &TcpListener, queue: &Queue, stop: &Arc<AtomicBool>, limits: Limits) {
    let open = Arc::new(AtomicUsize::new(0));
    while !stop.load(Ordering::Relaxed) {
        match listener.accept() {
            Ok((stream, peer)) => {
                if open.load(Ordering::SeqCst) >= limits.max_connections {
                    drop(stream);
                    if !queue.send(Event::Refused) {
                        return;
                    }
                    continue;
                }
                open.fetch_add(1, Ordering::SeqCst);
                let slot = Slot(Arc::clone(&open));
                let queue = queue.clone();
                let stop = Arc::clone(stop);
                thread::spawn(move || {
                    let _slot = slot;
                    receive_stream(stream, peer, &queue, &stop, limits);
                });
            }
            // Out of descriptors, or a connection reset before accept:
            // wait and go on.
            Err(_) => thread::sleep(POLL / 5),
        }
    }
}

/// A connection counted as open until its thread ends.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn receive_stream(
    mut stream: TcpStream,
    peer: SocketAddr,
    queue: &Queue,
    stop: &AtomicBool,
    limits: Limits,
) {
    let source = format!("tcp {peer}");
    let mut deframer = Deframer::new(limits.max_message_bytes);
    let mut frames = Vec::new();
    let mut buffer = [0u8; 16 * 1024];
    let mut progress = Instant::now();
    let setup = stream
        .set_nonblocking(false)
        .and_then(|()| stream.set_read_timeout(Some(POLL)));
    let ending = if let Err(error) = setup {
        format!("failed ({error})")
    } else {
        loop {
            if queue.wait_for_tcp_room(stop) {
                // Waiting on the checker is no idleness of the sender's.
                progress = Instant::now();
            }
            if stop.load(Ordering::Relaxed) {
                break "was open when listening stopped".to_owned();
            }
            match stream.read(&mut buffer) {
                Ok(0) => break "closed".to_owned(),
                Ok(length) => {
                    deframer.push(&buffer[..length], &mut frames);
                    if !frames.is_empty() {
                        progress = Instant::now();
                    }
                    for frame in frames.drain(..) {
                        let message = Message {
                            source: source.clone(),
                            bytes: frame.bytes,
                            problem: frame.problem,
                        };
                        if !queue.send(Event::Message(message)) {
                            return;
                        }
                    }
                }
                Err(error) if is_timeout(&error) => {}
                Err(error) => break format!("failed ({error})"),
            }
            if progress.elapsed() > limits.idle {
                break format!(
                    "went {}s without completing a message and was closed",
                    limits.idle.as_secs_f64()
                );
            }
        }
    };
    if let Some(frame) = deframer.finish(&ending) {
        queue.send(Event::Message(Message {
            source,
            bytes: frame.bytes,
            problem: frame.problem,
        }));
    }
}
