//! JSON objects only. serde's derived `Deserialize` also reads a struct from an array of its
//! fields in order (`[null, null]` for `{mobile, email}`), a shape no API here documents: such
//! a body is a wrong type and gets the API's 400. Deserialize a top-level struct through
//! `Object`, and a struct field with `#[serde(deserialize_with = "object")]` (or
//! `optional_object` and `default` for an `Option`).

use serde::de::{Deserialize, Deserializer, Visitor};
use serde::forward_to_deserialize_any;

/// A deserializer that hands structs a map, never a sequence.
pub struct Object<D>(pub D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Object<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(visitor)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// A struct field that must be a JSON object.
pub fn object<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    T::deserialize(Object(d))
}

/// An optional struct field that must be a JSON object or `null`.
pub fn optional_object<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<InObject<T>>::deserialize(d)?.map(|InObject(value)| value))
}

struct InObject<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for InObject<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        object(d).map(InObject)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Pair {
        a: Option<u8>,
        b: Option<u8>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Outer {
        #[serde(deserialize_with = "object")]
        pair: Pair,
        #[serde(default, deserialize_with = "optional_object")]
        maybe: Option<Pair>,
    }

    fn read(json: &str) -> Result<Outer, serde_json::Error> {
        Outer::deserialize(Object(&mut serde_json::Deserializer::from_str(json)))
    }

    #[test]
    fn structs_come_from_objects_alone() {
        let pair = Pair {
            a: Some(1),
            b: None,
        };
        let outer = read(r#"{"pair": {"a": 1}, "maybe": null}"#).unwrap();
        assert_eq!((outer.pair, outer.maybe), (pair, None));
        assert!(read(r#"{"pair": {"a": 1}, "maybe": {"b": 2}}"#).is_ok());
        assert!(read(r#"{"pair": {}}"#).is_ok());
        for wrong in [
            r#"[{"a": 1}, null]"#,
            r#"{"pair": [1, 2]}"#,
            r#"{"pair": {}, "maybe": [null, null]}"#,
        ] {
            let e = read(wrong).unwrap_err().to_string();
            assert!(e.contains("expected struct"), "{wrong}: {e}");
        }
    }
}
