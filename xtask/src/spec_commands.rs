//! `validate` and `schema`.
