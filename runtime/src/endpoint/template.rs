//! Template strings: `https://svc.{Region}.{PartitionResult#dnsSuffix}`.
//! `{{` and `}}` stand for literal braces.

use super::attr::{get_attr, parse_path, PathSegment};
use super::Value;

/// A parsed template string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Var {
        name: String,
        path: Vec<PathSegment>,
    },
}

impl Template {
    /// Parses `text`, reporting unbalanced braces and empty or malformed
    /// variables.
    pub(crate) fn parse(text: &str) -> Result<Template, String> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut at = 0;
        while let Some(c) = text[at..].chars().next() {
            let rest = &text[at..];
            if rest.starts_with("{{") {
                literal.push('{');
                at += 2;
            } else if rest.starts_with("}}") {
                literal.push('}');
                at += 2;
            } else if c == '}' {
                return Err(format!(
                    "template `{text}`: `}}` at byte {at} closes nothing (write `}}}}` for a literal brace)"
                ));
            } else if c == '{' {
                let close = rest.find('}').ok_or_else(|| {
                    format!("template `{text}`: `{{` at byte {at} is never closed")
                })?;
                let inner = &rest[1..close];
                if inner.contains('{') {
                    return Err(format!("template `{text}`: `{{` inside a variable"));
                }
                let (name, path) = match inner.split_once('#') {
                    Some((name, path)) => (
                        name,
                        parse_path(path).map_err(|e| format!("template `{text}`: {e}"))?,
                    ),
                    None => (inner, Vec::new()),
                };
                if name.is_empty() {
                    return Err(format!("template `{text}`: empty variable name"));
                }
                if !literal.is_empty() {
                    parts.push(Part::Literal(std::mem::take(&mut literal)));
                }
                parts.push(Part::Var {
                    name: name.to_owned(),
                    path,
                });
                at += close + 1;
            } else {
                literal.push(c);
                at += c.len_utf8();
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Literal(literal));
        }
        Ok(Template { parts })
    }

    /// The text, if the template has no variables.
    pub(crate) fn as_literal(&self) -> Option<String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Literal(s) => out.push_str(s),
                Part::Var { .. } => return None,
            }
        }
        Some(out)
    }

    /// The names of the variables the template reads.
    pub(crate) fn variables(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|part| match part {
            Part::Var { name, .. } => Some(name.as_str()),
            Part::Literal(_) => None,
        })
    }

    /// Fills the template in, looking variables up with `lookup`. Every
    /// variable must be set and (after its path) a string.
    pub(crate) fn render<'v>(
        &self,
        lookup: impl Fn(&str) -> Option<&'v Value>,
    ) -> Result<String, String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Literal(s) => out.push_str(s),
                Part::Var { name, path } => {
                    let base = lookup(name)
                        .ok_or_else(|| format!("template variable `{name}` is not set"))?;
                    let value = get_attr(base, path)
                        .map_err(|e| format!("template variable `{name}`: {e}"))?
                        .ok_or_else(|| format!("template variable `{name}`: path has no value"))?;
                    let s = value.as_str().ok_or_else(|| {
                        format!(
                            "template variable `{name}` is a {}, not a string",
                            value.type_name()
                        )
                    })?;
                    out.push_str(s);
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn scope() -> BTreeMap<&'static str, Value> {
        let partition =
            Value::from_json(&serde_json::json!({"dnsSuffix": "amazonaws.com", "ok": true}))
                .expect("value");
        BTreeMap::from([("Region", Value::from("us-east-1")), ("P", partition)])
    }

    fn render(text: &str) -> Result<String, String> {
        let scope = scope();
        Template::parse(text)?.render(|name| scope.get(name))
    }

    #[test]
    fn substitutes_variables_and_attributes() {
        assert_eq!(
            render("https://svc.{Region}.{P#dnsSuffix}").as_deref(),
            Ok("https://svc.us-east-1.amazonaws.com")
        );
        assert_eq!(render("{Region}").as_deref(), Ok("us-east-1"));
    }

    #[test]
    fn doubled_braces_are_literal() {
        assert_eq!(render("a{{b}}c{Region}").as_deref(), Ok("a{b}cus-east-1"));
        let t = Template::parse("{{x}}").expect("parses");
        assert_eq!(t.as_literal().as_deref(), Some("{x}"));
    }

    #[test]
    fn literal_templates_are_detected() {
        assert_eq!(
            Template::parse("plain")
                .expect("parses")
                .as_literal()
                .as_deref(),
            Some("plain")
        );
        assert_eq!(
            Template::parse("").expect("parses").as_literal().as_deref(),
            Some("")
        );
        let t = Template::parse("x{Region}y{P#a.b[0]}").expect("parses");
        assert_eq!(t.as_literal(), None);
        assert_eq!(t.variables().collect::<Vec<_>>(), ["Region", "P"]);
    }

    #[test]
    fn malformed_templates_are_rejected() {
        for bad in ["{Region", "Region}", "{}", "{#a}", "{a{b}}", "{P#a..b}"] {
            assert!(Template::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn unset_or_non_string_variables_are_errors() {
        assert!(render("{Missing}")
            .unwrap_err()
            .contains("`Missing` is not set"));
        assert!(render("{P#ok}")
            .unwrap_err()
            .contains("boolean, not a string"));
        assert!(render("{P#nothing}")
            .unwrap_err()
            .contains("path has no value"));
    }
}
