//! The checker's integration tests, one module per subject, in one test
//! binary: each binary links the whole checker, and one link instead of
//! sixteen keeps a test build's time and disk use down.

mod common;

mod agent_hub;
mod bad_input;
mod codes;
mod conditions;
mod fan_out;
mod fuzz_regressions;
mod hexon;
mod hostile;
mod ordering;
mod plan_errors;
mod prexorcloud;
mod rce_eventlog;
mod record_hook;
mod records;
mod relations_agent_hub;
mod relations_ctrl_exec;
mod relations_ctrl_exec_blocks;
mod relations_ctrl_exec_rotate;
mod relations_hexon;
mod relations_prexorcloud;
mod relations_rce;
mod relations_rce_namespace;
mod relations_rce_runs;
mod rules;
