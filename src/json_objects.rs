//! Reading JSON with every struct taken only from a JSON object.
//!
//! serde's derived readers also take a struct from an array of its fields in
//! declaration order (`[[...], [...]]` as a `Scenario`), which no input format of
//! allocnet means. [`from_str`] wraps serde_json's reader so that wherever a struct
//! is read, only an object is accepted: an array there is the type error
//! `invalid type: sequence, expected struct X`, with its line, column and path like
//! any other. Everything else reads as serde_json reads it.

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};
use std::fmt;

/// Parses `text` as a `T` like `serde_json::from_str`, but with every struct read only
/// from a JSON object (see the module documentation; [`crate::json_path::parse_json`]
/// shows it).
pub(crate) fn from_str<T: de::DeserializeOwned>(text: &str) -> serde_json::Result<T> {
    let mut reader = serde_json::Deserializer::from_str(text);
    let value = T::deserialize(Strict(&mut reader))?;
    reader.end()?;
    Ok(value)
}

/// The wrapper: around a deserializer, a visitor, a seed or an access, it passes every
/// call on and wraps what it hands out, so that the rule reaches every nested value.
struct Strict<T>(T);

/// Deserializer methods passed on with the visitor wrapped.
macro_rules! pass_on {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {$(
        fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
            self.0.$method($($arg,)* Strict(visitor))
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Strict<D> {
    type Error = D::Error;

    /// The one change: a struct is read as a map, so an array is a type error.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(Strict(visitor))
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }

    pass_on! {
        deserialize_any(); deserialize_bool(); deserialize_i8(); deserialize_i16();
        deserialize_i32(); deserialize_i64(); deserialize_i128(); deserialize_u8();
        deserialize_u16(); deserialize_u32(); deserialize_u64(); deserialize_u128();
        deserialize_f32(); deserialize_f64(); deserialize_char(); deserialize_str();
        deserialize_string(); deserialize_bytes(); deserialize_byte_buf(); deserialize_option();
        deserialize_unit(); deserialize_seq(); deserialize_map(); deserialize_identifier();
        deserialize_ignored_any();
        deserialize_unit_struct(name: &'static str);
        deserialize_newtype_struct(name: &'static str);
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Strict<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Strict(deserializer))
    }
}

/// Visitor methods of plain values, passed on unchanged.
macro_rules! visit_plain {
    ($($method:ident($ty:ty);)*) => {$(
        fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
            self.0.$method(v)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Strict<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }

    visit_plain! {
        visit_bool(bool); visit_i8(i8); visit_i16(i16); visit_i32(i32); visit_i64(i64);
        visit_i128(i128); visit_u8(u8); visit_u16(u16); visit_u32(u32); visit_u64(u64);
        visit_u128(u128); visit_f32(f32); visit_f64(f64); visit_char(char); visit_str(&str);
        visit_borrowed_str(&'de str); visit_string(String); visit_bytes(&[u8]);
        visit_borrowed_bytes(&'de [u8]); visit_byte_buf(Vec<u8>);
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.0.visit_some(Strict(deserializer))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.0.visit_newtype_struct(Strict(deserializer))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.0.visit_seq(Strict(seq))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(Strict(map))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.0.visit_enum(Strict(data))
    }
}

impl<'de, A: de::SeqAccess<'de>> de::SeqAccess<'de> for Strict<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(Strict(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: de::MapAccess<'de>> de::MapAccess<'de> for Strict<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(Strict(seed))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.0.next_value_seed(Strict(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: de::EnumAccess<'de>> de::EnumAccess<'de> for Strict<A> {
    type Error = A::Error;
    type Variant = Strict<A::Variant>;

    fn variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<(T::Value, Self::Variant), A::Error> {
        let (value, variant) = self.0.variant_seed(Strict(seed))?;
        Ok((value, Strict(variant)))
    }
}

impl<'de, A: de::VariantAccess<'de>> de::VariantAccess<'de> for Strict<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(Strict(seed))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, Strict(visitor))
    }

    /// A struct variant's fields too are read only from an object: the variant's value
    /// is read as a map through the newtype route, which hands the value's reader over.
    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0.newtype_variant_seed(AsMap(visitor))
    }
}

/// A seed that reads its value as a map with the visitor it holds.
struct AsMap<V>(V);

impl<'de, V: Visitor<'de>> DeserializeSeed<'de> for AsMap<V> {
    type Value = V::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        deserializer.deserialize_map(Strict(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::from_str;
    use std::collections::BTreeMap;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Point {
        x: i32,
        y: i32,
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Shape {
        Dot,
        Circle { centre: Point, r: f64 },
        Pair(Point, Point),
        Named(Point),
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Drawing {
        points: Vec<Point>,
        #[serde(default)]
        best: Option<Point>,
        by_name: BTreeMap<String, Point>,
        shapes: Vec<Shape>,
        pair: (i32, Point),
    }

    const GOOD: &str = r#"{"points": [{"x": 1, "y": 2}], "best": {"x": 0, "y": 0},
        "by_name": {"a": {"x": 3, "y": 4}},
        "shapes": ["dot", {"circle": {"centre": {"x": 1, "y": 1}, "r": 2.5}},
                   {"pair": [{"x": 1, "y": 2}, {"x": 3, "y": 4}]}, {"named": {"x": 5, "y": 6}}],
        "pair": [7, {"x": 8, "y": 9}]}"#;

    #[test]
    fn objects_read_as_serde_json_reads_them() {
        let strict: Drawing = from_str(GOOD).unwrap();
        let plain: Drawing = serde_json::from_str(GOOD).unwrap();
        assert_eq!(strict, plain);
        assert_eq!(strict.shapes.len(), 4);
    }

    #[test]
    fn an_array_where_a_struct_belongs_is_a_type_error_at_its_place() {
        let cases = [
            (
                "[[], null, {}, [], [0, {\"x\": 0, \"y\": 0}]]".to_string(),
                1,
                "expected struct Drawing",
            ),
            (
                GOOD.replace(r#"[{"x": 1, "y": 2}]"#, "[[1, 2]]"),
                1,
                "expected struct Point",
            ),
            (
                GOOD.replace(r#""best": {"x": 0, "y": 0}"#, r#""best": [0, 0]"#),
                1,
                "expected struct Point",
            ),
            (
                GOOD.replace(r#"{"a": {"x": 3, "y": 4}}"#, r#"{"a": [3, 4]}"#),
                2,
                "expected struct Point",
            ),
            (
                GOOD.replace(
                    r#"{"centre": {"x": 1, "y": 1}, "r": 2.5}"#,
                    r#"[{"x": 1, "y": 1}, 2.5]"#,
                ),
                3,
                "expected struct variant Shape::Circle",
            ),
            (
                GOOD.replace(r#""centre": {"x": 1, "y": 1}"#, r#""centre": [1, 1]"#),
                3,
                "expected struct Point",
            ),
            (
                GOOD.replace(r#"{"named": {"x": 5, "y": 6}}"#, r#"{"named": [5, 6]}"#),
                4,
                "expected struct Point",
            ),
            (
                GOOD.replace(r#"[7, {"x": 8, "y": 9}]"#, "[7, [8, 9]]"),
                5,
                "expected struct Point",
            ),
        ];
        for (text, line, message) in cases {
            // serde_json alone takes every one of them (the fields in order).
            assert!(serde_json::from_str::<Drawing>(&text).is_ok(), "{text}");
            let err = from_str::<Drawing>(&text).unwrap_err();
            assert!(err.to_string().contains(message), "{text}: {err}");
            assert_eq!(err.line(), line, "{text}: {err}");
        }
    }

    #[test]
    fn trailing_text_is_an_error_as_in_serde_json() {
        let err = from_str::<Point>(r#"{"x": 1, "y": 2} 3"#).unwrap_err();
        assert!(err.to_string().contains("trailing characters"), "{err}");
    }
}
