//! Evaluating a loaded rule set against parameters.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::attr::get_attr;
use super::aws::{is_virtual_hostable_s3_bucket, parse_arn};
use super::functions::{is_valid_host_label, parse_url, substring, uri_encode};
use super::partition;
use super::ruleset::{EndpointTemplate, Expr, Function, Rule, RuleKind};
use super::{EndpointError, EndpointParams, RuleSet, Value};

/// A resolved endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    /// The URL to send the request to, e.g.
    /// `https://ivsrealtime.us-east-1.amazonaws.com`.
    pub url: String,
    /// Headers to add to the request.
    pub headers: BTreeMap<String, Vec<String>>,
    /// Other properties, such as `authSchemes` (a list of objects whose
    /// `name` selects a scheme and whose other members, e.g.
    /// `signingRegion`, adjust it).
    pub properties: BTreeMap<String, Value>,
}

/// Parameters and assigned variables visible at a point of evaluation.
/// Parameter values are borrowed; assigned ones are owned. Later entries
/// are inner scopes; leaving a rule truncates back to its mark.
struct Scope<'a> {
    vars: Vec<(&'a str, Cow<'a, Value>)>,
}

impl Scope<'_> {
    fn lookup(&self, name: &str) -> Option<&Value> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_ref())
    }
}

impl RuleSet {
    /// Resolves the endpoint for `params`.
    ///
    /// Parameters are checked first: each must be declared by the rule set
    /// and of its declared type; an unset parameter takes its default, and a
    /// required one without a default is an error. Rules are then tried in
    /// order. A matching `error` rule gives [`EndpointError::Rule`] with the
    /// rule's message.
    ///
    /// A function given an unset argument (other than `isSet` and
    /// `coalesce`, which exist to handle that) yields "unset", so a
    /// condition built on it does not match; an argument of the wrong type
    /// is an [`EndpointError::Evaluation`].
    pub fn resolve(&self, params: &EndpointParams) -> Result<Endpoint, EndpointError> {
        for (name, value) in params.iter() {
            let decl = self
                .parameter(name)
                .ok_or_else(|| EndpointError::UnknownParameter(name.to_owned()))?;
            if !decl.parameter_type().accepts(value) {
                return Err(EndpointError::InvalidParameter {
                    name: name.to_owned(),
                    expected: decl.parameter_type(),
                    found: value.type_name(),
                });
            }
        }
        let mut scope = Scope {
            vars: Vec::with_capacity(self.parameters().len() + 4),
        };
        for decl in self.parameters() {
            match params.get(decl.name()).or(decl.default_value()) {
                Some(value) => scope.vars.push((decl.name(), Cow::Borrowed(value))),
                None if decl.is_required() => {
                    return Err(EndpointError::MissingParameter(decl.name().to_owned()))
                }
                None => {}
            }
        }
        eval_rules(&self.rules, &mut scope)?.ok_or(EndpointError::NoMatchingRule)
    }
}

/// Tries `rules` in order: the first that matches decides. `Ok(None)` when
/// none matched.
fn eval_rules<'a>(
    rules: &'a [Rule],
    scope: &mut Scope<'a>,
) -> Result<Option<Endpoint>, EndpointError> {
    for rule in rules {
        let mark = scope.vars.len();
        let outcome = eval_rule(rule, scope);
        scope.vars.truncate(mark);
        if let Some(endpoint) = outcome? {
            return Ok(Some(endpoint));
        }
    }
    Ok(None)
}

/// `Ok(None)` when a condition does not match.
fn eval_rule<'a>(rule: &'a Rule, scope: &mut Scope<'a>) -> Result<Option<Endpoint>, EndpointError> {
    for condition in &rule.conditions {
        let assigned = match eval(&condition.call, scope)? {
            None => return Ok(None),
            Some(value) if matches!(*value, Value::Bool(false)) => return Ok(None),
            Some(value) => condition
                .assign
                .as_deref()
                .map(|name| (name, value.into_owned())),
        };
        if let Some((name, value)) = assigned {
            scope.vars.push((name, Cow::Owned(value)));
        }
    }
    match &rule.kind {
        RuleKind::Endpoint(template) => build_endpoint(template, scope).map(Some),
        RuleKind::Error(message) => Err(EndpointError::Rule(eval_string(
            message,
            scope,
            "error rule message",
        )?)),
        // A tree whose conditions matched is terminal: if none of its rules
        // match, resolution fails rather than trying the tree's siblings.
        RuleKind::Tree(rules) => eval_rules(rules, scope)?
            .map(Some)
            .ok_or(EndpointError::NoMatchingRule),
    }
}

