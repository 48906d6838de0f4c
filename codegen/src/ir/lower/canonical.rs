//! Canonicalisation: every definition gets a structural number (hash-consing, bottom-up) and
//! one definition survives per number, so repeated expansions and inline shapes equal to a
//! domain type collapse into one definition; see the parent module for the rules.

use super::*;
/// The result of canonicalization.
pub struct Canonical {
    /// Domain types, in declaration order.
    pub types: Vec<TypeDef>,
    /// Surviving other definitions.
    pub shapes: Vec<TypeDef>,
    /// Per definition index: its representative.
    rep: Vec<usize>,
    /// Per representative: its final id.
    final_id: Vec<String>,
    /// Expansions that disagree with their definition.
    pub mismatches: Vec<LowerError>,
}

impl Canonical {
    /// Replaces a temporary id of [`Lowerer::public_field`] or [`Lowerer::public_ty`] by the
    /// final one.
    pub fn rename_id(&self, id: &mut String) {
        let index = id.strip_prefix('#').and_then(|i| i.parse::<usize>().ok());
        let rep = index.and_then(|i| self.rep.get(i));
        if let Some(new) = rep.and_then(|&r| self.final_id.get(r)) {
            id.clone_from(new);
        }
    }
}

impl Lowerer<'_> {
    /// Merges structurally identical definitions and assigns final ids.
    pub fn canonicalize(self) -> Canonical {
        let n = self.defs.len();
        let (full, structural) = Numbering::run(&self.defs);

        let mismatches: Vec<LowerError> = self
            .pending
            .iter()
            .filter(|p| structural[p.expansion] != structural[p.def])
            .map(|p| LowerError {
                offset: p.offset,
                place: p.place.clone(),
                message: format!(
                    "the expansion printed here differs from the definition of `{}`",
                    self.defs[p.def].name.unwrap_or_default()
                ),
            })
            .collect();

        // The representative of each number: the first domain type, else the first definition.
        let numbers = full.iter().max().map_or(0, |&m| m + 1);
        let mut rep_of_number: Vec<Option<usize>> = vec![None; numbers];
        for (i, def) in self.defs.iter().enumerate() {
            let entry = rep_of_number[full[i]].get_or_insert(i);
            let current = &self.defs[*entry];
            if current.origin != Origin::Domain && def.origin == Origin::Domain {
                *entry = i;
            }
        }
        let rep: Vec<usize> = (0..n)
            .map(|i| rep_of_number[full[i]].unwrap_or(i))
            .collect();
        let final_id = final_ids(&self.defs, &rep);

        let mut merged = self.defs;
        // An expansion that matches its definition may still know more (the page's constraints).
        for p in &self.pending {
            if has_constraints(&merged[p.expansion].body) {
                let body = merged[p.expansion].body.clone();
                merge_constraints(&mut merged[p.def].body, &body);
            }
        }
        for i in 0..n {
            let r = rep[i];
            if r == i {
                continue;
            }
            let used = std::mem::take(&mut merged[i].used_at);
            let description = std::mem::take(&mut merged[i].description);
            let body = std::mem::replace(&mut merged[i].body, LBody::Enum(Vec::new()));
            let target = &mut merged[r];
            target.used_at.extend(used);
            merge_constraints(&mut target.body, &body);
            if target.description.is_empty() && !description.is_empty() {
                target.description = description;
            }
            merged[i].body = body;
        }
        let id_of = |i: usize| final_id[rep[i]].clone();
        let mut types = Vec::new();
        let mut shapes = Vec::new();
        for (i, mut def) in merged.into_iter().enumerate() {
            let (is_domain, is_rep) = (def.origin == Origin::Domain, rep[i] == i);
            if !is_domain && !is_rep {
                continue;
            }
            def.used_at.sort();
            def.used_at.dedup();
            let out = TypeDef {
                id: def.id.take().unwrap_or_else(|| final_id[i].clone()),
                name: def.name.map(str::to_string),
                body: export_body(&def.body, &id_of),
                origin: def.origin,
                description: def.description.to_string(),
                resource: def.resource,
                same_shape_as: (is_domain && !is_rep).then(|| final_id[rep[i]].clone()),
                used_at: def.used_at,
            };
            if is_domain {
                types.push(out);
            } else {
                shapes.push(out);
            }
        }
        Canonical {
            types,
            shapes,
            rep,
            final_id,
            mismatches,
        }
    }
}

