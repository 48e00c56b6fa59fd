//! Loading a rule set: types that mirror the `endpointRuleSet` document,
//! read from its JSON by hand (see [`super::json`]), then lowering into the
//! checked form the evaluator walks.
//!
//! Lowering parses every template and `getAttr` path, resolves function
//! names, checks argument counts, and checks that every reference names a
//! parameter or a variable assigned earlier in scope, so evaluation never
//! re-reads JSON. All problems are collected and reported together.

use std::fmt;
use std::sync::OnceLock;

use super::attr::{parse_path, PathSegment};
use super::json::{Field, Object};
use super::template::Template;
use super::{EndpointError, RuleSetError, RuleSetProblem, Value};

// ---------------------------------------------------------------------------
// The document as written.

struct RawRuleSet {
    version: String,
    parameters: Vec<(String, RawParameter)>,
    rules: Vec<RawRule>,
}

struct RawParameter {
    ty: String,
    built_in: Option<String>,
    required: bool,
    default: Option<serde_json::Value>,
    documentation: Option<String>,
    deprecated: Option<Deprecated>,
}

/// A rule of any type. The `type` tag is checked during lowering rather
/// than while reading, so that a bad tag is reported with the other
/// problems.
struct RawRule {
    ty: String,
    conditions: Vec<RawCondition>,
    endpoint: Option<RawEndpoint>,
    error: Option<serde_json::Value>,
    rules: Option<Vec<RawRule>>,
}

struct RawCondition {
    func: String,
    argv: Vec<serde_json::Value>,
    assign: Option<String>,
}

struct RawEndpoint {
    url: serde_json::Value,
    properties: Vec<(String, serde_json::Value)>,
    headers: Vec<(String, Vec<serde_json::Value>)>,
}

/// Reads each element of an array with `read`.
fn list<T>(field: Field, read: impl FnMut(Field) -> Result<T, String>) -> Result<Vec<T>, String> {
    field.array()?.into_iter().map(read).collect()
}

/// An optional string member.
fn optional_string(object: &mut Object, key: &str) -> Result<Option<String>, String> {
    object.optional(key).map(Field::string).transpose()
}

impl RawRuleSet {
    fn read(json: serde_json::Value) -> Result<RawRuleSet, String> {
        let mut doc = Field::root(json).object()?;
        Ok(RawRuleSet {
            version: doc.required("version")?.string()?,
            parameters: doc
                .defaulted("parameters")
                .map(|p| p.map(RawParameter::read))
                .transpose()?
                .unwrap_or_default(),
            rules: list(doc.required("rules")?, RawRule::read)?,
        })
    }
}

impl RawParameter {
    fn read(field: Field) -> Result<RawParameter, String> {
        let mut p = field.object()?;
        Ok(RawParameter {
            ty: p.required("type")?.string()?,
            built_in: optional_string(&mut p, "builtIn")?,
            required: p
                .defaulted("required")
                .map(Field::boolean)
                .transpose()?
                .unwrap_or(false),
            default: p.optional("default").map(|f| f.value),
            documentation: optional_string(&mut p, "documentation")?,
            deprecated: p.optional("deprecated").map(Deprecated::read).transpose()?,
        })
    }
}

impl RawRule {
    fn read(field: Field) -> Result<RawRule, String> {
        let mut r = field.object()?;
        Ok(RawRule {
            ty: r.required("type")?.string()?,
            conditions: r
                .defaulted("conditions")
                .map(|c| list(c, RawCondition::read))
                .transpose()?
                .unwrap_or_default(),
            endpoint: r.optional("endpoint").map(RawEndpoint::read).transpose()?,
            error: r.optional("error").map(|f| f.value),
            rules: r
                .optional("rules")
                .map(|rules| list(rules, RawRule::read))
                .transpose()?,
        })
    }
}

