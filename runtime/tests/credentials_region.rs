//! Region resolution order against temporary shared files and explicit
//! environment maps. Nothing here reads the real environment or home.

use std::path::PathBuf;

use smithy_runtime::config::environment::Environment;
use smithy_runtime::config::profile::FileKind;
use smithy_runtime::config::region::{resolve_region, Region, RegionResolver, RegionSource};
use tempfile::TempDir;

fn home_with_config(config: &str) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join(".aws")).expect("mkdir");
    std::fs::write(dir.path().join(".aws/config"), config).expect("write");
    dir
}

fn env(home: &TempDir, vars: &[(&str, &str)]) -> Environment {
    Environment::from_map(vars.iter().copied()).with_home(home.path())
}

const CONFIG: &str = "\
[default]
region = us-east-2

[profile eu]
# a comment
region = eu-central-1   ; trailing comment
";

#[test]
fn order_is_explicit_then_aws_region_then_default_region_then_profile() {
    let home = home_with_config(CONFIG);
    let all = env(
        &home,
        &[
            ("AWS_REGION", "us-west-1"),
            ("AWS_DEFAULT_REGION", "us-west-2"),
        ],
    );

    let explicit = Some(Region::from_static("ap-northeast-1"));
    assert_eq!(
        resolve_region(explicit, &all).unwrap().as_str(),
        "ap-northeast-1"
    );

    let resolved = RegionResolver::new().resolve(&all).unwrap();
    assert_eq!(resolved.region.as_str(), "us-west-1");
    assert_eq!(resolved.source, RegionSource::AwsRegionEnv);

    let resolved = RegionResolver::new()
        .resolve(&env(&home, &[("AWS_DEFAULT_REGION", "us-west-2")]))
        .unwrap();
    assert_eq!(resolved.region.as_str(), "us-west-2");
    assert_eq!(resolved.source, RegionSource::AwsDefaultRegionEnv);

    let resolved = RegionResolver::new().resolve(&env(&home, &[])).unwrap();
    assert_eq!(resolved.region.as_str(), "us-east-2");
    assert_eq!(
        resolved.source,
        RegionSource::Profile {
            profile: "default".to_owned(),
            file: FileKind::Config,
            path: Some(home.path().join(".aws/config")),
            line: 2,
        }
    );
    assert_eq!(
        resolved.source.to_string(),
        format!(
            "profile `default` in {} line 2",
            home.path().join(".aws/config").display()
        )
    );
}

#[test]
fn active_profile_comes_from_aws_profile_or_explicit_name() {
    let home = home_with_config(CONFIG);
    let region = resolve_region(None, &env(&home, &[("AWS_PROFILE", "eu")])).unwrap();
    assert_eq!(region.as_str(), "eu-central-1");

    let resolved = RegionResolver::new()
        .with_profile_name("eu")
        .resolve(&env(&home, &[("AWS_PROFILE", "default")]))
        .unwrap();
    assert_eq!(resolved.region.as_str(), "eu-central-1");
}

#[test]
fn config_file_location_can_be_overridden() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path: PathBuf = dir.path().join("custom-config");
    std::fs::write(&path, "[profile x]\nregion = sa-east-1\n").expect("write");
    let e = Environment::from_map([
        ("AWS_CONFIG_FILE", path.to_str().expect("utf-8 path")),
        ("AWS_PROFILE", "x"),
    ]);
    assert_eq!(resolve_region(None, &e).unwrap().as_str(), "sa-east-1");
}

#[test]
fn error_says_where_it_looked() {
    let home = home_with_config("[profile other]\nregion = us-east-1\n[default]\noutput = json\n");
    let h = home.path().display();

    let err = resolve_region(None, &env(&home, &[])).unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(
        err.to_string(),
        format!(
            "no region: none configured explicitly; AWS_REGION unset; AWS_DEFAULT_REGION unset; \
             profile `default` has no `region` in {h}/.aws/credentials (missing) or {h}/.aws/config"
        )
    );

    let err = resolve_region(None, &env(&home, &[("AWS_PROFILE", "nope")])).unwrap_err();
    assert!(
        err.to_string().ends_with(&format!(
            "profile `nope` not found in {h}/.aws/credentials (missing) or {h}/.aws/config"
        )),
        "{err}"
    );
}

#[test]
fn malformed_config_is_reported_with_line() {
    let home = home_with_config("[default]\nregion us-east-1\n");
    let err = resolve_region(None, &env(&home, &[])).unwrap_err();
    assert!(!err.is_not_found());
    assert_eq!(
        err.to_string(),
        format!(
            "cannot resolve region: {} line 2: expected `name = value` but found no `=`",
            home.path().join(".aws/config").display()
        )
    );
}

#[test]
fn environment_wins_even_over_a_malformed_config() {
    let home = home_with_config("[default\n");
    let region = resolve_region(None, &env(&home, &[("AWS_REGION", "us-east-1")])).unwrap();
    assert_eq!(region.as_str(), "us-east-1");
}
