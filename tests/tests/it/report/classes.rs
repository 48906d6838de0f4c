//! Each kind of change to the reference, and the class the report gives it.

use super::{assert_changes, base, edited, output_with, report_for, snapshot_of};
use codegen::report::{Class, diff};

pub(super) const SIZE: &str =
    "- `size: optional \"small\" or \"large\"` How big it is. - `\"small\"` - `\"large\"`";

/// `Widget` gains an optional field.
pub(super) const NEW_RESPONSE_FIELD: [(&str, &str); 2] = [
    (
        "Widget { id, name, size }",
        "Widget { id, name, size, color }",
    ),
    (
        SIZE,
        concat!(
            "- `size: optional \"small\" or \"large\"` How big it is. - `\"small\"` - `\"large\"`",
            " - `color: optional string` Its color."
        ),
    ),
];

#[test]
fn report_new_optional_field_on_a_received_type_is_additive() {
    let r = report_for(&NEW_RESPONSE_FIELD);
    assert_changes(
        &r,
        &[(Class::Additive, "`Widget`: new optional field `color`")],
    );
    assert_eq!(r.next_version("0.1.0").as_deref(), Some("0.1.1"));
}

/// The body gains a required field.
pub(super) const NEW_REQUIRED_BODY_FIELD: [(&str, &str); 2] = [
    (
        "How big to make it. - `\"small\"` - `\"large\"`",
        "How big to make it. - `\"small\"` - `\"large\"` - `weight: number` Its weight.",
    ),
    ("{ \"name\": \"w\" }", "{ \"name\": \"w\", \"weight\": 1 }"),
];

/// The body gains an optional field.
pub(super) const NEW_OPTIONAL_BODY_FIELD: (&str, &str) = (
    "How big to make it. - `\"small\"` - `\"large\"`",
    "How big to make it. - `\"small\"` - `\"large\"` - `color: optional string` Its color.",
);

#[test]
fn report_new_optional_body_field_is_breaking() {
    let r = report_for(&[NEW_OPTIONAL_BODY_FIELD]);
    assert_changes(
        &r,
        &[(
            Class::Breaking,
            "`WidgetCreateRequest`: new optional field `color` (the struct is exhaustive",
        )],
    );
}

#[test]
fn report_new_required_body_field_is_breaking() {
    let r = report_for(&NEW_REQUIRED_BODY_FIELD);
    assert_changes(&r, &[(Class::Breaking, "new required field `weight`")]);
    assert_eq!(r.next_version("0.1.0").as_deref(), Some("0.2.0"));
    assert!(
        r.render("0.1.0")
            .contains("Implied version: 0.1.0 -> 0.2.0")
    );
}

/// `Widget.name` is removed.
pub(super) const REMOVED_RESPONSE_FIELD: [(&str, &str); 2] = [
    ("Widget { id, name, size }", "Widget { id, size }"),
    (
        "- `name: optional string` The widget's name. - `size",
        "- `size",
    ),
];

/// `Widget.name` is a number.
pub(super) const RETYPED_RESPONSE_FIELD: (&str, &str) = (
    "`name: optional string` The widget's name. - `size",
    "`name: optional number` The widget's name. - `size",
);

/// `Widget.name` is required.
pub(super) const RESPONSE_FIELD_REQUIRED: (&str, &str) = (
    "`name: optional string` The widget's name. - `size",
    "`name: string` The widget's name. - `size",
);

#[test]
fn report_removed_field_is_breaking() {
    let r = report_for(&REMOVED_RESPONSE_FIELD);
    assert_changes(&r, &[(Class::Breaking, "`Widget`: field `name` removed")]);
    assert!(r.changes[0].removal);
}

#[test]
fn report_field_type_change_is_breaking() {
    let r = report_for(&[RETYPED_RESPONSE_FIELD]);
    assert_changes(
        &r,
        &[(Class::Breaking, "field `name` is `Number` (was `String`)")],
    );
}

