//! Reads the curl command of an operation's example: method, URL, headers and `-d` body.

/// What a curl example says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Curl {
    /// `-X` if given, else POST when a body is sent, else GET.
    pub method: String,
    /// The URL as written (with `$VARIABLES`).
    pub url: String,
    /// `-H` headers, name and value.
    pub headers: Vec<(String, String)>,
    /// The `-d` argument.
    pub data: Option<String>,
}

/// Splits a shell command into words, honouring single and double quotes and dropping lone
/// line-continuation backslashes (the reference flattens `\` + newline into ` \ `).
///
/// Quoted and unquoted runs are copied whole: a `-d` body is often a few kilobytes.
fn words(command: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut rest = command;
    while let Some(c) = rest.chars().next() {
        match c {
            '\'' | '"' => {
                in_word = true;
                let quoted = &rest[1..];
                let close = quoted
                    .find(c)
                    .ok_or_else(|| format!("unterminated {c} quote"))?;
                current.push_str(&quoted[..close]);
                rest = &quoted[close + 1..];
            }
            c if c.is_whitespace() => {
                if in_word && current != "\\" {
                    out.push(std::mem::take(&mut current));
                }
                current.clear();
                in_word = false;
                rest = &rest[c.len_utf8()..];
            }
            _ => {
                in_word = true;
                let end = rest
                    .find(|ch: char| ch.is_whitespace() || ch == '\'' || ch == '"')
                    .unwrap_or(rest.len());
                current.push_str(&rest[..end]);
                rest = &rest[end..];
            }
        }
    }
    if in_word && current != "\\" {
        out.push(current);
    }
    Ok(out)
}

/// Parses a curl command line.
pub fn parse_curl(command: &str) -> Result<Curl, String> {
    let words = words(command)?;
    let mut it = words.into_iter();
    if it.next().as_deref() != Some("curl") {
        return Err("example does not start with `curl`".into());
    }
    let mut method = None;
    let mut url = None;
    let mut headers = Vec::new();
    let mut data = None;
    while let Some(w) = it.next() {
        match w.as_str() {
            "-X" | "--request" => method = Some(it.next().ok_or("`-X` without a method")?),
            "-H" | "--header" => {
                let h = it.next().ok_or("`-H` without a header")?;
                let (name, value) = h
                    .split_once(':')
                    .ok_or_else(|| format!("header `{h}` has no `:`"))?;
                headers.push((name.trim().to_string(), value.trim().to_string()));
            }
            "-d" | "--data" => data = Some(it.next().ok_or("`-d` without data")?),
            flag if flag.starts_with('-') => return Err(format!("unknown curl option `{flag}`")),
            _ if url.is_none() => url = Some(w),
            _ => return Err(format!("second URL `{w}`")),
        }
    }
    let method = method.unwrap_or_else(|| if data.is_some() { "POST" } else { "GET" }.to_string());
    Ok(Curl {
        method,
        url: url.ok_or("no URL")?,
        headers,
        data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flattened_curl() {
        let c = parse_curl(
            r#"curl https://x/v4/a/$ID \ -X PUT \ -H 'Content-Type: application/json' \ -H "Authorization: Bearer $T" \ -d '{"a": "b - c"}'"#,
        )
        .unwrap();
        assert_eq!(c.method, "PUT");
        assert_eq!(c.url, "https://x/v4/a/$ID");
        assert_eq!(c.headers.len(), 2);
        assert_eq!(c.data.as_deref(), Some(r#"{"a": "b - c"}"#));
        assert_eq!(parse_curl("curl u -d '{}'").unwrap().method, "POST");
        assert!(parse_curl("curl 'u").is_err());
    }

    #[test]
    fn quotes_join_runs_into_one_word() {
        assert_eq!(words(r#"a'b c'"d"e \ f\ \"#).unwrap(), ["ab cde", "f\\"]);
        assert_eq!(words("  x  ").unwrap(), ["x"]);
        assert!(words(r#"a "b"#).is_err());
    }
}
