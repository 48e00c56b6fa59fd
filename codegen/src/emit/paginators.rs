//! Paginators for `@paginated` operations: `into_paginator()` on the fluent
//! builder, a `<Op>Paginator` with `page_size`, `stop_on_duplicate_token`,
//! `send()` (a stream of pages) and, when the pages have items, `items()`.
//!
//! The loop lives in the runtime (`smithy_runtime::behavior::pagination`); the code
//! here only says where the tokens and items are, as closures in one
//! `static` per operation.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::doc_comments::doc_attrs;
use crate::ir::{Member, Model, Operation, ShapeKind, Simple};
use crate::symbols::{ident, Symbols};

/// An operation's `@paginated` trait resolved against its input and output.
#[derive(Debug)]
pub struct Pagination<'m> {
    pub input_token: &'m Member,
    pub output_token: &'m Member,
    pub page_size: Option<&'m Member>,
    pub items: Option<Items<'m>>,
}

/// The output member whose values are a page's items.
#[derive(Debug)]
pub struct Items<'m> {
    pub member: &'m Member,
    /// Named by the trait's `items`, rather than picked as the output's only list.
    pub named_by_trait: bool,
}

/// Resolves `op`'s pagination: `Ok(None)` when it is not paginated, `Err`
/// with the reason when this generator cannot page it.
pub fn resolve<'m>(model: &'m Model, op: &Operation) -> Result<Option<Pagination<'m>>, String> {
    let Some(paginated) = &op.paginated else { return Ok(None) };
    let input = members(model, &op.input);
    let output = members(model, &op.output);
    let find = |members: &'m [Member], path: &Option<String>, what: &str, owner: &str| -> Result<Option<&'m Member>, String> {
        let Some(path) = path else { return Ok(None) };
        if path.contains('.') {
            return Err(format!("`{what}` path `{path}` reaches into a nested structure, which paginators do not support yet"));
        }
        members.iter().find(|m| &m.name == path).map(Some).ok_or_else(|| format!("`{what}` names `{path}`, which {owner} does not have"))
    };
    // Tokens are strings, or maps (DynamoDB's Query and Scan page with the
    // last item's key); both sides must have the same type.
    let is_token = |m: &Member| matches!(model.shape(&m.target).kind, ShapeKind::Simple(Simple::String) | ShapeKind::Map { .. });
    let input_token = find(input, &paginated.input_token, "inputToken", "the input")?
        .ok_or_else(|| "the trait has no `inputToken`".to_string())?;
    let output_token = find(output, &paginated.output_token, "outputToken", "the output")?
        .ok_or_else(|| "the trait has no `outputToken`".to_string())?;
    if !is_token(input_token) || !input_token.optional || input_token.boxed {
        return Err(format!("input token `{}` is not an optional string or map", input_token.name));
    }
    if !is_token(output_token) || output_token.boxed {
        return Err(format!("output token `{}` is not a string or a map", output_token.name));
    }
    let is_string = |m: &Member| matches!(model.shape(&m.target).kind, ShapeKind::Simple(Simple::String));
    if !(is_string(input_token) && is_string(output_token)) && input_token.target != output_token.target {
        return Err(format!(
            "input token `{}` and output token `{}` have different types",
            input_token.name, output_token.name
        ));
    }
    let page_size = find(input, &paginated.page_size, "pageSize", "the input")?;
    let items = match find(output, &paginated.items, "items", "the output")? {
        Some(member) => Some(Items { member, named_by_trait: true }),
        None => {
            let mut lists = output.iter().filter(|m| matches!(model.shape(&m.target).kind, ShapeKind::List { .. }));
            match (lists.next(), lists.next()) {
                (Some(member), None) => Some(Items { member, named_by_trait: false }),
                _ => None,
            }
        }
    };
    if let Some(items) = &items {
        let collection = matches!(model.shape(&items.member.target).kind, ShapeKind::List { .. } | ShapeKind::Map { .. });
        if !collection || items.member.boxed {
            return Err(format!("items member `{}` is not a list or a map", items.member.name));
        }
    }
    Ok(Some(Pagination { input_token, output_token, page_size, items }))
}

