//! One macro for the named kinds (systems, models, measures): each name is written once and
//! serves as CLI value, URL value and JSON key, with the same `Display`, `FromStr` and serde.
