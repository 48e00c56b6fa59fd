//! Paths into a structure, from the JMESPath subset Smithy traits use:
//! parsed into segments ([`parse_path`]), then walked over the shapes into
//! typed steps ([`walk_path`], [`resolve_path`]). Shared by the endpoint
//! parameters of `@operationContextParams` and the path matchers of waiters.

use crate::ir::{LengthOp, Model, PathLeaf, PathStep, ShapeKind, Simple, ValuePath};

/// A path as parsed, before it is checked against shapes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawPath {
    /// Wrapped in `keys(…)`.
    pub keys: bool,
    pub segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// `name` or `"quoted name"`.
    Field(String),
    /// `[*]`.
    ListWildcard,
    /// `[]`: flattens one level of lists into the projection.
    Flatten,
    /// `*`.
    ObjectWildcard,
}

/// Parses the JMESPath subset: sub-expressions of identifiers (bare or
/// quoted), list projections `[*]`, object projections `*`, optionally
/// wrapped in one `keys(…)`. Anything else (indexes, slices, filters,
/// multi-selects, pipes, other functions, literals) is refused with the
/// reason.
pub fn parse_path(text: &str) -> Result<RawPath, String> {
    let trimmed = text.trim();
    let (keys, body) = match trimmed.strip_prefix("keys") {
        Some(rest) if rest.trim_start().starts_with('(') => {
            let inner = rest.trim_start()[1..].trim_end();
            let Some(inner) = inner.strip_suffix(')') else {
                return Err("`keys(` is not closed by `)` at the end".to_string());
            };
            (true, inner.trim())
        }
        _ => (false, trimmed),
    };
    let mut segments = Vec::new();
    let mut rest = body;
    let mut expect_segment = true;
    if rest.is_empty() {
        return Err("the path is empty".to_string());
    }
    while !rest.is_empty() {
        if expect_segment {
            if let Some(after) = rest.strip_prefix('*') {
                segments.push(Segment::ObjectWildcard);
                rest = after;
            } else if rest.starts_with('[') {
                return Err(unsupported_bracket(rest));
            } else if let Some(after) = rest.strip_prefix('"') {
                let Some(end) = after.find('"') else { return Err("a quoted name is not closed".to_string()) };
                let name = &after[..end];
                if name.is_empty() || name.contains('\\') {
                    return Err(format!("quoted name `\"{name}\"` is empty or uses escapes, which are not supported"));
                }
                segments.push(Segment::Field(name.to_string()));
                rest = &after[end + 1..];
            } else {
                let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
                let name = &rest[..end];
                if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
                    return Err(format!("expected a member name at `{rest}`"));
                }
                if let Some(call) = rest[end..].strip_prefix('(').map(|_| name) {
                    return Err(format!("function `{call}` is not supported (only `keys` around the whole path)"));
                }
                segments.push(Segment::Field(name.to_string()));
                rest = &rest[end..];
            }
            expect_segment = false;
        } else if let Some(after) = rest.strip_prefix("[*]") {
            segments.push(Segment::ListWildcard);
            rest = after;
        } else if let Some(after) = rest.strip_prefix("[]") {
            segments.push(Segment::Flatten);
            rest = after;
        } else if let Some(after) = rest.strip_prefix('.') {
            if after.is_empty() {
                return Err("the path ends with `.`".to_string());
            }
            rest = after;
            expect_segment = true;
        } else if rest.starts_with('[') {
            return Err(unsupported_bracket(rest));
        } else {
            return Err(format!("unexpected `{rest}` (expected `.`, `[*]` or the end)"));
        }
    }
    Ok(RawPath { keys, segments })
}

/// A waiter's path expression as parsed: a path, or `length(path)`
/// compared with a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawExpr {
    Path(RawPath),
    LengthCompare { path: RawPath, op: LengthOp, value: u64 },
}

