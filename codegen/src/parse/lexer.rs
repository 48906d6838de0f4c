//! Tokenizer for the one-line Markdown reference.
//!
//! The reference has no newlines, so structure is recovered from three tokens that only start at
//! offset 0 or right after a space: a fence (```` ``` ````), a heading (a run of 1-4 `#` and a
//! space) and a bullet (`` - ` ``). Everything between two tokens belongs to the earlier one.
//! Fences are consumed whole first, so nothing inside an example is ever taken for structure.

use super::error::{Source, SpecError};

/// One structural token of the reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token<'a> {
    /// `## Title text` (level 1-4).
    Heading {
        /// Number of `#`.
        level: u8,
        /// The text after the `#` run, trimmed.
        text: &'a str,
    },
    /// `` - `span` description``.
    Bullet {
        /// Between the backticks.
        span: &'a str,
        /// The text after the closing backtick, trimmed.
        description: &'a str,
    },
    /// ```` ```lang body``` ````.
    Fence {
        /// The info string (`http`, `json`).
        lang: &'a str,
        /// Everything between the info string and the closing fence, trimmed.
        body: &'a str,
    },
}

/// A token and the byte offset where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    /// The token.
    pub token: T,
    /// Byte offset of its first character in the document.
    pub offset: usize,
}

/// Splits the reference into tokens. Text before the first token is an error, as is an
/// unterminated fence or bullet span.
pub fn tokenize<'a>(src: Source<'a>) -> Result<Vec<Located<Token<'a>>>, SpecError> {
    let text = src.text;
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 80);
    let mut pos = match next_boundary(bytes, 0) {
        Some(0) => 0,
        Some(p) => {
            return Err(src.error("", 0, format!("text before the first heading ({p} bytes)")));
        }
        None if text.trim().is_empty() => return Ok(out),
        None => return Err(src.error("", 0, "no heading, bullet or fence found")),
    };
    while pos < bytes.len() {
        let rest = &bytes[pos..];
        if rest.starts_with(b"```") {
            let info_end = find(text, pos + 3, " ").unwrap_or(bytes.len());
            let lang = &text[pos + 3..info_end];
            let close = find(text, info_end, "```")
                .ok_or_else(|| src.error("", pos, "fence is never closed"))?;
            let body = text[info_end..close].trim();
            out.push(Located {
                token: Token::Fence { lang, body },
                offset: pos,
            });
            let after = close + 3;
            pos = match next_boundary(bytes, after) {
                Some(p) => {
                    expect_blank(src, after, p)?;
                    p
                }
                None => {
                    expect_blank(src, after, bytes.len())?;
                    bytes.len()
                }
            };
            continue;
        }
        let end = next_boundary(bytes, pos + 1).unwrap_or(bytes.len());
        let chunk = &text[pos..end];
        if let Some(span_and_desc) = chunk.strip_prefix("- `") {
            let close = span_and_desc
                .find('`')
                .ok_or_else(|| src.error("", pos, "bullet span has no closing backtick"))?;
            out.push(Located {
                token: Token::Bullet {
                    span: &span_and_desc[..close],
                    description: span_and_desc[close + 1..].trim(),
                },
                offset: pos,
            });
        } else {
            let level = chunk.bytes().take_while(|&b| b == b'#').count();
            out.push(Located {
                token: Token::Heading {
                    level: level as u8,
                    text: chunk[level..].trim(),
                },
                offset: pos,
            });
        }
        pos = end;
    }
    Ok(out)
}

/// Only white space may separate a closing fence from the next token.
fn expect_blank(src: Source<'_>, from: usize, to: usize) -> Result<(), SpecError> {
    match src.text.get(from..to) {
        Some(gap) if gap.trim().is_empty() => Ok(()),
        _ => Err(src.error("", from, "stray text after a fence")),
    }
}

