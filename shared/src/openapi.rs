//! How the time types travel in JSON, for the server's OpenAPI description (feature `openapi`;
//! the app never builds it): utoipa cannot see this in the Rust types, so the fields name these
//! stand-ins (`schema(value_type = …)`).

use utoipa::openapi::schema::{
    ArrayBuilder, ArrayItems, KnownFormat, ObjectBuilder, SchemaFormat, Type,
};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

/// A moment: RFC 3339 text, as the fields with `time::serde::rfc3339` write it.
pub struct Timestamp;

impl PartialSchema for Timestamp {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .description(Some("RFC 3339, with its offset"))
            .into()
    }
}

impl ToSchema for Timestamp {}

/// A calendar day as `time::Date` writes it without its human-readable feature: the year and
/// the day of the year, `[2026, 335]`.
pub struct CalendarDate;

impl PartialSchema for CalendarDate {
    fn schema() -> RefOr<Schema> {
        pair(
            ObjectBuilder::new().schema_type(Type::Integer),
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1))
                .maximum(Some(366)),
        )
        .description(Some("[year, day of the year]"))
        .into()
    }
}

impl ToSchema for CalendarDate {}

/// A one-way batch's refusal: the item's id and why, `["…uuid…", "words"]`.
pub struct Refusal;

impl PartialSchema for Refusal {
    fn schema() -> RefOr<Schema> {
        pair(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid))),
            ObjectBuilder::new().schema_type(Type::String),
        )
        .into()
    }
}

impl ToSchema for Refusal {}

/// A two-element JSON array (a Rust tuple as serde writes it), in OpenAPI 3.1's words.
fn pair(first: ObjectBuilder, second: ObjectBuilder) -> ArrayBuilder {
    ArrayBuilder::new()
        .prefix_items([first.build(), second.build()])
        .items(ArrayItems::False)
        .min_items(Some(2))
        .max_items(Some(2))
}
