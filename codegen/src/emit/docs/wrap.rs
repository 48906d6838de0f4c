//! Wrapping one documentation text into lines no wider than a width, the way its prose would be
//! wrapped by hand:
//!
//! - a line breaks at a sentence end first; a sentence longer than a line breaks between words,
//!   and a word longer than a line (an inline code span or a link counts as one word) only then
//!   breaks at its own spaces;
//! - the reference's bullet lists, which its one-line Markdown flattens into the prose
//!   (`… of character: * ASCII alphanumerics … * Special characters …`), get one line per item,
//!   an item's further lines indented under its text;
//! - no line starts with what Markdown reads as the start of a block (a list marker, a heading, a
//!   quote, a fence, HTML): a break there would change what rustdoc shows.

use std::ops::Range;

/// Where a line may break before a piece, from the most to the least preferred.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Break {
    /// Before an item of a bullet list: always.
    Item,
    /// After the end of a sentence.
    Sentence,
    /// Between two words.
    Word,
    /// At a space inside an inline code span or a link.
    Inside,
    /// Never: the piece would start a Markdown block if it started a line.
    Never,
}

/// A run of text without spaces, with the spaces before it.
#[derive(Debug, Clone, Copy)]
struct Piece<'a> {
    sep: &'a str,
    text: &'a str,
    before: Break,
}

/// Whether `text` stays one line as it is: it fits, and has no list marker that would start an
/// item (the cheap test that spares most texts the work of [`wrap`]).
pub fn unchanged(text: &str, width: usize) -> bool {
    // Bytes are at least as many as columns.
    text.len() <= width
        && !text
            .as_bytes()
            .windows(3)
            .any(|w| w[0] == b' ' && w[2] == b' ' && matches!(w[1], b'*' | b'-' | b'+'))
}

/// `text` (one line, trimmed) as lines of at most `width` columns each, where its words allow.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut pieces = pieces(text);
    mark(&mut pieces);
    let mut lines = Vec::new();
    let mut start = 0;
    while start < pieces.len() {
        let end = (start + 1..pieces.len())
            .find(|&i| pieces[i].before == Break::Item)
            .unwrap_or(pieces.len());
        let block = &pieces[start..end];
        start = end;
        if block[0].before != Break::Item || block.len() < 2 {
            lines.extend(Layout::of(block, width));
            continue;
        }
        // A list item: its marker, then its text in the columns after the marker.
        let marker = block[0].text;
        let hang = " ".repeat(marker.chars().count() + 1);
        let item = Layout::of(&block[1..], width.saturating_sub(hang.len()).max(1));
        for (i, line) in item.into_iter().enumerate() {
            lines.push(if i == 0 {
                format!("{marker} {line}")
            } else {
                format!("{hang}{line}")
            });
        }
    }
    lines
}

/// Lines being filled with pieces.
struct Layout {
    lines: Vec<String>,
    line: String,
    columns: usize,
    width: usize,
}

