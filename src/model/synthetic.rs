//! Synthetic scenarios (placeholder, filled in below).