impl RawCondition {
    fn read(field: Field) -> Result<RawCondition, String> {
        let mut c = field.object()?;
        Ok(RawCondition {
            func: c.required("fn")?.string()?,
            argv: c
                .defaulted("argv")
                .map(Field::values)
                .transpose()?
                .unwrap_or_default(),
            assign: optional_string(&mut c, "assign")?,
        })
    }
}

impl RawEndpoint {
    fn read(field: Field) -> Result<RawEndpoint, String> {
        let mut e = field.object()?;
        Ok(RawEndpoint {
            url: e.required("url")?.value,
            properties: e
                .defaulted("properties")
                .map(|p| p.map(|f| Ok(f.value)))
                .transpose()?
                .unwrap_or_default(),
            headers: e
                .defaulted("headers")
                .map(|h| h.map(Field::values))
                .transpose()?
                .unwrap_or_default(),
        })
    }
}

// ---------------------------------------------------------------------------
// Public description of parameters.

/// The type of an endpoint parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterType {
    /// `string`
    String,
    /// `boolean`
    Boolean,
    /// `stringArray`
    StringArray,
}

impl ParameterType {
    /// Reads a parameter `type`, ignoring case (models write both `String`
    /// and `string`).
    fn from_name(name: &str) -> Option<ParameterType> {
        match name.to_ascii_lowercase().as_str() {
            "string" => Some(ParameterType::String),
            "boolean" => Some(ParameterType::Boolean),
            "stringarray" => Some(ParameterType::StringArray),
            _ => None,
        }
    }

    /// Whether `value` has this type.
    pub fn accepts(self, value: &Value) -> bool {
        match (self, value) {
            (ParameterType::String, Value::String(_))
            | (ParameterType::Boolean, Value::Bool(_)) => true,
            (ParameterType::StringArray, Value::Array(items)) => {
                items.iter().all(|i| i.as_str().is_some())
            }
            _ => false,
        }
    }
}

impl fmt::Display for ParameterType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ParameterType::String => "string",
            ParameterType::Boolean => "boolean",
            ParameterType::StringArray => "stringArray",
        })
    }
}

/// A parameter's `deprecated` object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deprecated {
    /// What to do instead.
    pub message: Option<String>,
    /// When it was deprecated.
    pub since: Option<String>,
}

impl Deprecated {
    fn read(field: Field) -> Result<Deprecated, String> {
        let mut d = field.object()?;
        Ok(Deprecated {
            message: optional_string(&mut d, "message")?,
            since: optional_string(&mut d, "since")?,
        })
    }
}

/// Reads the JSON form, `{"message": .., "since": ..}` (both optional).
impl<'de> serde::Deserialize<'de> for Deprecated {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let json = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
        Deprecated::read(Field::root(json)).map_err(serde::de::Error::custom)
    }
}

/// One declared endpoint parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    name: String,
    ty: ParameterType,
    built_in: Option<String>,
    required: bool,
    default: Option<Value>,
    documentation: Option<String>,
    deprecated: Option<Deprecated>,
}

impl Parameter {
    /// The parameter's name, e.g. `Region`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The parameter's type.
    pub fn parameter_type(&self) -> ParameterType {
        self.ty
    }

    /// The built-in that supplies it, e.g. `AWS::Region`.
    pub fn built_in(&self) -> Option<&str> {
        self.built_in.as_deref()
    }

    /// Whether it must be set (possibly by its default) before evaluation.
    pub fn is_required(&self) -> bool {
        self.required
    }

    /// The value used when it is not set.
    pub fn default_value(&self) -> Option<&Value> {
        self.default.as_ref()
    }

    /// Its documentation.
    pub fn documentation(&self) -> Option<&str> {
        self.documentation.as_deref()
    }

    /// Its deprecation notice.
    pub fn deprecated(&self) -> Option<&Deprecated> {
        self.deprecated.as_ref()
    }
}

// ---------------------------------------------------------------------------
// The lowered form.

