//! The generated paginators against the loopback IVS RealTime server: pages
//! and items as a downstream crate sees them, and the requests the server
//! read (the token each carried and the page size).
//!
//! `ListStages` names no items member in its `@paginated` trait, so its
//! `items()` come from its only list, `stages`.

use integration_tests::ivs_server::{self, ListStagesMode, TestServer};
use ivs_realtime::operation::list_stages::{ListStagesError, ListStagesOutput};
use ivs_realtime::{Client, Config};
use ivs_realtime::config::{Credentials, StaticCredentialsProvider};
use smithy_runtime::behavior::pagination::Stream;
use smithy_runtime::client::SdkError;

fn client(server: &TestServer) -> Client {
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(server.endpoint_url())
        .credentials_provider(StaticCredentialsProvider::new(Credentials::from_keys(
            "AKIDPAGINATORS",
            "paginator/secret",
        )))
        .build();
    Client::new(&config)
}

/// Creates stages named `s1`, `s2`, … (`count` of them), in that order.
async fn create_stages(client: &Client, count: usize) {
    for n in 1..=count {
        client
            .create_stage()
            .name(format!("s{n}"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("create stage s{n}: {e}"));
    }
}

/// The `nextToken` and `maxResults` of every `ListStages` request the server read.
fn list_requests(server: &TestServer) -> Vec<(Option<String>, Option<i64>)> {
    server
        .requests_for("ListStages")
        .iter()
        .map(|r| {
            let body = r.json().unwrap_or_else(|| panic!("ListStages body is not JSON: {r:?}"));
            (
                body.get("nextToken").and_then(|t| t.as_str()).map(str::to_owned),
                body.get("maxResults").and_then(|m| m.as_i64()),
            )
        })
        .collect()
}

fn names(page: &ListStagesOutput) -> Vec<String> {
    page.stages.iter().map(|s| s.name.clone().unwrap_or_default()).collect()
}

fn token(t: &str) -> Option<String> {
    Some(t.to_owned())
}

#[tokio::test]
async fn three_pages_then_the_items() {
    let server = ivs_server::start().await;
    let client = client(&server);
    create_stages(&client, 5).await;

    let pages = client
        .list_stages()
        .into_paginator()
        .page_size(2)
        .send()
        .try_collect()
        .await
        .expect("three pages");
    let pages: Vec<Vec<String>> = pages.iter().map(names).collect();
    assert_eq!(pages, [vec!["s1", "s2"], vec!["s3", "s4"], vec!["s5"]]);
    assert_eq!(
        list_requests(&server),
        [(None, Some(2)), (token("page-3"), Some(2)), (token("page-5"), Some(2))]
    );

    // The items of the same pages, read with the inherent `next()`.
    let mut items = client.list_stages().into_paginator().page_size(2).items().send();
    let mut arns = Vec::new();
    while let Some(stage) = items.next().await {
        arns.push(stage.expect("stage summary").arn);
    }
    assert_eq!(arns.len(), 5);
    assert!(arns.iter().all(|a| a.starts_with("arn:aws:ivs:us-east-1:")), "{arns:?}");
    assert_eq!(list_requests(&server).len(), 6);

    // Without a page size the request carries none: one page of all five.
    let pages = client.list_stages().into_paginator().send().try_collect().await.unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!(list_requests(&server)[6], (None, None));
}

#[tokio::test]
async fn an_empty_last_page_is_yielded_and_ends_the_stream() {
    let server = ivs_server::start().await;
    let client = client(&server);
    create_stages(&client, 4).await;
    server.set_list_stages_mode(ListStagesMode::TokenWhenFull);

    let pages = client.list_stages().into_paginator().page_size(2).send().try_collect().await.unwrap();
    let pages: Vec<Vec<String>> = pages.iter().map(names).collect();
    assert_eq!(pages, [vec!["s1", "s2"], vec!["s3", "s4"], vec![]]);
    assert_eq!(
        list_requests(&server),
        [(None, Some(2)), (token("page-3"), Some(2)), (token("page-5"), Some(2))]
    );

    let items = client.list_stages().into_paginator().page_size(2).items().send().try_collect().await.unwrap();
    let item_names: Vec<String> = items.into_iter().filter_map(|s| s.name).collect();
    assert_eq!(item_names, ["s1", "s2", "s3", "s4"]);
}

#[tokio::test]
async fn a_repeated_token_stops_the_stream_unless_told_otherwise() {
    let server = ivs_server::start().await;
    let client = client(&server);
    create_stages(&client, 5).await;
    server.set_list_stages_mode(ListStagesMode::RepeatToken);

    let pages = client.list_stages().into_paginator().page_size(2).send().try_collect().await.unwrap();
    assert_eq!(pages.iter().map(names).collect::<Vec<_>>(), [vec!["s1", "s2"], vec!["s3", "s4"]]);
    assert_eq!(pages[1].next_token.as_deref(), Some("page-3"), "the server repeated the token");
    assert_eq!(list_requests(&server), [(None, Some(2)), (token("page-3"), Some(2))]);

    // Told not to stop, the paginator keeps asking; the reader decides when to stop.
    let mut pages = client
        .list_stages()
        .into_paginator()
        .page_size(2)
        .stop_on_duplicate_token(false)
        .send();
    for _ in 0..4 {
        let page = pages.next().await.expect("another page").expect("a page, not an error");
        assert!(page.next_token.is_some());
    }
    drop(pages);
    let sent: Vec<Option<String>> = list_requests(&server)[2..].iter().map(|(t, _)| t.clone()).collect();
    assert_eq!(sent, [None, token("page-3"), token("page-3"), token("page-3")]);
}

#[tokio::test]
async fn an_error_on_page_two_is_yielded_once_and_ends_the_stream() {
    let server = ivs_server::start().await;
    let client = client(&server);
    create_stages(&client, 5).await;
    server.set_list_stages_mode(ListStagesMode::FailRequest(2));

    let mut pages = client.list_stages().into_paginator().page_size(2).send();
    let first = pages.next().await.expect("page one").expect("page one is fine");
    assert_eq!(names(&first), ["s1", "s2"]);
    let error: SdkError<ListStagesError> = pages.next().await.expect("page two").unwrap_err();
    let service_error = error.as_service_error().expect("a service error");
    assert!(service_error.is_access_denied_exception(), "{error}");
    assert_eq!(service_error.message(), Some("the caller may not list stages"));
    assert!(pages.next().await.is_none());
    assert!(pages.next().await.is_none());
    // Not retried, and nothing sent after the error.
    assert_eq!(list_requests(&server), [(None, Some(2)), (token("page-3"), Some(2))]);

    // The items stream yields the first page's items, then the error, then ends.
    server.set_list_stages_mode(ListStagesMode::FailRequest(2));
    let mut items = client.list_stages().into_paginator().page_size(2).items().send();
    let mut seen = Vec::new();
    while let Some(item) = items.next().await {
        seen.push(item.map(|s| s.name.unwrap_or_default()).map_err(|e| e.to_string()));
    }
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert_eq!(seen[..2], [Ok("s1".to_owned()), Ok("s2".to_owned())]);
    let message = seen[2].as_ref().unwrap_err();
    assert!(message.contains("AccessDeniedException"), "{message}");
    assert_eq!(list_requests(&server).len(), 4);
}

#[tokio::test]
async fn paginators_are_streams_and_build_errors_end_them() {
    let server = ivs_server::start().await;
    let client = client(&server);

    // A stream like any other: poll it through the `Stream` trait.
    fn assert_stream<S: Stream + Send + Unpin + 'static>(_: &S) {}
    let pages = client.list_stages().into_paginator().send();
    assert_stream(&pages);

    // ListParticipantEvents requires members; a paginator without them
    // yields the build error once and sends nothing.
    let mut events = client.list_participant_events().into_paginator().items().send();
    let error = events.next().await.expect("the build error").unwrap_err();
    assert!(matches!(error, SdkError::Construction(_)), "{error:?}");
    assert!(error.to_string().contains("stage_arn") || error.to_string().contains("stageArn"), "{error}");
    assert!(events.next().await.is_none());
    assert!(server.requests().is_empty());

    // With them, its items are the one list of its output, `events`.
    let events = client
        .list_participant_events()
        .stage_arn("arn:aws:ivs:us-east-1:123456789012:stage/abcdEFGH1234")
        .session_id("st-session-1")
        .participant_id("pt-42")
        .into_paginator()
        .page_size(3)
        .items()
        .send()
        .try_collect()
        .await
        .expect("events");
    assert_eq!(events.len(), 5);
    let request = &server.requests_for("ListParticipantEvents")[0];
    assert_eq!(request.json().unwrap()["maxResults"], 3);
}
