//! The Magic Transit API reference as data: the intermediate representation that `codegen`
//! builds from the published reference and checks, and that the generated client and the mock
//! are both made from. Plain, serializable data, independent of both the input format and the
//! emitted Rust:
//!
//! - [`Ir::types`] holds the domain types, in document order.
//! - [`Ir::shapes`] holds every other type definition a field reaches: named union alternatives
//!   (`MagicHealthCheckTarget`, the event kinds), types named only by a page (`ResponseInfo`),
//!   inline enums and unions, and anonymous objects. Structurally identical shapes are stored once
//!   ([`TypeDef::used_at`] lists every place), and an anonymous shape identical to a domain type is
//!   that domain type.
//! - A [`Ty::Ref`] names a definition in either table by its unique [`TypeDef::id`].
//!
//! The mock (`magic-api-mock`) reads a serialized copy of it that `cargo xtask regenerate`
//! writes, so it needs neither the generator nor the documents at run time.

#![deny(missing_docs)]

mod defs;
mod method;
mod role;
pub mod store;
mod validate;

pub use defs::Defs;
pub use method::Method;
pub use role::Role;
pub use validate::{ValueError, check_value};

use serde::{Deserialize, Serialize};

/// The whole API.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Ir {
    /// The base URL every curl example uses (`https://api.cloudflare.com/client/v4`).
    pub base_url: String,
    /// Every operation, in document order.
    pub operations: Vec<Operation>,
    /// The domain types, in document order.
    pub types: Vec<TypeDef>,
    /// All other type definitions, in order of first use.
    pub shapes: Vec<TypeDef>,
    /// The resource tree rebuilt from the paths (roots only; children nested).
    pub resources: Vec<Resource>,
    /// Authentication schemes every operation accepts.
    pub auth: Vec<AuthScheme>,
    /// Rust names that `spec/refinements.toml` `[names]` gives machine-made reference names: key
    /// (a reference name, or `Type.field` for an unnamed shape) -> name. The emitter's naming
    /// applies them and reports a key that names nothing.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub renames: std::collections::BTreeMap<String, String>,
    /// Names the crate gave types before the reference renamed them, kept as deprecated
    /// aliases (`spec/refinements.toml` `[kept_names]`): old Rust name -> the type's Rust name.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub kept_names: std::collections::BTreeMap<String, String>,
    /// What the stateful mock knows about the API's data (see [`store`]).
    #[serde(default)]
    pub store: store::Model,
}

impl Ir {
    /// An index of every definition by id, for checks and emitters.
    pub fn defs(&self) -> Defs<'_> {
        Defs::new(self.types.iter().chain(&self.shapes))
    }

    /// Looks a definition up by id in either table.
    pub fn def(&self, id: &str) -> Option<&TypeDef> {
        self.types.iter().chain(&self.shapes).find(|t| t.id == id)
    }

    /// Looks an operation up by method and path template.
    pub fn operation(&self, method: Method, path: &str) -> Option<&Operation> {
        self.operations
            .iter()
            .find(|o| o.method == method && o.path == path)
    }
}

/// A type expression used by a field, parameter, body or result.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Ty {
    /// A JSON string.
    String,
    /// A JSON number: any number JSON can write, integral or not (the documents only say
    /// `number`).
    Number,
    /// A whole number: a `number` that a reviewed `[integers]` entry of `spec/refinements.toml`
    /// says holds whole numbers only.
    Integer,
    /// A JSON boolean.
    Boolean,
    /// Any JSON value.
    Unknown,
    /// Exactly `true`.
    True,
    /// Exactly this string.
    Literal {
        /// The literal value.
        value: String,
    },
    /// A JSON object with free keys (`map[string]`).
    Map {
        /// The values' type.
        values: Box<Ty>,
    },
    /// A JSON array.
    Array {
        /// The items' type.
        items: Box<Ty>,
    },
    /// A definition in [`Ir::types`] or [`Ir::shapes`].
    Ref {
        /// The definition's id.
        id: String,
    },
}

/// Where a definition comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// A `###` entry under `## Domain Types`.
    Domain,
    /// Named by a union-alternative bullet (`MagicHealthCheckTarget { ... }`, `Init { k }`).
    Variant,
    /// Named only by references and a page's signature (`ResponseInfo`).
    Referenced,
    /// No name in the documents: an inline object, enum or union.
    Anonymous,
    /// Introduced by `spec/refinements.toml` (a tag enum).
    Refined,
}

/// One type definition.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TypeDef {
    /// Unique id: the documents' name where that is unique, else the name plus a disambiguator;
    /// anonymous shapes get `~` and the first place they are used.
    pub id: String,
    /// The documents' name, if any (`GRETunnel...`, `Init`, `ResponseInfo`).
    pub name: Option<String>,
    /// What the definition is.
    #[serde(flatten)]
    pub body: TypeBody,
    /// Where it comes from.
    pub origin: Origin,
    /// The prose that introduces it (domain-type head or variant bullet).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// For domain types: the resource (dotted module path) whose `Domain Types` define it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// For domain types identical in shape to an earlier one: that one's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_shape_as: Option<String>,
    /// Every place the definition is used (section paths with field paths), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub used_at: Vec<String>,
}