/// A rules-engine function, resolved from its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Function {
    IsSet,
    Not,
    BooleanEquals,
    StringEquals,
    Substring,
    UriEncode,
    ParseUrl,
    IsValidHostLabel,
    Coalesce,
    AwsPartition,
    AwsParseArn,
    AwsIsVirtualHostableS3Bucket,
    /// A name this engine does not implement; calling it is an error.
    Unsupported(String),
}

impl Function {
    fn from_name(name: &str) -> Function {
        match name {
            "isSet" => Function::IsSet,
            "not" => Function::Not,
            "booleanEquals" => Function::BooleanEquals,
            "stringEquals" => Function::StringEquals,
            "substring" => Function::Substring,
            "uriEncode" => Function::UriEncode,
            "parseURL" => Function::ParseUrl,
            "isValidHostLabel" => Function::IsValidHostLabel,
            "coalesce" => Function::Coalesce,
            "aws.partition" => Function::AwsPartition,
            "aws.parseArn" => Function::AwsParseArn,
            "aws.isVirtualHostableS3Bucket" => Function::AwsIsVirtualHostableS3Bucket,
            other => Function::Unsupported(other.to_owned()),
        }
    }

    pub(crate) fn name(&self) -> &str {
        match self {
            Function::IsSet => "isSet",
            Function::Not => "not",
            Function::BooleanEquals => "booleanEquals",
            Function::StringEquals => "stringEquals",
            Function::Substring => "substring",
            Function::UriEncode => "uriEncode",
            Function::ParseUrl => "parseURL",
            Function::IsValidHostLabel => "isValidHostLabel",
            Function::Coalesce => "coalesce",
            Function::AwsPartition => "aws.partition",
            Function::AwsParseArn => "aws.parseArn",
            Function::AwsIsVirtualHostableS3Bucket => "aws.isVirtualHostableS3Bucket",
            Function::Unsupported(name) => name,
        }
    }

    /// Checks the argument count, describing the expected count on failure.
    fn check_arity(&self, count: usize) -> Result<(), String> {
        let exact = match self {
            Function::IsSet | Function::Not | Function::UriEncode | Function::ParseUrl => 1,
            Function::AwsPartition | Function::AwsParseArn => 1,
            Function::BooleanEquals | Function::StringEquals | Function::IsValidHostLabel => 2,
            Function::AwsIsVirtualHostableS3Bucket => 2,
            Function::Substring => 4,
            Function::Coalesce if count >= 2 => return Ok(()),
            Function::Coalesce => {
                return Err(format!(
                    "`coalesce` takes two or more arguments, not {count}"
                ))
            }
            Function::Unsupported(_) => return Ok(()),
        };
        if count == exact {
            Ok(())
        } else {
            Err(format!(
                "`{}` takes {exact} argument(s), not {count}",
                self.name()
            ))
        }
    }
}

/// An expression: an argument, a URL, a header value, an error message or a
/// property value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    /// A constant, including strings without template variables.
    Literal(Value),
    /// A string with `{Var}` substitutions.
    Template(Template),
    /// An array whose elements are evaluated.
    Array(Vec<Expr>),
    /// An object whose members are evaluated (endpoint properties), in
    /// the document's order; evaluation puts them in a map.
    Object(Vec<(String, Expr)>),
    /// `{"ref": "Name"}`
    Ref(String),
    /// `getAttr`, with its path parsed.
    GetAttr {
        target: Box<Expr>,
        path: Vec<PathSegment>,
    },
    /// Any other function call.
    Call { func: Function, args: Vec<Expr> },
}

/// A condition: a function call whose result may be assigned to a name.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Condition {
    pub(crate) call: Expr,
    pub(crate) assign: Option<String>,
}

/// The endpoint an endpoint rule produces.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EndpointTemplate {
    pub(crate) url: Expr,
    pub(crate) headers: Vec<(String, Vec<Expr>)>,
    pub(crate) properties: Vec<(String, Expr)>,
}

/// What a rule does once its conditions match.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RuleKind {
    Endpoint(EndpointTemplate),
    Error(Expr),
    Tree(Vec<Rule>),
}

