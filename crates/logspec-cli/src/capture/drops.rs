//! Datagrams the kernel dropped on a UDP socket because its receive buffer
//! was full: lost before `listen` could read them, so the accounting must
//! say how many.
//!
//! On Linux the count is the socket's `drops` column in `/proc/net/udp`
//! (`udp6` for IPv6), found by the socket's inode: the same counter
//! (`sk_drops`) that `SO_RXQ_OVFL` reports with each datagram. Reading it
//! from procfs needs no unsafe code (the workspace forbids it) and no
//! dependency for `recvmsg` with control messages, for one number read
//! when listening ends. Elsewhere the count is unknown, and the report
//! says so.

use std::net::UdpSocket;

/// How many datagrams the kernel dropped on `socket`, where the platform
/// tells.
#[cfg(target_os = "linux")]
pub fn dropped(socket: &UdpSocket) -> Option<u64> {
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::MetadataExt;
    let descriptor = format!("/proc/self/fd/{}", socket.as_raw_fd());
    let inode = std::fs::metadata(descriptor).ok()?.ino();
    ["/proc/net/udp", "/proc/net/udp6"]
        .iter()
        .filter_map(|table| std::fs::read_to_string(table).ok())
        .find_map(|table| drops_of(&table, inode))
}

#[cfg(not(target_os = "linux"))]
pub fn dropped(_socket: &UdpSocket) -> Option<u64> {
    None
}

/// The `drops` column of the socket with `inode` in a `/proc/net/udp`
/// table: `sl local rem st tx:rx tr:when retrnsmt uid timeout inode ref
/// pointer drops`.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn drops_of(table: &str, inode: u64) -> Option<u64> {
    table.lines().skip(1).find_map(|line| {
        let columns: Vec<&str> = line.split_whitespace().collect();
        let this = columns.get(9)?.parse::<u64>().ok()?;
        (this == inode).then(|| columns.get(12)?.parse().ok())?
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_drops_column_of_the_socket_with_the_inode() {
        let table = "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n\
          1: 0100007F:14CA 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4321 2 0000000000000000 0\n\
          2: 0100007F:14CB 00000000:0000 07 00000000:00034000 00:00000000 00000000     0        0 98765 2 0000000000000000 17\n";
        assert_eq!(drops_of(table, 98765), Some(17));
        assert_eq!(drops_of(table, 4321), Some(0));
        assert_eq!(drops_of(table, 5), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_fresh_socket_has_dropped_nothing() {
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(dropped(&socket), Some(0));
        let socket = UdpSocket::bind("[::1]:0");
        if let Ok(socket) = socket {
            assert_eq!(dropped(&socket), Some(0));
        }
    }
}
