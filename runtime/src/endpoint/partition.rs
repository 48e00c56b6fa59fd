//! `aws.partition`: which AWS partition a region belongs to, from the
//! project's copy of the partitions file (`runtime/data/partitions.json`),
//! parsed on the first call only.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::json::Field;
use super::region_pattern::RegionPattern;
use super::Value;

/// The partitions file, embedded in the binary.
const PARTITIONS_JSON: &str = include_str!("../../data/partitions.json");

/// The partition used for a region no partition claims.
const FALLBACK_PARTITION: &str = "aws";

struct RawPartition {
    id: String,
    region_regex: String,
    regions: Vec<(String, serde_json::Map<String, serde_json::Value>)>,
    outputs: serde_json::Map<String, serde_json::Value>,
}

impl RawPartition {
    /// The `partitions` array of a partitions file.
    fn read_file(json: serde_json::Value) -> Result<Vec<RawPartition>, String> {
        let mut file = Field::root(json).object()?;
        file.required("partitions")?
            .array()?
            .into_iter()
            .map(RawPartition::read)
            .collect()
    }

    fn read(field: Field) -> Result<RawPartition, String> {
        let mut p = field.object()?;
        Ok(RawPartition {
            id: p.required("id")?.string()?,
            region_regex: p.required("regionRegex")?.string()?,
            regions: p
                .defaulted("regions")
                .map(|r| r.map(Field::members))
                .transpose()?
                .unwrap_or_default(),
            outputs: p.required("outputs")?.members()?,
        })
    }
}

/// One partition, ready for look-ups.
#[derive(Debug)]
struct Partition {
    id: String,
    region_regex: RegionPattern,
    /// The `Partition` object returned for a region of this partition.
    outputs: Value,
    /// Regions listed by name, each with its own object when the region
    /// overrides some outputs, else `None` (use `outputs`).
    regions: BTreeMap<String, Option<Value>>,
}

/// All partitions, in file order.
#[derive(Debug)]
pub(crate) struct PartitionTable {
    partitions: Vec<Partition>,
}

impl PartitionTable {
    /// Parses a partitions file.
    pub(crate) fn from_json(json: &str) -> Result<PartitionTable, String> {
        let raw = serde_json::from_str(json)
            .map_err(|e| e.to_string())
            .and_then(RawPartition::read_file)
            .map_err(|e| format!("partitions file: {e}"))?;
        let mut partitions = Vec::with_capacity(raw.len());
        for p in raw {
            let region_regex = RegionPattern::parse(&p.region_regex).map_err(|e| {
                format!(
                    "partition `{}`: regionRegex `{}`: {e}",
                    p.id, p.region_regex
                )
            })?;
            let mut outputs = to_object(&p.outputs);
            outputs
                .entry("name".to_owned())
                .or_insert_with(|| Value::from(p.id.as_str()));
            let mut regions = BTreeMap::new();
            for (name, region) in &p.regions {
                // A region may override any output; `description` is documentation.
                let overrides: Vec<_> = region
                    .iter()
                    .filter(|(key, _)| {
                        key.as_str() != "description" && outputs.contains_key(key.as_str())
                    })
                    .filter_map(|(key, v)| Some((key.clone(), Value::from_json(v)?)))
                    .collect();
                let merged = (!overrides.is_empty()).then(|| {
                    let mut merged = outputs.clone();
                    merged.extend(overrides);
                    Value::Object(merged)
                });
                regions.insert(name.clone(), merged);
            }
            partitions.push(Partition {
                id: p.id,
                region_regex,
                outputs: Value::Object(outputs),
                regions,
            });
        }
        Ok(PartitionTable { partitions })
    }

    /// The `Partition` object for `region`: the partition that lists the
    /// region by name, else the first whose `regionRegex` matches, else the
    /// `aws` partition. `None` only if the file has no `aws` partition.
    pub(crate) fn lookup(&self, region: &str) -> Option<&Value> {
        for p in &self.partitions {
            if let Some(own) = p.regions.get(region) {
                return Some(own.as_ref().unwrap_or(&p.outputs));
            }
        }
        self.partitions
            .iter()
            .find(|p| p.region_regex.is_match(region))
            .or_else(|| self.partitions.iter().find(|p| p.id == FALLBACK_PARTITION))
            .map(|p| &p.outputs)
    }
}

