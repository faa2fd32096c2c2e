//! One typed, validated configuration of a run: a method and a value for every key its registry
//! entry lists (seed inside), with an exact URL-query round trip. The page's hash, the CLI's
//! `--set key=value`, presets and tests all go through `Config::set`.

use super::keys::{Key, KeySpec, KeyType, Kind, SEED, Value};
use super::query::{encode, query_entries, query_pairs};
use super::spec::{Method, Mode};
use crate::error::{Error, Result};
use std::cell::Cell;

/// A complete configuration: the method and a valid value for each of its keys.
#[derive(Debug, Clone)]
pub struct Config {
    method: &'static Method,
    /// Every key of the method, in display order.
    values: Vec<(&'static KeySpec, Value)>,
    /// Keys the user chose (set to something else than the method's default); they survive a
    /// change of method.
    chosen: Vec<&'static str>,
    /// Chosen values of keys this method does not have (or a chosen mode it lacks), kept for a
    /// later change of method.
    elsewhere: Vec<(&'static KeySpec, Value)>,
    /// The first key read that is not in the method's entry (see `check_reads`).
    stray: Cell<Option<&'static str>>,
}

impl PartialEq for Config {
    fn eq(&self, other: &Config) -> bool {
        self.method == other.method && self.values == other.values
    }
}

impl Config {
    /// The defaults of `method`: the key table's, then the method's overrides (a test checks
    /// that every default of every entry parses).
    pub fn new(method: &'static Method) -> Config {
        let values = method
            .all_keys()
            .into_iter()
            .map(|k| (k, parse(k, method.default_of(k)).unwrap_or(Value::Num(f64::NAN))))
            .collect();
        Config { method, values, chosen: Vec::new(), elsewhere: Vec::new(), stray: Cell::new(None) }
    }

    /// The method.
    pub fn method(&self) -> &'static Method {
        self.method
    }

    /// The value of `key`. Reading a key outside the method's entry returns the key table's
    /// default and is reported by `check_reads`.
    pub fn get<T: KeyType>(&self, key: Key<T>) -> T {
        match self.values.iter().find(|(k, _)| k.name == key.name()) {
            Some((_, v)) => T::from_value(*v),
            None => {
                if self.stray.get().is_none() {
                    self.stray.set(Some(key.name()));
                }
                T::from_value(parse(key.spec, key.spec.default).unwrap_or(Value::Num(f64::NAN)))
            }
        }
    }

    /// An error naming the first key read since the last check that is not in the method's
    /// registry entry (a link would not carry it). Every model build and reconfiguration checks.
    pub fn check_reads(&self) -> Result<()> {
        match self.stray.take() {
            Some(k) => Err(Error::config(
                k,
                format!("read by {} but not among its keys in the registry", self.method.name),
            )),
            None => Ok(()),
        }
    }

    /// The mode.
    pub fn mode(&self) -> Mode {
        self.get(super::keys::MODE)
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.get(SEED)
    }

    /// Set `key` from text; returns whether the change applies live (without rebuilding).
    /// `method` cannot be set here (see `with_method`); a key the method does not have is an error.
    pub fn set(&mut self, key: &str, text: &str) -> Result<bool> {
        let Some(slot) = self.values.iter_mut().find(|(k, _)| k.name == key) else {
            let known = super::keys::spec(key).is_some() || key == "method";
            let msg = if key == "method" {
                "choose the method when building the config".to_string()
            } else if known {
                format!("not a key of {} (its keys: {})", self.method.name, self.names().join(", "))
            } else {
                "unknown key".to_string()
            };
            return Err(Error::config(key, msg));
        };
        let v = parse(slot.0, text)?;
        if key == "mode" {
            let mode = Mode::from_value(v);
            if !self.method.modes.contains(&mode) {
                let ok: Vec<&str> = self.method.modes.iter().map(|m| m.name()).collect();
                return Err(Error::config(
                    "mode",
                    format!(
                        "{} supports mode {} only, not `{}`",
                        self.method.name,
                        ok.join(" or "),
                        text.trim()
                    ),
                ));
            }
        }
        slot.1 = v;
        let spec = slot.0;
        self.chosen.retain(|k| *k != spec.name);
        if parse(spec, self.method.default_of(spec)).ok() != Some(v) {
            self.chosen.push(spec.name);
        }
        Ok(spec.live)
    }

    /// Count the values as they stand as the run's own, not as choices: a change of method then
    /// keeps only the data keys and what is set afterwards (the page opens a link, a preset or
    /// its opening run this way: their settings were tuned for their method).
    pub fn settle(&mut self) {
        self.chosen.clear();
        self.elsewhere.clear();
    }

    /// The same run under another method: the data keys (pair, sampling, seed) and every key the
    /// user chose that both methods have keep their values; the rest take the new method's
    /// defaults. So does the mode: a chosen one stays chosen where the new method has it, otherwise
    /// the new method opens in its own first mode.
    pub fn with_method(&self, method: &'static Method) -> Result<Config> {
        let mut c = Config::new(method);
        for (k, v) in self.values.iter().chain(&self.elsewhere) {
            let chosen =
                self.chosen.contains(&k.name) || self.elsewhere.iter().any(|(e, _)| e.name == k.name);
            if k.name == "mode" || !(chosen || matches!(k.name, "pair" | "sampling" | "seed")) {
                continue;
            }
            if !method.has_key(k.name) {
                c.elsewhere.push((k, *v));
                continue;
            }
            c.set(k.name, &show(*v))?;
            if chosen && !c.chosen.contains(&k.name) {
                c.chosen.push(k.name);
            }
        }
        // a method's only mode (an autoencoder's generative) was no choice and does not carry over;
        // a chosen one stays where the new method has it and waits in `elsewhere` where it has not
        let chosen_mode = if self.chosen.contains(&"mode") {
            self.values.iter().find(|(k, _)| k.name == "mode")
        } else {
            self.elsewhere.iter().find(|(k, _)| k.name == "mode")
        };
        if let Some(&(spec, v)) = chosen_mode {
            let mode = Mode::from_value(v);
            if method.modes.contains(&mode) {
                c.set("mode", mode.name())?;
                if !c.chosen.contains(&"mode") {
                    c.chosen.push("mode");
                }
            } else {
                c.elsewhere.push((spec, v));
            }
        }
        Ok(c)
    }

    /// Names of the method's keys, in display order.
    pub fn names(&self) -> Vec<&'static str> {
        self.values.iter().map(|(k, _)| k.name).collect()
    }