/// A rule: conditions and an outcome.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rule {
    pub(crate) conditions: Vec<Condition>,
    pub(crate) kind: RuleKind,
}

/// A loaded, checked endpoint rule set, ready to [`resolve`](RuleSet::resolve)
/// endpoints.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    version: String,
    parameters: Vec<Parameter>,
    pub(crate) rules: Vec<Rule>,
}

impl RuleSet {
    /// Loads the JSON value of a `smithy.rules#endpointRuleSet` trait.
    pub fn from_json(json: &str) -> Result<RuleSet, RuleSetError> {
        let json: serde_json::Value =
            serde_json::from_str(json).map_err(|e| RuleSetError::Json(e.to_string()))?;
        RuleSet::from_json_value(json)
    }

    /// Loads an already-parsed `smithy.rules#endpointRuleSet` trait value,
    /// as a code generator holding the model has it.
    pub fn from_json_value(json: serde_json::Value) -> Result<RuleSet, RuleSetError> {
        let raw = RawRuleSet::read(json).map_err(RuleSetError::Json)?;
        Lowering::default().rule_set(raw)
    }

    /// The rules-engine version the rule set declares, e.g. `1.0`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The declared parameters, sorted by name.
    pub fn parameters(&self) -> &[Parameter] {
        &self.parameters
    }

    /// The declared parameter called `name`.
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }

    /// The names of functions the rule set calls that this engine does not
    /// implement, sorted and without repeats. Calling one fails with
    /// [`EndpointError::UnsupportedFunction`]; a code generator can refuse
    /// such a rule set up front.
    pub fn unsupported_functions(&self) -> Vec<&str> {
        fn walk_expr<'a>(expr: &'a Expr, out: &mut Vec<&'a str>) {
            match expr {
                Expr::Literal(_) | Expr::Template(_) | Expr::Ref(_) => {}
                Expr::Array(items) => items.iter().for_each(|e| walk_expr(e, out)),
                Expr::Object(members) => members.iter().for_each(|(_, e)| walk_expr(e, out)),
                Expr::GetAttr { target, .. } => walk_expr(target, out),
                Expr::Call { func, args } => {
                    if let Function::Unsupported(name) = func {
                        out.push(name);
                    }
                    args.iter().for_each(|e| walk_expr(e, out));
                }
            }
        }
        fn walk_rules<'a>(rules: &'a [Rule], out: &mut Vec<&'a str>) {
            for rule in rules {
                rule.conditions.iter().for_each(|c| walk_expr(&c.call, out));
                match &rule.kind {
                    RuleKind::Endpoint(e) => {
                        walk_expr(&e.url, out);
                        e.headers
                            .iter()
                            .flat_map(|(_, v)| v)
                            .for_each(|v| walk_expr(v, out));
                        e.properties.iter().for_each(|(_, v)| walk_expr(v, out));
                    }
                    RuleKind::Error(e) => walk_expr(e, out),
                    RuleKind::Tree(sub) => walk_rules(sub, out),
                }
            }
        }
        let mut out = Vec::new();
        walk_rules(&self.rules, &mut out);
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// A rule set kept as its JSON text and loaded on first use, for a
/// `static` in a generated client: creating a client does no work, and
/// the first endpoint resolution pays for parsing once.
///
/// ```
/// use smithy_runtime::endpoint::{EndpointParams, LazyRuleSet};
///
/// static RULES: LazyRuleSet = LazyRuleSet::new(
///     r#"{"version": "1.0", "parameters": {}, "rules": [
///         {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://example.com"}}]}"#,
/// );
/// let endpoint = RULES.resolve(&EndpointParams::new()).unwrap();
/// assert_eq!(endpoint.url, "https://example.com");
/// ```
#[derive(Debug)]
pub struct LazyRuleSet {
    json: &'static str,
    loaded: OnceLock<Result<RuleSet, RuleSetError>>,
}

