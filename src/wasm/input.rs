//! Reading a JS input into the library's serde types, with the path of the field an error is about.
//!
//! The bindings copy the JS value into a [`Value`] tree: numbers, strings, booleans, arrays (typed arrays
//! too) and plain objects; `null` and `undefined` become [`Value::Null`], and an object property that
//! holds `undefined` is left out, as if absent. The tree is then read by a deserializer that knows where
//! in the input it is and puts that path (`segments[1].margin`) on the first error raised below it.
//! Numbers read as in JavaScript: a safe integer is an integer, anything else an `f64`. Struct fields
//! must come as an object (an array is not read positionally).

use serde::de::{self, DeserializeOwned, IntoDeserializer, Unexpected, Visitor};
use std::fmt;

/// A JS value as plain data.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
    /// Anything else, by its `typeof` (a function, a symbol, a BigInt).
    Other(&'static str),
}

/// A deserialization error, worded for a JS caller, and the path of the value it is about.
#[derive(Debug)]
pub(super) struct Error {
    path: Option<String>,
    /// The field a missing- or unknown-field error is about, below `path`.
    field: Option<String>,
    message: String,
}

impl Error {
    /// The path of the value the error is about: `segments[1].margin`, or `""` for the input itself.
    pub(super) fn path(&self) -> String {
        match (self.path.as_deref().unwrap_or(""), &self.field) {
            (path, None) => path.to_owned(),
            ("", Some(field)) => field.clone(),
            (path, Some(field)) => format!("{path}.{field}"),
        }
    }

    /// The error placed at `path`, unless a value below it already claimed it.
    fn at(mut self, path: Path) -> Self {
        self.path.get_or_insert_with(|| path.to_string());
        self
    }

    fn about(field: &str, message: String) -> Self {
        Error {
            path: None,
            field: Some(field.to_owned()),
            message,
        }
    }
}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error {
            path: None,
            field: None,
            message: message.to_string(),
        }
    }

    fn invalid_type(unexpected: Unexpected, expected: &dyn de::Expected) -> Self {
        Self::custom(format_args!(
            "expected {}, got {}",
            expected_words(&expected.to_string()),
            got(&unexpected)
        ))
    }

    fn invalid_value(unexpected: Unexpected, expected: &dyn de::Expected) -> Self {
        Self::invalid_type(unexpected, expected)
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        let names = OneOf(expected).to_string();
        Self::custom(match suggest(variant, expected) {
            Some(near) => format!("must be {names} (got \"{variant}\"; did you mean \"{near}\"?)"),
            None => format!("must be {names} (got \"{variant}\")"),
        })
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Error::about(field, unknown_field_reason(field, expected))
    }

    fn missing_field(field: &'static str) -> Self {
        Error::about(field, "is required".to_owned())
    }

    fn duplicate_field(field: &'static str) -> Self {
        Error::about(field, "is given twice".to_owned())
    }
}

/// `unknown field; did you mean …?` (or the fields expected): why `field` is refused.
fn unknown_field_reason(field: &str, expected: &[&str]) -> String {
    match (suggest(field, expected), expected) {
        (Some(near), _) => format!("unknown field; did you mean {near}?"),
        (None, []) => "unknown field (this object takes none)".to_owned(),
        (None, _) => format!("unknown field (expected {})", expected.join(", ")),
    }
}

/// `field: unknown field; did you mean …?`, the reader's words for a key not in `known`.
#[cfg(feature = "fitting")]
pub(super) fn unknown_field(field: &str, known: &[&str]) -> String {
    let e = Error::about(field, unknown_field_reason(field, known));
    format!("{}: {e}", e.path())
}

/// `one of "a", "b"` (or `"a"` alone): an enum's names.
struct OneOf(&'static [&'static str]);

impl de::Expected for OneOf {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for OneOf {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let quoted: Vec<String> = self.0.iter().map(|name| format!("\"{name}\"")).collect();
        match quoted.as_slice() {
            [one] => f.write_str(one),
            _ => write!(f, "one of {}", quoted.join(", ")),
        }
    }
}

/// What serde's visitors expect, in a JS caller's words (`f64` is a number, `struct X` an object).
fn expected_words(expected: &str) -> String {
    match expected {
        "f32" | "f64" => "a number".to_owned(),
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number, 0 or more".to_owned(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number".to_owned(),
        "a sequence" => "an array".to_owned(),
        "a borrowed string" => "a string".to_owned(),
        _ if expected.starts_with("struct ") || expected.starts_with("a map") => {
            "an object".to_owned()
        }
        _ => expected.to_owned(),
    }
}

