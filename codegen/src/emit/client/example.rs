//! Prints an operation's example (planned in `plan::docs`) as the lines of a `no_run` doctest:
//! a function that takes the client (hidden, unless it also takes a value the reference gives no
//! example for: then it is shown, so the reader sees where that value comes from), the `use`
//! lines the visible code needs, the bindings, the call and what is done with its result, laid
//! out the way rustfmt would.

use std::collections::BTreeSet;

use crate::plan::RustTy;
use crate::plan::docs::{ExampleArg, ExamplePlan, ExampleValue, Outcome, Read, SetterValue};

/// The widest an expression is written on one line before it is broken up, in columns of the
/// example's code (the doc comment's indentation comes on top).
const INLINE: usize = 72;

/// The names the visible code uses, for its `use` lines.
#[derive(Default)]
struct Uses {
    root: BTreeSet<String>,
    types: BTreeSet<String>,
}

/// The example's lines, fences included.
pub(super) fn lines(call: &str, ex: &ExamplePlan) -> Vec<String> {
    let mut uses = Uses::default();
    let mut code = Vec::new();
    for (name, value) in &ex.bindings {
        if name == "body" {
            if let Some(note) = &ex.body_note {
                code.extend(comment(note, ""));
            }
        }
        let value = expr(value, &mut uses);
        code.extend(statement(&format!("let {name} = "), &value, ";"));
    }
    let chain = chain(call, ex, &mut uses);
    outcome(&ex.outcome, &chain, &mut uses, &mut code);
    let names = |set: &BTreeSet<String>| set.iter().cloned().collect::<Vec<_>>().join(", ");
    let mut use_lines = Vec::new();
    match uses.types.len() {
        0 => {}
        1 => use_lines.push(format!("use magic_api::types::{};", names(&uses.types))),
        _ => use_lines.push(format!("use magic_api::types::{{{}}};", names(&uses.types))),
    }
    match uses.root.len() {
        0 => {}
        1 => use_lines.push(format!("use magic_api::{};", names(&uses.root))),
        _ => use_lines.push(format!("use magic_api::{{{}}};", names(&uses.root))),
    }
    let mut out = vec!["```no_run".to_string()];
    if !use_lines.is_empty() {
        out.extend(use_lines);
        out.push(String::new());
    }
    // The function is hidden, unless it takes values the reference gives no example for: then
    // it is shown, so that the example says where each comes from and compiles as copied.
    let (hide, indent) = if ex.inputs.is_empty() {
        ("# ", "")
    } else {
        ("", "    ")
    };
    let inputs: String = ex
        .inputs
        .iter()
        .map(|(name, ty)| format!(", {name}: {}", input_ty(ty)))
        .collect();
    let head = format!(
        "async fn example(client: &magic_api::Client{inputs}) -> Result<(), magic_api::Error> {{"
    );
    if head.len() <= INLINE + 16 {
        out.push(format!("{hide}{head}"));
    } else {
        out.push(format!("{hide}async fn example("));
        out.push(format!("{hide}    client: &magic_api::Client,"));
        for (name, ty) in &ex.inputs {
            out.push(format!("{hide}    {name}: {},", input_ty(ty)));
        }
        out.push(format!("{hide}) -> Result<(), magic_api::Error> {{"));
    }
    out.extend(code.into_iter().map(|line| {
        if line.is_empty() {
            line
        } else {
            format!("{indent}{line}")
        }
    }));
    out.extend([
        format!("{hide}{indent}Ok(())"),
        format!("{hide}}}"),
        "```".into(),
    ]);
    out
}

/// How an input the example's caller gives is typed in the function's signature.
fn input_ty(ty: &RustTy) -> String {
    match ty {
        RustTy::I64 | RustTy::Number => "i64".into(),
        RustTy::Bool => "bool".into(),
        RustTy::Id(id) => format!("magic_api::{id}"),
        _ => "String".into(),
    }
}

/// The call: the client, the handles, the method and its arguments, the setters; each part on a
/// line of its own when the whole does not fit on one.
fn chain(call: &str, ex: &ExamplePlan, uses: &mut Uses) -> Vec<String> {
    let args: Vec<String> = ex
        .args
        .iter()
        .map(|a| match a {
            ExampleArg::Borrow(name) => format!("&{name}"),
            ExampleArg::Value(v) => expr(v, uses).join(" "),
        })
        .collect();
    let mut parts: Vec<String> = Vec::new();
    let segments: Vec<&str> = call.split('.').collect();
    for (i, segment) in segments.iter().enumerate() {
        if i + 1 == segments.len() {
            parts.push(format!("{segment}({})", args.join(", ")));
        } else {
            parts.push(segment.to_string());
        }
    }
    for s in &ex.setters {
        parts.push(format!("{}({})", s.setter, expr(&s.value, uses).join(" ")));
    }
    let mut out = vec!["client".to_string()];
    out.extend(parts);
    out
}