impl LazyRuleSet {
    /// Wraps the rule set's JSON text without looking at it.
    pub const fn new(json: &'static str) -> LazyRuleSet {
        LazyRuleSet {
            json,
            loaded: OnceLock::new(),
        }
    }

    /// The rule set, loading it on the first call. A load error is kept and
    /// returned again on later calls.
    pub fn get(&self) -> Result<&RuleSet, RuleSetError> {
        self.loaded
            .get_or_init(|| RuleSet::from_json(self.json))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Loads the rule set if needed, then resolves `params` with it.
    pub fn resolve(
        &self,
        params: &super::EndpointParams,
    ) -> Result<super::Endpoint, EndpointError> {
        self.get()?.resolve(params)
    }
}

// ---------------------------------------------------------------------------
// Lowering.

#[derive(Default)]
struct Lowering {
    problems: Vec<RuleSetProblem>,
    /// Parameter names, then variables assigned by enclosing conditions.
    scope: Vec<String>,
}

impl Lowering {
    fn problem(&mut self, location: &str, message: impl Into<String>) {
        self.problems.push(RuleSetProblem {
            location: location.to_owned(),
            message: message.into(),
        });
    }

    fn rule_set(mut self, raw: RawRuleSet) -> Result<RuleSet, RuleSetError> {
        if !raw.version.starts_with("1.") {
            self.problem(
                "version",
                format!(
                    "rules-engine version `{}` is not supported (expected 1.x)",
                    raw.version
                ),
            );
        }
        let mut parameters = Vec::with_capacity(raw.parameters.len());
        for (name, p) in raw.parameters {
            if let Some(param) = self.parameter(name, p) {
                parameters.push(param);
            }
        }
        if raw.rules.is_empty() {
            self.problem("rules", "a rule set needs one or more rules");
        }
        let rules = self.rules(raw.rules, "rules");
        if self.problems.is_empty() {
            Ok(RuleSet {
                version: raw.version,
                parameters,
                rules,
            })
        } else {
            Err(RuleSetError::Invalid(self.problems))
        }
    }

    fn parameter(&mut self, name: String, p: RawParameter) -> Option<Parameter> {
        let loc = format!("parameters.{name}");
        // Put the name in scope even if the declaration is bad, so that
        // references to it do not add noise.
        self.scope.push(name.clone());
        let Some(ty) = ParameterType::from_name(&p.ty) else {
            self.problem(
                &loc,
                format!(
                    "unknown type `{}` (expected string, boolean or stringArray)",
                    p.ty
                ),
            );
            return None;
        };
        let default = match p.default.as_ref().map(|d| (d, Value::from_json(d))) {
            None => None,
            Some((_, Some(value))) if ty.accepts(&value) => Some(value),
            Some((raw, _)) => {
                self.problem(&loc, format!("default `{raw}` is not a {ty}"));
                return None;
            }
        };
        Some(Parameter {
            name,
            ty,
            built_in: p.built_in,
            required: p.required,
            default,
            documentation: p.documentation,
            deprecated: p.deprecated,
        })
    }

    fn rules(&mut self, raw: Vec<RawRule>, loc: &str) -> Vec<Rule> {
        raw.into_iter()
            .enumerate()
            .filter_map(|(i, r)| self.rule(r, &format!("{loc}[{i}]")))
            .collect()
    }