#[test]
fn report_optional_becoming_required_and_back_is_breaking() {
    let r = report_for(&[RESPONSE_FIELD_REQUIRED]);
    assert_changes(
        &r,
        &[(Class::Breaking, "field `name` is required (was optional)")],
    );
    let r = report_for(&[(
        "- `id: string` Identifier - `name",
        "- `id: optional string` Identifier - `name",
    )]);
    assert_changes(
        &r,
        &[(Class::Breaking, "field `id` is optional (was required)")],
    );
}

#[test]
fn report_new_enum_value_is_additive() {
    let r = report_for(&[
        (
            "\"small\" or \"large\"`",
            "\"small\" or \"large\" or \"huge\"`",
        ),
        ("- `\"large\"`", "- `\"large\"` - `\"huge\"`"),
    ]);
    // The enum of `size` is shared by the body and the widget: one type, one change.
    assert_changes(&r, &[(Class::Additive, "new value `\"huge\"`")]);
}

#[test]
fn report_new_event_kind_is_additive() {
    let r = report_for(&[
        ("`e: { k } or { k }`", "`e: { k } or { k } or { k }`"),
        (
            "Stopped - `\"Leave\"`",
            "Stopped - `\"Leave\"` - `Reboot { k }` - `k: \"Reboot\"` Rebooted - `\"Reboot\"`",
        ),
    ]);
    let shown = r.render("0.1.0");
    assert!(
        r.changes
            .iter()
            .any(|c| c.class == Class::Additive && c.text.contains("new variant `Reboot(Reboot)`")),
        "{shown}"
    );
    assert_eq!(r.worst(), Some(Class::Additive), "{shown}");
}

const DELETE_WIDGET: &str = " ## Delete Widget **delete** `/accounts/{account_id}/widgets/{widget_id}` Deletes a widget. ### Path Parameters - `account_id: string` Identifier - `widget_id: string` Identifier ### Example ```http curl https://api.cloudflare.com/client/v4/accounts/$ACCOUNT_ID/widgets/$WIDGET_ID \\ -X DELETE \\ -H \"Authorization: Bearer $CLOUDFLARE_API_TOKEN\" ``` ## Domain Types";

#[test]
/// A new operation is additive; a first operation on `…/widgets/{widget_id}` also gives the
/// widgets an id type, so the listed widgets' `id` becomes a `WidgetId`, which the report calls
/// breaking (it is: code reading `id` as a `String` stops compiling).
fn report_new_and_removed_operations() {
    let r = report_for(&[(" ## Domain Types", DELETE_WIDGET)]);
    assert_changes(
        &r,
        &[
            (Class::Additive, "new operation `widgets().delete`"),
            (
                Class::Breaking,
                "`Widget`: field `id` is `WidgetId` (was `String`)",
            ),
        ],
    );
    // The reverse: the operation disappears.
    let with = base().replace(" ## Domain Types", DELETE_WIDGET);
    let r = diff(&snapshot_of(&with), &snapshot_of(&base()));
    assert_changes(
        &r,
        &[
            (
                Class::Breaking,
                "operation `widgets().delete` (`DELETE /accounts/{account_id}/widgets/{widget_id}`) removed",
            ),
            (
                Class::Breaking,
                "`Widget`: field `id` is `String` (was `WidgetId`)",
            ),
        ],
    );
    assert!(
        r.changes
            .iter()
            .any(|c| c.removal && c.text.contains("widgets().delete"))
    );
}

/// `widgets().list` gains an optional query parameter.
pub(super) const NEW_QUERY_PARAMETER: (&str, &str) = (
    "`color: optional string` Only widgets of this color.",
    "`color: optional string` Only widgets of this color. - `limit: optional number` How many.",
);

