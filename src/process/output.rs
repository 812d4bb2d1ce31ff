//! Output files (placeholder).