/// The offset of `needle` at or after `from` (a character boundary).
fn find(text: &str, from: usize, needle: &str) -> Option<usize> {
    text.get(from..)?.find(needle).map(|p| p + from)
}

/// The next offset `>= from` where a token starts: at 0 or after a space, a fence, a bullet or a
/// heading (1-4 `#` followed by a space).
fn next_boundary(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(at) = next_candidate(bytes, i) {
        if (at == 0 || bytes[at - 1] == b' ') && starts_token(&bytes[at..]) {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// The next offset `>= from` holding a byte a token can start with (`` ` ``, `-` or `#`).
///
/// Those bytes are rare (one in 25 in the reference), so eight bytes are tested at once: the
/// classic "has a zero byte" test on the word XORed with each wanted byte. Its lowest flagged
/// byte is always a true match (false flags only appear above a true one), which makes it the
/// first candidate in the word.
fn next_candidate(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    let zero_bytes = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let matches = |word: u64, byte: u8| zero_bytes(word ^ (ONES * u64::from(byte)));
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        let found = matches(word, b'`') | matches(word, b'-') | matches(word, b'#');
        if found != 0 {
            return Some(i + (found.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    let tail = bytes.get(i..)?;
    tail.iter()
        .position(|b| matches!(b, b'`' | b'-' | b'#'))
        .map(|p| p + i)
}

fn starts_token(rest: &[u8]) -> bool {
    match rest.first() {
        Some(b'`') => rest.starts_with(b"```"),
        Some(b'-') => rest.starts_with(b"- `"),
        Some(b'#') => {
            let n = rest.iter().take_while(|&&b| b == b'#').count();
            (1..=4).contains(&n) && rest.get(n) == Some(&b' ')
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> Source<'_> {
        Source { name: "t.md", text }
    }

    #[test]
    fn splits_on_exact_tokens_only() {
        let text = "# A ## B **get** `/x` Desc a#b ### Returns - `k: \"Init\"` - `\"Init\"` #### Response ```json { \"a\": \"x - `y\" }```";
        let toks = tokenize(src(text)).unwrap();
        let kinds: Vec<_> = toks
            .iter()
            .map(|t| match &t.token {
                Token::Heading { level, .. } => format!("h{level}"),
                Token::Bullet { span, .. } => format!("b:{span}"),
                Token::Fence { lang, .. } => format!("f:{lang}"),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "h1",
                "h2",
                "h3",
                "b:k: \"Init\"",
                "b:\"Init\"",
                "h4",
                "f:json"
            ]
        );
        assert!(matches!(
            toks[1].token,
            Token::Heading {
                text: "B **get** `/x` Desc a#b",
                ..
            }
        ));
    }

    #[test]
    fn candidates_are_found_in_words_and_tails() {
        let text = b"abcdefgh ijklmnop `rst - u #";
        let all: Vec<usize> = (0..text.len())
            .filter(|&i| matches!(text[i], b'`' | b'-' | b'#'))
            .collect();
        for from in 0..=text.len() {
            let want = all.iter().copied().find(|&i| i >= from);
            assert_eq!(next_candidate(text, from), want, "from {from}");
        }
        // A byte just above a match in the same word must not hide it (borrow false flags).
        assert_eq!(next_candidate(b"\x01`#-aaaaaaaa", 0), Some(1));
        // Every byte value next to every other, against a plain scan.
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                [b'`', b'-', b'#', 0, 0x80, 0xff, b'a', b' '][(state % 8) as usize]
            })
            .collect();
        for from in 0..noise.len() {
            let want = (from..noise.len()).find(|&i| matches!(noise[i], b'`' | b'-' | b'#'));
            assert_eq!(next_candidate(&noise, from), want, "from {from}");
        }
    }

    #[test]
    fn located_errors() {
        assert!(tokenize(src("junk # A")).is_err());
        assert!(tokenize(src("# A ```json {")).is_err());
        assert!(tokenize(src("# A - `open")).is_err());
    }
}