#[test]
/// Issue 21, miss 2: a new optional parameter renamed the call's option type while option sets
/// were named after their parameters (`ColorOptions` became `ColorLimitOptions`). Each operation
/// now has its own option type named for the call, so the parameter is a new setter and nothing
/// else: additive, as code naming `Call<'_, Json<…>, WidgetsListOptions>` keeps compiling.
fn report_new_query_parameter_is_a_new_setter_and_nothing_else() {
    let r = report_for(&[NEW_QUERY_PARAMETER]);
    assert_changes(
        &r,
        &[(
            Class::Additive,
            "`widgets().list`: new optional query parameter `limit` (a new setter)",
        )],
    );
    let after = snapshot_of(&super::edited(&[NEW_QUERY_PARAMETER]));
    let list = &after.operations["GET /accounts/{account_id}/widgets"];
    assert_eq!(list.options, "WidgetsListOptions");
    assert_eq!(list.setters, ["color", "limit"]);
}

/// `widgets().create`, which had no optional parameter, gains one.
pub(super) const FIRST_OPTIONAL_PARAMETER: (&str, &str) = (
    "Creates a widget. ### Path Parameters - `account_id: string` Identifier",
    "Creates a widget. ### Path Parameters - `account_id: string` Identifier ### Query Parameters - `dry_run: optional boolean` Only check the widget.",
);

#[test]
/// Issue 21, miss 3: an operation's first optional parameter turned its `Call<…, ()>` into
/// `Call<…, DeviceTypeOptions>`. An operation without optional parameters now has its own
/// (empty) option type, so the first one is a new setter on the same type.
fn report_first_optional_parameter_keeps_the_calls_type() {
    let before = snapshot_of(&base());
    let create = &before.operations["POST /accounts/{account_id}/widgets"];
    assert_eq!(create.options, "WidgetsCreateOptions");
    assert!(create.setters.is_empty());
    assert_eq!(
        create.returns,
        "Call<'a, Json<Widget>, WidgetsCreateOptions>"
    );
    let r = report_for(&[FIRST_OPTIONAL_PARAMETER]);
    assert_changes(
        &r,
        &[(
            Class::Additive,
            "`widgets().create`: new optional query parameter `dry_run` (a new setter)",
        )],
    );
}

/// `Widget.id` is optional: every field of the received `Widget` is.
pub(super) const WIDGET_ALL_OPTIONAL: (&str, &str) = (
    "- `id: string` Identifier - `name: optional string` The widget's name.",
    "- `id: optional string` Identifier - `name: optional string` The widget's name.",
);
/// `Widget` (every field optional) gains a required field.
pub(super) const WIDGET_FIRST_REQUIRED: [(&str, &str); 2] = [
    (
        "Widget { id, name, size }",
        "Widget { id, name, size, owner }",
    ),
    (
        SIZE,
        concat!(
            "- `size: optional \"small\" or \"large\"` How big it is. - `\"small\"` - `\"large\"`",
            " - `owner: string` Who owns it."
        ),
    ),
];

#[test]
/// Issue 21, miss 1: a struct derived `Default` while every field was optional, so its first
/// required field took the trait away in what the report called an additive change. A type the
/// API only sends now never derives `Default` (tests decode it from JSON), so its first required
/// field is a new field of a `#[non_exhaustive]` struct and nothing else.
fn report_first_required_field_of_a_received_type_takes_no_trait_away() {
    let before = snapshot_of(&super::edited(&[WIDGET_ALL_OPTIONAL]));
    let widget = &before.types["Widget"];
    assert!(widget.fields.values().all(|f| !f.required));
    assert!(
        !widget.traits.iter().any(|t| t == "Default"),
        "{:?}",
        widget.traits
    );
    assert!(widget.traits.iter().any(|t| t == "Clone"));
    let r = super::report_between(
        &[WIDGET_ALL_OPTIONAL],
        &[
            WIDGET_ALL_OPTIONAL,
            WIDGET_FIRST_REQUIRED[0],
            WIDGET_FIRST_REQUIRED[1],
        ],
    );
    assert_changes(
        &r,
        &[(Class::Additive, "`Widget`: new required field `owner`")],
    );
}

