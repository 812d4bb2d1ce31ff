//! Text reports (placeholder).
