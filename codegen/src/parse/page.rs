//! Reader for a rendered operation page (one operation, many lines, no Markdown).
//!
//! The page states facts the reference leaves out: the authentication schemes, the accepted
//! permissions, constraints glued to their keyword (`maxLength32`), the body's content type and the
//! signatures of named types (`ResponseInfo { code, message, ... }`). Its field lines use the same
//! span grammar as the reference's bullets, so they become ordinary [`Bullet`]s.

use std::borrow::Cow;

use super::error::{Source, SpecError};
use super::outline::{
    Block, Bullet, Method, OpSection, RawConstraint, SchemeDecl, Section, SectionKind,
};
use super::texpr::parse_span;

/// Keywords the page glues to their value in constraint lines.
const CONSTRAINT_KEYWORDS: [&str; 9] = [
    "maxLength",
    "minLength",
    "maximum",
    "minimum",
    "format",
    "pattern",
    "maxItems",
    "minItems",
    "multipleOf",
];

/// Lines the page's UI adds to section headings.
const UI_SUFFIX: &str = "Expand Collapse";

/// Marker line before a list of union alternatives.
const VARIANTS_MARKER: &str = "One of the following:";

struct Line<'a> {
    text: &'a str,
    offset: usize,
}

/// Reads a rendered page into one operation section.
pub fn page_operation<'a>(source: Source<'a>) -> Result<OpSection<'a>, SpecError> {
    let lines: Vec<Line<'a>> = source
        .text
        .split('\n')
        .scan(0usize, |offset, raw| {
            let line = Line {
                text: raw.trim_end_matches('\r'),
                offset: *offset,
            };
            *offset += raw.len() + 1;
            Some(line)
        })
        .collect();
    let nonblank: Vec<&Line<'a>> = lines.iter().filter(|l| !l.text.trim().is_empty()).collect();

    // The method and path are glued together on one line (`PUT/accounts/...`); the title is the
    // non-blank line before it; everything before the title is page chrome.
    let (head_ix, method, path) = nonblank
        .iter()
        .enumerate()
        .find_map(|(i, l)| split_method_path(l.text).map(|(m, p)| (i, m, p)))
        .ok_or_else(|| source.error("", 0, "no `METHOD/path` line found"))?;
    let title_line = head_ix
        .checked_sub(1)
        .and_then(|i| nonblank.get(i))
        .ok_or_else(|| {
            source.error(
                "",
                nonblank[head_ix].offset,
                "no title before the method line",
            )
        })?;
    let title = title_line.text.trim();

    let mut op = OpSection {
        title: Cow::Borrowed(title),
        method,
        path: Cow::Borrowed(path),
        description: Cow::Borrowed(""),
        offset: nonblank[head_ix].offset,
        sections: Vec::new(),
        curl: None,
        response_example: None,
        schemes: Vec::new(),
        permissions: Vec::new(),
    };

    let mut i = head_ix + 1;
    read_preamble(source, &nonblank, &mut i, &mut op)?;
    read_sections(source, &nonblank, &mut i, &mut op)?;
    read_example(source, &nonblank, i, &mut op)?;
    Ok(op)
}

/// The page's lines that hold text, with their offsets.
type Lines<'r, 'a> = [&'r Line<'a>];

/// After the method line: the description, then `Security` (auth schemes) and `Accepted
/// Permissions`, up to the first parameter section.
fn read_preamble<'a>(
    source: Source<'a>,
    nonblank: &Lines<'_, 'a>,
    at: &mut usize,
    op: &mut OpSection<'a>,
) -> Result<(), SpecError> {
    let mut i = *at;
    let mut description = Vec::new();
    while let Some(l) = nonblank.get(i) {
        if l.text == "Security"
            || l.text.starts_with("Accepted Permissions")
            || SectionKind::parse_prefix(l.text).is_some()
        {
            break;
        }
        description.push(l.text.trim());
        i += 1;
    }
    op.description = Cow::Owned(description.join(" "));

    if nonblank.get(i).is_some_and(|l| l.text == "Security") {
        i += 1;
        let start = i;
        while nonblank.get(i).is_some_and(|l| {
            !l.text.starts_with("Accepted Permissions")
                && SectionKind::parse_prefix(l.text).is_none()
        }) {
            i += 1;
        }
        op.schemes = parse_schemes(source, &nonblank[start..i])?;
    }
    if nonblank
        .get(i)
        .is_some_and(|l| l.text.starts_with("Accepted Permissions"))
    {
        i += 1;
        while let Some(l) = nonblank.get(i) {
            if SectionKind::parse_prefix(l.text).is_some() {
                break;
            }
            op.permissions.extend(split_glued_words(l.text.trim()));
            i += 1;
        }
    }

    *at = i;
    Ok(())
}

