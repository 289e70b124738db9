//! `deinfluencer-bench`: the native side of `./build.sh bench` and of the throughput budget in
//! `./build.sh test`. Native only, like the `deinfluencer` CLI: the wasm build has no binaries.

#[cfg(not(target_arch = "wasm32"))]
mod bench;
#[cfg(not(target_arch = "wasm32"))]
mod data;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    bench::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