/// Parses a waiter path: what [`parse_path`] reads, or
/// `length(path) <op> \`n\`` with `op` one of `==`, `!=`, `<`, `<=`, `>`,
/// `>=`. Other expressions (filters, `contains`, `&&`, `||`, comparisons of
/// two paths, …) are refused with the reason.
pub fn parse_expr(text: &str) -> Result<RawExpr, String> {
    let trimmed = text.trim();
    if trimmed.contains("&&") || trimmed.contains("||") {
        return Err("the boolean operators `&&` and `||` are not supported yet".to_string());
    }
    let name_end = trimmed.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(trimmed.len());
    let function = &trimmed[..name_end];
    if trimmed[name_end..].trim_start().starts_with('(') && !matches!(function, "length" | "keys") {
        return Err(format!("function `{function}` is not supported (only `length(…)` compared with a number, and `keys(…)`)"));
    }
    let Some(rest) = trimmed.strip_prefix("length").map(str::trim_start).and_then(|r| r.strip_prefix('(')) else {
        if !trimmed.contains("[?") && trimmed.contains(['=', '<', '>']) {
            return Err("comparisons are supported only between `length(…)` and a number".to_string());
        }
        return parse_path(trimmed).map(RawExpr::Path);
    };
    let Some(close) = rest.find(')') else { return Err("`length(` is not closed".to_string()) };
    let path = parse_path(&rest[..close])?;
    let comparison = rest[close + 1..].trim();
    if comparison.is_empty() {
        return Err("`length(…)` gives a number, which no waiter comparator takes: compare it with a number".to_string());
    }
    let (op, literal) = [
        ("==", LengthOp::Eq),
        ("!=", LengthOp::Ne),
        ("<=", LengthOp::Le),
        (">=", LengthOp::Ge),
        ("<", LengthOp::Lt),
        (">", LengthOp::Gt),
    ]
    .into_iter()
    .find_map(|(token, op)| comparison.strip_prefix(token).map(|literal| (op, literal.trim())))
    .ok_or_else(|| format!("unexpected `{comparison}` after `length(…)` (expected a comparison with a number)"))?;
    let value = literal
        .strip_prefix('`')
        .and_then(|l| l.strip_suffix('`'))
        .and_then(|n| n.trim().parse::<u64>().ok())
        .ok_or_else(|| format!("`length(…)` is compared with `{literal}`; only a literal whole number (`` `0` ``) is supported"))?;
    Ok(RawExpr::LengthCompare { path, op, value })
}

/// Why a `[…]` other than `[*]` and `[]` is refused.
fn unsupported_bracket(rest: &str) -> String {
    let bracket = match rest.find(']') {
        Some(end) => &rest[..=end],
        None => rest,
    };
    if bracket.contains(',') {
        format!("`{bracket}`: multi-select lists are not supported yet")
    } else {
        format!("`{bracket}` is not supported: only the projections `[*]` and `[]` (no indexes, slices or filters)")
    }
}

/// Walks `path` over the shapes from `root` (a structure) into a
/// [`ValuePath`] ending on a string, string enum or boolean.
pub fn resolve_path(model: &Model, root: &str, text: &str, path: &RawPath) -> Result<ValuePath, String> {
    let walked = walk_path(model, root, path)?;
    let leaf_shape = model.shape(&walked.end);
    let leaf = match &leaf_shape.kind {
        ShapeKind::Simple(Simple::String) | ShapeKind::Enum(_) => PathLeaf::Text,
        ShapeKind::Simple(Simple::Boolean) => PathLeaf::Boolean,
        _ => return Err(format!("it ends on `{}`, which is not a string, string enum or boolean", leaf_shape.id)),
    };
    Ok(ValuePath { text: text.to_string(), steps: walked.steps, leaf, projected: walked.projected })
}

/// A path walked over the shapes, before its leaf is judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkedPath {
    pub steps: Vec<PathStep>,
    /// The shape the last step yields (of each value, after a projection).
    pub end: String,
    pub projected: bool,
}