/// The body of a definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TypeBody {
    /// An object with known fields.
    Object {
        /// Fields in document order.
        fields: Vec<Field>,
    },
    /// A set of string literals.
    Enum {
        /// The literals in document order.
        values: Vec<String>,
        /// True when the documents type the value as any string and only a refinement names the
        /// known values: other strings are valid too.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        open: bool,
    },
    /// Another name for a type (`Subnet = string`).
    Alias {
        /// The aliased type.
        target: Ty,
    },
    /// One of several alternatives.
    Union {
        /// The alternatives in document order.
        alternatives: Vec<Alternative>,
        /// How a decoder tells them apart.
        discrimination: Discrimination,
    },
}

impl TypeBody {
    /// `object`, `enum`, `alias`, `union`.
    pub fn kind(&self) -> &'static str {
        match self {
            TypeBody::Object { .. } => "object",
            TypeBody::Enum { .. } => "enum",
            TypeBody::Alias { .. } => "alias",
            TypeBody::Union { .. } => "union",
        }
    }
}

/// A field of an object, or a parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    /// The name on the wire.
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub ty: Ty,
    /// False when the documents say `optional`.
    pub required: bool,
    /// The documents' prose.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Constraints the page states (`maxLength 32`, `format date-time`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<Constraint>,
    /// True when the prose gives an explicit `null` a meaning of its own ("Null preserves
    /// default behavior"), decided by `spec/refinements.toml`'s `[nullable]` phrases: absent,
    /// `null` and a value are then three different requests.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nullable: bool,
    /// True for a secret (a pre-shared key, a licence key), decided by `spec/refinements.toml`'s
    /// `[secrets]` with its evidence: the client never prints its value (`Secret<T>`), though it
    /// still sends and reads it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub secret: bool,
    /// The type the reference itself gives the field, when a refinement narrowed
    /// [`ty`](Self::ty) for the client (an `[integers]` number, a `[[union_tags]]` tag): the
    /// client builds only what `ty` allows, but a server accepts whatever this allows, so the
    /// mock's copy of the IR checks requests against it. `None` when `ty` is the reference's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_ty: Option<Ty>,
}

/// A constraint on a value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Constraint {
    /// JSON-Schema keyword: `maxLength`, `minimum`, `format`, ...
    pub keyword: String,
    /// The value as written: `32`, `1000`, `date-time`.
    pub value: String,
}

/// One alternative of a union.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alternative {
    /// The variant bullet's name, if it had one (`Init`, `AccountApp`, `MagicHealthCheckTarget`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The alternative's type.
    #[serde(rename = "type")]
    pub ty: Ty,
}

/// How a decoder tells a union's alternatives apart. Strategies are tried in the order of the
/// variants below; the first that applies is recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "strategy", rename_all = "snake_case")]
pub enum Discrimination {
    /// 1. The alternatives have pairwise different JSON kinds (string vs object ...).
    JsonKind {
        /// Per alternative: `string`, `number`, `boolean`, `object`, `array`.
        kinds: Vec<String>,
    },
    /// 2. Every alternative is an object with a required field `field` whose type is one literal,
    ///    different for each alternative.
    Tag {
        /// The tag field (`k`).
        field: String,
        /// Per alternative: its literal.
        values: Vec<String>,
    },
    /// 3. Every alternative is an object with a required field no other alternative has.
    RequiredField {
        /// Per alternative: the field that identifies it.
        fields: Vec<String>,
    },
    /// 4. Overlapping objects: choose the alternative whose required fields are all present and
    ///    that knows the most of the input's keys; on a tie, the one declaring fewer fields.
    BestFit {
        /// Per alternative: its field names, for the decoder's scoring.
        fields: Vec<Vec<String>>,
    },
    /// None of the above: a decoder must try alternatives in order.
    Ordered,
}

impl Discrimination {
    /// The strategy's name as serialized.
    pub fn strategy(&self) -> &'static str {
        match self {
            Discrimination::JsonKind { .. } => "json_kind",
            Discrimination::Tag { .. } => "tag",
            Discrimination::RequiredField { .. } => "required_field",
            Discrimination::BestFit { .. } => "best_fit",
            Discrimination::Ordered => "ordered",
        }
    }
}

/// One path segment of a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Segment {
    /// A fixed segment.
    Literal {
        /// Its text.
        text: String,
    },
    /// A segment that is exactly one parameter.
    Param {
        /// The parameter's name.
        name: String,
    },
    /// A segment mixing parameters and literal text (`{event_t}.{event_n}`).
    Compound {
        /// Its parts in order.
        parts: Vec<Segment>,
    },
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamLocation {
    /// In the path.
    Path,
    /// In a header.
    Header,
    /// In the query string.
    Query,
}

/// A path, header or query parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Param {
    /// Where it goes.
    #[serde(rename = "in")]
    pub location: ParamLocation,
    /// Name and type, as for fields.
    #[serde(flatten)]
    pub field: Field,
    /// True when the parameter exists only in prose (`?validate_only=true`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub from_prose: bool,
}

