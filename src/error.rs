//! The crate's one error type: every failure names what was wrong (a config key, a CSV line, a step).

use std::fmt;

/// Everything that can go wrong in otlab, with enough context to tell the user what to fix.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// A configuration value is missing, malformed or out of range.
    Config { key: String, msg: String },
    /// Input data is malformed (CSV line, point count, NaN in input).
    Data { line: Option<usize>, msg: String },
    /// Matrix shapes do not fit an operation.
    Shape { op: &'static str, msg: String },
    /// A numerical solver could not produce an answer.
    Solver { solver: &'static str, msg: String },
    /// Training produced NaN or Inf.
    Diverged { step: usize, quantity: String },
    /// Training ran away without producing NaN: a quantity grew by a large factor.
    Runaway { step: usize, what: String },
    /// Reading or writing a file failed.
    Io(String),
}

/// Shorthand used throughout the crate.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// A config error for `key`.
    pub fn config(key: impl Into<String>, msg: impl Into<String>) -> Self {
        Error::Config { key: key.into(), msg: msg.into() }
    }
    /// A data error, optionally at a 1-based input line.
    pub fn data(line: Option<usize>, msg: impl Into<String>) -> Self {
        Error::Data { line, msg: msg.into() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config { key, msg } => write!(f, "setting `{key}`: {msg}"),
            Error::Data { line: Some(l), msg } => write!(f, "data line {l}: {msg}"),
            Error::Data { line: None, msg } => write!(f, "data: {msg}"),
            Error::Shape { op, msg } => write!(f, "shape error in {op}: {msg}"),
            Error::Solver { solver, msg } => write!(f, "{solver}: {msg}"),
            Error::Diverged { step, quantity } => {
                write!(f, "training diverged at step {step}: {quantity} is not finite")
            }
            Error::Runaway { step, what } => {
                write!(f, "training paused at step {step}: {what} (lower the learning rates or reset)")
            }
            Error::Io(msg) => write!(f, "io: {msg}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e.to_string())
    }
}
