//! Codegen time: parse, lower, emit, format and write one model (release).

use std::path::Path;
use std::time::Instant;

use crate::stats::median;

/// Prints `codegen_<name>_ms`, the median of `runs` generations of `model`
/// into a fresh temp directory.
pub fn measure(name: &str, model: &Path, runs: usize) {
    let text = match std::fs::read_to_string(model) {
        Ok(text) => text,
        Err(e) => return println!("codegen_{name}: skipped ({}: {e})", model.display()),
    };
    let out = std::env::temp_dir().join(format!("smithy-bench-{name}-{}", std::process::id()));
    let options = smithy_codegen::CrateOptions {
        crate_name: "bench-client".to_string(),
        runtime_path: "../runtime".to_string(),
        standalone: true,
        model_source: model.display().to_string(),
        service: None,
        protocol_tests: false,
    };
    let mut samples = Vec::new();
    for _ in 0..runs {
        let _ = std::fs::remove_dir_all(&out);
        let started = Instant::now();
        let generated = match smithy_codegen::generate(&options.model_source, &text, &options) {
            Ok(generated) => generated,
            Err(e) => return println!("codegen_{name}: failed: {e}"),
        };
        if let Err(e) = smithy_codegen::output::write_crate(&out, &generated) {
            return println!("codegen_{name}: write failed: {e}");
        }
        samples.push(started.elapsed());
    }
    let _ = std::fs::remove_dir_all(&out);
    println!("codegen_{name}_ms: {:.1}", median(samples).as_secs_f64() * 1e3);
}