    fn rule(&mut self, raw: RawRule, loc: &str) -> Option<Rule> {
        let mark = self.scope.len();
        let mut conditions = Vec::with_capacity(raw.conditions.len());
        let mut conditions_ok = true;
        for (i, c) in raw.conditions.iter().enumerate() {
            match self.condition(c, &format!("{loc}.conditions[{i}]")) {
                Some(c) => conditions.push(c),
                None => conditions_ok = false,
            }
        }
        let kind = match (raw.ty.as_str(), raw.endpoint, raw.error, raw.rules) {
            ("endpoint", Some(endpoint), _, _) => self
                .endpoint(endpoint, &format!("{loc}.endpoint"))
                .map(RuleKind::Endpoint),
            ("error", _, Some(error), _) => self
                .expr(&error, &format!("{loc}.error"))
                .map(RuleKind::Error),
            ("tree", _, _, Some(rules)) if !rules.is_empty() => {
                let sub_loc = format!("{loc}.rules");
                Some(RuleKind::Tree(self.rules(rules, &sub_loc)))
            }
            ("endpoint", ..) => {
                self.problem(loc, "endpoint rule has no `endpoint`");
                None
            }
            ("error", ..) => {
                self.problem(loc, "error rule has no `error`");
                None
            }
            ("tree", ..) => {
                self.problem(loc, "tree rule needs one or more `rules`");
                None
            }
            (other, ..) => {
                self.problem(
                    loc,
                    format!("unknown rule type `{other}` (expected endpoint, error or tree)"),
                );
                None
            }
        };
        self.scope.truncate(mark);
        let kind = kind?;
        conditions_ok.then_some(Rule { conditions, kind })
    }

    fn condition(&mut self, raw: &RawCondition, loc: &str) -> Option<Condition> {
        let call = self.call(&raw.func, &raw.argv, loc);
        if let Some(name) = &raw.assign {
            if self.scope.iter().any(|n| n == name) {
                self.problem(
                    loc,
                    format!("`assign: {name}` reuses the name of a parameter or variable in scope"),
                );
            }
            self.scope.push(name.clone());
        }
        Some(Condition {
            call: call?,
            assign: raw.assign.clone(),
        })
    }

    fn call(&mut self, name: &str, argv: &[serde_json::Value], loc: &str) -> Option<Expr> {
        if name == "getAttr" {
            let [target, path] = argv else {
                self.problem(
                    loc,
                    format!("`getAttr` takes 2 arguments, not {}", argv.len()),
                );
                return None;
            };
            let target = self.expr(target, &format!("{loc}.argv[0]"));
            let path = match path.as_str().map(parse_path) {
                Some(Ok(path)) => Some(path),
                Some(Err(e)) => {
                    self.problem(&format!("{loc}.argv[1]"), e);
                    None
                }
                None => {
                    self.problem(
                        &format!("{loc}.argv[1]"),
                        "the `getAttr` path must be a literal string",
                    );
                    None
                }
            };
            return Some(Expr::GetAttr {
                target: Box::new(target?),
                path: path?,
            });
        }
        let func = Function::from_name(name);
        if let Err(e) = func.check_arity(argv.len()) {
            self.problem(loc, e);
        }
        let args: Vec<Option<Expr>> = argv
            .iter()
            .enumerate()
            .map(|(i, a)| self.expr(a, &format!("{loc}.argv[{i}]")))
            .collect();
        let args = args.into_iter().collect::<Option<Vec<_>>>()?;
        Some(Expr::Call { func, args })
    }

    /// An argument, URL, header value or error message.
    fn expr(&mut self, json: &serde_json::Value, loc: &str) -> Option<Expr> {
        use serde_json::Value as J;
        match json {
            J::String(text) => self.template(text, loc),
            J::Bool(b) => Some(Expr::Literal(Value::Bool(*b))),
            J::Number(n) => match n.as_i64() {
                Some(i) => Some(Expr::Literal(Value::Integer(i))),
                None => {
                    self.problem(loc, format!("number `{n}` is not an integer"));
                    None
                }
            },
            J::Array(items) => {
                let items: Vec<Option<Expr>> = items
                    .iter()
                    .enumerate()
                    .map(|(i, e)| self.expr(e, &format!("{loc}[{i}]")))
                    .collect();
                Some(Expr::Array(items.into_iter().collect::<Option<_>>()?))
            }
            J::Object(members) => {
                if let Some(target) = members.get("ref") {
                    let Some(name) = target.as_str() else {
                        self.problem(loc, "`ref` must name a parameter or variable as a string");
                        return None;
                    };
                    self.check_ref(name, loc);
                    Some(Expr::Ref(name.to_owned()))
                } else if let Some(func) = members.get("fn") {
                    let Some(func) = func.as_str() else {
                        self.problem(loc, "`fn` must be a function name string");
                        return None;
                    };
                    match members.get("argv") {
                        Some(J::Array(argv)) => self.call(func, argv, loc),
                        _ => {
                            self.problem(loc, format!("call to `{func}` has no `argv` array"));
                            None
                        }
                    }
                } else {
                    self.problem(loc, "an object here must be a reference {\"ref\": ..} or a function {\"fn\": .., \"argv\": [..]}");
                    None
                }
            }
            J::Null => {
                self.problem(loc, "null is not a value");
                None
            }
        }
    }

