//! Reading the spec documents: the one-line Markdown reference and rendered operation pages.
//!
//! Nothing here knows about Magic Transit: the parser knows the documents' notation (headings,
//! bullets, signatures, the page's layout), never a type, field or path of the API.

pub mod curl;
pub mod error;
pub mod lexer;
pub mod outline;
pub mod page;
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

/// Reads every spec document under `dir` (recursively, `.md` and `.txt`, `README.md` excluded),
/// sorted by path so the result never depends on directory order.
pub fn read_dir(dir: &Path) -> std::io::Result<Vec<Document>> {
    let mut files = Vec::new();
    collect(dir, dir, &mut files)?;
    files.sort();
    files
        .into_iter()
        .map(|(name, path)| {
            Ok(Document {
                name,
                text: std::fs::read_to_string(path)?,
            })
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
        let is_readme = path.file_name().and_then(|n| n.to_str()) == Some("README.md");
        if is_doc && !is_readme {
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