/// The parameter sections, up to the curl line of the example.
fn read_sections<'a>(
    source: Source<'a>,
    nonblank: &Lines<'_, 'a>,
    at: &mut usize,
    op: &mut OpSection<'a>,
) -> Result<(), SpecError> {
    let mut i = *at;
    let title = op.title.to_string();
    let section_path = title.clone();
    // Sections run until the curl line of the example; the example's title repeats the
    // operation's title right before it and is not part of the last description.
    let mut in_variants = false;
    while let Some(l) = nonblank.get(i) {
        let text = l.text.trim();
        if text.starts_with("curl ") {
            break;
        }
        i += 1;
        let is_example_title =
            text == title && nonblank.get(i).is_some_and(|n| n.text.starts_with("curl "));
        if is_example_title {
            continue;
        }
        if let Some((kind, glued)) =
            SectionKind::parse_prefix(text).filter(|(_, g)| g.ends_with(UI_SUFFIX))
        {
            let content = glued.trim_end_matches(UI_SUFFIX).trim();
            op.sections.push(Section {
                kind,
                offset: l.offset,
                bullets: Vec::new(),
                content_type: (!content.is_empty()).then(|| content_type_of(content)),
            });
            in_variants = false;
            continue;
        }
        let Some(section) = op.sections.last_mut() else {
            return Err(source.error(
                &section_path,
                l.offset,
                "text before the first parameter section",
            ));
        };
        if text == VARIANTS_MARKER {
            in_variants = true;
            continue;
        }
        if let Some(constraint) = parse_constraint(text) {
            match section.bullets.last_mut() {
                Some(b) => b.constraints.push(constraint),
                None => {
                    return Err(source.error(
                        &section_path,
                        l.offset,
                        "constraint before any field",
                    ));
                }
            }
            continue;
        }
        let parsed = parse_span(text);
        let looks_like_span = match &parsed {
            Ok(super::texpr::Span::Variant(_)) => in_variants,
            Ok(_) => true,
            Err(_) => false,
        };
        if looks_like_span {
            section.bullets.push(Bullet {
                span: text,
                parsed,
                description: Cow::Borrowed(""),
                constraints: Vec::new(),
                offset: l.offset,
            });
            continue;
        }
        match section.bullets.last_mut() {
            Some(b) => {
                let joined = if b.description.is_empty() {
                    text.to_string()
                } else {
                    format!("{} {}", b.description, text)
                };
                b.description = Cow::Owned(joined);
            }
            None => {
                return Err(source.error(&section_path, l.offset, "description before any field"));
            }
        }
    }

    *at = i;
    Ok(())
}

/// The example: a curl command, then the JSON response (repeated blocks must agree).
fn read_example<'a>(
    source: Source<'a>,
    nonblank: &Lines<'_, 'a>,
    mut i: usize,
    op: &mut OpSection<'a>,
) -> Result<(), SpecError> {
    let section_path = op.title.to_string();
    // The example: a curl command whose continuation lines end in `\`, then JSON blocks.
    if let Some(l) = nonblank.get(i) {
        let offset = l.offset;
        let mut parts = Vec::new();
        while let Some(l) = nonblank.get(i) {
            i += 1;
            let t = l.text.trim();
            match t.strip_suffix('\\') {
                Some(head) => parts.push(head.trim()),
                None => {
                    parts.push(t);
                    break;
                }
            }
        }
        op.curl = Some(Block {
            text: Cow::Owned(parts.join(" ")),
            offset,
        });
    }
    let mut json_blocks: Vec<Block<'a>> = Vec::new();
    while let Some(l) = nonblank.get(i) {
        if l.text == "{" {
            let start = l.offset;
            let end_ix = (i..nonblank.len())
                .find(|&j| nonblank[j].text == "}")
                .ok_or_else(|| {
                    source.error(&section_path, start, "JSON example is never closed")
                })?;
            let end = nonblank[end_ix].offset + 1;
            json_blocks.push(Block {
                text: Cow::Borrowed(&source.text[start..end]),
                offset: start,
            });
            i = end_ix + 1;
        } else {
            i += 1;
        }
    }
    let mut blocks = json_blocks.into_iter();
    op.response_example = blocks.next();
    for other in blocks {
        let same = match (
            &op.response_example,
            serde_json::from_str::<serde_json::Value>(&other.text),
        ) {
            (Some(first), Ok(v)) => {
                serde_json::from_str::<serde_json::Value>(&first.text).is_ok_and(|f| f == v)
            }
            _ => false,
        };
        if !same {
            return Err(source.error(
                &section_path,
                other.offset,
                "the page's JSON examples disagree",
            ));
        }
    }
    Ok(())
}

