//! The AWS rules-engine functions other than `aws.partition`:
//! `aws.parseArn` and `aws.isVirtualHostableS3Bucket`.

use std::collections::BTreeMap;

use super::functions::is_valid_host_label;
use super::Value;

/// `aws.parseArn`: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE` into an
/// object with `partition`, `service`, `region`, `accountId` and
/// `resourceId` (the resource split on `:` and `/`). Region and account may
/// be empty; `None` when the prefix is not `arn`, a part is missing, or the
/// partition, service or resource is empty.
pub(crate) fn parse_arn(input: &str) -> Option<Value> {
    let mut parts = input.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let partition = parts.next().filter(|s| !s.is_empty())?;
    let service = parts.next().filter(|s| !s.is_empty())?;
    let region = parts.next()?;
    let account_id = parts.next()?;
    let resource = parts.next().filter(|s| !s.is_empty())?;
    let resource_id = resource.split([':', '/']).map(Value::from).collect();
    let mut object = BTreeMap::new();
    object.insert("partition".to_owned(), Value::from(partition));
    object.insert("service".to_owned(), Value::from(service));
    object.insert("region".to_owned(), Value::from(region));
    object.insert("accountId".to_owned(), Value::from(account_id));
    object.insert("resourceId".to_owned(), Value::Array(resource_id));
    Some(Value::Object(object))
}

/// `aws.isVirtualHostableS3Bucket`: whether `bucket` can be used as a DNS
/// label in front of an S3 host. Its length must be 3 to 63; it holds only
/// lowercase letters, digits, `-` and (only with `allow_subdomains`) `.`;
/// it starts and ends with a letter or digit; every `.`-separated part is a
/// valid host label; and it does not look like an IPv4 address.
pub(crate) fn is_virtual_hostable_s3_bucket(bucket: &str, allow_subdomains: bool) -> bool {
    let bytes = bucket.as_bytes();
    let edge_ok = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    (3..=63).contains(&bytes.len())
        && bytes.iter().all(|&b| {
            b.is_ascii_lowercase()
                || b.is_ascii_digit()
                || b == b'-'
                || (allow_subdomains && b == b'.')
        })
        && edge_ok(bytes.first())
        && edge_ok(bytes.last())
        && !bucket.contains(".-")
        && !bucket.contains("-.")
        && is_valid_host_label(bucket, allow_subdomains)
        && !looks_like_ipv4(bucket)
}

/// Four `.`-separated runs of 1 to 3 digits, such as `192.168.0.1` or
/// `01.2.3.4`.
fn looks_like_ipv4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|p| (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &Value, key: &str) -> Vec<String> {
        v.get(key)
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn parses_arns_from_the_spec_table() {
        let arn =
            parse_arn("arn:aws:sns:us-west-2:012345678910:example-sns-topic-name").expect("valid");
        assert_eq!(arn.get("partition"), Some(&Value::from("aws")));
        assert_eq!(arn.get("service"), Some(&Value::from("sns")));
        assert_eq!(arn.get("region"), Some(&Value::from("us-west-2")));
        assert_eq!(arn.get("accountId"), Some(&Value::from("012345678910")));
        assert_eq!(strings(&arn, "resourceId"), ["example-sns-topic-name"]);

        let arn = parse_arn("arn:aws:ec2:us-east-1:012345678910:vpc/vpc-0e9801d129EXAMPLE")
            .expect("valid");
        assert_eq!(
            strings(&arn, "resourceId"),
            ["vpc", "vpc-0e9801d129EXAMPLE"]
        );

        let arn = parse_arn("arn:aws:iam::012345678910:user/johndoe").expect("valid");
        assert_eq!(arn.get("region"), Some(&Value::from("")));
        assert_eq!(strings(&arn, "resourceId"), ["user", "johndoe"]);

        let arn = parse_arn("arn:aws:s3:::bucket_name").expect("valid");
        assert_eq!(arn.get("accountId"), Some(&Value::from("")));
        assert_eq!(strings(&arn, "resourceId"), ["bucket_name"]);

        let arn =
            parse_arn("arn:aws:s3:us-west-2:123:accesspoint:my-ap:object/key").expect("valid");
        assert_eq!(
            strings(&arn, "resourceId"),
            ["accesspoint", "my-ap", "object", "key"]
        );
    }

    #[test]
    fn rejects_non_arns() {
        for bad in [
            "11111111-2222-3333-4444-555555555555",
            "arn:aws:s3:us-east-1:123",
            "arn:aws:s3:::",
            "arn::s3:us-east-1:123:thing",
            "arn:aws::us-east-1:123:thing",
            "ARN:aws:s3:::bucket",
            "",
        ] {
            assert_eq!(parse_arn(bad), None, "{bad:?} should be rejected");
        }
    }

    #[test]
    fn virtual_hostable_buckets() {
        assert!(is_virtual_hostable_s3_bucket("my-bucket", false));
        assert!(is_virtual_hostable_s3_bucket("abc", false));
        assert!(is_virtual_hostable_s3_bucket("my.bucket.name", true));
        assert!(
            !is_virtual_hostable_s3_bucket("my.bucket.name", false),
            "dots need allow_subdomains"
        );
        assert!(!is_virtual_hostable_s3_bucket("ab", false), "too short");
        assert!(
            !is_virtual_hostable_s3_bucket(&"a".repeat(64), false),
            "too long"
        );
        assert!(
            !is_virtual_hostable_s3_bucket("My-Bucket", false),
            "uppercase"
        );
        assert!(!is_virtual_hostable_s3_bucket("-bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("bucket-", false));
        assert!(!is_virtual_hostable_s3_bucket("my_bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("a..b", true));
        assert!(!is_virtual_hostable_s3_bucket("a.-b", true));
        assert!(!is_virtual_hostable_s3_bucket("a-.b", true));
        assert!(
            !is_virtual_hostable_s3_bucket("192.168.5.4", true),
            "IP-shaped"
        );
    }
}