impl Layout {
    /// The lines of one block (a paragraph or a list item's text).
    fn of(block: &[Piece<'_>], width: usize) -> Vec<String> {
        let mut layout = Layout {
            lines: Vec::new(),
            line: String::new(),
            columns: 0,
            width,
        };
        layout.place(block, Break::Sentence);
        layout.flush();
        layout.lines
    }

    /// Places `unit` split at its breaks of `level`: each part goes on the current line if it
    /// fits, else on a new one; a part wider than a whole line is split at the next finer level.
    fn place(&mut self, unit: &[Piece<'_>], level: Break) {
        let mut start = 0;
        while start < unit.len() {
            let end = (start + 1..unit.len())
                .find(|&i| unit[i].before <= level)
                .unwrap_or(unit.len());
            let part = &unit[start..end];
            start = end;
            let columns = columns(part);
            let sep = part[0].sep.chars().count();
            if !self.line.is_empty() && self.columns + sep + columns <= self.width {
                self.push(part, true);
                continue;
            }
            let finer = match level {
                Break::Item | Break::Sentence => Some(Break::Word),
                Break::Word => Some(Break::Inside),
                Break::Inside | Break::Never => None,
            };
            // A code span or link is split only if its parts then fit: a long path on a line of
            // its own reads better than broken in two lines that are both too wide.
            let split = finer.filter(|&finer| {
                columns > self.width
                    && part.len() > 1
                    && (finer != Break::Inside || widest(part, finer) <= self.width)
            });
            match split {
                Some(finer) => {
                    // A sentence too long for a line starts one; a word too long for a line goes
                    // on where the line is.
                    if level <= Break::Sentence {
                        self.flush();
                    }
                    self.place(part, finer);
                }
                None => {
                    self.flush();
                    self.push(part, false);
                }
            }
        }
    }

    /// Appends pieces to the current line, with the spaces before the first one if `joined`.
    fn push(&mut self, part: &[Piece<'_>], joined: bool) {
        for (i, piece) in part.iter().enumerate() {
            if i > 0 || joined {
                self.line.push_str(piece.sep);
                self.columns += piece.sep.chars().count();
            }
            self.line.push_str(piece.text);
            self.columns += piece.text.chars().count();
        }
    }

    fn flush(&mut self) {
        if !self.line.is_empty() {
            self.lines.push(std::mem::take(&mut self.line));
            self.columns = 0;
        }
    }
}

/// The columns of the widest part of `unit` split at its breaks of `level`.
fn widest(unit: &[Piece<'_>], level: Break) -> usize {
    let mut widest = 0;
    let mut start = 0;
    for i in 1..=unit.len() {
        if i == unit.len() || unit[i].before <= level {
            widest = widest.max(columns(&unit[start..i]));
            start = i;
        }
    }
    widest
}

/// The columns pieces take on one line, without the spaces before the first.
fn columns(part: &[Piece<'_>]) -> usize {
    let all: usize = part
        .iter()
        .map(|p| p.sep.chars().count() + p.text.chars().count())
        .sum();
    all - part.first().map_or(0, |p| p.sep.chars().count())
}

/// The text split at its spaces: a space inside a code span or link is a break of the `Inside`
/// kind, any other one of the `Word` kind (refined by [`mark`]).
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let protected = protected(text);
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut pos = 0;
    let mut range = 0;
    while pos < bytes.len() {
        let sep_start = pos;
        while pos < bytes.len() && bytes[pos] == b' ' {
            pos += 1;
        }
        if pos == bytes.len() {
            break;
        }
        let start = pos;
        while pos < bytes.len() && bytes[pos] != b' ' {
            pos += 1;
        }
        while range < protected.len() && protected[range].end <= sep_start {
            range += 1;
        }
        let inside = protected
            .get(range)
            .is_some_and(|r| r.start < sep_start && !out.is_empty());
        out.push(Piece {
            sep: &text[sep_start..start],
            text: &text[start..pos],
            before: if inside { Break::Inside } else { Break::Word },
        });
    }
    out
}

/// Refines the breaks between words: before a list item, after a sentence, or never (before a
/// piece that would start a Markdown block).
fn mark(pieces: &mut [Piece<'_>]) {
    let mut list: Option<&str> = None;
    for i in 1..pieces.len() {
        let (prev, this) = (pieces[i - 1].text, pieces[i].text);
        match pieces[i].before {
            Break::Word => {
                let item = matches!(this, "*" | "-" | "+")
                    && i + 1 < pieces.len()
                    && (prev.ends_with(':') || list == Some(this));
                if item {
                    list = Some(this);
                    pieces[i].before = Break::Item;
                    pieces[i + 1].before = Break::Never;
                } else if starts_block(this) {
                    pieces[i].before = Break::Never;
                } else if ends_sentence(prev) && starts_sentence(this) {
                    pieces[i].before = Break::Sentence;
                }
            }
            Break::Inside if starts_block(this) => pieces[i].before = Break::Never,
            _ => {}
        }
    }
}

/// Whether a line starting with `piece` would start a Markdown block (list item, thematic break
/// or setext underline, heading, block quote, fence, HTML block, table row) instead of going on
/// with the paragraph. Errs on the safe side: keeping a piece on the line before costs nothing.
fn starts_block(piece: &str) -> bool {
    let ordered = piece
        .strip_suffix(['.', ')'])
        .is_some_and(|n| (1..=9).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()));
    piece == "+"
        || piece.chars().all(|c| matches!(c, '-' | '*' | '_' | '='))
        || (piece.len() <= 6 && piece.bytes().all(|b| b == b'#'))
        || piece.starts_with(['>', '<', '|'])
        || piece.starts_with("```")
        || piece.starts_with("~~~")
        || ordered
}

/// Abbreviations that end in a full stop without ending a sentence.
const ABBREVIATIONS: &[&str] = &[
    "e.g.", "i.e.", "cf.", "vs.", "approx.", "incl.", "no.", "mr.", "ms.", "dr.", "st.",
];

/// Whether `word` ends a sentence (if the next word can start one).
fn ends_sentence(word: &str) -> bool {
    let core = word.trim_end_matches([')', '"', '\'', '”', '’', '*', '_']);
    if !core.ends_with(['.', '!', '?']) {
        return false;
    }
    let core = core.trim_start_matches(['(', '"', '\'', '“', '‘', '*', '_']);
    !ABBREVIATIONS.contains(&core.to_lowercase().as_str())
}

/// Whether `word` can start a sentence: a capital, a digit, or an opening quote, bracket, code
/// span or emphasis.
fn starts_sentence(word: &str) -> bool {
    word.chars().next().is_some_and(|c| {
        c.is_uppercase()
            || c.is_ascii_digit()
            || matches!(c, '`' | '"' | '\'' | '“' | '‘' | '(' | '[' | '*' | '_')
    })
}

/// The byte ranges of the text's inline code spans and links (with their targets), which a line
/// breaks inside only when one is wider than a line. Code spans are matched as CommonMark
/// matches them (a run of backticks closes at the next run of the same length, else it is
/// text), so that what is kept together is what rustdoc renders as one.
fn protected(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let code = code_spans(bytes);
    let mut out = Vec::new();
    let mut next_code = 0;
    let mut i = 0;
    while i < bytes.len() {
        while next_code < code.len() && code[next_code].start < i {
            next_code += 1;
        }
        if let Some(span) = code.get(next_code).filter(|s| s.start == i) {
            out.push(span.clone());
            i = span.end;
            continue;
        }
        match bytes[i] {
            b'\\' => i += escape_len(bytes, i),
            b'[' => match link_end(bytes, i, &code) {
                Some(end) => {
                    out.push(i..end);
                    i = end;
                }
                None => i += 1,
            },
            _ => i += 1,
        }
    }
    out
}

/// Bytes taken by what starts at `i`, a backslash: two if it escapes ASCII punctuation.
fn escape_len(bytes: &[u8], i: usize) -> usize {
    if bytes.get(i + 1).is_some_and(u8::is_ascii_punctuation) {
        2
    } else {
        1
    }
}

/// The inline code spans, as byte ranges including their backticks.
fn code_spans(bytes: &[u8]) -> Vec<Range<usize>> {
    let run_at = |i: usize| bytes[i..].iter().take_while(|&&b| b == b'`').count();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += escape_len(bytes, i),
            b'`' => {
                let run = run_at(i);
                let mut j = i + run;
                let mut close = None;
                while j < bytes.len() {
                    if bytes[j] == b'`' {
                        let other = run_at(j);
                        if other == run {
                            close = Some(j + other);
                            break;
                        }
                        j += other;
                    } else {
                        j += 1;
                    }
                }
                match close {
                    Some(end) => {
                        spans.push(i..end);
                        i = end;
                    }
                    None => i += run,
                }
            }
            _ => i += 1,
        }
    }
    spans
}

/// The end of the bracketed text starting at `open` (a `[`) and of the link target or reference
/// label right after it, if the bracket is closed.
fn link_end(bytes: &[u8], open: usize, code: &[Range<usize>]) -> Option<usize> {
    let close = matching(bytes, open, b'[', b']', code)?;
    match bytes.get(close + 1) {
        Some(b'(') => {
            Some(matching(bytes, close + 1, b'(', b')', code).map_or(close + 1, |e| e + 1))
        }
        Some(b'[') => {
            Some(matching(bytes, close + 1, b'[', b']', code).map_or(close + 1, |e| e + 1))
        }
        _ => Some(close + 1),
    }
}

/// The position of the delimiter closing the one at `open`, skipping code spans and escapes.
fn matching(
    bytes: &[u8],
    open: usize,
    left: u8,
    right: u8,
    code: &[Range<usize>],
) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < bytes.len() {
        if let Ok(k) = code.binary_search_by_key(&i, |s| s.start) {
            i = code[k].end;
            continue;
        }
        match bytes[i] {
            b'\\' => {
                i += escape_len(bytes, i);
                continue;
            }
            b if b == left => depth += 1,
            b if b == right => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_one_line() {
        assert_eq!(wrap("Short. Text.", 96), ["Short. Text."]);
        assert!(unchanged("Short. Text.", 12));
        assert!(!unchanged("Short. Text.", 11));
        assert!(!unchanged("Kinds: * A * B", 96));
        // Conservative: `unchanged` may send a text to `wrap` that it leaves as it is, never
        // the other way round.
        for text in [
            "Short. Text.",
            "Short - text.",
            "Kinds: `*` and `-`.",
            "Kinds: * A",
        ] {
            assert!(!unchanged(text, 96) || wrap(text, 96) == [text], "{text}");
        }
    }

    #[test]
    fn lines_break_at_sentence_ends_first() {
        assert_eq!(
            wrap("One two three. Four five six. Seven.", 30),
            ["One two three. Four five six.", "Seven."]
        );
        // Filling words would give "Aa bb. Cc dd ee ff" / "gg.".
        assert_eq!(
            wrap("Aa bb. Cc dd ee ff gg.", 20),
            ["Aa bb.", "Cc dd ee ff gg."]
        );
    }

    #[test]
    fn a_sentence_longer_than_a_line_breaks_between_words() {
        assert_eq!(
            wrap("Aa bb cc dd ee ff. Gg.", 12),
            ["Aa bb cc dd", "ee ff. Gg."]
        );
    }

    #[test]
    fn code_spans_and_links_are_kept_whole_unless_wider_than_a_line() {
        assert_eq!(wrap("See `a b c d` here.", 15), ["See `a b c d`", "here."]);
        assert_eq!(
            wrap("See `a b c d` here.", 10),
            ["See", "`a b c d`", "here."]
        );
        assert_eq!(
            wrap("See `a b c d` here.", 5),
            ["See", "`a b", "c d`", "here."]
        );
        assert_eq!(
            wrap("Read [the whole docs](https://e.x) now.", 30),
            ["Read", "[the whole docs](https://e.x)", "now."]
        );
        // Split, a span's parts would not fit either.
        assert_eq!(
            wrap("Get it: `GET /a/very/long/path`.", 12),
            ["Get it:", "`GET /a/very/long/path`."]
        );
        // A word too long for a line goes on where the line is.
        assert_eq!(
            wrap("In the set `a b c d e f g h` here.", 14),
            ["In the set `a", "b c d e f g h`", "here."]
        );
        // A lone backtick is text: the words after it break as usual.
        assert_eq!(wrap("A ` b c.", 4), ["A `", "b c."]);
    }

    #[test]
    fn list_items_get_their_own_lines_and_hang_under_their_text() {
        assert_eq!(
            wrap("Kinds: * Alpha one * Beta two. After.", 40),
            ["Kinds:", "* Alpha one", "* Beta two. After."]
        );
        assert_eq!(
            wrap("Kinds: - Alpha one two three four", 12),
            ["Kinds:", "- Alpha one", "  two three", "  four"]
        );
        let md5 = "Only these characters: * ASCII alphanumerics: `[a-zA-Z0-9]` * Special \
                   characters in the set `'!@#$%^&*()+[]{}<>/.,;:_-~`= |` In other words, none.";
        let lines = wrap(md5, 96);
        assert_eq!(lines[0], "Only these characters:");
        assert_eq!(lines[1], "* ASCII alphanumerics: `[a-zA-Z0-9]`");
        assert!(lines[2].starts_with("* Special characters"), "{lines:?}");
    }

    #[test]
    fn no_line_starts_a_markdown_block() {
        let text = "Weight of the scope - if provided, as in step 1. or # or > or <b> or + or = \
                    or ``` or | cells | or *** or 12) and so on, with more words - and more.";
        for width in 1..text.len() {
            for line in wrap(text, width).iter().skip(1) {
                assert!(
                    !starts_block(line.split(' ').next().unwrap_or("")),
                    "{width}: {line}"
                );
            }
        }
    }

    #[test]
    fn wrapping_keeps_every_word_in_order_and_every_line_within_the_width() {
        let text = "The desired forwarding action for this ACL policy. If set to \"false\", the \
                    policy will forward traffic to Cloudflare. Use `a code span` (e.g. `x y`) \
                    or [a link](https://example.com/a) as needed - always: * first item * second \
                    item, which goes on for a while.";
        // The widest run of pieces no line may break (a list marker and its first word, a word
        // and the dash after it), plus a list item's hang.
        let mut pieces = pieces(text);
        mark(&mut pieces);
        let mut glued = 0;
        let mut widest = 0;
        for (i, piece) in pieces.iter().enumerate() {
            let width = piece.text.chars().count();
            glued = if i > 0 && piece.before == Break::Never {
                glued + 1 + width
            } else {
                width
            };
            widest = widest.max(glued);
        }
        for width in 1..text.len() + 2 {
            let lines = wrap(text, width);
            let words: Vec<&str> = lines.iter().flat_map(|l| l.split_whitespace()).collect();
            assert_eq!(
                words,
                text.split_whitespace().collect::<Vec<_>>(),
                "{width}"
            );
            if width >= widest + 2 {
                for line in &lines {
                    assert!(
                        line.chars().count() <= width,
                        "{width}: {line:?} in {lines:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn sentence_ends() {
        assert!(ends_sentence("policy."));
        assert!(ends_sentence("(true)."));
        assert!(!ends_sentence("supported)"));
        assert!(!ends_sentence("e.g."));
        assert!(!ends_sentence("(i.e."));
        assert!(!ends_sentence("value,"));
        assert!(starts_sentence("`true`"));
        assert!(starts_sentence("0"));
        assert!(!starts_sentence("then"));
    }
}
