//! Percent-encoded URL path construction.

use super::error::Error;

/// Builds a request path in which every segment is percent-encoded, so that an identifier
/// can never add, remove or escape a path segment.
///
/// Every byte outside RFC 3986's *unreserved* set (`A-Z a-z 0-9 - . _ ~`) is encoded,
/// which covers `/`, `?`, `#`, `%`, spaces and non-ASCII. A segment that would be *exactly*
/// `.` or `..` is refused with [`Error::InvalidRequest`] at [`build`](Self::build): URL
/// parsers (including the `url` crate under `reqwest`) treat `.`, `..` and their
/// percent-encoded spellings `%2E`/`%2E%2E` as dot-segments and resolve them, so no
/// encoding of such a value can be sent safely. Empty segments are refused for the same
/// reason (`a//b` is normalised by many servers and proxies).
///
/// ```
/// # fn demo() -> Result<(), magic_api_runtime::Error> {
/// let path = magic_api_runtime::PathBuilder::new()
///     .segment("accounts")
///     .param("a/b?c")
///     .segment("pcaps")
///     .build()?;
/// assert_eq!(path, "/accounts/a%2Fb%3Fc/pcaps");
/// # Ok(()) }
/// # demo().unwrap();
/// ```
#[derive(Debug, Clone, Default)]
pub struct PathBuilder {
    path: String,
    /// First problem found; reported by `build` so that the chain stays infallible.
    error: Option<&'static str>,
}

impl PathBuilder {
    /// An empty path (`build` of an empty builder gives `/`).
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a literal segment from the API reference, e.g. `"accounts"`.
    ///
    /// Literals are encoded exactly like parameters: it costs nothing for the plain ASCII
    /// names the reference uses, and keeps the builder safe whatever it is given.
    pub fn segment(self, literal: &str) -> Self {
        self.param_parts(&[literal])
    }

    /// Appends one path parameter as a single segment.
    pub fn param(self, value: impl AsRef<str>) -> Self {
        self.param_parts(&[value.as_ref()])
    }

    /// Appends an unsigned integer parameter (exact decimal, no float formatting).
    pub fn param_u64(self, value: u64) -> Self {
        self.param_parts(&[&value.to_string()])
    }

    /// Appends a signed integer parameter (exact decimal, no float formatting).
    pub fn param_i64(self, value: i64) -> Self {
        self.param_parts(&[&value.to_string()])
    }

    /// Appends ONE segment made of several parts, each encoded, e.g. the
    /// `{event_t}.{event_n}` segment: `.param_parts(&[&t.to_string(), ".", &n.to_string()])`.
    pub fn param_parts(mut self, parts: &[&str]) -> Self {
        let start = self.path.len();
        self.path.push('/');
        for part in parts {
            encode_into(&mut self.path, part);
        }
        let segment = &self.path[start + 1..];
        if self.error.is_none() {
            self.error = match segment {
                "" => Some("a path parameter is empty"),
                "." | ".." => {
                    Some("a path parameter is `.` or `..`, which URLs resolve as a relative path")
                }
                _ => None,
            };
        }
        self
    }

    /// The encoded path, starting with `/`.
    pub fn build(self) -> Result<String, Error> {
        match self.error {
            Some(reason) => Err(Error::invalid_request(reason)),
            None if self.path.is_empty() => Ok("/".to_owned()),
            None => Ok(self.path),
        }
    }
}

/// A value for one `{placeholder}` of a path template.
#[derive(Debug, Clone, Copy)]
pub enum PathValue<'a> {
    /// A string identifier, percent-encoded into its segment.
    Str(&'a str),
    /// An integer, written exactly (no exponent, no `.0`).
    Int(i64),
}

impl<'a> From<&'a str> for PathValue<'a> {
    fn from(value: &'a str) -> Self {
        PathValue::Str(value)
    }
}

impl From<i64> for PathValue<'_> {
    fn from(value: i64) -> Self {
        PathValue::Int(value)
    }
}

