//! Malformed spec input gives a located error or a valid IR, never a panic.
//!
//! Mutations of the real documents (truncation, deleted bullets, corrupted signature counts, a
//! missing page) and arbitrary bytes, in a bounded number of deterministic cases.
//!
//! What every case shares is computed once per process (the documents, their sections, the real
//! spec's IR and generated files). A case that damages one place of the reference parses only
//! the sections the damage touches, with the two every reference needs (see [`sliced`]): the
//! other sections would be parsed identically in every case.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::OnceLock;

use codegen::parse::{Document, SpecErrors};

fn spec_dir() -> PathBuf {
    PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    )
    .join("../spec")
}

/// The spec's documents, read once per process.
fn docs() -> &'static [Document] {
    static DOCS: OnceLock<Vec<Document>> = OnceLock::new();
    DOCS.get_or_init(|| codegen::parse::read_dir(&spec_dir()).expect("spec/ reads"))
}

/// The documents with the reference's text replaced by `text`.
fn with_reference_text(text: String) -> Vec<Document> {
    let r = reference(docs());
    let mut text = Some(text);
    docs()
        .iter()
        .enumerate()
        .map(|(i, d)| match text.take_if(|_| i == r) {
            Some(text) => Document {
                name: d.name.clone(),
                text,
            },
            None => d.clone(),
        })
        .collect()
}

fn reference(docs: &[Document]) -> usize {
    docs.iter()
        .position(|d| d.name == "magic-transit.md")
        .expect("the reference")
}

/// Parses; on error, every error must be located inside its document with an excerpt.
fn outcome(docs: &[Document]) -> Result<(), String> {
    match codegen::build_ir(docs, None) {
        Ok(_) => Ok(()),
        Err(errors) => {
            assert!(!errors.0.is_empty(), "an Err carries at least one error");
            for e in &errors.0 {
                let doc = docs
                    .iter()
                    .find(|d| d.name == e.document)
                    .unwrap_or_else(|| panic!("unknown document in {e}"));
                assert!(e.offset <= doc.text.len(), "offset out of range: {e}");
                assert!(!e.message.is_empty());
                if e.offset < doc.text.len() {
                    assert!(!e.excerpt.is_empty(), "no excerpt: {e}");
                }
            }
            Err(errors.to_string())
        }
    }
}

/// A tiny deterministic generator (xorshift64*), so every run tries the same cases.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The reference cut at its `#` headings.
struct Sections {
    /// The root section (the document's title and the domain types every resource shares)
    /// first, then one range per resource.
    ranges: Vec<Range<usize>>,
    /// The section documenting the rendered page's operation: without it the page describes an
    /// operation the reference lacks.
    page_home: usize,
}

fn sections() -> &'static Sections {
    static SECTIONS: OnceLock<Sections> = OnceLock::new();
    SECTIONS.get_or_init(|| {
        let text = &docs()[reference(docs())].text;
        let mut starts: Vec<usize> = text.match_indices(" # ").map(|(i, _)| i).collect();
        starts.insert(0, 0);
        let ends = starts.iter().skip(1).copied().chain([text.len()]);
        let ranges: Vec<Range<usize>> = starts
            .iter()
            .copied()
            .zip(ends)
            .map(|(a, b)| a..b)
            .collect();
        // The page names its operation on a line of its own: `PUT/accounts/{account_id}/…`.
        let page = docs()
            .iter()
            .find(|d| d.name.starts_with("pages/"))
            .expect("the rendered page");
        let (method, path) = page
            .text
            .lines()
            .find_map(|l| {
                let path_at = l.find('/')?;
                let method = &l[..path_at];
                (!method.is_empty() && method.bytes().all(|b| b.is_ascii_uppercase()))
                    .then(|| (method.to_ascii_lowercase(), &l[path_at..]))
            })
            .expect("the page's method and path");
        let heading = format!("**{method}** `{path}`");
        let at = text
            .find(&heading)
            .expect("the page's operation in the reference");
        let page_home = ranges
            .iter()
            .position(|r| r.contains(&at))
            .expect("a section holds it");
        Sections { ranges, page_home }
    })
}

/// One damage to the reference: the `removed` bytes at `at` replaced by `inserted`.
struct Splice {
    at: usize,
    removed: usize,
    inserted: String,
}

