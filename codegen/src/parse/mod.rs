//! The parse stage: the spec documents (the one-line Markdown reference and rendered operation
//! pages) read into outlines, bullets and trees ([`parsed`] drives it). `spec/FORMAT.md`
//! describes the notation this implements.
//!
//! Nothing here knows about Magic Transit: the parser knows the documents' notation (headings,
//! bullets, signatures, the page's layout), never a type, field or path of the API.

pub mod curl;
pub mod error;
pub mod lexer;
pub mod outline;
pub mod page;
pub mod parsed;
pub mod texpr;
pub mod tree;

use std::path::Path;

pub use error::{SpecError, SpecErrors};

/// One input document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Path relative to the spec directory, with `/` separators (used in errors).
    pub name: String,
    /// The document's text.
    pub text: String,
}

/// How a document is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// The Markdown reference: starts with a `# ` heading.
    Reference,
    /// A rendered operation page: anything else.
    Page,
}

impl Document {
    /// Tells the reference from a rendered page by its first bytes.
    pub fn kind(&self) -> DocumentKind {
        if self.text.starts_with("# ") {
            DocumentKind::Reference
        } else {
            DocumentKind::Page
        }
    }
}

/// Reads every spec document under `dir` (recursively, `.md` and `.txt`; `README.md` and
/// `FORMAT.md`, which describe the documents, excluded),
/// sorted by path so the result never depends on directory order. A file that cannot be read is
/// an error naming it; one that is not UTF-8 names the byte offset of the first invalid byte.
pub fn read_dir(dir: &Path) -> Result<Vec<Document>, SpecError> {
    let unreadable = |what: &Path, e: std::io::Error| SpecError {
        document: what.display().to_string(),
        section: String::new(),
        offset: 0,
        excerpt: String::new(),
        message: format!("cannot read: {e}"),
    };
    let mut files = Vec::new();
    collect(dir, dir, &mut files).map_err(|e| unreadable(dir, e))?;
    files.sort();
    files
        .into_iter()
        .map(|(name, path)| {
            let bytes = std::fs::read(&path).map_err(|e| unreadable(&path, e))?;
            let text = String::from_utf8(bytes).map_err(|e| {
                let offset = e.utf8_error().valid_up_to();
                let bytes = e.into_bytes();
                let shown = String::from_utf8_lossy(&bytes[offset..bytes.len().min(offset + 40)]);
                SpecError {
                    document: name.clone(),
                    section: String::new(),
                    offset,
                    excerpt: shown.into_owned(),
                    message: "not UTF-8: the documents are read as UTF-8 text".into(),
                }
            })?;
            Ok(Document { name, text })
        })
        .collect()
}

fn collect(
    root: &Path,
    dir: &Path,
    out: &mut Vec<(String, std::path::PathBuf)>,
) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(root, &path, out)?;
            continue;
        }
        let is_doc = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("md" | "txt")
        );
        // The folder's own documentation (README.md, FORMAT.md) is about the documents, not one.
        let is_about = matches!(
            path.file_name().and_then(|n| n.to_str()),
            Some("README.md" | "FORMAT.md")
        );
        if is_doc && !is_about {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push((name, path));
        }
    }
    Ok(())
}
