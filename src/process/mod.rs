//! The planning processes.
