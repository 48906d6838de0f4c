//! Integration tests for the magic-api workspace live under `tests/tests/`.