impl Splice {
    fn insert(at: usize, inserted: impl Into<String>) -> Splice {
        Splice {
            at,
            removed: 0,
            inserted: inserted.into(),
        }
    }

    /// `text` with the splice applied.
    fn apply(&self, text: &str) -> String {
        let end = self.at + self.removed;
        [&text[..self.at], self.inserted.as_str(), &text[end..]].concat()
    }
}

/// The reference with `splice` applied, keeping of its sections only those the splice touches,
/// the root section and the page's home section (see [`Sections`]).
///
/// The cases of a property damage one place each, and the sections a case leaves alone would
/// be parsed the same way in every case; a slice is a fraction of the reference, so of the
/// parse. Every slice without damage is a valid reference on its own
/// (`every_slice_of_the_reference_is_valid`), so what a case reports is the damage's doing.
fn sliced(splice: &Splice) -> String {
    let text = &docs()[reference(docs())].text;
    let sections = sections();
    let (from, to) = (splice.at, splice.at + splice.removed);
    let mut out = String::new();
    let mut inserted = false;
    for (i, range) in sections.ranges.iter().enumerate() {
        let touched = range.start <= to && from <= range.end;
        if !touched {
            if i == 0 || i == sections.page_home {
                out.push_str(&text[range.clone()]);
            }
            continue;
        }
        out.push_str(&text[range.start..from.clamp(range.start, range.end)]);
        if !inserted {
            out.push_str(&splice.inserted);
            inserted = true;
        }
        out.push_str(&text[to.clamp(range.start, range.end)..range.end]);
    }
    out
}

/// The smallest valid reference: the root section and the page's home.
fn smallest_reference() -> String {
    sliced(&Splice::insert(0, ""))
}

#[test]
fn every_slice_of_the_reference_is_valid() {
    let sections = sections();
    assert!(
        sections.ranges.len() > 10,
        "{} sections",
        sections.ranges.len()
    );
    for range in &sections.ranges {
        let slice = sliced(&Splice::insert(range.start + 1, ""));
        let d = with_reference_text(slice);
        if let Err(e) = outcome(&d) {
            panic!("the slice holding {range:?} is not a valid reference: {e}");
        }
    }
    // The damage lands where it was asked for.
    let text = &docs()[reference(docs())].text;
    let at = sections.ranges[3].start + 10;
    let slice = sliced(&Splice {
        at,
        removed: 5,
        inserted: "<here>".into(),
    });
    let expected = format!(
        "{}<here>{}",
        &text[sections.ranges[3].start..at],
        &text[at + 5..at + 100]
    );
    assert!(slice.contains(&expected), "{}", &slice[..400]);
}

