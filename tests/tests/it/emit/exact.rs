//! Nothing the server sends is changed on the way through: numbers keep every digit wherever
//! they sit (a union alternative, a field the crate does not know), and one field that does not
//! decode leaves the rest of a union value readable (issue 23, items 7 and 8).

use magic_api::types::{Pcap, PcapStatus, Site};

/// Decodes `text` as `T` and checks that re-encoding gives the same JSON text (each input is
/// written in the order the crate writes: declared fields, then the kept ones by name).
fn same_text<T: serde::de::DeserializeOwned + serde::Serialize>(text: &str) -> T {
    let value: T = serde_json::from_str(text).unwrap_or_else(|e| panic!("decode: {e}\n{text}"));
    assert_eq!(serde_json::to_string(&value).unwrap(), text);
    value
}

#[test]
fn a_large_integer_in_a_union_alternative_keeps_its_digits() {
    let pcap: Pcap = same_text(r#"{"id":"p","time_limit":123456789012345678901234567890}"#);
    assert!(matches!(pcap, Pcap::Simple(_)), "{pcap:?}");
    assert_eq!(
        pcap.time_limit().map(ToString::to_string).as_deref(),
        Some("123456789012345678901234567890")
    );
}

#[test]
fn unknown_fields_keep_their_digits_and_spelling() {
    let site: Site = same_text(
        r#"{"id":"s","name":"n","nested":{"n":[18446744073709551616]},"ratio":1.476e3,"ticket":123456789012345678901234567890}"#,
    );
    assert_eq!(site.extra["ticket"].get(), "123456789012345678901234567890");
    assert_eq!(site.extra["ratio"].get(), "1.476e3");
}

#[test]
fn a_union_value_with_one_bad_field_keeps_the_rest_readable() {
    // `protocol` is a reviewed integer: a fraction there is not an integer, but it must not
    // hide the capture's id and status, nor change what is sent back.
    let text = r#"{"id":"p1","status":"success","time_limit":300,"filter_v1":{"protocol":6.5}}"#;
    let pcap: Pcap = same_text(text);
    let Pcap::Simple(simple) = &pcap else {
        panic!("a PCAP with one bad field is still a PCAP: {pcap:?}")
    };
    assert_eq!(pcap.id().map(|id| id.as_str()), Some("p1"));
    assert_eq!(pcap.status(), Some(&PcapStatus::Success));
    // The field that did not decode is set aside, exactly as sent.
    assert!(simple.filter_v1.is_none());
    assert_eq!(simple.extra["filter_v1"].get(), r#"{"protocol":6.5}"#);
}

#[test]
fn a_required_field_that_does_not_decode_keeps_the_value_whole() {
    use magic_api::types::ConnectorEvent;
    // An upgrade event needs its `url`; a number there cannot be set aside.
    let text = r#"{"k":"StartUpgrade","url":5}"#;
    let event: ConnectorEvent = same_text(text);
    assert!(matches!(event, ConnectorEvent::Unknown(_)), "{event:?}");
}

#[test]
fn a_form_the_crate_does_not_know_keeps_its_exact_text() {
    use magic_api::types::HealthCheckTarget;
    // The two documented forms, each from its own JSON kind.
    let object: HealthCheckTarget = same_text(r#"{"saved":"203.0.113.1"}"#);
    assert!(matches!(object, HealthCheckTarget::Object(_)), "{object:?}");
    let string: HealthCheckTarget = same_text(r#""203.0.113.1""#);
    assert_eq!(string, HealthCheckTarget::String("203.0.113.1".into()));
    // A number no form takes, past what `serde_json::Value` holds exactly, and an array.
    for text in [
        "123456789012345678901234567890",
        "1.476e3",
        r#"[1,{"a":null}]"#,
    ] {
        let other: HealthCheckTarget = same_text(text);
        match &other {
            HealthCheckTarget::Other(raw) => assert_eq!(raw.get(), text),
            form => panic!("{text} decoded as {form:?}"),
        }
    }
}
