//! Links the `harness` binary as a position-dependent executable on Linux.
//!
//! Agents run `harness hook` as a new process on every tool call, so start-up is most of a
//! hook's cost. A position-independent executable has tens of thousands of pointers in its
//! read-only data that the dynamic loader must fix up at each start, dirtying every page they
//! sit on; linked at a fixed address, those are resolved once by the linker. Measured in
//! BENCHMARKS.md §5. The trade-off is that the binary's own code is not placed at a random
//! address (shared libraries still are): acceptable for a short-lived command-line tool.

fn main() {
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    if linux {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
