//! Located errors for malformed spec input.
//!
//! Every error names the document, the section path (`GRE Tunnels > Create a GRE tunnel > Body
//! Parameters > health_check.target`), the byte offset and a short excerpt, so a person can find
//! the problem in a 550 KB single-line file.

use std::fmt;

/// One problem found in a spec document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// The document's path as given to the parser (relative to `spec/`).
    pub document: String,
    /// Where in the document's outline: resource > operation > section > field path.
    pub section: String,
    /// Byte offset into the document.
    pub offset: usize,
    /// Up to 80 characters of the document starting at `offset`.
    pub excerpt: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.document, self.offset)?;
        if !self.section.is_empty() {
            write!(f, "{}: ", self.section)?;
        }
        write!(f, "{} (near `{}`)", self.message, self.excerpt)
    }
}

impl std::error::Error for SpecError {}

/// All problems found while reading the spec; never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecErrors(pub Vec<SpecError>);

impl fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} error(s) in the spec:", self.0.len())?;
        for e in &self.0 {
            writeln!(f, "  {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecErrors {}

/// The excerpt convention shared by all errors: 80 characters from `offset`, on char boundaries.
pub fn excerpt(text: &str, offset: usize) -> String {
    let mut start = offset.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let tail = &text[start..];
    let mut cut: String = tail.chars().take(80).collect();
    if cut.len() < tail.len() {
        cut.push('…');
    }
    cut.replace('\n', "⏎")
}

/// A document being read: its name and text, to build located errors.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The document's path relative to `spec/`.
    pub name: &'a str,
    /// The whole text.
    pub text: &'a str,
}

impl Source<'_> {
    /// An error at `offset` in this document.
    pub fn error(&self, section: &str, offset: usize, message: impl Into<String>) -> SpecError {
        SpecError {
            document: self.name.to_string(),
            section: section.to_string(),
            offset,
            excerpt: excerpt(self.text, offset),
            message: message.into(),
        }
    }
}