    /// An endpoint property value: literals, arrays and objects, with
    /// strings as templates. References and functions are not allowed here,
    /// so objects are always plain objects.
    fn property(&mut self, json: &serde_json::Value, loc: &str) -> Option<Expr> {
        use serde_json::Value as J;
        match json {
            J::Array(items) => {
                let items: Vec<Option<Expr>> = items
                    .iter()
                    .enumerate()
                    .map(|(i, e)| self.property(e, &format!("{loc}[{i}]")))
                    .collect();
                Some(Expr::Array(items.into_iter().collect::<Option<_>>()?))
            }
            J::Object(members) => {
                // Every member is lowered (each reports its own problems)
                // before a failure makes the whole object `None`.
                let mut object = Some(Vec::with_capacity(members.len()));
                for (k, v) in members {
                    let value = self.property(v, &format!("{loc}.{k}"));
                    if let (Some(object), Some(value)) = (object.as_mut(), value) {
                        object.push((k.clone(), value));
                    } else {
                        object = None;
                    }
                }
                Some(Expr::Object(object?))
            }
            other => self.expr(other, loc),
        }
    }

    fn template(&mut self, text: &str, loc: &str) -> Option<Expr> {
        let template = match Template::parse(text) {
            Ok(t) => t,
            Err(e) => {
                self.problem(loc, e);
                return None;
            }
        };
        let unknown: Vec<String> = template
            .variables()
            .filter(|v| !self.scope.iter().any(|n| n == v))
            .map(str::to_owned)
            .collect();
        for name in unknown {
            self.problem(loc, format!("template variable `{name}` is not a parameter or a variable assigned earlier in scope"));
        }
        Some(match template.as_literal() {
            Some(text) => Expr::Literal(Value::String(text)),
            None => Expr::Template(template),
        })
    }

    fn check_ref(&mut self, name: &str, loc: &str) {
        if !self.scope.iter().any(|n| n == name) {
            self.problem(
                loc,
                format!("`{name}` is not a parameter or a variable assigned earlier in scope"),
            );
        }
    }

    fn endpoint(&mut self, raw: RawEndpoint, loc: &str) -> Option<EndpointTemplate> {
        let url = self.expr(&raw.url, &format!("{loc}.url"));
        let mut headers = Vec::with_capacity(raw.headers.len());
        let mut ok = true;
        for (name, values) in &raw.headers {
            let lowered: Option<Vec<Expr>> = values
                .iter()
                .enumerate()
                .map(|(i, v)| self.expr(v, &format!("{loc}.headers.{name}[{i}]")))
                .collect::<Vec<_>>()
                .into_iter()
                .collect();
            match lowered {
                Some(v) => headers.push((name.clone(), v)),
                None => ok = false,
            }
        }
        let mut properties = Vec::with_capacity(raw.properties.len());
        for (name, value) in &raw.properties {
            match self.property(value, &format!("{loc}.properties.{name}")) {
                Some(v) => properties.push((name.clone(), v)),
                None => ok = false,
            }
        }
        let url = url?;
        ok.then_some(EndpointTemplate {
            url,
            headers,
            properties,
        })
    }
}
