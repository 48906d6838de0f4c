//! Case conversion that knows acronyms and their plurals (`GRETunnel` -> `GreTunnel`, `PCAPs` ->
//! `pcaps`), Rust keywords, and field names made legal and unique.

use std::collections::BTreeSet;

/// Words of a reference name: `GRETunnelListResponse` -> `GRE`, `Tunnel`, `List`, `Response`;
/// `PCAPsPCAPs` -> `PCAPs`, `PCAPs`.
pub fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for i in 0..chars.len() {
        let c = chars[i];
        if c == '_' || c == '-' || c == ' ' || c == '.' {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        let prev = if i > 0 { Some(chars[i - 1]) } else { None };
        let next = chars.get(i + 1).copied();
        let boundary = match prev {
            None => false,
            Some(p) => {
                // lower/digit -> Upper: `gre|Tunnel`.
                (c.is_ascii_uppercase() && (p.is_ascii_lowercase() || p.is_ascii_digit()))
                    // Upper run then Upper+lower: `GRE|Tunnel`, but not `PCAP|s`.
                    || (c.is_ascii_uppercase()
                        && p.is_ascii_uppercase()
                        && next.is_some_and(|n| n.is_ascii_lowercase())
                        && !(next == Some('s') && is_acronym_plural(&chars, i + 1)))
            }
        };
        if boundary && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        current.push(c);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Words the reference's names spell as acronyms, in lowercase.
const ACRONYMS: &[&str] = &[
    "acl", "asn", "bgp", "cf", "cidr", "dhcp", "dns", "gre", "ha", "hc", "id", "ike", "ip",
    "ipsec", "ipv4", "ipv6", "lan", "mac", "mtu", "nat", "pcap", "psk", "ttl", "url", "vlan",
    "wan",
];

/// Acronyms the product spells in a case of its own (Cloudflare writes "IPsec").
const SPELLINGS: &[(&str, &str)] = &[("ipsec", "IPsec")];

/// One word as prose spells it: an acronym as the product writes it (in capitals unless
/// [`SPELLINGS`] says otherwise), any other word in lowercase.
fn spelled(lower: &str) -> String {
    match SPELLINGS.iter().find(|(w, _)| *w == lower) {
        Some((_, spelling)) => spelling.to_string(),
        None if ACRONYMS.contains(&lower) => lower.to_ascii_uppercase(),
        None => lower.to_string(),
    }
}

/// A name as words for prose, acronyms as the product spells them and the rest in lowercase:
/// `cf_speaker_ip` -> "CF speaker IP", `gre_tunnel` -> "GRE tunnel", `ipsec_tunnel` -> "IPsec
/// tunnel".
pub fn phrase(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| spelled(&w.to_ascii_lowercase()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A reference heading in the product's spelling, as a sentence starts: "IPSEC Tunnels" ->
/// "IPsec tunnels", "Cf Interconnects" -> "CF interconnects", "LANs" stays "LANs" (an
/// acronym's plural keeps its `s`).
pub fn heading_phrase(heading: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for word in heading.split(' ').filter(|w| !w.is_empty()) {
        let lower = word.to_ascii_lowercase();
        let plural_acronym = lower
            .strip_suffix('s')
            .filter(|stem| ACRONYMS.contains(stem) || SPELLINGS.iter().any(|(w, _)| w == stem));
        out.push(match plural_acronym {
            Some(stem) if !ACRONYMS.contains(&lower.as_str()) => format!("{}s", spelled(stem)),
            _ => spelled(&lower),
        });
    }
    let text = out.join(" ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

/// `a` or `an` as the phrase is spoken: an acronym with no vowel after its first letter is
/// spelled out, so its first letter's name counts ("an ACL"); other acronyms are read as words
/// ("a LAN"), like every other word, by their first letter.
pub fn article(phrase: &str) -> &'static str {
    let first_word = phrase.split(' ').next().unwrap_or("");
    let spelled = |w: &str| !w.chars().skip(1).any(|c| "AEIOU".contains(c));
    let acronym = first_word.len() >= 2
        && first_word.chars().all(|c| c.is_ascii_uppercase())
        && spelled(first_word);
    // A word that starts with a vowel letter but the sound of "you" or "w" takes "a".
    let lower = first_word.to_ascii_lowercase();
    let glide = ["uni", "use", "usu", "uti", "eu", "one"]
        .iter()
        .any(|p| lower.starts_with(p));
    let vowel_sound = match first_word.chars().next() {
        Some(c) if acronym => "AEFHILMNORSX".contains(c),
        Some(c) => "aeiou".contains(c.to_ascii_lowercase()) && !glide,
        None => false,
    };
    if vowel_sound { "an" } else { "a" }
}

/// Whether the `s` at `at` pluralizes the uppercase run before it (`PCAPs`), i.e. it follows two
/// or more capitals and is followed by a capital or the end.
pub(super) fn is_acronym_plural(chars: &[char], at: usize) -> bool {
    chars.get(at) == Some(&'s')
        && at >= 2
        && chars[at - 1].is_ascii_uppercase()
        && chars[at - 2].is_ascii_uppercase()
        && chars.get(at + 1).is_none_or(|c| c.is_ascii_uppercase())
}

/// `UpperCamelCase` from any reference name or snake_case name.
pub fn camel(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            let mut cs = lower.chars();
            match cs.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + cs.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// Whether a name is a Rust keyword (strict or reserved).
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// `snake_case` from any reference name or snake_case name.
pub fn snake(name: &str) -> String {
    // Most names (wire field names) already are snake case: nothing to split.
    let already = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !name.starts_with('_')
        && !name.ends_with('_')
        && !name.contains("__");
    if already {
        return name.to_string();
    }
    words(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// English singular of a snake_case name's last word (`gre_tunnels` -> `gre_tunnel`,
/// `custom_remote_identities` -> `custom_remote_identity`, `addresses` -> `address`).
pub fn singular(name: &str) -> String {
    let (head, last) = match name.rfind('_') {
        Some(i) => (&name[..=i], &name[i + 1..]),
        None => ("", name),
    };
    let one = if let Some(stem) = last.strip_suffix("ies") {
        format!("{stem}y")
    } else if last.ends_with("sses")
        || last.ends_with("xes")
        || last.ends_with("ches")
        || last.ends_with("shes")
    {
        last[..last.len() - 2].to_string()
    } else if last.ends_with('s')
        && !last.ends_with("ss")
        && !last.ends_with("us")
        && last.len() > 2
    {
        last[..last.len() - 1].to_string()
    } else {
        last.to_string()
    };
    format!("{head}{one}")
}

/// Rust keywords that cannot be field names.
pub(super) const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "gen", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Rust field names for an object's wire names, in order: snake case, `type` becomes `kind`
/// (or `type_` when `kind` is taken), other keywords get a trailing `_`. The last entry is the
/// name of the catch-all map of unknown fields (`extra`, or `extra_fields` if `extra` is taken).
pub fn field_names(wire: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(wire.len() + 1);
    let plain: BTreeSet<String> = wire.iter().map(|w| snake(w)).collect();
    for w in wire {
        let s = snake(w);
        let name = if s == "type" {
            if plain.contains("kind") {
                "type_".to_string()
            } else {
                "kind".to_string()
            }
        } else if KEYWORDS.contains(&s.as_str()) {
            format!("{s}_")
        } else if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
            format!("field_{s}")
        } else {
            s
        };
        // Two wire names with one snake form (`fooBar`, `foo_bar`) get distinct fields.
        let mut unique = name.clone();
        let mut n = 2;
        while out.contains(&unique) {
            unique = format!("{name}_{n}");
            n += 1;
        }
        out.push(unique);
    }
    let mut extra = String::from("extra");
    while out.contains(&extra) || plain.contains(&extra) {
        extra.push_str("_fields");
    }
    out.push(extra);
    out
}