/// The call's parts as lines, with `suffix` (`.await?`, `.stream()`) as its last part; `head`
/// is what the statement puts before it.
fn chained(head: &str, chain: &[String], suffix: &str) -> Vec<String> {
    let one = format!("{}.{suffix}", chain.join("."));
    if head.len() + one.len() <= INLINE + 8 {
        return vec![one];
    }
    let mut out = vec![chain[0].clone()];
    out.extend(chain[1..].iter().map(|p| format!("    .{p}")));
    out.push(format!("    .{suffix}"));
    out
}

fn outcome(outcome: &Outcome, chain: &[String], uses: &mut Uses, code: &mut Vec<String>) {
    match outcome {
        Outcome::Done => code.extend(statement("", &chained("", chain, "await?"), ";")),
        Outcome::Json { name, read } => {
            let head = format!("let {name} = ");
            code.extend(statement(&head, &chained(&head, chain, "await?"), ";"));
            code.extend(read_lines(read, name, ""));
        }
        Outcome::Deleted { name, read } => {
            let head = format!("if let Some({name}) = ");
            let call = chained(&format!("{head} {{"), chain, "await?");
            if call.len() == 1 {
                code.push(format!("{head}{} {{", call[0]));
            } else {
                code.extend(statement(&head, &call, ""));
                code.push("{".into());
            }
            code.extend(read_lines(read, name, "    "));
            code.push("}".into());
        }
        Outcome::Stream { stream, item, read } => {
            uses.root.insert("StreamExt".into());
            let head = format!("let mut {stream} = ");
            code.extend(statement(&head, &chained(&head, chain, "stream()"), ";"));
            code.push(format!("while let Some({item}) = {stream}.next().await {{"));
            code.push(format!("    let {item} = {item}?;"));
            code.extend(read_lines(read, item, "    "));
            code.push("}".into());
        }
        Outcome::Download { file } => {
            let head = "let download = ";
            code.extend(statement(head, &chained(head, chain, "await?"), ";"));
            code.push(format!(
                "let bytes = download.write_to_file({file:?}).await?;"
            ));
            code.push(format!("println!(\"{{bytes}} bytes written to {file}\");"));
        }
    }
}

/// A read of `subject`, at `indent`.
fn read_lines(read: &Read, subject: &str, indent: &str) -> Vec<String> {
    match read {
        Read::Field { field, display } => {
            let format = if *display { "{}" } else { "{:?}" };
            vec![format!(
                "{indent}println!(\"{format}\", {subject}.{field});"
            )]
        }
        Read::Accessor { method } => {
            vec![format!(
                "{indent}println!(\"{{:?}}\", {subject}.{method}());"
            )]
        }
        Read::Debug => vec![format!("{indent}println!(\"{{:?}}\", {subject});")],
        Read::Kind => vec![format!("{indent}println!(\"{{}}\", {subject}.kind());")],
        Read::Secret { field, required } => {
            let note = format!("{indent}// A `Secret` never prints; `expose()` reads it.");
            if *required {
                vec![
                    note,
                    format!("{indent}let {field}: &str = {subject}.{field}.expose();"),
                ]
            } else {
                vec![
                    format!("{indent}if let Some({field}) = &{subject}.{field} {{"),
                    format!("    {note}"),
                    format!("{indent}    let {field}: &str = {field}.expose();"),
                    format!("{indent}}}"),
                ]
            }
        }
        Read::Each { field, item, read } => {
            let list = match field {
                None => format!("&{subject}"),
                Some((f, true)) => format!("&{subject}.{f}"),
                Some((f, false)) => format!("{subject}.{f}.iter().flatten()"),
            };
            let mut out = vec![format!("{indent}for {item} in {list} {{")];
            out.extend(read_lines(read, item, &format!("{indent}    ")));
            out.push(format!("{indent}}}"));
            out
        }
        Read::Within {
            field,
            required: true,
            read,
            ..
        } => read_lines(read, &format!("{subject}.{field}"), indent),
        Read::Within {
            field, name, read, ..
        } => {
            let mut out = vec![format!(
                "{indent}if let Some({name}) = &{subject}.{field} {{"
            )];
            out.extend(read_lines(read, name, &format!("{indent}    ")));
            out.push(format!("{indent}}}"));
            out
        }
    }
}

