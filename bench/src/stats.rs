//! Medians and percentiles of timing samples.

use std::time::Duration;

pub fn median(samples: Vec<Duration>) -> Duration {
    percentile(samples, 0.5)
}

/// The sample at fraction `p` (0..=1) of the sorted samples; zero when empty.
pub fn percentile(mut samples: Vec<Duration>, p: f64) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    samples.sort();
    samples[((samples.len() - 1) as f64 * p).round() as usize]
}

pub fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}
