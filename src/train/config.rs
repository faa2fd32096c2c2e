//! One typed, validated configuration (seed inside) with a URL-query round trip: the page's hash,
//! the CLI's `--set key=value`, and the tests all go through `Config::set`.

use super::keys::{KEYS, KeySpec, Kind, spec};
use crate::error::{Error, Result};
use crate::models::catalog;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Num(f64),
    Text(&'static str),
    Flag(bool),
}

/// A complete configuration: every key has a valid value.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    values: BTreeMap<&'static str, Value>,
}

impl Config {
    /// Defaults for `method` (global defaults, then the method's overrides).
    pub fn new(method: &str) -> Result<Config> {
        let mut c = Config { values: BTreeMap::new() };
        for k in KEYS {
            let v = parse(k, k.default)?;
            c.values.insert(k.name, v);
        }
        c.set("method", method)?;
        for (k, v) in catalog::info(c.method()).defaults {
            c.set(k, v)?;
        }
        Ok(c)
    }

    /// The same settings under another method: shared keys keep their values, the new method's
    /// own defaults apply to its keys.
    pub fn with_method(&self, method: &str) -> Result<Config> {
        let mut c = Config::new(method)?;
        for k in ["pair", "mode", "seed", "batch", "steps", "eval_every", "eval_n"] {
            c.values.insert(spec(k).map_or(k, |s| s.name), self.values[k].clone());
        }
        Ok(c)
    }

    /// Set `key` from text; returns whether the change applies live (without rebuilding).
    pub fn set(&mut self, key: &str, value: &str) -> Result<bool> {
        let k = spec(key).ok_or_else(|| Error::config(key, "unknown key"))?;
        let v = parse(k, value)?;
        self.values.insert(k.name, v);
        Ok(k.live)
    }

    /// A real-valued key.
    pub fn f(&self, key: &str) -> f64 {
        match self.values.get(key) {
            Some(Value::Num(v)) => *v,
            _ => f64::NAN,
        }
    }

    /// A real-valued key as f32.
    pub fn f32(&self, key: &str) -> f32 {
        self.f(key) as f32
    }

    /// An integer key.
    pub fn int(&self, key: &str) -> usize {
        self.f(key).max(0.0) as usize
    }

    /// A choice key.
    pub fn text(&self, key: &str) -> &'static str {
        match self.values.get(key) {
            Some(Value::Text(s)) => s,
            _ => "",
        }
    }

    /// A boolean key.
    pub fn flag(&self, key: &str) -> bool {
        matches!(self.values.get(key), Some(Value::Flag(true)))
    }

    /// The method.
    pub fn method(&self) -> &'static str {
        self.text("method")
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.f("seed") as u64
    }

    /// Keys that matter for this method, in display order.
    pub fn relevant(&self) -> Vec<&'static KeySpec> {
        let own = catalog::info(self.method()).keys;
        KEYS.iter().filter(|k| catalog::GENERAL_KEYS.contains(&k.name) || own.contains(&k.name)).collect()
    }

    /// Text form of one value (as the query writes it).
    pub fn show(&self, key: &str) -> String {
        match self.values.get(key) {
            Some(Value::Num(v)) => format!("{v}"),
            Some(Value::Text(s)) => s.to_string(),
            Some(Value::Flag(b)) => b.to_string(),
            None => String::new(),
        }
    }

    /// `key=value&…` over the relevant keys (method first); `from_query` inverts it.
    pub fn to_query(&self) -> String {
        self.relevant()
            .iter()
            .map(|k| format!("{}={}", k.name, self.show(k.name)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Parse a query or URL hash (`#`/`?` prefix allowed); keys not given keep the method's
    /// defaults. Unknown keys and bad values are errors naming the key.
    pub fn from_query(q: &str) -> Result<Config> {
        let pairs = query_pairs(q);
        let method = pairs.iter().find(|(k, _)| k == "method").map_or("w2gan", |(_, v)| v.as_str());
        let mut c = Config::new(method)?;
        for (k, v) in &pairs {
            c.set(k, v)?;
        }
        Ok(c)
    }

    /// Set every key of a URL query except `method` (e.g. a preset on top of a method's defaults).
    pub fn merge_query(&mut self, q: &str) -> Result<()> {
        for (k, v) in query_pairs(q) {
            if k != "method" {
                self.set(&k, &v)?;
            }
        }
        Ok(())
    }
}

/// The decoded key/value pairs of a URL query (a leading # or ? is ignored).
fn query_pairs(q: &str) -> Vec<(String, String)> {
    q.trim_start_matches(['#', '?'])
        .split('&')
        .filter(|s| !s.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn parse(k: &KeySpec, text: &str) -> Result<Value> {
    let t = text.trim();
    match k.kind {
        Kind::Int { min, max } => {
            let v: f64 =
                t.parse().map_err(|_| Error::config(k.name, format!("expected an integer, got `{t}`")))?;
            if v.fract() != 0.0 || v < min as f64 || v > max as f64 {
                return Err(Error::config(
                    k.name,
                    format!("expected an integer in [{min}, {max}], got `{t}`"),
                ));
            }
            Ok(Value::Num(v))
        }
        Kind::Float { min, max, .. } => {
            let v: f64 =
                t.parse().map_err(|_| Error::config(k.name, format!("expected a number, got `{t}`")))?;
            if !v.is_finite() || v < min || v > max {
                return Err(Error::config(k.name, format!("expected a number in [{min}, {max}], got `{t}`")));
            }
            Ok(Value::Num(v))
        }
        Kind::Choice(of) => of.iter().find(|c| **c == t).map(|c| Value::Text(c)).ok_or_else(|| {
            Error::config(k.name, format!("unknown `{t}`; expected one of {}", of.join(", ")))
        }),
        Kind::Bool => match t {
            "true" | "1" | "on" => Ok(Value::Flag(true)),
            "false" | "0" | "off" => Ok(Value::Flag(false)),
            _ => Err(Error::config(k.name, format!("expected true or false, got `{t}`"))),
        },
    }
}

/// Percent-decoding for query components (`+` is a space).
fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                match u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16) {
                    Ok(v) => {
                        out.push(v);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
