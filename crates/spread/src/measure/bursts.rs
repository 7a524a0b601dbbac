//! Bursts in the volume series: Kleinberg's multi-state automaton
//! ("Bursty and Hierarchical Structure in Streams", KDD 2002), in its
//! batched form (one observation per bin), with Poisson emissions because
//! a hashtag collection has counts per bin and no total of "all documents"
//! to take a fraction of.

use super::volume::{Series, Volume};
use super::Params;
use serde::Serialize;

/// Bursts kept per series, by weight: a noisy week of minutes can yield
/// hundreds of small level-1 bursts that no reader wants listed.
const MAX_BURSTS: usize = 100;

#[derive(Clone, Debug, Serialize)]
pub struct Bursts {
    pub definition: String,
    pub s: f64,
    pub gamma: f64,
    /// Over the per-minute series.
    pub per_minute: BurstRun,
    /// Over the per-hour series.
    pub per_hour: BurstRun,
}

/// The automaton run over one series.
#[derive(Clone, Debug, Serialize)]
pub struct BurstRun {
    pub bin_seconds: i64,
    pub series_start: Option<i64>,
    pub bins: usize,
    /// State 0's rate: mean posts per bin over the series.
    pub base_rate: f64,
    /// States of the automaton, state 0 included.
    pub states: usize,
    /// Bursts, in order of start then level.
    pub bursts: Vec<Burst>,
    /// Bursts found but not listed (the lightest beyond the first 100).
    pub omitted: usize,
}

/// A maximal run of bins in which the automaton is at `level` or above.
#[derive(Clone, Debug, Serialize)]
pub struct Burst {
    pub level: u32,
    pub start: i64,
    /// Exclusive.
    pub end: i64,
    /// Index of the first bin in the series.
    pub first_bin: usize,
    pub bins: usize,
    pub posts: u64,
    /// Posts the base rate predicts over the same bins.
    pub expected_posts: f64,
    /// The most posts in one bin of the burst.
    pub peak_posts: u64,
    /// Kleinberg's weight: the cost saved over the burst by being in this
    /// state rather than in state 0.
    pub weight: f64,
}

pub(crate) fn bursts(volume: &Volume, params: &Params) -> Bursts {
    let (s, gamma) = (params.burst_s, params.burst_gamma);
    Bursts {
        definition: format!(
            "Kleinberg's burst detection (KDD 2002), batched form over each volume series: a \
             hidden automaton with states 0..k-1 emits each bin's count; state i emits Poisson \
             counts of rate base_rate * s^i, base_rate being the mean posts per bin; moving up \
             from state i to j costs (j-i) * gamma * ln(bins), moving down is free; the least \
             costly state sequence is found exactly (Viterbi). k = 1 + ceil(log_s(max bin / \
             base_rate)), at least 2, at most {}. A burst of level L is a maximal run of bins \
             in state L or above (bursts nest: a level-2 burst lies inside a level-1 one). \
             s = {s}, gamma = {gamma}. At most {MAX_BURSTS} bursts per series are listed, by \
             weight.",
            params.burst_max_states
        ),
        s,
        gamma,
        per_minute: run(&volume.per_minute, params),
        per_hour: run(&volume.per_hour, params),
    }
}

fn run(series: &Series, params: &Params) -> BurstRun {
    let counts = &series.counts;
    let (s, gamma) = (params.burst_s, params.burst_gamma);
    let base = base_rate(counts);
    let path = kleinberg(counts, s, gamma, params.burst_max_states);
    let states = state_count(counts, s, params.burst_max_states);
    let start = series.start.unwrap_or(0);
    let mut found = Vec::new();
    for level in 1..states as u32 {
        let mut t = 0;
        while t < path.len() {
            if path[t] < level {
                t += 1;
                continue;
            }
            let first = t;
            while t < path.len() && path[t] >= level {
                t += 1;
            }
            let bins = &counts[first..t];
            let rate = base * s.powi(level as i32);
            let weight: f64 = bins.iter().map(|&c| cost(base, c) - cost(rate, c)).sum();
            found.push(Burst {
                level,
                start: start.saturating_add(first as i64 * series.bin_seconds),
                end: start.saturating_add(t as i64 * series.bin_seconds),
                first_bin: first,
                bins: t - first,
                posts: bins.iter().sum(),
                expected_posts: base * (t - first) as f64,
                peak_posts: bins.iter().copied().max().unwrap_or(0),
                weight,
            });
        }
    }
    let omitted = found.len().saturating_sub(MAX_BURSTS);
    if omitted > 0 {
        found.sort_by(|a, b| b.weight.total_cmp(&a.weight));
        found.truncate(MAX_BURSTS);
    }
    found.sort_by_key(|b| (b.first_bin, b.level));
    BurstRun {
        bin_seconds: series.bin_seconds,
        series_start: series.start,
        bins: counts.len(),
        base_rate: base,
        states,
        bursts: found,
        omitted,
    }
}

fn base_rate(counts: &[u64]) -> f64 {
    if counts.is_empty() {
        0.0
    } else {
        counts.iter().sum::<u64>() as f64 / counts.len() as f64
    }
}

