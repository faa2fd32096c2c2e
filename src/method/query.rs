//! URL queries (`key=value&…`, as in the page's hash): splitting, percent-decoding and encoding.

use crate::error::{Error, Result};

/// The decoded key/value pairs of a query (a leading `#` or `?` is ignored). A malformed
/// percent escape is an error naming the key it appears in.
pub fn query_pairs(q: &str) -> Result<Vec<(String, String)>> {
    query_entries(q).collect()
}

/// Each entry of a query decoded on its own, so that one bad escape spoils only its own entry.
pub fn query_entries(q: &str) -> impl Iterator<Item = Result<(String, String)>> + '_ {
    q.trim_start_matches(['#', '?']).split('&').filter(|s| !s.is_empty()).map(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        let key = decode(k).map_err(|e| Error::config(k, e))?;
        let value = decode(v).map_err(|e| Error::config(key.as_str(), e))?;
        Ok((key, value))
    })
}

/// Percent-decoding of one query component (`+` is a space).
fn decode(s: &str) -> std::result::Result<String, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = b.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => out.push(v),
                    None => {
                        let bad: String = s[i..].chars().take(3).collect();
                        return Err(format!("malformed percent escape `{bad}` in the link"));
                    }
                }
                i += 3;
                continue;
            }
            b'+' => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| "the link's text is not valid UTF-8".to_string())
}

/// Percent-encode a query component (everything but unreserved characters).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