/// `WidgetCreateRequest.name` is optional: every field of the body is.
pub(super) const BODY_ALL_OPTIONAL: (&str, &str) = (
    "- `name: string` The widget's name. - `size: optional \"small\" or \"large\"` How big to make it.",
    "- `name: optional string` The widget's name. - `size: optional \"small\" or \"large\"` How big to make it.",
);

#[test]
/// A type callers build keeps `Default` while every field is optional, and loses it only with a
/// change that is breaking anyway; the report says both.
fn report_a_body_that_loses_default_says_so() {
    let before = snapshot_of(&super::edited(&[BODY_ALL_OPTIONAL]));
    let body = &before.types["WidgetCreateRequest"];
    assert!(body.traits.iter().any(|t| t == "Default"));
    let r = super::report_between(&[BODY_ALL_OPTIONAL], &[]);
    assert_changes(
        &r,
        &[
            (
                Class::Breaking,
                "`WidgetCreateRequest`: field `name` is required (was optional)",
            ),
            (
                Class::Breaking,
                "`WidgetCreateRequest` no longer implements `Default`",
            ),
        ],
    );
}

/// `widgets().events` takes the widget's zone too: a new required path parameter, which moves
/// the operation to another path.
pub(super) const NEW_PATH_PARAMETER: [(&str, &str); 2] = [
    (
        "`/accounts/{account_id}/widgets/{widget_id}/events` Lists a widget's events. ### Path Parameters - `account_id: string` Identifier - `widget_id: string` Identifier",
        "`/accounts/{account_id}/widgets/{widget_id}/zones/{zone}/events` Lists a widget's events. ### Path Parameters - `account_id: string` Identifier - `widget_id: string` Identifier - `zone: string` The zone.",
    ),
    (
        "widgets/$WIDGET_ID/events \\",
        "widgets/$WIDGET_ID/zones/$ZONE/events \\",
    ),
];

#[test]
/// Issue 21, readability: a new required path parameter read as "operation removed" plus "new
/// operation" with the same call; it is one signature change.
fn report_new_path_parameter_is_a_signature_change() {
    let r = report_for(&NEW_PATH_PARAMETER);
    assert_changes(
        &r,
        &[(
            Class::Breaking,
            "`widgets().events` takes 3 arguments, was 2: `(account_id: &AccountId, widget_id: &WidgetId, zone: &Zone)`, was `(account_id: &AccountId, widget_id: &WidgetId)` (it is now `GET /accounts/{account_id}/widgets/{widget_id}/zones/{zone}/events`, was `GET /accounts/{account_id}/widgets/{widget_id}/events`)",
        )],
    );
}

/// The reference calls `Widget` `Gadget`.
pub(super) const RENAMED_TYPE: [(&str, &str); 3] = [
    ("`result: array of Widget`", "`result: array of Gadget`"),
    ("`result: Widget`", "`result: Gadget`"),
    (
        "### Widget - `Widget { id, name, size }`",
        "### Gadget - `Gadget { id, name, size }`",
    ),
];

/// The refinements that keep the names [`RENAMED_TYPE`] takes away.
pub(super) const KEPT_NAMES: &str =
    "[kept_names]\nWidget = \"Gadget\"\nWidgetSize = \"GadgetSize\"\n";

#[test]
/// Issue 21, readability: a type the reference renamed read as five lines (removed, new, the
/// fields that hold it); it is one rename, and one for the nested type named after it
/// (`WidgetSize`), with no line for the fields, results and variants that hold them.
fn report_renamed_type_is_one_rename() {
    let r = report_for(&RENAMED_TYPE);
    assert_changes(
        &r,
        &[
            (
                Class::Breaking,
                "type `Widget` renamed to `Gadget` (the old name is not kept: \
                 `Widget = \"Gadget\"` under `[kept_names]` in spec/refinements.toml keeps it)",
            ),
            (
                Class::Breaking,
                "type `WidgetSize` renamed to `GadgetSize` (the old name is not kept",
            ),
        ],
    );
}