/// A value as a JS caller would name it.
fn got(value: &Unexpected) -> String {
    match value {
        Unexpected::Unit => "null".to_owned(),
        Unexpected::Bool(b) => b.to_string(),
        Unexpected::Float(x) => number_words(*x),
        Unexpected::Signed(i) => i.to_string(),
        Unexpected::Unsigned(u) => u.to_string(),
        Unexpected::Str(s) => format!("the string \"{}\"", shorten(s)),
        Unexpected::Seq => "an array".to_owned(),
        Unexpected::Map => "an object".to_owned(),
        other => other.to_string(),
    }
}

/// A number as JS prints it, roughly: exponent notation for the very large and very small.
pub(super) fn number_words(x: f64) -> String {
    if x != 0.0 && x.is_finite() && !(1e-6..1e21).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        x.to_string()
    }
}

/// The first 40 characters of `s`, marked when cut.
fn shorten(s: &str) -> String {
    match s.char_indices().nth(40) {
        Some((end, _)) => format!("{}…", &s[..end]),
        None => s.to_owned(),
    }
}

/// The name in `names` that `typed` most likely means: the same but for (ASCII) case, or within a third
/// of its length in edits (at least one).
fn suggest<'a>(typed: &str, names: &[&'a str]) -> Option<&'a str> {
    // ASCII case only: the API's names are ASCII, and Unicode case tables would add ~15 KB of wasm.
    let lower = typed.to_ascii_lowercase();
    if let Some(same) = names.iter().find(|n| n.eq_ignore_ascii_case(typed)) {
        return Some(same);
    }
    let limit = (typed.chars().count() / 3).max(1);
    names
        .iter()
        .map(|n| (edit_distance(&lower, &n.to_ascii_lowercase()), *n))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

/// Levenshtein distance (insertions, deletions and substitutions), by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diagonal + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// Reads `value` as a `T`.
pub(super) fn read<T: DeserializeOwned>(value: &Value) -> Result<T, Error> {
    T::deserialize(Reader {
        value,
        path: Path::Root,
    })
}

/// Where a value is in the input: the input itself, a field of an object or an element of an array.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Field(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Field(Path::Root, name) => f.write_str(name),
            Path::Field(parent, name) => write!(f, "{parent}.{name}"),
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

/// Whether `x` is a whole number a JS number holds exactly (`Number.isSafeInteger`).
fn is_safe_integer(x: f64) -> bool {
    x.fract() == 0.0 && x.abs() <= 9_007_199_254_740_991.0
}

/// A deserializer for one value of the tree, at `path`.
#[derive(Clone, Copy)]
struct Reader<'a> {
    value: &'a Value,
    path: Path<'a>,
}

impl<'a> Reader<'a> {
    fn unexpected(&self) -> Unexpected<'a> {
        match self.value {
            Value::Null => Unexpected::Unit,
            Value::Bool(b) => Unexpected::Bool(*b),
            Value::Number(x) => Unexpected::Float(*x),
            Value::String(s) => Unexpected::Str(s),
            Value::Array(_) => Unexpected::Seq,
            Value::Object(_) => Unexpected::Map,
            Value::Other(kind) => Unexpected::Other(kind),
        }
    }

    fn invalid<'de, V: Visitor<'de>>(&self, visitor: &V) -> Error {
        de::Error::invalid_type(self.unexpected(), visitor)
    }

    /// Reads this value with `seed`, the error (raised by the deserializer or after it, by the type's
    /// `Deserialize`, as an untagged enum does) placed at this value's path.
    fn read<'de, T: de::DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self).map_err(|e| e.at(self.path))
    }
}

/// Deserializer methods that read as method `$to` does.
macro_rules! forward {
    ($de:lifetime, $to:ident: $($method:ident)*) => {
        $(fn $method<V: Visitor<$de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.$to(visitor)
        })*
    };
}

