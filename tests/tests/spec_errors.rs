//! Malformed spec input gives a located error or a valid IR, never a panic.
//!
//! Mutations of the real documents (truncation, deleted bullets, corrupted signature counts, a
//! missing page) and arbitrary bytes, in a bounded number of deterministic cases.

use std::path::PathBuf;

use codegen::spec::Document;

fn docs() -> Vec<Document> {
    codegen::spec::read_dir(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec")).unwrap()
}

fn reference(docs: &[Document]) -> usize {
    docs.iter()
        .position(|d| d.name == "magic-transit.md")
        .expect("the reference")
}

/// Parses; on error, every error must be located inside its document with an excerpt.
fn outcome(docs: &[Document]) -> Result<(), String> {
    match codegen::parse(docs) {
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

fn char_floor(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[test]
fn truncation_at_50_offsets() {
    let base = docs();
    let r = reference(&base);
    let len = base[r].text.len();
    let mut errors = 0;
    for i in 1..=50 {
        let mut d = base.clone();
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
    let r = reference(&base);
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
        let mut d = base.clone();
        d[r].text.replace_range(start..end, "");
        if outcome(&d).is_err() {
            reported += 1;
        }
    }
    // The count checks alone catch ~60% (spec-format.md §2.4); example validation catches more.
    assert!(
        reported * 100 >= cases * 75,
        "only {reported} of {cases} deletions were reported"
    );
}

#[test]
fn corrupted_signature_counts_are_reported() {
    let base = docs();
    let r = reference(&base);
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
        let mut d = base.clone();
        d[r].text.replace_range(start..end, &(n + 1).to_string());
        let result = outcome(&d);
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
    let mut d = docs();
    let r = reference(&d);
    let needle = "`health_check: optional { direction, enabled, rate, 2 more }`";
    let at = d[r].text.find(needle).expect("the GRE inline health check");
    let fixed = needle.replace("2 more", "3 more");
    d[r].text.replace_range(at..at + needle.len(), &fixed);
    let err = codegen::parse(&d).unwrap_err();
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
        .into_iter()
        .filter(|d| d.name == "magic-transit.md")
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
    let base = docs();
    let p = base
        .iter()
        .position(|d| d.name.starts_with("pages/"))
        .unwrap();
    let mut rng = Rng(0x5eed_0003);
    for i in 0..60 {
        let mut d = base.clone();
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
    let r = reference(&base);
    let mut rng = Rng(0x5eed_0005);
    for _ in 0..30 {
        let mut d = base.clone();
        let text = &mut d[r].text;
        let at = char_floor(text, rng.below(text.len()));
        let junk: String = (0..rng.below(12))
            .map(|_| ['`', '#', ' ', '-', '{', '}', '"', 'x', '3'][rng.below(9)])
            .collect();
        text.insert_str(at, &junk);
        let _ = outcome(&d);
    }
}
