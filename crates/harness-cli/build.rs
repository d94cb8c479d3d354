//! Links the `harness` binary as a position-dependent executable on Linux.
//!
//! Agents run `harness hook` as a new process on every tool call, so start-up is most of a
//! hook's cost. A position-independent executable has tens of thousands of pointers in its
//! read-only data that the dynamic loader must fix up at each start, dirtying every page they
//! sit on; linked at a fixed address, those are resolved once by the linker. Measured in
//! BENCHMARKS.md §5. The trade-off is that the binary's own code is not placed at a random
//! address (shared libraries still are): acceptable for a short-lived command-line tool.

fn main() {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    // glibc only: a static build (musl, or `crt-static`) is linked `-static-pie`, which
    // `-no-pie` would turn back into a dynamic one.
    let glibc = var("CARGO_CFG_TARGET_OS") == "linux" && var("CARGO_CFG_TARGET_ENV") == "gnu";
    let static_crt = var("CARGO_CFG_TARGET_FEATURE")
        .split(',')
        .any(|f| f == "crt-static");
    if glibc && !static_crt {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
