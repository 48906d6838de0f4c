//! Decides how a decoder tells each union's alternatives apart.
//!
//! The strategies are tried in a fixed order and the first that applies is recorded:
//!
//! 1. **JSON kind**: the alternatives have pairwise different JSON kinds (the health-check
//!    `target`: string or object). The cheapest test, and it cannot be fooled by field names.
//! 2. **Tag**: all alternatives are objects sharing a required single-literal field with a
//!    different literal each (connector events on `k`).
//! 3. **Required field**: all alternatives are objects, each with a required field no other
//!    alternative declares (account vs managed apps by `account_app_id`/`managed_app_id`).
//! 4. **Best fit**: all alternatives are objects but overlap (PCAP simple vs full): choose the
//!    alternative whose required fields are present and that knows most of the input's keys;
//!    on a tie, the one declaring fewer fields (the tighter fit).
//! 5. **Ordered**: anything else; a decoder tries the alternatives in document order.

use super::{Alternative, Defs, Discrimination, Field, Ty};

/// The discrimination of a union with these alternatives.
pub fn discriminate(alternatives: &[Alternative], defs: &Defs<'_>) -> Discrimination {
    let kinds: Option<Vec<&str>> = alternatives.iter().map(|a| defs.json_kind(&a.ty)).collect();
    if let Some(kinds) = kinds {
        let distinct = kinds
            .iter()
            .enumerate()
            .all(|(i, k)| !kinds[..i].contains(k));
        if distinct {
            return Discrimination::JsonKind {
                kinds: kinds.into_iter().map(str::to_string).collect(),
            };
        }
    }
    let objects: Option<Vec<&[Field]>> = alternatives
        .iter()
        .map(|a| defs.object_fields(&a.ty))
        .collect();
    let Some(objects) = objects else {
        return Discrimination::Ordered;
    };
    if let Some(tag) = tag_field(&objects) {
        return tag;
    }
    let identifying: Option<Vec<String>> = objects
        .iter()
        .enumerate()
        .map(|(i, fields)| {
            fields
                .iter()
                .find(|f| {
                    f.required
                        && objects
                            .iter()
                            .enumerate()
                            .all(|(j, other)| j == i || !other.iter().any(|g| g.name == f.name))
                })
                .map(|f| f.name.clone())
        })
        .collect();
    if let Some(fields) = identifying {
        return Discrimination::RequiredField { fields };
    }
    Discrimination::BestFit {
        fields: objects
            .iter()
            .map(|fs| fs.iter().map(|f| f.name.clone()).collect())
            .collect(),
    }
}

fn tag_field(objects: &[&[Field]]) -> Option<Discrimination> {
    let first = objects.first()?;
    'candidates: for candidate in first.iter() {
        let mut values = Vec::with_capacity(objects.len());
        for fields in objects {
            let Some(f) = fields
                .iter()
                .find(|f| f.name == candidate.name && f.required)
            else {
                continue 'candidates;
            };
            let Ty::Literal { value } = &f.ty else {
                continue 'candidates;
            };
            if values.contains(value) {
                continue 'candidates;
            }
            values.push(value.clone());
        }
        return Some(Discrimination::Tag {
            field: candidate.name.clone(),
            values,
        });
    }
    None
}
