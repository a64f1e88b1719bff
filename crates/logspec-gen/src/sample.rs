//! Drawing values from strategies outside a property test, reproducibly:
//! what `logspec gen` does with a seed.

use crate::GenError;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// Draws values from strategies with a ChaCha RNG seeded from one number,
/// so that a seed always gives the same values (for a given version of
/// this crate and its locked dependencies).
pub struct Sampler {
    runner: TestRunner,
}

impl Sampler {
    pub fn new(seed: u64) -> Sampler {
        let mut bytes = [0u8; 32];
        bytes[..8].copy_from_slice(&seed.to_le_bytes());
        let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
        Sampler {
            runner: TestRunner::new_with_rng(Config::default(), rng),
        }
    }

    /// One value of `strategy` (the first it generates, unshrunk).
    pub fn sample<S: Strategy>(&mut self, strategy: &S) -> Result<S::Value, GenError> {
        self.fresh_budget();
        strategy
            .new_tree(&mut self.runner)
            .map(|tree| tree.current())
            .map_err(|reason| GenError::Sample(reason.to_string()))
    }

    /// The simplest value of `strategy`: one drawn, then shrunk as far as
    /// it goes (optional parts left out, values at their shortest). A
    /// canonical form, for snapshots of what a spec generates, that moves
    /// only when the spec or the strategy itself does.
    pub fn simplest<S: Strategy>(&mut self, strategy: &S) -> Result<S::Value, GenError> {
        /// Far above what any record needs; a bound, not a budget.
        const MAX_STEPS: usize = 100_000;
        self.fresh_budget();
        let mut tree = strategy
            .new_tree(&mut self.runner)
            .map_err(|reason| GenError::Sample(reason.to_string()))?;
        for _ in 0..MAX_STEPS {
            if !tree.simplify() {
                break;
            }
        }
        Ok(tree.current())
    }

    /// The runner counts the values its filters rejected over its whole
    /// life and fails past `max_local_rejects`: that bound is for one
    /// value, so each value gets a fresh count. The random stream goes on
    /// where it was, so a seed draws what it drew before.
    fn fresh_budget(&mut self) {
        let rng = self.runner.rng().clone();
        self.runner = TestRunner::new_with_rng(Config::default(), rng);
    }
}