fn char_floor(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[test]
fn truncation_at_50_offsets() {
    let base = docs();
    let r = reference(base);
    let len = base[r].text.len();
    let mut errors = 0;
    for i in 1..=50 {
        let mut d = base.to_vec();
        let cut = char_floor(&d[r].text, len * i / 51);
        d[r].text.truncate(cut);
        if outcome(&d).is_err() {
            errors += 1;
        }
    }
    // Cutting the reference loses operations whose pages or examples are referenced; most cuts
    // must be reported (a cut right after a complete operation can still be a valid document).
    assert!(
        errors >= 40,
        "only {errors} of 50 truncations were reported"
    );
}

fn bullet_offsets(text: &str) -> Vec<usize> {
    text.match_indices(" - `").map(|(i, _)| i).collect()
}

#[test]
fn deleting_single_bullets() {
    let base = docs();
    let r = reference(base);
    let offsets = bullet_offsets(&base[r].text);
    let mut rng = Rng(0x5eed_0001);
    let mut reported = 0;
    let cases = 80;
    for _ in 0..cases {
        let start = offsets[rng.below(offsets.len())];
        let text = &base[r].text;
        let end = text[start + 1..]
            .find(" - `")
            .map(|e| e + start + 1)
            .unwrap_or(text.len());
        let damaged = sliced(&Splice {
            at: start,
            removed: end - start,
            inserted: String::new(),
        });
        if outcome(&with_reference_text(damaged)).is_err() {
            reported += 1;
        }
    }
    // The count checks alone catch ~60% (a measurement of the notation; see spec/FORMAT.md section 6); example validation catches more.
    assert!(
        reported * 100 >= cases * 75,
        "only {reported} of {cases} deletions were reported"
    );
}

#[test]
fn corrupted_signature_counts_are_reported() {
    let base = docs();
    let r = reference(base);
    let text = &base[r].text;
    let sites: Vec<(usize, usize)> = text
        .match_indices(" more }")
        .filter_map(|(i, _)| {
            let digits = text[..i]
                .bytes()
                .rev()
                .take_while(u8::is_ascii_digit)
                .count();
            (digits > 0).then(|| (i - digits, i))
        })
        .collect();
    assert!(sites.len() > 200);
    let mut rng = Rng(0x5eed_0002);
    for _ in 0..40 {
        let (start, end) = sites[rng.below(sites.len())];
        let n: usize = text[start..end].parse().unwrap();
        let damaged = sliced(&Splice {
            at: start,
            removed: end - start,
            inserted: (n + 1).to_string(),
        });
        let result = outcome(&with_reference_text(damaged));
        assert!(
            result.is_err(),
            "`{} more` -> `{} more` at {start} went unnoticed",
            n,
            n + 1
        );
    }
}

#[test]
fn a_corrupted_count_names_the_section_and_offset() {
    let mut d = docs().to_vec();
    let r = reference(&d);
    let needle = "`health_check: optional { direction, enabled, rate, 2 more }`";
    let at = d[r].text.find(needle).expect("the GRE inline health check");
    let fixed = needle.replace("2 more", "3 more");
    d[r].text.replace_range(at..at + needle.len(), &fixed);
    let err = codegen::build_ir(&d, None).unwrap_err();
    let first = &err.0[0];
    assert_eq!(first.document, "magic-transit.md");
    // The extra field swallows the next sibling, which only the example check can notice: the
    // error names the operation whose Returns holds the corrupted signature.
    let op_start = d[r].text[..at].rfind(" ## ").unwrap() + 1;
    assert!(
        first.section.starts_with("GRE Tunnels > List GRE tunnels"),
        "{first}"
    );
    assert!(first.offset >= op_start, "{first}");
    assert!(first.message.contains("success"), "{first}");
}

#[test]
fn dropping_the_page_is_a_located_error() {
    let base = docs();
    let only_reference: Vec<_> = base
        .iter()
        .filter(|d| d.name == "magic-transit.md")
        .cloned()
        .collect();
    let err = outcome(&only_reference).unwrap_err();
    assert!(err.contains("undefined named type `ResponseInfo`"), "{err}");
    assert!(err.contains("Apps > List Apps > Returns > errors"), "{err}");
    assert!(
        err.contains("(near `- `errors: array of ResponseInfo`"),
        "{err}"
    );
}

#[test]
fn corrupting_the_page() {
    // The reference is not damaged here: the smallest valid one serves every case.
    let base = with_reference_text(smallest_reference());
    assert!(outcome(&base).is_ok(), "the smallest reference is valid");
    let p = base
        .iter()
        .position(|d| d.name.starts_with("pages/"))
        .unwrap();
    let mut rng = Rng(0x5eed_0003);
    for i in 0..60 {
        let mut d = base.to_vec();
        let text = &mut d[p].text;
        match i % 3 {
            0 => {
                let cut = char_floor(text, rng.below(text.len()));
                text.truncate(cut);
            }
            1 => {
                let lines: Vec<&str> = text.split('\n').collect();
                let drop = rng.below(lines.len());
                *text = lines
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != drop)
                    .map(|(_, l)| *l)
                    .collect::<Vec<_>>()
                    .join("\n");
            }
            _ => {
                let at = char_floor(text, rng.below(text.len()));
                text.insert_str(at, "\nsurprise: { a, 2 more }\n");
            }
        }
        let _ = outcome(&d);
    }
}

#[test]
fn arbitrary_bytes_never_panic() {
    let mut rng = Rng(0x5eed_0004);
    let alphabet: &[u8] =
        b"# -`{}\"*:,.\n abcdeor0123456789ABCmore optional array of string number ```json";
    let real = docs();
    for case in 0..400 {
        let len = rng.below(600);
        let bytes: Vec<u8> = if case % 2 == 0 {
            (0..len)
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect()
        } else {
            (0..len).map(|_| rng.next() as u8).collect()
        };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        for name in ["magic-transit.md", "pages/x.txt"] {
            let _ = outcome(&[Document {
                name: name.into(),
                text: text.clone(),
            }]);
        }
        let _ = outcome(&[
            Document {
                name: "magic-transit.md".into(),
                text: format!("# {text}"),
            },
            real[1].clone(),
        ]);
    }
}