#[test]
/// Issue 21: a rename whose old names the maintainer keeps (`[kept_names]`, as the report
/// suggests) is additive: the old names are deprecated aliases. With the aliases in place the
/// next regeneration says nothing, and an entry whose type is gone is an error.
fn report_renamed_type_with_its_old_names_kept_is_additive() {
    let old = snapshot_of(&edited(&[]));
    let new = output_with(&edited(&RENAMED_TYPE), KEPT_NAMES);
    assert_changes(
        &diff(&old, &new.snapshot),
        &[
            (
                Class::Additive,
                "type `Widget` renamed to `Gadget` (the old name is kept as a deprecated alias)",
            ),
            (
                Class::Additive,
                "type `WidgetSize` renamed to `GadgetSize` (the old name is kept as a deprecated",
            ),
        ],
    );
    assert!(diff(&new.snapshot, &new.snapshot).changes.is_empty());
    let types = new
        .files
        .iter()
        .find(|f| f.path.ends_with("generated/types.rs"))
        .expect("the types file");
    assert!(
        types.contents.contains(
            "#[deprecated(note = \"the reference renamed this type: use `Gadget`\")]\npub type Widget = Gadget;"
        ),
        "{}",
        types.contents
    );

    let docs = [codegen::Document {
        name: "magic-transit.md".into(),
        text: edited(&[]),
    }];
    let refinements = codegen::Document {
        name: "refinements.toml".into(),
        text: KEPT_NAMES.into(),
    };
    let (ir, _) = codegen::build_ir(&docs, Some(&refinements)).expect("the IR");
    let error = codegen::generate(&ir).expect_err("a stale entry is an error");
    assert!(
        error.contains("[kept_names] `Widget`: `Gadget` is not a generated type"),
        "{error}"
    );
}

/// A resource of its own, with one operation.
pub(super) const GIZMOS: &str = " # Gizmos ## List Gizmos **get** `/accounts/{account_id}/gizmos` Lists gizmos. ### Path Parameters - `account_id: string` Identifier ### Returns - `errors: array of { code, message }` - `code: number` - `message: string` - `messages: array of { code, message }` - `code: number` - `message: string` - `result: array of { id }` - `id: string` Identifier - `success: true` Whether the API call was successful - `true` ### Example ```http curl https://api.cloudflare.com/client/v4/accounts/$ACCOUNT_ID/gizmos \\ -H \"Authorization: Bearer $CLOUDFLARE_API_TOKEN\" ``` ## Domain Types";

#[test]
fn report_new_resource_is_additive() {
    let r = report_for(&[(" ## Domain Types", GIZMOS)]);
    let shown = r.render("0.1.0");
    assert!(
        r.changes.iter().any(|c| c.group == "Gizmos"
            && c.class == Class::Additive
            && c.text.contains("gizmos().list")),
        "{shown}"
    );
    assert_eq!(r.worst(), Some(Class::Additive), "{shown}");
    assert!(
        shown.contains("\n  Gizmos\n"),
        "grouped by resource:\n{shown}"
    );
}

/// A field's description changes.
pub(super) const DESCRIPTION_CHANGED: (&str, &str) =
    ("The widget's name.", "The name the owner gave the widget.");

#[test]
fn report_description_only_change_is_docs_only() {
    let r = report_for(&[DESCRIPTION_CHANGED]);
    let shown = r.render("0.1.0");
    assert!(!r.is_empty());
    assert!(r.changes.iter().all(|c| c.class == Class::Docs), "{shown}");
    assert_eq!(r.next_version("0.1.0").as_deref(), Some("0.1.1"));
}