fn build_endpoint(
    template: &EndpointTemplate,
    scope: &Scope<'_>,
) -> Result<Endpoint, EndpointError> {
    let url = eval_string(&template.url, scope, "endpoint url")?;
    let mut headers = BTreeMap::new();
    for (name, values) in &template.headers {
        let values = values
            .iter()
            .map(|v| eval_string(v, scope, &format!("header `{name}`")))
            .collect::<Result<Vec<_>, _>>()?;
        headers.insert(name.clone(), values);
    }
    let mut properties = BTreeMap::new();
    for (name, value) in &template.properties {
        let value = eval(value, scope)?.ok_or_else(|| {
            EndpointError::Evaluation(format!("endpoint property `{name}` is not set"))
        })?;
        properties.insert(name.clone(), value.into_owned());
    }
    Ok(Endpoint {
        url,
        headers,
        properties,
    })
}

/// Evaluates an expression that must give a string.
fn eval_string(expr: &Expr, scope: &Scope<'_>, what: &str) -> Result<String, EndpointError> {
    match eval(expr, scope)? {
        Some(value) => match value.into_owned() {
            Value::String(s) => Ok(s),
            other => Err(EndpointError::Evaluation(format!(
                "{what} is a {}, not a string",
                other.type_name()
            ))),
        },
        None => Err(EndpointError::Evaluation(format!("{what} is not set"))),
    }
}

/// Evaluates an expression; `None` means "not set".
fn eval<'s>(expr: &'s Expr, scope: &'s Scope<'_>) -> Result<Option<Cow<'s, Value>>, EndpointError> {
    Ok(match expr {
        Expr::Literal(value) => Some(Cow::Borrowed(value)),
        Expr::Template(template) => {
            let text = template
                .render(|name| scope.lookup(name))
                .map_err(EndpointError::Evaluation)?;
            Some(Cow::Owned(Value::String(text)))
        }
        Expr::Ref(name) => scope.lookup(name).map(Cow::Borrowed),
        Expr::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let value = eval(item, scope)?.ok_or_else(|| {
                    EndpointError::Evaluation(format!("array element {i} is not set"))
                })?;
                out.push(value.into_owned());
            }
            Some(Cow::Owned(Value::Array(out)))
        }
        Expr::Object(members) => {
            let mut out = BTreeMap::new();
            for (key, member) in members {
                let value = eval(member, scope)?.ok_or_else(|| {
                    EndpointError::Evaluation(format!("object member `{key}` is not set"))
                })?;
                out.insert(key.clone(), value.into_owned());
            }
            Some(Cow::Owned(Value::Object(out)))
        }
        Expr::GetAttr { target, path } => {
            let attr_error = |e: String| EndpointError::Evaluation(format!("getAttr: {e}"));
            match eval(target, scope)? {
                None => None,
                Some(Cow::Borrowed(value)) => get_attr(value, path)
                    .map_err(attr_error)?
                    .map(Cow::Borrowed),
                Some(Cow::Owned(value)) => get_attr(&value, path)
                    .map_err(attr_error)?
                    .cloned()
                    .map(Cow::Owned),
            }
        }
        Expr::Call { func, args } => call(func, args, scope)?,
    })
}

/// Returns `Ok(None)` from the enclosing function when an argument is unset.
macro_rules! set {
    ($arg:expr) => {
        match $arg {
            Some(value) => value,
            None => return Ok(None),
        }
    };
}

/// The arguments of one call, read with type checks.
struct Args<'s, 'a> {
    func: &'s Function,
    args: &'s [Expr],
    scope: &'s Scope<'a>,
}