fn to_object(members: &serde_json::Map<String, serde_json::Value>) -> BTreeMap<String, Value> {
    let mut object = BTreeMap::new();
    for (k, v) in members {
        if let Some(v) = Value::from_json(v) {
            object.insert(k.clone(), v);
        }
    }
    object
}

/// The embedded table, parsed on first use. An error here means the
/// embedded file is broken, which the tests below rule out.
pub(crate) fn embedded() -> Result<&'static PartitionTable, String> {
    static TABLE: OnceLock<Result<PartitionTable, String>> = OnceLock::new();
    TABLE
        .get_or_init(|| PartitionTable::from_json(PARTITIONS_JSON))
        .as_ref()
        .map_err(Clone::clone)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> &'static PartitionTable {
        embedded().expect("embedded partitions file parses")
    }

    fn field<'a>(p: &'a Value, key: &str) -> Option<&'a Value> {
        p.get(key)
    }

    fn name_of(region: &str) -> Option<&str> {
        table()
            .lookup(region)
            .and_then(|p| field(p, "name"))
            .and_then(Value::as_str)
    }

    #[test]
    fn exact_region_names() {
        assert_eq!(name_of("us-east-1"), Some("aws"));
        assert_eq!(name_of("cn-north-1"), Some("aws-cn"));
        assert_eq!(name_of("us-gov-east-1"), Some("aws-us-gov"));
        assert_eq!(name_of("us-iso-east-1"), Some("aws-iso"));
        assert_eq!(name_of("us-isob-east-1"), Some("aws-iso-b"));
        // Listed by name although no regionRegex would match it.
        assert_eq!(name_of("aws-global"), Some("aws"));
        assert_eq!(name_of("aws-cn-global"), Some("aws-cn"));
        assert_eq!(name_of("aws-us-gov-global"), Some("aws-us-gov"));
    }

    #[test]
    fn regex_matches_unlisted_regions() {
        assert_eq!(name_of("us-west-9"), Some("aws"));
        assert_eq!(name_of("eu-south-7"), Some("aws"));
        assert_eq!(name_of("cn-south-5"), Some("aws-cn"));
        assert_eq!(name_of("us-gov-central-3"), Some("aws-us-gov"));
        assert_eq!(name_of("us-isob-west-4"), Some("aws-iso-b"));
        assert_eq!(name_of("eusc-de-west-2"), Some("aws-eusc"));
    }

    /// Each `regionRegex` of the embedded file decides like a real regex
    /// engine (regex-lite, a dev-dependency) on every listed region name and
    /// on variations of them.
    #[test]
    fn region_patterns_agree_with_a_regex_engine() {
        let raw = serde_json::from_str(PARTITIONS_JSON)
            .map_err(|e| e.to_string())
            .and_then(RawPartition::read_file)
            .expect("embedded partitions file");
        let mut regions: Vec<String> = Vec::new();
        for p in &raw {
            for (name, _) in &p.regions {
                regions.push(name.clone());
                regions.push(format!("{name}0"));
                regions.push(format!("x{name}"));
                regions.push(name.replace('-', "_"));
                regions.push(name.to_uppercase());
                regions.push(name.trim_end_matches(char::is_numeric).to_owned());
                regions.push(name.replacen('-', "-gov-", 1));
            }
        }
        assert!(regions.len() > 100, "{}", regions.len());
        for p in &raw {
            let ours = RegionPattern::parse(&p.region_regex).expect("supported");
            let engine = regex_lite::Regex::new(&p.region_regex).expect("a regex");
            for region in &regions {
                assert_eq!(
                    ours.is_match(region),
                    engine.is_match(region),
                    "{} on {region:?}",
                    p.region_regex
                );
            }
        }
    }

    #[test]
    fn unknown_regions_fall_back_to_aws() {
        for region in ["mars-east-1", "local", "", "US-EAST-1"] {
            assert_eq!(name_of(region), Some("aws"), "{region:?}");
        }
    }

    #[test]
    fn partition_objects_carry_dns_suffixes_and_flags() {
        let aws = table().lookup("us-east-1").expect("aws");
        assert_eq!(field(aws, "dnsSuffix"), Some(&Value::from("amazonaws.com")));
        assert_eq!(
            field(aws, "dualStackDnsSuffix"),
            Some(&Value::from("api.aws"))
        );
        assert_eq!(field(aws, "supportsFIPS"), Some(&Value::Bool(true)));
        assert_eq!(field(aws, "supportsDualStack"), Some(&Value::Bool(true)));
        assert_eq!(
            field(aws, "implicitGlobalRegion"),
            Some(&Value::from("us-east-1"))
        );

        let cn = table().lookup("cn-northwest-1").expect("aws-cn");
        assert_eq!(
            field(cn, "dualStackDnsSuffix"),
            Some(&Value::from("api.amazonwebservices.com.cn"))
        );

        let iso = table().lookup("us-iso-west-1").expect("aws-iso");
        assert_eq!(field(iso, "supportsDualStack"), Some(&Value::Bool(false)));
        assert_eq!(field(iso, "supportsFIPS"), Some(&Value::Bool(true)));
    }

    const SMALL: &str = r#"{"version": "1.1", "partitions": [
        {"id": "aws", "regionRegex": "^(us|eu)\\-\\w+\\-\\d+$",
         "regions": {"us-east-1": {"description": "N. Virginia"},
                     "us-old-1": {"description": "old", "supportsDualStack": false}},
         "outputs": {"name": "aws", "dnsSuffix": "amazonaws.com", "supportsDualStack": true}},
        {"id": "other", "regionRegex": "^xx\\-\\w+\\-\\d+$", "regions": {"us-special-1": {}},
         "outputs": {"dnsSuffix": "other.example"}}
    ]}"#;

    #[test]
    fn exact_names_win_over_regexes_and_regions_may_override_outputs() {
        let t = PartitionTable::from_json(SMALL).expect("parses");
        // `us-special-1` matches aws's regex but is listed by `other`.
        let special = t.lookup("us-special-1").expect("found");
        assert_eq!(
            field(special, "name"),
            Some(&Value::from("other")),
            "name defaults to id"
        );
        let old = t.lookup("us-old-1").expect("found");
        assert_eq!(field(old, "supportsDualStack"), Some(&Value::Bool(false)));
        assert_eq!(field(old, "dnsSuffix"), Some(&Value::from("amazonaws.com")));
        let plain = t.lookup("eu-west-1").expect("found");
        assert_eq!(field(plain, "supportsDualStack"), Some(&Value::Bool(true)));
    }

    #[test]
    fn no_fallback_without_an_aws_partition() {
        let t = PartitionTable::from_json(
            r#"{"partitions": [{"id": "x", "regionRegex": "^x$", "regions": {}, "outputs": {}}]}"#,
        )
        .expect("parses");
        assert!(t.lookup("x").is_some());
        assert!(t.lookup("y").is_none());
    }

    #[test]
    fn broken_files_are_errors_not_panics() {
        assert!(PartitionTable::from_json("{").is_err());
        let err = PartitionTable::from_json(
            r#"{"partitions": [{"id": "x", "regionRegex": "(", "regions": {}, "outputs": {}}]}"#,
        )
        .unwrap_err();
        assert!(err.contains("partition `x`"), "{err}");
        let err = PartitionTable::from_json(
            r#"{"partitions": [{"id": "x", "regionRegex": "^x$", "regions": {"x-1": []}, "outputs": {}}]}"#,
        )
        .unwrap_err();
        assert_eq!(
            err,
            "partitions file: partitions[0].regions.x-1: invalid type: sequence, expected a map"
        );
    }
}