/// Fills a documented path template (`/accounts/{account_id}/events/{event_t}.{event_n}`) with
/// values in placeholder order, encoding each one so it can never change the path's shape.
/// Generated operations call this with their template exactly as the reference writes it.
pub fn fill_path(template: &str, values: &[PathValue<'_>]) -> Result<String, Error> {
    let mut builder = PathBuilder::new();
    let mut values = values.iter();
    let mut next = || {
        values
            .next()
            .map(|v| match v {
                PathValue::Str(s) => (*s).to_string(),
                PathValue::Int(i) => i.to_string(),
            })
            .ok_or_else(|| Error::invalid_request("fewer path values than placeholders"))
    };
    for segment in template.trim_start_matches('/').split('/') {
        if !segment.contains('{') {
            builder = builder.segment(segment);
            continue;
        }
        let mut parts: Vec<String> = Vec::new();
        let mut rest = segment;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(rest[..open].to_string());
            }
            let close = rest[open..]
                .find('}')
                .map(|c| c + open)
                .ok_or_else(|| Error::invalid_request("unclosed `{` in a path template"))?;
            parts.push(next()?);
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(rest.to_string());
        }
        let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
        builder = builder.param_parts(&refs);
    }
    if next().is_ok() {
        return Err(Error::invalid_request("more path values than placeholders"));
    }
    builder.build()
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

pub(crate) fn encode_into(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    if value.bytes().all(is_unreserved) {
        out.push_str(value);
        return;
    }
    for b in value.bytes() {
        if is_unreserved(b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(v: &str) -> Result<String, Error> {
        PathBuilder::new()
            .segment("a")
            .param(v)
            .segment("z")
            .build()
    }

    #[test]
    fn hostile_values_stay_in_one_segment() {
        assert_eq!(one("../x").unwrap(), "/a/..%2Fx/z");
        assert_eq!(one("a/b").unwrap(), "/a/a%2Fb/z");
        assert_eq!(one("a?b").unwrap(), "/a/a%3Fb/z");
        assert_eq!(one("a#b").unwrap(), "/a/a%23b/z");
        assert_eq!(one("%2e%2e").unwrap(), "/a/%252e%252e/z");
        assert_eq!(one("a b").unwrap(), "/a/a%20b/z");
        assert_eq!(one("ü").unwrap(), "/a/%C3%BC/z");
        assert_eq!(one("...").unwrap(), "/a/.../z");
        assert_eq!(one("a-._~Z9").unwrap(), "/a/a-._~Z9/z");
    }

    #[test]
    fn dot_and_empty_segments_are_refused() {
        for v in [".", "..", ""] {
            assert!(matches!(one(v), Err(Error::InvalidRequest { .. })), "{v:?}");
        }
        // Refused even when assembled from parts.
        let r = PathBuilder::new().param_parts(&["", ".", ""]).build();
        assert!(r.is_err());
    }

    #[test]
    fn integers_and_parts() {
        let p = PathBuilder::new()
            .segment("events")
            .param_parts(&[&u64::MAX.to_string(), ".", &7u64.to_string()])
            .param_i64(-3)
            .param_u64(0)
            .build()
            .unwrap();
        assert_eq!(p, "/events/18446744073709551615.7/-3/0");
        assert_eq!(PathBuilder::new().build().unwrap(), "/");
    }
}

#[cfg(test)]
mod fill_tests {
    use super::*;

    #[test]
    fn fills_templates_with_encoded_values() {
        let p = fill_path(
            "/accounts/{a}/events/{t}.{n}",
            &["x/y".into(), 1_700_000_000i64.into(), 3i64.into()],
        );
        assert_eq!(p.unwrap(), "/accounts/x%2Fy/events/1700000000.3");
        assert!(fill_path("/a/{x}", &[]).is_err());
        assert!(fill_path("/a/{x}", &["1".into(), "2".into()]).is_err());
        assert!(fill_path("/a/{x}", &["..".into()]).is_err());
    }
}
