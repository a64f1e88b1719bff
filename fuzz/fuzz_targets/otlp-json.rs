//! OpenTelemetry OTLP/JSON exports, one `ExportLogsServiceRequest` per line,
//! its log records placed in the line and read one by one, read as the
//! checker reads them (lines split and decoded, each record read):
//! `logspec_fuzz::records` says what is asserted. Input: a line limit and
//! chunk plan header (`logspec_fuzz::chunked`), then the stream.
#![no_main]

use libfuzzer_sys::fuzz_target;
use logspec_fuzz::records::check_stream;
use logspec_reader::Format;

fuzz_target!(|input: &[u8]| check_stream(Format::OtlpJson, input));