/// Walks `path` over the shapes from `root` (a structure), giving typed steps.
pub fn walk_path(model: &Model, root: &str, path: &RawPath) -> Result<WalkedPath, String> {
    let mut steps = Vec::new();
    let mut current = root.to_string();
    let mut projected = false;
    let project = |projected: &mut bool, what: &str| {
        if *projected {
            Err(format!("{what} inside a projection gives a list of lists, which no endpoint parameter type holds"))
        } else {
            *projected = true;
            Ok(())
        }
    };
    for segment in &path.segments {
        let shape = model.shape(&current);
        match (segment, &shape.kind) {
            (Segment::Field(name), ShapeKind::Structure(members)) => {
                let Some(member) = members.iter().find(|m| m.name == *name) else {
                    return Err(format!("`{}` has no member `{name}`", shape.id));
                };
                steps.push(PathStep::Field {
                    name: member.name.clone(),
                    rust_name: member.rust_name.clone(),
                    optional: member.optional,
                });
                current = member.target.clone();
            }
            (Segment::ListWildcard, ShapeKind::List { member, sparse }) => {
                project(&mut projected, "`[*]`")?;
                steps.push(PathStep::Elements { sparse: *sparse });
                current = member.target.clone();
            }
            (Segment::Flatten, ShapeKind::List { member, sparse }) => {
                // Outside a projection, `[]` starts one over the elements
                // (and flattens them too when they are lists); inside one,
                // it flattens each projected list into the projection.
                steps.push(PathStep::Elements { sparse: *sparse });
                current = member.target.clone();
                if !projected {
                    projected = true;
                    if let ShapeKind::List { member, sparse } = &model.shape(&current).kind {
                        steps.push(PathStep::Elements { sparse: *sparse });
                        current = member.target.clone();
                    }
                }
            }
            (Segment::ObjectWildcard, ShapeKind::Map { value, sparse, .. }) => {
                project(&mut projected, "`*`")?;
                steps.push(PathStep::MapValues { sparse: *sparse });
                current = value.target.clone();
            }
            (Segment::Field(name), _) => return Err(format!("`{name}` is read from `{}`, which is not a structure", shape.id)),
            (Segment::ListWildcard, _) => return Err(format!("`[*]` is applied to `{}`, which is not a list", shape.id)),
            (Segment::Flatten, _) => return Err(format!("`[]` is applied to `{}`, which is not a list", shape.id)),
            (Segment::ObjectWildcard, _) => {
                return Err(format!("`*` is applied to `{}`, which is not a map (object projections over structures are not supported)", shape.id))
            }
        }
    }
    if path.keys {
        let shape = model.shape(&current);
        let ShapeKind::Map { key, .. } = &shape.kind else {
            return Err(format!("`keys` is applied to `{}`, which is not a map", shape.id));
        };
        project(&mut projected, "`keys`")?;
        steps.push(PathStep::MapKeys);
        current = key.target.clone();
    }
    Ok(WalkedPath { steps, end: current, projected })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_parse_into_segments() {
        let field = |s: &str| Segment::Field(s.to_string());
        assert_eq!(parse_path("TableName"), Ok(RawPath { keys: false, segments: vec![field("TableName")] }));
        assert_eq!(
            parse_path("TransactItems[*].Get.TableName"),
            Ok(RawPath {
                keys: false,
                segments: vec![field("TransactItems"), Segment::ListWildcard, field("Get"), field("TableName")]
            })
        );
        assert_eq!(parse_path("keys(RequestItems)"), Ok(RawPath { keys: true, segments: vec![field("RequestItems")] }));
        assert_eq!(
            parse_path("a[*].b[]"),
            Ok(RawPath { keys: false, segments: vec![field("a"), Segment::ListWildcard, field("b"), Segment::Flatten] })
        );
        assert_eq!(
            parse_path(r#"a."b c".*"#),
            Ok(RawPath { keys: false, segments: vec![field("a"), field("b c"), Segment::ObjectWildcard] })
        );
    }

    #[test]
    fn unsupported_paths_say_why() {
        for (path, why) in [
            ("", "the path is empty"),
            ("a.", "ends with `.`"),
            ("a..b", "expected a member name"),
            ("a[0]", "`[0]` is not supported"),
            ("a[1:2]", "`[1:2]` is not supported"),
            ("a.[b, c]", "`[b, c]`: multi-select lists are not supported yet"),
            ("[b, c]", "multi-select lists are not supported yet"),
            ("a[?b == 'x']", "is not supported"),
            ("length(a)", "function `length` is not supported"),
            ("keys(a", "not closed"),
            ("a | b", "unexpected ` | b`"),
            ("\"a", "quoted name is not closed"),
        ] {
            let err = parse_path(path).expect_err(path);
            assert!(err.contains(why), "{path}: {err}");
        }
    }

    #[test]
    fn waiter_expressions_parse_into_paths_and_length_comparisons() {
        let field = |s: &str| Segment::Field(s.to_string());
        assert_eq!(
            parse_expr("Table.TableStatus"),
            Ok(RawExpr::Path(RawPath { keys: false, segments: vec![field("Table"), field("TableStatus")] }))
        );
        assert_eq!(
            parse_expr("length(Alarms[]) > `0`"),
            Ok(RawExpr::LengthCompare {
                path: RawPath { keys: false, segments: vec![field("Alarms"), Segment::Flatten] },
                op: LengthOp::Gt,
                value: 0
            })
        );
        assert_eq!(
            parse_expr("length(a) <= `12`").map(|e| matches!(e, RawExpr::LengthCompare { op: LengthOp::Le, value: 12, .. })),
            Ok(true)
        );
    }

    #[test]
    fn unsupported_waiter_expressions_say_why() {
        for (expr, why) in [
            ("a == 'x' && b", "`&&` and `||` are not supported"),
            ("a.b == c", "comparisons are supported only between `length(…)`"),
            ("a[?b == 'x'].c", "`[?b == 'x']` is not supported"),
            ("contains(a, 'x')", "function `contains` is not supported"),
            ("length(a)", "gives a number"),
            ("length(a) > b", "only a literal whole number"),
            ("length(a) ~ `1`", "unexpected `~ `1``"),
            ("length(a", "not closed"),
        ] {
            let err = parse_expr(expr).expect_err(expr);
            assert!(err.contains(why), "{expr}: {err}");
        }
    }
}
