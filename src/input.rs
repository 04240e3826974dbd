//! How the input structs are read from their serialized form (JSON, or a JS object through the
//! bindings), shared by every domain module that takes input.
//!
//! Every input struct refuses fields it does not declare (`#[serde(deny_unknown_fields)]`), so a typo
//! is an error rather than a default silently used. Optional fields read `null` as absent
//! ([`absent_as_default`]). A value that is either a number or a small object (retention `0.8` or
//! `{ alpha, beta }`; a margin `120` or `{ mean, cv }`) is read by [`number_or`], which keeps the
//! object's own errors (its unknown and missing fields) instead of serde's untagged "did not match
//! any variant".

use serde::de::{self, Deserialize, DeserializeOwned, Deserializer, MapAccess, Visitor};
use std::fmt;
use std::marker::PhantomData;

/// Reads an optional field whose `null` or `undefined` means the default, as a missing field does (a page
/// passes `{ marginGrowth: undefined }` for an empty box).
pub fn absent_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// A number or an object of type `S`, as `T`: `number(x)` or `object(s)` (whose error, a reason,
/// becomes the value's). `expecting` says what the value must be, for the error when it is neither.
pub fn number_or<'de, D, S, T>(
    deserializer: D,
    expecting: &'static str,
    number: fn(f64) -> T,
    object: fn(S) -> Result<T, String>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    S: DeserializeOwned,
{
    deserializer.deserialize_any(NumberOr {
        expecting,
        number,
        object,
        shape: PhantomData,
    })
}

struct NumberOr<S, T> {
    expecting: &'static str,
    number: fn(f64) -> T,
    object: fn(S) -> Result<T, String>,
    shape: PhantomData<S>,
}

impl<'de, S: DeserializeOwned, T> Visitor<'de> for NumberOr<S, T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_f64<E: de::Error>(self, x: f64) -> Result<T, E> {
        Ok((self.number)(x))
    }

    fn visit_i64<E: de::Error>(self, x: i64) -> Result<T, E> {
        Ok((self.number)(x as f64))
    }

    fn visit_u64<E: de::Error>(self, x: u64) -> Result<T, E> {
        Ok((self.number)(x as f64))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        (self.object)(S::deserialize(de::value::MapAccessDeserializer::new(map))?)
            .map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use crate::retention::Retention;

    #[test]
    fn a_number_or_an_object_keeps_the_objects_own_errors() {
        let read = |json: &str| serde_json::from_str::<Retention>(json).map_err(|e| e.to_string());
        assert_eq!(read("0.8"), Ok(Retention::Constant(0.8)));
        assert_eq!(read("1"), Ok(Retention::Constant(1.0)));
        assert_eq!(
            read(r#"{"alpha": 1, "beta": 2.5}"#),
            Ok(Retention::ShiftedBetaGeometric {
                alpha: 1.0,
                beta: 2.5
            })
        );
        let typo = read(r#"{"alpha": 1, "bta": 2.5}"#).unwrap_err();
        assert!(typo.starts_with("unknown field `bta`"), "{typo}");
        let missing = read(r#"{"alpha": 1}"#).unwrap_err();
        assert!(missing.starts_with("missing field `beta`"), "{missing}");
        let neither = read(r#""high""#).unwrap_err();
        assert!(neither.contains("a retention probability"), "{neither}");
    }
}