fn state_count(counts: &[u64], s: f64, max_states: usize) -> usize {
    let base = base_rate(counts);
    let peak = counts.iter().copied().max().unwrap_or(0) as f64;
    if !(base > 0.0 && s > 1.0 && s.is_finite()) {
        return 1;
    }
    let needed = 1.0 + ((peak / base).ln() / s.ln()).ceil().max(1.0);
    (needed as usize).clamp(2, max_states.clamp(2, 255))
}

/// −ln P(c | Poisson(rate)) without the ln c! term, which is the same in
/// every state and so never changes the best sequence.
fn cost(rate: f64, c: u64) -> f64 {
    rate - c as f64 * rate.ln()
}

/// The least costly state sequence of Kleinberg's automaton over `counts`
/// (see [`Bursts`]'s definition): one state per bin, 0 = no burst. All
/// zeros when there is nothing to detect (no posts, s ≤ 1).
pub fn kleinberg(counts: &[u64], s: f64, gamma: f64, max_states: usize) -> Vec<u32> {
    let n = counts.len();
    let k = state_count(counts, s, max_states);
    if n == 0 || k < 2 {
        return vec![0; n];
    }
    let base = base_rate(counts);
    let rates: Vec<f64> = (0..k).map(|i| base * s.powi(i as i32)).collect();
    let up = gamma.max(0.0) * (n as f64).ln();
    let tau = |from: usize, to: usize| {
        if to > from {
            (to - from) as f64 * up
        } else {
            0.0
        }
    };
    // The automaton starts in state 0 (Kleinberg's q_0).
    let mut best: Vec<f64> = (0..k)
        .map(|j| tau(0, j) + cost(rates[j], counts[0]))
        .collect();
    let mut back = vec![0u8; n * k];
    let mut next = vec![0.0; k];
    for (t, &c) in counts.iter().enumerate().skip(1) {
        for j in 0..k {
            let (mut arg, mut min) = (0, f64::INFINITY);
            for (i, &b) in best.iter().enumerate() {
                let v = b + tau(i, j);
                if v < min {
                    (arg, min) = (i, v);
                }
            }
            next[j] = min + cost(rates[j], c);
            back[t * k + j] = arg as u8;
        }
        std::mem::swap(&mut best, &mut next);
    }
    let mut state = (0..k)
        .min_by(|&a, &b| best[a].total_cmp(&best[b]))
        .unwrap_or(0);
    let mut path = vec![0u32; n];
    for t in (0..n).rev() {
        path[t] = state as u32;
        state = back[t * k + state] as usize;
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_burst() -> Vec<u64> {
        // 5 a minute for 200 minutes, 60 a minute in minutes 100..110.
        (0..200)
            .map(|t| if (100..110).contains(&t) { 60 } else { 5 })
            .collect()
    }

    #[test]
    fn finds_the_burst_where_it_is() {
        let counts = with_burst();
        let path = kleinberg(&counts, 2.0, 1.0, 12);
        for (t, &state) in path.iter().enumerate() {
            assert_eq!(
                state > 0,
                (100..110).contains(&t),
                "minute {t}: state {state}"
            );
        }
        let series = Series {
            definition: String::new(),
            bin_seconds: 60,
            start: Some(6_000),
            counts,
            truncated: false,
            posts_before: 0,
            posts_after: 0,
        };
        let r = run(&series, &Params::default());
        let level1: Vec<&Burst> = r.bursts.iter().filter(|b| b.level == 1).collect();
        assert_eq!(level1.len(), 1);
        let b = level1[0];
        assert_eq!((b.first_bin, b.bins, b.posts), (100, 10, 600));
        assert_eq!((b.start, b.end), (6_000 + 100 * 60, 6_000 + 110 * 60));
        assert!(b.weight > 0.0);
        // 60 a minute is about 8 times the base rate: level 3 (2^3).
        assert_eq!(r.bursts.iter().map(|b| b.level).max(), Some(3));
    }

    #[test]
    fn noisy_baseline_with_burst() {
        // A deterministic pseudo-random baseline of 3–7 a minute.
        let mut x = 12_345u64;
        let mut counts: Vec<u64> = (0..500)
            .map(|_| {
                x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                3 + (x >> 33) % 5
            })
            .collect();
        for c in &mut counts[300..320] {
            *c += 40;
        }
        let path = kleinberg(&counts, 2.0, 1.0, 12);
        let bursting: Vec<usize> = (0..path.len()).filter(|&t| path[t] > 0).collect();
        assert_eq!(bursting, (300..320).collect::<Vec<_>>());
    }

    #[test]
    fn flat_and_empty_series_have_no_burst() {
        assert!(kleinberg(&[], 2.0, 1.0, 12).is_empty());
        assert_eq!(kleinberg(&[0, 0, 0], 2.0, 1.0, 12), vec![0, 0, 0]);
        assert_eq!(kleinberg(&[7; 50], 2.0, 1.0, 12), vec![0; 50]);
        assert_eq!(kleinberg(&[1, 100, 1], 1.0, 1.0, 12), vec![0, 0, 0]);
        assert_eq!(kleinberg(&[1, 100, 1], f64::NAN, 1.0, 12), vec![0, 0, 0]);
    }

    #[test]
    fn higher_gamma_resists_short_spikes() {
        let mut counts = vec![5u64; 100];
        counts[50] = 15;
        assert!(kleinberg(&counts, 2.0, 0.0, 12)[50] > 0);
        assert_eq!(kleinberg(&counts, 2.0, 3.0, 12)[50], 0);
    }
}
