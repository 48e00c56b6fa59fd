//! `getAttr` paths such as `resourceId[0]` or `a.b[2]`, shared by the
//! `getAttr` function and the `{Var#path}` template shorthand.

use super::Value;

/// One step of a parsed path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PathSegment {
    /// An object member.
    Key(String),
    /// An array element.
    Index(usize),
}

/// Parses a path: parts separated by `.`, each a key optionally followed by
/// one `[index]`, or a bare `[index]`.
pub(crate) fn parse_path(path: &str) -> Result<Vec<PathSegment>, String> {
    let mut segments = Vec::new();
    for part in path.split('.') {
        let (key, index) = match part.find('[') {
            Some(open) => {
                let inner = part[open + 1..].strip_suffix(']').ok_or_else(|| {
                    format!("path `{path}`: `{part}` has `[` without a closing `]` at its end")
                })?;
                let index = inner.parse::<usize>().map_err(|_| {
                    format!("path `{path}`: index `{inner}` is not a non-negative integer")
                })?;
                (&part[..open], Some(index))
            }
            None => (part, None),
        };
        if key.contains(']') {
            return Err(format!("path `{path}`: `]` without `[` in `{part}`"));
        }
        if !key.is_empty() {
            segments.push(PathSegment::Key(key.to_owned()));
        } else if index.is_none() {
            return Err(format!("path `{path}` has an empty part"));
        }
        if let Some(index) = index {
            segments.push(PathSegment::Index(index));
        }
    }
    Ok(segments)
}

/// Follows `path` into `value`. A missing member or an index past the end is
/// `Ok(None)`; a key applied to a non-object or an index to a non-array is
/// an error naming both.
pub(crate) fn get_attr<'v>(
    value: &'v Value,
    path: &[PathSegment],
) -> Result<Option<&'v Value>, String> {
    let mut current = value;
    for segment in path {
        let next = match (segment, current) {
            (PathSegment::Key(key), Value::Object(members)) => members.get(key),
            (PathSegment::Index(i), Value::Array(items)) => items.get(*i),
            (PathSegment::Key(key), other) => {
                return Err(format!(
                    "cannot read attribute `{key}` of a {}",
                    other.type_name()
                ))
            }
            (PathSegment::Index(i), other) => {
                return Err(format!(
                    "cannot read index [{i}] of a {}",
                    other.type_name()
                ))
            }
        };
        match next {
            Some(v) => current = v,
            None => return Ok(None),
        }
    }
    Ok(Some(current))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> PathSegment {
        PathSegment::Key(k.to_owned())
    }

    #[test]
    fn parses_keys_and_indexes() {
        assert_eq!(parse_path("a"), Ok(vec![key("a")]));
        assert_eq!(
            parse_path("a.b[0]"),
            Ok(vec![key("a"), key("b"), PathSegment::Index(0)])
        );
        assert_eq!(
            parse_path("resourceId[12]"),
            Ok(vec![key("resourceId"), PathSegment::Index(12)])
        );
        assert_eq!(parse_path("[3]"), Ok(vec![PathSegment::Index(3)]));
    }

    #[test]
    fn rejects_malformed_paths() {
        for bad in ["", "a..b", "a[", "a[x]", "a[-1]", "a[0]b", "a]"] {
            assert!(parse_path(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn follows_paths_into_values() {
        let value = Value::from_json(&serde_json::json!({"a": {"b": ["x", "y"]}})).expect("value");
        let path = parse_path("a.b[1]").expect("path");
        assert_eq!(get_attr(&value, &path), Ok(Some(&Value::from("y"))));
        let past_end = parse_path("a.b[2]").expect("path");
        assert_eq!(get_attr(&value, &past_end), Ok(None));
        let missing = parse_path("a.c").expect("path");
        assert_eq!(get_attr(&value, &missing), Ok(None));
    }

    #[test]
    fn wrong_container_is_an_error() {
        let value = Value::from_json(&serde_json::json!({"a": "text"})).expect("value");
        let err = get_attr(&value, &parse_path("a.b").expect("path")).unwrap_err();
        assert!(err.contains("attribute `b` of a string"), "{err}");
        let err = get_attr(&value, &parse_path("a[0]").expect("path")).unwrap_err();
        assert!(err.contains("index [0] of a string"), "{err}");
    }
}
