//! A deterministic work limit for HiGHS's MIP: the LP iterations of the branch and
//! bound (root, cuts, heuristics' LPs, nodes), counted by HiGHS and read by a user
//! callback at every limit check of the main MIP (`kCallbackMipInterrupt`; sub-MIPs do
//! not call it). With one search worker (`parallel = off`) the count at each check is
//! the same on every run, so a search stopped by this limit ends with the same plan on
//! every machine, unlike one stopped by the clock. HiGHS then reports
//! `ReachedInterrupt`.

use std::sync::atomic::{AtomicI64, Ordering};

/// The limit and what the callback saw, shared with HiGHS for one solve.
struct State {
    /// Most LP iterations; the search is interrupted at the first check at or above it.
    limit: i64,
    /// The LP iterations at the last check (written by the callback).
    seen: AtomicI64,
}

/// The LP-iteration limit installed on one HiGHS model. Keep it alive until the model
/// is solved: HiGHS holds a pointer to its state.
pub(crate) struct LpIterationLimit {
    state: Box<State>,
}

impl LpIterationLimit {
    /// The MIP's LP iterations at its last limit check (0 when it made none: an LP, or
    /// a MIP solved in presolve).
    pub(crate) fn iterations(&self) -> i64 {
        self.state.seen.load(Ordering::Relaxed)
    }
}

/// Installs a limit of `limit` LP iterations on `model`'s MIP search; an error is HiGHS's
/// status of the failing call.
pub(crate) fn install(model: &mut highs::Model, limit: i64) -> Result<LpIterationLimit, String> {
    let state = Box::new(State {
        limit,
        seen: AtomicI64::new(0),
    });
    let data = std::ptr::from_ref::<State>(&state)
        .cast_mut()
        .cast::<std::ffi::c_void>();
    let ptr = model.as_mut_ptr();
    // SAFETY: `ptr` is the live HiGHS instance owned by `model` (the `highs` crate's
    // public accessor). `data` points to the boxed `State`, whose address does not
    // change when the box moves; the returned `LpIterationLimit` owns the box and the
    // caller keeps it until the solve is over, and HiGHS only reads it (through a shared
    // reference, mutation by the atomic) in `on_check` during that solve. `on_check`
    // matches `HighsCCallbackType` and cannot unwind.
    let (set, start) = unsafe {
        (
            highs_sys::Highs_setCallback(ptr, Some(on_check), data),
            highs_sys::Highs_startCallback(ptr, highs_sys::kHighsCallbackMipInterrupt),
        )
    };
    if set != highs_sys::kHighsStatusOk || start != highs_sys::kHighsStatusOk {
        return Err(format!(
            "HiGHS callback: Highs_setCallback {set}, Highs_startCallback {start}"
        ));
    }
    Ok(LpIterationLimit { state })
}

/// HiGHS's callback: at a MIP interrupt check, records the LP iterations and asks for
/// the interrupt once they reach the limit. Nothing in it can panic (null pointers are
/// skipped, the arithmetic is a comparison), so nothing unwinds into C++.
unsafe extern "C" fn on_check(
    kind: std::ffi::c_int,
    _message: *const std::ffi::c_char,
    out: *const highs_sys::HighsCallbackDataOut,
    input: *mut highs_sys::HighsCallbackDataIn,
    data: *mut std::ffi::c_void,
) {
    if kind != highs_sys::kHighsCallbackMipInterrupt || out.is_null() || input.is_null() || data.is_null() {
        return;
    }
    // SAFETY: HiGHS passes `out` and `input` valid (and `input` not aliased) for the
    // duration of the call, and `data` is the `State` installed with this callback
    // (see `install`), alive for the solve.
    let (iterations, state, input) = unsafe { ((*out).mip_total_lp_iterations, &*data.cast::<State>(), &mut *input) };
    state.seen.store(iterations, Ordering::Relaxed);
    if iterations >= state.limit {
        input.user_interrupt = 1;
    }
}
