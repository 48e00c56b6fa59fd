//! The symbol table: shape id → Rust path and type. Emitters ask here and
//! never build a path or type from a shape name themselves.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Member, Model, Role, Shape, ShapeKind, Simple, StreamKind};
use crate::naming::field_name;

/// The generated module a type lives in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Module {
    /// `crate::types`: shared structures, enums and unions.
    Types,
    /// `crate::error`: modeled errors.
    Error,
    /// `crate::operation::<name>`: an operation's input, output and error.
    Operation(String),
}

/// An identifier from a name the naming module assigned (`r#type` → raw).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

pub struct Symbols<'m> {
    model: &'m Model,
}

impl<'m> Symbols<'m> {
    pub fn new(model: &'m Model) -> Self {
        Symbols { model }
    }

    pub fn model(&self) -> &'m Model {
        self.model
    }

    /// The module of a named type (structure, union, enum, error).
    pub fn module(&self, shape: &Shape) -> Module {
        match &shape.role {
            Role::Data => Module::Types,
            Role::Error(_) => Module::Error,
            Role::Input(op) | Role::Output(op) => {
                let module = self.model.operations.iter().find(|o| &o.id == op).map(|o| o.rust_module.clone());
                Module::Operation(module.unwrap_or_else(|| field_name(crate::ir::local_name(op))))
            }
        }
    }

    /// The file-level module name of a `types`/`error` type, e.g. `stage_summary`.
    pub fn file_module(&self, shape: &Shape) -> String {
        crate::naming::file_module_name(&shape.rust_name)
    }

    /// The name of a structure's builder, e.g. `StageBuilder`.
    pub fn builder_name(&self, shape: &Shape) -> String {
        crate::naming::builder_name(&shape.rust_name)
    }

    /// Where a structure's builder is reached from outside its file:
    /// `crate::types::builders::StageBuilder`, `crate::error::builders::…`, or
    /// next to the type in its operation module (see [`crate::naming`]).
    pub fn builder_path(&self, shape: &Shape) -> TokenStream {
        let name = ident(&self.builder_name(shape));
        let builders = ident(crate::naming::BUILDERS_MODULE);
        match self.module(shape) {
            Module::Types => quote!(crate::types::#builders::#name),
            Module::Error => quote!(crate::error::#builders::#name),
            Module::Operation(module) => {
                let module = ident(&module);
                quote!(crate::operation::#module::#name)
            }
        }
    }

    /// `crate::types::Stage`, `crate::operation::create_stage::CreateStageInput`, …
    pub fn type_path(&self, shape: &Shape) -> TokenStream {
        let name = ident(&shape.rust_name);
        match self.module(shape) {
            Module::Types => quote!(crate::types::#name),
            Module::Error => quote!(crate::error::#name),
            Module::Operation(module) => {
                let module = ident(&module);
                quote!(crate::operation::#module::#name)
            }
        }
    }

    /// The Rust type of a value of the shape `id`.
    pub fn value_type(&self, id: &str) -> TokenStream {
        let shape = self.model.shape(id);
        match &shape.kind {
            ShapeKind::Simple(Simple::Blob) if shape.streaming => quote!(crate::primitives::ByteStream),
            ShapeKind::Simple(simple) => simple_type(*simple),
            ShapeKind::Enum(_) | ShapeKind::IntEnum(_) | ShapeKind::Structure(_) | ShapeKind::Union(_) => {
                self.type_path(shape)
            }
            ShapeKind::List { member, .. } => {
                let item = self.element_type(member);
                quote!(::std::vec::Vec<#item>)
            }
            ShapeKind::Map { key, value, .. } => {
                let key = self.value_type(&key.target);
                let value = self.element_type(value);
                quote!(::std::collections::HashMap<#key, #value>)
            }
        }
    }

    /// A list item or map value: `Option<T>` in sparse collections.
    pub fn element_type(&self, member: &Member) -> TokenStream {
        let inner = self.value_type(&member.target);
        if member.optional {
            quote!(::std::option::Option<#inner>)
        } else {
            inner
        }
    }

    /// The type of a member's value as a builder holds it: the target's
    /// type, except that an event stream is the runtime's sender (input) or
    /// receiver (output) of the union's events.
    pub fn unboxed_member_type(&self, member: &Member) -> TokenStream {
        let union = self.value_type(&member.target);
        match member.stream {
            Some(StreamKind::InputEvents) => quote!(crate::primitives::event_stream::EventStreamSender<#union>),
            Some(StreamKind::OutputEvents) => {
                let error = self.event_stream_error_path(self.model.shape(&member.target));
                quote!(crate::primitives::event_stream::EventReceiver<#union, #error>)
            }
            Some(StreamKind::Blob) | None => union,
        }
    }

    /// The error enum of an event-stream union's `@error` members, next to
    /// the union: `crate::types::<Union>Error`.
    pub fn event_stream_error_path(&self, union: &Shape) -> TokenStream {
        let name = ident(&crate::naming::event_stream_error_name(&union.rust_name));
        quote!(crate::types::#name)
    }

    /// Whether a structure holds a stream (a member marked as one, or any
    /// member targeting a streaming blob, whose type is always
    /// `ByteStream`), so it cannot be cloned, compared or serialized.
    pub fn holds_stream(&self, shape: &Shape) -> bool {
        let streams = |m: &Member| {
            let target = self.model.shape(&m.target);
            m.stream.is_some() || (target.streaming && matches!(target.kind, ShapeKind::Simple(Simple::Blob)))
        };
        matches!(&shape.kind, ShapeKind::Structure(members) if members.iter().any(streams))
    }

    /// The type of a member's value, boxed when recursive, without `Option`.
    pub fn member_value_type(&self, member: &Member) -> TokenStream {
        let inner = self.unboxed_member_type(member);
        if member.boxed {
            quote!(::std::boxed::Box<#inner>)
        } else {
            inner
        }
    }

    /// The field type of a structure member: `Option<…>` unless always present.
    pub fn member_type(&self, member: &Member) -> TokenStream {
        let value = self.member_value_type(member);
        if member.optional {
            quote!(::std::option::Option<#value>)
        } else {
            value
        }
    }

    /// Whether a member's value could reveal `@sensitive` data in `Debug`.
    pub fn is_sensitive(&self, member: &Member) -> bool {
        member.sensitive || self.target_is_sensitive(&member.target)
    }

    fn target_is_sensitive(&self, id: &str) -> bool {
        let shape = self.model.shape(id);
        shape.sensitive
            || match &shape.kind {
                ShapeKind::List { member, .. } => self.target_is_sensitive(&member.target),
                ShapeKind::Map { key, value, .. } => {
                    self.target_is_sensitive(&key.target) || self.target_is_sensitive(&value.target)
                }
                _ => false,
            }
    }

    /// Whether values of this shape can derive `Eq`/`Hash` (no floats or documents inside).
    pub fn is_float_free(&self, id: &str) -> bool {
        let mut seen = std::collections::BTreeSet::new();
        self.float_free(id, &mut seen)
    }

    fn float_free(&self, id: &str, seen: &mut std::collections::BTreeSet<String>) -> bool {
        if !seen.insert(id.to_string()) {
            return true;
        }
        let shape = self.model.shape(id);
        match &shape.kind {
            ShapeKind::Simple(Simple::Float | Simple::Double | Simple::Document) => false,
            ShapeKind::Simple(_) | ShapeKind::Enum(_) | ShapeKind::IntEnum(_) => true,
            ShapeKind::List { member, .. } => self.float_free(&member.target, seen),
            ShapeKind::Map { .. } => false,
            ShapeKind::Structure(members) | ShapeKind::Union(members) => {
                members.iter().all(|m| self.float_free(&m.target, seen))
            }
        }
    }
}

/// Rust types of the simple shapes.
pub fn simple_type(simple: Simple) -> TokenStream {
    match simple {
        Simple::Blob => quote!(crate::primitives::Blob),
        Simple::Boolean => quote!(bool),
        Simple::String => quote!(::std::string::String),
        Simple::Byte => quote!(i8),
        Simple::Short => quote!(i16),
        Simple::Integer => quote!(i32),
        Simple::Long => quote!(i64),
        Simple::Float => quote!(f32),
        Simple::Double => quote!(f64),
        Simple::BigInteger => quote!(crate::primitives::BigInteger),
        Simple::BigDecimal => quote!(crate::primitives::BigDecimal),
        Simple::Timestamp => quote!(crate::primitives::DateTime),
        Simple::Document => quote!(crate::primitives::Document),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::tests::lower_str;

    #[test]
    fn types_paths_and_options() {
        let model = lower_str(
            r#"{"a#Svc": {"type": "service", "version": "1", "operations": [{"target": "a#GetThing"}]},
                "a#GetThing": {"type": "operation", "input": {"target": "a#In"}, "output": {"target": "a#Out"}},
                "a#In": {"type": "structure", "members": {"names": {"target": "a#Names"}}},
                "a#Out": {"type": "structure", "members": {
                    "thing": {"target": "a#Thing", "traits": {"smithy.api#required": {}}},
                    "when": {"target": "smithy.api#Timestamp"}}},
                "a#Names": {"type": "list", "member": {"target": "smithy.api#String"}},
                "a#Thing": {"type": "structure", "members": {"tags": {"target": "a#Tags"}}},
                "a#Tags": {"type": "map", "key": {"target": "smithy.api#String"}, "value": {"target": "smithy.api#String"}}}"#,
        );
        let symbols = Symbols::new(&model);
        let ty = |id: &str| symbols.value_type(id).to_string().replace(' ', "");
        assert_eq!(ty("a#In"), "crate::operation::get_thing::GetThingInput");
        assert_eq!(ty("a#Names"), "::std::vec::Vec<::std::string::String>");
        assert_eq!(ty("a#Thing"), "crate::types::Thing");
        assert_eq!(ty("a#Tags"), "::std::collections::HashMap<::std::string::String,::std::string::String>");
        let ShapeKind::Structure(members) = &model.shape("a#Out").kind else { panic!("structure") };
        let fields: Vec<String> = members.iter().map(|m| symbols.member_type(m).to_string().replace(' ', "")).collect();
        assert_eq!(fields, ["crate::types::Thing", "::std::option::Option<crate::primitives::DateTime>"]);
        assert_eq!(ident("r#type").to_string(), "r#type");
        let path = |id: &str| symbols.builder_path(model.shape(id)).to_string().replace(' ', "");
        assert_eq!(path("a#Thing"), "crate::types::builders::ThingBuilder");
        assert_eq!(path("a#In"), "crate::operation::get_thing::GetThingInputBuilder");
    }
}