fn split_method_path(line: &str) -> Option<(Method, &str)> {
    let slash = line.find('/')?;
    let method = Method::parse(&line[..slash])?;
    (line[..slash].chars().all(|c| c.is_ascii_uppercase()) && !line.contains(' '))
        .then_some((method, &line[slash..]))
}

fn content_type_of(label: &str) -> String {
    match label {
        "JSON" => "application/json".to_string(),
        other => other.to_string(),
    }
}

fn parse_constraint(text: &str) -> Option<RawConstraint> {
    CONSTRAINT_KEYWORDS.iter().find_map(|kw| {
        let value = text.strip_prefix(kw)?;
        let ok = !value.is_empty() && !value.contains(' ');
        ok.then(|| RawConstraint {
            keyword: kw,
            value: value.to_string(),
        })
    })
}

/// Splits words glued without a space: `Magic WAN WriteMagic Transit Write` splits where a
/// lowercase letter is directly followed by an uppercase one.
fn split_glued_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for w in chars.windows(2) {
        if w[0].1.is_lowercase() && w[1].1.is_uppercase() {
            out.push(text[start..w[1].0].trim().to_string());
            start = w[1].0;
        }
    }
    out.push(text[start..].trim().to_string());
    out.retain(|s| !s.is_empty());
    out
}

/// Security lines come as: scheme title, description, `Example:Header: value`, and optionally
/// more (description, example) pairs for further headers of the same scheme.
fn parse_schemes(source: Source<'_>, lines: &[&Line<'_>]) -> Result<Vec<SchemeDecl>, SpecError> {
    let mut out: Vec<SchemeDecl> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if let Some(example) = l.text.strip_prefix("Example:") {
            let (name, value) = example.split_once(": ").ok_or_else(|| {
                source.error("Security", l.offset, "example is not `Header: value`")
            })?;
            match out.last_mut() {
                Some(s) => s
                    .headers
                    .push((name.trim().to_string(), value.trim().to_string())),
                None => {
                    return Err(source.error("Security", l.offset, "example before any scheme"));
                }
            }
            i += 1;
            continue;
        }
        let next_is_example = lines
            .get(i + 1)
            .is_some_and(|n| n.text.starts_with("Example:"));
        if next_is_example && !out.is_empty() {
            // Describes a further header of the current scheme.
            i += 1;
            continue;
        }
        let description = lines
            .get(i + 1)
            .map(|n| n.text.trim().to_string())
            .unwrap_or_default();
        out.push(SchemeDecl {
            name: l.text.trim().to_string(),
            description,
            headers: Vec::new(),
        });
        i += 2;
    }
    if let Some(empty) = out.iter().find(|s| s.headers.is_empty()) {
        return Err(source.error(
            "Security",
            0,
            format!("scheme `{}` shows no example header", empty.name),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glued_words() {
        assert_eq!(
            split_glued_words("Magic WAN WriteMagic Transit Write"),
            ["Magic WAN Write", "Magic Transit Write"]
        );
    }

    #[test]
    fn constraints() {
        assert_eq!(
            parse_constraint("maxLength32").map(|c| c.value),
            Some("32".into())
        );
        assert_eq!(
            parse_constraint("formatdate-time").map(|c| c.value),
            Some("date-time".into())
        );
        assert!(parse_constraint("format of the thing").is_none());
        assert!(parse_constraint("minimum 3").is_none());
        assert!(parse_constraint("maximum").is_none());
    }
}
