//! Every operation is reachable with its documented example and with all its declared
//! parameters; routing prefers literal segments to parameters and compounds, checks numeric
//! path parameters by kind, and refuses unknown paths and methods.

use magic_api::reqwest::Method;
use magic_api::{PathBuilder, RawRequest};
use magic_api_mock::code;
use magic_api_model::{ParamLocation, Segment, Ty};
use serde_json::Value;

use crate::support::{
    assert_documented_answer, assert_routed, build, client, expect_rejection, find_op, method,
    minimal, ops, param_ty, path_param_is, path_with, sample, sample_path, send, start,
};

#[tokio::test]
async fn every_operation_round_trips_its_documented_example() {
    let mock = start().await;
    let client = client(&mock);
    let mut done = 0;
    for (index, op) in ops().iter().enumerate() {
        let built = build(op, false);
        let answer = send(&client, op, built.req.clone())
            .await
            .unwrap_or_else(|e| panic!("#{index} {} {}: {e}", op.method.as_str(), op.path));
        assert_routed(&mock, index, &built);
        assert_documented_answer(index, op, &answer);
        done += 1;
    }
    assert_eq!(done, 79);
    assert_eq!(mock.count(), 79);
    let routed: std::collections::BTreeSet<usize> =
        mock.requests().iter().filter_map(|r| r.operation).collect();
    assert_eq!(routed.len(), 79, "every operation was reached exactly once");
}

#[tokio::test]
async fn every_operation_accepts_all_its_declared_parameters() {
    let mock = start().await;
    let client = client(&mock);
    let mut with_query = 0;
    let mut with_header = 0;
    for (index, op) in ops().iter().enumerate() {
        let built = build(op, true);
        with_query += usize::from(!built.query.is_empty());
        with_header += usize::from(!built.headers.is_empty());
        let answer = send(&client, op, built.req.clone())
            .await
            .unwrap_or_else(|e| panic!("#{index} {} {}: {e}", op.method.as_str(), op.path));
        assert_routed(&mock, index, &built);
        assert_documented_answer(index, op, &answer);
    }
    assert_eq!(mock.count(), 79);
    assert!(
        with_query > 0 && with_header > 0,
        "{with_query} / {with_header}"
    );
}

#[tokio::test]
async fn bodies_with_only_the_required_fields_are_accepted() {
    let mock = start().await;
    let client = client(&mock);
    let mut sent = 0;
    for (index, op) in ops().iter().enumerate() {
        let Some(body) = &op.body else { continue };
        let value = minimal(&body.ty, 0);
        let built = build(op, false);
        let req = built.req.json_body(&value).unwrap();
        send(&client, op, req)
            .await
            .unwrap_or_else(|e| panic!("#{index} {}: {value}: {e}", op.path));
        let rec = mock.last_request().unwrap();
        assert_eq!((rec.operation, rec.rejection), (Some(index), None));
        sent += 1;
    }
    assert_eq!(sent, ops().iter().filter(|o| o.body.is_some()).count());
    assert!(sent > 0);
}

// ---------------------------------------------------------------------------------------
// Routing

/// Pairs `(literal, parametric)` of operations with the same method whose templates differ
/// only where one has a literal segment and the other a parameter.
fn literal_vs_param_pairs() -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    for (a, lit) in ops().iter().enumerate() {
        for (b, par) in ops().iter().enumerate() {
            if lit.method != par.method || lit.segments.len() != par.segments.len() {
                continue;
            }
            let diffs: Vec<usize> = (0..lit.segments.len())
                .filter(|&i| lit.segments[i] != par.segments[i])
                .collect();
            let [at] = diffs[..] else { continue };
            if matches!(lit.segments[at], Segment::Literal { .. })
                && !matches!(par.segments[at], Segment::Literal { .. })
            {
                out.push((a, b, at));
            }
        }
    }
    out
}

#[tokio::test]
async fn literal_segments_beat_parameters_and_compounds() {
    let pairs = literal_vs_param_pairs();
    // events/latest vs events/{event_t}.{event_n}, snapshots/latest vs snapshots/{t}, ...
    assert!(pairs.len() >= 2, "{pairs:?}");
    let mock = start().await;
    let client = client(&mock);
    for (lit, _, _) in &pairs {
        let built = build(&ops()[*lit], false);
        send(&client, &ops()[*lit], built.req.clone())
            .await
            .unwrap();
        assert_routed(&mock, *lit, &built);
    }
    // Each of those paths is also a valid instance of the parametric template (the literal's
    // text is a fine value for its parameter, or splits like its compound would want), and
    // the parametric operations are reached with their own sample values: it is specificity,
    // not luck, that decides.
    for (_, par, _) in &pairs {
        let built = build(&ops()[*par], false);
        send(&client, &ops()[*par], built.req.clone())
            .await
            .unwrap();
        assert_routed(&mock, *par, &built);
    }
}

