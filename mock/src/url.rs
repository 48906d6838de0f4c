//! Percent-decoding of path segments and `application/x-www-form-urlencoded` queries, as the
//! mock reads request-targets.

/// Decodes `%XX` escapes (and `+` as a space in query strings); the result must be UTF-8.
pub(crate) fn percent_decode(raw: &str, plus_as_space: bool) -> Result<String, String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'%' => {
                let escape = bytes.get(i + 1..i + 3).and_then(|h| match h {
                    [hi, lo] => Some((hex(*hi)? << 4) | hex(*lo)?),
                    _ => None,
                });
                let Some(decoded) = escape else {
                    return Err(format!(
                        "invalid percent-encoding in `{}`",
                        raw.escape_debug()
                    ));
                };
                out.push(decoded);
                i += 3;
            }
            b'+' if plus_as_space => {
                out.push(b' ');
                i += 1;
            }
            other => {
                out.push(other);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| format!("`{}` does not decode to UTF-8", raw.escape_debug()))
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes an `application/x-www-form-urlencoded` query string into pairs (a key without
/// `=` has an empty value; empty pieces are skipped).
pub(crate) fn parse_query(query: &str) -> Result<Vec<(String, String)>, String> {
    query
        .split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (k, v) = piece.split_once('=').unwrap_or((piece, ""));
            Ok((percent_decode(k, true)?, percent_decode(v, true)?))
        })
        .collect()
}
