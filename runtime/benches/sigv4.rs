//! One SigV4 header signing of a typical IVS RealTime request: `POST
//! /CreateStage` with a small JSON body and four headers, temporary
//! credentials included.
//!
//! Run with `cargo bench -p smithy-runtime --bench sigv4`.

use std::hint::black_box;
use std::time::{Duration, UNIX_EPOCH};

use criterion::{criterion_group, criterion_main, Criterion};
use smithy_runtime::auth::sigv4::{self, http, SigningParams, SigningSettings};

const BODY: &[u8] = br#"{"name":"demo-stage","participantTokenConfigurations":[{"userId":"host","capabilities":["PUBLISH","SUBSCRIBE"],"duration":720}],"tags":{"team":"video"}}"#;

fn create_stage() -> http::Request<Vec<u8>> {
    http::Request::post("https://ivsrealtime.us-east-1.amazonaws.com/CreateStage")
        .header("content-type", "application/json")
        .header("content-length", BODY.len())
        .header("user-agent", "smithy-runtime/0.1.0 ivsrealtime")
        .header("x-amz-user-agent", "smithy-runtime/0.1.0 api/ivsrealtime")
        .body(BODY.to_vec())
        .expect("a valid request")
}

fn sign_create_stage(c: &mut Criterion) {
    let params = SigningParams {
        access_key: "AKIDEXAMPLE",
        secret_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        session_token: Some("IQoJb3JpZ2luX2VjEXAMPLETOKENvalueTHATisLONGERthanAkeyANDlooksLIKEsts"),
        region: "us-east-1",
        service: "ivs",
        time: UNIX_EPOCH + Duration::from_secs(1_709_208_000),
        settings: SigningSettings::default(),
    };
    let template = create_stage();
    c.bench_function("sigv4 sign POST /CreateStage", |b| {
        b.iter_batched_ref(
            || template.clone(),
            |request| sigv4::sign_request(black_box(request), black_box(&params)),
            criterion::BatchSize::SmallInput,
        )
    });
}

criterion_group!(benches, sign_create_stage);
criterion_main!(benches);
