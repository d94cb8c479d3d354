//! Agent hook adapters.