impl<'s> Args<'s, '_> {
    fn value(&self, i: usize) -> Result<Option<Cow<'s, Value>>, EndpointError> {
        match self.args.get(i) {
            Some(expr) => eval(expr, self.scope),
            None => Err(EndpointError::Evaluation(format!(
                "`{}` is missing argument {}",
                self.func.name(),
                i + 1
            ))),
        }
    }

    fn wrong_type(&self, i: usize, expected: &str, found: &Value) -> EndpointError {
        EndpointError::Evaluation(format!(
            "argument {} of `{}` must be a {expected}, not a {}",
            i + 1,
            self.func.name(),
            found.type_name()
        ))
    }

    fn string(&self, i: usize) -> Result<Option<Cow<'s, str>>, EndpointError> {
        Ok(match self.value(i)? {
            None => None,
            Some(Cow::Borrowed(Value::String(s))) => Some(Cow::Borrowed(s.as_str())),
            Some(Cow::Owned(Value::String(s))) => Some(Cow::Owned(s)),
            Some(other) => return Err(self.wrong_type(i, "string", &other)),
        })
    }

    fn boolean(&self, i: usize) -> Result<Option<bool>, EndpointError> {
        Ok(match self.value(i)? {
            None => None,
            Some(value) => match *value {
                Value::Bool(b) => Some(b),
                ref other => return Err(self.wrong_type(i, "boolean", other)),
            },
        })
    }

    fn integer(&self, i: usize) -> Result<Option<i64>, EndpointError> {
        Ok(match self.value(i)? {
            None => None,
            Some(value) => match *value {
                Value::Integer(n) => Some(n),
                ref other => return Err(self.wrong_type(i, "integer", other)),
            },
        })
    }
}

fn call<'s>(
    func: &'s Function,
    args: &'s [Expr],
    scope: &'s Scope<'_>,
) -> Result<Option<Cow<'s, Value>>, EndpointError> {
    let a = Args { func, args, scope };
    let result = match func {
        Function::Unsupported(name) => {
            return Err(EndpointError::UnsupportedFunction(name.clone()))
        }
        Function::IsSet => Some(Value::Bool(a.value(0)?.is_some())),
        Function::Coalesce => {
            for i in 0..args.len() {
                if let Some(value) = a.value(i)? {
                    return Ok(Some(value));
                }
            }
            None
        }
        Function::Not => Some(Value::Bool(!set!(a.boolean(0)?))),
        Function::BooleanEquals => {
            let (x, y) = (set!(a.boolean(0)?), set!(a.boolean(1)?));
            Some(Value::Bool(x == y))
        }
        Function::StringEquals => {
            let (x, y) = (set!(a.string(0)?), set!(a.string(1)?));
            Some(Value::Bool(x == y))
        }
        Function::Substring => {
            let input = set!(a.string(0)?);
            let (start, stop, reverse) = (
                set!(a.integer(1)?),
                set!(a.integer(2)?),
                set!(a.boolean(3)?),
            );
            substring(&input, start, stop, reverse).map(Value::String)
        }
        Function::UriEncode => Some(Value::String(uri_encode(&set!(a.string(0)?)))),
        Function::ParseUrl => parse_url(&set!(a.string(0)?)).map(|url| url.into_value()),
        Function::IsValidHostLabel => {
            let (label, subdomains) = (set!(a.string(0)?), set!(a.boolean(1)?));
            Some(Value::Bool(is_valid_host_label(&label, subdomains)))
        }
        Function::AwsPartition => {
            let region = set!(a.string(0)?);
            let table = partition::embedded().map_err(EndpointError::Evaluation)?;
            return Ok(table.lookup(&region).map(Cow::Borrowed));
        }
        Function::AwsParseArn => parse_arn(&set!(a.string(0)?)),
        Function::AwsIsVirtualHostableS3Bucket => {
            let (bucket, subdomains) = (set!(a.string(0)?), set!(a.boolean(1)?));
            Some(Value::Bool(is_virtual_hostable_s3_bucket(
                &bucket, subdomains,
            )))
        }
    };
    Ok(result.map(Cow::Owned))
}