/// `head` + the expression's lines + `tail`, the expression's further lines as they are.
fn statement(head: &str, lines: &[String], tail: &str) -> Vec<String> {
    let mut out: Vec<String> = lines.to_vec();
    if let Some(first) = out.first_mut() {
        *first = format!("{head}{first}");
    }
    if let Some(last) = out.last_mut() {
        last.push_str(tail);
    }
    out
}

/// A comment, wrapped, at `indent`.
fn comment(text: &str, indent: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > INLINE {
            out.push(format!("{indent}// {line}"));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push(format!("{indent}// {line}"));
    }
    out
}

/// A value as Rust code: one line, or several whose further lines are indented relative to the
/// first (as rustfmt lays out a builder chain).
fn expr(value: &ExampleValue, uses: &mut Uses) -> Vec<String> {
    match value {
        ExampleValue::Str(s) => vec![format!("{s:?}")],
        ExampleValue::Owned(s) => vec![format!("{s:?}.to_owned()")],
        ExampleValue::Id { ty, value } => {
            uses.root.insert(ty.clone());
            vec![format!("{ty}::from({value:?})")]
        }
        ExampleValue::Int(n) => vec![n.to_string()],
        ExampleValue::Bool(b) => vec![b.to_string()],
        ExampleValue::Input(name) => vec![name.clone()],
        ExampleValue::Null => {
            uses.root.insert("Nullable".into());
            vec!["Nullable::Null".into()]
        }
        ExampleValue::Json(json) => vec![format!("serde_json::json!({json})")],
        ExampleValue::Enum { ty, variant } => {
            uses.types.insert(ty.clone());
            vec![format!("{ty}::{variant}")]
        }
        ExampleValue::Variant {
            union,
            variant,
            value,
        } => {
            uses.types.insert(union.clone());
            let inner = expr(value, uses);
            wrapped(&format!("{union}::{variant}("), &inner, ")")
        }
        ExampleValue::List(items) => {
            let items: Vec<Vec<String>> = items.iter().map(|i| expr(i, uses)).collect();
            let one = items
                .iter()
                .map(|i| i.join(" "))
                .collect::<Vec<_>>()
                .join(", ");
            if items.iter().all(|i| i.len() == 1) && one.len() <= INLINE {
                return vec![format!("[{one}]")];
            }
            let mut out = vec!["[".to_string()];
            for item in items {
                out.extend(statement("", &indented(&item, "    "), ","));
            }
            out.push("]".into());
            out
        }
        ExampleValue::Builder { ty, setters } => builder(ty, setters, uses),
    }
}

fn builder(ty: &str, setters: &[SetterValue], uses: &mut Uses) -> Vec<String> {
    uses.types.insert(ty.to_string());
    let head = format!("{ty}::builder()");
    let parts: Vec<(&SetterValue, Vec<String>)> =
        setters.iter().map(|s| (s, expr(&s.value, uses))).collect();
    let simple = parts.iter().all(|(s, v)| s.note.is_none() && v.len() == 1);
    let one: String = parts
        .iter()
        .map(|(s, v)| format!(".{}({})", s.setter, v.join(" ")))
        .collect();
    let one = format!("{head}{one}.build()");
    if simple && parts.len() <= 2 && one.len() <= INLINE {
        return vec![one];
    }
    let mut out = vec![head];
    for (s, value) in parts {
        if let Some(note) = &s.note {
            out.extend(comment(note, "    "));
        }
        out.extend(indented(
            &wrapped(&format!(".{}(", s.setter), &value, ")"),
            "    ",
        ));
    }
    out.push("    .build()".into());
    out
}

/// `open` + the lines + `close`: on one line if the value is, else the value on lines of its
/// own, indented, with a trailing comma (`.target(\n    X::builder()…\n        .build(),\n)`).
fn wrapped(open: &str, inner: &[String], close: &str) -> Vec<String> {
    if let [one] = inner {
        return vec![format!("{open}{one}{close}")];
    }
    // A list keeps its brackets on the lines of the parentheses: `.routes([` … `])`.
    if let [first, middle @ .., last] = inner {
        if first == "[" && last == "]" {
            let mut out = vec![format!("{open}[")];
            out.extend(middle.iter().cloned());
            out.push(format!("]{close}"));
            return out;
        }
    }
    let mut out = vec![open.to_string()];
    out.extend(statement("", &indented(inner, "    "), ","));
    out.push(close.to_string());
    out
}

fn indented(lines: &[String], by: &str) -> Vec<String> {
    lines.iter().map(|l| format!("{by}{l}")).collect()
}