impl<'de> de::Deserializer<'de> for Reader<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(x) if is_safe_integer(*x) => visitor.visit_i64(*x as i64),
            Value::Number(x) => visitor.visit_f64(*x),
            Value::String(s) => visitor.visit_str(s),
            Value::Array(_) => self.deserialize_seq(visitor),
            Value::Object(_) => self.deserialize_map(visitor),
            Value::Other(_) => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Object(entries) => visitor.visit_map(Fields {
                entries: entries.iter(),
                value: None,
                path: &self.path,
            }),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Array(items) => visitor.visit_seq(Elements {
                items: items.iter().enumerate(),
                path: &self.path,
            }),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.value {
            Value::String(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            Value::Object(entries) if entries.len() == 1 => {
                let (name, value) = &entries[0];
                visitor.visit_enum(Variant {
                    name,
                    value: Reader {
                        value,
                        path: Path::Field(&self.path, name),
                    },
                })
            }
            Value::Object(_) => Err(de::Error::custom(format_args!(
                "expected an object with one key, {}",
                OneOf(variants)
            ))),
            _ => Err(de::Error::invalid_type(self.unexpected(), &OneOf(variants))),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Number(x) => visitor.visit_f64(*x),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Number(x) if is_safe_integer(*x) => visitor.visit_i64(*x as i64),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::String(s) => visitor.visit_str(s),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Bool(b) => visitor.visit_bool(*b),
            _ => Err(self.invalid(&visitor)),
        }
    }

    // serde's visitors convert between integer types (with range checks) and from f64 to f32.
    serde::forward_to_deserialize_any! {
        i128 u128 char bytes byte_buf unit unit_struct tuple tuple_struct
    }
    forward! { 'de, deserialize_f64: deserialize_f32 }
    forward! { 'de, deserialize_i64: deserialize_i8 deserialize_i16 deserialize_i32 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 }
    forward! { 'de, deserialize_str: deserialize_string deserialize_identifier }
}

/// An array's elements, each at its index.
struct Elements<'a, I> {
    items: I,
    path: &'a Path<'a>,
}

impl<'de, 'a, I: Iterator<Item = (usize, &'a Value)>> de::SeqAccess<'de> for Elements<'a, I> {
    type Error = Error;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.items
            .next()
            .map(|(i, value)| {
                Reader {
                    value,
                    path: Path::Index(self.path, i),
                }
                .read(seed)
            })
            .transpose()
    }
}

/// An object's fields, each value at its name.
struct Fields<'a, I> {
    entries: I,
    value: Option<&'a (String, Value)>,
    path: &'a Path<'a>,
}

impl<'de, 'a, I: Iterator<Item = &'a (String, Value)>> de::MapAccess<'de> for Fields<'a, I> {
    type Error = Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        self.value = self.entries.next();
        self.value
            .map(|(name, _)| seed.deserialize(name.as_str().into_deserializer()))
            .transpose()
    }

    fn next_value_seed<T: de::DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        let (name, value) = self
            .value
            .take()
            .ok_or_else(|| de::Error::custom("a value without its key"))?;
        Reader {
            value,
            path: Path::Field(self.path, name),
        }
        .read(seed)
    }
}

/// An enum variant given as `{ name: value }`.
struct Variant<'a> {
    name: &'a str,
    value: Reader<'a>,
}

impl<'de, 'a> de::EnumAccess<'de> for Variant<'a> {
    type Error = Error;
    type Variant = Reader<'a>;

    fn variant_seed<T: de::DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Reader<'a>), Error> {
        Ok((seed.deserialize(self.name.into_deserializer())?, self.value))
    }
}

impl<'de> de::VariantAccess<'de> for Reader<'_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        self.read(std::marker::PhantomData)
    }

    fn newtype_variant_seed<T: de::DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        self.read(seed)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_seq(self, visitor).map_err(|e| e.at(self.path))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_struct(self, "", fields, visitor).map_err(|e| e.at(self.path))
    }
}

#[cfg(test)]
mod tests {
    use super::{read, Value};
    use serde::Deserialize;

