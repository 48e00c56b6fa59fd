//! The root paths modules had before the crate was grouped by concern
//! (`smithy_runtime::region`, `retry`, `test_util`, …) still name the same
//! items as the grouped paths, so code written against them compiles and
//! means the same thing.

use std::any::TypeId;

fn same<Old: 'static, New: 'static>() -> bool {
    TypeId::of::<Old>() == TypeId::of::<New>()
}

#[test]
fn old_root_paths_name_the_grouped_items() {
    use smithy_runtime as rt;

    assert!(same::<
        rt::credentials::Credentials,
        rt::auth::credentials::Credentials,
    >());
    assert!(same::<
        rt::sigv4::SigningSettings,
        rt::auth::sigv4::SigningSettings,
    >());
    assert!(same::<
        rt::attempts::FinalResponse,
        rt::behavior::attempts::FinalResponse,
    >());
    assert!(same::<
        rt::pagination::PaginationConfig,
        rt::behavior::pagination::PaginationConfig,
    >());
    assert!(same::<
        rt::retry::RetryConfig,
        rt::behavior::retry::RetryConfig,
    >());
    assert!(same::<rt::sleep::TokioSleep, rt::behavior::sleep::TokioSleep>());
    assert!(same::<
        rt::timeout::TimeoutConfig,
        rt::behavior::timeout::TimeoutConfig,
    >());
    assert!(same::<
        rt::environment::Environment,
        rt::config::environment::Environment,
    >());
    assert!(same::<
        rt::profile::ProfileSet,
        rt::config::profile::ProfileSet,
    >());
    assert!(same::<rt::region::Region, rt::config::region::Region>());
    assert!(same::<
        rt::big_number::BigInteger,
        rt::primitives::big_number::BigInteger,
    >());
    assert!(same::<rt::build_error::BuildError, rt::BuildError>());
    assert!(same::<
        rt::open_enum::UnknownVariantValue,
        rt::primitives::open_enum::UnknownVariantValue,
    >());
    assert!(same::<
        rt::redact::Redacted<'static, ()>,
        rt::primitives::redact::Redacted<'static, ()>,
    >());
    assert_eq!(
        rt::error_code::ERROR_TYPE_HEADER,
        rt::protocol::error_code::ERROR_TYPE_HEADER
    );
}

#[cfg(feature = "test-util")]
#[test]
fn old_test_util_paths_name_the_testing_items() {
    use smithy_runtime as rt;

    assert!(same::<rt::test_util::ReplayClient, rt::testing::ReplayClient>());
    assert!(same::<
        rt::protocol_test_checks::ExpectedRequest,
        rt::testing::protocol_test_checks::ExpectedRequest,
    >());
}