    /// The specs of the method's keys, in display order.
    pub fn specs(&self) -> Vec<&'static KeySpec> {
        self.values.iter().map(|(k, _)| *k).collect()
    }

    /// Text form of one value (as the query writes it); None for a key the method does not have.
    pub fn show(&self, key: &str) -> Option<String> {
        self.values.iter().find(|(k, _)| k.name == key).map(|(_, v)| show(*v))
    }

    /// `method=…&key=value&…` over every key of the run; parsing it gives this config back.
    pub fn to_query(&self) -> String {
        let mut q = format!("method={}", self.method.name);
        for (k, v) in &self.values {
            q.push_str(&format!("&{}={}", k.name, encode(&show(*v))));
        }
        q
    }

    /// Set every key of a URL query except `method`, stopping at the first bad one.
    pub fn merge_query(&mut self, q: &str) -> Result<()> {
        for (k, v) in query_pairs(q)? {
            if k != "method" {
                self.set(&k, &v)?;
            }
        }
        Ok(())
    }

    /// Set every valid key of a URL query except `method`; returns an error per key left out.
    pub fn merge_query_lenient(&mut self, q: &str) -> Vec<Error> {
        let mut pairs = Vec::new();
        let mut errors = Vec::new();
        for entry in query_entries(q) {
            match entry {
                Ok(pair) => pairs.push(pair),
                Err(e) => errors.push(e),
            }
        }
        // mode first, so that keys valid only in one mode are judged in the right one
        let (first, rest): (Vec<_>, Vec<_>) = pairs.into_iter().partition(|(k, _)| k == "mode");
        let rejected = first.into_iter().chain(rest).filter(|(k, _)| k != "method");
        errors.extend(rejected.filter_map(|(k, v)| self.set(&k, &v).err()));
        errors
    }
}

/// Text of a value as it appears in a query.
fn show(v: Value) -> String {
    match v {
        Value::Num(x) => format!("{x}"),
        Value::Text(s) => s.to_string(),
        Value::Flag(b) => b.to_string(),
    }
}

/// Parse `text` as a value of key `k`, naming the key and the accepted values on error.
pub fn parse(k: &'static KeySpec, text: &str) -> Result<Value> {
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