    fn object(fields: &[(&str, Value)]) -> Value {
        Value::Object(
            fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Segment {
        margin: f64,
        customers: u32,
        #[serde(default)]
        name: Option<String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Input {
        segments: Vec<Segment>,
        horizon: Option<u32>,
        retention: Retention,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(untagged)]
    enum Retention {
        Constant(f64),
        Sbg { alpha: f64, beta: f64 },
    }

    fn segment(margin: Value, customers: Value) -> Value {
        object(&[("margin", margin), ("customers", customers)])
    }

    fn input(segments: Vec<Value>) -> Value {
        object(&[
            ("segments", Value::Array(segments)),
            ("retention", Value::Number(0.8)),
        ])
    }

    #[test]
    fn reads_numbers_strings_options_and_untagged_enums() {
        let value = object(&[
            (
                "segments",
                Value::Array(vec![segment(Value::Number(12.5), Value::Number(3.0))]),
            ),
            ("horizon", Value::Null),
            (
                "retention",
                object(&[("alpha", Value::Number(1.0)), ("beta", Value::Number(2.5))]),
            ),
        ]);
        let read: Input = read(&value).unwrap();
        assert_eq!(
            read.segments,
            vec![Segment {
                margin: 12.5,
                customers: 3,
                name: None
            }]
        );
        assert_eq!(read.horizon, None);
        assert_eq!(
            read.retention,
            Retention::Sbg {
                alpha: 1.0,
                beta: 2.5
            }
        );
    }

    #[test]
    fn a_type_error_names_the_path_of_its_field() {
        let value = input(vec![
            segment(Value::Number(1.0), Value::Number(2.0)),
            segment(Value::String("x".into()), Value::Number(2.0)),
        ]);
        let e = read::<Input>(&value).unwrap_err();
        assert_eq!(e.path(), "segments[1].margin");
        assert_eq!(e.to_string(), "expected a number, got the string \"x\"");
    }

    #[test]
    fn a_missing_field_is_reported_at_its_object() {
        let value = input(vec![object(&[("margin", Value::Number(1.0))])]);
        let e = read::<Input>(&value).unwrap_err();
        assert_eq!(e.path(), "segments[0].customers");
        assert_eq!(e.to_string(), "is required");
        let e = read::<Input>(&object(&[])).unwrap_err();
        assert_eq!(
            (e.path().as_str(), e.to_string().as_str()),
            ("segments", "is required")
        );
    }

    #[test]
    fn an_error_raised_after_reading_is_placed_at_its_field() {
        let value = object(&[
            ("segments", Value::Array(vec![])),
            ("retention", Value::String("high".into())),
        ]);
        let e = read::<Input>(&value).unwrap_err();
        assert_eq!(e.path(), "retention");
        assert_eq!(
            e.to_string(),
            "data did not match any variant of untagged enum Retention"
        );
    }

    #[test]
    fn integers_must_be_whole_and_in_range() {
        let e = read::<Input>(&input(vec![segment(
            Value::Number(1.0),
            Value::Number(2.5),
        )]))
        .unwrap_err();
        assert_eq!(e.path(), "segments[0].customers");
        assert_eq!(e.to_string(), "expected a whole number, 0 or more, got 2.5");
        let e = read::<Input>(&input(vec![segment(
            Value::Number(1.0),
            Value::Number(-1.0),
        )]))
        .unwrap_err();
        assert_eq!(e.to_string(), "expected a whole number, 0 or more, got -1");
        assert!(read::<u64>(&Value::Number(1e300)).is_err());
        assert_eq!(read::<f64>(&Value::Number(3.0)).unwrap(), 3.0);
    }

    #[test]
    fn a_struct_is_not_read_from_an_array() {
        let e = read::<Segment>(&Value::Array(vec![Value::Number(1.0), Value::Number(2.0)]))
            .unwrap_err();
        assert_eq!(e.to_string(), "expected an object, got an array");
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(tag = "model", content = "params", rename_all = "lowercase")]
    enum Model {
        Sbg { alpha: f64 },
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "lowercase")]
    enum Unit {
        Month,
    }

    #[test]
    fn reads_enums_as_names_and_tagged_objects() {
        assert_eq!(
            read::<Unit>(&Value::String("month".into())).unwrap(),
            Unit::Month
        );
        let e = read::<Unit>(&Value::String("week".into())).unwrap_err();
        assert_eq!(e.to_string(), "must be \"month\" (got \"week\")");
        let e = read::<Unit>(&Value::String("Month".into())).unwrap_err();
        assert!(e.to_string().ends_with("did you mean \"month\"?)"), "{e}");
        let model = object(&[
            ("model", Value::String("sbg".into())),
            ("params", object(&[("alpha", Value::Bool(true))])),
        ]);
        let e = read::<Model>(&model).unwrap_err();
        assert_eq!(e.path(), "params.alpha");
        assert_eq!(e.to_string(), "expected a number, got true");
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    struct Strict {
        horizon: Option<f64>,
        acquisition_cost: Option<f64>,
    }

    #[test]
    fn an_unknown_field_is_named_with_the_field_it_most_likely_means() {
        let read_with = |key: &str| {
            let e = read::<Strict>(&object(&[(key, Value::Number(1.0))])).unwrap_err();
            format!("{}: {e}", e.path())
        };
        assert_eq!(
            read_with("horizion"),
            "horizion: unknown field; did you mean horizon?"
        );
        assert_eq!(
            read_with("acquisitioncost"),
            "acquisitioncost: unknown field; did you mean acquisitionCost?"
        );
        assert_eq!(
            read_with("colour"),
            "colour: unknown field (expected horizon, acquisitionCost)"
        );
        let nested = object(&[(
            "segments",
            Value::Array(vec![object(&[("horizion", Value::Null)])]),
        )]);
        #[derive(Debug, Deserialize)]
        #[allow(dead_code, reason = "read for its error")]
        struct Outer {
            segments: Vec<Strict>,
        }
        let e = read::<Outer>(&nested).unwrap_err();
        assert_eq!(e.path(), "segments[0].horizion");
    }

    #[test]
    fn edit_distance_counts_single_character_edits() {
        use super::edit_distance;
        assert_eq!(edit_distance("horizion", "horizon"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}
