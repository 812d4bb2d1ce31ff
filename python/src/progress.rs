//! `_Progress`: how a long core call (a sweep, a simulation) tells Python how far it
//! is without holding the GIL. The call counts finished units into an atomic counter;
//! Python reads it from another thread (`allocnet._progress`) and moves its tqdm bar;
//! Ctrl-C there sets the cancel flag, which the call reads between units.

use pyo3::prelude::*;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

/// A counter of finished units and a cancel flag, shared between a running core call
/// (GIL released) and the Python thread that shows its progress.
#[pyclass(frozen, name = "_Progress", module = "allocnet._allocnet")]
#[derive(Default, Clone)]
pub struct Progress {
    pub(crate) done: Arc<AtomicUsize>,
    pub(crate) cancel: Arc<AtomicBool>,
}

impl Progress {
    /// Counts `n` more finished units.
    pub fn add(&self, n: usize) {
        self.done.fetch_add(n, Ordering::Relaxed);
    }

    /// True once Python asked the call to stop.
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

#[pymethods]
impl Progress {
    #[new]
    fn new() -> Self {
        Self::default()
    }

    /// Units finished so far.
    #[getter]
    fn done(&self) -> usize {
        self.done.load(Ordering::Relaxed)
    }

    /// Asks the running call to stop (work already started finishes).
    fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// True once `cancel()` was called.
    #[getter(cancelled)]
    fn is_cancelled(&self) -> bool {
        self.cancelled()
    }
}