#[test]
fn splicing_random_bytes_into_the_reference_never_panics() {
    let base = docs();
    let r = reference(base);
    let text = &base[r].text;
    let mut rng = Rng(0x5eed_0005);
    for _ in 0..30 {
        let at = char_floor(text, rng.below(text.len()));
        let junk: String = (0..rng.below(12))
            .map(|_| ['`', '#', ' ', '-', '{', '}', '"', 'x', '3'][rng.below(9)])
            .collect();
        let _ = outcome(&with_reference_text(sliced(&Splice::insert(at, junk))));
    }
}

// ---------------------------------------------------------------------------------------
// Hostile input through the whole pipeline (parse, IR, refinements, emission)

/// `spec/refinements.toml`, read once per process. Its entries must each match something in the
/// reference, so the tests through the whole pipeline take the whole reference, never a slice.
fn refinements_doc() -> &'static Document {
    static REFINEMENTS: OnceLock<Document> = OnceLock::new();
    REFINEMENTS.get_or_init(|| {
        let (_, refinements) = codegen::read_spec_dir(&spec_dir()).expect("the spec reads");
        refinements.expect("spec/refinements.toml")
    })
}

/// The whole pipeline: documents to generated files. Errors must be located (see `outcome`).
fn generated(docs: &[Document], refinements: &Document) -> Result<codegen::emit::Output, String> {
    codegen::generate(&checked_ir(docs, refinements)?)
}

/// Documents and refinements to the IR; errors must be located (see `outcome`).
fn checked_ir(docs: &[Document], refinements: &Document) -> Result<codegen::Ir, String> {
    match codegen::build_ir(docs, Some(refinements)) {
        Ok((ir, _)) => Ok(ir),
        Err(errors) => {
            assert_located(docs, Some(refinements), &errors);
            Err(errors.to_string())
        }
    }
}

/// Every error names its document and an offset or a section (the refinements file, a TOML
/// table, may name neither).
fn assert_located(docs: &[Document], refinements: Option<&Document>, errors: &SpecErrors) {
    for e in &errors.0 {
        let known = docs.iter().chain(refinements).any(|d| d.name == e.document);
        assert!(known, "an error names its document: {e}");
        let in_refinements = refinements.is_some_and(|r| e.document == r.name);
        assert!(
            e.offset > 0 || !e.section.is_empty() || in_refinements,
            "an error names an offset or a section: {e}"
        );
    }
}

/// Replaces the first occurrence of `from` in the reference.
fn with_reference(docs: &[Document], from: &str, to: &str) -> Vec<Document> {
    let mut d = docs.to_vec();
    let r = reference(&d);
    assert!(d[r].text.contains(from), "`{from}` is in the reference");
    d[r].text = d[r].text.replacen(from, to, 1);
    d
}

/// The text of the operation section starting at `heading` (up to the next `## ` or `# `).
fn operation_section<'a>(text: &'a str, heading: &str) -> &'a str {
    let start = text.find(heading).expect("the heading");
    let rest = &text[start + heading.len()..];
    let end = [" ## ", " # "]
        .iter()
        .filter_map(|h| rest.find(h))
        .min()
        .unwrap_or(rest.len());
    &text[start..start + heading.len() + end]
}

#[test]
fn deep_array_nesting_is_a_located_error_not_a_stack_overflow() {
    let base = docs();
    let refinements = refinements_doc();
    for depth in [33, 16_000, 20_000] {
        let deep = format!(
            "`description: optional {}string`",
            "array of ".repeat(depth)
        );
        let d = with_reference(base, "`description: optional string`", &deep);
        let err = generated(&d, refinements).unwrap_err();
        assert!(err.contains("nested at most 32"), "{depth}: {err}");
    }
    // 32 layers are fine for the parser (the field then just has that type).
    let deep = format!("`description: optional {}string`", "array of ".repeat(32));
    let d = with_reference(base, "`description: optional string`", &deep);
    if let Err(e) = codegen::build_ir(&d, None) {
        assert!(!e.to_string().contains("nested at most"), "{e}");
    }
}

