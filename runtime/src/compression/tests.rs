use super::*;
use crate::config::environment::Environment;
use crate::config::settings::tests::with_config_file;

/// One loaded setting, its error as text.
type Loaded<T> = Option<Result<T, String>>;

fn loaded(env: &Environment) -> (Loaded<bool>, Loaded<u32>) {
    let settings = LoadedSettings::load(&SettingsSource::load(env));
    (
        settings.disabled.map(|r| r.map_err(|e| e.to_string())),
        settings.min_size_bytes.map(|r| r.map_err(|e| e.to_string())),
    )
}

#[test]
fn defaults_and_range() {
    let settings = RequestCompressionSettings::default();
    assert!(!settings.disabled());
    assert_eq!(settings.min_size_bytes(), 10_240);
    assert_eq!(RequestCompressionSettings::new(true, 0).map(|s| (s.disabled(), s.min_size_bytes())), Ok((true, 0)));
    assert!(RequestCompressionSettings::new(false, MAX_MIN_COMPRESSION_SIZE_BYTES).is_ok());
    assert_eq!(
        RequestCompressionSettings::new(false, MAX_MIN_COMPRESSION_SIZE_BYTES + 1).map_err(|e| e.to_string()),
        Err("invalid request_min_compression_size_bytes: 10485761 is out of range (0..=10485760 bytes)".to_owned())
    );
}

#[test]
fn nothing_set_loads_nothing() {
    assert_eq!(loaded(&Environment::empty()), (None, None));
}

#[test]
fn environment_variables_are_read() {
    let env = Environment::empty()
        .with_var(DISABLE_ENV, "TRUE")
        .with_var(MIN_SIZE_ENV, " 0 ");
    assert_eq!(loaded(&env), (Some(Ok(true)), Some(Ok(0))));
}

#[test]
fn environment_values_that_do_not_parse_are_errors_naming_the_variable() {
    let env = Environment::empty()
        .with_var(DISABLE_ENV, "yes")
        .with_var(MIN_SIZE_ENV, "10485761");
    assert_eq!(
        loaded(&env),
        (
            Some(Err("invalid AWS_DISABLE_REQUEST_COMPRESSION: `yes` is not `true` or `false`".to_owned())),
            Some(Err("invalid AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES: 10485761 is out of range (0..=10485760 bytes)".to_owned()))
        )
    );
    let env = Environment::empty().with_var(MIN_SIZE_ENV, "-1");
    let (_, min) = loaded(&env);
    assert_eq!(
        min,
        Some(Err("invalid AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES: `-1` is not a whole number of bytes (0..=10485760)".to_owned()))
    );
    let env = Environment::empty().with_var(MIN_SIZE_ENV, "99999999999");
    assert!(matches!(loaded(&env).1, Some(Err(e)) if e.contains("out of range")));
}

#[test]
fn profile_is_read_and_the_environment_wins() {
    let (_dir, env) = with_config_file(
        "[default]\ndisable_request_compression = true\nrequest_min_compression_size_bytes = 128\n\
         [profile other]\nrequest_min_compression_size_bytes = 256\n",
    );
    assert_eq!(loaded(&env), (Some(Ok(true)), Some(Ok(128))));
    assert_eq!(loaded(&env.clone().with_var("AWS_PROFILE", "other")), (None, Some(Ok(256))));
    let env = env.with_var(DISABLE_ENV, "false").with_var(MIN_SIZE_ENV, "64");
    assert_eq!(loaded(&env), (Some(Ok(false)), Some(Ok(64))));
}

#[test]
fn a_bad_profile_value_names_the_key_profile_and_line() {
    let (_dir, env) = with_config_file("[default]\nregion = us-east-1\nrequest_min_compression_size_bytes = lots\n");
    let (_, min) = loaded(&env);
    let message = match min {
        Some(Err(message)) => message,
        other => panic!("expected an error, got {other:?}"),
    };
    assert!(message.starts_with("invalid `request_min_compression_size_bytes` of profile `default` ("), "{message}");
    assert!(message.contains("line 3): `lots` is not a whole number of bytes"), "{message}");
}

#[cfg(feature = "request-compression")]
mod compressing {
    use bytes::Bytes;
    use http::Request;

    use super::*;
    use crate::compression::gzip::gunzip;

    fn request(body: Vec<u8>, encoding: Option<&'static str>) -> Request<Bytes> {
        let mut request = Request::new(Bytes::from(body));
        if let Some(encoding) = encoding {
            request.headers_mut().insert("content-encoding", http::HeaderValue::from_static(encoding));
        }
        request
    }

    #[test]
    fn a_body_at_the_threshold_is_gzipped_and_one_below_is_not() {
        let settings = RequestCompressionSettings::default();
        let body = vec![b'x'; 10_240];
        let mut at = request(body.clone(), None);
        at.headers_mut().insert("content-length", http::HeaderValue::from(10_240));
        assert!(compress_request(&mut at, &settings));
        assert_eq!(at.headers()["content-encoding"], "gzip");
        assert_eq!(at.headers()["content-length"], at.body().len().to_string().as_str());
        assert_eq!(gunzip(at.body()), body);

        let mut below = request(vec![b'x'; 10_239], None);
        assert!(!compress_request(&mut below, &settings));
        assert!(below.headers().get("content-encoding").is_none());
        assert_eq!(below.body().len(), 10_239);
    }

    #[test]
    fn the_minimum_is_configurable_down_to_zero() {
        let zero = RequestCompressionSettings::new(false, 0).expect("in range");
        let mut empty = request(Vec::new(), None);
        assert!(compress_request(&mut empty, &zero));
        assert_eq!(gunzip(empty.body()), b"");
        let high = RequestCompressionSettings::new(false, 50_000).expect("in range");
        assert!(!compress_request(&mut request(vec![b'x'; 20_000], None), &high));
    }

    #[test]
    fn disabled_sends_the_body_as_it_is() {
        let off = RequestCompressionSettings::new(true, 0).expect("in range");
        let mut big = request(vec![b'x'; 100_000], Some("custom"));
        assert!(!compress_request(&mut big, &off));
        assert_eq!(big.headers()["content-encoding"], "custom");
        assert_eq!(big.body().len(), 100_000);
    }

    #[test]
    fn gzip_is_appended_after_encodings_already_named() {
        let settings = RequestCompressionSettings::new(false, 0).expect("in range");
        let mut one = request(b"abc".to_vec(), Some("custom"));
        assert!(compress_request(&mut one, &settings));
        assert_eq!(one.headers()["content-encoding"], "custom, gzip");

        let mut two = request(b"abc".to_vec(), Some("br"));
        two.headers_mut().append("content-encoding", http::HeaderValue::from_static("custom"));
        assert!(compress_request(&mut two, &settings));
        let values: Vec<_> = two.headers().get_all("content-encoding").iter().collect();
        assert_eq!(values, ["br, custom, gzip"], "several fields become one list");

        let mut blank = request(b"abc".to_vec(), Some(""));
        assert!(compress_request(&mut blank, &settings));
        assert_eq!(blank.headers()["content-encoding"], "gzip");
    }
}
