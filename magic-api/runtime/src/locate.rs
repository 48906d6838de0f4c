//! The path of the value a decode error points at (`[1].id`, `.gre_tunnel`), found from the
//! error's line and column in the JSON text.
//!
//! Knowing no type, this is compiled once here, instead of decoding every result type a second
//! time through a path-tracking deserializer to explain the (rare) failure. `serde_json` reports
//! an error at the last byte it read: the last byte of a scalar that did not fit, the byte before
//! an object or array that did not (a `:`, a `,`, an opening `[` or a space), or the closing `}`
//! of an object that lacks a field. Moved past such separators, that byte lies inside the value
//! the error is about, and the innermost value whose text contains it is that value.

/// The path, from the root of `text`, of the innermost value containing the byte at `line` and
/// `column` (1-based, as `serde_json` counts them); empty for the root, or when the position is
/// unknown (`0`) or not inside `text`.
pub(crate) fn path_at(text: &[u8], line: usize, column: usize) -> String {
    let mut path = String::new();
    if let Some(target) = offset(text, line, column) {
        let mut scan = Scan {
            text,
            at: 0,
            target,
        };
        scan.value(&mut path);
    }
    path
}

/// The byte index of a 1-based line and column.
fn offset(text: &[u8], line: usize, column: usize) -> Option<usize> {
    if line == 0 || column == 0 {
        return None;
    }
    let mut start = 0;
    for _ in 1..line {
        start += text.get(start..)?.iter().position(|&b| b == b'\n')? + 1;
    }
    let mut at = start + column - 1;
    if text.get(at) == Some(&b'[') {
        at += 1;
    }
    // A separator before the value the error is about.
    while text
        .get(at)
        .is_some_and(|&b| matches!(b, b',' | b':') || b.is_ascii_whitespace())
    {
        at += 1;
    }
    (at < text.len()).then_some(at)
}

/// A walk over valid JSON that stops descending once it is past the target byte.
struct Scan<'a> {
    text: &'a [u8],
    at: usize,
    target: usize,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    /// Reads one value; returns whether it contains the target, having appended to `path` the
    /// segments inside it that lead there (nothing is appended otherwise).
    fn value(&mut self, path: &mut String) -> bool {
        self.skip_whitespace();
        let start = self.at;
        let inner = match self.peek() {
            Some(b'{') => self.container(path, b'}', true),
            Some(b'[') => self.container(path, b']', false),
            Some(b'"') => {
                self.string();
                false
            }
            Some(_) => {
                while self
                    .peek()
                    .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
                {
                    self.at += 1;
                }
                false
            }
            None => false,
        };
        inner || (start..self.at).contains(&self.target)
    }

    /// An object's members or an array's items, up to and including `close`.
    fn container(&mut self, path: &mut String, close: u8, object: bool) -> bool {
        self.at += 1;
        let mut index = 0usize;
        loop {
            self.skip_whitespace();
            match self.peek() {
                None => return false,
                Some(b) if b == close => {
                    self.at += 1;
                    return false;
                }
                Some(b',') => {
                    self.at += 1;
                    continue;
                }
                Some(_) => {}
            }
            let before = path.len();
            if object {
                let key_start = self.at;
                self.string();
                let key = self.text.get(key_start + 1..self.at.saturating_sub(1));
                path.push('.');
                path.push_str(&String::from_utf8_lossy(key.unwrap_or_default()));
                self.skip_whitespace();
                if self.peek() == Some(b':') {
                    self.at += 1;
                }
            } else {
                path.push_str(&format!("[{index}]"));
            }
            let start = self.at;
            let inside = self.value(path);
            if inside && start <= self.target {
                return true;
            }
            path.truncate(before);
            index += 1;
            if self.at > self.target {
                // Past the target without it being inside a member: it is this container's own
                // punctuation (a missing field's closing brace).
                self.skip_to_close(close);
                return false;
            }
        }
    }

    /// Skips the rest of a container whose members no longer matter.
    fn skip_to_close(&mut self, close: u8) {
        let mut scratch = String::new();
        let target = std::mem::replace(&mut self.target, usize::MAX);
        loop {
            self.skip_whitespace();
            match self.peek() {
                None => break,
                Some(b) if b == close => {
                    self.at += 1;
                    break;
                }
                Some(b',' | b':') => self.at += 1,
                Some(_) => {
                    self.value(&mut scratch);
                }
            }
        }
        self.target = target;
    }

    /// A string, from its opening quote to just past its closing quote.
    fn string(&mut self) {
        self.at += 1;
        while let Some(b) = self.peek() {
            self.at += 1;
            match b {
                b'\\' => self.at += 1,
                b'"' => return,
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The path at the 1-based column where `marker` occurs in `text` (one line).
    fn at(text: &str, marker: &str) -> String {
        let column = text.find(marker).unwrap() + 1;
        path_at(text.as_bytes(), 1, column)
    }

    #[test]
    fn finds_the_value_an_error_points_at() {
        let text = r#"[{"id":"a"},{"id":7}]"#;
        assert_eq!(at(text, "7"), "[1].id");
        let text = r#"{"gre_tunnel": "nope"}"#;
        assert_eq!(path_at(text.as_bytes(), 1, 21), ".gre_tunnel");
        let text = r#"{"a": {"b": [1, {"c": [true]}]}}"#;
        assert_eq!(at(text, "true"), ".a.b[1].c[0]");
        // A container that did not fit is reported at the byte before it.
        assert_eq!(at(text, " [true"), ".a.b[1].c");
        assert_eq!(at(r#"[1,2,{"a":1}]"#, ",{"), "[2]");
        // ... and the first item of an array at its `[`.
        assert_eq!(at(r#"[{"a":1}]"#, "["), "[0]");
    }

    #[test]
    fn a_closing_brace_is_its_object() {
        // A missing field is reported at the `}` of the object that lacks it.
        let text = r#"[{"id":"a"},{"n": 3}]"#;
        assert_eq!(at(text, "}]"), "[1]");
        assert_eq!(at(r#"{"x": {"y": 1}}"#, "}}"), ".x");
    }

    #[test]
    fn lines_escapes_and_unknown_positions() {
        let text = "{\"a\\\"}\":\n {\"id\": true}}";
        assert_eq!(path_at(text.as_bytes(), 2, 12), ".a\\\"}.id");
        assert_eq!(path_at(text.as_bytes(), 0, 0), "");
        assert_eq!(path_at(b"7", 1, 1), "");
        assert_eq!(path_at(b"7", 3, 1), "");
    }
}