#[test]
fn a_duplicated_operation_is_an_error_at_the_copy() {
    let base = docs();
    let r = reference(base);
    let text = &base[r].text;
    let list_apps = operation_section(text, "## List Apps ").to_owned();
    // The copy right after the original, and the copy under another resource.
    let after_original = text.replacen(&list_apps, &format!("{list_apps} {list_apps}"), 1);
    let under_other = text.replacen(
        " # Cf Interconnects ",
        &format!(" # Cf Interconnects {list_apps} "),
        1,
    );
    for mutated in [after_original, under_other] {
        let mut d = base.to_vec();
        d[r].text = mutated;
        let err = codegen::build_ir(&d, None).unwrap_err();
        let e = &err.0[0];
        assert!(e.message.contains("documented twice"), "{err}");
        assert!(
            e.message.contains("GET /accounts/{account_id}/magic/apps"),
            "{err}"
        );
        assert!(e.offset > text.find("## List Apps ").unwrap(), "{err}");
        assert!(e.section.ends_with("List Apps"), "{err}");
    }
}

#[test]
fn odd_unicode_and_huge_names_never_reach_rustc() {
    let base = docs();
    let refinements = refinements_doc();
    // A bidirectional control in prose and in a literal: the output holds none raw.
    let d = with_reference(
        base,
        "Determines whether to run healthchecks for a tunnel.",
        "Determines \u{202E}whether\u{2066} to run healthchecks.",
    );
    let mut d = d;
    for doc in &mut d {
        doc.text = doc.text.replace("\"low\"", "\"lo\u{202E}w\"");
    }
    let out = generated(&d, refinements).expect("still a valid spec");
    for file in &out.files {
        assert!(
            !file.contents.contains(['\u{202E}', '\u{2066}']),
            "{} holds a raw bidi control",
            file.path
        );
    }
    let types = out
        .files
        .iter()
        .find(|f| f.path.ends_with("types.rs"))
        .expect("types");
    // Escaped where it is data (a string literal) and where it is prose (a doc line).
    assert!(types.contents.contains("#[wire = \"lo\\u{202e}w\"]"));
    assert!(types.contents.contains("/// `\"lo\\u{202E}w\"`"));
    // A 100,000-character field name is refused where it stands.
    let huge = format!("`{}: optional string`", "n".repeat(100_000));
    let d = with_reference(base, "`description: optional string`", &huge);
    let err = generated(&d, refinements).unwrap_err();
    assert!(err.contains("at most 200 characters"), "{err}");
}

