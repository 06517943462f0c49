//! Helpers shared by the unit tests (compiled only for `cargo test`).

/// A small deterministic random number generator (xorshift64) for the
/// no-panic tests: the same sequence on every run, so a failure replays.
pub fn xorshift() -> impl FnMut() -> u64 {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}