fn members<'m>(model: &'m Model, id: &str) -> &'m [Member] {
    match &model.shape(id).kind {
        ShapeKind::Structure(members) => members,
        _ => &[],
    }
}

/// Paginated operations this generator leaves without a paginator, and why.
pub fn left_out(model: &Model) -> Vec<String> {
    model
        .operations
        .iter()
        .filter(|op| op.unsupported.is_none())
        .filter_map(|op| resolve(model, op).err().map(|why| format!("no paginator for `{}`: {why}", op.name)))
        .collect()
}

/// The paginator items of `op`'s module; empty when it is not paginated.
pub fn paginator(symbols: &Symbols<'_>, op: &Operation) -> TokenStream {
    let model = symbols.model();
    if op.unsupported.is_some() {
        return quote!();
    }
    let Ok(Some(pagination)) = resolve(model, op) else { return quote!() };
    let input = model.shape(&op.input);
    let output = model.shape(&op.output);
    let input_ty = ident(&input.rust_name);
    let input_builder = symbols.builder_path(input);
    let output_ty = ident(&output.rust_name);
    let error_ty = ident(&op.rust_error_name);
    let fluent = ident(&crate::naming::fluent_builder_name(&op.name));
    let (paginator, paginator_items) = crate::naming::paginator_names(&op.name);
    let (paginator, paginator_items) = (ident(&paginator), ident(&paginator_items));
    let input_token = ident(&pagination.input_token.rust_name);
    let output_token = ident(&pagination.output_token.rust_name);
    let read_output_token = if pagination.output_token.optional {
        quote!(output.#output_token.as_ref())
    } else {
        quote!(::std::option::Option::Some(&output.#output_token))
    };
    // String tokens are the runtime's default token type; a map token is named.
    let token_ty = match model.shape(&pagination.input_token.target).kind {
        ShapeKind::Simple(Simple::String) => quote!(),
        _ => {
            let ty = symbols.value_type(&pagination.input_token.target);
            quote!(, #ty)
        }
    };
    let sdk_error = quote!(::smithy_runtime::client::SdkError<#error_ty>);

    let page_size = pagination.page_size.map(|m| {
        let setter = ident(crate::naming::builder_method(m));
        let value = symbols.value_type(&m.target);
        let docs = doc_attrs(&format!("Sets `{}`, the most results the service returns in one page.", m.name));
        quote! {
            #docs
            pub fn page_size(mut self, limit: #value) -> Self {
                self.inner = self.inner.#setter(limit);
                self
            }
        }
    });

    let (items_method, items_type, items_docs) = match &pagination.items {
        None => (quote!(), quote!(), String::new()),
        Some(items) => {
            let member = ident(&items.member.rust_name);
            let element = |m: &Member| {
                let ty = symbols.value_type(&m.target);
                if m.optional { quote!(::std::option::Option<#ty>) } else { ty }
            };
            let (item_ty, is_map) = match &model.shape(&items.member.target).kind {
                ShapeKind::List { member: item, .. } => (element(item), false),
                ShapeKind::Map { key, value, .. } => {
                    let (key, value) = (symbols.value_type(&key.target), element(value));
                    (quote!((#key, #value)), true)
                }
                _ => unreachable!("resolve accepts only list and map items"),
            };
            let whole = if items.member.optional {
                quote!(output.#member.unwrap_or_default())
            } else {
                quote!(output.#member)
            };
            // A map's entries are the items, as `(key, value)` pairs.
            let take = if is_map { quote!(#whole.into_iter().collect()) } else { whole };
            let source = if items.named_by_trait {
                format!("`{}` (named by the model's `@paginated` trait)", items.member.name)
            } else {
                format!(
                    "`{}` (the model's `@paginated` trait names no items member; this is the output's only list)",
                    items.member.name
                )
            };
            let source = if is_map { format!("{source}, each one `(key, value)` entry of that map") } else { source };
            let docs = doc_attrs(&format!("The items of every page, taken from {source}."));
            let send_docs = doc_attrs("Starts paging: a stream of items (`Result<item, SdkError>`) that ends after the last page or an error, which it yields once.");
            let method = quote! {
                #docs
                pub fn items(self) -> #paginator_items {
                    #paginator_items(self)
                }
            };
            let ty = quote! {
                #docs
                #[derive(::std::clone::Clone, ::std::fmt::Debug)]
                pub struct #paginator_items(#paginator);

                impl #paginator_items {
                    #send_docs
                    pub fn send(self) -> ::smithy_runtime::behavior::pagination::ItemStream<#item_ty, #sdk_error> {
                        self.0.send().items(|output| #take)
                    }
                }
            };
            (method, ty, format!("\n\n [`items`]({paginator}::items) gives the items of every page, taken from {source}."))
        }
    };

    let into_docs = format!(
        " Pages through `{}`, starting from this request: each request after the first carries the previous page's `{}` as `{}`.",
        op.name, pagination.output_token.name, pagination.input_token.name
    );
    let paginator_docs = format!(
        " A paginator for `{}`: [`send`]({paginator}::send) gives a stream of [`{}`] pages \
         (a `futures_core::Stream`, with inherent `next()` and `try_collect()`).\n\n \
         It stops after a page with no `{}`, an empty one, or the one its request carried \
         (see [`stop_on_duplicate_token`]({paginator}::stop_on_duplicate_token)); \
         an error is yielded once and ends it.{items_docs}",
        op.name, output.rust_name, pagination.output_token.name,
    );
    let paginator_docs = paginator_docs.lines().map(str::to_string);
    let page_send_docs = doc_attrs("Starts paging: a stream of pages (`Result<output, SdkError>`).");
    quote! {
        /// How this operation's pages are requested and linked.
        static PAGES: ::smithy_runtime::behavior::pagination::PaginatedOperation<#input_ty, #output_ty, #error_ty #token_ty> =
            ::smithy_runtime::behavior::pagination::PaginatedOperation {
                send: |input, handle| ::std::boxed::Box::pin(async move { input.send_with(&handle).await }),
                input_token: |input| &mut input.#input_token,
                output_token: |output| #read_output_token,
            };

        impl #fluent {
            #[doc = #into_docs]
            pub fn into_paginator(self) -> #paginator {
                #paginator { handle: self.handle, inner: self.inner, config: ::std::default::Default::default() }
            }
        }

        #( #[doc = #paginator_docs] )*
        #[derive(::std::clone::Clone, ::std::fmt::Debug)]
        pub struct #paginator {
            handle: ::smithy_runtime::client::ClientHandle,
            inner: #input_builder,
            config: ::smithy_runtime::behavior::pagination::PaginationConfig,
        }

        impl #paginator {
            #page_size

            /// Whether a page whose token equals the one its request carried ends the stream (default `true`).
            pub fn stop_on_duplicate_token(mut self, stop: bool) -> Self {
                self.config = self.config.stop_on_duplicate_token(stop);
                self
            }

            #page_send_docs
            pub fn send(self) -> ::smithy_runtime::behavior::pagination::PaginationStream<#output_ty, #sdk_error #token_ty> {
                PAGES.pages(self.handle, self.inner.build(), self.config)
            }

            #items_method
        }

        #items_type
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test_model(paginated: &str, output_members: &str) -> Model {
        let json = format!(
            r#"{{"smithy": "2.0", "shapes": {{
                "ns#Svc": {{"type": "service", "version": "1", "operations": [{{"target": "ns#ListThings"}}],
                    "traits": {{"aws.protocols#restJson1": {{}}}}}},
                "ns#ListThings": {{"type": "operation",
                    "input": {{"target": "ns#ListThingsInput"}}, "output": {{"target": "ns#ListThingsOutput"}},
                    "traits": {{"smithy.api#http": {{"method": "POST", "uri": "/things"}}, "smithy.api#paginated": {paginated}}}}},
                "ns#ListThingsInput": {{"type": "structure", "members": {{
                    "token": {{"target": "smithy.api#String"}}, "limit": {{"target": "smithy.api#Integer"}}}}}},
                "ns#ListThingsOutput": {{"type": "structure", "members": {output_members}}},
                "ns#Names": {{"type": "list", "member": {{"target": "smithy.api#String"}}}},
                "ns#TagMap": {{"type": "map", "key": {{"target": "smithy.api#String"}}, "value": {{"target": "smithy.api#Integer"}}}}
            }}}}"#
        );
        match crate::lower::lower("test.json", &json) {
            Ok(model) => model,
            Err(e) => panic!("{e}"),
        }
    }

    const TOKENS: &str = r#"{"inputToken": "token", "outputToken": "next", "pageSize": "limit""#;

    #[test]
    fn the_only_list_is_the_items_when_the_trait_names_none() {
        let model = test_model(&format!("{TOKENS}}}"), r#"{"next": {"target": "smithy.api#String"}, "names": {"target": "ns#Names"}}"#);
        let resolved = resolve(&model, &model.operations[0]).unwrap().unwrap();
        assert_eq!(resolved.input_token.name, "token");
        assert_eq!(resolved.output_token.name, "next");
        assert_eq!(resolved.page_size.map(|m| m.name.as_str()), Some("limit"));
        let items = resolved.items.unwrap();
        assert_eq!(items.member.name, "names");
        assert!(!items.named_by_trait);
    }

    #[test]
    fn two_lists_and_no_items_named_means_no_items() {
        let model = test_model(
            &format!("{TOKENS}}}"),
            r#"{"next": {"target": "smithy.api#String"}, "a": {"target": "ns#Names"}, "b": {"target": "ns#Names"}}"#,
        );
        let resolved = resolve(&model, &model.operations[0]).unwrap().unwrap();
        assert!(resolved.items.is_none());
        let model = model_with_items();
        let items = resolve(&model, &model.operations[0]).unwrap().unwrap().items.unwrap();
        assert_eq!(items.member.name, "b");
        assert!(items.named_by_trait);
    }

    fn model_with_items() -> Model {
        test_model(
            &format!("{TOKENS}, \"items\": \"b\"}}"),
            r#"{"next": {"target": "smithy.api#String"}, "a": {"target": "ns#Names"}, "b": {"target": "ns#Names"}}"#,
        )
    }

    #[test]
    fn a_map_can_be_the_items() {
        let model = test_model(
            &format!("{TOKENS}, \"items\": \"tags\"}}"),
            r#"{"next": {"target": "smithy.api#String"}, "tags": {"target": "ns#TagMap"}}"#,
        );
        let items = resolve(&model, &model.operations[0]).unwrap().unwrap().items.unwrap();
        assert_eq!(items.member.name, "tags");
        let code = paginator(&Symbols::new(&model), &model.operations[0]).to_string().replace(' ', "");
        assert!(code.contains("ItemStream<(::std::string::String,i32)"), "{code}");
        assert!(code.contains("output.tags.unwrap_or_default().into_iter().collect()"), "{code}");
    }

    #[test]
    fn nested_and_missing_members_are_left_out_with_a_reason() {
        let model = test_model(
            r#"{"inputToken": "token", "outputToken": "page.next"}"#,
            r#"{"next": {"target": "smithy.api#String"}}"#,
        );
        let why = resolve(&model, &model.operations[0]).unwrap_err();
        assert!(why.contains("`page.next`"), "{why}");
        assert_eq!(left_out(&model), [format!("no paginator for `ListThings`: {why}")]);

        let model = test_model(r#"{"inputToken": "nope", "outputToken": "next"}"#, r#"{"next": {"target": "smithy.api#String"}}"#);
        let why = resolve(&model, &model.operations[0]).unwrap_err();
        assert!(why.contains("`nope`") && why.contains("input"), "{why}");
    }
}