#[tokio::test]
async fn numeric_path_parameters_are_checked_by_kind() {
    let mock = start().await;
    let client = client(&mock);
    // A whole-segment number parameter (snapshots/{snapshot_t}): any JSON number, as written.
    let (index, op) = find_op(|op| {
        op.segments
            .iter()
            .any(|s| path_param_is(op, s, &Ty::Number))
    });
    let number_param = op
        .segments
        .iter()
        .find_map(|s| match s {
            Segment::Param { name } if *param_ty(op, ParamLocation::Path, name) == Ty::Number => {
                Some(name.clone())
            }
            _ => None,
        })
        .unwrap();
    for bad in ["+1", "0x10", "12a", "1e", "inf", "NaN"] {
        let (path, _) = path_with(op, |name, ty| {
            if *name == number_param {
                bad.into()
            } else {
                sample(ty, name)
            }
        });
        let req = RawRequest::new(method(op), path.unwrap());
        let r = expect_rejection(&mock, &client, req, 400, code::PATH_PARAM).await;
        assert!(
            r.message.contains(&number_param) && r.message.contains(bad),
            "{}",
            r.message
        );
        assert_eq!(mock.last_request().unwrap().operation, Some(index));
    }
    for good in ["0", "-5", "1700000000", "1700000000.25", "1.7e9"] {
        let (path, params) = path_with(op, |name, ty| {
            if *name == number_param {
                good.into()
            } else {
                sample(ty, name)
            }
        });
        client
            .send_json::<Value>(RawRequest::new(method(op), path.unwrap()))
            .await
            .unwrap();
        assert_eq!(mock.last_request().unwrap().path_params, params);
    }

    // A compound segment ({event_t}.{event_n}): a number, a dot, a number (the reference types
    // both `number`; the client's `[integers]` refinement of `event_n` does not make the server
    // stricter). Each number keeps its own dot: the split is the one whose pieces are numbers.
    let (index, op) = find_op(|op| {
        op.segments
            .iter()
            .any(|s| matches!(s, Segment::Compound { .. }))
    });
    let compound_at = op
        .segments
        .iter()
        .position(|s| matches!(s, Segment::Compound { .. }))
        .unwrap();
    let with_compound = |raw: &str| {
        let mut b = PathBuilder::new();
        for (i, s) in op.segments.iter().enumerate() {
            b = match s {
                Segment::Literal { text } => b.segment(text),
                Segment::Param { name } => {
                    b.param(sample(param_ty(op, ParamLocation::Path, name), name))
                }
                Segment::Compound { .. } => {
                    assert_eq!(i, compound_at);
                    b.param(raw)
                }
            };
        }
        RawRequest::new(method(op), b.build().unwrap())
    };
    for (raw, want) in [
        ("1.0", ["1", "0"]),
        ("1700000000.25.3", ["1700000000.25", "3"]),
        ("1.2.3.4", ["1.2", "3.4"]),
    ] {
        client.send_json::<Value>(with_compound(raw)).await.unwrap();
        let rec = mock.last_request().unwrap();
        assert_eq!(rec.operation, Some(index));
        let parts: Vec<&str> = rec.path_params[rec.path_params.len() - 2..]
            .iter()
            .map(|(_, v)| v.as_str())
            .collect();
        assert_eq!(parts, want);
    }
    let r = expect_rejection(&mock, &client, with_compound("1.x"), 400, code::PATH_PARAM).await;
    assert!(r.message.contains("`x`"), "{}", r.message);
    let r = expect_rejection(
        &mock,
        &client,
        with_compound("1.2.3.4.5"),
        400,
        code::PATH_PARAM,
    )
    .await;
    assert!(r.message.contains("`1.2.3.4`"), "{}", r.message);
    expect_rejection(&mock, &client, with_compound("1e3"), 404, code::NO_ROUTE).await;
    expect_rejection(&mock, &client, with_compound(".1"), 404, code::NO_ROUTE).await;
}

#[tokio::test]
async fn unknown_paths_and_methods() {
    let mock = start().await;
    let client = client(&mock);
    let r = expect_rejection(
        &mock,
        &client,
        RawRequest::new(Method::GET, "/no/such/thing"),
        404,
        code::NO_ROUTE,
    )
    .await;
    assert!(r.message.contains("/no/such/thing"), "{}", r.message);
    // One segment more than the longest template, one less than the shortest.
    let longest = ops().iter().max_by_key(|o| o.segments.len()).unwrap();
    let shortest = ops().iter().min_by_key(|o| o.segments.len()).unwrap();
    let (long, _) = sample_path(longest);
    let (short, _) = sample_path(shortest);
    for (op, path) in [
        (longest, format!("{long}/extra")),
        (shortest, short.rsplit_once('/').unwrap().0.to_owned()),
    ] {
        expect_rejection(
            &mock,
            &client,
            RawRequest::new(method(op), path),
            404,
            code::NO_ROUTE,
        )
        .await;
    }
    // A template with an operation, but not for this method.
    let methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];
    let (_, op) = find_op(|op| {
        let on_path: Vec<&str> = ops()
            .iter()
            .filter(|o| o.path == op.path)
            .map(|o| o.method.as_str())
            .collect();
        methods.iter().any(|m| !on_path.contains(m))
    });
    let on_path: Vec<&str> = ops()
        .iter()
        .filter(|o| o.path == op.path)
        .map(|o| o.method.as_str())
        .collect();
    let other = methods.iter().find(|m| !on_path.contains(m)).unwrap();
    let (path, _) = sample_path(op);
    let req = RawRequest::new(Method::from_bytes(other.as_bytes()).unwrap(), path);
    let r = expect_rejection(&mock, &client, req, 405, code::METHOD).await;
    assert!(r.message.contains(&op.path), "{}", r.message);
    let allow = r.headers.iter().find(|(n, _)| n == "allow").unwrap();
    for m in &on_path {
        assert!(allow.1.contains(m), "{allow:?}");
    }
}