/// Final ids: domain ids stay; named shapes take their name when free; anonymous get `~k`.
/// Only representatives get one (`rep[i] == i`); the others are named by their representative.
fn final_ids(defs: &[Def<'_>], rep: &[usize]) -> Vec<String> {
    let mut final_id: Vec<String> = defs
        .iter()
        .map(|d| d.id.clone().unwrap_or_default())
        .collect();
    let mut taken: HashSet<String> = defs.iter().filter_map(|d| d.id.clone()).collect();
    let mut anonymous = 0;
    for (i, def) in defs.iter().enumerate() {
        if def.origin == Origin::Domain || rep[i] != i {
            continue;
        }
        final_id[i] = match def.name {
            Some(name) => {
                let mut candidate = name.to_string();
                let mut k = 2;
                while taken.contains(&candidate) {
                    candidate = format!("{name}~{k}");
                    k += 1;
                }
                candidate
            }
            None => {
                anonymous += 1;
                format!("~{anonymous}")
            }
        };
        taken.insert(final_id[i].clone());
    }
    final_id
}

/// One token of a definition's structural key. A body's key is its token sequence; two bodies
/// are identical exactly when their sequences are (every variable-length part is delimited).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Tok<'t> {
    Object,
    Enum,
    Alias,
    Union,
    End,
    Field(&'t str, bool),
    Alt(Option<&'t str>),
    Value(&'t str),
    Prim(u8),
    Literal(&'t str),
    Map,
    Array,
    Ref(usize),
}

/// What a number stands for.
#[derive(Debug, PartialEq, Eq, Hash)]
enum Key<'t> {
    /// A definition including its own name (named alternatives and references), or not.
    Full(Option<&'t str>, usize),
    /// A definition that contains itself, identified by its index, which ends the recursion.
    Cycle(usize),
    /// A body.
    Body(Vec<Tok<'t>>),
}

/// Hash-consing state: numbers per definition, computed bottom-up.
struct Numbering<'a, 't> {
    defs: &'a [Def<'t>],
    full: Vec<Option<usize>>,
    structural: Vec<Option<usize>>,
    table: HashMap<Key<'t>, usize, BuildHasherDefault<KeyHasher>>,
    in_progress: Vec<bool>,
}

/// The multiply-rotate hash of rustc's `FxHasher`, for the lowerer's tables: numbering keys are
/// many small tokens and names are looked up for every reference, for which the default SipHash
/// spends more than the rest; nothing here needs DoS resistance, and no result depends on a
/// table's order.
#[derive(Default)]
pub(super) struct KeyHasher(u64);

impl KeyHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl<'a, 't> Numbering<'a, 't> {
    /// The full and structural number of every definition.
    fn run(defs: &'a [Def<'t>]) -> (Vec<usize>, Vec<usize>) {
        let n = defs.len();
        let mut numbers = Numbering {
            defs,
            full: vec![None; n],
            structural: vec![None; n],
            table: HashMap::with_capacity_and_hasher(2 * n, Default::default()),
            in_progress: vec![false; n],
        };
        for i in 0..n {
            numbers.full(i);
        }
        let done = |v: Vec<Option<usize>>| v.into_iter().map(|x| x.unwrap_or(usize::MAX)).collect();
        (done(numbers.full), done(numbers.structural))
    }

    fn intern(&mut self, key: Key<'t>) -> usize {
        let next = self.table.len();
        *self.table.entry(key).or_insert(next)
    }

    /// The number including the definition's own name (for named alternatives and references).
    fn full(&mut self, i: usize) -> usize {
        if let Some(x) = self.full[i] {
            return x;
        }
        let structural = self.structural(i);
        let def = &self.defs[i];
        let name = match def.origin {
            Origin::Variant | Origin::Referenced => def.name,
            _ => None,
        };
        let x = self.intern(Key::Full(name, structural));
        self.full[i] = Some(x);
        x
    }

    /// The number of the body alone.
    fn structural(&mut self, i: usize) -> usize {
        if let Some(x) = self.structural[i] {
            return x;
        }
        if self.in_progress[i] {
            return self.intern(Key::Cycle(i));
        }
        self.in_progress[i] = true;
        let defs = self.defs;
        let mut key = Vec::with_capacity(key_len(&defs[i].body));
        match &defs[i].body {
            LBody::Object(fields) => {
                key.push(Tok::Object);
                for f in fields {
                    key.push(Tok::Field(f.name, f.required));
                    self.ty_key(&f.ty, &mut key);
                }
            }
            LBody::Enum(values) => {
                key.push(Tok::Enum);
                key.extend(values.iter().map(|v| Tok::Value(v)));
            }
            LBody::Alias(target) => {
                key.push(Tok::Alias);
                self.ty_key(target, &mut key);
            }
            LBody::Union(alternatives) => {
                key.push(Tok::Union);
                for (name, ty) in alternatives {
                    key.push(Tok::Alt(*name));
                    self.ty_key(ty, &mut key);
                }
            }
        }
        key.push(Tok::End);
        self.in_progress[i] = false;
        let x = self.intern(Key::Body(key));
        self.structural[i] = Some(x);
        x
    }

    fn ty_key(&mut self, ty: &LTy<'t>, out: &mut Vec<Tok<'t>>) {
        match ty {
            LTy::String => out.push(Tok::Prim(b's')),
            LTy::Number => out.push(Tok::Prim(b'n')),
            LTy::Boolean => out.push(Tok::Prim(b'b')),
            LTy::Unknown => out.push(Tok::Prim(b'u')),
            LTy::True => out.push(Tok::Prim(b't')),
            LTy::Literal(value) => out.push(Tok::Literal(value)),
            LTy::Map => out.push(Tok::Map),
            LTy::Array(items) => {
                out.push(Tok::Array);
                self.ty_key(items, out);
            }
            LTy::Ref(j) => {
                let x = self.full(*j);
                out.push(Tok::Ref(x));
            }
        }
    }
}

/// About how many tokens a body's key takes (exact unless arrays nest), so it is built without
/// growing.
fn key_len(body: &LBody<'_>) -> usize {
    let parts = match body {
        LBody::Object(fields) => fields.len(),
        LBody::Enum(values) => values.len(),
        LBody::Alias(_) => 1,
        LBody::Union(alternatives) => alternatives.len(),
    };
    2 * parts + 2
}

fn has_constraints(body: &LBody<'_>) -> bool {
    matches!(body, LBody::Object(fields) if fields.iter().any(|f| !f.constraints.is_empty()))
}

fn merge_constraints<'t>(target: &mut LBody<'t>, other: &LBody<'t>) {
    if let (LBody::Object(a), LBody::Object(b)) = (target, other) {
        for (fa, fb) in a.iter_mut().zip(b) {
            for &c in &fb.constraints {
                if !fa.constraints.contains(&c) {
                    fa.constraints.push(c);
                }
            }
            if fa.description.is_empty() && !fb.description.is_empty() {
                fa.description = fb.description;
            }
        }
    }
}