/// The request body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Body {
    /// The body's type (an object, a union, or `unknown`).
    #[serde(rename = "type")]
    pub ty: Ty,
    /// The content type (`application/json`).
    pub content_type: String,
}

/// What an operation answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Response {
    /// The JSON envelope `{ success, errors, messages, result, result_info? }`.
    Envelope {
        /// The `result` field's type.
        result: Ty,
        /// Whether the envelope declares `result_info` (page-numbered lists).
        result_info: bool,
        /// The envelope's other fields, as declared (errors, messages, success ...).
        fields: Vec<Field>,
        /// How to fetch further pages, if the operation is a list.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pagination: Option<Pagination>,
    },
    /// A JSON body that is not an envelope (never seen; kept for completeness).
    Json {
        /// The body's type.
        #[serde(rename = "type")]
        ty: Ty,
    },
    /// A binary file.
    Binary {
        /// What the description says about it.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        note: String,
    },
    /// Nothing documented.
    None,
}

/// How a list operation pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Pagination {
    /// The result carries a cursor field echoed back as a query parameter.
    Cursor {
        /// The result's array field.
        items: String,
        /// The result's cursor field (also the query parameter's name).
        cursor: String,
    },
    /// The envelope's `result_info` counts pages.
    Pages {
        /// The page-number query parameter, from `spec/refinements.toml` `[pagination]` (the
        /// reference never declares one); without it the list cannot be streamed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        page: Option<String>,
    },
}

/// The examples of an operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Examples {
    /// The curl command, line continuations joined.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub curl: String,
    /// The body sent with `-d`, parsed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<serde_json::Value>,
    /// The JSON response example, parsed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<serde_json::Value>,
}

/// One API operation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Operation {
    /// HTTP method.
    pub method: Method,
    /// Path template as in the docs.
    pub path: String,
    /// The template split into segments.
    pub segments: Vec<Segment>,
    /// Heading title.
    pub title: String,
    /// The prose after the path.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The resource (dotted module path) the operation belongs to.
    pub resource: String,
    /// What it does to its resource (see [`Role`]).
    pub role: Role,
    /// The `#` heading it sits under.
    pub section: String,
    /// Path, header and query parameters (path ones in template order).
    pub params: Vec<Param>,
    /// The request body, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Body>,
    /// What it answers.
    pub response: Response,
    /// Names of the auth schemes it accepts.
    pub auth: Vec<String>,
    /// Permissions a token needs (at least one), where a page states them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub permissions: Vec<String>,
    /// The documented examples.
    pub examples: Examples,
    /// A header of this operation that says which form of a union the body carries, from
    /// `spec/refinements.toml` `[[form_headers]]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_header: Option<FormHeader>,
}

/// A boolean header that selects the form of a union (`x-magic-new-hc-target`): the client sets
/// it from the body, so the two cannot disagree, or offers a setter when there is no body. Read
/// from `spec/refinements.toml` `[[form_headers]]` and recorded on the operations declaring it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormHeader {
    /// The header's name.
    pub header: String,
    /// `Type.field`: the field whose union the header speaks about.
    pub union: String,
    /// `object` or `string`: the form the header's `true` selects.
    pub form: String,
    /// The call setter's name for operations without a body.
    pub method: String,
    /// Per operation that declares the header: every field path from its body to the union
    /// (resolved when the refinement is applied; empty without a body that holds the union).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<Vec<String>>,
}

impl Operation {
    /// Parameters of one location, in order.
    pub fn params_in(&self, location: ParamLocation) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(move |p| p.location == location)
    }

    /// Whether the call sends a fixed `{}` and takes no body: a `POST` whose untyped body the
    /// reference documents only as `{}` (`psk_generate`). Bulk updates (`PUT` on a collection,
    /// also documented with `{}`) keep their body: the API needs the objects there.
    pub fn sends_fixed_empty_body(&self) -> bool {
        self.method == Method::Post
            && self.body.as_ref().is_some_and(|b| b.ty == Ty::Unknown)
            && self
                .examples
                .request
                .as_ref()
                .and_then(|v| v.as_object())
                .is_some_and(|m| m.is_empty())
    }
}

/// A header an auth scheme sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthHeader {
    /// Header name (`Authorization`).
    pub name: String,
    /// A fixed word before the secret (`Bearer`), if the example shows one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
}

/// An authentication scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthScheme {
    /// The scheme's title (`API Token`).
    pub name: String,
    /// Its description.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The headers it sends, all required.
    pub headers: Vec<AuthHeader>,
}

/// A node of the resource tree.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Resource {
    /// Dotted module path (`sites.lans`): unique.
    pub id: String,
    /// Module name: the last literal segment of the common path prefix (`lans`).
    pub module: String,
    /// The `#` heading (`LANs`).
    pub title: String,
    /// The common path prefix of its operations, parameters trimmed from the end.
    pub path_prefix: String,
    /// Indices into [`Ir::operations`].
    pub operations: Vec<usize>,
    /// Ids of the domain types defined under this heading.
    pub types: Vec<String>,
    /// Sub-resources.
    pub children: Vec<Resource>,
}