#[test]
fn a_document_that_is_not_utf8_names_itself_and_the_offset() {
    let dir = std::env::temp_dir().join(format!("magic-api-utf8-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let mut bytes = b"# Magic Transit ## Domain Types ".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    std::fs::write(dir.join("magic-transit.md"), &bytes).expect("write");
    let err = codegen::read_spec_dir(&dir).unwrap_err();
    let e = &err.0[0];
    assert_eq!(e.document, "magic-transit.md");
    assert_eq!(e.offset, 32);
    assert!(e.message.contains("UTF-8"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------------------------------
// The mutation property: hostile references through the whole pipeline

/// One way to damage the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mutation {
    Cut,
    ByteFlip,
    DuplicateSection,
    DuplicateBullet,
    DeepNesting,
    OddUnicode,
    HugeName,
}

const MUTATIONS: [Mutation; 7] = [
    Mutation::Cut,
    Mutation::ByteFlip,
    Mutation::DuplicateSection,
    Mutation::DuplicateBullet,
    Mutation::DeepNesting,
    Mutation::OddUnicode,
    Mutation::HugeName,
];

/// Where `m` damages `text` (chosen by `rng`).
fn mutate(text: &str, m: Mutation, rng: &mut Rng) -> Splice {
    let at = |rng: &mut Rng| char_floor(text, rng.below(text.len()));
    let starts =
        |pattern: &str| -> Vec<usize> { text.match_indices(pattern).map(|(i, _)| i).collect() };
    let pick = |rng: &mut Rng, v: &[usize]| v.get(rng.below(v.len().max(1))).copied();
    let nothing = Splice::insert(0, "");
    match m {
        Mutation::Cut => {
            let cut = at(rng);
            Splice {
                at: cut,
                removed: text.len() - cut,
                inserted: String::new(),
            }
        }
        Mutation::ByteFlip => {
            let i = at(rng);
            let c = ['`', '#', '{', '}', '"', ' ', '-', 'x', '0', ','][rng.below(10)];
            Splice {
                at: i,
                removed: text[i..].chars().next().map_or(0, char::len_utf8),
                inserted: c.to_string(),
            }
        }
        Mutation::DuplicateSection => {
            let heads = starts(" ## ");
            let (Some(from), Some(to)) = (pick(rng, &heads), pick(rng, &heads)) else {
                return nothing;
            };
            let end = text[from + 4..]
                .find(" ## ")
                .map_or(text.len(), |e| from + 4 + e);
            Splice::insert(to, &text[from..end])
        }
        Mutation::DuplicateBullet => {
            let bullets = starts(" - `");
            let Some(from) = pick(rng, &bullets) else {
                return nothing;
            };
            let end = text[from + 4..]
                .find(" - `")
                .map_or(text.len(), |e| from + 4 + e);
            Splice::insert(end, &text[from..end])
        }
        Mutation::DeepNesting => {
            let fields = starts(": optional string`");
            let Some(f) = pick(rng, &fields) else {
                return nothing;
            };
            let depth = [2, 31, 32, 33, 500, 20_000][rng.below(6)];
            Splice::insert(f + ": optional ".len(), "array of ".repeat(depth))
        }
        Mutation::OddUnicode => {
            let odd = [
                "\u{202E}", "\u{2066}", "\u{200B}", "\u{FEFF}", "e\u{301}", "🦀", "\u{0}", "\r",
            ];
            let i = at(rng);
            Splice::insert(i, odd[rng.below(odd.len())])
        }
        Mutation::HugeName => {
            let names = starts(" - `");
            let Some(f) = pick(rng, &names) else {
                return nothing;
            };
            let len = [150, 201, 5_000, 100_000][rng.below(4)];
            Splice::insert(f + 4, "z".repeat(len))
        }
    }
}

/// Mutants of the reference, 12 of each kind: none panics or overflows the stack, every error
/// names a document and an offset or section (checked in `assert_located`), and the accepted
/// ones that change the generated crate are kept for `accepted_mutants_compile`. Computed once
/// per process: both tests read them.
///
/// Each mutant is first parsed as a slice (see [`sliced`]; without the refinements, whose
/// entries match sections a slice leaves out). A mutant the slice refuses is refused: the
/// sections left out define nothing the others use (every slice is valid alone), so they cannot
/// make the damage valid. Only the mutants a slice accepts go through the whole pipeline, whole
/// reference and refinements, where most are refused after all (a section duplicated from a
/// section the slice left out) and the rest generate.
fn mutants() -> &'static [(Mutation, codegen::emit::Output)] {
    static MUTANTS: OnceLock<Vec<(Mutation, codegen::emit::Output)>> = OnceLock::new();
    MUTANTS.get_or_init(|| mutants_of_each_kind(12))
}

fn mutants_of_each_kind(per_kind: usize) -> Vec<(Mutation, codegen::emit::Output)> {
    let base = docs();
    let refinements = refinements_doc();
    let original_ir = checked_ir(base, refinements).expect("the real spec builds");
    let original = codegen::generate(&original_ir).expect("the real spec generates");
    let original_ir = serde_json::to_value(&original_ir).expect("the IR serializes");
    let r = reference(base);
    let mut rng = Rng(0x5eed_0008);
    let mut accepted = Vec::new();
    for m in MUTATIONS {
        for _ in 0..per_kind {
            let splice = mutate(&base[r].text, m, &mut rng);
            let slice = with_reference_text(sliced(&splice));
            if let Err(errors) = codegen::build_ir(&slice, None) {
                assert_located(&slice, None, &errors);
                continue;
            }
            let d = with_reference_text(splice.apply(&base[r].text));
            let Ok(ir) = checked_ir(&d, refinements) else {
                continue;
            };
            // The whole IR serializes (`cargo xtask ir --json`), and generation is a function
            // of it: an IR equal to the real one generates the real files, so there is
            // nothing new to generate or compile.
            if serde_json::to_value(&ir).ok().as_ref() == Some(&original_ir) {
                continue;
            }
            if let Ok(out) = codegen::generate(&ir) {
                let changed = out
                    .files
                    .iter()
                    .zip(&original.files)
                    .any(|(a, b)| a.contents != b.contents);
                if changed {
                    accepted.push((m, out));
                }
            }
        }
    }
    accepted
}

#[test]
fn mutated_references_never_panic_and_errors_are_located() {
    let accepted = mutants();
    // Some mutants are valid specs that change the output (odd Unicode in prose, names up to
    // the limit): the checks above ran on them too.
    assert!(!accepted.is_empty());
}

/// A sample of accepted mutants, one per kind that produced one, generates a crate that passes
/// `cargo check`.
#[test]
#[ignore = "slow: cargo-checks the crates generated from a sample of accepted mutants; CI runs it"]
fn accepted_mutants_compile() {
    let manifest = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    );
    let root = manifest.join("..").canonicalize().expect("workspace root");
    let mut sample: Vec<&(Mutation, codegen::emit::Output)> = Vec::new();
    for mutant in mutants() {
        if !sample.iter().any(|(k, _)| *k == mutant.0) {
            sample.push(mutant);
        }
    }
    eprintln!(
        "cargo check of mutants: {:?}",
        sample.iter().map(|(m, _)| m).collect::<Vec<_>>()
    );
    let crate_dir = root.join("target/mutant-check/crate");
    let _ = std::fs::remove_dir_all(&crate_dir);
    copy_tree(&root.join("magic-api/src"), &crate_dir.join("src"));
    std::fs::write(crate_dir.join("Cargo.toml"), standalone_manifest(&root)).expect("manifest");
    std::fs::copy(root.join("Cargo.lock"), crate_dir.join("Cargo.lock")).expect("lock file");
    for (m, out) in &sample {
        for file in &out.files {
            if let Some(rel) = file.path.strip_prefix("magic-api/") {
                std::fs::write(crate_dir.join(rel), &file.contents).expect("generated file");
            }
        }
        let out =
            std::process::Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
                .args(["check", "--quiet", "--lib", "--target-dir"])
                .arg(root.join("target/mutant-check/target"))
                .current_dir(&crate_dir)
                .output()
                .expect("cargo runs");
        assert!(
            out.status.success(),
            "the crate generated from a {m:?} mutant does not compile:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(
        sample.len() >= 2,
        "{:?}",
        sample.iter().map(|(m, _)| m).collect::<Vec<_>>()
    );
}

fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("dir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).expect("copy");
        }
    }
}

/// `magic-api/Cargo.toml` made standalone: workspace-inherited keys spelled out, the macros and
/// runtime crates by absolute path, no benches.
fn standalone_manifest(root: &std::path::Path) -> String {
    let text = std::fs::read_to_string(root.join("magic-api/Cargo.toml")).expect("manifest");
    let body = text.split("[dev-dependencies]").next().unwrap_or(&text);
    let macros = root.join("magic-api/macros");
    let mut out = String::new();
    for line in body.lines() {
        let line = match line.trim() {
            "edition.workspace = true" => "edition = \"2024\"".to_owned(),
            l if l.ends_with(".workspace = true") && !l.starts_with("serde") => continue,
            "serde.workspace = true" => {
                "serde = { version = \"1\", features = [\"derive\"] }".to_owned()
            }
            "serde_json.workspace = true" => "serde_json = \"1\"".to_owned(),
            l if l.starts_with("serde_json = { workspace = true") => {
                "serde_json = { version = \"1\", features = [\"raw_value\"] }".to_owned()
            }
            l if l.starts_with("magic-api-runtime = ") => format!(
                "magic-api-runtime = {{ path = {:?} }}",
                root.join("magic-api/runtime").display().to_string()
            ),
            l if l.starts_with("magic-api-macros = ") => {
                format!(
                    "magic-api-macros = {{ path = {:?} }}",
                    macros.display().to_string()
                )
            }
            _ => line.to_owned(),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str("\n[workspace]\n");
    out
}

#[test]
fn a_resource_tree_error_is_located_at_its_section() {
    let base = docs();
    let r = reference(base);
    let text = &base[r].text;
    let update = operation_section(text, "## Update an App ").to_owned();
    let moved = text.replacen(&format!("{update} "), "", 1).replacen(
        " # Cf Interconnects ",
        &format!(" # Apps Again {update} # Cf Interconnects "),
        1,
    );
    let mut d = base.to_vec();
    d[r].text = moved;
    let err = codegen::build_ir(&d, None).unwrap_err();
    let e = &err.0[0];
    assert!(e.message.contains("both map to module path"), "{err}");
    assert_eq!(e.section, "Apps Again", "{err}");
    let heading = d[r].text.find("# Apps Again").unwrap();
    assert!(e.offset >= heading && e.offset < heading + 20, "{err}");
}
